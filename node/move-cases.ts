// Generated models of the data movement ops (libs/tflite/kernel_move.ts): GATHER, SPLIT, SPLIT_V,
// PACK, UNPACK, SLICE, SHAPE, REVERSE_V2, BROADCAST_TO, DEPTH_TO_SPACE, SPACE_TO_DEPTH, GATHER_ND.
// TFLM's goldens (tools/tflm-goldens-move.ts) take every draft of an op; the fuzzer's and the
// replay's kinds (node/fuzz.ts CASE_KINDS) one at random. Every type each TFLM kernel takes; the
// branches are mostly in the shapes and parameters (axes positive and negative, first and last,
// batch dimensions, scalar positions, INT64 begin/size/shape, size -1, reversing everything or an
// inner or outer block, new and repeated broadcast dimensions, block sizes 1 to 3), drawn small so
// that one case runs in milliseconds. Quantized types keep one scale and zero point from input to
// output: TFLM moves the bytes and never looks at them.
import type { OpCase, Rand } from "./fuzz";
import { draftCase } from "./draft-case";
import { encodeValues, singleOpModel, SingleOpSpec, TensorSpec, TypeName } from "./model-writer";

/** One case before anything ran it: the branches it takes, the model, the model inputs' bytes. */
export interface MoveDraft {
    covers: string[];
    spec: SingleOpSpec;
    inputs: Buffer[];
}

function count(shape: number[]): number {
    return shape.reduce((a, b) => a * b, 1);
}

/** A random shape of rank in [minRank, maxRank], dimensions 1..maxDim, at most maxElements elements. */
function shapeOf(rand: Rand, minRank: number, maxRank: number, maxElements = 240, maxDim = 5): number[] {
    return rand.shape(minRank, maxRank, maxElements, maxDim);
}

/** A tensor of `type` and `shape`, int8/uint8/int16 with a quantization (the same for the output). */
function tensor(rand: Rand, type: TypeName, shape: number[], quant?: Partial<TensorSpec>): TensorSpec {
    if (quant) return { shape, type, ...quant };
    if (type === "int8" || type === "uint8") return { shape, type, scale: rand.scale(-8, 0), zeroPoint: rand.zeroPoint(type) };
    if (type === "int16") return { shape, type, scale: rand.scale(-12, 0), zeroPoint: 0 };
    return { shape, type };
}

function quantOf(t: TensorSpec): Partial<TensorSpec> {
    return t.scale !== undefined ? { scale: t.scale, zeroPoint: t.zeroPoint } : {};
}

function ints(type: "int32" | "int64", values: number[]): TensorSpec {
    return { shape: [values.length], type, data: values };
}

function draft(covers: string[], spec: SingleOpSpec, inputs: Buffer[]): MoveDraft {
    return { covers, spec, inputs };
}

/**
 * `n` (type, pattern) pairs: the types in turn, the patterns in turn shifted by one each round of
 * types, so that few cases still give every type and every pattern more than once in new pairs.
 */
function pairs<T>(types: T[], patterns: string[], n: number): [T, string][] {
    const res: [T, string][] = [];
    for (let i = 0; i < n; i++) {
        // The longer list in turn, the shorter one shifted by one each round of the longer.
        const rounds = Math.floor(i / Math.max(types.length, patterns.length));
        const t = types.length >= patterns.length ? i : i + rounds, p = types.length >= patterns.length ? i + rounds : i;
        res.push([types[t % types.length], patterns[p % patterns.length]]);
    }
    return res;
}

// ---- GATHER: FLOAT32 and INT8, INT32 positions (model inputs, all inside the axis) ----
export function gatherDrafts(rand: Rand): MoveDraft[] {
    const drafts: MoveDraft[] = [];
    const patterns = ["axis-0", "axis-last", "axis-negative", "scalar-positions", "positions-2d", "batch-dims-1", "batch-dims-negative", "batch-dims-2"];
    for (const type of ["float32", "int8"] as TypeName[])
        for (const pattern of patterns)
            {
                const batch = pattern === "batch-dims-2" ? 2 : pattern.startsWith("batch") ? 1 : 0;
                const shape = shapeOf(rand, Math.max(1, batch + 1), 4, 240, 4);
                const rank = shape.length;
                let axis = pattern === "axis-last" ? rank - 1 : pattern === "axis-0" ? 0 : rand.int(batch, rank - 1);
                const positionsShape = shape.slice(0, batch);
                if (pattern !== "scalar-positions" || batch > 0)
                    for (let i = 0, n = pattern === "positions-2d" ? 2 : rand.int(1, 2); i < n; i++) positionsShape.push(rand.int(1, 4));
                const positions: number[] = [];
                for (let i = 0; i < count(positionsShape); i++) positions.push(rand.int(0, shape[axis] - 1));
                const output = shape.slice(0, axis).concat(positionsShape.slice(batch), shape.slice(axis + 1));
                const input = tensor(rand, type, shape);
                if (pattern === "axis-negative") axis -= rank;
                const batchDims = pattern === "batch-dims-negative" ? batch - positionsShape.length : batch;
                drafts.push(draft([type, pattern], {
                    op: "GATHER", options: { axis, batchDims },
                    inputs: [input, { shape: positionsShape, type: "int32" }],
                    outputs: [{ ...tensor(rand, type, output, quantOf(input)) }],
                }, [rand.bytes(type, shape), encodeValues("int32", positions)]));
            }
    return drafts;
}

