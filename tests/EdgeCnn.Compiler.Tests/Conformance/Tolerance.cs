namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>|actual − expected| ≤ Absolute + Relative·|expected|; NaN must meet NaN, ±∞ the same ∞.</summary>
internal readonly record struct Tolerance(double Relative, double Absolute, string? Why = null)
{
    /// <summary>The default for float32 ops.</summary>
    public static Tolerance Default { get; } = new(1e-4, 1e-5);

    public bool Accepts(float actual, float expected)
    {
        if (float.IsNaN(expected) || float.IsNaN(actual)) return float.IsNaN(expected) && float.IsNaN(actual);
        if (float.IsInfinity(expected) || float.IsInfinity(actual)) return actual == expected;
        return Math.Abs((double)actual - expected) <= Absolute + Relative * Math.Abs((double)expected);
    }

    public override string ToString() =>
        FormattableString.Invariant($"rtol {Relative:g3}, atol {Absolute:g3}") + (Why is null ? "" : $" ({Why})");
}
