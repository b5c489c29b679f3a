// Instructions per invoke of every conformance model with the C kernels on QEMU's Cortex-M4
// (mps2-an386), portable C and the DSP path (kernels/dot.h), each at -O2 and -Os; and on QEMU's
// micro:bit (Cortex-M0, no DSP instructions: the portable C), for the models that fit its 16 KB
// of RAM and 128 KB of flash the harness leaves for models.
//
// QEMU runs with `-icount shift=0`: virtual time advances exactly 1 ns per instruction, and the
// harness reads a timer around each kernel call: on the M4 the board's 25 MHz CMSDK timer, one
// tick 40 instructions; on the micro:bit the nRF51's 16 MHz TIMER0, one tick 62.5 instructions.
// Each call is counted to within one tick (the timer reads themselves are inside the count, a
// few instructions). A model's figure is the sum over its
// calls in one invoke, averaged over the invokes of its conformance cases (the audio
// preprocessors: one 30 ms window per invoke). The replay is npm run test:native's
// (built/native/conformance.replay, recorded here when missing); every call is checked byte for
// byte while it is timed, and a build whose replay fails is reported, not timed.
//
// Beside them, TFLM's own instructions per invoke on the same emulated M4, with CMSIS-NN and with
// its reference kernels, and the same two on the same emulated micro:bit (micro_speech), when their
// programs are built (outside the project: tools/tflm-cmsis/).
//
//   node built/tools/native-bench.js           the instruction table
//   node built/tools/native-bench.js --calls   also the bodies of micro_speech and person_detect
//   node built/tools/native-bench.js --tflm    only ours (-O2) beside TFLM's, on the M4 and the M0
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { NATIVE_BUILT, RECORDING, REPO, makeKernels, recordConformance, runQemuM0, runQemuM4 } from "../node/replay";
import { conformanceCases, sharedPath } from "../node/conformance";

/** Instructions per timer tick under -icount shift=0: 1 ns each, over the timer's period. */
export const TICK_INSTRUCTIONS = { m4: 40, m0: 62.5 };

/**
 * TFLM itself on the emulated Cortex-M4, counted the same way as our kernels: programs built
 * outside this project by tools/tflm-cmsis/build.sh (TFLM's own makefile and its default flags,
 * with CMSIS-NN and with the reference kernels) run a model's conformance cases on QEMU's
 * mps2-an386 under -icount shift=0, invoke each twice and read the same APB timer around the
 * second invoke: the whole Invoke() and the sum over its operators' invoke functions (the kernels
 * alone, which is what our figure sums), and compare every output with TFLM's goldens. The
 * bench never builds them (that takes TFLM's and CMSIS-NN's sources); without them it says so.
 */
export const TFLM_ELF_DIR = process.env.TFLM_CMSIS_ELF_DIR || path.resolve(REPO, "..", "tflm-cmsis", "out");
export const TFLM_BUILDS = [
    { name: "TFLM + CMSIS-NN", elf: "tflm-cmsis_nn-m4.elf" },
    { name: "TFLM reference kernels", elf: "tflm-ref-m4.elf" },
];
export const TFLM_MODELS = ["micro_speech_quantized", "person_detect"];
/**
 * The same TFLM built for the emulated micro:bit (build.sh's cmsis_nn-m0 and ref-m0: Cortex-M0,
 * soft float, CMSIS-NN's portable C), run on QEMU's microbit the way our M0 figure is (TIMER0,
 * 62.5 instructions a tick). micro_speech only: person_detect cannot run there, for TFLM as for
 * us: its model (300,568 bytes) exceeds the 256 KB of flash, its arena (85,024 bytes in TFLM's
 * goldens' manifest) the 16 KB of RAM.
 */
export const TFLM_M0_BUILDS = [
    { name: "TFLM + CMSIS-NN", elf: "tflm-cmsis_nn-m0.elf" },
    { name: "TFLM reference kernels", elf: "tflm-ref-m0.elf" },
];
export const TFLM_M0_MODELS = ["micro_speech_quantized"];

