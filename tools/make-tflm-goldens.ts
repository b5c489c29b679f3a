// Makes the goldens in test/tflm-goldens/: generated single-op models run once through TensorFlow
// Lite Micro's own reference interpreter, their outputs kept as the expected bytes that
// test/tflm_goldens.test.ts holds our STS interpreter and C kernels to.
//
// TFLM is not built here: the runner is a small C++ program linked against TFLM's host
// libtensorflow-microlite.a, built outside the repository (path from TFLM_RUNNER, default
// /work/tflm/runner/tflm-runner; its usage: tflm-runner model.tflite out.bin input0.bin ...,
// printing "arena_used_bytes N"). The TFLM commit it was built from is given with TFLM_COMMIT
// or read from the file TFLM_COMMIT beside the runner, and goes into each manifest.
//
//   node built/tools/make-tflm-goldens.js [op ...]     (ops: mean, transpose_conv, sum, reduce_max, reduce_min; all when none is named)
//
// TFLM_GOLDENS_DIR writes them elsewhere than test/tflm-goldens.
//
// Not part of npm test: only the generated files are committed. Every case is drawn from a fixed
// seed, so running it again with the same TFLM writes the same bytes.
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Rand } from "../node/fuzz";
import { AxesPattern, reduceAxes } from "../node/axes-cases";
import * as flex from "flatbuffers/js/flexbuffers";
import { ModelSpec, singleOpModel, SingleOpSpec, TensorSpec, TypeName, writeModel } from "../node/model-writer";
import { addNDrafts, argMinMaxDrafts, compareDrafts, fillDrafts, logicalNotDrafts, selectDrafts, zerosLikeDrafts } from "./tflm-goldens-compare";
import { MATH_OPS } from "./tflm-goldens-math";
import { transposeConvDrafts } from "./tflm-goldens-transpose-conv";
import { MOVE_OPS } from "./tflm-goldens-move";
import { RESIZE_OPS } from "./tflm-goldens-resize";
import { SIGNAL_OPS, SIGNAL2_OPS } from "./tflm-goldens-signal";
import { MISC_OPS } from "./tflm-goldens-misc";
import { NORM_OPS } from "./tflm-goldens-norm";
import { DETECTION_OPS } from "./tflm-goldens-detection";
import { DECODE_OPS } from "./tflm-goldens-decode";
import { CIRCULAR_OPS } from "./tflm-goldens-circular";
import { CONTROL_OPS } from "./tflm-goldens-control";
import { LSTM_OPS } from "./tflm-goldens-lstm";
import { MATMUL_OPS } from "./tflm-goldens-matmul";

const REPO = path.resolve(__dirname, "..", "..");
export const GOLDENS_DIR = process.env.TFLM_GOLDENS_DIR || path.join(REPO, "test", "tflm-goldens");
const RUNNER = process.env.TFLM_RUNNER || "/work/tflm/runner/tflm-runner";

/** One golden as the manifest lists it: files relative to the op's folder. */
export interface GoldenCase {
    name: string;
    /** The branches of TFLM's kernel this case takes, as words the test and a reader can group by. */
    covers: string[];
    /** The op, its options and tensors in one line. */
    summary: string;
    model: string;
    inputs: string[];
    /** Every output's bytes, appended, after one invoke (after each of `invokes`, appended). */
    output: string;
    /** Invokes in sequence (stateful ops), each input file holding every invoke's bytes, appended; 1 when absent. */
    invokes?: number;
    /**
     * Per invoke, true where an op stopped it (TFLM's Invoke returned kTfLiteAbort: CIRCULAR_BUFFER
     * when not due); the outputs are then what the ops that ran left. Absent when every invoke ran to the end.
     */
    stopped?: boolean[];
    outputType: TypeName;
    /** TFLM's MicroInterpreter::arena_used_bytes() for the model, for reference. */
    tflmArenaBytes: number;
}

export interface GoldenManifest {
    op: string;
    tflmCommit: string;
    seed: number;
    generator: string;
    cases: GoldenCase[];
}

/** A case before TFLM ran it. */
export interface GoldenDraft {
    covers: string[];
    spec: SingleOpSpec;
    inputs: Buffer[];
    /** Invokes in sequence, each inputs[i] holding that many tensors' bytes; 1 when absent. */
    invokes?: number;
    /**
     * The runner zeroes the outputs first (its -z): for ops that leave parts of an output as they
     * were, which TFLM's Prepare has filled with its own bytes (our loaders' arenas start at 0).
     */
    zeroOutputs?: boolean;
    /** A model of several subgraphs, written instead of spec's single op (spec then gives only the output type). */
    model?: ModelSpec;
    /** The summary of such a model. */
    summary?: string;
}

