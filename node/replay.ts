// Proof of the C kernels without hardware, by replay.
//
// recordConformance() runs the golden cases of ../shared/conformance/models through the STS
// interpreter and records every kernel call: the body's name, its parameter block before and
// after the call, the model, the bytes of the op's arena inputs before the call and of its
// outputs (and the variable tensors it updates) after it, and its scratch regions. A case is
// recorded only when its final outputs equal TFLM's goldens, so every recorded byte is
// golden-verified. kernels/harness.c replays each call through the C kernels, with every arena
// byte outside the op's tensors set to a canary pattern (scratch included, so a kernel that reads
// scratch it did not write, or a tensor it was not given, reads garbage), and checks each output
// byte, the parameter block (one op keeps state there) and that nothing outside the outputs and
// scratch changed.
//
// tools/test-native.ts (npm run test:native) builds the harness (kernels/Makefile) and runs it on
// the host (gcc with AddressSanitizer and UBSan), on QEMU's Cortex-M4 board (mps2-an386) and on
// QEMU's micro:bit (Cortex-M0, 16 KB of RAM, runQemuM0), with semihosting, and ends with
// "N passed, M failed", counting cases over all runs.
//
// The recording (little-endian u32 words; byte strings padded to 4):
//   "TFLR" version
//   records: tag, payload length in bytes, payload
//     "MODL": model id, byte length, bytes
//     "CASE": case id, name length, name
//     "CALL": case id, invoke, op index, model id, body name length, body name,
//             parameter words, params before, params after, arena bytes,
//             inputs: count, then (offset, length, bytes) each,
//             outputs: count, then (offset, length, bytes after the call) each,
//             scratch: count, then (offset, length) each
//     "END!": cases, calls
import * as fs from "fs";
import * as path from "path";
import * as childProcess from "child_process";
import { conformanceCases, caseName, sharedPath, firstDifference, ConformanceCase } from "./conformance";
import { loadTflite } from "./sts-runtime";
import { CASE_KINDS, Rand, OpCase, quantizeCase, binaryCase, meanCase } from "./fuzz";
import { singleOpModel, SingleOpSpec, TypeName } from "./model-writer";
import { draftCase } from "./draft-case";

export const REPO = path.resolve(__dirname, "..", "..");
export const KERNELS = path.join(REPO, "kernels");
export const NATIVE_BUILT = path.join(REPO, "built", "native");
export const RECORDING = path.join(NATIVE_BUILT, "conformance.replay");
export const GENERATED_RECORDING = path.join(NATIVE_BUILT, "generated.replay");

class Writer {
    chunks: Buffer[] = [];
    size = 0;
    u32(v: number): void {
        const b = Buffer.alloc(4);
        b.writeUInt32LE(v >>> 0, 0);
        this.push(b);
    }
    bytes(b: Buffer): void {
        this.push(Buffer.from(b));
        const pad = (4 - (b.length & 3)) & 3;
        if (pad) this.push(Buffer.alloc(pad));
    }
    push(b: Buffer): void {
        this.chunks.push(b);
        this.size += b.length;
    }
    record(tag: string, payload: Writer): void {
        this.push(Buffer.from(tag, "ascii"));
        this.u32(payload.size);
        for (const c of payload.chunks) this.push(c);
    }
}

interface Region { offset: number; length: number }

export interface RecordSummary { cases: string[]; calls: number; bodies: Map<string, number>; bytes: number }

/** Merges overlapping or touching regions (a tensor used twice is one region). */
function mergeRegions(list: Region[]): Region[] {
    const sorted = list.filter((r) => r.length > 0).sort((a, b) => a.offset - b.offset);
    const res: Region[] = [];
    for (const r of sorted) {
        const last = res[res.length - 1];
        if (last && r.offset <= last.offset + last.length)
            last.length = Math.max(last.length, r.offset + r.length - last.offset);
        else res.push({ offset: r.offset, length: r.length });
    }
    return res;
}

function inRegions(list: Region[], i: number): boolean {
    for (const r of list) if (i >= r.offset && i < r.offset + r.length) return true;
    return false;
}

