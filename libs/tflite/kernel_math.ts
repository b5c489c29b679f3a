namespace tflite {
    // Element-wise math: ABS, NEG, SQUARE, SQRT, RSQRT, CEIL, FLOOR, ROUND, EXP, ELU, LOG, SIN, COS (one input),
    // FLOOR_DIV, FLOOR_MOD, SQUARED_DIFFERENCE, PRELU (two inputs, broadcast as ADD's).
    //
    // As TFLM's reference kernels (elementwise.cc, neg.cc, floor.cc, ceil.cc, round.cc, exp.cc,
    // elu.cc, floor_div.cc, floor_mod.cc, squared_difference.cc, prelu*.cc):
    // - float32 only, except ABS (float32, int8, int16), RSQRT and ELU (float32, int8),
    //   SQUARED_DIFFERENCE (float32, int32, int8, int16) and PRELU (float32, int8, int16 with an int8
    //   alpha).
    // - float32: one C float operation per element (SQUARE x * x, RSQRT 1 / sqrtf(x), ROUND half to
    //   even from floorf, FLOOR_DIV floor(double(x) / double(y)), FLOOR_MOD fmodf then the divisor
    //   added when the signs differ, PRELU x >= 0 ? x : x * alpha). EXP, ELU, LOG, SIN and COS call
    //   glibc's expf, expm1f, logf, sinf and cosf, computed here as glibc 2.36 does (libmExpf,
    //   libmExpm1f in kernel_activation.ts, libmLogf and libmSinOrCosf below); TFLM's goldens come
    //   from a glibc host build.
    // - int8 ABS, RSQRT and ELU depend on the input byte alone: prepare writes the 256 outputs into
    //   the block and the body looks them up (ELU int8 is a table in TFLM too). ABS:
    //   |x - zp_in|, rescaled by float(s_in / s_out) unless the scales are equal, plus zp_out.
    //   RSQRT: TFLM's fixed-point 1/sqrt(x - zp_in) (GetInvSqrtQuantizedMultiplierExp), scaled by
    //   1 / (sqrtf(s_in) * s_out); an input below zp_in makes TFLM's invoke fail (so does the STS
    //   body; the C body, which cannot fail, gives 127 as for zp_in).
    // - int16 ABS: unquantized tensors give C's abs wrapped to int16 (-32768 stays); quantized ones
    //   (zero points 0) clamp |x| or its rescaled value to 32767.
    // - SQUARED_DIFFERENCE int8/int16: both inputs shifted left by 7 (int8) or 0 bits, scaled by
    //   s_i / (2 max(s1, s2)), the difference squared, scaled by (2 max)^2 / (2^(2 shift) s_out).
    // - PRELU int8/int16: x - zp_in >= 0 is scaled by s_in / s_out, below it (x - zp_in) * (a - zp_a)
    //   by s_in * s_a / s_out.
    // TFLM broadcasts these binary ops over at most 4 dimensions (PRELU always walks 4): both
    // loaders refuse more. FLOOR_DIV's invoke fails on a zero divisor: a constant one is refused at
    // load, a computed one stops the STS body (the C body divides anyway).

    /** Parameter block of math_float, math_int8 and abs_int16 (words). */
    export const enum MathParams {
        Input = 0, Output = 2,
        /** Number of elements. */
        Count = 4,
        /** math_float only: the function (MathFunction). */
        Function = 5,
        /** abs_int16 only: AbsInt16Mode. */
        Mode = 6,
        /** abs_int16 rescaling only: input_scale / output_scale (a float32 quotient) as (multiplier, shift). */
        Multiplier = 7, Shift = 8,
        /** math_int8 only: inputs below it make TFLM's invoke fail (RSQRT's zero point; -128 otherwise). */
        LowestInput = 9,
        Size = 10,
        /** math_int8 only: the output byte for every input byte (256 bytes, indexed by the input's unsigned byte). */
        Table = 10,
        SizeWithTable = 74,
    }

    /** What math_float computes. */
    export const enum MathFunction { Abs = 0, Neg = 1, Square = 2, Sqrt = 3, Rsqrt = 4, Ceil = 5, Floor = 6, Round = 7, Exp = 8, Elu = 9, Log = 10, Sin = 11, Cos = 12 }

    /** How abs_int16 treats its input. */
    export const enum AbsInt16Mode {
        /** Unquantized: C's abs, wrapped to int16 (-32768 stays -32768). */
        Wrap = 0,
        /** Quantized with equal scales: |x| clamped to 32767. */
        Clamp = 1,
        /** Quantized: |x| rescaled by Multiplier and Shift, clamped to 32767. */
        Rescale = 2,
    }

    /**
     * Parameter block of the binary bodies (words): ElementwiseParams (kernel_elementwise.ts), whose
     * broadcast walk they share, and after it the function of math_binary_float. Quantized
     * SQUARED_DIFFERENCE fills ElementwiseParams' quantized words as ADD does; PRELU puts minus
     * alpha's zero point in Input2Offset, s_in / s_out in Input1Multiplier and Input1Shift and
     * s_in * s_alpha / s_out in OutputMultiplier and OutputShift.
     */
    export const enum MathBinaryParams {
        /** math_binary_float only: the function (MathBinaryFunction). */
        Function = 37,
        Size = 38,
    }

    /** What math_binary_float computes. */
    export const enum MathBinaryFunction { FloorDiv = 0, FloorMod = 1, SquaredDifference = 2, Prelu = 3 }

    /** TFLM's largest broadcast rank for these ops (its 4-D slow broadcasts). */
    const MATH_BROADCAST_DIMS = 4

    export function registerMathKernels(): void {
        registerBuiltin(BuiltinOp.ABS, op => prepareUnaryMath(op, MathFunction.Abs))
        registerBuiltin(BuiltinOp.NEG, op => prepareUnaryMath(op, MathFunction.Neg))
        registerBuiltin(BuiltinOp.SQUARE, op => prepareUnaryMath(op, MathFunction.Square))
        registerBuiltin(BuiltinOp.SQRT, op => prepareUnaryMath(op, MathFunction.Sqrt))
        registerBuiltin(BuiltinOp.RSQRT, op => prepareUnaryMath(op, MathFunction.Rsqrt))
        registerBuiltin(BuiltinOp.CEIL, op => prepareUnaryMath(op, MathFunction.Ceil))
        registerBuiltin(BuiltinOp.FLOOR, op => prepareUnaryMath(op, MathFunction.Floor))
        registerBuiltin(BuiltinOp.ROUND, op => prepareUnaryMath(op, MathFunction.Round))
        registerBuiltin(BuiltinOp.EXP, op => prepareUnaryMath(op, MathFunction.Exp))
        registerBuiltin(BuiltinOp.ELU, op => prepareUnaryMath(op, MathFunction.Elu))
        registerBuiltin(BuiltinOp.LOG, op => prepareUnaryMath(op, MathFunction.Log))
        registerBuiltin(BuiltinOp.SIN, op => prepareUnaryMath(op, MathFunction.Sin))
        registerBuiltin(BuiltinOp.COS, op => prepareUnaryMath(op, MathFunction.Cos))
        registerBuiltin(BuiltinOp.FLOOR_DIV, op => prepareBinaryMath(op, MathBinaryFunction.FloorDiv))
        registerBuiltin(BuiltinOp.FLOOR_MOD, op => prepareBinaryMath(op, MathBinaryFunction.FloorMod))
        registerBuiltin(BuiltinOp.SQUARED_DIFFERENCE, op => prepareBinaryMath(op, MathBinaryFunction.SquaredDifference))
        registerBuiltin(BuiltinOp.PRELU, op => prepareBinaryMath(op, MathBinaryFunction.Prelu))
        registerBody("math_float", mathFloat)
        registerBody("math_int8", mathInt8)
        registerBody("abs_int16", absInt16)
        registerBody("math_binary_float", mathBinaryFloat)
        registerBody("squared_difference_int32", squaredDifferenceInt32)
        registerBody("squared_difference_int8", squaredDifferenceInt8)
        registerBody("squared_difference_int16", squaredDifferenceInt16)
        registerBody("prelu_int8", preluInt8)
        registerBody("prelu_int16", preluInt16)
    }

    // ---- prepare ----

    /** The op's name in messages, by MathFunction. */
    const UNARY_NAMES = ["ABS", "NEG", "SQUARE", "SQRT", "RSQRT", "CEIL", "FLOOR", "ROUND", "EXP", "ELU", "LOG", "SIN", "COS"]

    function prepareUnaryMath(op: Operator, fn: MathFunction): void {
        const input = op.input(0)
        const output = op.outputs.length > 0 ? op.output(0) : null
        op.check(!!input && !!output && op.inputs.length === 1 && op.outputs.length === 1, "needs one input and one output")
        op.check(input.type === output.type,
            "input type " + typeName(input.type) + " differs from output type " + typeName(output.type))
        // TFLM's CEIL, ROUND and EXP check the shapes; the others write as many outputs as there are inputs.
        const checksShape = fn === MathFunction.Ceil || fn === MathFunction.Round || fn === MathFunction.Exp
        op.check(input.elementCount() === output.elementCount() && (!checksShape || input.shape.join(",") === output.shape.join(",")),
            "input " + input.describe() + " and output " + output.describe() + " differ in shape")
        const type = input.type
        const int8 = type === TensorType.Int8 && (fn === MathFunction.Abs || fn === MathFunction.Rsqrt || fn === MathFunction.Elu)
        const int16 = type === TensorType.Int16 && fn === MathFunction.Abs
        op.check(type === TensorType.Float32 || int8 || int16, UNARY_NAMES[fn] + ": unsupported type " + typeName(type))
        if (type === TensorType.Float32) {
            const p = op.useBody("math_float", MathParams.Size)
            unaryTensors(op, input, output)
            setParam(p, MathParams.Function, fn)
            return
        }
        // TFLM's int8 kernels (and int16 ABS with a quantization) read one scale and zero point each.
        const quantized = input.scales.length > 0 && input.zeroPoints.length > 0
        if (int8 || quantized) {
            op.check(quantized && output.scales.length > 0 && output.zeroPoints.length > 0,
                "input " + input.describe() + " and output " + output.describe() + " must both be quantized")
            op.check(input.scale > 0 && output.scale > 0, "input and output scales must be positive")
        }
        if (int16) {
            if (quantized) op.check(input.zeroPoint === 0 && output.zeroPoint === 0, "int16 tensors must have zero point 0")
            const p = op.useBody("abs_int16", MathParams.Size)
            unaryTensors(op, input, output)
            const rescale = quantized && input.scale !== output.scale
            setParam(p, MathParams.Mode, !quantized ? AbsInt16Mode.Wrap : rescale ? AbsInt16Mode.Rescale : AbsInt16Mode.Clamp)
            if (rescale) {
                const m = quantizeMultiplier(f32(input.scale / output.scale))
                setParam(p, MathParams.Multiplier, m[0])
                setParam(p, MathParams.Shift, m[1])
            }
            return
        }
        const p = op.useBody("math_int8", MathParams.SizeWithTable)
        unaryTensors(op, input, output)
        const table = fn === MathFunction.Abs ? absInt8Table(input, output) : fn === MathFunction.Rsqrt ? rsqrtInt8Table(input, output) :
            eluInt8Table(input, output)
        setParam(p, MathParams.LowestInput, fn === MathFunction.Rsqrt ? input.zeroPoint : -128)
        for (let i = 0; i < 256; i++) p[4 * MathParams.Table + i] = table[i] & 0xff
    }

    function unaryTensors(op: Operator, input: Tensor, output: Tensor): void {
        op.paramTensor(MathParams.Input, input)
        op.paramTensor(MathParams.Output, output)
        setParam(op.params, MathParams.Count, input.elementCount())
    }

    /** Table index of int8 value v: its unsigned byte. */
    function tableIndex(v: number): number {
        return v & 0xff
    }

    /** ABS int8 (AbsEvalQuantized): |x - zp_in|, rescaled unless the scales are equal, + zp_out, clamped. */
    function absInt8Table(input: Tensor, output: Tensor): number[] {
        const rescale = input.scale !== output.scale
        // TFLM: QuantizeMultiplier(double(input_scale / output_scale)), the quotient a float32.
        const m = rescale ? quantizeMultiplier(f32(input.scale / output.scale)) : [0, 0]
        const table: number[] = []
        for (let i = 0; i < 256; i++) table.push(0)
        for (let v = -128; v < 128; v++) {
            const value = Math.abs(v - input.zeroPoint)
            const out = (rescale ? multiplyByQuantizedMultiplier(value, m[0], m[1]) : value) + output.zeroPoint
            table[tableIndex(v)] = clamp(out, -128, 127)
        }
        return table
    }

    /**
     * RSQRT int8 (RsqrtEvalQuantized): 1/sqrt(x - zp_in) as a fixed-point multiplier, applied to 1
     * with 20 bits of headroom, then scaled by 1 / (sqrtf(s_in) * s_out) and 2^-20, + zp_out.
     */
    function rsqrtInt8Table(input: Tensor, output: Tensor): number[] {
        // TFLM: 1. / double(std::sqrt(input_scale) * output_scale), the product in float32.
        const m = quantizeMultiplier(1 / f32(f32(Math.sqrt(input.scale)) * output.scale))
        // Applied with 20 more bits of right shift: past 31 TFLM's RoundingDivideByPOT is undefined.
        checkShift(20 - m[1], 31)
        const table: number[] = []
        for (let i = 0; i < 256; i++) table.push(0)
        for (let v = -128; v < 128; v++) {
            const value = v - input.zeroPoint
            // 0 gives the largest output in TFLM; below 0 TFLM fails, and the C body gives the same.
            if (value <= 0) {
                table[tableIndex(v)] = 127
                continue
            }
            const inv = invSqrtQuantizedMultiplierExp(value)
            const data = multiplyByQuantizedMultiplier(1, inv[0], inv[1] + 20)
            const out = multiplyByQuantizedMultiplier(data, m[0], m[1] - 20) + output.zeroPoint
            table[tableIndex(v)] = clamp(out, -128, 127)
        }
        return table
    }

    /** gemmlowp's SaturatingRoundingMultiplyByPOT for a positive exponent: x * 2^exponent, saturated. */
    function saturatingShiftLeft(x: number, exponent: number): number {
        const threshold = (1 << (31 - exponent)) - 1
        return x > threshold ? INT32_MAX : x < -threshold ? INT32_MIN : x << exponent
    }

    /**
     * TFLM's GetInvSqrtQuantizedMultiplierExp(input, kReverseShift) for input >= 2: 1/sqrt(input)
     * as [multiplier, left shift], by five Newton steps in gemmlowp's Q3.28 arithmetic.
     */
    export function invSqrtQuantizedMultiplierExp(input: number): number[] {
        if (input <= 1) return [INT32_MAX, 0]
        let shift = 11
        while (input >= 536870912) {
            input = Math.idiv(input, 4)
            shift++
        }
        let clz = 0
        while (clz < 32 && (input >>> (31 - clz)) === 0) clz++
        const pairs = (((clz - 1) >> 1) - 1)
        shift -= pairs
        input = input << (2 * pairs)
        const half = roundingDivideByPOT(input >> 1, 1)   // F3 input / 2 (SaturatingRoundingMultiplyByPOT<-1>)
        const halfThree = 402653184                          // 1.5 in Q3.28
        let x = 268435456                                    // 1 in Q3.28
        for (let i = 0; i < 5; i++) {
            // x^3: two Q3.28 products give Q9.22, rescaled to Q3.28 by a saturating shift of 6.
            const x3 = saturatingShiftLeft(saturatingRoundingDoublingHighMul(saturatingRoundingDoublingHighMul(x, x), x), 6)
            // 1.5 x - x^3 input / 2 in Q6.25 (gemmlowp subtracts raw values, wrapping), back to Q3.28.
            const diff = (saturatingRoundingDoublingHighMul(halfThree, x) - saturatingRoundingDoublingHighMul(half, x3)) | 0
            x = saturatingShiftLeft(diff, 3)
        }
        // Times sqrt(2) / 2 in Q0.31.
        let inv = saturatingRoundingDoublingHighMul(x, 1518500250)
        if (shift < 0) {
            inv = inv << -shift
            shift = 0
        }
        return [inv, -shift]
    }

    /**
     * ELU int8 (TFLM's PopulateLookupTable): in float32, x = s_in * (v - zp_in), e^x - 1 below 0
     * (glibc's expf), roundf(y * (1 / s_out)) + zp_out converted as x86's cvttss2si (NaN or out of
     * int32's range: INT32_MIN), clamped.
     */
    function eluInt8Table(input: Tensor, output: Tensor): number[] {
        const inverseScale = f32(1 / output.scale)
        const table: number[] = []
        for (let i = 0; i < 256; i++) table.push(0)
        for (let v = -128; v < 128; v++) {
            const x = f32(input.scale * (v - input.zeroPoint))
            const y = x < 0 ? f32(libmExpf(x) - 1) : x
            const rescaled = roundHalfAwayFromZero(f32(y * inverseScale))
            const sum = f32(rescaled + output.zeroPoint)
            const q = sum === sum && sum >= -2147483648 && sum < 2147483648 ? (sum < 0 ? Math.ceil(sum) : Math.floor(sum)) : INT32_MIN
            table[tableIndex(v)] = clamp(q, -128, 127)
        }
        return table
    }

    const BINARY_NAMES = ["FLOOR_DIV", "FLOOR_MOD", "SQUARED_DIFFERENCE", "PRELU"]

    function prepareBinaryMath(op: Operator, fn: MathBinaryFunction): void {
        const input1 = op.input(0)
        const input2 = op.input(1)
        const output = op.outputs.length > 0 ? op.output(0) : null
        op.check(!!input1 && !!input2 && !!output && op.inputs.length === 2 && op.outputs.length === 1,
            "needs two inputs and one output")
        const type = input1.type
        const prelu = fn === MathBinaryFunction.Prelu
        // PRELU int16 takes an int8 alpha; otherwise both inputs and the output share one type.
        const type2 = prelu && type === TensorType.Int16 ? TensorType.Int8 : type
        op.check(input2.type === type2 && output.type === type,
            "inputs " + typeName(input1.type) + " and " + typeName(input2.type) + " and output " + typeName(output.type) +
            " do not match (" + BINARY_NAMES[fn] + " of " + typeName(type) + " needs " + typeName(type2) + " and " + typeName(type) + ")")
        let body = ""
        if (type === TensorType.Float32) body = "math_binary_float"
        else if (fn === MathBinaryFunction.SquaredDifference && type === TensorType.Int32) body = "squared_difference_int32"
        else if (fn === MathBinaryFunction.SquaredDifference && type === TensorType.Int8) body = "squared_difference_int8"
        else if (fn === MathBinaryFunction.SquaredDifference && type === TensorType.Int16) body = "squared_difference_int16"
        else if (prelu && type === TensorType.Int8) body = "prelu_int8"
        else if (prelu && type === TensorType.Int16) body = "prelu_int16"
        op.check(body !== "", BINARY_NAMES[fn] + ": unsupported type " + typeName(type))
        const same = input1.shape.join(",") === input2.shape.join(",")
        const rank = Math.max(Math.max(input1.rank(), input2.rank()), output.rank())
        op.check(rank <= MATH_BROADCAST_DIMS || (same && !prelu),
            BINARY_NAMES[fn] + " broadcasts at most " + MATH_BROADCAST_DIMS + " dimensions, not " + rank)
        if (fn === MathBinaryFunction.FloorDiv && input2.isConst) {
            const n = input2.elementCount()
            for (let i = 0; i < n; i++) op.check(input2.get(i) !== 0, "divisor " + input2.describe() + " holds a 0 at element " + i)
        }
        const p = op.useBody(body, MathBinaryParams.Size)
        op.paramTensor(ElementwiseParams.Input1, input1)
        op.paramTensor(ElementwiseParams.Input2, input2)
        op.paramTensor(ElementwiseParams.Output, output)
        setParams(p, ElementwiseParams.Rows, broadcastWalk(op, input1, input2, output))
        setParam(p, MathBinaryParams.Function, fn)
        if (type === TensorType.Float32 || type === TensorType.Int32) return
        const tensors = [input1, input2, output]
        for (let i = 0; i < 3; i++)
            op.check(tensors[i].scale > 0, tensors[i].describe() + " needs a quantization scale")
        if (!prelu && type === TensorType.Int16)
            for (let i = 0; i < 3; i++) op.check(tensors[i].zeroPoint === 0, "int16 " + tensors[i].describe() + " must have zero point 0")
        setParam(p, ElementwiseParams.Input1Offset, -input1.zeroPoint)
        setParam(p, ElementwiseParams.Input2Offset, -input2.zeroPoint)
        setParam(p, ElementwiseParams.OutputOffset, output.zeroPoint)
        const lo = type === TensorType.Int8 ? -128 : -32768
        setParam(p, ElementwiseParams.ActivationMin, lo)
        setParam(p, ElementwiseParams.ActivationMax, -lo - 1)
        if (prelu) {
            // TFLM's CalculatePreluParams, in double.
            const identity = quantizeMultiplier(input1.scale / output.scale)
            const alpha = quantizeMultiplier(input1.scale * input2.scale / output.scale)
            setParam(p, ElementwiseParams.Input1Multiplier, identity[0])
            setParam(p, ElementwiseParams.Input1Shift, identity[1])
            setParam(p, ElementwiseParams.OutputMultiplier, alpha[0])
            setParam(p, ElementwiseParams.OutputShift, alpha[1])
            return
        }
        // SQUARED_DIFFERENCE's PrepareQuantized, in double but for 2^(2 shift) * s_out, a float32.
        const leftShift = type === TensorType.Int8 ? 7 : 0
        setParam(p, ElementwiseParams.LeftShift, leftShift)
        const twiceMax = 2 * Math.max(input1.scale, input2.scale)
        const m1 = quantizeMultiplierSmallerThanOneExp(input1.scale / twiceMax)
        const m2 = quantizeMultiplierSmallerThanOneExp(input2.scale / twiceMax)
        const mOut = quantizeMultiplier(twiceMax * twiceMax / f32((1 << (2 * leftShift)) * output.scale))
        setParams(p, ElementwiseParams.Input1Multiplier, [m1[0], m1[1], m2[0], m2[1], mOut[0], mOut[1]])
    }

    // ---- unary bodies ----

    /** TFLM's RoundToNearest: half to even, from floorf. */
    function roundToNearest(x: number): number {
        const floor = Math.floor(x)
        const diff = f32(x - floor)
        if (diff < 0.5 || (diff === 0.5 && floor % 2 === 0)) return floor
        return f32(floor + 1)
    }

    export function mathFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, MathParams.Input, model, arena)
        const inputAt = paramOffset(p, MathParams.Input)
        const output = paramBuffer(p, MathParams.Output, model, arena)
        const outputAt = paramOffset(p, MathParams.Output)
        const count = param(p, MathParams.Count)
        const fn = param(p, MathParams.Function)
        for (let i = 0; i < count; i++) {
            const x = input.getNumber(NumberFormat.Float32LE, inputAt + 4 * i)
            let v = 0
            switch (fn) {
                case MathFunction.Abs: v = Math.abs(x); break
                case MathFunction.Neg: v = -x; break
                case MathFunction.Square: v = f32(x * x); break
                // A double square root rounded to float32 is sqrtf's correctly rounded result.
                case MathFunction.Sqrt: v = f32(Math.sqrt(x)); break
                case MathFunction.Rsqrt: v = f32(1 / f32(Math.sqrt(x))); break
                case MathFunction.Ceil: v = Math.ceil(x); break
                case MathFunction.Floor: v = Math.floor(x); break
                case MathFunction.Round: v = roundToNearest(x); break
                case MathFunction.Exp: v = libmExpf(x); break
                case MathFunction.Log: v = libmLogf(x); break
                case MathFunction.Sin: v = libmSinOrCosf(x, 0); break
                case MathFunction.Cos: v = libmSinOrCosf(x, 1); break
                default: v = x < 0 ? libmExpm1f(x) : x; break
            }
            output.setNumber(NumberFormat.Float32LE, outputAt + 4 * i, v)
        }
    }

    export function mathInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, MathParams.Input, model, arena)
        const inputAt = paramOffset(p, MathParams.Input)
        const output = paramBuffer(p, MathParams.Output, model, arena)
        const outputAt = paramOffset(p, MathParams.Output)
        const count = param(p, MathParams.Count)
        const lowest = param(p, MathParams.LowestInput)
        for (let i = 0; i < count; i++) {
            const b = input[inputAt + i]
            if (((b << 24) >> 24) < lowest) fail("RSQRT: input " + ((b << 24) >> 24) + " is below the zero point " + lowest + " (a negative value)")
            output[outputAt + i] = p[4 * MathParams.Table + b]
        }
    }

    export function absInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, MathParams.Input, model, arena)
        const inputAt = paramOffset(p, MathParams.Input)
        const output = paramBuffer(p, MathParams.Output, model, arena)
        const outputAt = paramOffset(p, MathParams.Output)
        const count = param(p, MathParams.Count)
        const mode = param(p, MathParams.Mode)
        const multiplier = param(p, MathParams.Multiplier)
        const shift = param(p, MathParams.Shift)
        for (let i = 0; i < count; i++) {
            const x = input.getNumber(NumberFormat.Int16LE, inputAt + 2 * i)
            let v = x < 0 ? -x : x
            if (mode === AbsInt16Mode.Rescale) v = multiplyByQuantizedMultiplier(v, multiplier, shift)
            // Wrap: 32768 becomes -32768, as C's conversion to int16.
            v = mode === AbsInt16Mode.Wrap ? (v << 16) >> 16 : clamp(v, -32768, 32767)
            output.setNumber(NumberFormat.Int16LE, outputAt + 2 * i, v)
        }
    }

    // glibc 2.36's logf (ARM's optimized routines): for 16 subintervals of the significand, 1/c and
    // log(c) of a c near the middle of each, then ln 2 and the cubic's coefficients (exact doubles).
    let logfTable: number[]

    /**
     * logf as glibc 2.36 computes it, in doubles: x = 2^k z with z's bits in [0x3f330000,
     * 2 * 0x3f330000); log(x) = log1p(z / c - 1) + log(c) + k ln 2, log1p from a cubic, rounded once
     * to float32. Pure IEEE double arithmetic, so the same in C (kernels/math.c tfl_logf).
     */
    export function libmLogf(x: number): number {
        if (!logfTable) logfTable = [1.398907162146528, -0.33569133332882284, 1.3403141896637998, -0.2929040563774074,
            1.286432210124115, -0.2518726580937369, 1.2367150214269895, -0.21245868807117255, 1.1906977166711752, -0.17453945183745634,
            1.1479821020556429, -0.1380057072319758, 1.1082251448272158, -0.10275976698545139, 1.0711297413057381, -0.06871392447020525,
            1.036437278977283, -0.0357891387398228, 1.0, 0.0, 0.9492859795739057, 0.05204517742929496, 0.8951049428609004, 0.11081431298787942,
            0.8476821620351103, 0.1652495223695143, 0.8050314851692001, 0.21687389031699977, 0.7664671008843108, 0.2659635028121397,
            0.731428603316328, 0.3127556664073557, 0.6931471805599453, -0.25089342214237154, 0.333456765744066, -0.4999997485802103]
        const t = logfTable
        let ix = floatBits(x) >>> 0
        if (((ix - 0x00800000) >>> 0) >= 0x7f000000) {
            // Not a positive normal float.
            if ((ix << 1) === 0) return -Infinity
            if (ix === 0x7f800000) return x
            if ((ix >>> 31) !== 0 || ((ix << 1) >>> 0) >= 0xff000000) return NaN
            ix = ((floatBits(x * 8388608) >>> 0) - (23 << 23)) >>> 0   // subnormal: scaled by 2^23, the exponent taken back
        }
        const offset = (ix - 0x3f330000) >>> 0
        const i = (offset >>> 19) & 15
        const k = (offset | 0) >> 23
        const z = floatFromBits((ix - (offset & 0xff800000)) | 0)
        const r = z * t[2 * i] - 1
        const y0 = t[2 * i + 1] + k * t[32]
        const r2 = r * r
        let y = t[34] * r + t[35]
        y = t[33] * r2 + y
        y = y * r2 + (y0 + r)
        return f32(y)
    }

    // glibc 2.36's sinf and cosf (ARM's optimized routines): 2^24 2/pi, pi/2 (glibc's; the
    // reduction below 120 uses it split in two), the cosine's coefficients c0..c4, the sine's
    // s1..s3 (exact doubles); the second table is the first with the cosine negated. Then 4/pi to
    // 192 bits, a new byte per 32-bit entry, and pi/2 / 2^62.
    let sincosfTable: number[]
    let invPio4: number[]

    /** The 64-bit product of two uint32s as [high word, low word], exact in doubles (16-bit halves). */
    function mul32x32(a: number, b: number): number[] {
        const aLow = a & 0xffff, aHigh = a >>> 16, bLow = b & 0xffff, bHigh = b >>> 16
        const middle = aHigh * bLow + aLow * bHigh
        const low = aLow * bLow + (middle % 65536) * 65536
        return [aHigh * bHigh + Math.floor(middle / 65536) + Math.floor(low / 4294967296), low % 4294967296]
    }

    /** The sine (n even) or cosine (n odd) polynomial of x, with x2 = x * x, from table `t` (0 or 10). */
    function sincosfPoly(x: number, x2: number, t: number, n: number): number {
        const c = sincosfTable
        if ((n & 1) === 0) {
            const x3 = x * x2
            const s1 = c[t + 8] + x2 * c[t + 9]
            const x7 = x3 * x2
            const s = x + x3 * c[t + 7]
            return f32(s + x7 * s1)
        }
        const x4 = x2 * x2
        const c2 = c[t + 5] + x2 * c[t + 6]
        const c1 = c[t + 2] + x2 * c[t + 3]
        const x6 = x4 * x2
        const cc = c1 + x4 * c[t + 4]
        return f32(cc + x6 * c2)
    }

    /**
     * sinf (cosine 0) or cosf (1) as glibc 2.36 computes them, in doubles: below pi/4 a polynomial;
     * below 120 x reduced by n pi/2, n from x 2^24 2/pi truncated to int32; beyond, by the exact
     * product of x's significand and 4/pi's bits (64-bit integers as pairs of words). The quadrant
     * picks the polynomial, the sign and the table. The same in C (kernels/math.c sin_or_cos).
     */
    export function libmSinOrCosf(y: number, cosine: number): number {
        if (!sincosfTable) {
            sincosfTable = [10680707.430881744, 1.5707963267948966, 1.0, -0.49999999725108224, 0.041666623324344516,
                -0.001388676379437604, 2.4390450703564542e-05, -0.16666654943701084, 0.008332178146138854, -0.00019517298981385725]
            for (let i = 0; i < 10; i++) sincosfTable.push(i >= 2 && i <= 6 ? -sincosfTable[i] : sincosfTable[i])
            invPio4 = [0xa2, 0xa2f9, 0xa2f983, 0xa2f9836e, 0xf9836e4e, 0x836e4e44, 0x6e4e4415, 0x4e441529,
                0x441529fc, 0x1529fc27, 0x29fc2757, 0xfc2757d1, 0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0,
                0x34ddc0db, 0xddc0db62, 0xc0db6295, 0xdb629599, 0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041]
        }
        const yBits = floatBits(y) >>> 0
        const top = (yBits >>> 20) & 0x7ff
        let x = y
        if (top < 0x3f4) {   // |y| < pi/4
            if (top < 0x398) return cosine ? 1 : y   // |y| < 2^-12
            return sincosfPoly(x, x * x, 0, cosine)
        }
        if (top >= 0x7f8) return NaN   // infinity or NaN
        let n = 0
        let quadrant = 0   // n: for the sign and the table (with y's sign beyond 120); quadrant: for the polynomial
        if (top < 0x42f) {   // |y| < 120
            const r = x * sincosfTable[0]
            const truncated = r < 0 ? Math.ceil(r) : Math.floor(r)
            n = quadrant = (truncated + 0x800000) >> 24
            // x - n pi/2 rounded once, as the fused multiply-add of glibc's x86-64 build (its FMA
            // variant, which the goldens' host runs): pi/2 = hi + lo with n hi exact (hi has 46
            // bits, |n| < 128) and x - n hi exact (Sterbenz: they are within a factor 2).
            x = (x - n * 1.5707963267948912) - n * 5.329070518200751e-15
        } else {
            // |y|'s significand times 4/pi's bits from the right byte, kept mod 4 in 2.62 fixed point.
            const at = (yBits >>> 26) & 15
            const xi = (((yBits & 0xffffff) | 0x800000) << ((yBits >>> 23) & 7)) >>> 0
            let high = mul32x32(xi, invPio4[at])[1]
            let low = mul32x32(xi, invPio4[at + 8])[0]
            const middle = mul32x32(xi, invPio4[at + 4])
            low += middle[1]
            high = (high + middle[0] + (low >= 4294967296 ? 1 : 0)) % 4294967296
            low %= 4294967296
            quadrant = Math.floor(((high + 0x20000000) % 4294967296) / 1073741824)
            high = (high - quadrant * 1073741824 + 4294967296) % 4294967296
            // The int64 as a double, rounded once as C's conversion rounds it, times pi/2 / 2^62.
            x = ((high >= 2147483648 ? high - 4294967296 : high) * 4294967296 + low) * 3.4061215800865545e-19
            n = quadrant + (yBits >>> 31)
        }
        const s = (n & 3) === 1 || (n & 3) === 2 ? -1 : 1
        return sincosfPoly(x * s, x * x, (n & 2) ? 10 : 0, quadrant ^ cosine)
    }

    // ---- binary bodies ----

    /** One float32 function per output element over the broadcast walk. */
    export function mathBinaryFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const in1 = paramBuffer(p, ElementwiseParams.Input1, model, arena)
        const at1 = paramOffset(p, ElementwiseParams.Input1)
        const in2 = paramBuffer(p, ElementwiseParams.Input2, model, arena)
        const at2 = paramOffset(p, ElementwiseParams.Input2)
        const out = paramBuffer(p, ElementwiseParams.Output, model, arena)
        const outAt = paramOffset(p, ElementwiseParams.Output)
        const rows = param(p, ElementwiseParams.Rows)
        const inner = param(p, ElementwiseParams.Dims + BROADCAST_DIMS - 1)
        const step1 = param(p, ElementwiseParams.Strides1 + BROADCAST_DIMS - 1)
        const step2 = param(p, ElementwiseParams.Strides2 + BROADCAST_DIMS - 1)
        const fn = param(p, MathBinaryParams.Function)
        let o = 0
        for (let r = 0; r < rows; r++) {
            let i1 = rowStart(p, r, ElementwiseParams.Strides1)
            let i2 = rowStart(p, r, ElementwiseParams.Strides2)
            for (let c = 0; c < inner; c++) {
                const x = in1.getNumber(NumberFormat.Float32LE, at1 + 4 * i1)
                const y = in2.getNumber(NumberFormat.Float32LE, at2 + 4 * i2)
                let v = 0
                if (fn === MathBinaryFunction.FloorDiv) {
                    if (y === 0) fail("FLOOR_DIV: division by zero")
                    v = f32(Math.floor(x / y))
                } else if (fn === MathBinaryFunction.FloorMod) {
                    // JavaScript's % is fmod, exact: on float32 operands it is fmodf.
                    const m = x % y
                    v = m !== 0 && (y < 0) !== (m < 0) ? f32(m + y) : m
                } else if (fn === MathBinaryFunction.SquaredDifference) {
                    const d = f32(x - y)
                    v = f32(d * d)
                } else v = x >= 0 ? x : f32(x * y)
                out.setNumber(NumberFormat.Float32LE, outAt + 4 * o, v)
                o++
                i1 += step1
                i2 += step2
            }
        }
    }

    export function squaredDifferenceInt32(p: Buffer, model: Buffer, arena: Buffer): void {
        const in1 = paramBuffer(p, ElementwiseParams.Input1, model, arena)
        const at1 = paramOffset(p, ElementwiseParams.Input1)
        const in2 = paramBuffer(p, ElementwiseParams.Input2, model, arena)
        const at2 = paramOffset(p, ElementwiseParams.Input2)
        const out = paramBuffer(p, ElementwiseParams.Output, model, arena)
        const outAt = paramOffset(p, ElementwiseParams.Output)
        const rows = param(p, ElementwiseParams.Rows)
        const inner = param(p, ElementwiseParams.Dims + BROADCAST_DIMS - 1)
        const step1 = param(p, ElementwiseParams.Strides1 + BROADCAST_DIMS - 1)
        const step2 = param(p, ElementwiseParams.Strides2 + BROADCAST_DIMS - 1)
        let o = 0
        for (let r = 0; r < rows; r++) {
            let i1 = rowStart(p, r, ElementwiseParams.Strides1)
            let i2 = rowStart(p, r, ElementwiseParams.Strides2)
            for (let c = 0; c < inner; c++) {
                // int32 arithmetic wrapping as x86's (C++ leaves the overflow undefined).
                const d = (in1.getNumber(NumberFormat.Int32LE, at1 + 4 * i1) - in2.getNumber(NumberFormat.Int32LE, at2 + 4 * i2)) | 0
                out.setNumber(NumberFormat.Int32LE, outAt + 4 * o, Math.imul(d, d))
                o++
                i1 += step1
                i2 += step2
            }
        }
    }

    export function squaredDifferenceInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        quantizedBinary(p, model, arena, NumberFormat.Int8LE, 1, NumberFormat.Int8LE, 1, QuantizedBinaryOp.SquaredDifference)
    }
    export function squaredDifferenceInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        quantizedBinary(p, model, arena, NumberFormat.Int16LE, 2, NumberFormat.Int16LE, 2, QuantizedBinaryOp.SquaredDifference)
    }
    export function preluInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        quantizedBinary(p, model, arena, NumberFormat.Int8LE, 1, NumberFormat.Int8LE, 1, QuantizedBinaryOp.Prelu)
    }
    export function preluInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        quantizedBinary(p, model, arena, NumberFormat.Int16LE, 2, NumberFormat.Int8LE, 1, QuantizedBinaryOp.Prelu)
    }
}
