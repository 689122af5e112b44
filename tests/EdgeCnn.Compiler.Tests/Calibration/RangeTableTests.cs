using EdgeCnn.Compiler.Calibration;

namespace EdgeCnn.Compiler.Tests.Calibration;

public class RangeTableTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static RangeTable Sample() => new()
    {
        Model = "net.onnx",
        ModelSha256 = Hash,
        Inputs = "x=1,3,32,32",
        Method = "entropy",
        Samples = 12,
        Entries =
        [
            new("x", new TensorRange(-1f, 1f), "entropy", 12, -1f, 1f),
            new("conv/relu:0", new TensorRange(0f, 3.1415927f), "entropy", 12, 0f, 17.25f),
            new("tiny", new TensorRange(-1.4e-45f, 1e-38f), "manual", 0, -3e-40f, 1e30f),
            new("name with spaces", new TensorRange(-0.1f, 0f), "percentile:99.9", 12, -0.30000001f, 0f),
        ],
    };

    private static string Text(params string[] rows) =>
        "# edgecnn-ranges 1\n# model: net.onnx\n# model-sha256: " + Hash + "\n# inputs: x=1,3,32,32\n# method: entropy\n# samples: 12\n"
        + "tensor\tmin\tmax\tmethod\tsamples\tobserved_min\tobserved_max\n" + string.Join("", rows.Select(r => r + "\n"));

    [Fact]
    public void Written_text_has_the_documented_layout()
    {
        string text = RangeTableWriter.ToText(Sample());
        var lines = text.Split('\n');
        Assert.Equal("# edgecnn-ranges 1", lines[0]);
        Assert.Equal("# model: net.onnx", lines[1]);
        Assert.Equal($"# model-sha256: {Hash}", lines[2]);
        Assert.Equal("# inputs: x=1,3,32,32", lines[3]);
        Assert.Equal("# method: entropy", lines[4]);
        Assert.Equal("# samples: 12", lines[5]);
        Assert.Equal("tensor\tmin\tmax\tmethod\tsamples\tobserved_min\tobserved_max", lines[6]);
        Assert.Equal("conv/relu:0\t0\t3.1415927\tentropy\t12\t0\t17.25", lines[8]);
        Assert.Equal("", lines[^1]);
        Assert.DoesNotContain('\r', text);
    }

    [Fact]
    public void Round_trip_keeps_every_value_bit_for_bit()
    {
        var table = Sample();
        var parsed = RangeTableReader.Parse(new StringReader(RangeTableWriter.ToText(table)), "t.tsv");
        Assert.Equal(table.Model, parsed.Model);
        Assert.Equal(table.ModelSha256, parsed.ModelSha256);
        Assert.Equal(table.Inputs, parsed.Inputs);
        Assert.Equal(table.Method, parsed.Method);
        Assert.Equal(table.Samples, parsed.Samples);
        Assert.Equal(table.Entries, parsed.Entries);
        foreach (var e in table.Entries)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(e.Range.Min), BitConverter.SingleToInt32Bits(parsed.Ranges[e.Tensor].Min));
            Assert.Equal(BitConverter.SingleToInt32Bits(e.Range.Max), BitConverter.SingleToInt32Bits(parsed.Ranges[e.Tensor].Max));
        }
    }

    [Fact]
    public void Save_and_load_through_a_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgecnn-ranges-{Guid.NewGuid():N}.tsv");
        try
        {
            Sample().Save(path);
            Assert.False(File.Exists(path + ".tmp"));
            var loaded = RangeTable.Load(path, new HashSet<string>(Sample().Entries.Select(e => e.Tensor)));
            Assert.Equal(Sample().Entries, loaded.Entries);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Windows_line_endings_and_blank_lines_are_accepted()
    {
        string text = Text("x\t-1\t1\tentropy\t12\t-1\t1", "", "y\t0\t2\tminmax\t12\t0\t2").Replace("\n", "\r\n");
        var table = RangeTableReader.Parse(new StringReader(text), "t.tsv");
        Assert.Equal(2, table.Entries.Count);
        Assert.Equal(new TensorRange(0f, 2f), table.Ranges["y"]);
    }

    public static TheoryData<string, int, string> Malformed => new()
    {
        { "tensor\tmin\n", 1, "not an EdgeCnn range table" },
        { "# edgecnn-ranges 2\n", 1, "unsupported range table version" },
        { Text().Replace("# samples: 12", "# samples: 12\n# author: me"), 7, "unknown header 'author'" },
        { Text().Replace("# samples: 12", "# samples: 12\n# model: other.onnx"), 7, "header 'model' is given twice" },
        { Text().Replace("# inputs: x=1,3,32,32\n", ""), 6, "header field(s) missing before the column line: inputs" },
        { Text().Replace("# method: entropy", "#method entropy"), 5, "malformed header line" },
        { Text().Replace(Hash, "ABC"), 3, "model-sha256 'ABC' is not 64 lowercase hex digits" },
        { Text().Replace("# samples: 12", "# samples: 0"), 6, "samples '0' is not a positive integer" },
        { Text().Replace("# method: entropy", "# method: kl"), 5, "unknown calibration method 'kl'" },
        { Text().Replace("tensor\tmin", "tensor min"), 7, "expected a '# key: value' header or the column line" },
        { Text("x\t-1\t1\tentropy\t12\t-1"), 8, "expected 7 tab-separated fields" },
        { Text("x\t-1\t1\tentropy\t12\t-1\t1", "y\t-1,5\t1\tentropy\t12\t-1\t1"), 9, "tensor 'y': min '-1,5' is not a finite number" },
        { Text("x\t-1\tNaN\tentropy\t12\t-1\t1"), 8, "tensor 'x': max 'NaN' is not a finite number" },
        { Text("x\t-1\t1e39\tentropy\t12\t-1\t1"), 8, "tensor 'x': max '1e39' is not a finite number" },
        { Text("x\t2\t1\tentropy\t12\t-1\t1"), 8, "tensor 'x': min 2 is greater than max 1" },
        { Text("x\t0.5\t1\tentropy\t12\t-1\t1"), 8, "tensor 'x': the range [0.5, 1] must contain 0" },
        { Text("x\t-1\t1\tguess\t12\t-1\t1"), 8, "tensor 'x': unknown method 'guess'" },
        { Text("x\t-1\t1\tentropy\t-3\t-1\t1"), 8, "tensor 'x': samples '-3' is not a non-negative integer" },
        { Text("x\t-1\t1\tentropy\t12\t1\t-1"), 8, "tensor 'x': observed_min 1 is greater than observed_max -1" },
        { Text("x\t-1\t1\tentropy\t12\t-1\t1", "x\t-1\t1\tentropy\t12\t-1\t1"), 9, "tensor 'x' is listed twice" },
        { Text("\t-1\t1\tentropy\t12\t-1\t1"), 8, "the tensor name is empty" },
        { "# edgecnn-ranges 1\n# model: net.onnx\n", 0, "the column line (tensor, min, max, ...) is missing" },
        { "", 0, "the file is empty" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_tables_name_the_file_and_line(string text, int line, string message)
    {
        var ex = Assert.Throws<RangeTableException>(() => RangeTableReader.Parse(new StringReader(text), "ranges.tsv"));
        Assert.Equal("ranges.tsv", ex.FilePath);
        Assert.Equal(line, ex.Line);
        Assert.Contains(message, ex.Message);
        Assert.StartsWith(line > 0 ? $"'ranges.tsv' line {line}: " : "'ranges.tsv': ", ex.Message);
    }

    [Fact]
    public void Tensors_the_model_does_not_have_are_rejected()
    {
        string text = Text("x\t-1\t1\tentropy\t12\t-1\t1", "ghost\t0\t1\tentropy\t12\t0\t1");
        var ex = Assert.Throws<RangeTableException>(() => RangeTableReader.Parse(new StringReader(text), "r.tsv", new HashSet<string> { "x", "y" }));
        Assert.Equal(9, ex.Line);
        Assert.Contains("the model has no tensor 'ghost'", ex.Message);
    }

    [Fact]
    public void A_missing_file_is_a_range_table_error()
    {
        var ex = Assert.Throws<RangeTableException>(() => RangeTable.Load(Path.Combine(Path.GetTempPath(), "no-such-ranges.tsv")));
        Assert.Contains("cannot read", ex.Message);
    }

    [Fact]
    public void Names_that_would_break_the_format_are_refused_when_writing()
    {
        var table = new RangeTable
        {
            Model = "m.onnx", ModelSha256 = Hash, Inputs = "x=1", Method = "minmax", Samples = 1,
            Entries = [new("a\tb", new TensorRange(0, 1), "minmax", 1, 0, 1)],
        };
        Assert.Contains("'a\tb' cannot be written", Assert.Throws<CalibrationException>(() => RangeTableWriter.ToText(table)).Message);
    }
}
