namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>
/// The comparison tolerance per node test: the rtol 1e-4 / atol 1e-5, except where an op's
/// numerics justify more — such an exception goes here, matched by test name, with the reason in its
/// <see cref="Tolerance.Why"/> (it is printed in the report). Every in-scope test currently passes at the
/// default, so there are none.
/// </summary>
internal static class ConformanceTolerances
{
    public static Tolerance For(NodeTest test) => Tolerance.Default;
}
