/* RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR and MIRROR_PAD bodies (kernel_resize.ts): table look-ups, the tables
 * written by prepare_resize.c. Parameter blocks: enum tfl_resize_nearest, tfl_resize_bilinear, tfl_mirror_pad,
 * tfl_resize_bilinear_entry. None of them is in the board's default build. */
/* Small beats fast here: only the all-ops build has them (before the includes, so that the inline
 * helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"

void tflite_resize_nearest_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_RESIZE_NEAREST_INPUT, model, arena);
    uint8_t *to = tfl_output(p, TFL_RESIZE_NEAREST_OUTPUT, arena);
    const int32_t pixel = p[TFL_RESIZE_NEAREST_PIXEL_BYTES], row = p[TFL_RESIZE_NEAREST_ROW_BYTES];
    const int32_t h = p[TFL_RESIZE_NEAREST_OUTPUT_HEIGHT], w = p[TFL_RESIZE_NEAREST_OUTPUT_WIDTH];
    const int32_t *rows = p + TFL_RESIZE_NEAREST_TABLE, *columns = rows + h;
    for (int32_t b = 0; b < p[TFL_RESIZE_NEAREST_BATCHES]; b++) {
        for (int32_t y = 0; y < h; y++) {
            const uint8_t *from = input + rows[y] * row;
            for (int32_t x = 0; x < w; x++) {
                memcpy(to, from + columns[x] * pixel, (uint32_t)pixel);
                to += pixel;
            }
        }
        input += p[TFL_RESIZE_NEAREST_BATCH_BYTES];
    }
}

/* The entries of output row y and column x, and the input's element (b, row, column, 0). */
#define ENTRY(i) (p + TFL_RESIZE_BILINEAR_TABLE + TFL_RESIZE_BILINEAR_ENTRY_WORDS * (i))
#define PIXEL(row, column) ((((b * ih + (row)) * iw + (column)) * depth))

void tflite_resize_bilinear_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_RESIZE_BILINEAR_INPUT, model, arena);
    uint8_t *to = tfl_output(p, TFL_RESIZE_BILINEAR_OUTPUT, arena);
    const int32_t depth = p[TFL_RESIZE_BILINEAR_DEPTH], ih = p[TFL_RESIZE_BILINEAR_INPUT_HEIGHT], iw = p[TFL_RESIZE_BILINEAR_INPUT_WIDTH];
    const int32_t h = p[TFL_RESIZE_BILINEAR_OUTPUT_HEIGHT], w = p[TFL_RESIZE_BILINEAR_OUTPUT_WIDTH];
    for (int32_t b = 0; b < p[TFL_RESIZE_BILINEAR_BATCHES]; b++)
        for (int32_t y = 0; y < h; y++) {
            const int32_t *ye = ENTRY(y);
            const int32_t y0 = ye[TFL_RESIZE_BILINEAR_ENTRY_LOWER], y1 = ye[TFL_RESIZE_BILINEAR_ENTRY_UPPER];
            const float wy0 = tfl_param_float(ye, TFL_RESIZE_BILINEAR_ENTRY_LOWER_WEIGHT), wy1 = tfl_param_float(ye, TFL_RESIZE_BILINEAR_ENTRY_UPPER_WEIGHT);
            for (int32_t x = 0; x < w; x++) {
                const int32_t *xe = ENTRY(h + x);
                const int32_t x0 = xe[TFL_RESIZE_BILINEAR_ENTRY_LOWER], x1 = xe[TFL_RESIZE_BILINEAR_ENTRY_UPPER];
                const float wx0 = tfl_param_float(xe, TFL_RESIZE_BILINEAR_ENTRY_LOWER_WEIGHT), wx1 = tfl_param_float(xe, TFL_RESIZE_BILINEAR_ENTRY_UPPER_WEIGHT);
                const uint8_t *a = input + 4 * PIXEL(y0, x0), *bl = input + 4 * PIXEL(y1, x0);
                const uint8_t *c0 = input + 4 * PIXEL(y0, x1), *d = input + 4 * PIXEL(y1, x1);
                for (int32_t c = 0; c < depth; c++) {
                    /* TFLM's sum in its order; its final + 0.0f makes -0 +0. */
                    const float v = tfl_load_f32(a + 4 * c) * wy0 * wx0 + tfl_load_f32(bl + 4 * c) * wy1 * wx0 +
                                    tfl_load_f32(c0 + 4 * c) * wy0 * wx1 + tfl_load_f32(d + 4 * c) * wy1 * wx1 + 0.0f;
                    tfl_store_f32(to, v);
                    to += 4;
                }
            }
        }
}

