// The project's own audio front end model (models/keyword_frontend.tflite, built from its
// parameters by node/speech-frontend.ts and embedded in libs/speech): the same graph and tables as
// TFLM's audio_preprocessor_int8.tflite, and the same features, byte for byte, on the real clips.
import * as assert from "assert";
import * as flex from "flatbuffers/js/flexbuffers";
import * as fs from "fs";
import { specFromParsed } from "../node/model-writer";
import { FRONT_END, filterBankTables, frontEndModel, frontEndTables, hannWindow, pcanGainLut, spectralSubtractionOptions } from "../node/speech-frontend";
import { clipFeatures, FRAMES, loadSpeech, PREPROCESSOR_MODEL, readShared, seededRandom, sharedClip } from "../node/speech";
import { loadTflite } from "../node/sts-runtime";
import { FRONT_END_FILE, MODELS_TS, modelsSource, KEYWORD_FILE } from "../tools/speech-models";

const tflite = loadTflite();

/** TFLM's model as a spec: its operators and tensors, constants as bytes. */
function tflmSpec() {
    return specFromParsed(tflite.parseModel(readShared(PREPROCESSOR_MODEL))).subgraphs[0];
}

function constantValues(spec: ReturnType<typeof tflmSpec>, name: string): number[] {
    const t = spec.tensors.find((x) => x.name === name);
    assert.ok(t && t.data, "TFLM's model has no constant " + name);
    const data = t!.data as Buffer;
    const res: number[] = [];
    if (t!.type === 7) for (let i = 0; i < data.length; i += 2) res.push(data.readInt16LE(i));
    else for (let i = 0; i < data.length; i += 4) res.push(data.readInt32LE(i));
    return res;
}

const options = (b?: Buffer) => (b ? flex.toObject(new Uint8Array(b).buffer) : null);

