// tools/native-bench.ts's comparison with TFLM: the TFLM programs are built outside the project
// (tools/tflm-cmsis/), so the bench must say where to build them when they are missing, and not
// fail.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TFLM_BUILDS, tflmComparison, timeTflm } from "../tools/native-bench";

describe("native-bench beside TFLM + CMSIS-NN", () => {
    it("without the TFLM programs, prints where to build them instead of failing", () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-tflm-"));
        try {
            const lines = tflmComparison([], empty);
            assert.strictEqual(lines.length, 2, lines.join("\n"));
            assert.ok(lines[0].includes("not measured"), lines[0]);
            for (const b of TFLM_BUILDS) assert.ok(lines[0].includes(b.elf), lines[0]);
            assert.ok(lines[0].includes(empty), lines[0]);
            assert.ok(lines[1].includes("tools/tflm-cmsis/build.sh") && lines[1].includes("TFLM_CMSIS_ELF_DIR"), lines[1]);
        } finally {
            fs.rmSync(empty, { recursive: true });
        }
    });

    it("a TFLM program that does not run is reported in the table, not thrown", function () {
        this.timeout(60000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-tflm-"));
        try {
            // Not an ELF (QEMU would run it as raw code): refused before QEMU starts.
            fs.writeFileSync(path.join(dir, TFLM_BUILDS[0].elf), "not an ELF file");
            const ours = { name: "DSP -O2", timing: { perModel: new Map([["micro_speech_quantized", 1.44e6]]), perBody: new Map(), skipped: new Map(), ok: true } };
            const lines = tflmComparison([ours], dir);
            const text = lines.join("\n");
            assert.match(text, /^\| model \| ours, DSP -O2 \| TFLM \+ CMSIS-NN, kernels \| TFLM \+ CMSIS-NN, whole invoke \|$/m);
            assert.match(text, /^\| micro_speech_quantized \| 1\.44 M \| - \| - \|$/m);
            assert.match(text, /^\| person_detect \| - \| - \| - \|$/m);
            assert.match(text, /TFLM \+ CMSIS-NN, micro_speech_quantized: did not run, or NOT equal to TFLM's goldens \(figures unusable\): .*is not an ELF file/);
            assert.match(text, /not measured: TFLM reference kernels/);
        } finally {
            fs.rmSync(dir, { recursive: true });
        }
    });

    it("refuses a model that has no conformance cases, naming it", () => {
        assert.throws(() => timeTflm("/nonexistent.elf", "no_such_model"), /no conformance cases for no_such_model/);
    });
});
