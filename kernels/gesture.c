/* The gesture pipeline's work per reading and per invoke (gesture.h). */
#include "gesture.h"
#include "kernel_util.h"
#include "loader.h"

static int32_t word(const uint8_t *engine, int w) { return tfl_load_i32(engine + 4 * w); }
static void set_word(uint8_t *engine, int w, int32_t v) { tfl_store_i32(engine + 4 * w, v); }

/* Doubles in the buffers: little-endian, at multiples of 4 (the CPU's own order on the board). */
static double load_f64(const uint8_t *b)
{
    double d;
    memcpy(&d, b, 8);
    return d;
}

static void store_f64(uint8_t *b, double d) { memcpy(b, &d, 8); }

static double engine_f64(const uint8_t *engine, int w) { return load_f64(engine + 4 * w); }

static uint32_t io_type_size(int32_t type);

static uint8_t *ring(uint8_t *engine) { return engine + 4 * TFL_GESTURE_CERTAINTIES + 16 * word(engine, TFL_GESTURE_LABELS); }

uint32_t tfl_gesture_engine_bytes(int32_t window_samples, int32_t labels)
{
    return 4 * TFL_GESTURE_CERTAINTIES + 16 * (uint32_t)labels + 6 * (uint32_t)window_samples;
}

void tfl_gesture_engine_init(uint8_t *engine, const tfl_gesture_config *c)
{
    memset(engine, 0, tfl_gesture_engine_bytes(c->window_samples, c->labels));
    set_word(engine, TFL_GESTURE_WINDOW_SAMPLES, c->window_samples);
    set_word(engine, TFL_GESTURE_UNIT_DIVISOR, c->unit_divisor);
    set_word(engine, TFL_GESTURE_LABELS, c->labels);
    for (int axis = 0; axis < 3; axis++) {
        store_f64(engine + 4 * TFL_GESTURE_OFFSET + 8 * axis, c->offset[axis]);
        store_f64(engine + 4 * TFL_GESTURE_SCALE + 8 * axis, c->scale[axis]);
    }
    store_f64(engine + 4 * TFL_GESTURE_SAMPLE_PERIOD, c->sample_period_ms);
}

/* The model's metadata text, and where the value of a key's first entry lies in it. */
typedef struct {
    const uint8_t *text;
    uint32_t length;
} metadata_text;

static int find_value(const metadata_text *m, const char *key, uint32_t *at, uint32_t *n)
{
    uint32_t pos = 0, line = 0, k;
    tfl_metadata_entry e;
    while (tfl_metadata_next(m->text, m->length, &pos, &line, &e) > 0) {
        for (k = 0; key[k] && k < e.key_length && m->text[e.key_at + k] == (uint8_t)key[k]; k++) {}
        if (!key[k] && k == e.key_length) {
            *at = e.value_at;
            *n = e.value_length;
            return 1;
        }
    }
    return 0;
}

static int same_text(const uint8_t *text, uint32_t n, const char *word)
{
    uint32_t k = 0;
    while (k < n && word[k] && text[k] == (uint8_t)word[k]) k++;
    return k == n && !word[k];
}

/* The number in text[at, at + n), or 0 with metadataNumber's message. */
static int read_number(const metadata_text *m, const char *key, uint32_t at, uint32_t n, tfl_decimal_fn decimal, double *v,
                       char *error, uint32_t error_size)
{
    uint32_t a, b;
    if (!tfl_decimal_span(m->text + at, n, &a, &b)) {
        tfl_format(error, error_size, "model metadata %s: '%b' is not a number", key, m->text + at, n);
        return 0;
    }
    *v = decimal(m->text + at + a, b - a);
    return 1;
}

/* metadataNumbers: the comma-separated numbers of a key (*count of them, the first 3 kept). */
static int read_numbers(const metadata_text *m, const char *key, tfl_decimal_fn decimal, double *v, int32_t *count,
                        char *error, uint32_t error_size)
{
    uint32_t at, n;
    *count = 0;
    if (!find_value(m, key, &at, &n) || n == 0) return 1;
    for (uint32_t start = at, i = at;; i++) {
        if (i == at + n || m->text[i] == ',') {
            double x;
            if (!read_number(m, key, start, i - start, decimal, &x, error, error_size)) return 0;
            if (*count < 3) v[*count] = x;
            ++*count;
            start = i + 1;
        }
        if (i == at + n) return 1;
    }
}

