using EdgeCnn.Runtime.Kernels.Arm;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// The int8 lookup-table kernel for each path. There is no Vector128 kernel: a portable 256-entry lookup is 16
/// Vector128.Shuffle calls per vector, each several instructions on x86 without a native 16-byte shuffle with
/// zeroing, which loses to the scalar loop; Vector128 runs the reference. AdvSimdDp runs the AdvSimd kernel.
/// </summary>
public static class Qs8LookupKernels
{
    public static KernelPath Select(KernelPath requested) => requested switch
    {
        KernelPath.Avx2 => KernelPath.Avx2,
        KernelPath.AdvSimd or KernelPath.AdvSimdDp => KernelPath.AdvSimd,
        _ => KernelPath.Reference,
    };

    public static void Run(KernelPath selected, ReadOnlySpan<sbyte> x, ReadOnlySpan<sbyte> table, Span<sbyte> y)
    {
        switch (selected)
        {
            case KernelPath.Avx2: Qs8LookupAvx2.Run(x, table, y); break;
            case KernelPath.AdvSimd: Qs8LookupAdvSimd.Run(x, table, y); break;
            default: Qs8LookupReference.Run(x, table, y); break;
        }
    }
}
