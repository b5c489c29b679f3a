/* The shape and data-movement ops' prepares (kernel_shape.ts): RESHAPE, SQUEEZE, EXPAND_DIMS,
 * CONCATENATION, PAD/PADV2, MEAN, STRIDED_SLICE and TRANSPOSE.
 *
 * The STS prepares compute in doubles. Every tensor reaching a prepare has a type with a size
 * (loader.c refuses the others first), so element counts stay below 2^31 and are exact here too.
 * But products of dimensions beside a dimension of 0 (element strides, CONCATENATION's runs) can
 * exceed any integer type: they are computed in double in the STS order and stored as
 * setNumber(Int32LE) stores them (tfl_to_int32). Expected shapes are kept as uint32, since a
 * STRIDED_SLICE output size may reach 2^31. */
#include "prepare.h"
#include "kernel_util.h"

enum { RESHAPE_OPT_NEW_SHAPE = 0, SQUEEZE_OPT_DIMS = 0, CONCAT_OPT_AXIS = 0, CONCAT_OPT_ACTIVATION = 1, MEAN_OPT_KEEP_DIMS = 0 };
enum { SLICE_OPT_BEGIN_MASK = 0, SLICE_OPT_END_MASK = 1, SLICE_OPT_ELLIPSIS_MASK = 2, SLICE_OPT_NEW_AXIS_MASK = 3,
       SLICE_OPT_SHRINK_AXIS_MASK = 4, SLICE_OPT_OFFSET = 5 };

/* A list of integers: little-endian int32s (a constant tensor's bytes, or an option's copy), or
 * sizes computed here (up to 2^31). */
typedef struct {
    const uint8_t *le;
    const uint32_t *sizes;
    uint32_t n;
} int_list;

static int32_t item(const int_list *l, uint32_t i) { return tfl_load_i32(l->le + 4 * i); }

