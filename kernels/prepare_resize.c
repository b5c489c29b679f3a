/* RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR and MIRROR_PAD prepares (kernel_resize.ts, where the tables are
 * explained): same checks in the same order and the same messages as the STS. The float32 steps
 * are TFLM's, one float operation at a time (no fused multiply-add: kernel_util.h, the Makefile). */
#include "prepare.h"
#include "kernel_util.h"

enum { RESIZE_OPT_ALIGN_CORNERS = 0, RESIZE_OPT_HALF_PIXEL = 1,
       /* ResizeBilinearOptions keeps two deprecated fields before its flags. */
       BILINEAR_OPT_ALIGN_CORNERS = 2, BILINEAR_OPT_HALF_PIXEL = 3, MIRROR_PAD_OPT_MODE = 0 };

#define BIT(type) (1u << TFL_TYPE_##type)

/* checkResize: 0 with the output's height and width in hw, or 1. */
static int check_resize(tfl_op *op, uint32_t types, const char *names, int32_t *hw)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *size = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && size && op->input_count == 2 && op->output_count == 1, "needs an input, a size and one output");
    TFL_CHECK(op, (types >> input->type) & 1, "unsupported type %y of %t (TFLM takes %s)", (int32_t)input->type, input, names);
    TFL_CHECK(op, output->type == input->type, "%t must have the type of %t", output, input);
    TFL_CHECK(op, input->rank == 4, "the input must be 4-D (NHWC), not %t", input);
    TFL_CHECK(op, size->type == TFL_TYPE_INT32 && size->rank == 1 && size->shape[0] == 2 && size->is_const,
              "the size input %t must be a constant INT32 tensor of 2 values", size);
    const uint8_t *values = tfl_const_data(op, size);
    hw[0] = tfl_load_i32(values);
    hw[1] = tfl_load_i32(values + 4);
    const int32_t n = input->shape[0], c = input->shape[3];
    TFL_CHECK(op, output->rank == 4 && output->shape[0] == n && output->shape[1] == hw[0] && output->shape[2] == hw[1] && output->shape[3] == c,
              "output %t must have shape [%d,%d,%d,%d]", output, n, hw[0], hw[1], c);
    TFL_CHECK(op, output->count == 0 || input->count > 0, "input %t is empty but the output is not", input);
    return 0;
}

/* floorf and ceilf of a float well inside int32's range, without libm. */
static int32_t floor_int(float v)
{
    const int32_t t = (int32_t)v;
    return t - (v < (float)t);
}
static int32_t ceil_int(float v)
{
    const int32_t t = (int32_t)v;
    return t + (v > (float)t);
}

/* nearestSource: TFLM's GetNearestNeighbor, in float32. */
static int32_t nearest_source(int32_t at, int32_t in_size, int32_t out_size, int align_corners, int half_pixel)
{
    const float scale = align_corners && out_size > 1 ? (float)(in_size - 1) / (float)(out_size - 1) : (float)in_size / (float)out_size;
    const float v = ((float)at + (half_pixel ? 0.5f : 0.0f)) * scale;
    /* v >= 0: truncation is floor; TfLiteRound (half away from zero) adds one from a fraction of
     * one half on (the fraction v - t is exact). */
    int32_t source = (int32_t)v;
    if (align_corners && v - (float)source >= 0.5f) source++;
    if (source > in_size - 1) source = in_size - 1;
    return source < 0 ? 0 : source;
}

