// Generated models of TFLM_DECODE (libs/tflite/kernel_decode.ts): LUT and Prune decoding. TFLM's
// goldens (tools/tflm-goldens-decode.ts) take every draft; the fuzzer one at random. TFLM's LUT
// branches: the output types (BOOL, FLOAT32, INT8, INT16, INT32, INT64); bit widths 1 to 7, of
// which INT8 at 2, 3 and 4 with channels along dimension 0 take TFLM's word-at-a-time paths (runs
// of 16 or 32 indices, a prelude up to the next run's start and a tail; a channel's elements
// starting inside a run); channels along dimension 0 or interleaved on the last dimension (rank 1
// too); several (encoded, ancillary) pairs in one op; a table stride longer than what the indices
// reach. Prune's: the types; a zero point per tensor, per channel along dimension 0 or the last
// (INT8, TFLM's per-channel path when one is not 0), or none; bitmaps all ones, all zeros, random,
// of lengths not a multiple of 8; a LUT and a Prune pair in one op.
import type { Rand } from "./fuzz";
import { encodeValues, SingleOpSpec, TensorSpec, TypeName } from "./model-writer";

/** One case before anything ran it: the branches it takes, the model, the model inputs' bytes (none: both inputs are constants). */
export interface DecodeDraft {
    covers: string[];
    spec: SingleOpSpec;
    inputs: Buffer[];
}

/** The DCM header of a LUT pair: decode type 0, DCM version 1, LUT version 1, the bit width, the table stride. */
function lutHeader(width: number, stride: number): Buffer {
    const h = Buffer.alloc(16);
    h[0] = 0;
    h[1] = 1;
    h[4] = 1;
    h[5] = width;
    h[6] = stride;
    return h;
}

/** `indices` of `width` bits each, most significant bit first, the last byte padded with zeros. */
export function packIndices(indices: number[], width: number): Buffer {
    const out = Buffer.alloc((indices.length * width + 7) >> 3);
    indices.forEach((v, i) => {
        for (let b = 0; b < width; b++) {
            const bit = i * width + b;
            if ((v >> (width - 1 - b)) & 1) out[bit >> 3] |= 0x80 >> (bit & 7);
        }
    });
    return out;
}

/** Table values of `type`: random, with the type's extremes (and -0, infinities and a quiet NaN for FLOAT32) among them. */
function tableValues(rand: Rand, type: TypeName, n: number): Buffer {
    if (type === "float32") {
        const b = Buffer.alloc(4 * n);
        for (let i = 0; i < n; i++) {
            if (rand.chance(0.15)) b.writeUInt32LE(rand.pick([0x80000000, 0x7f800000, 0xff800000, 0x7fc00001, 0x00000001]), 4 * i);
            else b.writeFloatLE(Math.fround((rand.next() * 2 - 1) * 100), 4 * i);
        }
        return b;
    }
    if (type === "int64") {
        const b = Buffer.alloc(8 * n);
        for (let i = 0; i < n; i++) {
            b.writeUInt32LE(rand.int(0, 0xffffffff), 8 * i);
            b.writeUInt32LE(rand.int(0, 0xffffffff), 8 * i + 4);
        }
        return b;
    }
    return encodeValues(type, rand.values(type, n));
}

interface Pair {
    type: TypeName;
    shape: number[];
    width: number;
    /** Channels of the output's quantization (0: none), and its quantized dimension. */
    channels: number;
    axis: number;
    /** Table entries per channel; the indices reach only the first `used`. */
    stride: number;
    used: number;
}