/* Elements of input or output record i: the product of its shape. */
static int32_t io_elements(const int32_t *r)
{
    int32_t n = 1;
    for (int32_t d = 0; d < r[TFL_IO_RANK]; d++) n *= r[TFL_IO_SHAPE + d];
    return n;
}

int tfl_gesture_configure(const uint8_t *model, uint32_t length, const uint8_t *state, tfl_decimal_fn decimal,
                          tfl_gesture_config *c, char *error, uint32_t error_size)
{
    metadata_text m = {model, 0};
    uint32_t at = 0, n = 0, period_at = 0, period_n = 0, window_at = 0, window_n = 0;
    if (tfl_find_metadata(model, length, "pxt-tinyml", &at, &m.length)) m.text = model + at;
    else m.length = 0;
    if (find_value(&m, "format", &at, &n) && n && !(n >= 19 && same_text(m.text + at, 19, "pxt-tinyml-gesture/"))) {
        tfl_format(error, error_size, "the model's metadata is for '%b', not a gesture model", m.text + at, n);
        return 1;
    }
    const int32_t *header = (const int32_t *)state;
    if (header[TFL_STATE_INPUT_COUNT] < 1 || header[TFL_STATE_OUTPUT_COUNT] < 1) {
        tfl_format(error, error_size, "a gesture model needs an input and an output");
        return 1;
    }
    const int32_t *io = (const int32_t *)(state + header[TFL_STATE_IO]);
    const int32_t *output = io + TFL_IO_WORDS * header[TFL_STATE_INPUT_COUNT];
    const int32_t inputs = io_elements(io);
    double period = 20, window = inputs / 3;
    if (find_value(&m, "sample_period_ms", &period_at, &period_n) &&
        !read_number(&m, "sample_period_ms", period_at, period_n, decimal, &period, error, error_size))
        return 1;
    if (find_value(&m, "window_samples", &window_at, &window_n) &&
        !read_number(&m, "window_samples", window_at, window_n, decimal, &window, error, error_size))
        return 1;
    uint32_t a, b;
    if (!(period > 0)) {
        tfl_decimal_span(m.text + period_at, period_n, &a, &b);
        tfl_format(error, error_size, "the model's sample period is %b ms", m.text + period_at + a, b - a);
        return 1;
    }
    if (!(window >= 1 && window * 3 == inputs && window == (int32_t)window)) {
        if (!window_n) tfl_format(error, error_size, "the model's input holds %d values, not %d samples of x, y, z", inputs, (int32_t)window);
        else {
            tfl_decimal_span(m.text + window_at, window_n, &a, &b);
            tfl_format(error, error_size, "the model's input holds %d values, not %b samples of x, y, z", inputs, m.text + window_at + a, b - a);
        }
        return 1;
    }
    for (int k = 0; k < 2; k++) {
        int32_t type = (k ? output : io)[TFL_IO_TYPE];
        if (!io_type_size(type)) {
            tfl_format(error, error_size, "the model's %s is %y; gestures need int8, uint8, int16, int32 or float32", k ? "output" : "input", type);
            return 1;
        }
    }
    if (find_value(&m, "axes", &at, &n) && !same_text(m.text + at, n, "x,y,z")) {
        tfl_format(error, error_size, "the model reads axes '%b'; only x,y,z is supported", m.text + at, n);
        return 1;
    }
    c->unit_divisor = 1000;
    if (find_value(&m, "units", &at, &n) && !same_text(m.text + at, n, "g")) {
        if (!same_text(m.text + at, n, "mg")) {
            tfl_format(error, error_size, "the model reads the accelerometer in '%b'; only g and mg are supported", m.text + at, n);
            return 1;
        }
        c->unit_divisor = 1;
    }
    int32_t offsets, scales;
    if (!read_numbers(&m, "offset", decimal, c->offset, &offsets, error, error_size) ||
        !read_numbers(&m, "scale", decimal, c->scale, &scales, error, error_size))
        return 1;
    for (int axis = 0; axis < 3; axis++) {
        if (!offsets) c->offset[axis] = 0;
        if (!scales) c->scale[axis] = 1;
    }
    if (!offsets) offsets = 3;
    if (!scales) scales = 3;
    if (offsets != 3 || scales != 3) {
        tfl_format(error, error_size, "the model's normalization needs 3 offsets and 3 scales (x, y, z), not %d and %d", offsets, scales);
        return 1;
    }
    c->sample_period_ms = period;
    c->window_samples = (int32_t)window;
    c->labels = io_elements(output);
    return 0;
}

