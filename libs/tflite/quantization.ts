namespace tflite {
    // Fixed-point arithmetic of TFLM's reference kernels, exact in Static TypeScript.
    //
    // TFLM rescales int32 accumulators by a real multiplier M = q * 2^(shift - 31), with q an int32
    // in [2^30, 2^31). It multiplies by q with SaturatingRoundingDoublingHighMul (the high 32 bits
    // of the rounded 64-bit product 2*x*q) and then shifts with RoundingDivideByPOT. STS numbers are
    // doubles (or 31-bit ints natively), so a 64-bit product cannot be formed directly: it is split
    // into 16-bit halves whose partial products are exact, and the carries are handled explicitly.

    export const INT32_MIN = -2147483648
    export const INT32_MAX = 2147483647

    export function clamp(x: number, lo: number, hi: number): number {
        return x < lo ? lo : x > hi ? hi : x
    }

    /** std::round: halves go away from zero. */
    export function roundHalfAwayFromZero(x: number): number {
        return x < 0 ? -Math.round(-x) : Math.round(x)
    }

    /**
     * (a * b * 2 + 2^31 nudge) >> 32 for int32 a, b, rounding half away from zero, as gemmlowp's
     * SaturatingRoundingDoublingHighMul. Equivalently trunc((a*b + nudge) / 2^31) with
     * nudge = a*b >= 0 ? 2^30 : 1 - 2^30; the one overflow, a = b = INT32_MIN, saturates.
     */
    export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
        if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX
        // a*b = hi * 2^16 + lo, with both partial products exact in a double (< 2^47).
        const bLow = b & 0xffff
        const bHigh = b >> 16
        const hi = a * bHigh
        const lo = a * bLow
        const negative = (a < 0) !== (b < 0) && a !== 0 && b !== 0
        const nudge = negative ? 1 - 1073741824 : 1073741824
        // a*b + nudge = hiQ * 2^31 + rest, with hi = hiQ * 2^15 + hiR (0 <= hiR < 2^15).
        const hiQ = Math.floor(hi / 32768)
        const hiR = hi - hiQ * 32768
        const rest = hiR * 65536 + lo + nudge
        const restQ = Math.floor(rest / 2147483648)
        const restR = rest - restQ * 2147483648
        // total = q * 2^31 + restR with 0 <= restR < 2^31; C's division truncates toward zero.
        let q = hiQ + restQ
        if (q < 0 && restR !== 0) q += 1
        return q
    }

    /** x / 2^exponent rounded to nearest, halves away from zero (gemmlowp's RoundingDivideByPOT). */
    export function roundingDivideByPOT(x: number, exponent: number): number {
        if (exponent === 0) return x
        const mask = (1 << exponent) - 1
        const remainder = x & mask
        const threshold = (mask >> 1) + (x < 0 ? 1 : 0)
        return (x >> exponent) + (remainder > threshold ? 1 : 0)
    }

    /** x * q * 2^(shift - 31), rounded as TFLM's MultiplyByQuantizedMultiplier (double rounding). */
    export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
        const leftShift = shift > 0 ? shift : 0
        const rightShift = shift > 0 ? 0 : -shift
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(Math.imul(x, 1 << leftShift), multiplier), rightShift)
    }

    /** TFLM's MultiplyByQuantizedMultiplierSmallerThanOneExp: leftShift <= 0. */
    export function multiplyByQuantizedMultiplierSmallerThanOneExp(x: number, multiplier: number, leftShift: number): number {
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, multiplier), -leftShift)
    }

    /** TFLM's MultiplyByQuantizedMultiplierGreaterThanOne: leftShift >= 0. */
    export function multiplyByQuantizedMultiplierGreaterThanOne(x: number, multiplier: number, leftShift: number): number {
        return saturatingRoundingDoublingHighMul(Math.imul(x, 1 << leftShift), multiplier)
    }

    /**
     * std::frexp: x = fraction * 2^exponent with 0.5 <= |fraction| < 1 (0 gives 0, 0).
     * Scaling by powers of two is exact, so this matches the C library bit for bit.
     */
    export function frexp(x: number): number[] {
        if (x === 0 || x !== x || x === Infinity || x === -Infinity) return [x, 0]
        let e = 0
        let f = Math.abs(x)
        while (f >= 1) { f /= 2; e++ }
        while (f < 0.5) { f *= 2; e-- }
        return [x < 0 ? -f : f, e]
    }

    /**
     * TFLM's QuantizeMultiplier: the int32 q and shift with M ~= q * 2^(shift - 31).
     * Returns [q, shift].
     */
    export function quantizeMultiplier(realMultiplier: number): number[] {
        if (realMultiplier === 0) return [0, 0]
        const fe = frexp(realMultiplier)
        let shift = fe[1]
        let q = roundHalfAwayFromZero(fe[0] * 2147483648)
        if (q === 2147483648) {
            q /= 2
            shift++
        }
        if (shift < -31) {
            shift = 0
            q = 0
        }
        checkShift(shift, 31) // a left shift of an int32
        return [q, shift]
    }

    /** The operator being prepared: the quantization helpers refuse rescale multipliers on its behalf. */
    export let preparing: Operator = null

    /**
     * Fails the operator being prepared over a rescale multiplier whose shift passes `limit`, past
     * what TFLM's MultiplyByQuantizedMultiplier can apply (C leaves those shifts undefined).
     */
    export function checkShift(shift: number, limit: number): void {
        const op = preparing
        if (shift > limit && op) fail(op.describe() + ": output " + op.outputs[0].describe() + ": rescale shift " + shift + " out of range")
    }

    /** TFLM's QuantizeMultiplierSmallerThanOneExp: as QuantizeMultiplier, for 0 < M < 1. */
    export function quantizeMultiplierSmallerThanOneExp(realMultiplier: number): number[] {
        return quantizeMultiplier(realMultiplier)
    }

    /** TFLM's QuantizeMultiplierGreaterThanOne: as QuantizeMultiplier, for M > 1. */
    export function quantizeMultiplierGreaterThanOne(realMultiplier: number): number[] {
        return quantizeMultiplier(realMultiplier)
    }

    /** The largest input magnitude the fixed-point logistic/tanh can see without saturating. */
    export function calculateInputRadius(inputIntegerBits: number, inputLeftShift: number, totalSignedBits: number): number {
        const maxInputRescaled = 1.0 * ((1 << inputIntegerBits) - 1) *
            Math.pow(2, totalSignedBits - inputIntegerBits) / Math.pow(2, inputLeftShift)
        // Floor, then the largest int32 below the true radius (TFLM uses std::floor on a double).
        return Math.floor(maxInputRescaled)
    }

    // A 4-byte scratch buffer through which numbers are rounded to float32.
    let f32Scratch: Buffer

    /**
     * Rounds a number to the nearest float32, as C stores a float. Float kernels call this after
     * each arithmetic step so that double-precision JS matches float32 C exactly.
     */
    export function f32(x: number): number {
        if (!f32Scratch) f32Scratch = control.createBuffer(4)
        f32Scratch.setNumber(NumberFormat.Float32LE, 0, x)
        return f32Scratch.getNumber(NumberFormat.Float32LE, 0)
    }

    /** Lower and upper bounds of a fused activation in the quantized domain of `t`. */
    export function quantizedActivationRange(activation: number, t: Tensor): number[] {
        let qmin = -128
        let qmax = 127
        if (t.type === TensorType.Int16) { qmin = -32768; qmax = 32767 }
        else if (t.type === TensorType.UInt8) { qmin = 0; qmax = 255 }
        const s = t.scale
        const z = t.zeroPoint
        // TFLM divides in float: x / scale is a float32 quotient before rounding.
        const quantize = (v: number) => z + roundHalfAwayFromZero(f32(v / s))
        if (activation === Activation.Relu) qmin = Math.max(qmin, quantize(0))
        else if (activation === Activation.Relu6) {
            qmin = Math.max(qmin, quantize(0))
            qmax = Math.min(qmax, quantize(6))
        } else if (activation === Activation.ReluN1To1) {
            qmin = Math.max(qmin, quantize(-1))
            qmax = Math.min(qmax, quantize(1))
        }
        return [qmin, qmax]
    }

    /** The largest finite float32 (C's FLT_MAX). */
    export const FLOAT32_MAX = 3.4028234663852886e38

    /**
     * Lower and upper bounds of a fused activation for float32. As TFLM's
     * CalculateActivationRange, "no bound" is +-FLT_MAX, so an infinite value is clamped to it.
     */
    export function floatActivationRange(activation: number): number[] {
        if (activation === Activation.Relu) return [0, FLOAT32_MAX]
        if (activation === Activation.Relu6) return [0, 6]
        if (activation === Activation.ReluN1To1) return [-1, 1]
        return [-FLOAT32_MAX, FLOAT32_MAX]
    }
}

