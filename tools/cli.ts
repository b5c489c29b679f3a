// The pxt-tinyml command line: inspect and run .tflite models with the same STS interpreter
// that runs in the MakeCode simulator and on the board.
import * as fs from "fs";
import { loadTflite } from "../node/sts-runtime";
import { runRaw } from "../node/conformance";
import { readNamedFile } from "../node/read-file";

const INSPECT_USAGE = `  pxt-tinyml inspect MODEL.tflite
      the inputs and outputs (tensor, type, shape, bytes, quantization), the labels in the model's
      metadata, the operators, every tensor and the arena plan`;

const RUN_USAGE = `  pxt-tinyml run MODEL.tflite --input IN0.bin [--input IN1.bin ...] [--output OUT.bin] [--stride BYTES]
      runs the model on raw little-endian input bytes (one file per input tensor, each exactly the
      tensor's size) and prints the outputs, raw and dequantized, and output 0's top label when the
      model's metadata has labels; --output writes the raw bytes of all outputs in order;
      --stride streams input 0: one invoke per window of the input's size, advancing BYTES each
      time; bytes at the end too few for one more window are not run, as a streaming TFLM
      application leaves a partial frame, and a warning on stderr says how many`;

const USAGE = `usage:
${INSPECT_USAGE}
${RUN_USAGE}
  pxt-tinyml train DATASET.json --out DIR [--epochs N] [--seed N] [--test-fraction F]
                   [--window-samples N] [--sample-period MS] [--namespace NAME] [--quiet]
      trains a gesture model on a micro:bit CreateAI dataset, quantizes it to int8, prints the
      held-out accuracy and a confusion matrix, writes DIR/model.tflite and DIR/model.ts
  pxt-tinyml jacdac-host [--port N] [--tcp-port N] [--host ADDRESS] [--model MODEL.tflite]
                         [--recording DATASET.json [--action NAME]]
      Jacdac Model Runner and Sensor Aggregator servers for a Jacdac dashboard or another
      program, until Ctrl-C (docs/jacdac.md)
  pxt-tinyml help [COMMAND], pxt-tinyml --help, pxt-tinyml COMMAND --help
      this text, or one command's`;

/** Each command's own usage, for `COMMAND --help` (train's and jacdac-host's load their modules: tfjs, jacdac-ts). */
const COMMAND_USAGE = new Map<string, () => string>([
    ["inspect", () => INSPECT_USAGE],
    ["run", () => RUN_USAGE],
    ["train", () => require("./cli-train").TRAIN_USAGE],
    ["jacdac-host", () => require("../node/jacdac/cli").JACDAC_HOST_USAGE],
]);

const HELP_FLAGS = ["--help", "-h"];

function quantText(t: any): string {
    if (!t.scale) return "";
    if (t.scales.length > 1) return `per-channel(dim ${t.quantizedDimension}, ${t.scales.length} scales, first ${t.scales[0]} zp ${t.zeroPoints[0] ?? 0})`;
    return `scale ${t.scale} zp ${t.zeroPoint}`;
}

/** An input or output by its tensor: "tensor 9 INT8 [1,4] 4 B scale 0.0039 zp -128 'name'". */
function tensorText(tflite: any, t: any): string {
    const quant = quantText(t);
    return `tensor ${t.index} ${tflite.typeName(t.type)} [${t.shape.join(",")}] ${t.bytes} B${quant ? ` ${quant}` : ""}${t.name ? ` '${t.name}'` : ""}`;
}

/** The labels in a model's "pxt-tinyml" metadata, one per value of output 0 ([] when it has none). */
function metadataLabels(tflite: any, model: any): string[] {
    return tflite.metadataValues(tflite.modelMetadata(model), "label");
}

const elementCount = (t: any) => t.shape.reduce((n: number, d: number) => n * d, 1);
const quoted = (labels: string[]) => labels.map((l) => JSON.stringify(l)).join(", ");

