using System.Globalization;

namespace EdgeCnn.Compiler.Tests.OnnxRuntime;

/// <summary>
/// How closely two runs of a network must agree: max_i |a_i − b_i| ≤ tol · max(1, max_i |b_i|), b the
/// reference (ONNX Runtime). Scaling by the output's largest magnitude (never below 1) makes the bound
/// relative for large-valued outputs and absolute for probabilities, so near-zero elements — where an
/// element-wise relative error is meaningless after thousands of reordered float32 sums — are judged
/// against the scale of the output rather than against themselves. NaN or ∞ anywhere fails.
/// </summary>
internal static class OutputAgreement
{
    /// <summary>Null when the outputs agree; otherwise the worst element and the bound.</summary>
    public static string? Check(ReadOnlySpan<float> actual, ReadOnlySpan<float> reference, double tolerance)
    {
        if (actual.Length != reference.Length) return $"{actual.Length} elements, reference has {reference.Length}";
        double scale = 1;
        for (int i = 0; i < reference.Length; i++)
        {
            if (!float.IsFinite(reference[i])) return $"reference element {i} is {reference[i]}";
            scale = Math.Max(scale, Math.Abs(reference[i]));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            if (!float.IsFinite(actual[i])) return $"element {i} is {actual[i]} (reference {reference[i]})";
            double d = Math.Abs((double)actual[i] - reference[i]);
            if (d > worst) { worst = d; at = i; }
        }
        double bound = tolerance * scale;
        if (worst <= bound) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"max |a−b| = {worst:g4} at element {at} (got {actual[at]:g7}, reference {reference[at]:g7}) exceeds {tolerance:g2}·max(1, max|b|) = {bound:g4}");
    }

    /// <summary>The largest |a−b| relative to max(1, max|b|), for logging how much margin a check had.</summary>
    public static double ScaledError(ReadOnlySpan<float> actual, ReadOnlySpan<float> reference)
    {
        double scale = 1, worst = 0;
        for (int i = 0; i < reference.Length; i++) scale = Math.Max(scale, Math.Abs(reference[i]));
        for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs((double)actual[i] - reference[i]));
        return worst / scale;
    }
}
