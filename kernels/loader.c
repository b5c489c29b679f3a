/* The C loader (loader.h): reading the .tflite file, planning the arena, the state block, invoke.
 * It follows libs/tflite/model.ts, flatbuffer.ts, planner.ts and interpreter.ts step for step, so
 * the same model gets the same checks and the same plan. */
#include <stdarg.h>
#include <string.h>
#include "loader.h"
#include "kernel_util.h"

/* ---- Temporary memory: a linked list of blocks, each freed by tfl_loader_finish. ---- */

typedef struct tfl_temp {
    struct tfl_temp *next;
    uint32_t pad;  /* keeps what follows 8-byte aligned on 32-bit targets */
} tfl_temp;

void *tfl_temp_alloc(tfl_loader *l, uint32_t bytes)
{
    if (bytes > 0x7fffff00u) {
        tfl_fail(l, "out of memory: %d bytes asked for", (int32_t)bytes);
        return 0;
    }
    tfl_temp *t = (tfl_temp *)l->alloc(l->alloc_context, (uint32_t)sizeof(tfl_temp) + bytes);
    if (!t) {
        tfl_fail(l, "out of memory loading the model (%d more bytes)", (int32_t)bytes);
        return 0;
    }
    t->next = (tfl_temp *)l->temporaries;
    l->temporaries = t;
    memset(t + 1, 0, bytes);
    return t + 1;
}

void tfl_loader_finish(tfl_loader *l)
{
    tfl_temp *t = (tfl_temp *)l->temporaries;
    while (t) {
        tfl_temp *next = t->next;
        l->release(l->alloc_context, t);
        t = next;
    }
    l->temporaries = 0;
}

static void pairs_add(tfl_loader *l, tfl_pairs *list, int32_t a, int32_t b)
{
    if (list->count == list->capacity) {
        uint32_t capacity = list->capacity ? 2 * list->capacity : 4;
        int32_t *items = (int32_t *)tfl_temp_alloc(l, 8 * capacity);
        if (!items) return;
        if (list->count) memcpy(items, list->items, 8 * list->count);
        list->items = items;
        list->capacity = capacity;
    }
    list->items[2 * list->count] = a;
    list->items[2 * list->count + 1] = b;
    list->count++;
}

/* ---- Error messages, formatted without the C library ---- */

static const char *const TYPE_NAMES[] = {"FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16",
    "COMPLEX64", "INT8", "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4"};
/* RESOURCE: a resource variable's handle, an int32 id as in TFLM. */
static const uint8_t TYPE_SIZES[] = {4, 2, 4, 1, 8, 0, 1, 2, 8, 1, 8, 16, 8, 4, 0, 4, 2, 0};

uint32_t tfl_type_size(int32_t type)
{
    return type >= 0 && type < (int32_t)sizeof(TYPE_SIZES) ? TYPE_SIZES[type] : 0;
}

typedef struct {
    char *out;
    uint32_t size, used;
} text_sink;

static void put_char(text_sink *s, char c)
{
    if (s->used + 1 < s->size) s->out[s->used++] = c;
}
static void put_string(text_sink *s, const char *text)
{
    while (*text) put_char(s, *text++);
}
static void put_bytes(text_sink *s, const uint8_t *bytes, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) put_char(s, (char)bytes[i]);
}
static void put_int(text_sink *s, int64_t v)
{
    char digits[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (v < 0) put_char(s, '-');
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n) put_char(s, digits[--n]);
}
/* A number as JavaScript would mostly print it: NaN, Infinity, whole numbers exactly, others with
 * up to 9 significant digits (enough to tell float32 values apart). */
static void put_number(text_sink *s, double v)
{
    if (v != v) {
        put_string(s, "NaN");
        return;
    }
    if (v < 0) {
        put_char(s, '-');
        v = -v;
    }
    if (v - v != 0) {
        put_string(s, "Infinity");
        return;
    }
    if (v >= 1e18) {   /* beyond int64: digits, then an exponent */
        int e = 0;
        while (v >= 10) { v /= 10; e++; }
        put_number(s, v);
        put_string(s, "e+");
        put_int(s, e);
        return;
    }
    double whole = (double)(int64_t)v;
    put_int(s, (int64_t)whole);
    double fraction = v - whole;
    if (fraction == 0) return;
    /* Significant digits left after the whole part (leading zeros of a small number don't count). */
    int digits = 9;
    for (double w = whole; w >= 1 && digits > 0; w /= 10) digits--;
    char text[32];
    int n = 0, significant = whole >= 1;
    while (n < 30 && digits > 0 && fraction > 0) {
        fraction *= 10;
        int d = (int)fraction;
        fraction -= d;
        text[n++] = (char)('0' + d);
        if (d || significant) { significant = 1; digits--; }
    }
    while (n > 0 && text[n - 1] == '0') n--;
    if (n == 0) return;
    put_char(s, '.');
    for (int i = 0; i < n; i++) put_char(s, text[i]);
}

static void put_type(text_sink *s, int32_t type)
{
    if (type >= 0 && type < (int32_t)(sizeof(TYPE_NAMES) / sizeof(TYPE_NAMES[0]))) put_string(s, TYPE_NAMES[type]);
    else {
        put_string(s, "type ");
        put_int(s, type);
    }
}
static void put_tensor(text_sink *s, const tfl_loader *l, const tfl_tensor_info *t)
{
    put_string(s, "tensor ");
    put_int(s, t->index);
    if (t->name_length) {
        put_string(s, " '");
        put_bytes(s, l->model + t->name_at, t->name_length);
        put_char(s, '\'');
    }
    put_char(s, ' ');
    put_type(s, t->type);
    put_char(s, '[');
    for (uint32_t i = 0; i < t->rank; i++) {
        if (i) put_char(s, ',');
        put_int(s, t->shape[i]);
    }
    put_char(s, ']');
}

static void format(text_sink *s, const tfl_loader *l, const char *f, va_list args)
{
    for (; *f; f++) {
        if (*f != '%') {
            put_char(s, *f);
            continue;
        }
        f++;
        if (*f == 'd') put_int(s, va_arg(args, int32_t));
        else if (*f == 's') put_string(s, va_arg(args, const char *));
        else if (*f == 't') put_tensor(s, l, va_arg(args, const tfl_tensor_info *));
        else if (*f == 'y') put_type(s, va_arg(args, int32_t));
        else if (*f == 'b') {   /* bytes: a pointer, then a length */
            const uint8_t *bytes = va_arg(args, const uint8_t *);
            put_bytes(s, bytes, va_arg(args, uint32_t));
        }
        else if (*f == 'f') put_number(s, va_arg(args, double)); else if (*f == '%') put_char(s, '%');
        else return;
    }
}

static void begin_error(tfl_loader *l, text_sink *s)
{
    s->out = l->error;
    s->size = l->error_size;
    s->used = 0;
}
static void end_error(text_sink *s)
{
    if (s->size) s->out[s->used] = 0;
}

uint32_t tfl_format(char *out, uint32_t size, const char *f, ...)
{
    text_sink s = {out, size, 0};
    va_list args;
    va_start(args, f);
    format(&s, NULL, f, args);
    va_end(args);
    end_error(&s);
    return s.used;
}

int tfl_fail(tfl_loader *l, const char *f, ...)
{
    if (l->failed) return 1;
    l->failed = 1;
    text_sink s;
    begin_error(l, &s);
    va_list args;
    va_start(args, f);
    format(&s, l, f, args);
    va_end(args);
    end_error(&s);
    return 1;
}

/* Names of the builtin ops, so that an error can say which op a model uses (tflite_abi.h). */
static const uint8_t OP_NAMES[] = {TFL_OP_NAMES_PACKED};

/* Character i of the ' '-separated names. */
static char op_name_char(uint32_t i)
{
    uint32_t bit = 6 * i, pair = OP_NAMES[bit >> 3] | (uint32_t)OP_NAMES[(bit >> 3) + 1] << 8;
    return TFL_OP_NAME_ALPHABET[(pair >> (bit & 7)) & 63];
}

static void put_op_name(text_sink *s, const tfl_loader *l, const tfl_op *op)
{
    if (op->opcode == TFL_OP_CUSTOM) {
        put_bytes(s, l->model + op->custom_name_at, op->custom_name_length);
        return;
    }
    uint32_t at = 0;
    for (int32_t i = 0; i < op->opcode && at < TFL_OP_NAMES_LENGTH; at++)
        if (op_name_char(at) == ' ') i++;
    if (op->opcode < 0 || at >= TFL_OP_NAMES_LENGTH) {
        put_string(s, "BUILTIN_");
        put_int(s, op->opcode);
        return;
    }
    for (char c; at < TFL_OP_NAMES_LENGTH && (c = op_name_char(at)) != ' '; at++) put_char(s, c);
}

/* "operator 3", or "subgraph 1 operator 3" past subgraph 0. */
static void put_op_place(text_sink *s, const tfl_op *op)
{
#if TINYML_ALL_OPS
    if (op->subgraph > 0) {
        put_string(s, "subgraph ");
        put_int(s, op->subgraph);
        put_char(s, ' ');
    }
#endif
    put_string(s, "operator ");
    put_int(s, op->index);
}

