// The data movement ops' goldens for tools/make-tflm-goldens.ts: every draft of node/move-cases.ts,
// one fixed seed per op (20261401 on).
import type { Rand } from "../node/fuzz";
import { MOVE_DRAFTS } from "../node/move-cases";
import type { GoldenDraft } from "./make-tflm-goldens";

const SEEDS: { [op: string]: number } = {
    gather: 20261401, split: 20261402, split_v: 20261403, pack: 20261404, unpack: 20261405, slice: 20261406,
    shape: 20261407, reverse_v2: 20261408, broadcast_to: 20261409, depth_to_space: 20261410, space_to_depth: 20261411, gather_nd: 20261412,
};

/** make-tflm-goldens.ts's OPS entries of these ops. */
export const MOVE_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {};
for (const op of Object.keys(SEEDS)) MOVE_OPS[op] = { seed: SEEDS[op], drafts: MOVE_DRAFTS[op] };
