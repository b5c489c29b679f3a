/* The stateful framing ops of TFLM's Signal library and the FFTs of types other than int16, which
 * the speech front end does not use (in the board's all-ops build only). Parameter blocks: enum
 * tfl_signal_delay ... (libs/tflite/kernel_signal2.ts, where each op is explained). */
/* Small beats fast here: only the all-ops build has them (before the includes, so that the inline
 * helpers they use are compiled the same way). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include <string.h>
#include "kernel_util.h"

/* ------------------------------------------------------------------------------------------
 * SignalDelay: per row, the output is the first frame_size samples of state ++ input and the new
 * state (arena, word STATE) its last delay_length, which is what TFLM's circular buffer holds
 * between invokes. */
void tflite_signal_delay_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_DELAY_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_DELAY_OUTPUT, arena);
    const int32_t frame = p[TFL_SIGNAL_DELAY_FRAME_SIZE];
    const int32_t rows = p[TFL_SIGNAL_DELAY_OUTER_DIMS];
    const int32_t delay = p[TFL_SIGNAL_DELAY_DELAY_LENGTH];
    for (int32_t r = 0; r < rows; r++) {
        uint8_t *state = arena + p[TFL_SIGNAL_DELAY_STATE] + 2 * delay * r;
        const uint8_t *row_in = input + 2 * frame * r;
        uint8_t *row_out = output + 2 * frame * r;
        for (int32_t i = 0; i < frame; i++)
            tfl_store_i16(row_out + 2 * i, i < delay ? tfl_load_i16(state + 2 * i) : tfl_load_i16(row_in + 2 * (i - delay)));
        /* frame >= 1: each state sample is read before it is overwritten. */
        for (int32_t j = 0; j < delay; j++) {
            const int32_t k = frame + j;
            tfl_store_i16(state + 2 * j, k < delay ? tfl_load_i16(state + 2 * k) : tfl_load_i16(row_in + 2 * (k - delay)));
        }
    }
}

/* ------------------------------------------------------------------------------------------
 * SignalOverlapAdd: per row, each frame added into the row's buffer (arena, word STATE),
 * frame_step samples out, the buffer shifted left by frame_step with zeros in. */
#define OVERLAP_ADD_BODY(T, LOAD, STORE, ADD)                                                              \
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_OVERLAP_ADD_INPUT, model, arena);                      \
    uint8_t *output = tfl_output(p, TFL_SIGNAL_OVERLAP_ADD_OUTPUT, arena);                                 \
    const int32_t frame_size = p[TFL_SIGNAL_OVERLAP_ADD_FRAME_SIZE], step = p[TFL_SIGNAL_OVERLAP_ADD_FRAME_STEP]; \
    const int32_t frames = p[TFL_SIGNAL_OVERLAP_ADD_FRAMES], rows = p[TFL_SIGNAL_OVERLAP_ADD_OUTER_DIMS];   \
    const int32_t size = (int32_t)sizeof(T);                                                              \
    for (int32_t r = 0; r < rows; r++) {                                                                   \
        uint8_t *buffer = arena + p[TFL_SIGNAL_OVERLAP_ADD_STATE] + size * frame_size * r;                \
        for (int32_t f = 0; f < frames; f++) {                                                             \
            const uint8_t *frame = input + size * frame_size * (r * frames + f);                          \
            uint8_t *out = output + size * step * (r * frames + f);                                       \
            for (int32_t i = 0; i < frame_size; i++) STORE(buffer + size * i, ADD(LOAD(buffer + size * i), LOAD(frame + size * i))); \
            for (int32_t i = 0; i < step; i++) STORE(out + size * i, LOAD(buffer + size * i));             \
            for (int32_t i = 0; i < frame_size - step; i++) STORE(buffer + size * i, LOAD(buffer + size * (i + step))); \
            for (int32_t i = frame_size - step; i < frame_size; i++) STORE(buffer + size * i, 0);          \
        }                                                                                                   \
    }

static int32_t add_saturate_int16(int32_t a, int32_t b)
{
    const int32_t sum = a + b;
    return sum < -32768 ? -32768 : sum > 32767 ? 32767 : sum;
}

static float add_float(float a, float b) { return a + b; }

void tflite_signal_overlap_add_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    OVERLAP_ADD_BODY(int16_t, tfl_load_i16, tfl_store_i16, add_saturate_int16)
}

void tflite_signal_overlap_add_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    OVERLAP_ADD_BODY(float, tfl_load_f32, tfl_store_f32, add_float)
}

