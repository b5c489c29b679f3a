/* Element-wise math: ABS, NEG, SQUARE, SQRT, RSQRT, CEIL, FLOOR, ROUND, EXP, ELU, LOG, SIN, COS (math_float,
 * math_int8, abs_int16) and FLOOR_DIV, FLOOR_MOD, SQUARED_DIFFERENCE, PRELU (math_binary_float,
 * squared_difference_*, prelu_*). Parameter blocks: enum tfl_math and, for the binary bodies,
 * enum tfl_elementwise with tfl_math_binary (libs/tflite/kernel_math.ts, where TFLM's arithmetic
 * is explained).
 *
 * The kernels use no C library: sqrtf, floorf, ceilf, floor and fmodf are written here from IEEE
 * arithmetic and integers, exact (each is correctly rounded, or exact, in every C library), so the
 * board, the host and the STS agree. expf and expm1f are glibc's (libm.c), logf, sinf and cosf glibc 2.36's (here). */
/* Small beats fast here: none of these bodies is on the built-in models' hot path (before the
 * includes, so that the inline helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"
#include "libm.h"

#define INNER (TFL_CONST_BROADCAST_DIMS - 1)

static uint32_t bits_of(float x)
{
    uint32_t u;
    memcpy(&u, &x, 4);
    return u;
}

static float float_of(uint32_t u)
{
    float x;
    memcpy(&x, &u, 4);
    return x;
}

/* sqrtf (libm.h), correctly rounded: x = m 2^e with m an integer of 24 or 25 bits and e odd, so that
 * sqrt(x) = sqrt(m 2^25) 2^((e - 25) / 2); the integer square root r of m 2^25 has 25 bits, the
 * last the rounding bit, and the remainder tells whether anything lies below it. */
float tfl_sqrtf(float x)
{
    const uint32_t u = bits_of(x);
    if (x == 0.0f || u == 0x7f800000u || x != x) return x;   /* +-0, +infinity, NaN */
    if (u >> 31) return (x - x) / (x - x);                   /* negative: NaN */
    int32_t e = (int32_t)(u >> 23);
    uint32_t m = u & 0x7fffffu;
    if (e == 0) {   /* subnormal: m 2^-149, normalized */
        e = 1;
        while (!(m & 0x800000u)) { m <<= 1; e--; }
    } else m |= 0x800000u;
    e -= 150;   /* x = m 2^e */
    if (!(e & 1)) { m <<= 1; e--; }
    const uint64_t n = (uint64_t)m << 25;
    uint64_t r = 0, rem = 0;
    for (int i = 50; i >= 0; i -= 2) {   /* two bits of n per step, r gains one */
        rem = rem << 2 | (n >> i & 3);
        const uint64_t trial = r << 2 | 1;
        r <<= 1;
        if (rem >= trial) { rem -= trial; r |= 1; }
    }
    uint32_t q = (uint32_t)(r >> 1);   /* 24 bits */
    if ((r & 1) && (rem != 0 || (q & 1))) q++;   /* to nearest, ties (exact halves) to even */
    /* sqrt(x) = q 2^((e - 23) / 2): biased exponent (e - 23) / 2 + 150, the leading bit of q adding 1. */
    return float_of(((uint32_t)((e - 23) / 2 + 149) << 23) + q);
}

/* floorf and ceilf: from 2^23 on every float is an integer. */
static float floor_f(float x)
{
    if (!(x > -8388608.0f && x < 8388608.0f) || x == 0.0f) return x;
    const float t = (float)(int32_t)x;
    return t > x ? t - 1.0f : t;
}

static float ceil_f(float x)
{
    if (!(x > -8388608.0f && x < 8388608.0f) || x == 0.0f) return x;
    const float t = (float)(int32_t)x;
    if (t < x) return t + 1.0f;
    return t == 0.0f ? -0.0f : t;   /* x in (-1, 0): ceilf gives -0 */
}

/* floor of a double (FLOOR_DIV's): from 2^52 on every double is an integer. */
static double floor_d(double x)
{
    if (!(x > -4503599627370496.0 && x < 4503599627370496.0) || x == 0.0) return x;
    const double t = (double)(int64_t)x;
    return t > x ? t - 1.0 : t;
}

