// The trainer page (sim/trainer/index.html), opened by the MakeCode editor as the TinyML
// extension's editor page (the TinyML category's "Train a gesture model" button; see
// tools/editor-server-hooks.ts) or on its own. It trains a gesture model in the browser with the
// same code as `pxt-tinyml train` (node/gesture-model.ts, bundled by tools/build-trainer.ts, tfjs
// from its script tag), reports held-out accuracy and a confusion matrix, and writes the model
// into the open project through the editor's extension messages (pxt's ExtensionRequest:
// extinit, extreadcode, extwritecode, extdatastream).
import { GestureDataset, Recording, parseCreateAiDataset, splitByRecording } from "../../node/gesture-data";
import {
    trainGestureModel, exportGestureModel, GestureClassifier, evaluate, argMax, DEFAULT_TRAIN_OPTIONS,
} from "../../node/gesture-model";
import { RECORDER_BAUD_RATE, RecordedAxes, RecorderStream } from "./recorder-protocol";
import { trainedModelSource } from "./project-source";
// The CLI's warnings about the dataset (few recordings, recordings shorter than the window), said the same way here.
import { datasetWarnings } from "../../tools/cli-train";

declare const tf: any;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// ---------------------------------------------------------------------------------------------
// The editor: requests and their answers, by id.

/** The id the editor gave this page (the part of its address after '#'); empty when not opened by the editor. */
const extId = window.parent !== window ? location.hash.slice(1) : "";
let nextRequest = 1;
const pending = new Map<number, { resolve: (resp: any) => void; reject: (e: Error) => void }>();

function request(action: string, body?: any): Promise<any> {
    if (!extId) return Promise.reject(new Error("this page was not opened from the MakeCode editor"));
    const id = nextRequest++;
    return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        window.parent.postMessage({ type: "pxtpkgext", action, extId, id, body }, "*");
        setTimeout(() => {
            if (pending.delete(id)) reject(new Error(`the editor did not answer '${action}' within 20 s`));
        }, 20000);
    });
}

const serialStream = new RecorderStream();

window.addEventListener("message", (ev) => {
    const m = ev.data;
    if (!m || m.type !== "pxtpkgext") return;
    if (m.id !== undefined && pending.has(m.id)) {
        const p = pending.get(m.id)!;
        pending.delete(m.id);
        if (m.success === false) p.reject(new Error(`the editor refused '${m.action || "the request"}': ${JSON.stringify(m.error)}`));
        else p.resolve(m.resp);
        return;
    }
    // The editor's serial data (the simulator's, or a paired micro:bit's), after extdatastream.
    if (m.event === "extconsole" && m.body && typeof m.body.data === "string") serialStream.push(m.body.data);
});

// ---------------------------------------------------------------------------------------------
// The dataset, in CreateAI's format (what "Save the dataset" writes and the drop zone reads).

interface Action { name: string; recordings: RecordedAxes[] }
let actions: Action[] = [];
let datasetSource = "";

function datasetJson(): any[] {
    return actions.map((a) => ({ name: a.name, recordings: a.recordings.map((r) => ({ data: { x: r.x, y: r.y, z: r.z } })) }));
}

function currentDataset(): GestureDataset {
    return parseCreateAiDataset(JSON.stringify(datasetJson()), datasetSource || "recorded movements");
}

function showError(where: string, e: any) {
    const el = $(where);
    el.textContent = String(e && e.message || e);
    el.className = "note error";
}

function log(line: string) {
    const el = $("log");
    el.textContent += line + "\n";
    el.scrollTop = el.scrollHeight;
}

/** A recording drawn as three lines (x red, y green, z blue) over -2..2 g. */
function drawRecording(r: RecordedAxes): HTMLCanvasElement {
    const canvas = document.createElement("canvas");
    canvas.width = 120; canvas.height = 50;
    const ctx = canvas.getContext("2d")!;
    const colours = ["#d33", "#393", "#33d"];
    [r.x, r.y, r.z].forEach((values, axis) => {
        ctx.strokeStyle = colours[axis];
        ctx.beginPath();
        values.forEach((v, i) => {
            const px = (i / Math.max(1, values.length - 1)) * canvas.width;
            const py = canvas.height / 2 - (Math.max(-2, Math.min(2, v)) / 2) * (canvas.height / 2 - 2);
            if (i) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        });
        ctx.stroke();
    });
    return canvas;
}

