namespace tflite {
    // Shape and data-movement ops. RESHAPE, SQUEEZE and EXPAND_DIMS only give the same bytes a new
    // shape: the body copies them into the output's own place in the arena. The other movers
    // (CONCATENATION, PAD, STRIDED_SLICE, TRANSPOSE) never look at the values, so one body serves
    // every type: it moves ElementSize bytes per element, as TFLM's Transpose does per storage size.
    // MEAN is the one op here that computes, with one body per type.

    /** Parameter block of the reshape_bytes, squeeze_bytes and expand_dims_bytes bodies (words). */
    export const enum CopyParams {
        Input = 0, Output = 2,
        /** Bytes to copy: the whole tensor. */
        Bytes = 4,
    }

    const enum ReshapeOptions { NewShape = 0 }
    const enum SqueezeOptions { SqueezeDims = 0 }

    /** TFLM's fixed limits: SQUEEZE handles up to 8 dimensions. */
    const SQUEEZE_MAX_DIMS = 8

    export function registerShapeKernels(): void {
        registerBuiltin(BuiltinOp.RESHAPE, prepareReshape)
        registerBuiltin(BuiltinOp.SQUEEZE, prepareSqueeze)
        registerBuiltin(BuiltinOp.EXPAND_DIMS, prepareExpandDims)
        registerBuiltin(BuiltinOp.CONCATENATION, prepareConcatenation)
        registerBuiltin(BuiltinOp.PAD, preparePad)
        registerBuiltin(BuiltinOp.PADV2, preparePad)
        registerBuiltin(BuiltinOp.MEAN, prepareMean)
        registerBuiltin(BuiltinOp.SUM, prepareSum)
        registerBuiltin(BuiltinOp.REDUCE_MAX, prepareReduceMax)
        registerBuiltin(BuiltinOp.REDUCE_MIN, prepareReduceMin)
        registerBuiltin(BuiltinOp.REDUCE_ALL, prepareReduceAll)
        registerBuiltin(BuiltinOp.STRIDED_SLICE, prepareStridedSlice)
        registerBuiltin(BuiltinOp.TRANSPOSE, prepareTranspose)
        registerBody("reshape_bytes", copyBytes)
        registerBody("squeeze_bytes", copyBytes)
        registerBody("expand_dims_bytes", copyBytes)
        registerBody("concatenation_bytes", concatenationBytes)
        registerBody("pad_bytes", padBytes)
        registerBody("mean_int8", meanInt8)
        registerBody("mean_int16", meanInt16)
        registerBody("mean_float", meanFloat)
        registerBody("sum_int8", meanInt8)
        registerBody("sum_int16", meanInt16)
        registerBody("sum_float", sumFloat)
        registerBody("reduce_max_int8", reduceMaxInt8)
        registerBody("reduce_max_float", reduceMaxFloat)
        registerBody("reduce_min_int8", reduceMinInt8)
        registerBody("reduce_min_float", reduceMinFloat)
        registerBody("reduce_all_bool", reduceAllBool)
        registerBody("strided_slice_bytes", stridedSliceBytes)
        registerBody("transpose_bytes", transposeBytes)
    }

    function shapeText(shape: number[]): string {
        return "[" + listText(shape, ",") + "]"
    }

    function sameShape(a: number[], b: number[]): boolean {
        if (a.length !== b.length) return false
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
        return true
    }

    /** Row-major strides of a shape, in elements: the last dimension's is 1. */
    function elementStrides(shape: number[]): number[] {
        const res: number[] = []
        for (let i = 0; i < shape.length; i++) res.push(1)
        for (let i = shape.length - 2; i >= 0; i--) res[i] = res[i + 1] * shape[i + 1]
        return res
    }

    /** Copies one element of `size` bytes. */
    function copyElement(dst: Buffer, dstAt: number, src: Buffer, srcAt: number, size: number): void {
        for (let b = 0; b < size; b++) dst[dstAt + b] = src[srcAt + b]
    }

    /** Checks that `t` has a type whose elements can be moved (any type with a size in bytes). */
    function checkMovable(op: Operator, t: Tensor): void {
        op.check(typeSize(t.type) > 0, "unsupported type " + typeName(t.type) + " of " + t.describe())
    }

    /** Checks that input and output have the same type, one this interpreter can store. */
    function checkSameType(op: Operator, input: Tensor, output: Tensor): void {
        checkMovable(op, input)
        op.check(output.type === input.type, "output " + output.describe() + " must have the type of input " + input.describe())
    }

    /** Reads a constant 1-D integer tensor (a shape, axes, a permutation) in prepare. */
    function constInts(op: Operator, t: Tensor, what: string): number[] {
        op.check(t.isConst, "the " + what + " input " + t.describe() + " must be constant")
        op.check(t.type === TensorType.Int32, "the " + what + " input " + t.describe() + " must be INT32")
        const res: number[] = []
        const n = t.elementCount()
        for (let i = 0; i < n; i++) res.push(t.get(i))
        return res
    }

    /** Chooses a copy body that copies all of input's bytes to output. */
    function useCopy(op: Operator, body: string, input: Tensor, output: Tensor): void {
        const p = op.useBody(body, CopyParams.Bytes + 1)
        op.paramTensor(CopyParams.Input, input)
        op.paramTensor(CopyParams.Output, output)
        setParam(p, CopyParams.Bytes, input.bytes)
    }

