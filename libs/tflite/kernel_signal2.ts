namespace tflite {
    // The stateful framing ops of TFLM's Signal library (signal/micro/kernels), which the speech
    // front end does not use: on the board they are in the all-ops build only.
    //
    //   SignalDelay       each row of the innermost dimension delayed by delay_length samples, int16
    //   SignalOverlapAdd  frames added into a running buffer, frame_step samples out per frame, int16/float32
    //
    // State: what an op keeps between invokes is arena memory from Operator.paramPersistent, zero
    // at load and after StsInterpreter.resetState, as TFLM's after Prepare and Reset.

    export function registerSignal2Kernels(): void {
        registerCustom("SignalDelay", prepareSignalDelay)
        registerCustom("SignalOverlapAdd", prepareSignalOverlapAdd)
        registerBody("signal_delay_int16", signalDelayInt16)
        registerBody("signal_overlap_add_int16", signalOverlapAddInt16)
        registerBody("signal_overlap_add_float", signalOverlapAddFloat)
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
        op.check(output.elementCount() === input.elementCount(), "output " + output.describe() + " must match input " + input.describe())
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
        // TFLM's Init picks the kernel from option T, which must then be the tensors' type.
        const t = signalOptionInRange(op, options, "T", INT32_MIN, INT32_MAX)
        op.check(t === input.type, "custom option 'T' = " + t + " must be the input's type " + input.type)
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
}
