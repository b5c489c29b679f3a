namespace tflite {
    // UNIDIRECTIONAL_SEQUENCE_LSTM as TFLM computes it (micro/kernels/unidirectional_sequence_lstm.cc,
    // lstm_eval.h): the standard (Keras) LSTM, without peephole, projection, layer norm or CIFG,
    // which TFLM refuses. Its 24 inputs: 0 the input [batch, time, input] (time_major: [time,
    // batch, input]); 1-4 the input weights [state, input] of the input, forget, cell and output
    // gates; 5-8 their recurrent weights [state, state]; 12-15 their biases [state]; 18 the hidden
    // state and 19 the cell state (variable tensors, batch * state values each, kept between
    // invokes). 9-11, 16-17 and 20-23 (peephole, projection, layer norm) must be absent.
    //
    // For each batch b and time step t, in that order (the order in which TFLM visits them does
    // not matter: batches share nothing), with x the input row and h, c the batch's state rows:
    //   gate_g = act_g(FC(x, W_g) + b_g + FC(h, R_g))   sigmoid, but the cell gate's is TANH
    //   c = forget * c + input * cell                    clipped to +-cell_clip when cell_clip > 0
    //   h = tanh(c) * output                             and the output row at (b, t) is a copy of h
    // The four gates are computed before c and h change, so one row of each (the scratch) holds
    // what TFLM's four batch-wide buffers hold.
    //
    // float32: each FC in float32 in TFLM's order (products summed from 0, then + bias, the
    // recurrent FC + 0), clamped to +-FLT_MAX (TFLM's no-activation range), the two FCs added, then
    // LOGISTIC's float formula (kernel_activation.ts logisticFloatValue) or tanhf; the products
    // forget * c, input * cell and tanh(c) * output are clamped the same way, the sum c is not.

    /** Parameter block of the lstm_* bodies (words). Gates in TFLM's order: input, forget, cell, output. */
    export const enum LstmParams {
        Input = 0,
        /** The input weights of the four gates: tensors at 2, 4, 6, 8. */
        InputWeights = 2,
        /** The recurrent weights of the four gates: tensors at 10, 12, 14, 16. */
        RecurrentWeights = 10,
        /** The biases of the four gates: tensors at 18, 20, 22, 24. */
        Biases = 18,
        HiddenState = 26, CellState = 28, Output = 30,
        Batches = 32, TimeSteps = 33, InputSize = 34, StateSize = 35,
        /** 1 when the input and output are [time, batch, ...]. */
        TimeMajor = 36,
        /** float32: cell_clip's bits (no clipping unless above 0). */
        CellClip = 37,
        /** Arena offset of the scratch: one row of StateSize values per gate, in gate order. */
        Scratch = 38,
        FloatWords = 39,
    }

    const enum LstmOptions { FusedActivation = 0, CellClip = 1, ProjClip = 2, TimeMajor = 3 }

    /** TFLM's input numbers (lstm_shared.h). */
    const enum LstmInput {
        Input = 0, InputToInputWeights = 1, RecurrentToInputWeights = 5, CellToInputWeights = 9,
        InputGateBias = 12, ForgetGateBias = 13, ProjectionWeights = 16, HiddenState = 18, CellState = 19,
        InputLayerNorm = 20,
    }

    export function registerLstmKernels(): void {
        registerBuiltin(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM, prepareLstm)
        registerBody("lstm_float", lstmFloat)
    }

    /** The optional inputs TFLM's LSTM refuses, by their first input number. */
    function checkAbsent(op: Operator, first: number, last: number, what: string): void {
        for (let i = first; i <= last; i++)
            op.check(!op.input(i), "input " + i + " (" + what + ") must be absent: TFLM's LSTM has no " + what)
    }

    /** TFLM's checks in its order (ValidateTensorStatus, CreateLstmSizeInfo, ValidateTensorSize), then the types. */
    function prepareLstm(op: Operator): void {
        op.check(op.outputs.length === 1 && op.inputs.length === 24, "needs 24 inputs and one output, has " +
            op.inputs.length + " and " + op.outputs.length)
        const input = op.input(LstmInput.Input)
        const hidden = op.input(LstmInput.HiddenState)
        const cell = op.input(LstmInput.CellState)
        const output = op.output(0)
        op.check(!!input, "the input (input 0) is missing")
        op.check(!!hidden && hidden.isVariable && !hidden.isConst, "the hidden state (input 18) must be a variable tensor")
        op.check(hidden.type === input.type, "hidden state " + hidden.describe() + " must have the type of input " + input.describe())
        op.check(!!cell && cell.isVariable && !cell.isConst, "the cell state (input 19) must be a variable tensor")
        op.check(output.type === input.type, "output " + output.describe() + " must have the type of input " + input.describe())
        for (let i = 1; i < 9; i++)
            op.check(!!op.input(i), "weights input " + i + " is missing" + (i === 1 || i === 5 ? " (TFLM's LSTM has no CIFG)" : ""))
        for (let i = 1; i < 9; i++)
            op.check(op.input(i).type === op.input(2).type, "weights " + op.input(i).describe() + " must have the type of " + op.input(2).describe())
        for (let i = LstmInput.InputGateBias; i < 16; i++) op.check(!!op.input(i), "bias input " + i + " is missing")
        for (let i = LstmInput.InputGateBias; i < 16; i++)
            op.check(op.input(i).type === op.input(LstmInput.ForgetGateBias).type,
                "bias " + op.input(i).describe() + " must have the type of " + op.input(LstmInput.ForgetGateBias).describe())
        checkAbsent(op, LstmInput.CellToInputWeights, 11, "peephole")
        checkAbsent(op, LstmInput.ProjectionWeights, 17, "projection")
        checkAbsent(op, LstmInput.InputLayerNorm, 23, "layer norm")

        // TFLM reads dimensions 0-2 of the input and dimension 1 of the hidden state unchecked.
        op.check(input.rank() === 3, "the input must be 3-D, not " + input.describe())
        op.check(hidden.rank() === 2, "the hidden state must be 2-D, not " + hidden.describe())
        const timeMajor = op.optByte(LstmOptions.TimeMajor, 0) !== 0
        const batches = input.dim(timeMajor ? 1 : 0)
        const steps = input.dim(timeMajor ? 0 : 1)
        const inputSize = input.dim(2)
        const stateSize = hidden.dim(1)
        for (let i = 1; i < 9; i++) {
            const w = op.input(i)
            const columns = i < 5 ? inputSize : stateSize
            op.check(w.rank() === 2 && w.dim(0) === stateSize && w.dim(1) === columns,
                "weights " + w.describe() + " must be [" + stateSize + "," + columns + "]")
        }
        for (let i = LstmInput.InputGateBias; i < 16; i++) {
            const b = op.input(i)
            op.check(b.rank() === 1 && b.dim(0) === stateSize, "bias " + b.describe() + " must be [" + stateSize + "]")
        }
        op.check(hidden.elementCount() === batches * stateSize && cell.elementCount() === batches * stateSize,
            "the hidden state " + hidden.describe() + " and cell state " + cell.describe() + " must have " + batches * stateSize + " values")
        op.check(output.rank() === 3 && output.dim(0) === input.dim(0) && output.dim(1) === input.dim(1) && output.dim(2) === stateSize,
            "output " + output.describe() + " must be [" + input.dim(0) + "," + input.dim(1) + "," + stateSize + "]")
        op.check(cell.type === TensorType.Float32 || cell.type === TensorType.Int16, "cell state type " + typeName(cell.type) +
            " not supported: TFLM's LSTM takes FLOAT32, or INT16 for quantized models")
        const activation = op.optByte(LstmOptions.FusedActivation, Activation.None)
        op.check(activation === Activation.Tanh, "cell gate activation " + activation + ": TFLM computes TANH only (it aborts on others)")

        const weights = op.input(2).type
        const bias = op.input(LstmInput.ForgetGateBias).type
        op.check(input.type === TensorType.Float32, "unsupported input type " + typeName(input.type) + " (FLOAT32 only so far)")
        op.check(weights === TensorType.Float32 && bias === TensorType.Float32 && cell.type === TensorType.Float32,
            "float32 input needs float32 weights, biases and cell state")
        const p = op.useBody("lstm_float", LstmParams.FloatWords)
        paramLstmTensors(op, output)
        setParams(p, LstmParams.Batches, [batches, steps, inputSize, stateSize, timeMajor ? 1 : 0])
        setParamFloat(p, LstmParams.CellClip, op.optFloat(LstmOptions.CellClip, 0))
        op.paramScratch(LstmParams.Scratch, 4 * 4 * stateSize)
    }

    function paramLstmTensors(op: Operator, output: Tensor): void {
        op.paramTensor(LstmParams.Input, op.input(LstmInput.Input))
        for (let g = 0; g < 4; g++) {
            op.paramTensor(LstmParams.InputWeights + 2 * g, op.input(LstmInput.InputToInputWeights + g))
            op.paramTensor(LstmParams.RecurrentWeights + 2 * g, op.input(LstmInput.RecurrentToInputWeights + g))
            op.paramTensor(LstmParams.Biases + 2 * g, op.input(LstmInput.InputGateBias + g))
        }
        op.paramTensor(LstmParams.HiddenState, op.input(LstmInput.HiddenState))
        op.paramTensor(LstmParams.CellState, op.input(LstmInput.CellState))
        op.paramTensor(LstmParams.Output, output)
    }

    /** float32's largest finite value: TFLM's FC and MUL clamp to +-it (kTfLiteActNone's range). */
    const FLOAT_MAX = 3.4028234663852886e38

    /** One float32 FC output: the products of `count` pairs summed from 0 in order, + bias (0 for none), clamped. */
    function fcFloat(x: Buffer, xAt: number, w: Buffer, wAt: number, count: number, bias: number): number {
        let total = 0
        for (let d = 0; d < count; d++)
            total = f32(total + f32(x.getNumber(NumberFormat.Float32LE, xAt + 4 * d) * w.getNumber(NumberFormat.Float32LE, wAt + 4 * d)))
        return clamp(f32(total + bias), -FLOAT_MAX, FLOAT_MAX)
    }

    export function lstmFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, LstmParams.Input, model, arena)
        const hidden = paramBuffer(p, LstmParams.HiddenState, model, arena)
        const hiddenAt = paramOffset(p, LstmParams.HiddenState)
        const cell = paramBuffer(p, LstmParams.CellState, model, arena)
        const cellAt = paramOffset(p, LstmParams.CellState)
        const output = paramBuffer(p, LstmParams.Output, model, arena)
        const batches = param(p, LstmParams.Batches), steps = param(p, LstmParams.TimeSteps)
        const inputSize = param(p, LstmParams.InputSize), stateSize = param(p, LstmParams.StateSize)
        const timeMajor = param(p, LstmParams.TimeMajor) !== 0
        const clip = paramFloat(p, LstmParams.CellClip)
        const scratch = param(p, LstmParams.Scratch)
        for (let b = 0; b < batches; b++) {
            const h = hiddenAt + 4 * stateSize * b
            const c = cellAt + 4 * stateSize * b
            for (let t = 0; t < steps; t++) {
                const row = timeMajor ? t * batches + b : b * steps + t
                const x = paramOffset(p, LstmParams.Input) + 4 * inputSize * row
                for (let g = 0; g < 4; g++) {
                    const w = paramBuffer(p, LstmParams.InputWeights + 2 * g, model, arena)
                    const wAt = paramOffset(p, LstmParams.InputWeights + 2 * g)
                    const r = paramBuffer(p, LstmParams.RecurrentWeights + 2 * g, model, arena)
                    const rAt = paramOffset(p, LstmParams.RecurrentWeights + 2 * g)
                    const bias = paramBuffer(p, LstmParams.Biases + 2 * g, model, arena)
                    const biasAt = paramOffset(p, LstmParams.Biases + 2 * g)
                    for (let j = 0; j < stateSize; j++) {
                        const fromInput = fcFloat(input, x, w, wAt + 4 * inputSize * j, inputSize, bias.getNumber(NumberFormat.Float32LE, biasAt + 4 * j))
                        const fromState = fcFloat(hidden, h, r, rAt + 4 * stateSize * j, stateSize, 0)
                        const sum = f32(fromInput + fromState)
                        // The cell gate (2) takes the op's activation, TANH; the others sigmoid.
                        arena.setNumber(NumberFormat.Float32LE, scratch + 4 * (stateSize * g + j), g === 2 ? libmTanhf(sum) : logisticFloatValue(sum))
                    }
                }
                for (let j = 0; j < stateSize; j++) {
                    const inputGate = arena.getNumber(NumberFormat.Float32LE, scratch + 4 * j)
                    const forgetGate = arena.getNumber(NumberFormat.Float32LE, scratch + 4 * (stateSize + j))
                    const cellGate = arena.getNumber(NumberFormat.Float32LE, scratch + 4 * (2 * stateSize + j))
                    const kept = clamp(f32(forgetGate * cell.getNumber(NumberFormat.Float32LE, c + 4 * j)), -FLOAT_MAX, FLOAT_MAX)
                    const added = clamp(f32(inputGate * cellGate), -FLOAT_MAX, FLOAT_MAX)
                    let v = f32(kept + added)
                    // std::max(std::min(clip, v), -clip): a NaN becomes clip.
                    if (clip > 0) v = Math.max(v < clip ? v : clip, -clip)
                    cell.setNumber(NumberFormat.Float32LE, c + 4 * j, v)
                }
                for (let j = 0; j < stateSize; j++) {
                    const o = arena.getNumber(NumberFormat.Float32LE, scratch + 4 * (stateSize * 3 + j))
                    const v = clamp(f32(libmTanhf(cell.getNumber(NumberFormat.Float32LE, c + 4 * j)) * o), -FLOAT_MAX, FLOAT_MAX)
                    hidden.setNumber(NumberFormat.Float32LE, h + 4 * j, v)
                    output.setNumber(NumberFormat.Float32LE, paramOffset(p, LstmParams.Output) + 4 * (stateSize * row + j), v)
                }
            }
        }
    }
}
