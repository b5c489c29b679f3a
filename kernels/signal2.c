/* The stateful framing ops of TFLM's Signal library and the FFTs of types other than int16, which
 * the speech front end does not use (in the board's all-ops build only). Parameter blocks: enum
 * tfl_signal_delay ... (libs/tflite/kernel_signal2.ts, where each op is explained). */
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
