/* FULLY_CONNECTED's prepare (kernel_fully_connected.ts prepareFullyConnected). */
#include "prepare.h"

enum { FC_OPT_FUSED_ACTIVATION = 0, FC_OPT_WEIGHTS_FORMAT = 1 };

int tfl_prepare_fully_connected(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *filter = tfl_input(op, 1), *bias = tfl_input(op, 2);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && filter && output, "needs an input, a filter and an output");
    TFL_CHECK(op, tfl_opt_byte(op, FC_OPT_WEIGHTS_FORMAT, 0) == 0, "unsupported shuffled weights format");
    TFL_CHECK(op, filter->rank == 2, "the filter must be 2-D, not %t", filter);
    int32_t output_depth = filter->shape[0];
    int32_t accum_depth = filter->shape[1];
    TFL_CHECK(op, accum_depth > 0 && input->count % (uint32_t)accum_depth == 0,
              "input %t is not a whole number of rows of %d", input, accum_depth);
    int32_t batches = (int32_t)(input->count / (uint32_t)accum_depth);
    TFL_CHECK(op, (uint64_t)output->count == (uint64_t)batches * (uint64_t)output_depth,
              "output %t must hold %d x %d values", output, batches, output_depth);
    if (bias) TFL_CHECK(op, bias->count == (uint32_t)output_depth, "bias %t must have %d values", bias, output_depth);
    int32_t activation = tfl_opt_byte(op, FC_OPT_FUSED_ACTIVATION, TFL_ACT_NONE);

    int32_t body;
    TFL_DEFAULT_BUILD_TYPES(op, input->type == TFL_TYPE_INT8);
    if (input->type == TFL_TYPE_FLOAT32) {
        TFL_CHECK(op, filter->type == TFL_TYPE_FLOAT32 && output->type == TFL_TYPE_FLOAT32 && (!bias || bias->type == TFL_TYPE_FLOAT32),
                  "float32 input needs float32 filter, bias and output");
        body = TFL_BODY_fully_connected_float;
    } else if (input->type == TFL_TYPE_INT8) {
        TFL_CHECK(op, filter->type == TFL_TYPE_INT8 && output->type == TFL_TYPE_INT8 && (!bias || bias->type == TFL_TYPE_INT32),
                  "int8 input needs int8 filter and output, int32 bias");
        body = TFL_BODY_fully_connected_int8;
    } else if (input->type == TFL_TYPE_INT16) {
        TFL_CHECK(op, filter->type == TFL_TYPE_INT8 && output->type == TFL_TYPE_INT16 && (!bias || bias->type == TFL_TYPE_INT64),
                  "int16 input needs int8 filter, int64 bias, int16 output");
        TFL_CHECK(op, input->zero_point == 0 && output->zero_point == 0, "int16 tensors must have zero point 0");
        body = TFL_BODY_fully_connected_int16;
        if (tfl_check_int64_bias(op, bias)) return 1;
    } else
        return tfl_op_fail(op, "unsupported input type %y", (int32_t)input->type);

    int per_channel = filter->scale_count > 1;
    uint32_t multiplier_words = input->type == TFL_TYPE_FLOAT32 ? 0 : per_channel ? 2 * (uint32_t)output_depth : 2;
    int32_t *p = tfl_use_body(op, body, TFL_FULLY_CONNECTED_MULTIPLIERS + multiplier_words);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_FULLY_CONNECTED_INPUT, input);
    tfl_param_tensor(op, TFL_FULLY_CONNECTED_FILTER, filter);
    tfl_param_tensor(op, TFL_FULLY_CONNECTED_BIAS, bias);
    tfl_param_tensor(op, TFL_FULLY_CONNECTED_OUTPUT, output);
    p[TFL_FULLY_CONNECTED_BATCHES] = batches;
    p[TFL_FULLY_CONNECTED_OUTPUT_DEPTH] = output_depth;
    p[TFL_FULLY_CONNECTED_ACCUM_DEPTH] = accum_depth;
    if (input->type == TFL_TYPE_FLOAT32) {
        float lo, hi;
        tfl_float_activation_range(activation, &lo, &hi);
        tfl_set_param_float(p, TFL_FULLY_CONNECTED_ACTIVATION_MIN, lo);
        tfl_set_param_float(p, TFL_FULLY_CONNECTED_ACTIVATION_MAX, hi);
        return 0;
    }
    if (per_channel)
        for (uint32_t i = 0; i < filter->zero_point_count; i++)
            TFL_CHECK(op, tfl_zero_point_at(op, filter, i) == 0, "per-channel filters must have zero points 0");
    p[TFL_FULLY_CONNECTED_INPUT_OFFSET] = tfl_negate(input->zero_point);
    p[TFL_FULLY_CONNECTED_FILTER_OFFSET] = tfl_negate(filter->zero_point);
    p[TFL_FULLY_CONNECTED_OUTPUT_OFFSET] = output->zero_point;
    tfl_quantized_activation_range(activation, output, &p[TFL_FULLY_CONNECTED_ACTIVATION_MIN], &p[TFL_FULLY_CONNECTED_ACTIVATION_MAX]);
    p[TFL_FULLY_CONNECTED_PER_CHANNEL] = per_channel;
    if (per_channel)
        tfl_per_channel_multipliers(op, input, filter, output, (uint32_t)output_depth, &p[TFL_FULLY_CONNECTED_MULTIPLIERS]);
    else
        tfl_per_tensor_multiplier(input, filter, output, &p[TFL_FULLY_CONNECTED_MULTIPLIERS]);
    return 0;
}
