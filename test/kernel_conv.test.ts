// CONV_2D and DEPTHWISE_CONV_2D on tiny single-op models whose outputs are worked out by hand.
// Scales are powers of two (or 1/48 where rounding is the point), so every expected value below
// is exact arithmetic on the quantized numbers; the comments show the sums. Then the int8 bodies
// on seeded random models in each of the layouts they pick for speed, against TFLM's formula
// computed in BigInt.
import * as assert from "assert";
import { loadTflite } from "../node/sts-runtime";
import { singleOpModel, encodeValues, Options, TensorSpec } from "../node/model-writer";
import { Rand } from "../node/fuzz";

const tflite = loadTflite();

interface ConvCase {
    op?: "CONV_2D" | "DEPTHWISE_CONV_2D";
    input: TensorSpec;
    /** The input's quantized (or float) values, NHWC order. */
    x: number[];
    filter: TensorSpec;
    bias?: TensorSpec;
    output: TensorSpec;
    options: Options;
}

function load(c: ConvCase): any {
    return new tflite.StsInterpreter(singleOpModel({
        op: c.op || "CONV_2D", inputs: [c.input, c.filter, c.bias || null], outputs: [c.output], options: c.options,
    }));
}

/** Runs the case; returns the output's stored values (quantized, or float32) and the body used. */
function run(c: ConvCase): { y: number[]; body: string } {
    const ip = load(c);
    ip.setInputBytes(0, encodeValues(c.input.type, c.x));
    ip.invoke();
    const t = ip.output(0);
    const y: number[] = [];
    for (let i = 0; i < t.elementCount(); i++) y.push(t.get(i));
    return { y, body: ip.model.operators[0].bodyName };
}

function fails(c: ConvCase, pattern: RegExp): void {
    assert.throws(() => load(c), (e: any) => {
        assert.strictEqual(typeof e, "string", `expected an interpreter error, got ${e}`);
        assert.match(e, pattern);
        return true;
    });
}

const int8 = (shape: number[], scale = 1, zeroPoint = 0): TensorSpec => ({ shape, type: "int8", scale, zeroPoint });
const int16 = (shape: number[], scale = 1): TensorSpec => ({ shape, type: "int16", scale, zeroPoint: 0 });
const float = (shape: number[]): TensorSpec => ({ shape, type: "float32" });
const constant = (t: TensorSpec, data: number[]): TensorSpec => ({ ...t, data });

// 3x3 image 1..9 and a 2x2 filter [[1, 2], [3, 4]], everything at scale 1.
const image3x3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const filter2x2 = constant(int8([1, 2, 2, 1]), [1, 2, 3, 4]);

