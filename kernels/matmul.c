/* BATCH_MATMUL bodies (kernel_matmul.ts, where TFLM's arithmetic is explained). Parameter block:
 * enum tfl_batch_matmul. None is in the board's default build. */
/* Small beats fast here: only the all-ops build has them (before the includes, so that the inline
 * helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"
#include "prepare.h"

/* One output element's place: where its row of lhs and its column of rhs start (elements). */
typedef struct {
    int32_t lhs, rhs;
} matmul_at;

/* The output elements in order: calls dot for each with its lhs row and rhs column. */
static void each_matmul_element(const int32_t *p, void (*dot)(const int32_t *p, const uint8_t *model, uint8_t *arena, matmul_at at, int32_t out),
                                const uint8_t *model, uint8_t *arena)
{
    const int32_t rows = p[TFL_BATCH_MATMUL_ROWS], cols = p[TFL_BATCH_MATMUL_COLS];
    const int32_t lhs_row = p[TFL_BATCH_MATMUL_LHS_ROW_STRIDE], rhs_col = p[TFL_BATCH_MATMUL_RHS_COL_STRIDE];
    int32_t out = 0;
    for (int32_t b0 = 0; b0 < p[TFL_BATCH_MATMUL_BATCH0]; b0++)
        for (int32_t b1 = 0; b1 < p[TFL_BATCH_MATMUL_BATCH1]; b1++)
            for (int32_t b2 = 0; b2 < p[TFL_BATCH_MATMUL_BATCH2]; b2++) {
                const int32_t lhs_base = b0 * p[TFL_BATCH_MATMUL_LHS_BATCH_STRIDE0] + b1 * p[TFL_BATCH_MATMUL_LHS_BATCH_STRIDE1] +
                                         b2 * p[TFL_BATCH_MATMUL_LHS_BATCH_STRIDE2];
                const int32_t rhs_base = b0 * p[TFL_BATCH_MATMUL_RHS_BATCH_STRIDE0] + b1 * p[TFL_BATCH_MATMUL_RHS_BATCH_STRIDE1] +
                                         b2 * p[TFL_BATCH_MATMUL_RHS_BATCH_STRIDE2];
                for (int32_t m = 0; m < rows; m++)
                    for (int32_t n = 0; n < cols; n++) {
                        matmul_at at = { lhs_base + m * lhs_row, rhs_base + n * rhs_col };
                        dot(p, model, arena, at, out++);
                    }
            }
}

static void dot_float(const int32_t *p, const uint8_t *model, uint8_t *arena, matmul_at at, int32_t out)
{
    const uint8_t *lhs = tfl_tensor(p, TFL_BATCH_MATMUL_LHS, model, arena) + 4 * at.lhs;
    const uint8_t *rhs = tfl_tensor(p, TFL_BATCH_MATMUL_RHS, model, arena) + 4 * at.rhs;
    const int32_t lhs_step = 4 * p[TFL_BATCH_MATMUL_LHS_DEPTH_STRIDE], rhs_step = 4 * p[TFL_BATCH_MATMUL_RHS_DEPTH_STRIDE];
    float total = 0.0f;
    for (int32_t k = 0; k < p[TFL_BATCH_MATMUL_DEPTH]; k++, lhs += lhs_step, rhs += rhs_step)
        total += tfl_load_f32(lhs) * tfl_load_f32(rhs);
    tfl_store_f32(tfl_output(p, TFL_BATCH_MATMUL_OUTPUT, arena) + 4 * out, total);
}

static void dot_int8(const int32_t *p, const uint8_t *model, uint8_t *arena, matmul_at at, int32_t out)
{
    const int8_t *lhs = (const int8_t *)tfl_tensor(p, TFL_BATCH_MATMUL_LHS, model, arena) + at.lhs;
    const int8_t *rhs = (const int8_t *)tfl_tensor(p, TFL_BATCH_MATMUL_RHS, model, arena) + at.rhs;
    const int32_t lhs_step = p[TFL_BATCH_MATMUL_LHS_DEPTH_STRIDE], rhs_step = p[TFL_BATCH_MATMUL_RHS_DEPTH_STRIDE];
    const int32_t lhs_offset = p[TFL_BATCH_MATMUL_LHS_OFFSET], rhs_offset = p[TFL_BATCH_MATMUL_RHS_OFFSET];
    /* TFLM's int32 sum, wrapping as the STS's. */
    uint32_t total = 0;
    for (int32_t k = 0; k < p[TFL_BATCH_MATMUL_DEPTH]; k++, lhs += lhs_step, rhs += rhs_step)
        total += (uint32_t)((*lhs + lhs_offset) * (*rhs + rhs_offset));
    const int32_t v = tfl_multiply_by_quantized_multiplier((int32_t)total, p[TFL_BATCH_MATMUL_MULTIPLIER], p[TFL_BATCH_MATMUL_SHIFT]) +
                      p[TFL_BATCH_MATMUL_OUTPUT_OFFSET];
    tfl_output(p, TFL_BATCH_MATMUL_OUTPUT, arena)[out] = (uint8_t)tfl_clamp(v, p[TFL_BATCH_MATMUL_ACTIVATION_MIN], p[TFL_BATCH_MATMUL_ACTIVATION_MAX]);
}

