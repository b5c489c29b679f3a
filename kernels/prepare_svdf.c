/* SVDF's prepare (kernel_svdf.ts prepareSvdf). */
#include "prepare.h"

enum { SVDF_OPT_RANK = 0, SVDF_OPT_FUSED_ACTIVATION = 1, SVDF_OPT_ASYMMETRIC_QUANTIZE_INPUTS = 2 };
#define TFL_ACT_SIGN_BIT 5

int tfl_prepare_svdf(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *weights_feature = tfl_input(op, 1), *weights_time = tfl_input(op, 2);
    const tfl_tensor_info *bias = tfl_input(op, 3), *state = tfl_input(op, 4), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, op->input_count == 5 && input && weights_feature && weights_time && state && output,
              "needs input, feature weights, time weights, an optional bias, the state, and an output");
    int32_t rank = tfl_opt_int(op, SVDF_OPT_RANK, 0);
    TFL_CHECK(op, input->rank == 2, "the input must be 2-D, not %t", input);
    TFL_CHECK(op, weights_feature->rank == 2 && weights_time->rank == 2, "the weights must be 2-D: %t, %t", weights_feature, weights_time);
    int32_t batches = input->shape[0], input_size = input->shape[1];
    int32_t filters = weights_feature->shape[0], memory = weights_time->shape[1];
    TFL_CHECK(op, rank > 0 && filters % rank == 0, "rank %d must divide the %d filters", rank, filters);
    int32_t units = filters / rank;
    TFL_CHECK(op, weights_feature->shape[1] == input_size, "feature weights %t must have %d columns, as the input", weights_feature, input_size);
    TFL_CHECK(op, memory > 0, "time weights %t must remember at least one step", weights_time);
    TFL_CHECK(op, weights_time->shape[0] == filters, "time weights %t must have %d rows, one per filter", weights_time, filters);
    if (bias) TFL_CHECK(op, bias->count == (uint32_t)units, "bias %t must have %d values", bias, units);
    int64_t state_columns = (int64_t)memory * filters;
    TFL_CHECK(op, state->rank == 2 && state->shape[0] == batches && state->shape[1] == state_columns,
              "state %t must be [%d,%f]", state, batches, (double)state_columns);
    TFL_CHECK(op, state->is_variable && !state->is_const, "state %t must be a variable tensor", state);
    TFL_CHECK(op, output->rank == 2 && output->shape[0] == batches && output->shape[1] == units,
              "output %t must be [%d,%d]", output, batches, units);
    TFL_CHECK(op, !tfl_opt_byte(op, SVDF_OPT_ASYMMETRIC_QUANTIZE_INPUTS, 0), "unsupported hybrid (asymmetric_quantize_inputs) SVDF");
    int32_t activation = tfl_opt_byte(op, SVDF_OPT_FUSED_ACTIVATION, TFL_ACT_NONE);

    int32_t body;
    if (input->type == TFL_TYPE_FLOAT32) {
        TFL_CHECK(op, weights_feature->type == TFL_TYPE_FLOAT32 && weights_time->type == TFL_TYPE_FLOAT32 && state->type == TFL_TYPE_FLOAT32 &&
                  output->type == TFL_TYPE_FLOAT32 && (!bias || bias->type == TFL_TYPE_FLOAT32),
                  "float32 input needs float32 weights, bias, state and output");
        TFL_CHECK(op, activation <= TFL_ACT_SIGN_BIT, "unsupported fused activation %d", activation);
        body = TFL_BODY_svdf_float;
    } else if (input->type == TFL_TYPE_INT8) {
        TFL_CHECK(op, weights_feature->type == TFL_TYPE_INT8 && output->type == TFL_TYPE_INT8 && (!bias || bias->type == TFL_TYPE_INT32),
                  "int8 input needs int8 feature weights and output, int32 bias");
        TFL_CHECK(op, (weights_time->type == TFL_TYPE_INT8 || weights_time->type == TFL_TYPE_INT16) && state->type == weights_time->type,
                  "time weights %y and state %y must be both INT8 or both INT16", (int32_t)weights_time->type, (int32_t)state->type);
        body = weights_time->type == TFL_TYPE_INT8 ? TFL_BODY_svdf_int8 : TFL_BODY_svdf_int16;
    } else
        return tfl_op_fail(op, "unsupported input type %y", (int32_t)input->type);

    int32_t *p = tfl_use_body(op, body, TFL_SVDF_SIZE);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_SVDF_INPUT, input);
    tfl_param_tensor(op, TFL_SVDF_WEIGHTS_FEATURE, weights_feature);
    tfl_param_tensor(op, TFL_SVDF_WEIGHTS_TIME, weights_time);
    tfl_param_tensor(op, TFL_SVDF_BIAS, bias);
    tfl_param_tensor(op, TFL_SVDF_STATE, state);
    tfl_param_tensor(op, TFL_SVDF_OUTPUT, output);
    p[TFL_SVDF_BATCHES] = batches;
    p[TFL_SVDF_INPUT_SIZE] = input_size;
    p[TFL_SVDF_FILTERS] = filters;
    p[TFL_SVDF_UNITS] = units;
    p[TFL_SVDF_RANK] = rank;
    p[TFL_SVDF_MEMORY] = memory;
    if (input->type == TFL_TYPE_FLOAT32) {
        p[TFL_SVDF_ACTIVATION] = activation;
        return 0;
    }
    const tfl_tensor_info *tensors[5] = {input, weights_feature, weights_time, state, output};
    for (int i = 0; i < 5; i++)
        TFL_CHECK(op, tensors[i]->scale > 0 && tensors[i]->scale_count == 1, "%t needs one scale (per-tensor quantization)", tensors[i]);
    /* TFLM forms both real multipliers in float32 before widening them to double: each product and
     * quotient of two float32s is rounded once to float32 (as STS's f32 of the exact double). */
    double time_product = (float)((double)state->scale * weights_time->scale);
    if (bias) {
        double d = (double)bias->scale - time_product;
        TFL_CHECK(op, (d < 0 ? -d : d) < 1e-5, "bias scale of %t must be state scale x time weights scale", bias);
    }
    double feature_product = (float)((double)input->scale * weights_feature->scale);
    tfl_quantize_multiplier((float)(feature_product / state->scale), &p[TFL_SVDF_FEATURE_MULTIPLIER], &p[TFL_SVDF_FEATURE_SHIFT]);
    tfl_quantize_multiplier((float)(time_product / output->scale), &p[TFL_SVDF_OUTPUT_MULTIPLIER], &p[TFL_SVDF_OUTPUT_SHIFT]);
    p[TFL_SVDF_INPUT_ZERO_POINT] = input->zero_point;
    p[TFL_SVDF_STATE_ZERO_POINT] = state->zero_point;
    p[TFL_SVDF_OUTPUT_ZERO_POINT] = output->zero_point;
    return 0;
}
