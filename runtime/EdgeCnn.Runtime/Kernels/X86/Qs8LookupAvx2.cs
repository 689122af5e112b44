using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// y = table[x + 128] (<see cref="Qs8LookupReference"/>) 32 bytes at a time. VPSHUFB looks up 16 entries and
/// gives 0 where an index has its top bit set, so the 256 entries are 16 blocks: for block k the index
/// i − 16k (wrapping) is pushed with an unsigned saturating add of 0x70 to 0x70..0x7F when it is in 0..15
/// (the low nibble picks the entry) and to ≥ 0x80 otherwise (zero), and the 16 partial results are OR-ed.
/// In-place safe: the overlapping last vector is computed from the input before the main loop overwrites it.
/// </summary>
public static class Qs8LookupAvx2
{
    public static void Run(ReadOnlySpan<sbyte> x, ReadOnlySpan<sbyte> table, Span<sbyte> y)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("Qs8LookupAvx2 needs AVX2");
        if (table.Length != Qs8LookupReference.TableLength) throw new ArgumentException($"the table has {table.Length} entries, {Qs8LookupReference.TableLength} expected", nameof(table));
        if (x.Length < y.Length) throw new ArgumentException($"input holds {x.Length} values, output {y.Length}", nameof(x));
        int length = y.Length;
        if (length < 32)
        {
            Qs8LookupReference.Run(x, table, y);
            return;
        }
        ref byte t = ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetReference(table));
        ref byte x0 = ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetReference(x));
        ref byte y0 = ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetReference(y));
        var last = Lookup(ref t, Vector256.LoadUnsafe(ref x0, (nuint)(length - 32)));
        for (int i = 0; i + 32 <= length; i += 32)
            Lookup(ref t, Vector256.LoadUnsafe(ref x0, (nuint)i)).StoreUnsafe(ref y0, (nuint)i);
        last.StoreUnsafe(ref y0, (nuint)(length - 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Lookup(ref byte table, Vector256<byte> codes)
    {
        var index = Avx2.Xor(codes, Vector256.Create((byte)0x80));
        var sixteen = Vector256.Create((byte)16);
        var push = Vector256.Create((byte)0x70);
        var result = Vector256<byte>.Zero;
        for (int k = 0; k < 16; k++)
        {
            var block = Vector256.Create(Vector128.LoadUnsafe(ref table, (nuint)(16 * k)));
            result = Avx2.Or(result, Avx2.Shuffle(block, Avx2.AddSaturate(index, push)));
            index = Avx2.Subtract(index, sixteen);
        }
        return result;
    }
}
