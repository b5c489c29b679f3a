/**
 * Machine learning on the micro:bit: spoken words (and, with the gesture extension, movements).
 */
//% block="TinyML" weight=45 color="#7a3fb8" icon="\uf2db"
//% groups='["Gestures", "Your model", "Words", "Audio"]'
namespace tinyml {
}

/** The words the keyword model knows. */
enum SpeechWord {
    //% block="yes"
    Yes = 0,
    //% block="no"
    No = 1,
}

/**
 * Keyword spotting: hear "yes" and "no" through the microphone (micro:bit v2) or from recorded
 * audio (the simulator), with a small neural network run by the tflite interpreter.
 */
namespace speech {
    /** Event source of words heard; the event value is the word's label index + 1. */
    export const WORD_HEARD_EVENT = 0x5a51

    let spotter: KeywordSpotter = null
    let userFrontEndModel: Buffer = null
    let keywordModel: Buffer = null
    let keywordLabels: string[] = null
    let sensitivityPercent = 50
    /** Hooks run once when listening starts (the microphone extension adds one). */
    let startHooks: (() => void)[] = null
    let started = false

    /** The label of a word in the keyword model's outputs. */
    export function wordLabel(word: SpeechWord): string {
        return word === SpeechWord.No ? "no" : "yes"
    }

    /**
     * Uses your own models instead of the built-in ones (before any other speech block runs).
     * @param keyword a .tflite keyword model: 49 frames x 40 int8 features in, int8 softmax scores out
     * @param labels its labels in output order, label 0 being silence (for example ["silence", "unknown", "yes", "no"])
     * @param frontEnd optional .tflite audio front end (480 int16 samples in, 40 int8 features out)
     */
    //% advanced=true help=speech/use-model
    export function useModel(keyword: Buffer, labels: string[], frontEnd?: Buffer): void {
        if (spotter) fail("useModel must come before the other speech blocks")
        keywordModel = keyword
        keywordLabels = labels
        if (frontEnd) userFrontEndModel = frontEnd
    }

    /** The keyword spotter behind the blocks, made on first use with the built-in models. */
    export function listener(): KeywordSpotter {
        if (!spotter) {
            if (!keywordModel) {
                if (!defaultKeywordModel()) fail("no keyword model: call speech.useModel(model, labels) first")
                keywordModel = defaultKeywordModel()
                keywordLabels = defaultKeywordLabels()
            }
            spotter = new KeywordSpotter(userFrontEndModel || frontEndModel(), keywordModel, keywordLabels)
            applySensitivity()
            spotter.onWord = function (label: number, score: number, timeMs: number) {
                control.raiseEvent(WORD_HEARD_EVENT, label + 1)
            }
        }
        return spotter
    }

    /** Registers code run once when the speech blocks start listening. */
    export function onStartListening(hook: () => void): void {
        if (!startHooks) startHooks = []
        startHooks.push(hook)
        if (started) hook()
    }

    function startListening(): void {
        if (started) return
        started = true
        listener()
        startMicrophone()
        if (startHooks) for (let i = 0; i < startHooks.length; i++) startHooks[i]()
    }

    function wordIndex(word: SpeechWord): number {
        const index = listener().labelIndex(wordLabel(word))
        if (index < 0) fail("the keyword model has no label '" + wordLabel(word) + "'")
        return index
    }

    /**
     * Runs code when a word is heard.
     * @param word the word to listen for
     */
    //% blockId=speech_on_word_heard block="on word $word heard" help=speech/on-word-heard
    //% blockNamespace=tinyml group="Words" weight=100
    export function onWordHeard(word: SpeechWord, handler: () => void): void {
        control.onEvent(WORD_HEARD_EVENT, wordIndex(word) + 1, handler)
        startListening()
    }

    /** The last word heard ("yes", "no"...), or "" before any. */
    //% blockId=speech_last_word block="last word heard" help=speech/last-word-heard
    //% blockNamespace=tinyml group="Words" weight=90
    export function lastWordHeard(): string {
        const s = listener()
        startListening()
        return s.lastWord < 0 ? "" : s.labels[s.lastWord]
    }

    /**
     * How sure the recognizer is that it hears a word now: its score averaged over the
     * recognizer's window (0.7 s for the built-in model), from 0 to 100.
     * @param word the word
     */
    //% blockId=speech_certainty block="certainty (\\%) of $word" help=speech/certainty
    //% blockNamespace=tinyml group="Words" weight=80
    export function certainty(word: SpeechWord): number {
        const index = wordIndex(word)
        startListening()
        return Math.round(listener().recognizer.averages[index] * 100 / 255)
    }

    /**
     * How easily a word counts as heard, from 0 (never) to 100 (most easily; more false alarms).
     * At 50 (the default) a word's averaged score must exceed 200 of 255, as in
     * TFLM's micro_speech example.
     * @param percent sensitivity from 0 to 100, eg: 50
     */
    //% blockId=speech_set_sensitivity block="set wake word sensitivity to $percent" help=speech/set-sensitivity
    //% percent.min=0 percent.max=100 percent.defl=50
    //% blockNamespace=tinyml group="Words" weight=70
    export function setSensitivity(percent: number): void {
        sensitivityPercent = Math.max(0, Math.min(100, percent))
        if (spotter) applySensitivity()
    }

    /** The detection threshold (0..255) for a sensitivity: 255 - 1.1 x percent. */
    export function thresholdForSensitivity(percent: number): number {
        return 255 - Math.round(percent * 11 / 10)
    }

    function applySensitivity(): void {
        spotter.recognizer.detectionThreshold = thresholdForSensitivity(sensitivityPercent)
    }

    /**
     * Hears recorded audio now, as fast as it can be processed: 16 kHz, 16-bit signed
     * little-endian mono samples (for example a hex literal made from a WAV file). Words heard
     * raise their events as if from the microphone; time advances by the audio's length.
     * @param samples the audio
     */
    //% blockId=speech_hear_audio block="hear audio $samples" help=speech/hear-audio
    //% blockNamespace=tinyml group="Audio" weight=20 advanced=true
    export function hearAudio(samples: Buffer): void {
        startListening()
        listener().feed(samples)
    }

    /**
     * Hears recorded audio in real time: 20 ms of it every 20 ms, in the background, as a
     * microphone would deliver it.
     * @param samples the audio
     */
    //% blockId=speech_play_audio block="hear audio $samples in real time" help=speech/hear-audio
    //% blockNamespace=tinyml group="Audio" weight=10 advanced=true
    export function hearAudioInRealTime(samples: Buffer): void {
        startListening()
        control.runInParallel(function () {
            const step = 2 * Math.idiv(SAMPLE_RATE * FRAME_STEP_MS, 1000)
            for (let offset = 0; offset < samples.length; offset += step) {
                listener().feed(samples, offset, Math.min(offset + step, samples.length))
                basic.pause(FRAME_STEP_MS)
            }
        })
    }

    /** Stream time of the last word heard, in ms of audio since listening started. */
    //% blockId=speech_last_word_time block="time of last word (ms)" help=speech/last-word-heard
    //% blockNamespace=tinyml group="Words" weight=60 advanced=true
    export function lastWordTime(): number {
        return listener().lastWordTimeMs
    }
}
