// SOFTMAX on single-op models: values worked out by hand for small rows, float softmax as a bound
// for the fixed-point paths, and the errors TFLM's constraints give.
import * as assert from "assert";
import { loadTflite } from "../node/sts-runtime";
import { singleOpModel, encodeValues, typeCode, SingleOpSpec, TensorSpec, Options } from "../node/model-writer";
import { prng } from "../node/fuzz";

const tflite = loadTflite();

function decode(type: TensorSpec["type"], b: Buffer): number[] {
    const res: number[] = [];
    switch (typeCode(type)) {
        case 0: for (let i = 0; i < b.length; i += 4) res.push(b.readFloatLE(i)); break;
        case 7: for (let i = 0; i < b.length; i += 2) res.push(b.readInt16LE(i)); break;
        case 9: for (let i = 0; i < b.length; i++) res.push(b.readInt8(i)); break;
        default: throw new Error("decode: type " + type);
    }
    return res;
}

function spec(input: TensorSpec, output: TensorSpec, options: Options = { beta: 1 }): SingleOpSpec {
    return { op: "SOFTMAX", options, inputs: [input], outputs: [output] };
}

function run(s: SingleOpSpec, values: number[]): number[] {
    const ip = new tflite.StsInterpreter(singleOpModel(s));
    ip.setInputBytes(0, encodeValues(s.inputs[0]!.type, values));
    ip.invoke();
    return decode(s.outputs[0].type, ip.outputBytes(0));
}

function throwsTflite(f: () => any, pattern: RegExp) {
    assert.throws(f, (e: any) => {
        assert.strictEqual(typeof e, "string", `expected an interpreter error, got ${e}`);
        assert.match(e, pattern);
        return true;
    });
}
const load = (s: SingleOpSpec) => new tflite.StsInterpreter(singleOpModel(s));

const int8In = (shape: number[], scale: number, zeroPoint = 0): TensorSpec => ({ shape, type: "int8", scale, zeroPoint });
const int8Out = (shape: number[]): TensorSpec => ({ shape, type: "int8", scale: 1 / 256, zeroPoint: -128 });
const int16OutOfInt8 = (shape: number[]): TensorSpec => ({ shape, type: "int16", scale: 1 / 65536, zeroPoint: -32768 });
const int16In = (shape: number[], scale: number): TensorSpec => ({ shape, type: "int16", scale, zeroPoint: 0 });
const int16Out = (shape: number[]): TensorSpec => ({ shape, type: "int16", scale: 1 / 32768, zeroPoint: 0 });
const float = (shape: number[]): TensorSpec => ({ shape, type: "float32" });

/** The real softmax of reals xs with beta. */
function softmax(xs: number[], beta: number): number[] {
    const max = Math.max(...xs);
    const e = xs.map((x) => Math.exp(beta * (x - max)));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
}

describe("SOFTMAX int8", () => {
    it("equal inputs share the unit equally: 1/4 is 64 steps of 1/256 above -128", () => {
        // exp(0) is 1 in Q0.31 (2^31 - 1), 2^19 in the Q12.19 sum; four of them sum to 2^21, whose
        // reciprocal is exactly 1/4 of the unit: (2^31 - 2) / 2^25 rounds to 64.
        assert.deepStrictEqual(run(spec(int8In([1, 4], 0.1), int8Out([1, 4])), [5, 5, 5, 5]), [-64, -64, -64, -64]);
        assert.deepStrictEqual(run(spec(int8In([1, 4], 0.1), int8Out([1, 4]), { beta: 3 }), [-128, -128, -128, -128]), [-64, -64, -64, -64]);
    });

    it("a difference below diff_min counts as exp = 0; a lone 1.0 saturates to 127", () => {
        // scale 1/16: the Q5.26 multiplier is 2^22 = 2^30 << 23, so diff_min = -floor(31 * 2^26 / 2^23) = -248;
        // -128 - 127 = -255 is below it. The maximum alone sums to 2^19, its share (2^31 - 2) / 2^23
        // rounds to 256 = 1.0, one more than int8 holds.
        assert.deepStrictEqual(run(spec(int8In([1, 2], 1 / 16), int8Out([1, 2])), [127, -128]), [127, -128]);
        // With a small scale the same inputs are only 0.996 apart: 1/(1 + e^-0.996) = 0.7303 -> 186.96 - 128.
        assert.deepStrictEqual(run(spec(int8In([1, 2], 1 / 256), int8Out([1, 2])), [127, -128]), [59, -59]);
    });

    it("beta multiplies the input scale: scale 0.1 with beta 2 is scale 0.2 with beta 1", () => {
        const a = run(spec(int8In([1, 3], 0.1), int8Out([1, 3]), { beta: 2 }), [10, 20, 30]);
        const b = run(spec(int8In([1, 3], 0.2), int8Out([1, 3]), { beta: 1 }), [10, 20, 30]);
        assert.deepStrictEqual(a, b);
        // softmax(2, 4, 6) = 0.0159, 0.1173, 0.8668 -> 4.06, 30.03, 221.9 steps of 1/256.
        assert.deepStrictEqual(a, [-124, -98, 94]);
    });

    it("rows are independent, and the input zero point cancels out", () => {
        assert.deepStrictEqual(run(spec(int8In([2, 3], 0.1, 7), int8Out([2, 3])), [10, 20, 30, 17, 17, 17]),
            [-105, -65, 42, -43, -43, -43]);
    });

    it("stays within one step of the real softmax on random rows", () => {
        const r = prng(7);
        for (let trial = 0; trial < 50; trial++) {
            const depth = 1 + Math.floor(r() * 12);
            const scale = 0.02 + r() * 0.2;
            const beta = 0.5 + r() * 1.5;
            const q = Array.from({ length: depth }, () => Math.floor(r() * 256) - 128);
            const got = run(spec(int8In([1, depth], scale), int8Out([1, depth]), { beta }), q);
            const want = softmax(q.map((v) => Math.fround(scale) * v), Math.fround(beta)).map((p) => p * 256 - 128);
            got.forEach((g, i) => assert.ok(Math.abs(g - Math.min(127, want[i])) <= 1, `row ${q} beta ${beta}: ${got} vs ${want}`));
        }
    });
});

