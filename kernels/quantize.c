/* QUANTIZE and DEQUANTIZE: real = scale * (q - zero_point).
 * Parameter block: enum tfl_quantize (libs/tflite/kernel_quantize.ts).
 *
 * From float (AffineQuantize): q = round(x / scale) + zero_point, the quotient in float, rounded
 * half away from zero, clamped. Between integer types (Requantize): the input's zero point off,
 * one fixed-point multiply by input_scale / output_scale, the output's zero point on, clamped.
 * DEQUANTIZE: scale * (q - zero_point) in float (one rounding of the exact product). */
/* Small beats fast here: none of these bodies is on the built-in models' hot path, and every C
 * function of the extension takes flash in every program (before the includes, so that the
 * inline helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"

static int32_t load_element(const uint8_t *data, int type, int32_t i)
{
    switch (type) {
    case TFL_TYPE_INT8: return ((const int8_t *)data)[i];
    case TFL_TYPE_UINT8: return data[i];
    case TFL_TYPE_INT16: return tfl_load_i16(data + 2 * i);
    default: return tfl_load_i32(data + 4 * i);
    }
}

/* Clamps v to the range of `type` and stores it as element i. */
static void store_clamped(uint8_t *data, int type, int32_t i, int64_t v)
{
    switch (type) {
    case TFL_TYPE_INT8: data[i] = (uint8_t)(v < -128 ? -128 : v > 127 ? 127 : v); return;
    case TFL_TYPE_UINT8: data[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); return;
    case TFL_TYPE_INT16: tfl_store_i16(data + 2 * i, (int32_t)(v < -32768 ? -32768 : v > 32767 ? 32767 : v)); return;
    default: tfl_store_i32(data + 4 * i, (int32_t)(v < TFL_INT32_MIN ? TFL_INT32_MIN : v > TFL_INT32_MAX ? TFL_INT32_MAX : v));
    }
}

/* round(v) with halves away from zero, saturated to int32; NaN gives 0 (as the STS body, where C
 * would be undefined). Exact: below 2^23 the fraction v - trunc(v) is computed without rounding,
 * from 2^23 on every float is an integer. */
static int32_t round_float_to_int32(float v)
{
    if (v != v) return 0;
    if (v >= 2147483648.0f) return TFL_INT32_MAX;
    if (v <= -2147483648.0f) return TFL_INT32_MIN;
    int32_t t = (int32_t)v;
    const float fraction = v - (float)t;
    if (fraction >= 0.5f) t++;
    else if (fraction <= -0.5f) t--;
    return t;
}

static void quantize_float(int32_t *p, const uint8_t *model, uint8_t *arena, int output_type)
{
    const uint8_t *input = tfl_tensor(p, TFL_QUANTIZE_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_QUANTIZE_OUTPUT, arena);
    const int32_t count = p[TFL_QUANTIZE_COUNT];
    const int32_t zero_point = p[TFL_QUANTIZE_OUTPUT_ZERO_POINT];
    const float scale = tfl_param_float(p, TFL_QUANTIZE_SCALE);
    for (int32_t i = 0; i < count; i++) {
        const int32_t q = round_float_to_int32(tfl_load_f32(input + 4 * i) / scale);
        store_clamped(output, output_type, i, (int64_t)q + zero_point);
    }
}

static void requantize(int32_t *p, const uint8_t *model, uint8_t *arena, int input_type, int output_type)
{
    const uint8_t *input = tfl_tensor(p, TFL_QUANTIZE_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_QUANTIZE_OUTPUT, arena);
    const int32_t count = p[TFL_QUANTIZE_COUNT];
    const uint32_t input_zero_point = (uint32_t)p[TFL_QUANTIZE_INPUT_ZERO_POINT];
    const uint32_t output_zero_point = (uint32_t)p[TFL_QUANTIZE_OUTPUT_ZERO_POINT];
    const int32_t multiplier = p[TFL_QUANTIZE_MULTIPLIER];
    const int32_t shift = p[TFL_QUANTIZE_SHIFT];
    for (int32_t i = 0; i < count; i++) {
        /* int32 sums wrap as in C. */
        const int32_t centered = (int32_t)((uint32_t)load_element(input, input_type, i) - input_zero_point);
        const int32_t q = (int32_t)((uint32_t)tfl_multiply_by_quantized_multiplier(centered, multiplier, shift) + output_zero_point);
        store_clamped(output, output_type, i, q);
    }
}

static void dequantize(int32_t *p, const uint8_t *model, uint8_t *arena, int input_type)
{
    const uint8_t *input = tfl_tensor(p, TFL_QUANTIZE_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_QUANTIZE_OUTPUT, arena);
    const int32_t count = p[TFL_QUANTIZE_COUNT];
    const int32_t zero_point = p[TFL_QUANTIZE_INPUT_ZERO_POINT];
    const float scale = tfl_param_float(p, TFL_QUANTIZE_SCALE);
    for (int32_t i = 0; i < count; i++)
        tfl_store_f32(output + 4 * i, scale * (float)(load_element(input, input_type, i) - zero_point));
}

#define TFL_QUANTIZE_FROM_FLOAT(out_name, out_type) \
    void tflite_quantize_float_##out_name(int32_t *p, const uint8_t *model, uint8_t *arena) \
    { \
        quantize_float(p, model, arena, out_type); \
    }
TFL_QUANTIZE_FROM_FLOAT(int8, TFL_TYPE_INT8)
TFL_QUANTIZE_FROM_FLOAT(uint8, TFL_TYPE_UINT8)
TFL_QUANTIZE_FROM_FLOAT(int16, TFL_TYPE_INT16)

#define TFL_REQUANTIZE(in_name, in_type, out_name, out_type) \
    void tflite_quantize_##in_name##_##out_name(int32_t *p, const uint8_t *model, uint8_t *arena) \
    { \
        requantize(p, model, arena, in_type, out_type); \
    }
TFL_REQUANTIZE(int8, TFL_TYPE_INT8, int8, TFL_TYPE_INT8)
TFL_REQUANTIZE(int8, TFL_TYPE_INT8, uint8, TFL_TYPE_UINT8)
TFL_REQUANTIZE(int8, TFL_TYPE_INT8, int16, TFL_TYPE_INT16)
TFL_REQUANTIZE(int8, TFL_TYPE_INT8, int32, TFL_TYPE_INT32)
TFL_REQUANTIZE(uint8, TFL_TYPE_UINT8, int8, TFL_TYPE_INT8)
TFL_REQUANTIZE(int16, TFL_TYPE_INT16, int8, TFL_TYPE_INT8)
TFL_REQUANTIZE(int16, TFL_TYPE_INT16, int16, TFL_TYPE_INT16)
TFL_REQUANTIZE(int16, TFL_TYPE_INT16, int32, TFL_TYPE_INT32)
TFL_REQUANTIZE(int32, TFL_TYPE_INT32, int8, TFL_TYPE_INT8)
TFL_REQUANTIZE(int32, TFL_TYPE_INT32, int16, TFL_TYPE_INT16)

#define TFL_DEQUANTIZE(in_name, in_type) \
    void tflite_dequantize_##in_name(int32_t *p, const uint8_t *model, uint8_t *arena) \
    { \
        dequantize(p, model, arena, in_type); \
    }
TFL_DEQUANTIZE(int8, TFL_TYPE_INT8)
TFL_DEQUANTIZE(uint8, TFL_TYPE_UINT8)
TFL_DEQUANTIZE(int16, TFL_TYPE_INT16)
