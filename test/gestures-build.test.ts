// The gesture blocks as MakeCode packages them: libs/gestures/pxt.json, the root pxt.json (the
// "tinyml" extension a user adds), and the native micro:bit v2 build of the sample project
// projects/gestures-demo (pxt build, offline), with the built-in model in flash.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { GESTURES_LIB_DIR, writeGesturesProject } from "../node/gestures";
import { ROOT, compileForSimulator } from "../node/simulator";

const DOCS = path.join(ROOT, "docs", "reference", "gestures");

function readJson(file: string): any {
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

describe("gesture blocks: MakeCode packaging", () => {
    it("libs/gestures/pxt.json lists every .ts and .cpp file of the library (node-runtime.d.ts is for tsc only)", () => {
        const config = readJson(path.join(GESTURES_LIB_DIR, "pxt.json"));
        const sources = fs.readdirSync(GESTURES_LIB_DIR).filter((f) => (f.endsWith(".ts") && !f.endsWith(".d.ts")) || f.endsWith(".cpp"));
        assert.deepStrictEqual([...config.files].sort(), sources.sort());
        assert.deepStrictEqual(config.dependencies, { core: "*", tflite: "file:../tflite" });
        assert.deepStrictEqual(config.disablesVariants, ["mbdal"]);
    });

    it("the root pxt.json is the 'tinyml' extension: every library's files, as tools/sync-pxt-json.js writes it", () => {
        const { rootConfig, LIBS } = require(path.join(ROOT, "tools", "sync-pxt-json.js"));
        const root = readJson(path.join(ROOT, "pxt.json"));
        assert.deepStrictEqual(root, rootConfig(), "the root pxt.json is behind libs/*/pxt.json: npm run build rewrites it (then commit it)");
        assert.strictEqual(root.name, "tinyml");
        for (const lib of LIBS) {
            const config = readJson(path.join(ROOT, "libs", lib, "pxt.json"));
            for (const f of config.files) assert.ok(root.files.includes("libs/" + lib + "/" + f), "libs/" + lib + "/" + f);
        }
        // An extension loaded from GitHub cannot reach other folders.
        assert.deepStrictEqual(Object.values(root.dependencies).filter((v: any) => /^file:/.test(v)), []);
        for (const f of root.files) assert.ok(fs.existsSync(path.join(ROOT, f)), f + " is listed but missing");
    });

    it("every gesture block has a help page and the TinyML category has a colour and an icon", () => {
        const blocks = fs.readFileSync(path.join(GESTURES_LIB_DIR, "blocks.ts"), "utf8");
        const category = /\/\/% (.*)\s*\n(?:\/\/%.*\n)*namespace tinyml/.exec(blocks);
        assert.ok(category && /block="TinyML"/.test(category[1]) && /color="#[0-9a-f]{6}"/.test(category[1]) && /icon="\\uf[0-9a-f]{3}"/.test(category[1]),
            "namespace tinyml's annotation: " + (category && category[1]));
        const ids = [...blocks.matchAll(/\/\/% blockId=(\w+)([^\n]*)/g)];
        assert.ok(ids.length >= 10);
        for (const [, id, rest] of ids) {
            if (/blockHidden=true/.test(rest)) continue;
            const help = /help=gestures\/([\w-]+)/.exec(rest);
            assert.ok(help, id + " has no help page");
            const page = path.join(DOCS, help![1] + ".md");
            assert.ok(fs.existsSync(page), id + ": no " + path.relative(ROOT, page));
            const text = fs.readFileSync(page, "utf8");
            // The picture tools/render-blocks.ts draws from the page's first blocks snippet.
            assert.ok(text.includes("](/static/blocks/reference/gestures/" + help![1] + ".png)"), page + " shows no picture of its block");
            assert.ok(/^```blocks$/m.test(text), page + " has no blocks example");
            assert.ok(fs.readFileSync(path.join(ROOT, "docs", "reference.md"), "utf8").includes("(/reference/gestures/" + help![1] + ")"),
                "docs/reference.md does not link " + help![1]);
        }
    });
});

/** The ```blocks snippets of the gesture pages, each as one function (so their handlers do not clash). */
function docsProgram(): string {
    const parts: string[] = [];
    for (const page of fs.readdirSync(DOCS).filter((f) => f.endsWith(".md")).sort()) {
        const text = fs.readFileSync(path.join(DOCS, page), "utf8");
        const fence = /^```blocks\n([\s\S]*?)^```$/gm;
        for (let m = fence.exec(text), i = 0; m; m = fence.exec(text), i++)
            parts.push("// " + page + "\nfunction example_" + page.replace(/\W/g, "_") + "_" + i + "() {\n" + m[1] + "}\n");
    }
    return parts.join("\n");
}

describe("gesture blocks: the docs' examples", function () {
    this.timeout(10 * 60 * 1000);

    it("the examples of the gesture pages (docs/reference/gestures) compile", () => {
        const dir = path.join(ROOT, "built", "sim", "gestures-docs");
        const program = docsProgram();
        assert.ok(program.split("function example_").length - 1 >= 10);
        writeGesturesProject(dir, "gestures-docs", { "main.ts": program });
        compileForSimulator(dir);
    });

});
