// CAST: every input/output pair TFLM's cast.cc supports, with the edge values where C++'s
// static_cast wraps, rounds or truncates (float -> integer out of range as the x86-64 host build).
import * as assert from "assert";
import { loadTflite } from "../node/sts-runtime";
import { singleOpModel, encodeValues, TypeName } from "../node/model-writer";

const tflite = loadTflite();

function castModel(from: TypeName, to: TypeName, n: number, inShape?: number[], outShape?: number[]): Buffer {
    return singleOpModel({
        op: "CAST", version: 3,
        inputs: [{ shape: inShape || [n], type: from }], outputs: [{ shape: outShape || [n], type: to }],
    });
}

function cast(from: TypeName, to: TypeName, values: number[]): number[] {
    const ip = new tflite.StsInterpreter(castModel(from, to, values.length));
    ip.setInputBytes(0, encodeValues(from, values));
    ip.invoke();
    const out = Buffer.from(ip.outputBytes(0));
    const read: { [t: string]: (i: number) => number } = {
        int8: (i) => out.readInt8(i), int16: (i) => out.readInt16LE(2 * i), int32: (i) => out.readInt32LE(4 * i),
        uint32: (i) => out.readUInt32LE(4 * i), float32: (i) => out.readFloatLE(4 * i),
    };
    return values.map((_, i) => read[to](i));
}

function throwsTflite(f: () => any, pattern: RegExp) {
    assert.throws(f, (e: any) => {
        assert.strictEqual(typeof e, "string", `expected an interpreter error, got ${e && e.stack || e}`);
        assert.match(e, pattern);
        return true;
    });
}

describe("CAST", () => {
    it("the audio preprocessor's casts: uint32 <-> int32, int16 -> int32 and float32, int32 -> int8", () => {
        assert.deepStrictEqual(cast("uint32", "int32", [0, 5, 2147483647, 2147483648, 4294967295]), [0, 5, 2147483647, -2147483648, -1]);
        assert.deepStrictEqual(cast("int32", "uint32", [0, 5, -1, -2147483648]), [0, 5, 4294967295, 2147483648]);
        assert.deepStrictEqual(cast("int16", "int32", [-32768, -1, 0, 32767]), [-32768, -1, 0, 32767]);
        assert.deepStrictEqual(cast("int16", "float32", [-32768, -1, 0, 32767]), [-32768, -1, 0, 32767]);
        // Narrowing keeps the low 8 bits: 300 -> 44, -129 -> 127, 128 -> -128.
        assert.deepStrictEqual(cast("int32", "int8", [-128, 127, 300, -129, 128, 65535]), [-128, 127, 44, 127, -128, -1]);
    });

    it("integer sources: every output type", () => {
        assert.deepStrictEqual(cast("int8", "int16", [-128, -1, 0, 127]), [-128, -1, 0, 127]);
        assert.deepStrictEqual(cast("int8", "uint32", [-128, -1, 0, 127]), [4294967168, 4294967295, 0, 127]);
        assert.deepStrictEqual(cast("int8", "float32", [-128, 127]), [-128, 127]);
        assert.deepStrictEqual(cast("int16", "int8", [-32768, 255, 256, -129]), [0, -1, 0, 127]);
        assert.deepStrictEqual(cast("int16", "uint32", [-1, 32767]), [4294967295, 32767]);
        assert.deepStrictEqual(cast("int32", "int16", [70000, -32769, 32768]), [4464, 32767, -32768]);
        assert.deepStrictEqual(cast("uint32", "int16", [65535, 65536, 4294967295]), [-1, 0, -1]);
        assert.deepStrictEqual(cast("uint32", "int8", [255, 4294967168]), [-1, -128]);
        assert.deepStrictEqual(cast("uint32", "uint32", [4294967295, 7]), [4294967295, 7]);
    });

    it("integers to float32 round to nearest, ties to even", () => {
        // 2^24 + 1 is a tie between 2^24 and 2^24 + 2: even mantissa wins; INT32_MAX and UINT32_MAX round up.
        assert.deepStrictEqual(cast("int32", "float32", [16777217, 16777219, 2147483647, -2147483648]),
            [16777216, 16777220, 2147483648, -2147483648]);
        assert.deepStrictEqual(cast("uint32", "float32", [4294967295, 16777217]), [4294967296, 16777216]);
    });

    it("float32 to integers truncates toward zero; out of range as x86-64 (cvttss2si)", () => {
        assert.deepStrictEqual(cast("float32", "int32", [2.9, -2.9, -0.5, 3e9, -3e9, NaN]), [2, -2, 0, -2147483648, -2147483648, -2147483648]);
        // int8/int16 take the low bits of that int32: 200.7 -> 200 -> -56; 40000.5 -> 40000 -> -25536; 1e10 -> INT32_MIN -> 0.
        assert.deepStrictEqual(cast("float32", "int8", [200.7, -129.9, 1e10, 2.5]), [-56, 127, 0, 2]);
        assert.deepStrictEqual(cast("float32", "int16", [40000.5, -129.9, 1e10]), [-25536, -129, 0]);
        // uint32 takes the low 32 bits of a 64-bit truncation: -1.5 -> -1 -> 0xffffffff; 5e9 -> 705032704;
        // 2^32 -> 0; 1e20 (beyond int64) -> 0.
        assert.deepStrictEqual(cast("float32", "uint32", [3e9, -1.5, -3e9, 5e9, 4294967296, 1e20, NaN]),
            [3000000000, 4294967295, 1294967296, 705032704, 0, 0, 0]);
        assert.deepStrictEqual(cast("float32", "float32", [0.1, -7.25]), [Math.fround(0.1), -7.25]);
    });

    it("bool to 0 and 1", () => {
        assert.deepStrictEqual(cast("bool", "int32", [0, 1, 0]), [0, 1, 0]);
        assert.deepStrictEqual(cast("bool", "float32", [1, 0]), [1, 0]);
        assert.deepStrictEqual(cast("bool", "int8", [1]), [1]);
    });

    it("keeps the shape's element count, whatever the ranks", () => {
        const ip = new tflite.StsInterpreter(castModel("int16", "int32", 6, [2, 3], [6]));
        ip.setInputBytes(0, encodeValues("int16", [1, -2, 3, -4, 5, -6]));
        ip.invoke();
        assert.deepStrictEqual([...Array(6).keys()].map((i) => ip.output(0).get(i)), [1, -2, 3, -4, 5, -6]);
    });

    it("fails clearly on unsupported types and mismatched sizes", () => {
        throwsTflite(() => new tflite.StsInterpreter(castModel("int64", "int32", 2)), /^tflite: operator 0 \(CAST v3\): unsupported input type INT64$/);
        throwsTflite(() => new tflite.StsInterpreter(castModel("int32", "int64", 2)), /^tflite: operator 0 \(CAST v3\): unsupported output type INT64$/);
        throwsTflite(() => new tflite.StsInterpreter(castModel("int32", "bool", 2)), /unsupported output type BOOL/);
        throwsTflite(() => new tflite.StsInterpreter(castModel("int32", "int8", 2, [2], [3])),
            /input tensor 0 'input0' INT32\[2\] and output tensor 1 'output0' INT8\[3\] have different sizes/);
    });
});
