using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Copies the data into a tensor of another shape with the same element count (Reshape, Flatten,
/// Squeeze, Unsqueeze, Identity all lower to this). Float32, or Int8 with unchanged quantization.</summary>
public sealed class ReshapeOperator : Operator
{
    public ReshapeOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        ExpectMovableElements(x, y);
        if (x.ElementCount != y.ElementCount)
            throw Invalid($"input '{x.Name}' {ShapeMath.Text(x.Shape)} and output '{y.Name}' {ShapeMath.Text(y.Shape)} hold different element counts");
    }

    public override void Invoke(in RunContext context)
    {
        var x = context.InputBytes(0);
        var y = context.OutputBytes(0);
        // The memory plan makes the output an alias of the input (InPlaceRules); then there is nothing to move.
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y))) x.CopyTo(y);
    }
}
