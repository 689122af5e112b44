using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Format;

public sealed class ModelWriterTests
{
    [Fact]
    public void Save_ReplacesAnExistingFile_AndLeavesNoTemporaryFiles()
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "model.ecnn");
        File.WriteAllText(path, "old contents");

        long size = ModelWriter.Save(FormatTestModels.SmallNetwork(), path);

        Assert.Equal(ModelWriter.ToBytes(FormatTestModels.SmallNetwork()), File.ReadAllBytes(path));
        Assert.Equal(File.ReadAllBytes(path).Length, size);
        Assert.Equal(["model.ecnn"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void DuplicateTensorNames_AreRefused_AndNothingIsWritten()
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "model.ecnn");

        var e = Assert.Throws<ModelFormatException>(() => ModelWriter.Save(DuplicateNames(), path));

        Assert.Equal("tensor 1 'x': the name is already used by tensor 0; tensor names must be unique", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void FailedSave_KeepsTheExistingFileUntouched()
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "model.ecnn");
        File.WriteAllText(path, "previous model");

        Assert.Throws<ModelFormatException>(() => ModelWriter.Save(DuplicateNames(), path));

        Assert.Equal("previous model", File.ReadAllText(path));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void SaveIntoAMissingFolder_Throws_AndCreatesNothing()
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "missing", "model.ecnn");

        Assert.Throws<DirectoryNotFoundException>(() => ModelWriter.Save(FormatTestModels.SmallNetwork(), path));

        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void NameThatIsNotValidUnicode_IsRefused()
    {
        var tensors = new[] { new TensorInfo("bad\uD800name", DataType.Float32, [1], TensorKind.Input) };
        var model = new CompiledModel(tensors, [], [0], [0], ReadOnlyMemory<byte>.Empty);

        var e = Assert.Throws<ModelFormatException>(() => ModelWriter.ToBytes(model));

        Assert.StartsWith("tensor 0: the name is not valid Unicode text", e.Message);
    }

    [Fact]
    public void UnknownParamKey_IsRefused()
    {
        var tensors = new[]
        {
            new TensorInfo("x", DataType.Float32, [1], TensorKind.Input),
            new TensorInfo("y", DataType.Float32, [1], TensorKind.Activation),
        };
        var op = new OpDesc(OpCode.Unary, "u", [0], [1], new OpParams().Set((ParamKey)77, 1));
        var model = new CompiledModel(tensors, [op], [0], [1], ReadOnlyMemory<byte>.Empty);

        var e = Assert.Throws<ModelFormatException>(() => ModelWriter.ToBytes(model));

        Assert.Equal("op 0 'u' (Unary): parameter key 77 is not a known ParamKey", e.Message);
    }

    private static CompiledModel DuplicateNames()
    {
        var tensors = new[]
        {
            new TensorInfo("x", DataType.Float32, [2], TensorKind.Input),
            new TensorInfo("x", DataType.Float32, [2], TensorKind.Activation),
        };
        var op = new OpDesc(OpCode.Unary, "relu", [0], [1], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Relu));
        return new CompiledModel(tensors, [op], [0], [1], ReadOnlyMemory<byte>.Empty);
    }
}
