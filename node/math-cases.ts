// Generated element-wise math models (ABS, NEG, SQUARE, SQRT, RSQRT, CEIL, FLOOR, ROUND, EXP, ELU, LOG, SIN, COS,
// FLOOR_DIV, FLOOR_MOD, SQUARED_DIFFERENCE, PRELU): the fuzzer's and the replay's random kinds
// (node/fuzz.ts CASE_KINDS) and TFLM's goldens (tools/tflm-goldens-math.ts), from one builder whose
// choices name the branches of TFLM's kernels a case takes.
import type { OpCase, Rand } from "./fuzz";
import { encodeValues, singleOpModel, SingleOpSpec, TensorSpec, TypeName } from "./model-writer";

export type UnaryMathOp = "ABS" | "NEG" | "SQUARE" | "SQRT" | "RSQRT" | "CEIL" | "FLOOR" | "ROUND" | "EXP" | "ELU" | "LOG" | "SIN" | "COS";
export type BinaryMathOp = "FLOOR_DIV" | "FLOOR_MOD" | "SQUARED_DIFFERENCE" | "PRELU";
export type MathOp = UnaryMathOp | BinaryMathOp;

/** The types TFLM's kernel takes for each op (PRELU int16 has an int8 alpha). */
export const MATH_TYPES: { [op in MathOp]: TypeName[] } = {
    ABS: ["float32", "int8", "int16"], NEG: ["float32"], SQUARE: ["float32"], SQRT: ["float32"], RSQRT: ["float32", "int8"],
    CEIL: ["float32"], FLOOR: ["float32"], ROUND: ["float32"], EXP: ["float32"], ELU: ["float32", "int8"], LOG: ["float32"], SIN: ["float32"], COS: ["float32"],
    FLOOR_DIV: ["float32"], FLOOR_MOD: ["float32"], SQUARED_DIFFERENCE: ["float32", "int32", "int8", "int16"],
    PRELU: ["float32", "int8", "int16"],
};

export function isBinaryMath(op: MathOp): op is BinaryMathOp {
    return op === "FLOOR_DIV" || op === "FLOOR_MOD" || op === "SQUARED_DIFFERENCE" || op === "PRELU";
}

/**
 * The quantization of a quantized case: "same" (ABS: equal scales, no rescale; the zero points
 * may differ), "different" (any scales), "none" (ABS int16 without quantization: C's abs).
 */
export type MathQuant = "same" | "different" | "none";

/**
 * How a binary op's inputs meet: "same" shape (TFLM's flat path; up to 5 dimensions), "broadcast"
 * (dimensions of 1 on either side, at most 4 dimensions, TFLM's 4-D slow path), "scalar" (the
 * second input one value). PRELU: "same", "channel" (alpha along the last dimension), "broadcast".
 */
export type MathShapes = "same" | "broadcast" | "scalar" | "channel";

export interface MathChoice {
    op: MathOp;
    type: TypeName;
    quant: MathQuant;
    shapes: MathShapes;
    /** The second input as a constant (PRELU's alpha usually is). */
    constSecond: boolean;
}

/**
 * Elements a generated tensor holds at most: three float32 tensors then fit the micro:bit v1's
 * 16 KB of RAM, where test/native.test.ts replays every generated case.
 */
const MAX_ELEMENTS = 400;

function randomShape(rand: Rand, rank: number, maxDim: number): number[] {
    const shape: number[] = [];
    for (let i = 0; i < rank; i++) shape.push(rand.int(1, maxDim));
    while (count(shape) > MAX_ELEMENTS) {
        const largest = shape.indexOf(Math.max(...shape));
        shape[largest] = Math.ceil(shape[largest] / 2);
    }
    return shape;
}

function count(shape: number[]): number {
    return shape.reduce((a, b) => a * b, 1);
}

/** float32 values the op's branches want: positive for SQRT/RSQRT/LOG, halves for ROUND, (-1, 0) for CEIL... */
function floatInputs(rand: Rand, op: MathOp, n: number): number[] {
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
        const r = rand.next();
        let x = 0;
        switch (op) {
            // No negative inputs: their NaN's sign and payload are the FPU's (test/tflm_goldens compares bytes).
            case "SQRT": case "RSQRT": case "LOG":
                x = r < 0.1 ? 0 : r < 0.2 ? rand.scale(-140, -126) : r < 0.3 ? rand.scale(60, 127) : rand.next() * 100; break;
            case "ROUND": case "CEIL": case "FLOOR":
                x = r < 0.3 ? rand.int(-40, 40) / 2 : r < 0.45 ? -rand.next() : r < 0.55 ? (rand.chance(0.5) ? -1 : 1) * rand.scale(23, 40) :
                    (rand.next() * 2 - 1) * 20; break;
            // Below pi/4, below 120 and beyond (the three reductions), both signs.
            // Near multiples of pi/2 below 120 too, where the reduction cancels (glibc's x86-64
            // build rounds x - n pi/2 once, with a fused multiply-add).
            case "SIN": case "COS": {
                const nearMultiple = () => Math.fround(rand.int(1, 76) * Math.PI / 2) * (1 + rand.int(-3, 3) * 2 ** -23);
                x = (rand.chance(0.5) ? -1 : 1) * (r < 0.25 ? rand.next() * 0.8 : r < 0.45 ? rand.next() * 120 : r < 0.7 ? nearMultiple() :
                    r < 0.8 ? rand.scale(-30, -11) : rand.scale(7, 127));
                break
            }
            case "EXP": x = r < 0.2 ? (rand.next() * 2 - 1) * 110 : (rand.next() * 2 - 1) * 12; break;
            case "ELU": x = r < 0.2 ? -rand.next() * 100 : (rand.next() * 2 - 1) * 6; break;
            default: x = r < 0.05 ? 0 : r < 0.1 ? -0 : r < 0.2 ? (rand.next() * 2 - 1) * 1e6 : (rand.next() * 2 - 1) * 10; break;
        }
        v.push(Math.fround(x));
    }
    return v;
}

