namespace tflite {
    // SOFTMAX along the last dimension: output[c] = exp(beta * (x[c] - max)) / sum_k exp(beta * (x[k] - max)).
    //
    // float32: computed directly in float, rounded after every step as C does.
    //
    // int8 input (int8 or int16 output), TFLM's gemmlowp fixed-point path: each difference from the
    // row maximum is rescaled by beta * input_scale into Q5.26 (PreprocessSoftmaxScaling), exp() of
    // it is evaluated in Q0.31 (exp_on_negative_values), the exps are summed in Q12.19, and the
    // reciprocal of the sum (one_over_one_plus_x_for_x_in_0_1) scales each exp to the output, whose
    // quantization is fixed: scale 1/256 and zero point -128 (int8), 1/65536 and -32768 (int16).
    // Differences below diff_min (whose exp would vanish, and whose rescaling would overflow) give 0.
    //
    // int16 input and output: differences are rescaled so that [-10, 0] spans the int16 range, exp()
    // and then 1/(1+x) are read from 513-entry interpolated lookup tables built at prepare time.
    // The output has scale 1/32768 and zero point 0.

    /** Parameter block of the softmax_* bodies (words). */
    export const enum SoftmaxParams {
        Input = 0, Output = 2,
        /** Rows (the product of every dimension but the last) and the length of each row. */
        OuterSize = 4, Depth = 5,
        /**
         * Quantized bodies: the multiplier and shift that rescale a difference of input values
         * (int8: Q5.26 with a left shift >= 0; int16: to [-65535, 0] for [-10, 0], any shift).
         */
        InputMultiplier = 6, InputShift = 7,
        /** int8 input: differences from the row maximum below this give an output of 0. */
        DiffMin = 8,
        /** softmax_float: beta, float32 bits. */
        Beta = 9,
        /** softmax_int16: the exp() table over [-10, 0], 513 int16 values packed two per word. */
        ExpLut = 10,
        /** softmax_int16: the 1/(1+x) table over [0, 1], 513 int16 values packed two per word. */
        OneOverOnePlusXLut = 267,
        WordsInt16 = 524,
        Words = 10,
    }

    const enum SoftmaxOptions { Beta = 0 }

    /** Integer bits of the Q5.26 rescaled differences and of the Q12.19 sum of exps (TFLM's constants). */
    const SCALED_DIFF_INTEGER_BITS = 5
    const ACCUMULATION_INTEGER_BITS = 12
    const INT16_LUT_SIZE = 513

    export function registerSoftmaxKernels(): void {
        registerBuiltin(BuiltinOp.SOFTMAX, prepareSoftmax)
        registerBody("softmax_int8", softmaxInt8)
        registerBody("softmax_int8_int16", softmaxInt8Int16)
        registerBody("softmax_int16", softmaxInt16)
        registerBody("softmax_float", softmaxFloat)
    }

    /** TF_LITE_ENSURE_NEAR on floats: |a - b| <= epsilon, the difference taken in float32. */
    function nearFloat(a: number, b: number, epsilon: number): boolean {
        const delta = a > b ? f32(a - b) : f32(b - a)
        return delta <= epsilon
    }