/**
 * TFLM + CMSIS-NN's kernels on the same emulated Cortex-M4, instructions per invoke (timeTflm's
 * "ops" with tflm-cmsis_nn-m4.elf, measured 2026-12-06), written down so that the tests can hold
 * ours below them without TFLM's sources.
 */
export const TFLM_CMSIS_M4: { [model: string]: number } = { micro_speech_quantized: 1495470, person_detect: 22930024 };

/**
 * TFLM + CMSIS-NN's kernels on the emulated micro:bit (Cortex-M0), instructions per invoke
 * (timeTflm's "ops" with tflm-cmsis_nn-m0.elf on QEMU's microbit, measured 2026-12-06), written
 * down so that the tests can compare ours without TFLM's sources.
 */
export const TFLM_CMSIS_M0: { [model: string]: number } = { micro_speech_quantized: 2596203 };

export interface TflmTiming {
    /** Mean instructions of the second Invoke(), whole. */
    invoke: number;
    /** Mean instructions of its operators' invoke functions, summed. */
    ops: number;
    cases: number;
    /** Cases whose outputs differ from TFLM's goldens, or that did not run; with why. */
    failed: string[];
}

/** Runs one of the external TFLM programs on a model's conformance cases (see TFLM_ELF_DIR). */
export function timeTflm(elf: string, model: string, board: "m4" | "m0" = "m4"): TflmTiming {
    const cases = conformanceCases().filter((c) => path.basename(c.model, ".tflite") === model);
    if (!cases.length) throw new Error(`no conformance cases for ${model}`);
    const unsupported = cases.filter((c) => c.inputs.length !== 1 || c.stream_stride_bytes);
    if (unsupported.length) throw new Error(`${model}: the TFLM program runs one-input, unstreamed cases only`);
    // QEMU runs any other file as raw code, which need never stop.
    const head = Buffer.alloc(4);
    const fd = fs.openSync(elf, "r");
    fs.readSync(fd, head, 0, 4, 0);
    fs.closeSync(fd);
    if (!head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) throw new Error(`${elf} is not an ELF file`);
    // The program reads CASE_DIR/CASE.input0.bin and CASE_DIR/CASE.output.bin.
    const caseDir = path.dirname(sharedPath(cases[0].inputs[0]));
    const args = ["tflm_bench", sharedPath(cases[0].model), caseDir, ...cases.map((c) => c.case)];
    const bad = args.find((a) => /[, ]/.test(a));
    if (bad) throw new Error(`semihosting arguments cannot hold a comma or a space: ${bad}`);
    const machine = board === "m0" ? "microbit" : "mps2-an386";
    const res = childProcess.spawnSync("qemu-system-arm", ["-M", machine, "-nographic", "-monitor", "none", "-serial", "none",
        "-icount", "shift=0", "-semihosting-config", ["enable=on", "target=native", ...args.map((a) => "arg=" + a)].join(","),
        "-kernel", elf], { encoding: "utf8", maxBuffer: 64 << 20, timeout: 600000 });
    if (res.error) throw new Error(`qemu-system-arm: ${res.error.message}`);
    const output = (res.stdout || "") + (res.stderr || "");
    const failed: string[] = [];
    let invoke = 0, ops = 0, timed = 0;
    for (const line of output.split("\n")) {
        const f = line.trim().split(/\s+/);
        if (f[0] === "FAIL") failed.push(line.trim());
        if (f[0] !== "T" || f.length !== 8) continue;
        invoke += parseInt(f[3], 10);
        ops += parseInt(f[5], 10);
        timed++;
        if (f[7] !== "1") failed.push(`${f[1]}: output differs from TFLM's golden`);
    }
    if (timed + failed.length < cases.length) failed.push(`only ${timed} of ${cases.length} cases ran: ${output.trim().split("\n").slice(-3).join(" / ")}`);
    const tick = TICK_INSTRUCTIONS[board];
    return { invoke: timed ? (invoke / timed) * tick : NaN, ops: timed ? (ops / timed) * tick : NaN, cases: timed, failed };
}

