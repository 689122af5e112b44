using System.Buffers.Binary;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Format;

/// <summary>
/// The Quantization section (id 7) of docs/model-format.md: its place and version-2 layout in a written file,
/// the round trip of every tensor's params (derived bias scales included), how a runtime that does not know it
/// refuses the file, that version-1 records still read, and the messages for damaged records (offsets computed
/// from the spec, re-signed).
/// </summary>
public sealed class QuantizationSectionTests
{
    private const byte PerChannel = 1, ZeroPoints = 2, Derived = 4;
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
        Assert.Equal([1u, 2u, 7u, 3u, 4u, 6u, 5u], ids);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(EcnnBytes.EntryOffset(file, 7) + 4)));

        var floatFile = ModelWriter.ToBytes(FormatTestModels.SmallNetwork());
        Assert.Throws<InvalidOperationException>(() => EcnnBytes.EntryOffset(floatFile, 7));
    }

    [Fact]
    public void Records_AreLaidOutAsTheSpecSays()
    {
        var file = Written();
        var records = Records(file);
        var quantized = Enumerable.Range(0, Model.Tensors.Length).Where(i => Model.Tensors[i].Quant is not null).ToArray();
        Assert.Equal(quantized, records.Select(r => r.Tensor));
        foreach (var r in records)
        {
            var t = Model.Tensors[r.Tensor];
            var q = t.Quant!;
            Assert.Equal(!q.IsPerTensor, (r.Flags & PerChannel) != 0);
            Assert.Equal(q.ZeroPoints.Any(z => z != 0), (r.Flags & ZeroPoints) != 0);
            // Only the two biases, whose scales are s_x·s_w[c] of their op, leave their scales out.
            Assert.Equal(t.Name is "conv1.b" or "fc.b", (r.Flags & Derived) != 0);
            if (!q.IsPerTensor) Assert.Equal(q.Axis, file[r.AxisAt]);
            Assert.Equal(q.Scales.Length, r.Channels);
            for (int k = 0; k < r.Channels; k++)
            {
                if (r.ScalesAt >= 0) Assert.Equal(q.Scales[k], BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(r.ScalesAt + 4 * k)));
                if (r.ZeroPointsAt >= 0) Assert.Equal(q.ZeroPoints[k], BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(r.ZeroPointsAt + 4 * k)));
            }
        }
        var (at, length) = EcnnBytes.Section(file, 7);
        Assert.Equal(at + length, records[^1].End);
    }

    [Fact]
    public void Version_1_records_still_read()
    {
        // The Quantization section as a version-1 writer lays it out: every scale and zero point as they are.
        using var v1 = new MemoryStream();
        using (var w = new BinaryWriter(v1))
        {
            var quantized = Enumerable.Range(0, Model.Tensors.Length).Where(i => Model.Tensors[i].Quant is not null).ToArray();
            w.Write((uint)quantized.Length);
            foreach (int i in quantized)
            {
                var q = Model.Tensors[i].Quant!;
                w.Write((uint)i);
                w.Write(q.Axis);
                w.Write((uint)q.Scales.Length);
                foreach (var s in q.Scales) w.Write(s);
                foreach (var z in q.ZeroPoints) w.Write(z);
            }
        }
        var sections = SectionEncoder.Encode(Model).Where(x => x.Id != (uint)SectionId.Plan).ToList();
        int index = sections.FindIndex(x => x.Id == (uint)SectionId.Quantization);
        sections[index] = sections[index] with { Content = v1.ToArray() };
        using var stream = new MemoryStream();
        new ModelImage(sections).WriteTo(stream);
        var file = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 1);
        EcnnBytes.Resign(file);

        var read = ModelReader.Read(file, "v1.ecnn");

        ModelAssert.Same(Model, read);
        Assert.Null(read.Plan);
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
        file[Records(file)[0].Start] = 0x7F;
        Assert.Equal($"m.ecnn: quantization record 0: tensor index 127 (previous -1 + 1 + step 127) is out of range; the model has {Model.Tensors.Length} tensors", Refuse(file));
    }

    [Fact]
    public void UnknownFlags()
    {
        var file = Written();
        file[Records(file)[0].FlagsAt] |= 0x40;
        Assert.Equal("m.ecnn: quantization record 0 (tensor 1 'image_q'): flags 0x42 has bits set that format version 2 does not define", Refuse(file));
    }

    [Fact]
    public void ZeroChannels()
    {
        var file = Written();
        file[Records(file)[1].CountAt] = 0;
        Assert.Equal("m.ecnn: quantization record 1 (tensor 2 'conv1.w'): channel count is 0; a quantization needs at least one scale", Refuse(file));
    }

    [Fact]
    public void AbsurdRecordCount_IsRefusedBeforeAllocating()
    {
        var file = Written();
        var (at, length) = EcnnBytes.Section(file, 7);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), uint.MaxValue);
        Assert.Equal($"m.ecnn: Quantization section: record count is 4294967295, but only {length - 4} bytes remain in the Quantization section (each entry needs at least 2)",
            Refuse(file));
    }

    [Fact]
    public void ChannelCountBeyondTheSection_IsRefusedBeforeAllocating()
    {
        var file = Written();
        var r = Records(file)[1];
        file[r.CountAt] = 0x7F;
        Assert.StartsWith("m.ecnn: quantization record 1 (tensor 2 'conv1.w'): channel count is 127, but only ", Refuse(file));
    }

    [Fact]
    public void DerivedChannelCountBeyondTheTensor_IsRefused()
    {
        var file = Written();
        var r = Records(file).Single(x => Model.Tensors[x.Tensor].Name == "conv1.b");
        file[r.CountAt] = 0x7F;
        Assert.Equal("m.ecnn: quantization record 2 (tensor 3 'conv1.b'): channel count is 127, more than the tensor's 8 elements", Refuse(file));
    }

    [Fact]
    public void DerivedChannelCountDifferentFromTheWeights_IsRefused()
    {
        var file = Written();
        var r = Records(file).Single(x => Model.Tensors[x.Tensor].Name == "conv1.b");
        file[r.CountAt] = 7;
        Assert.Equal("m.ecnn: quantization record 2 (tensor 3 'conv1.b'): the derived scales follow the weights 'conv1.w' (per-channel axis 0 (8 scales)), but the record says axis 0 with 7 channels",
            Refuse(file));
    }

    [Fact]
    public void DerivedScalesWithZeroPoints_AreRefused()
    {
        var file = Written();
        var r = Records(file).Single(x => Model.Tensors[x.Tensor].Name == "conv1.b");
        file[r.FlagsAt] |= ZeroPoints;
        Assert.Equal("m.ecnn: quantization record 2 (tensor 3 'conv1.b'): a bias with derived scales has zero point 0; it must not store zero points", Refuse(file));
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(0f, "0")]
    [InlineData(-0.5f, "-0.5")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    public void BadScale_NamesTheTensor(float scale, string text)
    {
        var file = Written();
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(Records(file)[0].ScalesAt), scale);
        Assert.Equal($"m.ecnn: tensor 'image_q': quantization scale 0 is {text}; scales must be finite and positive", Refuse(file));
    }

    [Fact]
    public void Int8ZeroPointOutOfRange()
    {
        var file = Written();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(Records(file)[0].ZeroPointsAt), 128);
        Assert.Equal("m.ecnn: tensor 'image_q': zero point 0 is 128, outside the Int8 range -128..127", Refuse(file));
    }

    [Fact]
    public void AxisOutsideTheRank()
    {
        var file = Written();
        file[Records(file)[1].AxisAt] = 4;
        Assert.Equal("m.ecnn: tensor 'conv1.w': quantization axis 4 is outside its rank 4 (-1 = per tensor)", Refuse(file));
    }

    [Fact]
    public void ScaleCountDiffersFromTheAxis()
    {
        var file = Written();
        file[Records(file)[1].AxisAt] = 3;
        Assert.Equal("m.ecnn: tensor 'conv1.w': per-channel quantization along axis 3 has 8 scales, the axis has 3 channels", Refuse(file));
    }

    [Fact]
    public void FloatTensorWithARecord()
    {
        // A per-tensor record (step 0, no flags, scale 1) for tensor 0 'image' goes first; the old first record,
        // tensor 1, then steps 0 from it.
        var file = Written();
        var sections = SectionEncoder.Encode(Model).ToList();
        int index = sections.FindIndex(x => x.Id == (uint)SectionId.Quantization);
        var content = sections[index].Content.ToArray();
        Assert.Equal(1, content[4]);
        var longer = new byte[content.Length + 6];
        BinaryPrimitives.WriteInt32LittleEndian(longer, BinaryPrimitives.ReadInt32LittleEndian(content) + 1);
        BinaryPrimitives.WriteSingleLittleEndian(longer.AsSpan(6), 1f);
        content.AsSpan(4).CopyTo(longer.AsSpan(10));
        longer[10] = 0;
        sections[index] = sections[index] with { Content = longer };
        using var stream = new MemoryStream();
        new ModelImage(sections).WriteTo(stream);
        Assert.Equal("m.ecnn: tensor 'image' is Float32 but carries quantization parameters (only Int8 and Int32 tensors are quantized)", Refuse(stream.ToArray()));
    }

    [Fact]
    public void Int8TensorWithoutARecord()
    {
        // Re-encode the section without its last record, the params of an Int8 activation.
        var file = Written();
        var last = Records(file)[^1];
        var tensor = Model.Tensors[last.Tensor];
        Assert.Equal(DataType.Int8, tensor.Type);
        var sections = SectionEncoder.Encode(Model).ToList();
        int index = sections.FindIndex(x => x.Id == (uint)SectionId.Quantization);
        var content = sections[index].Content.ToArray()[..(last.Start - EcnnBytes.Section(file, 7).Offset)];
        BinaryPrimitives.WriteInt32LittleEndian(content, BinaryPrimitives.ReadInt32LittleEndian(content) - 1);
        sections[index] = sections[index] with { Content = content };
        using var stream = new MemoryStream();
        new ModelImage(sections).WriteTo(stream);
        Assert.Equal($"m.ecnn: tensor '{tensor.Name}' is Int8 but has no quantization parameters", Refuse(stream.ToArray()));
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

    /// <summary>Where each field of a version-2 record lies in the file (−1: not stored).</summary>
    private sealed record RecordLayout(int Start, int Tensor, byte Flags, int FlagsAt, int AxisAt, int CountAt, int Channels,
        int ScalesAt, int ZeroPointsAt, int End);

    /// <summary>Walks the records as docs/model-format.md lays them out (varint step, flags, [axis, varint count],
    /// [scales], [zero points]).</summary>
    private static List<RecordLayout> Records(byte[] file)
    {
        var (at, _) = EcnnBytes.Section(file, 7);
        int count = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at));
        at += 4;
        var list = new List<RecordLayout>();
        int previous = -1;
        for (int i = 0; i < count; i++)
        {
            int start = at;
            int tensor = previous + 1 + (int)ReadVarInt(file, ref at);
            previous = tensor;
            int flagsAt = at;
            byte flags = file[at++];
            int axisAt = -1, countAt = -1, channels = 1;
            if ((flags & PerChannel) != 0)
            {
                axisAt = at++;
                countAt = at;
                channels = (int)ReadVarInt(file, ref at);
            }
            int scalesAt = -1, zeroPointsAt = -1;
            if ((flags & Derived) == 0) { scalesAt = at; at += 4 * channels; }
            if ((flags & ZeroPoints) != 0) { zeroPointsAt = at; at += 4 * channels; }
            list.Add(new RecordLayout(start, tensor, flags, flagsAt, axisAt, countAt, channels, scalesAt, zeroPointsAt, at));
        }
        return list;
    }

    private static uint ReadVarInt(byte[] file, ref int at)
    {
        uint value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = file[at++];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }

    private static string Refuse(byte[] file)
    {
        EcnnBytes.Resign(file);
        return Assert.Throws<ModelFormatException>(() => ModelReader.Read(file, "m.ecnn")).Message;
    }
}
