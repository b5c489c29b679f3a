// Speech in Node: WAV clips, the micro_speech front end (audio_preprocessor_int8.tflite run by our
// interpreter) over whole clips, and the libs/speech library (compiled by tsc to
// built/sts/speech.js) loaded into this process next to libs/tflite.
import * as fs from "fs";
import * as path from "path";
import { sharedPath } from "./conformance";
import { evaluateStsLibrary, loadTflite } from "./sts-runtime";

export const SAMPLE_RATE = 16000;
/** The front end's window: 30 ms of audio, one feature frame every 20 ms. */
export const WINDOW_SAMPLES = 480;
export const STRIDE_SAMPLES = 320;
export const FEATURES_PER_FRAME = 40;
/** The micro_speech model's input: 49 frames (1 s of audio) of 40 features. */
export const FRAMES = 49;
/** TFLM's micro_speech label order (micro_model_settings.cc). */
export const MICRO_SPEECH_LABELS = ["silence", "unknown", "yes", "no"];

export const PREPROCESSOR_MODEL = "models/tflm/audio_preprocessor_int8.tflite";
export const MICRO_SPEECH_MODEL = "models/tflm/micro_speech_quantized.tflite";

export interface Wav { sampleRate: number; channels: number; bits: number; pcm: Buffer }

/** Reads a PCM WAV file: its format and the raw little-endian sample bytes of its data chunk. */
export function parseWav(bytes: Buffer, name = "WAV"): Wav {
    if (bytes.length < 12 || bytes.toString("latin1", 0, 4) !== "RIFF" || bytes.toString("latin1", 8, 12) !== "WAVE")
        throw new Error(name + ": not a RIFF/WAVE file");
    let fmt: { channels: number; sampleRate: number; bits: number } | null = null;
    for (let off = 12; off + 8 <= bytes.length;) {
        const id = bytes.toString("latin1", off, off + 4);
        const size = bytes.readUInt32LE(off + 4);
        const body = off + 8;
        if (body + size > bytes.length) throw new Error(name + ": chunk '" + id + "' runs past the end of the file");
        if (id === "fmt ") {
            const format = bytes.readUInt16LE(body);
            if (format !== 1) throw new Error(name + ": unsupported WAV format " + format + " (only PCM, 1)");
            fmt = { channels: bytes.readUInt16LE(body + 2), sampleRate: bytes.readUInt32LE(body + 4), bits: bytes.readUInt16LE(body + 14) };
        } else if (id === "data") {
            if (!fmt) throw new Error(name + ": data chunk before the fmt chunk");
            return { ...fmt, pcm: bytes.subarray(body, body + size) };
        }
        off = body + size + (size & 1);
    }
    throw new Error(name + ": no data chunk");
}

/** A 16 kHz mono 16-bit clip as its raw int16 little-endian sample bytes (what the front end takes). */
export function readClip(file: string): Buffer {
    const wav = parseWav(fs.readFileSync(file), file);
    if (wav.sampleRate !== SAMPLE_RATE || wav.channels !== 1 || wav.bits !== 16)
        throw new Error(file + ": expected 16 kHz mono 16-bit audio, got " + wav.sampleRate + " Hz, " + wav.channels + " channels, " + wav.bits + " bits");
    return Buffer.from(wav.pcm);
}

/** One of the real clips in ../shared/audio (yes, no, silence, noise: 1000 ms; yes, no: 30 ms). */
export function sharedClip(name: string): Buffer {
    return readClip(sharedPath(path.join("audio", name + ".wav")));
}

export function readShared(rel: string): Buffer {
    return fs.readFileSync(sharedPath(rel));
}

/** A 16 kHz mono 16-bit WAV file holding `pcm` (int16 little-endian sample bytes). */
export function wavBytes(pcm: Buffer): Buffer {
    const header = Buffer.alloc(44);
    header.write("RIFF", 0, "latin1");
    header.writeUInt32LE(36 + pcm.length, 4);
    header.write("WAVEfmt ", 8, "latin1");
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(SAMPLE_RATE, 24);
    header.writeUInt32LE(SAMPLE_RATE * 2, 28);
    header.writeUInt16LE(2, 32);
    header.writeUInt16LE(16, 34);
    header.write("data", 36, "latin1");
    header.writeUInt32LE(pcm.length, 40);
    return Buffer.concat([header, pcm]);
}

/**
 * Feature frames of a clip as TFLM's micro_speech test makes them: one fresh preprocessor, one
 * invoke per 480-sample window, windows 320 samples apart, at most `maxFrames` of them; 40 int8
 * features each, appended. The preprocessor keeps state across invokes (noise estimate, PCAN), so
 * the frames depend on everything before them in the stream.
 */
export function clipFeatures(pcm: Buffer, maxFrames = Infinity, preprocessor?: any): Buffer {
    const tflite = loadTflite();
    const ip = preprocessor || new tflite.StsInterpreter(readShared(PREPROCESSOR_MODEL));
    const out = ip.output(0);
    const frames: Buffer[] = [];
    for (let off = 0; off + 2 * WINDOW_SAMPLES <= pcm.length && frames.length < maxFrames; off += 2 * STRIDE_SAMPLES) {
        ip.setInputBytes(0, pcm, off);
        ip.invoke();
        frames.push(Buffer.from(out.data.subarray(out.offset, out.offset + FEATURES_PER_FRAME)));
    }
    return Buffer.concat(frames);
}

