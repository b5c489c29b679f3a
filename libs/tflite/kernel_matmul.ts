namespace tflite {
    // BATCH_MATMUL: output[..., m, n] = sum over k of lhs[..., m, k] * rhs[..., k, n], as TFLM's
    // reference kernel computes it (tensorflow/lite/micro/kernels/batch_matmul.cc,
    // reference/batch_matmul.h).
    //
    // adj_x reads lhs as [..., k, m], adj_y reads rhs as [..., n, k]. TFLM copies a transposed rhs
    // (and lhs with adj_x) into its own memory first; here each body reads the element in place
    // through strides instead, which gives the same products in the same order: one sum per
    // output element, k from 0 up, starting from 0 (so a sum of -0 products is +0 as in TFLM).
    // The batch dimensions (up to 3: ranks 2 to 5) broadcast as TFLM's extents do: a dimension of
    // 1 on one side has stride 0. TFLM's flattening of the last batch dimension when rhs has 1
    // there (ReshapeToFlattenBatchDimsIfPossible) gives every output element the same products in
    // the same order, so it needs no twin here.
    //
    // int8: (lhs - lhs_zp) * (rhs - rhs_zp) summed in int32, rescaled by lhs_scale * rhs_scale /
    // output_scale (the scales' product in float32, as GetQuantizedConvolutionMultipler), plus the
    // output zero point, clamped to int8. int16: the same with an int64 sum, TFLM's 64-bit
    // MultiplyByQuantizedMultiplier and zero points 0.

    /** Parameter block of batch_matmul_float, batch_matmul_int8 and batch_matmul_int16 (words). */
    export const enum BatchMatmulParams {
        Lhs = 0, Rhs = 2, Output = 4,
        /** Rows of lhs (m), columns of rhs (n) and the depth summed over (k) of each product. */
        Rows = 6, Cols = 7, Depth = 8,
        /** Element strides inside one lhs matrix: to the next row (m) and to the next k. */
        LhsRowStride = 9, LhsDepthStride = 10,
        /** Element strides inside one rhs matrix: to the next column (n) and to the next k. */
        RhsColStride = 11, RhsDepthStride = 12,
        /** The output's three batch dimensions (leading 1s below rank 5). */
        Batch0 = 13, Batch1 = 14, Batch2 = 15,
        /** Element strides of lhs and rhs along each batch dimension (0 where it broadcasts). */
        LhsBatchStride0 = 16, LhsBatchStride1 = 17, LhsBatchStride2 = 18,
        RhsBatchStride0 = 19, RhsBatchStride1 = 20, RhsBatchStride2 = 21,
        /** Quantized only: minus the zero points of lhs and rhs, the output's zero point. */
        LhsOffset = 22, RhsOffset = 23, OutputOffset = 24,
        /** Quantized only: the output rescale (multiplier, shift) and the output type's range. */
        Multiplier = 25, Shift = 26, ActivationMin = 27, ActivationMax = 28,
        Words = 29,
    }

    const enum BatchMatmulOptions { AdjX = 0, AdjY = 1 }

    export function registerMatmulKernels(): void {
        registerBuiltin(BuiltinOp.BATCH_MATMUL, prepareBatchMatmul)
        registerBody("batch_matmul_float", batchMatmulFloat)
        registerBody("batch_matmul_int8", batchMatmulInt8)
        registerBody("batch_matmul_int16", batchMatmulInt16)
        registerDynamicUpdateSliceKernels()
        registerCumsumKernels()
    }

    function isMatmulType(type: number): boolean {
        return type === TensorType.Float32 || type === TensorType.Int8 || type === TensorType.Int16
    }

    /** Dimension i of `t` extended with leading 1s to `rank` dimensions. */
    function extendedDim(t: Tensor, rank: number, i: number): number {
        const j = i - (rank - t.rank())
        return j < 0 ? 1 : t.dim(j)
    }

    /**
     * The strides of `t`'s batch dimensions, extended to `rank`, written at `word` as three words
     * for a rank-5 output (0 for the leading dimensions a smaller rank lacks and for each
     * dimension of 1, which broadcasts, as TFLM's extent()).
     */
    function setBatchStrides(p: Buffer, word: number, t: Tensor, rank: number): void {
        let stride = extendedDim(t, rank, rank - 2) * extendedDim(t, rank, rank - 1)
        for (let i = rank - 3; i >= 0; i--) {
            const d = extendedDim(t, rank, i)
            setParam(p, word + i + 5 - rank, d === 1 ? 0 : stride)
            stride *= d
        }
    }

    /** TFLM's checks in its order; a per-channel tensor is refused (TFLM reads its first scale only). */
    function prepareBatchMatmul(op: Operator): void {
        const lhs = op.input(0)
        const rhs = op.input(1)
        const output = op.output(0)
        op.check(op.inputs.length === 2 && op.outputs.length === 1 && !!lhs && !!rhs, "needs two inputs and one output")
        op.check(isMatmulType(lhs.type), "unsupported type " + typeName(lhs.type) + " of " + lhs.describe() + " (TFLM takes FLOAT32, INT8, INT16)")
        op.check(rhs.type === lhs.type, rhs.describe() + " must have the type of " + lhs.describe())
        op.check(output.type === lhs.type, output.describe() + " must have the type of " + lhs.describe())
        op.check(lhs.rank() >= 2 && lhs.rank() <= 5, "lhs " + lhs.describe() + " must have 2 to 5 dimensions")
        op.check(rhs.rank() >= 2 && rhs.rank() <= 5, "rhs " + rhs.describe() + " must have 2 to 5 dimensions")
        const float = lhs.type === TensorType.Float32
        if (!float) {
            op.check(lhs.scales.length <= 1 && rhs.scales.length <= 1 && output.scales.length <= 1,
                "TFLM's BATCH_MATMUL is per-tensor: it reads only the first of several scales")
            op.check(lhs.type === TensorType.Int8 || lhs.zeroPoint === 0 && rhs.zeroPoint === 0 && output.zeroPoint === 0,
                "int16 tensors must have zero point 0")
        }
        const rank = Math.max(lhs.rank(), rhs.rank())
        let count = 1
        for (let i = 0; i < rank - 2; i++) {
            const l = extendedDim(lhs, rank, i), r = extendedDim(rhs, rank, i)
            op.check(l === r || l === 1 || r === 1, "batch dimension " + i + " does not broadcast: lhs " + lhs.describe() +
                " has " + l + ", rhs " + rhs.describe() + " has " + r)
            count *= l === 1 ? r : l
        }
        const adjX = op.optByte(BatchMatmulOptions.AdjX, 0) !== 0
        const adjY = op.optByte(BatchMatmulOptions.AdjY, 0) !== 0
        const rows = extendedDim(lhs, rank, adjX ? rank - 1 : rank - 2)
        const depth = extendedDim(lhs, rank, adjX ? rank - 2 : rank - 1)
        const rhsDepth = extendedDim(rhs, rank, adjY ? rank - 1 : rank - 2)
        const cols = extendedDim(rhs, rank, adjY ? rank - 2 : rank - 1)
        op.check(depth === rhsDepth, "lhs " + lhs.describe() + " has depth " + depth + ", rhs " + rhs.describe() +
            " has " + rhsDepth + " (adj_x " + (adjX ? 1 : 0) + ", adj_y " + (adjY ? 1 : 0) + ")")
        count *= rows * cols
        op.check(count < 2147483648, "lhs " + lhs.describe() + " and rhs " + rhs.describe() + " make an output of more than 2^31 - 1 values")
        op.check(output.rank() >= rank && output.elementCount() === count,
            "output " + output.describe() + " must hold " + count + " values in at least " + rank + " dimensions")

        const p = op.useBody(float ? "batch_matmul_float" : lhs.type === TensorType.Int8 ? "batch_matmul_int8" : "batch_matmul_int16",
            BatchMatmulParams.Words)
        op.paramTensor(BatchMatmulParams.Lhs, lhs)
        op.paramTensor(BatchMatmulParams.Rhs, rhs)
        op.paramTensor(BatchMatmulParams.Output, output)
        setParam(p, BatchMatmulParams.Rows, rows)
        setParam(p, BatchMatmulParams.Cols, cols)
        setParam(p, BatchMatmulParams.Depth, depth)
        setParam(p, BatchMatmulParams.LhsRowStride, adjX ? 1 : depth)
        setParam(p, BatchMatmulParams.LhsDepthStride, adjX ? rows : 1)
        setParam(p, BatchMatmulParams.RhsColStride, adjY ? depth : 1)
        setParam(p, BatchMatmulParams.RhsDepthStride, adjY ? 1 : cols)
        for (let i = 0; i < 3; i++) {
            const d = i + rank - 5
            setParam(p, BatchMatmulParams.Batch0 + i, d < 0 ? 1 : Math.max(extendedDim(lhs, rank, d), extendedDim(rhs, rank, d)))
        }
        setBatchStrides(p, BatchMatmulParams.LhsBatchStride0, lhs, rank)
        setBatchStrides(p, BatchMatmulParams.RhsBatchStride0, rhs, rank)
        if (float) return
        setParam(p, BatchMatmulParams.LhsOffset, -lhs.zeroPoint)
        setParam(p, BatchMatmulParams.RhsOffset, -rhs.zeroPoint)
        setParam(p, BatchMatmulParams.OutputOffset, output.zeroPoint)
        setParams(p, BatchMatmulParams.Multiplier, perTensorMultiplier(lhs, rhs, output))
        const int8 = lhs.type === TensorType.Int8
        setParam(p, BatchMatmulParams.ActivationMin, int8 ? -128 : -32768)
        setParam(p, BatchMatmulParams.ActivationMax, int8 ? 127 : 32767)
    }

    /**
     * Runs `dot(lhsAt, rhsAt, outAt)` for each output element in output order, with the element
     * indices of its row of lhs and its column of rhs (their first k) and its own index.
     */
    function eachMatmulElement(p: Buffer, dot: (lhsAt: number, rhsAt: number, outAt: number) => void): void {
        const rows = param(p, BatchMatmulParams.Rows), cols = param(p, BatchMatmulParams.Cols)
        const lhsRow = param(p, BatchMatmulParams.LhsRowStride), rhsCol = param(p, BatchMatmulParams.RhsColStride)
        let out = 0
        for (let b0 = 0; b0 < param(p, BatchMatmulParams.Batch0); b0++)
            for (let b1 = 0; b1 < param(p, BatchMatmulParams.Batch1); b1++)
                for (let b2 = 0; b2 < param(p, BatchMatmulParams.Batch2); b2++) {
                    const lhsBase = b0 * param(p, BatchMatmulParams.LhsBatchStride0) + b1 * param(p, BatchMatmulParams.LhsBatchStride1) +
                        b2 * param(p, BatchMatmulParams.LhsBatchStride2)
                    const rhsBase = b0 * param(p, BatchMatmulParams.RhsBatchStride0) + b1 * param(p, BatchMatmulParams.RhsBatchStride1) +
                        b2 * param(p, BatchMatmulParams.RhsBatchStride2)
                    for (let m = 0; m < rows; m++)
                        for (let n = 0; n < cols; n++) dot(lhsBase + m * lhsRow, rhsBase + n * rhsCol, out++)
                }
    }

    export function batchMatmulFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const lhs = paramBuffer(p, BatchMatmulParams.Lhs, model, arena), lhsAt = paramOffset(p, BatchMatmulParams.Lhs)
        const rhs = paramBuffer(p, BatchMatmulParams.Rhs, model, arena), rhsAt = paramOffset(p, BatchMatmulParams.Rhs)
        const output = paramBuffer(p, BatchMatmulParams.Output, model, arena), outputAt = paramOffset(p, BatchMatmulParams.Output)
        const depth = param(p, BatchMatmulParams.Depth)
        const lhsStep = 4 * param(p, BatchMatmulParams.LhsDepthStride), rhsStep = 4 * param(p, BatchMatmulParams.RhsDepthStride)
        eachMatmulElement(p, (l: number, r: number, o: number) => {
            let total = 0
            let la = lhsAt + 4 * l, ra = rhsAt + 4 * r
            for (let k = 0; k < depth; k++) {
                // Two float32s' product is exact in a double: one rounding each, as float32 arithmetic.
                total = f32(total + f32(lhs.getNumber(NumberFormat.Float32LE, la) * rhs.getNumber(NumberFormat.Float32LE, ra)))
                la += lhsStep
                ra += rhsStep
            }
            output.setNumber(NumberFormat.Float32LE, outputAt + 4 * o, total)
        })
    }

    export function batchMatmulInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const lhs = paramBuffer(p, BatchMatmulParams.Lhs, model, arena), lhsAt = paramOffset(p, BatchMatmulParams.Lhs)
        const rhs = paramBuffer(p, BatchMatmulParams.Rhs, model, arena), rhsAt = paramOffset(p, BatchMatmulParams.Rhs)
        const output = paramBuffer(p, BatchMatmulParams.Output, model, arena), outputAt = paramOffset(p, BatchMatmulParams.Output)
        const depth = param(p, BatchMatmulParams.Depth)
        const lhsStep = param(p, BatchMatmulParams.LhsDepthStride), rhsStep = param(p, BatchMatmulParams.RhsDepthStride)
        const lhsOffset = param(p, BatchMatmulParams.LhsOffset), rhsOffset = param(p, BatchMatmulParams.RhsOffset)
        const outputOffset = param(p, BatchMatmulParams.OutputOffset)
        const multiplier = param(p, BatchMatmulParams.Multiplier), shift = param(p, BatchMatmulParams.Shift)
        const lo = param(p, BatchMatmulParams.ActivationMin), hi = param(p, BatchMatmulParams.ActivationMax)
        eachMatmulElement(p, (l: number, r: number, o: number) => {
            let total = 0
            let la = lhsAt + l, ra = rhsAt + r
            for (let k = 0; k < depth; k++) {
                // TFLM's int32 sum, wrapping as it would (it takes 2^15 products of 255 * 255).
                total = (total + (((lhs[la] << 24) >> 24) + lhsOffset) * (((rhs[ra] << 24) >> 24) + rhsOffset)) | 0
                la += lhsStep
                ra += rhsStep
            }
            const v = multiplyByQuantizedMultiplier(total, multiplier, shift) + outputOffset
            output[outputAt + o] = (v < lo ? lo : v > hi ? hi : v) & 0xff
        })
    }

    export function batchMatmulInt16(p: Buffer, model: Buffer, arena: Buffer): void {
        const lhs = paramBuffer(p, BatchMatmulParams.Lhs, model, arena), lhsAt = paramOffset(p, BatchMatmulParams.Lhs)
        const rhs = paramBuffer(p, BatchMatmulParams.Rhs, model, arena), rhsAt = paramOffset(p, BatchMatmulParams.Rhs)
        const output = paramBuffer(p, BatchMatmulParams.Output, model, arena), outputAt = paramOffset(p, BatchMatmulParams.Output)
        const depth = param(p, BatchMatmulParams.Depth)
        const lhsStep = 2 * param(p, BatchMatmulParams.LhsDepthStride), rhsStep = 2 * param(p, BatchMatmulParams.RhsDepthStride)
        const outputOffset = param(p, BatchMatmulParams.OutputOffset)
        const multiplier = param(p, BatchMatmulParams.Multiplier), shift = param(p, BatchMatmulParams.Shift)
        const lo = param(p, BatchMatmulParams.ActivationMin), hi = param(p, BatchMatmulParams.ActivationMax)
        eachMatmulElement(p, (l: number, r: number, o: number) => {
            // TFLM's int64 sum (zero points are 0): each product is at most 2^30, so a double holds
            // the sum exactly up to 2^23 terms.
            let total = 0
            let la = lhsAt + 2 * l, ra = rhsAt + 2 * r
            for (let k = 0; k < depth; k++) {
                total += lhs.getNumber(NumberFormat.Int16LE, la) * rhs.getNumber(NumberFormat.Int16LE, ra)
                la += lhsStep
                ra += rhsStep
            }
            // TFLM casts the rescaled sum to int32 before adding the zero point and clamping.
            const v = (multiplyByQuantizedMultiplier64(total, multiplier, shift) | 0) + outputOffset
            output.setNumber(NumberFormat.Int16LE, outputAt + 2 * o, v < lo ? lo : v > hi ? hi : v)
        })
    }
}

