#!/usr/bin/env node
// Runs MakeCode's pxt command line for MakeCode Arcade (pxt-arcade and the pxt-core it depends on,
// both from this repo's node_modules) in the current directory: `node tools/pxt-arcade.js build`
// in an Arcade project. node/firmware.ts uses it to build SAMD51 firmware (the hw---samd51 variant).
"use strict";
const path = require("path");

const target = path.resolve(__dirname, "..", "node_modules", "pxt-arcade");
// pxt-arcade 4.1.2 needs pxt-core 12, which npm installs under it (the micro:bit's is 13).
const pxtJs = require.resolve("pxt-core/built/pxt.js", { paths: [target] });
require(pxtJs).mainCli(target, process.argv.slice(2));