    function prepareSoftmax(op: Operator): void {
        op.check(op.inputs.length === 1 && op.outputs.length === 1, "needs exactly one input and one output")
        const input = op.input(0)
        const output = op.output(0)
        op.check(!!input && !!output, "needs an input and an output")
        op.check(input.rank() >= 1, "the input must have at least one dimension, not " + input.describe())
        const depth = input.dim(input.rank() - 1)
        op.check(output.elementCount() === input.elementCount() && output.rank() >= 1 &&
            output.dim(output.rank() - 1) === depth, "output " + output.describe() + " must have the shape of input " + input.describe())
        op.check(depth > 0, "the last dimension of " + input.describe() + " is empty")
        const beta = op.optFloat(SoftmaxOptions.Beta, 0)

        let p: Buffer = null
        if (input.type === TensorType.Float32) {
            op.check(output.type === TensorType.Float32, "float32 input needs a float32 output, not " + typeName(output.type))
            p = op.useBody("softmax_float", SoftmaxParams.Words)
            setParamFloat(p, SoftmaxParams.Beta, beta)
        } else if (input.type === TensorType.Int8) {
            if (output.type === TensorType.Int8) {
                op.check(output.zeroPoint === -128 && output.scale === 1 / 256,
                    "an int8 output must have scale 1/256 and zero point -128, not scale " + output.scale + " and zero point " + output.zeroPoint)
            } else if (output.type === TensorType.Int16) {
                op.check(output.zeroPoint === -32768 && nearFloat(output.scale, 1 / 65536, f32(0.001 / 65536)),
                    "an int16 output of an int8 input must have scale 1/65536 and zero point -32768, not scale " + output.scale + " and zero point " + output.zeroPoint)
            } else op.check(false, "int8 input needs an int8 or int16 output, not " + typeName(output.type))
            // The sum of exps (each at most 2^19 in Q12.19) must stay below 2^31.
            op.check(depth < 4096, "rows of " + depth + " values are too long for the int8 softmax (at most 4095)")
            // PreprocessSoftmaxScaling: beta * input_scale as a Q5.26 multiplier, capped below 2^31.
            const real = Math.min(beta * input.scale * (1 << (31 - SCALED_DIFF_INTEGER_BITS)), 2147483647)
            const qm = quantizeMultiplier(real)
            op.check(real > 1 && qm[1] >= 0, "beta " + beta + " times input scale " + input.scale +
                " is too small for the int8 softmax (TFLM needs beta * scale * 2^26 > 1)")
            p = op.useBody(output.type === TensorType.Int8 ? "softmax_int8" : "softmax_int8_int16", SoftmaxParams.Words)
            setParam(p, SoftmaxParams.InputMultiplier, qm[0])
            setParam(p, SoftmaxParams.InputShift, qm[1])
            setParam(p, SoftmaxParams.DiffMin, -calculateInputRadius(SCALED_DIFF_INTEGER_BITS, qm[1], 31))
        } else if (input.type === TensorType.Int16) {
            op.check(output.type === TensorType.Int16, "int16 input needs an int16 output, not " + typeName(output.type))
            op.check(input.zeroPoint === 0, "an int16 input must have zero point 0, not " + input.zeroPoint)
            op.check(output.zeroPoint === 0 && nearFloat(output.scale, 1 / 32768, f32(0.001 / 32768)),
                "an int16 output must have scale 1/32768 and zero point 0, not scale " + output.scale + " and zero point " + output.zeroPoint)
            // Rescale differences so that [-65535, 0] stands for [-10, 0], the range of the exp table.
            const qm = quantizeMultiplier(input.scale * beta / (10.0 / 65535.0))
            p = op.useBody("softmax_int16", SoftmaxParams.WordsInt16)
            setParam(p, SoftmaxParams.InputMultiplier, qm[0])
            setParam(p, SoftmaxParams.InputShift, qm[1])
            // TFLM's LUTPopulate<int16_t>: exp over inputs [-10, 0], 1/(1+x) over [0, 1], both into
            // outputs of scale 2/65535 (so 1.0 maps to the int16 maximum).
            const range = 65535
            populateInt16Lut(p, SoftmaxParams.ExpLut, f32(10 / range), 32767, f32(2 / range), 0, false)
            populateInt16Lut(p, SoftmaxParams.OneOverOnePlusXLut, f32(1 / range), -32768, f32(2 / range), 0, true)
        } else op.check(false, "unsupported input type " + typeName(input.type))

        op.paramTensor(SoftmaxParams.Input, input)
        op.paramTensor(SoftmaxParams.Output, output)
        setParam(p, SoftmaxParams.OuterSize, input.elementCount() / depth)
        setParam(p, SoftmaxParams.Depth, depth)
    }

