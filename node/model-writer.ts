/**
 * Writes TensorFlow Lite models (.tflite, schema version 3) from a plain description: tensors,
 * constant data, quantization, operators with their builtin options, metadata. Used by the tests
 * to make single-op models, and by tools that build or rewrite whole graphs.
 *
 * One op in one line (tensors with `data` become constants, the others model inputs, in order):
 *
 * ```ts
 * const model = singleOpModel({
 *     op: "ADD", options: { activation: "RELU6" },
 *     inputs: [{ shape: [1, 4], type: "int8", scale: 0.1, zeroPoint: -128 },
 *              { shape: [1, 4], type: "int8", scale: 0.2, zeroPoint: 3, data: [1, 2, 3, 4] }],
 *     outputs: [{ shape: [1, 4], type: "int8", scale: 0.3, zeroPoint: 127 }],
 * })   // a Buffer holding the .tflite file
 * ```
 *
 * A graph, built step by step:
 *
 * ```ts
 * const g = new GraphBuilder()
 * const x = g.input({ shape: [1, 8], type: "int8", scale: 0.05, zeroPoint: 0 })
 * const w = g.constant({ shape: [4, 8], type: "int8", data: weights, scale: [0.1, 0.2, 0.1, 0.3], zeroPoint: 0 })
 * const y = g.tensor({ shape: [1, 4], type: "int8", scale: 0.2, zeroPoint: -10 })
 * g.op("FULLY_CONNECTED", [x, w, -1], [y], { activation: "RELU" })
 * g.output(y)
 * const model = g.toBuffer({ description: "demo" })
 * ```
 *
 * The FlatBuffer is laid out front to back: the root table first, every table, vector and string
 * after the one that refers to it, so every offset points forward as the format requires. Vectors
 * and scalars are aligned to their size; buffer data to 16 bytes (schema.fbs `force_align: 16`).
 * Option names follow schema.fbs in camelCase (`stride_w` -> `strideW`), with two short forms:
 * `activation` (fused_activation_function) and, for pools, `filterWidth`/`filterHeight`.
 */
import { loadTflite } from "./sts-runtime";

// ---------------------------------------------------------------------------------------------
// FlatBuffer serialization

type FbNode = FbTable | FbScalars | FbRefs;

/** A table: field number -> scalar bytes or a reference to another node. */
export class FbTable {
    fields: ({ bytes: Buffer } | { ref: FbNode } | undefined)[] = [];

    private scalar(field: number, size: number, write: (b: Buffer) => void): this {
        const b = Buffer.alloc(size);
        write(b);
        this.fields[field] = { bytes: b };
        return this;
    }
    u8(field: number, v: number): this { return this.scalar(field, 1, (b) => b.writeUInt8(v & 0xff)); }
    i8(field: number, v: number): this { return this.scalar(field, 1, (b) => b.writeInt8(v)); }
    bool(field: number, v: boolean): this { return this.u8(field, v ? 1 : 0); }
    i32(field: number, v: number): this { return this.scalar(field, 4, (b) => b.writeInt32LE(v)); }
    u32(field: number, v: number): this { return this.scalar(field, 4, (b) => b.writeUInt32LE(v)); }
    f32(field: number, v: number): this { return this.scalar(field, 4, (b) => b.writeFloatLE(v)); }
    i64(field: number, v: number): this { return this.scalar(field, 8, (b) => b.writeBigInt64LE(BigInt(v))); }
    ref(field: number, node: FbNode): this {
        this.fields[field] = { ref: node };
        return this;
    }
    string(field: number, s: string): this { return this.ref(field, fbString(s)); }
    i32s(field: number, values: ArrayLike<number>): this { return this.ref(field, fbI32s(values)); }
}

/** A vector of scalars (or a string: bytes plus a terminating 0 that the length does not count). */
export class FbScalars {
    constructor(public data: Buffer, public elementSize: number, public align = elementSize, public terminator = false) {}
}

/** A vector of tables. */
export class FbRefs {
    constructor(public items: FbNode[]) {}
}

export function fbString(s: string): FbScalars { return new FbScalars(Buffer.from(s, "utf8"), 1, 1, true); }
export function fbBytes(b: Buffer, align = 1): FbScalars { return new FbScalars(Buffer.from(b), 1, align); }
export function fbI32s(values: ArrayLike<number>): FbScalars {
    const b = Buffer.alloc(4 * values.length);
    for (let i = 0; i < values.length; i++) b.writeInt32LE(values[i], 4 * i);
    return new FbScalars(b, 4);
}
export function fbF32s(values: ArrayLike<number>): FbScalars {
    const b = Buffer.alloc(4 * values.length);
    for (let i = 0; i < values.length; i++) b.writeFloatLE(values[i], 4 * i);
    return new FbScalars(b, 4);
}
export function fbI64s(values: ArrayLike<number>): FbScalars {
    const b = Buffer.alloc(8 * values.length);
    for (let i = 0; i < values.length; i++) b.writeBigInt64LE(BigInt(values[i]), 8 * i);
    return new FbScalars(b, 8);
}