/* shapeText: "[a,b,c]", cut where an error message would be cut (it only ever goes into one). */
static const char *list_text(tfl_op *op, const int_list *l)
{
    uint32_t size = op->loader->error_size, used = 0;
    char *s = (char *)tfl_temp_alloc(op->loader, size + 24);
    if (!s) return "";
    s[used++] = '[';
    for (uint32_t i = 0; i < l->n && used < size; i++) {
        if (i) s[used++] = ',';
        uint32_t u = l->le ? (uint32_t)item(l, i) : l->sizes[i];
        if (l->le && item(l, i) < 0) {
            s[used++] = '-';
            u = 0 - u;
        }
        char digits[10];
        int k = 0;
        do {
            digits[k++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        while (k) s[used++] = digits[--k];
    }
    s[used++] = ']';
    s[used] = 0;
    return s;
}

static int same_shape(const tfl_tensor_info *t, const uint32_t *shape, uint32_t n)
{
    if (t->rank != n) return 0;
    for (uint32_t i = 0; i < n; i++)
        if ((uint32_t)t->shape[i] != shape[i]) return 0;
    return 1;
}

/* Math.ceil for |x| < 2^52 (the cast truncates toward zero). */
static double ceil_exact(double x)
{
    double c = (double)(int64_t)x;
    return c < x ? c + 1 : c;
}

/* elementStrides: row-major strides in elements, as doubles (a 0 dimension may make them huge). */
static void element_strides(const tfl_tensor_info *t, double *s)
{
    for (int32_t i = t->rank - 1; i >= 0; i--) s[i] = i == t->rank - 1 ? 1 : s[i + 1] * t->shape[i + 1];
}

/* constInts: a constant INT32 tensor's values, read in place (its bytes are exactly 4 per value). */
static int const_ints(tfl_op *op, const tfl_tensor_info *t, const char *what, int_list *out)
{
    TFL_CHECK(op, t->is_const, "the %s input %t must be constant", what, t);
    TFL_CHECK(op, t->type == TFL_TYPE_INT32, "the %s input %t must be INT32", what, t);
    out->le = tfl_const_data(op, t);
    out->sizes = 0;
    out->n = t->count;
    return 0;
}

/* optIntArray: an int32 vector option, copied to temporary memory as little-endian words. */
static int option_ints(tfl_op *op, uint32_t field, int_list *out)
{
    uint32_t n = tfl_opt_int_array(op, field, 0, 0);
    int32_t *w = (int32_t *)tfl_temp_alloc(op->loader, 4 * n + 4);
    if (!w) return 1;
    tfl_opt_int_array(op, field, w, n);
    for (uint32_t i = 0; i < n; i++) tfl_store_i32((uint8_t *)&w[i], w[i]);
    out->le = (const uint8_t *)w;
    out->sizes = 0;
    out->n = n;
    return op->loader->failed;
}

/* checkSameType: input and output of one type, one with a size (any such type can be moved). */
static int check_same_type(tfl_op *op, const tfl_tensor_info *input, const tfl_tensor_info *output)
{
    TFL_CHECK(op, tfl_type_size(input->type) > 0, "unsupported type %y of %t", (int32_t)input->type, input);
    TFL_CHECK(op, output->type == input->type, "output %t must have the type of input %t", output, input);
    return 0;
}

/* useCopy: a body that copies all of input's bytes to output. */
static int use_copy(tfl_op *op, int32_t body, const tfl_tensor_info *input, const tfl_tensor_info *output)
{
    int32_t *p = tfl_use_body(op, body, TFL_COPY_BYTES + 1);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_COPY_INPUT, input);
    tfl_param_tensor(op, TFL_COPY_OUTPUT, output);
    p[TFL_COPY_BYTES] = (int32_t)input->bytes;
    return 0;
}

/* RESHAPE: the output's shape is the model's; a known requested shape (the constant shape input,
 * else the new_shape option) is checked too, its one -1 standing for whatever makes the counts
 * agree. That check is in doubles as the STS one: the product of the known dimensions may be
 * inexact, infinite or NaN, and then fails as it does there. */
int tfl_prepare_reshape(tfl_op *op)
{
    tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && op->input_count <= 2 && op->output_count == 1, "needs an input, an optional shape and one output");
    if (check_same_type(op, input, output)) return 1;
    /* Old converters wrote a scalar output as shape [0] (then with no shape input). */
    if (op->input_count == 1 && output->rank == 1 && output->shape[0] == 0) {
        output->rank = 0;
        output->count = 1;
        output->bytes = tfl_type_size(output->type);
    }
    const tfl_tensor_info *shape_input = tfl_input(op, 1);
    int_list requested = {0, 0, 0};
    int known_shape = 0;
    if (shape_input && shape_input->is_const) {
        if (const_ints(op, shape_input, "shape", &requested)) return 1;
        known_shape = 1;
    } else if (!shape_input) {
        if (option_ints(op, RESHAPE_OPT_NEW_SHAPE, &requested)) return 1;
        known_shape = requested.n > 0;
    }
    uint32_t count = input->count;
    if (known_shape) {
        double known = 1;
        int32_t stretch = -1;
        for (uint32_t i = 0; i < requested.n; i++) {
            int32_t d = item(&requested, i);
            if (d == -1) {
                TFL_CHECK(op, stretch < 0, "shape %s has more than one -1", list_text(op, &requested));
                stretch = (int32_t)i;
            } else {
                TFL_CHECK(op, d >= 0, "shape %s has a negative dimension", list_text(op, &requested));
                known *= (double)d;
            }
        }
        double resolved = known;
        if (stretch >= 0 && known != 0) {
            double q = (double)count / known;   /* >= 0, or NaN */
            if (q < 4503599627370496.0) q = (double)(int64_t)q;   /* Math.floor */
            resolved = known * q;
        }
        TFL_CHECK(op, resolved == (double)count, "shape %s does not fit the %d values of input %t",
                  list_text(op, &requested), (int32_t)count, input);
    }
    TFL_CHECK(op, output->count == count, "output %t must hold the %d values of input %t", output, (int32_t)count, input);
    return use_copy(op, TFL_BODY_reshape_bytes, input, output);
}

