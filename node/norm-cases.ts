// Generated models of L2_NORMALIZATION and L2_POOL_2D (libs/tflite/kernel_l2.ts). TFLM's goldens
// (tools/tflm-goldens-norm.ts) take every draft of an op. TFLM's branches: float32 (a row whose
// norm is below 1e-6 is divided by 1e-6 instead; rows of huge values overflow to infinity) and
// int8 (a row whose squared sum is 0 or 1 takes the multiplier INT32_MAX; a sum of 2^29 or more
// is divided by 4 before the Newton steps; the output clamped to [-128, 127]); ranks 1 to 4,
// depth 1. Sizes are small except the one row that reaches 2^29.
import type { Rand } from "./fuzz";
import { encodeValues, SingleOpSpec, TensorSpec, TypeName } from "./model-writer";

/** One case before anything ran it: the branches it takes, the model, the model inputs' bytes. */
export interface NormDraft {
    covers: string[];
    spec: SingleOpSpec;
    inputs: Buffer[];
}

function shapeOf(rand: Rand, rank: number, depth: number): number[] {
    const shape: number[] = [];
    for (let i = 0; i < rank - 1; i++) shape.push(rand.int(1, 3));
    shape.push(depth);
    return shape;
}

/** The int8 output TFLM writes: 1/128 and zero point 0 (the converter's; TFLM never reads it). */
const INT8_OUTPUT: Partial<TensorSpec> = { scale: 1 / 128, zeroPoint: 0 };

function l2Draft(covers: string[], type: TypeName, shape: number[], values: number[], zeroPoint = 0): NormDraft {
    const quant: Partial<TensorSpec> = type === "int8" ? { scale: 0.02, zeroPoint } : {};
    return {
        covers: [type, `rank-${shape.length}`].concat(covers),
        spec: { op: "L2_NORMALIZATION", inputs: [{ shape, type, ...quant }], outputs: [{ shape, type, ...(type === "int8" ? INT8_OUTPUT : {}) }] },
        inputs: [encodeValues(type, values)],
    };
}

export function l2NormalizationDrafts(rand: Rand): NormDraft[] {
    const drafts: NormDraft[] = [];
    const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    for (let rank = 1; rank <= 4; rank++) {
        const shape = shapeOf(rand, rank, rand.int(1, 12));
        drafts.push(l2Draft(["random"], "float32", shape, rand.values("float32", count(shape), rand.pick([0.001, 4, 1e5]))));
    }
    // Rows of zeros and of tiny values (norm below 1e-6), of huge values (the sum overflows), depth 1.
    drafts.push(l2Draft(["small-norm"], "float32", [3, 5], Array.from({ length: 15 }, (_, i) => i < 5 ? rand.pick([0, -0]) : rand.pick([1e-8, -3e-7, 0, -0]))));
    const huge = shapeOf(rand, 2, 4);
    drafts.push(l2Draft(["overflow"], "float32", huge, rand.values("float32", count(huge), 3e38)));
    const deep1 = shapeOf(rand, 3, 1);
    drafts.push(l2Draft(["depth-1"], "float32", deep1, rand.values("float32", count(deep1), 10)));
    for (let rank = 1; rank <= 4; rank++) {
        const shape = shapeOf(rand, rank, rand.int(1, 12));
        drafts.push(l2Draft(["random"], "int8", shape, rand.values("int8", count(shape)), rand.zeroPoint("int8")));
    }
    // Sums of 0 and 1 (rows at the zero point, one step from it), depth 1 (the output is +-1 clamped).
    const near = [3, 4];
    const zp = rand.int(-100, 100);
    drafts.push(l2Draft(["sum-0-or-1"], "int8", near, [zp, zp, zp, zp, zp, zp + 1, zp, zp, zp - 1, zp, zp, zp], zp));
    const deep = shapeOf(rand, 2, 1);
    drafts.push(l2Draft(["depth-1"], "int8", deep, rand.values("int8", count(deep)), rand.zeroPoint("int8")));
    // One row of 8,400 values 255 from the zero point: a sum of 546 M, past 2^29.
    drafts.push(l2Draft(["sum-past-2^29"], "int8", [1, 8400], Array.from({ length: 8400 }, () => rand.pick([-128, -128, -127])), 127));
    return drafts;
}

/** The output size of a pool window along one axis (TFLM's ComputeOutSize). */
function poolOut(padding: string, size: number, filter: number, stride: number): number {
    return padding === "SAME" ? Math.floor((size + stride - 1) / stride) : Math.floor((size + stride - filter) / stride);
}

/**
 * L2_POOL_2D (float32 only): SAME and VALID padding, strides 1 to 3, filters 1 to 4 (windows clipped
 * by the padding on either side), each activation, and values whose squares overflow to infinity
 * (clamped to FLT_MAX without an activation).
 */
