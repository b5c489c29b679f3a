namespace gestures {
    // What the gesture blocks need of the board, on the micro:bit (board-arcade.ts: on MakeCode
    // Arcade's boards with an accelerometer). The root pxt.json lists each file for its target.

    /** One accelerometer reading, x, y, z in milli-g, into the recognizer. */
    export function addReading(rec: GestureRecognizer): void {
        rec.addSample(input.acceleration(Dimension.X), input.acceleration(Dimension.Y), input.acceleration(Dimension.Z))
    }

    /** Waits `ms` milliseconds while other code runs. */
    export function sleep(ms: number): void {
        basic.pause(ms)
    }
}
