/**
 * Converts a trained @tensorflow/tfjs LayersModel to a full-integer (int8) TensorFlow Lite model:
 * post-training quantization with representative data, as TensorFlow Lite's converter does it.
 *
 * ```ts
 * const { tflite } = convertToTflite(model, { representativeData: windows })  // tf.Tensor [n, ...inputShape]
 * fs.writeFileSync("model.tflite", tflite)
 * ```
 *
 * The quantization (tensorflow/lite/tools/optimize/quantization_utils.cc, in float32 as there):
 * - activations, the model input and output: int8, per tensor, asymmetric. The representative
 *   data runs through the float model layer by layer; each tensor's observed [min, max], widened
 *   to hold 0, gives scale = (max - min) / 255 and zero point = round(-128 - min / scale).
 *   Fused ReLU/ReLU6 make the range the activated one. Ops that cannot rescale keep their input's
 *   scale and zero point (RESHAPE, MAX_POOL_2D, AVERAGE_POOL_2D); SOFTMAX and LOGISTIC output
 *   1/256 with zero point -128, TANH 1/128 with 0, as TFLite's int8 kernels require.
 * - weights of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: int8, per output channel,
 *   symmetric: scale = max|w| / 127, values round(w * 127 / max|w|) in [-127, 127].
 * - biases: int32, zero point 0, scale input_scale * weight_scale of the channel; a weight scale
 *   too small for its bias to fit in int32 is widened as TFLite's AdjustWeightsForBiasScale does.
 * Input and output stay int8 (no QUANTIZE/DEQUANTIZE ops): the STS interpreter's `setInput` and
 * `outputValues` quantize and dequantize with the tensors' parameters.
 *
 * Layers (a chain: each layer feeds the next): Dense, Conv1D, Conv2D, DepthwiseConv2D,
 * MaxPooling1D/2D, AveragePooling1D/2D, GlobalMaxPooling1D/2D, GlobalAveragePooling1D/2D, Flatten,
 * Reshape, Activation, ReLU, Softmax, BatchNormalization (folded into the Dense or convolution
 * before it), Dropout (nothing at inference). Activations: linear, relu and relu6 fuse into the
 * op before them; softmax, sigmoid and tanh become their own ops. One-dimensional layers run as
 * the 2-D ops on [1, 1, steps, channels] tensors (an image one row high).
 */
import * as tf from "@tensorflow/tfjs";
import { GraphBuilder } from "./model-writer";

const f32 = Math.fround;
const INT32_MAX = 2147483647;

/** std::round: halves away from zero. */
function roundHalfAway(x: number): number {
    return x < 0 ? -Math.round(-x) : Math.round(x);
}

export interface QuantParams {
    scale: number;
    zeroPoint: number;
    /** The range the parameters were chosen for (0 included). */
    min: number;
    max: number;
}

/**
 * Asymmetric int8 parameters for values observed in [min, max], as TFLite's
 * GetAsymmetricQuantizationParams (float32 arithmetic). An empty range (all values 0) gets
 * [0, 1] instead of TFLite's scale 0, which no kernel can rescale by.
 */
export function asymmetricParams(min: number, max: number): QuantParams {
    min = f32(Math.min(f32(min), 0));
    max = f32(Math.max(f32(max), 0));
    if (!isFinite(min) || !isFinite(max)) throw new Error(`converter: activation range [${min}, ${max}] is not finite`);
    if (max === min) max = 1;
    const scale = f32(f32(max - min) / 255);
    const fromMin = f32(-128 - f32(min / scale));
    const zeroPoint = fromMin < -128 ? -128 : fromMin > 127 ? 127 : roundHalfAway(fromMin);
    return { scale, zeroPoint, min, max };
}

/** Fixed output parameters of ops whose int8 kernels demand them. */
const SOFTMAX_OUTPUT: QuantParams = { scale: 1 / 256, zeroPoint: -128, min: 0, max: 255 / 256 };
const TANH_OUTPUT: QuantParams = { scale: 1 / 128, zeroPoint: 0, min: -1, max: 127 / 128 };

export interface PerChannelWeights {
    data: Int8Array;
    scales: number[];
}

/**
 * Symmetric per-channel int8 weights (TFLite's SymmetricPerChannelQuantization): `values` in
 * row-major order of `shape`, one scale per index along `channelDim`. `minHalfRange` per channel,
 * when given, widens the range (for biases that would not fit otherwise).
 */
