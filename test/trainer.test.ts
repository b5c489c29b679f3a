// The trainer page (sim/trainer) as a teacher uses it: npm start's editor in headless chromium,
// a project with the extension, the TinyML category's "Train a gesture model" button opens the
// page; a micro:bit CreateAI dataset (../shared/gestures/createai/still-wave-clap-legacy.json) is
// chosen in its file input, trained in the browser (tfjs, the same code as `pxt-tinyml train`),
// the held-out accuracy and the confusion matrix shown; "Use in project" writes the model into the
// project (tinyml.ts), byte for byte the model Node's training makes of the same dataset; after the
// editor reloads it, the TinyML category has the "trained gesture"
// block whose dropdown lists the dataset's actions, and the program in the simulator recognizes
// them from the simulated accelerometer: the board lying still, then real wave recordings fed to
// it sample by sample every 20 ms (as node/simulator.ts feeds the headless simulator).
// Also, in Node: the recorder program's serial lines read back into recordings, and the source
// "Use in project" writes.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Browser, Frame, Page } from "playwright-core";
import { loadCreateAiDataset, parseCreateAiDataset } from "../node/gesture-data";
import { GestureClassifier, exportGestureModel, trainGestureModel } from "../node/gesture-model";
import { decodeIntelHex, findInImage } from "../node/intel-hex";
import { buildRecorderHex } from "../tools/build-trainer";
import { EditorServer, ROOT, TRAINER_BUTTON_LABEL, copyProject, launchChromium, startEditorServer } from "../tools/serve-editor";
import {
    LineSplitter, RECORDER_PERIOD_MS, RECORDING_SAMPLES, RecorderStream, RecordedAxes, parseRecorderLine, resampleReadings,
} from "../sim/trainer/recorder-protocol";
import { TRAINED_BLOCK_ID, TRAINED_ENUM, enumMemberNames, trainedModelSource } from "../sim/trainer/project-source";

const DATASET = path.join(ROOT, "..", "shared", "gestures", "createai", "still-wave-clap-legacy.json");
const PROJECT = "wave-demo";

/** An LED picture from five rows of '#' (on) and '.' (off). */
function leds(...rows: string[]): boolean[] {
    return rows.join("").split("").map(c => c === "#");
}
// pxt-microbit's IconNames.Square, Yes and No.
const SQUARE = leds("#####", "#...#", "#...#", "#...#", "#####");
const YES = leds(".....", "....#", "...#.", "#.#..", ".#...");

function ledLevels(frame: Frame): Promise<number[]> {
    return frame.evaluate(() => Array.from((globalThis as any).pxsim.board().ledMatrixState.image.data as ArrayLike<number>, v => v || 0));
}

function showLeds(levels: number[]): string {
    return (levels.map(v => v > 0 ? "#" : ".").join("").match(/...../g) || []).join(" ");
}

function sameLeds(levels: number[], picture: boolean[]): boolean {
    return levels.length === 25 && levels.every((v, i) => (v > 0) === picture[i]);
}

async function waitForLeds(frame: Frame, picture: boolean[], timeoutMs: number, what: string) {
    const deadline = Date.now() + timeoutMs;
    let levels = await ledLevels(frame);
    while (!sameLeds(levels, picture)) {
        if (Date.now() > deadline) assert.fail("LEDs " + showLeds(levels) + ": not " + what + " after " + timeoutMs + " ms");
        await new Promise(r => setTimeout(r, 200));
        levels = await ledLevels(frame);
    }
}

async function waitForFrame(page: Page, pattern: RegExp, timeoutMs: number): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const frame = page.frames().find(f => pattern.test(f.url()));
        if (frame) return frame;
        if (Date.now() > deadline) assert.fail("no frame " + pattern + " within " + timeoutMs + " ms: " + page.frames().map(f => f.url()).join(", "));
        await page.waitForTimeout(250);
    }
}

/** The blocks of the visible flyout: their type and text. */
async function flyoutBlocks(page: Page): Promise<{ type: string; text: string }[]> {
    return page.evaluate(() => {
        const doc = (globalThis as any).document;
        const flyouts = Array.from(doc.querySelectorAll(".blocklyFlyout")).filter((f: any) => f.getBoundingClientRect().width > 0) as any[];
        const blocks: { type: string; text: string }[] = [];
        for (const flyout of flyouts)
            for (const b of Array.from(flyout.querySelectorAll(".blocklyBlockCanvas > g.blocklyDraggable")) as any[])
                blocks.push({ type: (b.getAttribute("class") as string).split(" ")[0], text: (b.textContent as string).replace(/\u00a0/g, " ").replace(/\s+/g, " ").trim() });
        return blocks;
    });
}

