/* SVDF: a fully connected layer with a memory, factored into feature and time filters.
 * Parameter block: enum tfl_svdf (libs/tflite/kernel_svdf.ts, where the steps are explained).
 *
 * 1. the state (one row of `memory` values per batch and filter, oldest first) moves one element
 *    toward the start; 2. state[b, f, memory - 1] = dot(weights_feature[f], input[b]); 3. output[b, u]
 *    = bias[u] + sum over the unit's `rank` filters of dot(weights_time[f], state[b, f]).
 * Quantized as TFLM's EvalIntegerSvdfReference (int32 sums wrapping as C, no fused activation). */
/* Small beats fast here: none of these bodies is on the built-in models' hot path, and every C
 * function of the extension takes flash in every program (before the includes, so that the
 * inline helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"
#include "libm.h"

/* Step 1: the state's `total` bytes move `step` bytes toward the start (forward, so the overlap
 * is safe; memmove is not among the C library functions the kernels may use). */
static void shift_state(uint8_t *state, int32_t total, int32_t step)
{
    for (int32_t i = 0; i + step < total; i++) state[i] = state[i + step];
}

static void svdf_integer(int32_t *p, const uint8_t *model, uint8_t *arena, int bytes)
{
    const int8_t *input = (const int8_t *)tfl_tensor(p, TFL_SVDF_INPUT, model, arena);
    const int8_t *feature = (const int8_t *)tfl_tensor(p, TFL_SVDF_WEIGHTS_FEATURE, model, arena);
    const uint8_t *time = tfl_tensor(p, TFL_SVDF_WEIGHTS_TIME, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_SVDF_BIAS, model, arena);
    uint8_t *state = tfl_output(p, TFL_SVDF_STATE, arena);
    int8_t *output = (int8_t *)tfl_output(p, TFL_SVDF_OUTPUT, arena);
    const int32_t batches = p[TFL_SVDF_BATCHES];
    const int32_t input_size = p[TFL_SVDF_INPUT_SIZE];
    const int32_t filters = p[TFL_SVDF_FILTERS];
    const int32_t units = p[TFL_SVDF_UNITS];
    const int32_t rank = p[TFL_SVDF_RANK];
    const int32_t memory = p[TFL_SVDF_MEMORY];
    const int32_t input_zero_point = p[TFL_SVDF_INPUT_ZERO_POINT];
    const int32_t state_zero_point = p[TFL_SVDF_STATE_ZERO_POINT];
    const int32_t output_zero_point = p[TFL_SVDF_OUTPUT_ZERO_POINT];
    const int32_t state_min = bytes == 1 ? -128 : -32768;
    const int32_t state_max = -state_min - 1;

    shift_state(state, batches * filters * memory * bytes, bytes);

    for (int32_t b = 0; b < batches; b++)
        for (int32_t f = 0; f < filters; f++) {
            const int8_t *w = feature + f * input_size;
            const int8_t *x = input + b * input_size;
            uint32_t dot = 0;
            for (int32_t c = 0; c < input_size; c++) dot += (uint32_t)(w[c] * (x[c] - input_zero_point));
            /* The zero point goes in before the saturation, so the stored value cannot wrap. */
            const int32_t v = tfl_multiply_by_quantized_multiplier((int32_t)dot, p[TFL_SVDF_FEATURE_MULTIPLIER],
                p[TFL_SVDF_FEATURE_SHIFT]) + state_zero_point;
            const int32_t at = (b * filters + f) * memory + memory - 1;
            const int32_t s = tfl_clamp(v, state_min, state_max);
            if (bytes == 1) state[at] = (uint8_t)s;
            else tfl_store_i16(state + 2 * at, s);
        }

    for (int32_t b = 0; b < batches; b++)
        for (int32_t u = 0; u < units; u++) {
            uint32_t acc = bias ? tfl_load_u32(bias + 4 * u) : 0;
            for (int32_t r = 0; r < rank; r++) {
                const int32_t f = u * rank + r;
                const int32_t history = (b * filters + f) * memory;
                const int32_t weights = f * memory;
                for (int32_t j = 0; j < memory; j++) {
                    const int32_t t = bytes == 1 ? ((const int8_t *)time)[weights + j] : tfl_load_i16(time + 2 * (weights + j));
                    const int32_t s = bytes == 1 ? ((const int8_t *)state)[history + j] : tfl_load_i16(state + 2 * (history + j));
                    acc += (uint32_t)(t * (s - state_zero_point));
                }
            }
            const int32_t v = tfl_multiply_by_quantized_multiplier((int32_t)acc, p[TFL_SVDF_OUTPUT_MULTIPLIER],
                p[TFL_SVDF_OUTPUT_SHIFT]) + output_zero_point;
            output[b * units + u] = (int8_t)tfl_clamp(v, -128, 127);
        }
}

