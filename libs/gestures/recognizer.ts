namespace gestures {
    // The gesture pipeline, configured by the model's own metadata (engineCreate below): the
    // accelerometer is sampled every `sample_period_ms` into a ring buffer holding the last
    // `window_samples` readings; every so often (250 ms by default, as micro:bit CreateAI's
    // extension) the window is normalized per axis, `(g - offset) * scale`, quantized into the
    // model's input and the model invoked. Its scores (softmax outputs, 0..1) are averaged over the
    // last few invokes; the gesture is the label with the highest average when that average
    // reaches the label's certainty threshold, else none (CreateAI's "unknown"). A gesture starts when it becomes the estimate and
    // stops when another one (or none) does, so a gesture held for several invokes raises one start
    // and one stop.
    //
    // This file has no timers or events: the caller feeds samples and says when to invoke (blocks.ts
    // in a program; node/gestures.ts in tests, with recorded samples and virtual time).

    /** The index meaning "no gesture". */
    export const NO_GESTURE = -1

    export function fail(message: string): void {
        throw "gestures: " + message
    }

    /** Words of a GestureRecognizer's engine Buffer (kernels/gesture.h tfl_gesture_word); a double takes two. */
    export const enum GestureWord {
        WindowSamples = 0, UnitDivisor = 1, Next = 2, Samples = 3, Labels = 4, Smoothing = 5,
        HistoryNext = 6, HistoryCount = 7, Offset = 8, Scale = 14, SamplePeriod = 20, Certainties = 22,
    }
    /** engineUpdate's answers besides a label index (kernels/gesture.h). */
    export const NOT_READY = -2
    const BAD_STATE = -3
    /** The most invokes the certainties average over (kernels/gesture.h). */
    const MAX_SMOOTHING = 1000
    /** engineCreate's failure on the board: this word, then the message's bytes. */
    const ERROR_MAGIC = 0x52524547  // "GERR"

    /**
     * A gesture model and its running state. The work per reading and per invoke is done by
     * shims on two Buffers, `engine` (the window and the averaged certainties) and `history` (the
     * last scores): on the board by the C in kernels/gesture.c, here by their STS bodies (below).
     * The model runs without a tflite.Interpreter: only its loaded state is needed, which keeps the
     * interpreter's classes out of a gesture program's flash.
     */
    export class GestureRecognizer {
        /** The .tflite bytes (read in place) and the model loaded to run (tflite.loadModelState). */
        model: Buffer
        state: Buffer
        /** Label of each model output, in order. */
        labels: string[]
        /** Milliseconds between accelerometer samples, and samples per window. */
        samplePeriodMs: number
        windowSamples: number
        /** GestureWord layout, then the certainties and the thresholds (float64) and the window ring (x y z int16 per reading). */
        engine: Buffer
        /** The last `smoothing` score vectors, float64, a ring of rows. */
        history: Buffer

        /** The current gesture (a label index, or NO_GESTURE) and when it started (ms). */
        current: number
        currentSinceMs: number
        invokes: number

        /** Called when a gesture starts, and when it stops (with how long it lasted). NO_GESTURE too. */
        onStart: (label: number) => void
        onStop: (label: number, durationMs: number) => void

        /**
         * Loads `model` and reads its metadata. `labels`, when not
         * empty, names the outputs instead of the metadata's `label` entries. A model without our
         * metadata reads raw g values: window = input size / 3, one sample every 20 ms.
         */
        constructor(model: Buffer, labels: string[]) {
            this.model = model
            this.state = tflite.loadModelState(model)
            // The metadata as key, value, key, value... (an odd length: the last is what is wrong).
            const flat = tflite.metadataEntries(model)
            if (flat.length % 2) tflite.fail(flat[flat.length - 1])
            // The settings (format, sample period, window, axes, units, normalization), read and
            // checked against the model into a new engine: on the board by kernels/gesture.c.
            const e = engineCreate(model, this.state)
            if (e.getNumber(NumberFormat.Int32LE, 0) === ERROR_MAGIC) fail(e.slice(4).toString())
            this.engine = e
            const outputs = e.getNumber(NumberFormat.Int32LE, 4 * GestureWord.Labels)
            // A copy of the given labels (a loop: Array.slice's helper would take flash in every program).
            this.labels = []
            if (labels && labels.length > 0) for (let i = 0; i < labels.length; i++) this.labels.push(labels[i])
            else for (let i = 0; i < flat.length; i += 2) if (flat[i] === "label") this.labels.push(flat[i + 1])
            if (this.labels.length !== outputs)
                fail("the model scores " + outputs + " gestures but has " + this.labels.length + " labels" +
                    (this.labels.length ? " (" + tflite.listText(this.labels, ", ") + ")" : ": give them to useModel"))
            this.samplePeriodMs = e.getNumber(NumberFormat.Float64LE, 4 * GestureWord.SamplePeriod)
            this.windowSamples = e.getNumber(NumberFormat.Int32LE, 4 * GestureWord.WindowSamples)
            this.onStart = null
            this.onStop = null
            this.setThreshold(0.8)
            this.setSmoothing(2)
            this.reset(0)
        }

        /** Forgets the readings, the scores and the current gesture (without stop events). */
        reset(nowMs: number): void {
            engineReset(this.engine)
            this.current = NO_GESTURE
            this.currentSinceMs = nowMs
            this.invokes = 0
        }

        /** Averages the scores of the last `invokes` invokes (at least 1, at most 1000). */
        setSmoothing(invokes: number): void {
            this.history = engineSetSmoothing(this.engine, invokes)
        }

        /** The average every label's score must reach to be the gesture, 0..1. */
        setThreshold(fraction: number): void {
            engineSetThreshold(this.engine, -1, fraction)
        }

        /** The average label `i`'s score must reach to be the gesture, 0..1. */
        setLabelThreshold(i: number, fraction: number): void {
            engineSetThreshold(this.engine, i, fraction)
        }

        /** The averaged score of label `i`, 0..1. */
        certainty(i: number): number {
            return this.engine.getNumber(NumberFormat.Float64LE, 4 * GestureWord.Certainties + 8 * i)
        }

        /** The index of a label (ASCII case and surrounding spaces ignored), or -1. */
        labelIndex(label: string): number {
            for (let i = 0; i < this.labels.length; i++) if (sameLabel(this.labels[i], label)) return i
            return -1
        }

        /** True once a whole window of readings has been taken. */
        ready(): boolean {
            return this.engine.getNumber(NumberFormat.Int32LE, 4 * GestureWord.Samples) >= this.windowSamples
        }

        /** Adds one accelerometer reading, in milli-g as input.acceleration gives. */
        addSample(x: number, y: number, z: number): void {
            engineAddSample(this.engine, x, y, z)
        }

        /** Writes the window, oldest reading first (x0 y0 z0 x1 ...), normalized and quantized, into the model's input. */
        fillInput(): void {
            engineFillInput(this.engine, this.state)
        }

        /**
         * Runs the model on the current window (nothing until a window is full), updates the averaged
         * certainties and the current gesture, and calls onStop/onStart when the gesture changes.
         * `nowMs` is the time (control.millis()) used for durations.
         */
        update(nowMs: number): void {
            const estimate = engineUpdate(this.engine, this.history, this.state, this.model)
            if (estimate === NOT_READY) return
            if (estimate === BAD_STATE) fail("the recognizer's buffers were changed")
            this.invokes++
            if (estimate !== this.current) this.change(estimate, nowMs)
        }

        private change(estimate: number, nowMs: number): void {
            const previous = this.current
            const duration = nowMs - this.currentSinceMs
            this.current = estimate
            this.currentSinceMs = nowMs
            if (this.onStop) this.onStop(previous, duration)
            if (this.onStart) this.onStart(estimate)
        }

        /** The current gesture's label, or "" when there is none. */
        currentLabel(): string {
            return this.current === NO_GESTURE ? "" : this.labels[this.current]
        }
    }

    // ---- The engine's shims: C on the board (gestures.cpp, kernels/gesture.c), these bodies elsewhere. ----

    function engineWord(engine: Buffer, word: number): number {
        return engine.getNumber(NumberFormat.Int32LE, 4 * word)
    }

    function setEngineWord(engine: Buffer, word: number, v: number): void {
        engine.setNumber(NumberFormat.Int32LE, 4 * word, v)
    }

    function ringStart(engine: Buffer): number {
        return 4 * GestureWord.Certainties + 16 * engineWord(engine, GestureWord.Labels)
    }

    /**
     * A new engine for a loaded gesture model, its settings read from the model's metadata and
     * checked against the model (kernels/gesture.c tfl_gesture_configure, whose messages these are).
     */
    //% shim=gestures::engineCreate
    function engineCreate(model: Buffer, state: Buffer): Buffer {
        const entries = tflite.modelMetadataEntries(model)
        const format = tflite.metadataValue(entries, "format", "")
        if (format.length > 0 && format.indexOf("pxt-tinyml-gesture/") !== 0)
            fail("the model's metadata is for '" + format + "', not a gesture model")
        if (tflite.stateWord(state, tflite.StateWord.InputCount) < 1 || tflite.stateWord(state, tflite.StateWord.OutputCount) < 1)
            fail("a gesture model needs an input and an output")
        const inputs = tflite.ioElementCount(state, 0)
        const output = tflite.stateWord(state, tflite.StateWord.InputCount)
        const periodText = tflite.metadataValue(entries, "sample_period_ms", "")
        const windowText = tflite.metadataValue(entries, "window_samples", "")
        const hasPeriod = tflite.metadataValues(entries, "sample_period_ms").length > 0
        const hasWindow = tflite.metadataValues(entries, "window_samples").length > 0
        const period = hasPeriod ? metadataDecimal("sample_period_ms", periodText) : 20
        const window = hasWindow ? metadataDecimal("window_samples", windowText) : Math.idiv(inputs, 3)
        if (!(period > 0)) fail("the model's sample period is " + trimSpaces(periodText) + " ms")
        if (!(window >= 1 && window * 3 === inputs && window === Math.floor(window)))
            fail("the model's input holds " + inputs + " values, not " + (hasWindow ? trimSpaces(windowText) : "" + window) + " samples of x, y, z")
        for (let k = 0; k < 2; k++) {
            const type = tflite.ioWord(state, k ? output : 0, tflite.IoWord.Type)
            if (type !== tflite.TensorType.Int8 && type !== tflite.TensorType.UInt8 && type !== tflite.TensorType.Int16 &&
                type !== tflite.TensorType.Int32 && type !== tflite.TensorType.Float32)
                fail("the model's " + (k ? "output" : "input") + " is " + tflite.typeName(type) + "; gestures need int8, uint8, int16, int32 or float32")
        }
        const axes = tflite.metadataValue(entries, "axes", "x,y,z")
        if (axes !== "x,y,z") fail("the model reads axes '" + axes + "'; only x,y,z is supported")
        const units = tflite.metadataValue(entries, "units", "g")
        if (units !== "g" && units !== "mg") fail("the model reads the accelerometer in '" + units + "'; only g and mg are supported")
        let offset = metadataDecimals("offset", tflite.metadataValue(entries, "offset", ""))
        let scale = metadataDecimals("scale", tflite.metadataValue(entries, "scale", ""))
        if (offset.length === 0) offset = [0, 0, 0]
        if (scale.length === 0) scale = [1, 1, 1]
        if (offset.length !== 3 || scale.length !== 3)
            fail("the model's normalization needs 3 offsets and 3 scales (x, y, z), not " + offset.length + " and " + scale.length)
        const labels = tflite.ioElementCount(state, output)
        const e = control.createBuffer(4 * GestureWord.Certainties + 16 * labels + 6 * window)
        e.setNumber(NumberFormat.Int32LE, 4 * GestureWord.WindowSamples, window)
        e.setNumber(NumberFormat.Int32LE, 4 * GestureWord.UnitDivisor, units === "g" ? 1000 : 1)
        e.setNumber(NumberFormat.Int32LE, 4 * GestureWord.Labels, labels)
        for (let axis = 0; axis < 3; axis++) {
            e.setNumber(NumberFormat.Float64LE, 4 * GestureWord.Offset + 8 * axis, offset[axis])
            e.setNumber(NumberFormat.Float64LE, 4 * GestureWord.Scale + 8 * axis, scale[axis])
        }
        e.setNumber(NumberFormat.Float64LE, 4 * GestureWord.SamplePeriod, period)
        return e
    }

    /** The number in a metadata value (tflite.parseDecimal's syntax), or the failure naming it. */
    function metadataDecimal(key: string, text: string): number {
        const v = tflite.parseDecimal(text)
        if (isNaN(v)) fail("model metadata " + key + ": '" + text + "' is not a number")
        return v
    }

    /** The comma-separated numbers of a metadata value (none for an empty one). */
    function metadataDecimals(key: string, text: string): number[] {
        const res: number[] = []
        if (text.length === 0) return res
        let start = 0
        for (let i = 0; i <= text.length; i++) {
            if (i === text.length || text.charCodeAt(i) === 44) {
                res.push(metadataDecimal(key, text.substr(start, i - start)))
                start = i + 1
            }
        }
        return res
    }

    function trimSpaces(text: string): string {
        const start = labelStart(text)
        return text.substr(start, labelEnd(text, start) - start)
    }

    //% shim=gestures::engineReset
    function engineReset(engine: Buffer): void {
        setEngineWord(engine, GestureWord.Next, 0)
        setEngineWord(engine, GestureWord.Samples, 0)
        setEngineWord(engine, GestureWord.HistoryNext, 0)
        setEngineWord(engine, GestureWord.HistoryCount, 0)
        for (let i = 0; i < engineWord(engine, GestureWord.Labels); i++) engine.setNumber(NumberFormat.Float64LE, 4 * GestureWord.Certainties + 8 * i, 0)
    }

    //% shim=gestures::engineSetSmoothing
    function engineSetSmoothing(engine: Buffer, invokes: number): Buffer {
        const smoothing = invokes >= 1 ? Math.min(MAX_SMOOTHING, Math.floor(invokes)) : 1
        setEngineWord(engine, GestureWord.Smoothing, smoothing)
        setEngineWord(engine, GestureWord.HistoryNext, 0)
        setEngineWord(engine, GestureWord.HistoryCount, 0)
        return control.createBuffer(8 * smoothing * engineWord(engine, GestureWord.Labels))
    }

    //% shim=gestures::engineSetThreshold
    function engineSetThreshold(engine: Buffer, label: number, fraction: number): number {
        const n = engineWord(engine, GestureWord.Labels)
        if (label < -1 || label >= n) return 1
        for (let i = label < 0 ? 0 : label; i < (label < 0 ? n : label + 1); i++)
            engine.setNumber(NumberFormat.Float64LE, 4 * GestureWord.Certainties + 8 * (n + i), fraction)
        return 0
    }

    //% shim=gestures::engineAddSample
    function engineAddSample(engine: Buffer, x: number, y: number, z: number): number {
        const next = engineWord(engine, GestureWord.Next)
        const at = ringStart(engine) + 6 * next
        engine.setNumber(NumberFormat.Int16LE, at, clampInt16(x))
        engine.setNumber(NumberFormat.Int16LE, at + 2, clampInt16(y))
        engine.setNumber(NumberFormat.Int16LE, at + 4, clampInt16(z))
        setEngineWord(engine, GestureWord.Next, next + 1 === engineWord(engine, GestureWord.WindowSamples) ? 0 : next + 1)
        const samples = engineWord(engine, GestureWord.Samples)
        if (samples < 2147483647) setEngineWord(engine, GestureWord.Samples, samples + 1)
        return 0
    }

    //% shim=gestures::engineFillInput
    function engineFillInput(engine: Buffer, state: Buffer): number {
        const window = engineWord(engine, GestureWord.WindowSamples)
        const divisor = engineWord(engine, GestureWord.UnitDivisor)
        const ring = ringStart(engine)
        const record = tflite.ioRecord(state, 0)
        const data = tflite.stateData(state)
        const base = tflite.stateWord(state, tflite.StateWord.Arena) + tflite.recordWord(state, record, tflite.IoWord.Offset)
        const type = tflite.recordWord(state, record, tflite.IoWord.Type)
        const scale = state.getNumber(NumberFormat.Float32LE, record + 4 * tflite.IoWord.Scale)
        const zeroPoint = tflite.recordWord(state, record, tflite.IoWord.ZeroPoint)
        let at = engineWord(engine, GestureWord.Next)
        let k = 0
        for (let s = 0; s < window; s++) {
            for (let axis = 0; axis < 3; axis++) {
                const reading = engine.getNumber(NumberFormat.Int16LE, ring + 6 * at + 2 * axis) / divisor
                const offset = engine.getNumber(NumberFormat.Float64LE, 4 * GestureWord.Offset + 8 * axis)
                const factor = engine.getNumber(NumberFormat.Float64LE, 4 * GestureWord.Scale + 8 * axis)
                const v = (reading - offset) * factor
                tflite.writeElement(type, data, base, k++, type === tflite.TensorType.Float32 ? v : tflite.quantizeNumber(type, scale, zeroPoint, v))
            }
            at = at + 1 === window ? 0 : at + 1
        }
        return 0
    }

    //% shim=gestures::engineUpdate
    function engineUpdate(engine: Buffer, history: Buffer, state: Buffer, model: Buffer): number {
        if (engineWord(engine, GestureWord.Samples) < engineWord(engine, GestureWord.WindowSamples)) return NOT_READY
        engineFillInput(engine, state)
        tflite.invokeState(state, model)
        const n = engineWord(engine, GestureWord.Labels)
        const smoothing = engineWord(engine, GestureWord.Smoothing)
        const row = engineWord(engine, GestureWord.HistoryNext)
        let count = engineWord(engine, GestureWord.HistoryCount)
        const record = tflite.ioRecord(state, tflite.stateWord(state, tflite.StateWord.InputCount))
        const data = tflite.stateData(state)
        const base = tflite.stateWord(state, tflite.StateWord.Arena) + tflite.recordWord(state, record, tflite.IoWord.Offset)
        const type = tflite.recordWord(state, record, tflite.IoWord.Type)
        const scale = state.getNumber(NumberFormat.Float32LE, record + 4 * tflite.IoWord.Scale)
        const zeroPoint = tflite.recordWord(state, record, tflite.IoWord.ZeroPoint)
        for (let i = 0; i < n; i++) {
            const q = tflite.readElement(type, data, base, i)
            history.setNumber(NumberFormat.Float64LE, 8 * (row * n + i), type === tflite.TensorType.Float32 || !scale ? q : (q - zeroPoint) * scale)
        }
        setEngineWord(engine, GestureWord.HistoryNext, (row + 1) % smoothing)
        if (count < smoothing) setEngineWord(engine, GestureWord.HistoryCount, ++count)
        const certainties = 4 * GestureWord.Certainties
        let best = 0
        for (let i = 0; i < n; i++) {
            let sum = 0
            for (let r = 0; r < count; r++) sum += history.getNumber(NumberFormat.Float64LE, 8 * (r * n + i))
            engine.setNumber(NumberFormat.Float64LE, certainties + 8 * i, sum / count)
            if (engine.getNumber(NumberFormat.Float64LE, certainties + 8 * i) > engine.getNumber(NumberFormat.Float64LE, certainties + 8 * best)) best = i
        }
        const thresholds = certainties + 8 * n
        return engine.getNumber(NumberFormat.Float64LE, certainties + 8 * best) >= engine.getNumber(NumberFormat.Float64LE, thresholds + 8 * best) ? best : NO_GESTURE
    }

    /**
     * The bytes written as hexadecimal text, two digits a byte; spaces, tabs and line breaks are
     * ignored, so the lines of a hex literal (model.ts from `pxt-tinyml train`) can be pasted as they are.
     */
    export function bytesFromHex(hex: string): Buffer {
        let digits = 0
        for (let i = 0; i < hex.length; i++) if (!isSpace(hex.charCodeAt(i))) digits++
        if (digits % 2) fail("the hex text has an odd number of digits (" + digits + "): a byte is two")
        const bytes = control.createBuffer(digits >> 1)
        let k = 0
        let high = -1
        for (let i = 0; i < hex.length; i++) {
            const c = hex.charCodeAt(i)
            if (isSpace(c)) continue
            const d = hexDigit(c)
            if (d < 0) fail("the hex text has '" + hex.charAt(i) + "' at character " + i + ", not a hexadecimal digit")
            if (high < 0) high = d
            else {
                bytes.setNumber(NumberFormat.UInt8LE, k++, high * 16 + d)
                high = -1
            }
        }
        return bytes
    }

    function isSpace(c: number): boolean {
        return c === 32 || c === 9 || c === 10 || c === 13
    }

    function hexDigit(c: number): number {
        if (c >= 48 && c <= 57) return c - 48
        if (c >= 97 && c <= 102) return c - 87
        if (c >= 65 && c <= 70) return c - 55
        return -1
    }

    /**
     * Whether two labels name the same gesture: equal but for ASCII case and surrounding spaces.
     * Compared in place: toLowerCase and substr would add their runtime helpers to every program
     * (and on the board in C++, gestures.cpp, smaller still).
     */
    //% shim=gestures::sameLabel
    export function sameLabel(a: string, b: string): boolean {
        let i = labelStart(a)
        let j = labelStart(b)
        const n = labelEnd(a, i) - i
        if (labelEnd(b, j) - j !== n) return false
        for (const end = i + n; i < end; i++, j++) if (lowerAscii(a.charCodeAt(i)) !== lowerAscii(b.charCodeAt(j))) return false
        return true
    }

    /** Where a label starts after its leading spaces, and where it ends before its trailing ones. */
    function labelStart(s: string): number {
        let i = 0
        while (i < s.length && s.charCodeAt(i) === 32) i++
        return i
    }

    function labelEnd(s: string, start: number): number {
        let i = s.length
        while (i > start && s.charCodeAt(i - 1) === 32) i--
        return i
    }

    function lowerAscii(c: number): number {
        return c >= 65 && c <= 90 ? c + 32 : c
    }

    function clampInt16(v: number): number {
        return Math.max(-32768, Math.min(32767, Math.round(v)))
    }
}
