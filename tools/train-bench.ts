// Gesture training against micro:bit CreateAI's: node built/tools/train-bench.js [--folds N] [--seed N]
//        [--only NAME,...] [--options JSON] [--no-timing]
//
// For every dataset we can build from the CreateAI recordings in ../shared/gestures/createai (each
// file, class subsets of big-8-actions.json, and active/inactive sets whose inactive class is still
// recordings turned to many orientations), a stratified k-fold cross-validation with a fixed seed
// (each recording is tested exactly once, by a model that never trained on it) of:
//   - CreateAI: a reproduction of micro:bit CreateAI's training (microbit-foundation/ml-trainer,
//     src/mlConfig.ts, src/ml.ts, src/ml-train-core.ts, read for the facts): 24 features per
//     recording (max, mean, min, std, peaks, acc, zcr, rms of x, y and z), batch normalization,
//     Dense 16 ReLU, Dense softmax, SGD 0.1, batch 16, shuffled, 160 epochs; tested on the whole
//     held-out recording, as CreateAI tests a recording;
//   - ours: trainGestureModel's defaults, converted to int8 by exportGestureModel and run in our
//     interpreter as the gesture pipeline does (windows every 250 ms, scores averaged).
// Then the CPU time to train one model on a 3-class, 30-recording dataset, both ways.
// --options JSON overrides trainGestureModel's options (to compare recipes).
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { sharedPath } from "../node/conformance";
import {
    GestureDataset, Recording, Random, loadCreateAiDataset, randomRotation, rotationBetween, rotation, multiplyRotations,
    rotateRecording, meanReading, movementG,
} from "../node/gesture-data";
import { trainGestureModel, exportGestureModel, GestureClassifier, argMax, TrainOptions } from "../node/gesture-model";

// ---------------------------------------------------------------------------------------------
// CreateAI's training, reproduced

/** CreateAI's data window for 1.8 s recordings of about 90 samples ("legacy"): its acc feature scales by 80 samples. */
const CREATEAI_DEVICE_SAMPLES = 80;

function mean(d: number[]): number {
    let s = 0;
    for (const v of d) s += v;
    return s / d.length;
}

function std(d: number[]): number {
    const m = mean(d);
    let s = 0;
    for (const v of d) s += (v - m) * (v - m);
    return Math.sqrt(s / d.length);
}

/**
 * CreateAI's peak count: a smoothed z-score detector (lag 5, threshold 3.5, influence 0.5) that
 * counts rises into a positive signal. As in CreateAI, the first standard deviation is seeded with
 * the lead-in's mean (not its standard deviation).
 */
function peaks(d: number[]): number {
    const lag = 5, threshold = 3.5, influence = 0.5;
    if (d.length < lag + 2) throw new Error(`a recording of ${d.length} samples is too short for CreateAI's peak count`);
    const signals = new Array(d.length).fill(0);
    const filtered = d.slice();
    const avg: number[] = [], dev: number[] = [];
    avg[lag - 1] = mean(d.slice(0, lag));
    dev[lag - 1] = mean(d.slice(0, lag));
    let count = 0;
    for (let i = lag; i < d.length; i++) {
        const off = Math.abs(d[i] - avg[i - 1]);
        if (off > 0.1 && off > threshold * dev[i - 1]) {
            if (d[i] > avg[i - 1]) {
                signals[i] = 1;
                if (i - 1 > 0 && signals[i - 1] === 0) count++;
            } else signals[i] = -1;
            filtered[i] = influence * d[i] + (1 - influence) * filtered[i - 1];
        } else {
            signals[i] = 0;
            filtered[i] = d[i];
        }
        const recent = filtered.slice(i - lag, i);
        avg[i] = mean(recent);
        dev[i] = std(recent);
    }
    return count;
}

function zeroCrossingRate(d: number[]): number {
    let n = 0;
    for (let i = 1; i < d.length; i++) if ((d[i] >= 0 && d[i - 1] < 0) || (d[i] < 0 && d[i - 1] >= 0)) n++;
    return n / (d.length - 1);
}

