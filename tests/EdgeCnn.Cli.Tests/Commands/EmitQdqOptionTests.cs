using System.CommandLine;
using EdgeCnn.Cli.Commands;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Onnx.Proto;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;
using Microsoft.ML.OnnxRuntime;

namespace EdgeCnn.Cli.Tests.Commands;

public sealed class EmitQdqOptionTests
{
    [Theory]
    [InlineData("model.txt")]
    [InlineData("model")]
    [InlineData("model.ecnn")]
    public void PathsThatAreNotOnnxAreUsageErrors(string path)
    {
        var (parse, option) = Parse("--emit-qdq", path);
        var error = Assert.Throws<UsageException>(() => EmitQdqOption.Parse(parse, option));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The command writes both files; ORT on the QDQ file and EdgeCnn on the .ecnn pick the same class for
    /// every sample image of the default (Fashion-MNIST) model.</summary>
    [Fact]
    [Trait("Requires", "OnnxRuntime")]
    public void QuantizeWritesAQdqModelThatOnnxRuntimeRunsLikeTheInt8Model()
    {
        using var dir = new TempDirectory();
        string samples = Path.Combine(RepositoryPaths.FashionMnistDirectory, "samples");
        string ecnn = dir.File("fm.ecnn");
        string qdq = dir.File(Path.Combine("qdq", "fm.onnx"));
        var run = CliRun.Invoke("quantize", "--calibration", samples, "-m", "minmax", "-o", ecnn, "--emit-qdq", qdq);
        run.AssertSucceeded();
        Assert.Contains($"wrote    {qdq} (ONNX with QuantizeLinear/DequantizeLinear)", run.Output);

        var int8 = new Session(ModelReader.Load(ecnn));
        using var ort = new InferenceSession(qdq);
        var gray28 = new ImagePreprocessing { Height = 28, Width = 28, Channels = 1 };
        foreach (var file in Directory.GetFiles(samples, "*.png"))
        {
            var x = ImageTensor.Load(file, gray28).AsFloats();
            var ours = new float[10];
            int8.Run(x, ours);
            using var value = OrtValue.CreateTensorValueFromMemory(x, [1L, 1, 28, 28]);
            using var runOptions = new RunOptions();
            using var outputs = ort.Run(runOptions, [ort.InputNames[0]], [value], ort.OutputNames);
            var theirs = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            Assert.True(Array.IndexOf(ours, ours.Max()) == Array.IndexOf(theirs, theirs.Max()),
                $"{Path.GetFileName(file)}: EdgeCnn int8 [{string.Join(", ", ours)}], ORT on the QDQ export [{string.Join(", ", theirs)}]");
        }
    }

    [Fact]
    public void QuantizeRefusesANonOnnxQdqPathBeforeWorking()
    {
        using var dir = new TempDirectory();
        var run = CliRun.Invoke("quantize", "--calibration", Path.Combine(RepositoryPaths.FashionMnistDirectory, "samples"),
            "-o", dir.File("fm.ecnn"), "--emit-qdq", dir.File("fm.txt"));
        run.AssertFailed(2, "--emit-qdq");
        Assert.False(File.Exists(dir.File("fm.ecnn")));
    }

    [Fact]
    public void AbsentOptionIsNullAndOnnxPathsPass()
    {
        var (absent, option) = Parse();
        Assert.Null(EmitQdqOption.Parse(absent, option));
        var (given, option2) = Parse("--emit-qdq", "out/Model.ONNX");
        Assert.Equal("out/Model.ONNX", EmitQdqOption.Parse(given, option2));
    }

    [Fact]
    public void WritesTheQdqModelIntoANewFolderWithNothingElseLeft()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"edgecnn-emit-qdq-{Guid.NewGuid():N}");
        try
        {
            var path = Path.Combine(folder, "nested", "model.qdq.onnx");
            long written = EmitQdqOption.Write(path, QuantizedConvNet());
            Assert.Equal(written, new FileInfo(path).Length);
            Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            var ops = model.Graph.Node.Select(n => n.OpType).ToList();
            Assert.Contains("QuantizeLinear", ops);
            Assert.Contains("DequantizeLinear", ops);
            var conv = model.Graph.Node.Single(n => n.OpType == "Conv");
            var weightsDq = model.Graph.Node.Single(n => n.Output.Contains(conv.Input[1]));
            Assert.Equal("DequantizeLinear", weightsDq.OpType);
            var weights = model.Graph.Initializer.Single(t => t.Name == weightsDq.Input[0]);
            Assert.Equal((int)ElementType.Int8, weights.DataType);
            Assert.Equal(new long[] { 4, 2, 3, 3 }, weights.Dims);
            Assert.Equal("x", model.Graph.Input.Single().Name);
            Assert.Equal("y", model.Graph.Output.Single().Name);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static (ParseResult Parse, Option<string?> Option) Parse(params string[] args)
    {
        var option = EmitQdqOption.Create();
        var command = new RootCommand { option };
        return (command.Parse(args), option);
    }

    /// <summary>x[1,2,6,6] → Conv 3×3 (4 filters) → Relu → y, quantized with min/max ranges from a few random inputs.</summary>
    private static Graph QuantizedConvNet()
    {
        var random = new Random(7);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var b = new OnnxModelBuilder(13);
        b.AddInput("x", [1, 2, 6, 6]);
        b.AddInitializer("w", [4, 2, 3, 3], Random(72));
        b.AddInitializer("b", [4], Random(4));
        b.AddNode("Conv", ["x", "w", "b"], ["c"]).Attr("pads", [1L, 1, 1, 1]);
        b.AddNode("Relu", ["c"], ["y"]);
        b.AddOutput("y");
        var onnx = Path.Combine(Path.GetTempPath(), $"edgecnn-emit-qdq-{Guid.NewGuid():N}.onnx");
        try
        {
            b.Save(onnx);
            var graph = ModelCompiler.Import(onnx);
            PassPipeline.Run(graph, optimize: true);
            QuantizationPreparation.Prepare(graph);
            var statistics = Calibrator.Collect(GraphLowering.Lower(graph), InMemoryCalibrationSamples.SingleInput(Enumerable.Range(0, 4).Select(_ => Random(72))));
            var ranges = statistics.Select(CalibrationMethod.MinMax).ToDictionary(r => r.Tensor.Name, r => r.Range);
            return Quantizer.Quantize(graph, ranges).Graph;
        }
        finally
        {
            File.Delete(onnx);
        }
    }
}
