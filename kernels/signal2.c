/* The stateful framing ops of TFLM's Signal library that the speech front end does not use (in
 * the board's all-ops build only). Parameter blocks: enum tfl_signal_delay ... (libs/tflite/
 * kernel_signal2.ts, where each op is explained). */
#include "kernel_util.h"

/* ------------------------------------------------------------------------------------------
 * SignalDelay: per row, the output is the first frame_size samples of state ++ input and the new
 * state (arena, word STATE) its last delay_length, which is what TFLM's circular buffer holds
 * between invokes. */
void tflite_signal_delay_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_DELAY_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_DELAY_OUTPUT, arena);
    const int32_t frame = p[TFL_SIGNAL_DELAY_FRAME_SIZE];
    const int32_t rows = p[TFL_SIGNAL_DELAY_OUTER_DIMS];
    const int32_t delay = p[TFL_SIGNAL_DELAY_DELAY_LENGTH];
    for (int32_t r = 0; r < rows; r++) {
        uint8_t *state = arena + p[TFL_SIGNAL_DELAY_STATE] + 2 * delay * r;
        const uint8_t *row_in = input + 2 * frame * r;
        uint8_t *row_out = output + 2 * frame * r;
        for (int32_t i = 0; i < frame; i++)
            tfl_store_i16(row_out + 2 * i, i < delay ? tfl_load_i16(state + 2 * i) : tfl_load_i16(row_in + 2 * (i - delay)));
        /* frame >= 1: each state sample is read before it is overwritten. */
        for (int32_t j = 0; j < delay; j++) {
            const int32_t k = frame + j;
            tfl_store_i16(state + 2 * j, k < delay ? tfl_load_i16(state + 2 * k) : tfl_load_i16(row_in + 2 * (k - delay)));
        }
    }
}

/* ------------------------------------------------------------------------------------------
 * SignalOverlapAdd: per row, each frame added into the row's buffer (arena, word STATE),
 * frame_step samples out, the buffer shifted left by frame_step with zeros in. */
#define OVERLAP_ADD_BODY(T, LOAD, STORE, ADD)                                                              \
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_OVERLAP_ADD_INPUT, model, arena);                      \
    uint8_t *output = tfl_output(p, TFL_SIGNAL_OVERLAP_ADD_OUTPUT, arena);                                 \
    const int32_t frame_size = p[TFL_SIGNAL_OVERLAP_ADD_FRAME_SIZE], step = p[TFL_SIGNAL_OVERLAP_ADD_FRAME_STEP]; \
    const int32_t frames = p[TFL_SIGNAL_OVERLAP_ADD_FRAMES], rows = p[TFL_SIGNAL_OVERLAP_ADD_OUTER_DIMS];   \
    const int32_t size = (int32_t)sizeof(T);                                                              \
    for (int32_t r = 0; r < rows; r++) {                                                                   \
        uint8_t *buffer = arena + p[TFL_SIGNAL_OVERLAP_ADD_STATE] + size * frame_size * r;                \
        for (int32_t f = 0; f < frames; f++) {                                                             \
            const uint8_t *frame = input + size * frame_size * (r * frames + f);                          \
            uint8_t *out = output + size * step * (r * frames + f);                                       \
            for (int32_t i = 0; i < frame_size; i++) STORE(buffer + size * i, ADD(LOAD(buffer + size * i), LOAD(frame + size * i))); \
            for (int32_t i = 0; i < step; i++) STORE(out + size * i, LOAD(buffer + size * i));             \
            for (int32_t i = 0; i < frame_size - step; i++) STORE(buffer + size * i, LOAD(buffer + size * (i + step))); \
            for (int32_t i = frame_size - step; i < frame_size; i++) STORE(buffer + size * i, 0);          \
        }                                                                                                   \
    }

static int32_t add_saturate_int16(int32_t a, int32_t b)
{
    const int32_t sum = a + b;
    return sum < -32768 ? -32768 : sum > 32767 ? 32767 : sum;
}

static float add_float(float a, float b) { return a + b; }

void tflite_signal_overlap_add_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    OVERLAP_ADD_BODY(int16_t, tfl_load_i16, tfl_store_i16, add_saturate_int16)
}

void tflite_signal_overlap_add_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    OVERLAP_ADD_BODY(float, tfl_load_f32, tfl_store_f32, add_float)
}
