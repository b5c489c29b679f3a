// The keyword model's training (tools/train-speech.ts) in small: a fixed-seed dataset of 12
// examples per class, a few epochs, the int8 conversion by node/converter.ts, our interpreter
// against the float network; and the committed model (models/keyword.tflite, embedded in
// libs/speech): the four real clips, alone, streamed through the library in Node, and heard by
// the blocks in the headless micro:bit simulator with the built-in model.
import * as assert from "assert";
import * as tf from "@tensorflow/tfjs";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FRAMES, loadSpeech, MICRO_SPEECH_LABELS, MICRO_SPEECH_MODEL, readShared, sharedClip, writeSpeechProject } from "../node/speech";
import { compileForSimulator, hexLiteral, ROOT, runInSimulator } from "../node/simulator";
import { loadTflite } from "../node/sts-runtime";
import { EXAMPLE_BYTES, LABELS, makeDataset, Dataset } from "../tools/make-speech-data";
import { KEYWORD_FILE, modelLabels } from "../tools/speech-models";
import {
    AVERAGE_WINDOW_MS, buildKeywordNetwork, classifyClip, classifyFeatures, deployableNetwork, evaluateSplit, exportKeywordModel, featureTensor,
    featureValues, keywordMetadataText, patchTensor, REAL_CLIPS, splitIndices, trainKeywordModel,
} from "../tools/train-speech";
import { hear } from "../tools/speech-bench";

const tflite = loadTflite();

describe("keyword model training (small, fixed seed)", function () {
    this.timeout(300000);
    let dir: string;
    let ds: Dataset;
    let network: tf.LayersModel;
    let model: Buffer;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "speech-train-"));
        ds = makeDataset({ out: dir, train: 12, test: 4, seed: 4 });
        network = await trainKeywordModel(ds, { seed: 2, epochs: 10, batchSize: 16 });
        model = exportKeywordModel(network, ds, 2).tflite;
    });

    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        if (network) network.dispose();
    });

    it("the network trained with dense layers (the first on patches) is the same function as the deployed convolutions", () => {
        const opts = { seed: 3, filters: [8, 16] as [number, number] };
        const patches = buildKeywordNetwork(LABELS.length, opts, true);
        const deployed = deployableNetwork(patches, LABELS.length, opts);
        const indices = [0, 13, 30, 47];
        const a = patches.predict(patchTensor(featureValues(ds, indices), indices.length)) as tf.Tensor;
        const b = deployed.predict(featureTensor(ds, indices)) as tf.Tensor;
        const da = a.dataSync(), db = b.dataSync();
        assert.strictEqual(da.length, indices.length * LABELS.length);
        da.forEach((v, i) => assert.ok(Math.abs(v - db[i]) < 1e-5, `${v} vs ${db[i]}`));
        tf.dispose([a, b]);
        patches.dispose();
        deployed.dispose();
    });

    it("converts to int8 with only convolutions and softmax (the kernels libs/speech registers); input = the front end's int8 bytes", () => {
        const m = tflite.parseModel(model);
        const ops = m.operators.map((op: any) => tflite.opName(op.opcode));
        assert.deepStrictEqual(ops, ["DEPTHWISE_CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D", "CONV_2D", "SOFTMAX"]);
        const ip = new tflite.StsInterpreter(model);
        assert.deepStrictEqual(ip.inputShape(0), [1, FRAMES, 40, 1]);
        assert.strictEqual(ip.inputScale(0), 1 / 256);
        assert.strictEqual(ip.inputZeroPoint(0), -128);
        assert.strictEqual(ip.outputScale(0), 1 / 256);
        assert.strictEqual(ip.outputZeroPoint(0), -128);
        assert.deepStrictEqual(modelLabels(model), LABELS);
        assert.match(keywordMetadataText(LABELS), /^format=pxt-tinyml-keyword\/1\nlabel=silence\nlabel=unknown\nlabel=yes\nlabel=no\n/);
    });

    it("our interpreter's int8 scores follow the float network's", () => {
        const all = [...splitIndices(ds, "train"), ...splitIndices(ds, "test")];
        const float = (network.predict(featureTensor(ds, all)) as tf.Tensor).reshape([all.length, LABELS.length]);
        const probs = float.arraySync() as number[][];
        float.dispose();
        let agree = 0, worst = 0;
        all.forEach((ex, k) => {
            const r = classifyFeatures(model, ds.features, ex * EXAMPLE_BYTES);
            r.scores.forEach((s, j) => (worst = Math.max(worst, Math.abs(s - probs[k][j]))));
            if (r.label === probs[k].indexOf(Math.max(...probs[k]))) agree++;
        });
        assert.ok(agree >= 0.9 * all.length, `${agree} of ${all.length} agree`);
        assert.ok(worst < 0.25, "largest score difference " + worst);
    });

    it("learns: better than chance on its training examples after 10 epochs", () => {
        const train = evaluateSplit(model, ds, "train");
        assert.strictEqual(train.total, 48);
        assert.ok(train.accuracy > 0.5, "training accuracy " + train.accuracy);
    });

    it("the same seed trains the same model", async () => {
        const again = await trainKeywordModel(ds, { seed: 2, epochs: 10, batchSize: 16 });
        const model2 = exportKeywordModel(again, ds, 2).tflite;
        again.dispose();
        assert.ok(model2.equals(model));
    });
});