/* TFLM's RoundToNearest: half to even, from floorf. */
static float round_to_nearest(float x)
{
    const float f = floor_f(x);
    const float diff = x - f;
    if (diff < 0.5f || (diff == 0.5f && (int32_t)f % 2 == 0)) return f;
    return f + 1.0f;
}

/* The significand of a finite nonzero |x| (bits a) as an integer in [2^23, 2^24), *e its exponent. */
static uint32_t integer_significand(uint32_t a, int32_t *e)
{
    if (a >= 0x800000u) {
        *e = (int32_t)(a >> 23) - 150;
        return (a & 0x7fffffu) | 0x800000u;
    }
    *e = -149;
    while (a < 0x800000u) { a <<= 1; (*e)--; }
    return a;
}

/* fmodf, exact: x - trunc(x / y) y by long division of the significands, with x's sign. */
static float fmod_f(float x, float y)
{
    const uint32_t ux = bits_of(x), ax = ux & 0x7fffffffu, ay = bits_of(y) & 0x7fffffffu;
    if (ax >= 0x7f800000u || ay > 0x7f800000u || ay == 0) return (x * y) / (x * y);   /* NaN */
    if (ax < ay) return x;   /* |x| < |y|, y infinite, x zero */
    int32_t ex, ey;
    uint32_t mx = integer_significand(ax, &ex);
    const uint32_t my = integer_significand(ay, &ey);
    for (; ex > ey; ex--) {
        if (mx >= my) mx -= my;
        mx <<= 1;
    }
    if (mx >= my) mx -= my;
    const uint32_t sign = ux & 0x80000000u;
    if (mx == 0) return float_of(sign);
    if (ey < -149) {
        mx >>= -149 - ey;   /* a subnormal y: the remainder is a multiple of 2^-149, so this is exact */
        ey = -149;
    }
    while (mx < 0x800000u && ey > -149) { mx <<= 1; ey--; }
    return float_of(sign | (mx < 0x800000u ? mx : ((uint32_t)(ey + 149) << 23) + mx));
}

/* logf as glibc 2.36 computes it (ARM's optimized routines, in double): x = 2^k z with z in
 * [0x3f330000, 2 * 0x3f330000) as bits; of 16 subintervals of z, the one holding z gives 1/c and
 * log(c) for a c near its middle; log(x) = log1p(z / c - 1) + log(c) + k ln 2, log1p from a cubic. */
static const double LOGF_INVC_LOGC[16][2] = {
    {0x1.661ec79f8f3bep+0, -0x1.57bf7808caadep-2}, {0x1.571ed4aaf883dp+0, -0x1.2bef0a7c06ddbp-2},
    {0x1.49539f0f010bp+0, -0x1.01eae7f513a67p-2}, {0x1.3c995b0b80385p+0, -0x1.b31d8a68224e9p-3},
    {0x1.30d190c8864a5p+0, -0x1.6574f0ac07758p-3}, {0x1.25e227b0b8eap+0, -0x1.1aa2bc79c81p-3},
    {0x1.1bb4a4a1a343fp+0, -0x1.a4e76ce8c0e5ep-4}, {0x1.12358f08ae5bap+0, -0x1.1973c5a611cccp-4},
    {0x1.0953f419900a7p+0, -0x1.252f438e10c1ep-5}, {0x1p+0, 0x0p+0},
    {0x1.e608cfd9a47acp-1, 0x1.aa5aa5df25984p-5}, {0x1.ca4b31f026aap-1, 0x1.c5e53aa362eb4p-4},
    {0x1.b2036576afce6p-1, 0x1.526e57720db08p-3}, {0x1.9c2d163a1aa2dp-1, 0x1.bc2860d22477p-3},
    {0x1.886e6037841edp-1, 0x1.1058bc8a07ee1p-2}, {0x1.767dcf5534862p-1, 0x1.4043057b6ee09p-2},
};

