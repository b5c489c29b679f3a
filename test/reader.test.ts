// Loading checks: each kind of bad model or bad call ends in an error that names the problem.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadTflite } from "../node/sts-runtime";
import { SHARED } from "../node/conformance";

const tflite = loadTflite();
const modelPath = (name: string) => path.join(SHARED, "models", "tflm", name);
const read = (name: string) => fs.readFileSync(modelPath(name));

function throwsTflite(f: () => any, pattern: RegExp) {
    assert.throws(f, (e: any) => {
        assert.strictEqual(typeof e, "string", `expected an interpreter error, got ${e}`);
        assert.match(e, pattern);
        return true;
    });
}

/** The absolute position of a field of the model's root table, found with our own reader. */
function rootField(buf: Buffer, field: number): number {
    const fb = new tflite.FlatBuffer(buf);
    return fb.field(fb.deref(0), field);
}

describe("model reader", () => {
    it("reads every TFLM model's structure", () => {
        const expectOps: { [f: string]: string[] } = {
            "hello_world_float.tflite": ["FULLY_CONNECTED", "FULLY_CONNECTED", "FULLY_CONNECTED"],
            "micro_speech_quantized.tflite": ["RESHAPE", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX"],
        };
        for (const f of fs.readdirSync(path.join(SHARED, "models", "tflm"))) {
            const m = tflite.parseModel(read(f));
            assert.strictEqual(m.version, 3);
            assert.ok(m.operators.length > 0 && m.tensors.length > 0, f);
            if (expectOps[f]) assert.deepStrictEqual(m.operators.map((o: any) => o.name()), expectOps[f]);
        }
        const ms = tflite.parseModel(read("micro_speech_quantized.tflite"));
        assert.deepStrictEqual(ms.inputs[0].shape, [1, 1960]);
        assert.strictEqual(ms.inputs[0].type, 9); // INT8
        assert.deepStrictEqual(ms.outputs[0].shape, [1, 4]);
    });

    it("reads per-channel quantization", () => {
        const m = tflite.parseModel(read("person_detect.tflite"));
        const perChannel = m.tensors.filter((t: any) => t.scales.length > 1);
        assert.ok(perChannel.length > 10);
        for (const t of perChannel) assert.strictEqual(t.scales.length, t.zeroPoints.length);
    });

    it("reads constants in place: no copy of the weights", () => {
        const buf = read("hello_world_int8.tflite");
        const m = tflite.parseModel(buf);
        const consts = m.tensors.filter((t: any) => t.isConst);
        assert.ok(consts.length > 0);
        for (const t of consts) assert.strictEqual(t.data, buf);
    });

    it("rejects a file that is not a TFLite model", () => {
        throwsTflite(() => new tflite.StsInterpreter(Buffer.from("hello, this is not a model at all")), /not a TFLite model: file identifier is not TFL3/);
        throwsTflite(() => new tflite.StsInterpreter(Buffer.alloc(8)), /not a TFLite model: only 8 bytes/);
    });

    it("rejects an unsupported schema version", () => {
        const buf = Buffer.from(read("hello_world_float.tflite"));
        buf.writeUInt32LE(4, rootField(buf, 0));
        throwsTflite(() => tflite.parseModel(buf), /unsupported schema version 4 \(expected 3\)/);
    });

    it("rejects truncated files and out-of-bounds offsets", () => {
        const buf = read("micro_speech_quantized.tflite");
        for (const len of [16, 100, 1000, buf.length >> 1, buf.length - 100])
            throwsTflite(() => tflite.parseModel(buf.subarray(0, len)), /corrupt model: .* outside the \d+-byte file|corrupt model/);
        const bad = Buffer.from(buf);
        bad.writeUInt32LE(0x7ffffff0, 0); // root table offset far beyond the end
        throwsTflite(() => tflite.parseModel(bad), /corrupt model: .* outside the \d+-byte file/);
    });

    it("names an unsupported custom op with its version", () => {
        // Rename the audio front end's first custom op, SignalWindow, to a name of the same length
        // that no kernel has.
        const buf = Buffer.from(read("audio_preprocessor_int8.tflite"));
        const at = buf.indexOf("SignalWindow");
        assert.ok(at > 0);
        buf.write("SignalWidget", at);
        throwsTflite(() => new tflite.StsInterpreter(buf),
            /^tflite: unsupported custom op 'SignalWidget' \(version 1\) at operator 0$/);
    });

    it("refuses a constant tensor as a model input (writing it would write the model)", () => {
        // Point hello_world's subgraph input at its first constant tensor.
        const buf = Buffer.from(read("hello_world_int8.tflite"));
        const m = tflite.parseModel(buf);
        const constant = m.tensors.find((t: any) => t.isConst);
        const fb = new tflite.FlatBuffer(buf);
        const subgraph = fb.tableAt(fb.fieldVector(fb.deref(0), 2, 4), 0);
        const inputs = fb.fieldVector(subgraph, 1, 4);
        buf.writeInt32LE(constant.index, inputs + 4);
        throwsTflite(() => tflite.parseModel(buf), /^tflite: corrupt model: subgraph input 0 is a constant: tensor \d+/);
    });

    it("names an unsupported builtin op with its version", () => {
        // Turn hello_world's first op code into LSTM (16) in both code fields.
        const buf = Buffer.from(read("hello_world_float.tflite"));
        const fb = new tflite.FlatBuffer(buf);
        const codes = fb.fieldVector(fb.deref(0), 1, 4);
        const code0 = fb.tableAt(codes, 0);
        const dep = fb.field(code0, 0), builtin = fb.field(code0, 3);
        if (dep) buf[dep] = 16;
        if (builtin) buf.writeInt32LE(16, builtin);
        throwsTflite(() => new tflite.StsInterpreter(buf), /^tflite: unsupported op LSTM \(version \d+\) at operator 0$/);
    });

    it("checks input sizes and indices", () => {
        const ip = new tflite.StsInterpreter(read("hello_world_float.tflite"));
        throwsTflite(() => ip.setInputBytes(0, Buffer.alloc(3)), /wrong input size for input 0: got 3 bytes, tensor \d+ .*FLOAT32\[1,1\] needs 4/);
        throwsTflite(() => ip.setInput(0, [1, 2]), /wrong input size for input 0: got 2 values/);
        throwsTflite(() => ip.input(1), /no input 1: the model has 1/);
        throwsTflite(() => ip.output(-1), /no output -1: the model has 1/);
    });

    it("refuses a model whose arena exceeds the limit", () => {
        const saved = tflite.maxArenaBytes;
        try {
            // Every tensor fits (the largest holds 4000 bytes), their plan does not.
            tflite.maxArenaBytes = 4500;
            throwsTflite(() => new tflite.StsInterpreter(read("micro_speech_quantized.tflite")), /needs a \d+-byte arena, more than the limit of 4500 bytes/);
            // One tensor alone is too big: named before any planning.
            tflite.maxArenaBytes = 1000;
            throwsTflite(() => new tflite.StsInterpreter(read("micro_speech_quantized.tflite")),
                /the model's tensor \d+ .* needs \d+ bytes, more than the arena limit of 1000 bytes/);
        } finally {
            tflite.maxArenaBytes = saved;
        }
    });
});

describe("arena planner", () => {
    it("shares space between tensors whose lifetimes do not overlap", () => {
        const p = new tflite.ArenaPlanner();
        const a = p.add(100, 0, 1), b = p.add(100, 1, 2), c = p.add(100, 2, 3);
        const total = p.plan();
        // a and c never live together, so they share; b overlaps both.
        assert.strictEqual(p.offsets[a], p.offsets[c]);
        assert.notStrictEqual(p.offsets[a], p.offsets[b]);
        assert.strictEqual(total, 200);
    });

    it("never overlaps live buffers (random lifetimes)", () => {
        let seed = 7;
        const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
        for (let trial = 0; trial < 50; trial++) {
            const p = new tflite.ArenaPlanner();
            const n = 2 + Math.floor(rand() * 30);
            for (let i = 0; i < n; i++) {
                const first = Math.floor(rand() * 20);
                p.add(1 + Math.floor(rand() * 500), first, first + Math.floor(rand() * 5));
            }
            const total = p.plan();
            for (let i = 0; i < n; i++) {
                assert.ok(p.offsets[i] % 4 === 0 && p.offsets[i] + p.sizes[i] <= total);
                for (let j = i + 1; j < n; j++) {
                    const timeOverlap = p.firstUse[i] <= p.lastUse[j] && p.firstUse[j] <= p.lastUse[i];
                    const spaceOverlap = p.offsets[i] < p.offsets[j] + p.sizes[j] && p.offsets[j] < p.offsets[i] + p.sizes[i];
                    assert.ok(!(timeOverlap && spaceOverlap), `buffers ${i} and ${j} overlap`);
                }
            }
        }
    });
});
