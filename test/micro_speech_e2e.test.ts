// micro_speech end to end in Node, as TFLM's micro_speech_test.cc runs it: a real 1 s clip
// (../shared/audio) -> audio_preprocessor_int8.tflite, one invoke per 30 ms window, 20 ms apart
// (49 frames of 40 features) -> micro_speech_quantized.tflite -> the label. Every feature byte and
// every score byte must equal TFLM's goldens (../shared/conformance/models).
import * as assert from "assert";
import {
    clipFeatures, FEATURES_PER_FRAME, FRAMES, MICRO_SPEECH_LABELS, MICRO_SPEECH_MODEL, argmax, readShared, sharedClip,
} from "../node/speech";
import { loadTflite } from "../node/sts-runtime";

const tflite = loadTflite();

// TFLM's micro_speech_test.cc expects "silence" for the noise clip too.
const CLIPS: { clip: string; label: string }[] = [
    { clip: "yes", label: "yes" },
    { clip: "no", label: "no" },
    { clip: "silence", label: "silence" },
    { clip: "noise", label: "silence" },
];

describe("micro_speech end to end (Node)", () => {
    it("reads 16 kHz mono clips: 1 s is 16000 samples, 30 ms is 480", () => {
        assert.strictEqual(sharedClip("yes_1000ms").length, 32000);
        assert.strictEqual(sharedClip("no_30ms").length, 960);
    });

    // The single-window vectors of TFLM's NoFeatureTest and YesFeatureTest.
    it("the first feature frame of no_30ms and yes_30ms as TFLM's NoFeatureTest/YesFeatureTest", () => {
        const no = [126, 103, 124, 102, 124, 102, 123, 100, 118, 97, 118, 100, 118, 98, 121, 100, 121, 98, 117, 91,
            96, 74, 54, 87, 100, 87, 109, 92, 91, 80, 64, 55, 83, 74, 74, 78, 114, 95, 101, 81];
        const yes = [124, 105, 126, 103, 125, 101, 123, 100, 116, 98, 115, 97, 113, 90, 91, 82, 104, 96, 117, 97,
            121, 103, 126, 101, 125, 104, 126, 104, 125, 101, 116, 90, 81, 74, 80, 71, 83, 76, 82, 71];
        assert.deepStrictEqual(Array.from(new Int8Array(clipFeatures(sharedClip("no_30ms")))), no);
        assert.deepStrictEqual(Array.from(new Int8Array(clipFeatures(sharedClip("yes_30ms")))), yes);
    });

    for (const c of CLIPS) {
        describe(c.clip + "_1000ms", () => {
            let features: Buffer;
            before(() => { features = clipFeatures(sharedClip(c.clip + "_1000ms"), FRAMES); });

            it("49 feature frames, every byte as TFLM's preprocessor", () => {
                assert.strictEqual(features.length, FRAMES * FEATURES_PER_FRAME);
                const golden = readShared(`conformance/models/audio_preprocessor_int8/${c.clip}_1000ms.output.bin`);
                assert.strictEqual(features.toString("hex"), golden.toString("hex"));
                // The same bytes TFLM's model test classifies.
                const modelInput = readShared(`conformance/models/micro_speech_quantized/${c.clip}_features.input0.bin`);
                assert.strictEqual(features.toString("hex"), modelInput.toString("hex"));
            });

            it(`classified "${c.label}": scores byte for byte as TFLM's`, () => {
                const ip = new tflite.StsInterpreter(readShared(MICRO_SPEECH_MODEL));
                ip.setInputBytes(0, features);
                ip.invoke();
                const scores = Buffer.from(ip.outputBytes(0));
                const golden = readShared(`conformance/models/micro_speech_quantized/${c.clip}_features.output.bin`);
                assert.strictEqual(scores.toString("hex"), golden.toString("hex"));
                const values = ip.outputValues(0);
                assert.strictEqual(MICRO_SPEECH_LABELS[argmax(values)], c.label, "scores " + values.join(", "));
                // Softmax output: probabilities that sum to about 1 (int8 steps of 1/256).
                const sum = values.reduce((a: number, b: number) => a + b, 0);
                assert.ok(Math.abs(sum - 1) < 4 / 256, "sum " + sum);
            });
        });
    }

    it("the model's label order is TFLM's: silence, unknown, yes, no (4 int8 scores, softmax scale 1/256, zero point -128)", () => {
        const ip = new tflite.StsInterpreter(readShared(MICRO_SPEECH_MODEL));
        assert.deepStrictEqual(ip.inputShape(0), [1, FRAMES * FEATURES_PER_FRAME]);
        assert.deepStrictEqual(ip.outputShape(0), [1, MICRO_SPEECH_LABELS.length]);
        assert.strictEqual(ip.outputScale(0), 1 / 256);
        assert.strictEqual(ip.outputZeroPoint(0), -128);
    });

    it("one preprocessor streamed over two clips in a row carries its state: the second clip's frames differ from a fresh start", () => {
        // Spectral subtraction and PCAN adapt to the noise floor over time: the reason a
        // recognizer must run one preprocessor continuously, frame after frame.
        const yes = sharedClip("yes_1000ms");
        const noise = sharedClip("noise_1000ms");
        const fresh = clipFeatures(yes, FRAMES);
        const both = clipFeatures(Buffer.concat([noise, yes]));
        const afterNoise = both.subarray(both.length - FRAMES * FEATURES_PER_FRAME);
        assert.notStrictEqual(afterNoise.toString("hex"), fresh.toString("hex"));
    });
});
