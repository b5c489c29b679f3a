/* CAST's prepare (kernel_cast.ts prepareCast): the body by input type, the output type as a word. */
#include "prepare.h"

int tfl_prepare_cast(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, op->input_count == 1 && op->output_count == 1 && input, "needs one input and one output");
    TFL_CHECK(op, input->count == output->count, "input %t and output %t have different sizes", input, output);
    int32_t body;
    switch (input->type) {
    case TFL_TYPE_INT8: body = TFL_BODY_cast_int8; break;
    case TFL_TYPE_INT16: body = TFL_BODY_cast_int16; break;
    case TFL_TYPE_INT32: body = TFL_BODY_cast_int32; break;
    case TFL_TYPE_UINT32: body = TFL_BODY_cast_uint32; break;
    case TFL_TYPE_FLOAT32: body = TFL_BODY_cast_float; break;
    case TFL_TYPE_BOOL: body = TFL_BODY_cast_bool; break;
    default: return tfl_op_fail(op, "unsupported input type %y", (int32_t)input->type);
    }
    int32_t o = output->type;
    TFL_CHECK(op, o == TFL_TYPE_INT8 || o == TFL_TYPE_INT16 || o == TFL_TYPE_INT32 || o == TFL_TYPE_UINT32 || o == TFL_TYPE_FLOAT32,
              "unsupported output type %y", o);
    int32_t *p = tfl_use_body(op, body, TFL_CAST_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_CAST_INPUT, input);
    tfl_param_tensor(op, TFL_CAST_OUTPUT, output);
    p[TFL_CAST_COUNT] = (int32_t)input->count;
    p[TFL_CAST_OUTPUT_TYPE] = o;
    return 0;
}
