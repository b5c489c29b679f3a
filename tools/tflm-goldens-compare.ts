// The comparisons' and LOGICAL_AND/OR's cases for tools/make-tflm-goldens.ts. TFLM
// (kernels/comparisons.cc, reference/comparisons.h; kernels/logical_common.cc) distinguishes:
// - equal input shapes (a flat loop) from any others (BroadcastBinaryOpSimple over up to 8
//   dimensions, though its RuntimeShape holds 6: a scalar, a row, dimensions of 1 on both sides,
//   ranks 5 and 6);
// - per type: bool (EQUAL, NOT_EQUAL), float32 (NaN, -0, infinities), int32, int64 (values apart
//   in either 32-bit half), int8 rescaled by each input's scale (the same quantization, other
//   scales, other zero points); LOGICAL_AND/OR bool only;
// - a constant input beside a model input.
// Values are drawn from small pools so that equal pairs are frequent.
import type { Rand } from "../node/fuzz";
import { encodeValues, SingleOpSpec, TensorSpec, TypeName } from "../node/model-writer";
import type { GoldenDraft } from "./make-tflm-goldens";

export type CompareOp = "EQUAL" | "NOT_EQUAL" | "LESS" | "LESS_EQUAL" | "GREATER" | "GREATER_EQUAL" | "LOGICAL_AND" | "LOGICAL_OR";

/** The input types TFLM's Eval takes for an op (int16 GREATER aside: see kernel_compare.ts). */
export function compareTypes(op: CompareOp): TypeName[] {
    if (op === "LOGICAL_AND" || op === "LOGICAL_OR") return ["bool"];
    const types: TypeName[] = ["float32", "int32", "int64", "int8"];
    return op === "EQUAL" || op === "NOT_EQUAL" ? ["bool", ...types] : types;
}

type ShapePattern = "same-shape" | "scalar-first" | "scalar-second" | "row" | "ones-on-both-sides" | "rank-5-or-6" | "constant-second";
const PATTERNS: ShapePattern[] = ["same-shape", "scalar-first", "scalar-second", "row", "ones-on-both-sides", "rank-5-or-6", "constant-second"];

type Int8Quant = "same-quantization" | "other-scale" | "other-zero-point";
const INT8_QUANTS: Int8Quant[] = ["same-quantization", "other-scale", "other-zero-point"];

function randomShape(rand: Rand, rank: number, maxElements: number): number[] {
    for (;;) {
        const shape: number[] = [];
        for (let i = 0; i < rank; i++) shape.push(rand.int(1, 5));
        if (shape.reduce((a, b) => a * b, 1) <= maxElements) return shape;
    }
}

/** Input shapes of a pattern; the output has their broadcast shape. */
function shapesOf(rand: Rand, pattern: ShapePattern): [number[], number[]] {
    switch (pattern) {
        case "same-shape": case "constant-second": {
            const s = randomShape(rand, rand.int(1, 4), 120);
            return [s, s.slice()];
        }
        case "scalar-first": return [rand.chance(0.5) ? [] : [1], randomShape(rand, rand.int(1, 4), 120)];
        case "scalar-second": return [randomShape(rand, rand.int(1, 4), 120), rand.chance(0.5) ? [] : [1]];
        case "row": {
            const s = randomShape(rand, rand.int(2, 4), 120);
            const row = s.slice(s.length - rand.int(1, s.length - 1));
            return rand.chance(0.5) ? [s, row] : [row, s];
        }
        case "ones-on-both-sides": {
            // Each dimension repeats in one input or the other (or neither), ranks may differ.
            for (;;) {
                const full = randomShape(rand, rand.int(2, 4), 150);
                const a = full.map((d) => (rand.chance(0.4) ? 1 : d));
                const b = full.map((d, i) => (a[i] !== 1 && rand.chance(0.6) ? 1 : d));
                while (b.length > 1 && b[0] === 1 && rand.chance(0.5)) b.shift();
                if (a.join() !== b.join()) return [a, b];
            }
        }
        case "rank-5-or-6": {
            for (;;) {
                const rank = rand.int(5, 6);
                const full: number[] = [];
                for (let i = 0; i < rank; i++) full.push(rand.int(1, 3));
                if (full.reduce((x, y) => x * y, 1) > 200) continue;
                const a = full.map((d) => (rand.chance(0.3) ? 1 : d));
                const b = full.map((d, i) => (a[i] !== 1 && rand.chance(0.5) ? 1 : d));
                if (a.join() !== b.join()) return [a, b];
            }
        }
    }
}

