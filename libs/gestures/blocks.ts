/**
 * Machine learning on the micro:bit: movements (gestures) and spoken words.
 */
//% block="TinyML" weight=45 color="#7a3fb8" icon="\uf2db"
//% groups='["Gestures", "Your model", "Words", "Audio"]'
namespace tinyml {
}

/** The gestures the built-in model knows (trained on micro:bit CreateAI's "big 8 actions"). */
enum BuiltinGesture {
    //% block="shake vertical"
    ShakeVertical = 0,
    //% block="still up"
    StillUp = 1,
    //% block="circle"
    Circle = 2,
    //% block="shake horizontal"
    ShakeHorizontal = 3,
    //% block="still down"
    StillDown = 4,
    //% block="throw up"
    ThrowUp = 5,
    //% block="arm roll"
    ArmRoll = 6,
    //% block="free fall"
    FreeFall = 7,
    //% block="no gesture"
    None = 8,
}

/**
 * Gesture recognition: a small neural network, run by the tflite interpreter, tells movements of
 * the micro:bit apart from its accelerometer, several times a second. The built-in model knows 8
 * gestures; `useModel` swaps in your own (made with `pxt-tinyml train`).
 */
namespace gestures {
    /** Event sources: a gesture started or stopped; the event value is the gesture's number + 1 (see eventValue). */
    export const GESTURE_START_EVENT = 0x5a52
    export const GESTURE_STOP_EVENT = 0x5a53
    /** Raised (value 1) with each start of "no gesture", for the "on gesture unknown" handler. */
    export const GESTURE_UNKNOWN_EVENT = 0x5a54

    let modelBytes: Buffer = null
    let modelLabels: string[] = []
    let recognizer: GestureRecognizer = null
    let running = false
    let intervalMs = 250
    let smoothingInvokes = 2
    let thresholdPercent = 80
    /** Every gesture name handlers or questions used (as first written; sameLabel tells them apart), in order: its event value is its index + 1. */
    let names: string[] = []
    /** How long each gesture (by event value; 0 unused) lasted when it last stopped, for the stop-with-duration handlers. */
    let durations: number[] = [0]

    /** The built-in model's label for a gesture ("" for no gesture); BuiltinGesture follows builtinLabels' order. */
    //% blockId=gestures_builtin_gesture block="$gesture" blockHidden=true
    export function builtinGesture(gesture: BuiltinGesture): string {
        return gesture === BuiltinGesture.None ? "" : builtinLabels[gesture]
    }

    /**
     * Runs code when a gesture starts: when it becomes the gesture the model is sure of.
     * @param gesture the gesture, eg: "Circle"
     */
    //% blockId=gestures_on_start block="on gesture $gesture start" help=gestures/on-gesture-start
    //% gesture.shadow=gestures_builtin_gesture
    //% blockNamespace=tinyml group="Gestures" weight=100
    export function onGestureStart(gesture: string, handler: () => void): void {
        control.onEvent(GESTURE_START_EVENT, eventValue(gesture), handler)
        start()
    }

    /**
     * Runs code when no gesture reaches its certainty threshold any more (CreateAI's "unknown"):
     * when "no gesture" starts.
     */
    //% blockId=gestures_on_unknown block="on gesture unknown" help=gestures/on-gesture-unknown
    //% blockNamespace=tinyml group="Gestures" weight=90
    export function onGestureUnknown(handler: () => void): void {
        control.onEvent(GESTURE_UNKNOWN_EVENT, 1, handler)
        start()
    }

    /**
     * Runs code when a gesture stops: when another gesture (or none) takes its place.
     * @param gesture the gesture, eg: "Circle"
     */
    //% blockId=gestures_on_stop block="on gesture $gesture stop" help=gestures/on-gesture-stop
    //% gesture.shadow=gestures_builtin_gesture
    //% blockNamespace=tinyml group="Gestures" weight=95
    export function onGestureStop(gesture: string, handler: () => void): void {
        control.onEvent(GESTURE_STOP_EVENT, eventValue(gesture), handler)
        start()
    }

    /**
     * Runs code when a gesture stops, with how long it lasted.
     * @param gesture the gesture, eg: "Circle"
     */
    //% blockId=gestures_on_stop_duration block="on gesture $gesture stop $duration (ms)" help=gestures/on-gesture-stop-duration
    //% gesture.shadow=gestures_builtin_gesture draggableParameters="reporter"
    //% blockNamespace=tinyml group="Gestures" weight=90
    export function onGestureStopWithDuration(gesture: string, handler: (duration: number) => void): void {
        const value = eventValue(gesture)
        control.onEvent(GESTURE_STOP_EVENT, value, function () {
            handler(durations[value])
        })
        start()
    }

