// npm start: serves the MakeCode micro:bit editor offline (`pxt serve` from node_modules) with the
// projects in projects/: the sample projects/gestures-demo, which uses the extension through
// projects/tinyml (a folder of links to the repository's pxt.json, README.md and libs/, so that
// pxt serve's file-system workspace, which only sees projects/*, finds the extension; links into
// the tree rather than one link to the root, which would loop).
//
// The extension has C/C++ (libs/tflite/tflite.cpp, kernels/*.c, libs/speech/microphone.cpp), so
// the editor's Download needs a C++ runtime built for the projects' package set, which neither
// pxt-microbit's hex cache nor (offline) MakeCode's cloud compiler has. Before serving, npm start
// builds it here with node/firmware.ts (CODAL from ../shared/codal, arm-none-eabi-gcc) and puts it
// where pxt serve looks: built/hexcache/<sha>.hex under its working directory, which is the target's
// folder (pxt serve changes to it when the folder it is started in has no pxtarget.json). So pxt
// serve runs on a copy of pxt-microbit, built/editor-target/ (links to node_modules/pxt-microbit's
// folders and files), whose built/hexcache/ holds pxt-microbit's prebuilt runtimes and the
// runtimes built here (see prepareEditorRuntimes). Without ../shared/codal it says so and serves
// anyway (Download then asks the cloud, as the editor does online).
//
// Also the pieces test/editor.test.ts and tools/render-blocks.ts use: start the server in any
// folder holding a projects/ (a copy, so the browser's saves do not touch the repository), and
// launch Debian's chromium headless with playwright-core.
import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import type { Browser } from "playwright-core";
import { simPanelConfig } from "./sim-panel-server";
import { CODAL_ARCHIVE, FIRMWARE_DIR, FirmwareResult, TINYML_BUILD_DIR, buildFirmware, writeFirmwareProject } from "../node/firmware";
import { EDITOR_HOOKS_ENV, EditorHooksConfig } from "./editor-server-hooks";
import { TFJS_BROWSER, TRAINER_BUILT_DIR, TRAINER_SOURCE_DIR, buildRecorderHex, buildTrainerBundle } from "./build-trainer";
import { TRAINER_ROUTE } from "./trainer-hooks";

export const ROOT = path.resolve(__dirname, "..", "..");
const PXT_JS = path.join(ROOT, "node_modules", "pxt-core", "built", "pxt.js");
const TARGET_SOURCE = path.join(ROOT, "node_modules", "pxt-microbit");
const EDITOR_HOOKS_JS = path.join(__dirname, "editor-server-hooks.js");

/** The extension's name (the root pxt.json's): the editor has it as a built-in extension of this name. */
export const EXTENSION_NAME: string = JSON.parse(fs.readFileSync(path.join(ROOT, "pxt.json"), "utf8")).name;

/**
 * Folders under projects/ that the editor does not list under My Projects: they are for the
 * repository's builds and tests, not for students.
 */
export const DEVELOPER_PROJECTS = [
    "tinyml",        // the folder of links through which the sample projects' file: dependency reaches the extension
    "hello-tflite",  // the tflite API in JavaScript, with a generated model.ts: built by npm run sample and the tests
];

/** The TinyML category's button that opens the trainer page (sim/trainer). */
export const TRAINER_BUTTON_LABEL = "Train a gesture model";

/** Where Debian's chromium lives (tools/debian-packages.txt installs it). */
export const CHROMIUM = "/usr/bin/chromium";

export interface EditorServer {
    /** http://localhost:PORT */
    origin: string;
    port: number;
    wsPort: number;
    /** The editor on the file-system workspace, with the local token the server printed. */
    editorUrl: string;
    /** Everything the server printed so far. */
    output(): string;
    /** Resolves when the server process ends. */
    exited: Promise<void>;
    stop(): Promise<void>;
}