function renderActions() {
    const box = $("actions");
    box.textContent = "";
    for (const action of actions) {
        const div = document.createElement("div");
        div.className = "action";
        div.dataset.action = action.name;
        const title = document.createElement("h3");
        title.textContent = `${action.name}: ${action.recordings.length} recording${action.recordings.length === 1 ? "" : "s"}`;
        div.appendChild(title);
        const record = document.createElement("button");
        record.textContent = "Record";
        record.className = "record";
        record.onclick = () => startRecording(action);
        div.appendChild(record);
        const row = document.createElement("div");
        action.recordings.forEach((r, i) => {
            const c = drawRecording(r);
            c.title = `recording ${i + 1}: click to remove`;
            c.onclick = () => {
                action.recordings.splice(i, 1);
                datasetChanged();
            };
            row.appendChild(c);
        });
        div.appendChild(row);
        box.appendChild(div);
    }
    const total = actions.reduce((n, a) => n + a.recordings.length, 0);
    $("dataset-summary").textContent = actions.length
        ? `${actions.length} actions, ${total} recordings${datasetSource ? " (" + datasetSource + ")" : ""}. Click a recording to remove it.`
        : "No movements yet.";
    $("dataset-summary").className = "note";
    ($("train-button") as HTMLButtonElement).disabled = actions.length < 2 || actions.some((a) => a.recordings.length === 0);
    ($("save-dataset") as HTMLButtonElement).disabled = total === 0;
}

function datasetChanged() {
    trained = null;
    ($("use-button") as HTMLButtonElement).disabled = true;
    renderActions();
}

function loadDatasetText(text: string, source: string) {
    const ds = parseCreateAiDataset(text, source); // checks it, naming what is wrong
    actions = ds.labels.map((name, label) => ({
        name,
        recordings: ds.recordings.filter((r) => r.label === label).map((r) => ({ x: r.x, y: r.y, z: r.z })),
    }));
    datasetSource = source;
    datasetChanged();
}

async function loadDatasetFile(file: File) {
    try {
        loadDatasetText(await file.text(), file.name);
    } catch (e) {
        showError("dataset-summary", e);
    }
}

// ---------------------------------------------------------------------------------------------
// Recording from the recorder program.

let recordingAction: Action | null = null;

function startRecording(action: Action) {
    recordingAction = action;
    serialStream.start();
    $("live").textContent = `recording '${action.name}'... do the movement`;
}

serialStream.onRecording = (r) => {
    if (!recordingAction) return;
    recordingAction.recordings.push(r);
    $("live").textContent = `recorded '${recordingAction.name}' (${r.x.length} samples)`;
    datasetChanged();
};
serialStream.onButton = (button) => {
    // Button A on the board records the action recorded last (or the last one added).
    if (button === "A" && !serialStream.recording) {
        const action = recordingAction || actions[actions.length - 1];
        if (action) startRecording(action);
    }
};
let readingsSeen = 0;
serialStream.onReading = (m) => {
    if (++readingsSeen % 10 === 0 && !serialStream.recording)
        $("live").textContent = `micro:bit: x ${m.x.toFixed(2)} g, y ${m.y.toFixed(2)} g, z ${m.z.toFixed(2)} g`;
};
serialStream.onError = (e) => showError("live", e);