int tfl_prepare_resize_nearest_neighbor(tfl_op *op)
{
    int32_t hw[2];
    if (check_resize(op, BIT(FLOAT32) | BIT(INT8) | BIT(INT16), "FLOAT32, INT8, INT16", hw)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    const int align_corners = tfl_opt_byte(op, RESIZE_OPT_ALIGN_CORNERS, 0) != 0;
    const int half_pixel = tfl_opt_byte(op, RESIZE_OPT_HALF_PIXEL, 0) != 0;
    const int empty = output->count == 0;
    int32_t *p = tfl_use_body(op, TFL_BODY_resize_nearest_bytes, TFL_RESIZE_NEAREST_TABLE + (empty ? 0 : (uint32_t)(hw[0] + hw[1])));
    if (!p) return 1;
    tfl_param_tensor(op, TFL_RESIZE_NEAREST_INPUT, input);
    tfl_param_tensor(op, TFL_RESIZE_NEAREST_OUTPUT, output);
    if (empty) return 0;
    const int32_t ih = input->shape[1], iw = input->shape[2];
    const int32_t pixel = input->shape[3] * (int32_t)tfl_type_size(input->type);
    p[TFL_RESIZE_NEAREST_PIXEL_BYTES] = pixel;
    p[TFL_RESIZE_NEAREST_ROW_BYTES] = iw * pixel;
    p[TFL_RESIZE_NEAREST_BATCH_BYTES] = ih * iw * pixel;
    p[TFL_RESIZE_NEAREST_BATCHES] = input->shape[0];
    p[TFL_RESIZE_NEAREST_OUTPUT_HEIGHT] = hw[0];
    p[TFL_RESIZE_NEAREST_OUTPUT_WIDTH] = hw[1];
    for (int32_t y = 0; y < hw[0]; y++) p[TFL_RESIZE_NEAREST_TABLE + y] = nearest_source(y, ih, hw[0], align_corners, half_pixel);
    for (int32_t x = 0; x < hw[1]; x++) p[TFL_RESIZE_NEAREST_TABLE + hw[0] + x] = nearest_source(x, iw, hw[1], align_corners, half_pixel);
    return 0;
}

/* bilinearEntry: TFLM's ComputeInterpolationValues (float32) or ComputeInterpolationValuesInteger
 * (int8, scale in 1/1024) for output row or column `at`, into the entry at p[word]. */
static int bilinear_entry(tfl_op *op, int32_t *p, uint32_t word, int32_t at, int32_t in_size, int32_t out_size,
                          int align_corners, int half_pixel, int int8)
{
    const int aligned = align_corners && out_size > 1;
    int32_t lower, upper;
    if (int8) {
        const int32_t scale = aligned ? (1024 * (in_size - 1) + (out_size - 1) / 2) / (out_size - 1) : (1024 * in_size + out_size / 2) / out_size;
        const int32_t v = half_pixel ? at * scale + scale / 2 - 512 : at * scale;
        lower = v / 1024 > 0 ? v / 1024 : 0;
        upper = (v + 1023) / 1024 < in_size - 1 ? (v + 1023) / 1024 : in_size - 1;
        p[word + TFL_RESIZE_BILINEAR_ENTRY_LOWER_WEIGHT] = 1024 - (v - 1024 * lower);
        p[word + TFL_RESIZE_BILINEAR_ENTRY_UPPER_WEIGHT] = v - 1024 * lower;
    } else {
        const float scale = aligned ? (float)(in_size - 1) / (float)(out_size - 1) : (float)in_size / (float)out_size;
        const float v = half_pixel ? ((float)at + 0.5f) * scale - 0.5f : (float)at * scale;
        lower = floor_int(v);
        if (lower < 0) lower = 0;
        upper = ceil_int(v);
        if (upper > in_size - 1) upper = in_size - 1;
        const float upper_weight = v - (float)lower;
        tfl_set_param_float(p, word + TFL_RESIZE_BILINEAR_ENTRY_LOWER_WEIGHT, 1.0f - upper_weight);
        tfl_set_param_float(p, word + TFL_RESIZE_BILINEAR_ENTRY_UPPER_WEIGHT, upper_weight);
    }
    TFL_CHECK(op, lower < in_size, "output row or column %d of %d reads past the input's %d in TFLM", at, out_size, in_size);
    p[word + TFL_RESIZE_BILINEAR_ENTRY_LOWER] = lower;
    p[word + TFL_RESIZE_BILINEAR_ENTRY_UPPER] = upper;
    return 0;
}

int tfl_prepare_resize_bilinear(tfl_op *op)
{
    int32_t hw[2];
    if (check_resize(op, BIT(FLOAT32) | BIT(INT8), "FLOAT32, INT8", hw)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    const int align_corners = tfl_opt_byte(op, BILINEAR_OPT_ALIGN_CORNERS, 0) != 0;
    const int half_pixel = tfl_opt_byte(op, BILINEAR_OPT_HALF_PIXEL, 0) != 0;
    TFL_CHECK(op, !(align_corners && half_pixel), "align_corners and half_pixel_centers cannot both be set (TFLM refuses them)");
    const int empty = output->count == 0, int8 = input->type == TFL_TYPE_INT8;
    int32_t *p = tfl_use_body(op, int8 ? TFL_BODY_resize_bilinear_int8 : TFL_BODY_resize_bilinear_float,
                              TFL_RESIZE_BILINEAR_TABLE + (empty ? 0 : TFL_RESIZE_BILINEAR_ENTRY_WORDS * (uint32_t)(hw[0] + hw[1])));
    if (!p) return 1;
    tfl_param_tensor(op, TFL_RESIZE_BILINEAR_INPUT, input);
    tfl_param_tensor(op, TFL_RESIZE_BILINEAR_OUTPUT, output);
    if (empty) return 0;
    const int32_t ih = input->shape[1], iw = input->shape[2];
    p[TFL_RESIZE_BILINEAR_DEPTH] = input->shape[3];
    p[TFL_RESIZE_BILINEAR_INPUT_HEIGHT] = ih;
    p[TFL_RESIZE_BILINEAR_INPUT_WIDTH] = iw;
    p[TFL_RESIZE_BILINEAR_BATCHES] = input->shape[0];
    p[TFL_RESIZE_BILINEAR_OUTPUT_HEIGHT] = hw[0];
    p[TFL_RESIZE_BILINEAR_OUTPUT_WIDTH] = hw[1];
    for (int32_t y = 0; y < hw[0]; y++)
        if (bilinear_entry(op, p, TFL_RESIZE_BILINEAR_TABLE + TFL_RESIZE_BILINEAR_ENTRY_WORDS * (uint32_t)y, y, ih, hw[0], align_corners, half_pixel, int8))
            return 1;
    for (int32_t x = 0; x < hw[1]; x++)
        if (bilinear_entry(op, p, TFL_RESIZE_BILINEAR_TABLE + TFL_RESIZE_BILINEAR_ENTRY_WORDS * (uint32_t)(hw[0] + x), x, iw, hw[1], align_corners,
                           half_pixel, int8))
            return 1;
    return 0;
}

/* mirrorSource: TFLM's GetInputDimension, the input position of output position `at` along one
 * dimension. */
static int32_t mirror_source(int32_t at, int32_t left, int32_t in_size, int32_t offset)
{
    if (at < left) {
        const int32_t original = left + offset - 1;
        return original - (at < original - offset ? at : original - offset);
    }
    at -= left;
    if (at >= in_size) {
        at -= in_size;
        const int32_t original = in_size - (1 + offset);
        return original - (at < original ? at : original);
    }
    return at;
}

int tfl_prepare_mirror_pad(tfl_op *op)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *paddings = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && paddings && op->input_count == 2 && op->output_count == 1, "needs an input, paddings and one output");
    TFL_CHECK(op, input->type == TFL_TYPE_FLOAT32 || input->type == TFL_TYPE_INT8, "unsupported type %y of %t (TFLM takes FLOAT32, INT8)",
              (int32_t)input->type, input);
    TFL_CHECK(op, output->type == input->type, "%t must have the type of %t", output, input);
    const int32_t rank = input->rank;
    const int wide = paddings->type == TFL_TYPE_INT64;
    TFL_CHECK(op, paddings->is_const && (paddings->type == TFL_TYPE_INT32 || wide) && paddings->rank == 2 && paddings->shape[0] == rank && paddings->shape[1] == 2,
              "the paddings input %t must be a constant INT32 or INT64 tensor of shape [%d,2]", paddings, rank);
    /* TFLM reads INT64 paddings into ints (their low 32 bits). It reflects without the border only
     * for mode REFLECT; without an options table its mode is unknown, which it pads as SYMMETRIC. */
    const uint8_t *pads = tfl_const_data(op, paddings);
    const uint32_t step = wide ? 8 : 4;
    const int32_t offset = op->options && tfl_opt_byte(op, MIRROR_PAD_OPT_MODE, 0) == 0 ? 1 : 0;
    TFL_CHECK(op, output->rank == rank, "output %t must have the rank of %t", output, input);
    for (int32_t d = 0; d < rank; d++) {
        const int64_t expected = (int64_t)input->shape[d] + tfl_load_i32(pads + step * (uint32_t)(2 * d)) + tfl_load_i32(pads + step * (uint32_t)(2 * d + 1));
        TFL_CHECK(op, output->shape[d] == expected, "output %t must have size %f in dimension %d (the input's plus the paddings)", output, (double)expected, d);
    }
    uint32_t words = TFL_MIRROR_PAD_DIMS;
    if (output->count > 0)
        for (int32_t d = 0; d < rank; d++) words += 2 + (uint32_t)output->shape[d];
    int32_t *p = tfl_use_body(op, TFL_BODY_mirror_pad_bytes, words);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_MIRROR_PAD_INPUT, input);
    tfl_param_tensor(op, TFL_MIRROR_PAD_OUTPUT, output);
    p[TFL_MIRROR_PAD_ELEMENT_SIZE] = (int32_t)tfl_type_size(input->type);
    if (output->count == 0) return 0;
    p[TFL_MIRROR_PAD_COUNT] = (int32_t)output->count;
    p[TFL_MIRROR_PAD_RANK] = rank;
    int32_t stride = 1;
    for (int32_t d = rank - 1; d >= 0; d--) {
        p[TFL_MIRROR_PAD_DIMS + 2 * d] = output->shape[d];
        p[TFL_MIRROR_PAD_DIMS + 2 * d + 1] = stride;
        stride *= input->shape[d];
    }
    int32_t w = TFL_MIRROR_PAD_DIMS + 2 * rank;
    for (int32_t d = 0; d < rank; d++) {
        const int32_t left = tfl_load_i32(pads + step * (uint32_t)(2 * d)), right = tfl_load_i32(pads + step * (uint32_t)(2 * d + 1));
        for (int32_t i = 0; i < output->shape[d]; i++) {
            const int32_t source = mirror_source(i, left, input->shape[d], offset);
            TFL_CHECK(op, source >= 0 && source < input->shape[d], "paddings [%d,%d] reach outside dimension %d of %t (TFLM reads outside it)", left, right,
                      d, input);
            p[w++] = source;
        }
    }
    return 0;
}

