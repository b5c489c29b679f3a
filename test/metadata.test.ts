// The STS reader of a model's "pxt-tinyml" key=value metadata (libs/tflite/metadata.ts), and the
// gesture metadata the Node side writes.
import * as assert from "assert";
import { loadTflite } from "../node/sts-runtime";
import { GraphBuilder } from "../node/model-writer";
import { gestureMetadataText, BUILTIN } from "../node/gesture-model";
import { runStsProgram } from "../node/simulator";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildLoaderTool } from "../node/c-loader";
import { prng } from "../node/fuzz";

const tflite = loadTflite();

function entries(text: string | Buffer): [string, string][] {
    const b = Buffer.isBuffer(text) ? text : Buffer.from(text, "utf8");
    return tflite.parseMetadataText(b, 0, b.length).map((e: any) => [e.key, e.value]);
}

function throwsTflite(f: () => any, pattern: RegExp) {
    assert.throws(f, (e: any) => {
        assert.strictEqual(typeof e, "string", `expected an interpreter error, got ${e}`);
        assert.match(e, pattern);
        return true;
    });
}

/** A one-op model (RELU) carrying the given metadata entries. */
function modelWith(metadata: { name: string; data: Buffer }[]): Buffer {
    const g = new GraphBuilder();
    const x = g.input({ shape: [1, 2], type: "int8", scale: 0.1, zeroPoint: 0 });
    const y = g.output(g.tensor({ shape: [1, 2], type: "int8", scale: 0.1, zeroPoint: 0 }));
    g.op("RELU", [x], [y]);
    for (const m of metadata) g.addMetadata(m.name, m.data);
    return g.toBuffer();
}

