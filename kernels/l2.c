/* L2_NORMALIZATION, L2_POOL_2D and LOG_SOFTMAX bodies (kernel_l2.ts, where TFLM's arithmetic is explained).
 * Parameter blocks: enum tfl_l2_norm, tfl_pool, tfl_log_softmax. None is in the board's default build. */
/* Small beats fast here: only the all-ops build has them (before the includes, so that the inline
 * helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "fixed_point.h"
#include "kernel_util.h"
#include "libm.h"
#include "prepare.h"

void tflite_l2_normalization_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_L2_NORM_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_L2_NORM_OUTPUT, arena);
    const int32_t outer = p[TFL_L2_NORM_OUTER_SIZE], depth = p[TFL_L2_NORM_DEPTH];
    const float epsilon = 1e-6f;
    for (int32_t i = 0; i < outer; i++) {
        const uint8_t *row = input + 4 * depth * i;
        float sum = 0.0f;
        for (int32_t c = 0; c < depth; c++) {
            const float v = tfl_load_f32(row + 4 * c);
            sum += v * v;
        }
        /* std::max(norm, epsilon): a NaN norm stays. */
        float norm = tfl_sqrtf(sum);
        if (norm < epsilon) norm = epsilon;
        for (int32_t c = 0; c < depth; c++) tfl_store_f32(output + 4 * (depth * i + c), tfl_load_f32(row + 4 * c) / norm);
    }
}

void tflite_l2_normalization_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const int8_t *input = (const int8_t *)tfl_tensor(p, TFL_L2_NORM_INPUT, model, arena);
    int8_t *output = (int8_t *)tfl_output(p, TFL_L2_NORM_OUTPUT, arena);
    const int32_t outer = p[TFL_L2_NORM_OUTER_SIZE], depth = p[TFL_L2_NORM_DEPTH];
    const int32_t zero_point = p[TFL_L2_NORM_INPUT_ZERO_POINT];
    for (int32_t i = 0; i < outer; i++) {
        const int8_t *row = input + depth * i;
        /* TFLM's int32 sum, wrapping as the STS's (it would take 2^15 elements to). */
        uint32_t sum = 0;
        for (int32_t c = 0; c < depth; c++) {
            const int32_t d = row[c] - zero_point;
            sum += (uint32_t)(d * d);
        }
        int32_t shift = 0;
        const int32_t inv = (int32_t)sum <= 1 ? TFL_INT32_MAX : tfl_inv_sqrt_multiplier((int32_t)sum, &shift);
        for (int32_t c = 0; c < depth; c++) {
            /* The 1/128 output scale folded into the shift. */
            const int32_t v = tfl_multiply_by_quantized_multiplier(row[c] - zero_point, inv, shift + 7);
            output[depth * i + c] = (int8_t)tfl_clamp(v, -128, 127);
        }
    }
}

/* L2_POOL_2D (enum tfl_pool, kernel_l2.ts l2PoolFloat): per window sqrtf(sum of squares / count),
 * the count kept as TFLM keeps it (0 for a window wholly in the padding: 0 / 0, a NaN). */
void tflite_l2_pool_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_POOL_INPUT, model, arena);
    uint8_t *out = tfl_output(p, TFL_POOL_OUTPUT, arena);
    const int32_t batches = p[TFL_POOL_BATCHES], in_h = p[TFL_POOL_INPUT_HEIGHT], in_w = p[TFL_POOL_INPUT_WIDTH];
    const int32_t depth = p[TFL_POOL_DEPTH], out_h = p[TFL_POOL_OUTPUT_HEIGHT], out_w = p[TFL_POOL_OUTPUT_WIDTH];
    const int32_t stride_h = p[TFL_POOL_STRIDE_HEIGHT], stride_w = p[TFL_POOL_STRIDE_WIDTH];
    const int32_t filter_h = p[TFL_POOL_FILTER_HEIGHT], filter_w = p[TFL_POOL_FILTER_WIDTH];
    const float lo = tfl_param_float(p, TFL_POOL_ACTIVATION_MIN), hi = tfl_param_float(p, TFL_POOL_ACTIVATION_MAX);
    for (int32_t b = 0; b < batches; b++)
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t origin_y = oy * stride_h - p[TFL_POOL_PADDING_HEIGHT];
            const int32_t y0 = origin_y < 0 ? -origin_y : 0, y1 = filter_h < in_h - origin_y ? filter_h : in_h - origin_y;
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t origin_x = ox * stride_w - p[TFL_POOL_PADDING_WIDTH];
                const int32_t x0 = origin_x < 0 ? -origin_x : 0, x1 = filter_w < in_w - origin_x ? filter_w : in_w - origin_x;
                for (int32_t c = 0; c < depth; c++) {
                    float sum = 0.0f;
                    int32_t count = 0;
                    for (int32_t fy = y0; fy < y1; fy++) {
                        const int32_t row = (b * in_h + origin_y + fy) * in_w;
                        for (int32_t fx = x0; fx < x1; fx++) {
                            const float v = tfl_load_f32(input + 4 * ((row + origin_x + fx) * depth + c));
                            sum += v * v;
                            count++;
                        }
                    }
                    /* min(max(v, lo), hi) as TFLM's: a NaN stays. */
                    float v = tfl_sqrtf(sum / (float)count);
                    if (v < lo) v = lo;
                    if (v > hi) v = hi;
                    tfl_store_f32(out, v);
                    out += 4;
                }
            }
        }
}

