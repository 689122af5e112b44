using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;
using EdgeCnn.Runtime.Tests.Quantized;
using static EdgeCnn.Runtime.Tests.Threading.SessionThreadTests;

namespace EdgeCnn.Runtime.Tests.Threading;

/// <summary>
/// The ops split for threads beyond convolutions: average and global average pools, int8 Add/Mul (with a broadcast
/// operand), lookup tables, Resize, ConvTranspose and one-row FullyConnected, int8 on every kernel path and float.
/// 2, 3 and 4 threads give the one-thread bits, each of these ops is split, and threaded runs allocate nothing.
/// </summary>
public sealed class SplitOperatorThreadTests
{
    [Fact]
    public void Split_int8_pools_elementwise_ops_resize_and_transposed_convolution_give_the_one_thread_bytes_on_every_path()
    {
        var model = Int8Network(out var splitOps);
        var input = Noise((int)model.InputInfo(0).ElementCount, 51);
        foreach (var path in CpuFeatures.Current.SupportedPaths)
        {
            var single = RunOnce(model, path, 1, input, out _);
            Assert.True(single.Distinct().Count() > 50, $"{path}: the int8 network's outputs barely vary");
            for (int threads = 2; threads <= 4; threads++)
            {
                var actual = RunSplit(model, path, threads, input, splitOps);
                AssertSameBits(single, actual, $"int8 split-op network on {path}, {threads} threads");
            }
        }
    }

    [Fact]
    public void Split_float_pools_resizes_and_transposed_convolution_give_the_one_thread_bits()
    {
        var model = FloatNetwork(out var splitOps);
        var input = Noise((int)model.InputInfo(0).ElementCount, 52);
        var single = RunOnce(model, KernelPath.Reference, 1, input, out _);
        for (int threads = 2; threads <= 4; threads++)
            AssertSameBits(single, RunSplit(model, KernelPath.Reference, threads, input, splitOps), $"float split-op network, {threads} threads");
    }

    [Fact]
    public void One_row_fully_connected_layers_split_over_output_channels_give_the_one_thread_bits()
    {
        const int K = 640, Cout = 1000;
        var rng = new Random(53);
        var qx = QuantParams.PerTensor(0.03f, 7);
        var scales = Enumerable.Range(0, Cout).Select(_ => 0.002f + 0.01f * (float)rng.NextDouble()).ToArray();
        var b = new QuantizedModelBuilder();
        int x = b.Input("x", DataType.Int8, [1, K], qx);
        int w = b.Int8Constant("w", [Cout, K], new QuantParams(scales, new int[Cout], axis: 0), Int8Reference.RandomInt8(rng, Cout * K));
        int bias = b.Int32Constant("b", [Cout], new QuantParams(scales.Select(s => qx.Scale * s).ToArray(), new int[Cout], axis: 0),
            Int8Reference.RandomInt32(rng, Cout, 5000));
        int fc = b.Activation("fc", DataType.Int8, [1, Cout], QuantParams.PerTensor(0.2f, -4));
        b.Op(OpCode.FullyConnected, [x, w, bias], [fc], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.None), "fc");
        int y = b.Activation("y", DataType.Float32, [1, Cout]);
        b.Op(OpCode.Dequantize, [fc], [y], null, "dequantize").Output(y);
        var int8 = b.Build();
        var input = Noise(K, 54);
        foreach (var path in CpuFeatures.Current.SupportedPaths)
        {
            var single = RunOnce(int8, path, 1, input, out _);
            Assert.True(single.Distinct().Count() > 50, $"{path}: the fully connected outputs barely vary");
            for (int threads = 2; threads <= 4; threads++)
                AssertSameBits(single, RunSplit(int8, path, threads, input, ["fc"]), $"int8 one-row fully connected on {path}, {threads} threads");
        }

