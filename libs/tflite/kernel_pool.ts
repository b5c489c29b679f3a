namespace tflite {
    // AVERAGE_POOL_2D and MAX_POOL_2D over NHWC tensors.
    //
    // Each output pixel looks at a filter_height x filter_width window of its channel, placed every
    // stride pixels and shifted up/left by the padding. The window is clipped to the input: padding
    // contributes nothing, so an average divides by the number of real pixels it covered.
    // Quantized pools keep the input's scale and zero point, so no rescaling is needed: averages
    // are rounded to nearest with halves away from zero (integer division, as TFLM).

    /** Parameter block of the average_pool_2d_* and max_pool_2d_* bodies (words). */
    export const enum PoolParams {
        Input = 0, Output = 2,
        Batches = 4, InputHeight = 5, InputWidth = 6, Depth = 7, OutputHeight = 8, OutputWidth = 9,
        StrideHeight = 10, StrideWidth = 11, FilterHeight = 12, FilterWidth = 13,
        /** Rows and columns of padding before the first input pixel. */
        PaddingHeight = 14, PaddingWidth = 15,
        /** Clamp bounds: int32 for quantized bodies, float32 bits for the float bodies. */
        ActivationMin = 16, ActivationMax = 17,
        Words = 18,
    }

    const enum Pool2DOptions { Padding = 0, StrideWidth = 1, StrideHeight = 2, FilterWidth = 3, FilterHeight = 4, FusedActivation = 5 }

    export function registerPoolKernels(): void {
        registerBuiltin(BuiltinOp.AVERAGE_POOL_2D, preparePool)
        registerBuiltin(BuiltinOp.MAX_POOL_2D, preparePool)
        registerBody("average_pool_2d_int8", averagePoolInt8)
        registerBody("average_pool_2d_int16", averagePoolInt16)
        registerBody("average_pool_2d_float", averagePoolFloat)
        registerBody("max_pool_2d_int8", maxPoolInt8)
        registerBody("max_pool_2d_int16", maxPoolInt16)
        registerBody("max_pool_2d_float", maxPoolFloat)
    }

    /**
     * Output size along one axis, as TFLM's ComputeOutSize: SAME covers every input pixel,
     * VALID keeps only windows that fit entirely (C division truncates toward zero).
     */
    export function poolOutputSize(padding: number, inSize: number, filterSize: number, stride: number): number {
        if (padding === Padding.Same) return Math.idiv(inSize + stride - 1, stride)
        return Math.idiv(inSize + stride - filterSize, stride)
    }

    /** Padding before the first pixel along one axis, as TFLM's ComputePaddingWithOffset (the odd pixel goes after). */
    export function poolPadding(inSize: number, filterSize: number, stride: number, outSize: number): number {
        const total = (outSize - 1) * stride + filterSize - inSize
        return total > 0 ? total >> 1 : 0
    }

    /** AVERAGE_POOL_2D's, MAX_POOL_2D's and L2_POOL_2D's prepare (kernel_l2.ts has L2_POOL_2D's body). */
    export function preparePool(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        op.check(!!input && !!output, "needs an input and an output")
        // TFLM's L2Prepare also counts the tensors.
        const l2 = op.opcode === BuiltinOp.L2_POOL_2D
        op.check(!l2 || (op.inputs.length === 1 && op.outputs.length === 1), "needs one input and one output")
        op.check(input.rank() === 4, "the input must be 4-D (NHWC), not " + input.describe())
        op.check(output.rank() === 4, "the output must be 4-D (NHWC), not " + output.describe())
        op.check(input.type === output.type, "input " + typeName(input.type) + " and output " + typeName(output.type) + " types differ")
        const padding = op.optByte(Pool2DOptions.Padding, Padding.Same)
        const strideWidth = op.optInt(Pool2DOptions.StrideWidth, 0)
        const strideHeight = op.optInt(Pool2DOptions.StrideHeight, 0)
        const filterWidth = op.optInt(Pool2DOptions.FilterWidth, 0)
        const filterHeight = op.optInt(Pool2DOptions.FilterHeight, 0)
        const activation = op.optByte(Pool2DOptions.FusedActivation, Activation.None)
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
        op.check(output.dim(0) === input.dim(0) && output.dim(1) === outputHeight &&
            output.dim(2) === outputWidth && output.dim(3) === input.dim(3),
            "output " + output.describe() + " must be [" + input.dim(0) + "," + outputHeight + "," +
            outputWidth + "," + input.dim(3) + "] for input " + input.describe())

        const average = op.opcode === BuiltinOp.AVERAGE_POOL_2D
        let variant = ""
        if (input.type === TensorType.Float32) variant = "float"
        // TFLM evaluates L2_POOL_2D in float32 only.
        else if (l2) op.check(false, "unsupported type " + typeName(input.type) + " of " + input.describe() + " (TFLM takes FLOAT32)")
        else if (input.type === TensorType.Int8) variant = "int8"
        else if (input.type === TensorType.Int16) variant = "int16"
        else op.check(false, "unsupported input type " + typeName(input.type))
        if (input.type !== TensorType.Float32) {
            // The pool does not rescale: TFLM requires the output to share the input's quantization.
            op.check(Math.abs(input.scale - output.scale) <= 1.0e-6 && input.zeroPoint === output.zeroPoint,
                "input and output quantization differ (scale " + input.scale + " vs " + output.scale +
                ", zero point " + input.zeroPoint + " vs " + output.zeroPoint + ")")
        }

        const p = op.useBody((l2 ? "l2_pool_2d_" : average ? "average_pool_2d_" : "max_pool_2d_") + variant, PoolParams.Words)
        op.paramTensor(PoolParams.Input, input)
        op.paramTensor(PoolParams.Output, output)
        setParams(p, PoolParams.Batches, [input.dim(0), inputHeight, inputWidth, input.dim(3), outputHeight, outputWidth,
            strideHeight, strideWidth, filterHeight, filterWidth,
            poolPadding(inputHeight, filterHeight, strideHeight, outputHeight),
            poolPadding(inputWidth, filterWidth, strideWidth, outputWidth)])
        if (input.type === TensorType.Float32) {
            const range = floatActivationRange(activation)
            // Without an activation the bounds are +-FLT_MAX, so an infinite input is clamped to them.
            setParamFloat(p, PoolParams.ActivationMin, range[0])
            setParamFloat(p, PoolParams.ActivationMax, range[1])
        } else {
            const range = quantizedActivationRange(activation, output)
            setParam(p, PoolParams.ActivationMin, range[0])
            setParam(p, PoolParams.ActivationMax, range[1])
        }
    }

    // The window of output pixel (outY, outX), clipped to the input, is rows
    // [max(0, -originY), min(filterHeight, inputHeight - originY)) from originY = outY * stride - padding
    // (columns alike). Prepare checked the output size, so no window is empty.

    /**
     * Sum of a window of integers, rounded to nearest (halves away from zero) over the count.
     * `elementBytes` is 1 (int8) or 2 (int16).
     */
    function averagePoolInteger(p: Buffer, model: Buffer, arena: Buffer, elementBytes: number): void {
        const input = paramBuffer(p, PoolParams.Input, model, arena)
        const inputAt = paramOffset(p, PoolParams.Input)
        const output = paramBuffer(p, PoolParams.Output, model, arena)
        const outputAt = paramOffset(p, PoolParams.Output)
        const batches = param(p, PoolParams.Batches)
        const inputHeight = param(p, PoolParams.InputHeight)
        const inputWidth = param(p, PoolParams.InputWidth)
        const depth = param(p, PoolParams.Depth)
        const outputHeight = param(p, PoolParams.OutputHeight)
        const outputWidth = param(p, PoolParams.OutputWidth)
        const strideHeight = param(p, PoolParams.StrideHeight)
        const strideWidth = param(p, PoolParams.StrideWidth)
        const filterHeight = param(p, PoolParams.FilterHeight)
        const filterWidth = param(p, PoolParams.FilterWidth)
        const padHeight = param(p, PoolParams.PaddingHeight)
        const padWidth = param(p, PoolParams.PaddingWidth)
        const actMin = param(p, PoolParams.ActivationMin)
        const actMax = param(p, PoolParams.ActivationMax)
        const format = elementBytes === 1 ? NumberFormat.Int8LE : NumberFormat.Int16LE
        let o = 0
        for (let b = 0; b < batches; b++) {
            for (let outY = 0; outY < outputHeight; outY++) {
                const originY = outY * strideHeight - padHeight
                const yStart = Math.max(0, -originY)
                const yEnd = Math.min(filterHeight, inputHeight - originY)
                for (let outX = 0; outX < outputWidth; outX++) {
                    const originX = outX * strideWidth - padWidth
                    const xStart = Math.max(0, -originX)
                    const xEnd = Math.min(filterWidth, inputWidth - originX)
                    const count = (yEnd - yStart) * (xEnd - xStart)
                    const half = count >> 1
                    for (let c = 0; c < depth; c++) {
                        let acc = 0
                        for (let fy = yStart; fy < yEnd; fy++) {
                            const row = (b * inputHeight + originY + fy) * inputWidth
                            for (let fx = xStart; fx < xEnd; fx++)
                                acc += input.getNumber(format, inputAt + elementBytes * ((row + originX + fx) * depth + c))
                        }
                        // C's division truncates toward zero; adding half the count first rounds.
                        acc = acc > 0 ? Math.idiv(acc + half, count) : Math.idiv(acc - half, count)
                        // Clamped inline: a call per element is slow in the simulator (kernel_api.ts).
                        output.setNumber(format, outputAt + elementBytes * o, acc < actMin ? actMin : acc > actMax ? actMax : acc)
                        o++
                    }
                }
            }
        }
    }

    export function averagePoolInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        averagePoolInteger(p, model, arena, 1)
    }

    export function averagePoolInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        averagePoolInteger(p, model, arena, 2)
    }

    export function averagePoolFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, PoolParams.Input, model, arena)
        const inputAt = paramOffset(p, PoolParams.Input)
        const output = paramBuffer(p, PoolParams.Output, model, arena)
        const outputAt = paramOffset(p, PoolParams.Output)
        const batches = param(p, PoolParams.Batches)
        const inputHeight = param(p, PoolParams.InputHeight)
        const inputWidth = param(p, PoolParams.InputWidth)
        const depth = param(p, PoolParams.Depth)
        const outputHeight = param(p, PoolParams.OutputHeight)
        const outputWidth = param(p, PoolParams.OutputWidth)
        const strideHeight = param(p, PoolParams.StrideHeight)
        const strideWidth = param(p, PoolParams.StrideWidth)
        const filterHeight = param(p, PoolParams.FilterHeight)
        const filterWidth = param(p, PoolParams.FilterWidth)
        const padHeight = param(p, PoolParams.PaddingHeight)
        const padWidth = param(p, PoolParams.PaddingWidth)
        const actMin = paramFloat(p, PoolParams.ActivationMin)
        const actMax = paramFloat(p, PoolParams.ActivationMax)
        let o = 0
        for (let b = 0; b < batches; b++) {
            for (let outY = 0; outY < outputHeight; outY++) {
                const originY = outY * strideHeight - padHeight
                const yStart = Math.max(0, -originY)
                const yEnd = Math.min(filterHeight, inputHeight - originY)
                for (let outX = 0; outX < outputWidth; outX++) {
                    const originX = outX * strideWidth - padWidth
                    const xStart = Math.max(0, -originX)
                    const xEnd = Math.min(filterWidth, inputWidth - originX)
                    const count = (yEnd - yStart) * (xEnd - xStart)
                    for (let c = 0; c < depth; c++) {
                        // float32 sum in TFLM's order, rounded after every addition.
                        let total = 0
                        for (let fy = yStart; fy < yEnd; fy++) {
                            const row = (b * inputHeight + originY + fy) * inputWidth
                            for (let fx = xStart; fx < xEnd; fx++)
                                total = f32(total + input.getNumber(NumberFormat.Float32LE, inputAt + 4 * ((row + originX + fx) * depth + c)))
                        }
                        output.setNumber(NumberFormat.Float32LE, outputAt + 4 * o, clamp(f32(total / count), actMin, actMax))
                        o++
                    }
                }
            }
        }
    }

    /** Largest integer of each window (starting from the type's minimum), then clamped. */
    function maxPoolInteger(p: Buffer, model: Buffer, arena: Buffer, elementBytes: number): void {
        const input = paramBuffer(p, PoolParams.Input, model, arena)
        const inputAt = paramOffset(p, PoolParams.Input)
        const output = paramBuffer(p, PoolParams.Output, model, arena)
        const outputAt = paramOffset(p, PoolParams.Output)
        const batches = param(p, PoolParams.Batches)
        const inputHeight = param(p, PoolParams.InputHeight)
        const inputWidth = param(p, PoolParams.InputWidth)
        const depth = param(p, PoolParams.Depth)
        const outputHeight = param(p, PoolParams.OutputHeight)
        const outputWidth = param(p, PoolParams.OutputWidth)
        const strideHeight = param(p, PoolParams.StrideHeight)
        const strideWidth = param(p, PoolParams.StrideWidth)
        const filterHeight = param(p, PoolParams.FilterHeight)
        const filterWidth = param(p, PoolParams.FilterWidth)
        const padHeight = param(p, PoolParams.PaddingHeight)
        const padWidth = param(p, PoolParams.PaddingWidth)
        const actMin = param(p, PoolParams.ActivationMin)
        const actMax = param(p, PoolParams.ActivationMax)
        const format = elementBytes === 1 ? NumberFormat.Int8LE : NumberFormat.Int16LE
        const lowest = elementBytes === 1 ? -128 : -32768
        let o = 0
        for (let b = 0; b < batches; b++) {
            for (let outY = 0; outY < outputHeight; outY++) {
                const originY = outY * strideHeight - padHeight
                const yStart = Math.max(0, -originY)
                const yEnd = Math.min(filterHeight, inputHeight - originY)
                for (let outX = 0; outX < outputWidth; outX++) {
                    const originX = outX * strideWidth - padWidth
                    const xStart = Math.max(0, -originX)
                    const xEnd = Math.min(filterWidth, inputWidth - originX)
                    for (let c = 0; c < depth; c++) {
                        let max = lowest
                        for (let fy = yStart; fy < yEnd; fy++) {
                            const row = (b * inputHeight + originY + fy) * inputWidth
                            for (let fx = xStart; fx < xEnd; fx++) {
                                const v = input.getNumber(format, inputAt + elementBytes * ((row + originX + fx) * depth + c))
                                if (v > max) max = v
                            }
                        }
                        // Clamped inline: a call per element is slow in the simulator (kernel_api.ts).
                        output.setNumber(format, outputAt + elementBytes * o, max < actMin ? actMin : max > actMax ? actMax : max)
                        o++
                    }
                }
            }
        }
    }

    export function maxPoolInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        maxPoolInteger(p, model, arena, 1)
    }

    export function maxPoolInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        maxPoolInteger(p, model, arena, 2)
    }

    export function maxPoolFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, PoolParams.Input, model, arena)
        const inputAt = paramOffset(p, PoolParams.Input)
        const output = paramBuffer(p, PoolParams.Output, model, arena)
        const outputAt = paramOffset(p, PoolParams.Output)
        const batches = param(p, PoolParams.Batches)
        const inputHeight = param(p, PoolParams.InputHeight)
        const inputWidth = param(p, PoolParams.InputWidth)
        const depth = param(p, PoolParams.Depth)
        const outputHeight = param(p, PoolParams.OutputHeight)
        const outputWidth = param(p, PoolParams.OutputWidth)
        const strideHeight = param(p, PoolParams.StrideHeight)
        const strideWidth = param(p, PoolParams.StrideWidth)
        const filterHeight = param(p, PoolParams.FilterHeight)
        const filterWidth = param(p, PoolParams.FilterWidth)
        const padHeight = param(p, PoolParams.PaddingHeight)
        const padWidth = param(p, PoolParams.PaddingWidth)
        const actMin = paramFloat(p, PoolParams.ActivationMin)
        const actMax = paramFloat(p, PoolParams.ActivationMax)
        let o = 0
        for (let b = 0; b < batches; b++) {
            for (let outY = 0; outY < outputHeight; outY++) {
                const originY = outY * strideHeight - padHeight
                const yStart = Math.max(0, -originY)
                const yEnd = Math.min(filterHeight, inputHeight - originY)
                for (let outX = 0; outX < outputWidth; outX++) {
                    const originX = outX * strideWidth - padWidth
                    const xStart = Math.max(0, -originX)
                    const xEnd = Math.min(filterWidth, inputWidth - originX)
                    for (let c = 0; c < depth; c++) {
                        // std::max(max, v) keeps max unless max < v: a NaN input is skipped, as in C.
                        let max = -FLOAT32_MAX
                        for (let fy = yStart; fy < yEnd; fy++) {
                            const row = (b * inputHeight + originY + fy) * inputWidth
                            for (let fx = xStart; fx < xEnd; fx++) {
                                const v = input.getNumber(NumberFormat.Float32LE, inputAt + 4 * ((row + originX + fx) * depth + c))
                                if (max < v) max = v
                            }
                        }
                        output.setNumber(NumberFormat.Float32LE, outputAt + 4 * o, clamp(max, actMin, actMax))
                        o++
                    }
                }
            }
        }
    }
}
