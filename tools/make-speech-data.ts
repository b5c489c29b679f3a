// Synthetic speech for the keyword model: "yes", "no", other words ("unknown") and background
// only ("silence"), spoken by espeak-ng in 8 English accents x its 101 voice variants (and the
// plain voice), at random pitch and speed, resampled to 16 kHz by sox, placed at a random time in
// a 1 s window, scaled, and mixed with the real background clips of ../shared/audio (noise, room
// silence) at random levels, which change suddenly in half the silence examples and in half the
// training words (a noise starting or stopping). Each example's features are what the speech
// library's front end (models/keyword_frontend.tflite, run by our interpreter) makes of it while
// streaming: it first hears a random 0 to 1.5 s of the same background, so that its noise
// estimate has adapted as it would have on the board; the last 49 frames are the example.
//
// Deterministic: every example comes from its own seed (the dataset seed, its split, class and
// number), so a smaller dataset is a subset of a larger one. Held-out voices: every 7th voice
// variant is only ever used for the test split.
//
//   node built/tools/make-speech-data.js [--out built/speech-data] [--train 1200] [--test 300] [--seed 1]
//        [--wav N]   also write the first N examples of each class and split as WAV files (to listen)
//
// Output: <out>/features.bin (49 x 40 int8 per example, in order) and <out>/examples.json (one
// description per example: label, split, word, voice, pitch, speed, levels...).
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { frontEndModel } from "../node/speech-frontend";
import { FEATURES_PER_FRAME, FRAMES, SAMPLE_RATE, STRIDE_SAMPLES, WINDOW_SAMPLES, seededRandom, sharedClip, wavBytes } from "../node/speech";
import { loadTflite } from "../node/sts-runtime";

export const LABELS = ["silence", "unknown", "yes", "no"];
export const SILENCE = 0;
export const UNKNOWN = 1;

