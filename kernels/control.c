/* CALL_ONCE's and the resource variables' bodies (kernel_control.ts, where TFLM's behaviour is
 * explained). Parameter blocks: enum tfl_call_once, tfl_var_handle, tfl_variable. None is in the
 * board's default build. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include <string.h>
#include "kernel_util.h"
#include "loader.h"

void tflite_call_once(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    uint8_t *has_run = arena + p[TFL_CALL_ONCE_HAS_RUN];
    if (tfl_load_i32(has_run)) return;
#if TINYML_ALL_OPS
    /* The block lies in the loader's state, Self bytes from its start (tfl_write_state). */
    tfl_run_ops((uint8_t *)p - p[TFL_CALL_ONCE_SELF], model, arena, p[TFL_CALL_ONCE_FIRST_OP], p[TFL_CALL_ONCE_OP_COUNT]);
#else
    (void)model;
#endif
    tfl_store_i32(has_run, 1);
}

void tflite_var_handle_int32(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    (void)model;
    tfl_store_i32(tfl_output(p, TFL_VAR_HANDLE_OUTPUT, arena), p[TFL_VAR_HANDLE_RESOURCE_ID]);
}

void tflite_read_variable_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    (void)model;
    memcpy(tfl_output(p, TFL_VARIABLE_VALUE, arena), arena + p[TFL_VARIABLE_RESOURCE], (uint32_t)p[TFL_VARIABLE_BYTES]);
}

void tflite_assign_variable_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    memcpy(arena + p[TFL_VARIABLE_RESOURCE], tfl_tensor(p, TFL_VARIABLE_VALUE, model, arena), (uint32_t)p[TFL_VARIABLE_BYTES]);
}