describe("SOFTMAX int8 -> int16", () => {
    it("equal inputs: 1/4 is 16384 steps of 1/65536 above -32768", () => {
        assert.deepStrictEqual(run(spec(int8In([1, 4], 0.1), int16OutOfInt8([1, 4])), [5, 5, 5, 5]), [-16384, -16384, -16384, -16384]);
    });

    it("extremes saturate to the int16 range", () => {
        assert.deepStrictEqual(run(spec(int8In([1, 2], 1 / 16), int16OutOfInt8([1, 2])), [127, -128]), [32767, -32768]);
    });

    it("accepts the scale 1/65535 that converters write (within 0.1% of 1/65536)", () => {
        const out = { shape: [1, 2], type: "int16" as const, scale: 1 / 65535, zeroPoint: -32768 };
        assert.deepStrictEqual(run(spec(int8In([1, 2], 0.1), out), [3, 3]), [0, 0]);
    });
});

describe("SOFTMAX int16", () => {
    it("equal inputs give 1/2 (16384 in Q0.15)", () => {
        assert.deepStrictEqual(run(spec(int16In([1, 2], 1 / 1024), int16Out([1, 2])), [100, 100]), [16384, 16384]);
    });

    it("softmax(1, 2, 3) within one step of the real values", () => {
        const got = run(spec(int16In([1, 3], 1 / 1024), int16Out([1, 3])), [1024, 2048, 3072]);
        // 0.0900306, 0.2447285, 0.6652410 of 32768.
        assert.deepStrictEqual(got, [2950, 8020, 21798]);
    });

    it("builds exp and 1/(1+x) tables that pass through the function values", () => {
        const ip = load(spec(int16In([1, 2], 1 / 1024), int16Out([1, 2])));
        const params: Buffer = ip.model.operators[0].params;
        const table = (word: number) => Array.from({ length: 513 }, (_, i) => params.readInt16LE(4 * word + 2 * i));
        const exp = table(10); // SoftmaxParams.ExpLut
        const recip = table(267); // SoftmaxParams.OneOverOnePlusXLut
        // Endpoints: exp(0) = 1 and 1/(1+0) = 1 clamp to 32767; 1/(1+1) = 16384; exp(-10) * 32768 = 1.49.
        assert.strictEqual(exp[512], 32767);
        assert.strictEqual(recip[0], 32767);
        assert.strictEqual(recip[512], 16384);
        // Every entry is the function at its sample, less at most one step of interpolation bias.
        for (let i = 0; i < 512; i++) {
            assert.ok(Math.abs(exp[i] - 32768 * Math.exp(-10 + (10 * i) / 512)) <= 1.5, `exp[${i}] = ${exp[i]}`);
            assert.ok(Math.abs(recip[i] - Math.min(32767, 32768 / (1 + i / 512))) <= 1.5, `recip[${i}] = ${recip[i]}`);
        }
    });

    it("stays within a few steps of the real softmax on random rows", () => {
        const r = prng(11);
        for (let trial = 0; trial < 30; trial++) {
            const depth = 1 + Math.floor(r() * 10);
            const q = Array.from({ length: depth }, () => Math.floor(r() * 65536) - 32768);
            const scale = 1 / 4096;
            const got = run(spec(int16In([1, depth], scale), int16Out([1, depth])), q);
            const want = softmax(q.map((v) => v * scale), 1).map((p) => Math.min(32767, p * 32768));
            // The exp table bottoms out at 2/32768 (about exp(-10)), so values far below the maximum
            // each add up to 2 steps to the sum, and lose as much from the others.
            got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 2 * depth + 2, `row ${q}: ${got} vs ${want}`));
        }
    });
});

