// trainGestureModel's default recipe: a board lying still in a pose no training recording showed
// is "inactive" (movement, not pose), training is fast, and the same seed gives the same bytes.
import * as assert from "assert";
import { sharedPath } from "../node/conformance";
import {
    GestureDataset, Recording, Random, loadCreateAiDataset, randomRotation, rotateRecording, rotationBetween, meanReading, movementG,
    orientationAgreement,
} from "../node/gesture-data";
import { trainGestureModel, exportGestureModel, GestureClassifier, argMax, DEFAULT_TRAIN_OPTIONS, actionsInAnyOrientation } from "../node/gesture-model";

const big8 = loadCreateAiDataset(sharedPath("gestures/createai/big-8-actions.json"));
const swc = loadCreateAiDataset(sharedPath("gestures/createai/still-wave-clap-legacy.json"));
const of = (ds: GestureDataset, label: string, from: number, to: number) =>
    ds.recordings.filter((r) => ds.labels[r.label] === label && r.index >= from && r.index < to);

/** Active: wave, clap, shake; inactive: Still up recordings, each turned to a random orientation. */
function rotatedStillDataset(): GestureDataset {
    const rng = new Random(1);
    const active = [...of(swc, "wave", 0, 6), ...of(swc, "clap", 0, 6), ...of(big8, "Shake Vertical", 0, 6)].map((r, i) => ({ ...r, label: 0, index: i }));
    const inactive = of(big8, "Still up", 0, 12).map((r, i) => ({ ...rotateRecording(r, randomRotation(rng)), label: 1, index: i }));
    return { labels: ["active", "inactive"], recordings: [...active, ...inactive] };
}

/** Still down recordings (never trained on) turned to lie on each of the board's six faces, and to six random orientations. */
function unseenStillPoses(): Recording[] {
    const rng = new Random(99);
    const faces = [[0, 0, -1], [0, 0, 1], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]];
    const still = of(big8, "Still down", 0, 12);
    return still.map((r, i) => {
        const g = meanReading(r), len = Math.hypot(g[0], g[1], g[2]);
        const m = i < 6 ? rotationBetween(g.map((v) => v / len), faces[i]) : randomRotation(rng);
        return { ...rotateRecording(r, m), label: 1, index: i };
    });
}

describe("the gesture training recipe (trainGestureModel's defaults)", function () {
    this.timeout(120000);
    const ds = rotatedStillDataset();
    let tflite: Buffer;
    let trainCpuSeconds = 0;

    before(async () => {
        const since = process.cpuUsage();
        const t = await trainGestureModel(ds, { testFraction: 0, seed: 1 });
        trainCpuSeconds = process.cpuUsage(since).user / 1e6;
        assert.deepStrictEqual(t.anyOrientation, [false, true], "the still action recorded in many orientations is trained in all of them");
        tflite = exportGestureModel(t).tflite;
    });

    it("finds the still action recorded in many poses, and only it", () => {
        const inactive = ds.recordings.filter((r) => r.label === 1), active = ds.recordings.filter((r) => r.label === 0);
        assert.ok(inactive.every((r) => movementG(r) < 0.05), "the rotated Still up recordings are still");
        assert.ok(orientationAgreement(inactive) < 0.5, `rotated: agreement ${orientationAgreement(inactive)}`);
        // big-8's Still down: all 25 face down, one orientation: its pose is what it is (against
        // Still up). Its Still up is 19 recordings face up and 6 in other poses (on a side, tilted,
        // one face down): spread enough to count as "still in any pose". Moving actions never do.
        const agreement = (label: string) => orientationAgreement(big8.recordings.filter((r) => big8.labels[r.label] === label));
        assert.ok(agreement("Still down") > 0.95, `Still down agreement ${agreement("Still down")}`);
        assert.ok(agreement("Still up") < 0.8, `Still up agreement ${agreement("Still up")}`);
        assert.deepStrictEqual(actionsInAnyOrientation(8, big8.recordings, DEFAULT_TRAIN_OPTIONS.anyOrientation), [false, true, false, false, false, false, false, false]);
        assert.ok(active.every((r) => movementG(r) > 0.3));
    });

    it("calls a still board in poses it never saw 'inactive' (the int8 model in our interpreter)", () => {
        const c = new GestureClassifier(tflite);
        for (const r of unseenStillPoses()) {
            const p = c.classifyRecording(r);
            const g = meanReading(r).map((v) => v.toFixed(2)).join(", ");
            assert.strictEqual(c.labels[argMax(p)], "inactive", `still at (${g}) g: ${p.map((v) => v.toFixed(2))}`);
            assert.ok(p[1] > 0.7, `still at (${g}) g: inactive with ${p[1].toFixed(2)}`);
        }
        // And moving is still "active": recordings of the same actions it did not train on.
        const moving = [...of(big8, "Shake Vertical", 6, 12), ...of(big8, "Shake horizontal", 0, 6)];
        const right = moving.filter((r) => argMax(c.classifyRecording(r)) === 0).length;
        assert.ok(right >= moving.length - 1, `${right} of ${moving.length} moving recordings called active`);
    });

    it("trains 30 recordings in seconds", () => {
        // The goal is 10 s on this shared machine; 20 allows for other work on it.
        assert.ok(trainCpuSeconds < 20, `${trainCpuSeconds.toFixed(1)} s of CPU`);
    });

    it("gives the same bytes from the same seed", async () => {
        const again = exportGestureModel(await trainGestureModel(ds, { testFraction: 0, seed: 1 })).tflite;
        assert.ok(again.equals(tflite));
    });
});
