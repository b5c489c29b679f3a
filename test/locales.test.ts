// The extension in the 8 languages of micro:bit CreateAI, the MakeCode way (_locales/README.md):
// the English string files are what pxt generates from the sources now; every language has every
// key, and each block string the English one's parameters (parsed with pxt's own block-definition
// parser, so a translation pxt would refuse fails here); every help page exists in every language
// beside the English one, with the same code, pictures and links; pxt.json lists the string files.
// Then in headless chromium, offline, the editor npm start serves: in zh-TW the
// TinyML flyout draws "on gesture ... start" in that language and its Help opens the translated page.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vm from "vm";
import type { Browser, Frame, Page } from "playwright-core";
import { EditorServer, ROOT, copyProject, launchChromium, startEditorServer } from "../tools/serve-editor";
import { languageFolders, packageHelpPage } from "../tools/editor-server-hooks";

const { LANGUAGES, rootConfig } = require(path.join(ROOT, "tools", "sync-pxt-json.js"));
const { englishTables, asText, STRINGS, JSDOC } = require(path.join(ROOT, "tools", "gen-locales.js"));
const LOCALES = path.join(ROOT, "_locales");
const DOCS = path.join(ROOT, "docs");

function readJson(file: string): { [key: string]: string } {
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** pxt's block-definition parser (pxtlib's ts.pxtc.parseBlockDefinition), loaded once. */
let parser: ((def: string) => any) | null = null;
function parseBlock(def: string): { parameters: { name: string; ref: boolean }[]; parts: { kind: string; text?: string }[] } {
    if (!parser) {
        const file = path.join(ROOT, "node_modules", "pxt-core", "built", "pxtlib.js");
        vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file });
        parser = (globalThis as any).ts.pxtc.parseBlockDefinition;
    }
    const parsed = parser!(def);
    assert.ok(parsed, "pxt cannot parse the block '" + def + "'");
    return parsed;
}

/** A block definition's parameters as pxt reads them ($name: reference, %name: value), sorted. */
function blockParameters(def: string): string[] {
    return parseBlock(def).parameters.map(p => (p.ref ? "$" : "%") + p.name).sort();
}

/** The help pages translated: docs/gestures.md, speech.md, reference.md and every page under docs/reference/ (relative to docs/). */
function helpPages(): string[] {
    const pages = ["gestures.md", "speech.md", "reference.md"];
    const walk = (dir: string, rel: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
            if (entry.isDirectory() && entry.name !== "_locales") walk(path.join(dir, entry.name), rel + entry.name + "/");
            else if (entry.isFile() && entry.name.endsWith(".md")) pages.push(rel + entry.name);
        }
    };
    walk(path.join(DOCS, "reference"), "reference/");
    return pages;
}

/** Where a page's translation lives: beside it, in _locales/<lang>/. */
function translatedPage(page: string, lang: string): string {
    return path.join(DOCS, path.dirname(page), "_locales", lang, path.basename(page));
}

/** A page's code fences, each as its language and its code without // comments (which are translated). */
function codeFences(markdown: string): string[] {
    const fences: string[] = [];
    const fence = /^```([\w-]*)[ \t]*\r?\n([\s\S]*?)^```[ \t]*$/gm;
    for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) {
        const code = m[2].split("\n").map(line => line.replace(/\s*\/\/.*$/, "").trimEnd()).filter(line => line).join("\n");
        fences.push(m[1] + ":\n" + code);
    }
    return fences;
}

/** A page's pictures and links to other pages, sorted (a sentence may name them in another order). */
function targets(markdown: string): string[] {
    return [...markdown.replace(/^```[\s\S]*?^```/gm, "").matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1]).sort();
}

