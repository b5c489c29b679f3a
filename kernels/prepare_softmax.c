/* SOFTMAX's prepare (kernel_softmax.ts prepareSoftmax). */
#include "prepare.h"
#include "libm.h"

enum { SOFTMAX_OPT_BETA = 0 };

/* TF_LITE_ENSURE_NEAR on floats: |a - b| <= epsilon, the difference (in double) rounded to float32. */
static int near_float(float a, double b, float epsilon)
{
    float delta = (float)(a > b ? a - b : b - a);
    return delta <= epsilon;
}

/* The functions the int16 tables sample, in float32 as TFLM's lambdas (std::exp of a float is expf). */
static float lut_function(int reciprocal, float x)
{
    return reciprocal ? 1.0f / (1.0f + x) : tfl_expf(x);
}

static int32_t clamp_int16(int32_t v) { return v < -32768 ? -32768 : v > 32767 ? 32767 : v; }

/* Element i of the int16 table packed two per word from `word`, little-endian as setNumber(Int16LE). */
static void set_int16(int32_t *p, uint32_t word, uint32_t i, int32_t v)
{
    uint8_t *b = (uint8_t *)p + 4 * word + 2 * i;
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)((uint32_t)v >> 8);
}

/* TFLM's LUTPopulateInt16<float> (output zero point 0): 512 samples of f over the input range, each
 * nudged by half the error that linear interpolation makes at the segment's midpoint, and the end
 * value. Every step is float32 arithmetic (the build does not contract into fused multiply-adds);
 * rounding is std::round (halves away from zero). */
static void populate_int16_lut(int32_t *p, uint32_t word, float input_scale, int32_t input_zero_point,
                               float output_scale, int reciprocal)
{
    float input_min = input_scale * (float)(-32768 - input_zero_point);
    float input_max = input_scale * (float)(32767 - input_zero_point);
    float output_min = output_scale * -32768.0f;
    float output_max = output_scale * 32767.0f;
    const uint32_t steps = 512;
    float step = (input_max - input_min) / (float)steps;
    float half_step = step / 2;
    float scaling_inv = 65536.0f / (output_max - output_min);
    for (uint32_t i = 0; i < steps; i++) {
        float x = input_min + (float)i * step;
        float val = lut_function(reciprocal, x);
        float val_midpoint = lut_function(reciprocal, x + half_step);
        float val_next = lut_function(reciprocal, input_min + (float)(i + 1) * step);
        int32_t sample = tfl_round_half_away(val * scaling_inv);
        int32_t midpoint_interp = tfl_round_half_away((val_next * scaling_inv + (float)sample) / 2);
        int32_t midpoint = tfl_round_half_away(val_midpoint * scaling_inv);
        int32_t bias = tfl_round_half_away((float)(midpoint_interp - midpoint) / 2);
        set_int16(p, word, i, clamp_int16(sample - bias));
    }
    set_int16(p, word, steps, clamp_int16(tfl_round_half_away(lut_function(reciprocal, input_max) * scaling_inv)));
}