describe("CONV_2D int8", () => {
    it("VALID padding, with and without bias", () => {
        // out(y, x) = in(y, x) + 2 in(y, x+1) + 3 in(y+1, x) + 4 in(y+1, x+1)
        const c: ConvCase = { input: int8([1, 3, 3, 1]), x: image3x3, filter: filter2x2, output: int8([1, 2, 2, 1]), options: { padding: "VALID", strideW: 1, strideH: 1 } };
        assert.deepStrictEqual(run(c), { y: [37, 47, 67, 77], body: "conv_2d_int8" });
        c.bias = constant({ shape: [1], type: "int32", scale: 1, zeroPoint: 0 }, [10]);
        assert.deepStrictEqual(run(c).y, [47, 57, 77, 87]);
    });

    it("SAME padding puts the odd padding row and column after the image", () => {
        // total padding (3-1)*1 + 2 - 3 = 1: none before, so the last row and column see zeros.
        const c: ConvCase = { input: int8([1, 3, 3, 1]), x: image3x3, filter: filter2x2, output: int8([1, 3, 3, 1]), options: { padding: "SAME", strideW: 1, strideH: 1 } };
        assert.deepStrictEqual(run(c).y, [37, 47, 3 + 3 * 6, 67, 77, 6 + 3 * 9, 7 + 2 * 8, 8 + 2 * 9, 9]);
    });

    it("SAME padding with stride 2 centres a 3x3 window (one padding row and column before)", () => {
        // out 2x2 = ceil(3/2); total padding (2-1)*2 + 3 - 3 = 2, one before: windows of ones over in(-1..1, -1..1) etc.
        const c: ConvCase = {
            input: int8([1, 3, 3, 1]), x: image3x3, filter: constant(int8([1, 3, 3, 1]), [1, 1, 1, 1, 1, 1, 1, 1, 1]),
            output: int8([1, 2, 2, 1]), options: { padding: "SAME", strideW: 2, strideH: 2 },
        };
        assert.deepStrictEqual(run(c).y, [1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9]);
    });

    it("strides skip window positions (VALID, stride 2 along the width only)", () => {
        // 5 columns, 1x2 filter of ones, stride 2: (5 + 2 - 2) / 2 = 2 outputs, columns 0-1 and 2-3.
        const c: ConvCase = {
            input: int8([1, 1, 5, 1]), x: [1, 2, 3, 4, 5], filter: constant(int8([1, 1, 2, 1]), [1, 1]),
            output: int8([1, 1, 2, 1]), options: { padding: "VALID", strideW: 2, strideH: 1 },
        };
        assert.deepStrictEqual(run(c).y, [3, 7]);
    });

    it("dilation spreads the filter taps", () => {
        // dilation 2: taps at (0,0), (0,2), (2,0), (2,2) of the 3x3 image; one VALID position.
        const c: ConvCase = {
            input: int8([1, 3, 3, 1]), x: image3x3, filter: filter2x2, output: int8([1, 1, 1, 1]),
            options: { padding: "VALID", strideW: 1, strideH: 1, dilationW: 2, dilationH: 2 },
        };
        assert.deepStrictEqual(run(c).y, [1 * 1 + 2 * 3 + 3 * 7 + 4 * 9]);
    });

    it("uses one multiplier per output channel for per-channel filters", () => {
        // input scale 0.5: q [6, -4] = [3, -2]. Filter channel 0 at scale 0.5: q [2, 4] = [1, 2];
        // channel 1 at scale 0.25: q [-4, 16] = [-1, 4]. Output scale 1:
        // channel 0: (6*2 - 4*4) * 0.25 = -1; channel 1: (-24 - 64) * 0.125 = -11.
        const c: ConvCase = {
            input: int8([1, 1, 1, 2], 0.5), x: [6, -4],
            filter: { shape: [2, 1, 1, 2], type: "int8", scale: [0.5, 0.25], zeroPoint: 0, quantizedDimension: 0, data: [2, 4, -4, 16] },
            output: int8([1, 1, 1, 2]), options: { padding: "VALID", strideW: 1, strideH: 1 },
        };
        assert.deepStrictEqual(run(c).y, [-1, -11]);
        // A per-tensor filter scale of 0.5 applies to both channels: -1 and -22.
        c.filter = { ...c.filter, scale: 0.5, quantizedDimension: undefined };
        assert.deepStrictEqual(run(c).y, [-1, -22]);
    });

    it("rounds the rescaled accumulator twice, as TFLM's MultiplyByQuantizedMultiplier", () => {
        // Output scale 4: multiplier 0.25 = 2^30 * 2^-31 (rounded: x/2 to nearest, halves up), then
        // shift 1 (rounded again): 37 -> 18.5 -> 19 -> 9.5 -> 10; 47 -> 23.5 -> 24 -> 12;
        // 67 -> 33.5 -> 34 -> 17; 77 -> 38.5 -> 39 -> 19.5 -> 20. (Single rounding would give 9 and 19.)
        const c: ConvCase = { input: int8([1, 3, 3, 1]), x: image3x3, filter: filter2x2, output: int8([1, 2, 2, 1], 4), options: { padding: "VALID", strideW: 1, strideH: 1 } };
        assert.deepStrictEqual(run(c).y, [10, 12, 17, 20]);
        // Negative halves: -37 -> -18.5 -> -18 -> -9 (exactly, no second rounding).
        c.filter = constant(int8([1, 2, 2, 1]), [-1, -2, -3, -4]);
        assert.deepStrictEqual(run(c).y, [-9, -12, -17, -19]);
    });

    it("saturates at -128 and 127", () => {
        // 100 * 100 = 10000 and 100 * -100 = -10000 do not fit in int8.
        const c: ConvCase = {
            input: int8([1, 1, 1, 1]), x: [100], filter: constant(int8([2, 1, 1, 1]), [100, -100]),
            output: int8([1, 1, 1, 2]), options: { padding: "VALID", strideW: 1, strideH: 1 },
        };
        assert.deepStrictEqual(run(c).y, [127, -128]);
    });

    it("applies the input zero point -128 and the output zero point 127", () => {
        // input zp -128: q [-126, -125] = [2, 3]; filter [-3]: [-6, -9]; output zp 127: [121, 118].
        const c: ConvCase = {
            input: int8([1, 1, 2, 1], 1, -128), x: [-126, -125], filter: constant(int8([1, 1, 1, 1]), [-3]),
            output: int8([1, 1, 2, 1], 1, 127), options: { padding: "VALID", strideW: 1, strideH: 1 },
        };
        assert.deepStrictEqual(run(c).y, [121, 118]);
        // A positive result above zero point 127 saturates.
        c.filter = constant(int8([1, 1, 1, 1]), [3]);
        assert.deepStrictEqual(run(c).y, [127, 127]);
    });

    it("pads with real zeros, not with quantized 0, when the input zero point is -128", () => {
        // 1x2 image q [-127, -126] = [1, 2], 1x2 filter [1, 1], SAME: [1 + 2, 2 + (padding) 0] = [3, 2].
        // Padding with q = 0 (real 128) would give 130 for the second output.
        const c: ConvCase = {
            input: int8([1, 1, 2, 1], 1, -128), x: [-127, -126], filter: constant(int8([1, 1, 2, 1]), [1, 1]),
            output: int8([1, 1, 2, 1]), options: { padding: "SAME", strideW: 1, strideH: 1 },
        };
        assert.deepStrictEqual(run(c).y, [3, 2]);
    });

    it("fuses RELU and RELU6 in the output's quantized domain", () => {
        // Output scale 0.5, zp -10: acc [-4, 2, 20] -> [-8, 4, 40] + zp = [-18, -6, 30].
        // RELU clamps below at quantize(0) = -10; RELU6 also above at quantize(6) = -10 + 12 = 2.
        const c: ConvCase = {
            input: int8([1, 1, 3, 1]), x: [-4, 2, 20], filter: constant(int8([1, 1, 1, 1]), [1]),
            output: int8([1, 1, 3, 1], 0.5, -10), options: { padding: "VALID", strideW: 1, strideH: 1 },
        };
        assert.deepStrictEqual(run(c).y, [-18, -6, 30]);
        c.options = { ...c.options, activation: "RELU" };
        assert.deepStrictEqual(run(c).y, [-10, -6, 30]);
        c.options = { ...c.options, activation: "RELU6" };
        assert.deepStrictEqual(run(c).y, [-10, -6, 2]);
        c.options = { ...c.options, activation: "RELU_N1_TO_1" };
        assert.deepStrictEqual(run(c).y, [-12, -8, -8]);
    });

    it("splits input channels into groups when the filter is shallower than the input", () => {
        // 4 input channels, filters of depth 2: filter 0 reads channels 0-1, filter 1 channels 2-3.
        const c: ConvCase = {
            input: int8([1, 1, 1, 4]), x: [1, 2, 3, 4], filter: constant(int8([2, 1, 1, 2]), [1, 1, 1, -1]),
            output: int8([1, 1, 1, 2]), options: { padding: "VALID", strideW: 1, strideH: 1 },
        };
        assert.deepStrictEqual(run(c).y, [1 + 2, 3 - 4]);
    });

    it("runs every batch", () => {
        const c: ConvCase = {
            input: int8([2, 1, 2, 1]), x: [1, 2, 3, 4], filter: constant(int8([1, 1, 2, 1]), [1, 10]),
            output: int8([2, 1, 1, 1]), options: { padding: "VALID", strideW: 1, strideH: 1 },
        };
        assert.deepStrictEqual(run(c).y, [21, 43]);
    });
});

