// The tfjs -> int8 .tflite converter: TFLite's quantization formulas on hand-worked values; small
// models (seeded weights, no training) converted, run in our interpreter, compared with the float
// tfjs model (within the quantization error) and with TensorFlow Lite itself (tfjs-tflite) on the
// same int8 model (equal, or one step apart where XNNPACK rounds differently).
import * as assert from "assert";
import * as tf from "@tensorflow/tfjs";
import { loadTflite } from "../node/sts-runtime";
import { convertToTflite, asymmetricParams, quantizePerChannel, quantizeBias, ConvertedModel } from "../node/converter";
import { TfjsTfliteRunner } from "../node/tfjs-tflite";

tf.enableProdMode();
const tflite = loadTflite();
const f32 = Math.fround;

let seed = 1;
const kernelInit = () => tf.initializers.glorotUniform({ seed: seed++ });
// Biases and normalization statistics away from their zero initial values, so they are tested.
const smallInit = () => tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: seed++ });
const gammaInit = () => tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: seed++ });

interface Comparison {
    /** Largest |ours dequantized - float| over all outputs, in output quantization steps. */
    maxErrorSteps: number;
    /** Test inputs whose largest output is the same class in ours and the float model. */
    sameArgMax: number;
    /** Output bytes where ours and tfjs-tflite are equal, one step apart, further apart. */
    equal: number;
    oneStep: number;
    more: number;
    n: number;
}

/** Runs `inputs` through the float model, our interpreter and tfjs-tflite. */
async function compare(model: tf.LayersModel, converted: ConvertedModel, inputs: tf.Tensor): Promise<Comparison> {
    const ip = new tflite.StsInterpreter(converted.tflite);
    const runner = await TfjsTfliteRunner.create(converted.tflite);
    try {
        const expected = (model.predict(inputs) as tf.Tensor).reshape([inputs.shape[0], -1]).arraySync() as number[][];
        const rows = inputs.reshape([inputs.shape[0], -1]).arraySync() as number[][];
        const out = ip.output(0);
        const res: Comparison = { maxErrorSteps: 0, sameArgMax: 0, equal: 0, oneStep: 0, more: 0, n: rows.length };
        rows.forEach((row, i) => {
            ip.setInput(0, row);
            // The quantized input, copied before invoke (the arena may reuse its bytes).
            const t = ip.input(0);
            const inBytes = Buffer.from(t.data.subarray(t.offset, t.offset + t.bytes));
            ip.invoke();
            const ours = ip.outputValues(0) as number[];
            ours.forEach((v, j) => (res.maxErrorSteps = Math.max(res.maxErrorSteps, Math.abs(v - expected[i][j]) / out.scale)));
            const arg = (v: number[]) => v.indexOf(Math.max(...v));
            if (arg(ours) === arg(expected[i])) res.sameArgMax++;
            const raw = Buffer.from(ip.outputBytes(0));
            const [theirs] = runner.run([inBytes]);
            for (let j = 0; j < raw.length; j++) {
                const d = Math.abs(raw.readInt8(j) - theirs.readInt8(j));
                if (d === 0) res.equal++;
                else if (d === 1) res.oneStep++;
                else res.more++;
            }
        });
        return res;
    } finally {
        runner.close();
    }
}

function opsOf(model: Buffer): string[] {
    return tflite.parseModel(model).operators.map((o: any) => o.name());
}