float tfl_logf(float x)
{
    uint32_t ix = bits_of(x);
    if (ix - 0x00800000u >= 0x7f800000u - 0x00800000u) {
        /* Not a positive normal float. */
        if ((ix << 1) == 0) return -1.0f / 0.0f;   /* +-0: -infinity */
        if (ix == 0x7f800000u) return x;          /* +infinity */
        if ((ix >> 31) || (ix << 1) >= 0xff000000u) return (x - x) / (x - x);   /* negative or NaN */
        ix = bits_of(x * 8388608.0f) - (23u << 23);   /* subnormal: scaled by 2^23, the exponent taken back */
    }
    const uint32_t offset = ix - 0x3f330000u;
    const uint32_t i = (offset >> 19) % 16;
    const int32_t k = (int32_t)offset >> 23;
    const double z = (double)float_of(ix - (offset & 0xff800000u));
    const double r = z * LOGF_INVC_LOGC[i][0] - 1;
    const double y0 = LOGF_INVC_LOGC[i][1] + (double)k * 0x1.62e42fefa39efp-1;
    const double r2 = r * r;
    double y = 0x1.5575b0be00b6ap-2 * r + -0x1.ffffef20a4123p-2;
    y = -0x1.00ea348b88334p-2 * r2 + y;
    y = y * r2 + (y0 + r);
    return (float)y;
}

/* sinf and cosf as glibc 2.36 computes them (ARM's optimized routines, in double). Below pi/4 a
 * polynomial in x; below 120 x is reduced by n pi/2 with n = round(x 2/pi) (from x 2^24 2/pi, as
 * an int32); beyond, by the exact product of x's significand and 4/pi's bits. The quadrant n
 * chooses sin or cos of the reduced x and the sign, through two tables: [0] for n & 2 clear, [1]
 * (the cos coefficients negated) for n & 2 set. SC_HPI is glibc's pi/2 as a double; the reduction
 * below 120 uses it split in two (see there). */
enum { SC_HPI_INV, SC_HPI, SC_C0, SC_C1, SC_C2, SC_C3, SC_C4, SC_S1, SC_S2, SC_S3 };
static const double SINCOSF[2][10] = {
    {0x1.45f306dc9c883p+23, 0x1.921fb54442d18p0, 0x1p0, -0x1.ffffffd0c621cp-2, 0x1.55553e1068f19p-5,
     -0x1.6c087e89a359dp-10, 0x1.99343027bf8c3p-16, -0x1.555545995a603p-3, 0x1.1107605230bc4p-7, -0x1.994eb3774cf24p-13},
    {0x1.45f306dc9c883p+23, 0x1.921fb54442d18p0, -0x1p0, 0x1.ffffffd0c621cp-2, -0x1.55553e1068f19p-5,
     0x1.6c087e89a359dp-10, -0x1.99343027bf8c3p-16, -0x1.555545995a603p-3, 0x1.1107605230bc4p-7, -0x1.994eb3774cf24p-13},
};
/* 4/pi to 192 bits, a new byte per entry (entry i holds bits 8i to 8i + 31). */
static const uint32_t INV_PIO4[24] = {
    0xa2, 0xa2f9, 0xa2f983, 0xa2f9836e, 0xf9836e4e, 0x836e4e44, 0x6e4e4415, 0x4e441529,
    0x441529fc, 0x1529fc27, 0x29fc2757, 0xfc2757d1, 0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0,
    0x34ddc0db, 0xddc0db62, 0xc0db6295, 0xdb629599, 0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041,
};

/* The sine (n even) or cosine (n odd) polynomial of x, with x2 = x * x. */
static float sincosf_poly(double x, double x2, const double *c, int32_t n)
{
    if ((n & 1) == 0) {
        const double x3 = x * x2;
        const double s1 = c[SC_S2] + x2 * c[SC_S3];
        const double x7 = x3 * x2;
        const double s = x + x3 * c[SC_S1];
        return (float)(s + x7 * s1);
    }
    const double x4 = x2 * x2;
    const double c2 = c[SC_C3] + x2 * c[SC_C4];
    const double c1 = c[SC_C0] + x2 * c[SC_C1];
    const double x6 = x4 * x2;
    const double cc = c1 + x4 * c[SC_C2];
    return (float)(cc + x6 * c2);
}

