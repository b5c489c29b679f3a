// TFLite_Detection_PostProcess (libs/tflite/kernel_detection.ts, kernels/prepare_detection.c,
// kernels/detection.c) past what TFLM's goldens show (test/tflm_goldens.test.ts runs those): that
// the goldens reach every branch, models both loaders refuse with the same message, boxes TFLM
// rejects at invoke leaving the outputs as they were in the STS and in C, and the double exp of
// the box decoding against the host's glibc.
import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as flex from "flatbuffers/js/flexbuffers";
import { buildLoaderTool, cLoaderDump, cLoaderRun, stsLoaderDump } from "../node/c-loader";
import { encodeValues, singleOpModel, SingleOpSpec, TensorSpec, TypeName } from "../node/model-writer";
import { loadTflite } from "../node/sts-runtime";
import type { GoldenManifest } from "../tools/make-tflm-goldens";

const ROOT = path.join(__dirname, "..", "..");
const GOLDENS = path.join(ROOT, "test", "tflm-goldens");
const tflite = loadTflite();

const OPTIONS = {
    max_detections: 3, max_classes_per_detection: 1, nms_score_threshold: 0.25, nms_iou_threshold: 0.5, num_classes: 2,
    y_scale: 10, x_scale: 10, h_scale: 5, w_scale: 5,
};

const t = (shape: number[], type: TypeName = "float32"): TensorSpec =>
    ({ shape, type, ...(type === "float32" ? {} : { scale: 0.5, zeroPoint: 0 }) });

/** Boxes [1, boxes, 4], scores [1, boxes, 3] (a background column), anchors, outputs of 3 detections. */
function spec(options: object = OPTIONS, change: (s: SingleOpSpec) => void = () => undefined, boxes = 4): SingleOpSpec {
    const s: SingleOpSpec = {
        op: "CUSTOM", customCode: "TFLite_Detection_PostProcess", customOptions: Buffer.from(flex.encode(options)),
        inputs: [t([1, boxes, 4]), t([1, boxes, 3]), t([boxes, 4])],
        outputs: [t([1, 3, 4]), t([1, 3]), t([1, 3]), t([1])],
    };
    change(s);
    return s;
}

function without(options: { [key: string]: unknown }, key: string): object {
    const res = { ...options };
    delete res[key];
    return res;
}

function loadBoth(model: Buffer): { ok: boolean; text: string } {
    const sts = stsLoaderDump(model);
    assert.deepStrictEqual(cLoaderDump(model), sts);
    return sts;
}

