// What the STS loader made of a model, in the text kernels/host/loader_tool.c's dump prints for
// the C loader: the arena plan, every operator's body and parameter words, the inputs and
// outputs; or "error MESSAGE". Two loaders agree on a model when these texts are equal
// (node/c-loader.ts compares them on every model we have, node/c-fuzz.ts on fuzz mutants).

/** What a loader made of a model: "error ..." or the plan, the ops' bodies and parameter words, the inputs and outputs. */
export interface LoaderResult { ok: boolean; text: string }

function floatBits(v: number): number {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v, 0);
    return b.readInt32LE(0);
}

function ioLine(what: string, i: number, t: any): string {
    const words = [t.index, t.type, t.offset, t.bytes, floatBits(t.scale), t.zeroPoint, t.shape.length, ...t.shape];
    return `${what} ${i} ${words.join(" ")}`;
}

/** The dump of a model an StsInterpreter loaded (right after loading it). */
export function stsInterpreterDump(ip: any): LoaderResult {
    const lines = [`arena ${ip.arenaBytes} op_state ${ip.opStateStart} ${ip.opStateBytes}`];
    // Every subgraph's ops, numbered by their place in the one list of all (the C state's op table).
    ip.model.operators.forEach((op: any, k: number) => {
        const words: number[] = [];
        for (let i = 0; i < op.params.length; i += 4) words.push(op.params.readInt32LE(i));
        lines.push(`op ${k} ${op.bodyName} ${words.join(" ")}`);
    });
    ip.model.inputs.forEach((t: any, i: number) => lines.push(ioLine("input", i, t)));
    ip.model.outputs.forEach((t: any, i: number) => lines.push(ioLine("output", i, t)));
    return { ok: true, text: lines.join("\n") };
}

/** The dump of a model the STS loader refused with `error` (what it threw). */
export function stsErrorDump(error: unknown): LoaderResult {
    const text = typeof error === "string" ? error.replace(/^tflite: /, "") : String(error);
    return { ok: false, text: "error " + text };
}