/* SQUEEZE: removes the listed dimensions of size 1 (all of them when none are listed). */
int tfl_prepare_squeeze(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && op->input_count == 1 && op->output_count == 1, "needs one input and one output");
    if (check_same_type(op, input, output)) return 1;
    int32_t rank = input->rank;
    TFL_CHECK(op, rank <= TFL_CONST_SQUEEZE_MAX_DIMS, "input %t has more than %d dimensions", input, TFL_CONST_SQUEEZE_MAX_DIMS);
    int_list axes;
    if (option_ints(op, SQUEEZE_OPT_DIMS, &axes)) return 1;
    uint8_t squeeze[TFL_MAX_RANK];
    for (int32_t i = 0; i < rank; i++) squeeze[i] = axes.n == 0 && input->shape[i] == 1;
    for (uint32_t i = 0; i < axes.n; i++) {
        int32_t given = item(&axes, i), axis = given < 0 ? given + rank : given;
        TFL_CHECK(op, axis >= 0 && axis < rank, "squeeze axis %d is out of range for input %t", given, input);
        TFL_CHECK(op, input->shape[axis] == 1, "cannot squeeze axis %d of input %t: its size is not 1", given, input);
        squeeze[axis] = 1;
    }
    uint32_t expected[TFL_MAX_RANK];
    int_list e = {0, expected, 0};
    for (int32_t i = 0; i < rank; i++)
        if (!squeeze[i]) expected[e.n++] = (uint32_t)input->shape[i];
    TFL_CHECK(op, same_shape(output, expected, e.n), "output %t must have shape %s", output, list_text(op, &e));
    return use_copy(op, TFL_BODY_squeeze_bytes, input, output);
}

/* EXPAND_DIMS: inserts a dimension of size 1 at the constant axis (negative counts from the end). */
int tfl_prepare_expand_dims(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *axis_input = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && axis_input && op->input_count == 2 && op->output_count == 1, "needs an input, an axis and one output");
    if (check_same_type(op, input, output)) return 1;
    TFL_CHECK(op, axis_input->rank <= 1 && axis_input->count == 1, "the axis input %t must hold one value", axis_input);
    int32_t rank = input->rank;
    int_list v;
    if (const_ints(op, axis_input, "axis", &v)) return 1;
    int32_t given = item(&v, 0), axis = given < 0 ? given + rank + 1 : given;
    TFL_CHECK(op, axis >= 0 && axis <= rank, "axis %d is out of range for input %t", given, input);
    uint32_t expected[TFL_MAX_RANK + 1];
    int_list e = {0, expected, (uint32_t)rank + 1};
    for (int32_t i = 0; i <= rank; i++) expected[i] = (uint32_t)(i < axis ? input->shape[i] : i == axis ? 1 : input->shape[i - 1]);
    TFL_CHECK(op, same_shape(output, expected, e.n), "output %t must have shape %s", output, list_text(op, &e));
    return use_copy(op, TFL_BODY_expand_dims_bytes, input, output);
}

/* CONCATENATION: for each index of the output's dimensions before the axis, the inputs' runs one
 * after another. TFLM accepts no fused activation. */
int tfl_prepare_concatenation(tfl_op *op)
{
    static const char *const ACTIVATION_NAMES[] = {"NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"};
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    int32_t n = (int32_t)op->input_count;
    TFL_CHECK(op, n >= 1 && n <= TFL_CONST_CONCATENATION_MAX_INPUTS && op->output_count == 1,
              "needs 1 to %d inputs and one output, not %d inputs", TFL_CONST_CONCATENATION_MAX_INPUTS, n);
    int32_t activation = tfl_opt_byte(op, CONCAT_OPT_ACTIVATION, TFL_ACT_NONE);
    if (activation >= 6) return tfl_op_fail(op, "unsupported fused activation %d (TFLM allows none)", activation);
    TFL_CHECK(op, activation == TFL_ACT_NONE, "unsupported fused activation %s (TFLM allows none)", ACTIVATION_NAMES[activation]);
    int32_t rank = output->rank;
    TFL_CHECK(op, rank <= TFL_CONST_CONCATENATION_MAX_DIMS, "output %t has more than %d dimensions", output,
              TFL_CONST_CONCATENATION_MAX_DIMS);
    int32_t given = tfl_opt_int(op, CONCAT_OPT_AXIS, 0), axis = given < 0 ? given + rank : given;
    TFL_CHECK(op, axis >= 0 && axis < rank, "axis %d is out of range for output %t", given, output);
    /* outer = the dimensions before the axis, inner = the bytes of one step along it (doubles, see the top). */
    double outer = 1, inner = tfl_type_size(output->type);
    for (int32_t i = 0; i < rank; i++) {
        if (i < axis) outer *= output->shape[i];
        if (i > axis) inner *= output->shape[i];
    }
    int64_t total = 0;
    for (int32_t k = 0; k < n; k++) {
        const tfl_tensor_info *input = tfl_input(op, (uint32_t)k);
        TFL_CHECK(op, input, "input %d is missing", k);
        if (check_same_type(op, input, output)) return 1;
        int fits = input->rank == rank;
        for (int32_t i = 0; fits && i < rank; i++) fits = i == axis || input->shape[i] == output->shape[i];
        TFL_CHECK(op, fits, "input %t does not match output %t outside axis %d", input, output, axis);
        total += input->shape[axis];
    }
    TFL_CHECK(op, total == output->shape[axis], "the inputs' sizes along axis %d add up to %f, but output %t has %d", axis,
              (double)total, output, output->shape[axis]);
    int32_t *p = tfl_use_body(op, TFL_BODY_concatenation_bytes, TFL_CONCATENATION_INPUTS + TFL_CONCATENATION_INPUT_WORDS * (uint32_t)n);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_CONCATENATION_OUTPUT, output);
    p[TFL_CONCATENATION_OUTER_COUNT] = tfl_to_int32(outer);
    p[TFL_CONCATENATION_INPUT_COUNT] = n;
    for (int32_t k = 0; k < n; k++) {
        const tfl_tensor_info *input = tfl_input(op, (uint32_t)k);
        uint32_t w = TFL_CONCATENATION_INPUTS + TFL_CONCATENATION_INPUT_WORDS * (uint32_t)k;
        tfl_param_tensor(op, w + TFL_CONCATENATION_INPUT_TENSOR, input);
        p[w + TFL_CONCATENATION_INPUT_RUN_BYTES] = tfl_to_int32(input->shape[axis] * inner);
    }
    return 0;
}

