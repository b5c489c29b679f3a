// The built-in gesture model's benchmark: node built/tools/gesture-bench.js [--no-sim] [--no-train]
//
// 1. big-8-actions.json, the recordings held out from training (the same seeded split as
//    tools/train-gesture.ts): accuracy and confusion matrix of the int8 model in our interpreter,
//    configured from its own metadata.
// 2. shake-still-circle-legacy.json (other recordings, labels Shake, Still, Circle), two ways:
//    a. the built-in model as is, its 8 classes mapped: Shake = Shake Vertical or Shake
//       horizontal, Still = Still up or Still down, Circle = Circle;
//    b. (unless --no-train) `pxt-tinyml train`'s recipe on that file alone: a seeded split by
//       recording (30% held out), trained and evaluated on its own labels.
// 3. Size, multiply-accumulates, arena, ms per invoke in Node and (unless --no-sim) in the
//    headless micro:bit simulator, against the goals (>= 95%, <= 20 KB, <= 20 ms).
import * as fs from "fs";
import * as path from "path";
import { sharedPath } from "../node/conformance";
import { loadCreateAiDataset, splitByRecording, centreWindow, normalizeWindow, Recording } from "../node/gesture-data";
import {
    BUILTIN, GestureClassifier, evaluate, formatConfusion, argMax, countMacs, trainGestureModel, exportGestureModel, Evaluation,
} from "../node/gesture-model";

const ROOT = path.resolve(__dirname, "..", "..");

function pct(e: Evaluation): string {
    return `${(100 * e.accuracy).toFixed(1)}% (${e.correct}/${e.total})`;
}

/** Mean ms per invoke in Node over ~`budgetMs`. */
function timeNode(c: GestureClassifier, r: Recording, budgetMs: number): number {
    c.classifyCentre(r);
    let n = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (n < 10 || elapsed < budgetMs) {
        c.interpreter.invoke();
        n++;
        elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    }
    return elapsed / n;
}

/** Mean ms per invoke in the headless micro:bit simulator (pxt compiles a program with the model). */
async function timeSimulator(model: Buffer, c: GestureClassifier, r: Recording): Promise<number> {
    const { conformanceProgram, runStsProgram } = require("../node/simulator");
    c.interpreter.setInput(0, normalizeWindow(centreWindow(r, c.window), c.normalization));
    const t = c.interpreter.input(0);
    const input = Buffer.from(t.data.subarray(t.offset, t.offset + t.bytes));
    const run = await runStsProgram("gesture-bench", conformanceProgram(model, [{ name: "window", inputs: [input] }], 3000));
    const line = run.lines.find((l: string) => l.startsWith("ms-per-invoke "));
    if (!line) throw new Error("the simulator printed no timing:\n" + run.lines.join("\n"));
    return Number(line.split(" ")[1]);
}

