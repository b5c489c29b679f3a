// TFLM_DECODE (libs/tflite/kernel_decode.ts, kernels/prepare_decode.c, kernels/decode.c) past what
// TFLM's goldens show (test/tflm_goldens.test.ts runs those): that the goldens reach every LUT
// branch, a hand-packed case decoded to the values worked out here, in the STS and in C, and
// models both loaders refuse with the same message.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildLoaderTool, cLoaderDump, cLoaderRun, stsLoaderDump } from "../node/c-loader";
import { packIndices } from "../node/decode-cases";
import { encodeValues, singleOpModel, SingleOpSpec, TensorSpec } from "../node/model-writer";
import { loadTflite } from "../node/sts-runtime";
import type { GoldenManifest } from "../tools/make-tflm-goldens";

const ROOT = path.join(__dirname, "..", "..");
const GOLDENS = path.join(ROOT, "test", "tflm-goldens");
const tflite = loadTflite();

/** A LUT DCM header (decode type, DCM version, LUT version, bit width, stride) and the tables after it. */
function ancillary(table: Buffer, width = 3, stride = 8, decodeType = 0, dcmVersion = 1, lutVersion = 1): TensorSpec {
    const h = Buffer.alloc(16);
    h[0] = decodeType;
    h[1] = dcmVersion;
    h[4] = lutVersion;
    h[5] = width;
    h[6] = stride;
    const data = Buffer.concat([h, table]);
    return { shape: [data.length], type: "uint8", data };
}

const TABLE = encodeValues("int8", [-128, -7, 0, 3, 9, 50, 100, 127]);
const INDICES = [7, 0, 5, 2, 6, 1, 3, 4, 4, 1];

/** INT8[10] from 3-bit indices into TABLE, changed by `change`. */
function spec(change: (s: SingleOpSpec) => void = () => undefined): SingleOpSpec {
    const encoded = packIndices(INDICES, 3);
    const s: SingleOpSpec = {
        op: "CUSTOM", customCode: "TFLM_DECODE",
        inputs: [{ shape: [encoded.length], type: "uint8", data: encoded }, ancillary(TABLE)],
        outputs: [{ shape: [10], type: "int8" }],
    };
    change(s);
    return s;
}

// Prune: bits 1011 0010 | 11 keep 6 values, the zeros take the zero point (-3).
const PRUNE_BITS = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1];
const PRUNE_VALUES = encodeValues("int8", [10, -20, 30, -40, 50, -60]);

/** INT8[10] pruned with zero point -3, changed by `change`. */
function prune(change: (s: SingleOpSpec) => void = () => undefined): SingleOpSpec {
    const bitmap = packIndices(PRUNE_BITS, 1);
    const s: SingleOpSpec = {
        op: "CUSTOM", customCode: "TFLM_DECODE",
        inputs: [{ shape: [bitmap.length], type: "uint8", data: bitmap }, ancillary(PRUNE_VALUES, 0, 0, 2)],
        outputs: [{ shape: [10], type: "int8", scale: 0.5, zeroPoint: -3 }],
    };
    change(s);
    return s;
}

/** INT8[8] from a 16-bit Huffman table of a 1-bit root: 0 -> 5, 1 -> -9 (each code 1 bit long). */
function huffman(change: (s: SingleOpSpec) => void = () => undefined, tableBytes?: Buffer, sizes = 0x00, version = 1): SingleOpSpec {
    const h = Buffer.alloc(16);
    h[0] = 1;
    h[1] = 1;
    h[4] = version;
    h[5] = sizes;
    const table = tableBytes ?? encodeValues("uint16", [0x8000 | (1 << 11) | 5, 0x8000 | (1 << 11) | (-9 & 0xff)]);
    const data = Buffer.concat([h, table]);
    const codes = Buffer.from([0x68, 0, 0, 0]);
    const s: SingleOpSpec = {
        op: "CUSTOM", customCode: "TFLM_DECODE",
        inputs: [{ shape: [4], type: "uint8", data: codes }, { shape: [data.length], type: "uint8", data }],
        outputs: [{ shape: [8], type: "int8" }],
    };
    change(s);
    return s;
}

function loadBoth(model: Buffer): { ok: boolean; text: string } {
    const sts = stsLoaderDump(model);
    assert.deepStrictEqual(cLoaderDump(model), sts);
    return sts;
}

