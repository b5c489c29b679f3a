/* Activation functions, one element at a time: RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, LOGISTIC,
 * TANH, HARD_SWISH. Parameter blocks: enum tfl_relu, tfl_leaky_relu, tfl_logistic, tfl_tanh,
 * tfl_hard_swish (libs/tflite/kernel_activation.ts, where TFLM's formulas are explained). */
/* Small beats fast here: none of these bodies is on the built-in models' hot path, and every C
 * function of the extension takes flash in every program (before the includes, so that the
 * inline helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"
#include "fixed_point.h"
#include "libm.h"

static inline int32_t load_q(const uint8_t *data, int bytes, int32_t i)
{
    return bytes == 1 ? ((const int8_t *)data)[i] : tfl_load_i16(data + 2 * i);
}

static inline void store_q(uint8_t *data, int bytes, int32_t i, int32_t v)
{
    if (bytes == 1) data[i] = (uint8_t)v;
    else tfl_store_i16(data + 2 * i, v);
}

/* ---- RELU, RELU6, RELU_N1_TO_1 ---- */

/* ReluQuantized / QuantizedReluX: rescale to the output, then clamp. */
static void relu_quantized(int32_t *p, const uint8_t *model, uint8_t *arena, int bytes)
{
    const uint8_t *input = tfl_tensor(p, TFL_RELU_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_RELU_OUTPUT, arena);
    const int32_t count = p[TFL_RELU_COUNT];
    for (int32_t i = 0; i < count; i++) {
        const int32_t x = load_q(input, bytes, i) - p[TFL_RELU_INPUT_ZERO_POINT];
        const int32_t v = p[TFL_RELU_OUTPUT_ZERO_POINT] + tfl_multiply_by_quantized_multiplier(x, p[TFL_RELU_MULTIPLIER], p[TFL_RELU_SHIFT]);
        store_q(output, bytes, i, tfl_clamp(v, p[TFL_RELU_ACTIVATION_MIN], p[TFL_RELU_ACTIVATION_MAX]));
    }
}

void tflite_relu_int8(int32_t *p, const uint8_t *model, uint8_t *arena) { relu_quantized(p, model, arena, 1); }
void tflite_relu_int16(int32_t *p, const uint8_t *model, uint8_t *arena) { relu_quantized(p, model, arena, 2); }

/* Relu6Quantized: the stored value clamped between two stored values, no rescaling. */
static void relu6_quantized(int32_t *p, const uint8_t *model, uint8_t *arena, int bytes)
{
    const uint8_t *input = tfl_tensor(p, TFL_RELU_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_RELU_OUTPUT, arena);
    const int32_t count = p[TFL_RELU_COUNT];
    for (int32_t i = 0; i < count; i++)
        store_q(output, bytes, i, tfl_clamp(load_q(input, bytes, i), p[TFL_RELU_ACTIVATION_MIN], p[TFL_RELU_ACTIVATION_MAX]));
}

void tflite_relu6_int8(int32_t *p, const uint8_t *model, uint8_t *arena) { relu6_quantized(p, model, arena, 1); }
void tflite_relu6_int16(int32_t *p, const uint8_t *model, uint8_t *arena) { relu6_quantized(p, model, arena, 2); }

/* ReluFloat, Relu6Float, Relu1: x > hi ? hi : x < lo ? lo : x (NaN and -0 pass). */
void tflite_relu_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_RELU_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_RELU_OUTPUT, arena);
    const int32_t count = p[TFL_RELU_COUNT];
    const float lo = tfl_param_float(p, TFL_RELU_ACTIVATION_MIN);
    const float hi = tfl_param_float(p, TFL_RELU_ACTIVATION_MAX);
    for (int32_t i = 0; i < count; i++) {
        const float x = tfl_load_f32(input + 4 * i);
        tfl_store_f32(output + 4 * i, x > hi ? hi : x < lo ? lo : x);
    }
}

/* ---- LEAKY_RELU ---- */

