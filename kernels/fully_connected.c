/* FULLY_CONNECTED: output[b, o] = activation(sum_d input[b, d] * filter[o, d] + bias[o]).
 * Parameter block: enum tfl_fully_connected (libs/tflite/kernel_fully_connected.ts).
 *
 * Quantized, each factor first has its zero point removed, the int32 (int64 for int16 inputs)
 * accumulator holds the sum in units of input_scale * filter_scale, and one fixed-point multiply
 * rescales it to output units (per output channel when the filter is per-channel). */
#include "kernel_util.h"
#include "dot.h"

/* Small over fast: the built-in models' fully connected layers are a few hundred multiply-adds
 * (the keyword model's time is in its convolutions: npm run bench shows no change at -Os), and
 * every byte of C is in every program's flash. */
#pragma GCC optimize("Os")

/* The bias, the rescale to output units, the zero point and the clamp of one output value. */
static inline int8_t fc_output_int8(const int32_t *p, const uint8_t *bias, int32_t o, uint32_t acc)
{
    if (bias) acc += tfl_load_u32(bias + 4 * o);
    const int32_t *m = p + TFL_FULLY_CONNECTED_MULTIPLIERS + (p[TFL_FULLY_CONNECTED_PER_CHANNEL] ? 2 * o : 0);
    const int32_t v = tfl_multiply_by_quantized_multiplier((int32_t)acc, m[0], m[1]) + p[TFL_FULLY_CONNECTED_OUTPUT_OFFSET];
    return (int8_t)tfl_clamp(v, p[TFL_FULLY_CONNECTED_ACTIVATION_MIN], p[TFL_FULLY_CONNECTED_ACTIVATION_MAX]);
}

void tflite_fully_connected_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const int8_t *input = (const int8_t *)tfl_tensor(p, TFL_FULLY_CONNECTED_INPUT, model, arena);
    const int8_t *filter = (const int8_t *)tfl_tensor(p, TFL_FULLY_CONNECTED_FILTER, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_FULLY_CONNECTED_BIAS, model, arena);
    int8_t *output = (int8_t *)tfl_output(p, TFL_FULLY_CONNECTED_OUTPUT, arena);
    const int32_t batches = p[TFL_FULLY_CONNECTED_BATCHES];
    const int32_t output_depth = p[TFL_FULLY_CONNECTED_OUTPUT_DEPTH];
    const int32_t accum_depth = p[TFL_FULLY_CONNECTED_ACCUM_DEPTH];
    const int32_t input_offset = p[TFL_FULLY_CONNECTED_INPUT_OFFSET];
    const int32_t filter_offset = p[TFL_FULLY_CONNECTED_FILTER_OFFSET];
    for (int32_t b = 0; b < batches; b++) {
        const int8_t *row = input + b * accum_depth;
        int8_t *out = output + b * output_depth;
        /* TFLM sums in int32 and lets it wrap (it assumes fewer than 2^16 products). Four
         * output rows at a time share the loads of the input row. */
        int32_t o = 0;
        for (; o + 4 <= output_depth; o += 4) {
            uint32_t acc[4] = {0, 0, 0, 0};
            tfl_dot4_s8(row, filter + o * accum_depth, accum_depth, accum_depth, input_offset, filter_offset, acc);
            for (int k = 0; k < 4; k++) out[o + k] = fc_output_int8(p, bias, o + k, acc[k]);
        }
        for (; o < output_depth; o++)
            out[o] = fc_output_int8(p, bias, o, tfl_dot_s8(row, filter + o * accum_depth, accum_depth, input_offset, filter_offset, 0));
    }
}

void tflite_fully_connected_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_FULLY_CONNECTED_INPUT, model, arena);
    const int8_t *filter = (const int8_t *)tfl_tensor(p, TFL_FULLY_CONNECTED_FILTER, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_FULLY_CONNECTED_BIAS, model, arena);
    uint8_t *output = tfl_output(p, TFL_FULLY_CONNECTED_OUTPUT, arena);
    const int32_t batches = p[TFL_FULLY_CONNECTED_BATCHES];
    const int32_t output_depth = p[TFL_FULLY_CONNECTED_OUTPUT_DEPTH];
    const int32_t accum_depth = p[TFL_FULLY_CONNECTED_ACCUM_DEPTH];
    const int32_t filter_offset = p[TFL_FULLY_CONNECTED_FILTER_OFFSET];
    const int32_t act_min = p[TFL_FULLY_CONNECTED_ACTIVATION_MIN];
    const int32_t act_max = p[TFL_FULLY_CONNECTED_ACTIVATION_MAX];
    const int32_t step = p[TFL_FULLY_CONNECTED_PER_CHANNEL] ? 2 : 0;
    for (int32_t b = 0; b < batches; b++) {
        const uint8_t *row = input + 2 * b * accum_depth;
        for (int32_t o = 0; o < output_depth; o++) {
            const int8_t *weights = filter + o * accum_depth;
            int64_t acc = 0;
            for (int32_t d = 0; d < accum_depth; d++)
                acc += (int32_t)(weights[d] + filter_offset) * tfl_load_i16(row + 2 * d);
            if (bias) acc += tfl_load_i64(bias + 8 * o);
            const int32_t *m = p + TFL_FULLY_CONNECTED_MULTIPLIERS + step * o;
            int32_t v = tfl_multiply_by_quantized_multiplier64(acc, m[0], m[1]);
            tfl_store_i16(output + 2 * (b * output_depth + o), tfl_clamp(v, act_min, act_max));
        }
    }
}

void tflite_fully_connected_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_FULLY_CONNECTED_INPUT, model, arena);
    const uint8_t *filter = tfl_tensor(p, TFL_FULLY_CONNECTED_FILTER, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_FULLY_CONNECTED_BIAS, model, arena);
    uint8_t *output = tfl_output(p, TFL_FULLY_CONNECTED_OUTPUT, arena);
    const int32_t batches = p[TFL_FULLY_CONNECTED_BATCHES];
    const int32_t output_depth = p[TFL_FULLY_CONNECTED_OUTPUT_DEPTH];
    const int32_t accum_depth = p[TFL_FULLY_CONNECTED_ACCUM_DEPTH];
    const float act_min = tfl_param_float(p, TFL_FULLY_CONNECTED_ACTIVATION_MIN);
    const float act_max = tfl_param_float(p, TFL_FULLY_CONNECTED_ACTIVATION_MAX);
    for (int32_t b = 0; b < batches; b++) {
        const uint8_t *row = input + 4 * b * accum_depth;
        for (int32_t o = 0; o < output_depth; o++) {
            const uint8_t *weights = filter + 4 * o * accum_depth;
            float total = 0.0f;
            for (int32_t d = 0; d < accum_depth; d++)
                total += tfl_load_f32(row + 4 * d) * tfl_load_f32(weights + 4 * d);
            float v = total + (bias ? tfl_load_f32(bias + 4 * o) : 0.0f);
            tfl_store_f32(output + 4 * (b * output_depth + o), tfl_clamp_float(v, act_min, act_max));
        }
    }
}
