// QUANTIZE and DEQUANTIZE on single-op models, against values worked out by hand.
import * as assert from "assert";
import { loadTflite } from "../node/sts-runtime";
import { singleOpModel, encodeValues, typeCode, SingleOpSpec, TensorSpec } from "../node/model-writer";

const tflite = loadTflite();

function decode(type: TensorSpec["type"], b: Buffer): number[] {
    const res: number[] = [];
    switch (typeCode(type)) {
        case 0: for (let i = 0; i < b.length; i += 4) res.push(b.readFloatLE(i)); break;
        case 2: for (let i = 0; i < b.length; i += 4) res.push(b.readInt32LE(i)); break;
        case 3: for (let i = 0; i < b.length; i++) res.push(b[i]); break;
        case 7: for (let i = 0; i < b.length; i += 2) res.push(b.readInt16LE(i)); break;
        case 9: for (let i = 0; i < b.length; i++) res.push(b.readInt8(i)); break;
        default: throw new Error("decode: type " + type);
    }
    return res;
}

type Quant = { type: TensorSpec["type"]; scale?: number; zeroPoint?: number };

function spec(op: string, input: Quant, output: Quant, n: number): SingleOpSpec {
    return { op, inputs: [{ shape: [1, n], ...input }], outputs: [{ shape: [1, n], ...output }] };
}

/** Converts `values` (of the input's type) with a one-op model, returning the output values. */
function convert(op: string, input: Quant, output: Quant, values: number[]): number[] {
    const s = spec(op, input, output, values.length);
    const ip = new tflite.StsInterpreter(singleOpModel(s));
    ip.setInputBytes(0, encodeValues(input.type, values));
    ip.invoke();
    return decode(output.type, ip.outputBytes(0));
}

function throwsTflite(f: () => any, pattern: RegExp) {
    assert.throws(f, (e: any) => {
        assert.strictEqual(typeof e, "string", `expected an interpreter error, got ${e}`);
        assert.match(e, pattern);
        return true;
    });
}
const load = (s: SingleOpSpec) => new tflite.StsInterpreter(singleOpModel(s));

describe("QUANTIZE float32 ->", () => {
    it("int8: round half away from zero, add the zero point, saturate", () => {
        // scale 0.5: x / 0.5 = 0, 0.5, 1.5, -0.5, -1.5, 2.4, 200, -200, 253, -262.
        const out = convert("QUANTIZE", { type: "float32" }, { type: "int8", scale: 0.5, zeroPoint: 3 },
            [0, 0.25, 0.75, -0.25, -0.75, 1.2, 100, -100, 126.5, -131]);
        assert.deepStrictEqual(out, [3, 4, 5, 2, 1, 5, 127, -128, 127, -128]);
    });

    it("divides in float32: 0.15 / 0.1 is exactly 1.5 in float (1.4999999851 in double), so it rounds to 2", () => {
        assert.deepStrictEqual(convert("QUANTIZE", { type: "float32" }, { type: "int8", scale: 0.1, zeroPoint: 0 }, [0.15, -0.15]), [2, -2]);
    });

    it("int16 and uint8 ranges, infinities saturate and NaN gives the zero point", () => {
        // scale 0.25: 32766.5 -> 32767 and -32767.5 -> -32768 (ties away from zero), then saturation.
        assert.deepStrictEqual(convert("QUANTIZE", { type: "float32" }, { type: "int16", scale: 0.25, zeroPoint: 0 },
            [1, -0.125, 8191.625, -8191.875, 8192, -9000, Infinity, -Infinity, NaN]),
            [4, -1, 32767, -32768, 32767, -32768, 32767, -32768, 0]);
        assert.deepStrictEqual(convert("QUANTIZE", { type: "float32" }, { type: "uint8", scale: 1 / 128, zeroPoint: 128 },
            [0, -1, 0.5, 0.99, 1, -2, NaN]), [128, 0, 192, 255, 255, 0, 128]);
    });
});

