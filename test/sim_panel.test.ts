// The simulator panel (sim/): the arithmetic that turns recordings into what the program reads
// (in Node); the program's side in the micro:bit simulator run in Node (the panel's messages put
// in the simulator's message queue: looping, stop, once); and, in headless chromium on `npm
// start`'s editor, the student's path: a new
// project, the extension from the Extensions dialog, the blocks written in JavaScript and shown as
// blocks, then the panel MakeCode opens beside the simulator: "Circle" picked in its gesture
// player plays a real CreateAI recording into the program, whose built-in model recognizes it
// and whose "on gesture circle start" handler draws on the simulated LEDs; the real "no" clip
// and a microphone (chromium's fake capture device playing a WAV of the real "yes" clip) reach
// the speech recognizer, whose "on word heard" handlers draw their icons; a dataset chosen in the
// panel plays its own circle. Nothing is faked on
// the program's side: the events come from the models in the simulator.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Browser, Frame, Page } from "playwright-core";
import {
    AveragingResampler, GESTURES_CHANNEL, GESTURES_PLAY_LOOP, GESTURES_PLAY_ONCE, GESTURES_STOP, RECORDING_PERIOD_MS, SIM_PANEL_CHANNEL, commandWithSamples, decodeWav,
    parseCreateAiRecordings, parseProgramMessage, resampleRecording, sameLabel, toInt16,
} from "../sim/protocol";
import { EditorServer, ROOT, launchChromium, startEditorServer } from "../tools/serve-editor";
import { heldOutRecordings, runPipeline, writeGesturesProject } from "../node/gestures";
import { compileForSimulator, runInSimulator } from "../node/simulator";
import { SIM_PANEL_DATA, simPanelConfig, simPanelFile } from "../tools/sim-panel-server";

const SHARED = path.join(ROOT, "..", "shared");
const BIG8 = path.join(SHARED, "gestures", "createai", "big-8-actions.json");
const clip = (word: string) => path.join(SHARED, "audio", word + "_1000ms.wav");

