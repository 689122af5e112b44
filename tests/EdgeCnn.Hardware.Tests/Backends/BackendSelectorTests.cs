using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.OnnxRuntime;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Hardware.Tests.Backends;

/// <summary>The selector's decisions with the real ONNX Runtime factory (tagged) or a fake one that claims CUDA.</summary>
public sealed class BackendSelectorTests
{
    [Theory]
    [InlineData("auto", BackendKind.Auto)]
    [InlineData("NATIVE", BackendKind.Native)]
    [InlineData(" ort ", BackendKind.Ort)]
    [InlineData("onnxruntime", BackendKind.Ort)]
    public void Parses_backend_names(string text, BackendKind expected) => Assert.Equal(expected, BackendKinds.Parse(text));

    [Fact]
    public void Unknown_backend_name_lists_the_choices()
    {
        var ex = Assert.Throws<ArgumentException>(() => BackendKinds.Parse("gpu"));
        Assert.StartsWith("unknown backend 'gpu' (expected auto, native or ort)", ex.Message);
    }

    [Theory]
    [InlineData(BackendKind.Auto)]
    [InlineData(BackendKind.Native)]
    public void Ecnn_model_runs_natively_with_the_session_options(BackendKind kind)
    {
        var selector = new BackendSelector(null, null, new SessionOptions { KernelPath = KernelPath.Reference });
        var selection = selector.Select(kind, BackendTestMaterial.FashionInt8Ecnn);
        using var backend = selection.Backend;
        Assert.IsType<NativeBackend>(backend);
        Assert.Contains("kernel path Reference", backend.Description);
        if (kind == BackendKind.Auto)
            Assert.Equal(["auto: native runtime (ONNX Runtime is not part of this build)"], selection.Messages);
        else
            Assert.Empty(selection.Messages);
    }

    [Fact]
    public void Ecnn_model_on_onnx_runtime_is_an_error_asking_for_the_onnx_file()
    {
        var ort = new FakeOrtFactory(hasCuda: true);
        var ex = Assert.Throws<BackendException>(() => new BackendSelector(null, ort, null).Select(BackendKind.Ort, BackendTestMaterial.FashionInt8Ecnn));
        Assert.Equal($"'{BackendTestMaterial.FashionInt8Ecnn}': a compiled .ecnn model runs only on the native runtime; ONNX Runtime needs the .onnx model", ex.Message);
        Assert.Equal(0, ort.Opened);
    }

    [Fact]
    public void Auto_with_an_ecnn_model_stays_native_even_when_onnx_runtime_has_cuda()
    {
        var ort = new FakeOrtFactory(hasCuda: true);
        var selection = new BackendSelector(null, ort, null).Select(BackendKind.Auto, BackendTestMaterial.FashionInt8Ecnn);
        using var backend = selection.Backend;
        Assert.IsType<NativeBackend>(backend);
        Assert.Contains("ONNX Runtime has CUDA, but", Assert.Single(selection.Messages));
        Assert.Equal(0, ort.Opened);
    }

    [Fact]
    public void Auto_picks_onnx_runtime_when_it_has_cuda_without_compiling()
    {
        var ort = new FakeOrtFactory(hasCuda: true);
        var compiler = new BackendTestMaterial.CompilerProbe();
        var selection = new BackendSelector(compiler, ort, null).Select(BackendKind.Auto, BackendTestMaterial.FashionOnnx);
        Assert.Same(ort.Last, selection.Backend);
        Assert.Equal(["auto: ONNX Runtime, whose native library has the CUDA execution provider", "fake: CUDA: using CUDAExecutionProvider"], selection.Messages);
        Assert.Equal(["CUDA"], ort.LastProviders);
        Assert.Equal(0, compiler.Calls);
    }