export interface ServeOptions {
    /** The folder whose projects/ the editor lists (pxt serve takes it from its working directory). */
    workspace: string;
    /** 0 or absent: any free port. */
    port?: number;
    wsPort?: number;
    /** Accept workspace requests without the local token (the tests' private copy). */
    noAuth?: boolean;
    /** Copy the server's output to this process's. */
    echo?: boolean;
    timeoutMs?: number;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.on("error", reject);
        server.listen(0, "localhost", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}

function httpStatus(url: string): Promise<number> {
    return new Promise(resolve => {
        const req = http.get(url, res => { res.resume(); resolve(res.statusCode || 0); });
        req.on("error", () => resolve(0));
        req.setTimeout(5000, () => { req.destroy(); resolve(0); });
    });
}

/** The copy of pxt-microbit that pxt serve runs on for `workspace` (its working directory once serving). */
export function editorTargetDir(workspace: string): string {
    return path.join(workspace, "built", "editor-target");
}

/** Where that pxt serve answers the editor's GET /api/compile/<sha> from: <target>/built/hexcache/<sha>.hex (server.js: localHexCacheDir). */
export function editorHexCache(workspace: string): string {
    return path.join(editorTargetDir(workspace), "built", "hexcache");
}

/**
 * Puts `from` at `to`: a folder as a symbolic link, a file as a hard link (or a copy, from another
 * file system): pxt serve takes only real files for files (nodeutil.fileExistsSync: lstat), not
 * links. Left alone when already there.
 */
function placeLink(from: string, to: string) {
    const existing = fs.lstatSync(to, { throwIfNoEntry: false });
    if (fs.statSync(from).isDirectory()) {
        if (existing && existing.isSymbolicLink() && fs.readlinkSync(to) === from) return;
        if (existing) fs.rmSync(to, { recursive: true, force: true });  // a link, or a folder of links: their targets stay
        fs.symlinkSync(from, to);
        return;
    }
    if (existing && existing.isFile() && (existing.ino === fs.statSync(from).ino || fs.readFileSync(to).equals(fs.readFileSync(from)))) return;
    if (existing) fs.rmSync(to, { recursive: true, force: true });
    try {
        fs.linkSync(from, to);
    } catch (e) {
        fs.copyFileSync(from, to); // another file system
    }
}

/**
 * Makes `dest` a folder of links (placeLink) to the entries of `base` and `extra`, merged: a
 * folder both have becomes a folder of the same kind, one level down; of a file both have, base's.
 * Entries of an earlier merge that neither has any more go.
 */
function mergeFolders(base: string, extra: string, dest: string) {
    const existing = fs.lstatSync(dest, { throwIfNoEntry: false });
    if (existing && !existing.isDirectory()) fs.rmSync(dest);  // a link to one of them, from before
    fs.mkdirSync(dest, { recursive: true });
    const names = new Set([...fs.readdirSync(base), ...fs.readdirSync(extra)]);
    for (const name of [...names].sort()) {
        const inBase = path.join(base, name), inExtra = path.join(extra, name);
        const baseStat = fs.statSync(inBase, { throwIfNoEntry: false }), extraStat = fs.statSync(inExtra, { throwIfNoEntry: false });
        if (baseStat && extraStat && baseStat.isDirectory() && extraStat.isDirectory())
            mergeFolders(inBase, inExtra, path.join(dest, name));
        else
            placeLink(baseStat ? inBase : inExtra, path.join(dest, name));
    }
    for (const name of fs.readdirSync(dest))
        if (!names.has(name)) fs.rmSync(path.join(dest, name), { recursive: true, force: true });
}

/** The extension's help pages: docs/ (pages under docs/reference/<namespace>/, pictures under docs/static/). */
const EXTENSION_DOCS = path.join(ROOT, "docs");

/**
 * Makes editorTargetDir(workspace): pxt-microbit's folders as links, its files as hard links (or
 * copies: pxt serve takes only real files for files, not links), and a built/hexcache/ of its own:
 * pxt-microbit's prebuilt runtimes beside the runtimes built here.
 *
 * Its docs/ is pxt-microbit's docs/ merged with the extension's (mergeFolders; pxt-microbit's pages
 * win where both have one): pxt serve looks for help pages and their pictures only in the
 * target's docs/, and a block's help=gestures/on-gesture-start opens /reference/gestures/on-gesture-start.
 * The Extensions dialog's "Learn more" of the extension opens /reference/tinyml: the extension's
 * docs/reference.md.
 */
function prepareEditorTarget(workspace: string): string {
    const target = editorTargetDir(workspace);
    const cache = editorHexCache(workspace);
    fs.mkdirSync(cache, { recursive: true });
    for (const f of fs.readdirSync(TARGET_SOURCE))
        if (f !== "built" && f !== "docs") placeLink(path.join(TARGET_SOURCE, f), path.join(target, f));
    mergeFolders(path.join(TARGET_SOURCE, "docs"), EXTENSION_DOCS, path.join(target, "docs"));
    placeLink(path.join(EXTENSION_DOCS, "reference.md"), path.join(target, "docs", "reference", EXTENSION_NAME + ".md"));
    for (const f of fs.readdirSync(path.join(TARGET_SOURCE, "built")))
        if (f !== "hexcache") placeLink(path.join(TARGET_SOURCE, "built", f), path.join(target, "built", f));
    const prebuilt = path.join(TARGET_SOURCE, "built", "hexcache");
    for (const f of fs.existsSync(prebuilt) ? fs.readdirSync(prebuilt) : []) placeLink(path.join(prebuilt, f), path.join(cache, f));
    return target;
}

/**
 * Starts `pxt serve --just` (no target build: pxt-microbit from npm is already built) in
 * options.workspace, on the target copy editorTargetDir(workspace), and resolves once the editor
 * page answers. The server runs in its own process group, so stop() ends it and anything it started.
 * tools/editor-server-hooks.ts runs in it first: saves that keep working, the extension as a
 * built-in extension of the editor (found by the Extensions dialog's search, offline), the
 * developer projects (DEVELOPER_PROJECTS) left out of My Projects.
 */
export async function startEditorServer(options: ServeOptions): Promise<EditorServer> {
    const port = options.port || await freePort();
    let wsPort = options.wsPort || await freePort();
    while (wsPort === port) wsPort = await freePort();
    const target = prepareEditorTarget(options.workspace);
    // The trainer page's bundle (tools/build-trainer.ts), rebuilt when its sources changed; without it the editor still works.
    try {
        await buildTrainerBundle({ log: line => options.echo && console.log(line) });
    } catch (e: any) {
        console.error("The trainer page is not available: " + (e.message || e));
    }
    try {
        buildRecorderHex({ log: line => options.echo && console.log(line) });
    } catch (e: any) {
        console.error("The trainer's recorder program has no .hex (the page offers its code): " + (e.message || e));
    }
    // tools/pxt.js's way of running pxt-core's CLI, with the target copy instead of node_modules/pxt-microbit,
    // after the hooks (which read their settings from the environment).
    const script = "require(" + JSON.stringify(EDITOR_HOOKS_JS) + "); require(" + JSON.stringify(PXT_JS) + ").mainCli(" + JSON.stringify(target) + ", process.argv.slice(1))";
    const args = ["-e", script, "serve", "--noBrowser", "--just", "--noSerial", "--port", String(port), "--wsport", String(wsPort)];
    if (options.noAuth) args.push("--noauth");
    const hooks: EditorHooksConfig = {
        workspace: path.resolve(options.workspace),
        targetDir: target,
        bundledPackages: { [EXTENSION_NAME]: ROOT },
        hiddenProjects: DEVELOPER_PROJECTS,
        trainer: {
            packageName: EXTENSION_NAME,
            extension: { namespace: "tinyml", group: "Your model", label: TRAINER_BUTTON_LABEL, localUrl: "http://localhost:" + port + TRAINER_ROUTE + "index.html" },
            dirs: [TRAINER_SOURCE_DIR, TRAINER_BUILT_DIR],
            files: { "tf.min.js": TFJS_BROWSER },
        },
    };
    // The simulator panel (sim/): registered in the target config as a simx, served with its recordings.
    hooks.simPanel = simPanelConfig(ROOT, target);
    const child = childProcess.spawn(process.execPath, args, {
        cwd: options.workspace, detached: true, stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, [EDITOR_HOOKS_ENV]: JSON.stringify(hooks) },
    });
    let output = "";
    let exited = false;
    const exit = new Promise<void>(resolve => child.on("exit", () => { exited = true; resolve(); }));
    const collect = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (options.echo) process.stdout.write(chunk);
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);

    const stop = async () => {
        if (exited) return;
        try { process.kill(-child.pid!, "SIGTERM"); } catch (e) { /* already gone */ }
        const killer = setTimeout(() => { try { process.kill(-child.pid!, "SIGKILL"); } catch (e) { /* gone */ } }, 5000);
        await exit;
        clearTimeout(killer);
    };

    const origin = "http://localhost:" + port;
    const deadline = Date.now() + (options.timeoutMs || 60000);
    let token = "";
    for (;;) {
        if (exited) throw new Error("pxt serve exited before serving:\n" + output);
        if (Date.now() > deadline) {
            await stop();
            throw new Error("pxt serve did not start within " + (options.timeoutMs || 60000) + " ms:\n" + output);
        }
        const printed = /#local_token=([0-9a-f-]+)/.exec(output);
        if (printed && await httpStatus(origin + "/index.html") === 200) { token = printed[1]; break; }
        await new Promise(r => setTimeout(r, 250));
    }
    return {
        origin, port, wsPort,
        // localeditorextensions=1: the editor opens the extension's page (the trainer) from its localUrl (tools/trainer-hooks.ts).
        editorUrl: origin + "/index.html?ws=fs&localeditorextensions=1#local_token=" + token + "&wsport=" + wsPort,
        output: () => output,
        exited: exit,
        stop,
    };
}

