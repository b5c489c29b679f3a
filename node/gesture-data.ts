/**
 * Accelerometer gesture data in micro:bit CreateAI's dataset format, turned into model windows:
 * loading and checking the JSON, a held-out split by recording, resampling to the model's sample
 * period, augmentation, and the per-axis normalization the model's metadata carries.
 *
 * CreateAI's JSON is a list of actions `{name, recordings: [{data: {x: [], y: [], z: []}}]}`,
 * values in g, one sample about every 20 ms (the legacy 1.8 s window holds about 90 samples).
 *
 * A model window is `windowSamples` samples of x, y, z taken every `samplePeriodMs`, each value
 * normalized as `(g - offset[axis]) * scale[axis]`, laid out sample by sample: x0 y0 z0 x1 y1 z1...
 * That is what the STS pipeline does on the board: read the accelerometer every sample period,
 * keep the last window in a ring buffer, normalize, invoke.
 */
/** The accelerometer's range: the micro:bit's default +-2 g reads at most 2.04 g (2040 mg). */
export const SATURATION_G = 2.04;
/** CreateAI's sample period: recordings hold one sample per ~20 ms. */
export const RECORDING_PERIOD_MS = 20;
export const AXES = ["x", "y", "z"];

export interface Recording {
    /** Index into the dataset's labels. */
    label: number;
    /** Position in its action's list of recordings (what the split is by). */
    index: number;
    x: number[];
    y: number[];
    z: number[];
}

export interface GestureDataset {
    labels: string[];
    recordings: Recording[];
}

/** Reads and checks a CreateAI dataset: every problem is named with where it is. */
export function parseCreateAiDataset(text: string, source = "dataset"): GestureDataset {
    let json: any;
    try {
        json = JSON.parse(text);
    } catch (e: any) {
        throw new Error(`${source}: not JSON: ${e.message}`);
    }
    // Newer CreateAI exports wrap the actions: {data: [...]} (or {actions: [...]}).
    const actions = Array.isArray(json) ? json : json && (Array.isArray(json.data) ? json.data : json.actions);
    if (!Array.isArray(actions)) throw new Error(`${source}: expected a list of actions {name, recordings}`);
    if (actions.length < 2) throw new Error(`${source}: needs at least 2 actions to classify, found ${actions.length}`);
    const labels: string[] = [];
    const recordings: Recording[] = [];
    actions.forEach((a: any, ai: number) => {
        const where = `${source}: action ${ai}`;
        if (!a || typeof a.name !== "string" || !a.name.trim()) throw new Error(`${where}: no name`);
        const name = a.name.trim();
        if (/[\r\n]/.test(name)) throw new Error(`${where} ('${name}'): a name must be one line`);
        if (labels.includes(name)) throw new Error(`${where}: the name '${name}' is used twice`);
        if (!Array.isArray(a.recordings) || a.recordings.length === 0) throw new Error(`${where} ('${name}'): no recordings`);
        labels.push(name);
        a.recordings.forEach((r: any, ri: number) => {
            const rwhere = `${where} ('${name}') recording ${ri}`;
            const d = r && r.data;
            if (!d) throw new Error(`${rwhere}: no data {x, y, z}`);
            const axes = AXES.map((ax) => {
                const v = d[ax];
                if (!Array.isArray(v)) throw new Error(`${rwhere}: no ${ax} values`);
                v.forEach((n: any, i: number) => {
                    if (typeof n !== "number" || !isFinite(n)) throw new Error(`${rwhere}: ${ax}[${i}] is not a number: ${JSON.stringify(n)}`);
                });
                return v as number[];
            });
            const n = Math.min(axes[0].length, axes[1].length, axes[2].length);
            if (n < 10) throw new Error(`${rwhere}: only ${n} samples`);
            recordings.push({ label: ai, index: ri, x: axes[0].slice(0, n), y: axes[1].slice(0, n), z: axes[2].slice(0, n) });
        });
    });
    return { labels, recordings };
}

export function loadCreateAiDataset(file: string): GestureDataset {
    // Required here rather than imported: the trainer page bundles this module, and a browser has no fs.
    const fs = require("fs");
    return parseCreateAiDataset(fs.readFileSync(file, "utf8"), file);
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32): the same seed gives the same split, augmentation and training.

