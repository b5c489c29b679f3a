// Mutation fuzzing of the model reader, loader and kernels: corrupt copies of real models and of
// generated single-op models must end in a clear "tflite: ..." error or load and run; never a
// JavaScript TypeError, RangeError or a hang.
import * as fs from "fs";
import * as path from "path";
import { LoaderResult, stsErrorDump, stsInterpreterDump } from "./loader-dump";
import { loadTflite } from "./sts-runtime";
import { SHARED } from "./conformance";
import { MATH_TYPES, mathCase, MathOp } from "./math-cases";
import { transposeConvCase } from "./transpose-conv-cases";
import { COMPARE_KINDS, compareCase } from "./compare-cases";
import { MOVE_DRAFTS, moveCase } from "./move-cases";
import { MISC_DRAFTS, miscCase } from "./misc-cases";
import { RESIZE_DRAFTS } from "./resize-cases";
import { NORM_DRAFTS } from "./norm-cases";
import { SIGNAL_OPS } from "../tools/tflm-goldens-signal";
import { draftCase } from "./draft-case";
import { SIGNAL_DRAFTS } from "./signal-cases";
import { MATMUL_DRAFTS } from "./matmul-cases";
import { LSTM_DRAFTS } from "./lstm-cases";
import { CIRCULAR_DRAFTS } from "./circular-cases";
import { CONTROL_DRAFTS, controlCase } from "./control-cases";
import { DETECTION_DRAFTS } from "./detection-cases";
import { DECODE_DRAFTS } from "./decode-cases";
import { encodeValues, singleOpModel, specFromParsed, writeModel, Options, OP_OPTIONS, SingleOpSpec, TensorSpec, TypeName } from "./model-writer";

