namespace EdgeCnn.Runtime.Model;

/// <summary>
/// Keys of typed op parameters. Each key has one value kind (int list or float list); the values are
/// part of the file format. Which keys an op reads is documented on <see cref="OpCode"/>.
/// </summary>
public enum ParamKey : ushort
{
    // int lists
    Kernel = 1,          // [kh, kw]
    Strides = 2,         // [sh, sw] (2-D ops) or per axis
    Dilations = 3,       // [dh, dw]
    Pads = 4,            // 2-D ops: [top, left, bottom, right]; Pad op: [begin_0..begin_{r-1}, end_0..end_{r-1}]
    Group = 5,           // [g]
    Activation = 6,      // [(int)ActivationKind] — fused output activation or the Unary function
    Axis = 7,            // [axis], already normalized to 0..rank-1
    Axes = 8,            // [a0, a1, ...], normalized, ascending
    Perm = 9,            // transpose permutation
    Starts = 10,         // Slice: one per axis of the input (full rank), normalized and clamped
    Ends = 11,           // Slice: one per axis (exclusive; may be -1 for negative steps meaning "before 0")
    Steps = 12,          // Slice: one per axis, non-zero
    Sizes = 13,          // Split: output sizes along Axis
    Mode = 14,           // [enum value] — PadMode / ResizeMode / DepthToSpace mode (0 = DCR, 1 = CRD)
    BlockSize = 15,      // [b]
    Size = 16,           // LRN: [size]
    TransA = 17,         // [0|1]
    TransB = 18,         // [0|1]
    KeepDims = 19,       // [0|1]
    CountIncludePad = 20,// [0|1]
    P = 21,              // LpPool: [p]
    Indices = 22,        // Gather: constant indices (already normalized to 0..dim-1), flattened
    IndicesShape = 23,   // Gather: shape of the indices tensor
    OutputPadding = 24,  // ConvTranspose: [oph, opw]
    Kind = 25,           // [(int)BinaryKind] or [(int)ReduceKind]
    CoordinateMode = 26, // [(int)ResizeCoordinateMode]
    NearestMode = 27,    // [(int)ResizeNearestMode]
    Log = 28,            // Softmax: [0|1] → LogSoftmax
    ExcludeOutside = 29, // Resize: [0|1]

    // float lists
    Alpha = 100,         // activation / LRN / Gemm alpha
    Beta = 101,          // activation / LRN / Gemm beta
    Bias = 102,          // LRN bias
    Value = 103,         // Pad constant value
    Scales = 104,        // Resize: per-axis scale (output/input), one per axis
    Epsilon = 105,
    ExtrapolationValue = 106,
}

public static class ParamKeyExtensions
{
    public static bool IsFloat(this ParamKey key) => (ushort)key >= 100;
}