namespace tflite {
    // DYNAMIC_UPDATE_SLICE: the operand copied to the output with the update written over it at
    // the start indices (a model input, INT32 or INT64, read at each invoke), as TFLM's
    // kernels/dynamic_update_slice.cc: each start clamped to [0, operand_dim - update_dim]; an
    // update of the operand's size replaces it whole; an empty update leaves the copy. Bytes are
    // copied as they are (TFLM reads no quantization), so one body serves every type TFLM takes
    // (FLOAT32, INT8, INT16, INT32).

    /** Parameter block of dynamic_update_slice_bytes (words). */
    export const enum DynamicUpdateSliceParams {
        Operand = 0, Update = 2, Indices = 4, Output = 6,
        /** Dimensions of operand and update (the same count), bytes per element, 1 for INT64 indices. */
        Rank = 8, ElementBytes = 9, IndicesInt64 = 10,
        /** Elements of operand and of update. */
        OperandCount = 11, UpdateCount = 12,
        /** The operand's dimensions, then the update's (Rank of each, up to 6). */
        OperandDims = 13, UpdateDims = 19,
        Words = 25,
    }

    export function registerDynamicUpdateSliceKernels(): void {
        registerBuiltin(BuiltinOp.DYNAMIC_UPDATE_SLICE, prepareDynamicUpdateSlice)
        registerBody("dynamic_update_slice_bytes", dynamicUpdateSliceBytes)
    }