/* prepareSpaceBatch: SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND (kernel_resize.ts). */
static int prepare_space_batch(tfl_op *op, int32_t body, const char *what)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *block = tfl_input(op, 1), *edges = tfl_input(op, 2), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && block && edges && op->input_count == 3 && op->output_count == 1, "needs an input, a block shape, %s and one output", what);
    const int32_t rank = input->rank;
    TFL_CHECK(op, rank >= 3 && rank <= 4 && output->rank == rank, "the input and the output must both be 3-D or both 4-D, not %t and %t", input, output);
    TFL_CHECK(op, input->type == TFL_TYPE_FLOAT32 || input->type == TFL_TYPE_INT8, "unsupported type %y of %t (TFLM takes FLOAT32, INT8)", (int32_t)input->type,
              input);
    TFL_CHECK(op, output->type == input->type, "%t must have the type of %t", output, input);
    /* TFLM copies the input's depth into each output position at the output's stride: a shallower output is overrun. */
    TFL_CHECK(op, output->shape[rank - 1] == input->shape[rank - 1], "%t must have the depth of %t", output, input);
    const int32_t spatial = rank - 2;
    TFL_CHECK(op, block->is_const && block->type == TFL_TYPE_INT32 && block->rank == 1 && block->shape[0] == spatial,
              "the block shape input %t must be a constant INT32 tensor of shape [%d]", block, spatial);
    TFL_CHECK(op, edges->is_const && edges->type == TFL_TYPE_INT32 && edges->rank == 2 && edges->shape[0] == spatial && edges->shape[1] == 2,
              "the %s input %t must be a constant INT32 tensor of shape [%d,2]", what, edges, spatial);
    const uint8_t *b = tfl_const_data(op, block), *e = tfl_const_data(op, edges);
    const int32_t bh = tfl_load_i32(b), bw = rank == 4 ? tfl_load_i32(b + 4) : 1;
    TFL_CHECK(op, bh > 0 && bw > 0, "the block shape's values must be positive (TFLM divides by them)");
    /* The bodies' positions (row times block, plus a batch's shift, minus the edge) are int32 as in
     * TFLM; the bound takes every loop count at its largest. */
    const tfl_tensor_info *rows = body == TFL_BODY_batch_to_space_nd_bytes ? input : output;
    const int32_t top = tfl_load_i32(e), left = rank == 4 ? tfl_load_i32(e + 8) : 0;
    const int64_t reach_h = (int64_t)rows->shape[1] * bh + rows->shape[0] + (top < 0 ? -(int64_t)top : top);
    const int64_t reach_w = (int64_t)(rank == 4 ? rows->shape[2] : 1) * bw + rows->shape[0] + (left < 0 ? -(int64_t)left : left);
    TFL_CHECK(op, output->count == 0 || (reach_h < 2147483648LL && reach_w < 2147483648LL),
              "the block shape and %s reach positions past 2^31 (TFLM's int arithmetic overflows)", what);
    TFL_CHECK(op, output->count == 0 || input->count > 0, "input %t is empty but the output is not", input);
    int32_t *p = tfl_use_body(op, body, TFL_SPACE_BATCH_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_SPACE_BATCH_INPUT, input);
    tfl_param_tensor(op, TFL_SPACE_BATCH_OUTPUT, output);
    if (output->count == 0) return 0;
    p[TFL_SPACE_BATCH_PIXEL_BYTES] = input->shape[rank - 1] * (int32_t)tfl_type_size(input->type);
    p[TFL_SPACE_BATCH_INPUT_BATCH] = input->shape[0];
    p[TFL_SPACE_BATCH_INPUT_HEIGHT] = input->shape[1];
    p[TFL_SPACE_BATCH_INPUT_WIDTH] = rank == 4 ? input->shape[2] : 1;
    p[TFL_SPACE_BATCH_OUTPUT_BATCH] = output->shape[0];
    p[TFL_SPACE_BATCH_OUTPUT_HEIGHT] = output->shape[1];
    p[TFL_SPACE_BATCH_OUTPUT_WIDTH] = rank == 4 ? output->shape[2] : 1;
    p[TFL_SPACE_BATCH_BLOCK_HEIGHT] = bh;
    p[TFL_SPACE_BATCH_BLOCK_WIDTH] = bw;
    p[TFL_SPACE_BATCH_TOP] = top;
    p[TFL_SPACE_BATCH_LEFT] = left;
    return 0;
}

