using EdgeCnn.Compiler.Tests.Conformance;
using EdgeCnn.Compiler.Tests.OnnxRuntime;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Format;

/// <summary>Models produced by the real compiler pipeline survive Save/Load unchanged, and their files
/// still refuse damage.</summary>
public sealed class CompiledModelFileTests
{
    [Fact]
    public void TinyCnn_SavesAndLoadsUnchanged()
    {
        var model = ModelCompiler.Compile(Path.Combine(TestEnvironment.RepositoryRoot, "models", "tiny-cnn", "tiny-cnn.onnx"));
        CheckSaveLoad(model);
    }

    [Theory]
    [InlineData(OcrModels.Classifier, 48, 192)]
    [InlineData(OcrModels.Recognizer, 48, 320)]
    public void PaddleOcrModel_SavesAndLoadsUnchanged(string fileName, int height, int width)
    {
        var options = new CompileOptions
        {
            Import = new ImportOptions { InputShapes = new Dictionary<string, int[]> { ["x"] = [1, 3, height, width] } },
        };
        var model = ModelCompiler.Compile(OcrModels.Require(fileName), options);
        CheckSaveLoad(model);
    }

    [Fact]
    public void TinyCnn_FileRefusesSampledBitFlips()
    {
        var model = ModelCompiler.Compile(Path.Combine(TestEnvironment.RepositoryRoot, "models", "tiny-cnn", "tiny-cnn.onnx"));
        var file = ModelWriter.ToBytes(model);
        var (weights, _) = EcnnBytes.Section(file, (uint)SectionId.Weights);
        var random = new Random(77);
        // Every table bit, and a sample of the weight bits, with the checksum recomputed so the structure is checked.
        for (int i = 0; i < file.Length; i += i < weights ? 1 : random.Next(1, 64))
        {
            int bit = random.Next(8);
            file[i] ^= (byte)(1 << bit);
            EcnnBytes.Resign(file);
            try
            {
                ModelReader.Read(file, "tiny.ecnn");
            }
            catch (ModelFormatException e)
            {
                Assert.StartsWith("tiny.ecnn: ", e.Message);
            }
            file[i] ^= (byte)(1 << bit);
        }
    }

    private static void CheckSaveLoad(CompiledModel model)
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "model.ecnn");
        long size = ModelWriter.Save(model, path);
        Assert.Equal(new FileInfo(path).Length, size);
        ModelAssert.Same(model, ModelReader.Load(path));
    }
}
