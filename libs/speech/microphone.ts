namespace speech {
    // The C++ side (microphone.cpp). The bodies here are what the simulator runs: it has no
    // microphone samples, so they report none; the simulator panel's audio comes in through
    // simPanelListen instead. (Exported: pxt runs a shim's body in the simulator only for
    // exported functions.)

    /**
     * Starts sampling the microphone at 16 kHz; false without a v2 microphone (the simulator,
     * which hears the simulator panel's microphone and clips instead: simPanelListen).
     */
    //% shim=speech::micStart blockHidden=1
    export function micStart(): boolean {
        simPanelListen()
        return false
    }

    // ---- The simulator panel's microphone and clips (sim/panel.ts). Simulator only: reached
    // from micStart's body, which the board replaces with its C++, so none of it is in the
    // board's flash (and in Node, node/speech.ts's simmessages do nothing).
    //
    // The program tells the panel it listens on the panel's channel (the panel's simx key:
    // MakeCode opens the panel when a program first sends on it): "speech" and the sample rate,
    // one a line. The panel sends on the channel + "/speech": [0] asks for that again (the panel
    // has just loaded), [1, then int16 LE samples at 16 kHz] is audio, which goes to the
    // recognizer as the board's microphone samples would.

    /** The panel's simx key (sim/protocol.ts SIM_PANEL_CHANNEL; test/sim_panel.test.ts checks they agree). */
    function simPanelChannel(): string {
        return "pxt-tinyml"
    }

    function simPanelListen(): void {
        control.simmessages.onReceived(simPanelChannel() + "/speech", simPanelReceived)
        simPanelDescribe()
    }

    function simPanelDescribe(): void {
        const text = "speech\n" + SAMPLE_RATE
        const bytes = control.createBuffer(text.length)
        for (let i = 0; i < text.length; i++) bytes.setNumber(NumberFormat.UInt8LE, i, text.charCodeAt(i))
        control.simmessages.send(simPanelChannel(), bytes)
    }

    function simPanelReceived(msg: Buffer): void {
        if (msg.length < 1) return
        if (msg.getNumber(NumberFormat.UInt8LE, 0) === 0) simPanelDescribe()
        else if (msg.getNumber(NumberFormat.UInt8LE, 0) === 1 && msg.length % 2 === 1) listener().feed(msg, 1, msg.length)
    }

    /** Moves up to dst.length bytes of samples (int16 LE) out of the microphone's ring; the bytes moved. */
    //% shim=speech::micRead blockHidden=1
    export function micRead(dst: Buffer): number {
        return 0
    }

    //% shim=speech::micDropped blockHidden=1
    export function micDropped(): number {
        return 0
    }

    let simulatorGain = 4

    //% shim=speech::micSetGain blockHidden=1
    export function micSetGain(shift: number): void {
        // (pxt takes a shim with an empty body for a declaration: the simulator would look for a
        // native implementation.)
        simulatorGain = shift
    }

    /**
     * Samples the microphone dropped because the program fell more than 0.5 s behind: each one
     * is audio the recognizer never heard. 0 when it keeps up.
     */
    //% blockId=speech_mic_dropped block="microphone samples dropped" help=speech/microphone
    //% blockNamespace=tinyml group="Audio" weight=5 advanced=true
    export function microphoneDroppedSamples(): number {
        return micDropped()
    }

    /**
     * Sets the microphone's gain: samples are multiplied by 2 to the power `shift`.
     * @param shift from 0 to 8, eg: 4
     */
    //% blockId=speech_mic_gain block="set microphone gain to 2^ $shift" help=speech/microphone
    //% shift.min=0 shift.max=8 shift.defl=4
    //% blockNamespace=tinyml group="Audio" weight=4 advanced=true
    export function setMicrophoneGain(shift: number): void {
        micSetGain(shift)
    }

    /**
     * Listens to the microphone (once the speech blocks start): read 20 ms at a time in the
     * background. Called by startListening, not at the top level, so that a program without speech
     * blocks does not carry the speech code and models in its flash.
     */
    export function startMicrophone(): void {
        if (!micStart()) return
        control.inBackground(function () {
            const chunk = control.createBuffer(2 * Math.idiv(SAMPLE_RATE * FRAME_STEP_MS, 1000))
            const spotter = listener()
            while (true) {
                const n = micRead(chunk)
                if (n > 0) spotter.feed(chunk, 0, n)
                else basic.pause(5)
            }
        })
    }
}
