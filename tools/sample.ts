// npm run sample: writes the sample project's model from ../shared and builds it into micro:bit v2
// firmware (the extension's C loader and kernels compiled locally from ../shared/codal, offline).
import { buildTinymlFirmware } from "../node/firmware";
import { HELLO_PROJECT, writeHelloModel } from "../node/sample-project";

writeHelloModel();
const r = buildTinymlFirmware({ dir: HELLO_PROJECT });
if (!r.ok) {
    console.error(r.output.split("\n").slice(-40).join("\n"));
    process.exit(1);
}
console.log("built " + r.hex + ": the program ends at " + r.flashEnd + ", " + r.bytesLeft + " bytes of flash left");