/* TFLM's ResizeBilinearInteger. Each weight pair adds up to 1024 and neither is below -512 (the
 * upper weight is negative only with half_pixel_centers, before the first row or column), so
 * |sum| <= 128 * 2048 * 2048 = 2^29: int32 holds what TFLM sums in int64. */
void tflite_resize_bilinear_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_RESIZE_BILINEAR_INPUT, model, arena);
    uint8_t *to = tfl_output(p, TFL_RESIZE_BILINEAR_OUTPUT, arena);
    const int32_t depth = p[TFL_RESIZE_BILINEAR_DEPTH], ih = p[TFL_RESIZE_BILINEAR_INPUT_HEIGHT], iw = p[TFL_RESIZE_BILINEAR_INPUT_WIDTH];
    const int32_t h = p[TFL_RESIZE_BILINEAR_OUTPUT_HEIGHT], w = p[TFL_RESIZE_BILINEAR_OUTPUT_WIDTH];
    for (int32_t b = 0; b < p[TFL_RESIZE_BILINEAR_BATCHES]; b++)
        for (int32_t y = 0; y < h; y++) {
            const int32_t *ye = ENTRY(y);
            const int32_t y0 = ye[TFL_RESIZE_BILINEAR_ENTRY_LOWER], y1 = ye[TFL_RESIZE_BILINEAR_ENTRY_UPPER];
            const int32_t wy0 = ye[TFL_RESIZE_BILINEAR_ENTRY_LOWER_WEIGHT], wy1 = ye[TFL_RESIZE_BILINEAR_ENTRY_UPPER_WEIGHT];
            for (int32_t x = 0; x < w; x++) {
                const int32_t *xe = ENTRY(h + x);
                const int32_t x0 = xe[TFL_RESIZE_BILINEAR_ENTRY_LOWER], x1 = xe[TFL_RESIZE_BILINEAR_ENTRY_UPPER];
                const int32_t wx0 = xe[TFL_RESIZE_BILINEAR_ENTRY_LOWER_WEIGHT], wx1 = xe[TFL_RESIZE_BILINEAR_ENTRY_UPPER_WEIGHT];
                const int8_t *a = (const int8_t *)input + PIXEL(y0, x0), *bl = (const int8_t *)input + PIXEL(y1, x0);
                const int8_t *c0 = (const int8_t *)input + PIXEL(y0, x1), *d = (const int8_t *)input + PIXEL(y1, x1);
                for (int32_t c = 0; c < depth; c++) {
                    const int32_t sum = a[c] * wy0 * wx0 + bl[c] * wy1 * wx0 + c0[c] * wy0 * wx1 + d[c] * wy1 * wx1;
                    /* TFLM's rounding: half away from zero, then a division that truncates. */
                    *to++ = (uint8_t)((sum + (sum > 0 ? 1 << 19 : -(1 << 19))) / (1 << 20));
                }
            }
        }
}

/* MIRROR_PAD: each output element's input position from one table per dimension, the output
 * walked in order (the last dimension fastest). The loader's TFL_MAX_RANK: no tensor has more
 * dimensions. */
#define MIRROR_PAD_MAX_RANK 8