export function l2PoolDrafts(rand: Rand): NormDraft[] {
    const drafts: NormDraft[] = [];
    const activations = ["NONE", "RELU", "RELU6", "RELU_N1_TO_1"];
    let k = 0;
    for (const padding of ["SAME", "VALID"])
        for (const big of [true, false, false, false]) {
            const n = rand.int(1, 2), h = rand.int(1, 7), w = rand.int(1, 7), c = rand.int(1, 3);
            // The third case of each padding pools 1x1 windows (sqrtf(v * v) = |v|, or infinity).
            const one = k % 4 === 2;
            const filterHeight = one ? 1 : rand.int(1, Math.min(4, h)), filterWidth = one ? 1 : rand.int(1, Math.min(4, w));
            const strideH = rand.int(1, 3), strideW = rand.int(1, 3);
            const activation = activations[k++ % activations.length];
            const shape = [n, h, w, c], out = [n, poolOut(padding, h, filterHeight, strideH), poolOut(padding, w, filterWidth, strideW), c];
            drafts.push({
                covers: ["float32", padding, activation].concat(big ? ["overflow"] : [], filterHeight > 1 || filterWidth > 1 ? ["window"] : ["filter-1"]),
                spec: { op: "L2_POOL_2D", options: { padding, strideW, strideH, filterWidth, filterHeight, activation },
                    inputs: [{ shape, type: "float32" }], outputs: [{ shape: out, type: "float32" }] },
                inputs: [encodeValues("float32", rand.values("float32", n * h * w * c, big ? 3e38 : rand.pick([0.5, 4, 100])))],
            });
        }
    return drafts;
}

/**
 * LOG_SOFTMAX float32: ranks 1 to 4, rows of small and large spreads (exps that vanish), a row of
 * one value, equal values, -infinity and huge spreads.
 */
export function logSoftmaxDrafts(rand: Rand): NormDraft[] {
    const drafts: NormDraft[] = [];
    const draft = (covers: string[], shape: number[], values: number[]): NormDraft => ({
        covers: ["float32", `rank-${shape.length}`].concat(covers),
        spec: { op: "LOG_SOFTMAX", inputs: [{ shape, type: "float32" }], outputs: [{ shape, type: "float32" }] },
        inputs: [encodeValues("float32", values)],
    });
    for (let rank = 1; rank <= 4; rank++) {
        const shape = shapeOf(rand, rank, rand.int(1, 10));
        const n = shape.reduce((a, b) => a * b, 1);
        drafts.push(draft(["random"], shape, rand.values("float32", n, rand.pick([1, 10, 200]))));
    }
    drafts.push(draft(["depth-1"], [3, 1], rand.values("float32", 3, 50)));
    drafts.push(draft(["equal"], [2, 4], [2.5, 2.5, 2.5, 2.5, -1, -1, -1, -1]));
    // -infinity (an exp of 0, an output of -infinity) and spreads past float32's exp range; rows
    // that make a NaN are left out: the STS writes NaN's bits as JavaScript keeps them, not x86's.
    drafts.push(draft(["special"], [3, 3], [1, -Infinity, 2, 0, -Infinity, 3, 1e30, -1e30, 0]));
    // int8 (drawn after the float32 drafts, so that those keep their values): TFLM's output is
    // always 16/256 with zero point 127, so a row spanning 16 / 255 of scale or more reaches -128.
    // Random rows at scales of 2^-8 to 2^-4 (outputs all over the range); scale 0.5 (left shift
    // 26: differences below diff_min -31 are left out of the sum) and 2 (diff_min -7); 2^-12 to
    // 2^-10 (every output near log(1 / depth)); zero points at both ends; rows of one value and of
    // equal values; the longest row TFLM's sum holds.
    const int8 = (covers: string[], shape: number[], values: number[], scale: number, zeroPoint: number): NormDraft => ({
        covers: ["int8", `rank-${shape.length}`].concat(covers),
        spec: {
            op: "LOG_SOFTMAX", inputs: [{ shape, type: "int8", scale, zeroPoint }],
            outputs: [{ shape, type: "int8", scale: 16 / 256, zeroPoint: 127 }],
        },
        inputs: [encodeValues("int8", values)],
    });
    const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    for (let rank = 1; rank <= 4; rank++) {
        const shape = shapeOf(rand, rank, rand.int(2, 12));
        drafts.push(int8(["random"], shape, rand.values("int8", count(shape)), rand.scale(-8, -4), rand.zeroPoint("int8")));
    }
    const wide = [3, 16];
    drafts.push(int8(["wide-spread", "zero-point-min"], wide, rand.values("int8", count(wide)), 0.5, -128));
    drafts.push(int8(["narrow-spread", "zero-point-max"], wide, Array.from({ length: count(wide) }, () => rand.int(-5, 5)), rand.scale(-12, -10), 127));
    drafts.push(int8(["coarse-scale"], [2, 5], rand.values("int8", 10), 2, 0));
    drafts.push(int8(["depth-1"], [4, 1], rand.values("int8", 4), rand.scale(-8, 0), rand.zeroPoint("int8")));
    drafts.push(int8(["equal"], [3, 6], [-128, -128, -128, -128, -128, -128, 5, 5, 5, 5, 5, 5, 127, 127, 127, 127, 127, 127], rand.scale(-8, 0), 0));
    // One long row of 4,095 values at the maximum: TFLM's Q12.19 sum just below 2^31.
    drafts.push(int8(["longest-row"], [1, 4095], Array.from({ length: 4095 }, () => rand.pick([100, 100, 100, 99])), 0.01, -3));
    return drafts;
}

/** Every op's drafts by tools/make-tflm-goldens.ts's name for it. */
export const NORM_DRAFTS: { [op: string]: (rand: Rand) => NormDraft[] } = {
    l2_normalization: l2NormalizationDrafts,
    l2_pool_2d: l2PoolDrafts,
    log_softmax: logSoftmaxDrafts,
};