/* sinf (cosine: 0) or cosf (1). */
static float sin_or_cos(float y, int32_t cosine)
{
    const uint32_t top = (bits_of(y) >> 20) & 0x7ff;
    double x = y;
    int32_t n, quadrant;   /* n: for the sign and the table (with y's sign beyond 120); quadrant: for the polynomial */
    if (top < 0x3f4) {   /* |y| < pi/4 */
        if (top < 0x398) return cosine ? 1.0f : y;   /* |y| < 2^-12 */
        return sincosf_poly(x, x * x, SINCOSF[0], cosine);
    }
    if (top >= 0x7f8) return (y - y) / (y - y);   /* infinity or NaN */
    if (top < 0x42f) {   /* |y| < 120 */
        n = quadrant = ((int32_t)(x * SINCOSF[0][SC_HPI_INV]) + 0x800000) >> 24;
        /* x - n pi/2 rounded once, as the fused multiply-add of glibc's x86-64 build (its FMA
         * variant, which the goldens' host runs) gives it: pi/2 = hi + lo with n hi exact (hi has
         * 46 bits, |n| < 128) and x - n hi exact (Sterbenz: they are within a factor 2). */
        x = (x - n * 0x1.921fb54442dp0) - n * 0x1.8p-48;
    } else {
        /* |y|'s significand times 4/pi's bits from the right byte, kept mod 4 in 2.62 fixed point. */
        uint32_t xi = bits_of(y);
        const uint32_t *bits = &INV_PIO4[(xi >> 26) & 15];
        const int shift = (xi >> 23) & 7;
        xi = ((xi & 0xffffff) | 0x800000) << shift;
        uint64_t r = (uint64_t)(xi * bits[0]) << 32 | (((uint64_t)xi * bits[8]) >> 32);
        r += (uint64_t)xi * bits[4];
        const uint64_t q = (r + ((uint64_t)1 << 61)) >> 62;
        r -= q << 62;
        x = (double)(int64_t)r * 0x1.921fb54442d18p-62;
        quadrant = (int32_t)q;
        n = quadrant + (int32_t)(bits_of(y) >> 31);   /* a negative y: two more quadrants of sign */
    }
    const double s = (n & 3) == 1 || (n & 3) == 2 ? -1.0 : 1.0;
    return sincosf_poly(x * s, x * x, SINCOSF[(n >> 1) & 1], quadrant ^ cosine);
}

float tfl_sinf(float x)
{
    return sin_or_cos(x, 0);
}

float tfl_cosf(float x)
{
    return sin_or_cos(x, 1);
}

void tflite_math_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_MATH_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_MATH_OUTPUT, arena);
    const int32_t count = p[TFL_MATH_COUNT], fn = p[TFL_MATH_FUNCTION];
    for (int32_t i = 0; i < count; i++) {
        const float x = tfl_load_f32(input + 4 * i);
        float v;
        switch (fn) {
        case TFL_MATH_FUNCTION_ABS: v = float_of(bits_of(x) & 0x7fffffffu); break;
        case TFL_MATH_FUNCTION_NEG: v = -x; break;
        case TFL_MATH_FUNCTION_SQUARE: v = x * x; break;
        case TFL_MATH_FUNCTION_SQRT: v = tfl_sqrtf(x); break;
        case TFL_MATH_FUNCTION_RSQRT: v = 1.0f / tfl_sqrtf(x); break;
        case TFL_MATH_FUNCTION_CEIL: v = ceil_f(x); break;
        case TFL_MATH_FUNCTION_FLOOR: v = floor_f(x); break;
        case TFL_MATH_FUNCTION_ROUND: v = round_to_nearest(x); break;
        case TFL_MATH_FUNCTION_EXP: v = tfl_expf(x); break;
        case TFL_MATH_FUNCTION_LOG: v = tfl_logf(x); break;
        case TFL_MATH_FUNCTION_SIN: v = tfl_sinf(x); break;
        case TFL_MATH_FUNCTION_COS: v = tfl_cosf(x); break;
        default: v = x < 0.0f ? tfl_expm1f(x) : x; break;   /* ELU */
        }
        tfl_store_f32(output + 4 * i, v);
    }
}

/* int8 ABS, RSQRT, ELU: prepare's table, indexed by the input byte. An RSQRT input below the zero
 * point makes TFLM's invoke fail (and the STS body): a body cannot, so it gives the table's entry. */
