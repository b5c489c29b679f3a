// The synthetic speech dataset (tools/make-speech-data.ts): espeak-ng voices and accents, held-out
// voices, rendering (level, position, background), features through the library's front end,
// and determinism: the same seed gives the same bytes, a smaller dataset is a subset of a larger.
import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clipFeatures, FRAMES, STRIDE_SAMPLES, WINDOW_SAMPLES } from "../node/speech";
import { frontEndModel } from "../node/speech-frontend";
import { loadTflite } from "../node/sts-runtime";
import {
    ACCENTS, datasetSpecs, EXAMPLE_BYTES, EXAMPLE_SAMPLES, exampleSpec, LABELS, listVariants, loadDataset, makeDataset,
    renderExample, splitVariants, streamFeatures, synthesize, trimSpeech, UNKNOWN_WORDS,
} from "../tools/make-speech-data";

describe("synthetic speech data", function () {
    this.timeout(120000);

    it("espeak-ng knows the 8 English accents and 101 voice variants", () => {
        const voices = childProcess.execFileSync("espeak-ng", ["--voices=en"], { encoding: "utf8" }).toLowerCase();
        for (const a of ACCENTS) assert.ok(new RegExp("\\s" + a + "\\s").test(voices), a);
        assert.strictEqual(listVariants().length, 101);
    });

    it("held-out voices: every 7th variant, never used for training", () => {
        const { train, test } = splitVariants();
        assert.strictEqual(test.length, 14);
        assert.strictEqual(train.length, 101 - 14 + 1);
        assert.deepStrictEqual(test.filter((v) => train.includes(v)), []);
        const specs = datasetSpecs({ train: 40, test: 40, seed: 3 });
        for (const s of specs) assert.ok((s.split === "train" ? train : test).includes(s.variant), JSON.stringify(s));
        // Each split sees many voices and every accent.
        const testSpecs = specs.filter((s) => s.split === "test");
        assert.ok(new Set(testSpecs.map((s) => s.variant)).size >= 10);
        assert.strictEqual(new Set(testSpecs.map((s) => s.accent)).size, ACCENTS.length);
    });

    it("examples by class: silence speaks nothing, unknown an other word, yes and no themselves", () => {
        for (const s of datasetSpecs({ train: 20, test: 5, seed: 1 })) {
            const word = s.text.replace(/[!?.]$/, "");
            if (LABELS[s.label] === "silence") assert.strictEqual(s.text, "");
            else if (LABELS[s.label] === "unknown") assert.ok(UNKNOWN_WORDS.includes(word), s.text);
            else assert.strictEqual(word, LABELS[s.label]);
            // 0 to 1.5 s of background; longer with a word before the window (its gap + 1.3 s).
            assert.ok(s.warmupMs % 20 === 0 && s.warmupMs <= (s.preceding ? s.preceding.gapMs + 1300 : 1500), JSON.stringify(s));
        }
    });

    it("another word before the window in about 30% of training examples of every class, none held out", () => {
        for (let label = 0; label < LABELS.length; label++) {
            const specs = Array.from({ length: 300 }, (_, i) => exampleSpec(1, "train", label, i));
            const preceded = specs.filter((s) => s.preceding);
            assert.ok(preceded.length > 0.22 * 300 && preceded.length < 0.38 * 300, `${LABELS[label]}: ${preceded.length} of 300`);
            for (const s of preceded) {
                const p = s.preceding!;
                assert.ok(["yes", "no", ...UNKNOWN_WORDS].includes(p.text.replace(/[!?.]$/, "")), p.text);
                assert.ok(p.gapMs >= 200 && p.gapMs <= 3000 && s.warmupMs >= p.gapMs + 1300, JSON.stringify(s));
            }
            for (let i = 0; i < 50; i++) assert.strictEqual(exampleSpec(1, "test", label, i).preceding, undefined);
        }
        // Rendered: the word is heard in the warm-up, ending gapMs before the window; the window
        // itself is what it would be without it (no background, so only the words are heard).
        const spec = { ...exampleSpec(1, "train", 0, 0), background: "none" as const, backgroundSteps: undefined,
            warmupMs: 2500, preceding: { text: "no", accent: "en-us", variant: "", pitch: 50, speed: 160, peakDb: -6, gapMs: 1000 } };
        const audio = renderExample(spec);
        const energy = (fromMs: number, toMs: number) => {
            let e = 0;
            for (let i = fromMs * 16; i < toMs * 16; i++) e += Math.abs(audio.readInt16LE(2 * i));
            return e;
        };
        assert.ok(energy(0, 1500) > 0, "the word before the window");
        assert.strictEqual(energy(1500, 2500 + 990), 0, "silence from its end to the end of the window");
        assert.ok(renderExample({ ...spec, preceding: undefined }).equals(Buffer.alloc(audio.length)));
    });

    it("deterministic: a smaller dataset is a subset of a larger one with the same seed", () => {
        const small = datasetSpecs({ train: 3, test: 1, seed: 5 });
        const large = datasetSpecs({ train: 6, test: 2, seed: 5 });
        const key = (s: any) => JSON.stringify(s);
        for (const s of small) assert.ok(large.some((l) => key(l) === key(s)), key(s));
        assert.notDeepStrictEqual(datasetSpecs({ train: 3, test: 1, seed: 6 }), small);
    });

    it("espeak-ng + sox: 16 kHz speech, the same samples every time", () => {
        const a = synthesize("yes", "en-gb-scotland", "klatt3", 60, 150);
        const b = synthesize("yes", "en-gb-scotland", "klatt3", 60, 150);
        assert.deepStrictEqual(Buffer.from(a.buffer), Buffer.from(b.buffer));
        const word = trimSpeech(a);
        // A spoken "yes" lasts a few hundred milliseconds.
        assert.ok(word.length > 0.15 * 16000 && word.length < 0.9 * 16000, "samples: " + word.length);
    });

    it("renders warm-up + 1 s: the word at its peak level, centred or partly outside the window, over its background", () => {
        const spec = { ...exampleSpec(1, "train", 2, 0), background: "none" as const, warmupMs: 200, peakDb: -6, position: 0.5 };
        const audio = renderExample(spec);
        const warm = 200 * 16;
        assert.strictEqual(audio.length, 2 * (warm + EXAMPLE_SAMPLES));
        let peak = 0, first = -1, last = -1;
        for (let i = 0; i < audio.length / 2; i++) {
            const v = Math.abs(audio.readInt16LE(2 * i));
            if (v > peak) peak = v;
            if (v > 0) { if (first < 0) first = i; last = i; }
        }
        assert.ok(Math.abs(20 * Math.log10(peak / 32767) + 6) < 0.1, "peak " + peak);
        assert.ok(first >= warm && last < warm + EXAMPLE_SAMPLES, first + ".." + last);
        // At the ends, up to 45% of the word lies outside the window (before it: in the warm-up).
        const early = renderExample({ ...spec, position: 0 });
        let firstEarly = -1;
        for (let i = 0; i < early.length / 2 && firstEarly < 0; i++) if (early.readInt16LE(2 * i) !== 0) firstEarly = i;
        assert.ok(firstEarly < warm && firstEarly > warm - 0.5 * 0.9 * 16000, "starts at " + firstEarly);
        // Centred: as much room before as after (position 0.5), to a few samples.
        const word = trimSpeech(synthesize(spec.text, spec.accent, spec.variant, spec.pitch, spec.speed));
        const start = warm + Math.floor(0.5 * (EXAMPLE_SAMPLES - word.length));
        assert.ok(Math.abs(first - start) < 400, first + " vs " + start);
        // With the noise background, the warm-up holds the noise.
        const noisy = renderExample({ ...spec, background: "noise", backgroundDb: 0 });
        let energy = 0;
        for (let i = 0; i < warm; i++) energy += Math.abs(noisy.readInt16LE(2 * i));
        assert.ok(energy / warm > 500);
    });

    it("silence, and words in training: about half the examples with a background change its level suddenly (a noise starting or stopping)", () => {
        const specs = Array.from({ length: 200 }, (_, i) => exampleSpec(1, "train", 0, i));
        for (let label = 1; label < LABELS.length; label++) for (let i = 0; i < 200; i++) specs.push(exampleSpec(1, "train", label, i));
        for (let label = 0; label < LABELS.length; label++) {
            const withBackground = specs.filter((s) => s.label === label && s.background !== "none");
            const stepped = withBackground.filter((s) => s.backgroundSteps!.length);
            assert.ok(stepped.length > 0.35 * withBackground.length && stepped.length < 0.65 * withBackground.length, `${LABELS[label]}: ${stepped.length} of ${withBackground.length}`);
        }
        assert.ok(specs.every((s) => s.background !== "none" || !s.backgroundSteps));
        for (const s of specs) for (const step of s.backgroundSteps || []) {
            // Within the second before the window or in it.
            assert.ok(step.atMs >= 0 && step.atMs >= s.warmupMs - 1000 && step.atMs <= s.warmupMs + 990, JSON.stringify(s));
            assert.ok(s.background === "noise" ? step.db >= -40 && step.db <= 3 : step.db >= 0 && step.db <= 30);
        }
        // Held-out words never: their specs are those every earlier model was measured on.
        for (let label = 1; label < LABELS.length; label++)
            for (let i = 0; i < 20; i++) assert.strictEqual(exampleSpec(1, "test", label, i).backgroundSteps, undefined);
        // Rendering: the room background at +0 dB, 20 dB louder from 300 ms on.
        const spec = { ...specs[0], background: "room" as const, backgroundDb: 0, warmupMs: 0, backgroundStart: 0, backgroundSteps: [{ atMs: 300, db: 20 }] };
        const audio = renderExample(spec);
        const plain = renderExample({ ...spec, backgroundSteps: [] });
        for (const i of [100, 4799, 4800, 9000]) {
            const gain = i >= 4800 ? 10 : 1;
            assert.ok(Math.abs(audio.readInt16LE(2 * i) - Math.max(-32768, Math.min(32767, plain.readInt16LE(2 * i) * gain))) <= 5, "sample " + i);
        }
    });

    it("features: the last 49 frames of the library's front end streamed over the warm-up and the window", () => {
        const spec = exampleSpec(2, "test", 3, 1);
        const audio = renderExample(spec);
        const tflite = loadTflite();
        const all = clipFeatures(audio, Infinity, new tflite.StsInterpreter(frontEndModel()));
        const frames = Math.floor((audio.length / 2 - WINDOW_SAMPLES) / STRIDE_SAMPLES) + 1;
        assert.strictEqual(all.length, frames * 40);
        assert.ok(frames >= FRAMES);
        assert.ok(streamFeatures(audio).equals(all.subarray(all.length - EXAMPLE_BYTES)));
        // The front end starts afresh for every example.
        assert.ok(streamFeatures(audio).equals(all.subarray(all.length - EXAMPLE_BYTES)));
    });

    it("makeDataset writes features.bin and examples.json, the same bytes twice", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "speech-data-"));
        try {
            const a = makeDataset({ out: path.join(dir, "a"), train: 2, test: 1, seed: 9, wav: 1 });
            const b = makeDataset({ out: path.join(dir, "b"), train: 2, test: 1, seed: 9 });
            assert.strictEqual(a.examples.length, 12);
            assert.ok(a.features.equals(b.features));
            const loaded = loadDataset(path.join(dir, "a"));
            assert.deepStrictEqual(loaded.examples, a.examples);
            assert.ok(loaded.features.equals(a.features));
            assert.strictEqual(fs.readdirSync(path.join(dir, "a", "wav")).length, 8);
            // Speech examples differ from one another.
            assert.ok(!a.features.subarray(10 * EXAMPLE_BYTES, 11 * EXAMPLE_BYTES).equals(a.features.subarray(11 * EXAMPLE_BYTES, 12 * EXAMPLE_BYTES)));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
