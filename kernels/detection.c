/* TFLite_Detection_PostProcess (enum tfl_detection; libs/tflite/kernel_detection.ts, where the op,
 * TFLM's quirks kept here and the sorts are explained). All-ops builds only. The working lists
 * live in the scratch memory the prepare asked for, read and written through the byte helpers
 * (no alignment assumed). */
/* Small beats fast here: only the all-ops build has it (before the includes, so that the inline
 * helpers it uses are compiled the same way and still inline). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif
#include "kernel_util.h"

/* Scratch lists: element i of the int32 or float32 list at arena offset `at`. */
static int32_t get_i(uint8_t *arena, int32_t at, int32_t i) { return tfl_load_i32(arena + at + 4 * i); }
static void set_i(uint8_t *arena, int32_t at, int32_t i, int32_t v) { tfl_store_i32(arena + at + 4 * i, v); }
static float get_f(const uint8_t *base, int32_t i) { return tfl_load_f32(base + 4 * i); }

/* 2^k for -1022 <= k <= 1023, from its bits. */
static double pow2(int32_t k)
{
    const uint64_t bits = (uint64_t)(k + 1023) << 52;
    double d;
    memcpy(&d, &bits, 8);
    return d;
}

/* doubleExp: fdlibm's exp (kernel_detection.ts). */
static double double_exp(double x)
{
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    const double ax = x < 0 ? -x : x;
    if (ax >= 709.7822265625) {
        if (x != x) return x + x;
        if (x > 709.782712893383973096) return 1e300 * 1e300;   /* infinity */
        if (x < -745.13321910194110842) return 0;
    }
    int32_t k = 0;
    double hi = 0, lo = 0;
    if (ax >= 0.3465735912322998) {
        if (ax < 1.0397205352783203) k = x < 0 ? -1 : 1;
        else k = (int32_t)(1.44269504088896338700 * x + (x < 0 ? -0.5 : 0.5));
        hi = x - k * ln2_hi;
        lo = k * ln2_lo;
        x = hi - lo;
    } else if (ax < 3.725290298461914e-9) {
        return 1 + x;
    }
    const double t = x * x;
    const double c = x - t * (1.66666666666666019037e-01 + t * (-2.77777777770155933842e-03 + t * (6.61375632143793436117e-05 +
                     t * (-1.65339022054652515390e-06 + t * 4.13813679705723846039e-08))));
    if (k == 0) return 1 - ((x * c) / (c - 2) - x);
    const double y = 1 - ((lo - (x * c) / (2 - c)) - hi);
    if (k >= -1021) return k == 1024 ? y * 2 * pow2(1023) : y * pow2(k);
    return y * pow2(k + 1000) * pow2(-1000);
}

/* scoreBefore: TFLM's DecreasingPartialArgSort comparator over the float32 values at `values`. */
static int score_before(const uint8_t *values, int32_t a, int32_t b)
{
    const float va = get_f(values, a), vb = get_f(values, b);
    return vb < va || (!(va < vb) && a < b);
}

/* libstdc++'s __adjust_heap with its __push_heap, over the int32 list at `v`. */
static void adjust_heap(uint8_t *arena, int32_t v, int32_t hole, int32_t len, int32_t value, const uint8_t *values)
{
    const int32_t top = hole;
    int32_t child = hole;
    while (child < (len - 1) / 2) {
        child = 2 * (child + 1);
        if (score_before(values, get_i(arena, v, child), get_i(arena, v, child - 1))) child--;
        set_i(arena, v, hole, get_i(arena, v, child));
        hole = child;
    }
    if ((len & 1) == 0 && child == (len - 2) / 2) {
        child = 2 * (child + 1);
        set_i(arena, v, hole, get_i(arena, v, child - 1));
        hole = child - 1;
    }
    int32_t parent = (hole - 1) / 2;
    while (hole > top && score_before(values, get_i(arena, v, parent), value)) {
        set_i(arena, v, hole, get_i(arena, v, parent));
        hole = parent;
        parent = (hole - 1) / 2;
    }
    set_i(arena, v, hole, value);
}

