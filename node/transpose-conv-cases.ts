// Generated TRANSPOSE_CONV models: the fuzzer's and the replay's random kind (node/fuzz.ts
// CASE_KINDS) and TFLM's goldens (tools/make-tflm-goldens.ts), from one builder whose choices
// name the branches of TFLM's kernel a case takes.
import type { OpCase, Rand } from "./fuzz";
import { singleOpModel, SingleOpSpec, TensorSpec, TypeName } from "./model-writer";

export type TransposeConvBias = "none" | "int32" | "int64" | "int16" | "float32";

export interface TransposeConvChoice {
    type: TypeName;
    padding: "SAME" | "VALID";
    strideH: number;
    strideW: number;
    bias: TransposeConvBias;
    activation: "NONE" | "RELU" | "RELU6" | "RELU_N1_TO_1";
    batches: number;
    /** Quantized: one filter scale per output channel, or one for all. */
    perChannel: boolean;
    /**
     * "matching": an output size whose padding-aware forward convolution gives back the input's
     * size, as converters write; "any": any size, which TFLM runs too (positions no input window
     * reaches get the bias alone, input windows may fall past the output's end).
     */
    outputSize: "matching" | "any";
    /** The output shape as a model input instead of a constant (TFLM never reads it). */
    outputShapeInput: boolean;
}

/** The biases a type takes: int16 activations have int64 biases, or int16 ones TFLM widens. */
export function transposeConvBiases(type: TypeName): TransposeConvBias[] {
    return type === "float32" ? ["none", "float32"] : type === "int8" ? ["none", "int32"] : ["none", "int64", "int16"];
}

const ACTIVATIONS: TransposeConvChoice["activation"][] = ["NONE", "RELU", "RELU6", "RELU_N1_TO_1"];

/** An output size for `input` positions: in the matching range, or anything from 1 to a little past it. */
function outputSize(rand: Rand, c: TransposeConvChoice, input: number, filter: number, stride: number): number {
    // SAME: ceil(out / stride) = input; VALID: floor((out - filter) / stride) + 1 = input.
    const lo = c.padding === "SAME" ? (input - 1) * stride + 1 : (input - 1) * stride + filter;
    const hi = lo + stride - 1;
    return c.outputSize === "matching" ? rand.int(lo, hi) : rand.int(1, hi + 3);
}