class Output {
    buf = Buffer.alloc(4096);
    length = 0;
    reserve(n: number): number {
        const at = this.length;
        if (at + n > this.buf.length) {
            const bigger = Buffer.alloc(Math.max(2 * this.buf.length, at + n));
            this.buf.copy(bigger, 0, 0, at);
            this.buf = bigger;
        }
        this.length += n;
        return at;
    }
    /** Pads with zeros until `(length + after) % align == 0`. */
    pad(align: number, after = 0): void {
        while ((this.length + after) % align) this.reserve(1);
    }
}

/** Serializes `root` as a FlatBuffer with a 4-character file identifier. */
export function serializeFlatBuffer(root: FbTable, identifier: string): Buffer {
    const out = new Output();
    out.reserve(4);
    const id = out.reserve(4);
    Buffer.from(identifier, "latin1").copy(out.buf, id);
    // Breadth first: each node is written after its referrer, and the uoffsets that point to it
    // (fixups) are patched once its position is known.
    const queue: { node: FbNode; fixups: number[] }[] = [{ node: root, fixups: [0] }];
    const vtables = new Map<string, number>();
    for (let q = 0; q < queue.length; q++) {
        const { node, fixups } = queue[q];
        const refer = (child: FbNode, at: number) => queue.push({ node: child, fixups: [at] });
        let at: number;
        if (node instanceof FbTable) at = writeTable(out, node, refer, vtables);
        else if (node instanceof FbScalars) {
            out.pad(Math.max(4, node.align), 4);
            at = out.reserve(4);
            out.buf.writeUInt32LE(node.data.length / node.elementSize, at);
            const data = out.reserve(node.data.length); // before reading out.buf: reserve may replace it
            node.data.copy(out.buf, data);
            if (node.terminator) out.reserve(1);
        } else {
            out.pad(4);
            at = out.reserve(4 + 4 * node.items.length);
            out.buf.writeUInt32LE(node.items.length, at);
            node.items.forEach((item, i) => refer(item, at + 4 + 4 * i));
        }
        for (const f of fixups) out.buf.writeUInt32LE(at - f, f);
    }
    out.pad(4);
    return Buffer.from(out.buf.subarray(0, out.length));
}

function writeTable(out: Output, t: FbTable, refer: (child: FbNode, at: number) => void, vtables: Map<string, number>): number {
    const present: number[] = [];
    t.fields.forEach((f, i) => { if (f) present.push(i); });
    const size = (i: number) => { const f = t.fields[i]!; return "bytes" in f ? f.bytes.length : 4; };
    // Largest fields first: the least padding.
    const order = present.slice().sort((a, b) => size(b) - size(a) || a - b);
    const fieldCount = present.length ? present[present.length - 1] + 1 : 0;
    const align = Math.max(4, ...present.map(size));
    // The layout relative to the table's start, which is aligned to every field's size: the same
    // wherever the table lands, so its vtable is known before writing.
    const vtable = Buffer.alloc(4 + 2 * fieldCount);
    const fieldAt: number[] = [];
    let end = 4;
    for (const i of order) {
        const n = size(i);
        end += (n - (end % n)) % n;
        fieldAt[i] = end;
        vtable.writeUInt16LE(end, 4 + 2 * i);
        end += n;
    }
    vtable.writeUInt16LE(vtable.length, 0);
    vtable.writeUInt16LE(end, 2);
    // Tables with the same layout share one vtable (as FlatBuffers' own builders do): tensors,
    // quantizations and operators mostly look alike, so this saves most of their vtables' bytes.
    const key = vtable.toString("hex");
    let vtableAt = vtables.get(key);
    if (vtableAt === undefined) {
        out.pad(2);
        vtableAt = out.reserve(vtable.length);
        vtable.copy(out.buf, vtableAt);
        vtables.set(key, vtableAt);
    }
    out.pad(align);
    const table = out.reserve(end);
    out.buf.writeInt32LE(table - vtableAt, table); // soffset: vtable = table - soffset
    for (const i of present) {
        const f = t.fields[i]!;
        if ("bytes" in f) f.bytes.copy(out.buf, table + fieldAt[i]);
        else refer(f.ref, table + fieldAt[i]);
    }
    return table;
}

