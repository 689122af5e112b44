using BenchmarkDotNet.Attributes;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Benchmarks;

/// <summary>
/// One session run of a <see cref="LayerStack"/> per invocation, on every kernel path this machine supports.
/// The session is built with <see cref="SessionOptions.KernelPath"/>, so each operator picks its kernel for that path
/// exactly as in production, and a new SIMD kernel shows up here without touching this file. Divide
/// <see cref="LayerStack.Macs"/> by the time for MAC/s.
/// </summary>
[MemoryDiagnoser]
public abstract class KernelBenchmarks
{
    private Session? _session;
    private float[] _input = [];
    private float[] _output = [];

    /// <summary>Every path the CPU can run; a path it lacks would make the session constructor throw.</summary>
    public static IEnumerable<KernelPath> SupportedPaths => CpuFeatures.Current.SupportedPaths;

    [ParamsSource(nameof(SupportedPaths))]
    public KernelPath Path { get; set; }

    protected abstract LayerStack Stack { get; }

    protected abstract CompiledModel Compile(LayerStack stack);

    [GlobalSetup]
    public void Setup()
    {
        var model = Compile(Stack);
        _session = new Session(model, new SessionOptions { KernelPath = Path });
        _input = BenchModels.Input(Stack, seed: 1);
        _output = new float[model.OutputInfo(0).ElementCount];
    }

    [Benchmark]
    public void Run() => _session!.Run(_input, _output);
}

/// <summary>Int8 1×1 convolution (a GEMM over packed weights): the bulk of MobileNet's MACs.</summary>
public class Qs8Conv1x1 : KernelBenchmarks
{
    protected override LayerStack Stack => LayerStack.Pointwise;
    protected override CompiledModel Compile(LayerStack stack) => BenchModels.Int8(stack);
}

/// <summary>Int8 depthwise 3×3 convolution, stride 1.</summary>
public class Qs8DepthwiseConv3x3 : KernelBenchmarks
{
    protected override LayerStack Stack => LayerStack.Depthwise;
    protected override CompiledModel Compile(LayerStack stack) => BenchModels.Int8(stack);
}

/// <summary>Int8 fully connected layer (one row: a matrix-vector product).</summary>
public class Qs8FullyConnected : KernelBenchmarks
{
    protected override LayerStack Stack => LayerStack.FullyConnected;
    protected override CompiledModel Compile(LayerStack stack) => BenchModels.Int8(stack);
}

/// <summary>Float32 GEMM, as the float 1×1 convolution runs it (M = 784 pixels, K = N = 128).</summary>
public class F32Gemm : KernelBenchmarks
{
    protected override LayerStack Stack => LayerStack.Pointwise;
    protected override CompiledModel Compile(LayerStack stack) => BenchModels.Float32(stack);
}
