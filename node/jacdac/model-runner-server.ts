/**
 * Jacdac Model Runner server (service 0x140f9a78) running .tflite models with this project's
 * tflite.Interpreter: in Node the micro:bit's C loader and kernels through the native addon when it
 * is built, else the STS interpreter the MakeCode simulator runs (node/native.ts); the same bytes.
 *
 * - `set_model` (command 0x80, u32 size): opens a pipe and answers with its port; the model's
 *   bytes come over it. When the pipe closes the model is loaded (parsed, kernels prepared, arena
 *   planned). As a device erases its flash before writing a new model, the previous model is gone
 *   once a new one starts coming in. A model that cannot load leaves no model and says why in
 *   `last_error` (the interpreter's own message: "tflite: corrupt model: ...").
 * - `predict` (command 0x81, the client's pipe): answers with the port of an input pipe. Each time
 *   a whole input's worth of bytes has arrived (the raw little-endian bytes of every input tensor,
 *   in order, as the CLI's --input files), the model runs and the raw bytes of every output
 *   tensor, in order, go back over the client's pipe, as the CLI's --output file. One pipe can
 *   carry many invokes: a stream. Closing the input pipe closes the output pipe. Variable tensors
 *   (SVDF state) are reset when a predict pipe opens, so a stream starts as a fresh interpreter.
 * - `auto_invoke_every` (rw u16): with a Sensor Aggregator on the same device, N > 0 runs the
 *   model on the aggregator's window every N new samples (once the window is full). The window is
 *   sized to the model: `samples_in_window` = input elements / values per sample. The float
 *   values are normalized when the model's metadata says how (see gesture-metadata.ts), then
 *   quantized to the input's type; `outputs` gets output 0 as float32 (dequantized) and is sent
 *   as a report after each run.
 * - Registers: `outputs`, `input_shape` and `output_shape` (of input 0 and output 0, u16 each),
 *   `last_run_time` (us), `allocated_arena_size`, `model_size`, `last_error`, `format` (TFLite),
 *   `format_version` (the TFLite schema version read), `parallel` (false: invokes run one at a
 *   time on the JavaScript thread).
 */
import {
    CHANGE, JDServiceServer, JD_SERIAL_MAX_PAYLOAD_SIZE, JDRegisterServer, ModelRunnerCmd,
    ModelRunnerModelFormat, ModelRunnerReg, OutPipe, Packet, SRV_MODEL_RUNNER,
} from "jacdac-ts";
import { loadTflite } from "../sts-runtime";
import { ServerInPipe } from "./pipes";
import { SensorAggregatorServer } from "./sensor-aggregator-server";
import { InputNormalization, readInputNormalization } from "./gesture-metadata";

/** The TFLite flatbuffer schema version the interpreter reads. */
export const TFLITE_SCHEMA_VERSION = 3;
/** Largest model accepted over `set_model` by default (person_detect is 300 KB). */
export const DEFAULT_MAX_MODEL_BYTES = 8 * 1024 * 1024;
/** Floats that fit in one report: the `outputs` register holds at most this many. */
export const MAX_OUTPUT_VALUES = Math.floor(JD_SERIAL_MAX_PAYLOAD_SIZE / 4);
/**
 * Emitted by the runner once a model is loaded and every register says so. (A register's CHANGE
 * comes while the others still hold the previous model's values: `model_size` changes before
 * `allocated_arena_size` is set.)
 */
export const MODEL_LOADED = "modelLoaded";

export interface ModelRunnerOptions {
    instanceName?: string;
    /** The aggregator whose window auto-invoke runs the model on. */
    aggregator?: SensorAggregatorServer;
    maxModelBytes?: number;
}

/** The text of something thrown: the interpreter throws "tflite: ..." strings, Node throws Errors. */
export function errorText(e: unknown): string {
    if (typeof e === "string") return e;
    if (e instanceof Error) return e.message;
    return String(e);
}

function u16Array(values: number[]): Uint8Array {
    const b = Buffer.alloc(values.length * 2);
    values.forEach((v, i) => b.writeUInt16LE(v, i * 2));
    return new Uint8Array(b);
}

