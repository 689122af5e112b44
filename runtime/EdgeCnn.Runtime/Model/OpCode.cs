namespace EdgeCnn.Runtime.Model;

/// <summary>
/// Operators of the runtime. Values are part of the file format. Shapes are static and stored on the
/// tensors; an op derives nothing from its params that the output shape already tells (e.g. ceil_mode
/// is resolved by the compiler into the output shape). Spatial ops are NHWC: X[N,H,W,C].
/// Activation params: <see cref="ParamKey.Activation"/> (+ Alpha/Beta) where "act" is listed.
/// </summary>
public enum OpCode : ushort
{
    /// <summary>NHWC 2-D convolution. In: X[N,H,W,Cin], W[Cout,KH,KW,Cin/group] (constant), optional B[Cout].
    /// Out: Y[N,OH,OW,Cout]. Params: Kernel, Strides, Dilations, Pads[t,l,b,r], Group, act.</summary>
    Conv2D = 1,
    /// <summary>NHWC transposed convolution. In: X[N,H,W,Cin], W[Cin,KH,KW,Cout/group] (constant), optional B[Cout].
    /// Out: Y[N,OH,OW,Cout]. Params: Kernel, Strides, Dilations, Pads[t,l,b,r], OutputPadding, Group, act.
    /// y[oh] receives x[ih]·w[kh] where oh = ih·s − pad_top + kh·d.</summary>
    ConvTranspose2D = 2,
    /// <summary>NHWC. Params: Kernel, Strides, Dilations, Pads[t,l,b,r]. Padding never wins (-inf).</summary>
    MaxPool2D = 3,
    /// <summary>NHWC. Params: Kernel, Strides, Dilations, Pads, CountIncludePad. Windows that extend past
    /// the padded input (ceil_mode) count only the padded-input part when CountIncludePad=1, only real
    /// pixels when 0.</summary>
    AveragePool2D = 4,
    /// <summary>NHWC. Params: Kernel, Strides, Dilations, Pads, P. y = (Σ|x|^p)^(1/p) over the window (pads are 0).</summary>
    LpPool2D = 5,
    /// <summary>NHWC. Out [N,1,1,C].</summary>
    GlobalAveragePool = 6,
    /// <summary>NHWC. Out [N,1,1,C].</summary>
    GlobalMaxPool = 7,
    /// <summary>NHWC, across channels. Params: Size, Alpha, Beta, Bias (ONNX semantics: alpha/size).</summary>
    Lrn = 8,
    /// <summary>y = x·Scale[c] + Shift[c] along the LAST axis (folded BatchNormalization). In: X, Scale[C], Shift[C] (constants). Params: act.</summary>
    ChannelAffine = 9,
    /// <summary>NHWC. Params: BlockSize, Mode (0 = DCR, 1 = CRD), in ONNX's channel order.</summary>
    DepthToSpace = 10,
    /// <summary>NHWC. Params: BlockSize, in ONNX's channel order.</summary>
    SpaceToDepth = 11,
    /// <summary>NHWC channel shuffle: channel c = g·(C/G) + i goes to i·G + g. Params: Group.</summary>
    ChannelShuffle = 12,

    /// <summary>Element-wise function. In: X. Out: Y same shape. Params: Activation (the function), Alpha, Beta.</summary>
    Unary = 20,
    /// <summary>Element-wise with numpy broadcasting. In: A, B. Out: broadcast shape. Params: Kind (BinaryKind), act.</summary>
    Binary = 21,
    /// <summary>Softmax over one axis. Params: Axis, Log (1 → LogSoftmax).</summary>
    Softmax = 22,
    /// <summary>Y = act(alpha·op(A)·op(B) + beta·C). In: A 2-D, B 2-D, optional C (unidirectionally broadcast to [M,N]).
    /// Params: TransA, TransB, Alpha, Beta, act.</summary>
    Gemm = 23,
    /// <summary>numpy matmul with batch broadcasting (1-D operands promoted as numpy does). In: A, B.</summary>
    MatMul = 24,
    /// <summary>Y[M,Cout] = act(X[M,K]·W[Cout,K]ᵀ + B[Cout]). X may have any rank; it is read as [M,K] with K = its last dim...
    /// (the compiler reshapes). In: X, W (constant), optional B. Params: act.</summary>
    FullyConnected = 25,
    /// <summary>Params: Axis. Any number of inputs.</summary>
    Concat = 26,
    /// <summary>Params: Axis, Sizes. Several outputs.</summary>
    Split = 27,
    /// <summary>Params: Starts, Ends, Steps — one entry per input axis.</summary>
    Slice = 28,
    /// <summary>Params: Perm.</summary>
    Transpose = 29,
    /// <summary>Copies the data unchanged into a tensor of another shape (Reshape, Flatten, Squeeze, Unsqueeze, Identity).</summary>
    Reshape = 30,
    /// <summary>Params: Mode (PadMode), Pads [begins..., ends...] (may be negative = crop), Value.</summary>
    Pad = 31,
    /// <summary>Params: Mode (ResizeMode), CoordinateMode, NearestMode, Scales (one per axis), ExcludeOutside,
    /// ExtrapolationValue. Output shape from the tensor. Any rank; linear is separable over every resized axis.</summary>
    Resize = 32,
    /// <summary>Params: Kind (ReduceKind), Axes, KeepDims.</summary>
    Reduce = 33,
    /// <summary>Gather along Axis with constant indices. Params: Axis, Indices, IndicesShape.</summary>
    Gather = 34,

    /// <summary>Float32 → Int8 with the output's per-tensor QuantParams: q = clamp(roundHalfToEven(x / s) + zp, −128, 127)
    /// (ONNX QuantizeLinear semantics).</summary>
    Quantize = 40,
    /// <summary>Int8 → Float32: x = s · (q − zp) with the input's QuantParams (ONNX DequantizeLinear).</summary>
    Dequantize = 41,
}
