namespace tflite {
    // Comparisons and logic: EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL,
    // LOGICAL_AND and LOGICAL_OR, each writing a BOOL output (one byte, 0 or 1) with NumPy-style
    // broadcasting, as TFLM's comparisons.cc and logical_common.cc, and LOGICAL_NOT (elementwise.cc)
    // as a comparison of its input with itself whose result is "x is 0". FILL and ZEROS_LIKE at the
    // end of the file.
    //
    // Broadcasting: TFLM's BroadcastBinaryOpSimple walks up to 8 dimensions, but every tensor shape
    // it reads is a RuntimeShape, which holds at most 6 (a 7-D tensor stops TFLM at a check), so
    // this walk has 6 (WALK_DIMS) and more are refused. Prepare right-aligns the input shapes, gives each input an element stride per
    // dimension (0 where it repeats) and merges neighbouring dimensions that every input walks alike;
    // equal shapes become one flat run. Each output element depends on one element of each input,
    // so the order of the walk does not change any value.
    //
    // Types, as TFLM's Eval switches:
    // - EQUAL and NOT_EQUAL: bool, float32, int32, int64, int8; LESS, LESS_EQUAL, GREATER and
    //   GREATER_EQUAL: float32, int32, int64, int8. float32, int32, int64 and bool compare the stored
    //   values (a NaN is unequal to everything, -0 equals 0).
    // - int8 compares rescaled values: each input plus minus its zero point, times 2^8, times a
    //   fixed-point multiplier of its scale (MultiplyByQuantizedMultiplierSmallerThanOneExp), so two
    //   inputs of different quantizations compare as the reals they stand for, to within that
    //   rounding. TFLM computes the multipliers with QuantizeMultiplierSmallerThanOneExp, which aborts
    //   unless 0 < scale < 1 (an unquantized int8 input, scale 0, too): those models are refused.
    // - TFLM's GREATER also lists int16, but its prepare computes the rescaling for int8 inputs only,
    //   so an int16 GREATER compares values scaled by whatever its OpData's memory held (zeros: every
    //   output false). That is no comparison: int16 is refused.
    // - LOGICAL_AND and LOGICAL_OR read both inputs as bool (C++'s && and ||), LOGICAL_NOT its one
    //   input (TFLM requires bool for it, and for its output).
    // TFLM checks neither that the inputs have one type nor that the output is bool, and walks
    // whatever shapes it gets: here the inputs must share a type, the output must be bool, and the
    // shapes must broadcast to the output's.

    /** Parameter block of the compare_* bodies (words). */
    export const enum CompareParams {
        Input1 = 0, Input2 = 2, Output = 4,
        /** Which comparison or logic (CompareKind). */
        Kind = 6,
        /** The output walk: Rows = Dims[0] * ... * Dims[4] rows of Dims[5] elements each. */
        Rows = 7,
        /** Six output dimensions, outermost first, padded with leading 1s. */
        Dims = 8,
        /** Per input, the element stride along each of the six dimensions (0 where it repeats). */
        Strides1 = 14, Strides2 = 20,
        /** int8 only: the headroom shift applied to both inputs (TFLM's kLeftShift, 8). */
        LeftShift = 26,
        /** int8 only: per input, minus its zero point, then its scale's (multiplier, shift) pair. */
        Input1Offset = 27, Input1Multiplier = 28, Input1Shift = 29,
        Input2Offset = 30, Input2Multiplier = 31, Input2Shift = 32,
        Size = 33,
    }

    /** What a compare body computes from a pair of values. */
    export const enum CompareKind {
        Equal = 0, NotEqual = 1, Less = 2, LessEqual = 3, Greater = 4, GreaterEqual = 5,
        LogicalAnd = 6, LogicalOr = 7,
        /** The first input is 0 (the second is the same tensor). */
        LogicalNot = 8,
    }

    /** Dimensions of the broadcast walk: TFLM's RuntimeShape holds up to 6. */
    const WALK_DIMS = 6

