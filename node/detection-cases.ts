// Generated models of TFLite_Detection_PostProcess (libs/tflite/kernel_detection.ts). TFLM's goldens
// (tools/tflm-goldens-detection.ts) take every draft; the fuzzer and the native replay one at
// random. TFLM's branches: fast NMS (one class per box, or several, which TFLM places apart;
// more than there are classes) and regular NMS (per class, merged and cut at max_detections,
// the rest of the outputs zeros); with or without a background column; boxes of 4 values or
// more; nothing above the score threshold; 20 or more kept boxes (the merge sort past its
// insertion sort); equal scores (ties ordered by index); NaN class scores (the heap sort's order
// with them); half sizes whose exp overflows to infinity; anchors constant or a model input.
// Every decoded box has ymin < ymax and xmin < xmax (else TFLM fails the invoke).
import * as flex from "flatbuffers/js/flexbuffers";
import type { Rand } from "./fuzz";
import { encodeValues, SingleOpSpec, TensorSpec } from "./model-writer";

/** One case before anything ran it: the branches it takes, the model, the model inputs' bytes. */
export interface DetectionDraft {
    covers: string[];
    spec: SingleOpSpec;
    inputs: Buffer[];
    /** Fast NMS leaves the places it does not fill as they were: TFLM's goldens zero the outputs first. */
    zeroOutputs: boolean;
}

interface Options {
    max_detections: number;
    max_classes_per_detection: number;
    detections_per_class?: number;
    use_regular_nms?: boolean;
    nms_score_threshold: number;
    nms_iou_threshold: number;
    num_classes: number;
    y_scale: number;
    x_scale: number;
    h_scale: number;
    w_scale: number;
}

interface Shape {
    boxes: number;
    classes: number;
    background: boolean;
    /** Values per box in the box encodings. */
    stride: number;
}

/**
 * Anchors on a few places (several boxes share one, so that NMS suppresses), sizes 0.1 to 0.5;
 * encodings that move them a little and scale them by e^(-1..1).
 */
function boxData(rand: Rand, s: Shape, o: Options, hugeSizes: boolean): { encodings: number[]; anchors: number[] } {
    const places = Math.max(1, Math.ceil(s.boxes / 3));
    const centers: number[][] = [];
    for (let i = 0; i < places; i++) centers.push([rand.next(), rand.next()]);
    const encodings: number[] = [], anchors: number[] = [];
    for (let b = 0; b < s.boxes; b++) {
        const [y, x] = centers[rand.int(0, places - 1)];
        anchors.push(Math.fround(y), Math.fround(x), Math.fround(0.1 + 0.4 * rand.next()), Math.fround(0.1 + 0.4 * rand.next()));
        encodings.push(Math.fround((rand.next() - 0.5) * o.y_scale * 0.5), Math.fround((rand.next() - 0.5) * o.x_scale * 0.5));
        // exp of 800 is infinity in double: corners of -inf and inf (TFLM's boxes still pass).
        const big = hugeSizes && b % 4 === 1;
        encodings.push(Math.fround(big ? 800 * o.h_scale : (rand.next() * 2 - 1) * o.h_scale),
            Math.fround(big ? 800 * o.w_scale : (rand.next() * 2 - 1) * o.w_scale));
        for (let k = 4; k < s.stride; k++) encodings.push(Math.fround(rand.next() * 8 - 4));
    }
    return { encodings, anchors };
}

/** Scores in [0, 1); `levels` > 0 draws from that many values only (ties); NaNs at the given share. */
function scoreData(rand: Rand, count: number, levels: number, nanShare: number): number[] {
    const res: number[] = [];
    for (let i = 0; i < count; i++) {
        if (rand.chance(nanShare)) res.push(NaN);
        else res.push(Math.fround(levels > 0 ? rand.int(0, levels - 1) / levels : rand.next()));
    }
    return res;
}

function draft(rand: Rand, covers: string[], s: Shape, o: Options,
    extra: { levels?: number; nanShare?: number; hugeSizes?: boolean; anchorsInput?: boolean } = {}): DetectionDraft {
    const columns = s.classes + (s.background ? 1 : 0);
    const { encodings, anchors } = boxData(rand, s, o, extra.hugeSizes ?? false);
    const scores = scoreData(rand, s.boxes * columns, extra.levels ?? 0, extra.nanShare ?? 0);
    const regular = o.use_regular_nms ?? false;
    const categories = Math.min(o.max_classes_per_detection, s.classes);
    const slots = regular ? o.max_detections : categories * categories * Math.min(s.boxes, o.max_detections);
    const f32 = (shape: number[], data?: number[]): TensorSpec => ({ shape, type: "float32", ...(data ? { data } : {}) });
    const inputs = [encodeValues("float32", encodings), encodeValues("float32", scores)];
    if (extra.anchorsInput) inputs.push(encodeValues("float32", anchors));
    const options: { [key: string]: number | boolean } = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) options[k] = v;
    return {
        covers: [regular ? "regular" : "fast", s.background ? "background" : "no-background"].concat(covers),
        inputs,
        zeroOutputs: true,
        spec: {
            op: "CUSTOM", customCode: "TFLite_Detection_PostProcess", customOptions: Buffer.from(flex.encode(options)),
            inputs: [f32([1, s.boxes, s.stride]), f32([1, s.boxes, columns]), f32([s.boxes, 4], extra.anchorsInput ? undefined : anchors)],
            outputs: [f32([1, slots, 4]), f32([1, slots]), f32([1, slots]), f32([1])],
        },
    };
}

