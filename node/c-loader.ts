// The C loader (kernels/loader.c) beside the STS one (libs/tflite): the board loads models in C,
// the simulator and Node in STS, and both must give every operator the same body and the same
// parameter block, word for word, and plan the same arena. kernels/host/loader_tool.c runs the C
// loader on the host (with AddressSanitizer and UBSan); stsLoaderDump() prints the STS loader's
// result in the same format.
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { conformanceCases, sharedPath } from "./conformance";
import { generatedModels, mutate, mutateSpec, prng } from "./fuzz";
import { makeKernels, NATIVE_BUILT, REPO, runQemuHarness } from "./replay";
import { LoaderResult, stsErrorDump, stsInterpreterDump } from "./loader-dump";
import { loadTflite } from "./sts-runtime";

export { LoaderResult };

// TFL_LOADER_OUT builds and runs the tool elsewhere (several builds at once).
const LOADER_OUT = process.env.TFL_LOADER_OUT || NATIVE_BUILT;
export const LOADER_TOOL = path.join(LOADER_OUT, "loader-tool");
/** The tool built as the board's default build is: only the built-in models' kernels (TINYML_ALL_OPS=0). */
export const CORE_LOADER_TOOL = path.join(LOADER_OUT, "core", "loader-tool");

/**
 * Builds built/native/loader-tool (kernels/Makefile's loader-tool target), every op in; with
 * `core`, built/native/core/loader-tool, the board's default set of kernels.
 */
export function buildLoaderTool(opts: { core?: boolean } = {}): string {
    if (opts.core) {
        makeKernels(["loader-tool", "OUT=" + path.dirname(CORE_LOADER_TOOL), "TINYML_ALL_OPS=0"]);
        return CORE_LOADER_TOOL;
    }
    makeKernels(["loader-tool", "OUT=" + LOADER_OUT]);
    return LOADER_TOOL;
}

/** kernels/host/loader_tool.c and the C loader at the firmware's flags (newlib), for QEMU's mps2-an386. */
export const BOARD_LOADER_TOOL = path.join(NATIVE_BUILT, "board", "loader-tool.elf");

export function buildBoardLoaderTool(): string {
    makeKernels(["-j" + Math.max(1, os.cpus().length), "loader-tool-board"]);
    return BOARD_LOADER_TOOL;
}

/** The board-built C loader's dump of each model, run on QEMU's Cortex-M4 in one go. */
export function boardLoaderDumps(models: Buffer[]): LoaderResult[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "board-loader-"));
    const files = models.map((m, i) => {
        const f = path.join(dir, `m${i}.tflite`);
        fs.writeFileSync(f, m);
        return f;
    });
    const list = path.join(dir, "list");
    fs.writeFileSync(list, files.join("\n") + "\n");
    const run = runQemuHarness("mps2-an386", path.relative(NATIVE_BUILT, BOARD_LOADER_TOOL), ["dumps", list], 600000);
    if (run.status !== 0) throw new Error(`loader-tool.elf failed on QEMU (status ${run.status}):\n${run.output.slice(-2000)}`);
    const parts = run.output.split(/^model \S+\n/m).slice(1);
    if (parts.length !== models.length) throw new Error(`loader-tool.elf dumped ${parts.length} of ${models.length} models:\n${run.output.slice(-2000)}`);
    fs.rmSync(dir, { recursive: true, force: true });
    return parts.map((t) => ({ ok: !t.startsWith("error "), text: t.trimEnd() }));
}

let scratchDir = "";
function scratchFile(name: string): string {
    if (!scratchDir) scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), "c-loader-"));
    return path.join(scratchDir, name);
}

