// What the recorder program (sim/trainer/recorder/main.ts) sends over the micro:bit's serial port,
// read back into recordings in micro:bit CreateAI's format: x, y, z in g, one sample every 20 ms
// (RECORDING_PERIOD_MS), 1.8 s long as CreateAI's recordings (90 samples). Pure functions, so the
// parsing is tested in Node (test/trainer.test.ts); the page feeds them the serial text it gets
// from the editor (its serial stream) or from Web Serial.
//
// The lines: "tinyml:acc <ms> <x> <y> <z>" (control.millis() and input.acceleration in milli-g,
// every 20 ms) and "tinyml:button A" / "tinyml:button B" when a button is pressed (button A starts
// a recording, as CreateAI's recorder does). Other lines (the program's own serial output) are
// ignored; a line that starts "tinyml:" and does not parse is an error naming it.

/** CreateAI records one sample every 20 ms (node/gesture-data.ts RECORDING_PERIOD_MS). */
export const RECORDER_PERIOD_MS = 20;
/** CreateAI's legacy recordings are 1.8 s: 90 samples 20 ms apart. */
export const RECORDING_SAMPLES = 90;
/** The recorder program's serial speed (serial.setBaudRate). */
export const RECORDER_BAUD_RATE = 115200;

export type RecorderMessage =
    | { kind: "acc"; ms: number; x: number; y: number; z: number }
    | { kind: "button"; button: "A" | "B" };

/** One serial line: a reading (milli-g turned into g), a button press, or null for a line that is not the recorder's. */
export function parseRecorderLine(line: string): RecorderMessage | null {
    const text = line.trim();
    if (!text.startsWith("tinyml:")) return null;
    const parts = text.slice("tinyml:".length).split(/\s+/);
    if (parts[0] === "acc") {
        const values = parts.slice(1).map(Number);
        if (values.length !== 4 || values.some((v) => !Number.isFinite(v)))
            throw new Error(`recorder line '${text}': expected 'tinyml:acc <ms> <x> <y> <z>' with four numbers`);
        return { kind: "acc", ms: values[0], x: values[1] / 1000, y: values[2] / 1000, z: values[3] / 1000 };
    }
    if (parts[0] === "button" && (parts[1] === "A" || parts[1] === "B") && parts.length === 2)
        return { kind: "button", button: parts[1] };
    throw new Error(`recorder line '${text}': not a reading ('tinyml:acc <ms> <x> <y> <z>') nor a button ('tinyml:button A')`);
}

/** Serial text arrives in pieces that may cut a line: complete lines out, the rest kept for the next piece. */
export class LineSplitter {
    private pending = "";
    push(chunk: string): string[] {
        const text = this.pending + chunk;
        const lines = text.split(/\r?\n/);
        this.pending = lines.pop() ?? "";
        return lines.filter((l) => l.length > 0);
    }
}

export interface RecordedAxes { x: number[]; y: number[]; z: number[] }

/**
 * Readings (their own times, in ms) resampled onto CreateAI's 20 ms grid from the first reading:
 * linear interpolation between the two readings around each grid time, so a late reading (the
 * board's serial is not exactly periodic) does not stretch the recording. `samples` grid points;
 * fails when the readings do not cover them.
 */
export function resampleReadings(readings: { ms: number; x: number; y: number; z: number }[], samples = RECORDING_SAMPLES): RecordedAxes {
    if (readings.length < 2) throw new Error(`a recording needs readings over ${((samples - 1) * RECORDER_PERIOD_MS / 1000).toFixed(2)} s; got ${readings.length}`);
    for (let i = 1; i < readings.length; i++)
        if (!(readings[i].ms > readings[i - 1].ms))
            throw new Error(`reading ${i} is at ${readings[i].ms} ms, not after the one before (${readings[i - 1].ms} ms)`);
    const start = readings[0].ms;
    const needMs = (samples - 1) * RECORDER_PERIOD_MS;
    const span = readings[readings.length - 1].ms - start;
    if (span < needMs) throw new Error(`the readings cover ${span} ms; a recording needs ${needMs} ms (${samples} samples every ${RECORDER_PERIOD_MS} ms)`);
    const out: RecordedAxes = { x: [], y: [], z: [] };
    let k = 0;
    for (let i = 0; i < samples; i++) {
        const t = start + i * RECORDER_PERIOD_MS;
        while (k + 1 < readings.length - 1 && readings[k + 1].ms <= t) k++;
        const a = readings[k], b = readings[k + 1];
        const f = Math.max(0, Math.min(1, (t - a.ms) / (b.ms - a.ms)));
        out.x.push(a.x + (b.x - a.x) * f);
        out.y.push(a.y + (b.y - a.y) * f);
        out.z.push(a.z + (b.z - a.z) * f);
    }
    return out;
}

/**
 * Turns the recorder's serial lines into recordings: after start() (the page's Record button, or
 * button A on the board), the next readings covering 1.8 s make one recording, handed to
 * `onRecording`. `onButton` hears button presses; `onReading` every reading (for a live view).
 */
export class RecorderStream {
    private lines = new LineSplitter();
    private collecting: { ms: number; x: number; y: number; z: number }[] | null = null;
    onRecording: (r: RecordedAxes) => void = () => {};
    onButton: (button: "A" | "B") => void = () => {};
    onReading: (m: { ms: number; x: number; y: number; z: number }) => void = () => {};
    onError: (e: Error) => void = () => {};

    get recording(): boolean { return this.collecting !== null; }

    start(): void { this.collecting = []; }

    /** Serial text as it arrives. */
    push(chunk: string): void {
        for (const line of this.lines.push(chunk)) {
            let m: RecorderMessage | null;
            try {
                m = parseRecorderLine(line);
            } catch (e: any) {
                this.onError(e);
                continue;
            }
            if (!m) continue;
            if (m.kind === "button") {
                this.onButton(m.button);
                continue;
            }
            this.onReading(m);
            if (!this.collecting) continue;
            // The board restarted (its clock went back): start the recording again.
            if (this.collecting.length && m.ms <= this.collecting[this.collecting.length - 1].ms) this.collecting = [];
            this.collecting.push(m);
            if (m.ms - this.collecting[0].ms >= (RECORDING_SAMPLES - 1) * RECORDER_PERIOD_MS) {
                const readings = this.collecting;
                this.collecting = null;
                this.onRecording(resampleReadings(readings));
            }
        }
    }
}
