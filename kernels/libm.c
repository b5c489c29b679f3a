/* expf: glibc's generic C (from ARM's optimized routines), in double: x * 32 / ln 2 = k + r with
 * k an integer (ties to even) and |r| <= 1/2 (r rounded once, as glibc's x86-64 FMA build does);
 * e^x = 2^(k / 32) * 2^(r / 32), the first from a table scaled by 2^floor(k / 32), the second from
 * a cubic, rounded once to float.
 *
 * tanhf: SunPro fdlibm's float tanhf via expm1f (glibc used these until 2.40; newlib still does),
 * all in float.
 *
 * Both are pure IEEE arithmetic, so they give the same bits on x86-64 (SSE), on a Cortex-M4F
 * (single precision in hardware, double in libgcc) and on a Cortex-M0 (both in libgcc). */
/* Small beats fast here: none of these bodies is on the built-in models' hot path, and every C
 * function of the extension takes flash in every program (before the includes, so that the
 * inline helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "libm.h"
#include "kernel_util.h"

static uint32_t float_bits(float x)
{
    uint32_t u;
    memcpy(&u, &x, 4);
    return u;
}

static float float_from_bits(uint32_t u)
{
    float x;
    memcpy(&x, &u, 4);
    return x;
}

/* glibc's __exp2f_data.tab: bits(2^(i/32)) - (i << 47). */
static const uint64_t exp2f_table[32] = {
    0x3ff0000000000000ull, 0x3fefd9b0d3158574ull, 0x3fefb5586cf9890full, 0x3fef9301d0125b51ull,
    0x3fef72b83c7d517bull, 0x3fef54873168b9aaull, 0x3fef387a6e756238ull, 0x3fef1e9df51fdee1ull,
    0x3fef06fe0a31b715ull, 0x3feef1a7373aa9cbull, 0x3feedea64c123422ull, 0x3feece086061892dull,
    0x3feebfdad5362a27ull, 0x3feeb42b569d4f82ull, 0x3feeab07dd485429ull, 0x3feea47eb03a5585ull,
    0x3feea09e667f3bcdull, 0x3fee9f75e8ec5f74ull, 0x3feea11473eb0187ull, 0x3feea589994cce13ull,
    0x3feeace5422aa0dbull, 0x3feeb737b0cdc5e5ull, 0x3feec49182a3f090ull, 0x3feed503b23e255dull,
    0x3feee89f995ad3adull, 0x3feeff76f2fb5e47ull, 0x3fef199bdd85529cull, 0x3fef3720dcef9069ull,
    0x3fef5818dcfba487ull, 0x3fef7c97337b9b5full, 0x3fefa4afa2a490daull, 0x3fefd0765b6e4540ull,
};

float tfl_expf(float x)
{
    const uint32_t abstop = (float_bits(x) >> 20) & 0x7ff;
    if (abstop >= 0x42b) {
        /* |x| >= 88, an infinity or NaN. */
        if (float_bits(x) == 0xff800000u) return 0.0f;
        if (abstop >= 0x7f8) return x + x;
        if (x > 0x1.62e42ep6f) return float_from_bits(0x7f800000u);
        if (x < -0x1.9fe368p6f) return 0.0f;
    }
    const double z = 46.16624130844683 * (double)x;
    const double shift = 6755399441055744.0;
    const double kd = (z + shift) - shift;
    /* z - kd rounded once, from the exact x * 32 / ln 2: glibc's x86-64 build (its FMA variant, which
     * the goldens' host runs) fuses it; a separate product and difference differ on 2 of the 2^32
     * floats. 32 / ln 2 = hi + lo with x hi exact (29 + 24 bits) and x hi - kd exact (Sterbenz). */
    const double r = ((double)x * 0x1.7154765p+5 - kd) + (double)x * 0x1.5c17fp-26;
    const int32_t ki = (int32_t)kd;
    uint64_t t = exp2f_table[ki & 31] + ((uint64_t)(int64_t)ki << 47);
    double s;
    memcpy(&s, &t, 8);
    const double c = 0.0000016938359250920212 * r + 0.00023459809789509004;
    const double r2 = r * r;
    double y = 0.021660849396613134 * r + 1.0;
    y = c * r2 + y;
    return (float)(y * s);
}