function lutPair(rand: Rand, p: Pair): { encoded: TensorSpec; ancillary: TensorSpec; output: TensorSpec } {
    const count = p.shape.reduce((a, b) => a * b, 1);
    const channels = Math.max(1, p.channels);
    const indices: number[] = [];
    for (let i = 0; i < count; i++) indices.push(rand.int(0, Math.min(p.used, 1 << p.width) - 1));
    const ancillary = Buffer.concat([lutHeader(p.width, p.stride), tableValues(rand, p.type, channels * p.stride)]);
    const encoded = packIndices(indices, p.width);
    const output: TensorSpec = { shape: p.shape, type: p.type };
    if (p.channels > 0) {
        output.scale = Array.from({ length: p.channels }, () => rand.scale());
        output.zeroPoint = 0;
        output.quantizedDimension = p.axis;
    }
    return {
        encoded: { shape: [encoded.length], type: "uint8", data: encoded },
        ancillary: { shape: [ancillary.length], type: "uint8", data: ancillary },
        output,
    };
}

function lutDraft(rand: Rand, covers: string[], pairs: Pair[]): DecodeDraft {
    const made = pairs.map((p) => lutPair(rand, p));
    return {
        covers,
        inputs: [],
        spec: {
            op: "CUSTOM", customCode: "TFLM_DECODE",
            inputs: made.flatMap((m) => [m.encoded, m.ancillary]),
            outputs: made.map((m) => m.output),
        },
    };
}

function lutDrafts(rand: Rand): DecodeDraft[] {
    const pair = (type: TypeName, shape: number[], width: number, channels = 0, axis = 0, stride = 1 << width, used = stride): Pair =>
        ({ type, shape, width, channels, axis, stride, used });
    const d = (covers: string[], ...pairs: Pair[]) => lutDraft(rand, ["lut", ...covers], pairs);
    const anyWidth = () => rand.int(1, 7);
    return [
        // TFLM's int8 paths of widths 4, 3, 2: runs, preludes, tails; channels starting mid-run.
        d(["int8", "width-4", "runs-of-16", "tail"], pair("int8", [rand.int(35, 60)], 4)),
        d(["int8", "width-4", "channels-axis-0", "prelude"], pair("int8", [3, 21], 4, 3, 0)),
        d(["int8", "width-3", "runs-of-32", "tail"], pair("int8", [2, 40], 3, 1, 0)),
        d(["int8", "width-3", "channels-axis-0", "prelude"], pair("int8", [3, 5, 5], 3, 3, 0)),
        d(["int8", "width-2", "runs-of-16", "channels-axis-0", "prelude"], pair("int8", [2, 25], 2, 2, 0)),
        d(["int8", "width-2", "short"], pair("int8", [7], 2)),
        // The generic path: the other widths, the other types, interleaved channels.
        d(["int8", "width-1"], pair("int8", [rand.int(9, 30)], 1)),
        d(["int8", "width-5", "stride-longer"], pair("int8", [4, 9], 5, 0, 0, 40, 17)),
        d(["int8", "width-6", "channels-axis-0"], pair("int8", [2, 3, 7], 6, 2, 0)),
        d(["int8", "width-7"], pair("int8", [rand.int(20, 40)], 7)),
        d(["int8", "width-4", "channels-last"], pair("int8", [5, 4], 4, 4, 1)),
        d(["int8", "width-3", "channels-last", "rank-1"], pair("int8", [6], 3, 6, 0)),
        d(["int16", "channels-last"], pair("int16", [3, 2, 5], anyWidth(), 5, 2)),
        d(["int16", "channels-axis-0"], pair("int16", [4, 6], anyWidth(), 4, 0)),
        d(["int32", "stride-shorter"], pair("int32", [3, 11], 4, 0, 0, 9, 9)),
        d(["int64"], pair("int64", [2, 2, 5], anyWidth())),
        d(["float32", "channels-last"], pair("float32", [7, 3], anyWidth(), 3, 1)),
        d(["float32", "per-tensor-scale"], pair("float32", [19], 5, 1, 0)),
        d(["bool", "width-1"], pair("bool", [3, 13], 1, 0, 0, 2)),
        d(["pairs-3", "int8", "int16", "float32"],
            pair("int8", [33], 4), pair("int16", [2, 6], 3, 6, 1), pair("float32", [2, 5], 2, 2, 0)),
    ];
}

