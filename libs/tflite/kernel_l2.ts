namespace tflite {
    // L2_NORMALIZATION along the last dimension: each row divided by its L2 norm, as TFLM's
    // reference kernels compute it (tensorflow/lite/micro/kernels/l2norm.cc).
    //
    // float32: the sum of squares in float32 in row order, sqrtf, at least 1e-6f, then one float32
    // division per element.
    //
    // int8: the sum of squared differences from the input zero point in int32, its inverse square
    // root as a fixed-point multiplier (TFLM's GetInvSqrtQuantizedMultiplierExp, kernel_math.ts
    // invSqrtQuantizedMultiplierExp), each difference rescaled by it into 1/128 units and clamped.
    // TFLM never reads the output's quantization: the output is always in 1/128 with zero point 0.
    // Both need the root of each row's sum, so the work is in the bodies, not in prepare.

    /** Parameter block of l2_normalization_float and l2_normalization_int8 (words). */
    export const enum L2NormParams {
        Input = 0, Output = 2,
        /** Rows (the product of every dimension but the last) and the length of each row. */
        OuterSize = 4, Depth = 5,
        /** l2_normalization_int8: the input's zero point. */
        InputZeroPoint = 6,
        Words = 7,
    }

    const enum L2NormOptions { FusedActivation = 0 }

    export function registerL2Kernels(): void {
        registerBuiltin(BuiltinOp.L2_NORMALIZATION, prepareL2Normalization)
        registerBody("l2_normalization_float", l2NormalizationFloat)
        registerBody("l2_normalization_int8", l2NormalizationInt8)
    }

    /** TFLM's checks in its order, then the output's shape (TFLM only DCHECKs it). */
    function prepareL2Normalization(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        op.check(!!input && op.inputs.length === 1 && op.outputs.length === 1, "needs one input and one output")
        // A scalar has no last dimension: TFLM would read the dimension before the first.
        op.check(input.rank() >= 1 && input.rank() <= 4, "the input must have 1 to 4 dimensions, not " + input.describe())
        op.check(output.type === TensorType.Float32 || output.type === TensorType.Int8,
            "unsupported type " + typeName(output.type) + " of " + output.describe() + " (TFLM takes FLOAT32, INT8)")
        op.check(input.type === output.type, output.describe() + " must have the type of " + input.describe())
        op.check(op.optByte(L2NormOptions.FusedActivation, Activation.None) === Activation.None,
            "TFLM takes no fused activation (it has " + op.optByte(L2NormOptions.FusedActivation, Activation.None) + ")")
        let same = output.rank() === input.rank()
        for (let i = 0; same && i < input.rank(); i++) same = output.dim(i) === input.dim(i)
        op.check(same, "output " + output.describe() + " must have the shape of " + input.describe())
        const depth = input.dim(input.rank() - 1)
        const float = input.type === TensorType.Float32
        const p = op.useBody(float ? "l2_normalization_float" : "l2_normalization_int8", L2NormParams.Words)
        op.paramTensor(L2NormParams.Input, input)
        op.paramTensor(L2NormParams.Output, output)
        setParam(p, L2NormParams.OuterSize, depth === 0 ? 0 : Math.idiv(input.elementCount(), depth))
        setParam(p, L2NormParams.Depth, depth)
        setParam(p, L2NormParams.InputZeroPoint, float ? 0 : input.zeroPoint)
    }

    export function l2NormalizationFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, L2NormParams.Input, model, arena)
        const inputAt = paramOffset(p, L2NormParams.Input)
        const output = paramBuffer(p, L2NormParams.Output, model, arena)
        const outputAt = paramOffset(p, L2NormParams.Output)
        const outer = param(p, L2NormParams.OuterSize), depth = param(p, L2NormParams.Depth)
        const epsilon = f32(1e-6)
        for (let i = 0; i < outer; i++) {
            const row = 4 * depth * i
            let sum = 0
            for (let c = 0; c < depth; c++) {
                const v = input.getNumber(NumberFormat.Float32LE, inputAt + row + 4 * c)
                sum = f32(sum + f32(v * v))
            }
            // A double square root rounded to float32 is sqrtf's; std::max(norm, epsilon) keeps a NaN norm.
            let norm = f32(Math.sqrt(sum))
            if (norm < epsilon) norm = epsilon
            for (let c = 0; c < depth; c++)
                output.setNumber(NumberFormat.Float32LE, outputAt + row + 4 * c,
                    f32(input.getNumber(NumberFormat.Float32LE, inputAt + row + 4 * c) / norm))
        }
    }

    export function l2NormalizationInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, L2NormParams.Input, model, arena)
        const inputAt = paramOffset(p, L2NormParams.Input)
        const output = paramBuffer(p, L2NormParams.Output, model, arena)
        const outputAt = paramOffset(p, L2NormParams.Output)
        const outer = param(p, L2NormParams.OuterSize), depth = param(p, L2NormParams.Depth)
        const zeroPoint = param(p, L2NormParams.InputZeroPoint)
        for (let i = 0; i < outer; i++) {
            const row = depth * i
            // At most 255^2 per element: the int32 sum holds 2^15 of them, and depth is far below.
            let sum = 0
            for (let c = 0; c < depth; c++) {
                const d = ((input[inputAt + row + c] << 24) >> 24) - zeroPoint
                sum = (sum + d * d) | 0
            }
            const inv = invSqrtQuantizedMultiplierExp(sum)
            for (let c = 0; c < depth; c++) {
                const d = ((input[inputAt + row + c] << 24) >> 24) - zeroPoint
                // The 1/128 output scale folded into the shift.
                const v = multiplyByQuantizedMultiplier(d, inv[0], inv[1] + 7)
                output[outputAt + row + c] = Math.max(-128, Math.min(127, v)) & 0xff
            }
        }
    }
}
