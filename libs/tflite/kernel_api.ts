namespace tflite {
    // The kernel ABI: how an operator's computation is called, the same way in STS and in C.
    //
    // At load, an op's prepare step checks types and shapes, precomputes everything that does not
    // depend on the data (quantized multipliers, strides, padding) and writes it into the op's
    // parameter block: a Buffer of little-endian 32-bit words whose layout each kernel declares
    // as a `const enum ...Params` in its own file. At invoke, the interpreter calls the op's body
    //
    //     body(params, model, arena)
    //
    // where `model` is the .tflite file (constants are read in place) and `arena` holds every
    // other tensor. A body reads only its parameter block and those two Buffers, so the same call
    // can be served by the STS reference body (simulator, Node) or by a C body through a shim
    // (native builds), and can be recorded and replayed byte for byte.
    //
    // A tensor takes two words in a parameter block: where its bytes are (Where) and the byte
    // offset there. Tensor words are filled in by the interpreter once the arena is planned.

    export type KernelBody = (params: Buffer, model: Buffer, arena: Buffer) => void
    export type PrepareFn = (op: Operator) => void

    /** Which Buffer holds a tensor's bytes. 0 means "no tensor" (an omitted optional input). */
    export const enum Where { None = 0, Arena = 1, Model = 2 }

    let bodyNames: string[]
    let bodyFns: KernelBody[]

    /**
     * Adds (or replaces) a kernel body by name. The reference bodies register themselves; an
     * optimized library registers its own under the same names to take their place.
     */
    export function registerBody(name: string, body: KernelBody): void {
        if (!bodyNames) {
            bodyNames = []
            bodyFns = []
        }
        const i = bodyNames.indexOf(name)
        if (i >= 0) bodyFns[i] = body
        else {
            bodyNames.push(name)
            bodyFns.push(body)
        }
    }

    export function findBody(name: string): KernelBody {
        const i = bodyNames ? bodyNames.indexOf(name) : -1
        return i >= 0 ? bodyFns[i] : null
    }

    /** Names of every registered body (for tools that list or replay kernel calls). */
    export function bodyList(): string[] {
        return bodyNames ? bodyNames.slice(0) : []
    }

    export function param(p: Buffer, word: number): number {
        return p.getNumber(NumberFormat.Int32LE, 4 * word)
    }
    export function setParam(p: Buffer, word: number, v: number): void {
        p.setNumber(NumberFormat.Int32LE, 4 * word, v)
    }
    export function paramFloat(p: Buffer, word: number): number {
        return p.getNumber(NumberFormat.Float32LE, 4 * word)
    }
    export function setParamFloat(p: Buffer, word: number, v: number): void {
        p.setNumber(NumberFormat.Float32LE, 4 * word, v)
    }
    /** Writes a list of numbers as consecutive words starting at `word`. */
    export function setParams(p: Buffer, word: number, values: number[]): void {
        for (let i = 0; i < values.length; i++) setParam(p, word + i, values[i])
    }

    /** The Buffer that holds the tensor described at `word` (null when it is absent). */
    export function paramBuffer(p: Buffer, word: number, model: Buffer, arena: Buffer): Buffer {
        const where = param(p, word)
        return where === Where.Arena ? arena : where === Where.Model ? model : null
    }
    /** The byte offset of the tensor described at `word`, in the Buffer paramBuffer gives. */
    export function paramOffset(p: Buffer, word: number): number {
        return param(p, word + 1)
    }

    /** Signed 8-bit element `i` of a byte run starting at `offset`. */
    export function int8At(buf: Buffer, offset: number, i: number): number {
        return (buf[offset + i] << 24) >> 24
    }

    // Helpers of the int8 bodies that are hot in the simulator.
    //
    // pxt compiles STS for the simulator into a state machine: each operation of an expression
    // (a +, a Buffer or array read, a comparison) becomes a statement that stores its result in
    // the function's frame object, every jump (a loop's next iteration, a branch of an if or of
    // ?:) goes back through the machine's dispatch, costing a few such operations, and a call
    // allocates a frame and returns through pxt's scheduler, costing fifty or so. So the int8
    // bodies read each tensor once into a number[] with its zero point already removed (an array
    // read is one operation, a signed byte three), do four output pixels and two sums per
    // iteration of their inner loops, call nothing per element, and let one double carry two int8
    // dot products (LANE). Their results are the same integers, so every output byte is.

    /**
     * Two lanes of a packed sum: a packed weight a + b * LANE times an input value x is
     * a * x + b * x * LANE, so a sum of such products holds two dot products (see packable).
     * Written as a shift, which tools/gen-abi.ts does not copy into the C header: only the STS
     * bodies pack.
     */
    export const LANE = 1 << 27

    /**
     * Whether sums of `terms` products of an int8 weight (|w| <= 128) and an int8 value plus
     * `inputOffset` (|x| <= 128 + |inputOffset|) can share a double as two lanes: each lane's sum
     * (and every partial sum) is then at most 2^26 - 1 = LANE / 2 - 1 in magnitude, so it splits
     * back exactly, and the packed sum, at most (2^26 - 1) * (LANE + 1) < 2^53, stays an exact
     * integer. With a zero point in int8's range, up to 2047 products.
     */
    export function packable(terms: number, inputOffset: number): boolean {
        return terms * 128 * (128 + (inputOffset < 0 ? -inputOffset : inputOffset)) < 67108864
    }

    /** The high lane of a packed sum (rounding is exact: the low lane is below LANE / 2). */
    export function highLane(packed: number): number {
        return Math.round(packed / LANE)
    }

    /**
     * Appends `count` int8 values of `buf` (from byte `at`, `stride` bytes apart) to `values`,
     * each plus `addend` (minus the zero point, for a tensor whose zero point the kernel removes).
     */
    export function pushInt8Values(values: number[], buf: Buffer, at: number, count: number, stride: number, addend: number): void {
        const end = at + count * stride
        for (let i = at; i < end; i += stride) values.push(((buf[i] << 24) >> 24) + addend)
    }

    /** Appends `count` zeros to `values`. */
    export function pushZeros(values: number[], count: number): void {
        for (let i = 0; i < count; i++) values.push(0)
    }

    /**
     * The per-output-channel requantization of a quantized body (parameter-block words from
     * `word` on: (multiplier, shift) pairs, `step` words apart: 2 per channel, or 0 for one shared
     * by all) and the int32 biases (none: zeros), as arrays the inner loops read in one statement.
     */
    export class ChannelRequantization {
        multipliers: number[]
        /** 2^shift for a positive shift, else 1. */
        leftFactors: number[]
        rightShifts: number[]
        biases: number[]

        constructor(p: Buffer, word: number, step: number, channels: number, bias: Buffer, biasAt: number) {
            this.multipliers = []
            this.leftFactors = []
            this.rightShifts = []
            this.biases = []
            for (let c = 0; c < channels; c++) {
                const shift = param(p, word + step * c + 1)
                this.multipliers.push(param(p, word + step * c))
                this.leftFactors.push(shift > 0 ? 1 << shift : 1)
                this.rightShifts.push(shift > 0 ? 0 : -shift)
                this.biases.push(bias ? bias.getNumber(NumberFormat.Int32LE, biasAt + 4 * c) : 0)
            }
        }
    }

    /**
     * Stores `count` int8 outputs (whole pixels of `channels`) from int32 accumulators without
     * their biases: output byte `at + i`, of channel c, is
     * clamp(multiplyByQuantizedMultiplier((sums[i] + bias[c]) wrapped to int32, channel c's
     * multiplier and shift) + outputOffset, actMin, actMax), TFLM's arithmetic.
     */
    export function storeRequantizedInt8(sums: number[], count: number, channels: number, rq: ChannelRequantization,
        outputOffset: number, actMin: number, actMax: number, output: Buffer, at: number): void {
        const multipliers = rq.multipliers
        const leftFactors = rq.leftFactors
        const rightShifts = rq.rightShifts
        const biases = rq.biases
        let c = 0
        for (let i = 0; i < count; i++) {
            const multiplier = multipliers[c]
            // TFLM's int32 accumulator wraps (it assumes fewer than 2^16 products).
            const x = Math.imul((sums[i] + biases[c]) | 0, leftFactors[c])
            // SaturatingRoundingDoublingHighMul is the product / 2^31 rounded half up, which one
            // double gives exactly while the product is exact: |x| < 2^21 (the test is x + 2^21 - 1
            // in [0, 2^22 - 2], as one unsigned comparison). Its one saturating case, x and the
            // multiplier both INT32_MIN, is among the others.
            let high = Math.round(x * multiplier / 2147483648)
            if ((x + 2097151) >>> 0 > 4194302) high = saturatingRoundingDoublingHighMul(x, multiplier)
            // roundingDivideByPOT(high, right): its rounding step is 1 when the remainder exceeds
            // the threshold, that is when threshold - remainder is negative (both below 2^31).
            const right = rightShifts[c]
            const mask = (1 << right) - 1
            const v = (high >> right) + (((mask >> 1) + (high >>> 31) - (high & mask)) >>> 31) + outputOffset
            output[at + i] = (v < actMin ? actMin : v > actMax ? actMax : v) & 0xff
            c = (c + 1) % channels
        }
    }
}
