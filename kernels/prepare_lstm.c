/* UNIDIRECTIONAL_SEQUENCE_LSTM's prepare (kernel_lstm.ts prepareLstm): the same checks in the same
 * order, the same messages and the same parameter block as the STS. */
#include "prepare.h"

enum { LSTM_OPT_FUSED_ACTIVATION = 0, LSTM_OPT_CELL_CLIP = 1, LSTM_OPT_TIME_MAJOR = 3 };
/* TFLM's input numbers (lstm_shared.h). */
enum {
    LSTM_IN_INPUT = 0, LSTM_IN_INPUT_TO_INPUT_WEIGHTS = 1, LSTM_IN_RECURRENT_TO_INPUT_WEIGHTS = 5, LSTM_IN_CELL_TO_INPUT_WEIGHTS = 9,
    LSTM_IN_INPUT_GATE_BIAS = 12, LSTM_IN_FORGET_GATE_BIAS = 13, LSTM_IN_PROJECTION_WEIGHTS = 16, LSTM_IN_HIDDEN_STATE = 18,
    LSTM_IN_CELL_STATE = 19, LSTM_IN_INPUT_LAYER_NORM = 20,
};
#define TFL_ACT_TANH 4

static int check_absent(tfl_op *op, uint32_t first, uint32_t last, const char *what)
{
    for (uint32_t i = first; i <= last; i++)
        TFL_CHECK(op, !tfl_input(op, i), "input %d (%s) must be absent: TFLM's LSTM has no %s", (int32_t)i, what, what);
    return 0;
}

static void param_lstm_tensors(tfl_op *op, int32_t *p, const tfl_tensor_info *output, int32_t batches, int32_t steps,
                               int32_t input_size, int32_t state_size, int time_major)
{
    tfl_param_tensor(op, TFL_LSTM_INPUT, tfl_input(op, LSTM_IN_INPUT));
    for (uint32_t g = 0; g < 4; g++) {
        tfl_param_tensor(op, TFL_LSTM_INPUT_WEIGHTS + 2 * g, tfl_input(op, LSTM_IN_INPUT_TO_INPUT_WEIGHTS + g));
        tfl_param_tensor(op, TFL_LSTM_RECURRENT_WEIGHTS + 2 * g, tfl_input(op, LSTM_IN_RECURRENT_TO_INPUT_WEIGHTS + g));
        tfl_param_tensor(op, TFL_LSTM_BIASES + 2 * g, tfl_input(op, LSTM_IN_INPUT_GATE_BIAS + g));
    }
    tfl_param_tensor(op, TFL_LSTM_HIDDEN_STATE, tfl_input(op, LSTM_IN_HIDDEN_STATE));
    tfl_param_tensor(op, TFL_LSTM_CELL_STATE, tfl_input(op, LSTM_IN_CELL_STATE));
    tfl_param_tensor(op, TFL_LSTM_OUTPUT, output);
    p[TFL_LSTM_BATCHES] = batches;
    p[TFL_LSTM_TIME_STEPS] = steps;
    p[TFL_LSTM_INPUT_SIZE] = input_size;
    p[TFL_LSTM_STATE_SIZE] = state_size;
    p[TFL_LSTM_TIME_MAJOR] = time_major;
}

