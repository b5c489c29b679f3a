// The keyword model's benchmark: accuracy on held-out synthetic voices, the real clips of
// ../shared/audio, false accepts per hour of noise and of silence through the library's
// streaming recognizer, and the real-time budget on the micro:bit's Cortex-M4 (instructions per
// 20 ms frame of the front end and per invoke of the model, counted on QEMU with the C kernels).
//
//   node built/tools/speech-bench.js [--model models/keyword.tflite] [--data built/speech-data]
//        [--minutes 10] [--seed 1] [--no-native]
//
// False accepts are counted over --minutes of each background and scaled to an hour: an hour
// of audio takes several minutes in Node.
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { clipFeatures, FEATURES_PER_FRAME, FRAMES, loadSpeech, scaleAudio, seededRandom, sharedClip } from "../node/speech";
import { frontEndModel } from "../node/speech-frontend";
import { loadTflite } from "../node/sts-runtime";
import { makeKernels, NATIVE_BUILT, REPO } from "../node/replay";
import { timeVariant } from "./native-bench";
import { Dataset, DEFAULT_DATA_DIR, EXAMPLE_BYTES, LABELS, loadDataset, makeDataset, argValue } from "./make-speech-data";
import { KEYWORD_FILE, modelLabels } from "./speech-models";
import { classifyClip, classifyFeatures, DATASET_SIZE, evaluateSplit, formatConfusion, REAL_CLIPS, splitIndices } from "./train-speech";

export interface Heard { word: string; timeMs: number; score: number }

/** A KeywordSpotter of the speech library with our front end and `model`, as the blocks make it. */
export function spotterFor(model: Buffer): any {
    const speech = loadSpeech();
    return new speech.KeywordSpotter(speech.frontEndModel(), model, modelLabels(model));
}

/** Streams `audio` through a fresh spotter; the words it hears. */
export function hear(model: Buffer, audio: Buffer): Heard[] {
    const s = spotterFor(model);
    const heard: Heard[] = [];
    s.onWord = (label: number, score: number, timeMs: number) => heard.push({ word: s.labels[label], timeMs, score });
    s.feed(audio);
    return heard;
}

/**
 * Words heard in `minutes` of a clip looped with a random gain per loop (dB uniform in
 * [loDb, hiDb]), streamed through one spotter.
 */
export function falseAccepts(model: Buffer, clip: string, minutes: number, loDb: number, hiDb: number, seed: number): { heard: Heard[]; seconds: number } {
    const s = spotterFor(model);
    const heard: Heard[] = [];
    s.onWord = (label: number, score: number, timeMs: number) => heard.push({ word: s.labels[label], timeMs, score });
    const random = seededRandom(seed);
    const base = sharedClip(clip);
    const loops = Math.round(minutes * 60 * 16000 * 2 / base.length);
    for (let i = 0; i < loops; i++) s.feed(scaleAudio(base, Math.pow(10, (loDb + (hiDb - loDb) * random()) / 20)));
    return { heard, seconds: loops * base.length / 32000 };
}

// ---------------------------------------------------------------------------------------------
// Real time: instructions on the emulated Cortex-M4, as tools/native-bench.ts counts them.

/** 64 MHz: instructions in 20 ms at one instruction per cycle. */
const CORE_PER_FRAME = 64e6 * 0.02;

/**
 * Records our two models as conformance cases (the front end streamed over yes_1000ms, the
 * keyword model on its features; outputs from the STS interpreter) in a manifest of their own,
 * with node/replay.ts's recorder (in a child process: it reads the manifest from
 * PXT_TINYML_SHARED), and replays them with the C kernels on QEMU's Cortex-M4 (kernels/Makefile,
 * mps2-an386, -icount shift=0: 1 ns per instruction, 40 per timer tick), every call checked byte
 * for byte while timed, as tools/native-bench.ts does. Returns mean instructions per invoke of each.
 */
