// Generated models of RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR, MIRROR_PAD, SPACE_TO_BATCH_ND and
// BATCH_TO_SPACE_ND (libs/tflite/kernel_resize.ts).
// TFLM's goldens (tools/tflm-goldens-resize.ts) take every draft of an op; the fuzzer's kinds
// (node/fuzz.ts CASE_KINDS) one at random. TFLM's branches are the types (nearest: FLOAT32, INT8,
// INT16 moved as bytes; bilinear: FLOAT32 in float arithmetic, INT8 in 10-bit fixed point), the
// flags (align_corners, half_pixel_centers; nearest takes both at once, bilinear refuses that)
// with align_corners' fallback for an output size of 1, and the scale: up, down or to 1. Sizes are
// drawn small so that one case runs in milliseconds. The quantized types keep one scale and zero
// point from input to output (TFLM never looks at them).
import type { OpCase, Rand } from "./fuzz";
import { draftCase } from "./draft-case";
import { encodeValues, singleOpModel, SingleOpSpec, TensorSpec, TypeName } from "./model-writer";

/** One case before anything ran it: the branches it takes, the model, the model inputs' bytes. */
export interface ResizeDraft {
    covers: string[];
    spec: SingleOpSpec;
    inputs: Buffer[];
}

type Scale = "up" | "down" | "to-1" | "same";

/** An output size for an input size of `n` that scales as asked (down from 1 is up). */
function outSize(rand: Rand, n: number, scale: Scale): number {
    if (scale === "to-1") return 1;
    if (scale === "same") return n;
    if (scale === "down" && n > 1) return rand.int(1, n - 1);
    return rand.int(n + 1, n + 6);
}

function quantized(rand: Rand, type: TypeName): Partial<TensorSpec> {
    if (type === "int8") return { scale: rand.scale(-8, 0), zeroPoint: rand.zeroPoint(type) };
    if (type === "int16") return { scale: rand.scale(-12, 0), zeroPoint: 0 };
    return {};
}

/**
 * One draft: input [n, h, w, c], the size constant, height and width scaled as asked; float32
 * inputs with signed zeros when `zeros` (bilinear's final + 0.0f turns -0 into +0).
 */
function resizeDraft(rand: Rand, op: "RESIZE_NEAREST_NEIGHBOR" | "RESIZE_BILINEAR", type: TypeName, flags: string,
    scales: [Scale, Scale], zeros = false): ResizeDraft {
    const n = rand.int(1, 2), h = rand.int(1, 5), w = rand.int(1, 5), c = rand.int(1, 3);
    const oh = outSize(rand, h, scales[0]), ow = outSize(rand, w, scales[1]);
    const quant = quantized(rand, type);
    const inShape = [n, h, w, c], outShape = [n, oh, ow, c];
    const count = n * h * w * c;
    const input = zeros ? encodeValues("float32", Array.from({ length: count }, () => rand.pick([-0, 0, 1.5, -2]))) : rand.bytes(type, inShape);
    const options = { alignCorners: flags.includes("align"), halfPixelCenters: flags.includes("half") };
    return {
        covers: [type, flags, `height-${scales[0]}`, `width-${scales[1]}`].concat(zeros ? ["signed-zeros"] : []),
        spec: { op, options, inputs: [{ shape: inShape, type, ...quant }, { shape: [2], type: "int32", data: [oh, ow] }],
            outputs: [{ shape: outShape, type, ...quant }] },
        inputs: [input],
    };
}

const SCALES: [Scale, Scale][] = [["up", "up"], ["down", "up"], ["up", "down"], ["to-1", "up"], ["down", "to-1"], ["same", "down"]];

export function resizeNearestDrafts(rand: Rand): ResizeDraft[] {
    const drafts: ResizeDraft[] = [];
    let k = 0;
    for (const type of ["float32", "int8", "int16"] as TypeName[])
        for (const flags of ["plain", "align", "half", "align-half"])
            drafts.push(resizeDraft(rand, "RESIZE_NEAREST_NEIGHBOR", type, flags, SCALES[k++ % SCALES.length]));
    return drafts;
}

/** Bilinear's second scales, in turn: each type goes down both ways, align_corners goes to 1. */
const BILINEAR_SCALES: [Scale, Scale][] = [["down", "up"], ["to-1", "down"], ["up", "to-1"], ["up", "down"], ["down", "to-1"], ["to-1", "same"]];