    export function registerCompareKernels(): void {
        registerBuiltin(BuiltinOp.EQUAL, op => prepareCompare(op, CompareKind.Equal))
        registerBuiltin(BuiltinOp.NOT_EQUAL, op => prepareCompare(op, CompareKind.NotEqual))
        registerBuiltin(BuiltinOp.LESS, op => prepareCompare(op, CompareKind.Less))
        registerBuiltin(BuiltinOp.LESS_EQUAL, op => prepareCompare(op, CompareKind.LessEqual))
        registerBuiltin(BuiltinOp.GREATER, op => prepareCompare(op, CompareKind.Greater))
        registerBuiltin(BuiltinOp.GREATER_EQUAL, op => prepareCompare(op, CompareKind.GreaterEqual))
        registerBuiltin(BuiltinOp.LOGICAL_AND, op => prepareCompare(op, CompareKind.LogicalAnd))
        registerBuiltin(BuiltinOp.LOGICAL_OR, op => prepareCompare(op, CompareKind.LogicalOr))
        registerBuiltin(BuiltinOp.LOGICAL_NOT, prepareLogicalNot)
        registerBuiltin(BuiltinOp.FILL, prepareFill)
        registerBuiltin(BuiltinOp.ZEROS_LIKE, prepareZerosLike)
        registerBody("compare_bool", compareBool)
        registerBody("compare_int8", compareInt8)
        registerBody("compare_int32", compareInt32)
        registerBody("compare_int64", compareInt64)
        registerBody("compare_float", compareFloat)
        registerBody("fill_bytes", fillBytes)
    }

    function prepareCompare(op: Operator, kind: CompareKind): void {
        const input1 = op.input(0)
        const input2 = op.input(1)
        const output = op.output(0)
        op.check(op.inputs.length === 2 && op.outputs.length === 1 && !!input1 && !!input2, "needs two inputs and an output")
        const type = input1.type
        op.check(input2.type === type, "inputs " + typeName(type) + " and " + typeName(input2.type) + " must have one type")
        op.check(output.type === TensorType.Bool, "output " + output.describe() + " must be BOOL")
        const logical = kind >= CompareKind.LogicalAnd
        const equality = kind <= CompareKind.NotEqual
        let body = ""
        if (type === TensorType.Bool && (logical || equality)) body = "compare_bool"
        else if (!logical && type === TensorType.Float32) body = "compare_float"
        else if (!logical && type === TensorType.Int32) body = "compare_int32"
        else if (!logical && type === TensorType.Int64) body = "compare_int64"
        else if (!logical && type === TensorType.Int8) body = "compare_int8"
        op.check(body !== "", "unsupported input type " + typeName(type))
        const p = op.useBody(body, CompareParams.Size)
        op.paramTensor(CompareParams.Input1, input1)
        op.paramTensor(CompareParams.Input2, input2)
        op.paramTensor(CompareParams.Output, output)
        setParam(p, CompareParams.Kind, kind)
        setParams(p, CompareParams.Rows, broadcastWalkWords(op, [input1, input2], output))
        if (type !== TensorType.Int8) return
        setParam(p, CompareParams.LeftShift, 8)
        const inputs = [input1, input2]
        for (let i = 0; i < 2; i++) {
            const t = inputs[i]
            op.check(t.scale > 0 && t.scale < 1 && t.scales.length === 1,
                "int8 " + t.describe() + " needs one scale between 0 and 1 (TFLM rescales by it as a fraction)")
            // A float32 below 1 is at most 1 - 2^-24, so its multiplier never rounds up to 2^31:
            // the shift is at most 0, as TFLM checks.
            const m = quantizeMultiplierSmallerThanOneExp(t.scale)
            setParam(p, CompareParams.Input1Offset + 3 * i, -t.zeroPoint)
            setParam(p, CompareParams.Input1Multiplier + 3 * i, m[0])
            setParam(p, CompareParams.Input1Shift + 3 * i, m[1])
        }
    }

    /** LOGICAL_NOT: a bool input and output of one shape, walked as a comparison of the input with itself. */
    function prepareLogicalNot(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        op.check(op.inputs.length === 1 && op.outputs.length === 1 && !!input, "needs one input and one output")
        op.check(input.type === TensorType.Bool && output.type === TensorType.Bool,
            "input " + input.describe() + " and output " + output.describe() + " must be BOOL")
        const p = op.useBody("compare_bool", CompareParams.Size)
        op.paramTensor(CompareParams.Input1, input)
        op.paramTensor(CompareParams.Input2, input)
        op.paramTensor(CompareParams.Output, output)
        setParam(p, CompareParams.Kind, CompareKind.LogicalNot)
        setParams(p, CompareParams.Rows, broadcastWalkWords(op, [input, input], output))
    }