describe("converter: TFLite's quantization formulas", () => {
    it("activations: asymmetric int8 over [min, max] widened to hold 0, zero point rounded half away from zero", () => {
        // [-1, 1]: scale 2/255, zero point -128 + 127.5 = -0.5, rounded to -1 as std::round.
        assert.deepStrictEqual(asymmetricParams(-1, 1), { scale: f32(2 / 255), zeroPoint: -1, min: -1, max: 1 });
        // All positive (after ReLU): the range starts at 0, zero point -128.
        assert.deepStrictEqual(asymmetricParams(0.5, 3), { scale: f32(3 / 255), zeroPoint: -128, min: 0, max: 3 });
        // All negative: the range ends at 0, zero point 127.
        assert.deepStrictEqual(asymmetricParams(-4, -1), { scale: f32(4 / 255), zeroPoint: 127, min: -4, max: 0 });
        // [-0.3, 2.2]: scale 2.5/255; zero point -128 + 0.3 * 255 / 2.5 = -97.4 -> -97.
        const q = asymmetricParams(-0.3, 2.2);
        assert.strictEqual(q.scale, f32(f32(f32(2.2) - f32(-0.3)) / 255));
        assert.strictEqual(q.zeroPoint, -97);
        // Nothing but zeros: [0, 1] rather than a zero scale.
        assert.deepStrictEqual(asymmetricParams(0, 0), { scale: f32(1 / 255), zeroPoint: -128, min: 0, max: 1 });
        assert.throws(() => asymmetricParams(-Infinity, 1), /not finite/);
    });

    it("weights: symmetric per channel, max|w| / 127, values in [-127, 127]", () => {
        // Two output channels (dimension 0) of three weights.
        const w = quantizePerChannel([0.5, -1, 0.25, 2, 0, -0.1], [2, 3], 0);
        assert.deepStrictEqual(w.scales, [f32(1 / 127), f32(2 / 127)]);
        // 0.5 * 127 = 63.5 -> 64 (away from zero); 0.25 * 127 = 31.75 -> 32; -0.1 * 63.5 = -6.35 -> -6.
        assert.deepStrictEqual([...w.data], [64, -127, 32, 127, 0, -6]);
        // Channels along the last dimension (depthwise filters [1, h, w, channels]).
        const d = quantizePerChannel([1, -4, -0.5, 2], [1, 1, 2, 2], 3);
        assert.deepStrictEqual(d.scales, [f32(1 / 127), f32(4 / 127)]);
        assert.deepStrictEqual([...d.data], [127, -127, -64, 64]);
        // A channel of zeros: scale 1/127, values 0.
        const z = quantizePerChannel([0, 0, 1, -1], [2, 2], 0);
        assert.deepStrictEqual([z.scales[0], ...z.data], [f32(1 / 127), 0, 0, 127, -127]);
        // A wider range asked for (a large bias): the scale grows, the values shrink.
        const wide = quantizePerChannel([1, -1], [1, 2], 0, [2]);
        assert.deepStrictEqual([wide.scales[0], ...wide.data], [f32(2 / 127), 64, -64]);
    });

    it("biases: int32 in units of input scale x weight scale", () => {
        const scales = [f32(1 / 127), f32(2 / 127)];
        // 0.1 / (0.05 / 127) = 254; -0.2 / (0.1 / 127) = -254.
        assert.deepStrictEqual([...quantizeBias([0.1, -0.2], 0.05, scales)], [254, -254]);
        // Saturates at +-(2^31 - 1) as TFLite (the converter widens weight scales before that happens).
        assert.deepStrictEqual([...quantizeBias([1e9, -1e9], 1e-3, [1e-3, 1e-3])], [2147483647, -2147483647]);
    });
});

