/* CONV_2D and DEPTHWISE_CONV_2D over NHWC tensors.
 * Parameter block: enum tfl_conv (libs/tflite/kernel_conv.ts, where the math is explained).
 *
 * CONV_2D: output[b, y, x, o] = act(bias[o] + sum over the window (fy, fx) and the filter's input
 * channels i of input[b, y*sh + fy*dh - ph, x*sw + fx*dw - pw, g*D + i] * filter[o, fy, fx, i]).
 * DEPTHWISE_CONV_2D: output channel o = c * M + m reads input channel c only.
 *
 * Window positions outside the input are skipped (zero padding): the loops below run over the
 * in-bounds part of each window, computed once per output row and column. Integer sums do not
 * depend on the order of their terms (they wrap as uint32), so the integer kernels may reorder
 * them; the float kernels add in TFLM's order (fy, fx, i), rounding after every step. */
/* The board's all-ops build (every op, without the fast bodies: tinyml.fast_conv 0) ends near the
 * end of the micro:bit's flash, so there this file is compiled for size. The default build and the
 * harnesses keep -O2. Before the includes, so that dot.h's inline helpers follow it. */
#if defined(TINYML_ALL_OPS) && TINYML_ALL_OPS && defined(TINYML_FAST_CONV) && !TINYML_FAST_CONV && \
    defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"
#include "dot.h"

/* TFL_FAST_CONV: the faster int8 bodies (CONV_2D 1x1 as a matrix product, two pixels by two
 * channels; DEPTHWISE_CONV_2D's whole 3x3 windows unrolled; the single-shift requantization of
 * rounds_once), 3.5 KB more flash at the board's flags (conv.c's text 7,440 -> 11,012 bytes).
 * By default they are built where every op is (TINYML_ALL_OPS: the all-ops extension, the replay
 * and benchmark harnesses), not into the board's default build, whose flash has a few hundred
 * bytes to spare. Either way the outputs are the same bytes. */
#ifndef TFL_FAST_CONV
#if defined(TINYML_FAST_CONV)
#define TFL_FAST_CONV TINYML_FAST_CONV
#elif defined(TINYML_ALL_OPS) && TINYML_ALL_OPS
#define TFL_FAST_CONV 1
#else
#define TFL_FAST_CONV 0
#endif
#endif

/* The window taps [*first, *last) whose position origin + dilation * tap lies in [0, size). */
static void window_range(int32_t origin, int32_t dilation, int32_t taps, int32_t size, int32_t *first, int32_t *last)
{
    int32_t f = 0;
    while (f < taps && origin + dilation * f < 0) f++;
    int32_t l = taps;
    while (l > f && origin + dilation * (l - 1) >= size) l--;
    *first = f;
    *last = l;
}

/* The shape words every body reads, unpacked once. */
struct conv_shape {
    int32_t batches, in_h, in_w, in_d, filter_h, filter_w, filter_d, per_group, multiplier;
    int32_t out_h, out_w, out_d, stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
};

static void conv_shape(const int32_t *p, struct conv_shape *s)
{
    s->batches = p[TFL_CONV_BATCHES];
    s->in_h = p[TFL_CONV_INPUT_HEIGHT];
    s->in_w = p[TFL_CONV_INPUT_WIDTH];
    s->in_d = p[TFL_CONV_INPUT_DEPTH];
    s->filter_h = p[TFL_CONV_FILTER_HEIGHT];
    s->filter_w = p[TFL_CONV_FILTER_WIDTH];
    s->filter_d = p[TFL_CONV_FILTER_INPUT_DEPTH];
    s->per_group = p[TFL_CONV_FILTERS_PER_GROUP];
    s->multiplier = p[TFL_CONV_DEPTH_MULTIPLIER];
    s->out_h = p[TFL_CONV_OUTPUT_HEIGHT];
    s->out_w = p[TFL_CONV_OUTPUT_WIDTH];
    s->out_d = p[TFL_CONV_OUTPUT_DEPTH];
    s->stride_h = p[TFL_CONV_STRIDE_HEIGHT];
    s->stride_w = p[TFL_CONV_STRIDE_WIDTH];
    s->dilation_h = p[TFL_CONV_DILATION_HEIGHT];
    s->dilation_w = p[TFL_CONV_DILATION_WIDTH];
    s->pad_h = p[TFL_CONV_PAD_HEIGHT];
    s->pad_w = p[TFL_CONV_PAD_WIDTH];
}