    /** The float functions the int16 tables sample, in float32 as TFLM's lambdas (std::exp of a float is expf). */
    function lutFunction(reciprocal: boolean, x: number): number {
        return reciprocal ? f32(1 / f32(1 + x)) : libmExpf(x)
    }

    /**
     * TFLM's LUTPopulateInt16<float>: 512 samples of f over the input range, each nudged by half
     * the error that linear interpolation makes at the segment's midpoint, and the end value.
     * Every step is float32 arithmetic; rounding is std::round (halves away from zero).
     */
    function populateInt16Lut(p: Buffer, word: number, inputScale: number, inputZeroPoint: number,
        outputScale: number, outputZeroPoint: number, reciprocal: boolean): void {
        const inputMin = f32(inputScale * (-32768 - inputZeroPoint))
        const inputMax = f32(inputScale * (32767 - inputZeroPoint))
        const outputMin = f32(outputScale * (-32768 - outputZeroPoint))
        const outputMax = f32(outputScale * (32767 - outputZeroPoint))
        const steps = 512
        const step = f32(f32(inputMax - inputMin) / steps)
        const halfStep = f32(step / 2)
        const scalingInv = f32(65536 / f32(outputMax - outputMin))
        for (let i = 0; i < steps; i++) {
            const x = f32(inputMin + f32(i * step))
            const val = lutFunction(reciprocal, x)
            const valMidpoint = lutFunction(reciprocal, f32(x + halfStep))
            const valNext = lutFunction(reciprocal, f32(inputMin + f32((i + 1) * step)))
            const sample = roundHalfAwayFromZero(f32(val * scalingInv))
            const midpointInterp = roundHalfAwayFromZero(f32(f32(f32(valNext * scalingInv) + sample) / 2))
            const midpoint = roundHalfAwayFromZero(f32(valMidpoint * scalingInv))
            const bias = roundHalfAwayFromZero(f32(f32(midpointInterp - midpoint) / 2))
            p.setNumber(NumberFormat.Int16LE, 4 * word + 2 * i, clamp(f32(sample - bias), -32768, 32767))
        }
        const last = roundHalfAwayFromZero(f32(lutFunction(reciprocal, inputMax) * scalingInv))
        p.setNumber(NumberFormat.Int16LE, 4 * word + 2 * steps, clamp(last, -32768, 32767))
    }

    /**
     * TFLM's LUTLookup for int16: the top 9 bits of `value` pick a segment of the 513-entry table at
     * `word`, the low 7 bits interpolate linearly within it (rounded), wrapping as int16 arithmetic.
     */
    function int16LutLookup(p: Buffer, word: number, value: number): number {
        const index = 256 + (value >> 7)
        const offset = value & 0x7f
        const base = p.getNumber(NumberFormat.Int16LE, 4 * word + 2 * index)
        const next = p.getNumber(NumberFormat.Int16LE, 4 * word + 2 * index + 2)
        const slope = ((next - base) << 16) >> 16
        const delta = (slope * offset + 64) >> 7
        return ((base + delta) << 16) >> 16
    }

    // gemmlowp's fixed-point arithmetic, scalar int32. A Qm.n value (m integer bits, n = 31 - m
    // fractional bits) is an int32 raw = value * 2^n. Sums wrap like C's int32.

    /** Leading zero bits of x as a uint32 (32 for 0). */
    export function countLeadingZeros32(x: number): number {
        let u = x >>> 0
        if (u === 0) return 32
        let n = 0
        while (u < 0x80000000) {
            u = u * 2
            n++
        }
        return n
    }

    /** x * 2^exponent (exponent >= 0), saturating to the int32 range (gemmlowp's SaturatingRoundingMultiplyByPOT). */
    export function saturatingShiftLeft(x: number, exponent: number): number {
        if (exponent === 0) return x
        const threshold = (1 << (31 - exponent)) - 1
        if (x > threshold) return INT32_MAX
        if (x < -threshold) return INT32_MIN
        return x << exponent
    }

