// The TinyML trainer's recorder: put it on a micro:bit, connect the micro:bit to the trainer page
// (sim/trainer), and the page records movements from it as micro:bit CreateAI does (x, y, z every
// 20 ms, 1.8 s per recording). It sends, over the USB serial port at 115200 baud:
//   tinyml:acc <ms> <x> <y> <z>   every 20 ms: control.millis() and input.acceleration in milli-g
//   tinyml:button A               when button A is pressed (the page starts a recording)
// (sim/trainer/recorder-protocol.ts reads these lines.) Its pxt.json has the packages of a new
// MakeCode project (core, radio, microphone): pxt-microbit ships their C++ runtime, so npm start
// builds its .hex offline (tools/build-trainer.ts buildRecorderHex).
serial.setBaudRate(BaudRate.BaudRate115200)
basic.showIcon(IconNames.Heart)
input.onButtonPressed(Button.A, function () {
    serial.writeLine("tinyml:button A")
    // The LEDs show the 1.8 s the page records.
    basic.showIcon(IconNames.Target, 0)
    basic.pause(1800)
    basic.showIcon(IconNames.Heart, 0)
})
input.onButtonPressed(Button.B, function () {
    serial.writeLine("tinyml:button B")
})
control.inBackground(function () {
    // A fixed schedule: a late line does not delay the next (the page places each reading at its own time).
    let next = control.millis()
    while (true) {
        serial.writeLine("tinyml:acc " + control.millis() + " " + input.acceleration(Dimension.X) + " " +
            input.acceleration(Dimension.Y) + " " + input.acceleration(Dimension.Z))
        next += 20
        const wait = next - control.millis()
        if (wait > 0) basic.pause(wait)
        else next = control.millis()
    }
})
