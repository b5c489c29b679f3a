// trainGestureModel's default recipe: a board lying still in a pose no training recording showed
// is "inactive" (movement, not pose), where the built-in model's recipe says "active"; training is
// fast, and the same seed gives the same bytes.
import * as assert from "assert";
import { sharedPath } from "../node/conformance";
import {
    GestureDataset, Recording, Random, loadCreateAiDataset, randomRotation, rotateRecording, rotationBetween, rotation, multiplyRotations,
    meanReading, movementG, orientationAgreement,
} from "../node/gesture-data";
import {
    trainGestureModel, exportGestureModel, GestureClassifier, argMax, DEFAULT_TRAIN_OPTIONS, BUILTIN, actionsInAnyOrientation,
} from "../node/gesture-model";

const big8 = loadCreateAiDataset(sharedPath("gestures/createai/big-8-actions.json"));
const of = (ds: GestureDataset, label: string, from: number, to: number) =>
    ds.recordings.filter((r) => ds.labels[r.label] === label && r.index >= from && r.index < to);

const FACES = [[0, 0, -1], [0, 0, 1], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]];
const MOVING = ["Shake Vertical", "Circle", "Shake horizontal", "Throw up", "Arm roll", "Free fall"];

/** A still recording turned to lie on `face` (the direction gravity reads), with a random heading. */
function onFace(r: Recording, face: number[], rng: Random): Recording {
    const g = meanReading(r), len = Math.hypot(g[0], g[1], g[2]);
    return rotateRecording(r, multiplyRotations(rotation(face[0], face[1], face[2], rng.uniform(-180, 180)), rotationBetween(g.map((v) => v / len), face)));
}

/**
 * Active: 2 recordings of each of big-8's six moving actions; inactive: 5 Still down recordings,
 * turned to lie on 5 of the board's 6 faces (the issue's active/inactive case, one face left out).
 */
function fiveFacesDataset(): GestureDataset {
    const rng = new Random(1);
    const active = MOVING.flatMap((l) => of(big8, l, 0, 2)).map((r, i) => ({ ...r, label: 0, index: i }));
    const inactive = of(big8, "Still down", 0, 5).map((r, i) => ({ ...onFace(r, FACES[i], rng), label: 1, index: i }));
    return { labels: ["active", "inactive"], recordings: [...active, ...inactive] };
}

/** Still up recordings (never trained on) lying on the sixth face, and in six random orientations. */
function unseenStillPoses(): Recording[] {
    const rng = new Random(99);
    return of(big8, "Still up", 0, 12).map((r, i) => ({ ...(i < 6 ? onFace(r, FACES[5], rng) : rotateRecording(r, randomRotation(rng))), label: 1, index: i }));
}

describe("the gesture training recipe (trainGestureModel's defaults)", function () {
    this.timeout(120000);
    const ds = fiveFacesDataset();
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
        assert.ok(inactive.every((r) => movementG(r) < 0.05), "the turned Still down recordings are still");
        assert.ok(orientationAgreement(inactive) < 0.5, `five faces: agreement ${orientationAgreement(inactive)}`);
        // big-8's Still down: all 25 face down, one orientation: its pose is what it is (against
        // Still up). Its Still up is 19 recordings face up and 6 in other poses (on a side, tilted,
        // one face down): spread enough to count as "still in any pose". Moving actions never do.
        const agreement = (label: string) => orientationAgreement(big8.recordings.filter((r) => big8.labels[r.label] === label));
        assert.ok(agreement("Still down") > 0.95, `Still down agreement ${agreement("Still down")}`);
        assert.ok(agreement("Still up") < 0.8, `Still up agreement ${agreement("Still up")}`);
        assert.deepStrictEqual(actionsInAnyOrientation(8, big8.recordings, DEFAULT_TRAIN_OPTIONS.anyOrientation), [false, true, false, false, false, false, false, false]);
        assert.ok(active.every((r) => movementG(r) > 0.3));
    });

    it("calls a still board in poses it never saw 'inactive' (the int8 model in our interpreter), and moving 'active'", () => {
        const c = new GestureClassifier(tflite);
        for (const r of unseenStillPoses()) {
            const p = c.classifyRecording(r);
            const g = meanReading(r).map((v) => v.toFixed(2)).join(", ");
            assert.strictEqual(c.labels[argMax(p)], "inactive", `still at (${g}) g: ${p.map((v) => v.toFixed(2))}`);
            assert.ok(p[1] > 0.7, `still at (${g}) g: inactive with ${p[1].toFixed(2)}`);
        }
        // Recordings of the same moving actions that it did not train on.
        const moving = MOVING.flatMap((l) => of(big8, l, 10, 12));
        const right = moving.filter((r) => argMax(c.classifyRecording(r)) === 0).length;
        assert.ok(right >= moving.length - 1, `${right} of ${moving.length} moving recordings called active`);
    });

    it("where the built-in model's recipe learned the pose: the sixth face is 'active' to it", async () => {
        // What the issue saw, on the same data: without the movement input and the any-pose
        // training, a board lying still on a face it never saw comes out moving.
        const old = new GestureClassifier(exportGestureModel(await trainGestureModel(ds, { ...BUILTIN.options, testFraction: 0, seed: 1 })).tflite);
        const sixthFace = unseenStillPoses().slice(0, 6);
        const calledActive = sixthFace.filter((r) => argMax(old.classifyRecording(r)) === 0).length;
        assert.ok(calledActive >= 4, `${calledActive} of 6 called active`);
    });

    it("trains 17 recordings in seconds", () => {
        // The goal is 10 s on this shared machine; 20 allows for other work on it.
        assert.ok(trainCpuSeconds < 20, `${trainCpuSeconds.toFixed(1)} s of CPU`);
    });

    it("gives the same bytes from the same seed", async () => {
        const again = exportGestureModel(await trainGestureModel(ds, { testFraction: 0, seed: 1 })).tflite;
        assert.ok(again.equals(tflite));
    });
});