// ---- SPLIT (axis, input) and SPLIT_V (input, size_splits, axis): FLOAT32, INT8, INT16, INT32 ----
function splitDrafts(op: "SPLIT" | "SPLIT_V"): (rand: Rand) => MoveDraft[] {
    return (rand) => {
        const drafts: MoveDraft[] = [];
        for (const [type, pattern] of pairs<TypeName>(["float32", "int8", "int16", "int32"],
            ["axis-0", "axis-last", "axis-negative", "one-output", "scalar-axis", "many-outputs"], 12)) {
                const n = pattern === "one-output" ? 1 : pattern === "many-outputs" ? rand.int(4, 5) : rand.int(2, 3);
                const rank = rand.int(1, 4);
                const shape = shapeOf(rand, rank, rank, 120, 4);
                let axis = pattern === "axis-0" ? 0 : pattern === "axis-last" ? rank - 1 : rand.int(0, rank - 1);
                const sizes: number[] = [];
                for (let i = 0; i < n; i++) sizes.push(op === "SPLIT" ? shape[axis] : rand.int(1, 3));
                if (op === "SPLIT") sizes.fill(rand.int(1, 3));
                shape[axis] = sizes.reduce((a, b) => a + b, 0);
                const input = tensor(rand, type, shape);
                const outputs = sizes.map((s) => {
                    const o = shape.slice();
                    o[axis] = s;
                    return tensor(rand, type, o, quantOf(input));
                });
                if (pattern === "axis-negative") axis -= rank;
                const axisTensor: TensorSpec = { shape: pattern === "scalar-axis" ? [] : [1], type: "int32", data: [axis] };
                const spec: SingleOpSpec = op === "SPLIT"
                    ? { op, options: { numSplits: n }, inputs: [axisTensor, input], outputs }
                    : { op, options: { numSplits: n }, inputs: [input, ints("int32", sizes), axisTensor], outputs };
                drafts.push(draft([type, pattern, `outputs-${n}`], spec, [rand.bytes(type, shape)]));
            }
        return drafts;
    };
}

// ---- PACK (FLOAT32, INT8, INT16, INT32, INT64) and UNPACK (FLOAT32, INT8, INT16, INT32) ----
export function packDrafts(rand: Rand): MoveDraft[] {
    const drafts: MoveDraft[] = [];
    for (const [type, pattern] of pairs<TypeName>(["float32", "int8", "int16", "int32", "int64"],
        ["axis-0", "axis-last", "axis-negative", "one-input", "scalar-inputs"], 10)) {
            const n = pattern === "one-input" ? 1 : rand.int(2, 4);
            const shape = pattern === "scalar-inputs" ? [] : shapeOf(rand, 1, 3, 60, 4);
            const rank = shape.length + 1;
            let axis = pattern === "axis-0" ? 0 : pattern === "axis-last" ? rank - 1 : rand.int(0, rank - 1);
            const first = tensor(rand, type, shape);
            const inputs: TensorSpec[] = [];
            for (let i = 0; i < n; i++) inputs.push(tensor(rand, type, shape, quantOf(first)));
            const out = shape.slice();
            out.splice(axis, 0, n);
            if (pattern === "axis-negative") axis -= rank;
            drafts.push(draft([type, pattern, `inputs-${n}`], {
                op: "PACK", options: { valuesCount: n, axis }, inputs, outputs: [tensor(rand, type, out, quantOf(first))],
            }, inputs.map(() => rand.bytes(type, shape))));
        }
    return drafts;
}