/** CreateAI's 24 features of a recording, in its order: each filter for x, y, z. */
export function createAiFeatures(r: Recording): number[] {
    const filters: ((d: number[]) => number)[] = [
        (d) => Math.max(...d),
        mean,
        (d) => Math.min(...d),
        std,
        peaks,
        (d) => mean(d.map(Math.abs)) * CREATEAI_DEVICE_SAMPLES,
        zeroCrossingRate,
        (d) => Math.sqrt(mean(d.map((v) => v * v))),
    ];
    const out: number[] = [];
    for (const f of filters) out.push(f(r.x), f(r.y), f(r.z));
    return out;
}

/** CreateAI's network and training; seeded (its own uses Math.random) so that runs repeat. */
async function trainCreateAi(train: Recording[], classes: number, seed: number): Promise<tf.LayersModel> {
    let s = seed * 1000;
    const input = tf.input({ shape: [24] });
    const normalized = tf.layers.batchNormalization().apply(input);
    const hidden = tf.layers.dense({ units: 16, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: s++ }) }).apply(normalized);
    const out = tf.layers.dense({ units: classes, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: s++ }) }).apply(hidden) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    model.compile({ loss: "categoricalCrossentropy", optimizer: tf.train.sgd(0.1), metrics: ["accuracy"] });
    const features = train.map(createAiFeatures);
    const rng = new Random(seed + 31);
    for (let epoch = 0; epoch < 160; epoch++) {
        const order = rng.shuffle(train.map((_, i) => i));
        const xs = tf.tensor2d(order.map((i) => features[i]));
        const ys = tf.oneHot(tf.tensor1d(order.map((i) => train[i].label), "int32"), classes);
        await model.fit(xs, ys, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
        tf.dispose([xs, ys]);
    }
    return model;
}

function predictCreateAi(model: tf.LayersModel, r: Recording): number {
    return tf.tidy(() => (model.predict(tf.tensor2d([createAiFeatures(r)])) as tf.Tensor).argMax(1).dataSync()[0]);
}

// ---------------------------------------------------------------------------------------------
// Datasets

interface NamedDataset { name: string; about: string; ds: GestureDataset }

function subset(ds: GestureDataset, names: string[], perAction = Infinity): GestureDataset {
    const labels = names.map((n) => {
        const i = ds.labels.indexOf(n);
        if (i < 0) throw new Error(`no action '${n}' in the dataset (it has ${ds.labels.join(", ")})`);
        return i;
    });
    return {
        labels: names,
        recordings: ds.recordings.filter((r) => labels.includes(r.label) && r.index < perAction).map((r) => ({ ...r, label: labels.indexOf(r.label) })),
    };
}

const readingsKey = (r: Recording) => JSON.stringify([r.x, r.y, r.z]);

/**
 * Active/inactive: "inactive" is every distinct still recording (big-8's Still up and Still down,
 * the legacy files' still ones, at most `stillPerSource` of each; the first `sizes.inactive` of
 * them), each turned to another orientation: `orient(r, i, rng)` gives the rotation of the i-th;
 * "active" is as many moving recordings (or `sizes.active`), taken in turn from big-8's six moving
 * actions and the legacy wave and clap.
 */
function activeInactive(files: { [name: string]: GestureDataset }, stillPerSource: number, orient: (r: Recording, i: number, rng: Random) => number[], seed: number,
    sizes: { inactive: number; active: number } = { inactive: Infinity, active: Infinity }): GestureDataset {
    const rng = new Random(seed);
    const seen = new Set<string>();
    const still: Recording[] = [];
    const moving: Recording[][] = [];
    for (const ds of Object.values(files)) {
        ds.labels.forEach((_, label) => {
            const recs = ds.recordings.filter((r) => r.label === label && !seen.has(readingsKey(r)));
            recs.forEach((r) => seen.add(readingsKey(r)));
            const isStill = recs.length > 0 && recs.every((r) => movementG(r) < 0.1);
            if (isStill) still.push(...recs.slice(0, stillPerSource));
            else moving.push(recs);
        });
    }
    const inactive = still.slice(0, sizes.inactive).map((r, i) => ({ ...rotateRecording(r, orient(r, i, rng)), label: 1, index: i }));
    const active: Recording[] = [];
    const nActive = sizes.active === Infinity ? inactive.length : sizes.active;
    for (let k = 0; active.length < nActive; k++) {
        let added = false;
        for (const recs of moving) if (k < recs.length && active.length < nActive) { active.push({ ...recs[k], label: 0, index: active.length }); added = true; }
        if (!added) break;
    }
    return { labels: ["active", "inactive"], recordings: [...active, ...inactive] };
}