export class Random {
    private state: number;
    constructor(seed: number) { this.state = seed >>> 0; }
    /** Uniform in [0, 1). */
    next(): number {
        this.state = (this.state + 0x6d2b79f5) >>> 0;
        let t = this.state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    uniform(lo: number, hi: number): number { return lo + (hi - lo) * this.next(); }
    int(n: number): number { return Math.floor(this.next() * n); }
    /** Standard normal (Box-Muller). */
    normal(): number {
        const u = 1 - this.next();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    }
    shuffle<T>(a: T[]): T[] {
        for (let i = a.length - 1; i > 0; i--) {
            const j = this.int(i + 1);
            const t = a[i]; a[i] = a[j]; a[j] = t;
        }
        return a;
    }
}

/**
 * Splits by recording, per action: each action's recordings are shuffled with `seed` and
 * `round(n * testFraction)` of them (at least 1 when it has 2 or more) are held out. Windows of a
 * held-out recording never reach training.
 */
export function splitByRecording(ds: GestureDataset, testFraction: number, seed: number): { train: Recording[]; test: Recording[] } {
    const rng = new Random(seed);
    const train: Recording[] = [];
    const test: Recording[] = [];
    ds.labels.forEach((_, label) => {
        const recs = rng.shuffle(ds.recordings.filter((r) => r.label === label));
        let nTest = Math.round(recs.length * testFraction);
        if (testFraction > 0 && recs.length >= 2) nTest = Math.max(1, Math.min(recs.length - 1, nTest));
        test.push(...recs.slice(0, nTest));
        train.push(...recs.slice(nTest));
    });
    return { train, test };
}

// ---------------------------------------------------------------------------------------------
// Windows

export interface WindowSpec {
    /** Milliseconds between the model's samples. */
    samplePeriodMs: number;
    /** Samples per window. */
    windowSamples: number;
}

/** Per-axis normalization: model value = (g - offset) * scale. */
export interface Normalization {
    offset: number[];
    scale: number[];
}

export function windowDurationMs(w: WindowSpec): number { return (w.windowSamples - 1) * w.samplePeriodMs; }
export function recordingDurationMs(r: Recording): number { return (r.x.length - 1) * RECORDING_PERIOD_MS; }

/** The value of `v` (one sample per RECORDING_PERIOD_MS) at time `ms`, linearly interpolated, held at the ends. */
function valueAt(v: number[], ms: number): number {
    const p = ms / RECORDING_PERIOD_MS;
    if (p <= 0) return v[0];
    if (p >= v.length - 1) return v[v.length - 1];
    const i = Math.floor(p);
    const f = p - i;
    return v[i] + f * (v[i + 1] - v[i]);
}

/**
 * A window of raw g values (x0 y0 z0 x1 ...) starting `startMs` into the recording, sampled every
 * `samplePeriodMs * speed` ms of the recording (speed > 1: the gesture played faster). Times past
 * either end hold the first or last sample, as a ring buffer would hold still readings.
 */
export function cutWindow(r: Recording, w: WindowSpec, startMs: number, speed = 1): number[] {
    const out: number[] = [];
    for (let k = 0; k < w.windowSamples; k++) {
        const t = startMs + k * w.samplePeriodMs * speed;
        out.push(valueAt(r.x, t), valueAt(r.y, t), valueAt(r.z, t));
    }
    return out;
}

/** Start times of the windows a sliding pipeline would see every `stepMs` within the recording (at least one, centred). */
export function windowStarts(r: Recording, w: WindowSpec, stepMs: number): number[] {
    const slack = recordingDurationMs(r) - windowDurationMs(w);
    if (slack <= 0) return [slack / 2];
    const n = Math.floor(slack / stepMs) + 1;
    const first = (slack - (n - 1) * stepMs) / 2;
    const res: number[] = [];
    for (let i = 0; i < n; i++) res.push(first + i * stepMs);
    return res;
}

/** The centred window of a recording: the one evaluation uses. */
export function centreWindow(r: Recording, w: WindowSpec): number[] {
    return cutWindow(r, w, (recordingDurationMs(r) - windowDurationMs(w)) / 2);
}

export interface Augmentation {
    /** Largest rotation of the board, degrees, about a random axis. */
    rotationDeg: number;
    /** Amplitude scaling: uniform in [1 - scale, 1 + scale]. */
    scale: number;
    /** Gesture speed: uniform in [1 - speed, 1 + speed]. */
    speed: number;
    /** Time shift beyond the recording's ends, ms (the window starts anywhere in the recording, and up to this much before or after). */
    shiftMs: number;
    /** Gaussian noise, g. */
    noiseG: number;
}

export const DEFAULT_AUGMENTATION: Augmentation = { rotationDeg: 20, scale: 0.15, speed: 0.15, shiftMs: 200, noiseG: 0.03 };

/** A rotation matrix (row-major 3x3) of `deg` degrees about the unit axis (ux, uy, uz) (Rodrigues). */
export function rotation(ux: number, uy: number, uz: number, deg: number): number[] {
    const a = deg * Math.PI / 180, c = Math.cos(a), s = Math.sin(a), t = 1 - c;
    return [
        t * ux * ux + c, t * ux * uy - s * uz, t * ux * uz + s * uy,
        t * ux * uy + s * uz, t * uy * uy + c, t * uy * uz - s * ux,
        t * ux * uz - s * uy, t * uy * uz + s * ux, t * uz * uz + c,
    ];
}

/**
 * A rotation drawn uniformly from all rotations (a normalized 4-D Gaussian is a uniform unit
 * quaternion), as a row-major 3x3 matrix: the board in any orientation.
 */
export function randomRotation(rng: Random): number[] {
    let w = rng.normal(), x = rng.normal(), y = rng.normal(), z = rng.normal();
    const len = Math.sqrt(w * w + x * x + y * y + z * z) || 1;
    w /= len; x /= len; y /= len; z /= len;
    return [
        1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
        2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
        2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
    ];
}

/** The rotation (row-major 3x3) that turns unit vector `from` onto unit vector `to` by the shortest way. */
export function rotationBetween(from: number[], to: number[]): number[] {
    const cx = from[1] * to[2] - from[2] * to[1], cy = from[2] * to[0] - from[0] * to[2], cz = from[0] * to[1] - from[1] * to[0];
    const s = Math.sqrt(cx * cx + cy * cy + cz * cz);
    const c = from[0] * to[0] + from[1] * to[1] + from[2] * to[2];
    const deg = Math.atan2(s, c) * 180 / Math.PI;
    if (s > 1e-9) return rotation(cx / s, cy / s, cz / s, deg);
    if (c > 0) return [1, 0, 0, 0, 1, 0, 0, 0, 1];
    // Opposite vectors: half a turn about any axis perpendicular to them.
    const p = Math.abs(from[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
    const px = from[1] * p[2] - from[2] * p[1], py = from[2] * p[0] - from[0] * p[2], pz = from[0] * p[1] - from[1] * p[0];
    const pl = Math.sqrt(px * px + py * py + pz * pz);
    return rotation(px / pl, py / pl, pz / pl, 180);
}

/** Row-major 3x3 product a * b (b applied first). */
export function multiplyRotations(a: number[], b: number[]): number[] {
    const m: number[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) m.push(a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j]);
    return m;
}

/** A copy of a recording with the board turned by rotation `m` (row-major 3x3), clipped to +-2.04 g. */
export function rotateRecording(r: Recording, m: number[]): Recording {
    const clip = (v: number) => Math.max(-SATURATION_G, Math.min(SATURATION_G, v));
    const x: number[] = [], y: number[] = [], z: number[] = [];
    for (let k = 0; k < r.x.length; k++) {
        x.push(clip(m[0] * r.x[k] + m[1] * r.y[k] + m[2] * r.z[k]));
        y.push(clip(m[3] * r.x[k] + m[4] * r.y[k] + m[5] * r.z[k]));
        z.push(clip(m[6] * r.x[k] + m[7] * r.y[k] + m[8] * r.z[k]));
    }
    return { label: r.label, index: r.index, x, y, z };
}

/** The mean reading of a recording (x, y, z in g): for a board held still, gravity. */
export function meanReading(r: Recording): number[] {
    return [r.x, r.y, r.z].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
}

/** Root of the summed per-axis variances of a recording, g: about 0.01 for a board lying still, 1 or more for a shake. */
export function movementG(r: Recording): number {
    const mean = meanReading(r);
    let sum = 0;
    [r.x, r.y, r.z].forEach((v, a) => { for (const g of v) sum += (g - mean[a]) * (g - mean[a]); });
    return Math.sqrt(sum / r.x.length);
}

/**
 * How much the recordings agree on which way the board is held: the length of the mean of their
 * mean readings' directions (the "mean resultant length"). 1: all in one orientation (Still up:
 * all face up); near 0: orientations all round (still on each of its six faces).
 */
export function orientationAgreement(recordings: Recording[]): number {
    const sum = [0, 0, 0];
    for (const r of recordings) {
        const m = meanReading(r);
        const len = Math.sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]) || 1;
        for (let a = 0; a < 3; a++) sum[a] += m[a] / len;
    }
    return recordings.length ? Math.sqrt(sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]) / recordings.length : 1;
}

