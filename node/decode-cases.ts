// Generated models of TFLM_DECODE (libs/tflite/kernel_decode.ts): LUT and Prune decoding. TFLM's
// goldens (tools/tflm-goldens-decode.ts) take every draft; the fuzzer one at random. TFLM's LUT
// branches: the output types (BOOL, FLOAT32, INT8, INT16, INT32, INT64); bit widths 1 to 7, of
// which INT8 at 2, 3 and 4 with channels along dimension 0 take TFLM's word-at-a-time paths (runs
// of 16 or 32 indices, a prelude up to the next run's start and a tail; a channel's elements
// starting inside a run); channels along dimension 0 or interleaved on the last dimension (rank 1
// too); several (encoded, ancillary) pairs in one op; a table stride longer than what the indices
// reach. Prune's: the types; a zero point per tensor, per channel along dimension 0 or the last
// (INT8, TFLM's per-channel path when one is not 0), or none; bitmaps all ones, all zeros, random,
// of lengths not a multiple of 8; a LUT and a Prune pair in one op. Huffman's: 16-bit tables
// (INT8) and 32-bit ones (INT8, INT16); codes that the root table resolves alone and codes that
// go on into a second table (the bits read again); one-bit roots; codewords across 32-bit words.
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

/**
 * A complete prefix code of `symbols` codes (a random full binary tree, so that every bit pattern
 * decodes), at most `maxLength` bits long: lengths[s], codes[s] canonical.
 */
