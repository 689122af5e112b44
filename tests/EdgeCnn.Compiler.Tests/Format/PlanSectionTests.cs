using System.Buffers.Binary;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Memory;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Format;

/// <summary>
/// The optional Plan section (id 6) of docs/model-format.md: written by the compiler as the plan a session would
/// make, read back identical, refused with the file and both tensors named when it lets live tensors overlap, and
/// not needed (the session plans itself) when a file lacks it. Entries are walked as the spec lays them out.
/// </summary>
public sealed class PlanSectionTests
{
    private static readonly CompiledModel Model = FormatTestModels.SmallNetwork();

    [Fact]
    public void Written_plan_is_optional_and_reads_back_as_the_sessions_plan()
    {
        var file = ModelWriter.ToBytes(Model);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(EcnnBytes.EntryOffset(file, 6) + 4)));

        var read = ModelReader.Read(file, "m.ecnn");
        var expected = new Session(Model).Plan;

        Assert.NotNull(read.Plan);
        Assert.Equal("greedy-by-size", read.Plan!.PlannerName);
        Assert.Equal(64, read.Plan.Alignment);
        Assert.Equal(expected.ArenaSize, read.Plan.ArenaSize);
        Assert.Equal(expected.Tensors, read.Plan.Tensors);
        Assert.Equal(Entries(file).Select(e => (e.Tensor, e.Offset)), read.Plan.Tensors.Select(p => (p.Tensor, p.Offset)));
    }

    [Fact]
    public void Overlapping_live_tensors_are_refused_naming_the_file_and_both_tensors()
    {
        var file = ModelWriter.ToBytes(Model);
        var entries = Entries(file);
        var conv = entries.Single(e => Model.Tensors[e.Tensor].Name == "conv1");
        var dw = entries.Single(e => Model.Tensors[e.Tensor].Name == "dw");
        Assert.NotEqual(conv.Offset, dw.Offset);
        // conv1 is dw's input: both are alive at the depthwise conv, which cannot run in place. dw, the smaller,
        // moves onto conv1 so that it stays inside the arena.
        file[dw.OffsetAt] = file[conv.OffsetAt];
        EcnnBytes.Resign(file);

        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(file, "m.ecnn"));
        Assert.StartsWith("m.ecnn: memory plan: tensors ", e.Message);
        Assert.Contains("'conv1'", e.Message);
        Assert.Contains("'dw'", e.Message);
        Assert.EndsWith("are alive at the same time and overlap in the arena", e.Message);
    }

    [Fact]
    public void Plan_marked_required_is_refused()
    {
        var file = ModelWriter.ToBytes(Model);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(EcnnBytes.EntryOffset(file, 6) + 4), 1);
        EcnnBytes.Resign(file);
        Assert.EndsWith("(id 6 = Plan): the section must be marked optional",
            Assert.Throws<ModelFormatException>(() => ModelReader.Read(file, "m.ecnn")).Message);
    }

    [Fact]
    public void Bad_alignment_is_refused()
    {
        var file = ModelWriter.ToBytes(Model);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(EcnnBytes.Section(file, 6).Offset), 48);
        EcnnBytes.Resign(file);
        Assert.Equal("m.ecnn: Plan section: alignment 48 is not a power of two between 1 and 4096",
            Assert.Throws<ModelFormatException>(() => ModelReader.Read(file, "m.ecnn")).Message);
    }

    [Fact]
    public void File_without_a_plan_reads_and_the_session_plans_itself()
    {
        var sections = SectionEncoder.Encode(Model).Where(s => s.Id != (uint)SectionId.Plan).ToList();
        using var stream = new MemoryStream();
        new ModelImage(sections).WriteTo(stream);

        var read = ModelReader.Read(stream.ToArray(), "m.ecnn");

        Assert.Null(read.Plan);
        Assert.Equal(new Session(Model).Plan.Tensors, new Session(read).Plan.Tensors);
    }

    private sealed record Entry(int Tensor, long Offset, int OffsetAt);

    /// <summary>The entries as the spec lays them out: after alignment, arena size, planner and count (4 × u32),
    /// a varint tensor step and a varint offset in alignment units each.</summary>
    private static List<Entry> Entries(byte[] file)
    {
        int at = EcnnBytes.Section(file, 6).Offset;
        uint alignment = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at));
        int count = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 12));
        at += 16;
        var list = new List<Entry>();
        int previous = -1;
        for (int i = 0; i < count; i++)
        {
            int tensor = previous + 1 + (int)ReadVarInt(file, ref at);
            int offsetAt = at;
            long offset = ReadVarInt(file, ref at) * alignment;
            Assert.Equal(offsetAt + 1, at);
            list.Add(new Entry(tensor, offset, offsetAt));
            previous = tensor;
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
}