/* QuantizeLeakyRelu: one of two multipliers by the sign of the input, then the type's range. */
static void leaky_relu_quantized(int32_t *p, const uint8_t *model, uint8_t *arena, int bytes, int32_t lo, int32_t hi)
{
    const uint8_t *input = tfl_tensor(p, TFL_LEAKY_RELU_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_LEAKY_RELU_OUTPUT, arena);
    const int32_t count = p[TFL_LEAKY_RELU_COUNT];
    for (int32_t i = 0; i < count; i++) {
        const int32_t x = load_q(input, bytes, i) - p[TFL_LEAKY_RELU_INPUT_ZERO_POINT];
        const int32_t v = x >= 0 ?
            tfl_multiply_by_quantized_multiplier(x, p[TFL_LEAKY_RELU_IDENTITY_MULTIPLIER], p[TFL_LEAKY_RELU_IDENTITY_SHIFT]) :
            tfl_multiply_by_quantized_multiplier(x, p[TFL_LEAKY_RELU_ALPHA_MULTIPLIER], p[TFL_LEAKY_RELU_ALPHA_SHIFT]);
        store_q(output, bytes, i, tfl_clamp(p[TFL_LEAKY_RELU_OUTPUT_ZERO_POINT] + v, lo, hi));
    }
}

void tflite_leaky_relu_int8(int32_t *p, const uint8_t *model, uint8_t *arena) { leaky_relu_quantized(p, model, arena, 1, -128, 127); }
void tflite_leaky_relu_int16(int32_t *p, const uint8_t *model, uint8_t *arena) { leaky_relu_quantized(p, model, arena, 2, -32768, 32767); }

/* LeakyRelu: x > 0 ? x : x * alpha. */
void tflite_leaky_relu_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_LEAKY_RELU_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_LEAKY_RELU_OUTPUT, arena);
    const int32_t count = p[TFL_LEAKY_RELU_COUNT];
    const float alpha = tfl_param_float(p, TFL_LEAKY_RELU_ALPHA);
    for (int32_t i = 0; i < count; i++) {
        const float x = tfl_load_f32(input + 4 * i);
        tfl_store_f32(output + 4 * i, x > 0.0f ? x : x * alpha);
    }
}

/* ---- LOGISTIC, TANH ---- */

/* reference_integer_ops::Logistic / Tanh for int8: saturate beyond the input radius, else the
 * input in Q4.27 through gemmlowp's fixed-point function, rescaled from Q0.31 to 1/256 steps from
 * -128 (logistic) or 1/128 steps from 0 (tanh). LogisticParams and TanhParams share one layout. */
static void sigmoid_int8(int32_t *p, const uint8_t *model, uint8_t *arena, int tanh)
{
    const int8_t *input = (const int8_t *)tfl_tensor(p, TFL_LOGISTIC_INPUT, model, arena);
    int8_t *output = (int8_t *)tfl_output(p, TFL_LOGISTIC_OUTPUT, arena);
    const int32_t count = p[TFL_LOGISTIC_COUNT];
    const int32_t zero_point = p[TFL_LOGISTIC_INPUT_ZERO_POINT];
    const int32_t radius = p[TFL_LOGISTIC_INPUT_RANGE_RADIUS];
    const int32_t multiplier = p[TFL_LOGISTIC_INPUT_MULTIPLIER];
    const int32_t left_shift = p[TFL_LOGISTIC_INPUT_LEFT_SHIFT];
    for (int32_t i = 0; i < count; i++) {
        const int32_t x = input[i] - zero_point;
        int32_t v;
        if (x <= -radius) v = -128;
        else if (x >= radius) v = 127;
        else {
            const int32_t q4 = tfl_multiply_by_quantized_multiplier(x, multiplier, left_shift);
            v = tanh ? tfl_rounding_divide_by_pot(tfl_fixed_point_tanh(q4, 4), 24) :
                tfl_rounding_divide_by_pot(tfl_fixed_point_logistic(q4, 4), 23) - 128;
            v = tfl_clamp(v, -128, 127);
        }
        output[i] = (int8_t)v;
    }
}

void tflite_logistic_int8(int32_t *p, const uint8_t *model, uint8_t *arena) { sigmoid_int8(p, model, arena, 0); }
void tflite_tanh_int8(int32_t *p, const uint8_t *model, uint8_t *arena) { sigmoid_int8(p, model, arena, 1); }

