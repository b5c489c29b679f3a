/* The TFLM Signal library's custom ops (the audio front end of micro_speech as graph ops).
 * Parameter blocks: enum tfl_signal_* (libs/tflite/kernel_signal.ts, where each op is explained).
 * The arithmetic is TFLM's own uint32/uint64 C (signal/src), which the STS bodies emulate in
 * doubles; here it is that C again, with the same wraparounds. */
#include <string.h>
#include "kernel_util.h"

/* MostSignificantBit32 as TFLM builds it with GCC: 32 - clz(x), and 32 for 0 (whose clz GCC's
 * code does not special-case). */
static int most_significant_bit32(uint32_t x)
{
    return x ? 32 - __builtin_clz(x) : 32;
}

/* ------------------------------------------------------------------------------------------
 * SignalWindow: output[i] = saturate_int16((input[i] * window[i mod n]) >> shift). */
void tflite_signal_window_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_WINDOW_INPUT, model, arena);
    const uint8_t *weights = tfl_tensor(p, TFL_SIGNAL_WINDOW_WEIGHTS, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_WINDOW_OUTPUT, arena);
    const int32_t size = p[TFL_SIGNAL_WINDOW_INPUT_SIZE];
    const int32_t n = p[TFL_SIGNAL_WINDOW_WEIGHT_SIZE];
    const int32_t shift = p[TFL_SIGNAL_WINDOW_SHIFT];
    for (int32_t start = 0; start < size; start += n)
        for (int32_t i = 0; i < n; i++) {
            const int32_t raw = (tfl_load_i16(input + 2 * (start + i)) * tfl_load_i16(weights + 2 * i)) >> shift;
            tfl_store_i16(output + 2 * (start + i), tfl_clamp(raw, -32768, 32767));
        }
}

/* ------------------------------------------------------------------------------------------
 * SignalFftAutoScale: scale = 15 - msb(max |x|) (at least 0); output = input << scale. */
void tflite_signal_fft_auto_scale_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_FFT_AUTO_SCALE_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_FFT_AUTO_SCALE_OUTPUT, arena);
    uint8_t *scale_out = tfl_output(p, TFL_SIGNAL_FFT_AUTO_SCALE_SCALE_BITS, arena);
    const int32_t size = p[TFL_SIGNAL_FFT_AUTO_SCALE_SIZE];
    /* MaxAbs16 keeps its maximum in an int16: -(-32768) wraps to -32768. */
    int16_t max = 0;
    for (int32_t i = 0; i < size; i++) {
        const int16_t v = tfl_load_i16(input + 2 * i);
        if (v > max) max = v;
        else if (-v > max) max = (int16_t)-v;
    }
    /* MostSignificantBit32 of the int16 converted to uint32. */
    int32_t scale = 16 - most_significant_bit32((uint32_t)(int32_t)max) - 1;
    if (scale <= 0) scale = 0;
    for (int32_t i = 0; i < size; i++)
        tfl_store_i16(output + 2 * i, (int32_t)((uint32_t)tfl_load_i16(input + 2 * i) << scale));
    tfl_store_i32(scale_out, scale);
}

/* ------------------------------------------------------------------------------------------
 * SignalRfft (int16): KISS FFT v1.3.0 in 16-bit fixed point, as TFLM compiles it. The factors
 * (radix, remaining length) per stage and the twiddles (one complex int16 per word) are in the
 * parameter block; the complex values being transformed live in the arena (two int16 each).
 * Products of int16s are int32 in C; the sums of two of them can wrap, done here in uint32. */

static inline int16_t cplx_r(const uint8_t *b, int32_t at) { return tfl_load_i16(b + at); }
static inline int16_t cplx_i(const uint8_t *b, int32_t at) { return tfl_load_i16(b + at + 2); }
static inline void set_cplx(uint8_t *b, int32_t at, int32_t r, int32_t i)
{
    tfl_store_i16(b + at, r);
    tfl_store_i16(b + at + 2, i);
}
static inline int16_t tw_r(const int32_t *p, int32_t word) { return tfl_load_i16((const uint8_t *)(p + word)); }
static inline int16_t tw_i(const int32_t *p, int32_t word) { return tfl_load_i16((const uint8_t *)(p + word) + 2); }

