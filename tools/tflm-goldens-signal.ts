// The goldens of TFLM's stateful Signal ops (kernel_signal2.ts) for tools/make-tflm-goldens.ts:
// several invokes in sequence per case (the runner's -n), since what these ops output depends on
// the invokes before. One fixed seed per op (20261801 on). The framing ops' drafts are
// node/signal-cases.ts's (SIGNAL2_OPS: kept apart from SIGNAL_OPS, whose ops node/fuzz.ts makes kinds of).
import * as flex from "flatbuffers/js/flexbuffers";
import type { Rand } from "../node/fuzz";
import type { GoldenDraft } from "./make-tflm-goldens";
import { float32Samples, int16Samples, SIGNAL_DRAFTS } from "../node/signal-cases";

// SignalDelay (delay.cc): int16 only. Its branches are where a row's output comes from: the
// state alone (delay_length >= frame size), the state then the input, or the input alone
// (delay_length 0); and rows: one (rank 1) or several (the outer dimensions).
function delayDrafts(rand: Rand): GoldenDraft[] {
    const shapes: { covers: string[]; shape: number[]; delay: number }[] = [
        { covers: ["rank-1", "delay-below-frame"], shape: [rand.int(4, 12)], delay: rand.int(1, 3) },
        { covers: ["rank-1", "delay-above-frame"], shape: [rand.int(2, 4)], delay: rand.int(5, 11) },
        { covers: ["rank-1", "delay-equals-frame"], shape: [5], delay: 5 },
        { covers: ["rank-1", "delay-zero"], shape: [rand.int(3, 8)], delay: 0 },
        { covers: ["rank-1", "frame-1", "delay-above-frame"], shape: [1], delay: rand.int(2, 4) },
        { covers: ["rank-2", "rows", "delay-below-frame"], shape: [rand.int(2, 4), rand.int(5, 9)], delay: rand.int(1, 4) },
        { covers: ["rank-3", "rows", "delay-above-frame"], shape: [2, rand.int(2, 3), rand.int(2, 4)], delay: rand.int(5, 9) },
        { covers: ["rank-4", "rows", "frame-1"], shape: [1, 2, 3, 1], delay: 1 },
    ];
    return shapes.map(({ covers, shape, delay }) => {
        const invokes = rand.int(3, 6);
        const count = shape.reduce((a, b) => a * b, 1);
        return {
            covers: ["int16", ...covers, `invokes-${invokes}`],
            invokes,
            inputs: [int16Samples(rand, count * invokes)],
            spec: {
                op: "CUSTOM", customCode: "SignalDelay", customOptions: Buffer.from(flex.encode({ delay_length: delay })),
                inputs: [{ shape, type: "int16" }], outputs: [{ shape, type: "int16" }],
            },
        };
    });
}

// SignalOverlapAdd (overlap_add.cc): int16 (saturated sums) and float32; frame_step below or
// equal to the frame size (or 0, which outputs nothing); one row of frames or several.
function overlapAddDrafts(rand: Rand): GoldenDraft[] {
    const drafts: GoldenDraft[] = [];
    for (const type of ["int16", "float32"] as const) {
        const cases: { covers: string[]; outer: number[]; frames: number; size: number; step: number }[] = [
            { covers: ["rank-2", "step-below-size"], outer: [], frames: rand.int(1, 3), size: rand.int(4, 8), step: rand.int(1, 3) },
            { covers: ["rank-2", "step-equals-size"], outer: [], frames: 2, size: 3, step: 3 },
            { covers: ["rank-3", "rows", "step-below-size"], outer: [rand.int(2, 3)], frames: rand.int(2, 3), size: rand.int(3, 6), step: rand.int(1, 2) },
            { covers: ["rank-4", "rows", "step-1"], outer: [2, 2], frames: 1, size: 4, step: 1 },
        ];
        if (type === "int16") cases.push({ covers: ["rank-2", "saturation"], outer: [], frames: 4, size: 4, step: 1 });
        for (const c of cases) {
            const invokes = rand.int(3, 5);
            const inShape = [...c.outer, c.frames, c.size], outShape = [...c.outer, c.frames * c.step];
            const count = inShape.reduce((a, b) => a * b, 1);
            let input = type === "int16" ? int16Samples(rand, count * invokes) : float32Samples(rand, count * invokes);
            if (c.covers.includes("saturation")) {
                // Sums of four frames of extremes: past both ends of int16.
                input = Buffer.alloc(2 * count * invokes);
                for (let i = 0; i < count * invokes; i++) input.writeInt16LE(rand.pick([32767, -32768, 20000, -20000]), 2 * i);
            }
            drafts.push({
                covers: [type, ...c.covers, `invokes-${invokes}`],
                invokes,
                inputs: [input],
                spec: {
                    op: "CUSTOM", customCode: "SignalOverlapAdd",
                    customOptions: Buffer.from(flex.encode({ T: type === "int16" ? 7 : 0, frame_step: c.step })),
                    inputs: [{ shape: inShape, type }], outputs: [{ shape: outShape, type }],
                },
            });
        }
    }
    return drafts;
}

/** make-tflm-goldens.ts's OPS entries of these ops. */
export const SIGNAL_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {
    signal_delay: { seed: 20261801, drafts: delayDrafts },
    signal_overlap_add: { seed: 20261802, drafts: overlapAddDrafts },
};

/** make-tflm-goldens.ts's OPS entries of SignalFramer, SignalStacker, SignalRfft, SignalIrfft (node/signal-cases.ts SIGNAL_DRAFTS). */
export const SIGNAL2_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {};
const SIGNAL2_SEEDS: { [op: string]: number } = { signal_framer: 20261803, signal_stacker: 20261804, signal_rfft: 20261805, signal_irfft: 20261806 };
for (const op of Object.keys(SIGNAL2_SEEDS)) SIGNAL2_OPS[op] = { seed: SIGNAL2_SEEDS[op], drafts: SIGNAL_DRAFTS[op] };
