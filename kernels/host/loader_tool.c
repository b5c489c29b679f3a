/* The C loader on the host, for tests (test/loader.test.ts) and the fuzzer:
 *
 *     loader_tool dump MODEL
 *         loads MODEL and prints the plan and every operator's body and parameter block:
 *           arena BYTES op_state START BYTES
 *           op INDEX BODY WORD WORD ...
 *           input|output I TENSOR TYPE OFFSET BYTES SCALE_BITS ZERO_POINT RANK DIMS...
 *         or "error MESSAGE" (exit status 1).
 *     loader_tool run MODEL [-s STRIDE] OUT IN0 [IN1 ...]
 *         loads MODEL, copies the raw inputs in, invokes and writes all outputs to OUT. With -s,
 *         input 0 is a stream: one invoke per window of the tensor's size, advancing by STRIDE
 *         bytes, outputs appended.
 *
 *     loader_tool dumps LIST
 *         "model PATH" and then what dump prints, for each path in the file LIST (one per line).
 *     loader_tool runs LIST
 *         the fuzzer's batch (node/c-fuzz.ts): LIST holds one "MODEL [INPUTS OUTPUTS]" per line.
 *         For each it prints "model MODEL" and what dump prints; when MODEL loads and INPUTS is
 *         given, it copies the file INPUTS (every input's raw bytes, one after another) in,
 *         invokes once, writes every output's bytes to OUTPUTS and prints "invoked". Then "done".
 *         stdout is flushed before each model is loaded, so the last "model" line of a run that
 *         crashed names the model that crashed it.
 *     loader_tool metadata TEXT
 *         reads the file TEXT as "pxt-tinyml" metadata (kernels/metadata.c) and prints, per line
 *         read, "entry KEY VALUE" (each the hex of its cleaned UTF-8, "-" when empty) or
 *         "error LINE TEXT"; then, for every value, "number START END" when it is a decimal
 *         number (the span without spaces) or "number no".
 *     loader_tool gesture MODEL ENGINE HISTORY_BYTES SCRIPT
 *         the gesture pipeline's C (kernels/gesture.c) on MODEL, from the engine buffer in the
 *         file ENGINE (as recognizer.ts made it) and a zeroed history of HISTORY_BYTES. SCRIPT
 *         holds one step per line: "s X Y Z" adds a reading, "u" updates; each update prints
 *         "update RESULT", "input HEX" (the model's input bytes) and "engine HEX".
 *     loader_tool gesture-config MODEL
 *         reads MODEL's gesture settings (tfl_gesture_configure, numbers by strtod) and prints
 *         "engine HEX", the new engine's bytes, or "error HEX", the message's cleaned UTF-8.
 *
 * Temporaries come from malloc, the state from one more malloc, as the board's glue does with
 * its heap and a Buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader.h"
#include "gesture.h"

#define TFL_BODY_NAME(name) #name,
static const char *const BODY_NAMES[] = {TFLITE_BODIES(TFL_BODY_NAME)};

static void *host_alloc(void *context, uint32_t bytes)
{
    (void)context;
    return malloc(bytes);
}
static void host_free(void *context, void *memory)
{
    (void)context;
    free(memory);
}

static unsigned char *read_file(const char *path, long *length)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    *length = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = (unsigned char *)malloc((size_t)*length + 1);
    if (fread(data, 1, (size_t)*length, f) != (size_t)*length) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    return data;
}

static void print_io(const char *what, int32_t i, const int32_t *w)
{
    printf("%s %d %d %d %d %d %d %d %d", what, i, w[TFL_IO_INDEX], w[TFL_IO_TYPE], w[TFL_IO_OFFSET], w[TFL_IO_BYTES], w[TFL_IO_SCALE],
           w[TFL_IO_ZERO_POINT], w[TFL_IO_RANK]);
    for (int32_t d = 0; d < w[TFL_IO_RANK]; d++) printf(" %d", w[TFL_IO_SHAPE + d]);
    printf("\n");
}

static void print_clean(const uint8_t *text, uint32_t n)
{
    uint8_t *out = (uint8_t *)malloc(3 * (size_t)n + 1);
    uint32_t size = tfl_utf8_clean(text, n, out);
    printf(" ");
    if (!size) printf("-");
    for (uint32_t i = 0; i < size; i++) printf("%02x", out[i]);
    free(out);
}

static void print_hex(const char *what, const uint8_t *b, uint32_t n)
{
    printf("%s ", what);
    for (uint32_t i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\n");
}

static int gesture(uint8_t *state, const uint8_t *model, const char *engine_path, long history_bytes, const char *script_path)
{
    long engine_bytes, script_bytes;
    uint8_t *engine = read_file(engine_path, &engine_bytes);
    uint8_t *history = (uint8_t *)calloc((size_t)history_bytes + 1, 1);
    char *script = (char *)read_file(script_path, &script_bytes);
    script[script_bytes] = 0;
    const int32_t *header = (const int32_t *)state;
    const int32_t *input = (const int32_t *)(state + header[TFL_STATE_IO]);
    for (char *line = strtok(script, "\n"); line; line = strtok(NULL, "\n")) {
        int x, y, z;
        if (sscanf(line, "s %d %d %d", &x, &y, &z) == 3) {
            if (tfl_gesture_add_sample(engine, (uint32_t)engine_bytes, x, y, z)) printf("add_sample bad state\n");
        } else if (line[0] == 'u') {
            printf("update %d\n", tfl_gesture_update(engine, (uint32_t)engine_bytes, history, (uint32_t)history_bytes, state, model));
            print_hex("input", state + header[TFL_STATE_ARENA] + input[TFL_IO_OFFSET], (uint32_t)input[TFL_IO_BYTES]);
            print_hex("engine", engine, (uint32_t)engine_bytes);
        }
    }
    free(engine);
    free(history);
    free(script);
    return 0;
}

static double host_decimal(const uint8_t *text, uint32_t n)
{
    char *copy = (char *)malloc((size_t)n + 1);
    memcpy(copy, text, n);
    copy[n] = 0;
    double v = strtod(copy, NULL);
    free(copy);
    return v;
}

static int gesture_config(const uint8_t *model, uint32_t length, const uint8_t *state)
{
    tfl_gesture_config c;
    char error[256];
    if (tfl_gesture_configure(model, length, state, host_decimal, &c, error, sizeof(error))) {
        uint8_t clean[3 * sizeof(error)];
        print_hex("error", clean, tfl_utf8_clean((const uint8_t *)error, (uint32_t)strlen(error), clean));
        return 0;
    }
    uint32_t bytes = tfl_gesture_engine_bytes(c.window_samples, c.labels);
    uint8_t *engine = (uint8_t *)malloc(bytes);
    tfl_gesture_engine_init(engine, &c);
    print_hex("engine", engine, bytes);
    free(engine);
    return 0;
}

static int metadata(const uint8_t *text, uint32_t length)
{
    uint32_t pos = 0, line = 0;
    tfl_metadata_entry e;
    int r;
    while ((r = tfl_metadata_next(text, length, &pos, &line, &e)) != 0) {
        if (r < 0) {
            printf("error %u", line);
            print_clean(text + e.key_at, e.key_length);
            printf("\n");
            return 0;
        }
        printf("entry");
        print_clean(text + e.key_at, e.key_length);
        print_clean(text + e.value_at, e.value_length);
        uint32_t a, b;
        if (tfl_decimal_span(text + e.value_at, e.value_length, &a, &b)) printf(" number %u %u\n", a, b);
        else printf(" number no\n");
    }
    return 0;
}

/* Prints the loaded state as dump does. */
static void print_dump(const uint8_t *state)
{
    const int32_t *header = (const int32_t *)state;
    const int32_t *io = (const int32_t *)(state + header[TFL_STATE_IO]);
    int32_t inputs = header[TFL_STATE_INPUT_COUNT], outputs = header[TFL_STATE_OUTPUT_COUNT];
    printf("arena %d op_state %d %d\n", header[TFL_STATE_ARENA_BYTES], header[TFL_STATE_OP_STATE_START],
           header[TFL_STATE_OP_STATE_BYTES]);
    const int32_t *ops = (const int32_t *)(state + header[TFL_STATE_OPS]);
    for (int32_t i = 0; i < header[TFL_STATE_OP_COUNT]; i++) {
        int32_t end = i + 1 < header[TFL_STATE_OP_COUNT] ? ops[2 * i + 3] : header[TFL_STATE_VARIABLES];
        printf("op %d %s", i, BODY_NAMES[ops[2 * i]]);
        for (int32_t at = ops[2 * i + 1]; at < end; at += 4) printf(" %d", *(const int32_t *)(state + at));
        printf("\n");
    }
    for (int32_t i = 0; i < inputs; i++) print_io("input", i, io + TFL_IO_WORDS * i);
    for (int32_t i = 0; i < outputs; i++) print_io("output", i, io + TFL_IO_WORDS * (inputs + i));
}