    /**
     * TFLM's checks in its order, then what its invoke would fail or overrun on: an operand type
     * it has no copy for, more than its 6 dimensions, an output other than the operand's.
     */
    function prepareDynamicUpdateSlice(op: Operator): void {
        const operand = op.input(0)
        const update = op.input(1)
        const indices = op.input(2)
        const output = op.output(0)
        op.check(op.inputs.length === 3 && op.outputs.length === 1 && !!operand && !!update && !!indices,
            "needs an operand, an update, start indices and one output")
        op.check(update.type === operand.type, update.describe() + " must have the type of " + operand.describe())
        op.check(indices.type === TensorType.Int32 || indices.type === TensorType.Int64,
            "the start indices " + indices.describe() + " must be INT32 or INT64")
        op.check(indices.rank() === 1 && indices.dim(0) === operand.rank(),
            "the start indices " + indices.describe() + " must be 1-D with one index per dimension of " + operand.describe())
        op.check(update.rank() === operand.rank(), "update " + update.describe() + " must have the rank of " + operand.describe())
        for (let i = 0; i < operand.rank(); i++)
            op.check(update.dim(i) <= operand.dim(i), "update " + update.describe() + " is larger than " + operand.describe() + " in dimension " + i)
        op.check(operand.type === TensorType.Float32 || operand.type === TensorType.Int8 || operand.type === TensorType.Int16 ||
            operand.type === TensorType.Int32,
            "unsupported type " + typeName(operand.type) + " of " + operand.describe() + " (TFLM takes FLOAT32, INT8, INT16, INT32)")
        op.check(operand.rank() <= 6, "operand " + operand.describe() + " has more than TFLM's 6 dimensions")
        op.check(output.type === operand.type && output.elementCount() === operand.elementCount(),
            "output " + output.describe() + " must have the type and size of " + operand.describe())
        const p = op.useBody("dynamic_update_slice_bytes", DynamicUpdateSliceParams.Words)
        op.paramTensor(DynamicUpdateSliceParams.Operand, operand)
        op.paramTensor(DynamicUpdateSliceParams.Update, update)
        op.paramTensor(DynamicUpdateSliceParams.Indices, indices)
        op.paramTensor(DynamicUpdateSliceParams.Output, output)
        setParam(p, DynamicUpdateSliceParams.Rank, operand.rank())
        setParam(p, DynamicUpdateSliceParams.ElementBytes, operand.type === TensorType.Int8 ? 1 : operand.type === TensorType.Int16 ? 2 : 4)
        setParam(p, DynamicUpdateSliceParams.IndicesInt64, indices.type === TensorType.Int64 ? 1 : 0)
        setParam(p, DynamicUpdateSliceParams.OperandCount, operand.elementCount())
        setParam(p, DynamicUpdateSliceParams.UpdateCount, update.elementCount())
        for (let i = 0; i < operand.rank(); i++) {
            setParam(p, DynamicUpdateSliceParams.OperandDims + i, operand.dim(i))
            setParam(p, DynamicUpdateSliceParams.UpdateDims + i, update.dim(i))
        }
    }

