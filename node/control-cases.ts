// Generated models of the ops that run other subgraphs and of resource variables
// (libs/tflite/kernel_control.ts): CALL_ONCE with VAR_HANDLE, READ_VARIABLE and ASSIGN_VARIABLE,
// as TF's converter writes a stateful model (an init subgraph that assigns each variable its
// first value, subgraph 0 reading and assigning it on every invoke). TFLM's goldens
// (tools/tflm-goldens-control.ts) take every draft of an op, each run for several invokes in
// sequence so that the state carried from one to the next shows in the outputs. TFLM's branches:
// the init subgraph runs on the first invoke only; a variable's size and fill come from the first
// ASSIGN_VARIABLE prepared (subgraph 0's before the init subgraph's), its fill being the value's
// zero point when quantized (int8), else 0 (seen when no init subgraph assigns it first); a
// VAR_HANDLE without a container matches a variable of any container, two containers with one
// shared name are two variables. Sizes are small: one case runs in milliseconds.
import type { OpCase, Rand } from "./fuzz";
import { encodeValues, GraphBuilder, ModelSpec, quantize, subgraphsModel, TensorSpec, TypeName } from "./model-writer";

/** One case before anything ran it: the branches it takes, the model, the model inputs' bytes. */
export interface ControlDraft {
    covers: string[];
    /** The model's subgraphs, graphs[0] first. */
    graphs: GraphBuilder[];
    /** The ops and tensors in one line (the manifest's summary). */
    summary: string;
    outputType: TypeName;
    /** The inputs' bytes for every invoke, appended (several invokes: one input only). */
    inputs: Buffer[];
    invokes: number;
}

export function controlModel(d: ControlDraft): Buffer {
    return subgraphsModel(d.graphs);
}

/** The model's spec (every subgraph), for writers that take one. */
export function controlSpec(d: ControlDraft): ModelSpec {
    return { subgraphs: d.graphs.map((g) => g.subgraph()) };
}

function shapeOf(rand: Rand): number[] {
    const rank = rand.int(1, 3);
    const shape: number[] = [];
    for (let i = 0; i < rank; i++) shape.push(rand.int(1, 4));
    return shape;
}

const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** A value tensor of `type`: float32, or int8 with one scale and the zero point given. */
function valueSpec(type: TypeName, shape: number[], zeroPoint: number): TensorSpec {
    return type === "int8" ? { shape, type, scale: 0.125, zeroPoint } : { shape, type };
}

/** `n` values of `type` as bytes: reals in [-4, 4), int8 quantized with scale 1/8. */
function valuesOf(rand: Rand, type: TypeName, n: number, zeroPoint: number): Buffer {
    const reals: number[] = [];
    for (let i = 0; i < n; i++) reals.push(Math.round((rand.next() * 8 - 4) * 16) / 16);
    return encodeValues(type, type === "int8" ? quantize(reals, 0.125, zeroPoint) : reals);
}

const HANDLE: TensorSpec = { shape: [], type: "resource" };

/**
 * The accumulator: an init subgraph assigns `init` to variable "acc"; each invoke reads it, adds
 * the input and assigns the sum back, which is also the output (the running sum).
 */
function accumulatorDraft(rand: Rand, type: TypeName, withInit: boolean): ControlDraft {
    const shape = shapeOf(rand);
    const zp = type === "int8" ? rand.int(-20, 20) : 0;
    const invokes = rand.int(3, 5);
    const main = new GraphBuilder();
    const x = main.input({ name: "x", ...valueSpec(type, shape, zp) });
    const graphs = [main];
    if (withInit) {
        const init = new GraphBuilder();
        const h = init.tensor({ name: "acc_handle", ...HANDLE });
        init.op("VAR_HANDLE", [], [h], { sharedName: "acc" });
        const c = init.constant({ name: "acc_init", ...valueSpec(type, shape, zp), data: valuesOf(rand, type, count(shape), zp) });
        init.op("ASSIGN_VARIABLE", [h, c], []);
        main.op("CALL_ONCE", [], [], { initSubgraphIndex: 1 });
        graphs.push(init);
    }
    const h = main.tensor({ name: "handle", ...HANDLE });
    main.op("VAR_HANDLE", [], [h], { sharedName: "acc" });
    const v = main.tensor({ name: "value", ...valueSpec(type, shape, zp) });
    main.op("READ_VARIABLE", [h], [v]);
    const sum = main.output(main.tensor({ name: "sum", ...valueSpec(type, shape, zp) }));
    main.op("ADD", [v, x], [sum], { activation: "NONE" });
    main.op("ASSIGN_VARIABLE", [h, sum], []);
    return {
        covers: [type, withInit ? "init-subgraph" : "fill-at-load", "read-then-assign"],
        graphs, summary: `${withInit ? "CALL_ONCE(init: VAR_HANDLE acc, ASSIGN_VARIABLE const); " : ""}VAR_HANDLE acc, READ_VARIABLE, ADD x, ASSIGN_VARIABLE; ${type}[${shape}]${type === "int8" ? ` s=0.125 z=${zp}` : ""}`,
        outputType: type, inputs: [valuesOf(rand, type, invokes * count(shape), zp)], invokes,
    };
}

