// The simulator panel's side of its conversation with the program in the simulator, and the
// arithmetic that turns recordings into what the program reads: no DOM here, so Node's tests run
// it too (test/sim_panel.test.ts), and the browser loads it as an ES module (sim/panel.ts).
//
// The messages (MakeCode's control.simmessages: a channel name and a Buffer), as
// libs/gestures/board-microbit.ts and libs/speech/microphone.ts read and write them in the
// simulator:
// - program -> panel, on SIM_PANEL_CHANNEL (UTF-8 text, lines): "gestures", the model's sample
//   period in ms, its labels; "speech", the sample rate; "played" (a recording played once ended).
//   MakeCode opens the panel (the simx registered under that key) when a program first sends on it.
// - panel -> program, on SIM_PANEL_CHANNEL + "/gestures": [GESTURES_DESCRIBE]; [GESTURES_PLAY_ONCE
//   or GESTURES_PLAY_LOOP, then x y z int16 LE in milli-g per sample, one sample per model sample
//   period]; [GESTURES_STOP].
// - panel -> program, on SIM_PANEL_CHANNEL + "/speech": [SPEECH_DESCRIBE]; [SPEECH_AUDIO, then
//   int16 LE samples at 16 kHz].

/**
 * The panel's simx key and message channel. MakeCode keys an extension's simulator panel by its
 * GitHub repository ("owner/repo"); this repository has none yet, so the key is its package name.
 * The STS glue repeats it (simPanelChannel()).
 */
export const SIM_PANEL_CHANNEL = "pxt-tinyml";
export const GESTURES_CHANNEL = SIM_PANEL_CHANNEL + "/gestures";
export const SPEECH_CHANNEL = SIM_PANEL_CHANNEL + "/speech";

export const GESTURES_DESCRIBE = 0;
export const GESTURES_PLAY_ONCE = 1;
export const GESTURES_PLAY_LOOP = 2;
export const GESTURES_STOP = 3;
export const SPEECH_DESCRIBE = 0;
export const SPEECH_AUDIO = 1;

/** The speech recognizer's sample rate (libs/speech/features.ts SAMPLE_RATE). */
export const SPEECH_RATE = 16000;
/** CreateAI's recordings: one sample about every 20 ms (node/gesture-data.ts RECORDING_PERIOD_MS). */
export const RECORDING_PERIOD_MS = 20;

/** What the program said, parsed. */
export type ProgramMessage =
    | { kind: "gestures"; samplePeriodMs: number; labels: string[] }
    | { kind: "speech"; sampleRate: number }
    | { kind: "played" };

/** A message of the program's (its text); null for one this panel does not know. */
export function parseProgramMessage(text: string): ProgramMessage | null {
    const lines = text.split("\n");
    if (lines[0] === "gestures" && lines.length >= 2) {
        const period = Number(lines[1]);
        if (!(period > 0)) return null;
        return { kind: "gestures", samplePeriodMs: period, labels: lines.slice(2) };
    }
    if (lines[0] === "speech" && lines.length >= 2 && Number(lines[1]) > 0) return { kind: "speech", sampleRate: Number(lines[1]) };
    if (lines[0] === "played") return { kind: "played" };
    return null;
}

/** One recording of a gesture: x, y, z in g, a sample every RECORDING_PERIOD_MS. */
export interface GestureRecording {
    x: number[];
    y: number[];
    z: number[];
}

/** A CreateAI dataset: each action's name and recordings, in file order. */
export interface GestureRecordings {
    actions: { name: string; recordings: GestureRecording[] }[];
}

/**
 * Reads a dataset in micro:bit CreateAI's format (a list of actions {name, recordings: [{data:
 * {x, y, z}}]}, or {data: [...]} / {actions: [...]} around it, as node/gesture-data.ts accepts);
 * every problem named with where it is.
 */
export function parseCreateAiRecordings(text: string, source: string): GestureRecordings {
    let json: any;
    try {
        json = JSON.parse(text);
    } catch (e: any) {
        throw new Error(source + ": not JSON: " + e.message);
    }
    const list = Array.isArray(json) ? json : json && (Array.isArray(json.data) ? json.data : json.actions);
    if (!Array.isArray(list)) throw new Error(source + ": not a CreateAI dataset: expected a list of actions {name, recordings}");
    const actions: GestureRecordings["actions"] = [];
    list.forEach((a: any, ai: number) => {
        const where = source + ": action " + ai;
        if (!a || typeof a.name !== "string" || !a.name.trim()) throw new Error(where + ": no name");
        if (!Array.isArray(a.recordings)) throw new Error(where + " ('" + a.name + "'): no recordings");
        const recordings = a.recordings.map((r: any, ri: number) => {
            const d = r && r.data;
            const rwhere = where + " ('" + a.name + "') recording " + ri;
            if (!d) throw new Error(rwhere + ": no data {x, y, z}");
            const axes = ["x", "y", "z"].map(axis => {
                const v = d[axis];
                if (!Array.isArray(v) || v.length === 0) throw new Error(rwhere + ": no " + axis + " values");
                v.forEach((n: any, i: number) => {
                    if (typeof n !== "number" || !isFinite(n)) throw new Error(rwhere + ": " + axis + "[" + i + "] is not a number: " + JSON.stringify(n));
                });
                return v as number[];
            });
            const n = Math.min(axes[0].length, axes[1].length, axes[2].length);
            return { x: axes[0].slice(0, n), y: axes[1].slice(0, n), z: axes[2].slice(0, n) };
        });
        actions.push({ name: a.name.trim(), recordings });
    });
    if (actions.length === 0) throw new Error(source + ": no actions");
    return { actions };
}

