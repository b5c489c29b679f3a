/**
 * The Jacdac host: a Model Runner and a Sensor Aggregator on one simulated device, on a jacdac-ts
 * bus that other programs join over the two transports of Jacdac's devtools:
 *
 * - WebSocket, ws://127.0.0.1:8081/ — one binary message per Jacdac frame. The page served at
 *   http://127.0.0.1:8081/ embeds the Jacdac dashboard and relays its frames to this socket, as
 *   Jacdac's devtools page does; any program with a WebSocket (jacdac-ts's WebSocketTransport,
 *   jacdac-python's) can connect directly.
 * - TCP, 127.0.0.1:8082 — each frame preceded by its length in one byte: what jacdac-ts's
 *   `createNodeSocketTransport()` speaks, so another Node process joins with jacdac-ts alone.
 *
 * Every frame from one connection goes to the host's bus and to every other connection.
 *
 * A browser page may open the WebSocket only if it is this host's own page (isOwnPageOrigin):
 * another site open in a browser on this machine must not reach the bus, where it could deploy
 * models and read sensors. Programs, which send no Origin, connect as before.
 */
import * as http from "http";
import * as net from "net";
import { CHANGE, JDBridge, JDBus, JDServerServiceProvider, WallClockScheduler } from "jacdac-ts";
import { MODEL_LOADED, ModelRunnerServer } from "./model-runner-server";
import { SensorAggregatorServer } from "./sensor-aggregator-server";
import { AccelerometerRecording, RecordingAccelerometerServer } from "./recording-accelerometer";
import { acceptWebSockets } from "./websocket";
import { readNamedFile } from "../read-file";

export const DEFAULT_WS_PORT = 8081;
export const DEFAULT_TCP_PORT = 8082;

export interface ModelHost {
    provider: JDServerServiceProvider;
    runner: ModelRunnerServer;
    aggregator: SensorAggregatorServer;
}

/** Puts a Sensor Aggregator and a Model Runner fed by it on a new simulated device of `bus`. */
// jacdac-ts takes a defined global `self` for a browser: a bus then listens to other tabs on a
// BroadcastChannel and to `document` visibility. In Node `self` may be set by other code in the
// same process (tfjs-tflite's loader sets it), and there are no tabs: every bus skips that step.
(JDBus.prototype as any).configureBroadcastChannel = function (): void { };

export function addModelHost(bus: JDBus, options: { deviceId?: string; maxModelBytes?: number } = {}): ModelHost {
    const aggregator = new SensorAggregatorServer();
    const runner = new ModelRunnerServer({ aggregator, maxModelBytes: options.maxModelBytes });
    const provider = new JDServerServiceProvider("pxt-tinyml", [aggregator, runner], {
        deviceId: options.deviceId,
        deviceDescription: "pxt-tinyml model runner (TFLite on the micro:bit's C interpreter, or the STS one)",
    });
    bus.addServiceProvider(provider);
    return { provider, runner, aggregator };
}

/** Puts a simulated accelerometer playing `recording` on a new device of `bus`. */
export function addRecordingAccelerometer(bus: JDBus, recording: AccelerometerRecording, loop = true): RecordingAccelerometerServer {
    const accelerometer = new RecordingAccelerometerServer();
    const provider = new JDServerServiceProvider("recording accelerometer", [accelerometer], {
        deviceDescription: "pxt-tinyml simulated accelerometer playing a recording",
    });
    bus.addServiceProvider(provider);
    accelerometer.play(recording, { loop });
    return accelerometer;
}

/** A connection's end of the bus: frames from the bus go out through `send`. */
class FrameBridge extends JDBridge {
    constructor(name: string, private readonly send: (frame: Uint8Array) => void) {
        super(name, false);
    }

    protected sendPacket(data: Uint8Array): void {
        this.send(data);
    }
}

