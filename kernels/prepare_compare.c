/* EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, LOGICAL_AND, LOGICAL_OR, LOGICAL_NOT,
 * FILL, ZEROS_LIKE, SELECT_V2, ARG_MAX, ARG_MIN and ADD_N's prepare (kernel_compare.ts, where TFLM's
 * types and checks are explained). */
#include <string.h>

#include "kernel_util.h"
#include "prepare.h"

/* "[2,3,4]" appended at `s` (room for TFL_MAX_RANK dimensions); returns the end. */
static char *append_shape(char *s, const tfl_tensor_info *t)
{
    *s++ = '[';
    for (uint32_t i = 0; i < t->rank; i++) {
        char digits[10];
        int n = 0;
        uint32_t v = (uint32_t)t->shape[i];   /* shapes are never negative */
        do digits[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
        if (i) *s++ = ',';
        while (n) *s++ = digits[--n];
    }
    *s++ = ']';
    *s = 0;
    return s;
}

/* broadcastWalkWords: the words from p[0] (Rows) on for `count` inputs. The input shapes are
 * right-aligned; a dimension of 1 (or a missing one) repeats with element stride 0; the output's
 * shape must be the broadcast shape (leading 1s aside). Neighbouring dimensions that every input
 * walks alike are merged, 1s dropped, and the walk padded to TFL_CONST_WALK_DIMS dimensions with
 * leading 1s. As in STS the strides and products are doubles (a 0 dimension lets the others grow
 * past int32), stored as setParam stores them. */
static int broadcast_walk_words(tfl_op *op, int32_t *p, const tfl_tensor_info *const *inputs, uint32_t count,
                                const tfl_tensor_info *out)
{
    enum { D = TFL_CONST_WALK_DIMS, MAX_INPUTS = 3 };
    uint32_t rank = 0;
    for (uint32_t i = 0; i < count; i++)
        if (inputs[i]->rank > rank) rank = inputs[i]->rank;
    TFL_CHECK(op, rank <= D && out->rank <= D, "at most %d dimensions are supported, not %d", (int32_t)D,
              (int32_t)(rank > out->rank ? rank : out->rank));
    double dims[D], strides[MAX_INPUTS][D];
    for (uint32_t k = 0; k < rank; k++) {
        double d = 1;
        for (uint32_t i = 0; i < count; i++) {
            const tfl_tensor_info *t = inputs[i];
            double di = k < rank - t->rank ? 1 : t->shape[k - (rank - t->rank)];
            if (di != 1) {
                if (d != 1 && d != di) {
                    char text[3 * (TFL_MAX_RANK * 11 + 7)], *s = text;
                    for (uint32_t j = 0; j < count; j++) {
                        if (j) { memcpy(s, " and ", 5); s += 5; }
                        s = append_shape(s, inputs[j]);
                    }
                    return tfl_op_fail(op, "shapes %s do not broadcast", text);
                }
                d = di;
            }
            strides[i][k] = di == 1 ? 0 : 1;
        }
        dims[k] = d;
    }
    uint32_t want = 0, got = 0;
    while (want < rank && dims[want] == 1) want++;
    while (got < out->rank && out->shape[got] == 1) got++;
    int same = rank - want == out->rank - got;
    for (uint32_t k = 0; same && k < rank - want; k++) same = dims[want + k] == out->shape[got + k];
    if (!same) {
        /* The broadcast shape as text: its dimensions are input dimensions, so they fit int32. */
        tfl_tensor_info shape;
        shape.rank = (uint8_t)rank;
        for (uint32_t k = 0; k < rank; k++) shape.shape[k] = (int32_t)dims[k];
        char text[TFL_MAX_RANK * 11 + 3];
        append_shape(text, &shape);
        return tfl_op_fail(op, "output %t must have the broadcast shape %s", out, text);
    }
    /* Element strides, innermost first: each input advances only along its own dimensions. */
    for (uint32_t i = 0; i < count; i++) {
        double step = 1;
        for (uint32_t k = rank; k-- > 0;)
            if (strides[i][k] != 0) { strides[i][k] = step; step *= dims[k]; }
    }
    /* Merged, innermost last, then right-aligned in the walk's dimensions. */
    double m_dims[D], m_strides[MAX_INPUTS][D];
    uint32_t n = 0;
    for (uint32_t k = 0; k < rank; k++) {
        if (dims[k] == 1) continue;
        int merge = n > 0;
        for (uint32_t i = 0; merge && i < count; i++) merge = m_strides[i][n - 1] == strides[i][k] * dims[k];
        if (merge) m_dims[n - 1] *= dims[k];
        else m_dims[n++] = dims[k];
        for (uint32_t i = 0; i < count; i++) m_strides[i][n - 1] = strides[i][k];
    }
    double rows = 1;
    for (uint32_t k = 0; k < D; k++) {
        int real = k >= D - n;
        uint32_t j = k - (D - n);
        double d = real ? m_dims[j] : 1;
        if (k < D - 1) rows *= d;
        p[1 + k] = tfl_to_int32(d);
        for (uint32_t i = 0; i < count; i++) p[1 + D + D * i + k] = real ? tfl_to_int32(m_strides[i][j]) : 0;
    }
    p[0] = tfl_to_int32(rows);
    return 0;
}

static int prepare_compare(tfl_op *op, int32_t kind)
{
    const tfl_tensor_info *input1 = tfl_input(op, 0), *input2 = tfl_input(op, 1);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, op->input_count == 2 && op->output_count == 1 && input1 && input2, "needs two inputs and an output");
    int32_t type = input1->type;
    TFL_CHECK(op, input2->type == type, "inputs %y and %y must have one type", type, (int32_t)input2->type);
    TFL_CHECK(op, output->type == TFL_TYPE_BOOL, "output %t must be BOOL", output);
    int logical = kind >= TFL_COMPARE_KIND_LOGICAL_AND;
    int equality = kind <= TFL_COMPARE_KIND_NOT_EQUAL;
    int32_t body;
    if (type == TFL_TYPE_BOOL && (logical || equality)) body = TFL_BODY_compare_bool;
    else if (!logical && type == TFL_TYPE_FLOAT32) body = TFL_BODY_compare_float;
    else if (!logical && type == TFL_TYPE_INT32) body = TFL_BODY_compare_int32;
    else if (!logical && type == TFL_TYPE_INT64) body = TFL_BODY_compare_int64;
    else if (!logical && type == TFL_TYPE_INT8) body = TFL_BODY_compare_int8;
    else return tfl_op_fail(op, "unsupported input type %y", type);
    int32_t *p = tfl_use_body(op, body, TFL_COMPARE_SIZE);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_COMPARE_INPUT1, input1);
    tfl_param_tensor(op, TFL_COMPARE_INPUT2, input2);
    tfl_param_tensor(op, TFL_COMPARE_OUTPUT, output);
    p[TFL_COMPARE_KIND] = kind;
    const tfl_tensor_info *inputs[2] = {input1, input2};
    if (broadcast_walk_words(op, &p[TFL_COMPARE_ROWS], inputs, 2, output)) return 1;
    if (type != TFL_TYPE_INT8) return 0;
    p[TFL_COMPARE_LEFT_SHIFT] = 8;
    for (int i = 0; i < 2; i++) {
        const tfl_tensor_info *t = inputs[i];
        TFL_CHECK(op, t->scale > 0 && t->scale < 1 && t->scale_count == 1,
                  "int8 %t needs one scale between 0 and 1 (TFLM rescales by it as a fraction)", t);
        int32_t *q = &p[TFL_COMPARE_INPUT1_OFFSET + 3 * i];
        /* Below 1 as a float32 (at most 1 - 2^-24), the multiplier never rounds up to 2^31: shift <= 0. */
        tfl_quantize_multiplier(t->scale, &q[1], &q[2]);
        q[0] = tfl_negate(t->zero_point);
    }
    return 0;
}

