// A golden draft (a single-op model, its inputs and what it covers: tools/make-tflm-goldens.ts) as
// a fuzzer case: the families' generators (node/*-cases.ts, tools/tflm-goldens-*.ts) give the
// fuzzer, the loader comparison and the native replay the same models the goldens come from.
import type { OpCase, Rand } from "./fuzz";
import { singleOpModel, SingleOpSpec, TypeName } from "./model-writer";

export interface Draft {
    covers: string[];
    spec: SingleOpSpec;
    inputs: Buffer[];
    /** Invokes in sequence, each inputs[i] holding that many invokes' bytes; 1 when absent. */
    invokes?: number;
}

/** One of `drafts`, chosen with `rand`; a stateful draft's invokes become the case's steps. */
export function draftCase(rand: Rand, drafts: Draft[]): OpCase {
    const d = drafts[rand.int(0, drafts.length - 1)];
    const invokes = d.invokes || 1;
    const steps: Buffer[][] = [];
    for (let k = 0; k < invokes; k++)
        steps.push(d.inputs.map((b) => b.subarray(k * b.length / invokes, (k + 1) * b.length / invokes)));
    return {
        model: singleOpModel(d.spec), inputs: steps[0], outputType: d.spec.outputs[0].type as TypeName,
        summary: `${d.spec.op} ${d.covers.join(" ")}`, ...(invokes > 1 ? { steps } : {}),
    };
}
