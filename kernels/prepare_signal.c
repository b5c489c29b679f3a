/* The prepare functions of TFLM's Signal library custom ops (kernel_signal.ts), with the parts of
 * flexbuffer.ts that read their options and fdlibm's sin and cos for SignalRfft's twiddles. */
#include "prepare.h"
#include "kernel_util.h"

/* ---- Custom options: a FlexBuffer map (flexbuffer.ts) ----
 * Only what the options need: the root map, its keys, and integer values. A buffer ends with the
 * root's slot, its packed type ((type << 2) | log2(width of what it points to)) and the slot's
 * width. A map's slot points to its values (one width apart, then one packed type byte each),
 * preceded by its length, the keys' width and an offset back to the keys (a typed vector of
 * offsets to NUL-terminated strings, preceded by its length). Positions are absolute in the model,
 * in int64 as offsets reach 2^53. Every read is checked against the options' bytes; a failed read
 * returns 0 with the loader failed, and every later read then fails at once, so nothing reads
 * beyond the options. Each error says what flexbuffer.ts says. */

enum { FLEX_INT = 1, FLEX_UINT = 2, FLEX_INDIRECT_INT = 6, FLEX_INDIRECT_UINT = 7, FLEX_MAP = 9, FLEX_BOOL = 26,
       FLEX_VECTOR_BOOL = 36 };

static const char FLEX_TYPE_NAMES[] =
    "null\0int\0uint\0float\0key\0string\0indirect int\0indirect uint\0indirect float\0map\0vector\0int vector\0"
    "uint vector\0float vector\0key vector\0string vector\0int2\0uint2\0float2\0int3\0uint3\0float3\0int4\0uint4\0"
    "float4\0blob\0bool";
#define FLEX_NAMED_TYPES 27

typedef struct {
    int64_t pos;            /* the value's slot */
    uint32_t parent_width;  /* the slot's width */
    uint32_t type, width;   /* from the packed type */
} flex_value;

typedef struct {
    tfl_op *op;
    int64_t start, end;
    int has_map;            /* 0 when the op has no custom options */
    flex_value map;
    char name[40];          /* the op's name, for errors */
} flex_options;

#define FLEX_FAIL(o, fmt, ...) \
    tfl_fail((o)->op->loader, "corrupt operator %d (%s v%d) custom options: " fmt, (o)->op->index, (o)->name, \
             (o)->op->version, __VA_ARGS__)

static int flex_failed(const flex_options *o) { return o->op->loader->failed; }

static flex_value flex_unpack(int64_t pos, uint32_t parent_width, uint32_t packed)
{
    flex_value v = {pos, parent_width, packed >> 2, 1u << (packed & 3)};
    return v;
}

static void flex_wrong_type(flex_options *o, const char *wanted, uint32_t type)
{
    const char *name = "bool vector";
    if (type < FLEX_NAMED_TYPES)
        for (name = FLEX_TYPE_NAMES; type; type--)
            while (*name++) {}
    else if (type != FLEX_VECTOR_BOOL) {
        FLEX_FAIL(o, "expected %s, found type %d", wanted, (int32_t)type);
        return;
    }
    FLEX_FAIL(o, "expected %s, found %s", wanted, name);
}

/* `size` bytes at `pos` (what, or a vector of `count` elements when what is NULL). */
static int flex_check(flex_options *o, int64_t pos, int64_t size, const char *what, int64_t count)
{
    if (flex_failed(o)) return 0;
    if (pos >= o->start && pos + size <= o->end) return 1;
    double at = (double)(pos - o->start), bytes = (double)size;
    int32_t length = (int32_t)(o->end - o->start);
    if (what) FLEX_FAIL(o, "%s at byte %f (%f bytes) is outside the %d-byte buffer", what, at, bytes, length);
    else FLEX_FAIL(o, "vector of %f elements at byte %f (%f bytes) is outside the %d-byte buffer", (double)count, at, bytes, length);
    return 0;
}

/* readInt / readUInt: `width` (1, 2, 4 or 8) bytes, little-endian; 64-bit values must stay within 2^53. */
static int64_t flex_read(flex_options *o, int64_t pos, uint32_t width, int is_signed)
{
    if (!flex_check(o, pos, width, is_signed ? "int" : "uint", 0)) return 0;
    const uint8_t *b = o->op->loader->model + pos;
    uint64_t u = 0;
    for (uint32_t i = 0; i < width; i++) u |= (uint64_t)b[i] << (8 * i);
    if (width == 8) {
        int64_t v = (int64_t)u;
        if (is_signed ? v >= (1LL << 53) || v < -(1LL << 53) : u >= (1ULL << 53)) {
            FLEX_FAIL(o, "%s at byte %f is %s 2^53", is_signed ? "int" : "uint", (double)(pos - o->start),
                      is_signed ? "beyond" : "larger than");
            return 0;
        }
        return v;
    }
    if (is_signed && (u >> (8 * width - 1))) u |= ~0ULL << (8 * width);   /* sign-extend */
    return (int64_t)u;
}

/* The position that the offset stored at `pos` points back to. */
static int64_t flex_indirect(flex_options *o, int64_t pos, uint32_t width)
{
    int64_t target = pos - flex_read(o, pos, width, 0);
    if (!flex_failed(o) && target < o->start) FLEX_FAIL(o, "offset at byte %f points before the buffer", (double)(pos - o->start));
    return target;
}

/* The map's length (FlexValue.length): its values and their type bytes must lie in the buffer. */
static int64_t flex_map_length(flex_options *o, int64_t *data)
{
    *data = flex_indirect(o, o->map.pos, o->map.parent_width);
    int64_t n = flex_read(o, *data - o->map.width, o->map.width, 0);
    flex_check(o, *data, n * o->map.width + n, 0, n);
    return n;
}

/* FlexValue.get: the map's value under `key`. Returns 0 when there is none or the map is corrupt
 * (then the loader has failed). Like keys(), it reads and checks every key, not only up to `key`. */
static int flex_get(flex_options *o, const char *key, flex_value *value)
{
    int64_t data, found = -1;
    uint32_t w = o->map.width;
    int64_t n = flex_map_length(o, &data);
    int64_t keys_at = data - 3 * (int64_t)w;
    int64_t key_width = flex_read(o, keys_at + w, w, 0);
    if (flex_failed(o)) return 0;
    if (key_width != 1 && key_width != 2 && key_width != 4 && key_width != 8) {
        FLEX_FAIL(o, "map keys byte width %f", (double)key_width);
        return 0;
    }
    int64_t keys = flex_indirect(o, keys_at, w);
    int64_t key_count = flex_read(o, keys - key_width, (uint32_t)key_width, 0);
    if (!flex_failed(o) && key_count != n) FLEX_FAIL(o, "a map has %f values but %f keys", (double)n, (double)key_count);
    flex_check(o, keys, n * key_width, "map keys", 0);
    for (int64_t i = 0; i < n && !flex_failed(o); i++) {
        int64_t at = flex_indirect(o, keys + i * key_width, (uint32_t)key_width);
        int same = 1;
        for (int64_t k = 0; flex_check(o, at + k, 1, "key", 0); k++) {
            uint8_t c = o->op->loader->model[at + k];
            if (same && key[k] != c) same = 0;
            if (!c) {
                if (same && found < 0) found = i;
                break;
            }
        }
    }
    if (flex_failed(o) || found < 0) return 0;
    *value = flex_unpack(data + found * w, w, o->op->loader->model[data + n * w + found]);
    return 1;
}