/* Rescales an int32 accumulator to an int8 output value. */
static inline int8_t requantize_int8(uint32_t acc, const int32_t *multiplier, int32_t output_offset, int32_t act_min, int32_t act_max)
{
    int32_t v = tfl_multiply_by_quantized_multiplier((int32_t)acc, multiplier[0], multiplier[1]) + output_offset;
    return (int8_t)tfl_clamp(v, act_min, act_max);
}

/* The same bytes as requantize_int8 in fewer instructions (one multiply-accumulate and five
 * shifts or adds instead of about twenty), for a layer where `rounds_once` holds: every channel
 * shifts right by e >= 1, no multiplier is INT32_MIN, and the activation clamps at or above the
 * output zero point.
 *
 * TFLM rounds twice: h = SRDHM(x, m) = floor((x*m + 2^30) / 2^31) (kernel_util.h; it saturates
 * only for x = m = INT32_MIN, and otherwise |x*m| < 2^62 keeps h in an int32), then
 * RDBPOT(h, e) = floor((h + 2^(e-1) - [h < 0]) / 2^e). For h >= 0 that is
 * floor((floor(h / 2^(e-1)) + 1) / 2) (floor((floor(y) + c) / d) = floor((y + c) / d) for integers
 * c and d > 0): ((h >> (e-1)) + 1) >> 1, with no sign test. For h < 0 both results are <= 0, and
 * adding the zero point and clamping at act_min >= zero point (with act_max >= act_min) gives
 * act_min either way.
 *
 * rounds_once gives 2 when moreover the activation keeps exactly the zero point's 256 values (RELU
 * and RELU6 at the usual scales): then the clamp is one USAT. */
static int rounds_once(const int32_t *p, int32_t channels)
{
    const int32_t zero = p[TFL_CONV_OUTPUT_OFFSET], act_min = p[TFL_CONV_ACTIVATION_MIN], act_max = p[TFL_CONV_ACTIVATION_MAX];
    if (act_min < zero || act_max < act_min) return 0;
    for (int32_t c = 0; c < channels; c++) {
        const int32_t shift = p[TFL_CONV_MULTIPLIERS + 2 * c + 1];
        if (shift > -1 || shift < -31 || p[TFL_CONV_MULTIPLIERS + 2 * c] == TFL_INT32_MIN) return 0;
    }
    return act_min == zero && act_max == zero + 255 ? 2 : 1;
}

static inline int8_t requantize_once_int8(int once, uint32_t acc, const int32_t *multiplier, int32_t output_offset, int32_t act_min, int32_t act_max)
{
    const int32_t h = (int32_t)(((int64_t)(int32_t)acc * multiplier[0] + (1 << 30)) >> 31);
    const int32_t r = ((h >> ~multiplier[1]) + 1) >> 1;   /* ~shift = e - 1 */
#if TFL_DSP
    if (once == 2) return (int8_t)((int32_t)__usat(r, 8) + output_offset);
#else
    (void)once;
#endif
    return (int8_t)tfl_clamp(r + output_offset, act_min, act_max);
}

/* One output value by whichever of the two the layer allows. */
static inline int8_t requantize_layer_int8(int once, uint32_t acc, const int32_t *multiplier, int32_t output_offset, int32_t act_min, int32_t act_max)
{
    return once ? requantize_once_int8(once, acc, multiplier, output_offset, act_min, act_max) :
        requantize_int8(acc, multiplier, output_offset, act_min, act_max);
}

#if TFL_FAST_CONV
/* Output channels oc .. oc + 3 of a pixel from their accumulators, the bias added. The common
 * case (rounds_once's 2, a bias) written out apart, with no test per value. */
static inline __attribute__((always_inline)) void requantize4(int once, const uint32_t acc[4], const uint8_t *bias, const int32_t *p, int32_t oc,
    int32_t output_offset, int32_t act_min, int32_t act_max, int8_t *out)
{
    const int32_t *m = p + TFL_CONV_MULTIPLIERS + 2 * oc;
    if (once == 2 && bias) {
        bias += 4 * oc;
        out[0] = requantize_once_int8(2, acc[0] + tfl_load_u32(bias), m, output_offset, act_min, act_max);
        out[1] = requantize_once_int8(2, acc[1] + tfl_load_u32(bias + 4), m + 2, output_offset, act_min, act_max);
        out[2] = requantize_once_int8(2, acc[2] + tfl_load_u32(bias + 8), m + 4, output_offset, act_min, act_max);
        out[3] = requantize_once_int8(2, acc[3] + tfl_load_u32(bias + 12), m + 6, output_offset, act_min, act_max);
        return;
    }
    for (int32_t k = 0; k < 4; k++)
        out[k] = requantize_layer_int8(once, acc[k] + (bias ? tfl_load_u32(bias + 4 * (oc + k)) : 0), m + 2 * k, output_offset, act_min, act_max);
}