/* ------------------------------------------------------------------------------------------
 * SignalFramer: per row, chunks of frame_step samples appended to the row's buffer (arena, after
 * the int32 of samples held less the prefill); a buffer of frame_size or more gives a frame and
 * drops frame_step samples, else that frame is left as it was and output_valid is false. */
void tflite_signal_framer_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_FRAMER_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_FRAMER_OUTPUT, arena);
    uint8_t *valid = tfl_output(p, TFL_SIGNAL_FRAMER_OUTPUT_VALID, arena);
    const int32_t frame_size = p[TFL_SIGNAL_FRAMER_FRAME_SIZE], step = p[TFL_SIGNAL_FRAMER_FRAME_STEP];
    const int32_t frames = p[TFL_SIGNAL_FRAMER_FRAMES], rows = p[TFL_SIGNAL_FRAMER_OUTER_DIMS];
    const int32_t prefill = p[TFL_SIGNAL_FRAMER_PREFILL], capacity = p[TFL_SIGNAL_FRAMER_CAPACITY];
    uint8_t *state = arena + p[TFL_SIGNAL_FRAMER_STATE];
    const int32_t held_before = prefill + tfl_load_i32(state);
    int32_t held = held_before;
    uint8_t is_valid = 1;
    for (int32_t r = 0; r < rows; r++) {
        uint8_t *buffer = state + 4 + 2 * capacity * r;
        held = held_before;
        for (int32_t f = 0; f < frames; f++) {
            memcpy(buffer + 2 * held, input + 2 * (r * frames + f) * step, 2 * (size_t)step);
            held += step;
            if (held >= frame_size) {
                memcpy(output + 2 * (r * frames + f) * frame_size, buffer, 2 * (size_t)frame_size);
                held -= step;
                for (int32_t i = 0; i < 2 * held; i++) buffer[i] = buffer[i + 2 * step];
            } else {
                is_valid = 0;
            }
        }
    }
    tfl_store_i32(state, held - prefill);
    *valid = is_valid;
}

/* ------------------------------------------------------------------------------------------
 * SignalStacker: the input's first num_channels samples appended to the buffer (arena, after the
 * int32s of samples held and first frame seen), left context + 1 times on the first invoke; a
 * full buffer goes out and drops stacker_step frames, else output_valid is false. */
void tflite_signal_stacker_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_STACKER_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_STACKER_OUTPUT, arena);
    uint8_t *valid = tfl_output(p, TFL_SIGNAL_STACKER_OUTPUT_VALID, arena);
    const int32_t channels = p[TFL_SIGNAL_STACKER_CHANNELS], buffer_size = p[TFL_SIGNAL_STACKER_BUFFER_SIZE];
    const int32_t step_size = p[TFL_SIGNAL_STACKER_STEP_SIZE];
    uint8_t *state = arena + p[TFL_SIGNAL_STACKER_STATE], *buffer = state + 8;
    int32_t held = tfl_load_i32(state);
    const int32_t copies = tfl_load_i32(state + 4) ? 1 : 1 + p[TFL_SIGNAL_STACKER_LEFT_CONTEXT];
    for (int32_t c = 0; c < copies; c++, held += channels) memcpy(buffer + 2 * held, input, 2 * (size_t)channels);
    tfl_store_i32(state + 4, 1);
    *valid = 0;
    if (held >= buffer_size) {
        memcpy(output, buffer, 2 * (size_t)buffer_size);
        held -= step_size;
        for (int32_t i = 0; i < 2 * held; i++) buffer[i] = buffer[i + 2 * step_size];
        *valid = 1;
    }
    tfl_store_i32(state, held);
}

/* ------------------------------------------------------------------------------------------
 * SignalRfft of FLOAT32: KISS FFT v1.3.0 in float, as TFLM compiles it (kiss_fft_float.cc). The
 * same recursion as signal.c's int16 one without the fixed point's divisions; twiddles are two
 * words (float r, i) in the parameter block; complex values in the arena are 8 bytes. Each line
 * keeps KISS FFT's order of float operations (C_MUL: a.r * b.r - a.i * b.i, a.r * b.i + a.i * b.r). */

typedef struct { float r, i; } cplx_f;

static cplx_f load_cf(const uint8_t *b) { cplx_f c = {tfl_load_f32(b), tfl_load_f32(b + 4)}; return c; }
static void store_cf(uint8_t *b, cplx_f c)
{
    tfl_store_f32(b, c.r);
    tfl_store_f32(b + 4, c.i);
}
static cplx_f cf_mul(cplx_f a, cplx_f b) { cplx_f c = {a.r * b.r - a.i * b.i, a.r * b.i + a.i * b.r}; return c; }
static cplx_f cf_add(cplx_f a, cplx_f b) { cplx_f c = {a.r + b.r, a.i + b.i}; return c; }
static cplx_f cf_sub(cplx_f a, cplx_f b) { cplx_f c = {a.r - b.r, a.i - b.i}; return c; }

