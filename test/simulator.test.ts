// The interpreter compiled by MakeCode's pxt and run in the micro:bit simulator (headless, in
// this process): TFLM's golden cases byte for byte, the sample project, errors, the accelerometer.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { conformanceCases, sharedPath } from "../node/conformance";
import { HELLO_PROJECT, installProject, writeHelloModel } from "../node/sample-project";
import { compileForSimulator, conformanceOutputs, conformanceProgram, runInSimulator, runStsProgram } from "../node/simulator";
import { loadTflite } from "../node/sts-runtime";

// Every case of each of these models runs in the simulator (person_detect: about 8 s per invoke).
const MODELS = [
    "hello_world_int8", "hello_world_float", "magic_wand", "micro_speech_quantized",
    "audio_preprocessor_int8", "audio_preprocessor_float", "keyword_scrambled_8bit", "person_detect",
];

describe("micro:bit simulator", function () {
    this.timeout(10 * 60 * 1000);

    for (const name of MODELS) {
        describe(name, () => {
            const cases = conformanceCases().filter((c) => path.basename(c.model, ".tflite") === name);
            let outputs: Map<string, Buffer>;
            let lines: string[];

            before(async () => {
                const model = fs.readFileSync(sharedPath(cases[0].model));
                const program = conformanceProgram(model, cases.map((c) => ({
                    name: c.case,
                    inputs: c.inputs.map((f) => fs.readFileSync(sharedPath(f))),
                    strideBytes: c.stream_stride_bytes,
                })));
                const run = await runStsProgram("conformance-" + name, program);
                lines = run.lines;
                outputs = conformanceOutputs(lines);
            });

            it("has golden cases and runs them all to the end", () => {
                assert.ok(cases.length > 0, "no golden cases for " + name + " in the manifest");
                assert.strictEqual(lines[lines.length - 1], "done");
            });

            for (const c of cases) {
                it(c.case + ": every output byte as TFLM's", () => {
                    const expected = fs.readFileSync(sharedPath(c.output));
                    const got = outputs.get(c.case);
                    assert.ok(got, "the program printed no output for " + c.case);
                    assert.strictEqual(got!.toString("hex"), expected.toString("hex"));
                });
            }
        });
    }

    it("runs the sample project (projects/hello-tflite): the same output bytes as in Node", async () => {
        const model = writeHelloModel();
        installProject(HELLO_PROJECT);
        const code = compileForSimulator(HELLO_PROJECT);
        // The program prints a table, then animates the LEDs forever: stop at its "done".
        const run = await runInSimulator(code, { until: (lines) => lines.indexOf("done") >= 0 });
        const rows = run.lines.filter((l) => l.startsWith("x "));
        assert.strictEqual(rows.length, 17);

        const tflite = loadTflite();
        const ip = new tflite.StsInterpreter(model);
        assert.ok(run.lines.indexOf("arena " + ip.arenaBytes + " bytes") >= 0, run.lines.join("\n"));
        rows.forEach((row, i) => {
            ip.setInput(0, [2 * Math.PI * i / 16]);
            ip.invoke();
            const m = /^x (\d+)\/16 out ([0-9a-f]{2}) y (\S+) sin (\S+)$/.exec(row);
            assert.ok(m, "unexpected line: " + row);
            assert.strictEqual(m![2], Buffer.from(ip.outputBytes(0)).toString("hex"), row);
            // The model approximates sin(x) only roughly, but it must be the right curve.
            assert.ok(Math.abs(parseFloat(m![3]) - parseFloat(m![4])) < 0.25, row);
        });
    });

    it("fails with the interpreter's message for a corrupt model", async () => {
        const bad = fs.readFileSync(sharedPath("models/tflm/hello_world_int8.tflite"));
        const program = "const model = hex`" + bad.subarray(0, 100).toString("hex") + "`\n" +
            "serial.writeString(\"loading\\n\")\n" +
            "tflite.loadModel(model)\n" +
            "serial.writeString(\"loaded\\n\")\n";
        await assert.rejects(runStsProgram("corrupt-model", program),
            /the program failed in the simulator: .*tflite: corrupt model: .* outside the 100-byte file\nlast serial output:\nloading$/);
    });

    it("feeds accelerometer samples to the program over time", async () => {
        // Reads x, y, z now and again 3 s later; the second set of samples arrives after 1.5 s.
        const program = [
            "function show() {",
            "    serial.writeString(\"acc \" + input.acceleration(Dimension.X) + \" \" + input.acceleration(Dimension.Y) + \" \" + input.acceleration(Dimension.Z) + \"\\n\")",
            "}",
            "show()",
            "basic.pause(3000)",
            "show()",
        ].join("\n") + "\n";
        const run = await runStsProgram("accelerometer", program, {
            accelerometer: [{ atMs: 0, x: 120, y: -340, z: -980 }, { atMs: 1500, x: -1024, y: 512, z: 8 }],
        });
        assert.deepStrictEqual(run.lines, ["acc 120 -340 -980", "acc -1024 512 8"]);
    });
});