static void dot_int16(const int32_t *p, const uint8_t *model, uint8_t *arena, matmul_at at, int32_t out)
{
    const uint8_t *lhs = tfl_tensor(p, TFL_BATCH_MATMUL_LHS, model, arena) + 2 * at.lhs;
    const uint8_t *rhs = tfl_tensor(p, TFL_BATCH_MATMUL_RHS, model, arena) + 2 * at.rhs;
    const int32_t lhs_step = 2 * p[TFL_BATCH_MATMUL_LHS_DEPTH_STRIDE], rhs_step = 2 * p[TFL_BATCH_MATMUL_RHS_DEPTH_STRIDE];
    /* Zero points are 0: TFLM's int64 sum of the products. */
    int64_t total = 0;
    for (int32_t k = 0; k < p[TFL_BATCH_MATMUL_DEPTH]; k++, lhs += lhs_step, rhs += rhs_step)
        total += (int32_t)tfl_load_i16(lhs) * tfl_load_i16(rhs);
    const int32_t v = tfl_multiply_by_quantized_multiplier64(total, p[TFL_BATCH_MATMUL_MULTIPLIER], p[TFL_BATCH_MATMUL_SHIFT]) +
                      p[TFL_BATCH_MATMUL_OUTPUT_OFFSET];
    tfl_store_i16(tfl_output(p, TFL_BATCH_MATMUL_OUTPUT, arena) + 2 * out,
                  tfl_clamp(v, p[TFL_BATCH_MATMUL_ACTIVATION_MIN], p[TFL_BATCH_MATMUL_ACTIVATION_MAX]));
}

void tflite_batch_matmul_float(int32_t *p, const uint8_t *model, uint8_t *arena) { each_matmul_element(p, dot_float, model, arena); }
void tflite_batch_matmul_int8(int32_t *p, const uint8_t *model, uint8_t *arena) { each_matmul_element(p, dot_int8, model, arena); }
void tflite_batch_matmul_int16(int32_t *p, const uint8_t *model, uint8_t *arena) { each_matmul_element(p, dot_int16, model, arena); }

/* DYNAMIC_UPDATE_SLICE (kernel_matmul.ts dynamicUpdateSliceBytes): enum tfl_dynamic_update_slice. */
void tflite_dynamic_update_slice_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *operand = tfl_tensor(p, TFL_DYNAMIC_UPDATE_SLICE_OPERAND, model, arena);
    const uint8_t *update = tfl_tensor(p, TFL_DYNAMIC_UPDATE_SLICE_UPDATE, model, arena);
    const uint8_t *indices = tfl_tensor(p, TFL_DYNAMIC_UPDATE_SLICE_INDICES, model, arena);
    uint8_t *output = tfl_output(p, TFL_DYNAMIC_UPDATE_SLICE_OUTPUT, arena);
    const int32_t rank = p[TFL_DYNAMIC_UPDATE_SLICE_RANK], size = p[TFL_DYNAMIC_UPDATE_SLICE_ELEMENT_BYTES];
    const int32_t operand_count = p[TFL_DYNAMIC_UPDATE_SLICE_OPERAND_COUNT], update_count = p[TFL_DYNAMIC_UPDATE_SLICE_UPDATE_COUNT];
    const int32_t *operand_dims = p + TFL_DYNAMIC_UPDATE_SLICE_OPERAND_DIMS, *update_dims = p + TFL_DYNAMIC_UPDATE_SLICE_UPDATE_DIMS;
    if (operand_count == update_count) {
        memcpy(output, update, (uint32_t)(size * update_count));
        return;
    }
    memcpy(output, operand, (uint32_t)(size * operand_count));
    if (update_count == 0) return;
    int32_t start[6], at[6];
    for (int32_t i = 0; i < rank; i++) {
        const int64_t limit = operand_dims[i] - update_dims[i];
        int64_t s = p[TFL_DYNAMIC_UPDATE_SLICE_INDICES_INT64] ? tfl_load_i64(indices + 8 * i) : tfl_load_i32(indices + 4 * i);
        if (s < 0) s = 0;
        if (s > limit) s = limit;
        start[i] = (int32_t)s;
        at[i] = 0;
    }
    const int32_t run = size * update_dims[rank - 1];
    for (int32_t from = 0; from < size * update_count; from += run) {
        int32_t to = 0;
        for (int32_t i = 0; i < rank; i++) to = to * operand_dims[i] + start[i] + at[i];
        memcpy(output + size * to, update + from, (uint32_t)run);
        for (int32_t i = rank - 2; i >= 0; i--) {
            if (++at[i] < update_dims[i]) break;
            at[i] = 0;
        }
    }
}

