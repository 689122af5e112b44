using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary>
/// <see cref="OpCode.Unary"/> on int8 data as a lookup table: input 1 is a constant Int8 [256] table built by the
/// quantizer, quantized like the output, and y = table[x + 128] (<see cref="Qs8LookupReference"/>). The
/// Activation param only records which function the table holds. The kernel of the session's path
/// (<see cref="Qs8LookupKernels"/>) is chosen at Prepare.
/// </summary>
public sealed class Qs8UnaryOperator : Operator
{
    private KernelPath _kernel;

    public Qs8UnaryOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ExpectInputs(2, 2);
        ExpectOutputs(1);
        TensorInfo x = InputInfo(0), table = InputInfo(1), y = OutputInfo(0);
        Qs8Params.PerTensor(Desc, x);
        var qy = Qs8Params.PerTensor(Desc, y);
        ExpectShape(y, x.Shape);
        if (table.Kind != TensorKind.Constant || table.Type != DataType.Int8 || table.Rank != 1 || table.Shape[0] != Qs8LookupReference.TableLength)
            throw Invalid($"lookup table '{table.Name}' must be a constant Int8 [{Qs8LookupReference.TableLength}], is {table.Kind} {table.Type} {ShapeMath.Text(table.Shape)}");
        var qt = Qs8Params.PerTensor(Desc, table);
        if (qt.Scale != qy.Scale || qt.ZeroPoint != qy.ZeroPoint)
            throw Invalid($"lookup table '{table.Name}' ({qt}) must be quantized like the output '{y.Name}' ({qy}); its entries are output values");
        _kernel = Qs8LookupKernels.Select(context.Path);
    }

    public override void Invoke(in RunContext context) =>
        Qs8LookupKernels.Run(_kernel, context.Input<sbyte>(0), context.Input<sbyte>(1), context.Output<sbyte>(0));

    /// <summary>Split by ranges of elements (whole 64-element blocks); a lookup done in place reads and writes the same
    /// positions.</summary>
    public override int Partitions(int threads)
    {
        long elements = OutputInfo(0).ElementCount;
        return RangeSplit.Parts(elements, threads, elements, ElementBlock);
    }

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        var y = context.Output<sbyte>(0);
        var (begin, end) = RangeSplit.Range(y.Length, part, parts, ElementBlock);
        Qs8LookupKernels.Run(_kernel, context.Input<sbyte>(0).Slice(begin, end - begin), context.Input<sbyte>(1), y.Slice(begin, end - begin));
    }

    private const int ElementBlock = 64;
}
