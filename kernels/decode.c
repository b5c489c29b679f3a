/* TFLM_DECODE's body (libs/tflite/kernel_decode.ts, where the op and its parameter block are
 * explained; in the board's all-ops build only). */
/* Small beats fast here: only the all-ops build has it. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"

static uint32_t element_channel(uint32_t i, uint32_t channels, uint32_t per_channel)
{
    return per_channel == 0 ? i % channels : i / per_channel;
}

/* decodeLutPair: each output element is its channel's table entry at the element's index in the
 * most-significant-bit-first stream of bit_width-bit indices. */
static void decode_lut_pair(const int32_t *p, int32_t r, const uint8_t *model, uint8_t *arena)
{
    const int32_t *q = p + r;
    const uint8_t *stream = tfl_tensor(p, r + TFL_DECODE_RECORD_ENCODED, model, arena);
    const uint8_t *tables = tfl_tensor(p, r + TFL_DECODE_RECORD_ANCILLARY, model, arena) + TFL_CONST_DCM_BYTES;
    uint8_t *output = tfl_output(p, r + TFL_DECODE_RECORD_OUTPUT, arena);
    const uint32_t size = (uint32_t)q[TFL_DECODE_RECORD_ELEMENT_BYTES], width = (uint32_t)q[TFL_DECODE_RECORD_BIT_WIDTH];
    const uint32_t stride = (uint32_t)q[TFL_DECODE_RECORD_STRIDE], channels = (uint32_t)q[TFL_DECODE_RECORD_CHANNELS];
    const uint32_t per_channel = (uint32_t)q[TFL_DECODE_RECORD_PER_CHANNEL], count = (uint32_t)q[TFL_DECODE_RECORD_COUNT];
    const uint32_t mask = (1u << width) - 1;
    for (uint32_t i = 0; i < count; i++) {
        const uint32_t c = element_channel(i, channels, per_channel);
        const uint32_t bit = i * width, used = (bit & 7) + width;
        /* The second byte only when the index reaches into it: it may be past the data. */
        const uint32_t word = used > 8 ? ((uint32_t)stream[bit >> 3] << 8) | stream[(bit >> 3) + 1] : (uint32_t)stream[bit >> 3] << 8;
        const uint32_t index = (word >> (16 - used)) & mask;
        memcpy(output + size * i, tables + size * (c * stride + index), size);
    }
}

/* decodePrunePair: a 1 bit takes the table's next value, a 0 bit the element's channel's zero point. */
static void decode_prune_pair(const int32_t *p, int32_t r, const uint8_t *model, uint8_t *arena)
{
    const int32_t *q = p + r;
    const uint8_t *bitmap = tfl_tensor(p, r + TFL_DECODE_RECORD_ENCODED, model, arena);
    const uint8_t *from = tfl_tensor(p, r + TFL_DECODE_RECORD_ANCILLARY, model, arena) + TFL_CONST_DCM_BYTES;
    uint8_t *output = tfl_output(p, r + TFL_DECODE_RECORD_OUTPUT, arena);
    const uint32_t size = (uint32_t)q[TFL_DECODE_RECORD_ELEMENT_BYTES], channels = (uint32_t)q[TFL_DECODE_RECORD_CHANNELS];
    const uint32_t per_channel = (uint32_t)q[TFL_DECODE_RECORD_PER_CHANNEL], count = (uint32_t)q[TFL_DECODE_RECORD_COUNT];
    const int32_t *zero_points = p + q[TFL_DECODE_RECORD_ZERO_POINTS];
    for (uint32_t i = 0; i < count; i++) {
        uint8_t *to = output + size * i;
        if ((bitmap[i >> 3] >> (7 - (i & 7))) & 1u) {
            memcpy(to, from, size);
            from += size;
        } else {
            /* The zero point, sign-extended to the element's bytes. */
            const int32_t zp = zero_points[element_channel(i, channels, per_channel)];
            for (uint32_t b = 0; b < size; b++) to[b] = (uint8_t)(zp >> (8 * b < 31 ? 8 * b : 31));
        }
    }
}

