/* QUANTIZE and DEQUANTIZE's prepares (kernel_quantize.ts prepareQuantize, prepareDequantize). */
#include "prepare.h"

/* The conversions TFLM's QUANTIZE makes, (input type, output type, body): from float32 (its
 * AffineQuantize) and between integer types (its Requantize). */
static const uint8_t QUANTIZE_BODIES[][3] = {
    {TFL_TYPE_FLOAT32, TFL_TYPE_INT8, TFL_BODY_quantize_float_int8},
    {TFL_TYPE_FLOAT32, TFL_TYPE_UINT8, TFL_BODY_quantize_float_uint8},
    {TFL_TYPE_FLOAT32, TFL_TYPE_INT16, TFL_BODY_quantize_float_int16},
    {TFL_TYPE_INT8, TFL_TYPE_INT8, TFL_BODY_quantize_int8_int8},
    {TFL_TYPE_INT8, TFL_TYPE_UINT8, TFL_BODY_quantize_int8_uint8},
    {TFL_TYPE_INT8, TFL_TYPE_INT16, TFL_BODY_quantize_int8_int16},
    {TFL_TYPE_INT8, TFL_TYPE_INT32, TFL_BODY_quantize_int8_int32},
    {TFL_TYPE_UINT8, TFL_TYPE_INT8, TFL_BODY_quantize_uint8_int8},
    {TFL_TYPE_INT16, TFL_TYPE_INT8, TFL_BODY_quantize_int16_int8},
    {TFL_TYPE_INT16, TFL_TYPE_INT16, TFL_BODY_quantize_int16_int16},
    {TFL_TYPE_INT16, TFL_TYPE_INT32, TFL_BODY_quantize_int16_int32},
    {TFL_TYPE_INT32, TFL_TYPE_INT8, TFL_BODY_quantize_int32_int8},
    {TFL_TYPE_INT32, TFL_TYPE_INT16, TFL_BODY_quantize_int32_int16},
};

/* The checks both ops start with: one input, one output, the same number of elements. */
static int check_tensors(tfl_op *op, const tfl_tensor_info **input, const tfl_tensor_info **output)
{
    TFL_CHECK(op, op->input_count == 1 && op->output_count == 1, "needs exactly one input and one output");
    *input = tfl_input(op, 0);
    *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, *input && *output, "needs an input and an output");
    TFL_CHECK(op, (*input)->count == (*output)->count, "input %t and output %t differ in size", *input, *output);
    return 0;
}

/* Fails unless t (`what`: "input" or "output") has one positive scale. */
static int check_per_tensor(tfl_op *op, const tfl_tensor_info *t, const char *what)
{
    if (t->scale_count == 1 && t->scale > 0) return 0;
    if (t->scale_count > 1)
        return tfl_op_fail(op, "the %s must be quantized with one scale (per tensor), %t has %d (per channel)", what, t,
                           (int32_t)t->scale_count);
    return tfl_op_fail(op, "the %s must be quantized with one scale (per tensor), %t has none", what, t);
}

/* The words both ops fill. */
static int32_t *quantize_body(tfl_op *op, int32_t body, const tfl_tensor_info *input, const tfl_tensor_info *output)
{
    int32_t *p = tfl_use_body(op, body, TFL_QUANTIZE_WORDS);
    if (!p) return 0;
    tfl_param_tensor(op, TFL_QUANTIZE_INPUT, input);
    tfl_param_tensor(op, TFL_QUANTIZE_OUTPUT, output);
    p[TFL_QUANTIZE_COUNT] = (int32_t)input->count;
    p[TFL_QUANTIZE_INPUT_ZERO_POINT] = input->zero_point;
    return p;
}

int tfl_prepare_quantize(tfl_op *op)
{
    const tfl_tensor_info *input, *output;
    if (check_tensors(op, &input, &output) || check_per_tensor(op, output, "output")) return 1;
    int32_t body = -1;
    for (uint32_t i = 0; i < sizeof(QUANTIZE_BODIES) / sizeof(QUANTIZE_BODIES[0]); i++)
        if (QUANTIZE_BODIES[i][0] == input->type && QUANTIZE_BODIES[i][1] == output->type) body = QUANTIZE_BODIES[i][2];
    TFL_CHECK(op, body >= 0, "unsupported conversion %y to %y", (int32_t)input->type, (int32_t)output->type);
    if (input->type != TFL_TYPE_FLOAT32)
        TFL_CHECK(op, input->scale_count == 1 && input->scale > 0,
                  "the input must be quantized with one scale (per tensor): %t", input);
    int32_t *p = quantize_body(op, body, input, output);
    if (!p) return 1;
    p[TFL_QUANTIZE_OUTPUT_ZERO_POINT] = output->zero_point;
    tfl_set_param_float(p, TFL_QUANTIZE_SCALE, output->scale);
    /* Requantizing: the effective scale is a quotient of doubles (the float scales widened). */
    if (input->type != TFL_TYPE_FLOAT32)
        tfl_quantize_multiplier((double)input->scale / output->scale, &p[TFL_QUANTIZE_MULTIPLIER], &p[TFL_QUANTIZE_SHIFT]);
    return 0;
}

int tfl_prepare_dequantize(tfl_op *op)
{
    const tfl_tensor_info *input, *output;
    if (check_tensors(op, &input, &output)) return 1;
    int32_t body = input->type == TFL_TYPE_INT8 ? TFL_BODY_dequantize_int8 : input->type == TFL_TYPE_UINT8 ? TFL_BODY_dequantize_uint8
                 : input->type == TFL_TYPE_INT16 ? TFL_BODY_dequantize_int16 : -1;
    TFL_CHECK(op, body >= 0, "unsupported input type %y (INT8, UINT8 or INT16 expected)", (int32_t)input->type);
    TFL_CHECK(op, output->type == TFL_TYPE_FLOAT32, "unsupported output type %y (FLOAT32 expected)", (int32_t)output->type);
    if (check_per_tensor(op, input, "input")) return 1;
    int32_t *p = quantize_body(op, body, input, output);
    if (!p) return 1;
    tfl_set_param_float(p, TFL_QUANTIZE_SCALE, input->scale);
    return 0;
}