/* requantize4 for the depthwise body's other blocks (border pixels, other filters): one out-of-line
 * copy, since those are fewer than dw_3x3_run's. */
static void __attribute__((noinline)) requantize4_border(int once, const uint32_t acc[4], const uint8_t *bias, const int32_t *p, int32_t oc,
    int32_t output_offset, int32_t act_min, int32_t act_max, int8_t *out)
{
    requantize4(once, acc, bias, p, oc, output_offset, act_min, act_max, out);
}

/* What dw_3x3_run needs of a DEPTHWISE_CONV_2D layer. */
struct dw_layer {
    const int32_t *p;
    const struct conv_shape *s;
    const int8_t *filter;
    const uint8_t *bias;
    int32_t input_offset, output_offset, act_min, act_max, once;
};

/* DEPTHWISE_CONV_2D, 3x3 filter, dilation 1, depth multiplier 1 or 4k: `count` consecutive output
 * pixels of one row whose windows lie wholly inside the input, the first window's top left at
 * `pixel`; returns the output pointer past them. Out of line so that its loops get the registers
 * (inlined in the body's, they spill). */
static int8_t * __attribute__((noinline)) dw_3x3_run(const struct dw_layer *l, const int8_t *pixel, int32_t count, int8_t *out)
{
    const struct conv_shape *s = l->s;
    const int32_t x_row = s->in_w * s->in_d, step = s->stride_w * s->in_d;
    for (; count > 0; count--, pixel += step) {
        int32_t oc = 0;
        for (; oc + 4 <= s->out_d; oc += 4, out += 4) {
            uint32_t acc[4];
            if (s->multiplier == 1) tfl_dw4_3x3(pixel + oc, x_row, s->in_d, l->input_offset, l->filter + oc, acc);
            else tfl_dw4_3x3_shared(pixel + oc / s->multiplier, x_row, s->in_d, l->input_offset, l->filter + oc, s->out_d, acc);
            requantize4(l->once, acc, l->bias, l->p, oc, l->output_offset, l->act_min, l->act_max, out);
        }
        for (; oc < s->out_d; oc++) {
            uint32_t acc = l->bias ? tfl_load_u32(l->bias + 4 * oc) : 0;
            for (int32_t t = 0; t < 9; t++)
                acc += (uint32_t)(l->filter[t * s->out_d + oc] * (pixel[(t / 3) * x_row + (t % 3) * s->in_d + oc / s->multiplier] + l->input_offset));
            *out++ = requantize_layer_int8(l->once, acc, l->p + TFL_CONV_MULTIPLIERS + 2 * oc, l->output_offset, l->act_min, l->act_max);
        }
    }
    return out;
}

/* conv_1x1_int8's blocks other than a full 2x2 one requantized by USAT: an odd last pixel or
 * channel (its dot products computed here, with the input offset), or a layer that needs the
 * general requantization. Out of line and looped over the four slots (slot k: pixel k >> 1,
 * channel k & 1): rare, and one copy of the requantization instead of four costs less flash. */
static void __attribute__((noinline)) conv_1x1_store(const int32_t *p, int once, const int8_t *x, const int8_t *w, int32_t depth,
    int two_pixels, int two_channels, uint32_t bias0, uint32_t bias1, const uint32_t acc[4], int32_t oc, int32_t out_d, int8_t *o)
{
    const int32_t input_offset = p[TFL_CONV_INPUT_OFFSET], output_offset = p[TFL_CONV_OUTPUT_OFFSET];
    const int32_t act_min = p[TFL_CONV_ACTIVATION_MIN], act_max = p[TFL_CONV_ACTIVATION_MAX];
    for (int32_t k = 0; k < 4; k++) {
        const int32_t pixel = k >> 1, channel = k & 1;
        if ((pixel && !two_pixels) || (channel && !two_channels)) continue;
        const uint32_t a = two_pixels && two_channels ? acc[k] :
            tfl_dot_s8(x + pixel * depth, w + channel * depth, depth, input_offset, 0, channel ? bias1 : bias0);
        o[pixel * out_d + channel] = requantize_layer_int8(once, a, p + TFL_CONV_MULTIPLIERS + 2 * (oc + channel), output_offset, act_min, act_max);
    }
}

