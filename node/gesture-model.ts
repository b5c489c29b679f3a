/**
 * Gesture models: train a small 1-D convolutional network on CreateAI recordings with
 * @tensorflow/tfjs (pure JavaScript, seeded), convert it to int8 with node/converter.ts, carry
 * its configuration in the model's "pxt-tinyml" metadata (see libs/tflite/metadata.ts), and
 * classify with our own STS interpreter, reading that metadata back as the board does.
 *
 * Used by tools/train-gesture.ts (the built-in model), `pxt-tinyml train`, tools/gesture-bench.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { convertToTflite, ConvertedModel } from "./converter";
import { loadTflite } from "./sts-runtime";
import { useFastCpuConvolutionGradient } from "./tfjs-cpu-speed";
import {
    GestureDataset, Recording, WindowSpec, Normalization, Augmentation, DEFAULT_AUGMENTATION, Random,
    splitByRecording, augmentedWindow, centreWindow, cutWindow, windowStarts, fitNormalization, normalizeWindow,
    orientationAgreement, movementG,
} from "./gesture-data";

// tfjs in plain Node prints advice to install tfjs-node on first use; production mode keeps it quiet.
tf.enableProdMode();
// Two thirds of a training run was tfjs's slow convolution-filter gradient on the cpu backend.
useFastCpuConvolutionGradient();

/** The model's input: 32 samples 40 ms apart (1.24 s), x y z each. */
export const DEFAULT_WINDOW: WindowSpec = { samplePeriodMs: 40, windowSamples: 32 };

export interface TrainOptions {
    window: WindowSpec;
    /** Share of each action's recordings held out for evaluation (0: train on all). */
    testFraction: number;
    /** Seeds the split, the augmentation, the initial weights and the batch order. */
    seed: number;
    epochs: number;
    /** Augmented windows cut from each training recording per epoch... */
    windowsPerRecording: number;
    /** ...or more, so that an epoch has at least this many windows (small datasets)... */
    minWindowsPerEpoch: number;
    /** ...and fewer, so that an epoch has at most this many (large datasets; 0: no limit). */
    maxWindowsPerEpoch: number;
    /**
     * Actions recorded in many orientations are trained in every orientation: an action whose
     * training recordings' orientationAgreement (gesture-data.ts) is below `agreementBelow`, and
     * whose median movementG is below `stillBelowG` (a still action), gets a uniformly random
     * rotation in each augmented window instead of up to `augmentation.rotationDeg`. Then "still"
     * means not moving, whatever the pose, and a pose never recorded is still "still".
     * agreementBelow 0 turns it off.
     */
    anyOrientation: { agreementBelow: number; stillBelowG: number };
    batchSize: number;
    learningRate: number;
    augmentation: Augmentation;
    /**
     * 0, or the gain of a fixed first layer that passes x, y, z through and adds their differences
     * from one sample to the next, times this gain: movement as its own input, which a still board
     * makes zero in any pose.
     */
    movementGain: number;
    /** Filters of the two convolutions and units of the hidden dense layer. */
    filters: [number, number];
    hidden: number;
    log?: (line: string) => void;
}

/**
 * The recipe of `pxt-tinyml train` and the trainer page, chosen with tools/train-bench.ts (k-fold
 * cross-validation against CreateAI's own training on every dataset it builds; models/README.md):
 * movement as an input of its own (movementGain), still actions recorded in many poses trained in
 * every pose (anyOrientation), and few enough windows to train 30 recordings in about 4 s of CPU.
 */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
    window: DEFAULT_WINDOW,
    testFraction: 0.2,
    seed: 1,
    epochs: 20,
    windowsPerRecording: 8,
    minWindowsPerEpoch: 256,
    maxWindowsPerEpoch: 0,
    movementGain: 4,
    // Agreement 0.8 (the mean cosine of the angle between each pose and their mean direction): a still
    // action whose poses are on average about 37 degrees or more from their mean direction.
    anyOrientation: { agreementBelow: 0.8, stillBelowG: 0.1 },
    batchSize: 32,
    learningRate: 0.003,
    augmentation: { ...DEFAULT_AUGMENTATION, rotationDeg: 45, shiftMs: 300 },
    filters: [16, 24],
    hidden: 16,
};

