/* What the prepare functions share: TFLM's quantization helpers as libs/tflite/quantization.ts
 * computes them (the same double arithmetic, so the same words), and the table that finds an
 * operator's prepare function. */
#include "loader.h"
#include "prepare.h"
#include "kernel_util.h"

/* std::round on any double, kept a double: below 2^52, x - trunc(x) is exact; from 2^52 on every
 * double is whole. Infinities and NaN pass through. */
double tfl_round_half_away_double(double x)
{
    double a = x < 0 ? -x : x;
    if (!(a < 4503599627370496.0)) return x;
    double t = (double)(int64_t)a;
    if (a - t >= 0.5) t += 1;
    return x < 0 ? -t : t;
}

int32_t tfl_round_half_away(double x) { return (int32_t)tfl_round_half_away_double(x); }

tfl_op *tfl_preparing;

/* Fails the operator being prepared over a rescale multiplier whose shift passes `limit`, past
 * what TFLM's MultiplyByQuantizedMultiplier can apply (C leaves those shifts undefined). */
static void check_shift(int32_t shift, int32_t limit)
{
    if (shift > limit && tfl_preparing)
        tfl_op_fail(tfl_preparing, "output %t: rescale shift %d out of range", tfl_preparing->outputs[0], shift);
}

/* TFLM's QuantizeMultiplier: real ~= q * 2^(shift - 31) with q in [2^30, 2^31). Scaling by
 * powers of two is exact, so this frexp matches the C library's bit for bit. */
void tfl_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift)
{
    if (real == 0 || real != real) {
        *multiplier = 0;
        *shift = 0;
        return;
    }
    double f = real < 0 ? -real : real;
    int32_t e = 0;
    if (f > 1.7976931348623157e308) {   /* infinity: frexp gives (inf, 0) */
        *multiplier = 0;
        *shift = 0;
        return;
    }
    while (f >= 1) { f /= 2; e++; }
    while (f < 0.5) { f *= 2; e--; }
    if (real < 0) f = -f;
    int64_t q = (int64_t)tfl_round_half_away_double(f * 2147483648.0);
    if (q == 2147483648LL) {
        q /= 2;
        e++;
    }
    if (e < -31) {
        e = 0;
        q = 0;
    }
    check_shift(e, 31);   /* a left shift of an int32 */
    *multiplier = (int32_t)q;
    *shift = e;
}

/* A convolution's multiplier: the int16 kernels rescale a 64-bit sum by a right shift of 15 - shift,
 * so their shift must stay below 15 (TFLM shifts by a negative amount past it). */
__attribute__((noinline)) static void convolution_multiplier(double real, const tfl_tensor_info *input, int32_t *out)
{
    tfl_quantize_multiplier(real, &out[0], &out[1]);
    if (input->type == TFL_TYPE_INT16) check_shift(out[1], 14);
}

/* JavaScript's ToInt32 (what the STS setParam stores): NaN and infinities give 0, anything else
 * its integer part modulo 2^32. t / 2^32 is exact, and t - whole * 2^32 is exact too (Sterbenz). */
int32_t tfl_to_int32(double x)
{
    if (x != x || x - x != 0) return 0;
    double t = x < 0 ? -x : x;
    double q = t / 4294967296.0;
    if (q >= 9.2e18) return 0;   /* a multiple of 2^32 */
    double whole = (double)(int64_t)q;
    uint32_t r = (uint32_t)(int64_t)(t - whole * 4294967296.0);
    if (x < 0) r = (uint32_t)0 - r;
    return (int32_t)r;
}

/* Math.max and Math.min: NaN wins. */
static double js_max(double a, double b) { return a != a || b != b ? a + b : a > b ? a : b; }
static double js_min(double a, double b) { return a != a || b != b ? a + b : a < b ? a : b; }

/* quantizedActivationRange, in doubles as the STS computes it (a tiny scale puts the bounds far
 * outside int32; they are stored as ToInt32 of the double, as setParam does). */
