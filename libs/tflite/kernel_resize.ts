namespace tflite {
    // RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR (NHWC), and MIRROR_PAD, as TFLM's reference
    // kernels compute them.
    //
    // Both take the output's height and width from a constant size tensor, so every input row and
    // column an output row or column reads, and the bilinear weights, are known at load: prepare
    // computes them exactly as TFLM's loops do (in float32 for nearest and for float bilinear, in
    // TFLM's 10-bit fixed point for int8 bilinear) and writes them into the parameter block as one
    // table entry per output row, then one per output column. The bodies only look them up.

    /** Parameter block of resize_nearest_bytes (words). */
    export const enum ResizeNearestParams {
        Input = 0, Output = 2,
        /** Bytes of one input pixel (depth times the element size), of one input row, of one batch. */
        PixelBytes = 4, RowBytes = 5, BatchBytes = 6,
        /** 0 when the output is empty (the tables are then absent). */
        Batches = 7,
        OutputHeight = 8, OutputWidth = 9,
        /** OutputHeight input rows, then OutputWidth input columns. */
        Table = 10,
    }

    /**
     * Parameter block of resize_bilinear_float and resize_bilinear_int8 (words). Each table entry
     * is a ResizeBilinearEntry: for float32 the weights are float32 bits, for int8 TFLM's 10-bit
     * fixed-point weights (they add up to 1024).
     */
    export const enum ResizeBilinearParams {
        Input = 0, Output = 2,
        Depth = 4, InputHeight = 5, InputWidth = 6,
        /** 0 when the output is empty (the tables are then absent). */
        Batches = 7,
        OutputHeight = 8, OutputWidth = 9,
        /** OutputHeight row entries, then OutputWidth column entries. */
        Table = 10,
    }

    /** One row's or one column's entry of a ResizeBilinearParams table (words). */
    export const enum ResizeBilinearEntry {
        /** The lower and upper input row (or column) TFLM reads. */
        Lower = 0, Upper = 1,
        /** The weight of the lower one (TFLM's 1 - (input_y - y0)), of the upper one (input_y - y0). */
        LowerWeight = 2, UpperWeight = 3,
        Words = 4,
    }

    /**
     * Parameter block of mirror_pad_bytes (words). MIRROR_PAD maps each output coordinate to an
     * input coordinate dimension by dimension (TFLM's GetInputDimension), so prepare writes one
     * table per dimension and the body walks the output in order.
     */
    export const enum MirrorPadParams {
        Input = 0, Output = 2, ElementSize = 4,
        /** The output's elements (0: nothing to write, and no dimensions follow). */
        Count = 5,
        Rank = 6,
        /**
         * Rank (output size, input stride in elements) pairs, outermost first; then, dimension by
         * dimension, the input position of each output position.
         */
        Dims = 7,
    }

    /**
     * Parameter block of space_to_batch_nd_bytes and batch_to_space_nd_bytes (words): TFLM's loops
     * over its 4-D view of the tensors (a 3-D one as [n, h, 1, c], with a block width of 1 and no
     * left padding or crop).
     */
    export const enum SpaceBatchParams {
        Input = 0, Output = 2,
        /** Bytes of one pixel (depth times the element size). */
        PixelBytes = 4,
        InputBatch = 5, InputHeight = 6, InputWidth = 7,
        OutputBatch = 8, OutputHeight = 9, OutputWidth = 10,
        BlockHeight = 11, BlockWidth = 12,
        /** SPACE_TO_BATCH_ND's top and left paddings, BATCH_TO_SPACE_ND's top and left crops. */
        Top = 13, Left = 14,
        Words = 15,
    }

    /** Parameter block of embedding_lookup_bytes and embedding_lookup_hybrid (words). */
    export const enum EmbeddingLookupParams {
        Lookups = 0, Values = 2, Output = 4,
        /** The value tensor's rows (its first dimension), the lookups' count, the values per row. */
        Rows = 6, Count = 7, Columns = 8,
        /** embedding_lookup_bytes: bytes per row. */
        RowBytes = 9,
        /** embedding_lookup_hybrid: the INT8 values' scale (float32 bits). */
        Scale = 10,
        Words = 11,
    }

    /** Parameter block of broadcast_args_ints (words). */
    export const enum BroadcastArgsParams {
        Shape1 = 0, Shape2 = 2, Output = 4,
        /** 4 (INT32) or 8 (INT64) bytes per value; the two shapes' lengths and the output's. */
        ElementSize = 6, Count1 = 7, Count2 = 8, OutputCount = 9,
        Words = 10,
    }

    const enum ResizeOptions { AlignCorners = 0, HalfPixelCenters = 1 }
    const enum MirrorPadOptions { Mode = 0 }
    // ResizeBilinearOptions keeps two deprecated fields before its flags.
    const enum ResizeBilinearOptions { AlignCorners = 2, HalfPixelCenters = 3 }

    export function registerResizeKernels(): void {
        registerBuiltin(BuiltinOp.RESIZE_NEAREST_NEIGHBOR, prepareResizeNearest)
        registerBuiltin(BuiltinOp.RESIZE_BILINEAR, prepareResizeBilinear)
        registerBuiltin(BuiltinOp.MIRROR_PAD, prepareMirrorPad)
        registerBody("resize_nearest_bytes", resizeNearestBytes)
        registerBody("mirror_pad_bytes", mirrorPadBytes)
        registerBuiltin(BuiltinOp.SPACE_TO_BATCH_ND, (op: Operator) => prepareSpaceBatch(op, "space_to_batch_nd_bytes", "paddings"))
        registerBuiltin(BuiltinOp.BATCH_TO_SPACE_ND, (op: Operator) => prepareSpaceBatch(op, "batch_to_space_nd_bytes", "crops"))
        registerBody("space_to_batch_nd_bytes", spaceToBatchBytes)
        registerBuiltin(BuiltinOp.EMBEDDING_LOOKUP, prepareEmbeddingLookup)
        registerBuiltin(BuiltinOp.BROADCAST_ARGS, prepareBroadcastArgs)
        registerBody("broadcast_args_ints", broadcastArgsInts)
        registerBody("embedding_lookup_bytes", embeddingLookupBytes)
        registerBody("embedding_lookup_hybrid", embeddingLookupHybrid)
        registerBody("batch_to_space_nd_bytes", batchToSpaceBytes)
        registerBody("resize_bilinear_float", resizeBilinearFloat)
        registerBody("resize_bilinear_int8", resizeBilinearInt8)
    }

    /**
     * The checks both resizes share, in TFLM's order (plus the output's shape, which TFLM never
     * checks and overruns when it differs); returns [output height, output width].
     */
    function checkResize(op: Operator, types: number[], names: string): number[] {
        const input = op.input(0)
        const size = op.input(1)
        const output = op.output(0)
        op.check(!!input && !!size && op.inputs.length === 2 && op.outputs.length === 1, "needs an input, a size and one output")
        op.check(types.indexOf(input.type) >= 0, "unsupported type " + typeName(input.type) + " of " + input.describe() + " (TFLM takes " + names + ")")
        op.check(output.type === input.type, output.describe() + " must have the type of " + input.describe())
        op.check(input.rank() === 4, "the input must be 4-D (NHWC), not " + input.describe())
        // TFLM reads the size at invoke but refuses one that is not constant.
        op.check(size.type === TensorType.Int32 && size.rank() === 1 && size.dim(0) === 2 && size.isConst,
            "the size input " + size.describe() + " must be a constant INT32 tensor of 2 values")
        const h = size.data.getNumber(NumberFormat.Int32LE, size.offset)
        const w = size.data.getNumber(NumberFormat.Int32LE, size.offset + 4)
        const n = input.dim(0), c = input.dim(3)
        op.check(output.rank() === 4 && output.dim(0) === n && output.dim(1) === h && output.dim(2) === w && output.dim(3) === c,
            "output " + output.describe() + " must have shape [" + n + "," + h + "," + w + "," + c + "]")
        // An empty input row or column would make TFLM read before the input.
        op.check(output.elementCount() === 0 || input.elementCount() > 0, "input " + input.describe() + " is empty but the output is not")
        return [h, w]
    }

    /** TFLM's GetNearestNeighbor, in float32. */
    function nearestSource(at: number, inSize: number, outSize: number, alignCorners: boolean, halfPixel: boolean): number {
        const scale = alignCorners && outSize > 1 ? f32(f32(inSize - 1) / f32(outSize - 1)) : f32(f32(inSize) / f32(outSize))
        const v = f32(f32(f32(at) + (halfPixel ? 0.5 : 0)) * scale)
        // v >= 0: TfLiteRound (half away from zero) is floor(v + 0.5), exact in a double.
        const source = alignCorners ? Math.floor(v + 0.5) : Math.floor(v)
        return Math.max(0, Math.min(source, inSize - 1))
    }

    function prepareResizeNearest(op: Operator): void {
        const [h, w] = checkResize(op, [TensorType.Float32, TensorType.Int8, TensorType.Int16], "FLOAT32, INT8, INT16")
        const input = op.input(0)
        const output = op.output(0)
        const alignCorners = op.optByte(ResizeOptions.AlignCorners, 0) !== 0
        const halfPixel = op.optByte(ResizeOptions.HalfPixelCenters, 0) !== 0
        const empty = output.elementCount() === 0
        const p = op.useBody("resize_nearest_bytes", ResizeNearestParams.Table + (empty ? 0 : h + w))
        op.paramTensor(ResizeNearestParams.Input, input)
        op.paramTensor(ResizeNearestParams.Output, output)
        if (empty) return
        const ih = input.dim(1), iw = input.dim(2)
        const pixel = input.dim(3) * typeSize(input.type)
        setParam(p, ResizeNearestParams.PixelBytes, pixel)
        setParam(p, ResizeNearestParams.RowBytes, iw * pixel)
        setParam(p, ResizeNearestParams.BatchBytes, ih * iw * pixel)
        setParam(p, ResizeNearestParams.Batches, input.dim(0))
        setParam(p, ResizeNearestParams.OutputHeight, h)
        setParam(p, ResizeNearestParams.OutputWidth, w)
        for (let y = 0; y < h; y++) setParam(p, ResizeNearestParams.Table + y, nearestSource(y, ih, h, alignCorners, halfPixel))
        for (let x = 0; x < w; x++) setParam(p, ResizeNearestParams.Table + h + x, nearestSource(x, iw, w, alignCorners, halfPixel))
    }

    export function resizeNearestBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, ResizeNearestParams.Input, model, arena)
        const inAt = paramOffset(p, ResizeNearestParams.Input)
        const output = paramBuffer(p, ResizeNearestParams.Output, model, arena)
        let to = paramOffset(p, ResizeNearestParams.Output)
        const pixel = param(p, ResizeNearestParams.PixelBytes), row = param(p, ResizeNearestParams.RowBytes)
        const batch = param(p, ResizeNearestParams.BatchBytes), batches = param(p, ResizeNearestParams.Batches)
        const h = param(p, ResizeNearestParams.OutputHeight), w = param(p, ResizeNearestParams.OutputWidth)
        for (let b = 0; b < batches; b++)
            for (let y = 0; y < h; y++) {
                const rowAt = inAt + b * batch + param(p, ResizeNearestParams.Table + y) * row
                for (let x = 0; x < w; x++) {
                    const from = rowAt + param(p, ResizeNearestParams.Table + h + x) * pixel
                    for (let i = 0; i < pixel; i++) output[to + i] = input[from + i]
                    to += pixel
                }
            }
    }

    /**
     * One table entry of RESIZE_BILINEAR: TFLM's ComputeInterpolationValues (float32) or
     * ComputeInterpolationValuesInteger (int8, scale in 1/1024) for output row or column `at`.
     */
    function bilinearEntry(op: Operator, p: Buffer, word: number, at: number, inSize: number, outSize: number,
        alignCorners: boolean, halfPixel: boolean, int8: boolean): void {
        const aligned = alignCorners && outSize > 1
        let lower: number, upper: number
        if (int8) {
            const scale = aligned ? Math.idiv(1024 * (inSize - 1) + Math.idiv(outSize - 1, 2), outSize - 1)
                : Math.idiv(1024 * inSize + Math.idiv(outSize, 2), outSize)
            const v = halfPixel ? at * scale + Math.idiv(scale, 2) - 512 : at * scale
            // C's division truncates toward zero: Math.idiv does too.
            lower = Math.max(Math.idiv(v, 1024), 0)
            upper = Math.min(Math.idiv(v + 1023, 1024), inSize - 1)
            setParam(p, word + ResizeBilinearEntry.LowerWeight, 1024 - (v - 1024 * lower))
            setParam(p, word + ResizeBilinearEntry.UpperWeight, v - 1024 * lower)
        } else {
            const scale = aligned ? f32(f32(inSize - 1) / f32(outSize - 1)) : f32(f32(inSize) / f32(outSize))
            const v = halfPixel ? f32(f32(f32(at + 0.5) * scale) - 0.5) : f32(f32(at) * scale)
            lower = Math.max(Math.floor(v), 0)
            upper = Math.min(Math.ceil(v), inSize - 1)
            const upperWeight = f32(v - lower)
            setParamFloat(p, word + ResizeBilinearEntry.LowerWeight, f32(1 - upperWeight))
            setParamFloat(p, word + ResizeBilinearEntry.UpperWeight, upperWeight)
        }
        // TFLM clamps the upper row or column to the input, not the lower: with a large size its
        // rounded scale can put the lower one past the input's end, which it would read.
        op.check(lower < inSize, "output row or column " + at + " of " + outSize + " reads past the input's " + inSize + " in TFLM")
        setParam(p, word + ResizeBilinearEntry.Lower, lower)
        setParam(p, word + ResizeBilinearEntry.Upper, upper)
    }

    function prepareResizeBilinear(op: Operator): void {
        const [h, w] = checkResize(op, [TensorType.Float32, TensorType.Int8], "FLOAT32, INT8")
        const input = op.input(0)
        const output = op.output(0)
        const alignCorners = op.optByte(ResizeBilinearOptions.AlignCorners, 0) !== 0
        const halfPixel = op.optByte(ResizeBilinearOptions.HalfPixelCenters, 0) !== 0
        op.check(!(alignCorners && halfPixel), "align_corners and half_pixel_centers cannot both be set (TFLM refuses them)")
        const empty = output.elementCount() === 0
        const int8 = input.type === TensorType.Int8
        const p = op.useBody(int8 ? "resize_bilinear_int8" : "resize_bilinear_float",
            ResizeBilinearParams.Table + (empty ? 0 : ResizeBilinearEntry.Words * (h + w)))
        op.paramTensor(ResizeBilinearParams.Input, input)
        op.paramTensor(ResizeBilinearParams.Output, output)
        if (empty) return
        const ih = input.dim(1), iw = input.dim(2)
        setParam(p, ResizeBilinearParams.Depth, input.dim(3))
        setParam(p, ResizeBilinearParams.InputHeight, ih)
        setParam(p, ResizeBilinearParams.InputWidth, iw)
        setParam(p, ResizeBilinearParams.Batches, input.dim(0))
        setParam(p, ResizeBilinearParams.OutputHeight, h)
        setParam(p, ResizeBilinearParams.OutputWidth, w)
        for (let y = 0; y < h; y++)
            bilinearEntry(op, p, ResizeBilinearParams.Table + ResizeBilinearEntry.Words * y, y, ih, h, alignCorners, halfPixel, int8)
        for (let x = 0; x < w; x++)
            bilinearEntry(op, p, ResizeBilinearParams.Table + ResizeBilinearEntry.Words * (h + x), x, iw, w, alignCorners, halfPixel, int8)
    }

    export function resizeBilinearFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, ResizeBilinearParams.Input, model, arena)
        const inAt = paramOffset(p, ResizeBilinearParams.Input)
        const output = paramBuffer(p, ResizeBilinearParams.Output, model, arena)
        let to = paramOffset(p, ResizeBilinearParams.Output)
        const depth = param(p, ResizeBilinearParams.Depth), ih = param(p, ResizeBilinearParams.InputHeight)
        const iw = param(p, ResizeBilinearParams.InputWidth), batches = param(p, ResizeBilinearParams.Batches)
        const h = param(p, ResizeBilinearParams.OutputHeight), w = param(p, ResizeBilinearParams.OutputWidth)
        const at = (b: number, y: number, x: number, c: number) => input.getNumber(NumberFormat.Float32LE, inAt + 4 * (((b * ih + y) * iw + x) * depth + c))
        for (let b = 0; b < batches; b++)
            for (let y = 0; y < h; y++) {
                const ye = ResizeBilinearParams.Table + ResizeBilinearEntry.Words * y
                const y0 = param(p, ye + ResizeBilinearEntry.Lower), y1 = param(p, ye + ResizeBilinearEntry.Upper)
                const wy0 = paramFloat(p, ye + ResizeBilinearEntry.LowerWeight), wy1 = paramFloat(p, ye + ResizeBilinearEntry.UpperWeight)
                for (let x = 0; x < w; x++) {
                    const xe = ResizeBilinearParams.Table + ResizeBilinearEntry.Words * (h + x)
                    const x0 = param(p, xe + ResizeBilinearEntry.Lower), x1 = param(p, xe + ResizeBilinearEntry.Upper)
                    const wx0 = paramFloat(p, xe + ResizeBilinearEntry.LowerWeight), wx1 = paramFloat(p, xe + ResizeBilinearEntry.UpperWeight)
                    for (let c = 0; c < depth; c++) {
                        // TFLM's sum in its order, each step in float32; its final + 0.0f makes -0 +0.
                        let v = f32(f32(at(b, y0, x0, c) * wy0) * wx0)
                        v = f32(v + f32(f32(at(b, y1, x0, c) * wy1) * wx0))
                        v = f32(v + f32(f32(at(b, y0, x1, c) * wy0) * wx1))
                        v = f32(v + f32(f32(at(b, y1, x1, c) * wy1) * wx1))
                        output.setNumber(NumberFormat.Float32LE, to, v + 0)
                        to += 4
                    }
                }
            }
    }

    export function resizeBilinearInt8(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, ResizeBilinearParams.Input, model, arena)
        const inAt = paramOffset(p, ResizeBilinearParams.Input)
        const output = paramBuffer(p, ResizeBilinearParams.Output, model, arena)
        let to = paramOffset(p, ResizeBilinearParams.Output)
        const depth = param(p, ResizeBilinearParams.Depth), ih = param(p, ResizeBilinearParams.InputHeight)
        const iw = param(p, ResizeBilinearParams.InputWidth), batches = param(p, ResizeBilinearParams.Batches)
        const h = param(p, ResizeBilinearParams.OutputHeight), w = param(p, ResizeBilinearParams.OutputWidth)
        for (let b = 0; b < batches; b++)
            for (let y = 0; y < h; y++) {
                const ye = ResizeBilinearParams.Table + ResizeBilinearEntry.Words * y
                const y0 = param(p, ye + ResizeBilinearEntry.Lower), y1 = param(p, ye + ResizeBilinearEntry.Upper)
                const wy0 = param(p, ye + ResizeBilinearEntry.LowerWeight), wy1 = param(p, ye + ResizeBilinearEntry.UpperWeight)
                for (let x = 0; x < w; x++) {
                    const xe = ResizeBilinearParams.Table + ResizeBilinearEntry.Words * (h + x)
                    const x0 = param(p, xe + ResizeBilinearEntry.Lower), x1 = param(p, xe + ResizeBilinearEntry.Upper)
                    const wx0 = param(p, xe + ResizeBilinearEntry.LowerWeight), wx1 = param(p, xe + ResizeBilinearEntry.UpperWeight)
                    const a = inAt + ((b * ih + y0) * iw + x0) * depth, bb = inAt + ((b * ih + y1) * iw + x0) * depth
                    const c0 = inAt + ((b * ih + y0) * iw + x1) * depth, d = inAt + ((b * ih + y1) * iw + x1) * depth
                    for (let c = 0; c < depth; c++) {
                        // Below 2^31 in magnitude (see kernels/resize.c): exact in a double.
                        const sum = int8At(input, a, c) * wy0 * wx0 + int8At(input, bb, c) * wy1 * wx0 +
                            int8At(input, c0, c) * wy0 * wx1 + int8At(input, d, c) * wy1 * wx1
                        // TFLM's rounding: half away from zero, then a division that truncates.
                        const q = Math.idiv(sum + (sum > 0 ? 524288 : -524288), 1048576)
                        output[to++] = q & 0xff
                    }
                }
            }
    }

    /** TFLM's GetInputDimension: the input position of output position `at` along one dimension. */
    function mirrorSource(at: number, left: number, inSize: number, offset: number): number {
        if (at < left) {
            const original = left + offset - 1
            return original - Math.min(at, original - offset)
        }
        at -= left
        if (at >= inSize) {
            at -= inSize
            const original = inSize - (1 + offset)
            return original - Math.min(at, original)
        }
        return at
    }

    function prepareMirrorPad(op: Operator): void {
        const input = op.input(0)
        const paddings = op.input(1)
        const output = op.output(0)
        op.check(!!input && !!paddings && op.inputs.length === 2 && op.outputs.length === 1, "needs an input, paddings and one output")
        op.check(input.type === TensorType.Float32 || input.type === TensorType.Int8,
            "unsupported type " + typeName(input.type) + " of " + input.describe() + " (TFLM takes FLOAT32, INT8)")
        op.check(output.type === input.type, output.describe() + " must have the type of " + input.describe())
        const rank = input.rank()
        const wide = paddings.type === TensorType.Int64
        op.check(paddings.isConst && (paddings.type === TensorType.Int32 || wide) && paddings.rank() === 2 && paddings.dim(0) === rank && paddings.dim(1) === 2,
            "the paddings input " + paddings.describe() + " must be a constant INT32 or INT64 tensor of shape [" + rank + ",2]")
        // TFLM reads INT64 paddings into ints (their low 32 bits). It reflects without the border
        // only for mode REFLECT; without an options table its mode is unknown, which it pads as
        // SYMMETRIC.
        const pad = (i: number) => paddings.data.getNumber(NumberFormat.Int32LE, paddings.offset + (wide ? 8 : 4) * i)
        const offset = op.options !== 0 && op.optByte(MirrorPadOptions.Mode, 0) === 0 ? 1 : 0
        op.check(output.rank() === rank, "output " + output.describe() + " must have the rank of " + input.describe())
        for (let d = 0; d < rank; d++) {
            const expected = input.dim(d) + pad(2 * d) + pad(2 * d + 1)
            op.check(output.dim(d) === expected, "output " + output.describe() + " must have size " + expected + " in dimension " + d + " (the input's plus the paddings)")
        }
        const count = output.elementCount()
        let words = MirrorPadParams.Dims
        if (count > 0) for (let d = 0; d < rank; d++) words += 2 + output.dim(d)
        const p = op.useBody("mirror_pad_bytes", words)
        op.paramTensor(MirrorPadParams.Input, input)
        op.paramTensor(MirrorPadParams.Output, output)
        setParam(p, MirrorPadParams.ElementSize, typeSize(input.type))
        if (count === 0) return
        setParam(p, MirrorPadParams.Count, count)
        setParam(p, MirrorPadParams.Rank, rank)
        let stride = 1
        for (let d = rank - 1; d >= 0; d--) {
            setParam(p, MirrorPadParams.Dims + 2 * d, output.dim(d))
            setParam(p, MirrorPadParams.Dims + 2 * d + 1, stride)
            stride *= input.dim(d)
        }
        let w = MirrorPadParams.Dims + 2 * rank
        for (let d = 0; d < rank; d++)
            for (let i = 0; i < output.dim(d); i++) {
                const source = mirrorSource(i, pad(2 * d), input.dim(d), offset)
                op.check(source >= 0 && source < input.dim(d), "paddings [" + pad(2 * d) + "," + pad(2 * d + 1) + "] reach outside dimension " + d +
                    " of " + input.describe() + " (TFLM reads outside it)")
                setParam(p, w++, source)
            }
    }

    export function mirrorPadBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, MirrorPadParams.Input, model, arena)
        const inAt = paramOffset(p, MirrorPadParams.Input)
        const output = paramBuffer(p, MirrorPadParams.Output, model, arena)
        let to = paramOffset(p, MirrorPadParams.Output)
        const size = param(p, MirrorPadParams.ElementSize), count = param(p, MirrorPadParams.Count), rank = param(p, MirrorPadParams.Rank)
        const coords: number[] = [], tables: number[] = []
        let w = MirrorPadParams.Dims + 2 * rank
        for (let d = 0; d < rank; d++) {
            coords.push(0)
            tables.push(w)
            w += param(p, MirrorPadParams.Dims + 2 * d)
        }
        for (let i = 0; i < count; i++) {
            let from = 0
            for (let d = 0; d < rank; d++) from += param(p, tables[d] + coords[d]) * param(p, MirrorPadParams.Dims + 2 * d + 1)
            for (let b = 0; b < size; b++) output[to + b] = input[inAt + size * from + b]
            to += size
            // The next output position, the last dimension fastest.
            for (let d = rank - 1; d >= 0; d--) {
                if (++coords[d] < param(p, MirrorPadParams.Dims + 2 * d)) break
                coords[d] = 0
            }
        }
    }

    /**
     * SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND. TFLM takes the output's shape from the model and
     * never compares it with the block and the paddings or crops: its loops stay inside both
     * tensors whatever the shapes, so any output shape runs as in TFLM. The block and the
     * paddings or crops must be constant (TFLM reads them at invoke).
     */
    function prepareSpaceBatch(op: Operator, body: string, what: string): void {
        const input = op.input(0)
        const block = op.input(1)
        const edges = op.input(2)
        const output = op.output(0)
        op.check(!!input && !!block && !!edges && op.inputs.length === 3 && op.outputs.length === 1, "needs an input, a block shape, " + what + " and one output")
        const rank = input.rank()
        op.check(rank >= 3 && rank <= 4 && output.rank() === rank, "the input and the output must both be 3-D or both 4-D, not " + input.describe() + " and " + output.describe())
        op.check(input.type === TensorType.Float32 || input.type === TensorType.Int8,
            "unsupported type " + typeName(input.type) + " of " + input.describe() + " (TFLM takes FLOAT32, INT8)")
        op.check(output.type === input.type, output.describe() + " must have the type of " + input.describe())
        // TFLM copies the input's depth into each output position at the output's stride: a
        // shallower output is overrun.
        op.check(output.dim(rank - 1) === input.dim(rank - 1), output.describe() + " must have the depth of " + input.describe())
        const spatial = rank - 2
        op.check(block.isConst && block.type === TensorType.Int32 && block.rank() === 1 && block.dim(0) === spatial,
            "the block shape input " + block.describe() + " must be a constant INT32 tensor of shape [" + spatial + "]")
        op.check(edges.isConst && edges.type === TensorType.Int32 && edges.rank() === 2 && edges.dim(0) === spatial && edges.dim(1) === 2,
            "the " + what + " input " + edges.describe() + " must be a constant INT32 tensor of shape [" + spatial + ",2]")
        const at = (t: Tensor, i: number) => t.data.getNumber(NumberFormat.Int32LE, t.offset + 4 * i)
        const bh = at(block, 0), bw = rank === 4 ? at(block, 1) : 1
        op.check(bh > 0 && bw > 0, "the block shape's values must be positive (TFLM divides by them)")
        // The bodies' positions (row times block, plus a batch's shift, minus the edge) are int32
        // in C as in TFLM; the bound takes every loop count at its largest.
        const inSpace = body === "batch_to_space_nd_bytes"
        const rows = inSpace ? input : output
        const top = at(edges, 0), left = rank === 4 ? at(edges, 2) : 0
        const reach = (loop: number, blockSize: number, edge: number) => loop * blockSize + rows.dim(0) + Math.abs(edge)
        op.check(output.elementCount() === 0 || (reach(rows.dim(1), bh, top) < 2147483648 && reach(rank === 4 ? rows.dim(2) : 1, bw, left) < 2147483648),
            "the block shape and " + what + " reach positions past 2^31 (TFLM's int arithmetic overflows)")
        // TFLM divides by the batch of the empty one.
        op.check(output.elementCount() === 0 || input.elementCount() > 0, "input " + input.describe() + " is empty but the output is not")
        const p = op.useBody(body, SpaceBatchParams.Words)
        op.paramTensor(SpaceBatchParams.Input, input)
        op.paramTensor(SpaceBatchParams.Output, output)
        if (output.elementCount() === 0) return
        // TFLM's 4-D view: [n, h, w, c], or [n, h, 1, c] for 3-D.
        const view = (t: Tensor) => rank === 4 ? [t.dim(0), t.dim(1), t.dim(2)] : [t.dim(0), t.dim(1), 1]
        const i = view(input), o = view(output)
        setParam(p, SpaceBatchParams.PixelBytes, input.dim(rank - 1) * typeSize(input.type))
        setParams(p, SpaceBatchParams.InputBatch, i)
        setParams(p, SpaceBatchParams.OutputBatch, o)
        setParam(p, SpaceBatchParams.BlockHeight, bh)
        setParam(p, SpaceBatchParams.BlockWidth, bw)
        setParam(p, SpaceBatchParams.Top, top)
        setParam(p, SpaceBatchParams.Left, left)
    }

    /** The block's words in order: pixel bytes, input n h w, output n h w, block h w, top, left. */
    function spaceBatchWords(p: Buffer): number[] {
        const res: number[] = []
        for (let w = SpaceBatchParams.PixelBytes; w < SpaceBatchParams.Words; w++) res.push(param(p, w))
        return res
    }

    export function spaceToBatchBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SpaceBatchParams.Input, model, arena)
        const inAt = paramOffset(p, SpaceBatchParams.Input)
        const output = paramBuffer(p, SpaceBatchParams.Output, model, arena)
        let to = paramOffset(p, SpaceBatchParams.Output)
        const [pixel, ib, ih, iw, ob, oh, ow, bh, bw, top, left] = spaceBatchWords(p)
        for (let b = 0; b < ob; b++) {
            const inBatch = b % ib, shiftW = Math.idiv(b, ib) % bw, shiftH = Math.idiv(Math.idiv(b, ib), bw)
            for (let y = 0; y < oh; y++)
                for (let x = 0; x < ow; x++) {
                    const h = y * bh + shiftH - top, w = x * bw + shiftW - left
                    const inside = h >= 0 && h < ih && w >= 0 && w < iw
                    const from = inAt + ((inBatch * ih + h) * iw + w) * pixel
                    // Outside the input TFLM writes its params' output_offset, never set: the
                    // zeroed persistent memory's 0.
                    for (let k = 0; k < pixel; k++) output[to + k] = inside ? input[from + k] : 0
                    to += pixel
                }
        }
    }

    export function batchToSpaceBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const input = paramBuffer(p, SpaceBatchParams.Input, model, arena)
        let from = paramOffset(p, SpaceBatchParams.Input)
        const output = paramBuffer(p, SpaceBatchParams.Output, model, arena)
        const outAt = paramOffset(p, SpaceBatchParams.Output)
        const [pixel, ib, ih, iw, ob, oh, ow, bh, bw, top, left] = spaceBatchWords(p)
        for (let b = 0; b < ib; b++) {
            const outBatch = b % ob, spatial = Math.idiv(b, ob)
            for (let y = 0; y < ih; y++) {
                const h = y * bh + Math.idiv(spatial, bw) - top
                for (let x = 0; x < iw; x++) {
                    const w = x * bw + spatial % bw - left
                    // TFLM leaves the output elements no input element lands on as they were.
                    if (h >= 0 && h < oh && w >= 0 && w < ow) {
                        const to = outAt + ((outBatch * oh + h) * ow + w) * pixel
                        for (let k = 0; k < pixel; k++) output[to + k] = input[from + k]
                    }
                    from += pixel
                }
            }
        }
    }

    /**
     * EMBEDDING_LOOKUP: rows of the value tensor by INT32 lookups (read at invoke), copied, or
     * INT8 rows dequantized into FLOAT32 (TFLM's hybrid path: zero point 0, value times scale in
     * float32). TFLM fails the invoke on a lookup outside the rows: its row is zeros here.
     */
    function prepareEmbeddingLookup(op: Operator): void {
        const lookups = op.input(0)
        const values = op.input(1)
        const output = op.output(0)
        op.check(!!lookups && !!values && op.inputs.length === 2 && op.outputs.length === 1, "needs lookups, a value tensor and one output")
        op.check(lookups.rank() === 1 && lookups.type === TensorType.Int32, "the lookups input " + lookups.describe() + " must be 1-D INT32")
        op.check(values.rank() >= 2 && (values.type === TensorType.Float32 || values.type === TensorType.Int8),
            "the value input " + values.describe() + " must be FLOAT32 or INT8 with 2 or more dimensions")
        op.check(output.type === TensorType.Float32 || values.type === TensorType.Int8 && output.type === TensorType.Int8,
            "output " + output.describe() + " must be FLOAT32, or INT8 for INT8 values")
        let same = output.rank() === values.rank() && output.dim(0) === lookups.dim(0)
        for (let d = 1; same && d < values.rank(); d++) same = output.dim(d) === values.dim(d)
        op.check(same, "output " + output.describe() + " must have the lookups' count and the value input's other dimensions")
        const hybrid = values.type === TensorType.Int8 && output.type === TensorType.Float32
        if (hybrid) op.check(values.zeroPoint === 0, "the value input " + values.describe() + " must have zero point 0 to be dequantized (TFLM requires it)")
        const p = op.useBody(hybrid ? "embedding_lookup_hybrid" : "embedding_lookup_bytes", EmbeddingLookupParams.Words)
        op.paramTensor(EmbeddingLookupParams.Lookups, lookups)
        op.paramTensor(EmbeddingLookupParams.Values, values)
        op.paramTensor(EmbeddingLookupParams.Output, output)
        const rows = values.dim(0)
        const columns = rows > 0 ? Math.idiv(values.elementCount(), rows) : 0
        setParam(p, EmbeddingLookupParams.Rows, rows)
        setParam(p, EmbeddingLookupParams.Count, lookups.dim(0))
        setParam(p, EmbeddingLookupParams.Columns, columns)
        setParam(p, EmbeddingLookupParams.RowBytes, columns * typeSize(values.type))
        if (hybrid) setParamFloat(p, EmbeddingLookupParams.Scale, values.scale)
    }

    export function embeddingLookupBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const lookups = paramBuffer(p, EmbeddingLookupParams.Lookups, model, arena)
        const lookupAt = paramOffset(p, EmbeddingLookupParams.Lookups)
        const values = paramBuffer(p, EmbeddingLookupParams.Values, model, arena)
        const valuesAt = paramOffset(p, EmbeddingLookupParams.Values)
        const output = paramBuffer(p, EmbeddingLookupParams.Output, model, arena)
        let to = paramOffset(p, EmbeddingLookupParams.Output)
        const rows = param(p, EmbeddingLookupParams.Rows), row = param(p, EmbeddingLookupParams.RowBytes)
        for (let i = 0; i < param(p, EmbeddingLookupParams.Count); i++) {
            const at = lookups.getNumber(NumberFormat.Int32LE, lookupAt + 4 * i)
            const inside = at >= 0 && at < rows
            for (let k = 0; k < row; k++) output[to + k] = inside ? values[valuesAt + at * row + k] : 0
            to += row
        }
    }

    export function embeddingLookupHybrid(p: Buffer, model: Buffer, arena: Buffer): void {
        const lookups = paramBuffer(p, EmbeddingLookupParams.Lookups, model, arena)
        const lookupAt = paramOffset(p, EmbeddingLookupParams.Lookups)
        const values = paramBuffer(p, EmbeddingLookupParams.Values, model, arena)
        const valuesAt = paramOffset(p, EmbeddingLookupParams.Values)
        const output = paramBuffer(p, EmbeddingLookupParams.Output, model, arena)
        let to = paramOffset(p, EmbeddingLookupParams.Output)
        const rows = param(p, EmbeddingLookupParams.Rows), columns = param(p, EmbeddingLookupParams.Columns)
        const scale = paramFloat(p, EmbeddingLookupParams.Scale)
        for (let i = 0; i < param(p, EmbeddingLookupParams.Count); i++) {
            const at = lookups.getNumber(NumberFormat.Int32LE, lookupAt + 4 * i)
            const inside = at >= 0 && at < rows
            for (let k = 0; k < columns; k++) {
                output.setNumber(NumberFormat.Float32LE, to, inside ? f32(int8At(values, valuesAt + at * columns, k) * scale) : 0)
                to += 4
            }
        }
    }

    /**
     * BROADCAST_ARGS: the broadcast of two shapes, read at invoke, aligned on their last values
     * into the output's length (TFLM never compares it with theirs). Values pass through an int
     * (INT64's low 32 bits, sign-extended back). Two values that differ with neither 1 abort TFLM;
     * the first shape's value is written here.
     */
    function prepareBroadcastArgs(op: Operator): void {
        const shape1 = op.input(0)
        const shape2 = op.input(1)
        const output = op.output(0)
        op.check(!!shape1 && !!shape2 && op.inputs.length === 2 && op.outputs.length === 1, "needs two shapes and one output")
        op.check(shape1.type === TensorType.Int32 || shape1.type === TensorType.Int64, "unsupported type " + typeName(shape1.type) + " of " + shape1.describe() + " (TFLM takes INT32, INT64)")
        op.check(shape2.type === shape1.type && output.type === shape1.type, "the shapes and the output must have one type, not " +
            shape1.describe() + ", " + shape2.describe() + " and " + output.describe())
        op.check(shape1.rank() === 1 && shape2.rank() === 1 && output.rank() === 1, "the shapes and the output must be 1-D, not " +
            shape1.describe() + ", " + shape2.describe() + " and " + output.describe())
        const p = op.useBody("broadcast_args_ints", BroadcastArgsParams.Words)
        op.paramTensor(BroadcastArgsParams.Shape1, shape1)
        op.paramTensor(BroadcastArgsParams.Shape2, shape2)
        op.paramTensor(BroadcastArgsParams.Output, output)
        setParam(p, BroadcastArgsParams.ElementSize, typeSize(shape1.type))
        setParam(p, BroadcastArgsParams.Count1, shape1.dim(0))
        setParam(p, BroadcastArgsParams.Count2, shape2.dim(0))
        setParam(p, BroadcastArgsParams.OutputCount, output.dim(0))
    }

    export function broadcastArgsInts(p: Buffer, model: Buffer, arena: Buffer): void {
        const shape1 = paramBuffer(p, BroadcastArgsParams.Shape1, model, arena)
        const at1 = paramOffset(p, BroadcastArgsParams.Shape1)
        const shape2 = paramBuffer(p, BroadcastArgsParams.Shape2, model, arena)
        const at2 = paramOffset(p, BroadcastArgsParams.Shape2)
        const output = paramBuffer(p, BroadcastArgsParams.Output, model, arena)
        const outAt = paramOffset(p, BroadcastArgsParams.Output)
        const size = param(p, BroadcastArgsParams.ElementSize), n1 = param(p, BroadcastArgsParams.Count1)
        const n2 = param(p, BroadcastArgsParams.Count2), n = param(p, BroadcastArgsParams.OutputCount)
        for (let i = 0; i < n; i++) {
            // The i-th value from the end of each shape, 1 past its start (low words: little-endian).
            const a = i < n1 ? shape1.getNumber(NumberFormat.Int32LE, at1 + size * (n1 - 1 - i)) : 1
            const b = i < n2 ? shape2.getNumber(NumberFormat.Int32LE, at2 + size * (n2 - 1 - i)) : 1
            const v = a === 1 ? b : a
            const to = outAt + size * (n - 1 - i)
            output.setNumber(NumberFormat.Int32LE, to, v)
            if (size === 8) output.setNumber(NumberFormat.Int32LE, to + 4, v < 0 ? -1 : 0)
        }
    }
}
