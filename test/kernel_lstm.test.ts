// UNIDIRECTIONAL_SEQUENCE_LSTM float32, int8 (8x8->16), int16 (16x8) (libs/tflite/kernel_lstm.ts,
// kernels/prepare_lstm.c, kernels/lstm.c) past what TFLM's goldens show (test/tflm_goldens.test.ts runs those, several invokes each): that
// the goldens reach every type and branch, models both loaders refuse with the same message, the
// states cleared by resetState as TFLM's Reset clears them, and empty batches, alike in STS and C.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildLoaderTool, cLoaderDump, cLoaderRun, stsLoaderDump } from "../node/c-loader";
import { encodeValues, singleOpModel, SingleOpSpec, TensorSpec } from "../node/model-writer";
import { loadTflite } from "../node/sts-runtime";
import type { GoldenManifest } from "../tools/make-tflm-goldens";

const GOLDENS = path.join(__dirname, "..", "..", "test", "tflm-goldens");
const tflite = loadTflite();

/** TFLM's branches by type (unidirectional_sequence_lstm.cc, lstm_eval.h at the manifest's commit). */
const COVERS: { [type: string]: string[] } = {
    float32: ["batch-major", "time-major", "cell-clip", "no-clip", "negative-clip", "sigmoid-cut-offs", "overflow", "sizes-1", "sizes-max",
        "invokes-2", "invokes-3"],
    int8: ["batch-major", "time-major", "cell-clip", "no-clip", "negative-clip", "clip-past-int16", "saturation", "cell-scale-2^-11",
        "cell-scale-not-power-of-two", "cell-scale-small", "sizes-1", "sizes-max", "invokes-2", "invokes-3"],
    int16: ["batch-major", "time-major", "cell-clip", "no-clip", "negative-clip", "clip-past-int16", "saturation", "cell-scale-2^-11",
        "cell-scale-not-power-of-two", "cell-scale-small", "sizes-1", "sizes-max", "invokes-2", "invokes-3"],
};

function loadBoth(model: Buffer): { ok: boolean; text: string } {
    const sts = stsLoaderDump(model);
    assert.deepStrictEqual(cLoaderDump(model), sts);
    return sts;
}

/** A float32 LSTM of `batches` x `steps` x 2 inputs and 3 cells; `change` edits its inputs, output or options first. */
function floatLstm(batches: number, steps: number, change: (inputs: (TensorSpec | null)[], spec: SingleOpSpec) => void = () => undefined): Buffer {
    const c = (shape: number[], seed: number): TensorSpec => ({
        shape, type: "float32", data: encodeValues("float32", Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(seed * 7 + i) / 2)),
    });
    const inputs: (TensorSpec | null)[] = [{ shape: [batches, steps, 2], type: "float32" }];
    for (let g = 0; g < 4; g++) inputs.push(c([3, 2], g));
    for (let g = 0; g < 4; g++) inputs.push(c([3, 3], 4 + g));
    inputs.push(null, null, null);
    for (let g = 0; g < 4; g++) inputs.push(c([3], 8 + g));
    inputs.push(null, null, { shape: [batches, 3], type: "float32", isVariable: true }, { shape: [batches, 3], type: "float32", isVariable: true });
    inputs.push(null, null, null, null);
    const spec: SingleOpSpec = { op: "UNIDIRECTIONAL_SEQUENCE_LSTM", inputs, outputs: [{ shape: [batches, steps, 3], type: "float32" }], options: { activation: "TANH", cellClip: 0, timeMajor: false } };
    change(inputs, spec);
    return singleOpModel(spec);
}

/** An int8 ("8x8->16") LSTM of 1 x 2 x 2 inputs and 3 cells; `change` edits its inputs first. */
function int8Lstm(change: (inputs: (TensorSpec | null)[], spec: SingleOpSpec) => void): Buffer {
    return floatLstm(1, 2, (ins, spec) => {
        const q = (t: TensorSpec, type: "int8" | "int16", scale: number, zeroPoint: number): TensorSpec => ({ ...t, type, scale, zeroPoint, data: undefined });
        ins[0] = q(ins[0]!, "int8", 0.05, 3);
        for (let i = 1; i < 9; i++) {
            const n = ins[i]!.shape.reduce((a, b) => a * b, 1);
            ins[i] = { ...q(ins[i]!, "int8", 0.01, 0), data: encodeValues("int8", Array.from({ length: n }, (_, k) => (k * 37) % 41 - 20)) };
        }
        for (let i = 12; i < 16; i++) ins[i] = { shape: [3], type: "int32", data: encodeValues("int32", [100, -200, 300]) };
        ins[18] = { ...q(ins[18]!, "int8", 1 / 128, -2), isVariable: true };
        ins[19] = { ...q(ins[19]!, "int16", 1 / 2048, 0), isVariable: true };
        spec.outputs = [{ shape: [1, 2, 3], type: "int8", scale: 1 / 128, zeroPoint: -2 }];
        change(ins, spec);
    });
}