namespace tflite {
    /**
     * The output multipliers of a convolution-like op (CONV_2D, DEPTHWISE_CONV_2D, per-channel
     * FULLY_CONNECTED), one (multiplier, shift) pair per output channel, flattened. As TFLM's
     * PopulateConvolutionQuantizationParams: input_scale * filter_scale / output_scale in double,
     * a per-tensor filter scale broadcast over the channels.
     */
    export function perChannelMultipliers(input: Tensor, filter: Tensor, output: Tensor, channels: number): number[] {
        const res: number[] = []
        const perChannel = filter.scales.length > 1
        for (let c = 0; c < channels; c++) {
            const filterScale = perChannel ? filter.scales[c] : filter.scale
            const qs = convolutionMultiplier(input.scale * filterScale / output.scale, input)
            res.push(qs[0])
            res.push(qs[1])
        }
        return res
    }

    /**
     * A convolution's multiplier: the int16 kernels rescale a 64-bit sum by a right shift of
     * 15 - shift, so their shift must stay below 15 (TFLM shifts by a negative amount past it).
     */
    function convolutionMultiplier(real: number, input: Tensor): number[] {
        const qs = quantizeMultiplier(real)
        if (input.type === TensorType.Int16) checkShift(qs[1], 14)
        return qs
    }

