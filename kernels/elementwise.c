/* Element-wise binary ops with broadcasting: ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM.
 * Parameter block: enum tfl_elementwise (libs/tflite/kernel_elementwise.ts, where the arithmetic
 * of each type is explained).
 *
 * Prepare turned broadcasting into a walk: Rows rows of Dims[5] elements, each input advancing by
 * its own stride per dimension (0 where it repeats). */
/* Small beats fast here: none of these bodies is on the built-in models' hot path, and every C
 * function of the extension takes flash in every program (before the includes, so that the
 * inline helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"

enum binary_op { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MAXIMUM, OP_MINIMUM };

#define INNER (TFL_CONST_BROADCAST_DIMS - 1)

/* The element index where the input with strides at `strides` starts output row `row`. */
static int32_t row_start(const int32_t *p, int32_t row, int strides)
{
    int32_t at = 0;
    for (int k = TFL_CONST_BROADCAST_DIMS - 2; k >= 0 && row > 0; k--) {
        const int32_t d = p[TFL_ELEMENTWISE_DIMS + k];
        at += row % d * p[strides + k];
        row /= d;
    }
    return at;
}

static int32_t load_int(const uint8_t *data, int bytes, int32_t i)
{
    return bytes == 1 ? ((const int8_t *)data)[i] : bytes == 2 ? tfl_load_i16(data + 2 * i) : tfl_load_i32(data + 4 * i);
}

static void store_int(uint8_t *data, int bytes, int32_t i, int32_t v)
{
    if (bytes == 1) data[i] = (uint8_t)v;
    else if (bytes == 2) tfl_store_i16(data + 2 * i, v);
    else tfl_store_i32(data + 4 * i, v);
}

/* int32 arithmetic wrapping as C's two's complement (and raw MAXIMUM/MINIMUM of int8/int16),
 * then the activation's clamp. */
static void integer_binary(int32_t *p, const uint8_t *model, uint8_t *arena, int bytes, enum binary_op op)
{
    const uint8_t *in1 = tfl_tensor(p, TFL_ELEMENTWISE_INPUT1, model, arena);
    const uint8_t *in2 = tfl_tensor(p, TFL_ELEMENTWISE_INPUT2, model, arena);
    uint8_t *out = tfl_output(p, TFL_ELEMENTWISE_OUTPUT, arena);
    const int32_t rows = p[TFL_ELEMENTWISE_ROWS];
    const int32_t inner = p[TFL_ELEMENTWISE_DIMS + INNER];
    const int32_t step1 = p[TFL_ELEMENTWISE_STRIDES1 + INNER];
    const int32_t step2 = p[TFL_ELEMENTWISE_STRIDES2 + INNER];
    const int32_t lo = p[TFL_ELEMENTWISE_ACTIVATION_MIN];
    const int32_t hi = p[TFL_ELEMENTWISE_ACTIVATION_MAX];
    int32_t o = 0;
    for (int32_t r = 0; r < rows; r++) {
        int32_t i1 = row_start(p, r, TFL_ELEMENTWISE_STRIDES1);
        int32_t i2 = row_start(p, r, TFL_ELEMENTWISE_STRIDES2);
        for (int32_t c = 0; c < inner; c++, i1 += step1, i2 += step2) {
            const int32_t x = load_int(in1, bytes, i1);
            const int32_t y = load_int(in2, bytes, i2);
            int32_t v;
            switch (op) {
            case OP_ADD: v = (int32_t)((uint32_t)x + (uint32_t)y); break;
            case OP_SUB: v = (int32_t)((uint32_t)x - (uint32_t)y); break;
            case OP_MUL: v = (int32_t)((uint32_t)x * (uint32_t)y); break;
            case OP_DIV:
                /* Truncating toward zero; INT32_MIN / -1 wraps to INT32_MIN as Cortex-M's SDIV.
                 * The STS body refuses a zero divisor; here (a body cannot fail) it gives 0. */
                v = y == 0 ? 0 : y == -1 ? (int32_t)(0u - (uint32_t)x) : x / y;
                break;
            case OP_MAXIMUM: v = x > y ? x : y; break;
            default: v = x < y ? x : y; break;
            }
            store_int(out, bytes, o++, tfl_clamp(v, lo, hi));
        }
    }
}

