// RESIZE_NEAREST_NEIGHBOR's, RESIZE_BILINEAR's and MIRROR_PAD's goldens for tools/make-tflm-goldens.ts: every
// draft of node/resize-cases.ts, one fixed seed per op (20261601 on).
import type { Rand } from "../node/fuzz";
import { RESIZE_DRAFTS } from "../node/resize-cases";
import type { GoldenDraft } from "./make-tflm-goldens";

const SEEDS: { [op: string]: number } = { resize_nearest_neighbor: 20261601, resize_bilinear: 20261602, mirror_pad: 20261603,
    space_to_batch_nd: 20261604, batch_to_space_nd: 20261605, embedding_lookup: 20261606, broadcast_args: 20261607 };

/** make-tflm-goldens.ts's OPS entries of these ops. */
export const RESIZE_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {};
for (const op of Object.keys(SEEDS)) RESIZE_OPS[op] = { seed: SEEDS[op], drafts: RESIZE_DRAFTS[op] };
