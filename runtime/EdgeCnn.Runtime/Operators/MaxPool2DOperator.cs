using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary><see cref="OpCode.MaxPool2D"/>: NHWC max over a Kernel window with strides, dilations and pads.</summary>
public sealed class MaxPool2DOperator : Window2DOperator
{
    private Spatial2DGeometry _geometry;

    public MaxPool2DOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context) => _geometry = ReadPoolGeometry();

    public override void Invoke(in RunContext context) =>
        MaxPool2DReference.Run(_geometry, context.Input(0), context.Output(0));
}