describe("converter: models", function () {
    this.timeout(120000);

    it("Dense -> ReLU -> Dense softmax: per-channel weights, int32 biases, softmax output 1/256; tracks float and TFLite", async () => {
        const model = tf.sequential();
        model.add(tf.layers.dense({ inputShape: [12], units: 16, activation: "relu", kernelInitializer: kernelInit(), biasInitializer: smallInit() }));
        model.add(tf.layers.dense({ units: 5, activation: "softmax", kernelInitializer: kernelInit(), biasInitializer: smallInit() }));
        const rep = tf.randomUniform([300, 12], -2, 2, "float32", 11);
        const conv = convertToTflite(model, { representativeData: rep, metadata: [{ name: "pxt-tinyml", data: Buffer.from("label=a\n") }] });
        assert.deepStrictEqual(conv.ops, ["FULLY_CONNECTED relu", "FULLY_CONNECTED", "SOFTMAX"]);
        assert.strictEqual(conv.macs, 12 * 16 + 16 * 5);
        const m = tflite.parseModel(conv.tflite);
        assert.deepStrictEqual(m.operators.map((o: any) => o.name()), ["FULLY_CONNECTED", "FULLY_CONNECTED", "SOFTMAX"]);
        assert.deepStrictEqual(m.metadataNames, ["pxt-tinyml"]);
        const [input] = m.inputs, [output] = m.outputs;
        assert.deepStrictEqual([input.type, input.shape], [9, [1, 12]]);
        // The input's range is what the representative data covered (about [-2, 2]).
        assert.ok(input.scale > 3.9 / 255 && input.scale < 4.01 / 255 && Math.abs(input.zeroPoint) <= 1, `${input.scale} ${input.zeroPoint}`);
        assert.deepStrictEqual([output.type, output.scale, output.zeroPoint], [9, 1 / 256, -128]);
        const fc1 = m.operators[0];
        const [x, w, b] = fc1.inputs;
        const hidden = fc1.outputs[0];
        assert.deepStrictEqual([w.type, w.shape, w.scales.length, w.quantizedDimension], [9, [16, 12], 16, 0]);
        assert.deepStrictEqual([b.type, b.shape], [2, [16]]);
        assert.strictEqual(hidden.zeroPoint, -128, "a fused ReLU's output starts at 0");
        assert.strictEqual(fc1.optByte(0, -1), 1, "RELU fused");
        // Weight scales are max|w| / 127 of each output channel; biases are in input x weight scale units.
        const kernel = model.layers[0].getWeights()[0].arraySync() as number[][];
        const bias = model.layers[0].getWeights()[1].arraySync() as number[];
        for (let o = 0; o < 16; o++) {
            const column = kernel.map((row) => f32(row[o]));
            const half = Math.max(...column.map(Math.abs));
            assert.strictEqual(w.scales[o], f32(half / 127));
            const q = column.map((_, i) => w.get(o * 12 + i));
            assert.ok(q.some((v) => Math.abs(v) === 127) && q.every((v) => Math.abs(v) <= 127));
            assert.strictEqual(b.scales[o], f32(x.scale * w.scales[o]));
            assert.ok(Math.abs(b.get(o) * b.scales[o] - bias[o]) <= b.scales[o] / 2 * 1.0001);
        }
        const c = await compare(model, conv, tf.randomUniform([60, 12], -2, 2, "float32", 12));
        assert.ok(c.maxErrorSteps <= 3, `max error ${c.maxErrorSteps} steps`);
        assert.ok(c.sameArgMax >= 58, `same class ${c.sameArgMax}/60`);
        assert.strictEqual(c.more, 0, "never more than one step from TFLite");
        assert.ok(c.equal >= 0.95 * 5 * 60, `equal ${c.equal}, one step ${c.oneStep}`);
    });

    it("Conv1D (stride, SAME) -> Conv1D -> BatchNorm -> ReLU -> max pool -> global max pool -> Dense softmax", async () => {
        const model = tf.sequential();
        model.add(tf.layers.conv1d({ inputShape: [20, 3], filters: 8, kernelSize: 4, strides: 2, padding: "same", activation: "relu", kernelInitializer: kernelInit(), biasInitializer: smallInit() }));
        model.add(tf.layers.conv1d({ filters: 12, kernelSize: 3, padding: "valid", kernelInitializer: kernelInit(), biasInitializer: smallInit() }));
        model.add(tf.layers.batchNormalization({ movingMeanInitializer: smallInit(), gammaInitializer: gammaInit(), betaInitializer: smallInit() }));
        model.add(tf.layers.activation({ activation: "relu" }));
        model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
        model.add(tf.layers.dropout({ rate: 0.5 }));
        model.add(tf.layers.globalMaxPooling1d());
        model.add(tf.layers.dense({ units: 4, activation: "softmax", kernelInitializer: kernelInit(), biasInitializer: smallInit() }));
        const conv = convertToTflite(model, { representativeData: tf.randomUniform([300, 20, 3], -2, 2, "float32", 21) });
        // BatchNorm and the ReLU after it fold into the second convolution; Dropout disappears.
        assert.deepStrictEqual(conv.ops, ["RESHAPE", "CONV_2D relu", "CONV_2D relu", "MAX_POOL_2D", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"]);
        assert.strictEqual(conv.macs, 10 * 8 * 4 * 3 + 8 * 12 * 3 * 8 + 12 * 4);
        const m = tflite.parseModel(conv.tflite);
        const conv1 = m.operators[1];
        assert.deepStrictEqual(conv1.inputs[0].shape, [1, 1, 20, 3], "a 1-D input runs as an image one row high");
        assert.deepStrictEqual(conv1.inputs[1].shape, [8, 1, 4, 3]);
        assert.deepStrictEqual(conv1.outputs[0].shape, [1, 1, 10, 8]);
        const pool = m.operators[3];
        assert.deepStrictEqual([pool.inputs[0].scale, pool.inputs[0].zeroPoint], [pool.outputs[0].scale, pool.outputs[0].zeroPoint], "pools keep their input's quantization");
        const c = await compare(model, conv, tf.randomUniform([60, 20, 3], -2, 2, "float32", 22));
        assert.ok(c.maxErrorSteps <= 4, `max error ${c.maxErrorSteps} steps`);
        assert.ok(c.sameArgMax >= 57, `same class ${c.sameArgMax}/60`);
        assert.strictEqual(c.more, 0, "never more than one step from TFLite");
        assert.ok(c.equal >= 0.95 * 4 * 60, `equal ${c.equal}, one step ${c.oneStep}`);
    });

    it("Conv2D -> DepthwiseConv2D (multiplier 2, relu6) -> average pool -> global average pool; Flatten, tanh, sigmoid", async () => {
        const model = tf.sequential();
        model.add(tf.layers.conv2d({ inputShape: [9, 8, 2], filters: 4, kernelSize: [3, 2], strides: [2, 1], padding: "same", activation: "relu", kernelInitializer: kernelInit(), biasInitializer: smallInit() }));
        model.add(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: "valid", activation: "relu6", depthwiseInitializer: kernelInit(), biasInitializer: smallInit() }));
        model.add(tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: "same" }));
        model.add(tf.layers.conv2d({ filters: 6, kernelSize: 1, activation: "tanh", kernelInitializer: kernelInit(), biasInitializer: smallInit() }));
        model.add(tf.layers.globalAveragePooling2d({}));
        model.add(tf.layers.reshape({ targetShape: [2, 3] }));
        model.add(tf.layers.flatten());
        model.add(tf.layers.dense({ units: 3, activation: "sigmoid", kernelInitializer: kernelInit(), biasInitializer: smallInit() }));
        const conv = convertToTflite(model, { representativeData: tf.randomUniform([200, 9, 8, 2], -1, 1, "float32", 31) });
        assert.deepStrictEqual(conv.ops, ["CONV_2D relu", "DEPTHWISE_CONV_2D relu6", "AVERAGE_POOL_2D", "CONV_2D", "TANH", "AVERAGE_POOL_2D", "RESHAPE", "RESHAPE", "RESHAPE", "FULLY_CONNECTED", "LOGISTIC"]);
        const m = tflite.parseModel(conv.tflite);
        const dw = m.operators[1];
        assert.deepStrictEqual([dw.inputs[1].shape, dw.inputs[1].quantizedDimension, dw.inputs[1].scales.length], [[1, 3, 3, 8], 3, 8]);
        assert.deepStrictEqual([dw.outputs[0].shape, dw.optInt(3, 0)], [[1, 3, 6, 8], 2]);
        const tanh = m.operators[4].outputs[0];
        assert.deepStrictEqual([tanh.scale, tanh.zeroPoint], [1 / 128, 0]);
        // Five requantized layers deep (two of them averaging): a few more steps of error than above.
        const c = await compare(model, conv, tf.randomUniform([40, 9, 8, 2], -1, 1, "float32", 32));
        assert.ok(c.maxErrorSteps <= 6, `max error ${c.maxErrorSteps} steps`);
        assert.strictEqual(c.more, 0, "never more than one step from TFLite");
        assert.ok(c.equal >= 0.95 * 3 * 40, `equal ${c.equal}, one step ${c.oneStep}`);
    });

    it("per-tensor Dense weights on request; a linear output with its observed range", async () => {
        const model = tf.sequential();
        model.add(tf.layers.dense({ inputShape: [6], units: 8, activation: "relu6", kernelInitializer: kernelInit(), biasInitializer: smallInit() }));
        model.add(tf.layers.dense({ units: 2, kernelInitializer: kernelInit(), biasInitializer: smallInit() }));
        const conv = convertToTflite(model, { representativeData: tf.randomUniform([200, 6], -3, 3, "float32", 41), perChannelDense: false });
        const m = tflite.parseModel(conv.tflite);
        const w = m.operators[0].inputs[1];
        assert.strictEqual(w.scales.length, 1);
        assert.strictEqual(m.operators[0].optByte(0, -1), 3, "RELU6 fused");
        assert.ok(m.outputs[0].zeroPoint > -128 && m.outputs[0].zeroPoint < 127, "a linear output spans both signs");
        const c = await compare(model, conv, tf.randomUniform([50, 6], -3, 3, "float32", 42));
        assert.ok(c.maxErrorSteps <= 3, `max error ${c.maxErrorSteps} steps`);
        assert.strictEqual(c.more, 0);
    });

    it("names what it cannot convert", () => {
        const rep1d = tf.zeros([4, 8, 3]);
        const causal = tf.sequential();
        causal.add(tf.layers.conv1d({ inputShape: [8, 3], filters: 2, kernelSize: 3, padding: "causal" }));
        assert.throws(() => convertToTflite(causal, { representativeData: rep1d }), /layer 'conv1d_Conv1D\d+' \(Conv1D\): padding 'causal' is not supported/);
        const lstm = tf.sequential();
        lstm.add(tf.layers.lstm({ inputShape: [8, 3], units: 2 }));
        assert.throws(() => convertToTflite(lstm, { representativeData: rep1d }), /layer 'lstm_LSTM\d+' \(LSTM\) is not supported/);
        const elu = tf.sequential();
        elu.add(tf.layers.dense({ inputShape: [3], units: 2, activation: "elu" }));
        assert.throws(() => convertToTflite(elu, { representativeData: tf.zeros([2, 3]) }), /activation 'elu' is not supported/);
        // A branch: two layers read the input.
        const input = tf.input({ shape: [4] });
        const a = tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor;
        const b = tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor;
        const branched = tf.model({ inputs: input, outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });
        assert.throws(() => convertToTflite(branched, { representativeData: tf.zeros([2, 4]) }), /only chains of layers are supported/);
        const dense = tf.sequential();
        dense.add(tf.layers.dense({ inputShape: [3], units: 2 }));
        assert.throws(() => convertToTflite(dense, { representativeData: tf.zeros([2, 4]) }), /representative data of shape \[2,4\] does not fit the model's input \[n,3\]/);
        assert.throws(() => convertToTflite(dense, { representativeData: tf.zeros([0, 3]) }), /no representative data/);
        const bnAfterRelu = tf.sequential();
        bnAfterRelu.add(tf.layers.dense({ inputShape: [3], units: 2, activation: "relu" }));
        bnAfterRelu.add(tf.layers.batchNormalization());
        assert.throws(() => convertToTflite(bnAfterRelu, { representativeData: tf.zeros([2, 3]) }), /BatchNormalization is supported only right after a Dense or convolution without activation/);
    });
});

describe("converter: shapes", () => {
    it("Flatten of a [4, 2] input is a RESHAPE to [1, 8]", () => {
        const model = tf.sequential();
        model.add(tf.layers.flatten({ inputShape: [4, 2] }));
        model.add(tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: kernelInit() }));
        const conv = convertToTflite(model, { representativeData: tf.randomUniform([20, 4, 2], -1, 1, "float32", 51) });
        assert.deepStrictEqual(opsOf(conv.tflite), ["RESHAPE", "FULLY_CONNECTED", "SOFTMAX"]);
        const m = tflite.parseModel(conv.tflite);
        assert.deepStrictEqual([m.inputs[0].shape, m.operators[0].outputs[0].shape, m.outputs[0].shape], [[1, 4, 2], [1, 8], [1, 3]]);
    });
});
