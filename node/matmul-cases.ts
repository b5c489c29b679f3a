// Generated models of BATCH_MATMUL, DYNAMIC_UPDATE_SLICE and CUMSUM (libs/tflite/kernel_matmul.ts). TFLM's goldens
// (tools/tflm-goldens-matmul.ts) take every draft of an op, the native replay one at random.
// TFLM's branches (kernels/batch_matmul.cc, reference/batch_matmul.h): float32, int8 (int32 sums,
// any zero points), int16 (int64 sums, zero points 0); adj_x and adj_y (TFLM transposes into its
// own memory: lhs with adj_x, rhs without adj_y, a constant rhs once); ranks 2 to 5 with the
// batch dimensions broadcast either way (a dimension of 1, a missing one); rhs with 1 in its last
// batch dimension (TFLM flattens lhs's batch into its rows); depth, rows or columns of 1; sums
// clamped at both ends of the output type; an output of more dimensions than the result's.
import type { Draft } from "./draft-case";
import type { Rand } from "./fuzz";
import { encodeValues, TensorSpec, TypeName } from "./model-writer";

const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

interface MatmulShape {
    /** Batch dimensions of each side (broadcast against each other), rows m, depth k, columns n. */
    lhsBatch: number[];
    rhsBatch: number[];
    m: number;
    k: number;
    n: number;
    adjX: boolean;
    adjY: boolean;
    constRhs?: boolean;
    constLhs?: boolean;
    /** Leading 1s added to the output's shape (TFLM takes any rank at least the result's). */
    extraOutputDims?: number;
    /** The output scale's factor against lhs_scale * rhs_scale * sqrt(k) * 128 (quantized only). */
    outputScaleFactor?: number;
    /** Float values' range. */
    range?: number;
}

function broadcastShape(a: number[], b: number[]): number[] {
    const rank = Math.max(a.length, b.length);
    const res: number[] = [];
    for (let i = 0; i < rank; i++) {
        const x = a[i - (rank - a.length)] ?? 1, y = b[i - (rank - b.length)] ?? 1;
        res.push(x === 1 ? y : x);
    }
    return res;
}

function matmulDraft(rand: Rand, type: TypeName, s: MatmulShape, covers: string[], values?: (side: "lhs" | "rhs", n: number) => number[]): Draft {
    const lhsShape = s.lhsBatch.concat(s.adjX ? [s.k, s.m] : [s.m, s.k]);
    const rhsShape = s.rhsBatch.concat(s.adjY ? [s.n, s.k] : [s.k, s.n]);
    const outShape = new Array(s.extraOutputDims ?? 0).fill(1).concat(broadcastShape(s.lhsBatch, s.rhsBatch), [s.m, s.n]);
    const draw = values ?? ((_side: "lhs" | "rhs", n: number) => rand.values(type, n, s.range ?? 4));
    let lhsQ: Partial<TensorSpec> = {}, rhsQ: Partial<TensorSpec> = {}, outQ: Partial<TensorSpec> = {};
    if (type !== "float32") {
        const lhsScale = rand.scale(-8, -2), rhsScale = rand.scale(-8, -2);
        const typical = type === "int8" ? 128 * 128 : 2 ** 30 / 3;
        const outScale = Math.fround(lhsScale * rhsScale * Math.sqrt(s.k) * typical / (type === "int8" ? 128 : 16384) * (s.outputScaleFactor ?? (0.5 + rand.next())));
        lhsQ = { scale: lhsScale, zeroPoint: rand.zeroPoint(type) };
        rhsQ = { scale: rhsScale, zeroPoint: rand.zeroPoint(type) };
        outQ = { scale: outScale, zeroPoint: rand.zeroPoint(type) };
    }
    const lhsValues = draw("lhs", count(lhsShape)), rhsValues = draw("rhs", count(rhsShape));
    const lhs: TensorSpec = { shape: lhsShape, type, ...lhsQ, ...(s.constLhs ? { data: lhsValues } : {}) };
    const rhs: TensorSpec = { shape: rhsShape, type, ...rhsQ, ...(s.constRhs ? { data: rhsValues } : {}) };
    const inputs: Buffer[] = [];
    if (!s.constLhs) inputs.push(encodeValues(type, lhsValues));
    if (!s.constRhs) inputs.push(encodeValues(type, rhsValues));
    return {
        covers: [type, `adj_x-${s.adjX ? 1 : 0}`, `adj_y-${s.adjY ? 1 : 0}`, `rank-${Math.max(lhsShape.length, rhsShape.length)}`,
            s.constRhs ? "constant-rhs" : "input-rhs"].concat(covers),
        spec: { op: "BATCH_MATMUL", options: { adjX: s.adjX, adjY: s.adjY }, inputs: [lhs, rhs], outputs: [{ shape: outShape, type, ...outQ }] },
        inputs,
    };
}

