// The simulator panel of the tinyml extension: MakeCode loads this page (a "simx") beside the
// simulated micro:bit once the program sends on SIM_PANEL_CHANNEL, which the gesture and speech
// blocks do in the simulator (libs/gestures/board-microbit.ts, libs/speech/microphone.ts). The
// panel only supplies input: real accelerometer recordings, the laptop's microphone, real
// speech clips. Every event the program raises comes from its own model run on that input.
//
// Messages go through the editor page (window.parent): MakeCode's simulator driver passes a
// "messagepacket" from one of its frames to the others, and the simulator hands it to the
// program's control.simmessages handlers.
import {
    AveragingResampler, GESTURES_CHANNEL, GESTURES_DESCRIBE, GESTURES_PLAY_LOOP, GESTURES_PLAY_ONCE, GESTURES_STOP,
    GestureRecordings, SIM_PANEL_CHANNEL, SPEECH_AUDIO, SPEECH_CHANNEL, SPEECH_DESCRIBE, SPEECH_RATE,
    commandWithSamples, decodeWav, parseCreateAiRecordings, parseProgramMessage, resampleRecording, sameLabel,
} from "./protocol.js";

/** The built-in model's training recordings and the real speech clips, served by npm start from ../shared (tools/sim-panel-server.ts). */
const BUILTIN_RECORDINGS_URL = "data/gestures.json";
const CLIPS = ["yes", "no", "noise", "silence"];
const clipUrl = (word: string) => "data/audio/" + word + ".wav";
/** Audio goes to the program in pieces of this many ms (clips in real time; the microphone as it comes). */
const CLIP_CHUNK_MS = 100;
/**
 * Zeros after a clip: the recognizer scores the last second every 100 ms, so a word near a
 * clip's end is scored whole only once more audio follows, as it would from a microphone.
 */
const CLIP_TAIL_MS = 1000;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function send(channel: string, data: Uint8Array) {
    window.parent.postMessage({ type: "messagepacket", channel, data }, "*");
}

// ---- Gestures

let model: { samplePeriodMs: number; labels: string[] } | null = null;
let recordings: GestureRecordings | null = null;
let recordingsSource = "";
/** The next recording to play of each label (they take turns). */
const nextRecording = new Map<string, number>();
let playing = "";

function setGestureStatus(text: string, error = false) {
    const status = $("gesture-status");
    status.textContent = text;
    status.className = "status" + (error ? " error" : "");
}

/** The recordings of a label: the dataset's action of the same name (ASCII case and spaces aside). */
function recordingsOf(label: string) {
    const action = recordings && recordings.actions.find(a => sameLabel(a.name, label));
    return action ? action.recordings : [];
}

function showGestures() {
    if (!model) return;
    $("gestures").hidden = false;
    $("waiting").hidden = true;
    $("gesture-model").textContent = "The model knows " + model.labels.length + " gestures and reads the accelerometer every " +
        model.samplePeriodMs + " ms." + (recordingsSource ? " Recordings: " + recordingsSource + "." : "");
    const box = $("gesture-buttons");
    box.textContent = "";
    for (const label of model.labels) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = label;
        button.dataset.label = label;
        const count = recordingsOf(label).length;
        button.disabled = count === 0;
        button.title = count ? count + " recordings of '" + label + "'" : "no recording of '" + label + "': drop a dataset that has one";
        if (playing && sameLabel(playing, label)) button.classList.add("playing");
        button.addEventListener("click", () => play(label));
        box.appendChild(button);
    }
}

function play(label: string) {
    if (!model) return;
    const list = recordingsOf(label);
    if (!list.length) return;
    const index = (nextRecording.get(label) || 0) % list.length;
    nextRecording.set(label, index + 1);
    const loop = $<HTMLInputElement>("gesture-loop").checked;
    const samples = resampleRecording(list[index], model.samplePeriodMs);
    send(GESTURES_CHANNEL, commandWithSamples(loop ? GESTURES_PLAY_LOOP : GESTURES_PLAY_ONCE, samples));
    playing = label;
    setGestureStatus("Playing '" + label + "', recording " + (index + 1) + " of " + list.length + " (" + samples.length / 3 +
        " readings, " + ((samples.length / 3) * model.samplePeriodMs / 1000).toFixed(1) + " s)" + (loop ? ", looping" : ""));
    showGestures();
}

function stopGesture() {
    send(GESTURES_CHANNEL, Uint8Array.of(GESTURES_STOP));
    playing = "";
    setGestureStatus("Stopped: the program reads the simulator's accelerometer again.");
    showGestures();
}

function useRecordings(text: string, source: string) {
    try {
        recordings = parseCreateAiRecordings(text, source);
        recordingsSource = source + " (" + recordings.actions.map(a => a.name + " " + a.recordings.length).join(", ") + ")";
        nextRecording.clear();
        showGestures();
        if (model && !model.labels.some(l => recordingsOf(l).length))
            setGestureStatus(source + " has no recording of the model's gestures (" + model.labels.join(", ") + ")", true);
    } catch (e: any) {
        setGestureStatus(e.message || String(e), true);
    }
}

async function loadBuiltinRecordings() {
    try {
        const res = await fetch(BUILTIN_RECORDINGS_URL);
        if (!res.ok) throw new Error(await res.text() || "HTTP " + res.status);
        if (!recordings) useRecordings(await res.text(), "the built-in model's training recordings");
    } catch (e: any) {
        if (!recordings) setGestureStatus("No built-in recordings (" + (e.message || e) + "): drop a CreateAI dataset.", true);
    }
}

