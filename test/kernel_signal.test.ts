// The TFLM Signal custom ops, one op per model: TFLM's own test vectors (signal/micro/kernels/*_test.cc,
// with their FlexBuffer options where TFLM gives the bytes), values worked out by hand, KISS FFT
// outputs for radix 2, 3 and 5, and the errors for bad options, types and tables.
import * as assert from "assert";
import * as flex from "flatbuffers/js/flexbuffers";
import { loadTflite } from "../node/sts-runtime";
import { singleOpModel, TensorSpec } from "../node/model-writer";

const tflite = loadTflite();

const options = (o: object) => Buffer.from(flex.encode(o));
const hex = (bytes: number[]) => Buffer.from(bytes);

const i16 = (a: number[]) => { const b = Buffer.alloc(2 * a.length); a.forEach((v, i) => b.writeInt16LE(v, 2 * i)); return b; };
const u32 = (a: number[]) => { const b = Buffer.alloc(4 * a.length); a.forEach((v, i) => b.writeUInt32LE(v, 4 * i)); return b; };
const u64 = (a: (number | bigint)[]) => { const b = Buffer.alloc(8 * a.length); a.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 8 * i)); return b; };
const readI16 = (b: Buffer) => { const r: number[] = []; for (let i = 0; i < b.length; i += 2) r.push(b.readInt16LE(i)); return r; };
const readU32 = (b: Buffer) => { const r: number[] = []; for (let i = 0; i < b.length; i += 4) r.push(b.readUInt32LE(i)); return r; };
const readU64 = (b: Buffer) => { const r: bigint[] = []; for (let i = 0; i < b.length; i += 8) r.push(b.readBigUInt64LE(i)); return r; };

interface OpCase {
    op: string;
    opts: Buffer;
    inputs: TensorSpec[];
    outputs: TensorSpec[];
}

function model(c: OpCase): Buffer {
    return singleOpModel({ op: "CUSTOM", customCode: c.op, customOptions: c.opts, inputs: c.inputs, outputs: c.outputs });
}

/** Loads the one-op model, sets its (non-constant) inputs, invokes once; the raw bytes of each output. */
function run(c: OpCase, inputs: Buffer[]): Buffer[] {
    const ip = new tflite.StsInterpreter(model(c));
    inputs.forEach((b, i) => ip.setInputBytes(i, b));
    ip.invoke();
    const res: Buffer[] = [];
    for (let i = 0; i < ip.outputCount(); i++) res.push(Buffer.from(ip.outputBytes(i)));
    return res;
}

function throwsTflite(f: () => any, pattern: RegExp) {
    assert.throws(f, (e: any) => {
        assert.strictEqual(typeof e, "string", `expected an interpreter error, got ${e && e.stack || e}`);
        assert.match(e, pattern);
        return true;
    });
}

describe("SignalWindow", () => {
    const window = (shape: number[], w: number[], shift: number): OpCase => ({
        op: "SignalWindow", opts: options({ shift }),
        inputs: [{ shape, type: "int16" }, { shape: [w.length], type: "int16", data: w }],
        outputs: [{ shape, type: "int16" }],
    });
    const ramp = [0x000, 0x100, 0x200, 0x300, 0x400, 0x500, 0x600, 0x700, 0x800, 0x900, 0xa00, 0xb00, 0xc00, 0xd00, 0xe00, 0xf00];
    const rampWindow = ramp.slice().reverse();
    const rampGolden = [0, 224, 416, 576, 704, 800, 864, 896, 896, 864, 800, 704, 576, 416, 224, 0];

    it("TFLM's length 16, shift 12 vector (x * w >> 12)", () => {
        assert.deepStrictEqual(readI16(run(window([1, 16], rampWindow, 12), [i16(ramp)])[0]), rampGolden);
    });

    it("TFLM's length 32, shift 8 vector: products saturate at 32767", () => {
        const x = [1221, 1920, 9531, 2795, 1826, 371, 8446, 850, 3129, 8218, 4199, 8358, 205, 5268, 3263, 2849,
            8398, 1381, 6305, 668, 8867, 4651, 9121, 6141, 1961, 3750, 8418, 8085, 3308, 1788, 1608, 4761];
        const w = [1323, 764, 9100, 4220, 1745, 9311, 178, 9442, 5676, 1817, 5433, 5837, 7635, 4539, 6548, 9690,
            6097, 4275, 1523, 3694, 7506, 2797, 5153, 172, 2172, 4540, 6643, 7845, 1719, 7564, 1700, 5227];
        const golden = [6310, 5730, 32767, 32767, 12446, 13493, 5872, 31350, 32767, 32767, 32767, 32767, 6113, 32767,
            32767, 32767, 32767, 23061, 32767, 9639, 32767, 32767, 32767, 4125, 16637, 32767, 32767, 32767,
            22212, 32767, 10678, 32767];
        assert.deepStrictEqual(readI16(run(window([1, 32], w, 8), [i16(x)])[0]), golden);
    });

    it("TFLM's outer-dimensions vector: the window repeats over [2, 2, 16]", () => {
        const x = [...ramp, ...ramp, ...ramp, ...ramp];
        assert.deepStrictEqual(readI16(run(window([2, 2, 16], rampWindow, 12), [i16(x)])[0]),
            [...rampGolden, ...rampGolden, ...rampGolden, ...rampGolden]);
    });

    it("saturates negative products and shifts arithmetically (hand-worked)", () => {
        // -32768 * 32767 = -1073709056 saturates to -32768 after >> 0 and >> 1 alike, and reaches
        // -16384 only from >> 16 (floor of -16383.5); -3 >> 1 = -2 (floor); 3 >> 1 = 1.
        assert.deepStrictEqual(readI16(run(window([3], [32767, 1, 1], 0), [i16([-32768, -3, 3])])[0]), [-32768, -3, 3]);
        assert.deepStrictEqual(readI16(run(window([3], [32767, 1, 1], 1), [i16([-32768, -3, 3])])[0]), [-32768, -2, 1]);
        assert.deepStrictEqual(readI16(run(window([3], [32767, 1, 1], 16), [i16([-32768, -3, 3])])[0]), [-16384, -1, 0]);
    });

    it("fails clearly on bad options, types and sizes", () => {
        throwsTflite(() => new tflite.StsInterpreter(model({ ...window([16], rampWindow, 12), opts: options({}) })),
            /^tflite: operator 0 \(SignalWindow v1\): custom option 'shift' is missing$/);
        throwsTflite(() => new tflite.StsInterpreter(model(window([16], rampWindow, 40))), /custom option 'shift' = 40 is outside \[0, 31\]/);
        throwsTflite(() => new tflite.StsInterpreter(model(window([10], rampWindow, 12))), /is not a whole number of windows of 16/);
        throwsTflite(() => new tflite.StsInterpreter(model({ ...window([16], rampWindow, 12), inputs: [{ shape: [16], type: "int8" }, { shape: [16], type: "int16", data: rampWindow }] })),
            /input tensor 0 'input0' INT8\[16\] must be INT16/);
        throwsTflite(() => new tflite.StsInterpreter(model({ ...window([16], rampWindow, 12), opts: Buffer.from([1, 2, 3, 4]) })),
            /^tflite: corrupt operator 0 \(SignalWindow v1\) custom options: root at byte -2 \(4 bytes\) is outside the 4-byte buffer$/);
    });
});

