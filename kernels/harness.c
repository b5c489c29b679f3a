/* The replay harness: runs every kernel call recorded by node/replay.ts through the C kernels and
 * compares every byte (the recording's format is described there).
 *
 *     harness [-t] [-v] [-m] [-c] RECORDING
 *
 * For each call: the arena is filled with a canary pattern, the op's recorded inputs are written
 * over it, the recorded parameter block is loaded, and the C body runs. Then every output byte
 * must equal the recorded one (the STS body's, golden-verified), the parameter block must equal
 * the STS body's after its call, and every other arena byte except the op's scratch must still
 * hold what it held before. A body that reads outside its inputs reads canary bytes, and so
 * shows up as a mismatch too.
 *
 * Prints one line per failing call, one per failing case, and ends with "N passed, M failed" over
 * the cases (a case passes when all its calls do). A call whose model, arena or parameter block
 * does not fit the board (platform.h) is skipped and counted apart, and so is its case: a line
 * "skip CASE: does not fit this board: WHY" names it. -t prints
 * "T case invoke op body ticks" for every call, timed with platform_ticks(). -m lists the
 * registered bodies that have no C definition and exits. -c (on the Cortex-M boards) runs a loop
 * of a known number of instructions between two clock reads and prints "C instructions ticks",
 * to check the clock's rate against QEMU's instruction count.
 *
 * Portable C99 with stdio: the same file runs on the host and, through newlib's semihosting
 * (rdimon), on QEMU's Cortex-M boards. It reads the recording as a stream, seeking back to
 * compare, and keeps only the model (where platform.h puts it), the arena and the parameter
 * block in memory: a 16 KB micro:bit runs it too. No allocation. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include "tflite_abi.h"
#include "platform.h"

/* Every body is referenced weakly, so a missing C definition is reported, not a link error. */
#define TFL_WEAK_BODY(name) \
    void tflite_##name(int32_t *params, const uint8_t *model, uint8_t *arena) __attribute__((weak));
TFLITE_BODIES(TFL_WEAK_BODY)

typedef void (*body_fn)(int32_t *params, const uint8_t *model, uint8_t *arena);
struct body_entry {
    const char *name;
    body_fn fn;
};
#define TFL_BODY_ENTRY(name) {#name, tflite_##name},
static const struct body_entry bodies[] = {TFLITE_BODIES(TFL_BODY_ENTRY)};
#define BODY_COUNT (sizeof(bodies) / sizeof(bodies[0]))

static body_fn find_body(const char *name, int *known)
{
    for (unsigned i = 0; i < BODY_COUNT; i++)
        if (strcmp(bodies[i].name, name) == 0) {
            *known = 1;
            return bodies[i].fn;
        }
    *known = 0;
    return 0;
}

#define NAME_MAX_BYTES 96
#define MAX_REGIONS 16

/* A call's arena, then its parameter block (at a multiple of 16): one pool, so a board with
 * little RAM fits a big arena or a big parameter block. A body that writes past its arena's end
 * changes the parameter block, and so fails. */
static uint32_t pool[HARNESS_POOL_BYTES / 4] HARNESS_BIG;
static uint8_t *const arena_buf = (uint8_t *)pool;
/* The case being replayed: its calls follow its CASE record. */
static char case_name[NAME_MAX_BYTES];
static uint32_t case_id = 0xffffffffu, case_calls, case_failures, case_skips;
static uint32_t cases_passed, cases_failed, cases_skipped;
static const uint8_t *model_data;
static uint32_t model_bytes;
/* Why the case's last skipped call did not fit. */
static char skip_reason[96];
static uint32_t model_id = 0xffffffffu;

static FILE *rec;
static int bad_record;
static int verbose;
static int timing;