/* partialArgSort: indices 0..n-1 at `v`, the first k in order (std::partial_sort as libstdc++). */
static void partial_arg_sort(uint8_t *arena, int32_t v, const uint8_t *values, int32_t n, int32_t k)
{
    for (int32_t i = 0; i < n; i++) set_i(arena, v, i, i);
    if (k > 1)
        for (int32_t parent = (k - 2) / 2;; parent--) {
            adjust_heap(arena, v, parent, k, get_i(arena, v, parent), values);
            if (parent == 0) break;
        }
    for (int32_t i = k; i < n; i++)
        if (score_before(values, get_i(arena, v, i), get_i(arena, v, 0))) {
            const int32_t value = get_i(arena, v, i);
            set_i(arena, v, i, get_i(arena, v, 0));
            adjust_heap(arena, v, 0, k, value, values);
        }
    for (int32_t last = k - 1; last > 0; last--) {
        const int32_t value = get_i(arena, v, last);
        set_i(arena, v, last, get_i(arena, v, 0));
        adjust_heap(arena, v, 0, last, value, values);
    }
}

/* DecreasingArgSort's MergeSort of the n indices at v (scratch list `tmp`, n long). */
static void merge_sort(uint8_t *arena, int32_t v, int32_t n, const uint8_t *values, int32_t tmp)
{
    if (n < 20) {
        for (int32_t i = 0; i < n; i++) {
            const int32_t x = get_i(arena, v, i);
            int32_t lo = 0, len = i;
            while (len > 0) {
                const int32_t half = len >> 1;
                if (get_f(values, x) > get_f(values, get_i(arena, v, lo + half))) len = half;
                else {
                    lo += half + 1;
                    len -= half + 1;
                }
            }
            for (int32_t j = i; j > lo; j--) set_i(arena, v, j, get_i(arena, v, j - 1));
            set_i(arena, v, lo, x);
        }
        return;
    }
    const int32_t half = n / 2;
    merge_sort(arena, v, half, values, tmp);
    merge_sort(arena, v + 4 * half, n - half, values, tmp);
    int32_t left = 0, right = half;
    for (int32_t i = 0; i < n; i++) {
        if (left >= half || (right < n && get_f(values, get_i(arena, v, right)) > get_f(values, get_i(arena, v, left))))
            set_i(arena, tmp, i, get_i(arena, v, right++));
        else
            set_i(arena, tmp, i, get_i(arena, v, left++));
    }
    for (int32_t i = 0; i < n; i++) set_i(arena, v, i, get_i(arena, tmp, i));
}

/* intersectionOverUnion of decoded boxes i and j, in float32. */
static float iou(const uint8_t *boxes, int32_t i, int32_t j)
{
    const float iy0 = get_f(boxes, 4 * i), ix0 = get_f(boxes, 4 * i + 1), iy1 = get_f(boxes, 4 * i + 2), ix1 = get_f(boxes, 4 * i + 3);
    const float jy0 = get_f(boxes, 4 * j), jx0 = get_f(boxes, 4 * j + 1), jy1 = get_f(boxes, 4 * j + 2), jx1 = get_f(boxes, 4 * j + 3);
    const float area_i = (iy1 - iy0) * (ix1 - ix0);
    const float area_j = (jy1 - jy0) * (jx1 - jx0);
    if (area_i <= 0 || area_j <= 0) return 0;
    const float y0 = iy0 < jy0 ? jy0 : iy0, x0 = ix0 < jx0 ? jx0 : ix0;
    const float y1 = jy1 < iy1 ? jy1 : iy1, x1 = jx1 < ix1 ? jx1 : ix1;
    const float h = y1 - y0, w = x1 - x0;
    const float area = (h < 0 ? 0.0f : h) * (w < 0 ? 0.0f : w);
    return area / (area_i + area_j - area);
}

/* singleClassNms over the float32 scores at arena offset `scores`: the selected boxes, best first,
 * into the Selected list; returns how many. */