void tfl_quantized_activation_range(int32_t activation, const tfl_tensor_info *t, int32_t *qmin, int32_t *qmax)
{
    double lo = -128, hi = 127;
    if (t->type == TFL_TYPE_INT16) { lo = -32768; hi = 32767; }
    else if (t->type == TFL_TYPE_UINT8) { lo = 0; hi = 255; }
    float s = t->scale;
    double z = t->zero_point;
    /* TFLM divides in float: x / scale is a float32 quotient before rounding. */
#define TFL_QUANTIZE(v) (z + tfl_round_half_away_double((double)((float)(v) / s)))
    if (activation == TFL_ACT_RELU) lo = js_max(lo, TFL_QUANTIZE(0));
    else if (activation == TFL_ACT_RELU6) {
        lo = js_max(lo, TFL_QUANTIZE(0));
        hi = js_min(hi, TFL_QUANTIZE(6));
    } else if (activation == TFL_ACT_RELU_N1_TO_1) {
        lo = js_max(lo, TFL_QUANTIZE(-1));
        hi = js_min(hi, TFL_QUANTIZE(1));
    }
#undef TFL_QUANTIZE
    *qmin = tfl_to_int32(lo);
    *qmax = tfl_to_int32(hi);
}

#define TFL_FLOAT32_MAX 3.4028234663852886e38f

void tfl_float_activation_range(int32_t activation, float *lo, float *hi)
{
    *lo = -TFL_FLOAT32_MAX;
    *hi = TFL_FLOAT32_MAX;
    if (activation == TFL_ACT_RELU) *lo = 0;
    else if (activation == TFL_ACT_RELU6) { *lo = 0; *hi = 6; }
    else if (activation == TFL_ACT_RELU_N1_TO_1) { *lo = -1; *hi = 1; }
}

/* PopulateConvolutionQuantizationParams: input_scale * filter_scale / output_scale in double. */
void tfl_per_channel_multipliers(const tfl_op *op, const tfl_tensor_info *input, const tfl_tensor_info *filter,
                                 const tfl_tensor_info *output, uint32_t channels, int32_t *out)
{
    int per_channel = filter->scale_count > 1;
    for (uint32_t c = 0; c < channels; c++) {
        double filter_scale = per_channel ? tfl_scale_at(op, filter, c) : filter->scale;
        convolution_multiplier((double)input->scale * filter_scale / (double)output->scale, input, &out[2 * c]);
    }
}

/* GetQuantizedConvolutionMultipler: the scales' product in float32, the quotient in double. */
void tfl_per_tensor_multiplier(const tfl_tensor_info *input, const tfl_tensor_info *filter, const tfl_tensor_info *output, int32_t *out)
{
    float product = input->scale * filter->scale;
    convolution_multiplier((double)product / (double)output->scale, input, out);
}

/* checkInt64Bias (quantization.ts): TFLM's int64 sum would overflow near 2^63; real 16x8 models'
 * biases stay far below 2^48. A value lies in [-2^48, 2^48) when its high word lies in
 * [-2^16, 2^16). */
int tfl_check_int64_bias(tfl_op *op, const tfl_tensor_info *bias)
{
    if (!bias) return 0;
    TFL_CHECK(op, bias->is_const, "the int64 bias %t must be constant", bias);
    const uint8_t *values = tfl_const_data(op, bias);
    for (uint32_t i = 0; i < bias->count; i++) {
        int32_t high = (int32_t)tfl_load_u32(values + 8 * i + 4);
        TFL_CHECK(op, high >= -65536 && high < 65536, "the int64 bias %t has value %d outside -2^48..2^48", bias, (int32_t)i);
    }
    return 0;
}

