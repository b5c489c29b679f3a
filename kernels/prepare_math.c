/* The element-wise math ops' prepare (kernel_math.ts prepareUnaryMath, prepareBinaryMath, where
 * TFLM's arithmetic is explained): ABS, NEG, SQUARE, SQRT, RSQRT, CEIL, FLOOR, ROUND, EXP, ELU, LOG, SIN, COS,
 * FLOOR_DIV, FLOOR_MOD, SQUARED_DIFFERENCE, PRELU. Every one is RARE (all-ops builds only). */
#include "prepare.h"
#include "kernel_util.h"
#include "libm.h"

static const char UNARY_NAMES[][7] = {"ABS", "NEG", "SQUARE", "SQRT", "RSQRT", "CEIL", "FLOOR", "ROUND", "EXP", "ELU", "LOG", "SIN", "COS"};
static const char BINARY_NAMES[][19] = {"FLOOR_DIV", "FLOOR_MOD", "SQUARED_DIFFERENCE", "PRELU"};

static int same_shape(const tfl_tensor_info *a, const tfl_tensor_info *b)
{
    if (a->rank != b->rank) return 0;
    for (uint32_t i = 0; i < a->rank; i++)
        if (a->shape[i] != b->shape[i]) return 0;
    return 1;
}

/* ---- int8 tables ---- */

/* gemmlowp's SaturatingRoundingMultiplyByPOT for a positive exponent: x 2^exponent, saturated. */
static int32_t saturating_shift_left(int32_t x, int exponent)
{
    const int32_t threshold = (int32_t)((1u << (31 - exponent)) - 1);
    return x > threshold ? TFL_INT32_MAX : x < -threshold ? TFL_INT32_MIN : (int32_t)((uint32_t)x << exponent);
}

/* invSqrtQuantizedMultiplierExp (TFLM's GetInvSqrtQuantizedMultiplierExp with kReverseShift) for
 * input >= 2: 1/sqrt(input) as a multiplier and *left_shift, by five Newton steps in Q3.28 (also
 * l2.c's, at invoke: prepare.h). */
int32_t tfl_inv_sqrt_multiplier(int32_t input, int32_t *left_shift)
{
    int32_t shift = 11;
    while (input >= (1 << 29)) {
        input /= 4;
        shift++;
    }
    int32_t clz = 0;
    while (clz < 32 && ((uint32_t)input >> (31 - clz)) == 0) clz++;
    const int32_t pairs = ((clz - 1) >> 1) - 1;
    shift -= pairs;
    input <<= 2 * pairs;
    const int32_t half = tfl_rounding_divide_by_pot(input >> 1, 1);
    const int32_t half_three = 402653184;   /* 1.5 in Q3.28 */
    int32_t x = 268435456;                  /* 1 in Q3.28 */
    for (int i = 0; i < 5; i++) {
        const int32_t x3 = saturating_shift_left(tfl_sat_rounding_doubling_high_mul(tfl_sat_rounding_doubling_high_mul(x, x), x), 6);
        const uint32_t diff = (uint32_t)tfl_sat_rounding_doubling_high_mul(half_three, x) - (uint32_t)tfl_sat_rounding_doubling_high_mul(half, x3);
        x = saturating_shift_left((int32_t)diff, 3);
    }
    int32_t inv = tfl_sat_rounding_doubling_high_mul(x, 1518500250);   /* times sqrt(2) / 2 in Q0.31 */
    if (shift < 0) {
        inv = (int32_t)((uint32_t)inv << -shift);
        shift = 0;
    }
    *left_shift = -shift;
    return inv;
}

/* The 256 outputs of int8 ABS, RSQRT or ELU, by input byte (absInt8Table, rsqrtInt8Table,
 * eluInt8Table). Returns 1 (the op failed) for a rescale TFLM cannot apply: the table is not made. */
