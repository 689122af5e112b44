using EdgeCnn.Runtime.Kernels.Arm;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// The int8 GEMM kernels behind one call: Y[row, c] = Apply(B'[c] + Σ_k A[row,k]·W[c,k]) for the rows of A and the
/// output channels of one group, with the kernel of the path the weights were packed for. Every path gives the
/// bytes of the reference convolution / fully connected layer.
/// </summary>
public static class Qs8Gemm
{
    /// <summary>Scratch bytes <see cref="Run"/> needs for these weights.</summary>
    public static int ScratchBytes(Qs8GemmWeights weights) =>
        weights.Path == KernelPath.Avx2 ? Qs8GemmAvx2.ScratchBytes(weights) : 0;

    /// <param name="input">Row r at input[r·inputStride ..][..Depth].</param>
    /// <param name="output">Row r at output[r·outputStride ..][..GroupOutChannels], already offset to the group's first channel.</param>
    public static void Run(Qs8GemmWeights weights, int group, int rows, ReadOnlySpan<sbyte> input, int inputStride,
        Span<sbyte> output, int outputStride, Span<byte> scratch)
    {
        switch (weights.Path)
        {
            case KernelPath.AdvSimdDp:
                Qs8GemmAdvSimdDp.Run(weights, group, rows, input, inputStride, output, outputStride);
                break;
            case KernelPath.AdvSimd:
                Qs8GemmAdvSimd.Run(weights, group, rows, input, inputStride, output, outputStride);
                break;
            case KernelPath.Avx2:
                Qs8GemmAvx2.Run(weights, group, rows, input, inputStride, output, outputStride, scratch);
                break;
            default:
                Qs8GemmVector128.Run(weights, group, rows, input, inputStride, output, outputStride);
                break;
        }
    }
}
