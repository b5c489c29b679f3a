// TFLite_Detection_PostProcess's goldens for tools/make-tflm-goldens.ts: every draft of
// node/detection-cases.ts, one fixed seed per op (20262301 on).
import type { Rand } from "../node/fuzz";
import { DETECTION_DRAFTS } from "../node/detection-cases";
import type { GoldenDraft } from "./make-tflm-goldens";

const SEEDS: { [op: string]: number } = { detection_postprocess: 20262301 };

/** make-tflm-goldens.ts's OPS entries of these ops. */
export const DETECTION_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {};
for (const op of Object.keys(SEEDS)) DETECTION_OPS[op] = { seed: SEEDS[op], drafts: DETECTION_DRAFTS[op] };
