#!/usr/bin/env node
// Runs MakeCode's pxt command line for MakeCode Arcade (pxt-arcade and the pxt-core 12 it depends
// on, installed in tools/arcade/node_modules by tools/setup-arcade.sh) in the current directory:
// `node tools/pxt-arcade.js build` in an Arcade project. node/firmware.ts uses it to build SAMD51
// firmware (the hw---samd51 variant).
"use strict";
const fs = require("fs");
const path = require("path");

const target = path.resolve(__dirname, "arcade", "node_modules", "pxt-arcade");
if (!fs.existsSync(path.join(target, "built", "target.json"))) {
    console.error("tools/pxt-arcade.js: pxt-arcade is not installed: run bash tools/setup-arcade.sh (npm test does)");
    process.exit(2);
}
const pxtJs = require.resolve("pxt-core/built/pxt.js", { paths: [target] });
require(pxtJs).mainCli(target, process.argv.slice(2));