async function main() {
    const args = process.argv.slice(2);
    const model = fs.readFileSync(path.join(ROOT, BUILTIN.modelFile));
    const c = new GestureClassifier(model);
    const say = (s = "") => console.log(s);

    // 1. The held-out recordings of big-8-actions.json.
    const big = loadCreateAiDataset(sharedPath(BUILTIN.dataset));
    if (big.labels.join() !== c.labels.join()) throw new Error(`${BUILTIN.modelFile} has labels ${c.labels.join(", ")}, the dataset ${big.labels.join(", ")}: retrain it`);
    const { train, test } = splitByRecording(big, BUILTIN.testFraction, BUILTIN.seed);
    const n = big.labels.length;
    const smoothed = evaluate(test, n, n, (r) => argMax(c.classifyRecording(r)));
    const centre = evaluate(test, n, n, (r) => argMax(c.classifyCentre(r)));
    const trainAcc = evaluate(train, n, n, (r) => argMax(c.classifyRecording(r)));
    say(`## Built-in gesture model (${BUILTIN.modelFile}) on ${path.basename(BUILTIN.dataset)}`);
    say();
    say(`Held out (seed ${BUILTIN.seed}, ${test.length} recordings never trained on): ${pct(smoothed)} averaging the windows a pipeline ` +
        `invoking every 250 ms sees; ${pct(centre)} on one centre window per recording. (Training recordings: ${pct(trainAcc)}.)`);
    say();
    say("```");
    say(formatConfusion(big.labels, big.labels, smoothed.confusion));
    say("```");

    // 2a. shake-still-circle-legacy.json through the built-in model, classes mapped.
    const legacy = loadCreateAiDataset(sharedPath("gestures/createai/shake-still-circle-legacy.json"));
    const groups: { [legacy: string]: string[] } = {
        Shake: ["Shake Vertical", "Shake horizontal"], Still: ["Still up", "Still down"], Circle: ["Circle"],
    };
    const predicted: number[] = [];
    const mapped = evaluate(legacy.recordings, legacy.labels.length, n, (r) => {
        const p = argMax(c.classifyRecording(r));
        predicted.push(p);
        return p;
    });
    let correct = 0;
    legacy.recordings.forEach((r, i) => { if ((groups[legacy.labels[r.label]] || []).includes(c.labels[predicted[i]])) correct++; });
    say();
    say(`## shake-still-circle-legacy.json (${legacy.recordings.length} recordings: ${legacy.labels.join(", ")})`);
    say();
    say(`Built-in model, classes mapped (Shake = Shake Vertical or Shake horizontal, Still = Still up or Still down, Circle = Circle): ` +
        `${(100 * correct / legacy.recordings.length).toFixed(1)}% (${correct}/${legacy.recordings.length}).`);
    say();
    say("```");
    say(formatConfusion(legacy.labels, c.labels, mapped.confusion));
    say("```");
    // Many legacy recordings are big-8 recordings too (the same readings): they are not other data,
    // and the built-in model trained on some of them. Its figure on the independent ones alone:
    const key = (r: Recording) => JSON.stringify([r.x, r.y, r.z]);
    const inTrain = new Set(train.map(key)), inBig = new Set(big.recordings.map(key));
    const shared = legacy.recordings.filter((r) => inBig.has(key(r)));
    const sharedTrain = shared.filter((r) => inTrain.has(key(r)));
    const independent = legacy.recordings.map((r, i) => ({ r, i })).filter(({ r }) => !inBig.has(key(r)));
    const independentRight = independent.filter(({ r, i }) => (groups[legacy.labels[r.label]] || []).includes(c.labels[predicted[i]])).length;
    say();
    say(`${shared.length} of the ${legacy.recordings.length} recordings are also in ${path.basename(BUILTIN.dataset)} (the same readings), ` +
        `${sharedTrain.length} of them in the built-in model's training split; on the ${independent.length} others the built-in model, ` +
        `classes mapped, gets ${independentRight}/${independent.length}.`);

    // 2b. The train command's recipe on that file alone.
    if (!args.includes("--no-train")) {
        const t = await trainGestureModel(legacy, { seed: 1, testFraction: 0.3 });
        const own = new GestureClassifier(exportGestureModel(t).tflite);
        const e = evaluate(t.test, legacy.labels.length, legacy.labels.length, (r) => argMax(own.classifyRecording(r)));
        say();
        say(`Trained on shake-still-circle-legacy.json alone (\`pxt-tinyml train\`'s recipe, seed 1, 30% of each action held out: ` +
            `${t.train.length} recordings to train, ${t.test.length} to test): ${pct(e)}.`);
        say();
        say("```");
        say(formatConfusion(legacy.labels, legacy.labels, e.confusion));
        say("```");
    }

    // 3. Cost.
    const macs = countMacs(c.interpreter.model);
    const nodeMs = timeNode(c, test[0], 1000);
    const simMs = args.includes("--no-sim") ? null : await timeSimulator(model, c, test[0]);
    say();
    say("| goal | value | target |");
    say("|---|---:|---:|");
    say(`| held-out accuracy (8 actions) | ${(100 * smoothed.accuracy).toFixed(1)}% | >= 95% |`);
    say(`| model size | ${model.length} bytes | <= 20480 |`);
    say(`| ms per invoke, headless simulator | ${simMs === null ? "-" : simMs.toFixed(2)} | <= 20 |`);
    say(`| ms per invoke, Node | ${nodeMs.toFixed(2)} | |`);
    say(`| multiply-accumulates per invoke | ${macs} | |`);
    say(`| arena | ${c.interpreter.arenaBytes} bytes | |`);
    say(`| input | ${c.window.windowSamples} samples x 3 axes every ${c.window.samplePeriodMs} ms | |`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