/**
 * Two variables of one shared name in containers "a" and "b", both given a constant by the init
 * subgraph. Each invoke outputs both, read through a handle without a container (which finds
 * "a", created first) and one of container "b", then assigns the input to "a" through its own
 * handle: "a" delays the input by one invoke, "b" keeps its first value.
 */
function containersDraft(rand: Rand, type: TypeName): ControlDraft {
    const shape = shapeOf(rand);
    const zp = type === "int8" ? rand.int(-20, 20) : 0;
    const invokes = rand.int(3, 4);
    const main = new GraphBuilder();
    const x = main.input({ name: "x", ...valueSpec(type, shape, zp) });
    main.op("CALL_ONCE", [], [], { initSubgraphIndex: 1 });
    const init = new GraphBuilder();
    for (const container of ["a", "b"]) {
        const h = init.tensor({ name: `${container}_handle`, ...HANDLE });
        init.op("VAR_HANDLE", [], [h], { container, sharedName: "v" });
        const c = init.constant({ name: `${container}_init`, ...valueSpec(type, shape, zp), data: valuesOf(rand, type, count(shape), zp) });
        init.op("ASSIGN_VARIABLE", [h, c], []);
    }
    // Subgraph 0 is prepared first: its handles of both containers come before the one without
    // (TFLM compares a container with each variable's, and crashes on a variable created without one).
    const ha = main.tensor({ name: "a_handle", ...HANDLE });
    main.op("VAR_HANDLE", [], [ha], { container: "a", sharedName: "v" });
    const hb = main.tensor({ name: "b_handle", ...HANDLE });
    main.op("VAR_HANDLE", [], [hb], { container: "b", sharedName: "v" });
    const hany = main.tensor({ name: "any_handle", ...HANDLE });
    main.op("VAR_HANDLE", [], [hany], { sharedName: "v" });
    const va = main.output(main.tensor({ name: "a_value", ...valueSpec(type, shape, zp) }));
    main.op("READ_VARIABLE", [hany], [va]);
    const vb = main.output(main.tensor({ name: "b_value", ...valueSpec(type, shape, zp) }));
    main.op("READ_VARIABLE", [hb], [vb]);
    main.op("ASSIGN_VARIABLE", [ha, x], []);
    return {
        covers: [type, "init-subgraph", "containers", "no-container-finds-first", "assign-after-read"],
        graphs: [main, init],
        summary: `CALL_ONCE(init: VAR_HANDLE a/v, b/v, ASSIGN_VARIABLE consts); VAR_HANDLE a/v, b/v, v (finds a/v); READ v, b/v; ASSIGN a/v x; ${type}[${shape}]${type === "int8" ? ` s=0.125 z=${zp}` : ""}`,
        outputType: type, inputs: [valuesOf(rand, type, invokes * count(shape), zp)], invokes,
    };
}

/**
 * A delay without an init subgraph: the first invoke outputs the fill (the zero point for int8,
 * else 0), each later one the previous input; the variable is assigned before a second read in
 * the same invoke, so the second output is the input itself.
 */