// ---------------------------------------------------------------------------------------------
// Schema constants (tensorflow/compiler/mlir/lite/schema/schema.fbs)

const TYPE_CODES: { [name: string]: number } = {
    float32: 0, float16: 1, int32: 2, uint8: 3, int64: 4, string: 5, bool: 6, int16: 7, complex64: 8,
    int8: 9, float64: 10, complex128: 11, uint64: 12, resource: 13, variant: 14, uint32: 15, uint16: 16, int4: 17,
};
export type TypeName = "float32" | "float16" | "int32" | "uint8" | "int64" | "bool" | "int16" | "int8" | "float64" | "uint32" | "uint16" | "uint64" | "int4" | "resource";

export function typeCode(t: TypeName | string | number): number {
    if (typeof t === "number") return t;
    const c = TYPE_CODES[t.toLowerCase()];
    if (c === undefined) throw new Error(`model-writer: unknown tensor type '${t}'`);
    return c;
}

const ACTIVATIONS: { [name: string]: number } = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3, TANH: 4, SIGN_BIT: 5 };
const PADDINGS: { [name: string]: number } = { SAME: 0, VALID: 1 };

type FieldKind = "bool" | "byte" | "int" | "float" | "ints" | "padding" | "activation" | "type" | "string";
interface OptionTable { name: string; fields: { [key: string]: [number, FieldKind] } }

/** BuiltinOptions union members by type number (1-based; 0 is NONE), with their fields. */
export const OPTION_TABLES: { [union: number]: OptionTable } = {
    1: { name: "Conv2DOptions", fields: { padding: [0, "padding"], strideW: [1, "int"], strideH: [2, "int"], activation: [3, "activation"], dilationW: [4, "int"], dilationH: [5, "int"], quantizedBiasType: [6, "type"] } },
    2: { name: "DepthwiseConv2DOptions", fields: { padding: [0, "padding"], strideW: [1, "int"], strideH: [2, "int"], depthMultiplier: [3, "int"], activation: [4, "activation"], dilationW: [5, "int"], dilationH: [6, "int"] } },
    5: { name: "Pool2DOptions", fields: { padding: [0, "padding"], strideW: [1, "int"], strideH: [2, "int"], filterWidth: [3, "int"], filterHeight: [4, "int"], activation: [5, "activation"] } },
    6: { name: "SVDFOptions", fields: { rank: [0, "int"], activation: [1, "activation"], asymmetricQuantizeInputs: [2, "bool"] } },
    8: { name: "FullyConnectedOptions", fields: { activation: [0, "activation"], weightsFormat: [1, "byte"], keepNumDims: [2, "bool"], asymmetricQuantizeInputs: [3, "bool"], quantizedBiasType: [4, "type"] } },
    9: { name: "SoftmaxOptions", fields: { beta: [0, "float"] } },
    10: { name: "ConcatenationOptions", fields: { axis: [0, "int"], activation: [1, "activation"] } },
    11: { name: "AddOptions", fields: { activation: [0, "activation"], potScaleInt16: [1, "bool"] } },
    15: { name: "ResizeBilinearOptions", fields: { alignCorners: [2, "bool"], halfPixelCenters: [3, "bool"] } },
    17: { name: "ReshapeOptions", fields: { newShape: [0, "ints"] } },
    21: { name: "MulOptions", fields: { activation: [0, "activation"] } },
    19: { name: "SpaceToDepthOptions", fields: { blockSize: [0, "int"] } },
    22: { name: "PadOptions", fields: {} },
    23: { name: "GatherOptions", fields: { axis: [0, "int"], batchDims: [1, "int"] } },
    26: { name: "TransposeOptions", fields: {} },
    27: { name: "ReducerOptions", fields: { keepDims: [0, "bool"] } },
    28: { name: "SubOptions", fields: { activation: [0, "activation"], potScaleInt16: [1, "bool"] } },
    29: { name: "DivOptions", fields: { activation: [0, "activation"] } },
    12: { name: "L2NormOptions", fields: { activation: [0, "activation"] } },
    30: { name: "SqueezeOptions", fields: { squeezeDims: [0, "ints"] } },
    32: { name: "StridedSliceOptions", fields: { beginMask: [0, "int"], endMask: [1, "int"], ellipsisMask: [2, "int"], newAxisMask: [3, "int"], shrinkAxisMask: [4, "int"], offset: [5, "bool"] } },
    35: { name: "SplitOptions", fields: { numSplits: [0, "int"] } },
    37: { name: "CastOptions", fields: { inDataType: [0, "type"], outDataType: [1, "type"] } },
    38: { name: "DequantizeOptions", fields: {} },
    39: { name: "MaximumMinimumOptions", fields: {} },
    40: { name: "ArgMaxOptions", fields: { outputType: [0, "type"] } },
    43: { name: "PadV2Options", fields: {} },
    48: { name: "SliceOptions", fields: {} },
    49: { name: "TransposeConvOptions", fields: { padding: [0, "padding"], strideW: [1, "int"], strideH: [2, "int"], activation: [3, "activation"], quantizedBiasType: [4, "type"] } },
    52: { name: "ExpandDimsOptions", fields: {} },
    55: { name: "ShapeOptions", fields: { outType: [0, "type"] } },
    57: { name: "ArgMinOptions", fields: { outputType: [0, "type"] } },
    59: { name: "PackOptions", fields: { valuesCount: [0, "int"], axis: [1, "int"] } },
    64: { name: "UnpackOptions", fields: { num: [0, "int"], axis: [1, "int"] } },
    71: { name: "UnidirectionalSequenceLSTMOptions", fields: { activation: [0, "activation"], cellClip: [1, "float"], projClip: [2, "float"], timeMajor: [3, "bool"], asymmetricQuantizeInputs: [4, "bool"], diagonalRecurrentTensors: [5, "bool"] } },
    79: { name: "SplitVOptions", fields: { numSplits: [0, "int"] } },
    81: { name: "ReverseV2Options", fields: {} },
    83: { name: "GatherNdOptions", fields: {} },
    74: { name: "ResizeNearestNeighborOptions", fields: { alignCorners: [0, "bool"], halfPixelCenters: [1, "bool"] } },
    75: { name: "LeakyReluOptions", fields: { alpha: [0, "float"] } },
    77: { name: "MirrorPadOptions", fields: { mode: [0, "byte"] } },
    89: { name: "QuantizeOptions", fields: {} },
    91: { name: "HardSwishOptions", fields: {} },
    94: { name: "DepthToSpaceOptions", fields: { blockSize: [0, "int"] } },
    101: { name: "BatchMatMulOptions", fields: { adjX: [0, "bool"], adjY: [1, "bool"], asymmetricQuantizeInputs: [2, "bool"] } },
    102: { name: "CumsumOptions", fields: { exclusive: [0, "bool"], reverse: [1, "bool"] } },
    104: { name: "BroadcastToOptions", fields: {} },
    92: { name: "IfOptions", fields: { thenSubgraphIndex: [0, "int"], elseSubgraphIndex: [1, "int"] } },
    93: { name: "WhileOptions", fields: { condSubgraphIndex: [0, "int"], bodySubgraphIndex: [1, "int"] } },
    103: { name: "CallOnceOptions", fields: { initSubgraphIndex: [0, "int"] } },
    111: { name: "VarHandleOptions", fields: { container: [0, "string"], sharedName: [1, "string"] } },
    112: { name: "ReadVariableOptions", fields: {} },
    113: { name: "AssignVariableOptions", fields: {} },
    117: { name: "DynamicUpdateSliceOptions", fields: {} },
};

