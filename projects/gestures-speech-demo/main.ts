// Both built-in models at once: gestures from the accelerometer, "yes" and "no" from the microphone.
gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.Circle), function () {
    basic.showIcon(IconNames.Target)
})
gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.ShakeHorizontal), function () {
    basic.showArrow(ArrowNames.East)
})
gestures.onGestureStart(gestures.builtinGesture(BuiltinGesture.None), function () {
    basic.clearScreen()
})
speech.onWordHeard(SpeechWord.Yes, function () {
    basic.showIcon(IconNames.Yes)
})
speech.onWordHeard(SpeechWord.No, function () {
    basic.showIcon(IconNames.No)
})
input.onButtonPressed(Button.A, function () {
    basic.showString(speech.lastWordHeard())
})
