/* AVERAGE_POOL_2D and MAX_POOL_2D over NHWC tensors.
 * Parameter block: enum tfl_pool (libs/tflite/kernel_pool.ts).
 *
 * Each output pixel looks at a filter window of its channel, clipped to the input (padding
 * contributes nothing, so an average divides by the pixels it covered). Quantized pools keep the
 * input's quantization; averages round to nearest, halves away from zero (integer division). */
/* Small beats fast here: these bodies run once per invoke on a handful of values (the end of a
 * classifier), and every C function of the extension takes flash in every program. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"

struct pool_shape {
    int32_t batches, in_h, in_w, depth, out_h, out_w, stride_h, stride_w, filter_h, filter_w, pad_h, pad_w;
};

static void pool_shape(const int32_t *p, struct pool_shape *s)
{
    s->batches = p[TFL_POOL_BATCHES];
    s->in_h = p[TFL_POOL_INPUT_HEIGHT];
    s->in_w = p[TFL_POOL_INPUT_WIDTH];
    s->depth = p[TFL_POOL_DEPTH];
    s->out_h = p[TFL_POOL_OUTPUT_HEIGHT];
    s->out_w = p[TFL_POOL_OUTPUT_WIDTH];
    s->stride_h = p[TFL_POOL_STRIDE_HEIGHT];
    s->stride_w = p[TFL_POOL_STRIDE_WIDTH];
    s->filter_h = p[TFL_POOL_FILTER_HEIGHT];
    s->filter_w = p[TFL_POOL_FILTER_WIDTH];
    s->pad_h = p[TFL_POOL_PADDING_HEIGHT];
    s->pad_w = p[TFL_POOL_PADDING_WIDTH];
}

/* The window rows (or columns) [*start, *end) of an output position, clipped to the input. */
static inline void pool_window(int32_t origin, int32_t filter, int32_t size, int32_t *start, int32_t *end)
{
    *start = origin < 0 ? -origin : 0;
    *end = size - origin < filter ? size - origin : filter;
}

/* Integer pools: `bytes` is 1 (int8) or 2 (int16); `average` or max. */
static void pool_integer(int32_t *p, const uint8_t *model, uint8_t *arena, int bytes, int average)
{
    struct pool_shape s;
    pool_shape(p, &s);
    const uint8_t *input = tfl_tensor(p, TFL_POOL_INPUT, model, arena);
    uint8_t *out = tfl_output(p, TFL_POOL_OUTPUT, arena);
    const int32_t act_min = p[TFL_POOL_ACTIVATION_MIN];
    const int32_t act_max = p[TFL_POOL_ACTIVATION_MAX];
    for (int32_t b = 0; b < s.batches; b++)
        for (int32_t oy = 0; oy < s.out_h; oy++) {
            const int32_t origin_y = oy * s.stride_h - s.pad_h;
            int32_t y0, y1;
            pool_window(origin_y, s.filter_h, s.in_h, &y0, &y1);
            for (int32_t ox = 0; ox < s.out_w; ox++) {
                const int32_t origin_x = ox * s.stride_w - s.pad_w;
                int32_t x0, x1;
                pool_window(origin_x, s.filter_w, s.in_w, &x0, &x1);
                const int32_t count = (y1 - y0) * (x1 - x0);
                for (int32_t c = 0; c < s.depth; c++) {
                    int32_t acc = average ? 0 : bytes == 1 ? -128 : -32768;
                    for (int32_t fy = y0; fy < y1; fy++) {
                        const int32_t row = (b * s.in_h + origin_y + fy) * s.in_w;
                        for (int32_t fx = x0; fx < x1; fx++) {
                            const int32_t at = (row + origin_x + fx) * s.depth + c;
                            const int32_t v = bytes == 1 ? ((const int8_t *)input)[at] : tfl_load_i16(input + 2 * at);
                            if (average) acc += v;
                            else if (v > acc) acc = v;
                        }
                    }
                    /* C's division truncates toward zero; adding half the count first rounds. */
                    if (average) acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    acc = tfl_clamp(acc, act_min, act_max);
                    if (bytes == 1) *out = (uint8_t)acc;
                    else tfl_store_i16(out, acc);
                    out += bytes;
                }
            }
        }
}

void tflite_average_pool_2d_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    pool_integer(p, model, arena, 1, 1);
}

void tflite_average_pool_2d_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    pool_integer(p, model, arena, 2, 1);
}

void tflite_max_pool_2d_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    pool_integer(p, model, arena, 1, 0);
}

void tflite_max_pool_2d_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    pool_integer(p, model, arena, 2, 0);
}

static void pool_float(int32_t *p, const uint8_t *model, uint8_t *arena, int average)
{
    struct pool_shape s;
    pool_shape(p, &s);
    const uint8_t *input = tfl_tensor(p, TFL_POOL_INPUT, model, arena);
    uint8_t *out = tfl_output(p, TFL_POOL_OUTPUT, arena);
    const float act_min = tfl_param_float(p, TFL_POOL_ACTIVATION_MIN);
    const float act_max = tfl_param_float(p, TFL_POOL_ACTIVATION_MAX);
    for (int32_t b = 0; b < s.batches; b++)
        for (int32_t oy = 0; oy < s.out_h; oy++) {
            const int32_t origin_y = oy * s.stride_h - s.pad_h;
            int32_t y0, y1;
            pool_window(origin_y, s.filter_h, s.in_h, &y0, &y1);
            for (int32_t ox = 0; ox < s.out_w; ox++) {
                const int32_t origin_x = ox * s.stride_w - s.pad_w;
                int32_t x0, x1;
                pool_window(origin_x, s.filter_w, s.in_w, &x0, &x1);
                const int32_t count = (y1 - y0) * (x1 - x0);
                for (int32_t c = 0; c < s.depth; c++) {
                    /* The sum in TFLM's order; std::max keeps max unless max < v (a NaN is skipped). */
                    float acc = average ? 0.0f : -0x1.fffffep127f;
                    for (int32_t fy = y0; fy < y1; fy++) {
                        const int32_t row = (b * s.in_h + origin_y + fy) * s.in_w;
                        for (int32_t fx = x0; fx < x1; fx++) {
                            const float v = tfl_load_f32(input + 4 * ((row + origin_x + fx) * s.depth + c));
                            if (average) acc += v;
                            else if (acc < v) acc = v;
                        }
                    }
                    if (average) acc = acc / (float)count;
                    tfl_store_f32(out, tfl_clamp_float(acc, act_min, act_max));
                    out += 4;
                }
            }
        }
}

void tflite_average_pool_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    pool_float(p, model, arena, 1);
}

void tflite_max_pool_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    pool_float(p, model, arena, 0);
}