/**
 * A randomly augmented window of raw g values: a random start (time shift), speed, rotation of
 * the board (up to `aug.rotationDeg`, or any rotation at all when `anyOrientation`), amplitude
 * scale and noise, clipped to the accelerometer's +-2.04 g as a real reading.
 */
export function augmentedWindow(r: Recording, w: WindowSpec, aug: Augmentation, rng: Random, anyOrientation = false): number[] {
    const speed = rng.uniform(1 - aug.speed, 1 + aug.speed);
    const span = windowDurationMs(w) * speed;
    const lo = Math.min(0, recordingDurationMs(r) - span) - aug.shiftMs;
    const hi = Math.max(0, recordingDurationMs(r) - span) + aug.shiftMs;
    const win = cutWindow(r, w, rng.uniform(lo, hi), speed);
    // A uniformly random axis: a normal 3-vector, normalized.
    let ux = rng.normal(), uy = rng.normal(), uz = rng.normal();
    const len = Math.sqrt(ux * ux + uy * uy + uz * uz) || 1;
    ux /= len; uy /= len; uz /= len;
    const angle = rng.uniform(-aug.rotationDeg, aug.rotationDeg);
    const m = anyOrientation ? randomRotation(rng) : rotation(ux, uy, uz, angle);
    const gain = rng.uniform(1 - aug.scale, 1 + aug.scale);
    for (let k = 0; k < win.length; k += 3) {
        const x = win[k], y = win[k + 1], z = win[k + 2];
        for (let a = 0; a < 3; a++) {
            const v = gain * (m[3 * a] * x + m[3 * a + 1] * y + m[3 * a + 2] * z) + aug.noiseG * rng.normal();
            win[k + a] = Math.max(-SATURATION_G, Math.min(SATURATION_G, v));
        }
    }
    return win;
}

/** Per-axis mean and 1/std over some windows of raw g values: offset and scale that make each axis about N(0, 1). */
export function fitNormalization(windows: number[][]): Normalization {
    const sum = [0, 0, 0], sq = [0, 0, 0];
    let n = 0;
    for (const win of windows) {
        for (let k = 0; k < win.length; k += 3) {
            for (let a = 0; a < 3; a++) {
                sum[a] += win[k + a];
                sq[a] += win[k + a] * win[k + a];
            }
            n++;
        }
    }
    // Rounded so that the metadata text and the training use exactly the same numbers.
    const round = (v: number) => Number(v.toPrecision(6));
    const offset = sum.map((s) => round(s / n));
    const scale = sq.map((s, a) => {
        const variance = s / n - (sum[a] / n) * (sum[a] / n);
        return round(1 / Math.sqrt(Math.max(variance, 1e-6)));
    });
    return { offset, scale };
}

/** Normalizes a window of raw g values (x0 y0 z0 x1 ...) in place, as the pipeline does before invoking. */
export function normalizeWindow(win: number[], norm: Normalization): number[] {
    for (let k = 0; k < win.length; k++) win[k] = (win[k] - norm.offset[k % 3]) * norm.scale[k % 3];
    return win;
}