/* CONV_2D with a 1x1 filter, stride 1 and one group: output pixel q is input pixel q times the
 * filters, a product of two matrices whose rows (pixels, filters) are `depth` bytes long. Two
 * output channels by two pixels at a time (tfl_dot2x2_s8), the input offset's share, input_offset
 * * sum(filter row), added to the bias once per channel; an odd last pixel or channel alone. */
static void __attribute__((noinline)) conv_1x1_int8(const int32_t *p, const struct conv_shape *s, const int8_t *input, const int8_t *filter,
    const uint8_t *bias, int8_t *out)
{
    const int32_t pixels = s->batches * s->out_h * s->out_w, depth = s->in_d, out_d = s->out_d;
    const int32_t input_offset = p[TFL_CONV_INPUT_OFFSET];
    const int32_t output_offset = p[TFL_CONV_OUTPUT_OFFSET];
    const int32_t act_min = p[TFL_CONV_ACTIVATION_MIN];
    const int32_t act_max = p[TFL_CONV_ACTIVATION_MAX];
    const int once = rounds_once(p, out_d);
    for (int32_t oc = 0; oc < out_d; oc += 2) {
        const int two_channels = oc + 1 < out_d;
        const int8_t *w = filter + oc * depth;
        const int32_t *m = p + TFL_CONV_MULTIPLIERS + 2 * oc;
        const uint32_t bias0 = bias ? tfl_load_u32(bias + 4 * oc) : 0;
        const uint32_t bias1 = bias && two_channels ? tfl_load_u32(bias + 4 * oc + 4) : 0;
        const uint32_t start0 = bias0 + (uint32_t)input_offset * tfl_sum_s8(w, depth);
        const uint32_t start1 = two_channels ? bias1 + (uint32_t)input_offset * tfl_sum_s8(w + depth, depth) : 0;
        const int8_t *x = input;
        int8_t *o = out + oc;
        for (int32_t q = 0; q < pixels; q += 2, x += 2 * depth, o += 2 * out_d) {
            const int two_pixels = q + 1 < pixels;
            uint32_t acc[4] = {start0, start1, start0, start1};
            if (two_pixels && two_channels) {
                tfl_dot2x2_s8(x, w, depth, depth, acc);
                if (once == 2) {   /* the common case, with no test per value */
                    o[0] = requantize_once_int8(2, acc[0], m, output_offset, act_min, act_max);
                    o[1] = requantize_once_int8(2, acc[1], m + 2, output_offset, act_min, act_max);
                    o[out_d] = requantize_once_int8(2, acc[2], m, output_offset, act_min, act_max);
                    o[out_d + 1] = requantize_once_int8(2, acc[3], m + 2, output_offset, act_min, act_max);
                    continue;
                }
            }
            const uint32_t rare[4] = {acc[0], acc[1], acc[2], acc[3]};   /* acc itself stays in registers */
            conv_1x1_store(p, once, x, w, depth, two_pixels, two_channels, bias0, bias1, rare, oc, out_d, o);
        }
    }
}
#endif

void tflite_conv_2d_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    struct conv_shape s;
    conv_shape(p, &s);
    const int8_t *input = (const int8_t *)tfl_tensor(p, TFL_CONV_INPUT, model, arena);
    const int8_t *filter = (const int8_t *)tfl_tensor(p, TFL_CONV_FILTER, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_CONV_BIAS, model, arena);
    int8_t *out = (int8_t *)tfl_output(p, TFL_CONV_OUTPUT, arena);
    const int32_t input_offset = p[TFL_CONV_INPUT_OFFSET];
    const int32_t output_offset = p[TFL_CONV_OUTPUT_OFFSET];
    const int32_t act_min = p[TFL_CONV_ACTIVATION_MIN];
    const int32_t act_max = p[TFL_CONV_ACTIVATION_MAX];
    const int32_t filter_row = s.filter_w * s.filter_d;
    const int32_t filter_size = s.filter_h * filter_row;
#if TFL_FAST_CONV
    if (s.filter_h == 1 && s.filter_w == 1 && s.stride_h == 1 && s.stride_w == 1 && s.filter_d == s.in_d) {
        conv_1x1_int8(p, &s, input, filter, bias, out);
        return;
    }
