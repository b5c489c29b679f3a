// Node's native interpreter (node/native.ts, node/native/addon.c): tflite.Interpreter running the
// board's C loader and kernels, and host_kernels.c's float kernels, gives the same bytes as the STS
// interpreter on every conformance case (and TFLM's goldens), every model of ours and generated
// single-op models; models the C refuses get the STS's message; the addon checks what JavaScript
// passes it.
import * as assert from "assert";
import * as fs from "fs";
import { conformanceCases, caseName, firstDifference, runRaw, sharedPath } from "../node/conformance";
import { knownModels } from "../node/c-loader";
import { generatedModels, mutate, prng } from "../node/fuzz";
import { isNativeState, nativeAddon, NodeInterpreterMode, nodeInterpreterMode, setNodeInterpreterMode } from "../node/native";
import { loadTflite } from "../node/sts-runtime";

const tflite = loadTflite();

/** Runs `model` with tflite.Interpreter in `mode` (runRaw): outputs of every invoke, appended, and whether the C ran it. */
function runInterpreter(mode: NodeInterpreterMode, model: Buffer, inputs: Buffer[], stride?: number | null): { output: Buffer; native: boolean } {
    setNodeInterpreterMode(mode);
    const { output, interpreter } = runRaw(model, inputs, stride, "Interpreter");
    return { output, native: isNativeState(interpreter.state) };
}

/** A copy of float32 values with every NaN as 0x7fc00000. */
function canonicalNaNs(b: Buffer): Buffer {
    const out = Buffer.from(b);
    for (let i = 0; i + 4 <= out.length; i += 4) if (Number.isNaN(out.readFloatLE(i))) out.writeUInt32LE(0x7fc00000, i);
    return out;
}

function assertSame(got: Buffer, want: Buffer, what: string): void {
    assert.strictEqual(got.length, want.length, `${what}: output length`);
    const d = firstDifference(got, want);
    assert.strictEqual(d, -1, `${what}: first difference at byte ${d}: got ${got[d]}, want ${want[d]}`);
}

/**
 * Inputs for `model`: float32 tensors get finite values in [-4, 4) (random bytes would make NaNs,
 * whose payloads JavaScript does not keep), other types random bytes.
 */
function randomInputs(model: Buffer, rand: () => number): Buffer[] {
    const ip = new tflite.StsInterpreter(model);
    const res: Buffer[] = [];
    for (let i = 0; i < ip.inputCount(); i++) {
        const t = ip.input(i);
        const b = Buffer.alloc(t.bytes);
        if (t.type === 0) for (let j = 0; j + 4 <= b.length; j += 4) b.writeFloatLE(8 * rand() - 4, j);
        else for (let j = 0; j < b.length; j++) b[j] = Math.floor(256 * rand());
        res.push(b);
    }
    return res;
}

/** Whether the STS interpreter loads `model`. */
function stsLoads(model: Buffer): boolean {
    try {
        new tflite.StsInterpreter(model);
        return true;
    } catch {
        return false;
    }
}

const MODES: NodeInterpreterMode[] = ["native", "portable"];

