// The Jacdac Model Runner and Sensor Aggregator servers, driven by jacdac-ts's own clients
// (ModelRunnerClient, SensorAggregatorClient, its pipes and transports) on an in-process bus.
import * as assert from "assert";
import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import * as v8 from "v8";
import * as vm from "vm";
import * as jd from "jacdac-ts";
import { caseName, conformanceCases, runRaw, sharedPath, SHARED } from "../node/conformance";
import { loadTflite } from "../node/sts-runtime";
import { addModelHost, addRecordingAccelerometer, isOwnPageOrigin, ModelHost, startJacdacHost } from "../node/jacdac/host";
import { loadJacdacTsClients, ModelRunnerClient, SensorAggregatorClient } from "../node/jacdac/jacdac-ts-clients";
import { predictOverJacdac } from "../node/jacdac/predict";
import { AccelerometerRecording } from "../node/jacdac/recording-accelerometer";
import { VirtualScheduler } from "../node/jacdac/virtual-scheduler";
import { loadCreateAiDataset, splitByRecording } from "../node/gesture-data";
import { BUILTIN } from "../node/gesture-model";

const TFLM = path.join(SHARED, "models", "tflm");
/** The built-in gesture model (tools/train-gesture.ts). */
const GESTURE_MODEL = path.join(__dirname, "..", "..", BUILTIN.modelFile);
const tfliteModels = fs.readdirSync(TFLM).filter((f) => f.endsWith(".tflite")).sort();
const readModel = (name: string) => fs.readFileSync(path.join(TFLM, name));

/** The i12.20 fixed point of the accelerometer's `forces`: what a reading of `g` carries. */
const i12_20 = (g: number) => Math.round(g * (1 << 20)) / (1 << 20);

/** The recordings of a CreateAI dataset, each labelled with its action's name. */
function createAiRecordings(file: string): { label: string; recording: AccelerometerRecording }[] {
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    const actions: any[] = Array.isArray(json) ? json : json.data || json.actions;
    const res: { label: string; recording: AccelerometerRecording }[] = [];
    for (const a of actions)
        for (const r of a.recordings) res.push({ label: a.name.trim(), recording: { periodMs: 20, x: r.data.x, y: r.data.y, z: r.data.z } });
    return res;
}

/** An in-process bus on virtual time with the model host on it, and jacdac-ts's clients of its services. */
class Rig {
    readonly clock = new VirtualScheduler();
    readonly bus = new jd.JDBus([], { scheduler: this.clock, disableRoleManager: true });
    readonly host: ModelHost = addModelHost(this.bus);
    runner!: ModelRunnerClient;
    aggregator!: SensorAggregatorClient;

    async start(): Promise<this> {
        // Devices announce every 500 ms.
        await this.clock.advance(1000);
        const { ModelRunnerClient, SensorAggregatorClient } = loadJacdacTsClients();
        const [runner] = this.bus.services({ serviceClass: jd.SRV_MODEL_RUNNER });
        const [aggregator] = this.bus.services({ serviceClass: jd.SRV_SENSOR_AGGREGATOR });
        assert.ok(runner && aggregator, "the host device announced its services");
        this.runner = new ModelRunnerClient(runner);
        this.aggregator = new SensorAggregatorClient(aggregator);
        return this;
    }

    async register(code: number): Promise<jd.JDRegister> {
        const reg = this.runner.service.register(code) as jd.JDRegister;
        await reg.refresh();
        return reg;
    }

    async stop(): Promise<void> {
        this.bus.clearServiceProviders();
        await this.bus.dispose();
    }
}

