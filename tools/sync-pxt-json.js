#!/usr/bin/env node
// Writes the root pxt.json from libs/*/pxt.json. The root pxt.json is the extension a MakeCode
// user adds from GitHub ("tinyml": the interpreter, the gesture blocks, the speech blocks): every
// library's files listed by path from the root, because an extension loaded from GitHub cannot
// use "file:" dependencies. Its other dependencies are the union of the libraries' (without the
// file: ones, which it contains). `npm run build` and `npm run check:sts` run this, so a file added
// to a library's pxt.json reaches it; commit the root pxt.json when it changes. Plain JavaScript:
// it runs before tsc.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");

/**
 * The libraries in the extension, in dependency order (a library missing from the checkout is
 * skipped). Both gestures and speech annotate the category (namespace tinyml); pxt merges the
 * annotations and the later file's `groups` wins: gestures' lists every group, so it comes last.
 */
const LIBS = ["tflite", "speech", "gestures"];

/**
 * The languages the extension is translated into (micro:bit CreateAI's): MakeCode reads a
 * language's block strings from _locales/<lang>/tinyml-strings.json and tinyml-jsdoc-strings.json
 * only when pxt.json "files" lists them (see _locales/README.md). Text only: nothing of them is
 * compiled into the firmware.
 */
const LANGUAGES = ["ca", "es-ES", "ja", "ko", "nl", "pl", "pt-BR", "zh-TW"];

/** The translation files present for LANGUAGES, by path from the root (test/locales.test.ts checks that none is missing). */
function localeFiles() {
    const files = [];
    for (const lang of LANGUAGES)
        for (const name of ["tinyml-strings.json", "tinyml-jsdoc-strings.json"])
            if (fs.existsSync(path.join(root, "_locales", lang, name))) files.push("_locales/" + lang + "/" + name);
    return files;
}

function readLib(name) {
    const file = path.join(root, "libs", name, "pxt.json");
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null;
}

/**
 * The C sources of the board's interpreter, listed by the root pxt.json straight from kernels/
 * (one copy of each): the C++ glue (libs/tflite/tflite.cpp, the shims of interpreter_shim.ts),
 * the loader and every kernel. Not the test harness (harness.c, startup_*.c, platform.h), the
 * board benchmark (board_bench.c) or the host tools (kernels/host/).
 */
function nativeFiles() {
    const kernels = fs.readdirSync(path.join(root, "kernels"))
        .filter((f) => /\.(c|h)$/.test(f) && !/^(harness\.c|board_bench\.c|startup_.*\.c|platform\.h)$/.test(f))
        .sort()
        .map((f) => "kernels/" + f);
    return ["libs/tflite/tflite.cpp"].concat(kernels);
}

/** The root pxt.json's content, from the libraries' pxt.json files. */
function rootConfig() {
    const tflite = readLib("tflite");
    const files = ["README.md"];
    const dependencies = {};
    // The speech blocks use the micro:bit's microphone: MakeCode Arcade (its SAMD51 boards) gets
    // the interpreter, the C and the gesture blocks, whose board-specific files (accelerometer,
    // pause) say their target in libs/gestures/pxt.json (pxt's fileDependencies).
    const fileDependencies = {};
    for (const name of LIBS) {
        const lib = readLib(name);
        if (!lib) continue;
        for (const f of lib.files) {
            files.push("libs/" + name + "/" + f);
            const condition = name === "speech" ? "target:microbit" : (lib.fileDependencies || {})[f];
            if (condition) fileDependencies["libs/" + name + "/" + f] = condition;
        }
        if (name === "tflite") files.push(...nativeFiles());
        for (const dep of Object.keys(lib.dependencies || {})) {
            const version = lib.dependencies[dep];
            if (/^file:/.test(version)) continue;
            if (dependencies[dep] && dependencies[dep] !== version)
                throw new Error("libs/" + name + "/pxt.json wants " + dep + " " + version + ", another library " + dependencies[dep]);
            dependencies[dep] = version;
        }
    }
    files.push(...localeFiles());
    return {
        name: "tinyml",
        version: tflite.version,
        description: "Machine learning on the micro:bit: gesture and keyword recognition blocks, and TensorFlow Lite models run by one interpreter in Static TypeScript",
        license: tflite.license,
        dependencies,
        files,
        fileDependencies,
        testFiles: [],
        public: tflite.public,
        targetVersions: tflite.targetVersions,
        supportedTargets: ["microbit", "arcade"],
        disablesVariants: tflite.disablesVariants,
    };
}

/** Rewrites the root pxt.json if it differs from what libs/*\/pxt.json imply; true if it did. */
function syncRootConfig() {
    const file = path.join(root, "pxt.json");
    const text = JSON.stringify(rootConfig(), null, 4) + "\n";
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return false;
    fs.writeFileSync(file, text);
    return true;
}

module.exports = { syncRootConfig, rootConfig, nativeFiles, localeFiles, LIBS, LANGUAGES };

if (require.main === module && syncRootConfig()) console.log("sync-pxt-json: updated pxt.json from libs/*/pxt.json (commit it)");
