/* What the replay harness needs from where it runs: room for the model, the arena and the
 * parameter block, and a clock to time each kernel call.
 *
 * Host: static arrays; no clock (instruction counts come from the emulated boards).
 *
 * QEMU mps2-an386 (Cortex-M4, HARNESS_MPS2): the big arrays in the board's 16 MB PSRAM; the clock
 * is CMSDK APB timer 0, a 32-bit down counter at the 25 MHz system clock. Run with `-icount
 * shift=0`, QEMU advances virtual time by exactly 1 ns per instruction, so one tick is 40
 * instructions: a call's count is known to +-40 instructions.
 *
 * QEMU microbit (nRF51, Cortex-M0, HARNESS_MICROBIT): 16 KB of RAM, 256 KB of flash. The model is
 * written into the upper 128 KB of flash through the NVMC (erase page, write words), as a real
 * nRF51 would; the arena and parameter block must fit what RAM is left, else the call is skipped.
 * The clock is TIMER0 in 32-bit mode at 16 MHz: one tick is 62.5 instructions with
 * `-icount shift=0`. */
#ifndef HARNESS_PLATFORM_H
#define HARNESS_PLATFORM_H

#include <stdint.h>
#include <string.h>

#if defined(HARNESS_MICROBIT)
#define HARNESS_MODEL_MAX (128u << 10)
#define HARNESS_POOL_BYTES 9408u
#define HARNESS_BIG
#define NRF_TIMER0 ((volatile uint32_t *)0x40008000u)
#define NRF_NVMC ((volatile uint32_t *)0x4001e000u)
#define MODEL_FLASH ((uint32_t *)0x00020000u)
static inline void platform_init(void)
{
    NRF_TIMER0[0x504 / 4] = 0; /* MODE: timer */
    NRF_TIMER0[0x508 / 4] = 3; /* BITMODE: 32 bits */
    NRF_TIMER0[0x510 / 4] = 0; /* PRESCALER: 16 MHz */
    NRF_TIMER0[0x00c / 4] = 1; /* TASKS_CLEAR */
    NRF_TIMER0[0x000 / 4] = 1; /* TASKS_START */
}
static inline uint32_t platform_ticks(void)
{
    NRF_TIMER0[0x040 / 4] = 1; /* TASKS_CAPTURE[0] */
    return NRF_TIMER0[0x540 / 4]; /* CC[0] */
}
/* startup_cortexm.c: the RAM neither the heap nor the stack has used so far. */
uint32_t harness_ram_never_used(void);
static inline void nvmc_wait(void)
{
    while (!(NRF_NVMC[0x400 / 4] & 1)) { /* READY */
    }
}
/* Erases the flash pages the model needs. */
static inline void platform_model_begin(uint32_t bytes)
{
    NRF_NVMC[0x504 / 4] = 2; /* CONFIG: erase enabled */
    nvmc_wait();
    for (uint32_t page = 0; page < (bytes + 1023) / 1024; page++) {
        NRF_NVMC[0x508 / 4] = (uint32_t)MODEL_FLASH + 1024 * page; /* ERASEPAGE */
        nvmc_wait();
    }
    NRF_NVMC[0x504 / 4] = 1; /* CONFIG: write enabled */
    nvmc_wait();
}
/* Writes model bytes [at, at + n) (at a multiple of 4) into flash, a word at a time. */
static inline void platform_model_write(uint32_t at, const uint8_t *bytes, uint32_t n)
{
    for (uint32_t i = 0; i < n; i += 4) {
        uint32_t word = 0xffffffffu;
        memcpy(&word, bytes + i, n - i < 4 ? n - i : 4);
        MODEL_FLASH[(at + i) / 4] = word;
        nvmc_wait();
    }
}
static inline const uint8_t *platform_model_data(void)
{
    NRF_NVMC[0x504 / 4] = 0; /* CONFIG: read only */
    nvmc_wait();
    return (const uint8_t *)MODEL_FLASH;
}
#else
#if defined(HARNESS_MPS2)
#define HARNESS_BIG __attribute__((section(".psram")))
#define NEED_CMSDK_TIMER 1
#else
#define HARNESS_BIG
#endif
#define HARNESS_MODEL_MAX (1u << 20)
#define HARNESS_POOL_BYTES ((1u << 20) + (64u << 10))
static uint8_t harness_model[HARNESS_MODEL_MAX] HARNESS_BIG;
static inline void platform_model_begin(uint32_t bytes)
{
    (void)bytes;
}
static inline void platform_model_write(uint32_t at, const uint8_t *bytes, uint32_t n)
{
    memcpy(harness_model + at, bytes, n);
}
static inline const uint8_t *platform_model_data(void)
{
    return harness_model;
}
#if defined(NEED_CMSDK_TIMER)
#define CMSDK_TIMER0 ((volatile uint32_t *)0x40000000u)
static inline void platform_init(void)
{
    CMSDK_TIMER0[0] = 0;           /* CTRL: stop */
    CMSDK_TIMER0[2] = 0xffffffffu; /* RELOAD */
    CMSDK_TIMER0[1] = 0xffffffffu; /* VALUE */
    CMSDK_TIMER0[0] = 1;           /* CTRL: enable */
}
/* Counts up (the timer counts down). */
static inline uint32_t platform_ticks(void)
{
    return ~CMSDK_TIMER0[1];
}
#else
static inline void platform_init(void) {}
static inline uint32_t platform_ticks(void) { return 0; }
#endif
#endif

#endif