describe("simulator panel: recordings as the program reads them (sim/protocol.ts)", function () {
    it("the STS glue and the panel use one channel, the simx key the server registers", () => {
        for (const file of ["libs/gestures/board-microbit.ts", "libs/speech/microphone.ts"]) {
            const m = /function simPanelChannel\(\): string \{\s*return "([^"]+)"/.exec(fs.readFileSync(path.join(ROOT, file), "utf8"));
            assert.ok(m, file + " has no simPanelChannel()");
            assert.strictEqual(m![1], SIM_PANEL_CHANNEL, file);
        }
        assert.strictEqual(simPanelConfig(ROOT, "/t").key, SIM_PANEL_CHANNEL);
    });

    it("resamples a 20 ms recording to the model's sample period, in milli-g, interpolating between samples", () => {
        const r = { x: [0, 0.02, 0.04, 0.06, 0.081], y: [1, 1, 1, 1, 1], z: [-1, -0.5, 0, 0.5, 1] };
        // 80 ms long: at 40 ms, readings at 0, 40 and 80 ms.
        assert.deepStrictEqual(Array.from(resampleRecording(r, 40)), [0, 1000, -1000, 40, 1000, 0, 81, 1000, 1000]);
        // At 30 ms: 0, 30, 60 ms; 30 ms is halfway between the 20 and 40 ms samples.
        assert.deepStrictEqual(Array.from(resampleRecording(r, 30)), [0, 1000, -1000, 30, 1000, -250, 60, 1000, 500]);
        // At the recording's own period, the samples themselves.
        assert.deepStrictEqual(Array.from(resampleRecording(r, RECORDING_PERIOD_MS)).filter((_, i) => i % 3 === 2), [-1000, -500, 0, 500, 1000]);
        // Past the int16 range (a corrupt file), clamped rather than wrapped.
        assert.deepStrictEqual(Array.from(resampleRecording({ x: [40, 40], y: [-40, -40], z: [0, 0] }, 20)).slice(0, 3), [32767, -32768, 0]);
        assert.throws(() => resampleRecording(r, 0), /sample period 0 ms/);
    });

    it("reads the built-in model's CreateAI recordings, and names what is wrong in a bad file", () => {
        const data = parseCreateAiRecordings(fs.readFileSync(BIG8, "utf8"), "big-8-actions.json");
        assert.deepStrictEqual(data.actions.map(a => a.name), ["Shake Vertical", "Still up", "Circle", "Shake horizontal", "Still down", "Throw up", "Arm roll", "Free fall"]);
        assert.ok(data.actions.every(a => a.recordings.length === 25));
        // A circle recording at the built-in model's 40 ms: half as many readings, plus the first.
        const circle = data.actions[2].recordings[0];
        const readings = resampleRecording(circle, 40);
        assert.strictEqual(readings.length / 3, Math.floor((circle.x.length - 1) * 20 / 40) + 1);
        assert.strictEqual(readings[3], Math.round(circle.x[2] * 1000));
        assert.ok(sameLabel(" circle", "Circle") && !sameLabel("circle", "circles"));
        assert.throws(() => parseCreateAiRecordings("[{", "a.json"), /^Error: a.json: not JSON/);
        assert.throws(() => parseCreateAiRecordings('{"x": 1}', "a.json"), /a.json: not a CreateAI dataset/);
        assert.throws(() => parseCreateAiRecordings('[{"name": "wave", "recordings": [{"data": {"x": [1], "y": ["a"], "z": [1]}}]}]', "a.json"),
            /a.json: action 0 \('wave'\) recording 0: y\[0\] is not a number: "a"/);
    });

    it("what the player sends once is what the built-in model recognizes: each gesture's recordings, after 2 s lying still, at 7 invoke phases", () => {
        // The same STS pipeline as the simulator's (node/gestures.ts runPipeline: a reading every
        // sample period, an invoke every 250 ms). These are the recordings the model was trained on:
        // this checks the player's resampling and the path, not the model's accuracy.
        const model = fs.readFileSync(path.join(ROOT, "models", "gesture.tflite"));
        const data = parseCreateAiRecordings(fs.readFileSync(BIG8, "utf8"), "big-8-actions.json");
        const still = { x: 0, y: 0, z: -1023 };
        const counts: string[] = [];
        for (const name of ["Circle", "Shake Vertical", "Shake horizontal", "Throw up", "Arm roll", "Free fall", "Still down"]) {
            const action = data.actions.find(a => a.name === name)!;
            let hits = 0, runs = 0;
            for (const recording of action.recordings) {
                const samples = resampleRecording(recording, 40);
                for (let phase = 0; phase < 250; phase += 40) {
                    const readings: { atMs: number; x: number; y: number; z: number }[] = [];
                    let t = 0;
                    for (; t < 2000 + phase; t += 40) readings.push({ atMs: t, ...still });
                    for (let k = 0; k < samples.length / 3; k++, t += 40) readings.push({ atMs: t, x: samples[3 * k], y: samples[3 * k + 1], z: samples[3 * k + 2] });
                    for (const end = t + 2000; t < end; t += 40) readings.push({ atMs: t, ...still });
                    runs++;
                    if (runPipeline(model, readings).events.some(e => e.kind === "start" && e.label === name)) hits++;
                }
            }
            counts.push(name + " " + hits + "/" + runs);
            assert.ok(hits >= 0.9 * runs, counts.join(", "));
        }
        // Circle, the gesture the chromium test picks, every time.
        assert.strictEqual(counts[0], "Circle 175/175");
    });

    it("encodes the messages the STS glue reads: a command byte, then int16 little-endian values", () => {
        const bytes = commandWithSamples(GESTURES_PLAY_ONCE, [1, -2, 1000]);
        assert.deepStrictEqual(Array.from(bytes), [1, 1, 0, 0xfe, 0xff, 0xe8, 0x03]);
        assert.deepStrictEqual(parseProgramMessage("gestures\n40\nShake Vertical\nCircle"), { kind: "gestures", samplePeriodMs: 40, labels: ["Shake Vertical", "Circle"] });
        assert.deepStrictEqual(parseProgramMessage("speech\n16000"), { kind: "speech", sampleRate: 16000 });
        assert.strictEqual(parseProgramMessage("gestures\nfast"), null);
    });

    it("averages a microphone's 48 kHz and 44.1 kHz streams down to 16 kHz, in chunks of any size", () => {
        const r = new AveragingResampler(48000, 16000);
        // Three input samples a sample: their mean.
        assert.deepStrictEqual(Array.from(r.push([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])), [toInt16(0.2), toInt16(0.5)]);
        assert.deepStrictEqual(Array.from(r.push([0.8, 0.9])), [toInt16(0.8)]);
        // 44.1 kHz: 2.75625 input samples a sample, the split samples weighted; one second gives 16,000.
        const tone = (rate: number, n: number, from = 0) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(2 * Math.PI * 1000 * (from + i) / rate));
        const whole = new AveragingResampler(44100, 16000).push(tone(44100, 44100));
        assert.strictEqual(whole.length, 16000);
        const chunked = new AveragingResampler(44100, 16000);
        const parts: number[] = [];
        for (let at = 0; at < 44100; at += 4096) parts.push(...chunked.push(tone(44100, Math.min(4096, 44100 - at), at)));
        assert.strictEqual(parts.length, 16000);
        // Chunking moves a sample by at most the rounding of sums done in another order.
        assert.ok(parts.every((v, i) => Math.abs(v - whole[i]) <= 1), "chunked and whole streams differ");
        // A 1 kHz tone keeps its level (the mean over 1/16 ms barely dents it): 0.5 of full scale -> ~16,384 peaks.
        const peak = Math.max(...Array.from(whole));
        assert.ok(peak > 15900 && peak <= 16384, "peak " + peak);
        // Above 8 kHz (which 16 kHz cannot hold), a 15 kHz tone is mostly averaged away instead of folding back whole.
        const high = new AveragingResampler(48000, 16000).push(Float32Array.from({ length: 48000 }, (_, i) => 0.5 * Math.sin(2 * Math.PI * 15000 * i / 48000)));
        const rms = Math.sqrt(high.reduce((s, v) => s + v * v, 0) / high.length) / 32768;
        assert.ok(rms < 0.1 * 0.5 / Math.SQRT2, "15 kHz rms after resampling " + rms.toFixed(4));
        assert.throws(() => new AveragingResampler(8000, 16000), /cannot become 16000 Hz/);
    });

    it("decodes the real speech clips' WAV files (16 kHz, 16-bit mono)", () => {
        const yes = decodeWav(fs.readFileSync(clip("yes")), "yes_1000ms.wav");
        assert.strictEqual(yes.sampleRate, 16000);
        assert.strictEqual(yes.samples.length, 16000);
        const raw = fs.readFileSync(clip("yes"));
        assert.strictEqual(yes.samples[1000], raw.readInt16LE(44 + 2000));
        assert.throws(() => decodeWav(new Uint8Array(20), "x.wav"), /x.wav: not a WAV file/);
    });

    it("serves the panel's page, scripts and ../shared's recordings, and nothing else", () => {
        const config = simPanelConfig(ROOT, "/target");
        assert.strictEqual(simPanelFile(config, "index.html"), path.join(ROOT, "sim", "index.html"));
        assert.strictEqual(simPanelFile(config, "panel.js"), path.join(ROOT, "built", "simx", "panel.js"));
        assert.strictEqual(simPanelFile(config, "data/gestures.json"), BIG8);
        for (const name of Object.keys(SIM_PANEL_DATA)) assert.ok(fs.existsSync(simPanelFile(config, "data/" + name)!), name);
        for (const bad of ["../pxt.json", "data/../../pxt.json", "sim/panel.ts", "data/audio/yes_30ms.wav"]) assert.strictEqual(simPanelFile(config, bad), null, bad);
    });
});