#define INTEGER_BODY(name, bytes, op) \
    void tflite_##name(int32_t *p, const uint8_t *model, uint8_t *arena) { integer_binary(p, model, arena, bytes, op); }
INTEGER_BODY(add_int32, 4, OP_ADD)
INTEGER_BODY(sub_int32, 4, OP_SUB)
INTEGER_BODY(mul_int32, 4, OP_MUL)
INTEGER_BODY(div_int32, 4, OP_DIV)
INTEGER_BODY(maximum_int32, 4, OP_MAXIMUM)
INTEGER_BODY(minimum_int32, 4, OP_MINIMUM)
INTEGER_BODY(maximum_int16, 2, OP_MAXIMUM)
INTEGER_BODY(minimum_int16, 2, OP_MINIMUM)
INTEGER_BODY(maximum_int8, 1, OP_MAXIMUM)
INTEGER_BODY(minimum_int8, 1, OP_MINIMUM)

/* One float operation per element, then std::min(std::max(v, lo), hi): NaN and -0 pass. */
static void float_binary(int32_t *p, const uint8_t *model, uint8_t *arena, enum binary_op op)
{
    const uint8_t *in1 = tfl_tensor(p, TFL_ELEMENTWISE_INPUT1, model, arena);
    const uint8_t *in2 = tfl_tensor(p, TFL_ELEMENTWISE_INPUT2, model, arena);
    uint8_t *out = tfl_output(p, TFL_ELEMENTWISE_OUTPUT, arena);
    const int32_t rows = p[TFL_ELEMENTWISE_ROWS];
    const int32_t inner = p[TFL_ELEMENTWISE_DIMS + INNER];
    const int32_t step1 = p[TFL_ELEMENTWISE_STRIDES1 + INNER];
    const int32_t step2 = p[TFL_ELEMENTWISE_STRIDES2 + INNER];
    const float lo = tfl_param_float(p, TFL_ELEMENTWISE_ACTIVATION_MIN);
    const float hi = tfl_param_float(p, TFL_ELEMENTWISE_ACTIVATION_MAX);
    int32_t o = 0;
    for (int32_t r = 0; r < rows; r++) {
        int32_t i1 = row_start(p, r, TFL_ELEMENTWISE_STRIDES1);
        int32_t i2 = row_start(p, r, TFL_ELEMENTWISE_STRIDES2);
        for (int32_t c = 0; c < inner; c++, i1 += step1, i2 += step2) {
            const float x = tfl_load_f32(in1 + 4 * i1);
            const float y = tfl_load_f32(in2 + 4 * i2);
            float v;
            switch (op) {
            case OP_ADD: v = x + y; break;
            case OP_SUB: v = x - y; break;
            case OP_MUL: v = x * y; break;
            case OP_DIV: v = x / y; break;
            case OP_MAXIMUM: v = x > y ? x : y; break;
            default: v = x < y ? x : y; break;
            }
            tfl_store_f32(out + 4 * o++, tfl_clamp_float(v, lo, hi));
        }
    }
}

#define FLOAT_BODY(name, op) \
    void tflite_##name(int32_t *p, const uint8_t *model, uint8_t *arena) { float_binary(p, model, arena, op); }
FLOAT_BODY(add_float, OP_ADD)
FLOAT_BODY(sub_float, OP_SUB)
FLOAT_BODY(mul_float, OP_MUL)
FLOAT_BODY(div_float, OP_DIV)
FLOAT_BODY(maximum_float, OP_MAXIMUM)
FLOAT_BODY(minimum_float, OP_MINIMUM)

/* MultiplyByQuantizedMultiplierSmallerThanOneExp: shift <= 0. */
static inline int32_t scale_down(int32_t x, int32_t multiplier, int32_t shift)
{
    return tfl_rounding_divide_by_pot(tfl_sat_rounding_doubling_high_mul(x, multiplier), -shift);
}

