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

/* Copies record r's bytes from the tensor at word `from` to the one at word `to` (both in the record). */
static void copy_record(const int32_t *p, const uint8_t *model, uint8_t *arena, int32_t r, int32_t from, int32_t to)
{
    memcpy(arena + p[r + to + 1], tfl_tensor(p, r + from, model, arena), (uint32_t)p[r + TFL_IF_RECORD_BYTES]);
}

void tflite_if_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    int cond = tfl_tensor(p, TFL_IF_COND, model, arena)[0] != 0;
    int32_t branch = cond ? TFL_IF_RECORD_THEN : TFL_IF_RECORD_ELSE;
    int32_t n = p[TFL_IF_INPUT_COUNT], m = p[TFL_IF_OUTPUT_COUNT];
    for (int32_t i = 0; i < n; i++) copy_record(p, model, arena, TFL_IF_RECORDS + TFL_IF_RECORD_WORDS * i, TFL_IF_RECORD_OP, branch);
#if TINYML_ALL_OPS
    tfl_run_ops((uint8_t *)p - p[TFL_IF_SELF], model, arena, p[cond ? TFL_IF_THEN_FIRST_OP : TFL_IF_ELSE_FIRST_OP],
                p[cond ? TFL_IF_THEN_OP_COUNT : TFL_IF_ELSE_OP_COUNT]);
#endif
    for (int32_t i = n; i < n + m; i++) copy_record(p, model, arena, TFL_IF_RECORDS + TFL_IF_RECORD_WORDS * i, branch, TFL_IF_RECORD_OP);
}

#if TINYML_ALL_OPS
/* Copies every record's bytes from the tensor at word `from` to the one at word `to` (TFLM skips a tensor copied to itself). */
static void copy_while_records(const int32_t *p, const uint8_t *model, uint8_t *arena, int32_t from, int32_t to)
{
    for (int32_t i = 0; i < p[TFL_WHILE_COUNT]; i++) {
        int32_t r = TFL_WHILE_RECORDS + TFL_WHILE_RECORD_WORDS * i;
        const uint8_t *src = tfl_tensor(p, r + from, model, arena);
        uint8_t *dst = arena + p[r + to + 1];
        if (src != dst) memcpy(dst, src, (uint32_t)p[r + TFL_WHILE_RECORD_BYTES]);
    }
}

/* Runs the cond subgraph; whether it ran to the end and its output is true. */
static int while_cond_holds(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    tfl_run_ops((uint8_t *)p - p[TFL_WHILE_SELF], model, arena, p[TFL_WHILE_COND_FIRST_OP], p[TFL_WHILE_COND_OP_COUNT]);
    return !tfl_invoke_stopped && tfl_tensor(p, TFL_WHILE_COND_OUTPUT, model, arena)[0] != 0;
}

/* kernel_control.ts whileBytes, where the turn bound is explained. */
void tflite_while_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    copy_while_records(p, model, arena, TFL_WHILE_RECORD_INPUT, TFL_WHILE_RECORD_COND_INPUT);
    copy_while_records(p, model, arena, TFL_WHILE_RECORD_INPUT, TFL_WHILE_RECORD_OUTPUT);
    for (int32_t turns = 0; while_cond_holds(p, model, arena); turns++) {
        if (turns == TFL_CONST_MAX_WHILE_TURNS) {
            tfl_invoke_stopped = 1;
            return;
        }
        copy_while_records(p, model, arena, TFL_WHILE_RECORD_OUTPUT, TFL_WHILE_RECORD_BODY_INPUT);
        tfl_run_ops((uint8_t *)p - p[TFL_WHILE_SELF], model, arena, p[TFL_WHILE_BODY_FIRST_OP], p[TFL_WHILE_BODY_OP_COUNT]);
        if (tfl_invoke_stopped) return;
        copy_while_records(p, model, arena, TFL_WHILE_RECORD_BODY_OUTPUT, TFL_WHILE_RECORD_OUTPUT);
        copy_while_records(p, model, arena, TFL_WHILE_RECORD_OUTPUT, TFL_WHILE_RECORD_COND_INPUT);
    }
}
#else
/* Never chosen: the default build refuses a model of several subgraphs. */
void tflite_while_bytes(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    (void)p, (void)model, (void)arena;
}
#endif

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
