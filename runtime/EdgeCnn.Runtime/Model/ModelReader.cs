using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Model;

/// <summary>
/// Reads an .ecnn file (docs/model-format.md) into a <see cref="CompiledModel"/>. Every count, offset,
/// length, enum value, index and shape is checked before it is used, so a truncated or corrupt file
/// ends in a <see cref="ModelFormatException"/> naming the file and the field — never in an
/// out-of-range read, a huge allocation or another exception type.
/// </summary>
public static partial class ModelReader
{
    /// <summary>
    /// Reads the whole file into one pinned buffer whose start is 16-byte aligned in memory, so the
    /// constants (16-byte aligned in the file) are aligned in memory too. The model keeps using that
    /// buffer for its weights.
    /// </summary>
    public static CompiledModel Load(string path) => Load(path, mapped: false);

    /// <summary>
    /// Loads a model file; with <paramref name="mapped"/> the file is memory-mapped read-only instead of copied
    /// (the pages are shared with the page cache and other processes mapping it). It is validated in full
    /// either way. A mapped model holds the mapping until it is disposed (<see cref="CompiledModel.Dispose"/>);
    /// the file must not be modified while it is mapped.
    /// </summary>
    public static CompiledModel Load(string path, bool mapped)
    {
        if (mapped)
        {
            long size = new FileInfo(path).Length;
            // Too short or too long: the copying path reports it with the usual messages (an empty file cannot be mapped).
            if (size >= ModelFormat.HeaderSize && size <= Array.MaxLength - ModelFormat.Alignment)
            {
                var mapping = new MappedFileMemory(path, (int)size);
                try
                {
                    return Read(mapping.Memory, path, mapping);
                }
                catch
                {
                    ((IDisposable)mapping).Dispose();
                    throw;
                }
            }
        }
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength - ModelFormat.Alignment)
            throw new ModelFormatException($"{path}: the file is {length} bytes; models of 2 GiB or more are not supported");

        var buffer = GC.AllocateUninitializedArray<byte>((int)length + ModelFormat.Alignment - 1, pinned: true);
        var data = buffer.AsMemory(AlignedStart(buffer), (int)length);
        int total = 0;
        while (total < data.Length)
        {
            int read = RandomAccess.Read(handle, data.Span[total..], total);
            if (read == 0)
                throw new ModelFormatException($"{path}: the file shrank to {total} bytes while it was being read (expected {length})");
            total += read;
        }
        return Read(data, path);
    }

    /// <summary>Reads a model from bytes. The returned model's weights are a slice of
    /// <paramref name="data"/> (no copy), so the caller must not modify it afterwards.</summary>
    /// <param name="sourceName">Names the data in error messages, usually the file path.</param>
    public static CompiledModel Read(ReadOnlyMemory<byte> data, string sourceName)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("the .ecnn weight blob is little-endian and is used in place; big-endian machines are not supported");

        return Read(data, sourceName, owner: null);
    }

    private static CompiledModel Read(ReadOnlyMemory<byte> data, string sourceName, IDisposable? owner)
    {
        var file = data.Span;
        var (sectionCount, version) = ReadHeader(file, sourceName);
        var directory = SectionDirectory.Parse(file, sectionCount, sourceName);

        var weights = directory[SectionId.Weights];
        var strings = ReadStrings(Section(file, directory, SectionId.Strings, sourceName));
        var tensors = ReadTensors(Section(file, directory, SectionId.Tensors, sourceName), strings, weights.Length);
        var ops = ReadOps(Section(file, directory, SectionId.Ops, sourceName), strings, tensors.Length);
        if (directory.TryGet(SectionId.Quantization, out _))
            ReadQuantization(Section(file, directory, SectionId.Quantization, sourceName), tensors, ops, version);
        var (inputs, outputs) = ReadGraph(Section(file, directory, SectionId.Graph, sourceName), tensors);
        var plan = directory.TryGet(SectionId.Plan, out _)
            ? ReadPlan(Section(file, directory, SectionId.Plan, sourceName), strings)
            : null;

        try
        {
            // Setting the plan validates it against the model (MemoryPlanValidator).
            return new CompiledModel(tensors, ops, inputs, outputs, data.Slice(weights.Offset, weights.Length))
            {
                Plan = plan,
                WeightsOwner = owner,
            };
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"{sourceName}: {e.Message}", e);
        }
    }

    /// <summary>Checks magic, version, length, checksum and flags; returns the section count and the version.</summary>
    private static (int SectionCount, uint Version) ReadHeader(ReadOnlySpan<byte> file, string source)
    {
        if (file.Length < ModelFormat.HeaderSize)
            throw new ModelFormatException($"{source}: the file is {file.Length} bytes, shorter than the {ModelFormat.HeaderSize}-byte .ecnn header (truncated, or not an .ecnn model)");
        if (!file[..ModelFormat.Magic.Length].SequenceEqual(ModelFormat.Magic))
            throw new ModelFormatException($"{source}: the file does not start with the .ecnn magic bytes; it is not an .ecnn model or was damaged in transfer");

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(file[ModelFormat.VersionOffset..]);
        if (version < ModelFormat.MinVersion || version > ModelFormat.Version)
            throw new ModelFormatException($"{source}: format version {version} is not supported; this runtime reads versions {ModelFormat.MinVersion} to {ModelFormat.Version}");

        ulong totalLength = BinaryPrimitives.ReadUInt64LittleEndian(file[ModelFormat.TotalLengthOffset..]);
        if (totalLength != (ulong)file.Length)
            throw new ModelFormatException($"{source}: header total length says {totalLength} bytes, but the file has {file.Length} bytes (truncated or damaged)");

        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(file[ModelFormat.ChecksumOffset..]);
        uint actual = Crc32.Compute(file[ModelFormat.HeaderSize..]);
        if (expected != actual)
            throw new ModelFormatException($"{source}: checksum mismatch: the header says CRC-32 0x{expected:X8}, the contents hash to 0x{actual:X8}; the file is corrupt");

        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(file[ModelFormat.FlagsOffset..]);
        if (flags != 0)
            throw new ModelFormatException($"{source}: header flags 0x{flags:X8} has bits set that format version {version} does not define");

        uint sectionCount = BinaryPrimitives.ReadUInt32LittleEndian(file[ModelFormat.SectionCountOffset..]);
        if (sectionCount > (uint)((file.Length - ModelFormat.HeaderSize) / ModelFormat.SectionEntrySize))
            throw new ModelFormatException($"{source}: header section count {sectionCount} does not fit in the {file.Length}-byte file");
        return ((int)sectionCount, version);
    }

    private static SectionCursor Section(ReadOnlySpan<byte> file, SectionDirectory directory, SectionId id, string source)
    {
        var entry = directory[id];
        return new SectionCursor(file.Slice(entry.Offset, entry.Length), source, id.ToString());
    }

    /// <summary>Offset into a pinned array at which the data starts on an <see cref="ModelFormat.Alignment"/> boundary.</summary>
    private static unsafe int AlignedStart(byte[] pinned)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        return (int)((ModelFormat.Alignment - address % ModelFormat.Alignment) % ModelFormat.Alignment);
    }
}
