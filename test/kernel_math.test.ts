// The element-wise math ops (libs/tflite/kernel_math.ts, kernels/math.c): what their TFLM goldens
// cover (test/tflm-goldens/<op>, made by tools/make-tflm-goldens.ts with tools/tflm-goldens-math.ts;
// test/tflm_goldens.test.ts runs them through the STS and the C byte for byte), models both loaders
// refuse with the same message, and float32 values past the goldens' (every float of a few
// exponents, the ends of the range) through the STS and the C alike.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildLoaderTool, cLoaderDump, cLoaderRun, stsLoaderDump } from "../node/c-loader";
import { singleOpModel, SingleOpSpec, TensorSpec } from "../node/model-writer";
import { loadTflite } from "../node/sts-runtime";
import type { GoldenManifest } from "../tools/make-tflm-goldens";

const GOLDENS = path.join(__dirname, "..", "..", "test", "tflm-goldens");
const tflite = loadTflite();

function manifest(op: string): GoldenManifest {
    return JSON.parse(fs.readFileSync(path.join(GOLDENS, op, "manifest.json"), "utf8"));
}

describe("Element-wise math: TFLM goldens", () => {
    const ops: { [op: string]: string[][] } = {
        // Each list: covers words that at least one case has together.
        abs: [["float32"], ["int8", "same-scale"], ["int8", "different-scale"], ["int16", "no-quantization"], ["int16", "same-scale"], ["int16", "different-scale"]],
        neg: [["float32"]], square: [["float32"]], sqrt: [["float32"]], ceil: [["float32"]], floor: [["float32"]], round: [["float32"]], exp: [["float32"], ["fma-reduction"]], log: [["float32"]], sin: [["float32"], ["fma-reduction"]], cos: [["float32"], ["fma-reduction"]],
        rsqrt: [["float32"], ["int8", "different-scale"]],
        elu: [["float32"], ["int8", "different-scale"]],
        floor_div: [["float32", "shapes-same"], ["float32", "shapes-broadcast"], ["float32", "shapes-scalar"], ["const-second-input"]],
        floor_mod: [["float32", "shapes-same"], ["float32", "shapes-broadcast"], ["float32", "shapes-scalar"], ["const-second-input"]],
        squared_difference: [["float32"], ["int32"], ["int8", "same-scale"], ["int8", "different-scale"], ["int16", "same-scale"], ["int16", "different-scale"],
            ["int8", "shapes-broadcast"], ["int16", "shapes-scalar"], ["const-second-input"]],
        prelu: [["float32", "shapes-channel"], ["int8", "shapes-broadcast"], ["int16", "shapes-same"], ["int8", "different-scale"], ["int16", "same-scale"],
            ["const-second-input"], ["second-input"]],
    };
    for (const [op, branches] of Object.entries(ops))
        it(`${op.toUpperCase()}: from TFLM's reference interpreter at a named commit, every type and branch`, () => {
            const m = manifest(op);
            assert.strictEqual(m.op, op.toUpperCase());
            assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
            for (const words of branches)
                assert.ok(m.cases.some((c) => words.every((w) => c.covers.includes(w))), `${op}: no case covers ${words.join(" ")}`);
        });
});

