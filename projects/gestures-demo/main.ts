gestures.onGestureStopWithDuration(gestures.builtinGesture(BuiltinGesture.Circle), function (duration) {
    serial.writeLine("circled for " + duration + " ms")
})
gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.StillDown), function () {
    basic.showIcon(IconNames.Asleep)
})
input.onButtonPressed(Button.A, function () {
    basic.showString(gestures.currentGesture())
})
gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.StillUp), function () {
    basic.showIcon(IconNames.Happy)
})
gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.ShakeHorizontal), function () {
    basic.showArrow(ArrowNames.East)
})
gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.ShakeVertical), function () {
    basic.showArrow(ArrowNames.North)
})
gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.None), function () {
    basic.clearScreen()
})
input.onButtonPressed(Button.B, function () {
    basic.showNumber(gestures.certainty(gestures.builtinGesture(BuiltinGesture.Circle)))
})
gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.Circle), function () {
    basic.showIcon(IconNames.Target)
})
gestures.setCertaintyThreshold(80)