/* streamBits: n bits (1 to 16) at bit pos of a most-significant-bit-first stream. */
static uint32_t stream_bits(const uint8_t *s, uint32_t pos, uint32_t n)
{
    uint32_t v = 0;
    for (uint32_t k = 0; k < n; k++) v = (v << 1) | ((s[(pos + k) >> 3] >> (7 - ((pos + k) & 7))) & 1u);
    return v;
}

static uint32_t huffman_entry(const uint8_t *tables, uint32_t entry_bytes, uint32_t i)
{
    return entry_bytes == 2 ? tfl_load_u16(tables + 2 * i) : tfl_load_u32(tables + 4 * i);
}

/* huffmanWalk: the codewords walked as TFLM's decoder does, each element's value written to output
 * (little-endian, its low bytes); with output NULL only checked: returns 1 when a 32-bit word read
 * is past code_bytes, 2 when a table entry is past entries (element and entry then set), else 0. */
int tflite_decode_huffman_walk(const int32_t *q, const uint8_t *codes, uint32_t code_bytes, const uint8_t *tables, uint32_t entries,
                               uint8_t *output, uint32_t *failed_element, uint32_t *failed_entry)
{
    const uint32_t entry_bytes = (uint32_t)q[TFL_DECODE_RECORD_ENTRY_BYTES], size = (uint32_t)q[TFL_DECODE_RECORD_ELEMENT_BYTES];
    const uint32_t count = (uint32_t)q[TFL_DECODE_RECORD_COUNT];
    const uint32_t found = entry_bytes == 2 ? 0x8000u : 0x80000000u, count_shift = entry_bytes == 2 ? 11 : 27;
    const uint32_t value_mask = entry_bytes == 2 ? 0x7ffu : 0x7ffffffu;
    uint32_t pos = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t used = (uint32_t)q[TFL_DECODE_RECORD_ROOT_BITS];
        if (!output && ((pos + used + 31) >> 5) * 4 > code_bytes) { *failed_element = i; return 1; }
        uint32_t offset = stream_bits(codes, pos, used);
        pos += used;
        if (!output && offset >= entries) { *failed_element = i; *failed_entry = offset; return 2; }
        uint32_t v = huffman_entry(tables, entry_bytes, offset);
        while (!(v & found)) {
            used = ((v >> count_shift) & 15) + 1;
            if (!output && ((pos + used + 31) >> 5) * 4 > code_bytes) { *failed_element = i; return 1; }
            offset += (v & value_mask) + stream_bits(codes, pos, used);
            pos += used;
            if (!output && offset >= entries) { *failed_element = i; *failed_entry = offset; return 2; }
            v = huffman_entry(tables, entry_bytes, offset);
        }
        if (output)
            for (uint32_t b = 0; b < size; b++) output[size * i + b] = (uint8_t)(v >> (8 * b));
        /* The symbol used this many of the bits read; the others are read again. */
        const uint32_t residual = (v >> count_shift) & 15;
        if (used > residual) pos -= used - residual;
    }
    return 0;
}

void tflite_decode(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const int32_t pairs = p[TFL_DECODE_PAIR_COUNT];
    for (int32_t k = 0; k < pairs; k++) {
        const int32_t r = TFL_DECODE_PAIRS + TFL_DECODE_RECORD_WORDS * k;
        const int32_t kind = p[r + TFL_DECODE_RECORD_KIND];
        if (kind == 0) {
            decode_lut_pair(p, r, model, arena);
        } else if (kind == 1) {
            uint32_t unused_element, unused_entry;
            tflite_decode_huffman_walk(p + r, tfl_tensor(p, r + TFL_DECODE_RECORD_ENCODED, model, arena), 0,
                                       tfl_tensor(p, r + TFL_DECODE_RECORD_ANCILLARY, model, arena) + TFL_CONST_DCM_BYTES, 0,
                                       tfl_output(p, r + TFL_DECODE_RECORD_OUTPUT, arena), &unused_element, &unused_entry);
        } else {
            decode_prune_pair(p, r, model, arena);
        }
    }
}
