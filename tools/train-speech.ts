// Trains the speech library's keyword model (silence, unknown, yes, no) with @tensorflow/tfjs on
// the synthetic dataset of tools/make-speech-data.ts, converts it to int8 with node/converter.ts,
// writes models/keyword.tflite and libs/speech/models.ts, and evaluates it with our interpreter:
// held-out voices, the real clips of ../shared/audio.
//
//   node built/tools/train-speech.js [--data built/speech-data] [--epochs 10] [--seed 1]
//        [--no-write | --model-out file.tflite]   (default: models/keyword.tflite and libs/speech/models.ts)
//        [--limit N]     train on the first N examples of each class only
//        [--filters 16,24] [--mask-chance 0.25]
//        [--make-data]   generate the dataset first (make-speech-data's defaults) when missing
//
// The network is fully convolutional (no RESHAPE, no FULLY_CONNECTED, no pooling), so that the
// speech library needs only the convolution and softmax kernels on the micro:bit, whose flash is
// short: a strided convolution over time and frequency, a strided depthwise one, a pointwise one,
// and a last convolution as large as what remains (a dense layer in effect), then softmax.
// The convolutions other than the depthwise one train as dense layers (the first on patches
// made in JavaScript; plain tfjs is several times faster at that than at a convolution's
// gradients), then run as convolutions.
import * as tf from "@tensorflow/tfjs";
import * as fs from "fs";
import * as path from "path";
import { ConvertedModel, convertToTflite } from "../node/converter";
import { argmax, clipFeatures, FEATURES_PER_FRAME, FRAMES, seededRandom, sharedClip } from "../node/speech";
import { frontEndModel } from "../node/speech-frontend";
import { loadTflite } from "../node/sts-runtime";
import { Dataset, DEFAULT_DATA_DIR, EXAMPLE_BYTES, LABELS, loadDataset, makeDataset, argValue } from "./make-speech-data";
import { KEYWORD_FILE, writeSpeechModels } from "./speech-models";

tf.enableProdMode();

export interface SpeechTrainOptions {
    seed: number;
    epochs: number;
    batchSize: number;
    learningRate: number;
    /** Filters of the first convolution and of the pointwise one. */
    filters: [number, number];
    /** Chance per example and epoch of masking a band of frames and one of channels (SpecAugment). */
    maskChance: number;
    log?: (line: string) => void;
}

export const DEFAULT_SPEECH_OPTIONS: SpeechTrainOptions = {
    seed: 1,
    // The built-in model's recipe (models/README.md): 10 epochs over 2000 examples per class,
    // 16 first-layer filters.
    epochs: 10,
    batchSize: 64,
    learningRate: 0.004,
    filters: [16, 24],
    maskChance: 0.25,
};

/** The dataset the built-in model is trained on (examples per class in each split). */
export const DATASET_SIZE = { train: 2000, test: 250, seed: 1 };

/** The int8 feature q as the network sees it: (q + 128) / 256, so that the int8 input is q itself. */
export function featureValue(q: number): number {
    return (q + 128) / 256;
}

/** The first convolution: 8 frames (160 ms) x 4 channels, every 2nd frame and channel: [49, 40] -> [21, 19]. */
const CONV = { kernel: [8, 4] as [number, number], stride: 2, rows: 21, cols: 19 };

/**
 * The network as it runs: [49, 40, 1] -> 8 x 4 convolution (as a depthwise one) -> [21, 19, f0] -> depthwise 3x3 stride 2 ->
 * [10, 9, f0] -> pointwise -> [10, 9, f1] -> a convolution over all of it -> [1, 1, labels] ->
 * softmax. Batch normalization after each of the first three (folded by the converter).
 * With `patches`, the same network for training, faster in plain-JavaScript tfjs: it takes the
 * first convolution's input patches ([399, 32], made in JavaScript by `patchTensor`), and the
 * first, pointwise and last convolutions are dense layers holding their weights (see
 * `deployableNetwork`).
 */