/* sround: (x + 2^14) >> 15 of an int32 (wrapping) product or sum of products, stored as int16. */
static inline int16_t kiss_round(uint32_t x)
{
    return (int16_t)((int32_t)(x + 16384u) >> 15);
}

/* a * b - c * d and a * b + c * d of int16s, wrapping as C's int32. */
static inline uint32_t mul_sub(int32_t a, int32_t b, int32_t c, int32_t d) { return (uint32_t)(a * b) - (uint32_t)(c * d); }
static inline uint32_t mul_add(int32_t a, int32_t b, int32_t c, int32_t d) { return (uint32_t)(a * b) + (uint32_t)(c * d); }

/* C_FIXDIV: the complex at `at` times floor(32767 / radix) in fixed point. */
static void kiss_fix_div(uint8_t *b, int32_t at, int32_t radix)
{
    const int32_t k = 32767 / radix;
    set_cplx(b, at, kiss_round((uint32_t)(cplx_r(b, at) * k)), kiss_round((uint32_t)(cplx_i(b, at) * k)));
}

static void kiss_butterfly2(const int32_t *p, uint8_t *b, int32_t fout, int32_t fstride, int32_t m)
{
    const int32_t tw = p[TFL_SIGNAL_RFFT_TWIDDLES];
    for (int32_t k = 0; k < m; k++) {
        const int32_t a0 = fout + 4 * k, a1 = a0 + 4 * m;
        kiss_fix_div(b, a0, 2);
        kiss_fix_div(b, a1, 2);
        const int32_t wr = tw_r(p, tw + k * fstride), wi = tw_i(p, tw + k * fstride);
        const int32_t xr = cplx_r(b, a1), xi = cplx_i(b, a1);
        const int32_t tr = kiss_round(mul_sub(xr, wr, xi, wi));
        const int32_t ti = kiss_round(mul_add(xr, wi, xi, wr));
        const int32_t r0 = cplx_r(b, a0), i0 = cplx_i(b, a0);
        set_cplx(b, a1, r0 - tr, i0 - ti);
        set_cplx(b, a0, r0 + tr, i0 + ti);
    }
}

static void kiss_butterfly3(const int32_t *p, uint8_t *b, int32_t fout, int32_t fstride, int32_t m)
{
    const int32_t tw = p[TFL_SIGNAL_RFFT_TWIDDLES];
    const int32_t epi3i = tw_i(p, tw + fstride * m);
    for (int32_t k = 0; k < m; k++) {
        const int32_t a0 = fout + 4 * k, a1 = a0 + 4 * m, a2 = a1 + 4 * m;
        kiss_fix_div(b, a0, 3);
        kiss_fix_div(b, a1, 3);
        kiss_fix_div(b, a2, 3);
        const int32_t t1 = tw + k * fstride, t2 = tw + 2 * k * fstride;
        const int32_t x1r = cplx_r(b, a1), x1i = cplx_i(b, a1), x2r = cplx_r(b, a2), x2i = cplx_i(b, a2);
        const int32_t s1r = kiss_round(mul_sub(x1r, tw_r(p, t1), x1i, tw_i(p, t1)));
        const int32_t s1i = kiss_round(mul_add(x1r, tw_i(p, t1), x1i, tw_r(p, t1)));
        const int32_t s2r = kiss_round(mul_sub(x2r, tw_r(p, t2), x2i, tw_i(p, t2)));
        const int32_t s2i = kiss_round(mul_add(x2r, tw_i(p, t2), x2i, tw_r(p, t2)));
        const int16_t s3r = (int16_t)(s1r + s2r), s3i = (int16_t)(s1i + s2i);
        int16_t s0r = (int16_t)(s1r - s2r), s0i = (int16_t)(s1i - s2i);
        const int32_t r0 = cplx_r(b, a0), i0 = cplx_i(b, a0);
        /* HALF_OF(x) is x >> 1 in fixed point. */
        const int16_t f1r = (int16_t)(r0 - (s3r >> 1)), f1i = (int16_t)(i0 - (s3i >> 1));
        s0r = kiss_round((uint32_t)(s0r * epi3i));
        s0i = kiss_round((uint32_t)(s0i * epi3i));
        set_cplx(b, a0, r0 + s3r, i0 + s3i);
        set_cplx(b, a2, f1r + s0i, f1i - s0r);
        set_cplx(b, a1, f1r - s0i, f1i + s0r);
    }
}