/* int8/int16 ADD and SUB (both inputs rescaled to a common scale with headroom) and MUL. */
static void quantized_binary(int32_t *p, const uint8_t *model, uint8_t *arena, int bytes, enum binary_op op)
{
    const uint8_t *in1 = tfl_tensor(p, TFL_ELEMENTWISE_INPUT1, model, arena);
    const uint8_t *in2 = tfl_tensor(p, TFL_ELEMENTWISE_INPUT2, model, arena);
    uint8_t *out = tfl_output(p, TFL_ELEMENTWISE_OUTPUT, arena);
    const int32_t rows = p[TFL_ELEMENTWISE_ROWS];
    const int32_t inner = p[TFL_ELEMENTWISE_DIMS + INNER];
    const int32_t step1 = p[TFL_ELEMENTWISE_STRIDES1 + INNER];
    const int32_t step2 = p[TFL_ELEMENTWISE_STRIDES2 + INNER];
    const int32_t lo = p[TFL_ELEMENTWISE_ACTIVATION_MIN];
    const int32_t hi = p[TFL_ELEMENTWISE_ACTIVATION_MAX];
    const int32_t offset1 = p[TFL_ELEMENTWISE_INPUT1_OFFSET];
    const int32_t offset2 = p[TFL_ELEMENTWISE_INPUT2_OFFSET];
    const int32_t output_offset = p[TFL_ELEMENTWISE_OUTPUT_OFFSET];
    const int32_t left_shift = p[TFL_ELEMENTWISE_LEFT_SHIFT];
    const int32_t m1 = p[TFL_ELEMENTWISE_INPUT1_MULTIPLIER], s1 = p[TFL_ELEMENTWISE_INPUT1_SHIFT];
    const int32_t m2 = p[TFL_ELEMENTWISE_INPUT2_MULTIPLIER], s2 = p[TFL_ELEMENTWISE_INPUT2_SHIFT];
    const int32_t m_out = p[TFL_ELEMENTWISE_OUTPUT_MULTIPLIER], s_out = p[TFL_ELEMENTWISE_OUTPUT_SHIFT];
    int32_t o = 0;
    for (int32_t r = 0; r < rows; r++) {
        int32_t i1 = row_start(p, r, TFL_ELEMENTWISE_STRIDES1);
        int32_t i2 = row_start(p, r, TFL_ELEMENTWISE_STRIDES2);
        for (int32_t c = 0; c < inner; c++, i1 += step1, i2 += step2) {
            const int32_t x = load_int(in1, bytes, i1) + offset1;
            const int32_t y = load_int(in2, bytes, i2) + offset2;
            int32_t v;
            if (op == OP_MUL) {
                v = tfl_multiply_by_quantized_multiplier((int32_t)((uint32_t)x * (uint32_t)y), m_out, s_out);
            } else {
                const int32_t scaled1 = scale_down((int32_t)((uint32_t)x << left_shift), m1, s1);
                const int32_t scaled2 = scale_down((int32_t)((uint32_t)y << left_shift), m2, s2);
                const int32_t raw = (int32_t)(op == OP_ADD ? (uint32_t)scaled1 + (uint32_t)scaled2 : (uint32_t)scaled1 - (uint32_t)scaled2);
                v = scale_down(raw, m_out, s_out);
            }
            store_int(out, bytes, o++, tfl_clamp(v + output_offset, lo, hi));
        }
    }
}

#define QUANTIZED_BODY(name, bytes, op) \
    void tflite_##name(int32_t *p, const uint8_t *model, uint8_t *arena) { quantized_binary(p, model, arena, bytes, op); }
QUANTIZED_BODY(add_int8, 1, OP_ADD)
QUANTIZED_BODY(add_int16, 2, OP_ADD)
QUANTIZED_BODY(sub_int8, 1, OP_SUB)
QUANTIZED_BODY(sub_int16, 2, OP_SUB)
QUANTIZED_BODY(mul_int8, 1, OP_MUL)
QUANTIZED_BODY(mul_int16, 2, OP_MUL)