function broadcastShape(a: number[], b: number[]): number[] {
    const rank = Math.max(a.length, b.length);
    const out: number[] = [];
    for (let k = 0; k < rank; k++) {
        const da = k < rank - a.length ? 1 : a[k - rank + a.length];
        const db = k < rank - b.length ? 1 : b[k - rank + b.length];
        out.push(da === 1 ? db : da);
    }
    return out;
}

const FLOAT_POOL = [0, -0, 1, -1, 0.5, 2.25, -3.75, 1e-30, -1e30, Infinity, -Infinity, NaN, Math.fround(0.1), Math.fround(1 / 3)];
const INT32_POOL = [0, 1, -1, 2, -2, 100, -100, 2147483647, -2147483648, 65536, -65536];
// Pairs that differ in one 32-bit half only, the sign, and the extremes.
const INT64_POOL = [0, 1, -1, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), 2 ** 31, -(2 ** 31), 0xffffffff, -0xffffffff, 2 ** 40 + 5, -(2 ** 40) - 5];
const INT64_EXTREMES = [BigInt("9223372036854775807"), BigInt("-9223372036854775808")];

/** `n` values of `type` from the pool (int8: from a few values near the zero point, plus the ends). */
function poolBytes(rand: Rand, type: TypeName, n: number, zeroPoint = 0): Buffer {
    if (type === "int64") {
        const b = Buffer.alloc(8 * n);
        for (let i = 0; i < n; i++) {
            const v = rand.chance(0.1) ? rand.pick(INT64_EXTREMES) : BigInt(rand.pick(INT64_POOL));
            b.writeBigInt64LE(v, 8 * i);
        }
        return b;
    }
    const values: number[] = [];
    for (let i = 0; i < n; i++) {
        switch (type) {
            case "bool": values.push(rand.int(0, 1)); break;
            case "float32": values.push(rand.pick(FLOAT_POOL)); break;
            case "int32": values.push(rand.pick(INT32_POOL)); break;
            default: values.push(rand.chance(0.15) ? rand.pick([-128, 127]) : Math.max(-128, Math.min(127, zeroPoint + rand.int(-6, 6)))); break;
        }
    }
    return encodeValues(type, values);
}

function draft(rand: Rand, op: CompareOp, type: TypeName, pattern: ShapePattern, quant: Int8Quant): GoldenDraft {
    const [shape1, shape2] = shapesOf(rand, pattern);
    const count = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const t1: TensorSpec = { shape: shape1, type };
    const t2: TensorSpec = { shape: shape2, type };
    const covers: string[] = [type, pattern, pattern === "same-shape" || pattern === "constant-second" ? "flat" : "broadcast"];
    if (type === "int8") {
        // Scales below 1 (TFLM's rescale needs them); "other-scale" puts the second input at twice
        // or half the first's scale, so that equal reals hit equal rescaled values now and then.
        const scale = rand.scale(-8, -1);
        const zeroPoint = rand.int(-20, 20);
        t1.scale = scale;
        t1.zeroPoint = zeroPoint;
        t2.scale = quant === "other-scale" ? Math.fround(scale * rand.pick([2, 0.5, 1.25])) : scale;
        t2.zeroPoint = quant === "other-zero-point" ? zeroPoint + rand.pick([-3, 1, 4]) : zeroPoint;
        covers.push(quant);
    }
    const in1 = poolBytes(rand, type, count(shape1), t1.zeroPoint as number | undefined);
    const in2 = poolBytes(rand, type, count(shape2), t2.zeroPoint as number | undefined);
    const inputs = [in1];
    if (pattern === "constant-second") t2.data = in2;
    else inputs.push(in2);
    const spec: SingleOpSpec = { op, inputs: [t1, t2], outputs: [{ shape: broadcastShape(shape1, shape2), type: "bool" }] };
    covers.push(`rank-${Math.max(shape1.length, shape2.length)}`);
    return { covers, spec, inputs };
}