describe("model metadata (key=value text)", () => {
    it("reads key=value lines in order: repeated keys, CRLF, comments, blank lines, '=' in values, empty values", () => {
        assert.deepStrictEqual(entries("a=1\r\n# a comment\n\nlabel=one\nlabel=two words\nexpr=x=y\nempty=\nlast=no newline"), [
            ["a", "1"], ["label", "one"], ["label", "two words"], ["expr", "x=y"], ["empty", ""], ["last", "no newline"],
        ]);
        assert.deepStrictEqual(entries(""), []);
        assert.deepStrictEqual(entries("\n\n"), []);
    });

    it("decodes UTF-8: accents, CJK, emoji as surrogate pairs; malformed bytes as U+FFFD", () => {
        assert.deepStrictEqual(entries("label=Händewaschen\nlabel=揺れ\nlabel=wave 👋"), [
            ["label", "Händewaschen"], ["label", "揺れ"], ["label", "wave 👋"],
        ]);
        // A lone continuation byte, a truncated 2-byte sequence, an overlong '/' (c0 af), a surrogate (ed a0 80).
        const bad = Buffer.concat([Buffer.from("k="), Buffer.from([0x80, 0x41, 0xc3]), Buffer.from("\nj="), Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80])]);
        assert.deepStrictEqual(entries(bad), [["k", "\ufffdA\ufffd"], ["j", "\ufffd\ufffd\ufffd"]]);
    });

    it("reads a window of a larger buffer", () => {
        const b = Buffer.from("xxa=1\nb=2yy");
        assert.deepStrictEqual(tflite.parseMetadataText(b, 2, 7).map((e: any) => [e.key, e.value]), [["a", "1"], ["b", "2"]]);
        throwsTflite(() => tflite.parseMetadataText(b, 5, 10), /metadata text at 5 \(10 bytes\) is outside the 11-byte buffer/);
    });

    it("fails on a line without '=' naming the line", () => {
        throwsTflite(() => entries("a=1\n# fine\nno equals here\n"), /^tflite: model metadata line 3 is not key=value: 'no equals here'$/);
    });

    it("looks up values, lists and numbers", () => {
        const b = Buffer.from("label=a\nn=40\nlabel=b\nv=0.5, -1.25 ,3e-2,+7,-.5\nbad=1.5x\nlist=1,,2\nlabel=c\n");
        const e = tflite.parseMetadataText(b, 0, b.length);
        assert.deepStrictEqual(tflite.metadataValues(e, "label"), ["a", "b", "c"]);
        assert.deepStrictEqual(tflite.metadataValues(e, "nope"), []);
        assert.strictEqual(tflite.metadataValue(e, "label", "?"), "a");
        assert.strictEqual(tflite.metadataValue(e, "nope", "?"), "?");
        assert.strictEqual(tflite.metadataNumber(e, "n", 0), 40);
        assert.strictEqual(tflite.metadataNumber(e, "nope", -3), -3);
        assert.deepStrictEqual(tflite.metadataNumbers(e, "v"), [0.5, -1.25, 0.03, 7, -0.5]);
        assert.deepStrictEqual(tflite.metadataNumbers(e, "nope"), []);
        throwsTflite(() => tflite.metadataNumber(e, "bad", 0), /^tflite: model metadata bad: '1.5x' is not a number$/);
        throwsTflite(() => tflite.metadataNumbers(e, "list"), /^tflite: model metadata list: '' is not a number$/);
        throwsTflite(() => tflite.metadataNumber(e, "label", 0), /model metadata label: 'a' is not a number/);
        for (const notNumber of ["-", ".", "e5", "1e", "1.2.3", "0x10", "1 2"]) {
            const t = Buffer.from(`k=${notNumber}`);
            throwsTflite(() => tflite.metadataNumber(tflite.parseMetadataText(t, 0, t.length), "k", 0), /is not a number/);
        }
    });

    it("finds the pxt-tinyml entry among a model's metadata; none gives an empty list", () => {
        const model = modelWith([
            { name: "min_runtime_version", data: Buffer.from("1.5.0\0") },
            { name: "pxt-tinyml", data: Buffer.from("format=test\nlabel=up\nlabel=down\n") },
        ]);
        const ip = new tflite.StsInterpreter(model);
        const e = tflite.modelMetadata(ip.model);
        assert.deepStrictEqual(e.map((x: any) => [x.key, x.value]), [["format", "test"], ["label", "up"], ["label", "down"]]);
        assert.deepStrictEqual(tflite.modelMetadata(tflite.parseModel(modelWith([]))), []);
        assert.deepStrictEqual(tflite.modelMetadata(tflite.parseModel(modelWith([{ name: "other", data: Buffer.from("a=1") }]))), []);
    });

    it("reads back the gesture metadata the Node side writes, numbers exactly", () => {
        const norm = { offset: [0.012345, -0.2, 0.987654], scale: [1.618034, 1.414214, 2] };
        const text = gestureMetadataText(["Shake", "Still", "Händewaschen"], { samplePeriodMs: 40, windowSamples: 32 }, norm);
        assert.strictEqual(text, "format=pxt-tinyml-gesture/1\nlabel=Shake\nlabel=Still\nlabel=Händewaschen\nsample_period_ms=40\n" +
            "window_samples=32\naxes=x,y,z\nunits=g\noffset=0.012345,-0.2,0.987654\nscale=1.618034,1.414214,2\n");
        const model = modelWith([{ name: "pxt-tinyml", data: Buffer.from(text, "utf8") }]);
        const e = tflite.modelMetadata(tflite.parseModel(model));
        assert.deepStrictEqual(tflite.metadataValues(e, "label"), ["Shake", "Still", "Händewaschen"]);
        assert.strictEqual(tflite.metadataNumber(e, "sample_period_ms", 0), 40);
        assert.strictEqual(tflite.metadataNumber(e, "window_samples", 0), 32);
        assert.strictEqual(tflite.metadataValue(e, "axes", ""), "x,y,z");
        assert.deepStrictEqual(tflite.metadataNumbers(e, "offset"), norm.offset);
        assert.deepStrictEqual(tflite.metadataNumbers(e, "scale"), norm.scale);
        assert.throws(() => gestureMetadataText(["two\nlines"], { samplePeriodMs: 40, windowSamples: 32 }, norm), /a label must be one line/);
    });
});

