/* L2_NORMALIZATION bodies (kernel_l2.ts, where TFLM's arithmetic is explained). Parameter block:
 * enum tfl_l2_norm. Neither is in the board's default build. */
/* Small beats fast here: only the all-ops build has them (before the includes, so that the inline
 * helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
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
