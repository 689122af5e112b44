using System.Globalization;

namespace EdgeCnn.Cli;

/// <summary>Parsers for option values that System.CommandLine takes as strings; each throws
/// <see cref="UsageException"/> naming the option and the offending part.</summary>
public static class OptionValues
{
    /// <summary>Parses repeated <c>--input-shape name=d0,d1,...</c> values. The name is everything before the
    /// last '=', so tensor names with ':' or '/' (TensorFlow, Paddle) work unquoted.</summary>
    public static Dictionary<string, int[]> ParseInputShapes(IEnumerable<string> values)
    {
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            int eq = value.LastIndexOf('=');
            if (eq <= 0 || eq == value.Length - 1)
                throw new UsageException($"--input-shape '{value}': expected NAME=DIMS, e.g. x=1,3,224,224");
            string name = value[..eq];
            var dims = ParseList(value[(eq + 1)..], $"--input-shape '{value}'", "dimension", positive: true);
            if (!shapes.TryAdd(name, dims))
                throw new UsageException($"--input-shape: input '{name}' is given twice");
        }
        return shapes;
    }

    /// <summary>Parses <c>--size HxW</c> (or a single number for a square); <paramref name="option"/> names the option in errors.</summary>
    public static (int Height, int Width) ParseSize(string value, string option = "--size")
    {
        var parts = value.Split('x', 'X', ',');
        var dims = parts.Select(p => ParseInt(p, $"{option} '{value}'", "dimension", positive: true)).ToArray();
        return dims.Length switch
        {
            1 => (dims[0], dims[0]),
            2 => (dims[0], dims[1]),
            _ => throw new UsageException($"{option} '{value}': expected HEIGHTxWIDTH, e.g. 48x192"),
        };
    }

    /// <summary>Parses a comma-separated float list such as <c>--mean 0.485,0.456,0.406</c>.</summary>
    public static float[] ParseFloats(string value, string option, bool nonZero = false)
    {
        var parts = value.Split(',');
        var result = new float[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]) || !float.IsFinite(result[i]))
                throw new UsageException($"{option} '{value}': '{parts[i]}' is not a number");
            if (nonZero && result[i] == 0)
                throw new UsageException($"{option} '{value}': values must be non-zero");
        }
        return result;
    }

    private static int[] ParseList(string text, string what, string item, bool positive) =>
        text.Split(',').Select(p => ParseInt(p, what, item, positive)).ToArray();

    private static int ParseInt(string text, string what, string item, bool positive)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || (positive && v <= 0))
            throw new UsageException($"{what}: {item} '{text}' is not a positive integer");
        return v;
    }
}
