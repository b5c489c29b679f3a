// The MakeCode side of the repository: package files. (Native builds: test/firmware.test.ts.)
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { HELLO_MODEL, HELLO_PROJECT, installProject, writeHelloModel } from "../node/sample-project";
import { decodeIntelHex, findInImage } from "../node/intel-hex";
import { LIB_DIR, ROOT, buildHex } from "../node/simulator";

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
        assert.deepStrictEqual(rootConfig.files.filter((f: string) => f.startsWith("libs/tflite/")), tfliteSources);
        for (const dep of Object.keys(lib.dependencies)) assert.ok(dep in rootConfig.dependencies, "root pxt.json lacks " + dep);
        assert.deepStrictEqual(rootConfig.disablesVariants, lib.disablesVariants);
        assert.strictEqual(rootConfig.version, lib.version);
    });
});