/** A small fast deterministic PRNG (mulberry32), so every fuzz run can be replayed from its seed. */
export function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const INTERESTING = [0, 1, 2, 3, 4, 7, 8, 16, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

/** Returns a mutated copy of `model`: flipped bytes, interesting words, truncation or a spliced chunk. */
export function mutate(model: Buffer, rand: () => number): Buffer {
    const pick = (n: number) => Math.floor(rand() * n);
    const out = Buffer.from(model);
    switch (pick(5)) {
        case 0: { // flip a few random bits
            const n = 1 + pick(8);
            for (let i = 0; i < n; i++) out[pick(out.length)] ^= 1 << pick(8);
            return out;
        }
        case 1: { // overwrite an aligned word with a boundary value
            const at = pick(out.length >> 2) << 2;
            if (at + 4 <= out.length) out.writeUInt32LE(INTERESTING[pick(INTERESTING.length)] >>> 0, at);
            return out;
        }
        case 2: // truncate
            return out.subarray(0, pick(out.length));
        case 3: { // copy a chunk of the file over another place
            const len = 1 + pick(64);
            const from = pick(Math.max(1, out.length - len));
            const to = pick(Math.max(1, out.length - len));
            model.copy(out, to, from, from + len);
            return out;
        }
        default: { // small integer near a table's fields: the likely place of offsets, counts and dims
            const at = pick(out.length - 1);
            out[at] = (out[at] + (rand() < 0.5 ? 1 : -1)) & 0xff;
            return out;
        }
    }
}

export interface FuzzResult {
    mutants: number;
    loaded: number;
    invoked: number;
    rejected: number;
    /** Messages of rejections, counted, to show the errors are specific. */
    messages: Map<string, number>;
}

export class FuzzFailure extends Error {}

/** One mutant as the STS interpreter saw it, for a second implementation to be checked against. */
export interface StsMutant {
    /** The fuzzModels seed and the mutant's index in that run: fuzzModels({ seed, mutants: index + 1 }) makes it again. */
    seed: number;
    index: number;
    /** The mutant's source, seed, index and change, for failure messages. */
    replay: string;
    model: Buffer;
    /** What the STS loader made of it (node/loader-dump.ts), taken right after loading. */
    sts: LoaderResult;
    /** When the STS invoked it: each input's bytes as set, and each output's bytes after one invoke. */
    inputs?: Buffer[];
    outputs?: Buffer[];
}

/**
 * A second implementation run on every mutant (node/c-fuzz.ts: the C loader and kernels): `add`
 * may keep mutants to check them in batches; `flush` checks what it kept. Both throw a
 * FuzzFailure naming the mutant that failed.
 */
export interface MutantCheck {
    add(mutant: StsMutant): void;
    flush(): void;
}

/**
 * Valid models that a byte flip rarely reaches: one per kind of op and type the generators below
 * make (from fixed seeds), so mutants exercise every kernel's checks, not only the TFLM models' ops.
 */
export function generatedModels(seed: number, perKind = 1): { name: string; model: Buffer }[] {
    const res: { name: string; model: Buffer }[] = [];
    for (const [name, make] of Object.entries(CASE_KINDS)) {
        for (let i = 0; i < perKind; i++) res.push({ name: `${name} (generated, seed ${seed + i})`, model: make(new Rand(seed + i)).model });
    }
    return res;
}

const EXTREME_INTS = [0, 1, -1, 2, 3, 7, 127, 128, 255, 256, 65535, 1 << 20, 0x7fffffff, -0x80000000];
const EXTREME_FLOATS = [0, -0, -1, 1e-30, 1e30, NaN, Infinity, -Infinity, 1 / 256, 3.4e38];

/**
 * A semantic mutant: the model read with our reader, one field of its description changed (a
 * dimension, a type, quantization, an operator's tensors, op code or options, a constant's size),
 * then written again. The FlatBuffer stays well formed, so the mutant reaches the kernels'
 * prepare checks. Returns null when the writer cannot encode the change.
 */
export function mutateSpec(model: Buffer, rand: () => number): { model: Buffer; change: string } | null {
    const tflite = loadTflite();
    const pick = (n: number) => Math.floor(rand() * n);
    const choose = <T>(items: readonly T[]) => items[pick(items.length)];
    const spec = specFromParsed(tflite.parseModel(model));
    const sg = spec.subgraphs[0];
    if (!sg.operators.length || !sg.tensors.length) return null;
    const t = sg.tensors[pick(sg.tensors.length)];
    const op = sg.operators[pick(sg.operators.length)];
    let change = "";
    switch (pick(9)) {
        case 0: { // a dimension
            const d = pick(t.shape.length + 1);
            if (d === t.shape.length || rand() < 0.2) { t.shape.push(choose([1, 2, 3])); change = "added a dimension"; }
            else if (rand() < 0.2) { t.shape.splice(d, 1); change = "dropped a dimension"; }
            else { t.shape[d] = choose([0, 1, 2, t.shape[d] + 1, t.shape[d] * 2, 1 << 16, 0x7fffffff]); change = `dimension ${d} = ${t.shape[d]}`; }
            break;
        }
        case 1: // a type
            t.type = choose([0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 13, 17, 18, 99, -1]);
            change = `type ${t.type}`;
            break;
        case 2: { // quantization
            const scales = Array.isArray(t.scale) ? t.scale : [t.scale ?? 0.1];
            const r = pick(4);
            if (r === 0) t.scale = choose(EXTREME_FLOATS);
            else if (r === 1) t.zeroPoint = choose([-129, 128, 256, -32769, 40000, 1 << 30]);
            else if (r === 2) { t.scale = scales.concat([0.5]); t.zeroPoint = 0; t.quantizedDimension = pick(5); }
            else t.quantizedDimension = choose([-1, 1, 3, 7]);
            change = `quantization ${JSON.stringify({ scale: t.scale, zeroPoint: t.zeroPoint, quantizedDimension: t.quantizedDimension })}`;
            break;
        }
        case 3: { // an operator's tensors
            const list = rand() < 0.7 ? op.inputs : op.outputs;
            const r = pick(4);
            if (r === 0 && list.length) list.pop();
            else if (r === 1) list.push(pick(sg.tensors.length));
            else if (list.length) list[pick(list.length)] = choose([-1, pick(sg.tensors.length), sg.tensors.length]);
            change = `op tensors ${JSON.stringify([op.inputs, op.outputs])}`;
            break;
        }
        case 4: // another op on the same tensors
            op.op = choose(Object.keys(OP_OPTIONS).concat(["RELU", "RELU6", "LOGISTIC", "TANH", "RELU_N1_TO_1", "CUSTOM"]));
            if (op.op === "CUSTOM") op.customCode = choose(["SignalWindow", "SignalRfft", "NotAnOp"]);
            change = `op ${op.op}`;
            break;
        case 5: { // an option value
            const raw = op.rawOptions ?? [];
            if (raw.length && rand() < 0.8) {
                const f = raw[pick(raw.length)];
                f.value = f.kind === "float" ? choose(EXTREME_FLOATS) : f.kind === "ints" ? (f.value as number[]).map(() => choose(EXTREME_INTS)) :
                    f.kind === "int" ? choose(EXTREME_INTS) : choose([0, 1, 2, 3, 4, 5, 6, 7, 127]);
                change = `option field ${f.field} = ${JSON.stringify(f.value)}`;
            } else {
                op.optionsType = choose([0, 1, 2, 5, 6, 8, 9, 11, 17, 27, 32, 75]);
                op.rawOptions = [];
                change = `options type ${op.optionsType}`;
            }
            break;
        }
        case 6: { // a constant's size
            if (!Buffer.isBuffer(t.data)) return null;
            t.data = t.data.subarray(0, pick(t.data.length + 1));
            change = `constant of ${t.data.length} bytes`;
            break;
        }
        case 7: // state
            t.isVariable = !t.isVariable;
            change = `isVariable ${t.isVariable}`;
            break;
        default: { // model inputs and outputs
            const list = rand() < 0.5 ? sg.inputs : sg.outputs;
            if (list.length && rand() < 0.5) list.pop();
            else list.push(choose([-1, pick(sg.tensors.length), sg.tensors.length + 3]));
            change = `model io ${JSON.stringify([sg.inputs, sg.outputs])}`;
        }
    }
    try {
        return { model: writeModel(spec), change };
    } catch (e) {
        return null; // a value the format cannot hold (e.g. a type outside a byte)
    }
}

/**
 * Loads each mutant; when it loads and its arena is small, fills inputs with random bytes and
 * invokes it. Throws a FuzzFailure (with the seed and mutant index to replay it) on any error
 * that is not the interpreter's own, or when one mutant takes more than `maxMsPerMutant` of this
 * process's CPU time (not wall time: a loaded machine must not make a slow mutant look like a hang).
 * Sources are the TFLM models (`models`, file names) and `generated` single-op models per kind
 * (default 1; 0 for none); a share `semantic` of the mutants (default 0.3) changes a field of
 * the model's description (mutateSpec), the others its bytes (mutate). With `check`, every
 * mutant, its inputs and the STS outputs also go to that check (flushed before returning).
 */
export function fuzzModels(opts: {
    seed: number; mutants: number; models?: string[]; generated?: number; semantic?: number;
    maxMsPerMutant?: number; invokeArenaLimit?: number; check?: MutantCheck;
}): FuzzResult {
    const tflite = loadTflite();
    const dir = path.join(SHARED, "models", "tflm");
    const files = opts.models ?? fs.readdirSync(dir).filter((f) => f.endsWith(".tflite")).sort();
    const sources: { name: string; model: Buffer }[] = files.map((f) => ({ name: f, model: fs.readFileSync(path.join(dir, f)) as Buffer }))
        .concat(generatedModels(opts.seed, opts.generated ?? 1));
    const rand = prng(opts.seed);
    const res: FuzzResult = { mutants: 0, loaded: 0, invoked: 0, rejected: 0, messages: new Map() };
    const maxMs = opts.maxMsPerMutant ?? 5000;
    const invokeLimit = opts.invokeArenaLimit ?? 64 * 1024;
    const semantic = opts.semantic ?? 0.3;
    for (let k = 0; k < opts.mutants; k++) {
        const source = sources[k % sources.length];
        const start = process.cpuUsage();
        let mutant: Buffer | null = null;
        let what = "bytes";
        if (rand() < semantic) {
            const m = mutateSpec(source.model, rand);
            if (m) { mutant = m.model; what = m.change; }
        }
        if (!mutant) mutant = mutate(source.model, rand);
        const replay = `mutant ${k} of ${source.name} (seed ${opts.seed}, ${what})`;
        res.mutants++;
        const checked: StsMutant | null = opts.check ? { seed: opts.seed, index: k, replay, model: mutant, sts: { ok: false, text: "" } } : null;
        try {
            const ip = new tflite.StsInterpreter(mutant);
            res.loaded++;
            if (checked) checked.sts = stsInterpreterDump(ip);
            // What loads must be planned: every tensor not read from the model lies in the arena.
            for (const t of ip.model.tensors) {
                if (t.isConst || t.data !== ip.arena) continue;
                if (!(t.bytes >= 0 && t.offset >= 0 && t.offset + t.bytes <= ip.arenaBytes))
                    throw new FuzzFailure(`${replay} loaded with ${t.describe()} (${t.bytes} bytes at ${t.offset}) outside its ${ip.arenaBytes}-byte arena`);
            }
            if (ip.arenaBytes <= invokeLimit) {
                const inputs: Buffer[] = [];
                for (let i = 0; i < ip.inputCount(); i++) {
                    const t = ip.input(i);
                    const bytes = Buffer.alloc(t.bytes);
                    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rand() * 256);
                    // Random bytes as float32 can be NaN or Inf: that is valid input, it must not crash.
                    ip.setInputBytes(i, bytes);
                    inputs.push(bytes);
                }
                ip.invoke();
                res.invoked++;
                if (checked) {
                    checked.inputs = inputs;
                    checked.outputs = [];
                    for (let i = 0; i < ip.outputCount(); i++) checked.outputs.push(ip.outputBytes(i));
                }
            }
        } catch (e: any) {
            if (e instanceof FuzzFailure) throw e;
            if (typeof e !== "string" || !e.startsWith("tflite: "))
                throw new FuzzFailure(`${replay} raised a non-interpreter error: ${e && e.stack || e}`);
            res.rejected++;
            // An error at invoke leaves the load's verdict in place; the check then only loads it.
            if (checked && !checked.sts.text) checked.sts = stsErrorDump(e);
            const key = e.replace(/[0-9]+/g, "N");
            res.messages.set(key, (res.messages.get(key) ?? 0) + 1);
        }
        const used = process.cpuUsage(start);
        const ms = Math.round((used.user + used.system) / 1000);
        if (ms > maxMs) throw new FuzzFailure(`${replay} took ${ms} ms of CPU time`);
        if (checked && opts.check) opts.check.add(checked);
    }
    opts.check?.flush();
    return res;
}

