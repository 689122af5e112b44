namespace EdgeCnn.Runtime.Model;

/// <summary>
/// Element-wise functions. Used by the standalone <see cref="OpCode.Unary"/> op and, for the first
/// few (Relu..Tanh), fused into Conv/FullyConnected/Gemm outputs. Values are part of the file format.
/// Parameters come from <see cref="ParamKey.Alpha"/> / <see cref="ParamKey.Beta"/> as noted.
/// </summary>
public enum ActivationKind : byte
{
    None = 0,
    Relu = 1,
    /// <summary>clamp(x, Alpha, Beta): Alpha = min (may be -inf), Beta = max (may be +inf). ReLU6 = Clip(0, 6).</summary>
    Clip = 2,
    /// <summary>x &lt; 0 ? Alpha·x : x.</summary>
    LeakyRelu = 3,
    /// <summary>max(0, min(1, Alpha·x + Beta)).</summary>
    HardSigmoid = 4,
    /// <summary>x · max(0, min(1, x/6 + 1/2)).</summary>
    HardSwish = 5,
    Sigmoid = 6,
    Tanh = 7,
    // Not fusable into convolutions (the passes only fuse the kinds above).
    Sqrt = 16,
    Exp = 17,
    Log = 18,
    Abs = 19,
    Neg = 20,
    Reciprocal = 21,
    Floor = 22,
    Ceil = 23,
    /// <summary>x &lt; 0 ? Alpha·(exp(x) − 1) : x.</summary>
    Elu = 24,
    Softplus = 25,
    Erf = 26,
}

/// <summary>Element-wise binary functions with numpy broadcasting. Values are part of the file format.</summary>
public enum BinaryKind : byte
{
    Add = 1,
    Sub = 2,
    Mul = 3,
    Div = 4,
    Pow = 5,
    Max = 6,
    Min = 7,
    /// <summary>a &lt; 0 ? a·b : a (b is the broadcast slope).</summary>
    PRelu = 8,
}

public enum ReduceKind : byte
{
    Mean = 1,
    Sum = 2,
    Max = 3,
    Min = 4,
    Prod = 5,
    L2 = 6,
    SumSquare = 7,
}

public enum PadMode : byte
{
    Constant = 0,
    Reflect = 1,
    Edge = 2,
}

public enum ResizeMode : byte
{
    Nearest = 0,
    Linear = 1,
}

/// <summary>ONNX Resize coordinate_transformation_mode.</summary>
public enum ResizeCoordinateMode : byte
{
    HalfPixel = 0,
    AlignCorners = 1,
    Asymmetric = 2,
    PytorchHalfPixel = 3,
    TfHalfPixelForNn = 4,
}

/// <summary>ONNX Resize nearest_mode.</summary>
public enum ResizeNearestMode : byte
{
    RoundPreferFloor = 0,
    RoundPreferCeil = 1,
    Floor = 2,
    Ceil = 3,
}
