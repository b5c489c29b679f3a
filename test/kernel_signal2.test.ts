// SignalDelay, SignalOverlapAdd, SignalFramer, SignalStacker, SignalRfft of int32 and float32 and SignalIrfft (libs/tflite/kernel_signal2.ts, kernels/prepare_signal.c, kernels/signal2.c) past
// what TFLM's goldens show (test/tflm_goldens.test.ts runs those): that the goldens reach every
// branch, models both loaders refuse with the same message, the state cleared by resetState as
// TFLM's Reset clears it, and rows of nothing, run alike in the STS and in C.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as flex from "flatbuffers/js/flexbuffers";
import { buildLoaderTool, cLoaderDump, cLoaderRun, stsLoaderDump } from "../node/c-loader";
import { singleOpModel, SingleOpSpec, TensorSpec } from "../node/model-writer";
import { loadTflite } from "../node/sts-runtime";
import type { GoldenManifest } from "../tools/make-tflm-goldens";

const GOLDENS = path.join(__dirname, "..", "..", "test", "tflm-goldens");
const tflite = loadTflite();

const i16 = (shape: number[]): TensorSpec => ({ shape, type: "int16" });
const delay = (input: TensorSpec, output: TensorSpec, options: object = { delay_length: 2 }): SingleOpSpec => ({
    op: "CUSTOM", customCode: "SignalDelay", customOptions: Buffer.from(flex.encode(options)), inputs: [input], outputs: [output],
});

function loadBoth(model: Buffer): { ok: boolean; text: string } {
    const sts = stsLoaderDump(model);
    assert.deepStrictEqual(cLoaderDump(model), sts);
    return sts;
}

function samples(values: number[]): Buffer {
    const b = Buffer.alloc(2 * values.length);
    values.forEach((v, i) => b.writeInt16LE(v, 2 * i));
    return b;
}

const overlapAdd = (input: TensorSpec, output: TensorSpec, options: object): SingleOpSpec => ({
    op: "CUSTOM", customCode: "SignalOverlapAdd", customOptions: Buffer.from(flex.encode(options)), inputs: [input], outputs: [output],
});