#endif
    for (int32_t b = 0; b < s.batches; b++)
        for (int32_t oy = 0; oy < s.out_h; oy++) {
            const int32_t y0 = oy * s.stride_h - s.pad_h;
            int32_t fy0, fy1;
            window_range(y0, s.dilation_h, s.filter_h, s.in_h, &fy0, &fy1);
            for (int32_t ox = 0; ox < s.out_w; ox++) {
                const int32_t x0 = ox * s.stride_w - s.pad_w;
                int32_t fx0, fx1;
                window_range(x0, s.dilation_w, s.filter_w, s.in_w, &fx0, &fx1);
                /* TFLM's int32 accumulator wraps (it assumes fewer than 2^16 products). Four
                 * output channels of one group at a time share the loads of each input pixel. */
                int32_t oc = 0;
                while (oc < s.out_d) {
                    const int32_t group = oc / s.per_group;
                    const int32_t n = oc + 4 <= s.out_d && (oc + 3) / s.per_group == group ? 4 : 1;
                    const int8_t *weights = filter + oc * filter_size;
                    uint32_t acc[4] = {0, 0, 0, 0};
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        const int32_t y = y0 + s.dilation_h * fy;
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            const int32_t x = x0 + s.dilation_w * fx;
                            const int8_t *pixel = input + ((b * s.in_h + y) * s.in_w + x) * s.in_d + group * s.filter_d;
                            const int8_t *w = weights + fy * filter_row + fx * s.filter_d;
                            if (n == 4) tfl_dot4_s8(pixel, w, filter_size, s.filter_d, input_offset, 0, acc);
                            else acc[0] = tfl_dot_s8(pixel, w, s.filter_d, input_offset, 0, acc[0]);
                        }
                    }
                    for (int32_t k = 0; k < n; k++, oc++) {
                        uint32_t a = acc[k];
                        if (bias) a += tfl_load_u32(bias + 4 * oc);
                        *out++ = requantize_int8(a, p + TFL_CONV_MULTIPLIERS + 2 * oc, output_offset, act_min, act_max);
                    }
                }
            }
        }
}

/* int16 activations, int8 filter: TFLM's int64 accumulator with an int64 bias (`wide`), or int32
 * with an int32 bias or none, rescaled by the 32-bit multiply. */
static void conv_2d_int16(int32_t *p, const uint8_t *model, uint8_t *arena, int wide)
{
    struct conv_shape s;
    conv_shape(p, &s);
    const uint8_t *input = tfl_tensor(p, TFL_CONV_INPUT, model, arena);
    const int8_t *filter = (const int8_t *)tfl_tensor(p, TFL_CONV_FILTER, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_CONV_BIAS, model, arena);
    uint8_t *out = tfl_output(p, TFL_CONV_OUTPUT, arena);
    const int32_t act_min = p[TFL_CONV_ACTIVATION_MIN];
    const int32_t act_max = p[TFL_CONV_ACTIVATION_MAX];
    const int32_t filter_row = s.filter_w * s.filter_d;
    for (int32_t b = 0; b < s.batches; b++)
        for (int32_t oy = 0; oy < s.out_h; oy++) {
            const int32_t y0 = oy * s.stride_h - s.pad_h;
            int32_t fy0, fy1;
            window_range(y0, s.dilation_h, s.filter_h, s.in_h, &fy0, &fy1);
            for (int32_t ox = 0; ox < s.out_w; ox++) {
                const int32_t x0 = ox * s.stride_w - s.pad_w;
                int32_t fx0, fx1;
                window_range(x0, s.dilation_w, s.filter_w, s.in_w, &fx0, &fx1);
                for (int32_t oc = 0; oc < s.out_d; oc++) {
                    const int32_t channel0 = oc / s.per_group * s.filter_d;
                    const int8_t *weights = filter + oc * s.filter_h * filter_row;
                    int64_t acc = 0;
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        const int32_t y = y0 + s.dilation_h * fy;
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            const int32_t x = x0 + s.dilation_w * fx;
                            const uint8_t *pixel = input + 2 * (((b * s.in_h + y) * s.in_w + x) * s.in_d + channel0);
                            const int8_t *w = weights + fy * filter_row + fx * s.filter_d;
                            for (int32_t i = 0; i < s.filter_d; i++) acc += w[i] * tfl_load_i16(pixel + 2 * i);
                        }
                    }
                    const int32_t *m = p + TFL_CONV_MULTIPLIERS + 2 * oc;
                    int32_t scaled;
                    if (wide) {
                        if (bias) acc += tfl_load_i64(bias + 8 * oc);
                        scaled = tfl_multiply_by_quantized_multiplier64(acc, m[0], m[1]);
                    } else {
                        uint32_t acc32 = (uint32_t)acc;
                        if (bias) acc32 += tfl_load_u32(bias + 4 * oc);
                        scaled = tfl_multiply_by_quantized_multiplier((int32_t)acc32, m[0], m[1]);
                    }
                    tfl_store_i16(out, tfl_clamp(scaled, act_min, act_max));
                    out += 2;
                }
            }
        }
}