/** A recording being written: models, cases and calls. */
class Recording {
    out = new Writer();
    summary: RecordSummary = { cases: [], calls: 0, bodies: new Map(), bytes: 0 };
    private modelId = -1;
    private lastModel: Buffer | null = null;
    constructor() {
        this.out.push(Buffer.from("TFLR", "ascii"));
        this.out.u32(1);
    }
    /** Writes the model unless it is the one written last; returns its id. */
    model(bytes: Buffer): number {
        if (this.lastModel && this.lastModel.equals(bytes)) return this.modelId;
        this.modelId++;
        this.lastModel = bytes;
        const m = new Writer();
        m.u32(this.modelId);
        m.u32(bytes.length);
        m.bytes(bytes);
        this.out.record("MODL", m);
        return this.modelId;
    }
    startCase(name: string): number {
        const id = this.summary.cases.length;
        this.summary.cases.push(name);
        const w = new Writer();
        w.u32(id);
        const b = Buffer.from(name, "utf8");
        w.u32(b.length);
        w.bytes(b);
        this.out.record("CASE", w);
        return id;
    }
    finish(file: string): RecordSummary {
        const end = new Writer();
        end.u32(this.summary.cases.length);
        end.u32(this.summary.calls);
        this.out.record("END!", end);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, Buffer.concat(this.out.chunks));
        this.summary.bytes = this.out.size;
        return this.summary;
    }
}

/**
 * Runs the conformance cases whose name contains `filter` (all by default), records every kernel
 * call to `file`, and checks each case's outputs against its golden. Throws on a golden mismatch
 * or when an STS body writes outside its outputs and scratch (the region model would be wrong).
 */
export function recordConformance(file = RECORDING, filter = ""): RecordSummary {
    const tflite = loadTflite();
    const rec = new Recording();
    // Grouped by model so that each model is written once.
    const cases = conformanceCases().filter((c) => caseName(c).includes(filter));
    for (const modelPath of Array.from(new Set(cases.map((c) => c.model)))) {
        const modelBytes = fs.readFileSync(sharedPath(modelPath));
        const modelId = rec.model(modelBytes);
        for (const c of cases.filter((x) => x.model === modelPath)) {
            const name = caseName(c);
            const caseId = rec.startCase(name);
            const ip = new tflite.StsInterpreter(modelBytes);
            const invoke = hookBodies(ip, name, caseId, modelId, rec);
            const got = runCaseInputs(ip, c, invoke);
            const expected = fs.readFileSync(sharedPath(c.output));
            const d = firstDifference(got, expected);
            if (d >= 0) throw new Error(`${name}: not golden: first difference at byte ${d} (got ${got[d]}, want ${expected[d]}), so its calls cannot be recorded`);
        }
    }
    return rec.finish(file);
}

/**
 * Records the generated single-op models of node/fuzz.ts (CASE_KINDS, `perKind` seeds each):
 * they reach the bodies that no conformance model uses (activations, int16 variants...). Their
 * outputs are the STS bodies' (checked against tfjs-tflite by the differential tests), so this
 * proves the C bodies equal the STS ones, byte for byte.
 */
export function recordGenerated(file = GENERATED_RECORDING, perKind = 6): RecordSummary {
    const tflite = loadTflite();
    const rec = new Recording();
    const kinds: { [name: string]: (r: Rand) => OpCase } = { ...CASE_KINDS, ...EXTRA_KINDS };
    for (const kind of Object.keys(kinds).sort()) {
        // The wide int8 kinds cover many more code paths (blocks, tails, DSP steps): more seeds.
        const seeds = kind.endsWith(" wide") ? 8 * perKind : perKind;
        for (let seed = 1; seed <= seeds; seed++) {
            const c = kinds[kind](new Rand(seed * 7919 + kind.length));
            let ip: any;
            try {
                ip = new tflite.StsInterpreter(c.model);
            } catch (e) {
                continue; // a combination the interpreter refuses (with a clear error): nothing to run
            }
            const name = `generated/${kind}/${seed}`;
            const modelId = rec.model(c.model);
            const caseId = rec.startCase(name);
            const invoke = hookBodies(ip, name, caseId, modelId, rec);
            for (const step of c.steps || [c.inputs]) {
                step.forEach((b, i) => ip.setInputBytes(i, b));
                ip.invoke();
                invoke.count++;
            }
        }
    }
    return rec.finish(file);
}