function float32Array(values: ArrayLike<number>): Uint8Array {
    const b = Buffer.alloc(values.length * 4);
    for (let i = 0; i < values.length; i++) b.writeFloatLE(values[i], i * 4);
    return new Uint8Array(b);
}

/** Sets a register's raw bytes, with a CHANGE event when they differ (as setValues does for packed values). */
function setData(reg: JDRegisterServer<any>, data: Uint8Array): void {
    const old = reg.data;
    if (old && old.length === data.length && old.every((v, i) => v === data[i])) return;
    reg.data = data;
    reg.emit(CHANGE);
}

export class ModelRunnerServer extends JDServiceServer {
    readonly autoInvokeEvery: JDRegisterServer<[number]>;
    readonly outputs: JDRegisterServer<any>;
    readonly inputShape: JDRegisterServer<any>;
    readonly outputShape: JDRegisterServer<any>;
    readonly lastRunTime: JDRegisterServer<[number]>;
    readonly allocatedArenaSize: JDRegisterServer<[number]>;
    readonly modelSize: JDRegisterServer<[number]>;
    readonly lastError: JDRegisterServer<[string]>;
    readonly format: JDRegisterServer<[number]>;
    readonly formatVersion: JDRegisterServer<[number]>;
    readonly parallel: JDRegisterServer<[boolean]>;

    /** The loaded model's `tflite.Interpreter` (node/native.ts: the C or the STS), or null. */
    interpreter: any = null;
    /** How auto-invoke turns the aggregator's values into the model's (from the model's metadata), or null. */
    normalization: InputNormalization | null = null;
    readonly aggregator: SensorAggregatorServer | undefined;
    /** Largest model `set_model` accepts. */
    maxModelBytes: number;
    private modelPipe: ServerInPipe | undefined;
    private samplesSinceRun = 0;
    /** Why the aggregator's samples cannot fill the model's input ("" when they can). */
    private windowError = "";

    constructor(options: ModelRunnerOptions = {}) {
        super(SRV_MODEL_RUNNER, { instanceName: options.instanceName });
        this.aggregator = options.aggregator;
        this.maxModelBytes = options.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES;
        this.autoInvokeEvery = this.addRegister<[number]>(ModelRunnerReg.AutoInvokeEvery, [0]);
        // Repeated fields pack from a list of rows: [[]] is no values.
        this.outputs = this.addRegister(ModelRunnerReg.Outputs, [[]]);
        this.inputShape = this.addRegister(ModelRunnerReg.InputShape, [[]]);
        this.outputShape = this.addRegister(ModelRunnerReg.OutputShape, [[]]);
        this.lastRunTime = this.addRegister<[number]>(ModelRunnerReg.LastRunTime, [0]);
        this.allocatedArenaSize = this.addRegister<[number]>(ModelRunnerReg.AllocatedArenaSize, [0]);
        this.modelSize = this.addRegister<[number]>(ModelRunnerReg.ModelSize, [0]);
        this.lastError = this.addRegister<[string]>(ModelRunnerReg.LastError, ["no model"]);
        this.format = this.addRegister<[number]>(ModelRunnerReg.Format, [ModelRunnerModelFormat.TFLite]);
        this.formatVersion = this.addRegister<[number]>(ModelRunnerReg.FormatVersion, [TFLITE_SCHEMA_VERSION]);
        this.parallel = this.addRegister<[boolean]>(ModelRunnerReg.Parallel, [false]);

        this.addCommand(ModelRunnerCmd.SetModel, (pkt) => this.handleSetModel(pkt));
        this.addCommand(ModelRunnerCmd.Predict, (pkt) => this.handlePredict(pkt));
        if (this.aggregator) {
            this.aggregator.onSample(() => this.handleSample());
            this.aggregator.onConfigure(() => this.syncWindow());
        }
        this.autoInvokeEvery.on(CHANGE, () => { this.samplesSinceRun = 0; });
    }

