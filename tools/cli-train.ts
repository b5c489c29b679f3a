// `pxt-tinyml train DATASET.json --out DIR`: trains a gesture model on a micro:bit CreateAI
// dataset, quantizes it to int8, reports held-out accuracy and a confusion matrix, and writes
// model.tflite and model.ts (a hex literal and the labels) for a MakeCode project.
import * as fs from "fs";
import * as path from "path";
import { loadCreateAiDataset, recordingDurationMs, windowDurationMs, Recording } from "../node/gesture-data";
import {
    trainGestureModel, exportGestureModel, makeCodeModelSource, GestureClassifier, evaluate, formatConfusion, argMax,
    DEFAULT_TRAIN_OPTIONS, TrainOptions,
} from "../node/gesture-model";

/** CreateAI asks for at least this many recordings of each action. */
export const MIN_RECORDINGS_PER_ACTION = 3;

export const TRAIN_USAGE = `  pxt-tinyml train DATASET.json --out DIR [--epochs N] [--seed N] [--test-fraction F]
                   [--window-samples N] [--sample-period MS] [--namespace NAME] [--quiet]
      trains a gesture model on a micro:bit CreateAI dataset (JSON: actions with x/y/z recordings
      in g), quantizes it to int8 and writes DIR/model.tflite and DIR/model.ts (the model as a hex
      literal plus its labels, for a MakeCode project); prints the accuracy on recordings held out
      from training (--test-fraction of each action's recordings, default ${DEFAULT_TRAIN_OPTIONS.testFraction};
      0 skips it) and a confusion matrix; then trains the saved model again on all the recordings.
      Warns about actions with fewer than ${MIN_RECORDINGS_PER_ACTION} recordings and recordings shorter than the window. Defaults: ${DEFAULT_TRAIN_OPTIONS.epochs} epochs, seed ${DEFAULT_TRAIN_OPTIONS.seed}, ` +
    `${DEFAULT_TRAIN_OPTIONS.window.windowSamples} samples every ${DEFAULT_TRAIN_OPTIONS.window.samplePeriodMs} ms, namespace trainedModel`;

export interface TrainArgs {
    dataset: string;
    out: string;
    namespace: string;
    quiet: boolean;
    options: Partial<TrainOptions>;
}

export function parseTrainArgs(args: string[]): TrainArgs {
    try {
        return parseTrainArgsOrFail(args);
    } catch (e: any) {
        throw new Error(`${e.message}\nusage:\n${TRAIN_USAGE}`);
    }
}

function parseTrainArgsOrFail(args: string[]): TrainArgs {
    const res: TrainArgs = { dataset: "", out: "", namespace: "trainedModel", quiet: false, options: {} };
    const window = { ...DEFAULT_TRAIN_OPTIONS.window };
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        const value = () => {
            if (i + 1 >= args.length) throw new Error(`${a} needs a value`);
            return args[++i];
        };
        const whole = (min: number) => {
            const text = value();
            const n = Number(text);
            if (!Number.isInteger(n) || n < min) throw new Error(`${a} needs a whole number of at least ${min}, not '${text}'`);
            return n;
        };
        if (a === "--out") res.out = value();
        else if (a === "--epochs") res.options.epochs = whole(1);
        else if (a === "--seed") res.options.seed = whole(0);
        else if (a === "--window-samples") window.windowSamples = whole(8);
        else if (a === "--sample-period") window.samplePeriodMs = whole(5);
        else if (a === "--namespace") res.namespace = value();
        else if (a === "--quiet") res.quiet = true;
        else if (a === "--test-fraction") {
            const text = value();
            const f = Number(text);
            if (!(f >= 0 && f < 1)) throw new Error(`--test-fraction needs a number in [0, 1), not '${text}'`);
            res.options.testFraction = f;
        } else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
        else if (!res.dataset) res.dataset = a;
        else throw new Error(`unexpected argument ${a}`);
    }
    if (!res.dataset) throw new Error("train needs a dataset file");
    if (!res.out) throw new Error("train needs --out DIR");
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(res.namespace)) throw new Error(`--namespace needs an identifier, not '${res.namespace}'`);
    res.options.window = window;
    return res;
}

export interface TrainResult {
    /** What the command prints. */
    report: string;
    modelFile: string;
    sourceFile: string;
    labels: string[];
    test: Recording[];
    /** Held-out accuracy of the int8 model: one window per recording (the centre), and windows every 250 ms averaged. */
    centreAccuracy: number;
    smoothedAccuracy: number;
    /** The warnings printed about the dataset (too few recordings, recordings shorter than the window). */
    warnings: string[];
}

