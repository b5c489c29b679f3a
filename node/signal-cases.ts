// Generated models of the Signal library's framing ops SignalFramer and SignalStacker and of
// SignalRfft and SignalIrfft (libs/tflite/kernel_signal2.ts, kernel_signal.ts). TFLM's goldens
// (tools/tflm-goldens-signal.ts) take every draft of an op; the framing ops' drafts run several
// invokes in sequence (they keep state and say with output_valid whether their output is new).
// Sizes are drawn small so that one case runs in milliseconds.
import * as flex from "flatbuffers/js/flexbuffers";
import type { Rand } from "./fuzz";
import type { GoldenDraft as Draft } from "../tools/make-tflm-goldens";

/** `count` int16 samples, random, with the extremes among them so that no value is narrowed. */
export function int16Samples(rand: Rand, count: number): Buffer {
    const b = Buffer.alloc(2 * count);
    for (let i = 0; i < count; i++) b.writeInt16LE(rand.chance(0.1) ? rand.pick([-32768, 32767, 0, -1]) : rand.int(-32768, 32767), 2 * i);
    return b;
}

/** `count` int32 samples within +-2^29, a few of them at the ends of that range. */
export function int32Samples(rand: Rand, count: number): Buffer {
    const b = Buffer.alloc(4 * count);
    for (let i = 0; i < count; i++) b.writeInt32LE(rand.chance(0.1) ? rand.pick([-536870912, 536870911, 0, -1]) : rand.int(-536870912, 536870911), 4 * i);
    return b;
}

/** `count` float32 samples in [-4, 4) with halves, some exact and some not. */
export function float32Samples(rand: Rand, count: number): Buffer {
    const b = Buffer.alloc(4 * count);
    for (let i = 0; i < count; i++) b.writeFloatLE(rand.chance(0.2) ? rand.int(-8, 8) / 2 : (rand.next() - 0.5) * 8, 4 * i);
    return b;
}

const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
/** TensorType codes, for option T. */
const TYPE_CODES: { [type: string]: number } = { float32: 0, int32: 2, int16: 7 };

// SignalFramer (framer.cc): int16 only. Its branches: prefill (every frame valid from the first
// invoke) or not (the first frames invalid, output left as it was); frame_size below, equal to and
// above frame_step (above and not a multiple: the buffer's capacity rounded up); one frame per
// invoke or several; one row or several (the outer dimensions).
function framerDrafts(rand: Rand): Draft[] {
    const cases: { covers: string[]; outer: number[]; frames: number; size: number; step: number; prefill: boolean }[] = [
        { covers: ["rank-1", "prefill", "size-above-step"], outer: [], frames: 1, size: rand.int(5, 9), step: rand.int(2, 4), prefill: true },
        { covers: ["rank-1", "no-prefill", "size-above-step", "size-not-multiple"], outer: [], frames: 1, size: 7, step: 3, prefill: false },
        { covers: ["rank-1", "no-prefill", "size-equals-step"], outer: [], frames: rand.int(1, 3), size: 4, step: 4, prefill: false },
        { covers: ["rank-1", "prefill", "size-equals-step"], outer: [], frames: 2, size: 3, step: 3, prefill: true },
        { covers: ["rank-1", "no-prefill", "size-below-step"], outer: [], frames: rand.int(1, 3), size: rand.int(1, 3), step: rand.int(4, 6), prefill: false },
        { covers: ["rank-1", "no-prefill", "frames", "size-above-step"], outer: [], frames: rand.int(2, 4), size: rand.int(5, 8), step: 2, prefill: false },
        { covers: ["rank-2", "rows", "prefill", "frames"], outer: [rand.int(2, 3)], frames: rand.int(2, 3), size: rand.int(4, 6), step: rand.int(1, 3), prefill: true },
        { covers: ["rank-3", "rows", "no-prefill", "frames"], outer: [2, rand.int(1, 2)], frames: 2, size: 5, step: 2, prefill: false },
    ];
    return cases.map((c) => {
        const invokes = rand.int(3, 6);
        const inShape = [...c.outer, c.frames * c.step], outShape = [...c.outer, c.frames, c.size];
        return {
            covers: ["int16", ...c.covers, `invokes-${invokes}`],
            invokes,
            inputs: [int16Samples(rand, count(inShape) * invokes)],
            spec: {
                op: "CUSTOM", customCode: "SignalFramer",
                customOptions: Buffer.from(flex.encode({ frame_size: c.size, frame_step: c.step, prefill: c.prefill })),
                inputs: [{ shape: inShape, type: "int16" }], outputs: [{ shape: outShape, type: "int16" }, { shape: [], type: "bool" }],
            },
        };
    });
}

