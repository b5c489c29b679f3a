/* AVERAGE_POOL_2D's, MAX_POOL_2D's and (all-ops builds) L2_POOL_2D's prepare (kernel_pool.ts preparePool). */
#include "prepare.h"

enum {
    POOL_OPT_PADDING = 0, POOL_OPT_STRIDE_W = 1, POOL_OPT_STRIDE_H = 2, POOL_OPT_FILTER_W = 3, POOL_OPT_FILTER_H = 4,
    POOL_OPT_FUSED_ACTIVATION = 5
};
enum { PADDING_SAME = 0, PADDING_VALID = 1 };

/* poolOutputSize (TFLM's ComputeOutSize): SAME covers every input pixel, VALID keeps only windows
 * that fit entirely; C's division truncates toward zero. Every quotient here fits an int32. */
static int32_t out_size(int32_t padding, int32_t size, int32_t filter, int32_t stride)
{
    int64_t n = (int64_t)size + stride - (padding == PADDING_SAME ? 1 : filter);
    return (int32_t)(n / stride);
}

/* poolPadding (TFLM's ComputePaddingWithOffset): the padding before the first pixel (the odd one
 * goes after). As the STS: the total in double (a corrupt model's can pass 2^53 and round), then
 * `total >> 1`, which wraps it to int32 first. */
static int32_t pad_before(int32_t size, int32_t filter, int32_t stride, int32_t out)
{
    double total = ((double)out - 1) * stride + filter - size;
    return total > 0 ? tfl_to_int32(total) >> 1 : 0;
}

int tfl_prepare_pool(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && output, "needs an input and an output");
#if TINYML_ALL_OPS
    /* TFLM's L2Prepare also counts the tensors. */
    const int l2 = op->opcode == TFL_OP_L2_POOL_2D;
    TFL_CHECK(op, !l2 || (op->input_count == 1 && op->output_count == 1), "needs one input and one output");
#endif
    TFL_CHECK(op, input->rank == 4, "the input must be 4-D (NHWC), not %t", input);
    TFL_CHECK(op, output->rank == 4, "the output must be 4-D (NHWC), not %t", output);
    TFL_CHECK(op, input->type == output->type, "input %y and output %y types differ", (int32_t)input->type, (int32_t)output->type);
    int32_t padding = tfl_opt_byte(op, POOL_OPT_PADDING, PADDING_SAME);
    int32_t stride_w = tfl_opt_int(op, POOL_OPT_STRIDE_W, 0), stride_h = tfl_opt_int(op, POOL_OPT_STRIDE_H, 0);
    int32_t filter_w = tfl_opt_int(op, POOL_OPT_FILTER_W, 0), filter_h = tfl_opt_int(op, POOL_OPT_FILTER_H, 0);
    int32_t activation = tfl_opt_byte(op, POOL_OPT_FUSED_ACTIVATION, TFL_ACT_NONE);
    TFL_CHECK(op, padding == PADDING_SAME || padding == PADDING_VALID, "unknown padding %d", padding);
    TFL_CHECK(op, stride_w > 0 && stride_h > 0, "strides must be positive, not %dx%d", stride_h, stride_w);
    TFL_CHECK(op, filter_w > 0 && filter_h > 0, "the filter size must be positive, not %dx%d", filter_h, filter_w);
    /* NONE, RELU, RELU_N1_TO_1 and RELU6 are 0 to 3. */
    TFL_CHECK(op, activation <= TFL_ACT_RELU6, "unsupported fused activation %d", activation);

    int32_t in_h = input->shape[1], in_w = input->shape[2];
    int32_t out_h = out_size(padding, in_h, filter_h, stride_h), out_w = out_size(padding, in_w, filter_w, stride_w);
    TFL_CHECK(op, out_h > 0 && out_w > 0, "the %dx%d filter does not fit the %dx%d input with VALID padding",
              filter_h, filter_w, in_h, in_w);
    TFL_CHECK(op, output->shape[0] == input->shape[0] && output->shape[1] == out_h && output->shape[2] == out_w &&
              output->shape[3] == input->shape[3], "output %t must be [%d,%d,%d,%d] for input %t",
              output, input->shape[0], out_h, out_w, input->shape[3], input);

    int average = op->opcode == TFL_OP_AVERAGE_POOL_2D;
    int32_t body;
    TFL_DEFAULT_BUILD_TYPES(op, input->type == TFL_TYPE_INT8);
#if TINYML_ALL_OPS
    if (l2) {
        /* TFLM evaluates L2_POOL_2D in float32 only. */
        TFL_CHECK(op, input->type == TFL_TYPE_FLOAT32, "unsupported type %y of %t (TFLM takes FLOAT32)", (int32_t)input->type, input);
        body = TFL_BODY_l2_pool_2d_float;
    } else
#endif
    if (input->type == TFL_TYPE_FLOAT32) body = average ? TFL_BODY_average_pool_2d_float : TFL_BODY_max_pool_2d_float;
    else if (input->type == TFL_TYPE_INT8) body = average ? TFL_BODY_average_pool_2d_int8 : TFL_BODY_max_pool_2d_int8;
    else if (input->type == TFL_TYPE_INT16) body = average ? TFL_BODY_average_pool_2d_int16 : TFL_BODY_max_pool_2d_int16;
    else return tfl_op_fail(op, "unsupported input type %y", (int32_t)input->type);
    if (input->type != TFL_TYPE_FLOAT32) {
        /* The pool does not rescale: TFLM requires the output to share the input's quantization. */
        double difference = (double)input->scale - (double)output->scale;
        TFL_CHECK(op, (difference < 0 ? -difference : difference) <= 1.0e-6 && input->zero_point == output->zero_point,
                  "input and output quantization differ (scale %f vs %f, zero point %d vs %d)",
                  (double)input->scale, (double)output->scale, input->zero_point, output->zero_point);
    }

    int32_t *p = tfl_use_body(op, body, TFL_POOL_WORDS);
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
    p[TFL_POOL_PADDING_HEIGHT] = pad_before(in_h, filter_h, stride_h, out_h);
    p[TFL_POOL_PADDING_WIDTH] = pad_before(in_w, filter_w, stride_w, out_w);
    if (input->type == TFL_TYPE_FLOAT32) {
        /* Without an activation the bounds are +-FLT_MAX, so an infinite input is clamped to them. */
        float lo, hi;
        tfl_float_activation_range(activation, &lo, &hi);
        tfl_set_param_float(p, TFL_POOL_ACTIVATION_MIN, lo);
        tfl_set_param_float(p, TFL_POOL_ACTIVATION_MAX, hi);
    } else
        tfl_quantized_activation_range(activation, output, &p[TFL_POOL_ACTIVATION_MIN], &p[TFL_POOL_ACTIVATION_MAX]);
    return 0;
}
