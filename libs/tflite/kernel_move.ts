namespace tflite {
    // Data movement ops that never look at the values: SLICE, SPLIT, SPLIT_V, PACK, UNPACK,
    // REVERSE_V2, BROADCAST_TO, DEPTH_TO_SPACE, SPACE_TO_DEPTH (one body under nine names: strided copies), SHAPE
    // (the input's dimensions, known at load), GATHER and GATHER_ND (copies chosen by index tensors
    // read at invoke).
    //
    // Each of the first nine is, in TFLM's loops, a set of "pieces": one input tensor copied to one
    // output tensor, element by element, along up to MOVE_DIMS nested counters, each with its own
    // input and output stride (in elements; negative for REVERSE_V2, 0 for what BROADCAST_TO
    // repeats). SPLIT has one piece per output, PACK one per input. Prepare writes the dimensions
    // of each piece outermost first and merges neighbours that one counter can walk (a dimension of
    // 1 disappears), so TFLM's 8-D REVERSE_V2 or 6-D DEPTH_TO_SPACE loops fit in MOVE_DIMS. The
    // element order inside a piece does not matter to the result (no piece writes an output
    // element twice), only which input element lands where.

    /** Parameter block of slice_bytes, split_bytes, ... space_to_depth_bytes (all moveBytes; words). */
    export const enum MoveParams {
        /** Bytes per element. */
        ElementSize = 0,
        PieceCount = 1,
        /** PieceCount pieces of MovePiece.Words words each. */
        Pieces = 2,
    }

    /** One piece of a moveBytes block (words from the piece's start). */
    export const enum MovePiece {
        Input = 0, Output = 2,
        /** The first element of each tensor the counters start from. */
        InputStart = 4, OutputStart = 5,
        /** MOVE_DIMS (count, input stride, output stride) triples, outermost first; (1, 0, 0) fill the front. */
        Dims = 6,
        Words = 21,
    }

    /** Counters per piece: enough for every op here once neighbours are merged (see movePiece). */
    export const MOVE_DIMS = 5

    /**
     * Parameter block of slice_dynamic_bytes (words): SLICE with begin or size a model input. A
     * moveBytes block of one piece (the counters from the output's shape) whose input start comes
     * from begin at invoke, then:
     */
    export const enum SliceDynamicParams {
        /** The begin tensor (MoveParams.Pieces + MovePiece.Words). */
        Begin = 23,
        /** Bytes per begin value: 4 (INT32), or 8 (INT64: its low word, as TFLM casts it to int). */
        BeginStep = 25,
        Rank = 26,
        /** The output's bytes: all zero when begin puts the block outside the input. */
        OutputBytes = 27,
        /** Rank (input size, input stride, output size) triples. */
        Dims = 28,
        Words = 43,
    }

    /** Parameter block of reverse_v2_dynamic_bytes (words): REVERSE_V2 with its axes a model input, read at invoke. */
    export const enum ReverseDynamicParams {
        Input = 0, Output = 2, Axes = 4, AxisCount = 6, ElementSize = 7,
        /** The input's rank, then its dimensions (REVERSE_MAX_DIMS words). */
        Rank = 8, Dims = 9,
        Words = 15,
    }

    /** Parameter block of shape_int32 (words). */
    export const enum ShapeParams {
        Output = 0,
        /** The input's rank, then its dimensions. */
        Rank = 2, Dims = 3,
    }

    /** Parameter block of gather_bytes (words): TFLM's Gather loops. */
    export const enum GatherParams {
        Input = 0, Positions = 2, Output = 4, ElementSize = 6,
        /** Product of the input's dimensions before batch_dims, between batch_dims and the axis, after the axis (all 0 for an empty output). */
        BatchCount = 7, OuterCount = 8, InnerCount = 9,
        /** The input's size along the axis; positions outside [0, AxisSize) give zeros. */
        AxisSize = 10,
        /** Positions per batch. */
        PositionCount = 11,
    }

    /** Parameter block of gather_nd_bytes (words): TFLM's GatherNd loop. */
    export const enum GatherNdParams {
        Input = 0, Indices = 2, Output = 4, ElementSize = 6,
        /** Index tuples (the indices' dimensions but the last), elements each copies, the tuples' length. */
        SliceCount = 7, SliceSize = 8, IndexDepth = 9,
        /** The input's element count: a slice starting outside it gives zeros. */
        InputCount = 10,
        /** GATHER_ND_MAX_DEPTH words: the elements one step of each index component moves. */
        Steps = 11,
    }

    /** TFLM's SLICE handles up to 5 dimensions. */
    const SLICE_MAX_DIMS = 5
    /** TFLM's BROADCAST_TO handles up to 5 dimensions. */
    const BROADCAST_TO_MAX_DIMS = 5
    /** TFLM's REVERSE_V2 takes up to 6 dimensions (RuntimeShape's small size). */
    const REVERSE_MAX_DIMS = 6
    /** TFLM's GATHER_ND takes index tuples up to 5 long. */
    export const GATHER_ND_MAX_DEPTH = 5

    const enum GatherOptions { Axis = 0, BatchDims = 1 }
    const enum PackOptions { ValuesCount = 0, Axis = 1 }
    const enum UnpackOptions { Num = 0, Axis = 1 }
    const enum BlockOptions { BlockSize = 0 }

    export function registerMoveKernels(): void {
        registerBuiltin(BuiltinOp.GATHER, prepareGather)
        registerBuiltin(BuiltinOp.SPLIT, prepareSplit)
        registerBuiltin(BuiltinOp.SPLIT_V, prepareSplitV)
        registerBuiltin(BuiltinOp.PACK, preparePack)
        registerBuiltin(BuiltinOp.UNPACK, prepareUnpack)
        registerBuiltin(BuiltinOp.SLICE, prepareSlice)
        registerBuiltin(BuiltinOp.SHAPE, prepareShape)
        registerBuiltin(BuiltinOp.REVERSE_V2, prepareReverse)
        registerBuiltin(BuiltinOp.BROADCAST_TO, prepareBroadcastTo)
        registerBuiltin(BuiltinOp.DEPTH_TO_SPACE, prepareDepthToSpace)
        registerBuiltin(BuiltinOp.SPACE_TO_DEPTH, prepareSpaceToDepth)
        registerBuiltin(BuiltinOp.GATHER_ND, prepareGatherNd)
        registerBody("slice_bytes", moveBytes)
        registerBody("slice_dynamic_bytes", sliceDynamicBytes)
        registerBody("split_bytes", moveBytes)
        registerBody("split_v_bytes", moveBytes)
        registerBody("pack_bytes", moveBytes)
        registerBody("unpack_bytes", moveBytes)
        registerBody("reverse_v2_bytes", moveBytes)
        registerBody("reverse_v2_dynamic_bytes", reverseDynamicBytes)
        registerBody("broadcast_to_bytes", moveBytes)
        registerBody("depth_to_space_bytes", moveBytes)
        registerBody("space_to_depth_bytes", moveBytes)
        registerBody("shape_int32", shapeInt32)
        registerBody("gather_bytes", gatherBytes)
        registerBody("gather_nd_bytes", gatherNdBytes)
    }

    function moveShapeText(shape: number[]): string {
        return "[" + listText(shape, ",") + "]"
    }

    /** Fails unless output has exactly `shape`. */
    function checkMoveShape(op: Operator, output: Tensor, shape: number[]): void {
        let same = output.rank() === shape.length
        for (let i = 0; same && i < shape.length; i++) same = output.dim(i) === shape[i]
        op.check(same, "output " + output.describe() + " must have shape " + moveShapeText(shape))
    }

    /** Fails unless `t` has one of the types TFLM's kernel takes (`types`, named in `names` for the message). */
    function checkMoveType(op: Operator, t: Tensor, types: number[], names: string): void {
        op.check(types.indexOf(t.type) >= 0, "unsupported type " + typeName(t.type) + " of " + t.describe() + " (TFLM takes " + names + ")")
    }

    function checkTypeOf(op: Operator, t: Tensor, input: Tensor): void {
        op.check(t.type === input.type, t.describe() + " must have the type of " + input.describe())
    }

    /**
     * A constant integer tensor's values (begin, size, axes, a shape). INT64 values are cut to
     * their low 32 bits, as TFLM's kernels store them into int32 arrays.
     */
    function moveConstInts(op: Operator, t: Tensor, what: string, int64: boolean): number[] {
        op.check(t.isConst, "the " + what + " input " + t.describe() + " must be constant")
        const wide = int64 && t.type === TensorType.Int64
        op.check(t.type === TensorType.Int32 || wide, "the " + what + " input " + t.describe() + " must be " + (int64 ? "INT32 or INT64" : "INT32"))
        const res: number[] = []
        const n = t.elementCount()
        for (let i = 0; i < n; i++) res.push(t.data.getNumber(NumberFormat.Int32LE, t.offset + (wide ? 8 : 4) * i))
        return res
    }

    /** Row-major strides of a tensor, in elements (only used for tensors with elements: exact). */
    function moveStrides(shape: number[]): number[] {
        const res: number[] = []
        for (let i = 0; i < shape.length; i++) res.push(1)
        for (let i = shape.length - 2; i >= 0; i--) res[i] = res[i + 1] * shape[i + 1]
        return res
    }

    /**
     * Writes piece `k`: input elements from `inputStart` to output elements from `outputStart`
     * along `dims` (count, input stride, output stride) triples, outermost first. Counters of 1
     * are dropped and a counter merged into the one outside it when that one's strides are its own
     * times its count; a piece that moves nothing is written as one counter of 0.
     */
    function movePiece(op: Operator, k: number, input: Tensor, output: Tensor, inputStart: number, outputStart: number, dims: number[][]): void {
        const w = MoveParams.Pieces + MovePiece.Words * k
        op.paramTensor(w + MovePiece.Input, input)
        op.paramTensor(w + MovePiece.Output, output)
        let total = 1
        for (let i = 0; i < dims.length; i++) total *= dims[i][0]
        const merged: number[][] = []
        if (total === 0) {
            merged.push([0, 0, 0])
            inputStart = 0
            outputStart = 0
        }
        for (let i = 0; total > 0 && i < dims.length; i++) {
            const d = dims[i]
            if (d[0] === 1) continue
            const last = merged.length ? merged[merged.length - 1] : null
            if (last && last[1] === d[0] * d[1] && last[2] === d[0] * d[2]) merged[merged.length - 1] = [last[0] * d[0], d[1], d[2]]
            else merged.push(d)
        }
        op.check(merged.length <= MOVE_DIMS, "the move needs more than " + MOVE_DIMS + " counters")
        const p = op.params
        setParam(p, w + MovePiece.InputStart, inputStart)
        setParam(p, w + MovePiece.OutputStart, outputStart)
        for (let d = 0; d < MOVE_DIMS; d++) {
            const i = d - (MOVE_DIMS - merged.length)
            setParams(p, w + MovePiece.Dims + 3 * d, i < 0 ? [1, 0, 0] : merged[i])
        }
    }

    /** Chooses `body` (a name of moveBytes) with `pieces` pieces of `size`-byte elements, in a block of `words` (at least theirs). */
    function useMove(op: Operator, body: string, pieces: number, size: number, words?: number): void {
        const p = op.useBody(body, words || MoveParams.Pieces + MovePiece.Words * pieces)
        setParam(p, MoveParams.ElementSize, size)
        setParam(p, MoveParams.PieceCount, pieces)
    }

    /** A normalized axis: `given` plus `rank` when negative; fails unless it is in [0, rank). */
    function moveAxis(op: Operator, given: number, rank: number, t: Tensor): number {
        const axis = given < 0 ? given + rank : given
        op.check(axis >= 0 && axis < rank, "axis " + given + " is out of range for " + t.describe())
        return axis
    }

    /** Product of shape[from..to) (exact for a tensor with elements). */
    function dimsProduct(shape: number[], from: number, to: number): number {
        let n = 1
        for (let i = from; i < to; i++) n *= shape[i]
        return n
    }

    // SPLIT (axis, input) and SPLIT_V (input, size_splits, axis): for each index before the axis,
    // each output's run in turn. TFLM needs a constant axis; SPLIT's outputs are the input's equal
    // parts, SPLIT_V's sizes along the axis come from its outputs (TFLM never reads size_splits).
    function prepareSplit(op: Operator): void {
        op.check(op.inputs.length === 2 && !!op.input(0) && !!op.input(1) && op.outputs.length >= 1, "needs an axis, an input and at least one output")
        splitInto(op, op.input(1), op.input(0), true)
    }

    function prepareSplitV(op: Operator): void {
        op.check(op.inputs.length === 3 && !!op.input(0) && !!op.input(1) && !!op.input(2) && op.outputs.length >= 1,
            "needs an input, size_splits, an axis and at least one output")
        splitInto(op, op.input(0), op.input(2), false)
    }

    function splitInto(op: Operator, input: Tensor, axisInput: Tensor, equal: boolean): void {
        checkMoveType(op, input, [TensorType.Float32, TensorType.Int8, TensorType.Int16, TensorType.Int32], "FLOAT32, INT8, INT16, INT32")
        const values = moveConstInts(op, axisInput, "axis", false)
        op.check(values.length === 1, "the axis input " + axisInput.describe() + " must hold one value")
        const rank = input.rank()
        const axis = moveAxis(op, values[0], rank, input)
        const n = op.outputs.length
        const part = Math.idiv(input.dim(axis), n)
        op.check(!equal || part * n === input.dim(axis), "input " + input.describe() + " does not split into " + n + " equal parts along axis " + axis)
        let total = 0
        for (let k = 0; k < n; k++) {
            const out = op.output(k)
            checkTypeOf(op, out, input)
            op.check(out.rank() === rank, "output " + out.describe() + " must have the rank of input " + input.describe())
            const shape = input.shape.slice(0)
            shape[axis] = equal ? part : out.dim(axis)
            checkMoveShape(op, out, shape)
            total += shape[axis]
        }
        op.check(total === input.dim(axis), "the outputs' sizes along axis " + axis + " add up to " + total + ", not input " + input.describe() + "'s")
        const outer = dimsProduct(input.shape, 0, axis)
        const inner = dimsProduct(input.shape, axis + 1, rank)
        useMove(op, equal ? "split_bytes" : "split_v_bytes", n, typeSize(input.type))
        let at = 0
        for (let k = 0; k < n; k++) {
            const run = op.output(k).dim(axis) * inner
            movePiece(op, k, input, op.output(k), at, 0, [[outer, input.dim(axis) * inner, run], [run, 1, 1]])
            at += run
        }
    }

    // PACK: N inputs of one shape stacked along a new output axis. UNPACK: the reverse.
    function preparePack(op: Operator): void {
        const output = op.output(0)
        const n = op.inputs.length
        op.check(n >= 1 && op.outputs.length === 1, "needs at least one input and one output")
        const input = op.input(0)
        op.check(!!input, "input 0 is missing")
        checkMoveType(op, output, [TensorType.Float32, TensorType.Int8, TensorType.Int16, TensorType.Int32, TensorType.Int64],
            "FLOAT32, INT8, INT16, INT32, INT64")
        const count = op.optInt(PackOptions.ValuesCount, 0)
        op.check(count === n, "values_count " + count + " must be the number of inputs, " + n)
        const rank = input.rank() + 1
        const axis = moveAxis(op, op.optInt(PackOptions.Axis, 0), rank, output)
        const shape = input.shape.slice(0, axis).concat([n]).concat(input.shape.slice(axis))
        checkMoveShape(op, output, shape)
        for (let k = 0; k < n; k++) {
            const t = op.input(k)
            op.check(!!t, "input " + k + " is missing")
            checkTypeOf(op, t, output)
            op.check(moveShapeText(t.shape) === moveShapeText(input.shape), t.describe() + " must have the shape of " + input.describe())
        }
        const outer = dimsProduct(input.shape, 0, axis)
        const inner = dimsProduct(input.shape, axis, input.rank())
        useMove(op, "pack_bytes", n, typeSize(output.type))
        for (let k = 0; k < n; k++) movePiece(op, k, op.input(k), output, 0, k * inner, [[outer, inner, n * inner], [inner, 1, 1]])
    }

    function prepareUnpack(op: Operator): void {
        const input = op.input(0)
        const n = op.outputs.length
        op.check(!!input && op.inputs.length === 1 && n >= 1, "needs one input and at least one output")
        checkMoveType(op, input, [TensorType.Float32, TensorType.Int8, TensorType.Int16, TensorType.Int32], "FLOAT32, INT8, INT16, INT32")
        const num = op.optInt(UnpackOptions.Num, 0)
        op.check(num === n, "num " + num + " must be the number of outputs, " + n)
        const rank = input.rank()
        const axis = moveAxis(op, op.optInt(UnpackOptions.Axis, 0), rank, input)
        op.check(input.dim(axis) === n, "input " + input.describe() + " must have " + n + " values along axis " + axis + ", one per output")
        const shape = input.shape.slice(0, axis).concat(input.shape.slice(axis + 1))
        for (let k = 0; k < n; k++) {
            checkTypeOf(op, op.output(k), input)
            checkMoveShape(op, op.output(k), shape)
        }
        const outer = dimsProduct(input.shape, 0, axis)
        const inner = dimsProduct(input.shape, axis + 1, rank)
        useMove(op, "unpack_bytes", n, typeSize(input.type))
        for (let k = 0; k < n; k++) movePiece(op, k, input, op.output(k), k * inner, 0, [[outer, n * inner, inner], [inner, 1, 1]])
    }

    // SLICE: the block of `size` elements from `begin` in each dimension (size -1: to the end).
    // TFLM reads begin and size at invoke without checking them. Constant ones are checked here: a
    // block reaching outside the input, or an output of another shape, is refused. With either a
    // model input, the block has the output's shape and starts where begin says at invoke; a begin
    // that puts it outside the input (TFLM reads outside its input there) gives zeros.
    function prepareSlice(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        op.check(!!input && !!op.input(1) && !!op.input(2) && op.inputs.length === 3 && op.outputs.length === 1,
            "needs an input, begin, size and one output")
        checkMoveType(op, input, [TensorType.Float32, TensorType.Int8, TensorType.Int16, TensorType.Int32, TensorType.Bool],
            "FLOAT32, INT8, INT16, INT32, BOOL")
        checkTypeOf(op, output, input)
        const rank = input.rank()
        op.check(rank <= SLICE_MAX_DIMS, "input " + input.describe() + " has more than " + SLICE_MAX_DIMS + " dimensions")
        op.check(op.input(2).type === op.input(1).type, "size " + op.input(2).describe() + " must have the type of begin " + op.input(1).describe())
        if (!op.input(1).isConst || !op.input(2).isConst) {
            prepareDynamicSlice(op, input, op.input(1), op.input(2), output)
            return
        }
        const begin = moveConstInts(op, op.input(1), "begin", true)
        const size = moveConstInts(op, op.input(2), "size", true)
        op.check(begin.length === rank && size.length === rank, "begin and size must hold " + rank + " values each, one per input dimension")
        const strides = moveStrides(input.shape)
        const shape: number[] = []
        const dims: number[][] = []
        let start = 0
        for (let d = 0; d < rank; d++) {
            const n = size[d] === -1 ? input.dim(d) - begin[d] : size[d]
            op.check(begin[d] >= 0 && n >= 0 && begin[d] + n <= input.dim(d),
                "begin " + begin[d] + " and size " + size[d] + " leave dimension " + d + " of input " + input.describe())
            shape.push(n)
            start += begin[d] * strides[d]
        }
        checkMoveShape(op, output, shape)
        const outStrides = moveStrides(shape)
        for (let d = 0; d < rank; d++) dims.push([shape[d], strides[d], outStrides[d]])
        useMove(op, "slice_bytes", 1, typeSize(input.type))
        movePiece(op, 0, input, output, start, 0, dims)
    }

    function prepareDynamicSlice(op: Operator, input: Tensor, begin: Tensor, size: Tensor, output: Tensor): void {
        const wide = begin.type === TensorType.Int64
        op.check(begin.type === TensorType.Int32 || wide, "the begin input " + begin.describe() + " must be INT32 or INT64")
        const rank = input.rank()
        op.check(begin.elementCount() === rank && size.elementCount() === rank, "begin and size must hold " + rank + " values each, one per input dimension")
        op.check(output.rank() === rank, "output " + output.describe() + " must have the rank of input " + input.describe())
        for (let d = 0; d < rank; d++)
            op.check(output.dim(d) <= input.dim(d), "output " + output.describe() + " is larger than input " + input.describe() + " in dimension " + d)
        // An empty output moves nothing: its strides (maybe past int32 beside a 0) are never written.
        const empty = output.elementCount() === 0
        const strides = moveStrides(input.shape)
        const outStrides = moveStrides(output.shape)
        const dims: number[][] = []
        for (let d = 0; d < rank; d++) dims.push([output.dim(d), empty ? 0 : strides[d], empty ? 0 : outStrides[d]])
        useMove(op, "slice_dynamic_bytes", 1, typeSize(input.type), SliceDynamicParams.Words)
        movePiece(op, 0, input, output, 0, 0, dims)
        const p = op.params
        op.paramTensor(SliceDynamicParams.Begin, begin)
        setParam(p, SliceDynamicParams.BeginStep, wide ? 8 : 4)
        setParam(p, SliceDynamicParams.Rank, rank)
        setParam(p, SliceDynamicParams.OutputBytes, output.bytes)
        for (let d = 0; d < rank; d++) setParams(p, SliceDynamicParams.Dims + 3 * d, [input.dim(d), empty ? 0 : strides[d], output.dim(d)])
    }

    // SHAPE: the input's dimensions as INT32 (TFLM writes no other output type).
    function prepareShape(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        op.check(!!input && op.inputs.length === 1 && op.outputs.length === 1, "needs one input and one output")
        op.check(output.type === TensorType.Int32, "output " + output.describe() + " must be INT32 (TFLM writes no other type)")
        const rank = input.rank()
        checkMoveShape(op, output, [rank])
        const p = op.useBody("shape_int32", ShapeParams.Dims + rank)
        op.paramTensor(ShapeParams.Output, output)
        setParam(p, ShapeParams.Rank, rank)
        for (let i = 0; i < rank; i++) setParam(p, ShapeParams.Dims + i, input.dim(i))
    }

    // REVERSE_V2: the input with the listed axes reversed. TFLM takes 1-D INT32 axes naming
    // neighbouring dimensions (in any order, none twice), read at invoke. Constant ones are checked
    // here and become one strided copy; a model input goes to reverse_v2_dynamic_bytes.
    function prepareReverse(op: Operator): void {
        const input = op.input(0)
        const axisInput = op.input(1)
        const output = op.output(0)
        op.check(!!input && !!axisInput && op.inputs.length === 2 && op.outputs.length === 1, "needs an input, axes and one output")
        checkMoveType(op, input, [TensorType.Float32, TensorType.Int8, TensorType.UInt8, TensorType.Int16, TensorType.Int32,
            TensorType.Int64, TensorType.Bool], "FLOAT32, INT8, UINT8, INT16, INT32, INT64, BOOL")
        checkTypeOf(op, output, input)
        const rank = input.rank()
        op.check(rank <= REVERSE_MAX_DIMS, "input " + input.describe() + " has more than " + REVERSE_MAX_DIMS + " dimensions")
        op.check(axisInput.rank() === 1, "the axis input " + axisInput.describe() + " must be 1-D")
        if (!axisInput.isConst) {
            prepareDynamicReverse(op, input, axisInput, output)
            return
        }
        const given = moveConstInts(op, axisInput, "axis", false)
        op.check(given.length >= 1 && given.length <= rank, "the axis input " + axisInput.describe() + " must hold 1 to " + rank + " axes")
        const reversed: boolean[] = []
        for (let d = 0; d < rank; d++) reversed.push(false)
        let lo = rank, hi = -1
        for (let i = 0; i < given.length; i++) {
            const axis = moveAxis(op, given[i], rank, input)
            op.check(!reversed[axis], "axis " + given[i] + " is listed twice (TFLM reverses neighbouring axes only)")
            reversed[axis] = true
            lo = Math.min(lo, axis)
            hi = Math.max(hi, axis)
        }
        op.check(hi - lo + 1 === given.length, "the axes " + moveShapeText(given) + " are not neighbours (TFLM reverses neighbouring axes only)")
        checkMoveShape(op, output, input.shape)
        const strides = moveStrides(input.shape)
        const dims: number[][] = []
        let start = 0
        for (let d = 0; d < rank; d++) {
            if (reversed[d]) start += (input.dim(d) - 1) * strides[d]
            dims.push([input.dim(d), reversed[d] ? -strides[d] : strides[d], strides[d]])
        }
        useMove(op, "reverse_v2_bytes", 1, typeSize(input.type))
        movePiece(op, 0, input, output, start, 0, dims)
    }

    // With the axes a model input, TFLM reads them at invoke and fails it for axes it does not take
    // (out of range, twice, not neighbours): here the output is zeros then.
    function prepareDynamicReverse(op: Operator, input: Tensor, axisInput: Tensor, output: Tensor): void {
        const rank = input.rank()
        op.check(axisInput.type === TensorType.Int32, "the axis input " + axisInput.describe() + " must be INT32")
        const n = axisInput.elementCount()
        op.check(n >= 1 && n <= rank, "the axis input " + axisInput.describe() + " must hold 1 to " + rank + " axes")
        checkMoveShape(op, output, input.shape)
        const p = op.useBody("reverse_v2_dynamic_bytes", ReverseDynamicParams.Words)
        op.paramTensor(ReverseDynamicParams.Input, input)
        op.paramTensor(ReverseDynamicParams.Output, output)
        op.paramTensor(ReverseDynamicParams.Axes, axisInput)
        setParam(p, ReverseDynamicParams.AxisCount, n)
        setParam(p, ReverseDynamicParams.ElementSize, typeSize(input.type))
        setParam(p, ReverseDynamicParams.Rank, rank)
        for (let d = 0; d < rank; d++) setParam(p, ReverseDynamicParams.Dims + d, input.dim(d))
    }

    // BROADCAST_TO: the input repeated along its dimensions of 1 (and new outer ones) up to the
    // constant shape, which the output must have.
    function prepareBroadcastTo(op: Operator): void {
        const input = op.input(0)
        const shapeInput = op.input(1)
        const output = op.output(0)
        op.check(!!input && !!shapeInput && op.inputs.length === 2 && op.outputs.length === 1, "needs an input, a shape and one output")
        op.check(typeSize(input.type) > 0, "unsupported type " + typeName(input.type) + " of " + input.describe())
        checkTypeOf(op, output, input)
        op.check(shapeInput.rank() === 1, "the shape input " + shapeInput.describe() + " must be 1-D")
        const shape = moveConstInts(op, shapeInput, "shape", true)
        const rank = shape.length
        op.check(rank <= BROADCAST_TO_MAX_DIMS, "shape " + moveShapeText(shape) + " has more than " + BROADCAST_TO_MAX_DIMS + " dimensions")
        const extra = rank - input.rank()
        op.check(extra >= 0, "input " + input.describe() + " has more dimensions than shape " + moveShapeText(shape))
        for (let d = 0; d < input.rank(); d++)
            op.check(input.dim(d) === 1 || input.dim(d) === shape[extra + d], "input " + input.describe() + " cannot be broadcast to shape " + moveShapeText(shape))
        checkMoveShape(op, output, shape)
        const inStrides = moveStrides(input.shape)
        const outStrides = moveStrides(shape)
        const dims: number[][] = []
        for (let d = 0; d < rank; d++) {
            const i = d - extra
            dims.push([shape[d], i < 0 || input.dim(i) === 1 ? 0 : inStrides[i], outStrides[d]])
        }
        useMove(op, "broadcast_to_bytes", 1, typeSize(input.type))
        movePiece(op, 0, input, output, 0, 0, dims)
    }

    // DEPTH_TO_SPACE and SPACE_TO_DEPTH (NHWC, FLOAT32 and INT8): with block size b, output
    // [n][h * b + i][w * b + j][c] is input [n][h][w][(i * b + j) * C + c] (C the output's
    // depth); SPACE_TO_DEPTH is its inverse. The output's shape is TFLM's, computed from the input's.
    function prepareDepthToSpace(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        const b = checkBlockOp(op, input, output)
        const ih = input.dim(1), iw = input.dim(2), ic = input.dim(3)
        const oc = Math.idiv(Math.idiv(ic, b), b)
        op.check(oc * b * b === ic, "input depth " + ic + " is not a multiple of block size " + b + " squared")
        checkMoveShape(op, output, [input.dim(0), ih * b, iw * b, oc])
        // Output order: n, h, i, w, j, c.
        const outRow = iw * b * oc
        useMove(op, "depth_to_space_bytes", 1, typeSize(input.type))
        movePiece(op, 0, input, output, 0, 0, [[input.dim(0), ih * iw * ic, ih * b * outRow], [ih, iw * ic, b * outRow], [b, b * oc, outRow],
            [iw, ic, b * oc], [b, oc, oc], [oc, 1, 1]])
    }

    function prepareSpaceToDepth(op: Operator): void {
        const input = op.input(0)
        const output = op.output(0)
        const b = checkBlockOp(op, input, output)
        const ih = input.dim(1), iw = input.dim(2), ic = input.dim(3)
        const oh = Math.idiv(ih, b), ow = Math.idiv(iw, b)
        op.check(oh * b === ih && ow * b === iw, "input height " + ih + " and width " + iw + " are not multiples of block size " + b)
        const oc = ic * b * b
        checkMoveShape(op, output, [input.dim(0), oh, ow, oc])
        // Input order: n, h, i, w, j, c.
        const inRow = iw * ic
        useMove(op, "space_to_depth_bytes", 1, typeSize(input.type))
        movePiece(op, 0, input, output, 0, 0, [[input.dim(0), ih * inRow, oh * ow * oc], [oh, b * inRow, ow * oc], [b, inRow, b * ic],
            [ow, b * ic, oc], [b, ic, ic], [ic, 1, 1]])
    }

    /** DEPTH_TO_SPACE's and SPACE_TO_DEPTH's common checks; returns the block size. */
    function checkBlockOp(op: Operator, input: Tensor, output: Tensor): number {
        op.check(!!input && op.inputs.length === 1 && op.outputs.length === 1, "needs one input and one output")
        checkMoveType(op, input, [TensorType.Float32, TensorType.Int8], "FLOAT32, INT8")
        checkTypeOf(op, output, input)
        op.check(input.rank() === 4, "the input must be 4-D (NHWC), not " + input.describe())
        const b = op.optInt(BlockOptions.BlockSize, 0)
        op.check(b > 0, "block size " + b + " must be positive")
        return b
    }

    // GATHER: output [batch][outer][position][inner] = input [batch][outer][positions[batch][position]][inner],
    // the batch being the first batch_dims dimensions of both. TFLM (FLOAT32, INT8; INT32
    // positions) does not check positions: one outside the axis reads outside the input there,
    // here it gives zeros.
    function prepareGather(op: Operator): void {
        const input = op.input(0)
        const positions = op.input(1)
        const output = op.output(0)
        op.check(!!input && !!positions && op.inputs.length === 2 && op.outputs.length === 1, "needs an input, positions and one output")
        op.check(positions.type === TensorType.Int32, "positions " + positions.describe() + " must be INT32 (TFLM takes no other type)")
        checkMoveType(op, input, [TensorType.Float32, TensorType.Int8], "FLOAT32, INT8")
        checkTypeOf(op, output, input)
        const rank = input.rank()
        const axis = moveAxis(op, op.optInt(GatherOptions.Axis, 0), rank, input)
        const givenBatch = op.optInt(GatherOptions.BatchDims, 0)
        const batchDims = givenBatch < 0 ? givenBatch + positions.rank() : givenBatch
        op.check(batchDims >= 0 && batchDims <= axis && batchDims <= positions.rank(),
            "batch_dims " + givenBatch + " must be within 0 and axis " + axis + " and the positions' rank")
        for (let i = 0; i < batchDims; i++)
            op.check(input.dim(i) === positions.dim(i), "input " + input.describe() + " and positions " + positions.describe() + " differ in batch dimension " + i)
        const shape = input.shape.slice(0, axis).concat(positions.shape.slice(batchDims)).concat(input.shape.slice(axis + 1))
        checkMoveShape(op, output, shape)
        const p = op.useBody("gather_bytes", GatherParams.PositionCount + 1)
        op.paramTensor(GatherParams.Input, input)
        op.paramTensor(GatherParams.Positions, positions)
        op.paramTensor(GatherParams.Output, output)
        setParam(p, GatherParams.ElementSize, typeSize(input.type))
        // An empty output gathers nothing; else every count below is a factor of its element count.
        if (output.elementCount() === 0) return
        setParam(p, GatherParams.BatchCount, dimsProduct(input.shape, 0, batchDims))
        setParam(p, GatherParams.OuterCount, dimsProduct(input.shape, batchDims, axis))
        setParam(p, GatherParams.InnerCount, dimsProduct(input.shape, axis + 1, rank))
        setParam(p, GatherParams.AxisSize, input.dim(axis))
        setParam(p, GatherParams.PositionCount, dimsProduct(positions.shape, batchDims, positions.rank()))
    }

    // GATHER_ND: output [i][...] = the slice of the input at the index tuple indices[i] (its
    // last dimension: the tuple's length, up to the input's rank). TFLM (FLOAT32, INT8; INT32
    // indices) fails the invoke for a slice starting outside the input's elements (it checks the
    // flat position only); there is no failing at invoke here, and that slice gives zeros.
    function prepareGatherNd(op: Operator): void {
        const input = op.input(0)
        const indices = op.input(1)
        const output = op.output(0)
        op.check(!!input && !!indices && op.inputs.length === 2 && op.outputs.length === 1, "needs an input, indices and one output")
        checkMoveType(op, input, [TensorType.Float32, TensorType.Int8], "FLOAT32, INT8")
        op.check(indices.type === TensorType.Int32, "indices " + indices.describe() + " must be INT32 (TFLM takes no other type)")
        checkTypeOf(op, output, input)
        const rank = input.rank()
        const indexRank = indices.rank()
        op.check(rank >= 1, "the input " + input.describe() + " must have at least one dimension")
        op.check(indexRank >= 1, "the indices " + indices.describe() + " must have at least one dimension")
        const depth = indices.dim(indexRank - 1)
        op.check(depth <= rank, "index tuples of " + depth + " exceed the rank of input " + input.describe())
        op.check(depth <= GATHER_ND_MAX_DEPTH, "index tuples of " + depth + " exceed TFLM's " + GATHER_ND_MAX_DEPTH)
        const shape = indices.shape.slice(0, indexRank - 1).concat(input.shape.slice(depth))
        checkMoveShape(op, output, shape)
        const p = op.useBody("gather_nd_bytes", GatherNdParams.Steps + GATHER_ND_MAX_DEPTH)
        op.paramTensor(GatherNdParams.Input, input)
        op.paramTensor(GatherNdParams.Indices, indices)
        op.paramTensor(GatherNdParams.Output, output)
        setParam(p, GatherNdParams.ElementSize, typeSize(input.type))
        // An empty output gathers nothing; an empty input gives zeros (every slice is outside it).
        if (output.elementCount() === 0) return
        setParam(p, GatherNdParams.SliceCount, dimsProduct(indices.shape, 0, indexRank - 1))
        setParam(p, GatherNdParams.SliceSize, dimsProduct(input.shape, depth, rank))
        setParam(p, GatherNdParams.IndexDepth, depth)
        const count = input.elementCount()
        setParam(p, GatherNdParams.InputCount, count)
        if (count === 0) return
        let remaining = count
        for (let j = 0; j < depth; j++) {
            remaining = Math.idiv(remaining, input.dim(j))
            setParam(p, GatherNdParams.Steps + j, remaining)
        }
    }

    // ---- Bodies ----

    export function moveBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const pieces = param(p, MoveParams.PieceCount)
        for (let k = 0; k < pieces; k++) {
            const w = MoveParams.Pieces + MovePiece.Words * k
            copyPiece(p, w, param(p, w + MovePiece.InputStart), model, arena)
        }
    }

    /** SLICE with begin read now: the block's start, or zeros when the block leaves the input. */
    export function sliceDynamicBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const bytes = param(p, SliceDynamicParams.OutputBytes)
        if (bytes === 0) return
        const begin = paramBuffer(p, SliceDynamicParams.Begin, model, arena)
        const beginAt = paramOffset(p, SliceDynamicParams.Begin)
        const step = param(p, SliceDynamicParams.BeginStep)
        let start = 0
        let inside = true
        for (let d = 0; d < param(p, SliceDynamicParams.Rank); d++) {
            const b = begin.getNumber(NumberFormat.Int32LE, beginAt + step * d)
            const w = SliceDynamicParams.Dims + 3 * d
            if (b < 0 || b > param(p, w) - param(p, w + 2)) inside = false
            else start += b * param(p, w + 1)
        }
        if (inside) copyPiece(p, MoveParams.Pieces, start, model, arena)
        else {
            const output = paramBuffer(p, MoveParams.Pieces + MovePiece.Output, model, arena)
            const at = paramOffset(p, MoveParams.Pieces + MovePiece.Output)
            for (let i = 0; i < bytes; i++) output[at + i] = 0
        }
    }

    /** Copies the piece at word `w` of a moveBytes block, from input element `inputStart`. */
    function copyPiece(p: Buffer, w: number, inputStart: number, model: Buffer, arena: Buffer): void {
        const size = param(p, MoveParams.ElementSize)
        const input = paramBuffer(p, w + MovePiece.Input, model, arena)
        const output = paramBuffer(p, w + MovePiece.Output, model, arena)
        const inAt = paramOffset(p, w + MovePiece.Input) + size * inputStart
        const outAt = paramOffset(p, w + MovePiece.Output) + size * param(p, w + MovePiece.OutputStart)
        const d = w + MovePiece.Dims
        const n0 = param(p, d), i0 = size * param(p, d + 1), o0 = size * param(p, d + 2)
        const n1 = param(p, d + 3), i1 = size * param(p, d + 4), o1 = size * param(p, d + 5)
        const n2 = param(p, d + 6), i2 = size * param(p, d + 7), o2 = size * param(p, d + 8)
        const n3 = param(p, d + 9), i3 = size * param(p, d + 10), o3 = size * param(p, d + 11)
        const n4 = param(p, d + 12), i4 = size * param(p, d + 13), o4 = size * param(p, d + 14)
        for (let a = 0; a < n0; a++)
            for (let b = 0; b < n1; b++)
                for (let c = 0; c < n2; c++)
                    for (let e = 0; e < n3; e++) {
                        let from = inAt + a * i0 + b * i1 + c * i2 + e * i3
                        let to = outAt + a * o0 + b * o1 + c * o2 + e * o3
                        for (let f = 0; f < n4; f++) {
                            for (let x = 0; x < size; x++) output[to + x] = input[from + x]
                            from += i4
                            to += o4
                        }
                    }
    }

    export function reverseDynamicBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, ReverseDynamicParams.Input, model, arena)
        const inAt = paramOffset(p, ReverseDynamicParams.Input)
        const output = paramBuffer(p, ReverseDynamicParams.Output, model, arena)
        let to = paramOffset(p, ReverseDynamicParams.Output)
        const axes = paramBuffer(p, ReverseDynamicParams.Axes, model, arena)
        const axesAt = paramOffset(p, ReverseDynamicParams.Axes)
        const size = param(p, ReverseDynamicParams.ElementSize)
        const rank = param(p, ReverseDynamicParams.Rank)
        const n = param(p, ReverseDynamicParams.AxisCount)
        // REVERSE_MAX_DIMS dimensions, 1s in front: sizes, and input steps in bytes (negative where reversed).
        const sizes: number[] = [], steps: number[] = [], reversed: boolean[] = []
        for (let d = 0; d < REVERSE_MAX_DIMS; d++) {
            sizes.push(d < REVERSE_MAX_DIMS - rank ? 1 : param(p, ReverseDynamicParams.Dims + d - (REVERSE_MAX_DIMS - rank)))
            reversed.push(false)
            steps.push(0)
        }
        let ok = true
        let lo = REVERSE_MAX_DIMS, hi = -1
        for (let i = 0; i < n; i++) {
            let axis = axes.getNumber(NumberFormat.Int32LE, axesAt + 4 * i)
            if (axis < 0) axis += rank
            if (axis < 0 || axis >= rank || reversed[axis + REVERSE_MAX_DIMS - rank]) ok = false
            else {
                const d = axis + REVERSE_MAX_DIMS - rank
                reversed[d] = true
                lo = Math.min(lo, d)
                hi = Math.max(hi, d)
            }
        }
        if (hi - lo + 1 !== n) ok = false
        let count = 1
        let from = inAt
        for (let d = REVERSE_MAX_DIMS - 1; d >= 0; d--) {
            steps[d] = reversed[d] ? -count * size : count * size
            if (reversed[d]) from += (sizes[d] - 1) * count * size
            count *= sizes[d]
        }
        if (!ok) {
            for (let i = 0; i < count * size; i++) output[to + i] = 0
            return
        }
        for (let a = 0; a < sizes[0]; a++)
            for (let b = 0; b < sizes[1]; b++)
                for (let c = 0; c < sizes[2]; c++)
                    for (let e = 0; e < sizes[3]; e++)
                        for (let f = 0; f < sizes[4]; f++) {
                            let at = from + a * steps[0] + b * steps[1] + c * steps[2] + e * steps[3] + f * steps[4]
                            for (let g = 0; g < sizes[5]; g++) {
                                for (let x = 0; x < size; x++) output[to + x] = input[at + x]
                                at += steps[5]
                                to += size
                            }
                        }
    }

    export function shapeInt32(p: Buffer, model: Buffer, arena: Buffer): void {
        const output = paramBuffer(p, ShapeParams.Output, model, arena)
        const at = paramOffset(p, ShapeParams.Output)
        const rank = param(p, ShapeParams.Rank)
        for (let i = 0; i < rank; i++) output.setNumber(NumberFormat.Int32LE, at + 4 * i, param(p, ShapeParams.Dims + i))
    }

    export function gatherBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, GatherParams.Input, model, arena)
        const inAt = paramOffset(p, GatherParams.Input)
        const positions = paramBuffer(p, GatherParams.Positions, model, arena)
        const posAt = paramOffset(p, GatherParams.Positions)
        const output = paramBuffer(p, GatherParams.Output, model, arena)
        let to = paramOffset(p, GatherParams.Output)
        const size = param(p, GatherParams.ElementSize)
        const batches = param(p, GatherParams.BatchCount)
        const outers = param(p, GatherParams.OuterCount)
        const run = size * param(p, GatherParams.InnerCount)
        const axisSize = param(p, GatherParams.AxisSize)
        const count = param(p, GatherParams.PositionCount)
        for (let batch = 0; batch < batches; batch++)
            for (let outer = 0; outer < outers; outer++)
                for (let i = 0; i < count; i++) {
                    const position = positions.getNumber(NumberFormat.Int32LE, posAt + 4 * (batch * count + i))
                    const from = inAt + ((batch * outers + outer) * axisSize + position) * run
                    const inside = position >= 0 && position < axisSize
                    for (let x = 0; x < run; x++) output[to + x] = inside ? input[from + x] : 0
                    to += run
                }
    }

    export function gatherNdBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, GatherNdParams.Input, model, arena)
        const inAt = paramOffset(p, GatherNdParams.Input)
        const indices = paramBuffer(p, GatherNdParams.Indices, model, arena)
        const idxAt = paramOffset(p, GatherNdParams.Indices)
        const output = paramBuffer(p, GatherNdParams.Output, model, arena)
        let to = paramOffset(p, GatherNdParams.Output)
        const size = param(p, GatherNdParams.ElementSize)
        const slices = param(p, GatherNdParams.SliceCount)
        const sliceSize = param(p, GatherNdParams.SliceSize)
        const depth = param(p, GatherNdParams.IndexDepth)
        const count = param(p, GatherNdParams.InputCount)
        const run = size * sliceSize
        for (let i = 0; i < slices; i++) {
            // TFLM's int sums, wrapping as int32 (C's unsigned arithmetic does the same).
            let from = 0
            for (let j = 0; j < depth; j++)
                from = (from + Math.imul(indices.getNumber(NumberFormat.Int32LE, idxAt + 4 * (i * depth + j)), param(p, GatherNdParams.Steps + j))) | 0
            const inside = from >= 0 && from <= count - sliceSize
            for (let x = 0; x < run; x++) output[to + x] = inside ? input[inAt + size * from + x] : 0
            to += run
        }
    }
}