/** espeak-ng's English accents. */
export const ACCENTS = ["en-gb", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"];

/**
 * Words for the unknown class: common short words, several close to "yes" (yet, mess, guess...)
 * or "no" (nose, snow, go...). Not "know" (it sounds as "no") nor "yeah" (it means yes).
 */
export const UNKNOWN_WORDS = [
    "left", "right", "up", "down", "go", "stop", "on", "off", "one", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "zero", "bed", "bird", "cat", "dog", "happy", "house", "tree", "wow", "learn", "follow",
    "forward", "backward", "yet", "yellow", "mess", "less", "guess", "chess", "nose", "note", "snow", "now", "new",
    "noon", "yesterday", "nothing", "never", "music", "hello", "maybe",
];

/** Spoken forms: punctuation changes espeak's intonation (statement, exclamation, question). */
const ENDINGS = ["", "!", "?", "."];

export const EXAMPLE_SAMPLES = FRAMES * STRIDE_SAMPLES + (WINDOW_SAMPLES - STRIDE_SAMPLES); // 15840: 49 frames
export const EXAMPLE_BYTES = FRAMES * FEATURES_PER_FRAME;

export type Background = "noise" | "room" | "none";

/** The largest share of a word that may fall outside the 1 s window. */
export const CUT_FRACTION = 0.45;

export interface ExampleSpec {
    label: number;
    split: "train" | "test";
    /** Text spoken ("" for silence). */
    text: string;
    accent: string;
    /** espeak-ng voice variant ("" for the plain voice). */
    variant: string;
    /** espeak-ng pitch (0..99, 50 default) and speed (words per minute). */
    pitch: number;
    speed: number;
    /** Peak level of the speech, dB below full scale. */
    peakDb: number;
    /** Where the speech starts in the 1 s window: a fraction of the time the speech leaves free. */
    position: number;
    background: Background;
    /** Background gain in dB relative to its recording. */
    backgroundDb: number;
    /** Background heard before the window, ms (a multiple of 20). */
    warmupMs: number;
    /** Where the looped background starts in its clip, samples. */
    backgroundStart: number;
    /**
     * Silence, and words in the training split: sudden changes of the background's level (from `atMs` of the audio on, its
     * gain is `db`), as when a noise starts or stops. Without them, a model takes the front end's
     * response to a noise growing louder (it adapts within about a second) for a word.
     */
    backgroundSteps?: { atMs: number; db: number }[];
    /**
     * Training split only, a share of every class: another word heard before the window, ending
     * `gapMs` (0.2 to 3 s) before it. A word raises the front end's noise estimate, which takes
     * seconds to fall back, so the next word's features differ from those after background
     * alone: a model trained only on words after background took the real "no", heard 2 s of
     * room silence after the real "yes", for "unknown".
     */
    preceding?: { text: string; accent: string; variant: string; pitch: number; speed: number; peakDb: number; gapMs: number };
}

/** The share of training examples with another word before the window (`ExampleSpec.preceding`). */
export const PRECEDING_SHARE = 0.3;

let variantCache: string[] | null = null;

/** espeak-ng's voice variants (the files of its voices/!v folder), sorted. */
export function listVariants(): string[] {
    if (variantCache) return variantCache;
    const out = childProcess.execFileSync("espeak-ng", ["--voices=variant"], { encoding: "utf8" });
    const names: string[] = [];
    for (const line of out.split("\n").slice(1)) {
        const m = /!v\/(\S+)/.exec(line);
        if (m) names.push(m[1]);
    }
    if (names.length === 0) throw new Error("espeak-ng lists no voice variants (is espeak-ng installed? see tools/debian-packages.txt)");
    variantCache = names.sort();
    return variantCache;
}

/** Voices for each split: every 7th variant is held out for testing; the plain voice trains. */
export function splitVariants(variants = listVariants()): { train: string[]; test: string[] } {
    const train: string[] = [""];
    const test: string[] = [];
    variants.forEach((v, i) => (i % 7 === 3 ? test : train).push(v));
    return { train, test };
}

function hashSeed(...parts: (number | string)[]): number {
    let h = 2166136261;
    for (const ch of parts.join("/")) {
        h ^= ch.charCodeAt(0);
        h = Math.imul(h, 16777619);
    }
    return h >>> 0;
}

/** The description of example `index` of class `label` in `split`: all its random choices. */
export function exampleSpec(seed: number, split: "train" | "test", label: number, index: number): ExampleSpec {
    const random = seededRandom(hashSeed(seed, split, label, index));
    const pick = <T>(a: T[]) => a[Math.floor(random() * a.length)];
    const uniform = (lo: number, hi: number) => lo + (hi - lo) * random();
    const voices = splitVariants()[split];
    const word = label === SILENCE ? "" : label === UNKNOWN ? pick(UNKNOWN_WORDS) : LABELS[label];
    const ending = pick(ENDINGS);
    // Backgrounds: the real noise clip, the real room silence, or none; gains from barely there
    // to louder than the recording (which is about as loud as the speech clips).
    const r = random();
    const background: Background = r < 0.5 ? "noise" : r < 0.85 ? "room" : "none";
    const backgroundDb = background === "noise" ? uniform(-40, 3) : background === "room" ? uniform(0, 30) : 0;
    const spec: ExampleSpec = {
        label, split,
        text: word ? word + ending : "",
        accent: pick(ACCENTS),
        variant: pick(voices),
        pitch: Math.round(uniform(15, 85)),
        speed: Math.round(uniform(110, 210)),
        peakDb: uniform(-20, -0.5),
        position: random(),
        background,
        backgroundDb,
        warmupMs: 20 * Math.floor(uniform(0, 76)),
        backgroundStart: Math.floor(random() * 16000),
    };
    if (split === "train") {
        const p = seededRandom(hashSeed(seed, split, label, index, "preceding"));
        if (p() < PRECEDING_SHARE) {
            const words = ["yes", "no", ...UNKNOWN_WORDS];
            const u = (lo: number, hi: number) => lo + (hi - lo) * p();
            spec.preceding = {
                text: words[Math.floor(p() * words.length)] + ENDINGS[Math.floor(p() * ENDINGS.length)],
                accent: ACCENTS[Math.floor(p() * ACCENTS.length)], variant: voices[Math.floor(p() * voices.length)],
                pitch: Math.round(u(15, 85)), speed: Math.round(u(110, 210)), peakDb: u(-20, -0.5), gapMs: 20 * Math.floor(u(10, 151)),
            };
            // Room for the word (under 1.2 s once trimmed) and its gap in the warm-up.
            spec.warmupMs = Math.max(spec.warmupMs, spec.preceding.gapMs + 1300);
        }
    }
    // Level steps: in silence examples of both splits; in word examples of the training split
    // only, so that the held-out examples stay those every earlier model was measured on.
    if (background !== "none" && (label === SILENCE || split === "train"))
        spec.backgroundSteps = backgroundSteps(seededRandom(hashSeed(seed, split, label, index, "steps")), spec);
    return spec;
}

/**
 * Level changes for half of the examples given some (their own random numbers, so that the other
 * choices stay as they were): one or two, within the second before the window or in it, each to a
 * level of the background's range. In silence a model must not take a noise starting for a word;
 * in words, a noise that stops as the word starts leaves the front end's noise estimate high and
 * the word fainter in its features: the real "no" clip right after a second of the noise clip was
 * missed by a model trained on words over steady backgrounds only.
 */
function backgroundSteps(random: () => number, spec: ExampleSpec): { atMs: number; db: number }[] {
    if (random() < 0.5) return [];
    const steps: { atMs: number; db: number }[] = [];
    const count = 1 + Math.floor(random() * 2);
    const [lo, hi] = spec.background === "noise" ? [-40, 3] : [0, 30];
    for (let i = 0; i < count; i++)
        steps.push({ atMs: Math.max(0, Math.round(spec.warmupMs - 1000 + random() * 1990)), db: lo + (hi - lo) * random() });
    return steps.sort((a, b) => a.atMs - b.atMs);
}

/** espeak-ng speaking `text`, resampled to 16 kHz mono 16-bit by sox: int16 samples. */
export function synthesize(text: string, accent: string, variant: string, pitch: number, speed: number): Int16Array {
    const voice = accent + (variant ? "+" + variant : "");
    const wav = childProcess.execFileSync("espeak-ng", ["-v", voice, "-p", String(pitch), "-s", String(speed), "--stdout", text], { maxBuffer: 64 << 20 });
    // -D: no dither, so that the same input always gives the same samples.
    const raw = childProcess.execFileSync("sox", ["-D", "-V1", "-v", "0.5", "-t", "wav", "-", "-t", "raw", "-r", String(SAMPLE_RATE), "-e", "signed-integer", "-b", "16", "-c", "1", "-"],
        { input: wav, maxBuffer: 64 << 20 });
    return new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
}

/** The samples from the first to the last above 2% of the peak, with 20 ms around. */
export function trimSpeech(s: Int16Array): Int16Array {
    let peak = 0;
    for (let i = 0; i < s.length; i++) peak = Math.max(peak, Math.abs(s[i]));
    if (peak === 0) return s.subarray(0, 0);
    const limit = peak * 0.02;
    let first = 0;
    let last = s.length - 1;
    while (Math.abs(s[first]) <= limit) first++;
    while (Math.abs(s[last]) <= limit) last--;
    const margin = SAMPLE_RATE / 50;
    return s.subarray(Math.max(0, first - margin), Math.min(s.length, last + 1 + margin));
}

let backgrounds: { [name: string]: Int16Array } | null = null;

function backgroundClip(b: Background): Int16Array | null {
    if (!backgrounds) {
        const load = (name: string) => {
            const buf = sharedClip(name);
            return new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
        };
        backgrounds = { noise: load("noise_1000ms"), room: load("silence_1000ms") };
    }
    return b === "none" ? null : backgrounds[b];
}

/**
 * The audio of an example: `warmupMs` of background, then the 1 s window (49 frames' worth)
 * holding the speech over the background. int16 little-endian bytes.
 */
export function renderExample(spec: ExampleSpec, speech?: Int16Array): Buffer {
    const warm = spec.warmupMs * SAMPLE_RATE / 1000;
    const total = warm + EXAMPLE_SAMPLES;
    const mix = new Float64Array(total);
    const bg = backgroundClip(spec.background);
    if (bg) {
        const steps = spec.backgroundSteps || [];
        let gain = Math.pow(10, spec.backgroundDb / 20);
        let next = 0;
        for (let i = 0; i < total; i++) {
            while (next < steps.length && i >= steps[next].atMs * SAMPLE_RATE / 1000) gain = Math.pow(10, steps[next++].db / 20);
            mix[i] = bg[(spec.backgroundStart + i) % bg.length] * gain;
        }
    }
    if (spec.preceding) {
        const p = spec.preceding;
        const s = trimSpeech(synthesize(p.text, p.accent, p.variant, p.pitch, p.speed));
        let peak = 1;
        for (let i = 0; i < s.length; i++) peak = Math.max(peak, Math.abs(s[i]));
        const gain = 32767 * Math.pow(10, p.peakDb / 20) / peak;
        const start = warm - p.gapMs * SAMPLE_RATE / 1000 - s.length;
        for (let i = 0; i < s.length; i++) if (start + i >= 0) mix[start + i] += s[i] * gain;
    }
    if (spec.text) {
        let s = trimSpeech(speech || synthesize(spec.text, spec.accent, spec.variant, spec.pitch, spec.speed));
        if (s.length > EXAMPLE_SAMPLES) {
            const cut = (s.length - EXAMPLE_SAMPLES) >> 1;
            s = s.subarray(cut, cut + EXAMPLE_SAMPLES);
        }
        let peak = 1;
        for (let i = 0; i < s.length; i++) peak = Math.max(peak, Math.abs(s[i]));
        const gain = 32767 * Math.pow(10, spec.peakDb / 20) / peak;
        // Up to CUT_FRACTION of the word may lie outside the window, before it (heard during the
        // warm-up, or before the audio starts) or after it: streaming, the model sees a word
        // enter and leave the window, and should know it for as long as most of it is in.
        const cut = Math.floor(CUT_FRACTION * s.length);
        const start = warm - cut + Math.floor(spec.position * (EXAMPLE_SAMPLES - s.length + 2 * cut));
        for (let i = 0; i < s.length; i++) if (start + i >= 0 && start + i < total) mix[start + i] += s[i] * gain;
    }
    const out = Buffer.alloc(2 * total);
    for (let i = 0; i < total; i++) out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(mix[i]))), 2 * i);
    return out;
}