describe("SignalFftAutoScale", () => {
    const autoScale = (n: number): OpCase => ({
        op: "SignalFftAutoScale", opts: options({}),
        inputs: [{ shape: [n], type: "int16" }], outputs: [{ shape: [n], type: "int16" }, { shape: [], type: "int32" }],
    });
    const scale = (x: number[]) => {
        const [out, bits] = run(autoScale(x.length), [i16(x)]);
        return { out: readI16(out), bits: bits.readInt32LE(0) };
    };

    it("TFLM's vectors: scale 1 and scale 7", () => {
        assert.deepStrictEqual(scale([0x0000, 0x1111, 0x2222, 0x3333, 0x3333, 0x2222, 0x1111, 0x0000]),
            { out: [0x0000, 0x2222, 0x4444, 0x6666, 0x6666, 0x4444, 0x2222, 0x0000], bits: 1 });
        assert.deepStrictEqual(scale([238, 113, -88, -243, -5, -130, 159, -70]),
            { out: [30464, 14464, -11264, -31104, -640, -16640, 20352, -8960], bits: 7 });
    });

    it("all zeros: no scaling (msb(0) is 32 as TFLM builds it with GCC)", () => {
        assert.deepStrictEqual(scale([0, 0, 0, 0]), { out: [0, 0, 0, 0], bits: 0 });
    });

    it("-32768 wraps the int16 maximum exactly as MaxAbs16 does (hand-worked)", () => {
        // max becomes (int16)32768 = -32768, then 5 > -32768 replaces it: msb(5) = 3, scale 12;
        // -32768 << 12 keeps only zeros in 16 bits.
        assert.deepStrictEqual(scale([-32768, 5]), { out: [0, 20480], bits: 12 });
        // With -32768 last, max stays -32768: msb(0xffff8000) = 32, no scaling.
        assert.deepStrictEqual(scale([5, -32768]), { out: [5, -32768], bits: 0 });
    });

    it("fails clearly on a scale output that is not an int32 scalar", () => {
        throwsTflite(() => new tflite.StsInterpreter(model({ ...autoScale(4), outputs: [{ shape: [4], type: "int16" }, { shape: [1], type: "int32" }] })),
            /scale bits output tensor 2 'output1' INT32\[1\] must have rank 0/);
    });
});

