namespace tflite {
    // The stateful framing ops of TFLM's Signal library (signal/micro/kernels), which the speech
    // front end does not use: on the board they are in the all-ops build only.
    //
    //   SignalDelay       each row of the innermost dimension delayed by delay_length samples, int16
    //   SignalOverlapAdd  frames added into a running buffer, frame_step samples out per frame, int16/float32
    //   SignalFramer      overlapping frames of frame_size samples, frame_step apart, int16
    //   SignalStacker     the last left + 1 + right frames of channels side by side, int16
    //
    // State: what an op keeps between invokes is arena memory from Operator.paramPersistent, zero
    // at load and after StsInterpreter.resetState, as TFLM's after Prepare and Reset.

    export function registerSignal2Kernels(): void {
        registerCustom("SignalDelay", prepareSignalDelay)
        registerCustom("SignalOverlapAdd", prepareSignalOverlapAdd)
        registerCustom("SignalFramer", prepareSignalFramer)
        registerCustom("SignalStacker", prepareSignalStacker)
        registerBody("signal_delay_int16", signalDelayInt16)
        registerBody("signal_overlap_add_int16", signalOverlapAddInt16)
        registerBody("signal_overlap_add_float", signalOverlapAddFloat)
        registerBody("signal_framer_int16", signalFramerInt16)
        registerBody("signal_stacker_int16", signalStackerInt16)
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
}