// ---------------------------------------------------------------------------------------------
// MEAN. TFLM (kernels/reduce_common.cc, EvalMeanHelper; reference/reduce.h) distinguishes:
// - float32: a 4-D input with keep_dims and axes exactly [1, 2] or [2, 1] goes to the specialized
//   Mean(MeanParams, ...) (sums over H then W per batch and channel); any other goes to the generic
//   Mean<float, float>, which sums into the output in input order, then divides by the count;
// - int8 and int16: QuantizedMeanOrSum sums in int32, removes count input zero points and
//   rescales by input_scale / output_scale / count with the 1/count folded into the fixed-point
//   multiplier (the fold's shift clamped to 32 and to 31 + the multiplier's shift), then adds the
//   output zero point and saturates. Equal input and output quantization takes the same path
//   (multiplier 2^30, shift 1): the cases with the same scale and zero point check that.
// - axes: ResolveAxis makes negative axes positive and drops repeated ones; a scalar input
//   reduces nothing. TFLM takes any number of axes.

const AXES_PATTERNS: AxesPattern[] = ["hw4d", "hw4d-reversed", "single", "negative", "repeated", "all", "three-or-more", "scalar-axis-tensor"];

type MeanQuant = "float" | "same" | "different" | "extreme-ratio";

function quantOf(rand: Rand, type: TypeName, kind: MeanQuant): { input: Partial<TensorSpec>; output: Partial<TensorSpec> } {
    if (kind === "float") return { input: {}, output: {} };
    const zeroPoint = () => (type === "int16" ? 0 : rand.zeroPoint(type));
    const input = { scale: rand.scale(-8, 0), zeroPoint: zeroPoint() };
    if (kind === "same") return { input, output: { ...input } };
    if (kind === "different") {
        // Sometimes only one of scale and zero point differs.
        const which = rand.int(0, 2);
        const scale = which === 1 ? input.scale : rand.scale(-8, 0);
        const zp = which === 2 || type === "int16" ? input.zeroPoint : zeroPoint();
        return { input, output: { scale: scale === input.scale && zp === input.zeroPoint ? Math.fround(scale * 1.5) : scale, zeroPoint: zp } };
    }
    // Ratios far from 1: outputs that saturate, and a fold shift clamped at 31 + the multiplier's shift.
    const ratio = rand.pick([2 ** 9, 2 ** 12, 2 ** -20, 2 ** -27]);
    return { input, output: { scale: Math.fround(input.scale / ratio * (1 + rand.next() / 4)), zeroPoint: zeroPoint() } };
}

type ReduceOp = "MEAN" | "SUM" | "REDUCE_MAX" | "REDUCE_MIN";

function meanDraft(rand: Rand, type: TypeName, quant: MeanQuant, keepDims: boolean, pattern: AxesPattern, op: ReduceOp = "MEAN"): GoldenDraft {
    const { shape, axes, axesShape } = reduceAxes(rand, pattern, 600, 6);
    const rank = shape.length;
    const reduced = new Set(rank === 0 ? [] : axes.map((a) => (a < 0 ? a + rank : a)));
    const out = keepDims ? shape.map((d, i) => (reduced.has(i) ? 1 : d)) : shape.filter((_, i) => !reduced.has(i));
    const q = quantOf(rand, type, quant);
    const spec: SingleOpSpec = {
        op, options: { keepDims },
        inputs: [{ shape, type, ...q.input }, { shape: axesShape, type: "int32", data: axes }],
        outputs: [{ shape: out, type, ...q.output }],
    };
    const count = shape.filter((_, i) => reduced.has(i)).reduce((a, b) => a * b, 1);
    const covers = [type, quant === "float" ? "float" : quant + "-quantization", keepDims ? "keep-dims" : "no-keep-dims", pattern,
        `${reduced.size}-axes-reduced`, `rank-${rank}`];
    if (op === "MEAN" && type === "float32" && keepDims && rank === 4 && (pattern === "hw4d" || pattern === "hw4d-reversed")) covers.push("float-4d-hw-special-case");
    if (count >= 64) covers.push("count>=64");
    return { covers, spec, inputs: [rand.bytes(type, shape.length ? shape : [1], 4)] };
}

function meanDrafts(rand: Rand): GoldenDraft[] {
    const drafts: GoldenDraft[] = [];
    const patterns: AxesPattern[] = [...AXES_PATTERNS, "scalar-input"];
    for (const type of ["float32", "int8", "int16"] as TypeName[]) {
        const quants: MeanQuant[] = type === "float32" ? ["float"] : ["same", "different"];
        for (const quant of quants)
            for (const keepDims of [true, false])
                for (const pattern of patterns) {
                    const n = pattern === "scalar-input" ? 1 : type === "float32" ? 3 : 2;
                    for (let k = 0; k < n; k++) drafts.push(meanDraft(rand, type, quant, keepDims, pattern));
                }
        if (type !== "float32")
            for (const pattern of ["single", "all", "three-or-more", "hw4d"] as AxesPattern[])
                for (let k = 0; k < 2; k++) drafts.push(meanDraft(rand, type, "extreme-ratio", rand.chance(0.5), pattern));
    }
    return drafts;
}

