using System.Globalization;

namespace EdgeCnn.Hardware.Pipeline;

/// <summary>Durations as written in specs: a non-negative decimal number with a unit, "250ms", "1s", "1.5s", "2m",
/// "1h". A unit is required so "50" is never silently seconds or milliseconds.</summary>
internal static class DurationText
{
    /// <summary>System.Threading timers take at most about 49 days; int.MaxValue ms (24.8 days) stays well inside.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromMilliseconds(int.MaxValue);

    private static readonly (string Suffix, double Milliseconds)[] Units =
    [
        ("ms", 1),
        ("s", 1000),
        ("m", 60_000),
        ("h", 3_600_000),
    ];

    /// <summary>Null with <paramref name="problem"/> set when the text is not a duration.</summary>
    public static TimeSpan? TryParse(string text, out string problem)
    {
        foreach (var (suffix, milliseconds) in Units)
        {
            if (!text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string number = text[..^suffix.Length];
            if (number.Length == 0 || !char.IsAsciiDigit(number[^1])
                || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
            {
                // "5ms" also ends in "s"; only a number before the suffix makes it this unit.
                continue;
            }

            double total = value * milliseconds;
            if (total > Max.TotalMilliseconds)
            {
                problem = $"'{text}' is longer than the maximum of {Max.TotalDays:0.#} days";
                return null;
            }

            problem = "";
            return TimeSpan.FromMilliseconds(total);
        }

        problem = $"'{text}' is not a duration (a number with a unit: ms, s, m or h, e.g. 50ms or 1s)";
        return null;
    }

    public static bool LooksLikeDuration(string text) => text.Length > 0 && char.IsAsciiDigit(text[0]);
}
