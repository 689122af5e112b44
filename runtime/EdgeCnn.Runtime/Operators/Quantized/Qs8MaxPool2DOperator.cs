using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary><see cref="OpCode.MaxPool2D"/> on int8 data with the same quantization in and out; the kernel of the
/// session's path (<see cref="Qs8MaxPool2DKernels"/>) is chosen at Prepare.</summary>
public sealed class Qs8MaxPool2DOperator : Window2DOperator
{
    private Spatial2DGeometry _geometry;
    private KernelPath _kernel;

    public Qs8MaxPool2DOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        _geometry = ReadPoolGeometry(DataType.Int8);
        Qs8Params.ExpectSameQuant(Desc, InputInfo(0), OutputInfo(0));
        _kernel = Qs8MaxPool2DKernels.Select(context.Path);
    }

    public override void Invoke(in RunContext context) =>
        Qs8MaxPool2DKernels.Run(_kernel, _geometry, context.Input<sbyte>(0), context.Output<sbyte>(0));

    /// <summary>Split by output rows (<see cref="Spatial2DRowSlices"/>): a maximum only looks at the taps inside the
    /// input, which a row slice keeps.</summary>
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
            Qs8MaxPool2DKernels.Run(_kernel, g, x.Slice(slice.InputStart, g.InputLength), y.Slice(slice.OutputStart, g.OutputLength));
            begin += g.OutHeight;
        }
    }
}
