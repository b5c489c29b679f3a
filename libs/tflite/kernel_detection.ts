namespace tflite {
    // TFLite_Detection_PostProcess (TFLM's detection_postprocess.cc), the custom op at the end of
    // SSD-style object detectors: box encodings [1, boxes, 4+] and anchors [boxes, 4] (both
    // center-size: y, x, h, w) decoded into corners, then non-maximum suppression over the class
    // predictions [1, boxes, classes (+1 background)], into four float32 outputs: boxes (ymin,
    // xmin, ymax, xmax), classes, scores, and the number of detections.
    //
    // TFLM takes float32 only: its decoder and its NMS return an error for any other type of box
    // encodings or class predictions, and it reads the anchors as float32 whatever their type; so
    // every input and output must be FLOAT32 here.
    //
    // Decoding is TFLM's: the centers and the half sizes in double (exp in double: fdlibm's
    // algorithm, doubleExp below, the same in C), rounded to float32, the corners in float32.
    // Before NMS TFLM fails the invoke when a decoded box has ymin >= ymax or xmin >= xmax; the
    // bodies then return without writing the outputs, which TFLM leaves as they were.
    //
    // Fast NMS (use_regular_nms false): each box's classes sorted by score (std::partial_sort with
    // TFLM's comparator: higher score first, the lower index among equal scores), the best score
    // per box through single-class NMS, then each selected box's first classes. TFLM places the
    // i-th selected box's c-th class at num_categories * (i * num_categories + c) + c (its
    // output_box_index advances in the inner loop), which is i when one class per box is asked;
    // outputs past what it writes are left as they were. Regular NMS: single-class NMS per class,
    // the results merged by score (partial sort again), the first max_detections written and the
    // rest of the outputs set to 0.
    //
    // The sorts are TFLM's: std::partial_sort is libstdc++'s heap select then heap sort
    // (heapSelectSort), and DecreasingArgSort a merge sort with insertion sort below 20 values;
    // with a NaN score they still order exactly as TFLM does. Scores and boxes are copied to the
    // outputs as bits.
    //
    // The C twin is kernels/prepare_detection.c and kernels/detection.c. The STS body keeps its
    // working lists in arrays; the C body uses the scratch memory both prepares ask for (same
    // sizes, so both loaders plan the same arena).

    export function registerDetectionKernels(): void {
        registerCustom("TFLite_Detection_PostProcess", prepareDetectionPostprocess)
        registerBody("detection_postprocess_float", detectionPostprocessFloat)
    }

    /** Parameter block of detection_postprocess_float (words). */
    export const enum DetectionParams {
        BoxEncodings = 0, ClassPredictions = 2, Anchors = 4,
        OutputBoxes = 6, OutputClasses = 8, OutputScores = 10, OutputCount = 12,
        NumBoxes = 14,
        /** Values per box in the box encodings (4 or more; TFLM reads the first 4). */
        BoxStride = 15,
        NumClasses = 16,
        /** Columns of the class predictions: NumClasses, or NumClasses + 1 with a background column first. */
        ClassColumns = 17,
        MaxDetections = 18,
        /** Fast NMS: min(max_classes_per_detection, NumClasses). */
        CategoriesPerBox = 19,
        DetectionsPerClass = 20,
        /** 1 for regular NMS, 0 for fast NMS. */
        Regular = 21,
        /** float32 */
        ScoreThreshold = 22, IouThreshold = 23, YScale = 24, XScale = 25, HScale = 26, WScale = 27,
        /** Scratch (arena offsets): decoded boxes (4 float32 per box), one byte per kept box (still a candidate), */
        Decoded = 28, Active = 29,
        /** scores of one class or each box's best (float32 per box), kept scores and their boxes, */
        ClassScores = 30, KeepScores = 31, KeepIndices = 32,
        /** sort order (int32 per box; regular: MaxDetections + NumBoxes of them), selected boxes (int32 per box), */
        Sorted = 33, Selected = 34,
        /** fast: each box's classes by score (NumBoxes * NumClasses int32); regular: merged candidates (MaxDetections + NumBoxes), */
        Candidates = 35,
        /** regular only: the merged candidates' scores (MaxDetections + NumBoxes float32) and the sorted ones (MaxDetections). */
        CandidateScores = 36, SortedScores = 37,
        Words = 38,
    }

    const DETECTION_INPUT_NAMES = ["box encodings", "class predictions", "anchors"]

    /** An option TFLM reads with AsInt32 or AsBool; `dflt` when absent if TFLM has a default, else refused. */
    function detectionIntOption(op: Operator, options: FlexValue, key: string, lo: number, dflt: number, hasDefault: boolean): number {
        const v = options ? options.get(key) : null
        if (!v && hasDefault) return dflt
        op.check(!!v, "custom option '" + key + "' is missing")
        const x = v.asInt()
        op.check(x >= INT32_MIN && x <= INT32_MAX, "custom option '" + key + "' = " + x + " does not fit an int32")
        op.check(x >= lo, "custom option '" + key + "' = " + x + " must be " + lo + " or more")
        return x
    }

    /** An option TFLM reads with AsFloat: a float (float32 or float64) or an integer, as float32. */
    function detectionFloatOption(op: Operator, options: FlexValue, key: string): number {
        const v = options ? options.get(key) : null
        op.check(!!v, "custom option '" + key + "' is missing")
        return f32(v.asFloat())
    }

    function prepareDetectionPostprocess(op: Operator): void {
        op.check(op.inputs.length === 3 && op.outputs.length === 4,
            "needs 3 inputs (box encodings, class predictions, anchors) and 4 outputs, has " + op.inputs.length + " and " + op.outputs.length)
        for (let i = 0; i < 3; i++) {
            const t = op.input(i)
            op.check(!!t, DETECTION_INPUT_NAMES[i] + " (input " + i + ") is missing")
            op.check(t.type === TensorType.Float32, DETECTION_INPUT_NAMES[i] + " " + t.describe() +
                " must be FLOAT32 (TFLM's kernel takes float32 only)")
            op.check(t.rank() === (i === 2 ? 2 : 3), DETECTION_INPUT_NAMES[i] + " " + t.describe() + " must have rank " + (i === 2 ? 2 : 3))
        }
        for (let i = 0; i < 4; i++)
            op.check(op.output(i).type === TensorType.Float32, "output " + i + " " + op.output(i).describe() + " must be FLOAT32")
        const boxes = op.input(0), scores = op.input(1), anchors = op.input(2)
        const numBoxes = boxes.dim(1)
        op.check(boxes.dim(0) === 1 && boxes.dim(2) >= 4, "box encodings " + boxes.describe() + " must be [1, boxes, 4 or more]")
        op.check(scores.dim(0) === 1 && scores.dim(1) === numBoxes,
            "class predictions " + scores.describe() + " must be [1, " + numBoxes + ", classes]")
        op.check(anchors.elementCount() >= 4 * numBoxes,
            "anchors " + anchors.describe() + " must hold 4 values for each of the " + numBoxes + " boxes")

        const options = customOptionsMap(op)
        const maxDetections = detectionIntOption(op, options, "max_detections", 0, 0, false)
        const maxClassesPerDetection = detectionIntOption(op, options, "max_classes_per_detection", INT32_MIN, 0, false)
        // TFLM's defaults when absent: 100 detections per class, fast NMS.
        const detectionsPerClass = detectionIntOption(op, options, "detections_per_class", INT32_MIN, 100, true)
        const regular = detectionIntOption(op, options, "use_regular_nms", INT32_MIN, 0, true) !== 0
        const scoreThreshold = detectionFloatOption(op, options, "nms_score_threshold")
        const iouThreshold = detectionFloatOption(op, options, "nms_iou_threshold")
        // TFLM's fast NMS reads a class of none when there are 0 classes.
        const numClasses = detectionIntOption(op, options, "num_classes", 1, 0, false)
        const yScale = detectionFloatOption(op, options, "y_scale")
        const xScale = detectionFloatOption(op, options, "x_scale")
        const hScale = detectionFloatOption(op, options, "h_scale")
        const wScale = detectionFloatOption(op, options, "w_scale")
        op.check(iouThreshold > 0 && iouThreshold <= 1, "custom option 'nms_iou_threshold' must be above 0 and at most 1 (TFLM's check)")
        if (regular) op.check(detectionsPerClass > 0, "custom option 'detections_per_class' must be 1 or more for regular NMS (TFLM's check)")
        else op.check(maxClassesPerDetection > 0, "custom option 'max_classes_per_detection' must be 1 or more for fast NMS (TFLM's check)")
        const columns = scores.dim(2)
        op.check(columns === numClasses || columns === numClasses + 1, "class predictions " + scores.describe() +
            " must have num_classes (" + numClasses + ") or num_classes + 1 (a background class first) columns")

        // How many detections TFLM writes at most (see above for the fast path's places).
        const categories = Math.min(maxClassesPerDetection, numClasses)
        const written = regular ? maxDetections : categories * categories * Math.min(numBoxes, maxDetections)
        const outputs = [op.output(0), op.output(1), op.output(2), op.output(3)]
        for (let i = 0; i < 4; i++) {
            const needed = i === 3 ? 1 : i === 0 ? 4 * written : written
            op.check(outputs[i].elementCount() >= needed, "output " + i + " " + outputs[i].describe() +
                " must hold " + needed + " values or more (TFLM writes that many)")
        }

        const p = op.useBody("detection_postprocess_float", DetectionParams.Words)
        op.paramTensor(DetectionParams.BoxEncodings, boxes)
        op.paramTensor(DetectionParams.ClassPredictions, scores)
        op.paramTensor(DetectionParams.Anchors, anchors)
        op.paramTensor(DetectionParams.OutputBoxes, outputs[0])
        op.paramTensor(DetectionParams.OutputClasses, outputs[1])
        op.paramTensor(DetectionParams.OutputScores, outputs[2])
        op.paramTensor(DetectionParams.OutputCount, outputs[3])
        setParam(p, DetectionParams.NumBoxes, numBoxes)
        setParam(p, DetectionParams.BoxStride, boxes.dim(2))
        setParam(p, DetectionParams.NumClasses, numClasses)
        setParam(p, DetectionParams.ClassColumns, columns)
        setParam(p, DetectionParams.MaxDetections, maxDetections)
        setParam(p, DetectionParams.CategoriesPerBox, regular ? 0 : categories)
        setParam(p, DetectionParams.DetectionsPerClass, regular ? detectionsPerClass : 0)
        setParam(p, DetectionParams.Regular, regular ? 1 : 0)
        setParamFloat(p, DetectionParams.ScoreThreshold, scoreThreshold)
        setParamFloat(p, DetectionParams.IouThreshold, iouThreshold)
        setParamFloat(p, DetectionParams.YScale, yScale)
        setParamFloat(p, DetectionParams.XScale, xScale)
        setParamFloat(p, DetectionParams.HScale, hScale)
        setParamFloat(p, DetectionParams.WScale, wScale)
        // Sizes in bytes, at least 4 so that every piece has its own place.
        const merged = 4 * (maxDetections + numBoxes)
        op.paramScratch(DetectionParams.Decoded, Math.max(4, 16 * numBoxes))
        op.paramScratch(DetectionParams.Active, Math.max(4, numBoxes))
        op.paramScratch(DetectionParams.ClassScores, Math.max(4, 4 * numBoxes))
        op.paramScratch(DetectionParams.KeepScores, Math.max(4, 4 * numBoxes))
        op.paramScratch(DetectionParams.KeepIndices, Math.max(4, 4 * numBoxes))
        op.paramScratch(DetectionParams.Sorted, Math.max(4, regular ? merged : 4 * numBoxes))
        op.paramScratch(DetectionParams.Selected, Math.max(4, 4 * numBoxes))
        op.paramScratch(DetectionParams.Candidates, Math.max(4, regular ? merged : 4 * numBoxes * numClasses))
        if (regular) {
            op.paramScratch(DetectionParams.CandidateScores, Math.max(4, merged))
            op.paramScratch(DetectionParams.SortedScores, Math.max(4, 4 * maxDetections))
        }
    }

    // ---------------------------------------------------------------------------------------
    // exp in double, as fdlibm computes it: x = k ln 2 + r (ln 2 in two parts, |r| <= ln 2 / 2),
    // e^r from a rational approximation, times 2^k. TFLM calls the host's std::exp (glibc), a
    // different algorithm that can differ in the last bit of the double; that decides the float32
    // half size only when the double product lies within one double step of a float32 rounding
    // boundary. Measured against the host's glibc (test/kernel_detection.test.ts does 2 million):
    // of 10^9 random encodings (h in [-40, 40] over a scale of 5, anchors in [0, 1)), 9.8% of the
    // doubles differed in the last bit and 1 float32 half size by one step.

    let pow2Scratch: Buffer

    /** 2^k for -1022 <= k <= 1023, built from its bits. */
    function pow2(k: number): number {
        if (!pow2Scratch) pow2Scratch = control.createBuffer(8)
        pow2Scratch.setNumber(NumberFormat.Int32LE, 0, 0)
        pow2Scratch.setNumber(NumberFormat.Int32LE, 4, (k + 1023) << 20)
        return pow2Scratch.getNumber(NumberFormat.Float64LE, 0)
    }

    export function doubleExp(x: number): number {
        const ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10
        const ax = Math.abs(x)
        if (ax >= 709.7822265625) {
            if (x !== x) return x + x
            if (x > 709.782712893383973096) return Infinity
            if (x < -745.13321910194110842) return 0
        }
        let k = 0, hi = 0, lo = 0
        if (ax >= 0.3465735912322998) {
            if (ax < 1.0397205352783203) {
                k = x < 0 ? -1 : 1
                hi = x - k * ln2Hi
                lo = k * ln2Lo
            } else {
                // C's (int) conversion: toward zero.
                k = (1.44269504088896338700 * x + (x < 0 ? -0.5 : 0.5)) | 0
                hi = x - k * ln2Hi
                lo = k * ln2Lo
            }
            x = hi - lo
        } else if (ax < 3.725290298461914e-9) {
            return 1 + x
        }
        const t = x * x
        const c = x - t * (1.66666666666666019037e-01 + t * (-2.77777777770155933842e-03 + t * (6.61375632143793436117e-05 +
            t * (-1.65339022054652515390e-06 + t * 4.13813679705723846039e-08))))
        if (k === 0) return 1 - ((x * c) / (c - 2) - x)
        const y = 1 - ((lo - (x * c) / (2 - c)) - hi)
        // fdlibm adds k to the exponent: the same as these exact products.
        if (k >= -1021) return k === 1024 ? y * 2 * pow2(1023) : y * pow2(k)
        return y * pow2(k + 1000) * pow2(-1000)
    }

    // ---------------------------------------------------------------------------------------
    // TFLM's sorts, step for step.

    /** TFLM's DecreasingPartialArgSort comparator: a before b. */
    function scoreBefore(values: number[], a: number, b: number): boolean {
        // std::tie(values[a], b) > std::tie(values[b], a)
        return values[b] < values[a] || (!(values[a] < values[b]) && a < b)
    }

    /** libstdc++'s __adjust_heap with its __push_heap. */
    function adjustHeap(v: number[], first: number, hole: number, len: number, value: number, values: number[]): void {
        const top = hole
        let child = hole
        while (child < ((len - 1) >> 1)) {
            child = 2 * (child + 1)
            if (scoreBefore(values, v[first + child], v[first + child - 1])) child--
            v[first + hole] = v[first + child]
            hole = child
        }
        if ((len & 1) === 0 && child === ((len - 2) >> 1)) {
            child = 2 * (child + 1)
            v[first + hole] = v[first + child - 1]
            hole = child - 1
        }
        let parent = (hole - 1) >> 1
        while (hole > top && scoreBefore(values, v[first + parent], value)) {
            v[first + hole] = v[first + parent]
            hole = parent
            parent = (hole - 1) >> 1
        }
        v[first + hole] = value
    }

    /**
     * std::partial_sort(v[first..], v[first + middle..], v[first + n..]) with scoreBefore, as
     * libstdc++ does it: make a heap of the first `middle`, pop it for each later element that
     * comes before its top, then sort the heap.
     */
    function heapSelectSort(v: number[], first: number, middle: number, n: number, values: number[]): void {
        if (middle > 1)
            for (let parent = (middle - 2) >> 1; ; parent--) {
                adjustHeap(v, first, parent, middle, v[first + parent], values)
                if (parent === 0) break
            }
        for (let i = middle; i < n; i++)
            if (scoreBefore(values, v[first + i], v[first])) {
                const value = v[first + i]
                v[first + i] = v[first]
                adjustHeap(v, first, 0, middle, value, values)
            }
        for (let last = middle - 1; last > 0; last--) {
            const value = v[first + last]
            v[first + last] = v[first]
            adjustHeap(v, first, 0, last, value, values)
        }
    }

    /** DecreasingPartialArgSort: indices 0..n-1, the first k of them in order. */
    function partialArgSort(values: number[], n: number, k: number): number[] {
        const v: number[] = []
        for (let i = 0; i < n; i++) v.push(i)
        heapSelectSort(v, 0, k, n, values)
        return v
    }

    /** DecreasingArgSort's MergeSort over v[first..first + n) (values[i] > values[j] puts i first). */
    function mergeSort(v: number[], first: number, n: number, values: number[]): void {
        if (n < 20) {
            // InsertionSort: each element rotated to std::upper_bound's place among those before it.
            for (let i = first; i < first + n; i++) {
                const x = v[i]
                let lo = first, len = i - first
                while (len > 0) {
                    const half = len >> 1
                    if (values[x] > values[v[lo + half]]) len = half
                    else {
                        lo += half + 1
                        len -= half + 1
                    }
                }
                for (let j = i; j > lo; j--) v[j] = v[j - 1]
                v[lo] = x
            }
            return
        }
        const half = n >> 1
        mergeSort(v, first, half, values)
        mergeSort(v, first + half, n - half, values)
        // TopDownMerge: from the right half only when strictly before, so equal scores keep their order.
        const scratch: number[] = []
        let left = first, right = first + half
        for (let i = 0; i < n; i++) {
            if (left >= first + half || (right < first + n && values[v[right]] > values[v[left]])) scratch.push(v[right++])
            else scratch.push(v[left++])
        }
        for (let i = 0; i < n; i++) v[first + i] = scratch[i]
    }

    // ---------------------------------------------------------------------------------------

    /** ComputeIntersectionOverUnion in float32 (std::max(a, b) is a < b ? b : a, std::min b < a ? b : a). */
    function intersectionOverUnion(boxes: number[], i: number, j: number): number {
        const iy0 = boxes[4 * i], ix0 = boxes[4 * i + 1], iy1 = boxes[4 * i + 2], ix1 = boxes[4 * i + 3]
        const jy0 = boxes[4 * j], jx0 = boxes[4 * j + 1], jy1 = boxes[4 * j + 2], jx1 = boxes[4 * j + 3]
        const areaI = f32(f32(iy1 - iy0) * f32(ix1 - ix0))
        const areaJ = f32(f32(jy1 - jy0) * f32(jx1 - jx0))
        if (areaI <= 0 || areaJ <= 0) return 0
        const y0 = iy0 < jy0 ? jy0 : iy0, x0 = ix0 < jx0 ? jx0 : ix0
        const y1 = jy1 < iy1 ? jy1 : iy1, x1 = jx1 < ix1 ? jx1 : ix1
        const h = f32(y1 - y0), w = f32(x1 - x0)
        const area = f32((h < 0 ? 0 : h) * (w < 0 ? 0 : w))
        return f32(area / f32(f32(areaI + areaJ) - area))
    }

    /** NonMaxSuppressionSingleClassHelper after its box check: the selected boxes, best first. */
    function singleClassNms(p: Buffer, boxes: number[], scores: number[], maxDetections: number): number[] {
        const numBoxes = param(p, DetectionParams.NumBoxes)
        const threshold = paramFloat(p, DetectionParams.ScoreThreshold)
        const iouThreshold = paramFloat(p, DetectionParams.IouThreshold)
        const keepScores: number[] = [], keepIndices: number[] = []
        for (let i = 0; i < numBoxes; i++)
            if (scores[i] >= threshold) {
                keepScores.push(scores[i])
                keepIndices.push(i)
            }
        const kept = keepScores.length
        const sorted: number[] = []
        for (let i = 0; i < kept; i++) sorted.push(i)
        mergeSort(sorted, 0, kept, keepScores)
        const outputSize = Math.min(kept, maxDetections)
        const selected: number[] = []
        const active: boolean[] = []
        for (let i = 0; i < kept; i++) active.push(true)
        let activeCount = kept
        for (let i = 0; i < kept; i++) {
            if (activeCount === 0 || selected.length >= outputSize) break
            if (!active[i]) continue
            selected.push(keepIndices[sorted[i]])
            active[i] = false
            activeCount--
            for (let j = i + 1; j < kept; j++)
                if (active[j] && intersectionOverUnion(boxes, keepIndices[sorted[i]], keepIndices[sorted[j]]) > iouThreshold) {
                    active[j] = false
                    activeCount--
                }
        }
        return selected
    }

    /**
     * Detection `k`: box `box`'s corners, the class and the class prediction at byte `scoreAt`
     * (copied as bits); zeros when `boxes` is null.
     */
    function putDetection(p: Buffer, model: Buffer, arena: Buffer, boxes: number[], k: number, box: number, classIndex: number, scoreAt: number): void {
        const outBoxes = paramBuffer(p, DetectionParams.OutputBoxes, model, arena)
        const outBoxesAt = paramOffset(p, DetectionParams.OutputBoxes) + 16 * k
        const outClasses = paramBuffer(p, DetectionParams.OutputClasses, model, arena)
        const outClassesAt = paramOffset(p, DetectionParams.OutputClasses) + 4 * k
        const outScores = paramBuffer(p, DetectionParams.OutputScores, model, arena)
        const outScoresAt = paramOffset(p, DetectionParams.OutputScores) + 4 * k
        const cls = paramBuffer(p, DetectionParams.ClassPredictions, model, arena)
        for (let c = 0; c < 4; c++) {
            if (boxes) outBoxes.setNumber(NumberFormat.Float32LE, outBoxesAt + 4 * c, boxes[4 * box + c])
            else outBoxes.setNumber(NumberFormat.Int32LE, outBoxesAt + 4 * c, 0)
        }
        outClasses.setNumber(NumberFormat.Float32LE, outClassesAt, classIndex)
        outScores.setNumber(NumberFormat.Int32LE, outScoresAt, boxes ? cls.getNumber(NumberFormat.Int32LE, scoreAt) : 0)
    }

    function putCount(p: Buffer, model: Buffer, arena: Buffer, count: number): void {
        paramBuffer(p, DetectionParams.OutputCount, model, arena).setNumber(NumberFormat.Float32LE, paramOffset(p, DetectionParams.OutputCount), count)
    }

    export function detectionPostprocessFloat(p: Buffer, model: Buffer, arena: Buffer): void {
        const enc = paramBuffer(p, DetectionParams.BoxEncodings, model, arena)
        const encAt = paramOffset(p, DetectionParams.BoxEncodings)
        const cls = paramBuffer(p, DetectionParams.ClassPredictions, model, arena)
        const clsAt = paramOffset(p, DetectionParams.ClassPredictions)
        const anc = paramBuffer(p, DetectionParams.Anchors, model, arena)
        const ancAt = paramOffset(p, DetectionParams.Anchors)
        const numBoxes = param(p, DetectionParams.NumBoxes)
        const stride = param(p, DetectionParams.BoxStride)
        const yScale = paramFloat(p, DetectionParams.YScale), xScale = paramFloat(p, DetectionParams.XScale)
        const hScale = paramFloat(p, DetectionParams.HScale), wScale = paramFloat(p, DetectionParams.WScale)

        // DecodeCenterSizeBoxes: the centers and half sizes in double, rounded to float32.
        const boxes: number[] = []
        for (let i = 0; i < numBoxes; i++) {
            const at = encAt + 4 * stride * i, a = ancAt + 16 * i
            const y = enc.getNumber(NumberFormat.Float32LE, at), x = enc.getNumber(NumberFormat.Float32LE, at + 4)
            const h = enc.getNumber(NumberFormat.Float32LE, at + 8), w = enc.getNumber(NumberFormat.Float32LE, at + 12)
            const ay = anc.getNumber(NumberFormat.Float32LE, a), ax = anc.getNumber(NumberFormat.Float32LE, a + 4)
            const ah = anc.getNumber(NumberFormat.Float32LE, a + 8), aw = anc.getNumber(NumberFormat.Float32LE, a + 12)
            const yc = f32(y / yScale * ah + ay)
            const xc = f32(x / xScale * aw + ax)
            const halfH = f32(0.5 * doubleExp(h / hScale) * ah)
            const halfW = f32(0.5 * doubleExp(w / wScale) * aw)
            boxes.push(f32(yc - halfH))
            boxes.push(f32(xc - halfW))
            boxes.push(f32(yc + halfH))
            boxes.push(f32(xc + halfW))
        }
        // ValidateBoxes: TFLM fails the invoke before writing any output.
        for (let i = 0; i < numBoxes; i++)
            if (boxes[4 * i] >= boxes[4 * i + 2] || boxes[4 * i + 1] >= boxes[4 * i + 3]) return

        const numClasses = param(p, DetectionParams.NumClasses)
        const columns = param(p, DetectionParams.ClassColumns)
        const labelOffset = columns - numClasses
        const maxDetections = param(p, DetectionParams.MaxDetections)
        const scoreOf = (box: number, c: number) => cls.getNumber(NumberFormat.Float32LE, clsAt + 4 * (box * columns + c + labelOffset))

        if (param(p, DetectionParams.Regular)) {
            const perClass = param(p, DetectionParams.DetectionsPerClass)
            let merged: number[] = [], mergedScores: number[] = []
            for (let c = 0; c < numClasses; c++) {
                const classScores: number[] = []
                for (let b = 0; b < numBoxes; b++) classScores.push(scoreOf(b, c))
                const selected = singleClassNms(p, boxes, classScores, perClass)
                for (let i = 0; i < selected.length; i++) {
                    merged.push(selected[i] * columns + c + labelOffset)
                    mergedScores.push(classScores[selected[i]])
                }
                const keep = Math.min(merged.length, maxDetections)
                const order = partialArgSort(mergedScores, merged.length, keep)
                const nextMerged: number[] = [], nextScores: number[] = []
                for (let i = 0; i < keep; i++) {
                    nextMerged.push(merged[order[i]])
                    nextScores.push(mergedScores[order[i]])
                }
                merged = nextMerged
                mergedScores = nextScores
            }
            for (let k = 0; k < maxDetections; k++) {
                if (k < merged.length) {
                    const box = Math.idiv(merged[k], columns)
                    // The score as TFLM copies it, a float32 value of the class predictions.
                    putDetection(p, model, arena, boxes, k, box, merged[k] - box * columns - labelOffset, clsAt + 4 * merged[k])
                } else {
                    putDetection(p, model, arena, null, k, 0, 0, -1)
                }
            }
            putCount(p, model, arena, merged.length)
        } else {
            const categories = param(p, DetectionParams.CategoriesPerBox)
            const bestScores: number[] = []
            const classOrder: number[][] = []
            for (let b = 0; b < numBoxes; b++) {
                const row: number[] = []
                for (let c = 0; c < numClasses; c++) row.push(scoreOf(b, c))
                const order = partialArgSort(row, numClasses, categories)
                classOrder.push(order)
                bestScores.push(row[order[0]])
            }
            const selected = singleClassNms(p, boxes, bestScores, maxDetections)
            let written = 0
            for (let i = 0; i < selected.length; i++)
                for (let c = 0; c < categories; c++) {
                    const cl = classOrder[selected[i]][c]
                    putDetection(p, model, arena, boxes, categories * written + c, selected[i], cl, clsAt + 4 * (selected[i] * columns + cl + labelOffset))
                    written++
                }
            putCount(p, model, arena, written)
        }
    }
}
