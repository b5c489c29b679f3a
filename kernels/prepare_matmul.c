/* BATCH_MATMUL's prepare (kernel_matmul.ts prepareBatchMatmul): same checks in the same order and
 * the same messages as the STS, the same parameter block word for word. */
#include "prepare.h"
#include "kernel_util.h"

enum { BATCH_MATMUL_OPT_ADJ_X = 0, BATCH_MATMUL_OPT_ADJ_Y = 1 };

static int is_matmul_type(int32_t type)
{
    return type == TFL_TYPE_FLOAT32 || type == TFL_TYPE_INT8 || type == TFL_TYPE_INT16;
}

/* Dimension i of t extended with leading 1s to rank dimensions. */
static int32_t extended_dim(const tfl_tensor_info *t, int32_t rank, int32_t i)
{
    const int32_t j = i - (rank - (int32_t)t->rank);
    return j < 0 ? 1 : t->shape[j];
}

/* setBatchStrides: three words for a rank-5 output, 0 where a dimension is missing or 1. */
static void set_batch_strides(int32_t *p, int word, const tfl_tensor_info *t, int32_t rank)
{
    int32_t stride = extended_dim(t, rank, rank - 2) * extended_dim(t, rank, rank - 1);
    for (int32_t i = rank - 3; i >= 0; i--) {
        const int32_t d = extended_dim(t, rank, i);
        p[word + i + 5 - rank] = d == 1 ? 0 : stride;
        stride *= d;
    }
}

int tfl_prepare_batch_matmul(tfl_op *op)
{
    const tfl_tensor_info *lhs = tfl_input(op, 0), *rhs = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, op->input_count == 2 && op->output_count == 1 && lhs && rhs, "needs two inputs and one output");
    TFL_CHECK(op, is_matmul_type(lhs->type), "unsupported type %y of %t (TFLM takes FLOAT32, INT8, INT16)", (int32_t)lhs->type, lhs);
    TFL_CHECK(op, rhs->type == lhs->type, "%t must have the type of %t", rhs, lhs);
    TFL_CHECK(op, output->type == lhs->type, "%t must have the type of %t", output, lhs);
    TFL_CHECK(op, lhs->rank >= 2 && lhs->rank <= 5, "lhs %t must have 2 to 5 dimensions", lhs);
    TFL_CHECK(op, rhs->rank >= 2 && rhs->rank <= 5, "rhs %t must have 2 to 5 dimensions", rhs);
    const int is_float = lhs->type == TFL_TYPE_FLOAT32;
    if (!is_float) {
        TFL_CHECK(op, lhs->scale_count <= 1 && rhs->scale_count <= 1 && output->scale_count <= 1,
                  "TFLM's BATCH_MATMUL is per-tensor: it reads only the first of several scales");
        TFL_CHECK(op, lhs->type == TFL_TYPE_INT8 || (lhs->zero_point == 0 && rhs->zero_point == 0 && output->zero_point == 0),
                  "int16 tensors must have zero point 0");
    }
    const int32_t rank = lhs->rank > rhs->rank ? lhs->rank : rhs->rank;
    double count = 1;   /* as the STS's number: dimensions' products past int32 are refused below */
    for (int32_t i = 0; i < rank - 2; i++) {
        const int32_t l = extended_dim(lhs, rank, i), r = extended_dim(rhs, rank, i);
        TFL_CHECK(op, l == r || l == 1 || r == 1, "batch dimension %d does not broadcast: lhs %t has %d, rhs %t has %d", i, lhs, l, rhs, r);
        count *= (double)(l == 1 ? r : l);
    }
    const int adj_x = tfl_opt_byte(op, BATCH_MATMUL_OPT_ADJ_X, 0) != 0;
    const int adj_y = tfl_opt_byte(op, BATCH_MATMUL_OPT_ADJ_Y, 0) != 0;
    const int32_t rows = extended_dim(lhs, rank, adj_x ? rank - 1 : rank - 2);
    const int32_t depth = extended_dim(lhs, rank, adj_x ? rank - 2 : rank - 1);
    const int32_t rhs_depth = extended_dim(rhs, rank, adj_y ? rank - 1 : rank - 2);
    const int32_t cols = extended_dim(rhs, rank, adj_y ? rank - 2 : rank - 1);
    TFL_CHECK(op, depth == rhs_depth, "lhs %t has depth %d, rhs %t has %d (adj_x %d, adj_y %d)", lhs, depth, rhs, rhs_depth,
              (int32_t)adj_x, (int32_t)adj_y);
    count *= (double)rows * cols;
    TFL_CHECK(op, count < 2147483648.0, "lhs %t and rhs %t make an output of more than 2^31 - 1 values", lhs, rhs);
    TFL_CHECK(op, (int32_t)output->rank >= rank && (int32_t)output->count == (int32_t)count,
              "output %t must hold %d values in at least %d dimensions", output, (int32_t)count, rank);

    const int32_t body = is_float ? TFL_BODY_batch_matmul_float : lhs->type == TFL_TYPE_INT8 ? TFL_BODY_batch_matmul_int8 : TFL_BODY_batch_matmul_int16;
    int32_t *p = tfl_use_body(op, body, TFL_BATCH_MATMUL_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_BATCH_MATMUL_LHS, lhs);
    tfl_param_tensor(op, TFL_BATCH_MATMUL_RHS, rhs);
    tfl_param_tensor(op, TFL_BATCH_MATMUL_OUTPUT, output);
    p[TFL_BATCH_MATMUL_ROWS] = rows;
    p[TFL_BATCH_MATMUL_COLS] = cols;
    p[TFL_BATCH_MATMUL_DEPTH] = depth;
    p[TFL_BATCH_MATMUL_LHS_ROW_STRIDE] = adj_x ? 1 : depth;
    p[TFL_BATCH_MATMUL_LHS_DEPTH_STRIDE] = adj_x ? rows : 1;
    p[TFL_BATCH_MATMUL_RHS_COL_STRIDE] = adj_y ? depth : 1;
    p[TFL_BATCH_MATMUL_RHS_DEPTH_STRIDE] = adj_y ? 1 : cols;
    for (int32_t i = 0; i < 3; i++) {
        const int32_t d = i + rank - 5;
        const int32_t l = d < 0 ? 1 : extended_dim(lhs, rank, d), r = d < 0 ? 1 : extended_dim(rhs, rank, d);
        p[TFL_BATCH_MATMUL_BATCH0 + i] = l > r ? l : r;
    }
    set_batch_strides(p, TFL_BATCH_MATMUL_LHS_BATCH_STRIDE0, lhs, rank);
    set_batch_strides(p, TFL_BATCH_MATMUL_RHS_BATCH_STRIDE0, rhs, rank);
    if (is_float) return 0;
    p[TFL_BATCH_MATMUL_LHS_OFFSET] = tfl_negate(lhs->zero_point);
    p[TFL_BATCH_MATMUL_RHS_OFFSET] = tfl_negate(rhs->zero_point);
    p[TFL_BATCH_MATMUL_OUTPUT_OFFSET] = output->zero_point;
    tfl_per_tensor_multiplier(lhs, rhs, output, p + TFL_BATCH_MATMUL_MULTIPLIER);
    const int int8 = lhs->type == TFL_TYPE_INT8;
    p[TFL_BATCH_MATMUL_ACTIVATION_MIN] = int8 ? -128 : -32768;
    p[TFL_BATCH_MATMUL_ACTIVATION_MAX] = int8 ? 127 : 32767;
    return 0;
}

