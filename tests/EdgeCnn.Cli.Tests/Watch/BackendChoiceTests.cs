using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Cli.Watch;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.OnnxRuntime;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Cli.Tests.Watch;

/// <summary>The CLI's side of <c>--backend</c>: the compiler probe and the errors `edgecnn watch` reports.</summary>
public sealed class BackendChoiceTests
{
    private static string FashionOnnx => Path.Combine(RepositoryPaths.FashionMnistDirectory, "fashion-mnist-dwsep.onnx");

    private static string FashionInt8Ecnn => Path.Combine(RepositoryPaths.Root, "tests", "data", "golden", "fashion-mnist-int8", "model.ecnn");

    [Fact]
    public void Compiler_probe_names_the_op_the_native_runtime_lacks_with_the_compile_message()
    {
        using var dir = new TempDirectory();
        string path = WriteSinModel(dir);
        var probe = new CompilerModelProbe().Compile(path);
        Assert.Null(probe.Model);
        Assert.Equal(["Sin"], probe.UnsupportedOps);
        Assert.StartsWith("unsupported operator Sin (node 'wave', opset 13)", probe.Reason);
    }

    [Fact]
    public void Compiler_probe_compiles_a_supported_model()
    {
        var probe = new CompilerModelProbe().Compile(FashionOnnx);
        Assert.NotNull(probe.Model);
        Assert.Empty(probe.UnsupportedOps);
    }

    [Fact]
    public void Compiler_probe_binds_symbolic_input_dimensions()
    {
        using var dir = new TempDirectory();
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [1, 1, -1, 4]);
        b.AddNode("Relu", ["x"], ["y"]);
        b.AddOutput("y");
        string path = dir.File("relu.onnx");
        b.Save(path);
        var probe = new CompilerModelProbe(new Dictionary<string, int[]> { ["x"] = [1, 1, 3, 4] }).Compile(path);
        Assert.Equal(12, probe.Model!.InputInfo(0).ElementCount);
    }

    [Fact]
    public void Unknown_backend_is_a_usage_error()
    {
        var ex = Assert.Throws<UsageException>(() => BackendChoice.Open("gpu", FashionOnnx));
        Assert.Equal("--backend: unknown backend 'gpu' (expected auto, native or ort)", ex.Message);
    }

    [Fact]
    public void Unknown_or_no_execution_provider_is_a_usage_error()
    {
        var unknown = Assert.Throws<UsageException>(() => BackendChoice.Open("ort", FashionOnnx, ortProviders: ["cuda", "npu"]));
        Assert.Equal("--ort-providers: unknown execution provider 'npu' (known: CUDA, TensorRT, CPU)", unknown.Message);
        var empty = Assert.Throws<UsageException>(() => BackendChoice.Open("ort", FashionOnnx, ortProviders: []));
        Assert.StartsWith("--ort-providers: the list is empty", empty.Message);
    }

    [Fact]
    [Trait("Requires", "OnnxRuntime")]
    public void Ort_with_an_explicit_provider_list_tries_only_those()
    {
        var selection = BackendChoice.Open("ort", FashionOnnx, ortProviders: ["cpu"]);
        using var backend = selection.Backend;
        Assert.Equal(["ONNX Runtime CPU: using CPUExecutionProvider"], selection.Messages);
        Assert.Equal(OrtProviders.Cpu, Assert.IsType<OrtBackend>(backend).Provider);
    }

    [Fact]
    public void Missing_model_is_an_input_file_error()
    {
        using var dir = new TempDirectory();
        string path = dir.File("absent.onnx");
        var ex = Assert.Throws<InputFileException>(() => BackendChoice.Open("auto", path));
        Assert.Equal($"'{path}': file not found", ex.Message);
    }

    [Fact]
    public void Ecnn_model_for_onnx_runtime_is_an_input_file_error()
    {
        var ex = Assert.Throws<InputFileException>(() => BackendChoice.Open("ort", FashionInt8Ecnn));
        Assert.Equal($"'{FashionInt8Ecnn}': a compiled .ecnn model runs only on the native runtime; ONNX Runtime needs the .onnx model", ex.Message);
    }

    [Fact]
    public void Native_ecnn_model_uses_the_kernel_path_and_threads()
    {
        var selection = BackendChoice.Open("native", FashionInt8Ecnn, new SessionOptions { KernelPath = KernelPath.Reference, ThreadCount = 2 });
        using var backend = selection.Backend;
        Assert.Equal("EdgeCnn runtime, kernel path Reference, 2 threads", backend.Description);
    }

    [Fact]
    [Trait("Requires", "OnnxRuntime")]
    public void Native_on_an_op_the_runtime_lacks_names_it()
    {
        using var dir = new TempDirectory();
        string path = WriteSinModel(dir);
        var ex = Assert.Throws<InputFileException>(() => BackendChoice.Open("native", path));
        Assert.StartsWith($"'{path}': the native runtime lacks op Sin (unsupported operator Sin (node 'wave'", ex.Message);
    }

    [Fact]
    [Trait("Requires", "OnnxRuntime")]
    public void Auto_falls_back_to_onnx_runtime_for_an_op_the_runtime_lacks()
    {
        using var dir = new TempDirectory();
        if (new OrtBackendFactory().HasCuda) Assert.Skip("this ONNX Runtime has the CUDA provider, so auto picks it before compiling");
        string path = WriteSinModel(dir);
        var log = new StringWriter();
        var selection = BackendChoice.Open("auto", path, ortLog: log);
        using var backend = selection.Backend;
        var ort = Assert.IsType<OrtBackend>(backend);
        Assert.Contains("lacks op Sin", selection.Messages[0]);
        Assert.EndsWith("falling back to ONNX Runtime", selection.Messages[0]);
        Assert.Contains($"CPU: using {OrtProviders.Cpu}", log.ToString());
        Assert.Equal(OrtProviders.Cpu, ort.Provider);
        backend.InputFloat().Fill(0.25f);
        backend.Run();
        Assert.Equal(MathF.Sin(0.25f), backend.Output()[15], 1e-6f);
    }

    private static string WriteSinModel(TempDirectory dir)
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [1, 1, 4, 4]);
        b.AddNode("Sin", ["x"], ["y"], name: "wave");
        b.AddOutput("y");
        string path = dir.File("sin.onnx");
        b.Save(path);
        return path;
    }
}