// ---------------------------------------------------------------------------------------------
// Random single-op models, written with the model writer: the differential tests run them in our
// interpreter and in tfjs-tflite, and the fuzzer mutates them (ops the TFLM models lack).

/** Draws from a seeded PRNG: integers, choices, quantization parameters, tensor bytes. */
export class Rand {
    next: () => number;
    constructor(seed: number) {
        this.next = prng(seed);
    }
    /** An integer in [lo, hi]. */
    int(lo: number, hi: number): number {
        return lo + Math.floor(this.next() * (hi - lo + 1));
    }
    pick<T>(items: readonly T[]): T {
        return items[Math.floor(this.next() * items.length)];
    }
    chance(p: number): boolean {
        return this.next() < p;
    }
    /** A positive scale spread over several octaves, as float32. */
    scale(lo = -10, hi = 0): number {
        return Math.fround(Math.pow(2, lo + this.next() * (hi - lo)));
    }
    /** A zero point of a quantized type, often at an end of its range. */
    zeroPoint(type: TypeName): number {
        const [lo, hi] = type === "int8" ? [-128, 127] : type === "uint8" ? [0, 255] : [0, 0];
        return this.pick([lo, hi, 0, this.int(lo, hi), this.int(lo, hi)].filter((z) => z >= lo && z <= hi));
    }
    /** `n` random values of an integer type (full range), or floats in [-range, range]. */
    values(type: TypeName, n: number, range = 4): number[] {
        const res: number[] = [];
        for (let i = 0; i < n; i++) {
            switch (type) {
                case "int8": res.push(this.int(-128, 127)); break;
                case "uint8": res.push(this.int(0, 255)); break;
                case "int16": res.push(this.int(-32768, 32767)); break;
                case "int32": res.push(this.int(-(2 ** 31), 2 ** 31 - 1)); break;
                case "int64": res.push(this.int(-(2 ** 40), 2 ** 40)); break;
                case "bool": res.push(this.int(0, 1)); break;
                default: res.push(Math.fround((this.next() * 2 - 1) * range)); break;
            }
        }
        return res;
    }
    bytes(type: TypeName, shape: number[], range = 4): Buffer {
        return encodeValues(type, this.values(type, shape.reduce((a, b) => a * b, 1), range));
    }
    /** A shape of rank minRank..maxRank, dimensions 1..maxDim, at most maxElements elements (drawn again until it fits). */
    shape(minRank: number, maxRank: number, maxElements: number, maxDim: number): number[] {
        for (;;) {
            const rank = this.int(minRank, maxRank);
            const shape: number[] = [];
            for (let i = 0; i < rank; i++) shape.push(this.int(1, maxDim));
            if (shape.reduce((a, b) => a * b, 1) <= maxElements) return shape;
        }
    }
    /** `n` distinct dimensions of a rank-`rank` tensor, in random order. */
    dims(rank: number, n: number): number[] {
        const dims: number[] = [];
        for (let i = 0; i < rank; i++) dims.push(i);
        for (let i = dims.length - 1; i > 0; i--) {
            const j = this.int(0, i);
            [dims[i], dims[j]] = [dims[j], dims[i]];
        }
        return dims.slice(0, n);
    }
}

/** One generated case: a model, input bytes, and what the reader of a failure needs. */
export interface OpCase {
    model: Buffer;
    inputs: Buffer[];
    outputType: TypeName;
    /** The model's op and tensors, to print a failing case. */
    summary: string;
    /** For stateful ops: the inputs of each of several invokes (the first is `inputs`). */
    steps?: Buffer[][];
}

const ACTIVATION_NAMES = ["NONE", "RELU", "RELU6", "RELU_N1_TO_1"];

function quantized(type: TypeName, shape: number[], scale: number | number[], zeroPoint: number, extra: Partial<TensorSpec> = {}): TensorSpec {
    return { shape, type, scale, zeroPoint, ...extra };
}

function describeSpec(s: SingleOpSpec): string {
    const t = (x: TensorSpec | null) => (x === null ? "-" : `${x.type}[${x.shape}]` +
        (x.scale !== undefined ? ` s=${Array.isArray(x.scale) ? "[" + x.scale.map((v) => v.toPrecision(4)) + "]" : x.scale.toPrecision(6)} z=${x.zeroPoint}` : "") +
        (x.data !== undefined ? " const" : ""));
    return `${s.op} ${JSON.stringify(s.options ?? {})} in: ${s.inputs.map(t).join("; ")} out: ${s.outputs.map(t).join("; ")}`;
}

