// BATCH_MATMUL, DYNAMIC_UPDATE_SLICE and CUMSUM (libs/tflite/kernel_matmul.ts, kernels/prepare_matmul.c, kernels/matmul.c) past
// what TFLM's goldens show (test/tflm_goldens.test.ts runs those): that the goldens reach every
// type and branch TFLM's kernel takes, and models both loaders refuse with the same message.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildLoaderTool, cLoaderDump, stsLoaderDump } from "../node/c-loader";
import { singleOpModel, SingleOpSpec, TensorSpec } from "../node/model-writer";
import type { GoldenManifest } from "../tools/make-tflm-goldens";

const GOLDENS = path.join(__dirname, "..", "..", "test", "tflm-goldens");

/** TFLM's branches by type (its batch_matmul.cc and reference kernel at the manifest's commit). */
const COMMON = ["adj_x-0", "adj_x-1", "adj_y-0", "adj_y-1", "rank-2", "rank-3", "rank-4", "rank-5", "constant-rhs", "input-rhs",
    "constant-lhs", "broadcast-both", "lhs-fewer-dims", "rhs-fewer-dims", "flatten", "ones", "one-row", "deep"];
const BATCH_MATMUL_COVERS: { [type: string]: string[] } = {
    float32: COMMON.concat(["negative-zero", "overflow", "output-higher-rank"]),
    int8: COMMON.concat(["saturate", "multiplier-above-1"]),
    int16: COMMON.concat(["saturate", "multiplier-above-1"]),
};

const f32 = (shape: number[]): TensorSpec => ({ shape, type: "float32" });
const i8 = (shape: number[], zeroPoint = 3): TensorSpec => ({ shape, type: "int8", scale: 0.5, zeroPoint });
const i16 = (shape: number[], zeroPoint = 0): TensorSpec => ({ shape, type: "int16", scale: 0.5, zeroPoint });

function loadBoth(model: Buffer): { ok: boolean; text: string } {
    const sts = stsLoaderDump(model);
    assert.deepStrictEqual(cLoaderDump(model), sts);
    return sts;
}

describe("BATCH_MATMUL: coverage, refusals, the STS and the C alike", () => {
    before(() => buildLoaderTool());

    it("has TFLM goldens for every type and branch of TFLM's kernel", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "batch_matmul", "manifest.json"), "utf8"));
        assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
        for (const type of Object.keys(BATCH_MATMUL_COVERS))
            for (const branch of BATCH_MATMUL_COVERS[type])
                assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(branch)), `${type} ${branch}`);
    });

    const mm = (lhs: TensorSpec, rhs: TensorSpec, out: TensorSpec, options = {}): SingleOpSpec =>
        ({ op: "BATCH_MATMUL", options, inputs: [lhs, rhs], outputs: [out] });
    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "INT32 (TFLM takes FLOAT32, INT8, INT16)",
            spec: mm({ shape: [2, 3], type: "int32" }, { shape: [3, 2], type: "int32" }, { shape: [2, 2], type: "int32" }),
            message: /unsupported type INT32 of tensor 0 'input0' INT32\[2,3\] \(TFLM takes FLOAT32, INT8, INT16\)$/ },
        { name: "an INT8 rhs with a FLOAT32 lhs",
            spec: mm(f32([2, 3]), i8([3, 2]), f32([2, 2])),
            message: /tensor 1 'input1' INT8\[3,2\] must have the type of tensor 0 'input0' FLOAT32\[2,3\]$/ },
        { name: "an INT8 output of INT16 inputs",
            spec: mm(i16([2, 3]), i16([3, 2]), i8([2, 2])),
            message: /tensor 2 'output0' INT8\[2,2\] must have the type of tensor 0 'input0' INT16\[2,3\]$/ },
        { name: "a 1-D lhs",
            spec: mm(f32([3]), f32([3, 2]), f32([2])),
            message: /lhs tensor 0 'input0' FLOAT32\[3\] must have 2 to 5 dimensions$/ },
        { name: "a 6-D rhs",
            spec: mm(f32([2, 3]), f32([1, 1, 1, 1, 3, 2]), f32([1, 1, 1, 1, 2, 2])),
            message: /rhs tensor 1 'input1' FLOAT32\[1,1,1,1,3,2\] must have 2 to 5 dimensions$/ },
        { name: "a per-channel rhs (TFLM reads its first scale only)",
            spec: mm(i8([2, 3]), { shape: [3, 2], type: "int8", scale: [0.5, 0.25], zeroPoint: 0, quantizedDimension: 1 }, i8([2, 2])),
            message: /TFLM's BATCH_MATMUL is per-tensor: it reads only the first of several scales$/ },
        { name: "an int16 zero point other than 0",
            spec: mm(i16([2, 3]), i16([3, 2], 1), i16([2, 2])),
            message: /int16 tensors must have zero point 0$/ },
        { name: "batch dimensions that do not broadcast",
            spec: mm(f32([2, 2, 3]), f32([3, 3, 2]), f32([2, 2, 2])),
            message: /batch dimension 0 does not broadcast: lhs tensor 0 'input0' FLOAT32\[2,2,3\] has 2, rhs tensor 1 'input1' FLOAT32\[3,3,2\] has 3$/ },
        { name: "depths that differ (adj_y)",
            spec: mm(f32([2, 3]), f32([3, 2]), f32([2, 3]), { adjY: true }),
            message: /lhs tensor 0 'input0' FLOAT32\[2,3\] has depth 3, rhs tensor 1 'input1' FLOAT32\[3,2\] has 2 \(adj_x 0, adj_y 1\)$/ },
        { name: "an output of another size",
            spec: mm(f32([2, 3]), f32([3, 4]), f32([2, 3])),
            message: /output tensor 2 'output0' FLOAT32\[2,3\] must hold 8 values in at least 2 dimensions$/ },
        { name: "an output of fewer dimensions than the result (TFLM rewrites only up)",
            spec: mm(f32([2, 2, 3]), f32([3, 4]), f32([16])),
            message: /output tensor 2 'output0' FLOAT32\[16\] must hold 16 values in at least 3 dimensions$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const sts = loadBoth(singleOpModel(c.spec));
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });
});