    /**
     * The words from CompareParams.Rows on: the output walk (rows, then WALK_DIMS dimensions) and,
     * per input, its element strides along them. Fails unless the input shapes broadcast to the
     * output's (leading 1s aside).
     */
    export function broadcastWalkWords(op: Operator, inputs: Tensor[], out: Tensor): number[] {
        let rank = 0
        for (let i = 0; i < inputs.length; i++) rank = Math.max(rank, inputs[i].rank())
        op.check(rank <= WALK_DIMS && out.rank() <= WALK_DIMS,
            "at most " + WALK_DIMS + " dimensions are supported, not " + Math.max(rank, out.rank()))
        const dims: number[] = []
        const strides: number[][] = []
        for (let i = 0; i < inputs.length; i++) strides.push([])
        for (let k = 0; k < rank; k++) {
            let d = 1
            for (let i = 0; i < inputs.length; i++) {
                const t = inputs[i]
                const di = k < rank - t.rank() ? 1 : t.dim(k - rank + t.rank())
                if (di !== 1) {
                    if (d !== 1 && d !== di) {
                        let shapes = ""
                        for (let j = 0; j < inputs.length; j++) shapes += (j ? " and [" : "[") + listText(inputs[j].shape, ",") + "]"
                        op.check(false, "shapes " + shapes + " do not broadcast")
                    }
                    d = di
                }
                strides[i].push(di === 1 ? 0 : 1)
            }
            dims.push(d)
        }
        // The output's shape must be the broadcast shape (leading 1s aside): TFLM walks the output.
        let want = 0
        while (want < rank && dims[want] === 1) want++
        let got = 0
        while (got < out.rank() && out.dim(got) === 1) got++
        let same = rank - want === out.rank() - got
        for (let k = 0; same && k < rank - want; k++) same = dims[want + k] === out.dim(got + k)
        op.check(same, "output " + out.describe() + " must have the broadcast shape [" + listText(dims, ",") + "]")
        // Element strides, innermost first: each input advances only along its own dimensions.
        for (let i = 0; i < inputs.length; i++) {
            let step = 1
            for (let k = rank - 1; k >= 0; k--) {
                if (strides[i][k]) {
                    strides[i][k] = step
                    step *= dims[k]
                }
            }
        }
        // Merge neighbours that every input walks contiguously (or repeats); drop 1s.
        const mDims: number[] = []
        const mStrides: number[][] = []
        for (let i = 0; i < inputs.length; i++) mStrides.push([])
        for (let k = 0; k < rank; k++) {
            if (dims[k] === 1) continue
            const last = mDims.length - 1
            let merge = last >= 0
            for (let i = 0; merge && i < inputs.length; i++) merge = mStrides[i][last] === strides[i][k] * dims[k]
            if (merge) mDims[last] *= dims[k]
            else mDims.push(dims[k])
            for (let i = 0; i < inputs.length; i++) {
                if (merge) mStrides[i][last] = strides[i][k]
                else mStrides[i].push(strides[i][k])
            }
        }
        const pad = WALK_DIMS - mDims.length
        let rows = 1
        const words: number[] = [0]
        for (let k = 0; k < WALK_DIMS; k++) {
            const d = k < pad ? 1 : mDims[k - pad]
            if (k < WALK_DIMS - 1) rows *= d
            words.push(d)
        }
        words[0] = rows
        for (let i = 0; i < inputs.length; i++)
            for (let k = 0; k < WALK_DIMS; k++) words.push(k < pad ? 0 : mStrides[i][k - pad])
        return words
    }

    /**
     * The element index where the input whose strides start at word `strides` starts output row
     * `row` (the walk's dimensions at word `dims`).
     */
    export function walkRowStart(p: Buffer, row: number, dims: number, strides: number): number {
        let at = 0
        for (let k = WALK_DIMS - 2; k >= 0 && row > 0; k--) {
            const d = param(p, dims + k)
            const q = Math.idiv(row, d)
            at += (row - q * d) * param(p, strides + k)
            row = q
        }
        return at
    }

    /** The element types of the compare bodies. */
    const enum CompareType { Bool, Int8, Int32, Int64, Float }

