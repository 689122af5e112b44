namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// A family of kernel implementations, chosen once per session. Every path computes the same bytes for int8
/// ops as <see cref="Reference"/> (the definition); float32 paths agree within rounding.
/// Ordered from the most portable to the most specific.
/// </summary>
public enum KernelPath
{
    /// <summary>The scalar reference kernels (Kernels/Reference): the semantics, clear rather than fast.</summary>
    Reference = 0,

    /// <summary>Cross-platform System.Runtime.Intrinsics.Vector128 code (one source for NEON and SSE).</summary>
    Vector128 = 1,

    /// <summary>x86-64 AVX2 (System.Runtime.Intrinsics.X86.Avx2).</summary>
    Avx2 = 2,

    /// <summary>ARM64 AdvSimd without the dot product: SMULL/SMLAL/SADALP (Cortex-A72, Raspberry Pi 4, Jetson Nano).</summary>
    AdvSimd = 3,

    /// <summary>ARM64 AdvSimd with the SDOT dot product (Cortex-A76, Raspberry Pi 5, Jetson Orin).</summary>
    AdvSimdDp = 4,
}
