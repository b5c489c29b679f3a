// The pxt-tinyml command line: inspect and run .tflite models with the same STS interpreter
// that runs in the MakeCode simulator and on the board.
import * as fs from "fs";
import { loadTflite } from "../node/sts-runtime";
import { runRaw } from "../node/conformance";

const USAGE = `usage:
  pxt-tinyml inspect MODEL.tflite
      operators, tensors (shape, type, quantization) and the arena plan
  pxt-tinyml run MODEL.tflite --input IN0.bin [--input IN1.bin ...] [--output OUT.bin] [--stride BYTES]
      runs the model on raw little-endian input bytes (one file per input tensor) and prints the
      outputs, raw and dequantized; --output writes the raw bytes of all outputs in order;
      --stride streams input 0: one invoke per window of the input's size, advancing BYTES each time
  pxt-tinyml train DATASET.json --out DIR [--epochs N] [--seed N] [--test-fraction F]
                   [--window-samples N] [--sample-period MS] [--namespace NAME] [--quiet]
      trains a gesture model on a micro:bit CreateAI dataset, quantizes it to int8, prints the
      held-out accuracy and a confusion matrix, writes DIR/model.tflite and DIR/model.ts
  pxt-tinyml jacdac-host [--port N] [--tcp-port N] [--host ADDRESS] [--model MODEL.tflite]
                         [--recording DATASET.json [--action NAME]]
      Jacdac Model Runner and Sensor Aggregator servers for a Jacdac dashboard or another
      program, until Ctrl-C (docs/jacdac.md)`;

function quantText(t: any): string {
    if (!t.scale) return "";
    if (t.scales.length > 1) return `per-channel(dim ${t.quantizedDimension}, ${t.scales.length} scales, first ${t.scales[0]} zp ${t.zeroPoints[0] ?? 0})`;
    return `scale ${t.scale} zp ${t.zeroPoint}`;
}

export function inspect(file: string): string {
    const tflite = loadTflite();
    const bytes = fs.readFileSync(file);
    // Parse first, so the structure of a model we cannot run (an unsupported op) still shows.
    const m = tflite.parseModel(bytes);
    let ip: any = null;
    let loadError = "";
    try {
        ip = new tflite.StsInterpreter(bytes);
    } catch (e: any) {
        loadError = typeof e === "string" ? e : e.message;
    }
    const model = ip ? ip.model : m;
    const lines: string[] = [];
    lines.push(`model ${file}: ${bytes.length} bytes, schema v${model.version}${model.description ? `, "${model.description}"` : ""}`);
    lines.push(`inputs: ${model.inputs.map((t: any) => t.index).join(", ")}   outputs: ${model.outputs.map((t: any) => t.index).join(", ")}`);
    lines.push("");
    lines.push(`operators (${model.operators.length}):`);
    for (const op of model.operators) {
        const ins = op.inputs.map((t: any) => (t ? t.index : -1)).join(",");
        const outs = op.outputs.map((t: any) => t.index).join(",");
        lines.push(`  ${String(op.index).padStart(3)}  ${op.name()} v${op.version}  in [${ins}]  out [${outs}]`);
    }
    lines.push("");
    lines.push(`tensors (${model.tensors.length}):`);
    for (const t of model.tensors) {
        const where = t.isConst ? `const ${t.bytes} B in model`
            : ip && !t.data ? `unused ${t.bytes} B`
            : ip ? `arena @${t.offset} ${t.bytes} B${t.isVariable ? " (variable)" : ""}` : `${t.bytes} B${t.isVariable ? " (variable)" : ""}`;
        lines.push(`  ${String(t.index).padStart(3)}  ${tflite.typeName(t.type).padEnd(7)} [${t.shape.join(",")}]  ${where}  ${quantText(t)}  ${t.name}`);
    }
    lines.push("");
    if (ip) lines.push(`arena: ${ip.arenaBytes} bytes (${ip.persistentBytes} persistent for variable tensors)`);
    else lines.push(`arena: not planned, the model cannot run here: ${loadError}`);
    for (let i = 0; i < model.metadataNames.length; i++) lines.push(`metadata '${model.metadataNames[i]}': ${model.metadataLengths[i]} bytes`);
    return lines.join("\n");
}

