// The MakeCode side of the repository: package files. (Native builds: test/firmware.test.ts.)
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { LIB_DIR, ROOT } from "../node/simulator";

function readJson(file: string): any {
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

describe("MakeCode packaging", () => {
    it("libs/tflite/pxt.json lists every .ts file of libs/tflite", () => {
        const config = readJson(path.join(LIB_DIR, "pxt.json"));
        const listed = new Set<string>([...config.files, ...(config.testFiles || [])]);
        const sources = fs.readdirSync(LIB_DIR).filter((f) => f.endsWith(".ts"));
        assert.deepStrictEqual(sources.filter((f) => !listed.has(f)), []);
        assert.deepStrictEqual([...listed].filter((f) => f.endsWith(".ts") && !sources.includes(f)), []);
        assert.deepStrictEqual(config.dependencies, { core: "*" });
        // A model does not fit a micro:bit v1's 16 KB of RAM; a v2-only package lets the program use v2's flash.
        assert.deepStrictEqual(config.disablesVariants, ["mbdal"]);
    });

    it("the root pxt.json (the extension a MakeCode user adds) is the one the libraries imply, libs/tflite's sources first", () => {
        const lib = readJson(path.join(LIB_DIR, "pxt.json"));
        const rootConfig = readJson(path.join(ROOT, "pxt.json"));
        // tools/sync-pxt-json.js is plain JavaScript run before tsc; its rootConfig() is what the build writes.
        const sync = require(path.join(ROOT, "tools", "sync-pxt-json.js"));
        assert.deepStrictEqual(rootConfig, sync.rootConfig(),
            "the root pxt.json is behind libs/*/pxt.json: npm run build rewrites it (then commit it)");
        const tfliteSources = lib.files.map((f: string) => "libs/tflite/" + f);
        const native: string[] = sync.nativeFiles();
        assert.deepStrictEqual(rootConfig.files.filter((f: string) => f.startsWith("libs/tflite/") && !native.includes(f)), tfliteSources);
        // The board's C: the glue and every kernels/ source but the test harness's, listed once, straight from kernels/.
        for (const f of native) assert.ok(rootConfig.files.includes(f) && fs.existsSync(path.join(ROOT, f)), f);
        assert.ok(native.includes("libs/tflite/tflite.cpp") && native.includes("kernels/loader.c") && native.includes("kernels/conv.c"));
        assert.ok(!native.some((f) => /harness|startup|platform\.h|host\//.test(f)), native.join(" "));
        for (const dep of Object.keys(lib.dependencies)) assert.ok(dep in rootConfig.dependencies, "root pxt.json lacks " + dep);
        assert.deepStrictEqual(rootConfig.disablesVariants, lib.disablesVariants);
        assert.strictEqual(rootConfig.version, lib.version);
    });
});