/** A single-op case whose non-constant inputs get random bytes (floats in [-range, range]). */
function randomCase(rand: Rand, spec: SingleOpSpec, range = 4): OpCase {
    const inputs: Buffer[] = [];
    for (const t of spec.inputs) if (t && t.data === undefined && !t.isVariable) inputs.push(rand.bytes(t.type as TypeName, t.shape, range));
    return { model: singleOpModel(spec), inputs, outputType: spec.outputs[0].type as TypeName, summary: String(spec.op) };
}

/** CONV_2D on int16 activations without a bias: TFLM's 32-bit accumulator (conv_2d_int16_acc32). */
function convInt16Acc32Case(rand: Rand): OpCase {
    const h = rand.int(2, 6), w = rand.int(2, 6), cin = rand.int(1, 4), cout = rand.int(1, 4);
    const scales: number[] = [];
    for (let c = 0; c < cout; c++) scales.push(rand.scale(-9, -5));
    const padding = rand.pick(["SAME", "VALID"]);
    const shrink = padding === "SAME" ? 0 : 1;
    return randomCase(rand, {
        op: "CONV_2D", options: { padding, strideW: 1, strideH: 1, activation: "NONE" },
        inputs: [{ shape: [1, h, w, cin], type: "int16", scale: rand.scale(-12, -8), zeroPoint: 0 },
            { shape: [cout, 2, 2, cin], type: "int8", scale: scales, zeroPoint: 0, quantizedDimension: 0, data: rand.values("int8", cout * 4 * cin) },
            null],
        outputs: [{ shape: [1, h - shrink, w - shrink, cout], type: "int16", scale: rand.scale(-10, -6), zeroPoint: 0 }],
    });
}

/** CAST from `input` to `output`: integers over their whole range, floats far beyond the integer
 * ranges, with infinities, NaN and -0 among them, to reach every edge of the conversions. */
function castCase(rand: Rand, input: TypeName, output: TypeName): OpCase {
    const shape = [rand.int(1, 5), rand.int(1, 7)];
    const n = shape[0] * shape[1];
    let bytes: Buffer;
    if (input === "uint32") {
        bytes = Buffer.alloc(4 * n);
        for (let i = 0; i < n; i++) bytes.writeUInt32LE(rand.int(0, 2 ** 32 - 1), 4 * i);
    } else if (input === "float32") {
        bytes = Buffer.alloc(4 * n);
        const special = [NaN, Infinity, -Infinity, -0, 2 ** 31, -(2 ** 31), 2 ** 63, -(2 ** 64), 0.5, -0.5, 255.9, -128.7];
        for (let i = 0; i < n; i++)
            bytes.writeFloatLE(rand.chance(0.3) ? rand.pick(special) : (rand.next() * 2 - 1) * 2 ** rand.int(0, 70), 4 * i);
    } else bytes = rand.bytes(input, shape);
    return { model: singleOpModel({ op: "CAST", inputs: [{ shape, type: input }], outputs: [{ shape, type: output }] }),
        inputs: [bytes], outputType: output, summary: `CAST ${input} -> ${output}` };
}

/**
 * int8 FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D wide enough for the four-channel blocks and
 * the DSP path's four-byte steps (with tails), with the cases those paths treat apart: a filter
 * zero point (FULLY_CONNECTED per tensor), grouped convolutions, depth multipliers of 4 and 8,
 * strides, dilation and padding (partial windows). Outputs in a useful range: the output scale
 * follows the accumulator's spread.
 */