int tfl_prepare_equal(tfl_op *op) { return prepare_compare(op, TFL_COMPARE_KIND_EQUAL); }
int tfl_prepare_not_equal(tfl_op *op) { return prepare_compare(op, TFL_COMPARE_KIND_NOT_EQUAL); }
int tfl_prepare_less(tfl_op *op) { return prepare_compare(op, TFL_COMPARE_KIND_LESS); }
int tfl_prepare_less_equal(tfl_op *op) { return prepare_compare(op, TFL_COMPARE_KIND_LESS_EQUAL); }
int tfl_prepare_greater(tfl_op *op) { return prepare_compare(op, TFL_COMPARE_KIND_GREATER); }
int tfl_prepare_greater_equal(tfl_op *op) { return prepare_compare(op, TFL_COMPARE_KIND_GREATER_EQUAL); }
int tfl_prepare_logical_and(tfl_op *op) { return prepare_compare(op, TFL_COMPARE_KIND_LOGICAL_AND); }
int tfl_prepare_logical_or(tfl_op *op) { return prepare_compare(op, TFL_COMPARE_KIND_LOGICAL_OR); }

/* prepareLogicalNot: the input compared with itself, the result "x is 0". */
int tfl_prepare_logical_not(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, op->input_count == 1 && op->output_count == 1 && input, "needs one input and one output");
    TFL_CHECK(op, input->type == TFL_TYPE_BOOL && output->type == TFL_TYPE_BOOL, "input %t and output %t must be BOOL",
              input, output);
    int32_t *p = tfl_use_body(op, TFL_BODY_compare_bool, TFL_COMPARE_SIZE);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_COMPARE_INPUT1, input);
    tfl_param_tensor(op, TFL_COMPARE_INPUT2, input);
    tfl_param_tensor(op, TFL_COMPARE_OUTPUT, output);
    p[TFL_COMPARE_KIND] = TFL_COMPARE_KIND_LOGICAL_NOT;
    const tfl_tensor_info *inputs[2] = {input, input};
    return broadcast_walk_words(op, &p[TFL_COMPARE_ROWS], inputs, 2, output);
}

