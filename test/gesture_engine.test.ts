// The gesture pipeline's work per reading and per invoke has two implementations: the STS bodies
// of recognizer.ts's engine shims (the simulator, Node) and kernels/gesture.c (the board). Both
// start from the same engine Buffer; after every update they must hold the same bytes (window,
// certainties as float64, history words), write the same input tensor and give the same answer.
import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadTflite } from "../node/sts-runtime";
import { loadGestures } from "../node/gestures";
import { buildLoaderTool } from "../node/c-loader";
import { GraphBuilder, TypeName } from "../node/model-writer";
import { sharedPath } from "../node/conformance";
import { loadCreateAiDataset } from "../node/gesture-data";
import { prng } from "../node/fuzz";

const REPO = path.resolve(__dirname, "..", "..");
const STATE_INPUT_COUNT = 9; // tflite.StateWord.InputCount
const IO_OFFSET = 2; // tflite.IoWord.Offset
const STATE_ARENA = 3; // tflite.StateWord.Arena

type Step = { x: number; y: number; z: number } | "update";

/** What the STS engine does on `steps`: per update, its answer, the input bytes and the engine bytes. */
function stsRun(model: Buffer, setup: (rec: any) => void, steps: Step[]): { engine0: Buffer; historyBytes: number; lines: string[] } {
    const g = loadGestures();
    const tflite = loadTflite();
    const rec = new g.GestureRecognizer(model, []);
    setup(rec);
    const engine0 = Buffer.from(rec.engine);
    const lines: string[] = [];
    const state: Buffer = rec.state;
    const data: Buffer = tflite.stateData(state);
    const inputAt = tflite.stateWord(state, STATE_ARENA) + tflite.ioWord(state, 0, IO_OFFSET);
    const inputBytes = tflite.ioWord(state, 0, 3);
    let events = 0;
    rec.onStart = () => events++;
    for (const s of steps) {
        if (s === "update") {
            const before = rec.current;
            const invokes = rec.invokes;
            rec.update(0);
            // The answer: NOT_READY (no invoke), else the estimate the recognizer now holds.
            const answer = rec.invokes === invokes ? g.NOT_READY : rec.current;
            if (rec.invokes === invokes) assert.strictEqual(rec.current, before);
            lines.push("update " + answer);
            lines.push("input " + Buffer.from(data.subarray(inputAt, inputAt + inputBytes)).toString("hex"));
            lines.push("engine " + Buffer.from(rec.engine).toString("hex"));
        } else rec.addSample(s.x, s.y, s.z);
    }
    return { engine0, historyBytes: rec.history.length, lines };
}

