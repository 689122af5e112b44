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
}
