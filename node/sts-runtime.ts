// Node implementations of the STS runtime pieces that libs/tflite uses (see sts-globals.d.ts),
// and the loader that evaluates the compiled library in this process.
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import { installNativeShims } from "./native";

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

let installed = false;

/** Gives Node's Buffer the pxt Buffer methods and defines the `control` namespace, as pxt does. */
export function installStsRuntime(): void {
    if (installed) return;
    installed = true;
    const proto = Buffer.prototype as any;
    proto.getNumber = function (format: number, offset: number): number {
        return NF_READ[format](this, offset);
    };
    proto.setNumber = function (format: number, offset: number, value: number): void {
        NF_WRITE[format](this, offset, value);
    };
    proto.toHex = function (): string { return this.toString("hex"); };
    const start = process.hrtime.bigint();
    (globalThis as any).control = {
        createBuffer: (size: number) => Buffer.alloc(size),
        millis: () => Number((process.hrtime.bigint() - start) / 1000000n),
        micros: () => Number((process.hrtime.bigint() - start) / 1000n),
    };
    // The micro:bit's serial port: in Node, standard error.
    (globalThis as any).serial = { writeLine: (text: string) => process.stderr.write(text + "\n") };
    (Math as any).idiv = (x: number, y: number) => (x / y) | 0;
    // hex`...` literals (embedded models): the digits, whitespace ignored.
    (globalThis as any).hex = (strings: TemplateStringsArray) => Buffer.from(strings.raw.join("").replace(/\s+/g, ""), "hex");
}

/**
 * Evaluates a compiled library (built/sts/<name>.js, from libs/<name>) in this process and makes
 * its top-level `globals` (namespaces, enums) global, as they are in a MakeCode program.
 */
export function evaluateStsLibrary(name: string, globals: string[]): void {
    installStsRuntime();
    const file = path.join(__dirname, "..", "sts", name + ".js");
    const exports = globals.map((g) => "globalThis." + g + " = " + g + ";").join(" ");
    vm.runInThisContext(fs.readFileSync(file, "utf8") + "\n;" + exports, { filename: file });
}

let cached: any = null;

/** Evaluates the compiled libs/tflite (built/sts/tflite.js) once and returns its `tflite` namespace. */
export function loadTflite(): any {
    if (cached) return cached;
    evaluateStsLibrary("tflite", ["tflite"]);
    cached = (globalThis as any).tflite;
    // Node has flash to spare: every kernel, as tflite.loadModel does (the Interpreter class alone
    // uses only registered kernels, so that micro:bit programs can leave the others out).
    cached.registerReferenceKernels();
    // tflite.Interpreter and its shims run the C loader and kernels when the addon is built
    // (node/native.ts); StsInterpreter stays the STS.
    installNativeShims(cached);
    return cached;
}
