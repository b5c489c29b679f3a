// TRANSPOSE_CONV's cases for tools/make-tflm-goldens.ts. TFLM (kernels/transpose_conv.cc;
// reference/transpose_conv.h, reference/integer_ops/transpose_conv.h) distinguishes:
// - float32: sums in float32 into the output in input order, then the bias and the clamp of the
//   fused activation;
// - int8: int32 sums of (input + input offset) * filter, the int32 bias, a per-channel rescale
//   (per-tensor filter scales broadcast), the output offset and the activation's clamp;
// - int16: int64 sums, an int64 bias or an int16 one widened to int64 (its own scratch buffer),
//   the 64-bit rescale, the clamp;
// - the padding from the output's size (SAME, VALID), strides, an absent bias, batches, an output
//   size the input does not match (TFLM runs it), and a non-constant output shape (never read).
import type { Rand } from "../node/fuzz";
import { TypeName } from "../node/model-writer";
import { TransposeConvChoice, transposeConvBiases, transposeConvModel } from "../node/transpose-conv-cases";
import type { GoldenDraft } from "./make-tflm-goldens";

const ACTIVATIONS: TransposeConvChoice["activation"][] = ["NONE", "RELU", "RELU6", "RELU_N1_TO_1"];

function draft(rand: Rand, c: TransposeConvChoice): GoldenDraft {
    const { spec, inputs } = transposeConvModel(rand, c);
    const covers = [c.type, c.padding.toLowerCase(), `stride-h-${c.strideH}`, `stride-w-${c.strideW}`,
        c.bias === "none" ? "no-bias" : `bias-${c.bias}`, `activation-${c.activation.toLowerCase()}`,
        c.batches > 1 ? "batches>1" : "batch-1", c.outputSize === "matching" ? "matching-output-size" : "any-output-size"];
    if (c.type !== "float32") covers.push(c.perChannel ? "per-channel" : "per-tensor");
    if (c.outputShapeInput) covers.push("output-shape-input");
    return { covers, spec, inputs };
}

/**
 * Every type x padding x stride height x bias kind twice, the rest (stride width, activation,
 * batches, scales) cycled or drawn; then per type cases with any output size and with the output
 * shape as a model input.
 */
export function transposeConvDrafts(rand: Rand): GoldenDraft[] {
    const drafts: GoldenDraft[] = [];
    let turn = 0;
    for (const type of ["float32", "int8", "int16"] as TypeName[]) {
        const base = (): TransposeConvChoice => ({
            type, padding: "SAME", strideH: 1, strideW: rand.int(1, 3), bias: "none", activation: ACTIVATIONS[turn++ % ACTIVATIONS.length],
            batches: turn % 3 === 0 ? rand.int(2, 3) : 1, perChannel: turn % 4 !== 1, outputSize: "matching", outputShapeInput: false,
        });
        for (const padding of ["SAME", "VALID"] as const)
            for (const strideH of [1, 2, 3])
                for (const bias of transposeConvBiases(type))
                    for (let k = 0; k < 2; k++) drafts.push(draft(rand, { ...base(), padding, strideH, bias }));
        for (let k = 0; k < 4; k++)
            drafts.push(draft(rand, { ...base(), padding: k % 2 ? "VALID" : "SAME", strideH: rand.int(1, 3), bias: rand.pick(transposeConvBiases(type)), outputSize: "any" }));
        for (let k = 0; k < 2; k++)
            drafts.push(draft(rand, { ...base(), padding: k % 2 ? "VALID" : "SAME", strideH: rand.int(1, 3), bias: transposeConvBiases(type)[1], outputShapeInput: true }));
    }
    return drafts;
}