export function buildKeywordNetwork(labels: number, opts: Pick<SpeechTrainOptions, "seed" | "filters">, patches = false): tf.Sequential {
    let seed = opts.seed * 1000;
    const kernel = () => tf.initializers.glorotUniform({ seed: seed++ });
    const bn = (name: string) => tf.layers.batchNormalization({ name, momentum: 0.9 });
    const m = tf.sequential();
    if (patches) {
        const size = CONV.kernel[0] * CONV.kernel[1];
        m.add(tf.layers.dense({ name: "conv", inputShape: [CONV.rows * CONV.cols, size], units: opts.filters[0], kernelInitializer: kernel() }));
        m.add(bn("conv_bn"));
        m.add(tf.layers.reshape({ name: "conv_image", targetShape: [CONV.rows, CONV.cols, opts.filters[0]] }));
    } else {
        // On one input channel a convolution is a depthwise one with a multiplier; TFLM's
        // reference depthwise kernel costs half the instructions per MAC there (its conv kernel
        // pays its per-tap overhead for a single input channel).
        m.add(tf.layers.depthwiseConv2d({ name: "conv", inputShape: [FRAMES, FEATURES_PER_FRAME, 1], depthMultiplier: opts.filters[0], kernelSize: CONV.kernel, strides: CONV.stride, padding: "valid", depthwiseInitializer: kernel() }));
        m.add(bn("conv_bn"));
    }
    m.add(tf.layers.reLU({ name: "conv_relu" }));
    m.add(tf.layers.depthwiseConv2d({ name: "depthwise", kernelSize: 3, strides: 2, padding: "valid", depthwiseInitializer: kernel() }));
    m.add(bn("depthwise_bn"));
    m.add(tf.layers.reLU({ name: "depthwise_relu" }));
    // For training, the pointwise convolution and the last one (as large as its input) are dense
    // layers (on the channels; on all of the input): the same functions with the same weights in
    // another shape, and tfjs's CPU backend computes a convolution's filter gradients several
    // times slower than a matrix product's.
    if (patches) m.add(tf.layers.dense({ name: "pointwise", units: opts.filters[1], kernelInitializer: kernel() }));
    else m.add(tf.layers.conv2d({ name: "pointwise", filters: opts.filters[1], kernelSize: 1, kernelInitializer: kernel() }));
    m.add(bn("pointwise_bn"));
    m.add(tf.layers.reLU({ name: "pointwise_relu" }));
    m.add(tf.layers.dropout({ name: "dropout", rate: 0.25, seed: seed++ }));
    if (patches) {
        m.add(tf.layers.flatten({ name: "classes_input" }));
        m.add(tf.layers.dense({ name: "classes", units: labels, activation: "softmax", kernelInitializer: kernel() }));
    } else m.add(tf.layers.conv2d({ name: "classes", filters: labels, kernelSize: [10, 9], padding: "valid", activation: "softmax", kernelInitializer: kernel() }));
    return m;
}

/** The network with a real first convolution, holding the weights of one trained on patches. */
export function deployableNetwork(trained: tf.LayersModel, labels: number, opts: Pick<SpeechTrainOptions, "seed" | "filters">): tf.Sequential {
    const m = buildKeywordNetwork(labels, opts, false);
    for (const layer of m.layers) {
        const source = trained.getLayer(layer.name);
        const weights = source.getWeights();
        // Dense kernels -> convolution kernels of the same weights in the same order:
        // conv [32, f0], rows in patch order (frame offset, then channel offset) -> depthwise
        // [8, 4, 1 input channel, f0 multiplier]; pointwise [f0, f1] -> [1, 1, f0, f1]; classes
        // [10 * 9 * f1 flattened row by row, labels] -> [10, 9, f1, labels].
        const shapes: { [name: string]: number[] } = {
            conv: [CONV.kernel[0], CONV.kernel[1], 1, opts.filters[0]],
            pointwise: [1, 1, opts.filters[0], opts.filters[1]],
            classes: [10, 9, opts.filters[1], labels],
        };
        if (shapes[layer.name]) {
            const k = weights[0].reshape(shapes[layer.name]);
            layer.setWeights([k, weights[1]]);
            k.dispose();
        } else layer.setWeights(weights);
    }
    return m;
}

