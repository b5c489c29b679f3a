/* L2_NORMALIZATION's prepare (kernel_l2.ts prepareL2Normalization): same checks in the same order
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
