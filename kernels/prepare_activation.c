/* The activations' prepares (kernel_activation.ts): RELU, RELU_N1_TO_1, RELU6, LEAKY_RELU, LOGISTIC,
 * TANH and HARD_SWISH. Each checks its one input and one output (activation_tensors), chooses a body
 * by type, fills the words every activation block starts with (activation_body) and then its own. */
#include "prepare.h"

enum { LEAKY_RELU_OPT_ALPHA = 0 };
/* Every activation block starts with these words (kernel_activation.ts ActivationWords). */
enum { ACT_INPUT = 0, ACT_OUTPUT = 2, ACT_COUNT = 4 };

/* ---- STS arithmetic: its numbers are doubles, and setParam stores ToInt32 of them (tfl_to_int32) ---- */

/* 2^n, exactly (|n| stays far from the double's limits here). */
static double pow2(int32_t n)
{
    double r = 1;
    for (; n > 0; n--) r *= 2;
    for (; n < 0; n++) r /= 2;
    return r;
}

/* The natural log of a positive finite double, to a few ulps (enough for its float32 rounding):
 * x = m 2^e with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh s = 2 (s + s^3/3 + s^5/5 + ...) with
 * s = (m - 1) / (m + 1), |s| < 0.172, so 20 terms are plenty; e ln 2 in two parts (fdlibm's). */
static double log_positive(double x)
{
    int32_t e = 0;
    while (x >= 1.4142135623730951) { x /= 2; e++; }
    while (x < 0.7071067811865476) { x *= 2; e--; }
    double s = (x - 1) / (x + 1), s2 = s * s, term = s, sum = 0;
    for (int32_t k = 1; k < 40; k += 2) {
        sum += term / k;
        term *= s2;
    }
    return e * 6.93147180369123816490e-01 + (2 * sum + e * 1.90821492927058770002e-10);
}

/* TFLM's CheckedLog2 as the STS computes it: log2 x = f32(f32(log x) * f32(1 / f32(log 2))) and its
 * nearest integer (*rounded); returns 1 if x is that power of two to within 1e-3 in the exponent.
 * An infinite x is no power of two. */
int tfl_checked_log2(float x, int32_t *rounded)
{
    *rounded = 0;
    if (x > 3.4028234663852886e38f) return 0;
    float inv_log2 = (float)(1.0 / (double)(float)0.6931471805599453);
    float log2 = (float)((double)(float)log_positive(x) * inv_log2);
    double r = tfl_round_half_away_double(log2);
    *rounded = (int32_t)r;
    float error = (float)(log2 - r);
    return (error < 0 ? -error : error) < 1e-3f;
}

/* ---- What every activation shares ---- */

/* The one input and one output: same type, same size, scales if quantized. */
static int activation_tensors(tfl_op *op, tfl_tensor_info **input, tfl_tensor_info **output)
{
    tfl_tensor_info *in = tfl_input(op, 0), *out = tfl_output_tensor(op, 0);
    TFL_CHECK(op, in && out, "needs an input and an output");
    TFL_CHECK(op, in->type == out->type, "input type %y differs from output type %y", (int32_t)in->type, (int32_t)out->type);
    TFL_CHECK(op, in->count == out->count, "input %t and output %t differ in size", in, out);
    if (in->type == TFL_TYPE_INT8 || in->type == TFL_TYPE_INT16) {
        TFL_CHECK(op, in->scale > 0, "input %t has no quantization scale", in);
        TFL_CHECK(op, out->scale > 0, "output %t has no quantization scale", out);
    }
    *input = in;
    *output = out;
    return 0;
}

static int unsupported_type(tfl_op *op, const tfl_tensor_info *t)
{
    return tfl_op_fail(op, "unsupported input type %y", (int32_t)t->type);
}

/* Chooses `body` and fills the words every activation block starts with. */
static int32_t *activation_body(tfl_op *op, int32_t body, uint32_t words, const tfl_tensor_info *input,
                                const tfl_tensor_info *output)
{
    int32_t *p = tfl_use_body(op, body, words);
    if (!p) return 0;
    tfl_param_tensor(op, ACT_INPUT, input);
    tfl_param_tensor(op, ACT_OUTPUT, output);
    p[ACT_COUNT] = (int32_t)input->count;
    return p;
}

/* ---- RELU, RELU_N1_TO_1 (TFLM's ReluPrepare, TFLite's QuantizedReluX), RELU6 ---- */

