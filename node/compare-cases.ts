// Generated models of the comparison, logic, select, arg and fill ops (libs/tflite/kernel_compare.ts)
// for the fuzzer's, the loader comparison's and the native replay's kinds (node/fuzz.ts
// CASE_KINDS): one of the op's TFLM golden drafts (tools/tflm-goldens-compare.ts, which says what
// they cover), drawn with the kind's seed, so that these reach the same types, shapes and
// broadcasts the goldens check, and their mutants the prepare checks around them.
import type { OpCase, Rand } from "./fuzz";
import { singleOpModel, TypeName } from "./model-writer";
import type { GoldenDraft } from "../tools/make-tflm-goldens";
import { addNDrafts, argMinMaxDrafts, compareDrafts, fillDrafts, logicalNotDrafts, selectDrafts, zerosLikeDrafts } from "../tools/tflm-goldens-compare";

/** Every op's drafts, by op name. */
export const COMPARE_DRAFTS: { [op: string]: (rand: Rand) => GoldenDraft[] } = {
    EQUAL: compareDrafts("EQUAL"), NOT_EQUAL: compareDrafts("NOT_EQUAL"), LESS: compareDrafts("LESS"),
    LESS_EQUAL: compareDrafts("LESS_EQUAL"), GREATER: compareDrafts("GREATER"), GREATER_EQUAL: compareDrafts("GREATER_EQUAL"),
    LOGICAL_AND: compareDrafts("LOGICAL_AND"), LOGICAL_OR: compareDrafts("LOGICAL_OR"), LOGICAL_NOT: logicalNotDrafts,
    ZEROS_LIKE: zerosLikeDrafts, FILL: fillDrafts, SELECT_V2: selectDrafts, ARG_MAX: argMinMaxDrafts("ARG_MAX"),
    ARG_MIN: argMinMaxDrafts("ARG_MIN"), ADD_N: addNDrafts,
};

export function compareCase(rand: Rand, op: string): OpCase {
    const drafts = COMPARE_DRAFTS[op](rand);
    const d = drafts[rand.int(0, drafts.length - 1)];
    return { model: singleOpModel(d.spec), inputs: d.inputs, outputType: d.spec.outputs[0].type as TypeName, summary: `${op} (${d.covers.join(" ")})` };
}