int tfl_prepare_softmax(tfl_op *op)
{
    TFL_CHECK(op, op->input_count == 1 && op->output_count == 1, "needs exactly one input and one output");
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input && output, "needs an input and an output");
    TFL_CHECK(op, input->rank >= 1, "the input must have at least one dimension, not %t", input);
    int32_t depth = input->shape[input->rank - 1];
    TFL_CHECK(op, output->count == input->count && output->rank >= 1 && output->shape[output->rank - 1] == depth,
              "output %t must have the shape of input %t", output, input);
    TFL_CHECK(op, depth > 0, "the last dimension of %t is empty", input);
    float beta = tfl_opt_float(op, SOFTMAX_OPT_BETA, 0);
    TFL_DEFAULT_BUILD_TYPES(op, input->type == TFL_TYPE_INT8 && output->type == TFL_TYPE_INT8);

    int32_t *p;
    if (input->type == TFL_TYPE_FLOAT32) {
        TFL_CHECK(op, output->type == TFL_TYPE_FLOAT32, "float32 input needs a float32 output, not %y", (int32_t)output->type);
        p = tfl_use_body(op, TFL_BODY_softmax_float, TFL_SOFTMAX_WORDS);
        if (!p) return 1;
        tfl_set_param_float(p, TFL_SOFTMAX_BETA, beta);
    } else if (input->type == TFL_TYPE_INT8) {
        if (output->type == TFL_TYPE_INT8)
            TFL_CHECK(op, output->zero_point == -128 && output->scale == 1.0 / 256,
                      "an int8 output must have scale 1/256 and zero point -128, not scale %f and zero point %d",
                      (double)output->scale, output->zero_point);
        else if (output->type == TFL_TYPE_INT16)
            TFL_CHECK(op, output->zero_point == -32768 && near_float(output->scale, 1.0 / 65536, (float)(0.001 / 65536)),
                      "an int16 output of an int8 input must have scale 1/65536 and zero point -32768, not scale %f and zero point %d",
                      (double)output->scale, output->zero_point);
        else
            return tfl_op_fail(op, "int8 input needs an int8 or int16 output, not %y", (int32_t)output->type);
        /* The sum of exps (each at most 2^19 in Q12.19) must stay below 2^31. */
        TFL_CHECK(op, depth < 4096, "rows of %d values are too long for the int8 softmax (at most 4095)", depth);
        /* PreprocessSoftmaxScaling: beta * input_scale as a Q5.26 multiplier, capped below 2^31
         * (Math.min: NaN stays NaN). */
        double real = (double)beta * (double)input->scale * 67108864.0;
        if (real > 2147483647.0) real = 2147483647.0;
        int32_t multiplier, shift;
        tfl_quantize_multiplier(real, &multiplier, &shift);
        TFL_CHECK(op, real > 1 && shift >= 0,
                  "beta %f times input scale %f is too small for the int8 softmax (TFLM needs beta * scale * 2^26 > 1)",
                  (double)beta, (double)input->scale);
        p = tfl_use_body(op, output->type == TFL_TYPE_INT8 ? TFL_BODY_softmax_int8 : TFL_BODY_softmax_int8_int16, TFL_SOFTMAX_WORDS);
        if (!p) return 1;
        p[TFL_SOFTMAX_INPUT_MULTIPLIER] = multiplier;
        p[TFL_SOFTMAX_INPUT_SHIFT] = shift;
        /* -CalculateInputRadius(5, shift, 31): -floor((2^5 - 1) * 2^26 / 2^shift), 0 <= shift <= 31. */
        p[TFL_SOFTMAX_DIFF_MIN] = -(int32_t)(((uint64_t)31 << 26) >> shift);
    } else if (input->type == TFL_TYPE_INT16) {
        TFL_CHECK(op, output->type == TFL_TYPE_INT16, "int16 input needs an int16 output, not %y", (int32_t)output->type);
        TFL_CHECK(op, input->zero_point == 0, "an int16 input must have zero point 0, not %d", input->zero_point);
        TFL_CHECK(op, output->zero_point == 0 && near_float(output->scale, 1.0 / 32768, (float)(0.001 / 32768)),
                  "an int16 output must have scale 1/32768 and zero point 0, not scale %f and zero point %d",
                  (double)output->scale, output->zero_point);
        p = tfl_use_body(op, TFL_BODY_softmax_int16, TFL_SOFTMAX_WORDS_INT16);
        if (!p) return 1;
        /* Rescale differences so that [-65535, 0] stands for [-10, 0], the range of the exp table. */
        tfl_quantize_multiplier((double)input->scale * (double)beta / (10.0 / 65535.0),
                                &p[TFL_SOFTMAX_INPUT_MULTIPLIER], &p[TFL_SOFTMAX_INPUT_SHIFT]);
        /* TFLM's LUTPopulate<int16_t>: exp over inputs [-10, 0], 1/(1+x) over [0, 1], both into
         * outputs of scale 2/65535 (so 1.0 maps to the int16 maximum). */
        const double range = 65535;
        populate_int16_lut(p, TFL_SOFTMAX_EXP_LUT, (float)(10 / range), 32767, (float)(2 / range), 0);
        populate_int16_lut(p, TFL_SOFTMAX_ONE_OVER_ONE_PLUS_X_LUT, (float)(1 / range), -32768, (float)(2 / range), 1);
    } else
        return tfl_op_fail(op, "unsupported input type %y", (int32_t)input->type);

    tfl_param_tensor(op, TFL_SOFTMAX_INPUT, input);
    tfl_param_tensor(op, TFL_SOFTMAX_OUTPUT, output);
    p[TFL_SOFTMAX_OUTER_SIZE] = (int32_t)(input->count / (uint32_t)depth);
    p[TFL_SOFTMAX_DEPTH] = depth;
    return 0;
}