/**
 * The built-in model (tools/train-gesture.ts): trained on big-8-actions.json with the recipe it was
 * made with (the defaults before the fast one; kept so that its bytes can be made again); these
 * recordings are held out, so tools/gesture-bench.ts evaluates on what it never saw.
 */
export const BUILTIN = {
    dataset: "gestures/createai/big-8-actions.json",
    seed: 1,
    testFraction: 0.2,
    options: {
        epochs: 40, windowsPerRecording: 8, minWindowsPerEpoch: 512, maxWindowsPerEpoch: 0, batchSize: 32, learningRate: 0.003,
        augmentation: { ...DEFAULT_AUGMENTATION, rotationDeg: 45, shiftMs: 300 }, filters: [16, 24], hidden: 16,
        anyOrientation: { agreementBelow: 0, stillBelowG: 0 }, movementGain: 0,
    } as Partial<TrainOptions>,
    modelFile: "models/gesture.tflite",
    sourceFile: "libs/gestures/model.ts",
    namespace: "gestures",
    modelName: "builtinModel",
    labelsName: "builtinLabels",
};

/** Multiply-accumulates per invoke of a parsed model's convolutions and fully connected layers. */
export function countMacs(model: any): number {
    let macs = 0;
    for (const op of model.operators) {
        const name = op.name();
        const out = op.outputs[0];
        const filter = op.inputs[1];
        if (name === "CONV_2D") macs += out.elementCount() * filter.dim(1) * filter.dim(2) * filter.dim(3);
        else if (name === "DEPTHWISE_CONV_2D") macs += out.elementCount() * filter.dim(1) * filter.dim(2);
        else if (name === "FULLY_CONNECTED") macs += out.elementCount() * filter.dim(1);
    }
    return macs;
}

/**
 * The network: optionally a fixed layer adding sample-to-sample differences (movementGain), two
 * 1-D convolutions (the first with stride 2), ReLU, global max pooling over time (a gesture counts
 * wherever it is in the window), a small dense layer, softmax.
 */
export function buildGestureNetwork(labels: number, window: WindowSpec, opts: Pick<TrainOptions, "seed" | "filters" | "hidden"> & { movementGain?: number }): tf.Sequential {
    let seed = opts.seed * 1000;
    const kernel = () => tf.initializers.glorotUniform({ seed: seed++ });
    const m = tf.sequential();
    const gain = opts.movementGain ?? 0;
    if (gain > 0) {
        // Taps [kernel position][axis][output]: outputs 0-2 are x, y, z; 3-5 their change to the next sample.
        const taps = new Float32Array(2 * 3 * 6);
        for (let a = 0; a < 3; a++) {
            taps[(0 * 3 + a) * 6 + a] = 1;
            taps[(0 * 3 + a) * 6 + 3 + a] = -gain;
            taps[(1 * 3 + a) * 6 + 3 + a] = gain;
        }
        // "valid": padding would make a difference against zero at the window's end, which is the pose again.
        m.add(tf.layers.conv1d({
            name: "movement", inputShape: [window.windowSamples, 3], filters: 6, kernelSize: 2, padding: "valid", useBias: false, trainable: false,
            weights: [tf.tensor3d(taps, [2, 3, 6])],
        }));
    }
    m.add(tf.layers.conv1d({
        name: "conv1", ...(gain > 0 ? {} : { inputShape: [window.windowSamples, 3] }), filters: opts.filters[0], kernelSize: 4, strides: 2, padding: "same",
        activation: "relu", kernelInitializer: kernel(),
    }));
    m.add(tf.layers.conv1d({ name: "conv2", filters: opts.filters[1], kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: kernel() }));
    m.add(tf.layers.globalMaxPooling1d({ name: "max_over_time" }));
    if (opts.hidden > 0) m.add(tf.layers.dense({ name: "hidden", units: opts.hidden, activation: "relu", kernelInitializer: kernel() }));
    m.add(tf.layers.dense({ name: "classes", units: labels, activation: "softmax", kernelInitializer: kernel() }));
    return m;
}