void tflite_mirror_pad_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_MIRROR_PAD_INPUT, model, arena);
    uint8_t *to = tfl_output(p, TFL_MIRROR_PAD_OUTPUT, arena);
    const int32_t size = p[TFL_MIRROR_PAD_ELEMENT_SIZE], count = p[TFL_MIRROR_PAD_COUNT], rank = p[TFL_MIRROR_PAD_RANK];
    const int32_t *dims = p + TFL_MIRROR_PAD_DIMS;
    const int32_t *tables[MIRROR_PAD_MAX_RANK];
    int32_t coords[MIRROR_PAD_MAX_RANK];
    const int32_t *table = dims + 2 * rank;
    for (int32_t d = 0; d < rank; d++) {
        coords[d] = 0;
        tables[d] = table;
        table += dims[2 * d];
    }
    for (int32_t i = 0; i < count; i++) {
        int32_t from = 0;
        for (int32_t d = 0; d < rank; d++) from += tables[d][coords[d]] * dims[2 * d + 1];
        memcpy(to, input + size * from, (uint32_t)size);
        to += size;
        for (int32_t d = rank - 1; d >= 0; d--) {
            if (++coords[d] < dims[2 * d]) break;
            coords[d] = 0;
        }
    }
}

/* SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND: TFLM's loops over its 4-D view. */
void tflite_space_to_batch_nd_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SPACE_BATCH_INPUT, model, arena);
    uint8_t *to = tfl_output(p, TFL_SPACE_BATCH_OUTPUT, arena);
    const int32_t pixel = p[TFL_SPACE_BATCH_PIXEL_BYTES], ib = p[TFL_SPACE_BATCH_INPUT_BATCH], ih = p[TFL_SPACE_BATCH_INPUT_HEIGHT];
    const int32_t iw = p[TFL_SPACE_BATCH_INPUT_WIDTH], bh = p[TFL_SPACE_BATCH_BLOCK_HEIGHT], bw = p[TFL_SPACE_BATCH_BLOCK_WIDTH];
    for (int32_t b = 0; b < p[TFL_SPACE_BATCH_OUTPUT_BATCH]; b++) {
        const int32_t in_batch = b % ib, shift_w = b / ib % bw, shift_h = b / ib / bw;
        for (int32_t y = 0; y < p[TFL_SPACE_BATCH_OUTPUT_HEIGHT]; y++)
            for (int32_t x = 0; x < p[TFL_SPACE_BATCH_OUTPUT_WIDTH]; x++) {
                const int32_t h = y * bh + shift_h - p[TFL_SPACE_BATCH_TOP], w = x * bw + shift_w - p[TFL_SPACE_BATCH_LEFT];
                /* Outside the input TFLM writes its params' output_offset, never set: the zeroed
                 * persistent memory's 0. */
                if (h >= 0 && h < ih && w >= 0 && w < iw) memcpy(to, input + ((in_batch * ih + h) * iw + w) * pixel, (uint32_t)pixel);
                else memset(to, 0, (uint32_t)pixel);
                to += pixel;
            }
    }
}

void tflite_batch_to_space_nd_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *from = tfl_tensor(p, TFL_SPACE_BATCH_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SPACE_BATCH_OUTPUT, arena);
    const int32_t pixel = p[TFL_SPACE_BATCH_PIXEL_BYTES], ob = p[TFL_SPACE_BATCH_OUTPUT_BATCH], oh = p[TFL_SPACE_BATCH_OUTPUT_HEIGHT];
    const int32_t ow = p[TFL_SPACE_BATCH_OUTPUT_WIDTH], bh = p[TFL_SPACE_BATCH_BLOCK_HEIGHT], bw = p[TFL_SPACE_BATCH_BLOCK_WIDTH];
    for (int32_t b = 0; b < p[TFL_SPACE_BATCH_INPUT_BATCH]; b++) {
        const int32_t out_batch = b % ob, spatial = b / ob;
        for (int32_t y = 0; y < p[TFL_SPACE_BATCH_INPUT_HEIGHT]; y++) {
            const int32_t h = y * bh + spatial / bw - p[TFL_SPACE_BATCH_TOP];
            for (int32_t x = 0; x < p[TFL_SPACE_BATCH_INPUT_WIDTH]; x++) {
                const int32_t w = x * bw + spatial % bw - p[TFL_SPACE_BATCH_LEFT];
                /* TFLM leaves the output elements no input element lands on as they were. */
                if (h >= 0 && h < oh && w >= 0 && w < ow) memcpy(output + ((out_batch * oh + h) * ow + w) * pixel, from, (uint32_t)pixel);
                from += pixel;
            }
        }
    }
}

