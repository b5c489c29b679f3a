// The MakeCode editor, offline, in headless chromium (Debian's, driven by playwright-core): what
// `npm start` serves. A private copy of projects/gestures-demo and projects/tinyml (read through
// its links, as pxt serve reads them) is served by `pxt serve`; requests to any other address are
// refused, so this also shows that the editor needs no network. Checks: the sample project opens
// in the blocks editor, the TinyML category is in the toolbox and its flyout draws the gesture
// blocks, the simulator runs the built-in model on its accelerometer (the board lying still gives
// the "still up" face; button B shows a certainty), Download compiles the project natively for the
// micro:bit v2 on the C++ runtime that npm start builds here (tools/serve-editor.ts
// prepareEditorRuntimes: the extension's C kernels, compiled with CODAL from ../shared/codal), and
// the render page that draws docs/static/blocks draws a gesture block.
import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import type { Browser, Frame, Page } from "playwright-core";
import { FLASH_USABLE_END, elfFlashEnd, elfSymbols } from "../node/firmware";
import { decodeIntelHex, findInImage } from "../node/intel-hex";
import { EditorRuntime, EditorServer, ROOT, copyProject, launchChromium, prepareEditorRuntimes, startEditorServer } from "../tools/serve-editor";
import { BlockRenderer, DOCS, blocksSnippets, docsPages, pictureKey, picturePath, readSnippetHashes, snippetHash } from "../tools/render-blocks";

/** Text of each block in the visible flyout, words in reading order (dropdowns and inputs included). */
async function flyoutBlockTexts(page: Page): Promise<string[]> {
    return page.evaluate(() => {
        const doc = (globalThis as any).document;
        const flyouts = Array.from(doc.querySelectorAll(".blocklyFlyout")).filter((f: any) => f.getBoundingClientRect().width > 0);
        const texts: string[] = [];
        for (const flyout of flyouts as any[]) {
            for (const block of Array.from(flyout.querySelectorAll(".blocklyBlockCanvas > g.blocklyDraggable")) as any[]) {
                const words = (Array.from(block.querySelectorAll("text")) as any[]).map(t => {
                    const r = t.getBoundingClientRect();
                    return { text: (t.textContent as string).replace(/\u00a0/g, " ").trim(), x: r.left, y: r.top + r.height / 2 };
                }).filter(w => w.text);
                // Lines: texts whose middles are within 8 px; each line left to right.
                words.sort((a, b) => Math.abs(a.y - b.y) < 8 ? a.x - b.x : a.y - b.y);
                texts.push(words.map(w => w.text).join(" ").replace(/\s+/g, " "));
            }
        }
        return texts;
    });
}

async function simulatorFrame(page: Page, timeoutMs: number): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const frame = page.frames().find(f => /\/simulator\.html/.test(f.url()));
        if (frame) return frame;
        if (Date.now() > deadline) throw new Error("no simulator frame within " + timeoutMs + " ms");
        await page.waitForTimeout(250);
    }
}

/** The micro:bit's 25 LED brightnesses in the simulator. */
function ledLevels(frame: Frame): Promise<number[]> {
    return frame.evaluate(() => Array.from((globalThis as any).pxsim.board().ledMatrixState.image.data as ArrayLike<number>, v => v || 0));
}

/** An LED picture from five rows of '#' (on) and '.' (off). */
function leds(...rows: string[]): boolean[] {
    return rows.join("").split("").map(c => c === "#");
}

function sameLeds(levels: number[], picture: boolean[]): boolean {
    return levels.length === 25 && levels.every((v, i) => (v > 0) === picture[i]);
}

function showLeds(levels: number[]): string {
    return (levels.map(v => v > 0 ? "#" : ".").join("").match(/...../g) || []).join(" ");
}

async function waitForLeds(frame: Frame, ok: (levels: number[]) => boolean, timeoutMs: number, what: string) {
    const deadline = Date.now() + timeoutMs;
    let levels = await ledLevels(frame);
    while (!ok(levels)) {
        if (Date.now() > deadline) assert.fail("LEDs " + showLeds(levels) + ": not " + what + " after " + timeoutMs + " ms");
        await new Promise(r => setTimeout(r, 200));
        levels = await ledLevels(frame);
    }
}

