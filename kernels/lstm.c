/* UNIDIRECTIONAL_SEQUENCE_LSTM (in the board's all-ops build only). Parameter block: enum tfl_lstm
 * (libs/tflite/kernel_lstm.ts, where TFLM's steps are explained): per batch and time step, the four
 * gates from the input row and the hidden state, then the cell state, then the hidden state, which
 * is also the output row. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"
#include "libm.h"

#define LSTM_FLOAT_MAX 3.40282346638528859812e+38f

/* TFLM's ActivationFunctionWithMinMax over kTfLiteActNone's range: +-infinity become +-FLT_MAX, NaN stays. */
static float clamp_finite(float x)
{
    return tfl_clamp_float(x, -LSTM_FLOAT_MAX, LSTM_FLOAT_MAX);
}

/* One float32 FC output: the products summed from 0 in order, + bias (0 for none), clamped. */
static float fc_float(const uint8_t *x, const uint8_t *w, int32_t count, float bias)
{
    float total = 0.0f;
    for (int32_t d = 0; d < count; d++) total += tfl_load_f32(x + 4 * d) * tfl_load_f32(w + 4 * d);
    return clamp_finite(total + bias);
}

void tflite_lstm_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_LSTM_INPUT, model, arena);
    uint8_t *hidden = tfl_output(p, TFL_LSTM_HIDDEN_STATE, arena);
    uint8_t *cell = tfl_output(p, TFL_LSTM_CELL_STATE, arena);
    uint8_t *output = tfl_output(p, TFL_LSTM_OUTPUT, arena);
    uint8_t *scratch = arena + p[TFL_LSTM_SCRATCH];
    const int32_t batches = p[TFL_LSTM_BATCHES], steps = p[TFL_LSTM_TIME_STEPS];
    const int32_t input_size = p[TFL_LSTM_INPUT_SIZE], state_size = p[TFL_LSTM_STATE_SIZE];
    const int time_major = p[TFL_LSTM_TIME_MAJOR] != 0;
    const float clip = tfl_param_float(p, TFL_LSTM_CELL_CLIP);
    for (int32_t b = 0; b < batches; b++) {
        uint8_t *h = hidden + 4 * state_size * b;
        uint8_t *c = cell + 4 * state_size * b;
        for (int32_t t = 0; t < steps; t++) {
            const int32_t row = time_major ? t * batches + b : b * steps + t;
            const uint8_t *x = input + 4 * input_size * row;
            for (int32_t g = 0; g < 4; g++) {
                const uint8_t *w = tfl_tensor(p, TFL_LSTM_INPUT_WEIGHTS + 2 * g, model, arena);
                const uint8_t *r = tfl_tensor(p, TFL_LSTM_RECURRENT_WEIGHTS + 2 * g, model, arena);
                const uint8_t *bias = tfl_tensor(p, TFL_LSTM_BIASES + 2 * g, model, arena);
                for (int32_t j = 0; j < state_size; j++) {
                    const float sum = fc_float(x, w + 4 * input_size * j, input_size, tfl_load_f32(bias + 4 * j)) +
                                      fc_float(h, r + 4 * state_size * j, state_size, 0.0f);
                    /* The cell gate (2) takes the op's activation, TANH; the others sigmoid. */
                    tfl_store_f32(scratch + 4 * (state_size * g + j), g == 2 ? tfl_tanhf(sum) : tfl_logistic_value(sum));
                }
            }
            for (int32_t j = 0; j < state_size; j++) {
                const float input_gate = tfl_load_f32(scratch + 4 * j);
                const float forget_gate = tfl_load_f32(scratch + 4 * (state_size + j));
                const float cell_gate = tfl_load_f32(scratch + 4 * (2 * state_size + j));
                float v = clamp_finite(forget_gate * tfl_load_f32(c + 4 * j)) + clamp_finite(input_gate * cell_gate);
                if (clip > 0.0f) {
                    /* std::max(std::min(clip, v), -clip): a NaN becomes clip. */
                    v = v < clip ? v : clip;
                    v = v < -clip ? -clip : v;
                }
                tfl_store_f32(c + 4 * j, v);
            }
            for (int32_t j = 0; j < state_size; j++) {
                const float v = clamp_finite(tfl_tanhf(tfl_load_f32(c + 4 * j)) * tfl_load_f32(scratch + 4 * (3 * state_size + j)));
                tfl_store_f32(h + 4 * j, v);
                tfl_store_f32(output + 4 * (state_size * row + j), v);
            }
        }
    }
}
