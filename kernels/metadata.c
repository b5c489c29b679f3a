/* The board's reader of a model's "pxt-tinyml" metadata text (libs/tflite/metadata.ts says the
 * format: key=value lines). The C twin of parseMetadataText, decodeUtf8 and the number syntax of
 * parseMetadataNumber, so that the board's program carries a few hundred bytes of C instead of
 * their compiled STS. test/metadata.test.ts compares the two on generated texts. */
#include <string.h>
#include "loader.h"

int tfl_metadata_next(const uint8_t *text, uint32_t length, uint32_t *pos, uint32_t *line, tfl_metadata_entry *e)
{
    while (*pos < length) {
        uint32_t start = *pos, stop = start;
        while (stop < length && text[stop] != '\n') stop++;
        *pos = stop + 1;
        ++*line;
        uint32_t last = stop;
        if (last > start && text[last - 1] == '\r') last--;
        if (last == start || text[start] == '#') continue;
        uint32_t eq = start;
        while (eq < last && text[eq] != '=') eq++;
        e->key_at = start;
        if (eq == last) {
            /* Not key=value: the whole line, for the error. */
            e->key_length = last - start;
            return -1;
        }
        e->key_length = eq - start;
        e->value_at = eq + 1;
        e->value_length = last - eq - 1;
        return 1;
    }
    return 0;
}

/* The code point of the UTF-8 sequence at in[0..n), and its length in *used: decodeUtf8's rules
 * (a byte that does not start a well-formed, shortest, non-surrogate sequence is U+FFFD alone). */
static uint32_t utf8_code(const uint8_t *in, uint32_t n, uint32_t *used)
{
    uint8_t b = in[0];
    uint32_t code, len;
    *used = 1;
    if (b < 0x80) return b;
    if (b >= 0xc2 && b < 0xe0) { len = 2; code = b & 0x1f; }
    else if (b >= 0xe0 && b < 0xf0) { len = 3; code = b & 0x0f; }
    else if (b >= 0xf0 && b < 0xf5) { len = 4; code = b & 0x07; }
    else return 0xfffd;
    if (len > n) return 0xfffd;
    for (uint32_t k = 1; k < len; k++) {
        if ((in[k] & 0xc0) != 0x80) return 0xfffd;
        code = (code << 6) | (in[k] & 0x3f);
    }
    if (len == 3 && (code < 0x800 || (code >= 0xd800 && code < 0xe000))) return 0xfffd;
    if (len == 4 && (code < 0x10000 || code > 0x10ffff)) return 0xfffd;
    *used = len;
    return code;
}

uint32_t tfl_utf8_clean(const uint8_t *in, uint32_t n, uint8_t *out)
{
    uint32_t size = 0, i = 0;
    while (i < n) {
        uint32_t used;
        uint32_t code = utf8_code(in + i, n - i, &used);
        if (code == 0xfffd && used == 1) {
            /* A byte that starts no character: U+FFFD written out in UTF-8 (a U+FFFD the text
             * holds itself is a 3-byte character, copied below). */
            if (out) { out[size] = 0xef; out[size + 1] = 0xbf; out[size + 2] = 0xbd; }
            size += 3;
        } else {
            if (out) memcpy(out + size, in + i, used);
            size += used;
        }
        i += used;
    }
    return size;
}

static int is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

int tfl_decimal_span(const uint8_t *s, uint32_t n, uint32_t *start, uint32_t *end)
{
    uint32_t a = 0, b = n;
    while (a < b && s[a] == ' ') a++;
    while (b > a && s[b - 1] == ' ') b--;
    uint32_t i = a, digits = 0;
    if (i < b && (s[i] == '+' || s[i] == '-')) i++;
    while (i < b && is_digit(s[i])) { i++; digits++; }
    if (i < b && s[i] == '.') {
        i++;
        while (i < b && is_digit(s[i])) { i++; digits++; }
    }
    if (digits > 0 && i < b && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < b && (s[i] == '+' || s[i] == '-')) i++;
        uint32_t exp_digits = 0;
        while (i < b && is_digit(s[i])) { i++; exp_digits++; }
        if (exp_digits == 0) digits = 0;
    }
    *start = a;
    *end = b;
    return digits > 0 && i == b;
}
