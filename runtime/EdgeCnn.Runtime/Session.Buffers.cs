using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime;

/// <summary>
/// Zero-copy access to the session's inputs and outputs: a caller (an image preprocessor, a camera loop) writes an
/// input straight into its place in the arena, calls <see cref="Run()"/>, and reads the outputs where the last ops
/// left them. The arena reuses an input's bytes once the ops that read it have run, so an input must be written
/// again before every <see cref="Run()"/>; an output span is valid until the next run.
/// </summary>
public sealed partial class Session
{
    /// <summary>Runs on the inputs written through <see cref="InputFloat"/> or <see cref="InputInt8"/>; read the
    /// results with <see cref="OutputFloat"/>.</summary>
    public void Run() => Execute();

    /// <summary>Copies float data into input <paramref name="index"/> for the next <see cref="Run()"/>; an Int8 input
    /// gets it quantized exactly as <see cref="Run(ReadOnlySpan{float}, Span{float})"/> quantizes it.</summary>
    public void WriteInput(int index, ReadOnlySpan<float> data)
    {
        if ((uint)index >= (uint)Model.Inputs.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the model has {Model.Inputs.Length} input(s)");
        SetInput(index, data);
    }

    /// <summary>The arena place of Float32 input <paramref name="index"/> (in <see cref="CompiledModel.Inputs"/> order).</summary>
    /// <exception cref="InvalidOperationException">The input is not Float32 (an int8-input model takes <see cref="InputInt8"/>).</exception>
    public Span<float> InputFloat(int index)
    {
        var (t, info) = InputOf(index, DataType.Float32, nameof(InputInt8));
        return MemoryMarshal.Cast<byte, float>(ArenaSpan(t, info));
    }

    /// <summary>The arena place of Int8 input <paramref name="index"/>; the codes written there are read with the
    /// input's quantization (<see cref="TensorInfo.Quant"/>).</summary>
    /// <exception cref="InvalidOperationException">The input is not Int8 (a float-input model takes <see cref="InputFloat"/>).</exception>
    public Span<sbyte> InputInt8(int index)
    {
        var (t, info) = InputOf(index, DataType.Int8, nameof(InputFloat));
        return MemoryMarshal.Cast<byte, sbyte>(ArenaSpan(t, info));
    }

    /// <summary>Float32 output <paramref name="index"/> as the last <see cref="Run()"/> left it (valid until the next run).</summary>
    public ReadOnlySpan<float> OutputFloat(int index)
    {
        if ((uint)index >= (uint)Model.Outputs.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the model has {Model.Outputs.Length} output(s)");
        int t = Model.Outputs[index];
        var info = Model.Tensors[t];
        if (info.Type != DataType.Float32)
            throw new InvalidOperationException($"output '{info.Name}' is {info.Type}, not Float32");
        var bytes = info.Kind == TensorKind.Constant ? Model.ConstantBytes(t).Span : ArenaSpan(t, info);
        return MemoryMarshal.Cast<byte, float>(bytes);
    }

    private (int Tensor, TensorInfo Info) InputOf(int index, DataType wanted, string other)
    {
        if ((uint)index >= (uint)Model.Inputs.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the model has {Model.Inputs.Length} input(s)");
        int t = Model.Inputs[index];
        var info = Model.Tensors[t];
        if (info.Type != wanted)
            throw new InvalidOperationException($"input '{info.Name}' is {info.Type}, not {wanted}; use {other}");
        return (t, info);
    }

    private Span<byte> ArenaSpan(int tensor, TensorInfo info) => _arena.AsSpan((int)_offsets[tensor], (int)info.ByteLength);

    /// <summary>Float data for an Int8 input is quantized exactly as a Quantize op at the graph's start would have
    /// done it, so a model whose input quantization was fused away gives the same outputs for the same floats.</summary>
    private static void QuantizeInput(TensorInfo info, ReadOnlySpan<float> data, Span<byte> destination)
    {
        var q = info.Quant;
        if (q is null || !q.IsPerTensor)
            throw new ArgumentException($"input '{info.Name}' is Int8 with {(q is null ? "no" : "per-channel")} quantization; float data can only be quantized per tensor (write codes through InputInt8)");
        Qs8QuantizeReference.Run(data, q.Scale, q.ZeroPoint, MemoryMarshal.Cast<byte, sbyte>(destination));
    }
}