/** Each example's first-convolution patches [n, 399, 32] (input values as featureTensor's). */
export function patchTensor(features: Float32Array, n: number): tf.Tensor3D {
    const size = CONV.kernel[0] * CONV.kernel[1];
    const per = CONV.rows * CONV.cols * size;
    const out = new Float32Array(n * per);
    let o = 0;
    for (let e = 0; e < n; e++) {
        const base = e * EXAMPLE_BYTES;
        for (let r = 0; r < CONV.rows; r++)
            for (let c = 0; c < CONV.cols; c++)
                for (let dy = 0; dy < CONV.kernel[0]; dy++) {
                    const row = base + (CONV.stride * r + dy) * FEATURES_PER_FRAME + CONV.stride * c;
                    for (let dx = 0; dx < CONV.kernel[1]; dx++) out[o++] = features[row + dx];
                }
    }
    return tf.tensor3d(out, [n, CONV.rows * CONV.cols, size]);
}

/** Indices of a split's examples. */
export function splitIndices(ds: Dataset, split: "train" | "test"): number[] {
    const res: number[] = [];
    ds.examples.forEach((e, i) => { if (e.split === split) res.push(i); });
    return res;
}

/** Features of examples as network input values, EXAMPLE_BYTES each; `mask` may alter each example's copy. */
export function featureValues(ds: Dataset, indices: number[], mask?: (x: Float32Array, offset: number) => void): Float32Array {
    const flat = new Float32Array(indices.length * EXAMPLE_BYTES);
    indices.forEach((ex, k) => {
        const base = ex * EXAMPLE_BYTES;
        for (let j = 0; j < EXAMPLE_BYTES; j++) flat[k * EXAMPLE_BYTES + j] = featureValue(ds.features.readInt8(base + j));
        if (mask) mask(flat, k * EXAMPLE_BYTES);
    });
    return flat;
}

/** Features of examples as network inputs [n, 49, 40, 1]. */
export function featureTensor(ds: Dataset, indices: number[]): tf.Tensor4D {
    return tf.tensor4d(featureValues(ds, indices), [indices.length, FRAMES, FEATURES_PER_FRAME, 1]);
}

/** SpecAugment-like masks: up to 6 frames and up to 6 channels set to the example's mean. */
function masker(chance: number, random: () => number) {
    return (x: Float32Array, offset: number) => {
        if (random() >= chance) return;
        let mean = 0;
        for (let j = 0; j < EXAMPLE_BYTES; j++) mean += x[offset + j];
        mean /= EXAMPLE_BYTES;
        const t = Math.floor(random() * 7), t0 = Math.floor(random() * (FRAMES - t));
        for (let f = t0; f < t0 + t; f++) for (let c = 0; c < FEATURES_PER_FRAME; c++) x[offset + f * FEATURES_PER_FRAME + c] = mean;
        const w = Math.floor(random() * 7), c0 = Math.floor(random() * (FEATURES_PER_FRAME - w));
        for (let f = 0; f < FRAMES; f++) for (let c = c0; c < c0 + w; c++) x[offset + f * FEATURES_PER_FRAME + c] = mean;
    };
}

function shuffled(n: number, random: () => number): number[] {
    const a = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
}

