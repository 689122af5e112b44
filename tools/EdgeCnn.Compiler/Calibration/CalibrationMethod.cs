using System.Globalization;

namespace EdgeCnn.Compiler.Calibration;

public enum CalibrationMethodKind
{
    /// <summary>The observed minimum and maximum.</summary>
    MinMax,
    /// <summary>Clip each tail at a percentile of the observed values.</summary>
    Percentile,
    /// <summary>The threshold whose quantized histogram loses the least information (KL divergence).</summary>
    Entropy,
    /// <summary>The range with the least expected squared int8 quantization error.</summary>
    Mse,
}

/// <summary>How calibration turns a tensor's observed values into its range. Written as
/// <c>minmax</c>, <c>percentile</c> (99.99), <c>percentile:P</c>, <c>entropy</c> or <c>mse</c>.</summary>
public sealed record CalibrationMethod
{
    public const double DefaultPercentile = 99.99;

    private CalibrationMethod(CalibrationMethodKind kind, double percentile)
    {
        Kind = kind;
        Percentile = percentile;
    }

    public CalibrationMethodKind Kind { get; }

    /// <summary>For <see cref="CalibrationMethodKind.Percentile"/>: the share of values (in percent) kept on
    /// each side; the lower bound is the (100 − P)th percentile, the upper the Pth.</summary>
    public double Percentile { get; }

    public static CalibrationMethod MinMax { get; } = new(CalibrationMethodKind.MinMax, 0);
    public static CalibrationMethod Entropy { get; } = new(CalibrationMethodKind.Entropy, 0);
    public static CalibrationMethod Mse { get; } = new(CalibrationMethodKind.Mse, 0);

    /// <summary>Percentiles below 50 would put the lower bound above the upper one.</summary>
    public static CalibrationMethod PercentileOf(double percentile = DefaultPercentile)
    {
        if (!(percentile >= 50 && percentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "a percentile must lie in [50, 100]");
        return new CalibrationMethod(CalibrationMethodKind.Percentile, percentile);
    }

    /// <summary>Only MinMax gets by with the first pass over the samples.</summary>
    public bool NeedsHistogram => Kind != CalibrationMethodKind.MinMax;

    /// <summary>Throws <see cref="FormatException"/> naming the accepted forms.</summary>
    public static CalibrationMethod Parse(string text)
    {
        if (TryParse(text, out var method, out string? error)) return method;
        throw new FormatException(error);
    }

    public static bool TryParse(string text, out CalibrationMethod method, out string? error)
    {
        method = MinMax;
        error = null;
        string trimmed = text.Trim();
        int colon = trimmed.IndexOf(':');
        string name = (colon < 0 ? trimmed : trimmed[..colon]).ToLowerInvariant();
        string? argument = colon < 0 ? null : trimmed[(colon + 1)..];
        if (name != "percentile" && argument is not null)
        {
            error = $"method '{text}': only percentile takes a value (percentile:99.9)";
            return false;
        }
        switch (name)
        {
            case "minmax": method = MinMax; return true;
            case "entropy": method = Entropy; return true;
            case "mse": method = Mse; return true;
            case "percentile":
                double p = DefaultPercentile;
                if (argument is not null
                    && (!double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out p) || !(p >= 50 && p <= 100)))
                {
                    error = $"method '{text}': the percentile must be a number in [50, 100], e.g. percentile:99.9";
                    return false;
                }
                method = PercentileOf(p);
                return true;
            default:
                error = $"unknown calibration method '{text}' (expected minmax, percentile[:P], entropy or mse)";
                return false;
        }
    }

    public override string ToString() => Kind switch
    {
        CalibrationMethodKind.MinMax => "minmax",
        CalibrationMethodKind.Percentile => "percentile:" + Percentile.ToString("R", CultureInfo.InvariantCulture),
        CalibrationMethodKind.Entropy => "entropy",
        _ => "mse",
    };
}
