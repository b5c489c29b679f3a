// The board's side of tflite.Interpreter (libs/tflite/interpreter_shim.ts): the shims that load a
// model with the C loader and run it with the C kernels (kernels/), and read its metadata with the
// C reader (kernels/metadata.c). The simulator runs the STS bodies of the same shims instead.
//
// A loaded model is one Buffer, its "state" (kernels/loader.h): op table, parameter blocks, input
// and output records and the arena, laid out by tfl_write_state. The garbage collector owns it, and
// pxt's collector does not move objects, so the C side may keep pointers into it during a call. The
// model's own Buffer (usually a hex literal in flash) is read in place; the STS side keeps it alive.
// Small beats fast: this glue runs once per load or per call, and every C++ function of the
// extension takes flash in every program.
#pragma GCC optimize("Os")
#include "pxt.h"
#include "../../kernels/loader.h"

namespace String_ {
TNumber toNumber(String s); // pxt's parseFloat (core.cpp)
}

// The largest arena the board takes: what is left of the heap for a program beside a model.
#define TFL_BOARD_MAX_ARENA (64 * 1024)

namespace tflite {

static void *boardAlloc(void *context, uint32_t bytes) {
    (void)context;
    return xmalloc(bytes);
}

static void boardFree(void *context, void *memory) {
    (void)context;
    xfree(memory);
}

// A failed load: "TFLE" then the message, which interpreter_shim.ts throws as "tflite: ...".
static Buffer errorState(const char *message) {
    uint32_t n = 0;
    while (message[n]) n++;
    Buffer res = mkBuffer(NULL, 4 + n);
    uint32_t magic = 0x454c4654;
    memcpy(res->data, &magic, 4);
    memcpy(res->data + 4, message, n);
    DMESG("tflite: %s", message);
    return res;
}

/** Loads a .tflite model: its state, or "TFLE" and the reason it cannot run. */
//%
Buffer loadState(Buffer model) {
    char error[160];
    tfl_loader loader;
    memset(&loader, 0, sizeof(loader));
    loader.max_arena_bytes = TFL_BOARD_MAX_ARENA;
    if (!model) return errorState("no model");
    if (tfl_load(&loader, model->data, model->length, error, sizeof(error), boardAlloc, boardFree, NULL)) {
        tfl_loader_finish(&loader);
        return errorState(error);
    }
    uint32_t bytes = tfl_state_bytes(&loader);
    if (bytes > TFL_BOARD_MAX_ARENA + 16 * 1024) {
        tfl_loader_finish(&loader);
        return errorState("the model needs more RAM than the micro:bit has to spare");
    }
    Buffer state = mkBuffer(NULL, bytes);
    tfl_write_state(&loader, state->data);
    tfl_loader_finish(&loader);
    return state;
}

/** The Buffer a state's inputs and outputs live in: the state itself on the board. */
//%
Buffer stateData(Buffer state) {
    return state;
}

//%
void invokeState(Buffer state, Buffer model) {
    tfl_invoke(state->data, model->data);
}

//%
void resetState(Buffer state) {
    tfl_reset(state->data);
}

// A string of text[0..n) with malformed UTF-8 replaced as the STS decodeUtf8 does.
static String cleanString(const uint8_t *text, uint32_t n) {
    uint32_t size = tfl_utf8_clean(text, n, NULL);
    if (size == n) return mkString((const char *)text, (int)n);
    uint8_t *clean = (uint8_t *)xmalloc(size);
    tfl_utf8_clean(text, n, clean);
    String res = mkString((const char *)clean, (int)size);
    xfree(clean);
    return res;
}

/**
 * The model's "pxt-tinyml" metadata as key, value, key, value...; when a line is not key=value,
 * the entries before it and then the error message (an odd length).
 */
//%
RefCollection *metadataEntries(Buffer model) {
    RefCollection *res = Array_::mk();
    registerGCObj(res);
    uint32_t at = 0, length = 0;
    if (model && tfl_find_metadata(model->data, model->length, "pxt-tinyml", &at, &length)) {
        const uint8_t *text = model->data + at;
        uint32_t pos = 0, line = 0;
        tfl_metadata_entry e;
        int r;
        while ((r = tfl_metadata_next(text, length, &pos, &line, &e)) > 0) {
            Array_::push(res, (TValue)cleanString(text + e.key_at, e.key_length));
            Array_::push(res, (TValue)cleanString(text + e.value_at, e.value_length));
        }
        if (r < 0) {
            // The line as it is (cleaned as the STS decodes it; a message cut mid-character is still readable).
            char message[160];
            uint32_t n = tfl_format(message, sizeof(message), "model metadata line %d is not key=value: '%b'", (int32_t)line,
                                    text + e.key_at, e.key_length < 100 ? e.key_length : 100);
            Array_::push(res, (TValue)cleanString((const uint8_t *)message, n));
        }
    }
    unregisterGCObj(res);
    return res;
}

/** The decimal number `text` holds (metadata.ts parseDecimal's syntax), or NaN. */
//%
TNumber parseDecimal(String text) {
    uint32_t a, b;
    if (!text || !tfl_decimal_span((const uint8_t *)text->getUTF8Data(), text->getUTF8Size(), &a, &b)) return fromDouble(NAN);
    return String_::toNumber(text);
}

} // namespace tflite
