using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Memory;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Memory;

/// <summary>
/// In-place planning (which tensors share a buffer), the plan validator's refusals, and that a planned,
/// in-place arena computes exactly what separate buffers compute, on every kernel path this machine has.
/// </summary>
public sealed class MemoryPlanTests
{
    // 37 channels: not a multiple of any vector width, so vector loops end in a tail.
    private const int C = 37;

    /// <summary>x → relu → a; tanh(x) → t; a + t → s; reshape(s) → h; reshape(h) → r; sigmoid(r) → y; y · x → z.
    /// In place: s over a, h over s, r over h, y over r, z over y; x, a graph input, stays.</summary>
    private static CompiledModel Chain(out (int X, int A, int T, int S, int H, int R, int Y, int Z) ids)
    {
        var b = new TestModelBuilder();
        int x = b.AddInput("x", 1, 3, 5, C);
        int a = b.AddActivation("a", 1, 3, 5, C);
        int t = b.AddActivation("t", 1, 3, 5, C);
        int s = b.AddActivation("s", 1, 3, 5, C);
        int h = b.AddActivation("h", 1, 3, 5, C);
        int r = b.AddActivation("r", 3, 5, C);
        int y = b.AddActivation("y", 3, 5, C);
        int z = b.AddActivation("z", 1, 3, 5, C);
        b.AddOp(OpCode.Unary, [x], [a], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Relu));
        b.AddOp(OpCode.Unary, [x], [t], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Tanh));
        b.AddOp(OpCode.Binary, [a, t], [s], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Add));
        // 37 is prime, so a shuffle here could only be the identity; the channel shuffle is tested on its own below.
        b.AddOp(OpCode.Reshape, [s], [h]);
        b.AddOp(OpCode.Reshape, [h], [r]);
        b.AddOp(OpCode.Unary, [r], [y], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Sigmoid));
        b.AddOp(OpCode.Binary, [y, x], [z], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Mul));
        ids = (x, a, t, s, h, r, y, z);
        return b.MarkOutput(z).Build();
    }

    [Fact]
    public void Elementwise_ops_and_reshapes_share_their_input_buffer()
    {
        var model = Chain(out var ids);
        var offsets = MemoryPlanBuilder.Build(model, new GreedyBySizePlanner()).OffsetsByTensor(model.Tensors.Length);

        Assert.Equal(offsets[ids.A], offsets[ids.S]);
        Assert.Equal(offsets[ids.S], offsets[ids.H]);
        Assert.Equal(offsets[ids.H], offsets[ids.R]);
        Assert.Equal(offsets[ids.R], offsets[ids.Y]);
        Assert.Equal(offsets[ids.Y], offsets[ids.Z]);
        // The graph input is never overwritten, and t is alive next to a.
        Assert.NotEqual(offsets[ids.X], offsets[ids.A]);
        Assert.NotEqual(offsets[ids.T], offsets[ids.A]);
    }

    [Fact]
    public void In_place_arena_is_smaller_than_the_separate_one()
    {
        var model = Chain(out _);
        long bytes = 15L * C * sizeof(float);
        long aligned = (bytes + 63) / 64 * 64;
        var inPlace = MemoryPlanBuilder.Build(model, new GreedyBySizePlanner());
        var shared = MemoryPlanBuilder.Build(model, new GreedyBySizePlanner(), inPlace: false);
        // In place, x, a (= s, h, r, y, z) and t are all the buffers there are; without, x, a, t and s meet at the add.
        Assert.Equal(3 * aligned, inPlace.ArenaSize);
        Assert.Equal(4 * aligned, shared.ArenaSize);
    }

    public static TheoryData<KernelPath> Paths => new(CpuFeatures.Current.SupportedPaths);

    [Theory]
    [MemberData(nameof(Paths))]
    public void In_place_outputs_equal_separate_buffer_outputs(KernelPath path)
    {
        var model = Chain(out _);
        var random = new Random(17);
        var x = Enumerable.Range(0, 15 * C).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();

        var expected = Run(model, x, new SessionOptions { KernelPath = path, Planner = new SeparateBuffersPlanner(), InPlace = false });
        var actual = Run(model, x, new SessionOptions { KernelPath = path });

        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Channel_shuffle_in_place_equals_the_separate_buffer_shuffle(KernelPath path)
    {
        var b = new TestModelBuilder();
        int x = b.AddInput("x", 1, 2, 3, 12);
        int a = b.AddActivation("a", 1, 2, 3, 12);
        int h = b.AddActivation("h", 1, 2, 3, 12);
        int y = b.AddActivation("y", 1, 2, 3, 12);
        b.AddOp(OpCode.Unary, [x], [a], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Tanh));
        b.AddOp(OpCode.ChannelShuffle, [a], [h], new OpParams().Set(ParamKey.Group, 3));
        b.AddOp(OpCode.Unary, [h], [y], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Neg));
        var model = b.MarkOutput(y).Build();
        var plan = MemoryPlanBuilder.Build(model, new GreedyBySizePlanner()).OffsetsByTensor(model.Tensors.Length);
        Assert.Equal(plan[a], plan[h]);
        var input = Enumerable.Range(0, 72).Select(i => i * 0.01f).ToArray();

        var expected = Run(model, input, new SessionOptions { KernelPath = path, Planner = new SeparateBuffersPlanner(), InPlace = false });
        var actual = Run(model, input, new SessionOptions { KernelPath = path });

        Assert.Equal(expected, actual);
        // Channel g·4 + i goes to i·3 + g: output channel 1 holds input channel 4.
        Assert.Equal(-MathF.Tanh(input[4]), actual[1]);
    }

    [Fact]
    public void Stored_plan_is_used_and_a_given_planner_replans()
    {
        var model = Chain(out _);
        var stored = MemoryPlanBuilder.Build(model, new SeparateBuffersPlanner(), inPlace: false);
        var withPlan = new CompiledModel(model.Tensors, model.Ops, model.Inputs, model.Outputs, model.Weights) { Plan = stored };

        Assert.Same(stored, new Session(withPlan).Plan);
        Assert.Equal("greedy-by-size", new Session(withPlan, new SessionOptions { Planner = new GreedyBySizePlanner() }).Plan.PlannerName);
    }

    [Fact]
    public void Overlapping_live_tensors_are_refused_naming_both()
    {
        var model = Chain(out var ids);
        var good = MemoryPlanBuilder.Build(model, new GreedyBySizePlanner());
        // Put t where a lives: both are alive from op 1 to op 2.
        var entries = good.Tensors.Select(p => p.Tensor == ids.T ? p with { Offset = good.OffsetsByTensor(model.Tensors.Length)[ids.A] } : p).ToArray();
        var bad = new MemoryPlan("hand", good.Alignment, good.ArenaSize, entries);

        var e = Assert.Throws<ModelFormatException>(() => MemoryPlanValidator.Validate(model, bad));
        Assert.Contains("'a'", e.Message);
        Assert.Contains("'t'", e.Message);
        Assert.Contains("are alive at the same time and overlap in the arena", e.Message);
    }

    [Fact]
    public void Graph_input_shared_with_its_reader_is_refused()
    {
        var model = Chain(out var ids);
        var good = MemoryPlanBuilder.Build(model, new SeparateBuffersPlanner(), inPlace: false);
        var offsets = good.OffsetsByTensor(model.Tensors.Length);
        // relu(x) → a would be a valid in-place pair if x were an activation, but graph inputs are never overwritten.
        var entries = good.Tensors.Select(p => p.Tensor == ids.A ? p with { Offset = offsets[ids.X] } : p).ToArray();

        var e = Assert.Throws<ModelFormatException>(() => MemoryPlanValidator.Validate(model, new MemoryPlan("hand", good.Alignment, good.ArenaSize, entries)));
        Assert.Contains("'x'", e.Message);
        Assert.Contains("'a'", e.Message);
    }

    [Fact]
    public void Missing_misaligned_and_out_of_arena_entries_are_refused()
    {
        var model = Chain(out var ids);
        var good = MemoryPlanBuilder.Build(model, new GreedyBySizePlanner());

        var missing = new MemoryPlan("hand", good.Alignment, good.ArenaSize, good.Tensors[1..]);
        Assert.Contains("tensors are planned, but the model has", Assert.Throws<ModelFormatException>(() => MemoryPlanValidator.Validate(model, missing)).Message);

        var shifted = good.Tensors.Select(p => p.Tensor == ids.T ? p with { Offset = p.Offset + 4 } : p).ToArray();
        var misaligned = new MemoryPlan("hand", good.Alignment, good.ArenaSize + 64, shifted);
        Assert.Contains("tensor 't'", Assert.Throws<ModelFormatException>(() => MemoryPlanValidator.Validate(model, misaligned)).Message);

        var small = new MemoryPlan("hand", good.Alignment, good.ArenaSize - 64, good.Tensors);
        Assert.Contains("lies outside the", Assert.Throws<ModelFormatException>(() => MemoryPlanValidator.Validate(model, small)).Message);
    }

    [Fact]
    public void Attaching_an_invalid_plan_to_a_model_throws()
    {
        var model = Chain(out _);
        var good = MemoryPlanBuilder.Build(model, new GreedyBySizePlanner());
        var bad = new MemoryPlan("hand", 3, good.ArenaSize, good.Tensors);
        Assert.Throws<ModelFormatException>(() => new CompiledModel(model.Tensors, model.Ops, model.Inputs, model.Outputs, model.Weights) { Plan = bad });
    }

    private static float[] Run(CompiledModel model, float[] input, SessionOptions options)
    {
        var output = new float[model.Tensors[model.Outputs[0]].ElementCount];
        new Session(model, options).Run(input, output);
        Assert.Contains(output, v => v != 0f);
        return output;
    }
}
