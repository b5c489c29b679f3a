// ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM on single-op models, against values worked out by hand
// from TFLM's reference formulas (the fixed-point steps are spelled out where they matter).
import * as assert from "assert";
import { loadTflite } from "../node/sts-runtime";
import { singleOpModel, encodeValues, GraphBuilder, TensorSpec, Options } from "../node/model-writer";
import { prng } from "../node/fuzz";

const tflite = loadTflite();
const FLT_MAX = 3.4028234663852886e38;

function throwsTflite(f: () => any, pattern: RegExp) {
    assert.throws(f, (e: any) => {
        assert.strictEqual(typeof e, "string", `expected an interpreter error, got ${e}`);
        assert.match(e, pattern);
        return true;
    });
}

/** Raw output values of tensor type `type` from little-endian bytes. */
function decode(type: string, b: Buffer): number[] {
    const res: number[] = [];
    const size = type === "int8" ? 1 : type === "int16" ? 2 : 4;
    for (let i = 0; i < b.length; i += size) {
        if (type === "int8") res.push(b.readInt8(i));
        else if (type === "int16") res.push(b.readInt16LE(i));
        else if (type === "int32") res.push(b.readInt32LE(i));
        else res.push(b.readFloatLE(i));
    }
    return res;
}

interface Operand extends TensorSpec { values?: number[] }

/**
 * Builds a one-op model (operands with `data` are constants, those with `values` model inputs),
 * runs it once and returns the output's raw values.
 */
function run(op: string, a: Operand, b: Operand, out: TensorSpec, options?: Options): number[] {
    const strip = (t: Operand): TensorSpec => { const s = { ...t }; delete s.values; return s; };
    const model = singleOpModel({ op, inputs: [strip(a), strip(b)], outputs: [out], options });
    const ip = new tflite.StsInterpreter(model);
    let k = 0;
    for (const t of [a, b]) if (t.data === undefined) ip.setInputBytes(k++, encodeValues(t.type, t.values!));
    ip.invoke();
    return decode(String(out.type), ip.outputBytes(0));
}

const f32 = (shape: number[], values?: number[]): Operand => ({ shape, type: "float32", values });
const i32 = (shape: number[], values?: number[]): Operand => ({ shape, type: "int32", values });

function assertFloats(got: number[], want: number[]) {
    assert.strictEqual(got.length, want.length);
    for (let i = 0; i < want.length; i++) assert.ok(Object.is(got[i], want[i]), `element ${i}: got ${got[i]}, want ${want[i]}`);
}