/** Accuracy of a float network (patch input) on examples, in inference mode. */
function floatAccuracy(network: tf.LayersModel, ds: Dataset, indices: number[]): number {
    let correct = 0;
    for (let i = 0; i < indices.length; i += 256) {
        const part = indices.slice(i, i + 256);
        const x = patchTensor(featureValues(ds, part), part.length);
        const y = network.predict(x) as tf.Tensor;
        const labels = y.reshape([part.length, LABELS.length]).argMax(1).dataSync();
        part.forEach((ex, k) => { if (labels[k] === ds.examples[ex].label) correct++; });
        tf.dispose([x, y]);
    }
    return indices.length ? correct / indices.length : 0;
}

/**
 * Trains on the dataset's training split (seeded: initial weights, masks, batch order); returns
 * the network with a real first convolution, ready for the converter.
 */
export async function trainKeywordModel(ds: Dataset, options: Partial<SpeechTrainOptions> = {}): Promise<tf.Sequential> {
    const opts = { ...DEFAULT_SPEECH_OPTIONS, ...options };
    const log = opts.log ?? (() => {});
    const train = splitIndices(ds, "train");
    const test = splitIndices(ds, "test");
    if (!train.length) throw new Error("train-speech: the dataset has no training examples");
    const network = buildKeywordNetwork(LABELS.length, opts, true);
    const optimizer = tf.train.adam(opts.learningRate);
    network.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    const random = seededRandom(opts.seed * 7919 + 1);
    const mask = masker(opts.maskChance, random);
    log(`training on ${train.length} examples, ${opts.epochs} epochs, ${network.countParams()} parameters`);
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
        // Cosine decay to 5% of the rate by the last epoch.
        (optimizer as any).learningRate = opts.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * epoch / opts.epochs)));
        const order = shuffled(train.length, random).map((i) => train[i]);
        let loss = 0, acc = 0, batches = 0;
        for (let b = 0; b < order.length; b += opts.batchSize) {
            const batch = order.slice(b, b + opts.batchSize);
            const xs = patchTensor(featureValues(ds, batch, mask), batch.length);
            const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(batch.map((i) => ds.examples[i].label), "int32"), LABELS.length));
            const r = (await network.trainOnBatch(xs, ys)) as number[];
            tf.dispose([xs, ys]);
            loss += r[0];
            acc += r[1];
            batches++;
        }
        const held = test.length && (epoch % 5 === 4 || epoch === opts.epochs - 1) ? `, held-out voices ${(100 * floatAccuracy(network, ds, test)).toFixed(1)}% (float)` : "";
        log(`epoch ${epoch + 1}/${opts.epochs}: loss ${(loss / batches).toFixed(4)}, training accuracy ${(100 * acc / batches).toFixed(1)}%${held}`);
    }
    const deployable = deployableNetwork(network, LABELS.length, opts);
    network.dispose();
    return deployable;
}

/** The "pxt-tinyml" metadata of a keyword model (format: libs/tflite/metadata.ts). */
export function keywordMetadataText(labels: string[]): string {
    return ["format=pxt-tinyml-keyword/1", ...labels.map((l) => "label=" + l), `frames=${FRAMES}`, `features=${FEATURES_PER_FRAME}`,
        "frame_step_ms=20", "window_ms=30", "front_end=keyword_frontend.tflite", `average_window_ms=${AVERAGE_WINDOW_MS}`].join("\n") + "\n";
}

/**
 * The recognizer's averaging window for this model (metadata `average_window_ms`; TFLM's
 * micro_speech uses 1000). The model is trained to know a word while at least 55% of it is in
 * its 1 s input (CUT_FRACTION), and to call the first part of a word "unknown" (unknown words
 * such as "yesterday" and "nothing" begin as "yes" and "no" do): a word of half a second is
 * scored as itself for about 0.7 s of stream, too short for an average over a whole second
 * (11 results at one per 100 ms) to pass 200 of 255. 700 ms: the real clips are heard, and
 * shorter windows (500, 600 ms) took a noise starting after quiet for "yes".
 */
export const AVERAGE_WINDOW_MS = 700;