/* PAD and PADV2: the input surrounded by paddings[d] = (before, after) elements along each
 * dimension d, of PADV2's constant value, else 0, except that int8 PAD pads with the output's zero
 * point. */
int tfl_prepare_pad(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *paddings = tfl_input(op, 1), *value = tfl_input(op, 2);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && paddings && (op->input_count == 2 || op->input_count == 3) && op->output_count == 1,
              "needs an input, paddings, an optional constant value and one output");
    int32_t type = input->type;
    TFL_CHECK(op, type == TFL_TYPE_FLOAT32 || type == TFL_TYPE_INT8 || type == TFL_TYPE_INT16 || type == TFL_TYPE_INT32,
              "unsupported input type %y", type);
    if (check_same_type(op, input, output)) return 1;
    int32_t rank = input->rank;
    TFL_CHECK(op, rank <= TFL_CONST_PAD_DIMS, "input %t has more than %d dimensions", input, TFL_CONST_PAD_DIMS);
    TFL_CHECK(op, output->rank == rank, "output %t must have the rank of input %t", output, input);
    int_list pads;
    if (const_ints(op, paddings, "paddings", &pads)) return 1;
    TFL_CHECK(op, pads.n == 2 * (uint32_t)rank, "paddings %t must hold 2 values per dimension: %d", paddings, 2 * rank);
    for (int32_t d = 0; d < rank; d++) {
        int32_t before = item(&pads, 2 * (uint32_t)d), after = item(&pads, 2 * (uint32_t)d + 1);
        TFL_CHECK(op, before >= 0 && after >= 0, "negative padding %d, %d of dimension %d", before, after, d);
        TFL_CHECK(op, output->shape[d] == (int64_t)input->shape[d] + before + after, "output %t does not fit input %t with paddings %s",
                  output, input, list_text(op, &pads));
    }
    int32_t default_value = 0;
    if (value) {
        TFL_CHECK(op, value->type == type && value->count == 1, "the constant value %t must be one %y value", value, type);
        if (type == TFL_TYPE_INT8)
            TFL_CHECK(op, value->zero_point == output->zero_point && value->scale == output->scale,
                      "the constant value %t must have the output's scale and zero point", value);
    } else if (type == TFL_TYPE_INT8) {
        TFL_CHECK(op, output->zero_point >= -128 && output->zero_point <= 127, "output zero point %d is not an int8", output->zero_point);
        default_value = output->zero_point & 0xff;
    }
    int32_t *p = tfl_use_body(op, TFL_BODY_pad_bytes, TFL_PAD_DIMS + 3 * TFL_CONST_PAD_DIMS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_PAD_INPUT, input);
    tfl_param_tensor(op, TFL_PAD_OUTPUT, output);
    tfl_param_tensor(op, TFL_PAD_VALUE, value);
    p[TFL_PAD_ELEMENT_SIZE] = (int32_t)tfl_type_size(type);
    p[TFL_PAD_DEFAULT_VALUE] = default_value;
    /* (output size, before, after) per dimension, the smaller ranks made up with (1, 0, 0) in front. */
    for (int32_t d = 0; d < TFL_CONST_PAD_DIMS; d++) {
        int32_t axis = d - (TFL_CONST_PAD_DIMS - rank), *w = p + TFL_PAD_DIMS + 3 * d;
        w[0] = axis < 0 ? 1 : output->shape[axis];
        w[1] = axis < 0 ? 0 : item(&pads, 2 * (uint32_t)axis);
        w[2] = axis < 0 ? 0 : item(&pads, 2 * (uint32_t)axis + 1);
    }
    return 0;
}