/** A random metadata text: keys, values, numbers, comments, CR/LF, UTF-8 and malformed bytes. */
function randomMetadataText(rand: () => number): Buffer {
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    const words = ["label", "k", "x", " ", "=", "Hä", "揺", "👋", ",", "#", "0x1", "1e", "."].map((a) => Buffer.from(a, "utf8"));
    const numbers = ["1", "-2.5", " 3e-2 ", "+.5e+3", "7.", "1e", ".", "-", "1.2.3", "12 ", "1 2", "0.012345"];
    const bytes = [0x80, 0xc3, 0xc0, 0xaf, 0xed, 0xa0, 0xe2, 0x82, 0xf0, 0x9f, 0xf5, 0xff, 0xef, 0xbf, 0xbd, 0x0d];
    const some = (k: number): Buffer => {
        const parts: Buffer[] = [];
        for (let i = Math.floor(rand() * k); i > 0; i--) parts.push(rand() < 0.8 ? pick(words) : Buffer.from([pick(bytes)]));
        return Buffer.concat(parts);
    };
    const lines: Buffer[] = [];
    for (let n = 1 + Math.floor(rand() * 6); n > 0; n--) {
        const r = rand();
        if (r < 0.1) lines.push(Buffer.concat([Buffer.from("#"), some(4)]));
        else if (r < 0.15) lines.push(Buffer.alloc(0));
        else if (r < 0.2) lines.push(Buffer.from(pick(["no equals", "x", "\u00e9"]), "utf8"));
        else lines.push(Buffer.concat([some(3), Buffer.from("="), rand() < 0.5 ? Buffer.from(pick(numbers)) : some(5)]));
    }
    return Buffer.concat(lines.map((l, i) => Buffer.concat([l, Buffer.from(i + 1 < lines.length || rand() < 0.5 ? pick(["\n", "\r\n"]) : "")])));
}

describe("model metadata: the board's C reader (kernels/metadata.c) against the STS one", function () {
    this.timeout(10 * 60 * 1000);
    let tool = "";
    before(() => { tool = buildLoaderTool(); });

    it("reads the same entries, numbers and errors from 600 generated texts", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metadata-"));
        const rand = prng(20261206);
        let entriesSeen = 0, errors = 0, numbers = 0;
        for (let t = 0; t < 600; t++) {
            const text = randomMetadataText(rand);
            const file = path.join(dir, "text");
            fs.writeFileSync(file, text);
            const lines = childProcess.execFileSync(tool, ["metadata", file], { encoding: "utf8" }).trimEnd().split("\n").filter((l) => l);
            const hex = (s: string) => s.length ? Buffer.from(s, "utf8").toString("hex") : "-";
            let want: string[];
            try {
                want = tflite.parseMetadataText(text, 0, text.length).map((e: any) =>
                    `entry ${hex(e.key)} ${hex(e.value)} number ${isNaN(tflite.parseDecimal(e.value)) ? "no" : "ok"}`);
            } catch (e) {
                const m = /^tflite: model metadata line (\d+) is not key=value: '([^]*)'$/.exec(e as string);
                assert.ok(m, `${text.toString("hex")}: ${e}`);
                errors++;
                const last = lines[lines.length - 1];
                assert.strictEqual(last, `error ${m[1]} ${hex(m[2])}`, text.toString("hex"));
                continue;
            }
            const got = lines.map((l) => l.replace(/ number \d+ \d+$/, " number ok"));
            assert.deepStrictEqual(got, want, text.toString("hex"));
            entriesSeen += want.length;
            numbers += want.filter((w) => w.endsWith("ok")).length;
        }
        assert.ok(entriesSeen > 300 && errors > 50 && numbers > 30, `${entriesSeen} entries, ${errors} errors, ${numbers} numbers`);
    });
});

describe("model metadata in the micro:bit simulator", function () {
    this.timeout(300000);

    it("pxt compiles the reader and libs/gestures/model.ts; the built-in model's metadata reads as in Node", async () => {
        const root = path.resolve(__dirname, "..", "..");
        const modelSource = fs.readFileSync(path.join(root, BUILTIN.sourceFile), "utf8");
        const program = modelSource + `
const interpreter = tflite.loadModel(gestures.builtinModel())
const entries = interpreter.metadata()
serial.writeLine("labels " + tflite.metadataValues(entries, "label").join("|"))
serial.writeLine("window " + tflite.metadataNumber(entries, "window_samples", 0) + " every " + tflite.metadataNumber(entries, "sample_period_ms", 0))
serial.writeLine("offset " + tflite.metadataNumbers(entries, "offset").join(","))
serial.writeLine("scale " + tflite.metadataNumbers(entries, "scale").join(","))
serial.writeLine("same labels " + (tflite.metadataValues(entries, "label").join("|") === gestures.builtinLabels.join("|")))
`;
        const run = await runStsProgram("metadata", program);
        const model = fs.readFileSync(path.join(root, BUILTIN.modelFile));
        const e = tflite.modelMetadata(tflite.parseModel(model));
        assert.deepStrictEqual(run.lines, [
            "labels " + tflite.metadataValues(e, "label").join("|"),
            "window 32 every 40",
            "offset " + tflite.metadataNumbers(e, "offset").join(","),
            "scale " + tflite.metadataNumbers(e, "scale").join(","),
            "same labels true",
        ]);
    });
});