const CRC_TABLE = (() => {
    const table: number[] = [];
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        table.push(c >>> 0);
    }
    return table;
})();

function crc32(data: Buffer): number {
    let c = 0xffffffff;
    for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

/** Checks a PNG file's structure (signature, chunk CRCs, IHDR, IDAT inflating to the right size); returns its size. */
function checkPng(png: Buffer): { width: number; height: number } {
    assert.deepStrictEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
    let offset = 8;
    let width = 0, height = 0, bitDepth = 0, colorType = -1, interlace = 0;
    const idat: Buffer[] = [];
    let ended = false;
    while (offset < png.length) {
        const length = png.readUInt32BE(offset);
        const type = png.toString("latin1", offset + 4, offset + 8);
        const body = png.subarray(offset + 8, offset + 8 + length);
        assert.strictEqual(png.readUInt32BE(offset + 8 + length), crc32(png.subarray(offset + 4, offset + 8 + length)), "CRC of chunk " + type);
        if (type === "IHDR") {
            width = body.readUInt32BE(0); height = body.readUInt32BE(4);
            bitDepth = body[8]; colorType = body[9]; interlace = body[12];
        } else if (type === "IDAT") idat.push(body);
        else if (type === "IEND") ended = true;
        offset += 12 + length;
    }
    assert.ok(ended, "IEND chunk");
    assert.ok(width > 0 && height > 0, "size " + width + "x" + height);
    assert.strictEqual(bitDepth, 8);
    assert.strictEqual(interlace, 0);
    const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as { [t: number]: number })[colorType];
    assert.ok(channels, "colour type " + colorType);
    const pixels = zlib.inflateSync(Buffer.concat(idat));
    assert.strictEqual(pixels.length, height * (1 + width * channels), "decompressed image data size");
    return { width, height };
}

/** `size` bytes at `address` of an ELF file's loaded sections (arm-none-eabi-readelf -S): what the linker put there. */
function elfBytes(elf: string, address: number, size: number): Buffer {
    for (const line of childProcess.execFileSync("arm-none-eabi-readelf", ["-SW", elf], { encoding: "utf8" }).split("\n")) {
        const m = /^\s*\[\s*\d+\]\s+\S+\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)/.exec(line);
        if (!m) continue;
        const start = parseInt(m[1], 16), offset = parseInt(m[2], 16), length = parseInt(m[3], 16);
        if (address >= start && address + size <= start + length)
            return fs.readFileSync(elf).subarray(offset + address - start, offset + address - start + size);
    }
    throw new Error("no section of " + elf + " holds 0x" + address.toString(16));
}

/** A little-endian 32-bit word of an image. */
function word(image: Map<number, number>, address: number): number {
    return [0, 1, 2, 3].reduce((w, i) => w + (image.get(address + i) || 0) * 2 ** (8 * i), 0);
}

/** The texts of a rendered blocks picture, one per SVG text element (non-breaking spaces as spaces). */
function svgTexts(svg: string): string[] {
    return (svg.match(/<text[^>]*>[^<]*<\/text>/g) || []).map(t => t.replace(/<[^>]*>/g, "").replace(/\u00a0/g, " "));
}

