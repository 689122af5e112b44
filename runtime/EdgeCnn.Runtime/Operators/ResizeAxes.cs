using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>The per-axis geometry of Resize shared by the float operator and the int8 linear one: the scales and,
/// for linear interpolation, the two taps of each output coordinate.</summary>
internal static class ResizeAxes
{
    /// <summary>The Scales param (or output/input sizes), checked against the shapes.</summary>
    /// <exception cref="ModelFormatException">A scale is missing per axis, not finite and positive, or inconsistent with the sizes.</exception>
    public static double[] ReadScales(OpDesc desc, TensorInfo x, TensorInfo y)
    {
        int rank = x.Rank;
        var scales = new double[rank];
        var given = new ParamReader(desc).FloatsOrNull(ParamKey.Scales);
        if (given is not null && given.Length != rank) throw Invalid(desc, $"Scales has {given.Length} entries, the input '{x.Name}' has rank {rank}");
        for (int a = 0; a < rank; a++)
        {
            int inLength = x.Shape[a], outLength = y.Shape[a];
            if (inLength == 0 && outLength != 0) throw Invalid(desc, $"axis {a} of '{x.Name}' is empty but the output has {outLength}");
            double scale = given is not null ? given[a] : (inLength == 0 ? 1.0 : (double)outLength / inLength);
            if (!double.IsFinite(scale) || scale <= 0) throw Invalid(desc, $"Scales[{a}] = {scale} must be finite and positive");
            // The output size may have been rounded from in·scale (or scale derived from sizes); anything further off is inconsistent.
            if (Math.Abs(inLength * scale - outLength) > 1 + 1e-4 * outLength)
                throw Invalid(desc, $"axis {a}: input {inLength} × scale {scale} does not give the output size {outLength}");
            scales[a] = scale;
        }
        return scales;
    }

    /// <summary>The neighbours of output coordinate <paramref name="o"/> and the weight of the upper one. A source
    /// coordinate before the first or past the last input sample takes that edge sample alone (weight 0).</summary>
    public static (int Lower, int Upper, double Fraction) LinearTap(ResizeCoordinateMode mode, int o, double scale, int inLength)
    {
        double source = ResizeOperator.SourceCoordinate(mode, o, scale, inLength);
        double floor = Math.Floor(source);
        if (floor < 0) return (0, 0, 0);
        if (floor >= inLength - 1) return (inLength - 1, inLength - 1, 0);
        return ((int)floor, (int)floor + 1, source - floor);
    }

    private static ModelFormatException Invalid(OpDesc desc, string what) => new($"op '{desc.Name}' ({desc.Code}): {what}");
}