const DYNAMIC_UPDATE_SLICE_COVERS: { [type: string]: string[] } = {};
for (const type of ["float32", "int8", "int16", "int32"])
    DYNAMIC_UPDATE_SLICE_COVERS[type] = ["indices-int32", "indices-int64", "rank-1", "rank-2", "rank-3", "rank-4", "in-range", "clamped",
        "whole", "empty-update", "constant-indices", "input-indices"];

describe("DYNAMIC_UPDATE_SLICE: coverage, refusals, the STS and the C alike", () => {
    before(() => buildLoaderTool());

    it("has TFLM goldens for every type and branch of TFLM's kernel", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "dynamic_update_slice", "manifest.json"), "utf8"));
        assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
        for (const type of Object.keys(DYNAMIC_UPDATE_SLICE_COVERS))
            for (const branch of DYNAMIC_UPDATE_SLICE_COVERS[type])
                assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(branch)), `${type} ${branch}`);
        for (const branch of ["rank-5", "rank-6", "int64-wide"]) assert.ok(m.cases.some((c) => c.covers.includes(branch)), branch);
    });

    const idx = (n: number, type: "int32" | "int64" = "int32"): TensorSpec => ({ shape: [n], type });
    const dus = (operand: TensorSpec, update: TensorSpec, indices: TensorSpec, out: TensorSpec = operand): SingleOpSpec =>
        ({ op: "DYNAMIC_UPDATE_SLICE", inputs: [operand, update, indices], outputs: [out] });
    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "an update of another type",
            spec: dus(f32([3, 4]), i8([2, 2]), idx(2)),
            message: /tensor 1 'input1' INT8\[2,2\] must have the type of tensor 0 'input0' FLOAT32\[3,4\]$/ },
        { name: "FLOAT32 start indices",
            spec: dus(f32([3, 4]), f32([2, 2]), f32([2])),
            message: /the start indices tensor 2 'input2' FLOAT32\[2\] must be INT32 or INT64$/ },
        { name: "start indices of another length than the rank",
            spec: dus(f32([3, 4]), f32([2, 2]), idx(3, "int64")),
            message: /the start indices tensor 2 'input2' INT64\[3\] must be 1-D with one index per dimension of tensor 0 'input0' FLOAT32\[3,4\]$/ },
        { name: "an update of another rank",
            spec: dus(f32([3, 4]), f32([2]), idx(2)),
            message: /update tensor 1 'input1' FLOAT32\[2\] must have the rank of tensor 0 'input0' FLOAT32\[3,4\]$/ },
        { name: "an update larger than the operand",
            spec: dus(f32([3, 4]), f32([2, 5]), idx(2)),
            message: /update tensor 1 'input1' FLOAT32\[2,5\] is larger than tensor 0 'input0' FLOAT32\[3,4\] in dimension 1$/ },
        { name: "a UINT8 operand (TFLM's invoke fails)",
            spec: dus({ shape: [3], type: "uint8", scale: 1, zeroPoint: 0 }, { shape: [2], type: "uint8", scale: 1, zeroPoint: 0 }, idx(1)),
            message: /unsupported type UINT8 of tensor 0 'input0' UINT8\[3\] \(TFLM takes FLOAT32, INT8, INT16, INT32\)$/ },
        { name: "a 7-D operand (TFLM's arrays hold 6)",
            spec: dus(f32([1, 1, 1, 1, 1, 2, 3]), f32([1, 1, 1, 1, 1, 1, 1]), idx(7)),
            message: /operand tensor 0 'input0' FLOAT32\[1,1,1,1,1,2,3\] has more than TFLM's 6 dimensions$/ },
        { name: "an output of another size",
            spec: dus(f32([3, 4]), f32([2, 2]), idx(2), f32([3, 3])),
            message: /output tensor 3 'output0' FLOAT32\[3,3\] must have the type and size of tensor 0 'input0' FLOAT32\[3,4\]$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const sts = loadBoth(singleOpModel(c.spec));
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });
});