    export function dynamicUpdateSliceBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const operand = paramBuffer(p, DynamicUpdateSliceParams.Operand, model, arena), operandAt = paramOffset(p, DynamicUpdateSliceParams.Operand)
        const update = paramBuffer(p, DynamicUpdateSliceParams.Update, model, arena), updateAt = paramOffset(p, DynamicUpdateSliceParams.Update)
        const indices = paramBuffer(p, DynamicUpdateSliceParams.Indices, model, arena), indicesAt = paramOffset(p, DynamicUpdateSliceParams.Indices)
        const output = paramBuffer(p, DynamicUpdateSliceParams.Output, model, arena), outputAt = paramOffset(p, DynamicUpdateSliceParams.Output)
        const rank = param(p, DynamicUpdateSliceParams.Rank), size = param(p, DynamicUpdateSliceParams.ElementBytes)
        const operandCount = param(p, DynamicUpdateSliceParams.OperandCount), updateCount = param(p, DynamicUpdateSliceParams.UpdateCount)
        if (operandCount === updateCount) {
            for (let i = 0; i < size * updateCount; i++) output[outputAt + i] = update[updateAt + i]
            return
        }
        for (let i = 0; i < size * operandCount; i++) output[outputAt + i] = operand[operandAt + i]
        if (updateCount === 0) return
        // Each start clamped to [0, operand_dim - update_dim], as an int64 in TFLM: an INT64 index
        // is read as its two words (a negative high word is below 0, a positive one above any limit).
        const wide = param(p, DynamicUpdateSliceParams.IndicesInt64) !== 0
        const start: number[] = []
        for (let i = 0; i < rank; i++) {
            const limit = param(p, DynamicUpdateSliceParams.OperandDims + i) - param(p, DynamicUpdateSliceParams.UpdateDims + i)
            let s = 0
            if (wide) {
                const high = indices.getNumber(NumberFormat.Int32LE, indicesAt + 8 * i + 4)
                const low = indices.getNumber(NumberFormat.UInt32LE, indicesAt + 8 * i)
                s = high < 0 ? 0 : high > 0 ? limit : Math.min(low, limit)
            } else {
                s = Math.min(Math.max(0, indices.getNumber(NumberFormat.Int32LE, indicesAt + 4 * i)), limit)
            }
            start.push(s)
        }
        // The update's rows (its last dimension) in order, each copied to its place in the output.
        const run = size * param(p, DynamicUpdateSliceParams.UpdateDims + rank - 1)
        const at: number[] = []
        for (let i = 0; i < rank; i++) at.push(0)
        for (let from = 0; from < size * updateCount; from += run) {
            let to = 0
            for (let i = 0; i < rank; i++) to = to * param(p, DynamicUpdateSliceParams.OperandDims + i) + start[i] + at[i]
            for (let b = 0; b < run; b++) output[outputAt + size * to + b] = update[updateAt + from + b]
            // The next row: the odometer over every dimension but the last.
            for (let i = rank - 2; i >= 0; i--) {
                at[i]++
                if (at[i] < param(p, DynamicUpdateSliceParams.UpdateDims + i)) break
                at[i] = 0
            }
        }
    }
}

