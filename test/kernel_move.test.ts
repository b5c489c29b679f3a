// The data movement ops (libs/tflite/kernel_move.ts, kernels/prepare_move.c, kernels/move.c) past
// what TFLM's goldens show (test/tflm_goldens.test.ts runs those): that the goldens reach every
// type TFLM's kernels take, models both loaders refuse with the same message, and what TFLM leaves
// undefined or fails at invoke (GATHER positions outside the axis, GATHER_ND slices outside the
// input: zeros here), plus empty tensors, run alike in the STS and in C (built with sanitizers).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildLoaderTool, cLoaderDump, cLoaderRun, stsLoaderDump } from "../node/c-loader";
import { encodeValues, singleOpModel, SingleOpSpec, TensorSpec } from "../node/model-writer";
import { loadTflite } from "../node/sts-runtime";
import type { GoldenManifest } from "../tools/make-tflm-goldens";

const tflite = loadTflite();
const GOLDENS = path.join(__dirname, "..", "..", "test", "tflm-goldens");

/** The types each TFLM kernel takes (its Prepare/Eval switches at the manifests' commit). */
const TFLM_TYPES: { [op: string]: string[] } = {
    GATHER: ["float32", "int8"],
    SPLIT: ["float32", "int8", "int16", "int32"],
    SPLIT_V: ["float32", "int8", "int16", "int32"],
    PACK: ["float32", "int8", "int16", "int32", "int64"],
    UNPACK: ["float32", "int8", "int16", "int32"],
    SLICE: ["float32", "int8", "int16", "int32", "bool"],
    SHAPE: ["float32", "int8", "int16", "int32", "int64"],
    REVERSE_V2: ["float32", "int8", "uint8", "int16", "int32", "int64", "bool"],
    BROADCAST_TO: ["float32", "int8", "uint8", "int16", "int32", "int64", "bool"],
    DEPTH_TO_SPACE: ["float32", "int8"],
    SPACE_TO_DEPTH: ["float32", "int8"],
    GATHER_ND: ["float32", "int8"],
};

const f32 = (shape: number[]): TensorSpec => ({ shape, type: "float32" });
const int32 = (values: number[], shape = [values.length]): TensorSpec => ({ shape, type: "int32", data: values });

/** Loads `model` in both loaders: they must agree; returns the STS's dump. */
function loadBoth(model: Buffer): { ok: boolean; text: string } {
    const sts = stsLoaderDump(model);
    assert.deepStrictEqual(cLoaderDump(model), sts);
    return sts;
}

/** Runs `model` in the STS and in C with `inputs`; they must agree; returns the outputs appended. */
function runBoth(model: Buffer, inputs: Buffer[]): Buffer {
    const sts = loadBoth(model);
    assert.ok(sts.ok, sts.text);
    const ip = new tflite.StsInterpreter(model);
    inputs.forEach((b, i) => ip.setInputBytes(i, b));
    ip.invoke();
    const out: Buffer[] = [];
    for (let i = 0; i < ip.outputCount(); i++) out.push(Buffer.from(ip.outputBytes(i)));
    const all = Buffer.concat(out);
    assert.deepStrictEqual(cLoaderRun(model, inputs), all);
    return all;
}

