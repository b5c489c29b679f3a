// The gesture pipeline of libs/gestures (recognizer.ts, compiled to built/sts/gestures.js) in
// Node, and what the tests feed it: CreateAI recordings played back as an accelerometer would
// deliver them, and the same timing the blocks use (a reading every sample period, the model
// every 250 ms), in virtual time.
import * as fs from "fs";
import * as path from "path";
import { evaluateStsLibrary, loadTflite } from "./sts-runtime";
import { sharedPath } from "./conformance";
import { RECORDING_PERIOD_MS, Recording, loadCreateAiDataset, splitByRecording } from "./gesture-data";

let gesturesLib: any = null;

/** Evaluates built/sts/gestures.js after libs/tflite; its `gestures` namespace. */
export function loadGestures(): any {
    if (gesturesLib) return gesturesLib;
    loadTflite();
    evaluateStsLibrary("gestures", ["gestures"]);
    gesturesLib = (globalThis as any).gestures;
    return gesturesLib;
}

/** One accelerometer reading in milli-g (as input.acceleration gives) at a time in ms. */
export interface TimedReading { atMs: number; x: number; y: number; z: number }

/** A recording as readings every RECORDING_PERIOD_MS from `startMs`, g turned into milli-g. */
export function recordingReadings(r: Recording, startMs: number): TimedReading[] {
    return r.x.map((_, i) => ({
        atMs: startMs + i * RECORDING_PERIOD_MS,
        x: Math.round(r.x[i] * 1000), y: Math.round(r.y[i] * 1000), z: Math.round(r.z[i] * 1000),
    }));
}

/** One part of a scripted performance: these recordings back to back, labelled as `label`. */
export interface Act { label: string; recordings: Recording[] }

/** The readings of acts played one after another, and when each act starts and ends (ms). */
export function performance(acts: Act[], startMs = 0): { readings: TimedReading[]; spans: { label: string; fromMs: number; toMs: number }[] } {
    const readings: TimedReading[] = [];
    const spans: { label: string; fromMs: number; toMs: number }[] = [];
    let t = startMs;
    for (const act of acts) {
        const from = t;
        for (const r of act.recordings) {
            readings.push(...recordingReadings(r, t));
            t += r.x.length * RECORDING_PERIOD_MS;
        }
        spans.push({ label: act.label, fromMs: from, toMs: t });
    }
    return { readings, spans };
}

export interface GestureEvent { kind: "start" | "stop"; label: string; atMs: number; durationMs?: number }

/**
 * Runs the pipeline over `readings` in virtual time as blocks.ts does on the board: the latest
 * reading is sampled every sample period, the model runs every `intervalMs` once a window is full.
 * Returns the start/stop events (label "" is no gesture) and the number of invokes.
 */
export function runPipeline(model: Buffer, readings: TimedReading[], options: { intervalMs?: number; smoothing?: number; thresholdPercent?: number; labels?: string[] } = {}):
    { events: GestureEvent[]; invokes: number; recognizer: any } {
    const gestures = loadGestures();
    const rec = new gestures.GestureRecognizer(model, options.labels || []);
    if (options.smoothing) rec.setSmoothing(options.smoothing);
    if (options.thresholdPercent !== undefined) rec.setThreshold(options.thresholdPercent / 100);
    const interval = options.intervalMs || 250;
    const events: GestureEvent[] = [];
    let now = 0;
    const name = (i: number) => (i < 0 ? "" : rec.labels[i]);
    rec.onStart = (i: number) => events.push({ kind: "start", label: name(i), atMs: now });
    rec.onStop = (i: number, d: number) => events.push({ kind: "stop", label: name(i), atMs: now, durationMs: d });
    const end = readings.length ? readings[readings.length - 1].atMs : 0;
    let k = 0;
    let nextInvoke = interval;
    for (now = 0; now <= end; now += rec.samplePeriodMs) {
        while (k + 1 < readings.length && readings[k + 1].atMs <= now) k++;
        const r = readings[k];
        rec.addSample(r.x, r.y, r.z);
        if (now >= nextInvoke) {
            rec.update(now);
            nextInvoke += interval;
        }
    }
    return { events, invokes: rec.invokes, recognizer: rec };
}

/**
 * The recordings of big-8-actions.json the built-in model was not trained on (tools/train-gesture.ts's
 * split), with their labels and the training ones; `first(label)` is the first held-out recording of a label.
 */
