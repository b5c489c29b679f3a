/* The data movement ops' prepares (kernel_move.ts, where the ops and the move_bytes pieces are
 * explained): SLICE, SPLIT, SPLIT_V, PACK, UNPACK, REVERSE_V2, BROADCAST_TO, DEPTH_TO_SPACE,
 * SPACE_TO_DEPTH, SHAPE, GATHER, GATHER_ND. Same checks in the same order and the same messages as
 * the STS. Expected shapes are int64 here: the STS computes them in doubles, and a product such as
 * DEPTH_TO_SPACE's height times the block size may pass int32 before the shape check refuses it. */
#include "prepare.h"
#include "kernel_util.h"

enum { GATHER_OPT_AXIS = 0, GATHER_OPT_BATCH_DIMS = 1, PACK_OPT_VALUES_COUNT = 0, PACK_OPT_AXIS = 1,
       UNPACK_OPT_NUM = 0, UNPACK_OPT_AXIS = 1, BLOCK_OPT_SIZE = 0 };

/* The longest expected shape: GATHER's output has the input's and the positions' dimensions. */
#define MOVE_MAX_SHAPE (2 * TFL_MAX_RANK)

/* moveShapeText: "[a,b,c]", cut where an error message would be cut (it only ever goes into one). */
static const char *shape_text(tfl_op *op, const int64_t *v, uint32_t n)
{
    uint32_t size = op->loader->error_size, used = 0;
    char *s = (char *)tfl_temp_alloc(op->loader, size + 48);
    if (!s) return "";
    s[used++] = '[';
    for (uint32_t i = 0; i < n && used < size; i++) {
        if (i) s[used++] = ',';
        used += tfl_format(s + used, 40, "%f", (double)v[i]);
    }
    s[used++] = ']';
    s[used] = 0;
    return s;
}

/* checkMoveShape */
static int check_shape(tfl_op *op, const tfl_tensor_info *output, const int64_t *shape, uint32_t n)
{
    int same = output->rank == n;
    for (uint32_t i = 0; same && i < n; i++) same = output->shape[i] == shape[i];
    TFL_CHECK(op, same, "output %t must have shape %s", output, shape_text(op, shape, n));
    return 0;
}

/* checkMoveType: `types` is a bit set of TFL_TYPE_* values. */
static int check_type(tfl_op *op, const tfl_tensor_info *t, uint32_t types, const char *names)
{
    TFL_CHECK(op, (types >> t->type) & 1, "unsupported type %y of %t (TFLM takes %s)", (int32_t)t->type, t, names);
    return 0;
}

#define BIT(type) (1u << TFL_TYPE_##type)

static int check_type_of(tfl_op *op, const tfl_tensor_info *t, const tfl_tensor_info *input)
{
    TFL_CHECK(op, t->type == input->type, "%t must have the type of %t", t, input);
    return 0;
}

/* moveConstInts: a constant INT32 (or INT64, cut to the low 32 bits) tensor's values, read in place. */
typedef struct {
    const uint8_t *at;
    uint32_t step, n;
} const_ints;

static int32_t ints_at(const const_ints *c, uint32_t i) { return tfl_load_i32(c->at + c->step * i); }

static int read_ints(tfl_op *op, const tfl_tensor_info *t, const char *what, int int64, const_ints *out)
{
    TFL_CHECK(op, t->is_const, "the %s input %t must be constant", what, t);
    const int wide = int64 && t->type == TFL_TYPE_INT64;
    TFL_CHECK(op, t->type == TFL_TYPE_INT32 || wide, "the %s input %t must be %s", what, t, int64 ? "INT32 or INT64" : "INT32");
    out->at = tfl_const_data(op, t);
    out->step = wide ? 8 : 4;
    out->n = t->count;
    return 0;
}

/* A product that wraps instead of overflowing. Every product here is exact whenever it is used: it
 * belongs to a tensor with elements (below 2^31); those of an empty piece are computed, then
 * dropped (movePiece writes an empty piece as one counter of 0). */
static int32_t mul(int32_t a, int32_t b) { return (int32_t)((uint32_t)a * (uint32_t)b); }

/* moveStrides */
static void strides_of(const int32_t *shape, int32_t rank, int32_t *s)
{
    for (int32_t i = rank - 1; i >= 0; i--) s[i] = i == rank - 1 ? 1 : mul(s[i + 1], shape[i + 1]);
}

static int32_t product(const int32_t *shape, int32_t from, int32_t to)
{
    int32_t n = 1;
    for (int32_t i = from; i < to; i++) n = mul(n, shape[i]);
    return n;
}