/* reference_integer_ops::Logistic / Tanh for int16: the input rescaled so that 2^17 stands for
 * 10.7, then linear interpolation in TFLM's table of sigmoid(i / 24) (in the parameter block),
 * i = |x| >> 9 (logistic) or |x| >> 8 (tanh = 2 sigmoid(2x) - 1). */
static void sigmoid_int16(int32_t *p, const uint8_t *model, uint8_t *arena, int tanh)
{
    const uint8_t *input = tfl_tensor(p, TFL_LOGISTIC_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_LOGISTIC_OUTPUT, arena);
    const uint8_t *table = (const uint8_t *)(p + TFL_LOGISTIC_TABLE);
    const int32_t count = p[TFL_LOGISTIC_COUNT];
    for (int32_t i = 0; i < count; i++)
        tfl_store_i16(output + 2 * i, tfl_sigmoid_int16_value(tfl_load_i16(input + 2 * i), p[TFL_LOGISTIC_INPUT_MULTIPLIER],
                                                              p[TFL_LOGISTIC_INPUT_LEFT_SHIFT], table, tanh));
}

int32_t tfl_sigmoid_int16_value(int32_t x, int32_t multiplier, int32_t left_shift, const uint8_t *table, int tanh)
{
    if (multiplier == 0) {
        multiplier = (int32_t)(3u << left_shift);
        left_shift = 0;
    }
    const uint32_t round = left_shift > 0 ? 1u << (left_shift - 1) : 0;
    const int fraction_bits = tanh ? 8 : 9;
    const uint32_t fraction_mask = (1u << fraction_bits) - 1;
    /* int32 arithmetic, wrapping should a huge multiplier overflow. */
    const int32_t scaled = (int32_t)((uint32_t)x * (uint32_t)multiplier + round) >> left_shift;
    const uint32_t magnitude = scaled < 0 ? 0u - (uint32_t)scaled : (uint32_t)scaled;
    const uint32_t index = magnitude >> fraction_bits;
    int32_t result;
    if (index >= 255) result = tanh ? 0xffff << 8 : 0x7fff << 10;
    else {
        const int32_t a = tfl_load_u16(table + 2 * index);
        const int32_t b = tfl_load_u16(table + 2 * index + 2);
        result = a * (1 << fraction_bits) + (int32_t)(magnitude & fraction_mask) * (b - a);
    }
    /* From sigmoid in Q0.16 << 8 to tanh in Q0.15: subtract one half, round, shift. */
    if (tanh) return (scaled >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1) >> 8;
    return (int32_t)((uint32_t)(scaled >= 0 ? result + (1 << 9) : (1 << 25) - result + (1 << 9) - 1) >> 10);
}

void tflite_logistic_int16(int32_t *p, const uint8_t *model, uint8_t *arena) { sigmoid_int16(p, model, arena, 0); }
void tflite_tanh_int16(int32_t *p, const uint8_t *model, uint8_t *arena) { sigmoid_int16(p, model, arena, 1); }

/* reference_ops::Logistic for float: 1 beyond 16.619047f, expf(x) below -9, else 1 / (1 + expf(-x)). */
void tflite_logistic_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_LOGISTIC_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_LOGISTIC_OUTPUT, arena);
    const int32_t count = p[TFL_LOGISTIC_COUNT];
    for (int32_t i = 0; i < count; i++) tfl_store_f32(output + 4 * i, tfl_logistic_value(tfl_load_f32(input + 4 * i)));
}

float tfl_logistic_value(float x)
{
    if (x > 16.619047164916992188f) return 1.0f;
    if (x < -9.0f) return tfl_expf(x);
    return 1.0f / (1.0f + tfl_expf(-x));
}

/* reference_ops::Tanh for float: tanhf. */
void tflite_tanh_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_TANH_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_TANH_OUTPUT, arena);
    const int32_t count = p[TFL_TANH_COUNT];
    for (int32_t i = 0; i < count; i++) tfl_store_f32(output + 4 * i, tfl_tanhf(tfl_load_f32(input + 4 * i)));
}

/* ---- HARD_SWISH: 16-bit fixed point (gemmlowp's int16 specializations, TFLite's hard_swish.h) ---- */

