// CIRCULAR_BUFFER (libs/tflite/kernel_circular_buffer.ts, kernels/prepare_signal.c, kernels/circular_buffer.c)
// past what TFLM's goldens show (test/tflm_goldens.test.ts runs those, outputs and which invokes
// stopped): that the goldens reach every branch, models both loaders refuse with the same
// message, the invoke counter cleared by resetState as TFLM's Reset does, and the STS invoke's
// status where the op stops it.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as flex from "flatbuffers/js/flexbuffers";
import { buildLoaderTool, cLoaderDump, stsLoaderDump } from "../node/c-loader";
import { singleOpModel, SingleOpSpec, TensorSpec } from "../node/model-writer";
import { nativeAddon } from "../node/native";
import { loadTflite } from "../node/sts-runtime";
import type { GoldenManifest } from "../tools/make-tflm-goldens";

const GOLDENS = path.join(__dirname, "..", "..", "test", "tflm-goldens");
const tflite = loadTflite();

const i8 = (shape: number[]): TensorSpec => ({ shape, type: "int8" });
const circular = (input: TensorSpec, output: TensorSpec, options: object | null = { cycles_max: 2 }): SingleOpSpec => ({
    op: "CUSTOM", customCode: "CIRCULAR_BUFFER", ...(options ? { customOptions: Buffer.from(flex.encode(options)) } : {}),
    inputs: [input], outputs: [output],
});

function loadBoth(model: Buffer): { ok: boolean; text: string } {
    const sts = stsLoaderDump(model);
    assert.deepStrictEqual(cLoaderDump(model), sts);
    return sts;
}

describe("CIRCULAR_BUFFER: coverage, refusals, state, the STS and the C alike", () => {
    before(() => buildLoaderTool());

    it("has TFLM goldens for every branch: each period given or guessed, one slot, one byte, a second batch, [., ., 2, 96], stopped invokes", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "circular_buffer", "manifest.json"), "utf8"));
        assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
        for (const w of ["cycles-1", "cycles-2", "cycles-3", "cycles-never-due", "no-options", "cycles-0", "cycles-negative",
            "guess-5-slots", "guess-13-slots", "guess-25-slots", "guess-other-slots", "one-slot", "depth-1", "batch-2", "shape-2x96"])
            assert.ok(m.cases.some((c) => c.covers.includes(w)), w);
        assert.ok(m.cases.every((c) => (c.invokes ?? 1) >= 3), "every case runs 3 invokes or more");
        // Both statuses: TFLM stopped some invokes and ran others to the end.
        assert.ok(m.cases.some((c) => c.stopped && c.stopped.includes(true) && c.stopped.includes(false)));
        assert.ok(m.cases.some((c) => !c.stopped));
    });

    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "rank 3 (TFLM reads dims 0-3)", spec: circular(i8([1, 1, 4]), i8([1, 3, 4])),
            message: /input tensor 0 'input0' INT8\[1,1,4\] and output tensor 1 'output0' INT8\[1,3,4\] must have rank 4$/ },
        { name: "int16 (TFLM takes int8 only)", spec: circular({ shape: [1, 1, 1, 4], type: "int16" }, { shape: [1, 3, 1, 4], type: "int16" }),
            message: /must be INT8 \(TFLM's only type\)$/ },
        { name: "an input of 2 in dimension 1", spec: circular(i8([1, 2, 1, 4]), i8([1, 3, 1, 4])),
            message: /input tensor 0 'input0' INT8\[1,2,1,4\] must have 1 in dimension 1$/ },
        { name: "an output of another depth", spec: circular(i8([1, 1, 1, 4]), i8([1, 3, 1, 5])),
            message: /output tensor 1 'output0' INT8\[1,3,1,5\] must match input tensor 0 'input0' INT8\[1,1,1,4\] in dimensions 0, 2 and 3$/ },
        { name: "an output of no slots (TFLM writes before it)", spec: circular(i8([1, 1, 1, 4]), i8([1, 0, 1, 4])),
            message: /output tensor 1 'output0' INT8\[1,0,1,4\] must have 1 or more in dimensions 0 and 1$/ },
        { name: "options with another key beside cycles_max (TFLM reads the first value in key order)",
            spec: circular(i8([1, 1, 1, 4]), i8([1, 3, 1, 4]), { a: 5, cycles_max: 2 }), message: /custom options must hold 'cycles_max' only$/ },
        { name: "options without cycles_max", spec: circular(i8([1, 1, 1, 4]), i8([1, 3, 1, 4]), { period: 2 }),
            message: /custom option 'cycles_max' is missing$/ },
        { name: "a cycles_max past int32", spec: circular(i8([1, 1, 1, 4]), i8([1, 3, 1, 4]), { cycles_max: 2 ** 33 }),
            message: /custom option 'cycles_max' = 8589934592 does not fit an int32$/ },
        { name: "[1, 7, 2, 96] with no period (TFLM's depends on a process-wide count)", spec: circular(i8([1, 1, 2, 96]), i8([1, 7, 2, 96]), null),
            message: /output tensor 1 'output0' INT8\[1,7,2,96\] with cycles_max 0: TFLM's period for this shape depends on a count of ops across the process; give cycles_max > 0$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const sts = loadBoth(singleOpModel(c.spec));
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });

    it("loads [1, 5, 2, 96] with no period (5 slots: TFLM's 1 whatever the count) and [1, 7, 2, 96] with cycles_max 2", () => {
        assert.ok(loadBoth(singleOpModel(circular(i8([1, 1, 2, 96]), i8([1, 5, 2, 96]), null))).ok);
        assert.ok(loadBoth(singleOpModel(circular(i8([1, 1, 2, 96]), i8([1, 7, 2, 96])))).ok);
    });

    it("counts invokes again from load after resetState, as TFLM's Reset does; the STS invoke says which invokes it stopped", () => {
        const ip = new tflite.StsInterpreter(singleOpModel(circular(i8([1, 1, 1, 2]), i8([1, 3, 1, 2]), { cycles_max: 3 })));
        const run = (a: number, b: number): [boolean, number[]] => {
            ip.setInputBytes(0, Buffer.from(Int8Array.from([a, b]).buffer));
            const ran = ip.invoke();
            return [ran, Array.from(new Int8Array(new Uint8Array(ip.outputBytes(0)).slice().buffer))];
        };
        // Due every third invoke; the buffer shifts on every one, due or not.
        assert.deepStrictEqual(run(1, 2), [false, [0, 0, 0, 0, 1, 2]]);
        assert.deepStrictEqual(run(3, 4), [false, [0, 0, 1, 2, 3, 4]]);
        assert.deepStrictEqual(run(5, -6), [true, [1, 2, 3, 4, 5, -6]]);
        assert.deepStrictEqual(run(7, 8), [false, [3, 4, 5, -6, 7, 8]]);
        ip.resetState();
        // The count starts again (two more stopped invokes before one runs); TFLM's Reset leaves the buffer's bytes.
        assert.deepStrictEqual(run(9, 10)[0], false);
        assert.deepStrictEqual(run(11, 12)[0], false);
        assert.deepStrictEqual(run(13, 14)[0], true);
    });
});