/** Our figures beside TFLM's, or a line saying where to build TFLM's programs. */
export function tflmComparison(ours: { name: string; timing: Timing }[], dir = TFLM_ELF_DIR): string[] {
    const builds = TFLM_BUILDS.map((b) => ({ ...b, path: path.join(dir, b.elf) })).filter((b) => fs.existsSync(b.path));
    if (!builds.length) {
        return [`TFLM on the same emulated Cortex-M4: not measured, no ${TFLM_BUILDS.map((b) => b.elf).join(" or ")} in ${dir}`,
            "(build them outside the project with tools/tflm-cmsis/build.sh, see tools/tflm-cmsis/README.md; TFLM_CMSIS_ELF_DIR=... to look elsewhere)."];
    }
    const missing = TFLM_BUILDS.filter((b) => !builds.some((x) => x.elf === b.elf));
    const lines = [`TFLM on the same emulated Cortex-M4, counted the same way (programs in ${dir}, see tools/tflm-cmsis/README.md):`,
        "the second invoke of each conformance case, mean; \"kernels\" sums its operators' invoke functions, as ours sums our",
        "kernel calls; \"whole invoke\" is all of Invoke():", "",
        `| ${["model", ...ours.map((o) => "ours, " + o.name), ...builds.flatMap((b) => [`${b.name}, kernels`, `${b.name}, whole invoke`])].join(" | ")} |`,
        `|---|${[...ours, ...builds, ...builds].map(() => "---:").join("|")}|`];
    const notes: string[] = [];
    const cmsis = builds.find((b) => b.elf === TFLM_BUILDS[0].elf);
    const ratios: string[] = [];
    for (const model of TFLM_MODELS) {
        // A broken external program is reported, never allowed to stop the bench.
        const t = builds.map((b) => {
            try {
                return { b, t: timeTflm(b.path, model) };
            } catch (e) {
                return { b, t: { invoke: NaN, ops: NaN, cases: 0, failed: [(e as Error).message] } };
            }
        });
        for (const { b, t: r } of t) if (r.failed.length) notes.push(`${b.name}, ${model}: did not run, or NOT equal to TFLM's goldens (figures unusable): ${r.failed.join("; ")}`);
        lines.push(`| ${[model, ...ours.map((o) => formatCount(o.timing.perModel.get(model) ?? NaN)),
            ...t.flatMap(({ t: r }) => [formatCount(r.ops), formatCount(r.invoke)])].join(" | ")} |`);
        const c = t.find(({ b }) => b === cmsis);
        if (c && ours.length) ratios.push(`${model}: ${ours.map((o) => `${o.name} ${((o.timing.perModel.get(model) ?? NaN) / c.t.ops).toFixed(2)}`).join(", ")}`);
    }
    if (ratios.length) lines.push("", "ours / TFLM + CMSIS-NN's kernels (below 1: we take fewer instructions):", ...ratios.map((r) => "- " + r));
    if (missing.length) lines.push("", `not measured: ${missing.map((b) => `${b.name} (no ${path.join(dir, b.elf)})`).join(", ")}`);
    if (notes.length) lines.push("", ...notes);
    return lines;
}

/**
 * Our M0 figures beside TFLM's on the same emulated micro:bit (TFLM_M0_BUILDS), or, without its
 * programs, beside TFLM + CMSIS-NN's figure written down in TFLM_CMSIS_M0.
 */