static void kiss_butterfly4(const int32_t *p, uint8_t *b, int32_t fout, int32_t fstride, int32_t m)
{
    const int32_t tw = p[TFL_SIGNAL_RFFT_TWIDDLES];
    for (int32_t k = 0; k < m; k++) {
        const int32_t a0 = fout + 4 * k, a1 = a0 + 4 * m, a2 = a1 + 4 * m, a3 = a2 + 4 * m;
        kiss_fix_div(b, a0, 4);
        kiss_fix_div(b, a1, 4);
        kiss_fix_div(b, a2, 4);
        kiss_fix_div(b, a3, 4);
        const int32_t t1 = tw + k * fstride, t2 = tw + 2 * k * fstride, t3 = tw + 3 * k * fstride;
        const int32_t x1r = cplx_r(b, a1), x1i = cplx_i(b, a1);
        const int32_t x2r = cplx_r(b, a2), x2i = cplx_i(b, a2);
        const int32_t x3r = cplx_r(b, a3), x3i = cplx_i(b, a3);
        const int32_t s0r = kiss_round(mul_sub(x1r, tw_r(p, t1), x1i, tw_i(p, t1)));
        const int32_t s0i = kiss_round(mul_add(x1r, tw_i(p, t1), x1i, tw_r(p, t1)));
        const int32_t s1r = kiss_round(mul_sub(x2r, tw_r(p, t2), x2i, tw_i(p, t2)));
        const int32_t s1i = kiss_round(mul_add(x2r, tw_i(p, t2), x2i, tw_r(p, t2)));
        const int32_t s2r = kiss_round(mul_sub(x3r, tw_r(p, t3), x3i, tw_i(p, t3)));
        const int32_t s2i = kiss_round(mul_add(x3r, tw_i(p, t3), x3i, tw_r(p, t3)));
        int16_t r0 = cplx_r(b, a0), i0 = cplx_i(b, a0);
        const int16_t s5r = (int16_t)(r0 - s1r), s5i = (int16_t)(i0 - s1i);
        r0 = (int16_t)(r0 + s1r);
        i0 = (int16_t)(i0 + s1i);
        const int16_t s3r = (int16_t)(s0r + s2r), s3i = (int16_t)(s0i + s2i);
        const int16_t s4r = (int16_t)(s0r - s2r), s4i = (int16_t)(s0i - s2i);
        set_cplx(b, a2, r0 - s3r, i0 - s3i);
        set_cplx(b, a0, r0 + s3r, i0 + s3i);
        /* The forward transform multiplies the odd difference by -i. */
        set_cplx(b, a1, s5r + s4i, s5i - s4r);
        set_cplx(b, a3, s5r - s4i, s5i + s4r);
    }
}

