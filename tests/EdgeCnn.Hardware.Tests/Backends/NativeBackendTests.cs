using EdgeCnn.Compiler;
using EdgeCnn.Hardware.Backends;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;
using StbImageSharp;

namespace EdgeCnn.Hardware.Tests.Backends;

public sealed class NativeBackendTests
{
    [Fact]
    public void Describes_the_default_model_input_output_kernel_path_and_threads()
    {
        using var backend = new NativeBackend(ModelCompiler.Compile(BackendTestMaterial.FashionOnnx), new SessionOptions { KernelPath = KernelPath.Reference });
        Assert.Equal("native", backend.Name);
        Assert.Equal("input", backend.Input.Name);
        Assert.False(backend.Input.IsInt8);
        Assert.Equal(784, backend.Input.Shape.Aggregate(1, (a, d) => a * d));
        Assert.Equal(10, backend.OutputLength);
        Assert.Equal("EdgeCnn runtime, kernel path Reference, 1 thread", backend.Description);
    }

    [Fact]
    public void Classifies_the_sample_images_exactly_as_the_session_copying_api_does()
    {
        var model = ModelCompiler.Compile(BackendTestMaterial.FashionOnnx);
        using var backend = new NativeBackend(model);
        using var reference = new Session(model);
        var expected = new float[10];
        int correct = 0;
        foreach (var file in Directory.GetFiles(BackendTestMaterial.SamplesDirectory, "*.png").Order(StringComparer.Ordinal))
        {
            var image = ImageResult.FromMemory(File.ReadAllBytes(file), ColorComponents.Grey);
            var pixels = image.Data.Select(p => p / 255f).ToArray();
            pixels.CopyTo(backend.InputFloat());
            backend.Run();
            reference.Run(pixels, expected);
            Assert.Equal(expected, backend.Output().ToArray());
            if (BackendTestMaterial.ArgMax(backend.Output()) == Path.GetFileName(file)[0] - '0') correct++;
        }
        // The samples are the first test image of each class; the trained model gets them right.
        Assert.True(correct >= 9, $"{correct} of 10 samples classified correctly");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Write_run_read_allocates_nothing_after_the_first_run(int threads)
    {
        using var backend = new NativeBackend(BackendTestMaterial.FashionInt8Ecnn, new SessionOptions { ThreadCount = threads });
        // Eight deterministic images in [0, 1]: what matters is that each run reads a fresh input.
        var images = Enumerable.Range(0, 8).Select(k => Enumerable.Range(0, 784).Select(i => (i * 31 + k * 17) % 256 / 255f).ToArray()).ToArray();
        float sink = 0;
        void Step(int n)
        {
            images[n % images.Length].CopyTo(backend.InputFloat());
            backend.Run();
            sink += backend.Output()[0];
        }
        for (int n = 0; n < 20; n++) Step(n);

        // Worker threads hand off through a monitor whose first contended waits allocate once, at a load-dependent
        // moment (see SessionThreadTests): steady state is a window of runs with no byte allocated, within 5 windows.
        long allocated = -1;
        for (int window = 0; window < 5 && allocated != 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int n = 0; n < 100; n++) Step(n);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(0, allocated);
        Assert.True(float.IsFinite(sink));
    }

    [Fact]
    public void Int8_model_file_runs_on_float_input_and_matches_its_golden_output()
    {
        string folder = Path.GetDirectoryName(BackendTestMaterial.FashionInt8Ecnn)!;
        var input = ReadFloats(Path.Combine(folder, "input.bin"));
        var golden = ReadFloats(Path.Combine(folder, "output.bin"));
        using var backend = new NativeBackend(BackendTestMaterial.FashionInt8Ecnn);
        Assert.Contains($"kernel path {backend.Session.KernelPath}", backend.Description);
        input.CopyTo(backend.InputFloat());
        backend.Run();
        // Integer kernels give the same bytes on every path (tests/data/golden/README.md).
        Assert.Equal(golden, backend.Output().ToArray());
    }

    [Fact]
    public void Int8_input_model_reports_its_quantization_and_refuses_float_writes()
    {
        var sketch = Int8InputModel(scale: 0.5f, zeroPoint: -3);
        using var backend = new NativeBackend(sketch);
        Assert.True(backend.Input.IsInt8);
        Assert.Equal((0.5f, -3), (backend.Input.Scale, backend.Input.ZeroPoint));
        var ex = Assert.Throws<InvalidOperationException>(() => backend.InputFloat());
        Assert.Contains("'q'", ex.Message);
        Assert.Equal(4, backend.InputInt8().Length);

        backend.InputInt8()[0] = 7; // (7 - (-3)) * 0.5 = 5
        backend.InputInt8()[1] = -3;
        backend.InputInt8()[2] = -128;
        backend.InputInt8()[3] = 127;
        backend.Run();
        Assert.Equal([5f, 0f, -62.5f, 65f], backend.Output().ToArray());
    }

    [Fact]
    public void Float_model_refuses_int8_writes()
    {
        using var backend = new NativeBackend(BackendTestMaterial.FashionInt8Ecnn);
        var ex = Assert.Throws<InvalidOperationException>(() => backend.InputInt8());
        Assert.Contains("'input'", ex.Message);
    }

    [Fact]
    public void Missing_model_file_is_reported_with_its_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgecnn-missing-{Guid.NewGuid():N}.ecnn");
        var ex = Assert.Throws<FileNotFoundException>(() => new NativeBackend(path));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Corrupt_model_file_is_reported_with_its_path()
    {
        using var scratch = new ScratchDirectory();
        string path = scratch.File("broken.ecnn");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8]);
        var ex = Assert.Throws<ModelFormatException>(() => new NativeBackend(path));
        Assert.Contains(path, ex.Message);
    }

    private static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    /// <summary>q (Int8 [1,4], scale/zero point as given) → Dequantize → y (Float32): the smallest model with an int8
    /// input.</summary>
    private static CompiledModel Int8InputModel(float scale, int zeroPoint)
    {
        var q = new TensorInfo("q", DataType.Int8, [1, 4], TensorKind.Input) { Quant = QuantParams.PerTensor(scale, zeroPoint) };
        var y = new TensorInfo("y", DataType.Float32, [1, 4], TensorKind.Activation);
        return new CompiledModel([q, y], [new OpDesc(OpCode.Dequantize, "dequantize", [0], [1], new OpParams())], [0], [1], ReadOnlyMemory<byte>.Empty);
    }
}
