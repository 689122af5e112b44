using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>The int8 average pool kernel for each path. ARM64 runs the Vector128 kernel (its widening adds are the
/// AdvSimd instructions an ARM-specific copy would use); windows of more than <see cref="Qs8AveragePoolWalk.MaxTaps"/>
/// taps run the reference.</summary>
public static class Qs8AveragePool2DKernels
{
    public static KernelPath Select(KernelPath requested, in Spatial2DGeometry g) =>
        g.KernelHeight * g.KernelWidth > Qs8AveragePoolWalk.MaxTaps ? KernelPath.Reference
        : requested switch
        {
            KernelPath.Avx2 => KernelPath.Avx2,
            KernelPath.Vector128 or KernelPath.AdvSimd or KernelPath.AdvSimdDp => KernelPath.Vector128,
            _ => KernelPath.Reference,
        };

    public static void Run(KernelPath selected, in Spatial2DGeometry g, bool countIncludePad, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y)
    {
        switch (selected)
        {
            case KernelPath.Avx2: Qs8AveragePool2DAvx2.Run(g, countIncludePad, zeroPoint, x, y); break;
            case KernelPath.Vector128: Qs8AveragePool2DVector128.Run(g, countIncludePad, zeroPoint, x, y); break;
            default: Qs8AveragePool2DReference.Run(g, countIncludePad, zeroPoint, x, y); break;
        }
    }
}