/* Whether the engine's sizes are sane and it holds them: a corrupted engine is refused, never
 * read or written beyond its end. */
static int engine_ok(const uint8_t *engine, uint32_t engine_bytes)
{
    if (engine_bytes < 4 * TFL_GESTURE_CERTAINTIES) return 0;
    int32_t window = word(engine, TFL_GESTURE_WINDOW_SAMPLES), labels = word(engine, TFL_GESTURE_LABELS);
    int32_t next = word(engine, TFL_GESTURE_NEXT);
    return window > 0 && window < 65536 && labels > 0 && labels < 65536 && next >= 0 && next < window &&
           word(engine, TFL_GESTURE_UNIT_DIVISOR) > 0 && tfl_gesture_engine_bytes(window, labels) <= engine_bytes;
}

/* Math.round: the nearest integer, halves towards +infinity. */
static double round_half_up(double x)
{
    double r = tfl_round_half_away_double(x);
    return x < 0 && r - x == -0.5 ? r + 1 : r;
}

static int32_t reading_int16(int32_t v) { return tfl_clamp(v, -32768, 32767); }

int tfl_gesture_add_sample(uint8_t *engine, uint32_t engine_bytes, int32_t x, int32_t y, int32_t z)
{
    if (!engine_ok(engine, engine_bytes)) return TFL_GESTURE_BAD_STATE;
    int32_t next = word(engine, TFL_GESTURE_NEXT);
    uint8_t *at = ring(engine) + 6 * next;
    tfl_store_i16(at, reading_int16(x));
    tfl_store_i16(at + 2, reading_int16(y));
    tfl_store_i16(at + 4, reading_int16(z));
    set_word(engine, TFL_GESTURE_NEXT, next + 1 == word(engine, TFL_GESTURE_WINDOW_SAMPLES) ? 0 : next + 1);
    int32_t samples = word(engine, TFL_GESTURE_SAMPLES);
    if (samples < TFL_INT32_MAX) set_word(engine, TFL_GESTURE_SAMPLES, samples + 1);
    return 0;
}

void tfl_gesture_reset(uint8_t *engine, uint32_t engine_bytes)
{
    if (!engine_ok(engine, engine_bytes)) return;
    set_word(engine, TFL_GESTURE_NEXT, 0);
    set_word(engine, TFL_GESTURE_SAMPLES, 0);
    set_word(engine, TFL_GESTURE_HISTORY_NEXT, 0);
    set_word(engine, TFL_GESTURE_HISTORY_COUNT, 0);
    memset(engine + 4 * TFL_GESTURE_CERTAINTIES, 0, 8 * (uint32_t)word(engine, TFL_GESTURE_LABELS));
}

int32_t tfl_gesture_set_smoothing(uint8_t *engine, uint32_t engine_bytes, int32_t invokes)
{
    if (!engine_ok(engine, engine_bytes)) return 0;
    int32_t smoothing = tfl_clamp(invokes, 1, TFL_GESTURE_MAX_SMOOTHING);
    set_word(engine, TFL_GESTURE_SMOOTHING, smoothing);
    set_word(engine, TFL_GESTURE_HISTORY_NEXT, 0);
    set_word(engine, TFL_GESTURE_HISTORY_COUNT, 0);
    return smoothing;
}

