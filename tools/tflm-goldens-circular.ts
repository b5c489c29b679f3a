// CIRCULAR_BUFFER's goldens for tools/make-tflm-goldens.ts: every draft of node/circular-cases.ts,
// several invokes in sequence each (the runner's -n), with whether TFLM stopped each one
// (kTfLiteAbort). One fixed seed (20262401).
import type { Rand } from "../node/fuzz";
import { CIRCULAR_DRAFTS } from "../node/circular-cases";
import type { GoldenDraft } from "./make-tflm-goldens";

/** make-tflm-goldens.ts's OPS entries of these ops. */
export const CIRCULAR_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {
    // Until the buffer has had `slots` inputs, the output holds what was there before: in TFLM
    // what its allocation left in the arena (a 2x96 case showed it), so the runner zeroes the
    // output first, as our loaders' arenas start.
    circular_buffer: { seed: 20262401, drafts: (rand) => CIRCULAR_DRAFTS.circular_buffer(rand).map((d) => ({ ...d, zeroOutputs: true })) },
};