/* foldMeanCount: TFLM's QuantizedMeanOrSum folds 1/count into the multiplier: with
 * shift = min(floor(log2(count)), 32, 31 + output_shift), multiplier * 2^shift / count, truncated
 * (by long division, as the STS does it exactly in doubles), and the shift less `shift`. The
 * multiplier is >= 0 here (the scales are positive). */
static void fold_mean_count(int32_t multiplier, int32_t output_shift, uint32_t count, int32_t *out)
{
    int32_t shift = 0;
    while ((2u << shift) <= count) shift++;   /* count < 2^31: shift <= 30 */
    if (shift > 31 + output_shift) shift = 31 + output_shift;
    uint32_t q = (uint32_t)multiplier / count, r = (uint32_t)multiplier % count;
    for (int32_t i = 0; i < shift; i++) {
        q *= 2;
        r *= 2;
        if (r >= count) {
            r -= count;
            q++;
        }
    }
    out[0] = (int32_t)q;
    out[1] = output_shift - shift;
}

enum { REDUCE_MEAN, REDUCE_SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_ALL };

/* MEAN: each output value is the mean of the input values sharing its indices outside the
 * averaged axes (any of them, as in TFLM). The kept and averaged dimensions go into the block as
 * (size, input stride) pairs, made up with (1, 0) in front; quantized means get the zero points
 * and the multiplier input_scale / output_scale with 1/count folded in, also when the two
 * quantizations agree (TFLM's QuantizedMeanOrSum takes that path too). */
static int prepare_reduce(tfl_op *op, int kind);

int tfl_prepare_mean(tfl_op *op)
{
    return prepare_reduce(op, REDUCE_MEAN);
}

/* SUM, REDUCE_MAX, REDUCE_MIN: as MEAN into the same block (kernel_shape.ts says how they differ). */
int tfl_prepare_sum(tfl_op *op)
{
    return prepare_reduce(op, REDUCE_SUM);
}

int tfl_prepare_reduce_max(tfl_op *op)
{
    return prepare_reduce(op, REDUCE_MAX);
}

int tfl_prepare_reduce_min(tfl_op *op)
{
    return prepare_reduce(op, REDUCE_MIN);
}

/* REDUCE_ALL: bool only, into the same block. */
int tfl_prepare_reduce_all(tfl_op *op)
{
    return prepare_reduce(op, REDUCE_ALL);
}

