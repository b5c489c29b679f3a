// TFLM's own goldens for generated single-op models (test/tflm-goldens/<op>/, made by
// tools/make-tflm-goldens.ts with TensorFlow Lite Micro's reference interpreter at the commit each
// manifest names): every case through our STS interpreter and through the C loader and kernels
// (built/native/loader-tool), byte for byte.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildLoaderTool, cLoaderDump, cLoaderRun, stsLoaderDump } from "../node/c-loader";
import { loadTflite } from "../node/sts-runtime";
import type { GoldenCase, GoldenManifest } from "../tools/make-tflm-goldens";

const GOLDENS = path.join(__dirname, "..", "..", "test", "tflm-goldens");
const tflite = loadTflite();

const BYTES: { [t: string]: number } = { int8: 1, uint8: 1, bool: 1, int16: 2, int32: 4, int64: 8, float32: 4 };

function element(b: Buffer, type: string, i: number): number {
    switch (type) {
        case "int8": return b.readInt8(i);
        case "uint8": return b[i];
        case "int16": return b.readInt16LE(2 * i);
        case "int32": return b.readInt32LE(4 * i);
        default: return b.readFloatLE(4 * i);
    }
}

/** Throws with the case, the first differing elements and how many differ, unless `got` is `want` byte for byte. */
function assertSameBytes(who: string, c: GoldenCase, got: Buffer, want: Buffer): void {
    if (got.equals(want)) return;
    assert.strictEqual(got.length, want.length, `${c.name} (${c.summary}): ${who} wrote ${got.length} output bytes, TFLM ${want.length}`);
    const size = BYTES[c.outputType];
    const diffs: string[] = [];
    let count = 0;
    for (let i = 0; i < want.length / size; i++) {
        const a = element(got, c.outputType, i), b = element(want, c.outputType, i);
        if (!got.subarray(i * size, (i + 1) * size).equals(want.subarray(i * size, (i + 1) * size))) {
            count++;
            if (diffs.length < 5) diffs.push(`[${i}] ${who} ${a}, TFLM ${b}`);
        }
    }
    assert.fail(`${c.name} (${c.summary}; covers ${c.covers.join(" ")}): ${count} of ${want.length / size} outputs differ from TFLM's: ${diffs.join("; ")}`);
}

/** `invokes` invokes in sequence (stateful ops), each with its slice of every input: the outputs of each, appended. */
function stsRun(model: Buffer, inputs: Buffer[], invokes = 1, stopped: boolean[] = []): Buffer {
    const ip = new tflite.StsInterpreter(model);
    const out: Buffer[] = [];
    for (let k = 0; k < invokes; k++) {
        inputs.forEach((b, i) => ip.setInputBytes(i, b.subarray(k * b.length / invokes, (k + 1) * b.length / invokes)));
        // TFLM's Invoke returned kTfLiteAbort where the manifest says stopped, kTfLiteOk elsewhere;
        // either way the outputs are compared (what the ops that ran left).
        const ran = ip.invoke();
        assert.strictEqual(ran, !stopped[k], `invoke ${k} ${ran ? "ran to the end" : "was stopped"}, TFLM's ${stopped[k] ? "was stopped" : "ran to the end"}`);
        for (let i = 0; i < ip.outputCount(); i++) out.push(Buffer.from(ip.outputBytes(i)));
    }
    return Buffer.concat(out);
}

/** The C's invokes in sequence: loader-tool steps through input 0 (the one input of the stateful cases). */
function cRun(c: GoldenCase, model: Buffer, inputs: Buffer[]): Buffer {
    const invokes = c.invokes ?? 1;
    if (invokes === 1) return cLoaderRun(model, inputs);
    assert.strictEqual(inputs.length, 1, `${c.name}: loader-tool runs invokes in sequence for a model of one input only`);
    return cLoaderRun(model, inputs, inputs[0].length / invokes);
}

/** Runs `f`, naming the case in what it throws. */
function named<T>(c: GoldenCase, f: () => T): T {
    try {
        return f();
    } catch (e) {
        // The STS throws its own error objects: their text is what String() gives.
        throw new Error(`${c.name} (${c.summary}; covers ${c.covers.join(" ")}): ${e instanceof Error ? e.message : String(e)}`);
    }
}

const manifests: GoldenManifest[] = fs.readdirSync(GOLDENS).sort()
    .filter((d) => fs.existsSync(path.join(GOLDENS, d, "manifest.json")))
    .map((d) => JSON.parse(fs.readFileSync(path.join(GOLDENS, d, "manifest.json"), "utf8")));

describe("TFLM goldens: generated single-op models, outputs of TFLM's reference interpreter", () => {
    before(() => buildLoaderTool());

    it("has goldens for MEAN covering every branch of TFLM's reduce kernel", () => {
        const mean = manifests.find((m) => m.op === "MEAN");
        assert.ok(mean, "no test/tflm-goldens/mean/manifest.json");
        assert.match(mean.tflmCommit, /^[0-9a-f]{40}$/);
        const count = (...words: string[]) => mean.cases.filter((c) => words.every((w) => c.covers.includes(w))).length;
        for (const type of ["int8", "int16"]) {
            for (const q of ["same-quantization", "different-quantization"])
                for (const k of ["keep-dims", "no-keep-dims"]) assert.ok(count(type, q, k) >= 8, `${type} ${q} ${k}: ${count(type, q, k)} cases`);
            assert.ok(count(type, "extreme-ratio-quantization") >= 4, `${type} extreme ratios`);
        }
        assert.ok(count("float-4d-hw-special-case") >= 4, "float32 4-D mean over H and W with keep_dims");
        for (const p of ["hw4d", "hw4d-reversed", "single", "negative", "repeated", "all", "three-or-more", "scalar-axis-tensor", "scalar-input"])
            for (const type of ["float32", "int8", "int16"]) assert.ok(count(type, p) >= 2, `${type} ${p}: ${count(type, p)} cases`);
    });

    for (const m of manifests) {
        const dir = path.join(GOLDENS, m.op.toLowerCase());
        const read = (f: string) => fs.readFileSync(path.join(dir, f));
        it(`${m.op}: ${m.cases.length} cases in the STS interpreter, byte for byte (TFLM ${m.tflmCommit.slice(0, 10)})`, () => {
            for (const c of m.cases) assertSameBytes("STS", c, named(c, () => stsRun(read(c.model), c.inputs.map(read), c.invokes ?? 1, c.stopped ?? [])), read(c.output));
        });
        it(`${m.op}: ${m.cases.length} cases in the C kernels (loader-tool), byte for byte`, () => {
            for (const c of m.cases) assertSameBytes("C", c, named(c, () => cRun(c, read(c.model), c.inputs.map(read))), read(c.output));
        });
        it(`${m.op}: the C and STS loaders write the same parameter blocks and arena plan for every case`, () => {
            for (const c of m.cases) {
                const sts = stsLoaderDump(read(c.model)), cl = cLoaderDump(read(c.model));
                assert.ok(sts.ok, `${c.name} (${c.summary}): the STS loader refused it: ${sts.text}`);
                assert.strictEqual(cl.text, sts.text, `${c.name} (${c.summary}): the C loader's dump differs from the STS's`);
            }
        });
    }
});