static int32_t single_class_nms(const int32_t *p, uint8_t *arena, int32_t scores, int32_t max_detections)
{
    const int32_t num_boxes = p[TFL_DETECTION_NUM_BOXES];
    const float threshold = tfl_param_float(p, TFL_DETECTION_SCORE_THRESHOLD);
    const float iou_threshold = tfl_param_float(p, TFL_DETECTION_IOU_THRESHOLD);
    const int32_t keep_scores = p[TFL_DETECTION_KEEP_SCORES], keep_indices = p[TFL_DETECTION_KEEP_INDICES];
    const int32_t sorted = p[TFL_DETECTION_SORTED], selected = p[TFL_DETECTION_SELECTED];
    const uint8_t *boxes = arena + p[TFL_DETECTION_DECODED];
    uint8_t *active = arena + p[TFL_DETECTION_ACTIVE];
    int32_t kept = 0;
    for (int32_t i = 0; i < num_boxes; i++) {
        const float s = get_f(arena + scores, i);
        if (s >= threshold) {
            tfl_store_f32(arena + keep_scores + 4 * kept, s);
            set_i(arena, keep_indices, kept++, i);
        }
    }
    for (int32_t i = 0; i < kept; i++) set_i(arena, sorted, i, i);
    /* TFLM sorts with keep_indices as the merge's scratch, then writes them again. */
    merge_sort(arena, sorted, kept, arena + keep_scores, keep_indices);
    for (int32_t i = 0, n = 0; i < num_boxes; i++)
        if (get_f(arena + scores, i) >= threshold) set_i(arena, keep_indices, n++, i);
    const int32_t output_size = kept < max_detections ? kept : max_detections;
    int32_t count = 0, active_count = kept;
    for (int32_t i = 0; i < kept; i++) active[i] = 1;
    for (int32_t i = 0; i < kept; i++) {
        if (active_count == 0 || count >= output_size) break;
        if (!active[i]) continue;
        const int32_t box_i = get_i(arena, keep_indices, get_i(arena, sorted, i));
        set_i(arena, selected, count++, box_i);
        active[i] = 0;
        active_count--;
        for (int32_t j = i + 1; j < kept; j++)
            if (active[j] && iou(boxes, box_i, get_i(arena, keep_indices, get_i(arena, sorted, j))) > iou_threshold) {
                active[j] = 0;
                active_count--;
            }
    }
    return count;
}

