// TRANSPOSE_CONV past what TFLM's goldens show (test/tflm_goldens.test.ts has those): models it
// refuses, with the same message from the STS and the C loader, and extreme strides that still
// load, run alike in the STS and in C (the C built with sanitizers). The four models that run gave
// TFLM's outputs too when this was written (its runner, tools/make-tflm-goldens.ts's, by hand).
import * as assert from "assert";
import { buildLoaderTool, cLoaderDump, cLoaderRun, stsLoaderDump } from "../node/c-loader";
import { singleOpModel, SingleOpSpec, TensorSpec, TypeName } from "../node/model-writer";
import { loadTflite } from "../node/sts-runtime";

const tflite = loadTflite();

/** An int8 (or int16) TRANSPOSE_CONV of a [1, inH, 1, 2] input into [1, outH, 1, 3], 2x1 filter. */
function spec(o: { type?: TypeName; strideH?: number; inH?: number; outH?: number; bias?: TensorSpec | null; outputShape?: number[] }): SingleOpSpec {
    const type = o.type ?? "int8", inH = o.inH ?? 2, outH = o.outH ?? 4;
    const q = (t: TypeName, shape: number[], scale: number | number[], extra: Partial<TensorSpec> = {}): TensorSpec => ({ shape, type: t, scale, zeroPoint: 0, ...extra });
    return {
        op: "TRANSPOSE_CONV", options: { padding: "VALID", strideH: o.strideH ?? 2, strideW: 1, activation: "NONE" },
        inputs: [{ shape: [4], type: "int32", data: o.outputShape ?? [1, outH, 1, 3] },
            q("int8", [3, 2, 1, 2], [0.01, 0.02, 0.03], { quantizedDimension: 0, data: [1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12] }),
            q(type, [1, inH, 1, 2], 0.05),
            o.bias === undefined ? q(type === "int8" ? "int32" : "int64", [3], [0.0005, 0.001, 0.0015], { data: [100, -200, 300] }) : o.bias],
        outputs: [q(type, [1, outH, 1, 3], 0.1)],
    };
}

describe("TRANSPOSE_CONV: refusals and extreme strides, the STS and the C loader alike", () => {
    before(() => buildLoaderTool());

    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "a constant output shape that disagrees with the output", spec: spec({ outputShape: [1, 5, 1, 3] }),
            message: /the output shape tensor 0 'const0' INT32\[4\] disagrees with output tensor 4 'output0' INT8\[1,4,1,3\] in dimension 1$/ },
        { name: "an int32 bias beside int16 activations (TFLM would read it as int64)",
            spec: spec({ type: "int16", bias: { shape: [3], type: "int32", scale: 0.001, zeroPoint: 0, data: [1, 2, 3] } }),
            message: /int16 input needs an int64 \(or int16\) bias, not tensor 3 'const3' INT32\[3\]$/ },
        { name: "a stride whose window positions pass 2^31 - 1", spec: spec({ strideH: 2 ** 31 - 1 }),
            message: /strides 2147483647 x 1 out of range for input tensor 2 'input2' INT8\[1,2,1,2\]$/ },
        { name: "a stride of 0", spec: spec({ strideH: 0 }), message: /strides must be at least 1, not 0 x 1$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const model = singleOpModel(c.spec);
            const sts = stsLoaderDump(model);
            assert.deepStrictEqual(cLoaderDump(model), sts);
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });

    const run: { name: string; spec: SingleOpSpec }[] = [
        // One input row: any stride keeps its window inside int32, and the output rows past the
        // window get the bias alone.
        { name: "a stride of 2^30 over one input row", spec: spec({ strideH: 2 ** 30, inH: 1, outH: 3 }) },
        { name: "an output much larger than the input covers", spec: spec({ strideH: 3, inH: 2, outH: 9 }) },
        { name: "an int16 bias, widened as TFLM does", spec: spec({ type: "int16", bias: { shape: [3], type: "int16", scale: 0.001, zeroPoint: 0, data: [-32768, 5, 32767] } }) },
        { name: "no bias", spec: spec({ bias: null }) },
    ];
    for (const c of run)
        it(`runs ${c.name} byte for byte alike`, () => {
            const model = singleOpModel(c.spec);
            const sts = stsLoaderDump(model);
            assert.deepStrictEqual(cLoaderDump(model), sts);
            assert.ok(sts.ok, sts.text);
            const ip = new tflite.StsInterpreter(model);
            const input = Buffer.alloc(ip.input(0).bytes);
            for (let i = 0; i < input.length; i++) input[i] = (i * 37 + 11) & 0xff;
            ip.setInputBytes(0, input);
            ip.invoke();
            const out = Buffer.from(ip.outputBytes(0));
            assert.deepStrictEqual(cLoaderRun(model, [input]), out);
            // Not all alike: the sums reach the output.
            assert.ok(new Set(out).size > 2, out.toString("hex"));
        });
});