/* Element `i` of a constant integer tensor of type int8, int16, int32 or int64, as the STS reads it
 * (an int64 past 2^53 only roughly: it equals no dimension either way). */
static double const_integer(const uint8_t *data, int32_t type, uint32_t i)
{
    switch (type) {
    case TFL_TYPE_INT8: return (int8_t)data[i];
    case TFL_TYPE_INT16: return (int16_t)(data[2 * i] | data[2 * i + 1] << 8);
    case TFL_TYPE_INT32: return (int32_t)tfl_load_u32(data + 4 * i);
    default: return (double)(int32_t)tfl_load_u32(data + 8 * i + 4) * 4294967296.0 + tfl_load_u32(data + 8 * i);
    }
}

/* The fill_bytes block of FILL (a value) and ZEROS_LIKE (none: zeros). */
static int fill_block(tfl_op *op, const tfl_tensor_info *value, const tfl_tensor_info *output)
{
    int32_t *p = tfl_use_body(op, TFL_BODY_fill_bytes, TFL_FILL_SIZE);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_FILL_VALUE, value);
    tfl_param_tensor(op, TFL_FILL_OUTPUT, output);
    p[TFL_FILL_COUNT] = (int32_t)output->count;
    p[TFL_FILL_ELEMENT_BYTES] = (int32_t)tfl_type_size(output->type);
    return 0;
}

int tfl_prepare_fill(tfl_op *op)
{
    const tfl_tensor_info *dims = tfl_input(op, 0), *value = tfl_input(op, 1);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, op->input_count == 2 && op->output_count == 1 && dims && value, "needs a dims and a value input and one output");
    TFL_CHECK(op, value->rank == 0, "the value %t must be a scalar", value);
    TFL_CHECK(op, value->type == output->type, "the value %t and output %t must have one type", value, output);
    TFL_CHECK(op, dims->is_const, "the dims %t must be constant", dims);
    TFL_CHECK(op, dims->rank == 1 && dims->shape[0] == (int32_t)output->rank, "the dims %t must list the %d dimensions of output %t",
              dims, (int32_t)output->rank, output);
    int32_t t = dims->type;
    TFL_CHECK(op, t == TFL_TYPE_INT8 || t == TFL_TYPE_INT16 || t == TFL_TYPE_INT32 || t == TFL_TYPE_INT64,
              "unsupported dims type %y", t);
    const uint8_t *data = tfl_const_data(op, dims);
    for (uint32_t i = 0; i < output->rank; i++)
        TFL_CHECK(op, const_integer(data, t, i) == output->shape[i], "the dims %t disagree with output %t in dimension %d",
                  dims, output, (int32_t)i);
    int32_t type = output->type;
    TFL_CHECK(op, type == TFL_TYPE_FLOAT32 || type == TFL_TYPE_INT32 || type == TFL_TYPE_INT8, "unsupported type %y", type);
    return fill_block(op, value, output);
}

