namespace gestures {
    // The gesture pipeline, configured by the model's own metadata (Interpreter.metadata): the
    // accelerometer is sampled every `sample_period_ms` into a ring buffer holding the last
    // `window_samples` readings; every so often (250 ms by default, as micro:bit CreateAI's
    // extension) the window is normalized per axis, `(g - offset) * scale`, quantized into the
    // model's input and the model invoked. Its scores (softmax outputs, 0..1) are averaged over the
    // last few invokes; the gesture is the label with the highest average when that average
    // reaches the certainty threshold, else none. A gesture starts when it becomes the estimate and
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

    /** A gesture model and its running state. */
    export class GestureRecognizer {
        interpreter: tflite.Interpreter
        /** Label of each model output, in order. */
        labels: string[]
        /** Milliseconds between accelerometer samples, and samples per window. */
        samplePeriodMs: number
        windowSamples: number
        /** Per axis (x, y, z): model value = (reading in `units` - offset) * scale. */
        offset: number[]
        scale: number[]
        /** Readings in milli-g are divided by this to get the model's units (1000 for g, 1 for mg). */
        unitDivisor: number

        /** The last windowSamples readings, x y z as int16 milli-g each, oldest at `next` once full. */
        ring: Buffer
        next: number
        /** Readings taken since the start (or the last reset). */
        samples: number

        /** How many invokes are averaged, and the last `smoothing` score vectors (row-major, a ring). */
        smoothing: number
        history: number[]
        historyNext: number
        historyCount: number
        /** The averaged score of each label, 0..1. */
        certainties: number[]
        /** The average a label's score must reach to be the gesture, 0..1. */
        threshold: number

        /** The current gesture (a label index, or NO_GESTURE) and when it started (ms). */
        current: number
        currentSinceMs: number
        /** How long each label was the gesture the last time it stopped (ms). */
        lastDurationMs: number[]
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
            this.interpreter = new tflite.Interpreter(model)
            const ip = this.interpreter
            const entries = ip.metadata()
            const format = tflite.metadataValue(entries, "format", "")
            if (format.length > 0 && format.indexOf("pxt-tinyml-gesture/") !== 0)
                fail("the model's metadata is for '" + format + "', not a gesture model")
            const inputs = ip.input(0).elementCount()
            const outputs = ip.output(0).elementCount()

            // A copy of the given labels (a loop: Array.slice's helper would take flash in every program).
            if (labels && labels.length > 0) {
                this.labels = []
                for (let i = 0; i < labels.length; i++) this.labels.push(labels[i])
            } else this.labels = tflite.metadataValues(entries, "label")
            if (this.labels.length !== outputs)
                fail("the model scores " + outputs + " gestures but has " + this.labels.length + " labels" +
                    (this.labels.length ? " (" + tflite.listText(this.labels, ", ") + ")" : ": give them to useModel"))
            this.samplePeriodMs = tflite.metadataNumber(entries, "sample_period_ms", 20)
            this.windowSamples = tflite.metadataNumber(entries, "window_samples", Math.idiv(inputs, 3))
            if (this.samplePeriodMs <= 0) fail("the model's sample period is " + this.samplePeriodMs + " ms")
            if (this.windowSamples < 1 || this.windowSamples * 3 !== inputs)
                fail("the model's input holds " + inputs + " values, not " + this.windowSamples + " samples of x, y, z")
            const axes = tflite.metadataValue(entries, "axes", "x,y,z")
            if (axes !== "x,y,z") fail("the model reads axes '" + axes + "'; only x,y,z is supported")
            const units = tflite.metadataValue(entries, "units", "g")
            if (units === "g") this.unitDivisor = 1000
            else if (units === "mg") this.unitDivisor = 1
            else fail("the model reads the accelerometer in '" + units + "'; only g and mg are supported")
            this.offset = tflite.metadataNumbers(entries, "offset")
            this.scale = tflite.metadataNumbers(entries, "scale")
            if (this.offset.length === 0) this.offset = [0, 0, 0]
            if (this.scale.length === 0) this.scale = [1, 1, 1]
            if (this.offset.length !== 3 || this.scale.length !== 3)
                fail("the model's normalization needs 3 offsets and 3 scales (x, y, z), not " + this.offset.length + " and " + this.scale.length)

            this.ring = control.createBuffer(this.windowSamples * 6)
            this.threshold = 0.8
            this.certainties = []
            this.lastDurationMs = []
            for (let i = 0; i < outputs; i++) {
                this.certainties.push(0)
                this.lastDurationMs.push(0)
            }
            this.onStart = null
            this.onStop = null
            this.setSmoothing(2)
            this.reset(0)
        }

