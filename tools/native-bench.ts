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
//   node built/tools/native-bench.js           the instruction table
//   node built/tools/native-bench.js --calls   also the bodies of micro_speech and person_detect
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { NATIVE_BUILT, RECORDING, makeKernels, recordConformance, runQemuM0, runQemuM4 } from "../node/replay";

/** Instructions per timer tick under -icount shift=0: 1 ns each, over the timer's period. */
export const TICK_INSTRUCTIONS = { m4: 40, m0: 62.5 };

/**
 * TFLM on the same emulated boards, micro_speech per invoke, for scale: figures measured outside
 * this project and written down here, not rebuilt by this benchmark. The M4's TFLM + CMSIS-NN
 * figure is issue 13's side-by-side measurement (TFLM HEAD with CMSIS-NN in its default build,
 * kernels and CMSIS-NN at -O2, linked into an mps2-an386 program, the second invoke timed with
 * the APB timer under -icount shift=0; person_detect 22.6 M the same way); an earlier 2.39 M came
 * from another build and overstated our lead.
 */
export const TFLM_MICRO_SPEECH = {
    m4: [
        { build: "TFLM reference kernels, -Os", instructions: 17.8e6 },
        { build: "TFLM reference kernels, -O2", instructions: 9.3e6 },
        { build: "TFLM + CMSIS-NN (issue 13's side-by-side build)", instructions: 1.48e6 },
    ],
    m0: [
        { build: "TFLM reference kernels", instructions: 22.5e6 },
        { build: "TFLM + CMSIS-NN", instructions: 4.14e6 },
    ],
};

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

export function nativeBenchTable(withCalls = false): string {
    if (!fs.existsSync(RECORDING)) recordConformance(RECORDING);
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
    lines.push("", "micro_speech for scale, same emulated Cortex-M4:");
    for (const t of TFLM_MICRO_SPEECH.m4) lines.push(`- ${t.build}: ${formatCount(t.instructions)}`);
    const ms = "micro_speech_quantized";
    VARIANTS.forEach((v, i) => {
        const ours = timings[i].perModel.get(ms)!;
        lines.push(`- ours, ${v.name}: ${formatCount(ours)} (CMSIS-NN's / ours: ${(TFLM_MICRO_SPEECH.m4[2].instructions / ours).toFixed(2)})`);
    });
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
    lines.push("", "micro_speech for scale, same emulated Cortex-M0:");
    for (const t of TFLM_MICRO_SPEECH.m0) lines.push(`- ${t.build}: ${formatCount(t.instructions)}`);
    M0_VARIANTS.forEach((v, i) => {
        const ours = m0[i].perModel.get(ms)!;
        lines.push(`- ours, ${v.name}: ${formatCount(ours)} (CMSIS-NN's / ours: ${(TFLM_MICRO_SPEECH.m0[1].instructions / ours).toFixed(2)})`);
    });
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

if (require.main === module) console.log(nativeBenchTable(process.argv.includes("--calls")));
