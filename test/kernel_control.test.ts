// CALL_ONCE, IF, WHILE and the resource variables (libs/tflite/kernel_control.ts, kernels/prepare_control.c,
// kernels/control.c) and models of several subgraphs past what TFLM's goldens show
// (test/tflm_goldens.test.ts runs those): that the goldens reach every branch, models both loaders
// refuse with the same message, the board's default build refusing several subgraphs, and
// resetState running the init subgraph again.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildLoaderTool, cLoaderDump, cLoaderRun, CORE_LOADER_TOOL, stsLoaderDump } from "../node/c-loader";
import { GraphBuilder, subgraphsModel, TensorSpec } from "../node/model-writer";
import type { GoldenManifest } from "../tools/make-tflm-goldens";
import { loadTflite } from "../node/sts-runtime";
import { nativeAddon } from "../node/native";

const GOLDENS = path.join(__dirname, "..", "..", "test", "tflm-goldens");

const HANDLE: TensorSpec = { shape: [], type: "resource" };
const f32 = (shape: number[]): TensorSpec => ({ shape, type: "float32" });

function loadBoth(model: Buffer): { ok: boolean; text: string } {
    const sts = stsLoaderDump(model);
    assert.deepStrictEqual(cLoaderDump(model), sts);
    return sts;
}

/** Subgraph 0 reads variable "v" (of `shape`) into its output after `before` ran; `init` (if any) is subgraph 1. */
function readModel(opts: { before?: (g: GraphBuilder, h: number) => void; init?: GraphBuilder; extra?: GraphBuilder[]; readShape?: number[] } = {}): Buffer {
    const g = new GraphBuilder();
    const x = g.input({ name: "x", ...f32([2]) });
    if (opts.init) g.op("CALL_ONCE", [], [], { initSubgraphIndex: 1 });
    const h = g.tensor({ name: "h", ...HANDLE });
    g.op("VAR_HANDLE", [], [h], { sharedName: "v" });
    if (opts.before) opts.before(g, h);
    const y = g.output(g.tensor({ name: "y", ...f32(opts.readShape ?? [2]) }));
    g.op("READ_VARIABLE", [h], [y]);
    g.op("ASSIGN_VARIABLE", [h, x], []);
    return subgraphsModel([g, ...(opts.init ? [opts.init] : []), ...(opts.extra ?? [])]);
}

/** An init subgraph that assigns `values` to variable "v". */
function initGraph(values: number[]): GraphBuilder {
    const init = new GraphBuilder();
    const h = init.tensor({ name: "h", ...HANDLE });
    init.op("VAR_HANDLE", [], [h], { sharedName: "v" });
    const c = init.constant({ name: "c", ...f32([values.length]), data: values });
    init.op("ASSIGN_VARIABLE", [h, c], []);
    return init;
}

