#include "loader.h"
#include "host_kernels.h"

void host_kernels_install(void (**bodies)(int32_t *params, const uint8_t *model, uint8_t *arena))
{
    (void)bodies;
}
