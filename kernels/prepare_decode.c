/* TFLM_DECODE's prepare (libs/tflite/kernel_decode.ts, where the op and its DCM header are
 * explained): the same checks, messages and parameter block. All-ops builds only. */
#include "prepare.h"
#include "kernel_util.h"

#if TINYML_ALL_OPS

/* lutIndex: the width-bit index at element i of a most-significant-bit-first stream. */
static uint32_t lut_index(const uint8_t *stream, uint32_t i, uint32_t width)
{
    const uint32_t bit = i * width, used = (bit & 7) + width;
    /* The second byte only when the index reaches into it: it may be past the data. */
    const uint32_t word = used > 8 ? ((uint32_t)stream[bit >> 3] << 8) | stream[(bit >> 3) + 1] : (uint32_t)stream[bit >> 3] << 8;
    return (word >> (16 - used)) & ((1u << width) - 1);
}

static uint32_t lut_channel(uint32_t i, uint32_t channels, uint32_t per_channel)
{
    return per_channel == 0 ? i % channels : i / per_channel;
}

/* outputChannels: the output's quantization scales (1 when none). */
static uint32_t output_channels(const tfl_tensor_info *output)
{
    return output->scale_count > 0 ? output->scale_count : 1;
}

static int prepare_lut_pair(tfl_op *op, uint32_t r, const tfl_tensor_info *encoded, const tfl_tensor_info *ancillary,
                            const tfl_tensor_info *output)
{
    int32_t *p = op->params + r;
    const uint8_t *dcm = tfl_const_data(op, ancillary);
    const uint32_t width = dcm[5] & 7u;
    /* TFLM only DCHECKs the width; 0 would decode every element as the table's first value. */
    TFL_CHECK(op, width >= 1, "ancillary %t: LUT bit width 0 (TFLM's are 1 to 7)", ancillary);
    const uint32_t stride = dcm[6];
    const uint32_t count = (uint32_t)p[TFL_DECODE_RECORD_COUNT], channels = (uint32_t)p[TFL_DECODE_RECORD_CHANNELS];
    const uint32_t per_channel = (uint32_t)p[TFL_DECODE_RECORD_PER_CHANNEL];
    /* TFLM reads past the encoded data and the tables where these fail: refused here. */
    const uint32_t encoded_bytes = (count * width + 7) >> 3;
    TFL_CHECK(op, encoded->bytes >= encoded_bytes, "encoded %t holds %d bytes, fewer than the %d that %d indices of %d bits take",
              encoded, (int32_t)encoded->bytes, (int32_t)encoded_bytes, (int32_t)count, (int32_t)width);
    const uint32_t table_elements = (ancillary->bytes - TFL_CONST_DCM_BYTES) / tfl_type_size(output->type);
    const uint8_t *stream = tfl_const_data(op, encoded);
    for (uint32_t i = 0; i < count; i++) {
        const uint32_t c = lut_channel(i, channels, per_channel), index = lut_index(stream, i, width);
        TFL_CHECK(op, c * stride + index < table_elements, "ancillary %t: index %d of element %d is past channel %d's value table",
                  ancillary, (int32_t)index, (int32_t)i, (int32_t)c);
    }
    p[TFL_DECODE_RECORD_BIT_WIDTH] = (int32_t)width;
    p[TFL_DECODE_RECORD_STRIDE] = (int32_t)stride;
    return 0;
}