    // RESHAPE: TFLM takes the output's shape from the model and checks only that the element
    // counts agree; the shape input (or the new_shape option) is not needed to run. When it is known
    // here it is checked too, with its one -1 dimension standing for whatever makes the counts agree.
    function prepareReshape(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        op.check(!!input && op.inputs.length <= 2 && op.outputs.length === 1, "needs an input, an optional shape and one output")
        checkSameType(op, input, output)
        // Old converters wrote a scalar output as shape [0] (then with no shape input).
        if (op.inputs.length === 1 && output.rank() === 1 && output.dim(0) === 0) {
            output.shape = []
            output.bytes = typeSize(output.type)
        }
        const shapeInput = op.input(1)
        let requested: number[] = null
        if (shapeInput && shapeInput.isConst) requested = constInts(op, shapeInput, "shape")
        else if (!shapeInput) {
            const newShape = op.optIntArray(ReshapeOptions.NewShape)
            if (newShape.length > 0) requested = newShape
        }
        const count = input.elementCount()
        if (requested) {
            let known = 1
            let stretch = -1
            for (let i = 0; i < requested.length; i++) {
                if (requested[i] === -1) {
                    op.check(stretch < 0, "shape " + shapeText(requested) + " has more than one -1")
                    stretch = i
                } else {
                    op.check(requested[i] >= 0, "shape " + shapeText(requested) + " has a negative dimension")
                    known *= requested[i]
                }
            }
            const resolved = stretch < 0 || known === 0 ? known : known * Math.floor(count / known)
            op.check(resolved === count, "shape " + shapeText(requested) + " does not fit the " + count + " values of input " + input.describe())
        }
        op.check(output.elementCount() === count,
            "output " + output.describe() + " must hold the " + count + " values of input " + input.describe())
        useCopy(op, "reshape_bytes", input, output)
    }

    // SQUEEZE: removes the listed dimensions of size 1 (all of them when none are listed).
    function prepareSqueeze(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        op.check(!!input && op.inputs.length === 1 && op.outputs.length === 1, "needs one input and one output")
        checkSameType(op, input, output)
        const rank = input.rank()
        op.check(rank <= SQUEEZE_MAX_DIMS, "input " + input.describe() + " has more than " + SQUEEZE_MAX_DIMS + " dimensions")
        const axes = op.optIntArray(SqueezeOptions.SqueezeDims)
        const squeeze: boolean[] = []
        for (let i = 0; i < rank; i++) squeeze.push(axes.length === 0 && input.dim(i) === 1)
        for (let i = 0; i < axes.length; i++) {
            const axis = axes[i] < 0 ? axes[i] + rank : axes[i]
            op.check(axis >= 0 && axis < rank, "squeeze axis " + axes[i] + " is out of range for input " + input.describe())
            op.check(input.dim(axis) === 1, "cannot squeeze axis " + axes[i] + " of input " + input.describe() + ": its size is not 1")
            squeeze[axis] = true
        }
        const expected: number[] = []
        for (let i = 0; i < rank; i++) if (!squeeze[i]) expected.push(input.dim(i))
        op.check(sameShape(output.shape, expected), "output " + output.describe() + " must have shape " + shapeText(expected))
        useCopy(op, "squeeze_bytes", input, output)
    }

    // EXPAND_DIMS: inserts a dimension of size 1 at the constant axis (negative counts from the end).
    function prepareExpandDims(op: Operator): void {
        const input = op.input(0)
        const axisInput = op.input(1)
        const output = op.output(0)
        op.check(!!input && !!axisInput && op.inputs.length === 2 && op.outputs.length === 1, "needs an input, an axis and one output")
        checkSameType(op, input, output)
        op.check(axisInput.rank() <= 1 && axisInput.elementCount() === 1, "the axis input " + axisInput.describe() + " must hold one value")
        const rank = input.rank()
        const given = constInts(op, axisInput, "axis")[0]
        const axis = given < 0 ? given + rank + 1 : given
        op.check(axis >= 0 && axis <= rank, "axis " + given + " is out of range for input " + input.describe())
        const expected: number[] = []
        for (let i = 0; i <= rank; i++) expected.push(i < axis ? input.dim(i) : i === axis ? 1 : input.dim(i - 1))
        op.check(sameShape(output.shape, expected), "output " + output.describe() + " must have shape " + shapeText(expected))
        useCopy(op, "expand_dims_bytes", input, output)
    }

