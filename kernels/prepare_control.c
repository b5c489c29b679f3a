/* CALL_ONCE's and the resource variables' prepare (kernel_control.ts, whose checks and messages
 * these are). Only in builds with several subgraphs (TINYML_ALL_OPS): the default build refuses a
 * model of several subgraphs before preparing, and its tfl_find_prepare leaves these ops out. */
#include "prepare.h"

#if TINYML_ALL_OPS

enum { CALL_ONCE_INIT_SUBGRAPH_INDEX = 0 };
enum { VAR_HANDLE_CONTAINER = 0, VAR_HANDLE_SHARED_NAME = 1 };
enum { IF_THEN_SUBGRAPH_INDEX = 0, IF_ELSE_SUBGRAPH_INDEX = 1 };
enum { WHILE_COND_SUBGRAPH_INDEX = 0, WHILE_BODY_SUBGRAPH_INDEX = 1 };

/* Whether the model's bytes at a and at b, n of each, are equal (no libc but memcpy and memset). */
static int same_bytes(const uint8_t *model, uint32_t a, uint32_t b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (model[a + i] != model[b + i]) return 0;
    return 1;
}

/* The subgraph an op calls, checked: in the model, and not the op's own (which would never end). */
static const tfl_subgraph *called_subgraph(tfl_op *op, int32_t index, const char *what)
{
    const tfl_loader *l = op->loader;
    if (index < 0 || (uint32_t)index >= l->subgraph_count) {
        tfl_op_fail(op, "%s %d is not a subgraph of the model's %d", what, index, (int32_t)l->subgraph_count);
        return 0;
    }
    if (index == op->subgraph) {
        tfl_op_fail(op, "%s %d is the op's own subgraph", what, index);
        return 0;
    }
    return &l->subgraphs[index];
}

int tfl_prepare_call_once(tfl_op *op)
{
    TFL_CHECK(op, op->input_count == 0 && op->output_count == 0, "takes no inputs and no outputs");
    const tfl_subgraph *init = called_subgraph(op, tfl_opt_int(op, CALL_ONCE_INIT_SUBGRAPH_INDEX, 0), "init subgraph");
    if (!init) return 1;
    int32_t *p = tfl_choose_body(op, TFL_BODY_call_once, TFL_CALL_ONCE_WORDS);
    if (!p) return 1;
    tfl_param_persistent(op, TFL_CALL_ONCE_HAS_RUN, 4);
    p[TFL_CALL_ONCE_FIRST_OP] = (int32_t)init->first_op;
    p[TFL_CALL_ONCE_OP_COUNT] = (int32_t)init->op_count;
    tfl_param_self(op, TFL_CALL_ONCE_SELF);
    return 0;
}

/* Whether an op's tensors and a subgraph's match in number and, one by one, in bytes (TFLM fails the invoke else). */
static int check_branch_tensors(tfl_op *op, tfl_tensor_info *const *ours, uint32_t count, const tfl_subgraph *sub,
                                const int32_t *theirs, uint32_t their_count, int32_t index, const char *what)
{
    TFL_CHECK(op, count == their_count, "has %d %ss, subgraph %d %d", (int32_t)count, what, index, (int32_t)their_count);
    const tfl_tensor_info *tensors = op->loader->tensors + sub->tensor_base;
    for (uint32_t i = 0; i < count; i++)
        TFL_CHECK(op, ours[i]->bytes == tensors[theirs[i]].bytes, "%s %t and subgraph %d's %t differ in size", what, ours[i], index,
                  &tensors[theirs[i]]);
    return 0;
}

