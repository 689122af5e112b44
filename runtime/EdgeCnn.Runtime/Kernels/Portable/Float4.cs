using System.Numerics;
using System.Runtime.CompilerServices;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>Loads and stores for the kernels that carry four output channels in one <see cref="Vector4"/>.</summary>
internal static class Float4
{
    /// <summary>Bounds-checked: only short per-channel vectors such as a bias are read this way, once per block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector4 Load(ReadOnlySpan<float> values, int index) =>
        new(values[index], values[index + 1], values[index + 2], values[index + 3]);

    /// <summary>Unchecked: the callers have derived <paramref name="index"/> from a geometry the operator checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ref float origin, int index, Vector4 value) =>
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref origin, index)), value);
}