export function heldOutRecordings(): { labels: string[]; recordings: Recording[]; train: Recording[]; first: (label: string) => Recording } {
    // Required here: gesture-model loads tfjs, which the pipeline itself does not need.
    const { BUILTIN } = require("./gesture-model");
    const ds = loadCreateAiDataset(sharedPath(BUILTIN.dataset));
    const split = splitByRecording(ds, BUILTIN.testFraction, BUILTIN.seed);
    const test = split.test;
    const first = (label: string) => {
        const r = test.find((t) => ds.labels[t.label] === label);
        if (!r) throw new Error("no held-out recording of '" + label + "'");
        return r;
    };
    return { labels: ds.labels, recordings: test, train: split.train, first };
}

/**
 * Which gesture was current for the longest time between fromMs and toMs, from a list of
 * start events ("" is no gesture; before the first start there is none).
 */
export function dominantGesture(events: GestureEvent[], fromMs: number, toMs: number): string {
    const time = new Map<string, number>();
    let current = "";
    let since = -Infinity;
    const add = (until: number) => {
        const a = Math.max(since, fromMs);
        const b = Math.min(until, toMs);
        if (b > a) time.set(current, (time.get(current) || 0) + b - a);
    };
    for (const e of events) {
        if (e.kind !== "start") continue;
        add(e.atMs);
        current = e.label;
        since = e.atMs;
    }
    add(Infinity);
    let best = "";
    let bestMs = -1;
    for (const [label, ms] of time) if (label !== "" && ms > bestMs) { best = label; bestMs = ms; }
    return best;
}

/**
 * Checks that events are well formed: starts and stops alternate (a stop, then the next start,
 * at the same moment), each stop is of the gesture that started last and lasted since its start,
 * (within toleranceMs), and no gesture starts twice in a row. Returns the problems found.
 */
export function eventProblems(events: GestureEvent[], toleranceMs = 0): string[] {
    const problems: string[] = [];
    let current = "";
    // When "no gesture" began, before the first event, is the recognizer's affair.
    let since = NaN;
    let expect: "stop" | "start" = "stop";
    for (const e of events) {
        const at = e.kind + " '" + e.label + "' at " + e.atMs + " ms";
        if (e.kind !== expect) problems.push(at + ": expected a " + expect);
        if (e.kind === "stop") {
            if (e.label !== current) problems.push(at + ": the current gesture was '" + current + "'");
            if (e.durationMs !== undefined && !isNaN(since) && Math.abs(e.durationMs - (e.atMs - since)) > toleranceMs)
                problems.push(at + ": lasted " + e.durationMs + " ms, but started at " + since + " ms");
            expect = "start";
        } else {
            if (e.label === current) problems.push(at + ": started again without a change");
            current = e.label;
            since = e.atMs;
            expect = "stop";
        }
    }
    return problems;
}

export const GESTURES_LIB_DIR = path.join(__dirname, "..", "..", "libs", "gestures");

/**
 * Writes a MakeCode project in `dir` that uses libs/gestures (and so libs/tflite), with `files`
 * (name -> text, main.ts first), and installs its dependencies once; for node/simulator.ts's
 * compileForSimulator.
 */
export function writeGesturesProject(dir: string, name: string, files: { [name: string]: string }): void {
    // Loaded here so that Node code without pxt need not load it.
    const sim = require("./simulator");
    fs.mkdirSync(dir, { recursive: true });
    const rel = (p: string) => "file:" + path.relative(dir, p).split(path.sep).join("/");
    const config = {
        name,
        dependencies: { ...sim.BASE_DEPENDENCIES, tflite: rel(sim.LIB_DIR), gestures: rel(GESTURES_LIB_DIR) },
        files: Object.keys(files),
    };
    const write = (file: string, text: string) => {
        if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
    };
    write(path.join(dir, "pxt.json"), JSON.stringify(config, null, 4) + "\n");
    for (const f of Object.keys(files)) write(path.join(dir, f), files[f]);
    if (!fs.existsSync(path.join(dir, "pxt_modules", "gestures", "pxt.json"))) {
        const res = sim.pxt(dir, ["install"]);
        if (res.status !== 0) throw new Error("pxt install failed in " + dir + ":\n" + res.output);
    }
}