/** The BuiltinOptions member each builtin op uses (ops absent here, like RELU, take none). */
export const OP_OPTIONS: { [op: string]: number } = {
    UNIDIRECTIONAL_SEQUENCE_LSTM: 71,
    CONV_2D: 1, DEPTHWISE_CONV_2D: 2, AVERAGE_POOL_2D: 5, MAX_POOL_2D: 5, L2_POOL_2D: 5, SVDF: 6, L2_NORMALIZATION: 12,
    FULLY_CONNECTED: 8, SOFTMAX: 9, CONCATENATION: 10, ADD: 11, RESIZE_BILINEAR: 15, RESHAPE: 17,
    MUL: 21, PAD: 22, GATHER: 23, TRANSPOSE: 26, MEAN: 27, SUM: 27, REDUCE_MAX: 27, REDUCE_MIN: 27, REDUCE_ALL: 27,
    REDUCE_PROD: 27, SUB: 28, DIV: 29, SQUEEZE: 30, STRIDED_SLICE: 32, SPLIT: 35, CAST: 37,
    DEQUANTIZE: 38, MAXIMUM: 39, MINIMUM: 39, ARG_MAX: 40, PADV2: 43, SLICE: 48, TRANSPOSE_CONV: 49, EXPAND_DIMS: 52,
    ARG_MIN: 57, PACK: 59, UNPACK: 64, RESIZE_NEAREST_NEIGHBOR: 74, LEAKY_RELU: 75, QUANTIZE: 89,
    HARD_SWISH: 91, MIRROR_PAD: 77, SPACE_TO_DEPTH: 19, SHAPE: 55, SPLIT_V: 79, REVERSE_V2: 81, GATHER_ND: 83, DEPTH_TO_SPACE: 94,
    BROADCAST_TO: 104, BATCH_MATMUL: 101, CUMSUM: 102, DYNAMIC_UPDATE_SLICE: 117,
    IF: 92, WHILE: 93, CALL_ONCE: 103, VAR_HANDLE: 111, READ_VARIABLE: 112, ASSIGN_VARIABLE: 113,
};