void tflite_math_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_MATH_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_MATH_OUTPUT, arena);
    const uint8_t *table = (const uint8_t *)(p + TFL_MATH_TABLE);
    const int32_t count = p[TFL_MATH_COUNT];
    for (int32_t i = 0; i < count; i++) output[i] = table[input[i]];
}

void tflite_abs_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_MATH_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_MATH_OUTPUT, arena);
    const int32_t count = p[TFL_MATH_COUNT], mode = p[TFL_MATH_MODE];
    const int32_t multiplier = p[TFL_MATH_MULTIPLIER], shift = p[TFL_MATH_SHIFT];
    for (int32_t i = 0; i < count; i++) {
        const int32_t x = tfl_load_i16(input + 2 * i);
        int32_t v = x < 0 ? -x : x;
        if (mode == TFL_ABS_INT16_MODE_RESCALE) v = tfl_multiply_by_quantized_multiplier(v, multiplier, shift);
        /* Wrap: 32768 is stored as -32768, C's conversion to int16. */
        tfl_store_i16(output + 2 * i, mode == TFL_ABS_INT16_MODE_WRAP ? v : tfl_clamp(v, -32768, 32767));
    }
}

/* ---- binary: the broadcast walk of kernel_elementwise.ts (Rows rows of Dims[5] elements) ---- */

/* The element index where the input with strides at `strides` starts output row `row`. */
static int32_t row_start(const int32_t *p, int32_t row, int strides)
{
    int32_t at = 0;
    for (int k = TFL_CONST_BROADCAST_DIMS - 2; k >= 0 && row > 0; k--) {
        const int32_t d = p[TFL_ELEMENTWISE_DIMS + k];
        at += row % d * p[strides + k];
        row /= d;
    }
    return at;
}

/* Loops over the output, i1 and i2 the inputs' element indices, o the output's. */
#define FOR_EACH_BROADCAST(p, o, i1, i2) \
    for (int32_t r_ = 0, o = 0; r_ < (p)[TFL_ELEMENTWISE_ROWS]; r_++) \
        for (int32_t c_ = 0, i1 = row_start(p, r_, TFL_ELEMENTWISE_STRIDES1), i2 = row_start(p, r_, TFL_ELEMENTWISE_STRIDES2); \
             c_ < (p)[TFL_ELEMENTWISE_DIMS + INNER]; \
             c_++, o++, i1 += (p)[TFL_ELEMENTWISE_STRIDES1 + INNER], i2 += (p)[TFL_ELEMENTWISE_STRIDES2 + INNER])

void tflite_math_binary_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *in1 = tfl_tensor(p, TFL_ELEMENTWISE_INPUT1, model, arena);
    const uint8_t *in2 = tfl_tensor(p, TFL_ELEMENTWISE_INPUT2, model, arena);
    uint8_t *out = tfl_output(p, TFL_ELEMENTWISE_OUTPUT, arena);
    const int32_t fn = p[TFL_MATH_BINARY_FUNCTION];
    FOR_EACH_BROADCAST(p, o, i1, i2) {
        const float x = tfl_load_f32(in1 + 4 * i1), y = tfl_load_f32(in2 + 4 * i2);
        float v;
        if (fn == TFL_MATH_BINARY_FUNCTION_FLOOR_DIV) {
            v = (float)floor_d((double)x / (double)y);   /* the STS stops at a zero divisor; here it divides */
        } else if (fn == TFL_MATH_BINARY_FUNCTION_FLOOR_MOD) {
            const float m = fmod_f(x, y);
            v = m != 0.0f && (y < 0.0f) != (m < 0.0f) ? m + y : m;
        } else if (fn == TFL_MATH_BINARY_FUNCTION_SQUARED_DIFFERENCE) {
            const float d = x - y;
            v = d * d;
        } else v = x >= 0.0f ? x : x * y;   /* PRELU */
        tfl_store_f32(out + 4 * o, v);
    }
}

void tflite_squared_difference_int32(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *in1 = tfl_tensor(p, TFL_ELEMENTWISE_INPUT1, model, arena);
    const uint8_t *in2 = tfl_tensor(p, TFL_ELEMENTWISE_INPUT2, model, arena);
    uint8_t *out = tfl_output(p, TFL_ELEMENTWISE_OUTPUT, arena);
    FOR_EACH_BROADCAST(p, o, i1, i2) {
        /* Wrapping as x86 does (C++ leaves the overflow undefined). */
        const uint32_t d = (uint32_t)tfl_load_i32(in1 + 4 * i1) - (uint32_t)tfl_load_i32(in2 + 4 * i2);
        tfl_store_i32(out + 4 * o, (int32_t)(d * d));
    }
}

