// The MakeCode side of the repository: package files, and the native micro:bit build (pxt,
// offline: the project adds no C++, so pxt-microbit's prebuilt runtime is linked in as is).
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

describe("native micro:bit build", function () {
    this.timeout(10 * 60 * 1000);

    it("pxt build turns projects/hello-tflite into a micro:bit v2 hex that holds the model", () => {
        const model = writeHelloModel();
        installProject(HELLO_PROJECT);
        const built = path.join(HELLO_PROJECT, "built");
        for (const f of ["binary.hex", "mbcodal-binary.hex"]) if (fs.existsSync(path.join(built, f))) fs.unlinkSync(path.join(built, f));

        const hex = buildHex(HELLO_PROJECT);
        assert.ok(fs.statSync(hex).size > 100000, "binary.hex is only " + fs.statSync(hex).size + " bytes");
        assert.ok(fs.readFileSync(hex, "utf8").startsWith(":"), "binary.hex is not Intel HEX");

        // The v2 image: runtime plus program, with the model's bytes in flash, read in place.
        const image = decodeIntelHex(fs.readFileSync(path.join(built, "mbcodal-binary.hex"), "utf8"));
        const at = findInImage(image, model);
        assert.ok(at > 0, "the " + model.length + "-byte model (" + HELLO_MODEL + ") is not in the hex");
        assert.ok(at + model.length <= 512 * 1024, "the model lies outside the 512 KB flash, at " + at);
    });
});