// Float options are float32 values, so that the map's slots are 4 bytes wide: flatbuffers'
// JavaScript FlexBuffer writer stores a value that float32 holds as a float32 even in a map of
// 8-byte slots (one float64 value makes them so), and its own reader then reads 0.5 as 5.2e-315.
const SCALES = { y_scale: 10, x_scale: 10, h_scale: 5, w_scale: 5 };

export function detectionPostprocessDrafts(rand: Rand): DetectionDraft[] {
    const fast = (maxDetections: number, categories: number, classes: number, threshold = 0.375, iou = 0.5): Options =>
        ({ max_detections: maxDetections, max_classes_per_detection: categories, nms_score_threshold: threshold,
            nms_iou_threshold: iou, num_classes: classes, ...SCALES });
    const regular = (maxDetections: number, perClass: number | undefined, classes: number, threshold = 0.375, iou = 0.5): Options =>
        ({ ...fast(maxDetections, 1, classes, threshold, iou), use_regular_nms: true,
            ...(perClass === undefined ? {} : { detections_per_class: perClass }) });
    const b = rand.int(6, 12);
    return [
        draft(rand, ["one-class-per-box"], { boxes: b, classes: 3, background: true, stride: 4 }, fast(3, 1, 3)),
        draft(rand, ["one-class-per-box", "stride-6", "anchors-input"], { boxes: b, classes: 2, background: false, stride: 6 },
            fast(4, 1, 2, 0.25), { anchorsInput: true }),
        draft(rand, ["classes-per-box-2"], { boxes: b, classes: 4, background: true, stride: 4 }, fast(3, 2, 4, 0.125)),
        draft(rand, ["classes-per-box-above-classes"], { boxes: 5, classes: 2, background: true, stride: 4 }, fast(2, 5, 2, 0.125)),
        draft(rand, ["none-above-threshold"], { boxes: b, classes: 3, background: true, stride: 4 }, fast(3, 1, 3, 2)),
        draft(rand, ["merge-sort", "iou-1"], { boxes: 45, classes: 3, background: true, stride: 4 }, fast(10, 1, 3, 0.0625, 1)),
        draft(rand, ["ties"], { boxes: 24, classes: 3, background: false, stride: 4 }, fast(8, 2, 3, 0.25, 0.3125), { levels: 3 }),
        draft(rand, ["nan-scores"], { boxes: b, classes: 5, background: true, stride: 4 }, fast(4, 3, 5, 0.125), { nanShare: 0.3 }),
        draft(rand, ["huge-sizes"], { boxes: 8, classes: 2, background: true, stride: 4 }, fast(4, 1, 2, 0.125), { hugeSizes: true }),
        draft(rand, ["max-detections-above-boxes"], { boxes: 4, classes: 2, background: true, stride: 5 }, fast(9, 1, 2, 0)),
        draft(rand, ["zeros-after"], { boxes: b, classes: 3, background: true, stride: 4 }, regular(8, 2, 3)),
        draft(rand, ["cut-at-max"], { boxes: b, classes: 4, background: false, stride: 4 }, regular(3, 3, 4, 0.125)),
        draft(rand, ["ties", "detections-per-class-default"], { boxes: 24, classes: 3, background: true, stride: 4 },
            regular(12, undefined, 3, 0.25, 0.375), { levels: 4 }),
        draft(rand, ["merge-sort"], { boxes: 45, classes: 2, background: true, stride: 4 }, regular(15, 10, 2, 0.0625, 0.625)),
        draft(rand, ["nan-scores", "stride-7"], { boxes: b, classes: 3, background: false, stride: 7 }, regular(6, 2, 3, 0.25),
            { nanShare: 0.3 }),
        draft(rand, ["none-above-threshold"], { boxes: 5, classes: 2, background: true, stride: 4 }, regular(3, 2, 2, 1.5)),
    ];
}

/** Every op's drafts by tools/make-tflm-goldens.ts's name for it. */
export const DETECTION_DRAFTS: { [op: string]: (rand: Rand) => DetectionDraft[] } = {
    detection_postprocess: detectionPostprocessDrafts,
};
