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
    // kernel_pool.ts preparePool prepares it (in C prepare_pool.c, its L2 lines only in all-ops
    // builds, so that the board's default pool prepare stays as it is).
    //
    // LOG_SOFTMAX along the last dimension, TFLM's two types:
    // - float32: per row the maximum (std::max, which skips a NaN after the first value), the
    //   float32 sum of expf(x - max), logf of it, and x - max - log_sum in that order.
    // - int8, TFLM's gemmlowp fixed-point path (reference_ops::LogSoftmaxQuantized): each difference
    //   from the row maximum rescaled into Q5.26 by the input scale (PreprocessLogSoftmaxScalingExp),
    //   exp_on_negative_values of it summed in Q12.19 (kernel_softmax.ts's helpers, as SOFTMAX int8),
    //   log_x_for_x_greater_than_or_equal_to_1 of the sum in Q5.26, and each output
    //   (diff - log_sum) / 2^22 + 127: TFLM fixes the output at scale 16/256, zero point 127.
    //   Differences below diff_min (whose rescaling would overflow) count for nothing in the sum;
    //   those at or below the adjusted minimum (log_sum - 2^31 mapped back to input units) give -128.

    /** Parameter block of l2_normalization_float and l2_normalization_int8 (words). */
    export const enum L2NormParams {
        Input = 0, Output = 2,
        /** Rows (the product of every dimension but the last) and the length of each row. */
        OuterSize = 4, Depth = 5,
        /** l2_normalization_int8: the input's zero point. */
        InputZeroPoint = 6,
        Words = 7,
    }

    /** Parameter block of log_softmax_float and log_softmax_int8 (words). */
    export const enum LogSoftmaxParams {
        Input = 0, Output = 2,
        /** Rows (the product of every dimension but the last) and the length of each row. */
        OuterSize = 4, Depth = 5,
        /** log_softmax_int8: the multiplier and left shift (>= 1) that rescale a difference of inputs into Q5.26. */
        InputMultiplier = 6, InputLeftShift = 7,
        /** log_softmax_int8: the multiplier and shift (<= 0) that take a Q5.26 value back to input units. */
        ReverseScalingDivisor = 8, ReverseScalingShift = 9,
        /** log_softmax_int8: differences from the row maximum below this are left out of the sum. */
        DiffMin = 10,
        Words = 11,
    }

    const enum L2NormOptions { FusedActivation = 0 }

    export function registerL2Kernels(): void {
        registerBuiltin(BuiltinOp.L2_NORMALIZATION, prepareL2Normalization)
        registerBody("l2_normalization_float", l2NormalizationFloat)
        registerBody("l2_normalization_int8", l2NormalizationInt8)
        registerBuiltin(BuiltinOp.L2_POOL_2D, preparePool)
        registerBody("l2_pool_2d_float", l2PoolFloat)
        registerBuiltin(BuiltinOp.LOG_SOFTMAX, prepareLogSoftmax)
        registerBody("log_softmax_float", logSoftmaxFloat)
        registerBody("log_softmax_int8", logSoftmaxInt8)
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

    /** Integer bits of TFLM's int8 LOG_SOFTMAX differences from the row maximum (Q5.26). */
    const LOG_SOFTMAX_DIFF_INTEGER_BITS = 5
    /** Integer bits of its sum of exps (Q12.19). */
    const LOG_SOFTMAX_SUM_INTEGER_BITS = 12

    function prepareLogSoftmax(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        op.check(!!input && op.inputs.length === 1 && op.outputs.length === 1, "needs one input and one output")
        op.check(input.type === output.type, output.describe() + " must have the type of " + input.describe())
        let same = output.rank() === input.rank()
        for (let i = 0; same && i < input.rank(); i++) same = output.dim(i) === input.dim(i)
        op.check(same, "output " + output.describe() + " must have the shape of " + input.describe())
        const float = input.type === TensorType.Float32
        op.check(float || input.type === TensorType.Int8, "unsupported type " + typeName(input.type) + " of " + input.describe() +
            " (TFLM takes FLOAT32, INT8)")
        // A scalar has no last dimension: TFLM would read the dimension before the first.
        op.check(input.rank() >= 1, "the input must have at least one dimension, not " + input.describe())
        const depth = input.dim(input.rank() - 1)
        let multiplier: number[] = null
        let reverse: number[] = null
        if (!float) {
            op.check(output.scale === 16 / 256 && output.zeroPoint === 127,
                "an int8 output must have scale 16/256 and zero point 127 (TFLM's), not scale " + output.scale + " and zero point " + output.zeroPoint)
            // Each exp is at most 2^19 in Q12.19: 4,096 of them overflow TFLM's int32 sum.
            op.check(depth < 4096, "rows of " + depth + " values are too long for the int8 log softmax (at most 4095)")
            // PreprocessLogSoftmaxScalingExp with beta 1: the input scale as a Q5.26 multiplier
            // (capped below 2^31), then 2^(31 - left shift) / multiplier, which takes Q5.26 back.
            const real = Math.min(input.scale * (1 << (31 - LOG_SOFTMAX_DIFF_INTEGER_BITS)), 2147483647)
            multiplier = quantizeMultiplier(real)
            op.check(real > 1, "the scale of " + input.describe() + " times 2^26 is " + real + ", too small for the int8 log softmax (TFLM needs more than 1)")
            // real > 1 makes the left shift 1 to 31 and this divisor below 1.
            reverse = quantizeMultiplier(Math.pow(2, 31 - multiplier[1]) / multiplier[0])
        }
        const p = op.useBody(float ? "log_softmax_float" : "log_softmax_int8", LogSoftmaxParams.Words)
        op.paramTensor(LogSoftmaxParams.Input, input)
        op.paramTensor(LogSoftmaxParams.Output, output)
        setParam(p, LogSoftmaxParams.OuterSize, depth === 0 ? 0 : Math.idiv(input.elementCount(), depth))
        setParam(p, LogSoftmaxParams.Depth, depth)
        if (!float) {
            setParam(p, LogSoftmaxParams.InputMultiplier, multiplier[0])
            setParam(p, LogSoftmaxParams.InputLeftShift, multiplier[1])
            setParam(p, LogSoftmaxParams.ReverseScalingDivisor, reverse[0])
            setParam(p, LogSoftmaxParams.ReverseScalingShift, reverse[1])
            setParam(p, LogSoftmaxParams.DiffMin, -calculateInputRadius(LOG_SOFTMAX_DIFF_INTEGER_BITS, multiplier[1], 31))
        }
    }

    export function logSoftmaxFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, LogSoftmaxParams.Input, model, arena)
        const inputAt = paramOffset(p, LogSoftmaxParams.Input)
        const output = paramBuffer(p, LogSoftmaxParams.Output, model, arena)
        const outputAt = paramOffset(p, LogSoftmaxParams.Output)
        const outer = param(p, LogSoftmaxParams.OuterSize), depth = param(p, LogSoftmaxParams.Depth)
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

    export function logSoftmaxInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, LogSoftmaxParams.Input, model, arena)
        const inputAt = paramOffset(p, LogSoftmaxParams.Input)
        const output = paramBuffer(p, LogSoftmaxParams.Output, model, arena)
        const outputAt = paramOffset(p, LogSoftmaxParams.Output)
        const outer = param(p, LogSoftmaxParams.OuterSize), depth = param(p, LogSoftmaxParams.Depth)
        const multiplier = param(p, LogSoftmaxParams.InputMultiplier), leftShift = param(p, LogSoftmaxParams.InputLeftShift)
        const divisor = param(p, LogSoftmaxParams.ReverseScalingDivisor), divisorShift = param(p, LogSoftmaxParams.ReverseScalingShift)
        const diffMin = param(p, LogSoftmaxParams.DiffMin)
        for (let i = 0; i < outer; i++) {
            const row = inputAt + depth * i
            let max = -128
            for (let c = 0; c < depth; c++) max = Math.max(max, int8At(input, row, c))
            let sum = 0
            for (let c = 0; c < depth; c++) {
                const diff = int8At(input, row, c) - max
                if (diff >= diffMin) {
                    const exp = expOnNegativeValues(multiplyByQuantizedMultiplier(diff, multiplier, leftShift), LOG_SOFTMAX_DIFF_INTEGER_BITS)
                    // Q0.31 to Q12.19 (gemmlowp's Rescale), wrapping as TFLM's int32 sum.
                    sum = (sum + roundingDivideByPOT(exp, LOG_SOFTMAX_SUM_INTEGER_BITS)) | 0
                }
            }
            const logSum = logOfAtLeastOne(sum)
            // log_sum - 2^31, the smallest Q5.26 value a difference can have after the subtraction, in input units.
            const adjustedDiffMin = Math.max(diffMin - 1, multiplyByQuantizedMultiplier((logSum + INT32_MIN) | 0, divisor, divisorShift))
            for (let c = 0; c < depth; c++) {
                const diff = int8At(input, row, c) - max
                let out = -128
                if (diff > adjustedDiffMin) {
                    // Q5.26 to the output's Q4 (16/256 units): 31 - 5 - 4 bits off, around 127.
                    const scaled = multiplyByQuantizedMultiplier(diff, multiplier, leftShift)
                    out = clamp(roundingDivideByPOT((scaled - logSum) | 0, 22) + 127, -128, 127)
                }
                output[outputAt + depth * i + c] = out & 0xff
            }
        }
    }

    /**
     * gemmlowp's log_x_for_x_greater_than_or_equal_to_1 of a Q12.19 value, in Q5.26 (TFLM's common.h,
     * accumulating in Q6.25): x = 2^z * m, the larger of two estimates of z (from x and from
     * x * sqrt(1/2), each adjusted by 1/4), plus log(m) by a rational approximation around
     * 2^(-1/4) whose reciprocal is one_over_one_plus_x_for_x_in_0_1.
     */
    function logOfAtLeastOne(x: number): number {
        const log2 = 1488522236, sqrtSqrtHalf = 1805811301, sqrtHalf = 1518500250
        const alphaN = 117049297, alphaD = 127690142, alphaI = 1057819769, alphaF = 638450708
        // 1/4 in Q6.25.
        const shiftedQuarter = 1 << 23
        const inputIntegerBits = LOG_SOFTMAX_SUM_INTEGER_BITS
        // x's raw read as Q0.31, shifted up to its top bit.
        const headroomPlusOne = countLeadingZeros32(x)
        const rA = saturatingShiftLeft(saturatingRoundingDoublingHighMul(saturatingShiftLeft(x, headroomPlusOne - 1), sqrtHalf), 1)
        const zAPow2Adj = saturatingAdd32((inputIntegerBits - headroomPlusOne) << 25, shiftedQuarter)
        const zB = saturatingRoundingDoublingHighMul(x, sqrtHalf)
        const zBHeadroom = countLeadingZeros32(zB) - 1
        const rB = saturatingShiftLeft(x, zBHeadroom)
        const zBPow2Adj = saturatingAdd32((inputIntegerBits - zBHeadroom) << 25, -shiftedQuarter)
        const r = Math.min(rA, rB)
        const zPow2Adj = Math.max(zAPow2Adj, zBPow2Adj)
        const p = roundingHalfSum(r, sqrtSqrtHalf)
        let q = (r - sqrtSqrtHalf) | 0
        q = (q + q) | 0
        const commonSq = saturatingRoundingDoublingHighMul(q, q)
        const num = (saturatingRoundingDoublingHighMul(q, r) +
            saturatingRoundingDoublingHighMul(saturatingRoundingDoublingHighMul(q, commonSq), alphaN)) | 0
        const denomMinusOne = (saturatingRoundingDoublingHighMul(p, (((alphaI + q) | 0) + saturatingRoundingDoublingHighMul(alphaD, commonSq)) | 0) +
            saturatingRoundingDoublingHighMul(alphaF, q)) | 0
        const recipDenom = oneOverOnePlusXForXIn01(denomMinusOne)
        const numScaled = roundingDivideByPOT(num, 6)
        const sum = (saturatingRoundingDoublingHighMul(zPow2Adj, log2) + saturatingRoundingDoublingHighMul(numScaled, recipDenom)) | 0
        // Q6.25 to Q5.26.
        return saturatingShiftLeft(sum, 1)
    }

    /** a + b clamped to the int32 range (TFLM's SaturatingAddNonGemmlowp; SaturatingSub is a + -b here, b never INT32_MIN). */
    function saturatingAdd32(a: number, b: number): number {
        return clamp(a + b, INT32_MIN, INT32_MAX)
    }
}