let opCodes: Map<string, number> | null = null;

/** The builtin operator code of a name ("CONV_2D" -> 3); numbers pass through. */
export function builtinCode(op: string | number): number {
    if (typeof op === "number") return op;
    if (!opCodes) {
        const tflite = loadTflite();
        opCodes = new Map();
        for (let c = 0; c < 256; c++) {
            const name = tflite.opName(c);
            if (!name.startsWith("BUILTIN_")) opCodes.set(name, c);
        }
    }
    const c = opCodes.get(op.toUpperCase());
    if (c === undefined) throw new Error(`model-writer: unknown builtin operator '${op}'`);
    return c;
}

export type OptionValue = number | boolean | string | number[];
export type Options = { [key: string]: OptionValue };

/** One options field written as is: for option tables this writer does not name. */
export interface RawField { field: number; kind: FieldKind; value: OptionValue }

function encodeEnum(v: OptionValue, names: { [n: string]: number }, what: string): number {
    if (typeof v === "number") return v;
    if (typeof v === "string" && names[v.toUpperCase()] !== undefined) return names[v.toUpperCase()];
    throw new Error(`model-writer: bad ${what} '${v}'`);
}

function putField(t: FbTable, field: number, kind: FieldKind, v: OptionValue): void {
    switch (kind) {
        case "bool": t.bool(field, !!v); break;
        case "byte": t.u8(field, Number(v)); break;
        case "int": t.i32(field, Number(v)); break;
        case "float": t.f32(field, Number(v)); break;
        case "ints": t.i32s(field, v as number[]); break;
        case "padding": t.i8(field, encodeEnum(v, PADDINGS, "padding")); break;
        case "activation": t.i8(field, encodeEnum(v, ACTIVATIONS, "activation")); break;
        case "type": t.i8(field, typeof v === "number" ? v : typeCode(String(v))); break;
        case "string": t.string(field, String(v)); break;
    }
}

/** The options table for union member `union` from named values; unknown names are an error. */
export function optionsTable(union: number, values: Options): FbTable {
    const spec = OPTION_TABLES[union];
    if (!spec) throw new Error(`model-writer: no named fields for builtin options type ${union}; give rawOptions`);
    const t = new FbTable();
    for (const key of Object.keys(values)) {
        const f = spec.fields[key];
        if (!f) throw new Error(`model-writer: ${spec.name} has no field '${key}' (it has: ${Object.keys(spec.fields).join(", ") || "none"})`);
        putField(t, f[0], f[1], values[key]);
    }
    return t;
}

/**
 * Reads the options table at `table` (absolute position, as libs/tflite's Operator.options) of
 * union member `union` back into named values, with our FlatBuffer reader: only fields present.
 */
export function readOptions(fb: any, table: number, union: number): Options {
    const spec = OPTION_TABLES[union];
    const res: Options = {};
    if (!spec || !table) return res;
    for (const key of Object.keys(spec.fields)) {
        const [field, kind] = spec.fields[key];
        const at = fb.field(table, field);
        if (!at) continue;
        switch (kind) {
            case "bool": res[key] = fb.u8(at) !== 0; break;
            case "byte": res[key] = fb.u8(at); break;
            case "int": res[key] = fb.i32(at); break;
            case "float": res[key] = fb.f32(at); break;
            case "ints": res[key] = fb.fieldI32Array(table, field); break;
            case "string": res[key] = fb.fieldString(table, field); break;
            default: res[key] = (fb.u8(at) << 24) >> 24; break;
        }
    }
    return res;
}

// ---------------------------------------------------------------------------------------------
// Models

/** A tensor: its shape and type, quantization, and for constants the data. */
export interface TensorSpec {
    shape: number[];
    type: TypeName | number;
    name?: string;
    /** Constant contents: raw little-endian bytes, or one number per element (stored as the type). */
    data?: Buffer | ArrayLike<number>;
    /** One scale (per tensor) or one per slice along `quantizedDimension` (per channel). */
    scale?: number | number[];
    /** One zero point, or one per scale; a single one is repeated to match the scales. */
    zeroPoint?: number | number[];
    quantizedDimension?: number;
    min?: number[];
    max?: number[];
    isVariable?: boolean;
}