function formatOutputs(ip: any, raw: Buffer): string {
    const tflite = loadTflite();
    const lines: string[] = [];
    let perInvoke = 0;
    for (let i = 0; i < ip.outputCount(); i++) perInvoke += ip.output(i).bytes;
    const invokes = perInvoke ? raw.length / perInvoke : 0;
    let offset = 0;
    for (let k = 0; k < invokes; k++) {
        for (let i = 0; i < ip.outputCount(); i++) {
            const t = ip.output(i);
            const chunk = raw.subarray(offset, offset + t.bytes);
            offset += t.bytes;
            const values: number[] = [];
            for (let j = 0; j < t.elementCount(); j++) values.push(tflite.readElement(t.type, chunk, 0, j));
            lines.push(`${invokes > 1 ? `invoke ${k} ` : ""}output ${i} ${tflite.typeName(t.type)} [${t.shape.join(",")}]`);
            lines.push(`  raw:         ${values.join(" ")}`);
            if (t.scale) lines.push(`  dequantized: ${values.map((v) => +tflite.dequantizeValue(t, v).toPrecision(7)).join(" ")}`);
        }
    }
    return lines.join("\n");
}

function parseRunArgs(args: string[]) {
    const res = { model: "", inputs: [] as string[], output: "", stride: 0 };
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        const value = () => {
            if (i + 1 >= args.length) throw new Error(`${a} needs a value\n${USAGE}`);
            return args[++i];
        };
        if (a === "--input") res.inputs.push(value());
        else if (a === "--output") res.output = value();
        else if (a === "--stride") {
            res.stride = Number(value());
            if (!(res.stride > 0) || !Number.isInteger(res.stride)) throw new Error(`--stride needs a positive whole number of bytes`);
        } else if (a.startsWith("--")) throw new Error(`unknown option ${a}\n${USAGE}`);
        else if (!res.model) res.model = a;
        else throw new Error(`unexpected argument ${a}\n${USAGE}`);
    }
    if (!res.model) throw new Error(USAGE);
    return res;
}

export function run(args: string[]): string {
    const opts = parseRunArgs(args);
    const tflite = loadTflite();
    const model = fs.readFileSync(opts.model);
    const probe = new tflite.StsInterpreter(model);
    if (opts.inputs.length !== probe.inputCount())
        throw new Error(`the model has ${probe.inputCount()} input(s); got ${opts.inputs.length} --input file(s)`);
    const inputs = opts.inputs.map((f) => fs.readFileSync(f));
    if (opts.stride && inputs[0].length < probe.input(0).bytes)
        throw new Error(`input 0 has ${inputs[0].length} bytes, less than one window of ${probe.input(0).bytes}`);
    const { output, interpreter } = runRaw(model, inputs, opts.stride || null);
    if (opts.output) fs.writeFileSync(opts.output, output);
    return formatOutputs(interpreter, output) + `\ninvoke time: ${interpreter.lastInvokeMicros} us (last invoke), arena ${interpreter.arenaBytes} bytes`;
}

export async function main(argv: string[]): Promise<number> {
    const [cmd, ...rest] = argv;
    try {
        if (cmd === "inspect" && rest.length === 1) console.log(inspect(rest[0]));
        else if (cmd === "run") console.log(run(rest));
        else if (cmd === "jacdac-host") {
            // Loaded here: only the host needs jacdac-ts.
            const { jacdacHostCommand } = require("../node/jacdac/cli");
            await jacdacHostCommand(rest, (line: string) => console.log(line));
        }
        else if (cmd === "train") {
            // Loaded here: tfjs takes a moment to load, and only training needs it.
            const { trainCommand } = require("./cli-train");
            const result = await trainCommand(rest, (line: string) => console.log(line));
            console.log(result.report);
        }
        else {
            console.error(USAGE);
            return 2;
        }
        return 0;
    } catch (e: any) {
        // Interpreter errors are thrown as "tflite: ..." strings; Node errors as Error objects.
        console.error(`error: ${typeof e === "string" ? e : e.message}`);
        return 1;
    }
}