    /**
     * The single output multiplier of a per-tensor FULLY_CONNECTED, as TFLM's
     * GetQuantizedConvolutionMultipler: the scales' product is taken in float32, the quotient in double.
     */
    export function perTensorMultiplier(input: Tensor, filter: Tensor, output: Tensor): number[] {
        return convolutionMultiplier(f32(input.scale * filter.scale) / output.scale, input)
    }

    /**
     * The int16 kernels' int64 bias must be constant, each value within -2^48..2^48. TFLM adds it
     * to a 64-bit sum of products, which overflows near 2^63 (undefined behaviour in its C and in
     * ours); the biases of real 16x8 models stay far below 2^48, and there the sums stay exact in
     * the STS's doubles.
     */
    export function checkInt64Bias(op: Operator, bias: Tensor): void {
        if (!bias) return
        op.check(bias.isConst, "the int64 bias " + bias.describe() + " must be constant")
        const n = bias.elementCount()
        for (let i = 0; i < n; i++) {
            // The value lies in [-2^48, 2^48) exactly when its high word lies in [-2^16, 2^16).
            const high = bias.data.getNumber(NumberFormat.Int32LE, bias.offset + 8 * i + 4)
            op.check(high >= -65536 && high < 65536, "the int64 bias " + bias.describe() + " has value " + i + " outside -2^48..2^48")
        }
    }

    /**
     * TFLM's MultiplyByQuantizedMultiplier for a 64-bit accumulator (int16 kernels): the multiplier
     * is reduced to 16 bits, then x * m is shifted right by 15 - shift with rounding. x stays within
     * 2^47 and m below 2^15, so the product is exact in a double only after splitting x.
     */
    export function multiplyByQuantizedMultiplier64(x: number, multiplier: number, shift: number): number {
        const reduced = multiplier < 0x7fff0000 ? (multiplier + 32768) >> 16 : 0x7fff
        const totalShift = 15 - shift
        // x = xHigh * 2^24 + xLow with 0 <= xLow < 2^24: both partial products are below 2^53.
        const xHigh = Math.floor(x / 16777216)
        const xLow = x - xHigh * 16777216
        const pHigh = xHigh * reduced
        const pLow = xLow * reduced + Math.pow(2, totalShift - 1)
        // floor((pHigh * 2^24 + pLow) / 2^totalShift), an arithmetic shift of the 64-bit sum.
        if (totalShift <= 24) {
            const unit = Math.pow(2, totalShift)
            const lowQ = Math.floor(pLow / unit)
            return pHigh * Math.pow(2, 24 - totalShift) + lowQ
        }
        const scaleHigh = Math.pow(2, totalShift - 24)
        const highQ = Math.floor(pHigh / scaleHigh)
        const highR = pHigh - highQ * scaleHigh
        return highQ + Math.floor((highR * 16777216 + pLow) / Math.pow(2, totalShift))
    }
}
