// Generated models of CIRCULAR_BUFFER (libs/tflite/kernel_circular_buffer.ts), TFLM's custom op for
// strided streaming convolutions: several invokes in sequence per draft, since what it outputs
// and whether it stops the invoke depend on the invokes before. TFLM's goldens
// (tools/tflm-goldens-circular.ts) take every draft; the replay test (node/replay.ts) one at random.
// TFLM's branches: int8 only; the period cycles_max given (1: due every invoke, 2, 3, one longer
// than the run: never due) or guessed when it is 0, negative or absent (1 for 5, 13 or 25 slots,
// 2 otherwise); one slot (nothing kept), one byte a slot, a second batch TFLM leaves alone, and
// the [., ., 2, 96] shape, allowed when cycles_max is given.
import * as flex from "flatbuffers/js/flexbuffers";
import type { Rand } from "./fuzz";
import type { Draft } from "./draft-case";

function int8Bytes(rand: Rand, count: number): Buffer {
    const b = Buffer.alloc(count);
    for (let i = 0; i < count; i++) b.writeInt8(rand.chance(0.1) ? rand.pick([-128, 127, 0, -1]) : rand.int(-128, 127), i);
    return b;
}

interface Shape { covers: string[]; batch: number; slots: number; height: number; width: number; cyclesMax?: number; invokes: number }

function circularDraft(rand: Rand, s: Shape): Draft {
    const input = [s.batch, 1, s.height, s.width];
    const output = [s.batch, s.slots, s.height, s.width];
    return {
        covers: ["int8", ...s.covers, `invokes-${s.invokes}`],
        invokes: s.invokes,
        inputs: [int8Bytes(rand, s.batch * s.height * s.width * s.invokes)],
        spec: {
            op: "CUSTOM", customCode: "CIRCULAR_BUFFER",
            ...(s.cyclesMax === undefined ? {} : { customOptions: Buffer.from(flex.encode({ cycles_max: s.cyclesMax })) }),
            inputs: [{ shape: input, type: "int8" }], outputs: [{ shape: output, type: "int8" }],
        },
    };
}

function circularBufferDrafts(rand: Rand): Draft[] {
    const shapes: Shape[] = [
        { covers: ["cycles-1"], batch: 1, slots: rand.int(2, 6), height: 1, width: rand.int(2, 8), cyclesMax: 1, invokes: rand.int(3, 6) },
        { covers: ["cycles-2"], batch: 1, slots: rand.int(2, 4), height: rand.int(1, 3), width: rand.int(1, 5), cyclesMax: 2, invokes: 5 },
        { covers: ["cycles-3"], batch: 1, slots: 3, height: 1, width: rand.int(2, 6), cyclesMax: 3, invokes: 7 },
        { covers: ["cycles-never-due"], batch: 1, slots: 2, height: 1, width: 3, cyclesMax: 1000, invokes: 4 },
        { covers: ["no-options", "guess-5-slots"], batch: 1, slots: 5, height: 1, width: rand.int(2, 4), invokes: 6 },
        { covers: ["cycles-0", "guess-other-slots"], batch: 1, slots: 7, height: 1, width: 2, cyclesMax: 0, invokes: 5 },
        { covers: ["cycles-negative", "guess-13-slots"], batch: 1, slots: 13, height: 1, width: 2, cyclesMax: -3, invokes: 4 },
        { covers: ["cycles-0", "guess-25-slots"], batch: 1, slots: 25, height: 1, width: 1, cyclesMax: 0, invokes: 3 },
        { covers: ["one-slot"], batch: 1, slots: 1, height: rand.int(1, 2), width: rand.int(2, 5), cyclesMax: 2, invokes: 4 },
        { covers: ["depth-1"], batch: 1, slots: 4, height: 1, width: 1, cyclesMax: 1, invokes: 6 },
        { covers: ["batch-2"], batch: 2, slots: 3, height: 1, width: rand.int(2, 4), cyclesMax: 2, invokes: 4 },
        { covers: ["shape-2x96", "cycles-2"], batch: 1, slots: 3, height: 2, width: 96, cyclesMax: 2, invokes: 4 },
    ];
    return shapes.map((s) => circularDraft(rand, s));
}

/** The drafts of each op, by its golden directory's name. */
export const CIRCULAR_DRAFTS: { [op: string]: (rand: Rand) => Draft[] } = {
    circular_buffer: circularBufferDrafts,
};
