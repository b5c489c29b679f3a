// REDUCE_ALL beyond TFLM's goldens (test/tflm_goldens.test.ts has those): values against the
// definition through the STS and the C kernels, and models refused with the same message by
// both loaders where TFLM refuses them (reduce_common.cc's PrepareAllHelper takes bool only; the
// other reductions take no bool).
import * as assert from "assert";
import { buildLoaderTool, cLoaderDump, cLoaderRun, stsLoaderDump } from "../node/c-loader";
import { singleOpModel, SingleOpSpec, TypeName } from "../node/model-writer";
import { loadTflite } from "../node/sts-runtime";

const tflite = loadTflite();

function reduce(op: string, type: TypeName, inShape: number[], axes: number[], outShape: number[], outType: TypeName = type, keepDims = false): SingleOpSpec {
    return {
        op, options: { keepDims },
        inputs: [{ shape: inShape, type }, { shape: [axes.length], type: "int32", data: axes }],
        outputs: [{ shape: outShape, type: outType }],
    };
}

describe("REDUCE_ALL: values and refusals, the STS and the C loader alike", () => {
    before(() => buildLoaderTool());

    it("is true where every reduced value is (any non-zero byte counts as true)", () => {
        // [[1, 0, 1], [1, 1, 2]] over each axis, and both.
        const x = Buffer.from([1, 0, 1, 1, 1, 2]);
        const cases: [SingleOpSpec, number[]][] = [
            [reduce("REDUCE_ALL", "bool", [2, 3], [1], [2]), [0, 1]],
            [reduce("REDUCE_ALL", "bool", [2, 3], [0], [1, 3], "bool", true), [1, 0, 1]],
            [reduce("REDUCE_ALL", "bool", [2, 3], [-1, 0], []), [0]],
        ];
        for (const [s, expected] of cases) {
            const model = singleOpModel(s);
            const sts = stsLoaderDump(model);
            assert.deepStrictEqual(cLoaderDump(model), sts);
            const ip = new tflite.StsInterpreter(model);
            ip.setInputBytes(0, x);
            ip.invoke();
            const out = Buffer.from(ip.outputBytes(0));
            assert.deepStrictEqual(Array.from(out), expected);
            assert.deepStrictEqual(cLoaderRun(model, [x]), out);
        }
    });

    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "REDUCE_ALL of int8", spec: reduce("REDUCE_ALL", "int8", [2, 3], [1], [2]), message: /REDUCE_ALL v1\): unsupported input type INT8$/ },
        { name: "REDUCE_ALL of float32", spec: reduce("REDUCE_ALL", "float32", [2, 3], [1], [2]), message: /REDUCE_ALL v1\): unsupported input type FLOAT32$/ },
        { name: "REDUCE_ALL into int8", spec: reduce("REDUCE_ALL", "bool", [2, 3], [1], [2], "int8"), message: /must have the type of input/ },
        { name: "REDUCE_ALL with an out-of-range axis", spec: reduce("REDUCE_ALL", "bool", [2, 3], [2], [2]), message: /axis 2 is out of range/ },
        { name: "REDUCE_MAX of bool", spec: reduce("REDUCE_MAX", "bool", [2, 3], [1], [2]), message: /REDUCE_MAX v1\): unsupported input type BOOL$/ },
        { name: "SUM of bool", spec: reduce("SUM", "bool", [2, 3], [1], [2]), message: /SUM v1\): unsupported input type BOOL$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const model = singleOpModel(c.spec);
            const sts = stsLoaderDump(model);
            assert.deepStrictEqual(cLoaderDump(model), sts);
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });
});
