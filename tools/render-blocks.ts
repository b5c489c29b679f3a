// npm run docs:render: the picture of every ```blocks snippet in docs/**/*.md, drawn by the MakeCode
// editor's own block renderer, to docs/static/blocks/<page path>.png (docs/reference/gestures/
// certainty.md -> docs/static/blocks/reference/gestures/certainty.png; a page's second snippet
// -> certainty-2.png), and docs/static/blocks/snippets.json, a hash of the snippet behind each
// picture (test/editor.test.ts checks that no snippet changed since its picture was drawn).
// `npm run docs:render -- gestures` redraws only the pages whose path contains "gestures".
//
// How: pxt serve (tools/serve-editor.ts) serves the editor's render page, /--docs?render=1, which
// headless chromium loads in an iframe. Each snippet goes to it as a `renderblocks` message
// (pxt-core's common-docs/blocks-embed.md), with the extension's .ts files (the root pxt.json's)
// as `assets`, so they are compiled with the snippet and its blocks exist without any download.
// The reply holds the blocks as SVG and as a PNG data URI.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Browser, Page } from "playwright-core";
import { EditorServer, ROOT, launchChromium, startEditorServer } from "./serve-editor";

export const DOCS = path.join(ROOT, "docs");
export const BLOCK_PICTURES = path.join(DOCS, "static", "blocks");

export interface RenderedBlocks {
    /** The blocks as an SVG document. */
    svg: string;
    /** The same picture as a PNG file. */
    png: Buffer;
    /** Size of the blocks in SVG units (the PNG has more pixels: the renderer draws it denser). */
    width: number;
    height: number;
}

interface RenderReply {
    id: string;
    svg?: string;
    uri?: string;
    width?: number;
    height?: number;
    error?: string;
}

/** The extension's Static TypeScript sources (the files of the root pxt.json), by path. */
export function extensionAssets(): { [file: string]: string } {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, "pxt.json"), "utf8"));
    const assets: { [file: string]: string } = {};
    for (const file of config.files as string[])
        if (file.endsWith(".ts")) assets[file] = fs.readFileSync(path.join(ROOT, file), "utf8");
    return assets;
}

/** The code of each ```blocks fence of a markdown page, in order. */
export function blocksSnippets(markdown: string): string[] {
    const snippets: string[] = [];
    const fence = /^```blocks[ \t]*\r?\n([\s\S]*?)^```[ \t]*$/gm;
    for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) snippets.push(m[1]);
    return snippets;
}

/**
 * Every markdown page under docs/, as a path relative to docs/ (sorted). Not the translations in
 * _locales/<lang>/ folders (_locales/README.md): they show the English page's pictures.
 */
export function docsPages(dir = DOCS, prefix = ""): string[] {
    const pages: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const rel = prefix ? prefix + "/" + entry.name : entry.name;
        if (entry.isDirectory()) {
            if (rel !== "static" && entry.name !== "_locales") pages.push(...docsPages(path.join(dir, entry.name), rel));
        } else if (entry.name.endsWith(".md")) pages.push(rel);
    }
    return pages.sort();
}

/** The picture file of snippet `index` (0-based) of a page (relative to docs/). */
export function picturePath(page: string, index: number): string {
    const base = page.replace(/\.md$/, "");
    return path.join(BLOCK_PICTURES, base + (index ? "-" + (index + 1) : "") + ".png");
}

/**
 * docs/static/blocks/snippets.json: for each picture (its path under docs/static/blocks), a hash of
 * the snippet it was drawn from, so a test can tell a picture whose snippet changed since.
 */
export const SNIPPET_HASHES = path.join(BLOCK_PICTURES, "snippets.json");

export function snippetHash(code: string): string {
    return crypto.createHash("sha256").update(code.replace(/\r\n/g, "\n").trim()).digest("hex").slice(0, 16);
}

export function readSnippetHashes(): { [picture: string]: string } {
    return fs.existsSync(SNIPPET_HASHES) ? JSON.parse(fs.readFileSync(SNIPPET_HASHES, "utf8")) : {};
}

/** The key of a picture in snippets.json. */
export function pictureKey(picture: string): string {
    return path.relative(BLOCK_PICTURES, picture).split(path.sep).join("/");
}

/** The editor's render page in a headless chromium page; render() one snippet at a time. */
export class BlockRenderer {
    private next = 0;

    private constructor(private page: Page, private assets: { [file: string]: string }) { }