/** The same steps through kernels/gesture.c (loader_tool gesture). */
function cRun(tool: string, model: Buffer, engine0: Buffer, historyBytes: number, steps: Step[]): string[] {
    if (engine0.length === 0) {
        // No engine: the C's own, from the model's metadata (loader_tool gesture-config).
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxt-tinyml-gesture-"));
        try {
            fs.writeFileSync(path.join(dir, "model.tflite"), model);
            return childProcess.execFileSync(tool, ["gesture-config", path.join(dir, "model.tflite")], { encoding: "utf8" }).trim().split("\n");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxt-tinyml-gesture-"));
    try {
        fs.writeFileSync(path.join(dir, "model.tflite"), model);
        fs.writeFileSync(path.join(dir, "engine"), engine0);
        fs.writeFileSync(path.join(dir, "script"), steps.map((s) => (s === "update" ? "u" : `s ${s.x} ${s.y} ${s.z}`)).join("\n") + "\n");
        const out = childProcess.execFileSync(tool, ["gesture", path.join(dir, "model.tflite"), path.join(dir, "engine"), String(historyBytes), path.join(dir, "script")],
            { encoding: "utf8", maxBuffer: 1 << 28 });
        return out.trim().split("\n");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Readings of a recording (milli-g, whole numbers as input.acceleration gives), an update every 6. */
function stepsOf(readings: { x: number; y: number; z: number }[]): Step[] {
    const steps: Step[] = [];
    readings.forEach((r, i) => {
        steps.push(r);
        if (i % 6 === 5) steps.push("update");
    });
    return steps;
}

/**
 * A gesture model whose scores are its first `labels` inputs (STRIDED_SLICE), with input and
 * output of `type`: what the engine writes into an input of that type is read back as scores.
 */
function sliceModel(type: TypeName, labels: number, window: number, metadata?: string[]): Buffer {
    const quant = type === "float32" ? {} : type === "int16" ? { scale: 0.0005, zeroPoint: 0 } : { scale: 0.02, zeroPoint: type === "uint8" ? 128 : -3 };
    const g = new GraphBuilder();
    const x = g.input({ shape: [1, 3 * window], type, ...quant });
    const begin = g.constant({ shape: [2], type: "int32", data: [0, 0] });
    const end = g.constant({ shape: [2], type: "int32", data: [1, labels] });
    const strides = g.constant({ shape: [2], type: "int32", data: [1, 1] });
    const y = g.tensor({ shape: [1, labels], type, ...quant });
    g.op("STRIDED_SLICE", [x, begin, end, strides], [y], {});
    g.output(y);
    const text = (metadata ?? ["format=pxt-tinyml-gesture/1", ...Array.from({ length: labels }, (_, i) => `label=g${i}`),
        "sample_period_ms=20", `window_samples=${window}`, "axes=x,y,z", "units=g", "offset=0.125,-0.5,1", "scale=2,1.5,0.75"]).join("\n");
    g.addMetadata("pxt-tinyml", Buffer.from(text + "\n", "utf8"));
    return g.toBuffer({ description: "gesture engine test: " + type });
}

describe("gesture engine: kernels/gesture.c gives the STS bodies' bytes (loader_tool gesture)", function () {
    this.timeout(300000);
    let tool: string;
    before(() => {
        tool = buildLoaderTool();
    });

    const big8 = loadCreateAiDataset(sharedPath("gestures/createai/big-8-actions.json"));
    const readingsOf = (k: number) => big8.recordings[k].x.map((_, i) => ({
        x: Math.round(big8.recordings[k].x[i] * 1000), y: Math.round(big8.recordings[k].y[i] * 1000), z: Math.round(big8.recordings[k].z[i] * 1000),
    }));

    it("the built-in model on real recordings, smoothing 1, 2 and 3, thresholds 0, 0.5 and 0.8", () => {
        const model = fs.readFileSync(path.join(REPO, "models", "gesture.tflite"));
        let updates = 0;
        const answers = new Set<string>();
        for (const [smoothing, threshold, recordings] of [[1, 0.8, [0, 30]], [2, 0.5, [60, 90, 120]], [3, 0, [150, 199]]] as [number, number, number[]][]) {
            const steps = stepsOf(recordings.flatMap(readingsOf));
            // Per-gesture thresholds too: Circle (2) needs 95%, Still down (4) 30%.
            const sts = stsRun(model, (rec) => { rec.setSmoothing(smoothing); rec.setThreshold(threshold); rec.setLabelThreshold(2, 0.95); rec.setLabelThreshold(4, 0.3); }, steps);
            const c = cRun(tool, model, sts.engine0, sts.historyBytes, steps);
            assert.strictEqual(c.length, sts.lines.length);
            for (let i = 0; i < c.length; i++) assert.strictEqual(c[i], sts.lines[i], `smoothing ${smoothing}: line ${i}`);
            updates += c.filter((l) => l.startsWith("update")).length;
            c.filter((l) => l.startsWith("update")).forEach((l) => answers.add(l));
        }
        assert.ok(updates > 50, `${updates} updates`);
        // Before a whole window, gestures, and no gesture all occurred.
        assert.ok(answers.has("update -2") && answers.has("update -1") && answers.size >= 4, [...answers].join(", "));
    });

    for (const type of ["int8", "uint8", "int16", "float32"] as TypeName[]) {
        it(`a ${type} input and output: quantizing, clamping and dequantizing agree, extreme readings too`, () => {
            const model = sliceModel(type, 5, 8);
            const rand = prng(17);
            const extreme = [-40000, -32768, -2049, -1, 0, 1, 2048, 32767, 40000];
            const readings = Array.from({ length: 60 }, (_, i) => i % 7 === 3
                ? { x: extreme[i % extreme.length], y: extreme[(i + 4) % extreme.length], z: extreme[(i + 7) % extreme.length] }
                : { x: Math.floor(rand() * 4000) - 2000, y: Math.floor(rand() * 4000) - 2000, z: Math.floor(rand() * 4000) - 2000 });
            const steps = stepsOf(readings);
            const sts = stsRun(model, (rec) => rec.setThreshold(0.25), steps);
            const c = cRun(tool, model, sts.engine0, sts.historyBytes, steps);
            assert.deepStrictEqual(c, sts.lines);
            assert.ok(c.some((l) => /^update [0-4]$/.test(l)), "some reading passed the threshold");
        });
    }

    it("reads the settings from the metadata as the STS does, and fails with the same words (loader_tool gesture-config)", () => {
        const g = loadGestures();
        const labels = Array.from({ length: 5 }, (_, i) => `label=g${i}`);
        const variants: string[][] = [
            [], ["sample_period_ms= 12.5 "], ["sample_period_ms=-5"], ["sample_period_ms=0"], ["sample_period_ms=1e-3"],
            ["sample_period_ms=abc"], ["sample_period_ms="], ["window_samples=8"], ["window_samples= 8.0"], ["window_samples=2.5"],
            ["window_samples=7"], ["window_samples=0"], ["window_samples=x8"], ["axes=x,z,y"], ["axes=x,y,z "], ["units=mg"], ["units=kg"],
            ["units=G"], ["offset=1,2"], ["offset=1,,2"], ["offset="], ["offset= 0.5 , -1e2,3"], ["offset=1,2,3,4"], ["scale=1,2"],
            ["scale=0.1,0.2,0.30000000000000004", "offset=-0.1,0,1e-300"], ["offset=1,2", "scale=x"], ["scale=1,2,3", "scale=x"],
            ["sample_period_ms=50", "sample_period_ms=x"], ["units=ñ"], ["axes=€"],
        ];
        let failures = 0;
        for (const extra of variants) {
            const model = sliceModel("int8", 5, 8, ["format=pxt-tinyml-gesture/1", ...labels, ...extra]);
            const c = cRun(tool, model, Buffer.alloc(0), 0, []);
            let sts: string;
            try {
                const rec = new g.GestureRecognizer(model, []);
                const engine = Buffer.from(rec.engine);
                // What the constructor set after engineCreate: the smoothing and the 5 labels' thresholds.
                engine.fill(0, 4 * 5, 4 * 6);
                engine.fill(0, 4 * 22 + 8 * 5, 4 * 22 + 16 * 5);
                sts = "engine " + engine.toString("hex");
            } catch (e) {
                assert.strictEqual(typeof e, "string", String(e));
                assert.ok((e as string).startsWith("gestures: "), e as string);
                sts = "error " + Buffer.from((e as string).slice("gestures: ".length), "utf8").toString("hex");
                failures++;
            }
            assert.deepStrictEqual(c, [sts], extra.join(" / ") + ": " + (sts.startsWith("error") ? Buffer.from(sts.slice(6), "hex").toString() : ""));
        }
        assert.ok(failures >= 15 && failures < variants.length - 6, `${failures} of ${variants.length} refused`);
    });

    it("refuses an engine whose words were corrupted, without reading or writing past it", () => {
        const model = fs.readFileSync(path.join(REPO, "models", "gesture.tflite"));
        const sts = stsRun(model, () => undefined, []);
        const steps = stepsOf(readingsOf(0));
        for (const [word, value] of [[0, 1000000], [2, -1], [4, 500], [5, 0], [1, 0]]) {
            const engine = Buffer.from(sts.engine0);
            engine.writeInt32LE(value, 4 * word);
            const c = cRun(tool, model, engine, sts.historyBytes, steps);
            assert.ok(c.every((l) => !l.startsWith("update") || l === "update -3"), `word ${word} = ${value}: ${c.find((l) => l.startsWith("update"))}`);
        }
        // A history too small for smoothing x labels.
        const c = cRun(tool, model, sts.engine0, sts.historyBytes - 8, steps);
        assert.ok(c.filter((l) => l.startsWith("update")).every((l) => l === "update -3"));
    });
});