int tfl_check_conv_quantization(tfl_op *op, const tfl_tensor_info *input, const tfl_tensor_info *filter,
                                const tfl_tensor_info *output, int32_t output_depth, int32_t channel_dim)
{
    TFL_CHECK(op, input->scale > 0 && output->scale > 0, "quantized input and output need a scale");
    TFL_CHECK(op, filter->scale_count > 0, "the quantized filter needs a scale");
    int zero = filter->zero_point == 0;
    for (uint32_t i = 0; i < filter->zero_point_count; i++) zero = zero && tfl_zero_point_at(op, filter, i) == 0;
    TFL_CHECK(op, zero, "the filter's zero points must be 0");
    if (filter->scale_count > 1)
        TFL_CHECK(op, filter->quantized_dimension == channel_dim && filter->scale_count == (uint32_t)output_depth,
                  "per-channel filter %t needs %d scales along dimension %d", filter, output_depth, channel_dim);
    /* A (multiplier, shift) pair per channel: a block past 2^31 bytes is out of reach anyway. */
    TFL_CHECK(op, output_depth < 0x10000000, "out of memory: %d output channels", output_depth);
    return 0;
}

static int equals(const char *a, uint32_t n, const char *b)
{
    uint32_t i = 0;
    for (; b[i]; i++)
        if (i >= n || a[i] != b[i]) return 0;
    return i == n;
}

/* An op none of whose kernels this build carries: its prepare is left out too. */
#if TINYML_ALL_OPS
#define RARE(prepare) prepare
#else
#define RARE(prepare) tfl_prepare_left_out
#endif