describe("SignalRfft (int16)", () => {
    const rfft = (fftLength: number, inputShape: number[]): OpCase => {
        const outShape = inputShape.slice(0, -1).concat([fftLength + 2]);
        return {
            op: "SignalRfft", opts: options({ T: 7, fft_length: fftLength }),
            inputs: [{ shape: inputShape, type: "int16" }], outputs: [{ shape: outShape, type: "int16" }],
        };
    };
    const fft = (fftLength: number, x: number[]) => readI16(run(rfft(fftLength, [x.length]), [i16(x)])[0]);

    it("TFLM's 64-point impulse vector: 16384 at t = 0 gives 256 (16384 / 64) in every bin", () => {
        const x = new Array(64).fill(0);
        x[0] = 16384;
        const golden: number[] = [];
        for (let k = 0; k <= 32; k++) golden.push(256, 0);
        assert.deepStrictEqual(fft(64, x), golden);
    });

    // Outputs of TFLM's KISS FFT (v1.3.0, FIXED_POINT=16, as signal/src/kiss_fft_wrappers builds
    // it) compiled from its C source, for x[i] = round(12000 sin(2 pi 3 i / N) + 9000 cos(2 pi 5 i / N + 1)
    // + (7919 i mod 2001) - 1000): the sine shows at bin 3 (about -6000i), the cosine at bin 5.
    const kissVectors = [
        { radix: "4, 2", L: 16, input: [3863, 3145, 11233, 3545, -18912, -5611, 17770, 6357, -4542, -1993, -10251, -2733, 19554, 6083, -17468, -6225],
            output: [238, 0, -83, -214, -83, -103, -83, -6062, -83, -43, 2347, 3757, -83, -18, -83, -9, -82, 0] },
        { radix: "4, 3", L: 24, input: [3863, 3345, 4833, 11148, 9651, -5172, -19082, -14736, 4448, 17515, 12576, -22, -4882, -2533, -4191, -10676, -9349, 5304, 19044, 14528, -4826, -18063, -13294, -866],
            output: [-59, 0, -41, -323, -41, -159, -40, -6101, -42, -74, 2390, 3729, -40, -42, -40, -33, -41, -24, -41, -18, -41, -12, -41, -6, -41, 0] },
        { radix: "4, 5", L: 40, input: [3863, 4447, 2966, 3805, 7211, 10978, 11772, 7322, -1870, -12373, -19422, -19420, -11935, -65, 11092, 17005, 15916, 9492, 1606, -3960, -5562, -4315, -3004, -4013, -5588, -9525, -10489, -6209, 2813, 13146, 20025, 19853, 12198, 158, -11169, -17252, -16333, -10079, -2363, 3033],
            output: [93, 0, 133, 50, -175, -182, 74, -6080, -98, -6, 2423, 3683, -24, 19, -64, -66, 8, -11, -70, -12, -7, -42, -41, 16, -43, -43, -10, 8, -61, -14, -7, -18, -49, 15, -30, -30, -21, 20, -54, -15, -7, 0] },
        { radix: "2, 3, 5", L: 60, input: [3863, 5049, 3757, 2881, 3084, 4578, 7041, 9690, 11502, 11517, 9141, 4356, -2210, -9388, -15729, -19847, -20762, -18150, -12445, -4747, 3428, 10497, 15174, 16752, 17237, 13302, 8077, 2842, -1315, -3753, -4411, -3766, -2644, -1938, -2311, -3975, -6608, -9427, -11409, -11594, -9388, -4773, 1623, 8631, 14802, 18750, 19495, 16713, 12839, 4971, -3374, -10613, -15460, -17208, -15862, -12097, -7042, -1977, 2010, 4278],
            output: [60, 0, 83, -10, 211, 18, -195, -6028, -60, -10, 2440, 3626, -14, 4, 33, 24, -90, -28, -44, -8, 9, -74, -24, 4, 2, 24, -65, -27, -39, -8, 9, -42, -27, 5, -13, 24, -51, -26, -36, -6, 9, -25, -29, 6, -21, 24, -43, -26, -34, -6, 9, -12, -31, 5, -28, 26, -35, -26, -33, -7, 8, 0] },
    ];
    for (const v of kissVectors) {
        it(`matches KISS FFT bit for bit at ${v.L} points (radix ${v.radix})`, () => {
            assert.deepStrictEqual(fft(v.L, v.input), v.output);
        });
    }

    it("zero-pads rows shorter than fft_length, and transforms every row", () => {
        const x = [3863, 3145, 11233, 3545, -18912, -5611, 17770, 6357, -4542, -1993];
        const padded = [928, 0, 384, -256, 1561, 234, 256, -3176, -3036, 897, 1371, 1750, 715, -583, 88, -55, 248, 0];
        assert.deepStrictEqual(fft(16, x), padded);
        const twoRows = readI16(run(rfft(16, [2, 10]), [i16([...x, ...x.map((v) => 0)])])[0]);
        assert.deepStrictEqual(twoRows, [...padded, ...new Array(18).fill(0)]);
    });

    it("agrees with the exact DFT / N within a few units for lengths 8 to 512", () => {
        for (const L of [8, 12, 20, 30, 48, 64, 96, 100, 128, 160, 256, 480, 512]) {
            const x: number[] = [];
            for (let i = 0; i < L; i++) x.push(Math.round(8000 * Math.sin(0.7 * i) + 5000 * Math.cos(2.3 * i + 0.4)));
            const y = fft(L, x);
            for (let k = 0; k <= L / 2; k++) {
                let re = 0;
                let im = 0;
                for (let i = 0; i < L; i++) {
                    re += x[i] * Math.cos(2 * Math.PI * k * i / L);
                    im -= x[i] * Math.sin(2 * Math.PI * k * i / L);
                }
                // Each stage rounds: the error grows with the number of stages, a few units at 512.
                assert.ok(Math.abs(y[2 * k] - re / L) <= 4 && Math.abs(y[2 * k + 1] - im / L) <= 4,
                    `N=${L} bin ${k}: got ${y[2 * k]}, ${y[2 * k + 1]}, want ${re / L}, ${im / L}`);
            }
        }
    });

    it("fails clearly on unsupported lengths, types and shapes", () => {
        throwsTflite(() => new tflite.StsInterpreter(model(rfft(14, [14]))),
            /fft_length 14 has a factor 7 that TFLM's KISS FFT cannot do without malloc \(only 2, 3, 4 and 5\)/);
        throwsTflite(() => new tflite.StsInterpreter(model({ ...rfft(16, [16]), opts: options({ T: 7, fft_length: 15 }) })), /fft_length 15 must be even/);
        throwsTflite(() => new tflite.StsInterpreter(model({ ...rfft(16, [16]), opts: options({ T: 3, fft_length: 16 }) })), /unsupported FFT type UINT8 \(only INT16, INT32 and FLOAT32\)/);
        throwsTflite(() => new tflite.StsInterpreter(model({ ...rfft(16, [16]), opts: options({ fft_length: 16 }) })), /custom option 'T' is missing/);
        throwsTflite(() => new tflite.StsInterpreter(model(rfft(16, [20]))), /input rows of 20 exceed fft_length 16/);
        throwsTflite(() => new tflite.StsInterpreter(model({ ...rfft(16, [16]), outputs: [{ shape: [16], type: "int16" }] })),
            /rows must hold 9 complex values/);
    });
});

describe("SignalEnergy", () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    const energy = (start: number, end: number): OpCase => ({
        op: "SignalEnergy", opts: options({ end_index: end, start_index: start }),
        inputs: [{ shape: [16], type: "int16" }], outputs: [{ shape: [8], type: "uint32" }],
    });

    it("TFLM's vectors: middle, start and end ranges; the rest of the output is not written", () => {
        assert.deepStrictEqual(readU32(run(energy(2, 4), [i16(x)])[0]), [0, 0, 61, 113, 0, 0, 0, 0]);
        assert.deepStrictEqual(readU32(run(energy(0, 4), [i16(x)])[0]), [5, 25, 61, 113, 0, 0, 0, 0]);
        assert.deepStrictEqual(readU32(run(energy(4, 8), [i16(x)])[0]), [0, 0, 0, 0, 181, 265, 365, 481]);
    });

    it("(-32768)^2 * 2 overflows int32 in C but reads back as 2^31 in the uint32 output", () => {
        assert.deepStrictEqual(readU32(run(energy(0, 1), [i16([-32768, -32768, ...new Array(14).fill(0)])])[0]).slice(0, 1), [2147483648]);
    });

    it("fails clearly on indices outside the spectrum", () => {
        throwsTflite(() => new tflite.StsInterpreter(model(energy(0, 9))), /custom option 'end_index' = 9 is outside \[0, 8\]/);
        throwsTflite(() => new tflite.StsInterpreter(model(energy(5, 4))), /custom option 'start_index' = 5 is outside \[0, 4\]/);
    });
});

