// libs/speech streaming in Node: the KeywordSpotter (front end -> ring of feature frames ->
// keyword model every 5 frames -> recognizer) and the blocks, on the real clips of ../shared/audio
// alone, in sequences with silence and noise, and on long stretches of noise and silence. The
// keyword model is TFLM's micro_speech_quantized.tflite (read from ../shared, not embedded).
import * as assert from "assert";
import * as vm from "vm";
import { clipSource } from "../tools/speech-models";
import { sharedPath } from "../node/conformance";
import { loadTflite } from "../node/sts-runtime";
import {
    clipFeatures, FEATURES_PER_FRAME, FRAMES, loadSpeech, MICRO_SPEECH_LABELS, MICRO_SPEECH_MODEL, readShared, scaleAudio, seededRandom, sharedClip,
} from "../node/speech";

const speech = loadSpeech();
const MODEL = readShared(MICRO_SPEECH_MODEL);
const CLIP_MS = 1000;

interface Heard { word: string; timeMs: number; score: number }

function spotter(): any {
    return new speech.KeywordSpotter(speech.frontEndModel(), MODEL, MICRO_SPEECH_LABELS);
}

/** Feeds `audio` to a fresh spotter (in `chunk`-byte pieces if given); the words it heard. */
function listen(audio: Buffer, chunk = 0, s = spotter()): Heard[] {
    const heard: Heard[] = [];
    s.onWord = (label: number, score: number, timeMs: number) => heard.push({ word: s.labels[label], timeMs, score });
    if (chunk) for (let i = 0; i < audio.length; i += chunk) s.feed(audio, i, Math.min(i + chunk, audio.length));
    else s.feed(audio);
    return heard;
}

const clips = (names: string[]) => Buffer.concat(names.map((n) => sharedClip(n + "_1000ms")));

/** The spotter's frames oldest first, as the model sees them. */
function ringBytes(s: any): Buffer {
    const t = { bytes: FRAMES * FEATURES_PER_FRAME, data: Buffer.alloc(FRAMES * FEATURES_PER_FRAME), offset: 0, describe: () => "test" };
    s.features.copyTo(t);
    return t.data;
}

function throwsSpeech(f: () => any, pattern: RegExp) {
    assert.throws(f, (e: any) => typeof e === "string" && pattern.test(e), pattern.toString());
}