export function inspect(file: string): string {
    const tflite = loadTflite();
    const bytes = readNamedFile(file, "the model");
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
    // Numbered as --input takes them; each names its tensor (the number in the tensors table below).
    model.inputs.forEach((t: any, i: number) => lines.push(`input ${i}: ${tensorText(tflite, t)}`));
    model.outputs.forEach((t: any, i: number) => lines.push(`output ${i}: ${tensorText(tflite, t)}`));
    try {
        const labels = metadataLabels(tflite, model);
        const values = model.outputs.length ? elementCount(model.outputs[0]) : 0;
        if (labels.length) lines.push(labels.length === values ? `labels of output 0 (metadata): ${quoted(labels)}`
            : `labels (metadata): ${quoted(labels)}; ${labels.length} labels for the ${values} values of output 0`);
    } catch (e: any) {
        lines.push(`labels: the metadata cannot be read: ${typeof e === "string" ? e : e.message}`);
    }
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

/** The outputs of every invoke in `raw`; `labels` (one per value of output 0, or []) name output 0's top value. */
function formatOutputs(ip: any, raw: Buffer, labels: string[]): string {
    const tflite = loadTflite();
    const lines: string[] = [];
    let perInvoke = 0;
    for (let i = 0; i < ip.outputCount(); i++) perInvoke += ip.output(i).bytes;
    const invokes = perInvoke ? raw.length / perInvoke : 0;
    if (labels.length) lines.push(`labels of output 0 (metadata): ${quoted(labels)}`);
    let offset = 0;
    for (let k = 0; k < invokes; k++) {
        for (let i = 0; i < ip.outputCount(); i++) {
            const t = ip.output(i);
            const chunk = raw.subarray(offset, offset + t.bytes);
            offset += t.bytes;
            const values: number[] = [];
            for (let j = 0; j < t.elementCount(); j++) values.push(tflite.readElement(t.type, chunk, 0, j));
            const real = t.scale ? values.map((v) => +tflite.dequantizeValue(t, v).toPrecision(7)) : values;
            lines.push(`${invokes > 1 ? `invoke ${k} ` : ""}output ${i} ${tflite.typeName(t.type)} [${t.shape.join(",")}]`);
            lines.push(`  raw:         ${values.join(" ")}`);
            if (t.scale) lines.push(`  dequantized: ${real.join(" ")}`);
            if (i === 0 && labels.length) {
                const top = real.indexOf(Math.max(...real));
                lines.push(`  top:         ${labels[top]} ${real[top]}`);
            }
        }
    }
    return lines.join("\n");
}

function parseRunArgs(args: string[]) {
    const res = { model: "", inputs: [] as string[], output: "", stride: 0 };
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        const value = () => {
            if (i + 1 >= args.length) throw new Error(`${a} needs a value\nusage:\n${RUN_USAGE}`);
            return args[++i];
        };
        if (a === "--input") res.inputs.push(value());
        else if (a === "--output") res.output = value();
        else if (a === "--stride") {
            res.stride = Number(value());
            if (!(res.stride > 0) || !Number.isInteger(res.stride)) throw new Error(`--stride needs a positive whole number of bytes`);
        } else if (a.startsWith("--")) throw new Error(`unknown option ${a}\nusage:\n${RUN_USAGE}`);
        else if (!res.model) res.model = a;
        else throw new Error(`unexpected argument ${a}\nusage:\n${RUN_USAGE}`);
    }
    if (!res.model) throw new Error(`run needs a model file\nusage:\n${RUN_USAGE}`);
    return res;
}

/** Why input `i`'s bytes do not fit the model's input `i`, with the --stride that streams them when that is what they look like. */
function inputSizeError(tflite: any, ip: any, i: number, file: string, got: number): string {
    const t = ip.input(i);
    const need = t.bytes;
    const text = `input ${i} (${file}) has ${got} bytes; the model's input ${i} (${tensorText(tflite, t)}) takes ${need} bytes per invoke`;
    if (i > 0 || got < need) return text;
    if (got % need === 0) return `${text}. The file holds ${got / need} whole inputs: to run one invoke on each, add --stride ${need}`;
    return `${text}. To run it as a stream of ${need}-byte windows, one invoke each, add --stride BYTES, the step from one window to the next (--stride ${need} for back-to-back windows)`;
}

