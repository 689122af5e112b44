using EdgeCnn.Runtime.Memory;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Analysis;

/// <summary>What one op of a compiled model costs and sees.</summary>
/// <param name="OutputShapes">Shapes of the op's outputs, in the runtime's layout (NHWC for spatial tensors).</param>
/// <param name="Params">Elements of the constant tensors the op reads (weights, biases, folded scales).</param>
/// <param name="Macs">Multiply-accumulates of conv, transposed conv, fully connected, Gemm and MatMul ops; 0 for the rest.</param>
/// <param name="ReceptiveField">Input pixels (height, width) that one element of the first output depends on.</param>
/// <param name="ActivationBytes">Bytes of the op's outputs.</param>
public sealed record LayerStats(
    int Index,
    OpCode Op,
    string Name,
    IReadOnlyList<int[]> OutputShapes,
    long Params,
    long Macs,
    ReceptiveField ReceptiveField,
    long ActivationBytes);

/// <summary>Totals over a compiled model.</summary>
/// <param name="Params">Elements of all constant tensors read by ops, each counted once.</param>
/// <param name="WeightBytes">Bytes of those constants.</param>
/// <param name="PeakActivationBytes">Largest sum of bytes of activation tensors alive at the same op step
/// (graph inputs from the start, graph outputs to the end; an output computed in place over its input counted
/// once with it) — the least any arena for the plan's buffers can be.</param>
/// <param name="PeakStep">The op index at which that peak is reached.</param>
/// <param name="PlannedArenaBytes">Arena size the memory planner needs for the same lifetimes (≥ the peak:
/// alignment and fragmentation).</param>
public sealed record ModelStats(
    IReadOnlyList<LayerStats> Layers,
    long Params,
    long Macs,
    long WeightBytes,
    long PeakActivationBytes,
    int PeakStep,
    long PlannedArenaBytes)
{
    /// <summary>The memory plan the numbers describe: the model's stored plan, or the one the analyzer made.</summary>
    public MemoryPlan? Plan { get; init; }

    /// <summary>Size and first/last op step of every arena tensor (<see cref="TensorLifetimes"/>).</summary>
    public IReadOnlyList<BufferRequest> Lifetimes { get; init; } = [];
}

/// <summary>Receptive field in input pixels along height and width. Fractional only after upsampling ops.</summary>
public readonly record struct ReceptiveField(double Height, double Width)
{
    public static ReceptiveField Pixel => new(1, 1);

    public override string ToString()
    {
        long h = (long)Math.Ceiling(Height), w = (long)Math.Ceiling(Width);
        return h == w ? $"{h}" : $"{h}x{w}";
    }
}
