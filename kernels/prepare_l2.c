/* L2_NORMALIZATION's and LOG_SOFTMAX's prepares (kernel_l2.ts prepareL2Normalization, prepareLogSoftmax): same checks in
 * the same order and the same messages as the STS. L2_POOL_2D's is prepare_pool.c's. */
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
