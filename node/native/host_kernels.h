/* Host-only versions of some float kernels (host_kernels.c), for Node's native interpreter
 * (addon.c, which puts them in its body table in place of kernels/'s). Same parameters, same
 * results, bit for bit. */
#ifndef TINYML_HOST_KERNELS_H
#define TINYML_HOST_KERNELS_H

#include <stdint.h>

void host_depthwise_conv_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena);
void host_conv_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena);
void host_fully_connected_float(int32_t *p, const uint8_t *model, uint8_t *arena);
void host_max_pool_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena);
void host_average_pool_2d_float(int32_t *p, const uint8_t *model, uint8_t *arena);

#endif