const ORDER: CompareOp[] = ["EQUAL", "NOT_EQUAL", "LESS", "LESS_EQUAL", "GREATER", "GREATER_EQUAL", "LOGICAL_AND", "LOGICAL_OR"];

/**
 * Per type of the op three cases (bool-only ops: every pattern), the shape patterns and int8's
 * quantizations cycled per type across the ops (each op starts where the one before it in ORDER
 * stopped, so that the six comparisons together cover every pattern of every type, and one op's
 * cases do not depend on which others are made).
 */
export function compareDrafts(op: CompareOp): (rand: Rand) => GoldenDraft[] {
    return (rand) => {
        const drafts: GoldenDraft[] = [];
        const types = compareTypes(op);
        const perType = types.length === 1 ? PATTERNS.length : 3;
        for (const type of types)
            for (let k = 0; k < perType; k++) {
                const turn = ORDER.indexOf(op) * perType + k;
                const pattern = PATTERNS[turn % PATTERNS.length];
                drafts.push(draft(rand, op, type, pattern, INT8_QUANTS[(turn + Math.floor(turn / PATTERNS.length)) % INT8_QUANTS.length]));
            }
        return drafts;
    };
}

// LOGICAL_NOT (elementwise.cc): bool in, bool out, any shape up to TFLM's 6 dimensions, a scalar.
export function logicalNotDrafts(rand: Rand): GoldenDraft[] {
    return [0, 1, 2, 3, 4, 5, 6].map((rank) => {
        const shape = randomShape(rand, rank, 200);
        return {
            covers: ["bool", `rank-${rank}`], inputs: [poolBytes(rand, "bool", shape.reduce((a, b) => a * b, 1))],
            spec: { op: "LOGICAL_NOT", inputs: [{ shape, type: "bool" }], outputs: [{ shape, type: "bool" }] },
        };
    });
}

// ZEROS_LIKE (zeros_like.cc): int64, int32, int8 (quantized or not: zero bytes either way) and
// float32, any shape.
export function zerosLikeDrafts(rand: Rand): GoldenDraft[] {
    const drafts: GoldenDraft[] = [];
    for (const type of ["int64", "int32", "int8", "float32"] as TypeName[])
        for (const rank of [0, rand.int(1, 4)]) {
            const shape = randomShape(rand, rank, 120);
            const t: TensorSpec = type === "int8" && rank > 0 ? { shape, type, scale: 0.25, zeroPoint: 7 } : { shape, type };
            drafts.push({
                covers: [type, `rank-${rank}`], inputs: [poolBytes(rand, type, shape.reduce((a, b) => a * b, 1))],
                spec: { op: "ZEROS_LIKE", inputs: [t], outputs: [{ ...t }] },
            });
        }
    return drafts;
}

// FILL (fill.cc): a constant 1-D dims tensor of int8, int16, int32 or int64 (its values the
// output's shape, checked by TFLM's prepare), a scalar value of float32, int32 or int8 (a model
// input), an output of rank 1 to 4. Not rank 0: its dims tensor would hold no bytes, and TFLM
// takes a tensor without data for a non-constant one, which FILL refuses (so does our loader).
export function fillDrafts(rand: Rand): GoldenDraft[] {
    const drafts: GoldenDraft[] = [];
    const dimsTypes: TypeName[] = ["int8", "int16", "int32", "int64"];
    let turn = 0;
    for (const type of ["float32", "int32", "int8"] as TypeName[])
        for (let k = 0; k < 4; k++) {
            const rank = k === 0 ? 1 : rand.int(1, 4);
            const shape = randomShape(rand, rank, 150);
            const dimsType = dimsTypes[turn++ % dimsTypes.length];
            drafts.push({
                covers: [type, `dims-${dimsType}`, `rank-${rank}`], inputs: [poolBytes(rand, type, 1)],
                spec: {
                    op: "FILL", inputs: [{ shape: [rank], type: dimsType, data: shape }, { shape: [], type }],
                    outputs: [{ shape, type }],
                },
            });
        }
    return drafts;
}

