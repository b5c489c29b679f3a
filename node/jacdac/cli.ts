/**
 * `pxt-tinyml jacdac-host`: starts the Model Runner and Sensor Aggregator servers (host.ts) and
 * runs until interrupted.
 */
import { DEFAULT_TCP_PORT, DEFAULT_WS_PORT, startJacdacHost } from "./host";
import { AccelerometerRecording } from "./recording-accelerometer";
import { readNamedFile } from "../read-file";

export const JACDAC_HOST_USAGE = `  pxt-tinyml jacdac-host [--port N] [--tcp-port N] [--host ADDRESS] [--model MODEL.tflite]
                         [--recording DATASET.json [--action NAME]]
      a Jacdac Model Runner and Sensor Aggregator on this machine (tflite.Interpreter), for a Jacdac
      dashboard (http://127.0.0.1:${DEFAULT_WS_PORT}/, WebSocket on --port) or another program
      (WebSocket, or TCP on --tcp-port, ${DEFAULT_TCP_PORT}); --model loads a model at start;
      --recording adds a simulated accelerometer playing a CreateAI dataset's recordings (of one
      action with --action) in a loop. Ctrl-C stops it. See docs/jacdac.md`;

/** The recordings of a CreateAI dataset (all, or one action's) played one after the other. */
export function datasetRecording(file: string, action?: string): AccelerometerRecording {
    const json = JSON.parse(readNamedFile(file, "the recording").toString("utf8"));
    const actions: any[] = Array.isArray(json) ? json : json && (json.data || json.actions);
    if (!Array.isArray(actions)) throw new Error(`${file}: not a CreateAI dataset (a list of actions {name, recordings})`);
    const chosen = action ? actions.filter((a) => a && typeof a.name === "string" && a.name.trim() === action) : actions;
    if (!chosen.length) throw new Error(`${file}: no action named '${action}' (it has: ${actions.map((a) => a && a.name).join(", ")})`);
    const res: AccelerometerRecording = { periodMs: 20, x: [], y: [], z: [] };
    for (const a of chosen) {
        for (const r of a.recordings || []) {
            const d = r && r.data;
            if (!d || !Array.isArray(d.x) || !Array.isArray(d.y) || !Array.isArray(d.z)) throw new Error(`${file}: action '${a.name}' has a recording without data {x, y, z}`);
            const n = Math.min(d.x.length, d.y.length, d.z.length);
            res.x.push(...d.x.slice(0, n));
            res.y.push(...d.y.slice(0, n));
            res.z.push(...d.z.slice(0, n));
        }
    }
    if (!res.x.length) throw new Error(`${file}: no samples`);
    return res;
}

function parseArgs(args: string[]) {
    const res: { wsPort: number; tcpPort: number; host: string; model?: string; recording?: string; action?: string } =
        { wsPort: DEFAULT_WS_PORT, tcpPort: DEFAULT_TCP_PORT, host: "127.0.0.1" };
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        const value = () => {
            if (i + 1 >= args.length) throw new Error(`${a} needs a value`);
            return args[++i];
        };
        const port = () => {
            const v = value();
            const n = Number(v);
            if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${a}: '${v}' is not a port number`);
            return n;
        };
        if (a === "--port") res.wsPort = port();
        else if (a === "--tcp-port") res.tcpPort = port();
        else if (a === "--host") res.host = value();
        else if (a === "--model") res.model = value();
        else if (a === "--recording") res.recording = value();
        else if (a === "--action") res.action = value();
        else throw new Error(`unknown argument ${a}\n${JACDAC_HOST_USAGE}`);
    }
    if (res.action && !res.recording) throw new Error("--action needs --recording");
    return res;
}

/** Runs the host until SIGINT or SIGTERM. */
export async function jacdacHostCommand(args: string[], log: (line: string) => void): Promise<void> {
    const opts = parseArgs(args);
    const recording = opts.recording ? datasetRecording(opts.recording, opts.action) : undefined;
    const host = await startJacdacHost({
        host: opts.host, wsPort: opts.wsPort, tcpPort: opts.tcpPort, modelFile: opts.model, recording, log,
    });
    if (recording) log(`accelerometer: playing ${opts.recording}${opts.action ? ` (${opts.action})` : ""}, ${recording.x.length} samples, in a loop`);
    await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
    });
    log("stopping");
    await host.close();
}
