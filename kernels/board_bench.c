/* The board's real-time cost on QEMU's Cortex-M4 (mps2-an386, -icount shift=0): the C loader and
 * kernels run the way libs/tflite/tflite.cpp runs them on the micro:bit v2 (tfl_load, tfl_write_state,
 * tfl_invoke on the state), built with the firmware's own flags (kernels/Makefile, board-bench),
 * and each invoke is timed with platform_ticks() (platform.h: one tick is 40 instructions).
 *
 *     board_bench GESTURE.tflite FRONTEND.tflite KEYWORD.tflite AUDIO.wav
 *
 * - the gesture model: input zeros, invoked twice (the gesture blocks invoke it every 250 ms);
 * - keyword spotting as libs/speech does it: the front end once per 20 ms frame (a 480-sample
 *   window every 320 samples of the clip, 16 kHz int16 mono), its int8 features slid into the
 *   last 49 frames, oldest first; then the keyword model on them, twice (every 100 ms on the board).
 *
 * Prints, one per line (counts are instructions, +-40 each):
 *     tick_instructions 40
 *     model NAME state_bytes N load_instructions N
 *     invoke NAME I instructions N        (I from 0; the bench takes invoke 1, the second)
 *     output NAME b0 b1 ...               (the output's int8 bytes after the last invoke)
 *     done
 * and exits 0, or prints "error ..." and exits 1.
 *
 * Memory comes from static pools through a bump allocator (free does nothing): the loader's
 * temporaries from one, reset before each load; the states from another. Files are read through
 * newlib's semihosting (rdimon), as harness.c reads its recording. C99. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "loader.h"
#include "platform.h"

#define TICK_INSTRUCTIONS 40u
/* As tflite.cpp: the largest arena the board takes. */
#define BOARD_MAX_ARENA (64u * 1024u)

#define FILE_MAX (256u << 10)
#define TEMP_POOL_BYTES (512u << 10)
#define STATE_POOL_BYTES (256u << 10)

/* Keyword spotting (libs/speech/features.ts, spotter.ts). */
#define WINDOW_SAMPLES 480u
#define STEP_SAMPLES 320u
#define FRAMES 49u

struct bump {
    uint8_t *base;
    uint32_t size, used;
};

static uint64_t temp_pool[TEMP_POOL_BYTES / 8] HARNESS_BIG;
static uint64_t state_pool[STATE_POOL_BYTES / 8] HARNESS_BIG;
static uint8_t file_gesture[FILE_MAX] HARNESS_BIG;
static uint8_t file_frontend[FILE_MAX] HARNESS_BIG;
static uint8_t file_keyword[FILE_MAX] HARNESS_BIG;
static uint8_t file_audio[FILE_MAX] HARNESS_BIG;
static uint8_t frames[FRAMES * 64u];

static struct bump temps = {(uint8_t *)temp_pool, TEMP_POOL_BYTES, 0};
static struct bump states = {(uint8_t *)state_pool, STATE_POOL_BYTES, 0};

static void *bump_alloc(void *context, uint32_t bytes)
{
    struct bump *b = (struct bump *)context;
    uint32_t at = (b->used + 7u) & ~7u;
    if (at > b->size || bytes > b->size - at) return NULL;
    b->used = at + bytes;
    return b->base + at;
}

static void bump_free(void *context, void *memory)
{
    (void)context;
    (void)memory;
}

static int fail(const char *what, const char *detail)
{
    printf("error %s: %s\n", what, detail);
    return 1;
}

