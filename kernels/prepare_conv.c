/* CONV_2D's and DEPTHWISE_CONV_2D's prepare (kernel_conv.ts prepareConv2D, prepareDepthwiseConv2D). */
#include "prepare.h"

/* Builtin option fields. DEPTHWISE_CONV_2D's are CONV_2D's with DepthMultiplier inserted at 3, so
 * its activation and dilations sit one field later. */
enum {
    CONV_OPT_PADDING = 0, CONV_OPT_STRIDE_W = 1, CONV_OPT_STRIDE_H = 2, CONV_OPT_FUSED_ACTIVATION = 3,
    CONV_OPT_DILATION_W = 4, CONV_OPT_DILATION_H = 5, DEPTHWISE_OPT_DEPTH_MULTIPLIER = 3
};
enum { PADDING_SAME = 0, PADDING_VALID = 1 };
enum { ACT_TANH = 4, ACT_SIGN_BIT = 5 };

/* A corrupt model's sizes, strides and dilations can take these sums past 2^53: they are computed
 * in double in the STS's order, so that they round alike (and below 2^63, so casts are safe).
 *
 * convOutSize (TFLM's ComputeOutSize): SAME keeps ceil(size / stride) positions, VALID only those
 * where the dilated window fits; C's division truncates toward zero. */
static double out_size(int32_t padding, double size, double filter, double stride, double dilation)
{
    double effective = (filter - 1) * dilation + 1;
    double n = padding == PADDING_SAME ? size + stride - 1 : size + stride - effective;
    return (double)(int64_t)(n / stride);
}

/* convPadding (TFLM's ComputePaddingWithOffset): the padding before the first element, floor(total
 * / 2), stored as setParam does. */
static int32_t pad_before(double stride, double dilation, double size, double filter, double out)
{
    double total = (out - 1) * stride + ((filter - 1) * dilation + 1) - size;
    return total > 0 ? tfl_to_int32(total / 2) : 0;
}

/* prepareConvCommon: checks what both ops share, reads their options, picks the body and fills
 * every word of its parameter block (at *params) but the op-specific ones. `depthwise` picks the
 * op; its filter counts output channels along dimension 3 (TFLM's quantized dimension), CONV_2D's
 * along 0. */