namespace tflite {
    // CUMSUM along one axis, as TFLM's kernels/cumsum.cc and reference/cumsum.h: each line along
    // the axis summed from its first element (its last with reverse), each output the sum up to
    // and with its element (without it when exclusive).
    //
    // float32: a float32 sum from 0 (a first -0 gives +0).
    // int8: TFLM's general rescale path: each (q - zero_point) shifted left by 20 and halved
    // (multiplier 0.5 in fixed point), summed in int32 (wrapping, as TFLM's does), the sum
    // rescaled by 2 * input_scale / (2^20 * output_scale) plus the output zero point, clamped. The
    // sum starts at minus the zero point taken through the same steps, not at 0, as TFLM's does.
    //
    // TFLM reads the axis at each invoke; here it must be constant (read at prepare).

    /** Parameter block of cumsum_float and cumsum_int8 (words). */
    export const enum CumsumParams {
        Input = 0, Output = 2,
        /** Elements before the axis (product of the dimensions), along it, and after it. */
        Before = 4, Depth = 5, After = 6,
        /** 1 when each output leaves its own element out, 1 when the lines run from their end. */
        Exclusive = 7, Reverse = 8,
        /** cumsum_int8: minus the input zero point, the input (multiplier, shift), the output zero point and (multiplier, shift). */
        InputOffset = 9, InputMultiplier = 10, InputShift = 11,
        OutputOffset = 12, OutputMultiplier = 13, OutputShift = 14,
        Words = 15,
    }