export function unpackDrafts(rand: Rand): MoveDraft[] {
    const drafts: MoveDraft[] = [];
    for (const [type, pattern] of pairs<TypeName>(["float32", "int8", "int16", "int32"],
        ["axis-0", "axis-last", "axis-negative", "one-output", "vector-input"], 10)) {
            const shape = pattern === "vector-input" ? [rand.int(2, 4)] : shapeOf(rand, 2, 4, 120, 4);
            const rank = shape.length;
            let axis = pattern === "axis-0" || pattern === "vector-input" ? 0 : pattern === "axis-last" ? rank - 1 : rand.int(0, rank - 1);
            shape[axis] = pattern === "one-output" ? 1 : rand.int(2, 4);
            const n = shape[axis];
            const input = tensor(rand, type, shape);
            const out = shape.slice();
            out.splice(axis, 1);
            const outputs: TensorSpec[] = [];
            for (let i = 0; i < n; i++) outputs.push(tensor(rand, type, out, quantOf(input)));
            if (pattern === "axis-negative") axis -= rank;
            drafts.push(draft([type, pattern, `outputs-${n}`], { op: "UNPACK", options: { num: n, axis }, inputs: [input], outputs },
                [rand.bytes(type, shape)]));
        }
    return drafts;
}

// ---- SLICE: FLOAT32, INT8, INT16, INT32, BOOL; constant INT32 or INT64 begin and size ----
export function sliceDrafts(rand: Rand): MoveDraft[] {
    const drafts: MoveDraft[] = [];
    for (const [type, pattern] of pairs<TypeName>(["float32", "int8", "int16", "int32", "bool"],
        ["plain", "int64-begin-size", "size-minus-one", "rank-5", "whole", "one-element"], 12)) {
            const shape = pattern === "rank-5" ? shapeOf(rand, 5, 5, 240, 3) : shapeOf(rand, 1, 4, 240, 5);
            const begin: number[] = [], size: number[] = [], out: number[] = [];
            for (const d of shape) {
                const b = pattern === "whole" ? 0 : pattern === "one-element" ? rand.int(0, d - 1) : rand.int(0, d - 1);
                const n = pattern === "whole" ? d : pattern === "one-element" ? 1 : rand.int(1, d - b);
                const minusOne = pattern === "size-minus-one" ? rand.chance(0.6) : pattern === "whole" && rand.chance(0.5);
                begin.push(b);
                size.push(minusOne ? -1 : n);
                out.push(minusOne ? d - b : n);
            }
            const indexType = pattern === "int64-begin-size" || (pattern === "size-minus-one" && rand.chance(0.5)) ? "int64" : "int32";
            const input = tensor(rand, type, shape);
            drafts.push(draft([type, pattern, `begin-${indexType}`], {
                op: "SLICE", inputs: [input, ints(indexType, begin), ints(indexType, size)], outputs: [tensor(rand, type, out, quantOf(input))],
            }, [rand.bytes(type, shape)]));
        }
    // Begin (and size) as model inputs, which TFLM reads at invoke: size gives the output's shape
    // (-1 where it reaches the end).
    for (const [type, pattern] of pairs<TypeName>(["float32", "int8", "int16", "bool"], ["dynamic-begin", "dynamic-begin-size", "dynamic-int64"], 4)) {
        const shape = shapeOf(rand, 1, 4, 240, 5);
        const begin: number[] = [], size: number[] = [], out: number[] = [];
        for (const d of shape) {
            const b = rand.int(0, d - 1), n = rand.int(1, d - b), minusOne = pattern !== "dynamic-begin" && rand.chance(0.3);
            begin.push(b);
            size.push(minusOne ? -1 : n);
            out.push(minusOne ? d - b : n);
        }
        const indexType: "int32" | "int64" = pattern === "dynamic-int64" ? "int64" : "int32";
        const input = tensor(rand, type, shape);
        const sizeInput: TensorSpec = pattern === "dynamic-begin" ? ints(indexType, size) : { shape: [size.length], type: indexType };
        const inputs = [rand.bytes(type, shape), encodeValues(indexType, begin)];
        if (pattern !== "dynamic-begin") inputs.push(encodeValues(indexType, size));
        drafts.push(draft([type, pattern, `begin-${indexType}`], {
            op: "SLICE", inputs: [input, { shape: [begin.length], type: indexType }, sizeInput], outputs: [tensor(rand, type, out, quantOf(input))],
        }, inputs));
    }
    return drafts;
}