static int prepare_relu(tfl_op *op, int32_t activation)
{
    tfl_tensor_info *input, *output;
    if (activation_tensors(op, &input, &output)) return 1;
    int32_t *p;
    if (input->type == TFL_TYPE_FLOAT32) {
        /* Not tfl_float_activation_range: the RELU op does not clamp to FLT_MAX as fused activations do. */
        if (!(p = activation_body(op, TFL_BODY_relu_float, TFL_RELU_SIZE, input, output))) return 1;
        tfl_set_param_float(p, TFL_RELU_ACTIVATION_MIN, activation == TFL_ACT_RELU ? 0.0f : -1.0f);
        if (activation == TFL_ACT_RELU) p[TFL_RELU_ACTIVATION_MAX] = 0x7f800000;   /* +infinity */
        else tfl_set_param_float(p, TFL_RELU_ACTIVATION_MAX, 1.0f);
        return 0;
    }
    if (input->type == TFL_TYPE_INT16)
        TFL_CHECK(op, input->zero_point == 0 && output->zero_point == 0, "int16 tensors must have zero point 0");
    else if (input->type != TFL_TYPE_INT8) return unsupported_type(op, input);
    p = activation_body(op, input->type == TFL_TYPE_INT8 ? TFL_BODY_relu_int8 : TFL_BODY_relu_int16, TFL_RELU_SIZE, input, output);
    if (!p) return 1;
    /* TFLM divides the scales as doubles; TFLite (RELU_N1_TO_1's only reference) as floats. */
    double real = (double)input->scale / output->scale;
    if (activation != TFL_ACT_RELU) real = (float)real;
    tfl_quantize_multiplier(real, &p[TFL_RELU_MULTIPLIER], &p[TFL_RELU_SHIFT]);
    p[TFL_RELU_INPUT_ZERO_POINT] = input->zero_point;
    p[TFL_RELU_OUTPUT_ZERO_POINT] = output->zero_point;
    /* The type's bounds narrowed by the activation, as for a fused one. */
    tfl_quantized_activation_range(activation, output, &p[TFL_RELU_ACTIVATION_MIN], &p[TFL_RELU_ACTIVATION_MAX]);
    return 0;
}

int tfl_prepare_relu(tfl_op *op) { return prepare_relu(op, TFL_ACT_RELU); }
int tfl_prepare_relu_n1_to_1(tfl_op *op) { return prepare_relu(op, TFL_ACT_RELU_N1_TO_1); }

/* RELU6 as TFLM's Relu6Prepare: no rescaling, the bounds are the input's zero point and its quantized 6. */
int tfl_prepare_relu6(tfl_op *op)
{
    tfl_tensor_info *input, *output;
    if (activation_tensors(op, &input, &output)) return 1;
    int32_t *p;
    if (input->type == TFL_TYPE_FLOAT32) {
        if (!(p = activation_body(op, TFL_BODY_relu_float, TFL_RELU_SIZE, input, output))) return 1;
        tfl_set_param_float(p, TFL_RELU_ACTIVATION_MIN, 0.0f);
        tfl_set_param_float(p, TFL_RELU_ACTIVATION_MAX, 6.0f);
        return 0;
    }
    double lo = -128, hi = 127;
    if (input->type == TFL_TYPE_INT16) {
        lo = -32768;
        hi = 32767;
    } else if (input->type != TFL_TYPE_INT8) return unsupported_type(op, input);
    p = activation_body(op, input->type == TFL_TYPE_INT8 ? TFL_BODY_relu6_int8 : TFL_BODY_relu6_int16, TFL_RELU_SIZE, input, output);
    if (!p) return 1;
    /* FloatToQuantizedType: round(6.0f / scale) in float, plus the zero point, clamped to the type
     * (in doubles: the quotient may be huge or infinite). */
    double six = tfl_round_half_away_double((float)(6.0 / input->scale)) + input->zero_point;
    p[TFL_RELU_ACTIVATION_MIN] = input->zero_point;
    p[TFL_RELU_ACTIVATION_MAX] = (int32_t)(six < lo ? lo : six > hi ? hi : six);
    return 0;
}

/* ---- LEAKY_RELU (TFLM's CalculateOpDataLeakyRelu: both multipliers are float32 quotients) ---- */