/**
 * int8 via the project's converter. Representative data: up to 500 training examples, and two
 * made-up ones holding the extreme features -128 and 127, so that the input's quantization is
 * exactly scale 1/256, zero point -128: the model's int8 input is the front end's int8 output as is.
 */
export function exportKeywordModel(network: tf.LayersModel, ds: Dataset, seed = 1): ConvertedModel {
    const train = splitIndices(ds, "train");
    const random = seededRandom(seed * 31 + 7);
    const chosen = shuffled(train.length, random).slice(0, 500).map((i) => train[i]);
    const extremes = Buffer.alloc(2 * EXAMPLE_BYTES);
    extremes.fill(0x80, 0, EXAMPLE_BYTES);
    extremes.fill(0x7f, EXAMPLE_BYTES);
    const withExtremes: Dataset = { examples: ds.examples, features: Buffer.concat([ds.features, extremes]) };
    const n = ds.examples.length;
    const data = featureTensor(withExtremes, [...chosen, n, n + 1]);
    try {
        const converted = convertToTflite(network, {
            representativeData: data,
            description: "pxt-tinyml keyword model: " + LABELS.join(", "),
            metadata: [{ name: "pxt-tinyml", data: Buffer.from(keywordMetadataText(LABELS), "utf8") }],
            // No tensor names nor per-channel bias quantization (which TFLM never reads): the
            // same outputs in fewer bytes of the board's flash.
            lean: true,
        });
        if (converted.input.scale !== 1 / 256 || converted.input.zeroPoint !== -128)
            throw new Error(`train-speech: the model's input quantization is ${converted.input.scale}, ${converted.input.zeroPoint}, not 1/256, -128`);
        return converted;
    } finally {
        data.dispose();
    }
}

export interface SpeechEvaluation {
    total: number;
    correct: number;
    accuracy: number;
    /** confusion[actual][predicted] */
    confusion: number[][];
}

/** Classifies features (EXAMPLE_BYTES int8 each) with the int8 model in our interpreter. */
export function classifyFeatures(model: Buffer | any, features: Buffer, offset = 0): { label: number; scores: number[] } {
    const tflite = loadTflite();
    const ip = Buffer.isBuffer(model) ? new tflite.StsInterpreter(model) : model;
    ip.setInputBytes(0, features, offset);
    ip.invoke();
    const scores = ip.outputValues(0);
    return { label: argmax(scores), scores };
}

/** Accuracy of the int8 model (our interpreter) on a split of the dataset. */
export function evaluateSplit(model: Buffer, ds: Dataset, split: "train" | "test"): SpeechEvaluation {
    const ip = new (loadTflite().StsInterpreter)(model);
    const confusion = LABELS.map(() => LABELS.map(() => 0));
    let correct = 0;
    const indices = splitIndices(ds, split);
    for (const i of indices) {
        const { label } = classifyFeatures(ip, ds.features, i * EXAMPLE_BYTES);
        confusion[ds.examples[i].label][label]++;
        if (label === ds.examples[i].label) correct++;
    }
    return { total: indices.length, correct, accuracy: indices.length ? correct / indices.length : 0, confusion };
}

/** The real clips and the label each must get (TFLM's micro_speech test: noise is silence). */
export const REAL_CLIPS = [
    { clip: "yes_1000ms", label: "yes" }, { clip: "no_1000ms", label: "no" },
    { clip: "silence_1000ms", label: "silence" }, { clip: "noise_1000ms", label: "silence" },
];

/** A real clip classified as TFLM's test does it: a fresh front end, 49 frames, one invoke. */
export function classifyClip(model: Buffer, clip: string): { label: string; scores: number[] } {
    const features = clipFeatures(sharedClip(clip), FRAMES, new (loadTflite().StsInterpreter)(frontEndModel()));
    const r = classifyFeatures(model, features);
    return { label: LABELS[r.label], scores: r.scores };
}