export interface OperatorSpec {
    /** A builtin name ("CONV_2D"), a builtin code, or "CUSTOM" (with `customCode`). */
    op: string | number;
    customCode?: string;
    /** The operator version (default 1). */
    version?: number;
    /** Tensor indices; -1 marks an omitted optional input. */
    inputs: number[];
    outputs: number[];
    /** Named builtin options (see OPTION_TABLES); the union type comes from the op. */
    options?: Options;
    /** Overrides the union type (0 writes no options), e.g. for ops OPTION_TABLES lacks. */
    optionsType?: number;
    /** Fields written as given, after `options`. */
    rawOptions?: RawField[];
    customOptions?: Buffer;
    intermediates?: number[];
}

export interface SubgraphSpec {
    tensors: TensorSpec[];
    operators: OperatorSpec[];
    inputs: number[];
    outputs: number[];
    name?: string;
}

export interface ModelSpec {
    subgraphs: SubgraphSpec[];
    description?: string;
    /** Arbitrary named bytes, each kept in its own buffer. */
    metadata?: { name: string; data: Buffer }[];
    /** Schema version (3). Other values only make sense for testing readers. */
    version?: number;
}

const BYTES_PER_ELEMENT: { [code: number]: number } = { 0: 4, 1: 2, 2: 4, 3: 1, 4: 8, 6: 1, 7: 2, 9: 1, 10: 8, 12: 8, 15: 4, 16: 2 };

/** Encodes one number per element as the little-endian bytes of tensor type `type`. */
export function encodeValues(type: TypeName | number, values: ArrayLike<number>): Buffer {
    const code = typeCode(type);
    const size = BYTES_PER_ELEMENT[code];
    if (!size) throw new Error(`model-writer: cannot encode values of type ${type}`);
    const b = Buffer.alloc(size * values.length);
    for (let i = 0; i < values.length; i++) {
        const v = values[i];
        switch (code) {
            case 0: b.writeFloatLE(v, 4 * i); break;
            case 10: b.writeDoubleLE(v, 8 * i); break;
            case 1: throw new Error("model-writer: give float16 data as raw bytes");
            case 2: b.writeInt32LE(v, 4 * i); break;
            case 15: b.writeUInt32LE(v, 4 * i); break;
            case 3: case 6: b.writeUInt8(v, i); break;
            case 9: b.writeInt8(v, i); break;
            case 7: b.writeInt16LE(v, 2 * i); break;
            case 16: b.writeUInt16LE(v, 2 * i); break;
            case 4: b.writeBigInt64LE(BigInt(v), 8 * i); break;
            case 12: b.writeBigUInt64LE(BigInt(v), 8 * i); break;
        }
    }
    return b;
}

/** Quantizes reals as TFLite does: round half away from zero, add the zero point, clamp to the type. */
export function quantize(values: ArrayLike<number>, scale: number, zeroPoint: number, type: TypeName | number = "int8"): number[] {
    const code = typeCode(type);
    const [lo, hi] = code === 9 ? [-128, 127] : code === 3 ? [0, 255] : code === 7 ? [-32768, 32767] : [-2147483648, 2147483647];
    const res: number[] = [];
    for (let i = 0; i < values.length; i++) {
        const r = values[i] / scale;
        const q = Math.sign(r) * Math.round(Math.abs(r)) + zeroPoint;
        res.push(Math.min(hi, Math.max(lo, q)));
    }
    return res;
}

function tensorTable(t: TensorSpec, buffer: number): FbTable {
    const table = new FbTable().i32s(0, t.shape).i8(1, typeCode(t.type)).u32(2, buffer);
    if (t.name !== undefined) table.string(3, t.name);
    if (t.scale !== undefined || t.min || t.max) {
        const q = new FbTable();
        if (t.min) q.ref(0, fbF32s(t.min));
        if (t.max) q.ref(1, fbF32s(t.max));
        if (t.scale !== undefined) {
            const scales = typeof t.scale === "number" ? [t.scale] : t.scale;
            let zps = t.zeroPoint === undefined ? [0] : typeof t.zeroPoint === "number" ? [t.zeroPoint] : t.zeroPoint;
            if (zps.length === 1 && scales.length > 1) zps = scales.map(() => zps[0]);
            q.ref(2, fbF32s(scales)).ref(3, fbI64s(zps));
        }
        if (t.quantizedDimension !== undefined) q.i32(6, t.quantizedDimension);
        table.ref(4, q);
    }
    if (t.isVariable) table.bool(5, true);
    return table;
}