int tfl_prepare_if(tfl_op *op)
{
    TFL_CHECK(op, op->input_count > 0 && op->inputs[0], "needs the condition");
    const tfl_tensor_info *cond = op->inputs[0];
    TFL_CHECK(op, cond->type == TFL_TYPE_BOOL && cond->count == 1, "the condition must be one BOOL, not %t", cond);
    int32_t then_index = tfl_opt_int(op, IF_THEN_SUBGRAPH_INDEX, 0), else_index = tfl_opt_int(op, IF_ELSE_SUBGRAPH_INDEX, 0);
    const tfl_subgraph *then_sub = called_subgraph(op, then_index, "then subgraph");
    if (!then_sub) return 1;
    const tfl_subgraph *else_sub = called_subgraph(op, else_index, "else subgraph");
    if (!else_sub) return 1;
    for (uint32_t i = 1; i < op->input_count; i++) TFL_CHECK(op, op->inputs[i], "input %d is missing", (int32_t)i);
    uint32_t n = op->input_count - 1, m = op->output_count;
    if (check_branch_tensors(op, op->inputs + 1, n, then_sub, then_sub->inputs, then_sub->input_count, then_index, "input") ||
        check_branch_tensors(op, op->outputs, m, then_sub, then_sub->outputs, then_sub->output_count, then_index, "output") ||
        check_branch_tensors(op, op->inputs + 1, n, else_sub, else_sub->inputs, else_sub->input_count, else_index, "input") ||
        check_branch_tensors(op, op->outputs, m, else_sub, else_sub->outputs, else_sub->output_count, else_index, "output"))
        return 1;
    int32_t *p = tfl_choose_body(op, TFL_BODY_if_bytes, TFL_IF_RECORDS + TFL_IF_RECORD_WORDS * (n + m));
    if (!p) return 1;
    tfl_param_tensor(op, TFL_IF_COND, cond);
    p[TFL_IF_THEN_FIRST_OP] = (int32_t)then_sub->first_op;
    p[TFL_IF_THEN_OP_COUNT] = (int32_t)then_sub->op_count;
    p[TFL_IF_ELSE_FIRST_OP] = (int32_t)else_sub->first_op;
    p[TFL_IF_ELSE_OP_COUNT] = (int32_t)else_sub->op_count;
    tfl_param_self(op, TFL_IF_SELF);
    p[TFL_IF_INPUT_COUNT] = (int32_t)n;
    p[TFL_IF_OUTPUT_COUNT] = (int32_t)m;
    const tfl_tensor_info *then_tensors = op->loader->tensors + then_sub->tensor_base;
    const tfl_tensor_info *else_tensors = op->loader->tensors + else_sub->tensor_base;
    for (uint32_t i = 0; i < n + m; i++) {
        uint32_t r = TFL_IF_RECORDS + TFL_IF_RECORD_WORDS * i;
        const tfl_tensor_info *ours = i < n ? op->inputs[1 + i] : op->outputs[i - n];
        tfl_param_tensor(op, r + TFL_IF_RECORD_OP, ours);
        tfl_param_tensor(op, r + TFL_IF_RECORD_THEN, &then_tensors[i < n ? then_sub->inputs[i] : then_sub->outputs[i - n]]);
        tfl_param_tensor(op, r + TFL_IF_RECORD_ELSE, &else_tensors[i < n ? else_sub->inputs[i] : else_sub->outputs[i - n]]);
        p[r + TFL_IF_RECORD_BYTES] = (int32_t)ours->bytes;
    }
    return 0;
}

