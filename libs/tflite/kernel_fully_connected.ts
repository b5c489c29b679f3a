namespace tflite {
    // FULLY_CONNECTED: output[b, o] = activation(sum_d input[b, d] * filter[o, d] + bias[o]).
    //
    // Quantized, each factor first has its zero point removed (real = scale * (q - zero_point)),
    // so the int32 (int64 for int16 inputs) accumulator holds the sum in units of
    // input_scale * filter_scale; one fixed-point multiply rescales it to output units.

    /** Parameter block of the fully_connected_* bodies (words). */
    export const enum FullyConnectedParams {
        Input = 0, Filter = 2, Bias = 4, Output = 6,
        Batches = 8, OutputDepth = 9, AccumDepth = 10,
        /** Quantized only: minus the zero points of input and filter, the output's zero point. */
        InputOffset = 11, FilterOffset = 12, OutputOffset = 13,
        /** Clamp bounds: int32 for quantized bodies, float32 bits for fully_connected_float. */
        ActivationMin = 14, ActivationMax = 15,
        /** 1 when the filter has one multiplier per output channel, else 0 (one multiplier). */
        PerChannel = 16,
        /** (multiplier, shift) pairs: one, or OutputDepth of them. */
        Multipliers = 17,
    }

    const enum FullyConnectedOptions { FusedActivation = 0, WeightsFormat = 1, KeepNumDims = 2 }

    export function registerFullyConnectedKernels(): void {
        registerBuiltin(BuiltinOp.FULLY_CONNECTED, prepareFullyConnected)
        registerBody("fully_connected_int8", fullyConnectedInt8)
        registerBody("fully_connected_int16", fullyConnectedInt16)
        registerBody("fully_connected_float", fullyConnectedFloat)
    }

    function prepareFullyConnected(op: Operator): void {
        const input = op.input(0)
        const filter = op.input(1)
        const bias = op.input(2)
        const output = op.output(0)
        op.check(!!input && !!filter && !!output, "needs an input, a filter and an output")
        op.check(op.optByte(FullyConnectedOptions.WeightsFormat, 0) === 0, "unsupported shuffled weights format")
        op.check(filter.rank() === 2, "the filter must be 2-D, not " + filter.describe())
        const outputDepth = filter.dim(0)
        const accumDepth = filter.dim(1)
        op.check(accumDepth > 0 && input.elementCount() % accumDepth === 0,
            "input " + input.describe() + " is not a whole number of rows of " + accumDepth)
        const batches = input.elementCount() / accumDepth
        op.check(output.elementCount() === batches * outputDepth,
            "output " + output.describe() + " must hold " + batches + " x " + outputDepth + " values")
        if (bias) op.check(bias.elementCount() === outputDepth, "bias " + bias.describe() + " must have " + outputDepth + " values")
        const activation = op.optByte(FullyConnectedOptions.FusedActivation, Activation.None)

        let body = ""
        if (input.type === TensorType.Float32) {
            op.check(filter.type === TensorType.Float32 && output.type === TensorType.Float32 &&
                (!bias || bias.type === TensorType.Float32), "float32 input needs float32 filter, bias and output")
            body = "fully_connected_float"
        } else if (input.type === TensorType.Int8) {
            op.check(filter.type === TensorType.Int8 && output.type === TensorType.Int8 &&
                (!bias || bias.type === TensorType.Int32), "int8 input needs int8 filter and output, int32 bias")
            body = "fully_connected_int8"
        } else if (input.type === TensorType.Int16) {
            op.check(filter.type === TensorType.Int8 && output.type === TensorType.Int16 &&
                (!bias || bias.type === TensorType.Int64), "int16 input needs int8 filter, int64 bias, int16 output")
            op.check(input.zeroPoint === 0 && output.zeroPoint === 0, "int16 tensors must have zero point 0")
            body = "fully_connected_int16"
            checkInt64Bias(op, bias)
        } else op.check(false, "unsupported input type " + typeName(input.type))

        const perChannel = filter.scales.length > 1
        const multipliers = input.type === TensorType.Float32 ? [] :
            perChannel ? perChannelMultipliers(input, filter, output, outputDepth) : perTensorMultiplier(input, filter, output)
        const p = op.useBody(body, FullyConnectedParams.Multipliers + multipliers.length)
        op.paramTensor(FullyConnectedParams.Input, input)
        op.paramTensor(FullyConnectedParams.Filter, filter)
        op.paramTensor(FullyConnectedParams.Bias, bias)
        op.paramTensor(FullyConnectedParams.Output, output)
        setParam(p, FullyConnectedParams.Batches, batches)
        setParam(p, FullyConnectedParams.OutputDepth, outputDepth)
        setParam(p, FullyConnectedParams.AccumDepth, accumDepth)
        if (input.type === TensorType.Float32) {
            const range = floatActivationRange(activation)
            setParamFloat(p, FullyConnectedParams.ActivationMin, range[0])
            setParamFloat(p, FullyConnectedParams.ActivationMax, range[1])
            return
        }
        op.check(!perChannel || filter.zeroPoints.every(z => z === 0), "per-channel filters must have zero points 0")
        setParam(p, FullyConnectedParams.InputOffset, -input.zeroPoint)
        setParam(p, FullyConnectedParams.FilterOffset, -filter.zeroPoint)
        setParam(p, FullyConnectedParams.OutputOffset, output.zeroPoint)
        const range = quantizedActivationRange(activation, output)
        setParam(p, FullyConnectedParams.ActivationMin, range[0])
        setParam(p, FullyConnectedParams.ActivationMax, range[1])
        setParam(p, FullyConnectedParams.PerChannel, perChannel ? 1 : 0)
        setParams(p, FullyConnectedParams.Multipliers, multipliers)
    }

    export function fullyConnectedInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const step = param(p, FullyConnectedParams.PerChannel) ? 2 : 0
        const outputDepth = param(p, FullyConnectedParams.OutputDepth)
        const bias = paramBuffer(p, FullyConnectedParams.Bias, model, arena)
        const rq = new ChannelRequantization(p, FullyConnectedParams.Multipliers, step, outputDepth, bias,
            paramOffset(p, FullyConnectedParams.Bias))
        denseInt8(paramBuffer(p, FullyConnectedParams.Input, model, arena), paramOffset(p, FullyConnectedParams.Input),
            param(p, FullyConnectedParams.Batches), param(p, FullyConnectedParams.AccumDepth),
            paramBuffer(p, FullyConnectedParams.Filter, model, arena), paramOffset(p, FullyConnectedParams.Filter), outputDepth,
            param(p, FullyConnectedParams.InputOffset), param(p, FullyConnectedParams.FilterOffset), rq,
            param(p, FullyConnectedParams.OutputOffset), param(p, FullyConnectedParams.ActivationMin),
            param(p, FullyConnectedParams.ActivationMax),
            paramBuffer(p, FullyConnectedParams.Output, model, arena), paramOffset(p, FullyConnectedParams.Output))
    }

    /**
     * int8 FULLY_CONNECTED's arithmetic (and CONV_2D's when one window covers the whole input):
     * for each of `rows` input rows of `depth` values, `units` outputs
     * clamp(requantize(sum over d of (filter[o, d] + filterOffset) * (input[d] + inputOffset))).
     * Made fast for the simulator as kernel_api.ts's int8 helpers say: the row is read once into a
     * number[] less its zero point, and four filter rows share each iteration of the inner loop.
     * A filter byte u is read as u ^ 128 = int8(u) + 128 (one operation where the sign takes
     * two); the 128 and the filter offset times the row's sum are taken off once per output.
     */
    export function denseInt8(input: Buffer, inputAt: number, rows: number, depth: number, filter: Buffer, filterAt: number,
        units: number, inputOffset: number, filterOffset: number, rq: ChannelRequantization, outputOffset: number,
        actMin: number, actMax: number, output: Buffer, outputAt: number): void {
        const sums: number[] = []
        pushZeros(sums, units)
        const row1 = depth
        const row2 = 2 * depth
        const row3 = 3 * depth
        // The rearranged sum is the same integer as TFLM's: both are exact, the zero points being
        // in int8's range (the loader refuses others).
        for (let b = 0; b < rows; b++) {
            const values: number[] = []
            pushInt8Values(values, input, inputAt + b * depth, depth, 1, inputOffset)
            let valueSum = 0
            for (let d = 0; d < depth; d++) valueSum += values[d]
            const correction = (filterOffset - 128) * valueSum
            let o = 0
            while (o < units) {
                let w = filterAt + o * depth
                const rowEnd = w + depth
                let v = 0
                if (units - o >= 4) {
                    let a0 = correction
                    let a1 = correction
                    let a2 = correction
                    let a3 = correction
                    while (w < rowEnd) {
                        // Each Buffer read comes first in its expression, as in convolveInt8.
                        const x = values[v]
                        a0 = (filter[w] ^ 128) * x + a0
                        a1 = (filter[w + row1] ^ 128) * x + a1
                        a2 = (filter[w + row2] ^ 128) * x + a2
                        a3 = (filter[w + row3] ^ 128) * x + a3
                        w++
                        v++
                    }
                    sums[o] = a0
                    sums[o + 1] = a1
                    sums[o + 2] = a2
                    sums[o + 3] = a3
                    o += 4
                } else {
                    let acc = correction
                    while (w < rowEnd) {
                        acc = (filter[w] ^ 128) * values[v] + acc
                        w++
                        v++
                    }
                    sums[o] = acc
                    o++
                }
            }
            storeRequantizedInt8(sums, units, units, rq, outputOffset, actMin, actMax, output, outputAt + b * units)
        }
    }

    export function fullyConnectedInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, FullyConnectedParams.Input, model, arena)
        const inputAt = paramOffset(p, FullyConnectedParams.Input)
        const filter = paramBuffer(p, FullyConnectedParams.Filter, model, arena)
        const filterAt = paramOffset(p, FullyConnectedParams.Filter)
        const bias = paramBuffer(p, FullyConnectedParams.Bias, model, arena)
        const biasAt = paramOffset(p, FullyConnectedParams.Bias)
        const output = paramBuffer(p, FullyConnectedParams.Output, model, arena)
        const outputAt = paramOffset(p, FullyConnectedParams.Output)
        const batches = param(p, FullyConnectedParams.Batches)
        const outputDepth = param(p, FullyConnectedParams.OutputDepth)
        const accumDepth = param(p, FullyConnectedParams.AccumDepth)
        const filterOffset = param(p, FullyConnectedParams.FilterOffset)
        const actMin = param(p, FullyConnectedParams.ActivationMin)
        const actMax = param(p, FullyConnectedParams.ActivationMax)
        const step = param(p, FullyConnectedParams.PerChannel) ? 2 : 0
        for (let b = 0; b < batches; b++) {
            const row = inputAt + 2 * b * accumDepth
            for (let o = 0; o < outputDepth; o++) {
                const weights = filterAt + o * accumDepth
                // A 64-bit accumulator in TFLM; here it stays below 2^47, exact in a double.
                let acc = 0
                for (let d = 0; d < accumDepth; d++)
                    acc += (int8At(filter, weights, d) + filterOffset) * input.getNumber(NumberFormat.Int16LE, row + 2 * d)
                if (bias) acc += bias.getNumber(NumberFormat.Int32LE, biasAt + 8 * o + 4) * 4294967296 +
                    bias.getNumber(NumberFormat.UInt32LE, biasAt + 8 * o)
                const m = FullyConnectedParams.Multipliers + step * o
                // Cast to int32 before the clamp, as TFLM (and the C) does: an int64 bias near 2^47
                // takes the rescaled sum past int32.
                const scaled = multiplyByQuantizedMultiplier64(acc, param(p, m), param(p, m + 1)) | 0
                output.setNumber(NumberFormat.Int16LE, outputAt + 2 * (b * outputDepth + o), clamp(scaled, actMin, actMax))
            }
        }
    }

    export function fullyConnectedFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, FullyConnectedParams.Input, model, arena)
        const inputAt = paramOffset(p, FullyConnectedParams.Input)
        const filter = paramBuffer(p, FullyConnectedParams.Filter, model, arena)
        const filterAt = paramOffset(p, FullyConnectedParams.Filter)
        const bias = paramBuffer(p, FullyConnectedParams.Bias, model, arena)
        const biasAt = paramOffset(p, FullyConnectedParams.Bias)
        const output = paramBuffer(p, FullyConnectedParams.Output, model, arena)
        const outputAt = paramOffset(p, FullyConnectedParams.Output)
        const batches = param(p, FullyConnectedParams.Batches)
        const outputDepth = param(p, FullyConnectedParams.OutputDepth)
        const accumDepth = param(p, FullyConnectedParams.AccumDepth)
        const actMin = paramFloat(p, FullyConnectedParams.ActivationMin)
        const actMax = paramFloat(p, FullyConnectedParams.ActivationMax)
        for (let b = 0; b < batches; b++) {
            const row = inputAt + 4 * b * accumDepth
            for (let o = 0; o < outputDepth; o++) {
                const weights = filterAt + 4 * o * accumDepth
                // float32 arithmetic, rounded after every step as C does (no fused multiply-add).
                let total = 0
                for (let d = 0; d < accumDepth; d++)
                    total = f32(total + f32(input.getNumber(NumberFormat.Float32LE, row + 4 * d) *
                        filter.getNumber(NumberFormat.Float32LE, weights + 4 * d)))
                const b0 = bias ? bias.getNumber(NumberFormat.Float32LE, biasAt + 4 * o) : 0
                const v = f32(total + b0)
                output.setNumber(NumberFormat.Float32LE, outputAt + 4 * (b * outputDepth + o), Math.min(Math.max(v, actMin), actMax))
            }
        }
    }
}