export function formatConfusion(e: SpeechEvaluation): string {
    const w = 9;
    const lines = ["actual \\ heard".padEnd(16) + LABELS.map((l) => l.padStart(w)).join("")];
    e.confusion.forEach((row, i) => lines.push(LABELS[i].padEnd(16) + row.map((v) => String(v).padStart(w)).join("")));
    return lines.join("\n");
}

/** The first `perClass` training examples of each class and all test examples (0: all of them). */
export function limitDataset(ds: Dataset, perClass: number): Dataset {
    if (!perClass) return ds;
    const counts = new Map<number, number>();
    const keep: number[] = [];
    ds.examples.forEach((e, i) => {
        const n = counts.get(e.label) || 0;
        if (e.split === "test" || n < perClass) keep.push(i);
        if (e.split === "train") counts.set(e.label, n + 1);
    });
    const features = Buffer.alloc(keep.length * EXAMPLE_BYTES);
    keep.forEach((i, k) => ds.features.copy(features, k * EXAMPLE_BYTES, i * EXAMPLE_BYTES, (i + 1) * EXAMPLE_BYTES));
    return { examples: keep.map((i) => ds.examples[i]), features };
}

async function main() {
    const dir = path.resolve(argValue("--data", DEFAULT_DATA_DIR));
    if (!fs.existsSync(path.join(dir, "examples.json"))) {
        if (!process.argv.includes("--make-data")) throw new Error(`no dataset in ${dir}: run node built/tools/make-speech-data.js first (or pass --make-data)`);
        makeDataset({ out: dir, ...DATASET_SIZE, log: (l) => console.log(l) });
    }
    const ds = limitDataset(loadDataset(dir), Number(argValue("--limit", "0")));
    const seed = Number(argValue("--seed", "1"));
    const start = Date.now();
    const filters = argValue("--filters", DEFAULT_SPEECH_OPTIONS.filters.join(",")).split(",").map(Number) as [number, number];
    const network = await trainKeywordModel(ds, {
        seed, filters, epochs: Number(argValue("--epochs", String(DEFAULT_SPEECH_OPTIONS.epochs))),
        maskChance: Number(argValue("--mask-chance", String(DEFAULT_SPEECH_OPTIONS.maskChance))), log: (l) => console.log(l),
    });
    const converted = exportKeywordModel(network, ds, seed);
    console.log(`trained in ${((Date.now() - start) / 1000).toFixed(0)} s; int8 model ${converted.tflite.length} bytes, ${converted.macs} MACs per invoke: ${converted.ops.join(", ")}`);
    const test = evaluateSplit(converted.tflite, ds, "test");
    console.log(`held-out voices: ${(100 * test.accuracy).toFixed(1)}% of ${test.total}\n${formatConfusion(test)}`);
    for (const c of REAL_CLIPS) {
        const r = classifyClip(converted.tflite, c.clip);
        console.log(`${c.clip}: ${r.label} (expected ${c.label}) scores ${r.scores.map((s) => s.toFixed(3)).join(" ")}`);
    }
    // Streamed through the speech library between seconds of room silence, as a program hears them.
    const { hear } = require("./speech-bench");
    const silence = sharedClip("silence_1000ms");
    for (const [before, name] of [[silence, "silence"], [sharedClip("noise_1000ms"), "noise"]] as [Buffer, string][]) {
        for (const c of REAL_CLIPS) {
            const words = hear(converted.tflite, Buffer.concat([before, sharedClip(c.clip), silence, silence])) as { word: string; timeMs: number }[];
            console.log(`${c.clip} streamed after 1 s of ${name}: ${words.map((w) => w.word + " at " + w.timeMs + " ms").join(", ") || "no word"}`);
        }
    }
    const out = argValue("--model-out", "");
    if (out) fs.writeFileSync(out, converted.tflite);
    else if (!process.argv.includes("--no-write")) {
        fs.writeFileSync(KEYWORD_FILE, converted.tflite);
        writeSpeechModels(false);
    }
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
