using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using static EdgeCnn.Runtime.Tests.Kernels.Int8KernelTestData;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>The one-byte channel shuffle kernels of every path against <see cref="ChannelShuffleReference"/>: two
/// groups over every even channel count up to 100 (the vectorized interleave and its scalar rest) and other group
/// counts, guard zones included.</summary>
public sealed class ByteChannelShuffleKernelTests
{
    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Shuffle_matches_the_reference(KernelPath path)
    {
        RequireSupported(path);
        var selected = ByteChannelShuffleKernels.Select(path);
        var rng = new Random(51);
        var cases = Enumerable.Range(1, 50).Select(h => (Channels: 2 * h, Groups: 2))
            .Concat([(3, 3), (12, 3), (48, 4), (116, 2), (232, 2), (40, 8), (7, 1)]);
        foreach (var (channels, groups) in cases)
        foreach (int rows in new[] { 1, 3 })
        {
            var x = Codes(rng, rows * channels);
            var expected = GuardedOutput(rows * channels);
            var actual = GuardedOutput(rows * channels);
            ChannelShuffleReference.Run(rows, channels, groups, x, Body(expected));
            ByteChannelShuffleKernels.Run(selected, rows, channels, groups, Bytes(x), Bytes(Body(actual)));
            SameBytes(expected, actual, $"{selected} shuffle of {rows}x{channels} in {groups} groups");
        }
    }

    private static ReadOnlySpan<byte> Bytes(sbyte[] data) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan());

    private static Span<byte> Bytes(Span<sbyte> data) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(data);
}