void tflite_conv_2d_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    conv_2d_int16(p, model, arena, 1);
}

void tflite_conv_2d_int16_acc32(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    conv_2d_int16(p, model, arena, 0);
}

void tflite_conv_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    struct conv_shape s;
    conv_shape(p, &s);
    const uint8_t *input = tfl_tensor(p, TFL_CONV_INPUT, model, arena);
    const uint8_t *filter = tfl_tensor(p, TFL_CONV_FILTER, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_CONV_BIAS, model, arena);
    uint8_t *out = tfl_output(p, TFL_CONV_OUTPUT, arena);
    const float act_min = tfl_param_float(p, TFL_CONV_ACTIVATION_MIN);
    const float act_max = tfl_param_float(p, TFL_CONV_ACTIVATION_MAX);
    const int32_t filter_row = s.filter_w * s.filter_d;
    for (int32_t b = 0; b < s.batches; b++)
        for (int32_t oy = 0; oy < s.out_h; oy++) {
            const int32_t y0 = oy * s.stride_h - s.pad_h;
            int32_t fy0, fy1;
            window_range(y0, s.dilation_h, s.filter_h, s.in_h, &fy0, &fy1);
            for (int32_t ox = 0; ox < s.out_w; ox++) {
                const int32_t x0 = ox * s.stride_w - s.pad_w;
                int32_t fx0, fx1;
                window_range(x0, s.dilation_w, s.filter_w, s.in_w, &fx0, &fx1);
                for (int32_t oc = 0; oc < s.out_d; oc++) {
                    const int32_t channel0 = oc / s.per_group * s.filter_d;
                    const uint8_t *weights = filter + 4 * oc * s.filter_h * filter_row;
                    float total = 0.0f;
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        const int32_t y = y0 + s.dilation_h * fy;
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            const int32_t x = x0 + s.dilation_w * fx;
                            const uint8_t *pixel = input + 4 * (((b * s.in_h + y) * s.in_w + x) * s.in_d + channel0);
                            const uint8_t *w = weights + 4 * (fy * filter_row + fx * s.filter_d);
                            for (int32_t i = 0; i < s.filter_d; i++)
                                total += tfl_load_f32(pixel + 4 * i) * tfl_load_f32(w + 4 * i);
                        }
                    }
                    float v = total + (bias ? tfl_load_f32(bias + 4 * oc) : 0.0f);
                    tfl_store_f32(out, tfl_clamp_float(v, act_min, act_max));
                    out += 4;
                }
            }
        }
}

void tflite_depthwise_conv_2d_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    struct conv_shape s;
    conv_shape(p, &s);
    const int8_t *input = (const int8_t *)tfl_tensor(p, TFL_CONV_INPUT, model, arena);
    const int8_t *filter = (const int8_t *)tfl_tensor(p, TFL_CONV_FILTER, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_CONV_BIAS, model, arena);
    int8_t *out = (int8_t *)tfl_output(p, TFL_CONV_OUTPUT, arena);
    const int32_t input_offset = p[TFL_CONV_INPUT_OFFSET];
    const int32_t output_offset = p[TFL_CONV_OUTPUT_OFFSET];
    const int32_t act_min = p[TFL_CONV_ACTIVATION_MIN];
    const int32_t act_max = p[TFL_CONV_ACTIVATION_MAX];
    const int once = TFL_FAST_CONV ? rounds_once(p, s.out_d) : 0;
    /* Four output channels at a time when they read four consecutive input channels (depth
     * multiplier 1) or one (a multiple of 4): blocks start at multiples of 4, so with a
     * multiplier of 4k a block never straddles two input channels. */
    const int blocks = s.multiplier == 1 || s.multiplier % 4 == 0;
    /* Two taps inside the input need a dilation below its width (height), and then the step is
     * below the input's size; otherwise no window takes the step, and the product could pass 2^31. */
    const int32_t step_x = s.dilation_w < s.in_w ? s.dilation_w * s.in_d : 0;
    const int32_t step_y = s.dilation_h < s.in_h ? s.dilation_h * s.in_w * s.in_d : 0;
    const int32_t step_w = s.filter_w * s.out_d;