/* CUMSUM (kernel_matmul.ts cumsumFloat, cumsumInt8): enum tfl_cumsum. Each line along the axis
 * from its first element (its last with reverse). */
void tflite_cumsum_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_CUMSUM_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_CUMSUM_OUTPUT, arena);
    const int32_t before = p[TFL_CUMSUM_BEFORE], depth = p[TFL_CUMSUM_DEPTH], after = p[TFL_CUMSUM_AFTER];
    const int exclusive = p[TFL_CUMSUM_EXCLUSIVE], reverse = p[TFL_CUMSUM_REVERSE];
    for (int32_t b = 0; b < before; b++)
        for (int32_t a = 0; a < after; a++) {
            int32_t i = b * depth * after + a + (reverse ? (depth - 1) * after : 0);
            const int32_t step = reverse ? -after : after;
            float sum = 0.0f;
            for (int32_t d = 0; d < depth; d++, i += step) {
                const float v = tfl_load_f32(input + 4 * i);
                if (exclusive) tfl_store_f32(output + 4 * i, sum);
                sum += v;
                if (!exclusive) tfl_store_f32(output + 4 * i, sum);
            }
        }
}

void tflite_cumsum_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const int8_t *input = (const int8_t *)tfl_tensor(p, TFL_CUMSUM_INPUT, model, arena);
    int8_t *output = (int8_t *)tfl_output(p, TFL_CUMSUM_OUTPUT, arena);
    const int32_t before = p[TFL_CUMSUM_BEFORE], depth = p[TFL_CUMSUM_DEPTH], after = p[TFL_CUMSUM_AFTER];
    const int exclusive = p[TFL_CUMSUM_EXCLUSIVE], reverse = p[TFL_CUMSUM_REVERSE];
    const int32_t offset = p[TFL_CUMSUM_INPUT_OFFSET], in_m = p[TFL_CUMSUM_INPUT_MULTIPLIER], in_s = p[TFL_CUMSUM_INPUT_SHIFT];
    const int32_t out_offset = p[TFL_CUMSUM_OUTPUT_OFFSET], out_m = p[TFL_CUMSUM_OUTPUT_MULTIPLIER], out_s = p[TFL_CUMSUM_OUTPUT_SHIFT];
    for (int32_t b = 0; b < before; b++)
        for (int32_t a = 0; a < after; a++) {
            int32_t i = b * depth * after + a + (reverse ? (depth - 1) * after : 0);
            const int32_t step = reverse ? -after : after;
            /* TFLM's int32 sum, wrapping as the STS's; it starts at the offset's scaled value. */
            uint32_t sum = (uint32_t)tfl_multiply_by_quantized_multiplier(offset * (1 << 20), in_m, in_s);
            for (int32_t d = 0; d < depth; d++, i += step) {
                const int32_t scaled = tfl_multiply_by_quantized_multiplier((input[i] + offset) * (1 << 20), in_m, in_s);
                uint32_t out = sum;
                sum += (uint32_t)scaled;
                if (!exclusive) out = sum;
                const int32_t v = tfl_multiply_by_quantized_multiplier((int32_t)out, out_m, out_s) + out_offset;
                output[i] = (int8_t)tfl_clamp(v, -128, 127);
            }
        }
}