let frontEnd: any = null;

/**
 * The 49 feature frames the speech library's front end gives for the last 49 windows of `audio`
 * (a fresh front end over all of it: the warm-up adapts its noise estimate).
 */
export function streamFeatures(audio: Buffer): Buffer {
    const tflite = loadTflite();
    if (!frontEnd) frontEnd = new tflite.StsInterpreter(frontEndModel());
    frontEnd.resetState();
    const out = frontEnd.output(0);
    const frames = Math.floor((audio.length / 2 - WINDOW_SAMPLES) / STRIDE_SAMPLES) + 1;
    if (frames < FRAMES) throw new Error("make-speech-data: " + audio.length / 2 + " samples make fewer than " + FRAMES + " frames");
    const res = Buffer.alloc(EXAMPLE_BYTES);
    for (let f = 0; f < frames; f++) {
        frontEnd.setInputBytes(0, audio, 2 * f * STRIDE_SAMPLES);
        frontEnd.invoke();
        const k = f - (frames - FRAMES);
        if (k >= 0) out.data.copy(res, k * FEATURES_PER_FRAME, out.offset, out.offset + FEATURES_PER_FRAME);
    }
    return res;
}

export interface DatasetOptions {
    out: string;
    /** Examples per class in each split. */
    train: number;
    test: number;
    seed: number;
    /** Write the first `wav` examples of each class and split as WAV files too. */
    wav?: number;
    log?: (line: string) => void;
}

