using EdgeCnn.Compiler;
using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.OnnxRuntime;

namespace EdgeCnn.Hardware.Tests.Backends;

[Trait("Requires", "OnnxRuntime")]
public sealed class OrtBackendTests
{
    [Fact]
    public void Asking_for_cuda_where_the_build_lacks_it_falls_back_to_cpu_with_the_reason_logged()
    {
        var available = OrtProviders.Available();
        if (available.Contains(OrtProviders.Cuda))
            Assert.Skip($"this ONNX Runtime has the CUDA provider ({string.Join(", ", available)}); the fallback needs a build without it");
        var written = new StringWriter();
        using var backend = new OrtBackend(BackendTestMaterial.FashionOnnx, new OrtBackendOptions { Log = written });

        Assert.Equal(OrtProviders.Cpu, backend.Provider);
        Assert.Equal(
            [$"CUDA: not in this ONNX Runtime build (available: {string.Join(", ", available)})", "CPU: using CPUExecutionProvider"],
            backend.Log);
        Assert.Equal(string.Join("", backend.Log.Select(l => l + Environment.NewLine)), written.ToString());
        Assert.Equal($"ONNX Runtime {OrtProviders.Version}, CPUExecutionProvider (CUDA: not in this build)", backend.Description);
        Assert.Equal("ort", backend.Name);
    }

