/* Shape and data-movement ops: RESHAPE/SQUEEZE/EXPAND_DIMS (a copy), CONCATENATION, PAD/PADV2,
 * STRIDED_SLICE, TRANSPOSE (bytes moved without looking at them, ElementSize at a time) and MEAN.
 * Parameter blocks: enum tfl_copy, tfl_concatenation, tfl_pad, tfl_strided_slice, tfl_transpose,
 * tfl_mean (libs/tflite/kernel_shape.ts). */
/* Small beats fast here: none of these bodies is on the built-in models' hot path, and every C
 * function of the extension takes flash in every program (before the includes, so that the
 * inline helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"

/* RESHAPE, SQUEEZE and EXPAND_DIMS: the same bytes in the output's own place. */
void tflite_reshape_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_COPY_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_COPY_OUTPUT, arena);
    if (output != input) memcpy(output, input, (uint32_t)p[TFL_COPY_BYTES]);
}

void tflite_squeeze_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    tflite_reshape_bytes(p, model, arena);
}

void tflite_expand_dims_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    tflite_reshape_bytes(p, model, arena);
}

/* For each index of the dimensions before the axis, one run of each input, in order. */
void tflite_concatenation_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    uint8_t *output = tfl_output(p, TFL_CONCATENATION_OUTPUT, arena);
    const int32_t outer = p[TFL_CONCATENATION_OUTER_COUNT];
    const int32_t n = p[TFL_CONCATENATION_INPUT_COUNT];
    for (int32_t k = 0; k < outer; k++)
        for (int32_t i = 0; i < n; i++) {
            const int w = TFL_CONCATENATION_INPUTS + TFL_CONCATENATION_INPUT_WORDS * i;
            const int32_t run = p[w + TFL_CONCATENATION_INPUT_RUN_BYTES];
            memcpy(output, tfl_tensor(p, w + TFL_CONCATENATION_INPUT_TENSOR, model, arena) + k * run, (uint32_t)run);
            output += run;
        }
}

/* Five dimensions, outermost first: each output index inside [from, to) takes the next input
 * element, every other one the pad value. */
void tflite_pad_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_PAD_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_PAD_OUTPUT, arena);
    const uint8_t *value = tfl_tensor(p, TFL_PAD_VALUE, model, arena);
    if (!value) value = (const uint8_t *)(p + TFL_PAD_DEFAULT_VALUE);
    const uint32_t size = (uint32_t)p[TFL_PAD_ELEMENT_SIZE];
    int32_t n[TFL_CONST_PAD_DIMS], from[TFL_CONST_PAD_DIMS], to[TFL_CONST_PAD_DIMS];
    for (int d = 0; d < TFL_CONST_PAD_DIMS; d++) {
        n[d] = p[TFL_PAD_DIMS + 3 * d];
        from[d] = p[TFL_PAD_DIMS + 3 * d + 1];
        to[d] = n[d] - p[TFL_PAD_DIMS + 3 * d + 2];
    }
    for (int32_t i0 = 0; i0 < n[0]; i0++) {
        const int in0 = i0 >= from[0] && i0 < to[0];
        for (int32_t i1 = 0; i1 < n[1]; i1++) {
            const int in1 = in0 && i1 >= from[1] && i1 < to[1];
            for (int32_t i2 = 0; i2 < n[2]; i2++) {
                const int in2 = in1 && i2 >= from[2] && i2 < to[2];
                for (int32_t i3 = 0; i3 < n[3]; i3++) {
                    const int in3 = in2 && i3 >= from[3] && i3 < to[3];
                    for (int32_t i4 = 0; i4 < n[4]; i4++) {
                        if (in3 && i4 >= from[4] && i4 < to[4]) {
                            memcpy(output, input, size);
                            input += size;
                        } else memcpy(output, value, size);
                        output += size;
                    }
                }
            }
        }
    }
}

/* The input element offset of output `index` from MEAN_DIMS (size, stride) kept pairs. */
static int32_t mean_offset(const int32_t *p, int32_t index)
{
    int32_t offset = 0;
    for (int d = TFL_CONST_MEAN_DIMS - 1; d >= 0; d--) {
        const int32_t size = p[TFL_MEAN_KEPT + 2 * d];
        offset += index % size * p[TFL_MEAN_KEPT + 2 * d + 1];
        index /= size;
    }
    return offset;
}

/* Loops over the values averaged into one output, in input order (the innermost averaged
 * dimension fastest), with `at` their input element offset from the output's first value:
 * r points at the MEAN_DIMS (size, stride) averaged pairs. */