function batchMatmulDrafts(rand: Rand): Draft[] {
    const drafts: Draft[] = [];
    const dim = () => rand.int(1, 5);
    const batch = (rank: number) => Array.from({ length: rank }, () => rand.int(2, 3));
    for (const type of ["float32", "int8", "int16"] as TypeName[]) {
        // Every adj_x/adj_y pair, ranks 2 and 3 with the same batch on both sides.
        for (const [adjX, adjY] of [[false, false], [true, false], [false, true], [true, true]]) {
            const b = rand.chance(0.5) ? [] : batch(1);
            drafts.push(matmulDraft(rand, type, { lhsBatch: b, rhsBatch: b, m: dim(), k: dim(), n: dim(), adjX, adjY }, ["same-batch"]));
        }
        // A constant rhs (TFLM transposes it once), either adj_y; a constant lhs.
        drafts.push(matmulDraft(rand, type, { lhsBatch: [2], rhsBatch: [2], m: dim(), k: dim(), n: dim(), adjX: false, adjY: false, constRhs: true }, ["constant"]));
        drafts.push(matmulDraft(rand, type, { lhsBatch: [], rhsBatch: [], m: dim(), k: dim(), n: dim(), adjX: rand.chance(0.5), adjY: true, constRhs: true }, ["constant"]));
        drafts.push(matmulDraft(rand, type, { lhsBatch: [3], rhsBatch: [1], m: dim(), k: dim(), n: dim(), adjX: rand.chance(0.5), adjY: rand.chance(0.5), constLhs: true }, ["constant-lhs", "broadcast-rhs"]));
        // Rank 5 broadcast both ways; lhs of fewer dimensions than rhs and the other way.
        drafts.push(matmulDraft(rand, type, { lhsBatch: [2, 1, 3], rhsBatch: [1, 2, 3], m: dim(), k: dim(), n: dim(), adjX: rand.chance(0.5), adjY: rand.chance(0.5) }, ["broadcast-both"]));
        drafts.push(matmulDraft(rand, type, { lhsBatch: [], rhsBatch: [2, 3], m: dim(), k: dim(), n: dim(), adjX: rand.chance(0.5), adjY: rand.chance(0.5) }, ["lhs-fewer-dims"]));
        drafts.push(matmulDraft(rand, type, { lhsBatch: [2, 1, 3], rhsBatch: [3], m: dim(), k: dim(), n: dim(), adjX: rand.chance(0.5), adjY: rand.chance(0.5) }, ["rhs-fewer-dims"]));
        // rhs with 1 in its last batch dimension: TFLM flattens lhs's last batch into its rows.
        drafts.push(matmulDraft(rand, type, { lhsBatch: [2, 3], rhsBatch: [2, 1], m: dim(), k: dim(), n: dim(), adjX: rand.chance(0.5), adjY: rand.chance(0.5) }, ["flatten"]));
        // Depth, rows and columns of 1.
        drafts.push(matmulDraft(rand, type, { lhsBatch: [2], rhsBatch: [2], m: 1, k: 1, n: 1, adjX: rand.chance(0.5), adjY: rand.chance(0.5) }, ["ones"]));
        drafts.push(matmulDraft(rand, type, { lhsBatch: [], rhsBatch: [], m: 1, k: 7, n: 5, adjX: false, adjY: rand.chance(0.5) }, ["one-row"]));
        // A longer depth.
        drafts.push(matmulDraft(rand, type, { lhsBatch: [], rhsBatch: [], m: 3, k: 40, n: 2, adjX: rand.chance(0.5), adjY: rand.chance(0.5) }, ["deep"]));
    }
    for (const type of ["int8", "int16"] as TypeName[]) {
        // Outputs clamped at both ends (a small output scale), and a multiplier above 1.
        drafts.push(matmulDraft(rand, type, { lhsBatch: [2], rhsBatch: [1], m: 3, k: 4, n: 3, adjX: false, adjY: false, outputScaleFactor: 1 / 64 }, ["saturate"]));
        drafts.push(matmulDraft(rand, type, { lhsBatch: [], rhsBatch: [], m: 2, k: 2, n: 3, adjX: true, adjY: false, outputScaleFactor: 1 / 4096 }, ["multiplier-above-1"],
            (_side, n) => rand.values(type, n).map((v) => Math.round(v / 256))));
    }
    // float32: products of -0 (a sum from 0 gives +0), sums past float32's range (infinity).
    drafts.push(matmulDraft(rand, "float32", { lhsBatch: [], rhsBatch: [], m: 2, k: 3, n: 2, adjX: false, adjY: false }, ["negative-zero"],
        (side, n) => Array.from({ length: n }, () => (side === "lhs" ? -0 : rand.pick([0, 1.5, 3])))));
    drafts.push(matmulDraft(rand, "float32", { lhsBatch: [], rhsBatch: [], m: 2, k: 3, n: 2, adjX: false, adjY: true }, ["overflow"],
        (_side, n) => Array.from({ length: n }, () => rand.pick([3e38, 2e38, 1]))));
    // An output of more dimensions than the result (TFLM rewrites its shape).
    drafts.push(matmulDraft(rand, "float32", { lhsBatch: [2], rhsBatch: [2], m: 2, k: 3, n: 2, adjX: false, adjY: false, extraOutputDims: 1 }, ["output-higher-rank"]));
    return drafts;
}

