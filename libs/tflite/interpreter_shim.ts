namespace tflite {
    // tflite.Interpreter, the class programs use, on every platform. Its work is done through a few
    // shims (functions marked `//% shim=tflite::...`): on the micro:bit they call the C loader and
    // kernels (kernels/loader.c, through libs/tflite/tflite.cpp); in the simulator and in Node their
    // Static TypeScript bodies run StsInterpreter instead. Nothing else here touches StsInterpreter,
    // so a native build leaves the whole STS interpreter out of the flash.
    //
    // Both sides describe a loaded model the same way, as a "state" Buffer (kernels/loader.h): a
    // header of words, then one record per input and output. On the board the state also holds the
    // op table, the parameter blocks and the arena; in the simulator the arena is StsInterpreter's.

    /** Words of a state's header (kernels/loader.h tfl_state_word). */
    export const enum StateWord {
        Magic = 0, OpCount = 1, Ops = 2, Arena = 3, ArenaBytes = 4, OpStateStart = 5, OpStateBytes = 6,
        VariableCount = 7, Variables = 8, InputCount = 9, OutputCount = 10, Io = 11, MainOpCount = 12, HeaderWords = 13,
    }
    /** Words of an input or output record (kernels/loader.h tfl_io_word). */
    export const enum IoWord {
        Index = 0, Type = 1, Offset = 2, Bytes = 3, Scale = 4, ZeroPoint = 5, Rank = 6, Shape = 7, Words = 15,
    }
    const STATE_MAGIC = 0x494c4654  // "TFLI"
    /** A failed load on the board: this word, then the message's bytes. */
    const ERROR_MAGIC = 0x454c4654  // "TFLE"
    const MAX_RANK = 8

    /**
     * A model loaded to run: load once (it is checked and its memory planned), then set inputs,
     * invoke, read outputs as often as needed, without allocating.
     */
    export class Interpreter extends TensorAccess {
        /** The .tflite bytes: constants are read in place, so they must stay. */
        modelBytes: Buffer
        state: Buffer
        /** The Buffer that holds inputs and outputs (the state itself on the board). */
        data: Buffer
        lastInvokeMicros: number

        constructor(model: Buffer) {
            super()
            this.modelBytes = model
            this.lastInvokeMicros = 0
            const state = loadModelState(model)
            this.state = state
            this.data = stateData(state)
            const nin = stateWord(state, StateWord.InputCount)
            const nout = stateWord(state, StateWord.OutputCount)
            for (let i = 0; i < nin + nout; i++) {
                const t = ioTensor(state, i)
                if (i < nin) this.inputs.push(t)
                else this.outputs.push(t)
            }
        }

        /** Runs the model once on the current inputs. */
        invoke(): void {
            const start = control.micros()
            invokeState(this.state, this.modelBytes)
            this.lastInvokeMicros = control.micros() - start
        }

        /** Clears the state kept between invokes (recurrent state, the audio front end's noise estimate...). */
        resetState(): void {
            resetState(this.state)
        }

        /** Bytes of RAM the model's tensors and scratch buffers use, planned once at load. */
        arenaSize(): number { return stateWord(this.state, StateWord.ArenaBytes) }
        /** Milliseconds the last invoke took. */
        lastInvokeTime(): number { return this.lastInvokeMicros / 1000 }

        /** The key=value entries of the model's "pxt-tinyml" metadata (labels, sample period...). */
        metadata(): MetadataEntry[] {
            return modelMetadataEntries(this.modelBytes)
        }
    }

    /**
     * Loads `model` to run: its state (kernels/loader.h), which the shims below take. What
     * Interpreter is built on; the gesture blocks use it alone, without Interpreter's classes.
     */
    export function loadModelState(model: Buffer): Buffer {
        const state = loadState(model)
        if (stateWord(state, StateWord.Magic) === ERROR_MAGIC) {
            // (Only on the board: the simulator's loader throws by itself.) An uncaught error
            // shows just a code on the LEDs, so the reason goes to the console too (on the
            // micro:bit, the serial port): console.log's own sink, without console.log's code.
            const message = state.slice(4).toString()
            control.__log(1, "tflite: " + message + "\n")
            fail(message)
        }
        return state
    }

    /** The key=value entries of a model's "pxt-tinyml" metadata (labels, sample period...). */
    export function modelMetadataEntries(model: Buffer): MetadataEntry[] {
        const flat = metadataEntries(model)
        // An odd length: the reader stopped at a line that is not key=value; the last is the message.
        if (flat.length % 2) fail(flat[flat.length - 1])
        const res: MetadataEntry[] = []
        for (let i = 0; i + 1 < flat.length; i += 2) res.push(new MetadataEntry(flat[i], flat[i + 1]))
        return res
    }

    function copyBytes(from: Buffer, offset: number, length: number): Buffer {
        const res = control.createBuffer(length)
        for (let j = 0; j < length; j++) res[j] = from[offset + j]
        return res
    }

    /** A word of a state's header. */
    export function stateWord(state: Buffer, word: number): number {
        return state.getNumber(NumberFormat.Int32LE, 4 * word)
    }

    /** Where the record of input or output `io` (inputs first) starts in a state. */
    export function ioRecord(state: Buffer, io: number): number {
        return stateWord(state, StateWord.Io) + 4 * IoWord.Words * io
    }

    /** A word of the record at `at` (ioRecord). */
    export function recordWord(state: Buffer, at: number, word: number): number {
        return state.getNumber(NumberFormat.Int32LE, at + 4 * word)
    }

    /** A word of the record of input or output `io`. */
    export function ioWord(state: Buffer, io: number, word: number): number {
        return recordWord(state, ioRecord(state, io), word)
    }

    /** Elements of input or output `io`: the product of its shape. */
    export function ioElementCount(state: Buffer, io: number): number {
        const at = ioRecord(state, io)
        let n = 1
        for (let d = 0; d < recordWord(state, at, IoWord.Rank); d++) n *= recordWord(state, at, IoWord.Shape + d)
        return n
    }

    /** Input or output `io` (inputs first) of a loaded state, as a Tensor over the state's data. */
    export function ioTensor(state: Buffer, io: number): Tensor {
        const at = ioRecord(state, io)
        const data = stateData(state)
        const base = stateWord(state, StateWord.Arena)
        const t = new Tensor()
        t.index = recordWord(state, at, IoWord.Index)
        t.name = ""
        t.type = recordWord(state, at, IoWord.Type)
        t.shape = []
        for (let d = 0; d < recordWord(state, at, IoWord.Rank); d++) t.shape.push(recordWord(state, at, IoWord.Shape + d))
        t.data = data
        t.offset = base + recordWord(state, at, IoWord.Offset)
        t.bytes = recordWord(state, at, IoWord.Bytes)
        t.isConst = false
        t.isVariable = false
        t.scale = state.getNumber(NumberFormat.Float32LE, at + 4 * IoWord.Scale)
        t.zeroPoint = recordWord(state, at, IoWord.ZeroPoint)
        t.scales = t.scale ? [t.scale] : []
        t.zeroPoints = t.scale ? [t.zeroPoint] : []
        t.quantizedDimension = 0
        return t
    }

    // ---- The shims: C on the board (libs/tflite/tflite.cpp), these bodies elsewhere. ----

    // The simulator's loaded models; a state's Ops word holds its StsInterpreter's index here.
    let simInterpreters: StsInterpreter[]

    /** Loads `model` and returns its state (on the board, a failed load returns ERROR_MAGIC and the message). */
    //% shim=tflite::loadState
    function loadState(model: Buffer): Buffer {
        registerReferenceKernels()
        const ip = new StsInterpreter(model)
        if (!simInterpreters) simInterpreters = []
        simInterpreters.push(ip)
        const m = ip.model
        const ios = m.inputs.concat(m.outputs)
        const state = control.createBuffer(4 * (StateWord.HeaderWords + IoWord.Words * ios.length))
        const set = (at: number, v: number) => state.setNumber(NumberFormat.Int32LE, at, v)
        set(4 * StateWord.Magic, STATE_MAGIC)
        set(4 * StateWord.OpCount, m.operators.length)
        set(4 * StateWord.Ops, simInterpreters.length - 1)
        set(4 * StateWord.Arena, 0)
        set(4 * StateWord.ArenaBytes, ip.arenaBytes)
        set(4 * StateWord.OpStateStart, ip.opStateStart)
        set(4 * StateWord.OpStateBytes, ip.opStateBytes)
        set(4 * StateWord.InputCount, m.inputs.length)
        set(4 * StateWord.OutputCount, m.outputs.length)
        set(4 * StateWord.Io, 4 * StateWord.HeaderWords)
        for (let i = 0; i < ios.length; i++) {
            const t = ios[i]
            const at = 4 * (StateWord.HeaderWords + IoWord.Words * i)
            if (t.shape.length > MAX_RANK) fail("unsupported " + t.describe() + ": more than " + MAX_RANK + " dimensions")
            set(at + 4 * IoWord.Index, t.index)
            set(at + 4 * IoWord.Type, t.type)
            set(at + 4 * IoWord.Offset, t.offset)
            set(at + 4 * IoWord.Bytes, t.bytes)
            state.setNumber(NumberFormat.Float32LE, at + 4 * IoWord.Scale, t.scale)
            set(at + 4 * IoWord.ZeroPoint, t.zeroPoint)
            set(at + 4 * IoWord.Rank, t.shape.length)
            for (let d = 0; d < t.shape.length; d++) set(at + 4 * (IoWord.Shape + d), t.shape[d])
        }
        return state
    }

    function simInterpreter(state: Buffer): StsInterpreter {
        return simInterpreters[stateWord(state, StateWord.Ops)]
    }

    /** The Buffer the state's tensors live in (from the state's Arena word on). */
    //% shim=tflite::stateData
    export function stateData(state: Buffer): Buffer {
        return simInterpreter(state).arena
    }

    /** Runs a loaded model once. */
    //% shim=tflite::invokeState
    export function invokeState(state: Buffer, model: Buffer): void {
        simInterpreter(state).invoke()
    }

    //% shim=tflite::resetState
    function resetState(state: Buffer): void {
        simInterpreter(state).resetState()
    }

    /**
     * The model's "pxt-tinyml" metadata as key, value, key, value... (on the board the C reader,
     * kernels/metadata.c, which ends the list with an error message at a line that is not
     * key=value; here parseMetadataText, which throws it).
     */
    //% shim=tflite::metadataEntries
    export function metadataEntries(model: Buffer): string[] {
        const entries = modelMetadata(parseModel(model))
        const flat: string[] = []
        for (let i = 0; i < entries.length; i++) {
            flat.push(entries[i].key)
            flat.push(entries[i].value)
        }
        return flat
    }
}
