using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using static EdgeCnn.Runtime.Tests.Kernels.Int8KernelTestData;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>The int8 lookup-table kernels of every path against y = table[x + 128], every length from 0 to 100
/// and some longer, guard zones included, and in place (the memory planner lets Unary overwrite its input).</summary>
public sealed class Qs8LookupKernelTests
{
    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Lookup_matches_the_reference_for_every_length(KernelPath path)
    {
        RequireSupported(path);
        var selected = Qs8LookupKernels.Select(path);
        var rng = new Random(21);
        var table = Codes(rng, Qs8LookupReference.TableLength);
        foreach (int length in Enumerable.Range(0, 101).Concat([255, 256, 1000, 4099]))
        {
            var x = Codes(rng, length);
            var expected = GuardedOutput(length);
            var actual = GuardedOutput(length);
            Qs8LookupReference.Run(x, table, Body(expected));
            Qs8LookupKernels.Run(selected, x, table, Body(actual));
            SameBytes(expected, actual, $"{selected} lookup of {length} values");
        }
    }

    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Lookup_reads_every_table_entry_at_its_own_index(KernelPath path)
    {
        // The identity-plus-one table over all 256 codes: an entry fetched from the wrong block shows at once.
        RequireSupported(path);
        var table = Enumerable.Range(0, 256).Select(i => (sbyte)(i - 127)).ToArray();
        var x = Enumerable.Range(0, 256).Select(i => (sbyte)(i - 128)).Reverse().ToArray();
        var y = new sbyte[256];
        Qs8LookupKernels.Run(Qs8LookupKernels.Select(path), x, table, y);
        for (int i = 0; i < 256; i++) Assert.Equal((sbyte)(x[i] + 1), y[i]);
    }

    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Lookup_in_place_gives_the_same_bytes(KernelPath path)
    {
        RequireSupported(path);
        var rng = new Random(22);
        var table = Codes(rng, Qs8LookupReference.TableLength);
        foreach (int length in new[] { 1, 15, 16, 17, 33, 47, 100 })
        {
            var x = Codes(rng, length);
            var expected = new sbyte[length];
            Qs8LookupReference.Run(x, table, expected);
            Qs8LookupKernels.Run(Qs8LookupKernels.Select(path), x, table, x);
            Assert.Equal(expected, x);
        }
    }
}