// ---- SHAPE: any input type and rank, INT32 output ----
export function shapeDrafts(rand: Rand): MoveDraft[] {
    const drafts: MoveDraft[] = [];
    const types: TypeName[] = ["float32", "int8", "int16", "int32", "uint8", "int64", "bool"];
    for (let rank = 1; rank <= 6; rank++) {
        const type = types[(rank - 1) % types.length];
        const shape = shapeOf(rand, rank, rank, 400, 7);
        drafts.push(draft([type, `rank-${rank}`], { op: "SHAPE", options: { outType: "int32" }, inputs: [tensor(rand, type, shape)],
            outputs: [{ shape: [rank], type: "int32" }] }, [rand.bytes(type, shape)]));
    }
    return drafts;
}

// ---- REVERSE_V2: FLOAT32, INT8, UINT8, INT16, INT32, INT64, BOOL; constant INT32 axes, neighbours ----
export function reverseDrafts(rand: Rand): MoveDraft[] {
    const drafts: MoveDraft[] = [];
    const patterns = ["all-axes", "inner-block", "outer-block", "middle-block", "negative-axes", "rank-6"];
    const types: TypeName[] = ["float32", "int8", "uint8", "int16", "int32", "int64", "bool"];
    for (const [type, pattern] of pairs(types, patterns, 14)) {
            const shape = pattern === "rank-6" ? shapeOf(rand, 6, 6, 240, 3) : shapeOf(rand, pattern === "middle-block" ? 3 : 1, 4, 240, 4);
            const rank = shape.length;
            let lo: number, hi: number;
            if (pattern === "all-axes") [lo, hi] = [0, rank - 1];
            else if (pattern === "inner-block") [lo, hi] = [rand.int(1, rank - 1) % rank, rank - 1];
            else if (pattern === "outer-block") [lo, hi] = [0, rand.int(0, Math.max(0, rank - 2))];
            else if (pattern === "middle-block") [lo, hi] = [1, rand.int(1, rank - 2)];
            else {
                // negative-axes and rank-6: any block.
                lo = rand.int(0, rank - 1);
                hi = rand.int(lo, rank - 1);
            }
            const axes: number[] = [];
            for (let a = lo; a <= hi; a++) axes.push(pattern === "negative-axes" && rand.chance(0.7) ? a - rank : a);
            // In any order: TFLM sorts them.
            if (rand.chance(0.5)) axes.reverse();
            const input = tensor(rand, type, shape);
            drafts.push(draft([type, pattern, `rank-${rank}`], {
                op: "REVERSE_V2", inputs: [input, ints("int32", axes)], outputs: [tensor(rand, type, shape, quantOf(input))],
            }, [rand.bytes(type, shape)]));
        }
    // The axes as a model input, which TFLM reads at invoke.
    for (const type of ["float32", "int8", "int64", "bool"] as TypeName[]) {
        const shape = shapeOf(rand, 1, 6, 240, 3);
        const rank = shape.length;
        const lo = rand.int(0, rank - 1), hi = rand.int(lo, rank - 1);
        const axes: number[] = [];
        for (let a = lo; a <= hi; a++) axes.push(rand.chance(0.3) ? a - rank : a);
        if (rand.chance(0.5)) axes.reverse();
        const input = tensor(rand, type, shape);
        drafts.push(draft([type, "dynamic-axes", `rank-${rank}`], {
            op: "REVERSE_V2", inputs: [input, { shape: [axes.length], type: "int32" }], outputs: [tensor(rand, type, shape, quantOf(input))],
        }, [rand.bytes(type, shape), encodeValues("int32", axes)]));
    }
    return drafts;
}

// ---- BROADCAST_TO: any type; constant INT32 or INT64 shape up to 5-D ----
export function broadcastToDrafts(rand: Rand): MoveDraft[] {
    const drafts: MoveDraft[] = [];
    const types: TypeName[] = ["float32", "int8", "uint8", "int16", "int32", "int64", "bool"];
    for (const [type, pattern] of pairs(types, ["new-dims", "ones-repeated", "both", "unchanged"], 14)) {
            const rank = rand.int(pattern === "new-dims" || pattern === "both" ? 2 : 1, 5);
            const out = shapeOf(rand, rank, rank, 240, 4);
            const extra = pattern === "new-dims" || pattern === "both" ? rand.int(1, rank - 1) : 0;
            const shape = out.slice(extra).map((d) => (pattern === "ones-repeated" || pattern === "both") && rand.chance(0.5) ? 1 : d);
            const indexType = rand.chance(0.5) ? "int64" : "int32";
            const input = tensor(rand, type, shape);
            drafts.push(draft([type, pattern, `shape-${indexType}`], {
                op: "BROADCAST_TO", inputs: [input, ints(indexType, out)], outputs: [tensor(rand, type, out, quantOf(input))],
            }, [rand.bytes(type, shape)]));
        }
    return drafts;
}

