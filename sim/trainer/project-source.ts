// What "Use in project" writes into the open MakeCode project: one source file (the editor names
// it after the extension: tinyml.ts) holding the trained model as a hex literal with its labels
// (makeCodeModelSource, as `pxt-tinyml train` writes model.ts), a block whose dropdown lists the
// model's gestures ("trained gesture [wave]", in the TinyML category, group Your model: it fits
// every gesture slot of the gesture blocks), and the call that makes the gesture blocks use the
// model from the program's start.
import { makeCodeModelSource } from "../../node/gesture-model";

/** The namespace of the written file: trainedGestures.model, trainedGestures.labels, trainedGestures.gesture(...). */
export const TRAINED_NAMESPACE = "trainedGestures";
/** The enum whose members are the dropdown's gestures. */
export const TRAINED_ENUM = "TrainedGesture";
/** The block's id (its dropdown is the enum's). */
export const TRAINED_BLOCK_ID = "tinyml_trained_gesture";

/**
 * An identifier for each label (the enum's members): letters and digits of its words, each word
 * capitalized ("shake vertical" -> ShakeVertical); a label with none, or one that would repeat
 * another's, becomes Gesture<N> (N its place, from 1).
 */
export function enumMemberNames(labels: string[]): string[] {
    const used = new Set<string>();
    return labels.map((label, i) => {
        let name = label.split(/[^A-Za-z0-9]+/).filter((w) => w).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
        if (!name || /^[0-9]/.test(name) || used.has(name)) name = "Gesture" + (i + 1);
        used.add(name);
        return name;
    });
}

/** A label as the text of a //% block= annotation (its quotes and line breaks cannot be in it). */
function blockText(label: string): string {
    return label.replace(/["\r\n]/g, " ").replace(/[%$]/g, " ").trim() || "gesture";
}

export interface ProjectModelInfo {
    /** Shown in the file's comments: where the data came from, and the held-out accuracy. */
    comment: string[];
}

/** The file's text for a trained model (.tflite bytes with its metadata) and its labels in output order. */
export function trainedModelSource(tflite: Buffer, labels: string[], info: ProjectModelInfo): string {
    if (labels.length < 2) throw new Error(`a gesture model needs at least 2 labels, got ${labels.length}`);
    const members = enumMemberNames(labels);
    const lines: string[] = [];
    lines.push(makeCodeModelSource(tflite, labels, {
        namespace: TRAINED_NAMESPACE,
        comment: ["Written by the TinyML trainer (Train a gesture model, in the TinyML category): train again there to replace it.", ...info.comment],
    }).trimEnd());
    lines.push("");
    lines.push("/** The gestures of the model you trained, in the order of its outputs. */");
    lines.push(`enum ${TRAINED_ENUM} {`);
    labels.forEach((label, i) => {
        lines.push(`    //% block=${JSON.stringify(blockText(label))}`);
        lines.push(`    ${members[i]} = ${i},`);
    });
    lines.push("}");
    lines.push("");
    lines.push(`namespace ${TRAINED_NAMESPACE} {`);
    lines.push("    /**");
    lines.push("     * A gesture of the model you trained: put it into the gesture blocks (on gesture start...).");
    lines.push("     * @param gesture the gesture");
    lines.push("     */");
    lines.push(`    //% blockId=${TRAINED_BLOCK_ID} block="trained gesture $gesture"`);
    lines.push(`    //% blockNamespace=tinyml group="Your model" weight=35`);
    lines.push(`    export function gesture(gesture: ${TRAINED_ENUM}): string {`);
    lines.push("        return labels[gesture]");
    lines.push("    }");
    lines.push("}");
    lines.push("");
    lines.push("// The gesture blocks use this model from the program's start (before their sampling begins).");
    lines.push(`gestures.useModel(${TRAINED_NAMESPACE}.model, ${TRAINED_NAMESPACE}.labels)`);
    return lines.join("\n") + "\n";
}