async function connectWebSerial() {
    const serial = (navigator as any).serial;
    if (!serial) {
        showError("live", new Error("this browser has no Web Serial (use Chrome or Edge), or the editor does not let this page use it: pair the micro:bit in the editor instead"));
        return;
    }
    try {
        // The micro:bit's USB interface (DAPLink): vendor 0x0d28.
        const port = await serial.requestPort({ filters: [{ usbVendorId: 0x0d28 }] });
        await port.open({ baudRate: RECORDER_BAUD_RATE });
        $("live").textContent = "connected: waiting for the recorder program's readings";
        const reader = port.readable.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            serialStream.push(value);
        }
    } catch (e) {
        showError("live", e);
    }
}

// ---------------------------------------------------------------------------------------------
// Training, as `pxt-tinyml train` does (tools/cli-train.ts): a run holding recordings out for the
// accuracy and the confusion matrix, then the saved model trained again on every recording.

let trained: { tflite: Buffer; labels: string[]; accuracy: string } | null = null;

function pct(e: { accuracy: number; correct: number; total: number }): string {
    return `${(100 * e.accuracy).toFixed(1)}% (${e.correct} of ${e.total})`;
}

function showConfusion(labels: string[], confusion: number[][]) {
    const table = $("confusion");
    table.textContent = "";
    const head = document.createElement("tr");
    head.appendChild(document.createElement("th")).textContent = "recorded \\ model said";
    for (const l of labels) head.appendChild(document.createElement("th")).textContent = l;
    table.appendChild(head);
    confusion.forEach((row, i) => {
        const tr = document.createElement("tr");
        tr.appendChild(document.createElement("th")).textContent = labels[i];
        row.forEach((v, j) => {
            const td = tr.appendChild(document.createElement("td"));
            td.textContent = String(v);
            if (v) td.className = i === j ? "hit" : "miss";
        });
        table.appendChild(tr);
    });
}

async function train() {
    const button = $("train-button") as HTMLButtonElement;
    button.disabled = true;
    ($("use-button") as HTMLButtonElement).disabled = true;
    $("results").hidden = true;
    const status = $("train-status");
    status.className = "note";
    try {
        const ds = currentDataset();
        const warnings = datasetWarnings(ds.labels, ds.recordings, DEFAULT_TRAIN_OPTIONS.window);
        $("warnings").textContent = warnings.map((w) => "Warning: " + w).join("\n");
        // The CPU backend: the same arithmetic as in Node, on any computer (WebGL differs between
        // graphics drivers and is absent in some school browsers).
        await tf.setBackend("cpu");
        await tf.ready();
        const started = performance.now();
        const epochs = DEFAULT_TRAIN_OPTIONS.epochs;
        // The model to use first, on all recordings: "Use in project" is ready after one training.
        // The held-out accuracy needs a second model that never saw some recordings; it follows.
        status.textContent = "training the model on all recordings...";
        const final = await trainGestureModel(ds, { testFraction: 0, log: (line: string) => { log(line); status.textContent = "training: " + line; } });
        const converted = exportGestureModel(final);
        const modelSeconds = (performance.now() - started) / 1000;
        trained = { tflite: converted.tflite, labels: ds.labels, accuracy: "" };
        $("model-size").textContent = `Model: ${converted.tflite.length} bytes (int8), ${converted.macs} multiply-accumulates per run; ` +
            `${ds.recordings.length} recordings, ${epochs} epochs per run.`;
        status.dataset.modelSeconds = modelSeconds.toFixed(2);
        ($("use-button") as HTMLButtonElement).disabled = false;
        const ready = `model ready in ${modelSeconds.toFixed(1)} s`;
        if (splitByRecording(ds, DEFAULT_TRAIN_OPTIONS.testFraction, DEFAULT_TRAIN_OPTIONS.seed).test.length) {
            status.textContent = ready + "; measuring its accuracy on recordings held out of a second model...";
            const held = await trainGestureModel(ds, { log: (line: string) => { log(line); status.textContent = ready + "; held-out run: " + line; } });
            const classifier = new GestureClassifier(exportGestureModel(held).tflite);
            const e = evaluate(held.test, ds.labels.length, ds.labels.length, (r: Recording) => argMax(classifier.classifyRecording(r)));
            trained.accuracy = `held-out accuracy ${pct(e)}`;
            $("accuracy").textContent = `Held-out accuracy: ${pct(e)} recordings never trained on (int8 model, windows every 250 ms averaged).`;
            showConfusion(ds.labels, e.confusion);
        } else {
            $("accuracy").textContent = "Too few recordings to hold some out (at least 2 per action): no accuracy to show.";
            $("confusion").textContent = "";
        }
        const seconds = (performance.now() - started) / 1000;
        $("results").hidden = false;
        status.textContent = `${ready} (trained on all recordings); held-out accuracy ready in ${seconds.toFixed(1)} s`;
        status.dataset.seconds = seconds.toFixed(2);
        $("use-status").textContent = extId ? "" : "open this page from the editor to put the model into a project";
    } catch (e) {
        showError("train-status", e);
    } finally {
        button.disabled = false;
    }
}