    /**
     * Every output element: 1 when the comparison (or logic) of its two input elements holds, else 0.
     * Each pair is first made two numbers x and y that compare as the stored values do: int64 pairs
     * as the sign of their difference against 0 (a double cannot hold every int64), int8 as TFLM's
     * rescaled values.
     */
    function compareElements(p: Buffer, model: Buffer, arena: Buffer, type: CompareType): void {
        const in1 = paramBuffer(p, CompareParams.Input1, model, arena)
        const at1 = paramOffset(p, CompareParams.Input1)
        const in2 = paramBuffer(p, CompareParams.Input2, model, arena)
        const at2 = paramOffset(p, CompareParams.Input2)
        const out = paramBuffer(p, CompareParams.Output, model, arena)
        const outAt = paramOffset(p, CompareParams.Output)
        const kind = param(p, CompareParams.Kind)
        const rows = param(p, CompareParams.Rows)
        const inner = param(p, CompareParams.Dims + WALK_DIMS - 1)
        const step1 = param(p, CompareParams.Strides1 + WALK_DIMS - 1)
        const step2 = param(p, CompareParams.Strides2 + WALK_DIMS - 1)
        const headroom = 1 << param(p, CompareParams.LeftShift)
        const offset1 = param(p, CompareParams.Input1Offset)
        const m1 = param(p, CompareParams.Input1Multiplier)
        const s1 = param(p, CompareParams.Input1Shift)
        const offset2 = param(p, CompareParams.Input2Offset)
        const m2 = param(p, CompareParams.Input2Multiplier)
        const s2 = param(p, CompareParams.Input2Shift)
        let o = outAt
        for (let r = 0; r < rows; r++) {
            let i1 = walkRowStart(p, r, CompareParams.Dims, CompareParams.Strides1)
            let i2 = walkRowStart(p, r, CompareParams.Dims, CompareParams.Strides2)
            for (let c = 0; c < inner; c++) {
                let x = 0
                let y = 0
                switch (type) {
                    case CompareType.Bool:
                        x = in1[at1 + i1]
                        y = in2[at2 + i2]
                        break
                    case CompareType.Int8:
                        x = multiplyByQuantizedMultiplierSmallerThanOneExp(Math.imul(int8At(in1, at1, i1) + offset1, headroom), m1, s1)
                        y = multiplyByQuantizedMultiplierSmallerThanOneExp(Math.imul(int8At(in2, at2, i2) + offset2, headroom), m2, s2)
                        break
                    case CompareType.Int32:
                        x = in1.getNumber(NumberFormat.Int32LE, at1 + 4 * i1)
                        y = in2.getNumber(NumberFormat.Int32LE, at2 + 4 * i2)
                        break
                    case CompareType.Int64: {
                        // The high words signed, then the low words unsigned.
                        const hi1 = in1.getNumber(NumberFormat.Int32LE, at1 + 8 * i1 + 4)
                        const hi2 = in2.getNumber(NumberFormat.Int32LE, at2 + 8 * i2 + 4)
                        const lo1 = in1.getNumber(NumberFormat.UInt32LE, at1 + 8 * i1)
                        const lo2 = in2.getNumber(NumberFormat.UInt32LE, at2 + 8 * i2)
                        x = hi1 !== hi2 ? (hi1 < hi2 ? -1 : 1) : lo1 !== lo2 ? (lo1 < lo2 ? -1 : 1) : 0
                        break
                    }
                    default:
                        x = in1.getNumber(NumberFormat.Float32LE, at1 + 4 * i1)
                        y = in2.getNumber(NumberFormat.Float32LE, at2 + 4 * i2)
                        break
                }
                let v = false
                switch (kind) {
                    case CompareKind.Equal: v = x === y; break
                    case CompareKind.NotEqual: v = x !== y; break
                    case CompareKind.Less: v = x < y; break
                    case CompareKind.LessEqual: v = x <= y; break
                    case CompareKind.Greater: v = x > y; break
                    case CompareKind.GreaterEqual: v = x >= y; break
                    case CompareKind.LogicalAnd: v = x !== 0 && y !== 0; break
                    case CompareKind.LogicalOr: v = x !== 0 || y !== 0; break
                    default: v = x === 0; break
                }
                out[o++] = v ? 1 : 0
                i1 += step1
                i2 += step2
            }
        }
    }

