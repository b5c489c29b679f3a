#!/usr/bin/env node
// npm run check:sts: compiles libs/tflite, libs/gestures and libs/speech with MakeCode's compiler
// (pxt) and prints its errors,
// the things plain tsc accepts but Static TypeScript does not (for..in, field initializers
// without a constructor, `any` property access...).
//
// The compiles, all offline: each library for the simulator with tree shaking off, so that every
// function is compiled, used or not (pxt reports STS errors only in code it emits). The native
// side (the compiler's ARM back end) compiles only what runs on the board: tflite.Interpreter's
// shims, the gesture and speech blocks; test/firmware.test.ts builds real firmware of programs that
// use all of them (the STS interpreter itself never goes native: its shims' bodies are the simulator's).
// The errors also go to .tmp/sts-errors.txt, grouped by file. It also rewrites the root pxt.json
// (the extension users add) from libs/tflite/pxt.json. Plain JavaScript so that it runs even
// when `npm run build` does not.
"use strict";
const fs = require("fs");
const path = require("path");
const childProcess = require("child_process");
const { syncRootConfig } = require("./sync-pxt-json");

const root = path.resolve(__dirname, "..");
const lib = path.join(root, "libs", "tflite");
/** The block libraries, built on libs/tflite. */
const blockLibs = ["gestures", "speech"].map((name) => path.join(root, "libs", name)).filter((dir) => fs.existsSync(path.join(dir, "pxt.json")));
const pxtCli = path.join(__dirname, "pxt.js");
const report = path.join(root, ".tmp", "sts-errors.txt");
/** A program that uses every library: a library with C++ cannot be compiled as the main package itself (pxt asks for a shims.d.ts). */
const checkProject = path.join(root, "built", "sts-check");

function pxt(dir, args, env) {
    const res = childProcess.spawnSync(process.execPath, [pxtCli].concat(args), {
        cwd: dir, encoding: "utf8", env: Object.assign({}, process.env, env || {}), maxBuffer: 64 << 20,
    });
    return { status: res.status, output: (res.stdout || "") + (res.stderr || "") };
}

function ensureInstalled(dir) {
    if (fs.existsSync(path.join(dir, "pxt_modules", "core", "pxt.json"))) return;
    const res = pxt(dir, ["install"]);
    if (res.status !== 0) throw new Error("pxt install failed in " + dir + ":\n" + res.output);
}

/** Parses pxt's "file(line,col): error TSnnnn: message" lines into {file, line, col, code, message}. */
function parseErrors(output, baseDir) {
    const errors = [];
    for (const line of output.split(/\r?\n/)) {
        const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line.trim());
        if (!m) continue;
        const raw = m[1].replace(/\\/g, "/")
        const lib = /^pxt_modules\/(tflite|gestures|speech)\//.exec(raw);
        const file = lib ? "libs/" + lib[1] + "/" + raw.slice(lib[0].length)
            : /^pxt_modules\//.test(raw) ? raw
            : path.relative(root, path.resolve(baseDir, raw)).replace(/\\/g, "/")
        errors.push({ file, line: +m[2], col: +m[3], code: m[4], message: m[5] });
    }
    return errors;
}

function writeCheckProject() {
    fs.mkdirSync(checkProject, { recursive: true });
    const rel = (dir) => "file:" + path.relative(checkProject, dir).split(path.sep).join("/");
    const dependencies = { core: "*", radio: "*", microphone: "*", tflite: rel(lib) };
    for (const dir of blockLibs) dependencies[path.basename(dir)] = rel(dir);
    // The extension that puts every kernel into the board's build: a pxt.json setting, no code.
    dependencies["tinyml-all-ops"] = rel(path.join(root, "libs", "all-ops"));
    const config = { name: "sts-check", dependencies, files: ["main.ts"] };
    const text = JSON.stringify(config, null, 4) + "\n";
    const file = path.join(checkProject, "pxt.json");
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
    fs.writeFileSync(path.join(checkProject, "main.ts"), "// Every function of the libraries is compiled (tree shaking off).\n");
}

function main() {
    const rootChanged = syncRootConfig();
    ensureInstalled(lib);

    // compilesim (tools/pxt.js): pxt run's simulator compile, which needs no C++ build.
    writeCheckProject();
    ensureInstalled(checkProject);
    const runs = [{ what: "simulator, every function of libs/tflite, libs/gestures and libs/speech", dir: checkProject, args: ["compilesim"], env: { PXT_COMPILE_SWITCHES: "noTreeShake" } }];
    const seen = new Set();
    const errors = [];
    const failures = [];
    const notes = [];
    for (const run of runs) {
        const res = pxt(run.dir, run.args, run.env);
        const notesBefore = notes.length;
        const found = parseErrors(res.output, run.dir);
        for (const e of found) {
            const key = e.file + ":" + e.line + ":" + e.col + ":" + e.message;
            if (seen.has(key)) continue;
            seen.add(key);
            errors.push(e);
        }
        if (res.status !== 0 && found.length === 0 && notes.length === notesBefore) failures.push(run.what + ": pxt exited with " + res.status + "\n" + res.output);
    }
    errors.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col);

    const lines = [];
    lines.push("# STS compile errors (npm run check:sts, " + new Date().toISOString() + ")");
    lines.push("# " + (errors.length ? errors.length + " errors" : "no errors") + "; regenerated on every run");
    let current = "";
    for (const e of errors) {
        if (e.file !== current) {
            current = e.file;
            lines.push("", "## " + current);
        }
        lines.push(e.file + "(" + e.line + "," + e.col + "): " + e.code + ": " + e.message);
    }
    for (const f of failures) lines.push("", "## pxt failed", f);
    if (rootChanged) notes.push("updated the root pxt.json from libs/tflite/pxt.json: commit it");
    for (const n of notes) lines.push("", "note: " + n);
    const text = lines.join("\n") + "\n";
    fs.mkdirSync(path.dirname(report), { recursive: true });
    fs.writeFileSync(report, text);
    process.stdout.write(text);
    process.exit(errors.length || failures.length ? 1 : 0);
}

main();