function wideInt8Case(rand: Rand, op: "FULLY_CONNECTED" | "CONV_2D" | "DEPTHWISE_CONV_2D"): OpCase {
    const sIn = rand.scale(-8, -3);
    const zIn = rand.zeroPoint("int8");
    const weights = (n: number) => rand.values("int8", n).map((v) => Math.max(v, -127));
    const outScale = (sW: number, terms: number) => Math.fround(sIn * sW * Math.sqrt(terms) * 127 * 64 * (0.3 + rand.next()));
    const activation = rand.pick(["NONE", "RELU", "RELU6"]);
    if (op === "FULLY_CONNECTED") {
        const batches = rand.int(1, 2), depth = rand.int(4, 70), units = rand.int(4, 11);
        const sW = rand.scale(-9, -5), zW = rand.pick([0, 0, rand.int(-20, 20)]);
        return randomCase(rand, {
            op, options: { activation },
            inputs: [{ shape: [batches, depth], type: "int8", scale: sIn, zeroPoint: zIn },
                { shape: [units, depth], type: "int8", scale: sW, zeroPoint: zW, data: weights(units * depth) },
                { shape: [units], type: "int32", scale: Math.fround(sIn * sW), zeroPoint: 0, data: rand.values("int32", units).map((v) => v >> 18) }],
            outputs: [{ shape: [batches, units], type: "int8", scale: outScale(sW, depth), zeroPoint: rand.zeroPoint("int8") }],
        });
    }
    const depthwise = op === "DEPTHWISE_CONV_2D";
    const h = rand.int(3, 9), w = rand.int(3, 9);
    const multiplier = depthwise ? rand.pick([1, 4, 8, 2]) : 1;
    const groups = depthwise ? 1 : rand.pick([1, 1, 2]);
    const filterDepth = depthwise ? 1 : rand.int(1, 20);
    const cin = depthwise ? rand.int(1, 9) : filterDepth * groups;
    const cout = depthwise ? cin * multiplier : groups * rand.int(1, 9);
    const kh = rand.int(1, 3), kw = rand.int(1, 3);
    const padding = rand.pick(["SAME", "VALID"]);
    const strideH = rand.int(1, 2), strideW = rand.int(1, 2);
    const dilationH = kh > 1 && rand.chance(0.3) && 2 * (kh - 1) + 1 <= h ? 2 : 1;
    const dilationW = kw > 1 && rand.chance(0.3) && 2 * (kw - 1) + 1 <= w ? 2 : 1;
    const size = (n: number, k: number, st: number, d: number) => padding === "SAME" ? Math.ceil(n / st) : Math.floor((n - ((k - 1) * d + 1)) / st) + 1;
    const oh = size(h, kh, strideH, dilationH), ow = size(w, kw, strideW, dilationW);
    const sW: number[] = [];
    for (let c = 0; c < cout; c++) sW.push(rand.scale(-9, -5));
    const filterShape = depthwise ? [1, kh, kw, cout] : [cout, kh, kw, filterDepth];
    const options: any = { padding, strideW, strideH, dilationW, dilationH, activation };
    if (depthwise) options.depthMultiplier = multiplier;
    return randomCase(rand, {
        op, options,
        inputs: [{ shape: [1, h, w, cin], type: "int8", scale: sIn, zeroPoint: zIn },
            { shape: filterShape, type: "int8", scale: sW, zeroPoint: 0, quantizedDimension: depthwise ? 3 : 0,
                data: weights(filterShape.reduce((a, b) => a * b, 1)) },
            { shape: [cout], type: "int32", scale: sW.map((x) => Math.fround(sIn * x)), zeroPoint: 0, data: rand.values("int32", cout).map((v) => v >> 18) }],
        outputs: [{ shape: [1, oh, ow, cout], type: "int8", scale: outScale(Math.max(...sW), kh * kw * filterDepth), zeroPoint: rand.zeroPoint("int8") }],
    });
}

