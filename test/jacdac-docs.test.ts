// docs/jacdac.md's program snippets run as written: each saved in the checkout and run with node,
// against the host its first line names (the CLI's jacdac-host, started here on free ports); what
// it prints is checked against what the page shows and against the interpreter.
import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as util from "util";
import { sharedPath } from "../node/conformance";
import { loadTflite } from "../node/sts-runtime";

const ROOT = path.join(__dirname, "..", "..");
const DOC = path.join(ROOT, "docs", "jacdac.md");
const BIN = path.join(ROOT, "bin", "pxt-tinyml.js");
/** Inside the checkout (gitignored), so `require("pxt-tinyml/jacdac")` resolves as for a script saved in it. */
const SNIPPET_DIR = path.join(ROOT, ".tmp", "jacdac-docs");

export interface DocSnippet {
    /** The file name its first line gives it. */
    file: string;
    /** Node's options before the file name in that line's command (--experimental-websocket). */
    nodeArgs: string[];
    /** The arguments of the `npx pxt-tinyml jacdac-host` it runs against. */
    hostArgs: string[];
    code: string;
    /** The ```text block right after it: what the page says it prints (null when there is none). */
    shown: string | null;
}

/** "// NAME.js: `node [OPTIONS] NAME.js` while `npx pxt-tinyml jacdac-host [ARGS]` runs" */
const SNIPPET_HEADER = /^\/\/ (\S+\.js): `node ((?:--\S+ )*)(\S+\.js)` while `npx pxt-tinyml jacdac-host((?: \S+)*)` runs\n/;

/** Every ```js block of the page; each must say in its first line how to run it. */
export function docSnippets(markdown: string): DocSnippet[] {
    const fences = [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], body: m[2] }));
    const res: DocSnippet[] = [];
    fences.forEach((fence, i) => {
        if (fence.lang !== "js") return;
        const header = SNIPPET_HEADER.exec(fence.body);
        assert.ok(header, `a js snippet of docs/jacdac.md does not start with how to run it: ${fence.body.split("\n")[0]}`);
        assert.strictEqual(header![3], header![1], `the command of ${header![1]} runs another file`);
        const next = fences[i + 1];
        res.push({
            file: header![1],
            nodeArgs: header![2].trim() ? header![2].trim().split(" ") : [],
            hostArgs: header![4].trim() ? header![4].trim().split(" ") : [],
            code: fence.body,
            shown: next && next.lang === "text" ? next.body : null,
        });
    });
    return res;
}

interface Finished { status: number | null; stdout: string; stderr: string }

function runNode(args: string[]): Promise<Finished> {
    return new Promise((resolve, reject) => {
        const child = childProcess.spawn(process.execPath, args, { cwd: ROOT });
        let stdout = "", stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const timer = setTimeout(() => child.kill(), 60000);
        child.on("error", reject);
        child.on("close", (status) => {
            clearTimeout(timer);
            resolve({ status, stdout, stderr });
        });
    });
}

/** `pxt-tinyml jacdac-host ARGS` in a child process, on ports the system picks. */
class CliHost {
    output = "";
    wsPort = 0;
    tcpPort = 0;
    private readonly child: childProcess.ChildProcessWithoutNullStreams;
    private readonly exited: Promise<void>;

    constructor(args: string[]) {
        this.child = childProcess.spawn(process.execPath, [BIN, "jacdac-host", ...args, "--port", "0", "--tcp-port", "0"], { cwd: ROOT });
        this.child.stdout.on("data", (d) => (this.output += d));
        this.child.stderr.on("data", (d) => (this.output += d));
        this.exited = new Promise((resolve) => this.child.on("exit", () => resolve()));
    }

    /** Waits for the line with the addresses. */
    async ready(): Promise<this> {
        const addresses = / websocket: ws:\/\/127\.0\.0\.1:(\d+)\/ +tcp: 127\.0\.0\.1:(\d+)\n/;
        for (let waited = 0; waited < 30000; waited += 50) {
            const m = addresses.exec(this.output);
            if (m) {
                this.wsPort = Number(m[1]);
                this.tcpPort = Number(m[2]);
                return this;
            }
            if (this.child.exitCode !== null) break;
            await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`the host did not start:\n${this.output}`);
    }

    /** Ctrl-C, as a user stops it. */
    async stop(): Promise<void> {
        if (this.child.exitCode === null) this.child.kill("SIGINT");
        await this.exited;
    }
}

