using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary>
/// <see cref="OpCode.FullyConnected"/> on int8 data: Y[M,Cout] from X read as [M,K] (int8, per tensor),
/// W[Cout,K] int8 symmetric (per tensor or per output channel), optional B int32; fused Relu/Clip as output
/// bounds. On a vector kernel path the weights are packed at Prepare and the layer runs as one GEMM
/// (<see cref="Qs8Gemm"/>); the reference path runs <see cref="Qs8FullyConnectedReference"/>. Both give the same bytes.
/// </summary>
public sealed class Qs8FullyConnectedOperator : Operator
{
    private int _m, _k, _outChannels, _xZeroPoint;
    private Qs8Requantization? _output;
    private Qs8GemmWeights? _gemm;

    public Qs8FullyConnectedOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ExpectInputs(2, 3);
        ExpectOutputs(1);
        TensorInfo x = InputInfo(0), w = InputInfo(1), y = OutputInfo(0);
        ExpectRank(w, 2);
        (_m, _k, _outChannels) = FullyConnectedShape.Read(x, w, y, Invalid);
        _output = Qs8Params.WeightedOutput(Desc, Model, _outChannels, _k);
        _xZeroPoint = x.Quant!.ZeroPoint;
        _gemm = Qs8GemmPreparation.ForFullyConnected(context, Desc, Model, _k, _outChannels, _xZeroPoint, _output);
    }

    public override void Invoke(in RunContext context)
    {
        if (_channelParts is null)
        {
            RunRows(in context, 0, _m);
            return;
        }
        for (int part = 0; part < _channelParts.Length; part++) RunChannels(in context, _channelParts[part]);
    }

    /// <summary>Split by rows of X when there are several; a one-row layer (a classifier head) is split over its output
    /// channels instead, each part with the weights of its channels packed on their own (replacing the whole layer's,
    /// so the weights are held once). Every output channel sums the same products either way.</summary>
    public override int Partitions(int threads)
    {
        long macs = (long)_m * _k * _outChannels;
        if (_m > 1) return (int)Math.Max(1, Math.Min(Math.Min(threads, _m), macs / Spatial2DRowSlices.MinMacsPerPart));
        int block = _gemm is null ? 1 : Qs8GemmWeights.LayoutOf(_gemm.Path).BlockChannels;
        int parts = RangeSplit.Parts(_outChannels, threads, macs, block);
        if (parts > 1 && _channelParts is null) _channelParts = SplitChannels(parts, block);
        return _channelParts?.Length ?? 1;
    }

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        if (_channelParts is not null) RunChannels(in context, _channelParts[part]);
        else RunRows(in context, (int)((long)_m * part / parts), (int)((long)_m * (part + 1) / parts));
    }

    private Qs8FullyConnectedChannels[]? _channelParts;

    private Qs8FullyConnectedChannels[] SplitChannels(int parts, int block)
    {
        var weights = Model.ConstantBytes(Desc.Inputs[1]).Span;
        var bias = HasInput(2) ? Model.ConstantBytes(Desc.Inputs[2]).Span : default;
        var split = new Qs8FullyConnectedChannels[parts];
        for (int part = 0; part < parts; part++)
        {
            var (begin, end) = RangeSplit.Range(_outChannels, part, parts, block);
            split[part] = Qs8FullyConnectedChannels.Create(_gemm?.Path, weights, bias, _k, begin, end, _xZeroPoint, _output!);
        }
        _gemm = null;
        return split;
    }

    private void RunChannels(in RunContext context, Qs8FullyConnectedChannels part)
    {
        var x = context.Input<sbyte>(0).Slice(0, _k);
        var y = context.Output<sbyte>(0).Slice(part.Begin, part.Count);
        if (part.Gemm is not null)
        {
            Qs8Gemm.Run(part.Gemm, 0, 1, x, _k, y, part.Count, context.Scratch);
            return;
        }
        var bias = HasInput(2) ? context.Input<int>(2).Slice(part.Begin, part.Count) : default;
        Qs8FullyConnectedReference.Run(1, _k, part.Count, x, _xZeroPoint, context.Input<sbyte>(1).Slice(part.Begin * _k, part.Count * _k),
            bias, part.Output, y);
    }

    private void RunRows(in RunContext context, int first, int end)
    {
        int rows = end - first;
        var x = context.Input<sbyte>(0).Slice(first * _k, rows * _k);
        var y = context.Output<sbyte>(0).Slice(first * _outChannels, rows * _outChannels);
        if (_gemm is not null)
        {
            Qs8Gemm.Run(_gemm, 0, rows, x, _k, y, _outChannels, context.Scratch);
            return;
        }
        Qs8FullyConnectedReference.Run(rows, _k, _outChannels, x, _xZeroPoint, context.Input<sbyte>(1),
            HasInput(2) ? context.Input<int>(2) : default, _output!, y);
    }
}
