namespace gestures {
    // What the gesture blocks need of the board, on MakeCode Arcade's boards with an accelerometer,
    // read through the controller extension (board-microbit.ts: on the micro:bit;
    // board-arcade-none.ts: Arcade without the extension). pxt.json lists each file for its target.

    /** One accelerometer reading, x, y, z in milli-g, into the recognizer. */
    export function addReading(rec: GestureRecognizer): void {
        rec.addSample(controller.acceleration(ControllerDimension.X), controller.acceleration(ControllerDimension.Y),
            controller.acceleration(ControllerDimension.Z))
    }

    /** Waits `ms` milliseconds while other code runs. */
    export function sleep(ms: number): void {
        pause(ms)
    }
}
