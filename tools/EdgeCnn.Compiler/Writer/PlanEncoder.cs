using EdgeCnn.Runtime.Memory;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Writer;

/// <summary>
/// Encodes the optional Plan section: u32 alignment, u32 arena size, u32 planner name (string index), u32 entry
/// count, then per arena tensor a varint tensor-index step (from the previous entry + 1) and a varint offset in
/// units of the alignment. The plan is the model's own when it carries one, else the compiler plans it here with
/// the runtime's default planner (greedy by size, in place), so every file the compiler writes has one.
/// </summary>
internal static class PlanEncoder
{
    public static byte[] Encode(CompiledModel model, StringTableBuilder strings)
    {
        var plan = model.Plan ?? MemoryPlanBuilder.Build(model, new GreedyBySizePlanner());
        if (plan.ArenaSize > MemoryPlanValidator.MaxArenaSize)
            throw new ModelFormatException($"the memory plan needs a {plan.ArenaSize}-byte arena; at most {MemoryPlanValidator.MaxArenaSize} bytes fit a session");
        using var buffer = new MemoryStream();
        using var w = new BinaryWriter(buffer);
        w.Write((uint)plan.Alignment);
        w.Write((uint)plan.ArenaSize);
        w.Write(strings.Add(plan.PlannerName, "memory plan planner name"));
        w.Write((uint)plan.Tensors.Length);
        int previous = -1;
        foreach (var p in plan.Tensors)
        {
            VarInt.Write(w, (uint)(p.Tensor - previous - 1));
            VarInt.Write(w, checked((uint)(p.Offset / plan.Alignment)));
            previous = p.Tensor;
        }
        w.Flush();
        return buffer.ToArray();
    }
}