describe("MakeCode editor (npm start) in headless chromium", function () {
    this.timeout(120000);
    let workspace: string;
    let server: EditorServer;
    let browser: Browser;
    let page: Page;
    let runtime: EditorRuntime;

    before(async function () {
        // The first C++ runtime build (CODAL unpacked and compiled) takes minutes; later ones reuse it.
        this.timeout(20 * 60 * 1000);
        workspace = fs.mkdtempSync(path.join(os.tmpdir(), "tinyml-editor-"));
        copyProject(path.join(ROOT, "projects", "gestures-demo"), path.join(workspace, "projects", "gestures-demo"));
        copyProject(path.join(ROOT, "projects", "tinyml"), path.join(workspace, "projects", "tinyml"));
        // As npm start: the C++ runtime of the projects' package set into <workspace>/built/hexcache/.
        const log: string[] = [];
        const runtimes = prepareEditorRuntimes(workspace, line => log.push(line));
        assert.strictEqual(runtimes.length, 1, "one C++ runtime for gestures-demo:\n" + log.join("\n"));
        runtime = runtimes[0];
        assert.ok(runtime.firmware, "built for this workspace:\n" + log.join("\n"));
        // With the local token, as npm start: the editor then asks the server for the C++ runtime of
        // native builds (GET /api/compile/<sha>) instead of MakeCode's cloud compiler.
        server = await startEditorServer({ workspace, timeoutMs: 60000 });
        browser = await launchChromium();
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        // No WebUSB (as in Firefox): Download goes straight to the server, without the pairing dialog.
        await context.addInitScript(() => { delete (globalThis as any).Navigator.prototype.usb; });
        page = await context.newPage();
        await page.route(url => url.origin !== server.origin, route => route.abort());
    });

    after(async function () {
        this.timeout(30000);
        if (browser) await browser.close().catch(() => undefined);
        if (server) await server.stop();
        if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
    });

    it("opens the sample project in the blocks editor, with the TinyML category", async function () {
        await page.goto(server.editorUrl, { waitUntil: "load", timeout: 60000 });
        const card = page.locator(".ui.card", { hasText: "gestures-demo" }).first();
        await card.waitFor({ timeout: 60000 });
        await card.click();
        // The toolbox appears once the project and the extension have compiled in the browser.
        await page.locator(".blocklyTreeRow", { hasText: "TinyML" }).first().waitFor({ timeout: 90000 });
        const categories = await page.locator(".blocklyTreeRow .blocklyTreeLabel").allTextContents();
        assert.ok(categories.indexOf("TinyML") >= 0, "toolbox: " + categories.join(", "));
        assert.ok(categories.indexOf("Basic") >= 0 && categories.indexOf("Input") >= 0, "toolbox: " + categories.join(", "));
        // The program's blocks are on the workspace (its on-gesture handlers), not converted to JavaScript.
        const workspaceText = await page.evaluate(() => {
            const background = (globalThis as any).document.querySelector(".blocklyMainBackground");
            const canvas = background && background.parentNode.querySelector(".blocklyBlockCanvas");
            return canvas ? (canvas.textContent as string).replace(/\u00a0/g, " ") : "";
        });
        assert.match(workspaceText, /on gesture/);
        assert.match(workspaceText, /set certainty threshold to/);
    });

    it("shows the gesture blocks in the TinyML flyout, with the built-in gestures as dropdown values", async function () {
        await page.locator(".blocklyTreeRow", { hasText: "TinyML" }).first().click();
        await page.waitForFunction(() => {
            const doc = (globalThis as any).document;
            return Array.from(doc.querySelectorAll(".blocklyFlyout text")).some((t: any) => /gesture/.test(t.textContent));
        }, null, { timeout: 30000 });
        const blocks = await flyoutBlockTexts(page);
        const start = blocks.map(b => /^on gesture (.+) start$/.exec(b)).find(m => !!m);
        assert.ok(start, "no 'on gesture ... start' block in " + JSON.stringify(blocks));
        const gesture = start![1];  // the dropdown's default value, e.g. "shake vertical"
        const expected = [
            "on gesture " + gesture + " start",
            "on gesture " + gesture + " stop",
            "is gesture " + gesture + " detected",
            "certainty (%) of " + gesture,
            "current gesture",
        ];
        for (const text of expected) assert.ok(blocks.indexOf(text) >= 0, "no block '" + text + "' in " + JSON.stringify(blocks));
        assert.ok(blocks.some(b => b.startsWith("on gesture " + gesture + " stop ") && /\(ms\)$/.test(b)), "no 'on gesture stop (ms)' block in " + JSON.stringify(blocks));
        assert.ok(blocks.some(b => /^set certainty threshold to \d+ ?%$/.test(b)), "no 'set certainty threshold' block in " + JSON.stringify(blocks));
        // (its inputs wrap over several lines: only the order of its own words is checked)
        assert.ok(blocks.some(b => /\buse model .*with labels\b/.test(b)), "no 'use model ... with labels' block in " + JSON.stringify(blocks));

        // A gesture dropdown of the program (not the flyout's: a click there drags a new block out)
        // lists the built-in model's gestures.
        await page.keyboard.press("Escape");
        const dropdown = await page.evaluate(names => {
            const doc = (globalThis as any).document;
            const background = doc.querySelector(".blocklyMainBackground");
            const texts = Array.from(background.parentNode.querySelectorAll(".blocklyBlockCanvas .blocklyDropdownText")) as any[];
            for (const text of texts) {
                if (names.indexOf(text.textContent.replace(/\u00a0/g, " ")) < 0) continue;
                const r = text.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                const hit = doc.elementFromPoint(x, y);
                if (hit && text.parentNode.contains(hit)) return { x, y };
            }
            return null;
        }, ["circle", "still up", "still down", "shake vertical", "shake horizontal", "no gesture"]);
        assert.ok(dropdown, "a gesture dropdown of the sample program is on screen");
        await page.mouse.click(dropdown!.x, dropdown!.y);
        const menu = page.locator(".blocklyDropDownDiv .blocklyMenuItem");
        await menu.first().waitFor({ timeout: 10000 });
        const options = (await menu.allTextContents()).map(o => o.trim());
        await page.keyboard.press("Escape");
        // The eight movements of CreateAI's "big 8 actions" recordings the model is trained on.
        for (const name of ["shake vertical", "still up", "circle", "shake horizontal", "still down", "throw up", "arm roll", "free fall", gesture])
            assert.ok(options.indexOf(name) >= 0, "gesture dropdown: " + JSON.stringify(options));
    });

    it("runs the sample project in the simulator", async function () {
        const frame = await simulatorFrame(page, 30000);
        await frame.waitForFunction(() => {
            const pxsim = (globalThis as any).pxsim;
            return pxsim && pxsim.runtime && pxsim.runtime.running;
        }, null, { timeout: 60000 });
        assert.strictEqual(await frame.locator("svg.sim").count(), 1, "the micro:bit board is drawn");
        assert.strictEqual(await frame.evaluate(() => !!(globalThis as any).pxsim.runtime.dead), false, "the program stopped");
        // The board lies still, face up (the simulator's accelerometer reads 0, 0, -1023): the built-in
        // model, run on it every 250 ms, finds "still up", and the sample's handler shows IconNames.Happy.
        const happy = leds(".....", ".#.#.", ".....", "#...#", ".###.");
        await waitForLeds(frame, levels => sameLeds(levels, happy), 30000, "the happy face (gesture 'still up' started)");
        // Button B: basic.showNumber(gestures.certainty(circle)) replaces it with a number.
        await frame.locator("g.sim-button-group").nth(1).click();
        await waitForLeds(frame, levels => !sameLeds(levels, happy) && levels.some(v => v > 0), 15000, "a number after button B");
        assert.strictEqual(await frame.evaluate(() => (globalThis as any).pxsim.runtime.running), true, "still running");
    });

    it("compiles the sample project to a micro:bit v2 hex in the browser (Download), offline, with the C kernels built here", async function () {
        // pxt serve receives the compiled program to copy it onto a micro:bit drive (none here).
        const deploy = page.waitForRequest(r => r.method() === "POST" && new URL(r.url()).pathname === "/api/deploy", { timeout: 100000 });
        await page.locator(".download-button").first().click();
        const build = JSON.parse((await deploy).postData() || "{}");
        assert.strictEqual(build.success, true, "compile failed: " + JSON.stringify(build.diagnostics).slice(0, 2000));
        assert.deepStrictEqual(build.diagnostics, []);
        const hex: string = build.outfiles["mbcodal-binary.hex"] || "";
        const records = hex.split(/\r?\n/).filter(line => line);
        assert.ok(records.length > 10000, records.length + " hex records");
        for (const record of records) {
            assert.match(record, /^:([0-9A-F]{2})+$/, "Intel HEX record " + record);
            let sum = 0;
            for (let i = 1; i < record.length; i += 2) sum += parseInt(record.substr(i, 2), 16);
            assert.strictEqual(sum & 0xff, 0, "checksum of " + record);
        }
        // The gesture recognizer is compiled to Thumb code in it.
        assert.match(build.outfiles["mbcodal-binary.asm"] || "", /^gestures_\w+:$/m);

        // The C++ runtime came from pxt serve's cache: the one built here for this package set.
        assert.match(server.output(), new RegExp("serving HEX from offline cache: \\S*" + runtime.sha + "\\.hex"));
        assert.doesNotMatch(server.output(), /offline HEX not found/);
        const image = decodeIntelHex(hex);
        // A micro:bit v2 (nRF52833) image: the application's stack starts at the top of 128 KB of RAM
        // (the v1 has 16 KB), the UICR names the bootloader (0x77000) and the MBR's settings page
        // (0x7E000) in the 512 KB flash, and nothing lies beyond that flash but the UICR.
        assert.strictEqual(word(image, 0x1c000).toString(16), "20020000", "initial stack pointer of the application");
        assert.strictEqual(word(image, 0x10001014).toString(16), "77000", "UICR NRFFW[0]");
        assert.strictEqual(word(image, 0x10001018).toString(16), "7e000", "UICR NRFFW[1]");
        const outside = [...image.keys()].filter(a => a >= 0x80000 && (a < 0x10001000 || a >= 0x10002000));
        assert.deepStrictEqual(outside.slice(0, 4).map(a => a.toString(16)), [], "bytes outside the flash and the UICR");

        // The extension's C functions (the loader's tfl_*, the kernels' tflite_*), as the ELF built here
        // has them, lie at their addresses: every byte of each.
        const firmware = runtime.firmware!;
        const functions = elfSymbols(firmware.elf).filter(s => /^T$/.test(s.type) && /^tfl(ite)?_\w+$/.test(s.name) && s.size > 0);
        for (const name of ["tfl_load", "tfl_invoke", "tflite_conv_2d_int8", "tflite_fully_connected_int8"])
            assert.ok(functions.some(s => s.name === name), name + " is not a function of the ELF");
        assert.ok(functions.length >= 50, functions.length + " C functions");
        let bytes = 0;
        for (const f of functions) {
            const code = elfBytes(firmware.elf, f.address, f.size);
            const differs = code.findIndex((b, i) => image.get(f.address + i) !== b);
            assert.strictEqual(differs, -1, "byte " + differs + " of the " + f.size + " bytes of " + f.name + " at 0x" + f.address.toString(16));
            bytes += f.size;
        }
        // (a search of the image for tfl_invoke's code finds it there first)
        const invoke = functions.find(s => s.name === "tfl_invoke")!;
        assert.strictEqual(findInImage(image, elfBytes(firmware.elf, invoke.address, invoke.size)), invoke.address);
        assert.ok(bytes > 10000, bytes + " bytes of C functions");

        // The program's model (the built-in gesture model) is in the compiled program, after the runtime.
        const model = fs.readFileSync(path.join(ROOT, "models", "gesture.tflite"));
        const at = findInImage(image, model);
        const runtimeEnd = elfFlashEnd(firmware.elf);
        assert.ok(at >= runtimeEnd && at + model.length <= FLASH_USABLE_END,
            "the " + model.length + "-byte gesture model at " + at + " (runtime ends at " + runtimeEnd + ")");
    });

    it("draws a gesture block with the render page (docs/static/blocks)", async function () {
        const renderer = await BlockRenderer.open(browser, server);
        try {
            const picture = await renderer.render(
                "gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.Circle), function () {\n" +
                "    basic.showIcon(IconNames.Target)\n" +
                "})\n");
            const words = svgTexts(picture.svg);
            for (const word of ["on gesture", "circle", "start", "show icon"])
                assert.ok(words.indexOf(word) >= 0, "'" + word + "' not among the picture's texts " + JSON.stringify(words));
            assert.ok(picture.width > 100 && picture.height > 50, "blocks " + picture.width + "x" + picture.height);
            const size = checkPng(picture.png);
            // The PNG is the SVG drawn denser: same proportions.
            assert.ok(Math.abs(size.width / size.height - picture.width / picture.height) < 0.05,
                "PNG " + size.width + "x" + size.height + " vs blocks " + picture.width + "x" + picture.height);
            // Decoded by the browser: a good part of it is the TinyML colour (the hat block).
            const colour = /\/\/%.*\bcolor="#([0-9a-fA-F]{6})"/.exec(fs.readFileSync(path.join(ROOT, "libs", "gestures", "blocks.ts"), "utf8"));
            assert.ok(colour, "libs/gestures/blocks.ts names the category colour");
            const rgb = [0, 2, 4].map(i => parseInt(colour![1].substr(i, 2), 16));
            const share = await page.evaluate(async ([uri, rgb]) => {
                const g = globalThis as any;
                const img = new g.Image();
                img.src = uri;
                await img.decode();
                const canvas = g.document.createElement("canvas");
                canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
                const ctx = canvas.getContext("2d");
                ctx.drawImage(img, 0, 0);
                const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
                let same = 0;
                for (let i = 0; i < data.length; i += 4)
                    if (data[i + 3] > 200 && Math.abs(data[i] - rgb[0]) <= 12 && Math.abs(data[i + 1] - rgb[1]) <= 12 && Math.abs(data[i + 2] - rgb[2]) <= 12) same++;
                return same / (data.length / 4);
            }, ["data:image/png;base64," + picture.png.toString("base64"), rgb] as [string, number[]]);
            assert.ok(share > 0.1, "share of TinyML-coloured pixels " + share.toFixed(3));
        } finally {
            await renderer.close();
        }
    });

    it("keeps a user's gesture names when JavaScript becomes blocks (the label block's autocomplete field)", async function () {
        const renderer = await BlockRenderer.open(browser, server);
        try {
            const picture = await renderer.render(
                "gestures.useModel(gestures.modelFromHex(\"1c00000054464c33\"), [gestures.label(\"wave\"), gestures.label(\"clap\")])\n" +
                "gestures.onGestureStop(gestures.label(\"clap\"), function () {\n" +
                "    basic.showIcon(IconNames.Happy)\n" +
                "})\n");
            const words = svgTexts(picture.svg);
            const count = (w: string) => words.filter(x => x === w).length;
            // Before onParentBlock, every label block fell back to its default ("wave").
            assert.strictEqual(count("clap"), 2, "texts " + JSON.stringify(words));
            assert.strictEqual(count("wave"), 1, "texts " + JSON.stringify(words));
        } finally {
            await renderer.close();
        }
    });
});