static void kiss_butterfly5(const int32_t *p, uint8_t *b, int32_t fout, int32_t fstride, int32_t m)
{
    const int32_t tw = p[TFL_SIGNAL_RFFT_TWIDDLES];
    const int32_t yar = tw_r(p, tw + fstride * m), yai = tw_i(p, tw + fstride * m);
    const int32_t ybr = tw_r(p, tw + 2 * fstride * m), ybi = tw_i(p, tw + 2 * fstride * m);
    for (int32_t u = 0; u < m; u++) {
        const int32_t a0 = fout + 4 * u, a1 = a0 + 4 * m, a2 = a1 + 4 * m, a3 = a2 + 4 * m, a4 = a3 + 4 * m;
        kiss_fix_div(b, a0, 5);
        kiss_fix_div(b, a1, 5);
        kiss_fix_div(b, a2, 5);
        kiss_fix_div(b, a3, 5);
        kiss_fix_div(b, a4, 5);
        const int32_t s0r = cplx_r(b, a0), s0i = cplx_i(b, a0);
        const int32_t t1 = tw + u * fstride, t2 = tw + 2 * u * fstride, t3 = tw + 3 * u * fstride, t4 = tw + 4 * u * fstride;
        const int32_t s1r = kiss_round(mul_sub(cplx_r(b, a1), tw_r(p, t1), cplx_i(b, a1), tw_i(p, t1)));
        const int32_t s1i = kiss_round(mul_add(cplx_r(b, a1), tw_i(p, t1), cplx_i(b, a1), tw_r(p, t1)));
        const int32_t s2r = kiss_round(mul_sub(cplx_r(b, a2), tw_r(p, t2), cplx_i(b, a2), tw_i(p, t2)));
        const int32_t s2i = kiss_round(mul_add(cplx_r(b, a2), tw_i(p, t2), cplx_i(b, a2), tw_r(p, t2)));
        const int32_t s3r = kiss_round(mul_sub(cplx_r(b, a3), tw_r(p, t3), cplx_i(b, a3), tw_i(p, t3)));
        const int32_t s3i = kiss_round(mul_add(cplx_r(b, a3), tw_i(p, t3), cplx_i(b, a3), tw_r(p, t3)));
        const int32_t s4r = kiss_round(mul_sub(cplx_r(b, a4), tw_r(p, t4), cplx_i(b, a4), tw_i(p, t4)));
        const int32_t s4i = kiss_round(mul_add(cplx_r(b, a4), tw_i(p, t4), cplx_i(b, a4), tw_r(p, t4)));
        const int16_t s7r = (int16_t)(s1r + s4r), s7i = (int16_t)(s1i + s4i);
        const int16_t s10r = (int16_t)(s1r - s4r), s10i = (int16_t)(s1i - s4i);
        const int16_t s8r = (int16_t)(s2r + s3r), s8i = (int16_t)(s2i + s3i);
        const int16_t s9r = (int16_t)(s2r - s3r), s9i = (int16_t)(s2i - s3i);
        set_cplx(b, a0, s0r + s7r + s8r, s0i + s7i + s8i);
        const int16_t s5r = (int16_t)(s0r + kiss_round((uint32_t)(s7r * yar)) + kiss_round((uint32_t)(s8r * ybr)));
        const int16_t s5i = (int16_t)(s0i + kiss_round((uint32_t)(s7i * yar)) + kiss_round((uint32_t)(s8i * ybr)));
        const int16_t s6r = (int16_t)(kiss_round((uint32_t)(s10i * yai)) + kiss_round((uint32_t)(s9i * ybi)));
        const int16_t s6i = (int16_t)(-kiss_round((uint32_t)(s10r * yai)) - kiss_round((uint32_t)(s9r * ybi)));
        set_cplx(b, a1, s5r - s6r, s5i - s6i);
        set_cplx(b, a4, s5r + s6r, s5i + s6i);
        const int16_t s11r = (int16_t)(s0r + kiss_round((uint32_t)(s7r * ybr)) + kiss_round((uint32_t)(s8r * yar)));
        const int16_t s11i = (int16_t)(s0i + kiss_round((uint32_t)(s7i * ybr)) + kiss_round((uint32_t)(s8i * yar)));
        const int16_t s12r = (int16_t)(-kiss_round((uint32_t)(s10i * ybi)) + kiss_round((uint32_t)(s9i * yai)));
        const int16_t s12i = (int16_t)(kiss_round((uint32_t)(s10r * ybi)) - kiss_round((uint32_t)(s9r * yai)));
        set_cplx(b, a2, s11r + s12r, s11i + s12i);
        set_cplx(b, a3, s11r - s12r, s11i - s12i);
    }
}

/* kf_work: the complex FFT of the elements at byte offsets f, f + 4 fstride, ... into fout, from
 * stage `stage` on (decimation in time, recursive as KISS FFT). */
static void kiss_work(const int32_t *p, uint8_t *b, int32_t fout, int32_t f, int32_t fstride, int32_t stage)
{
    const int32_t radix = p[TFL_SIGNAL_RFFT_FACTORS + 2 * stage];
    const int32_t m = p[TFL_SIGNAL_RFFT_FACTORS + 2 * stage + 1];
    if (m == 1) {
        for (int32_t q = 0; q < radix; q++) {
            const int32_t from = f + 4 * q * fstride;
            set_cplx(b, fout + 4 * q, cplx_r(b, from), cplx_i(b, from));
        }
    } else {
        for (int32_t q = 0; q < radix; q++) kiss_work(p, b, fout + 4 * q * m, f + 4 * q * fstride, fstride * radix, stage + 1);
    }
    if (radix == 2) kiss_butterfly2(p, b, fout, fstride, m);
    else if (radix == 3) kiss_butterfly3(p, b, fout, fstride, m);
    else if (radix == 4) kiss_butterfly4(p, b, fout, fstride, m);
    else if (radix == 5) kiss_butterfly5(p, b, fout, fstride, m);
}

