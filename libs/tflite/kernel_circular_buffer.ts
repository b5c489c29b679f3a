namespace tflite {
    // CIRCULAR_BUFFER (TFLM's custom op for strided streaming convolutions, circular_buffer.cc):
    // the output holds the last `slots` inputs; each invoke shifts it by one input and appends
    // the new one, then counts down and stops the invoke unless the op is due (every cycles_max
    // invokes). int8 only, as TFLM. On the board: the all-ops build only.
    //
    // Stopping: TFLM's Eval returns kTfLiteAbort, the interpreter runs no further op and
    // Invoke() returns kTfLiteAbort. Here the body sets invokeStopped, which runOps checks after
    // each op (StsInterpreter.invoke clears it and returns false when it was set).

    /** Set by a body that stops the current invoke (CIRCULAR_BUFFER when it is not due). */
    export let invokeStopped = false

    export function registerCircularBufferKernels(): void {
        registerCustom("CIRCULAR_BUFFER", prepareCircularBuffer)
        registerBody("circular_buffer_int8", circularBufferInt8)
    }

    /** Parameter block of circular_buffer_int8 (words). */
    export const enum CircularBufferParams {
        Input = 0, Output = 2,
        /** Bytes of one input: dims 2 and 3 (TFLM shifts the first batch only). */
        Depth = 4,
        /** Output dim 1: how many inputs the output holds. */
        Slots = 5,
        /** The op is due every CyclesMax invokes (1 or more). */
        CyclesMax = 6,
        /** Arena offset of an int32: invokes since the op was last due (0 at load and reset). */
        State = 7,
        Words = 8,
    }

    function prepareCircularBuffer(op: Operator): void {
        checkSignalIo(op, 1, 1)
        const input = op.input(0)
        const output = op.output(0)
        // TFLM reads dims 0-3 of both without checking the rank.
        op.check(input.rank() === 4 && output.rank() === 4,
            "input " + input.describe() + " and output " + output.describe() + " must have rank 4")
        op.check(input.type === TensorType.Int8 && output.type === TensorType.Int8,
            "input " + input.describe() + " and output " + output.describe() + " must be INT8 (TFLM's only type)")
        op.check(input.dim(1) === 1, "input " + input.describe() + " must have 1 in dimension 1")
        op.check(input.dim(0) === output.dim(0) && input.dim(2) === output.dim(2) && input.dim(3) === output.dim(3),
            "output " + output.describe() + " must match input " + input.describe() + " in dimensions 0, 2 and 3")
        // TFLM shifts (slots - 1) inputs of the first batch: with none it would write outside.
        op.check(output.dim(0) >= 1 && output.dim(1) >= 1,
            "output " + output.describe() + " must have 1 or more in dimensions 0 and 1")
        const options = customOptionsMap(op)
        // TFLM reads the map's first value in key order, whatever its key.
        op.check(!options || options.length() === 1, "custom options must hold 'cycles_max' only")
        let cyclesMax = options ? signalIntOption(op, options, "cycles_max") : 0
        const slots = output.dim(1)
        if (cyclesMax <= 0) {
            // TFLM's guess for the two streaming models it knows: 1 for 5, 13 or 25 slots, else 2,
            // except [., ., 2, 96] whose period depends on how many such ops the process prepared.
            op.check(!(slots !== 5 && slots !== 13 && slots !== 25 && output.dim(2) === 2 && output.dim(3) === 96),
                "output " + output.describe() + " with cycles_max " + cyclesMax +
                ": TFLM's period for this shape depends on a count of ops across the process; give cycles_max > 0")
            cyclesMax = slots === 5 || slots === 13 || slots === 25 ? 1 : 2
        }
        const p = op.useBody("circular_buffer_int8", CircularBufferParams.Words)
        op.paramPersistent(CircularBufferParams.State, 4)
        op.paramTensor(CircularBufferParams.Input, input)
        op.paramTensor(CircularBufferParams.Output, output)
        setParam(p, CircularBufferParams.Depth, output.dim(2) * output.dim(3))
        setParam(p, CircularBufferParams.Slots, slots)
        setParam(p, CircularBufferParams.CyclesMax, cyclesMax)
    }

    export function circularBufferInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, CircularBufferParams.Input, model, arena)
        const inputAt = paramOffset(p, CircularBufferParams.Input)
        const output = paramBuffer(p, CircularBufferParams.Output, model, arena)
        const outputAt = paramOffset(p, CircularBufferParams.Output)
        const depth = param(p, CircularBufferParams.Depth)
        const kept = (param(p, CircularBufferParams.Slots) - 1) * depth
        // Ascending: each byte is read before the byte depth places below it is written.
        for (let i = 0; i < kept; i++) output[outputAt + i] = output[outputAt + depth + i]
        for (let i = 0; i < depth; i++) output[outputAt + kept + i] = input[inputAt + i]
        const stateAt = param(p, CircularBufferParams.State)
        const count = arena.getNumber(NumberFormat.Int32LE, stateAt) + 1
        if (count === param(p, CircularBufferParams.CyclesMax)) {
            arena.setNumber(NumberFormat.Int32LE, stateAt, 0)
        } else {
            arena.setNumber(NumberFormat.Int32LE, stateAt, count)
            invokeStopped = true
        }
    }
}
