using System.Globalization;
using System.Text;

namespace EdgeCnn.Compiler.Calibration;

/// <summary>
/// Writes a <see cref="RangeTable"/> as tab-separated UTF-8 text:
/// <code>
/// # edgecnn-ranges 1
/// # model: tiny-cnn.onnx
/// # model-sha256: 9f2c…
/// # inputs: input=1,3,32,32
/// # method: percentile:99.99
/// # samples: 3
/// tensor	min	max	method	samples	observed_min	observed_max
/// input	-1	1	percentile:99.99	3	-1	1
/// </code>
/// Numbers are invariant-culture shortest round-trip floats, so parsing gives back the same bits.
/// </summary>
public static class RangeTableWriter
{
    public const string FormatLine = "# edgecnn-ranges 1";
    public static readonly string[] Columns = ["tensor", "min", "max", "method", "samples", "observed_min", "observed_max"];
    public static readonly string[] HeaderKeys = ["model", "model-sha256", "inputs", "method", "samples"];

    public static void Write(RangeTable table, TextWriter writer)
    {
        writer.Write(FormatLine + "\n");
        Header(writer, "model", table.Model);
        Header(writer, "model-sha256", table.ModelSha256);
        Header(writer, "inputs", table.Inputs);
        Header(writer, "method", table.Method);
        Header(writer, "samples", table.Samples.ToString(CultureInfo.InvariantCulture));
        writer.Write(string.Join('\t', Columns) + "\n");
        foreach (var e in table.Entries)
        {
            CheckField("tensor name", e.Tensor);
            CheckField("method", e.Method);
            writer.Write(string.Join('\t',
                e.Tensor, Number(e.Range.Min), Number(e.Range.Max), e.Method,
                e.Samples.ToString(CultureInfo.InvariantCulture), Number(e.ObservedMin), Number(e.ObservedMax)) + "\n");
        }
    }

    public static string ToText(RangeTable table)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        Write(table, text);
        return text.ToString();
    }

    /// <summary>Writes through a temporary file, so a failure never leaves half a table behind.</summary>
    public static void Save(RangeTable table, string path)
    {
        string text = ToText(table);
        string temp = path + ".tmp";
        File.WriteAllText(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temp, path, overwrite: true);
    }

    public static string Number(float value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Header(TextWriter writer, string key, string value)
    {
        if (value.Contains('\n') || value.Contains('\r'))
            throw new CalibrationException($"range table header '{key}' cannot hold a line break: '{value}'");
        writer.Write($"# {key}: {value}\n");
    }

    private static void CheckField(string what, string value)
    {
        if (value.Length == 0 || value.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
            throw new CalibrationException($"{what} '{value}' cannot be written to a range table (empty, or holds a tab or line break)");
    }
}
