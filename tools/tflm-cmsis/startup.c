/* Bare-metal start for QEMU's mps2-an386 (Cortex-M4F, the ELF loaded straight into RAM) or, with
 * TFLM_BENCH_MICROBIT, QEMU's microbit (Cortex-M0: .data copied from flash, 16 KB of RAM): vector
 * table, FPU access on where there is one, .bss cleared, C++ constructors, newlib's stdio over
 * rdimon semihosting, argv from the semihosting command line, and main's status returned to QEMU. */
#include <stdint.h>
#include <string.h>
#include <stdio.h>

extern uint32_t __stack_top, __bss_start__, __bss_end__;
#if defined(TFLM_BENCH_MICROBIT)
extern uint32_t __data_load__, __data_start__, __data_end__;
#endif
extern void initialise_monitor_handles(void);
extern void __libc_init_array(void);
int main(int argc, char **argv);
void Reset_Handler(void);
void Fault_Handler(void);

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))&__stack_top, Reset_Handler, Fault_Handler, Fault_Handler,
    Fault_Handler, Fault_Handler, Fault_Handler, 0, 0, 0, 0, Fault_Handler, Fault_Handler, 0, Fault_Handler, Fault_Handler,
};

static uint32_t semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void semihost_exit(int code)
{
    uint32_t block[2] = {0x20026, (uint32_t)code}; /* ADP_Stopped_ApplicationExit, status */
    semihost(0x20, block);
    for (;;) {
    }
}

void Fault_Handler(void)
{
    static const char msg[] = "tflm_bench: CPU fault\n";
    semihost(0x04, msg);
    semihost_exit(3);
}

#if defined(TFLM_BENCH_MICROBIT)
/* Room for two paths and a model's few case names; the rest of the 16 KB is the arena's. */
static char cmdline[512];
static char *args[16];
#else
static char cmdline[2048];
static char *args[64];
#endif

void Reset_Handler(void)
{
#if defined(__ARM_FP)
    *(volatile uint32_t *)0xe000ed88u |= 0xfu << 20; /* CPACR: CP10, CP11 (the FPU) */
    __asm__ volatile("dsb\n\tisb");
#endif
#if defined(TFLM_BENCH_MICROBIT)
    memcpy(&__data_start__, &__data_load__, (size_t)((char *)&__data_end__ - (char *)&__data_start__));
#endif
    memset(&__bss_start__, 0, (size_t)((char *)&__bss_end__ - (char *)&__bss_start__));
    __libc_init_array();
    initialise_monitor_handles();
    uint32_t block[2] = {(uint32_t)cmdline, sizeof cmdline - 1};
    int argc = 0;
    if (semihost(0x15, block) == 0) { /* SYS_GET_CMDLINE */
        char *s = cmdline;
        while (*s && argc < (int)(sizeof args / sizeof args[0]) - 1) {
            while (*s == ' ') *s++ = 0;
            if (!*s) break;
            args[argc++] = s;
            while (*s && *s != ' ') s++;
        }
    }
    args[argc] = 0;
    int code = main(argc, args);
    fflush(NULL);
    semihost_exit(code);
}

/* No-ops that __libc_init_array calls around the constructors when -nostartfiles drops crti. */
void _init(void) {}
void _fini(void) {}