int tfl_prepare_zeros_like(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, op->input_count == 1 && op->output_count == 1 && input, "needs one input and one output");
    int32_t type = input->type;
    TFL_CHECK(op, type == TFL_TYPE_INT64 || type == TFL_TYPE_INT32 || type == TFL_TYPE_INT8 || type == TFL_TYPE_FLOAT32,
              "unsupported type %y", type);
    TFL_CHECK(op, output->type == type && output->count == input->count, "output %t must have the type and size of input %t",
              output, input);
    return fill_block(op, 0, output);
}

/* sameShape: the same rank and dimensions. */
static int same_shape(const tfl_tensor_info *a, const tfl_tensor_info *b)
{
    if (a->rank != b->rank) return 0;
    for (uint32_t i = 0; i < a->rank; i++)
        if (a->shape[i] != b->shape[i]) return 0;
    return 1;
}

int tfl_prepare_select_v2(tfl_op *op)
{
    const tfl_tensor_info *condition = tfl_input(op, 0), *x = tfl_input(op, 1), *y = tfl_input(op, 2);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, op->input_count == 3 && op->output_count == 1 && condition && x && y, "needs three inputs and an output");
    TFL_CHECK(op, condition->type == TFL_TYPE_BOOL, "condition %t must be BOOL", condition);
    TFL_CHECK(op, x->type == y->type && output->type == x->type, "x %t, y %t and output %t must have one type", x, y, output);
    int32_t type = x->type;
    TFL_CHECK(op, type == TFL_TYPE_FLOAT32 || type == TFL_TYPE_INT8 || type == TFL_TYPE_INT16, "unsupported type %y", type);
    int scalars = condition->count == 1 && x->count == 1 && y->count == 1 && output->count == 1;
    if (!scalars && !(same_shape(condition, x) && same_shape(x, y))) {
        uint32_t rank = condition->rank;
        if (x->rank > rank) rank = x->rank;
        if (y->rank > rank) rank = y->rank;
        TFL_CHECK(op, output->rank == rank, "output %t must have rank %d to broadcast its inputs", output, (int32_t)rank);
    }
    int32_t *p = tfl_use_body(op, TFL_BODY_select_bytes, TFL_SELECT_SIZE);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_SELECT_CONDITION, condition);
    tfl_param_tensor(op, TFL_SELECT_X, x);
    tfl_param_tensor(op, TFL_SELECT_Y, y);
    tfl_param_tensor(op, TFL_SELECT_OUTPUT, output);
    p[TFL_SELECT_ELEMENT_BYTES] = (int32_t)tfl_type_size(type);
    const tfl_tensor_info *inputs[3] = {condition, x, y};
    return broadcast_walk_words(op, &p[TFL_SELECT_ROWS], inputs, 3, output);
}

static int prepare_arg_min_max(tfl_op *op, int32_t is_max)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *axis = tfl_input(op, 1);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, op->input_count == 2 && op->output_count == 1 && input && axis, "needs an input, an axis and an output");
    TFL_CHECK(op, axis->type == TFL_TYPE_INT32, "the axis %t must be INT32", axis);
    TFL_CHECK(op, output->type == TFL_TYPE_INT32, "output %t must be INT32", output);
    int32_t type = input->type;
    TFL_CHECK(op, type == TFL_TYPE_FLOAT32 || type == TFL_TYPE_INT8, "unsupported input type %y", type);
    TFL_CHECK(op, axis->is_const && axis->count >= 1, "the axis %t must be constant", axis);
    int32_t rank = input->rank;
    int32_t a = (int32_t)tfl_load_u32(tfl_const_data(op, axis));
    TFL_CHECK(op, a >= -rank && a < rank, "axis %d is out of range for input %t", a, input);
    if (a < 0) a += rank;
    int same = output->rank == (uint32_t)(rank - 1);
    for (int32_t i = 0; same && i < rank - 1; i++) same = output->shape[i] == input->shape[i < a ? i : i + 1];
    TFL_CHECK(op, same, "output %t must have the shape of input %t without dimension %d", output, input, a);
    TFL_CHECK(op, input->shape[a] > 0 || output->count == 0, "dimension %d of input %t is 0", a, input);
    int32_t *p = tfl_use_body(op, type == TFL_TYPE_INT8 ? TFL_BODY_arg_min_max_int8 : TFL_BODY_arg_min_max_float, TFL_ARG_MIN_MAX_SIZE);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_ARG_MIN_MAX_INPUT, input);
    tfl_param_tensor(op, TFL_ARG_MIN_MAX_OUTPUT, output);
    /* As the STS: products in double, stored as setParam stores them (a 0 dimension elsewhere lets
     * the others pass int32). */
    double outer = 1, inner = 1;
    for (int32_t i = 0; i < a; i++) outer *= input->shape[i];
    for (int32_t i = a + 1; i < rank; i++) inner *= input->shape[i];
    p[TFL_ARG_MIN_MAX_OUTER] = tfl_to_int32(outer);
    p[TFL_ARG_MIN_MAX_AXIS_SIZE] = input->shape[a];
    p[TFL_ARG_MIN_MAX_INNER] = tfl_to_int32(inner);
    p[TFL_ARG_MIN_MAX_IS_MAX] = is_max;
    return 0;
}