/* FlexValue.asInt: an int, uint or bool, inline or indirect. */
static int64_t flex_as_int(flex_options *o, const flex_value *v)
{
    switch (v->type) {
    case FLEX_INT: return flex_read(o, v->pos, v->parent_width, 1);
    case FLEX_UINT: case FLEX_BOOL: return flex_read(o, v->pos, v->parent_width, 0);
    case FLEX_INDIRECT_INT: return flex_read(o, flex_indirect(o, v->pos, v->parent_width), v->width, 1);
    case FLEX_INDIRECT_UINT: return flex_read(o, flex_indirect(o, v->pos, v->parent_width), v->width, 0);
    default: flex_wrong_type(o, "an integer", v->type); return 0;
    }
}

/* customOptionsMap: the op's custom options, which must be a map when present. Returns 1 on error. */
static int signal_options(tfl_op *op, flex_options *o)
{
    const uint8_t *model = op->loader->model;
    uint32_t name_length = op->custom_name_length < sizeof(o->name) ? op->custom_name_length : sizeof(o->name) - 1;
    memcpy(o->name, model + op->custom_name_at, name_length);
    o->name[name_length] = 0;
    o->op = op;
    o->has_map = 0;
    o->start = op->custom_options;
    o->end = o->start + op->custom_options_length;
    int64_t n = op->custom_options_length;
    if (!n) return 0;
    if (o->end > op->loader->length)
        return FLEX_FAIL(o, "%f bytes at %f lie outside the %d-byte buffer", (double)n, (double)o->start, (int32_t)op->loader->length);
    if (n < 3) return FLEX_FAIL(o, "only %f bytes", (double)n);
    uint32_t width = model[o->end - 1];
    if (width != 1 && width != 2 && width != 4 && width != 8) return FLEX_FAIL(o, "root byte width %d", (int32_t)width);
    o->map = flex_unpack(o->end - 2 - width, width, model[o->end - 2]);
    if (!flex_check(o, o->map.pos, width, "root", 0)) return 1;
    if (o->map.type != FLEX_MAP) {
        flex_wrong_type(o, "a map", o->map.type);
        return 1;
    }
    o->has_map = 1;
    return 0;
}

/* An option's integer value (any size). Returns 1 when it is missing or the options are corrupt. */
static int signal_option(tfl_op *op, flex_options *o, const char *key, int64_t *x)
{
    flex_value v;
    if (!o->has_map || !flex_get(o, key, &v)) return flex_failed(o) ? 1 : tfl_op_fail(op, "custom option '%s' is missing", key);
    *x = flex_as_int(o, &v);
    return flex_failed(o);
}

/* signalIntOption: an option that TFLM reads as an int32. */
static int signal_int(tfl_op *op, flex_options *o, const char *key, int32_t *out)
{
    int64_t x;
    if (signal_option(op, o, key, &x)) return 1;
    TFL_CHECK(op, x >= TFL_INT32_MIN && x <= TFL_INT32_MAX, "custom option '%s' = %f does not fit an int32", key, (double)x);
    *out = (int32_t)x;
    return 0;
}

/* signalOptionInRange */
static int signal_range(tfl_op *op, flex_options *o, const char *key, int32_t lo, int32_t hi, int32_t *out)
{
    if (signal_int(op, o, key, out)) return 1;
    TFL_CHECK(op, *out >= lo && *out <= hi, "custom option '%s' = %d is outside [%d, %d]", key, *out, lo, hi);
    return 0;
}

/* ---- Shared checks ---- */

/* checkSignalIo */
static int check_io(tfl_op *op, uint32_t inputs, uint32_t outputs)
{
    TFL_CHECK(op, op->input_count == inputs && op->output_count == outputs, "needs %d input(s) and %d output(s), has %d and %d",
              (int32_t)inputs, (int32_t)outputs, (int32_t)op->input_count, (int32_t)op->output_count);
    for (uint32_t i = 0; i < inputs; i++) TFL_CHECK(op, op->inputs[i], "input %d is missing", (int32_t)i);
    return 0;
}

/* checkSignalTensor: the type, and the rank unless it is -1. */
static int check_tensor(tfl_op *op, const tfl_tensor_info *t, const char *what, int32_t type, int32_t rank)
{
    TFL_CHECK(op, t->type == type, "%s %t must be %y", what, t, type);
    if (rank >= 0) TFL_CHECK(op, t->rank == rank, "%s %t must have rank %d", what, t, rank);
    return 0;
}

static int check_same_count(tfl_op *op, const tfl_tensor_info *output, const tfl_tensor_info *input)
{
    TFL_CHECK(op, output->count == input->count, "output %t must match input %t", output, input);
    return 0;
}

/* ---- SignalWindow ---- */

int tfl_prepare_signal_window(tfl_op *op)
{
    if (check_io(op, 2, 1)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *weights = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    if (check_tensor(op, input, "input", TFL_TYPE_INT16, -1) || check_tensor(op, weights, "window", TFL_TYPE_INT16, 1) ||
        check_tensor(op, output, "output", TFL_TYPE_INT16, input->rank))
        return 1;
    TFL_CHECK(op, input->rank >= 1, "input %t must have rank 1 or more", input);
    uint32_t size = input->count, n = weights->count;
    TFL_CHECK(op, n > 0 && size % n == 0, "input %t is not a whole number of windows of %d", input, (int32_t)n);
    if (check_same_count(op, output, input)) return 1;
    flex_options o;
    int32_t shift;
    if (signal_options(op, &o) || signal_range(op, &o, "shift", 0, 31, &shift)) return 1;
    int32_t *p = tfl_use_body(op, TFL_BODY_signal_window_int16, TFL_SIGNAL_WINDOW_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_SIGNAL_WINDOW_INPUT, input);
    tfl_param_tensor(op, TFL_SIGNAL_WINDOW_WEIGHTS, weights);
    tfl_param_tensor(op, TFL_SIGNAL_WINDOW_OUTPUT, output);
    p[TFL_SIGNAL_WINDOW_INPUT_SIZE] = (int32_t)size;
    p[TFL_SIGNAL_WINDOW_WEIGHT_SIZE] = (int32_t)n;
    p[TFL_SIGNAL_WINDOW_SHIFT] = shift;
    return 0;
}

/* ---- SignalFftAutoScale ---- */

int tfl_prepare_signal_fft_auto_scale(tfl_op *op)
{
    if (check_io(op, 1, 2)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0), *scale_bits = tfl_output_tensor(op, 1);
    if (check_tensor(op, input, "input", TFL_TYPE_INT16, 1) || check_tensor(op, output, "output", TFL_TYPE_INT16, 1) ||
        check_tensor(op, scale_bits, "scale bits output", TFL_TYPE_INT32, 0) || check_same_count(op, output, input))
        return 1;
    int32_t *p = tfl_use_body(op, TFL_BODY_signal_fft_auto_scale_int16, TFL_SIGNAL_FFT_AUTO_SCALE_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_SIGNAL_FFT_AUTO_SCALE_INPUT, input);
    tfl_param_tensor(op, TFL_SIGNAL_FFT_AUTO_SCALE_OUTPUT, output);
    tfl_param_tensor(op, TFL_SIGNAL_FFT_AUTO_SCALE_SCALE_BITS, scale_bits);
    p[TFL_SIGNAL_FFT_AUTO_SCALE_SIZE] = (int32_t)output->count;
    return 0;
}

/* ---- SignalRfft ----
 * The twiddles are floor(0.5 + 32767 * cos/sin(phase)) with the phase in [-2 pi, 0], and they
 * must be the STS prepare's to the last bit: a phase whose cosine is +-0.5 (a third of a turn)
 * makes 32767 * cos a half-integer, so the last bit of cos decides the floor. So these are
 * fdlibm's sin and cos (k_sin.c, k_cos.c, e_rem_pio2.c), which V8 uses for Math.sin and Math.cos,
 * step for step: pure double arithmetic, the same on every IEEE machine without fused
 * multiply-adds. The argument x is reduced to y0 + y1 = x - n pi/2 with |y0 + y1| <= pi/4, using
 * pi/2 split into 33-bit pieces (pio2_1 + pio2_2 + pio2_3 + pio2_3t) so that n * pio2_k is exact;
 * then cos or +-sin of y0 + y1 from minimax polynomials, y1 entering as a first-order correction.
 * Only fdlibm's "medium" arguments are handled, and its table of multiples of pi/2 stops at 4 pi/2
 * here: exact for |x| < 4.5 pi/2, which covers our phases (|x| < 2 pi). Checked against Node's
 * Math.cos and Math.sin for every phase of every fft_length up to 2048 and every 5-smooth one up
 * to 65536, on the host and on the Cortex-M0 (QEMU). */

#if defined(__NEWLIB__)
/* On the board newlib's sin and cos are these same fdlibm routines (s_sin.c, s_cos.c over k_sin.c,
 * k_cos.c, e_rem_pio2.c), and the firmware already carries them for Math.sin and Math.cos: use
 * them instead of a second copy. test/loader.test.ts runs this build on QEMU and compares the
 * twiddles with the STS's at every fft_length the op takes. The host's libm (glibc) is another
 * algorithm, which can differ in the last bit: the host build keeps the copy below. */
#include <math.h>
static double fdlibm_trig(double x, int want_sin)
{
    return want_sin ? sin(x) : cos(x);
}
#else
static uint32_t high_word(double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    return (uint32_t)(u >> 32);
}

static double from_high_word(uint32_t high)
{
    uint64_t u = (uint64_t)high << 32;
    double x;
    memcpy(&x, &u, 8);
    return x;
}

/* cos(x + y) for |x| <= pi/4 (__kernel_cos) */
static double kernel_cos(double x, double y)
{
    uint32_t ix = high_word(x) & 0x7fffffff;
    if (ix < 0x3e400000) return 1.0;   /* |x| < 2^-27 */
    double z = x * x;
    double r = z * (4.16666666666666019037e-02 + z * (-1.38888888888741095749e-03 + z * (2.48015872894767294178e-05 +
               z * (-2.75573143513906633035e-07 + z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11)))));
    if (ix < 0x3fd33333) return 1.0 - (0.5 * z - (z * r - x * y));   /* |x| < 0.3 */
    double qx = ix > 0x3fe90000 ? 0.28125 : from_high_word(ix - 0x00200000);   /* about |x| / 4 */
    return (1.0 - qx) - ((0.5 * z - qx) - (z * r - x * y));
}

