/* Comparisons and logic with broadcasting: EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER,
 * GREATER_EQUAL, LOGICAL_AND, LOGICAL_OR and LOGICAL_NOT, each writing one bool byte per output
 * element; FILL and ZEROS_LIKE's fill_bytes at the end.
 * Parameter block: enum tfl_compare (libs/tflite/kernel_compare.ts, where TFLM's types are
 * explained). Prepare turned broadcasting into a walk: Rows rows of Dims[5] elements, each input
 * advancing by its own stride per dimension (0 where it repeats). */
/* Small beats fast: these ops are on no built-in model's path (see elementwise.c). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"

#define INNER (TFL_CONST_WALK_DIMS - 1)

enum compare_type { TYPE_BOOL, TYPE_INT8, TYPE_INT32, TYPE_INT64, TYPE_FLOAT };

/* The element index where the input whose strides start at word `strides` starts output row `row`. */
static int32_t row_start(const int32_t *p, int32_t row, int strides)
{
    int32_t at = 0;
    for (int k = TFL_CONST_WALK_DIMS - 2; k >= 0 && row > 0; k--) {
        const int32_t d = p[TFL_COMPARE_DIMS + k];
        at += row % d * p[strides + k];
        row /= d;
    }
    return at;
}

/* MultiplyByQuantizedMultiplierSmallerThanOneExp of (value + offset) * 2^left_shift: TFLM's
 * rescaled int8 comparison operand. */
static int32_t rescale(int32_t value, int32_t offset, int32_t left_shift, int32_t multiplier, int32_t shift)
{
    int32_t x = (int32_t)((uint32_t)(value + offset) << left_shift);
    return tfl_rounding_divide_by_pot(tfl_sat_rounding_doubling_high_mul(x, multiplier), -shift);
}

static void compare_elements(int32_t *p, const uint8_t *model, uint8_t *arena, enum compare_type type)
{
    const uint8_t *in1 = tfl_tensor(p, TFL_COMPARE_INPUT1, model, arena);
    const uint8_t *in2 = tfl_tensor(p, TFL_COMPARE_INPUT2, model, arena);
    uint8_t *out = tfl_output(p, TFL_COMPARE_OUTPUT, arena);
    const int32_t kind = p[TFL_COMPARE_KIND];
    const int32_t rows = p[TFL_COMPARE_ROWS];
    const int32_t inner = p[TFL_COMPARE_DIMS + INNER];
    const int32_t step1 = p[TFL_COMPARE_STRIDES1 + INNER];
    const int32_t step2 = p[TFL_COMPARE_STRIDES2 + INNER];
    const int32_t left_shift = p[TFL_COMPARE_LEFT_SHIFT];
    for (int32_t r = 0; r < rows; r++) {
        int32_t i1 = row_start(p, r, TFL_COMPARE_STRIDES1);
        int32_t i2 = row_start(p, r, TFL_COMPARE_STRIDES2);
        for (int32_t c = 0; c < inner; c++, i1 += step1, i2 += step2) {
            /* x and y compare as the stored values do: int64 pairs as the sign of their order
             * against 0, int8 as TFLM's rescaled values; float32 pairs compare as floats. */
            int32_t x = 0, y = 0;
            float fx = 0, fy = 0;
            switch (type) {
            case TYPE_BOOL: x = in1[i1]; y = in2[i2]; break;
            case TYPE_INT8:
                x = rescale((int8_t)in1[i1], p[TFL_COMPARE_INPUT1_OFFSET], left_shift, p[TFL_COMPARE_INPUT1_MULTIPLIER],
                            p[TFL_COMPARE_INPUT1_SHIFT]);
                y = rescale((int8_t)in2[i2], p[TFL_COMPARE_INPUT2_OFFSET], left_shift, p[TFL_COMPARE_INPUT2_MULTIPLIER],
                            p[TFL_COMPARE_INPUT2_SHIFT]);
                break;
            case TYPE_INT32: x = tfl_load_i32(in1 + 4 * i1); y = tfl_load_i32(in2 + 4 * i2); break;
            case TYPE_INT64: {
                const int64_t a = tfl_load_i64(in1 + 8 * i1), b = tfl_load_i64(in2 + 8 * i2);
                x = a < b ? -1 : a > b;
                break;
            }
            default: fx = tfl_load_f32(in1 + 4 * i1); fy = tfl_load_f32(in2 + 4 * i2); break;
            }
            int v;
            if (type == TYPE_FLOAT) {
                switch (kind) {
                case TFL_COMPARE_KIND_EQUAL: v = fx == fy; break;
                case TFL_COMPARE_KIND_NOT_EQUAL: v = fx != fy; break;
                case TFL_COMPARE_KIND_LESS: v = fx < fy; break;
                case TFL_COMPARE_KIND_LESS_EQUAL: v = fx <= fy; break;
                case TFL_COMPARE_KIND_GREATER: v = fx > fy; break;
                default: v = fx >= fy; break;
                }
            } else {
                switch (kind) {
                case TFL_COMPARE_KIND_EQUAL: v = x == y; break;
                case TFL_COMPARE_KIND_NOT_EQUAL: v = x != y; break;
                case TFL_COMPARE_KIND_LESS: v = x < y; break;
                case TFL_COMPARE_KIND_LESS_EQUAL: v = x <= y; break;
                case TFL_COMPARE_KIND_GREATER: v = x > y; break;
                case TFL_COMPARE_KIND_GREATER_EQUAL: v = x >= y; break;
                case TFL_COMPARE_KIND_LOGICAL_AND: v = x != 0 && y != 0; break;
                case TFL_COMPARE_KIND_LOGICAL_OR: v = x != 0 || y != 0; break;
                default: v = x == 0; break;
                }
            }
            *out++ = (uint8_t)v;
        }
    }
}

#define COMPARE_BODY(name, type) \
    void tflite_##name(int32_t *p, const uint8_t *model, uint8_t *arena) { compare_elements(p, model, arena, type); }
COMPARE_BODY(compare_bool, TYPE_BOOL)
COMPARE_BODY(compare_int8, TYPE_INT8)
COMPARE_BODY(compare_int32, TYPE_INT32)
COMPARE_BODY(compare_int64, TYPE_INT64)
COMPARE_BODY(compare_float, TYPE_FLOAT)

/* FILL and ZEROS_LIKE: every output element the value's bytes, or zeros without a value. */
void tflite_fill_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *value = tfl_tensor(p, TFL_FILL_VALUE, model, arena);
    uint8_t *out = tfl_output(p, TFL_FILL_OUTPUT, arena);
    const int32_t size = p[TFL_FILL_ELEMENT_BYTES];
    const int32_t bytes = p[TFL_FILL_COUNT] * size;
    for (int32_t b = 0; b < size; b++) {
        const uint8_t v = value ? value[b] : 0;
        for (int32_t o = b; o < bytes; o += size) out[o] = v;
    }
}
