/* Node's native interpreter: the board's C loader and kernels (kernels/), compiled for the host
 * and called through Node-API, so that Node runs models at C speed with the very code the
 * micro:bit runs. node/native.ts puts it behind tflite.Interpreter's shims; tools/build-addon.js
 * builds it (npm run build). Nothing here is compiled into the firmware.
 *
 *   load(model: Buffer, portable: boolean) -> [handle, header: Buffer, arenaBytes: number]
 *       loads the model with the C loader (every op, as Node has flash to spare). The handle owns
 *       a copy of the model (the kernels read its constants in place, and JavaScript could change
 *       or drop the Buffer it passed) and the loaded state. `header` is a copy of the state's
 *       header and input/output records (kernels/loader.h) with the Arena word 0: the tensors live
 *       in a separate JavaScript Buffer of arenaBytes bytes that JavaScript allocates and passes to
 *       invoke and reset. `portable` runs only kernels/'s portable C; otherwise a few float kernels
 *       use host_kernels.c's versions, which give the same bits faster. A model the C loader
 *       refuses throws an Error with its message.
 *   reset(handle, arena: Buffer)   the arena's state as a fresh load leaves it (tfl_reset)
 *   invoke(handle, arena: Buffer)  runs every operator once (tfl_invoke's loop): false when an op stopped it
 *
 * Memory safety at the boundary: the handle is an External that only this file creates (its type
 * is checked with a tag), the state and the model copy are never visible to JavaScript (so their
 * offsets, which the loader checked, cannot be changed), and the arena must be a Buffer of exactly
 * the planned size: every tensor offset and size the kernels use was checked against that size. */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdlib.h>
#include <string.h>
#include "loader.h"
#include "host_kernels.h"

typedef void (*body_fn)(int32_t *params, const uint8_t *model, uint8_t *arena);

#define PORTABLE_BODY(name) tflite_##name,
static const body_fn PORTABLE_BODIES[TFL_BODY_COUNT] = {TFLITE_BODIES(PORTABLE_BODY)};
/* PORTABLE_BODIES with host_kernels.c's bodies in place of some: the same list, read while their
 * kernels/ names stand for the host ones (a constant table, shared safely by worker threads). */
#define tflite_depthwise_conv_2d_float host_depthwise_conv_2d_float
#define tflite_conv_2d_float host_conv_2d_float
#define tflite_fully_connected_float host_fully_connected_float
#define tflite_max_pool_2d_float host_max_pool_2d_float
#define tflite_average_pool_2d_float host_average_pool_2d_float
static const body_fn FAST_BODIES[TFL_BODY_COUNT] = {TFLITE_BODIES(PORTABLE_BODY)};
#undef tflite_depthwise_conv_2d_float
#undef tflite_conv_2d_float
#undef tflite_fully_connected_float
#undef tflite_max_pool_2d_float
#undef tflite_average_pool_2d_float

typedef struct loaded {
    uint8_t *model;
    uint32_t model_length;
    uint8_t *state;
    uint32_t arena_bytes;
    const body_fn *bodies;
} loaded;

/* Tells this addon's handles from any other External. */
static const napi_type_tag LOADED_TAG = {0x74696e796d6c6e6fULL, 0x64652d73746174eULL};

static void *host_alloc(void *context, uint32_t bytes)
{
    (void)context;
    return malloc(bytes);
}
static void host_free(void *context, void *memory)
{
    (void)context;
    free(memory);
}

static void free_loaded(napi_env env, void *data, void *hint)
{
    (void)env;
    (void)hint;
    loaded *m = (loaded *)data;
    free(m->model);
    free(m->state);
    free(m);
}

/* Throws `message` (unless an exception is already pending) and returns NULL. */
static napi_value fail(napi_env env, const char *message)
{
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_error(env, NULL, message);
    return NULL;
}

