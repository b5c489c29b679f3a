// Node's native interpreter: tflite.Interpreter's shims (libs/tflite/interpreter_shim.ts) run the
// board's C loader and kernels, built for this machine as a Node-API addon
// (node/native/addon.c, built by tools/build-addon.js in `npm run build`), instead of their STS
// bodies. The C gives the same bytes as the STS (test/node_native.test.ts) 10 to 100 times faster.
//
// The STS stays behind it: when the addon is not built (no compiler at install), when
// TINYML_NODE_STS=1, and for every model the C loader refuses, the shims' STS bodies run, so a bad
// model gets the STS's message, word for word, as before. What uses StsInterpreter directly (the
// conformance runner, the fuzzer, the training code) still runs the STS.
import * as path from "path";

/** node/native/addon.c's functions. */
export interface NativeAddon {
    load(model: Buffer, portable: boolean): [object, Buffer, number];
    /** false when an op stopped the invoke early (CIRCULAR_BUFFER not due). */
    invoke(handle: object, arena: Buffer): boolean;
    reset(handle: object, arena: Buffer): void;
}

/** Where tools/build-addon.js puts the addon. */
export const ADDON_FILE = path.join(__dirname, "..", "native", "tinyml-node.node");

let addon: NativeAddon | null | undefined;

/** The addon, or null when it was not built (or does not load here). */
export function nativeAddon(): NativeAddon | null {
    if (addon === undefined) {
        try {
            addon = require(ADDON_FILE) as NativeAddon;
        } catch {
            addon = null;
        }
    }
    return addon;
}

/**
 * Which interpreter tflite.Interpreter uses in Node for models loaded from now on: "native" (the C,
 * with host_kernels.c's faster float kernels), "portable" (only kernels/'s C, as the board has it)
 * or "sts". By default native when the addon is built, unless TINYML_NODE_STS=1.
 */
export type NodeInterpreterMode = "native" | "portable" | "sts";
let mode: NodeInterpreterMode | null = null;

export function nodeInterpreterMode(): NodeInterpreterMode {
    if (mode === null) mode = process.env.TINYML_NODE_STS === "1" || !nativeAddon() ? "sts" : "native";
    return mode;
}

/** Sets nodeInterpreterMode (tests, the benchmark); "native" and "portable" need the addon. */
export function setNodeInterpreterMode(m: NodeInterpreterMode): void {
    if (m !== "sts" && !nativeAddon()) throw new Error(`the native addon (${ADDON_FILE}) is not built: run npm run build with a C compiler`);
    mode = m;
}

/** A model the C loaded: its handle and the Buffer its tensors live in. */
interface NativeModel { handle: object; arena: Buffer }

/** The states the C loaded (a state Buffer is the key tflite's shims get). */
const nativeStates = new WeakMap<Buffer, NativeModel>();

/** Whether `state` (from tflite.loadModelState) is run by the C. */
export function isNativeState(state: Buffer): boolean {
    return nativeStates.has(state);
}

/**
 * Loads `model` with the C when the mode says so and the C loader takes it: its state (a copy of
 * the C state's header and input/output records, the Arena word 0) and the Buffer its tensors live
 * in; null for the STS to load it.
 */
function nativeLoad(model: Buffer): { state: Buffer; arena: Buffer } | null {
    const m = nodeInterpreterMode();
    if (m === "sts") return null;
    const native = nativeAddon()!;
    let loaded: [object, Buffer, number];
    try {
        loaded = native.load(model, m === "portable");
    } catch {
        // The STS loads it, or says why not in its own words (the ones tests and users know).
        return null;
    }
    const [handle, state, arenaBytes] = loaded;
    const arena = Buffer.alloc(arenaBytes);
    native.reset(handle, arena);
    nativeStates.set(state, { handle, arena });
    return { state, arena };
}

