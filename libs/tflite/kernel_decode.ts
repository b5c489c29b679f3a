namespace tflite {
    // TFLM_DECODE (TFLM's decode.cc, decode_state_lut.cc): the custom op of TFLM's compression,
    // which expands constant tensors stored encoded in the model into the arena at each invoke.
    // Its inputs come in pairs, (encoded, ancillary), one output per pair; both inputs are
    // constants. The ancillary tensor starts with a 16-byte header (TFLM's "DCM"): byte 0 the
    // decode type (0 LUT, 1 Huffman, 2 Prune, 127 custom), byte 1 its version (1).
    //
    // LUT (decode type 0): DCM byte 4 the LUT version (1), byte 5 the bit width (low 3 bits,
    // 1 to 7), byte 6 the value table's stride in elements per channel; the value tables follow
    // the header, one per channel, of the output's type. The encoded tensor is a stream of table
    // indices, most significant bit first, one per output element. Channels are the output's
    // quantization scales: along dimension 0 (a run of count / channels elements each), or, with
    // several channels and the quantized dimension the last, interleaved (element i is channel
    // i % channels). TFLM's int8 paths for widths 2, 3 and 4 read the same stream in words; they
    // give the same bytes, so one body does every width and type here.
    // Huffman and Prune are not here yet: both loaders refuse them with a message saying so.

    export function registerDecodeKernels(): void {
        registerCustom("TFLM_DECODE", prepareDecode)
        registerBody("decode_lut", decodeLut)
    }

    /** The DCM header's size in bytes; the decode type's data follows it. */
    const DCM_BYTES = 16

    /**
     * Parameter block of decode_lut (words): the number of pairs, then one DecodeLutPair record per
     * (encoded, ancillary) pair from word DecodeParams.Pairs on.
     */
    export const enum DecodeParams {
        PairCount = 0,
        Pairs = 1,
    }

    /** One pair's record in decode_lut's block (words from the record's start). */
    export const enum DecodeLutPair {
        Encoded = 0, Ancillary = 2, Output = 4,
        /** Bytes per output element (1 for BOOL and INT8 ... 8 for INT64). */
        ElementBytes = 6,
        BitWidth = 7,
        /** Elements from one channel's value table to the next's. */
        Stride = 8,
        Channels = 9,
        /** Elements in a row of one channel (channels along dimension 0); 0 when interleaved. */
        PerChannel = 10,
        Count = 11,
        Words = 12,
    }

    /** The `width`-bit index at element `i` of a most-significant-bit-first stream. */
    function lutIndex(buf: Buffer, at: number, i: number, width: number): number {
        const bit = i * width
        const byteAt = at + (bit >> 3)
        const used = (bit & 7) + width
        // Read the second byte only when the index reaches into it: it may be past the data.
        const word = used > 8 ? (buf[byteAt] << 8) | buf[byteAt + 1] : buf[byteAt] << 8
        return (word >> (16 - used)) & ((1 << width) - 1)
    }

    /** Channel of element `i` (see DecodeLutPair.PerChannel). */
    function lutChannel(i: number, channels: number, perChannel: number): number {
        return perChannel === 0 ? i % channels : Math.idiv(i, perChannel)
    }

    function prepareDecode(op: Operator): void {
        const pairs = op.outputs.length
        op.check(pairs >= 1 && op.inputs.length === 2 * pairs, "needs pairs of inputs (encoded, ancillary) and one output per pair")
        const p = op.useBody("decode_lut", DecodeParams.Pairs + DecodeLutPair.Words * pairs)
        setParam(p, DecodeParams.PairCount, pairs)
        for (let k = 0; k < pairs; k++) {
            const encoded = op.input(2 * k)
            const ancillary = op.input(2 * k + 1)
            const output = op.output(k)
            op.check(encoded !== null && ancillary !== null, "needs pairs of inputs (encoded, ancillary) and one output per pair")
            op.check(encoded.isConst, "encoded " + encoded.describe() + " must be constant")
            op.check(ancillary.isConst, "ancillary " + ancillary.describe() + " must be constant")
            op.check(ancillary.bytes >= DCM_BYTES, "ancillary " + ancillary.describe() + " must hold the 16-byte DCM header")
            const dcm = ancillary.offset
            const data = ancillary.data
            op.check(data[dcm + 1] === 1, "ancillary " + ancillary.describe() + ": DCM version " + data[dcm + 1] + " (TFLM's is 1)")
            const decodeType = data[dcm]
            op.check(decodeType !== 127, "ancillary " + ancillary.describe() + ": the custom decode type 127 is not supported (nor by TFLM)")
            op.check(decodeType !== 1 && decodeType !== 2, "ancillary " + ancillary.describe() + ": decode type " + decodeType +
                " (Huffman or Prune) is not implemented here yet")
            op.check(decodeType === 0, "ancillary " + ancillary.describe() + ": unsupported decode type " + decodeType + " (TFLM's: 0 LUT, 1 Huffman, 2 Prune)")
            prepareLutPair(op, p, DecodeParams.Pairs + DecodeLutPair.Words * k, encoded, ancillary, output)
        }
    }

    function prepareLutPair(op: Operator, p: Buffer, r: number, encoded: Tensor, ancillary: Tensor, output: Tensor): void {
        const data = ancillary.data
        const dcm = ancillary.offset
        op.check(data[dcm + 4] === 1, "ancillary " + ancillary.describe() + ": LUT version " + data[dcm + 4] + " (TFLM's is 1)")
        const type = output.type
        op.check(type === TensorType.Bool || type === TensorType.Float32 || type === TensorType.Int8 || type === TensorType.Int16 ||
            type === TensorType.Int32 || type === TensorType.Int64,
            "unsupported output type " + typeName(type) + " of " + output.describe() + " (LUT decodes BOOL, FLOAT32, INT8, INT16, INT32, INT64)")
        const width = data[dcm + 5] & 7
        // TFLM only DCHECKs the width; 0 would decode every element as the table's first value.
        op.check(width >= 1, "ancillary " + ancillary.describe() + ": LUT bit width 0 (TFLM's are 1 to 7)")
        const stride = data[dcm + 6]
        const count = output.elementCount()
        // TFLM takes the channels from any affine quantization of the output, per tensor or not.
        let channels = 1
        let perChannel = count
        if (output.scales.length > 0) {
            channels = output.scales.length
            const qd = output.quantizedDimension
            if (qd === output.rank() - 1 && channels > 1) perChannel = 0
            else {
                op.check(qd === 0, "unsupported quantization axis " + qd + " of " + output.describe() + " (TFLM's: 0, or the last with several channels)")
                perChannel = Math.idiv(count, channels)
            }
        }
        // TFLM reads past the encoded data and the tables where these fail: refused here.
        const encodedBytes = (count * width + 7) >> 3
        op.check(encoded.bytes >= encodedBytes, "encoded " + encoded.describe() + " holds " + encoded.bytes + " bytes, fewer than the " +
            encodedBytes + " that " + count + " indices of " + width + " bits take")
        const size = typeSize(type)
        const tableElements = Math.idiv(ancillary.bytes - DCM_BYTES, size)
        for (let i = 0; i < count; i++) {
            const c = lutChannel(i, channels, perChannel)
            const index = lutIndex(encoded.data, encoded.offset, i, width)
            op.check(c * stride + index < tableElements, "ancillary " + ancillary.describe() + ": index " + index + " of element " + i +
                " is past channel " + c + "'s value table")
        }
        op.paramTensor(r + DecodeLutPair.Encoded, encoded)
        op.paramTensor(r + DecodeLutPair.Ancillary, ancillary)
        op.paramTensor(r + DecodeLutPair.Output, output)
        setParam(p, r + DecodeLutPair.ElementBytes, size)
        setParam(p, r + DecodeLutPair.BitWidth, width)
        setParam(p, r + DecodeLutPair.Stride, stride)
        setParam(p, r + DecodeLutPair.Channels, channels)
        setParam(p, r + DecodeLutPair.PerChannel, perChannel)
        setParam(p, r + DecodeLutPair.Count, count)
    }

    export function decodeLut(p: Buffer, model: Buffer, arena: Buffer): void {
        const pairs = param(p, DecodeParams.PairCount)
        for (let k = 0; k < pairs; k++) {
            const r = DecodeParams.Pairs + DecodeLutPair.Words * k
            const encoded = paramBuffer(p, r + DecodeLutPair.Encoded, model, arena)
            const encodedAt = paramOffset(p, r + DecodeLutPair.Encoded)
            const tables = paramBuffer(p, r + DecodeLutPair.Ancillary, model, arena)
            const tablesAt = paramOffset(p, r + DecodeLutPair.Ancillary) + DCM_BYTES
            const output = paramBuffer(p, r + DecodeLutPair.Output, model, arena)
            const outputAt = paramOffset(p, r + DecodeLutPair.Output)
            const size = param(p, r + DecodeLutPair.ElementBytes)
            const width = param(p, r + DecodeLutPair.BitWidth)
            const stride = param(p, r + DecodeLutPair.Stride)
            const channels = param(p, r + DecodeLutPair.Channels)
            const perChannel = param(p, r + DecodeLutPair.PerChannel)
            const count = param(p, r + DecodeLutPair.Count)
            for (let i = 0; i < count; i++) {
                const c = lutChannel(i, channels, perChannel)
                const from = tablesAt + size * (c * stride + lutIndex(encoded, encodedAt, i, width))
                for (let b = 0; b < size; b++) output[outputAt + size * i + b] = tables[from + b]
            }
        }
    }
}