describe("speech KeywordSpotter (Node, real clips)", function () {
    this.timeout(120000);

    for (const clip of ["yes", "no", "silence", "noise"]) {
        it(`${clip}_1000ms: the spotter holds TFLM's 49 golden feature frames and the model gives TFLM's scores`, () => {
            const s = spotter();
            s.invokeEveryFrames = 1;
            s.feed(sharedClip(clip + "_1000ms"));
            assert.strictEqual(s.features.framesDone, FRAMES);
            assert.strictEqual(s.invokes, 1);
            const golden = readShared(`conformance/models/audio_preprocessor_int8/${clip}_1000ms.output.bin`);
            assert.strictEqual(ringBytes(s).toString("hex"), golden.toString("hex"));
            const scores = readShared(`conformance/models/micro_speech_quantized/${clip}_features.output.bin`);
            assert.strictEqual(Buffer.from(s.lastScores).toString("hex"), scores.toString("hex"));
        });
    }

    it("the frames slide: after 2 s the spotter holds the last 49, oldest first", () => {
        const audio = clips(["noise", "yes"]);
        const s = spotter();
        s.feed(audio);
        // A fresh front end over the whole stream gives every frame; the spotter keeps the last 49.
        const all = clipFeatures(audio, Infinity, new (loadTflite().StsInterpreter)(speech.frontEndModel()));
        assert.strictEqual(all.length, 99 * FEATURES_PER_FRAME);
        assert.strictEqual(s.features.framesDone, 99);
        const expected = all.subarray((99 - FRAMES) * FEATURES_PER_FRAME);
        assert.strictEqual(ringBytes(s).toString("hex"), expected.toString("hex"));
    });

    it("stream time: the end of the newest frame's 30 ms window; the model runs on the first full ring, then every 5 frames", () => {
        const s = spotter();
        assert.strictEqual(s.timeMs(), 0);
        s.feed(Buffer.alloc(960));
        assert.strictEqual(s.timeMs(), 30);
        s.feed(Buffer.alloc(640 * 47 + 638));
        assert.strictEqual(s.features.framesDone, 48);
        assert.strictEqual(s.timeMs(), 970);
        assert.strictEqual(s.invokes, 0);
        s.feed(Buffer.alloc(2));
        assert.strictEqual(s.timeMs(), 990);
        assert.strictEqual(s.invokes, 1);
        s.feed(Buffer.alloc(640 * 4));
        assert.strictEqual(s.invokes, 1);
        s.feed(Buffer.alloc(640));
        assert.strictEqual(s.invokes, 2);
        s.feed(Buffer.alloc(640 * 10));
        assert.strictEqual(s.invokes, 4);
    });

    it("hears yes and no between silences, each once, after its clip starts and within 1 s of its end", () => {
        const names = ["silence", "yes", "silence", "no", "silence"];
        const heard = listen(clips(names));
        assert.deepStrictEqual(heard.map((h) => h.word), ["yes", "no"]);
        const check = (h: Heard, index: number) => {
            assert.ok(h.timeMs > index * CLIP_MS && h.timeMs <= (index + 2) * CLIP_MS, JSON.stringify(h));
            assert.ok(h.score > 200 && h.score <= 255, JSON.stringify(h));
        };
        check(heard[0], names.indexOf("yes"));
        check(heard[1], names.indexOf("no"));
    });

    it("the same words at the same times whatever the size of the pieces the audio comes in", () => {
        const audio = clips(["silence", "no", "silence", "yes", "silence"]);
        const whole = listen(audio);
        assert.deepStrictEqual(whole.map((h) => h.word), ["no", "yes"]);
        for (const chunk of [2, 320, 640, 1000, 4096]) assert.deepStrictEqual(listen(audio, chunk), whole, "chunks of " + chunk + " bytes");
    });

    it("hears nothing in 20 s of the noise clip looped at random gains (x0.25 to x2), nor in 20 s of silence", () => {
        const random = seededRandom(7);
        const noise: Buffer[] = [];
        const silence: Buffer[] = [];
        for (let i = 0; i < 20; i++) {
            noise.push(scaleAudio(sharedClip("noise_1000ms"), 0.25 + 1.75 * random()));
            silence.push(scaleAudio(sharedClip("silence_1000ms"), 0.25 + 1.75 * random()));
        }
        const s = spotter();
        assert.deepStrictEqual(listen(Buffer.concat(noise), 0, s), []);
        assert.ok(s.invokes > 180, "invokes: " + s.invokes);
        assert.deepStrictEqual(listen(Buffer.concat(silence)), []);
    });

    it("reset starts a new stream: the same audio gives the same words again", () => {
        const s = spotter();
        const audio = clips(["silence", "yes", "silence"]);
        const first = listen(audio, 0, s);
        s.reset();
        assert.strictEqual(s.timeMs(), 0);
        assert.strictEqual(s.lastWord, -1);
        assert.deepStrictEqual(listen(audio, 0, s), first);
    });

    it("errors: odd byte counts, a bad range, models that do not fit together", () => {
        const s = spotter();
        throwsSpeech(() => s.feed(Buffer.alloc(3)), /^speech: audio must be 16-bit samples: got an odd number of bytes \(3\)$/);
        throwsSpeech(() => s.feed(Buffer.alloc(4), 2, 6), /^speech: no bytes 2 to 6 in 4 bytes of audio$/);
        throwsSpeech(() => new speech.KeywordSpotter(speech.frontEndModel(), MODEL, ["yes", "no"]),
            /^speech: the keyword model must give 2 int8 scores \(one per label\)/);
        throwsSpeech(() => new speech.KeywordSpotter(MODEL, MODEL, MICRO_SPEECH_LABELS),
            /^speech: the front end model must take one int16 input \(audio samples\)/);
        throwsSpeech(() => new speech.KeywordSpotter(speech.frontEndModel(), speech.frontEndModel(), MICRO_SPEECH_LABELS),
            /^speech: the keyword model must take int8 features/);
    });
});