    /**
     * Whether a gesture is the one the model is sure of now.
     * @param gesture the gesture, eg: "Circle"
     */
    //% blockId=gestures_is_detected block="is gesture $gesture detected" help=gestures/is-gesture-detected
    //% gesture.shadow=gestures_builtin_gesture
    //% blockNamespace=tinyml group="Gestures" weight=80
    export function isGestureDetected(gesture: string): boolean {
        start()
        if (!recognizer) return sameLabel(gesture, "")
        return recognizer.current === indexOf(gesture)
    }

    /**
     * How sure the model is of a gesture, from 0 to 100: its score averaged over the last invokes.
     * @param gesture the gesture, eg: "Circle"
     */
    //% blockId=gestures_certainty block="certainty (\\%) of $gesture" help=gestures/certainty
    //% gesture.shadow=gestures_builtin_gesture
    //% blockNamespace=tinyml group="Gestures" weight=70
    export function certainty(gesture: string): number {
        start()
        if (!recognizer) return 0
        const i = indexOf(gesture)
        return i === NO_GESTURE ? 0 : Math.round(recognizer.certainty(i) * 100)
    }

    /** The gesture the model is sure of now, or "" when there is none. */
    //% blockId=gestures_current block="current gesture" help=gestures/current-gesture
    //% blockNamespace=tinyml group="Gestures" weight=60
    export function currentGesture(): string {
        start()
        return recognizer ? recognizer.currentLabel() : ""
    }

    /**
     * How sure the model must be of a gesture for it to count, from 0 to 100 (default 80).
     * @param percent the certainty a gesture needs, eg: 80
     */
    //% blockId=gestures_set_threshold block="set certainty threshold to $percent \\%" help=gestures/set-certainty-threshold
    //% percent.min=0 percent.max=100 percent.defl=80
    //% blockNamespace=tinyml group="Gestures" weight=50
    export function setCertaintyThreshold(percent: number): void {
        thresholdPercent = Math.max(0, Math.min(100, percent))
        if (recognizer) recognizer.setThreshold(thresholdPercent / 100)
    }

    /**
     * How sure the model must be of one gesture for it to count, from 0 to 100 (the others keep
     * theirs; "set certainty threshold" and "use model" set every gesture's again).
     * @param gesture the gesture, eg: "Circle"
     * @param percent the certainty it needs, eg: 80
     */
    //% blockId=gestures_set_gesture_threshold block="set certainty threshold of $gesture to $percent \\%" help=gestures/set-gesture-threshold
    //% gesture.shadow=gestures_builtin_gesture
    //% percent.min=0 percent.max=100 percent.defl=80
    //% blockNamespace=tinyml group="Gestures" weight=48
    export function setGestureThreshold(gesture: string, percent: number): void {
        if (sameLabel(gesture, "")) fail("'no gesture' has no threshold: it is what is left when no gesture reaches its own")
        // On the recognizer itself (made now if need be): a model given later starts again from the common threshold.
        gestureRecognizer().setLabelThreshold(indexOf(gesture), Math.max(0, Math.min(100, percent)) / 100)
    }

    /**
     * Uses your own gesture model instead of the built-in one: a .tflite file made by
     * `pxt-tinyml train` (its settings travel inside it), with its gesture names in output order.
     * @param model the .tflite file (a hex literal)
     * @param labels the names of its gestures, in the order of its outputs
     */
    //% blockId=gestures_use_model block="use model $model with labels $labels" help=gestures/use-model
    //% model.shadow=gestures_model_from_hex labels.shadow=lists_create_with labels.defl=gestures_label
    //% blockNamespace=tinyml group="Your model" weight=40
    export function useModel(model: Buffer, labels: string[]): void {
        modelBytes = model
        modelLabels = labels || []
        // Loaded on the next sample: the handlers may already be registered.
        recognizer = null
    }

    /**
     * A model given as hexadecimal text (the bytes of a .tflite file; spaces and line breaks are ignored).
     * @param hex the bytes, two hexadecimal digits each
     */
    // blockHidden: not a block of its own in the toolbox (empty, it waits for a whole model's
    // thousands of hex digits); it is the model input of "use model", which brings it along.
    //% blockId=gestures_model_from_hex block="model $hex" help=gestures/use-model blockHidden=true
    //% blockNamespace=tinyml group="Your model" weight=30
    export function modelFromHex(hex: string): Buffer {
        return bytesFromHex(hex)
    }

