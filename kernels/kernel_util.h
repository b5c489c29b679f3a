/* What every C kernel body shares: finding a tensor's bytes from its parameter words, loading and
 * storing little-endian values at any alignment, and TFLM's fixed-point arithmetic.
 *
 * Bodies read and write tensors only through these helpers. Constants sit in the .tflite file at
 * whatever offset the converter chose, and the arena is only 4-byte aligned, so an int32 bias or
 * an int64 accumulator may be misaligned: the loads assemble bytes, which GCC turns into one
 * load instruction where the CPU allows unaligned access (x86, Cortex-M4) and keeps as byte loads
 * where it does not (Cortex-M0, which would fault).
 *
 * The integer arithmetic is that of TFLM's reference kernels (common.h, quantization_util.cc),
 * the same as libs/tflite/quantization.ts computes in doubles. Where TFLM relies on C's int32
 * wraparound (accumulators, the left shift in MultiplyByQuantizedMultiplier), these compute in
 * uint32 so that the wrap is defined behaviour rather than an overflow. */
#ifndef TFLITE_KERNEL_UTIL_H
#define TFLITE_KERNEL_UTIL_H

#include <stdint.h>
#include <string.h>
#include "tflite_abi.h"

#if defined(__GNUC__) && !defined(__clang__)
/* Float kernels must round after every operation, as the STS bodies do: no fused multiply-add,
 * whatever flags the build (pxt's, for instance) passes. */
#pragma GCC optimize("fp-contract=off")
#endif

#define TFL_INT32_MIN (-2147483647 - 1)
#define TFL_INT32_MAX 2147483647

/* The bytes of the tensor described at `word` (NULL when absent: an omitted optional input). */
static inline const uint8_t *tfl_tensor(const int32_t *p, int word, const uint8_t *model, const uint8_t *arena)
{
    int32_t where = p[word];
    if (where == TFL_WHERE_ARENA) return arena + p[word + 1];
    if (where == TFL_WHERE_MODEL) return model + p[word + 1];
    return 0;
}

/* An output tensor: always in the arena. */
static inline uint8_t *tfl_output(const int32_t *p, int word, uint8_t *arena)
{
    return arena + p[word + 1];
}

static inline float tfl_param_float(const int32_t *p, int word)
{
    float f;
    memcpy(&f, &p[word], 4);
    return f;
}

static inline uint32_t tfl_load_u32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static inline int32_t tfl_load_i32(const uint8_t *b) { return (int32_t)tfl_load_u32(b); }
static inline int16_t tfl_load_i16(const uint8_t *b) { return (int16_t)(b[0] | b[1] << 8); }
static inline uint16_t tfl_load_u16(const uint8_t *b) { return (uint16_t)(b[0] | b[1] << 8); }
static inline uint64_t tfl_load_u64(const uint8_t *b)
{
    return (uint64_t)tfl_load_u32(b) | (uint64_t)tfl_load_u32(b + 4) << 32;
}
static inline int64_t tfl_load_i64(const uint8_t *b) { return (int64_t)tfl_load_u64(b); }
static inline float tfl_load_f32(const uint8_t *b)
{
    uint32_t u = tfl_load_u32(b);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline void tfl_store_u32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
}
static inline void tfl_store_i32(uint8_t *b, int32_t v) { tfl_store_u32(b, (uint32_t)v); }
static inline void tfl_store_i16(uint8_t *b, int32_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)((uint32_t)v >> 8);
}
static inline void tfl_store_u64(uint8_t *b, uint64_t v)
{
    tfl_store_u32(b, (uint32_t)v);
    tfl_store_u32(b + 4, (uint32_t)(v >> 32));
}
static inline void tfl_store_f32(uint8_t *b, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    tfl_store_u32(b, u);
}

static inline int32_t tfl_clamp(int32_t x, int32_t lo, int32_t hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* TFLM's ActivationFunctionWithMinMax for floats: NaN passes through. */
static inline float tfl_clamp_float(float x, float lo, float hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* gemmlowp's SaturatingRoundingDoublingHighMul: the high 32 bits of 2*a*b, rounded half away
 * from zero; the one overflow (a = b = INT32_MIN) saturates.
 *
 * gemmlowp writes it trunc((ab + nudge) / 2^31) with nudge = 2^30 for ab >= 0, 1 - 2^30 below.
 * That is floor((ab + 2^30) / 2^31) for both signs: for ab >= 0 trunc is floor; for ab < 0,
 * trunc(v / 2^31) = floor((v + 2^31 - 1) / 2^31) with v = ab + 1 - 2^30, i.e. (ab + 2^30) >> 31.
 * So one multiply, one add and one arithmetic shift (no sign-dependent nudge, no division). */
static inline int32_t tfl_sat_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    if (a == b && a == TFL_INT32_MIN) return TFL_INT32_MAX;
    return (int32_t)(((int64_t)a * b + ((int64_t)1 << 30)) >> 31);
}

/* gemmlowp's RoundingDivideByPOT: x / 2^exponent to nearest, halves away from zero (0..31). */
static inline int32_t tfl_rounding_divide_by_pot(int32_t x, int exponent)
{
    int32_t mask = (int32_t)((1u << exponent) - 1);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* gemmlowp's RoundingHalfSum: (a + b) / 2 rounded half away from zero, without overflow. */
static inline int32_t tfl_rounding_half_sum(int32_t a, int32_t b)
{
    int64_t sum = (int64_t)a + b;
    return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* TFLM's MultiplyByQuantizedMultiplier: x * q * 2^(shift - 31), rounded twice as TFLM does. */
static inline int32_t tfl_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift)
{
    int left_shift = shift > 0 ? shift : 0;
    int right_shift = shift > 0 ? 0 : -shift;
    int32_t shifted = (int32_t)((uint32_t)x << left_shift);
    return tfl_rounding_divide_by_pot(tfl_sat_rounding_doubling_high_mul(shifted, multiplier), right_shift);
}

/* TFLM's MultiplyByQuantizedMultiplier for an int64 accumulator (int16 kernels): the multiplier
 * reduced to 16 bits, one rounding shift by 15 - shift, the result cast to int32. */
static inline int32_t tfl_multiply_by_quantized_multiplier64(int64_t x, int32_t multiplier, int shift)
{
    int32_t reduced = multiplier < 0x7fff0000 ? (multiplier + (1 << 15)) >> 16 : 0x7fff;
    int total_shift = 15 - shift;
    int64_t round = (int64_t)1 << (total_shift - 1);
    int64_t result = (int64_t)((uint64_t)x * (uint64_t)(int64_t)reduced + (uint64_t)round);
    return (int32_t)(result >> total_shift);
}

#endif
