using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary>
/// Output channels [<see cref="Begin"/>, Begin + <see cref="Count"/>) of a one-row int8 fully connected layer split for
/// threads: their own output stage (the layer's multipliers and shifts of those channels) and, on a vector path, their
/// weights packed as a GEMM of their own. Built once at session creation.
/// </summary>
internal sealed class Qs8FullyConnectedChannels
{
    private Qs8FullyConnectedChannels(int begin, int count, Qs8Requantization output, Qs8GemmWeights? gemm)
    {
        Begin = begin;
        Count = count;
        Output = output;
        Gemm = gemm;
    }

    public int Begin { get; }
    public int Count { get; }
    public Qs8Requantization Output { get; }

    /// <summary>Null on the reference path.</summary>
    public Qs8GemmWeights? Gemm { get; }

    /// <param name="path">The vector path the layer's weights were packed for, or null for the reference path.</param>
    /// <param name="weights">The layer's W[Cout, depth] as bytes; <paramref name="bias"/> its B[Cout] int32 as bytes, or empty.</param>
    public static Qs8FullyConnectedChannels Create(KernelPath? path, ReadOnlySpan<byte> weights, ReadOnlySpan<byte> bias, int depth,
        int begin, int end, int xZeroPoint, Qs8Requantization layer)
    {
        int count = end - begin;
        var output = new Qs8Requantization(layer.Multipliers[begin..end], layer.Shifts[begin..end], layer.ZeroPoint, layer.Min, layer.Max);
        Qs8GemmWeights? gemm = null;
        if (path is { } p)
        {
            var w = MemoryMarshal.Cast<byte, sbyte>(weights).Slice(begin * depth, count * depth);
            var b = bias.IsEmpty ? default : MemoryMarshal.Cast<byte, int>(bias).Slice(begin, count);
            gemm = Qs8GemmWeights.Pack(p, w, b, 1, count, depth, xZeroPoint, output);
        }
        return new Qs8FullyConnectedChannels(begin, count, output, gemm);
    }
}