/* sin(x + y) for |x| <= pi/4 (__kernel_sin; iy = 0 when y is 0) */
static double kernel_sin(double x, double y, int iy)
{
    if ((high_word(x) & 0x7fffffff) < 0x3e400000) return x;   /* |x| < 2^-27 */
    double z = x * x, v = z * x;
    double r = 8.33333333332248946124e-03 + z * (-1.98412698298579493134e-04 + z * (2.75573137070700676789e-06 +
               z * (-2.50507602534068634195e-08 + z * 1.58969099521155010221e-10)));
    const double s1 = -1.66666666666666324348e-01;
    if (!iy) return x + v * (s1 + z * r);
    return x - ((z * (0.5 * y - v * r) - y) - v * s1);
}

/* cos(x), or sin(x) when want_sin: V8's ieee754::cos and ::sin for |x| < 4.5 pi/2. */
static double fdlibm_trig(double x, int want_sin)
{
    static const uint32_t npio2_high[4] = {0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb};   /* n pi/2, n = 1..4 */
    const double pio2_1 = 1.57079632673412561417e+00, pio2_1t = 6.07710050650619224932e-11;
    const double pio2_2 = 6.07710050630396597660e-11, pio2_2t = 2.02226624879595063154e-21;
    const double pio2_3 = 2.02226624871116645580e-21, pio2_3t = 8.47842766036889956997e-32;
    uint32_t hx = high_word(x), ix = hx & 0x7fffffff;
    if (ix <= 0x3fe921fb) return want_sin ? kernel_sin(x, 0, 0) : kernel_cos(x, 0);   /* |x| <= pi/4 */
    /* __ieee754_rem_pio2 on |x| (it is symmetric), the signs restored below. */
    double t = x < 0 ? -x : x, y0, y1, r, w;
    int32_t n;
    if (ix < 0x4002d97c) {   /* |x| < 3 pi/4: n = 1 */
        n = 1;
        r = t - pio2_1;
        w = pio2_1t;
        if (ix == 0x3ff921fb) {   /* near pi/2: 33 + 33 + 53 bits of pi/2 */
            r -= pio2_2;
            w = pio2_2t;
        }
        y0 = r - w;
        y1 = (r - y0) - w;
    } else {
        n = (int32_t)(t * 6.36619772367581382433e-01 + 0.5);
        double fn = (double)n;
        r = t - fn * pio2_1;
        w = fn * pio2_1t;
        y0 = r - w;
        /* When x is near a multiple of pi/2 (its high word is that of n pi/2), a cancellation of
         * more than 16 bits needs the next 33 bits of pi/2, and one of more than 49 the last. */
        if (n > 4 || ix == npio2_high[n - 1]) {
            int32_t j = (int32_t)(ix >> 20);
            if (j - (int32_t)((high_word(y0) >> 20) & 0x7ff) > 16) {
                double u = r;
                w = fn * pio2_2;
                r = u - w;
                w = fn * pio2_2t - ((u - r) - w);
                y0 = r - w;
                if (j - (int32_t)((high_word(y0) >> 20) & 0x7ff) > 49) {
                    u = r;
                    w = fn * pio2_3;
                    r = u - w;
                    w = fn * pio2_3t - ((u - r) - w);
                    y0 = r - w;
                }
            }
        }
        y1 = (r - y0) - w;
    }
    if (hx >> 31) {
        y0 = -y0;
        y1 = -y1;
        n = -n;
    }
    /* cos in quadrants 0..3 is cos, -sin, -cos, sin of the remainder; sin(x) = cos(x - pi/2). */
    uint32_t q = ((uint32_t)n + (want_sin ? 3u : 0u)) & 3;
    double v = q & 1 ? kernel_sin(y0, y1, 1) : kernel_cos(y0, y1);
    return q == 1 || q == 2 ? -v : v;
}

#endif

/* floor(0.5 + 32767 * c), for |c| <= 1 */
static int32_t twiddle_part(double c)
{
    double v = 0.5 + 32767.0 * c;
    int32_t f = (int32_t)v;
    return (double)f > v ? f - 1 : f;
}

/* kissFftFactors: kf_factor of the complex FFT of fft_length / 2 points, into int32_t
 * factors[32] and count: powers of 4, then 2, then odd numbers up to floor(sqrt(n)), else n
 * itself, as (radix, remaining length) pairs (n <= 32768 has at most 15 factors); the enclosing
 * prepare fails when a radix is above 5. A macro so that the board's default build, where
 * SignalRfft is its one user, compiles the same code as before SignalIrfft shared it. */