/* moveAxis */
static int move_axis(tfl_op *op, int32_t given, int32_t rank, const tfl_tensor_info *t, int32_t *axis)
{
    *axis = given < 0 ? given + rank : given;
    TFL_CHECK(op, *axis >= 0 && *axis < rank, "axis %d is out of range for %t", given, t);
    return 0;
}

/* useMove: a block of `words` words, or just the pieces' when 0. */
static int32_t *use_move(tfl_op *op, int32_t body, uint32_t pieces, uint32_t size, uint32_t words)
{
    int32_t *p = tfl_use_body(op, body, words ? words : TFL_MOVE_PIECES + TFL_MOVE_PIECE_WORDS * pieces);
    if (!p) return 0;
    p[TFL_MOVE_ELEMENT_SIZE] = (int32_t)size;
    p[TFL_MOVE_PIECE_COUNT] = (int32_t)pieces;
    return p;
}

/* movePiece: dims holds n (count, input stride, output stride) triples, outermost first. */
static int move_piece(tfl_op *op, int32_t *p, uint32_t k, const tfl_tensor_info *input, const tfl_tensor_info *output,
                      int32_t input_start, int32_t output_start, const int32_t (*dims)[3], uint32_t n)
{
    const uint32_t w = TFL_MOVE_PIECES + TFL_MOVE_PIECE_WORDS * k;
    tfl_param_tensor(op, w + TFL_MOVE_PIECE_INPUT, input);
    tfl_param_tensor(op, w + TFL_MOVE_PIECE_OUTPUT, output);
    int empty = 0;
    for (uint32_t i = 0; i < n; i++) empty |= dims[i][0] == 0;
    int32_t merged[8][3];
    uint32_t m = 0;
    if (empty) {
        merged[m][0] = merged[m][1] = merged[m][2] = 0;
        m++;
        input_start = output_start = 0;
    }
    for (uint32_t i = 0; !empty && i < n; i++) {
        const int32_t *d = dims[i];
        if (d[0] == 1) continue;
        if (m && merged[m - 1][1] == (int64_t)d[0] * d[1] && merged[m - 1][2] == (int64_t)d[0] * d[2]) {
            merged[m - 1][0] *= d[0];
            merged[m - 1][1] = d[1];
            merged[m - 1][2] = d[2];
        } else {
            merged[m][0] = d[0];
            merged[m][1] = d[1];
            merged[m][2] = d[2];
            m++;
        }
    }
    TFL_CHECK(op, m <= TFL_CONST_MOVE_DIMS, "the move needs more than %d counters", TFL_CONST_MOVE_DIMS);
    p[w + TFL_MOVE_PIECE_INPUT_START] = input_start;
    p[w + TFL_MOVE_PIECE_OUTPUT_START] = output_start;
    for (int32_t d = 0; d < TFL_CONST_MOVE_DIMS; d++) {
        const int32_t i = d - (TFL_CONST_MOVE_DIMS - (int32_t)m);
        int32_t *t = &p[w + TFL_MOVE_PIECE_DIMS + 3 * (uint32_t)d];
        t[0] = i < 0 ? 1 : merged[i][0];
        t[1] = i < 0 ? 0 : merged[i][1];
        t[2] = i < 0 ? 0 : merged[i][2];
    }
    return 0;
}

static void shape64(const tfl_tensor_info *t, int64_t *out)
{
    for (uint32_t i = 0; i < t->rank; i++) out[i] = t->shape[i];
}

/* SPLIT and SPLIT_V */
static int split_into(tfl_op *op, const tfl_tensor_info *input, const tfl_tensor_info *axis_input, int equal, int32_t body)
{
    if (check_type(op, input, BIT(FLOAT32) | BIT(INT8) | BIT(INT16) | BIT(INT32), "FLOAT32, INT8, INT16, INT32")) return 1;
    const_ints values;
    if (read_ints(op, axis_input, "axis", 0, &values)) return 1;
    TFL_CHECK(op, values.n == 1, "the axis input %t must hold one value", axis_input);
    const int32_t rank = input->rank;
    int32_t axis;
    if (move_axis(op, ints_at(&values, 0), rank, input, &axis)) return 1;
    const uint32_t n = op->output_count;
    const int32_t part = input->shape[axis] / (int32_t)n;
    TFL_CHECK(op, !equal || part * (int32_t)n == input->shape[axis], "input %t does not split into %d equal parts along axis %d",
              input, (int32_t)n, axis);
    double total = 0;
    for (uint32_t k = 0; k < n; k++) {
        const tfl_tensor_info *out = tfl_output_tensor(op, k);
        if (check_type_of(op, out, input)) return 1;
        TFL_CHECK(op, out->rank == rank, "output %t must have the rank of input %t", out, input);
        int64_t shape[TFL_MAX_RANK];
        shape64(input, shape);
        shape[axis] = equal ? part : out->shape[axis];
        if (check_shape(op, out, shape, (uint32_t)rank)) return 1;
        total += (double)shape[axis];
    }
    TFL_CHECK(op, total == input->shape[axis], "the outputs' sizes along axis %d add up to %f, not input %t's", axis, total, input);
    const int32_t outer = product(input->shape, 0, axis), inner = product(input->shape, axis + 1, rank);
    int32_t *p = use_move(op, body, n, tfl_type_size(input->type), 0);
    if (!p) return 1;
    int32_t at = 0;
    for (uint32_t k = 0; k < n; k++) {
        const int32_t run = mul(tfl_output_tensor(op, k)->shape[axis], inner);
        const int32_t dims[2][3] = {{outer, mul(input->shape[axis], inner), run}, {run, 1, 1}};
        if (move_piece(op, p, k, input, tfl_output_tensor(op, k), at, 0, dims, 2)) return 1;
        at = (int32_t)((uint32_t)at + (uint32_t)run);
    }
    return 0;
}

