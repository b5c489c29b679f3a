/* CAST: output[i] = static_cast<OutputType>(input[i]).
 * Parameter block: enum tfl_cast (libs/tflite/kernel_cast.ts, where each conversion is explained).
 *
 * Integers to narrower or unsigned integers keep the low bits; integers to float round to
 * nearest; floats to integers truncate, and out of range (undefined in C++) do what the x86-64
 * host build behind the goldens does: INT32_MIN before the int8/int16/int32 wrap, and for uint32
 * the low 32 bits of a 64-bit truncation (0 when that does not fit either). Written out here so
 * that every target gives those bits, not its own. */
/* Small beats fast here: none of these bodies is on the built-in models' hot path, and every C
 * function of the extension takes flash in every program (before the includes, so that the
 * inline helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"

/* Stores the integer v (an int64 holds every input value) as element i of the output type. */
static void store_integer(uint8_t *out, int32_t i, int type, int64_t v)
{
    switch (type) {
    case TFL_TYPE_INT8: out[i] = (uint8_t)v; return;
    case TFL_TYPE_INT16: tfl_store_i16(out + 2 * i, (int32_t)(uint32_t)(uint64_t)v); return;
    case TFL_TYPE_INT32:
    case TFL_TYPE_UINT32: tfl_store_u32(out + 4 * i, (uint32_t)(uint64_t)v); return;
    /* v is in [INT32_MIN, UINT32_MAX]: converted as an int32 or a uint32, each one rounding by the
     * FPU, not through the compiler's int64-to-float routine (and the soft-float code it pulls in). */
    default: tfl_store_f32(out + 4 * i, v >= 0 ? (float)(uint32_t)v : (float)(int32_t)v); return;
    }
}

static void store_from_float(uint8_t *out, int32_t i, int type, float v)
{
    if (type == TFL_TYPE_FLOAT32) {
        tfl_store_f32(out + 4 * i, v);
        return;
    }
    if (type == TFL_TYPE_UINT32) {
        const int fits = v == v && v < 9223372036854775808.0f && v >= -9223372036854775808.0f;
        tfl_store_u32(out + 4 * i, fits ? (uint32_t)(uint64_t)(int64_t)v : 0);
        return;
    }
    const int fits32 = v == v && v < 2147483648.0f && v >= -2147483648.0f;
    store_integer(out, i, type, fits32 ? (int32_t)v : TFL_INT32_MIN);
}

#define CAST_WORDS \
    const uint8_t *input = tfl_tensor(p, TFL_CAST_INPUT, model, arena); \
    uint8_t *output = tfl_output(p, TFL_CAST_OUTPUT, arena); \
    const int32_t n = p[TFL_CAST_COUNT]; \
    const int type = p[TFL_CAST_OUTPUT_TYPE];

void tflite_cast_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    CAST_WORDS
    for (int32_t i = 0; i < n; i++) store_integer(output, i, type, (int8_t)input[i]);
}

void tflite_cast_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    CAST_WORDS
    for (int32_t i = 0; i < n; i++) store_integer(output, i, type, tfl_load_i16(input + 2 * i));
}

void tflite_cast_int32(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    CAST_WORDS
    for (int32_t i = 0; i < n; i++) store_integer(output, i, type, tfl_load_i32(input + 4 * i));
}

void tflite_cast_uint32(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    CAST_WORDS
    for (int32_t i = 0; i < n; i++) store_integer(output, i, type, tfl_load_u32(input + 4 * i));
}

void tflite_cast_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    CAST_WORDS
    for (int32_t i = 0; i < n; i++) store_from_float(output, i, type, tfl_load_f32(input + 4 * i));
}

void tflite_cast_bool(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    CAST_WORDS
    for (int32_t i = 0; i < n; i++) store_integer(output, i, type, input[i] ? 1 : 0);
}
