// Differential tests: random single-op models (fixed seeds) run in our interpreter and in
// tfjs-tflite (TensorFlow Lite in WebAssembly), output byte for byte.
//
// Integer math is compared exactly, except for the ops listed with a one-step allowance and the
// reason TFLite rounds differently there. In each such case our result was checked against
// TFLM's reference formula (TFLM's goldens are the authority, not tfjs-tflite). Float32 ops may
// differ in the last bits: XNNPACK sums and evaluates exp in another order than the reference.
//
// Cases tfjs-tflite cannot serve are left out of the generators, named here:
// - CONV_2D/DEPTHWISE_CONV_2D without a bias: its TFLite refuses them ("Tensor at index 2 was
//   optional but was expected").
// - CONV_2D/DEPTHWISE_CONV_2D int8 with SAME padding, a size-1 filter dimension and stride 2 in
//   it: XNNPACK's output ignores the input (e.g. filter [5,3,1,1], input [2,3,4,1], stride 1x2:
//   every output pixel is the zero-input one). Our result matches TFLM's formula.
// - QUANTIZE int8 -> int16, RELU_N1_TO_1 int16: its TFLite does not have them.
// - LOGISTIC and TANH int16 at power-of-two input scales: TFLite then uses gemmlowp's fixed-point
//   functions, TFLM its table (test/kernel_activation.test.ts checks that case on its own).
// - SVDF int8 other than RELU: TFLite's integer SVDF has only RELU.
// Ops TFLM lacks for a type are not generated: DIV int8/int16, HARD_SWISH int16. MEAN is drawn
// over at most two dimensions here; test/tflm_goldens.test.ts checks more against TFLM itself.
import * as assert from "assert";
import { loadTflite } from "../node/sts-runtime";
import { TfjsTfliteRunner } from "../node/tfjs-tflite";
import {
    Rand, OpCase, fullyConnectedCase, convCase, poolCase, softmaxCase, quantizeCase, reshapeCase, activationCase,
    ActivationOp, binaryCase, BinaryOpName, concatenationCase, padCase, meanCase, stridedSliceCase, transposeCase, svdfCase,
} from "../node/fuzz";
import { TypeName } from "../node/model-writer";

interface Check {
    /** Cases per run; each from its own seed. */
    cases: number;
    make: (rand: Rand) => OpCase;
    /** Steps of the output's quantized type that TFLite may differ by, and why. */
    steps?: { max: 1; why: string; fraction?: number };
}

const tflite = loadTflite();

const XNNPACK_REQUANTIZE = "XNNPACK requantizes with a float32 multiply and round-to-nearest, TFLM with a 31-bit fixed-point multiplier and a rounding shift";

