/* expf and tanhf exactly as glibc 2.36 computes them (TFLM's goldens come from a glibc host
 * build), so that the float kernels match libs/tflite's libmExpf/libmTanhf bit for bit on every
 * target, whatever C library the target has (the kernels use none). */
#ifndef TFLITE_LIBM_H
#define TFLITE_LIBM_H

#include <stdint.h>

float tfl_expf(float x);
float tfl_tanhf(float x);
float tfl_expm1f(float x);
/* sqrtf, correctly rounded as in every C library (math.c: no library on the board). */
float tfl_sqrtf(float x);
/* logf exactly as glibc 2.36 computes it (math.c). */
float tfl_logf(float x);
/* sinf and cosf exactly as glibc 2.36 computes them (math.c). */
float tfl_sinf(float x);
float tfl_cosf(float x);
/* TFLM's float logistic of one value (activation.c: LOGISTIC, the LSTM's gates). */
float tfl_logistic_value(float x);
/* TFLM's int16 logistic or tanh of one value (activation.c: LOGISTIC, TANH, the LSTM's gates): its
 * (input_multiplier, input_left_shift), a multiplier of 0 meaning 3 << shift; `table` the 256
 * unsigned 16-bit little-endian entries of sigmoid_table_uint16 (tfl_sigmoid_table). */
int32_t tfl_sigmoid_int16_value(int32_t x, int32_t multiplier, int32_t left_shift, const uint8_t *table, int tanh);

#endif