/**
 * Whether a WebSocket request with this Origin header may join: true for this host's own page, and
 * for programs (Node, Python), which send no Origin; a browser always sends one, so no page can
 * pass as a program. The page's origin is where the browser loaded it from, which the request's
 * Host names, but only when that is this machine by an IP address, "localhost" or the name the
 * host listens on: any other name in both is a site whose DNS points here (DNS rebinding).
 */
export function isOwnPageOrigin(origin: string | undefined, hostHeader: string | undefined, listenHost: string): boolean {
    if (origin === undefined) return true;
    let url: URL;
    try {
        url = new URL(origin);
    } catch {
        // "null" (a sandboxed frame, a file:// page) or garbage: not this host's page.
        return false;
    }
    if (url.protocol !== "http:" || !hostHeader || url.host !== hostHeader.toLowerCase()) return false;
    const name = url.hostname.replace(/^\[(.*)\]$/, "$1");
    return net.isIP(name) !== 0 || name === "localhost" || name === listenHost.toLowerCase();
}

/** The devtools page: the Jacdac dashboard in a frame, its packets relayed to this host's WebSocket. */
function devtoolsPage(): string {
    return `<!doctype html>
<html><head><meta charset="utf-8"><title>pxt-tinyml Jacdac host</title>
<style>html,body,iframe{margin:0;border:none;width:100%;height:100%;overflow:hidden}</style></head>
<body><iframe id="frame" allow="usb;serial;bluetooth"></iframe>
<script>
(function () {
    var sender = "pxt-tinyml-" + Math.random();
    var frame = document.getElementById("frame");
    frame.src = "https://microsoft.github.io/jacdac-docs/dashboard/#" + sender;
    var ws;
    function connect() {
        if (ws) return;
        ws = new WebSocket((location.protocol === "https:" ? "wss:" : "ws:") + "//" + location.host + "/");
        ws.binaryType = "arraybuffer";
        ws.onmessage = function (msg) {
            frame.contentWindow.postMessage({ type: "messagepacket", channel: "jacdac", data: new Uint8Array(msg.data), sender: sender }, "*");
        };
        ws.onclose = function () { ws = undefined; setTimeout(connect, 2000); };
        ws.onerror = function () { if (ws) ws.close(); };
    }
    window.addEventListener("message", function (msg) {
        var d = msg.data;
        if (d && d.type === "messagepacket" && d.channel === "jacdac" && ws && ws.readyState === WebSocket.OPEN) ws.send(d.data);
    });
    connect();
})();
</script></body></html>`;
}

export interface JacdacHostOptions {
    /** Interface to listen on (default 127.0.0.1: this machine only). */
    host?: string;
    /** WebSocket and devtools page port (default 8081; 0 picks a free one). */
    wsPort?: number;
    /** TCP port (default 8082; 0 picks a free one). */
    tcpPort?: number;
    /** A .tflite file to load at start, as if deployed with set_model. */
    modelFile?: string;
    /** Add a simulated accelerometer playing this recording in a loop. */
    recording?: AccelerometerRecording;
    maxModelBytes?: number;
    log?: (line: string) => void;
}

export interface JacdacHost extends ModelHost {
    bus: JDBus;
    accelerometer: RecordingAccelerometerServer | undefined;
    wsPort: number;
    tcpPort: number;
    /** Connections open now. */
    connections(): number;
    close(): Promise<void>;
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
            server.off("error", reject);
            resolve((server.address() as net.AddressInfo).port);
        });
    });
}

