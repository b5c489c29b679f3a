namespace tflite {
    // Activation functions, one element at a time: RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, LOGISTIC,
    // TANH, HARD_SWISH. Input and output have the same type and element count.
    //
    // As TFLM's reference kernels (activations*.cc, leaky_relu*.cc, logistic*.cc, tanh.cc,
    // hard_swish*.cc and the reference/ headers they call):
    // - RELU int8/int16 rescales: out = out_zp + (in - in_zp) * in_scale / out_scale (one fixed-point
    //   multiply), then clamps below at out_zp (real 0). RELU_N1_TO_1, which TFLM lacks, is TFLite's
    //   QuantizedReluX: the same rescale, clamped at the output's -1 and +1.
    // - RELU6 int8/int16 does NOT rescale in TFLM: it clamps the stored input value between the
    //   input's zero point and its quantized 6, and stores that as is (the converter gives RELU6's
    //   input and output one quantization). We do the same, so a model whose scales differ gets
    //   TFLM's answer, not the mathematically rescaled one.
    // - LEAKY_RELU int8/int16 rescales by in_scale / out_scale for inputs >= in_zp and by
    //   in_scale * alpha / out_scale below it (a negative multiplier when alpha < 0).
    // - LOGISTIC and TANH int8 use gemmlowp's fixed-point logistic/tanh on the input rescaled to
    //   Q4.27; int16 interpolates in TFLM's 256-entry sigmoid table. Float32 calls expf/tanhf.
    // - HARD_SWISH int8 is TFLite's 16-bit fixed-point x * relu6(x + 3) / 6 (HardSwishParams).
    //
    // The float32 bodies round after each step as C's float arithmetic does. Where TFLM calls
    // expf or tanhf, the results depend on the C library: TFLM's goldens come from a host build,
    // so libmExpf and libmTanhf below compute exactly what glibc 2.36 (these machines' C library)
    // does. Its expf is not correctly rounded in about 1 case in 10^4, its tanhf is often 1 ulp
    // off: rounding Math.exp to float32 instead would differ from its expf in ~0.06% of inputs
    // in [-20, 20], a correctly rounded tanh from its tanhf in ~40% of those in [-0.6, 0.6].

    /** Parameter block of the relu_* and relu6_* bodies (words). */
    export const enum ReluParams {
        Input = 0, Output = 2,
        /** Number of elements. */
        Count = 4,
        /** relu_int8/int16: the input's zero point (subtracted) and the output's (added). */
        InputZeroPoint = 5, OutputZeroPoint = 6,
        /** relu_int8/int16: input_scale / output_scale as (multiplier, shift). */
        Multiplier = 7, Shift = 8,
        /**
         * Clamp bounds: in output units for relu_int8/int16, in input units for relu6_int8/int16,
         * float32 bits for relu_float.
         */
        ActivationMin = 9, ActivationMax = 10,
        Size = 11,
    }

    /** Parameter block of the leaky_relu_* bodies (words). */
    export const enum LeakyReluParams {
        Input = 0, Output = 2, Count = 4,
        /** Quantized only: the input's zero point (subtracted) and the output's (added). */
        InputZeroPoint = 5, OutputZeroPoint = 6,
        /** Quantized only: in_scale * alpha / out_scale (inputs below zero) as (multiplier, shift). */
        AlphaMultiplier = 7, AlphaShift = 8,
        /** Quantized only: in_scale / out_scale (inputs at or above zero) as (multiplier, shift). */
        IdentityMultiplier = 9, IdentityShift = 10,
        /** leaky_relu_float only: alpha as float32 bits. */
        Alpha = 11,
        Size = 12,
    }

    /** Parameter block of the logistic_* bodies (words). */
    export const enum LogisticParams {
        Input = 0, Output = 2, Count = 4,
        /** int8 only: the input's zero point, and |input - zp| from which the output saturates. */
        InputZeroPoint = 5, InputRangeRadius = 6,
        /**
         * int8: (input - zp) * InputMultiplier * 2^(InputLeftShift - 31) is the input in Q4.27.
         * int16: input * InputMultiplier >> InputLeftShift (rounded) indexes the table; a multiplier
         * of 0 means a power-of-two input scale, handled as TFLM does (3 << shift, no shift).
         */
        InputMultiplier = 7, InputLeftShift = 8,
        /** int16 only: TFLM's 256-entry sigmoid table, unsigned 16-bit, two entries per word. */
        Table = 9,
        Size = 9,
        SizeWithTable = 137,
    }

    /** Parameter block of the tanh_* bodies (words): the layout of LogisticParams. */
    export const enum TanhParams {
        Input = 0, Output = 2, Count = 4,
        /** int8 only: the input's zero point, and |input - zp| from which the output saturates. */
        InputZeroPoint = 5, InputRangeRadius = 6,
        /** As LogisticParams: to Q4.27 for int8, to the table's scale for int16. */
        InputMultiplier = 7, InputLeftShift = 8,
        /** int16 only: TFLM's 256-entry sigmoid table, unsigned 16-bit, two entries per word. */
        Table = 9,
        Size = 9,
        SizeWithTable = 137,
    }

    /** Parameter block of the hard_swish_* bodies (words). */
    export const enum HardSwishParams {
        Input = 0, Output = 2, Count = 4,
        /** int8 only: the input's zero point (subtracted) and the output's (added). */
        InputZeroPoint = 5, OutputZeroPoint = 6,
        /** int8 only: in_scale / 128 / out_scale as a 16-bit fixed-point multiplier and exponent (<= 0). */
        OutputMultiplier = 7, OutputExponent = 8,
        /** int8 only: in_scale / 128 / (3 / 32768) as a 16-bit fixed-point multiplier and exponent. */
        ReluishMultiplier = 9, ReluishExponent = 10,
        Size = 11,
    }

    const enum LeakyReluOptions { Alpha = 0 }

    // Every activation block starts with these three groups (Input, Output, Count).
    const enum ActivationWords { Input = 0, Output = 2, Count = 4 }

    export function registerActivationKernels(): void {
        registerBuiltin(BuiltinOp.RELU, op => prepareRelu(op, Activation.Relu))
        registerBuiltin(BuiltinOp.RELU_N1_TO_1, op => prepareRelu(op, Activation.ReluN1To1))
        registerBuiltin(BuiltinOp.RELU6, prepareRelu6)
        registerBuiltin(BuiltinOp.LEAKY_RELU, prepareLeakyRelu)
        registerBuiltin(BuiltinOp.LOGISTIC, op => prepareLogisticOrTanh(op, false))
        registerBuiltin(BuiltinOp.TANH, op => prepareLogisticOrTanh(op, true))
        registerBuiltin(BuiltinOp.HARD_SWISH, prepareHardSwish)
        registerBody("relu_int8", reluInt8)
        registerBody("relu_int16", reluInt16)
        registerBody("relu_float", reluFloat)
        registerBody("relu6_int8", relu6Int8)
        registerBody("relu6_int16", relu6Int16)
        registerBody("leaky_relu_int8", leakyReluInt8)
        registerBody("leaky_relu_int16", leakyReluInt16)
        registerBody("leaky_relu_float", leakyReluFloat)
        registerBody("logistic_int8", logisticInt8)
        registerBody("logistic_int16", logisticInt16)
        registerBody("logistic_float", logisticFloat)
        registerBody("tanh_int8", tanhInt8)
        registerBody("tanh_int16", tanhInt16)
        registerBody("tanh_float", tanhFloat)
        registerBody("hard_swish_int8", hardSwishInt8)
        registerBody("hard_swish_float", hardSwishFloat)
    }

    // ---- prepare ----

    /** Checks the one input and one output every activation has; returns [input, output]. */
    function activationTensors(op: Operator): Tensor[] {
        const input = op.input(0)
        const output = op.outputs.length > 0 ? op.output(0) : null
        op.check(!!input && !!output, "needs an input and an output")
        op.check(input.type === output.type,
            "input type " + typeName(input.type) + " differs from output type " + typeName(output.type))
        op.check(input.elementCount() === output.elementCount(),
            "input " + input.describe() + " and output " + output.describe() + " differ in size")
        if (input.type === TensorType.Int8 || input.type === TensorType.Int16) {
            op.check(input.scale > 0, "input " + input.describe() + " has no quantization scale")
            op.check(output.scale > 0, "output " + output.describe() + " has no quantization scale")
        }
        return [input, output]
    }

    function unsupportedType(op: Operator, t: Tensor): void {
        op.check(false, "unsupported input type " + typeName(t.type))
    }

    /** Chooses `body` and fills the words every activation block starts with. */
    function activationBody(op: Operator, body: string, words: number, input: Tensor, output: Tensor): Buffer {
        const p = op.useBody(body, words)
        op.paramTensor(ActivationWords.Input, input)
        op.paramTensor(ActivationWords.Output, output)
        setParam(p, ActivationWords.Count, input.elementCount())
        return p
    }

    /** RELU (TFLM's ReluPrepare) and RELU_N1_TO_1 (TFLite's ReluPrepare with QuantizedReluX). */
    function prepareRelu(op: Operator, activation: number): void {
        const io = activationTensors(op)
        const input = io[0]
        const output = io[1]
        if (input.type === TensorType.Float32) {
            // Not floatActivationRange: the RELU op does not clamp to FLT_MAX as fused activations do.
            const p = activationBody(op, "relu_float", ReluParams.Size, input, output)
            setParamFloat(p, ReluParams.ActivationMin, activation === Activation.Relu ? 0 : -1)
            setParamFloat(p, ReluParams.ActivationMax, activation === Activation.Relu ? Infinity : 1)
            return
        }
        if (input.type === TensorType.Int16)
            op.check(input.zeroPoint === 0 && output.zeroPoint === 0, "int16 tensors must have zero point 0")
        else if (input.type !== TensorType.Int8) unsupportedType(op, input)
        const p = activationBody(op, input.type === TensorType.Int8 ? "relu_int8" : "relu_int16", ReluParams.Size, input, output)
        // TFLM divides the scales as doubles; TFLite (RELU_N1_TO_1's only reference) as floats.
        const multiplier = activation === Activation.Relu ? quantizeMultiplier(input.scale / output.scale) :
            quantizeMultiplier(f32(input.scale / output.scale))
        // RELU's lower bound is max(type min, zp + roundf(0 / scale)) = max(type min, zp), its upper
        // the type's max: quantizedActivationRange computes these bounds the same way.
        const range = quantizedActivationRange(activation, output)
        setParam(p, ReluParams.InputZeroPoint, input.zeroPoint)
        setParam(p, ReluParams.OutputZeroPoint, output.zeroPoint)
        setParam(p, ReluParams.Multiplier, multiplier[0])
        setParam(p, ReluParams.Shift, multiplier[1])
        setParam(p, ReluParams.ActivationMin, range[0])
        setParam(p, ReluParams.ActivationMax, range[1])
    }

    /** RELU6 as TFLM's Relu6Prepare: bounds are the input's zero point and its quantized 6. */
    function prepareRelu6(op: Operator): void {
        const io = activationTensors(op)
        const input = io[0]
        const output = io[1]
        if (input.type === TensorType.Float32) {
            const p = activationBody(op, "relu_float", ReluParams.Size, input, output)
            setParamFloat(p, ReluParams.ActivationMin, 0)
            setParamFloat(p, ReluParams.ActivationMax, 6)
            return
        }
        let lo = -128
        let hi = 127
        if (input.type === TensorType.Int16) {
            lo = -32768
            hi = 32767
        } else if (input.type !== TensorType.Int8) unsupportedType(op, input)
        const p = activationBody(op, input.type === TensorType.Int8 ? "relu6_int8" : "relu6_int16", ReluParams.Size, input, output)
        // FloatToQuantizedType: round(6.0f / scale) in float, plus the zero point, clamped to the type.
        const six = clamp(roundHalfAwayFromZero(f32(6 / input.scale)) + input.zeroPoint, lo, hi)
        setParam(p, ReluParams.ActivationMin, input.zeroPoint)
        setParam(p, ReluParams.ActivationMax, six)
    }

    /** LEAKY_RELU as TFLM's CalculateOpDataLeakyRelu: both multipliers are float32 quotients. */
    function prepareLeakyRelu(op: Operator): void {
        const io = activationTensors(op)
        const input = io[0]
        const output = io[1]
        const alpha = op.optFloat(LeakyReluOptions.Alpha, 0)
        if (input.type === TensorType.Float32) {
            const p = activationBody(op, "leaky_relu_float", LeakyReluParams.Size, input, output)
            setParamFloat(p, LeakyReluParams.Alpha, alpha)
            return
        }
        if (input.type !== TensorType.Int8 && input.type !== TensorType.Int16) unsupportedType(op, input)
        const p = activationBody(op, input.type === TensorType.Int8 ? "leaky_relu_int8" : "leaky_relu_int16",
            LeakyReluParams.Size, input, output)
        const alphaMultiplier = quantizeMultiplier(f32(f32(input.scale * alpha) / output.scale))
        const identityMultiplier = quantizeMultiplier(f32(input.scale / output.scale))
        setParam(p, LeakyReluParams.InputZeroPoint, input.zeroPoint)
        setParam(p, LeakyReluParams.OutputZeroPoint, output.zeroPoint)
        setParam(p, LeakyReluParams.AlphaMultiplier, alphaMultiplier[0])
        setParam(p, LeakyReluParams.AlphaShift, alphaMultiplier[1])
        setParam(p, LeakyReluParams.IdentityMultiplier, identityMultiplier[0])
        setParam(p, LeakyReluParams.IdentityShift, identityMultiplier[1])
    }

    /**
     * LOGISTIC (TFLM's CalculateArithmeticOpDataLogistic) and TANH (its tanh.cc
     * CalculateArithmeticOpData). LogisticParams and TanhParams share one layout.
     */
    function prepareLogisticOrTanh(op: Operator, tanh: boolean): void {
        const io = activationTensors(op)
        const input = io[0]
        const output = io[1]
        const name = tanh ? "tanh" : "logistic"
        if (input.type === TensorType.Float32) {
            activationBody(op, name + "_float", LogisticParams.Size, input, output)
            return
        }
        if (input.type === TensorType.Int8) {
            // The logistic's output is in 1/256 steps from -128; tanh's in 1/128 steps from 0. TFLM
            // checks the logistic's zero point only, and neither scale.
            if (!tanh) op.check(output.zeroPoint === -128, "int8 output must have zero point -128, not " + output.zeroPoint)
            const p = activationBody(op, name + "_int8", LogisticParams.Size, input, output)
            // input_scale * 2^27 = q * 2^leftShift with q in [0.5, 1): the input in Q4.27 is
            // (input - zp) * round(q * 2^31) * 2^(leftShift - 31).
            const fe = frexp(input.scale * 134217728)
            const leftShift = fe[1]
            setParam(p, LogisticParams.InputZeroPoint, input.zeroPoint)
            setParam(p, LogisticParams.InputRangeRadius, calculateInputRadius(4, leftShift, 31))
            setParam(p, LogisticParams.InputMultiplier, roundHalfAwayFromZero(fe[0] * 2147483648))
            setParam(p, LogisticParams.InputLeftShift, leftShift)
            return
        }
        if (input.type !== TensorType.Int16) unsupportedType(op, input)
        // Symmetric int16 with the output in Q0.15: the table lookup wants the input scaled so that
        // 2^17 stands for 10.7 (a scale of 1 / (3 * 4096)).
        op.check(input.zeroPoint === 0 && output.zeroPoint === 0, "int16 tensors must have zero point 0")
        const outLog2 = checkedLog2(output.scale)
        op.check(outLog2[0] === 1 && outLog2[1] === -15, "int16 output scale must be 2^-15, not " + output.scale)
        const inLog2 = checkedLog2(input.scale)
        // A power-of-two input scale of 2^-12 (also 2^-11 for tanh) needs only a multiply by 3.
        let leftShift = 12 + inLog2[1]
        let multiplier = 0
        if (!(inLog2[0] === 1 && (leftShift === 0 || (tanh && leftShift === 1)))) {
            let m = input.scale * 4096 * 3
            leftShift = 0
            while (m <= 32767 / 2 && leftShift <= 30) {
                leftShift++
                m = m * 2
            }
            multiplier = Math.trunc(m)
        }
        const p = activationBody(op, name + "_int16", LogisticParams.SizeWithTable, input, output)
        setParam(p, LogisticParams.InputMultiplier, multiplier)
        setParam(p, LogisticParams.InputLeftShift, leftShift)
        const table = sigmoidTable()
        for (let i = 0; i < table.length; i++)
            p.setNumber(NumberFormat.UInt16LE, 4 * LogisticParams.Table + 2 * i, table[i])
    }

    /**
     * TFLM's CheckedLog2: [1 if x is a power of two to within 1e-3 in the exponent, else 0;
     * round(log2(x))]. TFLM computes log2 as logf(x) * (1 / logf(2)) in float32.
     */
    export function checkedLog2(x: number): number[] {
        const log2 = f32(f32(Math.log(x)) * f32(1 / f32(Math.log(2))))
        const rounded = roundHalfAwayFromZero(log2)
        return [Math.abs(f32(log2 - rounded)) < f32(1e-3) ? 1 : 0, rounded]
    }

    /** HARD_SWISH as TFLite's HardSwishPrepare (TFLM's copy): two 16-bit fixed-point multipliers. */
    function prepareHardSwish(op: Operator): void {
        const io = activationTensors(op)
        const input = io[0]
        const output = io[1]
        if (input.type === TensorType.Float32) {
            activationBody(op, "hard_swish_float", HardSwishParams.Size, input, output)
            return
        }
        if (input.type !== TensorType.Int8) unsupportedType(op, input)
        const hiresInputScale = f32(f32(1 / 128) * input.scale)
        const reluishScale = f32(3 / 32768)
        const outputMultiplier = quantizeMultiplier(f32(hiresInputScale / output.scale))
        op.check(outputMultiplier[1] <= 0, "output scale " + output.scale + " is too small for input scale " + input.scale)
        const reluishMultiplier = quantizeMultiplier(f32(hiresInputScale / reluishScale))
        const p = activationBody(op, "hard_swish_int8", HardSwishParams.Size, input, output)
        setParam(p, HardSwishParams.InputZeroPoint, input.zeroPoint)
        setParam(p, HardSwishParams.OutputZeroPoint, output.zeroPoint)
        setParam(p, HardSwishParams.OutputMultiplier, downScaleInt32ToInt16Multiplier(outputMultiplier[0]))
        setParam(p, HardSwishParams.OutputExponent, outputMultiplier[1])
        setParam(p, HardSwishParams.ReluishMultiplier, downScaleInt32ToInt16Multiplier(reluishMultiplier[0]))
        setParam(p, HardSwishParams.ReluishExponent, reluishMultiplier[1])
    }

    /** TFLite's DownScaleInt32ToInt16Multiplier: the top 16 bits of a Q31 multiplier, rounded. */
    function downScaleInt32ToInt16Multiplier(m: number): number {
        if (m >= INT32_MAX - 32768) return 32767
        return (m + 32768) >> 16
    }

    // ---- RELU, RELU6, RELU_N1_TO_1 ----

    /** ReluQuantized / QuantizedReluX: rescale to the output, then clamp. */
    function reluQuantized(p: Buffer, model: Buffer, arena: Buffer, format: NumberFormat, bytes: number): void {
        const input = paramBuffer(p, ReluParams.Input, model, arena)
        const inputAt = paramOffset(p, ReluParams.Input)
        const output = paramBuffer(p, ReluParams.Output, model, arena)
        const outputAt = paramOffset(p, ReluParams.Output)
        const count = param(p, ReluParams.Count)
        const inputZeroPoint = param(p, ReluParams.InputZeroPoint)
        const outputZeroPoint = param(p, ReluParams.OutputZeroPoint)
        const multiplier = param(p, ReluParams.Multiplier)
        const shift = param(p, ReluParams.Shift)
        const lo = param(p, ReluParams.ActivationMin)
        const hi = param(p, ReluParams.ActivationMax)
        for (let i = 0; i < count; i++) {
            const x = input.getNumber(format, inputAt + bytes * i) - inputZeroPoint
            const v = outputZeroPoint + multiplyByQuantizedMultiplier(x, multiplier, shift)
            output.setNumber(format, outputAt + bytes * i, clamp(v, lo, hi))
        }
    }

    export function reluInt8(p: Buffer, model: Buffer, arena: Buffer): void { reluQuantized(p, model, arena, NumberFormat.Int8LE, 1) }
    export function reluInt16(p: Buffer, model: Buffer, arena: Buffer): void { reluQuantized(p, model, arena, NumberFormat.Int16LE, 2) }

    /** Relu6Quantized: the stored value clamped between two stored values, no rescaling. */
    function relu6Quantized(p: Buffer, model: Buffer, arena: Buffer, format: NumberFormat, bytes: number): void {
        const input = paramBuffer(p, ReluParams.Input, model, arena)
        const inputAt = paramOffset(p, ReluParams.Input)
        const output = paramBuffer(p, ReluParams.Output, model, arena)
        const outputAt = paramOffset(p, ReluParams.Output)
        const count = param(p, ReluParams.Count)
        const lo = param(p, ReluParams.ActivationMin)
        const hi = param(p, ReluParams.ActivationMax)
        for (let i = 0; i < count; i++)
            output.setNumber(format, outputAt + bytes * i, clamp(input.getNumber(format, inputAt + bytes * i), lo, hi))
    }

    export function relu6Int8(p: Buffer, model: Buffer, arena: Buffer): void { relu6Quantized(p, model, arena, NumberFormat.Int8LE, 1) }
    export function relu6Int16(p: Buffer, model: Buffer, arena: Buffer): void { relu6Quantized(p, model, arena, NumberFormat.Int16LE, 2) }

    /**
     * ReluFloat, Relu6Float, Relu1: `x > hi ? hi : x < lo ? lo : x`, so NaN and -0 pass through
     * unchanged as in TFLM.
     */
    export function reluFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, ReluParams.Input, model, arena)
        const inputAt = paramOffset(p, ReluParams.Input)
        const output = paramBuffer(p, ReluParams.Output, model, arena)
        const outputAt = paramOffset(p, ReluParams.Output)
        const count = param(p, ReluParams.Count)
        const lo = paramFloat(p, ReluParams.ActivationMin)
        const hi = paramFloat(p, ReluParams.ActivationMax)
        for (let i = 0; i < count; i++) {
            const x = input.getNumber(NumberFormat.Float32LE, inputAt + 4 * i)
            output.setNumber(NumberFormat.Float32LE, outputAt + 4 * i, x > hi ? hi : x < lo ? lo : x)
        }
    }

    // ---- LEAKY_RELU ----

    /** QuantizeLeakyRelu: one of two multipliers by the sign of the input, then the type's range. */
    function leakyReluQuantized(p: Buffer, model: Buffer, arena: Buffer, format: NumberFormat, bytes: number,
        lo: number, hi: number): void {
        const input = paramBuffer(p, LeakyReluParams.Input, model, arena)
        const inputAt = paramOffset(p, LeakyReluParams.Input)
        const output = paramBuffer(p, LeakyReluParams.Output, model, arena)
        const outputAt = paramOffset(p, LeakyReluParams.Output)
        const count = param(p, LeakyReluParams.Count)
        const inputZeroPoint = param(p, LeakyReluParams.InputZeroPoint)
        const outputZeroPoint = param(p, LeakyReluParams.OutputZeroPoint)
        const alphaMultiplier = param(p, LeakyReluParams.AlphaMultiplier)
        const alphaShift = param(p, LeakyReluParams.AlphaShift)
        const identityMultiplier = param(p, LeakyReluParams.IdentityMultiplier)
        const identityShift = param(p, LeakyReluParams.IdentityShift)
        for (let i = 0; i < count; i++) {
            const x = input.getNumber(format, inputAt + bytes * i) - inputZeroPoint
            const v = x >= 0 ? multiplyByQuantizedMultiplier(x, identityMultiplier, identityShift) :
                multiplyByQuantizedMultiplier(x, alphaMultiplier, alphaShift)
            output.setNumber(format, outputAt + bytes * i, clamp(outputZeroPoint + v, lo, hi))
        }
    }

    export function leakyReluInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        leakyReluQuantized(p, model, arena, NumberFormat.Int8LE, 1, -128, 127)
    }
    export function leakyReluInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        leakyReluQuantized(p, model, arena, NumberFormat.Int16LE, 2, -32768, 32767)
    }

    /** LeakyRelu: `x > 0 ? x : x * alpha` (alpha may be negative or above 1). */
    export function leakyReluFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, LeakyReluParams.Input, model, arena)
        const inputAt = paramOffset(p, LeakyReluParams.Input)
        const output = paramBuffer(p, LeakyReluParams.Output, model, arena)
        const outputAt = paramOffset(p, LeakyReluParams.Output)
        const count = param(p, LeakyReluParams.Count)
        const alpha = paramFloat(p, LeakyReluParams.Alpha)
        for (let i = 0; i < count; i++) {
            const x = input.getNumber(NumberFormat.Float32LE, inputAt + 4 * i)
            output.setNumber(NumberFormat.Float32LE, outputAt + 4 * i, x > 0 ? x : f32(x * alpha))
        }
    }

    // ---- LOGISTIC, TANH ----

    /**
     * reference_integer_ops::Logistic / Tanh for int8: saturate beyond the input radius, else the
     * input in Q4.27 through gemmlowp's fixed-point function, rescaled from Q0.31 to 1/256 steps
     * from -128 (logistic) or 1/128 steps from 0 (tanh).
     */
    function sigmoidInt8(p: Buffer, model: Buffer, arena: Buffer, tanh: boolean): void {
        const input = paramBuffer(p, LogisticParams.Input, model, arena)
        const inputAt = paramOffset(p, LogisticParams.Input)
        const output = paramBuffer(p, LogisticParams.Output, model, arena)
        const outputAt = paramOffset(p, LogisticParams.Output)
        const count = param(p, LogisticParams.Count)
        const zeroPoint = param(p, LogisticParams.InputZeroPoint)
        const radius = param(p, LogisticParams.InputRangeRadius)
        const multiplier = param(p, LogisticParams.InputMultiplier)
        const leftShift = param(p, LogisticParams.InputLeftShift)
        for (let i = 0; i < count; i++) {
            const x = int8At(input, inputAt, i) - zeroPoint
            let v = 0
            if (x <= -radius) v = -128
            else if (x >= radius) v = 127
            else {
                const q4 = multiplyByQuantizedMultiplier(x, multiplier, leftShift)
                if (tanh) v = roundingDivideByPOT(fixedPointTanh(q4, 4), 24)
                else v = roundingDivideByPOT(fixedPointLogistic(q4, 4), 23) - 128
                v = clamp(v, -128, 127)
            }
            output[outputAt + i] = v & 0xff
        }
    }

    export function logisticInt8(p: Buffer, model: Buffer, arena: Buffer): void { sigmoidInt8(p, model, arena, false) }
    export function tanhInt8(p: Buffer, model: Buffer, arena: Buffer): void { sigmoidInt8(p, model, arena, true) }

    /**
     * reference_integer_ops::Logistic / Tanh for int16: the input rescaled so that 2^17 stands for
     * 10.7, then linear interpolation in the table of sigmoid(i / 24), i = |x| >> 9 (logistic) or
     * |x| >> 8 (tanh = 2 sigmoid(2x) - 1), with the remaining 9 or 8 bits as the fraction.
     */
    function sigmoidInt16(p: Buffer, model: Buffer, arena: Buffer, tanh: boolean): void {
        const input = paramBuffer(p, LogisticParams.Input, model, arena)
        const inputAt = paramOffset(p, LogisticParams.Input)
        const output = paramBuffer(p, LogisticParams.Output, model, arena)
        const outputAt = paramOffset(p, LogisticParams.Output)
        const count = param(p, LogisticParams.Count)
        const multiplier = param(p, LogisticParams.InputMultiplier)
        const leftShift = param(p, LogisticParams.InputLeftShift)
        for (let i = 0; i < count; i++) {
            const x = input.getNumber(NumberFormat.Int16LE, inputAt + 2 * i)
            output.setNumber(NumberFormat.Int16LE, outputAt + 2 * i, sigmoidInt16Value(x, multiplier, leftShift, p, 4 * LogisticParams.Table, tanh))
        }
    }

    /**
     * sigmoidInt16's formula for one value (also the LSTM's gates, kernel_lstm.ts): TFLM's
     * (input_multiplier, input_left_shift), a multiplier of 0 meaning 3 << shift; the table
     * (sigmoidTable, unsigned 16-bit little-endian) at `tableAt` in `table`.
     */
    export function sigmoidInt16Value(x: number, multiplier: number, leftShift: number, table: Buffer, tableAt: number, tanh: boolean): number {
        if (multiplier === 0) {
            multiplier = 3 << leftShift
            leftShift = 0
        }
        const round = leftShift > 0 ? 1 << (leftShift - 1) : 0
        const fractionBits = tanh ? 8 : 9
        const fractionMask = (1 << fractionBits) - 1
        // int32 arithmetic, wrapping as C does should a huge multiplier overflow.
        const scaled = ((Math.imul(x, multiplier) + round) | 0) >> leftShift
        const magnitude = Math.abs(scaled)
        const index = Math.floor(magnitude / (1 << fractionBits))
        let result = 0
        if (index >= 255) result = tanh ? 0xffff << 8 : 0x7fff << 10
        else {
            const a = table.getNumber(NumberFormat.UInt16LE, tableAt + 2 * index)
            const b = table.getNumber(NumberFormat.UInt16LE, tableAt + 2 * index + 2)
            result = a * (1 << fractionBits) + (magnitude & fractionMask) * (b - a)
        }
        // From sigmoid in Q0.16 << 8 to tanh in Q0.15: subtract one half, round, shift.
        if (tanh) return (scaled >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1) >> 8
        return (scaled >= 0 ? result + (1 << 9) : (1 << 25) - result + (1 << 9) - 1) >>> 10
    }

    export function logisticInt16(p: Buffer, model: Buffer, arena: Buffer): void { sigmoidInt16(p, model, arena, false) }
    export function tanhInt16(p: Buffer, model: Buffer, arena: Buffer): void { sigmoidInt16(p, model, arena, true) }

    /**
     * reference_ops::Logistic for float: 1 beyond 16.619047f, expf(x) below -9 (where 1 / (1 + e^-x)
     * and e^x agree in float32), else 1 / (1 + expf(-x)), each step rounded to float32.
     */
    export function logisticFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, LogisticParams.Input, model, arena)
        const inputAt = paramOffset(p, LogisticParams.Input)
        const output = paramBuffer(p, LogisticParams.Output, model, arena)
        const outputAt = paramOffset(p, LogisticParams.Output)
        const count = param(p, LogisticParams.Count)
        for (let i = 0; i < count; i++)
            output.setNumber(NumberFormat.Float32LE, outputAt + 4 * i, logisticFloatValue(input.getNumber(NumberFormat.Float32LE, inputAt + 4 * i)))
    }

    /** logisticFloat's formula for one float32 (also the LSTM's gates, kernel_lstm.ts). */
    export function logisticFloatValue(x: number): number {
        if (x > 16.619047164916992188) return 1
        if (x < -9) return libmExpf(x)
        return f32(1 / f32(1 + libmExpf(-x)))
    }

    /** reference_ops::Tanh for float: std::tanh on a float, i.e. tanhf. */
    export function tanhFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, TanhParams.Input, model, arena)
        const inputAt = paramOffset(p, TanhParams.Input)
        const output = paramBuffer(p, TanhParams.Output, model, arena)
        const outputAt = paramOffset(p, TanhParams.Output)
        const count = param(p, TanhParams.Count)
        for (let i = 0; i < count; i++) {
            const x = input.getNumber(NumberFormat.Float32LE, inputAt + 4 * i)
            output.setNumber(NumberFormat.Float32LE, outputAt + 4 * i, libmTanhf(x))
        }
    }

    // ---- HARD_SWISH ----

    /**
     * reference_ops::HardSwish for int8, in 16-bit fixed point. The input (minus its zero point)
     * is shifted left 7 bits for precision; one copy is rescaled to the output scale (not yet
     * shifted right), another to the "reluish" value: x / 3 saturated to [-1, 1] in Q0.15, then
     * mapped to [0, 1]. Their product (truncating, to cancel the rounding bias above) is shifted
     * right to the output scale. Every intermediate is an int16 as in C.
     */
    export function hardSwishInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, HardSwishParams.Input, model, arena)
        const inputAt = paramOffset(p, HardSwishParams.Input)
        const output = paramBuffer(p, HardSwishParams.Output, model, arena)
        const outputAt = paramOffset(p, HardSwishParams.Output)
        const count = param(p, HardSwishParams.Count)
        const inputZeroPoint = param(p, HardSwishParams.InputZeroPoint)
        const outputZeroPoint = param(p, HardSwishParams.OutputZeroPoint)
        const outputMultiplier = param(p, HardSwishParams.OutputMultiplier)
        const outputExponent = param(p, HardSwishParams.OutputExponent)
        const reluishMultiplier = param(p, HardSwishParams.ReluishMultiplier)
        const reluishExponent = param(p, HardSwishParams.ReluishExponent)
        for (let i = 0; i < count; i++) {
            const hires = (int8At(input, inputAt, i) - inputZeroPoint) * 128
            const preshiftOutput = saturatingRoundingDoublingHighMul16(hires, outputMultiplier)
            let reluish = hires
            // Shift left all but one bit before the multiply (saturating), the last bit after, so
            // that saturation that matters happens last.
            if (reluishExponent > 0) reluish = saturatingLeftShift16(reluish, reluishExponent - 1)
            reluish = saturatingRoundingDoublingHighMul16(reluish, reluishMultiplier)
            if (reluishExponent > 0) reluish = saturatingLeftShift16(reluish, 1)
            if (reluishExponent < 0) reluish = roundingDivideByPOT16(reluish, -reluishExponent)
            reluish = (reluish + 32768) >> 1
            const preshift = saturatingDoublingHighMul16(reluish, preshiftOutput)
            let v = roundingDivideByPOT16(preshift, -outputExponent)
            v = toInt16(v + outputZeroPoint)
            output[outputAt + i] = clamp(v, -128, 127) & 0xff
        }
    }

    /** reference_ops::HardSwish for float: x * min(6, max(0, x + 3)) / 6 in float32. */
    export function hardSwishFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, HardSwishParams.Input, model, arena)
        const inputAt = paramOffset(p, HardSwishParams.Input)
        const output = paramBuffer(p, HardSwishParams.Output, model, arena)
        const outputAt = paramOffset(p, HardSwishParams.Output)
        const count = param(p, HardSwishParams.Count)
        for (let i = 0; i < count; i++) {
            const x = input.getNumber(NumberFormat.Float32LE, inputAt + 4 * i)
            // std::max(0, y) is (0 < y ? y : 0) and std::min(6, y) is (y < 6 ? y : 6): NaN gives 0.
            const shifted = f32(x + 3)
            const above = 0 < shifted ? shifted : 0
            const relu6 = above < 6 ? above : 6
            output.setNumber(NumberFormat.Float32LE, outputAt + 4 * i, f32(f32(x * relu6) / 6))
        }
    }

    // ---- 16-bit fixed point (gemmlowp's int16 specializations, TFLite's hard_swish.h) ----

    function toInt16(x: number): number {
        return (x << 16) >> 16
    }

    /** SaturatingRoundingDoublingHighMul for int16: (a * b * 2 + 2^15) >> 16, rounded half away from 0. */
    function saturatingRoundingDoublingHighMul16(a: number, b: number): number {
        if (a === -32768 && b === -32768) return 32767
        const ab = a * b
        const nudge = ab >= 0 ? 16384 : 1 - 16384
        return Math.trunc((ab + nudge) / 32768)
    }

    /** SaturatingDoublingHighMul (ARM SQDMULH): as above but truncating toward zero. */
    function saturatingDoublingHighMul16(a: number, b: number): number {
        if (a === -32768 && b === -32768) return 32767
        return Math.trunc(a * b / 32768)
    }

    function saturatingLeftShift16(x: number, amount: number): number {
        return clamp(x * Math.pow(2, amount), -32768, 32767)
    }

    /**
     * gemmlowp's RoundingDivideByPOT with int16 operands: the mask (2^exponent - 1) is an int16,
     * so from exponent 16 on it is -1, which C keeps (the result is then 0 or 1 for x >= 0).
     */
    function roundingDivideByPOT16(x: number, exponent: number): number {
        const mask = toInt16((1 << exponent) - 1)
        const remainder = toInt16(x & mask)
        const threshold = toInt16((mask >> 1) + (x < 0 ? 1 : 0))
        return toInt16((x >> exponent) + (remainder > threshold ? 1 : 0))
    }

    // ---- 32-bit fixed point: gemmlowp's exp, logistic and tanh on FixedPoint<int32_t, k> ----
    //
    // A value with k integer bits is an int32 raw / 2^(31 - k). Multiplying two values is
    // SaturatingRoundingDoublingHighMul of the raws (the integer bits add up); additions wrap as
    // C's int32 would (they never overflow on the paths used here).

    /** SaturatingRoundingMultiplyByPOT: a saturating left shift, or a rounding right shift. */
    function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
        if (exponent === 0) return x
        if (exponent < 0) return roundingDivideByPOT(x, -exponent)
        const threshold = (1 << (31 - exponent)) - 1
        if (x > threshold) return INT32_MAX
        if (x < -threshold) return INT32_MIN
        return x << exponent
    }

    /** gemmlowp's RoundingHalfSum: (a + b) / 2 rounded half away from zero. */
    function roundingHalfSum(a: number, b: number): number {
        const sum = a + b
        return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2)
    }

    /** exp(a) for a in [-1/4, 0) in Q0.31: a Taylor expansion around -1/8 to the 4th order. */
    function expOnIntervalQuarter(a: number): number {
        const expMinusOneEighth = 1895147668
        const oneThird = 715827883
        const x = (a + (1 << 28)) | 0
        const x2 = saturatingRoundingDoublingHighMul(x, x)
        const x3 = saturatingRoundingDoublingHighMul(x2, x)
        const x4 = saturatingRoundingDoublingHighMul(x2, x2)
        const x4Over4 = roundingDivideByPOT(x4, 2)
        const poly = roundingDivideByPOT((saturatingRoundingDoublingHighMul((x4Over4 + x3) | 0, oneThird) + x2) | 0, 1)
        return (expMinusOneEighth + saturatingRoundingDoublingHighMul(expMinusOneEighth, (x + poly) | 0)) | 0
    }

    /**
     * gemmlowp's exp_on_negative_values: exp(a) in Q0.31 for a <= 0 with `integerBits` integer
     * bits. a = (a mod 1/4 - 1/4) - r: exp of the first part by the polynomial, times
     * exp(-2^k) for each bit 2^k of r (a barrel shifter of constant multipliers).
     */
    export function fixedPointExpOnNegativeValues(a: number, integerBits: number): number {
        const fractionalBits = 31 - integerBits
        const oneQuarter = 1 << (fractionalBits - 2)
        const aModQuarterMinusQuarter = ((a & (oneQuarter - 1)) - oneQuarter) | 0
        let result = expOnIntervalQuarter(saturatingRoundingMultiplyByPOT(aModQuarterMinusQuarter, integerBits))
        const remainder = (aModQuarterMinusQuarter - a) | 0
        // Bit 2^k of the remainder (k = -2..4, as far as the integer bits reach) multiplies by exp(-2^k).
        for (let k = -2; k <= 4; k++) {
            if (integerBits > k && (remainder & (1 << (fractionalBits + k))) !== 0)
                result = saturatingRoundingDoublingHighMul(result, expOfMinusPowerOfTwo(k))
        }
        // Below -32 the result is 0 (only reachable with more than 5 integer bits).
        if (integerBits > 5 && a < -(1 << (36 - integerBits))) result = 0
        if (a === 0) result = INT32_MAX
        return result
    }

    /** exp(-2^k) in Q0.31 for k = -2..4 (gemmlowp's barrel shifter constants). */
    function expOfMinusPowerOfTwo(k: number): number {
        switch (k) {
            case -2: return 1672461947
            case -1: return 1302514674
            case 0: return 790015084
            case 1: return 290630308
            case 2: return 39332535
            case 3: return 720401
            default: return 242
        }
    }

    /**
     * 1 / (1 + a) (or, with `oneMinus`, (1 - a) / (1 + a)) for a in [0, 1) in Q0.31, by three
     * Newton-Raphson steps in Q2.29 from the estimate 48/17 - 32/17 * d, d = (1 + a) / 2.
     */
    function reciprocalOnePlusX(a: number, oneMinus: boolean): number {
        const halfDenominator = roundingHalfSum(a, INT32_MAX)
        const fortyEightSeventeenths = 1515870810
        const minusThirtyTwoSeventeenths = -1010580540
        const one = 1 << 29
        let x = (fortyEightSeventeenths + saturatingRoundingDoublingHighMul(halfDenominator, minusThirtyTwoSeventeenths)) | 0
        for (let i = 0; i < 3; i++) {
            const halfDenominatorTimesX = saturatingRoundingDoublingHighMul(halfDenominator, x)
            const oneMinusHalfDenominatorTimesX = (one - halfDenominatorTimesX) | 0
            x = (x + saturatingRoundingMultiplyByPOT(saturatingRoundingDoublingHighMul(x, oneMinusHalfDenominatorTimesX), 2)) | 0
        }
        // x ~ 1 / d = 2 / (1 + a) in Q2.29: 1 / (1 + a) is x / 2, (1 - a) / (1 + a) is x - 1.
        return oneMinus ? saturatingRoundingMultiplyByPOT((x - one) | 0, 2) : saturatingRoundingMultiplyByPOT(x, 1)
    }

    /** gemmlowp's logistic: 1 / (1 + e^-a) in Q0.31 for `a` with `integerBits` integer bits. */
    export function fixedPointLogistic(a: number, integerBits: number): number {
        if (a === 0) return 1 << 30
        const positive = a > 0
        const magnitude = positive ? a : -a | 0
        const ofMagnitude = reciprocalOnePlusX(fixedPointExpOnNegativeValues(-magnitude | 0, integerBits), false)
        return positive ? ofMagnitude : (INT32_MAX - ofMagnitude) | 0
    }

    /** gemmlowp's tanh: (1 - e^-2|a|) / (1 + e^-2|a|) in Q0.31, with a's sign. */
    export function fixedPointTanh(a: number, integerBits: number): number {
        if (a === 0) return 0
        const negative = a < 0
        // -|a| with one more integer bit is -2|a| with the same raw value.
        const negativeMagnitude = negative ? a : -a | 0
        const t = reciprocalOnePlusX(fixedPointExpOnNegativeValues(negativeMagnitude, integerBits + 1), true)
        return negative ? -t | 0 : t
    }

    /**
     * TFLM's sigmoid_table_uint16: sigmoid(i / 24) in unsigned Q0.16 for i = 0..255 (65535 for
     * 1.0). Its values, not a formula: 44 of them differ by one from round(65536 * sigmoid(i / 24)).
     */
    export function sigmoidTable(): number[] {
        return [
            32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
            43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
            51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
            57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
            61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
            63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
            64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
            64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
            65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
            65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
            65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
            65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
            65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
            65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
            65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
            65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
        ]
    }

    // ---- float32 libm: expf and tanhf as glibc 2.36 computes them ----
    //
    // Both are pure IEEE arithmetic, reproduced step by step: expf in double (glibc's generic C,
    // from ARM's optimized routines), tanhf in float via expm1f (SunPro fdlibm's float versions,
    // which glibc used until 2.40 and newlib still uses). Each float operation is done in double
    // and rounded with f32(), which gives the float result exactly. glibc picks an FMA build of
    // expf on CPUs that have FMA; its polynomial then rounds differently in the last bits of a
    // double, which changes the float result only within ~2^-25 ulp of a rounding midpoint.

    let libmScratch: Buffer
    // 2^(i/32) for i = 0..31 as double (high word, low word) pairs.
    let expfTable: Buffer

    function libmBuffer(): Buffer {
        if (!libmScratch) libmScratch = control.createBuffer(8)
        return libmScratch
    }

    /** The bits of x as a float32, as a signed int32. */
    export function floatBits(x: number): number {
        const b = libmBuffer()
        b.setNumber(NumberFormat.Float32LE, 0, x)
        return b.getNumber(NumberFormat.Int32LE, 0)
    }

    export function floatFromBits(bits: number): number {
        const b = libmBuffer()
        b.setNumber(NumberFormat.Int32LE, 0, bits)
        return b.getNumber(NumberFormat.Float32LE, 0)
    }

    function buildExpfTable(): void {
        // glibc's __exp2f_data.tab: bits(2^(i/32)) - (i << 47), as (high, low) words.
        const words = [
            0x3ff00000, 0x00000000, 0x3fefd9b0, 0xd3158574, 0x3fefb558, 0x6cf9890f, 0x3fef9301, 0xd0125b51,
            0x3fef72b8, 0x3c7d517b, 0x3fef5487, 0x3168b9aa, 0x3fef387a, 0x6e756238, 0x3fef1e9d, 0xf51fdee1,
            0x3fef06fe, 0x0a31b715, 0x3feef1a7, 0x373aa9cb, 0x3feedea6, 0x4c123422, 0x3feece08, 0x6061892d,
            0x3feebfda, 0xd5362a27, 0x3feeb42b, 0x569d4f82, 0x3feeab07, 0xdd485429, 0x3feea47e, 0xb03a5585,
            0x3feea09e, 0x667f3bcd, 0x3fee9f75, 0xe8ec5f74, 0x3feea114, 0x73eb0187, 0x3feea589, 0x994cce13,
            0x3feeace5, 0x422aa0db, 0x3feeb737, 0xb0cdc5e5, 0x3feec491, 0x82a3f090, 0x3feed503, 0xb23e255d,
            0x3feee89f, 0x995ad3ad, 0x3feeff76, 0xf2fb5e47, 0x3fef199b, 0xdd85529c, 0x3fef3720, 0xdcef9069,
            0x3fef5818, 0xdcfba487, 0x3fef7c97, 0x337b9b5f, 0x3fefa4af, 0xa2a490da, 0x3fefd076, 0x5b6e4540,
        ]
        expfTable = control.createBuffer(256)
        for (let i = 0; i < 32; i++) {
            expfTable.setNumber(NumberFormat.UInt32LE, 8 * i, words[2 * i] + (i << 15))
            expfTable.setNumber(NumberFormat.UInt32LE, 8 * i + 4, words[2 * i + 1])
        }
    }

    /**
     * glibc's expf: x * 32 / ln 2 = k + r with integer k (ties to even) and |r| <= 1/2; then
     * e^x = 2^(k / 32) * 2^(r / 32), the first from the table scaled by 2^floor(k / 32), the
     * second from a cubic, all in double, rounded once to float32.
     */
    export function libmExpf(x: number): number {
        const abstop = (floatBits(x) >>> 20) & 0x7ff
        if (abstop >= 0x42b) {
            // |x| >= 88, an infinity or NaN.
            if (x === -Infinity) return 0
            if (abstop >= 0x7f8) return x + x
            if (x > 88.72283172607422) return Infinity
            if (x < -103.97207641601562) return 0
        }
        if (!expfTable) buildExpfTable()
        const z = 46.16624130844683 * x
        const kd = (z + 6755399441055744) - 6755399441055744
        // z - kd rounded once, from the exact x * 32 / ln 2, as glibc's x86-64 FMA build fuses it
        // (kernels/libm.c): 32 / ln 2 = hi + lo, x hi exact, x hi - kd exact (Sterbenz).
        const r = (x * 46.16624128818512 - kd) + x * 2.026170875524258e-8
        const exponent = Math.floor(kd / 32)
        const i = kd - 32 * exponent
        // s = 2^(i / 32) * 2^exponent, by adding to the double's exponent field.
        const b = libmBuffer()
        b.setNumber(NumberFormat.UInt32LE, 4, expfTable.getNumber(NumberFormat.UInt32LE, 8 * i) + exponent * 1048576)
        b.setNumber(NumberFormat.UInt32LE, 0, expfTable.getNumber(NumberFormat.UInt32LE, 8 * i + 4))
        const s = b.getNumber(NumberFormat.Float64LE, 0)
        const c = 0.0000016938359250920212 * r + 0.00023459809789509004
        const r2 = r * r
        let y = 0.021660849396613134 * r + 1
        y = c * r2 + y
        return f32(y * s)
    }

    /** fdlibm's expm1f (SunPro, float): e^x - 1 by argument reduction and a rational approximation. */
    export function libmExpm1f(x: number): number {
        const o_threshold = f32(88.721679688)
        const ln2Hi = f32(0.69313812256)
        const ln2Lo = f32(9.0580006145e-06)
        const invLn2 = f32(1.4426950216)
        let hx = floatBits(x)
        const negative = hx < 0
        hx = hx & 0x7fffffff
        if (hx >= 0x4195b844) {
            // |x| >= 27 ln 2
            if (hx >= 0x42b17218) {
                if (hx > 0x7f800000) return x + x
                if (hx === 0x7f800000) return negative ? -1 : x
                if (x > o_threshold) return Infinity
            }
            if (negative) return -1
        }
        let k = 0
        let c = 0
        if (hx > 0x3eb17218) {
            // |x| > ln(2) / 2: x = k ln 2 + (hi - lo), then x = hi - lo with c the rounding error.
            let hi = 0
            let lo = 0
            if (hx < 0x3f851592) {
                k = negative ? -1 : 1
                hi = negative ? f32(x + ln2Hi) : f32(x - ln2Hi)
                lo = negative ? -ln2Lo : ln2Lo
            } else {
                k = Math.trunc(f32(f32(invLn2 * x) + (negative ? -0.5 : 0.5)))
                hi = f32(x - f32(k * ln2Hi))
                lo = f32(k * ln2Lo)
            }
            x = f32(hi - lo)
            c = f32(f32(hi - x) - lo)
        } else if (hx < 0x33000000) {
            // |x| < 2^-25
            return x
        }
        const hfx = f32(0.5 * x)
        const hxs = f32(x * hfx)
        let r1 = f32(hxs * f32(-2.0109921195e-07))
        r1 = f32(hxs * f32(f32(4.0082177293e-06) + r1))
        r1 = f32(hxs * f32(f32(-7.9365076090e-05) + r1))
        r1 = f32(hxs * f32(f32(1.5873016091e-03) + r1))
        r1 = f32(1 + f32(hxs * f32(f32(-3.3333335072e-02) + r1)))
        let t = f32(3 - f32(r1 * hfx))
        let e = f32(hxs * f32(f32(r1 - t) / f32(6 - f32(x * t))))
        if (k === 0) return f32(x - f32(f32(x * e) - hxs))
        e = f32(f32(x * f32(e - c)) - c)
        e = f32(e - hxs)
        if (k === -1) return f32(f32(0.5 * f32(x - e)) - 0.5)
        if (k === 1) {
            if (x < -0.25) return f32(-2 * f32(e - f32(x + 0.5)))
            return f32(1 + f32(2 * f32(x - e)))
        }
        let y = 0
        if (k <= -2 || k > 56) {
            y = f32(1 - f32(e - x))
            return f32(floatFromBits(floatBits(y) + (k << 23)) - 1)
        }
        if (k < 23) {
            t = floatFromBits(0x3f800000 - (0x1000000 >> k))
            y = f32(t - f32(e - x))
        } else {
            t = floatFromBits((0x7f - k) << 23)
            y = f32(f32(x - f32(e + t)) + 1)
        }
        return floatFromBits(floatBits(y) + (k << 23))
    }

    /** fdlibm's tanhf: 1 - 2 / (e^2|x| - 1 + 2) from |x| = 1, -m / (m + 2) with m = e^-2|x| - 1 below. */
    export function libmTanhf(x: number): number {
        const jx = floatBits(x)
        const ix = jx & 0x7fffffff
        if (ix >= 0x7f800000) return jx >= 0 ? f32(f32(1 / x) + 1) : f32(f32(1 / x) - 1)
        let z = 1
        if (ix < 0x41b00000) {
            // |x| < 22
            if (ix === 0) return x
            if (ix < 0x24000000) return f32(x * f32(1 + x))
            if (ix >= 0x3f800000) {
                const t = libmExpm1f(f32(2 * Math.abs(x)))
                z = f32(1 - f32(2 / f32(t + 2)))
            } else {
                const t = libmExpm1f(f32(-2 * Math.abs(x)))
                z = f32(-t / f32(t + 2))
            }
        }
        return jx >= 0 ? z : -z
    }
}