void tflite_signal_rfft_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_RFFT_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_RFFT_OUTPUT, arena);
    const int32_t fft_length = p[TFL_SIGNAL_RFFT_FFT_LENGTH];
    const int32_t input_length = p[TFL_SIGNAL_RFFT_INPUT_LENGTH];
    const int32_t rows = p[TFL_SIGNAL_RFFT_ROWS];
    const int32_t work = p[TFL_SIGNAL_RFFT_WORK];
    const int32_t tmp = p[TFL_SIGNAL_RFFT_TMP];
    const int32_t super_tw = p[TFL_SIGNAL_RFFT_SUPER_TWIDDLES];
    const int32_t n = fft_length >> 1;
    for (int32_t row = 0; row < rows; row++) {
        memcpy(arena + work, input + 2 * row * input_length, (uint32_t)(2 * input_length));
        memset(arena + work + 2 * input_length, 0, (uint32_t)(2 * (fft_length - input_length)));
        /* The complex FFT of the N/2 (even, odd) pairs. */
        kiss_work(p, arena, tmp, work, 1, 0);
        /* kiss_fftr's split: DC and Nyquist from bin 0, then bins k and N/2 - k together;
         * C_FIXDIV by 2 is * 16383 in fixed point. */
        const int32_t out = 4 * row * (n + 1);
        const int32_t dcr = kiss_round((uint32_t)(cplx_r(arena, tmp) * 16383));
        const int32_t dci = kiss_round((uint32_t)(cplx_i(arena, tmp) * 16383));
        set_cplx(output, out, dcr + dci, 0);
        set_cplx(output, out + 4 * n, dcr - dci, 0);
        for (int32_t k = 1; k <= (n >> 1); k++) {
            const int32_t ak = tmp + 4 * k, ank = tmp + 4 * (n - k);
            const int32_t fpkr = kiss_round((uint32_t)(cplx_r(arena, ak) * 16383));
            const int32_t fpki = kiss_round((uint32_t)(cplx_i(arena, ak) * 16383));
            const int32_t fpnkr = kiss_round((uint32_t)(cplx_r(arena, ank) * 16383));
            const int32_t fpnki = kiss_round((uint32_t)((int16_t)-cplx_i(arena, ank) * 16383));
            const int16_t f1r = (int16_t)(fpkr + fpnkr), f1i = (int16_t)(fpki + fpnki);
            const int16_t f2r = (int16_t)(fpkr - fpnkr), f2i = (int16_t)(fpki - fpnki);
            const int32_t wr = tw_r(p, super_tw + k - 1), wi = tw_i(p, super_tw + k - 1);
            const int32_t twr = kiss_round(mul_sub(f2r, wr, f2i, wi));
            const int32_t twi = kiss_round(mul_add(f2r, wi, f2i, wr));
            set_cplx(output, out + 4 * k, (f1r + twr) >> 1, (f1i + twi) >> 1);
            set_cplx(output, out + 4 * (n - k), (f1r - twr) >> 1, (twi - f1i) >> 1);
        }
    }
}

/* ------------------------------------------------------------------------------------------
 * SignalEnergy: output[k] = re[k]^2 + im[k]^2 for start <= k < end; the rest left as it is. */
void tflite_signal_energy_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_ENERGY_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_ENERGY_OUTPUT, arena);
    const int32_t start = p[TFL_SIGNAL_ENERGY_START], end = p[TFL_SIGNAL_ENERGY_END];
    /* Zeros outside [start, end), where TFLM leaves the arena's old bytes (kernel_signal.ts). */
    memset(output, 0, 4 * (size_t)start);
    memset(output + 4 * end, 0, 4 * (size_t)(p[TFL_SIGNAL_ENERGY_ELEMENTS] - end));
    for (int32_t k = start; k < end; k++) {
        const int32_t re = tfl_load_i16(input + 4 * k), im = tfl_load_i16(input + 4 * k + 2);
        /* An int32 sum in C: 2 * (-32768)^2 wraps to 2^31, the same bits as uint32. */
        tfl_store_u32(output + 4 * k, (uint32_t)(re * re) + (uint32_t)(im * im));
    }
}

