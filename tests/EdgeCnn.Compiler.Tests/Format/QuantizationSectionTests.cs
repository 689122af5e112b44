using System.Buffers.Binary;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Format;

/// <summary>
/// The Quantization section (id 7) of docs/model-format.md: its place and layout in a written file, the
/// round trip of every tensor's params, how a runtime that does not know it refuses the file, and the
/// messages for damaged records (offsets computed from the spec, re-signed).
/// </summary>
public sealed class QuantizationSectionTests
{
    private static readonly CompiledModel Model = FormatTestModels.QuantizedNetwork();

    [Fact]
    public void QuantizedNetwork_ComesBackIdentical()
    {
        var read = ModelReader.Read(ModelWriter.ToBytes(Model), "q.ecnn");
        ModelAssert.Same(Model, read);
        Assert.Equal(12, read.Tensors.Count(t => t.Quant is not null));
    }

    [Fact]
    public void SavedAndLoadedQuantizedModel_RunsBitForBitLikeTheOriginal()
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "q.ecnn");
        ModelWriter.Save(Model, path);

        var expected = RunOnce(Model);
        var actual = RunOnce(ModelReader.Load(path));

        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i].Select(BitConverter.SingleToInt32Bits), actual[i].Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(1.0, expected[0].Sum(), 5);
        Assert.True(expected[1].Distinct().Count() > 10, "the dequantized feature map barely varies");
    }

    [Fact]
    public void Section_FollowsTheTensors_IsRequired_AndOnlyQuantizedModelsHaveIt()
    {
        var file = Written();
        var ids = Enumerable.Range(0, EcnnBytes.SectionCount(file))
            .Select(i => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(EcnnBytes.HeaderSize + i * EcnnBytes.EntrySize)))
            .ToArray();
        Assert.Equal([1u, 2u, 7u, 3u, 4u, 5u], ids);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(EcnnBytes.EntryOffset(file, 7) + 4)));

        var floatFile = ModelWriter.ToBytes(FormatTestModels.SmallNetwork());
        Assert.Equal(5, EcnnBytes.SectionCount(floatFile));
    }

    [Fact]
    public void Records_AreLaidOutAsTheSpecSays()
    {
        var file = Written();
        var (at, length) = EcnnBytes.Section(file, 7);
        int end = at + length;
        int count = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at));
        at += 4;
        var quantized = Enumerable.Range(0, Model.Tensors.Length).Where(i => Model.Tensors[i].Quant is not null).ToArray();
        Assert.Equal(quantized.Length, count);
        foreach (int tensor in quantized)
        {
            var q = Model.Tensors[tensor].Quant!;
            Assert.Equal(tensor, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at)));
            Assert.Equal(q.Axis, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 4)));
            int n = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 8));
            Assert.Equal(q.Scales.Length, n);
            for (int k = 0; k < n; k++)
            {
                Assert.Equal(q.Scales[k], BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(at + 12 + 4 * k)));
                Assert.Equal(q.ZeroPoints[k], BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 12 + 4 * n + 4 * k)));
            }
            at += 12 + 8 * n;
        }
        Assert.Equal(end, at);
    }

    [Fact]
    public void A_runtime_that_does_not_know_the_section_refuses_the_file_as_needing_a_newer_runtime()
    {
        // What a reader from before the Quantization section sees: a required section with an id it does not know.
        var file = Written();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(EcnnBytes.EntryOffset(file, 7)), 99);
        Assert.Equal("m.ecnn: section table entry 2 (id 99): the section is marked required, but this runtime does not know it (the file needs a newer runtime)",
            Refuse(file));
    }

    [Fact]
    public void Section_marked_optional_is_refused()
    {
        var file = Written();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(EcnnBytes.EntryOffset(file, 7) + 4), 0);
        Assert.Equal("m.ecnn: section table entry 2 (id 7 = Quantization): the section must be marked required", Refuse(file));
    }

    [Fact]
    public void TensorIndexOutOfRange()
    {
        var file = Written();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(Record(file, 0)), 999);
        Assert.Equal($"m.ecnn: quantization record 0: tensor index 999 is out of range; the model has {Model.Tensors.Length} tensors", Refuse(file));
    }

    [Fact]
    public void TensorIndicesNotAscending()
    {
        var file = Written();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(Record(file, 1)), 1);
        Assert.Equal("m.ecnn: quantization record 1: tensor index 1 is repeated or out of order (indices must ascend)", Refuse(file));
    }

    [Fact]
    public void ZeroChannels()
    {
        var file = Written();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(Record(file, 0) + 8), 0);
        Assert.Equal("m.ecnn: quantization record 0 (tensor 1 'image_q'): channel count is 0; a quantization needs at least one scale", Refuse(file));
    }

    [Fact]
    public void AbsurdRecordCount_IsRefusedBeforeAllocating()
    {
        var file = Written();
        var (at, length) = EcnnBytes.Section(file, 7);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), uint.MaxValue);
        Assert.Equal($"m.ecnn: Quantization section: record count is 4294967295, but only {length - 4} bytes remain in the Quantization section (each entry needs at least 20)",
            Refuse(file));
    }

    [Fact]
    public void AbsurdChannelCount_IsRefusedBeforeAllocating()
    {
        var file = Written();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(Record(file, 1) + 8), int.MaxValue);
        Assert.StartsWith("m.ecnn: quantization record 1 (tensor 2 'conv1.w'): channel count is 2147483647, but only ", Refuse(file));
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(0f, "0")]
    [InlineData(-0.5f, "-0.5")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    public void BadScale_NamesTheTensor(float scale, string text)
    {
        var file = Written();
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(Record(file, 0) + 12), scale);
        Assert.Equal($"m.ecnn: tensor 'image_q': quantization scale 0 is {text}; scales must be finite and positive", Refuse(file));
    }

    [Fact]
    public void Int8ZeroPointOutOfRange()
    {
        var file = Written();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(Record(file, 0) + 16), 128);
        Assert.Equal("m.ecnn: tensor 'image_q': zero point 0 is 128, outside the Int8 range -128..127", Refuse(file));
    }

    [Fact]
    public void AxisOutsideTheRank()
    {
        var file = Written();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(Record(file, 1) + 4), 4);
        Assert.Equal("m.ecnn: tensor 'conv1.w': quantization axis 4 is outside its rank 4 (-1 = per tensor)", Refuse(file));
    }

    [Fact]
    public void ScaleCountDiffersFromTheAxis()
    {
        var file = Written();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(Record(file, 1) + 4), 3);
        Assert.Equal("m.ecnn: tensor 'conv1.w': per-channel quantization along axis 3 has 8 scales, the axis has 3 channels", Refuse(file));
    }

    [Fact]
    public void PerTensorWithSeveralScales()
    {
        var file = Written();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(Record(file, 1) + 4), -1);
        Assert.Equal("m.ecnn: tensor 'conv1.w': per-tensor quantization (axis -1) has 8 scales, needs 1", Refuse(file));
    }

    [Fact]
    public void FloatTensorWithARecord()
    {
        var file = Written();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(Record(file, 0)), 0);
        Assert.Equal("m.ecnn: tensor 'image' is Float32 but carries quantization parameters (only Int8 and Int32 tensors are quantized)", Refuse(file));
    }

    [Fact]
    public void Int8TensorWithoutARecord()
    {
        // Re-encode the section without record 0, the params of the Int8 'image_q'.
        var sections = SectionEncoder.Encode(Model).ToList();
        int index = sections.FindIndex(x => x.Id == (uint)SectionId.Quantization);
        var content = sections[index].Content.ToArray();
        int first = 4 + 12 + 8 * BinaryPrimitives.ReadInt32LittleEndian(content.AsSpan(4 + 8));
        var shorter = content[first..];
        var withoutFirst = new byte[4 + shorter.Length];
        BinaryPrimitives.WriteInt32LittleEndian(withoutFirst, BinaryPrimitives.ReadInt32LittleEndian(content) - 1);
        shorter.CopyTo(withoutFirst, 4);
        sections[index] = sections[index] with { Content = withoutFirst };
        using var stream = new MemoryStream();
        new ModelImage(sections).WriteTo(stream);
        Assert.Equal("m.ecnn: tensor 'image_q' is Int8 but has no quantization parameters", Refuse(stream.ToArray()));
    }

    private static byte[] Written() => ModelWriter.ToBytes(Model);

    private static float[][] RunOnce(CompiledModel model)
    {
        var random = new Random(3);
        var input = Enumerable.Range(0, 8 * 8 * 3).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray();
        var outputs = model.Outputs.Select(t => new float[model.Tensors[t].ElementCount]).ToArray();
        new Session(model).Run([input], outputs.Select(o => (Memory<float>)o).ToArray());
        return outputs;
    }

    /// <summary>Where quantization record <paramref name="index"/> starts, walking the records as the spec lays them out.</summary>
    private static int Record(byte[] file, int index)
    {
        int at = EcnnBytes.Section(file, 7).Offset + 4;
        for (int i = 0; i < index; i++) at += 12 + 8 * BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 8));
        return at;
    }

    private static string Refuse(byte[] file)
    {
        EcnnBytes.Resign(file);
        return Assert.Throws<ModelFormatException>(() => ModelReader.Read(file, "m.ecnn")).Message;
    }
}