static int32_t load_int(const uint8_t *data, int bytes, int32_t i)
{
    return bytes == 1 ? ((const int8_t *)data)[i] : tfl_load_i16(data + 2 * i);
}

/* Quantized SQUARED_DIFFERENCE (squared_difference != 0) or PRELU; bytes: of input 1 and the
 * output, bytes2: of input 2 (PRELU int16's alpha is int8). */
static void quantized_binary_math(int32_t *p, const uint8_t *model, uint8_t *arena, int bytes, int bytes2, int squared_difference)
{
    const uint8_t *in1 = tfl_tensor(p, TFL_ELEMENTWISE_INPUT1, model, arena);
    const uint8_t *in2 = tfl_tensor(p, TFL_ELEMENTWISE_INPUT2, model, arena);
    uint8_t *out = tfl_output(p, TFL_ELEMENTWISE_OUTPUT, arena);
    const int32_t lo = p[TFL_ELEMENTWISE_ACTIVATION_MIN], hi = p[TFL_ELEMENTWISE_ACTIVATION_MAX];
    const int32_t offset1 = p[TFL_ELEMENTWISE_INPUT1_OFFSET], offset2 = p[TFL_ELEMENTWISE_INPUT2_OFFSET];
    const int32_t output_offset = p[TFL_ELEMENTWISE_OUTPUT_OFFSET], left_shift = p[TFL_ELEMENTWISE_LEFT_SHIFT];
    const int32_t m1 = p[TFL_ELEMENTWISE_INPUT1_MULTIPLIER], s1 = p[TFL_ELEMENTWISE_INPUT1_SHIFT];
    const int32_t m2 = p[TFL_ELEMENTWISE_INPUT2_MULTIPLIER], s2 = p[TFL_ELEMENTWISE_INPUT2_SHIFT];
    const int32_t m_out = p[TFL_ELEMENTWISE_OUTPUT_MULTIPLIER], s_out = p[TFL_ELEMENTWISE_OUTPUT_SHIFT];
    FOR_EACH_BROADCAST(p, o, i1, i2) {
        const int32_t x = load_int(in1, bytes, i1) + offset1;
        const int32_t y = load_int(in2, bytes2, i2) + offset2;
        int32_t v;
        if (squared_difference) {
            /* MultiplyByQuantizedMultiplierSmallerThanOneExp: the shifts are <= 0. */
            const int32_t scaled1 = tfl_rounding_divide_by_pot(tfl_sat_rounding_doubling_high_mul((int32_t)((uint32_t)x << left_shift), m1), -s1);
            const int32_t scaled2 = tfl_rounding_divide_by_pot(tfl_sat_rounding_doubling_high_mul((int32_t)((uint32_t)y << left_shift), m2), -s2);
            const uint32_t d = (uint32_t)scaled1 - (uint32_t)scaled2;
            v = tfl_multiply_by_quantized_multiplier((int32_t)(d * d), m_out, s_out);
        } else if (x >= 0) {
            v = tfl_multiply_by_quantized_multiplier(x, m1, s1);
        } else {
            v = tfl_multiply_by_quantized_multiplier((int32_t)((uint32_t)x * (uint32_t)y), m_out, s_out);
        }
        v = tfl_clamp((int32_t)((uint32_t)v + (uint32_t)output_offset), lo, hi);
        if (bytes == 1) out[o] = (uint8_t)v;
        else tfl_store_i16(out + 2 * o, v);
    }
}

void tflite_squared_difference_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    quantized_binary_math(p, model, arena, 1, 1, 1);
}

void tflite_squared_difference_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    quantized_binary_math(p, model, arena, 2, 2, 1);
}

void tflite_prelu_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    quantized_binary_math(p, model, arena, 1, 1, 0);
}

void tflite_prelu_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    quantized_binary_math(p, model, arena, 2, 1, 0);
}
