/* TFLite_Detection_PostProcess's prepare (libs/tflite/kernel_detection.ts, where the op is
 * explained): the same checks, messages and parameter block. All-ops builds only. */
#include "prepare.h"
#include "kernel_util.h"

#if TINYML_ALL_OPS

static const char *const DETECTION_INPUT_NAMES[3] = {"box encodings", "class predictions", "anchors"};

/* detectionIntOption: an option TFLM reads with AsInt32 or AsBool; `dflt` when absent if TFLM has
 * a default (has_default), else refused. */
static int int_option(tfl_op *op, const char *key, int32_t lo, int has_default, int32_t dflt, int32_t *out)
{
    double x;
    int found = tfl_custom_option(op, key, 1, &x);
    if (found > 0) return 1;
    if (found < 0) {
        TFL_CHECK(op, has_default, "custom option '%s' is missing", key);
        *out = dflt;
        return 0;
    }
    TFL_CHECK(op, x >= TFL_INT32_MIN && x <= TFL_INT32_MAX, "custom option '%s' = %f does not fit an int32", key, x);
    *out = (int32_t)x;
    TFL_CHECK(op, *out >= lo, "custom option '%s' = %d must be %d or more", key, *out, lo);
    return 0;
}

/* detectionFloatOption: AsFloat, as float32. */
static int float_option(tfl_op *op, const char *key, float *out)
{
    double x;
    int found = tfl_custom_option(op, key, 0, &x);
    if (found > 0) return 1;
    TFL_CHECK(op, found == 0, "custom option '%s' is missing", key);
    *out = (float)x;
    return 0;
}

static uint32_t at_least_4(double bytes) { return bytes < 4 ? 4u : (uint32_t)bytes; }