export interface TrainedGestureModel {
    network: tf.LayersModel;
    labels: string[];
    window: WindowSpec;
    normalization: Normalization;
    train: Recording[];
    test: Recording[];
    options: TrainOptions;
    /** By label index: trained in every orientation (TrainOptions.anyOrientation). */
    anyOrientation: boolean[];
}

/** Windows as a [n, samples, 3] tensor. */
function windowsTensor(windows: number[][], w: WindowSpec): tf.Tensor3D {
    const flat = new Float32Array(windows.length * w.windowSamples * 3);
    windows.forEach((win, i) => flat.set(win, i * win.length));
    return tf.tensor3d(flat, [windows.length, w.windowSamples, 3]);
}

/**
 * Trains on the training recordings of a seeded split by recording: every epoch cuts fresh
 * augmented windows (time shift, speed, rotation, scale, noise) from each training recording.
 */
export async function trainGestureModel(ds: GestureDataset, options: Partial<TrainOptions> = {}): Promise<TrainedGestureModel> {
    const opts: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
    const log = opts.log ?? (() => {});
    const w = opts.window;
    const { train, test } = opts.testFraction > 0 ? splitByRecording(ds, opts.testFraction, opts.seed) : { train: ds.recordings.slice(), test: [] };
    if (!train.length) throw new Error("no recordings to train on");
    const normalization = fitNormalization(train.map((r) => centreWindow(r, w)));
    const network = buildGestureNetwork(ds.labels.length, w, opts);
    const optimizer = tf.train.adam(opts.learningRate);
    network.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    const rng = new Random(opts.seed + 7919);
    let perRecording = Math.max(opts.windowsPerRecording, Math.ceil(opts.minWindowsPerEpoch / train.length));
    if (opts.maxWindowsPerEpoch > 0) perRecording = Math.max(1, Math.min(perRecording, Math.floor(opts.maxWindowsPerEpoch / train.length)));
    const n = train.length * perRecording;
    const anyOrientation = actionsInAnyOrientation(ds.labels.length, train, opts.anyOrientation);
    log(`training on ${train.length} recordings (${n} augmented windows per epoch), ${test.length} held out; ` +
        `window ${w.windowSamples} x ${w.samplePeriodMs} ms` +
        (anyOrientation.some((a) => a) ? `; in any orientation: ${ds.labels.filter((_, i) => anyOrientation[i]).join(", ")}` : ""));
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
        // Cosine decay to 5% of the rate by the last epoch: the end of training settles.
        (optimizer as any).learningRate = opts.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * epoch / opts.epochs)));
        const windows: number[][] = [];
        const labels: number[] = [];
        for (const r of train)
            for (let k = 0; k < perRecording; k++) {
                windows.push(normalizeWindow(augmentedWindow(r, w, opts.augmentation, rng, anyOrientation[r.label]), normalization));
                labels.push(r.label);
            }
        const order = rng.shuffle(windows.map((_, i) => i));
        const xs = windowsTensor(order.map((i) => windows[i]), w);
        const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(order.map((i) => labels[i]), "int32"), ds.labels.length));
        const h = await network.fit(xs, ys, { epochs: 1, batchSize: opts.batchSize, shuffle: false, verbose: 0 });
        xs.dispose();
        ys.dispose();
        const loss = Number(h.history.loss[0]), acc = Number(h.history.acc[0]);
        log(`epoch ${epoch + 1}/${opts.epochs}: loss ${loss.toFixed(4)}, training accuracy ${(100 * acc).toFixed(1)}%`);
    }
    return { network, labels: ds.labels, window: w, normalization, train, test, options: opts, anyOrientation };
}

/** Which actions TrainOptions.anyOrientation trains in every orientation, by label index. */
export function actionsInAnyOrientation(labels: number, train: Recording[], rule: TrainOptions["anyOrientation"]): boolean[] {
    const res: boolean[] = [];
    for (let label = 0; label < labels; label++) {
        const recs = train.filter((r) => r.label === label);
        const movement = recs.map(movementG).sort((a, b) => a - b);
        const median = movement.length ? movement[Math.floor(movement.length / 2)] : Infinity;
        // One recording says nothing about how the action's orientations spread.
        res.push(recs.length >= 2 && orientationAgreement(recs) < rule.agreementBelow && median < rule.stillBelowG);
    }
    return res;
}

