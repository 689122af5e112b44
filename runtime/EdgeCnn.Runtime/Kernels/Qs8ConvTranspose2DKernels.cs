using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>The int8 transposed convolution kernel for each path: Avx2, or Vector128 for the portable and the ARM64
/// paths (the int16 multiply and widening adds are the AdvSimd instructions an ARM-specific copy would use); the
/// reference path runs Qs8ConvTranspose2DReference. Ops whose taps tile the output run as GEMMs of the session's path
/// (<see cref="Qs8ConvTranspose2DTiled"/>).</summary>
public static class Qs8ConvTranspose2DKernels
{
    public static KernelPath Select(KernelPath requested) => requested switch
    {
        KernelPath.Avx2 => KernelPath.Avx2,
        KernelPath.Vector128 or KernelPath.AdvSimd or KernelPath.AdvSimdDp => KernelPath.Vector128,
        _ => KernelPath.Reference,
    };

    /// <summary>Output rows [<paramref name="rowBegin"/>, <paramref name="rowEnd"/>), counted over all images, with the
    /// kernel the weights were packed for.</summary>
    public static void Run(Qs8ConvTranspose2DPacked packed, ReadOnlySpan<sbyte> x, Span<sbyte> y, Span<byte> scratch, int rowBegin, int rowEnd)
    {
        if (packed.TileGemms is { } tiles) Qs8ConvTranspose2DTiled.Run(tiles, packed.Geometry, x, y, scratch, rowBegin, rowEnd);
        else if (packed.Path == KernelPath.Avx2) Qs8ConvTranspose2DAvx2.Run(packed, x, y, scratch, rowBegin, rowEnd);
        else Qs8ConvTranspose2DVector128.Run(packed, x, y, scratch, rowBegin, rowEnd);
    }
}