describe("docs/static/blocks (npm run docs:render)", function () {
    it("has the picture of every blocks snippet of docs/, drawn from its current code, and every picture a page shows exists", () => {
        const pages = docsPages();
        const hashes = readSnippetHashes();
        let snippets = 0, links = 0;
        for (const page of pages) {
            const text = fs.readFileSync(path.join(DOCS, page), "utf8");
            blocksSnippets(text).forEach((code, i) => {
                snippets++;
                const picture = picturePath(page, i);
                assert.ok(fs.existsSync(picture), "docs/" + page + ", blocks snippet " + (i + 1) + ": no " + path.relative(ROOT, picture) + " (npm run docs:render)");
                checkPng(fs.readFileSync(picture));
                assert.strictEqual(hashes[pictureKey(picture)], snippetHash(code),
                    "docs/" + page + ", blocks snippet " + (i + 1) + " changed since " + path.relative(ROOT, picture) + " was drawn (npm run docs:render)");
            });
            for (const m of text.matchAll(/\]\((\/static\/blocks\/[^)\s]+\.png)\)/g)) {
                links++;
                assert.ok(fs.existsSync(path.join(DOCS, m[1])), "docs/" + page + " shows " + m[1] + ", which does not exist");
            }
        }
        assert.ok(snippets >= 10 && links >= 10, snippets + " snippets, " + links + " picture links");
    });
});
