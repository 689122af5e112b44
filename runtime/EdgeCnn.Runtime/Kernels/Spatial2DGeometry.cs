namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// Everything a windowed NHWC kernel (convolution, transposed convolution, pooling) needs to know about
/// its shapes: X[Batch,InHeight,InWidth,InChannels] → Y[Batch,OutHeight,OutWidth,OutChannels], a
/// KernelHeight×KernelWidth window with strides, dilations and pads. Validated by the operator before
/// any kernel sees it, so kernels index without further checks.
/// </summary>
public readonly record struct Spatial2DGeometry(
    int Batch, int InHeight, int InWidth, int InChannels,
    int OutHeight, int OutWidth, int OutChannels,
    int KernelHeight, int KernelWidth,
    int StrideH, int StrideW, int DilationH, int DilationW,
    int PadTop, int PadLeft, int PadBottom, int PadRight,
    int Group = 1)
{
    public int InGroupChannels => InChannels / Group;
    public int OutGroupChannels => OutChannels / Group;
    public int InputLength => Batch * InHeight * InWidth * InChannels;
    public int OutputLength => Batch * OutHeight * OutWidth * OutChannels;

    /// <summary>The kernel rows [begin, end) whose input row oh·s − pad + k·d lies inside the input.</summary>
    public (int Begin, int End) ValidRows(int oh) => ValidTaps(oh * StrideH - PadTop, DilationH, KernelHeight, InHeight);

    /// <summary>The kernel columns [begin, end) whose input column lies inside the input.</summary>
    public (int Begin, int End) ValidColumns(int ow) => ValidTaps(ow * StrideW - PadLeft, DilationW, KernelWidth, InWidth);

    /// <summary>The kernel rows [begin, end) that lie inside the padded input [−pad_top, H + pad_bottom).</summary>
    public (int Begin, int End) PaddedRows(int oh) =>
        ValidTaps(oh * StrideH, DilationH, KernelHeight, InHeight + PadTop + PadBottom);

    /// <summary>The kernel columns [begin, end) that lie inside the padded input.</summary>
    public (int Begin, int End) PaddedColumns(int ow) =>
        ValidTaps(ow * StrideW, DilationW, KernelWidth, InWidth + PadLeft + PadRight);

    private static (int Begin, int End) ValidTaps(int origin, int dilation, int kernel, int size)
    {
        int begin = origin >= 0 ? 0 : (-origin + dilation - 1) / dilation;
        int end = origin >= size ? 0 : Math.Min(kernel, (size - 1 - origin) / dilation + 1);
        return (begin, Math.Max(begin, end));
    }
}