void tflite_detection_postprocess_float(int32_t *p, const uint8_t *model, uint8_t *arena)
{
    const uint8_t *enc = tfl_tensor(p, TFL_DETECTION_BOX_ENCODINGS, model, arena);
    const uint8_t *cls = tfl_tensor(p, TFL_DETECTION_CLASS_PREDICTIONS, model, arena);
    const uint8_t *anc = tfl_tensor(p, TFL_DETECTION_ANCHORS, model, arena);
    uint8_t *out_boxes = tfl_output(p, TFL_DETECTION_OUTPUT_BOXES, arena);
    uint8_t *out_classes = tfl_output(p, TFL_DETECTION_OUTPUT_CLASSES, arena);
    uint8_t *out_scores = tfl_output(p, TFL_DETECTION_OUTPUT_SCORES, arena);
    uint8_t *out_count = tfl_output(p, TFL_DETECTION_OUTPUT_COUNT, arena);
    const int32_t num_boxes = p[TFL_DETECTION_NUM_BOXES], stride = p[TFL_DETECTION_BOX_STRIDE];
    const double y_scale = tfl_param_float(p, TFL_DETECTION_Y_SCALE), x_scale = tfl_param_float(p, TFL_DETECTION_X_SCALE);
    const double h_scale = tfl_param_float(p, TFL_DETECTION_H_SCALE), w_scale = tfl_param_float(p, TFL_DETECTION_W_SCALE);
    uint8_t *boxes = arena + p[TFL_DETECTION_DECODED];

    /* DecodeCenterSizeBoxes: centers and half sizes in double, rounded to float32. */
    for (int32_t i = 0; i < num_boxes; i++) {
        const uint8_t *e = enc + 4 * stride * i, *a = anc + 16 * i;
        const double ah = get_f(a, 2), aw = get_f(a, 3);
        const float yc = (float)((double)get_f(e, 0) / y_scale * ah + (double)get_f(a, 0));
        const float xc = (float)((double)get_f(e, 1) / x_scale * aw + (double)get_f(a, 1));
        const float half_h = (float)(0.5 * double_exp((double)get_f(e, 2) / h_scale) * ah);
        const float half_w = (float)(0.5 * double_exp((double)get_f(e, 3) / w_scale) * aw);
        tfl_store_f32(boxes + 16 * i, yc - half_h);
        tfl_store_f32(boxes + 16 * i + 4, xc - half_w);
        tfl_store_f32(boxes + 16 * i + 8, yc + half_h);
        tfl_store_f32(boxes + 16 * i + 12, xc + half_w);
    }
    /* ValidateBoxes: TFLM fails the invoke before writing any output. */
    for (int32_t i = 0; i < num_boxes; i++)
        if (get_f(boxes, 4 * i) >= get_f(boxes, 4 * i + 2) || get_f(boxes, 4 * i + 1) >= get_f(boxes, 4 * i + 3)) return;

    const int32_t num_classes = p[TFL_DETECTION_NUM_CLASSES], columns = p[TFL_DETECTION_CLASS_COLUMNS];
    const int32_t label_offset = columns - num_classes, max_detections = p[TFL_DETECTION_MAX_DETECTIONS];
    const int32_t class_scores = p[TFL_DETECTION_CLASS_SCORES], selected = p[TFL_DETECTION_SELECTED];
    const int32_t candidates = p[TFL_DETECTION_CANDIDATES], sorted = p[TFL_DETECTION_SORTED];
    int32_t detections = 0;
    if (p[TFL_DETECTION_REGULAR]) {
        const int32_t candidate_scores = p[TFL_DETECTION_CANDIDATE_SCORES], sorted_scores = p[TFL_DETECTION_SORTED_SCORES];
        for (int32_t c = 0; c < num_classes; c++) {
            for (int32_t b = 0; b < num_boxes; b++)
                memcpy(arena + class_scores + 4 * b, cls + 4 * (b * columns + c + label_offset), 4);
            const int32_t n = single_class_nms(p, arena, class_scores, p[TFL_DETECTION_DETECTIONS_PER_CLASS]);
            int32_t merged = detections;
            for (int32_t i = 0; i < n; i++, merged++) {
                const int32_t box = get_i(arena, selected, i);
                set_i(arena, candidates, merged, box * columns + c + label_offset);
                memcpy(arena + candidate_scores + 4 * merged, arena + class_scores + 4 * box, 4);
            }
            const int32_t keep = merged < max_detections ? merged : max_detections;
            partial_arg_sort(arena, sorted, arena + candidate_scores, merged, keep);
            /* TFLM's two copies, through its sorted-values list. */
            for (int32_t i = 0; i < keep; i++) {
                const int32_t k = get_i(arena, sorted, i);
                set_i(arena, sorted, i, get_i(arena, candidates, k));
                memcpy(arena + sorted_scores + 4 * i, arena + candidate_scores + 4 * k, 4);
            }
            for (int32_t i = 0; i < keep; i++) {
                set_i(arena, candidates, i, get_i(arena, sorted, i));
                memcpy(arena + candidate_scores + 4 * i, arena + sorted_scores + 4 * i, 4);
            }
            detections = keep;
        }
        for (int32_t k = 0; k < max_detections; k++) {
            if (k < detections) {
                const int32_t index = get_i(arena, candidates, k), box = index / columns;
                memcpy(out_boxes + 16 * k, boxes + 16 * box, 16);
                tfl_store_f32(out_classes + 4 * k, (float)(index - box * columns - label_offset));
                memcpy(out_scores + 4 * k, arena + candidate_scores + 4 * k, 4);
            } else {
                memset(out_boxes + 16 * k, 0, 16);
                memset(out_classes + 4 * k, 0, 4);
                memset(out_scores + 4 * k, 0, 4);
            }
        }
    } else {
        const int32_t categories = p[TFL_DETECTION_CATEGORIES_PER_BOX];
        for (int32_t b = 0; b < num_boxes; b++) {
            const uint8_t *row = cls + 4 * (b * columns + label_offset);
            const int32_t order = candidates + 4 * b * num_classes;
            partial_arg_sort(arena, order, row, num_classes, categories);
            memcpy(arena + class_scores + 4 * b, row + 4 * get_i(arena, order, 0), 4);
        }
        const int32_t n = single_class_nms(p, arena, class_scores, max_detections);
        for (int32_t i = 0; i < n; i++) {
            const int32_t box = get_i(arena, selected, i);
            const uint8_t *row = cls + 4 * (box * columns + label_offset);
            for (int32_t c = 0; c < categories; c++) {
                const int32_t cl = get_i(arena, candidates + 4 * box * num_classes, c), k = categories * detections + c;
                memcpy(out_boxes + 16 * k, boxes + 16 * box, 16);
                tfl_store_f32(out_classes + 4 * k, (float)cl);
                memcpy(out_scores + 4 * k, row + 4 * cl, 4);
                detections++;
            }
        }
    }
    tfl_store_f32(out_count, (float)detections);
}
