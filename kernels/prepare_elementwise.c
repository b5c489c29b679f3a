/* ADD, SUB, MUL, DIV, MAXIMUM and MINIMUM's prepare (kernel_elementwise.ts prepareElementwise). */
#include "prepare.h"

/* The arithmetic of a body (kernel_elementwise.ts BinaryOp). */
enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MAXIMUM, OP_MINIMUM };

#define BROADCAST_DIMS 6

/* The first body of each op; the int8, int16, int32 and float bodies follow in that order (DIV has
 * only the last two, so its "first" is two before div_int32). */
static const uint8_t FIRST_BODY[] = {TFL_BODY_add_int8, TFL_BODY_sub_int8, TFL_BODY_mul_int8,
                                     TFL_BODY_div_int32 - 2, TFL_BODY_maximum_int8, TFL_BODY_minimum_int8};
static const char OP_NAMES[][4] = {"ADD", "SUB", "MUL", "DIV"};

/* "[2,3,4]" into `text` (room for TFL_MAX_RANK dimensions). */
static const char *shape_text(char *text, const int32_t *shape, uint32_t rank)
{
    char *s = text;
    *s++ = '[';
    for (uint32_t i = 0; i < rank; i++) {
        char digits[10];
        int n = 0;
        uint32_t v = (uint32_t)shape[i];   /* shapes are never negative */
        do digits[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
        if (i) *s++ = ',';
        while (n) *s++ = digits[--n];
    }
    *s++ = ']';
    *s = 0;
    return text;
}

/* The shape without its leading 1s. */
static const int32_t *strip_ones(const int32_t *shape, uint32_t *rank)
{
    while (*rank > 0 && shape[0] == 1) { shape++; (*rank)--; }
    return shape;
}

/* broadcastWalk: the words Rows to Strides2 + 5. Both input shapes are right-aligned against each
 * other; a dimension of 1 (or a missing one) repeats with element stride 0. The output's shape must
 * be the broadcast shape (leading 1s aside). Neighbouring dimensions that both inputs walk alike are
 * merged and 1s dropped, then the walk is padded to six dimensions with leading 1s. As in STS the
 * strides and products are doubles (a 0 dimension lets the others grow past int32), stored as
 * setParam stores them (tfl_to_int32). */
int tfl_broadcast_walk(tfl_op *op, int32_t *p, const tfl_tensor_info *a, const tfl_tensor_info *b,
                       const tfl_tensor_info *out)
{
    uint32_t rank = a->rank > b->rank ? a->rank : b->rank;
    TFL_CHECK(op, rank <= BROADCAST_DIMS && out->rank <= BROADCAST_DIMS, "at most %d dimensions are supported, not %d",
              BROADCAST_DIMS, (int32_t)(rank > out->rank ? rank : out->rank));
    int32_t dims[BROADCAST_DIMS];
    double stride_a[BROADCAST_DIMS], stride_b[BROADCAST_DIMS];
    char text1[TFL_MAX_RANK * 11 + 3], text2[TFL_MAX_RANK * 11 + 3];
    for (uint32_t k = 0; k < rank; k++) {
        int32_t da = k < rank - a->rank ? 1 : a->shape[k - (rank - a->rank)];
        int32_t db = k < rank - b->rank ? 1 : b->shape[k - (rank - b->rank)];
        TFL_CHECK(op, da == db || da == 1 || db == 1, "shapes %s and %s do not broadcast",
                  shape_text(text1, a->shape, a->rank), shape_text(text2, b->shape, b->rank));
        dims[k] = da == 1 ? db : da;
        stride_a[k] = da == 1 ? 0 : 1;
        stride_b[k] = db == 1 ? 0 : 1;
    }
    uint32_t want_rank = rank, got_rank = out->rank;
    const int32_t *want = strip_ones(dims, &want_rank), *got = strip_ones(out->shape, &got_rank);
    int same = want_rank == got_rank;
    for (uint32_t k = 0; same && k < want_rank; k++) same = want[k] == got[k];
    TFL_CHECK(op, same, "output %t must have the broadcast shape %s", out, shape_text(text1, dims, rank));

    /* Element strides, innermost first: each input advances only along its own dimensions. */
    double step_a = 1, step_b = 1;
    for (uint32_t k = rank; k-- > 0;) {
        if (stride_a[k] != 0) { stride_a[k] = step_a; step_a *= dims[k]; }
        if (stride_b[k] != 0) { stride_b[k] = step_b; step_b *= dims[k]; }
    }
    /* Merged, innermost last, then right-aligned in the six dimensions. */
    double m_dims[BROADCAST_DIMS], m_a[BROADCAST_DIMS], m_b[BROADCAST_DIMS];
    uint32_t n = 0;
    for (uint32_t k = 0; k < rank; k++) {
        if (dims[k] == 1) continue;
        if (n > 0 && m_a[n - 1] == stride_a[k] * dims[k] && m_b[n - 1] == stride_b[k] * dims[k]) {
            m_dims[n - 1] *= dims[k];
        } else {
            m_dims[n] = dims[k];
            n++;
        }
        m_a[n - 1] = stride_a[k];
        m_b[n - 1] = stride_b[k];
    }
    double rows = 1;
    for (uint32_t k = 0; k < BROADCAST_DIMS; k++) {
        int real = k >= BROADCAST_DIMS - n;
        uint32_t j = k - (BROADCAST_DIMS - n);
        double d = real ? m_dims[j] : 1;
        if (k < BROADCAST_DIMS - 1) rows *= d;
        p[TFL_ELEMENTWISE_DIMS + k] = tfl_to_int32(d);
        p[TFL_ELEMENTWISE_STRIDES1 + k] = real ? tfl_to_int32(m_a[j]) : 0;
        p[TFL_ELEMENTWISE_STRIDES2 + k] = real ? tfl_to_int32(m_b[j]) : 0;
    }
    p[TFL_ELEMENTWISE_ROWS] = tfl_to_int32(rows);
    return 0;
}

/* int8/int16 ADD, SUB and MUL (prepareQuantized): offsets, fixed-point multipliers and the
 * activation's bounds.
 * MUL scales once by s1 * s2 / s_out, in double. ADD and SUB shift both inputs left by 20 bits (15
 * for int16), scale each by s_i / (2 max(s1, s2)) and the result by 2 max(s1, s2) / (2^shift s_out):
 * TFLM's ADD forms these in double, its SUB in float32 (2 max(s1, s2) is exact in both). */
static int prepare_quantized(tfl_op *op, int32_t *p, int kind, const tfl_tensor_info *input1,
                             const tfl_tensor_info *input2, const tfl_tensor_info *output, int32_t activation)
{
    const tfl_tensor_info *tensors[3] = {input1, input2, output};
    for (int i = 0; i < 3; i++) {
        const tfl_tensor_info *t = tensors[i];
        TFL_CHECK(op, t->scale > 0 && t->scale_count == 1, "%t needs one scale (per-tensor quantization)", t);
        /* TFLM requires it for MUL only: ADD and SUB offsets fit their int32 arithmetic anyway. */
        TFL_CHECK(op, output->type != TFL_TYPE_INT16 || kind != OP_MUL || t->zero_point == 0,
                  "int16 %t must have zero point 0", t);
    }
    /* Negated in uint32: minus INT32_MIN wraps as setParam stores it. */
    p[TFL_ELEMENTWISE_INPUT1_OFFSET] = (int32_t)(0u - (uint32_t)input1->zero_point);
    p[TFL_ELEMENTWISE_INPUT2_OFFSET] = (int32_t)(0u - (uint32_t)input2->zero_point);
    p[TFL_ELEMENTWISE_OUTPUT_OFFSET] = output->zero_point;
    tfl_quantized_activation_range(activation, output, &p[TFL_ELEMENTWISE_ACTIVATION_MIN], &p[TFL_ELEMENTWISE_ACTIVATION_MAX]);
    double s1 = input1->scale, s2 = input2->scale, so = output->scale;
    if (kind == OP_MUL) {
        tfl_quantize_multiplier(s1 * s2 / so, &p[TFL_ELEMENTWISE_OUTPUT_MULTIPLIER], &p[TFL_ELEMENTWISE_OUTPUT_SHIFT]);
        return 0;
    }
    int32_t left_shift = output->type == TFL_TYPE_INT16 ? 15 : 20;
    p[TFL_ELEMENTWISE_LEFT_SHIFT] = left_shift;
    double twice_max = 2 * (s1 > s2 ? s1 : s2);
    double scale = (double)((int32_t)1 << left_shift);
    double m[3];
    if (kind == OP_ADD) {
        m[0] = s1 / twice_max;
        m[1] = s2 / twice_max;
        m[2] = twice_max / (scale * so);
    } else {
        m[0] = (float)(s1 / twice_max);
        m[1] = (float)(s2 / twice_max);
        m[2] = (float)(twice_max / (double)(float)(scale * so));
    }
    for (int i = 0; i < 3; i++) {
        int32_t *pair = &p[TFL_ELEMENTWISE_INPUT1_MULTIPLIER + 2 * i];
        tfl_quantize_multiplier(m[i], &pair[0], &pair[1]);
        /* The scaling only divides: a shift > 0 (output scale below 2^-left_shift of the inputs') is
         * outside what TFLM's fixed-point path can represent. */
        TFL_CHECK(op, pair[1] <= 0, "output scale of %t is too small for the input scales", output);
    }
    return 0;
}

static int prepare_elementwise(tfl_op *op, int kind)
{
    const tfl_tensor_info *input1 = tfl_input(op, 0), *input2 = tfl_input(op, 1);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input1 && input2 && output, "needs two inputs and an output");
    int32_t type = output->type;
    TFL_CHECK(op, input1->type == type && input2->type == type, "inputs %y and %y must both be of the output's type %y",
              (int32_t)input1->type, (int32_t)input2->type, type);
    int32_t slot;   /* the body after the op's first: int8, int16, int32, float */
    if (type == TFL_TYPE_FLOAT32) slot = 3;
    else if (type == TFL_TYPE_INT32) slot = 2;
    else if (type == TFL_TYPE_INT8 && kind != OP_DIV) slot = 0;
    else if (type == TFL_TYPE_INT16 && kind != OP_DIV) slot = 1;
    else return tfl_op_fail(op, "unsupported type %y", type);
    TFL_DEFAULT_BUILD_TYPES(op, type == TFL_TYPE_INT32);
    /* MAXIMUM and MINIMUM have no options; the others keep the fused activation in field 0. */
    int has_activation = kind != OP_MAXIMUM && kind != OP_MINIMUM;
    int32_t activation = has_activation ? tfl_opt_byte(op, 0, TFL_ACT_NONE) : TFL_ACT_NONE;
    TFL_CHECK(op, activation <= TFL_ACT_RELU6, "unsupported fused activation %d", activation);

    int32_t *p = tfl_use_body(op, FIRST_BODY[kind] + slot, TFL_ELEMENTWISE_SIZE);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_ELEMENTWISE_INPUT1, input1);
    tfl_param_tensor(op, TFL_ELEMENTWISE_INPUT2, input2);
    tfl_param_tensor(op, TFL_ELEMENTWISE_OUTPUT, output);
    if (tfl_broadcast_walk(op, p, input1, input2, output)) return 1;

    int32_t *lo = &p[TFL_ELEMENTWISE_ACTIVATION_MIN], *hi = &p[TFL_ELEMENTWISE_ACTIVATION_MAX];
    if (type == TFL_TYPE_FLOAT32) {
        /* MAXIMUM and MINIMUM clamp to nothing: an infinity stays infinite. */
        if (has_activation) {
            float flo, fhi;
            tfl_float_activation_range(activation, &flo, &fhi);
            tfl_set_param_float(p, TFL_ELEMENTWISE_ACTIVATION_MIN, flo);
            tfl_set_param_float(p, TFL_ELEMENTWISE_ACTIVATION_MAX, fhi);
        } else {
            *lo = (int32_t)0xff800000u;   /* -infinity */
            *hi = 0x7f800000;             /* +infinity */
        }
    } else if (type == TFL_TYPE_INT32) {
        /* As TFLM's CalculateActivationRange<int32_t>; int32 ADD clamps to nothing, whatever its
         * fused activation. */
        *lo = INT32_MIN;
        *hi = INT32_MAX;
        if (kind != OP_ADD) {
            if (activation == TFL_ACT_RELU) *lo = 0;
            else if (activation == TFL_ACT_RELU6) { *lo = 0; *hi = 6; }
            else if (activation == TFL_ACT_RELU_N1_TO_1) { *lo = -1; *hi = 1; }
        }
        if (kind == OP_ADD || kind == OP_SUB || kind == OP_DIV)
            TFL_CHECK(op, input1->scale == 0 && input2->scale == 0 && (kind != OP_SUB || output->scale == 0),
                      "int32 %s supports only unquantized tensors", OP_NAMES[kind]);
        const uint8_t *divisor = kind == OP_DIV ? tfl_const_data(op, input2) : 0;
        if (divisor)
            for (uint32_t i = 0; i < input2->count; i++)
                TFL_CHECK(op, (divisor[4 * i] | divisor[4 * i + 1] | divisor[4 * i + 2] | divisor[4 * i + 3]) != 0,
                          "divisor %t holds a 0 at element %d", input2, (int32_t)i);
    } else if (kind == OP_MAXIMUM || kind == OP_MINIMUM) {
        *lo = type == TFL_TYPE_INT8 ? -128 : -32768;
        *hi = -*lo - 1;
    } else return prepare_quantized(op, p, kind, input1, input2, output, activation);
    return 0;
}

int tfl_prepare_add(tfl_op *op) { return prepare_elementwise(op, OP_ADD); }
int tfl_prepare_sub(tfl_op *op) { return prepare_elementwise(op, OP_SUB); }
int tfl_prepare_mul(tfl_op *op) { return prepare_elementwise(op, OP_MUL); }
int tfl_prepare_div(tfl_op *op) { return prepare_elementwise(op, OP_DIV); }
int tfl_prepare_maximum(tfl_op *op) { return prepare_elementwise(op, OP_MAXIMUM); }
int tfl_prepare_minimum(tfl_op *op) { return prepare_elementwise(op, OP_MINIMUM); }