int tfl_prepare_detection_postprocess(tfl_op *op)
{
    TFL_CHECK(op, op->input_count == 3 && op->output_count == 4,
              "needs 3 inputs (box encodings, class predictions, anchors) and 4 outputs, has %d and %d",
              (int32_t)op->input_count, (int32_t)op->output_count);
    for (int32_t i = 0; i < 3; i++) {
        const tfl_tensor_info *t = tfl_input(op, (uint32_t)i);
        TFL_CHECK(op, t, "%s (input %d) is missing", DETECTION_INPUT_NAMES[i], i);
        TFL_CHECK(op, t->type == TFL_TYPE_FLOAT32, "%s %t must be FLOAT32 (TFLM's kernel takes float32 only)", DETECTION_INPUT_NAMES[i], t);
        TFL_CHECK(op, t->rank == (i == 2 ? 2u : 3u), "%s %t must have rank %d", DETECTION_INPUT_NAMES[i], t, i == 2 ? 2 : 3);
    }
    for (int32_t i = 0; i < 4; i++)
        TFL_CHECK(op, tfl_output_tensor(op, (uint32_t)i)->type == TFL_TYPE_FLOAT32, "output %d %t must be FLOAT32", i,
                  tfl_output_tensor(op, (uint32_t)i));
    const tfl_tensor_info *boxes = tfl_input(op, 0), *scores = tfl_input(op, 1), *anchors = tfl_input(op, 2);
    const int32_t num_boxes = boxes->shape[1];
    TFL_CHECK(op, boxes->shape[0] == 1 && boxes->shape[2] >= 4, "box encodings %t must be [1, boxes, 4 or more]", boxes);
    TFL_CHECK(op, scores->shape[0] == 1 && scores->shape[1] == num_boxes, "class predictions %t must be [1, %d, classes]", scores, num_boxes);
    TFL_CHECK(op, (double)anchors->count >= 4.0 * num_boxes, "anchors %t must hold 4 values for each of the %d boxes", anchors, num_boxes);

    int32_t max_detections, max_classes, per_class, regular, num_classes;
    float score_threshold, iou_threshold, y_scale, x_scale, h_scale, w_scale;
    /* TFLM's defaults when absent: 100 detections per class, fast NMS. */
    if (int_option(op, "max_detections", 0, 0, 0, &max_detections) ||
        int_option(op, "max_classes_per_detection", TFL_INT32_MIN, 0, 0, &max_classes) ||
        int_option(op, "detections_per_class", TFL_INT32_MIN, 1, 100, &per_class) ||
        int_option(op, "use_regular_nms", TFL_INT32_MIN, 1, 0, &regular) ||
        float_option(op, "nms_score_threshold", &score_threshold) || float_option(op, "nms_iou_threshold", &iou_threshold) ||
        /* TFLM's fast NMS reads a class of none when there are 0 classes. */
        int_option(op, "num_classes", 1, 0, 0, &num_classes) ||
        float_option(op, "y_scale", &y_scale) || float_option(op, "x_scale", &x_scale) ||
        float_option(op, "h_scale", &h_scale) || float_option(op, "w_scale", &w_scale))
        return 1;
    regular = regular != 0;
    TFL_CHECK(op, iou_threshold > 0 && iou_threshold <= 1, "custom option 'nms_iou_threshold' must be above 0 and at most 1 (TFLM's check)");
    if (regular) TFL_CHECK(op, per_class > 0, "custom option 'detections_per_class' must be 1 or more for regular NMS (TFLM's check)");
    else TFL_CHECK(op, max_classes > 0, "custom option 'max_classes_per_detection' must be 1 or more for fast NMS (TFLM's check)");
    const int32_t columns = scores->shape[2];
    TFL_CHECK(op, columns == num_classes || columns == num_classes + 1,
              "class predictions %t must have num_classes (%d) or num_classes + 1 (a background class first) columns", scores, num_classes);

    /* How many detections TFLM writes at most (kernel_detection.ts). */
    const int32_t categories = max_classes < num_classes ? max_classes : num_classes;
    const double written = regular ? (double)max_detections
                                   : (double)categories * categories * (num_boxes < max_detections ? num_boxes : max_detections);
    for (int32_t i = 0; i < 4; i++) {
        const tfl_tensor_info *t = tfl_output_tensor(op, (uint32_t)i);
        const double needed = i == 3 ? 1 : i == 0 ? 4 * written : written;
        TFL_CHECK(op, (double)t->count >= needed, "output %d %t must hold %f values or more (TFLM writes that many)", i, t, needed);
    }

    int32_t *p = tfl_use_body(op, TFL_BODY_detection_postprocess_float, TFL_DETECTION_WORDS);
    if (!p) return 1;
    tfl_param_tensor(op, TFL_DETECTION_BOX_ENCODINGS, boxes);
    tfl_param_tensor(op, TFL_DETECTION_CLASS_PREDICTIONS, scores);
    tfl_param_tensor(op, TFL_DETECTION_ANCHORS, anchors);
    tfl_param_tensor(op, TFL_DETECTION_OUTPUT_BOXES, tfl_output_tensor(op, 0));
    tfl_param_tensor(op, TFL_DETECTION_OUTPUT_CLASSES, tfl_output_tensor(op, 1));
    tfl_param_tensor(op, TFL_DETECTION_OUTPUT_SCORES, tfl_output_tensor(op, 2));
    tfl_param_tensor(op, TFL_DETECTION_OUTPUT_COUNT, tfl_output_tensor(op, 3));
    p[TFL_DETECTION_NUM_BOXES] = num_boxes;
    p[TFL_DETECTION_BOX_STRIDE] = boxes->shape[2];
    p[TFL_DETECTION_NUM_CLASSES] = num_classes;
    p[TFL_DETECTION_CLASS_COLUMNS] = columns;
    p[TFL_DETECTION_MAX_DETECTIONS] = max_detections;
    p[TFL_DETECTION_CATEGORIES_PER_BOX] = regular ? 0 : categories;
    p[TFL_DETECTION_DETECTIONS_PER_CLASS] = regular ? per_class : 0;
    p[TFL_DETECTION_REGULAR] = regular;
    tfl_set_param_float(p, TFL_DETECTION_SCORE_THRESHOLD, score_threshold);
    tfl_set_param_float(p, TFL_DETECTION_IOU_THRESHOLD, iou_threshold);
    tfl_set_param_float(p, TFL_DETECTION_Y_SCALE, y_scale);
    tfl_set_param_float(p, TFL_DETECTION_X_SCALE, x_scale);
    tfl_set_param_float(p, TFL_DETECTION_H_SCALE, h_scale);
    tfl_set_param_float(p, TFL_DETECTION_W_SCALE, w_scale);
    const double merged = 4.0 * ((double)max_detections + num_boxes);
    tfl_param_scratch(op, TFL_DETECTION_DECODED, at_least_4(16.0 * num_boxes));
    tfl_param_scratch(op, TFL_DETECTION_ACTIVE, at_least_4(num_boxes));
    tfl_param_scratch(op, TFL_DETECTION_CLASS_SCORES, at_least_4(4.0 * num_boxes));
    tfl_param_scratch(op, TFL_DETECTION_KEEP_SCORES, at_least_4(4.0 * num_boxes));
    tfl_param_scratch(op, TFL_DETECTION_KEEP_INDICES, at_least_4(4.0 * num_boxes));
    tfl_param_scratch(op, TFL_DETECTION_SORTED, at_least_4(regular ? merged : 4.0 * num_boxes));
    tfl_param_scratch(op, TFL_DETECTION_SELECTED, at_least_4(4.0 * num_boxes));
    tfl_param_scratch(op, TFL_DETECTION_CANDIDATES, at_least_4(regular ? merged : 4.0 * num_boxes * num_classes));
    if (regular) {
        tfl_param_scratch(op, TFL_DETECTION_CANDIDATE_SCORES, at_least_4(merged));
        tfl_param_scratch(op, TFL_DETECTION_SORTED_SCORES, at_least_4(4.0 * max_detections));
    }
    return 0;
}

#endif