/** A model and its input bytes for `c`, shapes and values drawn from `rand`. */
export function transposeConvModel(rand: Rand, c: TransposeConvChoice): { spec: SingleOpSpec; inputs: Buffer[] } {
    const inH = rand.int(1, 5), inW = rand.int(1, 5), cin = rand.int(1, 5), cout = rand.int(1, 6);
    const kh = rand.int(1, 4), kw = rand.int(1, 4);
    const outH = outputSize(rand, c, inH, kh, c.strideH), outW = outputSize(rand, c, inW, kw, c.strideW);
    const outShape = [c.batches, outH, outW, cout];
    const filterShape = [cout, kh, kw, cin];
    const filterCount = cout * kh * kw * cin;
    const options = { padding: c.padding, strideH: c.strideH, strideW: c.strideW, activation: c.activation };
    const shapeTensor: TensorSpec = c.outputShapeInput ? { shape: [4], type: "int32" } : { shape: [4], type: "int32", data: outShape };
    const type = c.type;
    let filter: TensorSpec, input: TensorSpec, output: TensorSpec, bias: TensorSpec | null = null;
    if (type === "float32") {
        input = { shape: [c.batches, inH, inW, cin], type };
        filter = { shape: filterShape, type, data: rand.values("float32", filterCount, 1) };
        if (c.bias !== "none") bias = { shape: [cout], type, data: rand.values("float32", cout, 1) };
        output = { shape: outShape, type };
    } else {
        const sW: number[] = [];
        for (let k = 0; k < (c.perChannel ? cout : 1); k++) sW.push(rand.scale(-9, -5));
        const zIn = type === "int8" ? rand.zeroPoint("int8") : 0;
        // A typical sum, in units of input scale x filter scale: about the filter taps one stride
        // apart times the channels, each term a typical input (64 or 16384) times a typical weight (64).
        const terms = Math.ceil(kh / c.strideH) * Math.ceil(kw / c.strideW) * cin;
        const typical = (type === "int8" ? 64 : 16384) * 64 * Math.sqrt(terms);
        const qmax = type === "int8" ? 127 : 32767;
        // RELU6 and RELU_N1_TO_1 bound the output: the sums are scaled to reach about the bound and
        // the output quantized over about its range, so that the clamp cuts some outputs, not all.
        const bound = c.activation === "RELU6" ? 6 : c.activation === "RELU_N1_TO_1" ? 1 : 0;
        const sIn = bound ? Math.fround(bound / (typical * Math.max(...sW)) * (0.3 + rand.next() * 2)) :
            type === "int8" ? rand.scale(-8, -2) : rand.scale(-15, -10);
        const sOut = bound ? Math.fround((c.activation === "RELU6" ? 6 : 2) / (2 * qmax + 1) * (0.8 + 0.7 * rand.next())) :
            Math.fround(sIn * Math.max(...sW) * typical / qmax * (0.3 + rand.next() * 2));
        // RELU and RELU6 keep the non-negative outputs: a zero point near the bottom of int8.
        const zOut = type !== "int8" ? 0 : c.activation === "RELU" || c.activation === "RELU6" ? rand.pick([-128, -128, rand.int(-128, -64)]) :
            c.activation === "RELU_N1_TO_1" ? rand.int(-20, 20) : rand.zeroPoint("int8");
        input = { shape: [c.batches, inH, inW, cin], type, scale: sIn, zeroPoint: zIn };
        filter = { shape: filterShape, type: "int8", scale: c.perChannel ? sW : sW[0], zeroPoint: 0, quantizedDimension: 0,
            data: rand.values("int8", filterCount).map((v) => Math.max(v, -127)) };
        if (c.bias !== "none") {
            const range = c.bias === "int64" ? 2 ** 20 : 2 ** 14;
            const values: number[] = [];
            for (let k = 0; k < cout; k++) values.push(rand.int(-range, range));
            const scales = c.perChannel ? sW.map((s) => Math.fround(sIn * s)) : Math.fround(sIn * sW[0]);
            bias = { shape: [cout], type: c.bias, scale: scales, zeroPoint: 0, data: values };
        }
        output = { shape: outShape, type, scale: sOut, zeroPoint: zOut };
    }
    const spec: SingleOpSpec = { op: "TRANSPOSE_CONV", options, inputs: [shapeTensor, filter, input, bias], outputs: [output] };
    const inputs: Buffer[] = [];
    // TFLM never reads a non-constant output shape: it gets the true shape all the same.
    if (c.outputShapeInput) inputs.push(Buffer.from(new Int32Array(outShape).buffer));
    inputs.push(rand.bytes(type, input.shape, 4));
    return { spec, inputs };
}

/** A random choice for `type`, every branch possible. */
export function randomTransposeConvChoice(rand: Rand, type: TypeName): TransposeConvChoice {
    return {
        type, padding: rand.pick(["SAME", "VALID"] as const), strideH: rand.int(1, 3), strideW: rand.int(1, 3),
        bias: rand.pick(transposeConvBiases(type)), activation: rand.pick(ACTIVATIONS), batches: rand.int(1, 3),
        perChannel: rand.chance(0.7), outputSize: rand.chance(0.8) ? "matching" : "any", outputShapeInput: rand.chance(0.2),
    };
}

/** The fuzzer's and the replay's TRANSPOSE_CONV kind. */
export function transposeConvCase(rand: Rand, type: TypeName): OpCase {
    const c = randomTransposeConvChoice(rand, type);
    const { spec, inputs } = transposeConvModel(rand, c);
    const t = (x: TensorSpec | null) => (x === null ? "-" : `${x.type}[${x.shape}]${x.data !== undefined ? " const" : ""}`);
    return {
        model: singleOpModel(spec), inputs, outputType: type,
        summary: `TRANSPOSE_CONV ${JSON.stringify(spec.options)} in: ${spec.inputs.map(t).join("; ")} out: ${t(spec.outputs[0])}`,
    };
}