function makeCase(rand: Rand, spec: SingleOpSpec, range = 4): OpCase {
    const inputs: Buffer[] = [];
    for (const t of spec.inputs) if (t && t.data === undefined && !t.isVariable) inputs.push(rand.bytes(t.type as TypeName, t.shape, range));
    return { model: singleOpModel(spec), inputs, outputType: spec.outputs[0].type as TypeName, summary: describeSpec(spec) };
}

/** TFLite's output size of a window op (GetWindowedOutputSize). */
function windowOut(padding: string, size: number, filter: number, stride: number, dilation: number): number {
    const effective = (filter - 1) * dilation + 1;
    return padding === "SAME" ? Math.ceil(size / stride) : Math.floor((size - effective) / stride) + 1;
}

/** Bias values (and their int type) for a quantized matmul-like op with accumulators of `depth` products. */
function biasFor(rand: Rand, type: TypeName, n: number): number[] {
    const range = type === "int16" ? 2 ** 20 : 2 ** 14;
    const res: number[] = [];
    for (let i = 0; i < n; i++) res.push(rand.int(-range, range));
    return res;
}

/** Types of the three tensors of a quantized matmul-like op, by input type. */
const MATMUL_TYPES: { [input: string]: { filter: TypeName; bias: TypeName } } = {
    int8: { filter: "int8", bias: "int32" }, int16: { filter: "int8", bias: "int64" }, float32: { filter: "float32", bias: "float32" },
};

export function fullyConnectedCase(rand: Rand, type: TypeName): OpCase {
    const batches = rand.int(1, 3), depth = rand.int(1, 24), units = rand.int(1, 12);
    const { filter: ft, bias: bt } = MATMUL_TYPES[type];
    const options = { activation: rand.pick(ACTIVATION_NAMES) };
    const withBias = rand.chance(0.7);
    if (type === "float32") {
        return makeCase(rand, {
            op: "FULLY_CONNECTED", options,
            inputs: [{ shape: [batches, depth], type }, { shape: [units, depth], type: ft, data: rand.values("float32", units * depth, 1) },
                withBias ? { shape: [units], type: bt, data: rand.values("float32", units, 1) } : null],
            outputs: [{ shape: [batches, units], type }],
        });
    }
    const sIn = rand.scale(-8, -2), sW = rand.scale(-9, -5);
    const zIn = type === "int8" ? rand.zeroPoint("int8") : 0;
    const sOut = Math.fround(sIn * sW * Math.sqrt(depth) * (type === "int8" ? 127 : 127 * 64) * (0.05 + rand.next() * 2));
    const zOut = type === "int8" ? rand.zeroPoint("int8") : 0;
    return makeCase(rand, {
        op: "FULLY_CONNECTED", options,
        inputs: [quantized(type, [batches, depth], sIn, zIn),
            quantized(ft, [units, depth], sW, 0, { data: rand.values("int8", units * depth).map((v) => Math.max(v, -127)) }),
            withBias ? quantized(bt, [units], Math.fround(sIn * sW), 0, { data: biasFor(rand, type, units) }) : null],
        outputs: [quantized(type, [batches, units], sOut, zOut)],
    });
}

/** CONV_2D (depthwise false) or DEPTHWISE_CONV_2D with per-channel int8 filters. */
export function convCase(rand: Rand, type: TypeName, depthwise: boolean): OpCase {
    const batches = rand.int(1, 2), h = rand.int(1, 9), w = rand.int(1, 9), cin = rand.int(1, 5);
    const multiplier = depthwise ? rand.int(1, 3) : 1;
    const cout = depthwise ? cin * multiplier : rand.int(1, 6);
    const kh = rand.int(1, Math.min(3, h)), kw = rand.int(1, Math.min(3, w));
    const padding = rand.pick(["SAME", "VALID"]);
    // A size-1 filter dimension with SAME padding keeps stride 1 there: tfjs-tflite (XNNPACK)
    // computes outputs that ignore the input in that case (see differential.test.ts).
    const strideH = kh === 1 && padding === "SAME" ? 1 : rand.int(1, 2);
    const strideW = kw === 1 && padding === "SAME" ? 1 : rand.int(1, 2);
    let dilationH = rand.pick([1, 1, 2]), dilationW = rand.pick([1, 1, 2]);
    if ((kh - 1) * dilationH + 1 > h) dilationH = 1;
    if ((kw - 1) * dilationW + 1 > w) dilationW = 1;
    const oh = windowOut(padding, h, kh, strideH, dilationH), ow = windowOut(padding, w, kw, strideW, dilationW);
    const options: any = { padding, strideW, strideH, dilationW, dilationH, activation: rand.pick(ACTIVATION_NAMES) };
    if (depthwise) options.depthMultiplier = multiplier;
    const filterShape = depthwise ? [1, kh, kw, cout] : [cout, kh, kw, cin];
    const filterCount = kh * kw * cout * (depthwise ? 1 : cin);
    const { filter: ft, bias: bt } = MATMUL_TYPES[type];
    // Always a bias: the TFLite in tfjs-tflite refuses a CONV_2D without one.
    const withBias = true;
    const op = depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D";
    if (type === "float32") {
        return makeCase(rand, {
            op, options,
            inputs: [{ shape: [batches, h, w, cin], type }, { shape: filterShape, type: ft, data: rand.values("float32", filterCount, 1) },
                withBias ? { shape: [cout], type: bt, data: rand.values("float32", cout, 1) } : null],
            outputs: [{ shape: [batches, oh, ow, cout], type }],
        });
    }
    const sIn = rand.scale(-8, -2);
    const sW: number[] = [];
    for (let c = 0; c < cout; c++) sW.push(rand.scale(-9, -5));
    const zIn = type === "int8" ? rand.zeroPoint("int8") : 0;
    const accum = kh * kw * (depthwise ? 1 : cin);
    const sOut = Math.fround(sIn * Math.max(...sW) * Math.sqrt(accum) * (type === "int8" ? 127 : 127 * 64) * (0.05 + rand.next() * 2));
    const zOut = type === "int8" ? rand.zeroPoint("int8") : 0;
    return makeCase(rand, {
        op, options,
        inputs: [quantized(type, [batches, h, w, cin], sIn, zIn),
            quantized(ft, filterShape, sW, 0, { quantizedDimension: depthwise ? 3 : 0, data: rand.values("int8", filterCount).map((v) => Math.max(v, -127)) }),
            withBias ? quantized(bt, [cout], sW.map((s) => Math.fround(sIn * s)), 0, { data: biasFor(rand, type, cout) }) : null],
        outputs: [quantized(type, [batches, oh, ow, cout], sOut, zOut)],
    });
}