/** The index of the largest value (the first one on ties, as std::max_element). */
export function argmax(values: ArrayLike<number>): number {
    let best = 0;
    for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
    return best;
}

let speechLib: any = null;
/** Handlers registered with control.onEvent, by "source/value". */
let eventHandlers = new Map<string, (() => void)[]>();

/**
 * The runtime pieces libs/speech uses beyond libs/tflite's (libs/speech/node-runtime.d.ts), for
 * Node: an event bus that runs handlers at once, in the raising code (Node
 * code here is synchronous: pause does not wait and parallel code runs immediately).
 */
function installSpeechRuntime(): void {
    const g = globalThis as any;
    g.control.onEvent = (src: number, value: number, handler: () => void) => {
        const key = src + "/" + value;
        eventHandlers.set(key, [...(eventHandlers.get(key) || []), handler]);
    };
    g.control.raiseEvent = (src: number, value: number) => {
        // Value 0 listens to every value of a source, as CODAL's DEVICE_EVT_ANY.
        for (const key of [src + "/" + value, src + "/0"]) for (const h of eventHandlers.get(key) || []) h();
    };
    g.control.runInParallel = (f: () => void) => f();
    // No simulator panel in Node (libs/speech/microphone.ts talks to it in the simulator): nothing is sent or heard.
    g.control.simmessages = { send: () => undefined, onReceived: () => undefined };
    g.basic = g.basic || {};
    g.basic.pause = (_ms: number) => undefined;
    // pxt's Buffer.shift, and Buffer.write(dstOffset, src) beside Node's write(string, ...).
    const proto = Buffer.prototype as any;
    if (!proto.pxtWriteInstalled) {
        proto.pxtWriteInstalled = true;
        proto.shift = function (this: Buffer, offset: number, start = 0, length = this.length - start) {
            const end = start + length;
            if (offset > 0) {
                this.copy(this, start, start + offset, end);
                this.fill(0, Math.max(start, end - offset), end);
            } else if (offset < 0) {
                this.copy(this, start - offset, start, end + offset);
                this.fill(0, start, Math.min(end, start - offset));
            }
        };
        const nodeWrite = proto.write;
        proto.write = function (this: Buffer, a: any, b: any, ...rest: any[]) {
            if (typeof a === "number" && Buffer.isBuffer(b)) {
                b.copy(this, a, 0, Math.min(b.length, this.length - a));
                return;
            }
            return nodeWrite.call(this, a, b, ...rest);
        };
    }
}

/**
 * Evaluates the compiled libs/speech (built/sts/speech.js) after libs/tflite; its `speech`
 * namespace. Once, unless `fresh`: then a new copy, with no listener or event handlers yet (the
 * blocks keep module state, as a MakeCode program does).
 */
export function loadSpeech(fresh = false): any {
    if (speechLib && !fresh) return speechLib;
    loadTflite();
    installSpeechRuntime();
    eventHandlers = new Map();
    evaluateStsLibrary("speech", ["speech", "SpeechWord"]);
    speechLib = (globalThis as any).speech;
    return speechLib;
}

export const SPEECH_LIB_DIR = path.join(__dirname, "..", "..", "libs", "speech");

/**
 * Writes a MakeCode project in `dir` that uses libs/speech (and so libs/tflite and its microphone
 * glue), with `files` (name -> text, main.ts first), and installs
 * its dependencies once; for node/simulator.ts's compileForSimulator and runInSimulator.
 */
export function writeSpeechProject(dir: string, name: string, files: { [name: string]: string }): void {
    // Loaded here so that Node code without pxt (training, tests of the library) need not load it.
    const sim = require("./simulator");
    fs.mkdirSync(dir, { recursive: true });
    const rel = (p: string) => "file:" + path.relative(dir, p).split(path.sep).join("/");
    const config = {
        name,
        dependencies: {
            ...sim.BASE_DEPENDENCIES, tflite: rel(sim.LIB_DIR), speech: rel(SPEECH_LIB_DIR),
        },
        files: Object.keys(files),
    };
    const write = (file: string, text: string) => {
        if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
    };
    write(path.join(dir, "pxt.json"), JSON.stringify(config, null, 4) + "\n");
    for (const f of Object.keys(files)) write(path.join(dir, f), files[f]);
    const installed = path.join(dir, "pxt_modules", "speech", "pxt.json");
    if (!fs.existsSync(installed)) {
        const res = sim.pxt(dir, ["install"]);
        if (res.status !== 0) throw new Error("pxt install failed in " + dir + ":\n" + res.output);
    }
}

/** `pcm` (int16 LE) times `gain`, rounded and saturated to int16. */
export function scaleAudio(pcm: Buffer, gain: number): Buffer {
    const out = Buffer.alloc(pcm.length);
    for (let i = 0; i < pcm.length; i += 2) out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(pcm.readInt16LE(i) * gain))), i);
    return out;
}

/** A small deterministic pseudo-random generator (mulberry32): numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
