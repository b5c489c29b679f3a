namespace tflite {
    // Constants of TensorFlow Lite's schema (schema.fbs, version 3): table field numbers and enums.

    export const enum TensorType {
        Float32 = 0, Float16 = 1, Int32 = 2, UInt8 = 3, Int64 = 4, String = 5, Bool = 6, Int16 = 7,
        Complex64 = 8, Int8 = 9, Float64 = 10, Complex128 = 11, UInt64 = 12, Resource = 13,
        Variant = 14, UInt32 = 15, UInt16 = 16, Int4 = 17,
    }

    const TYPE_NAMES = ["FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16",
        "COMPLEX64", "INT8", "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4"]
    // RESOURCE: a resource variable's handle, an int32 id as in TFLM.
    const TYPE_SIZES = [4, 2, 4, 1, 8, 0, 1, 2, 8, 1, 8, 16, 8, 4, 0, 4, 2, 0]

    export function typeName(t: number): string {
        return t >= 0 && t < TYPE_NAMES.length ? TYPE_NAMES[t] : "type " + t
    }
    /** Bytes per element, or 0 for types this interpreter cannot store. */
    export function typeSize(t: number): number {
        return t >= 0 && t < TYPE_SIZES.length ? TYPE_SIZES[t] : 0
    }

    export const enum BuiltinOp {
        ADD = 0, AVERAGE_POOL_2D = 1, CONCATENATION = 2, CONV_2D = 3, DEPTHWISE_CONV_2D = 4,
        DEPTH_TO_SPACE = 5, DEQUANTIZE = 6, EMBEDDING_LOOKUP = 7, FLOOR = 8, FULLY_CONNECTED = 9,
        L2_NORMALIZATION = 11, L2_POOL_2D = 12, LOGISTIC = 14, MAX_POOL_2D = 17, MUL = 18, RELU = 19,
        RELU_N1_TO_1 = 20, RELU6 = 21, RESHAPE = 22, RESIZE_BILINEAR = 23, SOFTMAX = 25,
        SPACE_TO_DEPTH = 26, SVDF = 27, TANH = 28, CUSTOM = 32, PAD = 34, GATHER = 36,
        BATCH_TO_SPACE_ND = 37, SPACE_TO_BATCH_ND = 38, TRANSPOSE = 39, MEAN = 40, SUB = 41, DIV = 42,
        SQUEEZE = 43, UNIDIRECTIONAL_SEQUENCE_LSTM = 44, STRIDED_SLICE = 45, EXP = 47, SPLIT = 49,
        LOG_SOFTMAX = 50, CAST = 53, PRELU = 54, MAXIMUM = 55, ARG_MAX = 56, MINIMUM = 57, LESS = 58,
        NEG = 59, PADV2 = 60, GREATER = 61, GREATER_EQUAL = 62, LESS_EQUAL = 63, SLICE = 65, SIN = 66,
        TRANSPOSE_CONV = 67, EXPAND_DIMS = 70, EQUAL = 71, NOT_EQUAL = 72, LOG = 73, SUM = 74, SQRT = 75,
        RSQRT = 76, SHAPE = 77, ARG_MIN = 79, REDUCE_MAX = 82, PACK = 83, LOGICAL_OR = 84, LOGICAL_AND = 86,
        LOGICAL_NOT = 87, UNPACK = 88, REDUCE_MIN = 89, FLOOR_DIV = 90, SQUARE = 92, ZEROS_LIKE = 93,
        FILL = 94, FLOOR_MOD = 95, RESIZE_NEAREST_NEIGHBOR = 97, LEAKY_RELU = 98, SQUARED_DIFFERENCE = 99,
        MIRROR_PAD = 100, ABS = 101, SPLIT_V = 102, CEIL = 104, REVERSE_V2 = 105, ADD_N = 106,
        GATHER_ND = 107, COS = 108, ELU = 111, QUANTIZE = 114, ROUND = 116, HARD_SWISH = 117, IF = 118,
        WHILE = 119, SELECT_V2 = 123, BATCH_MATMUL = 126, CUMSUM = 128, CALL_ONCE = 129, BROADCAST_TO = 130, REDUCE_ALL = 140,
        VAR_HANDLE = 142, READ_VARIABLE = 143, ASSIGN_VARIABLE = 144, BROADCAST_ARGS = 145,
        DYNAMIC_UPDATE_SLICE = 151,
    }

    // Every builtin operator name, by code, so an unsupported op can be named in an error. Split
    // on first use: a top-level call would run (and take flash) in every program, even on the
    // board, where the C loader names ops itself.
    let opNames: string[] = null

    function opNamesText(): string {
        return ("ADD AVERAGE_POOL_2D CONCATENATION CONV_2D DEPTHWISE_CONV_2D DEPTH_TO_SPACE DEQUANTIZE " +
        "EMBEDDING_LOOKUP FLOOR FULLY_CONNECTED HASHTABLE_LOOKUP L2_NORMALIZATION L2_POOL_2D " +
        "LOCAL_RESPONSE_NORMALIZATION LOGISTIC LSH_PROJECTION LSTM MAX_POOL_2D MUL RELU RELU_N1_TO_1 RELU6 " +
        "RESHAPE RESIZE_BILINEAR RNN SOFTMAX SPACE_TO_DEPTH SVDF TANH CONCAT_EMBEDDINGS SKIP_GRAM CALL CUSTOM " +
        "EMBEDDING_LOOKUP_SPARSE PAD UNIDIRECTIONAL_SEQUENCE_RNN GATHER BATCH_TO_SPACE_ND SPACE_TO_BATCH_ND " +
        "TRANSPOSE MEAN SUB DIV SQUEEZE UNIDIRECTIONAL_SEQUENCE_LSTM STRIDED_SLICE BIDIRECTIONAL_SEQUENCE_RNN " +
        "EXP TOPK_V2 SPLIT LOG_SOFTMAX DELEGATE BIDIRECTIONAL_SEQUENCE_LSTM CAST PRELU MAXIMUM ARG_MAX " +
        "MINIMUM LESS NEG PADV2 GREATER GREATER_EQUAL LESS_EQUAL SELECT SLICE SIN TRANSPOSE_CONV " +
        "SPARSE_TO_DENSE TILE EXPAND_DIMS EQUAL NOT_EQUAL LOG SUM SQRT RSQRT SHAPE POW ARG_MIN FAKE_QUANT " +
        "REDUCE_PROD REDUCE_MAX PACK LOGICAL_OR ONE_HOT LOGICAL_AND LOGICAL_NOT UNPACK REDUCE_MIN FLOOR_DIV REDUCE_ANY " +
        "SQUARE ZEROS_LIKE FILL FLOOR_MOD RANGE RESIZE_NEAREST_NEIGHBOR LEAKY_RELU SQUARED_DIFFERENCE " +
        "MIRROR_PAD ABS SPLIT_V UNIQUE CEIL REVERSE_V2 ADD_N GATHER_ND COS WHERE RANK ELU REVERSE_SEQUENCE " +
        "MATRIX_DIAG QUANTIZE MATRIX_SET_DIAG ROUND HARD_SWISH IF WHILE NON_MAX_SUPPRESSION_V4 " +
        "NON_MAX_SUPPRESSION_V5 SCATTER_ND SELECT_V2 DENSIFY SEGMENT_SUM BATCH_MATMUL PLACEHOLDER_FOR_GREATER_OP_CODES " +
        "CUMSUM CALL_ONCE BROADCAST_TO RFFT2D CONV_3D IMAG REAL COMPLEX_ABS HASHTABLE HASHTABLE_FIND " +
        "HASHTABLE_IMPORT HASHTABLE_SIZE REDUCE_ALL CONV_3D_TRANSPOSE VAR_HANDLE READ_VARIABLE ASSIGN_VARIABLE " +
        "BROADCAST_ARGS RANDOM_STANDARD_NORMAL BUCKETIZE RANDOM_UNIFORM MULTINOMIAL GELU DYNAMIC_UPDATE_SLICE " +
        "RELU_0_TO_1 UNSORTED_SEGMENT_PROD UNSORTED_SEGMENT_MAX UNSORTED_SEGMENT_SUM ATAN2 UNSORTED_SEGMENT_MIN " +
        "SIGN BITCAST BITWISE_XOR RIGHT_SHIFT")
    }

    export function opName(code: number): string {
        if (!opNames) opNames = opNamesText().split(" ")
        return code >= 0 && code < opNames.length ? opNames[code] : "BUILTIN_" + code
    }

    export const enum Activation { None = 0, Relu = 1, ReluN1To1 = 2, Relu6 = 3, Tanh = 4, SignBit = 5 }
    export const enum Padding { Same = 0, Valid = 1 }

    // Field numbers of the schema's tables.
    export const enum ModelField { Version = 0, OperatorCodes = 1, Subgraphs = 2, Description = 3, Buffers = 4, MetadataBuffer = 5, Metadata = 6 }
    export const enum OperatorCodeField { DeprecatedBuiltinCode = 0, CustomCode = 1, Version = 2, BuiltinCode = 3 }
    export const enum SubGraphField { Tensors = 0, Inputs = 1, Outputs = 2, Operators = 3, Name = 4 }
    export const enum TensorField { Shape = 0, Type = 1, Buffer = 2, Name = 3, Quantization = 4, IsVariable = 5, Sparsity = 6 }
    export const enum QuantizationField { Min = 0, Max = 1, Scale = 2, ZeroPoint = 3, DetailsType = 4, Details = 5, QuantizedDimension = 6 }
    export const enum OperatorField { OpcodeIndex = 0, Inputs = 1, Outputs = 2, BuiltinOptionsType = 3, BuiltinOptions = 4, CustomOptions = 5, CustomOptionsFormat = 6, Intermediates = 8, LargeCustomOptionsOffset = 9, LargeCustomOptionsSize = 10 }
    export const enum BufferField { Data = 0, Offset = 1, Size = 2 }
    export const enum MetadataField { Name = 0, Buffer = 1 }
}
