// Shape and data-movement kernels on single-op models, against values worked out by hand.
import * as assert from "assert";
import { loadTflite } from "../node/sts-runtime";
import * as fs from "fs";
import * as path from "path";
import { singleOpModel, encodeValues, typeCode, writeModel, specFromParsed, SingleOpSpec, TensorSpec } from "../node/model-writer";
import { SHARED } from "../node/conformance";

const tflite = loadTflite();

function decode(type: string, b: Buffer): number[] {
    const res: number[] = [];
    switch (typeCode(type)) {
        case 0: for (let i = 0; i < b.length; i += 4) res.push(b.readFloatLE(i)); break;
        case 2: for (let i = 0; i < b.length; i += 4) res.push(b.readInt32LE(i)); break;
        case 4: for (let i = 0; i < b.length; i += 8) res.push(Number(b.readBigInt64LE(i))); break;
        case 7: for (let i = 0; i < b.length; i += 2) res.push(b.readInt16LE(i)); break;
        case 9: for (let i = 0; i < b.length; i++) res.push(b.readInt8(i)); break;
        case 3: case 6: for (let i = 0; i < b.length; i++) res.push(b[i]); break;
        default: throw new Error("decode: type " + type);
    }
    return res;
}

/** Runs a single-op model; `values` fill its non-constant inputs in order. Returns output 0. */
function run(spec: SingleOpSpec, ...values: number[][]): { values: number[]; shape: number[] } {
    const ip = new tflite.StsInterpreter(singleOpModel(spec));
    const variable = spec.inputs.filter((t) => t && t.data === undefined) as TensorSpec[];
    assert.strictEqual(values.length, variable.length, "one value list per model input");
    variable.forEach((t, i) => ip.setInputBytes(i, encodeValues(t.type, values[i])));
    ip.invoke();
    return { values: decode(String(spec.outputs[0].type), ip.outputBytes(0)), shape: ip.outputShape(0) };
}

function throwsTflite(f: () => any, pattern: RegExp) {
    assert.throws(f, (e: any) => {
        assert.strictEqual(typeof e, "string", `expected an interpreter error, got ${e}`);
        assert.match(e, pattern);
        return true;
    });
}
const load = (spec: SingleOpSpec) => new tflite.StsInterpreter(singleOpModel(spec));

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe("RESHAPE", () => {
    it("resolves -1 in a constant shape input and copies the values", () => {
        const r = run({
            op: "RESHAPE",
            inputs: [{ shape: [2, 3], type: "int8" }, { shape: [2], type: "int32", data: [3, -1] }],
            outputs: [{ shape: [3, 2], type: "int8" }],
        }, [1, -2, 3, -4, 5, -128]);
        assert.deepStrictEqual(r.values, [1, -2, 3, -4, 5, -128]);
        assert.deepStrictEqual(r.shape, [3, 2]);
    });

    it("takes the new shape from the options (float32) and from a computed shape input (int16)", () => {
        const f = run({
            op: "RESHAPE", options: { newShape: [-1] },
            inputs: [{ shape: [1, 2, 2], type: "float32" }],
            outputs: [{ shape: [4], type: "float32" }],
        }, [0.5, -1.25, 3e9, -0]);
        assert.deepStrictEqual(f.values, [0.5, -1.25, 3e9, -0]);
        // A shape that a previous op computes is not needed: the output's shape in the model rules.
        const s = run({
            op: "RESHAPE",
            inputs: [{ shape: [4], type: "int16" }, { shape: [2], type: "int32" }],
            outputs: [{ shape: [2, 2], type: "int16" }],
        }, [32767, -32768, 1, -1], [7, 7]);
        assert.deepStrictEqual(s.values, [32767, -32768, 1, -1]);
    });

    it("reads a legacy scalar output shape [0] as a scalar", () => {
        const r = run({ op: "RESHAPE", inputs: [{ shape: [1, 1], type: "int32" }], outputs: [{ shape: [0], type: "int32" }] }, [-123456789]);
        assert.deepStrictEqual(r.values, [-123456789]);
        assert.deepStrictEqual(r.shape, []);
    });

    it("names the problem: element counts, two -1s, a shape that does not fit, types", () => {
        throwsTflite(() => load({
            op: "RESHAPE", inputs: [{ shape: [2, 3], type: "int8" }], outputs: [{ shape: [4], type: "int8" }],
        }), /operator 0 \(RESHAPE v1\): output tensor 1 'output0' INT8\[4\] must hold the 6 values of input tensor 0/);
        throwsTflite(() => load({
            op: "RESHAPE", inputs: [{ shape: [2, 3], type: "int8" }, { shape: [2], type: "int32", data: [-1, -1] }],
            outputs: [{ shape: [6], type: "int8" }],
        }), /shape \[-1,-1\] has more than one -1/);
        throwsTflite(() => load({
            op: "RESHAPE", inputs: [{ shape: [2, 3], type: "int8" }, { shape: [2], type: "int32", data: [4, -1] }],
            outputs: [{ shape: [6], type: "int8" }],
        }), /shape \[4,-1\] does not fit the 6 values of input/);
        throwsTflite(() => load({
            op: "RESHAPE", inputs: [{ shape: [2, 3], type: "int8" }], outputs: [{ shape: [6], type: "int16" }],
        }), /output .* must have the type of input/);
    });
});

