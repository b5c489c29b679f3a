// TFLM_DECODE's goldens for tools/make-tflm-goldens.ts: every draft of node/decode-cases.ts, one
// fixed seed per decode type (20262501 on).
import type { Rand } from "../node/fuzz";
import { DECODE_DRAFTS } from "../node/decode-cases";
import type { GoldenDraft } from "./make-tflm-goldens";

const SEEDS: { [op: string]: number } = { tflm_decode_lut: 20262501, tflm_decode_prune: 20262502, tflm_decode_huffman: 20262503 };

/** make-tflm-goldens.ts's OPS entries of these ops. */
export const DECODE_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {};
for (const op of Object.keys(SEEDS)) DECODE_OPS[op] = { seed: SEEDS[op], drafts: DECODE_DRAFTS[op] };