int tfl_prepare_space_to_batch_nd(tfl_op *op) { return prepare_space_batch(op, TFL_BODY_space_to_batch_nd_bytes, "paddings"); }
int tfl_prepare_batch_to_space_nd(tfl_op *op) { return prepare_space_batch(op, TFL_BODY_batch_to_space_nd_bytes, "crops"); }

/* prepareEmbeddingLookup (kernel_resize.ts). */
int tfl_prepare_embedding_lookup(tfl_op *op)
{
    const tfl_tensor_info *lookups = tfl_input(op, 0), *values = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, lookups && values && op->input_count == 2 && op->output_count == 1, "needs lookups, a value tensor and one output");
    TFL_CHECK(op, lookups->rank == 1 && lookups->type == TFL_TYPE_INT32, "the lookups input %t must be 1-D INT32", lookups);
    TFL_CHECK(op, values->rank >= 2 && (values->type == TFL_TYPE_FLOAT32 || values->type == TFL_TYPE_INT8),
              "the value input %t must be FLOAT32 or INT8 with 2 or more dimensions", values);
    TFL_CHECK(op, output->type == TFL_TYPE_FLOAT32 || (values->type == TFL_TYPE_INT8 && output->type == TFL_TYPE_INT8),
              "output %t must be FLOAT32, or INT8 for INT8 values", output);
    int same = output->rank == values->rank && output->shape[0] == lookups->shape[0];
    for (int32_t d = 1; same && d < values->rank; d++) same = output->shape[d] == values->shape[d];
    TFL_CHECK(op, same, "output %t must have the lookups' count and the value input's other dimensions", output);
    const int hybrid = values->type == TFL_TYPE_INT8 && output->type == TFL_TYPE_FLOAT32;
    if (hybrid) TFL_CHECK(op, values->zero_point == 0, "the value input %t must have zero point 0 to be dequantized (TFLM requires it)", values);
    int32_t *p = tfl_use_body(op, hybrid ? TFL_BODY_embedding_lookup_hybrid : TFL_BODY_embedding_lookup_bytes, TFL_EMBEDDING_LOOKUP_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_EMBEDDING_LOOKUP_LOOKUPS, lookups);
    tfl_param_tensor(op, TFL_EMBEDDING_LOOKUP_VALUES, values);
    tfl_param_tensor(op, TFL_EMBEDDING_LOOKUP_OUTPUT, output);
    const int32_t rows = values->shape[0], columns = rows > 0 ? (int32_t)values->count / rows : 0;
    p[TFL_EMBEDDING_LOOKUP_ROWS] = rows;
    p[TFL_EMBEDDING_LOOKUP_COUNT] = lookups->shape[0];
    p[TFL_EMBEDDING_LOOKUP_COLUMNS] = columns;
    p[TFL_EMBEDDING_LOOKUP_ROW_BYTES] = columns * (int32_t)tfl_type_size(values->type);
    if (hybrid) tfl_set_param_float(p, TFL_EMBEDDING_LOOKUP_SCALE, values->scale);
    return 0;
}

