/* The loader in C: what the board runs instead of libs/tflite's STS loader (model.ts, interpreter.ts,
 * planner.ts and each kernel's prepare), because the STS one compiled natively does not fit the
 * micro:bit's flash beside a student's program.
 *
 * It reads a .tflite file in place, checks it, runs each operator's prepare (which writes the same
 * parameter block as the STS prepare, word for word: test/loader.test.ts compares them for every
 * model we have), plans the arena exactly as ArenaPlanner does, and lays everything an invoke needs
 * into one block of memory (the "state"), whose layout is below. Invoking then allocates nothing.
 *
 * Loading allocates only temporaries, through the caller's allocator, and frees them before it
 * returns; the state itself is one allocation of the caller's (on the board, a pxt Buffer, so the
 * garbage collector owns it). Every offset in the state is relative to its start or to its arena, so
 * it can live anywhere. */
#ifndef TFLITE_LOADER_H
#define TFLITE_LOADER_H

#include <stdint.h>
#include "tflite_abi.h"

#if defined(__GNUC__) && !defined(__clang__) && !defined(__cplusplus)
/* Loading runs once per model: small beats fast here, whatever the build's -O (pxt's is -O2). */
#pragma GCC optimize("Os", "fp-contract=off")
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Which kernels a board build carries. MakeCode links every C function of a package into every
 * program that uses it, so each kernel costs flash whether a model needs it or not. By default the
 * board carries what the built-in models (gestures, the speech front end and the keyword model) and
 * models shaped like them need; the extension in libs/all-ops sets "tinyml.all_ops" in its
 * pxt.json, which pxt passes to the C build as TINYML_ALL_OPS=1: then every kernel is in. The
 * simulator and Node always have every op. A model with a kernel the build left out fails to load
 * with an error that names the op and says what to add (tfl_use_body, tfl_find_prepare). */
#ifndef TINYML_ALL_OPS
#define TINYML_ALL_OPS 0
#endif
#define TFLITE_CORE_BODIES(X) \
    X(cast_int16) \
    X(cast_int32) \
    X(conv_2d_int8) \
    X(depthwise_conv_2d_int8) \
    X(add_int32) \
    X(mul_int32) \
    X(div_int32) \
    X(maximum_int32) \
    X(minimum_int32) \
    X(fully_connected_int8) \
    X(average_pool_2d_int8) \
    X(max_pool_2d_int8) \
    X(reshape_bytes) \
    X(signal_window_int16) \
    X(signal_fft_auto_scale_int16) \
    X(signal_rfft_int16) \
    X(signal_energy_int16) \
    X(signal_filter_bank_uint32) \
    X(signal_filter_bank_square_root_uint64) \
    X(signal_filter_bank_spectral_subtraction_uint32) \
    X(signal_pcan_uint32) \
    X(signal_filter_bank_log_uint32) \
    X(softmax_int8)
/* What a load reports for an op or a kernel this build left out (%s: which). */
#define TFL_NOT_IN_BUILD "%s not in the board's default build (the built-in models' kernels): add the extension tinyml-all-ops (libs/all-ops) for every op"

/* Body numbers: the order of TFLITE_BODIES. */
#define TFL_BODY_ID(name) TFL_BODY_##name,
enum tfl_body_id {
    TFLITE_BODIES(TFL_BODY_ID)
    TFL_BODY_COUNT
};

/* Fused activations (schema.fbs ActivationFunctionType). */
enum tfl_activation {
    TFL_ACT_NONE = 0,
    TFL_ACT_RELU = 1,
    TFL_ACT_RELU_N1_TO_1 = 2,
    TFL_ACT_RELU6 = 3,
};

