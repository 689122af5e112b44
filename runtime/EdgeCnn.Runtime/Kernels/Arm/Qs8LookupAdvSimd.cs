using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels.Arm;

/// <summary>
/// y = table[x + 128] (<see cref="Qs8LookupReference"/>) 16 bytes at a time: the 256 entries sit in 16 registers,
/// one TBL over the first 64 and three TBX over the next (TBX leaves lanes whose index is out of its 64-entry
/// range unchanged; the wrapped index i − 64k is out of range everywhere but in block k). Also the AdvSimdDp
/// kernel: SDOT has nothing to add to a lookup. In-place safe: the overlapping last vector is computed before
/// the main loop overwrites the input.
/// </summary>
public static class Qs8LookupAdvSimd
{
    public static void Run(ReadOnlySpan<sbyte> x, ReadOnlySpan<sbyte> table, Span<sbyte> y)
    {
        if (!AdvSimd.Arm64.IsSupported) throw new PlatformNotSupportedException("Qs8LookupAdvSimd needs ARM64 AdvSimd");
        if (table.Length != Qs8LookupReference.TableLength) throw new ArgumentException($"the table has {table.Length} entries, {Qs8LookupReference.TableLength} expected", nameof(table));
        if (x.Length < y.Length) throw new ArgumentException($"input holds {x.Length} values, output {y.Length}", nameof(x));
        int length = y.Length;
        if (length < 16)
        {
            Qs8LookupReference.Run(x, table, y);
            return;
        }
        ref byte t = ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetReference(table));
        var q0 = (L(ref t, 0), L(ref t, 1), L(ref t, 2), L(ref t, 3));
        var q1 = (L(ref t, 4), L(ref t, 5), L(ref t, 6), L(ref t, 7));
        var q2 = (L(ref t, 8), L(ref t, 9), L(ref t, 10), L(ref t, 11));
        var q3 = (L(ref t, 12), L(ref t, 13), L(ref t, 14), L(ref t, 15));
        var bias = Vector128.Create((byte)0x80);
        var step = Vector128.Create((byte)64);
        ref byte x0 = ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetReference(x));
        ref byte y0 = ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetReference(y));

        var lastIndex = AdvSimd.Xor(Vector128.LoadUnsafe(ref x0, (nuint)(length - 16)), bias);
        var last = Lookup(q0, q1, q2, q3, lastIndex, step);
        for (int i = 0; i + 16 <= length; i += 16)
        {
            var index = AdvSimd.Xor(Vector128.LoadUnsafe(ref x0, (nuint)i), bias);
            Lookup(q0, q1, q2, q3, index, step).StoreUnsafe(ref y0, (nuint)i);
        }
        last.StoreUnsafe(ref y0, (nuint)(length - 16));
    }

    private static Vector128<byte> L(ref byte table, int block) => Vector128.LoadUnsafe(ref table, (nuint)(16 * block));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Lookup(
        (Vector128<byte>, Vector128<byte>, Vector128<byte>, Vector128<byte>) q0,
        (Vector128<byte>, Vector128<byte>, Vector128<byte>, Vector128<byte>) q1,
        (Vector128<byte>, Vector128<byte>, Vector128<byte>, Vector128<byte>) q2,
        (Vector128<byte>, Vector128<byte>, Vector128<byte>, Vector128<byte>) q3,
        Vector128<byte> index, Vector128<byte> step)
    {
        var r = AdvSimd.Arm64.VectorTableLookup(q0, index);
        index = AdvSimd.Subtract(index, step);
        r = AdvSimd.Arm64.VectorTableLookupExtension(r, q1, index);
        index = AdvSimd.Subtract(index, step);
        r = AdvSimd.Arm64.VectorTableLookupExtension(r, q2, index);
        index = AdvSimd.Subtract(index, step);
        return AdvSimd.Arm64.VectorTableLookupExtension(r, q3, index);
    }
}
