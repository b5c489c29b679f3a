namespace tflite {
    // CONV_2D and DEPTHWISE_CONV_2D over NHWC tensors.
    //
    // CONV_2D: output[b, y, x, o] = activation(bias[o] + sum over the filter window (fy, fx) and the
    // filter's input channels i of input[b, y*sh + fy*dh - ph, x*sw + fx*dw - pw, g*D + i] * filter[o, fy, fx, i]),
    // the filter OHWI, with D = filter depth and g = o / (filters per group) (groups = input depth / D, usually 1).
    //
    // DEPTHWISE_CONV_2D: each input channel c feeds depth_multiplier output channels o = c * M + m on
    // its own: output[b, y, x, o] = activation(bias[o] + sum over (fy, fx) of input[..., c] * filter[0, fy, fx, o]).
    //
    // Window positions outside the input are skipped (zero padding). SAME padding puts
    // floor(total / 2) of the needed padding before the first row/column, as TFLM's
    // ComputePaddingHeightWidth. Quantized, as FULLY_CONNECTED: the accumulator holds the sum in units
    // of input_scale * filter_scale[o], and one fixed-point multiply per output channel rescales it.
    // TFLM's integer kernels ignore the filter's zero point (the spec makes it 0); prepare insists on it.

    /** Parameter block of the conv_2d_* and depthwise_conv_2d_* bodies (words). */
    export const enum ConvParams {
        Input = 0, Filter = 2, Bias = 4, Output = 6,
        /** Input shape (NHWC). */
        Batches = 8, InputHeight = 9, InputWidth = 10, InputDepth = 11,
        /** Filter window size. */
        FilterHeight = 12, FilterWidth = 13,
        /** CONV_2D: input channels each filter reads (filter dim 3) and output channels per group. */
        FilterInputDepth = 14, FiltersPerGroup = 15,
        /** DEPTHWISE_CONV_2D: output channels per input channel. */
        DepthMultiplier = 16,
        /** Output shape (the batch count is Batches). */
        OutputHeight = 17, OutputWidth = 18, OutputDepth = 19,
        StrideHeight = 20, StrideWidth = 21, DilationHeight = 22, DilationWidth = 23,
        /** Rows and columns of implicit zeros before the input's first row and column. */
        PadHeight = 24, PadWidth = 25,
        /** int8 only: minus the input's zero point, the output's zero point. */
        InputOffset = 26, OutputOffset = 27,
        /** Clamp bounds: int32 for quantized bodies, float32 bits for the float bodies. */
        ActivationMin = 28, ActivationMax = 29,
        /** Quantized only: OutputDepth (multiplier, shift) pairs, one per output channel. */
        Multipliers = 30,
    }

    const enum Conv2DOptions { Padding = 0, StrideW = 1, StrideH = 2, FusedActivation = 3, DilationW = 4, DilationH = 5 }
    const enum DepthwiseConv2DOptions {
        Padding = 0, StrideW = 1, StrideH = 2, DepthMultiplier = 3, FusedActivation = 4, DilationW = 5, DilationH = 6,
    }

    export function registerConvKernels(): void {
        registerBuiltin(BuiltinOp.CONV_2D, prepareConv2D)
        registerBuiltin(BuiltinOp.DEPTHWISE_CONV_2D, prepareDepthwiseConv2D)
        registerBody("conv_2d_int8", conv2dInt8)
        registerBody("conv_2d_int16", conv2dInt16)
        registerBody("conv_2d_int16_acc32", conv2dInt16Acc32)
        registerBody("conv_2d_float", conv2dFloat)
        registerBody("depthwise_conv_2d_int8", depthwiseConv2dInt8)
        registerBody("depthwise_conv_2d_int16", depthwiseConv2dInt16)
        registerBody("depthwise_conv_2d_float", depthwiseConv2dFloat)
    }

    /**
     * TFLM's ComputeOutSize (TensorFlow's GetWindowedOutputSize): SAME keeps ceil(size / stride)
     * positions, VALID only those where the dilated window fits. C's division truncates toward zero.
     */
    export function convOutSize(padding: number, size: number, filterSize: number, stride: number, dilation: number): number {
        const effectiveFilter = (filterSize - 1) * dilation + 1
        const n = padding === Padding.Same ? size + stride - 1 : size + stride - effectiveFilter
        return n < 0 ? -Math.floor(-n / stride) : Math.floor(n / stride)
    }

    /** TFLM's ComputePaddingWithOffset: the padding before the first element (the odd one goes after). */
    export function convPadding(stride: number, dilation: number, size: number, filterSize: number, outSize: number): number {
        const effectiveFilter = (filterSize - 1) * dilation + 1
        const total = (outSize - 1) * stride + effectiveFilter - size
        return total > 0 ? Math.floor(total / 2) : 0
    }

    function prepareConv2D(op: Operator): void {
        const input = op.input(0)
        const filter = op.input(1)
        checkConvTensors(op)
        op.check(filter.rank() === 4, "the filter must be 4-D (OHWI), not " + filter.describe())
        const inputDepth = input.dim(3)
        const filterDepth = filter.dim(3)
        const outputDepth = filter.dim(0)
        op.check(filterDepth > 0 && inputDepth % filterDepth === 0,
            "input " + input.describe() + " has " + inputDepth + " channels, not a multiple of the filter's " + filterDepth)
        const groups = inputDepth / filterDepth
        op.check(outputDepth % groups === 0, "the filter's " + outputDepth + " output channels do not split into " + groups + " groups")
        const p = prepareConvCommon(op, "conv_2d", 0, outputDepth,
            op.optByte(Conv2DOptions.Padding, Padding.Same),
            op.optInt(Conv2DOptions.StrideH, 0), op.optInt(Conv2DOptions.StrideW, 0),
            op.optInt(Conv2DOptions.DilationH, 1), op.optInt(Conv2DOptions.DilationW, 1),
            op.optByte(Conv2DOptions.FusedActivation, Activation.None))
        setParam(p, ConvParams.FilterInputDepth, filterDepth)
        setParam(p, ConvParams.FiltersPerGroup, outputDepth / groups)
    }

    function prepareDepthwiseConv2D(op: Operator): void {
        const input = op.input(0)
        const filter = op.input(1)
        checkConvTensors(op)
        op.check(filter.rank() === 4 && filter.dim(0) === 1, "the filter must be 4-D [1, height, width, channels], not " + filter.describe())
        const inputDepth = input.dim(3)
        const outputDepth = filter.dim(3)
        const multiplier = op.optInt(DepthwiseConv2DOptions.DepthMultiplier, 0)
        op.check(multiplier > 0 && inputDepth * multiplier === outputDepth,
            "input " + input.describe() + " times depth multiplier " + multiplier + " does not give the filter's " + outputDepth + " channels")
        const p = prepareConvCommon(op, "depthwise_conv_2d", 3, outputDepth,
            op.optByte(DepthwiseConv2DOptions.Padding, Padding.Same),
            op.optInt(DepthwiseConv2DOptions.StrideH, 0), op.optInt(DepthwiseConv2DOptions.StrideW, 0),
            op.optInt(DepthwiseConv2DOptions.DilationH, 1), op.optInt(DepthwiseConv2DOptions.DilationW, 1),
            op.optByte(DepthwiseConv2DOptions.FusedActivation, Activation.None))
        setParam(p, ConvParams.DepthMultiplier, multiplier)
    }

    function checkConvTensors(op: Operator): void {
        op.check(!!op.input(0) && !!op.input(1) && op.outputs.length === 1 && !!op.output(0), "needs an input, a filter and one output")
        op.check(op.input(0).rank() === 4, "the input must be 4-D (NHWC), not " + op.input(0).describe())
        op.check(op.output(0).rank() === 4, "the output must be 4-D (NHWC), not " + op.output(0).describe())
    }

    /**
     * Checks what CONV_2D and DEPTHWISE_CONV_2D share (shapes, types, options), picks the body
     * `<opName>_<variant>` and fills every word of its parameter block but the op-specific ones.
     * `channelDim` is the filter dimension that counts output channels (TFLM's quantized dimension).
     */
    function prepareConvCommon(op: Operator, opName: string, channelDim: number, outputDepth: number, padding: number,
        strideH: number, strideW: number, dilationH: number, dilationW: number, activation: number): Buffer {
        const input = op.input(0)
        const filter = op.input(1)
        const bias = op.input(2)
        const output = op.output(0)
        op.check(padding === Padding.Same || padding === Padding.Valid, "unsupported padding " + padding)
        op.check(strideH >= 1 && strideW >= 1, "strides must be at least 1, not " + strideH + " x " + strideW)
        const filterH = filter.dim(1)
        const filterW = filter.dim(2)
        // TFLM computes the dilated filter's span, (size - 1) * dilation + 1, in an int: past
        // 2^31 - 1 it means nothing (and the C's offsets of its taps would overflow).
        op.check(dilationH >= 1 && dilationW >= 1 && (filterH - 1) * dilationH < 2147483647 && (filterW - 1) * dilationW < 2147483647,
            "dilation " + dilationH + " x " + dilationW + " out of range for a " + filterH + "x" + filterW + " filter")
        op.check(activation === Activation.None || activation === Activation.Relu ||
            activation === Activation.Relu6 || activation === Activation.ReluN1To1,
            "unsupported fused activation " + (activation === Activation.Tanh ? "TANH" : activation === Activation.SignBit ? "SIGN_BIT" : "" + activation))
        const inH = input.dim(1)
        const inW = input.dim(2)
        const outH = convOutSize(padding, inH, filterH, strideH, dilationH)
        const outW = convOutSize(padding, inW, filterW, strideW, dilationW)
        op.check(outH > 0 && outW > 0, "the " + filterH + "x" + filterW + " filter (dilation " + dilationH + "x" + dilationW +
            ") does not fit in input " + input.describe())
        op.check(output.dim(0) === input.dim(0) && output.dim(1) === outH && output.dim(2) === outW && output.dim(3) === outputDepth,
            "output " + output.describe() + " must be [" + input.dim(0) + "," + outH + "," + outW + "," + outputDepth + "]")
        if (bias) op.check(bias.elementCount() === outputDepth, "bias " + bias.describe() + " must have " + outputDepth + " values")

        let body = ""
        if (input.type === TensorType.Float32) {
            op.check(filter.type === TensorType.Float32 && output.type === TensorType.Float32 &&
                (!bias || bias.type === TensorType.Float32), "float32 input needs float32 filter, bias and output")
            body = opName + "_float"
        } else if (input.type === TensorType.Int8) {
            op.check(filter.type === TensorType.Int8 && output.type === TensorType.Int8 &&
                (!bias || bias.type === TensorType.Int32), "int8 input needs int8 filter and output, int32 bias")
            body = opName + "_int8"
        } else if (input.type === TensorType.Int16) {
            op.check(filter.type === TensorType.Int8 && output.type === TensorType.Int16, "int16 input needs int8 filter and int16 output")
            op.check(input.zeroPoint === 0 && output.zeroPoint === 0, "int16 tensors must have zero point 0")
            body = opName + "_int16"
            // TFLM's CONV_2D sums in int32 when the bias is int32 or absent, in int64 for an int64 bias.
            if (channelDim === 0 && (!bias || bias.type === TensorType.Int32)) body = opName + "_int16_acc32"
            else if (bias && bias.type !== TensorType.Int64) op.check(false, "int16 input needs an int64 bias, not " + bias.describe())
            else checkInt64Bias(op, bias)
        } else op.check(false, "unsupported input type " + typeName(input.type))

        const quantized = input.type !== TensorType.Float32
        const multipliers = quantized ? convolutionMultipliers(op, input, filter, output, outputDepth, channelDim) : []

        const p = op.useBody(body, ConvParams.Multipliers + multipliers.length)
        op.paramTensor(ConvParams.Input, input)
        op.paramTensor(ConvParams.Filter, filter)
        op.paramTensor(ConvParams.Bias, bias)
        op.paramTensor(ConvParams.Output, output)
        setParams(p, ConvParams.Batches, [input.dim(0), inH, inW, input.dim(3), filterH, filterW])
        setParams(p, ConvParams.OutputHeight, [outH, outW, outputDepth, strideH, strideW, dilationH, dilationW,
            convPadding(strideH, dilationH, inH, filterH, outH), convPadding(strideW, dilationW, inW, filterW, outW)])
        if (!quantized) {
            const range = floatActivationRange(activation)
            setParamFloat(p, ConvParams.ActivationMin, range[0])
            setParamFloat(p, ConvParams.ActivationMax, range[1])
            return p
        }
        setParam(p, ConvParams.InputOffset, -input.zeroPoint)
        setParam(p, ConvParams.OutputOffset, output.zeroPoint)
        const range = quantizedActivationRange(activation, output)
        setParam(p, ConvParams.ActivationMin, range[0])
        setParam(p, ConvParams.ActivationMax, range[1])
        setParams(p, ConvParams.Multipliers, multipliers)
        return p
    }

    /**
     * A quantized convolution's (CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV) checks of its scales
     * and its filter's zero points (all 0; one scale, or one per output channel along
     * `channelDim`), and TFLM's (multiplier, shift) per output channel.
     */
    export function convolutionMultipliers(op: Operator, input: Tensor, filter: Tensor, output: Tensor, outputDepth: number, channelDim: number): number[] {
        op.check(input.scale > 0 && output.scale > 0, "quantized input and output need a scale")
        op.check(filter.scales.length > 0, "the quantized filter needs a scale")
        op.check(filter.zeroPoints.every(z => z === 0) && filter.zeroPoint === 0, "the filter's zero points must be 0")
        if (filter.scales.length > 1)
            op.check(filter.quantizedDimension === channelDim && filter.scales.length === outputDepth,
                "per-channel filter " + filter.describe() + " needs " + outputDepth + " scales along dimension " + channelDim)
        return perChannelMultipliers(input, filter, output, outputDepth)
    }

    /** Signed 64-bit element `i` of a byte run starting at `offset`, exact while below 2^53. */
    function int64At(buf: Buffer, offset: number, i: number): number {
        return buf.getNumber(NumberFormat.Int32LE, offset + 8 * i + 4) * 4294967296 + buf.getNumber(NumberFormat.UInt32LE, offset + 8 * i)
    }

    /**
     * An int8 convolution as convolveInt8 computes it: conv2dInt8 and depthwiseConv2dInt8 differ
     * only in how they lay out its values and weights. The values are one batch's input less its
     * zero point, zero-padded so that every window lies inside them (TFLM skips the taps outside
     * the input; a zero adds nothing). Each output pixel has `sumBases.length` dot products:
     * sum s of the pixel whose window starts at value `origin` (pixelOrigins) is
     *
     *     sum over runs j and k < runLength of
     *         weights[s * sumSize + j * runLength + k] * values[sumBases[s] + origin + runOffsets[j] + k]
     *
     * and goes to output channel sumChannels[s]; a paired sum (packed weights, two lanes) puts its
     * high lane in output channel sumChannels[s] + 1.
     */
    class PackedConvolution {
        weights: number[]
        sumSize: number
        sumBases: number[]
        sumChannels: number[]
        sumPaired: boolean[]
        runOffsets: number[]
        runLength: number
        pixelOrigins: number[]
        /** Output channels per pixel. */
        channels: number

        constructor() {
            this.weights = []
            this.sumBases = []
            this.sumChannels = []
            this.sumPaired = []
            this.runOffsets = []
            this.pixelOrigins = []
        }
    }

    /**
     * The rows (or columns) a zero-padded input needs: the padding before it, the input, and
     * enough after it for the last window.
     */
    function paddedSize(size: number, padBefore: number, outSize: number, stride: number, filterSize: number, dilation: number): number {
        const needed = (outSize - 1) * stride + (filterSize - 1) * dilation + 1
        return needed > padBefore + size ? needed : padBefore + size
    }

    /**
     * Appends one batch's int8 input less its zero point (`inputOffset` is minus it) to `values`,
     * zero-padded: `padH` rows and `padW` pixels before it, up to paddedH x paddedW pixels. Each
     * value is `channels` channels of the input read `stride` bytes apart from `at` (every channel
     * of an NHWC pixel: channels = depth, stride 1; one channel's plane: channels 1, stride depth).
     */
    function pushPaddedInt8(values: number[], input: Buffer, at: number, inH: number, inW: number, channels: number, stride: number,
        inputOffset: number, padH: number, padW: number, paddedH: number, paddedW: number): void {
        const rowValues = paddedW * channels
        pushZeros(values, padH * rowValues)
        for (let y = 0; y < inH; y++) {
            pushZeros(values, padW * channels)
            pushInt8Values(values, input, at + y * inW * channels * stride, inW * channels, stride, inputOffset)
            pushZeros(values, (paddedW - padW - inW) * channels)
        }
        pushZeros(values, (paddedH - padH - inH) * rowValues)
    }

    /**
     * Puts one sum of four pixels into `sums` (the pixels' accumulators, `channels` apart) at
     * output channel `at`, and its high lanes at `at + 1` when `paired`.
     */
    function putPixelSums(sums: number[], at: number, channels: number, paired: boolean, a0: number, a1: number, a2: number, a3: number): void {
        if (paired) {
            let high = highLane(a0)
            sums[at] = a0 - high * LANE
            sums[at + 1] = high
            high = highLane(a1)
            sums[at + channels] = a1 - high * LANE
            sums[at + channels + 1] = high
            high = highLane(a2)
            sums[at + 2 * channels] = a2 - high * LANE
            sums[at + 2 * channels + 1] = high
            high = highLane(a3)
            sums[at + 3 * channels] = a3 - high * LANE
            sums[at + 3 * channels + 1] = high
        } else {
            sums[at] = a0
            sums[at + channels] = a1
            sums[at + 2 * channels] = a2
            sums[at + 3 * channels] = a3
        }
    }

    /**
     * Runs `conv` on one batch's `values` and stores its int8 outputs from `outputAt` on. Four
     * output pixels at a time share each weight read and each iteration of the inner loop, and two
     * sums over the same values each value read.
     */
    function convolveInt8(conv: PackedConvolution, values: number[], rq: ChannelRequantization, outputOffset: number,
        actMin: number, actMax: number, output: Buffer, outputAt: number): void {
        const weights = conv.weights
        const sumSize = conv.sumSize
        const sumBases = conv.sumBases
        const sumChannels = conv.sumChannels
        const sumPaired = conv.sumPaired
        const runOffsets = conv.runOffsets
        const runLength = conv.runLength
        const pixelOrigins = conv.pixelOrigins
        const channels = conv.channels
        const sumCount = sumBases.length
        const runs = runOffsets.length
        const pixels = pixelOrigins.length
        // The int32 accumulators of up to four pixels, channel after channel.
        const sums: number[] = []
        pushZeros(sums, 4 * channels)
        let out = outputAt
        let p = 0
        while (p < pixels) {
            const block = pixels - p >= 4 ? 4 : 1
            const origin = pixelOrigins[p]
            if (block === 4) {
                // Where the other three pixels' windows start, relative to the first's.
                const d1 = pixelOrigins[p + 1] - origin
                const d2 = pixelOrigins[p + 2] - origin
                const d3 = pixelOrigins[p + 3] - origin
                let s = 0
                while (s < sumCount) {
                    let w = s * sumSize
                    const base = sumBases[s] + origin
                    if (s + 1 < sumCount && sumBases[s + 1] === sumBases[s]) {
                        // Two sums over the same values (one group or input channel): each value
                        // read serves both, and each turn of the loop does eight products.
                        let a0 = 0
                        let a1 = 0
                        let a2 = 0
                        let a3 = 0
                        let b0 = 0
                        let b1 = 0
                        let b2 = 0
                        let b3 = 0
                        for (let j = 0; j < runs; j++) {
                            let v = base + runOffsets[j]
                            const runEnd = w + runLength
                            while (w < runEnd) {
                                // Each array read comes first in its expression: pxt then keeps
                                // no operand aside in the frame while the read (a call) runs.
                                const x0 = values[v]
                                const x1 = values[v + d1]
                                const x2 = values[v + d2]
                                const x3 = values[v + d3]
                                const weightA = weights[w]
                                const weightB = weights[w + sumSize]
                                a0 = x0 * weightA + a0
                                a1 = x1 * weightA + a1
                                a2 = x2 * weightA + a2
                                a3 = x3 * weightA + a3
                                b0 = x0 * weightB + b0
                                b1 = x1 * weightB + b1
                                b2 = x2 * weightB + b2
                                b3 = x3 * weightB + b3
                                w++
                                v++
                            }
                        }
                        putPixelSums(sums, sumChannels[s], channels, sumPaired[s], a0, a1, a2, a3)
                        putPixelSums(sums, sumChannels[s + 1], channels, sumPaired[s + 1], b0, b1, b2, b3)
                        s += 2
                    } else {
                        let a0 = 0
                        let a1 = 0
                        let a2 = 0
                        let a3 = 0
                        for (let j = 0; j < runs; j++) {
                            let v = base + runOffsets[j]
                            const runEnd = w + runLength
                            while (w < runEnd) {
                                const weight = weights[w]
                                a0 = values[v] * weight + a0
                                a1 = values[v + d1] * weight + a1
                                a2 = values[v + d2] * weight + a2
                                a3 = values[v + d3] * weight + a3
                                w++
                                v++
                            }
                        }
                        putPixelSums(sums, sumChannels[s], channels, sumPaired[s], a0, a1, a2, a3)
                        s++
                    }
                }
            } else {
                for (let s = 0; s < sumCount; s++) {
                    let acc = 0
                    let w = s * sumSize
                    const base = sumBases[s] + origin
                    for (let j = 0; j < runs; j++) {
                        let v = base + runOffsets[j]
                        const runEnd = w + runLength
                        while (w < runEnd) {
                            acc = weights[w] * values[v] + acc
                            w++
                            v++
                        }
                    }
                    const at = sumChannels[s]
                    if (sumPaired[s]) {
                        const high = highLane(acc)
                        sums[at] = acc - high * LANE
                        sums[at + 1] = high
                    } else sums[at] = acc
                }
            }
            storeRequantizedInt8(sums, block * channels, channels, rq, outputOffset, actMin, actMax, output, out)
            out += block * channels
            p += block
        }
    }

    /**
     * Whether padding the input for convolveInt8 would take much more memory than the input: only
     * windows far larger than the input do that (a huge dilation with SAME padding, from a corrupt
     * model); convolveInt8Reference serves them without padding.
     */
    function paddingTooLarge(inH: number, inW: number, paddedH: number, paddedW: number): boolean {
        return paddedH * paddedW > 4 * inH * inW + 4096
    }

    /**
     * The int8 CONV_2D (or, `depthwise`, DEPTHWISE_CONV_2D) of TFLM's reference kernels, tap by tap
     * with the taps outside the input skipped: slow in the simulator, kept for the windows that
     * paddingTooLarge refuses to pad.
     */
    function convolveInt8Reference(p: Buffer, model: Buffer, arena: Buffer, depthwise: boolean, rq: ChannelRequantization): void {
        const input = paramBuffer(p, ConvParams.Input, model, arena)
        const inputAt = paramOffset(p, ConvParams.Input)
        const filter = paramBuffer(p, ConvParams.Filter, model, arena)
        const filterAt = paramOffset(p, ConvParams.Filter)
        const inH = param(p, ConvParams.InputHeight)
        const inW = param(p, ConvParams.InputWidth)
        const inD = param(p, ConvParams.InputDepth)
        const filterH = param(p, ConvParams.FilterHeight)
        const filterW = param(p, ConvParams.FilterWidth)
        // Terms per tap, and output channels per input channel (group).
        const depth = depthwise ? 1 : param(p, ConvParams.FilterInputDepth)
        const perGroup = param(p, depthwise ? ConvParams.DepthMultiplier : ConvParams.FiltersPerGroup)
        const outH = param(p, ConvParams.OutputHeight)
        const outW = param(p, ConvParams.OutputWidth)
        const outD = param(p, ConvParams.OutputDepth)
        const inputOffset = param(p, ConvParams.InputOffset)
        const sums: number[] = []
        pushZeros(sums, outD)
        let out = paramOffset(p, ConvParams.Output)
        for (let b = 0; b < param(p, ConvParams.Batches); b++) {
            for (let oy = 0; oy < outH; oy++) {
                const y0 = oy * param(p, ConvParams.StrideHeight) - param(p, ConvParams.PadHeight)
                for (let ox = 0; ox < outW; ox++) {
                    const x0 = ox * param(p, ConvParams.StrideWidth) - param(p, ConvParams.PadWidth)
                    for (let oc = 0; oc < outD; oc++) {
                        const channel0 = Math.idiv(oc, perGroup) * depth
                        let acc = 0
                        for (let fy = 0; fy < filterH; fy++) {
                            const y = y0 + param(p, ConvParams.DilationHeight) * fy
                            if (y < 0 || y >= inH) continue
                            for (let fx = 0; fx < filterW; fx++) {
                                const x = x0 + param(p, ConvParams.DilationWidth) * fx
                                if (x < 0 || x >= inW) continue
                                const pixel = inputAt + ((b * inH + y) * inW + x) * inD + channel0
                                const tap = fy * filterW + fx
                                for (let i = 0; i < depth; i++) {
                                    const weight = depthwise ? filterAt + tap * outD + oc : filterAt + (oc * filterH * filterW + tap) * depth + i
                                    acc += int8At(filter, weight, 0) * (int8At(input, pixel, i) + inputOffset)
                                }
                            }
                        }
                        sums[oc] = acc
                    }
                    storeRequantizedInt8(sums, outD, outD, rq, param(p, ConvParams.OutputOffset), param(p, ConvParams.ActivationMin),
                        param(p, ConvParams.ActivationMax), paramBuffer(p, ConvParams.Output, model, arena), out)
                    out += outD
                }
            }
        }
    }

    /**
     * int8 CONV_2D through convolveInt8: output channels o and o + 1 of a group read the same
     * input channels, so they share one packed sum; without dilation and with one group, a filter
     * row's taps and channels are one run, in the input as in the filter.
     */
    export function conv2dInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, ConvParams.Input, model, arena)
        const inputAt = paramOffset(p, ConvParams.Input)
        const filter = paramBuffer(p, ConvParams.Filter, model, arena)
        const filterAt = paramOffset(p, ConvParams.Filter)
        const bias = paramBuffer(p, ConvParams.Bias, model, arena)
        const biasAt = paramOffset(p, ConvParams.Bias)
        const output = paramBuffer(p, ConvParams.Output, model, arena)
        const outputAt = paramOffset(p, ConvParams.Output)
        const batches = param(p, ConvParams.Batches)
        const inH = param(p, ConvParams.InputHeight)
        const inW = param(p, ConvParams.InputWidth)
        const inD = param(p, ConvParams.InputDepth)
        const filterH = param(p, ConvParams.FilterHeight)
        const filterW = param(p, ConvParams.FilterWidth)
        const filterD = param(p, ConvParams.FilterInputDepth)
        const perGroup = param(p, ConvParams.FiltersPerGroup)
        const outH = param(p, ConvParams.OutputHeight)
        const outW = param(p, ConvParams.OutputWidth)
        const outD = param(p, ConvParams.OutputDepth)
        const strideH = param(p, ConvParams.StrideHeight)
        const strideW = param(p, ConvParams.StrideWidth)
        const dilationH = param(p, ConvParams.DilationHeight)
        const dilationW = param(p, ConvParams.DilationWidth)
        const padH = param(p, ConvParams.PadHeight)
        const padW = param(p, ConvParams.PadWidth)
        const inputOffset = param(p, ConvParams.InputOffset)
        const outputOffset = param(p, ConvParams.OutputOffset)
        const actMin = param(p, ConvParams.ActivationMin)
        const actMax = param(p, ConvParams.ActivationMax)
        const rq = new ChannelRequantization(p, ConvParams.Multipliers, 2, outD, bias, biasAt)
        if (outH === 1 && outW === 1 && filterH === inH && filterW === inW && filterD === inD && padH === 0 && padW === 0) {
            // One window, the whole input (a dense layer written as a convolution): each output
            // channel's weights are read once, so packing them would cost what it saves.
            denseInt8(input, inputAt, batches, inH * inW * inD, filter, filterAt, outD, inputOffset, 0, rq, outputOffset,
                actMin, actMax, output, outputAt)
            return
        }
        const groups = Math.idiv(outD, perGroup)
        const windowSize = filterH * filterW * filterD
        const packing = packable(windowSize, inputOffset)
        const paddedH = paddedSize(inH, padH, outH, strideH, filterH, dilationH)
        const paddedW = paddedSize(inW, padW, outW, strideW, filterW, dilationW)
        if (paddingTooLarge(inH, inW, paddedH, paddedW)) {
            convolveInt8Reference(p, model, arena, false, rq)
            return
        }
        const rowStride = paddedW * inD
        const conv = new PackedConvolution()
        conv.channels = outD
        conv.sumSize = windowSize
        for (let g = 0; g < groups; g++) {
            for (let m = 0; m < perGroup;) {
                const o = g * perGroup + m
                const paired = packing && m + 1 < perGroup
                const at = filterAt + o * windowSize
                for (let k = 0; k < windowSize; k++) {
                    const low = (filter[at + k] << 24) >> 24
                    conv.weights.push(paired ? low + ((filter[at + windowSize + k] << 24) >> 24) * LANE : low)
                }
                conv.sumBases.push(g * filterD)
                conv.sumChannels.push(o)
                conv.sumPaired.push(paired)
                m += paired ? 2 : 1
            }
        }
        if (dilationW === 1 && filterD === inD) {
            conv.runLength = filterW * inD
            for (let fy = 0; fy < filterH; fy++) conv.runOffsets.push(fy * dilationH * rowStride)
        } else {
            conv.runLength = filterD
            for (let fy = 0; fy < filterH; fy++)
                for (let fx = 0; fx < filterW; fx++) conv.runOffsets.push(fy * dilationH * rowStride + fx * dilationW * inD)
        }
        for (let oy = 0; oy < outH; oy++)
            for (let ox = 0; ox < outW; ox++) conv.pixelOrigins.push(oy * strideH * rowStride + ox * strideW * inD)
        for (let b = 0; b < batches; b++) {
            const values: number[] = []
            pushPaddedInt8(values, input, inputAt + b * inH * inW * inD, inH, inW, inD, 1, inputOffset, padH, padW, paddedH, paddedW)
            convolveInt8(conv, values, rq, outputOffset, actMin, actMax, output, outputAt + b * outH * outW * outD)
        }
    }

    /** int16 activations, int8 filter, int64 bias: TFLM's 64-bit accumulator, kept exact in a double. */
    export function conv2dInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        conv2dInt16Body(p, model, arena, true)
    }

    /** int16 activations, int8 filter, int32 or no bias: TFLM sums in int32 and rescales with the 32-bit multiply. */
    export function conv2dInt16Acc32(p: Buffer, model: Buffer, arena: Buffer): void {
        conv2dInt16Body(p, model, arena, false)
    }

    function conv2dInt16Body(p: Buffer, model: Buffer, arena: Buffer, wide: boolean): void {
        const input = paramBuffer(p, ConvParams.Input, model, arena)
        const inputAt = paramOffset(p, ConvParams.Input)
        const filter = paramBuffer(p, ConvParams.Filter, model, arena)
        const filterAt = paramOffset(p, ConvParams.Filter)
        const bias = paramBuffer(p, ConvParams.Bias, model, arena)
        const biasAt = paramOffset(p, ConvParams.Bias)
        const output = paramBuffer(p, ConvParams.Output, model, arena)
        const outputAt = paramOffset(p, ConvParams.Output)
        const batches = param(p, ConvParams.Batches)
        const inH = param(p, ConvParams.InputHeight)
        const inW = param(p, ConvParams.InputWidth)
        const inD = param(p, ConvParams.InputDepth)
        const filterH = param(p, ConvParams.FilterHeight)
        const filterW = param(p, ConvParams.FilterWidth)
        const filterD = param(p, ConvParams.FilterInputDepth)
        const perGroup = param(p, ConvParams.FiltersPerGroup)
        const outH = param(p, ConvParams.OutputHeight)
        const outW = param(p, ConvParams.OutputWidth)
        const outD = param(p, ConvParams.OutputDepth)
        const strideH = param(p, ConvParams.StrideHeight)
        const strideW = param(p, ConvParams.StrideWidth)
        const dilationH = param(p, ConvParams.DilationHeight)
        const dilationW = param(p, ConvParams.DilationWidth)
        const padH = param(p, ConvParams.PadHeight)
        const padW = param(p, ConvParams.PadWidth)
        const actMin = param(p, ConvParams.ActivationMin)
        const actMax = param(p, ConvParams.ActivationMax)
        let out = 0
        for (let b = 0; b < batches; b++) {
            for (let oy = 0; oy < outH; oy++) {
                const y0 = oy * strideH - padH
                for (let ox = 0; ox < outW; ox++) {
                    const x0 = ox * strideW - padW
                    for (let oc = 0; oc < outD; oc++) {
                        const channel0 = Math.floor(oc / perGroup) * filterD
                        let acc = 0
                        for (let fy = 0; fy < filterH; fy++) {
                            const y = y0 + dilationH * fy
                            if (y < 0 || y >= inH) continue
                            for (let fx = 0; fx < filterW; fx++) {
                                const x = x0 + dilationW * fx
                                if (x < 0 || x >= inW) continue
                                const pixel = inputAt + 2 * (((b * inH + y) * inW + x) * inD + channel0)
                                const weights = filterAt + ((oc * filterH + fy) * filterW + fx) * filterD
                                for (let i = 0; i < filterD; i++)
                                    acc += int8At(filter, weights, i) * input.getNumber(NumberFormat.Int16LE, pixel + 2 * i)
                            }
                        }
                        const m = ConvParams.Multipliers + 2 * oc
                        let scaled = 0
                        if (wide) {
                            if (bias) acc += int64At(bias, biasAt, oc)
                            // C's cast of the 64-bit product back to int32 keeps the low 32 bits.
                            scaled = multiplyByQuantizedMultiplier64(acc, param(p, m), param(p, m + 1)) | 0
                        } else {
                            if (bias) acc += bias.getNumber(NumberFormat.Int32LE, biasAt + 4 * oc)
                            scaled = multiplyByQuantizedMultiplier(acc | 0, param(p, m), param(p, m + 1))
                        }
                        output.setNumber(NumberFormat.Int16LE, outputAt + 2 * out, clamp(scaled, actMin, actMax))
                        out++
                    }
                }
            }
        }
    }

    export function conv2dFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, ConvParams.Input, model, arena)
        const inputAt = paramOffset(p, ConvParams.Input)
        const filter = paramBuffer(p, ConvParams.Filter, model, arena)
        const filterAt = paramOffset(p, ConvParams.Filter)
        const bias = paramBuffer(p, ConvParams.Bias, model, arena)
        const biasAt = paramOffset(p, ConvParams.Bias)
        const output = paramBuffer(p, ConvParams.Output, model, arena)
        const outputAt = paramOffset(p, ConvParams.Output)
        const batches = param(p, ConvParams.Batches)
        const inH = param(p, ConvParams.InputHeight)
        const inW = param(p, ConvParams.InputWidth)
        const inD = param(p, ConvParams.InputDepth)
        const filterH = param(p, ConvParams.FilterHeight)
        const filterW = param(p, ConvParams.FilterWidth)
        const filterD = param(p, ConvParams.FilterInputDepth)
        const perGroup = param(p, ConvParams.FiltersPerGroup)
        const outH = param(p, ConvParams.OutputHeight)
        const outW = param(p, ConvParams.OutputWidth)
        const outD = param(p, ConvParams.OutputDepth)
        const strideH = param(p, ConvParams.StrideHeight)
        const strideW = param(p, ConvParams.StrideWidth)
        const dilationH = param(p, ConvParams.DilationHeight)
        const dilationW = param(p, ConvParams.DilationWidth)
        const padH = param(p, ConvParams.PadHeight)
        const padW = param(p, ConvParams.PadWidth)
        const actMin = paramFloat(p, ConvParams.ActivationMin)
        const actMax = paramFloat(p, ConvParams.ActivationMax)
        let out = 0
        for (let b = 0; b < batches; b++) {
            for (let oy = 0; oy < outH; oy++) {
                const y0 = oy * strideH - padH
                for (let ox = 0; ox < outW; ox++) {
                    const x0 = ox * strideW - padW
                    for (let oc = 0; oc < outD; oc++) {
                        const channel0 = Math.floor(oc / perGroup) * filterD
                        // float32 arithmetic in TFLM's order, rounded after every step (no fused multiply-add).
                        let total = 0
                        for (let fy = 0; fy < filterH; fy++) {
                            const y = y0 + dilationH * fy
                            if (y < 0 || y >= inH) continue
                            for (let fx = 0; fx < filterW; fx++) {
                                const x = x0 + dilationW * fx
                                if (x < 0 || x >= inW) continue
                                const pixel = inputAt + 4 * (((b * inH + y) * inW + x) * inD + channel0)
                                const weights = filterAt + 4 * (((oc * filterH + fy) * filterW + fx) * filterD)
                                for (let i = 0; i < filterD; i++)
                                    total = f32(total + f32(input.getNumber(NumberFormat.Float32LE, pixel + 4 * i) *
                                        filter.getNumber(NumberFormat.Float32LE, weights + 4 * i)))
                            }
                        }
                        const b0 = bias ? bias.getNumber(NumberFormat.Float32LE, biasAt + 4 * oc) : 0
                        const v = f32(total + b0)
                        output.setNumber(NumberFormat.Float32LE, outputAt + 4 * out, clamp(v, actMin, actMax))
                        out++
                    }
                }
            }
        }
    }

    /**
     * int8 DEPTHWISE_CONV_2D through convolveInt8, the input as one plane per channel: output
     * channels ic * M + m and ic * M + m + 1 read the same input channel, so they share one
     * packed sum; without dilation a filter row's taps are one run.
     */
    export function depthwiseConv2dInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, ConvParams.Input, model, arena)
        const inputAt = paramOffset(p, ConvParams.Input)
        const filter = paramBuffer(p, ConvParams.Filter, model, arena)
        const filterAt = paramOffset(p, ConvParams.Filter)
        const bias = paramBuffer(p, ConvParams.Bias, model, arena)
        const biasAt = paramOffset(p, ConvParams.Bias)
        const output = paramBuffer(p, ConvParams.Output, model, arena)
        const outputAt = paramOffset(p, ConvParams.Output)
        const batches = param(p, ConvParams.Batches)
        const inH = param(p, ConvParams.InputHeight)
        const inW = param(p, ConvParams.InputWidth)
        const inD = param(p, ConvParams.InputDepth)
        const filterH = param(p, ConvParams.FilterHeight)
        const filterW = param(p, ConvParams.FilterWidth)
        const multiplier = param(p, ConvParams.DepthMultiplier)
        const outH = param(p, ConvParams.OutputHeight)
        const outW = param(p, ConvParams.OutputWidth)
        const outD = param(p, ConvParams.OutputDepth)
        const strideH = param(p, ConvParams.StrideHeight)
        const strideW = param(p, ConvParams.StrideWidth)
        const dilationH = param(p, ConvParams.DilationHeight)
        const dilationW = param(p, ConvParams.DilationWidth)
        const padH = param(p, ConvParams.PadHeight)
        const padW = param(p, ConvParams.PadWidth)
        const inputOffset = param(p, ConvParams.InputOffset)
        const outputOffset = param(p, ConvParams.OutputOffset)
        const actMin = param(p, ConvParams.ActivationMin)
        const actMax = param(p, ConvParams.ActivationMax)
        const taps = filterH * filterW
        const packing = packable(taps, inputOffset)
        const paddedH = paddedSize(inH, padH, outH, strideH, filterH, dilationH)
        const paddedW = paddedSize(inW, padW, outW, strideW, filterW, dilationW)
        const rq = new ChannelRequantization(p, ConvParams.Multipliers, 2, outD, bias, biasAt)
        if (paddingTooLarge(inH, inW, paddedH, paddedW)) {
            convolveInt8Reference(p, model, arena, true, rq)
            return
        }
        const plane = paddedH * paddedW
        const conv = new PackedConvolution()
        conv.channels = outD
        conv.sumSize = taps
        for (let ic = 0; ic < inD; ic++) {
            for (let m = 0; m < multiplier;) {
                const oc = ic * multiplier + m
                const paired = packing && m + 1 < multiplier
                for (let tap = 0; tap < taps; tap++) {
                    const at = filterAt + tap * outD + oc
                    const low = (filter[at] << 24) >> 24
                    conv.weights.push(paired ? low + ((filter[at + 1] << 24) >> 24) * LANE : low)
                }
                conv.sumBases.push(ic * plane)
                conv.sumChannels.push(oc)
                conv.sumPaired.push(paired)
                m += paired ? 2 : 1
            }
        }
        if (dilationW === 1) {
            conv.runLength = filterW
            for (let fy = 0; fy < filterH; fy++) conv.runOffsets.push(fy * dilationH * paddedW)
        } else {
            conv.runLength = 1
            for (let fy = 0; fy < filterH; fy++)
                for (let fx = 0; fx < filterW; fx++) conv.runOffsets.push(fy * dilationH * paddedW + fx * dilationW)
        }
        for (let oy = 0; oy < outH; oy++)
            for (let ox = 0; ox < outW; ox++) conv.pixelOrigins.push(oy * strideH * paddedW + ox * strideW)
        for (let b = 0; b < batches; b++) {
            const values: number[] = []
            for (let ic = 0; ic < inD; ic++)
                pushPaddedInt8(values, input, inputAt + b * inH * inW * inD + ic, inH, inW, 1, inD, inputOffset, padH, padW, paddedH, paddedW)
            convolveInt8(conv, values, rq, outputOffset, actMin, actMax, output, outputAt + b * outH * outW * outD)
        }
    }

    /** int16 activations, int8 filter, int64 bias: TFLM's 64-bit accumulator, kept exact in a double. */
    export function depthwiseConv2dInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, ConvParams.Input, model, arena)
        const inputAt = paramOffset(p, ConvParams.Input)
        const filter = paramBuffer(p, ConvParams.Filter, model, arena)
        const filterAt = paramOffset(p, ConvParams.Filter)
        const bias = paramBuffer(p, ConvParams.Bias, model, arena)
        const biasAt = paramOffset(p, ConvParams.Bias)
        const output = paramBuffer(p, ConvParams.Output, model, arena)
        const outputAt = paramOffset(p, ConvParams.Output)
        const batches = param(p, ConvParams.Batches)
        const inH = param(p, ConvParams.InputHeight)
        const inW = param(p, ConvParams.InputWidth)
        const inD = param(p, ConvParams.InputDepth)
        const filterH = param(p, ConvParams.FilterHeight)
        const filterW = param(p, ConvParams.FilterWidth)
        const multiplier = param(p, ConvParams.DepthMultiplier)
        const outH = param(p, ConvParams.OutputHeight)
        const outW = param(p, ConvParams.OutputWidth)
        const outD = param(p, ConvParams.OutputDepth)
        const strideH = param(p, ConvParams.StrideHeight)
        const strideW = param(p, ConvParams.StrideWidth)
        const dilationH = param(p, ConvParams.DilationHeight)
        const dilationW = param(p, ConvParams.DilationWidth)
        const padH = param(p, ConvParams.PadHeight)
        const padW = param(p, ConvParams.PadWidth)
        const actMin = param(p, ConvParams.ActivationMin)
        const actMax = param(p, ConvParams.ActivationMax)
        let out = 0
        for (let b = 0; b < batches; b++) {
            for (let oy = 0; oy < outH; oy++) {
                const y0 = oy * strideH - padH
                for (let ox = 0; ox < outW; ox++) {
                    const x0 = ox * strideW - padW
                    for (let oc = 0; oc < outD; oc++) {
                        const ic = Math.floor(oc / multiplier)
                        let acc = 0
                        for (let fy = 0; fy < filterH; fy++) {
                            const y = y0 + dilationH * fy
                            if (y < 0 || y >= inH) continue
                            for (let fx = 0; fx < filterW; fx++) {
                                const x = x0 + dilationW * fx
                                if (x < 0 || x >= inW) continue
                                acc += int8At(filter, filterAt, (fy * filterW + fx) * outD + oc) *
                                    input.getNumber(NumberFormat.Int16LE, inputAt + 2 * (((b * inH + y) * inW + x) * inD + ic))
                            }
                        }
                        if (bias) acc += int64At(bias, biasAt, oc)
                        const m = ConvParams.Multipliers + 2 * oc
                        const scaled = multiplyByQuantizedMultiplier64(acc, param(p, m), param(p, m + 1)) | 0
                        output.setNumber(NumberFormat.Int16LE, outputAt + 2 * out, clamp(scaled, actMin, actMax))
                        out++
                    }
                }
            }
        }
    }

    export function depthwiseConv2dFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, ConvParams.Input, model, arena)
        const inputAt = paramOffset(p, ConvParams.Input)
        const filter = paramBuffer(p, ConvParams.Filter, model, arena)
        const filterAt = paramOffset(p, ConvParams.Filter)
        const bias = paramBuffer(p, ConvParams.Bias, model, arena)
        const biasAt = paramOffset(p, ConvParams.Bias)
        const output = paramBuffer(p, ConvParams.Output, model, arena)
        const outputAt = paramOffset(p, ConvParams.Output)
        const batches = param(p, ConvParams.Batches)
        const inH = param(p, ConvParams.InputHeight)
        const inW = param(p, ConvParams.InputWidth)
        const inD = param(p, ConvParams.InputDepth)
        const filterH = param(p, ConvParams.FilterHeight)
        const filterW = param(p, ConvParams.FilterWidth)
        const multiplier = param(p, ConvParams.DepthMultiplier)
        const outH = param(p, ConvParams.OutputHeight)
        const outW = param(p, ConvParams.OutputWidth)
        const outD = param(p, ConvParams.OutputDepth)
        const strideH = param(p, ConvParams.StrideHeight)
        const strideW = param(p, ConvParams.StrideWidth)
        const dilationH = param(p, ConvParams.DilationHeight)
        const dilationW = param(p, ConvParams.DilationWidth)
        const padH = param(p, ConvParams.PadHeight)
        const padW = param(p, ConvParams.PadWidth)
        const actMin = paramFloat(p, ConvParams.ActivationMin)
        const actMax = paramFloat(p, ConvParams.ActivationMax)
        let out = 0
        for (let b = 0; b < batches; b++) {
            for (let oy = 0; oy < outH; oy++) {
                const y0 = oy * strideH - padH
                for (let ox = 0; ox < outW; ox++) {
                    const x0 = ox * strideW - padW
                    for (let oc = 0; oc < outD; oc++) {
                        const ic = Math.floor(oc / multiplier)
                        // float32 arithmetic in TFLM's order, rounded after every step (no fused multiply-add).
                        let total = 0
                        for (let fy = 0; fy < filterH; fy++) {
                            const y = y0 + dilationH * fy
                            if (y < 0 || y >= inH) continue
                            for (let fx = 0; fx < filterW; fx++) {
                                const x = x0 + dilationW * fx
                                if (x < 0 || x >= inW) continue
                                total = f32(total + f32(
                                    input.getNumber(NumberFormat.Float32LE, inputAt + 4 * (((b * inH + y) * inW + x) * inD + ic)) *
                                    filter.getNumber(NumberFormat.Float32LE, filterAt + 4 * ((fy * filterW + fx) * outD + oc))))
                            }
                        }
                        const b0 = bias ? bias.getNumber(NumberFormat.Float32LE, biasAt + 4 * oc) : 0
                        const v = f32(total + b0)
                        output.setNumber(NumberFormat.Float32LE, outputAt + 4 * out, clamp(v, actMin, actMax))
                        out++
                    }
                }
            }
        }
    }
}
