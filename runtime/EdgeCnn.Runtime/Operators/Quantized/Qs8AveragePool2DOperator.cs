using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary><see cref="OpCode.AveragePool2D"/> on int8 data with the same quantization in and out: a rounded
/// integer mean (<see cref="Qs8AveragePool2DReference"/>), CountIncludePad as the float op; the kernel of the
/// session's path (<see cref="Qs8AveragePool2DKernels"/>) is chosen at Prepare.</summary>
public sealed class Qs8AveragePool2DOperator : Window2DOperator
{
    private Spatial2DGeometry _geometry;
    private bool _countIncludePad;
    private int _zeroPoint;
    private KernelPath _kernel;

    public Qs8AveragePool2DOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        _geometry = ReadPoolGeometry(DataType.Int8);
        Qs8Params.ExpectSameQuant(Desc, InputInfo(0), OutputInfo(0));
        _countIncludePad = Read.Flag(ParamKey.CountIncludePad, false);
        _zeroPoint = InputInfo(0).Quant!.ZeroPoint;
        _kernel = Qs8AveragePool2DKernels.Select(context.Path, _geometry);
    }

    public override void Invoke(in RunContext context) =>
        Qs8AveragePool2DKernels.Run(_kernel, _geometry, _countIncludePad, _zeroPoint, context.Input<sbyte>(0), context.Output<sbyte>(0));

    /// <summary>Split by output rows (<see cref="Spatial2DRowSlices"/>): a slice keeps the taps and the padded extent
    /// its windows see, so both divisors (valid taps, or padded taps with CountIncludePad) are those of the whole op.</summary>
    public override int Partitions(int threads) => Spatial2DRowSlices.Parts(_geometry, threads,
        (long)_geometry.Batch * _geometry.OutHeight * _geometry.OutWidth * _geometry.OutChannels * _geometry.KernelHeight * _geometry.KernelWidth);

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        var x = context.Input<sbyte>(0);
        var y = context.Output<sbyte>(0);
        var (begin, end) = Spatial2DRowSlices.PartRows(_geometry, part, parts);
        while (begin < end)
        {
            var slice = Spatial2DRowSlices.Slice(_geometry, begin, end);
            var g = slice.Geometry;
            Qs8AveragePool2DKernels.Run(_kernel, g, _countIncludePad, _zeroPoint, x.Slice(slice.InputStart, g.InputLength), y.Slice(slice.OutputStart, g.OutputLength));
            begin += g.OutHeight;
        }
    }
}
