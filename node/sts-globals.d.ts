// The part of MakeCode's Static TypeScript runtime that libs/tflite uses, declared for tsc so the
// same STS source compiles for Node. Values and signatures match pxt-core / pxt-microbit core.
// node/sts-runtime.ts provides the matching implementations in Node.

declare const enum NumberFormat {
    Int8LE = 1,
    UInt8LE = 2,
    Int16LE = 3,
    UInt16LE = 4,
    Int32LE = 5,
    Int8BE = 6,
    UInt8BE = 7,
    Int16BE = 8,
    UInt16BE = 9,
    Int32BE = 10,
    UInt32LE = 11,
    UInt32BE = 12,
    Float32LE = 13,
    Float64LE = 14,
    Float32BE = 15,
    Float64BE = 16,
}

interface Buffer {
    [index: number]: number;
    length: number;
    getNumber(format: NumberFormat, offset: number): number;
    setNumber(format: NumberFormat, offset: number, value: number): void;
    fill(value: number, offset?: number, length?: number): void;
    toHex(): string;
    /** pxt's slice(offset, length); Node's Buffer agrees when only the offset is given. */
    slice(offset?: number): Buffer;
    /** The bytes as UTF-8 text. */
    toString(): string;
}

declare namespace control {
    function createBuffer(size: number): Buffer;
    /** Where console.log writes (the serial port on the micro:bit). */
    function __log(priority: number, text: string): void;
    function millis(): number;
    function micros(): number;
}

interface Math {
    idiv(x: number, y: number): number;
}


declare namespace serial {
    function writeLine(text: string): void;
}