    private setError(message: string): void {
        this.lastError.setValues([message]);
    }

    private get deviceBus() {
        const bus = this.device?.bus;
        if (!bus) throw new Error("the model runner is not on a bus");
        return bus;
    }

    private reply(command: number, port: number): void {
        this.sendPacketAsync(Packet.jdpacked(command, "u16", [port])).catch(() => { });
    }

    private handleSetModel(pkt: Packet): void {
        const [size] = pkt.jdunpack<[number]>("u32");
        this.modelPipe?.close();
        this.modelPipe = undefined;
        if (size > this.maxModelBytes) {
            this.setError(`set_model: a model of ${size} bytes is larger than the ${this.maxModelBytes} bytes this runner accepts`);
            this.reply(ModelRunnerCmd.SetModel, 0);
            return;
        }
        // As a device erases its flash: the old model is gone from here on.
        this.unloadModel();
        this.setError("");
        const model = Buffer.alloc(size);
        let received = 0;
        let overflow = false;
        const pipe = new ServerInPipe(this.deviceBus, this.device.deviceId, (data) => {
            if (received + data.length > size) overflow = true;
            else Buffer.from(data.buffer, data.byteOffset, data.length).copy(model, received);
            received += data.length;
        }, () => {
            if (this.modelPipe !== pipe) return;
            this.modelPipe = undefined;
            if (overflow) this.setError(`set_model: ${received} bytes came over the pipe, more than the ${size} declared`);
            else if (received < size) this.setError(`set_model: the pipe closed after ${received} of the ${size} bytes declared`);
            else this.loadModel(model);
        });
        this.modelPipe = pipe;
        this.reply(ModelRunnerCmd.SetModel, pipe.port);
    }

    /** Loads a model as set_model does once all its bytes are in; false (and last_error) when it cannot. */
    loadModel(model: Buffer): boolean {
        this.unloadModel();
        try {
            // The identifier "TFL3" is at byte 4 of a .tflite flatbuffer (the `format` register's value).
            if (model.length < 8 || model.readUInt32LE(4) !== ModelRunnerModelFormat.TFLite)
                throw `not a TFLite model: the bytes at 4..7 are ${model.length < 8 ? "missing" : `0x${model.subarray(4, 8).toString("hex")}`}, not the identifier "TFL3"`;
            const tflite = loadTflite();
            // tflite.Interpreter: in Node the C loader and kernels when the native addon is built
            // (node/native.ts); the STS otherwise, and for the messages of models it refuses.
            const ip = new tflite.Interpreter(model);
            if (ip.inputCount() < 1 || ip.outputCount() < 1)
                throw `unsupported model: ${ip.inputCount()} inputs and ${ip.outputCount()} outputs`;
            this.normalization = readInputNormalization(model);
            this.interpreter = ip;
        } catch (e) {
            this.unloadModel();
            this.setError(errorText(e));
            return false;
        }
        const ip = this.interpreter;
        this.modelSize.setValues([model.length]);
        this.allocatedArenaSize.setValues([ip.arenaSize()]);
        setData(this.inputShape, u16Array(ip.inputShape(0)));
        setData(this.outputShape, u16Array(ip.outputShape(0)));
        this.setError("");
        this.syncWindow();
        this.emit(MODEL_LOADED);
        return true;
    }

    private unloadModel(): void {
        this.interpreter = null;
        this.normalization = null;
        this.windowError = "";
        this.modelSize.setValues([0]);
        this.allocatedArenaSize.setValues([0]);
        this.lastRunTime.setValues([0]);
        for (const r of [this.outputs, this.inputShape, this.outputShape]) setData(r, new Uint8Array(0));
    }

    /** Sizes the aggregator's window to the model's input 0. */
    private syncWindow(): void {
        const agg = this.aggregator;
        const ip = this.interpreter;
        const hadError = this.windowError;
        this.windowError = "";
        if (agg && ip && agg.valuesPerSample > 0) {
            const elements = ip.input(0).elementCount();
            const perSample = agg.valuesPerSample;
            if (elements % perSample)
                this.windowError = `auto-invoke: the model's input of ${elements} values is not a whole number of the aggregator's ${perSample}-value samples`;
            else agg.setSamplesInWindow(elements / perSample);
        }
        this.samplesSinceRun = 0;
        if (this.windowError) this.setError(this.windowError);
        else if (hadError && this.lastError.values()[0] === hadError) this.setError("");
    }