#define CHECK(env, call) \
    do { \
        if ((call) != napi_ok) return fail((env), "tinyml native addon: " #call " failed"); \
    } while (0)

/* The Buffer argument `v`'s bytes, or NULL with a TypeError thrown. */
static uint8_t *buffer_arg(napi_env env, napi_value v, const char *what, size_t *length)
{
    bool is_buffer = false;
    void *data = NULL;
    if (napi_is_buffer(env, v, &is_buffer) != napi_ok || !is_buffer ||
        napi_get_buffer_info(env, v, &data, length) != napi_ok) {
        napi_throw_type_error(env, NULL, what);
        return NULL;
    }
    /* An empty Buffer may have no storage at all; callers check lengths before using it. */
    return data ? (uint8_t *)data : (uint8_t *)"";
}

static loaded *handle_arg(napi_env env, napi_value v)
{
    bool tagged = false;
    void *data = NULL;
    napi_valuetype type;
    if (napi_typeof(env, v, &type) != napi_ok || type != napi_external ||
        napi_check_object_type_tag(env, v, &LOADED_TAG, &tagged) != napi_ok || !tagged ||
        napi_get_value_external(env, v, &data) != napi_ok || !data) {
        napi_throw_type_error(env, NULL, "not a model loaded by the tinyml native addon");
        return NULL;
    }
    return (loaded *)data;
}

/* The arena argument: a Buffer of exactly the model's arena size, 8-byte aligned (the arena's
 * alignment on the board, which the planner's offsets assume). */
static uint8_t *arena_arg(napi_env env, napi_value v, const loaded *m)
{
    size_t length = 0;
    uint8_t *arena = buffer_arg(env, v, "the arena must be a Buffer", &length);
    if (!arena) return NULL;
    if (length != m->arena_bytes) {
        fail(env, "the arena Buffer has the wrong size for this model");
        return NULL;
    }
    if ((uintptr_t)arena % 8) {
        fail(env, "the arena Buffer is not 8-byte aligned");
        return NULL;
    }
    return arena;
}

static napi_value load(napi_env env, napi_callback_info info)
{
    size_t argc = 2;
    napi_value argv[2];
    CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    if (argc < 2) return fail(env, "load(model, portable): two arguments");
    size_t length = 0;
    const uint8_t *bytes = buffer_arg(env, argv[0], "the model must be a Buffer", &length);
    if (!bytes) return NULL;
    if (length > 0x7fffffffu) return fail(env, "the model is too large");
    bool portable = false;
    CHECK(env, napi_get_value_bool(env, argv[1], &portable));

    loaded *m = (loaded *)calloc(1, sizeof(loaded));
    if (!m) return fail(env, "out of memory");
    m->model_length = (uint32_t)length;
    m->model = (uint8_t *)malloc(length ? length : 1);
    if (!m->model) {
        free(m);
        return fail(env, "out of memory");
    }
    memcpy(m->model, bytes, length);

    char error[256];
    tfl_loader l;
    memset(&l, 0, sizeof(l));
    /* The STS interpreter sets no limit; this one only keeps a corrupt shape from asking for more
     * than a 32-bit offset can address. */
    l.max_arena_bytes = 0x40000000u;
    if (tfl_load(&l, m->model, m->model_length, error, sizeof(error), host_alloc, host_free, NULL)) {
        tfl_loader_finish(&l);
        free(m->model);
        free(m);
        return fail(env, error);
    }
    uint32_t state_bytes = tfl_state_bytes(&l);
    m->state = (uint8_t *)malloc(state_bytes);  /* malloc: aligned for any type, so to 8 */
    if (!m->state) {
        tfl_loader_finish(&l);
        free(m->model);
        free(m);
        return fail(env, "out of memory");
    }
    tfl_write_state(&l, m->state);
    tfl_loader_finish(&l);
    const int32_t *header = (const int32_t *)m->state;
    m->arena_bytes = (uint32_t)header[TFL_STATE_ARENA_BYTES];
    m->bodies = portable ? PORTABLE_BODIES : FAST_BODIES;

    napi_value handle, header_copy, arena_bytes, result;
    if (napi_create_external(env, m, free_loaded, NULL, &handle) != napi_ok) {
        free_loaded(env, m, NULL);
        return fail(env, "tinyml native addon: napi_create_external failed");
    }
    CHECK(env, napi_type_tag_object(env, handle, &LOADED_TAG));
    /* The header and the records, up to the arena (the op table and parameter blocks between
     * them are copied too: they are harmless to read, and the copy cannot change the state). */
    uint32_t arena_at = (uint32_t)header[TFL_STATE_ARENA];
    void *copy = NULL;
    CHECK(env, napi_create_buffer_copy(env, arena_at, m->state, &copy, &header_copy));
    ((int32_t *)copy)[TFL_STATE_ARENA] = 0;
    CHECK(env, napi_create_uint32(env, m->arena_bytes, &arena_bytes));
    CHECK(env, napi_create_array_with_length(env, 3, &result));
    CHECK(env, napi_set_element(env, result, 0, handle));
    CHECK(env, napi_set_element(env, result, 1, header_copy));
    CHECK(env, napi_set_element(env, result, 2, arena_bytes));
    return result;
}

/* The handle and arena of a (handle, arena) call, or 1 with an exception thrown. */
static int handle_and_arena(napi_env env, napi_callback_info info, loaded **m, uint8_t **arena)
{
    size_t argc = 2;
    napi_value argv[2];
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
        fail(env, "expected (handle, arena)");
        return 1;
    }
    *m = handle_arg(env, argv[0]);
    if (!*m) return 1;
    *arena = arena_arg(env, argv[1], *m);
    return *arena ? 0 : 1;
}

