// The board's side of the gesture pipeline's shims (recognizer.ts): each reading and each update
// are done by the C in kernels/gesture.c on the Buffers the STS side allocated; the simulator runs
// the STS bodies of the same shims. Small beats fast: a reading every 20 ms and an update every
// 250 ms are little work, and every C++ function of the extension takes flash in every program.
#pragma GCC optimize("Os")
#include "pxt.h"
#include "../../kernels/gesture.h"

namespace String_ {
TNumber toNumber(String s); // pxt's parseFloat (core.cpp)
}

namespace gestures {

// A decimal's text as the runtime's parseFloat reads it (what the STS side's parseDecimal does here).
static double decimal(const uint8_t *text, uint32_t n) {
    String s = mkString((const char *)text, (int)n);
    registerGCObj(s);
    double v = toDouble(String_::toNumber(s));
    unregisterGCObj(s);
    return v;
}

/**
 * A new engine for a loaded gesture model, set up from its metadata; when the metadata or the
 * model does not fit, "GERR" and the reason (recognizer.ts throws it).
 */
//%
Buffer engineCreate(Buffer model, Buffer state) {
    tfl_gesture_config config;
    char error[160];
    if (tfl_gesture_configure(model->data, model->length, state->data, decimal, &config, error, sizeof(error))) {
        uint32_t n = 0;
        while (error[n]) n++;
        Buffer res = mkBuffer(NULL, 4 + n);
        uint32_t magic = 0x52524547;
        memcpy(res->data, &magic, 4);
        memcpy(res->data + 4, error, n);
        return res;
    }
    Buffer engine = mkBuffer(NULL, tfl_gesture_engine_bytes(config.window_samples, config.labels));
    tfl_gesture_engine_init(engine->data, &config);
    return engine;
}

/** Forgets the readings and the scores. */
//%
void engineReset(Buffer engine) {
    tfl_gesture_reset(engine->data, engine->length);
}

/** Sets how many invokes the certainties average over; a new history for it. */
//%
Buffer engineSetSmoothing(Buffer engine, int invokes) {
    int32_t smoothing = tfl_gesture_set_smoothing(engine->data, engine->length, invokes);
    uint32_t labels;
    memcpy(&labels, engine->data + 4 * TFL_GESTURE_LABELS, 4);
    return mkBuffer(NULL, 8 * smoothing * labels);
}

// The part of a label between its leading and trailing spaces.
static const uint8_t *labelText(String s, uint32_t *n) {
    const uint8_t *text = (const uint8_t *)s->getUTF8Data();
    uint32_t end = s->getUTF8Size();
    while (end && text[end - 1] == ' ') end--;
    while (end && *text == ' ') {
        text++;
        end--;
    }
    *n = end;
    return text;
}

/** Whether two labels name the same gesture: equal but for ASCII case and surrounding spaces. */
//%
bool sameLabel(String a, String b) {
    uint32_t n, m;
    const uint8_t *x = labelText(a, &n), *y = labelText(b, &m);
    if (n != m) return false;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = x[i], d = y[i];
        if (c != d && ((c | 32) != (d | 32) || (c | 32) < 'a' || (c | 32) > 'z')) return false;
    }
    return true;
}

/** Sets the certainty threshold (0..1) of one label, or of every label for -1; 1 for a label out of range. */
//%
int engineSetThreshold(Buffer engine, int label, TNumber fraction) {
    return tfl_gesture_set_threshold(engine->data, engine->length, label, toDouble(fraction));
}

/** Adds one accelerometer reading (milli-g, whole numbers as input.acceleration gives) to the window; -3 for a corrupted engine. */
//%
int engineAddSample(Buffer engine, int x, int y, int z) {
    return tfl_gesture_add_sample(engine->data, engine->length, x, y, z);
}

/** Writes the window into the model's input; -3 for buffers that do not match. */
//%
int engineFillInput(Buffer engine, Buffer state) {
    return tfl_gesture_fill_input(engine->data, engine->length, state->data);
}

/** Runs the model on the window and averages its scores: the gesture, -1 for none, -2 before a whole window, -3 for buffers that do not match. */
//%
int engineUpdate(Buffer engine, Buffer history, Buffer state, Buffer model) {
    return tfl_gesture_update(engine->data, engine->length, history->data, history->length, state->data, model->data);
}

} // namespace gestures