/** What may make a model poor, said before training: actions with few recordings, recordings shorter than the window. */
export function datasetWarnings(labels: string[], recordings: Recording[], window: { windowSamples: number; samplePeriodMs: number }): string[] {
    const warnings: string[] = [];
    labels.forEach((label, i) => {
        const n = recordings.filter((r) => r.label === i).length;
        if (n < MIN_RECORDINGS_PER_ACTION)
            warnings.push(`action '${label}' has ${n} recording${n === 1 ? "" : "s"}: record at least ${MIN_RECORDINGS_PER_ACTION} (as CreateAI asks), or the model may not learn it`);
    });
    const needMs = windowDurationMs(window);
    const short = recordings.filter((r) => recordingDurationMs(r) < needMs);
    if (short.length) {
        const seconds = (ms: number) => (ms / 1000).toFixed(2) + " s";
        const examples = [...new Set(short.map((r) => `'${labels[r.label]}' ${seconds(recordingDurationMs(r))}`))].slice(0, 3).join(", ");
        warnings.push(`${short.length} of ${recordings.length} recordings are shorter than the model's window (${seconds(needMs)}: ` +
            `${window.windowSamples} samples every ${window.samplePeriodMs} ms), e.g. ${examples}: their windows repeat the first and last ` +
            `readings to fill it; record longer, or pass a smaller --window-samples`);
    }
    return warnings;
}

/** Runs the command; `log` gets training progress as it happens. */
export async function trainCommand(args: string[], log: (line: string) => void = () => {}): Promise<TrainResult> {
    const a = parseTrainArgs(args);
    const ds = loadCreateAiDataset(a.dataset);
    const counts = ds.labels.map((_, i) => ds.recordings.filter((r) => r.label === i).length);
    log(`${a.dataset}: ${ds.labels.length} actions: ${ds.labels.map((l, i) => `${l} (${counts[i]})`).join(", ")}`);
    const window = a.options.window ?? DEFAULT_TRAIN_OPTIONS.window;
    const warnings = datasetWarnings(ds.labels, ds.recordings, window);
    for (const w of warnings) log("warning: " + w);
    const trained = await trainGestureModel(ds, { ...a.options, log: a.quiet ? undefined : log });
    const lines: string[] = [];
    const t = trained.test;
    let centreAccuracy = NaN, smoothedAccuracy = NaN;
    const summary: string[] = [];
    if (t.length) {
        const classifier = new GestureClassifier(exportGestureModel(trained).tflite);
        const centre = evaluate(t, ds.labels.length, ds.labels.length, (r) => argMax(classifier.classifyCentre(r)));
        const smoothed = evaluate(t, ds.labels.length, ds.labels.length, (r) => argMax(classifier.classifyRecording(r)));
        centreAccuracy = centre.accuracy;
        smoothedAccuracy = smoothed.accuracy;
        const pct = (e: { accuracy: number; correct: number; total: number }) => `${(100 * e.accuracy).toFixed(1)}% (${e.correct}/${e.total})`;
        lines.push(`held-out accuracy (int8 model, ${t.length} recordings never trained on): ` +
            `${pct(smoothed)} averaging windows every 250 ms, ${pct(centre)} on each recording's centre window`);
        lines.push("confusion matrix (windows every 250 ms averaged; rows: actual, columns: predicted):");
        lines.push(formatConfusion(ds.labels, ds.labels, smoothed.confusion));
        summary.push(`held-out accuracy ${pct(smoothed)}`);
    } else lines.push("no recordings held out (--test-fraction 0, or fewer than 2 recordings per action): no accuracy to report");
    // The accuracy above is the held-out run's; the saved model learns from every recording.
    const final = t.length ? await trainGestureModel(ds, { ...a.options, testFraction: 0, log: a.quiet ? undefined : log }) : trained;
    if (t.length) lines.push(`the saved model: trained again, the same way, on all ${ds.recordings.length} recordings (the accuracy above is of the run that held ${t.length} out)`);
    const converted = exportGestureModel(final);
    fs.mkdirSync(a.out, { recursive: true });
    const modelFile = path.join(a.out, "model.tflite");
    const sourceFile = path.join(a.out, "model.ts");
    fs.writeFileSync(modelFile, converted.tflite);
    const classifier = new GestureClassifier(converted.tflite);
    lines.push(`model: ${converted.tflite.length} bytes int8, ${converted.macs} multiply-accumulates per invoke, ` +
        `${classifier.interpreter.arenaBytes}-byte arena; input ${final.window.windowSamples} samples x 3 axes every ${final.window.samplePeriodMs} ms`);
    const source = makeCodeModelSource(converted.tflite, ds.labels, {
        namespace: a.namespace,
        comment: [
            `Written by \`pxt-tinyml train ${path.basename(a.dataset)}\`: a gesture model for ${ds.labels.join(", ")}.`,
            `Input: ${final.window.windowSamples} accelerometer samples (x, y, z in g) every ${final.window.samplePeriodMs} ms; ` +
            `the model's metadata holds the labels, sample period, window and normalization.`,
            ...(summary.length ? [summary[0] + " (recordings held out from a first training run; this model was then trained on all of them)."] : []),
        ],
    });
    fs.writeFileSync(sourceFile, source);
    lines.push(`wrote ${modelFile} and ${sourceFile} (namespace ${a.namespace}: ${a.namespace}.model, ${a.namespace}.labels)`);
    if (warnings.length) lines.push(...warnings.map((w) => "warning: " + w));
    return { report: lines.join("\n"), modelFile, sourceFile, labels: ds.labels, test: t, centreAccuracy, smoothedAccuracy, warnings };
}