describe("Data movement ops: coverage, refusals and undefined cases, the STS and the C alike", () => {
    before(() => buildLoaderTool());

    it("has TFLM goldens for every type each data movement op takes", () => {
        for (const op of Object.keys(TFLM_TYPES)) {
            const file = path.join(GOLDENS, op.toLowerCase(), "manifest.json");
            assert.ok(fs.existsSync(file), `no goldens for ${op}`);
            const m: GoldenManifest = JSON.parse(fs.readFileSync(file, "utf8"));
            assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
            for (const type of TFLM_TYPES[op]) {
                const n = m.cases.filter((c) => c.covers.includes(type)).length;
                assert.ok(n >= 1, `${op} ${type}: ${n} cases`);
            }
        }
    });

    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "GATHER of INT16 (TFLM gathers FLOAT32 and INT8)",
            spec: { op: "GATHER", inputs: [{ shape: [3], type: "int16" }, { shape: [2], type: "int32" }], outputs: [{ shape: [2], type: "int16" }] },
            message: /unsupported type INT16 of tensor 0 'input0' INT16\[3\] \(TFLM takes FLOAT32, INT8\)$/ },
        { name: "GATHER with INT64 positions",
            spec: { op: "GATHER", inputs: [f32([3]), { shape: [2], type: "int64" }], outputs: [f32([2])] },
            message: /positions tensor 1 'input1' INT64\[2\] must be INT32 \(TFLM takes no other type\)$/ },
        { name: "GATHER with batch_dims past the axis",
            spec: { op: "GATHER", options: { axis: 0, batchDims: 1 }, inputs: [f32([2, 3]), { shape: [2, 1], type: "int32" }], outputs: [f32([2, 1, 3])] },
            message: /batch_dims 1 must be within 0 and axis 0 and the positions' rank$/ },
        { name: "SPLIT with an axis that is a model input",
            spec: { op: "SPLIT", options: { numSplits: 2 }, inputs: [{ shape: [1], type: "int32" }, f32([4])], outputs: [f32([2]), f32([2])] },
            message: /the axis input tensor 0 'input0' INT32\[1\] must be constant$/ },
        { name: "SPLIT of a dimension into parts that are not equal",
            spec: { op: "SPLIT", options: { numSplits: 2 }, inputs: [int32([0]), f32([5])], outputs: [f32([2]), f32([3])] },
            message: /input tensor 1 'input1' FLOAT32\[5\] does not split into 2 equal parts along axis 0$/ },
        { name: "SPLIT into outputs of another shape than the parts",
            spec: { op: "SPLIT", options: { numSplits: 2 }, inputs: [int32([0]), f32([4, 2])], outputs: [f32([2, 2]), f32([2, 1])] },
            message: /output tensor 3 'output1' FLOAT32\[2,1\] must have shape \[2,2\]$/ },
        { name: "SPLIT_V into an output of lower rank (its size along the axis is not there)",
            spec: { op: "SPLIT_V", options: { numSplits: 2 }, inputs: [f32([2, 4]), int32([2, 2]), int32([1])], outputs: [f32([2, 2]), f32([2])] },
            message: /output tensor 4 'output1' FLOAT32\[2\] must have the rank of input tensor 0 'input0' FLOAT32\[2,4\]$/ },
        { name: "SPLIT_V whose outputs do not add up to the input",
            spec: { op: "SPLIT_V", options: { numSplits: 2 }, inputs: [f32([5, 2]), int32([1, 2]), int32([0])], outputs: [f32([1, 2]), f32([2, 2])] },
            message: /the outputs' sizes along axis 0 add up to 3, not input tensor 0 'input0' FLOAT32\[5,2\]'s$/ },
        { name: "PACK whose values_count is not its input count",
            spec: { op: "PACK", options: { valuesCount: 3, axis: 0 }, inputs: [f32([2]), f32([2])], outputs: [f32([2, 2])] },
            message: /values_count 3 must be the number of inputs, 2$/ },
        { name: "UNPACK along an axis of another size than its output count",
            spec: { op: "UNPACK", options: { num: 2, axis: 1 }, inputs: [f32([2, 3])], outputs: [f32([2]), f32([2])] },
            message: /input tensor 0 'input0' FLOAT32\[2,3\] must have 2 values along axis 1, one per output$/ },
        { name: "SLICE reaching past the input",
            spec: { op: "SLICE", inputs: [f32([4, 2]), int32([2, 0]), int32([3, -1])], outputs: [f32([3, 2])] },
            message: /begin 2 and size 3 leave dimension 0 of input tensor 0 'input0' FLOAT32\[4,2\]$/ },
        { name: "SLICE with begin and size of two types",
            spec: { op: "SLICE", inputs: [f32([4]), int32([1]), { shape: [1], type: "int64", data: [2] }], outputs: [f32([2])] },
            message: /size tensor 2 'const2' INT64\[1\] must have the type of begin tensor 1 'const1' INT32\[1\]$/ },
        { name: "SLICE with begin a model input into an output larger than the input",
            spec: { op: "SLICE", inputs: [f32([4, 2]), { shape: [2], type: "int32" }, int32([2, 3])], outputs: [f32([2, 3])] },
            message: /output tensor 3 'output0' FLOAT32\[2,3\] is larger than input tensor 0 'input0' FLOAT32\[4,2\] in dimension 1$/ },
        { name: "SHAPE into INT64 (TFLM writes INT32 only)",
            spec: { op: "SHAPE", inputs: [f32([2, 3])], outputs: [{ shape: [2], type: "int64" }] },
            message: /output tensor 1 'output0' INT64\[2\] must be INT32 \(TFLM writes no other type\)$/ },
        { name: "REVERSE_V2 of axes that are not neighbours",
            spec: { op: "REVERSE_V2", inputs: [f32([2, 2, 2]), int32([0, -1])], outputs: [f32([2, 2, 2])] },
            message: /the axes \[0,-1\] are not neighbours \(TFLM reverses neighbouring axes only\)$/ },
        { name: "REVERSE_V2 of one axis twice",
            spec: { op: "REVERSE_V2", inputs: [f32([2, 2]), int32([1, -1])], outputs: [f32([2, 2])] },
            message: /axis -1 is listed twice \(TFLM reverses neighbouring axes only\)$/ },
        { name: "BROADCAST_TO a shape the input does not broadcast to",
            spec: { op: "BROADCAST_TO", inputs: [f32([3]), int32([2, 4])], outputs: [f32([2, 4])] },
            message: /input tensor 0 'input0' FLOAT32\[3\] cannot be broadcast to shape \[2,4\]$/ },
        { name: "BROADCAST_TO 6 dimensions (TFLM stops at 5)",
            spec: { op: "BROADCAST_TO", inputs: [f32([1]), int32([1, 1, 1, 1, 1, 2])], outputs: [f32([1, 1, 1, 1, 1, 2])] },
            message: /shape \[1,1,1,1,1,2\] has more than 5 dimensions$/ },
        { name: "DEPTH_TO_SPACE of a depth that is no multiple of the block squared",
            spec: { op: "DEPTH_TO_SPACE", options: { blockSize: 2 }, inputs: [f32([1, 1, 1, 6])], outputs: [f32([1, 2, 2, 1])] },
            message: /input depth 6 is not a multiple of block size 2 squared$/ },
        { name: "SPACE_TO_DEPTH with block size 0 (TFLM divides by it)",
            spec: { op: "SPACE_TO_DEPTH", options: { blockSize: 0 }, inputs: [f32([1, 2, 2, 1])], outputs: [f32([1, 1, 1, 4])] },
            message: /block size 0 must be positive$/ },
        { name: "GATHER_ND with index tuples longer than the input's rank",
            spec: { op: "GATHER_ND", inputs: [f32([2, 2]), { shape: [1, 3], type: "int32" }], outputs: [f32([1])] },
            message: /index tuples of 3 exceed the rank of input tensor 0 'input0' FLOAT32\[2,2\]$/ },
        { name: "GATHER_ND of an output shape that is not TFLM's",
            spec: { op: "GATHER_ND", inputs: [f32([2, 3]), { shape: [4, 1], type: "int32" }], outputs: [f32([4, 2])] },
            message: /output tensor 2 'output0' FLOAT32\[4,2\] must have shape \[4,3\]$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const sts = loadBoth(singleOpModel(c.spec));
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });

    it("gives zeros for GATHER positions outside the axis (TFLM reads outside the input there)", () => {
        const model = singleOpModel({ op: "GATHER", options: { axis: 1 },
            inputs: [{ shape: [2, 3], type: "int8", scale: 0.5, zeroPoint: 0 }, { shape: [4], type: "int32" }],
            outputs: [{ shape: [2, 4], type: "int8", scale: 0.5, zeroPoint: 0 }] });
        const out = runBoth(model, [encodeValues("int8", [1, 2, 3, 4, 5, 6]), encodeValues("int32", [2, -1, 3, 0])]);
        assert.deepStrictEqual(Array.from(new Int8Array(out.buffer, out.byteOffset, out.length)), [3, 0, 0, 1, 6, 0, 0, 4]);
    });

    it("reads SLICE's begin at invoke when it is a model input, and gives zeros for a block outside the input (TFLM reads outside it)", () => {
        const model = singleOpModel({ op: "SLICE", inputs: [{ shape: [2, 4], type: "int16", scale: 1, zeroPoint: 0 }, { shape: [2], type: "int64" }, { shape: [2], type: "int64", data: [1, 3] }],
            outputs: [{ shape: [1, 3], type: "int16", scale: 1, zeroPoint: 0 }] });
        const input = encodeValues("int16", [1, 2, 3, 4, 5, 6, 7, 8]);
        const at = (begin: number[]) => {
            const out = runBoth(model, [input, encodeValues("int64", begin)]);
            return [0, 1, 2].map((i) => out.readInt16LE(2 * i));
        };
        assert.deepStrictEqual(at([1, 1]), [6, 7, 8]);
        assert.deepStrictEqual(at([0, 0]), [1, 2, 3]);
        // Past the end of dimension 1, and a negative begin: zeros.
        assert.deepStrictEqual(at([0, 2]), [0, 0, 0]);
        assert.deepStrictEqual(at([-1, 0]), [0, 0, 0]);
    });

    it("reads REVERSE_V2's axes at invoke when they are a model input, and gives zeros for axes TFLM fails the invoke on", () => {
        const model = singleOpModel({ op: "REVERSE_V2", inputs: [{ shape: [2, 1, 3], type: "int8", scale: 1, zeroPoint: 0 }, { shape: [2], type: "int32" }],
            outputs: [{ shape: [2, 1, 3], type: "int8", scale: 1, zeroPoint: 0 }] });
        const input = encodeValues("int8", [1, 2, 3, 4, 5, 6]);
        const reversed = (axes: number[]) => Array.from(runBoth(model, [input, encodeValues("int32", axes)])).map((b) => (b << 24) >> 24);
        assert.deepStrictEqual(reversed([2, 1]), [3, 2, 1, 6, 5, 4]);
        assert.deepStrictEqual(reversed([0, -2]), [4, 5, 6, 1, 2, 3]);
        // Not neighbours, one axis twice, out of range: zeros.
        for (const axes of [[0, 2], [1, -2], [3, 2]]) assert.deepStrictEqual(reversed(axes), [0, 0, 0, 0, 0, 0], `axes ${axes}`);
    });

    it("gives zeros for GATHER_ND slices starting outside the input (TFLM fails the invoke) and reads flat positions as TFLM", () => {
        const model = singleOpModel({ op: "GATHER_ND", inputs: [f32([3, 2]), { shape: [4, 2], type: "int32" }], outputs: [f32([4])] });
        // [0, 3] is flat position 3, inside the input though 3 is past dimension 1 (TFLM checks only
        // the flat position); [2, 2] is flat position 6 and [-1, 0] -2, both outside.
        const out = runBoth(model, [encodeValues("float32", [10, 11, 12, 13, 14, 15]), encodeValues("int32", [1, 1, 0, 3, 2, 2, -1, 0])]);
        assert.deepStrictEqual(Array.from(new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length))), [13, 13, 0, 0]);
    });

    it("takes and gives INT64 values through setInput and outputValues (PACK int64)", () => {
        const i64 = (shape: number[]): TensorSpec => ({ shape, type: "int64" });
        const model = singleOpModel({ op: "PACK", options: { valuesCount: 2, axis: 1 }, inputs: [i64([2]), i64([2])], outputs: [i64([2, 2])] });
        const ip = new tflite.StsInterpreter(model);
        ip.setInput(0, [-1, 2 ** 40 + 3]);
        ip.setInput(1, [-(2 ** 52), 7]);
        ip.invoke();
        assert.deepStrictEqual(ip.outputValues(0), [-1, -(2 ** 52), 2 ** 40 + 3, 7]);
        assert.deepStrictEqual(runBoth(model, [encodeValues("int64", [-1, 2 ** 40 + 3]), encodeValues("int64", [-(2 ** 52), 7])]),
            Buffer.from(ip.outputBytes(0)));
    });

    it("moves empty tensors alike (SPLIT of a 0-row input, SLICE of size 0, BROADCAST_TO a 0 dimension)", () => {
        runBoth(singleOpModel({ op: "SPLIT", options: { numSplits: 2 }, inputs: [int32([1]), f32([0, 4])], outputs: [f32([0, 2]), f32([0, 2])] }),
            [Buffer.alloc(0)]);
        assert.strictEqual(runBoth(singleOpModel({ op: "SLICE", inputs: [f32([3, 2]), int32([1, 1]), int32([0, 1])], outputs: [f32([0, 1])] }),
            [Buffer.alloc(24)]).length, 0);
        assert.strictEqual(runBoth(singleOpModel({ op: "BROADCAST_TO", inputs: [f32([1, 2]), int32([0, 2])], outputs: [f32([0, 2])] }),
            [Buffer.alloc(8)]).length, 0);
    });
});