describe("SQUEEZE", () => {
    const input: TensorSpec = { shape: [1, 2, 1, 3], type: "int8" };
    const values = [1, 2, 3, 4, 5, 6];

    it("removes every dimension of size 1 when none are listed", () => {
        const r = run({ op: "SQUEEZE", inputs: [input], outputs: [{ shape: [2, 3], type: "int8" }] }, values);
        assert.deepStrictEqual(r.values, values);
        assert.deepStrictEqual(r.shape, [2, 3]);
    });

    it("removes only the listed ones, negative axes counting from the end", () => {
        const r = run({ op: "SQUEEZE", options: { squeezeDims: [-2] }, inputs: [input], outputs: [{ shape: [1, 2, 3], type: "int8" }] }, values);
        assert.deepStrictEqual(r.values, values);
        const f = run({
            op: "SQUEEZE", options: { squeezeDims: [0] },
            inputs: [{ shape: [1, 2], type: "float32" }], outputs: [{ shape: [2], type: "float32" }],
        }, [1.5, -2.5]);
        assert.deepStrictEqual(f.values, [1.5, -2.5]);
    });

    it("names the problem: an axis of size 2, an axis out of range, a wrong output shape", () => {
        throwsTflite(() => load({ op: "SQUEEZE", options: { squeezeDims: [1] }, inputs: [input], outputs: [{ shape: [1, 1, 3], type: "int8" }] }),
            /cannot squeeze axis 1 of input .*: its size is not 1/);
        throwsTflite(() => load({ op: "SQUEEZE", options: { squeezeDims: [4] }, inputs: [input], outputs: [{ shape: [2, 3], type: "int8" }] }),
            /squeeze axis 4 is out of range/);
        throwsTflite(() => load({ op: "SQUEEZE", inputs: [input], outputs: [{ shape: [3, 2], type: "int8" }] }),
            /must have shape \[2,3\]/);
    });
});

describe("EXPAND_DIMS", () => {
    const expand = (axis: number, out: number[]): SingleOpSpec => ({
        op: "EXPAND_DIMS",
        inputs: [{ shape: [2, 3], type: "int16" }, { shape: [1], type: "int32", data: [axis] }],
        outputs: [{ shape: out, type: "int16" }],
    });

    it("inserts a dimension of size 1 at the front, the end, or a negative axis", () => {
        const values = [1, -2, 300, -400, 32767, -32768];
        for (const [axis, out] of [[0, [1, 2, 3]], [2, [2, 3, 1]], [-1, [2, 3, 1]], [-2, [2, 1, 3]], [-3, [1, 2, 3]]] as [number, number[]][]) {
            const r = run(expand(axis, out), values);
            assert.deepStrictEqual(r.values, values);
            assert.deepStrictEqual(r.shape, out);
        }
    });

    it("names the problem: a computed axis, an axis out of range, a wrong output shape", () => {
        throwsTflite(() => load({
            op: "EXPAND_DIMS", inputs: [{ shape: [2, 3], type: "int8" }, { shape: [1], type: "int32" }], outputs: [{ shape: [1, 2, 3], type: "int8" }],
        }), /the axis input tensor 1 'input1' INT32\[1\] must be constant/);
        throwsTflite(() => load(expand(3, [2, 3, 1])), /axis 3 is out of range for input/);
        throwsTflite(() => load(expand(-4, [1, 2, 3])), /axis -4 is out of range for input/);
        throwsTflite(() => load(expand(1, [2, 3, 1])), /must have shape \[2,1,3\]/);
    });
});

