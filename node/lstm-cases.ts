// Generated models of UNIDIRECTIONAL_SEQUENCE_LSTM (libs/tflite/kernel_lstm.ts). TFLM's goldens
// (tools/tflm-goldens-lstm.ts) take every draft; the fuzzer and the native replay a random one.
// Each draft runs 2-3 invokes in sequence, so the hidden and cell states carry over. TFLM's
// branches: float32 (the gates' sigmoid cut-offs above 16.6 and below -9, FC sums that overflow
// to +-FLT_MAX, cell_clip or none); int8 "8x8->16" and int16 "16x8" (FC sums saturating to int16,
// tanh's table saturating, the cell's scale a power of two or not or small enough for tanh's
// right shift, cell_clip within int16, past it, or none); batch-major or time-major input;
// batches 1-3, time steps 1-5, input and state sizes 1-8.
import type { Rand } from "./fuzz";
import { encodeValues, SingleOpSpec, TensorSpec } from "./model-writer";

/** One case before anything ran it: the branches it takes, the model, the model input's bytes (every invoke's). */
export interface LstmDraft {
    covers: string[];
    spec: SingleOpSpec;
    inputs: Buffer[];
    invokes: number;
}

interface LstmShape { batches: number; steps: number; inputSize: number; stateSize: number; timeMajor: boolean }

function randomShape(rand: Rand): LstmShape {
    return { batches: rand.int(1, 3), steps: rand.int(1, 5), inputSize: rand.int(1, 8), stateSize: rand.int(1, 8), timeMajor: rand.chance(0.5) };
}

/**
 * The 24 inputs in TFLM's order: the input, the input and recurrent weights of the input, forget,
 * cell and output gates, no peephole, the biases, no projection, the two states, no layer norm.
 */
function lstmSpec(s: LstmShape, input: TensorSpec, inputWeights: TensorSpec[], recurrentWeights: TensorSpec[], biases: TensorSpec[],
    hidden: TensorSpec, cell: TensorSpec, output: TensorSpec, cellClip: number): SingleOpSpec {
    return {
        op: "UNIDIRECTIONAL_SEQUENCE_LSTM",
        inputs: [input, ...inputWeights, ...recurrentWeights, null, null, null, ...biases, null, null, hidden, cell, null, null, null, null],
        outputs: [output],
        options: { activation: "TANH", cellClip, timeMajor: s.timeMajor },
    };
}

function ioShape(s: LstmShape, last: number): number[] {
    return s.timeMajor ? [s.steps, s.batches, last] : [s.batches, s.steps, last];
}

/** float32: weights and inputs in [-range, range] (`positive`: in [0, range], so that overflowing sums are +inf, never NaN). */
function floatDraft(rand: Rand, covers: string[], s: LstmShape, weightRange: number, inputRange: number, cellClip: number, positive = false): LstmDraft {
    const values = (n: number, range: number) => rand.values("float32", n, range).map((v) => (positive ? Math.abs(v) : v));
    const constant = (shape: number[], range: number): TensorSpec =>
        ({ shape, type: "float32", data: encodeValues("float32", values(shape.reduce((a, b) => a * b, 1), range)) });
    const invokes = rand.int(2, 3);
    const count = s.batches * s.steps * s.inputSize;
    return {
        covers: ["float32", s.timeMajor ? "time-major" : "batch-major", cellClip > 0 ? "cell-clip" : "no-clip", `invokes-${invokes}`].concat(covers),
        spec: lstmSpec(s, { shape: ioShape(s, s.inputSize), type: "float32" },
            [0, 1, 2, 3].map(() => constant([s.stateSize, s.inputSize], weightRange)),
            [0, 1, 2, 3].map(() => constant([s.stateSize, s.stateSize], weightRange)),
            [0, 1, 2, 3].map(() => constant([s.stateSize], weightRange)),
            { shape: [s.batches, s.stateSize], type: "float32", isVariable: true },
            { shape: [s.batches, s.stateSize], type: "float32", isVariable: true },
            { shape: ioShape(s, s.stateSize), type: "float32" }, cellClip),
        inputs: [encodeValues("float32", values(count * invokes, inputRange))],
        invokes,
    };
}

export function floatDrafts(rand: Rand): LstmDraft[] {
    const drafts: LstmDraft[] = [];
    for (let i = 0; i < 6; i++) {
        const s = randomShape(rand);
        // Small weights keep the gates inside the sigmoid's cut-offs; large ones reach both.
        const range = rand.pick([0.5, 1, 6]);
        drafts.push(floatDraft(rand, [range > 1 ? "sigmoid-cut-offs" : "random"], s, range, 2, i % 2 === 0 ? 0 : rand.pick([0.25, 0.8, 3])));
    }
    // Every size 1; the largest sizes; one step of many batches (time-major and not).
    drafts.push(floatDraft(rand, ["sizes-1"], { batches: 1, steps: 1, inputSize: 1, stateSize: 1, timeMajor: false }, 1, 2, 0));
    drafts.push(floatDraft(rand, ["sizes-max"], { batches: 3, steps: 5, inputSize: 8, stateSize: 8, timeMajor: true }, 1, 2, 0.5));
    // Sums past float32's range: TFLM's FC clamps them to FLT_MAX, then the input and recurrent FC add to +inf.
    drafts.push(floatDraft(rand, ["overflow"], { batches: 2, steps: 2, inputSize: 3, stateSize: 2, timeMajor: false }, 3e38, 4, 0, true));
    // cell_clip below 0: no clipping.
    drafts.push(floatDraft(rand, ["negative-clip"], randomShape(rand), 2, 2, -0.5));
    return drafts;
}