export function quantizePerChannel(values: ArrayLike<number>, shape: number[], channelDim: number, minHalfRange?: number[]): PerChannelWeights {
    const channels = shape[channelDim];
    let inner = 1;
    for (let d = channelDim + 1; d < shape.length; d++) inner *= shape[d];
    const channelOf = (i: number) => Math.floor(i / inner) % channels;
    const half = new Array(channels).fill(0);
    for (let i = 0; i < values.length; i++) half[channelOf(i)] = Math.max(half[channelOf(i)], Math.abs(f32(values[i])));
    if (minHalfRange) for (let c = 0; c < channels; c++) half[c] = Math.max(half[c], f32(minHalfRange[c]));
    // A channel of zeros gets scale 1/127 rather than TFLite's 0 (its values are 0 either way).
    for (let c = 0; c < channels; c++) if (half[c] === 0) half[c] = 1;
    const scales = half.map((h) => f32(h / 127));
    const inverses = half.map((h) => f32(127 / h));
    const data = new Int8Array(values.length);
    for (let i = 0; i < values.length; i++) {
        const q = roundHalfAway(f32(f32(values[i]) * inverses[channelOf(i)]));
        data[i] = Math.max(-127, Math.min(127, q));
    }
    return { data, scales };
}

/** int32 biases with scale inputScale * weightScale[c] (TFLite's SymmetricPerChannelBiasQuantize). */
export function quantizeBias(bias: ArrayLike<number>, inputScale: number, weightScales: number[]): Int32Array {
    const res = new Int32Array(bias.length);
    for (let c = 0; c < bias.length; c++) {
        const scale = f32(f32(inputScale) * weightScales[c]);
        const inverse = scale === 0 ? 0 : f32(1 / scale);
        const q = roundHalfAway(f32(f32(bias[c]) * inverse));
        res[c] = Math.max(-INT32_MAX, Math.min(INT32_MAX, q));
    }
    return res;
}

/**
 * The smallest half range per channel that keeps each bias within half of int32 once quantized
 * (TFLite's AdjustWeightsForBiasScale), 0 where the weights' own range suffices.
 */
function halfRangeForBias(bias: ArrayLike<number>, inputScale: number): number[] {
    const res: number[] = [];
    for (let c = 0; c < bias.length; c++) res.push(2 * Math.abs(bias[c]) / INT32_MAX * (127 / inputScale));
    return res;
}

// ---------------------------------------------------------------------------------------------
// The conversion

export interface ConvertOptions {
    /** Inputs the model will see, float, shape [n, ...the model's input shape]: their ranges set the quantization. */
    representativeData: tf.Tensor;
    /** Named metadata entries stored in the .tflite (each in its own buffer). */
    metadata?: { name: string; data: Buffer }[];
    description?: string;
    /** Per-channel FULLY_CONNECTED weights (default true); false: one scale per weight tensor. */
    perChannelDense?: boolean;
    /**
     * Smaller for the board's flash (about 1.3 KB of the built-in gesture model's 7.7): no tensor
     * names, and no quantization on the biases of per-channel filters, which neither TFLM nor
     * TFLite reads (their per-channel kernels take each bias scale as input scale x filter scale).
     */
    lean?: boolean;
}

export interface ConvertedModel {
    tflite: Buffer;
    input: QuantParams;
    output: QuantParams;
    /** The ops written, in order ("CONV_2D relu", "SOFTMAX", ...). */
    ops: string[];
    /** Multiply-accumulates per invoke of the convolutions and fully connected layers. */
    macs: number;
}

/** The tensor flowing between layers while converting. */
interface Flow {
    index: number;
    /** The TFLite shape (batch 1). */
    shape: number[];
    /** The tfjs shape with batch 1 (the TFLite shape may have an extra height 1 for 1-D layers). */
    logical: number[];
    q: QuantParams;
}

type Activation = "NONE" | "RELU" | "RELU6";

const prod = (a: number[]) => a.reduce((x, y) => x * y, 1);

function layerName(l: tf.layers.Layer): string {
    return `layer '${l.name}' (${l.getClassName()})`;
}

/** Observed [min, max] over a tensor's values. */
function range(t: tf.Tensor): [number, number] {
    return tf.tidy(() => [t.min().dataSync()[0], t.max().dataSync()[0]]);
}

function activationName(config: any): string {
    const a = config.activation;
    return typeof a === "string" ? a : a && a.className ? String(a.className).toLowerCase() : "linear";
}