static int int8_table(tfl_op *op, int32_t fn, const tfl_tensor_info *input, const tfl_tensor_info *output, uint8_t *table)
{
    int32_t m[2] = {0, 0};
    if (fn == TFL_MATH_FUNCTION_ABS && input->scale != output->scale)
        tfl_quantize_multiplier((double)(float)(input->scale / output->scale), &m[0], &m[1]);
    if (fn == TFL_MATH_FUNCTION_RSQRT) {
        tfl_quantize_multiplier(1.0 / (double)(float)(tfl_sqrtf(input->scale) * output->scale), &m[0], &m[1]);
        /* Applied with 20 more bits of right shift: past 31 TFLM's RoundingDivideByPOT is undefined. */
        if (!op->loader->failed) TFL_CHECK(op, 20 - m[1] <= 31, "output %t: rescale shift %d out of range", output, 20 - m[1]);
    }
    if (op->loader->failed) return 1;   /* a shift tfl_quantize_multiplier refused */
    const float inverse_scale = 1.0f / output->scale;
    for (int32_t v = -128; v < 128; v++) {
        int32_t out;
        if (fn == TFL_MATH_FUNCTION_ABS) {
            const int32_t value = v - input->zero_point < 0 ? input->zero_point - v : v - input->zero_point;
            out = (input->scale != output->scale ? tfl_multiply_by_quantized_multiplier(value, m[0], m[1]) : value) + output->zero_point;
        } else if (fn == TFL_MATH_FUNCTION_RSQRT) {
            const int32_t value = v - input->zero_point;
            if (value <= 0) {
                out = 127;   /* 0: TFLM's largest output; below: TFLM fails, the C body gives the same */
            } else {
                int32_t inv_shift = 0;
                const int32_t inv = value <= 1 ? TFL_INT32_MAX : tfl_inv_sqrt_multiplier(value, &inv_shift);
                const int32_t data = tfl_multiply_by_quantized_multiplier(1, inv, inv_shift + 20);
                out = tfl_multiply_by_quantized_multiplier(data, m[0], m[1] - 20) + output->zero_point;
            }
        } else {
            /* ELU: float32 as TFLM's PopulateLookupTable, the conversion to int32 as x86's. */
            const float x = input->scale * (float)(v - input->zero_point);
            const float y = x < 0.0f ? tfl_expf(x) - 1.0f : x;
            const float rescaled = (float)tfl_round_half_away_double((double)(y * inverse_scale));
            const float sum = rescaled + (float)output->zero_point;
            out = sum == sum && sum >= -2147483648.0f && sum < 2147483648.0f ? (int32_t)sum : TFL_INT32_MIN;
        }
        table[(uint8_t)v] = (uint8_t)tfl_clamp(out, -128, 127);
    }
    return 0;
}

static int prepare_unary(tfl_op *op, int32_t fn)
{
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && output && op->input_count == 1 && op->output_count == 1, "needs one input and one output");
    TFL_CHECK(op, input->type == output->type, "input type %y differs from output type %y", (int32_t)input->type, (int32_t)output->type);
    /* TFLM's CEIL, ROUND and EXP check the shapes; the others write as many outputs as there are inputs. */
    const int checks_shape = fn == TFL_MATH_FUNCTION_CEIL || fn == TFL_MATH_FUNCTION_ROUND || fn == TFL_MATH_FUNCTION_EXP;
    TFL_CHECK(op, input->count == output->count && (!checks_shape || same_shape(input, output)),
              "input %t and output %t differ in shape", input, output);
    const int32_t type = input->type;
    const int int8 = type == TFL_TYPE_INT8 && (fn == TFL_MATH_FUNCTION_ABS || fn == TFL_MATH_FUNCTION_RSQRT || fn == TFL_MATH_FUNCTION_ELU);
    const int int16 = type == TFL_TYPE_INT16 && fn == TFL_MATH_FUNCTION_ABS;
    TFL_CHECK(op, type == TFL_TYPE_FLOAT32 || int8 || int16, "%s: unsupported type %y", UNARY_NAMES[fn], type);
    int32_t *p;
    if (type == TFL_TYPE_FLOAT32) {
        if (!(p = tfl_use_body(op, TFL_BODY_math_float, TFL_MATH_SIZE))) return 1;
    } else {
        /* TFLM's int8 kernels (and int16 ABS with a quantization) read one scale and zero point each. */
        const int quantized = input->scale_count > 0 && input->zero_point_count > 0;
        if (int8 || quantized) {
            TFL_CHECK(op, quantized && output->scale_count > 0 && output->zero_point_count > 0,
                      "input %t and output %t must both be quantized", input, output);
            TFL_CHECK(op, input->scale > 0 && output->scale > 0, "input and output scales must be positive");
        }
        if (int16) {
            if (quantized) TFL_CHECK(op, input->zero_point == 0 && output->zero_point == 0, "int16 tensors must have zero point 0");
            if (!(p = tfl_use_body(op, TFL_BODY_abs_int16, TFL_MATH_SIZE))) return 1;
            const int rescale = quantized && input->scale != output->scale;
            p[TFL_MATH_MODE] = !quantized ? TFL_ABS_INT16_MODE_WRAP : rescale ? TFL_ABS_INT16_MODE_RESCALE : TFL_ABS_INT16_MODE_CLAMP;
            if (rescale) tfl_quantize_multiplier((double)(float)(input->scale / output->scale), &p[TFL_MATH_MULTIPLIER], &p[TFL_MATH_SHIFT]);
        } else {
            if (!(p = tfl_use_body(op, TFL_BODY_math_int8, TFL_MATH_SIZE_WITH_TABLE))) return 1;
            if (int8_table(op, fn, input, output, (uint8_t *)(p + TFL_MATH_TABLE))) return 1;
            p[TFL_MATH_LOWEST_INPUT] = fn == TFL_MATH_FUNCTION_RSQRT ? input->zero_point : -128;
        }
    }
    tfl_param_tensor(op, TFL_MATH_INPUT, input);
    tfl_param_tensor(op, TFL_MATH_OUTPUT, output);
    p[TFL_MATH_COUNT] = (int32_t)input->count;
    p[TFL_MATH_FUNCTION] = type == TFL_TYPE_FLOAT32 ? fn : 0;
    return 0;
}