int tfl_prepare_while(tfl_op *op)
{
    int32_t cond_index = tfl_opt_int(op, WHILE_COND_SUBGRAPH_INDEX, 0), body_index = tfl_opt_int(op, WHILE_BODY_SUBGRAPH_INDEX, 0);
    const tfl_subgraph *cond_sub = called_subgraph(op, cond_index, "cond subgraph");
    if (!cond_sub) return 1;
    const tfl_subgraph *body_sub = called_subgraph(op, body_index, "body subgraph");
    if (!body_sub) return 1;
    for (uint32_t i = 0; i < op->input_count; i++) TFL_CHECK(op, op->inputs[i], "input %d is missing", (int32_t)i);
    uint32_t n = op->input_count;
    if (check_branch_tensors(op, op->inputs, n, cond_sub, cond_sub->inputs, cond_sub->input_count, cond_index, "input") ||
        check_branch_tensors(op, op->inputs, n, body_sub, body_sub->inputs, body_sub->input_count, body_index, "input") ||
        check_branch_tensors(op, op->outputs, op->output_count, body_sub, body_sub->outputs, body_sub->output_count, body_index, "output"))
        return 1;
    TFL_CHECK(op, op->output_count == n, "has %d inputs and %d outputs (a WHILE has as many of each)", (int32_t)n, (int32_t)op->output_count);
    for (uint32_t i = 0; i < n; i++)
        TFL_CHECK(op, op->inputs[i]->bytes == op->outputs[i]->bytes, "input %t and output %t differ in size", op->inputs[i], op->outputs[i]);
    TFL_CHECK(op, cond_sub->output_count > 0, "cond subgraph %d has no output", cond_index);
    const tfl_tensor_info *cond_tensors = op->loader->tensors + cond_sub->tensor_base;
    const tfl_tensor_info *body_tensors = op->loader->tensors + body_sub->tensor_base;
    const tfl_tensor_info *cond_output = &cond_tensors[cond_sub->outputs[0]];
    TFL_CHECK(op, cond_output->type == TFL_TYPE_BOOL && cond_output->count == 1, "cond subgraph %d's output must be one BOOL, not %t",
              cond_index, cond_output);
    int32_t *p = tfl_choose_body(op, TFL_BODY_while_bytes, TFL_WHILE_RECORDS + TFL_WHILE_RECORD_WORDS * n);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_WHILE_COND_OUTPUT, cond_output);
    p[TFL_WHILE_COND_FIRST_OP] = (int32_t)cond_sub->first_op;
    p[TFL_WHILE_COND_OP_COUNT] = (int32_t)cond_sub->op_count;
    p[TFL_WHILE_BODY_FIRST_OP] = (int32_t)body_sub->first_op;
    p[TFL_WHILE_BODY_OP_COUNT] = (int32_t)body_sub->op_count;
    tfl_param_self(op, TFL_WHILE_SELF);
    p[TFL_WHILE_COUNT] = (int32_t)n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = TFL_WHILE_RECORDS + TFL_WHILE_RECORD_WORDS * i;
        tfl_param_tensor(op, r + TFL_WHILE_RECORD_INPUT, op->inputs[i]);
        tfl_param_tensor(op, r + TFL_WHILE_RECORD_OUTPUT, op->outputs[i]);
        tfl_param_tensor(op, r + TFL_WHILE_RECORD_COND_INPUT, &cond_tensors[cond_sub->inputs[i]]);
        tfl_param_tensor(op, r + TFL_WHILE_RECORD_BODY_INPUT, &body_tensors[body_sub->inputs[i]]);
        tfl_param_tensor(op, r + TFL_WHILE_RECORD_BODY_OUTPUT, &body_tensors[body_sub->outputs[i]]);
        p[r + TFL_WHILE_RECORD_BYTES] = (int32_t)op->inputs[i]->bytes;
    }
    return 0;
}

/* A handle takes one RESOURCE element (4 bytes here, as in TFLM); ASSIGN_VARIABLE also takes INT32. */
static int check_handle(tfl_op *op, const tfl_tensor_info *t, int int32_too)
{
    if (!(t->type == TFL_TYPE_RESOURCE || (int32_too && t->type == TFL_TYPE_INT32)))
        return tfl_op_fail(op, int32_too ? "the handle must be RESOURCE or INT32, not %t" : "the handle must be RESOURCE, not %t", t);
    TFL_CHECK(op, t->count == 1, "the handle must be one element, not %t", t);
    return 0;
}

int tfl_prepare_var_handle(tfl_op *op)
{
    tfl_loader *l = op->loader;
    TFL_CHECK(op, op->output_count == 1, "needs one output");
    const tfl_tensor_info *output = op->outputs[0];
    if (check_handle(op, output, 0)) return 1;
    uint32_t name_at = 0, name_length = 0, container_at = 0, container_length = 0;
    TFL_CHECK(op, tfl_opt_present(op, VAR_HANDLE_SHARED_NAME), "needs a shared_name option");
    int has_container = tfl_opt_present(op, VAR_HANDLE_CONTAINER);
    if (has_container) tfl_opt_string(op, VAR_HANDLE_CONTAINER, &container_at, &container_length);
    tfl_opt_string(op, VAR_HANDLE_SHARED_NAME, &name_at, &name_length);
    if (l->failed) return 1;
    /* TFLM's FindId: no container matches any. */
    int32_t id = -1;
    for (uint32_t i = 0; i < l->resource_count && id < 0; i++) {
        const tfl_resource *r = &l->resources[i];
        int container_matches = !has_container || (r->has_container && r->container_length == container_length &&
                                                   same_bytes(l->model, r->container_at, container_at, container_length));
        if (container_matches && r->name_length == name_length && same_bytes(l->model, r->name_at, name_at, name_length))
            id = (int32_t)i;
    }
    if (id < 0) {
        TFL_CHECK(op, l->resource_count < TFL_CONST_MAX_RESOURCES, "more than %d resource variables", TFL_CONST_MAX_RESOURCES);
        if (!l->resources) l->resources = (tfl_resource *)tfl_temp_alloc(l, (uint32_t)sizeof(tfl_resource) * TFL_CONST_MAX_RESOURCES);
        if (!l->resources) return 1;
        tfl_resource *r = &l->resources[l->resource_count];
        r->has_container = has_container;
        r->container_at = container_at;
        r->container_length = container_length;
        r->name_at = name_at;
        r->name_length = name_length;
        id = (int32_t)l->resource_count++;
    }
    int32_t *p = tfl_choose_body(op, TFL_BODY_var_handle_int32, TFL_VAR_HANDLE_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_VAR_HANDLE_OUTPUT, output);
    p[TFL_VAR_HANDLE_RESOURCE_ID] = id;
    return 0;
}

