// SVDF on single-op models: the state kept across invokes, rank > 1, batches, int8 (int8 and
// int16 state) and float32, against values worked out by hand from TFLM's reference kernel.
import * as assert from "assert";
import { loadTflite } from "../node/sts-runtime";
import { GraphBuilder, encodeValues, TensorSpec, Options } from "../node/model-writer";

const tflite = loadTflite();

function throwsTflite(f: () => any, pattern: RegExp) {
    assert.throws(f, (e: any) => {
        assert.strictEqual(typeof e, "string", `expected an interpreter error, got ${e}`);
        assert.match(e, pattern);
        return true;
    });
}

interface SvdfSpec {
    input: TensorSpec; weightsFeature: TensorSpec; weightsTime: TensorSpec; bias: TensorSpec | null;
    state: TensorSpec; output: TensorSpec; options: Options;
}

/** An SVDF model; the state is a variable tensor unless the spec says otherwise. Returns [model, state tensor index]. */
function svdfModel(s: SvdfSpec): [Buffer, number] {
    const g = new GraphBuilder();
    const x = g.input(s.input);
    const wf = g.constant(s.weightsFeature);
    const wt = g.constant(s.weightsTime);
    const b = s.bias ? g.constant(s.bias) : -1;
    const state = g.tensor({ isVariable: true, ...s.state });
    const y = g.output(g.tensor(s.output));
    g.op("SVDF", [x, wf, wt, b, state], [y], s.options);
    return [g.toBuffer(), state];
}

function invoke(ip: any, type: "int8" | "float32", values: number[]): number[] {
    ip.setInputBytes(0, encodeValues(type, values));
    ip.invoke();
    const out = ip.outputBytes(0);
    return type === "float32" ? Array.from({ length: out.length / 4 }, (_, i) => out.readFloatLE(4 * i)) : Array.from(new Int8Array(out.buffer, out.byteOffset, out.length));
}

/** Values of a tensor as the interpreter holds them. */
function tensorValues(ip: any, index: number): number[] {
    const t = ip.model.tensors[index];
    return Array.from({ length: t.elementCount() }, (_, i) => t.get(i));
}

// int8: input 0.5 (zp 10) x features 0.5 / state 0.25 = 1 exactly, so the feature step adds the
// state's zero point (-3) to the plain dot product; state 0.25 x time 0.5 / output 0.5 = 0.25 =
// (2^30, -1): the output is round(round(acc / 2) / 2) + 5, two roundings (0.25 -> 1, 2.25 -> 3).
// Filter rows: weights_feature [[1, 2], [-3, 4]], weights_time [[1, 1], [1, -1]], bias [1, -1].
const int8Svdf = (stateType: "int8" | "int16", stateZeroPoint: number): SvdfSpec => ({
    input: { shape: [1, 2], type: "int8", scale: 0.5, zeroPoint: 10 },
    weightsFeature: { shape: [2, 2], type: "int8", scale: 0.5, zeroPoint: 0, data: [1, 2, -3, 4] },
    weightsTime: { shape: [2, 2], type: stateType, scale: 0.5, zeroPoint: 0, data: [1, 1, 1, -1] },
    bias: { shape: [2], type: "int32", scale: 0.125, zeroPoint: 0, data: [1, -1] },
    state: { shape: [1, 4], type: stateType, scale: 0.25, zeroPoint: stateZeroPoint },
    output: { shape: [1, 2], type: "int8", scale: 0.5, zeroPoint: 5 },
    options: { rank: 1, activation: "RELU" },
});