describe("SignalDelay and SignalOverlapAdd: coverage, refusals, state, the STS and the C alike", () => {
    before(() => buildLoaderTool());

    it("has TFLM goldens for every branch: delay below, equal to, above the frame, 0; one row and several; several invokes", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "signal_delay", "manifest.json"), "utf8"));
        assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
        for (const w of ["delay-below-frame", "delay-equals-frame", "delay-above-frame", "delay-zero", "rows", "frame-1"])
            assert.ok(m.cases.some((c) => c.covers.includes(w)), w);
        assert.ok(m.cases.every((c) => (c.invokes ?? 1) >= 3), "every case runs 3 invokes or more");
    });

    it("has TFLM goldens of SignalOverlapAdd for int16 and float32, frame_step below and equal to the frame size, rows, int16 saturation", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "signal_overlap_add", "manifest.json"), "utf8"));
        for (const type of ["int16", "float32"])
            for (const w of ["step-below-size", "step-equals-size", "rows"]) assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(w)), `${type} ${w}`);
        assert.ok(m.cases.some((c) => c.covers.includes("saturation")), "int16 saturation");
        assert.ok(m.cases.every((c) => (c.invokes ?? 1) >= 3), "every case runs 3 invokes or more");
    });

    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "an int32 input (TFLM takes int16 only)", spec: delay({ shape: [4], type: "int32" }, { shape: [4], type: "int32" }),
            message: /input tensor 0 'input0' INT32\[4\] must be INT16$/ },
        { name: "a scalar input (TFLM reads its last dimension)", spec: delay(i16([]), i16([])),
            message: /must have rank 1 or more and a last dimension of 1 or more$/ },
        { name: "a last dimension of 0 (TFLM divides by it)", spec: delay(i16([3, 0]), i16([3, 0])),
            message: /must have rank 1 or more and a last dimension of 1 or more$/ },
        { name: "an output smaller than the input (TFLM writes past it)", spec: delay(i16([2, 4]), i16([2, 3])),
            message: /output tensor 1 'output0' INT16\[2,3\] must match input tensor 0 'input0' INT16\[2,4\]$/ },
        { name: "no delay_length", spec: delay(i16([4]), i16([4]), { length: 2 }), message: /custom option 'delay_length' is missing$/ },
        { name: "a negative delay_length", spec: delay(i16([4]), i16([4]), { delay_length: -1 }),
            message: /custom option 'delay_length' = -1 is outside \[0, 65535\]$/ },
        { name: "SignalOverlapAdd of int32 (TFLM takes int16 and float32)",
            spec: overlapAdd({ shape: [2, 4], type: "int32" }, { shape: [4], type: "int32" }, { T: 2, frame_step: 2 }),
            message: /input tensor 0 'input0' INT32\[2,4\] must be INT16 or FLOAT32$/ },
        { name: "SignalOverlapAdd whose option T is not the tensors' type (TFLM's Init picks the kernel by it)",
            spec: overlapAdd({ shape: [2, 4], type: "int16" }, { shape: [4], type: "int16" }, { T: 0, frame_step: 2 }),
            message: /custom option 'T' = 0 must be the input's type 7$/ },
        { name: "SignalOverlapAdd of rank 1 (TFLM needs frames of samples)",
            spec: overlapAdd({ shape: [4], type: "int16" }, { shape: [], type: "int16" }, { T: 7, frame_step: 2 }),
            message: /input tensor 0 'input0' INT16\[4\] must have rank 2 or more$/ },
        { name: "SignalOverlapAdd with frame_step above the frame size (TFLM moves a negative size)",
            spec: overlapAdd({ shape: [2, 4], type: "float32" }, { shape: [10], type: "float32" }, { T: 0, frame_step: 5 }),
            message: /custom option 'frame_step' = 5 is outside \[0, 4\]$/ },
        { name: "SignalOverlapAdd with an output of another size than frames * frame_step (TFLM writes past it)",
            spec: overlapAdd({ shape: [3, 4], type: "int16" }, { shape: [5], type: "int16" }, { T: 7, frame_step: 2 }),
            message: /output tensor 1 'output0' INT16\[5\] must have 6 values \(frame_step per frame\)$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const sts = loadBoth(singleOpModel(c.spec));
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });

    it("starts again from zeros after resetState, as TFLM's Reset does", () => {
        const ip = new tflite.StsInterpreter(singleOpModel(delay(i16([2, 3]), i16([2, 3]), { delay_length: 4 })));
        const run = (values: number[]) => {
            ip.setInputBytes(0, samples(values));
            ip.invoke();
            return Array.from(new Int16Array(new Uint8Array(ip.outputBytes(0)).slice().buffer));
        };
        // Rows of 3 delayed by 4: the first invoke gives zeros, the second the state's last zero
        // then the first invoke's samples.
        assert.deepStrictEqual(run([1, 2, 3, 4, 5, 6]), [0, 0, 0, 0, 0, 0]);
        assert.deepStrictEqual(run([7, 8, 9, 10, 11, 12]), [0, 1, 2, 0, 4, 5]);
        ip.resetState();
        assert.deepStrictEqual(run([7, 8, 9, 10, 11, 12]), [0, 0, 0, 0, 0, 0]);
    });

    it("runs an input of no rows ([0, 3]) alike in the STS and in C", () => {
        const model = singleOpModel(delay(i16([0, 3]), i16([0, 3])));
        assert.ok(loadBoth(model).ok);
        assert.strictEqual(cLoaderRun(model, [Buffer.alloc(0)]).length, 0);
    });
});