export function poolCase(rand: Rand, type: TypeName, op: "AVERAGE_POOL_2D" | "MAX_POOL_2D"): OpCase {
    const batches = rand.int(1, 2), h = rand.int(1, 9), w = rand.int(1, 9), c = rand.int(1, 5);
    const fh = rand.int(1, Math.min(4, h)), fw = rand.int(1, Math.min(4, w));
    const padding = rand.pick(["SAME", "VALID"]);
    const strideH = rand.int(1, 3), strideW = rand.int(1, 3);
    const oh = windowOut(padding, h, fh, strideH, 1), ow = windowOut(padding, w, fw, strideW, 1);
    const q: Partial<TensorSpec> = type === "float32" ? {} : { scale: rand.scale(-8, 0), zeroPoint: type === "int8" ? rand.zeroPoint("int8") : 0 };
    return makeCase(rand, {
        op, options: { padding, strideW, strideH, filterWidth: fw, filterHeight: fh, activation: rand.pick(ACTIVATION_NAMES) },
        inputs: [{ shape: [batches, h, w, c], type, ...q }],
        outputs: [{ shape: [batches, oh, ow, c], type, ...q }],
    });
}

function randomShape(rand: Rand, maxRank = 4, maxDim = 6): number[] {
    const rank = rand.int(1, maxRank);
    const shape: number[] = [];
    for (let i = 0; i < rank; i++) shape.push(rand.int(1, maxDim));
    return shape;
}

/** SOFTMAX: int8 -> int8 or int16, int16 -> int16, float32 -> float32, with TFLite's fixed output quantization. */
export function softmaxCase(rand: Rand, input: TypeName, output: TypeName): OpCase {
    const shape = randomShape(rand, 3, 12);
    const beta = rand.pick([1, 1, 0.5, 2]);
    const outQ: { [t: string]: Partial<TensorSpec> } = {
        int8: { scale: 1 / 256, zeroPoint: -128 }, int16: input === "int16" ? { scale: 1 / 32768, zeroPoint: 0 } : { scale: 1 / 65536, zeroPoint: -32768 }, float32: {},
    };
    const inQ: Partial<TensorSpec> = input === "float32" ? {} : { scale: rand.scale(-6, -1), zeroPoint: input === "int8" ? rand.zeroPoint("int8") : 0 };
    if (input === "int16") inQ.scale = rand.scale(-12, -9);
    return makeCase(rand, { op: "SOFTMAX", options: { beta }, inputs: [{ shape, type: input, ...inQ }], outputs: [{ shape, type: output, ...outQ[output] }] }, 8);
}

export function quantizeCase(rand: Rand, input: TypeName, output: TypeName): OpCase {
    const shape = randomShape(rand);
    const q = (t: TypeName): Partial<TensorSpec> => (t === "float32" ? {} : { scale: rand.scale(-8, 0), zeroPoint: t === "int16" ? 0 : rand.zeroPoint(t) });
    const op = output === "float32" ? "DEQUANTIZE" : "QUANTIZE";
    return makeCase(rand, { op, inputs: [{ shape, type: input, ...q(input) }], outputs: [{ shape, type: output, ...q(output) }] }, 200);
}

/** RESHAPE (shape as a constant input and/or option), SQUEEZE, EXPAND_DIMS: the bytes move unchanged. */
export function reshapeCase(rand: Rand, type: TypeName, op: "RESHAPE" | "SQUEEZE" | "EXPAND_DIMS"): OpCase {
    const q: Partial<TensorSpec> = type === "float32" ? {} : { scale: rand.scale(), zeroPoint: type === "int8" ? rand.zeroPoint("int8") : 0 };
    let shape = randomShape(rand);
    if (op === "RESHAPE") {
        const count = shape.reduce((a, b) => a * b, 1);
        const out = [count];
        const newShape = out.slice();
        if (rand.chance(0.5)) newShape[0] = -1;
        const spec: SingleOpSpec = { op, inputs: [{ shape, type, ...q }], outputs: [{ shape: out, type, ...q }] };
        if (rand.chance(0.5)) spec.inputs.push({ shape: [newShape.length], type: "int32", data: newShape });
        else spec.options = { newShape };
        return makeCase(rand, spec);
    }
    if (op === "SQUEEZE") {
        shape = shape.map((d) => (rand.chance(0.4) ? 1 : d));
        const axes = shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
        const squeezeDims = rand.chance(0.5) ? [] : axes.filter(() => rand.chance(0.5));
        const out = shape.filter((d, i) => d !== 1 || (squeezeDims.length > 0 && squeezeDims.indexOf(i) < 0));
        return makeCase(rand, { op, options: { squeezeDims }, inputs: [{ shape, type, ...q }], outputs: [{ shape: out, type, ...q }] });
    }
    const axis = rand.int(-shape.length - 1, shape.length);
    const at = axis < 0 ? axis + shape.length + 1 : axis;
    const out = shape.slice(0, at).concat([1], shape.slice(at));
    return makeCase(rand, { op, inputs: [{ shape, type, ...q }, { shape: [1], type: "int32", data: [axis] }], outputs: [{ shape: out, type, ...q }] });
}

/** Quantization of a tensor of `type`: none for float32, zero point 0 for int16. */
function randomQuant(rand: Rand, type: TypeName, lo = -8, hi = 0): Partial<TensorSpec> {
    if (type === "float32" || type === "int32") return {};
    return { scale: rand.scale(lo, hi), zeroPoint: type === "int16" ? 0 : rand.zeroPoint(type) };
}

export type ActivationOp = "RELU" | "RELU6" | "RELU_N1_TO_1" | "LEAKY_RELU" | "LOGISTIC" | "TANH" | "HARD_SWISH";