describe("DEPTHWISE_CONV_2D int8", () => {
    it("feeds depth_multiplier output channels from each input channel", () => {
        // Pixels [1, 2] and [3, 4]; output channel o = c*2 + m reads input channel c.
        // Filter taps (x=0) [1, 2, 3, 4], (x=1) [5, 6, 7, 8]; bias [1, 2, 3, 4].
        const c: ConvCase = {
            op: "DEPTHWISE_CONV_2D", input: int8([1, 1, 2, 2]), x: [1, 2, 3, 4],
            filter: constant(int8([1, 1, 2, 4]), [1, 2, 3, 4, 5, 6, 7, 8]),
            bias: constant({ shape: [4], type: "int32", scale: 1, zeroPoint: 0 }, [1, 2, 3, 4]),
            output: int8([1, 1, 1, 4]), options: { padding: "VALID", strideW: 1, strideH: 1, depthMultiplier: 2 },
        };
        assert.deepStrictEqual(run(c), { y: [1 + 1 * 1 + 3 * 5, 2 + 1 * 2 + 3 * 6, 3 + 2 * 3 + 4 * 7, 4 + 2 * 4 + 4 * 8], body: "depthwise_conv_2d_int8" });
    });

    it("SAME padding, stride 2 and per-channel scales", () => {
        // Two channels of a 3x3 image (channel 1 = minus channel 0), 3x3 filters of ones at scales
        // 1 and 0.5; SAME with stride 2 pads one row and column before (see CONV_2D above).
        const x: number[] = [];
        for (const v of image3x3) x.push(v, -v);
        const c: ConvCase = {
            op: "DEPTHWISE_CONV_2D", input: int8([1, 3, 3, 2]), x,
            filter: { shape: [1, 3, 3, 2], type: "int8", scale: [1, 0.5], zeroPoint: 0, quantizedDimension: 3, data: new Array(18).fill(1) },
            output: int8([1, 2, 2, 2]), options: { padding: "SAME", strideW: 2, strideH: 2, depthMultiplier: 1 },
        };
        assert.deepStrictEqual(run(c).y, [12, -6, 16, -8, 24, -12, 28, -14]);
    });

    it("dilation, input zero point and RELU6", () => {
        // input zp -128 (q = v - 128), one channel, 2x2 filter [1, 2, 3, 4] dilated by 2 over the 3x3 image: 64.
        // Output scale 1/4 (=> 256) with zp -128 saturates at 127; RELU6 caps at quantize(6) = -128 + 24 = -104.
        const c: ConvCase = {
            op: "DEPTHWISE_CONV_2D", input: int8([1, 3, 3, 1], 1, -128), x: image3x3.map((v) => v - 128),
            filter: filter2x2, output: int8([1, 1, 1, 1], 1, -128),
            options: { padding: "VALID", strideW: 1, strideH: 1, dilationW: 2, dilationH: 2, depthMultiplier: 1 },
        };
        assert.deepStrictEqual(run(c).y, [64 - 128]);
        c.output = int8([1, 1, 1, 1], 0.25, -128);
        assert.deepStrictEqual(run(c).y, [127]);
        c.options = { ...c.options, activation: "RELU6" };
        assert.deepStrictEqual(run(c).y, [-104]);
    });
});

