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

    public override void Invoke(in RunContext context) => RunRows(in context, 0, _m);

    /// <summary>Split by rows of X (several rows only: one row's output channels share the packed weights' tiles).</summary>
    public override int Partitions(int threads)
    {
        long macs = (long)_m * _k * _outChannels;
        return (int)Math.Max(1, Math.Min(Math.Min(threads, _m), macs / Spatial2DRowSlices.MinMacsPerPart));
    }

    public override void InvokePartition(in RunContext context, int part, int parts) =>
        RunRows(in context, (int)((long)_m * part / parts), (int)((long)_m * (part + 1) / parts));

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
