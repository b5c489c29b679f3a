// The C kernels (kernels/) replay every recorded kernel call of the STS interpreter byte for byte:
// the conformance cases (golden-verified) and generated single-op models reaching every body, on
// the host under AddressSanitizer and UBSan, on an emulated Cortex-M4 and on an emulated micro:bit
// (Cortex-M0, 16 KB of RAM: every case that fits).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { conformanceCases } from "../node/conformance";
import { runNativeReplay, ReplayRun } from "../tools/test-native";
import { ABI_HEADER, generateHeader, outOfDate, readAbi } from "../tools/gen-abi";
import * as childProcess from "child_process";
import { GENERATED_RECORDING, NATIVE_BUILT, REPO, RECORDING, makeKernels, missingBodies, recordConformance, runHostHarness, runQemuHarness, runQemuM0, runQemuM4 } from "../node/replay";
import { TFLM_CMSIS_M0, TFLM_CMSIS_M4, TICK_INSTRUCTIONS, buildVariant, timeVariant, usesSmlad } from "../tools/native-bench";
import { loadTflite } from "../node/sts-runtime";
import { caseName, sharedPath } from "../node/conformance";
import { BASE_DEPENDENCIES, LIB_DIR, compileForSimulator, conformanceOutputs, conformanceProgram, pxt, runInSimulator } from "../node/simulator";

/** The names of the bodies the CALL records of a recording (node/replay.ts's format) call. */
function recordedBodies(file: string): Set<string> {
    const rec = fs.readFileSync(file);
    const names = new Set<string>();
    for (let at = 8; at < rec.length;) {
        const len = rec.readUInt32LE(at + 4);
        if (rec.toString("ascii", at, at + 4) === "CALL") {
            const n = rec.readUInt32LE(at + 8 + 16);
            names.add(rec.toString("ascii", at + 8 + 20, at + 8 + 20 + n));
        }
        at += 8 + len;
    }
    return names;
}

/** The offset in a recording of the first expected output byte of its first CALL record. */
function firstOutputByte(rec: Buffer): number {
    const pad = (n: number) => (n + 3) & ~3;
    for (let at = 8; at < rec.length; at += 8 + rec.readUInt32LE(at + 4)) {
        if (rec.toString("ascii", at, at + 4) !== "CALL") continue;
        let c = at + 8 + 16;                          // case, invoke, op, model
        c += 4 + pad(rec.readUInt32LE(c));            // body name
        c += 4 + 8 * rec.readUInt32LE(c) + 4;         // parameter words before and after; arena bytes
        const inputs = rec.readUInt32LE(c);
        c += 4;
        for (let i = 0; i < inputs; i++) c += 8 + pad(rec.readUInt32LE(c + 4));
        assert.ok(rec.readUInt32LE(c) > 0, "the first call has an output");
        return c + 4 + 8;
    }
    throw new Error("no CALL record");
}