export function nativeInstructions(model: Buffer): { frontEnd: number; keyword: number } {
    const dir = path.join(NATIVE_BUILT, "speech");
    const shared = path.join(dir, "shared");
    fs.mkdirSync(path.join(shared, "conformance", "models"), { recursive: true });
    const tflite = require("../node/sts-runtime").loadTflite();
    const fe = frontEndModel();
    const audio = sharedClip("yes_1000ms");
    // Every frame of the clip (the front end streamed), and the model's window: the first FRAMES.
    const frames = clipFeatures(audio, Infinity, new tflite.StsInterpreter(fe));
    const feats = frames.subarray(0, FRAMES * FEATURES_PER_FRAME);
    const kwIp = new tflite.StsInterpreter(model);
    kwIp.setInputBytes(0, feats);
    kwIp.invoke();
    const put = (name: string, b: Buffer) => fs.writeFileSync(path.join(shared, name), b);
    put("keyword_frontend.tflite", fe);
    put("keyword.tflite", model);
    put("audio.bin", audio);
    put("frontend.out", frames);
    put("features.bin", feats);
    put("keyword.out", Buffer.from(kwIp.outputBytes(0)));
    const manifest = {
        cases: [
            { model: "keyword_frontend.tflite", case: "yes_1000ms", inputs: ["audio.bin"], output: "frontend.out", outputs: [{ type: "INT8", shape: [FEATURES_PER_FRAME] }], stream_stride_bytes: 640 },
            { model: "keyword.tflite", case: "yes_features", inputs: ["features.bin"], output: "keyword.out", outputs: [{ type: "INT8", shape: [1, LABELS.length] }], stream_stride_bytes: null },
        ],
    };
    fs.writeFileSync(path.join(shared, "conformance", "models", "manifest.json"), JSON.stringify(manifest));
    const recording = path.join(dir, "speech.replay");
    childProcess.execFileSync(process.execPath, ["-e", `require(${JSON.stringify(path.join(REPO, "built", "node", "replay.js"))}).recordConformance(${JSON.stringify(recording)})`],
        { env: { ...process.env, PXT_TINYML_SHARED: shared }, stdio: ["ignore", "ignore", "inherit"] });
    // The default M4 build (the DSP path) at -O2, as micro:bit firmware is built.
    makeKernels(["m4"], ["ARM_OPT=-O2", "OUT=" + path.join(dir, "m4-O2")]);
    const t = timeVariant(path.join("speech", "m4-O2", "harness-m4.elf"), recording);
    if (!t.ok) throw new Error("speech-bench: the C kernels did not replay our models byte for byte; no timing");
    const mean = (model: string) => {
        const v = t.perModel.get(model);
        if (v === undefined) throw new Error("speech-bench: the replay printed no timings for " + model);
        return v;
    };
    return { frontEnd: mean("keyword_frontend"), keyword: mean("keyword") };
}

/** The real-time table for an invoke every `invokeEvery` frames. */
export function realTimeTable(n: { frontEnd: number; keyword: number }, invokeEvery = 5): string {
    const perFrame = n.frontEnd + n.keyword / invokeEvery;
    const fmt = (v: number) => Math.round(v).toLocaleString("en-US");
    return [
        "| emulated Cortex-M4, C kernels -O2 | instructions |",
        "|---|---:|",
        `| front end, per 20 ms frame | ${fmt(n.frontEnd)} |`,
        `| keyword model, per invoke | ${fmt(n.keyword)} |`,
        `| average per 20 ms, an invoke every ${invokeEvery * 20} ms | ${fmt(perFrame)} (${(100 * perFrame / CORE_PER_FRAME).toFixed(1)}% of a 64 MHz core; goal <= 640,000, 50%) |`,
    ].join("\n");
}

/** Minutes of each background the bench streams by default (Node streams about 40x real time). */
const DEFAULT_MINUTES = 10;

/**
 * The held-out voices: `dir`'s dataset if given, else train-speech's (built/speech-data) when it
 * has been made, else the test split alone, generated once into built/speech-data-test (the same
 * examples: each comes from its own seed).
 */
export function heldOutData(dir: string): Dataset {
    if (dir) return loadDataset(path.resolve(dir));
    if (fs.existsSync(path.join(DEFAULT_DATA_DIR, "examples.json"))) {
        const ds = loadDataset(DEFAULT_DATA_DIR);
        if (ds.examples.filter((x) => x.split === "test").length >= LABELS.length * DATASET_SIZE.test) return ds;
    }
    const testDir = DEFAULT_DATA_DIR + "-test";
    if (fs.existsSync(path.join(testDir, "examples.json"))) return loadDataset(testDir);
    console.log(`(generating the ${DATASET_SIZE.test} held-out examples per class into ${path.relative(process.cwd(), testDir)})`);
    return makeDataset({ out: testDir, train: 0, test: DATASET_SIZE.test, seed: DATASET_SIZE.seed });
}

/**
 * Held-out errors grouped by what the examples were made of: background and its level, where the
 * word lies in the window (within 15% of either edge: partly outside it), the speech's level, the
 * accent. Each group: "name: wrong/total".
 */
