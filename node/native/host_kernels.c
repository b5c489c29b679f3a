/* Host versions of the float kernels of models like TFLM's magic_wand (DEPTHWISE_CONV_2D,
 * CONV_2D, FULLY_CONNECTED, MAX and AVERAGE_POOL_2D on float32), for Node's native interpreter
 * only: the board keeps kernels/'s, which are written for a small flash.
 *
 * Why they give the same bits: a float sum must add its terms in TFLM's order, rounding after
 * each step (kernels/conv.c), so kernels/'s float kernels compute one output at a time, each a
 * chain of dependent additions; the host's vector unit then idles. These compute many outputs of
 * one pixel at once, each output still getting exactly its own sequence of multiplies and adds
 * in the same order (no fused multiply-add: the addon is built with -ffp-contract=off), so each
 * lane of a vector does what the scalar code did. test/node_native.test.ts compares them with the
 * STS and kernels/'s C, byte for byte, on every conformance case and every model we have.
 *
 * Shapes they were not written for (more than MAX_CHANNELS channels, grouped convolutions, very
 * large filters) go to kernels/'s bodies. */
#include <stdlib.h>
#include <string.h>
/* Not loader.h: its "small beats fast" pragma would apply to these too. */
#include "kernel_util.h"
#include "host_kernels.h"

void tflite_depthwise_conv_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena);
void tflite_conv_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena);
void tflite_fully_connected_float(int32_t *p, const uint8_t *model, uint8_t *arena);
void tflite_max_pool_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena);
void tflite_average_pool_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena);

/* Outputs of one pixel computed together (their accumulators live on the stack). */
#define MAX_CHANNELS 512
/* The largest filter copied into output-major order per invoke (floats). */
#define MAX_TRANSPOSED (1 << 18)

static inline float load_f32(const uint8_t *b)
{
    float f;
    memcpy(&f, b, 4);
    return f;
}

/* The window taps [*first, *last) whose position origin + dilation * tap lies in [0, size)
 * (kernels/conv.c's window_range). */
static void window_range(int32_t origin, int32_t dilation, int32_t taps, int32_t size, int32_t *first, int32_t *last)
{
    int32_t f = 0;
    while (f < taps && origin + dilation * f < 0) f++;
    int32_t l = taps;
    while (l > f && origin + dilation * (l - 1) >= size) l--;
    *first = f;
    *last = l;
}

/* out[i] = clamp(acc[i] + bias[i]) for n outputs, as kernels/conv.c ends each output. */
static void finish_outputs(uint8_t *out, const float *acc, const uint8_t *bias, int32_t n, float act_min, float act_max)
{
    for (int32_t i = 0; i < n; i++) {
        float v = acc[i] + (bias ? load_f32(bias + 4 * i) : 0.0f);
        float c = tfl_clamp_float(v, act_min, act_max);
        memcpy(out + 4 * i, &c, 4);
    }
}

/* One output pixel's window sums of a depthwise convolution into acc[0..in_d * multiplier), each in
 * kernels/conv.c's order (fy, then fx). Inlined where in_d and multiplier are constants, so that
 * the sums stay in registers over the whole window. */
static inline __attribute__((always_inline)) void depthwise_sums(float *out_acc, int32_t in_d, int32_t multiplier,
    const uint8_t *input, const uint8_t *filter, int32_t out_d, int32_t row_bytes, int32_t pixel_bytes, int32_t filter_w,
    int32_t y0, int32_t x0, int32_t dilation_h, int32_t dilation_w, int32_t fy0, int32_t fy1, int32_t fx0, int32_t fx1)
{
    float acc[MAX_CHANNELS];
    for (int32_t oc = 0; oc < in_d * multiplier; oc++) acc[oc] = 0.0f;
    for (int32_t fy = fy0; fy < fy1; fy++) {
        const uint8_t *row = input + (int64_t)(y0 + dilation_h * fy) * row_bytes;
        for (int32_t fx = fx0; fx < fx1; fx++) {
            const uint8_t *pixel = row + (int64_t)(x0 + dilation_w * fx) * pixel_bytes;
            const uint8_t *w = filter + 4 * ((fy * filter_w + fx) * out_d);
            for (int32_t ic = 0; ic < in_d; ic++) {
                const float v = load_f32(pixel + 4 * ic);
                for (int32_t m = 0; m < multiplier; m++) acc[ic * multiplier + m] += v * load_f32(w + 4 * (ic * multiplier + m));
            }
        }
    }
    for (int32_t oc = 0; oc < in_d * multiplier; oc++) out_acc[oc] = acc[oc];
}

