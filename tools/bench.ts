// npm run bench: per model, ms per invoke in Node and in the headless micro:bit simulator, our
// arena beside TFLM's, and tfjs-tflite's ms on the same input, all measured in this one run.
import * as fs from "fs";
import { conformanceCases, sharedPath, ConformanceCase } from "../node/conformance";
import { loadTflite } from "../node/sts-runtime";
import { TfjsTfliteRunner } from "../node/tfjs-tflite";
import { conformanceProgram, runStsProgram } from "../node/simulator";

interface Row { model: string; nodeMs: number; simMs: number | null; tfjsMs: number | null; arena: number; tflmArena: number; note: string }

function firstCasePerModel(): ConformanceCase[] {
    const seen = new Set<string>();
    return conformanceCases().filter((c) => !seen.has(c.model) && !!seen.add(c.model));
}

/** Mean ms per invoke over enough invokes to take ~`budgetMs`, after one warm-up. */
function timeNode(model: Buffer, inputs: Buffer[], budgetMs: number): { ms: number; arena: number } {
    const tflite = loadTflite();
    const ip = new tflite.StsInterpreter(model);
    inputs.forEach((b, i) => ip.setInputBytes(i, b.subarray(0, ip.input(i).bytes)));
    ip.invoke();
    let n = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (n < 3 || elapsed < budgetMs) {
        ip.invoke();
        n++;
        elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    }
    return { ms: elapsed / n, arena: ip.arenaBytes };
}

/**
 * Mean ms per invoke in the headless micro:bit simulator: pxt compiles a program with the model
 * and the case's input as hex literals, which runs the case once and then invokes for ~`budgetMs`.
 */
async function timeSimulator(name: string, model: Buffer, c: ConformanceCase, budgetMs: number): Promise<number> {
    const inputs = c.inputs.map((f) => fs.readFileSync(sharedPath(f)));
    const program = conformanceProgram(model, [{ name: c.case, inputs, strideBytes: c.stream_stride_bytes }], budgetMs);
    const run = await runStsProgram("bench-" + name, program);
    const line = run.lines.find((l) => l.startsWith("ms-per-invoke "));
    if (!line) throw new Error("the simulator printed no timing: " + run.lines.slice(-3).join(" / "));
    return parseFloat(line.split(" ")[1]);
}

/**
 * Mean ms per invoke in tfjs-tflite (TFLite's WebAssembly build with XNNPACK, one thread) on the
 * same input, or a note saying why it could not run the model.
 */
async function timeTfjs(model: Buffer, inputs: Buffer[], budgetMs: number): Promise<number> {
    const runner = await TfjsTfliteRunner.create(model);
    try {
        runner.run(inputs);
        let n = 0;
        const start = process.hrtime.bigint();
        let elapsed = 0;
        while (n < 3 || elapsed < budgetMs) {
            runner.run(inputs);
            n++;
            elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        }
        return elapsed / n;
    } finally {
        runner.close();
    }
}

// tfjs-tflite 0.0.1-alpha.10 corrupts its own memory on this model (every later call then fails):
// it is left out of that column rather than run last.
const TFJS_BREAKS_ON = ["keyword_scrambled_8bit"];

async function main() {
    const rows: Row[] = [];
    for (const c of firstCasePerModel()) {
        const name = c.model.replace(/^.*\//, "").replace(/\.tflite$/, "");
        const model = fs.readFileSync(sharedPath(c.model));
        const inputs = c.inputs.map((f) => fs.readFileSync(sharedPath(f)));
        const row: Row = { model: name, nodeMs: NaN, simMs: null, tfjsMs: null, arena: 0, tflmArena: c.tflm_arena_used_bytes, note: "" };
        try {
            const r = timeNode(model, inputs, 1000);
            row.nodeMs = r.ms;
            row.arena = r.arena;
        } catch (e: any) {
            row.note = String(e).replace(/^tflite: /, "");
        }
        if (!row.note) {
            try {
                row.simMs = await timeSimulator(name, model, c, 3000);
            } catch (e: any) {
                row.note = "simulator: " + String(e.message || e).split("\n")[0];
            }
        }
        if (!row.note && !TFJS_BREAKS_ON.includes(name)) {
            try {
                // Streamed cases time one window, as the other columns do.
                const ip = new (loadTflite().StsInterpreter)(model);
                row.tfjsMs = await timeTfjs(model, inputs.map((b, i) => b.subarray(0, ip.input(i).bytes)), 1000);
            } catch (e: any) {
                row.note = "tfjs-tflite: " + String(e.message || e).split("\n")[0];
            }
        } else if (!row.note) row.note = "tfjs-tflite: left out (it corrupts its memory on this model)";
        rows.push(row);
    }
    const fmt = (x: number | null) => (x === null || isNaN(x) ? "-" : x < 1 ? x.toFixed(3) : x.toFixed(1));
    console.log("| model | Node ms/invoke | simulator ms/invoke | tfjs-tflite ms/invoke | arena bytes | TFLM arena bytes | arena / TFLM | note |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---|");
    for (const r of rows)
        console.log(`| ${r.model} | ${fmt(r.nodeMs)} | ${fmt(r.simMs)} | ${fmt(r.tfjsMs)} | ${r.arena || "-"} | ${r.tflmArena} | ${r.arena ? (r.arena / r.tflmArena).toFixed(2) : "-"} | ${r.note} |`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