#define KISS_FACTORS(op, fft_length, factors, count)                                                                          \
    int32_t factors[32], count = 0;                                                                                            \
    {                                                                                                                          \
        int32_t m_ = (fft_length) / 2, radix_ = 4, floor_sqrt_ = 0;                                                            \
        while ((floor_sqrt_ + 1) * (floor_sqrt_ + 1) <= (fft_length) / 2) floor_sqrt_++;                                       \
        while (m_ > 1) {                                                                                                       \
            while (m_ % radix_) {                                                                                              \
                radix_ = radix_ == 4 ? 2 : radix_ == 2 ? 3 : radix_ + 2;                                                       \
                if (radix_ > floor_sqrt_) radix_ = m_;                                                                         \
            }                                                                                                                  \
            m_ /= radix_;                                                                                                      \
            factors[count++] = radix_;                                                                                         \
            factors[count++] = m_;                                                                                             \
        }                                                                                                                      \
        for (int32_t i_ = 0; i_ < count; i_ += 2)                                                                              \
            TFL_CHECK(op, factors[i_] <= 5,                                                                                    \
                      "fft_length %d has a factor %d that TFLM's KISS FFT cannot do without malloc (only 2, 3, 4 and 5)",   \
                      fft_length, factors[i_]);                                                                                \
    }

#if TINYML_ALL_OPS
static int kiss_wide_params(tfl_op *op, int32_t type, int32_t body, int32_t fft_length, int32_t input_length, int32_t rows,
                            const int32_t *factors, int32_t count, int inverse);
/* The all-ops build also takes INT32 and FLOAT32 (signal2.c); the default build's code stays as it was. */
#define RFFT_TYPE_OK(type) ((type) == TFL_TYPE_INT16 || (type) == TFL_TYPE_INT32 || (type) == TFL_TYPE_FLOAT32)
#define RFFT_TYPES "INT16, INT32 and FLOAT32"
#define RFFT_TYPE(type) (type)
#else
#define RFFT_TYPE_OK(type) ((type) == TFL_TYPE_INT16)
#define RFFT_TYPES "INT16"
#define RFFT_TYPE(type) TFL_TYPE_INT16
#endif

int tfl_prepare_signal_rfft(tfl_op *op)
{
    const double pi = 3.14159265358979311600e+00;
    flex_options o;
    int32_t type, fft_length;
    if (check_io(op, 1, 1) || signal_options(op, &o) || signal_int(op, &o, "T", &type)) return 1;
#if TINYML_ALL_OPS
    TFL_CHECK(op, RFFT_TYPE_OK(type), "unsupported FFT type %y (only " RFFT_TYPES ")", type);
#else
    /* The default build carries the speech front end's INT16 FFT only. */
    if (!RFFT_TYPE_OK(type)) return tfl_types_left_out(op);
#endif
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    if (check_tensor(op, input, "input", RFFT_TYPE(type), -1) || check_tensor(op, output, "output", RFFT_TYPE(type), input->rank))
        return 1;
    TFL_CHECK(op, input->rank >= 1, "input %t must have rank 1 or more", input);
    /* fft_length 2 would need KISS FFT's generic radix (a 1-point stage), which TFLM cannot run. */
    if (signal_range(op, &o, "fft_length", 4, 65536, &fft_length)) return 1;
    TFL_CHECK(op, fft_length % 2 == 0, "fft_length %d must be even", fft_length);
    int32_t n = fft_length / 2;
    int32_t input_length = input->shape[input->rank - 1];
    TFL_CHECK(op, input_length <= fft_length, "input rows of %d exceed fft_length %d", input_length, fft_length);
    int32_t rows = input_length > 0 ? (int32_t)(input->count / (uint32_t)input_length) : 0;
    TFL_CHECK(op, output->shape[output->rank - 1] == fft_length + 2, "output %t rows must hold %d complex values", output, n + 1);
    TFL_CHECK(op, (uint64_t)output->count == (uint64_t)rows * (uint32_t)(fft_length + 2), "output %t must have %d rows", output, rows);

    KISS_FACTORS(op, fft_length, factors, count)

#if TINYML_ALL_OPS
    if (type != TFL_TYPE_INT16)
        return kiss_wide_params(op, type, type == TFL_TYPE_INT32 ? TFL_BODY_signal_rfft_int32 : TFL_BODY_signal_rfft_float, fft_length,
                                input_length, rows, factors, count, 0);
#endif
    int32_t twiddles = TFL_SIGNAL_RFFT_FACTORS + count, super_twiddles = twiddles + n;
    int32_t *p = tfl_use_body(op, TFL_BODY_signal_rfft_int16, (uint32_t)(super_twiddles + (n >> 1)));
    if (!p) return 1;
    tfl_param_tensor(op, TFL_SIGNAL_RFFT_INPUT, input);
    tfl_param_tensor(op, TFL_SIGNAL_RFFT_OUTPUT, output);
    p[TFL_SIGNAL_RFFT_FFT_LENGTH] = fft_length;
    p[TFL_SIGNAL_RFFT_INPUT_LENGTH] = input_length;
    p[TFL_SIGNAL_RFFT_ROWS] = rows;
    tfl_param_scratch(op, TFL_SIGNAL_RFFT_WORK, 2 * (uint32_t)fft_length);
    tfl_param_scratch(op, TFL_SIGNAL_RFFT_TMP, 2 * (uint32_t)fft_length);
    p[TFL_SIGNAL_RFFT_STAGES] = count >> 1;
    p[TFL_SIGNAL_RFFT_TWIDDLES] = twiddles;
    p[TFL_SIGNAL_RFFT_SUPER_TWIDDLES] = super_twiddles;
    for (int32_t i = 0; i < count; i++) p[TFL_SIGNAL_RFFT_FACTORS + i] = factors[i];
    /* One complex int16 (real, imaginary) per word: the complex FFT's twiddles exp(-2 pi i k / n),
     * then the real FFT's super twiddles exp(-i pi ((k + 1) / n + 1/2)), phases as STS forms them. */
    for (int32_t i = 0; i < n + (n >> 1); i++) {
        double phase = i < n ? -2.0 * pi * i / n : -pi * ((double)(i - n + 1) / n + 0.5);
        uint32_t re = (uint16_t)twiddle_part(fdlibm_trig(phase, 0)), im = (uint16_t)twiddle_part(fdlibm_trig(phase, 1));
        p[twiddles + i] = (int32_t)(re | im << 16);
    }
    return 0;
}

/* ---- SignalEnergy ---- */

