/* Comparisons and logic with broadcasting: EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER,
 * GREATER_EQUAL, LOGICAL_AND, LOGICAL_OR and LOGICAL_NOT, each writing one bool byte per output
 * element; then FILL and ZEROS_LIKE's fill_bytes, SELECT_V2, ARG_MAX/ARG_MIN and ADD_N.
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

/* The element index where the input whose strides start at word `strides` starts output row `row`
 * (the walk's dimensions at word `dims`). */
static int32_t walk_row_start(const int32_t *p, int32_t row, int dims, int strides)
{
    int32_t at = 0;
    for (int k = TFL_CONST_WALK_DIMS - 2; k >= 0 && row > 0; k--) {
        const int32_t d = p[dims + k];
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
        int32_t i1 = walk_row_start(p, r, TFL_COMPARE_DIMS, TFL_COMPARE_STRIDES1);
        int32_t i2 = walk_row_start(p, r, TFL_COMPARE_DIMS, TFL_COMPARE_STRIDES2);
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

/* SELECT_V2: every output element the bytes of x's or y's element, as the condition's says. */
void tflite_select_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *cond = tfl_tensor(p, TFL_SELECT_CONDITION, model, arena);
    const uint8_t *x = tfl_tensor(p, TFL_SELECT_X, model, arena);
    const uint8_t *y = tfl_tensor(p, TFL_SELECT_Y, model, arena);
    uint8_t *out = tfl_output(p, TFL_SELECT_OUTPUT, arena);
    const int32_t size = p[TFL_SELECT_ELEMENT_BYTES];
    const int32_t rows = p[TFL_SELECT_ROWS];
    const int32_t inner = p[TFL_SELECT_DIMS + INNER];
    const int32_t step_c = p[TFL_SELECT_STRIDES_CONDITION + INNER];
    const int32_t step_x = p[TFL_SELECT_STRIDES_X + INNER];
    const int32_t step_y = p[TFL_SELECT_STRIDES_Y + INNER];
    for (int32_t r = 0; r < rows; r++) {
        int32_t ic = walk_row_start(p, r, TFL_SELECT_DIMS, TFL_SELECT_STRIDES_CONDITION);
        int32_t ix = walk_row_start(p, r, TFL_SELECT_DIMS, TFL_SELECT_STRIDES_X);
        int32_t iy = walk_row_start(p, r, TFL_SELECT_DIMS, TFL_SELECT_STRIDES_Y);
        for (int32_t c = 0; c < inner; c++, ic += step_c, ix += step_x, iy += step_y) {
            const uint8_t *from = cond[ic] ? x + size * ix : y + size * iy;
            for (int32_t b = 0; b < size; b++) *out++ = from[b];
        }
    }
}

/* ARG_MAX and ARG_MIN: the index of the first strictly largest (smallest) value along the axis. */
static void arg_min_max(int32_t *p, const uint8_t *model, uint8_t *arena, int is_float)
{
    const uint8_t *in = tfl_tensor(p, TFL_ARG_MIN_MAX_INPUT, model, arena);
    uint8_t *out = tfl_output(p, TFL_ARG_MIN_MAX_OUTPUT, arena);
    const int32_t outer = p[TFL_ARG_MIN_MAX_OUTER], axis_size = p[TFL_ARG_MIN_MAX_AXIS_SIZE], inner = p[TFL_ARG_MIN_MAX_INNER];
    const int is_max = p[TFL_ARG_MIN_MAX_IS_MAX] != 0;
    for (int32_t u = 0; u < outer; u++) {
        for (int32_t n = 0; n < inner; n++) {
            int32_t at = u * axis_size * inner + n;
            /* int8 values are exact as floats, so one comparison serves both types. */
            float best = is_float ? tfl_load_f32(in + 4 * at) : (float)(int8_t)in[at];
            int32_t index = 0;
            for (int32_t i = 1; i < axis_size; i++) {
                at += inner;
                const float v = is_float ? tfl_load_f32(in + 4 * at) : (float)(int8_t)in[at];
                if (is_max ? v > best : v < best) {
                    best = v;
                    index = i;
                }
            }
            tfl_store_i32(out, index);
            out += 4;
        }
    }
}

void tflite_arg_min_max_int8(int32_t *p, const uint8_t *model, uint8_t *arena) { arg_min_max(p, model, arena, 0); }
void tflite_arg_min_max_float(int32_t *p, const uint8_t *model, uint8_t *arena) { arg_min_max(p, model, arena, 1); }

/* ADD_N float32: 0 plus each input's element in input order, in float. */
void tflite_add_n_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    uint8_t *out = tfl_output(p, TFL_ADD_N_OUTPUT, arena);
    const int32_t count = p[TFL_ADD_N_COUNT], n = p[TFL_ADD_N_INPUT_COUNT];
    for (int32_t i = 0; i < count; i++) {
        float x = 0;
        for (int32_t j = 0; j < n; j++) x += tfl_load_f32(tfl_tensor(p, TFL_ADD_N_INPUTS + 2 * j, model, arena) + 4 * i);
        tfl_store_f32(out + 4 * i, x);
    }
}

/* ADD_N int8: TFLM's quantized sum, starting from the term of a stored 0 (kernel_compare.ts). */
void tflite_add_n_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    uint8_t *out = tfl_output(p, TFL_ADD_N_OUTPUT, arena);
    const int32_t count = p[TFL_ADD_N_COUNT], n = p[TFL_ADD_N_INPUT_COUNT];
    const int32_t offset = p[TFL_ADD_N_INPUT_OFFSET], left_shift = p[TFL_ADD_N_LEFT_SHIFT];
    const int32_t m_in = p[TFL_ADD_N_INPUT_MULTIPLIER], s_in = p[TFL_ADD_N_INPUT_SHIFT];
    const int32_t first = rescale(0, offset, left_shift, m_in, s_in);
    for (int32_t i = 0; i < count; i++) {
        uint32_t sum = (uint32_t)first;
        for (int32_t j = 0; j < n; j++) {
            const int8_t v = (int8_t)tfl_tensor(p, TFL_ADD_N_INPUTS + 2 * j, model, arena)[i];
            sum += (uint32_t)rescale(v, offset, left_shift, m_in, s_in);
        }
        const int32_t raw = tfl_rounding_divide_by_pot(tfl_sat_rounding_doubling_high_mul((int32_t)sum, p[TFL_ADD_N_OUTPUT_MULTIPLIER]),
                                                       -p[TFL_ADD_N_OUTPUT_SHIFT]);
        out[i] = (uint8_t)tfl_clamp(raw + p[TFL_ADD_N_OUTPUT_OFFSET], p[TFL_ADD_N_ACTIVATION_MIN], p[TFL_ADD_N_ACTIVATION_MAX]);
    }
}
