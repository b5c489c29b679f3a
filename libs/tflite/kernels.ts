namespace tflite {
    /** True once registerReferenceKernels has run. */
    export let referenceKernelsRegistered = false

    /**
     * Registers every reference kernel (once; later calls do nothing). tflite.loadModel calls it.
     * Natively all of them do not fit in the micro:bit's flash next to a program: there, register
     * only the kernels the model uses, by calling the functions below yourself.
     */
    export function registerReferenceKernels(): void {
        if (referenceKernelsRegistered) return
        referenceKernelsRegistered = true
        registerConvKernels()
        registerFullyConnectedKernels()
        registerPoolKernels()
        registerSoftmaxKernels()
        registerQuantizeKernels()
        registerActivationKernels()
        registerSvdfKernels()
        registerTransposeConvKernels()
        registerElementwiseKernels()
        registerMathKernels()
        registerShapeKernels()
        registerMoveKernels()
        registerResizeKernels()
        registerL2Kernels()
        registerCastKernels()
        registerCompareKernels()
        registerControlKernels()
        registerSignalKernels()
        registerSignal2Kernels()
        registerDetectionKernels()
        registerDecodeKernels()
        registerCircularBufferKernels()
        registerLstmKernels()
        registerMatmulKernels()
    }
}
