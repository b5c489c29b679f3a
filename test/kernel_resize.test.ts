// RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR, MIRROR_PAD, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND,
// EMBEDDING_LOOKUP and BROADCAST_ARGS (libs/tflite/kernel_resize.ts, kernels/prepare_resize.c,
// kernels/resize.c) past what TFLM's goldens show (test/tflm_goldens.test.ts runs those): that the
// goldens reach every type and flag TFLM's kernels take, models both loaders refuse with the same
// message, and an empty output, run alike in the STS and in C (built with sanitizers).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildLoaderTool, cLoaderDump, cLoaderRun, stsLoaderDump } from "../node/c-loader";
import { encodeValues, singleOpModel, SingleOpSpec, TensorSpec } from "../node/model-writer";
import type { GoldenManifest } from "../tools/make-tflm-goldens";

const GOLDENS = path.join(__dirname, "..", "..", "test", "tflm-goldens");

/** The types and flags each TFLM kernel takes (its Prepare/Eval at the manifests' commit). */
const TFLM_COVERS: { [op: string]: string[][] } = {
    RESIZE_NEAREST_NEIGHBOR: [["float32", "int8", "int16"], ["plain", "align", "half", "align-half"]],
    RESIZE_BILINEAR: [["float32", "int8"], ["plain", "align", "half"]],
};
const MIRROR_PAD_COVERS = [["float32", "int8"], ["reflect", "symmetric"], ["paddings-int32", "paddings-int64"], ["small", "most", "right-past"]];

const f32 = (shape: number[]): TensorSpec => ({ shape, type: "float32" });
const size = (values: number[], type: "int32" | "int64" = "int32"): TensorSpec => ({ shape: [values.length], type, data: values });

function loadBoth(model: Buffer): { ok: boolean; text: string } {
    const sts = stsLoaderDump(model);
    assert.deepStrictEqual(cLoaderDump(model), sts);
    return sts;
}

