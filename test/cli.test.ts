// The pxt-tinyml command line as a user runs it: a child process on built/tools/cli.js (and
// bin/pxt-tinyml.js), its exact output, warnings and exit status.
import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { conformanceCases, runRaw, sharedPath, SHARED } from "../node/conformance";
import { loadCreateAiDataset } from "../node/gesture-data";
import { loadTflite } from "../node/sts-runtime";

const ROOT = path.join(__dirname, "..", "..");
const CLI = path.join(ROOT, "built", "tools", "cli.js");
const BIN = path.join(ROOT, "bin", "pxt-tinyml.js");
const TFLM = path.join(SHARED, "models", "tflm");
const CONFORMANCE = path.join(SHARED, "conformance", "models");
const GESTURE_MODEL = path.join(ROOT, "models", "gesture.tflite");

interface Result { status: number | null; stdout: string; stderr: string }

function cli(...args: string[]): Result {
    const res = childProcess.spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
    return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("the command line (tools/cli.ts)", function () {
    let tmp: string;

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pxt-tinyml-cli-"));
    });

    after(() => {
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    describe("help", () => {
        it("prints the usage on stdout and exits 0 for --help, -h and help, as bin/pxt-tinyml.js does", () => {
            const help = cli("--help");
            assert.strictEqual(help.status, 0);
            assert.strictEqual(help.stderr, "");
            const lines = help.stdout.split("\n");
            assert.strictEqual(lines[0], "usage:");
            assert.strictEqual(lines[1], "  pxt-tinyml inspect MODEL.tflite");
            for (const command of ["run MODEL.tflite --input IN0.bin", "train DATASET.json --out DIR", "jacdac-host [--port N]", "help [COMMAND], pxt-tinyml --help"])
                assert.ok(lines.some((l) => l.startsWith(`  pxt-tinyml ${command}`)), command);
            assert.ok(help.stdout.includes("a warning on stderr says how many"), "the usage says what --stride does with bytes left over");
            assert.deepStrictEqual(cli("-h"), help);
            assert.deepStrictEqual(cli("help"), help);
            const bin = childProcess.spawnSync(process.execPath, [BIN, "--help"], { cwd: ROOT, encoding: "utf8" });
            assert.deepStrictEqual({ status: bin.status, stdout: bin.stdout, stderr: bin.stderr }, help);
            // Without a command it is a usage error: the same text on stderr, status 2.
            assert.deepStrictEqual(cli(), { status: 2, stdout: "", stderr: help.stdout });
        });

        it("prints one command's usage for COMMAND --help, COMMAND -h and help COMMAND", () => {
            const run = cli("run", "--help");
            assert.strictEqual(run.status, 0);
            assert.match(run.stdout, /^usage:\n {2}pxt-tinyml run MODEL\.tflite --input IN0\.bin \[--input IN1\.bin \.\.\.\] \[--output OUT\.bin\] \[--stride BYTES\]\n/);
            assert.ok(!run.stdout.includes("pxt-tinyml inspect"));
            assert.deepStrictEqual(cli("help", "run"), run);
            assert.deepStrictEqual(cli("run", "model.tflite", "-h"), run);
            const host = cli("jacdac-host", "--help");
            assert.strictEqual(host.status, 0, host.stderr);
            assert.match(host.stdout, /^usage:\n {2}pxt-tinyml jacdac-host \[--port N\] .*\n.*\[--recording DATASET\.json \[--action NAME\]\]\n/);
            assert.match(cli("inspect", "--help").stdout, /^usage:\n {2}pxt-tinyml inspect MODEL\.tflite\n/);
            const train = cli("train", "--help");
            assert.strictEqual(train.status, 0, train.stderr);
            assert.match(train.stdout, /^usage:\n {2}pxt-tinyml train DATASET\.json --out DIR /);
        });

        it("names an unknown command and exits 2", () => {
            const usage = cli("help").stdout;
            assert.deepStrictEqual(cli("frobnicate"), { status: 2, stdout: "", stderr: `error: unknown command frobnicate\n${usage}` });
            assert.deepStrictEqual(cli("help", "frobnicate"), { status: 2, stdout: "", stderr: `error: no command frobnicate\n${usage}` });
        });
    });

    describe("inspect", () => {
        it("lists inputs and outputs by their tensor numbers, with type, shape, bytes, quantization and name", () => {
            const res = cli("inspect", path.join(TFLM, "micro_speech_quantized.tflite"));
            assert.strictEqual(res.status, 0, res.stderr);
            const lines = res.stdout.split("\n");
            assert.deepStrictEqual(lines.slice(1, 4), [
                "input 0: tensor 3 INT8 [1,1960] 1960 B scale 0.10171568393707275 zp -128 'Reshape_1'",
                "output 0: tensor 9 INT8 [1,4] 4 B scale 0.00390625 zp -128 'labels_softmax'",
                "",
            ]);
            // The numbers are the tensors' of the table below.
            assert.ok(lines.includes("    3  INT8    [1,1960]  arena @0 1960 B  scale 0.10171568393707275 zp -128  Reshape_1"));
            assert.ok(lines.includes("    9  INT8    [1,4]  arena @0 4 B  scale 0.00390625 zp -128  labels_softmax"));
            assert.ok(!lines.some((l) => l.startsWith("inputs:") || l.startsWith("labels")));
        });

        it("shows the labels in the model's metadata", () => {
            const res = cli("inspect", GESTURE_MODEL);
            assert.strictEqual(res.status, 0, res.stderr);
            const lines = res.stdout.split("\n");
            // After the input and the output (the model is retrained now and then: their figures change).
            assert.match(lines[1], /^input 0: tensor \d+ INT8 \[1,32,3\] 96 B /);
            assert.match(lines[2], /^output 0: tensor \d+ INT8 \[1,8\] 8 B /);
            assert.strictEqual(lines[3],
                'labels of output 0 (metadata): "Shake Vertical", "Still up", "Circle", "Shake horizontal", "Still down", "Throw up", "Arm roll", "Free fall"');
            // The same labels the STS library reads on the board.
            const tflite = loadTflite();
            const labels = tflite.metadataValues(tflite.modelMetadata(tflite.parseModel(fs.readFileSync(GESTURE_MODEL))), "label");
            assert.strictEqual(lines[3], `labels of output 0 (metadata): ${labels.map((l: string) => JSON.stringify(l)).join(", ")}`);
        });

        it("names a model that is a directory or missing", () => {
            assert.deepStrictEqual(cli("inspect", "models"), { status: 1, stdout: "", stderr: "error: the model models is a directory, not a file\n" });
            assert.deepStrictEqual(cli("inspect", "no-such.tflite"), { status: 1, stdout: "", stderr: "error: the model no-such.tflite: no such file\n" });
        });
    });

    describe("run", () => {
        const microSpeech = path.join(TFLM, "micro_speech_quantized.tflite");
        const features = (word: string) => path.join(CONFORMANCE, "micro_speech_quantized", `${word}_features.input0.bin`);
        const audioPreprocessor = path.join(TFLM, "audio_preprocessor_int8.tflite");
        const yesAudio = path.join(CONFORMANCE, "audio_preprocessor_int8", "yes_1000ms.input0.bin");

        it("shows output 0's top label from the model's metadata", () => {
            // A real window: 32 samples 40 ms apart (every other one of the recording's 20 ms) from the
            // middle of a Circle recording, normalized as the metadata says, quantized by setInput.
            const tflite = loadTflite();
            const ip = new tflite.StsInterpreter(fs.readFileSync(GESTURE_MODEL));
            const md = tflite.modelMetadata(ip.model);
            const labels: string[] = tflite.metadataValues(md, "label");
            const offset: number[] = tflite.metadataNumbers(md, "offset");
            const scale: number[] = tflite.metadataNumbers(md, "scale");
            const ds = loadCreateAiDataset(sharedPath("gestures/createai/big-8-actions.json"));
            const circle = ds.recordings.find((r) => ds.labels[r.label] === "Circle")!;
            const start = (circle.x.length >> 1) - 32;
            const window: number[] = [];
            for (let k = 0; k < 32; k++) {
                const s = start + 2 * k;
                [circle.x[s], circle.y[s], circle.z[s]].forEach((g, axis) => window.push((g - offset[axis]) * scale[axis]));
            }
            ip.setInput(0, window);
            const t = ip.input(0);
            const input = Buffer.from(t.data.subarray(t.offset, t.offset + t.bytes));
            const file = path.join(tmp, "circle.bin");
            fs.writeFileSync(file, input);
            ip.invoke();
            const raw = Array.from(new Int8Array(ip.outputBytes(0)));
            const probabilities: number[] = ip.outputValues(0).map((v: number) => +v.toPrecision(7));
            assert.strictEqual(labels[probabilities.indexOf(Math.max(...probabilities))], "Circle", "the model knows this window");

            const res = cli("run", GESTURE_MODEL, "--input", file);
            assert.strictEqual(res.status, 0, res.stderr);
            assert.strictEqual(res.stderr, "");
            const lines = res.stdout.split("\n");
            assert.deepStrictEqual(lines.slice(0, 5), [
                `labels of output 0 (metadata): ${labels.map((l) => JSON.stringify(l)).join(", ")}`,
                "output 0 INT8 [1,8]",
                `  raw:         ${raw.join(" ")}`,
                `  dequantized: ${probabilities.join(" ")}`,
                `  top:         Circle ${Math.max(...probabilities)}`,
            ]);
            assert.match(lines[5], new RegExp(`^invoke time: \\d+ us \\(last invoke\\), arena ${ip.arenaBytes} bytes$`));
        });

        it("names --stride for an input of several whole inputs, and for a longer one", () => {
            const two = path.join(tmp, "yes-no.bin");
            fs.writeFileSync(two, Buffer.concat([fs.readFileSync(features("yes")), fs.readFileSync(features("no"))]));
            const tensor = "tensor 3 INT8 [1,1960] 1960 B scale 0.10171568393707275 zp -128 'Reshape_1'";
            assert.deepStrictEqual(cli("run", microSpeech, "--input", two), {
                status: 1, stdout: "",
                stderr: `error: input 0 (${two}) has 3920 bytes; the model's input 0 (${tensor}) takes 1960 bytes per invoke. ` +
                    "The file holds 2 whole inputs: to run one invoke on each, add --stride 1960\n",
            });
            // 1 s of 16 kHz audio for a model of 30 ms frames.
            assert.deepStrictEqual(cli("run", audioPreprocessor, "--input", yesAudio), {
                status: 1, stdout: "",
                stderr: `error: input 0 (${yesAudio}) has 32000 bytes; the model's input 0 (tensor 0 INT16 [1,480] 960 B 'serving_default_audio_frame:0') ` +
                    "takes 960 bytes per invoke. To run it as a stream of 960-byte windows, one invoke each, add --stride BYTES, " +
                    "the step from one window to the next (--stride 960 for back-to-back windows)\n",
            });
            // Too short is only the size.
            const short = path.join(tmp, "short.bin");
            fs.writeFileSync(short, fs.readFileSync(features("yes")).subarray(0, 1000));
            assert.strictEqual(cli("run", microSpeech, "--input", short).stderr,
                `error: input 0 (${short}) has 1000 bytes; the model's input 0 (${tensor}) takes 1960 bytes per invoke\n`);
            // With --stride: both words, TFLM's goldens.
            const res = cli("run", microSpeech, "--input", two, "--stride", "1960");
            assert.strictEqual(res.status, 0, res.stderr);
            assert.strictEqual(res.stderr, "");
            const golden = (word: string) => Array.from(new Int8Array(fs.readFileSync(path.join(CONFORMANCE, "micro_speech_quantized", `${word}_features.output.bin`)))).join(" ");
            const lines = res.stdout.split("\n");
            assert.deepStrictEqual([lines[0], lines[1], lines[3], lines[4]],
                ["invoke 0 output 0 INT8 [1,4]", `  raw:         ${golden("yes")}`, "invoke 1 output 0 INT8 [1,4]", `  raw:         ${golden("no")}`]);
        });

        it("warns on stderr about the bytes --stride leaves after the last whole window", () => {
            const out = path.join(tmp, "features.bin");
            const res = cli("run", audioPreprocessor, "--input", yesAudio, "--stride", "640", "--output", out);
            assert.strictEqual(res.status, 0, res.stderr);
            assert.strictEqual(res.stderr, `warning: input 0 (${yesAudio}): the last 320 of its 32000 bytes are not run, ` +
                "too few for another window (49 windows of 960 bytes every 640 end at byte 31680)\n");
            assert.ok(res.stdout.includes("invoke 48 output 0"));
            assert.ok(!res.stdout.includes("invoke 49 "));
            // As TFLM's streaming run: its golden has the 49 windows.
            const c = conformanceCases().find((k) => k.model.endsWith("audio_preprocessor_int8.tflite") && k.case === "yes_1000ms")!;
            assert.strictEqual(c.stream_stride_bytes, 640);
            assert.ok(fs.readFileSync(out).equals(fs.readFileSync(sharedPath(c.output))));
            // A whole number of windows leaves nothing: no warning.
            const whole = path.join(tmp, "whole.bin");
            fs.writeFileSync(whole, fs.readFileSync(yesAudio).subarray(0, 31680));
            const quiet = cli("run", audioPreprocessor, "--input", whole, "--stride", "640", "--output", out);
            assert.deepStrictEqual([quiet.status, quiet.stderr], [0, ""]);
            assert.ok(fs.readFileSync(out).equals(runRaw(fs.readFileSync(audioPreprocessor), [fs.readFileSync(whole)], 640).output));
        });

        it("names a model or input that is a directory or missing", () => {
            assert.deepStrictEqual(cli("run", "models", "--input", features("yes")),
                { status: 1, stdout: "", stderr: "error: the model models is a directory, not a file\n" });
            assert.deepStrictEqual(cli("run", "no-such.tflite", "--input", features("yes")),
                { status: 1, stdout: "", stderr: "error: the model no-such.tflite: no such file\n" });
            assert.deepStrictEqual(cli("run", microSpeech, "--input", "models"),
                { status: 1, stdout: "", stderr: "error: input 0 models is a directory, not a file\n" });
            assert.deepStrictEqual(cli("run", microSpeech, "--input", "no-such.bin"),
                { status: 1, stdout: "", stderr: "error: input 0 no-such.bin: no such file\n" });
        });
    });
});