typedef struct {
    const int32_t *p;
    uint8_t *b;      /* the arena */
    int inverse;     /* kiss_fft_alloc's inverse_fft: only the radix-4 butterfly looks at it */
} kiss_float;

static cplx_f twiddle_f(const kiss_float *k, int32_t i) { return load_cf((const uint8_t *)(k->p + k->p[TFL_SIGNAL_RFFT_TWIDDLES] + 2 * i)); }

static void kiss_float2(const kiss_float *k, int32_t fout, int32_t fstride, int32_t m)
{
    for (int32_t u = 0; u < m; u++) {
        uint8_t *f0 = k->b + fout + 8 * u, *f1 = f0 + 8 * m;
        const cplx_f t = cf_mul(load_cf(f1), twiddle_f(k, u * fstride));
        const cplx_f a = load_cf(f0);
        store_cf(f1, cf_sub(a, t));
        store_cf(f0, cf_add(a, t));
    }
}

static void kiss_float3(const kiss_float *k, int32_t fout, int32_t fstride, int32_t m)
{
    const float epi3i = twiddle_f(k, fstride * m).i;
    for (int32_t u = 0; u < m; u++) {
        uint8_t *f0 = k->b + fout + 8 * u, *f1 = f0 + 8 * m, *f2 = f1 + 8 * m;
        const cplx_f s1 = cf_mul(load_cf(f1), twiddle_f(k, u * fstride)), s2 = cf_mul(load_cf(f2), twiddle_f(k, 2 * u * fstride));
        const cplx_f s3 = cf_add(s1, s2);
        cplx_f s0 = cf_sub(s1, s2);
        const cplx_f a = load_cf(f0);
        /* HALF_OF is * 0.5f; C_MULBYSCALAR multiplies each part. */
        const cplx_f h = {a.r - s3.r * 0.5f, a.i - s3.i * 0.5f};
        s0.r *= epi3i;
        s0.i *= epi3i;
        store_cf(f0, cf_add(a, s3));
        const cplx_f o2 = {h.r + s0.i, h.i - s0.r}, o1 = {h.r - s0.i, h.i + s0.r};
        store_cf(f2, o2);
        store_cf(f1, o1);
    }
}

static void kiss_float4(const kiss_float *k, int32_t fout, int32_t fstride, int32_t m)
{
    for (int32_t u = 0; u < m; u++) {
        uint8_t *f0 = k->b + fout + 8 * u, *f1 = f0 + 8 * m, *f2 = f1 + 8 * m, *f3 = f2 + 8 * m;
        const cplx_f s0 = cf_mul(load_cf(f1), twiddle_f(k, u * fstride));
        const cplx_f s1 = cf_mul(load_cf(f2), twiddle_f(k, 2 * u * fstride));
        const cplx_f s2 = cf_mul(load_cf(f3), twiddle_f(k, 3 * u * fstride));
        cplx_f a = load_cf(f0);
        const cplx_f s5 = cf_sub(a, s1);
        a = cf_add(a, s1);
        const cplx_f s3 = cf_add(s0, s2), s4 = cf_sub(s0, s2);
        store_cf(f2, cf_sub(a, s3));
        store_cf(f0, cf_add(a, s3));
        /* The forward transform multiplies the odd difference by -i, the inverse by i. */
        if (k->inverse) {
            const cplx_f o1 = {s5.r - s4.i, s5.i + s4.r}, o3 = {s5.r + s4.i, s5.i - s4.r};
            store_cf(f1, o1);
            store_cf(f3, o3);
        } else {
            const cplx_f o1 = {s5.r + s4.i, s5.i - s4.r}, o3 = {s5.r - s4.i, s5.i + s4.r};
            store_cf(f1, o1);
            store_cf(f3, o3);
        }
    }
}

