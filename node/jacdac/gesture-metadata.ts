/**
 * What a model's "pxt-tinyml" metadata says about its input window (the format is described in
 * libs/tflite/metadata.ts: UTF-8 `key=value` lines, `label=` repeated, numbers comma-separated):
 * the per-value normalization `(value - offset) * scale` that auto-invoke applies to the
 * aggregator's raw values, and, for a gesture model, the sample period, window length and labels
 * that a client uses to configure the aggregator.
 */
import { loadTflite } from "../sts-runtime";

export const METADATA_NAME = "pxt-tinyml";

export interface InputNormalization {
    /** Per value of a sample (x, y, z for the accelerometer), repeating. */
    offset: number[];
    scale: number[];
}

export interface WindowMetadata {
    format: string;
    labels: string[];
    samplePeriodMs: number | null;
    windowSamples: number | null;
    normalization: InputNormalization | null;
}

/** The key=value lines of a metadata text, in order. */
export function parseMetadataLines(text: string): { key: string; value: string }[] {
    const res: { key: string; value: string }[] = [];
    text.split("\n").forEach((raw, i) => {
        const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
        if (!line || line.startsWith("#")) return;
        const eq = line.indexOf("=");
        if (eq < 0) throw new Error(`model metadata line ${i + 1} is not key=value: '${line}'`);
        res.push({ key: line.slice(0, eq), value: line.slice(eq + 1) });
    });
    return res;
}

function numbers(key: string, value: string | undefined): number[] | null {
    if (value === undefined || value.trim() === "") return null;
    return value.split(",").map((s) => {
        const n = Number(s.trim());
        if (s.trim() === "" || !isFinite(n)) throw new Error(`model metadata ${key}: '${s}' is not a number`);
        return n;
    });
}

/** Reads the "pxt-tinyml" metadata of a model bytes' parsed form (`tflite.parseModel` or `interpreter.model`); null when there is none. */
export function readWindowMetadata(model: any): WindowMetadata | null {
    const i = model.metadataNames.indexOf(METADATA_NAME);
    if (i < 0) return null;
    const buf: Buffer = model.fb.buf;
    const text = Buffer.from(buf.subarray(model.metadataOffsets[i], model.metadataOffsets[i] + model.metadataLengths[i])).toString("utf8");
    const lines = parseMetadataLines(text);
    const first = (key: string) => lines.find((l) => l.key === key)?.value;
    const offset = numbers("offset", first("offset"));
    const scale = numbers("scale", first("scale"));
    if ((offset || scale) && (!offset || !scale || offset.length !== scale.length))
        throw new Error(`model metadata: offset and scale must have as many values (${offset ? offset.length : 0} and ${scale ? scale.length : 0})`);
    const period = numbers("sample_period_ms", first("sample_period_ms"));
    const samples = numbers("window_samples", first("window_samples"));
    return {
        format: first("format") || "",
        labels: lines.filter((l) => l.key === "label").map((l) => l.value),
        samplePeriodMs: period ? period[0] : null,
        windowSamples: samples ? samples[0] : null,
        normalization: offset && scale ? { offset, scale } : null,
    };
}

/** The "pxt-tinyml" metadata of a .tflite file's bytes, for a client to set the aggregator's inputs from; null when it has none. */
export function modelFileMetadata(model: Uint8Array): WindowMetadata | null {
    return readWindowMetadata(loadTflite().parseModel(Buffer.from(model.buffer, model.byteOffset, model.length)));
}

/** The normalization auto-invoke applies for a model's bytes (null: values go in as they are). */
export function readInputNormalization(model: Buffer): InputNormalization | null {
    const md = readWindowMetadata(loadTflite().parseModel(model));
    return md ? md.normalization : null;
}
