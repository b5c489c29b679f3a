// L2_NORMALIZATION's and L2_POOL_2D's goldens for tools/make-tflm-goldens.ts: every draft of node/norm-cases.ts,
// one fixed seed per op (20261701 on).
import type { Rand } from "../node/fuzz";
import { NORM_DRAFTS } from "../node/norm-cases";
import type { GoldenDraft } from "./make-tflm-goldens";

const SEEDS: { [op: string]: number } = { l2_normalization: 20261701, l2_pool_2d: 20261702, log_softmax: 20261703 };

/** make-tflm-goldens.ts's OPS entries of these ops. */
export const NORM_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {};
for (const op of Object.keys(SEEDS)) NORM_OPS[op] = { seed: SEEDS[op], drafts: NORM_DRAFTS[op] };