/**
 * TFLM's int8 convolution, tap by tap in BigInt-exact arithmetic: what the int8 bodies must give
 * whatever layout they choose (packed output-channel pairs or not, four pixels and two sums at a
 * time, one window over the whole input, the tap-by-tap loop for windows too large to pad). The
 * multipliers are the interpreter's own (perChannelMultipliers), so this checks the bodies only.
 */
function tflmInt8Conv(c: ConvCase, ip: any): number[] {
    const depthwise = c.op === "DEPTHWISE_CONV_2D";
    const o = c.options as any;
    const [batches, inH, inW, inD] = c.input.shape;
    const [, outH, outW, outD] = c.output.shape;
    const fh = c.filter.shape[1], fw = c.filter.shape[2];
    const filterD = depthwise ? 1 : c.filter.shape[3];
    const w = c.filter.data as number[];
    const bias = c.bias ? (c.bias.data as number[]) : null;
    const op = ip.model.operators[0];
    const m: number[] = tflite.perChannelMultipliers(op.input(0), op.input(1), op.output(0), outD);
    const pad = (size: number, out: number, f: number, s: number, d: number) =>
        o.padding === "SAME" ? Math.max(0, Math.floor(((out - 1) * s + (f - 1) * d + 1 - size) / 2)) : 0;
    const padH = pad(inH, outH, fh, o.strideH, o.dilationH || 1), padW = pad(inW, outW, fw, o.strideW, o.dilationW || 1);
    const srdhm = (a: number, b: number) => {
        if (a === -2147483648 && b === -2147483648) return 2147483647;
        const ab = BigInt(a) * BigInt(b);
        return Number((ab + (ab >= 0n ? 1n << 30n : 1n - (1n << 30n))) / (1n << 31n));
    };
    const roundingDivide = (x: number, e: number) => {
        const mask = (1 << e) - 1, rem = x & mask, threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> e) + (rem > threshold ? 1 : 0);
    };
    const y: number[] = [];
    for (let b = 0; b < batches; b++)
        for (let oy = 0; oy < outH; oy++)
            for (let ox = 0; ox < outW; ox++)
                for (let oc = 0; oc < outD; oc++) {
                    let acc = 0n;
                    const ic0 = depthwise ? Math.floor(oc / o.depthMultiplier) : Math.floor(oc / (outD / (inD / filterD))) * filterD;
                    for (let fy = 0; fy < fh; fy++)
                        for (let fx = 0; fx < fw; fx++) {
                            const yy = oy * o.strideH - padH + fy * (o.dilationH || 1), xx = ox * o.strideW - padW + fx * (o.dilationW || 1);
                            if (yy < 0 || yy >= inH || xx < 0 || xx >= inW) continue;
                            for (let i = 0; i < filterD; i++) {
                                const weight = depthwise ? w[(fy * fw + fx) * outD + oc] : w[((oc * fh + fy) * fw + fx) * filterD + i];
                                acc += BigInt(weight) * BigInt(c.x[((b * inH + yy) * inW + xx) * inD + ic0 + i] - (c.input.zeroPoint as number));
                            }
                        }
                    if (bias) acc += BigInt(bias[oc]);
                    const q = m[2 * oc], shift = m[2 * oc + 1];
                    const x = Math.imul(Number(BigInt.asIntN(32, acc)), 1 << Math.max(shift, 0));
                    const v = roundingDivide(srdhm(x, q), Math.max(-shift, 0)) + (c.output.zeroPoint as number);
                    y.push(Math.min(127, Math.max(-128, v)));
                }
    return y;
}