int tfl_prepare_split(tfl_op *op)
{
    TFL_CHECK(op, op->input_count == 2 && tfl_input(op, 0) && tfl_input(op, 1) && op->output_count >= 1,
              "needs an axis, an input and at least one output");
    return split_into(op, tfl_input(op, 1), tfl_input(op, 0), 1, TFL_BODY_split_bytes);
}

int tfl_prepare_split_v(tfl_op *op)
{
    TFL_CHECK(op, op->input_count == 3 && tfl_input(op, 0) && tfl_input(op, 1) && tfl_input(op, 2) && op->output_count >= 1,
              "needs an input, size_splits, an axis and at least one output");
    return split_into(op, tfl_input(op, 0), tfl_input(op, 2), 0, TFL_BODY_split_v_bytes);
}

int tfl_prepare_pack(tfl_op *op)
{
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    const uint32_t n = op->input_count;
    TFL_CHECK(op, n >= 1 && op->output_count == 1, "needs at least one input and one output");
    const tfl_tensor_info *input = tfl_input(op, 0);
    TFL_CHECK(op, input, "input 0 is missing");
    if (check_type(op, output, BIT(FLOAT32) | BIT(INT8) | BIT(INT16) | BIT(INT32) | BIT(INT64), "FLOAT32, INT8, INT16, INT32, INT64"))
        return 1;
    const int32_t count = tfl_opt_int(op, PACK_OPT_VALUES_COUNT, 0);
    TFL_CHECK(op, count == (int32_t)n, "values_count %d must be the number of inputs, %d", count, (int32_t)n);
    const int32_t rank = input->rank + 1;
    int32_t axis;
    if (move_axis(op, tfl_opt_int(op, PACK_OPT_AXIS, 0), rank, output, &axis)) return 1;
    int64_t shape[TFL_MAX_RANK + 1];
    for (int32_t i = 0; i < rank; i++) shape[i] = i < axis ? input->shape[i] : i == axis ? (int64_t)n : input->shape[i - 1];
    if (check_shape(op, output, shape, (uint32_t)rank)) return 1;
    for (uint32_t k = 0; k < n; k++) {
        const tfl_tensor_info *t = tfl_input(op, k);
        TFL_CHECK(op, t, "input %d is missing", (int32_t)k);
        if (check_type_of(op, t, output)) return 1;
        int same = t->rank == input->rank;
        for (uint32_t i = 0; same && i < t->rank; i++) same = t->shape[i] == input->shape[i];
        TFL_CHECK(op, same, "%t must have the shape of %t", t, input);
    }
    const int32_t outer = product(input->shape, 0, axis), inner = product(input->shape, axis, input->rank);
    int32_t *p = use_move(op, TFL_BODY_pack_bytes, n, tfl_type_size(output->type), 0);
    if (!p) return 1;
    for (uint32_t k = 0; k < n; k++) {
        const int32_t dims[2][3] = {{outer, inner, mul((int32_t)n, inner)}, {inner, 1, 1}};
        if (move_piece(op, p, k, tfl_input(op, k), output, 0, mul((int32_t)k, inner), dims, 2)) return 1;
    }
    return 0;
}