/**
 * Scrolls the visible flyout with the mouse wheel, as a student would, until the element
 * `selector` selects is in view; returns where to press on it (its left part, where a block has its label).
 */
async function inFlyoutView(page: Page, selector: string): Promise<{ x: number; y: number }> {
    for (let scrolls = 0; ; scrolls++) {
        const place = await page.evaluate(sel => {
            const doc = (globalThis as any).document;
            const flyout = Array.from(doc.querySelectorAll(".blocklyFlyout")).find((f: any) => f.getBoundingClientRect().width > 0) as any;
            const element = flyout && flyout.querySelector(sel);
            if (!element) return null;
            const r = element.getBoundingClientRect(), view = flyout.getBoundingClientRect();
            return { x: r.left + Math.min(r.width / 2, 12), y: r.top + Math.min(r.height / 2, 14), viewX: view.left + 20, viewY: view.top + 200, top: view.top + 20, bottom: Math.min(view.bottom, (globalThis as any).innerHeight) - 20 };
        }, selector);
        assert.ok(place, "nothing in the flyout matches " + selector);
        if (place!.y > place!.top && place!.y < place!.bottom) return place!;
        assert.ok(scrolls < 10, selector + " stays out of the flyout's view");
        await page.mouse.move(place!.viewX, place!.viewY);
        await page.mouse.wheel(0, place!.y - place!.bottom + 100);
        await page.waitForTimeout(300);
    }
}

async function openTinyml(page: Page) {
    const row = page.locator(".blocklyTreeRow[data-ns=\"tinyml\"]").first();
    for (let attempt = 0; attempt < 3; attempt++) {
        await row.click();
        try {
            await page.waitForFunction(() => Array.from((globalThis as any).document.querySelectorAll(".blocklyFlyout .blocklyBlockCanvas > g.gestures_on_start"))
                .some((b: any) => b.getBoundingClientRect().width > 0), null, { timeout: 5000 });
            return;
        } catch (e) { /* the click closed an open flyout: again */ }
    }
    assert.fail("the TinyML flyout does not open");
}

