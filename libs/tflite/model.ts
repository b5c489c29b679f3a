namespace tflite {
    /**
     * One tensor of the model. Its bytes live either in the model's own buffer (constants, read in
     * place: `data` is then the model Buffer) or in the interpreter's arena, placed by the planner.
     */
    export class Tensor {
        index: number
        name: string
        type: number
        shape: number[]
        /** The Buffer holding this tensor's bytes, and where they start in it. */
        data: Buffer
        offset: number
        bytes: number
        isConst: boolean
        isVariable: boolean
        /** Per-tensor quantization (scale 0 means "not quantized"). */
        scale: number
        zeroPoint: number
        /** Per-channel quantization, when the model gives more than one scale. */
        scales: number[]
        zeroPoints: number[]
        quantizedDimension: number

        elementCount(): number {
            let n = 1
            for (let i = 0; i < this.shape.length; i++) n *= this.shape[i]
            return n
        }
        dim(i: number): number {
            return this.shape[i]
        }
        rank(): number {
            return this.shape.length
        }
        /** Reads element `i` as a plain number (integers as integers, floats as floats). */
        get(i: number): number {
            return readElement(this.type, this.data, this.offset, i)
        }
        set(i: number, v: number): void {
            writeElement(this.type, this.data, this.offset, i, v)
        }
        describe(): string {
            return "tensor " + this.index + (this.name ? " '" + this.name + "'" : "") +
                " " + typeName(this.type) + "[" + listText(this.shape, ",") + "]"
        }
    }

    /**
     * The items as text, `separator` between them ("1,32,3"). A loop, not Array.join: join's runtime
     * helper would take flash in every program on the board that describes a tensor or lists labels.
     */
    export function listText(items: any[], separator: string): string {
        let text = ""
        for (let i = 0; i < items.length; i++) text += (i > 0 ? separator : "") + items[i]
        return text
    }

    export function readElement(type: number, buf: Buffer, offset: number, i: number): number {
        switch (type) {
            case TensorType.Int8: return (buf[offset + i] << 24) >> 24
            case TensorType.UInt8: case TensorType.Bool: return buf[offset + i]
            case TensorType.Int16: return buf.getNumber(NumberFormat.Int16LE, offset + 2 * i)
            case TensorType.Int32: return buf.getNumber(NumberFormat.Int32LE, offset + 4 * i)
            case TensorType.Float32: return buf.getNumber(NumberFormat.Float32LE, offset + 4 * i)
            case TensorType.Int64: {
                const low = buf.getNumber(NumberFormat.UInt32LE, offset + 8 * i)
                return buf.getNumber(NumberFormat.Int32LE, offset + 8 * i + 4) * 4294967296 + low
            }
        }
        fail("cannot read elements of type " + typeName(type))
        return 0
    }

    export function writeElement(type: number, buf: Buffer, offset: number, i: number, v: number): void {
        switch (type) {
            case TensorType.Int8: case TensorType.UInt8: case TensorType.Bool: buf[offset + i] = v & 0xff; return
            case TensorType.Int16: buf.setNumber(NumberFormat.Int16LE, offset + 2 * i, v); return
            case TensorType.Int32: buf.setNumber(NumberFormat.Int32LE, offset + 4 * i, v); return
            case TensorType.Float32: buf.setNumber(NumberFormat.Float32LE, offset + 4 * i, v); return
            case TensorType.Int64: {
                // Exact for integers up to 2^53 in magnitude, as readElement reads them.
                const high = Math.floor(v / 4294967296)
                buf.setNumber(NumberFormat.UInt32LE, offset + 8 * i, v - high * 4294967296)
                buf.setNumber(NumberFormat.Int32LE, offset + 8 * i + 4, high)
                return
            }
        }
        fail("cannot write elements of type " + typeName(type))
    }

    /** One operator, with its kernel and the state its prepare step computed. */
    export class Operator {
        /** Its place in its subgraph (what messages name), and that subgraph's number. */
        index: number
        subgraph: number
        opcode: number
        version: number
        customName: string
        inputs: Tensor[]
        outputs: Tensor[]
        /** Builtin options table (absolute position in the model), 0 when the op has none. */
        options: number
        optionsType: number
        /** Custom options bytes: position in the model and length (0 when absent). */
        customOptions: number
        customOptionsLength: number
        fb: FlatBuffer
        kernel: Kernel
        /** The body prepare chose (see kernel_api.ts) and its parameter block. */
        bodyName: string
        body: KernelBody
        params: Buffer
        /** Parameter words to fill once the arena is planned: tensor places and scratch offsets. */
        tensorWords: number[]
        paramTensors: Tensor[]
        scratchSizes: number[]
        scratchWords: number[]
        /** Per-op state kept between invokes (paramPersistent): sizes, and the words that get their offsets. */
        persistentSizes: number[]
        persistentWords: number[]
        /** Resource variables' arena offsets to fill once planned (paramResource): words and resource numbers. */
        resourceWords: number[]
        resourceIds: number[]
        /** The model it belongs to (its subgraphs and resource variables, for the control ops). */
        model: Model
        /** 1 + the word that gets the block's place in the C loader's state (paramSelf), 0 for none. */
        selfWord: number

        name(): string {
            return this.opcode === BuiltinOp.CUSTOM ? this.customName : opName(this.opcode)
        }
        describe(): string {
            return (this.subgraph > 0 ? "subgraph " + this.subgraph + " " : "") + "operator " + this.index + " (" + this.name() + " v" + this.version + ")"
        }
        input(i: number): Tensor {
            return i < this.inputs.length ? this.inputs[i] : null
        }
        output(i: number): Tensor {
            return this.outputs[i]
        }
        optInt(field: number, dflt: number): number {
            return this.options ? this.fb.fieldI32(this.options, field, dflt) : dflt
        }
        optByte(field: number, dflt: number): number {
            return this.options ? this.fb.fieldU8(this.options, field, dflt) : dflt
        }
        optFloat(field: number, dflt: number): number {
            return this.options ? this.fb.fieldF32(this.options, field, dflt) : dflt
        }
        optIntArray(field: number): number[] {
            return this.options ? this.fb.fieldI32Array(this.options, field) : []
        }
        /** Chooses the body to run and returns its zeroed parameter block of `words` words. */
        useBody(name: string, words: number): Buffer {
            this.bodyName = name
            this.params = control.createBuffer(4 * words)
            return this.params
        }
        /** Puts tensor `t` (null for an omitted input) at words `word` (Where) and `word + 1` (offset). */
        paramTensor(word: number, t: Tensor): void {
            this.tensorWords.push(word)
            this.paramTensors.push(t)
        }
        /**
         * Asks for `bytes` of arena memory that keeps its contents from one invoke to the next (op
         * state, as TFLM's AllocatePersistentBuffer); its offset goes at `word`. It starts at zero
         * and StsInterpreter.resetState zeroes it again.
         */
        paramPersistent(word: number, bytes: number): void {
            this.persistentSizes.push(bytes)
            this.persistentWords.push(word)
        }
        /**
         * Puts at `word` where this block starts in the C loader's state (kernels/loader.c
         * tfl_write_state), so that a C body that runs a subgraph finds the op table there. The
         * STS writes the same number, so that both loaders' blocks are equal word for word.
         */
        paramSelf(word: number): void {
            this.selfWord = word + 1
        }
        /** Puts the arena offset of resource variable `id` (Model.resources) at `word` once the arena is planned. */
        paramResource(word: number, id: number): void {
            this.resourceWords.push(word)
            this.resourceIds.push(id)
        }
        /** Asks for `bytes` of arena memory that lives only while this op runs; its offset goes at `word`. */
        paramScratch(word: number, bytes: number): void {
            this.scratchSizes.push(bytes)
            this.scratchWords.push(word)
        }
        /** Fails with this op named unless `cond` holds. */
        check(cond: boolean, message: string): void {
            if (!cond) fail(this.describe() + ": " + message)
        }
    }

    /**
     * One subgraph: its tensors (Tensor.index is the place in this list), its operators, inputs
     * and outputs, and where its operators start in Model.operators.
     */
    export class Subgraph {
        tensors: Tensor[]
        operators: Operator[]
        inputs: Tensor[]
        outputs: Tensor[]
        firstOp: number
    }

    /**
     * A resource variable: VAR_HANDLE's container (null when the op gives none) and shared name;
     * its bytes, fixed by the first ASSIGN_VARIABLE prepared (0 until then); the byte that fills it
     * at load and at resetState (TFLM's: the zero point of a quantized value, else 0); its place
     * in the arena.
     */
    export class Resource {
        container: string
        sharedName: string
        bytes: number
        fill: number
        offset: number
    }

    /**
     * The parsed model: every subgraph's tensors and operators, subgraph after subgraph (one list
     * of each, so that loading and planning go through them all; subgraph 0 is what an invoke
     * runs, the others run when a control op calls them), the model's inputs and outputs
     * (subgraph 0's), plus metadata.
     */
    export class Model {
        fb: FlatBuffer
        version: number
        description: string
        tensors: Tensor[]
        operators: Operator[]
        inputs: Tensor[]
        outputs: Tensor[]
        subgraphs: Subgraph[]
        /** Resource variables (VAR_HANDLE's), in the order their first VAR_HANDLE was prepared. */
        resources: Resource[]
        /** Metadata entries (name -> [position, length] of the buffer's bytes in the model). */
        metadataNames: string[]
        metadataOffsets: number[]
        metadataLengths: number[]
        subgraphCount: number
    }

    /** Reads and checks the structure of a .tflite file; the bytes stay where they are. */
    export function parseModel(buf: Buffer): Model {
        if (!buf || buf.length < 16) fail("not a TFLite model: only " + (buf ? buf.length : 0) + " bytes")
        const fb = new FlatBuffer(buf)
        // The file identifier "TFL3" sits at bytes 4..7.
        if (buf[4] !== 0x54 || buf[5] !== 0x46 || buf[6] !== 0x4c || buf[7] !== 0x33)
            fail("not a TFLite model: file identifier is not TFL3")
        const m = new Model()
        m.fb = fb
        const root = fb.deref(0)
        m.version = fb.fieldU32(root, ModelField.Version, 0)
        if (m.version !== 3) fail("unsupported schema version " + m.version + " (expected 3)")
        m.description = fb.fieldString(root, ModelField.Description)

        // Buffers: [position, length] of each buffer's data in the file.
        const bufVec = fb.fieldVector(root, ModelField.Buffers, 4)
        const nbufs = fb.vectorLength(bufVec)
        const bufOffsets: number[] = []
        const bufLengths: number[] = []
        for (let i = 0; i < nbufs; i++) {
            const b = fb.tableAt(bufVec, i)
            const data = fb.fieldVector(b, BufferField.Data, 1)
            if (data) {
                bufOffsets.push(data + 4)
                bufLengths.push(fb.vectorLength(data))
            } else {
                // Models over 2 GB keep data after the flatbuffer, addressed by offset and size.
                const off = fb.fieldI64(b, BufferField.Offset, 0)
                const size = fb.fieldI64(b, BufferField.Size, 0)
                // A negative size would pass a check of the end alone.
                if (off > 1 && (size < 0 || off > fb.length || size > fb.length - off))
                    fail("corrupt model: buffer " + i + "'s offset and size reach outside the " + fb.length + "-byte file")
                bufOffsets.push(off > 1 ? off : 0)
                bufLengths.push(off > 1 ? size : 0)
            }
        }

        // Operator codes: the op is the larger of the deprecated byte code and the int32 code.
        const codeVec = fb.fieldVector(root, ModelField.OperatorCodes, 4)
        const ncodes = fb.vectorLength(codeVec)
        const codes: number[] = []
        const versions: number[] = []
        const customNames: string[] = []
        for (let i = 0; i < ncodes; i++) {
            const c = fb.tableAt(codeVec, i)
            const deprecated = fb.fieldU8(c, OperatorCodeField.DeprecatedBuiltinCode, 0)
            const builtin = fb.fieldI32(c, OperatorCodeField.BuiltinCode, 0)
            codes.push(Math.max(deprecated, builtin))
            versions.push(fb.fieldI32(c, OperatorCodeField.Version, 1))
            customNames.push(fb.fieldString(c, OperatorCodeField.CustomCode))
        }

        const sgVec = fb.fieldVector(root, ModelField.Subgraphs, 4)
        m.subgraphCount = fb.vectorLength(sgVec)
        if (m.subgraphCount < 1) fail("corrupt model: no subgraph")
        // Counted first (the C loader sizes its lists with the counts), in the C loader's order.
        for (let s = 0; s < m.subgraphCount; s++) {
            const counted = fb.tableAt(sgVec, s)
            fb.vectorLength(fb.fieldVector(counted, SubGraphField.Tensors, 4))
            fb.vectorLength(fb.fieldVector(counted, SubGraphField.Operators, 4))
        }
        m.subgraphs = []
        m.tensors = []
        m.operators = []
        for (let s = 0; s < m.subgraphCount; s++) {
            const sub = parseSubgraph(fb, fb.tableAt(sgVec, s), s, buf, bufOffsets, bufLengths, codes, versions, customNames)
            sub.firstOp = m.operators.length
            for (let i = 0; i < sub.tensors.length; i++) m.tensors.push(sub.tensors[i])
            for (let i = 0; i < sub.operators.length; i++) {
                sub.operators[i].model = m
                m.operators.push(sub.operators[i])
            }
            m.subgraphs.push(sub)
        }
        m.resources = []
        m.inputs = m.subgraphs[0].inputs
        m.outputs = m.subgraphs[0].outputs

        m.metadataNames = []
        m.metadataOffsets = []
        m.metadataLengths = []
        const mdVec = fb.fieldVector(root, ModelField.Metadata, 4)
        const nmd = fb.vectorLength(mdVec)
        for (let i = 0; i < nmd; i++) {
            const md = fb.tableAt(mdVec, i)
            const b = fb.fieldU32(md, MetadataField.Buffer, 0)
            if (b >= nbufs) fail("corrupt model: metadata " + i + " names buffer " + b + " of " + nbufs)
            m.metadataNames.push(fb.fieldString(md, MetadataField.Name))
            m.metadataOffsets.push(bufOffsets[b])
            m.metadataLengths.push(bufLengths[b])
        }
        return m
    }

    function parseSubgraph(fb: FlatBuffer, sg: number, s: number, buf: Buffer, bufOffsets: number[], bufLengths: number[],
        codes: number[], versions: number[], customNames: string[]): Subgraph {
        const ncodes = codes.length
        const m = new Subgraph()
        // Subgraph 0's messages stay as they were with one subgraph; the others' name their subgraph.
        const where = s > 0 ? "subgraph " + s + " " : ""

        const tVec = fb.fieldVector(sg, SubGraphField.Tensors, 4)
        const ntensors = fb.vectorLength(tVec)
        m.tensors = []
        for (let i = 0; i < ntensors; i++)
            m.tensors.push(parseTensor(fb, fb.tableAt(tVec, i), i, buf, bufOffsets, bufLengths))

        m.inputs = tensorList(m, fb.fieldI32Array(sg, SubGraphField.Inputs), where + "subgraph input", false)
        m.outputs = tensorList(m, fb.fieldI32Array(sg, SubGraphField.Outputs), where + "subgraph output", false)
        for (let i = 0; i < m.inputs.length; i++)
            if (m.inputs[i].isConst) fail("corrupt model: " + where + "subgraph input " + i + " is a constant: " + m.inputs[i].describe())

        const opVec = fb.fieldVector(sg, SubGraphField.Operators, 4)
        const nops = fb.vectorLength(opVec)
        m.operators = []
        for (let i = 0; i < nops; i++) {
            const t = fb.tableAt(opVec, i)
            const op = new Operator()
            op.index = i
            op.subgraph = s
            op.fb = fb
            const ci = fb.fieldU32(t, OperatorField.OpcodeIndex, 0)
            if (ci >= ncodes) fail("corrupt model: " + where + "operator " + i + " uses opcode index " + ci + " of " + ncodes)
            op.opcode = codes[ci]
            op.version = versions[ci]
            op.customName = customNames[ci]
            op.inputs = tensorList(m, fb.fieldI32Array(t, OperatorField.Inputs), where + "operator " + i + " input", true)
            op.outputs = tensorList(m, fb.fieldI32Array(t, OperatorField.Outputs), where + "operator " + i + " output", false)
            op.optionsType = fb.fieldU8(t, OperatorField.BuiltinOptionsType, 0)
            op.options = fb.fieldTable(t, OperatorField.BuiltinOptions)
            const co = fb.fieldVector(t, OperatorField.CustomOptions, 1)
            op.customOptions = co ? co + 4 : 0
            op.customOptionsLength = fb.vectorLength(co)
            op.tensorWords = []
            op.paramTensors = []
            op.scratchSizes = []
            op.scratchWords = []
            op.persistentSizes = []
            op.persistentWords = []
            op.resourceWords = []
            op.resourceIds = []
            op.selfWord = 0
            m.operators.push(op)
        }

        return m
    }

    const MAX_TENSOR_RANK = 8

    function parseTensor(fb: FlatBuffer, t: number, index: number, buf: Buffer,
        bufOffsets: number[], bufLengths: number[]): Tensor {
        const tensor = new Tensor()
        tensor.index = index
        tensor.name = fb.fieldString(t, TensorField.Name)
        tensor.type = fb.fieldU8(t, TensorField.Type, 0)
        tensor.shape = fb.fieldI32Array(t, TensorField.Shape)
        tensor.isVariable = fb.fieldU8(t, TensorField.IsVariable, 0) !== 0
        // The C loader's tensor records hold 8 dimensions; no TFLM kernel takes more than 6.
        if (tensor.shape.length > MAX_TENSOR_RANK)
            fail("unsupported tensor " + index + " of rank " + tensor.shape.length + " (at most " + MAX_TENSOR_RANK + ")")
        for (let i = 0; i < tensor.shape.length; i++)
            if (tensor.shape[i] < 0) fail("unsupported dynamic shape: " + tensor.describe())
        if (fb.field(t, TensorField.Sparsity)) fail("unsupported sparse " + tensor.describe())
        const size = typeSize(tensor.type)
        tensor.bytes = size * tensor.elementCount()
        if (tensor.bytes > 0x7fffffff) fail("corrupt model: " + tensor.describe() + " is too large")
        const b = fb.fieldU32(t, TensorField.Buffer, 0)
        if (b >= bufOffsets.length && b !== 0) fail("corrupt model: " + tensor.describe() + " names buffer " + b + " of " + bufOffsets.length)
        tensor.isConst = false
        tensor.offset = 0
        tensor.data = null
        if (b > 0 && bufLengths[b] > 0) {
            if (size === 0) fail("unsupported constant of type " + typeName(tensor.type) + ": " + tensor.describe())
            if (bufLengths[b] !== tensor.bytes)
                fail("corrupt model: " + tensor.describe() + " needs " + tensor.bytes + " bytes but its buffer holds " + bufLengths[b])
            tensor.isConst = true
            tensor.data = buf
            tensor.offset = bufOffsets[b]
        }

        // A constant is bounded by its buffer; anything else must fit in an arena.
        if (!tensor.isConst && tensor.bytes > maxArenaBytes)
            fail("the model's " + tensor.describe() + " needs " + tensor.bytes + " bytes, more than the arena limit of " + maxArenaBytes + " bytes")

        tensor.scale = 0
        tensor.zeroPoint = 0
        tensor.scales = []
        tensor.zeroPoints = []
        tensor.quantizedDimension = 0
        const q = fb.fieldTable(t, TensorField.Quantization)
        if (q) {
            tensor.scales = fb.fieldF32Array(q, QuantizationField.Scale)
            tensor.zeroPoints = fb.fieldI64Array(q, QuantizationField.ZeroPoint)
            tensor.quantizedDimension = fb.fieldI32(q, QuantizationField.QuantizedDimension, 0)
            if (tensor.scales.length > 0) {
                tensor.scale = tensor.scales[0]
                tensor.zeroPoint = tensor.zeroPoints.length > 0 ? tensor.zeroPoints[0] : 0
                // A zero point is a value of its tensor's type (an int32 for other types): no real
                // model has another, and the kernels' int32 sums (input - zero point) assume it.
                const zp = tensor.zeroPoint
                const type = tensor.type
                const fitted = type === TensorType.Int8 ? (zp << 24) >> 24 : type === TensorType.UInt8 ? zp & 0xff :
                    type === TensorType.Int16 ? (zp << 16) >> 16 : zp | 0
                if (zp !== fitted) fail("corrupt model: " + tensor.describe() + " has zero point " + zp)
                if (tensor.scales.length > 1) {
                    const qd = tensor.quantizedDimension
                    // Converters sometimes give a rank-1 bias the filter's quantized dimension: then
                    // the scales must simply cover every element.
                    const covered = qd < tensor.shape.length ? tensor.shape[qd] : tensor.elementCount()
                    if (qd < 0 || covered !== tensor.scales.length)
                        fail("corrupt model: " + tensor.describe() + " has " + tensor.scales.length + " scales for quantized dimension " + qd)
                    if (tensor.zeroPoints.length !== tensor.scales.length && tensor.zeroPoints.length > 1)
                        fail("corrupt model: " + tensor.describe() + " has " + tensor.zeroPoints.length + " zero points for " + tensor.scales.length + " scales")
                }
            }
        }
        return tensor
    }

    function tensorList(m: Subgraph, indices: number[], what: string, allowMissing: boolean): Tensor[] {
        const res: Tensor[] = []
        for (let i = 0; i < indices.length; i++) {
            const ti = indices[i]
            if (ti === -1 && allowMissing) res.push(null)
            else if (ti < 0 || ti >= m.tensors.length)
                fail("corrupt model: " + what + " " + i + " is tensor " + ti + " of " + m.tensors.length)
            else res.push(m.tensors[ti])
        }
        return res
    }
}