        var f = new TestModelBuilder();
        int fx = f.AddInput("x", 1, K);
        int fw = f.AddConstant("w", [Cout, K], Noise(Cout * K, 55));
        int fb = f.AddConstant("b", [Cout], Noise(Cout, 56));
        int fy = f.AddActivation("y", 1, Cout);
        f.AddOp(OpCode.FullyConnected, [fx, fw, fb], [fy], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Relu), "fc");
        var float32 = f.MarkOutput(fy).Build();
        var floatSingle = RunOnce(float32, KernelPath.Reference, 1, input, out _);
        for (int threads = 2; threads <= 4; threads++)
            AssertSameBits(floatSingle, RunSplit(float32, KernelPath.Reference, threads, input, ["fc"]), $"float one-row fully connected, {threads} threads");
    }

    [Fact]
    public void Threaded_runs_of_the_newly_split_ops_allocate_nothing()
    {
        var model = Int8Network(out _);
        var input = Noise((int)model.InputInfo(0).ElementCount, 57);
        var output = new float[(int)model.OutputInfo(0).ElementCount];
        using var session = new Session(model, new SessionOptions { ThreadCount = 2 });
        for (int i = 0; i < 3; i++) session.Run(input, output);
        var expected = output.ToArray();

        // As in SessionThreadTests: the hand-off's first blocking waits allocate once, so some window of runs must be clean.
        long workerPartsBefore = session.PartsRunByWorkers;
        var windows = new List<(long Caller, long Workers)>();
        for (int window = 0; window < 5; window++)
        {
            long callerBefore = GC.GetAllocatedBytesForCurrentThread();
            long workersBefore = session.WorkerAllocatedBytes;
            for (int i = 0; i < 20; i++) session.Run(input, output);
            windows.Add((GC.GetAllocatedBytesForCurrentThread() - callerBefore, session.WorkerAllocatedBytes - workersBefore));
            if (windows[^1] == (0, 0)) break;
        }
        Assert.True(windows[^1] == (0, 0), $"every window of 20 runs allocated (caller, workers): {string.Join(", ", windows)}");
        Assert.True(session.PartsRunByWorkers > workerPartsBefore, "the workers ran no part, so their measurement saw nothing");
        Assert.Equal(expected, output);
    }

    /// <summary>Runs with <paramref name="threads"/> threads after checking that every op named in <paramref name="mustSplit"/> is split.</summary>
    private static float[] RunSplit(CompiledModel model, KernelPath path, int threads, float[] input, string[] mustSplit)
    {
        using var session = new Session(model, new SessionOptions { KernelPath = path, ThreadCount = threads });
        for (int i = 0; i < model.Ops.Length; i++)
            if (mustSplit.Contains(model.Ops[i].Name))
                Assert.True(session.PartsOf(i) > 1, $"op '{model.Ops[i].Name}' ({model.Ops[i].Code}) is not split for {threads} threads on {path}");
        Assert.Equal(mustSplit.Length, model.Ops.Count(o => mustSplit.Contains(o.Name)));
        var output = new float[(int)model.OutputInfo(0).ElementCount];
        Array.Fill(output, float.NaN);
        session.Run(input, output);
        return output;
    }

    /// <summary>Two images of 32×32×100 through an average pool counting padding, a same-shape Add, a Mul by a broadcast
    /// channel constant, a lookup table, a global average pool multiplied back in, a linear 2× Resize and a 2×2 stride-2
    /// transposed convolution, dequantized at the end; each op is large enough to split.</summary>
    private static CompiledModel Int8Network(out string[] splitOps)
    {
        const int N = 2, H = 32, W = 32, C = 100, Cout = 8;
        var rng = new Random(58);
        var qx = QuantParams.PerTensor(0.02f, -5);
        var qa = QuantParams.PerTensor(0.03f, 9);
        var qm = QuantParams.PerTensor(0.05f, -12);
        var qt = QuantParams.PerTensor(0.04f, 20);
        var qy = QuantParams.PerTensor(0.3f, -3);
        var b = new QuantizedModelBuilder();
        int x = b.Input("x", DataType.Int8, [N, H, W, C], qx);
        int avg = b.Activation("avg", DataType.Int8, [N, H, W, C], qx);
        b.Op(OpCode.AveragePool2D, [x], [avg], new OpParams().Set(ParamKey.Kernel, 3, 3).Set(ParamKey.Strides, 1, 1).Set(ParamKey.Dilations, 1, 1)
            .Set(ParamKey.Pads, 1, 1, 1, 1).Set(ParamKey.CountIncludePad, 1), "avg");
        int add = b.Activation("add", DataType.Int8, [N, H, W, C], qa);
        b.Op(OpCode.Binary, [avg, x], [add], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Add), "add");
        int scale = b.Int8Constant("scale", [C], QuantParams.PerTensor(0.01f, 3), Int8Reference.RandomInt8(rng, C));
        int mul = b.Activation("mul", DataType.Int8, [N, H, W, C], qm);
        b.Op(OpCode.Binary, [add, scale], [mul], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Mul), "mul");
        int table = b.Int8Constant("table", [256], qt, Int8Reference.RandomInt8(rng, 256));
        int lut = b.Activation("lut", DataType.Int8, [N, H, W, C], qt);
        b.Op(OpCode.Unary, [mul, table], [lut], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.HardSwish), "lut");
        int gap = b.Activation("gap", DataType.Int8, [N, 1, 1, C], qt);
        b.Op(OpCode.GlobalAveragePool, [lut], [gap], null, "gap");
        int gated = b.Activation("gated", DataType.Int8, [N, H, W, C], qm);
        b.Op(OpCode.Binary, [lut, gap], [gated], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Mul), "gated");
        int resized = b.Activation("resized", DataType.Int8, [N, 2 * H, 2 * W, C], qm);
        b.Op(OpCode.Resize, [gated], [resized], new OpParams().Set(ParamKey.Mode, (int)ResizeMode.Linear).Set(ParamKey.Scales, 1f, 2f, 2f, 1f), "resize");
        var scales = Enumerable.Range(0, Cout).Select(_ => 0.002f + 0.01f * (float)rng.NextDouble()).ToArray();
        int w = b.Int8Constant("up.w", [Cout, 2, 2, C], new QuantParams(scales, new int[Cout], axis: 0), Int8Reference.RandomInt8(rng, Cout * 4 * C));
        int bias = b.Int32Constant("up.b", [Cout], new QuantParams(scales.Select(s => qm.Scale * s).ToArray(), new int[Cout], axis: 0),
            Int8Reference.RandomInt32(rng, Cout, 3000));
        int up = b.Activation("up", DataType.Int8, [N, 4 * H, 4 * W, Cout], qy);
        b.Op(OpCode.ConvTranspose2D, [resized, w, bias], [up], new OpParams().Set(ParamKey.Kernel, 2, 2).Set(ParamKey.Strides, 2, 2)
            .Set(ParamKey.Dilations, 1, 1).Set(ParamKey.Pads, 0, 0, 0, 0).Set(ParamKey.Group, 1).Set(ParamKey.Activation, (int)ActivationKind.None), "up");
        int y = b.Activation("y", DataType.Float32, [N, 4 * H, 4 * W, Cout]);
        b.Op(OpCode.Dequantize, [up], [y], null, "dequantize").Output(y);
        splitOps = ["avg", "add", "mul", "lut", "gap", "gated", "resize", "up"];
        return b.Build();
    }

    /// <summary>Two images of 32×32×72 through an average pool counting padding, a global average pool (by channel
    /// blocks), linear and nearest Resize (the linear one over two axes, so two passes) added together, and a 3×3
    /// stride-2 transposed convolution with output padding.</summary>
    private static CompiledModel FloatNetwork(out string[] splitOps)
    {
        const int N = 2, H = 32, W = 32, C = 72, Cout = 6;
        var b = new TestModelBuilder();
        int x = b.AddInput("x", N, H, W, C);
        int avg = b.AddActivation("avg", N, H, W, C);
        b.AddOp(OpCode.AveragePool2D, [x], [avg], new OpParams().Set(ParamKey.Kernel, 3, 3).Set(ParamKey.Strides, 1, 1).Set(ParamKey.Dilations, 1, 1)
            .Set(ParamKey.Pads, 1, 1, 1, 1).Set(ParamKey.CountIncludePad, 1), "avg");
        int gap = b.AddActivation("gap", N, 1, 1, C);
        b.AddOp(OpCode.GlobalAveragePool, [avg], [gap], null, "gap");
        int gated = b.AddActivation("gated", N, H, W, C);
        b.AddOp(OpCode.Binary, [avg, gap], [gated], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Mul), "gated");
        int linear = b.AddActivation("linear", N, 2 * H, 2 * W, C);
        b.AddOp(OpCode.Resize, [gated], [linear], new OpParams().Set(ParamKey.Mode, (int)ResizeMode.Linear).Set(ParamKey.Scales, 1f, 2f, 2f, 1f)
            .Set(ParamKey.CoordinateMode, (int)ResizeCoordinateMode.HalfPixel), "linear");
        int nearest = b.AddActivation("nearest", N, 2 * H, 2 * W, C);
        b.AddOp(OpCode.Resize, [gated], [nearest], new OpParams().Set(ParamKey.Mode, (int)ResizeMode.Nearest).Set(ParamKey.Scales, 1f, 2f, 2f, 1f), "nearest");
        int sum = b.AddActivation("sum", N, 2 * H, 2 * W, C);
        b.AddOp(OpCode.Binary, [linear, nearest], [sum], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Add), "sum");
        int w = b.AddConstant("up.w", [C, 3, 3, Cout], Noise(C * 9 * Cout, 59));
        int bias = b.AddConstant("up.b", [Cout], Noise(Cout, 60));
        int oh = 2 * (2 * H - 1) + 1 + 3 - 2;
        int up = b.AddActivation("up", N, oh, oh, Cout);
        b.AddOp(OpCode.ConvTranspose2D, [sum, w, bias], [up], new OpParams().Set(ParamKey.Kernel, 3, 3).Set(ParamKey.Strides, 2, 2)
            .Set(ParamKey.Dilations, 1, 1).Set(ParamKey.Pads, 1, 1, 1, 1).Set(ParamKey.OutputPadding, 1, 1).Set(ParamKey.Group, 1)
            .Set(ParamKey.Activation, (int)ActivationKind.Relu), "up");
        b.MarkOutput(up);
        splitOps = ["avg", "gap", "linear", "nearest", "up"];
        return b.Build();
    }
}