function tensorBytes(t: TensorSpec): Buffer | null {
    if (t.data === undefined) return null;
    return Buffer.isBuffer(t.data) ? t.data : encodeValues(t.type, t.data);
}

/** Writes a whole model. Buffer 0 is the empty sentinel; each constant tensor gets its own buffer. */
export function writeModel(spec: ModelSpec): Buffer {
    const buffers: FbTable[] = [new FbTable()];
    const addBuffer = (data: Buffer) => {
        buffers.push(new FbTable().ref(0, fbBytes(data, 16)));
        return buffers.length - 1;
    };
    const codeKeys: string[] = [];
    const codes: FbTable[] = [];
    const codeIndex = (o: OperatorSpec) => {
        const code = builtinCode(o.op);
        const version = o.version ?? 1;
        const key = `${code}/${version}/${o.customCode ?? ""}`;
        let i = codeKeys.indexOf(key);
        if (i < 0) {
            const t = new FbTable().i8(0, Math.min(code, 127)).i32(2, version).i32(3, code);
            if (o.customCode !== undefined) t.string(1, o.customCode);
            codeKeys.push(key);
            codes.push(t);
            i = codes.length - 1;
        }
        return i;
    };
    const subgraphs = spec.subgraphs.map((sg) => {
        const tensors = sg.tensors.map((t) => {
            const data = tensorBytes(t);
            return tensorTable(t, data ? addBuffer(data) : 0);
        });
        const ops = sg.operators.map((o) => {
            const t = new FbTable().u32(0, codeIndex(o)).i32s(1, o.inputs).i32s(2, o.outputs);
            const name = typeof o.op === "string" ? o.op.toUpperCase() : null;
            const union = o.optionsType ?? (name && OP_OPTIONS[name]) ?? 0;
            if (!union && o.options && Object.keys(o.options).length)
                throw new Error(`model-writer: ${o.op} takes no builtin options`);
            if (union) {
                const named = o.options && Object.keys(o.options).length > 0;
                const table = OPTION_TABLES[union] || named ? optionsTable(union, o.options ?? {}) : new FbTable();
                for (const r of o.rawOptions ?? []) putField(table, r.field, r.kind, r.value);
                t.u8(3, union).ref(4, table);
            }
            if (o.customOptions) t.ref(5, fbBytes(o.customOptions)).u8(6, 0);
            if (o.intermediates) t.i32s(8, o.intermediates);
            return t;
        });
        const table = new FbTable().ref(0, new FbRefs(tensors)).i32s(1, sg.inputs).i32s(2, sg.outputs).ref(3, new FbRefs(ops));
        if (sg.name !== undefined) table.string(4, sg.name);
        return table;
    });
    const metadata = (spec.metadata ?? []).map((m) => new FbTable().string(0, m.name).u32(1, addBuffer(m.data)));
    const root = new FbTable().u32(0, spec.version ?? 3).ref(1, new FbRefs(codes)).ref(2, new FbRefs(subgraphs));
    if (spec.description !== undefined) root.string(3, spec.description);
    root.ref(4, new FbRefs(buffers));
    if (metadata.length) root.ref(6, new FbRefs(metadata));
    return serializeFlatBuffer(root, "TFL3");
}

/**
 * Builds one subgraph step by step, returning tensor indices; `toBuffer` writes the model.
 * The general API: a converter adds tensors and ops in execution order.
 */
export class GraphBuilder {
    tensors: TensorSpec[] = [];
    operators: OperatorSpec[] = [];
    inputs: number[] = [];
    outputs: number[] = [];
    metadata: { name: string; data: Buffer }[] = [];

    /** A tensor computed by an op (or any tensor: its spec is stored as given). */
    tensor(t: TensorSpec): number {
        this.tensors.push(t);
        return this.tensors.length - 1;
    }
    /** A model input. */
    input(t: TensorSpec): number {
        const i = this.tensor(t);
        this.inputs.push(i);
        return i;
    }
    /** A constant: `t.data` must be given. */
    constant(t: TensorSpec): number {
        if (t.data === undefined) throw new Error("model-writer: a constant needs data");
        return this.tensor(t);
    }
    /** Marks tensor `i` as a model output. */
    output(i: number): number {
        this.outputs.push(i);
        return i;
    }
    op(op: string | number, inputs: number[], outputs: number[], options?: Options, extra?: Partial<OperatorSpec>): number {
        this.operators.push({ op, inputs, outputs, options, ...extra });
        return this.operators.length - 1;
    }
    addMetadata(name: string, data: Buffer): void {
        this.metadata.push({ name, data });
    }
    /** This graph as one subgraph of a model. */
    subgraph(): SubgraphSpec {
        return { tensors: this.tensors, operators: this.operators, inputs: this.inputs, outputs: this.outputs };
    }
    spec(description?: string): ModelSpec {
        return { subgraphs: [this.subgraph()], description, metadata: this.metadata };
    }
    toBuffer(opts: { description?: string } = {}): Buffer {
        return writeModel(this.spec(opts.description));
    }
}