describe("CIRCULAR_BUFFER in the C through the Node addon: the invoke's status", () => {
    it("stops the same invokes as the STS and TFLM (due every second invoke), with the same bytes", function () {
        const addon = nativeAddon();
        assert.ok(addon, "the Node addon is built (npm run build)");
        const model = singleOpModel(circular(i8([1, 1, 1, 3]), i8([1, 2, 1, 3]), { cycles_max: 2 }));
        const [handle, state, arenaBytes] = addon!.load(model, true);
        const arena = Buffer.alloc(arenaBytes);
        addon!.reset(handle, arena);
        // Word 2 of an input or output record is its arena offset (a const enum, IoWord.Offset, gone at run time).
        const inputAt = tflite.ioWord(state, 0, 2);
        const outputAt = tflite.ioWord(state, 1, 2);
        const ip = new tflite.StsInterpreter(model);
        const statuses: boolean[] = [];
        for (let k = 0; k < 5; k++) {
            const input = Buffer.from(Int8Array.from([k, -k, 100 + k]).buffer);
            input.copy(arena, inputAt);
            ip.setInputBytes(0, input);
            const ran = addon!.invoke(handle, arena);
            assert.strictEqual(ip.invoke(), ran, `invoke ${k}`);
            assert.deepStrictEqual(arena.subarray(outputAt, outputAt + 6), Buffer.from(ip.outputBytes(0)), `invoke ${k}`);
            statuses.push(ran);
        }
        assert.deepStrictEqual(statuses, [false, true, false, true, false]);
    });

    it("stops the invokes TFLM stopped in every golden case, with TFLM's bytes after each", function () {
        const addon = nativeAddon();
        assert.ok(addon, "the Node addon is built (npm run build)");
        const dir = path.join(GOLDENS, "circular_buffer");
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
        for (const c of m.cases) {
            const [handle, state, arenaBytes] = addon!.load(fs.readFileSync(path.join(dir, c.model)), true);
            const arena = Buffer.alloc(arenaBytes);
            addon!.reset(handle, arena);
            const input = fs.readFileSync(path.join(dir, c.inputs[0]));
            const want = fs.readFileSync(path.join(dir, c.output));
            const invokes = c.invokes ?? 1;
            const inBytes = input.length / invokes, outBytes = want.length / invokes;
            const inputAt = tflite.ioWord(state, 0, 2), outputAt = tflite.ioWord(state, 1, 2);
            for (let k = 0; k < invokes; k++) {
                input.copy(arena, inputAt, k * inBytes, (k + 1) * inBytes);
                assert.strictEqual(addon!.invoke(handle, arena), !(c.stopped ?? [])[k], `${c.name} invoke ${k}`);
                assert.deepStrictEqual(arena.subarray(outputAt, outputAt + outBytes), want.subarray(k * outBytes, (k + 1) * outBytes), `${c.name} invoke ${k}`);
            }
        }
    });
});