describe("Element-wise math: refusals and extreme values, the STS and the C loader alike", () => {
    before(() => buildLoaderTool());

    const f = (shape: number[], extra: Partial<TensorSpec> = {}): TensorSpec => ({ shape, type: "float32", ...extra });
    const q = (type: "int8" | "int16", shape: number[], scale: number, zeroPoint: number, extra: Partial<TensorSpec> = {}): TensorSpec =>
        ({ shape, type, scale, zeroPoint, ...extra });
    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "NEG of int8 (TFLM: float32 only)", spec: { op: "NEG", inputs: [q("int8", [4], 0.1, 0)], outputs: [q("int8", [4], 0.1, 0)] },
            message: /NEG: unsupported type INT8$/ },
        { name: "RSQRT of int16 (TFLM: float32 and int8)", spec: { op: "RSQRT", inputs: [q("int16", [4], 0.1, 0)], outputs: [q("int16", [4], 0.1, 0)] },
            message: /RSQRT: unsupported type INT16$/ },
        { name: "ABS int8 without quantization", spec: { op: "ABS", inputs: [{ shape: [4], type: "int8" }], outputs: [{ shape: [4], type: "int8" }] },
            message: /input tensor 0 'input0' INT8\[4\] and output tensor 1 'output0' INT8\[4\] must both be quantized$/ },
        { name: "ABS int16 with a zero point", spec: { op: "ABS", inputs: [q("int16", [4], 0.1, 3)], outputs: [q("int16", [4], 0.1, 0)] },
            message: /int16 tensors must have zero point 0$/ },
        { name: "EXP with another output shape (TFLM checks CEIL's, ROUND's and EXP's)", spec: { op: "EXP", inputs: [f([2, 3])], outputs: [f([6])] },
            message: /input tensor 0 'input0' FLOAT32\[2,3\] and output tensor 1 'output0' FLOAT32\[6\] differ in shape$/ },
        { name: "SQUARED_DIFFERENCE of mixed types", spec: { op: "SQUARED_DIFFERENCE", inputs: [f([3]), q("int8", [3], 0.1, 0)], outputs: [f([3])] },
            message: /inputs FLOAT32 and INT8 and output FLOAT32 do not match \(SQUARED_DIFFERENCE of FLOAT32 needs FLOAT32 and FLOAT32\)$/ },
        { name: "PRELU int16 with an int16 alpha (TFLM: int8)", spec: { op: "PRELU", inputs: [q("int16", [2, 3], 0.1, 0), q("int16", [3], 0.1, 0, { data: [1, 2, 3] })], outputs: [q("int16", [2, 3], 0.1, 0)] },
            message: /PRELU of INT16 needs INT8 and INT16\)$/ },
        { name: "FLOOR_MOD of int32 (TFLM: float32 only)", spec: { op: "FLOOR_MOD", inputs: [{ shape: [3], type: "int32" }, { shape: [3], type: "int32" }], outputs: [{ shape: [3], type: "int32" }] },
            message: /FLOOR_MOD: unsupported type INT32$/ },
        { name: "a broadcast over 5 dimensions (TFLM's slow broadcast has 4)", spec: { op: "SQUARED_DIFFERENCE", inputs: [f([2, 1, 2, 1, 2]), f([2, 2, 1, 2, 2])], outputs: [f([2, 2, 2, 2, 2])] },
            message: /SQUARED_DIFFERENCE broadcasts at most 4 dimensions, not 5$/ },
        { name: "a constant divisor holding -0", spec: { op: "FLOOR_DIV", inputs: [f([3]), f([3], { data: [1, -0, 2] })], outputs: [f([3])] },
            message: /divisor tensor 1 'const1' FLOAT32\[3\] holds a 0 at element 1$/ },
        // The long fuzz run's C failures (seeds 61058183 mutant 638, 61090183 804, 66020198 122): the
        // C made the int8 table with the refused shift anyway (undefined in C; TFLM's too).
        { name: "ABS int8 whose output scale 1e-30 needs a left shift of 96", spec: { op: "ABS", inputs: [q("int8", [4], 0.5, 0)], outputs: [q("int8", [4], 1e-30, 0)] },
            message: /\(ABS v1\): output tensor 1 'output0' INT8\[4\]: rescale shift 9\d out of range$/ },
        { name: "RSQRT int8 whose output scale 1e-30 needs a left shift past 31", spec: { op: "RSQRT", inputs: [q("int8", [4], 0.5, 0)], outputs: [q("int8", [4], 1e-30, 0)] },
            message: /\(RSQRT v1\): output tensor 1 'output0' INT8\[4\]: rescale shift 10\d out of range$/ },
        { name: "RSQRT int8 whose multiplier 2^-13 needs a right shift of 32 after TFLM's 20 bits", spec: { op: "RSQRT", inputs: [q("int8", [4], 1, 0)], outputs: [q("int8", [4], 8192, 0)] },
            message: /\(RSQRT v1\): output tensor 1 'output0' INT8\[4\]: rescale shift 32 out of range$/ },
        { name: "SQUARED_DIFFERENCE int16 with a zero point", spec: { op: "SQUARED_DIFFERENCE", inputs: [q("int16", [3], 0.1, 0), q("int16", [3], 0.1, 0)], outputs: [q("int16", [3], 0.1, 5)] },
            message: /int16 tensor 2 'output0' INT16\[3\] must have zero point 0$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const model = singleOpModel(c.spec);
            const sts = stsLoaderDump(model);
            assert.deepStrictEqual(cLoaderDump(model), sts);
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });

    /** Runs a float32 op on `values` (and `second`) in the STS and in C; returns the STS's bytes, asserting C's are the same. */
    function runBoth(op: string, values: Float32Array, second?: Float32Array): Buffer {
        const shape = [values.length];
        const inputs = [f(shape)].concat(second ? [f([second.length])] : []);
        const model = singleOpModel({ op, inputs, outputs: [f(shape)] });
        const bytes = [Buffer.from(values.buffer)].concat(second ? [Buffer.from(second.buffer)] : []);
        const ip = new tflite.StsInterpreter(model);
        bytes.forEach((b, i) => ip.setInputBytes(i, b));
        ip.invoke();
        const sts = Buffer.from(ip.outputBytes(0));
        const c = cLoaderRun(model, bytes);
        for (let i = 0; i < values.length; i++) {
            const a = sts.readFloatLE(4 * i), b = c.readFloatLE(4 * i);
            // NaNs alike: their sign and payload are the FPU's (test/loader.test.ts does the same).
            if (!(Number.isNaN(a) && Number.isNaN(b)))
                assert.ok(sts.readUInt32LE(4 * i) === c.readUInt32LE(4 * i), `${op}(${values[i]}${second ? ", " + second[i % second.length] : ""}): STS ${a}, C ${b}`);
        }
        return sts;
    }

    /**
     * Float32s of both signs with biased exponents eLo to eHi (0: subnormals), every `step`-th
     * significand; and 0s, infinities, the largest and smallest floats.
     */
    function floats(eLo: number, eHi: number, step: number): Float32Array {
        const v: number[] = [0, -0, Infinity, -Infinity, 3.4028234663852886e38, -3.4028234663852886e38, 1e-45, -1e-45, 1.1754942e-38];
        const u = new Uint32Array(1), fl = new Float32Array(u.buffer);
        for (let e = eLo; e <= eHi; e++)
            for (let m = e === 0 ? 1 : 0; m < 1 << 23; m += step) {
                u[0] = (e << 23) | m;
                v.push(fl[0], -fl[0]);
            }
        return new Float32Array(v);
    }

    it("SQRT, RSQRT, CEIL, FLOOR, ROUND, ABS, NEG, SQUARE, EXP, ELU, LOG, SIN, COS: the same float32 bits in the STS and in C over ranges of exponents", () => {
        // Subnormals, exponents from 2^-3 past 2^23 (halves, integers), 2^100 and up.
        const values = new Float32Array([...floats(0, 1, 65537), ...floats(124, 151, 65537), ...floats(227, 254, 1 << 20)]);
        for (const op of ["SQRT", "RSQRT", "CEIL", "FLOOR", "ROUND", "ABS", "NEG", "SQUARE", "EXP", "ELU", "LOG", "SIN", "COS"]) runBoth(op, values);
        // Exact halves round to even (-0.5 to +0: floorf gives -1, plus 1), -0.4 ceils to -0.
        const r = runBoth("ROUND", new Float32Array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5]));
        assert.deepStrictEqual([0, 1, 2, 3, 4, 5].map((i) => r.readFloatLE(4 * i)), [0, 2, 2, 0, -2, -2]);
        assert.ok(Object.is(runBoth("CEIL", new Float32Array([-0.4])).readFloatLE(0), -0));
        assert.strictEqual(runBoth("SQRT", new Float32Array([2])).readFloatLE(0), Math.fround(Math.SQRT2));
    });

    it("FLOOR_DIV and FLOOR_MOD: the same float32 bits in the STS and in C, signs mixed, subnormal and huge operands", () => {
        const x = floats(0, 254, 1 << 20), y = x.map((v) => (v === 0 ? 1 : v)).reverse();
        runBoth("FLOOR_MOD", x, y);
        runBoth("FLOOR_DIV", x, y);
        const m = runBoth("FLOOR_MOD", new Float32Array([7, -7, 7, -7, -4]), new Float32Array([3, 3, -3, -3, 2]));
        assert.deepStrictEqual([0, 1, 2, 3, 4].map((i) => m.readFloatLE(4 * i)), [1, 2, -2, -1, -0]);
    });
});