/** A layer's activation, or the activation an Activation/ReLU/Softmax layer applies; null for other layers. */
function standaloneActivation(l: tf.layers.Layer): string | null {
    const cls = l.getClassName();
    const config: any = l.getConfig();
    if (cls === "Activation") return activationName(config);
    if (cls === "ReLU") {
        if (config.maxValue === 6) return "relu6";
        if (config.maxValue === null || config.maxValue === undefined) return "relu";
        throw new Error(`converter: ${layerName(l)}: ReLU with max value ${config.maxValue} is not supported (only none or 6)`);
    }
    if (cls === "Softmax") {
        const axis = config.axis;
        if (axis !== undefined && axis !== -1) throw new Error(`converter: ${layerName(l)}: softmax over axis ${axis} is not supported (only the last)`);
        return "softmax";
    }
    return null;
}

const list = (v: any, n: number): number[] => (Array.isArray(v) ? v.slice() : new Array(n).fill(v));

/** The layers in order, checked to form a chain from the model's one input to its one output. */
function chainOfLayers(model: tf.LayersModel): tf.layers.Layer[] {
    if (model.inputs.length !== 1 || model.outputs.length !== 1)
        throw new Error(`converter: the model must have one input and one output, not ${model.inputs.length} and ${model.outputs.length}`);
    const layers = model.layers.filter((l) => l.getClassName() !== "InputLayer");
    if (!layers.length) throw new Error("converter: the model has no layers");
    let previous: any = null;
    for (const l of layers) {
        const nodes = (l as any).inboundNodes as any[];
        if (!nodes || nodes.length !== 1) throw new Error(`converter: ${layerName(l)} is used ${nodes ? nodes.length : 0} times; only chains of layers are supported`);
        const inbound = nodes[0].inboundLayers as any[];
        const from = inbound.length === 1 ? inbound[0] : null;
        const ok = previous ? from === previous : from && from.getClassName() === "InputLayer";
        if (!ok) throw new Error(`converter: ${layerName(l)} does not take the previous layer's output; only chains of layers are supported`);
        previous = l;
    }
    if (previous.output !== model.outputs[0]) throw new Error("converter: the last layer's output is not the model's output");
    return layers;
}

/** Float weights of a compute layer after folding a following BatchNormalization, if any. */
interface ComputeWeights {
    kernel: tf.Tensor;
    bias: Float32Array;
}

function computeWeights(l: tf.layers.Layer, channels: number): ComputeWeights {
    const w = l.getWeights();
    const config: any = l.getConfig();
    const kernel = w[0];
    const bias = config.useBias === false || w.length < 2 ? new Float32Array(channels) : Float32Array.from(w[1].dataSync());
    return { kernel, bias };
}

/**
 * Folds BatchNormalization into the preceding layer: y = gamma * (x - mean) / sqrt(var + eps) + beta
 * multiplies each output channel's weights by gamma / sqrt(var + eps) and shifts its bias.
 * `channelOf(i)` is the output channel of kernel element i.
 */
function foldBatchNorm(cw: ComputeWeights, bn: tf.layers.Layer, channelOf: (i: number) => number): ComputeWeights {
    const config: any = bn.getConfig();
    if (config.axis !== -1 && !(Array.isArray(config.axis) && config.axis.length === 1 && config.axis[0] === -1))
        throw new Error(`converter: ${layerName(bn)}: only normalization over the last axis can be folded, not axis ${config.axis}`);
    const w = bn.getWeights().map((t) => t.dataSync());
    let k = 0;
    const gamma = config.scale === false ? null : w[k++];
    const beta = config.center === false ? null : w[k++];
    const mean = w[k++], variance = w[k++];
    const n = cw.bias.length;
    if (mean.length !== n) throw new Error(`converter: ${layerName(bn)} normalizes ${mean.length} channels, the layer before has ${n}`);
    const factor = new Float32Array(n);
    const bias = new Float32Array(n);
    for (let c = 0; c < n; c++) {
        factor[c] = (gamma ? gamma[c] : 1) / Math.sqrt(variance[c] + config.epsilon);
        bias[c] = (cw.bias[c] - mean[c]) * factor[c] + (beta ? beta[c] : 0);
    }
    const values = Float32Array.from(cw.kernel.dataSync());
    for (let i = 0; i < values.length; i++) values[i] *= factor[channelOf(i)];
    return { kernel: tf.tensor(values, cw.kernel.shape), bias };
}