// ---------------------------------------------------------------------------------------------
// Metadata and export

/** Up to 6 decimals, no exponent: what libs/tflite/metadata.ts parses (and any parseFloat). */
function decimal(v: number): string {
    const s = v.toFixed(6).replace(/\.?0+$/, "");
    return s === "-0" ? "0" : s;
}

/** The "pxt-tinyml" metadata text of a gesture model (format in libs/tflite/metadata.ts). */
export function gestureMetadataText(labels: string[], w: WindowSpec, norm: Normalization): string {
    for (const l of labels) if (/[\r\n]/.test(l)) throw new Error(`a label must be one line: ${JSON.stringify(l)}`);
    const lines = [
        "format=pxt-tinyml-gesture/1",
        ...labels.map((l) => `label=${l}`),
        `sample_period_ms=${w.samplePeriodMs}`,
        `window_samples=${w.windowSamples}`,
        "axes=x,y,z",
        "units=g",
        `offset=${norm.offset.map(decimal).join(",")}`,
        `scale=${norm.scale.map(decimal).join(",")}`,
    ];
    return lines.join("\n") + "\n";
}

/**
 * Converts a trained model to int8 with its metadata. Representative data: each training
 * recording's centre window and four augmented ones, normalized.
 */
export function exportGestureModel(t: TrainedGestureModel): ConvertedModel {
    const rng = new Random(t.options.seed + 104729);
    const windows: number[][] = [];
    for (const r of t.train) {
        windows.push(normalizeWindow(centreWindow(r, t.window), t.normalization));
        for (let k = 0; k < 4; k++) windows.push(normalizeWindow(augmentedWindow(r, t.window, t.options.augmentation, rng, t.anyOrientation?.[r.label]), t.normalization));
    }
    const data = windowsTensor(windows, t.window);
    try {
        const text = gestureMetadataText(t.labels, t.window, t.normalization);
        return convertToTflite(t.network, {
            representativeData: data,
            description: `pxt-tinyml gesture model: ${t.labels.join(", ")}`,
            metadata: [{ name: "pxt-tinyml", data: Buffer.from(text, "utf8") }],
            lean: true,
        });
    } finally {
        data.dispose();
    }
}

/** A JavaScript string literal that pxt accepts. */
function stsString(s: string): string {
    return JSON.stringify(s);
}

/**
 * A MakeCode source file holding the model as a hex literal (stored in flash, read in place) and
 * its labels: `namespace NAME { export const model = hex`...`; export const labels = [...] }`.
 */
export function makeCodeModelSource(tflite: Buffer, labels: string[], opts: { namespace: string; modelName?: string; labelsName?: string; comment?: string[]; asFunction?: boolean }): string {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.namespace)) throw new Error(`not a namespace name: '${opts.namespace}'`);
    const hex = tflite.toString("hex");
    const lines: string[] = [];
    for (const c of opts.comment ?? []) lines.push(`// ${c}`);
    lines.push(`namespace ${opts.namespace} {`);
    lines.push(`    /** The model: an int8 .tflite of ${tflite.length} bytes, its labels, sample period, window and normalization in its metadata. */`);
    // As a function, the literal is in the program only when something calls it (a global
    // constant is initialized, so stored, in every program that includes the file).
    const indent = opts.asFunction ? "            " : "        ";
    if (opts.asFunction) lines.push(`    export function ${opts.modelName ?? "model"}(): Buffer {`, `        return hex\``);
    else lines.push(`    export const ${opts.modelName ?? "model"} = hex\``);
    for (let i = 0; i < hex.length; i += 128) lines.push(`${indent}${hex.slice(i, i + 128)}`);
    lines.push(opts.asFunction ? "        `" : "    `");
    if (opts.asFunction) lines.push("    }");
    lines.push(`    /** What the model tells apart, in the order of its outputs. */`);
    lines.push(`    export const ${opts.labelsName ?? "labels"} = [${labels.map(stsString).join(", ")}]`);
    lines.push("}");
    return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Classifying with our interpreter