const SIX_FACES = [[0, 0, -1], [0, 0, 1], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]];

function datasets(seed: number): NamedDataset[] {
    const file = (n: string) => loadCreateAiDataset(sharedPath(`gestures/createai/${n}.json`));
    const big8 = file("big-8-actions"), ssc = file("shake-still-circle-legacy"), swc = file("still-wave-clap-legacy");
    const files = { big8, ssc, swc };
    return [
        { name: "big-8-actions", about: "the file: 8 actions x 25", ds: big8 },
        { name: "shake-still-circle", about: "the legacy file: Shake 9, Still 6, Circle 10", ds: ssc },
        { name: "still-wave-clap", about: "the legacy file: 3 x 6; still in several poses", ds: swc },
        { name: "big-8: 3 x 10", about: "Shake Vertical, Still up, Circle, 10 each (the timing set)", ds: subset(big8, ["Shake Vertical", "Still up", "Circle"], 10) },
        { name: "big-8: shakes, circle", about: "Shake Vertical, Shake horizontal, Circle x 25", ds: subset(big8, ["Shake Vertical", "Shake horizontal", "Circle"]) },
        { name: "big-8: stills, fall", about: "Still up, Still down, Free fall x 25", ds: subset(big8, ["Still up", "Still down", "Free fall"]) },
        { name: "big-8: throw, roll, fall", about: "Throw up, Arm roll, Free fall x 25", ds: subset(big8, ["Throw up", "Arm roll", "Free fall"]) },
        {
            name: "active/inactive, 6 faces", about: "inactive: still recordings turned to lie on one of the board's six faces (in turn), any heading",
            ds: activeInactive(files, 10, (r, i, rng) => {
                const g = meanReading(r), len = Math.hypot(g[0], g[1], g[2]);
                const face = SIX_FACES[i % 6];
                return multiplyRotations(rotation(face[0], face[1], face[2], rng.uniform(-180, 180)), rotationBetween(g.map((v) => v / len), face));
            }, seed),
        },
        {
            // Each face once: every held-out still recording lies in a pose no training recording showed.
            name: "active/inactive, each face once", about: "inactive: 6 still recordings, one on each face of the board; active: 12 moving",
            ds: activeInactive(files, 10, (r, i, rng) => {
                const g = meanReading(r), len = Math.hypot(g[0], g[1], g[2]);
                const face = SIX_FACES[i % 6];
                return multiplyRotations(rotation(face[0], face[1], face[2], rng.uniform(-180, 180)), rotationBetween(g.map((v) => v / len), face));
            }, seed + 2, { inactive: 6, active: 12 }),
        },
        {
            name: "active/inactive, any pose", about: "inactive: still recordings turned to uniformly random orientations",
            ds: activeInactive(files, 10, (_r, _i, rng) => randomRotation(rng), seed + 1),
        },
    ];
}

// ---------------------------------------------------------------------------------------------
// Cross-validation

/** Stratified folds: each action's recordings shuffled with `seed` and dealt to the folds in turn. */
function folds(ds: GestureDataset, k: number, seed: number): Recording[][] {
    const rng = new Random(seed);
    const res: Recording[][] = Array.from({ length: k }, () => []);
    ds.labels.forEach((_, label) => rng.shuffle(ds.recordings.filter((r) => r.label === label)).forEach((r, i) => res[i % k].push(r)));
    return res;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
    const u = process.cpuUsage(since);
    return u.user / 1e6;
}

