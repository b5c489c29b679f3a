// Runs the golden cases of ../shared/conformance/models through the interpreter in Node.
import * as fs from "fs";
import * as path from "path";
import { loadTflite } from "./sts-runtime";

export const SHARED = process.env.PXT_TINYML_SHARED || path.resolve(__dirname, "..", "..", "..", "shared");

export interface ConformanceCase {
    model: string;
    case: string;
    inputs: string[];
    output: string;
    outputs: { type: string; shape: number[] }[];
    stream_stride_bytes: number | null;
    tflm_arena_used_bytes: number;
    tflm_min_arena_bytes: number;
}

export function conformanceCases(): ConformanceCase[] {
    const manifest = JSON.parse(fs.readFileSync(path.join(SHARED, "conformance", "models", "manifest.json"), "utf8"));
    return manifest.cases;
}

export function sharedPath(rel: string): string {
    return path.join(SHARED, rel);
}

export function caseName(c: ConformanceCase): string {
    return path.basename(c.model, ".tflite") + "/" + c.case;
}

/**
 * Runs a model on raw input bytes the way the manifest describes: one invoke, or (with a stride)
 * one invoke per window of input 0, the outputs of all invokes appended. With the STS interpreter
 * (StsInterpreter), or with tflite.Interpreter when `interpreter` is "Interpreter" (in Node, the
 * C loader and kernels when the native addon is built: node/native.ts).
 */
export function runRaw(modelBytes: Buffer, inputs: Buffer[], strideBytes?: number | null,
    interpreter: "StsInterpreter" | "Interpreter" = "StsInterpreter"): { output: Buffer; interpreter: any } {
    const tflite = loadTflite();
    const ip = new tflite[interpreter](modelBytes);
    const chunks: Buffer[] = [];
    const collect = () => {
        for (let i = 0; i < ip.outputCount(); i++) chunks.push(Buffer.from(ip.outputBytes(i)));
    };
    if (strideBytes) {
        const window = ip.input(0).bytes;
        for (let off = 0; off + window <= inputs[0].length; off += strideBytes) {
            ip.setInputBytes(0, inputs[0].subarray(off, off + window));
            for (let i = 1; i < inputs.length; i++) ip.setInputBytes(i, inputs[i]);
            ip.invoke();
            collect();
        }
    } else {
        inputs.forEach((b, i) => ip.setInputBytes(i, b));
        ip.invoke();
        collect();
    }
    return { output: Buffer.concat(chunks), interpreter: ip };
}

export function runCase(c: ConformanceCase): { output: Buffer; expected: Buffer; arenaBytes: number } {
    const model = fs.readFileSync(sharedPath(c.model));
    const inputs = c.inputs.map((f) => fs.readFileSync(sharedPath(f)));
    const { output, interpreter } = runRaw(model, inputs, c.stream_stride_bytes);
    return { output, expected: fs.readFileSync(sharedPath(c.output)), arenaBytes: interpreter.arenaBytes };
}

/** The first differing byte, or -1 when equal. */
export function firstDifference(a: Buffer, b: Buffer): number {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
    return a.length === b.length ? -1 : n;
}