/* LOG_SOFTMAX float32 (enum tfl_log_softmax, kernel_l2.ts logSoftmaxFloat). */
void tflite_log_softmax_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_LOG_SOFTMAX_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_LOG_SOFTMAX_OUTPUT, arena);
    const int32_t outer = p[TFL_LOG_SOFTMAX_OUTER_SIZE], depth = p[TFL_LOG_SOFTMAX_DEPTH];
    for (int32_t i = 0; i < outer; i++) {
        const uint8_t *row = input + 4 * depth * i;
        /* std::max(max, v): a NaN after the first value is skipped. */
        float max = -0x1.fffffep127f;
        for (int32_t c = 0; c < depth; c++) {
            const float v = tfl_load_f32(row + 4 * c);
            if (max < v) max = v;
        }
        float sum = 0.0f;
        for (int32_t c = 0; c < depth; c++) sum += tfl_expf(tfl_load_f32(row + 4 * c) - max);
        const float log_sum = tfl_logf(sum);
        for (int32_t c = 0; c < depth; c++) tfl_store_f32(output + 4 * (depth * i + c), tfl_load_f32(row + 4 * c) - max - log_sum);
    }
}

static int32_t saturating_add(int32_t a, int32_t b)
{
    const int64_t sum = (int64_t)a + b;
    return sum > TFL_INT32_MAX ? TFL_INT32_MAX : sum < TFL_INT32_MIN ? TFL_INT32_MIN : (int32_t)sum;
}

static inline int32_t wrap_add(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* gemmlowp's log_x_for_x_greater_than_or_equal_to_1 of a Q12.19 value, in Q5.26 (kernel_l2.ts
 * logOfAtLeastOne). */