/** Nonzero float32 divisors (FLOOR_DIV and FLOOR_MOD), some dividing exactly, some tiny, some huge. */
function floatDivisors(rand: Rand, n: number): number[] {
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
        const r = rand.next();
        const sign = rand.chance(0.5) ? -1 : 1;
        v.push(Math.fround(sign * (r < 0.3 ? rand.int(1, 5) : r < 0.4 ? rand.scale(-30, -5) : r < 0.45 ? rand.scale(20, 40) : 0.1 + rand.next() * 8)));
    }
    return v;
}

/** The two input shapes and the output's for a binary case. */
function binaryShapes(rand: Rand, c: MathChoice): number[][] {
    if (c.shapes === "same") {
        const s = randomShape(rand, rand.int(c.op === "PRELU" ? 1 : 0, c.op === "PRELU" ? 4 : 5), 5);
        return [s, s.slice(0), s.slice(0)];
    }
    if (c.shapes === "scalar") {
        const s = randomShape(rand, rand.int(1, 4), 6);
        return [s, rand.chance(0.5) ? [] : [1], s.slice(0)];
    }
    if (c.shapes === "channel") {
        const s = randomShape(rand, 4, 5);
        return [s, rand.chance(0.5) ? [s[3]] : [1, 1, s[3]], s.slice(0)];
    }
    const rank = rand.int(2, 4);
    const out = randomShape(rand, rank, 5).map((d) => Math.max(d, 2));
    // Each dimension is the output's in at least one input: the output is the broadcast shape.
    const a = out.map((d) => (rand.chance(0.35) ? 1 : d));
    let b = out.map((d, i) => (a[i] !== 1 && rand.chance(0.5) ? 1 : d));
    if (rand.chance(0.3)) {   // b of a lower rank, right-aligned: a has the dimensions b lacks
        const dropped = rand.int(1, rank - 1);
        b = b.slice(dropped);
        for (let i = 0; i < dropped; i++) a[i] = out[i];
    }
    // PRELU broadcasts alpha onto the input's shape: the output is the input's.
    if (c.op === "PRELU") return [out, b, out.slice(0)];
    return [a, b, out];
}