static void put_op(text_sink *s, const tfl_loader *l, const tfl_op *op)
{
    put_op_place(s, op);
    put_string(s, " (");
    put_op_name(s, l, op);
    put_string(s, " v");
    put_int(s, op->version);
    put_char(s, ')');
}

int tfl_op_fail(tfl_op *op, const char *f, ...)
{
    tfl_loader *l = op->loader;
    if (l->failed) return 1;
    l->failed = 1;
    text_sink s;
    begin_error(l, &s);
    put_op(&s, l, op);
    put_string(&s, ": ");
    va_list args;
    va_start(args, f);
    format(&s, l, f, args);
    va_end(args);
    end_error(&s);
    return 1;
}

/* ---- The FlatBuffer reader (flatbuffer.ts): positions are absolute, 0 means absent, and every
 * read is checked against the file's length. A failed read returns 0 with the loader failed. ---- */

static int fb_check(tfl_loader *l, uint32_t at, uint32_t size, const char *what)
{
    if (l->failed) return 0;
    if ((uint64_t)at + size > l->length) {
        tfl_fail(l, "corrupt model: %s at byte %d is outside the %d-byte file", what, (int32_t)at, (int32_t)l->length);
        return 0;
    }
    return 1;
}
static uint32_t fb_u8(tfl_loader *l, uint32_t at) { return fb_check(l, at, 1, "byte") ? l->model[at] : 0; }
static uint32_t fb_u16(tfl_loader *l, uint32_t at) { return fb_check(l, at, 2, "uint16") ? tfl_load_u16(l->model + at) : 0; }
static uint32_t fb_u32(tfl_loader *l, uint32_t at) { return fb_check(l, at, 4, "uint32") ? tfl_load_u32(l->model + at) : 0; }
static int32_t fb_i32(tfl_loader *l, uint32_t at) { return fb_check(l, at, 4, "int32") ? tfl_load_i32(l->model + at) : 0; }
static int64_t fb_i64(tfl_loader *l, uint32_t at) { return fb_check(l, at, 8, "int64") ? tfl_load_i64(l->model + at) : 0; }

static uint32_t fb_deref(tfl_loader *l, uint32_t at)
{
    uint64_t target = (uint64_t)at + fb_u32(l, at);
    if (l->failed) return 0;
    if (target > 0xffffffffu || !fb_check(l, (uint32_t)target, 4, "table")) {
        if (!l->failed) tfl_fail(l, "corrupt model: table at byte %d is outside the %d-byte file", (int32_t)target, (int32_t)l->length);
        return 0;
    }
    return (uint32_t)target;
}

static uint32_t fb_field(tfl_loader *l, uint32_t table, uint32_t index)
{
    if (!table || l->failed) return 0;
    int64_t vtable = (int64_t)table - fb_i32(l, table);
    if (l->failed) return 0;
    if (vtable < 0 || vtable > 0xffffffffLL) {
        tfl_fail(l, "corrupt model: vtable at byte %d is outside the %d-byte file", (int32_t)vtable, (int32_t)l->length);
        return 0;
    }
    uint32_t vt = (uint32_t)vtable;
    uint32_t vtable_size = fb_u16(l, vt);
    if (l->failed) return 0;
    if (vtable_size < 4 || (vtable_size & 1)) {
        tfl_fail(l, "corrupt model: bad vtable at byte %d", (int32_t)vt);
        return 0;
    }
    uint32_t slot = 4 + 2 * index;
    if (slot + 2 > vtable_size) return 0;
    uint32_t rel = fb_u16(l, vt + slot);
    if (!rel) return 0;
    uint32_t table_size = fb_u16(l, vt + 2);
    if (l->failed) return 0;
    if (rel >= table_size) {
        tfl_fail(l, "corrupt model: field outside its table at byte %d", (int32_t)table);
        return 0;
    }
    return table + rel;
}

static uint32_t fb_field_u8(tfl_loader *l, uint32_t table, uint32_t index, uint32_t dflt)
{
    uint32_t f = fb_field(l, table, index);
    return f ? fb_u8(l, f) : dflt;
}
static int32_t fb_field_i32(tfl_loader *l, uint32_t table, uint32_t index, int32_t dflt)
{
    uint32_t f = fb_field(l, table, index);
    return f ? fb_i32(l, f) : dflt;
}
static uint32_t fb_field_u32(tfl_loader *l, uint32_t table, uint32_t index, uint32_t dflt)
{
    uint32_t f = fb_field(l, table, index);
    return f ? fb_u32(l, f) : dflt;
}
static int64_t fb_field_i64(tfl_loader *l, uint32_t table, uint32_t index, int64_t dflt)
{
    uint32_t f = fb_field(l, table, index);
    return f ? fb_i64(l, f) : dflt;
}
static uint32_t fb_field_table(tfl_loader *l, uint32_t table, uint32_t index)
{
    uint32_t f = fb_field(l, table, index);
    return f ? fb_deref(l, f) : 0;
}

/* A vector field: the position of its length word (0 when absent), the whole vector checked. */
static uint32_t fb_field_vector(tfl_loader *l, uint32_t table, uint32_t index, uint32_t element_size)
{
    uint32_t f = fb_field(l, table, index);
    if (!f) return 0;
    uint64_t vec = (uint64_t)f + fb_u32(l, f);
    if (l->failed) return 0;
    if (vec > 0xffffffffu) {
        fb_check(l, 0xffffffffu, 4, "vector");
        return 0;
    }
    uint32_t n = fb_u32(l, (uint32_t)vec);
    if (l->failed) return 0;
    if ((uint64_t)vec + 4 + (uint64_t)n * element_size > l->length) {
        tfl_fail(l, "corrupt model: vector of %d elements at byte %d is outside the %d-byte file", (int32_t)n,
                 (int32_t)(vec + 4), (int32_t)l->length);
        return 0;
    }
    return (uint32_t)vec;
}
static uint32_t fb_length(tfl_loader *l, uint32_t vec) { return vec ? fb_u32(l, vec) : 0; }
static uint32_t fb_table_at(tfl_loader *l, uint32_t vec, uint32_t i) { return fb_deref(l, vec + 4 + 4 * i); }

/* ---- Reading the model (model.ts parseModel) ---- */

enum { MODEL_VERSION = 0, MODEL_OPERATOR_CODES = 1, MODEL_SUBGRAPHS = 2, MODEL_DESCRIPTION = 3, MODEL_BUFFERS = 4, MODEL_METADATA = 6 };
enum { CODE_DEPRECATED_BUILTIN = 0, CODE_CUSTOM = 1, CODE_VERSION = 2, CODE_BUILTIN = 3 };
enum { SUBGRAPH_TENSORS = 0, SUBGRAPH_INPUTS = 1, SUBGRAPH_OUTPUTS = 2, SUBGRAPH_OPERATORS = 3 };
enum { TENSOR_SHAPE = 0, TENSOR_TYPE = 1, TENSOR_BUFFER = 2, TENSOR_NAME = 3, TENSOR_QUANTIZATION = 4,
       TENSOR_IS_VARIABLE = 5, TENSOR_SPARSITY = 6 };
enum { QUANT_SCALE = 2, QUANT_ZERO_POINT = 3, QUANT_DIMENSION = 6 };
enum { OP_OPCODE_INDEX = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_OPTIONS_TYPE = 3, OP_OPTIONS = 4, OP_CUSTOM_OPTIONS = 5 };
enum { BUFFER_DATA = 0, BUFFER_OFFSET = 1, BUFFER_SIZE = 2 };
enum { METADATA_NAME = 0, METADATA_BUFFER = 1 };

typedef struct {
    uint32_t at, length;
} byte_run;

static int read_buffers(tfl_loader *l, uint32_t root, byte_run **out, uint32_t *count)
{
    uint32_t vec = fb_field_vector(l, root, MODEL_BUFFERS, 4);
    uint32_t n = fb_length(l, vec);
    byte_run *runs = (byte_run *)tfl_temp_alloc(l, 8 * n + 8);
    if (l->failed) return 1;
    for (uint32_t i = 0; i < n && !l->failed; i++) {
        uint32_t b = fb_table_at(l, vec, i);
        uint32_t data = fb_field_vector(l, b, BUFFER_DATA, 1);
        if (data) {
            runs[i].at = data + 4;
            runs[i].length = fb_length(l, data);
        } else {
            /* Models over 2 GB keep data after the flatbuffer, addressed by offset and size. */
            int64_t off = fb_field_i64(l, b, BUFFER_OFFSET, 0);
            int64_t size = fb_field_i64(l, b, BUFFER_SIZE, 0);
            if (off > 1) {
                /* Compared so that no sum passes int64; the message leaves out the offset, which
                 * JavaScript would print in other digits past 10^18. */
                if (size < 0 || off > (int64_t)l->length || size > (int64_t)l->length - off)
                    return tfl_fail(l, "corrupt model: buffer %d's offset and size reach outside the %d-byte file", (int32_t)i,
                                    (int32_t)l->length);
                runs[i].at = (uint32_t)off;
                runs[i].length = (uint32_t)size;
            }
        }
    }
    *out = runs;
    *count = n;
    return l->failed;
}

