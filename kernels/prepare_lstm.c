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

    TFL_CHECK(op, input->type == TFL_TYPE_FLOAT32, "unsupported input type %y (FLOAT32 only so far)", (int32_t)input->type);
    TFL_CHECK(op, weights->type == TFL_TYPE_FLOAT32 && bias->type == TFL_TYPE_FLOAT32 && cell->type == TFL_TYPE_FLOAT32,
              "float32 input needs float32 weights, biases and cell state");
    int32_t *p = tfl_use_body(op, TFL_BODY_lstm_float, TFL_LSTM_FLOAT_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_LSTM_INPUT, input);
    for (uint32_t g = 0; g < 4; g++) {
        tfl_param_tensor(op, TFL_LSTM_INPUT_WEIGHTS + 2 * g, tfl_input(op, LSTM_IN_INPUT_TO_INPUT_WEIGHTS + g));
        tfl_param_tensor(op, TFL_LSTM_RECURRENT_WEIGHTS + 2 * g, tfl_input(op, LSTM_IN_RECURRENT_TO_INPUT_WEIGHTS + g));
        tfl_param_tensor(op, TFL_LSTM_BIASES + 2 * g, tfl_input(op, LSTM_IN_INPUT_GATE_BIAS + g));
    }
    tfl_param_tensor(op, TFL_LSTM_HIDDEN_STATE, hidden);
    tfl_param_tensor(op, TFL_LSTM_CELL_STATE, cell);
    tfl_param_tensor(op, TFL_LSTM_OUTPUT, output);
    p[TFL_LSTM_BATCHES] = batches;
    p[TFL_LSTM_TIME_STEPS] = steps;
    p[TFL_LSTM_INPUT_SIZE] = input_size;
    p[TFL_LSTM_STATE_SIZE] = state_size;
    p[TFL_LSTM_TIME_MAJOR] = time_major;
    tfl_set_param_float(p, TFL_LSTM_CELL_CLIP, tfl_opt_float(op, LSTM_OPT_CELL_CLIP, 0.0f));
    tfl_param_scratch(op, TFL_LSTM_SCRATCH, 4u * 4u * (uint32_t)state_size);
    return 0;
}