export function resizeBilinearDrafts(rand: Rand): ResizeDraft[] {
    const drafts: ResizeDraft[] = [];
    let k = 0;
    for (const type of ["float32", "int8"] as TypeName[])
        for (const flags of ["plain", "align", "half"])
            // Upsampling both ways for every type and flag (half_pixel_centers' negative weights
            // before the first row and column), then another scale.
            for (const scales of [SCALES[0], BILINEAR_SCALES[k++]]) drafts.push(resizeDraft(rand, "RESIZE_BILINEAR", type, flags, scales));
    drafts.push(resizeDraft(rand, "RESIZE_BILINEAR", "float32", "half", ["up", "up"], true));
    return drafts;
}

/**
 * MIRROR_PAD: FLOAT32 and INT8, REFLECT (mode 0, the border left out) and SYMMETRIC (mode 1),
 * INT32 and INT64 paddings, ranks 1 to 5, paddings of 0 up to the most each mode mirrors, and a
 * right padding past that ("right-past"), where TFLM's GetInputDimension clamps to position 0.
 */
export function mirrorPadDrafts(rand: Rand): ResizeDraft[] {
    const drafts: ResizeDraft[] = [];
    let k = 0;
    for (const type of ["float32", "int8"] as TypeName[])
        for (const mode of [0, 1])
            for (const pattern of ["small", "most", "right-past"]) {
                const rank = [1, 2, 3, 4, 5][k++ % 5];
                const shape: number[] = [];
                for (let d = 0; d < rank; d++) shape.push(rand.int(1, rank > 3 ? 3 : 4));
                const pads: number[] = [];
                for (let d = 0; d < rank; d++) {
                    // REFLECT mirrors up to n - 1 positions on each side, SYMMETRIC up to n.
                    const most = shape[d] - (mode === 0 ? 1 : 0);
                    const left = pattern === "most" ? most : rand.int(0, most);
                    const right = pattern === "right-past" && d === rank - 1 ? most + rand.int(1, 2) : pattern === "most" ? most : rand.int(0, most);
                    pads.push(left, right);
                }
                const padType = k % 2 ? "int32" : "int64";
                const out = shape.map((n, d) => n + pads[2 * d] + pads[2 * d + 1]);
                const quant = quantized(rand, type);
                drafts.push({
                    covers: [type, mode === 0 ? "reflect" : "symmetric", pattern, `paddings-${padType}`, `rank-${rank}`],
                    spec: { op: "MIRROR_PAD", options: { mode }, inputs: [{ shape, type, ...quant }, { shape: [rank, 2], type: padType, data: pads }],
                        outputs: [{ shape: out, type, ...quant }] },
                    inputs: [rand.bytes(type, shape)],
                });
            }
    return drafts;
}

/**
 * SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND: FLOAT32 and INT8, 4-D and 3-D (TFLM's [n, h, 1, c]
 * view), blocks of 1 to 3 each way, no paddings or crops ("none"), some ("some"), or on every
 * side ("all-sides"), shapes as TensorFlow's converter writes them.
 */
function spaceBatchDrafts(op: "SPACE_TO_BATCH_ND" | "BATCH_TO_SPACE_ND"): (rand: Rand) => ResizeDraft[] {
    return (rand) => {
        const drafts: ResizeDraft[] = [];
        for (const type of ["float32", "int8"] as TypeName[])
            for (const rank of [4, 3])
                for (const pattern of ["none", "some", "all-sides"]) {
                    const spatial = rank - 2;
                    const block: number[] = [], edges: number[] = [], n = rand.int(1, 2), c = rand.int(1, 3);
                    const space: number[] = [], batchSpace: number[] = [];
                    for (let d = 0; d < spatial; d++) {
                        const b = pattern === "none" ? rand.int(1, 2) : rand.int(2, 3);
                        const cells = rand.int(1, 3);
                        const before = pattern === "none" ? 0 : pattern === "all-sides" ? rand.int(1, b) : rand.int(0, b);
                        const after = pattern === "none" ? 0 : pattern === "all-sides" ? rand.int(1, b) : b - before;
                        block.push(b);
                        if (op === "SPACE_TO_BATCH_ND") {
                            // Padded, the dimension is cells blocks long.
                            const padded = b * cells;
                            const bt = Math.min(before, padded - 1), af = Math.max(0, Math.min(after, padded - 1 - bt));
                            edges.push(bt, af);
                            space.push(padded - bt - af);
                            batchSpace.push(cells);
                        } else {
                            // Cropped, the dimension is cells * b minus the crops.
                            const full = b * cells;
                            const bt = Math.min(before, full - 1), af = Math.max(0, Math.min(after, full - 1 - bt));
                            edges.push(bt, af);
                            batchSpace.push(cells);
                            space.push(full - bt - af);
                        }
                    }
                    const blocks = block.reduce((a, b) => a * b, 1);
                    const spaceShape = [n, ...space, c], batchShape = [n * blocks, ...batchSpace, c];
                    const [inShape, outShape] = op === "SPACE_TO_BATCH_ND" ? [spaceShape, batchShape] : [batchShape, spaceShape];
                    const quant = quantized(rand, type);
                    drafts.push({
                        covers: [type, `rank-${rank}`, pattern],
                        spec: { op, inputs: [{ shape: inShape, type, ...quant }, { shape: [spatial], type: "int32", data: block },
                            { shape: [spatial, 2], type: "int32", data: edges }], outputs: [{ shape: outShape, type, ...quant }] },
                        inputs: [rand.bytes(type, inShape)],
                    });
                }
        return drafts;
    };
}