int tfl_prepare_leaky_relu(tfl_op *op)
{
    tfl_tensor_info *input, *output;
    if (activation_tensors(op, &input, &output)) return 1;
    float alpha = tfl_opt_float(op, LEAKY_RELU_OPT_ALPHA, 0);
    int32_t *p;
    if (input->type == TFL_TYPE_FLOAT32) {
        if (!(p = activation_body(op, TFL_BODY_leaky_relu_float, TFL_LEAKY_RELU_SIZE, input, output))) return 1;
        tfl_set_param_float(p, TFL_LEAKY_RELU_ALPHA, alpha);
        return 0;
    }
    if (input->type != TFL_TYPE_INT8 && input->type != TFL_TYPE_INT16) return unsupported_type(op, input);
    p = activation_body(op, input->type == TFL_TYPE_INT8 ? TFL_BODY_leaky_relu_int8 : TFL_BODY_leaky_relu_int16,
                        TFL_LEAKY_RELU_SIZE, input, output);
    if (!p) return 1;
    float scaled_alpha = (float)((double)input->scale * alpha);
    tfl_quantize_multiplier((float)((double)scaled_alpha / output->scale), &p[TFL_LEAKY_RELU_ALPHA_MULTIPLIER],
                            &p[TFL_LEAKY_RELU_ALPHA_SHIFT]);
    tfl_quantize_multiplier((float)((double)input->scale / output->scale), &p[TFL_LEAKY_RELU_IDENTITY_MULTIPLIER],
                            &p[TFL_LEAKY_RELU_IDENTITY_SHIFT]);
    p[TFL_LEAKY_RELU_INPUT_ZERO_POINT] = input->zero_point;
    p[TFL_LEAKY_RELU_OUTPUT_ZERO_POINT] = output->zero_point;
    return 0;
}

/* ---- LOGISTIC and TANH (TFLM's CalculateArithmeticOpDataLogistic and tanh.cc's
 * CalculateArithmeticOpData; LogisticParams and TanhParams share one layout) ---- */

/* TFLM's sigmoid_table_uint16, sigmoid(i / 24) in unsigned Q0.16 for i = 0..255: its values, not a
 * formula. Stored as second differences: table[0] = 32768, table[1] - table[0] = 683, and each next
 * first difference is the previous plus (SIGMOID_D2[i] - 'm'). */
static const char SIGMOID_D2[] =
    "lkmikijgiggfgeeedecdccccbcbbbbbcacacbcbcbdbdccdecdeeedfeffffgfgf"
    "ifhgigihihiiiijijijjkikjjkkkjkkljlkkkmjlllkllllkmllknklmlmkmmllm"
    "lmlmmllmmmllnlmmlmmlnlmmlmnllnmlmmmmmmlnlmmnknmmmlnlnlmnlmmmmmmm"
    "mmlnmmlnmlnlnlnlnlmnlnlmnlmmnlmmnlmmmnlmmmmnlmmmmmmnlmmmmmmmmn";

static int prepare_logistic_or_tanh(tfl_op *op, int tanh)
{
    tfl_tensor_info *input, *output;
    if (activation_tensors(op, &input, &output)) return 1;
    int32_t *p;
    if (input->type == TFL_TYPE_FLOAT32)
        return !activation_body(op, tanh ? TFL_BODY_tanh_float : TFL_BODY_logistic_float, TFL_LOGISTIC_SIZE, input, output);
    if (input->type == TFL_TYPE_INT8) {
        /* The logistic's output is in 1/256 steps from -128; tanh's in 1/128 steps from 0. TFLM
         * checks the logistic's zero point only, and neither scale. */
        if (!tanh)
            TFL_CHECK(op, output->zero_point == -128, "int8 output must have zero point -128, not %d", output->zero_point);
        p = activation_body(op, tanh ? TFL_BODY_tanh_int8 : TFL_BODY_logistic_int8, TFL_LOGISTIC_SIZE, input, output);
        if (!p) return 1;
        /* input_scale * 2^27 = q * 2^left_shift with q in [0.5, 1) (frexp; an infinity stays, with
         * exponent 0): the input in Q4.27 is (input - zp) * round(q * 2^31) * 2^(left_shift - 31).
         * The radius is calculateInputRadius(4, left_shift, 31) = floor(15 * 2^27 / 2^left_shift). */
        double q = (double)input->scale * 134217728.0;
        int32_t left_shift = 0;
        if (q <= 1.7976931348623157e308) {
            while (q >= 1) { q /= 2; left_shift++; }
            while (q < 0.5) { q *= 2; left_shift--; }
        }
        p[TFL_LOGISTIC_INPUT_ZERO_POINT] = input->zero_point;
        p[TFL_LOGISTIC_INPUT_RANGE_RADIUS] = tfl_to_int32(1.0 * 15 * pow2(27) / pow2(left_shift));
        p[TFL_LOGISTIC_INPUT_MULTIPLIER] = tfl_to_int32(tfl_round_half_away_double(q * 2147483648.0));
        p[TFL_LOGISTIC_INPUT_LEFT_SHIFT] = left_shift;
        return 0;
    }
    if (input->type != TFL_TYPE_INT16) return unsupported_type(op, input);
    /* Symmetric int16 with the output in Q0.15: the table lookup wants the input scaled so that
     * 2^17 stands for 10.7 (a scale of 1 / (3 * 4096)). */
    TFL_CHECK(op, input->zero_point == 0 && output->zero_point == 0, "int16 tensors must have zero point 0");
    int32_t out_log2, in_log2;
    int out_exact = tfl_checked_log2(output->scale, &out_log2);
    TFL_CHECK(op, out_exact && out_log2 == -15, "int16 output scale must be 2^-15, not that of %t", output);
    int in_exact = tfl_checked_log2(input->scale, &in_log2);
    /* A power-of-two input scale of 2^-12 (also 2^-11 for tanh) needs only a multiply by 3. */
    int32_t left_shift = 12 + in_log2, multiplier = 0;
    if (!(in_exact && (left_shift == 0 || (tanh && left_shift == 1)))) {
        double m = (double)input->scale * 4096 * 3;
        left_shift = 0;
        while (m <= 32767.0 / 2 && left_shift <= 30) {
            left_shift++;
            m = m * 2;
        }
        multiplier = tfl_to_int32(m);
    }
    p = activation_body(op, tanh ? TFL_BODY_tanh_int16 : TFL_BODY_logistic_int16, TFL_LOGISTIC_SIZE_WITH_TABLE, input, output);
    if (!p) return 1;
    p[TFL_LOGISTIC_INPUT_MULTIPLIER] = multiplier;
    p[TFL_LOGISTIC_INPUT_LEFT_SHIFT] = left_shift;
    tfl_sigmoid_table(&p[TFL_LOGISTIC_TABLE]);
    return 0;
}

