// The sample MakeCode project projects/hello-tflite: its model.ts (the model as a hex literal) is
// written from ../shared, which the repository must not copy, so it is generated before a build.
import * as fs from "fs";
import * as path from "path";
import { sharedPath } from "./conformance";
import { ROOT, hexLiteral, pxt } from "./simulator";

export const HELLO_PROJECT = path.join(ROOT, "projects", "hello-tflite");
export const HELLO_MODEL = "models/tflm/hello_world_int8.tflite";

/** Writes projects/hello-tflite/model.ts (unless it is already current) and returns the model. */
export function writeHelloModel(): Buffer {
    const model = fs.readFileSync(sharedPath(HELLO_MODEL));
    const text = "// Generated from ../shared/" + HELLO_MODEL + " by node/sample-project.ts; not in the repository.\n" +
        "const helloWorldModel = " + hexLiteral(model) + "\n";
    const file = path.join(HELLO_PROJECT, "model.ts");
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
    return model;
}

/** Installs the project's MakeCode dependencies (pxt_modules) when they are missing. */
export function installProject(dir: string): void {
    if (fs.existsSync(path.join(dir, "pxt_modules", "microphone", "pxt.json"))) return;
    const res = pxt(dir, ["install"]);
    if (res.status !== 0) throw new Error("pxt install failed in " + dir + ":\n" + res.output);
}

/** hello-tflite's model run once on MakeCode Arcade (no LEDs there): its files for buildArcadeFirmware. */
/**
 * The gesture blocks on MakeCode Arcade's SAMD51 boards with an accelerometer: the built-in model,
 * run by the C gesture engine and kernels, read from controller.acceleration (the project adds
 * Arcade's controller extension: ARCADE_GESTURES_DEPENDENCIES).
 */
export const ARCADE_GESTURES_DEPENDENCIES = { controller: "*" };

export function arcadeGesturesFiles(): { [name: string]: string } {
    return {
        "main.ts": "// The gesture blocks on MakeCode Arcade's SAMD51 boards with an accelerometer.\n" +
            "gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.ShakeHorizontal), function () {\n" +
            "    game.splash(\"shake\")\n" +
            "})\n" +
            "gestures.onGestureStop(gestures.builtinGesture(BuiltinGesture.Circle), function () {\n" +
            "    console.log(\"circled: \" + gestures.certainty(gestures.builtinGesture(BuiltinGesture.Circle)))\n" +
            "})\n",
    };
}

export function arcadeHelloFiles(): { [name: string]: string } {
    writeHelloModel();
    return {
        "main.ts": "// tflite.loadModel on MakeCode Arcade's SAMD51 boards: the C loader and kernels run the model.\n" +
            "const interpreter = tflite.loadModel(helloWorldModel)\n" +
            "interpreter.setInput(0, [1.5])\n" +
            "interpreter.invoke()\n" +
            "console.log(\"sin(1.5) ~ \" + interpreter.outputValues(0)[0])\n",
        "model.ts": fs.readFileSync(path.join(HELLO_PROJECT, "model.ts"), "utf8"),
    };
}