void host_depthwise_conv_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const int32_t batches = p[TFL_CONV_BATCHES], in_h = p[TFL_CONV_INPUT_HEIGHT], in_w = p[TFL_CONV_INPUT_WIDTH];
    const int32_t in_d = p[TFL_CONV_INPUT_DEPTH], filter_h = p[TFL_CONV_FILTER_HEIGHT], filter_w = p[TFL_CONV_FILTER_WIDTH];
    const int32_t multiplier = p[TFL_CONV_DEPTH_MULTIPLIER], out_h = p[TFL_CONV_OUTPUT_HEIGHT], out_w = p[TFL_CONV_OUTPUT_WIDTH];
    const int32_t out_d = p[TFL_CONV_OUTPUT_DEPTH], stride_h = p[TFL_CONV_STRIDE_HEIGHT], stride_w = p[TFL_CONV_STRIDE_WIDTH];
    const int32_t dilation_h = p[TFL_CONV_DILATION_HEIGHT], dilation_w = p[TFL_CONV_DILATION_WIDTH];
    const int32_t pad_h = p[TFL_CONV_PAD_HEIGHT], pad_w = p[TFL_CONV_PAD_WIDTH];
    /* Output channel oc reads input channel oc / multiplier: out_d is in_d * multiplier. */
    if (out_d > MAX_CHANNELS || out_d != in_d * multiplier) {
        tflite_depthwise_conv_2d_float(p, model, arena);
        return;
    }
    const uint8_t *input = tfl_tensor(p, TFL_CONV_INPUT, model, arena);
    const uint8_t *filter = tfl_tensor(p, TFL_CONV_FILTER, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_CONV_BIAS, model, arena);
    uint8_t *out = tfl_output(p, TFL_CONV_OUTPUT, arena);
    const float act_min = tfl_param_float(p, TFL_CONV_ACTIVATION_MIN);
    const float act_max = tfl_param_float(p, TFL_CONV_ACTIVATION_MAX);
    float acc[MAX_CHANNELS];
    for (int32_t b = 0; b < batches; b++)
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * stride_h - pad_h;
            int32_t fy0, fy1;
            window_range(y0, dilation_h, filter_h, in_h, &fy0, &fy1);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * stride_w - pad_w;
                int32_t fx0, fx1;
                window_range(x0, dilation_w, filter_w, in_w, &fx0, &fx1);
                const uint8_t *image = input + 4 * (int64_t)b * in_h * in_w * in_d;
                const int32_t row_bytes = 4 * in_w * in_d, pixel_bytes = 4 * in_d;
#define DEPTHWISE_SUMS(channels, times) \
    depthwise_sums(acc, channels, times, image, filter, out_d, row_bytes, pixel_bytes, filter_w, y0, x0, dilation_h, dilation_w, fy0, fy1, fx0, fx1)
                /* Common shapes with constant counts (one input channel, or multiplier 1), the rest as they come. */
                if (in_d == 1 && multiplier == 8) DEPTHWISE_SUMS(1, 8);
                else if (in_d == 1 && multiplier == 16) DEPTHWISE_SUMS(1, 16);
                else if (in_d == 8 && multiplier == 1) DEPTHWISE_SUMS(8, 1);
                else if (in_d == 16 && multiplier == 1) DEPTHWISE_SUMS(16, 1);
                else DEPTHWISE_SUMS(in_d, multiplier);
#undef DEPTHWISE_SUMS
                finish_outputs(out, acc, bias, out_d, act_min, act_max);
                out += 4 * out_d;
            }
        }
}

/* The filter's out_d rows of `size` floats, as `size` rows of out_d (a malloc'd copy), or NULL. */
static float *transpose_filter(const uint8_t *filter, int32_t out_d, int32_t size)
{
    if ((int64_t)out_d * size > MAX_TRANSPOSED || out_d <= 0 || size <= 0) return NULL;
    float *t = (float *)malloc(sizeof(float) * (size_t)out_d * (size_t)size);
    if (!t) return NULL;
    for (int32_t o = 0; o < out_d; o++)
        for (int32_t k = 0; k < size; k++) t[(size_t)k * out_d + o] = load_f32(filter + 4 * ((size_t)o * size + k));
    return t;
}