/* fdlibm's expm1f (glibc 2.36's): e^x - 1 by argument reduction and a rational approximation. */
float tfl_expm1f(float x)
{
    const float o_threshold = 88.721679688f;
    const float ln2_hi = 0.69313812256f;
    const float ln2_lo = 9.0580006145e-06f;
    const float inv_ln2 = 1.4426950216f;
    uint32_t hx = float_bits(x);
    const int negative = (hx >> 31) != 0;
    hx &= 0x7fffffffu;
    if (hx >= 0x4195b844u) {
        /* |x| >= 27 ln 2 */
        if (hx >= 0x42b17218u) {
            if (hx > 0x7f800000u) return x + x;
            if (hx == 0x7f800000u) return negative ? -1.0f : x;
            if (x > o_threshold) return float_from_bits(0x7f800000u);
        }
        if (negative) return -1.0f;
    }
    int32_t k = 0;
    float c = 0.0f;
    if (hx > 0x3eb17218u) {
        /* |x| > ln(2) / 2: x = k ln 2 + (hi - lo), then x = hi - lo with c the rounding error. */
        float hi, lo;
        if (hx < 0x3f851592u) {
            k = negative ? -1 : 1;
            hi = negative ? x + ln2_hi : x - ln2_hi;
            lo = negative ? -ln2_lo : ln2_lo;
        } else {
            k = (int32_t)(inv_ln2 * x + (negative ? -0.5f : 0.5f));
            hi = x - (float)k * ln2_hi;
            lo = (float)k * ln2_lo;
        }
        x = hi - lo;
        c = (hi - x) - lo;
    } else if (hx < 0x33000000u) {
        /* |x| < 2^-25 */
        return x;
    }
    const float hfx = 0.5f * x;
    const float hxs = x * hfx;
    float r1 = hxs * -2.0109921195e-07f;
    r1 = hxs * (4.0082177293e-06f + r1);
    r1 = hxs * (-7.9365076090e-05f + r1);
    r1 = hxs * (1.5873016091e-03f + r1);
    r1 = 1.0f + hxs * (-3.3333335072e-02f + r1);
    float t = 3.0f - r1 * hfx;
    float e = hxs * ((r1 - t) / (6.0f - x * t));
    if (k == 0) return x - (x * e - hxs);
    e = x * (e - c) - c;
    e = e - hxs;
    if (k == -1) return 0.5f * (x - e) - 0.5f;
    if (k == 1) {
        if (x < -0.25f) return -2.0f * (e - (x + 0.5f));
        return 1.0f + 2.0f * (x - e);
    }
    float y;
    if (k <= -2 || k > 56) {
        y = 1.0f - (e - x);
        return float_from_bits(float_bits(y) + ((uint32_t)k << 23)) - 1.0f;
    }
    if (k < 23) {
        t = float_from_bits(0x3f800000u - (0x1000000u >> k));
        y = t - (e - x);
    } else {
        t = float_from_bits((uint32_t)(0x7f - k) << 23);
        y = (x - (e + t)) + 1.0f;
    }
    return float_from_bits(float_bits(y) + ((uint32_t)k << 23));
}

/* fdlibm's tanhf: 1 - 2 / (e^2|x| - 1 + 2) from |x| = 1, -m / (m + 2) with m = e^-2|x| - 1 below. */
float tfl_tanhf(float x)
{
    const uint32_t jx = float_bits(x);
    const uint32_t ix = jx & 0x7fffffffu;
    const int negative = (jx >> 31) != 0;
    if (ix >= 0x7f800000u) return negative ? 1.0f / x - 1.0f : 1.0f / x + 1.0f;
    float z = 1.0f;
    if (ix < 0x41b00000u) {
        /* |x| < 22 */
        if (ix == 0) return x;
        if (ix < 0x24000000u) return x * (1.0f + x);
        const float magnitude = float_from_bits(ix);
        if (ix >= 0x3f800000u) {
            const float t = tfl_expm1f(2.0f * magnitude);
            z = 1.0f - 2.0f / (t + 2.0f);
        } else {
            const float t = tfl_expm1f(-2.0f * magnitude);
            z = -t / (t + 2.0f);
        }
    }
    return negative ? -z : z;
}