    const enum CumsumOptions { Exclusive = 0, Reverse = 1 }

    export function registerCumsumKernels(): void {
        registerBuiltin(BuiltinOp.CUMSUM, prepareCumsum)
        registerBody("cumsum_float", cumsumFloat)
        registerBody("cumsum_int8", cumsumInt8)
    }

    /** TFLM's checks in its order, then a constant axis in range (TFLM fails the invoke past it). */
    function prepareCumsum(op: Operator): void {
        const input = op.input(0)
        const axis = op.input(1)
        const output = op.output(0)
        op.check(op.inputs.length === 2 && op.outputs.length === 1 && !!input && !!axis, "needs an input, an axis and one output")
        op.check(input.type === TensorType.Float32 || input.type === TensorType.Int8,
            "unsupported type " + typeName(input.type) + " of " + input.describe() + " (TFLM takes FLOAT32, INT8)")
        op.check(axis.type === TensorType.Int32 && axis.elementCount() === 1, "the axis " + axis.describe() + " must be one INT32")
        op.check(input.rank() >= 1, "the input " + input.describe() + " must have a dimension")
        op.check(output.type === input.type, output.describe() + " must have the type of " + input.describe())
        let same = output.rank() === input.rank()
        for (let i = 0; same && i < input.rank(); i++) same = output.dim(i) === input.dim(i)
        op.check(same, "output " + output.describe() + " must have the shape of " + input.describe())
        op.check(axis.isConst, "the axis " + axis.describe() + " must be constant")
        const given = axis.get(0)
        const a = given < 0 ? given + input.rank() : given
        op.check(a >= 0 && a < input.rank(), "axis " + given + " is out of range for " + input.describe())
        const float = input.type === TensorType.Float32
        let outputMultiplier: number[] = [0, 0]
        if (!float) {
            // TFLM's QuantizeMultiplierSmallerThanOneExp aborts on a multiplier of 1 or more.
            const real = 2 * input.scale / (1048576 * output.scale)
            op.check(real > 0 && real < 1, "the rescale 2 * input scale / (2^20 * output scale) must be below 1 (TFLM aborts)")
            outputMultiplier = quantizeMultiplier(real)
        }
        const p = op.useBody(float ? "cumsum_float" : "cumsum_int8", CumsumParams.Words)
        op.paramTensor(CumsumParams.Input, input)
        op.paramTensor(CumsumParams.Output, output)
        let before = 1, after = 1
        for (let i = 0; i < input.rank(); i++) {
            if (i < a) before *= input.dim(i)
            else if (i > a) after *= input.dim(i)
        }
        setParam(p, CumsumParams.Before, before)
        setParam(p, CumsumParams.Depth, input.dim(a))
        setParam(p, CumsumParams.After, after)
        setParam(p, CumsumParams.Exclusive, op.optByte(CumsumOptions.Exclusive, 0) !== 0 ? 1 : 0)
        setParam(p, CumsumParams.Reverse, op.optByte(CumsumOptions.Reverse, 0) !== 0 ? 1 : 0)
        if (float) return
        setParam(p, CumsumParams.InputOffset, -input.zeroPoint)
        // input_scale / (2 * input_scale): 0.5 exactly.
        setParams(p, CumsumParams.InputMultiplier, quantizeMultiplier(0.5))
        setParam(p, CumsumParams.OutputOffset, output.zeroPoint)
        setParams(p, CumsumParams.OutputMultiplier, outputMultiplier)
    }