/** One-input activations; LOGISTIC and TANH get the fixed output quantization TFLite requires. */
export function activationCase(rand: Rand, op: ActivationOp, type: TypeName): OpCase {
    const shape = randomShape(rand);
    const inQ = randomQuant(rand, type, -8, -1);
    let outQ = randomQuant(rand, type, -8, -1);
    const options: Options = {};
    if (op === "RELU6") outQ = inQ;
    if (op === "LEAKY_RELU") options.alpha = rand.pick([0.01, 0.1, 0.2, 0.3, 0.5, 0.9]);
    if (op === "LOGISTIC" || op === "TANH") {
        if (type === "int8") outQ = op === "LOGISTIC" ? { scale: 1 / 256, zeroPoint: -128 } : { scale: 1 / 128, zeroPoint: 0 };
        if (type === "int16") {
            // Not a power of two: there TFLite switches to gemmlowp's fixed-point functions, TFLM
            // keeps its table (test/kernel_activation.test.ts compares that case separately).
            inQ.scale = Math.fround(rand.scale(-13, -9) * 1.0001);
            outQ = { scale: 1 / 32768, zeroPoint: 0 };
        }
    }
    return makeCase(rand, { op, options, inputs: [{ shape, type, ...inQ }], outputs: [{ shape, type, ...outQ }] }, 8);
}

/** Two shapes that broadcast to `out`: some dimensions 1, some leading ones dropped. */
function broadcastShapes(rand: Rand, out: number[]): [number[], number[]] {
    const a = out.map((d) => (rand.chance(0.3) ? 1 : d)), b = out.map((d) => (rand.chance(0.3) ? 1 : d));
    for (let i = 0; i < out.length; i++) if (a[i] !== out[i] && b[i] !== out[i]) a[i] = out[i];
    const trim = (s: number[]) => {
        let k = 0;
        while (k < s.length - 1 && s[k] === 1 && rand.chance(0.5)) k++;
        return s.slice(k);
    };
    return [trim(a), trim(b)];
}

export type BinaryOpName = "ADD" | "SUB" | "MUL" | "DIV" | "MAXIMUM" | "MINIMUM";

export function binaryCase(rand: Rand, op: BinaryOpName, type: TypeName): OpCase {
    const out = randomShape(rand, 4, 5);
    const [sa, sb] = broadcastShapes(rand, out);
    const sameQuant = op === "MAXIMUM" || op === "MINIMUM";
    const q1 = randomQuant(rand, type, -8, -1);
    const q2 = sameQuant ? q1 : randomQuant(rand, type, -8, -1);
    const qo = sameQuant ? q1 : randomQuant(rand, type, op === "MUL" ? -6 : -7, 0);
    const options: Options = {};
    if (op !== "MAXIMUM" && op !== "MINIMUM" && !(type === "int32" && op !== "DIV")) options.activation = rand.pick(type === "int32" ? ["NONE"] : ACTIVATION_NAMES.slice(0, 3));
    if (type === "int16" && (op === "ADD" || op === "SUB")) options.potScaleInt16 = false;
    const second: TensorSpec = { shape: sb, type, ...q2 };
    if (op === "DIV" || rand.chance(0.25)) {
        // A constant operand; DIV's divisor never holds 0.
        second.data = rand.values(type, sb.reduce((x, y) => x * y, 1), 8).map((v) => (op === "DIV" && (type === "int32" ? v === 0 : Math.abs(v) < 0.1) ? 3 : v));
        if (op === "DIV" && type === "int32") second.data = (second.data as number[]).map((v) => (v % 1000) || 7);
    }
    const range = type === "int32" ? 1 : 8;
    const c = makeCase(rand, { op, options, inputs: [{ shape: sa, type, ...q1 }, second], outputs: [{ shape: out, type, ...qo }] }, range);
    if (type === "int32") c.inputs = c.inputs.map((b) => encodeValues("int32", rand.values("int32", b.length / 4).map((v) => (op === "MUL" ? v % 46341 : v))));
    return c;
}

export function concatenationCase(rand: Rand, type: TypeName): OpCase {
    const shape = randomShape(rand, 4, 4);
    const axis = rand.int(0, shape.length - 1);
    const q = randomQuant(rand, type);
    const n = rand.int(1, 3);
    const inputs: TensorSpec[] = [];
    let total = 0;
    for (let i = 0; i < n; i++) {
        const s = shape.slice();
        s[axis] = rand.int(1, 4);
        total += s[axis];
        inputs.push({ shape: s, type, ...q });
    }
    const out = shape.slice();
    out[axis] = total;
    return makeCase(rand, { op: "CONCATENATION", options: { axis: rand.chance(0.3) ? axis - shape.length : axis }, inputs, outputs: [{ shape: out, type, ...q }] });
}

export function padCase(rand: Rand, type: TypeName, op: "PAD" | "PADV2"): OpCase {
    const shape = randomShape(rand, 4, 4);
    const q = randomQuant(rand, type);
    const pads: number[] = [];
    for (let d = 0; d < shape.length; d++) pads.push(rand.int(0, 2), rand.int(0, 2));
    const out = shape.map((d, i) => d + pads[2 * i] + pads[2 * i + 1]);
    const inputs: TensorSpec[] = [{ shape, type, ...q }, { shape: [shape.length, 2], type: "int32", data: pads }];
    if (op === "PADV2") inputs.push({ shape: [1], type, ...q, data: rand.values(type, 1) });
    return makeCase(rand, { op, inputs, outputs: [{ shape: out, type, ...q }] });
}

/**
 * MEAN, or with `op` another reduction over the same random axes: REDUCE_MAX and REDUCE_MIN keep
 * the input's quantization (TFLM requires it).
 */
export function meanCase(rand: Rand, type: TypeName, op: "MEAN" | "SUM" | "REDUCE_MAX" | "REDUCE_MIN" = "MEAN"): OpCase {
    const shape = randomShape(rand, 4, 5);
    const axes: number[] = [];
    // At most two axes, as older TFLM took (today's takes any number: test/tflm-goldens has them).
    for (let d = 0; d < shape.length && axes.length < 2; d++) if (rand.chance(0.5)) axes.push(rand.chance(0.3) ? d - shape.length : d);
    if (axes.length === 0) axes.push(rand.int(0, shape.length - 1));
    const keepDims = rand.chance(0.5);
    const reduced = axes.map((a) => (a < 0 ? a + shape.length : a));
    const out = keepDims ? shape.map((d, i) => (reduced.indexOf(i) >= 0 ? 1 : d)) : shape.filter((d, i) => reduced.indexOf(i) < 0);
    const inputQuant = randomQuant(rand, type);
    const outputQuant = op === "REDUCE_MAX" || op === "REDUCE_MIN" ? inputQuant : randomQuant(rand, type);
    return makeCase(rand, {
        op, options: { keepDims },
        inputs: [{ shape, type, ...inputQuant }, { shape: [axes.length], type: "int32", data: axes }],
        outputs: [{ shape: out, type, ...outputQuant }],
    });
}

