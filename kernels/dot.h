/* The int8 dot products under FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D, in two versions
 * chosen at compile time (TFL_DSP, below):
 *
 *   portable C: any C99 compiler, the Cortex-M0, the host;
 *   TFL_DSP=1 (the default where __ARM_FEATURE_DSP is defined): the Cortex-M4/M7/M33 DSP
 *     instructions. SXTB16/SXTAB16 sign-extend two int8 lanes into two int16 lanes (SXTAB16
 *     adding an offset to both on the way), SMLAD multiplies two pairs of int16 lanes and adds
 *     both products to an accumulator: two multiply-accumulates per instruction;
 *     SMLABB/SMLATB/SMLATT one, on a chosen lane of each operand.
 *
 * Both give the same bits: every term (x + x_offset) * (w + w_offset) is an exact product of two
 * values in [-255, 255] (int16 lanes hold them without wrapping), and the accumulators wrap as
 * uint32 (TFLM's int32), so the order of the additions does not matter. The replay proves it:
 * the DSP build is replayed against the same recordings as the portable one. */
#ifndef TFLITE_DOT_H
#define TFLITE_DOT_H

#include "kernel_util.h"

/* TFL_DSP=0 forces the portable C; by default the DSP path is used wherever the CPU has it. */
#ifndef TFL_DSP
#if defined(__ARM_FEATURE_DSP)
#define TFL_DSP 1
#else
#define TFL_DSP 0
#endif
#endif

#if TFL_DSP
#if !defined(__ARM_FEATURE_DSP)
#error "TFL_DSP=1 needs a CPU with the DSP extension (Cortex-M4, M7, M33)"
#endif
#include <arm_acle.h>

/* SXTB16 / SXTAB16 of the value rotated right by 8: the bytes 1 and 3. (GCC does not fold a
 * separate rotate into these instructions.) */
static inline uint32_t tfl_sxtb16_ror8(uint32_t x)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
}
static inline uint32_t tfl_sxtab16_ror8(uint32_t a, uint32_t x)
{
    uint32_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
    return r;
}

/* v in both int16 lanes. */
static inline uint32_t tfl_dup16(int32_t v)
{
    return ((uint32_t)v & 0xffffu) | ((uint32_t)v << 16);
}
#endif

#if TFL_DSP
/* Two weight rows against one input vector, n a multiple of 4: per 4 inputs, 3 loads, 6
 * extensions and 4 SMLADs for 8 multiply-accumulates. (Four rows at once would share more, but
 * GCC then runs out of registers and spills inside the loop.) */
static inline void tfl_dot2_s8_dsp(const int8_t *x, const int8_t *w0, const int8_t *w1, int32_t n,
    uint32_t xo, uint32_t wo, uint32_t *acc0, uint32_t *acc1)
{
    uint32_t a0 = *acc0, a1 = *acc1;
    const int8_t *end = x + n;
    for (; x != end; x += 4, w0 += 4, w1 += 4) {
        const uint32_t xv = tfl_load_u32((const uint8_t *)x);
        const uint32_t x02 = __sxtab16(xo, xv), x13 = tfl_sxtab16_ror8(xo, xv);
        const uint32_t v0 = tfl_load_u32((const uint8_t *)w0), v1 = tfl_load_u32((const uint8_t *)w1);
        a0 = (uint32_t)__smlad(x02, __sxtab16(wo, v0), (int32_t)a0);
        a1 = (uint32_t)__smlad(x02, __sxtab16(wo, v1), (int32_t)a1);
        a0 = (uint32_t)__smlad(x13, tfl_sxtab16_ror8(wo, v0), (int32_t)a0);
        a1 = (uint32_t)__smlad(x13, tfl_sxtab16_ror8(wo, v1), (int32_t)a1);
    }
    *acc0 = a0;
    *acc1 = a1;
}
#endif

/* acc[k] += sum_i (x[i] + x_offset) * (w[k * stride + i] + w_offset) for k = 0..3: four weight rows
 * against one input vector (the portable loop loads each input once for the four rows). */