/** Input or output `io` of a native state as a tflite.Tensor over `arena` (tflite.ioTensor's reading). */
function nativeIoTensor(tflite: any, state: Buffer, arena: Buffer, io: number): any {
    const word = (w: number) => tflite.ioWord(state, io, w);
    const t = new tflite.Tensor();
    t.index = word(IoWord.Index);
    t.name = "";
    t.type = word(IoWord.Type);
    t.shape = [];
    for (let d = 0; d < word(IoWord.Rank); d++) t.shape.push(word(IoWord.Shape + d));
    t.data = arena;
    t.offset = word(IoWord.Offset);
    t.bytes = word(IoWord.Bytes);
    t.isConst = false;
    t.isVariable = false;
    t.scale = state.readFloatLE(tflite.ioRecord(state, io) + 4 * IoWord.Scale);
    t.zeroPoint = word(IoWord.ZeroPoint);
    t.scales = t.scale ? [t.scale] : [];
    t.zeroPoints = t.scale ? [t.zeroPoint] : [];
    t.quantizedDimension = 0;
    return t;
}

/** kernels/loader.h's tfl_io_word (libs/tflite/interpreter_shim.ts IoWord). */
const enum IoWord { Index = 0, Type = 1, Offset = 2, Bytes = 3, Scale = 4, ZeroPoint = 5, Rank = 6, Shape = 7 }
/** kernels/loader.h's tfl_state_word, the words read here. */
const enum StateWord { InputCount = 9, OutputCount = 10 }

/**
 * Gives the tflite namespace its native bodies in Node. tflite.Interpreter becomes a constructor
 * that loads with the C (or, when nativeLoad says no, builds the STS Interpreter as before) and
 * shares Interpreter's prototype, whose invoke and resetState then dispatch on the state; the
 * exported functions the gesture recognizer and tests call with a state (loadModelState, stateData,
 * invokeState, ioTensor) do the same.
 * (Interpreter's own methods call the unexported shims directly, hence the constructor.)
 */
export function installNativeShims(tflite: any): void {
    if (tflite.__nativeShims) return;
    tflite.__nativeShims = true;
    const native = () => nativeAddon()!;
    const StsBacked = tflite.Interpreter;
    const proto = StsBacked.prototype;
    const sts = {
        loadModelState: tflite.loadModelState,
        stateData: tflite.stateData,
        invokeState: tflite.invokeState,
        ioTensor: tflite.ioTensor,
        invoke: proto.invoke,
        resetState: proto.resetState,
    };
    const NodeInterpreter = function (this: any, model: Buffer) {
        const target = new.target || NodeInterpreter;
        const loaded = nativeLoad(model);
        if (!loaded) return Reflect.construct(StsBacked, [model], target);
        const self = Reflect.construct(tflite.TensorAccess, [], target);
        self.modelBytes = model;
        self.lastInvokeMicros = 0;
        self.state = loaded.state;
        self.data = loaded.arena;
        const inputs = loaded.state.readInt32LE(4 * StateWord.InputCount);
        const outputs = loaded.state.readInt32LE(4 * StateWord.OutputCount);
        for (let i = 0; i < inputs + outputs; i++) (i < inputs ? self.inputs : self.outputs).push(nativeIoTensor(tflite, loaded.state, loaded.arena, i));
        return self;
    } as any;
    NodeInterpreter.prototype = proto;
    tflite.Interpreter = NodeInterpreter;
    proto.invoke = function (this: any): void {
        const n = nativeStates.get(this.state);
        if (!n) return sts.invoke.call(this);
        const start = process.hrtime.bigint();
        native().invoke(n.handle, n.arena);
        this.lastInvokeMicros = Number((process.hrtime.bigint() - start) / 1000n);
    };
    proto.resetState = function (this: any): void {
        const n = nativeStates.get(this.state);
        if (n) native().reset(n.handle, n.arena);
        else sts.resetState.call(this);
    };
    tflite.loadModelState = (model: Buffer): Buffer => {
        const loaded = nativeLoad(model);
        return loaded ? loaded.state : sts.loadModelState(model);
    };
    tflite.stateData = (state: Buffer): Buffer => {
        const n = nativeStates.get(state);
        return n ? n.arena : sts.stateData(state);
    };
    tflite.ioTensor = (state: Buffer, io: number): any => {
        const n = nativeStates.get(state);
        return n ? nativeIoTensor(tflite, state, n.arena, io) : sts.ioTensor(state, io);
    };
    tflite.invokeState = (state: Buffer, model: Buffer): void => {
        const n = nativeStates.get(state);
        // The C reads the copy of the model it made at load, not `model`.
        if (n) native().invoke(n.handle, n.arena);
        else sts.invokeState(state, model);
    };
}
