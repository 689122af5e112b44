namespace EdgeCnn.Runtime.Model;

/// <summary>
/// Operators of the runtime. Values are part of the file format. Shapes are static and stored on the
/// tensors; an op derives nothing from its params that the output shape already tells (e.g. ceil_mode
/// is resolved by the compiler into the output shape). Spatial ops are NHWC: X[N,H,W,C].
/// Activation params: <see cref="ParamKey.Activation"/> (+ Alpha/Beta) where "act" is listed.
///
/// Int8: an op whose first input is Int8 runs its int8 variant (docs/quantization.md, "Integer kernels"; the
/// reference kernels are Kernels/Reference/Qs8*Reference.cs). Int8 activations are quantized per tensor
/// (s, zp); MBQM(v, r) below is FixedPoint.MultiplyByQuantizedMultiplier of v with the quantized multiplier of
/// the real r (computed in double from the float32 scales); q(v) is the Quantize rounding with the output's
/// params; "act bounds" are [−128, 127] without activation, [q(0), 127] for Relu, [q(Alpha), q(Beta)] for Clip
/// (other fused activations are refused), and clamp(v, lo, hi) = min(max(v, lo), hi).
/// Ops listed as "Int8 data movement" accept Int8 input and output with identical quantization and move the
/// bytes as the float op moves floats. Ops without an Int8 line have no int8 variant.
/// </summary>
public enum OpCode : ushort
{
    /// <summary>NHWC 2-D convolution. In: X[N,H,W,Cin], W[Cout,KH,KW,Cin/group] (constant), optional B[Cout].
    /// Out: Y[N,OH,OW,Cout]. Params: Kernel, Strides, Dilations, Pads[t,l,b,r], Group, act.
    /// Int8: X int8, W int8 symmetric (zero points 0) per tensor or per output channel (axis 0), B Int32 with scale
    /// s_x·s_w[c] and zero point 0, Y int8. acc = B[c] + Σ (x − zp_x)·w over the taps inside the input (padding is
    /// zp_x, contributing 0), exact in int32 (Prepare refuses weights/biases that could overflow it);
    /// y = clamp(zp_y + MBQM(acc, s_x·s_w[c]/s_y), act bounds).</summary>
    Conv2D = 1,
    /// <summary>NHWC transposed convolution. In: X[N,H,W,Cin], W[Cin,KH,KW,Cout/group] (constant), optional B[Cout].
    /// Out: Y[N,OH,OW,Cout]. Params: Kernel, Strides, Dilations, Pads[t,l,b,r], OutputPadding, Group, act.
    /// y[oh] receives x[ih]·w[kh] where oh = ih·s − pad_top + kh·d.
    /// Int8: as Conv2D, but W int8 is stored output-channel-major [Cout,KH,KW,Cin/group] (per-channel axis 0);
    /// acc[oc] = B[oc] + Σ (x − zp_x)·W[oc,kh,kw,i] over every input pixel and tap that reaches the output element,
    /// exact in int32; y = clamp(zp_y + MBQM(acc, s_x·s_w[oc]/s_y), act bounds).</summary>
    ConvTranspose2D = 2,
    /// <summary>NHWC. Params: Kernel, Strides, Dilations, Pads[t,l,b,r]. Padding never wins (-inf).
    /// Int8: same quantization in and out; y = max of the taps inside the input, −128 for a window with none.</summary>
    MaxPool2D = 3,
    /// <summary>NHWC. Params: Kernel, Strides, Dilations, Pads, CountIncludePad. Windows that extend past
    /// the padded input (ceil_mode) count only the padded-input part when CountIncludePad=1, only real
    /// pixels when 0.
    /// Int8: same quantization in and out; y = clamp(zp + round(Σ (x − zp) / count), −128, 127) over the taps inside
    /// the input, the division rounded to nearest with ties away from zero, count as above (0 → y = zp).</summary>
    AveragePool2D = 4,
    /// <summary>NHWC. Params: Kernel, Strides, Dilations, Pads, P. y = (Σ|x|^p)^(1/p) over the window (pads are 0).</summary>
    LpPool2D = 5,
    /// <summary>NHWC. Out [N,1,1,C].
    /// Int8: same quantization in and out; y = clamp(zp + round(Σ (x − zp) / (H·W)), −128, 127), ties away from zero.</summary>
    GlobalAveragePool = 6,
    /// <summary>NHWC. Out [N,1,1,C].</summary>
    GlobalMaxPool = 7,
    /// <summary>NHWC, across channels. Params: Size, Alpha, Beta, Bias (ONNX semantics: alpha/size).</summary>
    Lrn = 8,
    /// <summary>y = x·Scale[c] + Shift[c] along the LAST axis (folded BatchNormalization). In: X, Scale[C], Shift[C] (constants). Params: act.</summary>
    ChannelAffine = 9,
    /// <summary>NHWC. Params: BlockSize, Mode (0 = DCR, 1 = CRD), in ONNX's channel order. Int8 data movement.</summary>
    DepthToSpace = 10,
    /// <summary>NHWC. Params: BlockSize, in ONNX's channel order. Int8 data movement.</summary>
    SpaceToDepth = 11,
    /// <summary>NHWC channel shuffle: channel c = g·(C/G) + i goes to i·G + g. Params: Group. Int8 data movement.</summary>
    ChannelShuffle = 12,

