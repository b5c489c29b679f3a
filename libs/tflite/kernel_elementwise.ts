namespace tflite {
    // Element-wise binary ops: ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, with NumPy-style broadcasting.
    //
    // Broadcasting: both input shapes are right-aligned against the output's; a dimension of 1 (or
    // a missing one) repeats along the other input's dimension. Prepare turns this into a walk over
    // at most 6 dimensions with per-input element strides, 0 along repeated dimensions, and merges
    // neighbouring dimensions that both inputs walk alike. Equal shapes thus become one flat run
    // (TFLM's non-broadcast fast path) and a scalar or a row against a tensor a single loop with
    // stride 0. The value at each output position is the same as in TFLM's BroadcastBinaryOpSimple
    // and NdArrayDesc walks, whatever the loop order, since each output depends on one input pair.
    //
    // Arithmetic per type, as TFLM's reference kernels:
    // - float32: one float32 operation, then the fused activation's clamp. With no activation TFLM
    //   still clamps to +-FLT_MAX (CalculateActivationRange<float>), so an infinity becomes FLT_MAX.
    // - int32: C int32 arithmetic wrapping modulo 2^32; DIV truncates toward zero. ADD ignores the
    //   fused activation (TFLM passes the whole int32 range); SUB, MUL and DIV clamp to it.
    // - int8/int16 ADD and SUB: each input, offset by its zero point and shifted left by 20 bits
    //   (15 for int16) for headroom, is scaled by input_scale / (2 * max_input_scale); the sum or
    //   difference is scaled by 2 * max_input_scale / (2^left_shift * output_scale). Each scaling is
    //   a fixed-point multiply (MultiplyByQuantizedMultiplierSmallerThanOneExp).
    // - int8/int16 MUL: (a - a_zp) * (b - b_zp) scaled once by a_scale * b_scale / output_scale.
    // - MAXIMUM/MINIMUM compare the stored values as they are, without rescaling (TFLM does not
    //   rescale either: the converter gives inputs and output one quantization).

    /** Parameter block of every elementwise body (words). */
    export const enum ElementwiseParams {
        Input1 = 0, Input2 = 2, Output = 4,
        /** The output walk: Rows = Dims[0] * ... * Dims[4] rows of Dims[5] elements each. */
        Rows = 6,
        /** Six output dimensions, outermost first, padded with leading 1s. */
        Dims = 7,
        /** Per input, the element stride along each of the six dimensions (0 where it repeats). */
        Strides1 = 13, Strides2 = 19,
        /** Clamp bounds: int32 for integer bodies, float32 bits for *_float bodies. */
        ActivationMin = 25, ActivationMax = 26,
        /** Quantized only: minus the input zero points, the output zero point. */
        Input1Offset = 27, Input2Offset = 28, OutputOffset = 29,
        /** Quantized ADD/SUB only: the headroom shift applied to both inputs (20, or 15 for int16). */
        LeftShift = 30,
        /** Quantized ADD/SUB only: the (multiplier, shift) pairs scaling each input. */
        Input1Multiplier = 31, Input1Shift = 32, Input2Multiplier = 33, Input2Shift = 34,
        /** Quantized only: the (multiplier, shift) pair scaling the result to output units. */
        OutputMultiplier = 35, OutputShift = 36,
        Size = 37,
    }

    /** The arithmetic of a body: which op its shared loop applies. */
    const enum BinaryOp { Add, Sub, Mul, Div, Maximum, Minimum }

    /**
     * The quantized ops whose bodies walk ElementwiseParams' block with quantizedBinary: ADD, SUB
     * and MUL here, SQUARED_DIFFERENCE and PRELU in kernel_math.ts.
     */
    export const enum QuantizedBinaryOp { Add, Sub, Mul, SquaredDifference, Prelu }

    export const BROADCAST_DIMS = 6

    export function registerElementwiseKernels(): void {
        registerBuiltin(BuiltinOp.ADD, op => prepareElementwise(op, BinaryOp.Add))
        registerBuiltin(BuiltinOp.SUB, op => prepareElementwise(op, BinaryOp.Sub))
        registerBuiltin(BuiltinOp.MUL, op => prepareElementwise(op, BinaryOp.Mul))
        registerBuiltin(BuiltinOp.DIV, op => prepareElementwise(op, BinaryOp.Div))
        registerBuiltin(BuiltinOp.MAXIMUM, op => prepareElementwise(op, BinaryOp.Maximum))
        registerBuiltin(BuiltinOp.MINIMUM, op => prepareElementwise(op, BinaryOp.Minimum))
        registerBody("add_int8", addInt8)
        registerBody("add_int16", addInt16)
        registerBody("add_int32", addInt32)
        registerBody("add_float", addFloat)
        registerBody("sub_int8", subInt8)
        registerBody("sub_int16", subInt16)
        registerBody("sub_int32", subInt32)
        registerBody("sub_float", subFloat)
        registerBody("mul_int8", mulInt8)
        registerBody("mul_int16", mulInt16)
        registerBody("mul_int32", mulInt32)
        registerBody("mul_float", mulFloat)
        registerBody("div_int32", divInt32)
        registerBody("div_float", divFloat)
        registerBody("maximum_int8", maximumInt8)
        registerBody("maximum_int16", maximumInt16)
        registerBody("maximum_int32", maximumInt32)
        registerBody("maximum_float", maximumFloat)
        registerBody("minimum_int8", minimumInt8)
        registerBody("minimum_int16", minimumInt16)
        registerBody("minimum_int32", minimumInt32)
        registerBody("minimum_float", minimumFloat)
    }

    const OP_BODY_NAMES = ["add", "sub", "mul", "div", "maximum", "minimum"]

    function prepareElementwise(op: Operator, kind: BinaryOp): void {
        const input1 = op.input(0)
        const input2 = op.input(1)
        const output = op.output(0)
        op.check(!!input1 && !!input2 && !!output, "needs two inputs and an output")
        const type = output.type
        op.check(input1.type === type && input2.type === type,
            "inputs " + typeName(input1.type) + " and " + typeName(input2.type) + " must both be of the output's type " + typeName(type))
        let suffix = ""
        if (type === TensorType.Float32) suffix = "float"
        else if (type === TensorType.Int32) suffix = "int32"
        else if (type === TensorType.Int8 && kind !== BinaryOp.Div) suffix = "int8"
        else if (type === TensorType.Int16 && kind !== BinaryOp.Div) suffix = "int16"
        op.check(suffix !== "", "unsupported type " + typeName(type))
        // MAXIMUM and MINIMUM have no options; the others keep the fused activation in field 0.
        const hasActivation = kind !== BinaryOp.Maximum && kind !== BinaryOp.Minimum
        const activation = hasActivation ? op.optByte(0, Activation.None) : Activation.None
        op.check(activation <= Activation.Relu6, "unsupported fused activation " + activation)

        const p = op.useBody(OP_BODY_NAMES[kind] + "_" + suffix, ElementwiseParams.Size)
        op.paramTensor(ElementwiseParams.Input1, input1)
        op.paramTensor(ElementwiseParams.Input2, input2)
        op.paramTensor(ElementwiseParams.Output, output)
        setParams(p, ElementwiseParams.Rows, broadcastWalk(op, input1, input2, output))

        if (type === TensorType.Float32) {
            // MAXIMUM and MINIMUM clamp to nothing: an infinity stays infinite.
            const range = hasActivation ? floatActivationRange(activation) : [-Infinity, Infinity]
            setParamFloat(p, ElementwiseParams.ActivationMin, range[0])
            setParamFloat(p, ElementwiseParams.ActivationMax, range[1])
        } else if (type === TensorType.Int32) {
            // As TFLM: int32 ADD clamps to nothing, whatever its fused activation.
            const range = kind === BinaryOp.Add ? [INT32_MIN, INT32_MAX] : int32ActivationBounds(activation)
            setParam(p, ElementwiseParams.ActivationMin, range[0])
            setParam(p, ElementwiseParams.ActivationMax, range[1])
            if (kind === BinaryOp.Add || kind === BinaryOp.Sub || kind === BinaryOp.Div) {
                op.check(input1.scale === 0 && input2.scale === 0 && (kind !== BinaryOp.Sub || output.scale === 0),
                    "int32 " + OP_BODY_NAMES[kind].toUpperCase() + " supports only unquantized tensors")
            }
            if (kind === BinaryOp.Div && input2.isConst) {
                const n = input2.elementCount()
                for (let i = 0; i < n; i++) op.check(input2.get(i) !== 0, "divisor " + input2.describe() + " holds a 0 at element " + i)
            }
        } else if (kind === BinaryOp.Maximum || kind === BinaryOp.Minimum) {
            const lo = type === TensorType.Int8 ? -128 : -32768
            setParam(p, ElementwiseParams.ActivationMin, lo)
            setParam(p, ElementwiseParams.ActivationMax, -lo - 1)
        } else prepareQuantized(op, p, kind, input1, input2, output, activation)
    }

    /** int8/int16 ADD, SUB and MUL: offsets, fixed-point multipliers and the activation's bounds. */
    function prepareQuantized(op: Operator, p: Buffer, kind: BinaryOp, input1: Tensor, input2: Tensor,
        output: Tensor, activation: number): void {
        const tensors = [input1, input2, output]
        for (let i = 0; i < 3; i++) {
            const t = tensors[i]
            op.check(t.scale > 0 && t.scales.length === 1, t.describe() + " needs one scale (per-tensor quantization)")
            // TFLM requires it for MUL only: ADD and SUB offsets fit their int32 arithmetic anyway.
            op.check(output.type !== TensorType.Int16 || kind !== BinaryOp.Mul || t.zeroPoint === 0,
                "int16 " + t.describe() + " must have zero point 0")
        }
        setParam(p, ElementwiseParams.Input1Offset, -input1.zeroPoint)
        setParam(p, ElementwiseParams.Input2Offset, -input2.zeroPoint)
        setParam(p, ElementwiseParams.OutputOffset, output.zeroPoint)
        const range = quantizedActivationRange(activation, output)
        setParam(p, ElementwiseParams.ActivationMin, range[0])
        setParam(p, ElementwiseParams.ActivationMax, range[1])
        if (kind === BinaryOp.Mul) {
            // TFLM: the product of the input scales over the output scale, all in double.
            const m = quantizeMultiplier(input1.scale * input2.scale / output.scale)
            setParam(p, ElementwiseParams.OutputMultiplier, m[0])
            setParam(p, ElementwiseParams.OutputShift, m[1])
            return
        }
        const leftShift = output.type === TensorType.Int16 ? 15 : 20
        setParam(p, ElementwiseParams.LeftShift, leftShift)
        const twiceMaxScale = 2 * Math.max(input1.scale, input2.scale)
        let multipliers: number[]
        if (kind === BinaryOp.Add) {
            // TFLM's ADD computes the three real multipliers in double...
            multipliers = [input1.scale / twiceMaxScale, input2.scale / twiceMaxScale,
                twiceMaxScale / ((1 << leftShift) * output.scale)]
        } else {
            // ...and SUB in float32 (twice the larger scale is exact in both).
            multipliers = [f32(input1.scale / twiceMaxScale), f32(input2.scale / twiceMaxScale),
                f32(twiceMaxScale / f32((1 << leftShift) * output.scale))]
        }
        for (let i = 0; i < 3; i++) {
            const m = quantizeMultiplierSmallerThanOneExp(multipliers[i])
            // The scaling only divides: a shift > 0 (output scale below 2^-left_shift of the
            // inputs') is outside what TFLM's fixed-point path can represent.
            op.check(m[1] <= 0, "output scale " + output.scale + " is too small for input scales " + input1.scale + " and " + input2.scale)
            setParam(p, ElementwiseParams.Input1Multiplier + 2 * i, m[0])
            setParam(p, ElementwiseParams.Input1Multiplier + 2 * i + 1, m[1])
        }
    }

    /** int32 clamp bounds as TFLM's CalculateActivationRange<int32_t>. */
    function int32ActivationBounds(activation: number): number[] {
        if (activation === Activation.Relu) return [0, INT32_MAX]
        if (activation === Activation.Relu6) return [0, 6]
        if (activation === Activation.ReluN1To1) return [-1, 1]
        return [INT32_MIN, INT32_MAX]
    }

    /**
     * The words from ElementwiseParams.Rows to Strides2 + 5: how to walk the output and where each
     * input's element is for every output element. Fails unless the shapes broadcast to the output's.
     */
    export function broadcastWalk(op: Operator, a: Tensor, b: Tensor, out: Tensor): number[] {
        const rank = Math.max(a.rank(), b.rank())
        op.check(rank <= BROADCAST_DIMS && out.rank() <= BROADCAST_DIMS,
            "at most " + BROADCAST_DIMS + " dimensions are supported, not " + Math.max(rank, out.rank()))
        const dims: number[] = []
        const strideA: number[] = []
        const strideB: number[] = []
        for (let k = 0; k < rank; k++) {
            const da = k < rank - a.rank() ? 1 : a.dim(k - rank + a.rank())
            const db = k < rank - b.rank() ? 1 : b.dim(k - rank + b.rank())
            op.check(da === db || da === 1 || db === 1,
                "shapes [" + a.shape.join(",") + "] and [" + b.shape.join(",") + "] do not broadcast")
            dims.push(da === 1 ? db : da)
            strideA.push(da === 1 ? 0 : 1)
            strideB.push(db === 1 ? 0 : 1)
        }
        // The output's shape must be the broadcast shape (leading 1s aside): TFLM walks the output.
        const want = dims.slice(0)
        while (want.length > 0 && want[0] === 1) want.shift()
        const got = out.shape.slice(0)
        while (got.length > 0 && got[0] === 1) got.shift()
        op.check(want.join(",") === got.join(","),
            "output " + out.describe() + " must have the broadcast shape [" + dims.join(",") + "]")
        // Element strides, innermost first: each input advances only along its own dimensions.
        let stepA = 1
        let stepB = 1
        for (let k = rank - 1; k >= 0; k--) {
            if (strideA[k]) { strideA[k] = stepA; stepA *= dims[k] }
            if (strideB[k]) { strideB[k] = stepB; stepB *= dims[k] }
        }
        // Merge neighbours that both inputs walk contiguously (or both repeat); drop 1s.
        const mDims: number[] = []
        const mA: number[] = []
        const mB: number[] = []
        for (let k = 0; k < rank; k++) {
            if (dims[k] === 1) continue
            const last = mDims.length - 1
            if (last >= 0 && mA[last] === strideA[k] * dims[k] && mB[last] === strideB[k] * dims[k]) {
                mDims[last] *= dims[k]
                mA[last] = strideA[k]
                mB[last] = strideB[k]
            } else {
                mDims.push(dims[k])
                mA.push(strideA[k])
                mB.push(strideB[k])
            }
        }
        while (mDims.length < BROADCAST_DIMS) {
            mDims.unshift(1)
            mA.unshift(0)
            mB.unshift(0)
        }
        let rows = 1
        for (let k = 0; k < BROADCAST_DIMS - 1; k++) rows *= mDims[k]
        return [rows].concat(mDims).concat(mA).concat(mB)
    }

    /** The element index where input `strides` (Strides1 or Strides2) starts output row `row`. */
    export function rowStart(p: Buffer, row: number, strides: number): number {
        let at = 0
        for (let k = BROADCAST_DIMS - 2; k >= 0 && row > 0; k--) {
            const d = param(p, ElementwiseParams.Dims + k)
            const q = Math.idiv(row, d)
            at += (row - q * d) * param(p, strides + k)
            row = q
        }
        return at
    }

    // ---- int32 (and the raw comparisons of int8/int16) ----

    /**
     * One integer op over every output element: `format`/`bytes` give the element type. int32
     * results wrap as C's int32 (the | 0 and Math.imul), then clamp to the activation's bounds.
     */
    function integerBinary(p: Buffer, model: Buffer, arena: Buffer, format: NumberFormat, bytes: number, kind: BinaryOp): void {
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
        const lo = param(p, ElementwiseParams.ActivationMin)
        const hi = param(p, ElementwiseParams.ActivationMax)
        let o = 0
        for (let r = 0; r < rows; r++) {
            let i1 = rowStart(p, r, ElementwiseParams.Strides1)
            let i2 = rowStart(p, r, ElementwiseParams.Strides2)
            for (let c = 0; c < inner; c++) {
                const x = in1.getNumber(format, at1 + bytes * i1)
                const y = in2.getNumber(format, at2 + bytes * i2)
                let v = 0
                switch (kind) {
                    case BinaryOp.Add: v = (x + y) | 0; break
                    case BinaryOp.Sub: v = (x - y) | 0; break
                    case BinaryOp.Mul: v = Math.imul(x, y); break
                    case BinaryOp.Div:
                        // C's division by 0 is undefined (x86 traps, Cortex-M gives 0): refuse it.
                        if (y === 0) fail("DIV: int32 division by zero")
                        // Truncates toward zero; INT32_MIN / -1 wraps to INT32_MIN, as Cortex-M's SDIV.
                        v = Math.idiv(x, y) | 0
                        break
                    case BinaryOp.Maximum: v = x > y ? x : y; break
                    case BinaryOp.Minimum: v = x < y ? x : y; break
                }
                // Clamped inline: a call per element is slow in the simulator (kernel_api.ts).
                out.setNumber(format, outAt + bytes * o, v < lo ? lo : v > hi ? hi : v)
                o++
                i1 += step1
                i2 += step2
            }
        }
    }

    export function addInt32(p: Buffer, model: Buffer, arena: Buffer): void { integerBinary(p, model, arena, NumberFormat.Int32LE, 4, BinaryOp.Add) }
    export function subInt32(p: Buffer, model: Buffer, arena: Buffer): void { integerBinary(p, model, arena, NumberFormat.Int32LE, 4, BinaryOp.Sub) }
    export function mulInt32(p: Buffer, model: Buffer, arena: Buffer): void { integerBinary(p, model, arena, NumberFormat.Int32LE, 4, BinaryOp.Mul) }
    export function divInt32(p: Buffer, model: Buffer, arena: Buffer): void { integerBinary(p, model, arena, NumberFormat.Int32LE, 4, BinaryOp.Div) }
    export function maximumInt32(p: Buffer, model: Buffer, arena: Buffer): void { integerBinary(p, model, arena, NumberFormat.Int32LE, 4, BinaryOp.Maximum) }
    export function minimumInt32(p: Buffer, model: Buffer, arena: Buffer): void { integerBinary(p, model, arena, NumberFormat.Int32LE, 4, BinaryOp.Minimum) }
    export function maximumInt16(p: Buffer, model: Buffer, arena: Buffer): void { integerBinary(p, model, arena, NumberFormat.Int16LE, 2, BinaryOp.Maximum) }
    export function minimumInt16(p: Buffer, model: Buffer, arena: Buffer): void { integerBinary(p, model, arena, NumberFormat.Int16LE, 2, BinaryOp.Minimum) }
    export function maximumInt8(p: Buffer, model: Buffer, arena: Buffer): void { integerBinary(p, model, arena, NumberFormat.Int8LE, 1, BinaryOp.Maximum) }
    export function minimumInt8(p: Buffer, model: Buffer, arena: Buffer): void { integerBinary(p, model, arena, NumberFormat.Int8LE, 1, BinaryOp.Minimum) }

    // ---- float32 ----

    /**
     * One float32 op per output element, rounded to float32, then clamped as C++'s
     * std::min(std::max(v, lo), hi): a NaN passes through and -0 stays -0.
     */
    function floatBinary(p: Buffer, model: Buffer, arena: Buffer, kind: BinaryOp): void {
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
        const lo = paramFloat(p, ElementwiseParams.ActivationMin)
        const hi = paramFloat(p, ElementwiseParams.ActivationMax)
        let o = 0
        for (let r = 0; r < rows; r++) {
            let i1 = rowStart(p, r, ElementwiseParams.Strides1)
            let i2 = rowStart(p, r, ElementwiseParams.Strides2)
            for (let c = 0; c < inner; c++) {
                const x = in1.getNumber(NumberFormat.Float32LE, at1 + 4 * i1)
                const y = in2.getNumber(NumberFormat.Float32LE, at2 + 4 * i2)
                let v = 0
                switch (kind) {
                    // One double operation on float32 operands, rounded once, is the float32 result.
                    case BinaryOp.Add: v = f32(x + y); break
                    case BinaryOp.Sub: v = f32(x - y); break
                    case BinaryOp.Mul: v = f32(x * y); break
                    case BinaryOp.Div: v = f32(x / y); break
                    case BinaryOp.Maximum: v = x > y ? x : y; break
                    case BinaryOp.Minimum: v = x < y ? x : y; break
                }
                if (v < lo) v = lo
                if (hi < v) v = hi
                out.setNumber(NumberFormat.Float32LE, outAt + 4 * o, v)
                o++
                i1 += step1
                i2 += step2
            }
        }
    }

    export function addFloat(p: Buffer, model: Buffer, arena: Buffer): void { floatBinary(p, model, arena, BinaryOp.Add) }
    export function subFloat(p: Buffer, model: Buffer, arena: Buffer): void { floatBinary(p, model, arena, BinaryOp.Sub) }
    export function mulFloat(p: Buffer, model: Buffer, arena: Buffer): void { floatBinary(p, model, arena, BinaryOp.Mul) }
    export function divFloat(p: Buffer, model: Buffer, arena: Buffer): void { floatBinary(p, model, arena, BinaryOp.Div) }
    export function maximumFloat(p: Buffer, model: Buffer, arena: Buffer): void { floatBinary(p, model, arena, BinaryOp.Maximum) }
    export function minimumFloat(p: Buffer, model: Buffer, arena: Buffer): void { floatBinary(p, model, arena, BinaryOp.Minimum) }

    // ---- quantized int8/int16 ----

    /**
     * A quantized binary op over every output element, broadcasting as the block says. `format` and
     * `bytes` give the first input's and the output's type, `format2` and `bytes2` the second
     * input's (PRELU's alpha is int8 under an int16 input). The sum with the output offset wraps
     * as C's int32 would.
     */
    export function quantizedBinary(p: Buffer, model: Buffer, arena: Buffer, format: NumberFormat, bytes: number,
        format2: NumberFormat, bytes2: number, kind: QuantizedBinaryOp): void {
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
        const lo = param(p, ElementwiseParams.ActivationMin)
        const hi = param(p, ElementwiseParams.ActivationMax)
        const offset1 = param(p, ElementwiseParams.Input1Offset)
        const offset2 = param(p, ElementwiseParams.Input2Offset)
        const outputOffset = param(p, ElementwiseParams.OutputOffset)
        const headroom = 1 << param(p, ElementwiseParams.LeftShift)
        const m1 = param(p, ElementwiseParams.Input1Multiplier)
        const s1 = param(p, ElementwiseParams.Input1Shift)
        const m2 = param(p, ElementwiseParams.Input2Multiplier)
        const s2 = param(p, ElementwiseParams.Input2Shift)
        const mOut = param(p, ElementwiseParams.OutputMultiplier)
        const sOut = param(p, ElementwiseParams.OutputShift)
        let o = 0
        for (let r = 0; r < rows; r++) {
            let i1 = rowStart(p, r, ElementwiseParams.Strides1)
            let i2 = rowStart(p, r, ElementwiseParams.Strides2)
            for (let c = 0; c < inner; c++) {
                const x = in1.getNumber(format, at1 + bytes * i1) + offset1
                const y = in2.getNumber(format2, at2 + bytes2 * i2) + offset2
                let v = 0
                if (kind === QuantizedBinaryOp.Mul) {
                    v = multiplyByQuantizedMultiplier(x * y, mOut, sOut)
                } else if (kind === QuantizedBinaryOp.Prelu) {
                    // The input rescaled alone where it is not negative, times alpha below.
                    v = x >= 0 ? multiplyByQuantizedMultiplier(x, m1, s1) : multiplyByQuantizedMultiplier(Math.imul(x, y), mOut, sOut)
                } else {
                    const scaled1 = multiplyByQuantizedMultiplierSmallerThanOneExp(Math.imul(x, headroom), m1, s1)
                    const scaled2 = multiplyByQuantizedMultiplierSmallerThanOneExp(Math.imul(y, headroom), m2, s2)
                    if (kind === QuantizedBinaryOp.SquaredDifference) {
                        const d = (scaled1 - scaled2) | 0
                        v = multiplyByQuantizedMultiplier(Math.imul(d, d), mOut, sOut)
                    } else {
                        v = multiplyByQuantizedMultiplierSmallerThanOneExp(kind === QuantizedBinaryOp.Add ? scaled1 + scaled2 : scaled1 - scaled2, mOut, sOut)
                    }
                }
                out.setNumber(format, outAt + bytes * o, clamp((v + outputOffset) | 0, lo, hi))
                o++
                i1 += step1
                i2 += step2
            }
        }
    }

    export function addInt8(p: Buffer, model: Buffer, arena: Buffer): void { quantizedBinary(p, model, arena, NumberFormat.Int8LE, 1, NumberFormat.Int8LE, 1, QuantizedBinaryOp.Add) }
    export function addInt16(p: Buffer, model: Buffer, arena: Buffer): void { quantizedBinary(p, model, arena, NumberFormat.Int16LE, 2, NumberFormat.Int16LE, 2, QuantizedBinaryOp.Add) }
    export function subInt8(p: Buffer, model: Buffer, arena: Buffer): void { quantizedBinary(p, model, arena, NumberFormat.Int8LE, 1, NumberFormat.Int8LE, 1, QuantizedBinaryOp.Sub) }
    export function subInt16(p: Buffer, model: Buffer, arena: Buffer): void { quantizedBinary(p, model, arena, NumberFormat.Int16LE, 2, NumberFormat.Int16LE, 2, QuantizedBinaryOp.Sub) }
    export function mulInt8(p: Buffer, model: Buffer, arena: Buffer): void { quantizedBinary(p, model, arena, NumberFormat.Int8LE, 1, NumberFormat.Int8LE, 1, QuantizedBinaryOp.Mul) }
    export function mulInt16(p: Buffer, model: Buffer, arena: Buffer): void { quantizedBinary(p, model, arena, NumberFormat.Int16LE, 2, NumberFormat.Int16LE, 2, QuantizedBinaryOp.Mul) }
}