describe("Jacdac model runner and sensor aggregator", function () {
    let rig: Rig;

    before(async () => {
        rig = await new Rig().start();
    });

    after(async () => {
        await rig.stop();
    });

    it("announces both services; format is TFLite, no model yet", async () => {
        const format = await rig.register(jd.ModelRunnerReg.Format);
        assert.strictEqual(format.uintValue, 0x334c4654);
        assert.strictEqual((await rig.register(jd.ModelRunnerReg.FormatVersion)).uintValue, 3);
        assert.strictEqual((await rig.register(jd.ModelRunnerReg.Parallel)).boolValue, false);
        assert.strictEqual((await rig.register(jd.ModelRunnerReg.AutoInvokeEvery)).uintValue, 0);
        assert.deepStrictEqual(await rig.runner.modelStats(),
            { modelSize: 0, arenaSize: 0, inputShape: [], outputShape: [], lastError: "no model" });
        assert.ok(await rig.runner.isModelSupported(readModel("hello_world_int8.tflite")));
        assert.ok(!(await rig.runner.isModelSupported(Buffer.from("not a model at all"))));
    });

    it("deploys every model of ../shared/models/tflm through the pipe and reports its shapes, arena and size", async () => {
        const tflite = loadTflite();
        for (const name of tfliteModels) {
            const bytes = readModel(name);
            const progress: number[] = [];
            await rig.runner.deployModel(bytes, (p) => progress.push(p));
            const direct = new tflite.StsInterpreter(bytes);
            const stats = await rig.runner.modelStats();
            assert.deepStrictEqual(stats, {
                modelSize: bytes.length,
                arenaSize: direct.arenaBytes,
                inputShape: direct.inputShape(0),
                outputShape: direct.outputShape(0),
                lastError: "",
            }, name);
            assert.strictEqual(progress[progress.length - 1], 1, `${name}: the deploy finished`);
            assert.ok(stats.arenaSize > 0, name);
        }
    });

    it("names the problem of a truncated, corrupted or foreign model in last_error and keeps serving", async () => {
        const good = readModel("magic_wand.tflite");
        const smashed = Buffer.from(good);
        smashed.fill(0xff, 200, 400);
        const cases: [string, Buffer, RegExp][] = [
            ["truncated", good.subarray(0, good.length >> 1), /^tflite: corrupt model: .* is outside the 9808-byte file$/],
            ["corrupted", smashed, /^tflite: corrupt model: bad vtable at byte \d+$/],
            ["root offset", Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0x7f]), good.subarray(4)]), /^tflite: corrupt model: table at byte 2147483647 is outside the 19616-byte file$/],
            ["not TFLite", Buffer.from("# a text file, not a model\n"), /^not a TFLite model: the bytes at 4\.\.7 are 0x74657874, not the identifier "TFL3"$/],
        ];
        for (const [what, bytes, error] of cases) {
            await rig.runner.deployModel(bytes);
            const stats = await rig.runner.modelStats();
            assert.match(stats.lastError, error, what);
            assert.deepStrictEqual([stats.modelSize, stats.arenaSize, stats.inputShape, stats.outputShape], [0, 0, [], []], what);
            await assert.rejects(predictOverJacdac(rig.runner.service, Buffer.from([0])), /opened no input pipe/, what);
            assert.strictEqual((await rig.runner.modelStats()).lastError, "predict: no model");
        }
        // Larger than the runner takes: refused before any byte is sent.
        rig.host.runner.maxModelBytes = 1000;
        await assert.rejects(rig.runner.deployModel(good), /wrong port 0/);
        assert.strictEqual((await rig.runner.modelStats()).lastError,
            "set_model: a model of 19616 bytes is larger than the 1000 bytes this runner accepts");
        rig.host.runner.maxModelBytes = 1 << 23;
        // Still serving: a good model deploys and runs.
        await rig.runner.deployModel(readModel("hello_world_int8.tflite"));
        assert.strictEqual((await rig.runner.modelStats()).lastError, "");
        const out = await predictOverJacdac(rig.runner.service, Buffer.from([0]));
        assert.deepStrictEqual(Buffer.from(out), runRaw(readModel("hello_world_int8.tflite"), [Buffer.from([0])]).output);
    });

    it("predicts byte for byte as the CLI's run and TFLM's goldens, every conformance case", async () => {
        let deployed = "";
        let invokes = 0;
        for (const c of conformanceCases()) {
            const model = fs.readFileSync(sharedPath(c.model));
            if (deployed !== c.model) {
                await rig.runner.deployModel(model);
                deployed = c.model;
            }
            const inputs = c.inputs.map((f) => fs.readFileSync(sharedPath(f)));
            // A streamed case sends every window of input 0 down one predict pipe.
            const perInvoke: Buffer[] = [];
            if (c.stream_stride_bytes) {
                const window = rig.host.runner.interpreter.input(0).bytes;
                for (let off = 0; off + window <= inputs[0].length; off += c.stream_stride_bytes)
                    perInvoke.push(inputs[0].subarray(off, off + window), ...inputs.slice(1));
            } else perInvoke.push(...inputs);
            const viaJacdac = Buffer.from(await predictOverJacdac(rig.runner.service, Buffer.concat(perInvoke)));
            const cli = runRaw(model, inputs, c.stream_stride_bytes).output;
            const golden = fs.readFileSync(sharedPath(c.output));
            assert.ok(viaJacdac.equals(cli), `${caseName(c)}: Jacdac and the CLI differ`);
            assert.ok(viaJacdac.equals(golden), `${caseName(c)}: Jacdac and TFLM's golden differ`);
            invokes += c.stream_stride_bytes ? perInvoke.length / c.inputs.length : 1;
        }
        assert.ok(invokes > 300, `${invokes} invokes`);
        // The outputs register follows predictions: the last case's output 0, dequantized.
        const last = rig.host.runner.interpreter;
        const reg = await rig.register(jd.ModelRunnerReg.Outputs);
        assert.deepStrictEqual(jd.bufferToArray(reg.data, jd.NumberFormat.Float32LE), last.outputValues(0).map(Math.fround));
        assert.ok((await rig.register(jd.ModelRunnerReg.LastRunTime)).uintValue > 0);
    });

    it("runs 1,000 predictions in a row without the heap growing", async () => {
        v8.setFlagsFromString("--expose-gc");
        const gc: () => void = vm.runInNewContext("gc");
        const model = readModel("hello_world_int8.tflite");
        await rig.runner.deployModel(model);
        const expected: Buffer[] = [];
        for (let q = 0; q < 256; q++) expected.push(runRaw(model, [Buffer.from([q])]).output);
        let done = 0;
        const predict = async (n: number) => {
            for (let i = 0; i < n; i++, done++) {
                const q = (done * 37) & 0xff;
                const out = await predictOverJacdac(rig.runner.service, Buffer.from([q]), 1000);
                if (!expected[q].equals(Buffer.from(out))) assert.fail(`prediction ${done} (input ${q}) differs from the CLI's`);
                // The bus's clock moves on, so its timers (ack and response timeouts) run out as on a real bus.
                await rig.clock.advance(20);
            }
        };
        // Objects that live on: V8's old generation, after full collections (the young one is empty then).
        const retained = () => {
            gc();
            gc();
            return v8.getHeapSpaceStatistics()
                .filter((s) => s.space_name === "old_space" || s.space_name === "large_object_space")
                .reduce((n, s) => n + s.space_used_size, 0);
        };
        // Warm up until the steady state: jacdac-ts's table of the client's 511 pipe ports fills
        // (a new port per prediction, drawn at random) and V8's inline caches settle.
        await predict(2000);
        const before = retained();
        await predict(1000);
        const after = retained();
        assert.strictEqual(done, 3000);
        // A leak of one small object per prediction (a packet is some 200 bytes) would pass this.
        const growth = after - before;
        assert.ok(growth < 128 * 1024, `the old generation grew ${growth} bytes over 1,000 predictions`);
    });

    it("collects jacdac-ts's simulated accelerometer into samples at the sampling interval", async () => {
        const definition = jd.serviceProviderDefinitionFromServiceClass(jd.SRV_ACCELEROMETER);
        const provider = jd.addServiceProvider(rig.bus, definition);
        try {
            const accelerometer = provider.service(1) as jd.SensorServer<[number, number, number]>;
            assert.strictEqual(accelerometer.constructor.name, "AccelerometerServer");
            await rig.clock.advance(1000);
            await rig.aggregator.setInputs({ samplingInterval: 20, samplesInWindow: 10, inputs: [{ serviceClass: jd.SRV_ACCELEROMETER }] });
            assert.strictEqual(rig.host.aggregator.boundInputs(), 1);
            accelerometer.reading.setValues([0.25, -0.5, 1]);
            const streamed: number[][] = [];
            rig.aggregator.subscribeSample((s) => { if (s.length) streamed.push(s); });
            await rig.aggregator.collect(5);
            const start = rig.clock.timestamp;
            await rig.clock.advance(2000);
            const stats = await rig.aggregator.stats();
            assert.strictEqual(stats.sampleSize, 12);
            // jacdac-ts's simulated sensors stream every 50 ms at best: the samples between readings hold the last one.
            const expected = (rig.clock.timestamp - start) / 20;
            assert.ok(Math.abs(stats.numSamples - expected) <= 3, `${stats.numSamples} samples in ${rig.clock.timestamp - start} ms`);
            assert.deepStrictEqual(streamed, [[0.25, -0.5, 1], [0.25, -0.5, 1], [0.25, -0.5, 1], [0.25, -0.5, 1], [0.25, -0.5, 1]]);
            assert.deepStrictEqual(Array.from(rig.host.aggregator.windowValues()), new Array(10).fill([0.25, -0.5, 1]).flat());
        } finally {
            rig.bus.removeServiceProvider(provider);
        }
    });

    it("auto-invokes magic_wand on the aggregated window of a recording, as the interpreter does on the same samples", async () => {
        // magic_wand takes 128 accelerometer samples x, y, z at 25 Hz: 40 ms apart.
        const model = readModel("magic_wand.tflite");
        const [{ recording }] = createAiRecordings(path.join(SHARED, "gestures", "createai", "shake-still-circle-legacy.json"));
        const accelerometer = addRecordingAccelerometer(rig.bus, recording, true);
        try {
            await rig.clock.advance(1000);
            await rig.runner.deployModel(model);
            await rig.aggregator.setInputs({ samplingInterval: 40, samplesInWindow: 1, inputs: [{ serviceClass: jd.SRV_ACCELEROMETER }] });
            // The runner sized the window to the model: 384 values / 3 per sample.
            assert.strictEqual(rig.host.aggregator.samplesInWindow, 128);
            // Every sample the aggregator takes, streamed to its client, and every run's outputs.
            const samples: number[][] = [];
            const runs: { outputs: number[]; samples: number }[] = [];
            const unsubscribe = [
                rig.aggregator.subscribeSample((s) => { if (s.length) samples.push(s); }),
                rig.runner.subscribeResults((outputs) => runs.push({ outputs, samples: samples.length })),
            ];
            await rig.aggregator.collect(1000);
            await rig.runner.autoInvoke(16);
            await rig.clock.advance(128 * 40 + 4 * 16 * 40 + 20);
            unsubscribe.forEach((u) => u());
            assert.strictEqual(runs.length, 5, `${runs.length} runs`);
            // The samples are the recording's, every other one (40 ms of 20 ms samples, looping), as
            // i12.20 readings in g; the very first may be a reading polled before streaming began.
            const n = recording.x.length;
            const recorded = (i: number) => [recording.x[i % n], recording.y[i % n], recording.z[i % n]].map((g) => Math.fround(i12_20(g)));
            const streamed = samples.slice(1);
            const first = recording.x.findIndex((_, i) => streamed.every((s, k) => recorded(i + 2 * k).every((v, a) => v === s[a])));
            assert.ok(first >= 0, "the samples are the recording's, every other one");
            const tflite = loadTflite();
            const direct = new tflite.StsInterpreter(model);
            for (const run of runs) {
                assert.ok(run.samples >= 128, `a run after ${run.samples} samples`);
                direct.setInput(0, samples.slice(run.samples - 128, run.samples).flat());
                direct.invoke();
                assert.deepStrictEqual(run.outputs, direct.outputValues(0).map(Math.fround));
            }
            assert.deepStrictEqual(runs.map((r) => r.samples - runs[0].samples), [0, 16, 32, 48, 64]);
        } finally {
            await rig.runner.autoInvoke(0);
            accelerometer.stop();
            rig.bus.removeServiceProvider(accelerometer.device);
        }
    });

    it("auto-invokes the gesture model on held-out recordings played by a simulated accelerometer and reports their gestures", async () => {
        const model = fs.readFileSync(GESTURE_MODEL);
        // The model's metadata, read by the STS library as the board reads it.
        const tflite = loadTflite();
        const direct = new tflite.StsInterpreter(model);
        const md = tflite.modelMetadata(direct.model);
        const labels: string[] = tflite.metadataValues(md, "label");
        const periodMs: number = tflite.metadataNumber(md, "sample_period_ms", 0);
        const windowSamples: number = tflite.metadataNumber(md, "window_samples", 0);
        const offset: number[] = tflite.metadataNumbers(md, "offset");
        const scale: number[] = tflite.metadataNumbers(md, "scale");
        assert.ok(labels.length >= 2 && periodMs > 0 && windowSamples > 0 && offset.length === 3 && scale.length === 3);
        // The recordings the model never saw in training: its held-out split.
        const ds = loadCreateAiDataset(sharedPath(BUILTIN.dataset));
        assert.deepStrictEqual(labels, ds.labels);
        const heldOut = splitByRecording(ds, BUILTIN.testFraction, BUILTIN.seed).test;

        const first = heldOut[0];
        const accelerometer = addRecordingAccelerometer(rig.bus, { periodMs: 20, x: first.x, y: first.y, z: first.z }, false);
        try {
            await rig.clock.advance(1000);
            await rig.runner.deployModel(model);
            // Configured as the metadata says; runs every 250 ms of samples, as CreateAI's extension.
            await rig.aggregator.setInputs({ samplingInterval: periodMs, samplesInWindow: windowSamples, inputs: [{ serviceClass: jd.SRV_ACCELEROMETER }] });
            assert.strictEqual(rig.host.aggregator.samplesInWindow, windowSamples);
            const every = Math.round(250 / periodMs);
            const samples: { t: number; values: number[] }[] = [];
            const runs: { outputs: number[]; samples: number }[] = [];
            const unsubscribe = [
                rig.aggregator.subscribeSample((s) => { if (s.length) samples.push({ t: rig.clock.timestamp, values: s }); }),
                rig.runner.subscribeResults((outputs) => runs.push({ outputs, samples: samples.length })),
            ];
            // Readings the sensor sent before collection began are not samples.
            const readingsBefore = accelerometer.readingsSent;
            await rig.aggregator.collect(100000);
            await rig.runner.autoInvoke(every);
            const confusion = labels.map(() => labels.map(() => 0));
            let windows = 0;
            for (const r of heldOut) {
                const start = rig.clock.timestamp;
                const firstRun = runs.length;
                accelerometer.play({ periodMs: 20, x: r.x, y: r.y, z: r.z });
                await rig.clock.advance(r.x.length * 20);
                // The runs whose whole window is this recording: their mean is the gesture, as the pipeline smooths.
                const inside = runs.slice(firstRun).filter((run) => run.samples >= windowSamples && samples[run.samples - windowSamples].t > start);
                assert.ok(inside.length > 0, "the recording is longer than a window");
                const mean = labels.map((_, i) => inside.reduce((sum, run) => sum + run.outputs[i], 0) / inside.length);
                confusion[r.label][mean.indexOf(Math.max(...mean))]++;
                windows += inside.length;
                // Each run is the model on the normalized window of samples, to the bit.
                for (const run of inside) {
                    const window = samples.slice(run.samples - windowSamples, run.samples).map((s) => s.values);
                    direct.setInput(0, window.flat().map((v, i) => (v - offset[i % 3]) * scale[i % 3]));
                    direct.invoke();
                    assert.deepStrictEqual(run.outputs, direct.outputValues(0).map(Math.fround));
                }
            }
            unsubscribe.forEach((u) => u());
            const correct = labels.reduce((n, _, i) => n + confusion[i][i], 0);
            const table = confusion.map((row, i) => `${labels[i]}: ${row.join(" ")}`).join("\n");
            // The model's own held-out accuracy is at least 95% (tools/gesture-bench.ts).
            assert.ok(correct >= 0.9 * heldOut.length, `${correct} of ${heldOut.length} held-out recordings right\n${table}`);
            // Every gesture is recognized on most of its recordings.
            confusion.forEach((row, i) => assert.ok(2 * row[i] > row.reduce((a, b) => a + b, 0), `${labels[i]}: ${row.join(" ")}`));
            assert.ok(windows >= 2 * heldOut.length);
            // One reading per sample: the sensor's streaming clock stayed single through the aggregator's renewals of streaming_samples.
            const readings = accelerometer.readingsSent - readingsBefore;
            assert.ok(samples.length > 1000 && Math.abs(readings - samples.length) <= 2, `${readings} readings for ${samples.length} samples`);
        } finally {
            await rig.runner.autoInvoke(0);
            accelerometer.stop();
            rig.bus.removeServiceProvider(accelerometer.device);
        }
    });

    it("serves other processes: a jacdac-ts bus over TCP, and over WebSocket in child processes, one as its own page", async function () {
        this.timeout(30000);
        const logged: string[] = [];
        const host = await startJacdacHost({ wsPort: 0, tcpPort: 0, log: (line) => logged.push(line) });
        // jacdac-ts's clients leave timeout timers armed after the answers came (deployModel's 3 s
        // wait for the pipe's port); unreferenced, they do not keep mocha running once the tests are done.
        const scheduler = new jd.WallClockScheduler();
        const setTimeoutRef = scheduler.setTimeout.bind(scheduler);
        scheduler.setTimeout = (handler, delay, ...args) => {
            const t = setTimeoutRef(handler, delay, ...args);
            t.unref();
            return t;
        };
        const client = new jd.JDBus([jd.createNodeSocketTransport(host.tcpPort)], { disableRoleManager: true, scheduler });
        try {
            await client.connect();
            let runner: jd.JDService | undefined;
            for (let i = 0; i < 50 && !runner; i++) {
                await client.delay(100);
                [runner] = client.services({ serviceClass: jd.SRV_MODEL_RUNNER });
            }
            assert.ok(runner, "the model runner shows up on the TCP client's bus");
            const { ModelRunnerClient } = loadJacdacTsClients();
            const rc = new ModelRunnerClient(runner);
            const model = readModel("micro_speech_quantized.tflite");
            await rc.deployModel(model);
            const stats = await rc.modelStats();
            assert.deepStrictEqual([stats.modelSize, stats.arenaSize], [model.length, 5960]);
            // The host's log says the arena the runner reports (it once said 0: it read the
            // register on model_size's change, before allocated_arena_size was set).
            assert.deepStrictEqual(logged.filter((l) => l.startsWith("model deployed")), [`model deployed: ${model.length} bytes, arena 5960 bytes`]);
            const c = conformanceCases().find((k) => caseName(k) === "micro_speech_quantized/yes_features")!;
            const out = await predictOverJacdac(runner, fs.readFileSync(sharedPath(c.inputs[0])));
            assert.deepStrictEqual(Buffer.from(out), fs.readFileSync(sharedPath(c.output)));

            // WebSocket: Node 20's own client (--experimental-websocket) under jacdac-ts's
            // WebSocketTransport, with the Origin header of the host's page when ORIGIN is set.
            const script = `
                const jd = require("jacdac-ts");
                const origin = process.env.ORIGIN;
                class OriginWebSocket extends WebSocket {
                    constructor(url, protocols) { super(url, { protocols, headers: origin ? { origin } : {} }); }
                }
                const bus = new jd.JDBus([new jd.WebSocketTransport("ws://127.0.0.1:${host.wsPort}/", { WebSocket: OriginWebSocket })], { disableRoleManager: true });
                (async () => {
                    await bus.connect();
                    for (let i = 0; i < 50; i++) {
                        await bus.delay(100);
                        const [s] = bus.services({ serviceClass: jd.SRV_MODEL_RUNNER });
                        if (!s) continue;
                        const size = s.register(jd.ModelRunnerReg.ModelSize);
                        const shape = s.register(jd.ModelRunnerReg.InputShape);
                        await size.refresh(); await shape.refresh();
                        console.log(JSON.stringify({ modelSize: size.uintValue, inputShape: jd.bufferToArray(shape.data, jd.NumberFormat.UInt16LE) }));
                        break;
                    }
                    await bus.dispose();
                    process.exit(0);
                })();`;
            // Asynchronously: the host answers from this process's event loop.
            const webSocketClient = (origin?: string) => new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
                childProcess.execFile(process.execPath, ["--experimental-websocket", "-e", script],
                    { cwd: path.join(__dirname, "..", ".."), encoding: "utf8", timeout: 20000, env: { ...process.env, ORIGIN: origin || "" } },
                    (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve({ stdout, stderr })));
            });
            // A program (no Origin) and the host's own page (its Origin).
            for (const res of await Promise.all([webSocketClient(), webSocketClient(`http://127.0.0.1:${host.wsPort}`)])) {
                const line = res.stdout.split("\n").find((l) => l.startsWith("{"));
                assert.ok(line, `the WebSocket client printed no result: ${res.stdout} ${res.stderr}`);
                assert.deepStrictEqual(JSON.parse(line!), { modelSize: model.length, inputShape: [1, 1960] });
            }
            assert.ok(!logged.some((l) => l.startsWith("websocket: refused")), logged.join("\n"));
        } finally {
            await client.dispose();
            await host.close();
        }
    });

    it("refuses a WebSocket from another site's page (its Origin), and takes the host's own page and programs", async function () {
        this.timeout(30000);
        const logged: string[] = [];
        const host = await startJacdacHost({ wsPort: 0, tcpPort: 0, log: (line) => logged.push(line) });
        const port = host.wsPort;
        /** The status a WebSocket upgrade request with these headers gets: 101 accepted, 403 refused. */
        const upgrade = (headers: Record<string, string>) => new Promise<number>((resolve, reject) => {
            const req = http.request({
                host: "127.0.0.1", port, path: "/", headers: {
                    Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13",
                    "Sec-WebSocket-Key": crypto.randomBytes(16).toString("base64"), ...headers,
                },
            });
            req.on("upgrade", (res, socket) => { socket.destroy(); resolve(res.statusCode!); });
            req.on("response", (res) => { res.resume(); resolve(res.statusCode!); });
            req.on("error", reject);
            req.end();
        });
        try {
            const refused: [string, Record<string, string>][] = [
                ["another site", { Origin: "http://evil.example" }],
                ["another site whose DNS points here", { Origin: `http://evil.example:${port}`, Host: `evil.example:${port}` }],
                ["another server on this machine", { Origin: `http://127.0.0.1:${port + 1}` }],
                ["https, which the host does not serve", { Origin: `https://127.0.0.1:${port}` }],
                ["a sandboxed frame or a file", { Origin: "null" }],
            ];
            for (const [what, headers] of refused) assert.strictEqual(await upgrade(headers), 403, what);
            assert.strictEqual(host.connections(), 0);
            assert.deepStrictEqual(logged.filter((l) => l.startsWith("websocket")), [
                `websocket: refused a connection from http://evil.example (host 127.0.0.1:${port}): not this host's page`,
                `websocket: refused a connection from http://evil.example:${port} (host evil.example:${port}): not this host's page`,
                `websocket: refused a connection from http://127.0.0.1:${port + 1} (host 127.0.0.1:${port}): not this host's page`,
                `websocket: refused a connection from https://127.0.0.1:${port} (host 127.0.0.1:${port}): not this host's page`,
                `websocket: refused a connection from null (host 127.0.0.1:${port}): not this host's page`,
            ]);
            const accepted: [string, Record<string, string>][] = [
                ["a program", {}],
                ["the host's page", { Origin: `http://127.0.0.1:${port}` }],
                ["the host's page as localhost", { Origin: `http://localhost:${port}`, Host: `localhost:${port}` }],
            ];
            for (const [what, headers] of accepted) assert.strictEqual(await upgrade(headers), 101, what);
            assert.strictEqual(logged.filter((l) => / connected$/.test(l)).length, 3);
        } finally {
            await host.close();
        }
        // The rule on other addresses: IPv6 loopback, a host listening on every interface and
        // opened at this machine's LAN address, and one listening on a name it was given.
        assert.ok(isOwnPageOrigin("http://[::1]:8081", "[::1]:8081", "::1"));
        assert.ok(isOwnPageOrigin("http://192.168.1.20:8081", "192.168.1.20:8081", "0.0.0.0"));
        assert.ok(isOwnPageOrigin("http://bench.local:8081", "BENCH.local:8081", "bench.local"));
        assert.ok(!isOwnPageOrigin("http://bench.local:8081", "bench.local:8081", "127.0.0.1"));
        assert.ok(!isOwnPageOrigin("http://evil.example", undefined, "127.0.0.1"));
    });
});