describe("elementwise kernels: broadcasting", () => {
    it("adds equal shapes element by element (one flat run)", () => {
        assert.deepStrictEqual(run("ADD", f32([2, 2], [1, 2, 3, 4]), f32([2, 2], [10, 20, 30, 40]), f32([2, 2])), [11, 22, 33, 44]);
    });

    it("broadcasts a scalar, on either side", () => {
        assert.deepStrictEqual(run("ADD", f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([], [0.5]), f32([2, 3])), [1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
        assert.deepStrictEqual(run("SUB", f32([1], [10]), f32([2, 2], [1, 2, 3, 4]), f32([2, 2])), [9, 8, 7, 6]);
    });

    it("broadcasts a row and a column", () => {
        // [[1,2,3],[4,5,6]] + [10,20,30] repeats the row for both rows...
        assert.deepStrictEqual(run("ADD", f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([3], [10, 20, 30]), f32([2, 3])), [11, 22, 33, 14, 25, 36]);
        // ...and + [[100],[200]] repeats each row's single value along it.
        assert.deepStrictEqual(run("ADD", f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([2, 1], [100, 200]), f32([2, 3])), [101, 102, 103, 204, 205, 206]);
        // A column against a row makes a table: out[i][j] = a[i] * b[j].
        assert.deepStrictEqual(run("MUL", f32([3, 1], [1, 2, 3]), f32([1, 2], [10, 100]), f32([3, 2])), [10, 100, 20, 200, 30, 300]);
    });

    it("broadcasts 4-D shapes that alternate (no dimensions merge)", () => {
        // a[i,0,k,0] = [[1,2],[3,4]], b[0,j,0,l] = [[10,20],[30,40],[50,60]], out[i,j,k,l] = a[i][k] + b[j][l].
        const got = run("ADD", f32([2, 1, 2, 1], [1, 2, 3, 4]), f32([1, 3, 1, 2], [10, 20, 30, 40, 50, 60]), f32([2, 3, 2, 2]));
        assert.deepStrictEqual(got, [
            11, 21, 12, 22, 31, 41, 32, 42, 51, 61, 52, 62,
            13, 23, 14, 24, 33, 43, 34, 44, 53, 63, 54, 64]);
    });

    it("broadcasts 6-D shapes and lower ranks against them", () => {
        // a is [2,1,1,1,1,2] (a[i][m]), b is [3,1] (b[l]): out[i,0,0,0,l,m] = a[i][m] - b[l].
        const got = run("SUB", f32([2, 1, 1, 1, 1, 2], [1, 2, 3, 4]), f32([3, 1], [10, 20, 30]), f32([2, 1, 1, 1, 3, 2]));
        assert.deepStrictEqual(got, [-9, -8, -19, -18, -29, -28, -7, -6, -17, -16, -27, -26]);
    });

    it("walks random broadcasts up to 6-D as direct index arithmetic does", () => {
        // Independent of the kernel's dimension merging: out[c] = a[c with a's 1-dims at 0] * 1000 + b[...].
        const rand = prng(1234);
        const pick = (n: number) => Math.floor(rand() * n);
        for (let trial = 0; trial < 200; trial++) {
            const rank = 1 + pick(6);
            const out = Array.from({ length: rank }, () => 1 + pick(3));
            const shapeA = out.map((d) => (rand() < 0.4 ? 1 : d)).slice(pick(rank));
            const shapeB = out.map((d) => (rand() < 0.4 ? 1 : d)).slice(pick(rank));
            const full = out.map((d, k) => Math.max(k >= rank - shapeA.length ? shapeA[k - rank + shapeA.length] : 1,
                k >= rank - shapeB.length ? shapeB[k - rank + shapeB.length] : 1));
            const count = (s: number[]) => s.reduce((x, y) => x * y, 1);
            const a = Array.from({ length: count(shapeA) }, (_, i) => i);
            const b = Array.from({ length: count(shapeB) }, (_, i) => 1000 * i);
            const at = (shape: number[], coord: number[]) => {
                let index = 0;
                for (let k = 0; k < shape.length; k++) {
                    const c = coord[coord.length - shape.length + k];
                    index = index * shape[k] + (shape[k] === 1 ? 0 : c);
                }
                return index;
            };
            const want: number[] = [];
            for (let i = 0; i < count(full); i++) {
                const coord: number[] = [];
                let r = i;
                for (let k = rank - 1; k >= 0; k--) { coord.unshift(r % full[k]); r = Math.floor(r / full[k]); }
                want.push(a[at(shapeA, coord)] + b[at(shapeB, coord)]);
            }
            const got = run("ADD", i32(shapeA, a), i32(shapeB, b), i32(full));
            assert.deepStrictEqual(got, want, `[${shapeA}] + [${shapeB}] -> [${full}]`);
        }
    });

    it("names shapes that do not broadcast and outputs of the wrong shape", () => {
        throwsTflite(() => run("ADD", f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([2], [1, 2]), f32([2, 3])),
            /^tflite: operator 0 \(ADD v1\): shapes \[2,3\] and \[2\] do not broadcast$/);
        throwsTflite(() => run("MUL", f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([3], [1, 2, 3]), f32([3, 2])),
            /^tflite: operator 0 \(MUL v1\): output tensor 2 'output0' FLOAT32\[3,2\] must have the broadcast shape \[2,3\]$/);
        throwsTflite(() => run("ADD", f32([1, 1, 1, 1, 1, 1, 2], [1, 2]), f32([1], [1]), f32([1, 1, 1, 1, 1, 1, 2])),
            /at most 6 dimensions are supported, not 7/);
    });
});

describe("elementwise kernels: float32", () => {
    it("applies the fused activations", () => {
        const x = f32([5], [-7, -0.5, 0.5, 3, 9]);
        const zero = f32([], [0]);
        assert.deepStrictEqual(run("ADD", x, zero, f32([5]), { activation: "RELU" }), [0, 0, 0.5, 3, 9]);
        assert.deepStrictEqual(run("ADD", x, zero, f32([5]), { activation: "RELU6" }), [0, 0, 0.5, 3, 6]);
        assert.deepStrictEqual(run("SUB", x, zero, f32([5]), { activation: "RELU_N1_TO_1" }), [-1, -0.5, 0.5, 1, 1]);
        assert.deepStrictEqual(run("MUL", x, f32([], [2]), f32([5]), { activation: "RELU" }), [0, 0, 1, 6, 18]);
    });

    it("rounds every result to float32", () => {
        // 0.1f + 0.2f is 0.30000001192092896 in float32 (the double sum would print 0.30000000447...).
        assertFloats(run("ADD", f32([1], [0.1]), f32([1], [0.2]), f32([1])), [0.30000001192092896]);
        assertFloats(run("DIV", f32([2], [1, 2]), f32([], [3]), f32([2])), [0.3333333432674408, 0.6666666865348816]);
    });

    it("clamps an overflow to FLT_MAX as TFLM does with no activation; keeps NaN and -0", () => {
        assertFloats(run("ADD", f32([2], [3e38, -3e38]), f32([2], [3e38, -3e38]), f32([2])), [FLT_MAX, -FLT_MAX]);
        assertFloats(run("DIV", f32([3], [1, -1, 0]), f32([], [0]), f32([3])), [FLT_MAX, -FLT_MAX, NaN]);
        // std::max(-0.0f, 0.0f) keeps its first argument: RELU lets -0 through.
        assertFloats(run("ADD", f32([1], [-0]), f32([1], [-0]), f32([1]), { activation: "RELU" }), [-0]);
    });

    it("MAXIMUM and MINIMUM compare as C's a > b ? a : b (infinities stay)", () => {
        const a = f32([4], [Infinity, NaN, 1, -2]);
        const b = f32([4], [1, 1, NaN, -Infinity]);
        assertFloats(run("MAXIMUM", a, b, f32([4])), [Infinity, 1, NaN, -2]);
        assertFloats(run("MINIMUM", a, b, f32([4])), [1, 1, NaN, -Infinity]);
    });

    it("multiplies by a constant scalar (the float audio front end's last op)", () => {
        const c: Operand = { shape: [], type: "float32", data: [0.0625] };
        assertFloats(run("MUL", f32([4], [16, 1, -3, 100.5]), c, f32([4])), [1, 0.0625, -0.1875, 6.28125]);
    });
});

describe("elementwise kernels: int32", () => {
    it("ADD, SUB and MUL wrap around as C's int32", () => {
        assert.deepStrictEqual(run("ADD", i32([3], [2147483647, -2147483648, 5]), i32([3], [1, -1, -7]), i32([3])), [-2147483648, 2147483647, -2]);
        assert.deepStrictEqual(run("SUB", i32([2], [-2147483648, 2147483647]), i32([2], [1, -1]), i32([2])), [2147483647, -2147483648]);
        assert.deepStrictEqual(run("MUL", i32([4], [65536, 2147483647, -3, 46341]), i32([4], [65536, 2, 7, 46341]), i32([4])), [0, -2, -21, -2147479015]);
    });

    it("ADD ignores its fused activation (as TFLM); SUB, MUL and DIV clamp", () => {
        assert.deepStrictEqual(run("ADD", i32([2], [-5, 9]), i32([], [1]), i32([2]), { activation: "RELU6" }), [-4, 10]);
        assert.deepStrictEqual(run("SUB", i32([2], [-5, 9]), i32([], [1]), i32([2]), { activation: "RELU" }), [0, 8]);
        assert.deepStrictEqual(run("MUL", i32([3], [-5, 2, 9]), i32([], [1]), i32([3]), { activation: "RELU6" }), [0, 2, 6]);
        assert.deepStrictEqual(run("DIV", i32([3], [-50, 7, 50]), i32([], [10]), i32([3]), { activation: "RELU_N1_TO_1" }), [-1, 0, 1]);
    });

    it("DIV truncates toward zero; INT32_MIN / -1 wraps", () => {
        assert.deepStrictEqual(run("DIV", i32([7], [7, -7, 7, -7, 0, -2147483648, 2147483647]), i32([7], [2, 2, -2, -2, 5, -1, 1]), i32([7])),
            [3, -3, -3, 3, 0, -2147483648, 2147483647]);
    });

    it("DIV refuses a division by zero: at load for a constant divisor, at invoke otherwise", () => {
        const zero: Operand = { shape: [2], type: "int32", data: [3, 0] };
        throwsTflite(() => run("DIV", i32([2], [1, 2]), zero, i32([2])),
            /^tflite: operator 0 \(DIV v1\): divisor tensor 1 'const1' INT32\[2\] holds a 0 at element 1$/);
        throwsTflite(() => run("DIV", i32([2], [1, 2]), i32([2], [1, 0]), i32([2])), /^tflite: DIV: int32 division by zero$/);
    });

    it("MAXIMUM and MINIMUM broadcast", () => {
        assert.deepStrictEqual(run("MAXIMUM", i32([2, 2], [-2147483648, 5, 2147483647, 0]), i32([], [3]), i32([2, 2])), [3, 5, 2147483647, 3]);
        assert.deepStrictEqual(run("MINIMUM", i32([2, 2], [-2147483648, 5, 2147483647, 0]), i32([2, 1], [3, -1]), i32([2, 2])), [-2147483648, 3, -1, -1]);
    });

    it("runs the int8 audio front end's integer tail: ((x * 3 + 5) / 2 + 1) clipped to [-4, 100]", () => {
        // As audio_preprocessor_int8's ops 15-20: MUL, ADD, DIV, ADD, MINIMUM, MAXIMUM with scalar constants.
        const g = new GraphBuilder();
        const scalar = (v: number) => g.constant({ shape: [], type: "int32", data: [v] });
        const t = () => g.tensor({ shape: [6], type: "int32" });
        const x = g.input({ shape: [6], type: "int32" });
        const steps: [string, number][] = [["MUL", 3], ["ADD", 5], ["DIV", 2], ["ADD", 1], ["MINIMUM", 100], ["MAXIMUM", -4]];
        let prev = x;
        for (const [op, c] of steps) {
            const next = t();
            g.op(op, [prev, scalar(c)], [next]);
            prev = next;
        }
        g.output(prev);
        const ip = new tflite.StsInterpreter(g.toBuffer());
        ip.setInputBytes(0, encodeValues("int32", [0, 1, -1, -10, 100, 33]));
        ip.invoke();
        // 0 -> 5/2=2 -> 3; 1 -> 8/2=4 -> 5; -1 -> 2/2=1 -> 2; -10 -> -25/2=-12 -> -11 -> -4;
        // 100 -> 305/2=152 -> 153 -> 100; 33 -> 104/2=52 -> 53.
        assert.deepStrictEqual(decode("int32", ip.outputBytes(0)), [3, 5, 2, -4, 100, 53]);
    });
});

/** An int8 or int16 operand with its quantization. */
const q = (type: "int8" | "int16", shape: number[], scale: number, zeroPoint: number, values?: number[]): Operand =>
    ({ shape, type, scale, zeroPoint, values });

describe("elementwise kernels: int8 and int16", () => {
    it("ADD int8 with zero points -128 and 127 rounds halves away from zero", () => {
        // Scales 0.5 + 0.5 -> 1: multipliers 0.5 = (2^30, 0) each and 2^-20 = (2^30, -19) for the
        // output, so each input x becomes x * 2^19 and the output is round((x + y) / 2).
        // x = a + 128 = [0, 3, 1, 255, 3], y = b - 127 = [0, 0, -1, -127, -6].
        const got = run("ADD", q("int8", [5], 0.5, -128, [-128, -125, -127, 127, -125]), q("int8", [5], 0.5, 127, [127, 127, 126, 0, 121]),
            { shape: [5], type: "int8", scale: 1, zeroPoint: 0 });
        assert.deepStrictEqual(got, [0, 2, 0, 64, -2]);
    });

    it("ADD int8 saturates at both ends", () => {
        const out = (zeroPoint: number) => ({ shape: [2], type: "int8", scale: 1, zeroPoint } as TensorSpec);
        // x = y = 255 -> 255 + 100 -> 127; x = y = 0 -> 0 - 128 = -128 stays.
        assert.deepStrictEqual(run("ADD", q("int8", [2], 0.5, -128, [127, -128]), q("int8", [2], 0.5, -128, [127, -128]), out(100)), [127, 100]);
        assert.deepStrictEqual(run("ADD", q("int8", [2], 0.5, 127, [-128, 127]), q("int8", [2], 0.5, 127, [-128, 127]), out(-128)), [-128, -128]);
    });

    it("ADD and SUB int8 with different input scales", () => {
        // Scales 1 and 0.25 -> 1: multipliers 0.5 = (2^30, 0), 0.125 = (2^30, -2), 2^-19 = (2^30, -18):
        // out = round(x + y / 4), halves away from zero.
        const a = q("int8", [6], 1, 0, [1, -1, 0, 0, 0, 5]);
        const b = q("int8", [6], 0.25, 0, [2, -2, 1, 3, -3, -20]);
        const out: TensorSpec = { shape: [6], type: "int8", scale: 1, zeroPoint: 0 };
        assert.deepStrictEqual(run("ADD", a, b, out), [2, -2, 0, 1, -1, 0]);
        // SUB: round(x - y / 4): 1 - 0.5, -1 + 0.5, -0.25, -0.75, 0.75, 5 + 5.
        assert.deepStrictEqual(run("SUB", a, b, out), [1, -1, 0, -1, 1, 10]);
        // With RELU6 in output units: [0, 6] clamps the ADD results.
        assert.deepStrictEqual(run("ADD", a, b, out, { activation: "RELU6" }), [2, 0, 0, 1, 0, 0]);
    });

    it("ADD int8 broadcasts a constant row", () => {
        const row: Operand = { shape: [3], type: "int8", scale: 0.5, zeroPoint: 0, data: [2, 4, -6] };
        const got = run("ADD", q("int8", [2, 3], 0.5, 0, [0, 0, 0, 10, 20, 30]), row, { shape: [2, 3], type: "int8", scale: 1, zeroPoint: 0 });
        assert.deepStrictEqual(got, [1, 2, -3, 6, 12, 12]);
    });

    it("MUL int8: one multiplier, double rounding toward +inf on negative halves", () => {
        // Scales 0.5 * 0.5 / 0.25 = 1 = (2^30, 1): out = x * y exactly, then saturated.
        const a = q("int8", [4], 0.5, -128, [-118, -118, -128, 127]);
        const b = q("int8", [4], 0.5, 127, [117, 127, 0, 0]);
        // x = [10, 10, 0, 255], y = [-10, 0, -127, -127]
        assert.deepStrictEqual(run("MUL", a, b, { shape: [4], type: "int8", scale: 0.25, zeroPoint: 0 }), [-100, 0, 0, -128]);
        // Output scale 0.5: multiplier 0.5 = (2^30, 0); SaturatingRoundingDoublingHighMul rounds
        // 1.5 to 2 but -1.5 to -1 (its nudge is 2^30 for products >= 0 and 1 - 2^30 below 0).
        const got = run("MUL", q("int8", [4], 0.5, 0, [3, -3, 1, 5]), q("int8", [4], 0.5, 0, [1, 1, 1, 1]),
            { shape: [4], type: "int8", scale: 0.5, zeroPoint: 10 });
        assert.deepStrictEqual(got, [12, 9, 11, 13]);
    });

    it("ADD int16: left shift 15, saturation at +-32768", () => {
        // Scales 1 + 1 -> 2: out = round((x + y) / 2); with output scale 1: out = x + y, saturated.
        const a = q("int16", [4], 1, 0, [32767, -32768, 1, -1]);
        const b = q("int16", [4], 1, 0, [32767, -32768, 2, -2]);
        assert.deepStrictEqual(run("ADD", a, b, { shape: [4], type: "int16", scale: 2, zeroPoint: 0 }), [32767, -32768, 2, -2]);
        assert.deepStrictEqual(run("ADD", a, b, { shape: [4], type: "int16", scale: 1, zeroPoint: 0 }), [32767, -32768, 3, -3]);
        assert.deepStrictEqual(run("SUB", a, b, { shape: [4], type: "int16", scale: 1, zeroPoint: 0 }), [0, 0, -1, 1]);
        // TFLM's int16 ADD and SUB take any zero point: (32767 - -32768) << 15 still fits an int32.
        const shifted = q("int16", [3], 1, -32768, [-32768, 32767, 0]);
        const zero = q("int16", [3], 1, 0, [5, 0, 0]);
        assert.deepStrictEqual(run("ADD", shifted, zero, { shape: [3], type: "int16", scale: 1, zeroPoint: -32768 }), [-32763, 32767, 0]);
        assert.deepStrictEqual(run("SUB", zero, shifted, { shape: [3], type: "int16", scale: 1, zeroPoint: 100 }), [105, -32768, -32668]);
    });

    it("MUL int16", () => {
        // Scales 2^-8 each, output 2^-8: multiplier 2^-8 = (2^30, -7): out = round(x * y / 256), saturated.
        const s = 1 / 256;
        const got = run("MUL", q("int16", [4], s, 0, [256, 512, -256, 32767]), q("int16", [4], s, 0, [768, 256, 512, 32767]),
            { shape: [4], type: "int16", scale: s, zeroPoint: 0 });
        assert.deepStrictEqual(got, [768, 512, -512, 32767]);
    });

    it("MAXIMUM and MINIMUM compare the stored int8 and int16 values", () => {
        const a = q("int8", [4], 0.1, -5, [-128, 5, 127, 0]);
        const three: Operand = { shape: [], type: "int8", scale: 0.1, zeroPoint: -5, data: [3] };
        assert.deepStrictEqual(run("MAXIMUM", a, three, { shape: [4], type: "int8", scale: 0.1, zeroPoint: -5 }), [3, 5, 127, 3]);
        assert.deepStrictEqual(run("MINIMUM", a, three, { shape: [4], type: "int8", scale: 0.1, zeroPoint: -5 }), [-128, 3, 3, 0]);
        const h = q("int16", [2, 2], 1, 0, [-32768, 40, 32767, -7]);
        const col = q("int16", [2, 1], 1, 0, [0, 100]);
        assert.deepStrictEqual(run("MAXIMUM", h, col, { shape: [2, 2], type: "int16", scale: 1, zeroPoint: 0 }), [0, 40, 32767, 100]);
        assert.deepStrictEqual(run("MINIMUM", h, col, { shape: [2, 2], type: "int16", scale: 1, zeroPoint: 0 }), [-32768, 0, 100, -7]);
    });
});

describe("elementwise kernels: errors", () => {
    it("names mismatched and unsupported types", () => {
        throwsTflite(() => run("ADD", f32([1], [1]), i32([1], [1]), f32([1])),
            /^tflite: operator 0 \(ADD v1\): inputs FLOAT32 and INT32 must both be of the output's type FLOAT32$/);
        throwsTflite(() => run("DIV", q("int8", [1], 1, 0, [1]), q("int8", [1], 1, 0, [1]), { shape: [1], type: "int8", scale: 1, zeroPoint: 0 }),
            /^tflite: operator 0 \(DIV v1\): unsupported type INT8$/);
        throwsTflite(() => run("ADD", { shape: [1], type: "uint8", values: [1] }, { shape: [1], type: "uint8", values: [1] }, { shape: [1], type: "uint8" }),
            /unsupported type UINT8/);
    });

    it("names bad quantization", () => {
        throwsTflite(() => run("MUL", q("int16", [1], 1, 3, [1]), q("int16", [1], 1, 0, [1]), { shape: [1], type: "int16", scale: 1, zeroPoint: 0 }),
            /int16 tensor 0 'input0' INT16\[1\] must have zero point 0/);
        throwsTflite(() => run("MUL", { shape: [1], type: "int8", values: [1] }, q("int8", [1], 1, 0, [1]), { shape: [1], type: "int8", scale: 1, zeroPoint: 0 }),
            /tensor 0 'input0' INT8\[1\] needs one scale/);
        throwsTflite(() => run("ADD", { shape: [1], type: "int32", scale: 0.5, zeroPoint: 0, values: [1] }, i32([1], [1]), i32([1])),
            /int32 ADD supports only unquantized tensors/);
        throwsTflite(() => run("ADD", q("int8", [1], 1, 0, [1]), q("int8", [1], 1, 0, [1]), { shape: [1], type: "int8", scale: 1e-7, zeroPoint: 0 }),
            /output scale [0-9.e-]+ is too small for input scales 1 and 1/);
    });

    it("names an unsupported fused activation", () => {
        throwsTflite(() => run("ADD", f32([1], [1]), f32([1], [1]), f32([1]), { activation: "TANH" }),
            /^tflite: operator 0 \(ADD v1\): unsupported fused activation 4$/);
    });
});