static int32_t log_of_at_least_one(int32_t x)
{
    const int32_t log2 = 1488522236, sqrt_sqrt_half = 1805811301, sqrt_half = 1518500250;
    const int32_t alpha_n = 117049297, alpha_d = 127690142, alpha_i = 1057819769, alpha_f = 638450708;
    const int32_t shifted_quarter = 1 << 23;   /* 1/4 in Q6.25 */
    const int input_integer_bits = TFL_CONST_LOG_SOFTMAX_SUM_INTEGER_BITS;
    const int headroom_plus_one = tfl_count_leading_zeros((uint32_t)x);
    const int32_t r_a = tfl_saturating_rounding_multiply_by_pot(
        tfl_sat_rounding_doubling_high_mul(tfl_saturating_rounding_multiply_by_pot(x, headroom_plus_one - 1), sqrt_half), 1);
    const int32_t z_a_pow2_adj = saturating_add((int32_t)((uint32_t)(input_integer_bits - headroom_plus_one) << 25), shifted_quarter);
    const int32_t z_b = tfl_sat_rounding_doubling_high_mul(x, sqrt_half);
    const int z_b_headroom = tfl_count_leading_zeros((uint32_t)z_b) - 1;
    const int32_t r_b = tfl_saturating_rounding_multiply_by_pot(x, z_b_headroom);
    const int32_t z_b_pow2_adj = saturating_add((int32_t)((uint32_t)(input_integer_bits - z_b_headroom) << 25), -shifted_quarter);
    const int32_t r = r_a < r_b ? r_a : r_b;
    const int32_t z_pow2_adj = z_a_pow2_adj > z_b_pow2_adj ? z_a_pow2_adj : z_b_pow2_adj;
    const int32_t half_sum = tfl_rounding_half_sum(r, sqrt_sqrt_half);
    int32_t q = (int32_t)((uint32_t)r - (uint32_t)sqrt_sqrt_half);
    q = wrap_add(q, q);
    const int32_t common_sq = tfl_sat_rounding_doubling_high_mul(q, q);
    const int32_t num = wrap_add(tfl_sat_rounding_doubling_high_mul(q, r),
                                 tfl_sat_rounding_doubling_high_mul(tfl_sat_rounding_doubling_high_mul(q, common_sq), alpha_n));
    const int32_t denom_minus_one = wrap_add(
        tfl_sat_rounding_doubling_high_mul(half_sum, wrap_add(wrap_add(alpha_i, q), tfl_sat_rounding_doubling_high_mul(alpha_d, common_sq))),
        tfl_sat_rounding_doubling_high_mul(alpha_f, q));
    const int32_t recip_denom = tfl_one_over_one_plus_x(denom_minus_one, 0);
    const int32_t num_scaled = tfl_rounding_divide_by_pot(num, 6);
    const int32_t sum = wrap_add(tfl_sat_rounding_doubling_high_mul(z_pow2_adj, log2), tfl_sat_rounding_doubling_high_mul(num_scaled, recip_denom));
    return tfl_saturating_rounding_multiply_by_pot(sum, 1);   /* Q6.25 to Q5.26 */
}

/* LOG_SOFTMAX int8 (enum tfl_log_softmax, kernel_l2.ts logSoftmaxInt8). */
void tflite_log_softmax_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const int8_t *input = (const int8_t *)tfl_tensor(p, TFL_LOG_SOFTMAX_INPUT, model, arena);
    int8_t *output = (int8_t *)tfl_output(p, TFL_LOG_SOFTMAX_OUTPUT, arena);
    const int32_t outer = p[TFL_LOG_SOFTMAX_OUTER_SIZE], depth = p[TFL_LOG_SOFTMAX_DEPTH];
    const int32_t multiplier = p[TFL_LOG_SOFTMAX_INPUT_MULTIPLIER], left_shift = p[TFL_LOG_SOFTMAX_INPUT_LEFT_SHIFT];
    const int32_t divisor = p[TFL_LOG_SOFTMAX_REVERSE_SCALING_DIVISOR], divisor_shift = p[TFL_LOG_SOFTMAX_REVERSE_SCALING_SHIFT];
    const int32_t diff_min = p[TFL_LOG_SOFTMAX_DIFF_MIN];
    for (int32_t i = 0; i < outer; i++) {
        const int8_t *row = input + depth * i;
        int32_t max = -128;
        for (int32_t c = 0; c < depth; c++)
            if (row[c] > max) max = row[c];
        int32_t sum = 0;
        for (int32_t c = 0; c < depth; c++) {
            const int32_t diff = row[c] - max;
            if (diff >= diff_min)
                sum = wrap_add(sum, tfl_rounding_divide_by_pot(
                    tfl_exp_on_negative_values(tfl_multiply_by_quantized_multiplier(diff, multiplier, left_shift), TFL_CONST_LOG_SOFTMAX_DIFF_INTEGER_BITS),
                    TFL_CONST_LOG_SOFTMAX_SUM_INTEGER_BITS));
        }
        const int32_t log_sum = log_of_at_least_one(sum);
        int32_t adjusted_diff_min = tfl_multiply_by_quantized_multiplier(wrap_add(log_sum, TFL_INT32_MIN), divisor, divisor_shift);
        if (adjusted_diff_min < diff_min - 1) adjusted_diff_min = diff_min - 1;
        for (int32_t c = 0; c < depth; c++) {
            const int32_t diff = row[c] - max;
            int32_t out = -128;
            if (diff > adjusted_diff_min) {
                const int32_t scaled = tfl_multiply_by_quantized_multiplier(diff, multiplier, left_shift);
                out = tfl_clamp(tfl_rounding_divide_by_pot((int32_t)((uint32_t)scaled - (uint32_t)log_sum), 22) + 127, -128, 127);
            }
            output[depth * i + c] = (int8_t)out;
        }
    }
}