// DYNAMIC_UPDATE_SLICE (kernels/dynamic_update_slice.cc): FLOAT32, INT8, INT16, INT32 operands
// copied byte for byte; INT32 and INT64 start indices (a model input or a constant), each clamped
// to [0, operand_dim - update_dim] (below 0, past the end, an INT64 beyond 32 bits either way); an
// update of the operand's size (copied whole), an empty one (the operand copied); ranks 1 to 6,
// update dimensions equal to the operand's or smaller; quantized tensors of other parameters.
function dusDraft(rand: Rand, type: TypeName, operand: number[], update: number[], starts: number[], covers: string[],
    indexType: TypeName = "int32", constIndices = false): Draft {
    const q = (): Partial<TensorSpec> => (type === "int8" || type === "int16" ? { scale: rand.scale(-8, 0), zeroPoint: type === "int8" ? rand.zeroPoint("int8") : 0 } : {});
    const operandQ = q();
    const indices: TensorSpec = { shape: [starts.length], type: indexType, ...(constIndices ? { data: starts } : {}) };
    const inputs = [rand.bytes(type, operand, 100), rand.bytes(type, update, 100)];
    if (!constIndices) inputs.push(encodeValues(indexType, starts));
    return {
        covers: [type, `indices-${indexType}`, `rank-${operand.length}`, constIndices ? "constant-indices" : "input-indices"].concat(covers),
        spec: { op: "DYNAMIC_UPDATE_SLICE", inputs: [{ shape: operand, type, ...operandQ }, { shape: update, type, ...q() }, indices],
            outputs: [{ shape: operand, type, ...operandQ }] },
        inputs,
    };
}

function dynamicUpdateSliceDrafts(rand: Rand): Draft[] {
    const drafts: Draft[] = [];
    const smaller = (shape: number[]) => shape.map((d) => rand.int(1, d));
    const inRange = (operand: number[], update: number[]) => operand.map((d, i) => rand.int(0, d - update[i]));
    for (const type of ["float32", "int8", "int16", "int32"] as TypeName[]) {
        for (let rank = 1; rank <= 4; rank++) {
            const operand = Array.from({ length: rank }, () => rand.int(1, 5));
            const update = smaller(operand);
            drafts.push(dusDraft(rand, type, operand, update, inRange(operand, update), ["in-range"], rank % 2 ? "int32" : "int64", rank === 3));
        }
        // Starts below 0 and past the end, clamped; an update of the operand's size; an empty update.
        const operand = [3, 4, 5], update = [2, 2, 3];
        drafts.push(dusDraft(rand, type, operand, update, [-2, 7, rand.int(-100, 100)], ["clamped"], rand.pick(["int32", "int64"] as TypeName[])));
        drafts.push(dusDraft(rand, type, [2, 3], [2, 3], [rand.int(-3, 3), rand.int(-3, 3)], ["whole"]));
        drafts.push(dusDraft(rand, type, [3, 4], [0, 2], [1, 1], ["empty-update"]));
    }
    // INT64 starts beyond 32 bits either way; ranks 5 and 6; one dimension of the update full.
    drafts.push(dusDraft(rand, "float32", [4, 3, 5], [2, 3, 1], [2 ** 33, -(2 ** 35), 2 ** 32 + 1], ["clamped", "int64-wide"], "int64"));
    drafts.push(dusDraft(rand, "int8", [2, 3, 1, 2, 3], [1, 2, 1, 1, 3], [1, -1, 0, 1, 5], ["clamped"]));
    drafts.push(dusDraft(rand, "int16", [2, 1, 3, 2, 2, 3], [1, 1, 2, 2, 1, 2], [1, 0, 1, 0, 1, 1], ["in-range"], "int64"));
    drafts.push(dusDraft(rand, "int32", [6], [6], [0], ["whole"], "int64", true));
    return drafts;
}