static void kiss_float5(const kiss_float *k, int32_t fout, int32_t fstride, int32_t m)
{
    const cplx_f ya = twiddle_f(k, fstride * m), yb = twiddle_f(k, 2 * fstride * m);
    for (int32_t u = 0; u < m; u++) {
        uint8_t *f0 = k->b + fout + 8 * u, *f1 = f0 + 8 * m, *f2 = f1 + 8 * m, *f3 = f2 + 8 * m, *f4 = f3 + 8 * m;
        const cplx_f s0 = load_cf(f0);
        const cplx_f s1 = cf_mul(load_cf(f1), twiddle_f(k, u * fstride));
        const cplx_f s2 = cf_mul(load_cf(f2), twiddle_f(k, 2 * u * fstride));
        const cplx_f s3 = cf_mul(load_cf(f3), twiddle_f(k, 3 * u * fstride));
        const cplx_f s4 = cf_mul(load_cf(f4), twiddle_f(k, 4 * u * fstride));
        const cplx_f s7 = cf_add(s1, s4), s10 = cf_sub(s1, s4), s8 = cf_add(s2, s3), s9 = cf_sub(s2, s3);
        const cplx_f o0 = {s0.r + (s7.r + s8.r), s0.i + (s7.i + s8.i)};
        store_cf(f0, o0);
        const cplx_f s5 = {s0.r + s7.r * ya.r + s8.r * yb.r, s0.i + s7.i * ya.r + s8.i * yb.r};
        const cplx_f s6 = {s10.i * ya.i + s9.i * yb.i, -(s10.r * ya.i) - s9.r * yb.i};
        store_cf(f1, cf_sub(s5, s6));
        store_cf(f4, cf_add(s5, s6));
        const cplx_f s11 = {s0.r + s7.r * yb.r + s8.r * ya.r, s0.i + s7.i * yb.r + s8.i * ya.r};
        const cplx_f s12 = {-(s10.i * yb.i) + s9.i * ya.i, s10.r * yb.i - s9.r * ya.i};
        store_cf(f2, cf_add(s11, s12));
        store_cf(f3, cf_sub(s11, s12));
    }
}

/* kf_work: the FFT of the complex values at f, f + fstride, ... (arena offsets, 8 bytes each)
 * into fout .. fout + radix * m - 1, for stage `stage` on. */
static void kiss_float_work(const kiss_float *k, int32_t fout, int32_t f, int32_t fstride, int32_t stage)
{
    const int32_t radix = k->p[TFL_SIGNAL_RFFT_FACTORS + 2 * stage], m = k->p[TFL_SIGNAL_RFFT_FACTORS + 2 * stage + 1];
    if (m == 1)
        for (int32_t q = 0; q < radix; q++) memcpy(k->b + fout + 8 * q, k->b + f + 8 * q * fstride, 8);
    else
        for (int32_t q = 0; q < radix; q++) kiss_float_work(k, fout + 8 * q * m, f + 8 * q * fstride, fstride * radix, stage + 1);
    if (radix == 2) kiss_float2(k, fout, fstride, m);
    else if (radix == 3) kiss_float3(k, fout, fstride, m);
    else if (radix == 4) kiss_float4(k, fout, fstride, m);
    else kiss_float5(k, fout, fstride, m);
}

void tflite_signal_rfft_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_RFFT_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_RFFT_OUTPUT, arena);
    const int32_t fft_length = p[TFL_SIGNAL_RFFT_FFT_LENGTH], input_length = p[TFL_SIGNAL_RFFT_INPUT_LENGTH];
    const int32_t rows = p[TFL_SIGNAL_RFFT_ROWS], work = p[TFL_SIGNAL_RFFT_WORK], tmp = p[TFL_SIGNAL_RFFT_TMP];
    const int32_t n = fft_length >> 1;
    const uint8_t *super_tw = (const uint8_t *)(p + p[TFL_SIGNAL_RFFT_SUPER_TWIDDLES]);
    const kiss_float k = {p, arena, 0};
    for (int32_t row = 0; row < rows; row++) {
        memcpy(arena + work, input + 4 * row * input_length, 4 * (size_t)input_length);
        memset(arena + work + 4 * input_length, 0, 4 * (size_t)(fft_length - input_length));
        kiss_float_work(&k, tmp, work, 1, 0);
        /* kiss_fftr's split: DC and Nyquist from bin 0, then bins k and n - k together. */
        uint8_t *out = output + 8 * row * (n + 1);
        const cplx_f dc = load_cf(arena + tmp);
        const cplx_f o0 = {dc.r + dc.i, 0}, on = {dc.r - dc.i, 0};
        store_cf(out, o0);
        store_cf(out + 8 * n, on);
        for (int32_t j = 1; j <= (n >> 1); j++) {
            const cplx_f fpk = load_cf(arena + tmp + 8 * j);
            cplx_f fpnk = load_cf(arena + tmp + 8 * (n - j));
            fpnk.i = -fpnk.i;
            const cplx_f f1 = cf_add(fpk, fpnk), f2 = cf_sub(fpk, fpnk);
            const cplx_f tw = cf_mul(f2, load_cf(super_tw + 8 * (j - 1)));
            const cplx_f a = {(f1.r + tw.r) * 0.5f, (f1.i + tw.i) * 0.5f}, b = {(f1.r - tw.r) * 0.5f, (tw.i - f1.i) * 0.5f};
            store_cf(out + 8 * j, a);
            store_cf(out + 8 * (n - j), b);
        }
    }
}