int tfl_prepare_arg_max(tfl_op *op) { return prepare_arg_min_max(op, 1); }
int tfl_prepare_arg_min(tfl_op *op) { return prepare_arg_min_max(op, 0); }

int tfl_prepare_add_n(tfl_op *op)
{
    uint32_t n = op->input_count;
    const tfl_tensor_info *first = tfl_input(op, 0);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, n >= 2 && op->output_count == 1, "needs two or more inputs and an output");
    for (uint32_t i = 0; i < n; i++) TFL_CHECK(op, tfl_input(op, i), "input %d is missing", (int32_t)i);
    TFL_CHECK(op, output->type == first->type, "output %t must have the type of input %t", output, first);
    for (uint32_t i = 1; i < n; i++) {
        const tfl_tensor_info *t = tfl_input(op, i);
        TFL_CHECK(op, same_shape(t, first) && t->type == first->type, "input %t must have the shape and type of input %t", t, first);
        TFL_CHECK(op, t->type != TFL_TYPE_INT8 || (t->zero_point == first->zero_point && t->scale == first->scale),
                  "int8 input %t must have the scale and zero point of input %t", t, first);
    }
    int32_t type = output->type;
    TFL_CHECK(op, type == TFL_TYPE_FLOAT32 || type == TFL_TYPE_INT8, "unsupported type %y", type);
    TFL_CHECK(op, output->count == first->count, "output %t must have the size of its inputs", output);
    int32_t *p = tfl_use_body(op, type == TFL_TYPE_INT8 ? TFL_BODY_add_n_int8 : TFL_BODY_add_n_float, TFL_ADD_N_INPUTS + 2 * n);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_ADD_N_OUTPUT, output);
    for (uint32_t i = 0; i < n; i++) tfl_param_tensor(op, TFL_ADD_N_INPUTS + 2 * i, tfl_input(op, i));
    p[TFL_ADD_N_COUNT] = (int32_t)output->count;
    p[TFL_ADD_N_INPUT_COUNT] = (int32_t)n;
    if (type != TFL_TYPE_INT8) return 0;
    TFL_CHECK(op, first->scale > 0 && output->scale > 0, "int8 inputs and output need a scale");
    double twice_input_scale = 2 * (double)first->scale;
    double output_real = twice_input_scale / (1048576.0 * (double)output->scale);
    TFL_CHECK(op, output_real < 1, "the scale of output %t must be above 2^-19 of the inputs' scale", output);
    tfl_quantize_multiplier((double)first->scale / twice_input_scale, &p[TFL_ADD_N_INPUT_MULTIPLIER], &p[TFL_ADD_N_INPUT_SHIFT]);
    tfl_quantize_multiplier(output_real, &p[TFL_ADD_N_OUTPUT_MULTIPLIER], &p[TFL_ADD_N_OUTPUT_SHIFT]);
    p[TFL_ADD_N_INPUT_OFFSET] = tfl_negate(first->zero_point);
    p[TFL_ADD_N_OUTPUT_OFFSET] = output->zero_point;
    p[TFL_ADD_N_LEFT_SHIFT] = 20;
    p[TFL_ADD_N_ACTIVATION_MIN] = -128;
    p[TFL_ADD_N_ACTIVATION_MAX] = 127;
    return 0;
}
