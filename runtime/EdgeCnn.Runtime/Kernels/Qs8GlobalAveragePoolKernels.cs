using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>The int8 global average pool kernel for each path. ARM64 runs the Vector128 kernel (its widening
/// adds are the AdvSimd instructions an ARM-specific copy would use).</summary>
public static class Qs8GlobalAveragePoolKernels
{
    public static KernelPath Select(KernelPath requested) => requested switch
    {
        KernelPath.Avx2 => KernelPath.Avx2,
        KernelPath.Vector128 or KernelPath.AdvSimd or KernelPath.AdvSimdDp => KernelPath.Vector128,
        _ => KernelPath.Reference,
    };

    public static void Run(KernelPath selected, int batch, int pixels, int channels, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y) =>
        Run(selected, batch, pixels, channels, zeroPoint, x, y, 0, channels);

    /// <summary>Only channels [<paramref name="channelBegin"/>, <paramref name="channelEnd"/>): one part of an op split
    /// by channel blocks for threads.</summary>
    public static void Run(KernelPath selected, int batch, int pixels, int channels, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y,
        int channelBegin, int channelEnd)
    {
        switch (selected)
        {
            case KernelPath.Avx2: Qs8GlobalAveragePoolAvx2.Run(batch, pixels, channels, zeroPoint, x, y, channelBegin, channelEnd); break;
            case KernelPath.Vector128: Qs8GlobalAveragePoolVector128.Run(batch, pixels, channels, zeroPoint, x, y, channelBegin, channelEnd); break;
            default: Qs8GlobalAveragePoolReference.Run(batch, pixels, channels, zeroPoint, x, y, channelBegin, channelEnd); break;
        }
    }
}