#define MEAN_FOR_EACH_AVERAGED(r, at)                                                   \
    for (int32_t i0 = 0; i0 < (r)[0]; i0++)                                             \
        for (int32_t i1 = 0; i1 < (r)[2]; i1++)                                         \
            for (int32_t i2 = 0; i2 < (r)[4]; i2++)                                     \
                for (int32_t i3 = 0; i3 < (r)[6]; i3++)                                 \
                    for (int32_t i4 = 0, at = i0 * (r)[1] + i1 * (r)[3] + i2 * (r)[5] + i3 * (r)[7]; \
                         i4 < (r)[8]; i4++, at += (r)[9])

/* The int8/int16 mean of one output from its int32 sum: less Count input zero points, rescaled
 * with 1/Count folded in, plus the output zero point, saturated. */
static int32_t quantized_mean(const int32_t *p, uint32_t sum, int32_t lo, int32_t hi)
{
    const int32_t shifted = (int32_t)(sum - (uint32_t)p[TFL_MEAN_INPUT_ZERO_POINT] * (uint32_t)p[TFL_MEAN_COUNT]);
    const int32_t v = tfl_multiply_by_quantized_multiplier(shifted, p[TFL_MEAN_MULTIPLIER], p[TFL_MEAN_SHIFT]) +
        p[TFL_MEAN_OUTPUT_ZERO_POINT];
    return tfl_clamp(v, lo, hi);
}

void tflite_mean_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const int8_t *input = (const int8_t *)tfl_tensor(p, TFL_MEAN_INPUT, model, arena);
    int8_t *output = (int8_t *)tfl_output(p, TFL_MEAN_OUTPUT, arena);
    const int32_t outputs = p[TFL_MEAN_OUTPUT_COUNT];
    const int32_t *r = p + TFL_MEAN_REDUCED;
    for (int32_t o = 0; o < outputs; o++) {
        const int8_t *base = input + mean_offset(p, o);
        uint32_t sum = 0;
        MEAN_FOR_EACH_AVERAGED(r, at) sum += (uint32_t)base[at];
        output[o] = (int8_t)quantized_mean(p, sum, -128, 127);
    }
}

void tflite_mean_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_MEAN_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_MEAN_OUTPUT, arena);
    const int32_t outputs = p[TFL_MEAN_OUTPUT_COUNT];
    const int32_t *r = p + TFL_MEAN_REDUCED;
    for (int32_t o = 0; o < outputs; o++) {
        const uint8_t *base = input + 2 * mean_offset(p, o);
        uint32_t sum = 0;
        MEAN_FOR_EACH_AVERAGED(r, at) sum += (uint32_t)tfl_load_i16(base + 2 * at);
        tfl_store_i16(output + 2 * o, quantized_mean(p, sum, -32768, 32767));
    }
}

/* SUM int8/int16: the mean bodies, the block's multiplier having no 1/count in it. */
void tflite_sum_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    tflite_mean_int8(p, model, arena);
}

void tflite_sum_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    tflite_mean_int16(p, model, arena);
}

static void sum_or_mean_float(int32_t *p, const uint8_t *model, uint8_t *arena, int mean)
{
    const uint8_t *input = tfl_tensor(p, TFL_MEAN_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_MEAN_OUTPUT, arena);
    const int32_t outputs = p[TFL_MEAN_OUTPUT_COUNT];
    const int32_t count = p[TFL_MEAN_COUNT];
    const int32_t *r = p + TFL_MEAN_REDUCED;
    for (int32_t o = 0; o < outputs; o++) {
        const uint8_t *base = input + 4 * mean_offset(p, o);
        /* float32 sums in input order. */
        float sum = 0.0f;
        MEAN_FOR_EACH_AVERAGED(r, at) sum += tfl_load_f32(base + 4 * at);
        tfl_store_f32(output + 4 * o, mean ? sum / (float)count : sum);
    }
}

void tflite_mean_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    sum_or_mean_float(p, model, arena, 1);
}

void tflite_sum_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    sum_or_mean_float(p, model, arena, 0);
}

/* REDUCE_MAX/MIN int8: TFLM's ReduceGeneric, from the type's lowest (highest) value. */
static void extreme_int8(int32_t *p, const uint8_t *model, uint8_t *arena, int max)
{
    const int8_t *input = (const int8_t *)tfl_tensor(p, TFL_MEAN_INPUT, model, arena);
    int8_t *output = (int8_t *)tfl_output(p, TFL_MEAN_OUTPUT, arena);
    const int32_t outputs = p[TFL_MEAN_OUTPUT_COUNT];
    const int32_t *r = p + TFL_MEAN_REDUCED;
    for (int32_t o = 0; o < outputs; o++) {
        const int8_t *base = input + mean_offset(p, o);
        int8_t best = max ? -128 : 127;
        MEAN_FOR_EACH_AVERAGED(r, at) if (max ? base[at] > best : base[at] < best) best = base[at];
        output[o] = best;
    }
}