// SUM, REDUCE_MAX, REDUCE_MIN share MEAN's axes handling in TFLM (reduce_common.cc). SUM float32
// is ReduceGeneric (sums in input order), SUM int8/int16 is QuantizedMeanOrSum without the 1/count
// fold; REDUCE_MAX/MIN are ReduceGeneric for float32 and int8, int8 only with equal input and
// output quantization (Eval fails otherwise), no int16. TFLM has no REDUCE_PROD.
function reduceDrafts(op: ReduceOp): (rand: Rand) => GoldenDraft[] {
    return (rand) => {
        const drafts: GoldenDraft[] = [];
        const types: TypeName[] = op === "SUM" ? ["float32", "int8", "int16"] : ["float32", "int8"];
        for (const type of types) {
            const quants: MeanQuant[] = type === "float32" ? ["float"] : op === "SUM" ? ["same", "different", "extreme-ratio"] : ["same"];
            for (const quant of quants)
                for (const keepDims of [true, false])
                    for (const pattern of AXES_PATTERNS) drafts.push(meanDraft(rand, type, quant, keepDims, pattern, op));
        }
        return drafts;
    };
}

const OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {
    mean: { seed: 20261206, drafts: meanDrafts },
    transpose_conv: { seed: 20261207, drafts: transposeConvDrafts },
    sum: { seed: 20261210, drafts: reduceDrafts("SUM") },
    reduce_max: { seed: 20261211, drafts: reduceDrafts("REDUCE_MAX") },
    reduce_min: { seed: 20261212, drafts: reduceDrafts("REDUCE_MIN") },
    ...MATH_OPS,
    ...MOVE_OPS,
    ...RESIZE_OPS,
    ...SIGNAL_OPS,
    ...SIGNAL2_OPS,
    ...MISC_OPS,
    ...NORM_OPS,
    ...DETECTION_OPS,
    ...DECODE_OPS,
    ...CIRCULAR_OPS,
    ...CONTROL_OPS,
    ...LSTM_OPS,
    ...MATMUL_OPS,
    equal: { seed: 20261301, drafts: compareDrafts("EQUAL") },
    not_equal: { seed: 20261302, drafts: compareDrafts("NOT_EQUAL") },
    less: { seed: 20261303, drafts: compareDrafts("LESS") },
    less_equal: { seed: 20261304, drafts: compareDrafts("LESS_EQUAL") },
    greater: { seed: 20261305, drafts: compareDrafts("GREATER") },
    greater_equal: { seed: 20261306, drafts: compareDrafts("GREATER_EQUAL") },
    logical_and: { seed: 20261307, drafts: compareDrafts("LOGICAL_AND") },
    logical_or: { seed: 20261308, drafts: compareDrafts("LOGICAL_OR") },
    logical_not: { seed: 20261309, drafts: logicalNotDrafts },
    zeros_like: { seed: 20261310, drafts: zerosLikeDrafts },
    fill: { seed: 20261311, drafts: fillDrafts },
    select_v2: { seed: 20261312, drafts: selectDrafts },
    arg_max: { seed: 20261313, drafts: argMinMaxDrafts("ARG_MAX") },
    arg_min: { seed: 20261314, drafts: argMinMaxDrafts("ARG_MIN") },
    add_n: { seed: 20261315, drafts: addNDrafts },
};

// ---------------------------------------------------------------------------------------------

function toArrayBuffer(b: Buffer): ArrayBuffer {
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
}

function describe(s: SingleOpSpec): string {
    const t = (x: TensorSpec | null) => (x === null ? "-" : `${x.type}[${x.shape}]` +
        (x.scale !== undefined ? ` s=${x.scale} z=${x.zeroPoint}` : "") +
        (x.data !== undefined ? ` const ${JSON.stringify(Array.from(x.data as ArrayLike<number>))}` : ""));
    // A custom op: its name and its FlexBuffer options.
    const op = s.customCode ? `${s.customCode} ${JSON.stringify(s.customOptions ? flex.toObject(toArrayBuffer(s.customOptions)) : {})}`
        : `${s.op} ${JSON.stringify(s.options ?? {})}`;
    return `${op} in: ${s.inputs.map(t).join("; ")} out: ${s.outputs.map(t).join("; ")}`;
}

