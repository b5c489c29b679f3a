/* The prepare functions of the C loader, one per operator (prepare_*.c): each is the C twin of
 * the STS prepare in libs/tflite/kernel_*.ts and writes the same parameter block, word for word. */
#ifndef TFLITE_PREPARE_H
#define TFLITE_PREPARE_H

#include "loader.h"

/* prepare_activation.c */
int tfl_prepare_relu(tfl_op *op);
int tfl_prepare_relu_n1_to_1(tfl_op *op);
int tfl_prepare_relu6(tfl_op *op);
int tfl_prepare_leaky_relu(tfl_op *op);
int tfl_prepare_logistic(tfl_op *op);
int tfl_prepare_tanh(tfl_op *op);
int tfl_prepare_hard_swish(tfl_op *op);
/* prepare_cast.c */
int tfl_prepare_cast(tfl_op *op);
/* prepare_compare.c */
int tfl_prepare_equal(tfl_op *op);
int tfl_prepare_not_equal(tfl_op *op);
int tfl_prepare_less(tfl_op *op);
int tfl_prepare_less_equal(tfl_op *op);
int tfl_prepare_greater(tfl_op *op);
int tfl_prepare_greater_equal(tfl_op *op);
int tfl_prepare_logical_and(tfl_op *op);
int tfl_prepare_logical_or(tfl_op *op);
int tfl_prepare_logical_not(tfl_op *op);
int tfl_prepare_fill(tfl_op *op);
int tfl_prepare_zeros_like(tfl_op *op);
int tfl_prepare_select_v2(tfl_op *op);
int tfl_prepare_arg_max(tfl_op *op);
int tfl_prepare_arg_min(tfl_op *op);
int tfl_prepare_add_n(tfl_op *op);
/* prepare_control.c (TINYML_ALL_OPS only) */
int tfl_prepare_call_once(tfl_op *op);
int tfl_prepare_if(tfl_op *op);
int tfl_prepare_while(tfl_op *op);
int tfl_prepare_var_handle(tfl_op *op);
int tfl_prepare_read_variable(tfl_op *op);
int tfl_prepare_assign_variable(tfl_op *op);
/* prepare_conv.c */
int tfl_prepare_conv_2d(tfl_op *op);
int tfl_prepare_depthwise_conv_2d(tfl_op *op);
/* prepare_elementwise.c */
int tfl_prepare_add(tfl_op *op);
int tfl_prepare_sub(tfl_op *op);
int tfl_prepare_mul(tfl_op *op);
int tfl_prepare_div(tfl_op *op);
int tfl_prepare_maximum(tfl_op *op);
int tfl_prepare_minimum(tfl_op *op);
/* prepare_fully_connected.c */
int tfl_prepare_fully_connected(tfl_op *op);
/* prepare_l2.c */
int tfl_prepare_l2_normalization(tfl_op *op);
int tfl_prepare_log_softmax(tfl_op *op);
/* prepare_matmul.c */
int tfl_prepare_batch_matmul(tfl_op *op);
int tfl_prepare_dynamic_update_slice(tfl_op *op);
int tfl_prepare_cumsum(tfl_op *op);
/* prepare_math.c */
int32_t tfl_inv_sqrt_multiplier(int32_t input, int32_t *left_shift);
int tfl_prepare_abs(tfl_op *op);
int tfl_prepare_neg(tfl_op *op);
int tfl_prepare_square(tfl_op *op);
int tfl_prepare_sqrt(tfl_op *op);
int tfl_prepare_rsqrt(tfl_op *op);
int tfl_prepare_ceil(tfl_op *op);
int tfl_prepare_floor(tfl_op *op);
int tfl_prepare_round(tfl_op *op);
int tfl_prepare_exp(tfl_op *op);
int tfl_prepare_elu(tfl_op *op);
int tfl_prepare_log(tfl_op *op);
int tfl_prepare_sin(tfl_op *op);
int tfl_prepare_cos(tfl_op *op);
int tfl_prepare_floor_div(tfl_op *op);
int tfl_prepare_floor_mod(tfl_op *op);
int tfl_prepare_squared_difference(tfl_op *op);
int tfl_prepare_prelu(tfl_op *op);
/* prepare_pool.c: AVERAGE_POOL_2D, MAX_POOL_2D and (all-ops builds) L2_POOL_2D */
int tfl_prepare_pool(tfl_op *op);
/* prepare_move.c */
int tfl_prepare_gather(tfl_op *op);
int tfl_prepare_gather_nd(tfl_op *op);
int tfl_prepare_split(tfl_op *op);
int tfl_prepare_split_v(tfl_op *op);
int tfl_prepare_pack(tfl_op *op);
int tfl_prepare_unpack(tfl_op *op);
int tfl_prepare_slice(tfl_op *op);
int tfl_prepare_shape(tfl_op *op);
int tfl_prepare_reverse_v2(tfl_op *op);
int tfl_prepare_broadcast_to(tfl_op *op);
int tfl_prepare_depth_to_space(tfl_op *op);
int tfl_prepare_space_to_depth(tfl_op *op);
/* prepare_quantize.c */
int tfl_prepare_quantize(tfl_op *op);
int tfl_prepare_dequantize(tfl_op *op);
/* prepare_resize.c */
int tfl_prepare_resize_nearest_neighbor(tfl_op *op);
int tfl_prepare_resize_bilinear(tfl_op *op);
int tfl_prepare_mirror_pad(tfl_op *op);
int tfl_prepare_space_to_batch_nd(tfl_op *op);
int tfl_prepare_batch_to_space_nd(tfl_op *op);
int tfl_prepare_embedding_lookup(tfl_op *op);
int tfl_prepare_broadcast_args(tfl_op *op);
/* prepare_shape.c: PAD and PADV2 share tfl_prepare_pad */
int tfl_prepare_reshape(tfl_op *op);
int tfl_prepare_squeeze(tfl_op *op);
int tfl_prepare_expand_dims(tfl_op *op);
int tfl_prepare_concatenation(tfl_op *op);
int tfl_prepare_pad(tfl_op *op);
int tfl_prepare_mean(tfl_op *op);
int tfl_prepare_sum(tfl_op *op);
int tfl_prepare_reduce_max(tfl_op *op);
int tfl_prepare_reduce_min(tfl_op *op);
int tfl_prepare_reduce_all(tfl_op *op);
int tfl_prepare_strided_slice(tfl_op *op);
int tfl_prepare_transpose(tfl_op *op);
/* prepare_signal.c: TFLM's Signal library custom ops */
int tfl_prepare_signal_window(tfl_op *op);
int tfl_prepare_signal_fft_auto_scale(tfl_op *op);
int tfl_prepare_signal_rfft(tfl_op *op);
int tfl_prepare_signal_energy(tfl_op *op);
int tfl_prepare_signal_filter_bank(tfl_op *op);
int tfl_prepare_signal_filter_bank_square_root(tfl_op *op);
int tfl_prepare_signal_spectral_subtraction(tfl_op *op);
int tfl_prepare_signal_pcan(tfl_op *op);
int tfl_prepare_signal_filter_bank_log(tfl_op *op);
int tfl_prepare_signal_delay(tfl_op *op); /* all-ops builds only */
/* prepare_signal.c, all-ops builds only: an option of a custom op's FlexBuffer map (0 found, -1 absent, 1 failed) */
int tfl_custom_option(tfl_op *op, const char *key, int integer, double *out);
/* prepare_detection.c */
int tfl_prepare_detection_postprocess(tfl_op *op); /* all-ops builds only */
/* prepare_decode.c */
int tfl_prepare_decode(tfl_op *op); /* all-ops builds only */
/* decode.c: Huffman codewords walked (kernel_decode.ts huffmanWalk), checked when output is NULL */
int tflite_decode_huffman_walk(const int32_t *q, const uint8_t *codes, uint32_t code_bytes, const uint8_t *tables, uint32_t entries,
                               uint8_t *output, uint32_t *failed_element, uint32_t *failed_entry);