int tfl_prepare_unidirectional_sequence_lstm(tfl_op *op)
{
    TFL_CHECK(op, op->output_count == 1 && op->input_count == 24, "needs 24 inputs and one output, has %d and %d",
              (int32_t)op->input_count, (int32_t)op->output_count);
    const tfl_tensor_info *input = tfl_input(op, LSTM_IN_INPUT), *hidden = tfl_input(op, LSTM_IN_HIDDEN_STATE);
    const tfl_tensor_info *cell = tfl_input(op, LSTM_IN_CELL_STATE), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input, "the input (input 0) is missing");
    TFL_CHECK(op, hidden && hidden->is_variable && !hidden->is_const, "the hidden state (input 18) must be a variable tensor");
    TFL_CHECK(op, hidden->type == input->type, "hidden state %t must have the type of input %t", hidden, input);
    TFL_CHECK(op, cell && cell->is_variable && !cell->is_const, "the cell state (input 19) must be a variable tensor");
    TFL_CHECK(op, output->type == input->type, "output %t must have the type of input %t", output, input);
    for (uint32_t i = 1; i < 9; i++)
        TFL_CHECK(op, tfl_input(op, i), "weights input %d is missing%s", (int32_t)i, i == 1 || i == 5 ? " (TFLM's LSTM has no CIFG)" : "");
    const tfl_tensor_info *weights = tfl_input(op, 2);
    for (uint32_t i = 1; i < 9; i++)
        TFL_CHECK(op, tfl_input(op, i)->type == weights->type, "weights %t must have the type of %t", tfl_input(op, i), weights);
    for (uint32_t i = LSTM_IN_INPUT_GATE_BIAS; i < 16; i++) TFL_CHECK(op, tfl_input(op, i), "bias input %d is missing", (int32_t)i);
    const tfl_tensor_info *bias = tfl_input(op, LSTM_IN_FORGET_GATE_BIAS);
    for (uint32_t i = LSTM_IN_INPUT_GATE_BIAS; i < 16; i++)
        TFL_CHECK(op, tfl_input(op, i)->type == bias->type, "bias %t must have the type of %t", tfl_input(op, i), bias);
    if (check_absent(op, LSTM_IN_CELL_TO_INPUT_WEIGHTS, 11, "peephole") || check_absent(op, LSTM_IN_PROJECTION_WEIGHTS, 17, "projection") ||
        check_absent(op, LSTM_IN_INPUT_LAYER_NORM, 23, "layer norm"))
        return 1;

    /* TFLM reads dimensions 0-2 of the input and dimension 1 of the hidden state unchecked. */
    TFL_CHECK(op, input->rank == 3, "the input must be 3-D, not %t", input);
    TFL_CHECK(op, hidden->rank == 2, "the hidden state must be 2-D, not %t", hidden);
    const int time_major = tfl_opt_byte(op, LSTM_OPT_TIME_MAJOR, 0) != 0;
    const int32_t batches = input->shape[time_major ? 1 : 0], steps = input->shape[time_major ? 0 : 1];
    const int32_t input_size = input->shape[2], state_size = hidden->shape[1];
    for (uint32_t i = 1; i < 9; i++) {
        const tfl_tensor_info *w = tfl_input(op, i);
        const int32_t columns = i < 5 ? input_size : state_size;
        TFL_CHECK(op, w->rank == 2 && w->shape[0] == state_size && w->shape[1] == columns, "weights %t must be [%d,%d]", w, state_size, columns);
    }
    for (uint32_t i = LSTM_IN_INPUT_GATE_BIAS; i < 16; i++) {
        const tfl_tensor_info *b = tfl_input(op, i);
        TFL_CHECK(op, b->rank == 1 && b->shape[0] == state_size, "bias %t must be [%d]", b, state_size);
    }
    const int64_t state_count = (int64_t)batches * state_size;
    TFL_CHECK(op, hidden->count == state_count && cell->count == state_count,
              "the hidden state %t and cell state %t must have %f values", hidden, cell, (double)state_count);
    TFL_CHECK(op, output->rank == 3 && output->shape[0] == input->shape[0] && output->shape[1] == input->shape[1] && output->shape[2] == state_size,
              "output %t must be [%d,%d,%d]", output, input->shape[0], input->shape[1], state_size);
    TFL_CHECK(op, cell->type == TFL_TYPE_FLOAT32 || cell->type == TFL_TYPE_INT16,
              "cell state type %y not supported: TFLM's LSTM takes FLOAT32, or INT16 for quantized models", (int32_t)cell->type);
    const int32_t activation = tfl_opt_byte(op, LSTM_OPT_FUSED_ACTIVATION, 0);
    TFL_CHECK(op, activation == TFL_ACT_TANH, "cell gate activation %d: TFLM computes TANH only (it aborts on others)", activation);

    if (input->type == TFL_TYPE_FLOAT32) {
        TFL_CHECK(op, weights->type == TFL_TYPE_FLOAT32 && bias->type == TFL_TYPE_FLOAT32 && cell->type == TFL_TYPE_FLOAT32,
                  "float32 input needs float32 weights, biases and cell state");
        int32_t *p = tfl_use_body(op, TFL_BODY_lstm_float, TFL_LSTM_FLOAT_WORDS);
        if (!p) return 1;
        param_lstm_tensors(op, p, output, batches, steps, input_size, state_size, time_major);
        tfl_set_param_float(p, TFL_LSTM_CELL_CLIP, tfl_opt_float(op, LSTM_OPT_CELL_CLIP, 0.0f));
        tfl_param_scratch(op, TFL_LSTM_SCRATCH, 4u * 4u * (uint32_t)state_size);
        return 0;
    }
    if (input->type == TFL_TYPE_INT8)
        TFL_CHECK(op, weights->type == TFL_TYPE_INT8 && bias->type == TFL_TYPE_INT32 && cell->type == TFL_TYPE_INT16,
                  "int8 input needs int8 weights, int32 biases and an int16 cell state");
    else if (input->type == TFL_TYPE_INT16)
        TFL_CHECK(op, weights->type == TFL_TYPE_INT8 && bias->type == TFL_TYPE_INT64 && cell->type == TFL_TYPE_INT16,
                  "int16 input needs int8 weights, int64 biases and an int16 cell state");
    else
        return tfl_op_fail(op, "unsupported input type %y (TFLM takes FLOAT32, INT8, INT16)", (int32_t)input->type);
    const tfl_tensor_info *scaled[11] = {input, hidden, cell};
    for (uint32_t i = 1; i < 9; i++) scaled[2 + i] = tfl_input(op, i);
    for (int i = 0; i < 11; i++)
        TFL_CHECK(op, scaled[i]->scale > 0 && scaled[i]->scale_count == 1, "%t needs one scale (per-tensor quantization)", scaled[i]);
    for (uint32_t i = 1; i < 9; i++)
        TFL_CHECK(op, tfl_input(op, i)->zero_point == 0, "weights %t must have zero point 0 (TFLM asserts it)", tfl_input(op, i));
    if (input->type == TFL_TYPE_INT16)
        for (uint32_t i = LSTM_IN_INPUT_GATE_BIAS; i < 16; i++)
            if (tfl_check_int64_bias(op, tfl_input(op, i))) return 1;
    /* TFLM's Tanh of the cell: a left shift of 15 + log2(cell scale) - 3 into its Q3.12 input, or
     * a multiplier of 3 and a right shift when that is negative; an int32 shift by 32 or more is
     * undefined (TFLM's 3 << shift, the board's and the host's shifts differ). */
    TFL_CHECK(op, cell->scale > 0 && cell->scale <= 3.40282347e38f, "cell state %t needs a positive finite scale", cell);
    int32_t log2;
    tfl_checked_log2(cell->scale, &log2);
    const int32_t tanh_shift = 15 + log2 - 3;
    TFL_CHECK(op, tanh_shift > -32 && tanh_shift < 32, "cell state %t: TFLM's tanh of the cell shifts by %d bits (over 31)",
              cell, tanh_shift < 0 ? -tanh_shift : tanh_shift);

    int32_t *p = tfl_use_body(op, input->type == TFL_TYPE_INT8 ? TFL_BODY_lstm_int8 : TFL_BODY_lstm_int16, TFL_LSTM_WORDS);
    if (!p) return 1;
    param_lstm_tensors(op, p, output, batches, steps, input_size, state_size, time_major);
    tfl_param_scratch(op, TFL_LSTM_SCRATCH, 4u * 2u * (uint32_t)state_size);
    p[TFL_LSTM_INPUT_ZERO_POINT] = input->zero_point;
    p[TFL_LSTM_HIDDEN_ZERO_POINT] = hidden->zero_point;
    /* Each FC's output is Q3.12: TFLM's real multiplier is the float32 product of the scales,
     * widened, over 2^-12. */
    for (uint32_t g = 0; g < 4; g++) {
        int32_t *m = &p[TFL_LSTM_GATE_MULTIPLIERS + 4 * g];
        tfl_quantize_multiplier((double)(float)((double)input->scale * tfl_input(op, LSTM_IN_INPUT_TO_INPUT_WEIGHTS + g)->scale) * 4096, &m[0], &m[1]);
        tfl_quantize_multiplier((double)(float)((double)hidden->scale * tfl_input(op, LSTM_IN_RECURRENT_TO_INPUT_WEIGHTS + g)->scale) * 4096, &m[2], &m[3]);
    }
    /* The gates are Q0.15 (2^-15); the products' real multipliers in double, as TFLM's
     * CreateInterGateMulParams forms them. */
    const double gate_scale = 1.0 / 32768;
    tfl_quantize_multiplier(gate_scale * cell->scale / cell->scale, &p[TFL_LSTM_FORGET_CELL_MULTIPLIER], &p[TFL_LSTM_FORGET_CELL_SHIFT]);
    tfl_quantize_multiplier(gate_scale * gate_scale / cell->scale, &p[TFL_LSTM_INPUT_CELL_MULTIPLIER], &p[TFL_LSTM_INPUT_CELL_SHIFT]);
    tfl_quantize_multiplier(gate_scale * gate_scale / hidden->scale, &p[TFL_LSTM_HIDDEN_MULTIPLIER], &p[TFL_LSTM_HIDDEN_SHIFT]);
    p[TFL_LSTM_CELL_TANH_MULTIPLIER] = tanh_shift < 0 ? 3 : 0;
    p[TFL_LSTM_CELL_TANH_SHIFT] = tanh_shift < 0 ? -tanh_shift : tanh_shift;
    /* static_cast<int16_t> of the clamped quotient: toward zero. */
    const float clip = tfl_opt_float(op, LSTM_OPT_CELL_CLIP, 0.0f);
    double q = (double)clip / cell->scale;
    q = q < -32768 ? -32768 : q > 32767 ? 32767 : q;
    p[TFL_LSTM_QUANTIZED_CELL_CLIP] = clip > 0 ? (int32_t)q : -1;
    tfl_sigmoid_table(&p[TFL_LSTM_SIGMOID_TABLE]);
    return 0;
}
