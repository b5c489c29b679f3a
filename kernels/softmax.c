/* SOFTMAX along the last dimension: output[c] = exp(beta * (x[c] - max)) / sum_k exp(beta * (x[k] - max)).
 * Parameter block: enum tfl_softmax (libs/tflite/kernel_softmax.ts, where the math is explained).
 *
 * int8 input: TFLM's gemmlowp path. Differences from the row maximum are rescaled into Q5.26,
 * exp() is taken in Q0.31, the exps are summed in Q12.19, and the reciprocal of the sum scales
 * each exp to the output (scale 1/256, zero point -128; or 1/65536, -32768 for int16 output).
 * int16: exp and 1/(1+x) from the 513-entry tables prepare put in the parameter block.
 * float: in float, in TFLM's order, with glibc's expf. */
/* Small beats fast here: these bodies run once per invoke on a handful of values (the end of a
 * classifier), and every C function of the extension takes flash in every program. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"
#include "fixed_point.h"
#include "libm.h"

enum { SCALED_DIFF_INTEGER_BITS = 5, ACCUMULATION_INTEGER_BITS = 12 };

/* exp(multiplier-rescaled diff) in Q0.31. */
static inline int32_t exp_of_diff(int32_t diff, int32_t multiplier, int32_t left_shift)
{
    /* MultiplyByQuantizedMultiplierGreaterThanOne: left_shift >= 0. */
    int32_t scaled = tfl_sat_rounding_doubling_high_mul((int32_t)((uint32_t)diff << left_shift), multiplier);
    return tfl_exp_on_negative_values(scaled, SCALED_DIFF_INTEGER_BITS);
}

static void softmax_from_int8(int32_t *p, const uint8_t *model, uint8_t *arena, int output_bits)
{
    const int8_t *input = (const int8_t *)tfl_tensor(p, TFL_SOFTMAX_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SOFTMAX_OUTPUT, arena);
    const int32_t outer_size = p[TFL_SOFTMAX_OUTER_SIZE];
    const int32_t depth = p[TFL_SOFTMAX_DEPTH];
    const int32_t multiplier = p[TFL_SOFTMAX_INPUT_MULTIPLIER];
    const int32_t left_shift = p[TFL_SOFTMAX_INPUT_SHIFT];
    const int32_t diff_min = p[TFL_SOFTMAX_DIFF_MIN];
    const int32_t output_min = output_bits == 8 ? -128 : -32768;
    const int32_t output_max = output_bits == 8 ? 127 : 32767;
    for (int32_t i = 0; i < outer_size; i++) {
        const int8_t *row = input + i * depth;
        int32_t max_in_row = -128;
        for (int32_t c = 0; c < depth; c++)
            if (row[c] > max_in_row) max_in_row = row[c];

        /* Sum of exps in Q12.19: each Q0.31 exp loses 12 fractional bits, rounded. */
        uint32_t sum_of_exps = 0;
        for (int32_t c = 0; c < depth; c++) {
            const int32_t diff = row[c] - max_in_row;
            if (diff >= diff_min)
                sum_of_exps += (uint32_t)tfl_rounding_divide_by_pot(exp_of_diff(diff, multiplier, left_shift), ACCUMULATION_INTEGER_BITS);
        }

        /* GetReciprocal: sum = 2^bits_over_unit * (1 + f) with f in [0, 1); 1/(1 + f) in Q0.31. */
        const int headroom_plus_one = tfl_count_leading_zeros(sum_of_exps);
        const int bits_over_unit = ACCUMULATION_INTEGER_BITS - headroom_plus_one;
        const int32_t shifted_sum_minus_one = (int32_t)(((uint64_t)sum_of_exps << headroom_plus_one) + 0x80000000u);
        const int32_t shifted_scale = tfl_one_over_one_plus_x(shifted_sum_minus_one, 0);
        const int exponent = bits_over_unit + 31 - output_bits;

        for (int32_t c = 0; c < depth; c++) {
            const int32_t diff = row[c] - max_in_row;
            int32_t out = output_min;
            if (diff >= diff_min) {
                const int32_t exp = exp_of_diff(diff, multiplier, left_shift);
                const int32_t unsaturated = tfl_rounding_divide_by_pot(tfl_sat_rounding_doubling_high_mul(shifted_scale, exp), exponent);
                out = tfl_clamp(unsaturated + output_min, output_min, output_max);
            }
            if (output_bits == 8) output[i * depth + c] = (uint8_t)out;
            else tfl_store_i16(output + 2 * (i * depth + c), out);
        }
    }
}

void tflite_softmax_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    softmax_from_int8(p, model, arena, 8);
}

void tflite_softmax_int8_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    softmax_from_int8(p, model, arena, 16);
}

