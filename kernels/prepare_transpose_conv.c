/* TRANSPOSE_CONV's prepare (kernel_transpose_conv.ts prepareTransposeConv, where the op is explained). */
#include "prepare.h"
#include "kernel_util.h"

enum { TCONV_OPT_PADDING = 0, TCONV_OPT_STRIDE_W = 1, TCONV_OPT_STRIDE_H = 2, TCONV_OPT_FUSED_ACTIVATION = 3 };
enum { TCONV_OUTPUT_SHAPE = 0, TCONV_FILTER = 1, TCONV_INPUT = 2, TCONV_BIAS = 3 };
enum { PADDING_SAME = 0, PADDING_VALID = 1 };
enum { ACT_TANH = 4, ACT_SIGN_BIT = 5 };

/* convPadding(stride, 1, size, filter, convOutSize(padding, size, filter, stride, 1)): TFLM's
 * ComputePaddingHeightWidth on the output's size, in doubles in the STS's order (the range check
 * before keeps every value below 2^32). */
static int32_t pad_before(int32_t padding, double size, double filter, double stride)
{
    double n = padding == PADDING_SAME ? size + stride - 1 : size + stride - filter;
    double out = (double)(int64_t)(n / stride);
    double total = (out - 1) * stride + filter - size;
    return total > 0 ? tfl_to_int32(total / 2) : 0;
}