export function stridedSliceCase(rand: Rand, type: TypeName): OpCase {
    for (;;) {
        const shape = randomShape(rand, 4, 6);
        const rank = shape.length;
        const begin: number[] = [], end: number[] = [], strides: number[] = [], out: number[] = [];
        let beginMask = 0, endMask = 0, shrinkMask = 0;
        let empty = false;
        for (let d = 0; d < rank; d++) {
            const dim = shape[d];
            const stride = rand.pick([1, 1, 2, 3, -1, -2]);
            let b = rand.int(-dim, dim), e = rand.int(-dim, dim);
            if (rand.chance(0.2)) beginMask |= 1 << d;
            if (rand.chance(0.2)) endMask |= 1 << d;
            const shrink = rand.chance(0.15);
            if (shrink) { shrinkMask |= 1 << d; beginMask &= ~(1 << d); b = rand.int(0, dim - 1); e = b + 1; }
            begin.push(b); end.push(e); strides.push(shrink ? 1 : stride);
            if (shrink) continue;
            // TFLite's StartForAxis / StopForAxis: masks, negative indices, clamping by stride sign.
            const norm = (v: number) => (v < 0 ? v + dim : v);
            const clamp = (v: number) => (stride > 0 ? Math.min(Math.max(v, 0), dim) : Math.min(Math.max(v, -1), dim - 1));
            const start = beginMask & (1 << d) ? (stride > 0 ? 0 : dim - 1) : clamp(norm(b));
            const stop = endMask & (1 << d) ? (stride > 0 ? dim : -1) : clamp(norm(e));
            const size = Math.max(0, Math.ceil((stop - start) / stride));
            if (size === 0) empty = true;
            out.push(size);
        }
        if (empty) continue;
        const q = randomQuant(rand, type);
        return makeCase(rand, {
            op: "STRIDED_SLICE", options: { beginMask, endMask, shrinkAxisMask: shrinkMask },
            inputs: [{ shape, type, ...q }, { shape: [rank], type: "int32", data: begin }, { shape: [rank], type: "int32", data: end },
                { shape: [rank], type: "int32", data: strides }],
            outputs: [{ shape: out, type, ...q }],
        });
    }
}