/* Loads the model as the board's glue does: the state (zeroed by tfl_write_state, as the board's
 * Buffer is) from malloc, or NULL with the loader's message in `error`. */
static uint8_t *load_state(const uint8_t *model, uint32_t length, char *error, uint32_t error_size)
{
    tfl_loader l;
    memset(&l, 0, sizeof(l));
    if (tfl_load(&l, model, length, error, error_size, host_alloc, host_free, 0)) {
        tfl_loader_finish(&l);
        return NULL;
    }
    uint8_t *state = (uint8_t *)malloc(tfl_state_bytes(&l));
    tfl_write_state(&l, state);
    tfl_loader_finish(&l);
    return state;
}

/* One entry of runs: see the comment at the top. Returns 0, or 2 when a file is missing or the
 * inputs' bytes do not fit the model's inputs (a fault of the caller, not of the model). */
static int run_entry(char *line)
{
    char *model_path = strtok(line, " ");
    char *inputs_path = strtok(NULL, " ");
    char *outputs_path = strtok(NULL, " ");
    printf("model %s\n", model_path);
    fflush(stdout);
    long length;
    uint8_t *model = read_file(model_path, &length);
    char error[256];
    uint8_t *state = load_state(model, (uint32_t)length, error, sizeof(error));
    if (!state) {
        printf("error %s\n", error);
        free(model);
        return 0;
    }
    print_dump(state);
    int status = 0;
    if (inputs_path && outputs_path) {
        const int32_t *header = (const int32_t *)state;
        const int32_t *io = (const int32_t *)(state + header[TFL_STATE_IO]);
        int32_t inputs = header[TFL_STATE_INPUT_COUNT], outputs = header[TFL_STATE_OUTPUT_COUNT];
        uint8_t *arena = state + header[TFL_STATE_ARENA];
        long given;
        uint8_t *data = read_file(inputs_path, &given);
        long needed = 0;
        for (int32_t i = 0; i < inputs; i++) needed += io[TFL_IO_WORDS * i + TFL_IO_BYTES];
        if (given != needed) {
            fprintf(stderr, "%s: %ld bytes of inputs, the model's inputs take %ld\n", inputs_path, given, needed);
            status = 2;
        } else {
            /* In order, as the STS sets them: inputs that share a tensor end with the last one's bytes. */
            long at = 0;
            for (int32_t i = 0; i < inputs; i++) {
                const int32_t *rec = io + TFL_IO_WORDS * i;
                memcpy(arena + rec[TFL_IO_OFFSET], data + at, (size_t)rec[TFL_IO_BYTES]);
                at += rec[TFL_IO_BYTES];
            }
            tfl_invoke(state, model);
            FILE *out = fopen(outputs_path, "wb");
            if (!out) {
                fprintf(stderr, "cannot write %s\n", outputs_path);
                status = 2;
            } else {
                for (int32_t i = 0; i < outputs; i++) {
                    const int32_t *rec = io + TFL_IO_WORDS * (inputs + i);
                    fwrite(arena + rec[TFL_IO_OFFSET], 1, (size_t)rec[TFL_IO_BYTES], out);
                }
                fclose(out);
                printf("invoked\n");
            }
        }
        free(data);
    }
    free(state);
    free(model);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: loader_tool dump MODEL | dumps LIST | runs LIST | run MODEL [-s STRIDE] OUT IN0 [IN1 ...] | metadata TEXT | gesture MODEL ENGINE HISTORY_BYTES SCRIPT | gesture-config MODEL\n");
        return 2;
    }
    long length;
    unsigned char *model = read_file(argv[2], &length);
    if (strcmp(argv[1], "dumps") == 0) {
        /* One run for many models: QEMU starts once (its command line holds 15 arguments). */
        char *line = (char *)model;
        model[length] = 0;
        while (*line) {
            char *next = strchr(line, '\n');
            if (next) *next++ = 0;
            if (*line) {
                char *sub[] = {argv[0], "dump", line, 0};
                printf("model %s\n", line);
                main(3, sub);
            }
            line = next ? next : line + strlen(line);
        }
        free(model);
        return 0;
    }
    if (strcmp(argv[1], "runs") == 0) {
        /* The fuzzer's batches: one process for a few hundred mutants, as process start with the
         * sanitizers costs more than loading a small model. */
        char *line = (char *)model;
        model[length] = 0;
        int status = 0;
        while (*line && status == 0) {
            char *next = strchr(line, '\n');
            if (next) *next++ = 0;
            if (*line) status = run_entry(line);
            line = next ? next : line + strlen(line);
        }
        if (status == 0) printf("done\n");
        free(model);
        return status;
    }
    if (strcmp(argv[1], "metadata") == 0) {
        int status = metadata(model, (uint32_t)length);
        free(model);
        return status;
    }
    char error[256];
    uint8_t *state = load_state(model, (uint32_t)length, error, sizeof(error));
    if (!state) {
        printf("error %s\n", error);
        free(model);
        return 1;
    }
    const int32_t *header = (const int32_t *)state;
    const int32_t *io = (const int32_t *)(state + header[TFL_STATE_IO]);
    int32_t inputs = header[TFL_STATE_INPUT_COUNT], outputs = header[TFL_STATE_OUTPUT_COUNT];

    if (strcmp(argv[1], "dump") == 0) {
        print_dump(state);
        free(state);
        free(model);
        return 0;
    }
    if (strcmp(argv[1], "gesture-config") == 0) {
        int status = gesture_config(model, (uint32_t)length, state);
        free(state);
        free(model);
        return status;
    }
    if (strcmp(argv[1], "gesture") == 0 && argc == 6) {
        int status = gesture(state, model, argv[3], atol(argv[4]), argv[5]);
        free(state);
        free(model);
        return status;
    }
    if (strcmp(argv[1], "run") != 0 || argc < 4) {
        fprintf(stderr, "unknown command %s\n", argv[1]);
        return 2;
    }
    int arg = 3;
    long stride = 0;
    if (strcmp(argv[arg], "-s") == 0) {
        stride = atol(argv[arg + 1]);
        arg += 2;
    }
    const char *out_path = argv[arg++];
    if (argc - arg != inputs) {
        fprintf(stderr, "the model has %d inputs, %d files given\n", inputs, argc - arg);
        return 2;
    }
    uint8_t *arena = state + header[TFL_STATE_ARENA];
    unsigned char *data[16];
    long lengths[16];
    for (int32_t i = 0; i < inputs && i < 16; i++) data[i] = read_file(argv[arg + i], &lengths[i]);
    FILE *out = fopen(out_path, "wb");
    long windows = 1;
    int32_t in0 = io[TFL_IO_BYTES];
    if (stride > 0) windows = lengths[0] < in0 ? 0 : (lengths[0] - in0) / stride + 1;
    for (long w = 0; w < windows; w++) {
        for (int32_t i = 0; i < inputs; i++) {
            const int32_t *rec = io + TFL_IO_WORDS * i;
            long start = i == 0 ? w * stride : 0;
            if (lengths[i] - start < rec[TFL_IO_BYTES] || (stride == 0 && lengths[i] != rec[TFL_IO_BYTES])) {
                fprintf(stderr, "input %d: %ld bytes, the tensor needs %d\n", i, lengths[i], rec[TFL_IO_BYTES]);
                return 2;
            }
            memcpy(arena + rec[TFL_IO_OFFSET], data[i] + start, (size_t)rec[TFL_IO_BYTES]);
        }
        tfl_invoke(state, model);
        for (int32_t i = 0; i < outputs; i++) {
            const int32_t *rec = io + TFL_IO_WORDS * (inputs + i);
            fwrite(arena + rec[TFL_IO_OFFSET], 1, (size_t)rec[TFL_IO_BYTES], out);
        }
    }
    fclose(out);
    for (int32_t i = 0; i < inputs && i < 16; i++) free(data[i]);
    free(state);
    free(model);
    return 0;
}