const CHECKS: { [name: string]: Check } = {
    "FULLY_CONNECTED int8": { cases: 40, make: (r) => fullyConnectedCase(r, "int8"), steps: { max: 1, why: XNNPACK_REQUANTIZE } },
    "FULLY_CONNECTED int16": {
        cases: 30, make: (r) => fullyConnectedCase(r, "int16"),
        steps: { max: 1, why: "TFLite's int16 kernel rescales the int64 sum differently from TFLM's MultiplyByQuantizedMultiplier(int64) (16-bit reduced multiplier)" },
    },
    "FULLY_CONNECTED float32": { cases: 40, make: (r) => fullyConnectedCase(r, "float32") },
    "CONV_2D int8": { cases: 40, make: (r) => convCase(r, "int8", false), steps: { max: 1, why: XNNPACK_REQUANTIZE } },
    "CONV_2D int16": { cases: 24, make: (r) => convCase(r, "int16", false) },
    "CONV_2D float32": { cases: 40, make: (r) => convCase(r, "float32", false) },
    "DEPTHWISE_CONV_2D int8": { cases: 40, make: (r) => convCase(r, "int8", true), steps: { max: 1, why: XNNPACK_REQUANTIZE } },
    "DEPTHWISE_CONV_2D int16": { cases: 24, make: (r) => convCase(r, "int16", true) },
    "DEPTHWISE_CONV_2D float32": { cases: 40, make: (r) => convCase(r, "float32", true) },
    "AVERAGE_POOL_2D int8": { cases: 30, make: (r) => poolCase(r, "int8", "AVERAGE_POOL_2D") },
    "AVERAGE_POOL_2D int16": { cases: 24, make: (r) => poolCase(r, "int16", "AVERAGE_POOL_2D") },
    "AVERAGE_POOL_2D float32": { cases: 40, make: (r) => poolCase(r, "float32", "AVERAGE_POOL_2D") },
    "MAX_POOL_2D int8": { cases: 30, make: (r) => poolCase(r, "int8", "MAX_POOL_2D") },
    "MAX_POOL_2D int16": { cases: 24, make: (r) => poolCase(r, "int16", "MAX_POOL_2D") },
    "MAX_POOL_2D float32": { cases: 40, make: (r) => poolCase(r, "float32", "MAX_POOL_2D") },
    "SOFTMAX int8": {
        cases: 30, make: (r) => softmaxCase(r, "int8", "int8"),
        steps: { max: 1, why: "TFLite's int8 softmax reads exp from a float lookup table (PopulateSoftmaxLookupTable), TFLM computes it in gemmlowp fixed point" },
    },
    "SOFTMAX int8 -> int16": {
        cases: 24, make: (r) => softmaxCase(r, "int8", "int16"),
        steps: { max: 1, why: "TFLite's int8 softmax reads exp from a float lookup table (PopulateSoftmaxLookupTable), TFLM computes it in gemmlowp fixed point" },
    },
    "SOFTMAX int16": {
        cases: 24, make: (r) => softmaxCase(r, "int16", "int16"),
        steps: { max: 1, why: "TFLite's int16 softmax interpolates exp and 1/(1+x) tables generated in double, TFLM's tables are generated in float" },
    },
    "SOFTMAX float32": { cases: 40, make: (r) => softmaxCase(r, "float32", "float32") },
    "QUANTIZE float32 -> int8": { cases: 40, make: (r) => quantizeCase(r, "float32", "int8") },
    "QUANTIZE float32 -> uint8": { cases: 30, make: (r) => quantizeCase(r, "float32", "uint8") },
    "QUANTIZE float32 -> int16": { cases: 30, make: (r) => quantizeCase(r, "float32", "int16") },
    "QUANTIZE int8 -> int8": {
        cases: 30, make: (r) => quantizeCase(r, "int8", "int8"),
        steps: { max: 1, fraction: 0.25, why: "XNNPACK's int8 convert rescales with a reduced-precision multiplier (e.g. -56.67 gives -56), TFLM with Requantize's 31-bit fixed point" },
    },
    "QUANTIZE int8 -> uint8": { cases: 40, make: (r) => quantizeCase(r, "int8", "uint8") },
    "QUANTIZE uint8 -> int8": { cases: 40, make: (r) => quantizeCase(r, "uint8", "int8") },
    "QUANTIZE int16 -> int8": { cases: 40, make: (r) => quantizeCase(r, "int16", "int8") },
    "QUANTIZE int16 -> int16": { cases: 40, make: (r) => quantizeCase(r, "int16", "int16") },
    "DEQUANTIZE int8": { cases: 30, make: (r) => quantizeCase(r, "int8", "float32") },
    "DEQUANTIZE uint8": { cases: 30, make: (r) => quantizeCase(r, "uint8", "float32") },
    "DEQUANTIZE int16": { cases: 30, make: (r) => quantizeCase(r, "int16", "float32") },
    "RESHAPE int8": { cases: 30, make: (r) => reshapeCase(r, "int8", "RESHAPE") },
    "RESHAPE float32": { cases: 16, make: (r) => reshapeCase(r, "float32", "RESHAPE") },
    "SQUEEZE int8": { cases: 30, make: (r) => reshapeCase(r, "int8", "SQUEEZE") },
    "SQUEEZE float32": { cases: 16, make: (r) => reshapeCase(r, "float32", "SQUEEZE") },
    "EXPAND_DIMS int16": { cases: 30, make: (r) => reshapeCase(r, "int16", "EXPAND_DIMS") },
    "EXPAND_DIMS int8": { cases: 16, make: (r) => reshapeCase(r, "int8", "EXPAND_DIMS") },
};

