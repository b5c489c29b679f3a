#!/usr/bin/env node
// Builds Node's native interpreter (node/native/addon.c: the C loader and kernels of kernels/
// behind Node-API) into built/native/tinyml-node.node with the host's C compiler. `npm run build`
// runs it, so `npm ci` builds it too. Without a compiler or Node's headers it prints one line and
// leaves no addon: Node then runs models with the STS interpreter, as it did before (node/native.ts).
// It rebuilds only when a source, a flag or the compiler changes. Plain JavaScript: it runs before tsc.
"use strict";
const childProcess = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
// TINYML_KERNELS_DIR: another copy of kernels/ (an older commit's, say) to build from.
const kernels = process.env.TINYML_KERNELS_DIR ? path.resolve(process.env.TINYML_KERNELS_DIR) : path.join(root, "kernels");
const native = path.join(root, "node", "native");
const out = path.join(root, "built", "native");
const addon = path.join(out, "tinyml-node.node");
const stamp = path.join(out, "tinyml-node.stamp");

/** The kernels/ sources the board's loader and kernels are made of (the Makefile's KERNEL_SRCS). */
function kernelSources() {
    return fs.readdirSync(kernels)
        .filter((f) => f.endsWith(".c") && f !== "harness.c" && f !== "board_bench.c" && !f.startsWith("startup_"))
        .sort()
        .map((f) => path.join(kernels, f));
}

/** The folder with node_api.h: Node's own include folder, a distribution's, or node-gyp's download. */
function nodeHeaders() {
    const version = process.version.slice(1);
    const candidates = [
        process.env.TINYML_NODE_HEADERS,
        path.join(path.dirname(process.execPath), "..", "include", "node"),
        "/usr/include/node",
        "/usr/local/include/node",
        path.join(os.homedir(), ".cache", "node-gyp", version, "include", "node"),
    ];
    return candidates.find((d) => d && fs.existsSync(path.join(d, "node_api.h")));
}

function skip(reason) {
    fs.rmSync(addon, { force: true });
    fs.rmSync(stamp, { force: true });
    console.log(`build-addon: ${reason}; Node will run models with the STS interpreter`);
}

function main() {
    const headers = nodeHeaders();
    if (!headers) return skip("Node's headers (node_api.h) not found");
    const cc = process.env.CC || "gcc";
    const version = childProcess.spawnSync(cc, ["--version"], { encoding: "utf8" });
    if (version.status !== 0) return skip(`no C compiler (${cc})`);
    const sources = [...kernelSources(), path.join(native, "addon.c"), path.join(native, "host_kernels.c")];
    // -ffp-contract=off: no fused multiply-add, as on the board and in the STS (kernel_util.h also
    // says so); -O3: the speed is the point, and it is the level at which GCC vectorizes
    // host_kernels.c's loops. Every op is in (TINYML_ALL_OPS=1), as in the STS.
    const flags = ["-std=c99", "-O3", "-fPIC", "-shared", "-ffp-contract=off", "-fvisibility=hidden",
        "-Wall", "-Wextra", "-DTINYML_ALL_OPS=1", "-I" + kernels, "-I" + native, "-I" + headers];
    const hash = crypto.createHash("sha256");
    hash.update(JSON.stringify([cc, version.stdout, flags, process.version]));
    for (const f of [...sources, ...fs.readdirSync(kernels).filter((f) => f.endsWith(".h")).map((f) => path.join(kernels, f)),
        path.join(native, "host_kernels.h")])
        hash.update(f + "\0" + fs.readFileSync(f));
    const digest = hash.digest("hex");
    if (fs.existsSync(addon) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === digest) return;
    fs.mkdirSync(out, { recursive: true });
    const started = Date.now();
    const res = childProcess.spawnSync(cc, [...flags, "-o", addon + ".tmp", ...sources, "-lm"], { encoding: "utf8" });
    if (res.status !== 0) {
        fs.rmSync(addon + ".tmp", { force: true });
        process.stderr.write(res.stderr.split("\n").slice(-30).join("\n"));
        return skip(`${cc} failed (status ${res.status})`);
    }
    fs.renameSync(addon + ".tmp", addon);
    fs.writeFileSync(stamp, digest);
    console.log(`build-addon: built/native/tinyml-node.node (${cc}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

main();