static int prepare_prune_pair(tfl_op *op, uint32_t r, const tfl_tensor_info *encoded, const tfl_tensor_info *ancillary,
                              const tfl_tensor_info *output, uint32_t zero_points_at)
{
    int32_t *p = op->params + r;
    const uint32_t count = (uint32_t)p[TFL_DECODE_RECORD_COUNT], channels = (uint32_t)p[TFL_DECODE_RECORD_CHANNELS];
    if (output->scale_count > 0) {
        /* TFLM DCHECKs one zero point per scale and reads that many. */
        TFL_CHECK(op, output->zero_point_count == channels, "output %t has %d zero points for %d scales (TFLM's Prune reads one per scale)",
                  output, (int32_t)output->zero_point_count, (int32_t)channels);
        for (uint32_t c = 0; c < channels; c++) {
            const int64_t zp = tfl_zero_point_at(op, output, c);
            TFL_CHECK(op, output->type == TFL_TYPE_INT8 || zp == 0, "output %t: all zero points must be 0 (TFLM's Prune, for types other than INT8)",
                      output);
            /* TFLM keeps the zero points as int8; past INT8 the STS's reading of an int64 (a double)
             * would not keep the low bits. */
            TFL_CHECK(op, zp >= -128 && zp <= 127, "output %t: the zero point of channel %d is outside INT8", output, (int32_t)c);
            op->params[zero_points_at + c] = (int32_t)zp;
        }
    }
    const uint32_t encoded_bytes = (count + 7) >> 3;
    TFL_CHECK(op, encoded->bytes >= encoded_bytes, "encoded %t holds %d bytes, fewer than the %d that a bitmap of %d elements takes",
              encoded, (int32_t)encoded->bytes, (int32_t)encoded_bytes, (int32_t)count);
    const uint8_t *bitmap = tfl_const_data(op, encoded);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < count; i++) kept += (bitmap[i >> 3] >> (7 - (i & 7))) & 1u;
    const uint32_t table_elements = (ancillary->bytes - TFL_CONST_DCM_BYTES) / tfl_type_size(output->type);
    TFL_CHECK(op, kept <= table_elements, "ancillary %t holds %d values, fewer than the bitmap's %d", ancillary, (int32_t)table_elements,
              (int32_t)kept);
    return 0;
}

/* huffmanWalk's checks: every table entry and every 32-bit codeword read is there (TFLM reads
 * past them otherwise). The walk is tflite_decode_huffman_walk's (decode.c). */
static int prepare_huffman_pair(tfl_op *op, uint32_t r, const tfl_tensor_info *encoded, const tfl_tensor_info *ancillary,
                                const tfl_tensor_info *output)
{
    int32_t *p = op->params + r;
    const uint32_t sizes = tfl_const_data(op, ancillary)[5];
    const uint32_t entry_bytes = (sizes & 1) ? 4 : 2;
    TFL_CHECK(op, output->type == TFL_TYPE_INT8 || (entry_bytes == 4 && output->type == TFL_TYPE_INT16),
              "unsupported output type %y of %t (TFLM's Huffman decodes INT8, and INT16 with 32-bit tables)", (int32_t)output->type, output);
    p[TFL_DECODE_RECORD_ENTRY_BYTES] = (int32_t)entry_bytes;
    p[TFL_DECODE_RECORD_ROOT_BITS] = (int32_t)(sizes >> 4) + 1;
    uint32_t failed_element, failed_entry;
    const int failure = tflite_decode_huffman_walk(p, tfl_const_data(op, encoded), encoded->bytes, tfl_const_data(op, ancillary) + TFL_CONST_DCM_BYTES,
                                                   (ancillary->bytes - TFL_CONST_DCM_BYTES) / entry_bytes, 0, &failed_element, &failed_entry);
    TFL_CHECK(op, failure != 1, "encoded %t: element %d's codeword runs past its %d bytes (TFLM reads 32-bit words)", encoded,
              (int32_t)failed_element, (int32_t)encoded->bytes);
    TFL_CHECK(op, failure != 2, "the Huffman tables have no entry %d (element %d)", (int32_t)failed_entry, (int32_t)failed_element);
    return 0;
}

