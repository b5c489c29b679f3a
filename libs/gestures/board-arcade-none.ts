namespace gestures {
    // On MakeCode Arcade without the controller extension, which reads the accelerometer of the
    // boards that have one (board-arcade.ts): the gesture blocks say what to add.

    export function addReading(rec: GestureRecognizer): void {
        fail("the gesture blocks read the accelerometer through Arcade's controller extension: add it (Extensions, controller) and use a board with an accelerometer")
    }

    /** Waits `ms` milliseconds while other code runs. */
    export function sleep(ms: number): void {
        pause(ms)
    }
}
