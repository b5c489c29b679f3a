// The trainer page (sim/trainer) in npm start's pxt serve, as the extension's editor page:
// - its files at /trainer/ (the page, its bundle built/trainer/trainer.js, tfjs's browser build,
//   the recorder program and its hex);
// - the extension's pxt.json, as the target bundle carries it, gets MakeCode's "extension" entry
//   (namespace, label, localUrl): the editor then shows a "Train a gesture model" button in the
//   TinyML category that opens the page in an iframe and lets it read and write the project.
//   MakeCode opens an extension's page only when it trusts it (pxt-core's resolveExtensionUrl): on
//   makecode.microbit.org, a GitHub extension approved in the target config whose "url" is in
//   approvedEditorExtensionUrls (as ml4f's trainer is); on localhost, its "localUrl" when the
//   editor's address has ?localeditorextensions=1, which npm start's address has. The entry is
//   added here, not in the repository's pxt.json, because the page's address depends on the port.
import * as fs from "fs";
import * as http from "http";
import * as path from "path";

export interface TrainerHooksConfig {
    /** The package (by name) whose pxt.json gets the "extension" entry. */
    packageName: string;
    /** MakeCode's PackageExtension: the category (namespace) and group the button is in, its label, the page's address. */
    extension: { namespace: string; group?: string; label: string; localUrl: string };
    /** Folders /trainer/<file> is looked for in, first match wins. */
    dirs: string[];
    /** Single files by name under /trainer/ (tfjs's tf.min.js). */
    files: { [name: string]: string };
}

/** The address prefix the page is served under. */
export const TRAINER_ROUTE = "/trainer/";

const TYPES: { [ext: string]: string } = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "application/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8", ".ts": "text/plain; charset=utf-8", ".hex": "application/octet-stream",
};

/** A package's pxt.json text with MakeCode's "extension" entry, when it is the configured package. */
export function withEditorExtension(config: TrainerHooksConfig | undefined, packageName: string, pxtJson: string): string {
    if (!config || packageName !== config.packageName) return pxtJson;
    const parsed = JSON.parse(pxtJson);
    parsed.extension = { ...config.extension };
    return JSON.stringify(parsed, null, 4);
}

/** Answers GET (and HEAD) /trainer/...; false when the request is not the trainer's (pxt serve answers it). */
export function serveTrainer(config: TrainerHooksConfig | undefined, pathname: string, method: string, res: http.ServerResponse): boolean {
    if (!config || (method !== "GET" && method !== "HEAD") || !(pathname === "/trainer" || pathname.startsWith(TRAINER_ROUTE))) return false;
    if (pathname === "/trainer") {
        res.writeHead(301, { Location: TRAINER_ROUTE });
        res.end();
        return true;
    }
    const name = pathname.slice(TRAINER_ROUTE.length) || "index.html";
    const type = TYPES[path.extname(name)];
    let file: string | undefined = config.files[name];
    // Only plain names of the kinds above (no "..", no hidden files).
    if (!file && type && name.split("/").every((part) => /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(part)))
        file = config.dirs.map((d) => path.join(d, name)).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    if (!file || !fs.existsSync(file)) {
        res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
        res.end(name === "recorder.hex"
            ? "The recorder's hex is not built here: its code is at /trainer/recorder/main.ts; paste it into a new MakeCode project's JavaScript and Download it."
            : "No trainer file " + name);
        return true;
    }
    res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream", "Cache-Control": "no-cache" });
    // (HEAD: whether it is there; the page asks so before offering the recorder's hex)
    res.end(method === "HEAD" ? undefined : fs.readFileSync(file));
    return true;
}