static int read_tensor(tfl_loader *l, uint32_t table, tfl_tensor_info *t, const byte_run *buffers, uint32_t buffer_count)
{
    uint32_t shape = fb_field_vector(l, table, TENSOR_SHAPE, 4);
    uint32_t rank = fb_length(l, shape);
    t->type = (uint8_t)fb_field_u8(l, table, TENSOR_TYPE, 0);
    uint32_t name = fb_field_vector(l, table, TENSOR_NAME, 1);
    if (name) {
        t->name_at = name + 4;
        t->name_length = fb_length(l, name);
    }
    t->is_variable = fb_field_u8(l, table, TENSOR_IS_VARIABLE, 0) != 0;
    if (l->failed) return 1;
    if (rank > TFL_MAX_RANK) return tfl_fail(l, "unsupported tensor %d of rank %d (at most %d)", t->index, (int32_t)rank, TFL_MAX_RANK);
    t->rank = (uint8_t)rank;
    uint64_t count = 1;
    for (uint32_t i = 0; i < rank; i++) {
        t->shape[i] = fb_i32(l, shape + 4 + 4 * i);
        if (t->shape[i] < 0) return tfl_fail(l, "unsupported dynamic shape: %t", t);
        count *= (uint64_t)t->shape[i];
        if (count > 0x7fffffff) count = 0x80000000u;   /* too large either way: caught below */
    }
    if (fb_field(l, table, TENSOR_SPARSITY)) return tfl_fail(l, "unsupported sparse %t", t);
    uint32_t size = tfl_type_size(t->type);
    uint64_t bytes = count * size;
    if (bytes > 0x7fffffff) return tfl_fail(l, "corrupt model: %t is too large", t);
    t->count = (uint32_t)count;
    t->bytes = (uint32_t)bytes;
    uint32_t b = fb_field_u32(l, table, TENSOR_BUFFER, 0);
    if (l->failed) return 1;
    if (b >= buffer_count && b != 0)
        return tfl_fail(l, "corrupt model: %t names buffer %d of %d", t, (int32_t)b, (int32_t)buffer_count);
    if (b > 0 && buffers[b].length > 0) {
        if (size == 0) return tfl_fail(l, "unsupported constant of type %y: %t", (int32_t)t->type, t);
        if (buffers[b].length != t->bytes)
            return tfl_fail(l, "corrupt model: %t needs %d bytes but its buffer holds %d", t, (int32_t)t->bytes,
                            (int32_t)buffers[b].length);
        t->is_const = 1;
        t->offset = buffers[b].at;
    }
    if (!t->is_const && t->bytes > l->max_arena_bytes)
        return tfl_fail(l, "the model's %t needs %d bytes, more than the arena limit of %d bytes", t, (int32_t)t->bytes,
                        (int32_t)l->max_arena_bytes);

    uint32_t q = fb_field_table(l, table, TENSOR_QUANTIZATION);
    if (q) {
        uint32_t scales = fb_field_vector(l, q, QUANT_SCALE, 4);
        uint32_t zero_points = fb_field_vector(l, q, QUANT_ZERO_POINT, 8);
        t->quantized_dimension = fb_field_i32(l, q, QUANT_DIMENSION, 0);
        t->scale_count = fb_length(l, scales);
        t->scales_at = scales + 4;
        t->zero_point_count = fb_length(l, zero_points);
        t->zero_points_at = zero_points + 4;
        if (l->failed) return 1;
        if (t->scale_count > 0) {
            t->scale = tfl_load_f32(l->model + t->scales_at);
            int64_t zp = t->zero_point_count > 0 ? tfl_load_i64(l->model + t->zero_points_at) : 0;
            t->zero_point = (int32_t)zp;
            /* A zero point is a value of its tensor's type (an int32 for other types): no real model
             * has another, and the kernels' int32 sums (input - zero point) assume it. */
            int32_t fitted = t->type == TFL_TYPE_INT8 ? (int8_t)zp : t->type == TFL_TYPE_UINT8 ? (uint8_t)zp
                           : t->type == TFL_TYPE_INT16 ? (int16_t)zp : t->zero_point;
            if (zp != fitted) return tfl_fail(l, "corrupt model: %t has zero point %f", t, (double)zp);
            if (t->scale_count > 1) {
                int32_t qd = t->quantized_dimension;
                /* A rank-1 bias may carry the filter's quantized dimension: its scales then cover every element. */
                uint32_t covered = qd >= 0 && (uint32_t)qd < t->rank ? (uint32_t)t->shape[qd] : t->count;
                if (qd < 0 || covered != t->scale_count)
                    return tfl_fail(l, "corrupt model: %t has %d scales for quantized dimension %d", t,
                                    (int32_t)t->scale_count, qd);
                if (t->zero_point_count != t->scale_count && t->zero_point_count > 1)
                    return tfl_fail(l, "corrupt model: %t has %d zero points for %d scales", t, (int32_t)t->zero_point_count,
                                    (int32_t)t->scale_count);
            }
        }
    }
    return l->failed;
}

/* Tensor indices from an int32 vector field, checked. -1 is allowed (an omitted input) when `missing_ok`. */
#if TINYML_ALL_OPS
#define SUBGRAPH_TENSOR_COUNT l->reading_tensor_count
#else
#define SUBGRAPH_TENSOR_COUNT l->tensor_count
#endif

static int32_t *read_tensor_list(tfl_loader *l, uint32_t table, uint32_t field, uint32_t *count, const char *what,
                                 int32_t owner, int missing_ok)
{
    uint32_t vec = fb_field_vector(l, table, field, 4);
    uint32_t n = fb_length(l, vec);
    int32_t *list = (int32_t *)tfl_temp_alloc(l, 4 * n + 4);
    if (l->failed) return 0;
    for (uint32_t i = 0; i < n; i++) {
        int32_t ti = fb_i32(l, vec + 4 + 4 * i);
        if (ti == -1 && missing_ok) {
            list[i] = -1;
            continue;
        }
        if (ti < 0 || (uint32_t)ti >= SUBGRAPH_TENSOR_COUNT) {
#if TINYML_ALL_OPS
            /* Subgraph 0's messages as with one subgraph; the others' name their subgraph. */
            if (l->reading_subgraph > 0 && owner >= 0)
                tfl_fail(l, "corrupt model: subgraph %d operator %d %s %d is tensor %d of %d", (int32_t)l->reading_subgraph,
                         owner, what, (int32_t)i, ti, (int32_t)SUBGRAPH_TENSOR_COUNT);
            else if (l->reading_subgraph > 0)
                tfl_fail(l, "corrupt model: subgraph %d subgraph %s %d is tensor %d of %d", (int32_t)l->reading_subgraph,
                         what, (int32_t)i, ti, (int32_t)SUBGRAPH_TENSOR_COUNT);
            else
#endif
            if (owner >= 0)
                tfl_fail(l, "corrupt model: operator %d %s %d is tensor %d of %d", owner, what, (int32_t)i, ti,
                         (int32_t)SUBGRAPH_TENSOR_COUNT);
            else
                tfl_fail(l, "corrupt model: subgraph %s %d is tensor %d of %d", what, (int32_t)i, ti, (int32_t)SUBGRAPH_TENSOR_COUNT);
            return 0;
        }
        list[i] = ti;
    }
    *count = n;
    return list;
}

#if TINYML_ALL_OPS
#define SUBGRAPH_TENSORS_AT (l->tensors + l->reading_tensor_base)
#else
#define SUBGRAPH_TENSORS_AT l->tensors
#endif

static tfl_tensor_info **tensor_pointers(tfl_loader *l, const int32_t *indices, uint32_t n)
{
    tfl_tensor_info **list = (tfl_tensor_info **)tfl_temp_alloc(l, (uint32_t)sizeof(tfl_tensor_info *) * (n + 1));
    if (!list) return 0;
    for (uint32_t i = 0; i < n; i++) list[i] = indices[i] < 0 ? 0 : &SUBGRAPH_TENSORS_AT[indices[i]];
    return list;
}

static int equals_text(const tfl_loader *l, uint32_t at, uint32_t length, const char *text)
{
    uint32_t i = 0;
    for (; text[i]; i++)
        if (i >= length || l->model[at + i] != (uint8_t)text[i]) return 0;
    return i == length;
}

