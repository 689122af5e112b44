using System.Buffers.Binary;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Model;

public sealed class ModelReaderTests
{
    [Fact]
    public void FileWrittenByHandFromTheSpec_IsReadAndRuns()
    {
        var model = ModelReader.Read(HandWrittenModelFile.MulByConstant(), "hand.ecnn");

        Assert.Equal(["x", "w", "y"], model.Tensors.Select(t => t.Name));
        Assert.Equal([TensorKind.Input, TensorKind.Constant, TensorKind.Activation], model.Tensors.Select(t => t.Kind));
        Assert.Equal([1, 4], model.Tensors[2].Shape);
        Assert.Equal(16, model.Tensors[1].ConstantOffset);
        Assert.Equal([2f, 3f, 5f, 7f], model.ConstantFloats(1).ToArray());
        var op = Assert.Single(model.Ops);
        Assert.Equal(OpCode.Binary, op.Code);
        Assert.Equal((int)BinaryKind.Mul, op.Params.GetInt(ParamKey.Kind));

        var output = new float[4];
        new Session(model).Run([1f, -2f, 0.5f, 10f], output);
        Assert.Equal([2f, -6f, 2.5f, 70f], output);
    }

    [Fact]
    public void Load_ReadsTheFile_WithConstantsAlignedInMemory()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgecnn-reader-{Guid.NewGuid():N}.ecnn");
        File.WriteAllBytes(path, HandWrittenModelFile.MulByConstant());
        try
        {
            var model = ModelReader.Load(path);
            Assert.Equal([2f, 3f, 5f, 7f], model.ConstantFloats(1).ToArray());
            Assert.Equal(0, AddressOf(model.ConstantBytes(1)) % 16);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_OfATextFile_NamesThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgecnn-reader-{Guid.NewGuid():N}.ecnn");
        File.WriteAllText(path, "this is not a model, just some text that is long enough");
        try
        {
            var e = Assert.Throws<ModelFormatException>(() => ModelReader.Load(path));
            Assert.StartsWith(path + ": the file does not start with the .ecnn magic bytes", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_OfAMissingFile_IsAnIoError()
    {
        Assert.Throws<FileNotFoundException>(() => ModelReader.Load(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.ecnn")));
    }

    [Fact]
    public void EmptyData_IsRefused()
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(ReadOnlyMemory<byte>.Empty, "empty.ecnn"));
        Assert.Equal("empty.ecnn: the file is 0 bytes, shorter than the 32-byte .ecnn header (truncated, or not an .ecnn model)", e.Message);
    }

    [Fact]
    public void RandomBytesBehindAValidHeader_AreRefusedWithModelFormatException()
    {
        // A correct magic, version, length and checksum get the garbage past the header into the
        // section-table and section parsers.
        var random = new Random(99);
        for (int trial = 0; trial < 5_000; trial++)
        {
            var file = new byte[random.Next(32, 600)];
            random.NextBytes(file);
            "ECNN\r\n\u001a\n"u8.CopyTo(file);
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), 0);
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), (ulong)file.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(28), (uint)random.Next(0, 8));
            HandWrittenModelFile.Resign(file);

            Assert.Throws<ModelFormatException>(() => ModelReader.Read(file, "garbage.ecnn"));
        }
    }

    [Fact]
    public void GarbageTablesInValidSections_AreRefusedWithModelFormatException()
    {
        // Five well-placed required sections with random contents: every table parser sees garbage.
        var random = new Random(5);
        for (int trial = 0; trial < 5_000; trial++)
        {
            var sections = new List<(uint, byte[])>();
            for (uint id = 1; id <= 5; id++)
            {
                var content = new byte[random.Next(0, 80)];
                random.NextBytes(content);
                // Small counts, so the parsers get past the first field most of the time.
                if (content.Length >= 4 && random.Next(2) == 0) BinaryPrimitives.WriteUInt32LittleEndian(content, (uint)random.Next(0, 4));
                sections.Add((id, content));
            }
            var file = HandWrittenModelFile.Assemble(sections);
            try
            {
                ModelReader.Read(file, "garbage.ecnn");
            }
            catch (ModelFormatException)
            {
            }
        }
    }

    private static unsafe long AddressOf(ReadOnlyMemory<byte> memory)
    {
        fixed (byte* p = memory.Span) return (long)p;
    }
}