describe("QUANTIZE between integer types (requantize)", () => {
    it("int8 -> int8: scale 1 -> 2 halves, ties go up (gemmlowp's rounding), zero points move", () => {
        // (q - 0) * 0.5 + 10: 3 -> 1.5 -> 2, -3 -> -1.5 -> -1, 1 -> 0.5 -> 1, -1 -> -0.5 -> 0.
        assert.deepStrictEqual(convert("QUANTIZE", { type: "int8", scale: 1, zeroPoint: 0 }, { type: "int8", scale: 2, zeroPoint: 10 },
            [3, -3, 1, -1, 0, 127, -128]), [12, 9, 11, 10, 10, 74, -54]);
        // Same scale, zero point -5 -> 20: a shift by 25 that saturates at 127.
        assert.deepStrictEqual(convert("QUANTIZE", { type: "int8", scale: 0.25, zeroPoint: -5 }, { type: "int8", scale: 0.25, zeroPoint: 20 },
            [-128, -5, 0, 100, 102, 127]), [-103, 20, 25, 125, 127, 127]);
    });

    it("int8 <-> uint8 moves the zero point by 128", () => {
        assert.deepStrictEqual(convert("QUANTIZE", { type: "uint8", scale: 0.5, zeroPoint: 128 }, { type: "int8", scale: 0.5, zeroPoint: 0 },
            [0, 127, 128, 200, 255]), [-128, -1, 0, 72, 127]);
        assert.deepStrictEqual(convert("QUANTIZE", { type: "int8", scale: 0.5, zeroPoint: 0 }, { type: "uint8", scale: 0.5, zeroPoint: 128 },
            [-128, -1, 0, 72, 127]), [0, 127, 128, 200, 255]);
    });

    it("int16 -> int8 and int16 -> int32, as in keyword_scrambled_8bit", () => {
        // scale 1/256 -> 1/8 with zero point 0 -> -3: q / 32 - 3, rounded (0.5 -> 1, 1.5 -> 2, -1.5 -> -2).
        assert.deepStrictEqual(convert("QUANTIZE", { type: "int16", scale: 1 / 256, zeroPoint: 0 }, { type: "int8", scale: 1 / 8, zeroPoint: -3 },
            [0, 16, 48, -48, 32767, -32768]), [-3, -2, -1, -5, 127, -128]);
        // zero point -32768 -> 0 and scale halved: (q + 32768) * 2, beyond int16.
        assert.deepStrictEqual(convert("QUANTIZE", { type: "int16", scale: 0.5, zeroPoint: -32768 }, { type: "int32", scale: 0.25, zeroPoint: 0 },
            [-32768, 0, 32767]), [0, 65536, 131070]);
    });

    it("int8 -> int16, int16 -> int16, int8 -> int32 and int32 -> int8/int16 with saturation", () => {
        assert.deepStrictEqual(convert("QUANTIZE", { type: "int8", scale: 1, zeroPoint: -1 }, { type: "int16", scale: 1 / 256, zeroPoint: 5 },
            [-1, 0, 127, -128, -127]), [5, 261, 32767, -32507, -32251]);
        assert.deepStrictEqual(convert("QUANTIZE", { type: "int16", scale: 3, zeroPoint: 0 }, { type: "int16", scale: 1, zeroPoint: 0 },
            [100, -100, 20000]), [300, -300, 32767]);
        assert.deepStrictEqual(convert("QUANTIZE", { type: "int8", scale: 1, zeroPoint: 0 }, { type: "int32", scale: 1 / 65536, zeroPoint: 7 },
            [1, -128]), [65543, -8388601]);
        // float(0.001) as a multiplier: 1500 -> 768 / 2^9 = 1.5 exactly after the first rounding, then away from zero.
        assert.deepStrictEqual(convert("QUANTIZE", { type: "int32", scale: 0.001, zeroPoint: 0 }, { type: "int8", scale: 1, zeroPoint: 0 },
            [1500, -1500, 2499, 1000000, -2147483648]), [2, -2, 2, 127, -128]);
        assert.deepStrictEqual(convert("QUANTIZE", { type: "int32", scale: 1, zeroPoint: 0 }, { type: "int16", scale: 1, zeroPoint: 0 },
            [40000, -40000, 123]), [32767, -32768, 123]);
    });
});

