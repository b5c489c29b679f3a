/* TFLM_DECODE's bodies (libs/tflite/kernel_decode.ts, where the op and its parameter block are
 * explained; in the board's all-ops build only). */
#include "kernel_util.h"


/* decodeLut: each output element is its channel's table entry at the element's index in the
 * most-significant-bit-first stream of bit_width-bit indices. */
void tflite_decode_lut(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const int32_t pairs = p[TFL_DECODE_PAIR_COUNT];
    for (int32_t k = 0; k < pairs; k++) {
        const int32_t r = TFL_DECODE_PAIRS + TFL_DECODE_LUT_PAIR_WORDS * k;
        const int32_t *q = p + r;
        const uint8_t *stream = tfl_tensor(p, r + TFL_DECODE_LUT_PAIR_ENCODED, model, arena);
        const uint8_t *tables = tfl_tensor(p, r + TFL_DECODE_LUT_PAIR_ANCILLARY, model, arena) + TFL_CONST_DCM_BYTES;
        uint8_t *output = tfl_output(p, r + TFL_DECODE_LUT_PAIR_OUTPUT, arena);
        const uint32_t size = (uint32_t)q[TFL_DECODE_LUT_PAIR_ELEMENT_BYTES], width = (uint32_t)q[TFL_DECODE_LUT_PAIR_BIT_WIDTH];
        const uint32_t stride = (uint32_t)q[TFL_DECODE_LUT_PAIR_STRIDE], channels = (uint32_t)q[TFL_DECODE_LUT_PAIR_CHANNELS];
        const uint32_t per_channel = (uint32_t)q[TFL_DECODE_LUT_PAIR_PER_CHANNEL], count = (uint32_t)q[TFL_DECODE_LUT_PAIR_COUNT];
        const uint32_t mask = (1u << width) - 1;
        for (uint32_t i = 0; i < count; i++) {
            const uint32_t c = per_channel == 0 ? i % channels : i / per_channel;
            const uint32_t bit = i * width, used = (bit & 7) + width;
            /* The second byte only when the index reaches into it: it may be past the data. */
            const uint32_t word = used > 8 ? ((uint32_t)stream[bit >> 3] << 8) | stream[(bit >> 3) + 1] : (uint32_t)stream[bit >> 3] << 8;
            const uint32_t index = (word >> (16 - used)) & mask;
            memcpy(output + size * i, tables + size * (c * stride + index), size);
        }
    }
}
