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
        registerBuiltin(BuiltinOp.SELECT_V2, prepareSelect)
        registerBuiltin(BuiltinOp.ARG_MAX, op => prepareArgMinMax(op, true))
        registerBuiltin(BuiltinOp.ARG_MIN, op => prepareArgMinMax(op, false))
        registerBuiltin(BuiltinOp.ADD_N, prepareAddN)
        registerBody("compare_bool", compareBool)
        registerBody("compare_int8", compareInt8)
        registerBody("compare_int32", compareInt32)
        registerBody("compare_int64", compareInt64)
        registerBody("compare_float", compareFloat)
        registerBody("fill_bytes", fillBytes)
        registerBody("select_bytes", selectBytes)
        registerBody("arg_min_max_int8", argMinMaxInt8)
        registerBody("arg_min_max_float", argMinMaxFloat)
        registerBody("add_n_int8", addNInt8)
        registerBody("add_n_float", addNFloat)
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

    // SELECT_V2 (select.cc): output[i] = condition[i] ? x[i] : y[i] with the three inputs broadcast
    // against each other (the comparisons' walk, three strides per dimension). The condition is bool;
    // x, y and the output share one type, float32, int8 or int16, whose bytes are copied as they are.
    // TFLM checks the broadcast (CheckBroadcastShape: the output's rank must be the inputs' largest)
    // unless the three inputs have one shape or all hold one element.

    /** Parameter block of the select_bytes body (words). */
    export const enum SelectParams {
        Condition = 0, X = 2, Y = 4, Output = 6,
        /** Bytes of one element of x, y and the output. */
        ElementBytes = 8,
        /** The walk as broadcastWalkWords writes it: rows, six dimensions, then strides per input. */
        Rows = 9, Dims = 10, StridesCondition = 16, StridesX = 22, StridesY = 28,
        Size = 34,
    }

    function sameShape(a: Tensor, b: Tensor): boolean {
        if (a.rank() !== b.rank()) return false
        for (let i = 0; i < a.rank(); i++) if (a.dim(i) !== b.dim(i)) return false
        return true
    }

    function prepareSelect(op: Operator): void {
        const condition = op.input(0)
        const x = op.input(1)
        const y = op.input(2)
        const output = op.output(0)
        op.check(op.inputs.length === 3 && op.outputs.length === 1 && !!condition && !!x && !!y, "needs three inputs and an output")
        op.check(condition.type === TensorType.Bool, "condition " + condition.describe() + " must be BOOL")
        op.check(x.type === y.type && output.type === x.type,
            "x " + x.describe() + ", y " + y.describe() + " and output " + output.describe() + " must have one type")
        const type = x.type
        op.check(type === TensorType.Float32 || type === TensorType.Int8 || type === TensorType.Int16, "unsupported type " + typeName(type))
        const scalars = condition.elementCount() === 1 && x.elementCount() === 1 && y.elementCount() === 1 && output.elementCount() === 1
        if (!scalars && !(sameShape(condition, x) && sameShape(x, y))) {
            const rank = Math.max(condition.rank(), Math.max(x.rank(), y.rank()))
            op.check(output.rank() === rank, "output " + output.describe() + " must have rank " + rank + " to broadcast its inputs")
        }
        const p = op.useBody("select_bytes", SelectParams.Size)
        op.paramTensor(SelectParams.Condition, condition)
        op.paramTensor(SelectParams.X, x)
        op.paramTensor(SelectParams.Y, y)
        op.paramTensor(SelectParams.Output, output)
        setParam(p, SelectParams.ElementBytes, typeSize(type))
        setParams(p, SelectParams.Rows, broadcastWalkWords(op, [condition, x, y], output))
    }

    /** Every output element: the bytes of x's or y's element, as the condition's says. */
    export function selectBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const cond = paramBuffer(p, SelectParams.Condition, model, arena)
        const condAt = paramOffset(p, SelectParams.Condition)
        const x = paramBuffer(p, SelectParams.X, model, arena)
        const xAt = paramOffset(p, SelectParams.X)
        const y = paramBuffer(p, SelectParams.Y, model, arena)
        const yAt = paramOffset(p, SelectParams.Y)
        const out = paramBuffer(p, SelectParams.Output, model, arena)
        const size = param(p, SelectParams.ElementBytes)
        const rows = param(p, SelectParams.Rows)
        const inner = param(p, SelectParams.Dims + WALK_DIMS - 1)
        const stepC = param(p, SelectParams.StridesCondition + WALK_DIMS - 1)
        const stepX = param(p, SelectParams.StridesX + WALK_DIMS - 1)
        const stepY = param(p, SelectParams.StridesY + WALK_DIMS - 1)
        let o = paramOffset(p, SelectParams.Output)
        for (let r = 0; r < rows; r++) {
            let ic = walkRowStart(p, r, SelectParams.Dims, SelectParams.StridesCondition)
            let ix = walkRowStart(p, r, SelectParams.Dims, SelectParams.StridesX)
            let iy = walkRowStart(p, r, SelectParams.Dims, SelectParams.StridesY)
            for (let c = 0; c < inner; c++) {
                const from = cond[condAt + ic] ? x : y
                const at = cond[condAt + ic] ? xAt + size * ix : yAt + size * iy
                for (let b = 0; b < size; b++) out[o++] = from[at + b]
                ic += stepC
                ix += stepX
                iy += stepY
            }
        }
    }

    // ARG_MAX and ARG_MIN (arg_min_max.cc): along one axis, the index of the first largest (or
    // smallest) value: a later value replaces the best only when strictly greater (less), as
    // TFLM's micro kernel compares (GreaterFn/LessFn, not the NaN-aware functions of TFLite), so a
    // NaN never replaces and, first, is never replaced. float32 and int8 (raw values: one scale for
    // all) in, int32 out, the axis an int32 tensor: TFLM's Eval fails on other types (an int64
    // output too). TFLM reads the axis at every invoke; here it must be constant (a model input
    // would make the walk's sizes change between invokes), within [-rank, rank), and the output's
    // shape must be the input's without that dimension.

    /** Parameter block of the arg_min_max_* bodies (words). */
    export const enum ArgMinMaxParams {
        Input = 0, Output = 2,
        /** Elements before the axis, along it, and after it. */
        Outer = 4, AxisSize = 5, Inner = 6,
        /** 1 for ARG_MAX, 0 for ARG_MIN. */
        IsMax = 7,
        Size = 8,
    }

    function prepareArgMinMax(op: Operator, isMax: boolean): void {
        const input = op.input(0)
        const axis = op.input(1)
        const output = op.output(0)
        op.check(op.inputs.length === 2 && op.outputs.length === 1 && !!input && !!axis, "needs an input, an axis and an output")
        op.check(axis.type === TensorType.Int32, "the axis " + axis.describe() + " must be INT32")
        op.check(output.type === TensorType.Int32, "output " + output.describe() + " must be INT32")
        const type = input.type
        op.check(type === TensorType.Float32 || type === TensorType.Int8, "unsupported input type " + typeName(type))
        op.check(axis.isConst && axis.elementCount() >= 1, "the axis " + axis.describe() + " must be constant")
        const rank = input.rank()
        let a = axis.get(0)
        op.check(a >= -rank && a < rank, "axis " + a + " is out of range for input " + input.describe())
        if (a < 0) a += rank
        let same = output.rank() === rank - 1
        for (let i = 0; same && i < rank - 1; i++) same = output.dim(i) === input.dim(i < a ? i : i + 1)
        op.check(same, "output " + output.describe() + " must have the shape of input " + input.describe() + " without dimension " + a)
        op.check(input.dim(a) > 0 || output.elementCount() === 0, "dimension " + a + " of input " + input.describe() + " is 0")
        const p = op.useBody(type === TensorType.Int8 ? "arg_min_max_int8" : "arg_min_max_float", ArgMinMaxParams.Size)
        op.paramTensor(ArgMinMaxParams.Input, input)
        op.paramTensor(ArgMinMaxParams.Output, output)
        let outer = 1
        for (let i = 0; i < a; i++) outer *= input.dim(i)
        let inner = 1
        for (let i = a + 1; i < rank; i++) inner *= input.dim(i)
        setParam(p, ArgMinMaxParams.Outer, outer)
        setParam(p, ArgMinMaxParams.AxisSize, input.dim(a))
        setParam(p, ArgMinMaxParams.Inner, inner)
        setParam(p, ArgMinMaxParams.IsMax, isMax ? 1 : 0)
    }

    function argMinMax(p: Buffer, model: Buffer, arena: Buffer, isFloat: boolean): void {
        const input = paramBuffer(p, ArgMinMaxParams.Input, model, arena)
        const inAt = paramOffset(p, ArgMinMaxParams.Input)
        const out = paramBuffer(p, ArgMinMaxParams.Output, model, arena)
        const outAt = paramOffset(p, ArgMinMaxParams.Output)
        const outer = param(p, ArgMinMaxParams.Outer)
        const axisSize = param(p, ArgMinMaxParams.AxisSize)
        const inner = param(p, ArgMinMaxParams.Inner)
        const isMax = param(p, ArgMinMaxParams.IsMax) !== 0
        let o = outAt
        for (let u = 0; u < outer; u++) {
            for (let n = 0; n < inner; n++) {
                let at = u * axisSize * inner + n
                let best = isFloat ? input.getNumber(NumberFormat.Float32LE, inAt + 4 * at) : int8At(input, inAt, at)
                let index = 0
                for (let i = 1; i < axisSize; i++) {
                    at += inner
                    const v = isFloat ? input.getNumber(NumberFormat.Float32LE, inAt + 4 * at) : int8At(input, inAt, at)
                    if (isMax ? v > best : v < best) {
                        best = v
                        index = i
                    }
                }
                out.setNumber(NumberFormat.Int32LE, o, index)
                o += 4
            }
        }
    }

    export function argMinMaxInt8(p: Buffer, model: Buffer, arena: Buffer): void { argMinMax(p, model, arena, false) }
    export function argMinMaxFloat(p: Buffer, model: Buffer, arena: Buffer): void { argMinMax(p, model, arena, true) }

    // ADD_N (add_n.cc): the element-wise sum of two or more inputs of one shape and type.
    // - float32: x = 0, then x += each input's element in input order, in float32.
    // - int8 (every input one scale and zero point): TFLM's quantized ADD with one shared input
    //   scale: each term (value minus the zero point) times 2^20, times 1/2 as a fixed-point
    //   multiplier; the sum times 2 s_in / (2^20 s_out); plus the output zero point, clamped. Its sum
    //   starts from the term of a stored 0 (x = input_offset, not 0), which we add too. The sum
    //   wraps as int32 (C's would overflow past about 16 inputs). TFLM requires the output
    //   multiplier below 1 (QuantizeMultiplierSmallerThanOneExp aborts): s_out > s_in / 2^19.

    /** Parameter block of the add_n_* bodies (words); the inputs' tensor words follow it. */
    export const enum AddNParams {
        Output = 0,
        /** Elements of each input and the output, and how many inputs. */
        Count = 2, InputCount = 3,
        /** int8 only: minus the inputs' zero point, the output's zero point, the headroom shift. */
        InputOffset = 4, OutputOffset = 5, LeftShift = 6,
        /** int8 only: the (multiplier, shift) pairs of the input terms and of the sum. */
        InputMultiplier = 7, InputShift = 8, OutputMultiplier = 9, OutputShift = 10,
        /** int8 only: the clamp (the type's range). */
        ActivationMin = 11, ActivationMax = 12,
        /** Two words per input (where, offset). */
        Inputs = 13,
    }

    function prepareAddN(op: Operator): void {
        const n = op.inputs.length
        const first = op.input(0)
        const output = op.output(0)
        op.check(n >= 2 && op.outputs.length === 1, "needs two or more inputs and an output")
        for (let i = 0; i < n; i++) op.check(!!op.input(i), "input " + i + " is missing")
        op.check(output.type === first.type, "output " + output.describe() + " must have the type of input " + first.describe())
        for (let i = 1; i < n; i++) {
            const t = op.input(i)
            op.check(sameShape(t, first) && t.type === first.type,
                "input " + t.describe() + " must have the shape and type of input " + first.describe())
            op.check(t.type !== TensorType.Int8 || (t.zeroPoint === first.zeroPoint && t.scale === first.scale),
                "int8 input " + t.describe() + " must have the scale and zero point of input " + first.describe())
        }
        const type = output.type
        op.check(type === TensorType.Float32 || type === TensorType.Int8, "unsupported type " + typeName(type))
        op.check(output.elementCount() === first.elementCount(), "output " + output.describe() + " must have the size of its inputs")
        const p = op.useBody(type === TensorType.Int8 ? "add_n_int8" : "add_n_float", AddNParams.Inputs + 2 * n)
        op.paramTensor(AddNParams.Output, output)
        for (let i = 0; i < n; i++) op.paramTensor(AddNParams.Inputs + 2 * i, op.input(i))
        setParam(p, AddNParams.Count, output.elementCount())
        setParam(p, AddNParams.InputCount, n)
        if (type !== TensorType.Int8) return
        op.check(first.scale > 0 && output.scale > 0, "int8 inputs and output need a scale")
        const twiceInputScale = 2 * first.scale
        const outputReal = twiceInputScale / (1048576 * output.scale)
        op.check(outputReal < 1, "the scale of output " + output.describe() + " must be above 2^-19 of the inputs' scale")
        const mIn = quantizeMultiplierSmallerThanOneExp(first.scale / twiceInputScale)
        const mOut = quantizeMultiplierSmallerThanOneExp(outputReal)
        setParam(p, AddNParams.InputOffset, -first.zeroPoint)
        setParam(p, AddNParams.OutputOffset, output.zeroPoint)
        setParam(p, AddNParams.LeftShift, 20)
        setParam(p, AddNParams.InputMultiplier, mIn[0])
        setParam(p, AddNParams.InputShift, mIn[1])
        setParam(p, AddNParams.OutputMultiplier, mOut[0])
        setParam(p, AddNParams.OutputShift, mOut[1])
        setParam(p, AddNParams.ActivationMin, -128)
        setParam(p, AddNParams.ActivationMax, 127)
    }

    export function addNFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const out = paramBuffer(p, AddNParams.Output, model, arena)
        const outAt = paramOffset(p, AddNParams.Output)
        const count = param(p, AddNParams.Count)
        const n = param(p, AddNParams.InputCount)
        for (let i = 0; i < count; i++) {
            let x = 0
            for (let j = 0; j < n; j++) {
                const w = AddNParams.Inputs + 2 * j
                x = f32(x + paramBuffer(p, w, model, arena).getNumber(NumberFormat.Float32LE, paramOffset(p, w) + 4 * i))
            }
            out.setNumber(NumberFormat.Float32LE, outAt + 4 * i, x)
        }
    }

    export function addNInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const out = paramBuffer(p, AddNParams.Output, model, arena)
        const outAt = paramOffset(p, AddNParams.Output)
        const count = param(p, AddNParams.Count)
        const n = param(p, AddNParams.InputCount)
        const offset = param(p, AddNParams.InputOffset)
        const headroom = 1 << param(p, AddNParams.LeftShift)
        const mIn = param(p, AddNParams.InputMultiplier)
        const sIn = param(p, AddNParams.InputShift)
        const mOut = param(p, AddNParams.OutputMultiplier)
        const sOut = param(p, AddNParams.OutputShift)
        const outputOffset = param(p, AddNParams.OutputOffset)
        const lo = param(p, AddNParams.ActivationMin)
        const hi = param(p, AddNParams.ActivationMax)
        const first = multiplyByQuantizedMultiplierSmallerThanOneExp(Math.imul(offset, headroom), mIn, sIn)
        for (let i = 0; i < count; i++) {
            let sum = first
            for (let j = 0; j < n; j++) {
                const w = AddNParams.Inputs + 2 * j
                const v = int8At(paramBuffer(p, w, model, arena), paramOffset(p, w), i) + offset
                sum = (sum + multiplyByQuantizedMultiplierSmallerThanOneExp(Math.imul(v, headroom), mIn, sIn)) | 0
            }
            out[outAt + i] = clamp(multiplyByQuantizedMultiplierSmallerThanOneExp(sum, mOut, sOut) + outputOffset, lo, hi) & 0xff
        }
    }
}
