// Node implementations of the STS runtime pieces that libs/tflite uses (see sts-globals.d.ts),
// and the loader that evaluates the compiled library in this process.
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import { installNativeShims } from "./native";
import { installStsGlobals } from "./sts-buffer";

let installed = false;

/** Gives Node's Buffer the pxt Buffer methods and defines the `control` namespace, as pxt does. */
export function installStsRuntime(): void {
    if (installed) return;
    installed = true;
    const start = process.hrtime.bigint();
    installStsGlobals({
        millis: () => Number((process.hrtime.bigint() - start) / 1000000n),
        micros: () => Number((process.hrtime.bigint() - start) / 1000n),
        // In Node, standard error.
        writeLine: (text: string) => { process.stderr.write(text + "\n") },
    });
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