static int parse_model(tfl_loader *l)
{
    if (l->length < 16) return tfl_fail(l, "not a TFLite model: only %d bytes", (int32_t)l->length);
    const uint8_t *m = l->model;
    if (m[4] != 'T' || m[5] != 'F' || m[6] != 'L' || m[7] != '3')
        return tfl_fail(l, "not a TFLite model: file identifier is not TFL3");
    uint32_t root = fb_deref(l, 0);
    uint32_t version = fb_field_u32(l, root, MODEL_VERSION, 0);
    if (l->failed) return 1;
    if (version != 3) return tfl_fail(l, "unsupported schema version %d (expected 3)", (int32_t)version);
    fb_field_vector(l, root, MODEL_DESCRIPTION, 1);   /* not used, but checked as model.ts does */

    byte_run *buffers = 0;
    uint32_t buffer_count = 0;
    if (read_buffers(l, root, &buffers, &buffer_count)) return 1;

    /* Operator codes: the op is the larger of the deprecated byte code and the int32 code. */
    uint32_t code_vec = fb_field_vector(l, root, MODEL_OPERATOR_CODES, 4);
    uint32_t code_count = fb_length(l, code_vec);
    int32_t *codes = (int32_t *)tfl_temp_alloc(l, 16 * code_count + 16);
    if (l->failed) return 1;
    for (uint32_t i = 0; i < code_count && !l->failed; i++) {
        uint32_t c = fb_table_at(l, code_vec, i);
        int32_t deprecated = (int32_t)fb_field_u8(l, c, CODE_DEPRECATED_BUILTIN, 0);
        int32_t builtin = fb_field_i32(l, c, CODE_BUILTIN, 0);
        codes[4 * i] = deprecated > builtin ? deprecated : builtin;
        codes[4 * i + 1] = fb_field_i32(l, c, CODE_VERSION, 1);
        uint32_t name = fb_field_vector(l, c, CODE_CUSTOM, 1);
        codes[4 * i + 2] = (int32_t)(name ? name + 4 : 0);
        codes[4 * i + 3] = (int32_t)fb_length(l, name);
    }

    uint32_t sg_vec = fb_field_vector(l, root, MODEL_SUBGRAPHS, 4);
    l->subgraph_count = fb_length(l, sg_vec);
    if (l->failed) return 1;
    if (l->subgraph_count < 1) return tfl_fail(l, "corrupt model: no subgraph");
#if TINYML_ALL_OPS
    /* Every subgraph's tensors and operators go into one list of each, subgraph after subgraph
     * (model.ts's Model); counted first, in the order model.ts counts them. */
    uint32_t tensor_total = 0, op_total = 0;
    for (uint32_t s = 0; s < l->subgraph_count && !l->failed; s++) {
        uint32_t sg = fb_table_at(l, sg_vec, s);
        tensor_total += fb_length(l, fb_field_vector(l, sg, SUBGRAPH_TENSORS, 4));
        op_total += fb_length(l, fb_field_vector(l, sg, SUBGRAPH_OPERATORS, 4));
    }
    if (l->failed) return 1;
    l->tensors = (tfl_tensor_info *)tfl_temp_alloc(l, (uint32_t)sizeof(tfl_tensor_info) * (tensor_total + 1));
    l->ops = (tfl_op *)tfl_temp_alloc(l, (uint32_t)sizeof(tfl_op) * (op_total + 1));
    l->subgraphs = (tfl_subgraph *)tfl_temp_alloc(l, (uint32_t)sizeof(tfl_subgraph) * l->subgraph_count);
    if (l->failed) return 1;
    for (uint32_t s = 0; s < l->subgraph_count; s++) {
        tfl_subgraph *sub = &l->subgraphs[s];
        uint32_t sg = fb_table_at(l, sg_vec, s);
        sub->tensor_base = l->tensor_count;
        sub->first_op = l->op_count;
        l->reading_subgraph = s;
        l->reading_tensor_base = l->tensor_count;
        uint32_t t_vec = fb_field_vector(l, sg, SUBGRAPH_TENSORS, 4);
        uint32_t tensor_count = fb_length(l, t_vec);
        l->reading_tensor_count = tensor_count;
        tfl_tensor_info *tensors = l->tensors + sub->tensor_base;
        l->tensor_count += tensor_count;
        if (l->failed) return 1;
        for (uint32_t i = 0; i < tensor_count; i++) {
            tensors[i].index = (int32_t)i;
            if (read_tensor(l, fb_table_at(l, t_vec, i), &tensors[i], buffers, buffer_count)) return 1;
        }

        uint32_t input_count = 0, output_count = 0;
        int32_t *inputs = read_tensor_list(l, sg, SUBGRAPH_INPUTS, &input_count, "input", -1, 0);
        if (l->failed) return 1;
        int32_t *outputs = read_tensor_list(l, sg, SUBGRAPH_OUTPUTS, &output_count, "output", -1, 0);
        if (l->failed) return 1;
        for (uint32_t i = 0; i < input_count; i++)
            if (tensors[inputs[i]].is_const) {
                if (s > 0)
                    return tfl_fail(l, "corrupt model: subgraph %d subgraph input %d is a constant: %t", (int32_t)s, (int32_t)i,
                                    &tensors[inputs[i]]);
                return tfl_fail(l, "corrupt model: subgraph input %d is a constant: %t", (int32_t)i, &tensors[inputs[i]]);
            }

        uint32_t op_vec = fb_field_vector(l, sg, SUBGRAPH_OPERATORS, 4);
        uint32_t op_count = fb_length(l, op_vec);
        tfl_op *ops = l->ops + sub->first_op;
        l->op_count += op_count;
        sub->op_count = op_count;
        sub->inputs = inputs;
        sub->outputs = outputs;
        sub->input_count = input_count;
        sub->output_count = output_count;
        sub->tensor_count = tensor_count;
        if (s == 0) {
            l->inputs = inputs;
            l->outputs = outputs;
            l->input_count = input_count;
            l->output_count = output_count;
        }
        if (l->failed) return 1;
        for (uint32_t i = 0; i < op_count; i++) {
            uint32_t t = fb_table_at(l, op_vec, i);
            tfl_op *op = &ops[i];
            op->loader = l;
            op->index = (int32_t)i;
            op->subgraph = (int32_t)s;
            op->body = -1;
            uint32_t ci = fb_field_u32(l, t, OP_OPCODE_INDEX, 0);
            if (l->failed) return 1;
            if (ci >= code_count) {
                if (s > 0)
                    return tfl_fail(l, "corrupt model: subgraph %d operator %d uses opcode index %d of %d", (int32_t)s, (int32_t)i,
                                    (int32_t)ci, (int32_t)code_count);
                return tfl_fail(l, "corrupt model: operator %d uses opcode index %d of %d", (int32_t)i, (int32_t)ci, (int32_t)code_count);
            }
            op->opcode = codes[4 * ci];
            op->version = codes[4 * ci + 1];
            op->custom_name_at = (uint32_t)codes[4 * ci + 2];
            op->custom_name_length = (uint32_t)codes[4 * ci + 3];
            const int32_t *in = read_tensor_list(l, t, OP_INPUTS, &op->input_count, "input", (int32_t)i, 1);
            if (l->failed) return 1;
            const int32_t *out = read_tensor_list(l, t, OP_OUTPUTS, &op->output_count, "output", (int32_t)i, 0);
            if (l->failed) return 1;
            op->inputs = tensor_pointers(l, in, op->input_count);
            op->outputs = tensor_pointers(l, out, op->output_count);
            op->options_type = fb_field_u8(l, t, OP_OPTIONS_TYPE, 0);
            op->options = fb_field_table(l, t, OP_OPTIONS);
            uint32_t co = fb_field_vector(l, t, OP_CUSTOM_OPTIONS, 1);
            op->custom_options = co ? co + 4 : 0;
            op->custom_options_length = fb_length(l, co);
            if (l->failed) return 1;
        }
    }
#else
    uint32_t sg = fb_table_at(l, sg_vec, 0);

    uint32_t t_vec = fb_field_vector(l, sg, SUBGRAPH_TENSORS, 4);
    l->tensor_count = fb_length(l, t_vec);
    l->tensors = (tfl_tensor_info *)tfl_temp_alloc(l, (uint32_t)sizeof(tfl_tensor_info) * (l->tensor_count + 1));
    if (l->failed) return 1;
    for (uint32_t i = 0; i < l->tensor_count; i++) {
        l->tensors[i].index = (int32_t)i;
        if (read_tensor(l, fb_table_at(l, t_vec, i), &l->tensors[i], buffers, buffer_count)) return 1;
    }

    l->inputs = read_tensor_list(l, sg, SUBGRAPH_INPUTS, &l->input_count, "input", -1, 0);
    if (l->failed) return 1;
    l->outputs = read_tensor_list(l, sg, SUBGRAPH_OUTPUTS, &l->output_count, "output", -1, 0);
    if (l->failed) return 1;
    for (uint32_t i = 0; i < l->input_count; i++)
        if (l->tensors[l->inputs[i]].is_const)
            return tfl_fail(l, "corrupt model: subgraph input %d is a constant: %t", (int32_t)i, &l->tensors[l->inputs[i]]);

    uint32_t op_vec = fb_field_vector(l, sg, SUBGRAPH_OPERATORS, 4);
    l->op_count = fb_length(l, op_vec);
    l->ops = (tfl_op *)tfl_temp_alloc(l, (uint32_t)sizeof(tfl_op) * (l->op_count + 1));
    if (l->failed) return 1;
    for (uint32_t i = 0; i < l->op_count; i++) {
        uint32_t t = fb_table_at(l, op_vec, i);
        tfl_op *op = &l->ops[i];
        op->loader = l;
        op->index = (int32_t)i;
        op->body = -1;
        uint32_t ci = fb_field_u32(l, t, OP_OPCODE_INDEX, 0);
        if (l->failed) return 1;
        if (ci >= code_count)
            return tfl_fail(l, "corrupt model: operator %d uses opcode index %d of %d", (int32_t)i, (int32_t)ci, (int32_t)code_count);
        op->opcode = codes[4 * ci];
        op->version = codes[4 * ci + 1];
        op->custom_name_at = (uint32_t)codes[4 * ci + 2];
        op->custom_name_length = (uint32_t)codes[4 * ci + 3];
        const int32_t *in = read_tensor_list(l, t, OP_INPUTS, &op->input_count, "input", (int32_t)i, 1);
        if (l->failed) return 1;
        const int32_t *out = read_tensor_list(l, t, OP_OUTPUTS, &op->output_count, "output", (int32_t)i, 0);
        if (l->failed) return 1;
        op->inputs = tensor_pointers(l, in, op->input_count);
        op->outputs = tensor_pointers(l, out, op->output_count);
        op->options_type = fb_field_u8(l, t, OP_OPTIONS_TYPE, 0);
        op->options = fb_field_table(l, t, OP_OPTIONS);
        uint32_t co = fb_field_vector(l, t, OP_CUSTOM_OPTIONS, 1);
        op->custom_options = co ? co + 4 : 0;
        op->custom_options_length = fb_length(l, co);
        if (l->failed) return 1;
    }
#endif

    /* Metadata: only checked here (tfl_find_metadata reads it). */
    uint32_t md_vec = fb_field_vector(l, root, MODEL_METADATA, 4);
    uint32_t md_count = fb_length(l, md_vec);
    for (uint32_t i = 0; i < md_count && !l->failed; i++) {
        uint32_t md = fb_table_at(l, md_vec, i);
        uint32_t b = fb_field_u32(l, md, METADATA_BUFFER, 0);
        fb_field_vector(l, md, METADATA_NAME, 1);
        if (!l->failed && b >= buffer_count)
            return tfl_fail(l, "corrupt model: metadata %d names buffer %d of %d", (int32_t)i, (int32_t)b, (int32_t)buffer_count);
    }
    return l->failed;
}