/** Runs the C loader on `model` and returns its dump. */
export function cLoaderDump(model: Buffer, tool = LOADER_TOOL): LoaderResult {
    const file = scratchFile("model.tflite");
    fs.writeFileSync(file, model);
    const res = childProcess.spawnSync(tool, ["dump", file], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (res.status !== 0 && res.status !== 1)
        throw new Error(`loader-tool crashed (status ${res.status}, signal ${res.signal}) on a ${model.length}-byte model:\n${res.stdout}${res.stderr}`);
    if (res.stderr.trim()) throw new Error(`loader-tool wrote to stderr:\n${res.stderr}`);
    return { ok: res.status === 0, text: res.stdout.trimEnd() };
}

/** Loads `model` with the STS loader (every kernel registered) and prints what loader_tool's dump prints. */
export function stsLoaderDump(model: Buffer): LoaderResult {
    const tflite = loadTflite();
    let ip: any;
    try {
        ip = new tflite.StsInterpreter(model);
    } catch (e) {
        return stsErrorDump(e);
    }
    return stsInterpreterDump(ip);
}

/** Runs `model` through the C loader and kernels: the raw outputs of each invoke, appended. */
export function cLoaderRun(model: Buffer, inputs: Buffer[], strideBytes = 0): Buffer {
    const modelFile = scratchFile("run.tflite");
    fs.writeFileSync(modelFile, model);
    const files = inputs.map((b, i) => {
        const f = scratchFile(`in${i}.bin`);
        fs.writeFileSync(f, b);
        return f;
    });
    const out = scratchFile("out.bin");
    const args = ["run", modelFile, ...(strideBytes ? ["-s", String(strideBytes)] : []), out, ...files];
    const res = childProcess.spawnSync(LOADER_TOOL, args, { encoding: "utf8", maxBuffer: 64 << 20 });
    if (res.status !== 0) throw new Error(`loader-tool run failed (status ${res.status}):\n${res.stdout}${res.stderr}`);
    return fs.readFileSync(out);
}

/** A model both loaders saw and did not agree on. */
export interface LoaderDifference { name: string; c: string; sts: string }

export interface LoaderComparison {
    /** Models both loaded identically, and models both rejected. */
    same: number;
    rejected: number;
    differences: LoaderDifference[];
    /** Rejections whose texts differ (both loaders refused; the messages are only reported). */
    otherMessages: number;
}

/** Compares the two loaders on one model and adds the verdict to `res`. */
export function compareOne(name: string, model: Buffer, res: LoaderComparison): void {
    const c = cLoaderDump(model);
    const sts = stsLoaderDump(model);
    if (c.ok !== sts.ok || (c.ok && c.text !== sts.text)) res.differences.push({ name, c: c.text, sts: sts.text });
    else if (c.ok) res.same++;
    else {
        res.rejected++;
        if (c.text !== sts.text) res.otherMessages++;
    }
}

/** Every model file we have: TFLM's (../shared) and the project's own (models/). */
export function knownModels(): { name: string; model: Buffer }[] {
    const files = new Set<string>(conformanceCases().map((c) => sharedPath(c.model)));
    for (const f of fs.readdirSync(path.join(REPO, "models"))) if (f.endsWith(".tflite")) files.add(path.join(REPO, "models", f));
    return [...files].sort().map((f) => ({ name: path.basename(f), model: fs.readFileSync(f) as Buffer }));
}

/**
 * The two loaders on the known models, generated single-op models (seeds 1..seeds, perKind each),
 * `mutants` byte-level mutants and `specMutants` semantic mutants (fixed seed), optionally only
 * the generated kinds whose name matches `kinds`.
 */
export function compareLoaders(opts: { seeds: number; perKind: number; mutants: number; specMutants: number; kinds?: RegExp; seed?: number }): LoaderComparison {
    const res: LoaderComparison = { same: 0, rejected: 0, differences: [], otherMessages: 0 };
    const bases = knownModels();
    for (let seed = 1; seed <= opts.seeds; seed++)
        for (const g of generatedModels(seed, opts.perKind)) if (!opts.kinds || opts.kinds.test(g.name)) bases.push(g);
    for (const b of bases) compareOne(b.name, b.model, res);
    const rand = prng(opts.seed || 20261205);
    for (let i = 0; i < opts.mutants; i++) {
        const base = bases[i % bases.length];
        compareOne(`byte mutant ${i} of ${base.name}`, mutate(base.model, rand), res);
    }
    for (let i = 0; i < opts.specMutants; i++) {
        const base = bases[i % bases.length];
        const m = mutateSpec(base.model, rand);
        if (m) compareOne(`mutant ${i} of ${base.name}: ${m.change}`, m.model, res);
    }
    return res;
}