    /**
     * A gesture of your own model, by name: the names typed in "use model" show in its dropdown.
     * @param name the gesture's name, eg: "wave"
     */
    //% blockId=gestures_label block="gesture $name" help=gestures/use-model
    //% name.fieldEditor="autocomplete" name.fieldOptions.decompileLiterals=true name.fieldOptions.onParentBlock=true
    //% name.fieldOptions.key="gestureslabel"
    //% blockNamespace=tinyml group="Your model" weight=20
    export function label(name: string): string {
        return name
    }

    /**
     * How often the model runs, in milliseconds (default 250, as micro:bit CreateAI).
     * @param ms time between two runs of the model, eg: 250
     */
    //% blockId=gestures_set_interval block="run the gesture model every $ms ms" help=gestures/set-interval
    //% ms.min=20 ms.max=2000 ms.defl=250
    //% blockNamespace=tinyml group="Gestures" weight=10 advanced=true
    export function setInterval(ms: number): void {
        intervalMs = Math.max(1, ms)
    }

    /**
     * Over how many runs of the model the certainties are averaged (default 2).
     * @param runs runs averaged, eg: 2
     */
    //% blockId=gestures_set_smoothing block="average certainties over $runs runs" help=gestures/set-smoothing
    //% runs.min=1 runs.max=10 runs.defl=2
    //% blockNamespace=tinyml group="Gestures" weight=5 advanced=true
    export function setSmoothing(runs: number): void {
        smoothingInvokes = Math.max(1, Math.floor(runs))
        if (recognizer) recognizer.setSmoothing(smoothingInvokes)
    }

    /** The recognizer behind the blocks (made on first use, from the model given to useModel or the built-in one). */
    export function gestureRecognizer(): GestureRecognizer {
        if (!recognizer) {
            const model = modelBytes ? modelBytes : builtinModel()
            const rec = new GestureRecognizer(model, modelBytes ? modelLabels : [])
            rec.setSmoothing(smoothingInvokes)
            rec.setThreshold(thresholdPercent / 100)
            // "No gesture" lasts from now.
            rec.reset(control.millis())
            for (let i = 0; i < names.length; i++)
                if (!sameLabel(names[i], "") && rec.labelIndex(names[i]) < 0) failUnknownGesture(rec, names[i])
            rec.onStart = function (label: number) {
                control.raiseEvent(GESTURE_START_EVENT, eventValue(label === NO_GESTURE ? "" : rec.labels[label]))
                if (label === NO_GESTURE) control.raiseEvent(GESTURE_UNKNOWN_EVENT, 1)
            }
            rec.onStop = function (label: number, durationMs: number) {
                const value = eventValue(label === NO_GESTURE ? "" : rec.labels[label])
                durations[value] = durationMs
                control.raiseEvent(GESTURE_STOP_EVENT, value)
            }
            recognizer = rec
        }
        return recognizer
    }

    /** Starts sampling the accelerometer and running the model in the background (once). */
    export function start(): void {
        if (running) return
        running = true
        control.runInParallel(sampleForever)
        control.runInParallel(inferForever)
    }

    /** A reading every sample period, on a fixed schedule (a late reading does not delay the next). */
    function sampleForever(): void {
        // Let the program's start code run first: it may choose the model.
        sleep(0)
        let next = control.millis()
        while (true) {
            const rec = gestureRecognizer()
            addReading(rec)
            next += rec.samplePeriodMs
            const wait = next - control.millis()
            if (wait > 0) sleep(wait)
            else {
                next = control.millis()
                sleep(0)
            }
        }
    }

    /** The model every intervalMs, once a window of readings is in. */
    function inferForever(): void {
        sleep(0)
        let next = control.millis() + intervalMs
        while (true) {
            const wait = next - control.millis()
            if (wait > 0) sleep(wait)
            const now = control.millis()
            next = Math.max(next + intervalMs, now + 1)
            gestureRecognizer().update(now)
        }
    }

    /** The event value of a gesture name (the same for any case): its place in `names`, plus 1. */
    export function eventValue(gesture: string): number {
        for (let i = 0; i < names.length; i++) if (sameLabel(names[i], gesture)) return i + 1
        names.push(gesture)
        durations.push(0)
        if (recognizer && !sameLabel(gesture, "") && recognizer.labelIndex(gesture) < 0) failUnknownGesture(recognizer, gesture)
        return names.length
    }

    /** The model's index of a gesture (NO_GESTURE for ""); fails for a name the model does not know. */
    function indexOf(gesture: string): number {
        if (sameLabel(gesture, "")) return NO_GESTURE
        const i = recognizer.labelIndex(gesture)
        if (i < 0) failUnknownGesture(recognizer, gesture)
        return i
    }

    function failUnknownGesture(rec: GestureRecognizer, gesture: string): void {
        fail("the model has no gesture '" + gesture + "'; its gestures: " + tflite.listText(rec.labels, ", "))
    }
}