        /** Forgets the readings, the scores and the current gesture (without stop events). */
        reset(nowMs: number): void {
            this.next = 0
            this.samples = 0
            this.historyNext = 0
            this.historyCount = 0
            for (let i = 0; i < this.certainties.length; i++) this.certainties[i] = 0
            this.current = NO_GESTURE
            this.currentSinceMs = nowMs
            this.invokes = 0
        }

        /** Averages the scores of the last `invokes` invokes (at least 1). */
        setSmoothing(invokes: number): void {
            this.smoothing = Math.max(1, Math.floor(invokes))
            this.history = []
            for (let i = 0; i < this.smoothing * this.labels.length; i++) this.history.push(0)
            this.historyNext = 0
            this.historyCount = 0
        }

        /** The index of a label (case and surrounding spaces ignored), or -1. */
        labelIndex(label: string): number {
            const wanted = normalizeLabel(label)
            for (let i = 0; i < this.labels.length; i++) if (normalizeLabel(this.labels[i]) === wanted) return i
            return -1
        }

        /** True once a whole window of readings has been taken. */
        ready(): boolean {
            return this.samples >= this.windowSamples
        }

        /** Adds one accelerometer reading, in milli-g as input.acceleration gives. */
        addSample(x: number, y: number, z: number): void {
            const at = this.next * 6
            this.ring.setNumber(NumberFormat.Int16LE, at, clampInt16(x))
            this.ring.setNumber(NumberFormat.Int16LE, at + 2, clampInt16(y))
            this.ring.setNumber(NumberFormat.Int16LE, at + 4, clampInt16(z))
            this.next = this.next + 1 === this.windowSamples ? 0 : this.next + 1
            this.samples++
        }

        /** Writes the window, oldest reading first (x0 y0 z0 x1 ...), normalized and quantized, into the model's input. */
        fillInput(): void {
            const input = this.interpreter.input(0)
            let k = 0
            for (let s = 0; s < this.windowSamples; s++) {
                const at = ((this.next + s) % this.windowSamples) * 6
                for (let axis = 0; axis < 3; axis++) {
                    const reading = this.ring.getNumber(NumberFormat.Int16LE, at + 2 * axis) / this.unitDivisor
                    input.set(k++, tflite.quantizeValue(input, (reading - this.offset[axis]) * this.scale[axis]))
                }
            }
        }

        /**
         * Runs the model on the current window (nothing until a window is full), updates the averaged
         * certainties and the current gesture, and calls onStop/onStart when the gesture changes.
         * `nowMs` is the time (control.millis()) used for durations.
         */
        update(nowMs: number): void {
            if (!this.ready()) return
            this.fillInput()
            this.interpreter.invoke()
            this.invokes++
            const output = this.interpreter.output(0)
            const n = this.labels.length
            const row = this.historyNext * n
            for (let i = 0; i < n; i++) this.history[row + i] = tflite.dequantizeValue(output, output.get(i))
            this.historyNext = (this.historyNext + 1) % this.smoothing
            if (this.historyCount < this.smoothing) this.historyCount++
            let best = 0
            for (let i = 0; i < n; i++) {
                let sum = 0
                for (let r = 0; r < this.historyCount; r++) sum += this.history[r * n + i]
                this.certainties[i] = sum / this.historyCount
                if (this.certainties[i] > this.certainties[best]) best = i
            }
            const estimate = this.certainties[best] >= this.threshold ? best : NO_GESTURE
            if (estimate !== this.current) this.change(estimate, nowMs)
        }

        private change(estimate: number, nowMs: number): void {
            const previous = this.current
            const duration = nowMs - this.currentSinceMs
            this.current = estimate
            this.currentSinceMs = nowMs
            if (previous !== NO_GESTURE) this.lastDurationMs[previous] = duration
            if (this.onStop) this.onStop(previous, duration)
            if (this.onStart) this.onStart(estimate)
        }

        /** The current gesture's label, or "" when there is none. */
        currentLabel(): string {
            return this.current === NO_GESTURE ? "" : this.labels[this.current]
        }
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

    /** A label as compared: lower case, without surrounding spaces. */
    export function normalizeLabel(label: string): string {
        let a = 0
        let b = label.length
        while (a < b && label.charCodeAt(a) === 32) a++
        while (b > a && label.charCodeAt(b - 1) === 32) b--
        return label.substr(a, b - a).toLowerCase()
    }

    function clampInt16(v: number): number {
        return Math.max(-32768, Math.min(32767, Math.round(v)))
    }
}
