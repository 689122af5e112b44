using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Memory;

/// <summary>
/// Checks a <see cref="MemoryPlan"/> against its model before a session trusts it: one entry for exactly the
/// tensors that need arena memory, aligned offsets inside the arena, and no two tensors alive at the same time
/// sharing a byte — unless they are an in-place pair: the output of an op that <see cref="InPlaceRules"/> allows
/// and the input it overwrites, at the same offset, with the same size, the input read for the last time by
/// that op and not a graph output. Every failure is a <see cref="ModelFormatException"/> naming the tensors.
/// </summary>
public static class MemoryPlanValidator
{
    /// <summary>Largest arena a plan may ask for; the session's arena is one managed array.</summary>
    public const long MaxArenaSize = int.MaxValue / 2;

    public static void Validate(CompiledModel model, MemoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Alignment <= 0 || plan.Alignment > 4096 || (plan.Alignment & (plan.Alignment - 1)) != 0)
            throw Fail($"alignment {plan.Alignment} is not a power of two between 1 and 4096");
        if (plan.ArenaSize < 0 || plan.ArenaSize > MaxArenaSize)
            throw Fail($"arena size {plan.ArenaSize} is outside 0..{MaxArenaSize}");

        var lifetimes = TensorLifetimes.Compute(model);
        int n = model.Tensors.Length;
        var first = new int[n];
        var last = new int[n];
        Array.Fill(first, -1);
        foreach (var r in lifetimes) { first[r.Id] = r.FirstUse; last[r.Id] = r.LastUse; }
        if (plan.Tensors.Length != lifetimes.Count)
            throw Fail($"{plan.Tensors.Length} tensors are planned, but the model has {lifetimes.Count} tensors that need arena memory");

        var offset = new long[n];
        int previous = -1;
        foreach (var p in plan.Tensors)
        {
            if (p.Tensor <= previous || p.Tensor >= n)
                throw Fail($"tensor index {p.Tensor} is out of range (0..{n - 1}) or not above the previous entry's {previous}");
            previous = p.Tensor;
            var t = model.Tensors[p.Tensor];
            if (first[p.Tensor] < 0)
                throw Fail($"tensor '{t.Name}' is planned, but it is {(t.Kind == TensorKind.Constant ? "a constant" : "never used")} and needs no arena memory");
            if (p.Offset < 0 || p.Offset % plan.Alignment != 0 || p.Offset > plan.ArenaSize - t.ByteLength)
                throw Fail($"tensor '{t.Name}' ({t.ByteLength} bytes) at offset {p.Offset} is not {plan.Alignment}-byte aligned or lies outside the {plan.ArenaSize}-byte arena");
            offset[p.Tensor] = p.Offset;
        }

        var isOutput = new bool[n];
        foreach (var t in model.Outputs) isOutput[t] = true;
        var producer = new int[n];
        Array.Fill(producer, -1);
        for (int i = 0; i < model.Ops.Length; i++)
            foreach (var t in model.Ops[i].Outputs) producer[t] = i;

        // Sweep by offset: each tensor is compared with the tensors that start inside its bytes.
        var byOffset = plan.Tensors.Where(p => model.Tensors[p.Tensor].ByteLength > 0).OrderBy(p => p.Offset).ToArray();
        for (int i = 0; i < byOffset.Length; i++)
        {
            int a = byOffset[i].Tensor;
            long end = byOffset[i].Offset + model.Tensors[a].ByteLength;
            for (int j = i + 1; j < byOffset.Length && byOffset[j].Offset < end; j++)
            {
                int b = byOffset[j].Tensor;
                bool together = first[a] <= last[b] && first[b] <= last[a];
                if (!together || IsInPlacePair(model, a, b, offset, last, isOutput, producer) || IsInPlacePair(model, b, a, offset, last, isOutput, producer))
                    continue;
                var ta = model.Tensors[a];
                var tb = model.Tensors[b];
                throw Fail($"tensors '{ta.Name}' (ops {first[a]}..{last[a]}, bytes {offset[a]}..{offset[a] + ta.ByteLength}) and " +
                    $"'{tb.Name}' (ops {first[b]}..{last[b]}, bytes {offset[b]}..{offset[b] + tb.ByteLength}) are alive at the same time and overlap in the arena");
            }
        }
    }

    /// <summary>True when <paramref name="output"/> is computed in place over <paramref name="input"/> as the
    /// planner would do it.</summary>
    private static bool IsInPlacePair(CompiledModel model, int input, int output, long[] offset, int[] last, bool[] isOutput, int[] producer)
    {
        int i = producer[output];
        if (i < 0 || offset[input] != offset[output] || model.Tensors[input].ByteLength != model.Tensors[output].ByteLength) return false;
        if (model.Tensors[input].Kind != TensorKind.Activation || isOutput[input] || last[input] != i) return false;
        var op = model.Ops[i];
        for (int k = 0; k < op.Inputs.Length; k++)
            if (op.Inputs[k] == input && InPlaceRules.Allows(model, op, k)) return true;
        return false;
    }

    private static ModelFormatException Fail(string message) => new($"memory plan: {message}");
}