const framer = (input: TensorSpec, output: TensorSpec, options: object, valid: TensorSpec = { shape: [], type: "bool" }): SingleOpSpec => ({
    op: "CUSTOM", customCode: "SignalFramer", customOptions: Buffer.from(flex.encode(options)), inputs: [input], outputs: [output, valid],
});
const stacker = (input: TensorSpec, output: TensorSpec, options: object, valid: TensorSpec = { shape: [], type: "bool" }): SingleOpSpec => ({
    op: "CUSTOM", customCode: "SignalStacker", customOptions: Buffer.from(flex.encode(options)), inputs: [input], outputs: [output, valid],
});
const rfftSpec = (t: number, input: TensorSpec, output: TensorSpec, fftLength = 8): SingleOpSpec => ({
    op: "CUSTOM", customCode: "SignalRfft", customOptions: Buffer.from(flex.encode({ T: t, fft_length: fftLength })), inputs: [input], outputs: [output],
});
const irfftSpec = (t: number, input: TensorSpec, output: TensorSpec, fftLength = 8): SingleOpSpec => ({
    op: "CUSTOM", customCode: "SignalIrfft", customOptions: Buffer.from(flex.encode({ T: t, fft_length: fftLength })), inputs: [input], outputs: [output],
});
const STACK = { num_channels: 2, stacker_left_context: 1, stacker_right_context: 1, stacker_step: 1 };