/* Builtin operator codes the kernels handle (schema.fbs BuiltinOperator). */
enum tfl_builtin {
    TFL_OP_ADD = 0,
    TFL_OP_AVERAGE_POOL_2D = 1,
    TFL_OP_CONCATENATION = 2,
    TFL_OP_CONV_2D = 3,
    TFL_OP_DEPTHWISE_CONV_2D = 4,
    TFL_OP_DEPTH_TO_SPACE = 5,
    TFL_OP_DEQUANTIZE = 6,
    TFL_OP_EMBEDDING_LOOKUP = 7,
    TFL_OP_FLOOR = 8,
    TFL_OP_FULLY_CONNECTED = 9,
    TFL_OP_L2_NORMALIZATION = 11,
    TFL_OP_L2_POOL_2D = 12,
    TFL_OP_LOGISTIC = 14,
    TFL_OP_MAX_POOL_2D = 17,
    TFL_OP_MUL = 18,
    TFL_OP_RELU = 19,
    TFL_OP_RELU_N1_TO_1 = 20,
    TFL_OP_RELU6 = 21,
    TFL_OP_RESHAPE = 22,
    TFL_OP_RESIZE_BILINEAR = 23,
    TFL_OP_SOFTMAX = 25,
    TFL_OP_SPACE_TO_DEPTH = 26,
    TFL_OP_SVDF = 27,
    TFL_OP_TANH = 28,
    TFL_OP_CUSTOM = 32,
    TFL_OP_PAD = 34,
    TFL_OP_GATHER = 36,
    TFL_OP_BATCH_TO_SPACE_ND = 37,
    TFL_OP_SPACE_TO_BATCH_ND = 38,
    TFL_OP_TRANSPOSE = 39,
    TFL_OP_MEAN = 40,
    TFL_OP_SUB = 41,
    TFL_OP_DIV = 42,
    TFL_OP_SQUEEZE = 43,
    TFL_OP_UNIDIRECTIONAL_SEQUENCE_LSTM = 44,
    TFL_OP_STRIDED_SLICE = 45,
    TFL_OP_EXP = 47,
    TFL_OP_SPLIT = 49,
    TFL_OP_LOG_SOFTMAX = 50,
    TFL_OP_CAST = 53,
    TFL_OP_PRELU = 54,
    TFL_OP_MAXIMUM = 55,
    TFL_OP_ARG_MAX = 56,
    TFL_OP_MINIMUM = 57,
    TFL_OP_LESS = 58,
    TFL_OP_NEG = 59,
    TFL_OP_PADV2 = 60,
    TFL_OP_GREATER = 61,
    TFL_OP_GREATER_EQUAL = 62,
    TFL_OP_LESS_EQUAL = 63,
    TFL_OP_SLICE = 65,
    TFL_OP_SIN = 66,
    TFL_OP_TRANSPOSE_CONV = 67,
    TFL_OP_EXPAND_DIMS = 70,
    TFL_OP_EQUAL = 71,
    TFL_OP_NOT_EQUAL = 72,
    TFL_OP_LOG = 73,
    TFL_OP_SUM = 74,
    TFL_OP_SQRT = 75,
    TFL_OP_RSQRT = 76,
    TFL_OP_SHAPE = 77,
    TFL_OP_ARG_MIN = 79,
    TFL_OP_REDUCE_MAX = 82,
    TFL_OP_PACK = 83,
    TFL_OP_LOGICAL_OR = 84,
    TFL_OP_LOGICAL_AND = 86,
    TFL_OP_LOGICAL_NOT = 87,
    TFL_OP_UNPACK = 88,
    TFL_OP_REDUCE_MIN = 89,
    TFL_OP_FLOOR_DIV = 90,
    TFL_OP_SQUARE = 92,
    TFL_OP_ZEROS_LIKE = 93,
    TFL_OP_FILL = 94,
    TFL_OP_FLOOR_MOD = 95,
    TFL_OP_RESIZE_NEAREST_NEIGHBOR = 97,
    TFL_OP_LEAKY_RELU = 98,
    TFL_OP_SQUARED_DIFFERENCE = 99,
    TFL_OP_MIRROR_PAD = 100,
    TFL_OP_ABS = 101,
    TFL_OP_SPLIT_V = 102,
    TFL_OP_CEIL = 104,
    TFL_OP_REVERSE_V2 = 105,
    TFL_OP_ADD_N = 106,
    TFL_OP_GATHER_ND = 107,
    TFL_OP_COS = 108,
    TFL_OP_ELU = 111,
    TFL_OP_QUANTIZE = 114,
    TFL_OP_ROUND = 116,
    TFL_OP_HARD_SWISH = 117,
    TFL_OP_IF = 118,
    TFL_OP_WHILE = 119,
    TFL_OP_SELECT_V2 = 123,
    TFL_OP_BATCH_MATMUL = 126,
    TFL_OP_CUMSUM = 128,
    TFL_OP_CALL_ONCE = 129,
    TFL_OP_BROADCAST_TO = 130,
    TFL_OP_REDUCE_ALL = 140,
    TFL_OP_VAR_HANDLE = 142,
    TFL_OP_READ_VARIABLE = 143,
    TFL_OP_ASSIGN_VARIABLE = 144,
    TFL_OP_BROADCAST_ARGS = 145,
    TFL_OP_DYNAMIC_UPDATE_SLICE = 151,
};