#if TFL_FAST_CONV
    /* A 3x3 filter with dilation 1 and depth multiplier 1 or 4k (MobileNet-like models): the output
     * columns [inner_x0, inner_x1) of a row whose three input rows exist have their whole window
     * inside the input (x0 = ox * stride - pad >= 0 and x0 + 2 < in_w): dw_3x3_run. The padding is
     * then 0 or 1, so the bounds cannot overflow. */
    const int three_by_three = blocks && s.filter_h == 3 && s.filter_w == 3 && s.dilation_h == 1 && s.dilation_w == 1;
    int32_t inner_x0 = 0, inner_x1 = 0;
    if (three_by_three && s.in_w >= 3) {
        inner_x0 = s.pad_w / s.stride_w + (s.pad_w % s.stride_w != 0);
        inner_x1 = (s.in_w - 3 + s.pad_w) / s.stride_w + 1;
        if (inner_x1 > s.out_w) inner_x1 = s.out_w;
    }
    const struct dw_layer layer = { p, &s, filter, bias, input_offset, output_offset, act_min, act_max, once };
#endif
    for (int32_t b = 0; b < s.batches; b++)
        for (int32_t oy = 0; oy < s.out_h; oy++) {
            const int32_t y0 = oy * s.stride_h - s.pad_h;
            int32_t fy0, fy1;
            window_range(y0, s.dilation_h, s.filter_h, s.in_h, &fy0, &fy1);
            for (int32_t ox = 0; ox < s.out_w; ox++) {
#if TFL_FAST_CONV
                if (ox == inner_x0 && inner_x0 < inner_x1 && fy1 - fy0 == 3) {
                    out = dw_3x3_run(&layer, input + ((b * s.in_h + y0) * s.in_w + ox * s.stride_w - s.pad_w) * s.in_d, inner_x1 - ox, out);
                    ox = inner_x1;
                    if (ox >= s.out_w) break;
                }
#endif
                const int32_t x0 = ox * s.stride_w - s.pad_w;
                int32_t fx0, fx1;
                window_range(x0, s.dilation_w, s.filter_w, s.in_w, &fx0, &fx1);
                const int32_t taps = fx1 - fx0, rows = fy1 - fy0;
                /* The window's first in-bounds input pixel and filter tap. A window with none reads
                 * nothing, and the offset of a tap past the input could pass 2^31. */
                const int8_t *first_pixel = taps > 0 && rows > 0 ?
                    input + ((b * s.in_h + y0 + s.dilation_h * fy0) * s.in_w + x0 + s.dilation_w * fx0) * s.in_d : input;
                const int8_t *first_tap = filter + (fy0 * s.filter_w + fx0) * s.out_d;
                /* Output channels in order: oc = ic * multiplier + m. */
                int32_t oc = 0;
                if (blocks) {
                    for (; oc + 4 <= s.out_d; oc += 4) {
                        uint32_t acc[4];
                        const int8_t *pixel = first_pixel + oc / s.multiplier, *w = first_tap + oc;
                        if (s.multiplier == 1)
                            tfl_dw4_window(pixel, step_x, step_y, input_offset, w, s.out_d, step_w, rows, taps, 0, acc);
                        else
                            tfl_dw4_window(pixel, step_x, step_y, input_offset, w, s.out_d, step_w, rows, taps, 1, acc);
#if TFL_FAST_CONV
                        requantize4_border(once, acc, bias, p, oc, output_offset, act_min, act_max, out);
#else
                        out[0] = requantize_int8(acc[0] + (bias ? tfl_load_u32(bias + 4 * oc) : 0), p + TFL_CONV_MULTIPLIERS + 2 * oc, output_offset, act_min, act_max);
                        out[1] = requantize_int8(acc[1] + (bias ? tfl_load_u32(bias + 4 * oc + 4) : 0), p + TFL_CONV_MULTIPLIERS + 2 * oc + 2, output_offset, act_min, act_max);
                        out[2] = requantize_int8(acc[2] + (bias ? tfl_load_u32(bias + 4 * oc + 8) : 0), p + TFL_CONV_MULTIPLIERS + 2 * oc + 4, output_offset, act_min, act_max);
                        out[3] = requantize_int8(acc[3] + (bias ? tfl_load_u32(bias + 4 * oc + 12) : 0), p + TFL_CONV_MULTIPLIERS + 2 * oc + 6, output_offset, act_min, act_max);
#endif
                        out += 4;
                    }
                }
                for (; oc < s.out_d; oc++) {
                    const int8_t *pixel = first_pixel + oc / s.multiplier, *w = first_tap + oc;
                    uint32_t acc = 0;
                    for (int32_t r = 0; r < rows; r++, pixel += step_y, w += step_w) {
                        const int8_t *px = pixel, *wt = w;
                        for (int32_t t = 0; t < taps; t++, px += step_x, wt += s.out_d) acc += (uint32_t)(*wt * (*px + input_offset));
                    }
                    if (bias) acc += tfl_load_u32(bias + 4 * oc);
                    *out++ = requantize_layer_int8(once, acc, p + TFL_CONV_MULTIPLIERS + 2 * oc, output_offset, act_min, act_max);
                }
            }
        }
}