describe("DEQUANTIZE", () => {
    it("scale * (q - zero point) for int8, uint8 and int16", () => {
        assert.deepStrictEqual(convert("DEQUANTIZE", { type: "int8", scale: 0.5, zeroPoint: -3 }, { type: "float32" },
            [-128, -3, 0, 127]), [-62.5, 0, 1.5, 65]);
        assert.deepStrictEqual(convert("DEQUANTIZE", { type: "uint8", scale: 0.25, zeroPoint: 128 }, { type: "float32" },
            [0, 128, 255]), [-32, 0, 31.75]);
        assert.deepStrictEqual(convert("DEQUANTIZE", { type: "int16", scale: 1 / 32768, zeroPoint: 0 }, { type: "float32" },
            [-32768, 16384, 32767]), [-1, 0.5, 32767 / 32768]);
    });

    it("multiplies in double and rounds once to float32", () => {
        // float(0.1) * 3 = 0.30000000447 in double, whose nearest float is 0.30000001192 (not 3 * 0.1 in float steps).
        assert.deepStrictEqual(convert("DEQUANTIZE", { type: "int8", scale: 0.1, zeroPoint: 0 }, { type: "float32" }, [3]),
            [Math.fround(Math.fround(0.1) * 3)]);
        assert.strictEqual(Math.fround(Math.fround(0.1) * 3), 0.30000001192092896);
    });
});

describe("QUANTIZE and DEQUANTIZE errors", () => {
    it("name unsupported conversions", () => {
        throwsTflite(() => load(spec("QUANTIZE", { type: "float32" }, { type: "int32", scale: 1 }, 2)),
            /operator 0 \(QUANTIZE v1\): unsupported conversion FLOAT32 to INT32/);
        throwsTflite(() => load(spec("QUANTIZE", { type: "uint8", scale: 1 }, { type: "int16", scale: 1 }, 2)),
            /unsupported conversion UINT8 to INT16/);
        throwsTflite(() => load(spec("QUANTIZE", { type: "int8", scale: 1 }, { type: "float32", scale: 1 }, 2)),
            /unsupported conversion INT8 to FLOAT32/);
        throwsTflite(() => load(spec("DEQUANTIZE", { type: "int32", scale: 1 }, { type: "float32" }, 2)),
            /operator 0 \(DEQUANTIZE v1\): unsupported input type INT32/);
        throwsTflite(() => load(spec("DEQUANTIZE", { type: "int8", scale: 1 }, { type: "int16", scale: 1 }, 2)),
            /unsupported output type INT16 \(FLOAT32 expected\)/);
    });

    it("need per-tensor quantization and matching sizes", () => {
        throwsTflite(() => load(spec("QUANTIZE", { type: "float32" }, { type: "int8" }, 2)),
            /the output must be quantized with one scale \(per tensor\), tensor 1 'output0' INT8\[1,2\] has none/);
        throwsTflite(() => load({
            op: "QUANTIZE", inputs: [{ shape: [2, 1], type: "float32" }],
            outputs: [{ shape: [2, 1], type: "int8", scale: [0.5, 0.25], zeroPoint: 0, quantizedDimension: 0 }],
        }), /has 2 \(per channel\)/);
        throwsTflite(() => load(spec("QUANTIZE", { type: "int16" }, { type: "int8", scale: 1 }, 2)),
            /the input must be quantized with one scale \(per tensor\): tensor 0 'input0' INT16\[1,2\]/);
        throwsTflite(() => load(spec("DEQUANTIZE", { type: "int8" }, { type: "float32" }, 2)),
            /the input must be quantized with one scale \(per tensor\), tensor 0 'input0' INT8\[1,2\] has none/);
        throwsTflite(() => load({
            op: "DEQUANTIZE", inputs: [{ shape: [1, 3], type: "int8", scale: 1 }], outputs: [{ shape: [1, 2], type: "float32" }],
        }), /input tensor 0 'input0' INT8\[1,3\] and output tensor 1 'output0' FLOAT32\[1,2\] differ in size/);
    });
});