// SELECT_V2 (select.cc): float32, int8, int16; one shape for all three inputs (TFLM's flat Select),
// scalars of different ranks (its mixed-scalar case), and broadcasts (BroadcastSelect5DSlow): the
// condition, x or y repeated along dimensions of 1 or missing ones, up to 6 dimensions, a constant y.
type SelectPattern = "same-shape" | "mixed-scalars" | "condition-broadcast" | "value-broadcast" | "all-broadcast" | "rank-5-or-6" | "constant-y";
const SELECT_PATTERNS: SelectPattern[] = ["same-shape", "mixed-scalars", "condition-broadcast", "value-broadcast", "all-broadcast", "rank-5-or-6", "constant-y"];

/** Three shapes broadcasting to `full`: an input that repeats makes some dimensions 1 and may lose leading ones, the others keep `full`. */
function threeShapes(rand: Rand, full: number[], which: boolean[]): number[][] {
    return which.map((repeats) => {
        if (!repeats) return full.slice();
        for (;;) {
            const s = full.map((d) => (rand.chance(0.5) ? 1 : d));
            while (s.length > 1 && s[0] === 1 && rand.chance(0.5)) s.shift();
            if (s.join() !== full.join()) return s;
        }
    });
}

export function selectDrafts(rand: Rand): GoldenDraft[] {
    const drafts: GoldenDraft[] = [];
    let turn = 0;
    for (const type of ["float32", "int8", "int16"] as TypeName[])
        for (let k = 0; k < 5; k++) {
            const pattern = SELECT_PATTERNS[turn++ % SELECT_PATTERNS.length];
            let shapes: number[][];
            switch (pattern) {
                case "mixed-scalars": {
                    shapes = [[], [1], [1, 1]];
                    const i = rand.int(0, 2);
                    [shapes[0], shapes[i]] = [shapes[i], shapes[0]];
                    break;
                }
                case "rank-5-or-6": {
                    const full: number[] = [];
                    for (let i = rand.int(5, 6); i > 0; i--) full.push(rand.int(1, 3));
                    full[full.length - 1] = 2;
                    shapes = threeShapes(rand, full, [true, rand.chance(0.5), true]);
                    break;
                }
                default: {
                    const full = randomShape(rand, rand.int(2, 4), 120);
                    full[0] = Math.max(full[0], 2);
                    const which = pattern === "condition-broadcast" ? [true, false, false] : pattern === "value-broadcast" ? [false, rand.chance(0.5), true] :
                        pattern === "all-broadcast" ? [true, true, true] : [false, false, false];
                    shapes = threeShapes(rand, full, which);
                }
            }
            const out: number[] = [];
            const rank = Math.max(...shapes.map((s) => s.length));
            for (let i = 0; i < rank; i++) {
                let d = 1;
                for (const s of shapes) {
                    const j = i - (rank - s.length);
                    if (j >= 0 && s[j] !== 1) d = s[j];
                }
                out.push(d);
            }
            const q = type === "float32" ? {} : { scale: 0.05, zeroPoint: type === "int8" ? -3 : 0 };
            const tensors: TensorSpec[] = [{ shape: shapes[0], type: "bool" }, { shape: shapes[1], type, ...q }, { shape: shapes[2], type, ...q }];
            const count = (s: number[]) => s.reduce((a, b) => a * b, 1);
            const values = tensors.map((t) => (t.type === "bool" ? poolBytes(rand, "bool", count(t.shape)) : rand.bytes(type, t.shape)));
            const inputs = values.slice(0, 2);
            if (pattern === "constant-y") tensors[2].data = values[2];
            else inputs.push(values[2]);
            drafts.push({
                covers: [type, pattern, `rank-${rank}`], inputs,
                spec: { op: "SELECT_V2", inputs: tensors, outputs: [{ shape: out, type, ...q }] },
            });
        }
    return drafts;
}