describe("CONV_2D and DEPTHWISE_CONV_2D int8 in every layout the bodies take, against TFLM's formula", () => {
    const rand = new Rand(20261206);
    const values = (n: number, lo = -128, hi = 127) => Array.from({ length: n }, () => rand.int(lo, hi));
    /** A case with random values: input [batches, h, w, inD], filter fh x fw, per-channel scales. */
    function randomCase(op: "CONV_2D" | "DEPTHWISE_CONV_2D", batches: number, h: number, w: number, inD: number, outD: number,
        fh: number, fw: number, options: Options, biasRange = 1 << 14, filterD = inD, extreme = false): ConvCase {
        const depthwise = op === "DEPTHWISE_CONV_2D";
        const o = options as any;
        const out = (size: number, f: number, s: number, d: number) =>
            o.padding === "SAME" ? Math.ceil(size / s) : Math.floor((size - (f - 1) * d - 1) / s) + 1;
        const outH = out(h, fh, o.strideH, o.dilationH || 1), outW = out(w, fw, o.strideW, o.dilationW || 1);
        const terms = fh * fw * (depthwise ? 1 : filterD);
        const filterCount = fh * fw * outD * (depthwise ? 1 : filterD);
        // `extreme`: every product 128 * 255, the largest sums there are, the output scale set so
        // that they land inside the output's range.
        const scales = Array.from({ length: outD }, () => (extreme ? 0.01 : 0.002 + 0.01 * rand.next()));
        return {
            op, input: int8([batches, h, w, inD], 0.05, extreme ? 127 : rand.int(-128, 127)),
            x: extreme ? new Array(batches * h * w * inD).fill(-128) : values(batches * h * w * inD),
            filter: { shape: depthwise ? [1, fh, fw, outD] : [outD, fh, fw, filterD], type: "int8", scale: scales, zeroPoint: 0,
                quantizedDimension: depthwise ? 3 : 0, data: extreme ? new Array(filterCount).fill(-128) : values(filterCount) },
            bias: { shape: [outD], type: "int32", scale: scales.map((sc) => Math.fround(0.05 * sc)), zeroPoint: 0, data: values(outD, -biasRange, biasRange) },
            output: int8([batches, outH, outW, outD], 0.05 * 0.01 * (extreme ? terms * 128 * 255 / 100 : Math.sqrt(terms) * 40), rand.int(-20, 20)),
            options,
        };
    }
    const check = (c: ConvCase) => {
        const ip = load(c);
        ip.setInputBytes(0, encodeValues("int8", c.x));
        ip.invoke();
        const t = ip.output(0);
        const y: number[] = [];
        for (let i = 0; i < t.elementCount(); i++) y.push(t.get(i));
        assert.deepStrictEqual(y, tflmInt8Conv(c, ip));
    };
    const valid = (s = 1, d = 1) => ({ padding: "VALID", strideW: s, strideH: s, dilationW: d, dilationH: d });
    const same = (s = 1, d = 1) => ({ padding: "SAME", strideW: s, strideH: s, dilationW: d, dilationH: d });

    it("CONV_2D: SAME and VALID, strides, dilation, two batches, output channel pairs and an odd one left", () => {
        check(randomCase("CONV_2D", 2, 7, 9, 5, 7, 3, 3, same(2)));
        check(randomCase("CONV_2D", 1, 9, 8, 3, 4, 2, 3, valid(1, 2)));
        check(randomCase("CONV_2D", 1, 5, 6, 16, 24, 1, 3, same()));
    });
    it("CONV_2D: groups (a filter shallower than the input), 1x1 filters", () => {
        check(randomCase("CONV_2D", 1, 4, 5, 6, 4, 2, 2, same(), 1 << 14, 3));
        check(randomCase("CONV_2D", 1, 6, 5, 12, 24, 1, 1, valid()));
    });
    it("CONV_2D: windows of 2,047 and 2,304 products, the largest sums: two channels in one double, then too many for that", () => {
        check(randomCase("CONV_2D", 1, 1, 23, 89, 5, 1, 23, valid(), 0, 89, true));
        check(randomCase("CONV_2D", 1, 8, 8, 64, 5, 6, 6, valid(), 0, 64, true));
        check(randomCase("CONV_2D", 1, 8, 8, 64, 5, 6, 6, valid()));
    });
    it("CONV_2D: one window over the whole input (a dense layer), with and without padding", () => {
        check(randomCase("CONV_2D", 2, 10, 9, 24, 4, 10, 9, valid()));
        check(randomCase("CONV_2D", 1, 3, 3, 4, 3, 3, 3, same(3)));
    });
    it("DEPTHWISE_CONV_2D: depth multipliers 1, 3 and 12, SAME and VALID, strides, dilation", () => {
        check(randomCase("DEPTHWISE_CONV_2D", 1, 21, 19, 12, 12, 3, 3, { ...valid(2), depthMultiplier: 1 }));
        check(randomCase("DEPTHWISE_CONV_2D", 2, 7, 8, 2, 6, 3, 2, { ...same(2), depthMultiplier: 3 }));
        check(randomCase("DEPTHWISE_CONV_2D", 1, 49, 40, 1, 12, 8, 4, { ...valid(2), depthMultiplier: 12 }));
        check(randomCase("DEPTHWISE_CONV_2D", 1, 9, 9, 3, 3, 3, 3, { ...valid(1, 3), depthMultiplier: 1 }));
    });
    it("DEPTHWISE_CONV_2D: a 60 x 40 window, the largest sums, too many products for two channels in one double", () => {
        check(randomCase("DEPTHWISE_CONV_2D", 1, 60, 40, 1, 2, 60, 40, { ...valid(), depthMultiplier: 2 }, 0, 1, true));
        check(randomCase("DEPTHWISE_CONV_2D", 1, 60, 40, 1, 2, 60, 40, { ...valid(), depthMultiplier: 2 }));
    });
    it("accumulators past 2^21 (large biases) take the general rescaling", () => {
        check(randomCase("CONV_2D", 1, 5, 5, 3, 6, 3, 3, same(), 1 << 30));
        check(randomCase("DEPTHWISE_CONV_2D", 1, 5, 5, 2, 4, 3, 3, { ...same(), depthMultiplier: 2 }, 1 << 30));
    });
    it("rescales accumulators past 2^21 exactly, where one double product would round the wrong way", () => {
        // x * m / 2^31 just off a half, in bits of x * m that a double cannot hold: x = +-(2^30 + d), m = 2^31 - 1.
        const exact = (x: number, m: number) => {
            const ab = BigInt(x) * BigInt(m);
            return Number((ab + (ab >= 0n ? 1n << 30n : 1n - (1n << 30n))) / (1n << 31n));
        };
        const multiplier = 2147483647;
        const params = Buffer.alloc(8);
        params.writeInt32LE(multiplier, 0);
        const rq = new tflite.ChannelRequantization(params, 0, 0, 1, null, 0);
        const out = Buffer.alloc(1);
        let shortcutWrong = 0;
        for (let d = -300; d <= 300; d++) {
            for (const x of [1073741824 + d, -1073741824 - d]) {
                tflite.storeRequantizedInt8([x], 1, 1, rq, 0, -2147483648, 2147483647, out, 0);
                assert.strictEqual(out[0], exact(x, multiplier) & 0xff, `x = ${x}`);
                if (Math.round(x * multiplier / 2147483648) !== exact(x, multiplier)) shortcutWrong++;
            }
        }
        assert.ok(shortcutWrong > 0, "no x here where the one-product shortcut would be wrong");
    });
    it("a window far larger than the input (dilation 1000, SAME) runs tap by tap, unpadded", () => {
        check(randomCase("CONV_2D", 1, 6, 6, 3, 4, 3, 3, same(1, 1000)));
        check(randomCase("DEPTHWISE_CONV_2D", 1, 6, 6, 3, 6, 3, 3, { ...same(1, 1000), depthMultiplier: 2 }));
    });
});