/**
 * Copies a MakeCode project (its pxt.json and the files it lists) into dest, reading through
 * links: what the editor would load from it, and nothing the browser writes goes back.
 */
export function copyProject(source: string, dest: string) {
    const config = JSON.parse(fs.readFileSync(path.join(source, "pxt.json"), "utf8"));
    const files: string[] = ["pxt.json"].concat(config.files || []);
    for (const file of files) {
        fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
        fs.copyFileSync(path.join(source, file), path.join(dest, file));
    }
}

/**
 * Debian's chromium, headless, with nothing that reaches the network by itself; `extraArgs` add
 * to its command line (test/sim_panel.test.ts: a WAV file as the microphone).
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
    if (!fs.existsSync(CHROMIUM)) throw new Error(CHROMIUM + " is missing: apt-get install chromium (tools/debian-packages.txt)");
    const { chromium } = await import("playwright-core");
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", ...extraArgs],
    });
}

/** The build folder of the editor's C++ runtimes (shared by npm start and test/editor.test.ts). */
// The folder every tinyml program is built in (node/firmware.ts): the C++ is compiled once for the
// firmware test, npm run sample and the editor alike.
export const EDITOR_FIRMWARE_DIR = TINYML_BUILD_DIR;
/** editorHexCache()/RUNTIME_INDEX: what each runtime built here was built from (inputs fingerprint -> sha). */
const RUNTIME_INDEX = "tinyml-runtimes.json";
const CPP_FILE = /\.(c|cc|cpp|h|hpp|s|S)$|(^|\/)dal\.d\.ts$/;