for (const type of ["int8", "int16", "float32"] as TypeName[]) {
    for (const op of ["RELU", "RELU6", "RELU_N1_TO_1", "LEAKY_RELU", "LOGISTIC", "TANH", "HARD_SWISH"] as ActivationOp[]) {
        if (type === "int16" && (op === "RELU_N1_TO_1" || op === "HARD_SWISH")) continue;
        const steps = op === "LEAKY_RELU" && type === "int8" ?
            { max: 1 as const, fraction: 0.25, why: "XNNPACK's int8 leaky ReLU rescales with its own rounding, TFLM with two fixed-point multipliers (identity and alpha)" } : undefined;
        CHECKS[`${op} ${type}`] = { cases: 20, make: (r) => activationCase(r, op, type), steps };
    }
}
for (const type of ["int8", "int16", "int32", "float32"] as TypeName[]) {
    for (const op of ["ADD", "SUB", "MUL", "DIV", "MAXIMUM", "MINIMUM"] as BinaryOpName[]) {
        if (op === "DIV" && (type === "int8" || type === "int16")) continue;
        let steps: Check["steps"];
        if (op === "MUL" && type === "int8") steps = { max: 1, why: XNNPACK_REQUANTIZE };
        if (op === "SUB" && type === "int16") steps = { max: 1, why: "TFLite forms SUB's input and output multipliers in double, TFLM in float32 (sub_common.cc)" };
        CHECKS[`${op} ${type}`] = { cases: 20, make: (r) => binaryCase(r, op, type), steps };
    }
}
const MEAN_STEPS = { max: 1 as const, why: "TFLite's MEAN rescales the int32 sum its own way; TFLM's QuantizedMeanOrSum folds 1/count into the fixed-point multiplier" };
for (const type of ["int8", "int16", "float32"] as TypeName[]) {
    CHECKS[`CONCATENATION ${type}`] = { cases: 16, make: (r) => concatenationCase(r, type) };
    CHECKS[`PAD ${type}`] = { cases: 16, make: (r) => padCase(r, type, "PAD") };
    CHECKS[`PADV2 ${type}`] = { cases: 16, make: (r) => padCase(r, type, "PADV2") };
    CHECKS[`MEAN ${type}`] = { cases: 20, make: (r) => meanCase(r, type), steps: type === "float32" ? undefined : MEAN_STEPS };
    CHECKS[`STRIDED_SLICE ${type}`] = { cases: 24, make: (r) => stridedSliceCase(r, type) };
    CHECKS[`TRANSPOSE ${type}`] = { cases: 16, make: (r) => transposeCase(r, type) };
}
CHECKS["SVDF int8 (int16 state), 4 invokes"] = { cases: 20, make: (r) => svdfCase(r, "int8") };
CHECKS["SVDF float32, 4 invokes"] = { cases: 16, make: (r) => svdfCase(r, "float32") };

const BYTES: { [t: string]: number } = { int8: 1, uint8: 1, int16: 2, int32: 4, float32: 4 };

function elements(b: Buffer, type: TypeName): number[] {
    const n = b.length / BYTES[type];
    const res: number[] = [];
    for (let i = 0; i < n; i++) {
        switch (type) {
            case "int8": res.push(b.readInt8(i)); break;
            case "uint8": res.push(b[i]); break;
            case "int16": res.push(b.readInt16LE(2 * i)); break;
            case "int32": res.push(b.readInt32LE(4 * i)); break;
            default: res.push(b.readFloatLE(4 * i)); break;
        }
    }
    return res;
}

/** Our interpreter over several invokes (state kept between them): all outputs, appended. */
function runInvokes(model: Buffer, invokes: Buffer[][]): Buffer {
    const ip = new tflite.StsInterpreter(model);
    const out: Buffer[] = [];
    for (const inputs of invokes) {
        inputs.forEach((b, i) => ip.setInputBytes(i, b));
        ip.invoke();
        for (let i = 0; i < ip.outputCount(); i++) out.push(Buffer.from(ip.outputBytes(i)));
    }
    return Buffer.concat(out);
}

/** Float32 results agree when within a few units in the last place of the larger magnitude. */
function floatClose(a: number, b: number): boolean {
    return a === b || Math.abs(a - b) <= 2e-6 * (1 + Math.max(Math.abs(a), Math.abs(b)));
}

describe("differential: our interpreter against tfjs-tflite on random single-op models", () => {
    for (const [name, check] of Object.entries(CHECKS)) {
        const allowance = check.steps ? ` (within ${check.steps.max} step: ${check.steps.why})` : "";
        it(`${name}: ${check.cases} random models${allowance || " exactly"}`, async function () {
            this.timeout(120000);
            let offByOne = 0, total = 0;
            for (let k = 0; k < check.cases; k++) {
                const seed = 7919 * (k + 1);
                const c = check.make(new Rand(seed));
                const replay = `seed ${seed}: ${c.summary}`;
                const invokes = c.steps ?? [c.inputs];
                const ours = elements(runInvokes(c.model, invokes), c.outputType);
                const runner = await TfjsTfliteRunner.create(c.model);
                let theirs: number[];
                try {
                    theirs = elements(Buffer.concat(invokes.map((inputs) => Buffer.concat(runner.run(inputs)))), c.outputType);
                } finally {
                    runner.close();
                }
                assert.strictEqual(ours.length, theirs.length, replay);
                total += ours.length;
                for (let i = 0; i < ours.length; i++) {
                    if (c.outputType === "float32") {
                        assert.ok(floatClose(ours[i], theirs[i]), `element ${i}: ours ${ours[i]}, tfjs-tflite ${theirs[i]}; ${replay}`);
                        continue;
                    }
                    const d = Math.abs(ours[i] - theirs[i]);
                    if (d === 0) continue;
                    assert.ok(check.steps && d <= check.steps.max, `element ${i}: ours ${ours[i]}, tfjs-tflite ${theirs[i]}; ${replay}`);
                    offByOne++;
                }
            }
            // Where one step is allowed, it is the rare rounding case, not a habit.
            const fraction = check.steps?.fraction ?? 1 / 20;
            assert.ok(offByOne <= total * fraction, `${offByOne} of ${total} elements differ by one step`);
        });
    }
});