/** A single-op model and its inputs for choice `c`. */
export function mathModel(rand: Rand, c: MathChoice): { spec: SingleOpSpec; inputs: Buffer[] } {
    const type = c.type;
    if (!isBinaryMath(c.op)) {
        const shape = randomShape(rand, rand.int(0, 4), 6);
        const n = count(shape);
        let input: TensorSpec, output: TensorSpec, values: number[];
        if (type === "float32") {
            input = { shape, type };
            output = { shape, type };
            values = floatInputs(rand, c.op, n);
        } else if (c.quant === "none") {   // ABS int16 unquantized
            input = { shape, type };
            output = { shape, type };
            values = rand.values(type, n).map((x, i) => (i === 0 ? -32768 : x));
        } else {
            // RSQRT: a zero point of 0 or below, so that an input of zeros (the fuzzer's) is no negative value.
            const zIn = type === "int16" ? 0 : c.op === "RSQRT" ? rand.int(-128, 0) : rand.zeroPoint(type);
            const sIn = c.op === "RSQRT" ? rand.scale(-8, 0) : c.op === "ELU" ? rand.scale(-7, -2) : rand.scale(-10, -2);
            let sOut = c.quant === "same" ? sIn : Math.fround(sIn * (0.25 + rand.next() * 2));
            let zOut = type === "int16" ? 0 : rand.zeroPoint(type);
            if (c.op === "RSQRT") {
                // Outputs from 1/sqrt(255 s_in) to 1/sqrt(s_in): positive, so a zero point near -128.
                sOut = Math.fround(1 / Math.sqrt(sIn) / 255 * (0.5 + rand.next() * 2));
                zOut = rand.int(-128, -100);
            } else if (c.op === "ELU") {
                const top = Math.max(1, (127 - zIn) * sIn);
                sOut = Math.fround((top + 1) / 255 * (0.6 + rand.next()));
                zOut = rand.int(-128, 0);
            }
            input = { shape, type, scale: sIn, zeroPoint: zIn };
            output = { shape, type, scale: sOut, zeroPoint: zOut };
            // RSQRT's inputs below the zero point make TFLM fail: from it up only.
            values = c.op === "RSQRT" ? Array.from({ length: n }, () => rand.int(zIn, 127)) : rand.values(type, n);
        }
        return { spec: { op: c.op, inputs: [input], outputs: [output] }, inputs: [encodeValues(type, values)] };
    }

    const [s1, s2, so] = binaryShapes(rand, c);
    const type2: TypeName = c.op === "PRELU" && type === "int16" ? "int8" : type;
    const n1 = count(s1), n2 = count(s2);
    let v1: number[], v2: number[];
    let in1: TensorSpec, in2: TensorSpec, out: TensorSpec;
    if (type === "float32") {
        v1 = floatInputs(rand, c.op, n1);
        v2 = c.op === "FLOOR_DIV" || c.op === "FLOOR_MOD" ? floatDivisors(rand, n2) :
            c.op === "PRELU" ? Array.from({ length: n2 }, () => Math.fround(rand.next() * 2 - 0.5)) : floatInputs(rand, c.op, n2);
        in1 = { shape: s1, type };
        in2 = { shape: s2, type: type2 };
        out = { shape: so, type };
    } else if (type === "int32") {
        v1 = rand.chance(0.5) ? rand.values(type, n1) : Array.from({ length: n1 }, () => rand.int(-40000, 40000));
        v2 = rand.chance(0.5) ? rand.values(type, n2) : Array.from({ length: n2 }, () => rand.int(-40000, 40000));
        in1 = { shape: s1, type };
        in2 = { shape: s2, type: type2 };
        out = { shape: so, type };
    } else {
        const int16 = type === "int16";
        const sIn1 = int16 ? rand.scale(-14, -8) : rand.scale(-8, -2);
        const sIn2 = c.quant === "same" ? sIn1 : c.op === "PRELU" ? rand.scale(-9, -6) : Math.fround(sIn1 * (0.3 + rand.next() * 3));
        const z1 = int16 ? 0 : rand.zeroPoint("int8"), z2 = int16 && c.op !== "PRELU" ? 0 : rand.zeroPoint("int8");
        let sOut: number;
        if (c.op === "PRELU") sOut = Math.fround(sIn1 * (0.5 + rand.next() * 1.5));
        else {
            // A typical squared difference, half the range of the larger scale's type, near the output's middle.
            const typical = (int16 ? 16384 : 128) * Math.max(sIn1, sIn2);
            sOut = Math.fround(typical * typical / (int16 ? 16384 : 100) * (0.3 + rand.next() * 3));
        }
        const zOut = int16 ? 0 : c.op === "PRELU" ? rand.zeroPoint("int8") : rand.int(-128, -60);
        in1 = { shape: s1, type, scale: sIn1, zeroPoint: z1 };
        in2 = { shape: s2, type: type2, scale: sIn2, zeroPoint: z2 };
        out = { shape: so, type, scale: sOut, zeroPoint: zOut };
        v1 = rand.values(type, n1);
        v2 = rand.values(type2, n2);
    }
    const inputs = [encodeValues(type, v1)];
    if (c.constSecond) in2.data = v2;
    else inputs.push(encodeValues(type2, v2));
    return { spec: { op: c.op, inputs: [in1, in2], outputs: [out] }, inputs };
}

/** A random choice for `op` and `type`, every branch possible. */
export function randomMathChoice(rand: Rand, op: MathOp, type: TypeName): MathChoice {
    const quants: MathQuant[] = type === "float32" || type === "int32" ? ["same"] : op === "ABS" && type === "int16" ? ["none", "same", "different"] :
        op === "RSQRT" || op === "ELU" ? ["different"] : ["same", "different"];
    const shapes: MathShapes[] = !isBinaryMath(op) ? ["same"] : op === "PRELU" ? ["same", "channel", "broadcast"] : ["same", "broadcast", "scalar"];
    // FLOOR_DIV's divisor constant (and nonzero): the fuzzer also runs the models on inputs of zeros.
    return { op, type, quant: rand.pick(quants), shapes: rand.pick(shapes), constSecond: op === "PRELU" ? rand.chance(0.7) : op === "FLOOR_DIV" || rand.chance(0.2) };
}

/** The fuzzer's and the replay's kind for `op` and `type`. */
export function mathCase(rand: Rand, op: MathOp, type: TypeName): OpCase {
    const { spec, inputs } = mathModel(rand, randomMathChoice(rand, op, type));
    const t = (x: TensorSpec | null) => (x === null ? "-" : `${x.type}[${x.shape}]${x.data !== undefined ? " const" : ""}`);
    return {
        model: singleOpModel(spec), inputs, outputType: type,
        summary: `${op} in: ${spec.inputs.map(t).join("; ")} out: ${t(spec.outputs[0])}`,
    };
}
