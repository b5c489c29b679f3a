/* gemmlowp's fixed-point exp, reciprocal, logistic and tanh: see fixed_point.h. Additions wrap
 * as int32 (done in uint32 here, so the wrap is defined). */
/* Small beats fast here: these bodies run once per invoke on a handful of values (the end of a
 * classifier), and every C function of the extension takes flash in every program. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "fixed_point.h"
#include "kernel_util.h"

int tfl_count_leading_zeros(uint32_t x)
{
    return x ? __builtin_clz(x) : 32;
}

int32_t tfl_saturating_rounding_multiply_by_pot(int32_t x, int exponent)
{
    if (exponent == 0) return x;
    if (exponent < 0) return tfl_rounding_divide_by_pot(x, -exponent);
    const int32_t threshold = (int32_t)((1u << (31 - exponent)) - 1);
    if (x > threshold) return TFL_INT32_MAX;
    if (x < -threshold) return TFL_INT32_MIN;
    return (int32_t)((uint32_t)x << exponent);
}

static inline int32_t wrap_add(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* exp(a) for a in [-1/4, 0) in Q0.31: the Taylor expansion around -1/8 to the 4th order. */
static int32_t exp_on_interval_quarter(int32_t a)
{
    const int32_t exp_minus_one_eighth = 1895147668;
    const int32_t one_third = 715827883;
    const int32_t x = wrap_add(a, 1 << 28);
    const int32_t x2 = tfl_sat_rounding_doubling_high_mul(x, x);
    const int32_t x3 = tfl_sat_rounding_doubling_high_mul(x2, x);
    const int32_t x4 = tfl_sat_rounding_doubling_high_mul(x2, x2);
    const int32_t x4_over_4 = tfl_rounding_divide_by_pot(x4, 2);
    /* x^4/24 + x^3/6 + x^2/2 = ((x^4/4 + x^3) / 3 + x^2) / 2 */
    const int32_t poly = tfl_rounding_divide_by_pot(
        wrap_add(tfl_sat_rounding_doubling_high_mul(wrap_add(x4_over_4, x3), one_third), x2), 1);
    return wrap_add(exp_minus_one_eighth, tfl_sat_rounding_doubling_high_mul(exp_minus_one_eighth, wrap_add(x, poly)));
}

/* exp(-2^k) in Q0.31 for k = -2..4. */
static const int32_t exp_barrel[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};

int32_t tfl_exp_on_negative_values(int32_t a, int integer_bits)
{
    const int fractional_bits = 31 - integer_bits;
    const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
    const int32_t a_mod_quarter_minus_quarter = wrap_add(a & (one_quarter - 1), -one_quarter);
    int32_t result = exp_on_interval_quarter(tfl_saturating_rounding_multiply_by_pot(a_mod_quarter_minus_quarter, integer_bits));
    const int32_t remainder = (int32_t)((uint32_t)a_mod_quarter_minus_quarter - (uint32_t)a);
    /* Bit 2^k of the remainder multiplies by exp(-2^k). */
    for (int k = -2; k <= 4; k++)
        if (integer_bits > k && (remainder & (int32_t)(1u << (fractional_bits + k))))
            result = tfl_sat_rounding_doubling_high_mul(result, exp_barrel[k + 2]);
    /* Below -32 the result is 0 (only reachable with more than 5 integer bits). */
    if (integer_bits > 5 && a < -((int32_t)1 << (36 - integer_bits))) result = 0;
    return a == 0 ? TFL_INT32_MAX : result;
}

int32_t tfl_one_over_one_plus_x(int32_t a, int one_minus)
{
    const int32_t half_denominator = tfl_rounding_half_sum(a, TFL_INT32_MAX);
    const int32_t one = 1 << 29;
    /* In Q2.29: x0 = 48/17 - 32/17 * d, then x <- x + x * (1 - d * x), three times. */
    int32_t x = wrap_add(1515870810, tfl_sat_rounding_doubling_high_mul(half_denominator, -1010580540));
    for (int i = 0; i < 3; i++) {
        const int32_t one_minus_d_x = (int32_t)((uint32_t)one - (uint32_t)tfl_sat_rounding_doubling_high_mul(half_denominator, x));
        x = wrap_add(x, tfl_saturating_rounding_multiply_by_pot(tfl_sat_rounding_doubling_high_mul(x, one_minus_d_x), 2));
    }
    /* x ~ 2 / (1 + a) in Q2.29: 1 / (1 + a) is x / 2, (1 - a) / (1 + a) is x - 1. */
    if (one_minus) return tfl_saturating_rounding_multiply_by_pot((int32_t)((uint32_t)x - (uint32_t)one), 2);
    return tfl_saturating_rounding_multiply_by_pot(x, 1);
}

int32_t tfl_fixed_point_logistic(int32_t a, int integer_bits)
{
    if (a == 0) return 1 << 30;
    const int positive = a > 0;
    const int32_t magnitude = positive ? a : (int32_t)(0u - (uint32_t)a);
    const int32_t of_magnitude = tfl_one_over_one_plus_x(tfl_exp_on_negative_values((int32_t)(0u - (uint32_t)magnitude), integer_bits), 0);
    return positive ? of_magnitude : (int32_t)((uint32_t)TFL_INT32_MAX - (uint32_t)of_magnitude);
}

int32_t tfl_fixed_point_tanh(int32_t a, int integer_bits)
{
    if (a == 0) return 0;
    const int negative = a < 0;
    /* -|a| with one more integer bit is -2|a| with the same raw value. */
    const int32_t negative_magnitude = negative ? a : (int32_t)(0u - (uint32_t)a);
    const int32_t t = tfl_one_over_one_plus_x(tfl_exp_on_negative_values(negative_magnitude, integer_bits + 1), 1);
    return negative ? (int32_t)(0u - (uint32_t)t) : t;
}
