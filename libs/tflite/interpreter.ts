namespace tflite {
    /** An operator kernel: found by builtin code or custom name; its prepare step picks a body. */
    export class Kernel {
        name: string
        prepare: PrepareFn
    }

    let builtinKernels: Kernel[]
    let customKernels: Kernel[]

    function kernelTables(): void {
        if (!builtinKernels) {
            builtinKernels = []
            customKernels = []
        }
    }

    /** Adds (or replaces) the kernel for a builtin operator code. */
    export function registerBuiltin(code: number, prepare: PrepareFn): void {
        kernelTables()
        const k = new Kernel()
        k.name = opName(code)
        k.prepare = prepare
        while (builtinKernels.length <= code) builtinKernels.push(null)
        builtinKernels[code] = k
    }

    /** Adds (or replaces) the kernel for a custom operator, found by its name in the model. */
    export function registerCustom(name: string, prepare: PrepareFn): void {
        kernelTables()
        for (let i = 0; i < customKernels.length; i++)
            if (customKernels[i].name === name) customKernels.splice(i, 1)
        const k = new Kernel()
        k.name = name
        k.prepare = prepare
        customKernels.push(k)
    }

    export function findKernel(op: Operator): Kernel {
        kernelTables()
        if (op.opcode === BuiltinOp.CUSTOM) {
            for (let i = 0; i < customKernels.length; i++)
                if (customKernels[i].name === op.customName) return customKernels[i]
            return null
        }
        return op.opcode < builtinKernels.length ? builtinKernels[op.opcode] : null
    }

    /**
     * The largest arena a model may ask for. A micro:bit v2 has 128 KB of RAM in all; the default
     * leaves room for bigger boards and for Node, while a corrupt shape cannot exhaust memory.
     */
    export let maxArenaBytes = 16 * 1024 * 1024

    /**
     * What every interpreter offers for its inputs and outputs (StsInterpreter here, and
     * tflite.Interpreter in interpreter_shim.ts): the tensors, raw or as real numbers.
     */
    export class TensorAccess {
        inputs: Tensor[]
        outputs: Tensor[]

        constructor() {
            this.inputs = []
            this.outputs = []
        }

        inputCount(): number { return this.inputs.length }
        outputCount(): number { return this.outputs.length }
        inputShape(i: number): number[] { return this.input(i).shape.slice(0) }
        outputShape(i: number): number[] { return this.output(i).shape.slice(0) }
        /** The TensorType code of input `i` (0 float32, 9 int8, 7 int16, ...). */
        inputType(i: number): number { return this.input(i).type }
        outputType(i: number): number { return this.output(i).type }
        inputScale(i: number): number { return this.input(i).scale }
        inputZeroPoint(i: number): number { return this.input(i).zeroPoint }
        outputScale(i: number): number { return this.output(i).scale }
        outputZeroPoint(i: number): number { return this.output(i).zeroPoint }
        input(i: number): Tensor { return this.tensorAt(this.inputs, i, "input") }
        output(i: number): Tensor { return this.tensorAt(this.outputs, i, "output") }

        private tensorAt(list: Tensor[], i: number, what: string): Tensor {
            if (i < 0 || i >= list.length || i !== Math.floor(i)) fail("no " + what + " " + i + ": the model has " + list.length)
            return list[i]
        }

        /**
         * Copies raw little-endian bytes into input `i`; their count must match the tensor's. With
         * `offset`, the input is the tensor-sized window of `bytes` that starts there (a stream).
         */
        setInputBytes(i: number, bytes: Buffer, offset?: number): void {
            const t = this.input(i)
            const windowed = offset !== undefined
            const start = windowed ? offset : 0
            const available = bytes.length - start
            if (start < 0 || (windowed ? available < t.bytes : available !== t.bytes))
                fail("wrong input size for input " + i + ": got " + available + " bytes" + (windowed ? " from offset " + start : "") +
                    ", " + t.describe() + " needs " + t.bytes)
            for (let j = 0; j < t.bytes; j++) t.data[t.offset + j] = bytes[start + j]
        }

        /** Sets input `i` from real numbers, quantizing them with the tensor's scale and zero point. */
        setInput(i: number, values: number[]): void {
            const t = this.input(i)
            const n = t.elementCount()
            if (values.length !== n) fail("wrong input size for input " + i + ": got " + values.length + " values, " + t.describe() + " needs " + n)
            for (let j = 0; j < n; j++) t.set(j, quantizeValue(t, values[j]))
        }

        outputBytes(i: number): Buffer {
            const t = this.output(i)
            const res = control.createBuffer(t.bytes)
            for (let j = 0; j < t.bytes; j++) res[j] = t.data[t.offset + j]
            return res
        }

        /** Output `i` as real numbers (dequantized when the tensor is quantized). */
        outputValues(i: number): number[] {
            const t = this.output(i)
            const res: number[] = []
            const n = t.elementCount()
            for (let j = 0; j < n; j++) res.push(dequantizeValue(t, t.get(j)))
            return res
        }
    }

    /** Words of the C loader's state header (kernels/loader.h TFL_STATE_HEADER_WORDS). */
    const C_STATE_HEADER_WORDS = 13

    /**
     * The interpreter in Static TypeScript: what the simulator and Node run. It loads a model once
     * (parse, resolve kernels, prepare, plan the arena), then invokes it as often as needed without
     * allocating, with the kernels registered so far (tflite.registerReferenceKernels registers
     * them all). Programs use tflite.Interpreter (tflite.loadModel), which runs this class in the
     * simulator and the C loader and kernels (kernels/) on the board: the two write the same
     * parameter blocks and plan the same arena (test/loader.test.ts).
     */
    export class StsInterpreter extends TensorAccess {
        model: Model
        arena: Buffer
        arenaBytes: number
        /** Bytes of the arena that hold variable tensors (state kept across invokes). */
        persistentBytes: number
        /** Where op state (Operator.paramPersistent) starts in the arena, and its size. */
        opStateStart: number
        opStateBytes: number
        lastInvokeMicros: number

        constructor(modelBytes: Buffer) {
            super()
            this.lastInvokeMicros = 0
            this.model = parseModel(modelBytes)
            const m = this.model
            this.inputs = m.inputs
            this.outputs = m.outputs
            for (let i = 0; i < m.operators.length; i++) {
                const op = m.operators[i]
                op.kernel = findKernel(op)
                if (!op.kernel) {
                    // Without every reference kernel registered, the op may just be missing from the program.
                    const hint = referenceKernelsRegistered ? "" : " (no kernel registered for it; tflite.registerReferenceKernels registers every kernel)"
                    const at = (op.subgraph > 0 ? "subgraph " + op.subgraph + " " : "") + "operator " + op.index
                    if (op.opcode === BuiltinOp.CUSTOM) fail("unsupported custom op '" + op.customName + "' (version " + op.version + ") at " + at + hint)
                    fail("unsupported op " + opName(op.opcode) + " (version " + op.version + ") at " + at + hint)
                }
            }
            for (let i = 0; i < m.tensors.length; i++) {
                const t = m.tensors[i]
                if (!t.isConst && typeSize(t.type) === 0) fail("unsupported tensor type " + typeName(t.type) + ": " + t.describe())
            }
            // What an operator writes must be in the arena: a constant lives in the model (flash, on the board).
            // Nor may it be one of the op's inputs: the kernels read their inputs while they write, each
            // in its own order, so the result would be any (no converter writes such a model).
            for (let i = 0; i < m.operators.length; i++) {
                const op = m.operators[i]
                for (let j = 0; j < op.outputs.length; j++) {
                    if (op.outputs[j] && op.outputs[j].isConst)
                        fail(op.describe() + ": output " + j + " is a constant (" + op.outputs[j].describe() + "): outputs must not be")
                    for (let k = 0; k < op.inputs.length; k++)
                        if (op.outputs[j] && op.inputs[k] === op.outputs[j])
                            fail(op.describe() + ": output " + j + " is also input " + k + " (" + op.outputs[j].describe() + ")")
                }
            }
            // Outputs are read in the arena (the board's records of them hold arena offsets; a constant
            // input is refused as the model is read): a constant lives in the model, and its offset
            // taken as an arena offset points elsewhere, past the state on the board.
            for (let i = 0; i < m.outputs.length; i++)
                if (m.outputs[i].isConst) fail("model output " + i + " is a constant (" + m.outputs[i].describe() + "): outputs must not be")
            for (let i = 0; i < m.operators.length; i++) {
                const op = m.operators[i]
                preparing = op
                op.kernel.prepare(op)
                preparing = null
                if (!op.params) fail(op.describe() + ": its kernel chose no body")
                op.body = findBody(op.bodyName)
                if (!op.body) fail(op.describe() + ": no kernel body named " + op.bodyName)
            }
            checkResourceReads(m)
            this.planArena()
            this.resetState()
        }

        private planArena(): void {
            const m = this.model
            // Variable tensors keep their bytes across invokes: they come first, never shared.
            let persistent = 0
            for (let i = 0; i < m.tensors.length; i++) {
                const t = m.tensors[i]
                if (t.isVariable && !t.isConst) {
                    t.offset = persistent
                    persistent += alignUp(t.bytes)
                }
            }
            // Op state follows them: also never shared, also cleared by resetState.
            this.opStateStart = persistent
            const stateOffsets: number[][] = []
            for (let k = 0; k < m.operators.length; k++) {
                const op = m.operators[k]
                const list: number[] = []
                for (let j = 0; j < op.persistentSizes.length; j++) {
                    list.push(persistent)
                    persistent += alignUp(op.persistentSizes[j])
                }
                stateOffsets.push(list)
            }
            this.opStateBytes = persistent - this.opStateStart
            // Then resource variables (also kept, refilled by resetState).
            for (let i = 0; i < m.resources.length; i++) {
                m.resources[i].offset = persistent
                persistent += alignUp(Math.max(0, m.resources[i].bytes))
            }
            this.persistentBytes = persistent
            // Each subgraph's tensors and scratch buffers in a region of their own, one after the
            // other: a subgraph runs inside the op that calls it, whose tensors stay live meanwhile.
            const scratchOffsets: number[][] = []
            const planned: Tensor[] = []
            let total = persistent
            for (let s = 0; s < m.subgraphs.length; s++) total += this.planSubgraph(m.subgraphs[s], total, scratchOffsets, planned)
            this.arenaBytes = total
            if (this.arenaBytes > maxArenaBytes)
                fail("the model needs a " + this.arenaBytes + "-byte arena, more than the limit of " + maxArenaBytes + " bytes")
            this.arena = control.createBuffer(this.arenaBytes)
            // A tensor no op reads or writes, and not a model input or output, is placed nowhere (as
            // TFLM leaves it unallocated): no data, so nothing can reach bytes outside the arena.
            for (let i = 0; i < m.tensors.length; i++) {
                const t = m.tensors[i]
                if (t.isVariable && !t.isConst) t.data = this.arena
            }
            for (let i = 0; i < planned.length; i++) planned[i].data = this.arena
            // The C state's parameter blocks follow its header and its op table (two words an op).
            let blockAt = 4 * (C_STATE_HEADER_WORDS + 2 * m.operators.length)
            for (let k = 0; k < m.operators.length; k++) {
                const op = m.operators[k]
                if (op.selfWord) setParam(op.params, op.selfWord - 1, blockAt)
                blockAt += op.params.length
                for (let j = 0; j < scratchOffsets[k].length; j++)
                    setParam(op.params, op.scratchWords[j], scratchOffsets[k][j])
                for (let j = 0; j < stateOffsets[k].length; j++)
                    setParam(op.params, op.persistentWords[j], stateOffsets[k][j])
                for (let j = 0; j < op.resourceWords.length; j++)
                    setParam(op.params, op.resourceWords[j], m.resources[op.resourceIds[j]].offset)
                for (let j = 0; j < op.tensorWords.length; j++) {
                    const t = op.paramTensors[j]
                    const w = op.tensorWords[j]
                    setParam(op.params, w, !t ? Where.None : t.isConst ? Where.Model : Where.Arena)
                    setParam(op.params, w + 1, t ? t.offset : 0)
                }
            }
        }

        /**
         * Plans one subgraph's tensors and its ops' scratch buffers from arena offset `base` on
         * (the tensors placed pushed to `planned`, scratch offsets pushed per op) and returns the
         * bytes they take.
         */
        private planSubgraph(sub: Subgraph, base: number, scratchOffsets: number[][], planned: Tensor[]): number {
            const nops = sub.operators.length
            const planner = new ArenaPlanner()
            // Every non-constant tensor lives from its first write (or invoke start, for subgraph
            // inputs) to its last read (or invoke end, for subgraph outputs).
            const first: number[] = []
            const last: number[] = []
            for (let i = 0; i < sub.tensors.length; i++) {
                first.push(-1)
                last.push(-1)
            }
            for (let i = 0; i < sub.inputs.length; i++) {
                first[sub.inputs[i].index] = 0
                last[sub.inputs[i].index] = 0
            }
            for (let k = 0; k < nops; k++) {
                const op = sub.operators[k]
                for (let j = 0; j < op.outputs.length; j++) {
                    const ti = op.outputs[j].index
                    if (first[ti] < 0) first[ti] = k
                    last[ti] = Math.max(last[ti], k)
                }
                for (let j = 0; j < op.inputs.length; j++) {
                    if (!op.inputs[j]) continue
                    const ti = op.inputs[j].index
                    if (first[ti] < 0) first[ti] = 0
                    last[ti] = Math.max(last[ti], k)
                }
            }
            for (let i = 0; i < sub.outputs.length; i++) {
                const ti = sub.outputs[i].index
                if (first[ti] < 0) first[ti] = 0
                last[ti] = nops
            }
            const ids: number[] = []
            for (let i = 0; i < sub.tensors.length; i++) {
                const t = sub.tensors[i]
                ids.push(-1)
                if (t.isConst || t.isVariable || first[i] < 0) continue
                ids[i] = planner.add(t.bytes, first[i], last[i])
            }
            const scratchIds: number[][] = []
            for (let k = 0; k < nops; k++) {
                const op = sub.operators[k]
                const list: number[] = []
                for (let j = 0; j < op.scratchSizes.length; j++) list.push(planner.add(op.scratchSizes[j], k, k))
                scratchIds.push(list)
            }
            const bytes = planner.plan()
            for (let i = 0; i < sub.tensors.length; i++) {
                if (ids[i] < 0) continue
                sub.tensors[i].offset = base + planner.offsets[ids[i]]
                planned.push(sub.tensors[i])
            }
            for (let k = 0; k < nops; k++) {
                const list: number[] = []
                for (let j = 0; j < scratchIds[k].length; j++) list.push(base + planner.offsets[scratchIds[k][j]])
                scratchOffsets.push(list)
            }
            return bytes
        }

        /**
         * Clears the state kept between invokes: variable tensors (RNN/SVDF state) the way TFLM does,
         * to the zero point for int8, else 0; op state (paramPersistent) to 0.
         */
        resetState(): void {
            for (let j = 0; j < this.opStateBytes; j++) this.arena[this.opStateStart + j] = 0
            const m = this.model
            for (let i = 0; i < m.tensors.length; i++) {
                const t = m.tensors[i]
                if (!t.isVariable || t.isConst) continue
                const v = t.type === TensorType.Int8 ? t.zeroPoint & 0xff : 0
                for (let j = 0; j < t.bytes; j++) t.data[t.offset + j] = v
            }
            for (let i = 0; i < m.resources.length; i++) {
                const r = m.resources[i]
                for (let j = 0; j < r.bytes; j++) this.arena[r.offset + j] = r.fill
            }
        }

        /**
         * Runs the model once. Returns false when an op stopped the invoke early (CIRCULAR_BUFFER
         * when it is not due: TFLM's Invoke returns kTfLiteAbort), true when every op ran.
         */
        invoke(): boolean {
            const start = control.micros()
            const calling = runningInterpreter
            runningInterpreter = this
            invokeStopped = false
            this.runOps(0, this.model.subgraphs[0].operators.length)
            const ran = !invokeStopped
            invokeStopped = false
            runningInterpreter = calling
            this.lastInvokeMicros = control.micros() - start
            return ran
        }

        /** Runs operators first .. first + count - 1 of Model.operators (a subgraph's: see kernel_control.ts). */
        runOps(first: number, count: number): void {
            const ops = this.model.operators
            const model = this.model.fb.buf
            const arena = this.arena
            for (let i = first; i < first + count; i++) {
                // Called through a local, not as ops[i].body(...): pxt's simulator code calls a
                // field like a method, shifting the arguments of the callee's frame with a delete,
                // which turns the frame into a dictionary and every statement of the body several
                // times slower.
                const body = ops[i].body
                body(ops[i].params, model, arena)
                // TFLM's kTfLiteAbort: no further op runs (a subgraph's caller stops too).
                if (invokeStopped) break
            }
        }

        /** Bytes of RAM the model's tensors and scratch buffers use, planned once at load. */
        arenaSize(): number { return this.arenaBytes }
        /** Milliseconds the last invoke took. */
        lastInvokeTime(): number { return this.lastInvokeMicros / 1000 }
    }

    /** A real number as tensor `t` stores it: rounded, offset by the zero point, clamped to the type. */
    export function quantizeValue(t: Tensor, v: number): number {
        return quantizeNumber(t.type, t.scale, t.zeroPoint, v)
    }

    /** quantizeValue for a tensor of this type and quantization. */
    export function quantizeNumber(type: number, scale: number, zeroPoint: number, v: number): number {
        if (type === TensorType.Float32) return v
        let q = scale ? roundHalfAwayFromZero(v / scale) + zeroPoint : Math.round(v)
        switch (type) {
            case TensorType.Int8: return clamp(q, -128, 127)
            case TensorType.UInt8: return clamp(q, 0, 255)
            case TensorType.Int16: return clamp(q, -32768, 32767)
            case TensorType.Int32: return clamp(q, -2147483648, 2147483647)
        }
        return q
    }

    export function dequantizeValue(t: Tensor, q: number): number {
        if (t.type === TensorType.Float32 || !t.scale) return q
        return (q - t.zeroPoint) * t.scale
    }
}
