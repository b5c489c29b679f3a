// Hello, TFLite: TensorFlow Lite Micro's hello_world model, a small int8 network trained to
// approximate sin(x) for x in [0, 2π], run on the micro:bit. model.ts holds the .tflite file as a
// hex literal (helloWorldModel); the interpreter reads its weights in place, from flash.

// On the micro:bit the C loader and kernels run it; in the simulator the same interpreter in
// Static TypeScript.
const interpreter = tflite.loadModel(helloWorldModel)
const steps = 16

/** The model's sin(x): the input is quantized for us, the output dequantized. */
function predict(x: number): number {
    interpreter.setInput(0, [x])
    interpreter.invoke()
    return interpreter.outputValues(0)[0]
}

// One period over the serial port: x, the raw int8 output, and the prediction beside sin(x).
serial.writeLine("arena " + interpreter.arenaSize() + " bytes")
for (let i = 0; i <= steps; i++) {
    const x = 2 * Math.PI * i / steps
    const y = predict(x)
    serial.writeLine("x " + i + "/" + steps + " out " + interpreter.outputBytes(0).toHex() +
        " y " + Math.round(y * 1000) / 1000 + " sin " + Math.round(Math.sin(x) * 1000) / 1000)
}
serial.writeLine("done")

// Then forever: a dot that rises and falls with the prediction, one column per step.
let step = 0
basic.forever(function () {
    const y = predict(2 * Math.PI * step / steps)
    basic.clearScreen()
    led.plot(step % 5, Math.max(0, Math.min(4, Math.round(2 - 2 * y))))
    step = (step + 1) % steps
    basic.pause(100)
})
