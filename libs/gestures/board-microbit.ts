namespace gestures {
    // What the gesture blocks need of the board, on the micro:bit (board-arcade.ts: on MakeCode
    // Arcade's boards with an accelerometer). The root pxt.json lists each file for its target.

    /** One accelerometer reading, x, y, z in milli-g, into the recognizer. */
    export function addReading(rec: GestureRecognizer): void {
        // In the simulator, while the panel (sim/) plays a recording, the reading is the
        // recording's next sample; on the board these calls compile to nothing (TD_NOOP, TD_ID).
        simPanelStep(rec)
        rec.addSample(simPanelX(input.acceleration(Dimension.X)), simPanelY(input.acceleration(Dimension.Y)),
            simPanelZ(input.acceleration(Dimension.Z)))
    }

    /** Waits `ms` milliseconds while other code runs. */
    export function sleep(ms: number): void {
        basic.pause(ms)
    }

    // ---- The simulator panel's gesture player (sim/panel.ts). Simulator only: the functions
    // below are TD_NOOP and TD_ID shims, whose bodies pxt runs in the simulator and drops from the
    // board's program (a TD_NOOP call becomes nothing, a TD_ID call its argument), so the board's
    // flash carries none of it.
    //
    // The program tells the panel its model on the panel's channel, simPanelChannel() (the
    // panel's simx key: MakeCode opens the panel when a program first sends on it): "gestures",
    // the sample period in ms and the labels, one a line. The panel sends on the channel + "/gestures":
    // [0] asks for the model again (the panel has just loaded), [1 or 2, then x y z int16 LE in
    // milli-g per sample, one sample per sample period] plays a recording once (1) or looping
    // (2), [3] stops. It is told "played" when a recording played once has ended.

    /** The recording being played (its first byte is the play command) and the sample read last, or null. */
    let panelRecording: Buffer
    let panelAt: number
    /** The recognizer whose model the panel was told about. */
    let panelRecognizer: GestureRecognizer

    /** Before each reading: tells the panel about a new model, and moves to the recording's next sample. */
    //% shim=TD_NOOP
    export function simPanelStep(rec: GestureRecognizer): void {
        if (panelRecognizer !== rec) {
            if (!panelRecognizer)
                control.simmessages.onReceived(simPanelChannel() + "/gestures", simPanelReceived)
            panelRecognizer = rec
            simPanelDescribe()
        }
        if (!panelRecording) return
        panelAt++
        if (1 + 6 * panelAt + 6 > panelRecording.length) {
            if (panelRecording[0] === 2 && panelRecording.length >= 7) panelAt = 0
            else {
                panelRecording = null
                control.simmessages.send(simPanelChannel(), Buffer.fromUTF8("played"))
            }
        }
    }

    /** The x reading: the recording's while one plays, else the accelerometer's. */
    //% shim=TD_ID
    export function simPanelX(mg: number): number {
        return panelRecording ? panelRecording.getNumber(NumberFormat.Int16LE, 1 + 6 * panelAt) : mg
    }

    //% shim=TD_ID
    export function simPanelY(mg: number): number {
        return panelRecording ? panelRecording.getNumber(NumberFormat.Int16LE, 3 + 6 * panelAt) : mg
    }

    //% shim=TD_ID
    export function simPanelZ(mg: number): number {
        return panelRecording ? panelRecording.getNumber(NumberFormat.Int16LE, 5 + 6 * panelAt) : mg
    }

    /** The panel's simx key (sim/protocol.ts SIM_PANEL_CHANNEL; test/sim_panel.test.ts checks they agree). */
    function simPanelChannel(): string {
        return "pxt-tinyml"
    }

    function simPanelDescribe(): void {
        let text = "gestures\n" + panelRecognizer.samplePeriodMs
        for (let i = 0; i < panelRecognizer.labels.length; i++) text += "\n" + panelRecognizer.labels[i]
        control.simmessages.send(simPanelChannel(), Buffer.fromUTF8(text))
    }

    function simPanelReceived(msg: Buffer): void {
        if (msg.length < 1) return
        const command = msg[0]
        if (command === 0 && panelRecognizer) simPanelDescribe()
        else if ((command === 1 || command === 2) && msg.length >= 7) {
            panelRecording = msg
            panelAt = -1
        } else if (command === 3) panelRecording = null
    }
}