/**
 * A model of several subgraphs (IF's branches, WHILE's condition and body, CALL_ONCE's init):
 * graphs[0] is subgraph 0, what an invoke runs; control ops name the others by their place here.
 */
export function subgraphsModel(graphs: GraphBuilder[], description?: string): Buffer {
    return writeModel({ subgraphs: graphs.map((g) => g.subgraph()), description, metadata: graphs[0].metadata });
}

export interface SingleOpSpec {
    op: string | number;
    version?: number;
    /**
     * Tensors with `data` become constants, variables (`isVariable`) op-owned state, the others
     * model inputs (in order); null is an omitted input.
     */
    inputs: (TensorSpec | null)[];
    outputs: TensorSpec[];
    options?: Options;
    optionsType?: number;
    rawOptions?: RawField[];
    customCode?: string;
    customOptions?: Buffer;
    description?: string;
}

/** A model of one operator: see the example at the top of this file. */
export function singleOpModel(s: SingleOpSpec): Buffer {
    const g = new GraphBuilder();
    const ins = s.inputs.map((t, i) =>
        t === null ? -1 : t.data !== undefined ? g.constant({ name: `const${i}`, ...t }) :
            t.isVariable ? g.tensor({ name: `state${i}`, ...t }) : g.input({ name: `input${i}`, ...t }));
    const outs = s.outputs.map((t, i) => g.output(g.tensor({ name: `output${i}`, ...t })));
    g.op(s.op, ins, outs, s.options, {
        version: s.version, optionsType: s.optionsType, rawOptions: s.rawOptions,
        customCode: s.customCode, customOptions: s.customOptions,
    });
    return g.toBuffer({ description: s.description });
}

/**
 * The spec of a model parsed by libs/tflite (`tflite.parseModel(buf)`): its subgraph 0, with
 * constants copied out, options decoded by name (OPTION_TABLES) and kept raw otherwise.
 * `writeModel(specFromParsed(m))` rewrites the model.
 */
export function specFromParsed(m: any): ModelSpec {
    const buf: Buffer = m.fb.buf;
    const tensors: TensorSpec[] = m.tensors.map((t: any) => {
        const s: TensorSpec = { shape: t.shape.slice(), type: t.type, name: t.name };
        if (t.isConst) s.data = Buffer.from(buf.subarray(t.offset, t.offset + t.bytes));
        if (t.scales.length) {
            s.scale = t.scales.slice();
            s.zeroPoint = t.zeroPoints.length ? t.zeroPoints.slice() : 0;
            s.quantizedDimension = t.quantizedDimension;
        }
        if (t.isVariable) s.isVariable = true;
        return s;
    });
    const index = (t: any) => (t ? t.index : -1);
    const operators: OperatorSpec[] = m.operators.map((op: any) => {
        const o: OperatorSpec = {
            op: op.opcode, version: op.version, inputs: op.inputs.map(index), outputs: op.outputs.map(index),
            optionsType: op.optionsType,
        };
        if (op.customName) o.customCode = op.customName;
        if (op.optionsType) {
            if (!OPTION_TABLES[op.optionsType] && op.options)
                throw new Error(`model-writer: cannot rewrite options of type ${op.optionsType}`);
            o.rawOptions = [];
            const named = readOptions(m.fb, op.options, op.optionsType);
            const fields = OPTION_TABLES[op.optionsType]?.fields ?? {};
            for (const key of Object.keys(named)) o.rawOptions.push({ field: fields[key][0], kind: fields[key][1], value: named[key] });
        }
        if (op.customOptionsLength) o.customOptions = Buffer.from(buf.subarray(op.customOptions, op.customOptions + op.customOptionsLength));
        return o;
    });
    const metadata = m.metadataNames.map((name: string, i: number) => ({
        name, data: Buffer.from(buf.subarray(m.metadataOffsets[i], m.metadataOffsets[i] + m.metadataLengths[i])),
    }));
    return {
        subgraphs: [{ tensors, operators, inputs: m.inputs.map(index), outputs: m.outputs.map(index) }],
        description: m.description || undefined, metadata,
    };
}