    [Fact]
    public void Auto_ends_on_the_native_runtime_when_the_cuda_provider_cannot_load_the_model()
    {
        var ort = new FakeOrtFactory(hasCuda: true, cudaWorks: false);
        var selection = new BackendSelector(new BackendTestMaterial.CompilerProbe(), ort, null).Select(BackendKind.Auto, BackendTestMaterial.FashionOnnx);
        using var backend = selection.Backend;
        Assert.IsType<NativeBackend>(backend);
        Assert.Equal(
            [
                "fake: CUDA: failed: no CUDA-capable device is detected",
                "auto: ONNX Runtime's CUDA provider cannot run the model (ONNX Runtime could not load it with any of CUDA: CUDA: no CUDA-capable device is detected); trying the native runtime",
                "auto: native runtime",
            ],
            selection.Messages);
        Assert.Equal(0, ort.Opened);
    }

    [Fact]
    public void Auto_says_so_when_onnx_runtimes_native_library_cannot_be_loaded()
    {
        var selection = new BackendSelector(new BackendTestMaterial.CompilerProbe(), new FakeOrtFactory(hasCuda: false, loads: false), null)
            .Select(BackendKind.Auto, BackendTestMaterial.FashionOnnx);
        using var backend = selection.Backend;
        Assert.IsType<NativeBackend>(backend);
        Assert.Equal(["auto: native runtime (ONNX Runtime's native library cannot be loaded)"], selection.Messages);
    }

    [Fact]
    public void Native_without_a_compiler_cannot_take_an_onnx_model()
    {
        var ex = Assert.Throws<BackendException>(() => new BackendSelector(null, null, null).Select(BackendKind.Native, BackendTestMaterial.FashionOnnx));
        Assert.Contains("cannot compile ONNX models", ex.Message);
        Assert.Contains("edgecnn compile", ex.Message);
    }

    [Fact]
    public void Missing_model_and_unknown_extension_are_reported_with_the_path()
    {
        using var scratch = new ScratchDirectory();
        var selector = new BackendSelector(null, new FakeOrtFactory(hasCuda: false), null);
        string missing = scratch.File("nothing.onnx");
        var notFound = Assert.Throws<FileNotFoundException>(() => selector.Select(BackendKind.Auto, missing));
        Assert.Contains(missing, notFound.Message);

        string text = scratch.File("model.txt");
        File.WriteAllText(text, "hello");
        var unknown = Assert.Throws<BackendException>(() => selector.Select(BackendKind.Native, text));
        Assert.Equal($"'{text}': unknown model format '.txt' (expected .onnx or .ecnn)", unknown.Message);
    }

    [Fact]
    [Trait("Requires", "OnnxRuntime")]
    public void Auto_on_a_cpu_only_onnx_runtime_compiles_the_onnx_model_for_the_native_runtime()
    {
        var ort = new OrtBackendFactory();
        if (ort.HasCuda) Assert.Skip("this ONNX Runtime has the CUDA provider, so auto picks it");
        var selection = new BackendSelector(new BackendTestMaterial.CompilerProbe(), ort, null).Select(BackendKind.Auto, BackendTestMaterial.FashionOnnx);
        using var backend = selection.Backend;
        Assert.IsType<NativeBackend>(backend);
        Assert.Equal([$"auto: native runtime (the installed ONNX Runtime has no CUDA provider; it has {string.Join(", ", ort.AvailableProviders)})"], selection.Messages);
    }

    [Fact]
    [Trait("Requires", "OnnxRuntime")]
    public void Auto_falls_back_to_onnx_runtime_for_an_op_the_native_runtime_lacks_and_names_it()
    {
        using var scratch = new ScratchDirectory();
        string path = BackendTestMaterial.WriteSinModel(scratch.Path);
        var ort = new OrtBackendFactory(new OrtBackendOptions { Providers = ["CPU"] });
        var selection = new BackendSelector(new BackendTestMaterial.CompilerProbe(), ort, null).Select(BackendKind.Auto, path);
        using var backend = selection.Backend;

        Assert.IsType<OrtBackend>(backend);
        Assert.Equal(2, selection.Messages.Count);
        Assert.StartsWith("auto: the native runtime lacks op Sin (unsupported operator Sin (node 'wave', opset 13)", selection.Messages[0]);
        Assert.EndsWith("; falling back to ONNX Runtime", selection.Messages[0]);
        Assert.Equal("ONNX Runtime CPU: using CPUExecutionProvider", selection.Messages[1]);
        backend.InputFloat().Fill(1f);
        backend.Run();
        Assert.Equal(MathF.Sin(1f), backend.Output()[0], 1e-6f);
    }