describe("trainer page: the recorder's serial lines and the project source (Node)", function () {
    it("reads the recorder's lines: readings in g, buttons, other lines ignored, bad ones named", () => {
        assert.deepStrictEqual(parseRecorderLine("tinyml:acc 1234 -512 20 -1024\r"), { kind: "acc", ms: 1234, x: -0.512, y: 0.02, z: -1.024 });
        assert.deepStrictEqual(parseRecorderLine("tinyml:button A"), { kind: "button", button: "A" });
        assert.strictEqual(parseRecorderLine("hello from the program"), null);
        assert.throws(() => parseRecorderLine("tinyml:acc 12 1 2"), /recorder line 'tinyml:acc 12 1 2': expected 'tinyml:acc <ms> <x> <y> <z>' with four numbers/);
        assert.throws(() => parseRecorderLine("tinyml:acc 12 1 2 x"), /four numbers/);
        assert.throws(() => parseRecorderLine("tinyml:button C"), /not a reading .* nor a button/);
        const splitter = new LineSplitter();
        assert.deepStrictEqual(splitter.push("tinyml:acc 1 2 3 4\r\ntinyml:ac"), ["tinyml:acc 1 2 3 4"]);
        assert.deepStrictEqual(splitter.push("c 5 6 7 8\n\n"), ["tinyml:acc 5 6 7 8"]);
    });

    it("resamples readings at uneven times onto CreateAI's 20 ms grid, and refuses too few", () => {
        // x = t / 1000 g, read every 17 to 23 ms: the grid values are exactly t / 1000 (linear).
        const readings: { ms: number; x: number; y: number; z: number }[] = [];
        for (let t = 500, i = 0; t <= 500 + 1900; t += 17 + (i++ % 7)) readings.push({ ms: t, x: t / 1000, y: -t / 2000, z: 1 });
        const r = resampleReadings(readings);
        assert.strictEqual(r.x.length, RECORDING_SAMPLES);
        r.x.forEach((v, i) => assert.ok(Math.abs(v - (500 + i * RECORDER_PERIOD_MS) / 1000) < 1e-9, `x[${i}] = ${v}`));
        r.y.forEach((v, i) => assert.ok(Math.abs(v + (500 + i * RECORDER_PERIOD_MS) / 2000) < 1e-9, `y[${i}] = ${v}`));
        assert.throws(() => resampleReadings(readings.slice(0, 50)), /the readings cover \d+ ms; a recording needs 1780 ms \(90 samples every 20 ms\)/);
        assert.throws(() => resampleReadings([readings[1], readings[0], readings[2]]), /reading 1 is at 500 ms, not after the one before \(\d+ ms\)/);
    });

    it("makes a recording of 1.8 s after start() from the recorder's stream, in CreateAI's format", () => {
        const stream = new RecorderStream();
        const got: RecordedAxes[] = [];
        const buttons: string[] = [];
        stream.onRecording = r => got.push(r);
        stream.onButton = b => buttons.push(b);
        const dataset = loadCreateAiDataset(DATASET);
        const wave = dataset.recordings.find(r => dataset.labels[r.label] === "wave")!;
        // A real wave recording as the board would send it: milli-g, every 20 ms, in pieces cutting lines.
        const text = "tinyml:button A\n" + wave.x.map((_, i) => `tinyml:acc ${1000 + i * 20} ${Math.round(wave.x[i] * 1000)} ${Math.round(wave.y[i] * 1000)} ${Math.round(wave.z[i] * 1000)}\n`).join("");
        // Before start(), the button and the first reading (and a piece of the second line): not recorded.
        const before = text.indexOf("\n", "tinyml:button A\n".length) + 10;
        stream.push(text.slice(0, before));
        stream.start();
        for (let i = before; i < text.length; i += 37) stream.push(text.slice(i, i + 37));
        assert.deepStrictEqual(buttons, ["A"]);
        // 89 readings after start() cover 1.76 s: not yet a recording; one more reading completes it.
        assert.strictEqual(got.length, 0);
        stream.push("tinyml:acc 2800 1000 0 0\n");
        assert.strictEqual(got.length, 1);
        assert.strictEqual(got[0].x.length, RECORDING_SAMPLES);
        assert.strictEqual(got[0].x[RECORDING_SAMPLES - 1], 1);
        // The recording starts at the first reading after start() (the second of the recording: the first went by before).
        got[0].x.slice(0, -1).forEach((v, i) => assert.ok(Math.abs(v - Math.round(wave.x[i + 1] * 1000) / 1000) < 1e-9, `x[${i}]`));
        // What the page saves is a CreateAI dataset that parses back.
        const saved = parseCreateAiDataset(JSON.stringify([{ name: "wave", recordings: got.map(r => ({ data: r })) }, { name: "still", recordings: got.map(r => ({ data: r })) }]));
        assert.deepStrictEqual(saved.labels, ["wave", "still"]);
    });

    it("builds the recorder program offline into a micro:bit hex that sends its lines", function () {
        this.timeout(180000);
        const hex = buildRecorderHex({ force: true });
        const text = fs.readFileSync(hex, "utf8");
        // A universal hex (V1 and V2); the V2 part, as pxt built it, holds the program's strings.
        assert.match(text, /^:0400000A9903C0DE/m, "the micro:bit V2 block of a universal hex");
        const v2 = decodeIntelHex(fs.readFileSync(path.join(path.dirname(hex), "recorder-project", "built", "mbcodal-binary.hex"), "utf8"));
        for (const s of ["tinyml:acc ", "tinyml:button A"])
            assert.ok(findInImage(v2, Buffer.from(s, "utf8")) > 0, "'" + s + "' is not in the program");
    });

    it("writes the model, a block whose dropdown is the labels, and the use model call", () => {
        assert.deepStrictEqual(enumMemberNames(["still", "shake vertical", "3d", "Still", "!!", "still"]),
            ["Still", "ShakeVertical", "Gesture3", "Gesture4", "Gesture5", "Gesture6"]);
        const model = fs.readFileSync(path.join(ROOT, "models", "gesture.tflite"));
        const labels = new GestureClassifier(model).labels;
        const source = trainedModelSource(model, labels, { comment: ["a test"] });
        // The hex literal is the model's bytes.
        const hex = /export const model = hex`([0-9a-f\s]+)`/.exec(source);
        assert.ok(hex, source.slice(0, 500));
        assert.ok(Buffer.from(hex![1].replace(/\s+/g, ""), "hex").equals(model));
        assert.match(source, new RegExp(`enum ${TRAINED_ENUM} \\{\\n    //% block="Shake Vertical"\\n    ShakeVertical = 0,`));
        assert.match(source, new RegExp(`//% blockId=${TRAINED_BLOCK_ID} block="trained gesture \\$gesture"`));
        assert.match(source, /\ngestures\.useModel\(trainedGestures\.model, trainedGestures\.labels\)\n$/);
        assert.throws(() => trainedModelSource(model, ["one"], { comment: [] }), /a gesture model needs at least 2 labels, got 1/);
    });
});