int tfl_prepare_signal_energy(tfl_op *op)
{
    if (check_io(op, 1, 1)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    if (check_tensor(op, input, "input", TFL_TYPE_INT16, 1) || check_tensor(op, output, "output", TFL_TYPE_UINT32, 1)) return 1;
    flex_options o;
    int32_t bins = (int32_t)(input->count >> 1), start, end;
    if ((uint32_t)bins > output->count) bins = (int32_t)output->count;
    if (signal_options(op, &o) || signal_range(op, &o, "end_index", 0, bins, &end) || signal_range(op, &o, "start_index", 0, end, &start))
        return 1;
    int32_t *p = tfl_use_body(op, TFL_BODY_signal_energy_int16, TFL_SIGNAL_ENERGY_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_SIGNAL_ENERGY_INPUT, input);
    tfl_param_tensor(op, TFL_SIGNAL_ENERGY_OUTPUT, output);
    p[TFL_SIGNAL_ENERGY_START] = start;
    p[TFL_SIGNAL_ENERGY_END] = end;
    p[TFL_SIGNAL_ENERGY_ELEMENTS] = (int32_t)output->count;
    return 0;
}

/* ---- SignalFilterBank ---- */

int tfl_prepare_signal_filter_bank(tfl_op *op)
{
    static const char *const what[6] = {"input", "weights", "unweights", "channel frequency starts", "channel weight starts",
                                        "channel widths"};
    if (check_io(op, 6, 1)) return 1;
    const tfl_tensor_info *t[6], *output = tfl_output_tensor(op, 0);
    for (uint32_t i = 0; i < 6; i++) {
        t[i] = tfl_input(op, i);
        if (check_tensor(op, t[i], what[i], i ? TFL_TYPE_INT16 : TFL_TYPE_UINT32, 1)) return 1;
    }
    const tfl_tensor_info *input = t[0], *weights = t[1], *unweights = t[2], *freq_starts = t[3], *weight_starts = t[4], *widths = t[5];
    flex_options o;
    int32_t channels;
    if (check_tensor(op, output, "output", TFL_TYPE_UINT64, 1) || signal_options(op, &o) ||
        signal_range(op, &o, "num_channels", 1, 65535, &channels))
        return 1;
    TFL_CHECK(op, output->count == (uint32_t)channels, "output %t must have num_channels = %d values", output, channels);
    /* TFLM reads these without bounds checks: here they must be constant and stay in bounds. */
    TFL_CHECK(op, freq_starts->is_const && weight_starts->is_const && widths->is_const,
              "channel frequency starts, weight starts and widths must be constant");
    for (uint32_t c = 0; c <= (uint32_t)channels; c++) {
        TFL_CHECK(op, c < freq_starts->count && c < weight_starts->count && c < widths->count,
                  "channel tables must have num_channels + 1 = %d entries", channels + 1);
        int32_t f = tfl_load_i16(tfl_const_data(op, freq_starts) + 2 * c);
        int32_t w = tfl_load_i16(tfl_const_data(op, weight_starts) + 2 * c);
        int32_t n = tfl_load_i16(tfl_const_data(op, widths) + 2 * c);
        TFL_CHECK(op, n <= 0 || (f >= 0 && (uint32_t)(f + n) <= input->count), "channel %d reads frequencies %d..%d outside input %t",
                  (int32_t)c, f, f + n - 1, input);
        TFL_CHECK(op, n <= 0 || (w >= 0 && (uint32_t)(w + n) <= weights->count && (uint32_t)(w + n) <= unweights->count),
                  "channel %d reads weights %d..%d outside the weight tables", (int32_t)c, w, w + n - 1);
    }
    int32_t *p = tfl_use_body(op, TFL_BODY_signal_filter_bank_uint32, TFL_SIGNAL_FILTER_BANK_WORDS);
    if (!p) return 1;
    /* Input, weights, unweights, frequency starts, weight starts, widths: words 0, 2, ..., 10. */
    for (uint32_t i = 0; i < 6; i++) tfl_param_tensor(op, TFL_SIGNAL_FILTER_BANK_INPUT + 2 * i, t[i]);
    tfl_param_tensor(op, TFL_SIGNAL_FILTER_BANK_OUTPUT, output);
    p[TFL_SIGNAL_FILTER_BANK_NUM_CHANNELS] = channels;
    return 0;
}

/* ---- SignalFilterBankSquareRoot ---- */

int tfl_prepare_signal_filter_bank_square_root(tfl_op *op)
{
    if (check_io(op, 2, 1)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *scale_bits = tfl_input(op, 1), *output = tfl_output_tensor(op, 0);
    if (check_tensor(op, input, "input", TFL_TYPE_UINT64, 1) || check_tensor(op, scale_bits, "scale bits", TFL_TYPE_INT32, 0) ||
        check_tensor(op, output, "output", TFL_TYPE_UINT32, 1) || check_same_count(op, output, input))
        return 1;
    int32_t *p = tfl_use_body(op, TFL_BODY_signal_filter_bank_square_root_uint64, TFL_SIGNAL_FILTER_BANK_SQUARE_ROOT_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_SIGNAL_FILTER_BANK_SQUARE_ROOT_INPUT, input);
    tfl_param_tensor(op, TFL_SIGNAL_FILTER_BANK_SQUARE_ROOT_SCALE_BITS, scale_bits);
    tfl_param_tensor(op, TFL_SIGNAL_FILTER_BANK_SQUARE_ROOT_OUTPUT, output);
    p[TFL_SIGNAL_FILTER_BANK_SQUARE_ROOT_NUM_CHANNELS] = (int32_t)input->count;
    return 0;
}

/* ---- SignalFilterBankSpectralSubtraction ---- */

int tfl_prepare_signal_spectral_subtraction(tfl_op *op)
{
    /* The int32 options, in the order of their words (Smoothing .. MinSignalRemaining), which
     * TFLM stores in uint32 fields. */
    static const char *const coefficients[5] = {"smoothing", "one_minus_smoothing", "alternate_smoothing",
                                                "alternate_one_minus_smoothing", "min_signal_remaining"};
    if (check_io(op, 1, 2)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0), *noise = tfl_output_tensor(op, 1);
    if (check_tensor(op, input, "input", TFL_TYPE_UINT32, 1) || check_tensor(op, output, "output", TFL_TYPE_UINT32, 1) ||
        check_tensor(op, noise, "noise estimate", TFL_TYPE_UINT32, 1))
        return 1;
    flex_options o;
    int32_t channels;
    if (signal_options(op, &o) || signal_range(op, &o, "num_channels", 1, 65535, &channels)) return 1;
    TFL_CHECK(op, input->count == (uint32_t)channels && output->count == (uint32_t)channels && noise->count == (uint32_t)channels,
              "input, output and noise estimate must have num_channels = %d values", channels);
    int32_t *p = tfl_use_body(op, TFL_BODY_signal_filter_bank_spectral_subtraction_uint32, TFL_SIGNAL_SPECTRAL_SUBTRACTION_WORDS);
    if (!p) return 1;
    tfl_param_persistent(op, TFL_SIGNAL_SPECTRAL_SUBTRACTION_STATE, 4 * (uint32_t)channels);
    tfl_param_tensor(op, TFL_SIGNAL_SPECTRAL_SUBTRACTION_INPUT, input);
    tfl_param_tensor(op, TFL_SIGNAL_SPECTRAL_SUBTRACTION_OUTPUT, output);
    tfl_param_tensor(op, TFL_SIGNAL_SPECTRAL_SUBTRACTION_NOISE_ESTIMATE, noise);
    p[TFL_SIGNAL_SPECTRAL_SUBTRACTION_NUM_CHANNELS] = channels;
    for (int i = 0; i < 5; i++)
        if (signal_int(op, &o, coefficients[i], &p[TFL_SIGNAL_SPECTRAL_SUBTRACTION_SMOOTHING + i])) return 1;
    int64_t clamping;
    if (signal_range(op, &o, "smoothing_bits", 0, 31, &p[TFL_SIGNAL_SPECTRAL_SUBTRACTION_SMOOTHING_BITS]) ||
        signal_range(op, &o, "spectral_subtraction_bits", 0, 63, &p[TFL_SIGNAL_SPECTRAL_SUBTRACTION_SPECTRAL_SUBTRACTION_BITS]) ||
        signal_option(op, &o, "clamping", &clamping))
        return 1;
    p[TFL_SIGNAL_SPECTRAL_SUBTRACTION_CLAMPING] = clamping != 0;
    return 0;
}

/* ---- SignalPCAN ---- */

int tfl_prepare_signal_pcan(tfl_op *op)
{
    if (check_io(op, 3, 1)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *noise = tfl_input(op, 1), *lut = tfl_input(op, 2);
    const tfl_tensor_info *output = tfl_output_tensor(op, 0);
    if (check_tensor(op, input, "input", TFL_TYPE_UINT32, 1) || check_tensor(op, noise, "noise estimate", TFL_TYPE_UINT32, 1) ||
        check_tensor(op, lut, "gain LUT", TFL_TYPE_INT16, 1) || check_tensor(op, output, "output", TFL_TYPE_UINT32, 1))
        return 1;
    uint32_t channels = input->count;
    TFL_CHECK(op, channels > 0 && noise->count == channels && output->count == channels,
              "input, noise estimate and output must have the same number of values");
    /* A noise estimate with its top bit at position b reads entries 4b - 6 .. 4b - 4, up to 124. */
    TFL_CHECK(op, lut->count >= 125, "gain LUT %t must have 125 entries", lut);
    int32_t *p = tfl_use_body(op, TFL_BODY_signal_pcan_uint32, TFL_SIGNAL_PCAN_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_SIGNAL_PCAN_INPUT, input);
    tfl_param_tensor(op, TFL_SIGNAL_PCAN_NOISE_ESTIMATE, noise);
    tfl_param_tensor(op, TFL_SIGNAL_PCAN_GAIN_LUT, lut);
    tfl_param_tensor(op, TFL_SIGNAL_PCAN_OUTPUT, output);
    p[TFL_SIGNAL_PCAN_NUM_CHANNELS] = (int32_t)channels;
    flex_options o;
    return signal_options(op, &o) || signal_range(op, &o, "snr_shift", 0, 63, &p[TFL_SIGNAL_PCAN_SNR_SHIFT]);
}

/* ---- SignalFilterBankLog ---- */

int tfl_prepare_signal_filter_bank_log(tfl_op *op)
{
    if (check_io(op, 1, 1)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    if (check_tensor(op, input, "input", TFL_TYPE_UINT32, 1) || check_tensor(op, output, "output", TFL_TYPE_INT16, 1) ||
        check_same_count(op, output, input))
        return 1;
    flex_options o;
    if (signal_options(op, &o)) return 1;
    int32_t *p = tfl_use_body(op, TFL_BODY_signal_filter_bank_log_uint32, TFL_SIGNAL_FILTER_BANK_LOG_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_SIGNAL_FILTER_BANK_LOG_INPUT, input);
    tfl_param_tensor(op, TFL_SIGNAL_FILTER_BANK_LOG_OUTPUT, output);
    p[TFL_SIGNAL_FILTER_BANK_LOG_NUM_CHANNELS] = (int32_t)input->count;
    /* Both become uint32 in TFLM. */
    return signal_int(op, &o, "output_scale", &p[TFL_SIGNAL_FILTER_BANK_LOG_OUTPUT_SCALE]) ||
           signal_range(op, &o, "input_correction_bits", 0, 31, &p[TFL_SIGNAL_FILTER_BANK_LOG_INPUT_CORRECTION_BITS]);
}

#if TINYML_ALL_OPS
/* ---- SignalDelay (kernel_signal2.ts, signal2.c): in the all-ops build only, which the speech
 * front end does not need; here for this file's option readers. ---- */

int tfl_prepare_signal_delay(tfl_op *op)
{
    if (check_io(op, 1, 1)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    if (check_tensor(op, input, "input", TFL_TYPE_INT16, -1) || check_tensor(op, output, "output", TFL_TYPE_INT16, input->rank))
        return 1;
    /* TFLM divides the size by the innermost dimension. */
    TFL_CHECK(op, input->rank >= 1 && input->shape[input->rank - 1] >= 1,
              "input %t must have rank 1 or more and a last dimension of 1 or more", input);
    if (check_same_count(op, output, input)) return 1;
    flex_options o;
    int32_t delay;
    if (signal_options(op, &o) || signal_range(op, &o, "delay_length", 0, 65535, &delay)) return 1;
    const int32_t frame = input->shape[input->rank - 1];
    const int32_t rows = (int32_t)input->count / frame;
    int32_t *p = tfl_use_body(op, TFL_BODY_signal_delay_int16, TFL_SIGNAL_DELAY_WORDS);
    if (!p) return 1;
    tfl_param_persistent(op, TFL_SIGNAL_DELAY_STATE, 2 * (uint32_t)delay * (uint32_t)rows);
    tfl_param_tensor(op, TFL_SIGNAL_DELAY_INPUT, input);
    tfl_param_tensor(op, TFL_SIGNAL_DELAY_OUTPUT, output);
    p[TFL_SIGNAL_DELAY_FRAME_SIZE] = frame;
    p[TFL_SIGNAL_DELAY_OUTER_DIMS] = rows;
    p[TFL_SIGNAL_DELAY_DELAY_LENGTH] = delay;
    return 0;
}

/* checkSignalTypeOption: option T, the type TFLM's Init picks the kernel by, which must then be the
 * input's type. Returns 1 when it is not. */
static int signal_type(tfl_op *op, flex_options *o, const tfl_tensor_info *input)
{
    int32_t t;
    if (signal_int(op, o, "T", &t)) return 1;
    TFL_CHECK(op, t == input->type, "custom option 'T' = %d must be the input's type %d", t, input->type);
    return 0;
}

/* ---- SignalOverlapAdd (kernel_signal2.ts, signal2.c) ---- */

int tfl_prepare_signal_overlap_add(tfl_op *op)
{
    if (check_io(op, 1, 1)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    TFL_CHECK(op, input->type == TFL_TYPE_INT16 || input->type == TFL_TYPE_FLOAT32, "input %t must be INT16 or FLOAT32", input);
    if (check_tensor(op, output, "output", input->type, (int32_t)input->rank - 1)) return 1;
    TFL_CHECK(op, input->rank >= 2, "input %t must have rank 2 or more", input);
    flex_options o;
    int32_t step;
    if (signal_options(op, &o) || signal_type(op, &o, input)) return 1;
    const int32_t frame_size = input->shape[input->rank - 1], frames = input->shape[input->rank - 2];
    const int32_t rows = frame_size * frames == 0 ? 0 : (int32_t)input->count / (frame_size * frames);
    /* TFLM shifts the buffer by frame_size - frame_step samples. */
    if (signal_range(op, &o, "frame_step", 0, frame_size, &step)) return 1;
    TFL_CHECK(op, output->count == (uint32_t)(rows * frames * step), "output %t must have %d values (frame_step per frame)", output,
              rows * frames * step);
    const int is_float = input->type == TFL_TYPE_FLOAT32;
    int32_t *p = tfl_use_body(op, is_float ? TFL_BODY_signal_overlap_add_float : TFL_BODY_signal_overlap_add_int16,
                              TFL_SIGNAL_OVERLAP_ADD_WORDS);
    if (!p) return 1;
    tfl_param_persistent(op, TFL_SIGNAL_OVERLAP_ADD_STATE, (is_float ? 4u : 2u) * (uint32_t)rows * (uint32_t)frame_size);
    tfl_param_tensor(op, TFL_SIGNAL_OVERLAP_ADD_INPUT, input);
    tfl_param_tensor(op, TFL_SIGNAL_OVERLAP_ADD_OUTPUT, output);
    p[TFL_SIGNAL_OVERLAP_ADD_FRAME_SIZE] = frame_size;
    p[TFL_SIGNAL_OVERLAP_ADD_FRAME_STEP] = step;
    p[TFL_SIGNAL_OVERLAP_ADD_FRAMES] = frames;
    p[TFL_SIGNAL_OVERLAP_ADD_OUTER_DIMS] = rows;
    return 0;
}

/* ---- SignalFramer (kernel_signal2.ts, signal2.c) ---- */

int tfl_prepare_signal_framer(tfl_op *op)
{
    if (check_io(op, 1, 2)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0), *valid = tfl_output_tensor(op, 1);
    if (check_tensor(op, input, "input", TFL_TYPE_INT16, -1) || check_tensor(op, output, "output", TFL_TYPE_INT16, (int32_t)input->rank + 1) ||
        check_tensor(op, valid, "output_valid", TFL_TYPE_BOOL, 0))
        return 1;
    TFL_CHECK(op, input->rank >= 1, "input %t must have rank 1 or more", input);
    flex_options o;
    int32_t frame_size, step, prefill;
    /* TFLM divides by frame_step. */
    if (signal_options(op, &o) || signal_range(op, &o, "frame_size", 1, 65535, &frame_size) ||
        signal_range(op, &o, "frame_step", 1, 65535, &step) || signal_range(op, &o, "prefill", 0, 1, &prefill))
        return 1;
    /* TFLM would write frame_size - frame_step zeros, a negative count, into the buffer. */
    TFL_CHECK(op, !prefill || frame_size >= step, "prefill needs frame_size %d >= frame_step %d", frame_size, step);
    const int32_t innermost = input->shape[input->rank - 1];
    TFL_CHECK(op, innermost >= step && innermost % step == 0, "input %t rows must be a whole number (1 or more) of frame_step %d samples",
              input, step);
    const int32_t frames = innermost / step, rows = (int32_t)input->count / innermost;
    const int64_t values = (int64_t)rows * frames * frame_size;
    TFL_CHECK(op, (int64_t)output->count == values, "output %t must have %f values (frame_size per frame)", output, (double)values);
    const int32_t capacity = (frame_size + step - 1) / step * step;
    int32_t *p = tfl_use_body(op, TFL_BODY_signal_framer_int16, TFL_SIGNAL_FRAMER_WORDS);
    if (!p) return 1;
    tfl_param_persistent(op, TFL_SIGNAL_FRAMER_STATE, 4u + 2u * (uint32_t)rows * (uint32_t)capacity);
    tfl_param_tensor(op, TFL_SIGNAL_FRAMER_INPUT, input);
    tfl_param_tensor(op, TFL_SIGNAL_FRAMER_OUTPUT, output);
    tfl_param_tensor(op, TFL_SIGNAL_FRAMER_OUTPUT_VALID, valid);
    p[TFL_SIGNAL_FRAMER_FRAME_SIZE] = frame_size;
    p[TFL_SIGNAL_FRAMER_FRAME_STEP] = step;
    p[TFL_SIGNAL_FRAMER_FRAMES] = frames;
    p[TFL_SIGNAL_FRAMER_OUTER_DIMS] = rows;
    p[TFL_SIGNAL_FRAMER_PREFILL] = prefill ? frame_size - step : 0;
    p[TFL_SIGNAL_FRAMER_CAPACITY] = capacity;
    return 0;
}

/* ---- SignalStacker (kernel_signal2.ts, signal2.c) ---- */

int tfl_prepare_signal_stacker(tfl_op *op)
{
    if (check_io(op, 1, 2)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0), *valid = tfl_output_tensor(op, 1);
    if (check_tensor(op, input, "input", TFL_TYPE_INT16, 1) || check_tensor(op, output, "output", TFL_TYPE_INT16, 1) ||
        check_tensor(op, valid, "output_valid", TFL_TYPE_BOOL, 0))
        return 1;
    flex_options o;
    int32_t channels, left, right, step;
    /* 0 channels: TFLM's buffer of 0 samples is full at once and it asserts on dropping none.
     * Dropping no frame (step 0) or more frames than the buffer holds fails TFLM's buffer asserts. */
    if (signal_options(op, &o) || signal_range(op, &o, "num_channels", 1, 65535, &channels) ||
        signal_range(op, &o, "stacker_left_context", 0, 65535, &left) ||
        signal_range(op, &o, "stacker_right_context", 0, 65535, &right) ||
        signal_range(op, &o, "stacker_step", 1, left + right + 1, &step))
        return 1;
    const int64_t buffer_size = (int64_t)channels * (left + right + 1);
    /* TFLM reads num_channels samples and writes the whole buffer, whatever the tensors' sizes. */
    TFL_CHECK(op, input->count >= (uint32_t)channels, "input %t must have num_channels = %d values or more", input, channels);
    TFL_CHECK(op, (int64_t)output->count >= buffer_size,
              "output %t must have num_channels * (left + 1 + right context) = %f values or more", output, (double)buffer_size);
    int32_t *p = tfl_use_body(op, TFL_BODY_signal_stacker_int16, TFL_SIGNAL_STACKER_WORDS);
    if (!p) return 1;
    tfl_param_persistent(op, TFL_SIGNAL_STACKER_STATE, 8u + 2u * (uint32_t)buffer_size);
    tfl_param_tensor(op, TFL_SIGNAL_STACKER_INPUT, input);
    tfl_param_tensor(op, TFL_SIGNAL_STACKER_OUTPUT, output);
    tfl_param_tensor(op, TFL_SIGNAL_STACKER_OUTPUT_VALID, valid);
    p[TFL_SIGNAL_STACKER_CHANNELS] = channels;
    p[TFL_SIGNAL_STACKER_LEFT_CONTEXT] = left;
    p[TFL_SIGNAL_STACKER_BUFFER_SIZE] = (int32_t)buffer_size;
    p[TFL_SIGNAL_STACKER_STEP_SIZE] = channels * step;
    return 0;
}
#endif

#if TINYML_ALL_OPS
/* ---- For other custom ops' prepares (all-ops builds only): one option of the op's FlexBuffer map
 * through this file's reader. `integer`: an int, uint or bool (FlexValue.asInt), else also a float
 * (FlexValue.asFloat: float32 or float64 as stored). Returns 0 with *out set, -1 when the option is
 * absent (nothing failed), 1 when the options are corrupt or the value has another type. ---- */
int tfl_custom_option(tfl_op *op, const char *key, int integer, double *out)
{
    flex_options o;
    flex_value v;
    if (signal_options(op, &o)) return 1;
    if (!o.has_map || !flex_get(&o, key, &v)) return flex_failed(&o) ? 1 : -1;
    if (!integer && (v.type == 3 || v.type == 8)) {   /* float, indirect float */
        int64_t at = v.type == 3 ? v.pos : flex_indirect(&o, v.pos, v.parent_width);
        uint32_t width = v.type == 3 ? v.parent_width : v.width;
        if (!flex_check(&o, at, width, "float", 0)) return 1;
        if (width == 4) *out = tfl_load_f32(op->loader->model + at);
        else if (width == 8) {
            uint64_t bits = tfl_load_u64(op->loader->model + at);
            double d;
            memcpy(&d, &bits, 8);
            *out = d;
        } else
            return FLEX_FAIL(&o, "float at byte %f is %d bytes wide", (double)(at - o.start), (int32_t)width);
        return 0;
    }
    *out = (double)flex_as_int(&o, &v);
    return flex_failed(&o);
}

/* ---- SignalRfft of INT32 and FLOAT32, SignalIrfft (kernel_signal2.ts setKissWideParams, signal2.c) ----
 * tfl_prepare_signal_rfft's block with twiddles of two words: (float) cos and sin of the phase, or
 * their fixed point (int32 words, also for int16), the phase negated for the inverse transform. */

/* setTwiddlePart: (float) c, or floor(0.5 + SAMP_MAX * c) of KISS FFT's fixed point. */
static void twiddle_word(int32_t *word, int32_t type, double c)
{
    if (type == TFL_TYPE_FLOAT32) {
        tfl_store_f32((uint8_t *)word, (float)c);
        return;
    }
    double v = 0.5 + (type == TFL_TYPE_INT32 ? 2147483647.0 : 32767.0) * c;
    int64_t f = (int64_t)v;
    *word = (int32_t)((double)f > v ? f - 1 : f);
}

static int kiss_wide_params(tfl_op *op, int32_t type, int32_t body, int32_t fft_length, int32_t input_length, int32_t rows,
                            const int32_t *factors, int32_t count, int inverse)
{
    const double pi = 3.14159265358979311600e+00;
    const int32_t n = fft_length / 2;
    const int32_t twiddles = TFL_SIGNAL_RFFT_FACTORS + count, super_twiddles = twiddles + 2 * n;
    int32_t *p = tfl_use_body(op, body, (uint32_t)(super_twiddles + 2 * (n >> 1)));
    if (!p) return 1;
    tfl_param_tensor(op, TFL_SIGNAL_RFFT_INPUT, tfl_input(op, 0));
    tfl_param_tensor(op, TFL_SIGNAL_RFFT_OUTPUT, tfl_output_tensor(op, 0));
    p[TFL_SIGNAL_RFFT_FFT_LENGTH] = fft_length;
    p[TFL_SIGNAL_RFFT_INPUT_LENGTH] = input_length;
    p[TFL_SIGNAL_RFFT_ROWS] = rows;
    tfl_param_scratch(op, TFL_SIGNAL_RFFT_WORK, 4 * (uint32_t)fft_length);
    tfl_param_scratch(op, TFL_SIGNAL_RFFT_TMP, 4 * (uint32_t)fft_length);
    p[TFL_SIGNAL_RFFT_STAGES] = count >> 1;
    p[TFL_SIGNAL_RFFT_TWIDDLES] = twiddles;
    p[TFL_SIGNAL_RFFT_SUPER_TWIDDLES] = super_twiddles;
    for (int32_t i = 0; i < count; i++) p[TFL_SIGNAL_RFFT_FACTORS + i] = factors[i];
    const double sign = inverse ? -1.0 : 1.0;
    for (int32_t i = 0; i < n + (n >> 1); i++) {
        double phase = sign * (i < n ? -2.0 * pi * i / n : -pi * ((double)(i - n + 1) / n + 0.5));
        twiddle_word(p + twiddles + 2 * i, type, fdlibm_trig(phase, 0));
        twiddle_word(p + twiddles + 2 * i + 1, type, fdlibm_trig(phase, 1));
    }
    return 0;
}

/* ---- SignalIrfft (kernel_signal2.ts prepareSignalIrfft, signal2.c) ---- */

int tfl_prepare_signal_irfft(tfl_op *op)
{
    flex_options o;
    int32_t type, fft_length;
    if (check_io(op, 1, 1) || signal_options(op, &o) || signal_int(op, &o, "T", &type)) return 1;
    TFL_CHECK(op, type == TFL_TYPE_INT16 || type == TFL_TYPE_INT32 || type == TFL_TYPE_FLOAT32,
              "unsupported IRFFT type %y (only INT16, INT32 and FLOAT32)", type);
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    if (check_tensor(op, input, "input", type, -1) || check_tensor(op, output, "output", type, input->rank)) return 1;
    TFL_CHECK(op, input->rank >= 1, "input %t must have rank 1 or more", input);
    if (signal_range(op, &o, "fft_length", 4, 65536, &fft_length)) return 1;
    TFL_CHECK(op, fft_length % 2 == 0, "fft_length %d must be even", fft_length);
    /* TFLM reads n + 1 bins a row and writes fft_length samples, whatever the shapes say. */
    TFL_CHECK(op, input->shape[input->rank - 1] == fft_length + 2, "input %t rows must hold %d complex values", input, fft_length / 2 + 1);
    const int32_t rows = (int32_t)(input->count / (uint32_t)(fft_length + 2));
    TFL_CHECK(op, output->shape[output->rank - 1] == fft_length, "output %t rows must hold fft_length %d samples", output, fft_length);
    TFL_CHECK(op, (uint64_t)output->count == (uint64_t)rows * (uint32_t)fft_length, "output %t must have %d rows", output, rows);
    KISS_FACTORS(op, fft_length, factors, count)
    const int32_t body = type == TFL_TYPE_FLOAT32 ? TFL_BODY_signal_irfft_float
                         : type == TFL_TYPE_INT32 ? TFL_BODY_signal_irfft_int32 : TFL_BODY_signal_irfft_int16;
    return kiss_wide_params(op, type, body, fft_length, fft_length + 2, rows, factors, count, 1);
}
#endif

#if TINYML_ALL_OPS
/* ---- CIRCULAR_BUFFER (kernel_circular_buffer.ts, circular_buffer.c): TFLM's custom op for
 * streaming convolutions, in the all-ops build only; here for this file's option readers. ---- */

int tfl_prepare_circular_buffer(tfl_op *op)
{
    if (check_io(op, 1, 1)) return 1;
    const tfl_tensor_info *input = tfl_input(op, 0), *output = tfl_output_tensor(op, 0);
    /* TFLM reads dims 0-3 of both without checking the rank. */
    TFL_CHECK(op, input->rank == 4 && output->rank == 4, "input %t and output %t must have rank 4", input, output);
    TFL_CHECK(op, input->type == TFL_TYPE_INT8 && output->type == TFL_TYPE_INT8,
              "input %t and output %t must be INT8 (TFLM's only type)", input, output);
    TFL_CHECK(op, input->shape[1] == 1, "input %t must have 1 in dimension 1", input);
    TFL_CHECK(op, input->shape[0] == output->shape[0] && input->shape[2] == output->shape[2] && input->shape[3] == output->shape[3],
              "output %t must match input %t in dimensions 0, 2 and 3", output, input);
    /* TFLM shifts (slots - 1) inputs of the first batch: with none it would write outside. */
    TFL_CHECK(op, output->shape[0] >= 1 && output->shape[1] >= 1, "output %t must have 1 or more in dimensions 0 and 1", output);
    flex_options o;
    int32_t cycles_max = 0;
    if (signal_options(op, &o)) return 1;
    if (o.has_map) {
        /* TFLM reads the map's first value in key order, whatever its key. */
        int64_t data;
        int64_t n = flex_map_length(&o, &data);
        if (flex_failed(&o)) return 1;
        TFL_CHECK(op, n == 1, "custom options must hold 'cycles_max' only");
        if (signal_int(op, &o, "cycles_max", &cycles_max)) return 1;
    }
    const int32_t slots = output->shape[1];
    const int known = slots == 5 || slots == 13 || slots == 25;
    if (cycles_max <= 0) {
        /* TFLM's guess for the two streaming models it knows: 1 for 5, 13 or 25 slots, else 2,
         * except [., ., 2, 96] whose period depends on how many such ops the process prepared. */
        TFL_CHECK(op, known || output->shape[2] != 2 || output->shape[3] != 96,
                  "output %t with cycles_max %d: TFLM's period for this shape depends on a count of ops across the process; give cycles_max > 0",
                  output, cycles_max);
        cycles_max = known ? 1 : 2;
    }
    int32_t *p = tfl_use_body(op, TFL_BODY_circular_buffer_int8, TFL_CIRCULAR_BUFFER_WORDS);
    if (!p) return 1;
    tfl_param_persistent(op, TFL_CIRCULAR_BUFFER_STATE, 4);
    tfl_param_tensor(op, TFL_CIRCULAR_BUFFER_INPUT, input);
    tfl_param_tensor(op, TFL_CIRCULAR_BUFFER_OUTPUT, output);
    p[TFL_CIRCULAR_BUFFER_DEPTH] = output->shape[2] * output->shape[3];
    p[TFL_CIRCULAR_BUFFER_SLOTS] = slots;
    p[TFL_CIRCULAR_BUFFER_CYCLES_MAX] = cycles_max;
    return 0;
}
#endif
