using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Memory;

namespace EdgeCnn.Runtime.Model;

/// <summary>
/// A model ready for the runtime: tensor table, ops in execution order, graph inputs/outputs and the
/// weight blob. Produced by <c>ModelReader</c> from an .ecnn file, or directly by the compiler.
/// Construction validates everything an op or the session relies on, so a session never indexes out of range.
/// A model loaded with <c>ModelReader.Load(path, mapped: true)</c> reads its weights from a memory-mapped file:
/// <see cref="Dispose"/> unmaps it, after which sessions of the model throw <see cref="ObjectDisposedException"/>.
/// Disposing any other model does nothing.
/// </summary>
public sealed class CompiledModel : IDisposable
{
    private readonly MemoryPlan? _plan;

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

    /// <summary>The memory plan stored with the model (the .ecnn Plan section), or null. Checked against the
    /// model by <see cref="MemoryPlanValidator"/> when set, so a session can use it as it is.</summary>
    public MemoryPlan? Plan
    {
        get => _plan;
        init
        {
            if (value is not null) MemoryPlanValidator.Validate(this, value);
            _plan = value;
        }
    }

    /// <summary>What <see cref="Dispose"/> releases: the file mapping behind <see cref="Weights"/>, if any.</summary>
    internal IDisposable? WeightsOwner { get; init; }

    /// <summary>Releases the file mapping of a memory-mapped model; sessions must not run it afterwards.</summary>
    public void Dispose() => WeightsOwner?.Dispose();

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
            ValidateQuant(t);
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

    /// <summary>Int8 tensors must carry quantization params; Int32 tensors (biases) may; no other type does.
    /// The params must describe the tensor: positive finite scales, zero points the type can hold, and one
    /// scale per index of a valid channel axis.</summary>
    private static void ValidateQuant(TensorInfo t)
    {
        var q = t.Quant;
        if (q is null)
        {
            if (t.Type == DataType.Int8) throw new ModelFormatException($"tensor '{t.Name}' is Int8 but has no quantization parameters");
            return;
        }
        if (t.Type is not (DataType.Int8 or DataType.Int32))
            throw new ModelFormatException($"tensor '{t.Name}' is {t.Type} but carries quantization parameters (only Int8 and Int32 tensors are quantized)");
        if (q.Scales is null || q.ZeroPoints is null || q.Scales.Length == 0)
            throw new ModelFormatException($"tensor '{t.Name}': quantization parameters have no scales or zero points");
        if (q.ZeroPoints.Length != q.Scales.Length)
            throw new ModelFormatException($"tensor '{t.Name}': quantization has {q.Scales.Length} scales but {q.ZeroPoints.Length} zero points");
        if (q.Axis == -1)
        {
            if (q.Scales.Length != 1)
                throw new ModelFormatException($"tensor '{t.Name}': per-tensor quantization (axis -1) has {q.Scales.Length} scales, needs 1");
        }
        else if (q.Axis < 0 || q.Axis >= t.Rank)
        {
            throw new ModelFormatException($"tensor '{t.Name}': quantization axis {q.Axis} is outside its rank {t.Rank} (-1 = per tensor)");
        }
        else if (q.Scales.Length != t.Shape[q.Axis])
        {
            throw new ModelFormatException($"tensor '{t.Name}': per-channel quantization along axis {q.Axis} has {q.Scales.Length} scales, the axis has {t.Shape[q.Axis]} channels");
        }
        for (int c = 0; c < q.Scales.Length; c++)
        {
            if (!float.IsFinite(q.Scales[c]) || q.Scales[c] <= 0)
                throw new ModelFormatException($"tensor '{t.Name}': quantization scale {c} is {q.Scales[c]}; scales must be finite and positive");
            if (t.Type == DataType.Int8 && q.ZeroPoints[c] is < sbyte.MinValue or > sbyte.MaxValue)
                throw new ModelFormatException($"tensor '{t.Name}': zero point {c} is {q.ZeroPoints[c]}, outside the Int8 range -128..127");
        }
    }

    private void CheckIndex(int index, string what)
    {
        if ((uint)index >= (uint)Tensors.Length)
            throw new ModelFormatException($"{what} refers to tensor {index}, but the model has {Tensors.Length} tensors");
    }
}