export interface EditorRuntime {
    /** The sha the editor asks pxt serve for (GET /api/compile/<sha>): pxt's hash of the package set's C++ sources. */
    sha: string;
    /** editorHexCache(workspace)/<sha>.hex: the C++ runtime (CODAL's MICROBIT.hex, as `pxt build` itself uses it). */
    hexFile: string;
    /** The projects (folder names under projects/) whose Download it serves. */
    projects: string[];
    /** The build, when it ran now; absent when the hex for these sources was already in place. */
    firmware?: FirmwareResult;
}

/** A project's or package's pxt.json. */
function readConfig(dir: string): any {
    return JSON.parse(fs.readFileSync(path.join(dir, "pxt.json"), "utf8"));
}

/**
 * The real folder (links followed) of a project's dependency that comes from this repository: a
 * `file:` package, or the extension as the editor's built-in extension (`"tinyml": "*"`, as the
 * Extensions dialog adds it; tools/editor-server-hooks.ts). Null for pxt-microbit's packages.
 */
function localPackageDir(projectDir: string, name: string, version: string): string | null {
    if (/^file:/.test(version)) return path.dirname(fs.realpathSync(path.join(path.resolve(projectDir, version.slice(5)), "pxt.json")));
    if (name === EXTENSION_NAME && version === "*") return fs.realpathSync(ROOT);
    return null;
}

/** The real folders of the packages a project reaches through localPackageDir's dependencies, recursively. */
function filePackages(dir: string, seen = new Set<string>()): string[] {
    const deps = readConfig(dir).dependencies || {};
    for (const name of Object.keys(deps).sort()) {
        const real = localPackageDir(dir, name, deps[name]);
        if (!real || seen.has(real)) continue;
        seen.add(real);
        filePackages(real, seen);
    }
    return [...seen];
}

