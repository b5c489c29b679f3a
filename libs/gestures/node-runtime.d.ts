// What the gesture pipeline (model.ts, recognizer.ts) uses of MakeCode's runtime beyond what
// libs/tflite does (node/sts-globals.d.ts), declared for tsc so that it also compiles for Node,
// where node/gestures.ts provides it. pxt reads its own declarations: this file is not in pxt.json.

/** pxt's hex literal: hex`0a0b...` is a Buffer (whitespace ignored), stored in flash. */
declare function hex(strings: TemplateStringsArray, ...values: any[]): Buffer;