export function transposeCase(rand: Rand, type: TypeName): OpCase {
    const shape = randomShape(rand, 5, 4);
    const perm = shape.map((_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
        const j = rand.int(0, i);
        [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const q = randomQuant(rand, type);
    return makeCase(rand, {
        op: "TRANSPOSE", inputs: [{ shape, type, ...q }, { shape: [perm.length], type: "int32", data: perm }],
        outputs: [{ shape: perm.map((p) => shape[p]), type, ...q }],
    });
}

/**
 * SVDF (int8 with int16 state and time weights, or float32) over several invokes: the state
 * carries the past, so `steps` holds one input list per invoke.
 */
export function svdfCase(rand: Rand, type: TypeName): OpCase {
    const batches = rand.int(1, 2), inputSize = rand.int(1, 8), units = rand.int(1, 4), rank = rand.int(1, 2), memory = rand.int(1, 5);
    const filters = units * rank;
    // TFLite's integer SVDF only has RELU.
    const activation = type === "float32" ? rand.pick(["NONE", "RELU"]) : "RELU";
    let spec: SingleOpSpec;
    if (type === "float32") {
        spec = {
            op: "SVDF", options: { rank, activation },
            inputs: [{ shape: [batches, inputSize], type }, { shape: [filters, inputSize], type, data: rand.values(type, filters * inputSize, 1) },
                { shape: [filters, memory], type, data: rand.values(type, filters * memory, 1) },
                rand.chance(0.7) ? { shape: [units], type, data: rand.values(type, units, 1) } : null,
                { shape: [batches, memory * filters], type, isVariable: true }],
            outputs: [{ shape: [batches, units], type }],
        };
    } else {
        const sIn = rand.scale(-7, -3), sF = rand.scale(-9, -6), sState = rand.scale(-10, -6), sT = rand.scale(-14, -10);
        const sOut = Math.fround(sState * sT * 32768 * memory * (0.1 + rand.next()));
        spec = {
            op: "SVDF", options: { rank, activation },
            inputs: [{ shape: [batches, inputSize], type: "int8", scale: sIn, zeroPoint: rand.zeroPoint("int8") },
                { shape: [filters, inputSize], type: "int8", scale: sF, zeroPoint: 0, data: rand.values("int8", filters * inputSize) },
                { shape: [filters, memory], type: "int16", scale: sT, zeroPoint: 0, data: rand.values("int16", filters * memory) },
                rand.chance(0.7) ? { shape: [units], type: "int32", scale: Math.fround(sState * sT), zeroPoint: 0, data: biasFor(rand, "int8", units) } : null,
                { shape: [batches, memory * filters], type: "int16", scale: sState, zeroPoint: 0, isVariable: true }],
            outputs: [{ shape: [batches, units], type: "int8", scale: sOut, zeroPoint: rand.zeroPoint("int8") }],
        };
    }
    const c = makeCase(rand, spec);
    const first = c.inputs;
    const steps = [first];
    for (let i = 1; i < 4; i++) steps.push([rand.bytes(type === "float32" ? "float32" : "int8", [batches, inputSize])]);
    return { ...c, inputs: first, steps };
}

/** Every kind of generated single-op model, by name (the fuzzer's extra sources). */
export const CASE_KINDS: { [name: string]: (rand: Rand) => OpCase } = {};
for (const t of ["int8", "int16", "float32"] as TypeName[]) {
    CASE_KINDS[`FULLY_CONNECTED ${t}`] = (r) => fullyConnectedCase(r, t);
    CASE_KINDS[`CONV_2D ${t}`] = (r) => convCase(r, t, false);
    CASE_KINDS[`DEPTHWISE_CONV_2D ${t}`] = (r) => convCase(r, t, true);
    CASE_KINDS[`AVERAGE_POOL_2D ${t}`] = (r) => poolCase(r, t, "AVERAGE_POOL_2D");
    CASE_KINDS[`MAX_POOL_2D ${t}`] = (r) => poolCase(r, t, "MAX_POOL_2D");
    CASE_KINDS[`SOFTMAX ${t}`] = (r) => softmaxCase(r, t, t);
    CASE_KINDS[`RESHAPE ${t}`] = (r) => reshapeCase(r, t, "RESHAPE");
    CASE_KINDS[`SQUEEZE ${t}`] = (r) => reshapeCase(r, t, "SQUEEZE");
    CASE_KINDS[`EXPAND_DIMS ${t}`] = (r) => reshapeCase(r, t, "EXPAND_DIMS");
    for (const op of ["RELU", "RELU6", "RELU_N1_TO_1", "LEAKY_RELU", "LOGISTIC", "TANH", "HARD_SWISH"] as ActivationOp[])
        if (op !== "HARD_SWISH" || t !== "int16") CASE_KINDS[`${op} ${t}`] = (r) => activationCase(r, op, t);
    for (const op of ["ADD", "SUB", "MUL", "DIV", "MAXIMUM", "MINIMUM"] as BinaryOpName[])
        if (op !== "DIV" || t === "float32") CASE_KINDS[`${op} ${t}`] = (r) => binaryCase(r, op, t);
    CASE_KINDS[`CONCATENATION ${t}`] = (r) => concatenationCase(r, t);
    CASE_KINDS[`PAD ${t}`] = (r) => padCase(r, t, "PAD");
    CASE_KINDS[`PADV2 ${t}`] = (r) => padCase(r, t, "PADV2");
    CASE_KINDS[`MEAN ${t}`] = (r) => meanCase(r, t);
    CASE_KINDS[`STRIDED_SLICE ${t}`] = (r) => stridedSliceCase(r, t);
    CASE_KINDS[`TRANSPOSE ${t}`] = (r) => transposeCase(r, t);
    CASE_KINDS[`TRANSPOSE_CONV ${t}`] = (r) => transposeConvCase(r, t);
}
CASE_KINDS["SOFTMAX int8 -> int16"] = (r) => softmaxCase(r, "int8", "int16");
CASE_KINDS["DIV int32"] = (r) => binaryCase(r, "DIV", "int32");
CASE_KINDS["ADD int32"] = (r) => binaryCase(r, "ADD", "int32");
CASE_KINDS["SVDF int8"] = (r) => svdfCase(r, "int8");
CASE_KINDS["SVDF float32"] = (r) => svdfCase(r, "float32");
for (const [a, b] of [["float32", "int8"], ["float32", "int16"], ["int8", "int8"], ["int16", "int8"], ["int8", "float32"], ["int16", "float32"]] as TypeName[][])
    CASE_KINDS[`${b === "float32" ? "DEQUANTIZE" : "QUANTIZE"} ${a} -> ${b}`] = (r) => quantizeCase(r, a, b);
// The data movement ops: one kind each, a random one of its golden drafts (every type TFLM takes).
for (const op of Object.keys(MOVE_DRAFTS)) CASE_KINDS[op.toUpperCase()] = (r) => moveCase(r, op);
// The element-wise math ops: one kind per op and type TFLM takes (node/math-cases.ts).
for (const op of Object.keys(MATH_TYPES) as MathOp[]) for (const t of MATH_TYPES[op]) CASE_KINDS[`${op} ${t}`] = (r) => mathCase(r, op, t);
// The comparison, logic, select, arg and fill ops: one kind each (ADD_N and ARG_* one per type), a random one of its golden drafts.
for (const kind of Object.keys(COMPARE_KINDS)) CASE_KINDS[kind] = (r) => compareCase(r, kind);
// REDUCE_ALL (node/misc-cases.ts): one kind, a random one of its golden drafts.
for (const op of Object.keys(MISC_DRAFTS)) CASE_KINDS[op.toUpperCase()] = (r) => miscCase(r, op);
// Resize and padding, L2/log-softmax, Signal Delay/OverlapAdd: one kind each, a random golden draft.
for (const op of Object.keys(RESIZE_DRAFTS)) CASE_KINDS[op.toUpperCase()] = (r) => draftCase(r, RESIZE_DRAFTS[op](r));
for (const op of Object.keys(NORM_DRAFTS)) CASE_KINDS[op.toUpperCase()] = (r) => draftCase(r, NORM_DRAFTS[op](r));
for (const op of Object.keys(SIGNAL_OPS)) CASE_KINDS[op.toUpperCase()] = (r) => draftCase(r, SIGNAL_OPS[op].drafts(r));
// The newer families, one kind per op (per type where each type has its own body: Signal's FFTs
// and the LSTM), a random golden draft, its invokes in sequence: matmul (BATCH_MATMUL, CUMSUM,
// DYNAMIC_UPDATE_SLICE), SignalFramer/Stacker/Rfft/Irfft, the LSTM, CIRCULAR_BUFFER, the models of
// several subgraphs (CALL_ONCE and the resource variables, IF, WHILE) and DETECTION_POSTPROCESS.
for (const op of Object.keys(MATMUL_DRAFTS)) CASE_KINDS[op.toUpperCase()] = (r) => draftCase(r, MATMUL_DRAFTS[op](r));
for (const op of Object.keys(DETECTION_DRAFTS)) CASE_KINDS[op.toUpperCase()] = (r) => draftCase(r, DETECTION_DRAFTS[op](r));
// TFLM_DECODE, one kind per decode type (LUT, Prune, Huffman): both inputs are constants, so a case has no model inputs.
for (const op of Object.keys(DECODE_DRAFTS)) CASE_KINDS[op.toUpperCase()] = (r) => draftCase(r, DECODE_DRAFTS[op](r));
for (const op of Object.keys(SIGNAL_DRAFTS))
    for (const type of ["int16", "int32", "float32"])
        if (SIGNAL_DRAFTS[op](new Rand(1)).some((d) => d.covers.includes(type)))
            CASE_KINDS[`${op.toUpperCase()} ${type}`] = (r) => draftCase(r, SIGNAL_DRAFTS[op](r).filter((d) => d.covers.includes(type)));
for (const type of ["float32", "int8", "int16"])
    CASE_KINDS[`UNIDIRECTIONAL_SEQUENCE_LSTM ${type}`] = (r) => draftCase(r, LSTM_DRAFTS.unidirectional_sequence_lstm(r).filter((d) => d.covers.includes(type)));
for (const op of Object.keys(CIRCULAR_DRAFTS)) CASE_KINDS[op.toUpperCase()] = (r) => draftCase(r, CIRCULAR_DRAFTS[op](r));
for (const op of Object.keys(CONTROL_DRAFTS)) CASE_KINDS[op.toUpperCase()] = (r) => controlCase(r, CONTROL_DRAFTS[op](r));