describe("Node's native interpreter (the C loader and kernels through Node-API)", () => {
    const initialMode = nodeInterpreterMode();
    after(() => setNodeInterpreterMode(initialMode));

    it("the addon is built (npm run build, with gcc) and tflite.Interpreter uses it by default", () => {
        assert.ok(nativeAddon(), "built/native/tinyml-node.node did not load: see tools/build-addon.js's line in npm run build");
        // TINYML_NODE_STS=1 would make the STS the default; the test runs without it.
        assert.strictEqual(process.env.TINYML_NODE_STS === "1" ? "sts" : "native", initialMode);
    });

    describe("every conformance case, byte for byte with the STS and TFLM's goldens", () => {
        for (const c of conformanceCases()) {
            it(caseName(c), () => {
                const model = fs.readFileSync(sharedPath(c.model));
                const inputs = c.inputs.map((f) => fs.readFileSync(sharedPath(f)));
                const golden = fs.readFileSync(sharedPath(c.output));
                const sts = runRaw(model, inputs, c.stream_stride_bytes).output;
                assertSame(sts, golden, "STS vs golden");
                for (const mode of MODES) {
                    const r = runInterpreter(mode, model, inputs, c.stream_stride_bytes);
                    assert.ok(r.native, `${mode}: the C loader took the model`);
                    assertSame(r.output, golden, `${mode} vs golden`);
                }
            });
        }
    });

    it("every model we have (TFLM's and models/), three random inputs each, byte for byte with the STS", () => {
        const rand = prng(20261206);
        const native: string[] = [];
        for (const { name, model } of knownModels()) {
            if (!stsLoads(model)) continue;
            for (let k = 0; k < 3; k++) {
                const inputs = randomInputs(model, rand);
                const sts = runRaw(model, inputs).output;
                for (const mode of MODES) {
                    const r = runInterpreter(mode, model, inputs);
                    assert.ok(r.native, `${name}: the C loader took it`);
                    assertSame(r.output, sts, `${name} input ${k} (${mode})`);
                }
            }
            native.push(name);
        }
        assert.strictEqual(native.length, knownModels().length, `the models that ran: ${native.join(", ")}`);
    });

    it("generated single-op models (every kind, seeds 1-8: strides, dilations, padding, groups, multipliers), byte for byte with the STS", () => {
        const rand = prng(7);
        let ran = 0;
        let floatKernels = 0;
        for (let seed = 1; seed <= 8; seed++)
            for (const { name, model } of generatedModels(seed)) {
                if (!stsLoads(model)) continue;
                const inputs = randomInputs(model, rand);
                let sts: Buffer;
                try {
                    sts = runRaw(model, inputs).output;
                } catch (e) {
                    // An RSQRT int8 input below the zero point (a negative value): TFLM fails the
                    // invoke, the STS says why, the C body (which cannot fail) gives 127.
                    if (/RSQRT: input -?\d+ is below the zero point/.test(String(e))) continue;
                    throw e;
                }
                // A NaN's bits come from the FPU (x86 makes 0xffc00000, ARM and JavaScript 0x7fc00000):
                // random inputs give SQRT and LOG negative values, so float32 outputs compare NaN as NaN.
                const floatOut = /^(SQRT|LOG|RSQRT) float32/.test(name);
                for (const mode of MODES) {
                    const r = runInterpreter(mode, model, inputs);
                    assert.ok(r.native, `${name}: the C loader took it`);
                    assertSame(floatOut ? canonicalNaNs(r.output) : r.output, floatOut ? canonicalNaNs(sts) : sts, `${name} seed ${seed} (${mode})`);
                }
                ran++;
                if (/^(CONV_2D|DEPTHWISE_CONV_2D|FULLY_CONNECTED|AVERAGE_POOL_2D|MAX_POOL_2D) /.test(name) && new tflite.StsInterpreter(model).input(0).type === 0)
                    floatKernels++;
            }
        assert.ok(ran >= 200, `${ran} generated models ran`);
        assert.ok(floatKernels >= 8, `${floatKernels} float conv, fully connected or pool models ran (host_kernels.c's)`);
    });

    it("a model the C loader refuses gets the STS's message, word for word (400 byte mutants of our models)", () => {
        const rand = prng(99);
        const bases = knownModels();
        let refused = 0;
        for (let i = 0; i < 400; i++) {
            const m = mutate(bases[i % bases.length].model, rand);
            const outcome = (mode: NodeInterpreterMode) => {
                setNodeInterpreterMode(mode);
                try {
                    new tflite.Interpreter(m);
                    return "loaded";
                } catch (e: any) {
                    return "error: " + (typeof e === "string" ? e : e.message);
                }
            };
            const sts = outcome("sts");
            assert.strictEqual(outcome("native"), sts, `mutant ${i} of ${bases[i % bases.length].name}`);
            if (sts !== "loaded") refused++;
        }
        assert.ok(refused >= 100, `${refused} mutants refused`);
    });

    it("resetState clears the state kept between invokes (the audio front end's noise estimate)", () => {
        const c = conformanceCases().find((x) => x.model.endsWith("audio_preprocessor_int8.tflite"))!;
        const model = fs.readFileSync(sharedPath(c.model));
        const audio = fs.readFileSync(sharedPath(c.inputs[0]));
        setNodeInterpreterMode("native");
        const ip = new tflite.Interpreter(model);
        assert.ok(isNativeState(ip.state));
        const window = audio.subarray(0, ip.input(0).bytes);
        const invoke = () => {
            ip.setInputBytes(0, window);
            ip.invoke();
            return Buffer.from(ip.outputBytes(0));
        };
        const first = invoke();
        const second = invoke();
        assert.notDeepStrictEqual(second, first, "the second window sees the first one's state");
        ip.resetState();
        assert.deepStrictEqual(invoke(), first);
    });

    it("the addon keeps its own copy of the model and checks what JavaScript passes it", () => {
        const model = Buffer.from(fs.readFileSync(sharedPath("models/tflm/magic_wand.tflite")));
        const c = conformanceCases().find((x) => x.model.endsWith("magic_wand.tflite"))!;
        const input = fs.readFileSync(sharedPath(c.inputs[0]));
        setNodeInterpreterMode("native");
        const ip = new tflite.Interpreter(model);
        // (The planner lets later tensors reuse the input's bytes: each invoke sets it again.)
        const invoke = () => {
            ip.setInputBytes(0, input);
            ip.invoke();
            return Buffer.from(ip.outputBytes(0));
        };
        const before = invoke();
        model.fill(0xff);  // the weights the C would read in place, had it not copied them
        assert.deepStrictEqual(invoke(), before);

        const addon = nativeAddon()!;
        const [handle, header, arenaBytes] = addon.load(fs.readFileSync(sharedPath("models/tflm/magic_wand.tflite")), false);
        assert.strictEqual(header.readInt32LE(4 * 3), 0, "the header's Arena word: the arena is its own Buffer");
        assert.throws(() => addon.invoke(handle, Buffer.alloc(arenaBytes - 1)), /the arena Buffer has the wrong size for this model/);
        assert.throws(() => addon.invoke(handle, Buffer.alloc(arenaBytes + 8)), /the arena Buffer has the wrong size for this model/);
        assert.throws(() => addon.invoke(handle, Buffer.alloc(arenaBytes + 8).subarray(1, 1 + arenaBytes)), /not 8-byte aligned/);
        assert.throws(() => addon.invoke({}, Buffer.alloc(arenaBytes)), /not a model loaded by the tinyml native addon/);
        assert.throws(() => addon.invoke(handle, [] as any), /the arena must be a Buffer/);
        assert.throws(() => addon.load("model" as any, false), /the model must be a Buffer/);
        assert.throws(() => addon.load(Buffer.from("TFL3"), false), /not a TFLite model/);
        addon.invoke(handle, Buffer.alloc(arenaBytes));
    });
});
