using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Memory;

/// <summary>
/// Makes a <see cref="MemoryPlan"/> for a model: the tensor lifetimes (<see cref="TensorLifetimes"/>), with each
/// in-place op's output joined to the input it overwrites (<see cref="InPlaceRules"/>) into one buffer that lives
/// from the first tensor's producer to the last one's last reader, packed by an <see cref="IMemoryPlanner"/>.
/// </summary>
public static class MemoryPlanBuilder
{
    /// <summary>The arena alignment the compiler and the session use: a cache line, so that no two tensors
    /// share one and vector loads of a tensor's start are aligned.</summary>
    public const int DefaultAlignment = 64;

    public static MemoryPlan Build(CompiledModel model, IMemoryPlanner planner, bool inPlace = true, int alignment = DefaultAlignment)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(planner);
        var lifetimes = TensorLifetimes.Compute(model);
        int n = model.Tensors.Length;

        // Union of in-place chains: group[t] is the tensor that represents t's shared buffer.
        var group = new int[n];
        for (int t = 0; t < n; t++) group[t] = t;
        if (inPlace)
        {
            var last = new int[n];
            Array.Fill(last, -1);
            foreach (var r in lifetimes) last[r.Id] = r.LastUse;
            var isOutput = new bool[n];
            foreach (var t in model.Outputs) isOutput[t] = true;
            for (int i = 0; i < model.Ops.Length; i++)
            {
                int k = InPlaceRules.Choose(model, i, last, isOutput);
                if (k >= 0) group[model.Ops[i].Outputs[0]] = group[model.Ops[i].Inputs[k]];
            }
        }

        // Ops run in order, so an input's group is final before its in-place output joins it.
        var members = new Dictionary<int, BufferRequest>();
        foreach (var r in lifetimes)
        {
            int g = group[r.Id];
            members[g] = members.TryGetValue(g, out var m)
                ? new BufferRequest(g, Math.Max(m.Size, r.Size), Math.Min(m.FirstUse, r.FirstUse), Math.Max(m.LastUse, r.LastUse))
                : r with { Id = g };
        }
        var requests = members.Values.OrderBy(r => r.Id).ToList();
        var (offsets, arena) = planner.Plan(requests, alignment);
        var groupOffset = new Dictionary<int, long>(requests.Count);
        for (int i = 0; i < requests.Count; i++) groupOffset[requests[i].Id] = offsets[i];

        var planned = lifetimes.Select(r => new PlannedTensor(r.Id, groupOffset[group[r.Id]])).OrderBy(p => p.Tensor).ToArray();
        return new MemoryPlan(planner.Name, alignment, arena, planned);
    }
}