export function errorBreakdown(model: Buffer, ds: Dataset): { [group: string]: string } {
    const ip = new (loadTflite().StsInterpreter)(model);
    const groups: { [group: string]: Map<string, [number, number]> } = {};
    const count = (group: string, key: string, wrong: boolean) => {
        const m = groups[group] || (groups[group] = new Map());
        const v = m.get(key) || [0, 0];
        v[0] += wrong ? 1 : 0;
        v[1]++;
        m.set(key, v);
    };
    for (const i of splitIndices(ds, "test")) {
        const e = ds.examples[i];
        const wrong = classifyFeatures(ip, ds.features, i * EXAMPLE_BYTES).label !== e.label;
        const loud = e.background === "noise" ? e.backgroundDb > -10 : e.backgroundDb > 20;
        count("background", e.background === "none" ? "none" : `${e.background} ${loud ? "loud" : "quiet"}`, wrong);
        if (e.text) count("word position", e.position < 0.15 ? "at the start" : e.position > 0.85 ? "at the end" : "inside", wrong);
        if (e.text) count("speech level", e.peakDb < -14 ? "faint (< -14 dB)" : e.peakDb < -7 ? "-14..-7 dB" : "loud (> -7 dB)", wrong);
        count("accent", e.accent, wrong);
    }
    const res: { [group: string]: string } = {};
    for (const g in groups) res[g] = [...groups[g]].map(([k, [w, n]]) => `${k} ${w}/${n}`).join(", ");
    return res;
}

function main() {
    const modelFile = path.resolve(argValue("--model", KEYWORD_FILE));
    const model = fs.readFileSync(modelFile);
    const minutes = Number(argValue("--minutes", String(DEFAULT_MINUTES)));
    const seed = Number(argValue("--seed", "1"));
    const pct = (x: number) => (100 * x).toFixed(1) + "%";
    console.log(`# keyword model ${path.relative(process.cwd(), modelFile)} (${model.length} bytes; labels ${modelLabels(model).join(", ")})\n`);

    console.log("## Held-out synthetic voices (int8, our interpreter)");
    const held = heldOutData(argValue("--data", ""));
    const e = evaluateSplit(model, held, "test");
    console.log(`accuracy ${pct(e.accuracy)} of ${e.total} examples (goal >= 92%)\n\n${formatConfusion(e)}\n`);
    const errors = errorBreakdown(model, held);
    console.log("wrong/examples by " + Object.keys(errors).map((g) => `${g}: ${errors[g]}`).join("\nby ") + "\n");

    console.log("## The real clips (../shared/audio)");
    console.log("| clip | expected | alone, as TFLM's test (fresh front end, 49 frames) | streamed between 1 s of silence: words heard | streamed right after 1 s of the noise clip | |");
    console.log("|---|---|---|---|---|---|");
    const silence = sharedClip("silence_1000ms");
    const noise = sharedClip("noise_1000ms");
    const list = (words: Heard[]) => words.map((w) => w.word + " at " + w.timeMs + " ms").join(", ") || "none";
    let right = 0;
    for (const c of REAL_CLIPS) {
        const r = classifyClip(model, c.clip);
        const words = hear(model, Buffer.concat([silence, sharedClip(c.clip), silence, silence]));
        // A noise that stops as the word starts leaves the front end's noise estimate high.
        const afterNoise = hear(model, Buffer.concat([noise, sharedClip(c.clip), silence, silence]));
        const expectedWords = JSON.stringify(c.label === "yes" || c.label === "no" ? [c.label] : []);
        const ok = r.label === c.label && JSON.stringify(words.map((w) => w.word)) === expectedWords &&
            JSON.stringify(afterNoise.map((w) => w.word)) === expectedWords;
        if (ok) right++;
        console.log(`| ${c.clip} | ${c.label} | ${r.label} (${r.scores.map((s) => s.toFixed(2)).join(" ")}) | ` +
            `${list(words)} | ${list(afterNoise)} | ${ok ? "right" : "WRONG"} |`);
    }
    console.log(`${right} of ${REAL_CLIPS.length} right\n`);

    console.log(`## False accepts (the streaming recognizer at the default sensitivity, ${minutes} min of each, scaled to an hour)`);
    console.log("| audio | yes/no heard | per hour | unknown heard |");
    console.log("|---|---:|---:|---:|");
    for (const [clip, lo, hi, what] of [["noise_1000ms", -30, 6, "noise clip looped, gain -30..+6 dB per loop"],
        ["silence_1000ms", 0, 30, "room silence looped, gain 0..+30 dB per loop"]] as [string, number, number, string][]) {
        const { heard, seconds } = falseAccepts(model, clip, minutes, lo, hi, seed);
        const keywords = heard.filter((h) => h.word === "yes" || h.word === "no").length;
        console.log(`| ${what} | ${keywords} | ${(keywords * 3600 / seconds).toFixed(2)} | ${heard.length - keywords} |`);
    }
    console.log("(goal <= 2 per hour)\n");

    console.log("## Real time on the micro:bit v2 (64 MHz Cortex-M4)");
    if (process.argv.includes("--no-native")) console.log("skipped (--no-native)");
    else {
        try {
            console.log(realTimeTable(nativeInstructions(model)));
        } catch (e: any) {
            console.log("could not count instructions (needs gcc-arm-none-eabi, qemu-system-arm: tools/debian-packages.txt): " + (e.message || e));
        }
    }
}

if (require.main === module) main();
