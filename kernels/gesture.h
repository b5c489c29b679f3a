/* The gesture pipeline's per-sample and per-invoke work on the board (libs/gestures/recognizer.ts
 * explains the pipeline; its STS bodies of the same shims run in the simulator and in Node and
 * give the same bits). Everything lives in two buffers the STS side allocates and sizes once:
 *
 *   the engine: the words below, then `labels` averaged certainties and `labels` thresholds
 *     (float64), then the window ring, `window_samples` readings of x, y, z as int16 milli-g;
 *   the history: the last `smoothing` score vectors, `labels` float64 each, a ring of rows.
 *
 * Scores and their averages are doubles, as the STS numbers are, summed in the same order, so
 * the simulator and the board agree on every certainty and so on every event. */
#ifndef TFLITE_GESTURE_H
#define TFLITE_GESTURE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Words of the engine buffer (libs/gestures/recognizer.ts GestureWord); a double takes two. */
enum tfl_gesture_word {
    TFL_GESTURE_WINDOW_SAMPLES = 0,
    /* Readings in milli-g are divided by this to get the model's units (1000 for g, 1 for mg). */
    TFL_GESTURE_UNIT_DIVISOR = 1,
    /* Where the next reading goes in the ring: once it is full, the oldest reading. */
    TFL_GESTURE_NEXT = 2,
    /* Readings taken since the start or the last reset (the window is full at window_samples). */
    TFL_GESTURE_SAMPLES = 3,
    TFL_GESTURE_LABELS = 4,
    /* Invokes averaged; the history row written next; rows written so far (at most smoothing). */
    TFL_GESTURE_SMOOTHING = 5,
    TFL_GESTURE_HISTORY_NEXT = 6,
    TFL_GESTURE_HISTORY_COUNT = 7,
    /* Per axis x, y, z: model value = (reading in units - offset) * scale; three doubles each. */
    TFL_GESTURE_OFFSET = 8,
    TFL_GESTURE_SCALE = 14,
    /* Milliseconds between readings (a double). */
    TFL_GESTURE_SAMPLE_PERIOD = 20,
    /* Then `labels` averaged certainties and `labels` thresholds (the average a label's score must
     * reach to be the gesture, 0..1), doubles, then the window ring. */
    TFL_GESTURE_CERTAINTIES = 22,
};

/* update's answers besides a label index: no gesture, a window not yet full, buffers that do not
 * match their words or the model (the STS side sized them, so only a corrupted engine gets it). */
#define TFL_GESTURE_NONE (-1)
#define TFL_GESTURE_NOT_READY (-2)
#define TFL_GESTURE_BAD_STATE (-3)

/* The most invokes the certainties average over. */
#define TFL_GESTURE_MAX_SMOOTHING 1000

/* The settings a gesture model's "pxt-tinyml" metadata gives (recognizer.ts lists them). */
typedef struct tfl_gesture_config {
    double sample_period_ms, offset[3], scale[3];
    int32_t window_samples, unit_divisor, labels;
} tfl_gesture_config;

/* The number a decimal's text [text, text + n) holds (spaces trimmed, syntax checked): on the
 * board the runtime's parseFloat, on the host strtod, both as JavaScript's parseFloat. */
typedef double (*tfl_decimal_fn)(const uint8_t *text, uint32_t n);

/* Reads the settings from the model's metadata and checks them against its loaded state (input
 * 0 holds window_samples x 3 values, output 0 one score per label; both of a type the engine
 * reads), and that its "format", if any, is a gesture model's: 0, or 1 with the reason in error (recognizer.ts's engineCreate gives the same words).
 * The labels themselves and their count are the STS side's: labels = output 0's elements. */
int tfl_gesture_configure(const uint8_t *model, uint32_t length, const uint8_t *state, tfl_decimal_fn decimal,
                          tfl_gesture_config *c, char *error, uint32_t error_size);

/* Bytes of an engine buffer for these sizes. */
uint32_t tfl_gesture_engine_bytes(int32_t window_samples, int32_t labels);

/* Writes a new engine (tfl_gesture_engine_bytes of them): the settings, the rest zero. */
void tfl_gesture_engine_init(uint8_t *engine, const tfl_gesture_config *c);

/* Forgets the readings and the scores (the window, the history, the certainties). */
void tfl_gesture_reset(uint8_t *engine, uint32_t engine_bytes);

/* Averages the certainties over the last `invokes` invokes from now on (clamped to 1 ..
 * TFL_GESTURE_MAX_SMOOTHING; the history is forgotten): the number used, which needs a history of
 * 8 x smoothing x labels bytes; 0 for a corrupted engine. */
int32_t tfl_gesture_set_smoothing(uint8_t *engine, uint32_t engine_bytes, int32_t invokes);

/* The average label `label`'s score must reach to be the gesture (every label's for -1); 1 for a
 * label out of range or a corrupted engine. */
int tfl_gesture_set_threshold(uint8_t *engine, uint32_t engine_bytes, int32_t label, double fraction);

/* Adds one accelerometer reading in milli-g (input.acceleration's integers), clamped to int16. */
int tfl_gesture_add_sample(uint8_t *engine, uint32_t engine_bytes, int32_t x, int32_t y, int32_t z);

/* Writes the window, oldest reading first (x0 y0 z0 x1 ...), normalized and quantized, into the
 * model's input 0 (the loaded state of kernels/loader.h). 0, or TFL_GESTURE_BAD_STATE. */
int tfl_gesture_fill_input(const uint8_t *engine, uint32_t engine_bytes, uint8_t *state);

/* Once the window is full: fills the input, invokes the model, adds its dequantized scores to
 * the history and averages the last `smoothing` of them into the certainties. Returns the label
 * with the highest certainty when it reaches that label's threshold, else TFL_GESTURE_NONE;
 * TFL_GESTURE_NOT_READY (nothing done) before the window is full. */
int32_t tfl_gesture_update(uint8_t *engine, uint32_t engine_bytes, uint8_t *history, uint32_t history_bytes,
                           uint8_t *state, const uint8_t *model);

#ifdef __cplusplus
}
#endif

#endif
