// npm start: serves the MakeCode micro:bit editor offline (`pxt serve` from node_modules) with the
// projects in projects/: the sample projects/gestures-demo, which uses the extension through
// projects/tinyml (a folder of links to the repository's pxt.json, README.md and libs/, so that
// pxt serve's file-system workspace, which only sees projects/*, finds the extension; links into
// the tree rather than one link to the root, which would loop).
//
// Also the pieces test/editor.test.ts and tools/render-blocks.ts use: start the server in any
// folder holding a projects/ (a copy, so the browser's saves do not touch the repository), and
// launch Debian's chromium headless with playwright-core.
import * as childProcess from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import type { Browser } from "playwright-core";

export const ROOT = path.resolve(__dirname, "..", "..");
const PXT_CLI = path.join(ROOT, "tools", "pxt.js");

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

/**
 * Starts `pxt serve --just` (no target build: pxt-microbit from npm is already built) in
 * options.workspace and resolves once the editor page answers. The server runs in its own process
 * group, so stop() ends it and anything it started.
 */
export async function startEditorServer(options: ServeOptions): Promise<EditorServer> {
    const port = options.port || await freePort();
    let wsPort = options.wsPort || await freePort();
    while (wsPort === port) wsPort = await freePort();
    const args = [PXT_CLI, "serve", "--noBrowser", "--just", "--noSerial", "--port", String(port), "--wsport", String(wsPort)];
    if (options.noAuth) args.push("--noauth");
    const child = childProcess.spawn(process.execPath, args, {
        cwd: options.workspace, detached: true, stdio: ["ignore", "pipe", "pipe"],
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
        editorUrl: origin + "/index.html?ws=fs#local_token=" + token + "&wsport=" + wsPort,
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

/** Debian's chromium, headless, with nothing that reaches the network by itself. */
export async function launchChromium(): Promise<Browser> {
    if (!fs.existsSync(CHROMIUM)) throw new Error(CHROMIUM + " is missing: apt-get install chromium (tools/debian-packages.txt)");
    const { chromium } = await import("playwright-core");
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
    });
}

async function main() {
    const argPort = process.argv.indexOf("--port");
    const port = argPort > 0 ? Number(process.argv[argPort + 1]) : Number(process.env.PORT || 3232);
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