// CUMSUM (kernels/cumsum.cc, reference/cumsum.h): float32 and int8 (TFLM's rescale path, its
// sum starting at minus the zero point, wrapping past int32 on long lines of extreme values);
// exclusive and reverse each way; axes first, middle, last and negative (a constant of shape []
// or [1]); ranks 1 to 4; lines of one element; a first element of -0.
function cumsumDraft(rand: Rand, type: TypeName, shape: number[], axis: number, exclusive: boolean, reverse: boolean, covers: string[],
    values?: number[], outputScaleFactor?: number): Draft {
    const n = count(shape);
    let inQ: Partial<TensorSpec> = {}, outQ: Partial<TensorSpec> = {};
    if (type === "int8") {
        const scale = rand.scale(-8, 0);
        const depth = shape[axis < 0 ? axis + shape.length : axis];
        inQ = { scale, zeroPoint: rand.zeroPoint("int8") };
        outQ = { scale: Math.fround(scale * (outputScaleFactor ?? Math.sqrt(depth) * (1 + 2 * rand.next()))), zeroPoint: rand.zeroPoint("int8") };
    }
    const axisSpec: TensorSpec = { shape: rand.chance(0.5) ? [] : [1], type: "int32", data: [axis] };
    return {
        covers: [type, `exclusive-${exclusive ? 1 : 0}`, `reverse-${reverse ? 1 : 0}`, `rank-${shape.length}`, axis < 0 ? "negative-axis" : "axis"].concat(covers),
        spec: { op: "CUMSUM", options: { exclusive, reverse }, inputs: [{ shape, type, ...inQ }, axisSpec], outputs: [{ shape, type, ...outQ }] },
        inputs: [encodeValues(type, values ?? rand.values(type, n, 10))],
    };
}

function cumsumDrafts(rand: Rand): Draft[] {
    const drafts: Draft[] = [];
    for (const type of ["float32", "int8"] as TypeName[]) {
        const combos = [[false, false], [true, false], [false, true], [true, true]];
        for (let k = 0; k < combos.length; k++)
            for (const rank of [1 + (k % 2), 3 + (k % 2)]) {
                const [exclusive, reverse] = combos[k];
                const shape = Array.from({ length: rank }, () => rand.int(1, 5));
                const axis = rand.int(0, rank - 1) - (rand.chance(0.4) ? rank : 0);
                drafts.push(cumsumDraft(rand, type, shape, axis, exclusive, reverse, ["random"]));
            }
        drafts.push(cumsumDraft(rand, type, [3, 4, 2], 0, rand.chance(0.5), rand.chance(0.5), ["first-axis"]));
        drafts.push(cumsumDraft(rand, type, [3, 4, 2], -1, rand.chance(0.5), rand.chance(0.5), ["last-axis"]));
        drafts.push(cumsumDraft(rand, type, [2, 1, 3], 1, rand.chance(0.5), rand.chance(0.5), ["depth-1"]));
    }
    // int8: lines of extreme values whose int32 sum wraps (each element adds up to 255 * 2^19), outputs clamped.
    drafts.push(cumsumDraft(rand, "int8", [2, 20], 1, false, false, ["wrap"], Array.from({ length: 40 }, () => rand.pick([127, 127, -128])), 0.5));
    drafts.push(cumsumDraft(rand, "int8", [3, 6], -1, true, true, ["saturate"], undefined, 0.25));
    // float32: a first -0 (0 + -0 is +0), sums past float32's range.
    drafts.push(cumsumDraft(rand, "float32", [2, 3], 1, false, false, ["negative-zero"], [-0, 1, -0, -0, -0, 2]));
    drafts.push(cumsumDraft(rand, "float32", [4, 2], 0, false, rand.chance(0.5), ["overflow"], [3e38, 1, 3e38, -2, 1, 3, 5, 7]));
    return drafts;
}

/** Every op's drafts by tools/make-tflm-goldens.ts's name for it. */
export const MATMUL_DRAFTS: { [op: string]: (rand: Rand) => Draft[] } = {
    batch_matmul: batchMatmulDrafts,
    dynamic_update_slice: dynamicUpdateSliceDrafts,
    cumsum: cumsumDrafts,
};
