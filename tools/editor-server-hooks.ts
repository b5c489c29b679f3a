// Loaded into the `pxt serve` process that tools/serve-editor.ts starts, before pxt's CLI runs:
// wraps the request handler of the HTTP server pxt serve creates, to mend what pxt-core's
// file-system workspace and target bundle do not do for a teacher working offline. pxt-core is a
// dependency (node_modules is not ours to change), so the fixes sit in front of it:
//
// - Saving: pxt serve's GET /api/pkg/<project> returns the files its pxt.json lists, not the
//   editor's undo history `_history`, which the editor saves beside them. The editor then sends the
//   next save with no previous `_history`, pxt serve finds one on disk, logs "merge error for
//   _history" and answers 409, and the editor stops saving ("Project Auto-Save Disabled"): every
//   project saved once per load. Here the read also returns `_history`, as the editor wrote it.
// - The extension as a built-in one: pxt serve's editor searches the Extensions dialog in the
//   target's bundled packages and on GitHub (online only). The target bundle (target.js, also
//   read by the help pages' renderer) is sent with the extension added to its bundled packages,
//   read from the repository at each request, so searching "tinyml" finds it and adds
//   `"tinyml": "*"`, and a change in libs/ shows after a reload. A bundled package also wins over
//   `file:` dependencies of the same name (pxt's resolveVersionAsync), so the sample projects'
//   `"tinyml": "file:../tinyml"` load the same copy.
// - Developer projects hidden: GET /api/list leaves out the projects that are not for students
//   (projects/tinyml, the folder of links through which the firmware builds find the extension,
//   and hello-tflite, the tflite API demo), so they are no My Projects cards.
// - Languages offline: the editor takes a language (?lang=ja, or the settings menu's Language)
//   only once it has downloaded translations for it, from makecode.com ("live" translations) or,
//   failing that, from /cdn/locales/<lang>/; pxt serve has none, so offline the editor stayed in
//   English and the extension's own translations (_locales/<lang>/, which the editor reads from
//   the package itself) were never used. Here the bundle turns live translations off
//   (appTheme.disableLiveTranslations) and /cdn/locales/<lang>/target-strings.json answers, for a
//   language a bundled package is translated into, that package's toolbox group names: the editor
//   switches to the language and the extension's blocks and help pages are in it. MakeCode's own
//   menus and blocks, whose translations only makecode.com serves, stay in English.
// - Translated help pages: a help page of a bundled package asked for in a language (GET
//   /api/md/<target>/<page>?lang=ja) is answered with its translation, kept as MakeCode keeps an
//   extension's translated pages, in a _locales/<lang>/ folder beside the English page
//   (docs/reference/gestures/_locales/ja/on-gesture-start.md), or with the English page when there
//   is none (pxt serve would ask makecode.com for it, which offline fails).
// - The trainer page (tools/trainer-hooks.ts): /trainer/ serves sim/trainer and its bundle, and the
//   extension's pxt.json in the bundle gets MakeCode's "extension" entry, so the TinyML category
//   has a "Train a gesture model" button that opens the page over the editor.
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { TrainerHooksConfig, serveTrainer, withEditorExtension } from "./trainer-hooks";
import { SimPanelConfig, serveSimPanel } from "./sim-panel-server";

/** What startEditorServer passes in the environment variable EDITOR_HOOKS_ENV (JSON). */
export interface EditorHooksConfig {
    /** The folder whose projects/ pxt serve lists (its working directory when it starts). */
    workspace: string;
    /** The target copy pxt serve runs on (its built/target.js is the bundle sent, with the extensions added). */
    targetDir: string;
    /** Packages sent as bundled packages of the target: name -> folder holding their pxt.json. */
    bundledPackages: { [name: string]: string };
    /** Folder names under projects/ that GET /api/list leaves out. */
    hiddenProjects: string[];
    /** The trainer page and the extension entry that opens it (tools/trainer-hooks.ts). */
    trainer?: TrainerHooksConfig;
    /** The simulator panel (sim/): its simx entry in the target config, its page and data (tools/sim-panel-server.ts). */
    simPanel?: SimPanelConfig;
}

