// The browser's stand-in for node/sts-runtime.ts in the trainer page's bundle (tools/build-trainer.ts
// swaps it in for every require of "./sts-runtime"): the same exports, without fs, vm or
// process.hrtime. The compiled libs/tflite (built/sts/tflite.js) comes into the bundle as text
// (tools/build-trainer.ts writes it as a module) and is evaluated once, globally, as pxt would run
// it; the converter needs it for the op codes, the held-out evaluation for the int8 interpreter.
// Buffer here is browserify's (feross/buffer), which has Node's read/write methods.
import { installStsGlobals } from "../../node/sts-buffer";

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
    const start = performance.now();
    installStsGlobals({
        millis: () => Math.floor(performance.now() - start),
        micros: () => Math.floor((performance.now() - start) * 1000),
        // Here, the browser's console.
        writeLine: (text: string) => console.log(text),
    });
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