export function tflmM0Comparison(ours: { name: string; timing: Timing }[], dir = TFLM_ELF_DIR): string[] {
    const builds = TFLM_M0_BUILDS.map((b) => ({ ...b, path: path.join(dir, b.elf) })).filter((b) => fs.existsSync(b.path));
    const oursOn = (o: { timing: Timing }, model: string) => o.timing.perModel.get(model) ?? NaN;
    if (!builds.length) {
        return [`TFLM on the same emulated micro:bit: not measured in this run, no ${TFLM_M0_BUILDS.map((b) => b.elf).join(" or ")} in ${dir}`,
            "(tools/tflm-cmsis/build.sh); TFLM + CMSIS-NN's kernels as written down in TFLM_CMSIS_M0:", "",
            ...TFLM_M0_MODELS.map((model) => `- ${model}: ${formatCount(TFLM_CMSIS_M0[model])}; ` +
                ours.map((o) => `ours, ${o.name}: ${formatCount(oursOn(o, model))} (${(oursOn(o, model) / TFLM_CMSIS_M0[model]).toFixed(2)} of it)`).join(", "))];
    }
    const lines = [`TFLM on the same emulated micro:bit (QEMU microbit, programs in ${dir}), counted the same way; person_detect`,
        "does not fit the board (a 300 KB model, an 85 KB arena), for TFLM as for us:", "",
        `| ${["model", ...ours.map((o) => "ours, " + o.name), ...builds.flatMap((b) => [`${b.name}, kernels`, `${b.name}, whole invoke`])].join(" | ")} |`,
        `|---|${Array(ours.length + 2 * builds.length).fill("---:").join("|")}|`];
    const notes: string[] = [];
    const ratios: string[] = [];
    for (const model of TFLM_M0_MODELS) {
        const t = builds.map((b) => {
            try {
                return { b, t: timeTflm(b.path, model, "m0") };
            } catch (e) {
                return { b, t: { invoke: NaN, ops: NaN, cases: 0, failed: [(e as Error).message] } as TflmTiming };
            }
        });
        for (const { b, t: r } of t) if (r.failed.length) notes.push(`${b.name} on the M0, ${model}: did not run, or NOT equal to TFLM's goldens (figures unusable): ${r.failed.join("; ")}`);
        lines.push(`| ${[model, ...ours.map((o) => formatCount(oursOn(o, model))), ...t.flatMap(({ t: r }) => [formatCount(r.ops), formatCount(r.invoke)])].join(" | ")} |`);
        const c = t.find(({ b }) => b.elf === TFLM_M0_BUILDS[0].elf);
        if (c) ratios.push(`${model}: ${ours.map((o) => `${o.name} ${(oursOn(o, model) / c.t.ops).toFixed(3)}`).join(", ")}`);
    }
    if (ratios.length) lines.push("", "ours / TFLM + CMSIS-NN's kernels on the M0 (below 1: we take fewer instructions):", ...ratios.map((r) => "- " + r));
    const missing = TFLM_M0_BUILDS.filter((b) => !builds.some((x) => x.elf === b.elf));
    if (missing.length) lines.push("", `not measured: ${missing.map((b) => `${b.name} (no ${path.join(dir, b.elf)})`).join(", ")}`);
    if (notes.length) lines.push("", ...notes);
    return lines;
}

export interface Variant { name: string; opt: string; dsp: boolean; board?: "m4" | "m0" }
export const VARIANTS: Variant[] = [
    { name: "portable C -O2", opt: "-O2", dsp: false },
    { name: "portable C -Os", opt: "-Os", dsp: false },
    { name: "DSP -O2", opt: "-O2", dsp: true },
    { name: "DSP -Os", opt: "-Os", dsp: true },
];
export const M0_VARIANTS: Variant[] = [
    { name: "M0 -O2", opt: "-O2", dsp: false, board: "m0" },
    { name: "M0 -Os", opt: "-Os", dsp: false, board: "m0" },
];

