// The browser's stand-in for node/sts-runtime.ts in the trainer page's bundle (tools/build-trainer.ts
// swaps it in for every require of "./sts-runtime"): the same exports, without fs, vm or
// process.hrtime. The compiled libs/tflite (built/sts/tflite.js) comes into the bundle as text
// (tools/build-trainer.ts writes it as a module) and is evaluated once, globally, as pxt would run
// it; the converter needs it for the op codes, the held-out evaluation for the int8 interpreter.
// Buffer here is browserify's (feross/buffer), which has Node's read/write methods.

const NF_READ: { [format: number]: (b: Buffer, o: number) => number } = {
    1: (b, o) => b.readInt8(o), 2: (b, o) => b.readUInt8(o),
    3: (b, o) => b.readInt16LE(o), 4: (b, o) => b.readUInt16LE(o), 5: (b, o) => b.readInt32LE(o),
    6: (b, o) => b.readInt8(o), 7: (b, o) => b.readUInt8(o),
    8: (b, o) => b.readInt16BE(o), 9: (b, o) => b.readUInt16BE(o), 10: (b, o) => b.readInt32BE(o),
    11: (b, o) => b.readUInt32LE(o), 12: (b, o) => b.readUInt32BE(o),
    13: (b, o) => b.readFloatLE(o), 14: (b, o) => b.readDoubleLE(o),
    15: (b, o) => b.readFloatBE(o), 16: (b, o) => b.readDoubleBE(o),
};
const NF_WRITE: { [format: number]: (b: Buffer, o: number, v: number) => void } = {
    1: (b, o, v) => { b[o] = v & 0xff }, 2: (b, o, v) => { b[o] = v & 0xff },
    3: (b, o, v) => { b.writeUInt16LE(v & 0xffff, o) }, 4: (b, o, v) => { b.writeUInt16LE(v & 0xffff, o) },
    5: (b, o, v) => { b.writeInt32LE(v | 0, o) },
    6: (b, o, v) => { b[o] = v & 0xff }, 7: (b, o, v) => { b[o] = v & 0xff },
    8: (b, o, v) => { b.writeUInt16BE(v & 0xffff, o) }, 9: (b, o, v) => { b.writeUInt16BE(v & 0xffff, o) },
    10: (b, o, v) => { b.writeInt32BE(v | 0, o) },
    11: (b, o, v) => { b.writeUInt32LE(v >>> 0, o) }, 12: (b, o, v) => { b.writeUInt32BE(v >>> 0, o) },
    13: (b, o, v) => { b.writeFloatLE(v, o) }, 14: (b, o, v) => { b.writeDoubleLE(v, o) },
    15: (b, o, v) => { b.writeFloatBE(v, o) }, 16: (b, o, v) => { b.writeDoubleBE(v, o) },
};

/**
 * Node's 64-bit integer writes, which node/model-writer.ts uses (int64 tensors and fields) and
 * browserify's Buffer (feross/buffer 5) lacks: two 32-bit halves, little-endian, as Node writes them.
 */
function addBigIntWrites(): void {
    const proto = Buffer.prototype as any;
    const write = (b: Buffer, v: bigint, offset: number) => {
        const u = BigInt.asUintN(64, v);
        b.writeUInt32LE(Number(u & 0xffffffffn), offset);
        b.writeUInt32LE(Number(u >> 32n), offset + 4);
        return offset + 8;
    };
    if (!proto.writeBigInt64LE) proto.writeBigInt64LE = function (v: bigint, offset = 0) { return write(this, v, offset); };
    if (!proto.writeBigUInt64LE) proto.writeBigUInt64LE = function (v: bigint, offset = 0) { return write(this, v, offset); };
}
addBigIntWrites();

let installed = false;

/** Gives the bundle's Buffer the pxt Buffer methods and defines `control`, `serial`, Math.idiv and hex``. */
export function installStsRuntime(): void {
    if (installed) return;
    installed = true;
    const proto = Buffer.prototype as any;
    proto.getNumber = function (format: number, offset: number): number { return NF_READ[format](this, offset); };
    proto.setNumber = function (format: number, offset: number, value: number): void { NF_WRITE[format](this, offset, value); };
    proto.toHex = function (): string { return this.toString("hex"); };
    const start = performance.now();
    (globalThis as any).control = {
        createBuffer: (size: number) => Buffer.alloc(size),
        millis: () => Math.floor(performance.now() - start),
        micros: () => Math.floor((performance.now() - start) * 1000),
    };
    // The micro:bit's serial port: here, the browser's console.
    (globalThis as any).serial = { writeLine: (text: string) => console.log(text) };
    (Math as any).idiv = (x: number, y: number) => (x / y) | 0;
    (globalThis as any).hex = (strings: TemplateStringsArray) => Buffer.from(strings.raw.join("").replace(/\s+/g, ""), "hex");
}

/** The compiled libraries' text by name, put into the bundle by tools/build-trainer.ts. */
const LIBRARIES: { [name: string]: string } = require("./sts-libraries");

/** Evaluates a compiled library globally (an indirect eval: its `var tflite` becomes a global), as node/sts-runtime.ts does. */
export function evaluateStsLibrary(name: string, globals: string[]): void {
    installStsRuntime();
    const text = LIBRARIES[name];
    if (text === undefined) throw new Error("the trainer page's bundle has no compiled library '" + name + "'");
    const exports = globals.map((g) => "globalThis." + g + " = " + g + ";").join(" ");
    (0, eval)(text + "\n;" + exports);
}

let cached: any = null;

/** libs/tflite's `tflite` namespace, with every kernel registered (as node/sts-runtime.ts's loadTflite). */
export function loadTflite(): any {
    if (cached) return cached;
    evaluateStsLibrary("tflite", ["tflite"]);
    cached = (globalThis as any).tflite;
    cached.registerReferenceKernels();
    return cached;
}