describe("CONCATENATION", () => {
    const a: TensorSpec = { shape: [2, 2, 1], type: "int8" };
    const concat = (axis: number, out: number[]): SingleOpSpec => ({
        op: "CONCATENATION", options: { axis }, inputs: [a, a], outputs: [{ shape: out, type: "int8" }],
    });

    it("joins along each axis, negative axes counting from the end", () => {
        // a[i][j][0] = 1 + 2i + j, b = a + 4.
        const av = [1, 2, 3, 4], bv = [5, 6, 7, 8];
        assert.deepStrictEqual(run(concat(0, [4, 2, 1]), av, bv).values, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert.deepStrictEqual(run(concat(1, [2, 4, 1]), av, bv).values, [1, 2, 5, 6, 3, 4, 7, 8]);
        assert.deepStrictEqual(run(concat(2, [2, 2, 2]), av, bv).values, [1, 5, 2, 6, 3, 7, 4, 8]);
        assert.deepStrictEqual(run(concat(-1, [2, 2, 2]), av, bv).values, [1, 5, 2, 6, 3, 7, 4, 8]);
        assert.deepStrictEqual(run(concat(-3, [4, 2, 1]), av, bv).values, [1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it("joins int32 constants and computed values, as the audio front end does", () => {
        const r = run({
            op: "CONCATENATION", options: { axis: 0 },
            inputs: [{ shape: [2], type: "int32", data: [-2147483648, 2147483647] }, { shape: [3], type: "int32" },
                { shape: [1], type: "int32", data: [7] }],
            outputs: [{ shape: [6], type: "int32" }],
        }, [1, -1, 65536]);
        assert.deepStrictEqual(r.values, [-2147483648, 2147483647, 1, -1, 65536, 7]);
    });

    it("joins inputs of different sizes along the axis (int16, float32)", () => {
        const s = run({
            op: "CONCATENATION", options: { axis: 1 },
            inputs: [{ shape: [2, 2], type: "int16" }, { shape: [2, 1], type: "int16" }],
            outputs: [{ shape: [2, 3], type: "int16" }],
        }, [1, 2, 3, 4], [-32768, 32767]);
        assert.deepStrictEqual(s.values, [1, 2, -32768, 3, 4, 32767]);
        const f = run({
            op: "CONCATENATION", options: { axis: 0 },
            inputs: [{ shape: [1, 2], type: "float32" }, { shape: [2, 2], type: "float32" }],
            outputs: [{ shape: [3, 2], type: "float32" }],
        }, [0.5, -0.25], [1, 2, 3, 4.75]);
        assert.deepStrictEqual(f.values, [0.5, -0.25, 1, 2, 3, 4.75]);
    });

    it("copies int8 bytes as they are, as TFLM does, whatever the inputs' quantization", () => {
        const r = run({
            op: "CONCATENATION", options: { axis: 0 },
            inputs: [{ shape: [1], type: "int8", scale: 0.5, zeroPoint: 0 }, { shape: [1], type: "int8", scale: 1, zeroPoint: 3 }],
            outputs: [{ shape: [2], type: "int8", scale: 0.25, zeroPoint: -1 }],
        }, [10], [-10]);
        assert.deepStrictEqual(r.values, [10, -10]);
    });

    it("names the problem: a fused activation, a bad axis, shapes that do not fit", () => {
        throwsTflite(() => load({ ...concat(0, [4, 2, 1]), options: { axis: 0, activation: "RELU" } }),
            /CONCATENATION v1\): unsupported fused activation RELU \(TFLM allows none\)/);
        throwsTflite(() => load(concat(3, [2, 2, 2])), /axis 3 is out of range for output/);
        throwsTflite(() => load(concat(-4, [2, 2, 2])), /axis -4 is out of range for output/);
        throwsTflite(() => load({
            op: "CONCATENATION", options: { axis: 0 },
            inputs: [{ shape: [1, 2], type: "int8" }, { shape: [1, 3], type: "int8" }], outputs: [{ shape: [2, 2], type: "int8" }],
        }), /input tensor 1 'input1' INT8\[1,3\] does not match output .* outside axis 0/);
        throwsTflite(() => load(concat(0, [3, 2, 1])), /the inputs' sizes along axis 0 add up to 4, but output .* has 3/);
        throwsTflite(() => load({
            op: "CONCATENATION", options: { axis: 0 },
            inputs: [{ shape: [1], type: "int8" }, { shape: [1], type: "int16" }], outputs: [{ shape: [2], type: "int8" }],
        }), /must have the type of input/);
    });
});

describe("PAD and PADV2", () => {
    it("pads int8 with the output's zero point", () => {
        const r = run({
            op: "PAD",
            inputs: [{ shape: [1, 2], type: "int8", scale: 0.1, zeroPoint: -5 }, { shape: [2, 2], type: "int32", data: [1, 0, 1, 2] }],
            outputs: [{ shape: [2, 5], type: "int8", scale: 0.1, zeroPoint: -5 }],
        }, [1, 2]);
        assert.deepStrictEqual(r.values, [-5, -5, -5, -5, -5, -5, 1, 2, -5, -5]);
    });

    it("pads float32 and int32 with 0, up to 5 dimensions", () => {
        const f = run({
            op: "PAD",
            inputs: [{ shape: [3], type: "float32" }, { shape: [1, 2], type: "int32", data: [2, 1] }],
            outputs: [{ shape: [6], type: "float32" }],
        }, [1.5, 2.5, 3.5]);
        assert.deepStrictEqual(f.values, [0, 0, 1.5, 2.5, 3.5, 0]);
        const i = run({
            op: "PAD",
            inputs: [{ shape: [1, 1, 1, 1, 2], type: "int32" }, { shape: [5, 2], type: "int32", data: [0, 0, 0, 0, 1, 0, 0, 0, 0, 1] }],
            outputs: [{ shape: [1, 1, 2, 1, 3], type: "int32" }],
        }, [-7, 2147483647]);
        assert.deepStrictEqual(i.values, [0, 0, 0, -7, 2147483647, 0]);
    });

    it("PADV2 pads with its constant value (int16), which may also be computed (int8)", () => {
        const s = run({
            op: "PADV2",
            inputs: [{ shape: [2, 1], type: "int16" }, { shape: [2, 2], type: "int32", data: [0, 1, 1, 1] }, { shape: [], type: "int16", data: [-7] }],
            outputs: [{ shape: [3, 3], type: "int16" }],
        }, [100, 200]);
        assert.deepStrictEqual(s.values, [-7, 100, -7, -7, 200, -7, -7, -7, -7]);
        const q = { scale: 0.5, zeroPoint: 3 };
        const b = run({
            op: "PADV2",
            inputs: [{ shape: [2], type: "int8", ...q }, { shape: [1, 2], type: "int32", data: [1, 0] }, { shape: [1], type: "int8", ...q }],
            outputs: [{ shape: [3], type: "int8", ...q }],
        }, [-128, 127], [42]);
        assert.deepStrictEqual(b.values, [42, -128, 127]);
    });

    it("names the problem: computed paddings, a wrong output, a constant of another scale, too many dimensions", () => {
        throwsTflite(() => load({
            op: "PAD", inputs: [{ shape: [2], type: "int8" }, { shape: [1, 2], type: "int32" }], outputs: [{ shape: [3], type: "int8" }],
        }), /PAD v1\): the paddings input tensor 1 'input1' INT32\[1,2\] must be constant/);
        throwsTflite(() => load({
            op: "PAD", inputs: [{ shape: [2], type: "int8" }, { shape: [1, 2], type: "int32", data: [1, 1] }], outputs: [{ shape: [3], type: "int8" }],
        }), /output .* does not fit input .* with paddings \[1,1\]/);
        throwsTflite(() => load({
            op: "PADV2",
            inputs: [{ shape: [2], type: "int8", scale: 0.5, zeroPoint: 3 }, { shape: [1, 2], type: "int32", data: [1, 0] },
                { shape: [1], type: "int8", scale: 0.5, zeroPoint: 0, data: [0] }],
            outputs: [{ shape: [3], type: "int8", scale: 0.5, zeroPoint: 3 }],
        }), /the constant value .* must have the output's scale and zero point/);
        throwsTflite(() => load({
            op: "PAD", inputs: [{ shape: [1, 1, 1, 1, 1, 1], type: "int8" }, { shape: [6, 2], type: "int32", data: new Array(12).fill(0) }],
            outputs: [{ shape: [1, 1, 1, 1, 1, 1], type: "int8" }],
        }), /has more than 5 dimensions/);
        throwsTflite(() => load({
            op: "PAD", inputs: [{ shape: [2], type: "int64" }, { shape: [1, 2], type: "int32", data: [1, 0] }], outputs: [{ shape: [3], type: "int64" }],
        }), /unsupported input type INT64/);
    });
});

describe("MEAN", () => {
    const mean = (type: string, inShape: number[], axes: number[], outShape: number[], keepDims = false,
        inQ: object = {}, outQ: object = {}): SingleOpSpec => ({
        op: "MEAN", options: { keepDims },
        inputs: [{ shape: inShape, type: type as any, ...inQ }, { shape: [axes.length], type: "int32", data: axes }],
        outputs: [{ shape: outShape, type: type as any, ...outQ }],
    });
    const x = [1, 2, 3, 4, 5, 6]; // [[1, 2, 3], [4, 5, 6]]

    it("float32: over each axis, both, negative and repeated axes, with and without keep_dims", () => {
        assert.deepStrictEqual(run(mean("float32", [2, 3], [1], [2]), x).values, [2, 5]);
        assert.deepStrictEqual(run(mean("float32", [2, 3], [1], [2, 1], true), x).values, [2, 5]);
        assert.deepStrictEqual(run(mean("float32", [2, 3], [0], [3]), x).values, [2.5, 3.5, 4.5]);
        assert.deepStrictEqual(run(mean("float32", [2, 3], [-2], [1, 3], true), x).values, [2.5, 3.5, 4.5]);
        assert.deepStrictEqual(run(mean("float32", [2, 3], [0, 1], []), x).values, [3.5]);
        assert.deepStrictEqual(run(mean("float32", [2, 3], [1, -1, 1], [2]), x).values, [2, 5]);
        // Three of four dimensions, as TFLM takes any number: [[[1, 2], [3, 4]], [[5, 6], [7, 9]]] per channel.
        assert.deepStrictEqual(run(mean("float32", [2, 2, 2, 1], [0, 2, -3], [1]), [1, 2, 3, 4, 5, 6, 7, 9]).values, [4.625]);
    });

    it("float32: global average pooling over H and W, the quotient rounded to float32", () => {
        // NHWC [1,2,2,2]: channel 0 holds 1, 3, 5, 7 (mean 4), channel 1 holds 2, 4, 6, 9 (mean 5.25).
        assert.deepStrictEqual(run(mean("float32", [1, 2, 2, 2], [1, 2], [1, 1, 1, 2], true), [1, 2, 3, 4, 5, 6, 7, 9]).values, [4, 5.25]);
        assert.deepStrictEqual(run(mean("float32", [3], [0], []), [1, 1, 2]).values, [Math.fround(4 / 3)]);
    });

    it("int8 with equal quantization requantizes too (TFLM's QuantizedMeanOrSum), rounding rather than truncating", () => {
        const q = { scale: 0.5, zeroPoint: 1 };
        // Sums 11 and -11 less 4 zero points: 7 and -15; the multiplier 1 = 2^30 * 2^(1-31) with
        // 1/4 folded in is 2^30 with shift -1: SRDHM gives 4 and -7, halved with rounding 2 and -4,
        // plus the zero point: 3 and -3 (means 2.75 and -2.75 steps; older TFLM divided the raw
        // sums, truncating, to 2 and -2).
        assert.deepStrictEqual(run(mean("int8", [2, 4], [1], [2], false, q, q), [1, 2, 3, 5, -1, -2, -3, -5]).values, [3, -3]);
    });

    it("int8 requantizes with 1/count folded into the multiplier, ties as gemmlowp rounds them", () => {
        // Reals 0.5, 1, 2: mean 7/6 is 4.67 output steps of 0.25, + 10. In fixed point: the multiplier
        // 2 = 2^30 * 2^(2-31) becomes floor(2^31 / 3) = 715827882 with shift 1; (7 << 1) times it is
        // 4.67 * 2^31, rounded to 5.
        assert.deepStrictEqual(run(mean("int8", [1, 3], [1], [1], false, { scale: 0.5, zeroPoint: 0 }, { scale: 0.25, zeroPoint: 10 }), [1, 2, 4]).values, [15]);
        // Means 1.5 and -1.5 (input zero point -3, output 0, both scale 1): the multiplier 1 becomes
        // 2^30 with shift 0; 3 * 2^30 / 2^31 = 1.5 rounds up to 2, -1.5 toward zero to -1.
        const inQ = { scale: 1, zeroPoint: -3 }, outQ = { scale: 1, zeroPoint: 0 };
        assert.deepStrictEqual(run(mean("int8", [2, 2], [1], [2], false, inQ, outQ), [-2, -1, -4, -5]).values, [2, -1]);
        // Clamped to the int8 range: mean 100 in steps of 0.5 is 200.
        assert.deepStrictEqual(run(mean("int8", [2], [0], [], false, { scale: 1, zeroPoint: 0 }, { scale: 0.5, zeroPoint: 0 }), [100, 100]).values, [127]);
    });

    it("int16 requantizes and clamps", () => {
        // 6001 / 3 / 2 = 1000.17 -> 1000: SRDHM(6001, 715827882) = 2000, then shifted right by 1.
        const one = { scale: 1, zeroPoint: 0 };
        assert.deepStrictEqual(run(mean("int16", [1, 3], [-1], [1, 1], true, one, { scale: 2, zeroPoint: 0 }), [1000, 2001, 3000]).values, [1000]);
        assert.deepStrictEqual(run(mean("int16", [2], [0], [], false, one, { scale: 0.5, zeroPoint: 0 }), [30000, 30000]).values, [32767]);
        assert.deepStrictEqual(run(mean("int16", [2], [0], [], false, one, one), [-32768, -32767]).values, [-32767]);
    });

    it("folds 1/count into the multiplier exactly (64-bit division checked with BigInt)", () => {
        for (const m of [1073741824, 1518500250, 2147483647, 1234567890])
            for (const shift of [-31, -5, 0, 3])
                for (const count of [1, 2, 3, 7, 49, 1000, 65536, 1 << 30, 2147483647]) {
                    let s = 0;
                    while (2 ** (s + 1) <= count) s++;
                    s = Math.min(s, 32, 31 + shift);
                    const want = Number((BigInt(m) << BigInt(s)) / BigInt(count));
                    assert.deepStrictEqual(tflite.foldMeanCount(m, shift, count), [want, shift - s], `${m} ${shift} ${count}`);
                }
    });

    it("names the problem: computed axes, six dimensions, an axis out of range, a type, a wrong output", () => {
        throwsTflite(() => load({
            op: "MEAN", inputs: [{ shape: [2, 3], type: "float32" }, { shape: [1], type: "int32" }], outputs: [{ shape: [2], type: "float32" }],
        }), /MEAN v1\): the axis input tensor 1 'input1' INT32\[1\] must be constant/);
        throwsTflite(() => load(mean("float32", [1, 2, 1, 2, 1, 2], [0], [2, 1, 2, 1, 2])), /input .* has more than 5 dimensions/);
        throwsTflite(() => load(mean("float32", [2, 3], [2], [2])), /axis 2 is out of range for input/);
        throwsTflite(() => load(mean("int32", [2, 3], [1], [2])), /unsupported input type INT32/);
        throwsTflite(() => load(mean("float32", [2, 3], [1], [3])), /output .* must have shape \[2\]/);
        throwsTflite(() => load(mean("float32", [2, 3], [1], [3], true)), /output .* must have shape \[2,1\]/);
    });
});

describe("SUM, REDUCE_MAX, REDUCE_MIN", () => {
    const reduce = (op: string, type: string, inShape: number[], axes: number[], outShape: number[], inQ: object = {}, outQ: object = {}): SingleOpSpec => ({
        op, options: { keepDims: false },
        inputs: [{ shape: inShape, type: type as any, ...inQ }, { shape: [axes.length], type: "int32", data: axes }],
        outputs: [{ shape: outShape, type: type as any, ...outQ }],
    });
    const x = [1, -2, 3, 4, 5, -6]; // [[1, -2, 3], [4, 5, -6]]

    it("float32 and int8: sums, largest and smallest values over the axes", () => {
        assert.deepStrictEqual(run(reduce("SUM", "float32", [2, 3], [1], [2]), x).values, [2, 3]);
        assert.deepStrictEqual(run(reduce("REDUCE_MAX", "float32", [2, 3], [0], [3]), x).values, [4, 5, 3]);
        assert.deepStrictEqual(run(reduce("REDUCE_MIN", "float32", [2, 3], [0, -1], []), x).values, [-6]);
        const q = { scale: 0.5, zeroPoint: -3 };
        assert.deepStrictEqual(run(reduce("REDUCE_MAX", "int8", [2, 3], [1], [2], q, q), x).values, [3, 5]);
        assert.deepStrictEqual(run(reduce("REDUCE_MIN", "int8", [2, 3], [1], [2], q, q), x).values, [-2, -6]);
        // SUM int8 rescales without a 1/count: (1 - 2 + 3 + 3 * 3 zero points) * 0.5 / 0.25 = 22, + 1.
        assert.deepStrictEqual(run(reduce("SUM", "int8", [2, 3], [1], [2], q, { scale: 0.25, zeroPoint: 1 }), x).values, [23, 25]);
    });

    it("names the problem: REDUCE_MAX/MIN int8 with another output quantization, int16", () => {
        throwsTflite(() => load(reduce("REDUCE_MAX", "int8", [2, 3], [1], [2], { scale: 0.5, zeroPoint: 0 }, { scale: 0.25, zeroPoint: 0 })),
            /output .* must have the scale and zero point of input/);
        throwsTflite(() => load(reduce("REDUCE_MIN", "int16", [2, 3], [1], [2], { scale: 0.5, zeroPoint: 0 }, { scale: 0.5, zeroPoint: 0 })),
            /unsupported input type INT16/);
    });
});

describe("STRIDED_SLICE", () => {
    const slice = (begin: number[], end: number[], strides: number[], out: number[], options = {},
        inShape = [8], type = "int32"): SingleOpSpec => ({
        op: "STRIDED_SLICE", options,
        inputs: [{ shape: inShape, type: type as any }, { shape: [begin.length], type: "int32", data: begin },
            { shape: [end.length], type: "int32", data: end }, { shape: [strides.length], type: "int32", data: strides }],
        outputs: [{ shape: out, type: type as any }],
    });
    const v = range(8, 10); // 10 ... 17

    it("1-D: strides, negative strides and indices, clamping", () => {
        assert.deepStrictEqual(run(slice([1], [6], [2], [3]), v).values, [11, 13, 15]);
        assert.deepStrictEqual(run(slice([-1], [0], [-2], [4]), v).values, [17, 15, 13, 11]);
        assert.deepStrictEqual(run(slice([-3], [-1], [1], [2]), v).values, [15, 16]);
        assert.deepStrictEqual(run(slice([-100], [100], [3], [3]), v).values, [10, 13, 16]);
        assert.deepStrictEqual(run(slice([100], [-100], [-3], [3]), v).values, [17, 14, 11]);
        assert.deepStrictEqual(run(slice([2], [2], [1], [0]), v).values, []);
    });

    it("begin_mask and end_mask take the whole range, in either direction", () => {
        assert.deepStrictEqual(run(slice([5], [2], [1], [2], { beginMask: 1 }), v).values, [10, 11]);
        assert.deepStrictEqual(run(slice([5], [0], [1], [3], { endMask: 1 }), v).values, [15, 16, 17]);
        assert.deepStrictEqual(run(slice([0], [0], [-1], [8], { beginMask: 1, endMask: 1 }), v).values, [17, 16, 15, 14, 13, 12, 11, 10]);
        assert.deepStrictEqual(run(slice([3], [0], [-1], [4], { endMask: 1 }), v).values, [13, 12, 11, 10]);
    });

    it("shrink_axis_mask takes the one element at begin (end ignored) and drops the dimension", () => {
        const m = range(12); // [3,4]: m[i][j] = 4i + j
        assert.deepStrictEqual(run(slice([1, 0], [2, 4], [1, 1], [4], { shrinkAxisMask: 1 }, [3, 4], "int8"), m).values, [4, 5, 6, 7]);
        assert.deepStrictEqual(run(slice([-1, 0], [0, 4], [1, 1], [4], { shrinkAxisMask: 1 }, [3, 4], "int8"), m).values, [8, 9, 10, 11]);
        assert.deepStrictEqual(run(slice([0, -2], [3, 0], [1, 1], [3], { shrinkAxisMask: 2 }, [3, 4], "int8"), m).values, [2, 6, 10]);
        assert.deepStrictEqual(run(slice([2, 1], [0, 0], [1, 1], [], { shrinkAxisMask: 3 }, [3, 4], "int8"), m).values, [9]);
    });

    it("2-D and 4-D: a stride and a reversal at once, masks on several dimensions (int8, int16, float32)", () => {
        const m = range(12);
        assert.deepStrictEqual(run(slice([0, 3], [3, 0], [2, -1], [2, 3], {}, [3, 4], "int16"), m).values, [3, 2, 1, 11, 10, 9]);
        // [1,2,2,2]: element (0, c, h, w) is 4c + 2h + w. Take c = 1, every h, w = 1.
        assert.deepStrictEqual(run(slice([0, 1, 9, 1], [1, 2, 9, 2], [1, 1, 1, 1], [1, 1, 2, 1], { beginMask: 4, endMask: 4 }, [1, 2, 2, 2], "float32"),
            range(8)).values, [5, 7]);
        assert.deepStrictEqual(run(slice([0, 0, 0, 0], [0, 0, 0, 0], [1, -1, 1, -1], [1, 2, 2, 2], { beginMask: 15, endMask: 15 }, [1, 2, 2, 2], "int8"),
            range(8)).values, [5, 4, 7, 6, 1, 0, 3, 2]);
    });

    it("names the problem: masks TFLM ignores, a zero stride, computed indices, too many dimensions, a wrong output", () => {
        throwsTflite(() => load(slice([0], [1], [1], [1], { ellipsisMask: 1 })), /STRIDED_SLICE v1\): unsupported ellipsis_mask \(TFLM ignores it\)/);
        throwsTflite(() => load(slice([0], [1], [1], [1], { newAxisMask: 1 })), /unsupported new_axis_mask/);
        throwsTflite(() => load(slice([0], [1], [1], [1], { offset: true })), /unsupported offset option/);
        throwsTflite(() => load(slice([0], [1], [0], [1])), /the stride of dimension 0 is 0/);
        throwsTflite(() => load(slice([0, 0], [1, 1], [1, 1], [1])), /begin, end and strides must hold 1 values each/);
        throwsTflite(() => load({
            op: "STRIDED_SLICE",
            inputs: [{ shape: [4], type: "int8" }, { shape: [1], type: "int32" }, { shape: [1], type: "int32", data: [2] }, { shape: [1], type: "int32", data: [1] }],
            outputs: [{ shape: [2], type: "int8" }],
        }), /the begin input tensor 1 'input1' INT32\[1\] must be constant/);
        throwsTflite(() => load(slice([0, 0, 0, 0, 0], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], {}, [1, 1, 1, 1, 1])), /has more than 4 dimensions/);
        throwsTflite(() => load(slice([1], [6], [2], [4])), /output .* must have shape \[3\]/);
        // TFLM's loop writes nothing for a shrunk dimension walked backwards; its output would be garbage.
        throwsTflite(() => load(slice([1, 0], [2, 4], [-1, 1], [4], { shrinkAxisMask: 1 }, [3, 4], "int8")), /the slice fills 0 of the 4 values/);
    });
});

describe("TRANSPOSE", () => {
    const transpose = (type: string, inShape: number[], perm: number[], out: number[]): SingleOpSpec => ({
        op: "TRANSPOSE",
        inputs: [{ shape: inShape, type: type as any }, { shape: [perm.length], type: "int32", data: perm }],
        outputs: [{ shape: out, type: type as any }],
    });

    it("permutes 2-D to 5-D tensors of 1, 2, 4 and 8-byte elements", () => {
        assert.deepStrictEqual(run(transpose("int8", [2, 3], [1, 0], [3, 2]), [1, 2, 3, 4, 5, 6]).values, [1, 4, 2, 5, 3, 6]);
        // a[i][0][k] = 10i + k; out[k][i][0] = a[i][0][k].
        assert.deepStrictEqual(run(transpose("float32", [2, 1, 3], [2, 0, 1], [3, 2, 1]), [0, 1, 2, 10, 11, 12]).values, [0, 10, 1, 11, 2, 12]);
        assert.deepStrictEqual(run(transpose("int16", [1, 2, 3], [0, 2, 1], [1, 3, 2]), [1, 2, 3, 4, 5, 6]).values, [1, 4, 2, 5, 3, 6]);
        assert.deepStrictEqual(run(transpose("int32", [1, 1, 2, 1, 2], [4, 3, 2, 1, 0], [2, 1, 2, 1, 1]), [1, 2, 3, 4]).values, [1, 3, 2, 4]);
        assert.deepStrictEqual(run(transpose("int64", [2, 2], [1, 0], [2, 2]), [1, 2 ** 40, -3, 5]).values, [1, -3, 2 ** 40, 5]);
        assert.deepStrictEqual(run(transpose("int8", [2, 3], [0, 1], [2, 3]), [1, 2, 3, 4, 5, 6]).values, [1, 2, 3, 4, 5, 6]);
    });

    it("names the problem: a computed perm, a perm that is no permutation, a wrong output, too many dimensions", () => {
        throwsTflite(() => load({
            op: "TRANSPOSE", inputs: [{ shape: [2, 3], type: "int8" }, { shape: [2], type: "int32" }], outputs: [{ shape: [3, 2], type: "int8" }],
        }), /TRANSPOSE v1\): the perm input tensor 1 'input1' INT32\[2\] must be constant/);
        throwsTflite(() => load(transpose("int8", [2, 2], [0, 0], [2, 2])), /perm \[0,0\] is not a permutation of the 2 input dimensions/);
        throwsTflite(() => load(transpose("int8", [2, 2], [0, 2], [2, 2])), /perm \[0,2\] is not a permutation/);
        throwsTflite(() => load(transpose("int8", [2, 3], [1, 0, 2], [3, 2])), /perm .* must hold 2 values/);
        throwsTflite(() => load(transpose("int8", [2, 3], [1, 0], [2, 3])), /output .* must have shape \[3,2\]/);
        throwsTflite(() => load(transpose("int8", [1, 1, 1, 1, 1, 1], [0, 1, 2, 3, 4, 5], [1, 1, 1, 1, 1, 1])), /has more than 5 dimensions/);
    });
});

describe("the audio front end's spectrum trim", () => {
    it("runs STRIDED_SLICE and CONCATENATION (ops 6 and 7 of audio_preprocessor_int8) on int32", () => {
        // Bins 5 ... 240 of the 257 energies are kept, the others zeroed: zeros[5], slice, zeros[16].
        const m = tflite.parseModel(fs.readFileSync(path.join(SHARED, "models", "tflm", "audio_preprocessor_int8.tflite")));
        assert.deepStrictEqual([m.operators[6].name(), m.operators[7].name()], ["STRIDED_SLICE", "CONCATENATION"]);
        const spec = specFromParsed(m);
        const sg = spec.subgraphs[0];
        sg.operators = sg.operators.slice(6, 8);
        sg.inputs = [m.operators[6].inputs[0].index];
        sg.outputs = [m.operators[7].outputs[0].index];
        const ip = new tflite.StsInterpreter(writeModel(spec));
        const energies = range(257).map((k) => k * 1000003 - 5);
        ip.setInputBytes(0, encodeValues("int32", energies));
        ip.invoke();
        const want = new Array(5).fill(0).concat(energies.slice(5, 241), new Array(16).fill(0));
        assert.deepStrictEqual(decode("int32", ip.outputBytes(0)), want);
    });
});
