// REDUCE_ALL's goldens for tools/make-tflm-goldens.ts: every draft of node/misc-cases.ts, one
// fixed seed per op (20261901 on).
import type { Rand } from "../node/fuzz";
import { MISC_DRAFTS } from "../node/misc-cases";
import type { GoldenDraft } from "./make-tflm-goldens";

const SEEDS: { [op: string]: number } = { reduce_all: 20261901 };

/** make-tflm-goldens.ts's OPS entries of these ops. */
export const MISC_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {};
for (const op of Object.keys(SEEDS)) MISC_OPS[op] = { seed: SEEDS[op], drafts: MISC_DRAFTS[op] };