describe("trainer page in the MakeCode editor (headless chromium)", function () {
    this.timeout(120000);
    let workspace: string;
    let server: EditorServer;
    let browser: Browser;
    let page: Page;
    let trainer: Frame;
    let projectDir: string;

    before(async function () {
        this.timeout(180000);
        workspace = fs.mkdtempSync(path.join(os.tmpdir(), "tinyml-trainer-"));
        copyProject(path.join(ROOT, "projects", "tinyml"), path.join(workspace, "projects", "tinyml"));
        // A student's project with the extension, before training: handlers for the gestures it
        // will have (label blocks), which the built-in model does not know yet.
        projectDir = path.join(workspace, "projects", PROJECT);
        fs.mkdirSync(projectDir, { recursive: true });
        fs.writeFileSync(path.join(projectDir, "pxt.json"), JSON.stringify({
            name: PROJECT, dependencies: { core: "*", microphone: "*", tinyml: "file:../tinyml" },
            files: ["main.blocks", "main.ts"], preferredEditor: "blocksprj",
        }, null, 4));
        fs.writeFileSync(path.join(projectDir, "main.ts"),
            "gestures.onGestureStart(gestures.label(\"still\"), function () {\n    basic.showIcon(IconNames.Square)\n})\n" +
            "gestures.onGestureStart(gestures.label(\"wave\"), function () {\n    basic.showIcon(IconNames.Yes)\n})\n");
        // The same program as blocks: the gesture slots hold "gesture [name]" label blocks.
        const handler = (y: number, label: string, icon: string) =>
            `<block type="gestures_on_start" x="20" y="${y}"><value name="gesture"><shadow type="gestures_builtin_gesture"><field name="gesture">BuiltinGesture.Circle</field></shadow>` +
            `<block type="gestures_label"><field name="name">${label}</field></block></value>` +
            `<statement name="HANDLER"><block type="basic_show_icon"><field name="i">IconNames.${icon}</field></block></statement></block>`;
        fs.writeFileSync(path.join(projectDir, "main.blocks"),
            `<xml xmlns="https://developers.google.com/blockly/xml"><variables></variables>${handler(20, "still", "Square")}${handler(200, "wave", "Yes")}</xml>`);
        server = await startEditorServer({ workspace, timeoutMs: 60000 });
        browser = await launchChromium();
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        page = await context.newPage();
        await page.route(url => url.origin !== server.origin, route => route.abort());
    });

    after(async function () {
        this.timeout(30000);
        if (browser) await browser.close().catch(() => undefined);
        if (server) await server.stop();
        if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
    });

    it("opens the trainer page from the TinyML category's button", async function () {
        await page.goto(server.editorUrl, { waitUntil: "load", timeout: 60000 });
        await page.locator(".ui.card", { hasText: PROJECT }).first().click({ timeout: 60000 });
        await page.locator(".blocklyTreeRow", { hasText: "TinyML" }).first().waitFor({ timeout: 90000 });
        await openTinyml(page);
        // The button is in the group "Your model", below the gesture blocks: scrolled to with the mouse wheel.
        await page.locator(".blocklyFlyoutButton", { hasText: TRAINER_BUTTON_LABEL }).first().waitFor({ timeout: 10000 });
        const button = await inFlyoutView(page, ".blocklyFlyoutButton");
        assert.strictEqual(await page.evaluate(p => {
            const hit = (globalThis as any).document.elementFromPoint(p.x, p.y);
            const b = hit && hit.closest(".blocklyFlyoutButton");
            return b ? b.textContent : "nothing: " + (hit && hit.outerHTML.slice(0, 200));
        }, button), TRAINER_BUTTON_LABEL);
        await page.mouse.click(button.x, button.y);
        trainer = await waitForFrame(page, /\/trainer\/index\.html#/, 30000);
        await trainer.locator("#connection", { hasText: "Opened from the MakeCode editor" }).waitFor({ timeout: 30000 });
        // The recorder's hex is offered (npm start built it), and is the one built here.
        // (in the folded "Record with a micro:bit" part: shown, not hidden, once the page found the hex)
        await trainer.locator("#recorder-hex-link:not([hidden])").waitFor({ state: "attached", timeout: 10000 });
        const served = await page.request.get(server.origin + "/trainer/recorder.hex");
        assert.strictEqual(served.status(), 200);
        assert.ok((await served.body()).equals(fs.readFileSync(buildRecorderHex())), "the served recorder.hex");
    });

    it("trains on a CreateAI dataset in the browser and shows the held-out accuracy and confusion matrix", async function () {
        this.timeout(300000);
        await trainer.setInputFiles("#dataset-file", DATASET);
        await trainer.locator("#dataset-summary", { hasText: "3 actions, 18 recordings" }).waitFor({ timeout: 10000 });
        assert.deepStrictEqual(await trainer.locator(".action h3").allTextContents(), ["still: 6 recordings", "wave: 6 recordings", "clap: 6 recordings"]);
        assert.strictEqual(await trainer.locator(".action canvas").count(), 18, "a drawing per recording");
        await trainer.locator("#train-button").click();
        await trainer.locator("#results").waitFor({ state: "visible", timeout: 280000 });
        const status = await trainer.locator("#train-status").innerText();
        const seconds = Number(await trainer.locator("#train-status").getAttribute("data-seconds"));
        const modelSeconds = Number(await trainer.locator("#train-status").getAttribute("data-model-seconds"));
        console.log("      trainer page: " + status);
        // The model to use comes first (one training on all recordings), the held-out run after it.
        assert.ok(modelSeconds > 0 && modelSeconds < seconds, status);
        const accuracy = await trainer.locator("#accuracy").innerText();
        console.log("      trainer page: " + accuracy);
        const m = /Held-out accuracy: ([\d.]+)% \((\d+) of (\d+)\)/.exec(accuracy);
        assert.ok(m, accuracy);
        const correct = Number(m![2]), total = Number(m![3]);
        // splitByRecording holds 20% of each action's 6 recordings out: 1 each.
        assert.strictEqual(total, 3);
        // The confusion matrix: rows the actions, its cells add up to the held-out recordings, its diagonal to the correct ones.
        const rows = await trainer.locator("#confusion tr").evaluateAll(trs => trs.map(tr => Array.from(tr.children).map((c: any) => c.textContent)));
        assert.deepStrictEqual(rows[0].slice(1), ["still", "wave", "clap"]);
        assert.deepStrictEqual(rows.slice(1).map(r => r[0]), ["still", "wave", "clap"]);
        const cells = rows.slice(1).map(r => r.slice(1).map(Number));
        assert.strictEqual(cells.flat().reduce((a, b) => a + b, 0), total);
        assert.strictEqual(cells.reduce((a, r, i) => a + r[i], 0), correct);
        assert.ok(correct >= 2, "held-out: " + accuracy);
        assert.match(await trainer.locator("#model-size").innerText(), /Model: \d+ bytes \(int8\)/);
        // The CLI's dataset warnings: none for 6 recordings of 1.8 s per action.
        assert.strictEqual(await trainer.locator("#warnings").innerText(), "");
    });

    it("writes the model into the open project with Use in project", async function () {
        this.timeout(120000);
        await trainer.locator("#use-button").click();
        await trainer.locator("#use-status[data-written=yes]").waitFor({ timeout: 30000 });
        const file = path.join(projectDir, "tinyml.ts");
        const deadline = Date.now() + 30000;
        while (!fs.existsSync(file) || !/gestures\.useModel/.test(fs.readFileSync(file, "utf8"))) {
            if (Date.now() > deadline) assert.fail("no tinyml.ts with the model in " + fs.readdirSync(projectDir).join(", "));
            await new Promise(r => setTimeout(r, 250));
        }
        const source = fs.readFileSync(file, "utf8");
        assert.match(source, /export const labels = \["still", "wave", "clap"\]/);
        const hex = /export const model = hex`([0-9a-f\s]+)`/.exec(source)!;
        // A model our interpreter loads, with the dataset's labels in its metadata.
        const written = Buffer.from(hex[1].replace(/\s+/g, ""), "hex");
        assert.deepStrictEqual(new GestureClassifier(written).labels, ["still", "wave", "clap"]);
        // The same code as in Node, seeded the same: the same bytes as pxt-tinyml train's saved model.
        const node = exportGestureModel(await trainGestureModel(loadCreateAiDataset(DATASET), { testFraction: 0 })).tflite;
        assert.strictEqual(written.length, node.length, "model sizes, page and Node");
        assert.ok(written.equals(node), "the page's model differs from Node's at byte " + written.findIndex((b, i) => b !== node[i]));
        const config = JSON.parse(fs.readFileSync(path.join(projectDir, "pxt.json"), "utf8"));
        assert.ok(config.files.indexOf("tinyml.ts") >= 0 && config.files.indexOf("tinyml.json") >= 0, "pxt.json files: " + config.files.join(", "));
        // The recordings are kept with the project (the page reopens with them).
        assert.strictEqual(JSON.parse(fs.readFileSync(path.join(projectDir, "tinyml.json"), "utf8")).actions.length, 3);
    });

    it("offers the trained gestures in the blocks once the editor reloads the project", async function () {
        // Closing the page (its "Go back"): the editor reloads the project (with tinyml.ts).
        await page.locator(".extensiondialog .back-button").first().click();
        await page.locator(".blocklyTreeRow", { hasText: "TinyML" }).first().waitFor({ timeout: 90000 });
        await openTinyml(page);
        await page.waitForFunction(id => !!(globalThis as any).document.querySelector(".blocklyFlyout g." + id), TRAINED_BLOCK_ID, { timeout: 30000 });
        const block = (await flyoutBlocks(page)).find(b => b.type === TRAINED_BLOCK_ID);
        assert.ok(block, "flyout: " + JSON.stringify(await flyoutBlocks(page)));
        assert.match(block!.text, /^trained gesture ?still$/);
        // Its dropdown, as a student sees it: the block dragged onto the workspace, its dropdown clicked.
        const from = await inFlyoutView(page, ".blocklyBlockCanvas > g." + TRAINED_BLOCK_ID);
        await page.mouse.move(from.x, from.y);
        await page.mouse.down();
        for (let step = 1; step <= 10; step++) await page.mouse.move(from.x + (1150 - from.x) * step / 10, from.y + (300 - from.y) * step / 10);
        await page.mouse.up();
        const dropdown = await page.evaluate(id => {
            const doc = (globalThis as any).document;
            const background = doc.querySelector(".blocklyMainBackground");
            const text = background.parentNode.querySelector(".blocklyBlockCanvas g." + id + " .blocklyDropdownText");
            if (!text) return null;
            const r = text.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }, TRAINED_BLOCK_ID);
        assert.ok(dropdown, "the trained gesture block dragged onto the workspace");
        await page.mouse.click(dropdown!.x, dropdown!.y);
        const menu = page.locator(".blocklyDropDownDiv .blocklyMenuItem");
        await menu.first().waitFor({ timeout: 10000 });
        assert.deepStrictEqual((await menu.allTextContents()).map(o => o.trim()), ["still", "wave", "clap"]);
        await page.keyboard.press("Escape");
    });

    it("recognizes the trained gestures in the simulator: still, then wave recordings fed to its accelerometer", async function () {
        this.timeout(180000);
        const frame = await waitForFrame(page, /\/simulator\.html/, 30000);
        await frame.waitForFunction(() => {
            const pxsim = (globalThis as any).pxsim;
            return pxsim && pxsim.runtime && pxsim.runtime.running;
        }, null, { timeout: 60000 });
        // The board lies still, face up (0, 0, -1023 mg), as the "still" recordings were made.
        await waitForLeds(frame, SQUARE, 30000, "the square ('still' started)");
        // Real wave recordings, one after another, every reading at its 20 ms.
        const dataset = loadCreateAiDataset(DATASET);
        const waves = dataset.recordings.filter(r => dataset.labels[r.label] === "wave");
        const readings = waves.flatMap(r => r.x.map((_, i) => [Math.round(r.x[i] * 1000), Math.round(r.y[i] * 1000), Math.round(r.z[i] * 1000)]));
        const played = frame.evaluate(async samples => {
            const board = (globalThis as any).pxsim.board();
            const start = Date.now();
            for (let i = 0; i < samples.length; i++) {
                const wait = start + i * 20 - Date.now();
                if (wait > 0) await new Promise(r => setTimeout(r, wait));
                // The board keeps raw sensor axes; input.acceleration reports x and y negated (node/simulator.ts).
                board.accelerometerState.accelerometer.update(-samples[i][0], -samples[i][1], samples[i][2]);
            }
        }, readings);
        await waitForLeds(frame, YES, readings.length * 20 + 5000, "the tick ('wave' started)");
        await played;
    });
});