    /// <summary>Element-wise function. In: X. Out: Y same shape. Params: Activation (the function), Alpha, Beta.
    /// Int8: In: X, T (constant Int8 [256], quantized like Y); y = T[x + 128]. The quantizer builds T from the
    /// function; Activation/Alpha/Beta only record which one.</summary>
    Unary = 20,
    /// <summary>Element-wise with numpy broadcasting. In: A, B. Out: broadcast shape. Params: Kind (BinaryKind), act.
    /// Int8 (Add, Sub, Mul; each input with its own quantization): Add/Sub with s = 2·max(s_a, s_b):
    /// a' = MBQM((a − zp_a)·2²⁰, s_a/s), b' = MBQM((b − zp_b)·2²⁰, s_b/s), y = clamp(zp_y + MBQM(a' ± b', s/(2²⁰·s_y)), act bounds);
    /// Mul: y = clamp(zp_y + MBQM((a − zp_a)·(b − zp_b), s_a·s_b/s_y), act bounds).</summary>
    Binary = 21,
    /// <summary>Softmax over one axis. Params: Axis, Log (1 → LogSoftmax).
    /// Int8: X int8, Y Float32: the float op on x = s·(q − zp) (the Dequantize rounding).</summary>
    Softmax = 22,
    /// <summary>Y = act(alpha·op(A)·op(B) + beta·C). In: A 2-D, B 2-D, optional C (unidirectionally broadcast to [M,N]).
    /// Params: TransA, TransB, Alpha, Beta, act.</summary>
    Gemm = 23,
    /// <summary>numpy matmul with batch broadcasting (1-D operands promoted as numpy does). In: A, B.</summary>
    MatMul = 24,
    /// <summary>Y[M,Cout] = act(X[M,K]·W[Cout,K]ᵀ + B[Cout]). X may have any rank; it is read as [M,K] with K = its last dim...
    /// (the compiler reshapes). In: X, W (constant), optional B. Params: act.
    /// Int8: as Conv2D with W[Cout,K]: y[m,c] = clamp(zp_y + MBQM(B[c] + Σ_k (x[m,k] − zp_x)·w[c,k], s_x·s_w[c]/s_y), act bounds).</summary>
    FullyConnected = 25,
    /// <summary>Params: Axis. Any number of inputs.
    /// Int8 (all inputs and Y int8, each with its own quantization): an input quantized like Y is copied;
    /// any other is requantized, y = clamp(zp_y + MBQM((x − zp_x)·2²⁰, s_x/(2²⁰·s_y)), −128, 127).</summary>
    Concat = 26,
    /// <summary>Params: Axis, Sizes. Several outputs. Int8 data movement (every output quantized like X).</summary>
    Split = 27,
    /// <summary>Params: Starts, Ends, Steps — one entry per input axis. Int8 data movement.</summary>
    Slice = 28,
    /// <summary>Params: Perm. Int8 data movement.</summary>
    Transpose = 29,
    /// <summary>Copies the data unchanged into a tensor of another shape (Reshape, Flatten, Squeeze, Unsqueeze, Identity).
    /// Int8 data movement.</summary>
    Reshape = 30,
    /// <summary>Params: Mode (PadMode), Pads [begins..., ends...] (may be negative = crop), Value.
    /// Int8 data movement; the constant is q(Value) with the output's quantization.</summary>
    Pad = 31,
    /// <summary>Params: Mode (ResizeMode), CoordinateMode, NearestMode, Scales (one per axis), ExcludeOutside,
    /// ExtrapolationValue. Output shape from the tensor. Any rank; linear is separable over every resized axis.
    /// Int8 data movement for Mode nearest. Int8 linear (same quantization in and out, at most two resized axes):
    /// Q11 tap weights w = round(f·2¹¹), acc = Σ of the four taps' (x − zp)·weight products, exact in int32;
    /// y = zp + round(acc / 2²²), ties away from zero.</summary>
    Resize = 32,
    /// <summary>Params: Kind (ReduceKind), Axes, KeepDims.</summary>
    Reduce = 33,
    /// <summary>Gather along Axis with constant indices. Params: Axis, Indices, IndicesShape. Int8 data movement.</summary>
    Gather = 34,

    /// <summary>Float32 → Int8 with the output's per-tensor QuantParams: q = clamp(roundHalfToEven(x / s) + zp, −128, 127)
    /// (ONNX QuantizeLinear semantics), x / s the exact quotient (taken in double); NaN → zp, ±∞ saturate.</summary>
    Quantize = 40,
    /// <summary>Int8 → Float32: x = s · (q − zp) with the input's per-tensor QuantParams (ONNX DequantizeLinear), one
    /// float32 multiplication.</summary>
    Dequantize = 41,
}