describe("SOFTMAX float32", () => {
    it("exact cases: equal inputs, infinitely far inputs, beta 0", () => {
        assert.deepStrictEqual(run(spec(float([1, 4]), float([1, 4])), [7, 7, 7, 7]), [0.25, 0.25, 0.25, 0.25]);
        assert.deepStrictEqual(run(spec(float([2, 2]), float([2, 2])), [0, -Infinity, 1e30, -1e30]), [1, 0, 1, 0]);
        const third = Math.fround(1 / 3);
        assert.deepStrictEqual(run(spec(float([1, 3]), float([1, 3]), { beta: 0 }), [1, 2, 3]), [third, third, third]);
    });

    it("softmax(1, 2, 3) and with beta 2 (float32 arithmetic)", () => {
        const a = run(spec(float([1, 3]), float([1, 3])), [1, 2, 3]);
        softmax([1, 2, 3], 1).forEach((p, i) => assert.ok(Math.abs(a[i] - p) < 1e-7, `${a}`));
        const b = run(spec(float([1, 3]), float([1, 3]), { beta: 2 }), [1, 2, 3]);
        softmax([1, 2, 3], 2).forEach((p, i) => assert.ok(Math.abs(b[i] - p) < 1e-7, `${b}`));
    });
});

describe("SOFTMAX errors", () => {
    it("enforce TFLM's output quantization", () => {
        throwsTflite(() => load(spec(int8In([1, 4], 0.1), { shape: [1, 4], type: "int8", scale: 1 / 256, zeroPoint: 0 })),
            /operator 0 \(SOFTMAX v1\): an int8 output must have scale 1\/256 and zero point -128, not scale 0.00390625 and zero point 0/);
        throwsTflite(() => load(spec(int8In([1, 4], 0.1), { shape: [1, 4], type: "int8", scale: 1 / 255, zeroPoint: -128 })),
            /an int8 output must have scale 1\/256/);
        throwsTflite(() => load(spec(int8In([1, 4], 0.1), { shape: [1, 4], type: "int16", scale: 1 / 32768, zeroPoint: -32768 })),
            /an int16 output of an int8 input must have scale 1\/65536 and zero point -32768/);
        throwsTflite(() => load(spec(int16In([1, 4], 0.1), { shape: [1, 4], type: "int16", scale: 1 / 65536, zeroPoint: 0 })),
            /an int16 output must have scale 1\/32768 and zero point 0/);
        throwsTflite(() => load(spec({ shape: [1, 4], type: "int16", scale: 0.1, zeroPoint: 3 }, int16Out([1, 4]))),
            /an int16 input must have zero point 0, not 3/);
    });

    it("name unsupported types, shapes and scales", () => {
        throwsTflite(() => load(spec(int8In([1, 4], 0.1), float([1, 4]))), /int8 input needs an int8 or int16 output, not FLOAT32/);
        throwsTflite(() => load(spec(float([1, 4]), int8Out([1, 4]))), /float32 input needs a float32 output, not INT8/);
        throwsTflite(() => load(spec(int16In([1, 4], 0.1), int8Out([1, 4]))), /int16 input needs an int16 output, not INT8/);
        throwsTflite(() => load(spec({ shape: [1, 4], type: "int32", scale: 1 }, int8Out([1, 4]))), /unsupported input type INT32/);
        throwsTflite(() => load(spec(int8In([1, 4], 0.1), int8Out([1, 5]))), /output tensor 1 'output0' INT8\[1,5\] must have the shape of input/);
        throwsTflite(() => load(spec(int8In([1, 4], 1e-9), int8Out([1, 4]))),
            /beta 1 times input scale 9.99\d*e-10 is too small for the int8 softmax/);
        throwsTflite(() => load(spec(int8In([1, 4], 0.1), int8Out([1, 4]), {})), /beta 0 times input scale/);
        throwsTflite(() => load(spec(int8In([1, 4096], 0.1), int8Out([1, 4096]))), /rows of 4096 values are too long/);
    });
});