describe("CONV_2D and DEPTHWISE_CONV_2D int16", () => {
    const bias64 = (values: number[]): TensorSpec => constant({ shape: [values.length], type: "int64", scale: 1, zeroPoint: 0 }, values);

    it("accumulates in 64 bits with an int64 bias", () => {
        // 1000*100 + 300*(-50) = 85000, + bias 5000 = 90000, output scale 4: 22500.
        const c: ConvCase = {
            input: int16([1, 1, 1, 2]), x: [1000, 300], filter: constant(int8([1, 1, 1, 2]), [100, -50]),
            bias: bias64([5000]), output: int16([1, 1, 1, 1], 4), options: { padding: "VALID", strideW: 1, strideH: 1 },
        };
        assert.deepStrictEqual(run(c), { y: [22500], body: "conv_2d_int16" });
        // A bias beyond 32 bits: (2^34 + 85000) / 2^20 = 16384.08 -> 16384 (its low 32 bits alone would give 0).
        c.bias = bias64([2 ** 34]);
        c.output = int16([1, 1, 1, 1], 2 ** 20);
        assert.deepStrictEqual(run(c).y, [16384]);
        // Saturation at the int16 limits.
        c.output = int16([1, 1, 1, 1], 1);
        c.bias = bias64([2 ** 30]);
        assert.deepStrictEqual(run(c).y, [32767]);
        c.bias = bias64([-(2 ** 30)]);
        assert.deepStrictEqual(run(c).y, [-32768]);
    });

    it("without an int64 bias, CONV_2D rescales a 32-bit accumulator as TFLM does", () => {
        // acc = 32767*32 + 45 = 1048589, multiplier 1/48: exactly 21845.60. The 32-bit path
        // (multiplier 1431655765, shift -5) rounds that to 21846; the 64-bit path rounds its
        // 16-bit multiplier 21845/2^20 and gets 21845.27 -> 21845.
        const c: ConvCase = {
            input: int16([1, 1, 1, 2]), x: [32767, 45], filter: constant(int8([1, 1, 1, 2]), [32, 1]),
            output: int16([1, 1, 1, 1], 48), options: { padding: "VALID", strideW: 1, strideH: 1 },
        };
        assert.deepStrictEqual(run(c), { y: [21846], body: "conv_2d_int16_acc32" });
        c.bias = constant({ shape: [1], type: "int32", scale: 1, zeroPoint: 0 }, [0]);
        assert.deepStrictEqual(run(c), { y: [21846], body: "conv_2d_int16_acc32" });
        c.bias = bias64([0]);
        assert.deepStrictEqual(run(c), { y: [21845], body: "conv_2d_int16" });
    });

    it("DEPTHWISE_CONV_2D: depth multiplier, SAME padding, RELU", () => {
        // One channel [-1000, 2000], 1x2 filter taps [1, 2] (m=0) and [-3, 4] (m=1), SAME: the
        // second column sees padding. Output scale 2, RELU clamps at 0.
        // col 0: m0 = -1000 + 4000 = 3000 -> 1500; m1 = 3000 + 8000 = 11000 -> 5500
        // col 1: m0 = 2000 -> 1000; m1 = -6000 -> -3000 -> 0
        const c: ConvCase = {
            op: "DEPTHWISE_CONV_2D", input: int16([1, 1, 2, 1]), x: [-1000, 2000],
            filter: constant(int8([1, 1, 2, 2]), [1, -3, 2, 4]), bias: bias64([0, 0]),
            output: int16([1, 1, 2, 2], 2), options: { padding: "SAME", strideW: 1, strideH: 1, depthMultiplier: 2, activation: "RELU" },
        };
        assert.deepStrictEqual(run(c), { y: [1500, 5500, 1000, 0], body: "depthwise_conv_2d_int16" });
        // The bias is optional: without it the sums are the same here (the bias was zero).
        delete c.bias;
        assert.deepStrictEqual(run(c), { y: [1500, 5500, 1000, 0], body: "depthwise_conv_2d_int16" });
    });
});