/* DYNAMIC_UPDATE_SLICE's prepare (kernel_matmul.ts prepareDynamicUpdateSlice). */
int tfl_prepare_dynamic_update_slice(tfl_op *op)
{
    const tfl_tensor_info *operand = tfl_input(op, 0), *update = tfl_input(op, 1), *indices = tfl_input(op, 2);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, op->input_count == 3 && op->output_count == 1 && operand && update && indices,
              "needs an operand, an update, start indices and one output");
    TFL_CHECK(op, update->type == operand->type, "%t must have the type of %t", update, operand);
    TFL_CHECK(op, indices->type == TFL_TYPE_INT32 || indices->type == TFL_TYPE_INT64, "the start indices %t must be INT32 or INT64", indices);
    TFL_CHECK(op, indices->rank == 1 && indices->shape[0] == (int32_t)operand->rank,
              "the start indices %t must be 1-D with one index per dimension of %t", indices, operand);
    TFL_CHECK(op, update->rank == operand->rank, "update %t must have the rank of %t", update, operand);
    for (uint32_t i = 0; i < operand->rank; i++)
        TFL_CHECK(op, update->shape[i] <= operand->shape[i], "update %t is larger than %t in dimension %d", update, operand, (int32_t)i);
    TFL_CHECK(op, operand->type == TFL_TYPE_FLOAT32 || operand->type == TFL_TYPE_INT8 || operand->type == TFL_TYPE_INT16 ||
                      operand->type == TFL_TYPE_INT32,
              "unsupported type %y of %t (TFLM takes FLOAT32, INT8, INT16, INT32)", (int32_t)operand->type, operand);
    TFL_CHECK(op, operand->rank <= 6, "operand %t has more than TFLM's 6 dimensions", operand);
    TFL_CHECK(op, output->type == operand->type && output->count == operand->count, "output %t must have the type and size of %t", output, operand);
    int32_t *p = tfl_use_body(op, TFL_BODY_dynamic_update_slice_bytes, TFL_DYNAMIC_UPDATE_SLICE_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_DYNAMIC_UPDATE_SLICE_OPERAND, operand);
    tfl_param_tensor(op, TFL_DYNAMIC_UPDATE_SLICE_UPDATE, update);
    tfl_param_tensor(op, TFL_DYNAMIC_UPDATE_SLICE_INDICES, indices);
    tfl_param_tensor(op, TFL_DYNAMIC_UPDATE_SLICE_OUTPUT, output);
    p[TFL_DYNAMIC_UPDATE_SLICE_RANK] = (int32_t)operand->rank;
    p[TFL_DYNAMIC_UPDATE_SLICE_ELEMENT_BYTES] = operand->type == TFL_TYPE_INT8 ? 1 : operand->type == TFL_TYPE_INT16 ? 2 : 4;
    p[TFL_DYNAMIC_UPDATE_SLICE_INDICES_INT64] = indices->type == TFL_TYPE_INT64;
    p[TFL_DYNAMIC_UPDATE_SLICE_OPERAND_COUNT] = (int32_t)operand->count;
    p[TFL_DYNAMIC_UPDATE_SLICE_UPDATE_COUNT] = (int32_t)update->count;
    for (uint32_t i = 0; i < operand->rank; i++) {
        p[TFL_DYNAMIC_UPDATE_SLICE_OPERAND_DIMS + i] = operand->shape[i];
        p[TFL_DYNAMIC_UPDATE_SLICE_UPDATE_DIMS + i] = update->shape[i];
    }
    return 0;
}