/** Values of `t` (row-major, shape `shape`) rearranged by `perm` (numpy's transpose). */
function transposed(t: tf.Tensor, perm: number[]): Float32Array {
    return tf.tidy(() => Float32Array.from(tf.transpose(t, perm).dataSync()));
}

/** The converter's state: the graph being written and the tensor flowing out of the last op. */
class Converter {
    g = new GraphBuilder();
    ops: string[] = [];
    macs = 0;
    cur!: Flow;
    perChannelDense: boolean;
    lean: boolean;

    constructor(perChannelDense: boolean, lean: boolean) {
        this.perChannelDense = perChannelDense;
        this.lean = lean;
    }

    activationTensor(shape: number[], logical: number[], q: QuantParams, name: string): Flow {
        const index = this.g.tensor({ shape, type: "int8", scale: q.scale, zeroPoint: q.zeroPoint, name });
        return { index, shape, logical, q };
    }

    /** RESHAPE of the current tensor to `shape` (same scale and zero point), unless it has that shape. */
    reshape(shape: number[], logical: number[], name: string): void {
        const c = this.cur;
        if (c.shape.join() === shape.join()) {
            c.logical = logical;
            return;
        }
        if (prod(shape) !== prod(c.shape)) throw new Error(`converter: ${name}: cannot reshape [${c.shape}] to [${shape}]`);
        const shapeConst = this.g.constant({ shape: [shape.length], type: "int32", data: shape, name: `${name}/shape` });
        const out = this.activationTensor(shape, logical, c.q, name);
        this.g.op("RESHAPE", [c.index, shapeConst], [out.index], { newShape: shape });
        this.ops.push("RESHAPE");
        this.cur = out;
    }

    /** The current tensor as a 4-D NHWC image: [1, 1, steps, channels] for 1-D layers. */
    asImage(oneD: boolean, name: string): void {
        const c = this.cur;
        const rank = c.logical.length;
        if (oneD) {
            if (rank !== 3) throw new Error(`converter: ${name}: a 1-D layer needs [batch, steps, channels] input, not [${c.logical}]`);
            this.reshape([1, 1, c.logical[1], c.logical[2]], c.logical, `${name}/as_image`);
        } else if (rank !== 4) throw new Error(`converter: ${name}: a 2-D layer needs [batch, height, width, channels] input, not [${c.logical}]`);
    }

    weights(name: string, shape: number[], values: Float32Array, channelDim: number, bias: Float32Array) {
        const inputScale = this.cur.q.scale;
        const widen = halfRangeForBias(bias, inputScale);
        let w: PerChannelWeights;
        if (channelDim === 0 && !this.perChannelDense && shape.length === 2) {
            // One scale for the whole tensor: the largest channel's range.
            const one = quantizePerChannel(values, [1, values.length], 0, [Math.max(...widen)]);
            w = { data: one.data, scales: new Array(shape[0]).fill(one.scales[0]) };
            const filter = this.g.constant({ shape, type: "int8", data: Buffer.from(w.data.buffer), scale: one.scales[0], zeroPoint: 0, name: `${name}/weights` });
            const b = quantizeBias(bias, inputScale, w.scales);
            const biasT = this.g.constant({ shape: [bias.length], type: "int32", data: Buffer.from(b.buffer), scale: f32(inputScale * one.scales[0]), zeroPoint: 0, name: `${name}/bias` });
            return { filter, bias: biasT };
        }
        w = quantizePerChannel(values, shape, channelDim, widen);
        const filter = this.g.constant({
            shape, type: "int8", data: Buffer.from(w.data.buffer), scale: w.scales, zeroPoint: 0, quantizedDimension: channelDim, name: `${name}/weights`,
        });
        const b = quantizeBias(bias, inputScale, w.scales);
        const biasT = this.g.constant(this.lean ? { shape: [bias.length], type: "int32", data: Buffer.from(b.buffer), name: `${name}/bias` } : {
            shape: [bias.length], type: "int32", data: Buffer.from(b.buffer), scale: w.scales.map((s) => f32(inputScale * s)), zeroPoint: 0, quantizedDimension: 0, name: `${name}/bias`,
        });
        return { filter, bias: biasT };
    }
}

/** How one step of the conversion ends: the layers it consumed, the range of its output. */
interface Step {
    /** The first layer of the step and how many layers it consumed (a layer, plus folded BatchNorm and activation). */
    count: number;
    /** The layer whose output is the step's output (its observed range quantizes the op's output). */
    last: tf.layers.Layer;
    fused: Activation;
    /** A softmax, sigmoid or tanh applied after the op as its own op. */
    separate: string | null;
    /** The BatchNormalization folded into the op, if any. */
    batchNorm: tf.layers.Layer | null;
}

