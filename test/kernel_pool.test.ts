// AVERAGE_POOL_2D and MAX_POOL_2D on single-op models, against values worked out by hand.
import * as assert from "assert";
import { loadTflite } from "../node/sts-runtime";
import { singleOpModel, encodeValues, typeCode, SingleOpSpec, TensorSpec, Options } from "../node/model-writer";

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

/** A one-op pool model: input [n, h, w, c] of `type`, output of the given shape, same quantization. */
function poolSpec(op: string, type: TensorSpec["type"], inShape: number[], outShape: number[], options: Options,
    quant: { scale: number; zeroPoint: number } | null = null): SingleOpSpec {
    const q = quant ? { scale: quant.scale, zeroPoint: quant.zeroPoint } : type === "float32" ? {} : { scale: 1, zeroPoint: 0 };
    return { op, options, inputs: [{ shape: inShape, type, ...q }], outputs: [{ shape: outShape, type, ...q }] };
}

function run(spec: SingleOpSpec, values: number[]): number[] {
    const ip = new tflite.StsInterpreter(singleOpModel(spec));
    ip.setInputBytes(0, encodeValues(spec.inputs[0]!.type, values));
    ip.invoke();
    return decode(spec.outputs[0].type, ip.outputBytes(0));
}

function throwsTflite(f: () => any, pattern: RegExp) {
    assert.throws(f, (e: any) => {
        assert.strictEqual(typeof e, "string", `expected an interpreter error, got ${e}`);
        assert.match(e, pattern);
        return true;
    });
}
const load = (spec: SingleOpSpec) => new tflite.StsInterpreter(singleOpModel(spec));

const valid2x2 = { padding: "VALID", strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2 };