/** Whether two gesture names are the same one: equal but for ASCII case and surrounding spaces (gestures.sameLabel). */
export function sameLabel(a: string, b: string): boolean {
    const fold = (s: string) => s.trim().replace(/[A-Z]/g, c => c.toLowerCase());
    return fold(a) === fold(b);
}

/** The value of `v` (a sample every RECORDING_PERIOD_MS) at `ms`, linearly interpolated (node/gesture-data.ts valueAt). */
function valueAt(v: number[], ms: number): number {
    const p = ms / RECORDING_PERIOD_MS;
    if (p <= 0) return v[0];
    if (p >= v.length - 1) return v[v.length - 1];
    const i = Math.floor(p);
    return v[i] + (p - i) * (v[i + 1] - v[i]);
}

/**
 * A recording as the program reads the accelerometer: one x y z reading every `samplePeriodMs`
 * from its first sample to its last (interpolated between the recording's 20 ms samples), in
 * milli-g rounded to integers, as input.acceleration gives them.
 */
export function resampleRecording(r: GestureRecording, samplePeriodMs: number): Int16Array {
    if (!(samplePeriodMs > 0)) throw new Error("sample period " + samplePeriodMs + " ms: must be more than 0");
    const durationMs = (r.x.length - 1) * RECORDING_PERIOD_MS;
    const count = Math.floor(durationMs / samplePeriodMs + 1e-9) + 1;
    const out = new Int16Array(3 * count);
    const mg = (g: number) => Math.max(-32768, Math.min(32767, Math.round(g * 1000)));
    for (let k = 0; k < count; k++) {
        const t = k * samplePeriodMs;
        out[3 * k] = mg(valueAt(r.x, t));
        out[3 * k + 1] = mg(valueAt(r.y, t));
        out[3 * k + 2] = mg(valueAt(r.z, t));
    }
    return out;
}

/** A command byte followed by int16 little-endian values: the panel's messages to the program. */
export function commandWithSamples(command: number, samples: ArrayLike<number>): Uint8Array {
    const bytes = new Uint8Array(1 + 2 * samples.length);
    bytes[0] = command;
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < samples.length; i++) view.setInt16(1 + 2 * i, samples[i], true);
    return bytes;
}

/** A WAV file's samples, mono int16 (the first channel of 16-bit PCM), and its rate. */
export function decodeWav(bytes: Uint8Array, source: string): { sampleRate: number; samples: Int16Array } {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const tag = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
    if (bytes.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new Error(source + ": not a WAV file");
    let format: { channels: number; rate: number; bits: number; code: number } | null = null;
    for (let at = 12; at + 8 <= bytes.length;) {
        const size = view.getUint32(at + 4, true);
        const body = at + 8;
        if (tag(at) === "fmt ") {
            format = { code: view.getUint16(body, true), channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
        } else if (tag(at) === "data") {
            if (!format) throw new Error(source + ": data before its format");
            if (format.code !== 1 || format.bits !== 16) throw new Error(source + ": " + format.bits + "-bit format " + format.code + "; only 16-bit PCM is read");
            const frames = Math.floor(Math.min(size, bytes.length - body) / (2 * format.channels));
            const samples = new Int16Array(frames);
            for (let i = 0; i < frames; i++) samples[i] = view.getInt16(body + 2 * format.channels * i, true);
            return { sampleRate: format.rate, samples };
        }
        at = body + size + (size & 1);
    }
    throw new Error(source + ": no data chunk");
}

/**
 * Turns a stream of samples at `inputRate` (floats, -1..1, as the Web Audio API gives them) into
 * int16 samples at `outputRate`: each output sample is the mean of the input over its own span of
 * time (1 / outputRate), the partial samples at the span's ends weighted by how much of them it
 * covers. The mean is a simple low-pass filter before the rate drops, so a 48 kHz microphone's
 * sounds above 8 kHz fold back into the 16 kHz stream far less than by picking samples. Chunks
 * of any size: what a span has not finished is kept for the next chunk.
 */
export class AveragingResampler {
    /** Input samples per output sample. */
    readonly ratio: number;
    /** The sum (weighted) and the input time gathered so far for the output sample being made. */
    private sum = 0;
    private filled = 0;

    constructor(readonly inputRate: number, readonly outputRate: number) {
        if (!(inputRate > 0 && outputRate > 0)) throw new Error("resampler rates " + inputRate + " and " + outputRate + ": both must be more than 0");
        if (outputRate > inputRate) throw new Error("the resampler averages down: " + inputRate + " Hz cannot become " + outputRate + " Hz");
        this.ratio = inputRate / outputRate;
    }

    /** The output samples that the chunk completes. */
    push(input: ArrayLike<number>): Int16Array {
        const out: number[] = [];
        for (let i = 0; i < input.length; i++) {
            let left = 1;  // how much of this input sample is still to place
            while (left > 0) {
                const take = Math.min(left, this.ratio - this.filled);
                this.sum += input[i] * take;
                this.filled += take;
                left -= take;
                if (this.filled >= this.ratio - 1e-9) {
                    out.push(toInt16(this.sum / this.ratio));
                    this.sum = 0;
                    this.filled = 0;
                }
            }
        }
        return Int16Array.from(out);
    }
}

/** A float sample (-1..1) as int16, rounded and clamped. */
export function toInt16(v: number): number {
    return Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
}