#define TFL_MAX_RANK 8

typedef struct tfl_tensor_info {
    int32_t index;
    uint8_t type;
    uint8_t is_const;
    uint8_t is_variable;
    uint8_t rank;
    int32_t shape[TFL_MAX_RANK];
    uint32_t count;  /* elements */
    uint32_t bytes;
    /* Where the bytes start: in the model for constants, in the arena once planned otherwise. */
    uint32_t offset;
    uint32_t name_at, name_length;   /* the name's bytes in the model */
    /* Quantization: scale 0 means none. Per-channel scales and zero points stay in the model. */
    float scale;
    int32_t zero_point;
    uint32_t scale_count, scales_at;
    uint32_t zero_point_count, zero_points_at;
    int32_t quantized_dimension;
} tfl_tensor_info;

struct tfl_loader;

/* A growable list of (a, b) word pairs, in the loader's temporary memory. */
typedef struct tfl_pairs {
    int32_t *items;
    uint32_t count, capacity;
} tfl_pairs;

typedef struct tfl_op {
    struct tfl_loader *loader;
    int32_t index, opcode, version;
    uint32_t custom_name_at, custom_name_length;
    uint32_t input_count, output_count;
    tfl_tensor_info **inputs;   /* NULL where the model omits an optional input (-1) */
    tfl_tensor_info **outputs;
    uint32_t options;      /* the builtin options table's position, 0 when absent */
    uint32_t options_type;
    uint32_t custom_options, custom_options_length;
    /* What prepare chose: a body, its parameter block, and words to fill once the arena is planned. */
    int32_t body;
    int32_t *params;
    uint32_t words;
    tfl_pairs tensor_words;      /* (word, tensor index or -1) */
    tfl_pairs scratch;           /* (word, bytes) */
    tfl_pairs persistent;        /* (word, bytes) */
#if TINYML_ALL_OPS
    int32_t subgraph;            /* which subgraph it is in (index is its place there) */
    tfl_pairs resources;         /* (word, resource variable): its arena offset goes at the word */
    int32_t self_word;           /* 1 + the word that gets the block's place in the state, 0 for none */
#endif
} tfl_op;

/* One subgraph's place in the loader's lists (model.ts's Subgraph): its tensors start at
 * tensors[tensor_base] (their indices, and those of inputs/outputs, are its own), its operators at
 * ops[first_op]. */
typedef struct tfl_subgraph {
    uint32_t tensor_base, tensor_count, first_op, op_count;
    int32_t *inputs, *outputs;
    uint32_t input_count, output_count;
} tfl_subgraph;

/* A resource variable (VAR_HANDLE's container and shared name): its bytes, fixed by the first
 * ASSIGN_VARIABLE prepared (0 until then), the byte that fills it at a reset, its arena offset. */
typedef struct tfl_resource {
    uint32_t container_at, container_length, name_at, name_length;
    int32_t has_container, sized;
    uint32_t bytes, fill, offset;
} tfl_resource;

typedef void *(*tfl_alloc_fn)(void *context, uint32_t bytes);
typedef void (*tfl_free_fn)(void *context, void *memory);

typedef struct tfl_loader {
    const uint8_t *model;
    uint32_t length;
    tfl_tensor_info *tensors;
    uint32_t tensor_count;
    tfl_op *ops;
    uint32_t op_count;
    int32_t *inputs, *outputs;   /* tensor indices */
    uint32_t input_count, output_count;
    uint32_t subgraph_count;
    /* Every subgraph (tensors and ops above hold all of theirs, subgraph after subgraph), and while
     * reading, the one being read. */
#if TINYML_ALL_OPS
    tfl_subgraph *subgraphs;
    uint32_t reading_subgraph, reading_tensor_base, reading_tensor_count;
    /* TFL_CONST_MAX_RESOURCES (kernel_control.ts) of them once a VAR_HANDLE is prepared (temporary memory). */
    tfl_resource *resources;
    uint32_t resource_count;
#endif
    /* The largest arena allowed (a corrupt shape must not exhaust memory). */
    uint32_t max_arena_bytes;
    /* The plan. */
    uint32_t arena_bytes, persistent_bytes, op_state_start, op_state_bytes;
    /* The first error, as text; failed stays set once something went wrong. */
    int failed;
    char *error;
    uint32_t error_size;
    /* Temporary memory, freed by tfl_loader_finish. */
    tfl_alloc_fn alloc;
    tfl_free_fn release;
    void *alloc_context;
    void *temporaries;
} tfl_loader;

