using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary><see cref="OpCode.AveragePool2D"/>: NHWC mean over a Kernel window; CountIncludePad chooses the divisor.</summary>
public sealed class AveragePool2DOperator : Window2DOperator
{
    private Spatial2DGeometry _geometry;
    private bool _countIncludePad;

    public AveragePool2DOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        _geometry = ReadPoolGeometry();
        _countIncludePad = Read.Flag(ParamKey.CountIncludePad, false);
    }

    public override void Invoke(in RunContext context) =>
        F32AveragePool2DReference.Run(_geometry, _countIncludePad, context.Input(0), context.Output(0));

    /// <summary>Split by output rows (<see cref="Spatial2DRowSlices"/>): each output sums the same taps in the same
    /// order and divides by the same count as in the whole op, so the floats are identical.</summary>
    public override int Partitions(int threads) => Spatial2DRowSlices.Parts(_geometry, threads,
        (long)_geometry.Batch * _geometry.OutHeight * _geometry.OutWidth * _geometry.OutChannels * _geometry.KernelHeight * _geometry.KernelWidth);

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        var x = context.Input(0);
        var y = context.Output(0);
        var (begin, end) = Spatial2DRowSlices.PartRows(_geometry, part, parts);
        while (begin < end)
        {
            var slice = Spatial2DRowSlices.Slice(_geometry, begin, end);
            var g = slice.Geometry;
            F32AveragePool2DReference.Run(g, _countIncludePad, x.Slice(slice.InputStart, g.InputLength), y.Slice(slice.OutputStart, g.OutputLength));
            begin += g.OutHeight;
        }
    }
}