int tfl_prepare_circular_buffer(tfl_op *op); /* all-ops builds only */
int tfl_prepare_signal_overlap_add(tfl_op *op); /* all-ops builds only */
int tfl_prepare_signal_framer(tfl_op *op); /* all-ops builds only */
int tfl_prepare_signal_stacker(tfl_op *op); /* all-ops builds only */
int tfl_prepare_signal_irfft(tfl_op *op); /* all-ops builds only */
/* prepare_elementwise.c: kernel_elementwise.ts broadcastWalk, the words Rows to Strides2 + 5 of an
 * ElementwiseParams block (also MathBinaryParams': prepare_math.c) */
int tfl_broadcast_walk(tfl_op *op, int32_t *p, const tfl_tensor_info *a, const tfl_tensor_info *b,
                       const tfl_tensor_info *out);
/* prepare_util.c: checkInt64Bias, the int16 kernels' bias: constant, each value within -2^48..2^48 */
int tfl_check_int64_bias(tfl_op *op, const tfl_tensor_info *bias);
/* prepare_util.c: convolutionMultipliers' checks (kernel_conv.ts) for CONV_2D, DEPTHWISE_CONV_2D and
 * TRANSPOSE_CONV: the scales, the filter's zero points all 0, one scale or one per output channel
 * along channel_dim */
int tfl_check_conv_quantization(tfl_op *op, const tfl_tensor_info *input, const tfl_tensor_info *filter,
                                const tfl_tensor_info *output, int32_t output_depth, int32_t channel_dim);
/* prepare_softmax.c */
int tfl_prepare_softmax(tfl_op *op);
/* prepare_svdf.c */
int tfl_prepare_svdf(tfl_op *op);
/* prepare_lstm.c */
int tfl_prepare_unidirectional_sequence_lstm(tfl_op *op);
/* prepare_activation.c: TFLM's CheckedLog2 (1 if x is a power of two, *rounded its log2), and
 * sigmoid_table_uint16 written into 128 zeroed words (LOGISTIC and TANH int16, the LSTM) */
int tfl_checked_log2(float x, int32_t *rounded);
void tfl_sigmoid_table(int32_t *words);
/* prepare_transpose_conv.c */
int tfl_prepare_transpose_conv(tfl_op *op);

#endif