int tfl_prepare_unpack(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0);
    const uint32_t n = op->output_count;
    TFL_CHECK(op, input && op->input_count == 1 && n >= 1, "needs one input and at least one output");
    if (check_type(op, input, BIT(FLOAT32) | BIT(INT8) | BIT(INT16) | BIT(INT32), "FLOAT32, INT8, INT16, INT32")) return 1;
    const int32_t num = tfl_opt_int(op, UNPACK_OPT_NUM, 0);
    TFL_CHECK(op, num == (int32_t)n, "num %d must be the number of outputs, %d", num, (int32_t)n);
    const int32_t rank = input->rank;
    int32_t axis;
    if (move_axis(op, tfl_opt_int(op, UNPACK_OPT_AXIS, 0), rank, input, &axis)) return 1;
    TFL_CHECK(op, input->shape[axis] == (int32_t)n, "input %t must have %d values along axis %d, one per output", input, (int32_t)n, axis);
    int64_t shape[TFL_MAX_RANK];
    for (int32_t i = 0; i + 1 < rank; i++) shape[i] = input->shape[i < axis ? i : i + 1];
    for (uint32_t k = 0; k < n; k++) {
        if (check_type_of(op, tfl_output_tensor(op, k), input)) return 1;
        if (check_shape(op, tfl_output_tensor(op, k), shape, (uint32_t)rank - 1)) return 1;
    }
    const int32_t outer = product(input->shape, 0, axis), inner = product(input->shape, axis + 1, rank);
    int32_t *p = use_move(op, TFL_BODY_unpack_bytes, n, tfl_type_size(input->type), 0);
    if (!p) return 1;
    for (uint32_t k = 0; k < n; k++) {
        const int32_t dims[2][3] = {{outer, mul((int32_t)n, inner), inner}, {inner, 1, 1}};
        if (move_piece(op, p, k, input, tfl_output_tensor(op, k), mul((int32_t)k, inner), 0, dims, 2)) return 1;
    }
    return 0;
}

/* prepareDynamicSlice */
static int prepare_dynamic_slice(tfl_op *op, const tfl_tensor_info *input, const tfl_tensor_info *begin,
                                 const tfl_tensor_info *size, const tfl_tensor_info *output)
{
    const int wide = begin->type == TFL_TYPE_INT64;
    TFL_CHECK(op, begin->type == TFL_TYPE_INT32 || wide, "the begin input %t must be INT32 or INT64", begin);
    const int32_t rank = input->rank;
    TFL_CHECK(op, begin->count == (uint32_t)rank && size->count == (uint32_t)rank, "begin and size must hold %d values each, one per input dimension", rank);
    TFL_CHECK(op, output->rank == input->rank, "output %t must have the rank of input %t", output, input);
    for (int32_t d = 0; d < rank; d++)
        TFL_CHECK(op, output->shape[d] <= input->shape[d], "output %t is larger than input %t in dimension %d", output, input, d);
    const int empty = output->count == 0;
    int32_t strides[TFL_MAX_RANK], out_strides[TFL_MAX_RANK], dims[TFL_MAX_RANK][3];
    strides_of(input->shape, rank, strides);
    strides_of(output->shape, rank, out_strides);
    for (int32_t d = 0; d < rank; d++) {
        dims[d][0] = output->shape[d];
        dims[d][1] = empty ? 0 : strides[d];
        dims[d][2] = empty ? 0 : out_strides[d];
    }
    int32_t *p = use_move(op, TFL_BODY_slice_dynamic_bytes, 1, tfl_type_size(input->type), TFL_SLICE_DYNAMIC_WORDS);
    if (!p || move_piece(op, p, 0, input, output, 0, 0, (const int32_t(*)[3])dims, (uint32_t)rank)) return 1;
    tfl_param_tensor(op, TFL_SLICE_DYNAMIC_BEGIN, begin);
    p[TFL_SLICE_DYNAMIC_BEGIN_STEP] = wide ? 8 : 4;
    p[TFL_SLICE_DYNAMIC_RANK] = rank;
    p[TFL_SLICE_DYNAMIC_OUTPUT_BYTES] = (int32_t)output->bytes;
    for (int32_t d = 0; d < rank; d++) {
        int32_t *t = &p[TFL_SLICE_DYNAMIC_DIMS + 3 * (uint32_t)d];
        t[0] = input->shape[d];
        t[1] = empty ? 0 : strides[d];
        t[2] = output->shape[d];
    }
    return 0;
}

