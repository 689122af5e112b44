using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>
/// Base of the NHWC ops that slide a window (convolutions and pools): reads and checks Kernel, Strides,
/// Dilations and Pads, and checks the output extent against the window formula.
/// </summary>
public abstract class Window2DOperator : Operator
{
    /// <summary>Bound on every kernel, stride, dilation and pad value. With it (and tensors below 2 GiB), all
    /// index arithmetic in the kernels stays inside int, so a corrupt file cannot steer an access out of range.</summary>
    public const int MaxWindowParam = 1 << 20;

    protected Window2DOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    /// <summary>Builds the geometry of X[N,H,W,Cin] → Y[N,OH,OW,Cout]. The kernel extent comes from the
    /// Kernel param, or from the weights (<paramref name="weightKernel"/>) which the param must then match.
    /// X and Y must both have <paramref name="elementType"/> (the int8 variants pass Int8).</summary>
    protected Spatial2DGeometry ReadGeometry(TensorInfo x, TensorInfo y, (int H, int W)? weightKernel, int group = 1,
        DataType elementType = DataType.Float32)
    {
        ExpectRank(x, 4);
        ExpectRank(y, 4);
        ExpectType(x, elementType);
        ExpectType(y, elementType);
        if (y.Shape[0] != x.Shape[0]) throw Invalid($"output batch {y.Shape[0]} differs from input batch {x.Shape[0]}");

        int kh, kw;
        if (Params.Has(ParamKey.Kernel))
        {
            var k = ReadPair(ParamKey.Kernel, [0, 0], 1);
            (kh, kw) = (k[0], k[1]);
            if (weightKernel is { } wk && (wk.H != kh || wk.W != kw))
                throw Invalid($"Kernel param [{kh},{kw}] does not match the weight kernel [{wk.H},{wk.W}]");
        }
        else if (weightKernel is { } wk)
        {
            (kh, kw) = wk;
            if (kh < 1 || kw < 1) throw Invalid($"weight kernel [{kh},{kw}] is empty");
        }
        else
        {
            throw Invalid("parameter Kernel is missing");
        }

        var strides = ReadPair(ParamKey.Strides, [1, 1], 1);
        var dilations = ReadPair(ParamKey.Dilations, [1, 1], 1);
        var pads = Params.GetInts(ParamKey.Pads, [0, 0, 0, 0]);
        if (pads.Length != 4) throw Invalid($"parameter Pads must hold [top,left,bottom,right], holds {pads.Length} values");
        foreach (var p in pads)
            if (p is < 0 or > MaxWindowParam) throw Invalid($"parameter Pads [{string.Join(',', pads)}] has a negative value or one above {MaxWindowParam}");

        return new Spatial2DGeometry(
            x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3],
            y.Shape[1], y.Shape[2], y.Shape[3],
            kh, kw, strides[0], strides[1], dilations[0], dilations[1],
            pads[0], pads[1], pads[2], pads[3], group);
    }

    /// <summary>The geometry of a convolution X[N,H,W,Cin] with weights W[·,KH,KW,·] → Y[N,OH,OW,Cout]: reads Group,
    /// takes the kernel extent from the weights and checks that both channel counts split into the groups. The
    /// layout of W's outer axes differs per op, so the caller checks those against the returned geometry.</summary>
    protected Spatial2DGeometry ReadConvGeometry(TensorInfo x, TensorInfo w, TensorInfo y, DataType elementType = DataType.Float32)
    {
        ExpectRank(w, 4);
        int group = Read.Int(ParamKey.Group, 1);
        if (group < 1) throw Invalid($"parameter Group is {group}, must be at least 1");
        var g = ReadGeometry(x, y, (w.Shape[1], w.Shape[2]), group, elementType);
        if (g.InChannels % group != 0) throw Invalid($"input channels {g.InChannels} are not divisible by Group {group}");
        if (g.OutChannels % group != 0) throw Invalid($"output channels {g.OutChannels} are not divisible by Group {group}");
        return g;
    }

    /// <summary>Float convolutions read their weights (input 1) once in Prepare, so W must be a Float32 constant;
    /// the optional bias (input 2) is Float32 [Cout].</summary>
    protected void ExpectFloatConvConstants(TensorInfo w, int outChannels)
    {
        ExpectFloat(w);
        if (w.Kind != TensorKind.Constant) throw Invalid($"weights '{w.Name}' must be a constant");
        if (HasInput(2))
        {
            var b = InputInfo(2);
            ExpectFloat(b);
            ExpectShape(b, outChannels);
        }
    }

    /// <summary>The geometry of a one-input pool: X[N,H,W,C] → Y[N,OH,OW,C] with the Kernel param, checked.</summary>
    protected Spatial2DGeometry ReadPoolGeometry(DataType elementType = DataType.Float32)
    {
        ExpectInputs(1, 1);
        ExpectOutputs(1);
        var g = ReadGeometry(InputInfo(0), OutputInfo(0), null, 1, elementType);
        if (g.OutChannels != g.InChannels) throw Invalid($"output channels {g.OutChannels} differ from input channels {g.InChannels}");
        CheckWindowedOutput(g);
        return g;
    }

    /// <summary>Checks OH and OW against out = ⌊(in + pads − d(k−1) − 1)/s⌋ + 1, or its ⌈⌉ form (ceil_mode,
    /// which the compiler resolves into the output shape).</summary>
    protected void CheckWindowedOutput(in Spatial2DGeometry g)
    {
        CheckExtent("height", g.InHeight, g.OutHeight, g.KernelHeight, g.StrideH, g.DilationH, g.PadTop, g.PadBottom);
        CheckExtent("width", g.InWidth, g.OutWidth, g.KernelWidth, g.StrideW, g.DilationW, g.PadLeft, g.PadRight);
    }

    /// <summary>Reads a two-value int param whose values must lie in <paramref name="min"/>..<see cref="MaxWindowParam"/>.</summary>
    protected int[] ReadPair(ParamKey key, int[] fallback, int min)
    {
        var v = Params.GetInts(key, fallback);
        if (v.Length != 2) throw Invalid($"parameter {key} must hold 2 values, holds {v.Length}");
        if (v[0] < min || v[1] < min || v[0] > MaxWindowParam || v[1] > MaxWindowParam)
            throw Invalid($"parameter {key} [{v[0]},{v[1]}] must lie in {min}..{MaxWindowParam}");
        return v;
    }

    private void CheckExtent(string axis, int input, int output, int kernel, int stride, int dilation, int padBegin, int padEnd)
    {
        long effectiveKernel = (long)dilation * (kernel - 1) + 1;
        long span = (long)input + padBegin + padEnd - effectiveKernel;
        if (span < 0)
            throw Invalid($"the {axis} window ({effectiveKernel} with dilation) is larger than the padded input ({(long)input + padBegin + padEnd})");
        long floor = span / stride + 1;
        long ceil = (span + stride - 1) / stride + 1;
        if (output != floor && output != ceil)
            throw Invalid($"output {axis} is {output}, but input {input}, kernel {kernel}, stride {stride}, dilation {dilation}, pads {padBegin}+{padEnd} give {floor}"
                + (ceil != floor ? $" (or {ceil} with ceil_mode)" : ""));
    }
}