static int prepare_reduce(tfl_op *op, int kind)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *axis_input = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && axis_input && op->input_count == 2 && op->output_count == 1, "needs an input, axes and one output");
    TFL_CHECK(op, output->type == input->type, "output %t must have the type of input %t", output, input);
    int32_t rank = input->rank;
    TFL_CHECK(op, rank <= TFL_CONST_MEAN_DIMS, "input %t has more than %d dimensions", input, TFL_CONST_MEAN_DIMS);
    int_list axes;
    if (const_ints(op, axis_input, "axis", &axes)) return 1;
    uint8_t reduced[TFL_MAX_RANK] = {0};
    int32_t reduced_count = 0;
    /* A scalar input has nothing to average over: TFLM ignores the axes then. Repeated axes count once. */
    for (uint32_t i = 0; rank > 0 && i < axes.n; i++) {
        int32_t given = item(&axes, i), axis = given < 0 ? given + rank : given;
        TFL_CHECK(op, axis >= 0 && axis < rank, "axis %d is out of range for input %t", given, input);
        reduced_count += !reduced[axis];
        reduced[axis] = 1;
    }
    TFL_CHECK(op, input->count > 0, "input %t is empty", input);
    /* No dimension is 0 now: the strides and count are below 2^31. */
    double strides[TFL_MAX_RANK];
    element_strides(input, strides);
    int32_t keep_dims = reduced_count ? tfl_opt_byte(op, MEAN_OPT_KEEP_DIMS, 0) : 0;
    int32_t kept[2 * TFL_CONST_MEAN_DIMS], over[2 * TFL_CONST_MEAN_DIMS];
    uint32_t kept_shape[TFL_CONST_MEAN_DIMS];
    uint32_t kept_n = 0, over_n = 0;
    int_list shape_text = {0, kept_shape, 0};
    int32_t count = 1;
    for (int32_t i = 0; i < rank; i++) {
        int32_t *pair = reduced[i] ? &over[2 * over_n++] : &kept[2 * kept_n++];
        pair[0] = input->shape[i];
        pair[1] = (int32_t)strides[i];
        if (reduced[i]) count *= input->shape[i];
        if (!reduced[i] || keep_dims) kept_shape[shape_text.n++] = reduced[i] ? 1 : (uint32_t)input->shape[i];
    }
    /* The output's shape is the model's (with or without the averaged dimensions kept as 1s). */
    TFL_CHECK(op, output->count == input->count / (uint32_t)count, "output %t must have shape %s", output, list_text(op, &shape_text));
    /* Bodies by kind: float32, int8, int16 (none for REDUCE_MAX/MIN). */
    static const int16_t bodies[4][3] = {
        {TFL_BODY_mean_float, TFL_BODY_mean_int8, TFL_BODY_mean_int16},
        {TFL_BODY_sum_float, TFL_BODY_sum_int8, TFL_BODY_sum_int16},
        {TFL_BODY_reduce_max_float, TFL_BODY_reduce_max_int8, -1},
        {TFL_BODY_reduce_min_float, TFL_BODY_reduce_min_int8, -1},
    };
    /* REDUCE_ALL takes bool only, and the others no bool. */
    TFL_CHECK(op, (kind == REDUCE_ALL) == (input->type == TFL_TYPE_BOOL), "unsupported input type %y", (int32_t)input->type);
    int32_t body = kind == REDUCE_ALL ? TFL_BODY_reduce_all_bool
                 : input->type == TFL_TYPE_FLOAT32 ? bodies[kind][0]
                 : input->type == TFL_TYPE_INT8    ? bodies[kind][1]
                 : input->type == TFL_TYPE_INT16   ? bodies[kind][2] : -1;
    TFL_CHECK(op, body >= 0, "unsupported input type %y", (int32_t)input->type);
    TFL_CHECK(op, kind < REDUCE_MAX || kind == REDUCE_ALL || input->type != TFL_TYPE_INT8 ||
              (input->scale == output->scale && input->zero_point == output->zero_point),
              "output %t must have the scale and zero point of input %t", output, input);
    int32_t *p = tfl_use_body(op, body, TFL_MEAN_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_MEAN_INPUT, input);
    tfl_param_tensor(op, TFL_MEAN_OUTPUT, output);
    p[TFL_MEAN_OUTPUT_COUNT] = (int32_t)output->count;
    p[TFL_MEAN_COUNT] = count;
    for (uint32_t d = 0; d < TFL_CONST_MEAN_DIMS; d++) {
        int32_t *w = p + TFL_MEAN_KEPT + 2 * d;
        uint32_t from = TFL_CONST_MEAN_DIMS - kept_n;
        w[0] = d < from ? 1 : kept[2 * (d - from)];
        w[1] = d < from ? 0 : kept[2 * (d - from) + 1];
        w = p + TFL_MEAN_REDUCED + 2 * d;
        from = TFL_CONST_MEAN_DIMS - over_n;
        w[0] = d < from ? 1 : over[2 * (d - from)];
        w[1] = d < from ? 0 : over[2 * (d - from) + 1];
    }
    if (input->type == TFL_TYPE_FLOAT32 || kind >= REDUCE_MAX) return 0;
    TFL_CHECK(op, input->scale > 0 && output->scale > 0, "input and output must be quantized (have scales)");
    p[TFL_MEAN_INPUT_ZERO_POINT] = input->zero_point;
    p[TFL_MEAN_OUTPUT_ZERO_POINT] = output->zero_point;
    int32_t m[2];
    tfl_quantize_multiplier((double)input->scale / (double)output->scale, &m[0], &m[1]);
    if (kind == REDUCE_MEAN) {
        fold_mean_count(m[0], m[1], (uint32_t)count, &p[TFL_MEAN_MULTIPLIER]);
    } else {
        p[TFL_MEAN_MULTIPLIER] = m[0];
        p[TFL_MEAN_SHIFT] = m[1];
    }
    return 0;
}