describe("SVDF int8", () => {
    it("keeps its state across invokes, saturates it after adding the zero point, and resets it", () => {
        const [model, stateIndex] = svdfModel(int8Svdf("int8", -3));
        const ip = new tflite.StsInterpreter(model);
        // The state starts at its zero point (TFLM's ResetVariableTensors).
        assert.deepStrictEqual(tensorValues(ip, stateIndex), [-3, -3, -3, -3]);

        // Invoke 1: x - 10 = [2, -1]; feature dots [0, -10] -> state newest [-3, -13];
        // time: f0 (0, 0) . (1, 1) = 0, f1 (0, -10) . (1, -1) = 10; acc [1, 9] -> [1, 3] + 5.
        assert.deepStrictEqual(invoke(ip, "int8", [12, 9]), [6, 8]);
        assert.deepStrictEqual(tensorValues(ip, stateIndex), [-3, -3, -3, -13]);

        // Invoke 2: x = [0, 117]; dots [234, 468] - 3 saturate to 127 (not 127 - 3: the zero point
        // is added before the clamp). Rows f0 [-3, 127], f1 [-13, 127]; time: 130 and -10 - 130;
        // acc [131, -141] -> round(65.5) = 66 -> 33, and -70.5 -> -70 (the doubling high multiply
        // rounds negative halves up) -> -35; plus 5. The fused RELU is not applied (as TFLM).
        assert.deepStrictEqual(invoke(ip, "int8", [10, 127]), [38, -30]);
        assert.deepStrictEqual(tensorValues(ip, stateIndex), [-3, 127, -13, 127]);

        // Invoke 3: x = [0, 0]; rows shift to f0 [127, -3], f1 [127, -3]: time 130 and 130.
        assert.deepStrictEqual(invoke(ip, "int8", [10, 10]), [38, 38]);

        // After a reset the first invoke's output comes back.
        ip.resetState();
        assert.deepStrictEqual(tensorValues(ip, stateIndex), [-3, -3, -3, -3]);
        assert.deepStrictEqual(invoke(ip, "int8", [12, 9]), [6, 8]);
    });

    it("runs int16 time weights and state (EvalInt16SvdfReference)", () => {
        const [model, stateIndex] = svdfModel(int8Svdf("int16", 0));
        const ip = new tflite.StsInterpreter(model);
        assert.deepStrictEqual(invoke(ip, "int8", [12, 9]), [6, 8]);
        // No saturation at int16: rows f0 [0, 234], f1 [-10, 468]; acc [235, -479] -> [118, -239]
        // -> [59, -120] (a negative half rounds away from zero in the final shift) + 5.
        assert.deepStrictEqual(invoke(ip, "int8", [10, 127]), [64, -115]);
        assert.deepStrictEqual(tensorValues(ip, stateIndex), [0, 234, -10, 468]);
    });

    it("sums rank filters per unit, per batch, with an omitted bias", () => {
        // Two batches, rank 2 (4 filters, 2 units), memory 1, all multipliers 1 and zero points 0:
        // state 1 x time 1 / output 1, input 1 x features 1 / state 1.
        const spec: SvdfSpec = {
            input: { shape: [2, 1], type: "int8", scale: 1, zeroPoint: 0 },
            weightsFeature: { shape: [4, 1], type: "int8", scale: 1, zeroPoint: 0, data: [1, 2, 3, 4] },
            weightsTime: { shape: [4, 1], type: "int8", scale: 1, zeroPoint: 0, data: [1, -1, 2, 1] },
            bias: null,
            state: { shape: [2, 4], type: "int8", scale: 1, zeroPoint: 0 },
            output: { shape: [2, 2], type: "int8", scale: 1, zeroPoint: 0 },
            options: { rank: 2 },
        };
        const ip = new tflite.StsInterpreter(svdfModel(spec)[0]);
        // Batch x: features [x, 2x, 3x, 4x]; unit 0 = x - 2x = -x, unit 1 = 6x + 4x = 10x.
        assert.deepStrictEqual(invoke(ip, "int8", [3, -5]), [-3, 30, 5, -50]);
        // Memory 1: nothing of the previous invoke remains; 10 * 20 saturates the output.
        assert.deepStrictEqual(invoke(ip, "int8", [20, 1]), [-20, 127, -1, 10]);
    });
});