    [Fact]
    [Trait("Requires", "OnnxRuntime")]
    public void Native_on_a_model_with_an_op_it_lacks_is_an_error_naming_the_op()
    {
        using var scratch = new ScratchDirectory();
        string path = BackendTestMaterial.WriteSinModel(scratch.Path);
        var selector = new BackendSelector(new BackendTestMaterial.CompilerProbe(), new OrtBackendFactory(), null);
        var ex = Assert.Throws<BackendException>(() => selector.Select(BackendKind.Native, path));
        Assert.StartsWith($"'{path}': the native runtime lacks op Sin (unsupported operator Sin (node 'wave'", ex.Message);
        Assert.EndsWith("; use --backend ort or auto to run it on ONNX Runtime", ex.Message);
    }

    [Fact]
    [Trait("Requires", "OnnxRuntime")]
    public void Ort_opens_the_onnx_model_on_onnx_runtime_and_native_compiles_it()
    {
        using var scratch = new ScratchDirectory();
        string path = BackendTestMaterial.WriteReluModel(scratch.Path);
        var selector = new BackendSelector(new BackendTestMaterial.CompilerProbe(), new OrtBackendFactory(new OrtBackendOptions { Providers = ["CPU"] }), null);
        using var ort = selector.Select(BackendKind.Ort, path).Backend;
        using var native = selector.Select(BackendKind.Native, path).Backend;
        Assert.IsType<OrtBackend>(ort);
        Assert.IsType<NativeBackend>(native);
        var x = Enumerable.Range(0, 16).Select(i => i - 7.5f).ToArray();
        foreach (var backend in new[] { ort, native })
        {
            x.CopyTo(backend.InputFloat());
            backend.Run();
            Assert.Equal(x.Select(v => Math.Max(v, 0f)).ToArray(), backend.Output().ToArray());
        }
    }

    /// <summary>Claims CUDA (or not) without loading ONNX Runtime; with <paramref name="cudaWorks"/> false, asking for
    /// CUDA alone fails as a CUDA build on a machine without a GPU does.</summary>
    private sealed class FakeOrtFactory(bool hasCuda, bool cudaWorks = true, bool loads = true) : IOrtBackendFactory
    {
        public bool HasCuda => hasCuda;

        public IReadOnlyList<string> AvailableProviders =>
            !loads ? [] : hasCuda ? ["CUDAExecutionProvider", "CPUExecutionProvider"] : ["CPUExecutionProvider"];

        public int Opened { get; private set; }

        public IReadOnlyList<string>? LastProviders { get; private set; }

        public IInferenceBackend? Last { get; private set; }

        public IInferenceBackend Open(string onnxPath, ICollection<string> log, IReadOnlyList<string>? providers = null)
        {
            LastProviders = providers;
            if (hasCuda && !cudaWorks && providers is ["CUDA"])
            {
                log.Add("fake: CUDA: failed: no CUDA-capable device is detected");
                throw new BackendException($"'{onnxPath}': ONNX Runtime could not load it with any of CUDA: CUDA: no CUDA-capable device is detected");
            }
            Opened++;
            log.Add(hasCuda && cudaWorks ? "fake: CUDA: using CUDAExecutionProvider" : "fake: CPU: using CPUExecutionProvider");
            Last = new FakeBackend();
            return Last;
        }
    }

    private sealed class FakeBackend : IInferenceBackend
    {
        private readonly float[] _values = new float[4];

        public string Name => "ort";
        public string Description => "fake ONNX Runtime";
        public BackendInput Input { get; } = new("x", [1, 4], IsInt8: false);
        public int OutputLength => 4;
        public Span<float> InputFloat() => _values;
        public Span<sbyte> InputInt8() => throw new InvalidOperationException("float input");
        public void Run() { }
        public ReadOnlySpan<float> Output() => _values;
        public void Dispose() { }
    }
}