/* ------------------------------------------------------------------------------------------
 * SignalIrfft of FLOAT32: kiss_fftri (the n + 1 bins folded into n complex values in Tmp), the
 * inverse complex FFT into Work, each sample divided by fft_length (IrfftFloatApply). */
void tflite_signal_irfft_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_RFFT_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_RFFT_OUTPUT, arena);
    const int32_t fft_length = p[TFL_SIGNAL_RFFT_FFT_LENGTH], rows = p[TFL_SIGNAL_RFFT_ROWS];
    const int32_t work = p[TFL_SIGNAL_RFFT_WORK], tmp = p[TFL_SIGNAL_RFFT_TMP];
    const int32_t n = fft_length >> 1;
    const uint8_t *super_tw = (const uint8_t *)(p + p[TFL_SIGNAL_RFFT_SUPER_TWIDDLES]);
    const kiss_float k = {p, arena, 1};
    for (int32_t row = 0; row < rows; row++) {
        const uint8_t *bins = input + 8 * row * (n + 1);
        const cplx_f f0 = load_cf(bins), fn = load_cf(bins + 8 * n);
        const cplx_f t0 = {f0.r + fn.r, f0.r - fn.r};
        store_cf(arena + tmp, t0);
        for (int32_t j = 1; j <= (n >> 1); j++) {
            const cplx_f fk = load_cf(bins + 8 * j);
            cplx_f fnkc = load_cf(bins + 8 * (n - j));
            fnkc.i = -fnkc.i;
            const cplx_f fek = cf_add(fk, fnkc);
            const cplx_f fok = cf_mul(cf_sub(fk, fnkc), load_cf(super_tw + 8 * (j - 1)));
            store_cf(arena + tmp + 8 * j, cf_add(fek, fok));
            /* Bin n - j: the difference, its imaginary part negated (j = n / 2 overwrites bin j). */
            cplx_f d = cf_sub(fek, fok);
            d.i = -d.i;
            store_cf(arena + tmp + 8 * (n - j), d);
        }
        kiss_float_work(&k, work, tmp, 1, 0);
        uint8_t *out = output + 4 * row * fft_length;
        for (int32_t i = 0; i < fft_length; i++) tfl_store_f32(out + 4 * i, tfl_load_f32(arena + work + 4 * i) / (float)fft_length);
    }
}

/* ------------------------------------------------------------------------------------------
 * SignalRfft of INT32, SignalIrfft of INT16 and INT32: KISS FFT in fixed point, FIXED_POINT 32
 * (int64 products, FRACBITS 31) or 16 (int32 products, FRACBITS 15), one engine for both widths
 * (kernel_signal2.ts explains it). Complex values in the arena are two int32 whatever the width;
 * twiddles are two int32 words. Sums wrap as stored into the width (done in uint32: no UB). */

typedef struct { int32_t r, i; } cplx_x;

typedef struct {
    const int32_t *p;
    uint8_t *b;
    int inverse;
    int wide;   /* FIXED_POINT 32, else 16 */
} kiss_fixed;

static cplx_x load_cx(const uint8_t *b) { cplx_x c = {tfl_load_i32(b), tfl_load_i32(b + 4)}; return c; }
static void store_cx(uint8_t *b, cplx_x c)
{
    tfl_store_i32(b, c.r);
    tfl_store_i32(b + 4, c.i);
}

/* A value stored into a kiss_fft_scalar: x mod 2^32, then to int32 or int16. */
static int32_t fx_store(const kiss_fixed *k, uint32_t x) { return k->wide ? (int32_t)x : (int16_t)x; }
static int32_t fx_add(const kiss_fixed *k, int32_t a, int32_t b) { return fx_store(k, (uint32_t)a + (uint32_t)b); }
static int32_t fx_sub(const kiss_fixed *k, int32_t a, int32_t b) { return fx_store(k, (uint32_t)a - (uint32_t)b); }

/* sround(a * b + sign * c * d): int64 for FIXED_POINT 32, int32 (wrapping) for 16. */
static int32_t fx_mul(const kiss_fixed *k, int32_t a, int32_t b, int32_t c, int32_t d, int sign)
{
    if (k->wide) {
        const int64_t p = (int64_t)a * b + (sign > 0 ? (int64_t)c * d : -((int64_t)c * d));
        return (int32_t)(uint32_t)(uint64_t)((p + (1LL << 30)) >> 31);
    }
    const uint32_t p = (uint32_t)(a * b) + (sign > 0 ? (uint32_t)(c * d) : -(uint32_t)(c * d));
    return (int16_t)((int32_t)(p + 16384u) >> 15);
}

