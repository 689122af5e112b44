using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests;

/// <summary>
/// Session over a small residual network: conv3x3+ReLU → tanh → add (the conv output must survive the
/// tanh: a skip connection the memory plan has to respect) → 1×1 conv → multiply by a per-channel constant.
/// </summary>
public sealed class SessionTests
{
    private const int H = 5, W = 6, Cin = 3, Cmid = 4, Cout = 2;
    private static readonly float[] W1 = Values(Cmid * 3 * 3 * Cin, 1);
    private static readonly float[] B1 = Values(Cmid, 2);
    private static readonly float[] W2 = Values(Cout * Cmid, 3);
    private static readonly float[] Scale = [1.5f, -0.25f];

    [Fact]
    public void ResidualNetwork_MatchesANaiveReference()
    {
        var session = new Session(ResidualNetwork(out _));
        var x = Values(H * W * Cin, 4);
        var output = new float[H * W * Cout];

        session.Run(x, output);

        var expected = Reference(x);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - output[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {output[i]}");
    }

    [Fact]
    public void RepeatedRuns_GiveTheSameResult_ForDifferentInputs()
    {
        var session = new Session(ResidualNetwork(out _));
        var output = new float[H * W * Cout];
        for (int seed = 10; seed < 15; seed++)
        {
            var x = Values(H * W * Cin, seed);
            session.Run(x, output);
            var expected = Reference(x);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - output[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"seed {seed}, element {i}");
        }
    }

    [Fact]
    public void Run_AllocatesNothingAfterWarmUp()
    {
        var session = new Session(ResidualNetwork(out _));
        var x = Values(H * W * Cin, 5);
        var output = new float[H * W * Cout];
        for (int i = 0; i < 3; i++) session.Run(x, output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) session.Run(x, output);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(Reference(x)[7], output[7], 1e-5f);
    }

    [Fact]
    public void MultiInputMultiOutputRun_AllocatesNothingAfterWarmUp()
    {
        var b = new TestModelBuilder();
        int x = b.AddInput("x", 2, 8);
        int y = b.AddInput("y", 8);
        int sum = b.AddActivation("sum", 2, 8);
        b.AddOp(OpCode.Binary, [x, y], [sum], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Add));
        int relu = b.AddActivation("relu", 2, 8);
        b.AddOp(OpCode.Unary, [sum], [relu], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Relu));
        b.MarkOutput(relu).MarkOutput(sum);
        var session = new Session(b.Build());
        var xs = Values(16, 1);
        var ys = Values(8, 2);
        ReadOnlyMemory<float>[] inputs = [xs, ys];
        var relus = new float[16];
        var sums = new float[16];
        Memory<float>[] outputs = [relus, sums];
        for (int i = 0; i < 3; i++) session.Run(inputs, outputs);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) session.Run(inputs, outputs);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(xs[i] + ys[i % 8], sums[i]);
            Assert.Equal(Math.Max(0, xs[i] + ys[i % 8]), relus[i]);
        }
    }

    [Fact]
    public void Observer_SeesTheInputAndEveryProducedTensorInOrder()
    {
        var model = ResidualNetwork(out var produced);
        var observer = new RecordingObserver();
        var session = new Session(model) { Observer = observer };
        var x = Values(H * W * Cin, 6);
        var output = new float[H * W * Cout];

        session.Run(x, output);

        Assert.Equal([model.Inputs[0], .. produced], observer.Seen.Select(s => s.Tensor));
        Assert.Equal(x, observer.Seen[0].Data);
        Assert.Equal(output, observer.Seen[^1].Data);
    }

    [Fact]
    public void InputOfTheWrongLength_IsRejected()
    {
        var session = new Session(ResidualNetwork(out _));
        var e = Assert.Throws<ArgumentException>(() => session.Run(new float[7], new float[H * W * Cout]));
        Assert.Contains("input 'x' needs 90 floats", e.Message);
    }

    [Fact]
    public void SingleBufferRun_OnAModelWithTwoInputs_IsRejected()
    {
        var b = new TestModelBuilder();
        int x = b.AddInput("x", 4);
        int y = b.AddInput("y", 4);
        int s = b.AddActivation("s", 4);
        b.AddOp(OpCode.Binary, [x, y], [s], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Add));
        var session = new Session(b.MarkOutput(s).Build());
        Assert.Throws<InvalidOperationException>(() => session.Run(new float[4], new float[4]));
    }

    [Fact]
    public void Arena_ReusesMemory_ButStaysAboveWhatIsAliveAtOnce()
    {
        var model = ResidualNetwork(out _);
        var session = new Session(model, new SessionOptions { InPlace = false });
        long allActivations = model.Tensors.Where(t => t.Kind != TensorKind.Constant).Sum(t => t.ByteLength);
        // At the add: the conv output, the tanh output and the sum are alive together.
        long aliveAtAdd = 3L * H * W * Cmid * sizeof(float);

        Assert.InRange(session.PlannedArenaBytes, aliveAtAdd, allActivations - 1);

        // In place, the sum overwrites one of its inputs: two of the three buffers at the add remain.
        var inPlace = new Session(model);
        Assert.InRange(inPlace.PlannedArenaBytes, 2L * H * W * Cmid * sizeof(float), session.PlannedArenaBytes - 1);
    }

    private static CompiledModel ResidualNetwork(out int[] producedInOrder)
    {
        var b = new TestModelBuilder();
        int x = b.AddInput("x", 1, H, W, Cin);
        int w1 = b.AddConstant("conv1.w", [Cmid, 3, 3, Cin], W1);
        int b1 = b.AddConstant("conv1.b", [Cmid], B1);
        int a = b.AddActivation("conv1", 1, H, W, Cmid);
        b.AddOp(OpCode.Conv2D, [x, w1, b1], [a], new OpParams()
            .Set(ParamKey.Kernel, 3, 3).Set(ParamKey.Pads, 1, 1, 1, 1).Set(ParamKey.Activation, (int)ActivationKind.Relu));
        int t = b.AddActivation("tanh", 1, H, W, Cmid);
        b.AddOp(OpCode.Unary, [a], [t], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Tanh));
        int s = b.AddActivation("residual", 1, H, W, Cmid);
        b.AddOp(OpCode.Binary, [a, t], [s], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Add));
        int w2 = b.AddConstant("conv2.w", [Cout, 1, 1, Cmid], W2);
        int c = b.AddActivation("conv2", 1, H, W, Cout);
        b.AddOp(OpCode.Conv2D, [s, w2], [c], new OpParams().Set(ParamKey.Kernel, 1, 1));
        int scale = b.AddConstant("scale", [Cout], Scale);
        int y = b.AddActivation("y", 1, H, W, Cout);
        b.AddOp(OpCode.Binary, [c, scale], [y], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Mul));
        b.MarkOutput(y);
        producedInOrder = [a, t, s, c, y];
        return b.Build();
    }

    /// <summary>The same network written out with plain loops over NHWC indices.</summary>
    private static float[] Reference(float[] x)
    {
        var a = new float[H * W * Cmid];
        for (int h = 0; h < H; h++)
        for (int w = 0; w < W; w++)
        for (int m = 0; m < Cmid; m++)
        {
            double acc = B1[m];
            for (int kh = 0; kh < 3; kh++)
            for (int kw = 0; kw < 3; kw++)
            {
                int ih = h + kh - 1, iw = w + kw - 1;
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                for (int ci = 0; ci < Cin; ci++)
                    acc += x[(ih * W + iw) * Cin + ci] * W1[((m * 3 + kh) * 3 + kw) * Cin + ci];
            }
            a[(h * W + w) * Cmid + m] = (float)Math.Max(0, acc);
        }
        var y = new float[H * W * Cout];
        for (int p = 0; p < H * W; p++)
        for (int o = 0; o < Cout; o++)
        {
            double acc = 0;
            for (int m = 0; m < Cmid; m++)
            {
                float v = a[p * Cmid + m];
                acc += (v + MathF.Tanh(v)) * W2[o * Cmid + m];
            }
            y[p * Cout + o] = (float)acc * Scale[o];
        }
        return y;
    }

    private static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private sealed class RecordingObserver : ITensorObserver
    {
        public List<(int Tensor, float[] Data)> Seen { get; } = [];

        public void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data) =>
            Seen.Add((tensorIndex, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).ToArray()));
    }
}