// ---- DEPTH_TO_SPACE and SPACE_TO_DEPTH: FLOAT32 and INT8, NHWC, block sizes 1 to 3 ----
function blockDrafts(op: "DEPTH_TO_SPACE" | "SPACE_TO_DEPTH"): (rand: Rand) => MoveDraft[] {
    return (rand) => {
        const drafts: MoveDraft[] = [];
        for (const type of ["float32", "int8"] as TypeName[])
            for (const block of [1, 2, 3]) {
                const n = rand.int(1, 2), h = rand.int(1, 3), w = rand.int(1, 3), c = rand.int(1, 3);
                // DEPTH_TO_SPACE: [n, h, w, c * b * b] -> [n, h * b, w * b, c]; SPACE_TO_DEPTH the other way.
                const deep = [n, h, w, c * block * block], wide = [n, h * block, w * block, c];
                const [inShape, outShape] = op === "DEPTH_TO_SPACE" ? [deep, wide] : [wide, deep];
                const input = tensor(rand, type, inShape);
                drafts.push(draft([type, `block-${block}`], {
                    op, options: { blockSize: block }, inputs: [input], outputs: [tensor(rand, type, outShape, quantOf(input))],
                }, [rand.bytes(type, inShape)]));
            }
        return drafts;
    };
}

// ---- GATHER_ND: FLOAT32 and INT8, INT32 indices (model inputs) ----
export function gatherNdDrafts(rand: Rand): MoveDraft[] {
    const drafts: MoveDraft[] = [];
    for (const type of ["float32", "int8"] as TypeName[])
        for (const pattern of ["elements", "slices", "indices-1d", "indices-3d", "flat-inside", "depth-5"]) {
            const shape = pattern === "depth-5" ? shapeOf(rand, 5, 5, 240, 3) : shapeOf(rand, 1, 4, 240, 4);
            const rank = shape.length;
            const depth = pattern === "elements" || pattern === "flat-inside" || pattern === "depth-5" ? rank : rand.int(1, rank);
            const lead = pattern === "indices-1d" ? [] : pattern === "indices-3d" ? [rand.int(1, 3), rand.int(1, 3)] : [rand.int(1, 4)];
            const indicesShape = lead.concat([depth]);
            const indices: number[] = [];
            for (let i = 0; i < count(lead); i++)
                for (let j = 0; j < depth; j++) indices.push(rand.int(0, shape[j] - 1));
            // TFLM checks only that the flat position is inside the input: an index past its own
            // dimension (but not past the input's end) reads the element that position lands on.
            if (pattern === "flat-inside" && rank >= 2 && shape[rank - 1] > 1 && indices[0] < shape[0] - 1) indices[rank - 1] += shape[rank - 1];
            const input = tensor(rand, type, shape);
            const out = lead.concat(shape.slice(depth));
            drafts.push(draft([type, pattern, `depth-${depth}`], {
                op: "GATHER_ND", inputs: [input, { shape: indicesShape, type: "int32" }], outputs: [tensor(rand, type, out, quantOf(input))],
            }, [rand.bytes(type, shape), encodeValues("int32", indices)]));
        }
    return drafts;
}

/** Every op's drafts by tools/make-tflm-goldens.ts's name for it. */
export const MOVE_DRAFTS: { [op: string]: (rand: Rand) => MoveDraft[] } = {
    gather: gatherDrafts,
    split: splitDrafts("SPLIT"),
    split_v: splitDrafts("SPLIT_V"),
    pack: packDrafts,
    unpack: unpackDrafts,
    slice: sliceDrafts,
    shape: shapeDrafts,
    reverse_v2: reverseDrafts,
    broadcast_to: broadcastToDrafts,
    depth_to_space: blockDrafts("DEPTH_TO_SPACE"),
    space_to_depth: blockDrafts("SPACE_TO_DEPTH"),
    gather_nd: gatherNdDrafts,
};

/** One random case of `op` (a MOVE_DRAFTS name): one of its drafts, as the fuzzer's kinds are. */
export function moveCase(rand: Rand, op: string): OpCase {
    return draftCase(rand, MOVE_DRAFTS[op](rand));
}