function delayDraft(rand: Rand, type: TypeName): ControlDraft {
    const shape = shapeOf(rand);
    const zp = type === "int8" ? rand.int(-100, 100) : 0;
    const invokes = rand.int(3, 4);
    const main = new GraphBuilder();
    const x = main.input({ name: "x", ...valueSpec(type, shape, zp) });
    const h = main.tensor({ name: "handle", ...HANDLE });
    main.op("VAR_HANDLE", [], [h], { sharedName: "delay" });
    const before = main.output(main.tensor({ name: "before", ...valueSpec(type, shape, zp) }));
    main.op("READ_VARIABLE", [h], [before]);
    main.op("ASSIGN_VARIABLE", [h, x], []);
    const after = main.output(main.tensor({ name: "after", ...valueSpec(type, shape, zp) }));
    main.op("READ_VARIABLE", [h], [after]);
    return {
        covers: [type, "fill-at-load", "assign-then-read"],
        graphs: [main],
        summary: `VAR_HANDLE delay, READ_VARIABLE, ASSIGN_VARIABLE x, READ_VARIABLE; ${type}[${shape}]${type === "int8" ? ` s=0.125 z=${zp}` : ""}`,
        outputType: type, inputs: [valuesOf(rand, type, invokes * count(shape), zp)], invokes,
    };
}

/**
 * IF: the condition (a model input) picks the then subgraph (input + a constant) or the else
 * subgraph (input - a constant, and a second output passing the second input through); the
 * second input is a constant of subgraph 0 (copied from the model).
 */
function ifDraft(rand: Rand, type: TypeName, cond: boolean): ControlDraft {
    const shape = shapeOf(rand);
    const zp = type === "int8" ? rand.int(-20, 20) : 0;
    const main = new GraphBuilder();
    const c = main.input({ name: "cond", shape: [], type: "bool" });
    const x = main.input({ name: "x", ...valueSpec(type, shape, zp) });
    const k = main.constant({ name: "k", ...valueSpec(type, shape, zp), data: valuesOf(rand, type, count(shape), zp) });
    const y = main.output(main.tensor({ name: "y", ...valueSpec(type, shape, zp) }));
    const z = main.output(main.tensor({ name: "z", ...valueSpec(type, shape, zp) }));
    main.op("IF", [c, x, k], [y, z], { thenSubgraphIndex: 1, elseSubgraphIndex: 2 });
    const branch = (op: string) => {
        const g = new GraphBuilder();
        const a = g.input({ name: "a", ...valueSpec(type, shape, zp) });
        const b = g.input({ name: "b", ...valueSpec(type, shape, zp) });
        const e = g.constant({ name: "e", ...valueSpec(type, shape, zp), data: valuesOf(rand, type, count(shape), zp) });
        const out = g.output(g.tensor({ name: "out", ...valueSpec(type, shape, zp) }));
        g.op(op, [a, e], [out], { activation: "NONE" });
        g.output(b);
        return g;
    };
    return {
        covers: [type, cond ? "then" : "else", "constant-input", "output-is-input"],
        graphs: [main, branch("ADD"), branch("SUB")],
        summary: `IF(${cond}: then ADD a e, b; else SUB a e, b) of x and a constant; ${type}[${shape}]${type === "int8" ? ` s=0.125 z=${zp}` : ""}`,
        outputType: type, inputs: [Buffer.from([cond ? 1 : 0]), valuesOf(rand, type, count(shape), zp)], invokes: 1,
    };
}

export function ifDrafts(rand: Rand): ControlDraft[] {
    const drafts: ControlDraft[] = [];
    for (const type of ["float32", "int8"] as TypeName[]) for (const cond of [true, false]) drafts.push(ifDraft(rand, type, cond));
    return drafts;
}

/**
 * WHILE over (counter, accumulator): the cond subgraph is counter < limit (a constant of its own),
 * the body adds 1 to the counter and a constant to the accumulator; the counter starts at a model
 * input, so the loop turns `turns` times (0: the op's outputs are its inputs). `passThrough` adds a
 * third loop value that the body passes through unchanged (its input is its output).
 */
