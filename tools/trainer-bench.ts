// The trainer page's training time (issue 14's speed goal, in the page): node built/tools/trainer-bench.js [RUNS]
//
// Serves the page as npm start does, opens it in headless chromium, gives it the 3-action,
// 30-recording set that tools/train-bench.ts times in Node (big-8-actions.json's Shake Vertical,
// Still up and Circle, the first 10 recordings each) and clicks Train, RUNS times (default 2).
// The page trains the model to use on all recordings first ("model ready"), then a second model
// with 20% of each action's recordings held out for the accuracy; it reports both times.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sharedPath } from "../node/conformance";
import { launchChromium, startEditorServer } from "./serve-editor";

const ACTIONS = ["Shake Vertical", "Still up", "Circle"];
const PER_ACTION = 10;

async function main() {
    const runs = Number(process.argv[2] || "2");
    const big8 = JSON.parse(fs.readFileSync(sharedPath("gestures/createai/big-8-actions.json"), "utf8"));
    const chosen = big8.filter((a: any) => ACTIONS.includes(a.name)).map((a: any) => ({ ...a, recordings: a.recordings.slice(0, PER_ACTION) }));
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "tinyml-trainer-bench-"));
    const dataset = path.join(workspace, "3x10.json");
    fs.writeFileSync(dataset, JSON.stringify(chosen));
    fs.mkdirSync(path.join(workspace, "projects"));
    const server = await startEditorServer({ workspace, timeoutMs: 60000 });
    const browser = await launchChromium();
    try {
        const page = await browser.newPage();
        console.log(`The trainer page in headless chromium, ${chosen.length} actions x ${PER_ACTION} recordings (${ACTIONS.join(", ")}):`);
        console.log();
        console.log("| run | model ready (all recordings) | held-out accuracy ready | held-out accuracy |");
        console.log("|---:|---:|---:|---|");
        for (let run = 1; run <= runs; run++) {
            await page.goto(server.origin + "/trainer/", { waitUntil: "load" });
            await page.setInputFiles("#dataset-file", dataset);
            await page.waitForFunction(() => !(globalThis as any).document.getElementById("train-button").disabled, null, { timeout: 30000 });
            await page.click("#train-button");
            await page.waitForFunction(() => !!(globalThis as any).document.getElementById("train-status").dataset.seconds, null, { timeout: 300000 });
            const status = page.locator("#train-status");
            const accuracy = /Held-out accuracy: ([^)]*\))/.exec(await page.textContent("#accuracy") || "");
            console.log(`| ${run} | ${Number(await status.getAttribute("data-model-seconds")).toFixed(1)} s | ` +
                `${Number(await status.getAttribute("data-seconds")).toFixed(1)} s | ${accuracy ? accuracy[1] : "none"} |`);
        }
    } finally {
        await browser.close();
        await server.stop();
        fs.rmSync(workspace, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
