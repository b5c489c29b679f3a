// Speed on the board: the built-in gesture model and keyword spotting, run the way the micro:bit v2
// runs them (the C loader, kernels/loader.c: tfl_load, tfl_write_state, tfl_invoke; the C kernels)
// and built with the firmware's own C flags (CODAL: -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16
// -mfloat-abi=softfp -O2 -ffunction-sections -fdata-sections -std=c99), on QEMU's Cortex-M4
// (mps2-an386, -icount shift=0: 1 ns per instruction, 40 per timer tick). kernels/board_bench.c
// does the work (make board-bench); this prints per model the instructions of its second invoke,
// its invokes per second on the board (the libraries' defaults, read from their source), and the
// share of the 64 MHz CPU that takes; and the flash (text) of the linked loader and kernels.
//
//   node built/tools/board-bench.js [--clip yes_1000ms]
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makeKernels, NATIVE_BUILT, REPO, runQemuHarness } from "../node/replay";
import { sharedPath } from "../node/conformance";
import { modelLabels } from "./speech-models";

const CPU_HZ = 64e6;
// The board's default build: the built-in models' kernels only (TINYML_ALL_OPS=0, kernels/loader.h).
const BOARD_DIR = path.join(NATIVE_BUILT, "board-default");
const MODELS = {
    gesture: path.join(REPO, "models", "gesture.tflite"),
    frontEnd: path.join(REPO, "models", "keyword_frontend.tflite"),
    keyword: path.join(REPO, "models", "keyword.tflite"),
};

/** A number in an STS source file, by a regular expression with one group. */
function sourceNumber(file: string, re: RegExp): number {
    const m = re.exec(fs.readFileSync(path.join(REPO, file), "utf8"));
    if (!m) throw new Error(`board-bench: ${re} not found in ${file}`);
    return Number(m[1]);
}

/** How often the board invokes each model, by default (libs/gestures, libs/speech). */
export function invokeRates(): { gesture: number; frontEnd: number; keyword: number; gestureMs: number; frameMs: number; keywordMs: number } {
    const gestureMs = sourceNumber("libs/gestures/blocks.ts", /let intervalMs = (\d+)/);
    const frameMs = sourceNumber("libs/speech/features.ts", /export const FRAME_STEP_MS = (\d+)/);
    const keywordMs = frameMs * sourceNumber("libs/speech/spotter.ts", /this\.invokeEveryFrames = (\d+)/);
    return { gesture: 1000 / gestureMs, frontEnd: 1000 / frameMs, keyword: 1000 / keywordMs, gestureMs, frameMs, keywordMs };
}

export interface BoardRun {
    /** Instructions per invoke, by model name and invoke number. */
    invokes: Map<string, number[]>;
    /** The loader's instructions and the state's bytes, by model. */
    loads: Map<string, { stateBytes: number; instructions: number }>;
    /** The int8 output after the last invoke, by model. */
    outputs: Map<string, number[]>;
}

/** Builds kernels/board_bench.c (make board-bench) and runs it on QEMU's Cortex-M4 with `clip`. */
export function runBoardBench(clip = "yes_1000ms"): BoardRun {
    makeKernels(["-j" + Math.max(1, os.cpus().length), "board-bench", "TINYML_ALL_OPS=0", "BOARD_OUT=" + BOARD_DIR]);
    const args = [MODELS.gesture, MODELS.frontEnd, MODELS.keyword, sharedPath(path.join("audio", clip + ".wav"))];
    for (const a of args) if (/[, ]/.test(a)) throw new Error(`board-bench: QEMU's semihosting arguments cannot hold "${a}"`);
    const run = runQemuHarness("mps2-an386", path.join(path.basename(BOARD_DIR), "board-bench.elf"), args, 120000);
    if (run.status !== 0 || !/^done$/m.test(run.output)) throw new Error(`board-bench failed (exit ${run.status}):\n${run.output.slice(-2000)}`);
    const res: BoardRun = { invokes: new Map(), loads: new Map(), outputs: new Map() };
    for (const line of run.output.split("\n")) {
        const f = line.trim().split(/\s+/);
        if (f[0] === "invoke" && f.length === 5) {
            const list = res.invokes.get(f[1]) || [];
            list[Number(f[2])] = Number(f[4]);
            res.invokes.set(f[1], list);
        } else if (f[0] === "model" && f.length === 6) res.loads.set(f[1], { stateBytes: Number(f[3]), instructions: Number(f[5]) });
        else if (f[0] === "output") res.outputs.set(f[1], f.slice(2).map(Number));
    }
    return res;
}