describe("CALL_ONCE and resource variables: coverage, refusals, the STS and the C alike", () => {
    before(() => {
        buildLoaderTool();
        buildLoaderTool({ core: true });
    });

    it("has TFLM goldens for both types, the init subgraph, the fill at load, containers and the order of reads and assigns", () => {
        const covers: string[] = [];
        for (const op of ["call_once", "assign_variable"]) {
            const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, op, "manifest.json"), "utf8"));
            assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
            for (const c of m.cases) {
                assert.ok((c.invokes ?? 1) >= 3, `${c.name}: several invokes carry the state`);
                covers.push(...c.covers.map((w) => `${c.covers[0]} ${w}`));
            }
        }
        for (const type of ["float32", "int8"])
            for (const branch of ["init-subgraph", "fill-at-load", "containers", "no-container-finds-first", "read-then-assign", "assign-then-read"])
                assert.ok(covers.includes(`${type} ${branch}`), `${type} ${branch}`);
    });

    it("runs the init subgraph again after resetState, as after a load (TFLM's Reset would not)", () => {
        const tflite = loadTflite();
        const ip = new tflite.StsInterpreter(readModel({ init: initGraph([5, 6]) }));
        const run = (x: number[]) => {
            ip.setInput(0, x);
            ip.invoke();
            return ip.outputValues(0);
        };
        assert.deepStrictEqual(run([1, 2]), [5, 6]);
        assert.deepStrictEqual(run([3, 4]), [1, 2]);
        ip.resetState();
        assert.deepStrictEqual(run([7, 8]), [5, 6]);
        // The C loader's state, invoked in sequence (loader-tool steps through input 0).
        const input = Buffer.alloc(16);
        [1, 2, 3, 4].forEach((v, i) => input.writeFloatLE(v, 4 * i));
        const out = cLoaderRun(readModel({ init: initGraph([5, 6]) }), [input], 8);
        assert.deepStrictEqual([0, 1, 2, 3].map((i) => out.readFloatLE(4 * i)), [5, 6, 1, 2]);
    });

    it("runs a CALL_ONCE inside an init subgraph (three subgraphs) alike in the STS and in C", () => {
        const init = new GraphBuilder();
        init.op("CALL_ONCE", [], [], { initSubgraphIndex: 2 });
        const model = readModel({ init, extra: [initGraph([9, 10])] });
        assert.ok(loadBoth(model).ok);
        const input = Buffer.alloc(16);
        [1, 2, 3, 4].forEach((v, i) => input.writeFloatLE(v, 4 * i));
        const out = cLoaderRun(model, [input], 8);
        assert.deepStrictEqual([0, 1, 2, 3].map((i) => out.readFloatLE(4 * i)), [9, 10, 1, 2]);
    });

    /** IF of a condition of `condType` and `inputs` inputs of float32[2] into one output; both branches add 1 to their input 0. */
    function ifModel(condType: "bool" | "int32", inputs: number, branchInputShape = [2]): Buffer {
        const g = new GraphBuilder();
        const c = g.input({ name: "cond", shape: [], type: condType });
        const xs: number[] = [];
        for (let i = 0; i < inputs; i++) xs.push(g.input({ name: `x${i}`, ...f32([2]) }));
        const y = g.output(g.tensor({ name: "y", ...f32([2]) }));
        g.op("IF", [c, ...xs], [y], { thenSubgraphIndex: 1, elseSubgraphIndex: 1 });
        const b = new GraphBuilder();
        const a = b.input({ name: "a", ...f32(branchInputShape) });
        const one = b.constant({ name: "one", ...f32(branchInputShape), data: branchInputShape.length === 1 && branchInputShape[0] === 2 ? [1, 1] : [1] });
        b.op("ADD", [a, one], [b.output(b.tensor({ name: "out", ...f32(branchInputShape) }))], { activation: "NONE" });
        return subgraphsModel([g, b]);
    }

    /**
     * WHILE of a counter (int32) and `values` (float32 of `shape`): the cond subgraph is counter <
     * `limit`, the body adds `step` to the counter and 1 to the values. `change` edits the three
     * graphs before they are written (the refusals).
     */
    function whileModel(opts: { limit?: number; step?: number; shape?: number[]; change?: (main: GraphBuilder, cond: GraphBuilder, body: GraphBuilder) => void } = {}): Buffer {
        const shape = opts.shape ?? [2];
        const counter: TensorSpec = { shape: [], type: "int32" };
        const main = new GraphBuilder();
        const ins = [main.input({ name: "i", ...counter }), main.input({ name: "x", ...f32(shape) })];
        const outs = [main.output(main.tensor({ name: "j", ...counter })), main.output(main.tensor({ name: "y", ...f32(shape) }))];
        main.op("WHILE", ins, outs, { condSubgraphIndex: 1, bodySubgraphIndex: 2 });
        const cond = new GraphBuilder();
        const ci = cond.input({ name: "ci", ...counter });
        cond.input({ name: "cx", ...f32(shape) });
        const limit = cond.constant({ name: "limit", ...counter, data: [opts.limit ?? 3] });
        cond.op("LESS", [ci, limit], [cond.output(cond.tensor({ name: "more", shape: [], type: "bool" }))]);
        const body = new GraphBuilder();
        const bi = body.input({ name: "bi", ...counter });
        const bx = body.input({ name: "bx", ...f32(shape) });
        const step = body.constant({ name: "step", ...counter, data: [opts.step ?? 1] });
        body.op("ADD", [bi, step], [body.output(body.tensor({ name: "next", ...counter }))], { activation: "NONE" });
        const one = body.constant({ name: "one", ...f32(shape), data: new Array(shape.reduce((a, b) => a * b, 1)).fill(1) });
        body.op("ADD", [bx, one], [body.output(body.tensor({ name: "sum", ...f32(shape) }))], { activation: "NONE" });
        if (opts.change) opts.change(main, cond, body);
        return subgraphsModel([main, cond, body]);
    }

    it("has TFLM goldens of WHILE for float32, int8 and int32 with 0, 1 and several turns and a value passed through", () => {
        const m: GoldenManifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, "while", "manifest.json"), "utf8"));
        assert.match(m.tflmCommit, /^[0-9a-f]{40}$/);
        const covers = new Set<string>();
        for (const c of m.cases) for (const w of c.covers.slice(1)) covers.add(`${c.covers[0]} ${w}`);
        for (const type of ["float32", "int8", "int32"]) {
            assert.ok(covers.has(`${type} pass-through`), `${type} pass-through`);
            assert.ok(covers.has(`${type} several-turns`) || covers.has(`${type} one-turn`), `${type} turns`);
        }
        for (const turns of ["no-turn", "one-turn", "several-turns"])
            assert.ok(Array.from(covers).some((w) => w.endsWith(turns)), turns);
    });

    it("stops a WHILE whose condition never turns false after 10,000 turns, in the STS and in C alike (TFLM would hang)", () => {
        // The counter steps by 0: counter < 3 holds for ever; the values grow by 1 a turn.
        const model = whileModel({ step: 0 });
        const tflite = loadTflite();
        const ip = new tflite.StsInterpreter(model);
        ip.setInput(0, [0]);
        ip.setInput(1, [0.5, -2]);
        assert.strictEqual(ip.invoke(), false);
        assert.deepStrictEqual(ip.outputValues(1), [10000.5, 9998]);
        const addon = nativeAddon();
        assert.ok(addon, "the Node addon is built (npm run build)");
        const [handle, state, arenaBytes] = addon!.load(model, true);
        const arena = Buffer.alloc(arenaBytes);
        addon!.reset(handle, arena);
        // Word 2 of an input or output record is its arena offset (IoWord.Offset, a const enum gone at run time).
        arena.writeInt32LE(0, tflite.ioWord(state, 0, 2));
        const xAt = tflite.ioWord(state, 1, 2);
        arena.writeFloatLE(0.5, xAt);
        arena.writeFloatLE(-2, xAt + 4);
        assert.strictEqual(addon!.invoke(handle, arena), false);
        const yAt = tflite.ioWord(state, 3, 2);
        assert.deepStrictEqual([arena.readFloatLE(yAt), arena.readFloatLE(yAt + 4)], [10000.5, 9998]);
        // A loop that ends runs to the end: 3 turns from 0.
        const ends = new tflite.StsInterpreter(whileModel());
        ends.setInput(0, [0]);
        ends.setInput(1, [0.5, -2]);
        assert.strictEqual(ends.invoke(), true);
        assert.deepStrictEqual([ends.outputValues(0), ends.outputValues(1)], [[3], [3.5, 1]]);
    });

    const refused: { name: string; model: () => Buffer; message: RegExp }[] = [
        {
            name: "a WHILE whose cond subgraph's output is not one BOOL", message: /^error operator 0 \(WHILE v1\): cond subgraph 1's output must be one BOOL, not tensor 0 'ci' INT32\[\]$/,
            model: () => whileModel({ change: (main, cond) => { cond.outputs = [0]; } }),
        },
        {
            name: "a WHILE whose cond subgraph has no output", message: /^error operator 0 \(WHILE v1\): cond subgraph 1 has no output$/,
            model: () => whileModel({ change: (main, cond) => { cond.outputs = []; } }),
        },
        {
            name: "a WHILE of another number of inputs than its cond subgraph", message: /^error operator 0 \(WHILE v1\): has 2 inputs, subgraph 1 1$/,
            model: () => whileModel({ change: (main, cond) => { cond.inputs = [0]; } }),
        },
        {
            name: "a WHILE of another number of outputs than its body", message: /^error operator 0 \(WHILE v1\): has 2 outputs, subgraph 2 1$/,
            model: () => whileModel({ change: (main, cond, body) => { body.outputs = [body.outputs[0]]; } }),
        },
        {
            name: "a WHILE whose input and output differ in size", message: /^error operator 0 \(WHILE v1\): input tensor 1 'x' FLOAT32\[2\] and output tensor 3 'y' FLOAT32\[3\] differ in size$/,
            // The body's output too, so that only the op's input and output differ.
            model: () => whileModel({ change: (main, cond, body) => { main.tensors[3].shape = [3]; body.tensors[5].shape = [3]; } }),
        },
        {
            name: "a WHILE whose body input differs in size from its input", message: /^error operator 0 \(WHILE v1\): input tensor 1 'x' FLOAT32\[2\] and subgraph 2's tensor 1 'bx' FLOAT32\[1\] differ in size$/,
            model: () => whileModel({ change: (main, cond, body) => { body.tensors[1].shape = [1]; } }),
        },
        {
            name: "a WHILE of more outputs than inputs", message: /^error operator 0 \(WHILE v1\): has 2 inputs and 3 outputs \(a WHILE has as many of each\)$/,
            model: () => whileModel({
                change: (main, cond, body) => {
                    main.operators[0].outputs.push(main.output(main.tensor({ name: "z", ...f32([2]) })));
                    body.output(4);
                },
            }),
        },
        {
            name: "a WHILE whose body is its own subgraph", message: /^error operator 0 \(WHILE v1\): body subgraph 0 is the op's own subgraph$/,
            model: () => whileModel({ change: (main) => { main.operators[0].options = { condSubgraphIndex: 1, bodySubgraphIndex: 0 }; } }),
        },
        {
            name: "an IF whose condition is not one BOOL", message: /^error operator 0 \(IF v1\): the condition must be one BOOL, not tensor 0 'cond' INT32\[\]$/,
            model: () => ifModel("int32", 1),
        },
        {
            name: "an IF of another number of inputs than its branch", message: /^error operator 0 \(IF v1\): has 2 inputs, subgraph 1 1$/,
            model: () => ifModel("bool", 2),
        },
        {
            name: "an IF whose input differs in size from its branch's", message: /^error operator 0 \(IF v1\): input tensor 1 'x0' FLOAT32\[2\] and subgraph 1's tensor 0 'a' FLOAT32\[1\] differ in size$/,
            model: () => ifModel("bool", 1, [1]),
        },
        {
            name: "an init subgraph outside the model", message: /^error operator 0 \(CALL_ONCE v1\): init subgraph 5 is not a subgraph of the model's 2$/,
            model: () => {
                const g = new GraphBuilder();
                g.output(g.input(f32([1])));
                g.op("CALL_ONCE", [], [], { initSubgraphIndex: 5 });
                return subgraphsModel([g, initGraph([1])]);
            },
        },
        {
            name: "a CALL_ONCE of its own subgraph (it would never end)", message: /^error subgraph 1 operator 0 \(CALL_ONCE v1\): init subgraph 1 is the op's own subgraph$/,
            model: () => {
                const init = new GraphBuilder();
                init.op("CALL_ONCE", [], [], { initSubgraphIndex: 1 });
                return readModel({ init });
            },
        },
        {
            name: "a CALL_ONCE with an input", message: /^error operator 0 \(CALL_ONCE v1\): takes no inputs and no outputs$/,
            model: () => {
                const g = new GraphBuilder();
                const x = g.output(g.input(f32([1])));
                g.op("CALL_ONCE", [x], [], { initSubgraphIndex: 1 });
                return subgraphsModel([g, initGraph([1])]);
            },
        },
        {
            name: "a VAR_HANDLE without a shared name", message: /^error operator 0 \(VAR_HANDLE v1\): needs a shared_name option$/,
            model: () => {
                const g = new GraphBuilder();
                g.output(g.input(f32([1])));
                g.op("VAR_HANDLE", [], [g.tensor(HANDLE)], { container: "c" });
                return g.toBuffer();
            },
        },
        {
            name: "a VAR_HANDLE into an INT8 tensor", message: /^error operator 0 \(VAR_HANDLE v1\): the handle must be RESOURCE, not tensor 1 INT8\[\]$/,
            model: () => {
                const g = new GraphBuilder();
                g.output(g.input(f32([1])));
                g.op("VAR_HANDLE", [], [g.tensor({ shape: [], type: "int8" })], { sharedName: "v" });
                return g.toBuffer();
            },
        },
        {
            name: "a handle that no VAR_HANDLE writes (a model input)", message: /^error operator 0 \(READ_VARIABLE v1\): the handle tensor 0 'h' RESOURCE\[\] must come from a VAR_HANDLE before it in its subgraph$/,
            model: () => {
                const g = new GraphBuilder();
                const h = g.input({ name: "h", ...HANDLE });
                g.op("READ_VARIABLE", [h], [g.output(g.tensor(f32([2])))]);
                return g.toBuffer();
            },
        },
        {
            name: "a READ_VARIABLE of a variable no ASSIGN_VARIABLE sizes", message: /^error operator 1 \(READ_VARIABLE v1\): reads resource variable 'v', which no ASSIGN_VARIABLE gives a size$/,
            model: () => {
                const g = new GraphBuilder();
                g.input(f32([2]));
                const h = g.tensor(HANDLE);
                g.op("VAR_HANDLE", [], [h], { sharedName: "v" });
                g.op("READ_VARIABLE", [h], [g.output(g.tensor(f32([2])))]);
                return g.toBuffer();
            },
        },
        {
            name: "a READ_VARIABLE into an output of another size", message: /^error operator 1 \(READ_VARIABLE v1\): reads resource variable 'v' of 8 bytes into tensor 2 'y' FLOAT32\[3\]$/,
            model: () => readModel({ readShape: [3] }),
        },
        {
            name: "an ASSIGN_VARIABLE of another size than the first", message: /^error subgraph 1 operator 1 \(ASSIGN_VARIABLE v1\): assigns 12 bytes \(tensor 1 'c' FLOAT32\[3\]\) to resource variable 'v' of 8 bytes$/,
            model: () => readModel({ init: initGraph([1, 2, 3]) }),
        },
        {
            name: "a 17th resource variable", message: /^error operator 16 \(VAR_HANDLE v1\): more than 16 resource variables$/,
            model: () => {
                const g = new GraphBuilder();
                g.output(g.input(f32([1])));
                for (let i = 0; i < 17; i++) g.op("VAR_HANDLE", [], [g.tensor(HANDLE)], { sharedName: `v${i}` });
                return g.toBuffer();
            },
        },
        {
            name: "an operator of subgraph 1 naming a tensor it does not have", message: /^error corrupt model: subgraph 1 operator 0 input 0 is tensor 7 of 2$/,
            model: () => {
                const init = initGraph([1, 2]);
                init.operators[0].inputs = [7];
                return readModel({ init });
            },
        },
    ];
    for (const c of refused)
        it(`refuses ${c.name}, with the same message from both loaders`, () => {
            const res = loadBoth(c.model());
            assert.match(res.text, c.message);
        });

    it("refuses several subgraphs in the board's default build, naming the extension that has them", () => {
        const res = cLoaderDump(readModel({ init: initGraph([1, 2]) }), CORE_LOADER_TOOL);
        assert.strictEqual(res.text, "error 2 subgraphs need the extension tinyml-all-ops");
    });
});