describe("TFLM_DECODE: coverage, hand-packed cases, refusals", () => {
    before(() => buildLoaderTool());

    it("has TFLM goldens for every LUT branch of TFLM's kernel", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "tflm_decode_lut", "manifest.json"), "utf8"));
        assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
        const covered = new Set(m.cases.flatMap((c) => c.covers));
        for (const w of ["bool", "float32", "int8", "int16", "int32", "int64", "width-1", "width-2", "width-3", "width-4", "width-5",
            "width-6", "width-7", "runs-of-16", "runs-of-32", "prelude", "tail", "channels-axis-0", "channels-last", "rank-1",
            "stride-longer", "pairs-3"])
            assert.ok(covered.has(w), w);
    });

    it("decodes 3-bit indices, most significant bit first, into the table's values in the STS and in C", () => {
        const model = singleOpModel(spec());
        // 7,0,5 | 2,6,1 | 3,4,4 | 1 as bits: 111 000 10|1 010 110 0|01 011 100| 100 001 00...
        assert.deepStrictEqual([...packIndices(INDICES, 3)], [0xe2, 0xac, 0x5c, 0x84]);
        const want = Buffer.from(encodeValues("int8", [127, -128, 50, 0, 100, -7, 3, 9, 9, -7]));
        const ip = new tflite.StsInterpreter(model);
        ip.invoke();
        assert.deepStrictEqual(Buffer.from(ip.outputBytes(0)), want);
        assert.deepStrictEqual(cLoaderRun(model, []), want);
    });

    it("fills a pruned INT8 tensor from its bitmap, the kept values in order and the zero point elsewhere, in the STS and in C", () => {
        const model = singleOpModel(prune());
        assert.deepStrictEqual([...packIndices(PRUNE_BITS, 1)], [0xb2, 0xc0]);
        const want = Buffer.from(encodeValues("int8", [10, -3, -20, 30, -3, -3, -40, -3, 50, -60]));
        const ip = new tflite.StsInterpreter(model);
        ip.invoke();
        assert.deepStrictEqual(Buffer.from(ip.outputBytes(0)), want);
        assert.deepStrictEqual(cLoaderRun(model, []), want);
    });

    it("has TFLM goldens for every Prune branch of TFLM's kernel", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "tflm_decode_prune", "manifest.json"), "utf8"));
        const covered = new Set(m.cases.flatMap((c) => c.covers));
        for (const w of ["bool", "float32", "int8", "int16", "int32", "int64", "zero-point-per-tensor", "zero-points-axis-0", "zero-points-last",
            "zero-points-all-0", "no-quantization", "all-ones", "all-zeros", "rank-1", "with-lut"])
            assert.ok(covered.has(w), w);
    });

    it("decodes Huffman codewords through a 16-bit root table, in the STS and in C", () => {
        const model = singleOpModel(huffman());
        // Codes 0 -> 5, 1 -> -9; codewords 0110 1000 ...
        const want = Buffer.from(encodeValues("int8", [5, -9, -9, 5, -9, 5, 5, 5]));
        const ip = new tflite.StsInterpreter(model);
        ip.invoke();
        assert.deepStrictEqual(Buffer.from(ip.outputBytes(0)), want);
        assert.deepStrictEqual(cLoaderRun(model, []), want);
    });

    it("has TFLM goldens for every Huffman branch of TFLM's kernel", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "tflm_decode_huffman", "manifest.json"), "utf8"));
        const covered = new Set(m.cases.flatMap((c) => c.covers));
        for (const w of ["int8", "int16", "table-16", "table-32", "root-only", "second-tables", "root-1-bit", "word-crossing", "with-lut"])
            assert.ok(covered.has(w), w);
    });

    const refused: { name: string; spec: SingleOpSpec; message: RegExp }[] = [
        { name: "an encoded input without its ancillary data", spec: spec((s) => { s.inputs.pop(); }),
            message: /needs pairs of inputs \(encoded, ancillary\) and one output per pair$/ },
        { name: "an encoded tensor that is a model input", spec: spec((s) => { s.inputs[0] = { shape: [4], type: "uint8" }; }),
            message: /encoded tensor 0 'input0' UINT8\[4\] must be constant$/ },
        { name: "ancillary data shorter than the DCM header",
            spec: spec((s) => { s.inputs[1] = { shape: [10], type: "uint8", data: Buffer.alloc(10) }; }),
            message: /ancillary tensor 1 'const1' UINT8\[10\] must hold the 16-byte DCM header$/ },
        { name: "DCM version 2", spec: spec((s) => { s.inputs[1] = ancillary(TABLE, 3, 8, 0, 2); }), message: /: DCM version 2 \(TFLM's is 1\)$/ },
        { name: "the custom decode type", spec: spec((s) => { s.inputs[1] = ancillary(TABLE, 3, 8, 127); }),
            message: /: the custom decode type 127 is not supported \(nor by TFLM\)$/ },
        { name: "decode type 5", spec: spec((s) => { s.inputs[1] = ancillary(TABLE, 3, 8, 5); }),
            message: /: unsupported decode type 5 \(TFLM's: 0 LUT, 1 Huffman, 2 Prune\)$/ },
        { name: "LUT version 0", spec: spec((s) => { s.inputs[1] = ancillary(TABLE, 3, 8, 0, 1, 0); }), message: /: LUT version 0 \(TFLM's is 1\)$/ },
        { name: "a UINT8 output", spec: spec((s) => { s.outputs[0].type = "uint8"; }),
            message: /unsupported output type UINT8 of tensor 2 'output0' UINT8\[10\] \(TFLM decodes BOOL, FLOAT32, INT8, INT16, INT32, INT64\)$/ },
        { name: "bit width 0", spec: spec((s) => { s.inputs[1] = ancillary(TABLE, 0); }), message: /: LUT bit width 0 \(TFLM's are 1 to 7\)$/ },
        { name: "channels along a middle dimension",
            spec: spec((s) => { s.outputs[0] = { shape: [1, 2, 5], type: "int8", scale: [0.5, 0.25], zeroPoint: 0, quantizedDimension: 1 }; }),
            message: /unsupported quantization axis 1 of tensor 2 'output0' INT8\[1,2,5\] \(TFLM's: 0, or the last with several channels\)$/ },
        { name: "too few encoded bytes", spec: spec((s) => { s.outputs[0].shape = [11]; }),
            message: /encoded tensor 0 'const0' UINT8\[4\] holds 4 bytes, fewer than the 5 that 11 indices of 3 bits take$/ },
        { name: "an index past the value table", spec: spec((s) => { s.inputs[1] = ancillary(TABLE.subarray(0, 7)); }),
            message: /: index 7 of element 0 is past channel 0's value table$/ },
        { name: "Prune version 2", spec: prune((s) => { s.inputs[1] = ancillary(PRUNE_VALUES, 0, 0, 2, 1, 2); }),
            message: /: Prune version 2 \(TFLM's is 1\)$/ },
        { name: "Prune with an INT16 zero point other than 0 (TFLM's 'All zero-points must be zero')",
            spec: prune((s) => { s.outputs[0] = { shape: [10], type: "int16", scale: 0.5, zeroPoint: 3 }; s.inputs[1] = ancillary(Buffer.alloc(12), 0, 0, 2); }),
            message: /output tensor 2 'output0' INT16\[10\]: all zero points must be 0 \(TFLM's Prune, for types other than INT8\)$/ },
        { name: "a Prune bitmap shorter than the output", spec: prune((s) => { s.outputs[0].shape = [17]; }),
            message: /encoded tensor 0 'const0' UINT8\[2\] holds 2 bytes, fewer than the 3 that a bitmap of 17 elements takes$/ },
        { name: "fewer Prune values than the bitmap keeps", spec: prune((s) => { s.inputs[1] = ancillary(PRUNE_VALUES.subarray(0, 5), 0, 0, 2); }),
            message: /ancillary tensor 1 'const1' UINT8\[21\] holds 5 values, fewer than the bitmap's 6$/ },
        { name: "Huffman version 2", spec: huffman(() => undefined, undefined, 0, 2), message: /: Huffman version 2 \(TFLM's is 1\)$/ },
        { name: "an INT16 output of 16-bit Huffman tables", spec: huffman((s) => { s.outputs[0].type = "int16"; }),
            message: /unsupported output type INT16 of tensor 2 'output0' INT16\[8\] \(TFLM's Huffman decodes INT8, and INT16 with 32-bit tables\)$/ },
        { name: "codewords shorter than a 32-bit word", spec: huffman((s) => { s.inputs[0] = { shape: [2], type: "uint8", data: Buffer.from([0x68, 0]) }; }),
            message: /encoded tensor 0 'const0' UINT8\[2\]: element 0's codeword runs past its 2 bytes \(TFLM reads 32-bit words\)$/ },
        { name: "a Huffman table without the entry a codeword reaches",
            spec: huffman(() => undefined, encodeValues("uint16", [0x8000 | (1 << 11) | 5])),
            message: /the Huffman tables have no entry 1 \(element 1\)$/ },
    ];
    for (const c of refused)
        it(`refuses ${c.name}`, () => {
            const res = loadBoth(singleOpModel(c.spec));
            assert.ok(!res.ok, "loaded");
            assert.match(res.text, c.message);
        });
});