    private handleSample(): void {
        this.samplesSinceRun++;
        const [every] = this.autoInvokeEvery.values();
        const agg = this.aggregator;
        if (!every || !agg || !this.interpreter || this.windowError || !agg.windowFull) return;
        if (this.samplesSinceRun < every) return;
        this.samplesSinceRun = 0;
        this.runOnWindow(agg.windowValues());
    }

    /** Runs the model on real values (normalized as the model's metadata says, then quantized) and reports `outputs`. */
    runOnWindow(values: ArrayLike<number>): boolean {
        const ip = this.interpreter;
        if (!ip) return false;
        const input: number[] = new Array(values.length);
        const norm = this.normalization;
        for (let i = 0; i < values.length; i++)
            input[i] = norm ? (values[i] - norm.offset[i % norm.offset.length]) * norm.scale[i % norm.scale.length] : values[i];
        try {
            ip.setInput(0, input);
            ip.invoke();
        } catch (e) {
            this.setError(errorText(e));
            return false;
        }
        this.reportOutputs();
        return true;
    }

    private reportOutputs(): void {
        const ip = this.interpreter;
        this.lastRunTime.setValues([Math.round(ip.lastInvokeMicros)]);
        const values: number[] = ip.outputValues(0);
        setData(this.outputs, float32Array(values.slice(0, MAX_OUTPUT_VALUES)));
        this.outputs.sendGetAsync().catch(() => { });
    }

    private handlePredict(pkt: Packet): void {
        const bus = this.deviceBus;
        const out = OutPipe.from(bus, pkt, true);
        const ip = this.interpreter;
        if (!ip) {
            this.setError("predict: no model");
            this.reply(ModelRunnerCmd.Predict, 0);
            out.close().catch(() => { });
            return;
        }
        ip.resetState();
        const inputBytes: number[] = [];
        for (let i = 0; i < ip.inputCount(); i++) inputBytes.push(ip.input(i).bytes);
        const perInvoke = inputBytes.reduce((a, b) => a + b, 0);
        let pending = Buffer.alloc(0);
        let sending: Promise<void> = Promise.resolve();
        let failed = false;
        const send = (work: () => Promise<void>) => {
            sending = sending.then(work).catch(() => {
                // The client is gone: stop listening.
                failed = true;
                pipe.close();
            });
        };
        const pipe = new ServerInPipe(bus, this.device.deviceId, (data) => {
            if (failed) return;
            pending = Buffer.concat([pending, data]);
            while (pending.length >= perInvoke) {
                if (this.interpreter !== ip) {
                    this.setError("predict: the model changed while predicting");
                    failed = true;
                    pipe.close();
                    send(() => out.close());
                    return;
                }
                let off = 0;
                try {
                    for (let i = 0; i < inputBytes.length; i++) {
                        ip.setInputBytes(i, pending, off);
                        off += inputBytes[i];
                    }
                    ip.invoke();
                } catch (e) {
                    this.setError(`predict: ${errorText(e)}`);
                    failed = true;
                    pipe.close();
                    send(() => out.close());
                    return;
                }
                pending = pending.subarray(perInvoke);
                const outputs: Buffer[] = [];
                for (let i = 0; i < ip.outputCount(); i++) outputs.push(Buffer.from(ip.outputBytes(i)));
                const result = Buffer.concat(outputs);
                this.reportOutputs();
                send(() => out.sendBytes(result));
            }
        }, () => {
            if (pending.length) this.setError(`predict: the input pipe closed with ${pending.length} bytes left, not a whole input of ${perInvoke}`);
            send(() => out.close());
        });
        this.reply(ModelRunnerCmd.Predict, pipe.port);
    }
}