static cplx_x fx_cmul(const kiss_fixed *k, cplx_x a, cplx_x t)
{
    cplx_x c = {fx_mul(k, a.r, t.r, a.i, t.i, -1), fx_mul(k, a.r, t.i, a.i, t.r, 1)};
    return c;
}

static cplx_x fx_div(const kiss_fixed *k, cplx_x c, int32_t radix)
{
    const int32_t s = (k->wide ? 2147483647 : 32767) / radix;
    cplx_x d = {fx_mul(k, c.r, s, 0, 0, 1), fx_mul(k, c.i, s, 0, 0, 1)};
    return d;
}

static cplx_x twiddle_x(const kiss_fixed *k, int32_t i)
{
    const int32_t *w = k->p + k->p[TFL_SIGNAL_RFFT_TWIDDLES] + 2 * i;
    cplx_x c = {w[0], w[1]};
    return c;
}

static void kiss_fixed_work(const kiss_fixed *k, int32_t fout, int32_t f, int32_t fstride, int32_t stage)
{
    const int32_t radix = k->p[TFL_SIGNAL_RFFT_FACTORS + 2 * stage], m = k->p[TFL_SIGNAL_RFFT_FACTORS + 2 * stage + 1];
    if (m == 1)
        for (int32_t q = 0; q < radix; q++) memcpy(k->b + fout + 8 * q, k->b + f + 8 * q * fstride, 8);
    else
        for (int32_t q = 0; q < radix; q++) kiss_fixed_work(k, fout + 8 * q * m, f + 8 * q * fstride, fstride * radix, stage + 1);
    for (int32_t u = 0; u < m; u++) {
        uint8_t *at[5];
        cplx_x x[5];
        for (int32_t q = 0; q < radix; q++) {
            at[q] = k->b + fout + 8 * (u + q * m);
            x[q] = fx_div(k, load_cx(at[q]), radix);
        }
        if (radix == 2) {
            const cplx_x t = fx_cmul(k, x[1], twiddle_x(k, u * fstride));
            const cplx_x o1 = {fx_sub(k, x[0].r, t.r), fx_sub(k, x[0].i, t.i)}, o0 = {fx_add(k, x[0].r, t.r), fx_add(k, x[0].i, t.i)};
            store_cx(at[1], o1);
            store_cx(at[0], o0);
        } else if (radix == 3) {
            const int32_t epi3i = twiddle_x(k, fstride * m).i;
            const cplx_x s1 = fx_cmul(k, x[1], twiddle_x(k, u * fstride)), s2 = fx_cmul(k, x[2], twiddle_x(k, 2 * u * fstride));
            const cplx_x s3 = {fx_add(k, s1.r, s2.r), fx_add(k, s1.i, s2.i)};
            const int32_t f1r = fx_sub(k, x[0].r, s3.r >> 1), f1i = fx_sub(k, x[0].i, s3.i >> 1);
            const int32_t s0r = fx_mul(k, fx_sub(k, s1.r, s2.r), epi3i, 0, 0, 1), s0i = fx_mul(k, fx_sub(k, s1.i, s2.i), epi3i, 0, 0, 1);
            const cplx_x o0 = {fx_add(k, x[0].r, s3.r), fx_add(k, x[0].i, s3.i)};
            const cplx_x o2 = {fx_add(k, f1r, s0i), fx_sub(k, f1i, s0r)}, o1 = {fx_sub(k, f1r, s0i), fx_add(k, f1i, s0r)};
            store_cx(at[0], o0);
            store_cx(at[2], o2);
            store_cx(at[1], o1);
        } else if (radix == 4) {
            const cplx_x s0 = fx_cmul(k, x[1], twiddle_x(k, u * fstride));
            const cplx_x s1 = fx_cmul(k, x[2], twiddle_x(k, 2 * u * fstride));
            const cplx_x s2 = fx_cmul(k, x[3], twiddle_x(k, 3 * u * fstride));
            const cplx_x s5 = {fx_sub(k, x[0].r, s1.r), fx_sub(k, x[0].i, s1.i)};
            const cplx_x a = {fx_add(k, x[0].r, s1.r), fx_add(k, x[0].i, s1.i)};
            const cplx_x s3 = {fx_add(k, s0.r, s2.r), fx_add(k, s0.i, s2.i)}, s4 = {fx_sub(k, s0.r, s2.r), fx_sub(k, s0.i, s2.i)};
            const cplx_x o2 = {fx_sub(k, a.r, s3.r), fx_sub(k, a.i, s3.i)}, o0 = {fx_add(k, a.r, s3.r), fx_add(k, a.i, s3.i)};
            store_cx(at[2], o2);
            store_cx(at[0], o0);
            /* The forward transform multiplies the odd difference by -i, the inverse by i. */
            const cplx_x fw1 = {fx_add(k, s5.r, s4.i), fx_sub(k, s5.i, s4.r)}, fw3 = {fx_sub(k, s5.r, s4.i), fx_add(k, s5.i, s4.r)};
            store_cx(at[1], k->inverse ? fw3 : fw1);
            store_cx(at[3], k->inverse ? fw1 : fw3);
        } else {
            const cplx_x ya = twiddle_x(k, fstride * m), yb = twiddle_x(k, 2 * fstride * m);
            const cplx_x s0 = x[0];
            const cplx_x s1 = fx_cmul(k, x[1], twiddle_x(k, u * fstride)), s2 = fx_cmul(k, x[2], twiddle_x(k, 2 * u * fstride));
            const cplx_x s3 = fx_cmul(k, x[3], twiddle_x(k, 3 * u * fstride)), s4 = fx_cmul(k, x[4], twiddle_x(k, 4 * u * fstride));
            const cplx_x s7 = {fx_add(k, s1.r, s4.r), fx_add(k, s1.i, s4.i)}, s10 = {fx_sub(k, s1.r, s4.r), fx_sub(k, s1.i, s4.i)};
            const cplx_x s8 = {fx_add(k, s2.r, s3.r), fx_add(k, s2.i, s3.i)}, s9 = {fx_sub(k, s2.r, s3.r), fx_sub(k, s2.i, s3.i)};
#define SM(a, b) fx_mul(k, (a), (b), 0, 0, 1)
            const cplx_x o0 = {fx_add(k, s0.r, fx_add(k, s7.r, s8.r)), fx_add(k, s0.i, fx_add(k, s7.i, s8.i))};
            store_cx(at[0], o0);
            const cplx_x s5 = {fx_add(k, fx_add(k, s0.r, SM(s7.r, ya.r)), SM(s8.r, yb.r)), fx_add(k, fx_add(k, s0.i, SM(s7.i, ya.r)), SM(s8.i, yb.r))};
            const cplx_x s6 = {fx_add(k, SM(s10.i, ya.i), SM(s9.i, yb.i)), fx_sub(k, fx_sub(k, 0, SM(s10.r, ya.i)), SM(s9.r, yb.i))};
            const cplx_x o1 = {fx_sub(k, s5.r, s6.r), fx_sub(k, s5.i, s6.i)}, o4 = {fx_add(k, s5.r, s6.r), fx_add(k, s5.i, s6.i)};
            store_cx(at[1], o1);
            store_cx(at[4], o4);
            const cplx_x s11 = {fx_add(k, fx_add(k, s0.r, SM(s7.r, yb.r)), SM(s8.r, ya.r)), fx_add(k, fx_add(k, s0.i, SM(s7.i, yb.r)), SM(s8.i, ya.r))};
            const cplx_x s12 = {fx_add(k, fx_sub(k, 0, SM(s10.i, yb.i)), SM(s9.i, ya.i)), fx_sub(k, SM(s10.r, yb.i), SM(s9.r, ya.i))};
#undef SM
            const cplx_x o2 = {fx_add(k, s11.r, s12.r), fx_add(k, s11.i, s12.i)}, o3 = {fx_sub(k, s11.r, s12.r), fx_sub(k, s11.i, s12.i)};
            store_cx(at[2], o2);
            store_cx(at[3], o3);
        }
    }
}

