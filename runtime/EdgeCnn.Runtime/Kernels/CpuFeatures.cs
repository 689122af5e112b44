using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// What the processor (as the JIT sees it: <c>DOTNET_EnableHWIntrinsic=0</c> turns everything off) can run,
/// captured once. Operators never query the ISA classes themselves; they switch on the session's
/// <see cref="KernelPath"/>, which this snapshot validated.
/// </summary>
public sealed record CpuFeatures(bool Vector128Accelerated, bool Avx2, bool AdvSimd, bool AdvSimdDp)
{
    /// <summary>The features of the machine this process runs on.</summary>
    public static CpuFeatures Current { get; } = new(
        Vector128.IsHardwareAccelerated,
        System.Runtime.Intrinsics.X86.Avx2.IsSupported,
        System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported,
        System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported && Dp.IsSupported);

    /// <summary>Whether kernels of <paramref name="path"/> can run here.</summary>
    public bool Supports(KernelPath path) => path switch
    {
        KernelPath.Reference => true,
        KernelPath.Vector128 => Vector128Accelerated,
        KernelPath.Avx2 => Avx2,
        KernelPath.AdvSimd => AdvSimd,
        KernelPath.AdvSimdDp => AdvSimdDp,
        _ => false,
    };

    /// <summary>The fastest path this machine supports: AdvSimdDp, AdvSimd, Avx2, Vector128, then Reference.</summary>
    public KernelPath Best =>
        AdvSimdDp ? KernelPath.AdvSimdDp
        : AdvSimd ? KernelPath.AdvSimd
        : Avx2 ? KernelPath.Avx2
        : Vector128Accelerated ? KernelPath.Vector128
        : KernelPath.Reference;

    /// <summary>Every path this machine supports, Reference first.</summary>
    public IReadOnlyList<KernelPath> SupportedPaths =>
        Enum.GetValues<KernelPath>().Where(Supports).ToArray();

    /// <summary>Resolves a requested path (null: the best one) or throws <see cref="NotSupportedException"/>
    /// naming the path and what the machine offers.</summary>
    public KernelPath Resolve(KernelPath? requested)
    {
        if (requested is null) return Best;
        if (!Supports(requested.Value))
            throw new NotSupportedException(
                $"kernel path {requested.Value} is not supported on this machine ({this}); supported: {string.Join(", ", SupportedPaths)}");
        return requested.Value;
    }

    public override string ToString() =>
        $"Vector128 {(Vector128Accelerated ? "accelerated" : "software")}, AVX2 {YesNo(Avx2)}, AdvSimd {YesNo(AdvSimd)}, SDOT {YesNo(AdvSimdDp)}";

    private static string YesNo(bool b) => b ? "yes" : "no";
}