int tfl_gesture_set_threshold(uint8_t *engine, uint32_t engine_bytes, int32_t label, double fraction)
{
    if (!engine_ok(engine, engine_bytes)) return 1;
    const int32_t n = word(engine, TFL_GESTURE_LABELS);
    if (label < -1 || label >= n) return 1;
    uint8_t *thresholds = engine + 4 * TFL_GESTURE_CERTAINTIES + 8 * n;
    for (int32_t i = 0; i < n; i++)
        if (label < 0 || i == label) store_f64(thresholds + 8 * i, fraction);
    return 0;
}

/* Bytes per element of the types a gesture model's input and output may have; 0 for others. */
static uint32_t io_type_size(int32_t type)
{
    switch (type) {
    case TFL_TYPE_INT8: case TFL_TYPE_UINT8: return 1;
    case TFL_TYPE_INT16: return 2;
    case TFL_TYPE_INT32: case TFL_TYPE_FLOAT32: return 4;
    }
    return 0;
}

/* Input or output record `i` (inputs first) of a loaded state, if it holds `count` elements of a
 * type above; the bytes the record describes then lie inside the arena (the loader checked). */
static const int32_t *io_record(const uint8_t *state, uint32_t i, uint32_t count)
{
    const int32_t *header = (const int32_t *)state;
    if (header[TFL_STATE_MAGIC] != TFL_STATE_MAGIC_VALUE) return NULL;
    if (i >= (uint32_t)(header[TFL_STATE_INPUT_COUNT] + header[TFL_STATE_OUTPUT_COUNT])) return NULL;
    const int32_t *r = (const int32_t *)(state + header[TFL_STATE_IO]) + TFL_IO_WORDS * i;
    uint32_t size = io_type_size(r[TFL_IO_TYPE]);
    return size && (uint32_t)r[TFL_IO_BYTES] == size * count ? r : NULL;
}

static uint8_t *io_data(uint8_t *state, const int32_t *r)
{
    return state + ((const int32_t *)state)[TFL_STATE_ARENA] + r[TFL_IO_OFFSET];
}

static float io_scale(const int32_t *r) { return tfl_load_f32((const uint8_t *)(r + TFL_IO_SCALE)); }

/* tflite.quantizeValue and writeElement: v as the tensor stores it. */
static void write_quantized(uint8_t *data, uint32_t i, const int32_t *r, double v)
{
    int32_t type = r[TFL_IO_TYPE];
    if (type == TFL_TYPE_FLOAT32) {
        tfl_store_f32(data + 4 * i, (float)v);
        return;
    }
    double scale = io_scale(r);
    /* An integer (or an infinity, or NaN, which the STS stores as 0), clamped to the type. */
    double q = scale != 0 ? tfl_round_half_away_double(v / scale) + r[TFL_IO_ZERO_POINT] : round_half_up(v);
    int32_t n = q != q ? 0 : q <= -2147483648.0 ? TFL_INT32_MIN : q >= 2147483647.0 ? TFL_INT32_MAX : (int32_t)q;
    if (type == TFL_TYPE_INT16) tfl_store_i16(data + 2 * i, tfl_clamp(n, -32768, 32767));
    else if (type == TFL_TYPE_INT32) tfl_store_i32(data + 4 * i, n);
    else if (type == TFL_TYPE_INT8) data[i] = (uint8_t)tfl_clamp(n, -128, 127);
    else data[i] = (uint8_t)tfl_clamp(n, 0, 255);
}

/* tflite.readElement and dequantizeValue: element i as a real number. */
static double read_dequantized(const uint8_t *data, uint32_t i, const int32_t *r)
{
    int32_t type = r[TFL_IO_TYPE];
    double q;
    switch (type) {
    case TFL_TYPE_FLOAT32: return tfl_load_f32(data + 4 * i);
    case TFL_TYPE_INT8: q = (int8_t)data[i]; break;
    case TFL_TYPE_UINT8: q = data[i]; break;
    case TFL_TYPE_INT16: q = tfl_load_i16(data + 2 * i); break;
    default: q = tfl_load_i32(data + 4 * i); break;
    }
    double scale = io_scale(r);
    return scale != 0 ? (q - r[TFL_IO_ZERO_POINT]) * scale : q;
}