/* CUMSUM's prepare (kernel_matmul.ts prepareCumsum). */
enum { CUMSUM_OPT_EXCLUSIVE = 0, CUMSUM_OPT_REVERSE = 1 };

int tfl_prepare_cumsum(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *axis = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, op->input_count == 2 && op->output_count == 1 && input && axis, "needs an input, an axis and one output");
    TFL_CHECK(op, input->type == TFL_TYPE_FLOAT32 || input->type == TFL_TYPE_INT8, "unsupported type %y of %t (TFLM takes FLOAT32, INT8)",
              (int32_t)input->type, input);
    TFL_CHECK(op, axis->type == TFL_TYPE_INT32 && axis->count == 1, "the axis %t must be one INT32", axis);
    TFL_CHECK(op, input->rank >= 1, "the input %t must have a dimension", input);
    TFL_CHECK(op, output->type == input->type, "%t must have the type of %t", output, input);
    int same = output->rank == input->rank;
    for (uint32_t i = 0; same && i < input->rank; i++) same = output->shape[i] == input->shape[i];
    TFL_CHECK(op, same, "output %t must have the shape of %t", output, input);
    TFL_CHECK(op, axis->is_const, "the axis %t must be constant", axis);
    const int32_t given = tfl_load_i32(tfl_const_data(op, axis));
    const int32_t a = given < 0 ? given + (int32_t)input->rank : given;
    TFL_CHECK(op, a >= 0 && a < (int32_t)input->rank, "axis %d is out of range for %t", given, input);
    const int is_float = input->type == TFL_TYPE_FLOAT32;
    int32_t out_multiplier = 0, out_shift = 0;
    if (!is_float) {
        /* TFLM's QuantizeMultiplierSmallerThanOneExp aborts on a multiplier of 1 or more. */
        const double real = 2 * (double)input->scale / (1048576 * (double)output->scale);
        TFL_CHECK(op, real > 0 && real < 1, "the rescale 2 * input scale / (2^20 * output scale) must be below 1 (TFLM aborts)");
        tfl_quantize_multiplier(real, &out_multiplier, &out_shift);
    }
    int32_t *p = tfl_use_body(op, is_float ? TFL_BODY_cumsum_float : TFL_BODY_cumsum_int8, TFL_CUMSUM_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_CUMSUM_INPUT, input);
    tfl_param_tensor(op, TFL_CUMSUM_OUTPUT, output);
    int32_t before = 1, after = 1;
    for (int32_t i = 0; i < (int32_t)input->rank; i++) {
        if (i < a) before *= input->shape[i];
        else if (i > a) after *= input->shape[i];
    }
    p[TFL_CUMSUM_BEFORE] = before;
    p[TFL_CUMSUM_DEPTH] = input->shape[a];
    p[TFL_CUMSUM_AFTER] = after;
    p[TFL_CUMSUM_EXCLUSIVE] = tfl_opt_byte(op, CUMSUM_OPT_EXCLUSIVE, 0) != 0;
    p[TFL_CUMSUM_REVERSE] = tfl_opt_byte(op, CUMSUM_OPT_REVERSE, 0) != 0;
    if (is_float) return 0;
    p[TFL_CUMSUM_INPUT_OFFSET] = tfl_negate(input->zero_point);
    /* input_scale / (2 * input_scale): 0.5 exactly. */
    tfl_quantize_multiplier(0.5, &p[TFL_CUMSUM_INPUT_MULTIPLIER], &p[TFL_CUMSUM_INPUT_SHIFT]);
    p[TFL_CUMSUM_OUTPUT_OFFSET] = output->zero_point;
    p[TFL_CUMSUM_OUTPUT_MULTIPLIER] = out_multiplier;
    p[TFL_CUMSUM_OUTPUT_SHIFT] = out_shift;
    return 0;
}