/** Whether a package lists C/C++ files (then no prebuilt hex of pxt-microbit's fits a project using it). */
function hasCpp(dir: string): boolean {
    return (readConfig(dir).files || []).some((f: string) => /\.(c|cpp|s)$/.test(f));
}

function moduleVersion(name: string): string {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
}

/**
 * Builds (unless already built) the C++ runtime of each package set that the projects in
 * `workspace`/projects use through `file:` packages with C/C++ (the extension; or `"tinyml": "*"`, the
 * extension added from the editor's Extensions dialog: localPackageDir), and puts it where
 * startEditorServer's `pxt serve` answers the editor's Download: editorHexCache(workspace)/<sha>.hex
 * (built/editor-target/built/hexcache/; pxt serve finds it as built/hexcache/<sha>.hex in its
 * working directory, the target copy).
 *
 * The sha is the one pxt computes from the package set's C++ (pxt.cpp.getExtensionInfo: the
 * compile request's files, hashed); the editor computes the same one in the browser. The firmware
 * build runs `pxt build` in node/firmware.ts's target copy, which has no hex cache, so it compiles
 * the C++ and records that sha in built/codal/buildcache.json; the runtime is that build's
 * built/codal/build/MICROBIT.hex, the file pxt itself reads after a local C++ build and the kind
 * of file pxt-microbit's built/hexcache holds (its 354b97da....hex is the sha of {core, radio,
 * microphone}, which node/firmware.ts's build of that set gives too). One small project with an
 * empty main.ts and the set's dependencies is built per set: the sha depends only on the packages.
 *
 * Skipped when that folder's tinyml-runtimes.json records a runtime built from the same sources (the
 * packages' pxt.json and C/C++ files, pxt-core's and pxt-microbit's versions) and its .hex is
 * there. Without ../shared/codal (and no CODAL unpacked in the build folder), or when the build
 * fails, logs why and leaves Download to MakeCode's cloud compiler. Returns the runtimes in place.
 */