describe("speech blocks (Node)", function () {
    this.timeout(120000);
    let lib: any;

    beforeEach(() => {
        lib = loadSpeech(true);
    });

    it("on word heard runs the word's handlers; last word heard and its time follow", () => {
        const g = globalThis as any;
        lib.useModel(MODEL, MICRO_SPEECH_LABELS);
        const log: string[] = [];
        lib.onWordHeard(g.SpeechWord.Yes, () => log.push("yes " + lib.lastWordHeard() + " " + lib.lastWordTime()));
        lib.onWordHeard(g.SpeechWord.No, () => log.push("no " + lib.lastWordHeard() + " " + lib.lastWordTime()));
        assert.strictEqual(lib.lastWordHeard(), "");
        const audio = clips(["silence", "yes", "silence", "no", "silence"]);
        lib.hearAudio(audio);
        const expected = listen(audio).map((h) => h.word + " " + h.word + " " + h.timeMs);
        assert.deepStrictEqual(log, expected);
        assert.strictEqual(lib.lastWordHeard(), "no");
    });

    it("certainty is the word's average score over the last second, in percent", () => {
        const g = globalThis as any;
        lib.useModel(MODEL, MICRO_SPEECH_LABELS);
        lib.hearAudio(clips(["silence", "yes"]));
        lib.hearAudio(Buffer.alloc(2 * 4800));
        const averages = lib.listener().recognizer.averages;
        assert.strictEqual(lib.certainty(g.SpeechWord.Yes), Math.round(averages[2] * 100 / 255));
        assert.ok(lib.certainty(g.SpeechWord.Yes) > 50, "yes: " + lib.certainty(g.SpeechWord.Yes));
        assert.ok(lib.certainty(g.SpeechWord.No) < 20, "no: " + lib.certainty(g.SpeechWord.No));
    });

    it("sensitivity sets the threshold (50 -> 200 as TFLM; 0 hears nothing)", () => {
        assert.strictEqual(lib.thresholdForSensitivity(50), 200);
        assert.strictEqual(lib.thresholdForSensitivity(100), 145);
        assert.strictEqual(lib.thresholdForSensitivity(0), 255);
        const g = globalThis as any;
        lib.useModel(MODEL, MICRO_SPEECH_LABELS);
        let count = 0;
        lib.onWordHeard(g.SpeechWord.Yes, () => count++);
        lib.setSensitivity(0);
        assert.strictEqual(lib.listener().recognizer.detectionThreshold, 255);
        lib.hearAudio(clips(["silence", "yes", "silence"]));
        assert.strictEqual(count, 0);
        lib.setSensitivity(150);
        assert.strictEqual(lib.listener().recognizer.detectionThreshold, 145);
    });

    it("errors: useModel after listening started; a model without the word", () => {
        lib.useModel(MODEL, MICRO_SPEECH_LABELS);
        lib.hearAudio(Buffer.alloc(640));
        throwsSpeech(() => lib.useModel(MODEL, MICRO_SPEECH_LABELS), /^speech: useModel must come before the other speech blocks$/);
        lib = loadSpeech(true);
        lib.useModel(MODEL, ["silence", "unknown", "oui", "non"]);
        throwsSpeech(() => lib.certainty((globalThis as any).SpeechWord.Yes), /^speech: the keyword model has no label 'yes'$/);
    });
});

describe("recorded clips as STS source (speech-models --wav)", () => {
    it("a WAV becomes `const name = hex`...`` holding its samples", () => {
        loadSpeech();
        const source = clipSource(sharedPath("audio/yes_30ms.wav"));
        assert.match(source, /^\/\/ yes_30ms.wav: 480 samples at 16 kHz \(30 ms\)\nconst yes30ms = hex`\n/);
        const clip = vm.runInThisContext(source.replace("const yes30ms = ", "(") + ")");
        assert.ok(Buffer.from(clip).equals(sharedClip("yes_30ms")));
    });
});
