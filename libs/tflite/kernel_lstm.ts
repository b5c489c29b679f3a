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
    //
    // Quantized (TFLM's "8x8->16": int8 input, hidden state and output, int8 weights, int32 biases;
    // "16x8": the same with int16 activations and int64 biases), the cell state and the gates are
    // int16: each FC removes the input's (or hidden state's) zero point, sums in int32 (int64 for
    // 16x8) with the bias, rescales into Q3.12 (scale 2^-12, zero point 0) and saturates to int16;
    // the two FCs add saturating; the gates are LOGISTIC's and TANH's int16 table interpolation
    // (kernel_activation.ts sigmoidInt16Value) from Q3.12 to Q0.15. forget * c and input * cell
    // are MUL's int16 rescale into the cell's scale, added saturating, clipped to the quantized
    // cell_clip; tanh(c) takes the cell scale's power of two (TFLM's CheckedLog2, rounded), and
    // tanh(c) * output rescales into the hidden state's scale and zero point. Weights must be
    // per-tensor with zero point 0 (TFLM asserts it and reads no per-channel multipliers).

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
        /** Quantized: the zero points of the input and of the hidden state, which the FCs remove. */
        InputZeroPoint = 39, HiddenZeroPoint = 40,
        /** Quantized: per gate, (multiplier, shift) of its input FC then of its recurrent FC: 16 words. */
        GateMultipliers = 41,
        /** Quantized: forget * c -> c, input * cell gate -> c, tanh(c) * output -> hidden state. */
        ForgetCellMultiplier = 57, ForgetCellShift = 58, InputCellMultiplier = 59, InputCellShift = 60,
        HiddenMultiplier = 61, HiddenShift = 62,
        /** Quantized: TFLM's int16 Tanh (input_multiplier, input_left_shift) of the cell state. */
        CellTanhMultiplier = 63, CellTanhShift = 64,
        /** Quantized: cell_clip in the cell's scale, or -1 when cell_clip is not above 0 (no clipping). */
        QuantizedCellClip = 65,
        /** Quantized: TFLM's sigmoid_table_uint16 (kernel_activation.ts sigmoidTable), 2 entries a word. */
        SigmoidTable = 66,
        Words = 194,
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
        registerBody("lstm_int8", lstmInt8)
        registerBody("lstm_int16", lstmInt16)
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

        const weights = op.input(2)
        const bias = op.input(LstmInput.ForgetGateBias).type
        if (input.type === TensorType.Float32) {
            op.check(weights.type === TensorType.Float32 && bias === TensorType.Float32 && cell.type === TensorType.Float32,
                "float32 input needs float32 weights, biases and cell state")
            const p = op.useBody("lstm_float", LstmParams.FloatWords)
            paramLstmTensors(op, output)
            setParams(p, LstmParams.Batches, [batches, steps, inputSize, stateSize, timeMajor ? 1 : 0])
            setParamFloat(p, LstmParams.CellClip, op.optFloat(LstmOptions.CellClip, 0))
            op.paramScratch(LstmParams.Scratch, 4 * 4 * stateSize)
            return
        }
        if (input.type === TensorType.Int8)
            op.check(weights.type === TensorType.Int8 && bias === TensorType.Int32 && cell.type === TensorType.Int16,
                "int8 input needs int8 weights, int32 biases and an int16 cell state")
        else if (input.type === TensorType.Int16)
            op.check(weights.type === TensorType.Int8 && bias === TensorType.Int64 && cell.type === TensorType.Int16,
                "int16 input needs int8 weights, int64 biases and an int16 cell state")
        else op.check(false, "unsupported input type " + typeName(input.type) + " (TFLM takes FLOAT32, INT8, INT16)")
        const scaled = [input, hidden, cell]
        for (let i = 1; i < 9; i++) scaled.push(op.input(i))
        for (let i = 0; i < scaled.length; i++)
            op.check(scaled[i].scale > 0 && scaled[i].scales.length === 1, scaled[i].describe() + " needs one scale (per-tensor quantization)")
        for (let i = 1; i < 9; i++)
            op.check(op.input(i).zeroPoint === 0, "weights " + op.input(i).describe() + " must have zero point 0 (TFLM asserts it)")
        if (input.type === TensorType.Int16)
            for (let i = LstmInput.InputGateBias; i < 16; i++) checkInt64Bias(op, op.input(i))
        // TFLM's Tanh of the cell: a left shift of 15 + log2(cell scale) - 3 into its Q3.12 input,
        // or a multiplier of 3 and a right shift when that is negative; an int32 shift by 32 or
        // more is undefined (TFLM's 3 << shift, the board's and the host's shifts differ).
        op.check(cell.scale > 0 && cell.scale <= 3.4028234663852886e38, "cell state " + cell.describe() + " needs a positive finite scale")
        let tanhShift = 15 + checkedLog2(cell.scale)[1] - 3
        op.check(tanhShift > -32 && tanhShift < 32, "cell state " + cell.describe() + ": TFLM's tanh of the cell shifts by " +
            Math.abs(tanhShift) + " bits (over 31)")

        const p = op.useBody(input.type === TensorType.Int8 ? "lstm_int8" : "lstm_int16", LstmParams.Words)
        paramLstmTensors(op, output)
        setParams(p, LstmParams.Batches, [batches, steps, inputSize, stateSize, timeMajor ? 1 : 0])
        op.paramScratch(LstmParams.Scratch, 4 * 2 * stateSize)
        setParams(p, LstmParams.InputZeroPoint, [input.zeroPoint, hidden.zeroPoint])
        // Each FC's output is Q3.12: TFLM's real multiplier is the float32 product of the scales,
        // widened, over 2^-12.
        for (let g = 0; g < 4; g++) {
            const fromInput = quantizeMultiplier(f32(input.scale * op.input(LstmInput.InputToInputWeights + g).scale) * 4096)
            const fromState = quantizeMultiplier(f32(hidden.scale * op.input(LstmInput.RecurrentToInputWeights + g).scale) * 4096)
            setParams(p, LstmParams.GateMultipliers + 4 * g, [fromInput[0], fromInput[1], fromState[0], fromState[1]])
        }
        // The gates are Q0.15 (2^-15); the products' real multipliers in double, as TFLM's
        // CreateInterGateMulParams forms them.
        const gateScale = 1 / 32768
        const forgetCell = quantizeMultiplier(gateScale * cell.scale / cell.scale)
        const inputCell = quantizeMultiplier(gateScale * gateScale / cell.scale)
        const hiddenOut = quantizeMultiplier(gateScale * gateScale / hidden.scale)
        setParams(p, LstmParams.ForgetCellMultiplier, [forgetCell[0], forgetCell[1], inputCell[0], inputCell[1], hiddenOut[0], hiddenOut[1]])
        let tanhMultiplier = 0
        if (tanhShift < 0) {
            tanhShift = -tanhShift
            tanhMultiplier = 3
        }
        setParams(p, LstmParams.CellTanhMultiplier, [tanhMultiplier, tanhShift])
        // static_cast<int16_t> of the clamped quotient: toward zero.
        const clip = op.optFloat(LstmOptions.CellClip, 0)
        setParam(p, LstmParams.QuantizedCellClip, clip > 0 ? Math.trunc(clamp(clip / cell.scale, -32768, 32767)) : -1)
        const table = sigmoidTable()
        for (let i = 0; i < table.length; i++) p.setNumber(NumberFormat.UInt16LE, 4 * LstmParams.SigmoidTable + 2 * i, table[i])
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

