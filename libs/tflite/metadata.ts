namespace tflite {
    // Model metadata as text: what a model needs to be fed (labels, sample period, window length,
    // normalization) travels inside its .tflite, in a metadata entry named "pxt-tinyml".
    //
    // The entry's bytes are UTF-8 text, one `key=value` per line ('\n', an optional '\r' before
    // it is dropped). Keys may repeat: a list of labels is one `label=` line per label, in order.
    // Number lists are comma-separated (`offset=0.01,-0.2,0.98`). Blank lines and lines starting
    // with '#' are skipped. No JSON: Static TypeScript reads this with a loop over the bytes.
    //
    // A gesture model's entry (written by node/gesture-model.ts) looks like:
    //   format=pxt-tinyml-gesture/1
    //   label=Shake
    //   label=Still
    //   sample_period_ms=40
    //   window_samples=45
    //   axes=x,y,z
    //   units=g
    //   offset=0.01,-0.2,0.98
    //   scale=1.6,1.4,1.1
    // and its input is the window x0 y0 z0 x1 y1 z1 ..., each value (g - offset[axis]) * scale[axis].

    /** The name of the metadata entry that holds the key=value text. */
    export const METADATA_NAME = "pxt-tinyml"

    /** One `key=value` line of a model's metadata. */
    export class MetadataEntry {
        key: string
        value: string
        constructor(key: string, value: string) {
            this.key = key
            this.value = value
        }
    }

    /**
     * The key=value entries of the model's "pxt-tinyml" metadata, in order; an empty list when the
     * model has none.
     */
    export function modelMetadata(model: Model): MetadataEntry[] {
        const i = metadataIndex(model)
        return i < 0 ? [] : parseMetadataText(model.fb.buf, model.metadataOffsets[i], model.metadataLengths[i])
    }

    /** Which of the model's metadata entries is the "pxt-tinyml" one, or -1. */
    export function metadataIndex(model: Model): number {
        return model.metadataNames.indexOf(METADATA_NAME)
    }

    /** Parses `length` bytes of key=value text starting at `offset` of `bytes`. */
    export function parseMetadataText(bytes: Buffer, offset: number, length: number): MetadataEntry[] {
        if (offset < 0 || length < 0 || offset + length > bytes.length)
            fail("corrupt model: metadata text at " + offset + " (" + length + " bytes) is outside the " + bytes.length + "-byte buffer")
        const entries: MetadataEntry[] = []
        const end = offset + length
        let lineNumber = 0
        let start = offset
        while (start < end) {
            let stop = start
            while (stop < end && bytes[stop] !== 10) stop++
            lineNumber++
            let last = stop
            if (last > start && bytes[last - 1] === 13) last--
            if (last > start && bytes[start] !== 35) {
                let eq = start
                while (eq < last && bytes[eq] !== 61) eq++
                if (eq === last) fail("model metadata line " + lineNumber + " is not key=value: '" + decodeUtf8(bytes, start, last) + "'")
                entries.push(new MetadataEntry(decodeUtf8(bytes, start, eq), decodeUtf8(bytes, eq + 1, last)))
            }
            start = stop + 1
        }
        return entries
    }

    /** The value of the first entry `key`, or `defaultValue` when there is none. */
    export function metadataValue(entries: MetadataEntry[], key: string, defaultValue: string): string {
        for (let i = 0; i < entries.length; i++) if (entries[i].key === key) return entries[i].value
        return defaultValue
    }

    /** The values of every entry `key`, in order (the labels of a classifier, for `label`). */
    export function metadataValues(entries: MetadataEntry[], key: string): string[] {
        const res: string[] = []
        for (let i = 0; i < entries.length; i++) if (entries[i].key === key) res.push(entries[i].value)
        return res
    }

    /** The number in entry `key`, or `defaultValue` when there is none; fails on a value that is not a number. */
    export function metadataNumber(entries: MetadataEntry[], key: string, defaultValue: number): number {
        for (let i = 0; i < entries.length; i++)
            if (entries[i].key === key) return parseMetadataNumber(key, entries[i].value)
        return defaultValue
    }

    /** The comma-separated numbers in entry `key` (empty when there is none). */
    export function metadataNumbers(entries: MetadataEntry[], key: string): number[] {
        const res: number[] = []
        const text = metadataValue(entries, key, "")
        if (text.length === 0) return res
        let start = 0
        for (let i = 0; i <= text.length; i++) {
            if (i === text.length || text.charCodeAt(i) === 44) {
                res.push(parseMetadataNumber(key, text.substr(start, i - start)))
                start = i + 1
            }
        }
        return res
    }

    function parseMetadataNumber(key: string, text: string): number {
        const v = parseDecimal(text)
        if (isNaN(v)) fail("model metadata " + key + ": '" + text + "' is not a number")
        return v
    }

    /**
     * The decimal number in `text` (optional sign, digits, optional fraction and exponent, spaces
     * around allowed), or NaN when it is not one. On the board: the C check (kernels/metadata.c)
     * and the runtime's parseFloat.
     */
    //% shim=tflite::parseDecimal
    export function parseDecimal(text: string): number {
        let a = 0
        let b = text.length
        while (a < b && text.charCodeAt(a) === 32) a++
        while (b > a && text.charCodeAt(b - 1) === 32) b--
        let i = a
        const c0 = i < b ? text.charCodeAt(i) : 0
        if (c0 === 43 || c0 === 45) i++
        let digits = 0
        while (i < b && isDigit(text.charCodeAt(i))) { i++; digits++ }
        if (i < b && text.charCodeAt(i) === 46) {
            i++
            while (i < b && isDigit(text.charCodeAt(i))) { i++; digits++ }
        }
        if (digits > 0 && i < b && (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69)) {
            i++
            if (i < b && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++
            let expDigits = 0
            while (i < b && isDigit(text.charCodeAt(i))) { i++; expDigits++ }
            if (expDigits === 0) digits = 0
        }
        if (digits === 0 || i !== b) return NaN
        return parseFloat(text.substr(a, b - a))
    }

    function isDigit(c: number): boolean {
        return c >= 48 && c <= 57
    }

    /** UTF-8 bytes [start, end) as a string; a malformed sequence reads as U+FFFD. */
    export function decodeUtf8(bytes: Buffer, start: number, end: number): string {
        let s = ""
        let i = start
        while (i < end) {
            const b = bytes[i]
            let code = 0xfffd
            let n = 1
            if (b < 0x80) code = b
            else if (b >= 0xc2 && b < 0xe0) { n = 2; code = b & 0x1f }
            else if (b >= 0xe0 && b < 0xf0) { n = 3; code = b & 0x0f }
            else if (b >= 0xf0 && b < 0xf5) { n = 4; code = b & 0x07 }
            if (n > 1) {
                if (i + n > end) { n = 1; code = 0xfffd }
                else {
                    for (let k = 1; k < n; k++) {
                        const c = bytes[i + k]
                        if ((c & 0xc0) !== 0x80) { n = 1; code = 0xfffd; break }
                        code = (code << 6) | (c & 0x3f)
                    }
                    // Overlong forms and surrogates are not characters.
                    if (n === 3 && (code < 0x800 || (code >= 0xd800 && code < 0xe000))) code = 0xfffd
                    if (n === 4 && (code < 0x10000 || code > 0x10ffff)) code = 0xfffd
                }
            }
            if (code >= 0x10000) {
                code -= 0x10000
                s += String.fromCharCode(0xd800 + (code >> 10))
                s += String.fromCharCode(0xdc00 + (code & 0x3ff))
            } else s += String.fromCharCode(code)
            i += n
        }
        return s
    }
}