/* TFLM's LUTLookup for int16: the top 9 bits of `value` pick a segment of the 513-entry table,
 * the low 7 bits interpolate within it (rounded), wrapping as int16 arithmetic. */
static int32_t int16_lut_lookup(const int32_t *p, int word, int32_t value)
{
    const uint8_t *table = (const uint8_t *)(p + word);
    const int32_t index = 256 + (value >> 7);
    const int32_t offset = value & 0x7f;
    const int32_t base = tfl_load_i16(table + 2 * index);
    const int32_t next = tfl_load_i16(table + 2 * index + 2);
    const int32_t slope = (int16_t)(next - base);
    const int32_t delta = (slope * offset + 64) >> 7;
    return (int16_t)(base + delta);
}

void tflite_softmax_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SOFTMAX_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SOFTMAX_OUTPUT, arena);
    const int32_t outer_size = p[TFL_SOFTMAX_OUTER_SIZE];
    const int32_t depth = p[TFL_SOFTMAX_DEPTH];
    const int32_t multiplier = p[TFL_SOFTMAX_INPUT_MULTIPLIER];
    const int32_t shift = p[TFL_SOFTMAX_INPUT_SHIFT];
    for (int32_t i = 0; i < outer_size; i++) {
        const uint8_t *row = input + 2 * i * depth;
        uint8_t *out_row = output + 2 * i * depth;
        int32_t max_in_row = -32768;
        for (int32_t c = 0; c < depth; c++) {
            const int32_t v = tfl_load_i16(row + 2 * c);
            if (v > max_in_row) max_in_row = v;
        }

        /* exp(x - max) in Q0.15, kept in the output row until the sum is known. */
        uint32_t sum_of_exps = 0;
        for (int32_t c = 0; c < depth; c++) {
            const int32_t diff = tfl_load_i16(row + 2 * c) - max_in_row;
            const int32_t scaled = tfl_multiply_by_quantized_multiplier(diff, multiplier, shift);
            /* Recentre [-65535, 0] on the table's input range [-32768, 32767]. */
            const int32_t exp = int16_lut_lookup(p, TFL_SOFTMAX_EXP_LUT, tfl_clamp(scaled + 32767, -32768, 32767));
            tfl_store_i16(out_row + 2 * c, exp);
            sum_of_exps += (uint32_t)exp;
        }

        /* 1 / sum: the sum normalized to [1, 2) in Q1.15 (as 65536 + x), then 1/(1 + x) by table. */
        const int headroom_plus_one = tfl_count_leading_zeros(sum_of_exps);
        const int64_t sum = (int32_t)sum_of_exps;
        const int64_t shifted_sum = headroom_plus_one > 0 ?
            ((sum << (headroom_plus_one - 1)) + (1 << 13)) >> 14 : (sum + (1 << 14)) >> 15;
        const int32_t reciprocal = int16_lut_lookup(p, TFL_SOFTMAX_ONE_OVER_ONE_PLUS_X_LUT,
            tfl_clamp((int32_t)(shifted_sum - ((1 << 15) + (1 << 16))), -32768, 32767));

        const int right_shift = 31 - headroom_plus_one;
        const int64_t round = right_shift > 0 ? (int64_t)1 << (right_shift - 1) : 0;
        for (int32_t c = 0; c < depth; c++) {
            const int64_t exp = tfl_load_i16(out_row + 2 * c);
            const int64_t result = (exp * reciprocal + round) >> right_shift;
            tfl_store_i16(out_row + 2 * c, result < 0 ? 0 : result > 32767 ? 32767 : (int32_t)result);
        }
    }
}

void tflite_softmax_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SOFTMAX_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SOFTMAX_OUTPUT, arena);
    const int32_t outer_size = p[TFL_SOFTMAX_OUTER_SIZE];
    const int32_t depth = p[TFL_SOFTMAX_DEPTH];
    const float beta = tfl_param_float(p, TFL_SOFTMAX_BETA);
    for (int32_t i = 0; i < outer_size; i++) {
        const uint8_t *row = input + 4 * i * depth;
        uint8_t *out_row = output + 4 * i * depth;
        /* Subtracting the maximum keeps exp() finite; std::max skips NaNs as written here. */
        float max = -0x1.fffffep127f;
        for (int32_t c = 0; c < depth; c++) {
            const float v = tfl_load_f32(row + 4 * c);
            if (max < v) max = v;
        }
        float sum = 0.0f;
        for (int32_t c = 0; c < depth; c++) {
            const float e = tfl_expf((tfl_load_f32(row + 4 * c) - max) * beta);
            tfl_store_f32(out_row + 4 * c, e);
            sum += e;
        }
        for (int32_t c = 0; c < depth; c++) tfl_store_f32(out_row + 4 * c, tfl_load_f32(out_row + 4 * c) / sum);
    }
}