    /** Calls `line(first, step)` for each line along the axis: its first element's index and the step to the next, in summing order. */
    function eachCumsumLine(p: Buffer, line: (first: number, step: number) => void): void {
        const before = param(p, CumsumParams.Before), depth = param(p, CumsumParams.Depth), after = param(p, CumsumParams.After)
        const reverse = param(p, CumsumParams.Reverse) !== 0
        for (let b = 0; b < before; b++)
            for (let a = 0; a < after; a++) {
                const first = b * depth * after + a
                if (reverse) line(first + (depth - 1) * after, -after)
                else line(first, after)
            }
    }

    export function cumsumFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, CumsumParams.Input, model, arena), inputAt = paramOffset(p, CumsumParams.Input)
        const output = paramBuffer(p, CumsumParams.Output, model, arena), outputAt = paramOffset(p, CumsumParams.Output)
        const depth = param(p, CumsumParams.Depth), exclusive = param(p, CumsumParams.Exclusive) !== 0
        eachCumsumLine(p, (first: number, step: number) => {
            let sum = 0
            for (let d = 0, i = first; d < depth; d++, i += step) {
                const v = input.getNumber(NumberFormat.Float32LE, inputAt + 4 * i)
                if (exclusive) output.setNumber(NumberFormat.Float32LE, outputAt + 4 * i, sum)
                sum = f32(sum + v)
                if (!exclusive) output.setNumber(NumberFormat.Float32LE, outputAt + 4 * i, sum)
            }
        })
    }

    export function cumsumInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, CumsumParams.Input, model, arena), inputAt = paramOffset(p, CumsumParams.Input)
        const output = paramBuffer(p, CumsumParams.Output, model, arena), outputAt = paramOffset(p, CumsumParams.Output)
        const depth = param(p, CumsumParams.Depth), exclusive = param(p, CumsumParams.Exclusive) !== 0
        const inputOffset = param(p, CumsumParams.InputOffset)
        const inM = param(p, CumsumParams.InputMultiplier), inS = param(p, CumsumParams.InputShift)
        const outputOffset = param(p, CumsumParams.OutputOffset)
        const outM = param(p, CumsumParams.OutputMultiplier), outS = param(p, CumsumParams.OutputShift)
        eachCumsumLine(p, (first: number, step: number) => {
            // |offset| <= 128: shifted left by 20 it stays inside an int32.
            let sum = multiplyByQuantizedMultiplier(inputOffset * 1048576, inM, inS)
            for (let d = 0, i = first; d < depth; d++, i += step) {
                const scaled = multiplyByQuantizedMultiplier((((input[inputAt + i] << 24) >> 24) + inputOffset) * 1048576, inM, inS)
                let out = sum
                sum = (sum + scaled) | 0
                if (!exclusive) out = sum
                const v = multiplyByQuantizedMultiplier(out, outM, outS) + outputOffset
                output[outputAt + i] = (v < -128 ? -128 : v > 127 ? 127 : v) & 0xff
            }
        })
    }
}