static int prepare_common(tfl_op *op, int depthwise, int32_t output_depth, int32_t **params)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *filter = tfl_input(op, 1), *bias = tfl_input(op, 2);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    int32_t channel_dim = depthwise ? 3 : 0;
    int32_t padding = tfl_opt_byte(op, CONV_OPT_PADDING, PADDING_SAME);
    int32_t stride_h = tfl_opt_int(op, CONV_OPT_STRIDE_H, 0), stride_w = tfl_opt_int(op, CONV_OPT_STRIDE_W, 0);
    int32_t dilation_h = tfl_opt_int(op, CONV_OPT_DILATION_H + depthwise, 1);
    int32_t dilation_w = tfl_opt_int(op, CONV_OPT_DILATION_W + depthwise, 1);
    int32_t activation = tfl_opt_byte(op, CONV_OPT_FUSED_ACTIVATION + depthwise, TFL_ACT_NONE);
    TFL_CHECK(op, padding == PADDING_SAME || padding == PADDING_VALID, "unsupported padding %d", padding);
    TFL_CHECK(op, stride_h >= 1 && stride_w >= 1, "strides must be at least 1, not %d x %d", stride_h, stride_w);
    int32_t filter_h = filter->shape[1], filter_w = filter->shape[2];
    /* TFLM computes the dilated filter's span, (size - 1) * dilation + 1, in an int: past 2^31 - 1
     * it means nothing, and the taps' offsets in conv.c would overflow. */
    TFL_CHECK(op, dilation_h >= 1 && dilation_w >= 1 && (int64_t)(filter_h - 1) * dilation_h < 2147483647 &&
              (int64_t)(filter_w - 1) * dilation_w < 2147483647,
              "dilation %d x %d out of range for a %dx%d filter", dilation_h, dilation_w, filter_h, filter_w);
    if (activation > TFL_ACT_RELU6) {   /* NONE, RELU, RELU_N1_TO_1 and RELU6 are 0 to 3 */
        if (activation == ACT_TANH || activation == ACT_SIGN_BIT)
            return tfl_op_fail(op, "unsupported fused activation %s", activation == ACT_TANH ? "TANH" : "SIGN_BIT");
        return tfl_op_fail(op, "unsupported fused activation %d", activation);
    }
    int32_t in_h = input->shape[1], in_w = input->shape[2];
    double out_h = out_size(padding, in_h, filter_h, stride_h, dilation_h);
    double out_w = out_size(padding, in_w, filter_w, stride_w, dilation_w);
    TFL_CHECK(op, out_h > 0 && out_w > 0, "the %dx%d filter (dilation %dx%d) does not fit in input %t",
              filter_h, filter_w, dilation_h, dilation_w, input);
    TFL_CHECK(op, output->shape[0] == input->shape[0] && output->shape[1] == out_h && output->shape[2] == out_w &&
              output->shape[3] == output_depth, "output %t must be [%d,%f,%f,%d]", output, input->shape[0], out_h, out_w, output_depth);
    if (bias) TFL_CHECK(op, bias->count == (uint32_t)output_depth, "bias %t must have %d values", bias, output_depth);

    int32_t body;
    TFL_DEFAULT_BUILD_TYPES(op, input->type == TFL_TYPE_INT8);
    if (input->type == TFL_TYPE_FLOAT32) {
        TFL_CHECK(op, filter->type == TFL_TYPE_FLOAT32 && output->type == TFL_TYPE_FLOAT32 && (!bias || bias->type == TFL_TYPE_FLOAT32),
                  "float32 input needs float32 filter, bias and output");
        body = depthwise ? TFL_BODY_depthwise_conv_2d_float : TFL_BODY_conv_2d_float;
    } else if (input->type == TFL_TYPE_INT8) {
        TFL_CHECK(op, filter->type == TFL_TYPE_INT8 && output->type == TFL_TYPE_INT8 && (!bias || bias->type == TFL_TYPE_INT32),
                  "int8 input needs int8 filter and output, int32 bias");
        body = depthwise ? TFL_BODY_depthwise_conv_2d_int8 : TFL_BODY_conv_2d_int8;
    } else if (input->type == TFL_TYPE_INT16) {
        TFL_CHECK(op, filter->type == TFL_TYPE_INT8 && output->type == TFL_TYPE_INT16, "int16 input needs int8 filter and int16 output");
        TFL_CHECK(op, input->zero_point == 0 && output->zero_point == 0, "int16 tensors must have zero point 0");
        /* TFLM's CONV_2D sums in int32 when the bias is int32 or absent, in int64 for an int64 bias. */
        if (!depthwise && (!bias || bias->type == TFL_TYPE_INT32)) body = TFL_BODY_conv_2d_int16_acc32;
        else {
            if (bias) TFL_CHECK(op, bias->type == TFL_TYPE_INT64, "int16 input needs an int64 bias, not %t", bias);
            if (tfl_check_int64_bias(op, bias)) return 1;
            body = depthwise ? TFL_BODY_depthwise_conv_2d_int16 : TFL_BODY_conv_2d_int16;
        }
    } else
        return tfl_op_fail(op, "unsupported input type %y", (int32_t)input->type);

    int quantized = input->type != TFL_TYPE_FLOAT32;
    if (quantized && tfl_check_conv_quantization(op, input, filter, output, output_depth, channel_dim)) return 1;

    int32_t *p = *params = tfl_use_body(op, body, TFL_CONV_MULTIPLIERS + (quantized ? 2 * (uint32_t)output_depth : 0));
    if (!p) return 1;
    tfl_param_tensor(op, TFL_CONV_INPUT, input);
    tfl_param_tensor(op, TFL_CONV_FILTER, filter);
    tfl_param_tensor(op, TFL_CONV_BIAS, bias);
    tfl_param_tensor(op, TFL_CONV_OUTPUT, output);
    for (uint32_t i = 0; i < 4; i++) p[TFL_CONV_BATCHES + i] = input->shape[i];
    p[TFL_CONV_FILTER_HEIGHT] = filter_h;
    p[TFL_CONV_FILTER_WIDTH] = filter_w;
    p[TFL_CONV_OUTPUT_HEIGHT] = (int32_t)out_h;   /* equal to the output's dimensions: int32s */
    p[TFL_CONV_OUTPUT_WIDTH] = (int32_t)out_w;
    p[TFL_CONV_OUTPUT_DEPTH] = output_depth;
    p[TFL_CONV_STRIDE_HEIGHT] = stride_h;
    p[TFL_CONV_STRIDE_WIDTH] = stride_w;
    p[TFL_CONV_DILATION_HEIGHT] = dilation_h;
    p[TFL_CONV_DILATION_WIDTH] = dilation_w;
    p[TFL_CONV_PAD_HEIGHT] = pad_before(stride_h, dilation_h, in_h, filter_h, out_h);
    p[TFL_CONV_PAD_WIDTH] = pad_before(stride_w, dilation_w, in_w, filter_w, out_w);
    if (!quantized) {
        float lo, hi;
        tfl_float_activation_range(activation, &lo, &hi);
        tfl_set_param_float(p, TFL_CONV_ACTIVATION_MIN, lo);
        tfl_set_param_float(p, TFL_CONV_ACTIVATION_MAX, hi);
        return 0;
    }
    p[TFL_CONV_INPUT_OFFSET] = tfl_negate(input->zero_point);
    p[TFL_CONV_OUTPUT_OFFSET] = output->zero_point;
    tfl_quantized_activation_range(activation, output, &p[TFL_CONV_ACTIVATION_MIN], &p[TFL_CONV_ACTIVATION_MAX]);
    tfl_per_channel_multipliers(op, input, filter, output, (uint32_t)output_depth, &p[TFL_CONV_MULTIPLIERS]);
    return 0;
}