describe("RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR, MIRROR_PAD, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, EMBEDDING_LOOKUP, BROADCAST_ARGS: coverage, refusals, the STS and the C alike", () => {
    before(() => buildLoaderTool());

    it("has TFLM goldens for every type and flag each resize takes, with every type upsampling", () => {
        for (const op of Object.keys(TFLM_COVERS)) {
            const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, op.toLowerCase(), "manifest.json"), "utf8"));
            assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
            const [types, flags] = TFLM_COVERS[op];
            for (const type of types) {
                for (const flag of flags) assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(flag)), `${op} ${type} ${flag}`);
                for (const scale of ["height-up", "width-up", "height-down", "width-down"])
                    assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(scale)), `${op} ${type} ${scale}`);
            }
            assert.ok(m.cases.some((c) => c.covers.includes("align") && (c.covers.includes("height-to-1") || c.covers.includes("width-to-1"))),
                `${op}: align_corners with an output size of 1`);
        }
    });

    it("has TFLM goldens for every type, mode and paddings type of MIRROR_PAD", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "mirror_pad", "manifest.json"), "utf8"));
        for (const type of MIRROR_PAD_COVERS[0])
            for (const words of MIRROR_PAD_COVERS.slice(1))
                for (const w of words) assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(w)), `MIRROR_PAD ${type} ${w}`);
    });

    it("has TFLM goldens for every type, rank and padding or crop pattern of SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND", () => {
        for (const op of ["space_to_batch_nd", "batch_to_space_nd"]) {
            const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, op, "manifest.json"), "utf8"));
            for (const type of ["float32", "int8"])
                for (const rank of ["rank-3", "rank-4"])
                    for (const pattern of ["none", "some", "all-sides"])
                        assert.ok(m.cases.some((c) => [type, rank, pattern].every((w) => c.covers.includes(w))), `${op} ${type} ${rank} ${pattern}`);
        }
    });

    it("has TFLM goldens for BROADCAST_ARGS of INT32 and INT64, either shape the longer or empty", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "broadcast_args", "manifest.json"), "utf8"));
        for (const type of ["int32", "int64"])
            for (const pattern of ["same-length", "longer-first", "longer-second", "empty-one"])
                assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(pattern)), `${type} ${pattern}`);
    });

    it("has TFLM goldens for EMBEDDING_LOOKUP's copies of FLOAT32 and INT8 and its hybrid INT8-to-FLOAT32 path", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "embedding_lookup", "manifest.json"), "utf8"));
        for (const words of [["float32", "copy"], ["int8", "copy"], ["int8", "hybrid"]])
            assert.ok(m.cases.some((c) => words.every((w) => c.covers.includes(w))), words.join(" "));
    });

    it("gives zeros for EMBEDDING_LOOKUP's lookups outside the rows (TFLM fails the invoke)", () => {
        const model = singleOpModel({ op: "EMBEDDING_LOOKUP", inputs: [{ shape: [3], type: "int32" }, { shape: [2, 2], type: "int8", scale: 0.5, zeroPoint: 0 }],
            outputs: [f32([3, 2])] });
        assert.ok(loadBoth(model).ok);
        const out = cLoaderRun(model, [encodeValues("int32", [1, 2, -1]), encodeValues("int8", [1, 2, 3, -4])]);
        assert.deepStrictEqual(Array.from(new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length))), [1.5, -2, 0, 0, 0, 0]);
    });

    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "RESIZE_BILINEAR of INT16 (TFLM resizes FLOAT32 and INT8)",
            spec: { op: "RESIZE_BILINEAR", inputs: [{ shape: [1, 2, 2, 1], type: "int16", scale: 1, zeroPoint: 0 }, size([3, 3])],
                outputs: [{ shape: [1, 3, 3, 1], type: "int16", scale: 1, zeroPoint: 0 }] },
            message: /unsupported type INT16 of tensor 0 'input0' INT16\[1,2,2,1\] \(TFLM takes FLOAT32, INT8\)$/ },
        { name: "RESIZE_NEAREST_NEIGHBOR of INT32 (TFLM moves FLOAT32, INT8 and INT16)",
            spec: { op: "RESIZE_NEAREST_NEIGHBOR", inputs: [{ shape: [1, 2, 2, 1], type: "int32" }, size([3, 3])], outputs: [{ shape: [1, 3, 3, 1], type: "int32" }] },
            message: /unsupported type INT32 of tensor 0 'input0' INT32\[1,2,2,1\] \(TFLM takes FLOAT32, INT8, INT16\)$/ },
        { name: "RESIZE_BILINEAR of a 3-D input",
            spec: { op: "RESIZE_BILINEAR", inputs: [f32([2, 2, 1]), size([3, 3])], outputs: [f32([3, 3, 1])] },
            message: /the input must be 4-D \(NHWC\), not tensor 0 'input0' FLOAT32\[2,2,1\]$/ },
        { name: "RESIZE_NEAREST_NEIGHBOR with a size that is a model input (TFLM refuses it)",
            spec: { op: "RESIZE_NEAREST_NEIGHBOR", inputs: [f32([1, 2, 2, 1]), { shape: [2], type: "int32" }], outputs: [f32([1, 3, 3, 1])] },
            message: /the size input tensor 1 'input1' INT32\[2\] must be a constant INT32 tensor of 2 values$/ },
        { name: "RESIZE_BILINEAR with an INT64 size",
            spec: { op: "RESIZE_BILINEAR", inputs: [f32([1, 2, 2, 1]), size([3, 3], "int64")], outputs: [f32([1, 3, 3, 1])] },
            message: /the size input tensor 1 'const1' INT64\[2\] must be a constant INT32 tensor of 2 values$/ },
        { name: "RESIZE_BILINEAR with both align_corners and half_pixel_centers",
            spec: { op: "RESIZE_BILINEAR", options: { alignCorners: true, halfPixelCenters: true }, inputs: [f32([1, 2, 2, 1]), size([3, 3])], outputs: [f32([1, 3, 3, 1])] },
            message: /align_corners and half_pixel_centers cannot both be set \(TFLM refuses them\)$/ },
        { name: "RESIZE_NEAREST_NEIGHBOR into an output of another size than the size input's (TFLM writes past it)",
            spec: { op: "RESIZE_NEAREST_NEIGHBOR", inputs: [f32([2, 2, 2, 3]), size([4, 5])], outputs: [f32([2, 4, 4, 3])] },
            message: /output tensor 2 'output0' FLOAT32\[2,4,4,3\] must have shape \[2,4,5,3\]$/ },
        { name: "RESIZE_BILINEAR of an empty input into a non-empty output (TFLM reads before the input)",
            spec: { op: "RESIZE_BILINEAR", inputs: [f32([1, 0, 2, 1]), size([2, 2])], outputs: [f32([1, 2, 2, 1])] },
            message: /input tensor 0 'input0' FLOAT32\[1,0,2,1\] is empty but the output is not$/ },
        { name: "RESIZE_BILINEAR int8 to a size whose rounded scale reads past the input (TFLM reads there)",
            spec: { op: "RESIZE_BILINEAR", inputs: [{ shape: [1, 1, 3, 1], type: "int8", scale: 1, zeroPoint: 0 }, size([1, 2000])],
                outputs: [{ shape: [1, 1, 2000, 1], type: "int8", scale: 1, zeroPoint: 0 }] },
            message: /output row or column \d+ of 2000 reads past the input's 3 in TFLM$/ },
        { name: "MIRROR_PAD of INT16 (TFLM pads FLOAT32 and INT8)",
            spec: { op: "MIRROR_PAD", options: { mode: 0 }, inputs: [{ shape: [3], type: "int16", scale: 1, zeroPoint: 0 }, size([1, 1])],
                outputs: [{ shape: [5], type: "int16", scale: 1, zeroPoint: 0 }] },
            message: /unsupported type INT16 of tensor 0 'input0' INT16\[3\] \(TFLM takes FLOAT32, INT8\)$/ },
        { name: "MIRROR_PAD with paddings of another shape than [rank, 2]",
            spec: { op: "MIRROR_PAD", options: { mode: 0 }, inputs: [f32([3, 3]), size([1, 1])], outputs: [f32([5, 3])] },
            message: /the paddings input tensor 1 'const1' INT32\[2\] must be a constant INT32 or INT64 tensor of shape \[2,2\]$/ },
        { name: "MIRROR_PAD with paddings that are a model input",
            spec: { op: "MIRROR_PAD", options: { mode: 1 }, inputs: [f32([3]), { shape: [1, 2], type: "int32" }], outputs: [f32([5])] },
            message: /the paddings input tensor 1 'input1' INT32\[1,2\] must be a constant INT32 or INT64 tensor of shape \[1,2\]$/ },
        { name: "MIRROR_PAD into an output of another size than the input's plus the paddings",
            spec: { op: "MIRROR_PAD", options: { mode: 1 }, inputs: [f32([2, 3]), { shape: [2, 2], type: "int64", data: [0, 1, 2, 2] }], outputs: [f32([3, 6])] },
            message: /output tensor 2 'output0' FLOAT32\[3,6\] must have size 7 in dimension 1 \(the input's plus the paddings\)$/ },
        { name: "MIRROR_PAD REFLECT with a left padding as large as the dimension (TFLM reads past the input)",
            spec: { op: "MIRROR_PAD", options: { mode: 0 }, inputs: [f32([2, 3]), { shape: [2, 2], type: "int32", data: [0, 0, 3, 0] }], outputs: [f32([2, 6])] },
            message: /paddings \[3,0\] reach outside dimension 1 of tensor 0 'input0' FLOAT32\[2,3\] \(TFLM reads outside it\)$/ },
        { name: "SPACE_TO_BATCH_ND of a 2-D input (TFLM takes 3-D and 4-D)",
            spec: { op: "SPACE_TO_BATCH_ND", inputs: [f32([2, 2]), size([2]), { shape: [1, 2], type: "int32", data: [0, 0] }], outputs: [f32([4, 1])] },
            message: /the input and the output must both be 3-D or both 4-D, not tensor 0 'input0' FLOAT32\[2,2\] and tensor 3 'output0' FLOAT32\[4,1\]$/ },
        { name: "BATCH_TO_SPACE_ND of INT16",
            spec: { op: "BATCH_TO_SPACE_ND", inputs: [{ shape: [2, 1, 1], type: "int16", scale: 1, zeroPoint: 0 }, size([2]), { shape: [1, 2], type: "int32", data: [0, 0] }],
                outputs: [{ shape: [1, 2, 1], type: "int16", scale: 1, zeroPoint: 0 }] },
            message: /unsupported type INT16 of tensor 0 'input0' INT16\[2,1,1\] \(TFLM takes FLOAT32, INT8\)$/ },
        { name: "BATCH_TO_SPACE_ND with crops that are a model input",
            spec: { op: "BATCH_TO_SPACE_ND", inputs: [f32([2, 1, 1]), size([2]), { shape: [1, 2], type: "int32" }], outputs: [f32([1, 2, 1])] },
            message: /the crops input tensor 2 'input2' INT32\[1,2\] must be a constant INT32 tensor of shape \[1,2\]$/ },
        { name: "SPACE_TO_BATCH_ND with a block of 0 (TFLM divides by it)",
            spec: { op: "SPACE_TO_BATCH_ND", inputs: [f32([1, 2, 2, 1]), size([0, 1]), { shape: [2, 2], type: "int32", data: [0, 0, 0, 0] }], outputs: [f32([1, 2, 2, 1])] },
            message: /the block shape's values must be positive \(TFLM divides by them\)$/ },
        // The long fuzz runs' mutants (seeds 61011183 mutant 679, 61096183 mutant 852): TFLM and the C
        // bodies wrote the input's depth at each output position, past a shallower output's end.
        { name: "SPACE_TO_BATCH_ND into an output shallower than its input",
            spec: { op: "SPACE_TO_BATCH_ND", inputs: [f32([1, 2, 2, 3]), size([2, 2]), { shape: [2, 2], type: "int32", data: [0, 0, 0, 0] }], outputs: [f32([4, 1, 1, 2])] },
            message: /tensor 3 'output0' FLOAT32\[4,1,1,2\] must have the depth of tensor 0 'input0' FLOAT32\[1,2,2,3\]$/ },
        { name: "BATCH_TO_SPACE_ND into an output deeper than its input (TFLM leaves gaps)",
            spec: { op: "BATCH_TO_SPACE_ND", inputs: [f32([2, 1, 1]), size([2]), { shape: [1, 2], type: "int32", data: [0, 0] }], outputs: [f32([1, 2, 2])] },
            message: /tensor 3 'output0' FLOAT32\[1,2,2\] must have the depth of tensor 0 'input0' FLOAT32\[2,1,1\]$/ },
        { name: "BATCH_TO_SPACE_ND with a crop of -2^31 (row and crop overflow TFLM's int)",
            spec: { op: "BATCH_TO_SPACE_ND", inputs: [f32([2, 1, 1]), size([2]), { shape: [1, 2], type: "int32", data: [-2147483648, 0] }], outputs: [f32([1, 2, 1])] },
            message: /the block shape and crops reach positions past 2\^31 \(TFLM's int arithmetic overflows\)$/ },
        { name: "SPACE_TO_BATCH_ND with a block of 2^30 over 2 rows",
            spec: { op: "SPACE_TO_BATCH_ND", inputs: [f32([1, 2, 1, 1]), size([1073741824, 1]), { shape: [2, 2], type: "int32", data: [0, 0, 0, 0] }], outputs: [f32([1, 2, 1, 1])] },
            message: /the block shape and paddings reach positions past 2\^31 \(TFLM's int arithmetic overflows\)$/ },
        { name: "EMBEDDING_LOOKUP dequantizing INT8 values with a zero point",
            spec: { op: "EMBEDDING_LOOKUP", inputs: [{ shape: [1], type: "int32" }, { shape: [2, 2], type: "int8", scale: 0.5, zeroPoint: 3 }], outputs: [f32([1, 2])] },
            message: /the value input tensor 1 'input1' INT8\[2,2\] must have zero point 0 to be dequantized \(TFLM requires it\)$/ },
        { name: "EMBEDDING_LOOKUP of FLOAT32 values into INT8",
            spec: { op: "EMBEDDING_LOOKUP", inputs: [{ shape: [1], type: "int32" }, f32([2, 2])], outputs: [{ shape: [1, 2], type: "int8", scale: 1, zeroPoint: 0 }] },
            message: /output tensor 2 'output0' INT8\[1,2\] must be FLOAT32, or INT8 for INT8 values$/ },
        { name: "EMBEDDING_LOOKUP of 1-D values",
            spec: { op: "EMBEDDING_LOOKUP", inputs: [{ shape: [1], type: "int32" }, f32([4])], outputs: [f32([1])] },
            message: /the value input tensor 1 'input1' FLOAT32\[4\] must be FLOAT32 or INT8 with 2 or more dimensions$/ },
        { name: "BROADCAST_ARGS of an INT32 and an INT64 shape",
            spec: { op: "BROADCAST_ARGS", inputs: [{ shape: [2], type: "int32" }, { shape: [2], type: "int64" }], outputs: [{ shape: [2], type: "int32" }] },
            message: /the shapes and the output must have one type, not tensor 0 'input0' INT32\[2\], tensor 1 'input1' INT64\[2\] and tensor 2 'output0' INT32\[2\]$/ },
        { name: "BROADCAST_ARGS of FLOAT32 shapes",
            spec: { op: "BROADCAST_ARGS", inputs: [f32([2]), f32([2])], outputs: [f32([2])] },
            message: /unsupported type FLOAT32 of tensor 0 'input0' FLOAT32\[2\] \(TFLM takes INT32, INT64\)$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const sts = loadBoth(singleOpModel(c.spec));
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });

    it("runs an empty output (a batch of 0, a size of 0) alike in the STS and in C", () => {
        for (const op of ["RESIZE_NEAREST_NEIGHBOR", "RESIZE_BILINEAR"])
            for (const [shape, hw] of [[[0, 2, 2, 1], [3, 3]], [[1, 2, 2, 1], [0, 3]]]) {
                const model = singleOpModel({ op, inputs: [f32(shape), size(hw)], outputs: [f32([shape[0], hw[0], hw[1], 1])] });
                assert.ok(loadBoth(model).ok);
                const input = Buffer.alloc(4 * shape.reduce((a, b) => a * b, 1));
                assert.strictEqual(cLoaderRun(model, [input]).length, 0);
            }
        const model = singleOpModel({ op: "MIRROR_PAD", options: { mode: 1 }, inputs: [f32([0, 2]), { shape: [2, 2], type: "int32", data: [0, 0, 1, 1] }],
            outputs: [f32([0, 4])] });
        assert.ok(loadBoth(model).ok);
        assert.strictEqual(cLoaderRun(model, [Buffer.alloc(0)]).length, 0);
    });
});
