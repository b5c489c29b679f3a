// UNIDIRECTIONAL_SEQUENCE_LSTM's goldens for tools/make-tflm-goldens.ts: every draft of
// node/lstm-cases.ts (several invokes each: the states carry over), fixed seed 20262201.
import type { Rand } from "../node/fuzz";
import { LSTM_DRAFTS } from "../node/lstm-cases";
import type { GoldenDraft } from "./make-tflm-goldens";

/** make-tflm-goldens.ts's OPS entries of this op. */
export const LSTM_OPS: { [op: string]: { seed: number; drafts: (rand: Rand) => GoldenDraft[] } } = {
    unidirectional_sequence_lstm: { seed: 20262201, drafts: LSTM_DRAFTS.unidirectional_sequence_lstm },
};
