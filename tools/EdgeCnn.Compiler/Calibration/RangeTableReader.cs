using System.Globalization;

namespace EdgeCnn.Compiler.Calibration;

/// <summary>
/// Parses the format <see cref="RangeTableWriter"/> writes, strictly: the format line first, then exactly the
/// known header fields (each once), the column line, then one row per tensor. Blank lines are ignored; anything
/// else that does not fit — an unknown header, a wrong field count, a malformed or non-finite number, min &gt; max,
/// a range without 0, an unknown method, a tensor listed twice or (when the model's names are given) a tensor the
/// model does not have — throws <see cref="RangeTableException"/> naming the file and line.
/// </summary>
public static class RangeTableReader
{
    public static RangeTable Load(string path, IReadOnlySet<string>? knownTensors = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RangeTableException(path, 0, $"cannot read: {ex.Message}");
        }
        return Parse(new StringReader(text), path, knownTensors);
    }

    /// <param name="source">The file name errors mention.</param>
    /// <param name="knownTensors">The model's tensor names; rows naming anything else are rejected.</param>
    public static RangeTable Parse(TextReader reader, string source, IReadOnlySet<string>? knownTensors = null)
    {
        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<RangeTableEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool columns = false;
        int number = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (number == 1)
            {
                if (line != RangeTableWriter.FormatLine)
                    throw new RangeTableException(source, 1, line.StartsWith("# edgecnn-ranges ", StringComparison.Ordinal)
                        ? $"unsupported range table version '{line}' (this EdgeCnn reads '{RangeTableWriter.FormatLine}')"
                        : $"not an EdgeCnn range table: the first line must be '{RangeTableWriter.FormatLine}'");
                continue;
            }
            if (line.Length == 0) continue;
            if (columns)
            {
                var entry = ParseRow(line, source, number, knownTensors);
                if (!seen.Add(entry.Tensor)) throw new RangeTableException(source, number, $"tensor '{entry.Tensor}' is listed twice");
                entries.Add(entry);
            }
            else if (line.StartsWith('#'))
            {
                ParseHeader(line, source, number, header);
            }
            else if (line == string.Join('\t', RangeTableWriter.Columns))
            {
                CheckHeaderComplete(header, source, number);
                columns = true;
            }
            else
            {
                throw new RangeTableException(source, number, $"expected a '# key: value' header or the column line '{string.Join(' ', RangeTableWriter.Columns)}' (tab-separated)");
            }
        }
        if (number == 0) throw new RangeTableException(source, 0, "the file is empty");
        if (!columns) throw new RangeTableException(source, 0, "the column line (tensor, min, max, ...) is missing");

        return new RangeTable
        {
            Model = header["model"],
            ModelSha256 = header["model-sha256"],
            Inputs = header["inputs"],
            Method = header["method"],
            Samples = int.Parse(header["samples"], NumberStyles.None, CultureInfo.InvariantCulture),
            Entries = entries,
        };
    }

    private static void ParseHeader(string line, string source, int number, Dictionary<string, string> header)
    {
        int colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (!line.StartsWith("# ", StringComparison.Ordinal) || colon < 0)
            throw new RangeTableException(source, number, $"malformed header line (expected '# key: value')");
        string key = line[2..colon];
        string value = line[(colon + 2)..];
        if (!RangeTableWriter.HeaderKeys.Contains(key))
            throw new RangeTableException(source, number, $"unknown header '{key}' (known: {string.Join(", ", RangeTableWriter.HeaderKeys)})");
        if (!header.TryAdd(key, value)) throw new RangeTableException(source, number, $"header '{key}' is given twice");
        switch (key)
        {
            case "model-sha256" when value.Length != 64 || !value.All(char.IsAsciiHexDigitLower):
                throw new RangeTableException(source, number, $"model-sha256 '{value}' is not 64 lowercase hex digits");
            case "samples" when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int samples) || samples < 1:
                throw new RangeTableException(source, number, $"samples '{value}' is not a positive integer");
            case "method" when !CalibrationMethod.TryParse(value, out _, out string? error):
                throw new RangeTableException(source, number, error!);
        }
    }

    private static void CheckHeaderComplete(Dictionary<string, string> header, string source, int number)
    {
        var missing = RangeTableWriter.HeaderKeys.Where(k => !header.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new RangeTableException(source, number, $"header field(s) missing before the column line: {string.Join(", ", missing)}");
    }

    private static RangeTableEntry ParseRow(string line, string source, int number, IReadOnlySet<string>? knownTensors)
    {
        var fields = line.Split('\t');
        if (fields.Length != RangeTableWriter.Columns.Length)
            throw new RangeTableException(source, number, $"expected {RangeTableWriter.Columns.Length} tab-separated fields ({string.Join(", ", RangeTableWriter.Columns)}), found {fields.Length}");
        string tensor = fields[0];
        if (tensor.Length == 0) throw new RangeTableException(source, number, "the tensor name is empty");
        if (knownTensors is not null && !knownTensors.Contains(tensor))
            throw new RangeTableException(source, number, $"the model has no tensor '{tensor}'");
        float min = Number(fields[1], "min", tensor, source, number);
        float max = Number(fields[2], "max", tensor, source, number);
        if (min > max) throw new RangeTableException(source, number, $"tensor '{tensor}': min {fields[1]} is greater than max {fields[2]}");
        if (min > 0 || max < 0)
            throw new RangeTableException(source, number, $"tensor '{tensor}': the range [{fields[1]}, {fields[2]}] must contain 0 (zero has to be exactly representable)");
        string method = fields[3];
        if (method != "manual" && !CalibrationMethod.TryParse(method, out _, out _))
            throw new RangeTableException(source, number, $"tensor '{tensor}': unknown method '{method}' (a calibration method, or 'manual' for a hand-set range)");
        if (!int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out int samples))
            throw new RangeTableException(source, number, $"tensor '{tensor}': samples '{fields[4]}' is not a non-negative integer");
        float observedMin = Number(fields[5], "observed_min", tensor, source, number);
        float observedMax = Number(fields[6], "observed_max", tensor, source, number);
        if (observedMin > observedMax)
            throw new RangeTableException(source, number, $"tensor '{tensor}': observed_min {fields[5]} is greater than observed_max {fields[6]}");
        return new RangeTableEntry(tensor, new TensorRange(min, max), method, samples, observedMin, observedMax);
    }

    private static float Number(string text, string column, string tensor, string source, int number)
    {
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
            throw new RangeTableException(source, number, $"tensor '{tensor}': {column} '{text}' is not a finite number");
        return value;
    }
}