void tflite_signal_rfft_int32(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_RFFT_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_RFFT_OUTPUT, arena);
    const int32_t fft_length = p[TFL_SIGNAL_RFFT_FFT_LENGTH], input_length = p[TFL_SIGNAL_RFFT_INPUT_LENGTH];
    const int32_t rows = p[TFL_SIGNAL_RFFT_ROWS], work = p[TFL_SIGNAL_RFFT_WORK], tmp = p[TFL_SIGNAL_RFFT_TMP];
    const int32_t n = fft_length >> 1;
    const kiss_fixed k = {p, arena, 0, 1};
    for (int32_t row = 0; row < rows; row++) {
        memcpy(arena + work, input + 4 * row * input_length, 4 * (size_t)input_length);
        memset(arena + work + 4 * input_length, 0, 4 * (size_t)(fft_length - input_length));
        kiss_fixed_work(&k, tmp, work, 1, 0);
        uint8_t *out = output + 8 * row * (n + 1);
        const cplx_x dc = fx_div(&k, load_cx(arena + tmp), 2);
        const cplx_x o0 = {fx_add(&k, dc.r, dc.i), 0}, on = {fx_sub(&k, dc.r, dc.i), 0};
        store_cx(out, o0);
        store_cx(out + 8 * n, on);
        for (int32_t j = 1; j <= (n >> 1); j++) {
            const cplx_x fpk = fx_div(&k, load_cx(arena + tmp + 8 * j), 2);
            cplx_x fpnk = load_cx(arena + tmp + 8 * (n - j));
            fpnk.i = fx_sub(&k, 0, fpnk.i);
            fpnk = fx_div(&k, fpnk, 2);
            const cplx_x f1 = {fx_add(&k, fpk.r, fpnk.r), fx_add(&k, fpk.i, fpnk.i)}, f2 = {fx_sub(&k, fpk.r, fpnk.r), fx_sub(&k, fpk.i, fpnk.i)};
            const cplx_x tw = fx_cmul(&k, f2, twiddle_x(&k, n + j - 1));
            /* HALF_OF of a sum in int: x >> 1 of the wrapped sum. */
            const cplx_x a = {fx_add(&k, f1.r, tw.r) >> 1, fx_add(&k, f1.i, tw.i) >> 1};
            const cplx_x b = {fx_sub(&k, f1.r, tw.r) >> 1, fx_sub(&k, tw.i, f1.i) >> 1};
            store_cx(out + 8 * j, a);
            store_cx(out + 8 * (n - j), b);
        }
    }
}