int tfl_prepare_slice(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *begin_input = tfl_input(op, 1), *size_input = tfl_input(op, 2);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && begin_input && size_input && op->input_count == 3 && op->output_count == 1,
              "needs an input, begin, size and one output");
    if (check_type(op, input, BIT(FLOAT32) | BIT(INT8) | BIT(INT16) | BIT(INT32) | BIT(BOOL), "FLOAT32, INT8, INT16, INT32, BOOL")) return 1;
    if (check_type_of(op, output, input)) return 1;
    const int32_t rank = input->rank;
    TFL_CHECK(op, rank <= TFL_CONST_SLICE_MAX_DIMS, "input %t has more than %d dimensions", input, TFL_CONST_SLICE_MAX_DIMS);
    TFL_CHECK(op, size_input->type == begin_input->type, "size %t must have the type of begin %t", size_input, begin_input);
    if (!begin_input->is_const || !size_input->is_const) return prepare_dynamic_slice(op, input, begin_input, size_input, output);
    const_ints begin, size;
    if (read_ints(op, begin_input, "begin", 1, &begin) || read_ints(op, size_input, "size", 1, &size)) return 1;
    TFL_CHECK(op, begin.n == (uint32_t)rank && size.n == (uint32_t)rank, "begin and size must hold %d values each, one per input dimension", rank);
    int32_t strides[TFL_MAX_RANK], out_strides[TFL_MAX_RANK], shape32[TFL_MAX_RANK];
    int64_t shape[TFL_MAX_RANK];
    strides_of(input->shape, rank, strides);
    int32_t start = 0;
    for (int32_t d = 0; d < rank; d++) {
        const int64_t b = ints_at(&begin, (uint32_t)d), s = ints_at(&size, (uint32_t)d);
        const int64_t n = s == -1 ? input->shape[d] - b : s;
        TFL_CHECK(op, b >= 0 && n >= 0 && b + n <= input->shape[d], "begin %d and size %d leave dimension %d of input %t",
                  (int32_t)b, (int32_t)s, d, input);
        shape[d] = n;
        shape32[d] = (int32_t)n;
        start = (int32_t)((uint32_t)start + (uint32_t)mul((int32_t)b, strides[d]));
    }
    if (check_shape(op, output, shape, (uint32_t)rank)) return 1;
    strides_of(shape32, rank, out_strides);
    int32_t dims[TFL_MAX_RANK][3];
    for (int32_t d = 0; d < rank; d++) {
        dims[d][0] = shape32[d];
        dims[d][1] = strides[d];
        dims[d][2] = out_strides[d];
    }
    int32_t *p = use_move(op, TFL_BODY_slice_bytes, 1, tfl_type_size(input->type), 0);
    if (!p) return 1;
    return move_piece(op, p, 0, input, output, start, 0, (const int32_t(*)[3])dims, (uint32_t)rank);
}

int tfl_prepare_shape(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && op->input_count == 1 && op->output_count == 1, "needs one input and one output");
    TFL_CHECK(op, output->type == TFL_TYPE_INT32, "output %t must be INT32 (TFLM writes no other type)", output);
    const int64_t shape[1] = {input->rank};
    if (check_shape(op, output, shape, 1)) return 1;
    int32_t *p = tfl_use_body(op, TFL_BODY_shape_int32, TFL_SHAPE_DIMS + input->rank);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_SHAPE_OUTPUT, output);
    p[TFL_SHAPE_RANK] = input->rank;
    for (uint32_t i = 0; i < input->rank; i++) p[TFL_SHAPE_DIMS + i] = input->shape[i];
    return 0;
}

/* prepareDynamicReverse */
static int prepare_dynamic_reverse(tfl_op *op, const tfl_tensor_info *input, const tfl_tensor_info *axis_input, const tfl_tensor_info *output)
{
    const int32_t rank = input->rank;
    TFL_CHECK(op, axis_input->type == TFL_TYPE_INT32, "the axis input %t must be INT32", axis_input);
    const uint32_t n = axis_input->count;
    TFL_CHECK(op, n >= 1 && n <= (uint32_t)rank, "the axis input %t must hold 1 to %d axes", axis_input, rank);
    int64_t shape[TFL_MAX_RANK];
    shape64(input, shape);
    if (check_shape(op, output, shape, (uint32_t)rank)) return 1;
    int32_t *p = tfl_use_body(op, TFL_BODY_reverse_v2_dynamic_bytes, TFL_REVERSE_DYNAMIC_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_REVERSE_DYNAMIC_INPUT, input);
    tfl_param_tensor(op, TFL_REVERSE_DYNAMIC_OUTPUT, output);
    tfl_param_tensor(op, TFL_REVERSE_DYNAMIC_AXES, axis_input);
    p[TFL_REVERSE_DYNAMIC_AXIS_COUNT] = (int32_t)n;
    p[TFL_REVERSE_DYNAMIC_ELEMENT_SIZE] = (int32_t)tfl_type_size(input->type);
    p[TFL_REVERSE_DYNAMIC_RANK] = rank;
    for (int32_t d = 0; d < rank; d++) p[TFL_REVERSE_DYNAMIC_DIMS + d] = input->shape[d];
    return 0;
}

