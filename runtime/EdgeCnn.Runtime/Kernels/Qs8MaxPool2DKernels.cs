using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>The int8 max pool kernel for each path. ARM64 runs the Vector128 kernel: its Vector128.Max is SMAX
/// already, an AdvSimd-specific copy would emit the same instructions.</summary>
public static class Qs8MaxPool2DKernels
{
    /// <summary>The path whose kernel runs when <paramref name="requested"/> is asked for.</summary>
    public static KernelPath Select(KernelPath requested) => requested switch
    {
        KernelPath.Avx2 => KernelPath.Avx2,
        KernelPath.Vector128 or KernelPath.AdvSimd or KernelPath.AdvSimdDp => KernelPath.Vector128,
        _ => KernelPath.Reference,
    };

    /// <summary>Runs the kernel of a path returned by <see cref="Select"/>.</summary>
    public static void Run(KernelPath selected, in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, Span<sbyte> y)
    {
        switch (selected)
        {
            case KernelPath.Avx2: Qs8MaxPool2DAvx2.Run(g, x, y); break;
            case KernelPath.Vector128: Qs8MaxPool2DVector128.Run(g, x, y); break;
            default: MaxPool2DReference.Run(g, x, y); break;
        }
    }
}
