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
    //
    // Prune (decode type 2): DCM byte 4 the Prune version (1). The encoded tensor is a bitmap, one
    // bit per output element, most significant bit first: 1 takes the next value of the table
    // after the header (in element order, whatever the channel), 0 the element's channel's zero
    // point (int8 outputs; TFLM keeps it as an int8; other types must have zero points of 0, and a
    // FLOAT32 output gets +0).
    //
    // Huffman (decode type 1): DCM byte 4 the Huffman version (1), byte 5 bit 0 the table entries'
    // size (1: 32 bits, 0: 16 bits, INT8 outputs only) and bits 4-7 the root table's index bits
    // minus 1. The tables follow the header (little-endian entries): an entry with its top bit set
    // is a symbol (its low bits the value, the next 4 bits how many of the bits read it used, the
    // rest read again), otherwise a link (4 bits: index bits of the next table minus 1; value: the
    // next table's distance from this entry, less the index). The codewords are a bit stream,
    // most significant bit first, that TFLM reads in 32-bit big-endian words.

    export function registerDecodeKernels(): void {
        registerCustom("TFLM_DECODE", prepareDecode)
        registerBody("decode", decode)
    }

    /** The DCM header's size in bytes; the decode type's data follows it. */
    const DCM_BYTES = 16

    /**
     * Parameter block of decode (words): the number of pairs, then one DecodeRecord record per
     * (encoded, ancillary) pair from word DecodeParams.Pairs on, then the Prune pairs' zero points.
     */
    export const enum DecodeParams {
        PairCount = 0,
        Pairs = 1,
    }

    /** One pair's record in decode's block (words from the record's start). */
    export const enum DecodeRecord {
        Encoded = 0, Ancillary = 2, Output = 4,
        /** The DCM's decode type: 0 LUT, 2 Prune. */
        Kind = 12,
        /** Prune: the word where this pair's Channels zero points (int8 values) start. */
        ZeroPoints = 13,
        /** Huffman: bytes per table entry (2 or 4), and the root table's index bits. */
        EntryBytes = 14, RootBits = 15,
        /** Bytes per output element (1 for BOOL and INT8 ... 8 for INT64). */
        ElementBytes = 6,
        BitWidth = 7,
        /** Elements from one channel's value table to the next's. */
        Stride = 8,
        Channels = 9,
        /** Elements in a row of one channel (channels along dimension 0); 0 when interleaved. */
        PerChannel = 10,
        Count = 11,
        Words = 16,
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

    /** Channel of element `i` (see DecodeRecord.PerChannel). */
    function lutChannel(i: number, channels: number, perChannel: number): number {
        return perChannel === 0 ? i % channels : Math.idiv(i, perChannel)
    }

    /** The output's channels: its quantization's scales (1 when none). */
    function outputChannels(output: Tensor): number {
        return output.scales.length > 0 ? output.scales.length : 1
    }

    function prepareDecode(op: Operator): void {
        const pairs = op.outputs.length
        op.check(pairs >= 1 && op.inputs.length === 2 * pairs, "needs pairs of inputs (encoded, ancillary) and one output per pair")
        // Room for every pair's zero points after the records (only Prune pairs use theirs).
        let zeroPointWords = 0
        for (let k = 0; k < pairs; k++) zeroPointWords += outputChannels(op.output(k))
        const p = op.useBody("decode", DecodeParams.Pairs + DecodeRecord.Words * pairs + zeroPointWords)
        setParam(p, DecodeParams.PairCount, pairs)
        let zeroPointsAt = DecodeParams.Pairs + DecodeRecord.Words * pairs
        for (let k = 0; k < pairs; k++) {
            const encoded = op.input(2 * k)
            const ancillary = op.input(2 * k + 1)
            const output = op.output(k)
            const r = DecodeParams.Pairs + DecodeRecord.Words * k
            op.check(encoded !== null && ancillary !== null, "needs pairs of inputs (encoded, ancillary) and one output per pair")
            op.check(encoded.isConst, "encoded " + encoded.describe() + " must be constant")
            op.check(ancillary.isConst, "ancillary " + ancillary.describe() + " must be constant")
            op.check(ancillary.bytes >= DCM_BYTES, "ancillary " + ancillary.describe() + " must hold the 16-byte DCM header")
            const dcm = ancillary.offset
            const data = ancillary.data
            op.check(data[dcm + 1] === 1, "ancillary " + ancillary.describe() + ": DCM version " + data[dcm + 1] + " (TFLM's is 1)")
            const decodeType = data[dcm]
            op.check(decodeType !== 127, "ancillary " + ancillary.describe() + ": the custom decode type 127 is not supported (nor by TFLM)")
            op.check(decodeType === 0 || decodeType === 1 || decodeType === 2, "ancillary " + ancillary.describe() + ": unsupported decode type " + decodeType +
                " (TFLM's: 0 LUT, 1 Huffman, 2 Prune)")
            op.check(data[dcm + 4] === 1, "ancillary " + ancillary.describe() + ": " + (decodeType === 0 ? "LUT" : decodeType === 1 ? "Huffman" : "Prune") + " version " +
                data[dcm + 4] + " (TFLM's is 1)")
            const type = output.type
            op.check(type === TensorType.Bool || type === TensorType.Float32 || type === TensorType.Int8 || type === TensorType.Int16 ||
                type === TensorType.Int32 || type === TensorType.Int64,
                "unsupported output type " + typeName(type) + " of " + output.describe() + " (TFLM decodes BOOL, FLOAT32, INT8, INT16, INT32, INT64)")
            const count = output.elementCount()
            // TFLM takes the channels from any affine quantization of the output, per tensor or not.
            const channels = outputChannels(output)
            let perChannel = count
            if (output.scales.length > 0) {
                const qd = output.quantizedDimension
                if (qd === output.rank() - 1 && channels > 1) perChannel = 0
                else {
                    op.check(qd === 0, "unsupported quantization axis " + qd + " of " + output.describe() + " (TFLM's: 0, or the last with several channels)")
                    perChannel = Math.idiv(count, channels)
                }
            }
            op.paramTensor(r + DecodeRecord.Encoded, encoded)
            op.paramTensor(r + DecodeRecord.Ancillary, ancillary)
            op.paramTensor(r + DecodeRecord.Output, output)
            setParam(p, r + DecodeRecord.Kind, decodeType)
            setParam(p, r + DecodeRecord.ElementBytes, typeSize(type))
            setParam(p, r + DecodeRecord.Channels, channels)
            setParam(p, r + DecodeRecord.PerChannel, perChannel)
            setParam(p, r + DecodeRecord.Count, count)
            setParam(p, r + DecodeRecord.ZeroPoints, zeroPointsAt)
            if (decodeType === 0) prepareLutPair(op, p, r, encoded, ancillary, output)
            else if (decodeType === 1) prepareHuffmanPair(op, p, r, encoded, ancillary, output)
            else preparePrunePair(op, p, r, encoded, ancillary, output, zeroPointsAt)
            zeroPointsAt += channels
        }
    }

    function prepareLutPair(op: Operator, p: Buffer, r: number, encoded: Tensor, ancillary: Tensor, output: Tensor): void {
        const data = ancillary.data
        const dcm = ancillary.offset
        const width = data[dcm + 5] & 7
        // TFLM only DCHECKs the width; 0 would decode every element as the table's first value.
        op.check(width >= 1, "ancillary " + ancillary.describe() + ": LUT bit width 0 (TFLM's are 1 to 7)")
        const stride = data[dcm + 6]
        const count = param(p, r + DecodeRecord.Count)
        const channels = param(p, r + DecodeRecord.Channels)
        const perChannel = param(p, r + DecodeRecord.PerChannel)
        // TFLM reads past the encoded data and the tables where these fail: refused here.
        const encodedBytes = (count * width + 7) >> 3
        op.check(encoded.bytes >= encodedBytes, "encoded " + encoded.describe() + " holds " + encoded.bytes + " bytes, fewer than the " +
            encodedBytes + " that " + count + " indices of " + width + " bits take")
        const tableElements = Math.idiv(ancillary.bytes - DCM_BYTES, typeSize(output.type))
        for (let i = 0; i < count; i++) {
            const c = lutChannel(i, channels, perChannel)
            const index = lutIndex(encoded.data, encoded.offset, i, width)
            op.check(c * stride + index < tableElements, "ancillary " + ancillary.describe() + ": index " + index + " of element " + i +
                " is past channel " + c + "'s value table")
        }
        setParam(p, r + DecodeRecord.BitWidth, width)
        setParam(p, r + DecodeRecord.Stride, stride)
    }

    function preparePrunePair(op: Operator, p: Buffer, r: number, encoded: Tensor, ancillary: Tensor, output: Tensor, zeroPointsAt: number): void {
        const count = param(p, r + DecodeRecord.Count)
        const channels = param(p, r + DecodeRecord.Channels)
        if (output.scales.length > 0) {
            // TFLM DCHECKs one zero point per scale and reads that many.
            op.check(output.zeroPoints.length === channels, "output " + output.describe() + " has " + output.zeroPoints.length +
                " zero points for " + channels + " scales (TFLM's Prune reads one per scale)")
            for (let c = 0; c < channels; c++) {
                const zp = output.zeroPoints[c]
                op.check(output.type === TensorType.Int8 || zp === 0, "output " + output.describe() +
                    ": all zero points must be 0 (TFLM's Prune, for types other than INT8)")
                // TFLM keeps the zero points as int8; past INT8 an int64 read as a double would not keep the low bits.
                op.check(zp >= -128 && zp <= 127, "output " + output.describe() + ": the zero point of channel " + c + " is outside INT8")
                setParam(p, zeroPointsAt + c, zp)
            }
        }
        const encodedBytes = (count + 7) >> 3
        op.check(encoded.bytes >= encodedBytes, "encoded " + encoded.describe() + " holds " + encoded.bytes + " bytes, fewer than the " +
            encodedBytes + " that a bitmap of " + count + " elements takes")
        let kept = 0
        for (let i = 0; i < count; i++) kept += (encoded.data[encoded.offset + (i >> 3)] >> (7 - (i & 7))) & 1
        const tableElements = Math.idiv(ancillary.bytes - DCM_BYTES, typeSize(output.type))
        op.check(kept <= tableElements, "ancillary " + ancillary.describe() + " holds " + tableElements + " values, fewer than the bitmap's " + kept)
    }

    /** `n` bits (1 to 16) at bit `pos` of a most-significant-bit-first stream. */
    function streamBits(buf: Buffer, at: number, pos: number, n: number): number {
        let v = 0
        for (let k = 0; k < n; k++) v = (v << 1) | ((buf[at + ((pos + k) >> 3)] >> (7 - ((pos + k) & 7))) & 1)
        return v
    }

    /** A Huffman table entry: its found bit, its 4-bit count and its value. */
    function huffmanEntry(buf: Buffer, at: number, entryBytes: number, i: number): number {
        return entryBytes === 2 ? buf.getNumber(NumberFormat.UInt16LE, at + 2 * i) : buf.getNumber(NumberFormat.UInt32LE, at + 4 * i)
    }

    /**
     * Walks the codewords as TFLM's decoder does: the decoded values, or with `op` only the checks
     * that every table entry and every 32-bit word read is there (TFLM reads past them otherwise).
     */
    function huffmanWalk(op: Operator, encodedName: string, p: Buffer, r: number, codes: Buffer, codesAt: number, codeBytes: number, tables: Buffer, tablesAt: number,
        entries: number, output: Buffer, outputAt: number): void {
        const entryBytes = param(p, r + DecodeRecord.EntryBytes)
        const size = param(p, r + DecodeRecord.ElementBytes)
        const count = param(p, r + DecodeRecord.Count)
        const found = entryBytes === 2 ? 0x8000 : 0x80000000
        const countShift = entryBytes === 2 ? 11 : 27
        const valueMask = entryBytes === 2 ? 0x7ff : 0x7ffffff
        let pos = 0
        for (let i = 0; i < count; i++) {
            let used = param(p, r + DecodeRecord.RootBits)
            if (op) op.check(((pos + used + 31) >> 5) * 4 <= codeBytes, "encoded " + encodedName +
                ": element " + i + "'s codeword runs past its " + codeBytes + " bytes (TFLM reads 32-bit words)")
            let offset = streamBits(codes, codesAt, pos, used)
            pos += used
            if (op) op.check(offset < entries, "the Huffman tables have no entry " + offset + " (element " + i + ")")
            let v = huffmanEntry(tables, tablesAt, entryBytes, offset)
            while (!(v & found)) {
                used = ((v >>> countShift) & 15) + 1
                if (op) op.check(((pos + used + 31) >> 5) * 4 <= codeBytes, "encoded " + encodedName +
                    ": element " + i + "'s codeword runs past its " + codeBytes + " bytes (TFLM reads 32-bit words)")
                offset += (v & valueMask) + streamBits(codes, codesAt, pos, used)
                pos += used
                if (op) op.check(offset < entries, "the Huffman tables have no entry " + offset + " (element " + i + ")")
                v = huffmanEntry(tables, tablesAt, entryBytes, offset)
            }
            if (!op) for (let b = 0; b < size; b++) output[outputAt + size * i + b] = (v >>> (8 * b)) & 0xff
            // The symbol used this many of the bits read; the others are read again.
            const residual = (v >>> countShift) & 15
            if (used > residual) pos -= used - residual
        }
    }

    function prepareHuffmanPair(op: Operator, p: Buffer, r: number, encoded: Tensor, ancillary: Tensor, output: Tensor): void {
        const sizes = ancillary.data[ancillary.offset + 5]
        const entryBytes = (sizes & 1) ? 4 : 2
        op.check(output.type === TensorType.Int8 || (entryBytes === 4 && output.type === TensorType.Int16), "unsupported output type " +
            typeName(output.type) + " of " + output.describe() + " (TFLM's Huffman decodes INT8, and INT16 with 32-bit tables)")
        setParam(p, r + DecodeRecord.EntryBytes, entryBytes)
        setParam(p, r + DecodeRecord.RootBits, (sizes >> 4) + 1)
        huffmanWalk(op, encoded.describe(), p, r, encoded.data, encoded.offset, encoded.bytes, ancillary.data, ancillary.offset + DCM_BYTES,
            Math.idiv(ancillary.bytes - DCM_BYTES, entryBytes), null, 0)
    }

    export function decode(p: Buffer, model: Buffer, arena: Buffer): void {
        const pairs = param(p, DecodeParams.PairCount)
        for (let k = 0; k < pairs; k++) {
            const r = DecodeParams.Pairs + DecodeRecord.Words * k
            const kind = param(p, r + DecodeRecord.Kind)
            if (kind === 0) decodeLutPair(p, r, model, arena)
            else if (kind === 1) huffmanWalk(null, null, p, r, paramBuffer(p, r + DecodeRecord.Encoded, model, arena), paramOffset(p, r + DecodeRecord.Encoded), 0,
                paramBuffer(p, r + DecodeRecord.Ancillary, model, arena), paramOffset(p, r + DecodeRecord.Ancillary) + DCM_BYTES, 0,
                paramBuffer(p, r + DecodeRecord.Output, model, arena), paramOffset(p, r + DecodeRecord.Output))
            else decodePrunePair(p, r, model, arena)
        }
    }

    function decodePrunePair(p: Buffer, r: number, model: Buffer, arena: Buffer): void {
        const bitmap = paramBuffer(p, r + DecodeRecord.Encoded, model, arena)
        const bitmapAt = paramOffset(p, r + DecodeRecord.Encoded)
        const table = paramBuffer(p, r + DecodeRecord.Ancillary, model, arena)
        let from = paramOffset(p, r + DecodeRecord.Ancillary) + DCM_BYTES
        const output = paramBuffer(p, r + DecodeRecord.Output, model, arena)
        const outputAt = paramOffset(p, r + DecodeRecord.Output)
        const size = param(p, r + DecodeRecord.ElementBytes)
        const channels = param(p, r + DecodeRecord.Channels)
        const perChannel = param(p, r + DecodeRecord.PerChannel)
        const count = param(p, r + DecodeRecord.Count)
        const zeroPointsAt = param(p, r + DecodeRecord.ZeroPoints)
        for (let i = 0; i < count; i++) {
            const to = outputAt + size * i
            if ((bitmap[bitmapAt + (i >> 3)] >> (7 - (i & 7))) & 1) {
                for (let b = 0; b < size; b++) output[to + b] = table[from + b]
                from += size
            } else {
                // The zero point, sign-extended to the element's bytes.
                const zp = param(p, zeroPointsAt + lutChannel(i, channels, perChannel))
                for (let b = 0; b < size; b++) output[to + b] = (zp >> Math.min(8 * b, 31)) & 0xff
            }
        }
    }

    function decodeLutPair(p: Buffer, r: number, model: Buffer, arena: Buffer): void {
        const encoded = paramBuffer(p, r + DecodeRecord.Encoded, model, arena)
        const encodedAt = paramOffset(p, r + DecodeRecord.Encoded)
        const tables = paramBuffer(p, r + DecodeRecord.Ancillary, model, arena)
        const tablesAt = paramOffset(p, r + DecodeRecord.Ancillary) + DCM_BYTES
        const output = paramBuffer(p, r + DecodeRecord.Output, model, arena)
        const outputAt = paramOffset(p, r + DecodeRecord.Output)
        const size = param(p, r + DecodeRecord.ElementBytes)
        const width = param(p, r + DecodeRecord.BitWidth)
        const stride = param(p, r + DecodeRecord.Stride)
        const channels = param(p, r + DecodeRecord.Channels)
        const perChannel = param(p, r + DecodeRecord.PerChannel)
        const count = param(p, r + DecodeRecord.Count)
        for (let i = 0; i < count; i++) {
            const c = lutChannel(i, channels, perChannel)
            const from = tablesAt + size * (c * stride + lutIndex(encoded, encodedAt, i, width))
            for (let b = 0; b < size; b++) output[outputAt + size * i + b] = tables[from + b]
        }
    }
}