function readDroppedFile(file: File) {
    file.text().then(text => useRecordings(text, file.name), e => setGestureStatus(file.name + ": " + e, true));
}

// ---- Sound

let microphone: { stream: MediaStream; context: AudioContext; node: ScriptProcessorNode } | null = null;
/** Clip playback in progress (its timer), so that a new clip or the microphone replaces it. */
let clipTimer: number | undefined;

function setSpeechStatus(text: string, error = false) {
    const status = $("speech-status");
    status.textContent = text;
    status.className = "status" + (error ? " error" : "");
}

function showSpeech() {
    $("speech").hidden = false;
    $("waiting").hidden = true;
}

function sendAudio(samples: Int16Array) {
    if (samples.length) send(SPEECH_CHANNEL, commandWithSamples(SPEECH_AUDIO, samples));
}

async function playClip(word: string) {
    stopClip();
    try {
        const res = await fetch(clipUrl(word));
        if (!res.ok) throw new Error(await res.text() || "HTTP " + res.status);
        const wav = decodeWav(new Uint8Array(await res.arrayBuffer()), word + ".wav");
        let samples = wav.samples;
        if (wav.sampleRate !== SPEECH_RATE)
            samples = new AveragingResampler(wav.sampleRate, SPEECH_RATE).push(Array.from(samples, v => v / 32768));
        const all = new Int16Array(samples.length + SPEECH_RATE * CLIP_TAIL_MS / 1000);
        all.set(samples);
        const step = SPEECH_RATE * CLIP_CHUNK_MS / 1000;
        let at = 0;
        setSpeechStatus("Playing the '" + word + "' clip (" + (samples.length / SPEECH_RATE).toFixed(2) + " s of real speech data, then " + CLIP_TAIL_MS + " ms of silence).");
        const next = () => {
            sendAudio(all.subarray(at, Math.min(at + step, all.length)));
            at += step;
            if (at < all.length) clipTimer = window.setTimeout(next, CLIP_CHUNK_MS);
            else {
                clipTimer = undefined;
                setSpeechStatus("Played the '" + word + "' clip.");
            }
        };
        next();
    } catch (e: any) {
        setSpeechStatus(word + ": " + (e.message || e), true);
    }
}

function stopClip() {
    if (clipTimer !== undefined) window.clearTimeout(clipTimer);
    clipTimer = undefined;
}

async function toggleMicrophone() {
    const button = $<HTMLButtonElement>("microphone");
    if (microphone) {
        microphone.node.disconnect();
        microphone.stream.getTracks().forEach(t => t.stop());
        await microphone.context.close();
        microphone = null;
        button.classList.remove("playing");
        setSpeechStatus("Microphone off.");
        return;
    }
    try {
        stopClip();
        // The raw signal: the board's microphone has no echo cancellation or automatic gain either.
        const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
        const context = new AudioContext();
        const source = context.createMediaStreamSource(stream);
        // A ScriptProcessorNode (deprecated, but one file and in every browser) hands over the samples in blocks.
        const node = context.createScriptProcessor(4096, 1, 1);
        const resampler = new AveragingResampler(context.sampleRate, SPEECH_RATE);
        node.onaudioprocess = event => sendAudio(resampler.push(event.inputBuffer.getChannelData(0)));
        source.connect(node);
        // (a script processor runs only when connected onwards; its output stays silent)
        node.connect(context.destination);
        microphone = { stream, context, node };
        button.classList.add("playing");
        setSpeechStatus("Microphone on: " + context.sampleRate + " Hz, averaged down to " + SPEECH_RATE + " Hz for the program.");
    } catch (e: any) {
        setSpeechStatus("No microphone: " + (e.message || e), true);
    }
}

// ---- The program's messages

window.addEventListener("message", event => {
    const msg = event.data;
    if (!msg || msg.type !== "messagepacket" || msg.channel !== SIM_PANEL_CHANNEL || !msg.data) return;
    const parsed = parseProgramMessage(new TextDecoder().decode(new Uint8Array(msg.data)));
    if (!parsed) return;
    if (parsed.kind === "gestures") {
        model = { samplePeriodMs: parsed.samplePeriodMs, labels: parsed.labels };
        playing = "";
        showGestures();
    } else if (parsed.kind === "speech") {
        showSpeech();
        if (!microphone && !$("speech-status").textContent) setSpeechStatus("The program listens: play a clip or turn the microphone on.");
    } else if (parsed.kind === "played") {
        playing = "";
        setGestureStatus("Played: the program reads the simulator's accelerometer again.");
        showGestures();
    }
});

function setUp() {
    $("gesture-stop").addEventListener("click", stopGesture);
    $("microphone").addEventListener("click", toggleMicrophone);
    const clips = $("clip-buttons");
    for (const word of CLIPS) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = word;
        button.title = "the real '" + word + "' clip (TFLM's micro_speech test data)";
        button.addEventListener("click", () => playClip(word));
        clips.appendChild(button);
    }
    const zone = $("dropzone");
    zone.addEventListener("dragover", e => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", e => {
        e.preventDefault();
        zone.classList.remove("over");
        const file = e.dataTransfer && e.dataTransfer.files[0];
        if (file) readDroppedFile(file);
    });
    $<HTMLInputElement>("dataset-file").addEventListener("change", e => {
        const file = (e.target as HTMLInputElement).files?.[0];
        if (file) readDroppedFile(file);
    });
    loadBuiltinRecordings();
    // The program told the editor before this page was loaded: ask again.
    send(GESTURES_CHANNEL, Uint8Array.of(GESTURES_DESCRIBE));
    send(SPEECH_CHANNEL, Uint8Array.of(SPEECH_DESCRIBE));
}

setUp();