/**
 * int8 CONV_2D with a 1x1 filter, stride 1 and one group: kernels/conv.c's matrix-product body
 * (two pixels by two channels, an odd last pixel or channel alone, depths with and without a
 * 4-byte tail), and its three requantizations: NONE with a zero point above -128 takes TFLM's
 * two roundings, RELU and RELU6 the single shift whose negative values clamp to the zero point,
 * with a USAT when the zero point is -128 and the range all 256 values (kernels/conv.c rounds_once).
 */
function conv1x1Int8Case(rand: Rand): OpCase {
    const sIn = rand.scale(-8, -3);
    const batches = rand.int(1, 2), h = rand.int(1, 4), w = rand.int(1, 5), cin = rand.int(1, 13), cout = rand.int(1, 7);
    const sW: number[] = [];
    for (let c = 0; c < cout; c++) sW.push(rand.scale(-9, -5));
    return randomCase(rand, {
        op: "CONV_2D", options: { padding: rand.pick(["SAME", "VALID"]), strideW: 1, strideH: 1, dilationW: 1, dilationH: 1, activation: rand.pick(["NONE", "RELU", "RELU6"]) },
        inputs: [{ shape: [batches, h, w, cin], type: "int8", scale: sIn, zeroPoint: rand.zeroPoint("int8") },
            { shape: [cout, 1, 1, cin], type: "int8", scale: sW, zeroPoint: 0, quantizedDimension: 0,
                data: rand.values("int8", cout * cin).map((v) => Math.max(v, -127)) },
            { shape: [cout], type: "int32", scale: sW.map((x) => Math.fround(sIn * x)), zeroPoint: 0, data: rand.values("int32", cout).map((v) => v >> 18) }],
        outputs: [{ shape: [batches, h, w, cout], type: "int8", scale: Math.fround(sIn * Math.max(...sW) * Math.sqrt(cin) * 127 * 64 * (0.3 + rand.next())),
            zeroPoint: rand.chance(0.4) ? -128 : rand.zeroPoint("int8") }],
    });
}

/**
 * int8 DEPTHWISE_CONV_2D with a 3x3 filter and dilation 1, depth multiplier 1 or 4k: kernels/conv.c's
 * unrolled whole windows (dw_3x3_run, channels in blocks of 4 and a tail) beside the border pixels.
 * The output scale comes first and each channel's filter scale gives it a multiplier between 2^-12
 * and 2^-1, so that the requantization's right shifts include 1; small filter values and biases
 * keep most outputs off the clamps, where a wrong rounding would show.
 */
function depthwise3x3Int8Case(rand: Rand): OpCase {
    const sIn = rand.scale(-8, -3), sOut = rand.scale(-6, -2);
    const h = rand.int(3, 8), w = rand.int(3, 8), multiplier = rand.pick([1, 1, 4, 8]), cin = rand.int(1, 9), cout = cin * multiplier;
    const padding = rand.pick(["SAME", "VALID"]), strideH = rand.int(1, 2), strideW = rand.int(1, 2);
    const size = (n: number, st: number) => padding === "SAME" ? Math.ceil(n / st) : Math.floor((n - 3) / st) + 1;
    const sW: number[] = [];
    for (let c = 0; c < cout; c++) sW.push(Math.fround(sOut / sIn * 0.3 * Math.pow(2, -rand.pick([0, 0, rand.int(1, 11)]))));
    return randomCase(rand, {
        op: "DEPTHWISE_CONV_2D",
        options: { padding, strideW, strideH, dilationW: 1, dilationH: 1, depthMultiplier: multiplier, activation: rand.pick(["NONE", "RELU", "RELU6"]) },
        inputs: [{ shape: [1, h, w, cin], type: "int8", scale: sIn, zeroPoint: rand.zeroPoint("int8") },
            { shape: [1, 3, 3, cout], type: "int8", scale: sW, zeroPoint: 0, quantizedDimension: 3, data: rand.values("int8", 9 * cout).map((v) => v >> 5) },
            { shape: [cout], type: "int32", scale: sW.map((x) => Math.fround(sIn * x)), zeroPoint: 0, data: rand.values("int32", cout).map((v) => v >> 22) }],
        outputs: [{ shape: [1, size(h, strideH), size(w, strideW), cout], type: "int8", scale: sOut, zeroPoint: rand.zeroPoint("int8") }],
    });
}

