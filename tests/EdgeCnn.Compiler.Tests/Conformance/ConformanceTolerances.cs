namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>
/// The comparison tolerance per node test: the rtol 1e-4 / atol 1e-5, except where the op's
/// numerics justify more — each exception says why.
/// </summary>
internal static class ConformanceTolerances
{
    public static Tolerance For(NodeTest test) => Tolerance.Default;
}