int tfl_prepare_decode(tfl_op *op)
{
    const uint32_t pairs = op->output_count;
    TFL_CHECK(op, pairs >= 1 && op->input_count == 2 * pairs, "needs pairs of inputs (encoded, ancillary) and one output per pair");
    /* Room for every pair's zero points after the records (only Prune pairs use theirs). */
    uint32_t zero_point_words = 0;
    for (uint32_t k = 0; k < pairs; k++) zero_point_words += output_channels(tfl_output_tensor(op, k));
    int32_t *p = tfl_use_body(op, TFL_BODY_decode, TFL_DECODE_PAIRS + TFL_DECODE_RECORD_WORDS * pairs + zero_point_words);
    if (!p) return 1;
    p[TFL_DECODE_PAIR_COUNT] = (int32_t)pairs;
    uint32_t zero_points_at = TFL_DECODE_PAIRS + TFL_DECODE_RECORD_WORDS * pairs;
    for (uint32_t k = 0; k < pairs; k++) {
        const tfl_tensor_info *encoded = tfl_input(op, 2 * k), *ancillary = tfl_input(op, 2 * k + 1), *output = tfl_output_tensor(op, k);
        const uint32_t r = TFL_DECODE_PAIRS + TFL_DECODE_RECORD_WORDS * k;
        TFL_CHECK(op, encoded && ancillary, "needs pairs of inputs (encoded, ancillary) and one output per pair");
        TFL_CHECK(op, encoded->is_const, "encoded %t must be constant", encoded);
        TFL_CHECK(op, ancillary->is_const, "ancillary %t must be constant", ancillary);
        TFL_CHECK(op, ancillary->bytes >= TFL_CONST_DCM_BYTES, "ancillary %t must hold the 16-byte DCM header", ancillary);
        const uint8_t *dcm = tfl_const_data(op, ancillary);
        TFL_CHECK(op, dcm[1] == 1, "ancillary %t: DCM version %d (TFLM's is 1)", ancillary, (int32_t)dcm[1]);
        const int32_t decode_type = dcm[0];
        TFL_CHECK(op, decode_type != 127, "ancillary %t: the custom decode type 127 is not supported (nor by TFLM)", ancillary);
        TFL_CHECK(op, decode_type == 0 || decode_type == 1 || decode_type == 2, "ancillary %t: unsupported decode type %d (TFLM's: 0 LUT, 1 Huffman, 2 Prune)",
                  ancillary, decode_type);
        TFL_CHECK(op, dcm[4] == 1, "ancillary %t: %s version %d (TFLM's is 1)", ancillary, decode_type == 0 ? "LUT" : decode_type == 1 ? "Huffman" : "Prune", (int32_t)dcm[4]);
        const int32_t type = output->type;
        TFL_CHECK(op, type == TFL_TYPE_BOOL || type == TFL_TYPE_FLOAT32 || type == TFL_TYPE_INT8 || type == TFL_TYPE_INT16 ||
                      type == TFL_TYPE_INT32 || type == TFL_TYPE_INT64,
                  "unsupported output type %y of %t (TFLM decodes BOOL, FLOAT32, INT8, INT16, INT32, INT64)", type, output);
        const uint32_t count = output->count;
        /* TFLM takes the channels from any affine quantization of the output, per tensor or not. */
        const uint32_t channels = output_channels(output);
        uint32_t per_channel = count;
        if (output->scale_count > 0) {
            const int32_t qd = output->quantized_dimension;
            if (qd == (int32_t)output->rank - 1 && channels > 1) {
                per_channel = 0;
            } else {
                TFL_CHECK(op, qd == 0, "unsupported quantization axis %d of %t (TFLM's: 0, or the last with several channels)", qd, output);
                per_channel = count / channels;
            }
        }
        tfl_param_tensor(op, r + TFL_DECODE_RECORD_ENCODED, encoded);
        tfl_param_tensor(op, r + TFL_DECODE_RECORD_ANCILLARY, ancillary);
        tfl_param_tensor(op, r + TFL_DECODE_RECORD_OUTPUT, output);
        p[r + TFL_DECODE_RECORD_KIND] = decode_type;
        p[r + TFL_DECODE_RECORD_ELEMENT_BYTES] = (int32_t)tfl_type_size(type);
        p[r + TFL_DECODE_RECORD_CHANNELS] = (int32_t)channels;
        p[r + TFL_DECODE_RECORD_PER_CHANNEL] = (int32_t)per_channel;
        p[r + TFL_DECODE_RECORD_COUNT] = (int32_t)count;
        p[r + TFL_DECODE_RECORD_ZERO_POINTS] = (int32_t)zero_points_at;
        if (decode_type == 0   ? prepare_lut_pair(op, r, encoded, ancillary, output)
            : decode_type == 1 ? prepare_huffman_pair(op, r, encoded, ancillary, output)
                               : prepare_prune_pair(op, r, encoded, ancillary, output, zero_points_at))
            return 1;
        zero_points_at += channels;
    }
    return 0;
}
#endif
