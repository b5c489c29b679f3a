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

static int prepare_lut_pair(tfl_op *op, uint32_t r, const tfl_tensor_info *encoded, const tfl_tensor_info *ancillary,
                            const tfl_tensor_info *output)
{
    int32_t *p = op->params + r;
    const uint8_t *dcm = tfl_const_data(op, ancillary);
    TFL_CHECK(op, dcm[4] == 1, "ancillary %t: LUT version %d (TFLM's is 1)", ancillary, (int32_t)dcm[4]);
    const int32_t type = output->type;
    TFL_CHECK(op, type == TFL_TYPE_BOOL || type == TFL_TYPE_FLOAT32 || type == TFL_TYPE_INT8 || type == TFL_TYPE_INT16 ||
                  type == TFL_TYPE_INT32 || type == TFL_TYPE_INT64,
              "unsupported output type %y of %t (LUT decodes BOOL, FLOAT32, INT8, INT16, INT32, INT64)", type, output);
    const uint32_t width = dcm[5] & 7u;
    /* TFLM only DCHECKs the width; 0 would decode every element as the table's first value. */
    TFL_CHECK(op, width >= 1, "ancillary %t: LUT bit width 0 (TFLM's are 1 to 7)", ancillary);
    const uint32_t stride = dcm[6];
    const uint32_t count = output->count;
    /* TFLM takes the channels from any affine quantization of the output, per tensor or not. */
    uint32_t channels = 1, per_channel = count;
    if (output->scale_count > 0) {
        channels = output->scale_count;
        const int32_t qd = output->quantized_dimension;
        if (qd == (int32_t)output->rank - 1 && channels > 1) {
            per_channel = 0;
        } else {
            TFL_CHECK(op, qd == 0, "unsupported quantization axis %d of %t (TFLM's: 0, or the last with several channels)", qd, output);
            per_channel = count / channels;
        }
    }
    /* TFLM reads past the encoded data and the tables where these fail: refused here. */
    const uint32_t encoded_bytes = (count * width + 7) >> 3;
    TFL_CHECK(op, encoded->bytes >= encoded_bytes, "encoded %t holds %d bytes, fewer than the %d that %d indices of %d bits take",
              encoded, (int32_t)encoded->bytes, (int32_t)encoded_bytes, (int32_t)count, (int32_t)width);
    const uint32_t size = tfl_type_size(type);
    const uint32_t table_elements = (ancillary->bytes - TFL_CONST_DCM_BYTES) / size;
    const uint8_t *stream = tfl_const_data(op, encoded);
    for (uint32_t i = 0; i < count; i++) {
        const uint32_t c = lut_channel(i, channels, per_channel), index = lut_index(stream, i, width);
        TFL_CHECK(op, c * stride + index < table_elements, "ancillary %t: index %d of element %d is past channel %d's value table",
                  ancillary, (int32_t)index, (int32_t)i, (int32_t)c);
    }
    tfl_param_tensor(op, r + TFL_DECODE_LUT_PAIR_ENCODED, encoded);
    tfl_param_tensor(op, r + TFL_DECODE_LUT_PAIR_ANCILLARY, ancillary);
    tfl_param_tensor(op, r + TFL_DECODE_LUT_PAIR_OUTPUT, output);
    p[TFL_DECODE_LUT_PAIR_ELEMENT_BYTES] = (int32_t)size;
    p[TFL_DECODE_LUT_PAIR_BIT_WIDTH] = (int32_t)width;
    p[TFL_DECODE_LUT_PAIR_STRIDE] = (int32_t)stride;
    p[TFL_DECODE_LUT_PAIR_CHANNELS] = (int32_t)channels;
    p[TFL_DECODE_LUT_PAIR_PER_CHANNEL] = (int32_t)per_channel;
    p[TFL_DECODE_LUT_PAIR_COUNT] = (int32_t)count;
    return 0;
}

int tfl_prepare_decode(tfl_op *op)
{
    const uint32_t pairs = op->output_count;
    TFL_CHECK(op, pairs >= 1 && op->input_count == 2 * pairs, "needs pairs of inputs (encoded, ancillary) and one output per pair");
    int32_t *p = tfl_use_body(op, TFL_BODY_decode_lut, TFL_DECODE_PAIRS + TFL_DECODE_LUT_PAIR_WORDS * pairs);
    if (!p) return 1;
    p[TFL_DECODE_PAIR_COUNT] = (int32_t)pairs;
    for (uint32_t k = 0; k < pairs; k++) {
        const tfl_tensor_info *encoded = tfl_input(op, 2 * k), *ancillary = tfl_input(op, 2 * k + 1), *output = tfl_output_tensor(op, k);
        TFL_CHECK(op, encoded && ancillary, "needs pairs of inputs (encoded, ancillary) and one output per pair");
        TFL_CHECK(op, encoded->is_const, "encoded %t must be constant", encoded);
        TFL_CHECK(op, ancillary->is_const, "ancillary %t must be constant", ancillary);
        TFL_CHECK(op, ancillary->bytes >= TFL_CONST_DCM_BYTES, "ancillary %t must hold the 16-byte DCM header", ancillary);
        const uint8_t *dcm = tfl_const_data(op, ancillary);
        TFL_CHECK(op, dcm[1] == 1, "ancillary %t: DCM version %d (TFLM's is 1)", ancillary, (int32_t)dcm[1]);
        const int32_t decode_type = dcm[0];
        TFL_CHECK(op, decode_type != 127, "ancillary %t: the custom decode type 127 is not supported (nor by TFLM)", ancillary);
        TFL_CHECK(op, decode_type != 1 && decode_type != 2, "ancillary %t: decode type %d (Huffman or Prune) is not implemented here yet",
                  ancillary, decode_type);
        TFL_CHECK(op, decode_type == 0, "ancillary %t: unsupported decode type %d (TFLM's: 0 LUT, 1 Huffman, 2 Prune)", ancillary, decode_type);
        if (prepare_lut_pair(op, TFL_DECODE_PAIRS + TFL_DECODE_LUT_PAIR_WORDS * k, encoded, ancillary, output)) return 1;
    }
    return 0;
}
#endif
