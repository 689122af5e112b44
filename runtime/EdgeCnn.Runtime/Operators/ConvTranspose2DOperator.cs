using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>
/// <see cref="OpCode.ConvTranspose2D"/>: X[N,H,W,Cin] with W[Cin,KH,KW,Cout/g] (+ B[Cout]) → Y[N,OH,OW,Cout], fused
/// activation. The output extent is the tensor's, checked against
/// OH = s(H − 1) + output_padding + d(KH − 1) + 1 − pad_top − pad_bottom. Runs the gather kernel
/// <see cref="F32ConvTranspose2DVector"/>, tested against <see cref="Kernels.Reference.F32ConvTranspose2DReference"/>.
/// </summary>
public sealed class ConvTranspose2DOperator : Window2DOperator
{
    private Spatial2DGeometry _geometry;
    private FusedActivation _activation;
    private float[] _packedWeights = [];

    public ConvTranspose2DOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ExpectInputs(2, 3);
        ExpectOutputs(1);
        TensorInfo x = InputInfo(0), w = InputInfo(1), y = OutputInfo(0);
        var g = ReadConvGeometry(x, w, y);
        int group = g.Group;
        if (w.Shape[0] != g.InChannels || w.Shape[3] != g.OutChannels / group)
            throw Invalid($"weights '{w.Name}' have shape [{string.Join(',', w.Shape)}], expected [{g.InChannels},KH,KW,{g.OutChannels / group}] for {g.OutChannels} output channels in {group} groups");
        ExpectFloatConvConstants(w, g.OutChannels);
        var outputPadding = ReadPair(ParamKey.OutputPadding, [0, 0], 0);
        CheckExtent("height", g.InHeight, g.OutHeight, g.KernelHeight, g.StrideH, g.DilationH, g.PadTop, g.PadBottom, outputPadding[0]);
        CheckExtent("width", g.InWidth, g.OutWidth, g.KernelWidth, g.StrideW, g.DilationW, g.PadLeft, g.PadRight, outputPadding[1]);
        _activation = FusedActivation.Read(Desc);
        _geometry = g;
        _packedWeights = F32ConvTranspose2DVector.PackWeights(g, Model.ConstantFloats(Desc.Inputs[1]));
    }

    public override void Invoke(in RunContext context) =>
        F32ConvTranspose2DVector.Run(_geometry, context.Input(0), _packedWeights, HasInput(2) ? context.Input(2) : ReadOnlySpan<float>.Empty,
            _activation.Kind, _activation.Alpha, _activation.Beta, context.Output(0));

    /// <summary>Split by output rows, counted over all images: the gather kernel computes each output from its own taps
    /// in a fixed order, so the floats are those of the whole op.</summary>
    public override int Partitions(int threads) =>
        RangeSplit.Parts((long)_geometry.Batch * _geometry.OutHeight, threads, TransposedMacs(_geometry));

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        var (begin, end) = RangeSplit.Range((long)_geometry.Batch * _geometry.OutHeight, part, parts);
        F32ConvTranspose2DVector.Run(_geometry, context.Input(0), _packedWeights, HasInput(2) ? context.Input(2) : ReadOnlySpan<float>.Empty,
            _activation.Kind, _activation.Alpha, _activation.Beta, context.Output(0), begin, end);
    }

    /// <summary>Multiply-accumulates of a transposed convolution: every input pixel meets every tap once (minus the
    /// cropped ones, which this ignores).</summary>
    internal static long TransposedMacs(in Spatial2DGeometry g) =>
        (long)g.Batch * g.InHeight * g.InWidth * g.KernelHeight * g.KernelWidth * g.InGroupChannels * g.OutChannels;

    private void CheckExtent(string axis, int input, int output, int kernel, int stride, int dilation, int padBegin, int padEnd, int outputPadding)
    {
        long expected = (long)stride * (input - 1) + outputPadding + (long)dilation * (kernel - 1) + 1 - padBegin - padEnd;
        if (output != expected)
            throw Invalid($"output {axis} is {output}, but input {input}, kernel {kernel}, stride {stride}, dilation {dilation}, pads {padBegin}+{padEnd}, output padding {outputPadding} give {expected}");
    }
}
