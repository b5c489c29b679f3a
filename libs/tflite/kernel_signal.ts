namespace tflite {
    // The TFLM Signal library's custom operators (tflite-micro signal/micro/kernels and
    // signal/src): the audio front end of micro_speech as graph ops, bit-exact.
    //
    //   SignalWindow                         int16 samples * int16 window >> shift, saturated
    //   SignalFftAutoScale                   shifts int16 samples left to use all 16 bits
    //   SignalRfft                           real FFT, int16: KISS FFT fixed point, as TFLM builds it
    //   SignalEnergy                         |X[k]|^2 of complex int16 bins, uint32
    //   SignalFilterBank                     triangular mel channels, uint32 in, uint64 out
    //   SignalFilterBankSquareRoot           sqrt of each channel, shifted back down, uint32
    //   SignalFilterBankSpectralSubtraction  noise estimate (state kept across invokes) subtracted
    //   SignalPCAN                           per-channel automatic gain control (fixed point)
    //   SignalFilterBankLog                  fixed-point natural log, int16
    //
    // Options come as a FlexBuffer map (flexbuffer.ts). TFLM reads them by position in the sorted
    // key order; we read them by name, which is the same for every well-formed map.
    //
    // The C code these ops come from works in uint32 and uint64. A double holds a uint32 exactly,
    // and uint32 wraparound is `>>> 0`; the 64-bit steps are split so every partial result stays
    // below 2^53 (mulAddShiftU64, sqrt64, the filter bank accumulators).
    //
    // State: SignalFilterBankSpectralSubtraction keeps its noise estimate between invokes, as TFLM
    // does in persistent memory: here arena memory from Operator.paramPersistent, zero at load and
    // after StsInterpreter.resetState, as TFLM's after Prepare and Reset.

    export function registerSignalKernels(): void {
        registerCustom("SignalWindow", prepareSignalWindow)
        registerCustom("SignalFftAutoScale", prepareSignalFftAutoScale)
        registerCustom("SignalRfft", prepareSignalRfft)
        registerCustom("SignalEnergy", prepareSignalEnergy)
        registerCustom("SignalFilterBank", prepareSignalFilterBank)
        registerCustom("SignalFilterBankSquareRoot", prepareSignalFilterBankSquareRoot)
        registerCustom("SignalFilterBankSpectralSubtraction", prepareSignalSpectralSubtraction)
        registerCustom("SignalPCAN", prepareSignalPcan)
        registerCustom("SignalFilterBankLog", prepareSignalFilterBankLog)
        registerBody("signal_window_int16", signalWindowInt16)
        registerBody("signal_fft_auto_scale_int16", signalFftAutoScaleInt16)
        registerBody("signal_rfft_int16", signalRfftInt16)
        registerBody("signal_energy_int16", signalEnergyInt16)
        registerBody("signal_filter_bank_uint32", signalFilterBankUInt32)
        registerBody("signal_filter_bank_square_root_uint64", signalFilterBankSquareRootUInt64)
        registerBody("signal_filter_bank_spectral_subtraction_uint32", signalSpectralSubtractionUInt32)
        registerBody("signal_pcan_uint32", signalPcanUInt32)
        registerBody("signal_filter_bank_log_uint32", signalFilterBankLogUInt32)
    }

    // ---------------------------------------------------------------------------------------
    // Shared helpers

    /** An integer option of the op's FlexBuffer map (TFLM reads it as an int32). */
    export function signalIntOption(op: Operator, options: FlexValue, key: string): number {
        const v = options ? options.get(key) : null
        op.check(!!v, "custom option '" + key + "' is missing")
        const x = v.asInt()
        op.check(x >= INT32_MIN && x <= INT32_MAX, "custom option '" + key + "' = " + x + " does not fit an int32")
        return x
    }

    export function signalOptionInRange(op: Operator, options: FlexValue, key: string, lo: number, hi: number): number {
        const x = signalIntOption(op, options, key)
        op.check(x >= lo && x <= hi, "custom option '" + key + "' = " + x + " is outside [" + lo + ", " + hi + "]")
        return x
    }

    export function checkSignalIo(op: Operator, inputs: number, outputs: number): void {
        op.check(op.inputs.length === inputs && op.outputs.length === outputs,
            "needs " + inputs + " input(s) and " + outputs + " output(s), has " + op.inputs.length + " and " + op.outputs.length)
        for (let i = 0; i < inputs; i++) op.check(!!op.input(i), "input " + i + " is missing")
    }

    export function checkSignalTensor(op: Operator, t: Tensor, what: string, type: number, rank: number): void {
        op.check(t.type === type, what + " " + t.describe() + " must be " + typeName(type))
        if (rank >= 0) op.check(t.rank() === rank, what + " " + t.describe() + " must have rank " + rank)
    }

    /** An output of as many values as the input (prepare_signal.c check_same_count). */
    export function checkSignalSameCount(op: Operator, output: Tensor, input: Tensor): void {
        op.check(output.elementCount() === input.elementCount(), "output " + output.describe() + " must match input " + input.describe())
    }

    /**
     * Option T, the type TFLM's Init picks the kernel by, which must then be the input's type
     * (prepare_signal.c signal_type).
     */
    export function checkSignalTypeOption(op: Operator, options: FlexValue, input: Tensor): void {
        const t = signalIntOption(op, options, "T")
        op.check(t === input.type, "custom option 'T' = " + t + " must be the input's type " + input.type)
    }

    /** Wraps an integer to int16, as storing it in an int16_t does. */
    function wrapInt16(x: number): number {
        return (x << 16) >> 16
    }

    /**
     * MostSignificantBit32 as TFLM builds it with GCC or Clang: the 1-based index of the highest
     * set bit, and 32 (from 32 - __builtin_clz) for 0, whose clz GCC's code does not special-case.
     */
    function mostSignificantBit32(x: number): number {
        if (x === 0) return 32
        let n = 0
        while (x !== 0) {
            x = x >>> 1
            n++
        }
        return n
    }

    /**
     * ((a * b + c * d) mod 2^64) >> shift, then its low 32 bits: uint64 arithmetic on uint32
     * operands, as `(static_cast<uint64_t>(a) * b + ...) >> shift` stored in a uint32_t.
     * 0 <= shift <= 63.
     */
    function mulAddShiftU64(a: number, b: number, c: number, d: number, shift: number): number {
        // Each product as (high, low) 32-bit halves: a * b = a * bHigh * 2^16 + a * bLow, with
        // both partial products below 2^48.
        const x1 = a * (b & 0xffff)
        const y1 = a * (b >>> 16)
        let lo = (y1 % 65536) * 65536 + x1
        let hi = Math.floor(y1 / 65536) + Math.floor(lo / 4294967296)
        lo = lo % 4294967296
        const x2 = c * (d & 0xffff)
        const y2 = c * (d >>> 16)
        lo += (y2 % 65536) * 65536 + x2
        hi += Math.floor(y2 / 65536) + Math.floor(lo / 4294967296)
        lo = lo % 4294967296
        hi = hi % 4294967296
        if (shift >= 32) return Math.floor(hi / Math.pow(2, shift - 32))
        const scale = Math.pow(2, shift)
        return ((hi % scale) * Math.pow(2, 32 - shift) + Math.floor(lo / scale)) % 4294967296
    }

    // ---------------------------------------------------------------------------------------
    // SignalWindow: output[i] = saturate_int16((input[i] * window[i mod n]) >> shift)

    /** Parameter block of signal_window_int16 (words). */
    export const enum SignalWindowParams {
        Input = 0, Weights = 2, Output = 4,
        /** Samples in the input (a whole number of windows), samples in the window, the shift. */
        InputSize = 6, WeightSize = 7, Shift = 8,
        Words = 9,
    }

    function prepareSignalWindow(op: Operator): void {
        checkSignalIo(op, 2, 1)
        const input = op.input(0)
        const weights = op.input(1)
        const output = op.output(0)
        checkSignalTensor(op, input, "input", TensorType.Int16, -1)
        checkSignalTensor(op, weights, "window", TensorType.Int16, 1)
        checkSignalTensor(op, output, "output", TensorType.Int16, input.rank())
        op.check(input.rank() >= 1, "input " + input.describe() + " must have rank 1 or more")
        const size = input.elementCount()
        const n = weights.elementCount()
        op.check(n > 0 && size % n === 0, "input " + input.describe() + " is not a whole number of windows of " + n)
        checkSignalSameCount(op, output, input)
        const shift = signalOptionInRange(op, customOptionsMap(op), "shift", 0, 31)
        const p = op.useBody("signal_window_int16", SignalWindowParams.Words)
        op.paramTensor(SignalWindowParams.Input, input)
        op.paramTensor(SignalWindowParams.Weights, weights)
        op.paramTensor(SignalWindowParams.Output, output)
        setParam(p, SignalWindowParams.InputSize, size)
        setParam(p, SignalWindowParams.WeightSize, n)
        setParam(p, SignalWindowParams.Shift, shift)
    }

    export function signalWindowInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalWindowParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalWindowParams.Input)
        const weights = paramBuffer(p, SignalWindowParams.Weights, model, arena)
        const weightsAt = paramOffset(p, SignalWindowParams.Weights)
        const output = paramBuffer(p, SignalWindowParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalWindowParams.Output)
        const size = param(p, SignalWindowParams.InputSize)
        const n = param(p, SignalWindowParams.WeightSize)
        const shift = param(p, SignalWindowParams.Shift)
        for (let start = 0; start < size; start += n) {
            for (let i = 0; i < n; i++) {
                const x = input.getNumber(NumberFormat.Int16LE, inputAt + 2 * (start + i))
                const w = weights.getNumber(NumberFormat.Int16LE, weightsAt + 2 * i)
                // The product of two int16 fits an int32; >> is arithmetic, as for C's int32_t.
                const raw = (x * w) >> shift
                // Saturated inline: a call per element is slow in the simulator (kernel_api.ts).
                output.setNumber(NumberFormat.Int16LE, outputAt + 2 * (start + i), raw < -32768 ? -32768 : raw > 32767 ? 32767 : raw)
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // SignalFftAutoScale: scale = 15 - msb(max |x|) (at least 0); output = input << scale.

    /** Parameter block of signal_fft_auto_scale_int16 (words). */
    export const enum SignalFftAutoScaleParams {
        Input = 0, Output = 2, ScaleBits = 4,
        Size = 6,
        Words = 7,
    }

    function prepareSignalFftAutoScale(op: Operator): void {
        checkSignalIo(op, 1, 2)
        const input = op.input(0)
        const output = op.output(0)
        const scaleBits = op.output(1)
        checkSignalTensor(op, input, "input", TensorType.Int16, 1)
        checkSignalTensor(op, output, "output", TensorType.Int16, 1)
        checkSignalTensor(op, scaleBits, "scale bits output", TensorType.Int32, 0)
        checkSignalSameCount(op, output, input)
        const p = op.useBody("signal_fft_auto_scale_int16", SignalFftAutoScaleParams.Words)
        op.paramTensor(SignalFftAutoScaleParams.Input, input)
        op.paramTensor(SignalFftAutoScaleParams.Output, output)
        op.paramTensor(SignalFftAutoScaleParams.ScaleBits, scaleBits)
        setParam(p, SignalFftAutoScaleParams.Size, output.elementCount())
    }

    export function signalFftAutoScaleInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalFftAutoScaleParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalFftAutoScaleParams.Input)
        const output = paramBuffer(p, SignalFftAutoScaleParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalFftAutoScaleParams.Output)
        const scaleOut = paramBuffer(p, SignalFftAutoScaleParams.ScaleBits, model, arena)
        const scaleAt = paramOffset(p, SignalFftAutoScaleParams.ScaleBits)
        const size = param(p, SignalFftAutoScaleParams.Size)
        // MaxAbs16 keeps its maximum in an int16: -(-32768) wraps to -32768, after which any
        // larger sample replaces it. Reproduced as is.
        let max = 0
        for (let i = 0; i < size; i++) {
            const v = input.getNumber(NumberFormat.Int16LE, inputAt + 2 * i)
            if (v > max) max = v
            else if (-v > max) max = wrapInt16(-v)
        }
        // MostSignificantBit32 of the int16 converted to uint32 (a negative max has bit 31 set).
        let scale = 16 - mostSignificantBit32(max >>> 0) - 1
        if (scale <= 0) scale = 0
        for (let i = 0; i < size; i++) {
            const v = input.getNumber(NumberFormat.Int16LE, inputAt + 2 * i)
            output.setNumber(NumberFormat.Int16LE, outputAt + 2 * i, wrapInt16(v * (1 << scale)))
        }
        scaleOut.setNumber(NumberFormat.Int32LE, scaleAt, scale)
    }

    // ---------------------------------------------------------------------------------------
    // SignalRfft (int16): KISS FFT v1.3.0 in 16-bit fixed point (FIXED_POINT=16), as TFLM
    // compiles it (kiss_fft.c and tools/kiss_fftr.c in signal/src/kiss_fft_wrappers).
    //
    // A real FFT of N points is a complex FFT of N/2 points over the even/odd sample pairs,
    // followed by a split step with the "super twiddles" exp(-i*pi*((k+1)/(N/2) + 1/2)). The complex
    // FFT is mixed radix (4 first, then 2, 3, 5), recursive, decimation in time. Every stage
    // divides by its radix (C_FIXDIV) to avoid overflow, so the output is the DFT divided by N.
    // Fixed-point arithmetic: values are int16; a product a*b is rounded back with
    // sround(x) = (x + 2^14) >> 15; every store into a complex truncates to int16. Twiddles are
    // floor(0.5 + 32767 * cos/sin(phase)). TFLM's patched KISS FFT cannot allocate, so its
    // generic radix (any factor above 5) would write through a null pointer: we refuse those sizes.

    /** Parameter block of signal_rfft_int16 (words). */
    export const enum SignalRfftParams {
        Input = 0, Output = 2,
        /** Points of the FFT (even); samples per input row (at most FftLength); rows. */
        FftLength = 4, InputLength = 5, Rows = 6,
        /** Scratch: the zero-padded input row (FftLength int16); the complex FFT's output (FftLength/2 complex). */
        Work = 7, Tmp = 8,
        /** Stages of the complex FFT; where its twiddles and the super twiddles start (words). */
        Stages = 9, Twiddles = 10, SuperTwiddles = 11,
        /**
         * (radix, remaining length) per stage, then the twiddles, one complex int16 (r, i) per word
         * (the other bodies: r and i in two words, float32 or int32).
         */
        Factors = 12,
    }

    /**
     * kf_factor of the complex FFT of fftLength / 2 points: powers of 4, then 2, then odd primes up
     * to sqrt, as (radix, remaining length) pairs. SignalRfft and SignalIrfft (kernel_signal2.ts).
     */
    export function kissFftFactors(op: Operator, fftLength: number): number[] {
        const factors: number[] = []
        let m = fftLength / 2
        let radix = 4
        const floorSqrt = Math.floor(Math.sqrt(m))
        while (m > 1) {
            while (m % radix) {
                radix = radix === 4 ? 2 : radix === 2 ? 3 : radix + 2
                if (radix > floorSqrt) radix = m
            }
            m = m / radix
            factors.push(radix)
            factors.push(m)
        }
        for (let i = 0; i < factors.length; i += 2)
            op.check(factors[i] <= 5, "fft_length " + fftLength + " has a factor " + factors[i] +
                " that TFLM's KISS FFT cannot do without malloc (only 2, 3, 4 and 5)")
        return factors
    }

    function prepareSignalRfft(op: Operator): void {
        checkSignalIo(op, 1, 1)
        const input = op.input(0)
        const output = op.output(0)
        const options = customOptionsMap(op)
        const type = signalIntOption(op, options, "T")
        op.check(type === TensorType.Int16 || type === TensorType.Int32 || type === TensorType.Float32,
            "unsupported FFT type " + typeName(type) + " (only INT16, INT32 and FLOAT32)")
        checkSignalTensor(op, input, "input", type, -1)
        checkSignalTensor(op, output, "output", type, input.rank())
        op.check(input.rank() >= 1, "input " + input.describe() + " must have rank 1 or more")
        // fft_length 2 would need KISS FFT's generic radix (a 1-point stage), which TFLM cannot run.
        const fftLength = signalOptionInRange(op, options, "fft_length", 4, 65536)
        op.check(fftLength % 2 === 0, "fft_length " + fftLength + " must be even")
        const n = fftLength / 2
        const inputLength = input.dim(input.rank() - 1)
        op.check(inputLength <= fftLength, "input rows of " + inputLength + " exceed fft_length " + fftLength)
        const rows = inputLength > 0 ? input.elementCount() / inputLength : 0
        op.check(output.dim(output.rank() - 1) === fftLength + 2,
            "output " + output.describe() + " rows must hold " + (n + 1) + " complex values")
        op.check(output.elementCount() === rows * (fftLength + 2), "output " + output.describe() + " must have " + rows + " rows")

        const factors = kissFftFactors(op, fftLength)
        // INT32 and FLOAT32: kernel_signal2.ts, over this block with twiddles of two words.
        if (type !== TensorType.Int16) {
            setKissWideParams(op, type, type === TensorType.Int32 ? "signal_rfft_int32" : "signal_rfft_float", fftLength, inputLength, rows, factors, false)
            return
        }
        const twiddles = SignalRfftParams.Factors + factors.length
        const superTwiddles = twiddles + n
        const p = op.useBody("signal_rfft_int16", superTwiddles + (n >> 1))
        op.paramTensor(SignalRfftParams.Input, input)
        op.paramTensor(SignalRfftParams.Output, output)
        setParam(p, SignalRfftParams.FftLength, fftLength)
        setParam(p, SignalRfftParams.InputLength, inputLength)
        setParam(p, SignalRfftParams.Rows, rows)
        op.paramScratch(SignalRfftParams.Work, 2 * fftLength)
        op.paramScratch(SignalRfftParams.Tmp, 2 * fftLength)
        setParam(p, SignalRfftParams.Stages, factors.length >> 1)
        setParam(p, SignalRfftParams.Twiddles, twiddles)
        setParam(p, SignalRfftParams.SuperTwiddles, superTwiddles)
        setParams(p, SignalRfftParams.Factors, factors)
        for (let i = 0; i < n; i++) {
            const phase = -2 * Math.PI * i / n
            p.setNumber(NumberFormat.Int16LE, 4 * (twiddles + i), Math.floor(0.5 + 32767 * Math.cos(phase)))
            p.setNumber(NumberFormat.Int16LE, 4 * (twiddles + i) + 2, Math.floor(0.5 + 32767 * Math.sin(phase)))
        }
        for (let i = 0; i < (n >> 1); i++) {
            const phase = -Math.PI * ((i + 1) / n + 0.5)
            p.setNumber(NumberFormat.Int16LE, 4 * (superTwiddles + i), Math.floor(0.5 + 32767 * Math.cos(phase)))
            p.setNumber(NumberFormat.Int16LE, 4 * (superTwiddles + i) + 2, Math.floor(0.5 + 32767 * Math.sin(phase)))
        }
    }

    // The FFT works on number[] copies of its complex values (real and imaginary parts apart)
    // and of the twiddles, and spells out KISS FFT's fixed-point steps inline, so the simulator
    // runs no call and no Buffer access per element (see kernel_api.ts's int8 helpers on why):
    //   sround(x)      = (int16)((x + 2^14) >> 15)      (((x + 16384) >> 15) << 16) >> 16
    //   C_FIXDIV(c, r) = each part sround(part * floor(32767 / r))
    //   an int16 store = (x << 16) >> 16
    // Every value is the int16 TFLM stores, in the same order of operations.

    /** One complex FFT as kissWork runs it: its input, its output and the twiddles, by index. */
    class KissFft {
        inRe: number[]
        inIm: number[]
        outRe: number[]
        outIm: number[]
        twiddleRe: number[]
        twiddleIm: number[]
        /** (radix, remaining length) per stage. */
        factors: number[]
    }

    /**
     * kf_work: the complex FFT of the input elements f, f + fstride, ... into outputs
     * fout .. fout + radix * m - 1, for stage `stage` onwards.
     */
    function kissWork(fft: KissFft, fout: number, f: number, fstride: number, stage: number): void {
        const radix = fft.factors[2 * stage]
        const m = fft.factors[2 * stage + 1]
        if (m === 1) {
            const inRe = fft.inRe
            const inIm = fft.inIm
            const outRe = fft.outRe
            const outIm = fft.outIm
            for (let q = 0; q < radix; q++) {
                outRe[fout + q] = inRe[f + q * fstride]
                outIm[fout + q] = inIm[f + q * fstride]
            }
        } else {
            for (let q = 0; q < radix; q++) kissWork(fft, fout + q * m, f + q * fstride, fstride * radix, stage + 1)
        }
        if (radix === 2) kissButterfly2(fft, fout, fstride, m)
        else if (radix === 3) kissButterfly3(fft, fout, fstride, m)
        else if (radix === 4) kissButterfly4(fft, fout, fstride, m)
        else if (radix === 5) kissButterfly5(fft, fout, fstride, m)
    }

    function kissButterfly2(fft: KissFft, fout: number, fstride: number, m: number): void {
        const re = fft.outRe
        const im = fft.outIm
        const twRe = fft.twiddleRe
        const twIm = fft.twiddleIm
        for (let k = 0; k < m; k++) {
            const a0 = fout + k
            const a1 = a0 + m
            // C_FIXDIV by 2: floor(32767 / 2) = 16383.
            const r0 = (((re[a0] * 16383 + 16384) >> 15) << 16) >> 16
            const i0 = (((im[a0] * 16383 + 16384) >> 15) << 16) >> 16
            const xr = (((re[a1] * 16383 + 16384) >> 15) << 16) >> 16
            const xi = (((im[a1] * 16383 + 16384) >> 15) << 16) >> 16
            const wr = twRe[k * fstride]
            const wi = twIm[k * fstride]
            const tr = (((xr * wr - xi * wi + 16384) >> 15) << 16) >> 16
            const ti = (((xr * wi + xi * wr + 16384) >> 15) << 16) >> 16
            re[a1] = ((r0 - tr) << 16) >> 16
            im[a1] = ((i0 - ti) << 16) >> 16
            re[a0] = ((r0 + tr) << 16) >> 16
            im[a0] = ((i0 + ti) << 16) >> 16
        }
    }

    function kissButterfly3(fft: KissFft, fout: number, fstride: number, m: number): void {
        const re = fft.outRe
        const im = fft.outIm
        const twRe = fft.twiddleRe
        const twIm = fft.twiddleIm
        const epi3i = twIm[fstride * m]
        for (let k = 0; k < m; k++) {
            const a0 = fout + k
            const a1 = a0 + m
            const a2 = a1 + m
            // C_FIXDIV by 3: floor(32767 / 3) = 10922.
            const r0 = (((re[a0] * 10922 + 16384) >> 15) << 16) >> 16
            const i0 = (((im[a0] * 10922 + 16384) >> 15) << 16) >> 16
            const x1r = (((re[a1] * 10922 + 16384) >> 15) << 16) >> 16
            const x1i = (((im[a1] * 10922 + 16384) >> 15) << 16) >> 16
            const x2r = (((re[a2] * 10922 + 16384) >> 15) << 16) >> 16
            const x2i = (((im[a2] * 10922 + 16384) >> 15) << 16) >> 16
            const w1r = twRe[k * fstride]
            const w1i = twIm[k * fstride]
            const w2r = twRe[2 * k * fstride]
            const w2i = twIm[2 * k * fstride]
            const s1r = (((x1r * w1r - x1i * w1i + 16384) >> 15) << 16) >> 16
            const s1i = (((x1r * w1i + x1i * w1r + 16384) >> 15) << 16) >> 16
            const s2r = (((x2r * w2r - x2i * w2i + 16384) >> 15) << 16) >> 16
            const s2i = (((x2r * w2i + x2i * w2r + 16384) >> 15) << 16) >> 16
            const s3r = ((s1r + s2r) << 16) >> 16
            const s3i = ((s1i + s2i) << 16) >> 16
            const d0r = ((s1r - s2r) << 16) >> 16
            const d0i = ((s1i - s2i) << 16) >> 16
            const f1r = ((r0 - (s3r >> 1)) << 16) >> 16
            const f1i = ((i0 - (s3i >> 1)) << 16) >> 16
            const s0r = (((d0r * epi3i + 16384) >> 15) << 16) >> 16
            const s0i = (((d0i * epi3i + 16384) >> 15) << 16) >> 16
            re[a0] = ((r0 + s3r) << 16) >> 16
            im[a0] = ((i0 + s3i) << 16) >> 16
            re[a2] = ((f1r + s0i) << 16) >> 16
            im[a2] = ((f1i - s0r) << 16) >> 16
            re[a1] = ((f1r - s0i) << 16) >> 16
            im[a1] = ((f1i + s0r) << 16) >> 16
        }
    }

    function kissButterfly4(fft: KissFft, fout: number, fstride: number, m: number): void {
        const re = fft.outRe
        const im = fft.outIm
        const twRe = fft.twiddleRe
        const twIm = fft.twiddleIm
        for (let k = 0; k < m; k++) {
            const a0 = fout + k
            const a1 = a0 + m
            const a2 = a1 + m
            const a3 = a2 + m
            // C_FIXDIV by 4: floor(32767 / 4) = 8191.
            let r0 = (((re[a0] * 8191 + 16384) >> 15) << 16) >> 16
            let i0 = (((im[a0] * 8191 + 16384) >> 15) << 16) >> 16
            const x1r = (((re[a1] * 8191 + 16384) >> 15) << 16) >> 16
            const x1i = (((im[a1] * 8191 + 16384) >> 15) << 16) >> 16
            const x2r = (((re[a2] * 8191 + 16384) >> 15) << 16) >> 16
            const x2i = (((im[a2] * 8191 + 16384) >> 15) << 16) >> 16
            const x3r = (((re[a3] * 8191 + 16384) >> 15) << 16) >> 16
            const x3i = (((im[a3] * 8191 + 16384) >> 15) << 16) >> 16
            const t1 = k * fstride
            const t2 = 2 * t1
            const t3 = 3 * t1
            const w1r = twRe[t1]
            const w1i = twIm[t1]
            const w2r = twRe[t2]
            const w2i = twIm[t2]
            const w3r = twRe[t3]
            const w3i = twIm[t3]
            const s0r = (((x1r * w1r - x1i * w1i + 16384) >> 15) << 16) >> 16
            const s0i = (((x1r * w1i + x1i * w1r + 16384) >> 15) << 16) >> 16
            const s1r = (((x2r * w2r - x2i * w2i + 16384) >> 15) << 16) >> 16
            const s1i = (((x2r * w2i + x2i * w2r + 16384) >> 15) << 16) >> 16
            const s2r = (((x3r * w3r - x3i * w3i + 16384) >> 15) << 16) >> 16
            const s2i = (((x3r * w3i + x3i * w3r + 16384) >> 15) << 16) >> 16
            const s5r = ((r0 - s1r) << 16) >> 16
            const s5i = ((i0 - s1i) << 16) >> 16
            r0 = ((r0 + s1r) << 16) >> 16
            i0 = ((i0 + s1i) << 16) >> 16
            const s3r = ((s0r + s2r) << 16) >> 16
            const s3i = ((s0i + s2i) << 16) >> 16
            const s4r = ((s0r - s2r) << 16) >> 16
            const s4i = ((s0i - s2i) << 16) >> 16
            re[a2] = ((r0 - s3r) << 16) >> 16
            im[a2] = ((i0 - s3i) << 16) >> 16
            re[a0] = ((r0 + s3r) << 16) >> 16
            im[a0] = ((i0 + s3i) << 16) >> 16
            re[a1] = ((s5r + s4i) << 16) >> 16
            im[a1] = ((s5i - s4r) << 16) >> 16
            re[a3] = ((s5r - s4i) << 16) >> 16
            im[a3] = ((s5i + s4r) << 16) >> 16
        }
    }

    function kissButterfly5(fft: KissFft, fout: number, fstride: number, m: number): void {
        const re = fft.outRe
        const im = fft.outIm
        const twRe = fft.twiddleRe
        const twIm = fft.twiddleIm
        const yar = twRe[fstride * m]
        const yai = twIm[fstride * m]
        const ybr = twRe[2 * fstride * m]
        const ybi = twIm[2 * fstride * m]
        for (let u = 0; u < m; u++) {
            const a0 = fout + u
            const a1 = a0 + m
            const a2 = a1 + m
            const a3 = a2 + m
            const a4 = a3 + m
            // C_FIXDIV by 5: floor(32767 / 5) = 6553.
            const s0r = (((re[a0] * 6553 + 16384) >> 15) << 16) >> 16
            const s0i = (((im[a0] * 6553 + 16384) >> 15) << 16) >> 16
            const x1r = (((re[a1] * 6553 + 16384) >> 15) << 16) >> 16
            const x1i = (((im[a1] * 6553 + 16384) >> 15) << 16) >> 16
            const x2r = (((re[a2] * 6553 + 16384) >> 15) << 16) >> 16
            const x2i = (((im[a2] * 6553 + 16384) >> 15) << 16) >> 16
            const x3r = (((re[a3] * 6553 + 16384) >> 15) << 16) >> 16
            const x3i = (((im[a3] * 6553 + 16384) >> 15) << 16) >> 16
            const x4r = (((re[a4] * 6553 + 16384) >> 15) << 16) >> 16
            const x4i = (((im[a4] * 6553 + 16384) >> 15) << 16) >> 16
            const t1 = u * fstride
            const t2 = 2 * t1
            const t3 = 3 * t1
            const t4 = 4 * t1
            const s1r = (((x1r * twRe[t1] - x1i * twIm[t1] + 16384) >> 15) << 16) >> 16
            const s1i = (((x1r * twIm[t1] + x1i * twRe[t1] + 16384) >> 15) << 16) >> 16
            const s2r = (((x2r * twRe[t2] - x2i * twIm[t2] + 16384) >> 15) << 16) >> 16
            const s2i = (((x2r * twIm[t2] + x2i * twRe[t2] + 16384) >> 15) << 16) >> 16
            const s3r = (((x3r * twRe[t3] - x3i * twIm[t3] + 16384) >> 15) << 16) >> 16
            const s3i = (((x3r * twIm[t3] + x3i * twRe[t3] + 16384) >> 15) << 16) >> 16
            const s4r = (((x4r * twRe[t4] - x4i * twIm[t4] + 16384) >> 15) << 16) >> 16
            const s4i = (((x4r * twIm[t4] + x4i * twRe[t4] + 16384) >> 15) << 16) >> 16
            const s7r = ((s1r + s4r) << 16) >> 16
            const s7i = ((s1i + s4i) << 16) >> 16
            const s10r = ((s1r - s4r) << 16) >> 16
            const s10i = ((s1i - s4i) << 16) >> 16
            const s8r = ((s2r + s3r) << 16) >> 16
            const s8i = ((s2i + s3i) << 16) >> 16
            const s9r = ((s2r - s3r) << 16) >> 16
            const s9i = ((s2i - s3i) << 16) >> 16
            re[a0] = ((s0r + s7r + s8r) << 16) >> 16
            im[a0] = ((s0i + s7i + s8i) << 16) >> 16
            const s5r = ((s0r + ((((s7r * yar + 16384) >> 15) << 16) >> 16) + ((((s8r * ybr + 16384) >> 15) << 16) >> 16)) << 16) >> 16
            const s5i = ((s0i + ((((s7i * yar + 16384) >> 15) << 16) >> 16) + ((((s8i * ybr + 16384) >> 15) << 16) >> 16)) << 16) >> 16
            const s6r = ((((((s10i * yai + 16384) >> 15) << 16) >> 16) + ((((s9i * ybi + 16384) >> 15) << 16) >> 16)) << 16) >> 16
            const s6i = ((-((((s10r * yai + 16384) >> 15) << 16) >> 16) - ((((s9r * ybi + 16384) >> 15) << 16) >> 16)) << 16) >> 16
            re[a1] = ((s5r - s6r) << 16) >> 16
            im[a1] = ((s5i - s6i) << 16) >> 16
            re[a4] = ((s5r + s6r) << 16) >> 16
            im[a4] = ((s5i + s6i) << 16) >> 16
            const s11r = ((s0r + ((((s7r * ybr + 16384) >> 15) << 16) >> 16) + ((((s8r * yar + 16384) >> 15) << 16) >> 16)) << 16) >> 16
            const s11i = ((s0i + ((((s7i * ybr + 16384) >> 15) << 16) >> 16) + ((((s8i * yar + 16384) >> 15) << 16) >> 16)) << 16) >> 16
            const s12r = ((-((((s10i * ybi + 16384) >> 15) << 16) >> 16) + ((((s9i * yai + 16384) >> 15) << 16) >> 16)) << 16) >> 16
            const s12i = ((((((s10r * ybi + 16384) >> 15) << 16) >> 16) - ((((s9r * yai + 16384) >> 15) << 16) >> 16)) << 16) >> 16
            re[a2] = ((s11r + s12r) << 16) >> 16
            im[a2] = ((s11i + s12i) << 16) >> 16
            re[a3] = ((s11r - s12r) << 16) >> 16
            im[a3] = ((s11i - s12i) << 16) >> 16
        }
    }

    /** Reads `count` complex int16 values (r, i per word) of a parameter block from `word` on. */
    function pushTwiddles(re: number[], im: number[], p: Buffer, word: number, count: number): void {
        for (let i = 0; i < count; i++) {
            re.push(p.getNumber(NumberFormat.Int16LE, 4 * (word + i)))
            im.push(p.getNumber(NumberFormat.Int16LE, 4 * (word + i) + 2))
        }
    }

    export function signalRfftInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalRfftParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalRfftParams.Input)
        const output = paramBuffer(p, SignalRfftParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalRfftParams.Output)
        const fftLength = param(p, SignalRfftParams.FftLength)
        const inputLength = param(p, SignalRfftParams.InputLength)
        const rows = param(p, SignalRfftParams.Rows)
        const stages = param(p, SignalRfftParams.Stages)
        const n = fftLength >> 1
        const fft = new KissFft()
        fft.factors = []
        for (let i = 0; i < 2 * stages; i++) fft.factors.push(param(p, SignalRfftParams.Factors + i))
        fft.twiddleRe = []
        fft.twiddleIm = []
        pushTwiddles(fft.twiddleRe, fft.twiddleIm, p, param(p, SignalRfftParams.Twiddles), n)
        const superRe: number[] = []
        const superIm: number[] = []
        pushTwiddles(superRe, superIm, p, param(p, SignalRfftParams.SuperTwiddles), n >> 1)
        const re: number[] = []
        const im: number[] = []
        pushZeros(re, n)
        pushZeros(im, n)
        fft.outRe = re
        fft.outIm = im
        for (let row = 0; row < rows; row++) {
            // The row zero-padded to fftLength samples, read as n complex values.
            const from = inputAt + 2 * row * inputLength
            const inRe: number[] = []
            const inIm: number[] = []
            for (let i = 0; i < fftLength; i += 2) {
                inRe.push(i < inputLength ? input.getNumber(NumberFormat.Int16LE, from + 2 * i) : 0)
                inIm.push(i + 1 < inputLength ? input.getNumber(NumberFormat.Int16LE, from + 2 * i + 2) : 0)
            }
            fft.inRe = inRe
            fft.inIm = inIm
            kissWork(fft, 0, 0, 1, 0)
            // The real FFT's split of the n-point complex result into n + 1 bins.
            const out = outputAt + 4 * row * (n + 1)
            const dcr = (((re[0] * 16383 + 16384) >> 15) << 16) >> 16
            const dci = (((im[0] * 16383 + 16384) >> 15) << 16) >> 16
            output.setNumber(NumberFormat.Int16LE, out, ((dcr + dci) << 16) >> 16)
            output.setNumber(NumberFormat.Int16LE, out + 2, 0)
            output.setNumber(NumberFormat.Int16LE, out + 4 * n, ((dcr - dci) << 16) >> 16)
            output.setNumber(NumberFormat.Int16LE, out + 4 * n + 2, 0)
            for (let k = 1; k <= (n >> 1); k++) {
                const fpkr = (((re[k] * 16383 + 16384) >> 15) << 16) >> 16
                const fpki = (((im[k] * 16383 + 16384) >> 15) << 16) >> 16
                const fpnkr = (((re[n - k] * 16383 + 16384) >> 15) << 16) >> 16
                const fpnki = (((((-im[n - k] << 16) >> 16) * 16383 + 16384) >> 15) << 16) >> 16
                const f1r = ((fpkr + fpnkr) << 16) >> 16
                const f1i = ((fpki + fpnki) << 16) >> 16
                const f2r = ((fpkr - fpnkr) << 16) >> 16
                const f2i = ((fpki - fpnki) << 16) >> 16
                const wr = superRe[k - 1]
                const wi = superIm[k - 1]
                const twr = (((f2r * wr - f2i * wi + 16384) >> 15) << 16) >> 16
                const twi = (((f2r * wi + f2i * wr + 16384) >> 15) << 16) >> 16
                output.setNumber(NumberFormat.Int16LE, out + 4 * k, (((f1r + twr) >> 1) << 16) >> 16)
                output.setNumber(NumberFormat.Int16LE, out + 4 * k + 2, (((f1i + twi) >> 1) << 16) >> 16)
                output.setNumber(NumberFormat.Int16LE, out + 4 * (n - k), (((f1r - twr) >> 1) << 16) >> 16)
                output.setNumber(NumberFormat.Int16LE, out + 4 * (n - k) + 2, (((twi - f1i) >> 1) << 16) >> 16)
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // SignalEnergy: output[k] = re[k]^2 + im[k]^2 for start_index <= k < end_index. TFLM leaves
    // the other output elements as the arena held them (no model reads them: the filter bank
    // reads only its channels' frequencies); here they are zeros, so that they do not depend on
    // what ran before (the C and the STS use scratch memory differently).

    /** Parameter block of signal_energy_int16 (words). */
    export const enum SignalEnergyParams {
        Input = 0, Output = 2,
        Start = 4, End = 5,
        /** The output's element count. */
        Elements = 6,
        Words = 7,
    }

    function prepareSignalEnergy(op: Operator): void {
        checkSignalIo(op, 1, 1)
        const input = op.input(0)
        const output = op.output(0)
        checkSignalTensor(op, input, "input", TensorType.Int16, 1)
        checkSignalTensor(op, output, "output", TensorType.UInt32, 1)
        const options = customOptionsMap(op)
        const bins = Math.min(input.elementCount() >> 1, output.elementCount())
        const end = signalOptionInRange(op, options, "end_index", 0, bins)
        const start = signalOptionInRange(op, options, "start_index", 0, end)
        const p = op.useBody("signal_energy_int16", SignalEnergyParams.Words)
        op.paramTensor(SignalEnergyParams.Input, input)
        op.paramTensor(SignalEnergyParams.Output, output)
        setParam(p, SignalEnergyParams.Start, start)
        setParam(p, SignalEnergyParams.End, end)
        setParam(p, SignalEnergyParams.Elements, output.elementCount())
    }

    export function signalEnergyInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalEnergyParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalEnergyParams.Input)
        const output = paramBuffer(p, SignalEnergyParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalEnergyParams.Output)
        const start = param(p, SignalEnergyParams.Start)
        const end = param(p, SignalEnergyParams.End)
        const elements = param(p, SignalEnergyParams.Elements)
        for (let k = 0; k < start; k++) output.setNumber(NumberFormat.UInt32LE, outputAt + 4 * k, 0)
        for (let k = end; k < elements; k++) output.setNumber(NumberFormat.UInt32LE, outputAt + 4 * k, 0)
        for (let k = start; k < end; k++) {
            const re = input.getNumber(NumberFormat.Int16LE, inputAt + 4 * k)
            const im = input.getNumber(NumberFormat.Int16LE, inputAt + 4 * k + 2)
            // An int32 sum in C: 2 * (-32768)^2 overflows to INT32_MIN, which is 2^31 as uint32 anyway.
            output.setNumber(NumberFormat.UInt32LE, outputAt + 4 * k, (re * re + im * im) >>> 0)
        }
    }

    // ---------------------------------------------------------------------------------------
    // SignalFilterBank: channel c sums energy[f] * weight over its frequencies, plus
    // energy[f] * unweight over the frequencies of channel c - 1 (the falling half of the
    // triangle). TFLM computes channels 0..num_channels, 0 being scratch, and outputs 1..num_channels.
    // The accumulators are uint64; products are int16 weights (sign-extended) times uint32.

    /** Parameter block of signal_filter_bank_uint32 (words). */
    export const enum SignalFilterBankParams {
        Input = 0, Weights = 2, Unweights = 4, ChannelFrequencyStarts = 6, ChannelWeightStarts = 8,
        ChannelWidths = 10, Output = 12,
        NumChannels = 14,
        Words = 15,
    }

    function prepareSignalFilterBank(op: Operator): void {
        checkSignalIo(op, 6, 1)
        const input = op.input(0)
        const weights = op.input(1)
        const unweights = op.input(2)
        const freqStarts = op.input(3)
        const weightStarts = op.input(4)
        const widths = op.input(5)
        const output = op.output(0)
        checkSignalTensor(op, input, "input", TensorType.UInt32, 1)
        checkSignalTensor(op, weights, "weights", TensorType.Int16, 1)
        checkSignalTensor(op, unweights, "unweights", TensorType.Int16, 1)
        checkSignalTensor(op, freqStarts, "channel frequency starts", TensorType.Int16, 1)
        checkSignalTensor(op, weightStarts, "channel weight starts", TensorType.Int16, 1)
        checkSignalTensor(op, widths, "channel widths", TensorType.Int16, 1)
        checkSignalTensor(op, output, "output", TensorType.UInt64, 1)
        const channels = signalOptionInRange(op, customOptionsMap(op), "num_channels", 1, 65535)
        op.check(output.elementCount() === channels, "output " + output.describe() + " must have num_channels = " + channels + " values")
        // TFLM reads these without bounds checks: here they must be constant and stay in bounds.
        op.check(freqStarts.isConst && weightStarts.isConst && widths.isConst,
            "channel frequency starts, weight starts and widths must be constant")
        for (let c = 0; c <= channels; c++) {
            op.check(c < freqStarts.elementCount() && c < weightStarts.elementCount() && c < widths.elementCount(),
                "channel tables must have num_channels + 1 = " + (channels + 1) + " entries")
            const f = freqStarts.get(c)
            const w = weightStarts.get(c)
            const n = widths.get(c)
            op.check(n <= 0 || (f >= 0 && f + n <= input.elementCount()),
                "channel " + c + " reads frequencies " + f + ".." + (f + n - 1) + " outside input " + input.describe())
            op.check(n <= 0 || (w >= 0 && w + n <= weights.elementCount() && w + n <= unweights.elementCount()),
                "channel " + c + " reads weights " + w + ".." + (w + n - 1) + " outside the weight tables")
        }
        const p = op.useBody("signal_filter_bank_uint32", SignalFilterBankParams.Words)
        op.paramTensor(SignalFilterBankParams.Input, input)
        op.paramTensor(SignalFilterBankParams.Weights, weights)
        op.paramTensor(SignalFilterBankParams.Unweights, unweights)
        op.paramTensor(SignalFilterBankParams.ChannelFrequencyStarts, freqStarts)
        op.paramTensor(SignalFilterBankParams.ChannelWeightStarts, weightStarts)
        op.paramTensor(SignalFilterBankParams.ChannelWidths, widths)
        op.paramTensor(SignalFilterBankParams.Output, output)
        setParam(p, SignalFilterBankParams.NumChannels, channels)
    }

    export function signalFilterBankUInt32(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalFilterBankParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalFilterBankParams.Input)
        const weights = paramBuffer(p, SignalFilterBankParams.Weights, model, arena)
        const weightsAt = paramOffset(p, SignalFilterBankParams.Weights)
        const unweights = paramBuffer(p, SignalFilterBankParams.Unweights, model, arena)
        const unweightsAt = paramOffset(p, SignalFilterBankParams.Unweights)
        const freqStarts = paramBuffer(p, SignalFilterBankParams.ChannelFrequencyStarts, model, arena)
        const freqStartsAt = paramOffset(p, SignalFilterBankParams.ChannelFrequencyStarts)
        const weightStarts = paramBuffer(p, SignalFilterBankParams.ChannelWeightStarts, model, arena)
        const weightStartsAt = paramOffset(p, SignalFilterBankParams.ChannelWeightStarts)
        const widths = paramBuffer(p, SignalFilterBankParams.ChannelWidths, model, arena)
        const widthsAt = paramOffset(p, SignalFilterBankParams.ChannelWidths)
        const output = paramBuffer(p, SignalFilterBankParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalFilterBankParams.Output)
        const channels = param(p, SignalFilterBankParams.NumChannels)
        // The two uint64 accumulators as (high, low) uint32 halves. Each product is below 2^47
        // in magnitude, so low + product stays exact before the carry moves into high.
        let weightHigh = 0
        let weightLow = 0
        let unweightHigh = 0
        let unweightLow = 0
        for (let c = 0; c <= channels; c++) {
            const f = freqStarts.getNumber(NumberFormat.Int16LE, freqStartsAt + 2 * c)
            const w = weightStarts.getNumber(NumberFormat.Int16LE, weightStartsAt + 2 * c)
            const width = widths.getNumber(NumberFormat.Int16LE, widthsAt + 2 * c)
            for (let j = 0; j < width; j++) {
                const energy = input.getNumber(NumberFormat.UInt32LE, inputAt + 4 * (f + j))
                weightLow += weights.getNumber(NumberFormat.Int16LE, weightsAt + 2 * (w + j)) * energy
                let carry = Math.floor(weightLow / 4294967296)
                weightLow -= carry * 4294967296
                weightHigh = (weightHigh + carry + 4294967296) % 4294967296
                unweightLow += unweights.getNumber(NumberFormat.Int16LE, unweightsAt + 2 * (w + j)) * energy
                carry = Math.floor(unweightLow / 4294967296)
                unweightLow -= carry * 4294967296
                unweightHigh = (unweightHigh + carry + 4294967296) % 4294967296
            }
            if (c > 0) {
                output.setNumber(NumberFormat.UInt32LE, outputAt + 8 * (c - 1), weightLow)
                output.setNumber(NumberFormat.UInt32LE, outputAt + 8 * (c - 1) + 4, weightHigh)
            }
            weightHigh = unweightHigh
            weightLow = unweightLow
            unweightHigh = 0
            unweightLow = 0
        }
    }

    // ---------------------------------------------------------------------------------------
    // SignalFilterBankSquareRoot: output[c] = Sqrt64(input[c]) >> scale_bits, where Sqrt64 is
    // the integer square root rounded to nearest (a remainder above the root rounds up), capped
    // to 0xFFFF when the input fits 32 bits (Sqrt32) and to 0xFFFFFFFF otherwise.

    /** Parameter block of signal_filter_bank_square_root_uint64 (words). */
    export const enum SignalFilterBankSquareRootParams {
        Input = 0, ScaleBits = 2, Output = 4,
        NumChannels = 6,
        Words = 7,
    }

    function prepareSignalFilterBankSquareRoot(op: Operator): void {
        checkSignalIo(op, 2, 1)
        const input = op.input(0)
        const scaleBits = op.input(1)
        const output = op.output(0)
        checkSignalTensor(op, input, "input", TensorType.UInt64, 1)
        checkSignalTensor(op, scaleBits, "scale bits", TensorType.Int32, 0)
        checkSignalTensor(op, output, "output", TensorType.UInt32, 1)
        checkSignalSameCount(op, output, input)
        const p = op.useBody("signal_filter_bank_square_root_uint64", SignalFilterBankSquareRootParams.Words)
        op.paramTensor(SignalFilterBankSquareRootParams.Input, input)
        op.paramTensor(SignalFilterBankSquareRootParams.ScaleBits, scaleBits)
        op.paramTensor(SignalFilterBankSquareRootParams.Output, output)
        setParam(p, SignalFilterBankSquareRootParams.NumChannels, input.elementCount())
    }

    /** TFLM's Sqrt64 of high * 2^32 + low (Sqrt32 when high is 0). */
    export function signalSqrt64(high: number, low: number): number {
        if (high === 0 && low === 0) return 0
        // A first guess from the double nearest the input, then exact corrections: the root r is
        // below 2^32, and r^2 is formed exactly from 16-bit halves.
        let r = Math.floor(Math.sqrt(high * 4294967296 + low))
        if (r > 4294967295) r = 4294967295
        let remainder = 0
        while (true) {
            const rh = Math.floor(r / 65536)
            const rl = r % 65536
            const mid = 2 * rh * rl
            let sqLow = (mid % 65536) * 65536 + rl * rl
            const sqHigh = rh * rh + Math.floor(mid / 65536) + Math.floor(sqLow / 4294967296)
            sqLow = sqLow % 4294967296
            // input - r^2, exact: it is small whenever r is within a few units of the root.
            remainder = (high - sqHigh) * 4294967296 + (low - sqLow)
            if (remainder < 0) r--
            else if (remainder > 2 * r) r++
            else break
        }
        const cap = high === 0 ? 0xffff : 0xffffffff
        return remainder > r && r !== cap ? r + 1 : r
    }

    export function signalFilterBankSquareRootUInt64(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalFilterBankSquareRootParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalFilterBankSquareRootParams.Input)
        const scaleBits = paramBuffer(p, SignalFilterBankSquareRootParams.ScaleBits, model, arena)
        const scaleAt = paramOffset(p, SignalFilterBankSquareRootParams.ScaleBits)
        const output = paramBuffer(p, SignalFilterBankSquareRootParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalFilterBankSquareRootParams.Output)
        const channels = param(p, SignalFilterBankSquareRootParams.NumChannels)
        // A uint32 shifted by an int: the x86 shift uses the count's low 5 bits, as >>> does.
        const shift = scaleBits.getNumber(NumberFormat.Int32LE, scaleAt)
        for (let c = 0; c < channels; c++) {
            const low = input.getNumber(NumberFormat.UInt32LE, inputAt + 8 * c)
            const high = input.getNumber(NumberFormat.UInt32LE, inputAt + 8 * c + 4)
            output.setNumber(NumberFormat.UInt32LE, outputAt + 4 * c, signalSqrt64(high, low) >>> shift)
        }
    }

    // ---------------------------------------------------------------------------------------
    // SignalFilterBankSpectralSubtraction: per channel, a low-pass noise estimate
    //   noise = (signal << smoothing_bits) * smoothing + noise * (1 - smoothing)   (>> ss_bits)
    // (odd channels may use the alternate coefficients), then
    //   output = max(((signal << sb) - min(noise, signal << sb)) >> sb, signal * min_remaining >> ss_bits).
    // Output 1 is a copy of the noise estimate.

    /** Parameter block of signal_filter_bank_spectral_subtraction_uint32 (words). */
    export const enum SignalSpectralSubtractionParams {
        Input = 0, Output = 2, NoiseEstimate = 4,
        NumChannels = 6,
        /** The coefficients, uint32, scaled by 2^SpectralSubtractionBits. */
        Smoothing = 7, OneMinusSmoothing = 8, AlternateSmoothing = 9, AlternateOneMinusSmoothing = 10,
        MinSignalRemaining = 11,
        SmoothingBits = 12, SpectralSubtractionBits = 13,
        /** 1: a noise estimate above the signal is pulled down to it. */
        Clamping = 14,
        /** Arena offset of the noise estimate kept between invokes: NumChannels uint32. */
        State = 15,
        Words = 16,
    }

    function prepareSignalSpectralSubtraction(op: Operator): void {
        checkSignalIo(op, 1, 2)
        const input = op.input(0)
        const output = op.output(0)
        const noise = op.output(1)
        checkSignalTensor(op, input, "input", TensorType.UInt32, 1)
        checkSignalTensor(op, output, "output", TensorType.UInt32, 1)
        checkSignalTensor(op, noise, "noise estimate", TensorType.UInt32, 1)
        const options = customOptionsMap(op)
        const channels = signalOptionInRange(op, options, "num_channels", 1, 65535)
        op.check(input.elementCount() === channels && output.elementCount() === channels && noise.elementCount() === channels,
            "input, output and noise estimate must have num_channels = " + channels + " values")
        const p = op.useBody("signal_filter_bank_spectral_subtraction_uint32", SignalSpectralSubtractionParams.Words)
        op.paramPersistent(SignalSpectralSubtractionParams.State, 4 * channels)
        op.paramTensor(SignalSpectralSubtractionParams.Input, input)
        op.paramTensor(SignalSpectralSubtractionParams.Output, output)
        op.paramTensor(SignalSpectralSubtractionParams.NoiseEstimate, noise)
        setParam(p, SignalSpectralSubtractionParams.NumChannels, channels)
        // TFLM stores these int32 options in uint32 fields.
        setParam(p, SignalSpectralSubtractionParams.Smoothing, signalIntOption(op, options, "smoothing"))
        setParam(p, SignalSpectralSubtractionParams.OneMinusSmoothing, signalIntOption(op, options, "one_minus_smoothing"))
        setParam(p, SignalSpectralSubtractionParams.AlternateSmoothing, signalIntOption(op, options, "alternate_smoothing"))
        setParam(p, SignalSpectralSubtractionParams.AlternateOneMinusSmoothing, signalIntOption(op, options, "alternate_one_minus_smoothing"))
        setParam(p, SignalSpectralSubtractionParams.MinSignalRemaining, signalIntOption(op, options, "min_signal_remaining"))
        setParam(p, SignalSpectralSubtractionParams.SmoothingBits, signalOptionInRange(op, options, "smoothing_bits", 0, 31))
        setParam(p, SignalSpectralSubtractionParams.SpectralSubtractionBits, signalOptionInRange(op, options, "spectral_subtraction_bits", 0, 63))
        const clamping = options ? options.get("clamping") : null
        op.check(!!clamping, "custom option 'clamping' is missing")
        setParam(p, SignalSpectralSubtractionParams.Clamping, clamping.asBool() ? 1 : 0)
    }

    export function signalSpectralSubtractionUInt32(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalSpectralSubtractionParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalSpectralSubtractionParams.Input)
        const output = paramBuffer(p, SignalSpectralSubtractionParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalSpectralSubtractionParams.Output)
        const noiseOut = paramBuffer(p, SignalSpectralSubtractionParams.NoiseEstimate, model, arena)
        const noiseOutAt = paramOffset(p, SignalSpectralSubtractionParams.NoiseEstimate)
        const channels = param(p, SignalSpectralSubtractionParams.NumChannels)
        const smoothingBits = param(p, SignalSpectralSubtractionParams.SmoothingBits)
        const ssBits = param(p, SignalSpectralSubtractionParams.SpectralSubtractionBits)
        const minRemaining = param(p, SignalSpectralSubtractionParams.MinSignalRemaining) >>> 0
        const clamping = param(p, SignalSpectralSubtractionParams.Clamping)
        for (let c = 0; c < channels; c++) {
            const odd = c & 1
            const smoothing = param(p, odd ? SignalSpectralSubtractionParams.AlternateSmoothing : SignalSpectralSubtractionParams.Smoothing) >>> 0
            const oneMinus = param(p, odd ? SignalSpectralSubtractionParams.AlternateOneMinusSmoothing : SignalSpectralSubtractionParams.OneMinusSmoothing) >>> 0
            const stateAt = param(p, SignalSpectralSubtractionParams.State) + 4 * c
            const signal = input.getNumber(NumberFormat.UInt32LE, inputAt + 4 * c)
            const signalScaledUp = (signal << smoothingBits) >>> 0
            let noise = mulAddShiftU64(signalScaledUp, smoothing, arena.getNumber(NumberFormat.UInt32LE, stateAt), oneMinus, ssBits)
            let estimate = noise
            if (estimate > signalScaledUp) {
                estimate = signalScaledUp
                if (clamping) noise = estimate
            }
            arena.setNumber(NumberFormat.UInt32LE, stateAt, noise)
            const floor = mulAddShiftU64(signal, minRemaining, 0, 0, ssBits)
            const subtracted = (signalScaledUp - estimate) >>> smoothingBits
            output.setNumber(NumberFormat.UInt32LE, outputAt + 4 * c, subtracted > floor ? subtracted : floor)
            noiseOut.setNumber(NumberFormat.UInt32LE, noiseOutAt + 4 * c, noise)
        }
    }

    // ---------------------------------------------------------------------------------------
    // SignalPCAN (per-channel amplitude normalization, pcan_argc_fixed.cc): a gain looked up from
    // the channel's noise estimate (a piecewise quadratic per octave, from the gain LUT), then
    //   snr = (signal * gain) >> snr_shift          (12 fraction bits)
    //   output = snr < 2 ? snr^2 / 4 : snr - 1      (6 fraction bits)

    /** Parameter block of signal_pcan_uint32 (words). */
    export const enum SignalPcanParams {
        Input = 0, NoiseEstimate = 2, GainLut = 4, Output = 6,
        NumChannels = 8, SnrShift = 9,
        Words = 10,
    }

    function prepareSignalPcan(op: Operator): void {
        checkSignalIo(op, 3, 1)
        const input = op.input(0)
        const noise = op.input(1)
        const lut = op.input(2)
        const output = op.output(0)
        checkSignalTensor(op, input, "input", TensorType.UInt32, 1)
        checkSignalTensor(op, noise, "noise estimate", TensorType.UInt32, 1)
        checkSignalTensor(op, lut, "gain LUT", TensorType.Int16, 1)
        checkSignalTensor(op, output, "output", TensorType.UInt32, 1)
        const channels = input.elementCount()
        op.check(channels > 0 && noise.elementCount() === channels && output.elementCount() === channels,
            "input, noise estimate and output must have the same number of values")
        // A noise estimate with its top bit at position b reads entries 4b - 6 .. 4b - 4, up to 124.
        op.check(lut.elementCount() >= 125, "gain LUT " + lut.describe() + " must have 125 entries")
        const p = op.useBody("signal_pcan_uint32", SignalPcanParams.Words)
        op.paramTensor(SignalPcanParams.Input, input)
        op.paramTensor(SignalPcanParams.NoiseEstimate, noise)
        op.paramTensor(SignalPcanParams.GainLut, lut)
        op.paramTensor(SignalPcanParams.Output, output)
        setParam(p, SignalPcanParams.NumChannels, channels)
        setParam(p, SignalPcanParams.SnrShift, signalOptionInRange(op, customOptionsMap(op), "snr_shift", 0, 63))
    }

    /** WideDynamicFunction: the int16 gain for noise estimate x (uint32), from the LUT at `lutAt`. */
    function pcanGain(lut: Buffer, lutAt: number, x: number): number {
        if (x <= 2) return lut.getNumber(NumberFormat.Int16LE, lutAt + 2 * x)
        const interval = mostSignificantBit32(x)
        const base = lutAt + 2 * (4 * interval - 6)
        // The 10 bits below the top bit: where x lies within its octave.
        const frac = (interval < 11 ? x << (11 - interval) : x >>> (interval - 11)) & 0x3ff
        let result = (lut.getNumber(NumberFormat.Int16LE, base + 4) * frac) >> 5
        result += lut.getNumber(NumberFormat.Int16LE, base + 2) * 32
        result = Math.imul(result, frac)
        result = ((result + (1 << 14)) | 0) >> 15
        result += lut.getNumber(NumberFormat.Int16LE, base)
        return wrapInt16(result)
    }

    export function signalPcanUInt32(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalPcanParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalPcanParams.Input)
        const noise = paramBuffer(p, SignalPcanParams.NoiseEstimate, model, arena)
        const noiseAt = paramOffset(p, SignalPcanParams.NoiseEstimate)
        const lut = paramBuffer(p, SignalPcanParams.GainLut, model, arena)
        const lutAt = paramOffset(p, SignalPcanParams.GainLut)
        const output = paramBuffer(p, SignalPcanParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalPcanParams.Output)
        const channels = param(p, SignalPcanParams.NumChannels)
        const snrShift = param(p, SignalPcanParams.SnrShift)
        for (let c = 0; c < channels; c++) {
            // The int16 gain becomes a uint32 (sign-extended) before the 64-bit product.
            const gain = pcanGain(lut, lutAt, noise.getNumber(NumberFormat.UInt32LE, noiseAt + 4 * c)) >>> 0
            const snr = mulAddShiftU64(input.getNumber(NumberFormat.UInt32LE, inputAt + 4 * c), gain, 0, 0, snrShift)
            // PcanShrink with kPcanSnrBits = 12, kPcanOutputBits = 6.
            const shrunk = snr < (2 << 12) ? Math.floor(snr * snr / 1048576) : (snr >>> 6) - 64
            output.setNumber(NumberFormat.UInt32LE, outputAt + 4 * c, shrunk)
        }
    }

    // ---------------------------------------------------------------------------------------
    // SignalFilterBankLog: output = min(Log32(input << correction_bits, output_scale), 32767),
    // 0 for inputs that scale to 0 or 1. Log32 is a fixed-point natural log: log2 from the top
    // bit's position plus a LUT-interpolated fraction (16 bits), times ln 2 (45426 / 2^16), times
    // output_scale, rounded.

    /** Parameter block of signal_filter_bank_log_uint32 (words). */
    export const enum SignalFilterBankLogParams {
        Input = 0, Output = 2,
        NumChannels = 4, OutputScale = 5, InputCorrectionBits = 6,
        Words = 7,
    }

    // log2(1 + x) - x for x = i / 128, in units of 2^-16: TFLM's kLogLut (signal/src/log.cc).
    const SIGNAL_LOG_LUT = [
        0, 224, 442, 654, 861, 1063, 1259, 1450, 1636, 1817, 1992, 2163,
        2329, 2490, 2646, 2797, 2944, 3087, 3224, 3358, 3487, 3611, 3732, 3848,
        3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934,
        5001, 5063, 5123, 5178, 5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507,
        5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640, 5641, 5638, 5633,
        5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370,
        5332, 5291, 5249, 5203, 5156, 5106, 5054, 5000, 4944, 4885, 4825, 4762,
        4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848,
        3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659,
        2549, 2437, 2323, 2207, 2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224,
        1094, 963, 830, 695, 559, 421, 282, 142, 0, 0]

    function prepareSignalFilterBankLog(op: Operator): void {
        checkSignalIo(op, 1, 1)
        const input = op.input(0)
        const output = op.output(0)
        checkSignalTensor(op, input, "input", TensorType.UInt32, 1)
        checkSignalTensor(op, output, "output", TensorType.Int16, 1)
        checkSignalSameCount(op, output, input)
        const options = customOptionsMap(op)
        const p = op.useBody("signal_filter_bank_log_uint32", SignalFilterBankLogParams.Words)
        op.paramTensor(SignalFilterBankLogParams.Input, input)
        op.paramTensor(SignalFilterBankLogParams.Output, output)
        setParam(p, SignalFilterBankLogParams.NumChannels, input.elementCount())
        // Both become uint32 in TFLM.
        setParam(p, SignalFilterBankLogParams.OutputScale, signalIntOption(op, options, "output_scale"))
        setParam(p, SignalFilterBankLogParams.InputCorrectionBits, signalOptionInRange(op, options, "input_correction_bits", 0, 31))
    }

    /** TFLM's Log32(x, out_scale) for x >= 2 (uint32 arithmetic throughout). */
    export function signalLog32(x: number, outScale: number): number {
        const integer = mostSignificantBit32(x) - 1
        // Log2FractionPart32: the bits below the top one, as a 16-bit fraction, plus the LUT's
        // interpolated correction toward log2(1 + fraction).
        let frac = x - Math.pow(2, integer)
        if (integer < 16) frac = frac * (1 << (16 - integer))
        else frac = Math.floor(frac / Math.pow(2, integer - 16))
        const segment = frac >> 9
        const c0 = SIGNAL_LOG_LUT[segment]
        const c1 = SIGNAL_LOG_LUT[segment + 1]
        const relPos = ((c1 - c0) * (frac - segment * 512)) >> 16
        const fraction = frac + c0 + relPos
        const log2 = integer * 65536 + fraction
        // (uint64)45426 * log2 + 32768 >> 16, below 2^37: exact in a double.
        const loge = Math.floor((45426 * log2 + 32768) / 65536)
        // out_scale * loge is a uint32 product in C and wraps.
        return (((Math.imul(outScale, loge) >>> 0) + 32768) % 4294967296) >>> 16
    }

    export function signalFilterBankLogUInt32(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalFilterBankLogParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalFilterBankLogParams.Input)
        const output = paramBuffer(p, SignalFilterBankLogParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalFilterBankLogParams.Output)
        const channels = param(p, SignalFilterBankLogParams.NumChannels)
        const outScale = param(p, SignalFilterBankLogParams.OutputScale)
        const bits = param(p, SignalFilterBankLogParams.InputCorrectionBits)
        for (let c = 0; c < channels; c++) {
            const scaled = (input.getNumber(NumberFormat.UInt32LE, inputAt + 4 * c) << bits) >>> 0
            let v = 0
            if (scaled > 1) {
                v = signalLog32(scaled, outScale)
                if (v > 32767) v = 32767
            }
            output.setNumber(NumberFormat.Int16LE, outputAt + 2 * c, v)
        }
    }
}
