// The reductions' axis cases (MEAN, SUM, REDUCE_MAX/MIN in tools/make-tflm-goldens.ts, REDUCE_ALL
// in node/misc-cases.ts): an input shape and the values of the axis tensor, by what TFLM's
// ResolveAxis and the reduce kernels tell apart.
import type { Rand } from "./fuzz";

export type AxesPattern =
    | "hw4d" // 4-D, axes exactly [1, 2]: TFLM's float32 MEAN takes its specialized path
    | "hw4d-reversed" // [2, 1]: the same path
    | "single"
    | "negative" // one or two axes counted from the end
    | "repeated" // a dimension twice (once possibly negative), maybe beside another
    | "all"
    | "three-or-more"
    | "scalar-axis-tensor" // an axis tensor of shape []
    | "scalar-input"; // a rank-0 input: nothing is reduced

export interface AxesCase {
    shape: number[];
    axes: number[];
    /** The axis tensor's shape: [axes.length], or [] for a scalar. */
    axesShape: number[];
}

/** A random input shape (at most `maxElements` elements, dimensions up to `maxDim`) and axes of `pattern`. */
export function reduceAxes(rand: Rand, pattern: AxesPattern, maxElements: number, maxDim: number): AxesCase {
    const list = (shape: number[], axes: number[]) => ({ shape, axes, axesShape: [axes.length] });
    const shapeOf = (minRank: number, maxRank: number, elements = maxElements) => rand.shape(minRank, maxRank, elements, maxDim);
    switch (pattern) {
        case "hw4d": return list(shapeOf(4, 4), [1, 2]);
        case "hw4d-reversed": return list(shapeOf(4, 4), [2, 1]);
        case "single": {
            const shape = shapeOf(1, 5);
            return list(shape, [rand.int(0, shape.length - 1)]);
        }
        case "negative": {
            const shape = shapeOf(1, 5);
            return list(shape, rand.dims(shape.length, rand.int(1, Math.min(2, shape.length))).map((d) => d - shape.length));
        }
        case "repeated": {
            const shape = shapeOf(2, 5);
            const [d, other] = rand.dims(shape.length, 2);
            const axes = [d, rand.chance(0.5) ? d - shape.length : d];
            if (rand.chance(0.5)) axes.splice(1, 0, other);
            return list(shape, axes);
        }
        case "all": {
            // Every axis: the smaller budget keeps the inputs of rank 4 small.
            const shape = shapeOf(1, 4, maxElements * 2 / 3);
            return list(shape, rand.dims(shape.length, shape.length));
        }
        case "three-or-more": {
            const shape = shapeOf(3, 5);
            return list(shape, rand.dims(shape.length, rand.int(3, shape.length)));
        }
        case "scalar-axis-tensor": {
            const shape = shapeOf(1, 4);
            return { shape, axes: [rand.int(-shape.length, shape.length - 1)], axesShape: [] };
        }
        case "scalar-input": return list([], [0]);
    }
}
