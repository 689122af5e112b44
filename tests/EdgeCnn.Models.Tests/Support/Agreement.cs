using System.Globalization;

namespace EdgeCnn.Models.Tests.Support;

/// <summary>
/// "Within 1e-4 relative" for a whole output: max_i |a_i − r_i| ≤ tol · max(1, max_i |r_i|), r the reference.
/// Relative to the output's largest magnitude rather than element by element, because an element near zero
/// after thousands of reordered float32 sums has no meaningful relative error of its own. NaN/∞ fail.
/// </summary>
internal static class Agreement
{
    public static string? Check(float[] actual, float[] reference, double tolerance)
    {
        if (actual.Length != reference.Length) return $"{actual.Length} elements, the reference has {reference.Length}";
        double scale = 1, worst = 0;
        int at = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            if (!float.IsFinite(reference[i])) return $"reference element {i} is {reference[i]}";
            if (!float.IsFinite(actual[i])) return $"element {i} is {actual[i]}";
            scale = Math.Max(scale, Math.Abs(reference[i]));
            double d = Math.Abs((double)actual[i] - reference[i]);
            if (d > worst) { worst = d; at = i; }
        }
        if (worst <= tolerance * scale) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"max |a−r| = {worst:g4} at {at} (got {actual[at]:g7}, reference {reference[at]:g7}) exceeds {tolerance:g2}·{scale:g4}");
    }
}