/* ------------------------------------------------------------------------------------------
 * SignalFilterBank: channel c sums energy * weight over its frequencies, plus energy * unweight
 * over those of channel c - 1; channel 0 is scratch. uint64 accumulators; an int16 weight times a
 * uint32 energy is a product in uint64 (the weight sign-extended), wrapping. */
void tflite_signal_filter_bank_uint32(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_FILTER_BANK_INPUT, model, arena);
    const uint8_t *weights = tfl_tensor(p, TFL_SIGNAL_FILTER_BANK_WEIGHTS, model, arena);
    const uint8_t *unweights = tfl_tensor(p, TFL_SIGNAL_FILTER_BANK_UNWEIGHTS, model, arena);
    const uint8_t *freq_starts = tfl_tensor(p, TFL_SIGNAL_FILTER_BANK_CHANNEL_FREQUENCY_STARTS, model, arena);
    const uint8_t *weight_starts = tfl_tensor(p, TFL_SIGNAL_FILTER_BANK_CHANNEL_WEIGHT_STARTS, model, arena);
    const uint8_t *widths = tfl_tensor(p, TFL_SIGNAL_FILTER_BANK_CHANNEL_WIDTHS, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_FILTER_BANK_OUTPUT, arena);
    const int32_t channels = p[TFL_SIGNAL_FILTER_BANK_NUM_CHANNELS];
    uint64_t weight_acc = 0, unweight_acc = 0;
    for (int32_t c = 0; c <= channels; c++) {
        const int32_t f = tfl_load_i16(freq_starts + 2 * c);
        const int32_t w = tfl_load_i16(weight_starts + 2 * c);
        const int32_t width = tfl_load_i16(widths + 2 * c);
        for (int32_t j = 0; j < width; j++) {
            const uint64_t energy = tfl_load_u32(input + 4 * (f + j));
            weight_acc += (uint64_t)(int64_t)tfl_load_i16(weights + 2 * (w + j)) * energy;
            unweight_acc += (uint64_t)(int64_t)tfl_load_i16(unweights + 2 * (w + j)) * energy;
        }
        if (c > 0) tfl_store_u64(output + 8 * (c - 1), weight_acc);
        weight_acc = unweight_acc;
        unweight_acc = 0;
    }
}

/* ------------------------------------------------------------------------------------------
 * SignalFilterBankSquareRoot: Sqrt64(input[c]) >> scale_bits. */

/* TFLM's Sqrt64 (Sqrt32 below 2^32): the integer square root, rounded up when the remainder
 * exceeds the root, except at the cap (0xFFFF for 32-bit inputs, 0xFFFFFFFF otherwise). */
static uint32_t sqrt64(uint64_t num)
{
    if (num == 0) return 0;
    const uint32_t cap = (num >> 32) == 0 ? 0xffffu : 0xffffffffu;
    uint64_t res = 0, bit = (uint64_t)1 << 62;
    while (bit > num) bit >>= 2;
    while (bit) {
        if (num >= res + bit) {
            num -= res + bit;
            res = (res >> 1) + bit;
        } else res >>= 1;
        bit >>= 2;
    }
    /* res is the floor of the root, num the remainder. */
    if (num > res && res != cap) res++;
    return (uint32_t)res;
}

void tflite_signal_filter_bank_square_root_uint64(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_FILTER_BANK_SQUARE_ROOT_INPUT, model, arena);
    const uint8_t *scale_bits = tfl_tensor(p, TFL_SIGNAL_FILTER_BANK_SQUARE_ROOT_SCALE_BITS, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_FILTER_BANK_SQUARE_ROOT_OUTPUT, arena);
    const int32_t channels = p[TFL_SIGNAL_FILTER_BANK_SQUARE_ROOT_NUM_CHANNELS];
    /* A uint32 shifted by an int: the x86 shift uses the count's low 5 bits. */
    const int shift = tfl_load_i32(scale_bits) & 31;
    for (int32_t c = 0; c < channels; c++) tfl_store_u32(output + 4 * c, sqrt64(tfl_load_u64(input + 8 * c)) >> shift);
}