void host_conv_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const int32_t batches = p[TFL_CONV_BATCHES], in_h = p[TFL_CONV_INPUT_HEIGHT], in_w = p[TFL_CONV_INPUT_WIDTH];
    const int32_t in_d = p[TFL_CONV_INPUT_DEPTH], filter_h = p[TFL_CONV_FILTER_HEIGHT], filter_w = p[TFL_CONV_FILTER_WIDTH];
    const int32_t filter_d = p[TFL_CONV_FILTER_INPUT_DEPTH], out_h = p[TFL_CONV_OUTPUT_HEIGHT], out_w = p[TFL_CONV_OUTPUT_WIDTH];
    const int32_t out_d = p[TFL_CONV_OUTPUT_DEPTH], stride_h = p[TFL_CONV_STRIDE_HEIGHT], stride_w = p[TFL_CONV_STRIDE_WIDTH];
    const int32_t dilation_h = p[TFL_CONV_DILATION_HEIGHT], dilation_w = p[TFL_CONV_DILATION_WIDTH];
    const int32_t pad_h = p[TFL_CONV_PAD_HEIGHT], pad_w = p[TFL_CONV_PAD_WIDTH];
    const int32_t filter_row = filter_w * filter_d, filter_size = filter_h * filter_row;
    /* One group only: every output reads input channels 0..filter_d. */
    float *wt = out_d <= MAX_CHANNELS && filter_d == in_d ? transpose_filter(tfl_tensor(p, TFL_CONV_FILTER, model, arena), out_d, filter_size) : NULL;
    if (!wt) {
        tflite_conv_2d_float(p, model, arena);
        return;
    }
    const uint8_t *input = tfl_tensor(p, TFL_CONV_INPUT, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_CONV_BIAS, model, arena);
    uint8_t *out = tfl_output(p, TFL_CONV_OUTPUT, arena);
    const float act_min = tfl_param_float(p, TFL_CONV_ACTIVATION_MIN);
    const float act_max = tfl_param_float(p, TFL_CONV_ACTIVATION_MAX);
    float acc[MAX_CHANNELS];
    for (int32_t b = 0; b < batches; b++)
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * stride_h - pad_h;
            int32_t fy0, fy1;
            window_range(y0, dilation_h, filter_h, in_h, &fy0, &fy1);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * stride_w - pad_w;
                int32_t fx0, fx1;
                window_range(x0, dilation_w, filter_w, in_w, &fx0, &fx1);
                for (int32_t oc = 0; oc < out_d; oc++) acc[oc] = 0.0f;
                /* Each output's terms in kernels/conv.c's order: fy, fx, then the input channel. */
                for (int32_t fy = fy0; fy < fy1; fy++) {
                    const int32_t y = y0 + dilation_h * fy;
                    for (int32_t fx = fx0; fx < fx1; fx++) {
                        const int32_t x = x0 + dilation_w * fx;
                        const uint8_t *pixel = input + 4 * (((b * in_h + y) * in_w + x) * in_d);
                        const float *w = wt + (size_t)(fy * filter_row + fx * filter_d) * out_d;
                        for (int32_t i = 0; i < filter_d; i++, w += out_d) {
                            const float v = load_f32(pixel + 4 * i);
                            for (int32_t oc = 0; oc < out_d; oc++) acc[oc] += v * w[oc];
                        }
                    }
                }
                finish_outputs(out, acc, bias, out_d, act_min, act_max);
                out += 4 * out_d;
            }
        }
    free(wt);
}

void host_fully_connected_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const int32_t batches = p[TFL_FULLY_CONNECTED_BATCHES];
    const int32_t output_depth = p[TFL_FULLY_CONNECTED_OUTPUT_DEPTH];
    const int32_t accum_depth = p[TFL_FULLY_CONNECTED_ACCUM_DEPTH];
    float *wt = output_depth <= MAX_CHANNELS ? transpose_filter(tfl_tensor(p, TFL_FULLY_CONNECTED_FILTER, model, arena), output_depth, accum_depth) : NULL;
    if (!wt) {
        tflite_fully_connected_float(p, model, arena);
        return;
    }
    const uint8_t *input = tfl_tensor(p, TFL_FULLY_CONNECTED_INPUT, model, arena);
    const uint8_t *bias = tfl_tensor(p, TFL_FULLY_CONNECTED_BIAS, model, arena);
    uint8_t *output = tfl_output(p, TFL_FULLY_CONNECTED_OUTPUT, arena);
    const float act_min = tfl_param_float(p, TFL_FULLY_CONNECTED_ACTIVATION_MIN);
    const float act_max = tfl_param_float(p, TFL_FULLY_CONNECTED_ACTIVATION_MAX);
    float acc[MAX_CHANNELS];
    for (int32_t b = 0; b < batches; b++) {
        const uint8_t *row = input + 4 * b * accum_depth;
        for (int32_t o = 0; o < output_depth; o++) acc[o] = 0.0f;
        /* Each output's terms in kernels/fully_connected.c's order. */
        for (int32_t d = 0; d < accum_depth; d++) {
            const float v = load_f32(row + 4 * d);
            const float *w = wt + (size_t)d * output_depth;
            for (int32_t o = 0; o < output_depth; o++) acc[o] += v * w[o];
        }
        finish_outputs(output + 4 * b * output_depth, acc, bias, output_depth, act_min, act_max);
    }
    free(wt);
}