interface QuantizedChoice {
    /** Weights in [-range, range] of int8 (range up to 127: large ones saturate the gates' FCs). */
    weightRange: number;
    /** The cell state's scale (a power of two 2^-11 as converters make it, or not, or small enough for a right shift into tanh). */
    cellScale: number;
    cellClip: number;
}

/**
 * "8x8->16" (int8 activations, int32 biases) or "16x8" (int16 activations, int64 biases): int8
 * weights of one scale and zero point 0 (TFLM asserts it), an int16 cell state.
 */
function quantizedDraft(rand: Rand, covers: string[], type: "int8" | "int16", s: LstmShape, q: QuantizedChoice): LstmDraft {
    const int8 = type === "int8";
    const activation = (scale: number): Partial<TensorSpec> => ({ scale, zeroPoint: int8 ? rand.int(-20, 20) : 0 });
    const inputQuant = activation(int8 ? rand.scale(-7, -4) : rand.scale(-13, -10));
    const hiddenQuant = activation(int8 ? rand.scale(-8, -6) : rand.scale(-15, -12));
    const weights = (shape: number[]): TensorSpec => {
        const n = shape.reduce((a, b) => a * b, 1);
        return { shape, type: "int8", scale: rand.scale(-8, -5), zeroPoint: 0, data: encodeValues("int8", Array.from({ length: n }, () => rand.int(-q.weightRange, q.weightRange))) };
    };
    const biases = (shape: number[]): TensorSpec => {
        const range = int8 ? 3000 : 1 << 20;
        return { shape, type: int8 ? "int32" : "int64", data: encodeValues(int8 ? "int32" : "int64", Array.from({ length: shape[0] }, () => rand.int(-range, range))) };
    };
    const invokes = rand.int(2, 3);
    const count = s.batches * s.steps * s.inputSize;
    const cellSpec: TensorSpec = { shape: [s.batches, s.stateSize], type: "int16", scale: q.cellScale, zeroPoint: 0, isVariable: true };
    return {
        covers: [type, s.timeMajor ? "time-major" : "batch-major", q.cellClip > 0 ? "cell-clip" : "no-clip", `invokes-${invokes}`].concat(covers),
        spec: lstmSpec(s, { shape: ioShape(s, s.inputSize), type, ...inputQuant },
            [0, 1, 2, 3].map(() => weights([s.stateSize, s.inputSize])),
            [0, 1, 2, 3].map(() => weights([s.stateSize, s.stateSize])),
            [0, 1, 2, 3].map(() => biases([s.stateSize])),
            { shape: [s.batches, s.stateSize], type, ...hiddenQuant, isVariable: true }, cellSpec,
            { shape: ioShape(s, s.stateSize), type, ...hiddenQuant }, q.cellClip),
        inputs: [encodeValues(type, rand.values(type, count * invokes))],
        invokes,
    };
}

export function quantizedDrafts(rand: Rand, type: "int8" | "int16"): LstmDraft[] {
    const drafts: LstmDraft[] = [];
    const power = Math.pow(2, -11);
    for (let i = 0; i < 6; i++) {
        const s = randomShape(rand);
        const weightRange = rand.pick([20, 60, 127]);
        drafts.push(quantizedDraft(rand, [weightRange === 127 ? "saturation" : "random", "cell-scale-2^-11"], type, s,
            { weightRange, cellScale: power, cellClip: i % 2 === 0 ? 0 : rand.pick([0.5, 2, 7.9]) }));
    }
    // A cell scale that is no power of two (TFLM rounds its log2); one that puts tanh's input shift below zero (a multiplier of 3 and a right shift).
    drafts.push(quantizedDraft(rand, ["cell-scale-not-power-of-two"], type, randomShape(rand), { weightRange: 60, cellScale: 0.0003, cellClip: 1.5 }));
    drafts.push(quantizedDraft(rand, ["cell-scale-small"], type, randomShape(rand), { weightRange: 127, cellScale: Math.pow(2, -16), cellClip: 0 }));
    // Every size 1; the largest sizes; a cell_clip past the int16 range (clamped to 32767) and one below 0 (no clipping).
    drafts.push(quantizedDraft(rand, ["sizes-1"], type, { batches: 1, steps: 1, inputSize: 1, stateSize: 1, timeMajor: false }, { weightRange: 60, cellScale: power, cellClip: 0 }));
    drafts.push(quantizedDraft(rand, ["sizes-max"], type, { batches: 3, steps: 5, inputSize: 8, stateSize: 8, timeMajor: true }, { weightRange: 60, cellScale: power, cellClip: 3 }));
    drafts.push(quantizedDraft(rand, ["clip-past-int16"], type, randomShape(rand), { weightRange: 127, cellScale: Math.pow(2, -13), cellClip: 100 }));
    drafts.push(quantizedDraft(rand, ["negative-clip"], type, randomShape(rand), { weightRange: 60, cellScale: power, cellClip: -1 }));
    return drafts;
}

/** The drafts of each op (the golden generator and the fuzzer use the same). */
export const LSTM_DRAFTS: { [op: string]: (rand: Rand) => LstmDraft[] } = {
    unidirectional_sequence_lstm: (rand) => floatDrafts(rand).concat(quantizedDrafts(rand, "int8"), quantizedDrafts(rand, "int16")),
};