export function prepareEditorRuntimes(workspace: string, log: (line: string) => void = console.log): EditorRuntime[] {
    const projectsDir = path.join(workspace, "projects");
    const sets = new Map<string, { dependencies: { [name: string]: string }; packages: string[]; projects: string[] }>();
    for (const name of fs.existsSync(projectsDir) ? fs.readdirSync(projectsDir).sort() : []) {
        const dir = path.join(projectsDir, name);
        if (!fs.existsSync(path.join(dir, "pxt.json"))) continue;
        const packages = filePackages(dir);
        if (!packages.some(hasCpp)) continue;
        const deps = readConfig(dir).dependencies || {};
        const dependencies: { [name: string]: string } = {};
        for (const d of Object.keys(deps).sort()) {
            const local = localPackageDir(dir, d, deps[d]);
            dependencies[d] = local ? "file:" + local : deps[d];
        }
        const key = JSON.stringify(dependencies);
        if (!sets.has(key)) sets.set(key, { dependencies, packages, projects: [] });
        sets.get(key)!.projects.push(name);
    }

    const cacheDir = editorHexCache(workspace);
    const shown = (sha: string) => path.relative(workspace, path.join(cacheDir, sha + ".hex"));
    const indexFile = path.join(cacheDir, RUNTIME_INDEX);
    const runtimes: EditorRuntime[] = [];
    let setNumber = 0;
    for (const set of sets.values()) {
        setNumber++;
        const which = set.projects.join(", ");
        // What the runtime is built from: the packages' pxt.json and C/C++ sources, and the pxt versions.
        const hash = crypto.createHash("sha256");
        hash.update(JSON.stringify([moduleVersion("pxt-core"), moduleVersion("pxt-microbit"), Object.keys(set.dependencies).map((d) =>
            /^file:/.test(set.dependencies[d]) ? d : d + "@" + set.dependencies[d])]));
        for (const dir of set.packages) {
            const config = readConfig(dir);
            hash.update("\0pxt.json\0" + JSON.stringify(config));
            for (const f of (config.files || []).filter((f: string) => CPP_FILE.test(f)).sort())
                hash.update("\0" + f + "\0").update(fs.readFileSync(path.join(dir, f)));
        }
        const inputs = hash.digest("hex");
        let index: { [inputs: string]: string } = {};
        try { index = JSON.parse(fs.readFileSync(indexFile, "utf8")); } catch (e) { /* none yet */ }
        const known = index[inputs];
        if (known && fs.existsSync(path.join(cacheDir, known + ".hex"))) {
            log("C++ runtime for Download (" + which + "): " + shown(known) + ", already built");
            runtimes.push({ sha: known, hexFile: path.join(cacheDir, known + ".hex"), projects: set.projects });
            continue;
        }
        if (!fs.existsSync(CODAL_ARCHIVE) && !fs.existsSync(path.join(EDITOR_FIRMWARE_DIR, "built", "codal", ".git", "config"))) {
            log("No " + CODAL_ARCHIVE + ": the C++ runtime for Download (" + which + ") is not built here; the editor asks MakeCode's cloud compiler (online).");
            continue;
        }

        // A project with the set's dependencies and nothing else.
        const name = "editor-runtime" + (setNumber > 1 ? "-" + setNumber : "");
        const projectDir = path.join(FIRMWARE_DIR, "projects", name);
        const dependencies: { [name: string]: string } = {};
        for (const d of Object.keys(set.dependencies))
            dependencies[d] = /^file:/.test(set.dependencies[d]) ? "file:" + path.relative(projectDir, set.dependencies[d].slice(5)).split(path.sep).join("/") : set.dependencies[d];
        const project = writeFirmwareProject(name, dependencies, { "main.ts": "" });
        log("Building the micro:bit v2 C++ runtime for Download (" + which + ") in " + path.relative(ROOT, EDITOR_FIRMWARE_DIR) + " (the first time takes minutes) ...");
        const start = Date.now();
        let firmware: FirmwareResult;
        try {
            firmware = buildFirmware(project, { buildDir: EDITOR_FIRMWARE_DIR });
        } catch (e: any) {
            log("The C++ runtime build failed: " + (e.message || e) + "\nDownload asks MakeCode's cloud compiler (online).");
            continue;
        }
        let sha = "";
        try { sha = JSON.parse(fs.readFileSync(path.join(firmware.buildDir, "built", "codal", "buildcache.json"), "utf8")).sha; } catch (e) { /* no build */ }
        const runtimeHex = firmware.elf + ".hex";
        if (!firmware.ok || !/^[0-9a-f]{64}$/.test(sha) || !fs.existsSync(runtimeHex)) {
            log("The C++ runtime build failed (pxt status " + firmware.status + "); Download asks MakeCode's cloud compiler (online). The end of pxt's output:\n" +
                firmware.output.split("\n").slice(-40).join("\n"));
            continue;
        }
        const hexFile = path.join(cacheDir, sha + ".hex");
        fs.mkdirSync(cacheDir, { recursive: true });
        fs.copyFileSync(runtimeHex, hexFile + ".tmp");
        fs.renameSync(hexFile + ".tmp", hexFile);
        index[inputs] = sha;
        fs.writeFileSync(indexFile, JSON.stringify(index, null, 4) + "\n");
        log("C++ runtime for Download (" + which + "): " + shown(sha) + ", built in " + ((Date.now() - start) / 1000).toFixed(0) + " s");
        runtimes.push({ sha, hexFile, projects: set.projects, firmware });
    }
    return runtimes;
}

async function main() {
    const argPort = process.argv.indexOf("--port");
    const port = argPort > 0 ? Number(process.argv[argPort + 1]) : Number(process.env.PORT || 3232);
    prepareEditorRuntimes(ROOT);
    const server = await startEditorServer({ workspace: ROOT, port, wsPort: port + 1, timeoutMs: 120000 });
    console.log("");
    console.log("The MakeCode editor, offline, with this repository's projects/ (the sample: gestures-demo):");
    console.log("");
    console.log("    " + server.editorUrl);
    console.log("");
    console.log("Open gestures-demo under My Projects; the TinyML category has the gesture and speech blocks.");
    console.log("Ctrl-C stops the server.");
    server.exited.then(() => {
        if (stopping) return;
        console.error("pxt serve stopped:\n" + server.output());
        process.exit(1);
    });
    let stopping = false;
    const shutdown = () => {
        if (stopping) return;
        stopping = true;
        server.stop().then(() => process.exit(0));
    };
    process.on("SIGINT", shutdown);
    process.on("SIGTERM", shutdown);
}

if (require.main === module) {
    main().catch(e => { console.error(e.message || e); process.exit(1); });
}
