/* Host-only versions of some kernels (host_kernels.c), for Node's native interpreter (addon.c). */
#ifndef TINYML_HOST_KERNELS_H
#define TINYML_HOST_KERNELS_H

#include <stdint.h>

/* Puts the host versions into `bodies` (indexed by body number, TFLITE_BODIES' order). */
void host_kernels_install(void (**bodies)(int32_t *params, const uint8_t *model, uint8_t *arena));

#endif