/* ------------------------------------------------------------------------------------------
 * SignalFilterBankSpectralSubtraction: a low-pass noise estimate per channel (state kept in the
 * arena between invokes, at the offset in word STATE), subtracted from the signal, floored at a
 * fraction of it. */
void tflite_signal_filter_bank_spectral_subtraction_uint32(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_SPECTRAL_SUBTRACTION_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_SPECTRAL_SUBTRACTION_OUTPUT, arena);
    uint8_t *noise_out = tfl_output(p, TFL_SIGNAL_SPECTRAL_SUBTRACTION_NOISE_ESTIMATE, arena);
    const int32_t channels = p[TFL_SIGNAL_SPECTRAL_SUBTRACTION_NUM_CHANNELS];
    const int smoothing_bits = p[TFL_SIGNAL_SPECTRAL_SUBTRACTION_SMOOTHING_BITS];
    const int ss_bits = p[TFL_SIGNAL_SPECTRAL_SUBTRACTION_SPECTRAL_SUBTRACTION_BITS];
    const uint32_t min_remaining = (uint32_t)p[TFL_SIGNAL_SPECTRAL_SUBTRACTION_MIN_SIGNAL_REMAINING];
    const int32_t clamping = p[TFL_SIGNAL_SPECTRAL_SUBTRACTION_CLAMPING];
    for (int32_t c = 0; c < channels; c++) {
        const int odd = c & 1;
        const uint32_t smoothing = (uint32_t)p[odd ? TFL_SIGNAL_SPECTRAL_SUBTRACTION_ALTERNATE_SMOOTHING : TFL_SIGNAL_SPECTRAL_SUBTRACTION_SMOOTHING];
        const uint32_t one_minus = (uint32_t)p[odd ? TFL_SIGNAL_SPECTRAL_SUBTRACTION_ALTERNATE_ONE_MINUS_SMOOTHING
                                                   : TFL_SIGNAL_SPECTRAL_SUBTRACTION_ONE_MINUS_SMOOTHING];
        uint8_t *state = arena + p[TFL_SIGNAL_SPECTRAL_SUBTRACTION_STATE] + 4 * c;
        const uint32_t signal = tfl_load_u32(input + 4 * c);
        const uint32_t signal_scaled_up = signal << smoothing_bits;
        uint32_t noise = (uint32_t)(((uint64_t)signal_scaled_up * smoothing + (uint64_t)tfl_load_u32(state) * one_minus) >> ss_bits);
        uint32_t estimate = noise;
        if (estimate > signal_scaled_up) {
            estimate = signal_scaled_up;
            if (clamping) noise = estimate;
        }
        tfl_store_u32(state, noise);
        const uint32_t floor = (uint32_t)(((uint64_t)signal * min_remaining) >> ss_bits);
        const uint32_t subtracted = (signal_scaled_up - estimate) >> smoothing_bits;
        tfl_store_u32(output + 4 * c, subtracted > floor ? subtracted : floor);
        tfl_store_u32(noise_out + 4 * c, noise);
    }
}

/* ------------------------------------------------------------------------------------------
 * SignalPCAN: a gain from the channel's noise estimate (piecewise quadratic per octave, from the
 * gain LUT); snr = (signal * gain) >> snr_shift; output = snr < 2 ? snr^2 / 4 : snr - 1. */

/* WideDynamicFunction: the int16 gain for noise estimate x. */
static int16_t pcan_gain(const uint8_t *lut, uint32_t x)
{
    if (x <= 2) return tfl_load_i16(lut + 2 * x);
    const int interval = most_significant_bit32(x);
    const uint8_t *base = lut + 2 * (4 * interval - 6);
    /* The 10 bits below the top bit: where x lies within its octave. */
    const int32_t frac = (int32_t)((interval < 11 ? x << (11 - interval) : x >> (interval - 11)) & 0x3ff);
    int32_t result = (tfl_load_i16(base + 4) * frac) >> 5;
    result += tfl_load_i16(base + 2) * 32;
    result = (int32_t)((uint32_t)result * (uint32_t)frac);
    result = (int32_t)((uint32_t)result + (1u << 14)) >> 15;
    result += tfl_load_i16(base);
    return (int16_t)result;
}