describe("simulator panel: the gesture glue in the micro:bit simulator (libs/gestures/board-microbit.ts)", function () {
    this.timeout(5 * 60 * 1000);

    it("plays a held-out circle looping, then stops it, then once: the built-in model's events follow, and 'played' comes back", async () => {
        // The panel's messages are put where MakeCode's simulator puts a frame's messages (its
        // control message queue); what the program sends comes out of pxsim.Runtime.postMessage.
        const source = `gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.Circle), function () {
    serial.writeString("start circle\\n")
})
gestures.onGestureStop(gestures.builtinGesture(BuiltinGesture.Circle), function () {
    serial.writeString("stop circle\\n")
})
serial.writeString("ready\\n")
basic.pause(14000)
serial.writeString("done\\n")
`;
        const dir = path.join(ROOT, "built", "sim", "sim-panel-glue");
        writeGesturesProject(dir, "sim-panel-glue", { "main.ts": source });
        const code = compileForSimulator(dir);
        const readings = resampleRecording(heldOutRecordings().first("Circle"), 40);
        const pxsimOf = () => (globalThis as any).pxsim;
        const panel = (command: number, samples: ArrayLike<number> = []) =>
            pxsimOf().runtime.board.controlMessageState.enqueue({ type: "messagepacket", channel: GESTURES_CHANNEL, data: commandWithSamples(command, samples) });
        const seen: { text: string; ms: number }[] = [];
        let start = 0;
        const timers: NodeJS.Timeout[] = [];
        await runInSimulator(code, {
            timeoutMs: 60000,
            until: lines => {
                const line = lines[lines.length - 1];
                if (line === "ready" && !start) {
                    start = Date.now();
                    const runtime = pxsimOf().Runtime;
                    const posted = runtime.messagePosted;
                    runtime.messagePosted = (msg: any) => {
                        if (msg.type === "messagepacket" && msg.channel === SIM_PANEL_CHANNEL)
                            seen.push({ text: "sent " + Buffer.from(msg.data).toString("utf8"), ms: Date.now() - start });
                        posted(msg);
                    };
                    timers.push(setTimeout(() => panel(GESTURES_PLAY_LOOP, readings), 1000));
                    timers.push(setTimeout(() => panel(GESTURES_STOP), 6000));
                    timers.push(setTimeout(() => panel(GESTURES_PLAY_ONCE, readings), 8000));
                } else if (start) seen.push({ text: line, ms: Date.now() - start });
                return lines.includes("done");
            },
        });
        timers.forEach(t => clearTimeout(t));
        const where = "\n" + seen.map(e => e.ms + " " + e.text.replace(/\n/g, "|")).join("\n");
        // At its first reading the program tells the panel its model.
        assert.strictEqual(seen[0].text, "sent gestures|40|Shake Vertical|Still up|Circle|Shake horizontal|Still down|Throw up|Arm roll|Free fall".replace(/\|/g, "\n"), where);
        const events = seen.filter(e => /circle$/.test(e.text));
        // Looping from 1 s: Circle starts once the window holds the circle, and lasts until the stop at 6 s.
        assert.strictEqual(events[0].text, "start circle", where);
        assert.ok(events[0].ms > 1000 && events[0].ms < 4000, "start " + where);
        assert.strictEqual(events[1].text, "stop circle", where);
        assert.ok(events[1].ms > 6000 && events[1].ms < 8000, "stop " + where);
        // Once from 8 s: Circle again, and "played" when the 46 readings (1.84 s) are used up.
        assert.strictEqual(events[2].text, "start circle", where);
        assert.ok(events[2].ms > 8000, "second start " + where);
        const played = seen.find(e => e.text === "sent played");
        // (the simulator runs in real time: on a busy machine its readings come late, so "played" may too)
        assert.ok(played && played.ms > 8000 + 1500 && played.ms < 8000 + 5000, "played " + where);
    });
});

