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
    //
    // L2_POOL_2D (float32 only in TFLM): AVERAGE_POOL_2D's window and parameter block (kernel_pool.ts
    // PoolParams), each output sqrtf(sum of squares / count) in float32, clamped by the activation.
    // Its own prepare, so that the board's default pool prepare stays as it is.
    //
    // LOG_SOFTMAX along the last dimension (float32; TFLM's int8 fixed-point path is not done
    // here yet and is refused): per row the maximum (std::max, which skips a NaN after the first
    // value), the float32 sum of expf(x - max), logf of it, and x - max - log_sum in that order.
    // It shares L2NormParams' block (input, output, rows, row length).

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
        registerBuiltin(BuiltinOp.L2_POOL_2D, prepareL2Pool)
        registerBody("l2_pool_2d_float", l2PoolFloat)
        registerBuiltin(BuiltinOp.LOG_SOFTMAX, prepareLogSoftmax)
        registerBody("log_softmax_float", logSoftmaxFloat)
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

    const enum L2PoolOptions { Padding = 0, StrideWidth = 1, StrideHeight = 2, FilterWidth = 3, FilterHeight = 4, FusedActivation = 5 }

    /** kernel_pool.ts preparePool's checks and messages (TFLM's L2Prepare, plus the float32 type it evaluates). */
    function prepareL2Pool(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        op.check(!!input && op.inputs.length === 1 && op.outputs.length === 1, "needs one input and one output")
        op.check(input.rank() === 4, "the input must be 4-D (NHWC), not " + input.describe())
        op.check(output.rank() === 4, "the output must be 4-D (NHWC), not " + output.describe())
        op.check(input.type === output.type, "input " + typeName(input.type) + " and output " + typeName(output.type) + " types differ")
        op.check(input.type === TensorType.Float32, "unsupported type " + typeName(input.type) + " of " + input.describe() + " (TFLM takes FLOAT32)")
        const padding = op.optByte(L2PoolOptions.Padding, Padding.Same)
        const strideWidth = op.optInt(L2PoolOptions.StrideWidth, 0)
        const strideHeight = op.optInt(L2PoolOptions.StrideHeight, 0)
        const filterWidth = op.optInt(L2PoolOptions.FilterWidth, 0)
        const filterHeight = op.optInt(L2PoolOptions.FilterHeight, 0)
        const activation = op.optByte(L2PoolOptions.FusedActivation, Activation.None)
        op.check(padding === Padding.Same || padding === Padding.Valid, "unknown padding " + padding)
        op.check(strideWidth > 0 && strideHeight > 0, "strides must be positive, not " + strideHeight + "x" + strideWidth)
        op.check(filterWidth > 0 && filterHeight > 0, "the filter size must be positive, not " + filterHeight + "x" + filterWidth)
        op.check(activation === Activation.None || activation === Activation.Relu ||
            activation === Activation.Relu6 || activation === Activation.ReluN1To1, "unsupported fused activation " + activation)
        const inputHeight = input.dim(1)
        const inputWidth = input.dim(2)
        const outputHeight = poolOutputSize(padding, inputHeight, filterHeight, strideHeight)
        const outputWidth = poolOutputSize(padding, inputWidth, filterWidth, strideWidth)
        op.check(outputHeight > 0 && outputWidth > 0, "the " + filterHeight + "x" + filterWidth +
            " filter does not fit the " + inputHeight + "x" + inputWidth + " input with VALID padding")
        // TFLM writes the output's shape from these; a model's other shape would be overrun.
        op.check(output.dim(0) === input.dim(0) && output.dim(1) === outputHeight &&
            output.dim(2) === outputWidth && output.dim(3) === input.dim(3),
            "output " + output.describe() + " must be [" + input.dim(0) + "," + outputHeight + "," +
            outputWidth + "," + input.dim(3) + "] for input " + input.describe())
        const p = op.useBody("l2_pool_2d_float", PoolParams.Words)
        op.paramTensor(PoolParams.Input, input)
        op.paramTensor(PoolParams.Output, output)
        setParams(p, PoolParams.Batches, [input.dim(0), inputHeight, inputWidth, input.dim(3), outputHeight, outputWidth,
            strideHeight, strideWidth, filterHeight, filterWidth,
            poolPadding(inputHeight, filterHeight, strideHeight, outputHeight),
            poolPadding(inputWidth, filterWidth, strideWidth, outputWidth)])
        const range = floatActivationRange(activation)
        setParamFloat(p, PoolParams.ActivationMin, range[0])
        setParamFloat(p, PoolParams.ActivationMax, range[1])
    }

    export function l2PoolFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, PoolParams.Input, model, arena)
        const inputAt = paramOffset(p, PoolParams.Input)
        const output = paramBuffer(p, PoolParams.Output, model, arena)
        let to = paramOffset(p, PoolParams.Output)
        const batches = param(p, PoolParams.Batches), inputHeight = param(p, PoolParams.InputHeight)
        const inputWidth = param(p, PoolParams.InputWidth), depth = param(p, PoolParams.Depth)
        const outputHeight = param(p, PoolParams.OutputHeight), outputWidth = param(p, PoolParams.OutputWidth)
        const strideHeight = param(p, PoolParams.StrideHeight), strideWidth = param(p, PoolParams.StrideWidth)
        const filterHeight = param(p, PoolParams.FilterHeight), filterWidth = param(p, PoolParams.FilterWidth)
        const padHeight = param(p, PoolParams.PaddingHeight), padWidth = param(p, PoolParams.PaddingWidth)
        const lo = paramFloat(p, PoolParams.ActivationMin), hi = paramFloat(p, PoolParams.ActivationMax)
        for (let b = 0; b < batches; b++)
            for (let outY = 0; outY < outputHeight; outY++) {
                const originY = outY * strideHeight - padHeight
                const yStart = Math.max(0, -originY), yEnd = Math.min(filterHeight, inputHeight - originY)
                for (let outX = 0; outX < outputWidth; outX++) {
                    const originX = outX * strideWidth - padWidth
                    const xStart = Math.max(0, -originX), xEnd = Math.min(filterWidth, inputWidth - originX)
                    for (let c = 0; c < depth; c++) {
                        let sum = 0
                        let count = 0
                        for (let fy = yStart; fy < yEnd; fy++) {
                            const row = (b * inputHeight + originY + fy) * inputWidth
                            for (let fx = xStart; fx < xEnd; fx++) {
                                const v = input.getNumber(NumberFormat.Float32LE, inputAt + 4 * ((row + originX + fx) * depth + c))
                                sum = f32(sum + f32(v * v))
                                count++
                            }
                        }
                        // The count as a float32, then sqrtf of the float32 quotient; TFLM's
                        // min(max(x, lo), hi) keeps a NaN.
                        let v = f32(Math.sqrt(f32(sum / count)))
                        if (v < lo) v = lo
                        if (v > hi) v = hi
                        output.setNumber(NumberFormat.Float32LE, to, v)
                        to += 4
                    }
                }
            }
    }

    function prepareLogSoftmax(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        op.check(!!input && op.inputs.length === 1 && op.outputs.length === 1, "needs one input and one output")
        op.check(input.type === output.type, output.describe() + " must have the type of " + input.describe())
        let same = output.rank() === input.rank()
        for (let i = 0; same && i < input.rank(); i++) same = output.dim(i) === input.dim(i)
        op.check(same, "output " + output.describe() + " must have the shape of " + input.describe())
        op.check(input.type === TensorType.Float32, "unsupported type " + typeName(input.type) + " of " + input.describe() +
            " (TFLM also takes INT8, which is not done here yet; FLOAT32 is)")
        // A scalar has no last dimension: TFLM would read the dimension before the first.
        op.check(input.rank() >= 1, "the input must have at least one dimension, not " + input.describe())
        const depth = input.dim(input.rank() - 1)
        const p = op.useBody("log_softmax_float", L2NormParams.Words)
        op.paramTensor(L2NormParams.Input, input)
        op.paramTensor(L2NormParams.Output, output)
        setParam(p, L2NormParams.OuterSize, depth === 0 ? 0 : Math.idiv(input.elementCount(), depth))
        setParam(p, L2NormParams.Depth, depth)
        setParam(p, L2NormParams.InputZeroPoint, 0)
    }

    export function logSoftmaxFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, L2NormParams.Input, model, arena)
        const inputAt = paramOffset(p, L2NormParams.Input)
        const output = paramBuffer(p, L2NormParams.Output, model, arena)
        const outputAt = paramOffset(p, L2NormParams.Output)
        const outer = param(p, L2NormParams.OuterSize), depth = param(p, L2NormParams.Depth)
        for (let i = 0; i < outer; i++) {
            const row = 4 * depth * i
            let max = -FLOAT32_MAX
            for (let c = 0; c < depth; c++) {
                const v = input.getNumber(NumberFormat.Float32LE, inputAt + row + 4 * c)
                if (max < v) max = v
            }
            let sum = 0
            for (let c = 0; c < depth; c++)
                sum = f32(sum + libmExpf(f32(input.getNumber(NumberFormat.Float32LE, inputAt + row + 4 * c) - max)))
            const logSum = libmLogf(sum)
            for (let c = 0; c < depth; c++)
                output.setNumber(NumberFormat.Float32LE, outputAt + row + 4 * c,
                    f32(f32(input.getNumber(NumberFormat.Float32LE, inputAt + row + 4 * c) - max) - logSum))
        }
    }
}