/** Runs a model as `pxt-tinyml run ARGS` does: the printed outputs; warnings (bytes left out of a stream) go to `warn`. */
export function run(args: string[], warn: (line: string) => void = (line) => console.error(line)): string {
    const opts = parseRunArgs(args);
    const tflite = loadTflite();
    const model = readNamedFile(opts.model, "the model");
    const probe = new tflite.StsInterpreter(model);
    if (opts.inputs.length !== probe.inputCount())
        throw new Error(`the model has ${probe.inputCount()} input(s); got ${opts.inputs.length} --input file(s)`);
    const inputs = opts.inputs.map((f, i) => readNamedFile(f, `input ${i}`));
    inputs.forEach((bytes, i) => {
        // A stream's input 0 is checked below: any length of at least one window runs.
        if (i === 0 && opts.stride) return;
        if (bytes.length !== probe.input(i).bytes) throw new Error(inputSizeError(tflite, probe, i, opts.inputs[i], bytes.length));
    });
    if (opts.stride) {
        const window = probe.input(0).bytes;
        const length = inputs[0].length;
        if (length < window) throw new Error(`input 0 (${opts.inputs[0]}) has ${length} bytes, less than one window of ${window}`);
        // Windows start every `stride` bytes while a whole one fits; what is after the last is not run.
        const windows = Math.floor((length - window) / opts.stride) + 1;
        const end = (windows - 1) * opts.stride + window;
        if (end < length)
            warn(`warning: input 0 (${opts.inputs[0]}): the last ${length - end} of its ${length} bytes are not run, too few for another window ` +
                `(${windows} windows of ${window} bytes every ${opts.stride} end at byte ${end})`);
    }
    let labels: string[] = [];
    try {
        labels = metadataLabels(tflite, probe.model);
    } catch (e: any) {
        warn(`warning: the model's metadata cannot be read: ${typeof e === "string" ? e : e.message}`);
    }
    if (labels.length && labels.length !== probe.output(0).elementCount()) {
        warn(`warning: the model's metadata has ${labels.length} labels for the ${probe.output(0).elementCount()} values of output 0; they are not shown`);
        labels = [];
    }
    // tflite.Interpreter: the C loader and kernels when the native addon is built (node/native.ts).
    const { output, interpreter } = runRaw(model, inputs, opts.stride || null, "Interpreter");
    if (opts.output) fs.writeFileSync(opts.output, output);
    return formatOutputs(interpreter, output, labels) + `\ninvoke time: ${interpreter.lastInvokeMicros} us (last invoke), arena ${interpreter.arenaSize()} bytes`;
}

export async function main(argv: string[]): Promise<number> {
    const [cmd, ...rest] = argv;
    if (cmd === undefined) {
        console.error(USAGE);
        return 2;
    }
    if (cmd === "help" || HELP_FLAGS.includes(cmd)) {
        // `help run` is run's usage; `help` alone, all of it.
        const topic = rest[0];
        if (topic === undefined) console.log(USAGE);
        else if (COMMAND_USAGE.has(topic)) console.log(`usage:\n${COMMAND_USAGE.get(topic)!()}`);
        else {
            console.error(`error: no command ${topic}\n${USAGE}`);
            return 2;
        }
        return 0;
    }
    if (!COMMAND_USAGE.has(cmd)) {
        console.error(`error: unknown command ${cmd}\n${USAGE}`);
        return 2;
    }
    if (rest.some((a) => HELP_FLAGS.includes(a))) {
        console.log(`usage:\n${COMMAND_USAGE.get(cmd)!()}`);
        return 0;
    }
    try {
        if (cmd === "inspect") {
            if (rest.length !== 1) throw new Error(`inspect takes one model file\nusage:\n${INSPECT_USAGE}`);
            console.log(inspect(rest[0]));
        }
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
        return 0;
    } catch (e: any) {
        // Interpreter errors are thrown as "tflite: ..." strings; Node errors as Error objects.
        console.error(`error: ${typeof e === "string" ? e : e.message}`);
        return 1;
    }
}

/** Runs the command line on this process's arguments, then exits with its status: bin/pxt-tinyml.js, or `node built/tools/cli.js`. */
export function runFromCommandLine(): void {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err) => { console.error(String(err && err.message || err)); process.exit(1); });
}

if (require.main === module) runFromCommandLine();