async function useInProject() {
    if (!trained) return;
    const status = $("use-status");
    status.className = "note";
    try {
        const code = trainedModelSource(trained.tflite, trained.labels, {
            comment: [`Gestures: ${trained.labels.join(", ")}; ${trained.accuracy || "no held-out accuracy"} (${datasetSource || "recorded movements"}).`],
        });
        // The .json beside it keeps the recordings, so the trainer opens with them next time.
        await request("extwritecode", { code, json: JSON.stringify({ source: datasetSource, actions: datasetJson() }) });
        status.textContent = `Written into the project (${trained.labels.join(", ")}). Go back to the editor (top left): it reloads the project, and TinyML has the block "trained gesture" with your gestures.`;
        status.dataset.written = "yes";
    } catch (e) {
        showError("use-status", e);
    }
}

// ---------------------------------------------------------------------------------------------

async function connectEditor() {
    if (!extId) return;
    try {
        await request("extinit");
        $("connection").textContent = "Opened from the MakeCode editor: \"Use in project\" puts the model into the open project.";
        // Recordings saved with the project last time.
        const code = await request("extreadcode");
        if (code && code.json) {
            const saved = JSON.parse(code.json);
            if (saved && Array.isArray(saved.actions) && saved.actions.length) loadDatasetText(JSON.stringify(saved.actions), saved.source || "saved with the project");
        }
        // The editor's serial data (a paired micro:bit's, or the simulator's) comes as extconsole events.
        await request("extdatastream");
    } catch (e) {
        showError("connection", e);
    }
}

function setup() {
    const fileInput = $("dataset-file") as HTMLInputElement;
    fileInput.onchange = () => { if (fileInput.files && fileInput.files[0]) loadDatasetFile(fileInput.files[0]); };
    const drop = $("drop-zone");
    document.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    document.addEventListener("dragleave", () => drop.classList.remove("over"));
    document.addEventListener("drop", (e) => {
        e.preventDefault();
        drop.classList.remove("over");
        const file = e.dataTransfer && e.dataTransfer.files[0];
        if (file) loadDatasetFile(file);
    });
    $("save-dataset").onclick = () => {
        const a = document.createElement("a");
        a.href = URL.createObjectURL(new Blob([JSON.stringify(datasetJson())], { type: "application/json" }));
        a.download = "gestures-dataset.json";
        a.click();
    };
    $("add-action").onclick = () => {
        const input = $("new-action") as HTMLInputElement;
        const name = input.value.trim();
        if (!name) return showError("live", new Error("type the action's name first"));
        if (actions.some((a) => a.name === name)) return showError("live", new Error(`there is already an action '${name}'`));
        actions.push({ name, recordings: [] });
        input.value = "";
        datasetChanged();
    };
    $("connect-serial").onclick = () => connectWebSerial();
    $("train-button").onclick = () => train();
    $("use-button").onclick = () => useInProject();
    renderActions();
    // The recorder's .hex is offered only where it was built (the server answers 404 otherwise).
    fetch("recorder.hex", { method: "HEAD" }).then((r) => { $("recorder-hex-link").hidden = !r.ok; }, () => undefined);
    connectEditor();
}

setup();
