// Generated models of REDUCE_ALL (libs/tflite/kernel_shape.ts). TFLM's goldens
// (tools/tflm-goldens-misc.ts) take every draft of an op; the fuzzer's kinds (node/fuzz.ts
// CASE_KINDS) one at random. TFLM's REDUCE_ALL (kernels/reduce_common.cc, EvalAllHelper) is
// ReduceGeneric<bool> from true: its branches are the axes as ResolveAxis reads them (one, negative,
// repeated, all, a scalar axis tensor, three or more, a scalar input whose axes it ignores) and
// keep_dims. No axes at all (an empty axis tensor, a copy in TFLM) is left out: the model writer
// gives an empty constant no buffer, which both loaders refuse as a non-constant axis, as for MEAN. The inputs are mostly true, so that some outputs are true and some false.
import type { OpCase, Rand } from "./fuzz";
import { draftCase } from "./draft-case";
import { AxesPattern, reduceAxes } from "./axes-cases";
import { encodeValues, singleOpModel, SingleOpSpec, TypeName } from "./model-writer";

/** One case before anything ran it: the branches it takes, the model, the model inputs' bytes. */
export interface MiscDraft {
    covers: string[];
    spec: SingleOpSpec;
    inputs: Buffer[];
}

// REDUCE_ALL's patterns (node/axes-cases.ts): every one but the 4-D MEAN paths.
const AXES_PATTERNS: AxesPattern[] = ["single", "negative", "repeated", "all", "scalar-axis-tensor", "three-or-more", "scalar-input"];

/** Bools, each false with probability `falses`. */
function bools(rand: Rand, n: number, falses: number): Buffer {
    const values: number[] = [];
    for (let i = 0; i < n; i++) values.push(rand.chance(falses) ? 0 : 1);
    return encodeValues("bool", values);
}

function reduceAllDraft(rand: Rand, pattern: AxesPattern, keepDims: boolean): MiscDraft {
    const { shape, axes, axesShape } = reduceAxes(rand, pattern, 300, 5);
    const rank = shape.length;
    const reduced = new Set(rank === 0 ? [] : axes.map((a) => (a < 0 ? a + rank : a)));
    const out = keepDims ? shape.map((d, i) => (reduced.has(i) ? 1 : d)) : shape.filter((_, i) => !reduced.has(i));
    const count = shape.filter((_, i) => reduced.has(i)).reduce((a, b) => a * b, 1);
    const elements = shape.reduce((a, b) => a * b, 1);
    // About half the outputs false: each of `count` values false with probability 1 - 2^(-1/count).
    const falses = rand.chance(0.15) ? 0 : 1 - Math.pow(0.5, 1 / count);
    const spec: SingleOpSpec = {
        op: "REDUCE_ALL", options: { keepDims },
        inputs: [{ shape, type: "bool" }, { shape: axesShape, type: "int32", data: axes }],
        outputs: [{ shape: out, type: "bool" }],
    };
    const covers = ["bool", keepDims ? "keep-dims" : "no-keep-dims", pattern, `${reduced.size}-axes-reduced`, `rank-${rank}`];
    if (falses === 0) covers.push("all-true");
    return { covers, spec, inputs: [bools(rand, elements, falses)] };
}

export function reduceAllDrafts(rand: Rand): MiscDraft[] {
    const drafts: MiscDraft[] = [];
    for (const keepDims of [true, false])
        for (const pattern of AXES_PATTERNS) drafts.push(reduceAllDraft(rand, pattern, keepDims));
    return drafts;
}

/** Every op's drafts by tools/make-tflm-goldens.ts's name for it. */
export const MISC_DRAFTS: { [op: string]: (rand: Rand) => MiscDraft[] } = {
    reduce_all: reduceAllDrafts,
};

/** One random case of `op` (a MISC_DRAFTS name): one of its drafts, as the fuzzer's kinds are. */
export function miscCase(rand: Rand, op: string): OpCase {
    return draftCase(rand, MISC_DRAFTS[op](rand));
}