const FUSED: { [name: string]: Activation } = { linear: "NONE", relu: "RELU", relu6: "RELU6" };
const SEPARATE = ["softmax", "sigmoid", "tanh"];

function checkActivation(l: tf.layers.Layer, a: string): void {
    if (!(a in FUSED) && !SEPARATE.includes(a))
        throw new Error(`converter: ${layerName(l)}: activation '${a}' is not supported (linear, relu, relu6, softmax, sigmoid, tanh)`);
}

/** Groups a compute layer with the BatchNormalization and activation layers that fold into it. */
function planStep(layers: tf.layers.Layer[], i: number): Step {
    const l = layers[i];
    const own = activationName(l.getConfig());
    checkActivation(l, own);
    const step: Step = { count: 1, last: l, fused: "NONE", separate: null, batchNorm: null };
    if (own !== "linear") {
        if (own in FUSED) step.fused = FUSED[own];
        else step.separate = own;
        return step;
    }
    let j = i + 1;
    if (j < layers.length && layers[j].getClassName() === "BatchNormalization") {
        step.batchNorm = layers[j];
        step.last = layers[j];
        j++;
    }
    const next = j < layers.length ? standaloneActivation(layers[j]) : null;
    if (next !== null) {
        checkActivation(layers[j], next);
        if (next in FUSED) {
            step.fused = FUSED[next];
            step.last = layers[j];
            j++;
        }
    }
    step.count = j - i;
    return step;
}

/**
 * Converts `model` to an int8 .tflite (see the top of this file). Throws an Error naming the
 * layer for anything it cannot convert.
 */