function whileDraft(rand: Rand, type: TypeName, turns: number, passThrough: boolean): ControlDraft {
    const shape = shapeOf(rand);
    const zp = type === "int8" ? rand.int(-20, 20) : 0;
    const start = rand.int(-3, 3);
    const limit = start + turns;
    const counterSpec: TensorSpec = { shape: [], type: "int32" };
    const values = (n: number) => type === "int32" ? encodeValues("int32", Array.from({ length: n }, () => rand.int(-1000, 1000))) : valuesOf(rand, type, n, zp);
    const loopSpecs = [counterSpec, valueSpec(type, shape, zp), ...(passThrough ? [valueSpec(type, shape, zp)] : [])];
    const main = new GraphBuilder();
    const ins = loopSpecs.map((spec, i) => main.input({ name: `in${i}`, ...spec }));
    const outs = loopSpecs.map((spec, i) => main.tensor({ name: `out${i}`, ...spec }));
    main.output(outs[1]);
    main.output(outs[0]);
    if (passThrough) main.output(outs[2]);
    main.op("WHILE", ins, outs, { condSubgraphIndex: 1, bodySubgraphIndex: 2 });
    const cond = new GraphBuilder();
    const condIns = loopSpecs.map((spec, i) => cond.input({ name: `c${i}`, ...spec }));
    const limitTensor = cond.constant({ name: "limit", ...counterSpec, data: [limit] });
    cond.op("LESS", [condIns[0], limitTensor], [cond.output(cond.tensor({ name: "more", shape: [], type: "bool" }))]);
    const body = new GraphBuilder();
    const bodyIns = loopSpecs.map((spec, i) => body.input({ name: `b${i}`, ...spec }));
    const one = body.constant({ name: "one", ...counterSpec, data: [1] });
    const next = body.output(body.tensor({ name: "next", ...counterSpec }));
    body.op("ADD", [bodyIns[0], one], [next], { activation: "NONE" });
    const step = body.constant({ name: "step", ...valueSpec(type, shape, zp), data: values(count(shape)) });
    const sum = body.output(body.tensor({ name: "sum", ...valueSpec(type, shape, zp) }));
    body.op("ADD", [bodyIns[1], step], [sum], { activation: "NONE" });
    if (passThrough) body.output(bodyIns[2]);
    const turnsCover = turns === 0 ? "no-turn" : turns === 1 ? "one-turn" : "several-turns";
    return {
        covers: [type, turnsCover, ...(passThrough ? ["pass-through"] : [])],
        graphs: [main, cond, body],
        summary: `WHILE(i < ${limit}: i + 1, acc + step${passThrough ? ", v" : ""}) from i = ${start}: ${turns} turns; ${type}[${shape}]${type === "int8" ? ` s=0.125 z=${zp}` : ""}`,
        outputType: type,
        inputs: [encodeValues("int32", [start]), values(count(shape)), ...(passThrough ? [values(count(shape))] : [])], invokes: 1,
    };
}

export function whileDrafts(rand: Rand): ControlDraft[] {
    return [
        whileDraft(rand, "float32", 0, false), whileDraft(rand, "float32", 1, false), whileDraft(rand, "float32", 5, true),
        whileDraft(rand, "int8", 1, false), whileDraft(rand, "int8", 7, true), whileDraft(rand, "int32", 0, true),
        whileDraft(rand, "int32", 3, false),
    ];
}

export function callOnceDrafts(rand: Rand): ControlDraft[] {
    const drafts: ControlDraft[] = [];
    for (const type of ["float32", "int8"] as TypeName[]) {
        drafts.push(accumulatorDraft(rand, type, true));
        drafts.push(containersDraft(rand, type));
    }
    return drafts;
}

export function variableDrafts(rand: Rand): ControlDraft[] {
    const drafts: ControlDraft[] = [];
    for (const type of ["float32", "int8"] as TypeName[]) {
        drafts.push(accumulatorDraft(rand, type, false));
        drafts.push(delayDraft(rand, type));
    }
    return drafts;
}

/** Every op's drafts (the goldens take them all; the fuzzer one at random). */
export const CONTROL_DRAFTS: { [op: string]: (rand: Rand) => ControlDraft[] } = {
    call_once: callOnceDrafts,
    assign_variable: variableDrafts,
    if: ifDrafts,
    while: whileDrafts,
};

/** One of `drafts`, chosen with `rand`, as a fuzzer case: its invokes become the case's steps. */
export function controlCase(rand: Rand, drafts: ControlDraft[]): OpCase {
    const d = drafts[rand.int(0, drafts.length - 1)];
    const steps: Buffer[][] = [];
    for (let k = 0; k < d.invokes; k++)
        steps.push(d.inputs.map((b) => b.subarray(k * b.length / d.invokes, (k + 1) * b.length / d.invokes)));
    return { model: controlModel(d), inputs: steps[0], outputType: d.outputType, summary: `${d.summary} ${d.covers.join(" ")}`, steps };
}