export async function startJacdacHost(options: JacdacHostOptions = {}): Promise<JacdacHost> {
    const log = options.log || (() => { });
    const hostname = options.host || "127.0.0.1";
    const bus = new JDBus([], { scheduler: new WallClockScheduler(), disableRoleManager: true });
    const host = addModelHost(bus, { maxModelBytes: options.maxModelBytes });
    if (options.modelFile) {
        const ok = host.runner.loadModel(readNamedFile(options.modelFile, "the model"));
        const err = host.runner.lastError.values()[0];
        log(ok ? `model ${options.modelFile}: loaded, arena ${host.runner.interpreter.arenaSize()} bytes`
            : `model ${options.modelFile}: ${err}`);
    }
    // From here on, what clients do: every model deployed, every error.
    host.runner.on(MODEL_LOADED, () =>
        log(`model deployed: ${host.runner.modelSize.values()[0]} bytes, arena ${host.runner.interpreter.arenaSize()} bytes`));
    host.runner.lastError.on(CHANGE, () => {
        const [err] = host.runner.lastError.values();
        if (err) log(`model runner: ${err}`);
    });
    const accelerometer = options.recording ? addRecordingAccelerometer(bus, options.recording) : undefined;

    const closers: (() => void)[] = [];
    let open = 0;
    const connect = (name: string, send: (frame: Uint8Array) => void) => {
        const bridge = new FrameBridge(name, send);
        bridge.bus = bus;
        open++;
        log(`${name}: connected`);
        let closed = false;
        const close = () => {
            if (closed) return;
            closed = true;
            open--;
            bridge.bus = undefined as any;
            log(`${name}: disconnected`);
        };
        return { receive: (frame: Uint8Array) => bridge.receiveFrameOrPacket(frame), close };
    };

    // TCP: [length][frame] ...
    const sockets = new Set<net.Socket>();
    const tcp = net.createServer((socket) => {
        sockets.add(socket);
        socket.setNoDelay(true);
        const peer = connect(`tcp ${socket.remoteAddress}:${socket.remotePort}`, (frame) => {
            const b = Buffer.alloc(frame.length + 1);
            b[0] = frame.length;
            b.set(frame, 1);
            socket.write(b);
        });
        let acc = Buffer.alloc(0);
        socket.on("data", (chunk: Buffer) => {
            acc = Buffer.concat([acc, chunk]);
            while (acc.length && acc.length >= acc[0] + 1) {
                const frame = new Uint8Array(acc.subarray(1, acc[0] + 1));
                acc = acc.subarray(acc[0] + 1);
                if (frame.length) peer.receive(frame);
            }
        });
        const end = () => { sockets.delete(socket); peer.close(); };
        socket.on("close", end);
        socket.on("error", end);
    });
    const tcpPort = await listen(tcp, options.tcpPort ?? DEFAULT_TCP_PORT, hostname);

    // HTTP: the devtools page; WebSocket: one frame per binary message.
    const web = http.createServer((req, res) => {
        if (req.url === "/" || req.url === "/index.html") {
            res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
            res.end(devtoolsPage());
        } else {
            res.writeHead(404);
            res.end();
        }
    });
    const wsConnections = new Set<{ close(): void }>();
    acceptWebSockets(web, (ws) => {
        wsConnections.add(ws);
        const peer = connect(`websocket ${wsConnections.size}`, (frame) => ws.send(frame));
        ws.onMessage = (frame) => peer.receive(frame);
        ws.onClose = () => { wsConnections.delete(ws); peer.close(); };
    }, (req) => {
        const { origin, host } = req.headers;
        if (isOwnPageOrigin(origin, host, hostname)) return true;
        log(`websocket: refused a connection from ${origin} (host ${host}): not this host's page`);
        return false;
    });
    let wsPort: number;
    try {
        wsPort = await listen(web, options.wsPort ?? DEFAULT_WS_PORT, hostname);
    } catch (e) {
        tcp.close();
        throw e;
    }
    closers.push(() => {
        for (const s of sockets) s.destroy();
        for (const w of wsConnections) w.close();
        tcp.close();
        web.close();
        web.closeAllConnections();
    });
    log(`jacdac host: device ${host.provider.shortId} with ${host.runner.specification.name} and ${host.aggregator.specification.name}`);
    log(`  dashboard: http://${hostname}:${wsPort}/   websocket: ws://${hostname}:${wsPort}/   tcp: ${hostname}:${tcpPort}`);

    return {
        ...host,
        bus,
        accelerometer,
        wsPort,
        tcpPort,
        connections: () => open,
        close: async () => {
            accelerometer?.stop();
            closers.forEach((c) => c());
            bus.clearServiceProviders();
            await bus.dispose();
        },
    };
}
