using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary>
/// <see cref="OpCode.ConvTranspose2D"/> on int8 data (<see cref="Qs8ConvTranspose2DReference"/>): X int8, W int8
/// stored output-channel-major [Cout,KH,KW,Cin/g] (the quantizer reorders the float op's [Cin,KH,KW,Cout/g]) so
/// that weights, bias and requantization are prepared exactly as for Conv2D (<see cref="Qs8Params.WeightedOutput"/>),
/// fused Relu/Clip as output bounds. The reference path's int32 accumulators live in scratch requested at Prepare; the
/// vector paths run the gather kernels of <see cref="Qs8ConvTranspose2DKernels"/> on weights packed at Prepare.
/// </summary>
public sealed class Qs8ConvTranspose2DOperator : Window2DOperator
{
    private Spatial2DGeometry _geometry;
    private Qs8Requantization? _output;
    private int _inputZeroPoint;

    public Qs8ConvTranspose2DOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ExpectInputs(2, 3);
        ExpectOutputs(1);
        TensorInfo x = InputInfo(0), w = InputInfo(1), y = OutputInfo(0);
        var g = ReadConvGeometry(x, w, y, DataType.Int8);
        if (w.Shape[0] != g.OutChannels || w.Shape[3] != g.InChannels / g.Group)
            throw Invalid($"int8 weights '{w.Name}' have shape {ShapeMath.Text(w.Shape)}, expected [{g.OutChannels},KH,KW,{g.InChannels / g.Group}] (output-channel-major)");
        var outputPadding = ReadPair(ParamKey.OutputPadding, [0, 0], 0);
        CheckTransposedExtent("height", g.InHeight, g.OutHeight, g.KernelHeight, g.StrideH, g.DilationH, g.PadTop, g.PadBottom, outputPadding[0]);
        CheckTransposedExtent("width", g.InWidth, g.OutWidth, g.KernelWidth, g.StrideW, g.DilationW, g.PadLeft, g.PadRight, outputPadding[1]);
        _output = Qs8Params.WeightedOutput(Desc, Model, g.OutChannels, g.KernelHeight * g.KernelWidth * g.InGroupChannels);
        _inputZeroPoint = x.Quant!.ZeroPoint;
        _geometry = g;
        if (Qs8ConvTranspose2DKernels.Select(context.Path) is var path and not KernelPath.Reference)
        {
            var weights = MemoryMarshal.Cast<byte, sbyte>(Model.ConstantBytes(Desc.Inputs[1]).Span);
            var bias = HasInput(2) ? MemoryMarshal.Cast<byte, int>(Model.ConstantBytes(Desc.Inputs[2]).Span) : default;
            _packed = Qs8ConvTranspose2DPacked.Pack(path, g, weights, bias, _inputZeroPoint, _output, context.Path);
            context.RequestScratch(_packed.ScratchBytes);
            return;
        }
        context.RequestScratch(checked(Qs8ConvTranspose2DReference.ScratchInts(g) * sizeof(int)));
    }

    public override void Invoke(in RunContext context) => RunRows(in context, 0, Rows);

    /// <summary>Split by output rows, counted over all images: the vector kernels gather each output pixel from its own
    /// taps, and the reference keeps only the contributions that land in the part's rows; integer sums are exact, so
    /// the bytes are those of the whole op.</summary>
    public override int Partitions(int threads) => RangeSplit.Parts(Rows, threads, ConvTranspose2DOperator.TransposedMacs(_geometry));

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        var (begin, end) = RangeSplit.Range(Rows, part, parts);
        RunRows(in context, begin, end);
    }

    private Qs8ConvTranspose2DPacked? _packed;

    private int Rows => _geometry.Batch * _geometry.OutHeight;

    private void RunRows(in RunContext context, int begin, int end)
    {
        if (_packed is not null)
        {
            Qs8ConvTranspose2DKernels.Run(_packed, context.Input<sbyte>(0), context.Output<sbyte>(0), context.Scratch, begin, end);
            return;
        }
        Qs8ConvTranspose2DReference.Run(_geometry, context.Input<sbyte>(0), _inputZeroPoint, context.Input<sbyte>(1),
            HasInput(2) ? context.Input<int>(2) : default, _output!, MemoryMarshal.Cast<byte, int>(context.Scratch), context.Output<sbyte>(0), begin, end);
    }

    private void CheckTransposedExtent(string axis, int input, int output, int kernel, int stride, int dilation, int padBegin, int padEnd, int outputPadding)
    {
        long expected = (long)stride * (input - 1) + outputPadding + (long)dilation * (kernel - 1) + 1 - padBegin - padEnd;
        if (output != expected)
            throw Invalid($"output {axis} is {output}, but input {input}, kernel {kernel}, stride {stride}, dilation {dilation}, pads {padBegin}+{padEnd}, output padding {outputPadding} give {expected}");
    }
}