describe("SignalFilterBank", () => {
    const filterBank = (channels: number, energies: number, weights: number[], unweights: number[], freqStarts: number[],
        weightStarts: number[], widths: number[], constTables = true): OpCase => ({
        op: "SignalFilterBank", opts: options({ num_channels: channels }),
        inputs: [
            { shape: [energies], type: "uint32" },
            { shape: [weights.length], type: "int16", data: weights },
            { shape: [unweights.length], type: "int16", data: unweights },
            constTables ? { shape: [freqStarts.length], type: "int16", data: freqStarts } : { shape: [freqStarts.length], type: "int16" },
            { shape: [weightStarts.length], type: "int16", data: weightStarts },
            { shape: [widths.length], type: "int16", data: widths },
        ],
        outputs: [{ shape: [channels], type: "uint64" }],
    });

    it("TFLM's 16-channel vector (a negative weight included)", () => {
        const input = [645050, 4644, 3653, 24262, 56660, 43260, 50584, 57902, 31702, 5401, 45555, 34852, 8518, 43556, 13358, 19350,
            40221, 18017, 27284, 64491, 60099, 17863, 11001, 29076, 32666, 65268, 50947, 28694, 32377, 30014, 25607, 22547,
            45086, 10654, 46797, 8622, 47348, 43085, 5747, 51544, 50364, 6208, 20696, 59782, 14429, 60125, 37079, 32673,
            63457, 60142, 34042, 11280, 1874, 33734, 62118, 13766, 54398, 47818, 50976, 46930, 25906, 59441, 25958, 59136,
            1756, 18652, 29213, 13379, 51845, 1207, 55626, 27108, 43771, 35236, 3374, 40959, 47707, 41540, 34282, 27094,
            36329, 13593, 65257, 47006, 46857, 1114, 37106, 18738, 25969, 15461, 2842, 36470, 32489, 61622, 23613, 29624,
            32820, 30438, 9543, 6767, 23037, 52896, 12059, 32264, 11575, 42400, 43344, 27511, 16712, 6877, 4910, 50047,
            61569, 57237, 48558, 2310, 22192, 7874, 46141, 64056, 61997, 7298, 31372, 25316, 683, 58940, 18755, 17898, 19196];
        const weights = [-2210, 1711, 3237, 1247, 2507, 61, 1019, 899, 206, 146, 2849, 2756, 1260, 1280, 1951, 213, 617, 2047,
            211, 347, 2821, 3747, 150, 1924, 3962, 942, 1430, 2678, 993, 308, 3364, 2491, 954, 1308, 879, 3950, 1, 3556, 3628,
            2104, 78, 1298, 1080, 342, 1337, 1639, 2352, 829, 1358, 2498, 1647, 2507, 3816, 3767, 3735, 1155, 2221, 2196, 1160];
        const unweights = [408, 3574, 1880, 2561, 2011, 3394, 1019, 445, 3901, 343, 1874, 3846, 3566, 1830, 327, 111, 623, 1037,
            2803, 1947, 1518, 661, 3239, 2351, 1257, 269, 1574, 3431, 3972, 2487, 2181, 1458, 552, 717, 679, 1031, 1738, 1782,
            128, 2242, 353, 1460, 3305, 1424, 3813, 2895, 164, 272, 3886, 3135, 141, 747, 3233, 1478, 2612, 3837, 3271, 73, 1746];
        const freqStarts = [5, 6, 7, 9, 11, 12, 14, 16, 18, 20, 22, 25, 27, 30, 32, 35, 33];
        const weightStarts = [0, 1, 2, 4, 6, 7, 9, 11, 13, 15, 17, 20, 22, 25, 27, 30, 33];
        const widths = [1, 1, 2, 2, 1, 2, 2, 2, 2, 2, 3, 2, 3, 2, 3, 3, 3];
        const golden = [104199304, 407748384, 206363744, 200989269, 52144406, 230780884, 174394190, 379684049,
            94840835, 57788823, 531528204, 318265707, 263149795, 188110467, 501443259, 200747781].map(BigInt);
        const out = run(filterBank(16, 129, weights, unweights, freqStarts, weightStarts, widths), [u32(input)])[0];
        assert.deepStrictEqual(readU64(out), golden);
    });

    it("TFLM's 32-channel vector (sums above 2^32)", () => {
        const input = [65451, 11468838, 4280615122, 4283105055, 30080683, 969970, 1168164, 192770, 344209, 1811809, 1740724,
            586130, 305045, 17981, 169273, 103321, 85277, 529901, 524660, 116609, 29653, 64345, 13121, 273956, 593748, 463432,
            348169, 77545, 2117, 19277, 13837, 85, 16322, 1325, 69584, 233930, 253273, 94180, 8642, 104245, 151937, 231970,
            90405, 95849, 106285, 81938, 76226, 103337, 303250, 337705, 75140, 43874, 33730, 44761, 117608, 57322, 9945, 19816,
            48674, 19465, 15696, 52229, 103738, 102541, 126421, 133157, 33680, 7738, 45029, 57122, 61605, 60138, 26170, 41444,
            210994, 238338, 74324, 21460, 33125, 3940, 15481, 7709, 24929, 17714, 170993, 91978, 45965, 214133, 96832, 1800,
            16717, 42341, 87421, 114341, 65161, 26260, 135077, 245000, 122117, 81188, 107753, 74125, 86432, 91460, 29648, 2069,
            3161, 5002, 784, 1152, 1424, 277, 452, 2696, 3610, 2120, 2617, 562, 1153, 4610, 2906, 65, 786450, 4293722107, 0,
            393208, 2, 196608, 65539, 65537, 4294967295, 65537, 4294901762, 65535, 4294770689, 65533, 131073, 4294901761,
            131071, 131071, 65535, 4294901764, 4294967295, 0, 4294901758, 4294901761, 196607, 4294836224, 131070, 4294901762,
            4294901759, 196608, 4294901761, 131071, 131070, 65538, 0, 4294901761, 65536, 4294836225, 65536, 4294836225,
            4294901757, 65535, 4294901760, 196607, 4294967295, 0, 131071, 4294901762, 4294836221, 196608, 65536, 1, 131074,
            4294770690, 4294967291, 196611, 4294770687, 262143, 4294901759, 131071, 1, 4294901759, 196607, 4294705153, 196607,
            4294967294, 65536, 1, 4294901759, 65536, 0, 65536, 65537, 4294901759, 65536, 3, 4294836222, 65534, 65536, 65538,
            4294836225, 4294901760, 4294901761, 4294967293, 0, 65534, 131070, 65537, 4294901762, 65536, 2, 4294836224, 1,
            4294901760, 0, 4294967294, 131073, 4294901760, 65535, 131073, 4294836224, 65536, 4294901760, 4294901760, 4294967295,
            4294901761, 131071, 4294901760, 131071, 4294836224, 2, 4294901758, 4294967292, 131073, 0, 65535, 0, 4294901760,
            4294967295, 131073, 4294901764, 4294836223, 4294967295, 65535, 65537, 65533, 3, 131072, 4294836224, 65537, 1,
            4294967293, 196611, 4294901759, 1];
        const weights = [1133, 2373, 3712, 1047, 2564, 66, 1740, 3486, 1202, 3079, 919, 2913, 865, 2964, 1015, 3210, 1352, 3633,
            1859, 123, 2520, 856, 3323, 1726, 161, 2722, 1215, 3833, 2382, 956, 3652, 2276, 923, 3689, 2380, 1093, 3922, 2676,
            1448, 239, 3144, 1970, 814, 3770, 2646, 1538, 445, 3463, 2399, 1349, 313, 3386, 2376, 1379, 394, 3517, 2556, 1607,
            668, 3837, 2920, 2013, 1117, 231, 3450, 2583, 1725, 877, 37, 3302, 2480, 1666, 861, 63, 3369, 2588, 1813, 1046, 287,
            3630, 2885, 2147, 1415, 690, 4067, 3355, 2650, 1950, 1257, 569, 3984, 3308, 2638, 1973, 1314, 661, 12, 3465, 2827,
            2194, 1566, 943, 325, 3808, 3199, 2595, 1996, 1401, 810, 224, 3738, 3160, 2586, 2017, 1451, 890, 332];
        const unweights = [2962, 1722, 383, 3048, 1531, 4029, 2355, 609, 2893, 1016, 3176, 1182, 3230, 1131, 3080, 885, 2743, 462,
            2236, 3972, 1575, 3239, 772, 2369, 3934, 1373, 2880, 262, 1713, 3139, 443, 1819, 3172, 406, 1715, 3002, 173, 1419,
            2647, 3856, 951, 2125, 3281, 325, 1449, 2557, 3650, 632, 1696, 2746, 3782, 709, 1719, 2716, 3701, 578, 1539, 2488,
            3427, 258, 1175, 2082, 2978, 3864, 645, 1512, 2370, 3218, 4058, 793, 1615, 2429, 3234, 4032, 726, 1507, 2282, 3049,
            3808, 465, 1210, 1948, 2680, 3405, 28, 740, 1445, 2145, 2838, 3526, 111, 787, 1457, 2122, 2781, 3434, 4083, 630,
            1268, 1901, 2529, 3152, 3770, 287, 896, 1500, 2099, 2694, 3285, 3871, 357, 935, 1509, 2078, 2644, 3205, 3763];
        const freqStarts = [5, 6, 7, 9, 11, 12, 14, 16, 18, 20, 22, 25, 27, 30, 32, 35, 38, 41, 45, 48, 52, 56, 60, 64, 69, 74, 79,
            84, 89, 95, 102, 108, 115];
        const weightStarts = [0, 1, 2, 4, 6, 7, 9, 11, 13, 15, 17, 20, 22, 25, 27, 30, 33, 36, 40, 43, 47, 51, 55, 59, 64, 69, 74,
            79, 84, 90, 97, 103, 110];
        const widths = [1, 1, 2, 2, 1, 2, 2, 2, 2, 2, 3, 2, 3, 2, 3, 3, 3, 4, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 7, 6, 7, 7];
        const golden = [5645104312, 3087527471, 5883346002, 10807122775, 2465336182, 853935004, 1206905130, 3485828019,
            1134726750, 832725041, 4442875878, 2122064365, 178483220, 151483681, 1742660113, 1309124116, 1954305288,
            1323857378, 2750861165, 1340947482, 792522630, 669257768, 1659699572, 940652856, 1957080469, 1034203505,
            1541805928, 1710818326, 2432875876, 2254716277, 275382345, 57293224].map(BigInt);
        const out = run(filterBank(32, 257, weights, unweights, freqStarts, weightStarts, widths), [u32(input)])[0];
        assert.deepStrictEqual(readU64(out), golden);
    });

    it("accumulates in uint64: a channel sum above 2^53 is exact (hand-worked)", () => {
        // Channel 1 = 4095 * (2^32 - 1) * 600 over 600 frequencies = 2457000 * (2^32 - 1) = 10552845950952000.
        const n = 600;
        const out = run(filterBank(1, n, new Array(n).fill(4095), new Array(n).fill(0), [0, 0], [0, 0], [0, n]),
            [u32(new Array(n).fill(4294967295))])[0];
        assert.deepStrictEqual(readU64(out), [2457000n * 4294967295n]);
    });

    it("fails clearly on tables that are not constant or point outside the input", () => {
        throwsTflite(() => new tflite.StsInterpreter(model(filterBank(1, 4, [1, 1], [1, 1], [0, 0], [0, 0], [1, 1], false))),
            /channel frequency starts, weight starts and widths must be constant/);
        throwsTflite(() => new tflite.StsInterpreter(model(filterBank(1, 4, [1, 1], [1, 1], [0, 3], [0, 0], [1, 2]))),
            /channel 1 reads frequencies 3..4 outside input tensor 0 'input0' UINT32\[4\]/);
        throwsTflite(() => new tflite.StsInterpreter(model(filterBank(1, 4, [1, 1], [1, 1], [0, 0], [0, 1], [1, 2]))),
            /channel 1 reads weights 1..2 outside the weight tables/);
        throwsTflite(() => new tflite.StsInterpreter(model(filterBank(2, 4, [1, 1], [1, 1], [0, 0], [0, 0], [1, 1]))),
            /channel tables must have num_channels \+ 1 = 3 entries/);
    });
});

