namespace EdgeCnn.Runtime.Model;

/// <summary>
/// Constants of the .ecnn file format (docs/model-format.md). They live in the runtime so the reader
/// and the compiler's writer cannot drift apart; a round-trip test keeps both honest.
/// All integers are little-endian.
/// </summary>
public static class ModelFormat
{
    /// <summary>"ECNN" followed by CR LF SUB LF: a text-mode transfer or a truncated download damages
    /// these bytes first, so such a file is recognised as not-a-model instead of as a corrupt one.</summary>
    public static ReadOnlySpan<byte> Magic => "ECNN\r\n\u001a\n"u8;

    /// <summary>The layout version the writer emits. Bumped when the meaning of an existing section changes;
    /// new information goes into new sections instead (see <see cref="SectionFlags"/>). Version 2 made the
    /// Quantization section compact (varint indices, zero points only when non-zero, derived bias scales).</summary>
    public const uint Version = 2;

    /// <summary>The oldest version the reader still reads (version 1: full Quantization records).</summary>
    public const uint MinVersion = 1;

    public const int HeaderSize = 32;
    public const int SectionEntrySize = 24;

    /// <summary>Alignment of every section offset and of every constant inside the weight blob, so that a
    /// file read into (or mapped at) a 16-byte aligned address has 16-byte aligned constants.</summary>
    public const int Alignment = 16;

    public const int MaxRank = 8;

    // Header field offsets.
    public const int MagicOffset = 0;
    public const int VersionOffset = 8;
    public const int FlagsOffset = 12;
    public const int TotalLengthOffset = 16;
    public const int ChecksumOffset = 24;
    public const int SectionCountOffset = 28;

    /// <summary>Bytes of a tensor record before its dims: name u32, type u8, kind u8, rank u8, reserved u8, constant offset u64.</summary>
    public const int TensorRecordFixedSize = 16;

    /// <summary>Bytes of an op record before its index lists: code u16, param count u16, name u32, input count u32, output count u32.</summary>
    public const int OpRecordFixedSize = 16;

    /// <summary>Bytes of a parameter before its values: key u16, kind u8, reserved u8, value count u32.</summary>
    public const int ParamFixedSize = 8;

    /// <summary>Bytes of a quantization record before its channels: tensor u32, axis i32, channel count u32.</summary>
    public const int QuantRecordFixedSize = 12;

    /// <summary>Bytes per channel of a quantization record: scale f32, zero point i32.</summary>
    public const int QuantChannelSize = 8;
}

/// <summary>Section ids. A future optional section (metadata) gets a new id; readers that do not know it skip it.</summary>
public enum SectionId : uint
{
    Strings = 1,
    Tensors = 2,
    Ops = 3,
    Graph = 4,
    Weights = 5,
    /// <summary>The compiler's memory plan: arena offsets of the graph inputs and activations. Optional: a reader
    /// that does not know it plans the arena itself; this runtime validates it and uses it.</summary>
    Plan = 6,
    /// <summary>Quantization params of Int8/Int32 tensors. Present only in quantized models, and marked
    /// required: a runtime without int8 support refuses such a file instead of misreading it.</summary>
    Quantization = 7,
}

[Flags]
public enum SectionFlags : uint
{
    None = 0,
    /// <summary>A reader that does not know the section id must refuse the file.</summary>
    Required = 1,
}

/// <summary>How the values of an op parameter are stored; must agree with <see cref="ParamKeyExtensions.IsFloat"/>.</summary>
public enum ParamValueKind : byte
{
    Int32List = 1,
    Float32List = 2,
}