/* SaturatingRoundingDoublingHighMul for int16. */
static int32_t srdhm16(int32_t a, int32_t b)
{
    if (a == -32768 && b == -32768) return 32767;
    const int32_t ab = a * b;
    const int32_t nudge = ab >= 0 ? 16384 : 1 - 16384;
    return (ab + nudge) / 32768;
}

/* SaturatingDoublingHighMul (ARM SQDMULH): truncating toward zero. */
static int32_t sdhm16(int32_t a, int32_t b)
{
    if (a == -32768 && b == -32768) return 32767;
    return a * b / 32768;
}

static int32_t saturating_left_shift16(int32_t x, int32_t amount)
{
    if (amount >= 16) return x > 0 ? 32767 : x < 0 ? -32768 : 0;
    return tfl_clamp(x * (1 << amount), -32768, 32767);
}

/* RoundingDivideByPOT with int16 operands: the mask is an int16 (-1 from exponent 16 on). */
static int32_t rounding_divide_by_pot16(int32_t x, int32_t exponent)
{
    const int16_t mask = (int16_t)(int32_t)((1u << exponent) - 1);
    const int16_t remainder = (int16_t)(x & mask);
    const int16_t threshold = (int16_t)((mask >> 1) + (x < 0 ? 1 : 0));
    return (int16_t)((x >> exponent) + (remainder > threshold ? 1 : 0));
}

/* reference_ops::HardSwish for int8: the input (minus its zero point) << 7, one copy rescaled to
 * the output, another to the "reluish" x / 3 saturated to [-1, 1] in Q0.15 and mapped to [0, 1];
 * their product (truncating) shifted to the output scale. */
void tflite_hard_swish_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const int8_t *input = (const int8_t *)tfl_tensor(p, TFL_HARD_SWISH_INPUT, model, arena);
    int8_t *output = (int8_t *)tfl_output(p, TFL_HARD_SWISH_OUTPUT, arena);
    const int32_t count = p[TFL_HARD_SWISH_COUNT];
    const int32_t input_zero_point = p[TFL_HARD_SWISH_INPUT_ZERO_POINT];
    const int32_t output_zero_point = p[TFL_HARD_SWISH_OUTPUT_ZERO_POINT];
    const int32_t output_multiplier = p[TFL_HARD_SWISH_OUTPUT_MULTIPLIER];
    const int32_t output_exponent = p[TFL_HARD_SWISH_OUTPUT_EXPONENT];
    const int32_t reluish_multiplier = p[TFL_HARD_SWISH_RELUISH_MULTIPLIER];
    const int32_t reluish_exponent = p[TFL_HARD_SWISH_RELUISH_EXPONENT];
    for (int32_t i = 0; i < count; i++) {
        const int32_t hires = (input[i] - input_zero_point) * 128;
        const int32_t preshift_output = srdhm16(hires, output_multiplier);
        int32_t reluish = hires;
        /* All but one bit of a left shift before the multiply (saturating), the last after. */
        if (reluish_exponent > 0) reluish = saturating_left_shift16(reluish, reluish_exponent - 1);
        reluish = srdhm16(reluish, reluish_multiplier);
        if (reluish_exponent > 0) reluish = saturating_left_shift16(reluish, 1);
        if (reluish_exponent < 0) reluish = rounding_divide_by_pot16(reluish, -reluish_exponent);
        reluish = (reluish + 32768) >> 1;
        const int32_t preshift = sdhm16(reluish, preshift_output);
        const int32_t v = (int16_t)(rounding_divide_by_pot16(preshift, -output_exponent) + output_zero_point);
        output[i] = (int8_t)tfl_clamp(v, -128, 127);
    }
}

/* reference_ops::HardSwish for float: x * min(6, max(0, x + 3)) / 6 (NaN in the clamp gives 0). */
void tflite_hard_swish_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_HARD_SWISH_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_HARD_SWISH_OUTPUT, arena);
    const int32_t count = p[TFL_HARD_SWISH_COUNT];
    for (int32_t i = 0; i < count; i++) {
        const float x = tfl_load_f32(input + 4 * i);
        const float shifted = x + 3.0f;
        const float above = 0.0f < shifted ? shifted : 0.0f;
        const float relu6 = above < 6.0f ? above : 6.0f;
        tfl_store_f32(output + 4 * i, x * relu6 / 6.0f);
    }
}