/** Builds the harness of a variant into built/native/<dir>; returns the ELF's path below built/native. */
export function buildVariant(v: Variant): string {
    if (v.board === "m0") {
        const dir = "m0" + v.opt;
        makeKernels(["m0"], ["M0_OPT=" + v.opt, "OUT=" + path.join(NATIVE_BUILT, dir)]);
        return path.join(dir, "harness-m0.elf");
    }
    const dir = "m4" + (v.dsp ? "-dsp" : "-portable") + v.opt;
    makeKernels(["m4"], ["ARM_OPT=" + v.opt, "ARM_DEFS=-DTFL_DSP=" + (v.dsp ? 1 : 0), "OUT=" + path.join(NATIVE_BUILT, dir)]);
    return path.join(dir, "harness-m4.elf");
}

export interface Timing {
    /** Mean instructions per invoke, by model. */
    perModel: Map<string, number>;
    /** Instructions per body over one invoke of one case per model: "model body" -> count. */
    perBody: Map<string, number>;
    /** Models the board has no room for, with the harness's reason. */
    skipped: Map<string, string>;
    ok: boolean;
}

/** Runs a harness with timing on the conformance recording and sums its "T case invoke op body ticks" lines. */
export function timeVariant(elf: string, recording = RECORDING, board: "m4" | "m0" = "m4"): Timing {
    const run = board === "m0" ? runQemuM0(recording, elf, ["-t"]) : runQemuM4(recording, elf, ["-t"]);
    const tick = TICK_INSTRUCTIONS[board];
    const perInvoke = new Map<string, number>();
    const perBody = new Map<string, number>();
    const firstCase = new Map<string, string>();
    for (const line of run.output.split("\n")) {
        const f = line.trim().split(/\s+/);
        if (f[0] !== "T" || f.length !== 6) continue;
        const ticks = parseInt(f[5], 10);
        const key = f[1] + " " + f[2];
        perInvoke.set(key, (perInvoke.get(key) || 0) + ticks);
        const model = f[1].split("/")[0];
        if (!firstCase.has(model)) firstCase.set(model, f[1]);
        if (firstCase.get(model) === f[1] && f[2] === "0") {
            const b = model + " " + f[4];
            perBody.set(b, (perBody.get(b) || 0) + ticks * tick);
        }
    }
    const sums = new Map<string, { ticks: number; invokes: number }>();
    for (const [key, ticks] of perInvoke) {
        const model = key.split("/")[0];
        const s = sums.get(model) || { ticks: 0, invokes: 0 };
        s.ticks += ticks;
        s.invokes++;
        sums.set(model, s);
    }
    const perModel = new Map<string, number>();
    for (const [model, s] of sums) perModel.set(model, (s.ticks / s.invokes) * tick);
    const skipped = new Map<string, string>();
    for (const [name, why] of run.skipped) skipped.set(name.split("/")[0], why);
    return { perModel, perBody, skipped, ok: run.failed === 0 && run.callsFailed === 0 };
}

export function formatCount(n: number): string {
    if (!isFinite(n)) return "-";
    return n >= 1e6 ? (n / 1e6).toFixed(2) + " M" : Math.round(n).toLocaleString("en-US");
}

/**
 * Records the conformance cases' kernel calls once per process: a recording left from an earlier
 * build holds the parameter blocks of that build's ABI, which crash today's harness.
 */
let recorded = false;
function recordOnce(): void {
    if (recorded) return;
    recordConformance(RECORDING);
    recorded = true;
}

