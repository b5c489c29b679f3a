// L2_NORMALIZATION, L2_POOL_2D and LOG_SOFTMAX (libs/tflite/kernel_l2.ts, kernels/prepare_l2.c, kernels/l2.c) past what TFLM's
// goldens show (test/tflm_goldens.test.ts runs those): that the goldens reach every type and branch
// TFLM's kernel takes, models both loaders refuse with the same message, and empty tensors, run
// alike in the STS and in C (built with sanitizers).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildLoaderTool, cLoaderDump, cLoaderRun, stsLoaderDump } from "../node/c-loader";
import { singleOpModel, SingleOpSpec, TensorSpec } from "../node/model-writer";
import type { GoldenManifest } from "../tools/make-tflm-goldens";

const GOLDENS = path.join(__dirname, "..", "..", "test", "tflm-goldens");

/** TFLM's branches by type (its l2norm.cc and reference kernels at the manifest's commit). */
const L2_NORMALIZATION_COVERS: { [type: string]: string[] } = {
    float32: ["rank-1", "rank-2", "rank-3", "rank-4", "small-norm", "overflow", "depth-1"],
    int8: ["rank-1", "rank-2", "rank-3", "rank-4", "sum-0-or-1", "sum-past-2^29", "depth-1"],
};

const f32 = (shape: number[]): TensorSpec => ({ shape, type: "float32" });
const i8 = (shape: number[]): TensorSpec => ({ shape, type: "int8", scale: 0.5, zeroPoint: 3 });

function loadBoth(model: Buffer): { ok: boolean; text: string } {
    const sts = stsLoaderDump(model);
    assert.deepStrictEqual(cLoaderDump(model), sts);
    return sts;
}

