using EdgeCnn.Runtime.Memory;

namespace EdgeCnn.Runtime.Tests.Memory;

public sealed class GreedyBySizePlannerTests
{
    private readonly GreedyBySizePlanner _planner = new();

    [Fact]
    public void RandomRequests_NeverShareMemoryWhileAliveTogether_AndRespectTheLowerBound()
    {
        var random = new Random(4711);
        int[] alignments = [1, 4, 16, 64];
        for (int trial = 0; trial < 2_000; trial++)
        {
            int count = random.Next(1, 40);
            int steps = random.Next(1, 25);
            var requests = new BufferRequest[count];
            for (int i = 0; i < count; i++)
            {
                int first = random.Next(steps);
                int last = first + random.Next(Math.Min(steps - first, random.Next(1, 6)));
                long size = random.Next(10) == 0 ? 0 : random.Next(1, random.Next(2) == 0 ? 100 : 5_000);
                requests[i] = new BufferRequest(i, size, first, last);
            }
            int alignment = alignments[random.Next(alignments.Length)];

            var (offsets, arena) = _planner.Plan(requests, alignment);

            CheckPlan(requests, offsets, arena, alignment, $"trial {trial}");
        }
    }

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(16, 1000)]
    [InlineData(64, 4096)]
    [InlineData(64, 100)]
    public void ChainOfEqualBuffers_GetsThePingPongArena(int alignment, long size)
    {
        // op i reads buffer i and writes buffer i+1: two buffers alive at every step.
        var requests = Enumerable.Range(0, 12).Select(i => new BufferRequest(i, size, i, i + 1)).ToArray();

        var (offsets, arena) = _planner.Plan(requests, alignment);

        long aligned = (size + alignment - 1) / alignment * alignment;
        Assert.Equal(2 * aligned, arena);
        CheckPlan(requests, offsets, arena, alignment, "chain");
    }

    [Fact]
    public void ChainOfShrinkingBuffers_GetsTheLowerBound()
    {
        // Typical CNN: activations get smaller along the network.
        long[] sizes = [4096, 4096, 2048, 2048, 1024, 512, 512, 256, 64, 16];
        var requests = sizes.Select((s, i) => new BufferRequest(i, s, i, i + 1)).ToArray();

        var (offsets, arena) = _planner.Plan(requests, 16);

        Assert.Equal(LowerBound(requests), arena);
        CheckPlan(requests, offsets, arena, 16, "shrinking chain");
    }

    [Fact]
    public void BuffersNeverAliveTogether_AllSitAtOffsetZero()
    {
        var requests = new[] { new BufferRequest(0, 300, 0, 1), new BufferRequest(1, 500, 2, 3), new BufferRequest(2, 100, 4, 9) };

        var (offsets, arena) = _planner.Plan(requests, 16);

        Assert.Equal([0L, 0L, 0L], offsets);
        Assert.Equal(512, arena);
    }

    [Fact]
    public void ResidualBlock_KeepsTheSkipBufferApart()
    {
        // x (0..3) feeds conv a (1..2) and the add at step 3; b = conv(a) (2..3).
        var requests = new[]
        {
            new BufferRequest(0, 1000, 0, 3),
            new BufferRequest(1, 1000, 1, 2),
            new BufferRequest(2, 1000, 2, 3),
            new BufferRequest(3, 1000, 3, 4),
        };

        var (offsets, arena) = _planner.Plan(requests, 8);

        Assert.Equal(LowerBound(requests), arena);
        CheckPlan(requests, offsets, arena, 8, "residual");
    }

    [Fact]
    public void NoRequests_NeedNoArena()
    {
        var (offsets, arena) = _planner.Plan([], 16);
        Assert.Empty(offsets);
        Assert.Equal(0, arena);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-16)]
    [InlineData(24)]
    public void AlignmentThatIsNotAPowerOfTwo_IsRejected(int alignment)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _planner.Plan([new BufferRequest(0, 8, 0, 0)], alignment));
    }

    /// <summary>Brute-force check of a plan against the definition, independent of the planner's own bookkeeping.</summary>
    private static void CheckPlan(BufferRequest[] requests, long[] offsets, long arena, int alignment, string what)
    {
        Assert.Equal(requests.Length, offsets.Length);
        for (int i = 0; i < requests.Length; i++)
        {
            Assert.True(offsets[i] >= 0 && offsets[i] % alignment == 0, $"{what}: buffer {i} at offset {offsets[i]} (alignment {alignment})");
            Assert.True(offsets[i] + requests[i].Size <= arena, $"{what}: buffer {i} ends at {offsets[i] + requests[i].Size}, beyond the {arena}-byte arena");
            for (int j = i + 1; j < requests.Length; j++)
            {
                bool together = requests[i].FirstUse <= requests[j].LastUse && requests[j].FirstUse <= requests[i].LastUse;
                bool shareBytes = offsets[i] < offsets[j] + requests[j].Size && offsets[j] < offsets[i] + requests[i].Size;
                Assert.False(together && shareBytes,
                    $"{what}: buffers {i} [{offsets[i]}, +{requests[i].Size}) steps {requests[i].FirstUse}..{requests[i].LastUse} and " +
                    $"{j} [{offsets[j]}, +{requests[j].Size}) steps {requests[j].FirstUse}..{requests[j].LastUse} overlap");
            }
        }
        Assert.True(arena >= LowerBound(requests), $"{what}: arena {arena} is below the lower bound {LowerBound(requests)}");
    }

    /// <summary>No plan can do better than the largest total size alive at one step.</summary>
    private static long LowerBound(BufferRequest[] requests)
    {
        if (requests.Length == 0) return 0;
        long best = 0;
        for (int step = requests.Min(r => r.FirstUse); step <= requests.Max(r => r.LastUse); step++)
            best = Math.Max(best, requests.Where(r => r.FirstUse <= step && step <= r.LastUse).Sum(r => r.Size));
        return best;
    }
}
