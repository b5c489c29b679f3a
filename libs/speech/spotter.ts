namespace speech {
    /** The recognizer's averaging window for a model that sets none (TFLM's micro_speech example). */
    export const DEFAULT_AVERAGE_WINDOW_MS = 1000

    /**
     * Keyword spotting on a stream of audio: the front end makes a feature frame every 20 ms into
     * a ring of the last second; once the ring is full, and then every `invokeEveryFrames` frames
     * (5: every 100 ms), the keyword model scores that second; the recognizer averages the scores over time and decides
     * when a word was heard. Time is stream time: milliseconds of audio fed so far, so the same
     * audio gives the same words at the same times whether it comes from the microphone, a clip,
     * or a test.
     */
    export class KeywordSpotter {
        features: FeatureStream
        model: tflite.Interpreter
        labels: string[]
        recognizer: CommandRecognizer
        invokeEveryFrames: number
        invokes: number
        /** The model's raw int8 scores from its last invoke. */
        lastScores: Buffer
        /** The last word heard (index into labels), its score (0..255) and when; -1 before any. */
        lastWord: number
        lastWordScore: number
        lastWordTimeMs: number
        /** Called for every word heard (a new command other than silence), after lastWord is set. */
        onWord: (label: number, score: number, timeMs: number) => void

        /**
         * @param frontEndModel .tflite of the audio front end (480 int16 samples -> int8 features)
         * @param keywordModel .tflite taking `frames x features` int8 and giving one int8 softmax score per label
         * @param labels the model's labels, in its output order; label 0 is silence
         */
        constructor(frontEndModel: Buffer, keywordModel: Buffer, labels: string[]) {
            this.model = new tflite.Interpreter(keywordModel)
            const input = this.model.input(0)
            const output = this.model.output(0)
            if (input.type !== tflite.TensorType.Int8) fail("the keyword model must take int8 features, not " + input.describe())
            if (output.type !== tflite.TensorType.Int8 || output.elementCount() !== labels.length)
                fail("the keyword model must give " + labels.length + " int8 scores (one per label), not " + output.describe())
            // The recognizer reads scores as TFLM's softmax writes them: probability * 256 - 128.
            if (output.zeroPoint !== -128 || Math.abs(output.scale * 256 - 1) > 1e-6)
                fail("the keyword model's scores must be int8 softmax outputs (scale 1/256, zero point -128), not " + output.describe())
            // Probe the front end for its frame size, then size the ring to the model's input.
            const probe = new FeatureStream(frontEndModel, 1)
            const frames = Math.idiv(input.elementCount(), probe.featuresPerFrame)
            if (frames * probe.featuresPerFrame !== input.elementCount())
                fail("the keyword model's input " + input.describe() + " is not a whole number of " + probe.featuresPerFrame + "-feature frames")
            this.features = new FeatureStream(frontEndModel, frames)
            this.labels = labels
            // TFLM's micro_speech settings; a model may set its own averaging window in its
            // "pxt-tinyml" metadata (average_window_ms): the time it scores a word as that word.
            const averageWindowMs = tflite.metadataNumber(this.model.metadata(), "average_window_ms", DEFAULT_AVERAGE_WINDOW_MS)
            if (averageWindowMs < 100 || averageWindowMs > 5000) fail("the keyword model's average_window_ms must be 100 to 5000, not " + averageWindowMs)
            this.recognizer = new CommandRecognizer(labels.length, averageWindowMs, 200, 1500, 3)
            this.invokeEveryFrames = 5
            this.lastScores = control.createBuffer(labels.length)
            this.onWord = null
            this.reset()
        }

        /** Starts over: an empty stream, no results, no word heard. */
        reset(): void {
            this.features.reset()
            this.recognizer.reset()
            this.invokes = 0
            this.lastScores.fill(0)
            this.lastWord = -1
            this.lastWordScore = 0
            this.lastWordTimeMs = 0
        }

        /**
         * Feeds audio: 16 kHz 16-bit little-endian mono samples, any number of them; with `start`
         * and `end`, the bytes from `start` up to `end` only.
         */
        feed(audio: Buffer, start?: number, end?: number): void {
            const from = start === undefined ? 0 : start
            const to = end === undefined ? audio.length : end
            if (from < 0 || to > audio.length || from > to) fail("no bytes " + from + " to " + to + " in " + audio.length + " bytes of audio")
            if ((to - from) % 2 !== 0) fail("audio must be 16-bit samples: got an odd number of bytes (" + (to - from) + ")")
            let offset = from
            while (offset < to) {
                offset = this.features.consume(audio, offset, to)
                if (this.features.frameReady) this.frameDone()
            }
        }

        private frameDone(): void {
            // The first invoke sees the first full ring, then one every invokeEveryFrames frames.
            if (!this.features.full()) return
            if ((this.features.framesDone - this.features.frameCount) % this.invokeEveryFrames !== 0) return
            this.features.copyTo(this.model.input(0))
            this.model.invoke()
            this.invokes++
            const out = this.model.output(0)
            for (let i = 0; i < this.labels.length; i++) this.lastScores[i] = out.data[out.offset + i]
            const timeMs = this.features.timeMs()
            // TFLM's recognizer calls silence (label 0) a new command at every result above the
            // threshold: silence is not a word.
            if (this.recognizer.process(this.lastScores, 0, timeMs) && this.recognizer.foundLabel !== 0) {
                this.lastWord = this.recognizer.foundLabel
                this.lastWordScore = this.recognizer.score
                this.lastWordTimeMs = timeMs
                if (this.onWord) this.onWord(this.lastWord, this.lastWordScore, timeMs)
            }
        }

        /** The index of `label` among the model's labels, or -1. */
        labelIndex(label: string): number {
            return this.labels.indexOf(label)
        }

        /** Stream time in ms: the end of the newest feature frame. */
        timeMs(): number {
            return this.features.timeMs()
        }
    }
}