/* ---- Loading ---- */

/* Parses, prepares and plans `model`. Returns 0 on success; else 1 with the message in `error`. */
int tfl_load(tfl_loader *l, const uint8_t *model, uint32_t length, char *error, uint32_t error_size,
             tfl_alloc_fn alloc, tfl_free_fn release, void *alloc_context);
/* The bytes tfl_write_state needs (after a successful tfl_load). */
uint32_t tfl_state_bytes(const tfl_loader *l);
/* Lays the loaded model's ops, parameter blocks, input/output descriptions and arena into `state`
 * (tfl_state_bytes long, 4-byte aligned) and resets the arena's state. */
void tfl_write_state(const tfl_loader *l, uint8_t *state);
/* Frees the loader's temporaries. */
void tfl_loader_finish(tfl_loader *l);

/* ---- The state ----
 * Words: */
enum tfl_state_word {
    /* TFL_STATE_MAGIC_VALUE */
    TFL_STATE_MAGIC = 0,
    TFL_STATE_OP_COUNT = 1,
    /* byte offset of op_count (body, params byte offset) pairs */
    TFL_STATE_OPS = 2,
    /* byte offset of the arena (a multiple of 8) */
    TFL_STATE_ARENA = 3,
    TFL_STATE_ARENA_BYTES = 4,
    /* in the arena */
    TFL_STATE_OP_STATE_START = 5,
    TFL_STATE_OP_STATE_BYTES = 6,
    TFL_STATE_VARIABLE_COUNT = 7,
    /* byte offset of (arena offset, bytes, fill byte) triples */
    TFL_STATE_VARIABLES = 8,
    TFL_STATE_INPUT_COUNT = 9,
    TFL_STATE_OUTPUT_COUNT = 10,
    /* byte offset of the input records, then the output records */
    TFL_STATE_IO = 11,
    /* How many of the ops an invoke runs (subgraph 0's; the others' follow them in the op table).
     * Written by builds with several subgraphs (TINYML_ALL_OPS) only: else 0, and all ops run. */
    TFL_STATE_MAIN_OP_COUNT = 12,
    TFL_STATE_HEADER_WORDS = 13,
};
#define TFL_STATE_MAGIC_VALUE 0x494c4654  /* "TFLI" */

/* One input or output (words): tensor index, type, arena offset, bytes, scale (float32 bits), zero
 * point, rank, then TFL_MAX_RANK dimensions. libs/tflite/interpreter_shim.ts reads the same layout. */
enum tfl_io_word {
    TFL_IO_INDEX = 0,
    TFL_IO_TYPE = 1,
    TFL_IO_OFFSET = 2,
    TFL_IO_BYTES = 3,
    TFL_IO_SCALE = 4,
    TFL_IO_ZERO_POINT = 5,
    TFL_IO_RANK = 6,
    TFL_IO_SHAPE = 7,
    /* TFL_IO_SHAPE + TFL_MAX_RANK */
    TFL_IO_WORDS = 15,
};

/* Runs every operator once. Returns 1 when every op ran, 0 when one stopped the invoke early
 * (CIRCULAR_BUFFER when not due, in all-ops builds: TFLM's kTfLiteAbort). */
int tfl_invoke(uint8_t *state, const uint8_t *model);
/* Set by a body that stops the current invoke (circular_buffer.c, where it is defined). */
extern uint8_t tfl_invoke_stopped;
/* Runs ops first .. first + count - 1 of the op table (a subgraph's, for the control ops' bodies:
 * kernels/control.c). Only in builds with several subgraphs (TINYML_ALL_OPS). */
void tfl_run_ops(uint8_t *state, const uint8_t *model, uint8_t *arena, int32_t first, int32_t count);
/* Clears the state kept between invokes (variable tensors to their zero point, op state to 0). */
void tfl_reset(uint8_t *state);

