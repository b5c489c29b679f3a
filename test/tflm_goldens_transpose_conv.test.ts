// What test/tflm-goldens/transpose_conv covers (made by tools/make-tflm-goldens.ts with
// tools/tflm-goldens-transpose-conv.ts); test/tflm_goldens.test.ts runs every case through the STS
// interpreter and the C kernels and compares both loaders' parameter blocks.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { GoldenManifest } from "../tools/make-tflm-goldens";

const MANIFEST = path.join(__dirname, "..", "..", "test", "tflm-goldens", "transpose_conv", "manifest.json");

describe("TFLM goldens for TRANSPOSE_CONV", () => {
    const m: GoldenManifest = JSON.parse(fs.readFileSync(MANIFEST, "utf8"));
    const count = (...words: string[]) => m.cases.filter((c) => words.every((w) => c.covers.includes(w))).length;

    it("come from TFLM's reference interpreter at a named commit, for every type", () => {
        assert.strictEqual(m.op, "TRANSPOSE_CONV");
        assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
        assert.deepStrictEqual([count("float32"), count("int8"), count("int16")], [30, 30, 42]);
    });

    it("cover both paddings, strides 1 to 3, every bias kind and none, every activation, batches, in each type", () => {
        const biases: { [t: string]: string[] } = { float32: ["bias-float32"], int8: ["bias-int32"], int16: ["bias-int64", "bias-int16"] };
        for (const type of ["float32", "int8", "int16"]) {
            for (const padding of ["same", "valid"])
                for (const stride of [1, 2, 3]) {
                    assert.ok(count(type, padding, `stride-h-${stride}`) >= 4, `${type} ${padding} stride-h-${stride}`);
                    assert.ok(count(type, padding, `stride-w-${stride}`) >= 1, `${type} ${padding} stride-w-${stride}`);
                }
            for (const bias of [...biases[type], "no-bias"]) assert.ok(count(type, bias) >= 8, `${type} ${bias}: ${count(type, bias)}`);
            for (const act of ["none", "relu", "relu6", "relu_n1_to_1"]) assert.ok(count(type, `activation-${act}`) >= 5, `${type} ${act}`);
            assert.ok(count(type, "batches>1") >= 5, `${type} batches > 1`);
            assert.ok(count(type, "any-output-size") >= 4, `${type}: outputs the input's size does not match`);
            assert.ok(count(type, "output-shape-input") >= 2, `${type}: the output shape as a model input`);
            if (type !== "float32") for (const q of ["per-channel", "per-tensor"]) assert.ok(count(type, q) >= 5, `${type} ${q}`);
        }
    });
});