/* ---- binary ---- */

static int prepare_binary(tfl_op *op, int32_t fn)
{
    const tfl_tensor_info *input1 = tfl_input(op, 0), *input2 = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input1 && input2 && output && op->input_count == 2 && op->output_count == 1, "needs two inputs and one output");
    const int32_t type = input1->type;
    const int prelu = fn == TFL_MATH_BINARY_FUNCTION_PRELU;
    /* PRELU int16 takes an int8 alpha; otherwise both inputs and the output share one type. */
    const int32_t type2 = prelu && type == TFL_TYPE_INT16 ? TFL_TYPE_INT8 : type;
    TFL_CHECK(op, input2->type == type2 && output->type == type,
              "inputs %y and %y and output %y do not match (%s of %y needs %y and %y)", type, (int32_t)input2->type,
              (int32_t)output->type, BINARY_NAMES[fn], type, type2, type);
    const int sd = fn == TFL_MATH_BINARY_FUNCTION_SQUARED_DIFFERENCE;
    int32_t body = -1;
    if (type == TFL_TYPE_FLOAT32) body = TFL_BODY_math_binary_float;
    else if (sd && type == TFL_TYPE_INT32) body = TFL_BODY_squared_difference_int32;
    else if (sd && type == TFL_TYPE_INT8) body = TFL_BODY_squared_difference_int8;
    else if (sd && type == TFL_TYPE_INT16) body = TFL_BODY_squared_difference_int16;
    else if (prelu && type == TFL_TYPE_INT8) body = TFL_BODY_prelu_int8;
    else if (prelu && type == TFL_TYPE_INT16) body = TFL_BODY_prelu_int16;
    TFL_CHECK(op, body >= 0, "%s: unsupported type %y", BINARY_NAMES[fn], type);
    uint32_t rank = input1->rank > input2->rank ? input1->rank : input2->rank;
    if (output->rank > rank) rank = output->rank;
    TFL_CHECK(op, rank <= TFL_CONST_MATH_BROADCAST_DIMS || (same_shape(input1, input2) && !prelu),
              "%s broadcasts at most %d dimensions, not %d", BINARY_NAMES[fn], TFL_CONST_MATH_BROADCAST_DIMS, (int32_t)rank);
    const uint8_t *divisor = fn == TFL_MATH_BINARY_FUNCTION_FLOOR_DIV ? tfl_const_data(op, input2) : 0;
    if (divisor)
        for (uint32_t i = 0; i < input2->count; i++)
            TFL_CHECK(op, tfl_load_f32(divisor + 4 * i) != 0.0f, "divisor %t holds a 0 at element %d", input2, (int32_t)i);
    int32_t *p = tfl_use_body(op, body, TFL_MATH_BINARY_SIZE);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_ELEMENTWISE_INPUT1, input1);
    tfl_param_tensor(op, TFL_ELEMENTWISE_INPUT2, input2);
    tfl_param_tensor(op, TFL_ELEMENTWISE_OUTPUT, output);
    if (tfl_broadcast_walk(op, p, input1, input2, output)) return 1;
    p[TFL_MATH_BINARY_FUNCTION] = fn;
    if (type == TFL_TYPE_FLOAT32 || type == TFL_TYPE_INT32) return 0;
    const tfl_tensor_info *tensors[3] = {input1, input2, output};
    for (int i = 0; i < 3; i++) TFL_CHECK(op, tensors[i]->scale > 0, "%t needs a quantization scale", tensors[i]);
    if (!prelu && type == TFL_TYPE_INT16)
        for (int i = 0; i < 3; i++) TFL_CHECK(op, tensors[i]->zero_point == 0, "int16 %t must have zero point 0", tensors[i]);
    p[TFL_ELEMENTWISE_INPUT1_OFFSET] = tfl_negate(input1->zero_point);
    p[TFL_ELEMENTWISE_INPUT2_OFFSET] = tfl_negate(input2->zero_point);
    p[TFL_ELEMENTWISE_OUTPUT_OFFSET] = output->zero_point;
    p[TFL_ELEMENTWISE_ACTIVATION_MIN] = type == TFL_TYPE_INT8 ? -128 : -32768;
    p[TFL_ELEMENTWISE_ACTIVATION_MAX] = type == TFL_TYPE_INT8 ? 127 : 32767;
    const double s1 = input1->scale, s2 = input2->scale, so = output->scale;
    if (prelu) {
        /* TFLM's CalculatePreluParams, in double. */
        tfl_quantize_multiplier(s1 / so, &p[TFL_ELEMENTWISE_INPUT1_MULTIPLIER], &p[TFL_ELEMENTWISE_INPUT1_SHIFT]);
        tfl_quantize_multiplier(s1 * s2 / so, &p[TFL_ELEMENTWISE_OUTPUT_MULTIPLIER], &p[TFL_ELEMENTWISE_OUTPUT_SHIFT]);
        return 0;
    }
    /* SQUARED_DIFFERENCE's PrepareQuantized, in double but for 2^(2 shift) * s_out, a float32. */
    const int32_t left_shift = type == TFL_TYPE_INT8 ? 7 : 0;
    p[TFL_ELEMENTWISE_LEFT_SHIFT] = left_shift;
    const double twice_max = 2 * (s1 > s2 ? s1 : s2);
    tfl_quantize_multiplier(s1 / twice_max, &p[TFL_ELEMENTWISE_INPUT1_MULTIPLIER], &p[TFL_ELEMENTWISE_INPUT1_SHIFT]);
    tfl_quantize_multiplier(s2 / twice_max, &p[TFL_ELEMENTWISE_INPUT2_MULTIPLIER], &p[TFL_ELEMENTWISE_INPUT2_SHIFT]);
    tfl_quantize_multiplier(twice_max * twice_max / (double)(float)((float)(1 << (2 * left_shift)) * output->scale),
                            &p[TFL_ELEMENTWISE_OUTPUT_MULTIPLIER], &p[TFL_ELEMENTWISE_OUTPUT_SHIFT]);
    return 0;
}