/* The resource variable of the VAR_HANDLE before `op` in its subgraph that writes `handle`, or -1
 * with the loader failed. */
static int32_t handle_resource(tfl_op *op, const tfl_tensor_info *handle)
{
    tfl_loader *l = op->loader;
    int32_t first = (int32_t)l->subgraphs[op->subgraph].first_op;
    for (int32_t k = first + op->index - 1; k >= first; k--) {
        const tfl_op *before = &l->ops[k];
        if (before->opcode == TFL_OP_VAR_HANDLE && before->output_count > 0 && before->outputs[0] == handle)
            return before->params[TFL_VAR_HANDLE_RESOURCE_ID];
    }
    tfl_op_fail(op, "the handle %t must come from a VAR_HANDLE before it in its subgraph", handle);
    return -1;
}

int tfl_prepare_read_variable(tfl_op *op)
{
    TFL_CHECK(op, op->input_count == 1 && op->inputs[0] && op->output_count == 1, "needs one input and one output");
    if (check_handle(op, op->inputs[0], 0)) return 1;
    int32_t id = handle_resource(op, op->inputs[0]);
    if (id < 0) return 1;
    const tfl_tensor_info *output = op->outputs[0];
    int32_t *p = tfl_choose_body(op, TFL_BODY_read_variable_bytes, TFL_VARIABLE_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_VARIABLE_VALUE, output);
    tfl_param_resource(op, TFL_VARIABLE_RESOURCE, (uint32_t)id);
    p[TFL_VARIABLE_RESOURCE_ID] = id;
    p[TFL_VARIABLE_BYTES] = (int32_t)output->bytes;
    return 0;
}

int tfl_prepare_assign_variable(tfl_op *op)
{
    tfl_loader *l = op->loader;
    TFL_CHECK(op, op->input_count == 2 && op->inputs[0] && op->inputs[1] && op->output_count == 0, "needs two inputs and no output");
    if (check_handle(op, op->inputs[0], 1)) return 1;
    int32_t id = handle_resource(op, op->inputs[0]);
    if (id < 0) return 1;
    const tfl_tensor_info *value = op->inputs[1];
    tfl_resource *r = &l->resources[id];
    if (!r->sized) {
        /* TFLM's Allocate: the value's size, filled with its zero point when it is quantized. */
        r->sized = 1;
        r->bytes = value->bytes;
        r->fill = value->scale_count > 0 && value->zero_point_count > 0 ? (uint32_t)(value->zero_point & 0xff) : 0;
    }
    TFL_CHECK(op, value->bytes == r->bytes, "assigns %d bytes (%t) to resource variable '%b' of %d bytes", (int32_t)value->bytes,
              value, l->model + r->name_at, r->name_length, (int32_t)r->bytes);
    int32_t *p = tfl_choose_body(op, TFL_BODY_assign_variable_bytes, TFL_VARIABLE_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_VARIABLE_VALUE, value);
    tfl_param_resource(op, TFL_VARIABLE_RESOURCE, (uint32_t)id);
    p[TFL_VARIABLE_RESOURCE_ID] = id;
    p[TFL_VARIABLE_BYTES] = (int32_t)value->bytes;
    return 0;
}

int tfl_check_resource_reads(tfl_loader *l)
{
    for (uint32_t k = 0; k < l->op_count; k++) {
        tfl_op *op = &l->ops[k];
        if (op->body != TFL_BODY_read_variable_bytes) continue;
        const tfl_resource *r = &l->resources[op->params[TFL_VARIABLE_RESOURCE_ID]];
        TFL_CHECK(op, r->sized, "reads resource variable '%b', which no ASSIGN_VARIABLE gives a size", l->model + r->name_at,
                  r->name_length);
        TFL_CHECK(op, (int32_t)r->bytes == op->params[TFL_VARIABLE_BYTES], "reads resource variable '%b' of %d bytes into %t",
                  l->model + r->name_at, r->name_length, (int32_t)r->bytes, op->outputs[0]);
    }
    return 0;
}

#endif
