// The element-wise math ops' cases for tools/make-tflm-goldens.ts (models from node/math-cases.ts).
// TFLM's kernels (elementwise.cc: ABS, SQRT, RSQRT, SQUARE, LOG, SIN, COS; neg.cc, floor.cc, ceil.cc, round.cc, exp.cc, elu.cc,
// floor_div.cc, floor_mod.cc, squared_difference.cc, prelu*.cc) distinguish:
// - per op, the types it takes (MATH_TYPES): float32 everywhere; int8 ABS, RSQRT, ELU, PRELU,
//   SQUARED_DIFFERENCE; int16 ABS (with and without quantization), PRELU (int8 alpha),
//   SQUARED_DIFFERENCE; int32 SQUARED_DIFFERENCE;
// - quantized: equal or different input and output scales (ABS rescales only when they differ);
// - binary: equal shapes (a flat loop, any rank), broadcasts of up to 4 dimensions, a one-value
//   second input, the second input constant or not; PRELU's alpha along the channels;
// - float32 edge values: ±0, halves for ROUND, (-1, 0) for CEIL, subnormals and huge values for
//   SQRT and RSQRT, EXP overflowing to infinity and underflowing to 0, exact and huge divisors.
import type { Rand } from "../node/fuzz";
import { isBinaryMath, MATH_TYPES, MathChoice, mathModel, MathOp, MathQuant, MathShapes } from "../node/math-cases";
import type { TypeName } from "../node/model-writer";
import type { GoldenDraft } from "./make-tflm-goldens";

function draft(rand: Rand, c: MathChoice): GoldenDraft {
    const { spec, inputs } = mathModel(rand, c);
    const covers: string[] = [c.type];
    if (c.type === "int8" || c.type === "int16") covers.push(c.quant === "none" ? "no-quantization" : `${c.quant}-scale`);
    if (isBinaryMath(c.op)) covers.push(`shapes-${c.shapes}`, c.constSecond ? "const-second-input" : "second-input");
    const rank = Math.max(...spec.inputs.map((t) => (t ? t.shape.length : 0)));
    covers.push(`rank-${rank}`);
    return { covers, spec, inputs };
}

/** Cases for `op`: every type x quantization x shapes, `perBranch` each (second inputs constant every third case). */
function mathDrafts(op: MathOp, perBranch: number): (rand: Rand) => GoldenDraft[] {
    return (rand) => {
        const drafts: GoldenDraft[] = [];
        let turn = 0;
        for (const type of MATH_TYPES[op] as TypeName[]) {
            const quants: MathQuant[] = type === "float32" || type === "int32" ? ["same"] : op === "ABS" && type === "int16" ? ["none", "same", "different"] :
                op === "RSQRT" || op === "ELU" ? ["different"] : ["same", "different"];
            const shapes: MathShapes[] = !isBinaryMath(op) ? ["same"] : op === "PRELU" ? ["same", "channel", "broadcast"] : ["same", "broadcast", "scalar"];
            for (const quant of quants)
                for (const s of shapes)
                    for (let k = 0; k < perBranch; k++)
                        drafts.push(draft(rand, { op, type, quant, shapes: s, constSecond: op === "PRELU" ? turn++ % 3 !== 2 : turn++ % 3 === 2 }));
        }
        return drafts;
    };
}

/**
 * The float32s below 120 where glibc's x86-64 sinf or cosf (the FMA build the goldens' host runs:
 * x - n pi/2 rounded once) and the same routine with x - n pi/2 rounded twice differ: all of them,
 * found by comparing every float32 (12 for sinf, 22 for cosf; both signs of 17 magnitudes).
 */
const FMA_REDUCTION_INPUTS = [0x418a3adb, 0x418a3adc, 0x418a3add, 0x418a3ade, 0x41bc76d9, 0x4202eb4b, 0x4255b0a9, 0x42687a55, 0x4280ce28,
    0x42870e40, 0x42a35c07, 0x42a35d44, 0x42a97360, 0x42c55faa, 0x42cf5854, 0x42d8d23e, 0x42e87a55];

/** The two float32s where glibc's x86-64 expf (its FMA build: x * 32 / ln 2 - k rounded once) and the same routine rounding twice differ, of all 2^32. */
const EXP_FMA_INPUTS = [0x4202422f, 0xc27c65d9];

/** One case of the float32s where fusing matters: SIN's and COS's reductions, or EXP's. */
function fmaReductionDraft(op: MathOp): GoldenDraft {
    const bits = op === "EXP" ? EXP_FMA_INPUTS : FMA_REDUCTION_INPUTS.concat(FMA_REDUCTION_INPUTS.map((b) => (b | 0x80000000) >>> 0));
    const shape = [bits.length];
    return {
        covers: ["float32", "fma-reduction", "rank-1"], spec: { op, inputs: [{ shape, type: "float32" }], outputs: [{ shape, type: "float32" }] },
        inputs: [Buffer.from(new Uint32Array(bits).buffer)],
    };
}

/** The OPS entries of tools/make-tflm-goldens.ts: one folder per op, seeds 20261501 on. */
export const MATH_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {
    abs: { seed: 20261501, drafts: mathDrafts("ABS", 3) },
    neg: { seed: 20261502, drafts: mathDrafts("NEG", 4) },
    square: { seed: 20261503, drafts: mathDrafts("SQUARE", 4) },
    sqrt: { seed: 20261504, drafts: mathDrafts("SQRT", 4) },
    rsqrt: { seed: 20261505, drafts: mathDrafts("RSQRT", 4) },
    ceil: { seed: 20261506, drafts: mathDrafts("CEIL", 4) },
    floor: { seed: 20261507, drafts: mathDrafts("FLOOR", 4) },
    round: { seed: 20261508, drafts: mathDrafts("ROUND", 4) },
    floor_div: { seed: 20261509, drafts: mathDrafts("FLOOR_DIV", 2) },
    floor_mod: { seed: 20261510, drafts: mathDrafts("FLOOR_MOD", 2) },
    squared_difference: { seed: 20261511, drafts: mathDrafts("SQUARED_DIFFERENCE", 1) },
    prelu: { seed: 20261512, drafts: mathDrafts("PRELU", 1) },
    elu: { seed: 20261513, drafts: mathDrafts("ELU", 4) },
    exp: { seed: 20261514, drafts: (rand) => mathDrafts("EXP", 6)(rand).concat([fmaReductionDraft("EXP")]) },
    log: { seed: 20261515, drafts: mathDrafts("LOG", 6) },
    sin: { seed: 20261516, drafts: (rand) => mathDrafts("SIN", 6)(rand).concat([fmaReductionDraft("SIN")]) },
    cos: { seed: 20261517, drafts: (rand) => mathDrafts("COS", 6)(rand).concat([fmaReductionDraft("COS")]) },
};