int tfl_prepare_reverse_v2(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *axis_input = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && axis_input && op->input_count == 2 && op->output_count == 1, "needs an input, axes and one output");
    if (check_type(op, input, BIT(FLOAT32) | BIT(INT8) | BIT(UINT8) | BIT(INT16) | BIT(INT32) | BIT(INT64) | BIT(BOOL),
                   "FLOAT32, INT8, UINT8, INT16, INT32, INT64, BOOL"))
        return 1;
    if (check_type_of(op, output, input)) return 1;
    const int32_t rank = input->rank;
    TFL_CHECK(op, rank <= TFL_CONST_REVERSE_MAX_DIMS, "input %t has more than %d dimensions", input, TFL_CONST_REVERSE_MAX_DIMS);
    TFL_CHECK(op, axis_input->rank == 1, "the axis input %t must be 1-D", axis_input);
    if (!axis_input->is_const) return prepare_dynamic_reverse(op, input, axis_input, output);
    const_ints given;
    if (read_ints(op, axis_input, "axis", 0, &given)) return 1;
    TFL_CHECK(op, given.n >= 1 && given.n <= (uint32_t)rank, "the axis input %t must hold 1 to %d axes", axis_input, rank);
    uint8_t reversed[TFL_MAX_RANK] = {0};
    int32_t lo = rank, hi = -1;
    for (uint32_t i = 0; i < given.n; i++) {
        int32_t axis;
        if (move_axis(op, ints_at(&given, i), rank, input, &axis)) return 1;
        TFL_CHECK(op, !reversed[axis], "axis %d is listed twice (TFLM reverses neighbouring axes only)", ints_at(&given, i));
        reversed[axis] = 1;
        if (axis < lo) lo = axis;
        if (axis > hi) hi = axis;
    }
    if (hi - lo + 1 != (int32_t)given.n) {
        int64_t axes[TFL_MAX_RANK];
        for (uint32_t i = 0; i < given.n; i++) axes[i] = ints_at(&given, i);
        return tfl_op_fail(op, "the axes %s are not neighbours (TFLM reverses neighbouring axes only)", shape_text(op, axes, given.n));
    }
    int64_t shape[TFL_MAX_RANK];
    shape64(input, shape);
    if (check_shape(op, output, shape, (uint32_t)rank)) return 1;
    int32_t strides[TFL_MAX_RANK], dims[TFL_MAX_RANK][3];
    strides_of(input->shape, rank, strides);
    int32_t start = 0;
    for (int32_t d = 0; d < rank; d++) {
        if (reversed[d]) start = (int32_t)((uint32_t)start + (uint32_t)mul(input->shape[d] - 1, strides[d]));
        dims[d][0] = input->shape[d];
        dims[d][1] = reversed[d] ? tfl_negate(strides[d]) : strides[d];
        dims[d][2] = strides[d];
    }
    int32_t *p = use_move(op, TFL_BODY_reverse_v2_bytes, 1, tfl_type_size(input->type), 0);
    if (!p) return 1;
    return move_piece(op, p, 0, input, output, start, 0, (const int32_t(*)[3])dims, (uint32_t)rank);
}

int tfl_prepare_broadcast_to(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *shape_input = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && shape_input && op->input_count == 2 && op->output_count == 1, "needs an input, a shape and one output");
    TFL_CHECK(op, tfl_type_size(input->type) > 0, "unsupported type %y of %t", (int32_t)input->type, input);
    if (check_type_of(op, output, input)) return 1;
    TFL_CHECK(op, shape_input->rank == 1, "the shape input %t must be 1-D", shape_input);
    const_ints values;
    if (read_ints(op, shape_input, "shape", 1, &values)) return 1;
    const int32_t rank = (int32_t)values.n;
    int64_t shape[TFL_CONST_BROADCAST_TO_MAX_DIMS];
    for (int32_t d = 0; d < rank && d < TFL_CONST_BROADCAST_TO_MAX_DIMS; d++) shape[d] = ints_at(&values, (uint32_t)d);
    if (rank > TFL_CONST_BROADCAST_TO_MAX_DIMS) {
        /* The message lists every value: read them into temporary memory. */
        int64_t *all = (int64_t *)tfl_temp_alloc(op->loader, 8 * (uint32_t)rank);
        if (!all) return 1;
        for (int32_t d = 0; d < rank; d++) all[d] = ints_at(&values, (uint32_t)d);
        return tfl_op_fail(op, "shape %s has more than %d dimensions", shape_text(op, all, (uint32_t)rank), TFL_CONST_BROADCAST_TO_MAX_DIMS);
    }
    const int32_t extra = rank - input->rank;
    TFL_CHECK(op, extra >= 0, "input %t has more dimensions than shape %s", input, shape_text(op, shape, (uint32_t)rank));
    for (int32_t d = 0; d < input->rank; d++)
        TFL_CHECK(op, input->shape[d] == 1 || input->shape[d] == shape[extra + d], "input %t cannot be broadcast to shape %s", input,
                  shape_text(op, shape, (uint32_t)rank));
    if (check_shape(op, output, shape, (uint32_t)rank)) return 1;
    int32_t in_strides[TFL_MAX_RANK], out_strides[TFL_MAX_RANK], dims[TFL_CONST_BROADCAST_TO_MAX_DIMS][3];
    strides_of(input->shape, input->rank, in_strides);
    strides_of(output->shape, rank, out_strides);
    for (int32_t d = 0; d < rank; d++) {
        const int32_t i = d - extra;
        dims[d][0] = output->shape[d];
        dims[d][1] = i < 0 || input->shape[i] == 1 ? 0 : in_strides[i];
        dims[d][2] = out_strides[d];
    }
    int32_t *p = use_move(op, TFL_BODY_broadcast_to_bytes, 1, tfl_type_size(input->type), 0);
    if (!p) return 1;
    return move_piece(op, p, 0, input, output, 0, 0, (const int32_t(*)[3])dims, (uint32_t)rank);
}

