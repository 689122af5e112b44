using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Model;

/// <summary>
/// A model ready for the runtime: tensor table, ops in execution order, graph inputs/outputs and the
/// weight blob. Produced by <c>ModelReader</c> from an .ecnn file, or directly by the compiler.
/// Construction validates everything an op or the session relies on, so a session never indexes out of range.
/// </summary>
public sealed class CompiledModel
{
    public CompiledModel(TensorInfo[] tensors, OpDesc[] ops, int[] inputs, int[] outputs, ReadOnlyMemory<byte> weights)
    {
        Tensors = tensors;
        Ops = ops;
        Inputs = inputs;
        Outputs = outputs;
        Weights = weights;
        Validate();
    }

    public TensorInfo[] Tensors { get; }
    public OpDesc[] Ops { get; }
    public int[] Inputs { get; }
    public int[] Outputs { get; }
    /// <summary>All constant data; each constant tensor is a slice at its 16-byte aligned offset.</summary>
    public ReadOnlyMemory<byte> Weights { get; }

    public TensorInfo InputInfo(int i) => Tensors[Inputs[i]];
    public TensorInfo OutputInfo(int i) => Tensors[Outputs[i]];

    public ReadOnlyMemory<byte> ConstantBytes(int tensor)
    {
        var t = Tensors[tensor];
        if (t.Kind != TensorKind.Constant) throw new ModelFormatException($"tensor '{t.Name}' is not a constant");
        return Weights.Slice((int)t.ConstantOffset, (int)t.ByteLength);
    }

    public ReadOnlySpan<float> ConstantFloats(int tensor)
    {
        var t = Tensors[tensor];
        if (t.Type != DataType.Float32) throw new ModelFormatException($"constant '{t.Name}' is {t.Type}, expected Float32");
        return MemoryMarshal.Cast<byte, float>(ConstantBytes(tensor).Span);
    }

    private void Validate()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Tensors.Length; i++)
        {
            var t = Tensors[i] ?? throw new ModelFormatException($"tensor {i} is missing");
            if (!DataTypeExtensions.IsDefined(t.Type)) throw new ModelFormatException($"tensor '{t.Name}' has unknown data type {(int)t.Type}");
            if (t.Rank > 8) throw new ModelFormatException($"tensor '{t.Name}' has rank {t.Rank}; at most 8 is supported");
            foreach (var d in t.Shape)
                if (d < 0) throw new ModelFormatException($"tensor '{t.Name}' has a negative dimension");
            if (t.ByteLength > int.MaxValue) throw new ModelFormatException($"tensor '{t.Name}' is larger than 2 GiB");
            if (t.Kind == TensorKind.Constant)
            {
                if (t.ConstantOffset < 0 || t.ConstantOffset % 16 != 0 || t.ConstantOffset + t.ByteLength > Weights.Length)
                    throw new ModelFormatException($"constant '{t.Name}' at offset {t.ConstantOffset} (+{t.ByteLength} bytes) lies outside the {Weights.Length}-byte weight blob or is not 16-byte aligned");
            }
            else if (!Enum.IsDefined(t.Kind))
            {
                throw new ModelFormatException($"tensor '{t.Name}' has unknown kind {(int)t.Kind}");
            }
            names.Add(t.Name);
        }

        var produced = new bool[Tensors.Length];
        foreach (var i in Inputs)
        {
            CheckIndex(i, "graph input");
            if (Tensors[i].Kind != TensorKind.Input) throw new ModelFormatException($"graph input '{Tensors[i].Name}' is not marked as an input tensor");
            produced[i] = true;
        }
        for (int i = 0; i < Tensors.Length; i++)
            if (Tensors[i].Kind == TensorKind.Constant) produced[i] = true;

        foreach (var op in Ops)
        {
            if (op is null) throw new ModelFormatException("an op is missing");
            if (!Enum.IsDefined(op.Code)) throw new ModelFormatException($"op '{op.Name}' has unknown op code {(int)op.Code}");
            foreach (var i in op.Inputs)
            {
                if (i == -1) continue;
                CheckIndex(i, $"input of op '{op.Name}'");
                if (!produced[i]) throw new ModelFormatException($"op '{op.Name}' ({op.Code}) reads tensor '{Tensors[i].Name}' before anything produces it");
            }
            foreach (var o in op.Outputs)
            {
                CheckIndex(o, $"output of op '{op.Name}'");
                if (produced[o]) throw new ModelFormatException($"op '{op.Name}' ({op.Code}) writes tensor '{Tensors[o].Name}', which is already produced");
                if (Tensors[o].Kind != TensorKind.Activation) throw new ModelFormatException($"op '{op.Name}' writes '{Tensors[o].Name}', which is not an activation tensor");
                produced[o] = true;
            }
        }
        foreach (var o in Outputs)
        {
            CheckIndex(o, "graph output");
            if (!produced[o]) throw new ModelFormatException($"graph output '{Tensors[o].Name}' is never produced");
        }
    }

    private void CheckIndex(int index, string what)
    {
        if ((uint)index >= (uint)Tensors.Length)
            throw new ModelFormatException($"{what} refers to tensor {index}, but the model has {Tensors.Length} tensors");
    }
}
