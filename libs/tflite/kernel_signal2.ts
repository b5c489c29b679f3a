namespace tflite {
    // The stateful framing ops of TFLM's Signal library (signal/micro/kernels), which the speech
    // front end does not use: on the board they are in the all-ops build only.
    //
    //   SignalDelay       each row of the innermost dimension delayed by delay_length samples, int16
    //   SignalOverlapAdd  frames added into a running buffer, frame_step samples out per frame, int16/float32
    //   SignalFramer      overlapping frames of frame_size samples, frame_step apart, int16
    //   SignalStacker     the last left + 1 + right frames of channels side by side, int16
    //   SignalRfft        real FFT, int32 and float32 (int16: kernel_signal.ts, whose prepare comes here for the others)
    //   SignalIrfft       inverse real FFT, int16, int32 and float32
    //
    // State: what an op keeps between invokes is arena memory from Operator.paramPersistent, zero
    // at load and after StsInterpreter.resetState, as TFLM's after Prepare and Reset.

    export function registerSignal2Kernels(): void {
        registerCustom("SignalDelay", prepareSignalDelay)
        registerCustom("SignalOverlapAdd", prepareSignalOverlapAdd)
        registerCustom("SignalFramer", prepareSignalFramer)
        registerCustom("SignalStacker", prepareSignalStacker)
        registerCustom("SignalIrfft", prepareSignalIrfft)
        registerBody("signal_delay_int16", signalDelayInt16)
        registerBody("signal_overlap_add_int16", signalOverlapAddInt16)
        registerBody("signal_overlap_add_float", signalOverlapAddFloat)
        registerBody("signal_framer_int16", signalFramerInt16)
        registerBody("signal_stacker_int16", signalStackerInt16)
        registerBody("signal_rfft_float", signalRfftFloat)
        registerBody("signal_irfft_float", signalIrfftFloat)
        registerBody("signal_rfft_int32", signalRfftInt32)
        registerBody("signal_irfft_int16", signalIrfftInt16)
        registerBody("signal_irfft_int32", signalIrfftInt32)
    }

    // ---------------------------------------------------------------------------------------
    // SignalDelay (delay.cc): per row of the innermost dimension, a circular buffer that starts
    // with delay_length zeros; each invoke appends the row, outputs the buffer's first frame_size
    // samples and drops them. So the buffer holds delay_length samples between invokes, which is
    // all the state kept here: the output is the first frame_size samples of state ++ input, the
    // new state its last delay_length.

    /** Parameter block of signal_delay_int16 (words). */
    export const enum SignalDelayParams {
        Input = 0, Output = 2,
        /** The innermost dimension, and how many rows of it the input has. */
        FrameSize = 4, OuterDims = 5,
        DelayLength = 6,
        /** Arena offset of the last DelayLength samples of each row: OuterDims * DelayLength int16. */
        State = 7,
        Words = 8,
    }

    function prepareSignalDelay(op: Operator): void {
        checkSignalIo(op, 1, 1)
        const input = op.input(0)
        const output = op.output(0)
        checkSignalTensor(op, input, "input", TensorType.Int16, -1)
        checkSignalTensor(op, output, "output", TensorType.Int16, input.rank())
        // TFLM divides the size by the innermost dimension.
        op.check(input.rank() >= 1 && input.dim(input.rank() - 1) >= 1,
            "input " + input.describe() + " must have rank 1 or more and a last dimension of 1 or more")
        checkSignalSameCount(op, output, input)
        const delay = signalOptionInRange(op, customOptionsMap(op), "delay_length", 0, 65535)
        const frame = input.dim(input.rank() - 1)
        const rows = input.elementCount() / frame
        const p = op.useBody("signal_delay_int16", SignalDelayParams.Words)
        op.paramPersistent(SignalDelayParams.State, 2 * delay * rows)
        op.paramTensor(SignalDelayParams.Input, input)
        op.paramTensor(SignalDelayParams.Output, output)
        setParam(p, SignalDelayParams.FrameSize, frame)
        setParam(p, SignalDelayParams.OuterDims, rows)
        setParam(p, SignalDelayParams.DelayLength, delay)
    }

    export function signalDelayInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalDelayParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalDelayParams.Input)
        const output = paramBuffer(p, SignalDelayParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalDelayParams.Output)
        const frame = param(p, SignalDelayParams.FrameSize)
        const rows = param(p, SignalDelayParams.OuterDims)
        const delay = param(p, SignalDelayParams.DelayLength)
        for (let r = 0; r < rows; r++) {
            const stateAt = param(p, SignalDelayParams.State) + 2 * delay * r
            const rowIn = inputAt + 2 * frame * r
            const rowOut = outputAt + 2 * frame * r
            for (let i = 0; i < frame; i++) {
                const x = i < delay ? arena.getNumber(NumberFormat.Int16LE, stateAt + 2 * i)
                    : input.getNumber(NumberFormat.Int16LE, rowIn + 2 * (i - delay))
                output.setNumber(NumberFormat.Int16LE, rowOut + 2 * i, x)
            }
            // Sample frame + j of state ++ input becomes state sample j; frame >= 1, so a state
            // sample is read before it is overwritten.
            for (let j = 0; j < delay; j++) {
                const k = frame + j
                const x = k < delay ? arena.getNumber(NumberFormat.Int16LE, stateAt + 2 * k)
                    : input.getNumber(NumberFormat.Int16LE, rowIn + 2 * (k - delay))
                arena.setNumber(NumberFormat.Int16LE, stateAt + 2 * j, x)
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // SignalOverlapAdd (overlap_add.cc, signal/src/overlap_add.cc): the input's last two
    // dimensions are frames of frame_size samples; per row of frames, a buffer of frame_size
    // samples (zero at first) gets each frame added (int16 saturated, float32 rounded), its
    // first frame_step samples go out, and it shifts left by frame_step with zeros coming in.

    /** Parameter block of the signal_overlap_add_* bodies (words). */
    export const enum SignalOverlapAddParams {
        Input = 0, Output = 2,
        FrameSize = 4, FrameStep = 5,
        /** Frames per row (the second-last dimension) and rows (the dimensions before it). */
        Frames = 6, OuterDims = 7,
        /** Arena offset of each row's buffer: OuterDims * FrameSize samples. */
        State = 8,
        Words = 9,
    }

    function prepareSignalOverlapAdd(op: Operator): void {
        checkSignalIo(op, 1, 1)
        const input = op.input(0)
        const output = op.output(0)
        op.check(input.type === TensorType.Int16 || input.type === TensorType.Float32,
            "input " + input.describe() + " must be INT16 or FLOAT32")
        checkSignalTensor(op, output, "output", input.type, input.rank() - 1)
        op.check(input.rank() >= 2, "input " + input.describe() + " must have rank 2 or more")
        const options = customOptionsMap(op)
        checkSignalTypeOption(op, options, input)
        const frameSize = input.dim(input.rank() - 1)
        const frames = input.dim(input.rank() - 2)
        const rows = frameSize * frames === 0 ? 0 : input.elementCount() / (frameSize * frames)
        // TFLM shifts the buffer by frame_size - frame_step samples.
        const step = signalOptionInRange(op, options, "frame_step", 0, frameSize)
        op.check(output.elementCount() === rows * frames * step,
            "output " + output.describe() + " must have " + rows * frames * step + " values (frame_step per frame)")
        const float = input.type === TensorType.Float32
        const p = op.useBody(float ? "signal_overlap_add_float" : "signal_overlap_add_int16", SignalOverlapAddParams.Words)
        op.paramPersistent(SignalOverlapAddParams.State, (float ? 4 : 2) * rows * frameSize)
        op.paramTensor(SignalOverlapAddParams.Input, input)
        op.paramTensor(SignalOverlapAddParams.Output, output)
        setParam(p, SignalOverlapAddParams.FrameSize, frameSize)
        setParam(p, SignalOverlapAddParams.FrameStep, step)
        setParam(p, SignalOverlapAddParams.Frames, frames)
        setParam(p, SignalOverlapAddParams.OuterDims, rows)
    }

    function signalOverlapAdd(p: Buffer, model: Buffer, arena: Buffer, format: NumberFormat, size: number): void {
        const input = paramBuffer(p, SignalOverlapAddParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalOverlapAddParams.Input)
        const output = paramBuffer(p, SignalOverlapAddParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalOverlapAddParams.Output)
        const frameSize = param(p, SignalOverlapAddParams.FrameSize)
        const step = param(p, SignalOverlapAddParams.FrameStep)
        const frames = param(p, SignalOverlapAddParams.Frames)
        const rows = param(p, SignalOverlapAddParams.OuterDims)
        for (let r = 0; r < rows; r++) {
            const bufferAt = param(p, SignalOverlapAddParams.State) + size * frameSize * r
            for (let f = 0; f < frames; f++) {
                const frameAt = inputAt + size * frameSize * (r * frames + f)
                const outAt = outputAt + size * step * (r * frames + f)
                for (let i = 0; i < frameSize; i++) {
                    const sum = arena.getNumber(format, bufferAt + size * i) + input.getNumber(format, frameAt + size * i)
                    // int16: saturated; float32: storing rounds the sum (a double, exact or
                    // close enough that one rounding gives float addition's result) to float32.
                    const x = size === 2 ? (sum < -32768 ? -32768 : sum > 32767 ? 32767 : sum) : sum
                    arena.setNumber(format, bufferAt + size * i, x)
                }
                for (let i = 0; i < step; i++) output.setNumber(format, outAt + size * i, arena.getNumber(format, bufferAt + size * i))
                for (let i = 0; i < frameSize - step; i++)
                    arena.setNumber(format, bufferAt + size * i, arena.getNumber(format, bufferAt + size * (i + step)))
                for (let i = frameSize - step; i < frameSize; i++) arena.setNumber(format, bufferAt + size * i, 0)
            }
        }
    }

    export function signalOverlapAddInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        signalOverlapAdd(p, model, arena, NumberFormat.Int16LE, 2)
    }

    export function signalOverlapAddFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        signalOverlapAdd(p, model, arena, NumberFormat.Float32LE, 4)
    }

    // ---------------------------------------------------------------------------------------
    // SignalFramer (framer.cc): per row of the innermost dimension, a circular buffer (TFLM's
    // capacity: frame_size rounded up to a multiple of frame_step) that starts empty, or with
    // frame_size - frame_step zeros when prefill is set. Each invoke cuts the row into chunks of
    // frame_step samples; each chunk is appended and, when the buffer then holds frame_size
    // samples or more, its first frame_size go out as the next frame and the first frame_step are
    // dropped. Otherwise that frame of the output is left as it was and output_valid is false.
    // Between invokes every row holds the same number of samples, which is below frame_size: the
    // state is that number less the prefill (one int32, so zero means just reset) and each row's
    // samples, oldest first, in a linear buffer of the same capacity.

    /** Parameter block of signal_framer_int16 (words). */
    export const enum SignalFramerParams {
        Input = 0, Output = 2, OutputValid = 4,
        FrameSize = 6, FrameStep = 7,
        /** Frames per row (the innermost dimension / FrameStep) and rows (the dimensions before it). */
        Frames = 8, OuterDims = 9,
        /** Samples each row holds after a reset: frame_size - frame_step zeros with prefill, else 0. */
        Prefill = 10,
        /** Samples each row's buffer holds at most: frame_size rounded up to a multiple of frame_step. */
        Capacity = 11,
        /** Arena offset of the state: an int32 (samples held less Prefill), then OuterDims * Capacity int16. */
        State = 12,
        Words = 13,
    }

    function prepareSignalFramer(op: Operator): void {
        checkSignalIo(op, 1, 2)
        const input = op.input(0)
        const output = op.output(0)
        checkSignalTensor(op, input, "input", TensorType.Int16, -1)
        checkSignalTensor(op, output, "output", TensorType.Int16, input.rank() + 1)
        checkSignalTensor(op, op.output(1), "output_valid", TensorType.Bool, 0)
        op.check(input.rank() >= 1, "input " + input.describe() + " must have rank 1 or more")
        const options = customOptionsMap(op)
        const frameSize = signalOptionInRange(op, options, "frame_size", 1, 65535)
        // TFLM divides by frame_step.
        const step = signalOptionInRange(op, options, "frame_step", 1, 65535)
        const prefill = signalOptionInRange(op, options, "prefill", 0, 1)
        // TFLM would write frame_size - frame_step zeros, a negative count, into the buffer.
        op.check(!prefill || frameSize >= step, "prefill needs frame_size " + frameSize + " >= frame_step " + step)
        const innermost = input.dim(input.rank() - 1)
        op.check(innermost >= step && innermost % step === 0,
            "input " + input.describe() + " rows must be a whole number (1 or more) of frame_step " + step + " samples")
        const frames = innermost / step
        const rows = input.elementCount() / innermost
        op.check(output.elementCount() === rows * frames * frameSize,
            "output " + output.describe() + " must have " + rows * frames * frameSize + " values (frame_size per frame)")
        const capacity = Math.idiv(frameSize + step - 1, step) * step
        const p = op.useBody("signal_framer_int16", SignalFramerParams.Words)
        op.paramPersistent(SignalFramerParams.State, 4 + 2 * rows * capacity)
        op.paramTensor(SignalFramerParams.Input, input)
        op.paramTensor(SignalFramerParams.Output, output)
        op.paramTensor(SignalFramerParams.OutputValid, op.output(1))
        setParam(p, SignalFramerParams.FrameSize, frameSize)
        setParam(p, SignalFramerParams.FrameStep, step)
        setParam(p, SignalFramerParams.Frames, frames)
        setParam(p, SignalFramerParams.OuterDims, rows)
        setParam(p, SignalFramerParams.Prefill, prefill ? frameSize - step : 0)
        setParam(p, SignalFramerParams.Capacity, capacity)
    }

    export function signalFramerInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalFramerParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalFramerParams.Input)
        const output = paramBuffer(p, SignalFramerParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalFramerParams.Output)
        const valid = paramBuffer(p, SignalFramerParams.OutputValid, model, arena)
        const frameSize = param(p, SignalFramerParams.FrameSize)
        const step = param(p, SignalFramerParams.FrameStep)
        const frames = param(p, SignalFramerParams.Frames)
        const rows = param(p, SignalFramerParams.OuterDims)
        const prefill = param(p, SignalFramerParams.Prefill)
        const capacity = param(p, SignalFramerParams.Capacity)
        const stateAt = param(p, SignalFramerParams.State)
        const heldBefore = prefill + arena.getNumber(NumberFormat.Int32LE, stateAt)
        let held = heldBefore
        let isValid = 1
        for (let r = 0; r < rows; r++) {
            const bufferAt = stateAt + 4 + 2 * capacity * r
            held = heldBefore
            for (let f = 0; f < frames; f++) {
                const chunkAt = inputAt + 2 * (r * frames + f) * step
                for (let i = 0; i < step; i++)
                    arena.setNumber(NumberFormat.Int16LE, bufferAt + 2 * (held + i), input.getNumber(NumberFormat.Int16LE, chunkAt + 2 * i))
                held += step
                if (held >= frameSize) {
                    const frameAt = outputAt + 2 * (r * frames + f) * frameSize
                    for (let i = 0; i < frameSize; i++)
                        output.setNumber(NumberFormat.Int16LE, frameAt + 2 * i, arena.getNumber(NumberFormat.Int16LE, bufferAt + 2 * i))
                    held -= step
                    for (let i = 0; i < held; i++)
                        arena.setNumber(NumberFormat.Int16LE, bufferAt + 2 * i, arena.getNumber(NumberFormat.Int16LE, bufferAt + 2 * (i + step)))
                } else {
                    isValid = 0
                }
            }
        }
        arena.setNumber(NumberFormat.Int32LE, stateAt, held - prefill)
        valid[paramOffset(p, SignalFramerParams.OutputValid)] = isValid
    }

    // ---------------------------------------------------------------------------------------
    // SignalStacker (stacker.cc): a circular buffer of num_channels * (left + 1 + right) samples.
    // Each invoke appends the input's first num_channels samples (the first invoke after a reset
    // appends them left + 1 times: the first frame stands in for the left context); when the
    // buffer is then full, it goes out and its first stacker_step frames are dropped, else the
    // output is left as it was and output_valid is false. The state: the samples held and whether
    // the first frame came (two int32, zero just after a reset), then the buffer, oldest first.

    /** Parameter block of signal_stacker_int16 (words). */
    export const enum SignalStackerParams {
        Input = 0, Output = 2, OutputValid = 4,
        Channels = 6, LeftContext = 7,
        /** Samples out per invoke: Channels * (left + 1 + right); samples dropped: Channels * stacker_step. */
        BufferSize = 8, StepSize = 9,
        /** Arena offset of the state: int32 samples held, int32 first frame seen, BufferSize int16. */
        State = 10,
        Words = 11,
    }

    function prepareSignalStacker(op: Operator): void {
        checkSignalIo(op, 1, 2)
        const input = op.input(0)
        const output = op.output(0)
        checkSignalTensor(op, input, "input", TensorType.Int16, 1)
        checkSignalTensor(op, output, "output", TensorType.Int16, 1)
        checkSignalTensor(op, op.output(1), "output_valid", TensorType.Bool, 0)
        const options = customOptionsMap(op)
        // 0 channels: TFLM's buffer of 0 samples is full at once and it asserts on dropping none.
        const channels = signalOptionInRange(op, options, "num_channels", 1, 65535)
        const left = signalOptionInRange(op, options, "stacker_left_context", 0, 65535)
        const right = signalOptionInRange(op, options, "stacker_right_context", 0, 65535)
        // Dropping no frame (0) or more frames than the buffer holds fails TFLM's buffer asserts.
        const step = signalOptionInRange(op, options, "stacker_step", 1, left + right + 1)
        const bufferSize = channels * (left + right + 1)
        // TFLM reads num_channels samples and writes the whole buffer, whatever the tensors' sizes.
        op.check(input.elementCount() >= channels, "input " + input.describe() + " must have num_channels = " + channels + " values or more")
        op.check(output.elementCount() >= bufferSize,
            "output " + output.describe() + " must have num_channels * (left + 1 + right context) = " + bufferSize + " values or more")
        const p = op.useBody("signal_stacker_int16", SignalStackerParams.Words)
        op.paramPersistent(SignalStackerParams.State, 8 + 2 * bufferSize)
        op.paramTensor(SignalStackerParams.Input, input)
        op.paramTensor(SignalStackerParams.Output, output)
        op.paramTensor(SignalStackerParams.OutputValid, op.output(1))
        setParam(p, SignalStackerParams.Channels, channels)
        setParam(p, SignalStackerParams.LeftContext, left)
        setParam(p, SignalStackerParams.BufferSize, bufferSize)
        setParam(p, SignalStackerParams.StepSize, channels * step)
    }

    export function signalStackerInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalStackerParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalStackerParams.Input)
        const output = paramBuffer(p, SignalStackerParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalStackerParams.Output)
        const valid = paramBuffer(p, SignalStackerParams.OutputValid, model, arena)
        const channels = param(p, SignalStackerParams.Channels)
        const bufferSize = param(p, SignalStackerParams.BufferSize)
        const stepSize = param(p, SignalStackerParams.StepSize)
        const stateAt = param(p, SignalStackerParams.State)
        const bufferAt = stateAt + 8
        let held = arena.getNumber(NumberFormat.Int32LE, stateAt)
        // The first frame once, then left context more times.
        const copies = arena.getNumber(NumberFormat.Int32LE, stateAt + 4) ? 1 : 1 + param(p, SignalStackerParams.LeftContext)
        for (let c = 0; c < copies; c++) {
            for (let i = 0; i < channels; i++)
                arena.setNumber(NumberFormat.Int16LE, bufferAt + 2 * (held + i), input.getNumber(NumberFormat.Int16LE, inputAt + 2 * i))
            held += channels
        }
        arena.setNumber(NumberFormat.Int32LE, stateAt + 4, 1)
        let isValid = 0
        if (held >= bufferSize) {
            for (let i = 0; i < bufferSize; i++)
                output.setNumber(NumberFormat.Int16LE, outputAt + 2 * i, arena.getNumber(NumberFormat.Int16LE, bufferAt + 2 * i))
            held -= stepSize
            for (let i = 0; i < held; i++)
                arena.setNumber(NumberFormat.Int16LE, bufferAt + 2 * i, arena.getNumber(NumberFormat.Int16LE, bufferAt + 2 * (i + stepSize)))
            isValid = 1
        }
        arena.setNumber(NumberFormat.Int32LE, stateAt, held)
        valid[paramOffset(p, SignalStackerParams.OutputValid)] = isValid
    }

    // ---------------------------------------------------------------------------------------
    // SignalRfft of FLOAT32: KISS FFT v1.3.0 in float, as TFLM compiles it (kiss_fft_float.cc):
    // the same factors and recursion as the int16 one (kernel_signal.ts), without the fixed
    // point's divisions by the radix, in float32 arithmetic: every +, - and * rounded to float32
    // (quantization.ts f32: the double sum or product of two float32s, rounded to float32, is
    // float32 arithmetic's result) in KISS FFT's order. Twiddles are (float) cos(phase).

    /**
     * SignalRfftParams for the float bodies (SignalRfft's, SignalIrfft's): twiddles of two words,
     * (float) cos and sin of KISS FFT's phases, negated for the inverse transform.
     */
    export function setKissWideParams(op: Operator, type: number, body: string, fftLength: number, inputLength: number, rows: number,
        factors: number[], inverse: boolean): void {
        const n = fftLength >> 1
        const twiddles = SignalRfftParams.Factors + factors.length
        const superTwiddles = twiddles + 2 * n
        const p = op.useBody(body, superTwiddles + 2 * (n >> 1))
        op.paramTensor(SignalRfftParams.Input, op.input(0))
        op.paramTensor(SignalRfftParams.Output, op.output(0))
        setParam(p, SignalRfftParams.FftLength, fftLength)
        setParam(p, SignalRfftParams.InputLength, inputLength)
        setParam(p, SignalRfftParams.Rows, rows)
        op.paramScratch(SignalRfftParams.Work, 4 * fftLength)
        op.paramScratch(SignalRfftParams.Tmp, 4 * fftLength)
        setParam(p, SignalRfftParams.Stages, factors.length >> 1)
        setParam(p, SignalRfftParams.Twiddles, twiddles)
        setParam(p, SignalRfftParams.SuperTwiddles, superTwiddles)
        setParams(p, SignalRfftParams.Factors, factors)
        const sign = inverse ? -1 : 1
        for (let i = 0; i < n + (n >> 1); i++) {
            const phase = sign * (i < n ? -2 * Math.PI * i / n : -Math.PI * ((i - n + 1) / n + 0.5))
            setTwiddlePart(p, twiddles + 2 * i, type, Math.cos(phase))
            setTwiddlePart(p, twiddles + 2 * i + 1, type, Math.sin(phase))
        }
    }

    /** KISS FFT's twiddle part c: (float) c, or floor(0.5 + SAMP_MAX * c) of its fixed point. */
    function setTwiddlePart(p: Buffer, word: number, type: number, c: number): void {
        if (type === TensorType.Float32) p.setNumber(NumberFormat.Float32LE, 4 * word, c)
        else setParam(p, word, Math.floor(0.5 + (type === TensorType.Int32 ? 2147483647 : 32767) * c))
    }

    /** One complex float FFT as kissWorkFloat runs it: its input, its output, the twiddles, by index. */
    class KissFloat {
        inRe: number[]
        inIm: number[]
        outRe: number[]
        outIm: number[]
        twiddleRe: number[]
        twiddleIm: number[]
        /** (radix, remaining length) per stage. */
        factors: number[]
        /** kiss_fft_alloc's inverse_fft: only the radix-4 butterfly looks at it. */
        inverse: boolean
    }

    /** kf_work in float: the FFT of inputs f, f + fstride, ... into outputs fout .. fout + radix * m - 1. */
    function kissWorkFloat(fft: KissFloat, fout: number, f: number, fstride: number, stage: number): void {
        const radix = fft.factors[2 * stage]
        const m = fft.factors[2 * stage + 1]
        if (m === 1) {
            for (let q = 0; q < radix; q++) {
                fft.outRe[fout + q] = fft.inRe[f + q * fstride]
                fft.outIm[fout + q] = fft.inIm[f + q * fstride]
            }
        } else {
            for (let q = 0; q < radix; q++) kissWorkFloat(fft, fout + q * m, f + q * fstride, fstride * radix, stage + 1)
        }
        if (radix === 2) kissFloat2(fft, fout, fstride, m)
        else if (radix === 3) kissFloat3(fft, fout, fstride, m)
        else if (radix === 4) kissFloat4(fft, fout, fstride, m)
        else kissFloat5(fft, fout, fstride, m)
    }

    function kissFloat2(fft: KissFloat, fout: number, fstride: number, m: number): void {
        const re = fft.outRe
        const im = fft.outIm
        for (let k = 0; k < m; k++) {
            const a0 = fout + k
            const a1 = a0 + m
            const wr = fft.twiddleRe[k * fstride]
            const wi = fft.twiddleIm[k * fstride]
            const tr = f32(f32(re[a1] * wr) - f32(im[a1] * wi))
            const ti = f32(f32(re[a1] * wi) + f32(im[a1] * wr))
            re[a1] = f32(re[a0] - tr)
            im[a1] = f32(im[a0] - ti)
            re[a0] = f32(re[a0] + tr)
            im[a0] = f32(im[a0] + ti)
        }
    }

    function kissFloat3(fft: KissFloat, fout: number, fstride: number, m: number): void {
        const re = fft.outRe
        const im = fft.outIm
        const twRe = fft.twiddleRe
        const twIm = fft.twiddleIm
        const epi3i = twIm[fstride * m]
        for (let k = 0; k < m; k++) {
            const a0 = fout + k
            const a1 = a0 + m
            const a2 = a1 + m
            const t1 = k * fstride
            const t2 = 2 * t1
            const s1r = f32(f32(re[a1] * twRe[t1]) - f32(im[a1] * twIm[t1]))
            const s1i = f32(f32(re[a1] * twIm[t1]) + f32(im[a1] * twRe[t1]))
            const s2r = f32(f32(re[a2] * twRe[t2]) - f32(im[a2] * twIm[t2]))
            const s2i = f32(f32(re[a2] * twIm[t2]) + f32(im[a2] * twRe[t2]))
            const s3r = f32(s1r + s2r)
            const s3i = f32(s1i + s2i)
            // HALF_OF is * 0.5f, then scratch[0] times epi3.i.
            const f1r = f32(re[a0] - f32(s3r * 0.5))
            const f1i = f32(im[a0] - f32(s3i * 0.5))
            const s0r = f32(f32(s1r - s2r) * epi3i)
            const s0i = f32(f32(s1i - s2i) * epi3i)
            re[a0] = f32(re[a0] + s3r)
            im[a0] = f32(im[a0] + s3i)
            re[a2] = f32(f1r + s0i)
            im[a2] = f32(f1i - s0r)
            re[a1] = f32(f1r - s0i)
            im[a1] = f32(f1i + s0r)
        }
    }

    function kissFloat4(fft: KissFloat, fout: number, fstride: number, m: number): void {
        const re = fft.outRe
        const im = fft.outIm
        const twRe = fft.twiddleRe
        const twIm = fft.twiddleIm
        for (let k = 0; k < m; k++) {
            const a0 = fout + k
            const a1 = a0 + m
            const a2 = a1 + m
            const a3 = a2 + m
            const t1 = k * fstride
            const t2 = 2 * t1
            const t3 = 3 * t1
            const s0r = f32(f32(re[a1] * twRe[t1]) - f32(im[a1] * twIm[t1]))
            const s0i = f32(f32(re[a1] * twIm[t1]) + f32(im[a1] * twRe[t1]))
            const s1r = f32(f32(re[a2] * twRe[t2]) - f32(im[a2] * twIm[t2]))
            const s1i = f32(f32(re[a2] * twIm[t2]) + f32(im[a2] * twRe[t2]))
            const s2r = f32(f32(re[a3] * twRe[t3]) - f32(im[a3] * twIm[t3]))
            const s2i = f32(f32(re[a3] * twIm[t3]) + f32(im[a3] * twRe[t3]))
            const s5r = f32(re[a0] - s1r)
            const s5i = f32(im[a0] - s1i)
            const r0 = f32(re[a0] + s1r)
            const i0 = f32(im[a0] + s1i)
            const s3r = f32(s0r + s2r)
            const s3i = f32(s0i + s2i)
            const s4r = f32(s0r - s2r)
            const s4i = f32(s0i - s2i)
            re[a2] = f32(r0 - s3r)
            im[a2] = f32(i0 - s3i)
            re[a0] = f32(r0 + s3r)
            im[a0] = f32(i0 + s3i)
            // The forward transform multiplies the odd difference by -i, the inverse by i.
            if (fft.inverse) {
                re[a1] = f32(s5r - s4i)
                im[a1] = f32(s5i + s4r)
                re[a3] = f32(s5r + s4i)
                im[a3] = f32(s5i - s4r)
            } else {
                re[a1] = f32(s5r + s4i)
                im[a1] = f32(s5i - s4r)
                re[a3] = f32(s5r - s4i)
                im[a3] = f32(s5i + s4r)
            }
        }
    }

    function kissFloat5(fft: KissFloat, fout: number, fstride: number, m: number): void {
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
            const t1 = u * fstride
            const t2 = 2 * t1
            const t3 = 3 * t1
            const t4 = 4 * t1
            const s0r = re[a0]
            const s0i = im[a0]
            const s1r = f32(f32(re[a1] * twRe[t1]) - f32(im[a1] * twIm[t1]))
            const s1i = f32(f32(re[a1] * twIm[t1]) + f32(im[a1] * twRe[t1]))
            const s2r = f32(f32(re[a2] * twRe[t2]) - f32(im[a2] * twIm[t2]))
            const s2i = f32(f32(re[a2] * twIm[t2]) + f32(im[a2] * twRe[t2]))
            const s3r = f32(f32(re[a3] * twRe[t3]) - f32(im[a3] * twIm[t3]))
            const s3i = f32(f32(re[a3] * twIm[t3]) + f32(im[a3] * twRe[t3]))
            const s4r = f32(f32(re[a4] * twRe[t4]) - f32(im[a4] * twIm[t4]))
            const s4i = f32(f32(re[a4] * twIm[t4]) + f32(im[a4] * twRe[t4]))
            const s7r = f32(s1r + s4r)
            const s7i = f32(s1i + s4i)
            const s10r = f32(s1r - s4r)
            const s10i = f32(s1i - s4i)
            const s8r = f32(s2r + s3r)
            const s8i = f32(s2i + s3i)
            const s9r = f32(s2r - s3r)
            const s9i = f32(s2i - s3i)
            re[a0] = f32(s0r + f32(s7r + s8r))
            im[a0] = f32(s0i + f32(s7i + s8i))
            const s5r = f32(f32(s0r + f32(s7r * yar)) + f32(s8r * ybr))
            const s5i = f32(f32(s0i + f32(s7i * yar)) + f32(s8i * ybr))
            const s6r = f32(f32(s10i * yai) + f32(s9i * ybi))
            const s6i = f32(-f32(s10r * yai) - f32(s9r * ybi))
            re[a1] = f32(s5r - s6r)
            im[a1] = f32(s5i - s6i)
            re[a4] = f32(s5r + s6r)
            im[a4] = f32(s5i + s6i)
            const s11r = f32(f32(s0r + f32(s7r * ybr)) + f32(s8r * yar))
            const s11i = f32(f32(s0i + f32(s7i * ybr)) + f32(s8i * yar))
            const s12r = f32(-f32(s10i * ybi) + f32(s9i * yai))
            const s12i = f32(f32(s10r * ybi) - f32(s9r * yai))
            re[a2] = f32(s11r + s12r)
            im[a2] = f32(s11i + s12i)
            re[a3] = f32(s11r - s12r)
            im[a3] = f32(s11i - s12i)
        }
    }

    /** A float KISS FFT of `n` points from a SignalRfftParams block: its factors and twiddles, no data yet. */
    function kissFloatFromParams(p: Buffer, n: number, inverse: boolean): KissFloat {
        const fft = new KissFloat()
        fft.factors = []
        for (let i = 0; i < 2 * param(p, SignalRfftParams.Stages); i++) fft.factors.push(param(p, SignalRfftParams.Factors + i))
        fft.twiddleRe = []
        fft.twiddleIm = []
        const tw = param(p, SignalRfftParams.Twiddles)
        for (let i = 0; i < n; i++) {
            fft.twiddleRe.push(p.getNumber(NumberFormat.Float32LE, 4 * (tw + 2 * i)))
            fft.twiddleIm.push(p.getNumber(NumberFormat.Float32LE, 4 * (tw + 2 * i + 1)))
        }
        fft.outRe = []
        fft.outIm = []
        pushZeros(fft.outRe, n)
        pushZeros(fft.outIm, n)
        fft.inverse = inverse
        return fft
    }

    export function signalRfftFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalRfftParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalRfftParams.Input)
        const output = paramBuffer(p, SignalRfftParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalRfftParams.Output)
        const fftLength = param(p, SignalRfftParams.FftLength)
        const inputLength = param(p, SignalRfftParams.InputLength)
        const rows = param(p, SignalRfftParams.Rows)
        const n = fftLength >> 1
        const fft = kissFloatFromParams(p, n, false)
        const superAt = param(p, SignalRfftParams.SuperTwiddles)
        const re = fft.outRe
        const im = fft.outIm
        for (let row = 0; row < rows; row++) {
            // The row zero-padded to fftLength samples, read as n complex values.
            const from = inputAt + 4 * row * inputLength
            fft.inRe = []
            fft.inIm = []
            for (let i = 0; i < fftLength; i += 2) {
                fft.inRe.push(i < inputLength ? input.getNumber(NumberFormat.Float32LE, from + 4 * i) : 0)
                fft.inIm.push(i + 1 < inputLength ? input.getNumber(NumberFormat.Float32LE, from + 4 * i + 4) : 0)
            }
            kissWorkFloat(fft, 0, 0, 1, 0)
            // kiss_fftr's split into n + 1 bins: DC and Nyquist from bin 0, then bins k and n - k.
            const out = outputAt + 8 * row * (n + 1)
            output.setNumber(NumberFormat.Float32LE, out, re[0] + im[0])
            output.setNumber(NumberFormat.Float32LE, out + 4, 0)
            output.setNumber(NumberFormat.Float32LE, out + 8 * n, re[0] - im[0])
            output.setNumber(NumberFormat.Float32LE, out + 8 * n + 4, 0)
            for (let k = 1; k <= (n >> 1); k++) {
                const fpnki = -im[n - k]
                const f1r = f32(re[k] + re[n - k])
                const f1i = f32(im[k] + fpnki)
                const f2r = f32(re[k] - re[n - k])
                const f2i = f32(im[k] - fpnki)
                const wr = p.getNumber(NumberFormat.Float32LE, 4 * (superAt + 2 * (k - 1)))
                const wi = p.getNumber(NumberFormat.Float32LE, 4 * (superAt + 2 * (k - 1) + 1))
                const twr = f32(f32(f2r * wr) - f32(f2i * wi))
                const twi = f32(f32(f2r * wi) + f32(f2i * wr))
                // HALF_OF: * 0.5f of the rounded sum.
                output.setNumber(NumberFormat.Float32LE, out + 8 * k, f32(f1r + twr) * 0.5)
                output.setNumber(NumberFormat.Float32LE, out + 8 * k + 4, f32(f1i + twi) * 0.5)
                output.setNumber(NumberFormat.Float32LE, out + 8 * (n - k), f32(f1r - twr) * 0.5)
                output.setNumber(NumberFormat.Float32LE, out + 8 * (n - k) + 4, f32(twi - f1i) * 0.5)
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // SignalIrfft (irfft.cc): per row of n + 1 complex bins (n = fft_length / 2), kiss_fftri: the
    // bins folded into n complex values (the inverse of kiss_fftr's split), an inverse complex FFT
    // of them into fft_length samples, and (FLOAT32) each sample divided by fft_length, as
    // IrfftFloatApply does. The parameter block is SignalRfftParams'; Tmp holds the folded bins,
    // Work the complex FFT's output.

    function prepareSignalIrfft(op: Operator): void {
        checkSignalIo(op, 1, 1)
        const input = op.input(0)
        const output = op.output(0)
        const options = customOptionsMap(op)
        const type = signalIntOption(op, options, "T")
        op.check(type === TensorType.Int16 || type === TensorType.Int32 || type === TensorType.Float32,
            "unsupported IRFFT type " + typeName(type) + " (only INT16, INT32 and FLOAT32)")
        checkSignalTensor(op, input, "input", type, -1)
        checkSignalTensor(op, output, "output", type, input.rank())
        op.check(input.rank() >= 1, "input " + input.describe() + " must have rank 1 or more")
        const fftLength = signalOptionInRange(op, options, "fft_length", 4, 65536)
        op.check(fftLength % 2 === 0, "fft_length " + fftLength + " must be even")
        // TFLM reads n + 1 bins a row and writes fft_length samples, whatever the shapes say.
        op.check(input.dim(input.rank() - 1) === fftLength + 2,
            "input " + input.describe() + " rows must hold " + (fftLength / 2 + 1) + " complex values")
        const rows = input.elementCount() / (fftLength + 2)
        op.check(output.dim(output.rank() - 1) === fftLength, "output " + output.describe() + " rows must hold fft_length " + fftLength + " samples")
        op.check(output.elementCount() === rows * fftLength, "output " + output.describe() + " must have " + rows + " rows")
        const body = type === TensorType.Float32 ? "signal_irfft_float" : type === TensorType.Int32 ? "signal_irfft_int32" : "signal_irfft_int16"
        setKissWideParams(op, type, body, fftLength, fftLength + 2, rows, kissFftFactors(op, fftLength), true)
    }

    export function signalIrfftFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalRfftParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalRfftParams.Input)
        const output = paramBuffer(p, SignalRfftParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalRfftParams.Output)
        const fftLength = param(p, SignalRfftParams.FftLength)
        const rows = param(p, SignalRfftParams.Rows)
        const n = fftLength >> 1
        const fft = kissFloatFromParams(p, n, true)
        const superAt = param(p, SignalRfftParams.SuperTwiddles)
        const inRe: number[] = []
        const inIm: number[] = []
        pushZeros(inRe, n)
        pushZeros(inIm, n)
        fft.inRe = inRe
        fft.inIm = inIm
        for (let row = 0; row < rows; row++) {
            const from = inputAt + 8 * row * (n + 1)
            const bin = (k: number, imaginary: number) => input.getNumber(NumberFormat.Float32LE, from + 8 * k + 4 * imaginary)
            inRe[0] = f32(bin(0, 0) + bin(n, 0))
            inIm[0] = f32(bin(0, 0) - bin(n, 0))
            for (let k = 1; k <= (n >> 1); k++) {
                const fkr = bin(k, 0)
                const fki = bin(k, 1)
                const fnkr = bin(n - k, 0)
                const fnki = -bin(n - k, 1)
                const fekr = f32(fkr + fnkr)
                const feki = f32(fki + fnki)
                const tr = f32(fkr - fnkr)
                const ti = f32(fki - fnki)
                const wr = p.getNumber(NumberFormat.Float32LE, 4 * (superAt + 2 * (k - 1)))
                const wi = p.getNumber(NumberFormat.Float32LE, 4 * (superAt + 2 * (k - 1) + 1))
                const fokr = f32(f32(tr * wr) - f32(ti * wi))
                const foki = f32(f32(tr * wi) + f32(ti * wr))
                inRe[k] = f32(fekr + fokr)
                inIm[k] = f32(feki + foki)
                // bin n - k: the difference, its imaginary part negated (k = n / 2 overwrites bin k).
                inRe[n - k] = f32(fekr - fokr)
                inIm[n - k] = -f32(feki - foki)
            }
            kissWorkFloat(fft, 0, 0, 1, 0)
            const out = outputAt + 4 * row * fftLength
            for (let i = 0; i < n; i++) {
                output.setNumber(NumberFormat.Float32LE, out + 8 * i, fft.outRe[i] / fftLength)
                output.setNumber(NumberFormat.Float32LE, out + 8 * i + 4, fft.outIm[i] / fftLength)
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // SignalRfft of INT32, SignalIrfft of INT16 and INT32: KISS FFT in fixed point (FIXED_POINT 32:
    // int32 values, int64 products, FRACBITS 31; FIXED_POINT 16: kernel_signal.ts's arithmetic),
    // one engine for both widths. sround(p) = (p + 2^(FRACBITS-1)) >> FRACBITS of a product or
    // a sum of two; every store into a complex wraps to the width; C_FIXDIV(c, r) multiplies by
    // floor(SAMP_MAX / r); HALF_OF is >> 1. An int64 product does not fit a double: fixedMul
    // splits the second factors into 16-bit halves so that every partial sum stays exact.

    /** One complex fixed-point FFT as kissWorkFixed runs it. */
    class KissFixed {
        inRe: number[]
        inIm: number[]
        outRe: number[]
        outIm: number[]
        twiddleRe: number[]
        twiddleIm: number[]
        factors: number[]
        inverse: boolean
        /** FIXED_POINT 32 (else 16). */
        wide: boolean
    }

    /** A value stored into a kiss_fft_scalar: wrapped to int32 or int16. */
    function fixedStore(fft: KissFixed, x: number): number {
        return fft.wide ? x | 0 : (x << 16) >> 16
    }

    /** sround(a * b + sign * c * d) (sign +-1), stored: C's int64 (FIXED_POINT 32) or int32 (16, wrapping) arithmetic. */
    function fixedMul(fft: KissFixed, a: number, b: number, c: number, d: number, sign: number): number {
        if (!fft.wide) return ((((a * b + sign * c * d + 16384) | 0) >> 15) << 16) >> 16
        // p = x * 2^16 + y, x and y exact (below 2^48); x = xq * 2^15 + xr; then
        // floor((p + 2^30) / 2^31) = xq + floor((xr * 2^16 + y + 2^30) / 2^31).
        const x = a * (b >> 16) + sign * c * (d >> 16)
        const y = a * (b & 0xffff) + sign * c * (d & 0xffff)
        const xq = Math.floor(x / 32768)
        return (xq + Math.floor(((x - xq * 32768) * 65536 + y + 1073741824) / 2147483648)) | 0
    }

    /** C_FIXDIV of the complex at i of re/im by `radix`. */
    function fixedDiv(fft: KissFixed, re: number[], im: number[], i: number, radix: number): void {
        const k = Math.idiv(fft.wide ? 2147483647 : 32767, radix)
        re[i] = fixedMul(fft, re[i], k, 0, 0, 1)
        im[i] = fixedMul(fft, im[i], k, 0, 0, 1)
    }

    /** kf_work in fixed point. */
    function kissWorkFixed(fft: KissFixed, fout: number, f: number, fstride: number, stage: number): void {
        const radix = fft.factors[2 * stage]
        const m = fft.factors[2 * stage + 1]
        if (m === 1) {
            for (let q = 0; q < radix; q++) {
                fft.outRe[fout + q] = fft.inRe[f + q * fstride]
                fft.outIm[fout + q] = fft.inIm[f + q * fstride]
            }
        } else {
            for (let q = 0; q < radix; q++) kissWorkFixed(fft, fout + q * m, f + q * fstride, fstride * radix, stage + 1)
        }
        const re = fft.outRe
        const im = fft.outIm
        const twRe = fft.twiddleRe
        const twIm = fft.twiddleIm
        for (let u = 0; u < m; u++) {
            const a0 = fout + u
            for (let q = 0; q < radix; q++) fixedDiv(fft, re, im, a0 + q * m, radix)
            // C_MUL of the complex at a by twiddle t: its real and imaginary parts.
            const mr = (a: number, t: number) => fixedMul(fft, re[a], twRe[t], im[a], twIm[t], -1)
            const mi = (a: number, t: number) => fixedMul(fft, re[a], twIm[t], im[a], twRe[t], 1)
            const a1 = a0 + m
            if (radix === 2) {
                const tr = mr(a1, u * fstride)
                const ti = mi(a1, u * fstride)
                re[a1] = fixedStore(fft, re[a0] - tr)
                im[a1] = fixedStore(fft, im[a0] - ti)
                re[a0] = fixedStore(fft, re[a0] + tr)
                im[a0] = fixedStore(fft, im[a0] + ti)
            } else if (radix === 3) {
                const a2 = a1 + m
                const epi3i = twIm[fstride * m]
                const s1r = mr(a1, u * fstride)
                const s1i = mi(a1, u * fstride)
                const s2r = mr(a2, 2 * u * fstride)
                const s2i = mi(a2, 2 * u * fstride)
                const s3r = fixedStore(fft, s1r + s2r)
                const s3i = fixedStore(fft, s1i + s2i)
                const f1r = fixedStore(fft, re[a0] - (s3r >> 1))
                const f1i = fixedStore(fft, im[a0] - (s3i >> 1))
                const s0r = fixedMul(fft, fixedStore(fft, s1r - s2r), epi3i, 0, 0, 1)
                const s0i = fixedMul(fft, fixedStore(fft, s1i - s2i), epi3i, 0, 0, 1)
                re[a0] = fixedStore(fft, re[a0] + s3r)
                im[a0] = fixedStore(fft, im[a0] + s3i)
                re[a2] = fixedStore(fft, f1r + s0i)
                im[a2] = fixedStore(fft, f1i - s0r)
                re[a1] = fixedStore(fft, f1r - s0i)
                im[a1] = fixedStore(fft, f1i + s0r)
            } else if (radix === 4) {
                const a2 = a1 + m
                const a3 = a2 + m
                const s0r = mr(a1, u * fstride)
                const s0i = mi(a1, u * fstride)
                const s1r = mr(a2, 2 * u * fstride)
                const s1i = mi(a2, 2 * u * fstride)
                const s2r = mr(a3, 3 * u * fstride)
                const s2i = mi(a3, 3 * u * fstride)
                const s5r = fixedStore(fft, re[a0] - s1r)
                const s5i = fixedStore(fft, im[a0] - s1i)
                const r0 = fixedStore(fft, re[a0] + s1r)
                const i0 = fixedStore(fft, im[a0] + s1i)
                const s3r = fixedStore(fft, s0r + s2r)
                const s3i = fixedStore(fft, s0i + s2i)
                const s4r = fixedStore(fft, s0r - s2r)
                const s4i = fixedStore(fft, s0i - s2i)
                re[a2] = fixedStore(fft, r0 - s3r)
                im[a2] = fixedStore(fft, i0 - s3i)
                re[a0] = fixedStore(fft, r0 + s3r)
                im[a0] = fixedStore(fft, i0 + s3i)
                const sg = fft.inverse ? -1 : 1
                re[a1] = fixedStore(fft, s5r + sg * s4i)
                im[a1] = fixedStore(fft, s5i - sg * s4r)
                re[a3] = fixedStore(fft, s5r - sg * s4i)
                im[a3] = fixedStore(fft, s5i + sg * s4r)
            } else {
                const a2 = a1 + m
                const a3 = a2 + m
                const a4 = a3 + m
                const yar = twRe[fstride * m]
                const yai = twIm[fstride * m]
                const ybr = twRe[2 * fstride * m]
                const ybi = twIm[2 * fstride * m]
                const s0r = re[a0]
                const s0i = im[a0]
                const s1r = mr(a1, u * fstride)
                const s1i = mi(a1, u * fstride)
                const s2r = mr(a2, 2 * u * fstride)
                const s2i = mi(a2, 2 * u * fstride)
                const s3r = mr(a3, 3 * u * fstride)
                const s3i = mi(a3, 3 * u * fstride)
                const s4r = mr(a4, 4 * u * fstride)
                const s4i = mi(a4, 4 * u * fstride)
                const s7r = fixedStore(fft, s1r + s4r)
                const s7i = fixedStore(fft, s1i + s4i)
                const s10r = fixedStore(fft, s1r - s4r)
                const s10i = fixedStore(fft, s1i - s4i)
                const s8r = fixedStore(fft, s2r + s3r)
                const s8i = fixedStore(fft, s2i + s3i)
                const s9r = fixedStore(fft, s2r - s3r)
                const s9i = fixedStore(fft, s2i - s3i)
                const sm = (a: number, b: number) => fixedMul(fft, a, b, 0, 0, 1)
                re[a0] = fixedStore(fft, s0r + s7r + s8r)
                im[a0] = fixedStore(fft, s0i + s7i + s8i)
                const s5r = fixedStore(fft, s0r + sm(s7r, yar) + sm(s8r, ybr))
                const s5i = fixedStore(fft, s0i + sm(s7i, yar) + sm(s8i, ybr))
                const s6r = fixedStore(fft, sm(s10i, yai) + sm(s9i, ybi))
                const s6i = fixedStore(fft, -sm(s10r, yai) - sm(s9r, ybi))
                re[a1] = fixedStore(fft, s5r - s6r)
                im[a1] = fixedStore(fft, s5i - s6i)
                re[a4] = fixedStore(fft, s5r + s6r)
                im[a4] = fixedStore(fft, s5i + s6i)
                const s11r = fixedStore(fft, s0r + sm(s7r, ybr) + sm(s8r, yar))
                const s11i = fixedStore(fft, s0i + sm(s7i, ybr) + sm(s8i, yar))
                const s12r = fixedStore(fft, -sm(s10i, ybi) + sm(s9i, yai))
                const s12i = fixedStore(fft, sm(s10r, ybi) - sm(s9r, yai))
                re[a2] = fixedStore(fft, s11r + s12r)
                im[a2] = fixedStore(fft, s11i + s12i)
                re[a3] = fixedStore(fft, s11r - s12r)
                im[a3] = fixedStore(fft, s11i - s12i)
            }
        }
    }

    /** A fixed-point KISS FFT of `n` points from a SignalRfftParams block with int32 twiddle words. */
    function kissFixedFromParams(p: Buffer, n: number, inverse: boolean, wide: boolean): KissFixed {
        const fft = new KissFixed()
        fft.factors = []
        for (let i = 0; i < 2 * param(p, SignalRfftParams.Stages); i++) fft.factors.push(param(p, SignalRfftParams.Factors + i))
        fft.twiddleRe = []
        fft.twiddleIm = []
        const tw = param(p, SignalRfftParams.Twiddles)
        for (let i = 0; i < n + (n >> 1); i++) {
            fft.twiddleRe.push(param(p, tw + 2 * i))
            fft.twiddleIm.push(param(p, tw + 2 * i + 1))
        }
        fft.outRe = []
        fft.outIm = []
        pushZeros(fft.outRe, n)
        pushZeros(fft.outIm, n)
        fft.inverse = inverse
        fft.wide = wide
        return fft
    }

    export function signalRfftInt32(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SignalRfftParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalRfftParams.Input)
        const output = paramBuffer(p, SignalRfftParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalRfftParams.Output)
        const fftLength = param(p, SignalRfftParams.FftLength)
        const inputLength = param(p, SignalRfftParams.InputLength)
        const rows = param(p, SignalRfftParams.Rows)
        const n = fftLength >> 1
        const fft = kissFixedFromParams(p, n, false, true)
        const re = fft.outRe
        const im = fft.outIm
        for (let row = 0; row < rows; row++) {
            const from = inputAt + 4 * row * inputLength
            fft.inRe = []
            fft.inIm = []
            for (let i = 0; i < fftLength; i += 2) {
                fft.inRe.push(i < inputLength ? input.getNumber(NumberFormat.Int32LE, from + 4 * i) : 0)
                fft.inIm.push(i + 1 < inputLength ? input.getNumber(NumberFormat.Int32LE, from + 4 * i + 4) : 0)
            }
            kissWorkFixed(fft, 0, 0, 1, 0)
            // kiss_fftr's split, C_FIXDIV by 2 of each bin it reads.
            const out = outputAt + 8 * row * (n + 1)
            const set = (k: number, imaginary: number, v: number) => output.setNumber(NumberFormat.Int32LE, out + 8 * k + 4 * imaginary, v)
            fixedDiv(fft, re, im, 0, 2)
            set(0, 0, (re[0] + im[0]) | 0)
            set(0, 1, 0)
            set(n, 0, (re[0] - im[0]) | 0)
            set(n, 1, 0)
            const pr = [0, 0]
            const pi = [0, 0]
            for (let k = 1; k <= (n >> 1); k++) {
                pr[0] = re[k]
                pi[0] = im[k]
                pr[1] = re[n - k]
                pi[1] = (-im[n - k]) | 0
                fixedDiv(fft, pr, pi, 0, 2)
                fixedDiv(fft, pr, pi, 1, 2)
                const f1r = (pr[0] + pr[1]) | 0
                const f1i = (pi[0] + pi[1]) | 0
                const f2r = (pr[0] - pr[1]) | 0
                const f2i = (pi[0] - pi[1]) | 0
                const t = n + k - 1
                const twr = fixedMul(fft, f2r, fft.twiddleRe[t], f2i, fft.twiddleIm[t], -1)
                const twi = fixedMul(fft, f2r, fft.twiddleIm[t], f2i, fft.twiddleRe[t], 1)
                set(k, 0, ((f1r + twr) | 0) >> 1)
                set(k, 1, ((f1i + twi) | 0) >> 1)
                set(n - k, 0, ((f1r - twr) | 0) >> 1)
                set(n - k, 1, ((twi - f1i) | 0) >> 1)
            }
        }
    }

    /** kiss_fftri in fixed point over rows of n + 1 complex int16 or int32 bins. */
    function signalIrfftFixed(p: Buffer, model: Buffer, arena: Buffer, wide: boolean): void {
        const input = paramBuffer(p, SignalRfftParams.Input, model, arena)
        const inputAt = paramOffset(p, SignalRfftParams.Input)
        const output = paramBuffer(p, SignalRfftParams.Output, model, arena)
        const outputAt = paramOffset(p, SignalRfftParams.Output)
        const fftLength = param(p, SignalRfftParams.FftLength)
        const rows = param(p, SignalRfftParams.Rows)
        const n = fftLength >> 1
        const fft = kissFixedFromParams(p, n, true, wide)
        const format = wide ? NumberFormat.Int32LE : NumberFormat.Int16LE
        const size = wide ? 4 : 2
        const inRe: number[] = []
        const inIm: number[] = []
        pushZeros(inRe, n)
        pushZeros(inIm, n)
        fft.inRe = inRe
        fft.inIm = inIm
        const pr = [0, 0]
        const pi = [0, 0]
        for (let row = 0; row < rows; row++) {
            const from = inputAt + 2 * size * row * (n + 1)
            const bin = (k: number, imaginary: number) => input.getNumber(format, from + 2 * size * k + size * imaginary)
            inRe[0] = fixedStore(fft, bin(0, 0) + bin(n, 0))
            inIm[0] = fixedStore(fft, bin(0, 0) - bin(n, 0))
            fixedDiv(fft, inRe, inIm, 0, 2)
            for (let k = 1; k <= (n >> 1); k++) {
                pr[0] = bin(k, 0)
                pi[0] = bin(k, 1)
                pr[1] = bin(n - k, 0)
                pi[1] = fixedStore(fft, -bin(n - k, 1))
                fixedDiv(fft, pr, pi, 0, 2)
                fixedDiv(fft, pr, pi, 1, 2)
                const fekr = fixedStore(fft, pr[0] + pr[1])
                const feki = fixedStore(fft, pi[0] + pi[1])
                const tr = fixedStore(fft, pr[0] - pr[1])
                const ti = fixedStore(fft, pi[0] - pi[1])
                const t = n + k - 1
                const fokr = fixedMul(fft, tr, fft.twiddleRe[t], ti, fft.twiddleIm[t], -1)
                const foki = fixedMul(fft, tr, fft.twiddleIm[t], ti, fft.twiddleRe[t], 1)
                inRe[k] = fixedStore(fft, fekr + fokr)
                inIm[k] = fixedStore(fft, feki + foki)
                inRe[n - k] = fixedStore(fft, fekr - fokr)
                inIm[n - k] = fixedStore(fft, -fixedStore(fft, feki - foki))
            }
            kissWorkFixed(fft, 0, 0, 1, 0)
            const out = outputAt + size * row * fftLength
            for (let i = 0; i < n; i++) {
                output.setNumber(format, out + 2 * size * i, fft.outRe[i])
                output.setNumber(format, out + 2 * size * i + size, fft.outIm[i])
            }
        }
    }

    export function signalIrfftInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        signalIrfftFixed(p, model, arena, false)
    }

    export function signalIrfftInt32(p: Buffer, model: Buffer, arena: Buffer): void {
        signalIrfftFixed(p, model, arena, true)
    }
}