// ARG_MAX and ARG_MIN (arg_min_max.cc, TFLM's micro kernel): float32 (ties, NaN first or later,
// infinities) and int8 (a small pool: ties) in, int32 out, the axis first, last, in between or
// negative, ranks 1 to 4.
type AxisPattern = "first" | "last" | "middle" | "negative";
export function argMinMaxDrafts(op: "ARG_MAX" | "ARG_MIN"): (rand: Rand) => GoldenDraft[] {
    return (rand) => {
        const drafts: GoldenDraft[] = [];
        for (const type of ["float32", "int8"] as TypeName[])
            for (const pattern of ["first", "last", "middle", "negative"] as AxisPattern[])
                for (let k = 0; k < 2; k++) {
                    const shape = randomShape(rand, pattern === "middle" ? rand.int(3, 4) : rand.int(1, 4), 150);
                    const rank = shape.length;
                    const axis = pattern === "first" ? 0 : pattern === "last" ? rank - 1 : pattern === "middle" ? rand.int(1, rank - 2) : rand.int(-rank, -1);
                    const a = axis < 0 ? axis + rank : axis;
                    const count = shape.reduce((x, y) => x * y, 1);
                    const values: number[] = [];
                    for (let i = 0; i < count; i++)
                        values.push(type === "int8" ? rand.pick([-128, -5, 0, 3, 3, 7, 127]) : rand.pick([0, -0, 1.5, 1.5, -2, NaN, Infinity, -Infinity, 0.25]));
                    drafts.push({
                        covers: [type, `axis-${pattern}`, `rank-${rank}`], inputs: [encodeValues(type, values)],
                        spec: {
                            op, options: { outputType: "int32" },
                            inputs: [type === "int8" ? { shape, type, scale: 0.1, zeroPoint: 2 } : { shape, type }, { shape: [1], type: "int32", data: [axis] }],
                            outputs: [{ shape: shape.filter((_, i) => i !== a), type: "int32" }],
                        },
                    });
                }
        return drafts;
    };
}

// ADD_N (add_n.cc): 2 to 5 inputs of one shape; float32 (summed in input order), int8 with one
// input quantization and an output scale equal to, above or below it (the rescale and the clamp).
export function addNDrafts(rand: Rand): GoldenDraft[] {
    const drafts: GoldenDraft[] = [];
    let turn = 0;
    for (const type of ["float32", "int8"] as TypeName[])
        for (let k = 0; k < 6; k++) {
            const n = 2 + (turn % 4);
            const ratio = [1, 2, 0.5, 4, 0.25, 1][turn % 6];
            turn++;
            const shape = randomShape(rand, rand.int(0, 4), 120);
            const scale = rand.scale(-7, -1);
            const q = type === "int8" ? { scale, zeroPoint: rand.int(-30, 30) } : {};
            const outQ = type === "int8" ? { scale: Math.fround(scale * ratio), zeroPoint: rand.int(-30, 30) } : {};
            const inputs: TensorSpec[] = [];
            for (let i = 0; i < n; i++) inputs.push({ shape, type, ...q });
            drafts.push({
                covers: [type, `${n}-inputs`, type === "int8" ? `output-scale-x${ratio}` : "float", `rank-${shape.length}`],
                inputs: inputs.map(() => rand.bytes(type, shape)),
                spec: { op: "ADD_N", inputs, outputs: [{ shape, type, ...outQ }] },
            });
        }
    return drafts;
}