describe("SignalFramer, SignalStacker, SignalRfft (int32, float32) and SignalIrfft: coverage, refusals, state, the STS and the C alike", () => {
    before(() => buildLoaderTool());

    const manifest = (op: string): GoldenManifest => JSON.parse(fs.readFileSync(path.join(GOLDENS, op, "manifest.json"), "utf8"));

    it("has TFLM goldens of SignalFramer with and without prefill, frame_size below, equal to, above frame_step, frames, rows", () => {
        const m = manifest("signal_framer");
        for (const w of ["prefill", "no-prefill", "size-below-step", "size-equals-step", "size-above-step", "size-not-multiple", "frames", "rows"])
            assert.ok(m.cases.some((c) => c.covers.includes(w)), w);
        assert.ok(m.cases.every((c) => (c.invokes ?? 1) >= 3), "every case runs 3 invokes or more");
    });

    it("has TFLM goldens of SignalStacker with and without left and right context, steps of 1, more, the whole buffer", () => {
        const m = manifest("signal_stacker");
        for (const w of ["left-0", "left", "right-0", "right", "step-1", "step-above-1", "step-whole-buffer", "channels-1", "longer-tensors"])
            assert.ok(m.cases.some((c) => c.covers.includes(w)), w);
        assert.ok(m.cases.every((c) => (c.invokes ?? 1) >= 3), "every case runs 3 invokes or more");
    });

    it("has TFLM goldens of SignalRfft for float32 and int32 (and int16) through every radix, padded rows and whole ones, several rows", () => {
        const m = manifest("signal_rfft");
        for (const type of ["float32", "int32"])
            for (const w of ["radix-2", "radix-3", "radix-4", "radix-5", "padded", "whole-rows", "rows"])
                assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(w)), `${type} ${w}`);
        assert.ok(m.cases.some((c) => c.covers.includes("int16")), "int16");
    });

    it("has TFLM goldens of SignalIrfft for float32, int16 and int32 through every radix, n even and odd, several rows", () => {
        const m = manifest("signal_irfft");
        for (const type of ["float32", "int16", "int32"])
            for (const w of ["radix-2", "radix-3", "radix-4", "radix-5", "n-even", "n-odd", "rows"])
                assert.ok(m.cases.some((c) => c.covers.includes(type) && c.covers.includes(w)), `${type} ${w}`);
    });

    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "SignalFramer of float32 (TFLM takes int16 only)",
            spec: framer({ shape: [4], type: "float32" }, { shape: [1, 4], type: "float32" }, { frame_size: 4, frame_step: 4, prefill: false }),
            message: /input tensor 0 'input0' FLOAT32\[4\] must be INT16$/ },
        { name: "SignalFramer with an output of the input's rank (TFLM wants one more)",
            spec: framer(i16([4]), i16([4]), { frame_size: 4, frame_step: 4, prefill: false }),
            message: /output tensor 1 'output0' INT16\[4\] must have rank 2$/ },
        { name: "SignalFramer with an int16 output_valid",
            spec: framer(i16([4]), i16([1, 4]), { frame_size: 4, frame_step: 4, prefill: false }, i16([])),
            message: /output_valid tensor 2 'output1' INT16\[\] must be BOOL$/ },
        { name: "SignalFramer with frame_step 0 (TFLM divides by it)",
            spec: framer(i16([4]), i16([1, 4]), { frame_size: 4, frame_step: 0, prefill: false }),
            message: /custom option 'frame_step' = 0 is outside \[1, 65535\]$/ },
        { name: "SignalFramer with prefill and frame_size below frame_step (TFLM writes a negative count of zeros)",
            spec: framer(i16([4]), i16([1, 2]), { frame_size: 2, frame_step: 4, prefill: true }),
            message: /prefill needs frame_size 2 >= frame_step 4$/ },
        { name: "SignalFramer with rows not a whole number of frame_step (TFLM's prepare fails)",
            spec: framer(i16([2, 5]), i16([2, 2, 4]), { frame_size: 4, frame_step: 2, prefill: false }),
            message: /input tensor 0 'input0' INT16\[2,5\] rows must be a whole number \(1 or more\) of frame_step 2 samples$/ },
        { name: "SignalFramer with an output of another size (TFLM writes past it)",
            spec: framer(i16([2, 4]), i16([2, 2, 3]), { frame_size: 4, frame_step: 2, prefill: false }),
            message: /output tensor 1 'output0' INT16\[2,2,3\] must have 16 values \(frame_size per frame\)$/ },
        { name: "SignalFramer without prefill", spec: framer(i16([4]), i16([1, 4]), { frame_size: 4, frame_step: 4 }),
            message: /custom option 'prefill' is missing$/ },
        { name: "SignalRfft of FLOAT32 (option T) over int16 tensors", spec: rfftSpec(0, { shape: [8], type: "int16" }, { shape: [10], type: "int16" }),
            message: /input tensor 0 'input0' INT16\[8\] must be FLOAT32$/ },
        { name: "SignalRfft of UINT8", spec: rfftSpec(3, { shape: [8], type: "uint8" }, { shape: [10], type: "uint8" }),
            message: /unsupported FFT type UINT8 \(only INT16, INT32 and FLOAT32\)$/ },
        { name: "SignalRfft of FLOAT32 with fft_length 14 (a factor 7: TFLM's KISS FFT would malloc)",
            spec: rfftSpec(0, { shape: [14], type: "float32" }, { shape: [16], type: "float32" }, 14),
            message: /fft_length 14 has a factor 7 that TFLM's KISS FFT cannot do without malloc \(only 2, 3, 4 and 5\)$/ },
        { name: "SignalIrfft of UINT8", spec: irfftSpec(3, { shape: [10], type: "uint8" }, { shape: [8], type: "uint8" }),
            message: /unsupported IRFFT type UINT8 \(only INT16, INT32 and FLOAT32\)$/ },
        { name: "SignalIrfft of INT32 (option T) over int16 tensors", spec: irfftSpec(2, { shape: [10], type: "int16" }, { shape: [8], type: "int16" }),
            message: /input tensor 0 'input0' INT16\[10\] must be INT32$/ },
        { name: "SignalIrfft with rows of other than fft_length / 2 + 1 bins (TFLM reads that many)",
            spec: irfftSpec(0, { shape: [2, 8], type: "float32" }, { shape: [2, 8], type: "float32" }),
            message: /input tensor 0 'input0' FLOAT32\[2,8\] rows must hold 5 complex values$/ },
        { name: "SignalIrfft with output rows of other than fft_length samples (TFLM writes that many)",
            spec: irfftSpec(0, { shape: [2, 10], type: "float32" }, { shape: [2, 9], type: "float32" }),
            message: /output tensor 1 'output0' FLOAT32\[2,9\] rows must hold fft_length 8 samples$/ },
        { name: "SignalIrfft with an output of another row count",
            spec: irfftSpec(0, { shape: [2, 10], type: "float32" }, { shape: [3, 8], type: "float32" }),
            message: /output tensor 1 'output0' FLOAT32\[3,8\] must have 2 rows$/ },
        { name: "SignalStacker of rank 2 (TFLM takes rank 1)", spec: stacker(i16([1, 2]), i16([6]), STACK),
            message: /input tensor 0 'input0' INT16\[1,2\] must have rank 1$/ },
        { name: "SignalStacker with 0 channels (TFLM asserts)", spec: stacker(i16([2]), i16([6]), { ...STACK, num_channels: 0 }),
            message: /custom option 'num_channels' = 0 is outside \[1, 65535\]$/ },
        { name: "SignalStacker with stacker_step above the frames it keeps (TFLM asserts)", spec: stacker(i16([2]), i16([6]), { ...STACK, stacker_step: 4 }),
            message: /custom option 'stacker_step' = 4 is outside \[1, 3\]$/ },
        { name: "SignalStacker with an input below num_channels (TFLM reads past it)", spec: stacker(i16([1]), i16([6]), STACK),
            message: /input tensor 0 'input0' INT16\[1\] must have num_channels = 2 values or more$/ },
        { name: "SignalStacker with an output below the buffer (TFLM writes past it)", spec: stacker(i16([2]), i16([5]), STACK),
            message: /output tensor 1 'output0' INT16\[5\] must have num_channels \* \(left \+ 1 \+ right context\) = 6 values or more$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const sts = loadBoth(singleOpModel(c.spec));
            assert.ok(!sts.ok, "loaded");
            assert.match(sts.text, c.message);
        });

    /** Invokes `ip` on `values`: output 0's int16 values and output_valid. */
    function step(ip: any, values: number[]): { out: number[]; valid: boolean } {
        ip.setInputBytes(0, samples(values));
        ip.invoke();
        return { out: Array.from(new Int16Array(new Uint8Array(ip.outputBytes(0)).slice().buffer)), valid: ip.outputBytes(1)[0] === 1 };
    }

    it("SignalFramer starts again from the prefill zeros after resetState, as TFLM's Reset does", () => {
        const ip = new tflite.StsInterpreter(singleOpModel(framer(i16([2]), i16([1, 3]), { frame_size: 3, frame_step: 2, prefill: true })));
        assert.deepStrictEqual(step(ip, [1, 2]), { out: [0, 1, 2], valid: true });
        assert.deepStrictEqual(step(ip, [3, 4]), { out: [2, 3, 4], valid: true });
        ip.resetState();
        assert.deepStrictEqual(step(ip, [5, 6]), { out: [0, 5, 6], valid: true });
    });

    it("SignalStacker copies the first frame into the left context again after resetState", () => {
        const ip = new tflite.StsInterpreter(singleOpModel(stacker(i16([2]), i16([6]), STACK)));
        // Left 1, right 1: the first frame twice, then nothing until the next frame fills the buffer.
        assert.deepStrictEqual(step(ip, [1, 2]).valid, false);
        assert.deepStrictEqual(step(ip, [3, 4]), { out: [1, 2, 1, 2, 3, 4], valid: true });
        assert.deepStrictEqual(step(ip, [5, 6]), { out: [1, 2, 3, 4, 5, 6], valid: true });
        ip.resetState();
        assert.deepStrictEqual(step(ip, [7, 8]), { out: [1, 2, 3, 4, 5, 6], valid: false });
        assert.deepStrictEqual(step(ip, [9, 10]), { out: [7, 8, 7, 8, 9, 10], valid: true });
    });
});