/**
 * A gesture model loaded in our STS interpreter, configured from its own metadata: what the
 * gesture pipeline does on the board, in Node.
 */
export class GestureClassifier {
    interpreter: any;
    labels: string[];
    window: WindowSpec;
    normalization: Normalization;

    constructor(tflite: Buffer) {
        const lib = loadTflite();
        this.interpreter = new lib.StsInterpreter(tflite);
        const entries = lib.modelMetadata(this.interpreter.model);
        if (!entries.length) throw new Error("the model has no pxt-tinyml metadata");
        this.labels = lib.metadataValues(entries, "label");
        this.window = {
            samplePeriodMs: lib.metadataNumber(entries, "sample_period_ms", 0),
            windowSamples: lib.metadataNumber(entries, "window_samples", 0),
        };
        this.normalization = { offset: lib.metadataNumbers(entries, "offset"), scale: lib.metadataNumbers(entries, "scale") };
        const expected = this.window.windowSamples * 3;
        if (this.interpreter.input(0).elementCount() !== expected)
            throw new Error(`the model's input holds ${this.interpreter.input(0).elementCount()} values; its metadata says ${expected}`);
        if (this.interpreter.output(0).elementCount() !== this.labels.length)
            throw new Error(`the model has ${this.interpreter.output(0).elementCount()} outputs and ${this.labels.length} labels`);
    }

    /** Class probabilities for a window of raw g values (x0 y0 z0 x1 ...). */
    classifyWindow(raw: number[]): number[] {
        this.interpreter.setInput(0, normalizeWindow(raw.slice(), this.normalization));
        this.interpreter.invoke();
        return this.interpreter.outputValues(0);
    }

    /** The centre window's probabilities. */
    classifyCentre(r: Recording): number[] {
        return this.classifyWindow(centreWindow(r, this.window));
    }

    /**
     * The mean probabilities of the windows a pipeline invoking every `stepMs` would see inside
     * the recording (the smoothing the gesture pipeline applies).
     */
    classifyRecording(r: Recording, stepMs = 250): number[] {
        const sum = this.labels.map(() => 0);
        const starts = windowStarts(r, this.window, stepMs);
        for (const s of starts) this.classifyWindow(cutWindow(r, this.window, s)).forEach((p, i) => (sum[i] += p));
        return sum.map((v) => v / starts.length);
    }
}

export function argMax(v: number[]): number {
    let best = 0;
    for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
    return best;
}

export interface Evaluation {
    /** confusion[actual][predicted] */
    confusion: number[][];
    correct: number;
    total: number;
    accuracy: number;
}

/** Tallies predictions: `predict` gives a class index per recording, `actual` maps a recording to its row. */
export function evaluate(recordings: Recording[], rows: number, columns: number, predict: (r: Recording) => number, actual: (r: Recording) => number = (r) => r.label): Evaluation {
    const confusion = Array.from({ length: rows }, () => new Array(columns).fill(0));
    let correct = 0;
    for (const r of recordings) {
        const a = actual(r), p = predict(r);
        confusion[a][p]++;
        if (a === p) correct++;
    }
    return { confusion, correct, total: recordings.length, accuracy: recordings.length ? correct / recordings.length : 0 };
}

/** A confusion matrix as text: rows actual, columns predicted. */
export function formatConfusion(rowLabels: string[], columnLabels: string[], confusion: number[][]): string {
    const corner = "actual \\ predicted";
    const width = Math.max(corner.length, ...rowLabels.map((l) => l.length));
    const colWidth = columnLabels.map((l) => Math.max(4, l.length));
    const lines = [`${corner.padEnd(width)}  ${columnLabels.map((l, i) => l.padStart(colWidth[i])).join("  ")}`];
    confusion.forEach((row, i) => lines.push(`${rowLabels[i].padEnd(width)}  ${row.map((v, j) => String(v).padStart(colWidth[j])).join("  ")}`));
    return lines.join("\n");
}
