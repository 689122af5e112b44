using System.Buffers.Binary;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Format;

public sealed class ModelRoundTripTests
{
    [Fact]
    public void SmallNetwork_ComesBackIdentical()
    {
        var model = FormatTestModels.SmallNetwork();
        var read = ModelReader.Read(ModelWriter.ToBytes(model), "small.ecnn");
        ModelAssert.Same(model, read);
    }

    [Fact]
    public void EveryParamKeyDataTypeAndAwkwardValue_ComesBackIdentical()
    {
        var model = FormatTestModels.EveryParamKind();
        var read = ModelReader.Read(ModelWriter.ToBytes(model), "every.ecnn");
        ModelAssert.Same(model, read);
        Assert.Equal(Enum.GetValues<ParamKey>().Length, read.Ops[0].Params.Count);
    }

    [Fact]
    public void EmptyModel_ComesBackEmpty()
    {
        var model = new CompiledModel([], [], [], [], ReadOnlyMemory<byte>.Empty);
        var read = ModelReader.Read(ModelWriter.ToBytes(model), "empty.ecnn");
        ModelAssert.Same(model, read);
    }

    [Fact]
    public void WrittenFile_HasTheHeaderAndSectionTableTheSpecDescribes()
    {
        var file = ModelWriter.ToBytes(FormatTestModels.SmallNetwork());

        Assert.Equal("ECNN\r\n\u001a\n"u8.ToArray(), file[..8]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12)));
        Assert.Equal((ulong)file.Length, BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(16)));
        Assert.Equal(EcnnBytes.Crc(file.AsSpan(32)), EcnnBytes.StoredChecksum(file));
        Assert.Equal(6, EcnnBytes.SectionCount(file));

        // Strings, Tensors, Ops, Graph, the optional Plan, then the Weights last.
        uint[] order = [1, 2, 3, 4, 6, 5];
        int previousEnd = 32 + order.Length * 24;
        for (int i = 0; i < order.Length; i++)
        {
            int entry = 32 + i * 24;
            Assert.Equal(order[i], BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(entry)));
            Assert.Equal(order[i] == 6 ? 0u : 1u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(entry + 4)));
            var (offset, length) = EcnnBytes.Section(file, order[i]);
            Assert.Equal(0, offset % 16);
            Assert.InRange(offset - previousEnd, 0, 15);
            previousEnd = offset + length;
        }
        Assert.Equal(file.Length, previousEnd);
    }

    [Fact]
    public void EveryConstant_Is16ByteAlignedFromTheFileStart_AndStoredThere()
    {
        var model = FormatTestModels.EveryParamKind();
        var file = ModelWriter.ToBytes(model);
        var (blob, _) = EcnnBytes.Section(file, 5);
        int constants = 0;
        for (int i = 0; i < model.Tensors.Length; i++)
        {
            var t = model.Tensors[i];
            if (t.Kind != TensorKind.Constant) continue;
            long at = blob + t.ConstantOffset;
            Assert.Equal(0, at % 16);
            Assert.Equal(model.ConstantBytes(i).ToArray(), file.AsSpan((int)at, (int)t.ByteLength).ToArray());
            constants++;
        }
        Assert.Equal(7, constants);
    }

    [Fact]
    public void SaveThenLoad_ComesBackIdentical_WithConstantsAlignedInMemory()
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "model.ecnn");
        var model = FormatTestModels.EveryParamKind();

        long size = ModelWriter.Save(model, path);

        Assert.Equal(new FileInfo(path).Length, size);
        var loaded = ModelReader.Load(path);
        ModelAssert.Same(model, loaded);
        for (int i = 0; i < loaded.Tensors.Length; i++)
            if (loaded.Tensors[i].Kind == TensorKind.Constant)
                Assert.Equal(0, AddressOf(loaded.ConstantBytes(i)) % 16);
    }

    [Fact]
    public void SavedAndLoadedModel_RunsBitForBitLikeTheOriginal()
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "small.ecnn");
        var model = FormatTestModels.SmallNetwork();
        ModelWriter.Save(model, path);

        var expected = RunOnce(model);
        var actual = RunOnce(ModelReader.Load(path));

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i].Select(BitConverter.SingleToInt32Bits), actual[i].Select(BitConverter.SingleToInt32Bits));
        Assert.All(expected[0], v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void UnknownOptionalSection_IsSkipped()
    {
        var model = FormatTestModels.SmallNetwork();
        var file = WithExtraSection(model, new EncodedSection(4242, SectionFlags.None, new byte[] { 1, 2, 3, 4, 5 }));
        ModelAssert.Same(model, ModelReader.Read(file, "future.ecnn"));
    }

    [Fact]
    public void UnknownRequiredSection_IsRefused()
    {
        var file = WithExtraSection(FormatTestModels.SmallNetwork(), new EncodedSection(4242, SectionFlags.Required, new byte[] { 1, 2, 3 }));
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(file, "future.ecnn"));
        Assert.Contains("future.ecnn", e.Message);
        Assert.Contains("id 4242", e.Message);
        Assert.Contains("newer runtime", e.Message);
    }

    [Fact]
    public void MissingSection_IsRefused()
    {
        var sections = SectionEncoder.Encode(FormatTestModels.SmallNetwork()).Where(s => s.Id != (uint)SectionId.Ops).ToList();
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(Assemble(sections), "m.ecnn"));
        Assert.Equal("m.ecnn: the file has no Ops section", e.Message);
    }

    [Fact]
    public void RepeatedSection_IsRefused()
    {
        var sections = SectionEncoder.Encode(FormatTestModels.SmallNetwork()).ToList();
        sections.Insert(1, sections[0]);
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(Assemble(sections), "m.ecnn"));
        Assert.Contains("section table entry 1 (id 1 = Strings): the section appears more than once", e.Message);
    }

    [Fact]
    public void KnownSectionMarkedOptional_IsRefused()
    {
        var sections = SectionEncoder.Encode(FormatTestModels.SmallNetwork()).ToList();
        sections[2] = sections[2] with { Flags = SectionFlags.None };
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(Assemble(sections), "m.ecnn"));
        Assert.Contains("(id 3 = Ops): the section must be marked required", e.Message);
    }

    private static byte[] WithExtraSection(CompiledModel model, EncodedSection extra)
    {
        var sections = SectionEncoder.Encode(model).ToList();
        sections.Insert(2, extra);
        return Assemble(sections);
    }

    private static byte[] Assemble(IReadOnlyList<EncodedSection> sections)
    {
        using var stream = new MemoryStream();
        new ModelImage(sections).WriteTo(stream);
        return stream.ToArray();
    }

    private static float[][] RunOnce(CompiledModel model)
    {
        var random = new Random(12);
        var inputs = model.Inputs
            .Select(t => (ReadOnlyMemory<float>)Enumerable.Range(0, (int)model.Tensors[t].ElementCount).Select(_ => (float)random.NextDouble() - 0.5f).ToArray())
            .ToArray();
        var outputs = model.Outputs.Select(t => new float[model.Tensors[t].ElementCount]).ToArray();
        new Session(model).Run(inputs, outputs.Select(o => (Memory<float>)o).ToArray());
        return outputs;
    }

    private static unsafe long AddressOf(ReadOnlyMemory<byte> memory)
    {
        fixed (byte* p = memory.Span) return (long)p;
    }
}