tfl_prepare_fn tfl_find_prepare(const tfl_op *op, const char *custom_name, uint32_t custom_name_length)
{
    if (op->opcode == TFL_OP_CUSTOM) {
        static const struct { const char *name; tfl_prepare_fn fn; } custom[] = {
            {"SignalWindow", tfl_prepare_signal_window},
            {"SignalFftAutoScale", tfl_prepare_signal_fft_auto_scale},
            {"SignalRfft", tfl_prepare_signal_rfft},
            {"SignalEnergy", tfl_prepare_signal_energy},
            {"SignalFilterBank", tfl_prepare_signal_filter_bank},
            {"SignalFilterBankSquareRoot", tfl_prepare_signal_filter_bank_square_root},
            {"SignalFilterBankSpectralSubtraction", tfl_prepare_signal_spectral_subtraction},
            {"SignalPCAN", tfl_prepare_signal_pcan},
            {"SignalFilterBankLog", tfl_prepare_signal_filter_bank_log},
#if TINYML_ALL_OPS
            /* Not in the default build's table at all: each name costs its bytes there. */
            {"SignalDelay", tfl_prepare_signal_delay},
            {"CIRCULAR_BUFFER", tfl_prepare_circular_buffer},
            {"SignalOverlapAdd", tfl_prepare_signal_overlap_add},
            {"TFLite_Detection_PostProcess", tfl_prepare_detection_postprocess},
            {"TFLM_DECODE", tfl_prepare_decode},
            {"SignalFramer", tfl_prepare_signal_framer},
            {"SignalStacker", tfl_prepare_signal_stacker},
            {"SignalIrfft", tfl_prepare_signal_irfft},
#endif
        };
        for (uint32_t i = 0; i < sizeof(custom) / sizeof(custom[0]); i++)
            if (equals(custom_name, custom_name_length, custom[i].name)) return custom[i].fn;
        /* The default build's table leaves the all-ops custom ops out (each name costs its bytes
         * there): any other name may be one of them, and is refused as they are. */
        return TINYML_ALL_OPS ? 0 : tfl_prepare_left_out;
    }
    switch (op->opcode) {
    case TFL_OP_RELU: return RARE(tfl_prepare_relu);
    case TFL_OP_RELU_N1_TO_1: return RARE(tfl_prepare_relu_n1_to_1);
    case TFL_OP_RELU6: return RARE(tfl_prepare_relu6);
    case TFL_OP_LEAKY_RELU: return RARE(tfl_prepare_leaky_relu);
    case TFL_OP_LOGISTIC: return RARE(tfl_prepare_logistic);
    case TFL_OP_TANH: return RARE(tfl_prepare_tanh);
    case TFL_OP_HARD_SWISH: return RARE(tfl_prepare_hard_swish);
    case TFL_OP_CAST: return tfl_prepare_cast;
    case TFL_OP_CONV_2D: return tfl_prepare_conv_2d;
    case TFL_OP_DEPTHWISE_CONV_2D: return tfl_prepare_depthwise_conv_2d;
    case TFL_OP_ADD: return tfl_prepare_add;
    case TFL_OP_SUB: return RARE(tfl_prepare_sub);
    case TFL_OP_MUL: return tfl_prepare_mul;
    case TFL_OP_DIV: return tfl_prepare_div;
    case TFL_OP_MAXIMUM: return tfl_prepare_maximum;
    case TFL_OP_MINIMUM: return tfl_prepare_minimum;
    case TFL_OP_ABS: return RARE(tfl_prepare_abs);
    case TFL_OP_NEG: return RARE(tfl_prepare_neg);
    case TFL_OP_SQUARE: return RARE(tfl_prepare_square);
    case TFL_OP_SQRT: return RARE(tfl_prepare_sqrt);
    case TFL_OP_RSQRT: return RARE(tfl_prepare_rsqrt);
    case TFL_OP_CEIL: return RARE(tfl_prepare_ceil);
    case TFL_OP_FLOOR: return RARE(tfl_prepare_floor);
    case TFL_OP_ROUND: return RARE(tfl_prepare_round);
    case TFL_OP_EXP: return RARE(tfl_prepare_exp);
    case TFL_OP_ELU: return RARE(tfl_prepare_elu);
    case TFL_OP_LOG: return RARE(tfl_prepare_log);
    case TFL_OP_SIN: return RARE(tfl_prepare_sin);
    case TFL_OP_COS: return RARE(tfl_prepare_cos);
    case TFL_OP_FLOOR_DIV: return RARE(tfl_prepare_floor_div);
    case TFL_OP_FLOOR_MOD: return RARE(tfl_prepare_floor_mod);
    case TFL_OP_SQUARED_DIFFERENCE: return RARE(tfl_prepare_squared_difference);
    case TFL_OP_PRELU: return RARE(tfl_prepare_prelu);
    case TFL_OP_FULLY_CONNECTED: return tfl_prepare_fully_connected;
    case TFL_OP_AVERAGE_POOL_2D:
    case TFL_OP_MAX_POOL_2D: return tfl_prepare_pool;
    case TFL_OP_QUANTIZE: return RARE(tfl_prepare_quantize);
    case TFL_OP_DEQUANTIZE: return RARE(tfl_prepare_dequantize);
    case TFL_OP_RESHAPE: return tfl_prepare_reshape;
    case TFL_OP_SQUEEZE: return RARE(tfl_prepare_squeeze);
    case TFL_OP_EXPAND_DIMS: return RARE(tfl_prepare_expand_dims);
    case TFL_OP_CONCATENATION: return RARE(tfl_prepare_concatenation);
    case TFL_OP_PAD:
    case TFL_OP_PADV2: return RARE(tfl_prepare_pad);
    case TFL_OP_MEAN: return RARE(tfl_prepare_mean);
    case TFL_OP_SUM: return RARE(tfl_prepare_sum);
    case TFL_OP_REDUCE_MAX: return RARE(tfl_prepare_reduce_max);
    case TFL_OP_REDUCE_MIN: return RARE(tfl_prepare_reduce_min);
    case TFL_OP_REDUCE_ALL: return RARE(tfl_prepare_reduce_all);
    case TFL_OP_STRIDED_SLICE: return RARE(tfl_prepare_strided_slice);
    case TFL_OP_TRANSPOSE: return RARE(tfl_prepare_transpose);
    case TFL_OP_TRANSPOSE_CONV: return RARE(tfl_prepare_transpose_conv);
    case TFL_OP_GATHER: return RARE(tfl_prepare_gather);
    case TFL_OP_GATHER_ND: return RARE(tfl_prepare_gather_nd);
    case TFL_OP_SPLIT: return RARE(tfl_prepare_split);
    case TFL_OP_SPLIT_V: return RARE(tfl_prepare_split_v);
    case TFL_OP_PACK: return RARE(tfl_prepare_pack);
    case TFL_OP_UNPACK: return RARE(tfl_prepare_unpack);
    case TFL_OP_SLICE: return RARE(tfl_prepare_slice);
    case TFL_OP_SHAPE: return RARE(tfl_prepare_shape);
    case TFL_OP_REVERSE_V2: return RARE(tfl_prepare_reverse_v2);
    case TFL_OP_BROADCAST_TO: return RARE(tfl_prepare_broadcast_to);
    case TFL_OP_DEPTH_TO_SPACE: return RARE(tfl_prepare_depth_to_space);
    case TFL_OP_SPACE_TO_DEPTH: return RARE(tfl_prepare_space_to_depth);
    case TFL_OP_RESIZE_NEAREST_NEIGHBOR: return RARE(tfl_prepare_resize_nearest_neighbor);
    case TFL_OP_RESIZE_BILINEAR: return RARE(tfl_prepare_resize_bilinear);
    case TFL_OP_L2_NORMALIZATION: return RARE(tfl_prepare_l2_normalization);
    case TFL_OP_L2_POOL_2D: return RARE(tfl_prepare_pool);
    case TFL_OP_LOG_SOFTMAX: return RARE(tfl_prepare_log_softmax);
    case TFL_OP_BATCH_MATMUL: return RARE(tfl_prepare_batch_matmul);
    case TFL_OP_DYNAMIC_UPDATE_SLICE: return RARE(tfl_prepare_dynamic_update_slice);
    case TFL_OP_CUMSUM: return RARE(tfl_prepare_cumsum);
    case TFL_OP_MIRROR_PAD: return RARE(tfl_prepare_mirror_pad);
    case TFL_OP_SPACE_TO_BATCH_ND: return RARE(tfl_prepare_space_to_batch_nd);
    case TFL_OP_BATCH_TO_SPACE_ND: return RARE(tfl_prepare_batch_to_space_nd);
    case TFL_OP_EMBEDDING_LOOKUP: return RARE(tfl_prepare_embedding_lookup);
    case TFL_OP_BROADCAST_ARGS: return RARE(tfl_prepare_broadcast_args);
    case TFL_OP_CALL_ONCE: return RARE(tfl_prepare_call_once);
    case TFL_OP_IF: return RARE(tfl_prepare_if);
    case TFL_OP_WHILE: return RARE(tfl_prepare_while);
    case TFL_OP_VAR_HANDLE: return RARE(tfl_prepare_var_handle);
    case TFL_OP_READ_VARIABLE: return RARE(tfl_prepare_read_variable);
    case TFL_OP_ASSIGN_VARIABLE: return RARE(tfl_prepare_assign_variable);
    case TFL_OP_SOFTMAX: return tfl_prepare_softmax;
    case TFL_OP_SVDF: return RARE(tfl_prepare_svdf);
    case TFL_OP_UNIDIRECTIONAL_SEQUENCE_LSTM: return RARE(tfl_prepare_unidirectional_sequence_lstm);
    case TFL_OP_EQUAL: return RARE(tfl_prepare_equal);
    case TFL_OP_NOT_EQUAL: return RARE(tfl_prepare_not_equal);
    case TFL_OP_LESS: return RARE(tfl_prepare_less);
    case TFL_OP_LESS_EQUAL: return RARE(tfl_prepare_less_equal);
    case TFL_OP_GREATER: return RARE(tfl_prepare_greater);
    case TFL_OP_GREATER_EQUAL: return RARE(tfl_prepare_greater_equal);
    case TFL_OP_LOGICAL_AND: return RARE(tfl_prepare_logical_and);
    case TFL_OP_LOGICAL_OR: return RARE(tfl_prepare_logical_or);
    case TFL_OP_LOGICAL_NOT: return RARE(tfl_prepare_logical_not);
    case TFL_OP_FILL: return RARE(tfl_prepare_fill);
    case TFL_OP_ZEROS_LIKE: return RARE(tfl_prepare_zeros_like);
    case TFL_OP_SELECT_V2: return RARE(tfl_prepare_select_v2);
    case TFL_OP_ARG_MAX: return RARE(tfl_prepare_arg_max);
    case TFL_OP_ARG_MIN: return RARE(tfl_prepare_arg_min);
    case TFL_OP_ADD_N: return RARE(tfl_prepare_add_n);
    default: return 0;
    }
}