function runTflm(dir: string, model: Buffer, inputs: Buffer[], invokes = 1, zeroOutputs = false): { output: Buffer; arenaBytes: number; stopped: boolean[] } {
    const modelFile = path.join(dir, "model.tflite");
    fs.writeFileSync(modelFile, model);
    const inputFiles = inputs.map((b, i) => {
        const f = path.join(dir, `in${i}.bin`);
        fs.writeFileSync(f, b);
        return f;
    });
    const outFile = path.join(dir, "out.bin");
    const res = childProcess.spawnSync(RUNNER, [...(zeroOutputs ? ["-z"] : []), ...(invokes > 1 ? ["-n", String(invokes)] : []), modelFile, outFile, ...inputFiles],
        { encoding: "utf8" });
    if (res.error) throw new Error(`cannot run the TFLM runner ${RUNNER}: ${res.error.message} (set TFLM_RUNNER)`);
    if (res.status !== 0) throw new Error(`the TFLM runner failed (status ${res.status}):\n${res.stdout}${res.stderr}`);
    const m = /arena_used_bytes (\d+)/.exec(res.stdout);
    if (!m) throw new Error(`the TFLM runner did not print arena_used_bytes:\n${res.stdout}`);
    // The runner prints "invoke_status K ok|abort" for each invoke.
    const stopped = Array.from(res.stdout.matchAll(/invoke_status (\d+) (ok|abort)/g), (s) => s[2] === "abort");
    if (stopped.length !== invokes) throw new Error(`the TFLM runner printed ${stopped.length} invoke statuses for ${invokes} invokes:\n${res.stdout}`);
    return { output: fs.readFileSync(outFile), arenaBytes: Number(m[1]), stopped };
}

function tflmCommit(): string {
    if (process.env.TFLM_COMMIT) return process.env.TFLM_COMMIT;
    const file = path.join(path.dirname(RUNNER), "TFLM_COMMIT");
    if (!fs.existsSync(file)) throw new Error(`no TFLM commit: set TFLM_COMMIT or write it into ${file}`);
    return fs.readFileSync(file, "utf8").trim();
}

function makeGoldens(op: string): GoldenManifest {
    const def = OPS[op];
    if (!def) throw new Error(`no golden generator for op "${op}"; known: ${Object.keys(OPS).join(", ")}`);
    const outDir = path.join(GOLDENS_DIR, op);
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tflm-goldens-"));
    const manifest: GoldenManifest = {
        op: op.toUpperCase(), tflmCommit: tflmCommit(), seed: def.seed, generator: "tools/make-tflm-goldens.ts", cases: [],
    };
    def.drafts(new Rand(def.seed)).forEach((d, i) => {
        const name = `${op}${String(i).padStart(3, "0")}`;
        const model = d.model ? writeModel(d.model) : singleOpModel(d.spec);
        const run = runTflm(scratch, model, d.inputs, d.invokes ?? 1, d.zeroOutputs ?? false);
        fs.writeFileSync(path.join(outDir, `${name}.tflite`), model);
        const inputs = d.inputs.map((b, k) => {
            const f = `${name}.in${k}.bin`;
            fs.writeFileSync(path.join(outDir, f), b);
            return f;
        });
        fs.writeFileSync(path.join(outDir, `${name}.out.bin`), run.output);
        manifest.cases.push({
            name, covers: d.covers, summary: d.summary ?? describe(d.spec), model: `${name}.tflite`, inputs, output: `${name}.out.bin`,
            outputType: d.spec.outputs[0].type as TypeName, tflmArenaBytes: run.arenaBytes,
            ...(d.invokes && d.invokes > 1 ? { invokes: d.invokes } : {}),
            ...(run.stopped.includes(true) ? { stopped: run.stopped } : {}),
        });
    });
    fs.rmSync(scratch, { recursive: true, force: true });
    // One line per case: the manifest stays readable and half the size of an indented one.
    const { cases, ...head } = manifest;
    const text = JSON.stringify(head, null, 1).replace(/\n}$/, ',\n "cases": [\n') +
        cases.map((c) => "  " + JSON.stringify(c)).join(",\n") + "\n ]\n}\n";
    fs.writeFileSync(path.join(outDir, "manifest.json"), text);
    return manifest;
}

if (require.main === module) {
    const ops = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(OPS);
    for (const op of ops) {
        const m = makeGoldens(op);
        const counts = new Map<string, number>();
        for (const c of m.cases) for (const w of c.covers) counts.set(w, (counts.get(w) ?? 0) + 1);
        console.log(`${op}: ${m.cases.length} cases (TFLM ${m.tflmCommit})`);
        for (const [w, n] of [...counts].sort()) console.log(`  ${w}: ${n}`);
    }
}
