// The goldens of the ops that run subgraphs and of resource variables for
// tools/make-tflm-goldens.ts: every draft of node/control-cases.ts, one fixed seed per op
// (20262101 on), each draft's model of several subgraphs written whole.
import type { Rand } from "../node/fuzz";
import { CONTROL_DRAFTS, controlSpec } from "../node/control-cases";
import type { GoldenDraft } from "./make-tflm-goldens";

const SEEDS: { [op: string]: number } = { call_once: 20262101, assign_variable: 20262102, if: 20262103, while: 20262104 };

/** make-tflm-goldens.ts's OPS entries of these ops. */
export const CONTROL_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {};
for (const op of Object.keys(SEEDS)) {
    CONTROL_OPS[op] = {
        seed: SEEDS[op],
        drafts: (rand) => CONTROL_DRAFTS[op](rand).map((d) => ({
            covers: d.covers, inputs: d.inputs, invokes: d.invokes, model: controlSpec(d), summary: d.summary,
            // What the manifest's outputType is read from: the models' outputs are of the draft's type.
            spec: { op: op.toUpperCase(), inputs: [], outputs: [{ shape: [], type: d.outputType }] },
        })),
    };
}
