/* CIRCULAR_BUFFER (TFLM's custom op for strided streaming convolutions; in the board's all-ops
 * build only). Parameter block: enum tfl_circular_buffer (libs/tflite/kernel_circular_buffer.ts,
 * where the op is explained). */
/* Small beats fast here: only the all-ops build has it. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"
#include "loader.h"

/* Set by a body that stops the current invoke, as TFLM's kTfLiteAbort: tfl_run_ops runs no
 * further op, tfl_invoke clears it and returns 0. */
uint8_t tfl_invoke_stopped;

/* The output keeps its last (slots - 1) inputs, shifted down by one, and gets the new one at the
 * end (the first batch only, as TFLM); the op is due when cycles_max invokes have passed since it
 * last was, otherwise it stops the invoke. */
void tflite_circular_buffer_int8(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *input = tfl_tensor(p, TFL_CIRCULAR_BUFFER_INPUT, model, arena);
    uint8_t *output = tfl_output(p, TFL_CIRCULAR_BUFFER_OUTPUT, arena);
    const int32_t depth = p[TFL_CIRCULAR_BUFFER_DEPTH];
    const int32_t kept = (p[TFL_CIRCULAR_BUFFER_SLOTS] - 1) * depth;
    /* Ascending: each byte is read before the byte depth places below it is written (memmove's
     * job, without needing it from libc). */
    for (int32_t i = 0; i < kept; i++) output[i] = output[depth + i];
    memcpy(output + kept, input, (uint32_t)depth);
    uint8_t *state = arena + p[TFL_CIRCULAR_BUFFER_STATE];
    const int32_t count = tfl_load_i32(state) + 1;
    if (count == p[TFL_CIRCULAR_BUFFER_CYCLES_MAX]) {
        tfl_store_i32(state, 0);
    } else {
        tfl_store_i32(state, count);
        tfl_invoke_stopped = 1;
    }
}
