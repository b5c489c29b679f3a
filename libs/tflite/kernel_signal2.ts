namespace tflite {
    // The stateful framing ops of TFLM's Signal library (signal/micro/kernels), which the speech
    // front end does not use: on the board they are in the all-ops build only.
    //
    //   SignalDelay   each row of the innermost dimension delayed by delay_length samples, int16
    //
    // State: what an op keeps between invokes is arena memory from Operator.paramPersistent, zero
    // at load and after StsInterpreter.resetState, as TFLM's after Prepare and Reset.

    export function registerSignal2Kernels(): void {
        registerCustom("SignalDelay", prepareSignalDelay)
        registerBody("signal_delay_int16", signalDelayInt16)
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
}