/* TFLM's StridedSliceStartForAxis and (stop) StridedSliceEndForAxis: negative counts from the end,
 * then clamped; a masked bound takes the whole range. */
static int32_t slice_bound(int32_t given, int32_t stride, int32_t size, int masked, int stop)
{
    int32_t v = given < 0 ? given + size : given;
    int32_t lo = stride > 0 ? 0 : -1, hi = stride > 0 ? size : size - 1;
    v = v < lo ? lo : v > hi ? hi : v;
    if (masked) v = stride > 0 ? (stop ? size : 0) : (stop ? -1 : size - 1);
    return v;
}

/* STRIDED_SLICE: along each dimension, start, start + stride, ... before stop, as Python's
 * a[start:stop:stride]; shrink_axis_mask bits take the element at begin and drop the dimension.
 * The block has (start, stop, stride, input stride) per dimension, (0, 1, 1, 0) in front. */
int tfl_prepare_strided_slice(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && op->input_count == 4 && tfl_input(op, 1) && tfl_input(op, 2) && tfl_input(op, 3) && op->output_count == 1,
              "needs an input, begin, end, strides and one output");
    if (check_same_type(op, input, output)) return 1;
    int32_t rank = input->rank;
    TFL_CHECK(op, rank <= TFL_CONST_STRIDED_SLICE_MAX_RANK, "input %t has more than %d dimensions", input,
              TFL_CONST_STRIDED_SLICE_MAX_RANK);
    int_list begin, end, strides;
    if (const_ints(op, tfl_input(op, 1), "begin", &begin) || const_ints(op, tfl_input(op, 2), "end", &end) ||
        const_ints(op, tfl_input(op, 3), "strides", &strides))
        return 1;
    TFL_CHECK(op, begin.n == (uint32_t)rank && end.n == (uint32_t)rank && strides.n == (uint32_t)rank,
              "begin, end and strides must hold %d values each, one per input dimension", rank);
    int32_t begin_mask = tfl_opt_int(op, SLICE_OPT_BEGIN_MASK, 0), end_mask = tfl_opt_int(op, SLICE_OPT_END_MASK, 0);
    int32_t shrink_mask = tfl_opt_int(op, SLICE_OPT_SHRINK_AXIS_MASK, 0);
    TFL_CHECK(op, tfl_opt_int(op, SLICE_OPT_ELLIPSIS_MASK, 0) == 0, "unsupported ellipsis_mask (TFLM ignores it)");
    TFL_CHECK(op, tfl_opt_int(op, SLICE_OPT_NEW_AXIS_MASK, 0) == 0, "unsupported new_axis_mask (TFLM ignores it)");
    TFL_CHECK(op, tfl_opt_byte(op, SLICE_OPT_OFFSET, 0) == 0, "unsupported offset option (TFLM ignores it)");
    double input_strides[TFL_MAX_RANK];
    element_strides(input, input_strides);
    int32_t *p = tfl_use_body(op, TFL_BODY_strided_slice_bytes, TFL_STRIDED_SLICE_DIMS + 4 * TFL_CONST_STRIDED_SLICE_DIMS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_STRIDED_SLICE_INPUT, input);
    tfl_param_tensor(op, TFL_STRIDED_SLICE_OUTPUT, output);
    p[TFL_STRIDED_SLICE_ELEMENT_SIZE] = (int32_t)tfl_type_size(input->type);
    uint32_t expected[TFL_CONST_STRIDED_SLICE_MAX_RANK];
    int_list e = {0, expected, 0};
    double written = 1;
    for (int32_t d = 0; d < TFL_CONST_STRIDED_SLICE_DIMS; d++) {
        int32_t axis = d - (TFL_CONST_STRIDED_SLICE_DIMS - rank), *w = p + TFL_STRIDED_SLICE_DIMS + 4 * d;
        if (axis < 0) {
            w[0] = 0;
            w[1] = w[2] = 1;
            w[3] = 0;
            continue;
        }
        int32_t size = input->shape[axis];
        int32_t stride = item(&strides, (uint32_t)axis), bit = 1 << axis;
        TFL_CHECK(op, stride != 0, "the stride of dimension %d is 0", axis);
        int shrink = (shrink_mask & bit) != 0;
        int32_t start = size == 0 ? 0 : slice_bound(item(&begin, (uint32_t)axis), stride, size, (begin_mask & bit) != 0, 0);
        /* Where the loop stops: a shrunk dimension takes the one element at start, or nothing when
         * start is past the end (start, not TFLM's start + 1 of CheckOutputSize, is then written). */
        int32_t stop = size == 0 ? 0 : shrink ? (start >= size ? start : start + 1)
                     : slice_bound(item(&end, (uint32_t)axis), stride, size, (end_mask & bit) != 0, 1);
        /* The output shape TFLM expects (CheckOutputSize): the dimension dropped when shrunk, else
         * ceil(float(float(stop - start) / stride)), the quotient rounded to float32 as in TFLM. */
        if (!shrink) {
            float diff = (float)(stop - start);
            double n = ceil_exact((double)(float)((double)diff / stride));
            expected[e.n++] = n > 0 ? (uint32_t)n : 0;
        }
        double steps = ceil_exact(stride > 0 ? (double)(stop - start) / stride : (double)(start - stop) / -(double)stride);
        written *= steps > 0 ? steps : 0;
        /* One step: a stride of 1 either way (kernel_shape.ts says why). */
        if (steps == 1) {
            stride = stride > 0 ? 1 : -1;
            stop = start + stride;
        }
        w[0] = start;
        w[1] = stop;
        w[2] = stride;
        w[3] = tfl_to_int32(input_strides[axis]);
    }
    TFL_CHECK(op, same_shape(output, expected, e.n), "output %t must have shape %s", output, list_text(op, &e));
    TFL_CHECK(op, written == output->count, "the slice fills %f of the %d values of output %t (a shrunk dimension with a negative stride or begin past the end)",
              written, (int32_t)output->count, output);
    return 0;
}