/* prepareBroadcastArgs (kernel_resize.ts). */
int tfl_prepare_broadcast_args(tfl_op *op)
{
    const tfl_tensor_info *shape1 = tfl_input(op, 0), *shape2 = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, shape1 && shape2 && op->input_count == 2 && op->output_count == 1, "needs two shapes and one output");
    TFL_CHECK(op, shape1->type == TFL_TYPE_INT32 || shape1->type == TFL_TYPE_INT64, "unsupported type %y of %t (TFLM takes INT32, INT64)", (int32_t)shape1->type,
              shape1);
    TFL_CHECK(op, shape2->type == shape1->type && output->type == shape1->type, "the shapes and the output must have one type, not %t, %t and %t", shape1,
              shape2, output);
    TFL_CHECK(op, shape1->rank == 1 && shape2->rank == 1 && output->rank == 1, "the shapes and the output must be 1-D, not %t, %t and %t", shape1, shape2,
              output);
    int32_t *p = tfl_use_body(op, TFL_BODY_broadcast_args_ints, TFL_BROADCAST_ARGS_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_BROADCAST_ARGS_SHAPE1, shape1);
    tfl_param_tensor(op, TFL_BROADCAST_ARGS_SHAPE2, shape2);
    tfl_param_tensor(op, TFL_BROADCAST_ARGS_OUTPUT, output);
    p[TFL_BROADCAST_ARGS_ELEMENT_SIZE] = (int32_t)tfl_type_size(shape1->type);
    p[TFL_BROADCAST_ARGS_COUNT1] = shape1->shape[0];
    p[TFL_BROADCAST_ARGS_COUNT2] = shape2->shape[0];
    p[TFL_BROADCAST_ARGS_OUTPUT_COUNT] = output->shape[0];
    return 0;
}
