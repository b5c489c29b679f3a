/* TRANSPOSE_CONV over NHWC tensors.
 * Parameter block: enum tfl_transpose_conv (libs/tflite/kernel_transpose_conv.ts, where the math is
 * explained).
 *
 * TFLM scatters each input value into a scratch accumulator per output element; these bodies
 * gather, one output element at a time, over the input pixels whose windows cover it, so they
 * need no scratch memory (RAM is the board's scarcest resource). Each element still gets its terms
 * in TFLM's order (input row, column, channel ascending): the float sums round alike, and the
 * integer sums wrap (int8, as uint32) or stay exact (int16's int64) whatever the order. */
/* Small beats fast here: TRANSPOSE_CONV is only in the all-ops build, and every C function of the
 * extension takes flash in every program that carries it (before the includes, so that the inline
 * helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"

/* The tensors and shape words every body reads, unpacked once per call. */
struct tconv {
    const uint8_t *input, *filter, *bias;
    uint8_t *output;
    int32_t batches, in_h, in_w, in_d, filter_h, filter_w, out_h, out_w, out_d, stride_h, stride_w, pad_h, pad_w;
};

static void tconv_unpack(int32_t *p, const uint8_t *model, uint8_t *arena, struct tconv *c)
{
    c->input = tfl_tensor(p, TFL_TRANSPOSE_CONV_INPUT, model, arena);
    c->filter = tfl_tensor(p, TFL_TRANSPOSE_CONV_FILTER, model, arena);
    c->bias = tfl_tensor(p, TFL_TRANSPOSE_CONV_BIAS, model, arena);
    c->output = tfl_output(p, TFL_TRANSPOSE_CONV_OUTPUT, arena);
    c->batches = p[TFL_TRANSPOSE_CONV_BATCHES];
    c->in_h = p[TFL_TRANSPOSE_CONV_INPUT_HEIGHT];
    c->in_w = p[TFL_TRANSPOSE_CONV_INPUT_WIDTH];
    c->in_d = p[TFL_TRANSPOSE_CONV_INPUT_DEPTH];
    c->filter_h = p[TFL_TRANSPOSE_CONV_FILTER_HEIGHT];
    c->filter_w = p[TFL_TRANSPOSE_CONV_FILTER_WIDTH];
    c->out_h = p[TFL_TRANSPOSE_CONV_OUTPUT_HEIGHT];
    c->out_w = p[TFL_TRANSPOSE_CONV_OUTPUT_WIDTH];
    c->out_d = p[TFL_TRANSPOSE_CONV_OUTPUT_DEPTH];
    c->stride_h = p[TFL_TRANSPOSE_CONV_STRIDE_HEIGHT];
    c->stride_w = p[TFL_TRANSPOSE_CONV_STRIDE_WIDTH];
    c->pad_h = p[TFL_TRANSPOSE_CONV_PAD_HEIGHT];
    c->pad_w = p[TFL_TRANSPOSE_CONV_PAD_WIDTH];
}

/* The input rows (or columns) [*first, *last] whose windows cover output row `out`: row y covers
 * it when 0 <= out + pad - y * stride < filter (empty when *first > *last). In int64: out + pad
 * may pass 2^31 in a corrupt model. */
static void covering_inputs(int32_t out, int32_t pad, int32_t stride, int32_t filter, int32_t in_size, int32_t *first, int32_t *last)
{
    int64_t t = (int64_t)out + pad;
    int64_t low = t - filter + 1;
    int64_t f = low <= 0 ? 0 : (low + stride - 1) / stride;
    int64_t l = t / stride;
    if (l > in_size - 1) l = in_size - 1;
    if (f > l) {
        *first = 1;
        *last = 0;
        return;
    }
    *first = (int32_t)f;
    *last = (int32_t)l;
}

/* The window of output element (oy, ox): the input rows [y0, y1] and columns [x0, x1] covering it. */
struct tconv_window {
    int32_t y0, y1, x0, x1;
};

static void tconv_window(const struct tconv *c, int32_t oy, int32_t ox, struct tconv_window *w)
{
    covering_inputs(oy, c->pad_h, c->stride_h, c->filter_h, c->in_h, &w->y0, &w->y1);
    covering_inputs(ox, c->pad_w, c->stride_w, c->filter_w, c->in_w, &w->x0, &w->x1);
}

/* Element index of filter[oc, fy, fx, 0] for input pixel (y, x) and output element (oy, ox, oc). */
static inline int32_t tconv_weights(const struct tconv *c, int32_t oc, int32_t oy, int32_t ox, int32_t y, int32_t x)
{
    int32_t fy = oy + c->pad_h - y * c->stride_h, fx = ox + c->pad_w - x * c->stride_w;
    return ((oc * c->filter_h + fy) * c->filter_w + fx) * c->in_d;
}

