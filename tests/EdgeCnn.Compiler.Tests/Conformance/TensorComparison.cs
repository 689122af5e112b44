using System.Globalization;

namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>Element-wise comparison that reports the worst offender, so a failure says what differs and where.</summary>
internal static class TensorComparison
{
    /// <summary>Null when every element is within <paramref name="tolerance"/>; otherwise a description of the mismatch.</summary>
    public static string? CompareFloats(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, int[] shape, Tolerance tolerance)
    {
        if (actual.Length != expected.Length)
            return $"{actual.Length} elements, expected {expected.Length}";
        int bad = 0, worst = -1;
        double worstExcess = double.NegativeInfinity;
        for (int i = 0; i < actual.Length; i++)
        {
            if (tolerance.Accepts(actual[i], expected[i])) continue;
            bad++;
            // Rank mismatches by how far past the allowed error they are; NaN/∞ disagreements rank highest.
            double diff = Math.Abs((double)actual[i] - expected[i]);
            double excess = double.IsFinite(diff)
                ? diff - (tolerance.Absolute + tolerance.Relative * Math.Abs((double)expected[i]))
                : double.PositiveInfinity;
            if (worst < 0 || excess > worstExcess) { worst = i; worstExcess = excess; }
        }
        if (bad == 0) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{bad} of {actual.Length} elements differ beyond {tolerance}; worst at {Index(worst, shape)}: got {actual[worst]:R}, expected {expected[worst]:R}");
    }

    /// <summary>Exact comparison for integer outputs (shape arithmetic, integer folding).</summary>
    public static string? CompareIntegers(ReadOnlySpan<long> actual, ReadOnlySpan<long> expected, int[] shape)
    {
        if (actual.Length != expected.Length)
            return $"{actual.Length} elements, expected {expected.Length}";
        int bad = 0, first = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            if (actual[i] == expected[i]) continue;
            if (bad++ == 0) first = i;
        }
        if (bad == 0) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{bad} of {actual.Length} integers differ; first at {Index(first, shape)}: got {actual[first]}, expected {expected[first]}");
    }

    /// <summary>The multi-index of flat position <paramref name="flat"/> in a row-major tensor.</summary>
    public static string Index(int flat, int[] shape)
    {
        if (shape.Length == 0) return "[]";
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            int size = Math.Max(shape[d], 1);
            idx[d] = flat % size;
            flat /= size;
        }
        return "[" + string.Join(',', idx) + "]";
    }
}
