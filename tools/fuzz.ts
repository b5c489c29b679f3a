// Long fuzzing run over mutants of the TFLM models and of generated single-op models:
//
//     node built/tools/fuzz.js [mutants=100000] [seed=1] [--sts-only]
//         every mutant through the STS interpreter and, unless --sts-only, through the C loader
//         and kernels (built/native/loader-tool, ASan + UBSan: node/c-fuzz.ts)
//     node built/tools/fuzz.js --replay SEED INDEX [DIR]
//         makes mutant INDEX of the run with that seed again (a failure names both), checks it
//         against the C and leaves its files in DIR (default fuzz-replay in the temp directory)
//         to run loader_tool on by hand
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildLoaderTool, LOADER_TOOL } from "../node/c-loader";
import { CFuzzCheck, CFuzzCounts } from "../node/c-fuzz";
import { FuzzFailure, fuzzModels } from "../node/fuzz";

const args = process.argv.slice(2);
const stsOnly = args.includes("--sts-only");
const positional = args.filter((a) => !a.startsWith("--"));

function replay(seed: number, index: number, dir: string): void {
    buildLoaderTool();
    fs.rmSync(dir, { recursive: true, force: true });
    const check = new CFuzzCheck({ only: index, dir });
    try {
        fuzzModels({ seed, mutants: index + 1, check });
        console.log(`mutant ${index} of seed ${seed}: the C agrees with the STS`);
    } catch (e) {
        console.log(e instanceof FuzzFailure ? e.message : e);
    }
    const list = path.join(dir, "list");
    console.log(`its files: ${dir} (m0.tflite, and m0.in when the STS invoked it)\n` +
        `  ${LOADER_TOOL} dump ${path.join(dir, "m0.tflite")}\n  ${LOADER_TOOL} runs ${list}`);
}

if (args.includes("--replay")) {
    const [seed, index, dir] = positional;
    replay(Number(seed), Number(index), dir || path.join(os.tmpdir(), "fuzz-replay"));
} else {
    const mutants = Number(positional[0] || 100000);
    const seed = Number(positional[1] || 1);
    if (!stsOnly) buildLoaderTool();
    const start = Date.now();
    const chunk = 1000;
    const total = { mutants: 0, loaded: 0, invoked: 0, rejected: 0 };
    const c: CFuzzCounts = { checked: 0, loaded: 0, invoked: 0, rejected: 0, otherMessages: 0 };
    const messages = new Map<string, number>();
    // The C path's failures are counted and the run goes on, so one run shows them all.
    const failures: string[] = [];
    const progress = () => `${total.mutants} mutants, ${total.loaded} loaded, ${total.invoked} invoked, ${total.rejected} rejected` +
        (stsOnly ? "" : `; C: ${c.loaded} loaded alike, ${c.invoked} invoked alike, ${c.rejected} rejected alike (${c.otherMessages} in other words), ${failures.length} failures`);
    for (let done = 0; done < mutants; done += chunk) {
        // Each chunk has its own seed, so a failure names a short run to replay.
        const check = stsOnly ? undefined : new CFuzzCheck({ failures });
        try {
            const r = fuzzModels({ seed: seed * 1000003 + done, mutants: Math.min(chunk, mutants - done), check });
            total.mutants += r.mutants; total.loaded += r.loaded; total.invoked += r.invoked; total.rejected += r.rejected;
            r.messages.forEach((n, m) => messages.set(m, (messages.get(m) ?? 0) + n));
        } finally {
            if (check) {
                for (const k of Object.keys(c) as (keyof CFuzzCounts)[]) c[k] += check.counts[k];
                check.close();
            }
        }
        process.stdout.write(`\r${progress()}`);
    }
    console.log(`\n${((Date.now() - start) / 1000).toFixed(1)} s; most frequent rejections:`);
    [...messages.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).forEach(([m, n]) => console.log(`  ${String(n).padStart(7)}  ${m}`));
    if (failures.length) {
        console.log(`\n${failures.length} C-path failures; the first ones:`);
        for (const f of failures.slice(0, 10)) console.log(`\n${f.length > 4000 ? f.slice(0, 4000) + "\n..." : f}`);
        console.log(`\nevery failure's first line:\n${failures.map((f) => f.split("\n")[0].slice(0, 300)).join("\n")}`);
        process.exitCode = 1;
    }
}