/* kernels/pool.c's pool_float, every channel of a pixel at once. */
static void pool_float(int32_t *p, const uint8_t *model, uint8_t *arena, int average)
{
    const int32_t batches = p[TFL_POOL_BATCHES], in_h = p[TFL_POOL_INPUT_HEIGHT], in_w = p[TFL_POOL_INPUT_WIDTH];
    const int32_t depth = p[TFL_POOL_DEPTH], out_h = p[TFL_POOL_OUTPUT_HEIGHT], out_w = p[TFL_POOL_OUTPUT_WIDTH];
    const int32_t stride_h = p[TFL_POOL_STRIDE_HEIGHT], stride_w = p[TFL_POOL_STRIDE_WIDTH];
    const int32_t filter_h = p[TFL_POOL_FILTER_HEIGHT], filter_w = p[TFL_POOL_FILTER_WIDTH];
    const int32_t pad_h = p[TFL_POOL_PADDING_HEIGHT], pad_w = p[TFL_POOL_PADDING_WIDTH];
    const uint8_t *input = tfl_tensor(p, TFL_POOL_INPUT, model, arena);
    uint8_t *out = tfl_output(p, TFL_POOL_OUTPUT, arena);
    const float act_min = tfl_param_float(p, TFL_POOL_ACTIVATION_MIN);
    const float act_max = tfl_param_float(p, TFL_POOL_ACTIVATION_MAX);
    float acc[MAX_CHANNELS];
    for (int32_t b = 0; b < batches; b++)
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t origin_y = oy * stride_h - pad_h;
            const int32_t y0 = origin_y < 0 ? -origin_y : 0;
            const int32_t y1 = in_h - origin_y < filter_h ? in_h - origin_y : filter_h;
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t origin_x = ox * stride_w - pad_w;
                const int32_t x0 = origin_x < 0 ? -origin_x : 0;
                const int32_t x1 = in_w - origin_x < filter_w ? in_w - origin_x : filter_w;
                const int32_t count = (y1 - y0) * (x1 - x0);
                /* The sum in TFLM's order; std::max keeps max unless max < v (a NaN is skipped). */
                for (int32_t c = 0; c < depth; c++) acc[c] = average ? 0.0f : -0x1.fffffep127f;
                for (int32_t fy = y0; fy < y1; fy++) {
                    const int32_t row = (b * in_h + origin_y + fy) * in_w;
                    for (int32_t fx = x0; fx < x1; fx++) {
                        const uint8_t *pixel = input + 4 * ((row + origin_x + fx) * depth);
                        if (average)
                            for (int32_t c = 0; c < depth; c++) acc[c] += load_f32(pixel + 4 * c);
                        else
                            for (int32_t c = 0; c < depth; c++) {
                                const float v = load_f32(pixel + 4 * c);
                                acc[c] = acc[c] < v ? v : acc[c];
                            }
                    }
                }
                for (int32_t c = 0; c < depth; c++) {
                    const float v = tfl_clamp_float(average ? acc[c] / (float)count : acc[c], act_min, act_max);
                    memcpy(out + 4 * c, &v, 4);
                }
                out += 4 * depth;
            }
        }
}

void host_max_pool_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    if (p[TFL_POOL_DEPTH] > MAX_CHANNELS) tflite_max_pool_2d_float(p, model, arena);
    else pool_float(p, model, arena, 0);
}

void host_average_pool_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    if (p[TFL_POOL_DEPTH] > MAX_CHANNELS) tflite_average_pool_2d_float(p, model, arena);
    else pool_float(p, model, arena, 1);
}