/** The DCM header of a Prune pair: decode type 2, DCM version 1, Prune version 1. */
function pruneHeader(): Buffer {
    const h = Buffer.alloc(16);
    h[0] = 2;
    h[1] = 1;
    h[4] = 1;
    return h;
}

interface PrunePair {
    type: TypeName;
    shape: number[];
    /** Zero points (INT8; one per channel), or undefined for no quantization. */
    zeroPoints?: number[];
    axis: number;
    /** Chance of a 1 bit (a kept value). */
    density: number;
}

function prunePair(rand: Rand, p: PrunePair): { encoded: TensorSpec; ancillary: TensorSpec; output: TensorSpec } {
    const count = p.shape.reduce((a, b) => a * b, 1);
    const bits: number[] = [];
    for (let i = 0; i < count; i++) bits.push(rand.chance(p.density) ? 1 : 0);
    const kept = bits.reduce((a, b) => a + b, 0);
    const ancillary = Buffer.concat([pruneHeader(), tableValues(rand, p.type, kept)]);
    const encoded = packIndices(bits, 1);
    const output: TensorSpec = { shape: p.shape, type: p.type };
    if (p.zeroPoints) {
        output.scale = p.zeroPoints.map(() => rand.scale());
        output.zeroPoint = p.zeroPoints;
        output.quantizedDimension = p.axis;
    }
    return {
        encoded: { shape: [encoded.length], type: "uint8", data: encoded },
        ancillary: { shape: [ancillary.length], type: "uint8", data: ancillary },
        output,
    };
}

function pruneDrafts(rand: Rand): DecodeDraft[] {
    const pair = (type: TypeName, shape: number[], zeroPoints?: number[], axis = 0, density = 0.5): PrunePair =>
        ({ type, shape, zeroPoints, axis, density });
    const zps = (n: number) => Array.from({ length: n }, () => rand.pick([-128, 127, rand.int(-128, 127), rand.int(-20, 20)]));
    const d = (covers: string[], pairs: PrunePair[], lut?: Pair) => {
        const made = pairs.map((p) => prunePair(rand, p));
        if (lut) made.push(lutPair(rand, lut));
        return {
            covers: ["prune", ...covers], inputs: [],
            spec: {
                op: "CUSTOM", customCode: "TFLM_DECODE",
                inputs: made.flatMap((m) => [m.encoded, m.ancillary]), outputs: made.map((m) => m.output),
            } as SingleOpSpec,
        };
    };
    return [
        d(["int8", "zero-point-per-tensor"], [pair("int8", [rand.int(20, 45)], [rand.int(-128, 127)])]),
        d(["int8", "zero-points-axis-0"], [pair("int8", [3, 7], zps(3), 0)]),
        d(["int8", "zero-points-last"], [pair("int8", [5, 4], zps(4), 1)]),
        d(["int8", "zero-points-last", "rank-1"], [pair("int8", [6], zps(6), 0)]),
        d(["int8", "zero-points-all-0"], [pair("int8", [4, 5], [0, 0, 0, 0], 0)]),
        d(["int8", "no-quantization", "all-ones"], [pair("int8", [13], undefined, 0, 1)]),
        d(["int8", "zero-point-per-tensor", "all-zeros"], [pair("int8", [11], [-7], 0, 0)]),
        d(["int16", "zero-points-axis-0"], [pair("int16", [2, 9], [0, 0], 0)]),
        d(["int32"], [pair("int32", [3, 5])]),
        d(["int64"], [pair("int64", [17])]),
        d(["float32", "zero-points-last"], [pair("float32", [4, 3], [0, 0, 0], 1)]),
        d(["bool"], [pair("bool", [2, 10])]),
        d(["pairs-2", "with-lut", "int8", "int16"], [pair("int8", [2, 8], zps(2), 0)],
            { type: "int16", shape: [3, 4], width: 2, channels: 0, axis: 0, stride: 4, used: 4 }),
    ];
}

export const DECODE_DRAFTS: { [op: string]: (rand: Rand) => DecodeDraft[] } = {
    tflm_decode_lut: lutDrafts,
    tflm_decode_prune: pruneDrafts,
};