int tfl_find_metadata(const uint8_t *model, uint32_t length, const char *name, uint32_t *at, uint32_t *length_out)
{
    char error[4];
    tfl_loader l;
    memset(&l, 0, sizeof(l));
    l.model = model;
    l.length = length;
    l.error = error;
    l.error_size = sizeof(error);
    if (!model || length < 16) return 0;
    uint32_t root = fb_deref(&l, 0);
    uint32_t buf_vec = fb_field_vector(&l, root, MODEL_BUFFERS, 4);
    uint32_t buffer_count = fb_length(&l, buf_vec);
    uint32_t md_vec = fb_field_vector(&l, root, MODEL_METADATA, 4);
    uint32_t md_count = fb_length(&l, md_vec);
    for (uint32_t i = 0; i < md_count && !l.failed; i++) {
        uint32_t md = fb_table_at(&l, md_vec, i);
        uint32_t text = fb_field_vector(&l, md, METADATA_NAME, 1);
        uint32_t b = fb_field_u32(&l, md, METADATA_BUFFER, 0);
        if (l.failed || !text || b >= buffer_count) continue;
        if (!equals_text(&l, text + 4, fb_length(&l, text), name)) continue;
        uint32_t data = fb_field_vector(&l, fb_table_at(&l, buf_vec, b), BUFFER_DATA, 1);
        if (l.failed) return 0;
        *at = data ? data + 4 : 0;
        *length_out = fb_length(&l, data);
        return !l.failed;
    }
    return 0;
}

/* ---- What prepare functions use ---- */

tfl_tensor_info *tfl_input(const tfl_op *op, uint32_t i) { return i < op->input_count ? op->inputs[i] : 0; }
tfl_tensor_info *tfl_output_tensor(const tfl_op *op, uint32_t i) { return i < op->output_count ? op->outputs[i] : 0; }

int32_t tfl_opt_int(const tfl_op *op, uint32_t field, int32_t dflt)
{
    return op->options ? fb_field_i32(op->loader, op->options, field, dflt) : dflt;
}
int32_t tfl_opt_byte(const tfl_op *op, uint32_t field, int32_t dflt)
{
    return op->options ? (int32_t)fb_field_u8(op->loader, op->options, field, (uint32_t)dflt) : dflt;
}
float tfl_opt_float(const tfl_op *op, uint32_t field, float dflt)
{
    if (!op->options) return dflt;
    uint32_t f = fb_field(op->loader, op->options, field);
    if (!f || !fb_check(op->loader, f, 4, "float32")) return dflt;
    return tfl_load_f32(op->loader->model + f);
}
#if TINYML_ALL_OPS
int tfl_opt_present(const tfl_op *op, uint32_t field)
{
    return op->options && fb_field(op->loader, op->options, field) != 0;
}
void tfl_opt_string(const tfl_op *op, uint32_t field, uint32_t *at, uint32_t *length)
{
    uint32_t vec = op->options ? fb_field_vector(op->loader, op->options, field, 1) : 0;
    *at = vec ? vec + 4 : 0;
    *length = fb_length(op->loader, vec);
}
#endif
uint32_t tfl_opt_int_array(const tfl_op *op, uint32_t field, int32_t *out, uint32_t max)
{
    if (!op->options) return 0;
    tfl_loader *l = op->loader;
    uint32_t vec = fb_field_vector(l, op->options, field, 4);
    uint32_t n = fb_length(l, vec);
    for (uint32_t i = 0; i < n && i < max; i++) out[i] = tfl_load_i32(l->model + vec + 4 + 4 * i);
    return l->failed ? 0 : n;
}

typedef void (*tfl_body_fn)(int32_t *params, const uint8_t *model, uint8_t *arena);
#if TINYML_ALL_OPS
#define TFL_BODY_POINTER(name) tflite_##name,
static const tfl_body_fn BODIES[] = {TFLITE_BODIES(TFL_BODY_POINTER)};
#else
/* Only the carried bodies are referenced, so the linker drops the others: their functions in
 * CORE_BODIES, and for each body number its place there plus 1 (0 for a left-out body). */
#define TFL_CORE_NUMBER(name) TFL_CORE_##name,
enum { TFLITE_CORE_BODIES(TFL_CORE_NUMBER) TFL_CORE_COUNT };
#define TFL_CORE_POINTER(name) tflite_##name,
static const tfl_body_fn CORE_BODIES[TFL_CORE_COUNT] = {TFLITE_CORE_BODIES(TFL_CORE_POINTER)};
#define TFL_CORE_SLOT(name) [TFL_BODY_##name] = TFL_CORE_##name + 1,
static const uint8_t CORE_SLOTS[TFL_BODY_COUNT] = {TFLITE_CORE_BODIES(TFL_CORE_SLOT)};
#endif

int tfl_prepare_left_out(tfl_op *op)
{
    return tfl_op_fail(op, TFL_NOT_IN_BUILD, "this op is");
}

int tfl_types_left_out(tfl_op *op)
{
    return tfl_op_fail(op, TFL_NOT_IN_BUILD, "its kernel for these tensor types is");
}

int32_t *tfl_choose_body(tfl_op *op, int32_t body, uint32_t words)
{
    op->body = body;
    op->words = words;
    op->params = (int32_t *)tfl_temp_alloc(op->loader, 4 * words + 4);
    return op->params;
}
void tfl_param_tensor(tfl_op *op, uint32_t word, const tfl_tensor_info *t)
{
#if TINYML_ALL_OPS
    /* Its place in the list of every subgraph's tensors: IF's block names its branches' tensors too. */
    pairs_add(op->loader, &op->tensor_words, (int32_t)word, t ? (int32_t)(t - op->loader->tensors) : -1);
#else
    pairs_add(op->loader, &op->tensor_words, (int32_t)word, t ? t->index : -1);
#endif
}
void tfl_param_scratch(tfl_op *op, uint32_t word, uint32_t bytes)
{
    pairs_add(op->loader, &op->scratch, (int32_t)word, (int32_t)bytes);
}
#if TINYML_ALL_OPS
void tfl_param_resource(tfl_op *op, uint32_t word, uint32_t id)
{
    pairs_add(op->loader, &op->resources, (int32_t)word, (int32_t)id);
}
void tfl_param_self(tfl_op *op, uint32_t word)
{
    op->self_word = (int32_t)word + 1;
}
#endif
void tfl_param_persistent(tfl_op *op, uint32_t word, uint32_t bytes)
{
    pairs_add(op->loader, &op->persistent, (int32_t)word, (int32_t)bytes);
}

float tfl_scale_at(const tfl_op *op, const tfl_tensor_info *t, uint32_t i)
{
    return i < t->scale_count ? tfl_load_f32(op->loader->model + t->scales_at + 4 * i) : 0.0f;
}
int64_t tfl_zero_point_at(const tfl_op *op, const tfl_tensor_info *t, uint32_t i)
{
    return i < t->zero_point_count ? tfl_load_i64(op->loader->model + t->zero_points_at + 8 * i) : 0;
}
const uint8_t *tfl_const_data(const tfl_op *op, const tfl_tensor_info *t)
{
    return t && t->is_const ? op->loader->model + t->offset : 0;
}

/* ---- Planning (interpreter.ts planArena, planner.ts ArenaPlanner) ---- */

/* Rounds up to a multiple of 4 so that int32 and float32 data are word-aligned. */
static uint32_t align_up(uint32_t bytes) { return bytes + (4 - bytes % 4) % 4; }

