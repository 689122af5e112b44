using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary>
/// <see cref="OpCode.Conv2D"/> on int8 data: X int8 (per tensor), W int8 symmetric [Cout,KH,KW,Cin/g] per tensor
/// or per output channel, optional B int32, Y int8 (per tensor); fused Relu/Clip as output bounds. Groups,
/// depthwise with a channel multiplier, strides, dilations and pads as the float op. The multipliers are prepared
/// once. On a vector kernel path, Prepare packs the weights for it and non-depthwise convolutions run as tiled GEMMs
/// (<see cref="Qs8Conv2DGemm"/>), depthwise ones on <see cref="Qs8DepthwiseConv"/>; the reference path runs
/// <see cref="Qs8Conv2DReference"/>. All give the same bytes.
/// </summary>
public sealed class Qs8Conv2DOperator : Window2DOperator
{
    private Spatial2DGeometry _geometry;
    private Qs8Requantization? _output;
    private int _xZeroPoint;
    private Qs8GemmWeights? _gemm;
    private Qs8DepthwiseConv? _depthwise;

    public Qs8Conv2DOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ExpectInputs(2, 3);
        ExpectOutputs(1);
        TensorInfo x = InputInfo(0), w = InputInfo(1), y = OutputInfo(0);
        var g = ReadConvGeometry(x, w, y, DataType.Int8);
        int group = g.Group;
        if (w.Shape[0] != g.OutChannels || w.Shape[3] != g.InChannels / group)
            throw Invalid($"weights '{w.Name}' have shape [{string.Join(',', w.Shape)}], expected [{g.OutChannels},KH,KW,{g.InChannels / group}] for {g.InChannels} input channels in {group} groups");
        CheckWindowedOutput(g);
        _output = Qs8Params.WeightedOutput(Desc, Model, g.OutChannels, g.KernelHeight * g.KernelWidth * g.InGroupChannels);
        _xZeroPoint = x.Quant!.ZeroPoint;
        _geometry = g;
        _gemm = Qs8GemmPreparation.ForConvolution(context, g, Desc, Model, _xZeroPoint, _output);
        _depthwise = Qs8DepthwiseConv.TryCreate(context.Path, g, Model, Desc, _output, _xZeroPoint);
    }

    public override void Invoke(in RunContext context) =>
        Run(_geometry, context.Input<sbyte>(0), context.Output<sbyte>(0), in context);

    /// <summary>Split by output rows (<see cref="Spatial2DRowSlices"/>); every kernel runs on a row slice as on the whole.</summary>
    public override int Partitions(int threads) => Spatial2DRowSlices.Parts(_geometry, threads);

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        var x = context.Input<sbyte>(0);
        var y = context.Output<sbyte>(0);
        var (begin, end) = Spatial2DRowSlices.PartRows(_geometry, part, parts);
        while (begin < end)
        {
            var slice = Spatial2DRowSlices.Slice(_geometry, begin, end);
            var g = slice.Geometry;
            Run(g, x.Slice(slice.InputStart, g.InputLength), y.Slice(slice.OutputStart, g.OutputLength), in context);
            begin += g.OutHeight;
        }
    }

    private void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, Span<sbyte> y, in RunContext context)
    {
        if (_gemm is not null)
        {
            Qs8Conv2DGemm.Run(g, x, _xZeroPoint, _gemm, y, context.Scratch);
            return;
        }
        if (_depthwise is not null)
        {
            _depthwise.Run(g, x, y);
            return;
        }
        Qs8Conv2DReference.Run(g, x, _xZeroPoint, context.Input<sbyte>(1),
            HasInput(2) ? context.Input<int>(2) : default, _output!, y);
    }
}