/** The snippet with the page's ports (8082 TCP, 8081 WebSocket) replaced by the host's. */
function onPorts(code: string, host: CliHost): string {
    assert.ok(/createNodeSocketTransport\(8082\)|ws:\/\/127\.0\.0\.1:8081\//.test(code), "the snippet connects to the host's default port");
    return code.replace(/createNodeSocketTransport\(8082\)/g, `createNodeSocketTransport(${host.tcpPort})`)
        .replace(/ws:\/\/127\.0\.0\.1:8081\//g, `ws://127.0.0.1:${host.wsPort}/`);
}

/** What jacdac-ts itself prints on connecting and on disposing the bus, around a snippet's own lines. */
const transportLines = (transport: string) => ({ before: [`${transport}: connecting`], after: ["bus: disposing.", `${transport}: disconnecting`] });

/** The Model Runner's stats for a model, as the interpreter sees it, printed as console.log prints them. */
function statsText(model: Buffer): string {
    const ip = new (loadTflite().StsInterpreter)(model);
    return util.inspect({ modelSize: model.length, arenaSize: ip.arenaBytes, inputShape: ip.inputShape(0), outputShape: ip.outputShape(0), lastError: "" });
}

describe("docs/jacdac.md's snippets, run as written against the CLI's host", function () {
    this.timeout(120000);
    const snippets = docSnippets(fs.readFileSync(DOC, "utf8"));
    const snippet = (file: string) => snippets.find((s) => s.file === file)!;

    before(() => {
        fs.rmSync(SNIPPET_DIR, { recursive: true, force: true });
        fs.mkdirSync(SNIPPET_DIR, { recursive: true });
    });

    after(() => {
        fs.rmSync(SNIPPET_DIR, { recursive: true, force: true });
    });

    /** Starts the snippet's host, runs the snippet (with `nodeArgs`, by default the page's), stops the host. */
    async function run(s: DocSnippet, nodeArgs = s.nodeArgs): Promise<{ result: Finished; hostOutput: string }> {
        const host = new CliHost(s.hostArgs);
        let result: Finished;
        try {
            await host.ready();
            const file = path.join(SNIPPET_DIR, s.file);
            fs.writeFileSync(file, onPorts(s.code, host));
            result = await runNode([...nodeArgs, file]);
        } finally {
            await host.stop();
        }
        return { result, hostOutput: host.output };
    }

    it("has these snippets, each with the output it prints", () => {
        // A new snippet needs its checks here.
        assert.deepStrictEqual(snippets.map((s) => s.file), ["predict.js", "stats.js", "gestures.js"]);
        assert.ok(snippets.every((s) => s.shown !== null));
        assert.deepStrictEqual(snippet("stats.js").nodeArgs, ["--experimental-websocket"]);
    });

    it("predict.js deploys micro_speech over TCP and predicts TFLM's golden", async () => {
        const s = snippet("predict.js");
        const { result, hostOutput } = await run(s);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(result.stderr, "");
        assert.strictEqual(result.stdout, s.shown, "the page shows what it prints");
        const model = fs.readFileSync(sharedPath("models/tflm/micro_speech_quantized.tflite"));
        const golden = new Int8Array(fs.readFileSync(sharedPath("conformance/models/micro_speech_quantized/yes_features.output.bin")));
        const { before, after } = transportLines("tcp");
        assert.strictEqual(result.stdout, [...before, statsText(model), `output: ${golden.join(" ")}`, ...after, ""].join("\n"));
        assert.ok(hostOutput.includes(`\nmodel deployed: ${model.length} bytes, arena 5960 bytes\n`), hostOutput);
    });

    it("stats.js reads the host's model over WebSocket, and says what Node 20 needs without --experimental-websocket", async () => {
        const s = snippet("stats.js");
        const { result, hostOutput } = await run(s);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(result.stderr, "");
        assert.strictEqual(result.stdout, s.shown, "the page shows what it prints");
        const model = fs.readFileSync(sharedPath("models/tflm/magic_wand.tflite"));
        const { before, after } = transportLines("web");
        assert.strictEqual(result.stdout, [...before, statsText(model), ...after, ""].join("\n"));
        assert.match(hostOutput, /\nwebsocket 1: connected\n/);
        if (Number(process.versions.node.split(".")[0]) < 22) {
            const bare = await runNode([path.join(SNIPPET_DIR, s.file)]);
            assert.deepStrictEqual(bare, {
                status: 1, stdout: "",
                stderr: "this Node has no WebSocket: on Node 20, run node --experimental-websocket stats.js\n",
            });
        }
    });

    it("gestures.js auto-invokes the gesture model on the host's Circle recordings and prints the gestures", async () => {
        const s = snippet("gestures.js");
        const { result, hostOutput } = await run(s);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(result.stderr, "");
        const tflite = loadTflite();
        const model = fs.readFileSync(path.join(ROOT, "models", "gesture.tflite"));
        const labels: string[] = tflite.metadataValues(tflite.modelMetadata(tflite.parseModel(model)), "label");
        const { before, after } = transportLines("tcp");
        // The page's example and this run: eight runs' gestures between jacdac-ts's lines.
        for (const [what, text] of [["the page", s.shown!], ["the run", result.stdout]]) {
            const lines = text.split("\n");
            assert.deepStrictEqual([lines.slice(0, 1), lines.slice(9)], [before, [...after, ""]], `${what}: ${text}`);
            const runs = lines.slice(1, 9).map((l) => /^(.+) (\d\.\d\d)$/.exec(l));
            assert.ok(runs.every((m) => m && labels.includes(m[1]) && Number(m[2]) <= 1), `${what}: ${text}`);
            // The recordings are all Circle; a window across the end of one and the start of the next may read otherwise.
            assert.ok(runs.filter((m) => m![1] === "Circle").length >= 6, `${what}: ${text}`);
        }
        assert.match(hostOutput, /\naccelerometer: playing \.\.\/shared\/gestures\/createai\/big-8-actions\.json \(Circle\), \d+ samples, in a loop\n/);
        assert.ok(hostOutput.includes(`\nmodel deployed: ${model.length} bytes, arena ${new tflite.StsInterpreter(model).arenaBytes} bytes\n`), hostOutput);
    });
});