/* checkBlockOp: 0 with the block size in *b, or 1. */
static int check_block_op(tfl_op *op, const tfl_tensor_info *input, const tfl_tensor_info *output, int32_t *b)
{
    TFL_CHECK(op, input && op->input_count == 1 && op->output_count == 1, "needs one input and one output");
    if (check_type(op, input, BIT(FLOAT32) | BIT(INT8), "FLOAT32, INT8") || check_type_of(op, output, input)) return 1;
    TFL_CHECK(op, input->rank == 4, "the input must be 4-D (NHWC), not %t", input);
    *b = tfl_opt_int(op, BLOCK_OPT_SIZE, 0);
    TFL_CHECK(op, *b > 0, "block size %d must be positive", *b);
    return 0;
}

int tfl_prepare_depth_to_space(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    int32_t b;
    if (check_block_op(op, input, output, &b)) return 1;
    const int32_t n = input->shape[0], ih = input->shape[1], iw = input->shape[2], ic = input->shape[3];
    const int32_t oc = ic / b / b;
    TFL_CHECK(op, (int64_t)oc * b * b == ic, "input depth %d is not a multiple of block size %d squared", ic, b);
    const int64_t shape[4] = {n, (int64_t)ih * b, (int64_t)iw * b, oc};
    if (check_shape(op, output, shape, 4)) return 1;
    /* The output's shape fits int32 now; its element count too unless it is empty (then nothing moves). */
    const int32_t out_row = mul(mul(iw, b), oc);
    const int32_t dims[6][3] = {{n, mul(mul(ih, iw), ic), mul(mul(ih, b), out_row)}, {ih, mul(iw, ic), mul(b, out_row)}, {b, mul(b, oc), out_row},
                                {iw, ic, mul(b, oc)}, {b, oc, oc}, {oc, 1, 1}};
    int32_t *p = use_move(op, TFL_BODY_depth_to_space_bytes, 1, tfl_type_size(input->type), 0);
    if (!p) return 1;
    return move_piece(op, p, 0, input, output, 0, 0, dims, 6);
}

int tfl_prepare_space_to_depth(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    int32_t b;
    if (check_block_op(op, input, output, &b)) return 1;
    const int32_t n = input->shape[0], ih = input->shape[1], iw = input->shape[2], ic = input->shape[3];
    const int32_t oh = ih / b, ow = iw / b;
    TFL_CHECK(op, oh * b == ih && ow * b == iw, "input height %d and width %d are not multiples of block size %d", ih, iw, b);
    const int64_t shape[4] = {n, oh, ow, (int64_t)ic * b * b};
    if (check_shape(op, output, shape, 4)) return 1;
    const int32_t oc = mul(mul(ic, b), b), in_row = mul(iw, ic);
    const int32_t dims[6][3] = {{n, mul(ih, in_row), mul(mul(oh, ow), oc)}, {oh, mul(b, in_row), mul(ow, oc)}, {b, in_row, mul(b, ic)},
                                {ow, mul(b, ic), oc}, {b, ic, ic}, {ic, 1, 1}};
    int32_t *p = use_move(op, TFL_BODY_space_to_depth_bytes, 1, tfl_type_size(input->type), 0);
    if (!p) return 1;
    return move_piece(op, p, 0, input, output, 0, 0, dims, 6);
}

