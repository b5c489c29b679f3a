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

    it("refuses a model that has no conformance cases, naming it", () => {
        assert.throws(() => timeTflm("/nonexistent.elf", "no_such_model"), /no conformance cases for no_such_model/);
    });
});