export interface Dataset {
    examples: ExampleSpec[];
    /** EXAMPLE_BYTES int8 features per example, in order. */
    features: Buffer;
}

/** Every example spec of a dataset, in order: train then test, class by class. */
export function datasetSpecs(o: Pick<DatasetOptions, "train" | "test" | "seed">): ExampleSpec[] {
    const specs: ExampleSpec[] = [];
    for (const split of ["train", "test"] as const)
        for (let label = 0; label < LABELS.length; label++)
            for (let i = 0; i < (split === "train" ? o.train : o.test); i++) specs.push(exampleSpec(o.seed, split, label, i));
    return specs;
}

/** Generates the dataset into `o.out` (features.bin, examples.json); returns it. */
export function makeDataset(o: DatasetOptions): Dataset {
    const specs = datasetSpecs(o);
    const features = Buffer.alloc(specs.length * EXAMPLE_BYTES);
    fs.mkdirSync(o.out, { recursive: true });
    const counts = new Map<string, number>();
    const start = Date.now();
    specs.forEach((spec, i) => {
        const audio = renderExample(spec);
        streamFeatures(audio).copy(features, i * EXAMPLE_BYTES);
        const key = spec.split + "-" + LABELS[spec.label];
        const n = counts.get(key) || 0;
        counts.set(key, n + 1);
        if (o.wav && n < o.wav) {
            const name = `${key}-${n}-${(spec.text || "bg").replace(/[^a-z]/g, "")}-${spec.accent}${spec.variant ? "+" + spec.variant : ""}.wav`;
            fs.mkdirSync(path.join(o.out, "wav"), { recursive: true });
            fs.writeFileSync(path.join(o.out, "wav", name), wavBytes(audio));
        }
        if (o.log && (i + 1) % 200 === 0) o.log(`${i + 1}/${specs.length} examples, ${((Date.now() - start) / 1000).toFixed(0)} s`);
    });
    fs.writeFileSync(path.join(o.out, "features.bin"), features);
    fs.writeFileSync(path.join(o.out, "examples.json"), JSON.stringify({ labels: LABELS, seed: o.seed, train: o.train, test: o.test, examples: specs }) + "\n");
    return { examples: specs, features };
}