describe("AVERAGE_POOL_2D", () => {
    it("int8: rounds each average to nearest, halves away from zero", () => {
        // Four 2x2 windows of a 4x4 image: sums 7, -7, 6, -6 over 4 pixels.
        const image = [
            1, 2, -1, -2,
            2, 2, -2, -2,
            1, 2, -1, -2,
            1, 2, -1, -2,
        ];
        // 7/4 = 1.75 -> 2, -7/4 -> -2, 6/4 = 1.5 -> 2, -6/4 = -1.5 -> -2.
        assert.deepStrictEqual(run(poolSpec("AVERAGE_POOL_2D", "int8", [1, 4, 4, 1], [1, 2, 2, 1], valid2x2), image), [2, -2, 2, -2]);
        // 5/4 = 1.25 -> 1 and -5/4 -> -1; the extremes average without overflow.
        assert.deepStrictEqual(run(poolSpec("AVERAGE_POOL_2D", "int8", [1, 2, 4, 1], [1, 1, 2, 1], valid2x2),
            [1, 2, -1, -2, 1, 1, -1, -1]), [1, -1]);
        assert.deepStrictEqual(run(poolSpec("AVERAGE_POOL_2D", "int8", [1, 2, 4, 1], [1, 1, 2, 1], valid2x2),
            [127, 127, -128, -128, 127, 126, -128, -127]), [127, -128]);
    });

    it("SAME padding averages only the pixels inside the image (padding goes after the odd pixel)", () => {
        // 3x3 input, 2x2 filter, stride 2: output 2x2; total padding 1 goes to the bottom/right, so
        // the windows cover 4, 2, 2 and 1 real pixels.
        const image = [
            10, 20, 31,
            40, 50, 60,
            70, 80, 91,
        ];
        const same = { padding: "SAME", strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2 };
        // (10+20+40+50)/4 = 30, (31+60)/2 = 45.5 -> 46, (70+80)/2 = 75, 91.
        assert.deepStrictEqual(run(poolSpec("AVERAGE_POOL_2D", "int8", [1, 3, 3, 1], [1, 2, 2, 1], same), image), [30, 46, 75, 91]);
        // 3x3 filter, stride 1: one pixel of padding all round; corners average 4 pixels, edges 6, the centre 9.
        const same3 = { padding: "SAME", strideW: 1, strideH: 1, filterWidth: 3, filterHeight: 3 };
        const mean = (sum: number, count: number) => Math.fround(sum / count);
        assert.deepStrictEqual(run(poolSpec("AVERAGE_POOL_2D", "float32", [1, 3, 3, 1], [1, 3, 3, 1], same3), image), [
            mean(120, 4), mean(211, 6), mean(161, 4),
            mean(270, 6), mean(452, 9), mean(332, 6),
            mean(240, 4), mean(391, 6), mean(281, 4),
        ]);
    });

    it("strides larger than the filter skip pixels; batches and channels stay apart", () => {
        // 1x5 image of 2 channels, 1x1 filter, stride 2: picks columns 0, 2, 4.
        const opts = { padding: "VALID", strideW: 2, strideH: 1, filterWidth: 1, filterHeight: 1 };
        assert.deepStrictEqual(run(poolSpec("AVERAGE_POOL_2D", "int16", [2, 1, 5, 2], [2, 1, 3, 2], opts),
            [0, 1, 10, 11, 20, 21, 30, 31, 40, 41, 100, -1, 110, -11, 120, -21, 130, -31, 140, -41]),
            [0, 1, 20, 21, 40, 41, 100, -1, 120, -21, 140, -41]);
    });

    it("int16: sums beyond 16 bits, rounds like int8", () => {
        // (32767 + 32767 + 32766 + 32765) / 4 = 32766.25 -> 32766; (-32768 * 3 - 32766) / 4 = -32767.5 -> -32768.
        assert.deepStrictEqual(run(poolSpec("AVERAGE_POOL_2D", "int16", [1, 2, 4, 1], [1, 1, 2, 1], valid2x2),
            [32767, 32767, -32768, -32768, 32766, 32765, -32768, -32766]), [32766, -32768]);
    });

    it("float32: the mean, then the fused activation", () => {
        const mean = run(poolSpec("AVERAGE_POOL_2D", "float32", [1, 2, 4, 1], [1, 1, 2, 1], valid2x2),
            [1, 2, -10, 20, 3, 4, 30, 40]);
        assert.deepStrictEqual(mean, [2.5, 20]);
        const relu6 = run(poolSpec("AVERAGE_POOL_2D", "float32", [1, 2, 4, 1], [1, 1, 2, 1], { ...valid2x2, activation: "RELU6" }),
            [-1, -2, -10, 20, 3, -4, 30, 40]);
        assert.deepStrictEqual(relu6, [0, 6]);
    });

    it("int8 fused activation clamps in the quantized domain", () => {
        // scale 0.5, zero point -10: RELU6 keeps [-10, 2].
        const spec = poolSpec("AVERAGE_POOL_2D", "int8", [1, 1, 4, 1], [1, 1, 2, 1],
            { padding: "VALID", strideW: 2, strideH: 1, filterWidth: 2, filterHeight: 1, activation: "RELU6" }, { scale: 0.5, zeroPoint: -10 });
        assert.deepStrictEqual(run(spec, [-20, -30, 100, 50]), [-10, 2]);
    });
});