int tfl_prepare_abs(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_ABS); }
int tfl_prepare_neg(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_NEG); }
int tfl_prepare_square(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_SQUARE); }
int tfl_prepare_sqrt(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_SQRT); }
int tfl_prepare_rsqrt(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_RSQRT); }
int tfl_prepare_ceil(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_CEIL); }
int tfl_prepare_floor(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_FLOOR); }
int tfl_prepare_round(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_ROUND); }
int tfl_prepare_exp(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_EXP); }
int tfl_prepare_elu(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_ELU); }
int tfl_prepare_log(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_LOG); }
int tfl_prepare_sin(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_SIN); }
int tfl_prepare_cos(tfl_op *op) { return prepare_unary(op, TFL_MATH_FUNCTION_COS); }
int tfl_prepare_floor_div(tfl_op *op) { return prepare_binary(op, TFL_MATH_BINARY_FUNCTION_FLOOR_DIV); }
int tfl_prepare_floor_mod(tfl_op *op) { return prepare_binary(op, TFL_MATH_BINARY_FUNCTION_FLOOR_MOD); }
int tfl_prepare_squared_difference(tfl_op *op) { return prepare_binary(op, TFL_MATH_BINARY_FUNCTION_SQUARED_DIFFERENCE); }
int tfl_prepare_prelu(tfl_op *op) { return prepare_binary(op, TFL_MATH_BINARY_FUNCTION_PRELU); }