/* The bytes of the model's metadata entry `name`: sets *at and *length and returns 1, or returns 0.
 * Checks the file's structure as it goes (a corrupt model gives 0). */
int tfl_find_metadata(const uint8_t *model, uint32_t length, const char *name, uint32_t *at, uint32_t *length_out);

/* metadata.c: the "pxt-tinyml" metadata text (libs/tflite/metadata.ts). */
typedef struct tfl_metadata_entry {
    uint32_t key_at, key_length, value_at, value_length;
} tfl_metadata_entry;
/* The next key=value line from *pos on (blank and '#' lines skipped; *line counts lines read):
 * 1 with the entry, 0 at the end, -1 for a line that is not key=value (key_at/key_length: the line). */
int tfl_metadata_next(const uint8_t *text, uint32_t length, uint32_t *pos, uint32_t *line, tfl_metadata_entry *e);
/* UTF-8 bytes with every byte that starts no well-formed character replaced by U+FFFD (decodeUtf8's
 * rule), written to `out` unless it is NULL; returns the length. At most 3 * n bytes. */
uint32_t tfl_utf8_clean(const uint8_t *in, uint32_t n, uint8_t *out);
/* Whether s[0..n) is a decimal number as parseMetadataNumber accepts it (spaces around allowed);
 * [*start, *end) is the text without the spaces. */
int tfl_decimal_span(const uint8_t *s, uint32_t n, uint32_t *start, uint32_t *end);

/* ---- For the prepare functions (prepare_*.c) ---- */

typedef int (*tfl_prepare_fn)(tfl_op *op);

/* Fails with the op named: "operator 3 (CONV_2D v1): " then the formatted message. Returns 1, so
 * prepare functions can `return tfl_op_fail(...)`. Formats: %d (int32), %s (C string), %t (a
 * tensor's description), %y (a type's name), %f (a double: NaN, Infinity, whole, or up to 9
 * significant digits). */
int tfl_op_fail(tfl_op *op, const char *format, ...);
#define TFL_CHECK(op, cond, ...) do { if (!(cond)) return tfl_op_fail((op), __VA_ARGS__); } while (0)
int tfl_fail(tfl_loader *l, const char *format, ...);
/* The loader's message formatting into out[0..size), NUL-terminated: %d int32, %s string, %y a
 * tensor type's name, %f a double, %b bytes (a pointer, then a uint32 length). Returns the length. */
uint32_t tfl_format(char *out, uint32_t size, const char *format, ...);

tfl_tensor_info *tfl_input(const tfl_op *op, uint32_t i);
tfl_tensor_info *tfl_output_tensor(const tfl_op *op, uint32_t i);

/* Builtin option fields, with defaults when absent. */
int32_t tfl_opt_int(const tfl_op *op, uint32_t field, int32_t dflt);
int32_t tfl_opt_byte(const tfl_op *op, uint32_t field, int32_t dflt);
float tfl_opt_float(const tfl_op *op, uint32_t field, float dflt);
/* An int32 vector field: its length (0 when absent); up to `max` elements are copied to `out`. */
uint32_t tfl_opt_int_array(const tfl_op *op, uint32_t field, int32_t *out, uint32_t max);
/* After every prepare: each READ_VARIABLE reads a variable some ASSIGN_VARIABLE sized, of its
 * output's size (prepare_control.c, TINYML_ALL_OPS only). */
int tfl_check_resource_reads(tfl_loader *l);
/* Whether the options hold the field; a string field's bytes in the model (TINYML_ALL_OPS only). */
int tfl_opt_present(const tfl_op *op, uint32_t field);
void tfl_opt_string(const tfl_op *op, uint32_t field, uint32_t *at, uint32_t *length);

/* Whether this build carries a body. A constant answer for a constant body, so a prepare's code
 * for a left-out body is dropped along with the body. */
static inline int tfl_body_in_build(int32_t body)
{
#if TINYML_ALL_OPS
    (void)body;
    return 1;
#else
#define TFL_CORE_BODY_CASE(name) case TFL_BODY_##name:
    switch (body) {
    TFLITE_CORE_BODIES(TFL_CORE_BODY_CASE)
        return 1;
    default:
        return 0;
    }
#endif
}
int32_t *tfl_choose_body(tfl_op *op, int32_t body, uint32_t words);
/* Chooses the body and returns its zeroed parameter block of `words` words (NULL if out of memory
 * or if the body is not in this build, with the loader failed). */