void tflite_signal_pcan_uint32(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_PCAN_INPUT, model, arena);
    const uint8_t *noise = tfl_tensor(p, TFL_SIGNAL_PCAN_NOISE_ESTIMATE, model, arena);
    const uint8_t *lut = tfl_tensor(p, TFL_SIGNAL_PCAN_GAIN_LUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_PCAN_OUTPUT, arena);
    const int32_t channels = p[TFL_SIGNAL_PCAN_NUM_CHANNELS];
    const int snr_shift = p[TFL_SIGNAL_PCAN_SNR_SHIFT];
    for (int32_t c = 0; c < channels; c++) {
        /* The int16 gain becomes a uint32 (sign-extended) before the 64-bit product. */
        const uint32_t gain = (uint32_t)(int32_t)pcan_gain(lut, tfl_load_u32(noise + 4 * c));
        const uint32_t snr = (uint32_t)(((uint64_t)tfl_load_u32(input + 4 * c) * gain) >> snr_shift);
        /* PcanShrink with 12 SNR bits and 6 output bits. */
        tfl_store_u32(output + 4 * c, snr < (2u << 12) ? (snr * snr) >> 20 : (snr >> 6) - 64);
    }
}

/* ------------------------------------------------------------------------------------------
 * SignalFilterBankLog: min(Log32(input << correction_bits, output_scale), 32767), 0 for inputs
 * that scale to 0 or 1. */

/* log2(1 + x) - x for x = i / 128, in units of 2^-16: TFLM's kLogLut. */
static const uint16_t log_lut[130] = {
    0, 224, 442, 654, 861, 1063, 1259, 1450, 1636, 1817, 1992, 2163,
    2329, 2490, 2646, 2797, 2944, 3087, 3224, 3358, 3487, 3611, 3732, 3848,
    3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934,
    5001, 5063, 5123, 5178, 5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507,
    5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640, 5641, 5638, 5633,
    5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370,
    5332, 5291, 5249, 5203, 5156, 5106, 5054, 5000, 4944, 4885, 4825, 4762,
    4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848,
    3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659,
    2549, 2437, 2323, 2207, 2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224,
    1094, 963, 830, 695, 559, 421, 282, 142, 0, 0};

/* TFLM's Log32(x, out_scale) for x >= 2: log2 as the top bit's position plus a LUT-corrected
 * 16-bit fraction, times ln 2 (45426 / 2^16), times out_scale, rounded (uint32 arithmetic). */
static uint32_t log32(uint32_t x, uint32_t out_scale)
{
    const int integer = most_significant_bit32(x) - 1;
    uint32_t frac = x - (1u << integer);
    frac = integer < 16 ? frac << (16 - integer) : frac >> (integer - 16);
    const int32_t segment = (int32_t)(frac >> 9);
    const int32_t c0 = log_lut[segment], c1 = log_lut[segment + 1];
    const int32_t rel_pos = ((c1 - c0) * (int32_t)(frac - (uint32_t)segment * 512)) >> 16;
    const uint32_t log2 = ((uint32_t)integer << 16) + (uint32_t)((int32_t)frac + c0 + rel_pos);
    const uint32_t loge = (uint32_t)(((uint64_t)45426 * log2 + 32768) >> 16);
    return (out_scale * loge + 32768u) >> 16;
}

void tflite_signal_filter_bank_log_uint32(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_FILTER_BANK_LOG_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_FILTER_BANK_LOG_OUTPUT, arena);
    const int32_t channels = p[TFL_SIGNAL_FILTER_BANK_LOG_NUM_CHANNELS];
    const uint32_t out_scale = (uint32_t)p[TFL_SIGNAL_FILTER_BANK_LOG_OUTPUT_SCALE];
    const int bits = p[TFL_SIGNAL_FILTER_BANK_LOG_INPUT_CORRECTION_BITS];
    for (int32_t c = 0; c < channels; c++) {
        const uint32_t scaled = tfl_load_u32(input + 4 * c) << bits;
        uint32_t v = 0;
        if (scaled > 1) {
            v = log32(scaled, out_scale);
            if (v > 32767) v = 32767;
        }
        tfl_store_i16(output + 2 * c, (int32_t)v);
    }
}