    [Fact]
    public void A_cuda_provider_that_fails_to_append_is_logged_with_onnx_runtimes_reason_and_cpu_follows()
    {
        if (OrtProviders.Available().Contains(OrtProviders.Cuda))
            Assert.Skip("this ONNX Runtime has the CUDA provider, so appending it does not fail");
        var log = new List<string>();
        // Claim CUDA so the opener really appends it: the CPU build then refuses, as a CUDA build without a driver does.
        var (session, provider, failures) = OrtSessionOpener.Open(BackendTestMaterial.FashionOnnx, new OrtBackendOptions(), log.Add,
            [OrtProviders.Cuda, OrtProviders.Cpu]);
        using (session)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(log[0]);
            Assert.Equal(OrtProviders.Cpu, provider);
            Assert.Equal(2, log.Count);
            Assert.StartsWith("CUDA: failed: ", log[0]);
            Assert.True(log[0].Length > "CUDA: failed: ".Length, "the reason is empty");
            Assert.Equal("CPU: using CPUExecutionProvider", log[1]);
            Assert.StartsWith("CUDA: ", Assert.Single(failures));
        }
    }

    [Fact]
    public void Cpu_only_list_logs_one_line_and_describes_the_model_input()
    {
        using var backend = new OrtBackend(BackendTestMaterial.FashionOnnx, new OrtBackendOptions { Providers = ["CPU"] });
        Assert.Equal(["CPU: using CPUExecutionProvider"], backend.Log);
        Assert.Equal(("input", false), (backend.Input.Name, backend.Input.IsInt8));
        Assert.Equal([1, 1, 28, 28], backend.Input.Shape);
        Assert.Equal(10, backend.OutputLength);
        Assert.Throws<InvalidOperationException>(() => backend.InputInt8());
    }

    [Fact]
    public void Gives_the_same_top1_as_the_native_float_model_on_300_test_images()
    {
        var (images, classes) = BackendTestMaterial.FashionTestImages(300);
        using var ort = new OrtBackend(BackendTestMaterial.FashionOnnx, new OrtBackendOptions { Providers = ["CPU"] });
        using var native = new NativeBackend(ModelCompiler.Compile(BackendTestMaterial.FashionOnnx));
        int agree = 0, nearTies = 0, correct = 0;
        for (int n = 0; n < images.Length; n++)
        {
            images[n].CopyTo(ort.InputFloat());
            images[n].CopyTo(native.InputFloat());
            ort.Run();
            native.Run();
            int a = BackendTestMaterial.ArgMax(ort.Output()), b = BackendTestMaterial.ArgMax(native.Output());
            if (a == b) agree++;
            else if (BackendTestMaterial.Margin(native.Output()) < 1e-3f) nearTies++;
            if (a == classes[n]) correct++;
            for (int c = 0; c < 10; c++)
                Assert.True(Math.Abs(ort.Output()[c] - native.Output()[c]) <= 1e-3f * (1 + Math.Abs(ort.Output()[c])),
                    $"image {n} class {c}: ONNX Runtime {ort.Output()[c]} vs native {native.Output()[c]}");
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"float: top-1 agrees on {agree}/{images.Length} ({nearTies} near ties); ONNX Runtime correct {correct}");
        Assert.True(agree + nearTies == images.Length, $"top-1 agrees on {agree} of {images.Length} images ({nearTies} near ties)");
        Assert.True(correct >= 0.88 * images.Length, $"ONNX Runtime top-1 {correct}/{images.Length}");
    }

    [Fact]
    public void Int8_native_model_agrees_with_the_float_onnx_model_on_top1()
    {
        var (images, classes) = BackendTestMaterial.FashionTestImages(300);
        using var ort = new OrtBackend(BackendTestMaterial.FashionOnnx, new OrtBackendOptions { Providers = ["CPU"] });
        using var native = new NativeBackend(BackendTestMaterial.FashionInt8Ecnn);
        int agree = 0, ortCorrect = 0, nativeCorrect = 0;
        for (int n = 0; n < images.Length; n++)
        {
            images[n].CopyTo(ort.InputFloat());
            images[n].CopyTo(native.InputFloat());
            ort.Run();
            native.Run();
            int a = BackendTestMaterial.ArgMax(ort.Output()), b = BackendTestMaterial.ArgMax(native.Output());
            if (a == b) agree++;
            if (a == classes[n]) ortCorrect++;
            if (b == classes[n]) nativeCorrect++;
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"int8 native vs float ONNX Runtime: agree {agree}/{images.Length}; correct: ONNX Runtime {ortCorrect}, native int8 {nativeCorrect}");
        // Quantization moves a few borderline images; the accuracy must not move by more than 1.5 points.
        Assert.True(agree >= 0.97 * images.Length, $"int8 native and float ONNX Runtime agree on {agree} of {images.Length}");
        Assert.True(Math.Abs(ortCorrect - nativeCorrect) <= 0.015 * images.Length, $"top-1: ONNX Runtime {ortCorrect}, native int8 {nativeCorrect} of {images.Length}");
    }

    [Fact]
    public void Runs_an_op_the_native_runtime_lacks()
    {
        using var scratch = new ScratchDirectory();
        using var backend = new OrtBackend(BackendTestMaterial.WriteSinModel(scratch.Path), new OrtBackendOptions { Providers = ["CPU"] });
        var x = Enumerable.Range(0, 16).Select(i => (i - 8) * 0.4f).ToArray();
        x.CopyTo(backend.InputFloat());
        backend.Run();
        for (int i = 0; i < 16; i++) Assert.Equal(MathF.Sin(x[i]), backend.Output()[i], 1e-6f);
    }

    [Fact]
    public void Symbolic_input_dimensions_need_the_input_shape()
    {
        using var scratch = new ScratchDirectory();
        string path = BackendTestMaterial.WriteSinModel(scratch.Path, [-1, 1, -1, 4]);
        var ex = Assert.Throws<BackendException>(() => new OrtBackend(path, new OrtBackendOptions { Providers = ["CPU"] }));
        Assert.Contains($"'{path}'", ex.Message);
        Assert.Contains("'x'", ex.Message);
        Assert.Contains("[?,1,?,4]", ex.Message);

        var wrong = Assert.Throws<BackendException>(() => new OrtBackend(path, new OrtBackendOptions { Providers = ["CPU"], InputShape = [1, 2, 3, 4] }));
        Assert.Contains("[1,2,3,4] does not fit", wrong.Message);

        using var backend = new OrtBackend(path, new OrtBackendOptions { Providers = ["CPU"], InputShape = [1, 1, 3, 4] });
        Assert.Equal([1, 1, 3, 4], backend.Input.Shape);
        Assert.Equal(12, backend.OutputLength);
        backend.InputFloat().Fill(0.5f);
        backend.Run();
        Assert.All(backend.Output().ToArray(), v => Assert.Equal(MathF.Sin(0.5f), v, 1e-6f));
    }

    [Fact]
    public void A_run_through_the_binding_allocates_no_managed_memory()
    {
        using var backend = new OrtBackend(BackendTestMaterial.FashionOnnx, new OrtBackendOptions { Providers = ["CPU"] });
        for (int n = 0; n < 20; n++) backend.Run();
        // RunWithBinding passes only the binding's handle: no name arrays, no OrtValue wrappers per run. Up to five
        // windows, in case a first-time path in the wrapper (tiered JIT, a lazy field) allocates once.
        long allocated = -1;
        for (int window = 0; window < 5 && allocated != 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int n = 0; n < 100; n++) backend.Run();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Missing_file_unknown_provider_and_a_file_that_is_no_model_are_reported()
    {
        using var scratch = new ScratchDirectory();
        string missing = scratch.File("absent.onnx");
        var notFound = Assert.Throws<FileNotFoundException>(() => new OrtBackend(missing));
        Assert.Contains(missing, notFound.Message);

        var unknown = Assert.Throws<ArgumentException>(() => new OrtBackend(BackendTestMaterial.FashionOnnx, new OrtBackendOptions { Providers = ["Quantum"] }));
        Assert.Contains("'Quantum'", unknown.Message);

        string garbage = scratch.File("garbage.onnx");
        File.WriteAllText(garbage, "this is not a protobuf model");
        var bad = Assert.Throws<BackendException>(() => new OrtBackend(garbage, new OrtBackendOptions { Providers = ["CPU"] }));
        Assert.StartsWith($"'{garbage}': ONNX Runtime could not load it with any of CPU: CPU: ", bad.Message);
    }
}
