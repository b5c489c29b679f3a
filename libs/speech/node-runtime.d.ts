// The part of MakeCode's runtime that libs/speech uses beyond what libs/tflite does
// (node/sts-globals.d.ts), declared for tsc so that the library also compiles for Node, where
// node/speech.ts provides these. Signatures as pxt-microbit's core declares them. pxt itself
// reads its own declarations: this file is not in pxt.json.

declare namespace control {
    function onEvent(src: number, value: number, handler: () => void, flags?: number): void;
    function raiseEvent(src: number, value: number, mode?: number): void;
    function runInParallel(a: () => void): void;
    function inBackground(a: () => void): void;
}

/** Messages between the simulator and its panel (microphone.ts's simulator glue; Node has no panel). */
declare namespace control.simmessages {
    function send(channel: string, message: Buffer, parentOnly?: boolean): void;
    function onReceived(channel: string, handler: (msg: Buffer) => void): void;
}

declare namespace basic {
    function pause(ms: number): void;
}

/** pxt's hex literal: hex`0a0b...` is a Buffer (whitespace ignored), stored in flash. */
declare function hex(strings: TemplateStringsArray, ...values: any[]): Buffer;

/** pxt's Buffer methods libs/speech uses beyond libs/tflite's (native memmove and memcpy on the board). */
interface Buffer {
    /** Shifts the bytes left by `offset` (right when negative), zero-filling what is vacated. */
    shift(offset: number, start?: number, length?: number): void;
    /** Copies all of `src` here from byte `dstOffset` (as much as fits). */
    write(dstOffset: number, src: Buffer): void;
}