static inline void tfl_dot4_s8(const int8_t *x, const int8_t *w, int32_t stride, int32_t n,
    int32_t x_offset, int32_t w_offset, uint32_t acc[4])
{
    uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    const int8_t *w0 = w, *w1 = w + stride, *w2 = w + 2 * stride, *w3 = w + 3 * stride;
    int32_t i = 0;
#if TFL_DSP
    const uint32_t xo = tfl_dup16(x_offset), wo = tfl_dup16(w_offset);
    i = n & ~3;
    tfl_dot2_s8_dsp(x, w0, w1, i, xo, wo, &a0, &a1);
    tfl_dot2_s8_dsp(x, w2, w3, i, xo, wo, &a2, &a3);
#endif
    for (; i < n; i++) {
        const int32_t xi = x[i] + x_offset;
        a0 += (uint32_t)((w0[i] + w_offset) * xi);
        a1 += (uint32_t)((w1[i] + w_offset) * xi);
        a2 += (uint32_t)((w2[i] + w_offset) * xi);
        a3 += (uint32_t)((w3[i] + w_offset) * xi);
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

/* Two input vectors against two weight rows, all four `stride` bytes apart (the pixels and filters
 * of a 1x1 convolution): acc[2 * j + k] += sum_i x[j * stride + i] * w[k * stride + i], the input
 * offset left to the caller (folded into the accumulators' start). Each word loaded serves two
 * rows: per 4 inputs, 4 loads, 8 extensions and 8 SMLADs for 16 multiply-accumulates; without an
 * offset to add, the loop's values fit the registers (no spills). */
static inline void tfl_dot2x2_s8(const int8_t *x, const int8_t *w, int32_t stride, int32_t n, uint32_t acc[4])
{
    uint32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
    int32_t i = 0;
#if TFL_DSP
    if (n >= 4) {
        /* In assembly: GCC's allocation of the same C spills an accumulator and the end pointer
         * inside the loop. The loop needs every register but sp and pc: 4 pointers or counts, 4
         * accumulators, 6 temporaries (the words of x, the second row y and w0/w1 and their
         * extensions). The second rows are read at stride - 4 from the post-incremented pointers.
         * An odd 4-byte step first, then the loop takes two per compare and branch. */
        const int8_t *end = x + (n & ~3);
        const int32_t next = stride - 4;
        uint32_t t0, t1, t2, t3, t4, t5;
#define TFL_DOT2X2_STEP \
            "ldr %[t1], [%[w]], #4\n\t" \
            "ldr %[t3], [%[x]], #4\n\t" \
            "sxtb16 %[t4], %[t1]\n\t" \
            "sxtb16 %[t1], %[t1], ror #8\n\t" \
            "sxtb16 %[t5], %[t3]\n\t" \
            "sxtb16 %[t3], %[t3], ror #8\n\t" \
            "smlad %[a00], %[t5], %[t4], %[a00]\n\t" \
            "smlad %[a00], %[t3], %[t1], %[a00]\n\t" \
            "ldr %[t2], [%[x], %[next]]\n\t" \
            "sxtb16 %[t0], %[t2]\n\t" \
            "sxtb16 %[t2], %[t2], ror #8\n\t" \
            "smlad %[a10], %[t0], %[t4], %[a10]\n\t" \
            "smlad %[a10], %[t2], %[t1], %[a10]\n\t" \
            "ldr %[t1], [%[w], %[next]]\n\t" \
            "sxtb16 %[t4], %[t1]\n\t" \
            "sxtb16 %[t1], %[t1], ror #8\n\t" \
            "smlad %[a01], %[t5], %[t4], %[a01]\n\t" \
            "smlad %[a01], %[t3], %[t1], %[a01]\n\t" \
            "smlad %[a11], %[t0], %[t4], %[a11]\n\t" \
            "smlad %[a11], %[t2], %[t1], %[a11]\n\t"
#define TFL_DOT2X2_OPERANDS \
            : [x] "+r"(x), [w] "+r"(w), [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10), [a11] "+r"(a11), \
              [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4), [t5] "=&r"(t5) \
            : [end] "r"(end), [next] "r"(next) \
            : "cc", "memory"
        if (n & 4) __asm__(TFL_DOT2X2_STEP TFL_DOT2X2_OPERANDS);
        if (n >= 8) __asm__("1:\n\t" TFL_DOT2X2_STEP TFL_DOT2X2_STEP "cmp %[x], %[end]\n\t" "bne 1b" TFL_DOT2X2_OPERANDS);
#undef TFL_DOT2X2_STEP
#undef TFL_DOT2X2_OPERANDS
    }
    n &= 3;
#endif
    for (; i < n; i++) {
        const int32_t xa = x[i], xb = x[stride + i];
        a00 += (uint32_t)(xa * w[i]);
        a01 += (uint32_t)(xa * w[stride + i]);
        a10 += (uint32_t)(xb * w[i]);
        a11 += (uint32_t)(xb * w[stride + i]);
    }
    acc[0] = a00;
    acc[1] = a01;
    acc[2] = a10;
    acc[3] = a11;
}

/* sum_i w[i] (the input offset's share of a dot product is x_offset times it). */
static inline uint32_t tfl_sum_s8(const int8_t *w, int32_t n)
{
    uint32_t sum = 0;
    int32_t i = 0;
#if TFL_DSP
    /* USADA8 adds four bytes' distances from 0: w + 128 each, after flipping their sign bits. */
    for (; i + 4 <= n; i += 4) sum = __usada8(tfl_load_u32((const uint8_t *)w + i) ^ 0x80808080u, 0, sum);
    sum -= 128u * (uint32_t)i;
#endif
    for (; i < n; i++) sum += (uint32_t)w[i];
    return sum;
}

/* sum_i (x[i] + x_offset) * (w[i] + w_offset), added to acc. */
static inline uint32_t tfl_dot_s8(const int8_t *x, const int8_t *w, int32_t n, int32_t x_offset, int32_t w_offset, uint32_t acc)
{
    int32_t i = 0;
#if TFL_DSP
    const uint32_t xo = tfl_dup16(x_offset), wo = tfl_dup16(w_offset);
    for (; i + 4 <= n; i += 4) {
        const uint32_t xv = tfl_load_u32((const uint8_t *)x + i), wv = tfl_load_u32((const uint8_t *)w + i);
        acc = (uint32_t)__smlad(__sxtab16(xo, xv), __sxtab16(wo, wv), (int32_t)acc);
        acc = (uint32_t)__smlad(tfl_sxtab16_ror8(xo, xv), tfl_sxtab16_ror8(wo, wv), (int32_t)acc);
    }
#endif
    for (; i < n; i++) acc += (uint32_t)((w[i] + w_offset) * (x[i] + x_offset));
    return acc;
}

/* Depthwise, four output channels over a window of rows x taps positions: the input at x
 * (+ x_offset; x += x_step per tap, x_row per row) and four consecutive filter values at w
 * (w += w_step per tap, w_row per row). `shared`: the four channels read the same input channel
 * (depth multiplier a multiple of 4); else four consecutive ones (depth multiplier 1).
 * acc[k] = sum of w[k] * (x[shared ? 0 : k] + x_offset). */
static inline void tfl_dw4_window(const int8_t *x, int32_t x_step, int32_t x_row, int32_t x_offset,
    const int8_t *w, int32_t w_step, int32_t w_row, int32_t rows, int32_t taps, int shared, uint32_t acc[4])
{
    uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
#if TFL_DSP
    const uint32_t xo = tfl_dup16(x_offset);
#endif
    for (int32_t r = 0; r < rows; r++, x += x_row, w += w_row) {
        const int8_t *xt = x, *wt = w;
        for (int32_t t = 0; t < taps; t++, xt += x_step, wt += w_step) {
#if TFL_DSP
            const uint32_t wv = tfl_load_u32((const uint8_t *)wt);
            const uint32_t w02 = __sxtb16(wv), w13 = tfl_sxtb16_ror8(wv);
            if (shared) {
                const int32_t xv = *xt + x_offset;
                a0 = (uint32_t)__smlabb(w02, xv, (int32_t)a0);
                a2 = (uint32_t)__smlatb(w02, xv, (int32_t)a2);
                a1 = (uint32_t)__smlabb(w13, xv, (int32_t)a1);
                a3 = (uint32_t)__smlatb(w13, xv, (int32_t)a3);
            } else {
                const uint32_t xv = tfl_load_u32((const uint8_t *)xt);
                const uint32_t x02 = __sxtab16(xo, xv), x13 = tfl_sxtab16_ror8(xo, xv);
                a0 = (uint32_t)__smlabb(x02, w02, (int32_t)a0);
                a2 = (uint32_t)__smlatt(x02, w02, (int32_t)a2);
                a1 = (uint32_t)__smlabb(x13, w13, (int32_t)a1);
                a3 = (uint32_t)__smlatt(x13, w13, (int32_t)a3);
            }
#else
            if (shared) {
                const int32_t xv = *xt + x_offset;
                a0 += (uint32_t)(wt[0] * xv);
                a1 += (uint32_t)(wt[1] * xv);
                a2 += (uint32_t)(wt[2] * xv);
                a3 += (uint32_t)(wt[3] * xv);
            } else {
                a0 += (uint32_t)(wt[0] * (xt[0] + x_offset));
                a1 += (uint32_t)(wt[1] * (xt[1] + x_offset));
                a2 += (uint32_t)(wt[2] * (xt[2] + x_offset));
                a3 += (uint32_t)(wt[3] * (xt[3] + x_offset));
            }
#endif
        }
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

/* tfl_dw4_window's depth-multiplier-1 case for a whole 3x3 window (dilation 1): x and w step by d
 * (the depth, the same for input and filter) per tap, by x_row and 3 * d per row. */
static inline void tfl_dw4_3x3(const int8_t *x, int32_t x_row, int32_t d, int32_t x_offset, const int8_t *w, uint32_t acc[4])
{
    uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
#if TFL_DSP
    /* In assembly, as tfl_dot2x2_s8: GCC's version of it spills. Each tap: the filter word and the
     * input word, both split into lanes 0/2 and 1/3 (the input's with the offset added), and one
     * SMLAxy per channel; the taps at offsets 0, d, 2d (LDR's shifted register offset). */
    const uint32_t xo = tfl_dup16(x_offset);
    const int32_t w_row = 3 * d;
    uint32_t t0, t1, t2, t3;
#define TFL_DW4_TAP(offset) \
        "ldr %[t0], [%[w]" offset "]\n\t" \
        "ldr %[t1], [%[x]" offset "]\n\t" \
        "sxtb16 %[t2], %[t0]\n\t" \
        "sxtb16 %[t0], %[t0], ror #8\n\t" \
        "sxtab16 %[t3], %[xo], %[t1]\n\t" \
        "sxtab16 %[t1], %[xo], %[t1], ror #8\n\t" \
        "smlabb %[a0], %[t3], %[t2], %[a0]\n\t" \
        "smlatt %[a2], %[t3], %[t2], %[a2]\n\t" \
        "smlabb %[a1], %[t1], %[t0], %[a1]\n\t" \
        "smlatt %[a3], %[t1], %[t0], %[a3]\n\t"
#define TFL_DW4_ROW TFL_DW4_TAP("") TFL_DW4_TAP(", %[d]") TFL_DW4_TAP(", %[d], lsl #1")
    __asm__(
        TFL_DW4_ROW
        "add %[x], %[x], %[x_row]\n\t"
        "add %[w], %[w], %[w_row]\n\t"
        TFL_DW4_ROW
        "add %[x], %[x], %[x_row]\n\t"
        "add %[w], %[w], %[w_row]\n\t"
        TFL_DW4_ROW
        : [x] "+r"(x), [w] "+r"(w), [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
          [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)
        : [d] "r"(d), [xo] "r"(xo), [x_row] "r"(x_row), [w_row] "r"(w_row)
        : "memory");
#undef TFL_DW4_ROW
#undef TFL_DW4_TAP
#else
    for (int r = 0; r < 3; r++, x += x_row, w += 3 * d)
        for (int t = 0; t < 3; t++) {
            const int8_t *xt = x + t * d, *wt = w + t * d;
            a0 += (uint32_t)(wt[0] * (xt[0] + x_offset));
            a1 += (uint32_t)(wt[1] * (xt[1] + x_offset));
            a2 += (uint32_t)(wt[2] * (xt[2] + x_offset));
            a3 += (uint32_t)(wt[3] * (xt[3] + x_offset));
        }
#endif
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

/* tfl_dw4_window's shared case (depth multiplier a multiple of 4: four filter channels against one
 * input channel) for a whole 3x3 window, dilation 1: x steps by dx per tap and x_row per row, w by
 * dw per tap and 3 * dw per row. */
static inline void tfl_dw4_3x3_shared(const int8_t *x, int32_t x_row, int32_t dx, int32_t x_offset, const int8_t *w, int32_t dw, uint32_t acc[4])
{
    uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
#if TFL_DSP
    /* In assembly, as tfl_dw4_3x3. Each tap: one input byte plus the offset, the filter word split
     * into lanes 0/2 and 1/3, one SMLAxB per channel. */
    const int32_t w_row = 3 * dw;
    uint32_t t0, t1, t2;
#define TFL_DW4S_TAP(x_at, w_at) \
        "ldrsb %[t1], [%[x]" x_at "]\n\t" \
        "ldr %[t0], [%[w]" w_at "]\n\t" \
        "add %[t1], %[t1], %[xo]\n\t" \
        "sxtb16 %[t2], %[t0]\n\t" \
        "sxtb16 %[t0], %[t0], ror #8\n\t" \
        "smlabb %[a0], %[t2], %[t1], %[a0]\n\t" \
        "smlatb %[a2], %[t2], %[t1], %[a2]\n\t" \
        "smlabb %[a1], %[t0], %[t1], %[a1]\n\t" \
        "smlatb %[a3], %[t0], %[t1], %[a3]\n\t"
#define TFL_DW4S_ROW TFL_DW4S_TAP("", "") TFL_DW4S_TAP(", %[dx]", ", %[dw]") TFL_DW4S_TAP(", %[dx], lsl #1", ", %[dw], lsl #1")
    __asm__(
        TFL_DW4S_ROW
        "add %[x], %[x], %[x_row]\n\t"
        "add %[w], %[w], %[w_row]\n\t"
        TFL_DW4S_ROW
        "add %[x], %[x], %[x_row]\n\t"
        "add %[w], %[w], %[w_row]\n\t"
        TFL_DW4S_ROW
        : [x] "+r"(x), [w] "+r"(w), [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
          [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2)
        : [dx] "r"(dx), [dw] "r"(dw), [xo] "r"(x_offset), [x_row] "r"(x_row), [w_row] "r"(w_row)
        : "memory");
#undef TFL_DW4S_ROW
#undef TFL_DW4S_TAP
#else
    for (int r = 0; r < 3; r++, x += x_row, w += 3 * dw)
        for (int t = 0; t < 3; t++) {
            const int32_t xv = x[t * dx] + x_offset;
            const int8_t *wt = w + t * dw;
            a0 += (uint32_t)(wt[0] * xv);
            a1 += (uint32_t)(wt[1] * xv);
            a2 += (uint32_t)(wt[2] * xv);
            a3 += (uint32_t)(wt[3] * xv);
        }
#endif
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

#endif