describe("CONV_2D and DEPTHWISE_CONV_2D float32", () => {
    it("CONV_2D with bias and RELU6", () => {
        const c: ConvCase = {
            input: float([1, 3, 3, 1]), x: image3x3.map((v) => v / 8), filter: constant(float([1, 2, 2, 1]), [1, 2, 3, 4]),
            bias: constant(float([1]), [-5]), output: float([1, 2, 2, 1]), options: { padding: "VALID", strideW: 1, strideH: 1 },
        };
        // (37, 47, 67, 77) / 8 - 5
        assert.deepStrictEqual(run(c), { y: [-0.375, 0.875, 3.375, 4.625], body: "conv_2d_float" });
        c.options = { ...c.options, activation: "RELU6" };
        c.bias = constant(float([1]), [-1]);
        assert.deepStrictEqual(run(c).y, [3.625, 4.875, 6, 6]);
        c.options = { ...c.options, activation: "RELU" };
        c.bias = constant(float([1]), [-5]);
        assert.deepStrictEqual(run(c).y, [0, 0.875, 3.375, 4.625]);
    });

    it("rounds to float32 after every addition, in TFLM's order", () => {
        // 2^24 + 1 + 1: each float32 sum rounds back to 2^24 (a double would reach 2^24 + 2).
        const c: ConvCase = {
            input: float([1, 1, 1, 3]), x: [16777216, 1, 1], filter: constant(float([1, 1, 1, 3]), [1, 1, 1]),
            output: float([1, 1, 1, 1]), options: { padding: "VALID", strideW: 1, strideH: 1 },
        };
        assert.deepStrictEqual(run(c).y, [16777216]);
        // Products are rounded too: 0.1f * 0.1f rounds to 0.010000000707805157f, which the second
        // product cancels exactly. Unrounded, the first would be 0.010000000298023226 and the sum -4.1e-10.
        c.x = [0.1, 1, 0];
        c.filter = constant(float([1, 1, 1, 3]), [0.1, -0.010000000707805157, 0]);
        assert.deepStrictEqual(run(c).y, [0]);
    });

    it("clamps infinities to the largest float32 without an activation, as TFLM's lowest()/max() bounds", () => {
        const c: ConvCase = {
            input: float([1, 1, 3, 1]), x: [Infinity, -Infinity, NaN], filter: constant(float([1, 1, 1, 1]), [1]),
            output: float([1, 1, 3, 1]), options: { padding: "VALID", strideW: 1, strideH: 1 },
        };
        assert.deepStrictEqual(run(c).y, [3.4028234663852886e38, -3.4028234663852886e38, NaN]);
    });

    it("DEPTHWISE_CONV_2D: depth multiplier, SAME padding, stride, bias", () => {
        // One channel [1, 2, 3], 1x3 filter taps [1, 2, 3] (m=0) and [0.5, 0, -1] (m=1), SAME, stride 2:
        // output columns at 0 and 2, one padding column before.
        // col 0: m0 = 1*2 + 2*3 = 8, m1 = 1*0 + 2*-1 = -2; col 2: m0 = 2*1 + 3*2 = 8, m1 = 2*0.5 + 3*0 = 1; bias [0.25, -0.25].
        const c: ConvCase = {
            op: "DEPTHWISE_CONV_2D", input: float([1, 1, 3, 1]), x: [1, 2, 3],
            filter: constant(float([1, 1, 3, 2]), [1, 0.5, 2, 0, 3, -1]), bias: constant(float([2]), [0.25, -0.25]),
            output: float([1, 1, 2, 2]), options: { padding: "SAME", strideW: 2, strideH: 1, depthMultiplier: 2 },
        };
        assert.deepStrictEqual(run(c), { y: [8.25, -2.25, 8.25, 0.75], body: "depthwise_conv_2d_float" });
    });
});