int tfl_prepare_transpose_conv(tfl_op *op)
{
    const tfl_tensor_info *output_shape = tfl_input(op, TCONV_OUTPUT_SHAPE), *filter = tfl_input(op, TCONV_FILTER);
    const tfl_tensor_info *input = tfl_input(op, TCONV_INPUT), *bias = tfl_input(op, TCONV_BIAS);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, output_shape && filter && input && op->input_count <= 4 && op->output_count == 1 && output,
              "needs an output shape, a filter, an input, an optional bias and one output");
    TFL_CHECK(op, output_shape->type == TFL_TYPE_INT32 && output_shape->rank == 1 && output_shape->shape[0] == 4,
              "the output shape %t must be 4 int32 values", output_shape);
    TFL_CHECK(op, input->rank == 4, "the input must be 4-D (NHWC), not %t", input);
    TFL_CHECK(op, filter->rank == 4, "the filter must be 4-D (OHWI), not %t", filter);
    TFL_CHECK(op, output->rank == 4, "the output must be 4-D (NHWC), not %t", output);
    /* TFLM sizes the output from the output tensor alone: a constant output shape that says
     * otherwise is refused, as TFLite would size the output from it. */
    if (output_shape->is_const) {
        const uint8_t *values = tfl_const_data(op, output_shape);
        for (int32_t i = 0; i < 4; i++)
            TFL_CHECK(op, (int32_t)tfl_load_u32(values + 4 * i) == output->shape[i],
                      "the output shape %t disagrees with output %t in dimension %d", output_shape, output, i);
    }
    int32_t output_depth = filter->shape[0];
    TFL_CHECK(op, output->shape[0] == input->shape[0] && output->shape[3] == output_depth && filter->shape[3] == input->shape[3],
              "input %t, filter %t and output %t disagree (batches, output channels = filter dimension 0, input channels = filter dimension 3)",
              input, filter, output);
    if (bias) TFL_CHECK(op, bias->count == (uint32_t)output_depth, "bias %t must have %d values", bias, output_depth);

    int32_t padding = tfl_opt_byte(op, TCONV_OPT_PADDING, PADDING_SAME);
    int32_t stride_h = tfl_opt_int(op, TCONV_OPT_STRIDE_H, 0), stride_w = tfl_opt_int(op, TCONV_OPT_STRIDE_W, 0);
    int32_t activation = tfl_opt_byte(op, TCONV_OPT_FUSED_ACTIVATION, TFL_ACT_NONE);
    TFL_CHECK(op, padding == PADDING_SAME || padding == PADDING_VALID, "unsupported padding %d", padding);
    TFL_CHECK(op, stride_h >= 1 && stride_w >= 1, "strides must be at least 1, not %d x %d", stride_h, stride_w);
    if (activation > TFL_ACT_RELU6) {   /* NONE, RELU, RELU_N1_TO_1 and RELU6 are 0 to 3 */
        if (activation == ACT_TANH || activation == ACT_SIGN_BIT)
            return tfl_op_fail(op, "unsupported fused activation %s", activation == ACT_TANH ? "TANH" : "SIGN_BIT");
        return tfl_op_fail(op, "unsupported fused activation %d", activation);
    }
    int32_t in_h = input->shape[1], in_w = input->shape[2], filter_h = filter->shape[1], filter_w = filter->shape[2];
    int32_t out_h = output->shape[1], out_w = output->shape[2];
    /* TFLM computes the output positions of the input's windows and its padding in ints: past
     * 2^31 - 1 they mean nothing. */
    TFL_CHECK(op, (int64_t)out_h + stride_h < 2147483648LL && (int64_t)out_w + stride_w < 2147483648LL &&
              (int64_t)(in_h - 1) * stride_h + filter_h < 2147483648LL && (int64_t)(in_w - 1) * stride_w + filter_w < 2147483648LL,
              "strides %d x %d out of range for input %t", stride_h, stride_w, input);

    int32_t body, bias_bytes = 0;
    if (input->type == TFL_TYPE_FLOAT32) {
        TFL_CHECK(op, filter->type == TFL_TYPE_FLOAT32 && output->type == TFL_TYPE_FLOAT32 && (!bias || bias->type == TFL_TYPE_FLOAT32),
                  "float32 input needs float32 filter, bias and output");
        body = TFL_BODY_transpose_conv_float;
    } else if (input->type == TFL_TYPE_INT8) {
        TFL_CHECK(op, filter->type == TFL_TYPE_INT8 && output->type == TFL_TYPE_INT8 && (!bias || bias->type == TFL_TYPE_INT32),
                  "int8 input needs int8 filter and output, int32 bias");
        body = TFL_BODY_transpose_conv_int8;
    } else if (input->type == TFL_TYPE_INT16) {
        TFL_CHECK(op, filter->type == TFL_TYPE_INT8 && output->type == TFL_TYPE_INT16, "int16 input needs int8 filter and int16 output");
        TFL_CHECK(op, input->zero_point == 0 && output->zero_point == 0, "int16 tensors must have zero point 0");
        if (bias) {
            TFL_CHECK(op, bias->type == TFL_TYPE_INT64 || bias->type == TFL_TYPE_INT16,
                      "int16 input needs an int64 (or int16) bias, not %t", bias);
            if (bias->type == TFL_TYPE_INT64 && tfl_check_int64_bias(op, bias)) return 1;
            bias_bytes = bias->type == TFL_TYPE_INT64 ? 8 : 2;
        }
        body = TFL_BODY_transpose_conv_int16;
    } else
        return tfl_op_fail(op, "unsupported input type %y", (int32_t)input->type);

    int quantized = input->type != TFL_TYPE_FLOAT32;
    if (quantized && tfl_check_conv_quantization(op, input, filter, output, output_depth, 0)) return 1;

    int32_t *p = tfl_use_body(op, body, TFL_TRANSPOSE_CONV_MULTIPLIERS + (quantized ? 2 * (uint32_t)output_depth : 0));
    if (!p) return 1;
    tfl_param_tensor(op, TFL_TRANSPOSE_CONV_INPUT, input);
    tfl_param_tensor(op, TFL_TRANSPOSE_CONV_FILTER, filter);
    tfl_param_tensor(op, TFL_TRANSPOSE_CONV_BIAS, bias);
    tfl_param_tensor(op, TFL_TRANSPOSE_CONV_OUTPUT, output);
    for (uint32_t i = 0; i < 4; i++) p[TFL_TRANSPOSE_CONV_BATCHES + i] = input->shape[i];
    p[TFL_TRANSPOSE_CONV_FILTER_HEIGHT] = filter_h;
    p[TFL_TRANSPOSE_CONV_FILTER_WIDTH] = filter_w;
    p[TFL_TRANSPOSE_CONV_OUTPUT_HEIGHT] = out_h;
    p[TFL_TRANSPOSE_CONV_OUTPUT_WIDTH] = out_w;
    p[TFL_TRANSPOSE_CONV_OUTPUT_DEPTH] = output_depth;
    p[TFL_TRANSPOSE_CONV_STRIDE_HEIGHT] = stride_h;
    p[TFL_TRANSPOSE_CONV_STRIDE_WIDTH] = stride_w;
    p[TFL_TRANSPOSE_CONV_PAD_HEIGHT] = pad_before(padding, out_h, filter_h, stride_h);
    p[TFL_TRANSPOSE_CONV_PAD_WIDTH] = pad_before(padding, out_w, filter_w, stride_w);
    if (!quantized) {
        float lo, hi;
        tfl_float_activation_range(activation, &lo, &hi);
        tfl_set_param_float(p, TFL_TRANSPOSE_CONV_ACTIVATION_MIN, lo);
        tfl_set_param_float(p, TFL_TRANSPOSE_CONV_ACTIVATION_MAX, hi);
        return 0;
    }
    p[TFL_TRANSPOSE_CONV_INPUT_OFFSET] = tfl_negate(input->zero_point);
    p[TFL_TRANSPOSE_CONV_OUTPUT_OFFSET] = output->zero_point;
    tfl_quantized_activation_range(activation, output, &p[TFL_TRANSPOSE_CONV_ACTIVATION_MIN], &p[TFL_TRANSPOSE_CONV_ACTIVATION_MAX]);
    p[TFL_TRANSPOSE_CONV_BIAS_BYTES] = bias_bytes;
    tfl_per_channel_multipliers(op, input, filter, output, (uint32_t)output_depth, &p[TFL_TRANSPOSE_CONV_MULTIPLIERS]);
    return 0;
}
