/* The stateful framing ops of TFLM's Signal library that the speech front end does not use (in
 * the board's all-ops build only). Parameter blocks: enum tfl_signal_delay ... (libs/tflite/
 * kernel_signal2.ts, where each op is explained). */
#include <string.h>
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

/* ------------------------------------------------------------------------------------------
 * SignalFramer: per row, chunks of frame_step samples appended to the row's buffer (arena, after
 * the int32 of samples held less the prefill); a buffer of frame_size or more gives a frame and
 * drops frame_step samples, else that frame is left as it was and output_valid is false. */
void tflite_signal_framer_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_FRAMER_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_FRAMER_OUTPUT, arena);
    uint8_t *valid = tfl_output(p, TFL_SIGNAL_FRAMER_OUTPUT_VALID, arena);
    const int32_t frame_size = p[TFL_SIGNAL_FRAMER_FRAME_SIZE], step = p[TFL_SIGNAL_FRAMER_FRAME_STEP];
    const int32_t frames = p[TFL_SIGNAL_FRAMER_FRAMES], rows = p[TFL_SIGNAL_FRAMER_OUTER_DIMS];
    const int32_t prefill = p[TFL_SIGNAL_FRAMER_PREFILL], capacity = p[TFL_SIGNAL_FRAMER_CAPACITY];
    uint8_t *state = arena + p[TFL_SIGNAL_FRAMER_STATE];
    const int32_t held_before = prefill + tfl_load_i32(state);
    int32_t held = held_before;
    uint8_t is_valid = 1;
    for (int32_t r = 0; r < rows; r++) {
        uint8_t *buffer = state + 4 + 2 * capacity * r;
        held = held_before;
        for (int32_t f = 0; f < frames; f++) {
            memcpy(buffer + 2 * held, input + 2 * (r * frames + f) * step, 2 * (size_t)step);
            held += step;
            if (held >= frame_size) {
                memcpy(output + 2 * (r * frames + f) * frame_size, buffer, 2 * (size_t)frame_size);
                held -= step;
                for (int32_t i = 0; i < 2 * held; i++) buffer[i] = buffer[i + 2 * step];
            } else {
                is_valid = 0;
            }
        }
    }
    tfl_store_i32(state, held - prefill);
    *valid = is_valid;
}

/* ------------------------------------------------------------------------------------------
 * SignalStacker: the input's first num_channels samples appended to the buffer (arena, after the
 * int32s of samples held and first frame seen), left context + 1 times on the first invoke; a
 * full buffer goes out and drops stacker_step frames, else output_valid is false. */
void tflite_signal_stacker_int16(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_SIGNAL_STACKER_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_SIGNAL_STACKER_OUTPUT, arena);
    uint8_t *valid = tfl_output(p, TFL_SIGNAL_STACKER_OUTPUT_VALID, arena);
    const int32_t channels = p[TFL_SIGNAL_STACKER_CHANNELS], buffer_size = p[TFL_SIGNAL_STACKER_BUFFER_SIZE];
    const int32_t step_size = p[TFL_SIGNAL_STACKER_STEP_SIZE];
    uint8_t *state = arena + p[TFL_SIGNAL_STACKER_STATE], *buffer = state + 8;
    int32_t held = tfl_load_i32(state);
    const int32_t copies = tfl_load_i32(state + 4) ? 1 : 1 + p[TFL_SIGNAL_STACKER_LEFT_CONTEXT];
    for (int32_t c = 0; c < copies; c++, held += channels) memcpy(buffer + 2 * held, input, 2 * (size_t)channels);
    tfl_store_i32(state + 4, 1);
    *valid = 0;
    if (held >= buffer_size) {
        memcpy(output, buffer, 2 * (size_t)buffer_size);
        held -= step_size;
        for (int32_t i = 0; i < 2 * held; i++) buffer[i] = buffer[i + 2 * step_size];
        *valid = 1;
    }
    tfl_store_i32(state, held);
}