    /** (a + b) / 2 rounded half away from zero, without overflow (gemmlowp's RoundingHalfSum). */
    export function roundingHalfSum(a: number, b: number): number {
        const sum = a + b
        const t = (sum + (sum >= 0 ? 1 : -1)) / 2
        return t < 0 ? Math.ceil(t) : Math.floor(t)
    }

    /** exp(a) for a Q0.31 a in [-1/4, 0): a Taylor expansion around -1/8. Q0.31 result. */
    function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
        const expMinusOneEighth = 1895147668
        const oneThird = 715827883
        const x = (a + (1 << 28)) | 0
        const x2 = saturatingRoundingDoublingHighMul(x, x)
        const x3 = saturatingRoundingDoublingHighMul(x2, x)
        const x4 = saturatingRoundingDoublingHighMul(x2, x2)
        const x4Over4 = roundingDivideByPOT(x4, 2)
        // x^4/24 + x^3/6 + x^2/2 = ((x^4/4 + x^3) / 3 + x^2) / 2
        const poly = roundingDivideByPOT((saturatingRoundingDoublingHighMul((x4Over4 + x3) | 0, oneThird) + x2) | 0, 1)
        return (expMinusOneEighth + saturatingRoundingDoublingHighMul(expMinusOneEighth, (x + poly) | 0)) | 0
    }

    /** exp(-2^k) in Q0.31 for k = -2 .. 4: the factors for each whole quarter of a negative input. */
    const EXP_BARREL_MULTIPLIERS = [1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242]

    /**
     * exp(a) for a <= 0 given in Q(integerBits).(31 - integerBits), as a Q0.31 value (gemmlowp's
     * exp_on_negative_values): a = -(whole quarters) + r with r in [-1/4, 0); exp(r) by polynomial,
     * then one multiply by exp(-2^k) for every bit k set in the number of quarters.
     */
    export function expOnNegativeValues(a: number, integerBits: number): number {
        const fractionalBits = 31 - integerBits
        const oneQuarter = 1 << (fractionalBits - 2)
        const aModQuarterMinusOneQuarter = ((a & (oneQuarter - 1)) - oneQuarter) | 0
        let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(saturatingShiftLeft(aModQuarterMinusOneQuarter, integerBits))
        const remainder = (aModQuarterMinusOneQuarter - a) | 0
        for (let k = -2; k <= 4; k++) {
            if (integerBits > k && (remainder & (1 << (fractionalBits + k))))
                result = saturatingRoundingDoublingHighMul(result, EXP_BARREL_MULTIPLIERS[k + 2])
        }
        // Below -32 the result is 0 (only reachable with more than 5 integer bits).
        if (integerBits > 5 && a < -(1 << (36 - integerBits))) result = 0
        return a === 0 ? INT32_MAX : result
    }

    /** 1 / (1 + a) for a Q0.31 a in [0, 1): Newton-Raphson division, three iterations. Q0.31 result. */
    export function oneOverOnePlusXForXIn01(a: number): number {
        const halfDenominator = roundingHalfSum(a, INT32_MAX)
        // In Q2.29: x0 = 48/17 - 32/17 * d, then x <- x + x * (1 - d * x).
        let x = (1515870810 + saturatingRoundingDoublingHighMul(halfDenominator, -1010580540)) | 0
        for (let i = 0; i < 3; i++) {
            const oneMinusHalfDenominatorTimesX = ((1 << 29) - saturatingRoundingDoublingHighMul(halfDenominator, x)) | 0
            x = (x + saturatingShiftLeft(saturatingRoundingDoublingHighMul(x, oneMinusHalfDenominatorTimesX), 2)) | 0
        }
        // x approximates 1 / d = 2 / (1 + a) in Q2.29: halve it, back to Q0.31.
        return saturatingShiftLeft(x, 1)
    }

    /**
     * The int8 softmax with `outputBits` 8 or 16: TFLM's reference_ops::Softmax on gemmlowp fixed point.
     */
    function softmaxFromInt8(p: Buffer, model: Buffer, arena: Buffer, outputBits: number): void {
        const input = paramBuffer(p, SoftmaxParams.Input, model, arena)
        const inputAt = paramOffset(p, SoftmaxParams.Input)
        const output = paramBuffer(p, SoftmaxParams.Output, model, arena)
        const outputAt = paramOffset(p, SoftmaxParams.Output)
        const outerSize = param(p, SoftmaxParams.OuterSize)
        const depth = param(p, SoftmaxParams.Depth)
        const multiplier = param(p, SoftmaxParams.InputMultiplier)
        const leftShift = param(p, SoftmaxParams.InputShift)
        const diffMin = param(p, SoftmaxParams.DiffMin)
        const outputMin = outputBits === 8 ? -128 : -32768
        const outputMax = outputBits === 8 ? 127 : 32767
        for (let i = 0; i < outerSize; i++) {
            const row = inputAt + i * depth
            let maxInRow = -128
            for (let c = 0; c < depth; c++) {
                const x = int8At(input, row, c)
                if (x > maxInRow) maxInRow = x
            }

            // Sum of exps in Q12.19: each Q0.31 exp loses 12 fractional bits, rounded. TFLM
            // computes each exp again for the output; here it is kept (the same value), which
            // saves the simulator half of the fixed-point calls.
            let sumOfExps = 0
            const exps: number[] = []
            for (let c = 0; c < depth; c++) {
                const diff = int8At(input, row, c) - maxInRow
                let exp = 0
                if (diff >= diffMin) {
                    const scaledDiff = multiplyByQuantizedMultiplierGreaterThanOne(diff, multiplier, leftShift)
                    exp = expOnNegativeValues(scaledDiff, SCALED_DIFF_INTEGER_BITS)
                    sumOfExps = (sumOfExps + roundingDivideByPOT(exp, ACCUMULATION_INTEGER_BITS)) | 0
                }
                exps.push(exp)
            }

            // GetReciprocal: sum = 2^bitsOverUnit * (1 + f) with f in [0, 1); 1/(1 + f) in Q0.31.
            const headroomPlusOne = countLeadingZeros32(sumOfExps)
            const bitsOverUnit = ACCUMULATION_INTEGER_BITS - headroomPlusOne
            const shiftedSumMinusOne = ((sumOfExps << headroomPlusOne) + 2147483648) | 0
            const shiftedScale = oneOverOnePlusXForXIn01(shiftedSumMinusOne)
            const exponent = bitsOverUnit + 31 - outputBits

            for (let c = 0; c < depth; c++) {
                const diff = int8At(input, row, c) - maxInRow
                let out = outputMin
                if (diff >= diffMin) {
                    const unsaturated = roundingDivideByPOT(saturatingRoundingDoublingHighMul(shiftedScale, exps[c]), exponent)
                    out = clamp(unsaturated + outputMin, outputMin, outputMax)
                }
                if (outputBits === 8) output[outputAt + i * depth + c] = out & 0xff
                else output.setNumber(NumberFormat.Int16LE, outputAt + 2 * (i * depth + c), out)
            }
        }
    }

    export function softmaxInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        softmaxFromInt8(p, model, arena, 8)
    }

    export function softmaxInt8Int16(p: Buffer, model: Buffer, arena: Buffer): void {
        softmaxFromInt8(p, model, arena, 16)
    }

    export function softmaxInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SoftmaxParams.Input, model, arena)
        const inputAt = paramOffset(p, SoftmaxParams.Input)
        const output = paramBuffer(p, SoftmaxParams.Output, model, arena)
        const outputAt = paramOffset(p, SoftmaxParams.Output)
        const outerSize = param(p, SoftmaxParams.OuterSize)
        const depth = param(p, SoftmaxParams.Depth)
        const multiplier = param(p, SoftmaxParams.InputMultiplier)
        const shift = param(p, SoftmaxParams.InputShift)
        for (let i = 0; i < outerSize; i++) {
            const row = inputAt + 2 * i * depth
            const outRow = outputAt + 2 * i * depth
            let maxInRow = -32768
            for (let c = 0; c < depth; c++) maxInRow = Math.max(maxInRow, input.getNumber(NumberFormat.Int16LE, row + 2 * c))

            // exp(x - max) in Q0.15, kept in the output row until the sum is known.
            let sumOfExps = 0
            for (let c = 0; c < depth; c++) {
                const diff = input.getNumber(NumberFormat.Int16LE, row + 2 * c) - maxInRow
                const scaled = multiplyByQuantizedMultiplier(diff, multiplier, shift)
                // Recentre [-65535, 0] on the table's input range [-32768, 32767].
                const exp = int16LutLookup(p, SoftmaxParams.ExpLut, clamp(scaled + 32767, -32768, 32767))
                output.setNumber(NumberFormat.Int16LE, outRow + 2 * c, exp)
                sumOfExps = (sumOfExps + exp) | 0
            }

            // 1 / sum: normalize the sum to [1, 2) in Q1.15 (as 65536 + x), then 1/(1 + x) by table.
            const headroomPlusOne = countLeadingZeros32(sumOfExps)
            const shiftedSum = Math.floor((sumOfExps * Math.pow(2, headroomPlusOne - 1) + (1 << 13)) / 16384)
            const reciprocal = int16LutLookup(p, SoftmaxParams.OneOverOnePlusXLut,
                clamp(shiftedSum - ((1 << 15) + (1 << 16)), -32768, 32767))

            const rightShift = 31 - headroomPlusOne
            const round = Math.pow(2, rightShift - 1)
            for (let c = 0; c < depth; c++) {
                const exp = output.getNumber(NumberFormat.Int16LE, outRow + 2 * c)
                const result = Math.floor((exp * reciprocal + round) / Math.pow(2, rightShift))
                output.setNumber(NumberFormat.Int16LE, outRow + 2 * c, clamp(result, 0, 32767))
            }
        }
    }

    export function softmaxFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SoftmaxParams.Input, model, arena)
        const inputAt = paramOffset(p, SoftmaxParams.Input)
        const output = paramBuffer(p, SoftmaxParams.Output, model, arena)
        const outputAt = paramOffset(p, SoftmaxParams.Output)
        const outerSize = param(p, SoftmaxParams.OuterSize)
        const depth = param(p, SoftmaxParams.Depth)
        const beta = paramFloat(p, SoftmaxParams.Beta)
        for (let i = 0; i < outerSize; i++) {
            const row = inputAt + 4 * i * depth
            const outRow = outputAt + 4 * i * depth
            // Subtracting the maximum keeps exp() finite; std::max skips NaNs as written here.
            let max = -FLOAT32_MAX
            for (let c = 0; c < depth; c++) {
                const v = input.getNumber(NumberFormat.Float32LE, row + 4 * c)
                if (max < v) max = v
            }
            let sum = 0
            for (let c = 0; c < depth; c++) {
                const v = input.getNumber(NumberFormat.Float32LE, row + 4 * c)
                const e = libmExpf(f32(f32(v - max) * beta))
                output.setNumber(NumberFormat.Float32LE, outRow + 4 * c, e)
                sum = f32(sum + e)
            }
            for (let c = 0; c < depth; c++)
                output.setNumber(NumberFormat.Float32LE, outRow + 4 * c,
                    f32(output.getNumber(NumberFormat.Float32LE, outRow + 4 * c) / sum))
        }
    }
}