describe("SVDF float32", () => {
    it("rank 1: the newest activation enters on the right of each filter's memory", () => {
        // weights_feature [[1, 2], [3, 4]], weights_time [[1, 10], [100, 1000]], bias [0.5, -0.5].
        const spec: SvdfSpec = {
            input: { shape: [1, 2], type: "float32" },
            weightsFeature: { shape: [2, 2], type: "float32", data: [1, 2, 3, 4] },
            weightsTime: { shape: [2, 2], type: "float32", data: [1, 10, 100, 1000] },
            bias: { shape: [2], type: "float32", data: [0.5, -0.5] },
            state: { shape: [1, 4], type: "float32" },
            output: { shape: [1, 2], type: "float32" },
            options: { rank: 1 },
        };
        const [model, stateIndex] = svdfModel(spec);
        const ip = new tflite.StsInterpreter(model);
        // Features [3, 7]; rows [0, 3] and [0, 7]: 0.5 + 30, -0.5 + 7000.
        assert.deepStrictEqual(invoke(ip, "float32", [1, 1]), [30.5, 6999.5]);
        // Features [0, 2]; rows [3, 0] and [7, 2]: 0.5 + 3, -0.5 + 700 + 2000.
        assert.deepStrictEqual(invoke(ip, "float32", [2, -1]), [3.5, 2699.5]);
        assert.deepStrictEqual(tensorValues(ip, stateIndex), [3, 0, 7, 2]);
    });

    it("rank 2, two batches, memory 3, RELU, no bias", () => {
        // weights_feature [[1], [2]], weights_time [[1, 2, 3], [4, 5, 6]]: one unit of two filters.
        const spec: SvdfSpec = {
            input: { shape: [2, 1], type: "float32" },
            weightsFeature: { shape: [2, 1], type: "float32", data: [1, 2] },
            weightsTime: { shape: [2, 3], type: "float32", data: [1, 2, 3, 4, 5, 6] },
            bias: null,
            state: { shape: [2, 6], type: "float32" },
            output: { shape: [2, 1], type: "float32" },
            options: { rank: 2, activation: "RELU" },
        };
        const ip = new tflite.StsInterpreter(svdfModel(spec)[0]);
        // Batch 0 x = 1: rows [0, 0, 1], [0, 0, 2] -> 3 + 12; batch 1 x = 10 -> 30 + 120.
        assert.deepStrictEqual(invoke(ip, "float32", [1, 10]), [15, 150]);
        // Batch 0 x = -1: rows [0, 1, -1], [0, 2, -2] -> -1 - 2 -> RELU 0; batch 1 x = 0:
        // rows [0, 10, 0], [0, 20, 0] -> 20 + 100.
        assert.deepStrictEqual(invoke(ip, "float32", [-1, 0]), [0, 120]);
        ip.resetState();
        assert.deepStrictEqual(invoke(ip, "float32", [1, 10]), [15, 150]);
    });

    it("rounds to float32 after every step and applies TANH and SIGN_BIT", () => {
        const spec = (activation: string): SvdfSpec => ({
            input: { shape: [1, 2], type: "float32" },
            weightsFeature: { shape: [1, 2], type: "float32", data: [1, 1] },
            weightsTime: { shape: [1, 1], type: "float32", data: [1] },
            bias: null,
            state: { shape: [1, 1], type: "float32" },
            output: { shape: [1, 1], type: "float32" },
            options: { rank: 1, activation },
        });
        // 0.1f + 0.2f = 0.30000001192092896 in float32.
        assert.deepStrictEqual(invoke(new tflite.StsInterpreter(svdfModel(spec("NONE"))[0]), "float32", [0.1, 0.2]), [0.30000001192092896]);
        // tanhf(0.5f) = 0.46211716532707214 (float32 of 0.46211715726000974).
        assert.deepStrictEqual(invoke(new tflite.StsInterpreter(svdfModel(spec("TANH"))[0]), "float32", [0.25, 0.25]), [0.46211716532707214]);
        const sign = new tflite.StsInterpreter(svdfModel(spec("SIGN_BIT"))[0]);
        assert.deepStrictEqual(invoke(sign, "float32", [-1, 0.5]), [1]);
        assert.deepStrictEqual(invoke(sign, "float32", [1, 0.5]), [0]);
    });
});

describe("SVDF errors", () => {
    const load = (s: SvdfSpec) => new tflite.StsInterpreter(svdfModel(s)[0]);

    it("names a state that is not a variable tensor", () => {
        throwsTflite(() => load({ ...int8Svdf("int8", 0), state: { shape: [1, 4], type: "int8", scale: 0.25, zeroPoint: 0, isVariable: false } }),
            /^tflite: operator 0 \(SVDF v1\): state tensor 4 INT8\[1,4\] must be a variable tensor$/);
    });

    it("names shapes that do not fit", () => {
        throwsTflite(() => load({ ...int8Svdf("int8", 0), options: { rank: 3 } }), /rank 3 must divide the 2 filters/);
        throwsTflite(() => load({ ...int8Svdf("int8", 0), state: { shape: [1, 6], type: "int8", scale: 0.25, zeroPoint: 0 } }),
            /state tensor 4 INT8\[1,6\] must be \[1,4\]/);
        throwsTflite(() => load({ ...int8Svdf("int8", 0), output: { shape: [1, 3], type: "int8", scale: 0.5, zeroPoint: 0 } }),
            /output tensor 5 INT8\[1,3\] must be \[1,2\]/);
        throwsTflite(() => load({
            ...int8Svdf("int8", 0), weightsTime: { shape: [2, 0], type: "int8", scale: 0.5, zeroPoint: 0, data: [] },
            state: { shape: [1, 0], type: "int8", scale: 0.25, zeroPoint: 0 },
        }), /time weights tensor 2 INT8\[2,0\] must remember at least one step/);
        throwsTflite(() => load({ ...int8Svdf("int8", 0), input: { shape: [2], type: "int8", scale: 0.5, zeroPoint: 0 } }),
            /the input must be 2-D, not tensor 0 INT8\[2\]/);
    });

    it("names unsupported type combinations and a bias of the wrong scale", () => {
        const s = int8Svdf("int8", 0);
        throwsTflite(() => load({ ...s, state: { ...s.state, type: "int16" } }),
            /time weights INT8 and state INT16 must be both INT8 or both INT16/);
        throwsTflite(() => load({ ...s, input: { shape: [1, 2], type: "float32" } }),
            /float32 input needs float32 weights, bias, state and output/);
        throwsTflite(() => load({ ...s, input: { shape: [1, 2], type: "int16", scale: 1, zeroPoint: 0 } }),
            /unsupported input type INT16/);
        throwsTflite(() => load({ ...s, bias: { shape: [2], type: "int32", scale: 0.5, zeroPoint: 0, data: [1, -1] } }),
            /bias scale 0.5 must be state scale x time weights scale \(0.125\)/);
    });
});
