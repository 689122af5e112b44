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

    public abstract void Prepare(PrepareContext context);

    public abstract void Invoke(in RunContext context);

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

    protected void ExpectRank(TensorInfo t, int rank)
    {
        if (t.Rank != rank) throw Invalid($"tensor '{t.Name}' must have rank {rank}, has [{string.Join(',', t.Shape)}]");
    }

    protected void ExpectFloat(TensorInfo t)
    {
        if (t.Type != DataType.Float32) throw Invalid($"tensor '{t.Name}' must be Float32, is {t.Type}");
    }

    protected void ExpectShape(TensorInfo t, params int[] shape)
    {
        if (!t.Shape.AsSpan().SequenceEqual(shape))
            throw Invalid($"tensor '{t.Name}' has shape [{string.Join(',', t.Shape)}], expected [{string.Join(',', shape)}]");
    }
}