int tfl_prepare_gather(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *positions = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && positions && op->input_count == 2 && op->output_count == 1, "needs an input, positions and one output");
    TFL_CHECK(op, positions->type == TFL_TYPE_INT32, "positions %t must be INT32 (TFLM takes no other type)", positions);
    if (check_type(op, input, BIT(FLOAT32) | BIT(INT8), "FLOAT32, INT8") || check_type_of(op, output, input)) return 1;
    const int32_t rank = input->rank, prank = positions->rank;
    int32_t axis;
    if (move_axis(op, tfl_opt_int(op, GATHER_OPT_AXIS, 0), rank, input, &axis)) return 1;
    const int32_t given_batch = tfl_opt_int(op, GATHER_OPT_BATCH_DIMS, 0);
    const int32_t batch_dims = given_batch < 0 ? given_batch + prank : given_batch;
    TFL_CHECK(op, batch_dims >= 0 && batch_dims <= axis && batch_dims <= prank,
              "batch_dims %d must be within 0 and axis %d and the positions' rank", given_batch, axis);
    for (int32_t i = 0; i < batch_dims; i++)
        TFL_CHECK(op, input->shape[i] == positions->shape[i], "input %t and positions %t differ in batch dimension %d", input, positions, i);
    int64_t shape[MOVE_MAX_SHAPE];
    uint32_t n = 0;
    for (int32_t i = 0; i < axis; i++) shape[n++] = input->shape[i];
    for (int32_t i = batch_dims; i < prank; i++) shape[n++] = positions->shape[i];
    for (int32_t i = axis + 1; i < rank; i++) shape[n++] = input->shape[i];
    if (check_shape(op, output, shape, n)) return 1;
    int32_t *p = tfl_use_body(op, TFL_BODY_gather_bytes, TFL_GATHER_POSITION_COUNT + 1);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_GATHER_INPUT, input);
    tfl_param_tensor(op, TFL_GATHER_POSITIONS, positions);
    tfl_param_tensor(op, TFL_GATHER_OUTPUT, output);
    p[TFL_GATHER_ELEMENT_SIZE] = (int32_t)tfl_type_size(input->type);
    if (output->count == 0) return 0;
    p[TFL_GATHER_BATCH_COUNT] = product(input->shape, 0, batch_dims);
    p[TFL_GATHER_OUTER_COUNT] = product(input->shape, batch_dims, axis);
    p[TFL_GATHER_INNER_COUNT] = product(input->shape, axis + 1, rank);
    p[TFL_GATHER_AXIS_SIZE] = input->shape[axis];
    p[TFL_GATHER_POSITION_COUNT] = product(positions->shape, batch_dims, prank);
    return 0;
}

int tfl_prepare_gather_nd(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *indices = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && indices && op->input_count == 2 && op->output_count == 1, "needs an input, indices and one output");
    if (check_type(op, input, BIT(FLOAT32) | BIT(INT8), "FLOAT32, INT8")) return 1;
    TFL_CHECK(op, indices->type == TFL_TYPE_INT32, "indices %t must be INT32 (TFLM takes no other type)", indices);
    if (check_type_of(op, output, input)) return 1;
    const int32_t rank = input->rank, index_rank = indices->rank;
    TFL_CHECK(op, rank >= 1, "the input %t must have at least one dimension", input);
    TFL_CHECK(op, index_rank >= 1, "the indices %t must have at least one dimension", indices);
    const int32_t depth = indices->shape[index_rank - 1];
    TFL_CHECK(op, depth <= rank, "index tuples of %d exceed the rank of input %t", depth, input);
    TFL_CHECK(op, depth <= TFL_CONST_GATHER_ND_MAX_DEPTH, "index tuples of %d exceed TFLM's %d", depth, TFL_CONST_GATHER_ND_MAX_DEPTH);
    int64_t shape[MOVE_MAX_SHAPE];
    uint32_t n = 0;
    for (int32_t i = 0; i + 1 < index_rank; i++) shape[n++] = indices->shape[i];
    for (int32_t i = depth; i < rank; i++) shape[n++] = input->shape[i];
    if (check_shape(op, output, shape, n)) return 1;
    int32_t *p = tfl_use_body(op, TFL_BODY_gather_nd_bytes, TFL_GATHER_ND_STEPS + TFL_CONST_GATHER_ND_MAX_DEPTH);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_GATHER_ND_INPUT, input);
    tfl_param_tensor(op, TFL_GATHER_ND_INDICES, indices);
    tfl_param_tensor(op, TFL_GATHER_ND_OUTPUT, output);
    p[TFL_GATHER_ND_ELEMENT_SIZE] = (int32_t)tfl_type_size(input->type);
    if (output->count == 0) return 0;
    p[TFL_GATHER_ND_SLICE_COUNT] = product(indices->shape, 0, index_rank - 1);
    p[TFL_GATHER_ND_SLICE_SIZE] = product(input->shape, depth, rank);
    p[TFL_GATHER_ND_INDEX_DEPTH] = depth;
    p[TFL_GATHER_ND_INPUT_COUNT] = (int32_t)input->count;
    if (input->count == 0) return 0;
    int32_t remaining = (int32_t)input->count;
    for (int32_t j = 0; j < depth; j++) {
        remaining /= input->shape[j];
        p[TFL_GATHER_ND_STEPS + j] = remaining;
    }
    return 0;
}