/* kiss_fftri in fixed point over rows of n + 1 complex int16 (size 2) or int32 (size 4) bins. */
static void irfft_fixed(int32_t *p, const uint8_t *model, uint8_t *arena, int wide)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_RFFT_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_RFFT_OUTPUT, arena);
    const int32_t fft_length = p[TFL_SIGNAL_RFFT_FFT_LENGTH], rows = p[TFL_SIGNAL_RFFT_ROWS];
    const int32_t work = p[TFL_SIGNAL_RFFT_WORK], tmp = p[TFL_SIGNAL_RFFT_TMP];
    const int32_t n = fft_length >> 1, size = wide ? 4 : 2;
    const kiss_fixed k = {p, arena, 1, wide};
    for (int32_t row = 0; row < rows; row++) {
        const uint8_t *bins = input + 2 * size * row * (n + 1);
#define BIN(j, part) (wide ? tfl_load_i32(bins + 8 * (j) + 4 * (part)) : tfl_load_i16(bins + 4 * (j) + 2 * (part)))
        const cplx_x t0 = {fx_add(&k, BIN(0, 0), BIN(n, 0)), fx_sub(&k, BIN(0, 0), BIN(n, 0))};
        store_cx(arena + tmp, fx_div(&k, t0, 2));
        for (int32_t j = 1; j <= (n >> 1); j++) {
            const cplx_x fk0 = {BIN(j, 0), BIN(j, 1)}, fnkc0 = {BIN(n - j, 0), fx_sub(&k, 0, BIN(n - j, 1))};
            const cplx_x fk = fx_div(&k, fk0, 2), fnkc = fx_div(&k, fnkc0, 2);
            const cplx_x fek = {fx_add(&k, fk.r, fnkc.r), fx_add(&k, fk.i, fnkc.i)}, d = {fx_sub(&k, fk.r, fnkc.r), fx_sub(&k, fk.i, fnkc.i)};
            const cplx_x fok = fx_cmul(&k, d, twiddle_x(&k, n + j - 1));
            const cplx_x a = {fx_add(&k, fek.r, fok.r), fx_add(&k, fek.i, fok.i)};
            const cplx_x b = {fx_sub(&k, fek.r, fok.r), fx_sub(&k, 0, fx_sub(&k, fek.i, fok.i))};
            store_cx(arena + tmp + 8 * j, a);
            store_cx(arena + tmp + 8 * (n - j), b);
        }
#undef BIN
        kiss_fixed_work(&k, work, tmp, 1, 0);
        uint8_t *out = output + size * row * fft_length;
        for (int32_t i = 0; i < fft_length; i++) {
            const int32_t v = tfl_load_i32(arena + work + 4 * i);
            if (wide) tfl_store_i32(out + 4 * i, v);
            else tfl_store_i16(out + 2 * i, v);
        }
    }
}

void tflite_signal_irfft_int16(int32_t *p, const uint8_t *model, uint8_t *arena) { irfft_fixed(p, model, arena, 0); }
void tflite_signal_irfft_int32(int32_t *p, const uint8_t *model, uint8_t *arena) { irfft_fixed(p, model, arena, 1); }