describe("native C kernels, by replay", function () {
    let runs: ReplayRun[] = [];
    before(function () {
        this.timeout(600000);
        runs = runNativeReplay();
    });

    it("the C header is generated from the STS parameter-block enums and up to date (npm run gen:abi)", () => {
        const header = fs.readFileSync(ABI_HEADER, "utf8");
        assert.ok(header === generateHeader(), "kernels/tflite_abi.h differs from the enums: run npm run gen:abi");
        assert.match(header, /TFL_FULLY_CONNECTED_MULTIPLIERS = 17,/);
    });

    it("runs on the host, on the emulated Cortex-M4 and on the emulated micro:bit, for both recordings", () => {
        assert.deepStrictEqual(runs.map((r) => `${r.platform} ${path.basename(r.recording)}`), [
            "host (ASan, UBSan) conformance.replay", "Cortex-M4 (QEMU mps2-an386) conformance.replay", "Cortex-M0 (QEMU microbit) conformance.replay",
            "host (ASan, UBSan) generated.replay", "Cortex-M4 (QEMU mps2-an386) generated.replay", "Cortex-M0 (QEMU microbit) generated.replay",
        ]);
    });

    it("every conformance case: every call's bytes equal, on the host and the M4", () => {
        const cases = conformanceCases().length;
        for (const r of runs.filter((x) => x.recording.endsWith("conformance.replay") && !x.platform.includes("M0")))
            assert.deepStrictEqual({ platform: r.platform, passed: r.passed, failed: r.failed, skipped: r.skipped.size },
                { platform: r.platform, passed: cases, failed: 0, skipped: 0 }, r.output.slice(-2000));
    });

    it("on the micro:bit (16 KB of RAM), every conformance case that fits, micro_speech included; only magic_wand's arena and person_detect's model do not", () => {
        const m0 = runs.find((x) => x.recording.endsWith("conformance.replay") && x.platform.includes("M0"))!;
        const all = conformanceCases().map((c) => caseName(c));
        const skipped = [...m0.skipped.keys()].sort();
        assert.strictEqual(m0.failed, 0, m0.output.slice(-2000));
        assert.deepStrictEqual(skipped, all.filter((n) => /^(magic_wand|person_detect)\//.test(n)).sort(), m0.output.slice(-2000));
        assert.strictEqual(m0.passed, all.length - skipped.length);
        assert.ok(all.filter((n) => n.startsWith("micro_speech")).length > 0 && !skipped.some((n) => n.startsWith("micro_speech")));
        for (const [name, why] of m0.skipped)
            assert.match(why, name.startsWith("person_detect") ? /^model of \d+ bytes \(room for 131072\)$/ : /^arena 13824 bytes \+ parameter block \d+ bytes \(room for \d+\)$/);
    });

    it("every generated single-op case: every call's bytes equal, on all three", () => {
        const [host, m4, m0] = runs.filter((x) => x.recording.endsWith("generated.replay"));
        for (const r of [host, m4, m0]) {
            assert.strictEqual(r.failed, 0, r.output.slice(-2000));
            assert.strictEqual(r.skipped.size, 0, r.platform);
        }
        // All platforms replay the same cases, and there are many of them.
        assert.strictEqual(m4.passed, host.passed);
        assert.strictEqual(m0.passed, host.passed);
        assert.ok(host.passed > 500, `${host.passed} generated cases`);
    });
    it("every registered body has a C definition, and some recorded call reaches each", () => {
        assert.deepStrictEqual(missingBodies(), []);
        const tflite = loadTflite();
        tflite.registerReferenceKernels();
        const recorded = new Set([...recordedBodies(RECORDING), ...recordedBodies(GENERATED_RECORDING)]);
        // call_once, if_bytes and while_bytes run other subgraphs' ops from their bodies, so a call of theirs cannot
        // be replayed alone (node/replay.ts records the ops they run): test/tflm_goldens.test.ts runs
        // their C bodies through loader-tool.
        const runSubgraphs = ["call_once", "if_bytes", "while_bytes"];
        assert.deepStrictEqual(tflite.bodyList().filter((b: string) => !recorded.has(b) && !runSubgraphs.includes(b)), [], "bodies no recorded call reaches");
    });

    it("the harness catches one wrong output byte, on the host, the M4 and the micro:bit", function () {
        this.timeout(120000);
        const rec = fs.readFileSync(RECORDING);
        rec[firstOutputByte(rec)] ^= 1;
        const bad = path.join(NATIVE_BUILT, "corrupt.replay");
        fs.writeFileSync(bad, rec);
        for (const r of [runHostHarness(bad), runQemuM4(bad), runQemuM0(bad)]) {
            assert.strictEqual(r.callsFailed, 1, r.output.slice(0, 2000));
            assert.strictEqual(r.failed, 1);
            assert.match(r.output, /^FAIL \S+ invoke 0 op 0 \(\w+\): output byte 0 /m);
        }
    });

    it("the harness's clock counts instructions on both boards: a 2,000,000-instruction loop reads 2,000,000 / tick", () => {
        for (const [machine, elf, tick] of [["mps2-an386", "harness-m4.elf", TICK_INSTRUCTIONS.m4], ["microbit", "harness-m0.elf", TICK_INSTRUCTIONS.m0]] as const) {
            const r = runQemuHarness(machine, elf, ["-c"]);
            const m = /^C 2000000 (\d+)$/m.exec(r.output);
            assert.ok(m, r.output);
            assert.ok(Math.abs(Number(m![1]) * tick - 2e6) <= 2 * tick, `${machine}: ${m![1]} ticks of ${tick}`);
        }
    });

    it("micro_speech on the emulated micro:bit (Cortex-M0, -O2) takes fewer instructions per invoke than TFLM + CMSIS-NN's kernels there (2.60 M)", function () {
        this.timeout(120000);
        const t = timeVariant("harness-m0.elf", RECORDING, "m0");
        assert.ok(t.ok, "the timed replay is byte-exact");
        const ours = t.perModel.get("micro_speech_quantized")!;
        const tflm = TFLM_CMSIS_M0.micro_speech_quantized;
        assert.ok(ours > 0.5 * tflm && ours < tflm, `${ours} instructions, TFLM + CMSIS-NN ${tflm}`);
    });

    it("micro_speech and person_detect on the emulated Cortex-M4 (DSP path, -O2) take fewer instructions per invoke than TFLM + CMSIS-NN's kernels there (1.50 M, 22.93 M)", function () {
        this.timeout(120000);
        for (const model of ["micro_speech_quantized", "person_detect"]) {
            // Only this model's cases: the whole recording takes several times longer to time.
            const file = path.join(NATIVE_BUILT, `speed-${model}.replay`);
            recordConformance(file, model + "/");
            const t = timeVariant("harness-m4.elf", file);
            assert.ok(t.ok, `${model}: the timed replay is byte-exact`);
            const ours = t.perModel.get(model)!;
            assert.ok(ours > 0.5 * TFLM_CMSIS_M4[model] && ours < TFLM_CMSIS_M4[model], `${model}: ${ours} instructions, TFLM + CMSIS-NN ${TFLM_CMSIS_M4[model]}`);
        }
    });

    it("the kernels compile for the Cortex-M0 with -Wall -Wextra -Werror", () => {
        makeKernels(["m0-check"]);
    });

    it("the Cortex-M4 float code has no fused multiply-add (float kernels round every step)", () => {
        const dis = childProcess.execFileSync("arm-none-eabi-objdump", ["-d", path.join(NATIVE_BUILT, "harness-m4.elf")],
            { encoding: "utf8", maxBuffer: 256 << 20 });
        assert.ok(/\bvmul\.f32\b/.test(dis), "the float kernels are there");
        assert.ok(!/\bvf[n]?m[as]\.f32\b/.test(dis), "a vfma/vfms instruction");
    });
    it("the Cortex-M4 build uses the DSP path (SMLAD); the portable C build replays byte-exact on the M4 too", function () {
        this.timeout(600000);
        assert.ok(usesSmlad("harness-m4.elf"), "the default M4 harness has no SMLAD");
        const portable = buildVariant({ name: "portable C -O2", opt: "-O2", dsp: false });
        assert.ok(!usesSmlad(portable), "TFL_DSP=0 still uses SMLAD");
        for (const recording of [RECORDING, GENERATED_RECORDING]) {
            const r = runQemuM4(recording, portable);
            assert.strictEqual(r.failed, 0, r.output.slice(0, 4000));
            assert.strictEqual(r.callsFailed, 0);
            assert.ok(r.passed > 30);
        }
    });
});

describe("libs/tflite/tflite.cpp: the board's side of tflite.Interpreter", function () {
    this.timeout(600000);

    it("kernels/tflite_abi.h is what tools/gen-abi.ts makes from libs/tflite", () => {
        assert.deepStrictEqual(outOfDate(), [], "run npm run gen:abi");
    });

    it("type-checks with arm-none-eabi-g++ against pxt-microbit's pxt.h (CODAL names stubbed) and defines every shim of interpreter_shim.ts", () => {
        const core = path.join(NATIVE_BUILT, "pxt-core");
        fs.mkdirSync(core, { recursive: true });
        const target = JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", "pxt-microbit", "built", "target.json"), "utf8"));
        const headers = Object.keys(target.bundledpkgs.core).filter((f) => f.endsWith(".h"));
        assert.ok(headers.includes("pxt.h") && headers.includes("pxtbase.h"), "pxt-microbit ships pxt.h and pxtbase.h");
        for (const h of headers) fs.writeFileSync(path.join(core, h), target.bundledpkgs.core[h]);
        const object = path.join(NATIVE_BUILT, "tflite-glue.o");
        childProcess.execFileSync("arm-none-eabi-g++", ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=softfp", "-mfpu=fpv4-sp-d16",
            "-std=c++11", "-Wall", "-Werror", "-c", "-o", object,
            "-I" + path.join(REPO, "kernels", "pxt-stubs"), "-I" + core, path.join(LIB_DIR, "tflite.cpp")],
            { encoding: "utf8" });
        const symbols = childProcess.execFileSync("arm-none-eabi-nm", ["-C", object], { encoding: "utf8" });
        const shims = ["interpreter_shim.ts", "metadata.ts"].map((f) => [...fs.readFileSync(path.join(LIB_DIR, f), "utf8").matchAll(/\/\/% shim=tflite::(\w+)/g)].map((m) => m[1])).flat();
        assert.deepStrictEqual(shims.sort(), ["invokeState", "loadState", "metadataEntries", "parseDecimal", "resetState", "stateData"]);
        for (const s of shims) assert.match(symbols, new RegExp(` T tflite::${s}\\(`), `tflite::${s} is not defined`);
        for (const c of ["tfl_load", "tfl_write_state", "tfl_invoke", "tfl_reset", "tfl_find_metadata", "tfl_metadata_next", "tfl_utf8_clean", "tfl_decimal_span"])
            assert.match(symbols, new RegExp(` U ${c}$`, "m"), `the glue does not call ${c}`);
    });

    it("libs/gestures/gestures.cpp type-checks the same way and defines every shim of recognizer.ts, calling kernels/gesture.c", () => {
        const core = path.join(NATIVE_BUILT, "pxt-core");
        assert.ok(fs.existsSync(path.join(core, "pxt.h")), "the test above wrote pxt-microbit's headers");
        const object = path.join(NATIVE_BUILT, "gestures-glue.o");
        const gestures = path.join(REPO, "libs", "gestures");
        childProcess.execFileSync("arm-none-eabi-g++", ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=softfp", "-mfpu=fpv4-sp-d16",
            "-std=c++11", "-Wall", "-Werror", "-c", "-o", object,
            "-I" + path.join(REPO, "kernels", "pxt-stubs"), "-I" + core, path.join(gestures, "gestures.cpp")],
            { encoding: "utf8" });
        const symbols = childProcess.execFileSync("arm-none-eabi-nm", ["-C", object], { encoding: "utf8" });
        const shims = [...fs.readFileSync(path.join(gestures, "recognizer.ts"), "utf8").matchAll(/\/\/% shim=gestures::(\w+)/g)].map((m) => m[1]);
        assert.deepStrictEqual(shims.sort(), ["engineAddSample", "engineCreate", "engineFillInput", "engineReset", "engineSetSmoothing", "engineSetThreshold", "engineUpdate", "sameLabel"]);
        for (const s of shims) assert.match(symbols, new RegExp(` T gestures::${s}\\(`), `gestures::${s} is not defined`);
        for (const c of ["tfl_gesture_configure", "tfl_gesture_engine_init", "tfl_gesture_reset", "tfl_gesture_set_smoothing", "tfl_gesture_set_threshold", "tfl_gesture_add_sample", "tfl_gesture_fill_input", "tfl_gesture_update"])
            assert.match(symbols, new RegExp(` U ${c}$`, "m"), `the glue does not call ${c}`);
    });
});