function prefixCode(rand: Rand, symbols: number, maxLength: number): { lengths: number[]; codes: number[] } {
    const lengths = [0];
    while (lengths.length < symbols) {
        const open = lengths.map((l, i) => i).filter((i) => lengths[i] < maxLength);
        const i = rand.pick(open);
        lengths[i]++;
        lengths.push(lengths[i]);
    }
    const order = lengths.map((l, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
    const codes: number[] = new Array(symbols).fill(0);
    let code = 0, previous = lengths[order[0]];
    for (const s of order) {
        code <<= lengths[s] - previous;
        previous = lengths[s];
        codes[s] = code++;
    }
    return { lengths, codes };
}

interface HuffmanPair {
    type: TypeName;
    count: number;
    wide: boolean;
    symbols: number;
    rootBits: number;
    maxLength: number;
}

/** TFLM's Huffman tables for a prefix code: a root table of rootBits index bits, then one second table per longer prefix. */
function huffmanTables(values: number[], lengths: number[], codes: number[], rootBits: number, wide: boolean): number[] {
    const found = wide ? 0x80000000 : 0x8000, shift = wide ? 27 : 11, mask = wide ? 0x7ffffff : 0x7ff;
    const symbolEntry = (s: number, bitsUsed: number) => (found | (bitsUsed << shift) | (values[s] & mask)) >>> 0;
    const table: number[] = new Array(1 << rootBits).fill(0);
    for (let i = 0; i < 1 << rootBits; i++) {
        const short = lengths.findIndex((l, s) => l <= rootBits && codes[s] === i >> (rootBits - l));
        if (short >= 0) {
            table[i] = symbolEntry(short, lengths[short]);
            continue;
        }
        const longer = lengths.map((l, s) => s).filter((s) => lengths[s] > rootBits && codes[s] >> (lengths[s] - rootBits) === i);
        const bits = Math.max(...longer.map((s) => lengths[s])) - rootBits;
        const start = table.length;
        table[i] = (((bits - 1) << shift) | (start - i)) >>> 0;
        for (let j = 0; j < 1 << bits; j++) {
            const full = (i << bits) | j;
            const s = longer.find((t) => codes[t] === full >> (rootBits + bits - lengths[t]));
            table.push(symbolEntry(s as number, lengths[s as number] - rootBits));
        }
    }
    return table;
}

function huffmanPair(rand: Rand, p: HuffmanPair): { encoded: TensorSpec; ancillary: TensorSpec; output: TensorSpec } {
    const { lengths, codes } = prefixCode(rand, p.symbols, p.maxLength);
    const values = rand.values(p.type, p.symbols).map((v) => (p.type === "int8" ? v & 0xff : v & 0xffff));
    const table = huffmanTables(values, lengths, codes, p.rootBits, p.wide);
    const header = Buffer.alloc(16);
    header[0] = 1;
    header[1] = 1;
    header[4] = 1;
    header[5] = ((p.rootBits - 1) << 4) | (p.wide ? 1 : 0);
    const entries = Buffer.alloc(table.length * (p.wide ? 4 : 2));
    table.forEach((e, i) => (p.wide ? entries.writeUInt32LE(e, 4 * i) : entries.writeUInt16LE(e, 2 * i)));
    const bits: number[] = [];
    for (let i = 0; i < p.count; i++) {
        const s = rand.int(0, p.symbols - 1);
        for (let b = lengths[s] - 1; b >= 0; b--) bits.push((codes[s] >> b) & 1);
    }
    // TFLM reads whole 32-bit words, and a root index's worth of bits past the last codeword.
    while (bits.length % 32 !== 0 || bits.length < 32) bits.push(0);
    for (let k = 0; k < 32; k++) bits.push(0);
    const encoded = packIndices(bits, 1);
    const ancillary = Buffer.concat([header, entries]);
    return {
        encoded: { shape: [encoded.length], type: "uint8", data: encoded },
        ancillary: { shape: [ancillary.length], type: "uint8", data: ancillary },
        output: { shape: [p.count], type: p.type },
    };
}

function huffmanDrafts(rand: Rand): DecodeDraft[] {
    const pair = (type: TypeName, count: number, wide: boolean, symbols: number, rootBits: number, maxLength: number): HuffmanPair =>
        ({ type, count, wide, symbols, rootBits, maxLength });
    const d = (covers: string[], pairs: HuffmanPair[], lut?: Pair) => {
        const made = pairs.map((p) => huffmanPair(rand, p));
        if (lut) made.push(lutPair(rand, lut));
        return {
            covers: ["huffman", ...covers], inputs: [],
            spec: {
                op: "CUSTOM", customCode: "TFLM_DECODE",
                inputs: made.flatMap((m) => [m.encoded, m.ancillary]), outputs: made.map((m) => m.output),
            } as SingleOpSpec,
        };
    };
    return [
        d(["int8", "table-16", "root-only"], [pair("int8", rand.int(40, 90), false, 6, 4, 4)]),
        d(["int8", "table-16", "second-tables", "word-crossing"], [pair("int8", rand.int(60, 120), false, rand.int(8, 14), 2, 8)]),
        d(["int8", "table-16", "root-1-bit", "second-tables"], [pair("int8", 33, false, 5, 1, 5)]),
        d(["int8", "table-16", "two-symbols"], [pair("int8", 70, false, 2, 1, 1)]),
        d(["int8", "table-32", "second-tables"], [pair("int8", rand.int(30, 70), true, rand.int(6, 12), 3, 7)]),
        d(["int16", "table-32", "root-only"], [pair("int16", rand.int(20, 50), true, 7, 5, 5)]),
        d(["int16", "table-32", "second-tables", "word-crossing"], [pair("int16", rand.int(80, 150), true, rand.int(10, 20), 3, 9)]),
        d(["pairs-3", "with-lut", "int8", "int16"], [pair("int8", 21, false, 4, 2, 3), pair("int16", 17, true, 9, 2, 6)],
            { type: "int8", shape: [19], width: 3, channels: 0, axis: 0, stride: 8, used: 8 }),
    ];
}

export const DECODE_DRAFTS: { [op: string]: (rand: Rand) => DecodeDraft[] } = {
    tflm_decode_lut: lutDrafts,
    tflm_decode_prune: pruneDrafts,
    tflm_decode_huffman: huffmanDrafts,
};