describe("speech front end model (our own, from its parameters)", () => {
    const tflm = tflmSpec();
    const tables = frontEndTables();

    it("the Hann window of 480 samples at 12 bits equals TFLM's constant", () => {
        assert.deepStrictEqual(tables.window, constantValues(tflm, "Const"));
        assert.strictEqual(tables.window.length, 480);
        // Symmetric, peaking at 4096 in the middle.
        assert.deepStrictEqual(hannWindow(480, 12).slice(0, 240), hannWindow(480, 12).slice(240).reverse());
    });

    it("the 40-channel mel filter bank tables equal TFLM's five constants", () => {
        const fb = tables.filterBank;
        assert.deepStrictEqual(fb.weights, constantValues(tflm, "signal_filter_bank/Const"));
        assert.deepStrictEqual(fb.unweights, constantValues(tflm, "signal_filter_bank/Const_1"));
        assert.deepStrictEqual(fb.channelFrequencyStarts, constantValues(tflm, "signal_filter_bank/Const_2"));
        assert.deepStrictEqual(fb.channelWeightStarts, constantValues(tflm, "signal_filter_bank/Const_3"));
        assert.deepStrictEqual(fb.channelWidths, constantValues(tflm, "signal_filter_bank/Const_4"));
        // The energy op's range: bins 5 (125 Hz) up to 241.
        assert.deepStrictEqual([fb.startIndex, fb.endIndex], [5, 241]);
        // Weight and unweight of a bin add up to 4096 (or 4095 after truncation) where a bin is used.
        fb.weights.forEach((w, i) => assert.ok(w + fb.unweights[i] === 0 || w + fb.unweights[i] >= 4095, "bin " + i));
    });

    it("the filter bank rejects an upper band limit above the spectrum", () => {
        assert.throws(() => filterBankTables(257, 16000, 40, 125, 9000, 4, 4, 12), /upper band limit/);
    });

    it("PCAN's gain table (strength 0.95, offset 80, 7 input bits, 21 gain bits) equals TFLM's", () => {
        assert.deepStrictEqual(tables.pcanLut, constantValues(tflm, "signal_pcan/Const"));
        assert.strictEqual(pcanGainLut(0.95, 80, 7, 21).length, 125);
    });

    it("with tflmGraph: the same 22 operators with the same options and constant inputs as TFLM's model", () => {
        const ours = specFromParsed(tflite.parseModel(frontEndModel(FRONT_END, true))).subgraphs[0];
        assert.strictEqual(ours.operators.length, tflm.operators.length);
        ours.operators.forEach((op, i) => {
            const ref = tflm.operators[i];
            const what = "operator " + i + " (" + (ref.customCode || ref.op) + ")";
            assert.strictEqual(op.op, ref.op, what);
            assert.strictEqual(op.customCode, ref.customCode, what);
            assert.strictEqual(op.version, ref.version, what);
            assert.deepStrictEqual(options(op.customOptions), options(ref.customOptions), what);
            assert.strictEqual(op.inputs.length, ref.inputs.length, what);
            op.inputs.forEach((t, j) => {
                const a = ours.tensors[t];
                const b = tflm.tensors[ref.inputs[j]];
                assert.deepStrictEqual([a.shape, a.type], [b.shape, b.type], what + " input " + j);
                if (b.data) assert.ok(a.data && (a.data as Buffer).equals(b.data as Buffer), what + " constant input " + j);
            });
            op.outputs.forEach((t, j) => {
                const a = ours.tensors[t];
                const b = tflm.tensors[ref.outputs[j]];
                assert.deepStrictEqual([a.shape, a.type], [b.shape, b.type], what + " output " + j);
            });
        });
        assert.deepStrictEqual(options(ours.operators[11].customOptions), spectralSubtractionOptions(FRONT_END));
    });

    it("the filter bank gives weight and unweight 0 to every bin outside the energy op's range (why the shipped graph need not zero them)", () => {
        const fb = tables.filterBank;
        let outside = 0;
        fb.channelWidths.forEach((width, chan) => {
            for (let j = 0; j < width; j++) {
                const bin = fb.channelFrequencyStarts[chan] + j;
                const w = fb.channelWeightStarts[chan] + j;
                assert.ok(bin < 257, "channel " + chan + " reads past the spectrum");
                if (bin >= fb.startIndex && bin < fb.endIndex) continue;
                outside++;
                assert.deepStrictEqual([fb.weights[w], fb.unweights[w]], [0, 0], "channel " + chan + " bin " + bin);
            }
        });
        // Some channels do read such bins (the zeros matter only through their weights).
        assert.ok(outside > 0);
    });

    it("the shipped graph (17 ops, no shape ops) computes the same features as TFLM's graph on 3 s of varied audio", () => {
        const compact = tflite.parseModel(frontEndModel());
        const names = compact.operators.map((op: any) => op.customName || tflite.opName(op.opcode));
        assert.deepStrictEqual(names.filter((n: string) => ["RESHAPE", "STRIDED_SLICE", "CONCATENATION"].indexOf(n) >= 0), []);
        assert.strictEqual(names.length, 17);
        // White noise at growing amplitude (up to clipping), a tone sweep, silence, then a real clip.
        const random = seededRandom(11);
        const audio = Buffer.alloc(2 * 48000);
        for (let i = 0; i < 48000; i++) {
            let v = 0;
            if (i < 16000) v = (random() * 2 - 1) * 40000 * (i / 16000);
            else if (i < 32000) v = 12000 * Math.sin(2 * Math.PI * (100 + (i - 16000) / 4) * i / 16000);
            audio.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(v))), 2 * i);
        }
        const withClip = Buffer.concat([audio, sharedClip("yes_1000ms")]);
        const ours = clipFeatures(withClip, Infinity, new tflite.StsInterpreter(frontEndModel()));
        const theirs = clipFeatures(withClip, Infinity, new tflite.StsInterpreter(readShared(PREPROCESSOR_MODEL)));
        assert.strictEqual(ours.length, 199 * 40);
        assert.strictEqual(ours.toString("hex"), theirs.toString("hex"));
    });

    for (const clip of ["yes", "no", "silence", "noise"]) {
        it(`${clip}_1000ms: 49 feature frames byte for byte as TFLM's preprocessor`, () => {
            const ip = new tflite.StsInterpreter(frontEndModel());
            const features = clipFeatures(sharedClip(clip + "_1000ms"), FRAMES, ip);
            const golden = readShared(`conformance/models/audio_preprocessor_int8/${clip}_1000ms.output.bin`);
            assert.strictEqual(features.toString("hex"), golden.toString("hex"));
        });
    }

    it("models/keyword_frontend.tflite and libs/speech/models.ts are up to date (node built/tools/speech-models.js)", () => {
        const model = frontEndModel();
        assert.ok(fs.readFileSync(FRONT_END_FILE).equals(model));
        const keyword = fs.existsSync(KEYWORD_FILE) ? fs.readFileSync(KEYWORD_FILE) : null;
        assert.strictEqual(fs.readFileSync(MODELS_TS, "utf8"), modelsSource(model, keyword));
        // And the library carries exactly these bytes.
        assert.ok(Buffer.from(loadSpeech().frontEndModel()).equals(model));
    });
});
