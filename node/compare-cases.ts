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

/**
 * The kinds: one per op, except per input type for the ops whose types take different bodies and
 * that have no other op to share them (ADD_N, ARG_MAX, ARG_MIN), so that the replay's few seeds per
 * kind reach every body.
 */
export const COMPARE_KINDS: { [kind: string]: { op: string; type?: TypeName } } = {};
for (const op of Object.keys(COMPARE_DRAFTS)) {
    if (op === "ADD_N" || op === "ARG_MAX" || op === "ARG_MIN")
        for (const type of ["float32", "int8"] as TypeName[]) COMPARE_KINDS[`${op} ${type}`] = { op, type };
    else COMPARE_KINDS[op] = { op };
}

/** A random one of the kind's drafts (of its type, when it has one: the first word of what a draft covers). */
export function compareCase(rand: Rand, kind: string): OpCase {
    const { op, type } = COMPARE_KINDS[kind];
    const drafts = COMPARE_DRAFTS[op](rand).filter((d) => !type || d.covers[0] === type);
    const d = drafts[rand.int(0, drafts.length - 1)];
    return { model: singleOpModel(d.spec), inputs: d.inputs, outputType: d.spec.outputs[0].type as TypeName, summary: `${op} (${d.covers.join(" ")})` };
}
