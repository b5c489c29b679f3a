// BATCH_MATMUL's, DYNAMIC_UPDATE_SLICE's and CUMSUM's goldens for tools/make-tflm-goldens.ts:
// every draft of node/matmul-cases.ts, one fixed seed per op (20261901 on).
import type { Rand } from "../node/fuzz";
import { MATMUL_DRAFTS } from "../node/matmul-cases";
import type { GoldenDraft } from "./make-tflm-goldens";

const SEEDS: { [op: string]: number } = { batch_matmul: 20261901, dynamic_update_slice: 20261902, cumsum: 20261903 };

/** make-tflm-goldens.ts's OPS entries of these ops. */
export const MATMUL_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {};
for (const op of Object.keys(SEEDS)) MATMUL_OPS[op] = { seed: SEEDS[op], drafts: MATMUL_DRAFTS[op] };
