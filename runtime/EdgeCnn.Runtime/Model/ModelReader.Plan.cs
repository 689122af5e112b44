using EdgeCnn.Runtime.Memory;

namespace EdgeCnn.Runtime.Model;

public static partial class ModelReader
{
    /// <summary>
    /// Reads the Plan section: alignment, arena size, planner name and one (tensor, offset) entry per arena
    /// tensor, tensor indices as ascending varint steps and offsets as varint multiples of the alignment. Only the
    /// encoding is checked here; the entries are checked against the model when the plan is attached to it.
    /// </summary>
    private static MemoryPlan ReadPlan(SectionCursor c, string[] strings)
    {
        uint alignment = c.ReadUInt32("alignment");
        if (alignment == 0 || alignment > 4096 || (alignment & (alignment - 1)) != 0)
            throw c.Fail($"alignment {alignment} is not a power of two between 1 and 4096");
        uint arena = c.ReadUInt32("arena size");
        if (arena > MemoryPlanValidator.MaxArenaSize)
            throw c.Fail($"arena size {arena} exceeds the {MemoryPlanValidator.MaxArenaSize} bytes a session can hold");
        string planner = ReadName(ref c, strings);
        int count = c.ReadCount("entry count", 2);
        var entries = new PlannedTensor[count];
        long previous = -1;
        for (int i = 0; i < count; i++)
        {
            c.Context = $"plan entry {i}";
            long tensor = previous + 1 + c.ReadVarUInt32("tensor index step");
            long offset = (long)c.ReadVarUInt32("offset in alignment units") * alignment;
            if (tensor > int.MaxValue) throw c.Fail($"tensor index {tensor} is out of range");
            entries[i] = new PlannedTensor((int)tensor, offset);
            previous = tensor;
        }
        c.ExpectEnd("plan entry");
        return new MemoryPlan(planner, (int)alignment, arena, entries);
    }
}