    export function compareBool(p: Buffer, model: Buffer, arena: Buffer): void { compareElements(p, model, arena, CompareType.Bool) }
    export function compareInt8(p: Buffer, model: Buffer, arena: Buffer): void { compareElements(p, model, arena, CompareType.Int8) }
    export function compareInt32(p: Buffer, model: Buffer, arena: Buffer): void { compareElements(p, model, arena, CompareType.Int32) }
    export function compareInt64(p: Buffer, model: Buffer, arena: Buffer): void { compareElements(p, model, arena, CompareType.Int64) }
    export function compareFloat(p: Buffer, model: Buffer, arena: Buffer): void { compareElements(p, model, arena, CompareType.Float) }

    // FILL (fill.cc): the output, whose shape a constant 1-D dims tensor (int8, int16, int32 or
    // int64) repeats, is the scalar value input repeated; float32, int32 and int8 (TFLM's Eval
    // fails on the others), bytes copied as they are (a quantized value keeps its bytes).
    // ZEROS_LIKE (zeros_like.cc): the output, of the input's type and size (int64, int32, int8 or
    // float32), all zero bytes (0 itself, not a zero point). One body serves both.

    /** Parameter block of the fill_bytes body (words). */
    export const enum FillParams {
        /** The value to repeat (absent: zeros). */
        Value = 0,
        Output = 2,
        /** Elements of the output, and bytes of each. */
        Count = 4, ElementBytes = 5,
        Size = 6,
    }

    function prepareFill(op: Operator): void {
        const dims = op.input(0)
        const value = op.input(1)
        const output = op.output(0)
        op.check(op.inputs.length === 2 && op.outputs.length === 1 && !!dims && !!value, "needs a dims and a value input and one output")
        op.check(value.rank() === 0, "the value " + value.describe() + " must be a scalar")
        op.check(value.type === output.type, "the value " + value.describe() + " and output " + output.describe() + " must have one type")
        op.check(dims.isConst, "the dims " + dims.describe() + " must be constant")
        op.check(dims.rank() === 1 && dims.dim(0) === output.rank(),
            "the dims " + dims.describe() + " must list the " + output.rank() + " dimensions of output " + output.describe())
        const t = dims.type
        op.check(t === TensorType.Int8 || t === TensorType.Int16 || t === TensorType.Int32 || t === TensorType.Int64,
            "unsupported dims type " + typeName(t))
        for (let i = 0; i < output.rank(); i++)
            op.check(dims.get(i) === output.dim(i), "the dims " + dims.describe() + " disagree with output " + output.describe() + " in dimension " + i)
        const type = output.type
        op.check(type === TensorType.Float32 || type === TensorType.Int32 || type === TensorType.Int8, "unsupported type " + typeName(type))
        const p = op.useBody("fill_bytes", FillParams.Size)
        op.paramTensor(FillParams.Value, value)
        op.paramTensor(FillParams.Output, output)
        setParam(p, FillParams.Count, output.elementCount())
        setParam(p, FillParams.ElementBytes, typeSize(type))
    }

    function prepareZerosLike(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        op.check(op.inputs.length === 1 && op.outputs.length === 1 && !!input, "needs one input and one output")
        const type = input.type
        op.check(type === TensorType.Int64 || type === TensorType.Int32 || type === TensorType.Int8 || type === TensorType.Float32,
            "unsupported type " + typeName(type))
        op.check(output.type === type && output.elementCount() === input.elementCount(),
            "output " + output.describe() + " must have the type and size of input " + input.describe())
        const p = op.useBody("fill_bytes", FillParams.Size)
        op.paramTensor(FillParams.Value, null)
        op.paramTensor(FillParams.Output, output)
        setParam(p, FillParams.Count, output.elementCount())
        setParam(p, FillParams.ElementBytes, typeSize(type))
    }

    /** Every output element: the value's bytes, or zeros without a value. */
    export function fillBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const value = paramBuffer(p, FillParams.Value, model, arena)
        const valueAt = paramOffset(p, FillParams.Value)
        const out = paramBuffer(p, FillParams.Output, model, arena)
        const outAt = paramOffset(p, FillParams.Output)
        const size = param(p, FillParams.ElementBytes)
        const end = outAt + param(p, FillParams.Count) * size
        for (let b = 0; b < size; b++) {
            const v = value ? value[valueAt + b] : 0
            for (let o = outAt + b; o < end; o += size) out[o] = v
        }
    }
}