static uint32_t read_u32(void)
{
    uint8_t b[4];
    if (fread(b, 1, 4, rec) != 4) {
        bad_record = 1;
        return 0;
    }
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint32_t padded(uint32_t len)
{
    return (len + 3) & ~3u;
}

/* Reads `len` bytes (then skips the padding to 4) into dst, or skips them when dst is null. */
static void read_bytes(void *dst, uint32_t len)
{
    if (dst) {
        if (fread(dst, 1, len, rec) != len) bad_record = 1;
        if (padded(len) > len && fseek(rec, (long)(padded(len) - len), SEEK_CUR) != 0) bad_record = 1;
    } else if (fseek(rec, (long)padded(len), SEEK_CUR) != 0) bad_record = 1;
}

/* Compares the next `len` recorded bytes with `have`; returns the index of the first
 * difference, or -1. Skips the padding. */
static long compare_bytes(const uint8_t *have, uint32_t len, uint8_t *want_out)
{
    uint8_t chunk[64];
    long diff = -1;
    for (uint32_t at = 0; at < len;) {
        uint32_t n = len - at < sizeof chunk ? len - at : (uint32_t)sizeof chunk;
        if (fread(chunk, 1, n, rec) != n) {
            bad_record = 1;
            return 0;
        }
        for (uint32_t i = 0; i < n && diff < 0; i++)
            if (chunk[i] != have[at + i]) {
                diff = (long)(at + i);
                *want_out = chunk[i];
            }
        at += n;
    }
    if (padded(len) > len) fseek(rec, (long)(padded(len) - len), SEEK_CUR);
    return diff;
}

static uint8_t canary(uint32_t i)
{
    return (uint8_t)(0xa5 ^ (i * 37) ^ (i >> 8));
}

struct region {
    uint32_t offset, length;
};

static int in_regions(const struct region *r, uint32_t n, uint32_t i)
{
    for (uint32_t k = 0; k < n; k++)
        if (i - r[k].offset < r[k].length) return 1;
    return 0;
}

static int fail_call(const char *name, uint32_t invoke, uint32_t op, const char *body, const char *what)
{
    printf("FAIL %s invoke %lu op %lu (%s): %s\n", name, (unsigned long)invoke, (unsigned long)op, body, what);
    return 1;
}

/* What follows each (offset, length) of a region list in a CALL record. */
enum region_bytes {
    REGION_NO_BYTES,   /* scratch: nothing */
    REGION_LOAD_BYTES, /* inputs: their bytes, loaded into the arena */
    REGION_SKIP_BYTES  /* outputs: their bytes after the call, compared later */
};

/* Reads a region list: its count, then each region (and its bytes, see region_bytes). A list
 * with bytes must lie inside the arena. Returns 0, or what is wrong (in `msg`). */
static const char *read_regions(struct region *r, uint32_t *count, uint32_t arena_len, enum region_bytes bytes, const char *what,
    char *msg, size_t msg_size)
{
    *count = read_u32();
    if (*count > MAX_REGIONS) {
        snprintf(msg, msg_size, "too many %s regions", what);
        return msg;
    }
    for (uint32_t k = 0; k < *count && !bad_record; k++) {
        r[k].offset = read_u32();
        r[k].length = read_u32();
        if (bytes == REGION_NO_BYTES) continue;
        if (r[k].offset > arena_len || r[k].length > arena_len - r[k].offset) {
            snprintf(msg, msg_size, "%s region outside the arena", what);
            return msg;
        }
        read_bytes(bytes == REGION_LOAD_BYTES ? arena_buf + r[k].offset : 0, r[k].length);
    }
    return 0;
}

enum call_result { CALL_PASSED, CALL_FAILED, CALL_SKIPPED };

static enum call_result call_failed(const char *name, uint32_t invoke, uint32_t op, const char *body, const char *what)
{
    fail_call(name, invoke, op, body, what);
    return CALL_FAILED;
}

/* Replays one CALL record of `len` bytes starting at the current position. */
static enum call_result replay_call(long start, uint32_t len)
{
    char msg[160];
    char body_name[NAME_MAX_BYTES];
    const long end = start + (long)len;
    const uint32_t call_case = read_u32();
    const uint32_t invoke = read_u32();
    const uint32_t op = read_u32();
    const uint32_t call_model = read_u32();
    const uint32_t name_len = read_u32();
    if (bad_record || call_case != case_id || name_len >= NAME_MAX_BYTES) {
        printf("FAIL corrupt CALL record (case %lu)\n", (unsigned long)call_case);
        return CALL_FAILED;
    }
    read_bytes(body_name, name_len);
    body_name[name_len] = 0;

    const uint32_t words = read_u32();
    const long params_at = ftell(rec);
    const uint32_t arena_len = (fseek(rec, (long)(8 * words), SEEK_CUR), read_u32());
    if (bad_record) return call_failed(case_name, invoke, op, body_name, "corrupt record");
    const uint32_t params_offset = (arena_len + 15) & ~15u;
    if (call_model != model_id || !model_data || arena_len > HARNESS_POOL_BYTES || params_offset > HARNESS_POOL_BYTES ||
        words > (HARNESS_POOL_BYTES - params_offset) / 4) {
        if (!model_data)
            snprintf(skip_reason, sizeof skip_reason, "model of %lu bytes (room for %lu)", (unsigned long)model_bytes, (unsigned long)HARNESS_MODEL_MAX);
        else
            snprintf(skip_reason, sizeof skip_reason, "arena %lu bytes + parameter block %lu bytes (room for %lu)", (unsigned long)arena_len,
                (unsigned long)(4 * words), (unsigned long)HARNESS_POOL_BYTES);
        if (verbose) printf("skip %s invoke %lu op %lu (%s): %s\n", case_name, (unsigned long)invoke, (unsigned long)op, body_name, skip_reason);
        fseek(rec, end, SEEK_SET);
        return CALL_SKIPPED;
    }
    int32_t *const params_buf = (int32_t *)(arena_buf + params_offset);

    /* The arena: canary, then the inputs. */
    for (uint32_t i = 0; i < arena_len; i++) arena_buf[i] = canary(i);
    struct region inputs[MAX_REGIONS], outputs[MAX_REGIONS], scratch[MAX_REGIONS];
    uint32_t n_in = 0, n_out = 0, n_scratch = 0;
    const long inputs_at = ftell(rec);
    const char *wrong = read_regions(inputs, &n_in, arena_len, REGION_LOAD_BYTES, "input", msg, sizeof msg);
    const long outputs_at = ftell(rec);
    if (!wrong) wrong = read_regions(outputs, &n_out, arena_len, REGION_SKIP_BYTES, "output", msg, sizeof msg);
    if (!wrong) wrong = read_regions(scratch, &n_scratch, arena_len, REGION_NO_BYTES, "scratch", msg, sizeof msg);
    if (wrong) return call_failed(case_name, invoke, op, body_name, wrong);
    if (bad_record) return call_failed(case_name, invoke, op, body_name, "corrupt record");

    int known;
    body_fn fn = find_body(body_name, &known);
    if (!fn) {
        fseek(rec, end, SEEK_SET);
        return call_failed(case_name, invoke, op, body_name, known ? "no C definition of this body" : "not a body of libs/tflite (regenerate kernels/tflite_abi.h)");
    }

    fseek(rec, params_at, SEEK_SET);
    read_bytes(params_buf, 4 * words);
    uint32_t t0 = platform_ticks();
    fn(params_buf, model_data, arena_buf);
    uint32_t t1 = platform_ticks();
    if (timing) printf("T %s %lu %lu %s %lu\n", case_name, (unsigned long)invoke, (unsigned long)op, body_name, (unsigned long)(t1 - t0));

    int failed = 0;
    uint8_t want = 0;
    /* The parameter block after the call (one op may keep state there). */
    long d = compare_bytes((const uint8_t *)params_buf, 4 * words, &want);
    if (d >= 0) {
        snprintf(msg, sizeof msg, "parameter block byte %ld: got %u, want %u", d, ((const uint8_t *)params_buf)[d], want);
        failed = fail_call(case_name, invoke, op, body_name, msg);
    }
    /* Every output byte. */
    fseek(rec, outputs_at + 4, SEEK_SET);
    for (uint32_t k = 0; k < n_out; k++) {
        read_u32();
        read_u32();
        d = compare_bytes(arena_buf + outputs[k].offset, outputs[k].length, &want);
        if (d >= 0 && !failed) {
            snprintf(msg, sizeof msg, "output byte %ld (arena %lu) of %lu: got %u, want %u", d,
                (unsigned long)(outputs[k].offset + d), (unsigned long)outputs[k].length, arena_buf[outputs[k].offset + d], want);
            failed = fail_call(case_name, invoke, op, body_name, msg);
        }
    }
    /* Everything else as it was: the inputs' bytes, and the canary. */
    fseek(rec, inputs_at + 4, SEEK_SET);
    for (uint32_t k = 0; k < n_in && !failed; k++) {
        read_u32();
        read_u32();
        uint8_t chunk[64];
        for (uint32_t at = 0; at < inputs[k].length && !failed;) {
            uint32_t n = inputs[k].length - at < sizeof chunk ? inputs[k].length - at : (uint32_t)sizeof chunk;
            if (fread(chunk, 1, n, rec) != n) bad_record = 1;
            for (uint32_t i = 0; i < n; i++) {
                const uint32_t a = inputs[k].offset + at + i;
                if (arena_buf[a] != chunk[i] && !in_regions(outputs, n_out, a) && !in_regions(scratch, n_scratch, a)) {
                    snprintf(msg, sizeof msg, "changed input byte %lu, outside its outputs and scratch", (unsigned long)a);
                    failed = fail_call(case_name, invoke, op, body_name, msg);
                    break;
                }
            }
            at += n;
        }
        if (padded(inputs[k].length) > inputs[k].length) fseek(rec, (long)(padded(inputs[k].length) - inputs[k].length), SEEK_CUR);
    }
    for (uint32_t i = 0; i < arena_len && !failed; i++)
        if (arena_buf[i] != canary(i) && !in_regions(inputs, n_in, i) && !in_regions(outputs, n_out, i) && !in_regions(scratch, n_scratch, i)) {
            snprintf(msg, sizeof msg, "wrote arena byte %lu, outside its outputs and scratch", (unsigned long)i);
            failed = fail_call(case_name, invoke, op, body_name, msg);
        }
    fseek(rec, end, SEEK_SET);
    if (bad_record) return call_failed(case_name, invoke, op, body_name, "corrupt record");
    if (verbose && !failed) printf("ok   %s invoke %lu op %lu (%s)\n", case_name, (unsigned long)invoke, (unsigned long)op, body_name);
    return failed ? CALL_FAILED : CALL_PASSED;
}

/* Counts the case just replayed, and names it if any of its calls differed. */
static void end_case(void)
{
    if (case_id == 0xffffffffu) return;
    if (case_failures) {
        printf("FAIL %s: %lu of %lu calls differ\n", case_name, (unsigned long)case_failures, (unsigned long)case_calls);
        cases_failed++;
    } else if (case_skips || case_calls == 0) {
        printf("skip %s: does not fit this board: %s\n", case_name, case_skips ? skip_reason : "no calls");
        cases_skipped++;
    }
    else cases_passed++;
    case_calls = case_failures = case_skips = 0;
}

/* Loads a MODL record's model where platform.h says (RAM, or the micro:bit's flash). */
static void load_model(uint32_t len)
{
    model_id = read_u32();
    const uint32_t n = read_u32();
    model_data = 0;
    model_bytes = n;
    if (bad_record || n > len - 8 || n > HARNESS_MODEL_MAX) {
        read_bytes(0, n);
        return;
    }
    uint8_t chunk[256];
    platform_model_begin(n);
    for (uint32_t at = 0; at < n;) {
        const uint32_t k = n - at < sizeof chunk ? n - at : (uint32_t)sizeof chunk;
        if (fread(chunk, 1, k, rec) != k) {
            bad_record = 1;
            return;
        }
        platform_model_write(at, chunk, k);
        at += k;
    }
    if (padded(n) > n) fseek(rec, (long)(padded(n) - n), SEEK_CUR);
    model_data = platform_model_data();
}

int main(int argc, char **argv)
{
    const char *file = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-t") == 0) timing = 1;
        else if (strcmp(argv[i], "-v") == 0) verbose = 1;
        else if (strcmp(argv[i], "-c") == 0) {
#if defined(__arm__)
            /* 2 instructions per iteration (subs, and bne taken or not): 2,000,000 in all. */
            platform_init();
            uint32_t n = 1000000;
            const uint32_t t0 = platform_ticks();
            __asm__ volatile(".syntax unified\n1: subs %0, %0, #1\n\tbne 1b" : "+l"(n) : : "cc");
            const uint32_t t1 = platform_ticks();
            printf("C 2000000 %lu\n", (unsigned long)(t1 - t0));
#endif
            return 0;
        }
        else if (strcmp(argv[i], "-m") == 0) {
            unsigned missing = 0;
            for (unsigned k = 0; k < BODY_COUNT; k++)
                if (!bodies[k].fn) {
                    printf("missing %s\n", bodies[k].name);
                    missing++;
                }
            printf("%u of %u bodies have a C definition\n", (unsigned)(BODY_COUNT - missing), (unsigned)BODY_COUNT);
            return missing ? 1 : 0;
        } else file = argv[i];
    }
    if (!file) {
        printf("usage: harness [-t] [-v] [-m] [-c] RECORDING\n");
        return 2;
    }
    platform_init();
    rec = fopen(file, "rb");
    if (!rec) {
        printf("cannot open %s\n", file);
        return 2;
    }
    uint8_t head[8];
    if (fread(head, 1, 8, rec) != 8 || memcmp(head, "TFLR", 4) != 0 || head[4] != 1) {
        printf("%s is not a version 1 recording\n", file);
        return 2;
    }
    uint32_t calls = 0, calls_failed = 0, calls_skipped = 0;
    int ended = 0;
    for (;;) {
        uint8_t tag[4];
        if (fread(tag, 1, 4, rec) != 4) break;
        const uint32_t len = read_u32();
        const long start = ftell(rec);
        if (bad_record || (len & 3)) break;
        if (memcmp(tag, "MODL", 4) == 0) load_model(len);
        else if (memcmp(tag, "CASE", 4) == 0 || memcmp(tag, "END!", 4) == 0) {
            end_case();
            if (tag[0] == 'E') {
                ended = 1;
                break;
            }
            case_id = read_u32();
            const uint32_t n = read_u32();
            if (bad_record || n >= NAME_MAX_BYTES) {
                printf("case %lu: a name of %lu bytes (at most %u)\n", (unsigned long)case_id, (unsigned long)n, (unsigned)NAME_MAX_BYTES - 1);
                return 2;
            }
            read_bytes(case_name, n);
            case_name[n] = 0;
        } else if (memcmp(tag, "CALL", 4) == 0) {
            const enum call_result r = replay_call(start, len);
            calls++;
            case_calls++;
            if (r == CALL_FAILED) {
                calls_failed++;
                case_failures++;
            }
            if (r == CALL_SKIPPED) {
                calls_skipped++;
                case_skips++;
            }
        }
        if (fseek(rec, start + (long)len, SEEK_SET) != 0) bad_record = 1;
    }
    fclose(rec);
    if (!ended || bad_record) {
        printf("the recording is truncated or corrupt\n");
        return 2;
    }
    printf("%lu calls: %lu passed, %lu failed\n", (unsigned long)(calls - calls_skipped),
        (unsigned long)(calls - calls_skipped - calls_failed), (unsigned long)calls_failed);
    if (cases_skipped) printf("skipped (too big for this board): %lu cases, %lu calls\n", (unsigned long)cases_skipped, (unsigned long)calls_skipped);
#if defined(HARNESS_MICROBIT)
    if (verbose) printf("RAM never used: %lu bytes\n", (unsigned long)harness_ram_never_used());
#endif
    printf("%lu passed, %lu failed\n", (unsigned long)cases_passed, (unsigned long)cases_failed);
    return cases_failed ? 1 : 0;
}