/** Cases for the bodies that neither the conformance models nor node/fuzz.ts's CASE_KINDS reach. */
const EXTRA_KINDS: { [name: string]: (r: Rand) => OpCase } = {
    "CONV_2D int16 without bias": convInt16Acc32Case,
    "SUB int32": (r) => binaryCase(r, "SUB", "int32"),
    "FULLY_CONNECTED int8 wide": (r) => wideInt8Case(r, "FULLY_CONNECTED"),
    "CONV_2D int8 wide": (r) => wideInt8Case(r, "CONV_2D"),
    "CONV_2D int8 1x1 wide": conv1x1Int8Case,
    "DEPTHWISE_CONV_2D int8 wide": (r) => wideInt8Case(r, "DEPTHWISE_CONV_2D"),
    "DEPTHWISE_CONV_2D int8 3x3 wide": depthwise3x3Int8Case,
    "SUM int8": (r) => meanCase(r, "int8", "SUM"),
    "SUM int16": (r) => meanCase(r, "int16", "SUM"),
    "SUM float32": (r) => meanCase(r, "float32", "SUM"),
    "REDUCE_MAX int8": (r) => meanCase(r, "int8", "REDUCE_MAX"),
    "REDUCE_MAX float32": (r) => meanCase(r, "float32", "REDUCE_MAX"),
    "REDUCE_MIN int8": (r) => meanCase(r, "int8", "REDUCE_MIN"),
    "REDUCE_MIN float32": (r) => meanCase(r, "float32", "REDUCE_MIN"),
};
for (const [a, b] of [["float32", "uint8"], ["int8", "uint8"], ["int8", "int16"], ["int8", "int32"], ["uint8", "int8"],
    ["int16", "int16"], ["int32", "int8"], ["int32", "int16"], ["uint8", "float32"]] as TypeName[][])
    EXTRA_KINDS[`${b === "float32" ? "DEQUANTIZE" : "QUANTIZE"} ${a} -> ${b}`] = (r) => quantizeCase(r, a, b);
for (const a of ["int8", "float32", "bool", "int16", "int32", "uint32"] as TypeName[])
    for (const b of ["int8", "int16", "int32", "uint32", "float32"] as TypeName[])
        EXTRA_KINDS[`CAST ${a} -> ${b}`] = (r) => castCase(r, a, b);