describe("CONV_2D and DEPTHWISE_CONV_2D errors", () => {
    const good = (): ConvCase => ({ input: int8([1, 3, 3, 1]), x: image3x3, filter: filter2x2, output: int8([1, 2, 2, 1]), options: { padding: "VALID", strideW: 1, strideH: 1 } });

    it("the case the errors start from loads", () => {
        assert.deepStrictEqual(run(good()).y, [37, 47, 67, 77]);
    });

    it("names a filter of the wrong rank", () => {
        fails({ ...good(), filter: constant(int8([2, 2, 1]), [1, 2, 3, 4]) }, /operator 0 \(CONV_2D v1\): the filter must be 4-D \(OHWI\), not tensor 1 'const1' INT8\[2,2,1\]/);
        fails({ ...good(), op: "DEPTHWISE_CONV_2D", filter: constant(int8([2, 2, 1]), [1, 2, 3, 4]) }, /DEPTHWISE_CONV_2D v1\): the filter must be 4-D \[1, height, width, channels\]/);
        fails({ ...good(), input: int8([3, 3, 1]) }, /the input must be 4-D \(NHWC\)/);
    });

    it("names mismatched channels", () => {
        fails({ ...good(), input: int8([1, 3, 3, 3]), x: [], filter: constant(int8([1, 1, 1, 2]), [1, 1]) },
            /input tensor 0 'input0' INT8\[1,3,3,3\] has 3 channels, not a multiple of the filter's 2/);
        fails({ ...good(), op: "DEPTHWISE_CONV_2D", input: int8([1, 3, 3, 2]), filter: constant(int8([1, 2, 2, 3]), new Array(12).fill(1)), options: { padding: "VALID", strideW: 1, strideH: 1, depthMultiplier: 1 } },
            /times depth multiplier 1 does not give the filter's 3 channels/);
        fails({ ...good(), bias: constant({ shape: [2], type: "int32", scale: 1, zeroPoint: 0 }, [1, 2]) }, /bias tensor 2 'const2' INT32\[2\] must have 1 values/);
    });

    it("names an output shape that does not match the padding and strides", () => {
        fails({ ...good(), output: int8([1, 3, 3, 1]) }, /output tensor 2 'output0' INT8\[1,3,3,1\] must be \[1,2,2,1\]/);
        fails({ ...good(), filter: constant(int8([1, 4, 4, 1]), new Array(16).fill(1)) }, /the 4x4 filter \(dilation 1x1\) does not fit in input/);
        fails({ ...good(), options: { padding: "VALID", strideW: 0, strideH: 1 } }, /strides must be at least 1, not 1 x 0/);
    });

    it("names unsupported types and type mixes", () => {
        fails({ ...good(), input: { shape: [1, 3, 3, 1], type: "int32" }, output: { shape: [1, 2, 2, 1], type: "int32" } }, /unsupported input type INT32/);
        fails({ ...good(), filter: constant(float([1, 2, 2, 1]), [1, 2, 3, 4]) }, /int8 input needs int8 filter and output, int32 bias/);
        fails({ ...good(), bias: constant({ shape: [1], type: "int64", scale: 1, zeroPoint: 0 }, [1]) }, /int8 input needs int8 filter and output, int32 bias/);
        fails({ ...good(), op: "DEPTHWISE_CONV_2D", input: int16([1, 3, 3, 1]), output: int16([1, 2, 2, 1]), options: { padding: "VALID", strideW: 1, strideH: 1, depthMultiplier: 1 }, bias: constant({ shape: [1], type: "int32", scale: 1, zeroPoint: 0 }, [1]) },
            /int16 input needs an int64 bias, not tensor 2 'const2' INT32\[1\]/);
    });

    it("names bad quantization", () => {
        fails({ ...good(), filter: constant(int8([1, 2, 2, 1], 1, 3), [1, 2, 3, 4]) }, /the filter's zero points must be 0/);
        // Scales along the filter's input channels (dimension 3) instead of its output channels.
        fails({
            input: int8([1, 1, 1, 2]), x: [1, 1], output: int8([1, 1, 1, 2]), options: { padding: "VALID", strideW: 1, strideH: 1 },
            filter: { shape: [2, 1, 1, 2], type: "int8", scale: [1, 0.5], zeroPoint: 0, quantizedDimension: 3, data: [1, 1, 1, 1] },
        }, /per-channel filter tensor 1 'const1' INT8\[2,1,1,2\] needs 2 scales along dimension 0/);
        fails({ ...good(), output: { shape: [1, 2, 2, 1], type: "int8" } }, /quantized input and output need a scale/);
        fails({ ...good(), options: { padding: "VALID", strideW: 1, strideH: 1, activation: "TANH" } }, /unsupported fused activation TANH/);
    });
});