export const EDITOR_HOOKS_ENV = "TINYML_EDITOR_HOOKS";
/** pxt.HISTORY_FILE: the editor's undo history, saved with a project but not in its pxt.json. */
const HISTORY_FILE = "_history";

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A project's files as pxt serve's GET /api/pkg answers them (pxt-core's server.js readPkgAsync). */
interface PkgReply {
    path: string;
    files: { name: string; mtime: number | null; content?: string }[];
}

/**
 * Lets pxt's handler answer, then passes a 200 JSON reply through `rewrite` before it is sent
 * (pxt's sendJson writes the head, then the whole body in one end()).
 */
function rewriteJsonReply(res: http.ServerResponse, rewrite: (body: any) => any) {
    const writeHead = res.writeHead, end = res.end;
    let status = 0;
    let headers: any;
    (res as any).writeHead = (code: number, ...rest: any[]) => {
        status = code;
        headers = rest[rest.length - 1];
        return res;
    };
    (res as any).end = (chunk?: any, ...rest: any[]) => {
        let body = chunk;
        const type = headers && typeof headers === "object" ? String(headers["Content-Type"] || "") : "";
        if (status === 200 && /json/.test(type) && chunk != null) {
            try { body = JSON.stringify(rewrite(JSON.parse(chunk.toString()))); } catch (e) { body = chunk; }
        }
        writeHead.call(res, status || 200, headers);
        return (end as any).call(res, body, ...rest);
    };
}

/** The package's files as pxt's target build bundles them: pxt.json and each file it lists, by name. */
export function bundledPackageFiles(dir: string): { [file: string]: string } {
    const configText = fs.readFileSync(path.join(dir, "pxt.json"), "utf8");
    const config = JSON.parse(configText);
    const files: { [file: string]: string } = { "pxt.json": configText };
    for (const file of ([] as string[]).concat(config.files || [], config.testFiles || []))
        files[file] = fs.readFileSync(path.join(dir, file), "utf8");
    return files;
}

/** The target bundle (built/target.json's object) with the configured packages added to its bundled packages. */
function targetWithExtensions(config: EditorHooksConfig): any {
    const target = JSON.parse(fs.readFileSync(path.join(config.targetDir, "built", "target.json"), "utf8"));
    for (const name of Object.keys(config.bundledPackages))
        target.bundledpkgs[name] = bundledPackageFiles(config.bundledPackages[name]);
    for (const name of Object.keys(config.bundledPackages))
        target.bundledpkgs[name]["pxt.json"] = withEditorExtension(config.trainer, name, target.bundledpkgs[name]["pxt.json"]);
    // No "live" translations from makecode.com: in another language than English the editor and
    // its help pages would ask makecode.com for every string and page (offline: nothing, and the
    // help page fails with "could not load the documentation"; online: makecode.com has no pages
    // of this extension). Without them they ask this server: /cdn/locales/<lang>/ and
    // /api/md/...?lang=, answered below.
    target.appTheme = { ...target.appTheme, disableLiveTranslations: true };
    return target;
}

/**
 * The folders to try for a language code, most specific first, as pxt's own lookups do
 * (pxt.Util.normalizeLanguageCode): "pt-BR" -> pt-BR, pt-br, pt; "ja" -> ja.
 */
export function languageFolders(code: string): string[] {
    const m = /^([a-z]{2,3})(?:[-_]([a-z0-9]{2,8}))?$/i.exec(code);
    if (!m) return [];
    const base = m[1].toLowerCase();
    const folders = m[2] ? [base + "-" + (m[2].length === 2 ? m[2].toUpperCase() : m[2]), (base + "-" + m[2]).toLowerCase(), base] : [base];
    return folders.filter((f, i) => folders.indexOf(f) === i);
}

/**
 * The editor-level strings of the configured packages for a language (the toolbox names pxt
 * copies from a package's strings into the editor's: {id:group}..., {id:category}...), from each
 * package's _locales/<lang>/<name>-strings.json; null when no package has that language.
 */
export function editorStringsFor(config: EditorHooksConfig, code: string): { [key: string]: string } | null {
    let found = false;
    const strings: { [key: string]: string } = {};
    for (const name of Object.keys(config.bundledPackages)) {
        for (const folder of languageFolders(code)) {
            const file = path.join(config.bundledPackages[name], "_locales", folder, name + "-strings.json");
            if (!fs.existsSync(file)) continue;
            const table = JSON.parse(fs.readFileSync(file, "utf8"));
            for (const key of Object.keys(table)) if (/^\{id:/.test(key) && table[key]) strings[key] = table[key];
            found = true;
            break;
        }
    }
    return found ? strings : null;
}

/**
 * A configured package's help page (a docs path such as "reference/gestures/on-gesture-start",
 * or "reference/<package>", its docs/reference.md) in a language: the translation beside the
 * English page, <folder>/_locales/<lang>/<page>.md, or else the English page. Null when the page
 * is not one of the packages' (pxt serve answers it as before).
 */
export function packageHelpPage(config: EditorHooksConfig, docPath: string, code: string): { file: string; translated: boolean } | null {
    const clean = docPath.replace(/^\/+|\.md$/g, "");
    if (!clean || clean.split("/").some(part => !part || part[0] === ".")) return null;
    for (const name of Object.keys(config.bundledPackages)) {
        const docs = path.join(config.bundledPackages[name], "docs");
        // The Extensions dialog's "Learn more" opens /reference/<package>: its docs/reference.md.
        const relative = clean === "reference/" + name ? "reference" : clean;
        const english = path.join(docs, relative + ".md");
        if (!fs.existsSync(english)) continue;
        for (const folder of languageFolders(code)) {
            const translated = path.join(path.dirname(english), "_locales", folder, path.basename(english));
            if (fs.existsSync(translated)) return { file: translated, translated: true };
        }
        return { file: english, translated: false };
    }
    return null;
}

function handle(config: EditorHooksConfig, req: http.IncomingMessage, res: http.ServerResponse, pxtListener: Listener) {
    let pathname: string;
    try {
        pathname = decodeURI(new URL((req.url || "/").replace(/^\/app\/[0-9a-f]{40}(?:-[0-9a-f]{10})?/i, ""), "http://localhost").pathname);
    } catch (e) {
        return pxtListener(req, res); // pxt answers what it makes of it
    }
    const method = (req.method || "GET").toUpperCase();
    if (serveTrainer(config.trainer, pathname, method, res)) return;
    if (serveSimPanel(config.simPanel, req, pathname, method, res)) return;

    const bundle = /^\/(?:(?:blb|cdn|trgblb)\/)?target\.(js|json)$/.exec(pathname);
    if (bundle && method === "GET") {
        let text: string;
        try {
            text = JSON.stringify(targetWithExtensions(config));
        } catch (e: any) {
            // Without the extension the editor still works; say why it is missing.
            console.error("target bundle without the extension: " + (e.message || e));
            return pxtListener(req, res);
        }
        if (bundle[1] === "js") text = "var pxtTargetBundle = " + text;
        res.writeHead(200, {
            "Content-Type": bundle[1] === "js" ? "application/javascript; charset=utf-8" : "application/json; charset=utf-8",
            "Cache-Control": "no-cache",
        });
        res.end(text);
        return;
    }

    const query = new URL(req.url || "/", "http://localhost").searchParams;
    const editorStrings = /^\/(?:cdn\/|blb\/)?locales\/([A-Za-z0-9-]+)\/target-strings\.json$/.exec(pathname);
    if (editorStrings && method === "GET") {
        const strings = editorStringsFor(config, editorStrings[1]);
        if (strings) {
            res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache" });
            res.end(JSON.stringify(strings));
            return;
        }
    }
    const markdown = /^\/api\/md\/[^/]+\/(.+)$/.exec(pathname);
    const language = query.get("lang");
    if (markdown && method === "GET" && language && language !== "en") {
        const page = packageHelpPage(config, markdown[1], language);
        if (page) {
            res.writeHead(200, { "Content-Type": "text/plain; charset=utf8", "Cache-Control": "no-cache" });
            res.end(fs.readFileSync(page.file, "utf8"));
            return;
        }
    }

    const api = /^\/api\/(pkg|list)(?:\/(.*))?$/.exec(pathname);
    if (api && method === "GET" && api[1] === "pkg" && api[2]) {
        const projectDir = path.join(config.workspace, "projects", api[2]);
        rewriteJsonReply(res, (reply: PkgReply) => {
            const history = path.join(projectDir, HISTORY_FILE);
            if (reply && Array.isArray(reply.files) && !reply.files.some(f => f.name === HISTORY_FILE) && fs.existsSync(history))
                reply.files.push({ name: HISTORY_FILE, mtime: fs.statSync(history).mtime.getTime(), content: fs.readFileSync(history, "utf8") });
            return reply;
        });
    } else if (api && method === "GET" && api[1] === "list") {
        rewriteJsonReply(res, (reply: { pkgs: PkgReply[] }) => {
            if (reply && Array.isArray(reply.pkgs))
                reply.pkgs = reply.pkgs.filter(p => config.hiddenProjects.indexOf(String(p.path).replace(/^\/+/, "").split("/")[0]) < 0);
            return reply;
        });
    }
    return pxtListener(req, res);
}

/** Wraps the handler of every HTTP server created from now on (pxt serve creates one). */
export function installEditorHooks(config: EditorHooksConfig) {
    const createServer = http.createServer;
    (http as any).createServer = function (...args: any[]) {
        const i = args.findIndex(a => typeof a === "function");
        if (i >= 0) {
            const pxtListener: Listener = args[i];
            args[i] = (req: http.IncomingMessage, res: http.ServerResponse) => handle(config, req, res, pxtListener);
        }
        return (createServer as any).apply(http, args);
    };
}

if (process.env[EDITOR_HOOKS_ENV]) installEditorHooks(JSON.parse(process.env[EDITOR_HOOKS_ENV]!));