async function oursTrainAndTest(ds: GestureDataset, train: Recording[], test: Recording[], options: Partial<TrainOptions>): Promise<number> {
    const t = await trainGestureModel({ labels: ds.labels, recordings: train }, { ...options, testFraction: 0 });
    const c = new GestureClassifier(exportGestureModel(t).tflite);
    t.network.dispose();
    let right = 0;
    for (const r of test) {
        const p = c.classifyRecording(r);
        if (argMax(p) === r.label) right++;
        else if (showMisses) console.log(`  ours missed ${ds.labels[r.label]} #${r.index} (mean ${meanReading(r).map((v) => v.toFixed(2)).join(", ")} g, ` +
            `movement ${movementG(r).toFixed(2)} g): ${ds.labels.map((l, i) => `${l} ${p[i].toFixed(2)}`).join(", ")}`);
    }
    return right;
}

let showMisses = false;

async function main() {
    const args = process.argv.slice(2);
    const arg = (name: string, fallback: string) => {
        const i = args.indexOf(name);
        return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
    };
    const k = Number(arg("--folds", "4"));
    const seed = Number(arg("--seed", "1"));
    const only = arg("--only", "");
    const options: Partial<TrainOptions> = JSON.parse(arg("--options", "{}"));
    showMisses = args.includes("--misses");
    const say = (s = "") => console.log(s);
    const all = datasets(seed).filter((d) => !only || only.split(",").some((o) => d.name.includes(o)));

    say(`## Gesture training: ours vs CreateAI (${k}-fold cross-validation, seed ${seed})`);
    say();
    say("| dataset | recordings | CreateAI | ours | |");
    say("|---|---:|---:|---:|---|");
    let pooled = { n: 0, createAi: 0, ours: 0 };
    for (const { name, about, ds } of all) {
        let createAi = 0, ours = 0;
        const parts = folds(ds, k, seed);
        for (let f = 0; f < k; f++) {
            const test = parts[f], train = parts.filter((_, i) => i !== f).flat();
            const model = await trainCreateAi(train, ds.labels.length, seed + f);
            createAi += test.filter((r) => predictCreateAi(model, r) === r.label).length;
            model.dispose();
            ours += await oursTrainAndTest(ds, train, test, { seed: seed + f, ...options });
        }
        const n = ds.recordings.length;
        pooled = { n: pooled.n + n, createAi: pooled.createAi + createAi, ours: pooled.ours + ours };
        const pct = (c: number) => `${(100 * c / n).toFixed(1)}% (${c})`;
        say(`| ${name} | ${n} | ${pct(createAi)} | ${pct(ours)} | ${about} |`);
    }
    const pct = (c: number) => `${(100 * c / pooled.n).toFixed(1)}% (${c})`;
    say(`| pooled | ${pooled.n} | ${pct(pooled.createAi)} | ${pct(pooled.ours)} | |`);

    if (!args.includes("--no-timing")) {
        const big8 = loadCreateAiDataset(sharedPath("gestures/createai/big-8-actions.json"));
        const ds = subset(big8, ["Shake Vertical", "Still up", "Circle"], 10);
        say();
        say(`CPU time (user, this process) to train one model on ${ds.recordings.length} recordings of 3 actions (${path.basename("big-8-actions.json")}: ` +
            `${ds.labels.join(", ")}, the first 10 each); tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}:`);
        say();
        say("| | train | int8 export | wall (train + export) |");
        say("|---|---:|---:|---:|");
        let since = process.cpuUsage();
        let wall = Date.now();
        const model = await trainCreateAi(ds.recordings, 3, seed);
        say(`| CreateAI (reproduced; no export) | ${cpuSeconds(since).toFixed(2)} s | | ${((Date.now() - wall) / 1000).toFixed(2)} s |`);
        model.dispose();
        since = process.cpuUsage();
        wall = Date.now();
        const t = await trainGestureModel(ds, { seed, ...options, testFraction: 0 });
        const trainCpu = cpuSeconds(since);
        since = process.cpuUsage();
        exportGestureModel(t);
        say(`| ours | ${trainCpu.toFixed(2)} s | ${cpuSeconds(since).toFixed(2)} s | ${((Date.now() - wall) / 1000).toFixed(2)} s |`);
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