void tflite_depthwise_conv_2d_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    struct conv_shape s;
    conv_shape(p, &s);
    const uint8_t *input = tfl_tensor(p, TFL_CONV_INPUT, model, arena);
    const int8_t *filter = (const int8_t *)tfl_tensor(p, TFL_CONV_FILTER, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_CONV_BIAS, model, arena);
    uint8_t *out = tfl_output(p, TFL_CONV_OUTPUT, arena);
    const int32_t act_min = p[TFL_CONV_ACTIVATION_MIN];
    const int32_t act_max = p[TFL_CONV_ACTIVATION_MAX];
    for (int32_t b = 0; b < s.batches; b++)
        for (int32_t oy = 0; oy < s.out_h; oy++) {
            const int32_t y0 = oy * s.stride_h - s.pad_h;
            int32_t fy0, fy1;
            window_range(y0, s.dilation_h, s.filter_h, s.in_h, &fy0, &fy1);
            for (int32_t ox = 0; ox < s.out_w; ox++) {
                const int32_t x0 = ox * s.stride_w - s.pad_w;
                int32_t fx0, fx1;
                window_range(x0, s.dilation_w, s.filter_w, s.in_w, &fx0, &fx1);
                for (int32_t oc = 0; oc < s.out_d; oc++) {
                    const int32_t ic = oc / s.multiplier;
                    int64_t acc = 0;
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        const int32_t y = y0 + s.dilation_h * fy;
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            const int32_t x = x0 + s.dilation_w * fx;
                            acc += filter[(fy * s.filter_w + fx) * s.out_d + oc] *
                                tfl_load_i16(input + 2 * (((b * s.in_h + y) * s.in_w + x) * s.in_d + ic));
                        }
                    }
                    if (bias) acc += tfl_load_i64(bias + 8 * oc);
                    const int32_t *m = p + TFL_CONV_MULTIPLIERS + 2 * oc;
                    int32_t scaled = tfl_multiply_by_quantized_multiplier64(acc, m[0], m[1]);
                    tfl_store_i16(out, tfl_clamp(scaled, act_min, act_max));
                    out += 2;
                }
            }
        }
}

void tflite_depthwise_conv_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    struct conv_shape s;
    conv_shape(p, &s);
    const uint8_t *input = tfl_tensor(p, TFL_CONV_INPUT, model, arena);
    const uint8_t *filter = tfl_tensor(p, TFL_CONV_FILTER, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_CONV_BIAS, model, arena);
    uint8_t *out = tfl_output(p, TFL_CONV_OUTPUT, arena);
    const float act_min = tfl_param_float(p, TFL_CONV_ACTIVATION_MIN);
    const float act_max = tfl_param_float(p, TFL_CONV_ACTIVATION_MAX);
    for (int32_t b = 0; b < s.batches; b++)
        for (int32_t oy = 0; oy < s.out_h; oy++) {
            const int32_t y0 = oy * s.stride_h - s.pad_h;
            int32_t fy0, fy1;
            window_range(y0, s.dilation_h, s.filter_h, s.in_h, &fy0, &fy1);
            for (int32_t ox = 0; ox < s.out_w; ox++) {
                const int32_t x0 = ox * s.stride_w - s.pad_w;
                int32_t fx0, fx1;
                window_range(x0, s.dilation_w, s.filter_w, s.in_w, &fx0, &fx1);
                for (int32_t oc = 0; oc < s.out_d; oc++) {
                    const int32_t ic = oc / s.multiplier;
                    float total = 0.0f;
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        const int32_t y = y0 + s.dilation_h * fy;
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            const int32_t x = x0 + s.dilation_w * fx;
                            total += tfl_load_f32(input + 4 * (((b * s.in_h + y) * s.in_w + x) * s.in_d + ic)) *
                                tfl_load_f32(filter + 4 * ((fy * s.filter_w + fx) * s.out_d + oc));
                        }
                    }
                    float v = total + (bias ? tfl_load_f32(bias + 4 * oc) : 0.0f);
                    tfl_store_f32(out, tfl_clamp_float(v, act_min, act_max));
                    out += 4;
                }
            }
        }
}
