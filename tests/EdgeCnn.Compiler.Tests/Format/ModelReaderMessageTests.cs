using System.Buffers.Binary;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Format;

/// <summary>
/// Specific damage at offsets computed from docs/model-format.md (so the layout itself is checked too),
/// re-signed, must be reported with a message that names the file, the record and the field.
/// </summary>
public sealed class ModelReaderMessageTests
{
    private static readonly CompiledModel Model = FormatTestModels.SmallNetwork();

    [Fact]
    public void TooShortFile()
    {
        Assert.Equal("m.ecnn: the file is 10 bytes, shorter than the 32-byte .ecnn header (truncated, or not an .ecnn model)",
            Refuse(Written()[..10]));
    }

    [Fact]
    public void WrongMagic()
    {
        var file = Written();
        file[4] = (byte)'\n';
        Assert.Contains("m.ecnn: the file does not start with the .ecnn magic bytes", Refuse(file));
    }

    [Fact]
    public void NewerVersion()
    {
        var file = Written();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 7);
        Assert.Equal("m.ecnn: format version 7 is not supported; this runtime reads versions 1 to 2", Refuse(file));
    }

    [Fact]
    public void DamagedContents_FailTheChecksum()
    {
        var file = Written();
        file[^1] ^= 0x10;
        Assert.Matches(@"^m\.ecnn: checksum mismatch: the header says CRC-32 0x[0-9A-F]{8}, the contents hash to 0x[0-9A-F]{8}; the file is corrupt$", Refuse(file));
    }

    [Fact]
    public void UnknownHeaderFlags()
    {
        var file = Written();
        file[12] = 4;
        Assert.Equal("m.ecnn: header flags 0x00000004 has bits set that format version 2 does not define", Refuse(file));
    }

    [Fact]
    public void OverlappingSections()
    {
        var file = Written();
        var (ops, opsLength) = EcnnBytes.Section(file, (uint)SectionId.Ops);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(EcnnBytes.EntryOffset(file, (uint)SectionId.Graph) + 8), (ulong)(ops + 16));
        Assert.Equal($"m.ecnn: section Graph at offset {ops + 16} overlaps section Ops ({opsLength} bytes at offset {ops})", Refuse(file, resign: true));
    }

    [Fact]
    public void MisalignedSection()
    {
        var file = Written();
        var (graph, _) = EcnnBytes.Section(file, (uint)SectionId.Graph);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(EcnnBytes.EntryOffset(file, (uint)SectionId.Graph) + 8), (ulong)(graph + 4));
        Assert.Equal($"m.ecnn: section table entry 3 (id 4 = Graph): offset {graph + 4} is not 16-byte aligned", Refuse(file, resign: true));
    }

    [Fact]
    public void SectionBeyondTheEndOfTheFile()
    {
        var file = Written();
        EcnnBytes.SetSectionLength(file, (uint)SectionId.Weights, long.MaxValue);
        var (weights, _) = EcnnBytes.Section(file, (uint)SectionId.Weights);
        // Entry 5: the optional Plan section sits between the Graph and the Weights.
        Assert.Equal($"m.ecnn: section table entry 5 (id 5 = Weights): {long.MaxValue} bytes at offset {weights} lie outside the {file.Length}-byte file (sections start after the 176-byte header and section table)",
            Refuse(file, resign: true));
    }

    [Fact]
    public void ConstantOutsideTheWeightBlob()
    {
        var sections = SectionEncoder.Encode(Model).ToList();
        int weights = sections.FindIndex(x => x.Id == (uint)SectionId.Weights);
        sections[weights] = sections[weights] with { Content = sections[weights].Content[..512] };
        using var stream = new MemoryStream();
        new ModelImage(sections).WriteTo(stream);
        Assert.Equal("m.ecnn: tensor 2 'conv1.w': constant offset 0 + 864 bytes lies outside the 512-byte weight blob",
            Refuse(stream.ToArray()));
    }

    [Fact]
    public void DuplicateTensorName()
    {
        var file = Written();
        var (strings, length) = EcnnBytes.Section(file, (uint)SectionId.Strings);
        int at = file.AsSpan(strings, length).IndexOf("extra"u8);
        "image"u8.CopyTo(file.AsSpan(strings + at));
        Assert.Equal("m.ecnn: tensor 1 'image': the name is already used by tensor 0", Refuse(file, resign: true));
    }

    [Fact]
    public void InvalidUtf8Name()
    {
        var file = Written();
        var (strings, length) = EcnnBytes.Section(file, (uint)SectionId.Strings);
        int at = file.AsSpan(strings, length).IndexOf("extra"u8);
        file[strings + at + 2] = 0xC3;
        Assert.Equal("m.ecnn: string 1: the text is not valid UTF-8", Refuse(file, resign: true));
    }

    [Fact]
    public void NegativeDimension()
    {
        var file = Written();
        int dim0 = Tensors(file) + 4 + 16;
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(dim0), -1);
        Assert.Equal("m.ecnn: tensor 0 'image': dimension 0 is -1; dimensions must not be negative", Refuse(file, resign: true));
    }

    [Fact]
    public void ElementCountOverflow_EvenWithALaterZeroDimension()
    {
        var file = Written();
        int dims = Tensors(file) + 4 + 16;
        foreach (var (d, v) in new[] { (0, int.MaxValue), (1, int.MaxValue), (2, 0), (3, 0) })
            BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(dims + 4 * d), v);
        Assert.Equal("m.ecnn: tensor 0 'image': shape [2147483647,2147483647...] has more than 2147483647 elements", Refuse(file, resign: true));
    }

    [Fact]
    public void UnknownDataType()
    {
        var file = Written();
        file[Tensors(file) + 4 + 4] = 99;
        Assert.Equal("m.ecnn: tensor 0 'image': data type 99 is unknown", Refuse(file, resign: true));
    }

    [Fact]
    public void AbsurdTensorCount_IsRefusedBeforeAllocating()
    {
        var file = Written();
        var (tensors, length) = EcnnBytes.Section(file, (uint)SectionId.Tensors);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(tensors), uint.MaxValue);
        Assert.Equal($"m.ecnn: Tensors section: tensor count is 4294967295, but only {length - 4} bytes remain in the Tensors section (each entry needs at least 16)",
            Refuse(file, resign: true));
    }

    [Fact]
    public void OpInputOutOfRange()
    {
        var file = Written();
        int input0 = Ops(file) + 4 + 16;
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(input0), 999);
        Assert.Equal($"m.ecnn: op 0 'conv1' (Conv2D): input 0 refers to tensor 999, but the model has {Model.Tensors.Length} tensors (-1 marks an absent input)",
            Refuse(file, resign: true));
    }

    [Fact]
    public void UnknownOpCode()
    {
        var file = Written();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(Ops(file) + 4), 999);
        Assert.Equal("m.ecnn: op 0: op code 999 is unknown", Refuse(file, resign: true));
    }

    [Fact]
    public void ParamValueKindDisagreesWithKey()
    {
        var file = Written();
        // conv1 has 3 inputs and 1 output; its first parameter (Kernel) follows them.
        int param0 = Ops(file) + 4 + 16 + 3 * 4 + 1 * 4;
        Assert.Equal((ushort)ParamKey.Kernel, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(param0)));
        file[param0 + 2] = (byte)ParamValueKind.Float32List;
        Assert.Equal("m.ecnn: op 0 'conv1' (Conv2D): parameter Kernel has value kind 2, but Kernel holds Int32List (1)", Refuse(file, resign: true));
    }

    [Fact]
    public void ParamKeysOutOfOrder()
    {
        var file = Written();
        int param0 = Ops(file) + 4 + 16 + 3 * 4 + 1 * 4;
        int param1 = param0 + 8 + 2 * 4;
        Assert.Equal((ushort)ParamKey.Strides, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(param1)));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(param1), (ushort)ParamKey.Kernel);
        Assert.Equal("m.ecnn: op 0 'conv1' (Conv2D): parameter Kernel is repeated or out of order (keys must ascend)", Refuse(file, resign: true));
    }

    [Fact]
    public void GraphInputThatIsNotAnInputTensor()
    {
        var file = Written();
        var (graph, _) = EcnnBytes.Section(file, (uint)SectionId.Graph);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(graph + 4), 2);
        Assert.Equal("m.ecnn: graph inputs: tensor 2 'conv1.w' is listed as a graph input, but its kind is Constant", Refuse(file, resign: true));
    }

    [Fact]
    public void ModelLevelInconsistency_IsReportedWithTheFileName()
    {
        var file = Written();
        // Make the softmax read the tensor the add produces after it.
        int softmaxInput = OpRecordOffset(file, 5) + 16;
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(softmaxInput), 13);
        Assert.Equal("m.ecnn: op 'softmax' (Softmax) reads tensor 'sum' before anything produces it", Refuse(file, resign: true));
    }

    private static byte[] Written() => ModelWriter.ToBytes(Model);

    private static int Tensors(byte[] file) => EcnnBytes.Section(file, (uint)SectionId.Tensors).Offset;

    private static int Ops(byte[] file) => EcnnBytes.Section(file, (uint)SectionId.Ops).Offset;

    /// <summary>Walks the op records as the spec lays them out and returns where op <paramref name="index"/> starts.</summary>
    private static int OpRecordOffset(byte[] file, int index)
    {
        int at = Ops(file) + 4;
        for (int i = 0; i < index; i++)
        {
            int paramCount = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 2));
            int inputs = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 8));
            int outputs = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 12));
            at += 16 + 4 * (inputs + outputs);
            for (int p = 0; p < paramCount; p++)
                at += 8 + 4 * BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 4));
        }
        return at;
    }

    private static string Refuse(byte[] file, bool resign = false)
    {
        if (resign) EcnnBytes.Resign(file);
        return Assert.Throws<ModelFormatException>(() => ModelReader.Read(file, "m.ecnn")).Message;
    }
}