/* EMBEDDING_LOOKUP: rows by lookups; a lookup outside the rows (TFLM fails the invoke) gives zeros. */
void tflite_embedding_lookup_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *lookups = tfl_tensor(p, TFL_EMBEDDING_LOOKUP_LOOKUPS, model, arena);
    const uint8_t *values = tfl_tensor(p, TFL_EMBEDDING_LOOKUP_VALUES, model, arena);
    uint8_t *to = tfl_output(p, TFL_EMBEDDING_LOOKUP_OUTPUT, arena);
    const int32_t rows = p[TFL_EMBEDDING_LOOKUP_ROWS], row = p[TFL_EMBEDDING_LOOKUP_ROW_BYTES];
    for (int32_t i = 0; i < p[TFL_EMBEDDING_LOOKUP_COUNT]; i++) {
        const int32_t at = tfl_load_i32(lookups + 4 * i);
        if (at >= 0 && at < rows) memcpy(to, values + at * row, (uint32_t)row);
        else memset(to, 0, (uint32_t)row);
        to += row;
    }
}

/* TFLM's hybrid path: INT8 rows (zero point 0) times the scale, in float32. */
void tflite_embedding_lookup_hybrid(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *lookups = tfl_tensor(p, TFL_EMBEDDING_LOOKUP_LOOKUPS, model, arena);
    const int8_t *values = (const int8_t *)tfl_tensor(p, TFL_EMBEDDING_LOOKUP_VALUES, model, arena);
    uint8_t *to = tfl_output(p, TFL_EMBEDDING_LOOKUP_OUTPUT, arena);
    const int32_t rows = p[TFL_EMBEDDING_LOOKUP_ROWS], columns = p[TFL_EMBEDDING_LOOKUP_COLUMNS];
    const float scale = tfl_param_float(p, TFL_EMBEDDING_LOOKUP_SCALE);
    for (int32_t i = 0; i < p[TFL_EMBEDDING_LOOKUP_COUNT]; i++) {
        const int32_t at = tfl_load_i32(lookups + 4 * i);
        for (int32_t k = 0; k < columns; k++) {
            tfl_store_f32(to, at >= 0 && at < rows ? (float)values[at * columns + k] * scale : 0.0f);
            to += 4;
        }
    }
}

/* BROADCAST_ARGS: two shapes' broadcast from their last values, through an int as TFLM does. */
void tflite_broadcast_args_ints(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *shape1 = tfl_tensor(p, TFL_BROADCAST_ARGS_SHAPE1, model, arena), *shape2 = tfl_tensor(p, TFL_BROADCAST_ARGS_SHAPE2, model, arena);
    uint8_t *output = tfl_output(p, TFL_BROADCAST_ARGS_OUTPUT, arena);
    const int32_t size = p[TFL_BROADCAST_ARGS_ELEMENT_SIZE], n1 = p[TFL_BROADCAST_ARGS_COUNT1], n2 = p[TFL_BROADCAST_ARGS_COUNT2];
    const int32_t n = p[TFL_BROADCAST_ARGS_OUTPUT_COUNT];
    for (int32_t i = 0; i < n; i++) {
        const int32_t a = i < n1 ? tfl_load_i32(shape1 + size * (n1 - 1 - i)) : 1, b = i < n2 ? tfl_load_i32(shape2 + size * (n2 - 1 - i)) : 1;
        const int32_t v = a == 1 ? b : a;
        uint8_t *to = output + size * (n - 1 - i);
        tfl_store_i32(to, v);
        if (size == 8) tfl_store_i32(to + 4, v < 0 ? -1 : 0);
    }
}
