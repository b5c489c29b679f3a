/**
 * Run TensorFlow Lite models on the micro:bit and in the simulator.
 */
//% color="#e66a00" icon="\uf0e7" block="TFLite"
namespace tflite {
    /**
     * Loads a .tflite model (for example a hex literal, which stays in flash: the weights are
     * read in place) and prepares it to run: checks it, plans its memory once. On the micro:bit
     * the C loader and kernels do this; in the simulator, the same interpreter in Static TypeScript.
     * Errors name the problem: not a TFLite file, an unsupported op, a corrupt offset...
     * @param model the bytes of a .tflite file
     */
    export function loadModel(model: Buffer): Interpreter {
        return new Interpreter(model)
    }
}