describe("SignalFilterBankSquareRoot", () => {
    const sqrt = (values: (number | bigint)[], shift: number) => readU32(run({
        op: "SignalFilterBankSquareRoot", opts: options({}),
        inputs: [{ shape: [values.length], type: "uint64" }, { shape: [], type: "int32", data: [shift] }],
        outputs: [{ shape: [values.length], type: "uint32" }],
    }, [u64(values)])[0]);

    it("TFLM's 32-channel (shift 7) and 16-channel (shift 5) vectors", () => {
        assert.deepStrictEqual(sqrt([10528000193, 28362909357, 47577133750, 8466055850, 5842710800, 2350911449, 2989811430,
            2646718839, 515262774, 276394561, 469831522, 55815334, 28232446, 11591835, 40329249, 67658028, 183446654, 323189165,
            117473797, 41339272, 25846050, 12428673, 18670978, 22521722, 78477733, 54207503, 25150296, 43098592, 28211625,
            15736687, 20990296, 17907031], 7),
            [801, 1315, 1704, 718, 597, 378, 427, 401, 177, 129, 169, 58, 41, 26, 49, 64, 105, 140, 84, 50, 39, 27, 33, 37, 69, 57,
                39, 51, 41, 30, 35, 33]);
        assert.deepStrictEqual(sqrt([13051415151, 14932650877, 18954728418, 8730126017, 6529665275, 12952546517, 10314975609,
            8919697835, 8053663348, 17231208421, 7366899760, 1372112200, 19953434807, 17012385332, 4710443222, 17765594053], 5),
            [3570, 3818, 4302, 2919, 2525, 3556, 3173, 2951, 2804, 4102, 2682, 1157, 4414, 4076, 2144, 4165]);
    });

    it("rounds to nearest and caps as Sqrt32 / Sqrt64 do (hand-worked)", () => {
        // 10 = 3^2 + 1 -> 3; 13 = 3^2 + 4 (4 > 3) -> 4; 2^32 - 1: root 65535, remainder 131070 > 65535
        // but Sqrt32 caps at 0xFFFF; 2^32 exactly: 65536; 2^64 - 1: root 2^32 - 1, capped.
        assert.deepStrictEqual(sqrt([0, 1, 2, 10, 13, 4294967295, 4294967296n, 18446744073709551615n, 4294967296n * 4294967296n - 8589934592n], 0),
            [0, 1, 1, 3, 4, 65535, 65536, 4294967295, 4294967295]);
    });
});