/**
 * EMBEDDING_LOOKUP: FLOAT32 rows, INT8 rows copied, INT8 rows dequantized into FLOAT32 (TFLM's
 * hybrid path, zero point 0); value tensors of 2 to 4 dimensions, lookups repeated and in any order.
 */
export function embeddingLookupDrafts(rand: Rand): ResizeDraft[] {
    const drafts: ResizeDraft[] = [];
    for (const [type, outType] of [["float32", "float32"], ["int8", "int8"], ["int8", "float32"]] as [TypeName, TypeName][])
        for (const rank of [2, 3, 4]) {
            const shape = [rand.int(1, 5)];
            for (let d = 1; d < rank; d++) shape.push(rand.int(1, 3));
            const count = rand.int(1, 6);
            const lookups = Array.from({ length: count }, () => rand.int(0, shape[0] - 1));
            const quant: Partial<TensorSpec> = type === "int8" ? { scale: rand.scale(-8, 0), zeroPoint: outType === "float32" ? 0 : rand.zeroPoint("int8") } : {};
            const out = [count, ...shape.slice(1)];
            drafts.push({
                covers: [type, outType === type ? "copy" : "hybrid", `rank-${rank}`],
                spec: { op: "EMBEDDING_LOOKUP", inputs: [{ shape: [count], type: "int32" }, { shape, type, ...quant }],
                    outputs: [{ shape: out, type: outType, ...(outType === "int8" ? quant : {}) }] },
                inputs: [encodeValues("int32", lookups), rand.bytes(type, shape)],
            });
        }
    return drafts;
}

/**
 * BROADCAST_ARGS: INT32 and INT64 shapes (model inputs) of lengths 0 to 5, 1s on either side,
 * equal values, the output as long as the longer one.
 */
export function broadcastArgsDrafts(rand: Rand): ResizeDraft[] {
    const drafts: ResizeDraft[] = [];
    for (const type of ["int32", "int64"] as TypeName[])
        for (const pattern of ["same-length", "longer-first", "longer-second", "empty-one"]) {
            const n = rand.int(1, 5);
            const m = pattern === "same-length" ? n : pattern === "empty-one" ? 0 : rand.int(0, n - 1);
            const full = Array.from({ length: n }, () => rand.int(1, 6));
            // The shorter one broadcasts into the last m of the longer: each value equal or 1, or 1 against it.
            const short = full.slice(n - m).map((v) => rand.chance(0.4) ? 1 : v);
            const long = full.map((v, i) => i >= n - m && short[i - (n - m)] !== 1 && rand.chance(0.3) ? 1 : v);
            const [a, b] = pattern === "longer-second" ? [short, long] : [long, short];
            drafts.push({
                covers: [type, pattern],
                spec: { op: "BROADCAST_ARGS", inputs: [{ shape: [a.length], type }, { shape: [b.length], type }], outputs: [{ shape: [n], type }] },
                inputs: [encodeValues(type, a), encodeValues(type, b)],
            });
        }
    return drafts;
}

/** Every op's drafts by tools/make-tflm-goldens.ts's name for it. */
export const RESIZE_DRAFTS: { [op: string]: (rand: Rand) => ResizeDraft[] } = {
    resize_nearest_neighbor: resizeNearestDrafts,
    resize_bilinear: resizeBilinearDrafts,
    mirror_pad: mirrorPadDrafts,
    space_to_batch_nd: spaceBatchDrafts("SPACE_TO_BATCH_ND"),
    batch_to_space_nd: spaceBatchDrafts("BATCH_TO_SPACE_ND"),
    embedding_lookup: embeddingLookupDrafts,
    broadcast_args: broadcastArgsDrafts,
};

/** One random case of `op` (a RESIZE_DRAFTS name): one of its drafts, as the fuzzer's kinds are. */
export function resizeCase(rand: Rand, op: string): OpCase {
    return draftCase(rand, RESIZE_DRAFTS[op](rand));
}