/** Text bytes of built/native/board/loader-kernels.elf, and by part from its map file. */
export function loaderKernelsFlash(): { total: number; loader: number; kernels: number; toolchain: number } {
    const elf = path.join(BOARD_DIR, "loader-kernels.elf");
    const line = childProcess.execFileSync("arm-none-eabi-size", [elf], { encoding: "utf8" }).trim().split("\n")[1];
    const total = parseInt(line.trim().split(/\s+/)[0], 10);
    const map = fs.readFileSync(path.join(BOARD_DIR, "loader-kernels.map"), "utf8");
    const lines = map.slice(map.indexOf("Linker script and memory map")).split("\n");
    const parts = { loader: 0, kernels: 0, toolchain: 0 };
    for (let i = 0; i < lines.length; i++) {
        // " .text.name 0xADDR 0xSIZE file", the name alone on its line when long.
        let m = /^ \.(?:text|rodata|ARM\.exidx)\S*\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+)/.exec(lines[i]);
        if (!m && /^ \.(?:text|rodata|ARM\.exidx)\S*$/.test(lines[i])) m = /^\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+)/.exec(lines[i + 1] || "");
        if (!m) continue;
        const size = parseInt(m[1], 16), file = m[2];
        if (file.startsWith(BOARD_DIR + path.sep)) {
            const name = path.basename(file);
            if (name === "loader.o" || name.startsWith("prepare_")) parts.loader += size;
            else parts.kernels += size;
        } else parts.toolchain += size;
    }
    return { total, ...parts };
}

function fmt(n: number): string {
    return Math.round(n).toLocaleString("en-US");
}

export function boardBenchTable(clip = "yes_1000ms"): string {
    const run = runBoardBench(clip);
    const rates = invokeRates();
    const second = (name: string) => {
        const v = run.invokes.get(name)?.[1];
        if (v === undefined) throw new Error("board-bench printed no second invoke of " + name);
        return v;
    };
    const rows = [
        { what: `gesture (models/gesture.tflite), input zeros, every ${rates.gestureMs} ms`, n: second("gesture"), rate: rates.gesture },
        { what: `keyword front end (models/keyword_frontend.tflite), one ${rates.frameMs} ms frame of ${clip}`, n: second("keyword_frontend"), rate: rates.frontEnd },
        { what: `keyword model (models/keyword.tflite), 1 s of ${clip}'s features, every ${rates.keywordMs} ms`, n: second("keyword"), rate: rates.keyword },
    ];
    const pct = (perSecond: number) => (100 * perSecond / CPU_HZ).toFixed(1) + "%";
    const out = [
        "Speed on the board: the C loader + kernels as the micro:bit v2 runs them (tfl_load, tfl_write_state, tfl_invoke),",
        "built with the firmware's flags (-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=softfp -O2 -ffunction-sections",
        "-fdata-sections -std=c99), on the emulated Cortex-M4 (QEMU mps2-an386, -icount shift=0); the second invoke, +-40 instructions:",
        "",
        "| model | instructions per invoke | invokes per second | instructions per second | share of the 64 MHz CPU |",
        "|---|---:|---:|---:|---:|",
    ];
    for (const r of rows) out.push(`| ${r.what} | ${fmt(r.n)} | ${+r.rate.toFixed(2)} | ${fmt(r.n * r.rate)} | ${pct(r.n * r.rate)} |`);
    const speech = rows[1].n * rows[1].rate + rows[2].n * rows[2].rate;
    out.push(`| keyword spotting (front end + model), per second of audio | | | ${fmt(speech)} | ${pct(speech)} |`);
    const fe = (run.invokes.get("keyword_frontend") || []).filter((v) => v !== undefined);
    out.push("", "Shares are instructions/s / 64e6: a lower bound on the CPU time, since the M4 takes more than one cycle for some",
        "instructions (loads and stores in sequence, taken branches, divides, 64-bit multiplies) and the nRF52833's flash adds wait states.",
        `The front end over all ${fe.length} frames of ${clip}: ${fmt(Math.min(...fe))} to ${fmt(Math.max(...fe))} instructions, mean ${fmt(fe.reduce((a, b) => a + b, 0) / fe.length)}.`);
    const kw = run.outputs.get("keyword");
    if (kw) {
        const labels = modelLabels(fs.readFileSync(MODELS.keyword));
        const best = kw.indexOf(Math.max(...kw));
        out.push(`The keyword model's scores on it: ${kw.map((s, i) => (labels[i] ?? i) + " " + s).join(", ")} (heard: ${labels[best] ?? best}).`);
    }
    out.push("", "Loading (once per model, tfl_load + tfl_write_state), and the state it leaves (RAM: parameters, tensors, arena):", "",
        "| model | load instructions | state bytes |", "|---|---:|---:|");
    for (const [name, l] of run.loads) out.push(`| ${name} | ${fmt(l.instructions)} | ${fmt(l.stateBytes)} |`);
    const flash = loaderKernelsFlash();
    out.push("", "Flash (text) of the C loader + kernels linked alone at the firmware's flags, from the entry points libs/tflite/tflite.cpp calls",
        "(--gc-sections; every kernel is reachable through the loader's body table):", "",
        "| part | text bytes |", "|---|---:|",
        `| loader (loader.c, prepare_*.c) | ${fmt(flash.loader)} |`,
        `| kernels (the other kernels/*.c) | ${fmt(flash.kernels)} |`,
        `| toolchain (libgcc, libc: softfp double, 64-bit division, memcpy...) | ${fmt(flash.toolchain)} |`,
        `| total (arm-none-eabi-size text, with alignment) | ${fmt(flash.total)} |`);
    return out.join("\n");
}

function argValue(name: string, dflt: string): string {
    const i = process.argv.indexOf(name);
    return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

if (require.main === module) {
    const start = Date.now();
    console.log(boardBenchTable(argValue("--clip", "yes_1000ms")));
    console.log(`\n(board bench: ${((Date.now() - start) / 1000).toFixed(1)} s)`);
}
