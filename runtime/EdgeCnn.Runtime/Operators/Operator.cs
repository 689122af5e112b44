using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>
/// One op of a session. <see cref="Prepare"/> runs once when the session is created: it checks the
/// params against the tensor shapes (throwing <see cref="ModelFormatException"/> that names the op),
/// precomputes everything it can and asks for scratch memory. <see cref="Invoke"/> only reads what
/// Prepare stored and must not allocate.
/// </summary>
public abstract class Operator
{
    protected Operator(OpDesc desc, CompiledModel model)
    {
        Desc = desc;
        Model = model;
    }

    public OpDesc Desc { get; }
    protected CompiledModel Model { get; }

    protected TensorInfo InputInfo(int i) => Model.Tensors[Desc.Inputs[i]];
    protected TensorInfo OutputInfo(int i) => Model.Tensors[Desc.Outputs[i]];
    protected bool HasInput(int i) => i < Desc.Inputs.Length && Desc.Inputs[i] >= 0;
    protected OpParams Params => Desc.Params;

    /// <summary>Typed access to this op's params; its errors name the op and the key.</summary>
    private protected ParamReader Read => new(Desc);

    public abstract void Prepare(PrepareContext context);

    public abstract void Invoke(in RunContext context);

    /// <summary>Into how many independent parts <see cref="InvokePartition"/> splits this op for a session with
    /// <paramref name="threads"/> threads (asked once, at session creation). The default, 1, keeps the op whole.</summary>
    public virtual int Partitions(int threads) => 1;

    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> (the count <see cref="Partitions"/>
    /// returned), possibly at the same time as the other parts on other threads. Parts write disjoint output
    /// elements and each sees its own scratch; together they write the bytes of one <see cref="Invoke"/>.</summary>
    public virtual void InvokePartition(in RunContext context, int part, int parts)
    {
        if (parts != 1) throw new InvalidOperationException($"op '{Desc.Name}' ({Desc.Code}) runs whole; it was asked for part {part} of {parts}");
        Invoke(in context);
    }

    /// <summary>An exception for a params/shape inconsistency that names this op.</summary>
    protected ModelFormatException Invalid(string what) =>
        new($"op '{Desc.Name}' ({Desc.Code}): {what}");

    protected void ExpectInputs(int min, int max)
    {
        if (Desc.Inputs.Length < min || Desc.Inputs.Length > max)
            throw Invalid($"expects {min}..{max} inputs, has {Desc.Inputs.Length}");
        for (int i = 0; i < min; i++)
            if (Desc.Inputs[i] < 0) throw Invalid($"required input {i} is missing");
    }

    protected void ExpectOutputs(int count)
    {
        if (Desc.Outputs.Length != count) throw Invalid($"expects {count} outputs, has {Desc.Outputs.Length}");
    }

    /// <summary>For the many ops with exactly one input X and one output Y.</summary>
    protected (TensorInfo X, TensorInfo Y) ExpectOneInputOneOutput()
    {
        ExpectInputs(1, 1);
        ExpectOutputs(1);
        return (InputInfo(0), OutputInfo(0));
    }

    protected void ExpectRank(TensorInfo t, int rank)
    {
        if (t.Rank != rank) throw Invalid($"tensor '{t.Name}' must have rank {rank}, has [{string.Join(',', t.Shape)}]");
    }

    protected void ExpectFloat(TensorInfo t)
    {
        if (t.Type != DataType.Float32) throw Invalid($"tensor '{t.Name}' must be Float32, is {t.Type}");
    }

    protected void ExpectType(TensorInfo t, DataType type)
    {
        if (t.Type != type) throw Invalid($"tensor '{t.Name}' must be {type}, is {t.Type}");
    }

    /// <summary>For ops that only move elements (copies, permutations, pads): input and output are both
    /// Float32, or both Int8 with the same per-tensor quantization, so the bytes carry over unchanged.
    /// Returns the element size in bytes.</summary>
    protected int ExpectMovableElements(TensorInfo x, TensorInfo y)
    {
        if (x.Type == DataType.Float32 && y.Type == DataType.Float32) return sizeof(float);
        if (x.Type != DataType.Int8 || y.Type != DataType.Int8)
            throw Invalid($"tensors '{x.Name}' ({x.Type}) and '{y.Name}' ({y.Type}) must both be Float32 or both Int8");
        if (x.Quant is not { IsPerTensor: true } qx || y.Quant is not { IsPerTensor: true } qy)
            throw Invalid($"Int8 tensors '{x.Name}' and '{y.Name}' need per-tensor quantization");
        if (qx.Scale != qy.Scale || qx.ZeroPoint != qy.ZeroPoint)
            throw Invalid($"Int8 tensors '{x.Name}' ({qx}) and '{y.Name}' ({qy}) must have the same quantization; this op moves values without rescaling them");
        return sizeof(sbyte);
    }

    protected void ExpectShape(TensorInfo t, params int[] shape)
    {
        if (!t.Shape.AsSpan().SequenceEqual(shape))
            throw Invalid($"tensor '{t.Name}' has shape [{string.Join(',', t.Shape)}], expected [{string.Join(',', shape)}]");
    }
}