typedef struct {
    uint32_t size;
    int32_t first, last;
    uint32_t offset;
} plan_item;

/* TFLM's greedy planner: largest first (ties: earlier first use, then lower index), each at the
 * lowest offset free over its whole lifetime. Returns the bytes used, or fails. */
static uint32_t plan_items(tfl_loader *l, plan_item *items, uint32_t n)
{
    uint32_t *order = (uint32_t *)tfl_temp_alloc(l, 4 * n + 4);
    uint32_t *live = (uint32_t *)tfl_temp_alloc(l, 4 * n + 4);
    if (l->failed) return 0;
    for (uint32_t i = 0; i < n; i++) {
        /* Insertion sort: the comparison is total, so any sort gives the STS order. */
        uint32_t j = i;
        while (j > 0) {
            const plan_item *a = &items[order[j - 1]], *b = &items[i];
            int before = b->size > a->size || (b->size == a->size && (b->first < a->first ||
                (b->first == a->first && i < order[j - 1])));
            if (!before) break;
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    uint64_t total = 0;
    for (uint32_t k = 0; k < n; k++) {
        plan_item *cur = &items[order[k]];
        uint32_t live_count = 0;
        for (uint32_t j = 0; j < k; j++) {
            const plan_item *p = &items[order[j]];
            if (p->first <= cur->last && cur->first <= p->last) {
                /* Kept sorted by offset (ties by placement order, as a stable sort would). */
                uint32_t at = live_count++;
                while (at > 0 && items[live[at - 1]].offset > p->offset) {
                    live[at] = live[at - 1];
                    at--;
                }
                live[at] = order[j];
            }
        }
        uint64_t offset = 0;
        for (uint32_t j = 0; j < live_count; j++) {
            const plan_item *p = &items[live[j]];
            if (offset + cur->size <= p->offset) break;
            if (p->offset + (uint64_t)p->size > offset) offset = p->offset + (uint64_t)p->size;
        }
        if (offset + cur->size > l->max_arena_bytes) {
            tfl_fail(l, "the model needs more than the arena limit of %d bytes", (int32_t)l->max_arena_bytes);
            return 0;
        }
        cur->offset = (uint32_t)offset;
        if (offset + cur->size > total) total = offset + cur->size;
    }
    return (uint32_t)total;
}

#if TINYML_ALL_OPS
/* Plans one subgraph's tensors and its ops' scratch buffers from arena offset `base` on (offsets
 * set, scratch words filled) and returns the bytes they take (0 with the loader failed). */
static uint32_t plan_subgraph(tfl_loader *l, tfl_tensor_info *tensors, uint32_t tensor_count, tfl_op *ops, uint32_t nops,
                              const int32_t *inputs, uint32_t input_count, const int32_t *outputs, uint32_t output_count,
                              uint32_t base)
{
    /* Every non-constant tensor lives from its first write (or invoke start, for subgraph
     * inputs) to its last read (or invoke end, for subgraph outputs). */
    int32_t *first = (int32_t *)tfl_temp_alloc(l, 4 * tensor_count + 4);
    int32_t *last = (int32_t *)tfl_temp_alloc(l, 4 * tensor_count + 4);
    int32_t *ids = (int32_t *)tfl_temp_alloc(l, 4 * tensor_count + 4);
    if (l->failed) return 0;
    for (uint32_t i = 0; i < tensor_count; i++) first[i] = last[i] = -1;
    for (uint32_t i = 0; i < input_count; i++) first[inputs[i]] = last[inputs[i]] = 0;
    for (uint32_t k = 0; k < nops; k++) {
        const tfl_op *op = &ops[k];
        for (uint32_t j = 0; j < op->output_count; j++) {
            int32_t ti = op->outputs[j]->index;
            if (first[ti] < 0) first[ti] = (int32_t)k;
            if ((int32_t)k > last[ti]) last[ti] = (int32_t)k;
        }
        for (uint32_t j = 0; j < op->input_count; j++) {
            if (!op->inputs[j]) continue;
            int32_t ti = op->inputs[j]->index;
            if (first[ti] < 0) first[ti] = 0;
            if ((int32_t)k > last[ti]) last[ti] = (int32_t)k;
        }
    }
    for (uint32_t i = 0; i < output_count; i++) {
        int32_t ti = outputs[i];
        if (first[ti] < 0) first[ti] = 0;
        last[ti] = (int32_t)nops;
    }
    uint32_t n = 0;
    for (uint32_t k = 0; k < nops; k++) n += ops[k].scratch.count;
    for (uint32_t i = 0; i < tensor_count; i++) {
        const tfl_tensor_info *t = &tensors[i];
        if (!t->is_const && !t->is_variable && first[i] >= 0) n++;
    }
    plan_item *items = (plan_item *)tfl_temp_alloc(l, (uint32_t)sizeof(plan_item) * (n + 1));
    if (l->failed) return 0;
    n = 0;
    for (uint32_t i = 0; i < tensor_count; i++) {
        const tfl_tensor_info *t = &tensors[i];
        ids[i] = -1;
        if (t->is_const || t->is_variable || first[i] < 0) continue;
        items[n].size = align_up(t->bytes);
        items[n].first = first[i];
        items[n].last = last[i];
        ids[i] = (int32_t)n++;
    }
    uint32_t scratch_start = n;
    for (uint32_t k = 0; k < nops; k++) {
        const tfl_pairs *scratch = &ops[k].scratch;
        for (uint32_t j = 0; j < scratch->count; j++) {
            items[n].size = align_up((uint32_t)scratch->items[2 * j + 1]);
            items[n].first = items[n].last = (int32_t)k;
            n++;
        }
    }
    uint32_t planned = plan_items(l, items, n);
    if (l->failed) return 0;
    for (uint32_t i = 0; i < tensor_count; i++)
        if (ids[i] >= 0) tensors[i].offset = base + items[ids[i]].offset;
    uint32_t s = scratch_start;
    for (uint32_t k = 0; k < nops; k++)
        for (uint32_t j = 0; j < ops[k].scratch.count; j++)
            ops[k].params[ops[k].scratch.items[2 * j]] = (int32_t)(base + items[s++].offset);
    return planned;
}

static int plan_arena(tfl_loader *l)
{
    uint32_t nops = l->op_count;
    uint64_t persistent = 0;
    /* Variable tensors keep their bytes across invokes: they come first, never shared. */
    for (uint32_t i = 0; i < l->tensor_count; i++) {
        tfl_tensor_info *t = &l->tensors[i];
        if (t->is_variable && !t->is_const) {
            t->offset = (uint32_t)persistent;
            persistent += align_up(t->bytes);
        }
    }
    /* Op state follows them: also never shared, also cleared by a reset. */
    l->op_state_start = (uint32_t)persistent;
    for (uint32_t k = 0; k < nops; k++) {
        tfl_pairs *state = &l->ops[k].persistent;
        for (uint32_t j = 0; j < state->count; j++) {
            uint32_t bytes = (uint32_t)state->items[2 * j + 1];
            state->items[2 * j + 1] = (int32_t)persistent;   /* from now on: its offset */
            persistent += align_up(bytes);
            if (persistent > l->max_arena_bytes) break;
        }
    }
    if (persistent > l->max_arena_bytes)
        return tfl_fail(l, "the model needs a %f-byte arena, more than the limit of %d bytes", (double)persistent,
                        (int32_t)l->max_arena_bytes);
    l->op_state_bytes = (uint32_t)persistent - l->op_state_start;
    /* Then resource variables (also kept, refilled by a reset). */
    for (uint32_t i = 0; i < l->resource_count; i++) {
        l->resources[i].offset = (uint32_t)persistent;
        persistent += align_up(l->resources[i].bytes);
    }
    l->persistent_bytes = (uint32_t)persistent;

    /* Each subgraph's tensors and scratch buffers in a region of their own, one after the other:
     * a subgraph runs inside the op that calls it, whose tensors stay live meanwhile. */
    uint64_t arena = persistent;
    for (uint32_t s = 0; s < l->subgraph_count; s++) {
        const tfl_subgraph *sub = &l->subgraphs[s];
        uint32_t planned = plan_subgraph(l, l->tensors + sub->tensor_base, sub->tensor_count, l->ops + sub->first_op,
                                         sub->op_count, sub->inputs, sub->input_count, sub->outputs, sub->output_count,
                                         (uint32_t)arena);
        if (l->failed) return 1;
        arena += planned;
    }
    if (arena > l->max_arena_bytes)
        return tfl_fail(l, "the model needs a %f-byte arena, more than the limit of %d bytes", (double)arena,
                        (int32_t)l->max_arena_bytes);
    l->arena_bytes = (uint32_t)arena;
    /* Fill in the words prepare left for the plan: state offsets, tensor places. */
    for (uint32_t k = 0; k < nops; k++) {
        tfl_op *op = &l->ops[k];
        const tfl_tensor_info *tensors = l->tensors;
        for (uint32_t j = 0; j < op->resources.count; j++)
            op->params[op->resources.items[2 * j]] = (int32_t)l->resources[op->resources.items[2 * j + 1]].offset;
        for (uint32_t j = 0; j < op->persistent.count; j++)
            op->params[op->persistent.items[2 * j]] = op->persistent.items[2 * j + 1];
        for (uint32_t j = 0; j < op->tensor_words.count; j++) {
            uint32_t w = (uint32_t)op->tensor_words.items[2 * j];
            int32_t ti = op->tensor_words.items[2 * j + 1];
            const tfl_tensor_info *t = ti < 0 ? 0 : &tensors[ti];
            op->params[w] = !t ? TFL_WHERE_NONE : t->is_const ? TFL_WHERE_MODEL : TFL_WHERE_ARENA;
            op->params[w + 1] = t ? (int32_t)t->offset : 0;
        }
    }
    return 0;
}
#else
/* The board's default build: one subgraph (the code as it was before several, byte for byte). */
static int plan_arena(tfl_loader *l)
{
    uint32_t nops = l->op_count;
    uint64_t persistent = 0;
    /* Variable tensors keep their bytes across invokes: they come first, never shared. */
    for (uint32_t i = 0; i < l->tensor_count; i++) {
        tfl_tensor_info *t = &l->tensors[i];
        if (t->is_variable && !t->is_const) {
            t->offset = (uint32_t)persistent;
            persistent += align_up(t->bytes);
        }
    }
    /* Op state follows them: also never shared, also cleared by a reset. */
    l->op_state_start = (uint32_t)persistent;
    for (uint32_t k = 0; k < nops; k++) {
        tfl_pairs *state = &l->ops[k].persistent;
        for (uint32_t j = 0; j < state->count; j++) {
            uint32_t bytes = (uint32_t)state->items[2 * j + 1];
            state->items[2 * j + 1] = (int32_t)persistent;   /* from now on: its offset */
            persistent += align_up(bytes);
            if (persistent > l->max_arena_bytes) break;
        }
    }
    if (persistent > l->max_arena_bytes)
        return tfl_fail(l, "the model needs a %f-byte arena, more than the limit of %d bytes", (double)persistent,
                        (int32_t)l->max_arena_bytes);
    l->op_state_bytes = (uint32_t)persistent - l->op_state_start;
    l->persistent_bytes = (uint32_t)persistent;

    /* Every other non-constant tensor lives from its first write (or invoke start, for model
     * inputs) to its last read (or invoke end, for model outputs). */
    int32_t *first = (int32_t *)tfl_temp_alloc(l, 4 * l->tensor_count + 4);
    int32_t *last = (int32_t *)tfl_temp_alloc(l, 4 * l->tensor_count + 4);
    int32_t *ids = (int32_t *)tfl_temp_alloc(l, 4 * l->tensor_count + 4);
    if (l->failed) return 1;
    for (uint32_t i = 0; i < l->tensor_count; i++) first[i] = last[i] = -1;
    for (uint32_t i = 0; i < l->input_count; i++) first[l->inputs[i]] = last[l->inputs[i]] = 0;
    for (uint32_t k = 0; k < nops; k++) {
        const tfl_op *op = &l->ops[k];
        for (uint32_t j = 0; j < op->output_count; j++) {
            int32_t ti = op->outputs[j]->index;
            if (first[ti] < 0) first[ti] = (int32_t)k;
            if ((int32_t)k > last[ti]) last[ti] = (int32_t)k;
        }
        for (uint32_t j = 0; j < op->input_count; j++) {
            if (!op->inputs[j]) continue;
            int32_t ti = op->inputs[j]->index;
            if (first[ti] < 0) first[ti] = 0;
            if ((int32_t)k > last[ti]) last[ti] = (int32_t)k;
        }
    }
    for (uint32_t i = 0; i < l->output_count; i++) {
        int32_t ti = l->outputs[i];
        if (first[ti] < 0) first[ti] = 0;
        last[ti] = (int32_t)nops;
    }
    uint32_t n = 0;
    for (uint32_t k = 0; k < nops; k++) n += l->ops[k].scratch.count;
    for (uint32_t i = 0; i < l->tensor_count; i++) {
        const tfl_tensor_info *t = &l->tensors[i];
        if (!t->is_const && !t->is_variable && first[i] >= 0) n++;
    }
    plan_item *items = (plan_item *)tfl_temp_alloc(l, (uint32_t)sizeof(plan_item) * (n + 1));
    if (l->failed) return 1;
    n = 0;
    for (uint32_t i = 0; i < l->tensor_count; i++) {
        const tfl_tensor_info *t = &l->tensors[i];
        ids[i] = -1;
        if (t->is_const || t->is_variable || first[i] < 0) continue;
        items[n].size = align_up(t->bytes);
        items[n].first = first[i];
        items[n].last = last[i];
        ids[i] = (int32_t)n++;
    }
    uint32_t scratch_start = n;
    for (uint32_t k = 0; k < nops; k++) {
        const tfl_pairs *scratch = &l->ops[k].scratch;
        for (uint32_t j = 0; j < scratch->count; j++) {
            items[n].size = align_up((uint32_t)scratch->items[2 * j + 1]);
            items[n].first = items[n].last = (int32_t)k;
            n++;
        }
    }
    uint32_t planned = plan_items(l, items, n);
    if (l->failed) return 1;
    uint64_t arena = persistent + (uint64_t)planned;
    if (arena > l->max_arena_bytes)
        return tfl_fail(l, "the model needs a %f-byte arena, more than the limit of %d bytes", (double)arena,
                        (int32_t)l->max_arena_bytes);
    l->arena_bytes = (uint32_t)arena;
    for (uint32_t i = 0; i < l->tensor_count; i++) {
        tfl_tensor_info *t = &l->tensors[i];
        if (ids[i] >= 0) t->offset = (uint32_t)persistent + items[ids[i]].offset;
    }
    /* Fill in the words prepare left for the plan: scratch and state offsets, tensor places. */
    uint32_t s = scratch_start;
    for (uint32_t k = 0; k < nops; k++) {
        tfl_op *op = &l->ops[k];
        for (uint32_t j = 0; j < op->scratch.count; j++)
            op->params[op->scratch.items[2 * j]] = (int32_t)(persistent + items[s++].offset);
        for (uint32_t j = 0; j < op->persistent.count; j++)
            op->params[op->persistent.items[2 * j]] = op->persistent.items[2 * j + 1];
        for (uint32_t j = 0; j < op->tensor_words.count; j++) {
            uint32_t w = (uint32_t)op->tensor_words.items[2 * j];
            int32_t ti = op->tensor_words.items[2 * j + 1];
            const tfl_tensor_info *t = ti < 0 ? 0 : &l->tensors[ti];
            op->params[w] = !t ? TFL_WHERE_NONE : t->is_const ? TFL_WHERE_MODEL : TFL_WHERE_ARENA;
            op->params[w + 1] = t ? (int32_t)t->offset : 0;
        }
    }
    return 0;
}
#endif

/* ---- Loading ---- */

int tfl_load(tfl_loader *l, const uint8_t *model, uint32_t length, char *error, uint32_t error_size,
             tfl_alloc_fn alloc, tfl_free_fn release, void *alloc_context)
{
    uint32_t max_arena = l->max_arena_bytes ? l->max_arena_bytes : 16 * 1024 * 1024;
    memset(l, 0, sizeof(*l));
    l->model = model;
    l->length = model ? length : 0;
    l->error = error;
    l->error_size = error_size;
    if (error_size) error[0] = 0;
    l->alloc = alloc;
    l->release = release;
    l->alloc_context = alloc_context;
    l->max_arena_bytes = max_arena;
    if (parse_model(l)) return 1;
#if !TINYML_ALL_OPS
    if (l->subgraph_count != 1)
        return tfl_fail(l, "%d subgraphs need the extension tinyml-all-ops", (int32_t)l->subgraph_count);
#endif
    tfl_prepare_fn *prepares = (tfl_prepare_fn *)tfl_temp_alloc(l, (uint32_t)sizeof(tfl_prepare_fn) * (l->op_count + 1));
    if (l->failed) return 1;
    for (uint32_t i = 0; i < l->op_count; i++) {
        const tfl_op *op = &l->ops[i];
        prepares[i] = tfl_find_prepare(op, (const char *)model + op->custom_name_at, op->custom_name_length);
        if (!prepares[i]) {
            text_sink s;
            l->failed = 1;
            begin_error(l, &s);
            put_string(&s, op->opcode == TFL_OP_CUSTOM ? "unsupported custom op '" : "unsupported op ");
            put_op_name(&s, l, op);
            put_string(&s, op->opcode == TFL_OP_CUSTOM ? "' (version " : " (version ");
            put_int(&s, op->version);
#if TINYML_ALL_OPS
            put_string(&s, ") at ");
            put_op_place(&s, op);
#else
            put_string(&s, ") at operator ");
            put_int(&s, op->index);
#endif
            end_error(&s);
            return 1;
        }
    }
    for (uint32_t i = 0; i < l->tensor_count; i++) {
        const tfl_tensor_info *t = &l->tensors[i];
        if (!t->is_const && tfl_type_size(t->type) == 0) return tfl_fail(l, "unsupported tensor type %y: %t", (int32_t)t->type, t);
    }
    /* What an operator writes must be in the arena: a constant lives in the model (flash, on the board).
     * Nor may it be one of the op's inputs (interpreter.ts says why). */
    for (uint32_t i = 0; i < l->op_count; i++) {
        tfl_op *op = &l->ops[i];
        for (uint32_t j = 0; j < op->output_count; j++) {
            if (op->outputs[j] && op->outputs[j]->is_const)
                return tfl_op_fail(op, "output %d is a constant (%t): outputs must not be", (int32_t)j, op->outputs[j]);
            for (uint32_t k = 0; k < op->input_count; k++)
                if (op->outputs[j] && op->inputs[k] == op->outputs[j])
                    return tfl_op_fail(op, "output %d is also input %d (%t)", (int32_t)j, (int32_t)k, op->outputs[j]);
        }
    }
    /* Outputs are read in the arena (their records hold arena offsets; a constant input is refused
     * as the model is read): a constant lives in the model, and its offset taken as an arena offset
     * points elsewhere, past the state on the board. */
    for (uint32_t i = 0; i < l->output_count; i++) {
        const tfl_tensor_info *t = &l->tensors[l->outputs[i]];
        if (t->is_const) return tfl_fail(l, "model output %d is a constant (%t): outputs must not be", (int32_t)i, t);
    }
    for (uint32_t i = 0; i < l->op_count; i++) {
        tfl_op *op = &l->ops[i];
        tfl_preparing = op;
        if (prepares[i](op) || l->failed) return 1;
        if (!op->params) return tfl_op_fail(op, "its kernel chose no body");
    }
#if TINYML_ALL_OPS
    if (tfl_check_resource_reads(l)) return 1;
#endif
    return plan_arena(l);
}

/* ---- The state ---- */

static uint32_t state_layout(const tfl_loader *l, uint32_t *ops_at, uint32_t *variables_at, uint32_t *io_at, uint32_t *arena_at)
{
    uint32_t at = 4 * TFL_STATE_HEADER_WORDS;
    *ops_at = at;
    at += 8 * l->op_count;
    for (uint32_t i = 0; i < l->op_count; i++) at += 4 * l->ops[i].words;
    *variables_at = at;
    for (uint32_t i = 0; i < l->tensor_count; i++)
        if (l->tensors[i].is_variable && !l->tensors[i].is_const) at += 12;
#if TINYML_ALL_OPS
    at += 12 * l->resource_count;
#endif
    *io_at = at;
    at += 4 * TFL_IO_WORDS * (l->input_count + l->output_count);
    at = (at + 7) & ~7u;
    *arena_at = at;
    return at + l->arena_bytes;
}

uint32_t tfl_state_bytes(const tfl_loader *l)
{
    uint32_t a, b, c, d;
    return state_layout(l, &a, &b, &c, &d);
}

static void write_io(uint8_t *record, const tfl_tensor_info *t)
{
    int32_t w[TFL_IO_WORDS];
    memset(w, 0, sizeof(w));
    w[TFL_IO_INDEX] = t->index;
    w[TFL_IO_TYPE] = t->type;
    w[TFL_IO_OFFSET] = (int32_t)t->offset;
    w[TFL_IO_BYTES] = (int32_t)t->bytes;
    tfl_set_param_float(w, TFL_IO_SCALE, t->scale);
    w[TFL_IO_ZERO_POINT] = t->zero_point;
    w[TFL_IO_RANK] = t->rank;
    for (uint32_t i = 0; i < t->rank; i++) w[TFL_IO_SHAPE + i] = t->shape[i];
    memcpy(record, w, sizeof(w));
}

void tfl_write_state(const tfl_loader *l, uint8_t *state)
{
    uint32_t ops_at, variables_at, io_at, arena_at;
    uint32_t total = state_layout(l, &ops_at, &variables_at, &io_at, &arena_at);
    memset(state, 0, total);
    int32_t *header = (int32_t *)state;
    header[TFL_STATE_MAGIC] = TFL_STATE_MAGIC_VALUE;
    header[TFL_STATE_OP_COUNT] = (int32_t)l->op_count;
    header[TFL_STATE_OPS] = (int32_t)ops_at;
    header[TFL_STATE_ARENA] = (int32_t)arena_at;
    header[TFL_STATE_ARENA_BYTES] = (int32_t)l->arena_bytes;
    header[TFL_STATE_OP_STATE_START] = (int32_t)l->op_state_start;
    header[TFL_STATE_OP_STATE_BYTES] = (int32_t)l->op_state_bytes;
    header[TFL_STATE_VARIABLES] = (int32_t)variables_at;
    header[TFL_STATE_INPUT_COUNT] = (int32_t)l->input_count;
    header[TFL_STATE_OUTPUT_COUNT] = (int32_t)l->output_count;
    header[TFL_STATE_IO] = (int32_t)io_at;
    int32_t *op_table = (int32_t *)(state + ops_at);
    uint32_t params_at = ops_at + 8 * l->op_count;
    for (uint32_t i = 0; i < l->op_count; i++) {
        const tfl_op *op = &l->ops[i];
        op_table[2 * i] = op->body;
        op_table[2 * i + 1] = (int32_t)params_at;
        memcpy(state + params_at, op->params, 4 * op->words);
#if TINYML_ALL_OPS
        if (op->self_word) ((int32_t *)(state + params_at))[op->self_word - 1] = (int32_t)params_at;
#endif
        params_at += 4 * op->words;
    }
    int32_t *variables = (int32_t *)(state + variables_at);
    uint32_t nvars = 0;
    for (uint32_t i = 0; i < l->tensor_count; i++) {
        const tfl_tensor_info *t = &l->tensors[i];
        if (!t->is_variable || t->is_const) continue;
        variables[3 * nvars] = (int32_t)t->offset;
        variables[3 * nvars + 1] = (int32_t)t->bytes;
        variables[3 * nvars + 2] = t->type == TFL_TYPE_INT8 ? (t->zero_point & 0xff) : 0;
        nvars++;
    }
#if TINYML_ALL_OPS
    /* Resource variables are refilled as variable tensors are. */
    for (uint32_t i = 0; i < l->resource_count; i++) {
        variables[3 * nvars] = (int32_t)l->resources[i].offset;
        variables[3 * nvars + 1] = (int32_t)l->resources[i].bytes;
        variables[3 * nvars + 2] = (int32_t)l->resources[i].fill;
        nvars++;
    }
    header[TFL_STATE_MAIN_OP_COUNT] = (int32_t)(l->subgraph_count ? l->subgraphs[0].op_count : 0);
#endif
    header[TFL_STATE_VARIABLE_COUNT] = (int32_t)nvars;
    for (uint32_t i = 0; i < l->input_count; i++) write_io(state + io_at + 4 * TFL_IO_WORDS * i, &l->tensors[l->inputs[i]]);
    for (uint32_t i = 0; i < l->output_count; i++)
        write_io(state + io_at + 4 * TFL_IO_WORDS * (l->input_count + i), &l->tensors[l->outputs[i]]);
    tfl_reset(state);
}

#if TINYML_ALL_OPS
void tfl_run_ops(uint8_t *state, const uint8_t *model, uint8_t *arena, int32_t first, int32_t count)
{
    const int32_t *op_table = (const int32_t *)(state + ((const int32_t *)state)[TFL_STATE_OPS]);
    for (int32_t i = first; i < first + count; i++) {
        BODIES[op_table[2 * i]]((int32_t *)(state + op_table[2 * i + 1]), model, arena);
        /* TFLM's kTfLiteAbort (CIRCULAR_BUFFER not due): no further op runs, nor does the caller
         * of a subgraph go on. */
        if (tfl_invoke_stopped) break;
    }
}

int tfl_invoke(uint8_t *state, const uint8_t *model)
{
    const int32_t *header = (const int32_t *)state;
    tfl_invoke_stopped = 0;
    tfl_run_ops(state, model, state + header[TFL_STATE_ARENA], 0, header[TFL_STATE_MAIN_OP_COUNT]);
    const int ran = !tfl_invoke_stopped;
    tfl_invoke_stopped = 0;
    return ran;
}
#else
/* No op of the default build stops an invoke. */
int tfl_invoke(uint8_t *state, const uint8_t *model)
{
    const int32_t *header = (const int32_t *)state;
    const int32_t *op_table = (const int32_t *)(state + header[TFL_STATE_OPS]);
    uint8_t *arena = state + header[TFL_STATE_ARENA];
    for (int32_t i = 0; i < header[TFL_STATE_OP_COUNT]; i++)
        CORE_BODIES[CORE_SLOTS[op_table[2 * i]] - 1]((int32_t *)(state + op_table[2 * i + 1]), model, arena);
    return 1;
}
#endif

void tfl_reset(uint8_t *state)
{
    const int32_t *header = (const int32_t *)state;
    uint8_t *arena = state + header[TFL_STATE_ARENA];
    memset(arena + header[TFL_STATE_OP_STATE_START], 0, (uint32_t)header[TFL_STATE_OP_STATE_BYTES]);
    const int32_t *variables = (const int32_t *)(state + header[TFL_STATE_VARIABLES]);
    for (int32_t i = 0; i < header[TFL_STATE_VARIABLE_COUNT]; i++)
        memset(arena + variables[3 * i], variables[3 * i + 2], (uint32_t)variables[3 * i + 1]);
}
