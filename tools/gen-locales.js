#!/usr/bin/env node
// Writes the extension's English strings, _locales/tinyml-strings.json (block texts, categories,
// groups, default values) and _locales/tinyml-jsdoc-strings.json (descriptions), the files
// MakeCode translates an extension from (_locales/<lang>/ holds the translations). They come from
// MakeCode's own generator, `pxt gendocs --locs`, run on a copy of the extension in a temporary
// folder (so no pxt_modules or built/ lands in the checkout). The copy leaves out the C and C++:
// gendocs needs only the Static TypeScript, and the .cpp's generated shims.d.ts would clash with
// the shims' STS bodies.
//
// pxt writes a string for every documented symbol of the package; this keeps the ones a student
// meets: every block's text, category, group and defaults, and the descriptions of the blocks and
// of the API the help pages document (docs/reference/**, their ```sig``` lines). Kernel parameter
// layouts, engine shims and the interpreter's internals stay in English only.
//
// `node tools/gen-locales.js` rewrites the two files; `--check` only says whether they are stale
// (exit 1). Plain JavaScript, like sync-pxt-json.js.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const childProcess = require("child_process");

const root = path.resolve(__dirname, "..");
const localesDir = path.join(root, "_locales");
const STRINGS = "tinyml-strings.json";
const JSDOC = "tinyml-jsdoc-strings.json";

/** Runs `pxt gendocs --locs` on a copy of the extension's STS files; returns pxt's two string tables. */
function pxtStrings() {
    const config = JSON.parse(fs.readFileSync(path.join(root, "pxt.json"), "utf8"));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "tinyml-locs-"));
    try {
        const files = config.files.filter((f) => /\.ts$/.test(f) || f === "README.md");
        for (const f of files) {
            fs.mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
            fs.copyFileSync(path.join(root, f), path.join(work, f));
        }
        const copy = Object.assign({}, config, { files, fileDependencies: undefined });
        fs.writeFileSync(path.join(work, "pxt.json"), JSON.stringify(copy, null, 4));
        for (const args of [["install"], ["gendocs", "--locs"]]) {
            const res = childProcess.spawnSync(process.execPath, [path.join(__dirname, "pxt.js")].concat(args), { cwd: work, encoding: "utf8" });
            if (res.status !== 0) throw new Error("pxt " + args.join(" ") + " failed:\n" + res.stdout + res.stderr);
        }
        const read = (name) => JSON.parse(fs.readFileSync(path.join(work, "_locales", name), "utf8"));
        return { strings: read(STRINGS), jsdoc: read(JSDOC) };
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/** The functions and methods the help pages' signatures name: "gestures.certainty", "interpreter.invoke"... */
function documentedCalls() {
    const names = new Set();
    const walk = (dir) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(file);
            else if (/\.md$/.test(entry.name)) {
                const text = fs.readFileSync(file, "utf8");
                for (const block of text.match(/```sig\n[\s\S]*?```/g) || [])
                    for (const m of block.matchAll(/\b([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*\(/g)) names.add(m[1] + "." + m[2]);
            }
        }
    };
    walk(path.join(root, "docs", "reference"));
    return names;
}

/**
 * Whether a jsdoc key is about what a student sees: a block's symbol, a function a help page
 * documents (a method called on `interpreter` is tflite.Interpreter's or its base class
 * TensorAccess's), a namespace, the block enums, or a parameter of one of those.
 */
function studentFacing(key, blockSymbols, calls) {
    const symbol = key.split("|")[0];
    if (blockSymbols.has(symbol) || calls.has(symbol)) return true;
    if (["gestures", "speech", "tflite", "tinyml", "BuiltinGesture", "SpeechWord", "tflite.Interpreter", "tflite.TensorAccess"].indexOf(symbol) >= 0) return true;
    const method = /^tflite\.(Interpreter|TensorAccess)\.(\w+)$/.exec(symbol);
    return !!method && calls.has("interpreter." + method[2]);
}

/** The English tables as committed: pxt's strings, narrowed to the student-facing ones. */
function englishTables() {
    const { strings, jsdoc } = pxtStrings();
    // Block texts, defaults, handler parameters, categories and groups: every key with a '|' or
    // an {id:...}. Plain keys there are the doc comments of enum members (the kernels' parameter
    // layouts), not shown by any block.
    const blockStrings = {};
    for (const key of Object.keys(strings)) if (/\||^\{id:/.test(key)) blockStrings[key] = strings[key];
    const blockSymbols = new Set(Object.keys(blockStrings).filter((k) => /\|block$/.test(k)).map((k) => k.split("|")[0]));
    const calls = documentedCalls();
    const descriptions = {};
    for (const key of Object.keys(jsdoc)) if (studentFacing(key, blockSymbols, calls)) descriptions[key] = jsdoc[key];
    return { [STRINGS]: blockStrings, [JSDOC]: descriptions };
}

const asText = (table) => JSON.stringify(table, null, 2) + "\n";

function main() {
    const check = process.argv.indexOf("--check") >= 0;
    const tables = englishTables();
    let stale = [];
    for (const name of Object.keys(tables)) {
        const file = path.join(localesDir, name);
        const text = asText(tables[name]);
        if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) continue;
        stale.push("_locales/" + name);
        if (!check) {
            fs.mkdirSync(localesDir, { recursive: true });
            fs.writeFileSync(file, text);
        }
    }
    if (check && stale.length) {
        console.error("gen-locales: stale, run node tools/gen-locales.js: " + stale.join(", "));
        process.exit(1);
    }
    if (!check && stale.length) console.log("gen-locales: wrote " + stale.join(", "));
}

module.exports = { englishTables, documentedCalls, asText, STRINGS, JSDOC };

if (require.main === module) main();
