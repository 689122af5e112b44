using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// The passes between import and lowering, in order. Required passes bring any imported graph into the
/// edge form lowering needs (NHWC spatial ops, one canonical op per runtime op); optimization passes
/// (run when <c>optimize</c> is true) only make it faster and must not change outputs beyond 1e-5.
/// </summary>
public static class PassPipeline
{
    /// <summary>A pass and whether it only runs when optimizing.</summary>
    public sealed record Step(IGraphPass Pass, bool OptimizationOnly);

    public static IReadOnlyList<Step> Steps { get; } =
    [
        new(new RemoveIdentityPass(), false),
        new(new ConstantFoldingPass(), true),
        new(new DecomposeVariadicPass(), false),
        new(new BatchNormalizationPass(), false),
        new(new CanonicalizePass(), false),
        new(new HardSwishFusionPass(), true),
        new(new ChannelShuffleFusionPass(), true),
        new(new Spatial1DTo2DPass(), false),
        new(new LayoutPass(), false),
        new(new TransposeOptimizationPass(), false),
        new(new FullyConnectedFusionPass(), true),
        new(new BatchNormFoldingPass(), true),
        new(new ActivationFusionPass(), true),
        new(new DeadNodeEliminationPass(), true),
    ];

    public static void Run(Graph graph, bool optimize)
    {
        foreach (var step in Steps)
        {
            if (step.OptimizationOnly && !optimize) continue;
            step.Pass.Run(graph);
            graph.Validate();
        }
    }

    /// <summary>The pass names in the order they run, optimization-only ones marked "(optimize)".</summary>
    public static IReadOnlyList<string> Describe() =>
        Steps.Select(s => s.OptimizationOnly ? $"{s.Pass.Name} (optimize)" : s.Pass.Name).ToList();
}