export function convertToTflite(model: tf.LayersModel, opts: ConvertOptions): ConvertedModel {
    const layers = chainOfLayers(model);
    const data = opts.representativeData;
    const inShape = model.inputs[0].shape;
    if (data.shape.length !== inShape.length || data.shape.slice(1).join() !== inShape.slice(1).join())
        throw new Error(`converter: representative data of shape [${data.shape}] does not fit the model's input [${inShape.map((d) => d ?? "n")}]`);
    if (data.shape[0] === 0) throw new Error("converter: no representative data");

    layers.forEach(checkSupported);

    // Calibration: every layer's output on the representative data, run layer by layer.
    const ranges = new Map<tf.layers.Layer, [number, number]>();
    const inputs = new Map<tf.layers.Layer, tf.Tensor>();
    const inputRange = range(data);
    let x: tf.Tensor = data;
    const keep: tf.Tensor[] = [];
    for (const l of layers) {
        inputs.set(l, x);
        const y = l.apply(x, { training: false }) as tf.Tensor;
        if (!y.dataSync().every(isFinite)) throw new Error(`converter: ${layerName(l)} gives values that are not finite on the representative data`);
        ranges.set(l, range(y));
        keep.push(y);
        x = y;
    }

    const c = new Converter(opts.perChannelDense !== false, !!opts.lean);
    try {
        const shape0 = [1, ...inShape.slice(1)] as number[];
        const inQ = asymmetricParams(inputRange[0], inputRange[1]);
        c.cur = c.activationTensor(shape0, shape0, inQ, "input");
        c.g.inputs.push(c.cur.index);
        for (let i = 0; i < layers.length;) {
            const l = layers[i];
            const cls = l.getClassName();
            const config: any = l.getConfig();
            const name = l.name;
            const act = standaloneActivation(l);
            if (cls === "Dropout" || cls === "SpatialDropout1D" || cls === "GaussianNoise" || cls === "GaussianDropout" || (act === "linear")) {
                i++;
                continue;
            }
            if (cls === "Dense" || cls === "Conv1D" || cls === "Conv2D" || cls === "DepthwiseConv2D") {
                const step = planStep(layers, i);
                convertCompute(c, l, step, ranges, inputs);
                i += step.count;
                continue;
            }
            if (act !== null) {
                convertActivation(c, l, act, ranges.get(l)!);
                i++;
                continue;
            }
            switch (cls) {
                case "MaxPooling1D": case "AveragePooling1D": case "MaxPooling2D": case "AveragePooling2D": {
                    const oneD = cls.endsWith("1D");
                    c.asImage(oneD, name);
                    if (config.dataFormat === "channelsFirst") throw new Error(`converter: ${layerName(l)}: channelsFirst is not supported`);
                    const pool = oneD ? [1, list(config.poolSize, 1)[0]] : list(config.poolSize, 2);
                    const strides = config.strides === null || config.strides === undefined ? pool : oneD ? [1, list(config.strides, 1)[0]] : list(config.strides, 2);
                    const padding = String(config.padding).toUpperCase();
                    if (padding !== "SAME" && padding !== "VALID") throw new Error(`converter: ${layerName(l)}: padding '${config.padding}' is not supported`);
                    pool2d(c, cls.startsWith("Max") ? "MAX_POOL_2D" : "AVERAGE_POOL_2D", pool, strides, padding, oneD, name);
                    break;
                }
                case "GlobalMaxPooling1D": case "GlobalAveragePooling1D": case "GlobalMaxPooling2D": case "GlobalAveragePooling2D": {
                    const oneD = cls.endsWith("1D");
                    c.asImage(oneD, name);
                    if (config.dataFormat === "channelsFirst") throw new Error(`converter: ${layerName(l)}: channelsFirst is not supported`);
                    const [, h, w] = c.cur.shape;
                    pool2d(c, cls.startsWith("GlobalMax") ? "MAX_POOL_2D" : "AVERAGE_POOL_2D", [h, w], [h, w], "VALID", oneD, name);
                    const channels = c.cur.shape[3];
                    c.reshape([1, channels], [1, channels], `${name}/flatten`);
                    break;
                }
                case "Flatten": {
                    const n = prod(c.cur.logical);
                    c.reshape([1, n], [1, n], name);
                    break;
                }
                case "Reshape": {
                    const target = [1, ...config.targetShape] as number[];
                    const known = prod(target.filter((d) => d >= 0));
                    const resolved = target.map((d) => (d < 0 ? prod(c.cur.logical) / known : d));
                    c.reshape(resolved, resolved, name);
                    break;
                }
                case "BatchNormalization":
                    throw new Error(`converter: ${layerName(l)}: BatchNormalization is supported only right after a Dense or convolution without activation`);
                default:
                    throw new Error(`converter: ${layerName(l)} is not supported`);
            }
            i++;
        }
        // The output has the tfjs model's shape.
        const outShape = [1, ...model.outputs[0].shape.slice(1)] as number[];
        c.reshape(outShape, outShape, "output");
        c.g.output(c.cur.index);
        for (const m of opts.metadata ?? []) c.g.addMetadata(m.name, m.data);
        if (opts.lean) for (const t of c.g.tensors) delete t.name;
        return { tflite: c.g.toBuffer({ description: opts.description ?? "pxt-tinyml converter: int8" }), input: inQ, output: c.cur.q, ops: c.ops, macs: c.macs };
    } finally {
        keep.forEach((t) => t.dispose());
    }
}

