using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>
/// The data an op sees while it runs: spans over the arena (activations) and the weight blob
/// (constants). Built by the session for every op; costs no allocation.
/// </summary>
public readonly ref struct RunContext
{
    private readonly Span<byte> _arena;
    private readonly ReadOnlySpan<byte> _weights;
    private readonly ReadOnlySpan<long> _offsets;
    private readonly CompiledModel _model;
    private readonly OpDesc _op;
    private readonly int _scratchOffset;
    private readonly int _scratchBytes;

    internal RunContext(Span<byte> arena, ReadOnlySpan<byte> weights, ReadOnlySpan<long> offsets, CompiledModel model,
        OpDesc op, int scratchOffset, int scratchBytes)
    {
        _arena = arena;
        _weights = weights;
        _offsets = offsets;
        _model = model;
        _op = op;
        _scratchOffset = scratchOffset;
        _scratchBytes = scratchBytes;
    }

    public ReadOnlySpan<float> Input(int i) => MemoryMarshal.Cast<byte, float>(InputBytes(i));

    public Span<float> Output(int i) => MemoryMarshal.Cast<byte, float>(OutputBytes(i));

    /// <summary>Input i as elements of <typeparamref name="T"/> (sbyte for Int8, int for Int32 tensors).</summary>
    public ReadOnlySpan<T> Input<T>(int i) where T : unmanaged => MemoryMarshal.Cast<byte, T>(InputBytes(i));

    /// <summary>Output i as elements of <typeparamref name="T"/>.</summary>
    public Span<T> Output<T>(int i) where T : unmanaged => MemoryMarshal.Cast<byte, T>(OutputBytes(i));

    public ReadOnlySpan<byte> InputBytes(int i)
    {
        int t = _op.Inputs[i];
        var info = _model.Tensors[t];
        return info.Kind == TensorKind.Constant
            ? _weights.Slice((int)info.ConstantOffset, (int)info.ByteLength)
            : _arena.Slice((int)_offsets[t], (int)info.ByteLength);
    }

    public Span<byte> OutputBytes(int i)
    {
        int t = _op.Outputs[i];
        return _arena.Slice((int)_offsets[t], (int)_model.Tensors[t].ByteLength);
    }

    /// <summary>The scratch memory the op requested in Prepare.</summary>
    public Span<byte> Scratch => _arena.Slice(_scratchOffset, _scratchBytes);

    public Span<float> ScratchFloats => MemoryMarshal.Cast<byte, float>(Scratch);
}