const CUMSUM_COVERS: { [type: string]: string[] } = {};
for (const type of ["float32", "int8"])
    CUMSUM_COVERS[type] = ["exclusive-0", "exclusive-1", "reverse-0", "reverse-1", "rank-1", "rank-2", "rank-3", "rank-4", "axis", "negative-axis",
        "first-axis", "last-axis", "depth-1"];
CUMSUM_COVERS.int8.push("wrap", "saturate");
CUMSUM_COVERS.float32.push("negative-zero", "overflow");

describe("CUMSUM: coverage, refusals, the STS and the C alike", () => {
    before(() => buildLoaderTool());

    it("has TFLM goldens for every type and branch of TFLM's kernel", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "cumsum", "manifest.json"), "utf8"));
        assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
        for (const type of Object.keys(CUMSUM_COVERS))
            for (const branch of CUMSUM_COVERS[type])
                assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(branch)), `${type} ${branch}`);
    });

    const axis = (v: number, shape = [1]): TensorSpec => ({ shape, type: "int32", data: [v] });
    const cumsum = (input: TensorSpec, a: TensorSpec, out: TensorSpec = input): SingleOpSpec =>
        ({ op: "CUMSUM", inputs: [input, a], outputs: [out] });
    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "INT16 (TFLM takes FLOAT32, INT8)",
            spec: cumsum(i16([2, 3]), axis(0)),
            message: /unsupported type INT16 of tensor 0 'input0' INT16\[2,3\] \(TFLM takes FLOAT32, INT8\)$/ },
        { name: "an INT64 axis",
            spec: cumsum(f32([2, 3]), { shape: [1], type: "int64", data: [0] }),
            message: /the axis tensor 1 'const1' INT64\[1\] must be one INT32$/ },
        { name: "two axes",
            spec: cumsum(f32([2, 3]), { shape: [2], type: "int32", data: [0, 1] }),
            message: /the axis tensor 1 'const1' INT32\[2\] must be one INT32$/ },
        { name: "a scalar input",
            spec: cumsum(f32([]), axis(0)),
            message: /the input tensor 0 'input0' FLOAT32\[\] must have a dimension$/ },
        { name: "an output of another type",
            spec: cumsum(f32([2, 3]), axis(0), i8([2, 3])),
            message: /tensor 2 'output0' INT8\[2,3\] must have the type of tensor 0 'input0' FLOAT32\[2,3\]$/ },
        { name: "an output of another shape",
            spec: cumsum(f32([2, 3]), axis(0), f32([3, 2])),
            message: /output tensor 2 'output0' FLOAT32\[3,2\] must have the shape of tensor 0 'input0' FLOAT32\[2,3\]$/ },
        { name: "an axis given as a model input (TFLM reads it at invoke; here it must be constant)",
            spec: cumsum(f32([2, 3]), { shape: [1], type: "int32" }),
            message: /the axis tensor 1 'input1' INT32\[1\] must be constant$/ },
        { name: "an axis out of range (TFLM fails the invoke)",
            spec: cumsum(f32([2, 3]), axis(-3)),
            message: /axis -3 is out of range for tensor 0 'input0' FLOAT32\[2,3\]$/ },
        { name: "an int8 rescale of 1 or more (TFLM aborts)",
            spec: cumsum({ shape: [4], type: "int8", scale: 1, zeroPoint: 0 }, axis(0), { shape: [4], type: "int8", scale: 1e-6, zeroPoint: 0 }),
            message: /the rescale 2 \* input scale \/ \(2\^20 \* output scale\) must be below 1 \(TFLM aborts\)$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const sts = loadBoth(singleOpModel(c.spec));
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });
});