export function nativeBenchTable(withCalls = false): string {
    recordOnce();
    const timings = VARIANTS.map((v) => timeVariant(buildVariant(v)));
    const models = [...timings[0].perModel.keys()].sort();
    const lines = [
        "Instructions per invoke, C kernels on the emulated Cortex-M4 (QEMU mps2-an386, -icount shift=0; +-40 per kernel call):",
        "",
        `| model | ${VARIANTS.map((v) => v.name).join(" | ")} |`,
        `|---|${VARIANTS.map(() => "---:").join("|")}|`,
    ];
    for (const m of models) lines.push(`| ${m} | ${timings.map((t) => formatCount(t.perModel.get(m) ?? NaN)).join(" | ")} |`);
    const failed = VARIANTS.filter((_, i) => !timings[i].ok).map((v) => v.name);
    if (failed.length) lines.push("", `NOT byte-exact in this run (figures unusable): ${failed.join(", ")}`);
    lines.push("", ...tflmComparison(VARIANTS.map((v, i) => ({ name: v.name, timing: timings[i] }))));
    const ms = "micro_speech_quantized";
    const m0 = M0_VARIANTS.map((v) => timeVariant(buildVariant(v), RECORDING, "m0"));
    lines.push("", "The same on the emulated micro:bit v1 (Cortex-M0, QEMU microbit, -icount shift=0; +-62.5 per kernel call),",
        "portable C (the M0 has no DSP instructions); a model the board has no room for is named with the reason:", "",
        `| model | ${M0_VARIANTS.map((v) => v.name).join(" | ")} |`, `|---|${M0_VARIANTS.map(() => "---:").join("|")}|`);
    for (const m of models) {
        const why = m0[0].skipped.get(m);
        if (why && !m0[0].perModel.has(m)) lines.push(`| ${m} | does not fit the 16 KB board: ${why} |${M0_VARIANTS.slice(1).map(() => " - |").join("")}`);
        else lines.push(`| ${m} | ${m0.map((t) => formatCount(t.perModel.get(m) ?? NaN)).join(" | ")} |`);
    }
    const m0Failed = M0_VARIANTS.filter((_, i) => !m0[i].ok).map((v) => v.name);
    if (m0Failed.length) lines.push("", `NOT byte-exact in this run (figures unusable): ${m0Failed.join(", ")}`);
    lines.push("", ...tflmM0Comparison(M0_VARIANTS.map((v, i) => ({ name: v.name, timing: m0[i] }))));
    if (withCalls) {
        for (const model of [ms, "person_detect"]) {
            const all = [...VARIANTS, ...M0_VARIANTS], allTimings = [...timings, ...m0];
            lines.push("", `${model}, instructions per body in one invoke:`, "", `| body | ${all.map((v) => v.name).join(" | ")} |`,
                `|---|${all.map(() => "---:").join("|")}|`);
            const bodies = [...timings[0].perBody.keys()].filter((k) => k.startsWith(model + " ")).map((k) => k.slice(model.length + 1));
            for (const b of bodies) lines.push(`| ${b} | ${allTimings.map((t) => formatCount(t.perBody.get(model + " " + b) ?? NaN)).join(" | ")} |`);
        }
    }
    return lines.join("\n");
}

/** Disassembly check used by the test: whether an ELF uses SMLAD (the DSP path). */
export function usesSmlad(elf: string): boolean {
    const dis = childProcess.execFileSync("arm-none-eabi-objdump", ["-d", path.join(NATIVE_BUILT, elf)], { encoding: "utf8", maxBuffer: 256 << 20 });
    return /\bsmlad\b/.test(dis);
}

/** Only the comparison with TFLM, ours at -O2 (on the M4 portable C and the DSP path; on the M0). */
export function tflmTable(): string {
    recordOnce();
    const ours = VARIANTS.filter((v) => v.opt === "-O2");
    const oursM0 = M0_VARIANTS.filter((v) => v.opt === "-O2");
    return [...tflmComparison(ours.map((v) => ({ name: v.name, timing: timeVariant(buildVariant(v)) }))), "",
        ...tflmM0Comparison(oursM0.map((v) => ({ name: v.name, timing: timeVariant(buildVariant(v), RECORDING, "m0") })))].join("\n");
}

if (require.main === module) {
    console.log(process.argv.includes("--tflm") ? tflmTable() : nativeBenchTable(process.argv.includes("--calls")));
}