void tfl_sigmoid_table(int32_t *words)
{
    /* Unsigned 16-bit little-endian, two entries per (zeroed) word. */
    uint32_t value = 32768, step = 683;
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t *word = (uint32_t *)&words[i / 2];
        *word |= value << (16 * (i & 1));
        value += step;
        if (i < 254) step += (uint32_t)(SIGMOID_D2[i] - 'm');
    }
}

int tfl_prepare_logistic(tfl_op *op) { return prepare_logistic_or_tanh(op, 0); }
int tfl_prepare_tanh(tfl_op *op) { return prepare_logistic_or_tanh(op, 1); }

/* ---- HARD_SWISH (TFLite's HardSwishPrepare, TFLM's copy): two 16-bit fixed-point multipliers ---- */

/* quantizeMultiplier, then TFLite's DownScaleInt32ToInt16Multiplier (the top 16 bits, rounded). The
 * STS's quantizeMultiplier keeps an infinite multiplier (exponent 0), which the downscale makes 32767. */
static void int16_multiplier(float real, int32_t *multiplier, int32_t *exponent)
{
    int32_t m;
    tfl_quantize_multiplier(real, &m, exponent);
    if (real > 3.4028234663852886e38f) m = INT32_MAX;
    *multiplier = m >= INT32_MAX - 32768 ? 32767 : (m + 32768) >> 16;
}

int tfl_prepare_hard_swish(tfl_op *op)
{
    tfl_tensor_info *input, *output;
    if (activation_tensors(op, &input, &output)) return 1;
    if (input->type == TFL_TYPE_FLOAT32)
        return !activation_body(op, TFL_BODY_hard_swish_float, TFL_HARD_SWISH_SIZE, input, output);
    if (input->type != TFL_TYPE_INT8) return unsupported_type(op, input);
    /* The input in 1/128 steps; relu6(x + 3) / 6 in 16-bit fixed point with 3 / 32768 steps. */
    float hires_input_scale = (float)((double)(1.0f / 128) * input->scale);
    float reluish_scale = (float)(3.0 / 32768);
    int32_t output_multiplier, output_exponent, reluish_multiplier, reluish_exponent;
    int16_multiplier((float)((double)hires_input_scale / output->scale), &output_multiplier, &output_exponent);
    TFL_CHECK(op, output_exponent <= 0, "output scale of %t is too small for input scale of %t", output, input);
    int16_multiplier((float)((double)hires_input_scale / reluish_scale), &reluish_multiplier, &reluish_exponent);
    int32_t *p = activation_body(op, TFL_BODY_hard_swish_int8, TFL_HARD_SWISH_SIZE, input, output);
    if (!p) return 1;
    p[TFL_HARD_SWISH_INPUT_ZERO_POINT] = input->zero_point;
    p[TFL_HARD_SWISH_OUTPUT_ZERO_POINT] = output->zero_point;
    p[TFL_HARD_SWISH_OUTPUT_MULTIPLIER] = output_multiplier;
    p[TFL_HARD_SWISH_OUTPUT_EXPONENT] = output_exponent;
    p[TFL_HARD_SWISH_RELUISH_MULTIPLIER] = reluish_multiplier;
    p[TFL_HARD_SWISH_RELUISH_EXPONENT] = reluish_exponent;
    return 0;
}