function pool2d(c: Converter, op: string, pool: number[], strides: number[], padding: string, oneD: boolean, name: string): void {
    const [, h, w, ch] = c.cur.shape;
    const size = (n: number, k: number, s: number) => (padding === "SAME" ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
    const oh = size(h, pool[0], strides[0]), ow = size(w, pool[1], strides[1]);
    if (oh <= 0 || ow <= 0) throw new Error(`converter: ${name}: a ${pool[0]}x${pool[1]} pool does not fit [${c.cur.shape}]`);
    const shape = [1, oh, ow, ch];
    const out = c.activationTensor(shape, oneD ? [1, ow, ch] : shape, c.cur.q, name);
    c.g.op(op, [c.cur.index], [out.index], {
        padding, strideH: strides[0], strideW: strides[1], filterHeight: pool[0], filterWidth: pool[1], activation: "NONE",
    });
    c.ops.push(op);
    c.cur = out;
}

/** SOFTMAX, LOGISTIC, TANH, or RELU/RELU6 (a standalone activation that found nothing to fuse into). */
function convertActivation(c: Converter, l: tf.layers.Layer, act: string, observed: [number, number], name = l.name): void {
    checkActivation(l, act);
    const ops: { [a: string]: [string, QuantParams | null] } = {
        softmax: ["SOFTMAX", SOFTMAX_OUTPUT], sigmoid: ["LOGISTIC", SOFTMAX_OUTPUT], tanh: ["TANH", TANH_OUTPUT],
        relu: ["RELU", null], relu6: ["RELU6", null],
    };
    const [op, fixed] = ops[act];
    const q = fixed ?? asymmetricParams(observed[0], observed[1]);
    const out = c.activationTensor(c.cur.shape, c.cur.logical, q, name);
    c.g.op(op, [c.cur.index], [out.index], op === "SOFTMAX" ? { beta: 1 } : undefined);
    c.ops.push(op);
    c.cur = out;
}

function convertCompute(c: Converter, l: tf.layers.Layer, step: Step, ranges: Map<tf.layers.Layer, [number, number]>, inputs: Map<tf.layers.Layer, tf.Tensor>): void {
    const cls = l.getClassName();
    const config: any = l.getConfig();
    const name = l.name;
    if (config.dataFormat === "channelsFirst") throw new Error(`converter: ${layerName(l)}: channelsFirst is not supported`);
    // The op's output quantization: the range after the fused activation, or before a separate one.
    let observed = ranges.get(step.last)!;
    if (step.separate) observed = preActivationRange(l, inputs.get(l)!);
    const outQ = asymmetricParams(observed[0], observed[1]);
    const fusedName = step.fused === "NONE" ? "" : " " + step.fused.toLowerCase();
    let out: Flow;

    if (cls === "Dense") {
        if (c.cur.logical.length !== 2) throw new Error(`converter: ${layerName(l)}: Dense on a [${c.cur.logical}] input is not supported (flatten it first)`);
        const units = config.units;
        let cw = computeWeights(l, units);
        if (step.batchNorm) cw = foldBatchNorm(cw, step.batchNorm, (i) => i % units);
        const depth = cw.kernel.shape[0];
        // tfjs kernel [in, out]; TFLite filter [out, in].
        const { filter, bias } = c.weights(name, [units, depth], transposed(cw.kernel, [1, 0]), 0, cw.bias);
        out = c.activationTensor([1, units], [1, units], outQ, name);
        c.g.op("FULLY_CONNECTED", [c.cur.index, filter, bias], [out.index], { activation: step.fused });
        c.ops.push("FULLY_CONNECTED" + fusedName);
        c.macs += units * depth;
    } else {
        const oneD = cls === "Conv1D";
        c.asImage(oneD, name);
        const [, h, w, inC] = c.cur.shape;
        const kernelSize = oneD ? [1, list(config.kernelSize, 1)[0]] : list(config.kernelSize, 2);
        const strides = oneD ? [1, list(config.strides, 1)[0]] : list(config.strides, 2);
        const dilation = oneD ? [1, list(config.dilationRate, 1)[0]] : list(config.dilationRate, 2);
        const padding = String(config.padding).toUpperCase();
        if (padding !== "SAME" && padding !== "VALID") throw new Error(`converter: ${layerName(l)}: padding '${config.padding}' is not supported (same or valid)`);
        if ((strides[0] > 1 || strides[1] > 1) && (dilation[0] > 1 || dilation[1] > 1))
            throw new Error(`converter: ${layerName(l)}: strides and dilation together are not supported`);
        const size = (n: number, k: number, s: number, d: number) => {
            const eff = (k - 1) * d + 1;
            return padding === "SAME" ? Math.ceil(n / s) : Math.floor((n - eff) / s) + 1;
        };
        const oh = size(h, kernelSize[0], strides[0], dilation[0]);
        const ow = size(w, kernelSize[1], strides[1], dilation[1]);
        if (oh <= 0 || ow <= 0) throw new Error(`converter: ${layerName(l)}: the kernel does not fit the input [${c.cur.logical}]`);
        const options: any = { padding, strideH: strides[0], strideW: strides[1], dilationH: dilation[0], dilationW: dilation[1], activation: step.fused };
        if (cls === "DepthwiseConv2D") {
            const mult = config.depthMultiplier ?? 1;
            const outC = inC * mult;
            let cw = computeWeights(l, outC);
            // tfjs kernel [kh, kw, in, mult]: output channel in * mult + m, the last index of the flattened kernel.
            if (step.batchNorm) cw = foldBatchNorm(cw, step.batchNorm, (i) => i % outC);
            const { filter, bias } = c.weights(name, [1, kernelSize[0], kernelSize[1], outC], Float32Array.from(cw.kernel.dataSync()), 3, cw.bias);
            out = c.activationTensor([1, oh, ow, outC], [1, oh, ow, outC], outQ, name);
            c.g.op("DEPTHWISE_CONV_2D", [c.cur.index, filter, bias], [out.index], { ...options, depthMultiplier: mult });
            c.ops.push("DEPTHWISE_CONV_2D" + fusedName);
            c.macs += oh * ow * outC * kernelSize[0] * kernelSize[1];
        } else {
            const outC = config.filters;
            let cw = computeWeights(l, outC);
            if (step.batchNorm) cw = foldBatchNorm(cw, step.batchNorm, (i) => i % outC);
            // tfjs kernel [kh, kw, in, out] (Conv1D: [k, in, out]); TFLite filter [out, kh, kw, in].
            const k4 = cw.kernel.reshape([kernelSize[0], kernelSize[1], inC, outC]);
            const values = transposed(k4, [3, 0, 1, 2]);
            k4.dispose();
            const { filter, bias } = c.weights(name, [outC, kernelSize[0], kernelSize[1], inC], values, 0, cw.bias);
            out = c.activationTensor([1, oh, ow, outC], oneD ? [1, ow, outC] : [1, oh, ow, outC], outQ, name);
            c.g.op("CONV_2D", [c.cur.index, filter, bias], [out.index], options);
            c.ops.push("CONV_2D" + fusedName);
            c.macs += oh * ow * outC * kernelSize[0] * kernelSize[1] * inC;
        }
    }
    c.cur = out;
    if (step.separate) convertActivation(c, l, step.separate, ranges.get(l)!, `${name}/${step.separate}`);
}

const COMPUTE = ["Dense", "Conv1D", "Conv2D", "DepthwiseConv2D"];
const POOLS = ["MaxPooling1D", "AveragePooling1D", "MaxPooling2D", "AveragePooling2D"];
const GLOBAL_POOLS = ["GlobalMaxPooling1D", "GlobalAveragePooling1D", "GlobalMaxPooling2D", "GlobalAveragePooling2D"];
const PASS_THROUGH = ["Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout"];
const SHAPES = ["Flatten", "Reshape", "BatchNormalization"];

/** Fails early, before calibration runs the model, on a layer or setting the conversion does not handle. */
function checkSupported(l: tf.layers.Layer): void {
    const cls = l.getClassName();
    const config: any = l.getConfig();
    if (standaloneActivation(l) !== null) {
        checkActivation(l, standaloneActivation(l)!);
        return;
    }
    if (![...COMPUTE, ...POOLS, ...GLOBAL_POOLS, ...PASS_THROUGH, ...SHAPES].includes(cls)) throw new Error(`converter: ${layerName(l)} is not supported`);
    if (config.dataFormat === "channelsFirst") throw new Error(`converter: ${layerName(l)}: channelsFirst is not supported`);
    if ((COMPUTE.includes(cls) || POOLS.includes(cls)) && cls !== "Dense") {
        const padding = String(config.padding);
        if (padding !== "same" && padding !== "valid") throw new Error(`converter: ${layerName(l)}: padding '${config.padding}' is not supported (same or valid)`);
    }
    if (COMPUTE.includes(cls)) checkActivation(l, activationName(config));
}

/** The range of a layer's output before its (softmax, sigmoid or tanh) activation, on its calibration input. */
function preActivationRange(l: tf.layers.Layer, x: tf.Tensor): [number, number] {
    const config: any = l.getConfig();
    const cls = l.getClassName();
    const cw = computeWeights(l, cls === "DepthwiseConv2D" ? x.shape[x.shape.length - 1] * (config.depthMultiplier ?? 1) : config.units ?? config.filters);
    const pre = tf.tidy(() => {
        const pad = config.padding as "same" | "valid";
        let y: tf.Tensor;
        if (cls === "Dense") y = tf.matMul(x as tf.Tensor2D, cw.kernel as tf.Tensor2D);
        else if (cls === "Conv1D") y = tf.conv1d(x as tf.Tensor3D, cw.kernel as tf.Tensor3D, list(config.strides, 1)[0], pad, "NWC", list(config.dilationRate, 1)[0]);
        else if (cls === "Conv2D") y = tf.conv2d(x as tf.Tensor4D, cw.kernel as tf.Tensor4D, list(config.strides, 2) as [number, number], pad, "NHWC", list(config.dilationRate, 2) as [number, number]);
        else y = tf.depthwiseConv2d(x as tf.Tensor4D, cw.kernel as tf.Tensor4D, list(config.strides, 2) as [number, number], pad, "NHWC", list(config.dilationRate, 2) as [number, number]);
        return tf.add(y, tf.tensor1d(cw.bias));
    });
    const r = range(pre);
    pre.dispose();
    return r;
}