void tflite_transpose_conv_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    struct tconv c;
    tconv_unpack(p, model, arena, &c);
    const int8_t *input = (const int8_t *)c.input, *filter = (const int8_t *)c.filter;
    int8_t *out = (int8_t *)c.output;
    const int32_t input_offset = p[TFL_TRANSPOSE_CONV_INPUT_OFFSET];
    const int32_t output_offset = p[TFL_TRANSPOSE_CONV_OUTPUT_OFFSET];
    const int32_t act_min = p[TFL_TRANSPOSE_CONV_ACTIVATION_MIN];
    const int32_t act_max = p[TFL_TRANSPOSE_CONV_ACTIVATION_MAX];
    for (int32_t b = 0; b < c.batches; b++)
        for (int32_t oy = 0; oy < c.out_h; oy++)
            for (int32_t ox = 0; ox < c.out_w; ox++) {
                struct tconv_window w;
                tconv_window(&c, oy, ox, &w);
                for (int32_t oc = 0; oc < c.out_d; oc++) {
                    /* TFLM's int32 sum wraps: uint32 makes that defined (a corrupt zero point may be huge). */
                    uint32_t acc = 0;
                    for (int32_t y = w.y0; y <= w.y1; y++)
                        for (int32_t x = w.x0; x <= w.x1; x++) {
                            const int8_t *pixel = input + ((b * c.in_h + y) * c.in_w + x) * c.in_d;
                            const int8_t *weights = filter + tconv_weights(&c, oc, oy, ox, y, x);
                            for (int32_t i = 0; i < c.in_d; i++) acc += ((uint32_t)pixel[i] + (uint32_t)input_offset) * (uint32_t)weights[i];
                        }
                    if (c.bias) acc += tfl_load_u32(c.bias + 4 * oc);
                    const int32_t *m = p + TFL_TRANSPOSE_CONV_MULTIPLIERS + 2 * oc;
                    int32_t v = tfl_multiply_by_quantized_multiplier((int32_t)acc, m[0], m[1]) + output_offset;
                    *out++ = (int8_t)tfl_clamp(v, act_min, act_max);
                }
            }
}

void tflite_transpose_conv_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    struct tconv c;
    tconv_unpack(p, model, arena, &c);
    const int8_t *filter = (const int8_t *)c.filter;
    uint8_t *out = c.output;
    const int32_t act_min = p[TFL_TRANSPOSE_CONV_ACTIVATION_MIN];
    const int32_t act_max = p[TFL_TRANSPOSE_CONV_ACTIVATION_MAX];
    const int32_t bias_bytes = p[TFL_TRANSPOSE_CONV_BIAS_BYTES];
    for (int32_t b = 0; b < c.batches; b++)
        for (int32_t oy = 0; oy < c.out_h; oy++)
            for (int32_t ox = 0; ox < c.out_w; ox++) {
                struct tconv_window w;
                tconv_window(&c, oy, ox, &w);
                for (int32_t oc = 0; oc < c.out_d; oc++) {
                    int64_t acc = 0;
                    for (int32_t y = w.y0; y <= w.y1; y++)
                        for (int32_t x = w.x0; x <= w.x1; x++) {
                            const uint8_t *pixel = c.input + 2 * (((b * c.in_h + y) * c.in_w + x) * c.in_d);
                            const int8_t *weights = filter + tconv_weights(&c, oc, oy, ox, y, x);
                            for (int32_t i = 0; i < c.in_d; i++) acc += tfl_load_i16(pixel + 2 * i) * weights[i];
                        }
                    /* TFLM widens an int16 bias to int64 before adding it. */
                    if (c.bias) acc += bias_bytes == 2 ? tfl_load_i16(c.bias + 2 * oc) : tfl_load_i64(c.bias + 8 * oc);
                    const int32_t *m = p + TFL_TRANSPOSE_CONV_MULTIPLIERS + 2 * oc;
                    tfl_store_i16(out, tfl_clamp(tfl_multiply_by_quantized_multiplier64(acc, m[0], m[1]), act_min, act_max));
                    out += 2;
                }
            }
}

void tflite_transpose_conv_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    struct tconv c;
    tconv_unpack(p, model, arena, &c);
    uint8_t *out = c.output;
    const float act_min = tfl_param_float(p, TFL_TRANSPOSE_CONV_ACTIVATION_MIN);
    const float act_max = tfl_param_float(p, TFL_TRANSPOSE_CONV_ACTIVATION_MAX);
    for (int32_t b = 0; b < c.batches; b++)
        for (int32_t oy = 0; oy < c.out_h; oy++)
            for (int32_t ox = 0; ox < c.out_w; ox++) {
                struct tconv_window w;
                tconv_window(&c, oy, ox, &w);
                for (int32_t oc = 0; oc < c.out_d; oc++) {
                    float total = 0.0f;
                    for (int32_t y = w.y0; y <= w.y1; y++)
                        for (int32_t x = w.x0; x <= w.x1; x++) {
                            const uint8_t *pixel = c.input + 4 * (((b * c.in_h + y) * c.in_w + x) * c.in_d);
                            const uint8_t *weights = c.filter + 4 * tconv_weights(&c, oc, oy, ox, y, x);
                            for (int32_t i = 0; i < c.in_d; i++) total += tfl_load_f32(pixel + 4 * i) * tfl_load_f32(weights + 4 * i);
                        }
                    if (c.bias) total += tfl_load_f32(c.bias + 4 * oc);
                    tfl_store_f32(out, tfl_clamp_float(total, act_min, act_max));
                    out += 4;
                }
            }
}
