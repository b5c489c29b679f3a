/**
 * The Jacdac side of pxt-tinyml for other programs, as `pxt-tinyml/jacdac` (package.json's
 * `exports`; inside a checkout Node resolves the package's own name too): the host, the servers,
 * the client side of `predict`, jacdac-ts's own Model Runner and Sensor Aggregator clients, and a
 * model's metadata. docs/jacdac.md shows them in use.
 */
export { addModelHost, addRecordingAccelerometer, DEFAULT_TCP_PORT, DEFAULT_WS_PORT, isOwnPageOrigin, startJacdacHost } from "./host";
export type { JacdacHost, JacdacHostOptions, ModelHost } from "./host";
export { MODEL_LOADED, ModelRunnerServer } from "./model-runner-server";
export { SensorAggregatorServer } from "./sensor-aggregator-server";
export { predictOverJacdac } from "./predict";
export { loadJacdacTsClients } from "./jacdac-ts-clients";
export type { JacdacTsClients, ModelRunnerClient, SensorAggregatorClient, SensorAggregatorConfig, TFModelStats } from "./jacdac-ts-clients";
export { modelFileMetadata, readWindowMetadata } from "./gesture-metadata";
export type { InputNormalization, WindowMetadata } from "./gesture-metadata";
export { datasetRecording } from "./cli";
export type { AccelerometerRecording } from "./recording-accelerometer";
