/* Bare-metal start for the replay harness on QEMU's Cortex-M boards: mps2-an386 (Cortex-M4F,
 * everything loaded into RAM) and, with HARNESS_MICROBIT, microbit (Cortex-M0, .data copied from
 * flash): vector table, FPU on where there is one, .bss cleared, argv from the semihosting
 * command line, newlib's stdio through rdimon semihosting, and an exit code returned to QEMU
 * (SYS_EXIT_EXTENDED). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stddef.h>

extern uint32_t __stack_top, __bss_start__, __bss_end__;
#if defined(HARNESS_MICROBIT)
extern uint32_t __data_load__, __data_start__, __data_end__;
#endif
extern void initialise_monitor_handles(void);
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
    /* ADP_Stopped_ApplicationExit with the status. */
    uint32_t block[2] = {0x20026, (uint32_t)code};
    semihost(0x20, block);
    for (;;) {
    }
}

void Fault_Handler(void)
{
    static const char msg[] = "harness: CPU fault\n";
    semihost(0x04, msg);
    semihost_exit(3);
}

#if defined(HARNESS_MICROBIT)
#define RAM_PAINT 0x5ca1ab1eu
extern uint32_t end;
void *sbrk(ptrdiff_t increment);
/* Bytes between the top of the heap and the deepest the stack has been: what the 16 KB board
 * has to spare. */
uint32_t harness_ram_never_used(void)
{
    uint32_t *w = (uint32_t *)(((uintptr_t)sbrk(0) + 3) & ~(uintptr_t)3);
    uint32_t *const from = w;
    while (*w == RAM_PAINT) w++;
    return (uint32_t)(4 * (w - from));
}
#endif

static char cmdline[256];
static char *args[16];

void Reset_Handler(void)
{
#if defined(__ARM_FP)
    /* CPACR: full access to CP10 and CP11 (the FPU) before any floating-point instruction. */
    *(volatile uint32_t *)0xe000ed88u |= 0xfu << 20;
    __asm__ volatile("dsb\n\tisb");
#endif
#if defined(HARNESS_MICROBIT)
    memcpy(&__data_start__, &__data_load__, (size_t)((char *)&__data_end__ - (char *)&__data_start__));
#endif
    memset(&__bss_start__, 0, (size_t)((char *)&__bss_end__ - (char *)&__bss_start__));
#if defined(HARNESS_MICROBIT)
    /* Paint the RAM between the heap and the stack, for harness_ram_never_used(). */
    uint32_t here;
    for (uint32_t *w = &end; w + 16 < &here; w++) *w = RAM_PAINT;
#endif
    initialise_monitor_handles();
    uint32_t block[2] = {(uint32_t)cmdline, sizeof cmdline - 1};
    int argc = 0;
    if (semihost(0x15, block) == 0) {
        char *s = cmdline;
        while (*s && argc < 15) {
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