describe("SignalFilterBankSpectralSubtraction", () => {
    // TFLM's FlexBuffer bytes for its 32-channel and 16-channel tests (smoothing 655 / 15729 on all
    // channels, min_signal_remaining 819, smoothing_bits 0, spectral_subtraction_bits 14, no clamping).
    const tflmOptions = (channels: number) => hex([
        0x6e, 0x75, 0x6d, 0x5f, 0x63, 0x68, 0x61, 0x6e, 0x6e, 0x65, 0x6c, 0x73, 0x00, 0x73, 0x6d, 0x6f, 0x6f, 0x74, 0x68, 0x69,
        0x6e, 0x67, 0x00, 0x6f, 0x6e, 0x65, 0x5f, 0x6d, 0x69, 0x6e, 0x75, 0x73, 0x5f, 0x73, 0x6d, 0x6f, 0x6f, 0x74, 0x68, 0x69,
        0x6e, 0x67, 0x00, 0x61, 0x6c, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x74, 0x65, 0x5f, 0x73, 0x6d, 0x6f, 0x6f, 0x74, 0x68, 0x69,
        0x6e, 0x67, 0x00, 0x61, 0x6c, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x74, 0x65, 0x5f, 0x6f, 0x6e, 0x65, 0x5f, 0x6d, 0x69, 0x6e,
        0x75, 0x73, 0x5f, 0x73, 0x6d, 0x6f, 0x6f, 0x74, 0x68, 0x69, 0x6e, 0x67, 0x00, 0x73, 0x6d, 0x6f, 0x6f, 0x74, 0x68, 0x69,
        0x6e, 0x67, 0x5f, 0x62, 0x69, 0x74, 0x73, 0x00, 0x6d, 0x69, 0x6e, 0x5f, 0x73, 0x69, 0x67, 0x6e, 0x61, 0x6c, 0x5f, 0x72,
        0x65, 0x6d, 0x61, 0x69, 0x6e, 0x69, 0x6e, 0x67, 0x00, 0x63, 0x6c, 0x61, 0x6d, 0x70, 0x69, 0x6e, 0x67, 0x00, 0x73, 0x70,
        0x65, 0x63, 0x74, 0x72, 0x61, 0x6c, 0x5f, 0x73, 0x75, 0x62, 0x74, 0x72, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x5f, 0x62,
        0x69, 0x74, 0x73, 0x00, 0x09, 0x66, 0x7b, 0x26, 0x3c, 0xa9, 0x93, 0x9e, 0x4f, 0x23, 0x09, 0x00, 0x01, 0x00, 0x09, 0x00,
        0x71, 0x3d, 0x8f, 0x02, 0x00, 0x00, 0x33, 0x03, channels, 0x00, 0x71, 0x3d, 0x8f, 0x02, 0x00, 0x00, 0x0e, 0x00, 0x05,
        0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x1b, 0x25, 0x01]);
    const subtraction = (channels: number, opts: Buffer): OpCase => ({
        op: "SignalFilterBankSpectralSubtraction", opts,
        inputs: [{ shape: [channels], type: "uint32" }],
        outputs: [{ shape: [channels], type: "uint32" }, { shape: [channels], type: "uint32" }],
    });

    it("TFLM's 32-channel vector", () => {
        const input = [322, 308, 210, 212, 181, 251, 403, 259, 65, 48, 76, 48, 50, 46, 53, 52, 112, 191, 136, 59, 70, 51, 39, 64,
            33, 44, 41, 49, 74, 107, 262, 479];
        const [out, noise] = run(subtraction(32, tflmOptions(32)), [u32(input)]);
        assert.deepStrictEqual(readU32(out), [310, 296, 202, 204, 174, 241, 387, 249, 63, 47, 73, 47, 49, 45, 51, 50, 108, 184,
            131, 57, 68, 49, 38, 62, 32, 43, 40, 48, 72, 103, 252, 460]);
        assert.deepStrictEqual(readU32(noise), [12, 12, 8, 8, 7, 10, 16, 10, 2, 1, 3, 1, 1, 1, 2, 2, 4, 7, 5, 2, 2, 2, 1, 2, 1, 1, 1,
            1, 2, 4, 10, 19]);
    });

    it("TFLM's 16-channel vector, then the noise estimate carries into the next invoke (hand-worked)", () => {
        const input = [393, 213, 408, 1, 361, 385, 386, 326, 170, 368, 368, 305, 152, 322, 213, 319];
        const ip = new tflite.StsInterpreter(model(subtraction(16, tflmOptions(16))));
        ip.setInputBytes(0, u32(input));
        ip.invoke();
        assert.deepStrictEqual(readU32(Buffer.from(ip.outputBytes(0))), [378, 205, 392, 1, 347, 370, 371, 313, 164, 354, 354, 293,
            146, 310, 205, 307]);
        assert.deepStrictEqual(readU32(Buffer.from(ip.outputBytes(1))), [15, 8, 16, 0, 14, 15, 15, 13, 6, 14, 14, 12, 6, 12, 8, 12]);
        // Channel 0 again: noise = (393 * 655 + 15 * 15729) >> 14 = 493350 >> 14 = 30; output 393 - 30 = 363.
        ip.invoke();
        assert.strictEqual(readU32(Buffer.from(ip.outputBytes(1)))[0], 30);
        assert.strictEqual(readU32(Buffer.from(ip.outputBytes(0)))[0], 363);
        // resetState zeroes the estimate, as TFLM's Reset does: the first result comes back.
        ip.resetState();
        ip.invoke();
        assert.strictEqual(readU32(Buffer.from(ip.outputBytes(1)))[0], 15);
        assert.strictEqual(readU32(Buffer.from(ip.outputBytes(0)))[0], 378);
        // So does a new interpreter.
        assert.deepStrictEqual(readU32(run(subtraction(16, tflmOptions(16)), [u32(input)])[1])[0], 15);
    });

    it("odd channels use the alternate coefficients; clamping pulls the estimate down to the signal (hand-worked)", () => {
        const o = {
            alternate_one_minus_smoothing: 0, alternate_smoothing: 16384, clamping: true, min_signal_remaining: 0,
            num_channels: 2, one_minus_smoothing: 16384, smoothing: 16384, smoothing_bits: 2, spectral_subtraction_bits: 14,
        };
        const ip = new tflite.StsInterpreter(model(subtraction(2, options(o))));
        // Channel 0: noise = (100 << 2) * 1 + 0 = 400 = signal << 2: output 0. Channel 1: the same.
        ip.setInputBytes(0, u32([100, 100]));
        ip.invoke();
        assert.deepStrictEqual(readU32(Buffer.from(ip.outputBytes(1))), [400, 400]);
        // Channel 0: noise = 40 * 4 + 400 = 560 > 160, clamped to 160; output 0. Channel 1: noise = 160.
        ip.setInputBytes(0, u32([40, 40]));
        ip.invoke();
        assert.deepStrictEqual(readU32(Buffer.from(ip.outputBytes(1))), [160, 160]);
        assert.deepStrictEqual(readU32(Buffer.from(ip.outputBytes(0))), [0, 0]);
    });

    it("fails clearly on a channel count that does not match the tensors", () => {
        throwsTflite(() => new tflite.StsInterpreter(model(subtraction(16, tflmOptions(32)))),
            /input, output and noise estimate must have num_channels = 32 values/);
    });
});