int tfl_gesture_fill_input(const uint8_t *engine, uint32_t engine_bytes, uint8_t *state)
{
    if (!engine_ok(engine, engine_bytes)) return TFL_GESTURE_BAD_STATE;
    const int32_t window = word(engine, TFL_GESTURE_WINDOW_SAMPLES);
    const int32_t *input = io_record(state, 0, 3 * (uint32_t)window);
    if (!input) return TFL_GESTURE_BAD_STATE;
    uint8_t *data = io_data(state, input);
    const uint8_t *readings = ring((uint8_t *)engine);
    const double divisor = word(engine, TFL_GESTURE_UNIT_DIVISOR);
    int32_t at = word(engine, TFL_GESTURE_NEXT);
    uint32_t k = 0;
    for (int32_t s = 0; s < window; s++) {
        for (int axis = 0; axis < 3; axis++) {
            const double reading = tfl_load_i16(readings + 6 * at + 2 * axis) / divisor;
            const double offset = engine_f64(engine, TFL_GESTURE_OFFSET + 2 * axis);
            const double scale = engine_f64(engine, TFL_GESTURE_SCALE + 2 * axis);
            write_quantized(data, k++, input, (reading - offset) * scale);
        }
        at = at + 1 == window ? 0 : at + 1;
    }
    return 0;
}

int32_t tfl_gesture_update(uint8_t *engine, uint32_t engine_bytes, uint8_t *history, uint32_t history_bytes,
                           uint8_t *state, const uint8_t *model)
{
    if (!engine_ok(engine, engine_bytes)) return TFL_GESTURE_BAD_STATE;
    const int32_t n = word(engine, TFL_GESTURE_LABELS), smoothing = word(engine, TFL_GESTURE_SMOOTHING);
    const int32_t row = word(engine, TFL_GESTURE_HISTORY_NEXT);
    int32_t count = word(engine, TFL_GESTURE_HISTORY_COUNT);
    const uint32_t inputs = ((const int32_t *)state)[TFL_STATE_INPUT_COUNT];
    const int32_t *output = io_record(state, inputs, (uint32_t)n);
    if (smoothing < 1 || smoothing > TFL_GESTURE_MAX_SMOOTHING || row < 0 || row >= smoothing || count < 0 || count > smoothing ||
        (uint32_t)smoothing * (uint32_t)n * 8 > history_bytes || !output)
        return TFL_GESTURE_BAD_STATE;
    if (word(engine, TFL_GESTURE_SAMPLES) < word(engine, TFL_GESTURE_WINDOW_SAMPLES)) return TFL_GESTURE_NOT_READY;
    if (tfl_gesture_fill_input(engine, engine_bytes, state)) return TFL_GESTURE_BAD_STATE;
    tfl_invoke(state, model);

    const uint8_t *scores = io_data(state, output);
    for (int32_t i = 0; i < n; i++) store_f64(history + 8 * (row * n + i), read_dequantized(scores, (uint32_t)i, output));
    set_word(engine, TFL_GESTURE_HISTORY_NEXT, (row + 1) % smoothing);
    if (count < smoothing) set_word(engine, TFL_GESTURE_HISTORY_COUNT, ++count);
    uint8_t *certainties = engine + 4 * TFL_GESTURE_CERTAINTIES;
    int32_t best = 0;
    for (int32_t i = 0; i < n; i++) {
        double sum = 0;
        for (int32_t r = 0; r < count; r++) sum += load_f64(history + 8 * (r * n + i));
        store_f64(certainties + 8 * i, sum / count);
        if (load_f64(certainties + 8 * i) > load_f64(certainties + 8 * best)) best = i;
    }
    const uint8_t *thresholds = certainties + 8 * n;
    return load_f64(certainties + 8 * best) >= load_f64(thresholds + 8 * best) ? best : TFL_GESTURE_NONE;
}