describe("the built-in keyword model (models/keyword.tflite)", function () {
    this.timeout(120000);

    it("is the one libs/speech embeds, with its labels", () => {
        const model = fs.readFileSync(KEYWORD_FILE);
        const speech = loadSpeech();
        assert.ok(Buffer.from(speech.defaultKeywordModel()).equals(model));
        assert.deepStrictEqual(speech.defaultKeywordLabels(), LABELS);
        assert.ok(model.length < 16 * 1024, "flash: " + model.length + " bytes");
    });

    it("sets the recognizer's averaging window through its metadata; TFLM's micro_speech keeps 1000 ms", () => {
        const speech = loadSpeech();
        const ours = new speech.KeywordSpotter(speech.frontEndModel(), fs.readFileSync(KEYWORD_FILE), LABELS);
        assert.strictEqual(ours.recognizer.averageWindowMs, AVERAGE_WINDOW_MS);
        assert.match(keywordMetadataText(LABELS), new RegExp("\\naverage_window_ms=" + AVERAGE_WINDOW_MS + "\\n"));
        const tflm = new speech.KeywordSpotter(speech.frontEndModel(), readShared(MICRO_SPEECH_MODEL), MICRO_SPEECH_LABELS);
        assert.strictEqual(tflm.recognizer.averageWindowMs, 1000);
    });

    for (const c of REAL_CLIPS) {
        it(`${c.clip}: "${c.label}" alone (as TFLM's test), streamed between silences and right after a second of noise`, () => {
            const model = fs.readFileSync(KEYWORD_FILE);
            assert.strictEqual(classifyClip(model, c.clip).label, c.label);
            const silence = sharedClip("silence_1000ms");
            const expected = c.label === "silence" ? [] : [c.label];
            const words = hear(model, Buffer.concat([silence, sharedClip(c.clip), silence, silence])).map((h) => h.word);
            assert.deepStrictEqual(words, expected);
            // The noise stops as the clip starts: the front end's noise estimate is still high.
            const afterNoise = hear(model, Buffer.concat([sharedClip("noise_1000ms"), sharedClip(c.clip), silence, silence])).map((h) => h.word);
            assert.deepStrictEqual(afterNoise, expected);
        });
    }
});

/**
 * A program that uses the blocks with the built-in model (no speech.useModel) and hears `clips`
 * one after the other, printing each word heard, as a user's "on word heard" handlers would.
 */
function builtInModelProgram(clips: Buffer[]): string {
    return `// Generated by test/speech_train.test.ts: the built-in keyword model, the kernels the blocks register.
speech.onWordHeard(SpeechWord.Yes, function () {
    serial.writeString("heard yes " + speech.lastWordHeard() + " " + speech.lastWordTime() + "\\n")
})
speech.onWordHeard(SpeechWord.No, function () {
    serial.writeString("heard no " + speech.lastWordHeard() + " " + speech.lastWordTime() + "\\n")
})
const clips = [${clips.map(hexLiteral).join(",\n    ")}]
for (let i = 0; i < clips.length; i++) {
    speech.hearAudio(clips[i])
    // Lets the handlers of the words heard in this clip run.
    basic.pause(1)
}
serial.writeString("done\\n")
`;
}

describe("the built-in keyword model in the micro:bit simulator", function () {
    this.timeout(10 * 60 * 1000);

    it("raises on word heard for yes and no in the real clips (room silence between them), as in Node", async () => {
        const silence = sharedClip("silence_1000ms");
        const clips = [silence, sharedClip("yes_1000ms"), silence, silence, sharedClip("no_1000ms"), silence, silence];
        // Node: the same library and model over the same stream.
        const node = hear(fs.readFileSync(KEYWORD_FILE), Buffer.concat(clips));
        assert.deepStrictEqual(node.map((h) => h.word), ["yes", "no"]);
        const dir = path.join(ROOT, "built", "sim", "speech-keyword");
        writeSpeechProject(dir, "speech-keyword", { "main.ts": builtInModelProgram(clips) });
        const run = await runInSimulator(compileForSimulator(dir));
        assert.deepStrictEqual(run.lines, [...node.map((h) => `heard ${h.word} ${h.word} ${h.timeMs}`), "done"]);
    });
});