/* float32: from float's lowest (highest) value, so NaNs never replace it, as in TFLM. */
static void extreme_float(int32_t *p, const uint8_t *model, uint8_t *arena, int max)
{
    const uint8_t *input = tfl_tensor(p, TFL_MEAN_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_MEAN_OUTPUT, arena);
    const int32_t outputs = p[TFL_MEAN_OUTPUT_COUNT];
    const int32_t *r = p + TFL_MEAN_REDUCED;
    for (int32_t o = 0; o < outputs; o++) {
        const uint8_t *base = input + 4 * mean_offset(p, o);
        float best = max ? -3.40282347e+38f : 3.40282347e+38f;
        MEAN_FOR_EACH_AVERAGED(r, at) {
            const float v = tfl_load_f32(base + 4 * at);
            if (max ? v > best : v < best) best = v;
        }
        tfl_store_f32(output + 4 * o, best);
    }
}

void tflite_reduce_max_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    extreme_int8(p, model, arena, 1);
}

void tflite_reduce_min_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    extreme_int8(p, model, arena, 0);
}

void tflite_reduce_max_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    extreme_float(p, model, arena, 1);
}

void tflite_reduce_min_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    extreme_float(p, model, arena, 0);
}

/* REDUCE_ALL: TFLM's ReduceGeneric from true, false once a reduced value is. */
void tflite_reduce_all_bool(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_MEAN_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_MEAN_OUTPUT, arena);
    const int32_t outputs = p[TFL_MEAN_OUTPUT_COUNT];
    const int32_t *r = p + TFL_MEAN_REDUCED;
    for (int32_t o = 0; o < outputs; o++) {
        const uint8_t *base = input + mean_offset(p, o);
        uint8_t all = 1;
        MEAN_FOR_EACH_AVERAGED(r, at) if (!base[at]) all = 0;
        output[o] = all;
    }
}

/* TFLM's loop condition: whether index i is still before stop going by stride. */
static inline int before_stop(int32_t i, int32_t stop, int32_t stride)
{
    return stride > 0 ? i < stop : i > stop;
}

void tflite_strided_slice_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_STRIDED_SLICE_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_STRIDED_SLICE_OUTPUT, arena);
    const int32_t size = p[TFL_STRIDED_SLICE_ELEMENT_SIZE];
    /* (start, stop, stride, input stride) per dimension, outermost first. */
    const int32_t *d = p + TFL_STRIDED_SLICE_DIMS;
    for (int32_t i0 = d[0]; before_stop(i0, d[1], d[2]); i0 += d[2])
        for (int32_t i1 = d[4]; before_stop(i1, d[5], d[6]); i1 += d[6])
            for (int32_t i2 = d[8]; before_stop(i2, d[9], d[10]); i2 += d[10])
                for (int32_t i3 = d[12]; before_stop(i3, d[13], d[14]); i3 += d[14]) {
                    const int32_t row = i0 * d[3] + i1 * d[7] + i2 * d[11] + i3 * d[15];
                    for (int32_t i4 = d[16]; before_stop(i4, d[17], d[18]); i4 += d[18]) {
                        memcpy(output, input + size * (row + i4 * d[19]), (uint32_t)size);
                        output += size;
                    }
                }
}

void tflite_transpose_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_TRANSPOSE_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_TRANSPOSE_OUTPUT, arena);
    const int32_t size = p[TFL_TRANSPOSE_ELEMENT_SIZE];
    /* (output size, input stride) per dimension, outermost first. */
    const int32_t *d = p + TFL_TRANSPOSE_DIMS;
    for (int32_t i0 = 0; i0 < d[0]; i0++)
        for (int32_t i1 = 0; i1 < d[2]; i1++)
            for (int32_t i2 = 0; i2 < d[4]; i2++)
                for (int32_t i3 = 0; i3 < d[6]; i3++) {
                    const int32_t row = i0 * d[1] + i1 * d[3] + i2 * d[5] + i3 * d[7];
                    for (int32_t i4 = 0; i4 < d[8]; i4++) {
                        memcpy(output, input + size * (row + i4 * d[9]), (uint32_t)size);
                        output += size;
                    }
                }
}