    /** Copies a whole tensor: RESHAPE, SQUEEZE and EXPAND_DIMS. */
    export function copyBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, CopyParams.Input, model, arena)
        const inputAt = paramOffset(p, CopyParams.Input)
        const output = paramBuffer(p, CopyParams.Output, model, arena)
        const outputAt = paramOffset(p, CopyParams.Output)
        const n = param(p, CopyParams.Bytes)
        for (let i = 0; i < n; i++) output[outputAt + i] = input[inputAt + i]
    }

    // CONCATENATION: the output is, for each index of the dimensions before the axis, the input
    // runs one after another. TFLM copies int8 bytes as they are (it does not requantize inputs whose
    // scales differ) and accepts no fused activation; so does this kernel.

    /** Parameter block of concatenation_bytes (words). */
    export const enum ConcatenationParams {
        Output = 0,
        /** How many runs each input gives: the product of the output's dimensions before the axis. */
        OuterCount = 2,
        InputCount = 3,
        /** InputCount groups of ConcatenationInput.Words words, one per input, in order. */
        Inputs = 4,
    }

    /** One input's group of words in a concatenation_bytes parameter block. */
    export const enum ConcatenationInput {
        Tensor = 0,
        /** Bytes of one run: the input's dimensions from the axis on, times the element size. */
        RunBytes = 2,
        Words = 3,
    }

    const enum ConcatenationOptions { Axis = 0, FusedActivation = 1 }

    /** TFLM's limits: at most 10 inputs, of up to 6 dimensions (RuntimeShape's small size). */
    const CONCATENATION_MAX_INPUTS = 10
    const CONCATENATION_MAX_DIMS = 6

    const ACTIVATION_NAMES = ["NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"]

    function prepareConcatenation(op: Operator): void {
        const output = op.output(0)
        const n = op.inputs.length
        op.check(n >= 1 && n <= CONCATENATION_MAX_INPUTS && op.outputs.length === 1,
            "needs 1 to " + CONCATENATION_MAX_INPUTS + " inputs and one output, not " + n + " inputs")
        const activation = op.optByte(ConcatenationOptions.FusedActivation, Activation.None)
        op.check(activation === Activation.None, "unsupported fused activation " +
            (activation < ACTIVATION_NAMES.length ? ACTIVATION_NAMES[activation] : "" + activation) + " (TFLM allows none)")
        const rank = output.rank()
        op.check(rank <= CONCATENATION_MAX_DIMS, "output " + output.describe() + " has more than " + CONCATENATION_MAX_DIMS + " dimensions")
        const given = op.optInt(ConcatenationOptions.Axis, 0)
        const axis = given < 0 ? given + rank : given
        op.check(axis >= 0 && axis < rank, "axis " + given + " is out of range for output " + output.describe())
        let outer = 1
        for (let i = 0; i < axis; i++) outer *= output.dim(i)
        let inner = typeSize(output.type)
        for (let i = axis + 1; i < rank; i++) inner *= output.dim(i)
        let total = 0
        for (let k = 0; k < n; k++) {
            const input = op.input(k)
            op.check(!!input, "input " + k + " is missing")
            checkSameType(op, input, output)
            let fits = input.rank() === rank
            for (let i = 0; fits && i < rank; i++) fits = i === axis || input.dim(i) === output.dim(i)
            op.check(fits, "input " + input.describe() + " does not match output " + output.describe() + " outside axis " + axis)
            total += input.dim(axis)
        }
        op.check(total === output.dim(axis), "the inputs' sizes along axis " + axis + " add up to " + total +
            ", but output " + output.describe() + " has " + output.dim(axis))
        const p = op.useBody("concatenation_bytes", ConcatenationParams.Inputs + ConcatenationInput.Words * n)
        op.paramTensor(ConcatenationParams.Output, output)
        setParam(p, ConcatenationParams.OuterCount, outer)
        setParam(p, ConcatenationParams.InputCount, n)
        for (let k = 0; k < n; k++) {
            const w = ConcatenationParams.Inputs + ConcatenationInput.Words * k
            op.paramTensor(w + ConcatenationInput.Tensor, op.input(k))
            setParam(p, w + ConcatenationInput.RunBytes, op.input(k).dim(axis) * inner)
        }
    }

    export function concatenationBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const output = paramBuffer(p, ConcatenationParams.Output, model, arena)
        let outputAt = paramOffset(p, ConcatenationParams.Output)
        const outer = param(p, ConcatenationParams.OuterCount)
        const n = param(p, ConcatenationParams.InputCount)
        for (let k = 0; k < outer; k++) {
            for (let i = 0; i < n; i++) {
                const w = ConcatenationParams.Inputs + ConcatenationInput.Words * i
                const input = paramBuffer(p, w + ConcatenationInput.Tensor, model, arena)
                const run = param(p, w + ConcatenationInput.RunBytes)
                const inputAt = paramOffset(p, w + ConcatenationInput.Tensor) + k * run
                for (let b = 0; b < run; b++) output[outputAt + b] = input[inputAt + b]
                outputAt += run
            }
        }
    }

    // PAD and PADV2: the output is the input surrounded by constant values, paddings[d] = [before,
    // after] elements along each dimension d. The value is PADV2's third input, else 0, except that
    // int8 PAD pads with the output's zero point (the quantized 0).

    /** Parameter block of pad_bytes (words). */
    export const enum PadParams {
        Input = 0, Output = 2,
        /** PADV2's one-element constant value tensor, or none. */
        Value = 4,
        ElementSize = 6,
        /** Without a Value tensor, the pad element's little-endian bytes: an int8 output's zero point, else 0. */
        DefaultValue = 7,
        /** PAD_DIMS (output size, padding before, padding after) triples, outermost first; (1, 0, 0) make up smaller ranks. */
        Dims = 8,
    }

    /** TFLM pads up to 5 dimensions. */
    const PAD_DIMS = 5

    function preparePad(op: Operator): void {
        const input = op.input(0)
        const paddings = op.input(1)
        const value = op.input(2)
        const output = op.output(0)
        op.check(!!input && !!paddings && (op.inputs.length === 2 || op.inputs.length === 3) && op.outputs.length === 1,
            "needs an input, paddings, an optional constant value and one output")
        op.check(input.type === TensorType.Float32 || input.type === TensorType.Int8 || input.type === TensorType.Int16 ||
            input.type === TensorType.Int32, "unsupported input type " + typeName(input.type))
        checkSameType(op, input, output)
        const rank = input.rank()
        op.check(rank <= PAD_DIMS, "input " + input.describe() + " has more than " + PAD_DIMS + " dimensions")
        op.check(output.rank() === rank, "output " + output.describe() + " must have the rank of input " + input.describe())
        const pads = constInts(op, paddings, "paddings")
        op.check(pads.length === 2 * rank, "paddings " + paddings.describe() + " must hold 2 values per dimension: " + 2 * rank)
        for (let d = 0; d < rank; d++) {
            op.check(pads[2 * d] >= 0 && pads[2 * d + 1] >= 0, "negative padding " + pads[2 * d] + ", " + pads[2 * d + 1] + " of dimension " + d)
            op.check(output.dim(d) === input.dim(d) + pads[2 * d] + pads[2 * d + 1], "output " + output.describe() +
                " does not fit input " + input.describe() + " with paddings " + shapeText(pads))
        }
        let defaultValue = 0
        if (value) {
            op.check(value.type === input.type && value.elementCount() === 1, "the constant value " + value.describe() +
                " must be one " + typeName(input.type) + " value")
            if (input.type === TensorType.Int8)
                op.check(value.zeroPoint === output.zeroPoint && value.scale === output.scale,
                    "the constant value " + value.describe() + " must have the output's scale and zero point")
        } else if (input.type === TensorType.Int8) {
            op.check(output.zeroPoint >= -128 && output.zeroPoint <= 127, "output zero point " + output.zeroPoint + " is not an int8")
            defaultValue = output.zeroPoint & 0xff
        }
        const p = op.useBody("pad_bytes", PadParams.Dims + 3 * PAD_DIMS)
        op.paramTensor(PadParams.Input, input)
        op.paramTensor(PadParams.Output, output)
        op.paramTensor(PadParams.Value, value)
        setParam(p, PadParams.ElementSize, typeSize(input.type))
        setParam(p, PadParams.DefaultValue, defaultValue)
        for (let d = 0; d < PAD_DIMS; d++) {
            const axis = d - (PAD_DIMS - rank)
            const w = PadParams.Dims + 3 * d
            if (axis < 0) setParams(p, w, [1, 0, 0])
            else setParams(p, w, [output.dim(axis), pads[2 * axis], pads[2 * axis + 1]])
        }
    }

    export function padBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, PadParams.Input, model, arena)
        let inputAt = paramOffset(p, PadParams.Input)
        const output = paramBuffer(p, PadParams.Output, model, arena)
        let outputAt = paramOffset(p, PadParams.Output)
        let value = paramBuffer(p, PadParams.Value, model, arena)
        let valueAt = paramOffset(p, PadParams.Value)
        if (!value) {
            value = p
            valueAt = 4 * PadParams.DefaultValue
        }
        const size = param(p, PadParams.ElementSize)
        // Per dimension: the output size, and the range [from, to) of indices that hold input.
        const n0 = param(p, PadParams.Dims), from0 = param(p, PadParams.Dims + 1), to0 = n0 - param(p, PadParams.Dims + 2)
        const n1 = param(p, PadParams.Dims + 3), from1 = param(p, PadParams.Dims + 4), to1 = n1 - param(p, PadParams.Dims + 5)
        const n2 = param(p, PadParams.Dims + 6), from2 = param(p, PadParams.Dims + 7), to2 = n2 - param(p, PadParams.Dims + 8)
        const n3 = param(p, PadParams.Dims + 9), from3 = param(p, PadParams.Dims + 10), to3 = n3 - param(p, PadParams.Dims + 11)
        const n4 = param(p, PadParams.Dims + 12), from4 = param(p, PadParams.Dims + 13), to4 = n4 - param(p, PadParams.Dims + 14)
        for (let i0 = 0; i0 < n0; i0++) {
            const in0 = i0 >= from0 && i0 < to0
            for (let i1 = 0; i1 < n1; i1++) {
                const in1 = in0 && i1 >= from1 && i1 < to1
                for (let i2 = 0; i2 < n2; i2++) {
                    const in2 = in1 && i2 >= from2 && i2 < to2
                    for (let i3 = 0; i3 < n3; i3++) {
                        const in3 = in2 && i3 >= from3 && i3 < to3
                        for (let i4 = 0; i4 < n4; i4++) {
                            if (in3 && i4 >= from4 && i4 < to4) {
                                copyElement(output, outputAt, input, inputAt, size)
                                inputAt += size
                            } else copyElement(output, outputAt, value, valueAt, size)
                            outputAt += size
                        }
                    }
                }
            }
        }
    }

    // MEAN: each output value is the mean of the input values that share its indices outside the
    // averaged axes. As TFLM's reduce (EvalMeanHelper): float32 sums in input order and divides;
    // int8/int16 sum in int32, and the sum less Count zero points is rescaled by
    // input_scale / output_scale / Count, the 1/Count folded into the fixed-point multiplier
    // (QuantizedMeanOrSum). TFLM takes that path also when input and output have the same scale and
    // zero point (older TFLM divided the raw sum there instead; test/tflm-goldens has both cases).

    // SUM, REDUCE_MAX and REDUCE_MIN reduce as MEAN does, into the same block. SUM int8/int16 is
    // QuantizedMeanOrSum without the 1/Count fold (the mean bodies with Count's fold left out),
    // float32 the sum alone; REDUCE_MAX/MIN keep the largest/smallest value as TFLM's ReduceGeneric
    // (starting from the type's lowest/highest, replaced by each value strictly beyond it), for
    // float32 and int8, int8 only when input and output share scale and zero point (TFLM fails at
    // invoke otherwise). REDUCE_ALL is ReduceGeneric over bool only: true unless a reduced value is
    // false (TFLM's `in && current` from true).

    /** Parameter block of the mean_*, sum_*, reduce_max/min_* and reduce_all_bool bodies (words). */
    export const enum MeanParams {
        Input = 0, Output = 2,
        OutputCount = 4,
        /** Input values averaged into each output value. */
        Count = 5,
        /** Quantized only: the zero points, and the multiplier and shift with 1/Count folded in. */
        InputZeroPoint = 6, OutputZeroPoint = 7, Multiplier = 8, Shift = 9,
        /** MEAN_DIMS (size, input stride in elements) pairs of the kept dimensions, outermost first; (1, 0) fill up. */
        Kept = 10,
        /** MEAN_DIMS pairs likewise for the averaged dimensions. */
        Reduced = 20,
        Words = 30,
    }

    const enum ReducerOptions { KeepDims = 0 }

    /** Inputs of up to 5 dimensions (as the other shape ops); any of them may be averaged, as in TFLM. */
    const MEAN_DIMS = 5

    const enum ReduceKind { Mean, Sum, Max, Min, All }

    function prepareMean(op: Operator): void {
        prepareReduce(op, ReduceKind.Mean)
    }
    function prepareSum(op: Operator): void {
        prepareReduce(op, ReduceKind.Sum)
    }
    function prepareReduceMax(op: Operator): void {
        prepareReduce(op, ReduceKind.Max)
    }
    function prepareReduceMin(op: Operator): void {
        prepareReduce(op, ReduceKind.Min)
    }
    function prepareReduceAll(op: Operator): void {
        prepareReduce(op, ReduceKind.All)
    }

    function prepareReduce(op: Operator, kind: ReduceKind): void {
        const input = op.input(0)
        const axisInput = op.input(1)
        const output = op.output(0)
        op.check(!!input && !!axisInput && op.inputs.length === 2 && op.outputs.length === 1, "needs an input, axes and one output")
        op.check(output.type === input.type, "output " + output.describe() + " must have the type of input " + input.describe())
        const rank = input.rank()
        op.check(rank <= MEAN_DIMS, "input " + input.describe() + " has more than " + MEAN_DIMS + " dimensions")
        const axes = constInts(op, axisInput, "axis")
        const reduced: boolean[] = []
        for (let i = 0; i < rank; i++) reduced.push(false)
        let reducedCount = 0
        // A scalar input has nothing to average over: TFLM ignores the axes then. Repeated axes count once.
        for (let i = 0; rank > 0 && i < axes.length; i++) {
            const axis = axes[i] < 0 ? axes[i] + rank : axes[i]
            op.check(axis >= 0 && axis < rank, "axis " + axes[i] + " is out of range for input " + input.describe())
            if (!reduced[axis]) reducedCount++
            reduced[axis] = true
        }
        op.check(input.elementCount() > 0, "input " + input.describe() + " is empty")
        const strides = elementStrides(input.shape)
        const kept: number[] = []
        const over: number[] = []
        const keptShape: number[] = []
        for (let i = 0; i < rank; i++) {
            if (reduced[i]) {
                over.push(input.dim(i))
                over.push(strides[i])
            } else {
                kept.push(input.dim(i))
                kept.push(strides[i])
            }
            if (!reduced[i] || op.optByte(ReducerOptions.KeepDims, 0)) keptShape.push(reduced[i] ? 1 : input.dim(i))
        }
        let count = 1
        for (let i = 0; i < over.length; i += 2) count *= over[i]
        // The output's shape is the model's (with or without the averaged dimensions kept as 1s);
        // its values are in input order either way.
        op.check(output.elementCount() === input.elementCount() / count,
            "output " + output.describe() + " must have shape " + shapeText(keptShape))

        const prefix = kind === ReduceKind.Mean ? "mean_" : kind === ReduceKind.Sum ? "sum_" : kind === ReduceKind.Max ? "reduce_max_" : "reduce_min_"
        let body = ""
        // REDUCE_ALL takes bool only, and the others no bool.
        if (kind === ReduceKind.All || input.type === TensorType.Bool)
            op.check(kind === ReduceKind.All && input.type === TensorType.Bool, "unsupported input type " + typeName(input.type))
        if (kind === ReduceKind.All) body = "reduce_all_bool"
        else if (input.type === TensorType.Float32) body = prefix + "float"
        else if (input.type === TensorType.Int8) body = prefix + "int8"
        else if (input.type === TensorType.Int16 && kind <= ReduceKind.Sum) body = prefix + "int16"
        else op.check(false, "unsupported input type " + typeName(input.type))
        if ((kind === ReduceKind.Max || kind === ReduceKind.Min) && input.type === TensorType.Int8)
            op.check(input.scale === output.scale && input.zeroPoint === output.zeroPoint,
                "output " + output.describe() + " must have the scale and zero point of input " + input.describe())
        const p = op.useBody(body, MeanParams.Words)
        op.paramTensor(MeanParams.Input, input)
        op.paramTensor(MeanParams.Output, output)
        setParam(p, MeanParams.OutputCount, output.elementCount())
        setParam(p, MeanParams.Count, count)
        setParams(p, MeanParams.Kept, meanPairs(kept, MEAN_DIMS))
        setParams(p, MeanParams.Reduced, meanPairs(over, MEAN_DIMS))
        if (input.type === TensorType.Float32 || kind >= ReduceKind.Max) return
        op.check(input.scale > 0 && output.scale > 0, "input and output must be quantized (have scales)")
        setParam(p, MeanParams.InputZeroPoint, input.zeroPoint)
        setParam(p, MeanParams.OutputZeroPoint, output.zeroPoint)
        // TFLM: QuantizeMultiplier(double(input_scale) / double(output_scale)), then 1/Count folded in.
        const m = quantizeMultiplier(input.scale / output.scale)
        const folded = kind === ReduceKind.Mean ? foldMeanCount(m[0], m[1], count) : m
        setParam(p, MeanParams.Multiplier, folded[0])
        setParam(p, MeanParams.Shift, folded[1])
    }

    /** (size, stride) pairs padded at the front with (1, 0) to `dims` pairs. */
    function meanPairs(pairs: number[], dims: number): number[] {
        const res: number[] = []
        for (let i = pairs.length; i < 2 * dims; i += 2) {
            res.push(1)
            res.push(0)
        }
        for (let i = 0; i < pairs.length; i++) res.push(pairs[i])
        return res
    }

    /**
     * Folds 1/count into a quantized multiplier as TFLM's QuantizedMeanOrSum: with
     * shift = min(floor(log2(count)), 32, 31 + outputShift), the multiplier becomes
     * floor(multiplier * 2^shift / count) (int64 division in C, exact here by long division)
     * and the output shift decreases by shift. Returns [multiplier, shift].
     */
    export function foldMeanCount(multiplier: number, outputShift: number, count: number): number[] {
        let shift = 0
        while (Math.pow(2, shift + 1) <= count) shift++
        shift = Math.min(Math.min(shift, 32), 31 + outputShift)
        // multiplier < 2^31 and 2^shift <= count keep the quotient below 2^31 and the remainder's
        // doubling below 2^32: every step is exact in a double.
        let q = Math.floor(multiplier / count)
        let r = multiplier - q * count
        for (let i = 0; i < shift; i++) {
            q *= 2
            r *= 2
            if (r >= count) {
                r -= count
                q++
            }
        }
        return [q, outputShift - shift]
    }

    /** The input element offset of output `index`, from (size, stride) pairs at `word`, innermost last. */
    function stridedOffset(p: Buffer, word: number, dims: number, index: number): number {
        let offset = 0
        for (let d = dims - 1; d >= 0; d--) {
            const size = param(p, word + 2 * d)
            offset += (index % size) * param(p, word + 2 * d + 1)
            index = Math.floor(index / size)
        }
        return offset
    }

    /** The input element offsets, from an output's first input value, of the values averaged into it, in input order. */
    function reducedOffsets(p: Buffer): number[] {
        let offsets: number[] = [0]
        // Outermost dimension first, so the innermost one steps fastest.
        for (let d = 0; d < MEAN_DIMS; d++) {
            const size = param(p, MeanParams.Reduced + 2 * d), stride = param(p, MeanParams.Reduced + 2 * d + 1)
            const next: number[] = []
            for (let i = 0; i < offsets.length; i++)
                for (let k = 0; k < size; k++) next.push(offsets[i] + k * stride)
            offsets = next
        }
        return offsets
    }

    /** The int8/int16 mean of one output from its int32 sum (see MeanParams). */
    function quantizedMean(p: Buffer, sum: number, lo: number, hi: number): number {
        // int64 in TFLM, then cast to the int32 accumulator type: wraps like C.
        const shifted = (sum - param(p, MeanParams.InputZeroPoint) * param(p, MeanParams.Count)) | 0
        const v = multiplyByQuantizedMultiplier(shifted, param(p, MeanParams.Multiplier), param(p, MeanParams.Shift)) +
            param(p, MeanParams.OutputZeroPoint)
        return clamp(v, lo, hi)
    }

    export function meanInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, MeanParams.Input, model, arena)
        const inputAt = paramOffset(p, MeanParams.Input)
        const output = paramBuffer(p, MeanParams.Output, model, arena)
        const outputAt = paramOffset(p, MeanParams.Output)
        const outputs = param(p, MeanParams.OutputCount)
        const offsets = reducedOffsets(p)
        for (let o = 0; o < outputs; o++) {
            const base = inputAt + stridedOffset(p, MeanParams.Kept, MEAN_DIMS, o)
            let sum = 0
            for (let i = 0; i < offsets.length; i++) sum = (sum + int8At(input, base, offsets[i])) | 0
            output[outputAt + o] = quantizedMean(p, sum, -128, 127) & 0xff
        }
    }

    export function meanInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, MeanParams.Input, model, arena)
        const inputAt = paramOffset(p, MeanParams.Input)
        const output = paramBuffer(p, MeanParams.Output, model, arena)
        const outputAt = paramOffset(p, MeanParams.Output)
        const outputs = param(p, MeanParams.OutputCount)
        const offsets = reducedOffsets(p)
        for (let o = 0; o < outputs; o++) {
            const base = inputAt + 2 * stridedOffset(p, MeanParams.Kept, MEAN_DIMS, o)
            let sum = 0
            for (let i = 0; i < offsets.length; i++) sum = (sum + input.getNumber(NumberFormat.Int16LE, base + 2 * offsets[i])) | 0
            output.setNumber(NumberFormat.Int16LE, outputAt + 2 * o, quantizedMean(p, sum, -32768, 32767))
        }
    }

    export function meanFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        sumOrMeanFloat(p, model, arena, true)
    }

    export function sumFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        sumOrMeanFloat(p, model, arena, false)
    }

    function sumOrMeanFloat(p: Buffer, model: Buffer, arena: Buffer, mean: boolean): void {
        const input = paramBuffer(p, MeanParams.Input, model, arena)
        const inputAt = paramOffset(p, MeanParams.Input)
        const output = paramBuffer(p, MeanParams.Output, model, arena)
        const outputAt = paramOffset(p, MeanParams.Output)
        const outputs = param(p, MeanParams.OutputCount)
        const count = param(p, MeanParams.Count)
        const offsets = reducedOffsets(p)
        for (let o = 0; o < outputs; o++) {
            const base = inputAt + 4 * stridedOffset(p, MeanParams.Kept, MEAN_DIMS, o)
            // float32 sums in input order, rounded after every addition as in C.
            let sum = 0
            for (let i = 0; i < offsets.length; i++) sum = f32(sum + input.getNumber(NumberFormat.Float32LE, base + 4 * offsets[i]))
            output.setNumber(NumberFormat.Float32LE, outputAt + 4 * o, mean ? f32(sum / count) : sum)
        }
    }

    export function reduceMaxInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        extremeInt8(p, model, arena, true)
    }
    export function reduceMinInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        extremeInt8(p, model, arena, false)
    }
    export function reduceMaxFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        extremeFloat(p, model, arena, true)
    }
    export function reduceMinFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        extremeFloat(p, model, arena, false)
    }

    function extremeInt8(p: Buffer, model: Buffer, arena: Buffer, max: boolean): void {
        const input = paramBuffer(p, MeanParams.Input, model, arena)
        const inputAt = paramOffset(p, MeanParams.Input)
        const output = paramBuffer(p, MeanParams.Output, model, arena)
        const outputAt = paramOffset(p, MeanParams.Output)
        const outputs = param(p, MeanParams.OutputCount)
        const offsets = reducedOffsets(p)
        for (let o = 0; o < outputs; o++) {
            const base = inputAt + stridedOffset(p, MeanParams.Kept, MEAN_DIMS, o)
            let best = max ? -128 : 127
            for (let i = 0; i < offsets.length; i++) {
                const v = int8At(input, base, offsets[i])
                if (max ? v > best : v < best) best = v
            }
            output[outputAt + o] = best & 0xff
        }
    }

    function extremeFloat(p: Buffer, model: Buffer, arena: Buffer, max: boolean): void {
        const input = paramBuffer(p, MeanParams.Input, model, arena)
        const inputAt = paramOffset(p, MeanParams.Input)
        const output = paramBuffer(p, MeanParams.Output, model, arena)
        const outputAt = paramOffset(p, MeanParams.Output)
        const outputs = param(p, MeanParams.OutputCount)
        const offsets = reducedOffsets(p)
        for (let o = 0; o < outputs; o++) {
            const base = inputAt + 4 * stridedOffset(p, MeanParams.Kept, MEAN_DIMS, o)
            // TFLM starts from float's lowest (highest) value: NaNs never replace it.
            let best = max ? -3.4028234663852886e38 : 3.4028234663852886e38
            for (let i = 0; i < offsets.length; i++) {
                const v = input.getNumber(NumberFormat.Float32LE, base + 4 * offsets[i])
                if (max ? v > best : v < best) best = v
            }
            output.setNumber(NumberFormat.Float32LE, outputAt + 4 * o, best)
        }
    }

    export function reduceAllBool(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, MeanParams.Input, model, arena)
        const inputAt = paramOffset(p, MeanParams.Input)
        const output = paramBuffer(p, MeanParams.Output, model, arena)
        const outputAt = paramOffset(p, MeanParams.Output)
        const outputs = param(p, MeanParams.OutputCount)
        const offsets = reducedOffsets(p)
        for (let o = 0; o < outputs; o++) {
            const base = inputAt + stridedOffset(p, MeanParams.Kept, MEAN_DIMS, o)
            let all = 1
            for (let i = 0; i < offsets.length; i++) if (!input[base + offsets[i]]) all = 0
            output[outputAt + o] = all
        }
    }

    // STRIDED_SLICE: along each dimension, the elements start, start + stride, ... before stop
    // (after it, for negative strides), as Python's a[start:stop:stride]. begin_mask/end_mask bits
    // take the whole range; shrink_axis_mask bits take the one element at begin and drop the
    // dimension. TFLM ignores ellipsis_mask, new_axis_mask and offset, which would silently give
    // other results than TensorFlow's: they are refused here.

    /** Parameter block of strided_slice_bytes (words). */
    export const enum StridedSliceParams {
        Input = 0, Output = 2, ElementSize = 4,
        /** STRIDED_SLICE_DIMS (start, stop, stride, input stride in elements) groups, outermost first; (0, 1, 1, 0) fill up. */
        Dims = 5,
    }

    const enum StridedSliceOptions { BeginMask = 0, EndMask = 1, EllipsisMask = 2, NewAxisMask = 3, ShrinkAxisMask = 4, Offset = 5 }

    /** TFLM slices inputs of up to 4 dimensions; its loop runs over 5. */
    const STRIDED_SLICE_MAX_RANK = 4
    const STRIDED_SLICE_DIMS = 5

    /** TFLM's StridedSliceStartForAxis: the first index, negative counting from the end, clamped. */
    function sliceStart(begin: number, stride: number, size: number, masked: boolean): number {
        let start = begin < 0 ? begin + size : begin
        start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1)
        if (masked) start = stride > 0 ? 0 : size - 1
        return start
    }

    /** TFLM's StridedSliceEndForAxis (for an axis not shrunk): one past the last index, clamped. */
    function sliceStop(end: number, stride: number, size: number, masked: boolean): number {
        let stop = end < 0 ? end + size : end
        stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1)
        if (masked) stop = stride > 0 ? size : -1
        return stop
    }

    function prepareStridedSlice(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        op.check(!!input && op.inputs.length === 4 && !!op.input(1) && !!op.input(2) && !!op.input(3) && op.outputs.length === 1,
            "needs an input, begin, end, strides and one output")
        checkSameType(op, input, output)
        const rank = input.rank()
        op.check(rank <= STRIDED_SLICE_MAX_RANK, "input " + input.describe() + " has more than " + STRIDED_SLICE_MAX_RANK + " dimensions")
        const begin = constInts(op, op.input(1), "begin")
        const end = constInts(op, op.input(2), "end")
        const strides = constInts(op, op.input(3), "strides")
        op.check(begin.length === rank && end.length === rank && strides.length === rank,
            "begin, end and strides must hold " + rank + " values each, one per input dimension")
        const beginMask = op.optInt(StridedSliceOptions.BeginMask, 0)
        const endMask = op.optInt(StridedSliceOptions.EndMask, 0)
        const shrinkMask = op.optInt(StridedSliceOptions.ShrinkAxisMask, 0)
        op.check(op.optInt(StridedSliceOptions.EllipsisMask, 0) === 0, "unsupported ellipsis_mask (TFLM ignores it)")
        op.check(op.optInt(StridedSliceOptions.NewAxisMask, 0) === 0, "unsupported new_axis_mask (TFLM ignores it)")
        op.check(op.optByte(StridedSliceOptions.Offset, 0) === 0, "unsupported offset option (TFLM ignores it)")
        const inputStrides = elementStrides(input.shape)
        const p = op.useBody("strided_slice_bytes", StridedSliceParams.Dims + 4 * STRIDED_SLICE_DIMS)
        op.paramTensor(StridedSliceParams.Input, input)
        op.paramTensor(StridedSliceParams.Output, output)
        setParam(p, StridedSliceParams.ElementSize, typeSize(input.type))
        const expected: number[] = []
        let written = 1
        for (let d = 0; d < STRIDED_SLICE_DIMS; d++) {
            const axis = d - (STRIDED_SLICE_DIMS - rank)
            const w = StridedSliceParams.Dims + 4 * d
            if (axis < 0) {
                setParams(p, w, [0, 1, 1, 0])
                continue
            }
            const size = input.dim(axis)
            const stride = strides[axis]
            op.check(stride !== 0, "the stride of dimension " + axis + " is 0")
            const bit = 1 << axis
            const shrink = (shrinkMask & bit) !== 0
            const start = size === 0 ? 0 : sliceStart(begin[axis], stride, size, (beginMask & bit) !== 0)
            // The output shape TFLM expects (CheckOutputSize): one element on shrunk dimensions.
            const stop = size === 0 ? 0 : shrink ? start + 1 : sliceStop(end[axis], stride, size, (endMask & bit) !== 0)
            if (!shrink) expected.push(Math.max(0, Math.ceil(f32(f32(stop - start) / stride))))
            // What its loop writes: a shrunk dimension whose start is past the end gives nothing.
            const loopStop = shrink && start >= size ? start : stop
            const steps = stride > 0 ? Math.ceil((loopStop - start) / stride) : Math.ceil((start - loopStop) / -stride)
            written *= Math.max(0, steps)
            // One step is the element at start, with a stride of 1 either way: after its one step
            // the C loop's index would pass 2^31 with a huge stride.
            const unit = stride > 0 ? 1 : -1
            if (steps === 1) setParams(p, w, [start, start + unit, unit, inputStrides[axis]])
            else setParams(p, w, [start, loopStop, stride, inputStrides[axis]])
        }
        op.check(sameShape(output.shape, expected), "output " + output.describe() + " must have shape " + shapeText(expected))
        op.check(written === output.elementCount(), "the slice fills " + written + " of the " + output.elementCount() +
            " values of output " + output.describe() + " (a shrunk dimension with a negative stride or begin past the end)")
    }

    /** Whether index `i` is still before `stop` going by `stride` (TFLM's loop condition). */
    function beforeStop(i: number, stop: number, stride: number): boolean {
        return stride > 0 ? i < stop : i > stop
    }

    export function stridedSliceBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, StridedSliceParams.Input, model, arena)
        const inputAt = paramOffset(p, StridedSliceParams.Input)
        const output = paramBuffer(p, StridedSliceParams.Output, model, arena)
        let outputAt = paramOffset(p, StridedSliceParams.Output)
        const size = param(p, StridedSliceParams.ElementSize)
        const w = StridedSliceParams.Dims
        const start0 = param(p, w), stop0 = param(p, w + 1), step0 = param(p, w + 2), in0 = param(p, w + 3)
        const start1 = param(p, w + 4), stop1 = param(p, w + 5), step1 = param(p, w + 6), in1 = param(p, w + 7)
        const start2 = param(p, w + 8), stop2 = param(p, w + 9), step2 = param(p, w + 10), in2 = param(p, w + 11)
        const start3 = param(p, w + 12), stop3 = param(p, w + 13), step3 = param(p, w + 14), in3 = param(p, w + 15)
        const start4 = param(p, w + 16), stop4 = param(p, w + 17), step4 = param(p, w + 18), in4 = param(p, w + 19)
        for (let i0 = start0; beforeStop(i0, stop0, step0); i0 += step0)
            for (let i1 = start1; beforeStop(i1, stop1, step1); i1 += step1)
                for (let i2 = start2; beforeStop(i2, stop2, step2); i2 += step2)
                    for (let i3 = start3; beforeStop(i3, stop3, step3); i3 += step3) {
                        const row = i0 * in0 + i1 * in1 + i2 * in2 + i3 * in3
                        for (let i4 = start4; beforeStop(i4, stop4, step4); i4 += step4) {
                            copyElement(output, outputAt, input, inputAt + size * (row + i4 * in4), size)
                            outputAt += size
                        }
                    }
    }

    // TRANSPOSE: output[i_0, ..., i_n] = input[j] where j's dimension perm[k] is i_k; the output is
    // written in order while the input is read with the stride of dimension perm[k].

    /** Parameter block of transpose_bytes (words). */
    export const enum TransposeParams {
        Input = 0, Output = 2, ElementSize = 4,
        /** TRANSPOSE_DIMS (output size, input stride in elements) pairs, outermost first; (1, 0) fill up. */
        Dims = 5,
    }

    /** TFLM transposes up to 5 dimensions. */
    const TRANSPOSE_DIMS = 5

    function prepareTranspose(op: Operator): void {
        const input = op.input(0)
        const permInput = op.input(1)
        const output = op.output(0)
        op.check(!!input && !!permInput && op.inputs.length === 2 && op.outputs.length === 1, "needs an input, a permutation and one output")
        checkSameType(op, input, output)
        const rank = input.rank()
        op.check(rank <= TRANSPOSE_DIMS, "input " + input.describe() + " has more than " + TRANSPOSE_DIMS + " dimensions")
        const perm = constInts(op, permInput, "perm")
        op.check(permInput.rank() === 1 && perm.length === rank, "perm " + permInput.describe() + " must hold " + rank + " values, one per input dimension")
        const seen: boolean[] = []
        for (let i = 0; i < rank; i++) seen.push(false)
        for (let i = 0; i < rank; i++) {
            const ok = perm[i] >= 0 && perm[i] < rank && !seen[perm[i]]
            op.check(ok, "perm " + shapeText(perm) + " is not a permutation of the " + rank + " input dimensions")
            seen[perm[i]] = true
        }
        const expected: number[] = []
        for (let i = 0; i < rank; i++) expected.push(input.dim(perm[i]))
        op.check(sameShape(output.shape, expected), "output " + output.describe() + " must have shape " + shapeText(expected))
        const inputStrides = elementStrides(input.shape)
        const p = op.useBody("transpose_bytes", TransposeParams.Dims + 2 * TRANSPOSE_DIMS)
        op.paramTensor(TransposeParams.Input, input)
        op.paramTensor(TransposeParams.Output, output)
        setParam(p, TransposeParams.ElementSize, typeSize(input.type))
        for (let d = 0; d < TRANSPOSE_DIMS; d++) {
            const axis = d - (TRANSPOSE_DIMS - rank)
            const w = TransposeParams.Dims + 2 * d
            if (axis < 0) setParams(p, w, [1, 0])
            else setParams(p, w, [output.dim(axis), inputStrides[perm[axis]]])
        }
    }

    export function transposeBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, TransposeParams.Input, model, arena)
        const inputAt = paramOffset(p, TransposeParams.Input)
        const output = paramBuffer(p, TransposeParams.Output, model, arena)
        let outputAt = paramOffset(p, TransposeParams.Output)
        const size = param(p, TransposeParams.ElementSize)
        const w = TransposeParams.Dims
        const n0 = param(p, w), s0 = param(p, w + 1), n1 = param(p, w + 2), s1 = param(p, w + 3)
        const n2 = param(p, w + 4), s2 = param(p, w + 5), n3 = param(p, w + 6), s3 = param(p, w + 7)
        const n4 = param(p, w + 8), s4 = param(p, w + 9)
        for (let i0 = 0; i0 < n0; i0++)
            for (let i1 = 0; i1 < n1; i1++)
                for (let i2 = 0; i2 < n2; i2++)
                    for (let i3 = 0; i3 < n3; i3++) {
                        const row = i0 * s0 + i1 * s1 + i2 * s2 + i3 * s3
                        for (let i4 = 0; i4 < n4; i4++) {
                            copyElement(output, outputAt, input, inputAt + size * (row + i4 * s4), size)
                            outputAt += size
                        }
                    }
    }
}
