/* UNIDIRECTIONAL_SEQUENCE_LSTM, float32, int8 (8x8->16) and int16 (16x8) (in the board's all-ops build only). Parameter block: enum tfl_lstm
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

/* A quantized FC output in Q3.12: the input (int8 or int16: `bytes`) less its zero point times the
 * int8 weights, summed with the bias in int32 (wrapping, as TFLM's int32 sum; 8x8->16) or int64
 * (16x8), rescaled and saturated to int16. */
static int32_t fc_quantized(const uint8_t *x, int bytes, int32_t zero_point, const int8_t *w, int32_t count, int64_t bias,
                            int32_t multiplier, int32_t shift)
{
    int32_t scaled;
    if (bytes == 1) {
        uint32_t acc = (uint32_t)bias;
        for (int32_t d = 0; d < count; d++) acc += (uint32_t)(w[d] * ((int8_t)x[d] - zero_point));
        scaled = tfl_multiply_by_quantized_multiplier((int32_t)acc, multiplier, shift);
    } else {
        int64_t acc = bias;
        for (int32_t d = 0; d < count; d++) acc += (int64_t)(w[d] * (tfl_load_i16(x + 2 * d) - zero_point));
        scaled = tfl_multiply_by_quantized_multiplier64(acc, multiplier, shift);
    }
    return tfl_clamp(scaled, -32768, 32767);
}

/* The quantized LSTM: int8 (bytes 1) or int16 (bytes 2) activations, int16 gates and cell state. */
static void lstm_quantized(int32_t *p, const uint8_t *model, uint8_t *arena, int bytes)
{
    const uint8_t *input = tfl_tensor(p, TFL_LSTM_INPUT, model, arena);
    uint8_t *hidden = tfl_output(p, TFL_LSTM_HIDDEN_STATE, arena);
    uint8_t *cell = tfl_output(p, TFL_LSTM_CELL_STATE, arena);
    uint8_t *output = tfl_output(p, TFL_LSTM_OUTPUT, arena);
    uint8_t *scratch = arena + p[TFL_LSTM_SCRATCH];
    const uint8_t *table = (const uint8_t *)(p + TFL_LSTM_SIGMOID_TABLE);
    const int32_t batches = p[TFL_LSTM_BATCHES], steps = p[TFL_LSTM_TIME_STEPS];
    const int32_t input_size = p[TFL_LSTM_INPUT_SIZE], state_size = p[TFL_LSTM_STATE_SIZE];
    const int time_major = p[TFL_LSTM_TIME_MAJOR] != 0;
    const int32_t input_zero_point = p[TFL_LSTM_INPUT_ZERO_POINT], hidden_zero_point = p[TFL_LSTM_HIDDEN_ZERO_POINT];
    const int32_t clip = p[TFL_LSTM_QUANTIZED_CELL_CLIP];
    const int32_t hidden_min = bytes == 1 ? -128 : -32768;
    for (int32_t b = 0; b < batches; b++) {
        uint8_t *h = hidden + bytes * state_size * b;
        uint8_t *c = cell + 2 * state_size * b;
        for (int32_t t = 0; t < steps; t++) {
            const int32_t row = time_major ? t * batches + b : b * steps + t;
            const uint8_t *x = input + bytes * input_size * row;
            for (int32_t g = 0; g < 4; g++) {
                const int8_t *w = (const int8_t *)tfl_tensor(p, TFL_LSTM_INPUT_WEIGHTS + 2 * g, model, arena);
                const int8_t *r = (const int8_t *)tfl_tensor(p, TFL_LSTM_RECURRENT_WEIGHTS + 2 * g, model, arena);
                const uint8_t *bias = tfl_tensor(p, TFL_LSTM_BIASES + 2 * g, model, arena);
                const int32_t *m = &p[TFL_LSTM_GATE_MULTIPLIERS + 4 * g];
                for (int32_t j = 0; j < state_size; j++) {
                    const int64_t bias_value = bytes == 1 ? tfl_load_i32(bias + 4 * j) : tfl_load_i64(bias + 8 * j);
                    const int32_t sum = fc_quantized(x, bytes, input_zero_point, w + input_size * j, input_size, bias_value, m[0], m[1]) +
                                        fc_quantized(h, bytes, hidden_zero_point, r + state_size * j, state_size, 0, m[2], m[3]);
                    /* The cell gate (2): TANH from Q3.12 (multiplier 3, no shift); the others sigmoid. */
                    tfl_store_i16(scratch + 2 * (state_size * g + j), tfl_sigmoid_int16_value(tfl_clamp(sum, -32768, 32767), 0, 0, table, g == 2));
                }
            }
            for (int32_t j = 0; j < state_size; j++) {
                const int32_t input_gate = tfl_load_i16(scratch + 2 * j);
                const int32_t forget_gate = tfl_load_i16(scratch + 2 * (state_size + j));
                const int32_t cell_gate = tfl_load_i16(scratch + 2 * (2 * state_size + j));
                const int32_t kept = tfl_clamp(tfl_multiply_by_quantized_multiplier(forget_gate * tfl_load_i16(c + 2 * j),
                    p[TFL_LSTM_FORGET_CELL_MULTIPLIER], p[TFL_LSTM_FORGET_CELL_SHIFT]), -32768, 32767);
                const int32_t added = tfl_clamp(tfl_multiply_by_quantized_multiplier(input_gate * cell_gate,
                    p[TFL_LSTM_INPUT_CELL_MULTIPLIER], p[TFL_LSTM_INPUT_CELL_SHIFT]), -32768, 32767);
                int32_t v = tfl_clamp(kept + added, -32768, 32767);
                if (clip >= 0) v = tfl_clamp(v, -clip, clip);
                tfl_store_i16(c + 2 * j, v);
            }
            for (int32_t j = 0; j < state_size; j++) {
                const int32_t o = tfl_load_i16(scratch + 2 * (3 * state_size + j));
                const int32_t th = tfl_sigmoid_int16_value(tfl_load_i16(c + 2 * j), p[TFL_LSTM_CELL_TANH_MULTIPLIER], p[TFL_LSTM_CELL_TANH_SHIFT], table, 1);
                const int32_t v = tfl_clamp(tfl_multiply_by_quantized_multiplier(th * o, p[TFL_LSTM_HIDDEN_MULTIPLIER], p[TFL_LSTM_HIDDEN_SHIFT]) +
                    hidden_zero_point, hidden_min, -hidden_min - 1);
                if (bytes == 1) {
                    h[j] = (uint8_t)v;
                    output[state_size * row + j] = (uint8_t)v;
                } else {
                    tfl_store_i16(h + 2 * j, v);
                    tfl_store_i16(output + 2 * (state_size * row + j), v);
                }
            }
        }
    }
}

void tflite_lstm_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    lstm_quantized(p, model, arena, 1);
}

void tflite_lstm_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    lstm_quantized(p, model, arena, 2);
}
