// What `npm start`'s pxt serve answers for the simulator panel (sim/), through
// tools/editor-server-hooks.ts:
//
// - The target config (GET /api/config/<target>/targetconfig) with the panel registered as
//   makecode.microbit.org registers an extension's panel: packages.approvedRepoLib[<key>].simx,
//   with a devUrl. MakeCode's simulator driver opens a simx's page beside the simulator when the
//   program sends a message on the channel named like its key (pxtsim's SimulatorDriver): at
//   <simulator origin>/simx/<key>/-/index.html, or at devUrl + index.html when the editor's
//   address has ?simxdev (on localhost). Both are served here, at the same place.
// - The panel's files under /simx/<key>/-/: index.html from sim/, the scripts tsc compiled from
//   sim/*.ts into built/simx/, and at data/ the real recordings it plays, read from ../shared at
//   each request (none of them is in the repository): the CreateAI recordings the built-in gesture
//   model was trained on (data/gestures.json) and TFLM's speech clips (data/audio/<word>.wav).
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { SIM_PANEL_CHANNEL } from "../sim/protocol";

export interface SimPanelConfig {
    /** The simx key, also the channel the program sends on (sim/protocol.ts SIM_PANEL_CHANNEL). */
    key: string;
    /** sim/: index.html. */
    pageDir: string;
    /** built/simx/: the compiled scripts. */
    scriptDir: string;
    /** ../shared: the recordings. */
    sharedDir: string;
    /** The target copy pxt serve runs on: its targetconfig.json is the one extended. */
    targetDir: string;
    /** Width over height of the panel's frame. */
    aspectRatio: number;
}

/** The data the panel fetches, by its path under data/, and where in ../shared each is. */
export const SIM_PANEL_DATA: { [name: string]: string } = {
    "gestures.json": "gestures/createai/big-8-actions.json",
    "audio/yes.wav": "audio/yes_1000ms.wav",
    "audio/no.wav": "audio/no_1000ms.wav",
    "audio/noise.wav": "audio/noise_1000ms.wav",
    "audio/silence.wav": "audio/silence_1000ms.wav",
};

const TYPES: { [ext: string]: string } = {
    ".html": "text/html; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".wav": "audio/wav",
};

/** The simx entry for the target config (the fields pxtsim's SimulatorDriver reads), its devUrl on the server `origin`. */
export function simxEntry(config: SimPanelConfig, origin: string) {
    return {
        index: "index.html",
        devUrl: origin + "/simx/" + config.key + "/-/",
        aspectRatio: config.aspectRatio,
        permanent: true,
    };
}

/** The file behind a path under /simx/<key>/-/, or null. */
export function simPanelFile(config: SimPanelConfig, relative: string): string | null {
    if (relative === "" || relative === "index.html") return path.join(config.pageDir, "index.html");
    if (/^[a-z-]+\.js$/.test(relative)) return path.join(config.scriptDir, relative);
    const data = /^data\/(.+)$/.exec(relative);
    if (data && Object.prototype.hasOwnProperty.call(SIM_PANEL_DATA, data[1])) return path.join(config.sharedDir, SIM_PANEL_DATA[data[1]]);
    return null;
}

function reply(res: http.ServerResponse, status: number, type: string, body: string | Buffer) {
    res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-cache" });
    res.end(body);
}

/** Answers the panel's requests (true), or leaves the request to pxt serve (false). */
export function serveSimPanel(config: SimPanelConfig | undefined, req: http.IncomingMessage, pathname: string, method: string, res: http.ServerResponse): boolean {
    if (!config || method !== "GET") return false;
    if (/^\/api\/config\/[^/]+\/targetconfig(\/v[0-9.]+)?$/.test(pathname)) {
        let targetConfig: any;
        try {
            targetConfig = JSON.parse(fs.readFileSync(path.join(config.targetDir, "targetconfig.json"), "utf8"));
        } catch (e) {
            return false; // pxt serve answers as it can
        }
        const origin = "http://" + (req.headers.host || "localhost");
        targetConfig.packages = targetConfig.packages || {};
        targetConfig.packages.approvedRepoLib = targetConfig.packages.approvedRepoLib || {};
        targetConfig.packages.approvedRepoLib[config.key] = { simx: simxEntry(config, origin) };
        reply(res, 200, TYPES[".json"], JSON.stringify(targetConfig));
        return true;
    }
    const prefix = "/simx/" + config.key + "/-/";
    if (pathname.indexOf(prefix) !== 0) return false;
    const file = simPanelFile(config, pathname.slice(prefix.length));
    if (!file) {
        reply(res, 404, "text/plain; charset=utf-8", "the simulator panel has no " + pathname.slice(prefix.length));
        return true;
    }
    if (!fs.existsSync(file)) {
        const why = file.indexOf(config.sharedDir) === 0 ? file + " is missing (the reference data in ../shared)"
            : file + " is missing: run npm run build";
        reply(res, 404, "text/plain; charset=utf-8", why);
        return true;
    }
    reply(res, 200, TYPES[path.extname(file)] || "application/octet-stream", fs.readFileSync(file));
    return true;
}

/** The panel's settings for a pxt serve on the target copy `targetDir`, for the repository at `root`. */
export function simPanelConfig(root: string, targetDir: string): SimPanelConfig {
    return {
        key: SIM_PANEL_CHANNEL,
        pageDir: path.join(root, "sim"),
        scriptDir: path.join(root, "built", "simx"),
        sharedDir: path.join(root, "..", "shared"),
        targetDir,
        // Eight gesture buttons, the dataset drop zone and the sound row under a simulator-wide frame.
        aspectRatio: 1.1,
    };
}