namespace tflite {
    /** A quantized FC output in Q3.12: the int32 (int64: `wide`) sum with the bias, rescaled, saturated to int16. */
    function fcQuantized(x: Buffer, xAt: number, activationBytes: number, zeroPoint: number, w: Buffer, wAt: number, count: number,
        bias: number, multiplier: number, shift: number): number {
        let acc = bias
        for (let d = 0; d < count; d++) {
            const v = activationBytes === 1 ? int8At(x, xAt, d) : x.getNumber(NumberFormat.Int16LE, xAt + 2 * d)
            acc += int8At(w, wAt, d) * (v - zeroPoint)
        }
        // int8: exact in a double, then wrapped once (C's int32 sum wraps step by step to the same).
        // int16: TFLM's static_cast<int32_t> of the shifted 64-bit product wraps before the
        // saturation to int16 (a bias near 2^48 reaches it), hence the | 0.
        const scaled = activationBytes === 1 ? multiplyByQuantizedMultiplier(acc | 0, multiplier, shift) : multiplyByQuantizedMultiplier64(acc, multiplier, shift) | 0
        return clamp(scaled, -32768, 32767)
    }

    function lstmQuantized(p: Buffer, model: Buffer, arena: Buffer, activationBytes: number): void {
        const input = paramBuffer(p, LstmParams.Input, model, arena)
        const hidden = paramBuffer(p, LstmParams.HiddenState, model, arena)
        const hiddenAt = paramOffset(p, LstmParams.HiddenState)
        const cell = paramBuffer(p, LstmParams.CellState, model, arena)
        const cellAt = paramOffset(p, LstmParams.CellState)
        const output = paramBuffer(p, LstmParams.Output, model, arena)
        const batches = param(p, LstmParams.Batches), steps = param(p, LstmParams.TimeSteps)
        const inputSize = param(p, LstmParams.InputSize), stateSize = param(p, LstmParams.StateSize)
        const timeMajor = param(p, LstmParams.TimeMajor) !== 0
        const scratch = param(p, LstmParams.Scratch)
        const inputZeroPoint = param(p, LstmParams.InputZeroPoint), hiddenZeroPoint = param(p, LstmParams.HiddenZeroPoint)
        const clip = param(p, LstmParams.QuantizedCellClip)
        const hiddenMin = activationBytes === 1 ? -128 : -32768
        const format = activationBytes === 1 ? NumberFormat.Int8LE : NumberFormat.Int16LE
        const tableAt = 4 * LstmParams.SigmoidTable
        for (let b = 0; b < batches; b++) {
            const h = hiddenAt + activationBytes * stateSize * b
            const c = cellAt + 2 * stateSize * b
            for (let t = 0; t < steps; t++) {
                const row = timeMajor ? t * batches + b : b * steps + t
                const x = paramOffset(p, LstmParams.Input) + activationBytes * inputSize * row
                for (let g = 0; g < 4; g++) {
                    const w = paramBuffer(p, LstmParams.InputWeights + 2 * g, model, arena)
                    const wAt = paramOffset(p, LstmParams.InputWeights + 2 * g)
                    const r = paramBuffer(p, LstmParams.RecurrentWeights + 2 * g, model, arena)
                    const rAt = paramOffset(p, LstmParams.RecurrentWeights + 2 * g)
                    const bias = paramBuffer(p, LstmParams.Biases + 2 * g, model, arena)
                    const biasAt = paramOffset(p, LstmParams.Biases + 2 * g)
                    const m = LstmParams.GateMultipliers + 4 * g
                    for (let j = 0; j < stateSize; j++) {
                        const biasValue = activationBytes === 1 ? bias.getNumber(NumberFormat.Int32LE, biasAt + 4 * j)
                            : bias.getNumber(NumberFormat.Int32LE, biasAt + 8 * j + 4) * 4294967296 + bias.getNumber(NumberFormat.UInt32LE, biasAt + 8 * j)
                        const fromInput = fcQuantized(input, x, activationBytes, inputZeroPoint, w, wAt + inputSize * j, inputSize, biasValue, param(p, m), param(p, m + 1))
                        const fromState = fcQuantized(hidden, h, activationBytes, hiddenZeroPoint, r, rAt + stateSize * j, stateSize, 0, param(p, m + 2), param(p, m + 3))
                        const sum = clamp(fromInput + fromState, -32768, 32767)
                        // The cell gate (2): TANH from Q3.12 (multiplier 3, no shift); the others sigmoid.
                        arena.setNumber(NumberFormat.Int16LE, scratch + 2 * (stateSize * g + j), sigmoidInt16Value(sum, 0, 0, p, tableAt, g === 2))
                    }
                }
                for (let j = 0; j < stateSize; j++) {
                    const inputGate = arena.getNumber(NumberFormat.Int16LE, scratch + 2 * j)
                    const forgetGate = arena.getNumber(NumberFormat.Int16LE, scratch + 2 * (stateSize + j))
                    const cellGate = arena.getNumber(NumberFormat.Int16LE, scratch + 2 * (2 * stateSize + j))
                    const kept = clamp(multiplyByQuantizedMultiplier(forgetGate * cell.getNumber(NumberFormat.Int16LE, c + 2 * j),
                        param(p, LstmParams.ForgetCellMultiplier), param(p, LstmParams.ForgetCellShift)), -32768, 32767)
                    const added = clamp(multiplyByQuantizedMultiplier(inputGate * cellGate,
                        param(p, LstmParams.InputCellMultiplier), param(p, LstmParams.InputCellShift)), -32768, 32767)
                    let v = clamp(kept + added, -32768, 32767)
                    if (clip >= 0) v = Math.max(Math.min(clip, v), -clip)
                    cell.setNumber(NumberFormat.Int16LE, c + 2 * j, v)
                }
                for (let j = 0; j < stateSize; j++) {
                    const o = arena.getNumber(NumberFormat.Int16LE, scratch + 2 * (3 * stateSize + j))
                    const th = sigmoidInt16Value(cell.getNumber(NumberFormat.Int16LE, c + 2 * j), param(p, LstmParams.CellTanhMultiplier),
                        param(p, LstmParams.CellTanhShift), p, tableAt, true)
                    const v = clamp(multiplyByQuantizedMultiplier(th * o, param(p, LstmParams.HiddenMultiplier), param(p, LstmParams.HiddenShift)) +
                        hiddenZeroPoint, hiddenMin, -hiddenMin - 1)
                    hidden.setNumber(format, h + activationBytes * j, v)
                    output.setNumber(format, paramOffset(p, LstmParams.Output) + activationBytes * (stateSize * row + j), v)
                }
            }
        }
    }

    export function lstmInt8(p: Buffer, model: Buffer, arena: Buffer): void { lstmQuantized(p, model, arena, 1) }
    export function lstmInt16(p: Buffer, model: Buffer, arena: Buffer): void { lstmQuantized(p, model, arena, 2) }
}