static napi_value invoke(napi_env env, napi_callback_info info)
{
    loaded *m;
    uint8_t *arena;
    if (handle_and_arena(env, info, &m, &arena)) return NULL;
    const int32_t *header = (const int32_t *)m->state;
    const int32_t *op_table = (const int32_t *)(m->state + header[TFL_STATE_OPS]);
    /* Subgraph 0's ops; a control op's body runs another subgraph's with the portable bodies
     * (tfl_run_ops), which give the same bytes. An op may stop the invoke as in tfl_invoke. */
    tfl_invoke_stopped = 0;
    for (int32_t i = 0; i < header[TFL_STATE_MAIN_OP_COUNT]; i++) {
        m->bodies[op_table[2 * i]]((int32_t *)(m->state + op_table[2 * i + 1]), m->model, arena);
        if (tfl_invoke_stopped) break;
    }
    const int ran = !tfl_invoke_stopped;
    tfl_invoke_stopped = 0;
    napi_value result;
    napi_get_boolean(env, ran, &result);
    return result;
}

static napi_value reset(napi_env env, napi_callback_info info)
{
    loaded *m;
    uint8_t *arena;
    if (handle_and_arena(env, info, &m, &arena)) return NULL;
    /* tfl_reset's work, on this arena. */
    const int32_t *header = (const int32_t *)m->state;
    memset(arena + header[TFL_STATE_OP_STATE_START], 0, (uint32_t)header[TFL_STATE_OP_STATE_BYTES]);
    const int32_t *variables = (const int32_t *)(m->state + header[TFL_STATE_VARIABLES]);
    for (int32_t i = 0; i < header[TFL_STATE_VARIABLE_COUNT]; i++)
        memset(arena + variables[3 * i], variables[3 * i + 2], (uint32_t)variables[3 * i + 1]);
    return NULL;
}

NAPI_MODULE_INIT()
{
    napi_property_descriptor methods[] = {
        {"load", NULL, load, NULL, NULL, NULL, napi_default, NULL},
        {"invoke", NULL, invoke, NULL, NULL, NULL, napi_default, NULL},
        {"reset", NULL, reset, NULL, NULL, NULL, napi_default, NULL},
    };
    if (napi_define_properties(env, exports, sizeof(methods) / sizeof(methods[0]), methods) != napi_ok) return NULL;
    return exports;
}
