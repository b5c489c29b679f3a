namespace tflite {
    // TRANSPOSE_CONV over NHWC tensors (TFLM's kernels/transpose_conv.cc; the math of
    // reference/transpose_conv.h and reference/integer_ops/transpose_conv.h).
    //
    // Inputs: 0 the output shape (int32[4]; TFLM never reads its values: the output tensor's own
    // shape counts), 1 the filter [output channels, height, width, input channels], 2 the input,
    // 3 an optional bias. Each input pixel (y, x) spreads its values over the output window whose
    // top-left corner is (y * stride_h - pad_h, x * stride_w - pad_w):
    //
    //     output[b, oy, ox, oc] = act(bias[oc] + sum over input pixels (y, x) and channels i with
    //         fy = oy + pad_h - y * stride_h in [0, filter_h) and fx likewise in [0, filter_w)
    //         of input[b, y, x, i] * filter[oc, fy, fx, i])
    //
    // TFLM computes it by scattering each input value into an accumulator per output element
    // (a scratch buffer of int32s, int64s, or the float output itself); the bodies here gather
    // instead, one output element at a time, so they need no scratch memory. Each output element
    // still receives its terms in TFLM's order (input row, column, channel ascending), so the
    // float32 sums round alike; integer sums do not depend on the order. TFLM takes the padding
    // from the output's size (ComputePaddingHeightWidth on the output's height and width, dilation
    // 1) and does not require the input's size to match it: output positions no input reaches get
    // the bias alone.
    //
    // Quantized as CONV_2D: int8 with an int32 bias and a wrapping int32 sum; int16 activations
    // (zero points 0) with an int8 filter and an int64 sum, the bias int64 or int16 (TFLM widens an
    // int16 bias to int64); a per-channel or per-tensor filter scale, its zero points 0.

    /** Parameter block of the transpose_conv_* bodies (words). */
    export const enum TransposeConvParams {
        Input = 0, Filter = 2, Bias = 4, Output = 6,
        /** Input shape (NHWC). */
        Batches = 8, InputHeight = 9, InputWidth = 10, InputDepth = 11,
        FilterHeight = 12, FilterWidth = 13,
        /** Output shape (the batch count is Batches). */
        OutputHeight = 14, OutputWidth = 15, OutputDepth = 16,
        StrideHeight = 17, StrideWidth = 18,
        /** Rows and columns of the output window of input pixel (0, 0) that lie before the output's first row and column. */
        PadHeight = 19, PadWidth = 20,
        /** int8 only: minus the input's zero point, the output's zero point. */
        InputOffset = 21, OutputOffset = 22,
        /** Clamp bounds: int32 for quantized bodies, float32 bits for the float body. */
        ActivationMin = 23, ActivationMax = 24,
        /** int16 only: bytes of one bias value, 8 (int64) or 2 (int16); 0 without a bias. */
        BiasBytes = 25,
        /** Quantized only: OutputDepth (multiplier, shift) pairs, one per output channel. */
        Multipliers = 26,
    }

    const enum TransposeConvOptions { Padding = 0, StrideW = 1, StrideH = 2, FusedActivation = 3 }
    const enum TransposeConvInputs { OutputShape = 0, Filter = 1, Input = 2, Bias = 3 }

    export function registerTransposeConvKernels(): void {
        registerBuiltin(BuiltinOp.TRANSPOSE_CONV, prepareTransposeConv)
        registerBody("transpose_conv_int8", transposeConvInt8)
        registerBody("transpose_conv_int16", transposeConvInt16)
        registerBody("transpose_conv_float", transposeConvFloat)
    }

    function prepareTransposeConv(op: Operator): void {
        const outputShape = op.input(TransposeConvInputs.OutputShape)
        const filter = op.input(TransposeConvInputs.Filter)
        const input = op.input(TransposeConvInputs.Input)
        const bias = op.input(TransposeConvInputs.Bias)
        const output = op.output(0)
        op.check(!!outputShape && !!filter && !!input && op.inputs.length <= 4 && op.outputs.length === 1 && !!output,
            "needs an output shape, a filter, an input, an optional bias and one output")
        op.check(outputShape.type === TensorType.Int32 && outputShape.rank() === 1 && outputShape.dim(0) === 4,
            "the output shape " + outputShape.describe() + " must be 4 int32 values")
        op.check(input.rank() === 4, "the input must be 4-D (NHWC), not " + input.describe())
        op.check(filter.rank() === 4, "the filter must be 4-D (OHWI), not " + filter.describe())
        op.check(output.rank() === 4, "the output must be 4-D (NHWC), not " + output.describe())
        // TFLM sizes the output from the output tensor alone; a constant output shape that says
        // otherwise would make TFLite and TFLM disagree, so such a model is refused.
        if (outputShape.isConst)
            for (let i = 0; i < 4; i++)
                op.check(outputShape.data.getNumber(NumberFormat.Int32LE, outputShape.offset + 4 * i) === output.dim(i),
                    "the output shape " + outputShape.describe() + " disagrees with output " + output.describe() + " in dimension " + i)
        const outputDepth = filter.dim(0)
        op.check(output.dim(0) === input.dim(0) && output.dim(3) === outputDepth && filter.dim(3) === input.dim(3),
            "input " + input.describe() + ", filter " + filter.describe() + " and output " + output.describe() +
            " disagree (batches, output channels = filter dimension 0, input channels = filter dimension 3)")
        if (bias) op.check(bias.elementCount() === outputDepth, "bias " + bias.describe() + " must have " + outputDepth + " values")

        const padding = op.optByte(TransposeConvOptions.Padding, Padding.Same)
        const strideH = op.optInt(TransposeConvOptions.StrideH, 0)
        const strideW = op.optInt(TransposeConvOptions.StrideW, 0)
        const activation = op.optByte(TransposeConvOptions.FusedActivation, Activation.None)
        op.check(padding === Padding.Same || padding === Padding.Valid, "unsupported padding " + padding)
        op.check(strideH >= 1 && strideW >= 1, "strides must be at least 1, not " + strideH + " x " + strideW)
        op.check(activation === Activation.None || activation === Activation.Relu ||
            activation === Activation.Relu6 || activation === Activation.ReluN1To1,
            "unsupported fused activation " + (activation === Activation.Tanh ? "TANH" : activation === Activation.SignBit ? "SIGN_BIT" : "" + activation))
        const inH = input.dim(1), inW = input.dim(2)
        const filterH = filter.dim(1), filterW = filter.dim(2)
        const outH = output.dim(1), outW = output.dim(2)
        // TFLM computes the output positions of the input's windows and its padding in ints:
        // past 2^31 - 1 they mean nothing.
        op.check(outH + strideH < 2147483648 && outW + strideW < 2147483648 &&
            (inH - 1) * strideH + filterH < 2147483648 && (inW - 1) * strideW + filterW < 2147483648,
            "strides " + strideH + " x " + strideW + " out of range for input " + input.describe())

        let body = ""
        let biasBytes = 0
        if (input.type === TensorType.Float32) {
            op.check(filter.type === TensorType.Float32 && output.type === TensorType.Float32 &&
                (!bias || bias.type === TensorType.Float32), "float32 input needs float32 filter, bias and output")
            body = "transpose_conv_float"
        } else if (input.type === TensorType.Int8) {
            op.check(filter.type === TensorType.Int8 && output.type === TensorType.Int8 &&
                (!bias || bias.type === TensorType.Int32), "int8 input needs int8 filter and output, int32 bias")
            body = "transpose_conv_int8"
        } else if (input.type === TensorType.Int16) {
            op.check(filter.type === TensorType.Int8 && output.type === TensorType.Int16, "int16 input needs int8 filter and int16 output")
            op.check(input.zeroPoint === 0 && output.zeroPoint === 0, "int16 tensors must have zero point 0")
            if (bias) {
                op.check(bias.type === TensorType.Int64 || bias.type === TensorType.Int16,
                    "int16 input needs an int64 (or int16) bias, not " + bias.describe())
                if (bias.type === TensorType.Int64) checkInt64Bias(op, bias)
                biasBytes = bias.type === TensorType.Int64 ? 8 : 2
            }
            body = "transpose_conv_int16"
        } else op.check(false, "unsupported input type " + typeName(input.type))

        const quantized = input.type !== TensorType.Float32
        const multipliers = quantized ? convolutionMultipliers(op, input, filter, output, outputDepth, 0) : []

        const p = op.useBody(body, TransposeConvParams.Multipliers + multipliers.length)
        op.paramTensor(TransposeConvParams.Input, input)
        op.paramTensor(TransposeConvParams.Filter, filter)
        op.paramTensor(TransposeConvParams.Bias, bias)
        op.paramTensor(TransposeConvParams.Output, output)
        setParams(p, TransposeConvParams.Batches, [input.dim(0), inH, inW, input.dim(3), filterH, filterW, outH, outW, outputDepth, strideH, strideW])
        // ComputePaddingHeightWidth with the output's size as the "input" size.
        setParam(p, TransposeConvParams.PadHeight, convPadding(strideH, 1, outH, filterH, convOutSize(padding, outH, filterH, strideH, 1)))
        setParam(p, TransposeConvParams.PadWidth, convPadding(strideW, 1, outW, filterW, convOutSize(padding, outW, filterW, strideW, 1)))
        if (!quantized) {
            const range = floatActivationRange(activation)
            setParamFloat(p, TransposeConvParams.ActivationMin, range[0])
            setParamFloat(p, TransposeConvParams.ActivationMax, range[1])
            return
        }
        setParam(p, TransposeConvParams.InputOffset, -input.zeroPoint)
        setParam(p, TransposeConvParams.OutputOffset, output.zeroPoint)
        const range = quantizedActivationRange(activation, output)
        setParam(p, TransposeConvParams.ActivationMin, range[0])
        setParam(p, TransposeConvParams.ActivationMax, range[1])
        setParam(p, TransposeConvParams.BiasBytes, biasBytes)
        setParams(p, TransposeConvParams.Multipliers, multipliers)
    }

    /**
     * The input rows (or columns) whose windows cover output row `out`: [first, last], empty when
     * first > last. Row y covers it when 0 <= out + pad - y * stride < filter.
     */
    function coveringInputs(out: number, pad: number, stride: number, filter: number, inSize: number): number[] {
        const t = out + pad
        const low = t - filter + 1
        return [low <= 0 ? 0 : Math.ceil(low / stride), Math.min(inSize - 1, Math.floor(t / stride))]
    }

    /** The tensors and shape words every body reads, unpacked once per call. */
    class TransposeConvCall {
        input: Buffer; inputAt: number
        filter: Buffer; filterAt: number
        bias: Buffer; biasAt: number
        output: Buffer; outputAt: number
        batches: number; inH: number; inW: number; inD: number
        filterH: number; filterW: number
        outH: number; outW: number; outD: number
        strideH: number; strideW: number; padH: number; padW: number

        constructor(p: Buffer, model: Buffer, arena: Buffer) {
            this.input = paramBuffer(p, TransposeConvParams.Input, model, arena)
            this.inputAt = paramOffset(p, TransposeConvParams.Input)
            this.filter = paramBuffer(p, TransposeConvParams.Filter, model, arena)
            this.filterAt = paramOffset(p, TransposeConvParams.Filter)
            this.bias = paramBuffer(p, TransposeConvParams.Bias, model, arena)
            this.biasAt = paramOffset(p, TransposeConvParams.Bias)
            this.output = paramBuffer(p, TransposeConvParams.Output, model, arena)
            this.outputAt = paramOffset(p, TransposeConvParams.Output)
            this.batches = param(p, TransposeConvParams.Batches)
            this.inH = param(p, TransposeConvParams.InputHeight)
            this.inW = param(p, TransposeConvParams.InputWidth)
            this.inD = param(p, TransposeConvParams.InputDepth)
            this.filterH = param(p, TransposeConvParams.FilterHeight)
            this.filterW = param(p, TransposeConvParams.FilterWidth)
            this.outH = param(p, TransposeConvParams.OutputHeight)
            this.outW = param(p, TransposeConvParams.OutputWidth)
            this.outD = param(p, TransposeConvParams.OutputDepth)
            this.strideH = param(p, TransposeConvParams.StrideHeight)
            this.strideW = param(p, TransposeConvParams.StrideWidth)
            this.padH = param(p, TransposeConvParams.PadHeight)
            this.padW = param(p, TransposeConvParams.PadWidth)
        }
    }

    export function transposeConvInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const c = new TransposeConvCall(p, model, arena)
        const inputOffset = param(p, TransposeConvParams.InputOffset)
        const outputOffset = param(p, TransposeConvParams.OutputOffset)
        const actMin = param(p, TransposeConvParams.ActivationMin)
        const actMax = param(p, TransposeConvParams.ActivationMax)
        let out = 0
        for (let b = 0; b < c.batches; b++)
            for (let oy = 0; oy < c.outH; oy++)
                for (let ox = 0; ox < c.outW; ox++)
                    for (let oc = 0; oc < c.outD; oc++) {
                        // Exact in a double (each term below 2^15); TFLM's int32 sum wraps, as | 0 does after.
                        let acc = 0
                        const rows = coveringInputs(oy, c.padH, c.strideH, c.filterH, c.inH)
                        const columns = coveringInputs(ox, c.padW, c.strideW, c.filterW, c.inW)
                        for (let y = rows[0]; y <= rows[1]; y++) {
                            const fy = oy + c.padH - y * c.strideH
                            for (let x = columns[0]; x <= columns[1]; x++) {
                                const pixel = c.inputAt + ((b * c.inH + y) * c.inW + x) * c.inD
                                const weights = c.filterAt + ((oc * c.filterH + fy) * c.filterW + ox + c.padW - x * c.strideW) * c.inD
                                for (let i = 0; i < c.inD; i++) acc += (int8At(c.input, pixel, i) + inputOffset) * int8At(c.filter, weights, i)
                            }
                        }
                        acc = acc | 0
                        if (c.bias) acc = (acc + c.bias.getNumber(NumberFormat.Int32LE, c.biasAt + 4 * oc)) | 0
                        const m = TransposeConvParams.Multipliers + 2 * oc
                        const v = multiplyByQuantizedMultiplier(acc, param(p, m), param(p, m + 1)) + outputOffset
                        c.output.setNumber(NumberFormat.Int8LE, c.outputAt + out, clamp(v, actMin, actMax))
                        out++
                    }
    }

    /** int16 activations, int8 filter: TFLM's int64 sum (exact here in a double), int64 or int16 bias. */
    export function transposeConvInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const c = new TransposeConvCall(p, model, arena)
        const actMin = param(p, TransposeConvParams.ActivationMin)
        const actMax = param(p, TransposeConvParams.ActivationMax)
        const biasBytes = param(p, TransposeConvParams.BiasBytes)
        let out = 0
        for (let b = 0; b < c.batches; b++)
            for (let oy = 0; oy < c.outH; oy++)
                for (let ox = 0; ox < c.outW; ox++)
                    for (let oc = 0; oc < c.outD; oc++) {
                        let acc = 0
                        const rows = coveringInputs(oy, c.padH, c.strideH, c.filterH, c.inH)
                        const columns = coveringInputs(ox, c.padW, c.strideW, c.filterW, c.inW)
                        for (let y = rows[0]; y <= rows[1]; y++) {
                            const fy = oy + c.padH - y * c.strideH
                            for (let x = columns[0]; x <= columns[1]; x++) {
                                const pixel = c.inputAt + 2 * (((b * c.inH + y) * c.inW + x) * c.inD)
                                const weights = c.filterAt + ((oc * c.filterH + fy) * c.filterW + ox + c.padW - x * c.strideW) * c.inD
                                for (let i = 0; i < c.inD; i++)
                                    acc += c.input.getNumber(NumberFormat.Int16LE, pixel + 2 * i) * int8At(c.filter, weights, i)
                            }
                        }
                        if (c.bias) {
                            const at = c.biasAt + biasBytes * oc
                            acc += biasBytes === 2 ? c.bias.getNumber(NumberFormat.Int16LE, at) :
                                c.bias.getNumber(NumberFormat.Int32LE, at + 4) * 4294967296 + c.bias.getNumber(NumberFormat.UInt32LE, at)
                        }
                        const m = TransposeConvParams.Multipliers + 2 * oc
                        // C's cast of the 64-bit product back to int32 keeps the low 32 bits.
                        const v = multiplyByQuantizedMultiplier64(acc, param(p, m), param(p, m + 1)) | 0
                        c.output.setNumber(NumberFormat.Int16LE, c.outputAt + 2 * out, clamp(v, actMin, actMax))
                        out++
                    }
    }

    export function transposeConvFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const c = new TransposeConvCall(p, model, arena)
        const actMin = paramFloat(p, TransposeConvParams.ActivationMin)
        const actMax = paramFloat(p, TransposeConvParams.ActivationMax)
        let out = 0
        for (let b = 0; b < c.batches; b++)
            for (let oy = 0; oy < c.outH; oy++)
                for (let ox = 0; ox < c.outW; ox++)
                    for (let oc = 0; oc < c.outD; oc++) {
                        // float32 arithmetic in TFLM's order, rounded after every step (no fused multiply-add).
                        let total = 0
                        const rows = coveringInputs(oy, c.padH, c.strideH, c.filterH, c.inH)
                        const columns = coveringInputs(ox, c.padW, c.strideW, c.filterW, c.inW)
                        for (let y = rows[0]; y <= rows[1]; y++) {
                            const fy = oy + c.padH - y * c.strideH
                            for (let x = columns[0]; x <= columns[1]; x++) {
                                const pixel = c.inputAt + 4 * (((b * c.inH + y) * c.inW + x) * c.inD)
                                const weights = c.filterAt + 4 * (((oc * c.filterH + fy) * c.filterW + ox + c.padW - x * c.strideW) * c.inD)
                                for (let i = 0; i < c.inD; i++)
                                    total = f32(total + f32(c.input.getNumber(NumberFormat.Float32LE, pixel + 4 * i) *
                                        c.filter.getNumber(NumberFormat.Float32LE, weights + 4 * i)))
                            }
                        }
                        if (c.bias) total = f32(total + c.bias.getNumber(NumberFormat.Float32LE, c.biasAt + 4 * oc))
                        c.output.setNumber(NumberFormat.Float32LE, c.outputAt + 4 * out, clamp(total, actMin, actMax))
                        out++
                    }
    }
}