/** The micro:bit's 25 LED brightnesses in the simulator. */
function ledLevels(frame: Frame): Promise<number[]> {
    return frame.evaluate(() => Array.from((globalThis as any).pxsim.board().ledMatrixState.image.data as ArrayLike<number>, v => v || 0));
}

function leds(...rows: string[]): boolean[] {
    return rows.join("").split("").map(c => c === "#");
}

function showLeds(levels: number[]): string {
    return (levels.map(v => v > 0 ? "#" : ".").join("").match(/...../g) || []).join(" ");
}

async function waitForLeds(frame: Frame, picture: boolean[], timeoutMs: number, what: string) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const levels = await ledLevels(frame);
        if (levels.length === 25 && levels.every((v, i) => (v > 0) === picture[i])) return;
        if (Date.now() > deadline) assert.fail("LEDs " + showLeds(levels) + ": not " + what + " after " + timeoutMs + " ms");
        await new Promise(r => setTimeout(r, 100));
    }
}

async function frameWhere(page: Page, test: (url: string) => boolean, timeoutMs: number, what: string): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const frame = page.frames().find(f => test(f.url()));
        if (frame) return frame;
        if (Date.now() > deadline) assert.fail("no " + what + " frame within " + timeoutMs + " ms: " + page.frames().map(f => f.url()).join(", "));
        await page.waitForTimeout(200);
    }
}