// SignalStacker (stacker.cc): int16 only. Its branches: left context 0 or more (the first frame
// copied left + 1 times), right context 0 or more (invokes before the first valid output),
// stacker_step 1, more, and the whole buffer; one channel or several; tensors longer than TFLM
// reads or writes (it reads num_channels samples, writes the buffer's).
function stackerDrafts(rand: Rand): Draft[] {
    const cases: { covers: string[]; channels: number; left: number; right: number; step: number; extraIn?: number; extraOut?: number }[] = [
        { covers: ["left-0", "right-0", "step-1"], channels: rand.int(2, 4), left: 0, right: 0, step: 1 },
        { covers: ["left", "right-0", "step-1"], channels: rand.int(2, 4), left: rand.int(1, 3), right: 0, step: 1 },
        { covers: ["left-0", "right", "step-1"], channels: rand.int(2, 4), left: 0, right: rand.int(1, 3), step: 1 },
        { covers: ["left", "right", "step-above-1"], channels: rand.int(2, 5), left: 2, right: 1, step: 2 },
        { covers: ["left", "right", "step-whole-buffer"], channels: 3, left: 1, right: 1, step: 3 },
        { covers: ["channels-1", "left", "right", "step-1"], channels: 1, left: rand.int(1, 4), right: rand.int(1, 2), step: 1 },
        { covers: ["left", "right-0", "step-above-1", "longer-tensors"], channels: 2, left: 2, right: 0, step: 2, extraIn: 3, extraOut: 2 },
    ];
    return cases.map((c) => {
        const buffer = c.channels * (c.left + c.right + 1);
        const invokes = Math.min(12, c.right + 2 * c.step + rand.int(2, 3));
        const inCount = c.channels + (c.extraIn ?? 0);
        return {
            covers: ["int16", ...c.covers, `invokes-${invokes}`],
            invokes,
            inputs: [int16Samples(rand, inCount * invokes)],
            spec: {
                op: "CUSTOM", customCode: "SignalStacker",
                customOptions: Buffer.from(flex.encode({
                    num_channels: c.channels, stacker_left_context: c.left, stacker_right_context: c.right, stacker_step: c.step,
                })),
                inputs: [{ shape: [inCount], type: "int16" }],
                outputs: [{ shape: [buffer + (c.extraOut ?? 0)], type: "int16" }, { shape: [], type: "bool" }],
            },
        };
    });
}

