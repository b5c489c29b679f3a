// Every library compiles with MakeCode's own compiler, not just with tsc: tools/check-sts.js (npm
// run check:sts) builds libs/tflite, libs/gestures and libs/speech for the simulator with tree
// shaking off, so that code no test program reaches is compiled too. (Natively only the shims and
// the blocks are compiled: test/firmware.test.ts builds real firmware of programs using them.)
import * as assert from "assert";
import * as childProcess from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

describe("Static TypeScript (pxt's compiler)", function () {
    this.timeout(5 * 60 * 1000);

    it("compiles every function of libs/tflite, libs/gestures and libs/speech without errors", () => {
        const res = childProcess.spawnSync(process.execPath, [path.join(ROOT, "tools", "check-sts.js")], { cwd: ROOT, encoding: "utf8" });
        const output = (res.stdout || "") + (res.stderr || "");
        assert.match(output, /^# no errors;/m, output);
        assert.strictEqual(res.status, 0, output);
    });
});