/** Reads a dataset written by makeDataset. */
export function loadDataset(dir: string): Dataset {
    const meta = JSON.parse(fs.readFileSync(path.join(dir, "examples.json"), "utf8"));
    const features = fs.readFileSync(path.join(dir, "features.bin"));
    if (features.length !== meta.examples.length * EXAMPLE_BYTES) throw new Error(dir + ": features.bin does not match examples.json");
    return { examples: meta.examples, features };
}

export const DEFAULT_DATA_DIR = path.resolve(__dirname, "..", "speech-data");

/** The value after `--name` on the command line of the speech tools, or `fallback`. */
export function argValue(name: string, fallback: string): string {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : fallback;
}

if (require.main === module) {
    const o: DatasetOptions = {
        out: path.resolve(argValue("--out", DEFAULT_DATA_DIR)),
        train: Number(argValue("--train", "1200")),
        test: Number(argValue("--test", "300")),
        seed: Number(argValue("--seed", "1")),
        wav: Number(argValue("--wav", "0")),
        log: (l) => console.log(l),
    };
    const start = Date.now();
    const ds = makeDataset(o);
    console.log(`wrote ${ds.examples.length} examples (${o.train} train + ${o.test} test per class) to ${o.out} in ${((Date.now() - start) / 1000).toFixed(0)} s`);
}