describe("L2_NORMALIZATION, L2_POOL_2D and LOG_SOFTMAX: coverage, refusals, the STS and the C alike", () => {
    before(() => buildLoaderTool());

    it("has TFLM goldens for every type and branch of TFLM's kernel", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "l2_normalization", "manifest.json"), "utf8"));
        assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
        for (const type of Object.keys(L2_NORMALIZATION_COVERS))
            for (const branch of L2_NORMALIZATION_COVERS[type])
                assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(branch)), `${type} ${branch}`);
    });

    it("has TFLM goldens for L2_POOL_2D's paddings, activations, windows and overflow (float32, its one type)", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "l2_pool_2d", "manifest.json"), "utf8"));
        for (const branch of ["SAME", "VALID", "NONE", "RELU", "RELU6", "RELU_N1_TO_1", "window", "filter-1", "overflow"])
            assert.ok(m.cases.some((c) => c.covers.includes(branch)), branch);
    });

    it("has TFLM goldens for LOG_SOFTMAX's types, ranks and int8 branches", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "log_softmax", "manifest.json"), "utf8"));
        const covers: { [type: string]: string[] } = {
            float32: ["rank-1", "rank-2", "rank-3", "rank-4", "depth-1", "equal", "special"],
            int8: ["rank-1", "rank-2", "rank-3", "rank-4", "depth-1", "equal", "wide-spread", "narrow-spread", "coarse-scale",
                "zero-point-min", "zero-point-max", "longest-row"],
        };
        for (const type of Object.keys(covers))
            for (const branch of covers[type])
                assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(branch)), `${type} ${branch}`);
    });

    const pool = (input: TensorSpec, output: TensorSpec, activation = "NONE"): SingleOpSpec =>
        ({ op: "L2_POOL_2D", options: { padding: "VALID", strideW: 1, strideH: 1, filterWidth: 2, filterHeight: 2, activation }, inputs: [input], outputs: [output] });
    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "INT16 (TFLM takes FLOAT32 and INT8)",
            spec: { op: "L2_NORMALIZATION", inputs: [{ shape: [2, 3], type: "int16", scale: 1, zeroPoint: 0 }], outputs: [{ shape: [2, 3], type: "int16", scale: 1, zeroPoint: 0 }] },
            message: /unsupported type INT16 of tensor 1 'output0' INT16\[2,3\] \(TFLM takes FLOAT32, INT8\)$/ },
        { name: "a FLOAT32 input into an INT8 output",
            spec: { op: "L2_NORMALIZATION", inputs: [f32([2, 3])], outputs: [i8([2, 3])] },
            message: /tensor 1 'output0' INT8\[2,3\] must have the type of tensor 0 'input0' FLOAT32\[2,3\]$/ },
        { name: "a 5-D input (TFLM takes up to 4)",
            spec: { op: "L2_NORMALIZATION", inputs: [f32([1, 1, 1, 2, 3])], outputs: [f32([1, 1, 1, 2, 3])] },
            message: /the input must have 1 to 4 dimensions, not tensor 0 'input0' FLOAT32\[1,1,1,2,3\]$/ },
        { name: "a scalar (no last dimension to normalize along)",
            spec: { op: "L2_NORMALIZATION", inputs: [f32([])], outputs: [f32([])] },
            message: /the input must have 1 to 4 dimensions, not tensor 0 'input0' FLOAT32\[\]$/ },
        { name: "a fused RELU (TFLM takes none)",
            spec: { op: "L2_NORMALIZATION", options: { activation: "relu" }, inputs: [i8([2, 3])], outputs: [i8([2, 3])] },
            message: /TFLM takes no fused activation \(it has 1\)$/ },
        { name: "an output of another shape (TFLM only DCHECKs it)",
            spec: { op: "L2_NORMALIZATION", inputs: [f32([2, 3])], outputs: [f32([3, 2])] },
            message: /output tensor 1 'output0' FLOAT32\[3,2\] must have the shape of tensor 0 'input0' FLOAT32\[2,3\]$/ },
        { name: "L2_POOL_2D of INT8 (TFLM evaluates FLOAT32 only)",
            spec: pool(i8([1, 3, 3, 1]), i8([1, 2, 2, 1])),
            message: /unsupported type INT8 of tensor 0 'input0' INT8\[1,3,3,1\] \(TFLM takes FLOAT32\)$/ },
        { name: "L2_POOL_2D with a fused TANH",
            spec: pool(f32([1, 3, 3, 1]), f32([1, 2, 2, 1]), "TANH"),
            message: /unsupported fused activation 4$/ },
        { name: "L2_POOL_2D into an output of another shape (TFLM writes its own)",
            spec: pool(f32([1, 3, 3, 1]), f32([1, 3, 3, 1])),
            message: /output tensor 1 'output0' FLOAT32\[1,3,3,1\] must be \[1,2,2,1\] for input tensor 0 'input0' FLOAT32\[1,3,3,1\]$/ },
        { name: "L2_POOL_2D of a 3-D input",
            spec: pool(f32([3, 3, 1]), f32([2, 2, 1])),
            message: /the input must be 4-D \(NHWC\), not tensor 0 'input0' FLOAT32\[3,3,1\]$/ },
        { name: "LOG_SOFTMAX of INT16 (TFLM's Eval takes FLOAT32 and INT8)",
            spec: { op: "LOG_SOFTMAX", inputs: [{ shape: [2, 3], type: "int16", scale: 1, zeroPoint: 0 }], outputs: [{ shape: [2, 3], type: "int16", scale: 1, zeroPoint: 0 }] },
            message: /unsupported type INT16 of tensor 0 'input0' INT16\[2,3\] \(TFLM takes FLOAT32, INT8\)$/ },
        { name: "LOG_SOFTMAX into an INT8 output of another scale (TFLM fixes 16/256 and 127)",
            spec: { op: "LOG_SOFTMAX", inputs: [i8([2, 3])], outputs: [{ shape: [2, 3], type: "int8", scale: 1 / 256, zeroPoint: 127 }] },
            message: /an int8 output must have scale 16\/256 and zero point 127 \(TFLM's\), not scale 0.00390625 and zero point 127$/ },
        { name: "LOG_SOFTMAX into an INT8 output of another zero point",
            spec: { op: "LOG_SOFTMAX", inputs: [i8([2, 3])], outputs: [{ shape: [2, 3], type: "int8", scale: 16 / 256, zeroPoint: -128 }] },
            message: /an int8 output must have scale 16\/256 and zero point 127 \(TFLM's\), not scale 0.0625 and zero point -128$/ },
        { name: "LOG_SOFTMAX int8 of an input scale of 2^-27 (TFLM's QuantizeMultiplierGreaterThanOne aborts)",
            spec: { op: "LOG_SOFTMAX", inputs: [{ shape: [2, 3], type: "int8", scale: 2 ** -27, zeroPoint: 0 }], outputs: [{ shape: [2, 3], type: "int8", scale: 16 / 256, zeroPoint: 127 }] },
            message: /the scale of tensor 0 'input0' INT8\[2,3\] times 2\^26 is 0.5, too small for the int8 log softmax \(TFLM needs more than 1\)$/ },
        { name: "LOG_SOFTMAX int8 rows of 4,096 values (TFLM's Q12.19 sum overflows)",
            spec: { op: "LOG_SOFTMAX", inputs: [{ shape: [1, 4096], type: "int8", scale: 0.5, zeroPoint: 0 }], outputs: [{ shape: [1, 4096], type: "int8", scale: 16 / 256, zeroPoint: 127 }] },
            message: /rows of 4096 values are too long for the int8 log softmax \(at most 4095\)$/ },
        { name: "LOG_SOFTMAX into an output of another shape (TFLM's HaveSameShapes)",
            spec: { op: "LOG_SOFTMAX", inputs: [f32([2, 3])], outputs: [f32([6])] },
            message: /output tensor 1 'output0' FLOAT32\[6\] must have the shape of tensor 0 'input0' FLOAT32\[2,3\]$/ },
        { name: "LOG_SOFTMAX of a scalar",
            spec: { op: "LOG_SOFTMAX", inputs: [f32([])], outputs: [f32([])] },
            message: /the input must have at least one dimension, not tensor 0 'input0' FLOAT32\[\]$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const sts = loadBoth(singleOpModel(c.spec));
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });

    it("runs empty tensors (no rows, rows of no values) alike in the STS and in C", () => {
        for (const shape of [[0, 3], [2, 0]])
            for (const t of [f32, i8]) {
                const model = singleOpModel({ op: "L2_NORMALIZATION", inputs: [t(shape)], outputs: [t(shape)] });
                assert.ok(loadBoth(model).ok);
                assert.strictEqual(cLoaderRun(model, [Buffer.alloc(0)]).length, 0);
            }
    });
});