/* Reads a whole file into buf; its length, or 0 on failure. */
static uint32_t read_file(const char *name, uint8_t *buf, uint32_t max)
{
    FILE *f = fopen(name, "rb");
    if (!f) return 0;
    size_t n = fread(buf, 1, max, f);
    int more = fgetc(f) != EOF;
    fclose(f);
    return more ? 0 : (uint32_t)n;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The samples of a 16-bit PCM WAV file: sets *at (byte offset) and returns the byte count, or 0. */
static uint32_t wav_samples(const uint8_t *wav, uint32_t length, uint32_t *at)
{
    if (length < 12 || memcmp(wav, "RIFF", 4) != 0 || memcmp(wav + 8, "WAVE", 4) != 0) return 0;
    for (uint32_t p = 12; p + 8 <= length;) {
        uint32_t size = le32(wav + p + 4);
        if (memcmp(wav + p, "fmt ", 4) == 0 && (size < 16 || p + 8 + 16 > length || wav[p + 8 + 14] != 16)) return 0;
        if (memcmp(wav + p, "data", 4) == 0) {
            *at = p + 8;
            return size < length - *at ? size : length - *at;
        }
        if (size > length - p - 8) return 0;
        p += 8 + size + (size & 1);
    }
    return 0;
}

struct model {
    const char *name;
    const uint8_t *bytes;
    uint32_t length;
    uint8_t *state;
};

static int load(struct model *m)
{
    char error[160];
    tfl_loader loader;
    memset(&loader, 0, sizeof loader);
    loader.max_arena_bytes = BOARD_MAX_ARENA;
    temps.used = 0;
    uint32_t t0 = platform_ticks();
    if (tfl_load(&loader, m->bytes, m->length, error, sizeof error, bump_alloc, bump_free, &temps)) {
        tfl_loader_finish(&loader);
        return fail(m->name, error);
    }
    uint32_t bytes = tfl_state_bytes(&loader);
    m->state = (uint8_t *)bump_alloc(&states, bytes);
    if (!m->state) {
        tfl_loader_finish(&loader);
        return fail(m->name, "no room for the state");
    }
    tfl_write_state(&loader, m->state);
    tfl_loader_finish(&loader);
    uint32_t t1 = platform_ticks();
    printf("model %s state_bytes %lu load_instructions %lu\n", m->name, (unsigned long)bytes,
           (unsigned long)((t1 - t0) * TICK_INSTRUCTIONS));
    return 0;
}

/* The first input's or output's record (loader.h: TFL_IO_*). */
static const int32_t *io_record(const struct model *m, int output)
{
    const int32_t *header = (const int32_t *)m->state;
    const int32_t *io = (const int32_t *)(m->state + header[TFL_STATE_IO]);
    return io + (output ? header[TFL_STATE_INPUT_COUNT] * TFL_IO_WORDS : 0);
}

static uint8_t *io_data(const struct model *m, const int32_t *record)
{
    const int32_t *header = (const int32_t *)m->state;
    return m->state + header[TFL_STATE_ARENA] + record[TFL_IO_OFFSET];
}

/* Invokes once, timed; prints the count when `label` is not negative. */
static uint32_t invoke(const struct model *m, int label)
{
    uint32_t t0 = platform_ticks();
    tfl_invoke(m->state, m->bytes);
    uint32_t t1 = platform_ticks();
    uint32_t n = (t1 - t0) * TICK_INSTRUCTIONS;
    if (label >= 0) printf("invoke %s %d instructions %lu\n", m->name, label, (unsigned long)n);
    return n;
}

static void print_output(const struct model *m)
{
    const int32_t *out = io_record(m, 1);
    const int8_t *data = (const int8_t *)io_data(m, out);
    printf("output %s", m->name);
    for (int32_t i = 0; i < out[TFL_IO_BYTES] && i < 64; i++) printf(" %d", data[i]);
    printf("\n");
}

static int check_io(const struct model *m, int32_t in_type, int32_t in_bytes, int32_t out_type, int32_t out_bytes)
{
    const int32_t *header = (const int32_t *)m->state;
    const int32_t *in = io_record(m, 0), *out = io_record(m, 1);
    if (header[TFL_STATE_INPUT_COUNT] != 1 || header[TFL_STATE_OUTPUT_COUNT] < 1) return fail(m->name, "not one input");
    if (in[TFL_IO_TYPE] != in_type || (in_bytes >= 0 && in[TFL_IO_BYTES] != in_bytes)) return fail(m->name, "unexpected input");
    if (out[TFL_IO_TYPE] != out_type || (out_bytes >= 0 && out[TFL_IO_BYTES] != out_bytes)) return fail(m->name, "unexpected output");
    return 0;
}

/* schema.fbs TensorType */
#define TYPE_INT16 7
#define TYPE_INT8 9

int main(int argc, char **argv)
{
    if (argc != 5) return fail("usage", "board_bench GESTURE.tflite FRONTEND.tflite KEYWORD.tflite AUDIO.wav");
    platform_init();
    printf("tick_instructions %u\n", TICK_INSTRUCTIONS);
    struct model gesture = {"gesture", file_gesture, 0, NULL};
    struct model frontend = {"keyword_frontend", file_frontend, 0, NULL};
    struct model keyword = {"keyword", file_keyword, 0, NULL};
    gesture.length = read_file(argv[1], file_gesture, FILE_MAX);
    frontend.length = read_file(argv[2], file_frontend, FILE_MAX);
    keyword.length = read_file(argv[3], file_keyword, FILE_MAX);
    uint32_t audio_length = read_file(argv[4], file_audio, FILE_MAX);
    if (!gesture.length || !frontend.length || !keyword.length || !audio_length) return fail("read", "a file is missing, empty or too big");
    uint32_t audio_at = 0;
    uint32_t audio_bytes = wav_samples(file_audio, audio_length, &audio_at);
    if (audio_bytes < 2 * WINDOW_SAMPLES) return fail(argv[4], "not a 16-bit PCM WAV of at least 30 ms");

    /* The gesture model: zeros in, two invokes. */
    if (load(&gesture)) return 1;
    const int32_t *gin = io_record(&gesture, 0);
    memset(io_data(&gesture, gin), 0, (size_t)gin[TFL_IO_BYTES]);
    invoke(&gesture, 0);
    invoke(&gesture, 1);
    print_output(&gesture);

    /* Keyword spotting: the front end over every frame of the clip, then the keyword model. */
    if (load(&frontend) || load(&keyword)) return 1;
    if (check_io(&frontend, TYPE_INT16, 2 * WINDOW_SAMPLES, TYPE_INT8, -1)) return 1;
    const int32_t *fin = io_record(&frontend, 0), *fout = io_record(&frontend, 1);
    const uint32_t per_frame = (uint32_t)fout[TFL_IO_BYTES];
    if (per_frame > sizeof frames / FRAMES) return fail(frontend.name, "too many features per frame");
    if (check_io(&keyword, TYPE_INT8, (int32_t)(FRAMES * per_frame), TYPE_INT8, -1)) return 1;
    memset(frames, 0, sizeof frames);
    int frame = 0;
    for (uint32_t at = 0; at + 2 * WINDOW_SAMPLES <= audio_bytes; at += 2 * STEP_SAMPLES, frame++) {
        memcpy(io_data(&frontend, fin), file_audio + audio_at + at, 2 * WINDOW_SAMPLES);
        invoke(&frontend, frame);
        memmove(frames, frames + per_frame, (FRAMES - 1) * per_frame);
        memcpy(frames + (FRAMES - 1) * per_frame, io_data(&frontend, fout), per_frame);
    }
    if (frame < 2) return fail(argv[4], "fewer than two frames");
    print_output(&frontend);
    const int32_t *kin = io_record(&keyword, 0);
    for (int i = 0; i < 2; i++) {
        memcpy(io_data(&keyword, kin), frames, FRAMES * per_frame);
        invoke(&keyword, i);
    }
    print_output(&keyword);
    printf("done\n");
    return 0;
}