/* Fails with TFL_NOT_IN_BUILD: the op's tensor types have no kernel in this build. */
int tfl_types_left_out(tfl_op *op);
static inline int32_t *tfl_use_body(tfl_op *op, int32_t body, uint32_t words)
{
    if (!tfl_body_in_build(body)) {
        tfl_types_left_out(op);
        return 0;
    }
    return tfl_choose_body(op, body, words);
}
/* In the board's default build, stops a prepare at once unless `supported` (the tensor types whose
 * kernels that build carries), so that the compiler drops the prepare's code for the other types. */
#define TFL_DEFAULT_BUILD_TYPES(op, supported) \
    do { \
        if (!TINYML_ALL_OPS && !(supported)) return tfl_types_left_out(op); \
    } while (0)
/* The prepare of an op this build leaves out: fails with TFL_NOT_IN_BUILD. */
int tfl_prepare_left_out(tfl_op *op);
void tfl_param_tensor(tfl_op *op, uint32_t word, const tfl_tensor_info *t);
void tfl_param_scratch(tfl_op *op, uint32_t word, uint32_t bytes);
void tfl_param_persistent(tfl_op *op, uint32_t word, uint32_t bytes);
/* The arena offset of resource variable `id` (loader's resources) goes at `word` once planned. */
void tfl_param_resource(tfl_op *op, uint32_t word, uint32_t id);
/* The parameter block's byte offset in the state goes at `word` (tfl_write_state), so that a body
 * that runs a subgraph finds the op table. */
void tfl_param_self(tfl_op *op, uint32_t word);
static inline void tfl_set_param_float(int32_t *p, uint32_t word, float f)
{
    union { float f; int32_t i; } u;
    u.f = f;
    p[word] = u.i;
}

/* Per-channel quantization, read from the model. */
float tfl_scale_at(const tfl_op *op, const tfl_tensor_info *t, uint32_t i);
int64_t tfl_zero_point_at(const tfl_op *op, const tfl_tensor_info *t, uint32_t i);
/* The bytes of a constant tensor, in the model. */
const uint8_t *tfl_const_data(const tfl_op *op, const tfl_tensor_info *t);
uint32_t tfl_type_size(int32_t type);

/* Temporary memory for a prepare (freed with the loader); zeroed. */
void *tfl_temp_alloc(tfl_loader *l, uint32_t bytes);

/* Quantization helpers (quantization.ts), bit for bit. */
void tfl_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift);
/* The operator being prepared: the quantization helpers refuse, on its behalf, a multiplier whose
 * shift TFLM's MultiplyByQuantizedMultiplier cannot apply (no prepare checks its own). */
extern tfl_op *tfl_preparing;
int32_t tfl_round_half_away(double x);
/* std::round on a double, kept a double (NaN and infinities pass through). */
double tfl_round_half_away_double(double x);
/* -x as the STS stores it (wrapping at INT32_MIN instead of overflowing). */
static inline int32_t tfl_negate(int32_t x) { return (int32_t)(0u - (uint32_t)x); }
/* JavaScript's ToInt32: what the STS setParam stores for a number (NaN and infinities give 0). */
int32_t tfl_to_int32(double x);
/* Lower and upper bounds of a fused activation in t's quantized domain (quantizedActivationRange). */
void tfl_quantized_activation_range(int32_t activation, const tfl_tensor_info *t, int32_t *qmin, int32_t *qmax);
void tfl_float_activation_range(int32_t activation, float *lo, float *hi);
/* perChannelMultipliers / perTensorMultiplier: pairs written at p[word...]. */
void tfl_per_channel_multipliers(const tfl_op *op, const tfl_tensor_info *input, const tfl_tensor_info *filter,
                                 const tfl_tensor_info *output, uint32_t channels, int32_t *out);
void tfl_per_tensor_multiplier(const tfl_tensor_info *input, const tfl_tensor_info *filter, const tfl_tensor_info *output, int32_t *out);

/* The prepare functions, one per kernel family (prepare_*.c). Each returns 0 or tfl_op_fail's 1. */
tfl_prepare_fn tfl_find_prepare(const tfl_op *op, const char *custom_name, uint32_t custom_name_length);

#ifdef __cplusplus
}
#endif
#endif