describe("TFLite_Detection_PostProcess: coverage, refusals, rejected boxes, exp", () => {
    before(() => buildLoaderTool());

    it("has TFLM goldens for every branch of TFLM's kernel", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "detection_postprocess", "manifest.json"), "utf8"));
        assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
        const covers = (mode: string, w: string) => m.cases.some((c) => c.covers.includes(mode) && c.covers.includes(w));
        for (const mode of ["fast", "regular"])
            for (const w of ["background", "no-background", "merge-sort", "ties", "nan-scores", "none-above-threshold"])
                assert.ok(covers(mode, w), `${mode} ${w}`);
        for (const w of ["one-class-per-box", "classes-per-box-2", "classes-per-box-above-classes", "huge-sizes", "anchors-input",
            "max-detections-above-boxes", "iou-1"])
            assert.ok(covers("fast", w), `fast ${w}`);
        for (const w of ["zeros-after", "cut-at-max", "detections-per-class-default"]) assert.ok(covers("regular", w), `regular ${w}`);
    });

    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "int8 class predictions (TFLM's NMS takes float32 only)", spec: spec(OPTIONS, (s) => { s.inputs[1] = t([1, 4, 3], "int8"); }),
            message: /class predictions tensor 1 'input1' INT8\[1,4,3\] must be FLOAT32 \(TFLM's kernel takes float32 only\)$/ },
        { name: "uint8 anchors (TFLM reads them as float32)", spec: spec(OPTIONS, (s) => { s.inputs[2] = t([4, 4], "uint8"); }),
            message: /anchors tensor 2 'input2' UINT8\[4,4\] must be FLOAT32 \(TFLM's kernel takes float32 only\)$/ },
        { name: "box encodings of rank 2", spec: spec(OPTIONS, (s) => { s.inputs[0] = t([4, 4]); }),
            message: /box encodings tensor 0 'input0' FLOAT32\[4,4\] must have rank 3$/ },
        { name: "3 values per box", spec: spec(OPTIONS, (s) => { s.inputs[0] = t([1, 4, 3]); }),
            message: /box encodings tensor 0 'input0' FLOAT32\[1,4,3\] must be \[1, boxes, 4 or more\]$/ },
        { name: "a batch of 2", spec: spec(OPTIONS, (s) => { s.inputs[1] = t([2, 4, 3]); }),
            message: /class predictions tensor 1 'input1' FLOAT32\[2,4,3\] must be \[1, 4, classes\]$/ },
        { name: "too few anchors", spec: spec(OPTIONS, (s) => { s.inputs[2] = t([3, 4]); }),
            message: /anchors tensor 2 'input2' FLOAT32\[3,4\] must hold 4 values for each of the 4 boxes$/ },
        { name: "two columns more than the classes", spec: spec({ ...OPTIONS, num_classes: 1 }),
            message: /must have num_classes \(1\) or num_classes \+ 1 \(a background class first\) columns$/ },
        { name: "an IoU threshold above 1", spec: spec({ ...OPTIONS, nms_iou_threshold: 1.25 }),
            message: /custom option 'nms_iou_threshold' must be above 0 and at most 1 \(TFLM's check\)$/ },
        { name: "an IoU threshold of 0", spec: spec({ ...OPTIONS, nms_iou_threshold: 0 }),
            message: /custom option 'nms_iou_threshold' must be above 0 and at most 1 \(TFLM's check\)$/ },
        { name: "no num_classes", spec: spec(without(OPTIONS, "num_classes")), message: /custom option 'num_classes' is missing$/ },
        { name: "a string max_detections", spec: spec({ ...OPTIONS, max_detections: "3" }), message: /expected an integer, found string$/ },
        { name: "negative max_detections", spec: spec({ ...OPTIONS, max_detections: -1 }),
            message: /custom option 'max_detections' = -1 must be 0 or more$/ },
        { name: "fast NMS of 0 classes per box", spec: spec({ ...OPTIONS, max_classes_per_detection: 0 }),
            message: /custom option 'max_classes_per_detection' must be 1 or more for fast NMS \(TFLM's check\)$/ },
        { name: "regular NMS of 0 detections per class", spec: spec({ ...OPTIONS, use_regular_nms: true, detections_per_class: 0 }),
            message: /custom option 'detections_per_class' must be 1 or more for regular NMS \(TFLM's check\)$/ },
        { name: "outputs smaller than TFLM's fast NMS writes with 2 classes per box",
            spec: spec({ ...OPTIONS, max_classes_per_detection: 2 }),
            message: /output 0 tensor 3 'output0' FLOAT32\[1,3,4\] must hold 48 values or more \(TFLM writes that many\)$/ },
        { name: "an int32 count", spec: spec(OPTIONS, (s) => { s.outputs[3] = { shape: [1], type: "int32" }; }),
            message: /output 3 tensor 6 'output3' INT32\[1\] must be FLOAT32$/ },
        { name: "two inputs", spec: spec(OPTIONS, (s) => { s.inputs.pop(); }),
            message: /needs 3 inputs \(box encodings, class predictions, anchors\) and 4 outputs, has 2 and 4$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const res = loadBoth(singleOpModel(c.spec));
            assert.ok(!res.ok, "loaded");
            assert.match(res.text, c.message);
        });

    it("leaves the outputs as they were when a decoded box is empty (TFLM fails that invoke), in the STS and in C", () => {
        // Box 2's anchor has height 0: its ymin equals its ymax.
        const anchors = [0.5, 0.5, 0.2, 0.2, 0.3, 0.3, 0.2, 0.2, 0.6, 0.6, 0, 0.2, 0.1, 0.1, 0.3, 0.3];
        const model = singleOpModel(spec(OPTIONS, (s) => { s.inputs[2] = { ...t([4, 4]), data: anchors }; }));
        const inputs = [encodeValues("float32", new Array(16).fill(0)), encodeValues("float32", [0, 0.9, 0.1, 0, 0.8, 0.5, 0, 0.3, 0.6, 0, 0.7, 0.2])];
        const ip = new tflite.StsInterpreter(model);
        inputs.forEach((b, i) => ip.setInputBytes(i, b));
        ip.invoke();
        const sts = Buffer.concat([0, 1, 2, 3].map((i) => Buffer.from(ip.outputBytes(i))));
        assert.deepStrictEqual(sts, Buffer.alloc(4 * (12 + 3 + 3 + 1)));
        assert.deepStrictEqual(cLoaderRun(model, inputs), sts);
        // With a height the same model detects: box 0 (0.9), box 3 (0.7), box 1 (0.8) overlaps box 0.
        anchors[10] = 0.2;
        const fine = singleOpModel(spec(OPTIONS, (s) => { s.inputs[2] = { ...t([4, 4]), data: anchors }; }));
        const out = cLoaderRun(fine, inputs);
        assert.strictEqual(out.readFloatLE(out.length - 4), 3);
        assert.deepStrictEqual([0, 1, 2].map((i) => out.readFloatLE(48 + 12 + 4 * i)), [Math.fround(0.9), Math.fround(0.8), Math.fround(0.7)]);
    });

    it("decodes with a double exp whose float32 half sizes equal glibc's on 2,000,000 random encodings", function () {
        // detection.c's double_exp (fdlibm's algorithm; the STS's doubleExp is the same steps)
        // against the host's exp, which TFLM calls: about 1 in 10 doubles differ in the last bit,
        // no float32 half size 0.5 * exp(h / 5) * anchor.
        if (process.platform !== "linux") this.skip();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "detection-exp-"));
        const src = path.join(dir, "exp.c");
        // Each branch of the algorithm: tiny, below ln 2 / 2, below 1.5 ln 2, the rest, 2^1024's
        // neighbourhood, subnormal results, overflow and underflow.
        const xs = [1e-10, -2e-9, 0.2, -0.34, 0.35, -1.03, 1.04, -8, 3.3, 88.7, 709.78, 709.7827, -708.5, -740, -745.2, 710];
        fs.writeFileSync(src, `#include <math.h>
#include <stdio.h>
#include "detection.c"
int main(void) {
    unsigned long long s = 88172645463325252ull;
    long doubles = 0, floats = 0;
    for (long i = 0; i < 2000000; i++) {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17;
        const float h = (float)((double)((uint32_t)s >> 8) / 16777216.0 * 80 - 40);
        s ^= s << 13; s ^= s >> 7; s ^= s << 17;
        const float anchor = (float)((double)((uint32_t)s >> 8) / 16777216.0);
        const double x = (double)h / 5.0, a = exp(x), b = double_exp(x);
        doubles += a != b;
        floats += (float)(0.5 * a * anchor) != (float)(0.5 * b * anchor);
    }
    printf("%ld %ld\\n", doubles, floats);
    const double xs[] = {XS_LIST};
    for (unsigned i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) printf("%.17g\\n", double_exp(xs[i]));
    return 0;
}
`.replace("XS_LIST", xs.map((x) => x.toPrecision(17)).join(", ")));
        const exe = path.join(dir, "exp");
        childProcess.execFileSync("gcc", ["-std=gnu99", "-O1", "-ffp-contract=off", "-DTINYML_ALL_OPS=1", `-I${path.join(ROOT, "kernels")}`, src, "-lm", "-o", exe]);
        const lines = childProcess.execFileSync(exe, { encoding: "utf8" }).trim().split("\n");
        const [doubles, floats] = lines[0].split(" ").map(Number);
        fs.rmSync(dir, { recursive: true, force: true });
        assert.ok(doubles > 0 && doubles < 400000, `${doubles} doubles differ`);
        assert.strictEqual(floats, 0);
        // The STS's steps give the C's doubles, each within a unit in the last place of exp.
        xs.forEach((x, i) => {
            const c = lines[1 + i] === "inf" ? Infinity : Number(lines[1 + i]);
            assert.strictEqual(tflite.doubleExp(x), c, `exp(${x})`);
            assert.ok(c === Math.exp(x) || Math.abs(c - Math.exp(x)) <= Math.max(Math.exp(x) * 2.3e-16, 5e-324), `exp(${x}) = ${c}`);
        });
    });
});