void tflite_svdf_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    svdf_integer(p, model, arena, 1);
}

void tflite_svdf_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    svdf_integer(p, model, arena, 2);
}

/* fmax/fmin as glibc computes them: a NaN operand gives the other one. */
static float fmax_glibc(float a, float b)
{
    return a != a ? b : b != b ? a : a > b ? a : b;
}

static float fmin_glibc(float a, float b)
{
    return a != a ? b : b != b ? a : a < b ? a : b;
}

/* TFLM's ActivationValFloat. */
static float activation_value(int32_t activation, float x)
{
    switch (activation) {
    case 1: return fmax_glibc(0.0f, x);                       /* RELU */
    case 2: return fmax_glibc(-1.0f, fmin_glibc(x, 1.0f));    /* RELU_N1_TO_1 */
    case 3: return fmax_glibc(0.0f, fmin_glibc(x, 6.0f));     /* RELU6 */
    case 4: return tfl_tanhf(x);                              /* TANH */
    case 5: {                                                 /* SIGN_BIT */
        uint32_t bits;
        memcpy(&bits, &x, 4);
        return x < 0.0f || (x == 0.0f && (bits >> 31)) ? 1.0f : 0.0f;
    }
    default: return x;
    }
}

void tflite_svdf_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SVDF_INPUT, model, arena);
    const uint8_t *feature = tfl_tensor(p, TFL_SVDF_WEIGHTS_FEATURE, model, arena);
    const uint8_t *time = tfl_tensor(p, TFL_SVDF_WEIGHTS_TIME, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_SVDF_BIAS, model, arena);
    uint8_t *state = tfl_output(p, TFL_SVDF_STATE, arena);
    uint8_t *output = tfl_output(p, TFL_SVDF_OUTPUT, arena);
    const int32_t batches = p[TFL_SVDF_BATCHES];
    const int32_t input_size = p[TFL_SVDF_INPUT_SIZE];
    const int32_t filters = p[TFL_SVDF_FILTERS];
    const int32_t units = p[TFL_SVDF_UNITS];
    const int32_t rank = p[TFL_SVDF_RANK];
    const int32_t memory = p[TFL_SVDF_MEMORY];
    const int32_t activation = p[TFL_SVDF_ACTIVATION];

    shift_state(state, 4 * batches * filters * memory, 4);

    for (int32_t b = 0; b < batches; b++)
        for (int32_t f = 0; f < filters; f++) {
            const uint8_t *w = feature + 4 * f * input_size;
            const uint8_t *x = input + 4 * b * input_size;
            float dot = 0.0f;
            for (int32_t c = 0; c < input_size; c++) dot += tfl_load_f32(w + 4 * c) * tfl_load_f32(x + 4 * c);
            tfl_store_f32(state + 4 * ((b * filters + f) * memory + memory - 1), dot);
        }

    for (int32_t b = 0; b < batches; b++)
        for (int32_t u = 0; u < units; u++) {
            float acc = bias ? tfl_load_f32(bias + 4 * u) : 0.0f;
            for (int32_t r = 0; r < rank; r++) {
                const int32_t f = u * rank + r;
                const uint8_t *history = state + 4 * (b * filters + f) * memory;
                const uint8_t *weights = time + 4 * f * memory;
                float dot = 0.0f;
                for (int32_t j = 0; j < memory; j++) dot += tfl_load_f32(weights + 4 * j) * tfl_load_f32(history + 4 * j);
                acc += dot;
            }
            tfl_store_f32(output + 4 * (b * units + u), activation_value(activation, acc));
        }
}