// SignalRfft (rfft.cc): int16 (KISS FFT's 16-bit fixed point, kernel_signal.ts), int32 (its
// 32-bit fixed point) and float32. Its
// branches are KISS FFT's radix stages (4, 2, 3, 5: fft_length 2n with n's factors), rows shorter
// than fft_length (zero padding) or as long, one row or several.
function rfftDrafts(rand: Rand): Draft[] {
    const drafts: Draft[] = [];
    const samples = (type: string, n: number) => type === "int16" ? int16Samples(rand, n) : type === "int32" ? int32Samples(rand, n) : float32Samples(rand, n);
    for (const type of ["float32", "int16", "int32"] as const) {
        const cases: { covers: string[]; outer: number[]; fft: number; length: number }[] = type === "int32" ? [
            { covers: ["radix-4", "whole-rows"], outer: [], fft: 8, length: 8 },
            { covers: ["radix-2", "padded"], outer: [], fft: 4, length: rand.int(1, 3) },
            { covers: ["radix-4", "radix-2", "padded", "rows"], outer: [2], fft: 16, length: rand.int(5, 15) },
            { covers: ["radix-3", "radix-5", "rows"], outer: [2], fft: 30, length: 30 },
        ] : type === "int16" ? [
            { covers: ["radix-4", "radix-2", "padded"], outer: [], fft: 16, length: rand.int(9, 15) },
            { covers: ["radix-3", "radix-5", "rows"], outer: [2], fft: 30, length: 30 },
        ] : [
            { covers: ["radix-4", "whole-rows"], outer: [], fft: 8, length: 8 },
            { covers: ["radix-2"], outer: [], fft: 4, length: rand.int(1, 4) },
            { covers: ["radix-4", "radix-2", "padded", "rows"], outer: [rand.int(2, 3)], fft: 16, length: rand.int(5, 15) },
            { covers: ["radix-3", "padded"], outer: [], fft: 6, length: rand.int(2, 5) },
            { covers: ["radix-5", "whole-rows"], outer: [], fft: 10, length: 10 },
            { covers: ["radix-4", "radix-3", "radix-5", "rows", "padded"], outer: [2, 1], fft: 120, length: rand.int(90, 119) },
            { covers: ["radix-2", "radix-3", "whole-rows"], outer: [], fft: 12, length: 12 },
        ];
        for (const c of cases) {
            const inShape = [...c.outer, c.length], outShape = [...c.outer, c.fft + 2];
            drafts.push({
                covers: [type, ...c.covers],
                inputs: [samples(type, count(inShape))],
                spec: {
                    op: "CUSTOM", customCode: "SignalRfft",
                    customOptions: Buffer.from(flex.encode({ T: TYPE_CODES[type], fft_length: c.fft })),
                    inputs: [{ shape: inShape, type }], outputs: [{ shape: outShape, type }],
                },
            });
        }
    }
    return drafts;
}

// SignalIrfft (irfft.cc): float32, int16 and int32 (KISS FFT's fixed points). Its branches are
// KISS FFT's radix stages (run inverse: the
// radix-4 butterfly's other branch) and n = fft_length / 2 even (the middle bin folded onto
// itself) or odd; one row or several.
function irfftDrafts(rand: Rand): Draft[] {
    const cases: { covers: string[]; outer: number[]; fft: number }[] = [
        { covers: ["radix-2", "n-even"], outer: [], fft: 4 },
        { covers: ["radix-4", "n-even"], outer: [], fft: 8 },
        { covers: ["radix-3", "n-odd"], outer: [], fft: 6 },
        { covers: ["radix-5", "n-odd", "rows"], outer: [rand.int(2, 3)], fft: 10 },
        { covers: ["radix-4", "radix-2", "n-even", "rows"], outer: [2, 2], fft: 32 },
        { covers: ["radix-4", "radix-3", "radix-5", "n-even"], outer: [], fft: 120 },
        { covers: ["radix-3", "radix-5", "n-odd"], outer: [], fft: 30 },
    ];
    const fixed: { covers: string[]; outer: number[]; fft: number }[] = [
        { covers: ["radix-4", "radix-2", "n-even", "rows"], outer: [2], fft: 16 },
        { covers: ["radix-3", "radix-5", "n-odd"], outer: [], fft: 30 },
        { covers: ["radix-2", "n-even"], outer: [], fft: 4 },
    ];
    const drafts: Draft[] = [];
    for (const type of ["float32", "int16", "int32"] as const)
        for (const c of type === "float32" ? cases : fixed) {
            const inShape = [...c.outer, c.fft + 2], outShape = [...c.outer, c.fft];
            const n = count(inShape);
            drafts.push({
                covers: [type, ...c.covers],
                inputs: [type === "int16" ? int16Samples(rand, n) : type === "int32" ? int32Samples(rand, n) : float32Samples(rand, n)],
                spec: {
                    op: "CUSTOM", customCode: "SignalIrfft", customOptions: Buffer.from(flex.encode({ T: TYPE_CODES[type], fft_length: c.fft })),
                    inputs: [{ shape: inShape, type }], outputs: [{ shape: outShape, type }],
                },
            });
        }
    return drafts;
}

/** The drafts of each op, by golden directory name (tools/tflm-goldens-signal.ts SIGNAL2_OPS gives their seeds). */
export const SIGNAL_DRAFTS: { [op: string]: (rand: Rand) => Draft[] } = {
    signal_framer: framerDrafts,
    signal_stacker: stackerDrafts,
    signal_rfft: rfftDrafts,
    signal_irfft: irfftDrafts,
};
