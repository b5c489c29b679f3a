namespace tflite {
    // Ops that run other subgraphs, and resource variables, as TFLM's kernels do (call_once.cc,
    // var_handle.cc, read_variable.cc, assign_variable.cc, micro_resource_variable.cc).
    //
    // CALL_ONCE runs its init subgraph on the first invoke only (the flag is op state, so
    // resetState clears it and the next invoke runs the init subgraph again; TFLM's Reset keeps
    // its has_run flag but refills the variables, which an init subgraph then never sets again).
    //
    // Resource variables are found at load, not at invoke: VAR_HANDLE's container and shared name
    // name one (TFLM's CreateIdIfNoneFound, in prepare order: subgraph 0's ops first); the first
    // ASSIGN_VARIABLE prepared fixes its size (TFLM's Allocate) and the byte that fills it at load
    // and at resetState (the zero point of a quantized value, else 0); its bytes live in the
    // arena's persistent part. READ_VARIABLE and ASSIGN_VARIABLE take the handle from a VAR_HANDLE
    // before them in their subgraph, as every converted model does: TFLM reads the resource id
    // from the handle tensor at invoke, here the loader resolves it, so a body copies bytes
    // between places checked at load. VAR_HANDLE still writes TFLM's resource id into its output.
    //
    // The body of an op that runs a subgraph calls back into the interpreter running it: in the
    // STS runningInterpreter (set by StsInterpreter.invoke), in C tfl_run_ops with the loader's
    // state, which the body finds from its own parameter block (its Self word).

    /** Parameter block of call_once (words). */
    export const enum CallOnceParams {
        /** Arena offset of the op's state word: 0 until the init subgraph has run. */
        HasRun = 0,
        /** The init subgraph's operators: the first one's place in Model.operators, and how many. */
        FirstOp = 1, OpCount = 2,
        /** Where this block starts in the C loader's state (Operator.paramSelf). */
        Self = 3,
        Words = 4,
    }

    /** Parameter block of var_handle_int32 (words). */
    export const enum VarHandleParams {
        Output = 0,
        /** The resource variable's number (Model.resources), TFLM's resource id. */
        ResourceId = 2,
        Words = 3,
    }

    /** Parameter block of read_variable_bytes and assign_variable_bytes (words). */
    export const enum VariableParams {
        /** READ_VARIABLE's output, ASSIGN_VARIABLE's value. */
        Value = 0,
        /** The resource variable's arena offset, its number (Model.resources) and the bytes copied. */
        Resource = 2, ResourceId = 3, Bytes = 4,
        Words = 5,
    }

    /**
     * Parameter block of if_bytes (words): this header, then one record (IfRecord) per input after
     * the condition, then one per output.
     */
    export const enum IfParams {
        /** The condition: one BOOL. */
        Cond = 0,
        /** The then and else subgraphs' operators: the first one's place in Model.operators, and how many. */
        ThenFirstOp = 2, ThenOpCount = 3, ElseFirstOp = 4, ElseOpCount = 5,
        /** Where this block starts in the C loader's state (Operator.paramSelf). */
        Self = 6,
        InputCount = 7, OutputCount = 8,
        Records = 9,
    }

    /**
     * A record of if_bytes: an input's is the op's tensor (copied from) and the then and else
     * subgraphs' inputs (copied to); an output's is the op's output (copied to) and the then and
     * else subgraphs' outputs (copied from); and the bytes, equal in all three.
     */
    export const enum IfRecord {
        Op = 0, Then = 2, Else = 4, Bytes = 6,
        Words = 7,
    }

    /**
     * Parameter block of while_bytes (words): this header, then one record (WhileRecord) per input
     * (WHILE has as many outputs as inputs).
     */
    export const enum WhileParams {
        /** The cond subgraph's output 0: one BOOL, true for one more turn. */
        CondOutput = 0,
        /** The cond and body subgraphs' operators: the first one's place in Model.operators, and how many. */
        CondFirstOp = 2, CondOpCount = 3, BodyFirstOp = 4, BodyOpCount = 5,
        /** Where this block starts in the C loader's state (Operator.paramSelf). */
        Self = 6,
        Count = 7,
        Records = 8,
    }

    /**
     * A record of while_bytes, one per input i: the op's input i and output i, the cond and body
     * subgraphs' input i, the body's output i; and the bytes, equal in all five.
     */
    export const enum WhileRecord {
        Input = 0, Output = 2, CondInput = 4, BodyInput = 6, BodyOutput = 8, Bytes = 10,
        Words = 11,
    }

    /**
     * Turns of one WHILE after which its body stops the invoke (as CIRCULAR_BUFFER does: invoke()
     * returns false). TFLM loops for as long as the condition holds, so a model whose condition
     * never turns false hangs it; here such a model stops instead of hanging the micro:bit or the
     * simulator. A converted loop over a sequence turns once per element, far fewer times.
     */
    const MAX_WHILE_TURNS = 10000

    const enum CallOnceOptions { InitSubgraphIndex = 0 }
    const enum IfOptions { ThenSubgraphIndex = 0, ElseSubgraphIndex = 1 }
    const enum WhileOptions { CondSubgraphIndex = 0, BodySubgraphIndex = 1 }
    const enum VarHandleOptions { Container = 0, SharedName = 1 }

    /** The interpreter whose invoke is running (the control bodies run its subgraphs). */
    export let runningInterpreter: StsInterpreter = null

    export function registerControlKernels(): void {
        registerBuiltin(BuiltinOp.CALL_ONCE, prepareCallOnce)
        registerBody("call_once", callOnce)
        registerBuiltin(BuiltinOp.IF, prepareIf)
        registerBody("if_bytes", ifBytes)
        registerBuiltin(BuiltinOp.WHILE, prepareWhile)
        registerBody("while_bytes", whileBytes)
        registerBuiltin(BuiltinOp.VAR_HANDLE, prepareVarHandle)
        registerBody("var_handle_int32", varHandleInt32)
        registerBuiltin(BuiltinOp.READ_VARIABLE, prepareReadVariable)
        registerBody("read_variable_bytes", readVariableBytes)
        registerBuiltin(BuiltinOp.ASSIGN_VARIABLE, prepareAssignVariable)
        registerBody("assign_variable_bytes", assignVariableBytes)
    }

    /** The subgraph an op calls, checked: in the model, and not the op's own (which would never end). */
    function calledSubgraph(op: Operator, index: number, what: string): Subgraph {
        const m = op.model
        op.check(index >= 0 && index < m.subgraphs.length, what + " " + index + " is not a subgraph of the model's " + m.subgraphs.length)
        op.check(index !== op.subgraph, what + " " + index + " is the op's own subgraph")
        return m.subgraphs[index]
    }

    function prepareCallOnce(op: Operator): void {
        op.check(op.inputs.length === 0 && op.outputs.length === 0, "takes no inputs and no outputs")
        const init = calledSubgraph(op, op.optInt(CallOnceOptions.InitSubgraphIndex, 0), "init subgraph")
        const p = op.useBody("call_once", CallOnceParams.Words)
        op.paramPersistent(CallOnceParams.HasRun, 4)
        setParam(p, CallOnceParams.FirstOp, init.firstOp)
        setParam(p, CallOnceParams.OpCount, init.operators.length)
        op.paramSelf(CallOnceParams.Self)
    }

    function callOnce(p: Buffer, model: Buffer, arena: Buffer): void {
        const hasRun = param(p, CallOnceParams.HasRun)
        if (arena.getNumber(NumberFormat.Int32LE, hasRun)) return
        runningInterpreter.runOps(param(p, CallOnceParams.FirstOp), param(p, CallOnceParams.OpCount))
        arena.setNumber(NumberFormat.Int32LE, hasRun, 1)
    }

    /** Whether an op's tensors and a subgraph's match in number and, one by one, in bytes (TFLM fails the invoke else). */
    function checkBranchTensors(op: Operator, ours: Tensor[], theirs: Tensor[], sub: number, what: string): void {
        op.check(ours.length === theirs.length, "has " + ours.length + " " + what + "s, subgraph " + sub + " " + theirs.length)
        for (let i = 0; i < ours.length; i++)
            op.check(ours[i].bytes === theirs[i].bytes, what + " " + ours[i].describe() + " and subgraph " + sub + "'s " +
                theirs[i].describe() + " differ in size")
    }

    /** TFLM's IF: the condition's one BOOL picks a branch; the other inputs are copied to its inputs, its outputs to the op's. */
    function prepareIf(op: Operator): void {
        op.check(op.inputs.length > 0 && !!op.input(0), "needs the condition")
        const cond = op.input(0)
        op.check(cond.type === TensorType.Bool && cond.elementCount() === 1, "the condition must be one BOOL, not " + cond.describe())
        const thenIndex = op.optInt(IfOptions.ThenSubgraphIndex, 0)
        const elseIndex = op.optInt(IfOptions.ElseSubgraphIndex, 0)
        const thenSub = calledSubgraph(op, thenIndex, "then subgraph")
        const elseSub = calledSubgraph(op, elseIndex, "else subgraph")
        const inputs: Tensor[] = []
        for (let i = 1; i < op.inputs.length; i++) {
            op.check(!!op.inputs[i], "input " + i + " is missing")
            inputs.push(op.inputs[i])
        }
        checkBranchTensors(op, inputs, thenSub.inputs, thenIndex, "input")
        checkBranchTensors(op, op.outputs, thenSub.outputs, thenIndex, "output")
        checkBranchTensors(op, inputs, elseSub.inputs, elseIndex, "input")
        checkBranchTensors(op, op.outputs, elseSub.outputs, elseIndex, "output")
        const n = inputs.length
        const p = op.useBody("if_bytes", IfParams.Records + IfRecord.Words * (n + op.outputs.length))
        op.paramTensor(IfParams.Cond, cond)
        setParams(p, IfParams.ThenFirstOp, [thenSub.firstOp, thenSub.operators.length, elseSub.firstOp, elseSub.operators.length])
        op.paramSelf(IfParams.Self)
        setParam(p, IfParams.InputCount, n)
        setParam(p, IfParams.OutputCount, op.outputs.length)
        for (let i = 0; i < n + op.outputs.length; i++) {
            const r = IfParams.Records + IfRecord.Words * i
            const ours = i < n ? inputs[i] : op.outputs[i - n]
            op.paramTensor(r + IfRecord.Op, ours)
            op.paramTensor(r + IfRecord.Then, i < n ? thenSub.inputs[i] : thenSub.outputs[i - n])
            op.paramTensor(r + IfRecord.Else, i < n ? elseSub.inputs[i] : elseSub.outputs[i - n])
            setParam(p, r + IfRecord.Bytes, ours.bytes)
        }
    }

    /** Copies record `r`'s bytes from the tensor at word `from` to the one at word `to`. */
    function copyRecord(p: Buffer, model: Buffer, arena: Buffer, r: number, from: number, to: number): void {
        const src = paramBuffer(p, r + from, model, arena)
        const at = paramOffset(p, r + from)
        const dst = paramOffset(p, r + to)
        const n = param(p, r + IfRecord.Bytes)
        for (let i = 0; i < n; i++) arena[dst + i] = src[at + i]
    }

    function ifBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const cond = paramBuffer(p, IfParams.Cond, model, arena)[paramOffset(p, IfParams.Cond)] !== 0
        const branch = cond ? IfRecord.Then : IfRecord.Else
        const n = param(p, IfParams.InputCount)
        const m = param(p, IfParams.OutputCount)
        for (let i = 0; i < n; i++) copyRecord(p, model, arena, IfParams.Records + IfRecord.Words * i, IfRecord.Op, branch)
        runningInterpreter.runOps(param(p, cond ? IfParams.ThenFirstOp : IfParams.ElseFirstOp), param(p, cond ? IfParams.ThenOpCount : IfParams.ElseOpCount))
        for (let i = n; i < n + m; i++) copyRecord(p, model, arena, IfParams.Records + IfRecord.Words * i, branch, IfRecord.Op)
    }

    /**
     * TFLM's WHILE: the inputs are copied to the cond subgraph's inputs and to the op's outputs;
     * while the cond subgraph's output 0 is true, the outputs are copied to the body's inputs, the
     * body runs, its outputs are copied to the op's outputs and from there to the cond's inputs,
     * and the cond runs again. TFLM checks the counts at prepare and the sizes at each copy
     * (failing the invoke); both are refused here at load. TFLM reads the first byte of the
     * cond's output 0 whatever its type; a cond whose output 0 is not one BOOL is refused.
     */
    function prepareWhile(op: Operator): void {
        const condIndex = op.optInt(WhileOptions.CondSubgraphIndex, 0)
        const bodyIndex = op.optInt(WhileOptions.BodySubgraphIndex, 0)
        const condSub = calledSubgraph(op, condIndex, "cond subgraph")
        const bodySub = calledSubgraph(op, bodyIndex, "body subgraph")
        for (let i = 0; i < op.inputs.length; i++) op.check(!!op.inputs[i], "input " + i + " is missing")
        checkBranchTensors(op, op.inputs, condSub.inputs, condIndex, "input")
        checkBranchTensors(op, op.inputs, bodySub.inputs, bodyIndex, "input")
        checkBranchTensors(op, op.outputs, bodySub.outputs, bodyIndex, "output")
        const n = op.inputs.length
        op.check(op.outputs.length === n, "has " + n + " inputs and " + op.outputs.length + " outputs (a WHILE has as many of each)")
        for (let i = 0; i < n; i++)
            op.check(op.inputs[i].bytes === op.outputs[i].bytes, "input " + op.inputs[i].describe() + " and output " +
                op.outputs[i].describe() + " differ in size")
        op.check(condSub.outputs.length > 0, "cond subgraph " + condIndex + " has no output")
        const condOutput = condSub.outputs[0]
        op.check(condOutput.type === TensorType.Bool && condOutput.elementCount() === 1,
            "cond subgraph " + condIndex + "'s output must be one BOOL, not " + condOutput.describe())
        const p = op.useBody("while_bytes", WhileParams.Records + WhileRecord.Words * n)
        op.paramTensor(WhileParams.CondOutput, condOutput)
        setParams(p, WhileParams.CondFirstOp, [condSub.firstOp, condSub.operators.length, bodySub.firstOp, bodySub.operators.length])
        op.paramSelf(WhileParams.Self)
        setParam(p, WhileParams.Count, n)
        for (let i = 0; i < n; i++) {
            const r = WhileParams.Records + WhileRecord.Words * i
            op.paramTensor(r + WhileRecord.Input, op.inputs[i])
            op.paramTensor(r + WhileRecord.Output, op.outputs[i])
            op.paramTensor(r + WhileRecord.CondInput, condSub.inputs[i])
            op.paramTensor(r + WhileRecord.BodyInput, bodySub.inputs[i])
            op.paramTensor(r + WhileRecord.BodyOutput, bodySub.outputs[i])
            setParam(p, r + WhileRecord.Bytes, op.inputs[i].bytes)
        }
    }

    /** Copies every record's bytes from the tensor at word `from` to the one at word `to` (TFLM skips a tensor copied to itself). */
    function copyWhileRecords(p: Buffer, model: Buffer, arena: Buffer, from: number, to: number): void {
        const n = param(p, WhileParams.Count)
        for (let i = 0; i < n; i++) {
            const r = WhileParams.Records + WhileRecord.Words * i
            const src = paramBuffer(p, r + from, model, arena)
            const at = paramOffset(p, r + from)
            const dst = paramOffset(p, r + to)
            if (src === arena && at === dst) continue
            const bytes = param(p, r + WhileRecord.Bytes)
            for (let j = 0; j < bytes; j++) arena[dst + j] = src[at + j]
        }
    }

    /** Runs the cond subgraph; whether it ran to the end and its output is true. */
    function whileCondHolds(p: Buffer, model: Buffer, arena: Buffer): boolean {
        runningInterpreter.runOps(param(p, WhileParams.CondFirstOp), param(p, WhileParams.CondOpCount))
        if (invokeStopped) return false
        return paramBuffer(p, WhileParams.CondOutput, model, arena)[paramOffset(p, WhileParams.CondOutput)] !== 0
    }

    function whileBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        copyWhileRecords(p, model, arena, WhileRecord.Input, WhileRecord.CondInput)
        copyWhileRecords(p, model, arena, WhileRecord.Input, WhileRecord.Output)
        let turns = 0
        while (whileCondHolds(p, model, arena)) {
            if (turns === MAX_WHILE_TURNS) {
                invokeStopped = true
                return
            }
            turns++
            copyWhileRecords(p, model, arena, WhileRecord.Output, WhileRecord.BodyInput)
            runningInterpreter.runOps(param(p, WhileParams.BodyFirstOp), param(p, WhileParams.BodyOpCount))
            // A stop inside the body ends the loop (TFLM's WHILE returns the body's kTfLiteAbort).
            if (invokeStopped) return
            copyWhileRecords(p, model, arena, WhileRecord.BodyOutput, WhileRecord.Output)
            copyWhileRecords(p, model, arena, WhileRecord.Output, WhileRecord.CondInput)
        }
    }

    /** A handle takes one RESOURCE element (4 bytes here, as in TFLM); ASSIGN_VARIABLE also takes INT32. */
    function checkHandle(op: Operator, t: Tensor, int32Too: boolean): void {
        op.check(t.type === TensorType.Resource || (int32Too && t.type === TensorType.Int32),
            "the handle must be RESOURCE" + (int32Too ? " or INT32" : "") + ", not " + t.describe())
        op.check(t.elementCount() === 1, "the handle must be one element, not " + t.describe())
    }

    function prepareVarHandle(op: Operator): void {
        op.check(op.outputs.length === 1, "needs one output")
        const output = op.output(0)
        checkHandle(op, output, false)
        op.check(op.options !== 0 && op.fb.field(op.options, VarHandleOptions.SharedName) !== 0, "needs a shared_name option")
        const container = op.fb.field(op.options, VarHandleOptions.Container) !== 0 ? op.fb.fieldString(op.options, VarHandleOptions.Container) : null
        const name = op.fb.fieldString(op.options, VarHandleOptions.SharedName)
        const m = op.model
        // TFLM's FindId: no container matches any.
        let id = -1
        for (let i = 0; i < m.resources.length && id < 0; i++) {
            const r = m.resources[i]
            if ((container === null || (r.container !== null && r.container === container)) && r.sharedName === name) id = i
        }
        if (id < 0) {
            op.check(m.resources.length < MAX_RESOURCES, "more than " + MAX_RESOURCES + " resource variables")
            const r = new Resource()
            r.container = container
            r.sharedName = name
            r.bytes = -1
            r.fill = 0
            r.offset = 0
            m.resources.push(r)
            id = m.resources.length - 1
        }
        const p = op.useBody("var_handle_int32", VarHandleParams.Words)
        op.paramTensor(VarHandleParams.Output, output)
        setParam(p, VarHandleParams.ResourceId, id)
    }

    /** As many resource variables as the C loader's table holds. */
    const MAX_RESOURCES = 16

    /** The resource variable of the VAR_HANDLE before `op` in its subgraph that writes `handle`. */
    function handleResource(op: Operator, handle: Tensor): number {
        const m = op.model
        const first = m.subgraphs[op.subgraph].firstOp
        for (let k = first + op.index - 1; k >= first; k--) {
            const before = m.operators[k]
            if (before.opcode === BuiltinOp.VAR_HANDLE && before.outputs.length > 0 && before.outputs[0] === handle)
                return param(before.params, VarHandleParams.ResourceId)
        }
        op.check(false, "the handle " + handle.describe() + " must come from a VAR_HANDLE before it in its subgraph")
        return -1
    }

    function prepareReadVariable(op: Operator): void {
        op.check(op.inputs.length === 1 && !!op.input(0) && op.outputs.length === 1, "needs one input and one output")
        checkHandle(op, op.input(0), false)
        const id = handleResource(op, op.input(0))
        const output = op.output(0)
        const p = op.useBody("read_variable_bytes", VariableParams.Words)
        op.paramTensor(VariableParams.Value, output)
        op.paramResource(VariableParams.Resource, id)
        setParam(p, VariableParams.ResourceId, id)
        setParam(p, VariableParams.Bytes, output.bytes)
    }

    function prepareAssignVariable(op: Operator): void {
        op.check(op.inputs.length === 2 && !!op.input(0) && !!op.input(1) && op.outputs.length === 0, "needs two inputs and no output")
        checkHandle(op, op.input(0), true)
        const id = handleResource(op, op.input(0))
        const value = op.input(1)
        const r = op.model.resources[id]
        if (r.bytes < 0) {
            // TFLM's Allocate: the value's size, filled with its zero point when it is quantized.
            r.bytes = value.bytes
            r.fill = value.scales.length > 0 && value.zeroPoints.length > 0 ? value.zeroPoint & 0xff : 0
        }
        op.check(value.bytes === r.bytes, "assigns " + value.bytes + " bytes (" + value.describe() + ") to resource variable '" +
            r.sharedName + "' of " + r.bytes + " bytes")
        const p = op.useBody("assign_variable_bytes", VariableParams.Words)
        op.paramTensor(VariableParams.Value, value)
        op.paramResource(VariableParams.Resource, id)
        setParam(p, VariableParams.ResourceId, id)
        setParam(p, VariableParams.Bytes, value.bytes)
    }

    /** After every prepare: each READ_VARIABLE reads a variable some ASSIGN_VARIABLE sized, of its output's size. */
    export function checkResourceReads(m: Model): void {
        for (let k = 0; k < m.operators.length; k++) {
            const op = m.operators[k]
            if (op.bodyName !== "read_variable_bytes") continue
            const r = m.resources[param(op.params, VariableParams.ResourceId)]
            op.check(r.bytes >= 0, "reads resource variable '" + r.sharedName + "', which no ASSIGN_VARIABLE gives a size")
            op.check(r.bytes === param(op.params, VariableParams.Bytes), "reads resource variable '" + r.sharedName + "' of " +
                r.bytes + " bytes into " + op.output(0).describe())
        }
    }

    function varHandleInt32(p: Buffer, model: Buffer, arena: Buffer): void {
        arena.setNumber(NumberFormat.Int32LE, paramOffset(p, VarHandleParams.Output), param(p, VarHandleParams.ResourceId))
    }

    function readVariableBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const to = paramOffset(p, VariableParams.Value)
        const from = param(p, VariableParams.Resource)
        const n = param(p, VariableParams.Bytes)
        for (let i = 0; i < n; i++) arena[to + i] = arena[from + i]
    }

    function assignVariableBytes(p: Buffer, model: Buffer, arena: Buffer): void {
        const value = paramBuffer(p, VariableParams.Value, model, arena)
        const from = paramOffset(p, VariableParams.Value)
        const to = param(p, VariableParams.Resource)
        const n = param(p, VariableParams.Bytes)
        for (let i = 0; i < n; i++) arena[to + i] = value[from + i]
    }
}