/** Replaces each op's body with one that calls it and records the call; returns the invoke counter. */
function hookBodies(ip: any, name: string, caseId: number, modelId: number, rec: Recording): { count: number } {
    const invoke = { count: 0 };
    const summary = rec.summary;
    for (const op of ip.model.operators as any[]) {
        // CALL_ONCE, IF and WHILE run other ops (recorded themselves) from their bodies: they have no call
        // of their own to replay alone (test/tflm_goldens.test.ts runs their C bodies through loader-tool).
        if (op.bodyName === "call_once" || op.bodyName === "if_bytes" || op.bodyName === "while_bytes") continue;
        const body = op.body;
        op.body = (params: Buffer, model: Buffer, arenaArg: Buffer) => {
            const inputs: Region[] = [];
            const outputs: Region[] = [];
            for (const t of op.inputs) {
                if (!t || t.isConst) continue;
                inputs.push({ offset: t.offset, length: t.bytes });
                if (t.isVariable) outputs.push({ offset: t.offset, length: t.bytes });
            }
            for (const t of op.outputs) outputs.push({ offset: t.offset, length: t.bytes });
            // Op state (Operator.paramPersistent) is read and written: an input and an output.
            op.persistentWords.forEach((w: number, j: number) => {
                const region = { offset: params.readInt32LE(4 * w), length: op.persistentSizes[j] };
                inputs.push(region);
                outputs.push(region);
            });
            // So is a resource variable (Operator.paramResource) a READ_VARIABLE or ASSIGN_VARIABLE copies.
            op.resourceWords.forEach((w: number, j: number) => {
                const region = { offset: params.readInt32LE(4 * w), length: Math.max(0, ip.model.resources[op.resourceIds[j]].bytes) };
                inputs.push(region);
                outputs.push(region);
            });
            const scratch: Region[] = op.scratchWords.map((w: number, j: number) =>
                ({ offset: params.readInt32LE(4 * w), length: op.scratchSizes[j] }));
            const paramsBefore = Buffer.from(params);
            const arenaBefore = Buffer.from(arenaArg);
            body(params, model, arenaArg);
            // An op may leave part of an output as it was (SignalEnergy writes only its bin
            // range), so the outputs' bytes before the call are part of what it starts from.
            const ins = mergeRegions(inputs.concat(outputs));
            const outs = mergeRegions(outputs);
            const scr = mergeRegions(scratch);
            for (let i = 0; i < arenaArg.length; i++)
                if (arenaArg[i] !== arenaBefore[i] && !inRegions(outs, i) && !inRegions(scr, i))
                    throw new Error(`${name}: ${op.describe()} (${op.bodyName}) wrote arena byte ${i}, outside its outputs and scratch`);
            const w = new Writer();
            w.u32(caseId);
            w.u32(invoke.count);
            w.u32(op.index);
            w.u32(modelId);
            const nameBytes = Buffer.from(op.bodyName, "ascii");
            w.u32(nameBytes.length);
            w.bytes(nameBytes);
            w.u32(params.length / 4);
            w.bytes(paramsBefore);
            w.bytes(params);
            w.u32(arenaArg.length);
            w.u32(ins.length);
            for (const r of ins) {
                w.u32(r.offset);
                w.u32(r.length);
                w.bytes(arenaBefore.subarray(r.offset, r.offset + r.length));
            }
            w.u32(outs.length);
            for (const r of outs) {
                w.u32(r.offset);
                w.u32(r.length);
                w.bytes(arenaArg.subarray(r.offset, r.offset + r.length));
            }
            w.u32(scr.length);
            for (const r of scr) {
                w.u32(r.offset);
                w.u32(r.length);
            }
            rec.out.record("CALL", w);
            summary.calls++;
            summary.bodies.set(op.bodyName, (summary.bodies.get(op.bodyName) || 0) + 1);
        };
    }
    return invoke;
}