describe("UNIDIRECTIONAL_SEQUENCE_LSTM: coverage, refusals, state, the STS and the C alike", () => {
    before(() => buildLoaderTool());

    it("has TFLM goldens for every type and branch of TFLM's kernel, each of several invokes", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "unidirectional_sequence_lstm", "manifest.json"), "utf8"));
        assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
        for (const type of Object.keys(COVERS))
            for (const branch of COVERS[type])
                assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(branch)), `${type} ${branch}`);
        assert.ok(m.cases.every((c) => (c.invokes ?? 1) >= 2));
    });

    const refused: { name: string; model: Buffer; message: RegExp }[] = [
        { name: "a missing input gate (CIFG, which TFLM's LSTM does not take)", model: floatLstm(1, 2, (ins) => { ins[1] = null; ins[5] = null; }),
            message: /weights input 1 is missing \(TFLM's LSTM has no CIFG\)$/ },
        { name: "peephole weights", model: floatLstm(1, 2, (ins) => { ins[10] = { shape: [3], type: "float32", data: encodeValues("float32", [1, 2, 3]) }; }),
            message: /input 10 \(peephole\) must be absent: TFLM's LSTM has no peephole$/ },
        { name: "a projection", model: floatLstm(1, 2, (ins) => { ins[16] = { shape: [3, 3], type: "float32", data: encodeValues("float32", new Array(9).fill(1)) }; }),
            message: /input 16 \(projection\) must be absent: TFLM's LSTM has no projection$/ },
        { name: "layer norm coefficients", model: floatLstm(1, 2, (ins) => { ins[22] = { shape: [3], type: "float32", data: encodeValues("float32", [1, 2, 3]) }; }),
            message: /input 22 \(layer norm\) must be absent: TFLM's LSTM has no layer norm$/ },
        { name: "a hidden state that is not a variable tensor", model: floatLstm(1, 2, (ins) => { ins[18] = { shape: [1, 3], type: "float32", data: encodeValues("float32", [0, 0, 0]) }; }),
            message: /the hidden state \(input 18\) must be a variable tensor$/ },
        { name: "an INT8 cell state", model: floatLstm(1, 2, (ins) => { ins[19] = { shape: [1, 3], type: "int8", scale: 1, zeroPoint: 0, isVariable: true }; }),
            message: /cell state type INT8 not supported: TFLM's LSTM takes FLOAT32, or INT16 for quantized models$/ },
        { name: "a RELU cell gate (TFLM aborts)", model: floatLstm(1, 2, (_, s) => { s.options = { activation: "RELU" }; }),
            message: /cell gate activation 1: TFLM computes TANH only \(it aborts on others\)$/ },
        { name: "a 2-D input", model: floatLstm(1, 2, (ins) => { ins[0] = { shape: [2, 2], type: "float32" }; }),
            message: /the input must be 3-D, not tensor 0 'input0' FLOAT32\[2,2\]$/ },
        { name: "recurrent weights of another shape", model: floatLstm(1, 2, (ins) => { ins[6] = { shape: [3, 2], type: "float32", data: encodeValues("float32", new Array(6).fill(1)) }; }),
            message: /weights tensor \d+ 'const6' FLOAT32\[3,2\] must be \[3,3\]$/ },
        { name: "an output of another shape", model: floatLstm(2, 2, (_, s) => { s.outputs = [{ shape: [2, 2, 2], type: "float32" }]; }),
            message: /output tensor \d+ 'output0' FLOAT32\[2,2,2\] must be \[2,2,3\]$/ },
        { name: "float32 input with INT8 weights", model: floatLstm(1, 2, (ins) => {
            for (let i = 1; i < 9; i++) ins[i] = { shape: ins[i]!.shape, type: "int8", scale: 0.01, zeroPoint: 0, data: encodeValues("int8", new Array(ins[i]!.shape.reduce((a, b) => a * b, 1)).fill(3)) };
        }), message: /float32 input needs float32 weights, biases and cell state$/ },
        { name: "int8 input with INT64 biases", model: int8Lstm((ins) => {
            for (let i = 12; i < 16; i++) ins[i] = { shape: [3], type: "int64", data: encodeValues("int64", [1, 2, 3]) };
        }), message: /int8 input needs int8 weights, int32 biases and an int16 cell state$/ },
        { name: "int16 input with INT32 biases", model: int8Lstm((ins, spec) => {
            ins[0] = { ...ins[0]!, type: "int16", zeroPoint: 0 };
            ins[18] = { ...ins[18]!, type: "int16", zeroPoint: 0 };
            spec.outputs = [{ ...spec.outputs[0], type: "int16", zeroPoint: 0 }];
        }), message: /int16 input needs int8 weights, int64 biases and an int16 cell state$/ },
        { name: "an int16 bias beyond 2^48 (the STS's sums would not be exact)", model: int8Lstm((ins, spec) => {
            ins[0] = { ...ins[0]!, type: "int16", zeroPoint: 0 };
            ins[18] = { ...ins[18]!, type: "int16", zeroPoint: 0 };
            spec.outputs = [{ ...spec.outputs[0], type: "int16", zeroPoint: 0 }];
            for (let i = 12; i < 16; i++) ins[i] = { shape: [3], type: "int64", data: encodeValues("int64", [1, 2 ** 49, 3]) };
        }), message: /the int64 bias tensor \d+ 'const12' INT64\[3\] has value 1 outside -2\^48..2\^48$/ },
        { name: "UINT8 input (TFLM takes FLOAT32, INT8, INT16)", model: int8Lstm((ins, spec) => {
            ins[0] = { ...ins[0]!, type: "uint8", zeroPoint: 128 };
            ins[18] = { ...ins[18]!, type: "uint8", zeroPoint: 128 };
            spec.outputs = [{ ...spec.outputs[0], type: "uint8", zeroPoint: 128 }];
        }), message: /unsupported input type UINT8 \(TFLM takes FLOAT32, INT8, INT16\)$/ },
        { name: "weights with a zero point (TFLM asserts 0)", model: int8Lstm((ins) => { ins[3] = { ...ins[3]!, zeroPoint: 4 }; }),
            message: /weights tensor \d+ 'const3' INT8\[3,2\] must have zero point 0 \(TFLM asserts it\)$/ },
        { name: "per-channel weights (TFLM reads no per-channel multipliers here)", model: int8Lstm((ins) => {
            ins[6] = { ...ins[6]!, scale: [0.01, 0.02, 0.03], zeroPoint: 0, quantizedDimension: 0 };
        }), message: /tensor \d+ 'const6' INT8\[3,3\] needs one scale \(per-tensor quantization\)$/ },
        { name: "a cell state scale of 2^20 (TFLM's tanh shifts its input left by 32 bits: undefined)", model: int8Lstm((ins) => {
            ins[19] = { ...ins[19]!, scale: 2 ** 20 };
        }), message: /cell state tensor \d+ 'state19' INT16\[1,3\]: TFLM's tanh of the cell shifts by 32 bits \(over 31\)$/ },
        { name: "a cell state scale of 2^-44 (TFLM's tanh shifts its input right by 32 bits: undefined)", model: int8Lstm((ins) => {
            ins[19] = { ...ins[19]!, scale: 2 ** -44 };
        }), message: /cell state tensor \d+ 'state19' INT16\[1,3\]: TFLM's tanh of the cell shifts by 32 bits \(over 31\)$/ },
        { name: "an unquantized cell state", model: int8Lstm((ins) => { ins[19] = { shape: [1, 3], type: "int16", isVariable: true }; }),
            message: /tensor \d+ 'state19' INT16\[1,3\] needs one scale \(per-tensor quantization\)$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const sts = loadBoth(c.model);
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });

    it("starts again from zero states after resetState, as TFLM's Reset does; the C carries them across invokes alike", () => {
        const model = floatLstm(2, 3);
        const x = encodeValues("float32", Array.from({ length: 12 }, (_, i) => Math.cos(i)));
        const ip = new tflite.StsInterpreter(model);
        const run = () => {
            ip.setInputBytes(0, x);
            ip.invoke();
            return Buffer.from(ip.outputBytes(0));
        };
        const first = run();
        const second = run();
        assert.notDeepStrictEqual(second, first, "the states carry over");
        ip.resetState();
        assert.deepStrictEqual(run(), first);
        assert.deepStrictEqual(cLoaderRun(model, [Buffer.concat([x, x])], x.length), Buffer.concat([first, second]));
    });

    it("loads an int8 model alike in the STS and in C (the refusals above are edits of it)", () => {
        assert.ok(loadBoth(int8Lstm(() => undefined)).ok);
    });

    it("runs a batch of none and steps of none alike in the STS and in C", () => {
        for (const [batches, steps] of [[0, 2], [2, 0]]) {
            const model = floatLstm(batches, steps);
            assert.ok(loadBoth(model).ok);
            assert.strictEqual(cLoaderRun(model, [Buffer.alloc(0)]).length, 0);
        }
    });
});