describe("SignalPCAN", () => {
    it("TFLM's Mix1Ref1Case vector, with TFLM's FlexBuffer bytes (snr_shift 6)", () => {
        const input = [286, 298, 305, 291, 290, 279, 273, 257, 250, 240, 240, 233, 234, 230, 221, 205, 183, 159, 156, 188, 239,
            298, 345, 374, 380, 369, 359, 364, 372, 354, 302, 243, 194, 135, 64, 72, 171, 245, 277, 304];
        const noise = [7310, 18308, 7796, 17878, 7413, 17141, 6978, 15789, 6390, 14745, 6135, 14314, 5981, 14130, 5649, 12594,
            4677, 9768, 3987, 11550, 6109, 18308, 8819, 22977, 9713, 22670, 9176, 22363, 9509, 21748, 7719, 14929, 4959, 8294,
            1636, 4423, 4371, 15052, 7080, 18677];
        const lut = [32636, 32633, 32630, -6, 0, -21589, 32624, -12, 0, -21589, 32612, -23, -2, -21589, 32587, -48, 0, -21589,
            32539, -96, 0, -21589, 32443, -190, 0, -21589, 32253, -378, 4, -21589, 31879, -739, 18, -21589, 31158, -1409, 62,
            -21589, 29811, -2567, 202, -21589, 27446, -4301, 562, -21589, 23707, -6265, 1230, -21589, 18672, -7458, 1952, -21589,
            13166, -7030, 2212, -21589, 8348, -5342, 1868, -21589, 4874, -3459, 1282, -21589, 2697, -2025, 774, -21589, 1446,
            -1120, 436, -21589, 762, -596, 232, -21589, 398, -313, 122, -21589, 207, -164, 64, -21589, 107, -85, 34, -21589, 56,
            -45, 18, -21589, 29, -22, 8, -21589, 15, -13, 6, -21589, 8, -8, 4, -21589, 4, -2, 0, -21589, 2, -3, 2, -21589, 1, 0,
            0, -21589, 1, -3, 2, -21589, 0, 0, 0];
        const golden = [1301, 836, 1354, 827, 1312, 811, 1263, 779, 1192, 753, 1160, 743, 1140, 738, 1096, 698, 956, 607, 845,
            667, 1157, 836, 1461, 912, 1546, 908, 1496, 904, 1527, 895, 1346, 758, 999, 548, 378, 344, 908, 761, 1274, 843];
        const c: OpCase = {
            op: "SignalPCAN",
            opts: hex([0x73, 0x6e, 0x72, 0x5f, 0x73, 0x68, 0x69, 0x66, 0x74, 0x00, 0x01, 0x0b, 0x01, 0x01, 0x01, 0x06, 0x04, 0x02, 0x24, 0x01]),
            inputs: [{ shape: [40], type: "uint32" }, { shape: [40], type: "uint32" }, { shape: [125], type: "int16", data: lut }],
            outputs: [{ shape: [40], type: "uint32" }],
        };
        assert.deepStrictEqual(readU32(run(c, [u32(input), u32(noise)])[0]), golden);
    });

    it("fails clearly on a gain LUT that is too short", () => {
        throwsTflite(() => new tflite.StsInterpreter(model({
            op: "SignalPCAN", opts: options({ snr_shift: 6 }),
            inputs: [{ shape: [4], type: "uint32" }, { shape: [4], type: "uint32" }, { shape: [100], type: "int16", data: new Array(100).fill(0) }],
            outputs: [{ shape: [4], type: "uint32" }],
        })), /gain LUT tensor 2 'const2' INT16\[100\] must have 125 entries/);
    });
});

