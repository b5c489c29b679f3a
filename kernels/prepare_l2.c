/* L2_NORMALIZATION's and L2_POOL_2D's prepares (kernel_l2.ts prepareL2Normalization, prepareL2Pool): same checks in the same order
 * and the same messages as the STS. */
#include "prepare.h"

enum { L2_NORM_OPT_ACTIVATION = 0 };

int tfl_prepare_l2_normalization(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && op->input_count == 1 && op->output_count == 1, "needs one input and one output");
    /* A scalar has no last dimension: TFLM would read the dimension before the first. */
    TFL_CHECK(op, input->rank >= 1 && input->rank <= 4, "the input must have 1 to 4 dimensions, not %t", input);
    TFL_CHECK(op, output->type == TFL_TYPE_FLOAT32 || output->type == TFL_TYPE_INT8,
              "unsupported type %y of %t (TFLM takes FLOAT32, INT8)", (int32_t)output->type, output);
    TFL_CHECK(op, input->type == output->type, "%t must have the type of %t", output, input);
    const int32_t activation = tfl_opt_byte(op, L2_NORM_OPT_ACTIVATION, 0);
    TFL_CHECK(op, activation == 0, "TFLM takes no fused activation (it has %d)", activation);
    int same = output->rank == input->rank;
    for (uint32_t i = 0; same && i < input->rank; i++) same = output->shape[i] == input->shape[i];
    TFL_CHECK(op, same, "output %t must have the shape of %t", output, input);
    const int32_t depth = input->shape[input->rank - 1];
    const int is_float = input->type == TFL_TYPE_FLOAT32;
    int32_t *p = tfl_use_body(op, is_float ? TFL_BODY_l2_normalization_float : TFL_BODY_l2_normalization_int8, TFL_L2_NORM_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_L2_NORM_INPUT, input);
    tfl_param_tensor(op, TFL_L2_NORM_OUTPUT, output);
    p[TFL_L2_NORM_OUTER_SIZE] = depth == 0 ? 0 : (int32_t)input->count / depth;
    p[TFL_L2_NORM_DEPTH] = depth;
    p[TFL_L2_NORM_INPUT_ZERO_POINT] = is_float ? 0 : input->zero_point;
    return 0;
}

enum {
    POOL_OPT_PADDING = 0, POOL_OPT_STRIDE_W = 1, POOL_OPT_STRIDE_H = 2, POOL_OPT_FILTER_W = 3, POOL_OPT_FILTER_H = 4,
    POOL_OPT_FUSED_ACTIVATION = 5
};
enum { PADDING_SAME = 0, PADDING_VALID = 1 };

/* prepare_pool.c's out_size and pad_before (poolOutputSize, poolPadding), here so that the
 * board's default pool prepare stays as it is. */
static int32_t pool_out_size(int32_t padding, int32_t size, int32_t filter, int32_t stride)
{
    int64_t n = (int64_t)size + stride - (padding == PADDING_SAME ? 1 : filter);
    return (int32_t)(n / stride);
}

static int32_t pool_pad_before(int32_t size, int32_t filter, int32_t stride, int32_t out)
{
    double total = ((double)out - 1) * stride + filter - size;
    return total > 0 ? tfl_to_int32(total) >> 1 : 0;
}

/* L2_POOL_2D: prepare_pool.c's checks and messages, float32 only (kernel_l2.ts prepareL2Pool). */
int tfl_prepare_l2_pool_2d(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && op->input_count == 1 && op->output_count == 1, "needs one input and one output");
    TFL_CHECK(op, input->rank == 4, "the input must be 4-D (NHWC), not %t", input);
    TFL_CHECK(op, output->rank == 4, "the output must be 4-D (NHWC), not %t", output);
    TFL_CHECK(op, input->type == output->type, "input %y and output %y types differ", (int32_t)input->type, (int32_t)output->type);
    TFL_CHECK(op, input->type == TFL_TYPE_FLOAT32, "unsupported type %y of %t (TFLM takes FLOAT32)", (int32_t)input->type, input);
    const int32_t padding = tfl_opt_byte(op, POOL_OPT_PADDING, PADDING_SAME);
    const int32_t stride_w = tfl_opt_int(op, POOL_OPT_STRIDE_W, 0), stride_h = tfl_opt_int(op, POOL_OPT_STRIDE_H, 0);
    const int32_t filter_w = tfl_opt_int(op, POOL_OPT_FILTER_W, 0), filter_h = tfl_opt_int(op, POOL_OPT_FILTER_H, 0);
    const int32_t activation = tfl_opt_byte(op, POOL_OPT_FUSED_ACTIVATION, TFL_ACT_NONE);
    TFL_CHECK(op, padding == PADDING_SAME || padding == PADDING_VALID, "unknown padding %d", padding);
    TFL_CHECK(op, stride_w > 0 && stride_h > 0, "strides must be positive, not %dx%d", stride_h, stride_w);
    TFL_CHECK(op, filter_w > 0 && filter_h > 0, "the filter size must be positive, not %dx%d", filter_h, filter_w);
    /* NONE, RELU, RELU_N1_TO_1 and RELU6 are 0 to 3. */
    TFL_CHECK(op, activation <= TFL_ACT_RELU6, "unsupported fused activation %d", activation);
    const int32_t in_h = input->shape[1], in_w = input->shape[2];
    const int32_t out_h = pool_out_size(padding, in_h, filter_h, stride_h), out_w = pool_out_size(padding, in_w, filter_w, stride_w);
    TFL_CHECK(op, out_h > 0 && out_w > 0, "the %dx%d filter does not fit the %dx%d input with VALID padding",
              filter_h, filter_w, in_h, in_w);
    /* TFLM writes the output's shape from these; a model's other shape would be overrun. */
    TFL_CHECK(op, output->shape[0] == input->shape[0] && output->shape[1] == out_h && output->shape[2] == out_w &&
              output->shape[3] == input->shape[3], "output %t must be [%d,%d,%d,%d] for input %t",
              output, input->shape[0], out_h, out_w, input->shape[3], input);
    int32_t *p = tfl_use_body(op, TFL_BODY_l2_pool_2d_float, TFL_POOL_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_POOL_INPUT, input);
    tfl_param_tensor(op, TFL_POOL_OUTPUT, output);
    for (uint32_t i = 0; i < 4; i++) p[TFL_POOL_BATCHES + i] = input->shape[i];
    p[TFL_POOL_OUTPUT_HEIGHT] = out_h;
    p[TFL_POOL_OUTPUT_WIDTH] = out_w;
    p[TFL_POOL_STRIDE_HEIGHT] = stride_h;
    p[TFL_POOL_STRIDE_WIDTH] = stride_w;
    p[TFL_POOL_FILTER_HEIGHT] = filter_h;
    p[TFL_POOL_FILTER_WIDTH] = filter_w;
    p[TFL_POOL_PADDING_HEIGHT] = pool_pad_before(in_h, filter_h, stride_h, out_h);
    p[TFL_POOL_PADDING_WIDTH] = pool_pad_before(in_w, filter_w, stride_w, out_w);
    float lo, hi;
    tfl_float_activation_range(activation, &lo, &hi);
    tfl_set_param_float(p, TFL_POOL_ACTIVATION_MIN, lo);
    tfl_set_param_float(p, TFL_POOL_ACTIVATION_MAX, hi);
    return 0;
}