    static async open(browser: Browser, server: EditorServer, timeoutMs = 60000): Promise<BlockRenderer> {
        const page = await browser.newPage();
        // Offline: only the local server may answer.
        await page.route(url => url.origin !== server.origin, route => route.abort());
        const frameUrl = server.origin + "/--docs?render=1&lang=en";
        await page.setContent(`<!doctype html><html><body><script>
            window.renderReady = false;
            window.renderReplies = {};
            window.addEventListener("message", function (ev) {
                var msg = ev.data;
                if (!msg || msg.source !== "makecode") return;
                if (msg.type === "renderready") window.renderReady = true;
                else if (msg.type === "renderblocks") window.renderReplies[msg.id] = msg;
            });
            </script><iframe id="renderer" style="width:1px;height:1px" src="${frameUrl}"></iframe></body></html>`);
        await page.waitForFunction(() => (globalThis as any).renderReady, null, { timeout: timeoutMs });
        return new BlockRenderer(page, extensionAssets());
    }

    async render(code: string, timeoutMs = 60000): Promise<RenderedBlocks> {
        const id = "snippet" + this.next++;
        await this.page.evaluate(([id, code, assets]) => {
            const frame = (globalThis as any).document.getElementById("renderer");
            frame.contentWindow.postMessage({ type: "renderblocks", id, code, options: { assets } }, "*");
        }, [id, code, this.assets] as [string, string, { [file: string]: string }]);
        await this.page.waitForFunction(id => !!(globalThis as any).renderReplies[id], id, { timeout: timeoutMs });
        const reply: RenderReply = await this.page.evaluate(id => (globalThis as any).renderReplies[id], id);
        if (reply.error) throw new Error("the renderer failed: " + reply.error);
        const png = /^data:image\/png;base64,(.*)$/.exec(reply.uri || "");
        if (!reply.svg || !png) throw new Error("the renderer sent no " + (reply.svg ? "PNG" : "SVG"));
        return { svg: reply.svg, png: Buffer.from(png[1], "base64"), width: reply.width || 0, height: reply.height || 0 };
    }

    close(): Promise<void> {
        return this.page.close();
    }
}

/** Starts a private pxt serve and chromium, runs fn with a renderer, and always stops both. */
export async function withRenderer<T>(fn: (renderer: BlockRenderer) => Promise<T>): Promise<T> {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "tinyml-render-"));
    fs.mkdirSync(path.join(workspace, "projects"));
    let server: EditorServer | undefined;
    let browser: Browser | undefined;
    try {
        server = await startEditorServer({ workspace, noAuth: true });
        browser = await launchChromium();
        const renderer = await BlockRenderer.open(browser, server);
        return await fn(renderer);
    } finally {
        if (browser) await browser.close().catch(() => undefined);
        if (server) await server.stop();
        fs.rmSync(workspace, { recursive: true, force: true });
    }
}

async function main() {
    const only = process.argv.slice(2);
    const pages = docsPages().filter(p => only.length === 0 || only.some(o => p.indexOf(o) >= 0));
    const jobs: { page: string; index: number; code: string }[] = [];
    for (const page of pages)
        blocksSnippets(fs.readFileSync(path.join(DOCS, page), "utf8")).forEach((code, index) => jobs.push({ page, index, code }));
    const written = new Set<string>();
    const failures: string[] = [];
    const hashes = only.length ? readSnippetHashes() : {};
    await withRenderer(async renderer => {
        for (const job of jobs) {
            const out = picturePath(job.page, job.index);
            try {
                const picture = await renderer.render(job.code);
                fs.mkdirSync(path.dirname(out), { recursive: true });
                fs.writeFileSync(out, picture.png);
                written.add(out);
                hashes[pictureKey(out)] = snippetHash(job.code);
                console.log(path.relative(ROOT, out) + "  " + picture.width + "x" + picture.height);
            } catch (e: any) {
                failures.push("docs/" + job.page + " snippet " + (job.index + 1) + ": " + e.message);
            }
        }
    });
    // Pictures of snippets that no longer exist (only on a full, clean run).
    if (only.length === 0 && failures.length === 0 && fs.existsSync(BLOCK_PICTURES)) {
        const walk = (dir: string) => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const file = path.join(dir, entry.name);
                if (entry.isDirectory()) walk(file);
                else if (entry.name.endsWith(".png") && !written.has(file)) {
                    fs.unlinkSync(file);
                    console.log("removed " + path.relative(ROOT, file));
                }
            }
        };
        walk(BLOCK_PICTURES);
    }
    if (written.size) {
        const sorted: { [picture: string]: string } = {};
        for (const key of Object.keys(hashes).sort()) sorted[key] = hashes[key];
        fs.writeFileSync(SNIPPET_HASHES, JSON.stringify(sorted, null, 2) + "\n");
    }
    console.log(written.size + " pictures from " + jobs.length + " snippets in " + pages.length + " pages");
    for (const f of failures) console.error("failed: " + f);
    if (failures.length) process.exit(1);
}

if (require.main === module) {
    main().catch(e => { console.error(e.stack || e.message || e); process.exit(1); });
}