describe("SignalFilterBankLog", () => {
    const log = (opts: Buffer, input: number[]) => readI16(run({
        op: "SignalFilterBankLog", opts,
        inputs: [{ shape: [input.length], type: "uint32" }], outputs: [{ shape: [input.length], type: "int16" }],
    }, [u32(input)])[0]);

    it("TFLM's 32-channel vector (output_scale 1600, input_correction_bits 3, TFLM's bytes)", () => {
        const opts = hex([0x6f, 0x75, 0x74, 0x70, 0x75, 0x74, 0x5f, 0x73, 0x63, 0x61, 0x6c, 0x65, 0x00, 0x69, 0x6e, 0x70, 0x75,
            0x74, 0x5f, 0x63, 0x6f, 0x72, 0x72, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x5f, 0x62, 0x69, 0x74, 0x73, 0x00, 0x02, 0x17,
            0x25, 0x02, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x40, 0x06, 0x05, 0x05, 0x06, 0x25, 0x01]);
        assert.deepStrictEqual(log(opts, [29, 21, 29, 40, 19, 11, 13, 23, 13, 11, 25, 17, 5, 4, 46, 14, 17, 14, 20, 14, 10, 10, 15, 11,
            17, 12, 15, 16, 19, 18, 6, 2]),
            [8715, 8198, 8715, 9229, 8038, 7164, 7431, 8344, 7431, 7164, 8477, 7860, 5902, 5545, 9453, 7550, 7860, 7550, 8120, 7550,
                7011, 7011, 7660, 7164, 7860, 7303, 7660, 7763, 8038, 7952, 6194, 4436]);
    });

    it("TFLM's 16-channel vector (output_scale 32768, input_correction_bits 5, 32-bit option widths): saturates at 32767", () => {
        const opts = hex([0x6f, 0x75, 0x74, 0x70, 0x75, 0x74, 0x5f, 0x73, 0x63, 0x61, 0x6c, 0x65, 0x00, 0x69, 0x6e, 0x70, 0x75,
            0x74, 0x5f, 0x63, 0x6f, 0x72, 0x72, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x5f, 0x62, 0x69, 0x74, 0x73, 0x00, 0x02, 0x17,
            0x25, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00,
            0x80, 0x00, 0x00, 0x06, 0x06, 0x0a, 0x26, 0x01]);
        assert.deepStrictEqual(log(opts, [48, 20, 19, 24, 35, 47, 23, 30, 31, 10, 48, 21, 46, 14, 18, 27]),
            [32767, 15121, 13440, 21095, 32767, 32767, 19701, 28407, 29482, 32767, 32767, 16720, 32767, 3434, 11669, 24955]);
    });

    it("inputs that scale to 0 or 1 give 0; powers of two give k ln 2 (hand-worked)", () => {
        // log2(2^k) = k exactly (the LUT is 0 at both ends): k * 65536 * 45426 / 65536 = k * 45426
        // (ln 2 in 16 bits), then * 64 / 65536 rounded: k = 1 -> 44, k = 10 -> 444 (443.6).
        assert.deepStrictEqual(log(options({ input_correction_bits: 0, output_scale: 64 }), [0, 1, 2, 1024]), [0, 0, 44, 444]);
    });
});
