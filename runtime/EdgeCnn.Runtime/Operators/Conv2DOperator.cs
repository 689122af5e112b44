using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>
/// <see cref="OpCode.Conv2D"/>: X[N,H,W,Cin] ⊛ W[Cout,KH,KW,Cin/g] (+ B[Cout]), fused activation. Prepare picks
/// the kernel once: pointwise (matrix product), depthwise (vectorized over channels), broadcast (vectorized over
/// output channels, for few input or many output channels) or the general direct convolution; all match
/// <see cref="Kernels.Reference.F32Conv2DReference"/>.
/// </summary>
public sealed class Conv2DOperator : Window2DOperator
{
    private enum Path { Direct, Pointwise, Depthwise, Broadcast }

    private Spatial2DGeometry _geometry;
    private FusedActivation _activation;
    private Path _path;
    private float[] _packedWeights = [];

    public Conv2DOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ExpectInputs(2, 3);
        ExpectOutputs(1);
        TensorInfo x = InputInfo(0), w = InputInfo(1), y = OutputInfo(0);
        var g = ReadConvGeometry(x, w, y);
        int group = g.Group;
        if (w.Shape[0] != g.OutChannels || w.Shape[3] != g.InChannels / group)
            throw Invalid($"weights '{w.Name}' have shape [{string.Join(',', w.Shape)}], expected [{g.OutChannels},KH,KW,{g.InChannels / group}] for {g.InChannels} input channels in {group} groups");
        ExpectFloatConvConstants(w, g.OutChannels);
        CheckWindowedOutput(g);
        _activation = FusedActivation.Read(Desc);
        _geometry = g;
        _path = ChoosePath(g);
        var weights = Model.ConstantFloats(Desc.Inputs[1]);
        if (_path == Path.Depthwise) _packedWeights = F32DepthwiseConv2DVector.PackWeights(g, weights);
        if (_path == Path.Broadcast) _packedWeights = F32Conv2DBroadcastVector.PackWeights(g, weights);
    }

    /// <summary>Measured on x64 (AVX2): the broadcast kernel (no horizontal sums, register-blocked over output
    /// channels) wins for one-group convs with at least a vector of output channels, except wide 1×1s where the
    /// two-pixel pointwise kernel reuses each weight load twice; the direct kernel covers the rest.</summary>
    private static Path ChoosePath(in Spatial2DGeometry g)
    {
        bool pointwise = g.KernelHeight == 1 && g.KernelWidth == 1 && g.StrideH == 1 && g.StrideW == 1 && g.Group == 1
            && g.PadTop == 0 && g.PadLeft == 0 && g.OutHeight == g.InHeight && g.OutWidth == g.InWidth;
        if (g.Group == g.InChannels && g.Group > 1) return Path.Depthwise;
        if (pointwise && g.InChannels >= 128) return Path.Pointwise;
        if (F32Conv2DBroadcastVector.Supports(g)) return Path.Broadcast;
        return pointwise ? Path.Pointwise : Path.Direct;
    }

    public override void Invoke(in RunContext context) => Run(_geometry, context.Input(0), context.Output(0), in context);

    /// <summary>Split by output rows (<see cref="Spatial2DRowSlices"/>): each output element is summed in the same
    /// order on a row slice as on the whole, so the floats are identical.</summary>
    public override int Partitions(int threads) => Spatial2DRowSlices.Parts(_geometry, threads);

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        var x = context.Input(0);
        var y = context.Output(0);
        var (begin, end) = Spatial2DRowSlices.PartRows(_geometry, part, parts);
        while (begin < end)
        {
            var slice = Spatial2DRowSlices.Slice(_geometry, begin, end);
            var g = slice.Geometry;
            Run(g, x.Slice(slice.InputStart, g.InputLength), y.Slice(slice.OutputStart, g.OutputLength), in context);
            begin += g.OutHeight;
        }
    }

    private void Run(in Spatial2DGeometry g, ReadOnlySpan<float> x, Span<float> y, in RunContext context)
    {
        var bias = HasInput(2) ? context.Input(2) : ReadOnlySpan<float>.Empty;
        switch (_path)
        {
            case Path.Pointwise:
                F32Conv1x1Vector.Run(g, x, context.Input(1), bias, _activation.Kind, _activation.Alpha, _activation.Beta, y);
                break;
            case Path.Depthwise:
                F32DepthwiseConv2DVector.Run(g, x, _packedWeights, bias, _activation.Kind, _activation.Alpha, _activation.Beta, y);
                break;
            case Path.Broadcast:
                F32Conv2DBroadcastVector.Run(g, x, _packedWeights, bias, _activation.Kind, _activation.Alpha, _activation.Beta, y);
                break;
            default:
                F32Conv2DDirectVector.Run(g, x, context.Input(1), bias, _activation.Kind, _activation.Alpha, _activation.Beta, y);
                break;
        }
    }
}
