// The C loader (kernels/loader.c, what the board runs) against the STS loader (what the simulator
// and Node run): the same body and parameter block for every operator, the same arena plan, the
// same inputs and outputs, for every model we have; the same verdict on corrupt models; and the
// C loader + C kernels give TFLM's golden outputs byte for byte.
import * as assert from "assert";
import * as fs from "fs";
import * as flex from "flatbuffers/js/flexbuffers";
import { boardLoaderDumps, buildBoardLoaderTool, buildLoaderTool, cLoaderDump, cLoaderRun, compareLoaders, knownModels, stsLoaderDump } from "../node/c-loader";
import { GraphBuilder, writeModel } from "../node/model-writer";
import { generatedModels } from "../node/fuzz";
import { caseName, conformanceCases, sharedPath } from "../node/conformance";

describe("the C loader (the board's) against the STS loader", function () {
    this.timeout(20 * 60 * 1000);

    before(() => buildLoaderTool());

    it("writes the same parameter blocks and arena plan for every model, generated model and mutant, and rejects the same ones", () => {
        // Seeds 1 to 4 of every kind (generatedModels(seed, n) takes seeds seed..seed + n - 1).
        const res = compareLoaders({ seeds: 1, perKind: 4, mutants: 400, specMutants: 400 });
        const shown = res.differences.slice(0, 5).map((d) => `${d.name}:\n  C:   ${d.c.slice(0, 300)}\n  STS: ${d.sts.slice(0, 300)}`);
        assert.deepStrictEqual(shown, [], `${res.differences.length} models differ`);
        assert.ok(res.same > 250 && res.rejected > 100, `${res.same} loaded alike, ${res.rejected} rejected alike`);
    });

    it("refuses an operator that writes a constant, and a model input or output that is a constant, as the STS does", () => {
        // Found by the fuzzer's C path: the op wrote into the model (flash on the board), and a
        // constant's record held its model offset where the board reads an arena offset.
        const model = (what: "op output" | "model input" | "model output") => {
            const g = new GraphBuilder();
            const x = g.input({ shape: [4], type: "float32" });
            const c = g.constant({ shape: [4], type: "float32", data: [1, 2, 3, 4] });
            const y = g.tensor({ shape: [4], type: "float32" });
            g.op("ADD", [x, c], [what === "op output" ? c : y]);
            g.output(what === "model output" ? c : y);
            const spec = g.spec();
            if (what === "model input") spec.subgraphs[0].inputs = [c];
            return writeModel(spec);
        };
        const want = {
            "op output": /^error operator 0 \(ADD v1\): output 0 is a constant \(tensor 1 .*FLOAT32\[4\]\): outputs must not be$/,
            "model input": /^error corrupt model: subgraph input 0 is a constant: tensor 1 .*FLOAT32\[4\]$/,
            "model output": /^error model output 0 is a constant \(tensor 1 .*FLOAT32\[4\]\): outputs must not be$/,
        };
        for (const [what, message] of Object.entries(want)) {
            const m = model(what as keyof typeof want);
            const c = cLoaderDump(m), sts = stsLoaderDump(m);
            assert.match(sts.text, message, what);
            assert.strictEqual(c.text, sts.text, what);
        }
    });

    it("refuses a zero point outside its tensor's type (int8, uint8, int16), as the STS does", () => {
        // Found by the fuzzer's C path: the kernels' int32 sums (input - zero point) overflowed
        // (UB in C) or, near 2^24, came out one float32 step apart; no real model has such zero points.
        const dequantize = (type: "int8" | "uint8" | "int16", zeroPoint: number) => {
            const g = new GraphBuilder();
            const x = g.input({ shape: [4], type, scale: 0.5, zeroPoint });
            const y = g.output(g.tensor({ shape: [4], type: "float32" }));
            g.op("DEQUANTIZE", [x], [y]);
            return writeModel(g.spec());
        };
        const cases: [type: "int8" | "uint8" | "int16", zeroPoint: number, ok: boolean][] = [
            ["int8", -128, true], ["int8", 127, true], ["int8", 128, false], ["int8", -129, false], ["int8", -2097280, false],
            ["uint8", 0, true], ["uint8", 255, true], ["uint8", -1, false], ["uint8", 256, false],
            ["int16", -32768, true], ["int16", 32767, true], ["int16", 32768, false], ["int16", 16777216, false],
        ];
        for (const [type, zeroPoint, ok] of cases) {
            const m = dequantize(type, zeroPoint);
            const c = cLoaderDump(m), sts = stsLoaderDump(m);
            const what = `${type} zero point ${zeroPoint}`;
            if (ok) assert.doesNotMatch(sts.text, /^error/, what);
            else assert.match(sts.text, new RegExp(`^error corrupt model: tensor 0 .*${type.toUpperCase()}\\[4\\] has zero point ${zeroPoint}$`), what);
            assert.strictEqual(c.text, sts.text, what);
        }
    });

    it("refuses a rescale multiplier whose shift TFLM's MultiplyByQuantizedMultiplier cannot apply, as the STS does", () => {
        // Found by the fuzzer's C path: extreme scales gave shifts past 31 (a C left shift past the
        // int32, undefined; JS wraps it) and, in the int16 kernels' 64-bit variant, past 14 (a
        // negative shift). A shift of 31 (int8 SOFTMAX's beta multiplier reaches it) still loads.
        const requantize = (ratio: number) => {
            const g = new GraphBuilder();
            const x = g.input({ shape: [4], type: "int8", scale: ratio * 1e-3, zeroPoint: 0 });
            const y = g.output(g.tensor({ shape: [4], type: "int8", scale: 1e-3, zeroPoint: 0 }));
            g.op("QUANTIZE", [x], [y]);
            return writeModel(g.spec());
        };
        const int16Dense = (outputScale: number) => {
            const g = new GraphBuilder();
            const x = g.input({ shape: [1, 2], type: "int16", scale: 1, zeroPoint: 0 });
            const w = g.constant({ shape: [3, 2], type: "int8", data: [1, 2, 3, 4, 5, 6], scale: 1, zeroPoint: 0 });
            const y = g.output(g.tensor({ shape: [1, 3], type: "int16", scale: outputScale, zeroPoint: 0 }));
            g.op("FULLY_CONNECTED", [x, w], [y]);
            return writeModel(g.spec());
        };
        const cases: [name: string, model: Buffer, shift: number | null][] = [
            ["QUANTIZE ratio 2^30 (shift 31)", requantize(2 ** 30), null],
            ["QUANTIZE ratio 2^31 (shift 32)", requantize(2 ** 31), 32],
            ["QUANTIZE ratio 1e30", requantize(1e30), 100],
            ["int16 FULLY_CONNECTED multiplier 2^13 (shift 14)", int16Dense(2 ** -13), null],
            ["int16 FULLY_CONNECTED multiplier 2^14 (shift 15)", int16Dense(2 ** -14), 15],
        ];
        for (const [name, m, shift] of cases) {
            const c = cLoaderDump(m), sts = stsLoaderDump(m);
            if (shift === null) assert.doesNotMatch(sts.text, /^error/, name);
            else assert.match(sts.text, new RegExp(`^error operator 0 \\((QUANTIZE|FULLY_CONNECTED) v\\d+\\): output tensor \\d+ .*: rescale shift ${shift} out of range$`), name);
            assert.strictEqual(c.text, sts.text, name);
        }
    });

    it("runs every golden case through the C loader and C kernels byte for byte", () => {
        for (const c of conformanceCases()) {
            const model = fs.readFileSync(sharedPath(c.model));
            const inputs = c.inputs.map((f) => fs.readFileSync(sharedPath(f)));
            const got = cLoaderRun(model, inputs, c.stream_stride_bytes || 0);
            const want = fs.readFileSync(sharedPath(c.output));
            assert.ok(got.equals(want), `${caseName(c)}: outputs differ from TFLM's`);
        }
    });

    describe("built as the board's default (without tinyml-all-ops: the built-in models' kernels only)", () => {
        let core = "";
        before(() => { core = buildLoaderTool({ core: true }); });

        it("loads the built-in models exactly as the full build does", () => {
            for (const m of knownModels().filter((k) => /^(gesture|keyword|keyword_frontend)\.tflite$/.test(k.name))) {
                const full = cLoaderDump(m.model), def = cLoaderDump(m.model, core);
                assert.ok(full.ok, `${m.name}: ${full.text}`);
                assert.strictEqual(def.text, full.text, m.name);
            }
        });

        it("loads every other model alike, or stops at load naming the op and tinyml-all-ops", () => {
            let alike = 0, leftOut = 0;
            const leftOutOps = new Set<string>();
            const bases = knownModels().concat(generatedModels(1, 1));
            for (const m of bases) {
                const full = cLoaderDump(m.model), def = cLoaderDump(m.model, core);
                if (def.text === full.text) { alike++; continue; }
                // A model the default build cannot run is told so (with every op, it may load or get the specific error).
                assert.ok(!def.ok, `${m.name}: the default build loads it differently:\n${def.text}\n${full.text}`);
                const named = /^error operator \d+ \(([A-Za-z_0-9]+) v\d+\): (its kernel for these tensor types|this op) is not in the board's default build.*add the extension tinyml-all-ops/.exec(def.text);
                // A model of several subgraphs (IF, WHILE, CALL_ONCE) stops before its ops are read.
                const subgraphs = /^error (\d+) subgraphs need the extension tinyml-all-ops$/.exec(def.text);
                assert.ok(named || subgraphs, `${m.name}: ${def.text}`);
                leftOutOps.add(named ? named[1] : "several subgraphs");
                leftOut++;
            }
            // hello_world (int8 FULLY_CONNECTED) loads by default; micro_speech's int8 convolutions too.
            assert.ok(alike >= 15 && leftOut >= 50, `${alike} alike, ${leftOut} left out`);
            for (const op of ["SVDF", "LOGISTIC", "TRANSPOSE", "QUANTIZE"]) assert.ok(leftOutOps.has(op), `no model with ${op} was refused: ${[...leftOutOps]}`);
        });
    });

    describe("built as the firmware builds it (Cortex-M4, softfp doubles, newlib), on QEMU", () => {
        before(() => buildBoardLoaderTool());

        it("writes what the host build writes for every model we have and generated ones", () => {
            const models = knownModels().concat(generatedModels(1, 1)).filter((m) => m.model.length < 400000);
            const board = boardLoaderDumps(models.map((m) => m.model));
            models.forEach((m, i) => assert.strictEqual(board[i].text, cLoaderDump(m.model).text, m.name));
        });

        it("computes SignalRfft's twiddles as the STS does (sin and cos to the last bit) at every fft_length it takes", () => {
            // Every even length up to 4096 whose half factors into 2, 3, 4 and 5 (KISS FFT's radixes), and larger 5-smooth ones.
            const smooth = (n: number) => { for (const f of [2, 3, 5]) while (n % f === 0) n /= f; return n === 1; };
            const lengths: number[] = [];
            for (let n = 4; n <= 4096; n += 2) if (smooth(n / 2)) lengths.push(n);
            lengths.push(6000, 8192, 10240, 15552, 32768, 65536);
            const models = lengths.map((n) => {
                const g = new GraphBuilder();
                const input = g.input({ shape: [n], type: "int16" });
                const output = g.output(g.tensor({ shape: [n + 2], type: "int16" }));
                g.op("CUSTOM", [input], [output], undefined, { customCode: "SignalRfft", customOptions: Buffer.from(flex.encode({ T: 7, fft_length: n })) });
                return g.toBuffer();
            });
            const board = boardLoaderDumps(models);
            lengths.forEach((n, i) => {
                assert.ok(board[i].ok, `fft_length ${n}: ${board[i].text}`);
                assert.strictEqual(board[i].text, stsLoaderDump(models[i]).text, `fft_length ${n}`);
            });
        });
    });
});