/** As node/conformance.ts runRaw: one invoke, or one per window of a streamed input 0; the outputs appended. */
function runCaseInputs(ip: any, c: ConformanceCase, invoke: { count: number }): Buffer {
    const inputs = c.inputs.map((f) => fs.readFileSync(sharedPath(f)));
    const chunks: Buffer[] = [];
    const run = () => {
        ip.invoke();
        invoke.count++;
        for (let i = 0; i < ip.outputCount(); i++) chunks.push(Buffer.from(ip.outputBytes(i)));
    };
    if (c.stream_stride_bytes) {
        const window = ip.input(0).bytes;
        for (let off = 0; off + window <= inputs[0].length; off += c.stream_stride_bytes) {
            ip.setInputBytes(0, inputs[0].subarray(off, off + window));
            for (let i = 1; i < inputs.length; i++) ip.setInputBytes(i, inputs[i]);
            run();
        }
    } else {
        inputs.forEach((b, i) => ip.setInputBytes(i, b));
        run();
    }
    return Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------------------------
// Building and running the harness.

/** The result of one harness run over one recording. */
export interface HarnessRun {
    platform: string;
    recording: string;
    passed: number;
    failed: number;
    calls: number;
    callsFailed: number;
    /** Cases the board has no room for (their model, arena or a parameter block), with the harness's reason. */
    skipped: Map<string, string>;
    /** The harness's whole output (failing calls are listed there). */
    output: string;
}

/** Runs make in kernels/ for `targets`; throws with make's output when it fails. */
export function makeKernels(targets: string[], vars: string[] = []): string {
    const res = childProcess.spawnSync("make", ["-s", "-C", KERNELS, ...targets, ...vars], { encoding: "utf8", maxBuffer: 64 << 20 });
    const output = (res.stdout || "") + (res.stderr || "");
    if (res.status !== 0) throw new Error(`make ${targets.join(" ")} failed:\n${output}`);
    return output;
}

function parseHarness(platform: string, recording: string, output: string, status: number | null): HarnessRun {
    const cases = /^(\d+) passed, (\d+) failed$/m.exec(output);
    const calls = /^(\d+) calls: (\d+) passed, (\d+) failed$/m.exec(output);
    if (!cases || !calls) throw new Error(`${platform} harness (exit ${status}) printed no summary for ${recording}:\n${output.slice(-4000)}`);
    const skipped = new Map<string, string>();
    for (const m of output.matchAll(/^skip (\S+): does not fit this board: (.*)$/gm)) skipped.set(m[1], m[2]);
    return {
        platform, recording: path.basename(recording), passed: Number(cases[1]), failed: Number(cases[2]),
        calls: Number(calls[1]), callsFailed: Number(calls[3]), skipped, output,
    };
}

/** The host harness (ASan + UBSan) over `recording`. */
export function runHostHarness(recording: string, args: string[] = []): HarnessRun {
    const res = childProcess.spawnSync(path.join(NATIVE_BUILT, "harness-host"), [...args, recording],
        { encoding: "utf8", maxBuffer: 256 << 20 });
    return parseHarness("host", recording, (res.stdout || "") + (res.stderr || ""), res.status);
}

/**
 * Runs a harness ELF (below built/native) on a QEMU board ("mps2-an386", "microbit") with
 * semihosting and virtual time counting instructions (-icount shift=0); returns what it printed
 * and its exit status.
 */
export function runQemuHarness(machine: string, elf: string, args: string[], timeoutMs = 600000): { output: string; status: number | null } {
    const semihosting = ["enable=on", "target=native", "arg=harness", ...args.map((a) => "arg=" + a)].join(",");
    const res = childProcess.spawnSync("qemu-system-arm", ["-M", machine, "-nographic", "-monitor", "none", "-serial", "none",
        "-icount", "shift=0", "-semihosting-config", semihosting, "-kernel", path.join(NATIVE_BUILT, elf)],
        { encoding: "utf8", maxBuffer: 256 << 20, timeout: timeoutMs });
    if (res.error) throw new Error(`qemu-system-arm: ${res.error.message}`);
    return { output: (res.stdout || "") + (res.stderr || ""), status: res.status };
}

function runQemu(machine: string, platform: string, recording: string, elf: string, args: string[], timeoutMs: number): HarnessRun {
    const res = runQemuHarness(machine, elf, [...args, recording], timeoutMs);
    return parseHarness(platform, recording, res.output, res.status);
}

/**
 * A Cortex-M4 harness (built/native/<elf>) over `recording` on QEMU's mps2-an386, with virtual
 * time counting instructions (-icount shift=0) and the recording read through semihosting.
 */
export function runQemuM4(recording: string, elf = "harness-m4.elf", args: string[] = [], timeoutMs = 600000): HarnessRun {
    return runQemu("mps2-an386", "qemu-m4" + elf.replace(/^harness-m4/, "").replace(/\.elf$/, ""), recording, elf, args, timeoutMs);
}

/**
 * The Cortex-M0 harness (make m0) over `recording` on QEMU's microbit (nRF51: 16 KB of RAM; the
 * harness writes each model into flash), the same way.
 */
export function runQemuM0(recording: string, elf = "harness-m0.elf", args: string[] = [], timeoutMs = 600000): HarnessRun {
    return runQemu("microbit", "qemu-m0" + elf.replace(/^harness-m0/, "").replace(/\.elf$/, ""), recording, elf, args, timeoutMs);
}

/** Whether the registered bodies all have a C definition (the harness's -m); returns its report. */
export function missingBodies(): string[] {
    const res = childProcess.spawnSync(path.join(NATIVE_BUILT, "harness-host"), ["-m"], { encoding: "utf8" });
    return (res.stdout || "").split("\n").filter((l) => l.startsWith("missing ")).map((l) => l.slice(8));
}