/** The student's program: what the blocks "on gesture circle start" and "on word yes/no heard" with "show icon" inside are in JavaScript. */
const PROGRAM = `gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.Circle), function () {
    basic.showIcon(IconNames.Heart)
})
speech.onWordHeard(SpeechWord.Yes, function () {
    basic.showIcon(IconNames.Yes)
})
speech.onWordHeard(SpeechWord.No, function () {
    basic.showIcon(IconNames.No)
})
`;
const HEART = leds(".#.#.", "#####", "#####", ".###.", "..#..");
const YES = leds(".....", "....#", "...#.", "#.#..", ".#...");
const NO = leds("#...#", ".#.#.", "..#..", ".#.#.", "#...#");

describe("simulator panel in the editor (npm start), headless chromium", function () {
    this.timeout(120000);
    let workspace: string;
    let server: EditorServer;
    let browser: Browser;
    let page: Page;
    let sim: Frame;
    let panel: Frame;

    before(async function () {
        this.timeout(180000);
        workspace = fs.mkdtempSync(path.join(os.tmpdir(), "tinyml-sim-panel-"));
        fs.mkdirSync(path.join(workspace, "projects"));
        // The microphone: chromium's fake capture device plays a WAV file (and starts over at its
        // end): 1 s of the real silence clip, the real "yes", 1 s of silence again.
        const header = fs.readFileSync(clip("yes")).subarray(0, 44);
        const pcm = Buffer.concat(["silence", "yes", "silence"].map(w => Buffer.from(decodeWav(fs.readFileSync(clip(w)), w).samples.buffer)));
        const wav = Buffer.concat([header, pcm]);
        wav.writeUInt32LE(36 + pcm.length, 4);
        wav.writeUInt32LE(pcm.length, 40);
        const wavFile = path.join(workspace, "yes-microphone.wav");
        fs.writeFileSync(wavFile, wav);
        server = await startEditorServer({ workspace, timeoutMs: 60000 });
        browser = await launchChromium(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--use-file-for-fake-audio-capture=" + wavFile]);
        page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
        // Offline: nothing but the local server answers.
        await page.route(url => url.origin !== server.origin, route => route.abort());
    });

    after(async function () {
        this.timeout(30000);
        if (browser) await browser.close().catch(() => undefined);
        if (server) await server.stop();
        if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
    });

    it("a new project gets the extension and the blocks; the panel opens beside the simulator with the model's gestures", async function () {
        this.timeout(240000);
        const registered = await (await page.request.get(server.origin + "/api/config/microbit/targetconfig")).json();
        assert.deepStrictEqual(registered.packages.approvedRepoLib[SIM_PANEL_CHANNEL].simx,
            { index: "index.html", devUrl: server.origin + "/simx/" + SIM_PANEL_CHANNEL + "/-/", aspectRatio: 1.1, permanent: true });

        await page.goto(server.editorUrl, { waitUntil: "load", timeout: 60000 });
        await page.locator(".ui.card", { hasText: "New Project" }).first().click({ timeout: 60000 });
        await page.locator(".modal input").first().fill("my panel");
        await page.locator(".modal button", { hasText: "Create" }).first().click();
        const extensions = page.locator(".blocklyTreeRow", { hasText: "Extensions" }).first();
        await extensions.waitFor({ timeout: 90000 });
        // A first new project offers a tour of the editor: closed, as a student would.
        const tour = page.locator(".teaching-bubble-close");
        await tour.first().waitFor({ timeout: 5000 }).then(() => tour.first().click(), () => undefined);
        await extensions.click();
        const search = page.locator(".extension-search-header input");
        await search.fill("tinyml");
        await search.press("Enter");
        const card = page.locator(".common-extension-card", { has: page.locator(".common-extension-card-title", { hasText: /^tinyml$/ }) }).first();
        await card.waitFor({ timeout: 30000 });
        await card.locator(".common-card-action").click();
        await page.locator(".blocklyTreeRow", { hasText: "TinyML" }).first().waitFor({ timeout: 90000 });

        // The blocks, written in JavaScript and turned back into blocks.
        await page.locator(".javascript-menuitem").first().click();
        await page.waitForFunction(() => {
            const monaco = (globalThis as any).monaco;
            return monaco && monaco.editor.getModels().some((m: any) => /main\.ts$/.test(m.uri.path));
        }, null, { timeout: 60000 });
        await page.evaluate(code => {
            const model = (globalThis as any).monaco.editor.getModels().find((m: any) => /main\.ts$/.test(m.uri.path));
            model.setValue(code);
        }, PROGRAM);
        // Once the editor has taken the text in (it saves it to the project's folder), back to blocks.
        const projects = path.join(workspace, "projects");
        const saved = Date.now() + 30000;
        while (!fs.readdirSync(projects).some(d => {
            const main = path.join(projects, d, "main.ts");
            return fs.existsSync(main) && fs.readFileSync(main, "utf8").indexOf("IconNames.Heart") >= 0;
        })) {
            assert.ok(Date.now() < saved, "the program was not saved within 30 s");
            await page.waitForTimeout(200);
        }
        await page.locator(".blocks-menuitem").first().click();
        await page.waitForFunction(() => {
            const canvas = (globalThis as any).document.querySelector(".blocklyMainBackground");
            const text = canvas ? (canvas.parentNode.querySelector(".blocklyBlockCanvas").textContent as string).replace(/\u00a0/g, " ") : "";
            return /on gesture/.test(text) && /circle/.test(text) && /on word/.test(text);
        }, null, { timeout: 60000 });

        // MakeCode opens the panel once the program sends on its channel (the gesture blocks do in
        // the simulator, at their first accelerometer reading).
        sim = await frameWhere(page, url => /\/simulator\.html/.test(url), 60000, "simulator");
        // The editor restarts the simulator after the change (the program as blocks): wait until the
        // same run has gone on for 3 s, so that the panel plays to the program that stays.
        let run: unknown = null, since = Date.now();
        const settled = Date.now() + 60000;
        while (Date.now() - since < 3000) {
            assert.ok(Date.now() < settled, "the simulator kept restarting");
            const now = await sim.evaluate(() => { const r = (globalThis as any).pxsim.runtime; return r && r.running ? r.id : null; }).catch(() => null);
            if (!now || now !== run) { run = now; since = Date.now(); }
            await page.waitForTimeout(200);
        }
        panel = await frameWhere(page, url => url.indexOf("/simx/" + SIM_PANEL_CHANNEL + "/-/") >= 0, 60000, "simulator panel");
        const buttons = panel.locator("#gesture-buttons button");
        await buttons.nth(7).waitFor({ timeout: 60000 });
        assert.deepStrictEqual(await buttons.allTextContents(), ["Shake Vertical", "Still up", "Circle", "Shake horizontal", "Still down", "Throw up", "Arm roll", "Free fall"]);
        assert.match(await panel.locator("#gesture-model").innerText(), /knows 8 gestures and reads the accelerometer every 40 ms/);
        assert.strictEqual(await panel.locator("#speech").isVisible(), true, "the sound row (the program listens)");
        // The panel is shown with the board, not hidden behind it.
        const box = await page.locator("iframe[src*='/simx/']").first().boundingBox();
        assert.ok(box && box.width > 100 && box.height > 80, "panel frame " + JSON.stringify(box));
    });

    it("'Circle' in the gesture player: the built-in model recognizes the real recording and the handler shows its heart", async function () {
        // The board lies still: no heart.
        await page.waitForTimeout(1500);
        assert.notStrictEqual(showLeds(await ledLevels(sim)), showLeds(HEART.map(b => b ? 255 : 0)), "a heart before any circle");
        await panel.locator("#gesture-buttons button", { hasText: /^Circle$/ }).click();
        // Its first recording of Circle, a reading every 40 ms.
        const circle = parseCreateAiRecordings(fs.readFileSync(BIG8, "utf8"), "big-8").actions[2].recordings[0];
        const readings = resampleRecording(circle, 40).length / 3;
        assert.strictEqual(await panel.locator("#gesture-status").innerText(),
            "Playing 'Circle', recording 1 of 25 (" + readings + " readings, " + (readings * 0.04).toFixed(1) + " s)");
        await waitForLeds(sim, HEART, 15000, "the heart of 'on gesture circle start'");
        // Played once: the panel hears that the program reads the board's accelerometer again.
        await panel.locator("#gesture-status", { hasText: /^Played/ }).waitFor({ timeout: 15000 });
    });

    it("the real 'no' clip and then the microphone (a WAV of the real 'yes') reach the speech recognizer's handlers", async function () {
        await panel.locator("#clip-buttons button", { hasText: /^no$/ }).click();
        await waitForLeds(sim, NO, 20000, "the 'no' icon of 'on word no heard'");
        await panel.locator("#microphone").click();
        await panel.locator("#speech-status", { hasText: /^Microphone on: \d+ Hz, averaged down to 16000 Hz/ }).waitFor({ timeout: 10000 });
        await waitForLeds(sim, YES, 30000, "the 'yes' icon of 'on word yes heard' (chromium's microphone playing the yes clip)");
        await panel.locator("#microphone").click();
    });

    it("a CreateAI dataset of one's own, chosen in the panel: its recordings of the model's gestures play, the others' buttons stay off", async function () {
        const file = path.join(SHARED, "gestures", "createai", "shake-still-circle-legacy.json");
        await panel.locator("#dataset-file").setInputFiles(file);
        await panel.locator("#gesture-model", { hasText: "shake-still-circle-legacy.json (Shake 9, Still 6, Circle 10)" }).waitFor({ timeout: 10000 });
        // Its actions are Shake, Still and Circle: of the model's gestures only Circle has recordings.
        const enabled = await panel.locator("#gesture-buttons button:not([disabled])").allTextContents();
        assert.deepStrictEqual(enabled, ["Circle"]);
        // (the microphone's "yes" icon is still on the LEDs)
        assert.strictEqual(showLeds(await ledLevels(sim)), showLeds(YES.map(b => b ? 255 : 0)), "the LEDs before the dataset's circle");
        await panel.locator("#gesture-buttons button", { hasText: /^Circle$/ }).click();
        assert.match(await panel.locator("#gesture-status").innerText(), /^Playing 'Circle', recording 1 of 10 /);
        await waitForLeds(sim, HEART, 15000, "the heart of 'on gesture circle start' (the dataset's circle)");
    });
});
