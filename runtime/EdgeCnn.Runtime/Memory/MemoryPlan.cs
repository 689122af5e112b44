namespace EdgeCnn.Runtime.Memory;

/// <summary>One arena buffer of a plan: the tensor and its byte offset in the arena.</summary>
public readonly record struct PlannedTensor(int Tensor, long Offset);

/// <summary>
/// Where every arena tensor (graph inputs and activations) of a model lives in the session's arena. Tensors
/// that an op computes in place (<see cref="InPlaceRules"/>) share their input's offset. Computed by
/// <see cref="MemoryPlanBuilder"/> (at compile time, stored in the .ecnn file, or by the session) and checked
/// against the model by <see cref="MemoryPlanValidator"/> whenever it is attached to a model.
/// </summary>
public sealed class MemoryPlan
{
    public MemoryPlan(string plannerName, int alignment, long arenaSize, PlannedTensor[] tensors)
    {
        PlannerName = plannerName;
        Alignment = alignment;
        ArenaSize = arenaSize;
        Tensors = tensors;
    }

    /// <summary>Which planner made the plan (for inspect output; the runtime does not depend on it).</summary>
    public string PlannerName { get; }

    /// <summary>Every offset is a multiple of this power of two.</summary>
    public int Alignment { get; }

    /// <summary>Bytes of arena the activations need (scratch comes on top).</summary>
    public long ArenaSize { get; }

    /// <summary>One entry per arena tensor, in ascending tensor order.</summary>
    public PlannedTensor[] Tensors { get; }

    /// <summary>Offsets indexed by tensor (0 for tensors outside the arena: constants, unused tensors).</summary>
    public long[] OffsetsByTensor(int tensorCount)
    {
        var offsets = new long[tensorCount];
        foreach (var p in Tensors) offsets[p.Tensor] = p.Offset;
        return offsets;
    }
}