/* TRANSPOSE: output dimension k is input dimension perm[k]; the block has (output size, input
 * stride) per dimension, (1, 0) in front. */
int tfl_prepare_transpose(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *perm_input = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && perm_input && op->input_count == 2 && op->output_count == 1, "needs an input, a permutation and one output");
    if (check_same_type(op, input, output)) return 1;
    int32_t rank = input->rank;
    TFL_CHECK(op, rank <= TFL_CONST_TRANSPOSE_DIMS, "input %t has more than %d dimensions", input, TFL_CONST_TRANSPOSE_DIMS);
    int_list perm;
    if (const_ints(op, perm_input, "perm", &perm)) return 1;
    TFL_CHECK(op, perm_input->rank == 1 && perm.n == (uint32_t)rank, "perm %t must hold %d values, one per input dimension", perm_input, rank);
    uint8_t seen[TFL_CONST_TRANSPOSE_DIMS] = {0};
    uint32_t expected[TFL_CONST_TRANSPOSE_DIMS];
    int_list e = {0, expected, (uint32_t)rank};
    for (int32_t i = 0; i < rank; i++) {
        int32_t a = item(&perm, (uint32_t)i);
        TFL_CHECK(op, a >= 0 && a < rank && !seen[a], "perm %s is not a permutation of the %d input dimensions", list_text(op, &perm), rank);
        seen[a] = 1;
        expected[i] = (uint32_t)input->shape[a];
    }
    TFL_CHECK(op, same_shape(output, expected, e.n), "output %t must have shape %s", output, list_text(op, &e));
    double strides[TFL_MAX_RANK];
    element_strides(input, strides);
    int32_t *p = tfl_use_body(op, TFL_BODY_transpose_bytes, TFL_TRANSPOSE_DIMS + 2 * TFL_CONST_TRANSPOSE_DIMS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_TRANSPOSE_INPUT, input);
    tfl_param_tensor(op, TFL_TRANSPOSE_OUTPUT, output);
    p[TFL_TRANSPOSE_ELEMENT_SIZE] = (int32_t)tfl_type_size(input->type);
    for (int32_t d = 0; d < TFL_CONST_TRANSPOSE_DIMS; d++) {
        int32_t axis = d - (TFL_CONST_TRANSPOSE_DIMS - rank), *w = p + TFL_TRANSPOSE_DIMS + 2 * d;
        w[0] = axis < 0 ? 1 : output->shape[axis];
        w[1] = axis < 0 ? 0 : tfl_to_int32(strides[item(&perm, (uint32_t)axis)]);
    }
    return 0;
}