describe("the extension in 8 languages (_locales)", function () {
    this.timeout(60000);

    it("has the English strings pxt generates from the sources now (node tools/gen-locales.js)", function () {
        const tables = englishTables();
        for (const name of [STRINGS, JSDOC])
            assert.strictEqual(fs.readFileSync(path.join(LOCALES, name), "utf8"), asText(tables[name]), "_locales/" + name + " is stale: node tools/gen-locales.js");
        // What a student meets: the text of every block of the sources, and the descriptions of the
        // blocks and of the documented API.
        const values = Object.keys(tables[STRINGS]).map(k => tables[STRINGS][k]);
        for (const lib of ["gestures", "speech"])
            for (const m of fs.readFileSync(path.join(ROOT, "libs", lib, "blocks.ts"), "utf8").matchAll(/^\s*\/\/%.*\bblock="([^"]+)"/gm))
                // (not the category's name, TinyML: pxt writes no string for a namespace without
                // documented members of its own, and a proper name stays as it is)
                if (m[1] !== "TinyML") assert.ok(values.indexOf(m[1].replace(/\\\\/g, "\\")) >= 0, "libs/" + lib + "/blocks.ts block \"" + m[1] + "\" is not in _locales/" + STRINGS);
        assert.ok(tables[JSDOC]["gestures.onGestureStart"] && tables[JSDOC]["tflite.loadModel"] && tables[JSDOC]["tflite.TensorAccess.setInput"]);
    });

    it("has every key in every language, each block string with the English one's parameters", function () {
        assert.deepStrictEqual(LANGUAGES, ["ca", "es-ES", "ja", "ko", "nl", "pl", "pt-BR", "zh-TW"]);
        const problems: string[] = [];
        for (const name of [STRINGS, JSDOC]) {
            const english = readJson(path.join(LOCALES, name));
            for (const lang of LANGUAGES) {
                const file = path.join(LOCALES, lang, name);
                if (!fs.existsSync(file)) { problems.push("_locales/" + lang + "/" + name + " is missing"); continue; }
                const table = readJson(file);
                for (const key of Object.keys(english)) {
                    const value = table[key];
                    if (typeof value !== "string" || !value.trim()) { problems.push(lang + " " + name + ": no " + key); continue; }
                    if (/\|block$/.test(key)) {
                        const want = blockParameters(english[key]), got = blockParameters(value);
                        if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(lang + " " + key + ": parameters " + got.join(" ") + ", English " + want.join(" ") + " ('" + value + "')");
                    }
                    if (/\|param\|\w+\|defl$/.test(key) && value !== english[key]) problems.push(lang + " " + key + ": a default value (a model label) changed to '" + value + "'");
                }
                for (const key of Object.keys(table)) if (!(key in english)) problems.push(lang + " " + name + ": " + key + " is not an English key");
            }
        }
        assert.ok(problems.length === 0, problems.length + " problems:\n" + problems.join("\n"));
    });

    it("lists every language's string files in pxt.json (tools/sync-pxt-json.js), which MakeCode reads them from", function () {
        const config = readJson(path.join(ROOT, "pxt.json")) as any;
        assert.deepStrictEqual(config, rootConfig(), "pxt.json is behind: npm run build rewrites it");
        for (const lang of LANGUAGES)
            for (const name of [STRINGS, JSDOC]) assert.ok(config.files.indexOf("_locales/" + lang + "/" + name) >= 0, "pxt.json files: no _locales/" + lang + "/" + name);
        // Text only: nothing compiled (pxt compiles .ts and, for the board, .c/.cpp).
        assert.deepStrictEqual(config.files.filter((f: string) => /^_locales\//.test(f) && !/\.json$/.test(f)), []);
    });

    it("has every help page in every language, beside the English page, with its code, pictures and links", function () {
        const pages = helpPages();
        assert.strictEqual(pages.length, 33, pages.join(", "));
        const problems: string[] = [];
        for (const page of pages) {
            const english = fs.readFileSync(path.join(DOCS, page), "utf8");
            for (const lang of LANGUAGES) {
                const file = translatedPage(page, lang);
                const shown = path.relative(ROOT, file);
                if (!fs.existsSync(file)) { problems.push(shown + " is missing"); continue; }
                const text = fs.readFileSync(file, "utf8");
                if (!/^# \S/m.test(text)) problems.push(shown + ": no title");
                if (text.trim() === english.trim()) problems.push(shown + ": the English page");
                const want = codeFences(english), got = codeFences(text);
                if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(shown + ": code differs from the English page's:\n" + got.filter(f => want.indexOf(f) < 0).join("\n---\n"));
                if (JSON.stringify(targets(english)) !== JSON.stringify(targets(text))) problems.push(shown + ": links/pictures " + JSON.stringify(targets(text)) + ", English " + JSON.stringify(targets(english)));
            }
        }
        assert.ok(problems.length === 0, problems.length + " problems:\n" + problems.join("\n"));
    });

    it("the editor's server finds a page's translation for a language code as pxt normalizes it", function () {
        assert.deepStrictEqual(languageFolders("pt-BR"), ["pt-BR", "pt-br", "pt"]);
        assert.deepStrictEqual(languageFolders("es-es"), ["es-ES", "es-es", "es"]);
        assert.deepStrictEqual(languageFolders("ja"), ["ja"]);
        const config = { workspace: ROOT, targetDir: "", bundledPackages: { tinyml: ROOT }, hiddenProjects: [] };
        const ja = packageHelpPage(config, "reference/gestures/on-gesture-start", "ja")!;
        assert.deepStrictEqual(ja, { file: translatedPage("reference/gestures/on-gesture-start.md", "ja"), translated: true });
        // "Learn more" of the Extensions dialog: /reference/tinyml is docs/reference.md.
        assert.strictEqual(packageHelpPage(config, "reference/tinyml", "ko")!.file, translatedPage("reference.md", "ko"));
        // A language without translations: the English page; a page not the extension's: pxt serve's.
        assert.deepStrictEqual(packageHelpPage(config, "reference/gestures/certainty", "fr"), { file: path.join(DOCS, "reference", "gestures", "certainty.md"), translated: false });
        assert.strictEqual(packageHelpPage(config, "reference/basic/show-number", "ja"), null);
        assert.strictEqual(packageHelpPage(config, "reference/../../package", "ja"), null);
    });
});

/** The text of the visible flyout's block of a type (its labels and fields, in document order). */
async function flyoutBlockText(page: Page, type: string): Promise<string> {
    return page.evaluate(blockType => {
        const doc = (globalThis as any).document;
        const flyout = Array.from(doc.querySelectorAll(".blocklyFlyout")).find((f: any) => f.getBoundingClientRect().width > 0) as any;
        const block = flyout && flyout.querySelector(".blocklyBlockCanvas > g." + blockType);
        return block ? (block.textContent as string).replace(/\u00a0/g, " ") : "";
    }, type);
}

/**
 * The language the editor is driven in: Traditional Chinese with its region (zh-TW), a code with a
 * region whose folder is spelled so, in a script other than Latin. The editor reads every language
 * the same way, from the files the tests above check, and each takes about 20 s here, so the test
 * drives one (all eight passed, in 3 min 40 s, when this test was written; es-ES and ja were driven
 * too until the test command's time was cut).
 */
const EDITOR_LANGUAGES = ["zh-TW"];

describe("the editor (npm start) in other languages, in headless chromium", function () {
    this.timeout(60000);
    let workspace: string;
    let server: EditorServer;
    let browser: Browser;

    before(async function () {
        workspace = fs.mkdtempSync(path.join(os.tmpdir(), "tinyml-locales-"));
        copyProject(path.join(ROOT, "projects", "gestures-demo"), path.join(workspace, "projects", "gestures-demo"));
        copyProject(path.join(ROOT, "projects", "tinyml"), path.join(workspace, "projects", "tinyml"));
        server = await startEditorServer({ workspace, timeoutMs: 60000 });
        browser = await launchChromium();
    });

    after(async function () {
        this.timeout(30000);
        if (browser) await browser.close().catch(() => undefined);
        if (server) await server.stop();
        if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
    });

    for (const lang of EDITOR_LANGUAGES) {
        it(lang + ": the TinyML blocks and their help page in " + lang + ", offline", async function () {
            const strings = readJson(path.join(LOCALES, lang, STRINGS));
            const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
            try {
                const page = await context.newPage();
                await page.route(url => url.origin !== server.origin, route => route.abort());
                // ?lang= as a link would give it (the settings menu's Language reloads the editor the same way).
                await page.goto(server.editorUrl.replace("?ws=fs", "?ws=fs&lang=" + lang), { waitUntil: "load", timeout: 60000 });
                await page.locator(".ui.card", { hasText: "gestures-demo" }).first().click({ timeout: 30000 });
                const row = page.locator(".blocklyTreeRow[data-ns=\"tinyml\"]").first();
                await row.waitFor({ timeout: 60000 });
                assert.strictEqual(await page.evaluate(() => (globalThis as any).pxt.Util.userLanguage()), lang, "the editor's language");

                // The flyout's "on gesture ... start": the translated words around the translated gesture name.
                await row.click();
                await page.waitForFunction(() => Array.from((globalThis as any).document.querySelectorAll(".blocklyFlyout .blocklyBlockCanvas > g.gestures_on_start"))
                    .some((b: any) => b.getBoundingClientRect().width > 0), null, { timeout: 15000 });
                const text = await flyoutBlockText(page, "gestures_on_start");
                const labels = parseBlock(strings["gestures.onGestureStart|block"]).parts.filter(p => p.kind === "label").map(p => p.text!.trim()).filter(t => t);
                for (const label of labels) assert.ok(text.indexOf(label) >= 0, "'" + label + "' not in the block '" + text + "'");
                const gestureShown = [...Object.keys(strings)].filter(k => /^BuiltinGesture\.\w+\|block$/.test(k)).some(k => text.indexOf(strings[k]) >= 0);
                assert.ok(gestureShown, "no translated gesture name in the block '" + text + "'");
                assert.ok(text.indexOf("on gesture") < 0, "English in the block '" + text + "'");

                // Help on it: the translated page, with its signature drawn.
                const label = await page.evaluate(() => {
                    const doc = (globalThis as any).document;
                    const flyout = Array.from(doc.querySelectorAll(".blocklyFlyout")).find((f: any) => f.getBoundingClientRect().width > 0) as any;
                    const r = flyout.querySelector(".blocklyBlockCanvas > g.gestures_on_start > .blocklyLabelField").getBoundingClientRect();
                    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
                });
                await page.mouse.click(label.x, label.y, { button: "right" });
                await page.locator(".blocklyWidgetDiv .blocklyMenuItem", { hasText: "Help" }).first().click();
                const markdown = fs.readFileSync(translatedPage("reference/gestures/on-gesture-start.md", lang), "utf8");
                const title = /^# (.+)$/m.exec(markdown)![1].trim();
                const deadline = Date.now() + 30000;
                let docs: Frame | undefined;
                while (!(docs = page.frames().find(f => f.url().indexOf("#doc:/reference/gestures/on-gesture-start:") >= 0))) {
                    if (Date.now() > deadline) assert.fail("no side docs: " + page.frames().map(f => f.url()).join(", "));
                    await page.waitForTimeout(200);
                }
                await docs.locator("h1", { hasText: title }).first().waitFor({ timeout: 30000 });
                await docs.waitForFunction(() => !!(globalThis as any).document.querySelector("svg .blocklyText"), null, { timeout: 30000 });
                const body = (await docs.locator("body").innerText()).replace(/\s+/g, " ");
                for (const label of labels) assert.ok(body.indexOf(label) >= 0, "the page's signature block lacks '" + label + "': " + body.slice(0, 400));
            } finally {
                await context.close();
            }
        });
    }
});
