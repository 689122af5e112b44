using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Tests.OnnxRuntime;

namespace EdgeCnn.Compiler.Tests.Onnx;

/// <summary>Corrupt input must end in <see cref="OnnxImportException"/> (or import, when the damage happens
/// to leave a valid model) — never in any other exception.</summary>
public class MalformedModelTests
{
    private static byte[] ValidModel()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [1, 2, 6, 6]);
        b.AddInitializer("w", [4, 2, 3, 3], OnnxTestModels.Random(72, 7));
        b.AddInitializer("shape", [2], [1L, -1]);
        b.AddNode("Conv", ["x", "w"], ["c"], name: "conv").Attr("pads", [1L, 1, 1, 1]);
        b.AddNode("MaxPool", ["c"], ["p"]).Attr("kernel_shape", [2L, 2]).Attr("strides", [2L, 2]);
        b.AddNode("Reshape", ["p", "shape"], ["r"]);
        b.AddNode("Softmax", ["r"], ["y"]).Attr("axis", -1L);
        b.AddOutput("y");
        return b.ToBytes();
    }

    private static void ImportOrReject(byte[] data, string name)
    {
        try
        {
            OnnxImporter.Load(data, name, new ImportOptions());
        }
        catch (OnnxImportException)
        {
        }
    }

    [Fact]
    public void Random_garbage_throws_OnnxImportException_naming_the_source()
    {
        var rng = new Random(1234);
        int rejected = 0;
        for (int i = 0; i < 300; i++)
        {
            var data = new byte[rng.Next(1, 2048)];
            rng.NextBytes(data);
            try
            {
                OnnxImporter.Load(data, "garbage.onnx", new ImportOptions());
            }
            catch (OnnxImportException ex)
            {
                Assert.Contains("garbage.onnx", ex.Message);
                rejected++;
            }
        }
        Assert.Equal(300, rejected);
    }

    [Fact]
    public void Empty_input_has_no_graph()
    {
        var ex = Assert.Throws<OnnxImportException>(() => OnnxImporter.Load([], "empty.onnx", new ImportOptions()));
        Assert.Contains("no graph", ex.Message);
    }

    [Fact]
    public void Every_truncation_of_a_valid_model_is_rejected_or_imported_never_crashes()
    {
        var model = ValidModel();
        int rejected = 0;
        for (int n = 0; n < model.Length; n++)
        {
            try
            {
                OnnxImporter.Load(model.AsSpan(0, n), "cut.onnx", new ImportOptions());
            }
            catch (OnnxImportException)
            {
                rejected++;
            }
        }
        // Almost every cut breaks the message framing or drops the graph; a few land on field boundaries.
        Assert.True(rejected > model.Length * 9 / 10, $"only {rejected} of {model.Length} truncations were rejected");
    }

    [Fact]
    public void Byte_flips_never_crash()
    {
        var model = ValidModel();
        var rng = new Random(99);
        for (int i = 0; i < model.Length; i++)
        {
            var copy = (byte[])model.Clone();
            copy[i] ^= (byte)(1 << rng.Next(8));
            ImportOrReject(copy, "flip.onnx");
            copy[i] = (byte)rng.Next(256);
            ImportOrReject(copy, "flip.onnx");
        }
    }

    [Fact]
    public void Truncated_real_model_is_rejected()
    {
        var path = OcrModels.Require(OcrModels.Classifier);
        var model = File.ReadAllBytes(path);
        var rng = new Random(5);
        for (int i = 0; i < 40; i++)
        {
            int n = rng.Next(1, model.Length - 1);
            var ex = Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(model.AsSpan(0, n), "cls.onnx", new ImportOptions()));
            Assert.Contains("cls.onnx", ex.Message);
        }
    }

    [Fact]
    public void Missing_file_is_an_OnnxImportException()
    {
        var ex = Assert.Throws<OnnxImportException>(() => OnnxImporter.Load("/nonexistent/model.onnx", new ImportOptions()));
        Assert.Contains("/nonexistent/model.onnx", ex.Message);
    }
}