/* checkConvTensors: an input, a filter, one output, NHWC input and output. */
static int check_tensors(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && tfl_input(op, 1) && op->output_count == 1 && output, "needs an input, a filter and one output");
    TFL_CHECK(op, input->rank == 4, "the input must be 4-D (NHWC), not %t", input);
    TFL_CHECK(op, output->rank == 4, "the output must be 4-D (NHWC), not %t", output);
    return 0;
}

int tfl_prepare_conv_2d(tfl_op *op)
{
    if (check_tensors(op)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *filter = tfl_input(op, 1);
    TFL_CHECK(op, filter->rank == 4, "the filter must be 4-D (OHWI), not %t", filter);
    int32_t input_depth = input->shape[3], filter_depth = filter->shape[3], output_depth = filter->shape[0];
    TFL_CHECK(op, filter_depth > 0 && input_depth % filter_depth == 0,
              "input %t has %d channels, not a multiple of the filter's %d", input, input_depth, filter_depth);
    /* Grouped convolution: each group of filters reads filter_depth of the input's channels. */
    int32_t groups = input_depth / filter_depth;
    TFL_CHECK(op, groups > 0 && output_depth % groups == 0,
              "the filter's %d output channels do not split into %d groups", output_depth, groups);
    int32_t *p;
    if (prepare_common(op, 0, output_depth, &p)) return 1;
    p[TFL_CONV_FILTER_INPUT_DEPTH] = filter_depth;
    p[TFL_CONV_FILTERS_PER_GROUP] = output_depth / groups;
    return 0;
}

int tfl_prepare_depthwise_conv_2d(tfl_op *op)
{
    if (check_tensors(op)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *filter = tfl_input(op, 1);
    TFL_CHECK(op, filter->rank == 4 && filter->shape[0] == 1, "the filter must be 4-D [1, height, width, channels], not %t", filter);
    int32_t input_depth = input->shape[3], output_depth = filter->shape[3];
    int32_t multiplier = tfl_opt_int(op, DEPTHWISE_OPT_DEPTH_MULTIPLIER, 0);
    TFL_CHECK(op, multiplier > 0 && (int64_t)input_depth * multiplier == output_depth,
              "input %t times depth multiplier %d does not give the filter's %d channels", input, multiplier, output_depth);
    int32_t *p;
    if (prepare_common(op, 1, output_depth, &p)) return 1;
    p[TFL_CONV_DEPTH_MULTIPLIER] = multiplier;
    return 0;
}