describe("MAX_POOL_2D", () => {
    it("int8 and int16: the largest of each window, padding never wins", () => {
        const image = [
            -5, -9, -1,
            -7, -3, -8,
            -6, -4, -2,
        ];
        const same = { padding: "SAME", strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2 };
        assert.deepStrictEqual(run(poolSpec("MAX_POOL_2D", "int8", [1, 3, 3, 1], [1, 2, 2, 1], same), image), [-3, -1, -4, -2]);
        assert.deepStrictEqual(run(poolSpec("MAX_POOL_2D", "int16", [1, 3, 3, 1], [1, 2, 2, 1], same),
            image.map((v) => v * 3000)), [-9000, -3000, -12000, -6000]);
        assert.deepStrictEqual(run(poolSpec("MAX_POOL_2D", "int8", [1, 1, 2, 1], [1, 1, 1, 1],
            { padding: "VALID", strideW: 1, strideH: 1, filterWidth: 2, filterHeight: 1 }), [-128, -128]), [-128]);
    });

    it("float32 (the magic_wand layout): windows along the height, channels apart, RELU", () => {
        // [1, 6, 1, 2] pooled 3x1 with stride 3 -> [1, 2, 1, 2].
        const opts = { padding: "VALID", strideW: 1, strideH: 3, filterWidth: 1, filterHeight: 3 };
        assert.deepStrictEqual(run(poolSpec("MAX_POOL_2D", "float32", [1, 6, 1, 2], [1, 2, 1, 2], opts),
            [0.5, -1, 2.25, -3, -7, -2, 1, -0.5, 1.5, -4, 1.25, -8]), [2.25, -1, 1.5, -0.5]);
        assert.deepStrictEqual(run(poolSpec("MAX_POOL_2D", "float32", [1, 6, 1, 2], [1, 2, 1, 2], { ...opts, activation: "RELU" }),
            [0.5, -1, 2.25, -3, -7, -2, 1, -0.5, 1.5, -4, 1.25, -8]), [2.25, 0, 1.5, 0]);
        assert.deepStrictEqual(run(poolSpec("MAX_POOL_2D", "float32", [1, 3, 1, 1], [1, 1, 1, 1], { ...opts, activation: "RELU_N1_TO_1" }),
            [-5, -3, -2]), [-1]);
    });

    it("float32 without activation clamps infinities to the largest float, as TFLM's bounds do", () => {
        const opts = { padding: "VALID", strideW: 1, strideH: 1, filterWidth: 2, filterHeight: 1 };
        assert.deepStrictEqual(run(poolSpec("MAX_POOL_2D", "float32", [1, 1, 4, 1], [1, 1, 3, 1], opts),
            [Infinity, 1, -Infinity, -Infinity]), [3.4028234663852886e38, 1, -3.4028234663852886e38]);
    });
});

describe("pool errors", () => {
    it("name the problem", () => {
        throwsTflite(() => load(poolSpec("MAX_POOL_2D", "int8", [1, 4, 4, 1], [1, 3, 3, 1], valid2x2)),
            /operator 0 \(MAX_POOL_2D v1\): output tensor 1 'output0' INT8\[1,3,3,1\] must be \[1,2,2,1\]/);
        throwsTflite(() => load(poolSpec("AVERAGE_POOL_2D", "int8", [1, 4, 4, 1], [1, 2, 2, 1], { ...valid2x2, strideW: 0 })),
            /strides must be positive/);
        throwsTflite(() => load(poolSpec("AVERAGE_POOL_2D", "int8", [1, 4, 4, 1], [1, 2, 2, 1], { ...valid2x2, filterHeight: 0 })),
            /filter size must be positive/);
        throwsTflite(() => load(poolSpec("AVERAGE_POOL_2D", "int8", [1, 1, 4, 1], [1, 0, 2, 1], valid2x2)),
            /2x2 filter does not fit the 1x4 input/);
        throwsTflite(() => load(poolSpec("AVERAGE_POOL_2D", "int32", [1, 4, 4, 1], [1, 2, 2, 1], valid2x2)),
            /unsupported input type INT32/);
        throwsTflite(() => load(poolSpec("AVERAGE_POOL_2D", "int8", [4, 4, 1], [2, 2, 1], valid2x2)),
            /the input must be 4-D/);
        throwsTflite(() => load({
            op: "AVERAGE_POOL_2D", options: valid2x2,
            inputs: [{ shape: [1, 4, 4, 1], type: "int8", scale: 0.5, zeroPoint: 0 }],
            outputs: [{ shape: [1, 2, 2, 1], type: "int8", scale: 0.5, zeroPoint: 1 }],
        }), /input and output quantization differ \(scale 0.5 vs 0.5, zero point 0 vs 1\)/);
        throwsTflite(() => load({
            op: "MAX_POOL_2D", options: valid2x2,
            inputs: [{ shape: [1, 4, 4, 1], type: "int8", scale: 1 }], outputs: [{ shape: [1, 2, 2, 1], type: "int16", scale: 1 }],
        }), /input INT8 and output INT16 types differ/);
        throwsTflite(() => load(poolSpec("MAX_POOL_2D", "float32", [1, 4, 4, 1], [1, 2, 2, 1], { ...valid2x2, activation: "TANH" })),
            /unsupported fused activation 4/);
    });
});
