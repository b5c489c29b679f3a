/* Data movement bodies (kernel_move.ts): the strided copies of SLICE, SPLIT, SPLIT_V, PACK, UNPACK,
 * REVERSE_V2, BROADCAST_TO, DEPTH_TO_SPACE and SPACE_TO_DEPTH (one function under nine names),
 * SLICE with begin and REVERSE_V2 with axes read at invoke, SHAPE, GATHER and GATHER_ND. Parameter
 * blocks: enum tfl_move, tfl_move_piece, tfl_slice_dynamic, tfl_reverse_dynamic, tfl_shape,
 * tfl_gather, tfl_gather_nd. None of them is in the board's default build. */
/* Small beats fast here: only the all-ops build has them (before the includes, so that the inline
 * helpers they use are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"

/* The piece at word w: its counters' (count, input stride, output stride) triples, outermost
 * first, in elements, from input element `start`; ElementSize bytes move per element. */
static void copy_piece(int32_t *p, int w, int32_t start, const uint8_t *model, uint8_t *arena)
{
    const int32_t size = p[TFL_MOVE_ELEMENT_SIZE];
    const uint8_t *input = tfl_tensor(p, w + TFL_MOVE_PIECE_INPUT, model, arena) + size * start;
    uint8_t *output = tfl_output(p, w + TFL_MOVE_PIECE_OUTPUT, arena) + size * p[w + TFL_MOVE_PIECE_OUTPUT_START];
    const int32_t *d = p + w + TFL_MOVE_PIECE_DIMS;
    for (int32_t a = 0; a < d[0]; a++)
        for (int32_t b = 0; b < d[3]; b++)
            for (int32_t c = 0; c < d[6]; c++)
                for (int32_t e = 0; e < d[9]; e++) {
                    const uint8_t *from = input + size * (a * d[1] + b * d[4] + c * d[7] + e * d[10]);
                    uint8_t *to = output + size * (a * d[2] + b * d[5] + c * d[8] + e * d[11]);
                    for (int32_t f = 0; f < d[12]; f++) {
                        memcpy(to, from, (uint32_t)size);
                        from += size * d[13];
                        to += size * d[14];
                    }
                }
}

static void move_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    for (int32_t k = 0; k < p[TFL_MOVE_PIECE_COUNT]; k++) {
        const int w = TFL_MOVE_PIECES + TFL_MOVE_PIECE_WORDS * k;
        copy_piece(p, w, p[w + TFL_MOVE_PIECE_INPUT_START], model, arena);
    }
}

/* SLICE with begin read now: the block's start, or zeros when the block leaves the input. */
void tflite_slice_dynamic_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const int32_t bytes = p[TFL_SLICE_DYNAMIC_OUTPUT_BYTES];
    if (bytes == 0) return;
    const uint8_t *begin = tfl_tensor(p, TFL_SLICE_DYNAMIC_BEGIN, model, arena);
    const int32_t step = p[TFL_SLICE_DYNAMIC_BEGIN_STEP];
    int32_t start = 0;
    int inside = 1;
    for (int32_t d = 0; d < p[TFL_SLICE_DYNAMIC_RANK]; d++) {
        const int32_t b = tfl_load_i32(begin + step * d);
        const int32_t *t = p + TFL_SLICE_DYNAMIC_DIMS + 3 * d;
        if (b < 0 || b > t[0] - t[2]) inside = 0;
        else start += b * t[1];
    }
    if (inside) copy_piece(p, TFL_MOVE_PIECES, start, model, arena);
    else memset(tfl_output(p, TFL_MOVE_PIECES + TFL_MOVE_PIECE_OUTPUT, arena), 0, (uint32_t)bytes);
}

void tflite_slice_bytes(int32_t *p, const uint8_t *model, uint8_t *arena) { move_bytes(p, model, arena); }
void tflite_split_bytes(int32_t *p, const uint8_t *model, uint8_t *arena) { move_bytes(p, model, arena); }
void tflite_split_v_bytes(int32_t *p, const uint8_t *model, uint8_t *arena) { move_bytes(p, model, arena); }
void tflite_pack_bytes(int32_t *p, const uint8_t *model, uint8_t *arena) { move_bytes(p, model, arena); }
void tflite_unpack_bytes(int32_t *p, const uint8_t *model, uint8_t *arena) { move_bytes(p, model, arena); }
void tflite_reverse_v2_bytes(int32_t *p, const uint8_t *model, uint8_t *arena) { move_bytes(p, model, arena); }
void tflite_broadcast_to_bytes(int32_t *p, const uint8_t *model, uint8_t *arena) { move_bytes(p, model, arena); }
void tflite_depth_to_space_bytes(int32_t *p, const uint8_t *model, uint8_t *arena) { move_bytes(p, model, arena); }
void tflite_space_to_depth_bytes(int32_t *p, const uint8_t *model, uint8_t *arena) { move_bytes(p, model, arena); }