/* LOG_SOFTMAX (float32, int8): kernel_l2.ts prepareLogSoftmax. */
int tfl_prepare_log_softmax(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && op->input_count == 1 && op->output_count == 1, "needs one input and one output");
    TFL_CHECK(op, input->type == output->type, "%t must have the type of %t", output, input);
    int same = output->rank == input->rank;
    for (uint32_t i = 0; same && i < input->rank; i++) same = output->shape[i] == input->shape[i];
    TFL_CHECK(op, same, "output %t must have the shape of %t", output, input);
    const int is_float = input->type == TFL_TYPE_FLOAT32;
    TFL_CHECK(op, is_float || input->type == TFL_TYPE_INT8, "unsupported type %y of %t (TFLM takes FLOAT32, INT8)",
              (int32_t)input->type, input);
    /* A scalar has no last dimension: TFLM would read the dimension before the first. */
    TFL_CHECK(op, input->rank >= 1, "the input must have at least one dimension, not %t", input);
    const int32_t depth = input->shape[input->rank - 1];
    int32_t multiplier = 0, left_shift = 0, divisor = 0, divisor_shift = 0;
    if (!is_float) {
        TFL_CHECK(op, output->scale == 16.0f / 256 && output->zero_point == 127,
                  "an int8 output must have scale 16/256 and zero point 127 (TFLM's), not scale %f and zero point %d",
                  (double)output->scale, output->zero_point);
        /* Each exp is at most 2^19 in Q12.19: 4,096 of them overflow TFLM's int32 sum. */
        TFL_CHECK(op, depth < 4096, "rows of %d values are too long for the int8 log softmax (at most 4095)", depth);
        /* PreprocessLogSoftmaxScalingExp with beta 1 (Math.min in the STS: NaN stays NaN). */
        double real = (double)input->scale * 67108864.0;
        if (real > 2147483647.0) real = 2147483647.0;
        tfl_quantize_multiplier(real, &multiplier, &left_shift);
        TFL_CHECK(op, real > 1, "the scale of %t times 2^26 is %f, too small for the int8 log softmax (TFLM needs more than 1)",
                  input, real);
        /* real > 1 makes the left shift 1 to 31 and this divisor below 1. */
        tfl_quantize_multiplier((double)(1u << (31 - left_shift)) / multiplier, &divisor, &divisor_shift);
    }
    int32_t *p = tfl_use_body(op, is_float ? TFL_BODY_log_softmax_float : TFL_BODY_log_softmax_int8, TFL_LOG_SOFTMAX_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_LOG_SOFTMAX_INPUT, input);
    tfl_param_tensor(op, TFL_LOG_SOFTMAX_OUTPUT, output);
    p[TFL_LOG_SOFTMAX_OUTER_SIZE] = depth == 0 ? 0 : (int32_t)input->count / depth;
    p[TFL_LOG_SOFTMAX_DEPTH] = depth;
    if (!is_float) {
        p[TFL_LOG_SOFTMAX_INPUT_MULTIPLIER] = multiplier;
        p[TFL_LOG_SOFTMAX_INPUT_LEFT_SHIFT] = left_shift;
        p[TFL_LOG_SOFTMAX_REVERSE_SCALING_DIVISOR] = divisor;
        p[TFL_LOG_SOFTMAX_REVERSE_SCALING_SHIFT] = divisor_shift;
        /* -CalculateInputRadius(5, left_shift, 31): -floor((2^5 - 1) * 2^26 / 2^left_shift). */
        p[TFL_LOG_SOFTMAX_DIFF_MIN] = -(int32_t)(((uint64_t)31 << 26) >> left_shift);
    }
    return 0;
}