/* REVERSE_V2 with the axes read now; zeros for axes TFLM would fail the invoke on. */
void tflite_reverse_v2_dynamic_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    enum { DIMS = TFL_CONST_REVERSE_MAX_DIMS };
    const uint8_t *input = tfl_tensor(p, TFL_REVERSE_DYNAMIC_INPUT, model, arena);
    uint8_t *to = tfl_output(p, TFL_REVERSE_DYNAMIC_OUTPUT, arena);
    const uint8_t *axes = tfl_tensor(p, TFL_REVERSE_DYNAMIC_AXES, model, arena);
    const int32_t size = p[TFL_REVERSE_DYNAMIC_ELEMENT_SIZE], rank = p[TFL_REVERSE_DYNAMIC_RANK], n = p[TFL_REVERSE_DYNAMIC_AXIS_COUNT];
    /* DIMS dimensions, 1s in front: sizes, and input steps in bytes (negative where reversed). */
    int32_t sizes[DIMS], steps[DIMS];
    uint8_t reversed[DIMS] = {0};
    for (int32_t d = 0; d < DIMS; d++) sizes[d] = d < DIMS - rank ? 1 : p[TFL_REVERSE_DYNAMIC_DIMS + d - (DIMS - rank)];
    int ok = 1;
    int32_t lo = DIMS, hi = -1;
    for (int32_t i = 0; i < n; i++) {
        int32_t axis = tfl_load_i32(axes + 4 * i);
        if (axis < 0) axis += rank;
        if (axis < 0 || axis >= rank || reversed[axis + DIMS - rank]) ok = 0;
        else {
            const int32_t d = axis + DIMS - rank;
            reversed[d] = 1;
            if (d < lo) lo = d;
            if (d > hi) hi = d;
        }
    }
    if (hi - lo + 1 != n) ok = 0;
    int32_t count = 1, last = 0;
    for (int32_t d = DIMS - 1; d >= 0; d--) {
        steps[d] = reversed[d] ? -count * size : count * size;
        if (reversed[d]) last += (sizes[d] - 1) * count * size;
        count *= sizes[d];
    }
    if (!ok) {
        memset(to, 0, (uint32_t)(count * size));
        return;
    }
    /* The walk starts at the input's last element along the reversed axes. */
    if (count) input += last;
    for (int32_t a = 0; a < sizes[0]; a++)
        for (int32_t b = 0; b < sizes[1]; b++)
            for (int32_t c = 0; c < sizes[2]; c++)
                for (int32_t e = 0; e < sizes[3]; e++)
                    for (int32_t f = 0; f < sizes[4]; f++) {
                        const uint8_t *from = input + a * steps[0] + b * steps[1] + c * steps[2] + e * steps[3] + f * steps[4];
                        for (int32_t g = 0; g < sizes[5]; g++) {
                            memcpy(to, from, (uint32_t)size);
                            from += steps[5];
                            to += size;
                        }
                    }
}

/* SHAPE: the dimensions prepare wrote into the block. */
void tflite_shape_int32(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    (void)model;
    uint8_t *output = tfl_output(p, TFL_SHAPE_OUTPUT, arena);
    for (int32_t i = 0; i < p[TFL_SHAPE_RANK]; i++) tfl_store_i32(output + 4 * i, p[TFL_SHAPE_DIMS + i]);
}

/* GATHER: a run of InnerCount elements per position; positions outside the axis give zeros. */
void tflite_gather_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_GATHER_INPUT, model, arena);
    const uint8_t *positions = tfl_tensor(p, TFL_GATHER_POSITIONS, model, arena);
    uint8_t *to = tfl_output(p, TFL_GATHER_OUTPUT, arena);
    const int32_t batches = p[TFL_GATHER_BATCH_COUNT], outers = p[TFL_GATHER_OUTER_COUNT];
    const int32_t run = p[TFL_GATHER_ELEMENT_SIZE] * p[TFL_GATHER_INNER_COUNT];
    const int32_t axis_size = p[TFL_GATHER_AXIS_SIZE], count = p[TFL_GATHER_POSITION_COUNT];
    for (int32_t batch = 0; batch < batches; batch++)
        for (int32_t outer = 0; outer < outers; outer++)
            for (int32_t i = 0; i < count; i++) {
                const int32_t position = tfl_load_i32(positions + 4 * (batch * count + i));
                if (position >= 0 && position < axis_size)
                    memcpy(to, input + ((batch * outers + outer) * axis_size + position) * run, (uint32_t)run);
                else memset(to, 0, (uint32_t)run);
                to += run;
            }
}

/* GATHER_ND: TFLM's flat position of each index tuple (int sums, wrapping here as uint32); a slice
 * starting outside the input gives zeros. */
void tflite_gather_nd_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_GATHER_ND_INPUT, model, arena);
    const uint8_t *indices = tfl_tensor(p, TFL_GATHER_ND_INDICES, model, arena);
    uint8_t *to = tfl_output(p, TFL_GATHER_ND_OUTPUT, arena);
    const int32_t size = p[TFL_GATHER_ND_ELEMENT_SIZE], slices = p[TFL_GATHER_ND_SLICE_COUNT];
    const int32_t slice_size = p[TFL_GATHER_ND_SLICE_SIZE], depth = p[TFL_GATHER_ND_INDEX_DEPTH];
    const int32_t count = p[TFL_GATHER_ND_INPUT_COUNT], run = size * slice_size;
    for (int32_t i = 0; i < slices; i++) {
        uint32_t from = 0;
        for (int32_t j = 0; j < depth; j++)
            from += tfl_load_u32(indices + 4 * (i * depth + j)) * (uint32_t)p[TFL_GATHER_ND_STEPS + j];
        if ((int32_t)from >= 0 && (int32_t)from <= count - slice_size) memcpy(to, input + size * (int32_t)from, (uint32_t)run);
        else memset(to, 0, (uint32_t)run);
        to += run;
    }
}
