using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Datasets;
using EdgeCnn.Cli.Evaluation;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Runtime.Model;
using Spectre.Console;

namespace EdgeCnn.Cli.Commands;

/// <summary>What <c>edgecnn eval</c> prints: tables for people, JSON with every count for programs.
/// Classes are the data set's, in model output order; the confusion matrix has one row per true class, one
/// column per predicted class and an "other" column for predictions outside the data set's classes.</summary>
internal sealed class EvalReport
{
    /// <summary>Beyond this many classes the confusion matrix is too wide for a terminal; JSON still has it.</summary>
    public const int MaxConfusionTableClasses = 20;

    private readonly LoadedModel _loaded;
    private readonly TensorInfo _output;
    private readonly LabeledDataset _dataset;
    private readonly ClassMapping _mapping;
    private readonly ImagePreprocessing _preprocessing;
    private readonly string? _preset;
    private readonly IReadOnlyList<string> _warnings;
    private readonly EvalResult _result;
    private readonly (int Output, string Class)[] _classes;
    private readonly HashSet<int> _classOutputs;

    public EvalReport(LoadedModel loaded, TensorInfo output, LabeledDataset dataset, ClassMapping mapping,
        ImagePreprocessing preprocessing, string? preset, IReadOnlyList<string> warnings, EvalResult result)
    {
        _loaded = loaded;
        _output = output;
        _dataset = dataset;
        _mapping = mapping;
        _preprocessing = preprocessing;
        _preset = preset;
        _warnings = warnings;
        _result = result;
        _classes = dataset.ClassNames.Select((name, c) => (mapping.OutputOf(c), name)).OrderBy(x => x.Item1).ToArray();
        _classOutputs = _classes.Select(c => c.Output).ToHashSet();
    }

    private ClassificationMetrics Metrics => _result.Metrics;

    private int Other(int truth) => Metrics.ConfusionOutside(truth, _classOutputs);

    private bool AnyOther => _classes.Any(c => Other(c.Output) > 0);

    public void Write(CliContext context)
    {
        var o = context.Out;
        ModelSummary.Write(context, _loaded);
        o.WriteLine($"data     {_dataset.Source} ({_dataset.Kind}, {Units.Count(_dataset.Count)} images, {_dataset.ClassNames.Count} classes; {_mapping.Rule})");
        o.WriteLine($"preproc  {Describe()}");
        o.WriteLine($"scores   output '{_output.Name}', {Units.Count(_mapping.OutputCount)} classes");
        o.WriteLine($"images   {Units.Count(Metrics.Count)}" + (Metrics.Count < _dataset.Count ? $" of {Units.Count(_dataset.Count)} (--limit)" : ""));
        o.WriteLine($"top-1    {Percent(Metrics.Top1Accuracy)} ({Metrics.Top1Correct}/{Metrics.Count})");
        if (Metrics.HasTop5) o.WriteLine($"top-5    {Percent(Metrics.Top5Accuracy)} ({Metrics.Top5Correct}/{Metrics.Count})");

        var perClass = new Table().Border(TableBorder.Simple).Title("per class");
        perClass.AddColumn(new TableColumn("output").RightAligned());
        perClass.AddColumn("label");
        perClass.AddColumn(new TableColumn("images").RightAligned());
        perClass.AddColumn(new TableColumn("correct").RightAligned());
        perClass.AddColumn(new TableColumn("accuracy").RightAligned());
        foreach (var (output, _) in _classes)
        {
            int n = Metrics.CountOf(output);
            perClass.AddRow(
                new Text(output.ToString(CultureInfo.InvariantCulture)),
                new Text(_mapping.NameOf(output)),
                new Text(Units.Count(n)),
                new Text(Units.Count(Metrics.CorrectOf(output))),
                new Text(n == 0 ? "-" : Percent(Metrics.CorrectOf(output) / (double)n)));
        }
        context.Console.Write(perClass);

        if (_classes.Length <= MaxConfusionTableClasses) context.Console.Write(ConfusionTable());
        else o.WriteLine($"confusion matrix: {_classes.Length} classes, too many for a table (see --json)");

        var l = _result.Latency;
        o.WriteLine($"latency  model run per image: median {Units.Milliseconds(l.MedianMs)}, p90 {Units.Milliseconds(l.P90Ms)} ({Units.Count(l.Runs)} runs)");
        o.WriteLine($"         preprocessing (decode, resize, normalize): {Units.Milliseconds(_result.PreprocessTotalMs)} total, "
            + $"{Units.Milliseconds(_result.PreprocessTotalMs / Math.Max(1, Metrics.Count))} per image; session prepare {Units.Milliseconds(_result.PrepareMs)}; wall {Units.Milliseconds(_result.TotalMs)}");
    }

    private Table ConfusionTable()
    {
        var table = new Table().Border(TableBorder.Simple).Title("confusion (rows: true, columns: predicted)");
        table.AddColumn("true \\ predicted");
        foreach (var (output, _) in _classes) table.AddColumn(new TableColumn(_mapping.NameOf(output)).RightAligned());
        bool other = AnyOther;
        if (other) table.AddColumn(new TableColumn("other").RightAligned());
        foreach (var (truth, _) in _classes)
        {
            var cells = new List<Text> { new(_mapping.NameOf(truth)) };
            cells.AddRange(_classes.Select(p => new Text(Units.Count(Metrics.Confusion(truth, p.Output)))));
            if (other) cells.Add(new Text(Units.Count(Other(truth))));
            table.AddRow(cells);
        }
        return table;
    }

    public JsonObject ToJson()
    {
        var json = ModelSummary.ToJson(_loaded);
        var l = _result.Latency;
        json["scores"] = _output.Name;
        json["data"] = new JsonObject
        {
            ["source"] = _dataset.Source,
            ["kind"] = _dataset.Kind,
            ["images"] = _dataset.Count,
            ["classes"] = _dataset.ClassNames.Count,
            ["mapping"] = _mapping.Rule,
            ["warnings"] = new JsonArray(_warnings.Select(w => (JsonNode)w).ToArray()),
        };
        json["preprocessing"] = PreprocessingJson();
        json["count"] = Metrics.Count;
        json["top1"] = new JsonObject { ["correct"] = Metrics.Top1Correct, ["accuracy"] = Metrics.Top1Accuracy };
        json["top5"] = Metrics.HasTop5 ? new JsonObject { ["correct"] = Metrics.Top5Correct, ["accuracy"] = Metrics.Top5Accuracy } : null;
        json["perClass"] = new JsonArray(_classes.Select(c =>
        {
            int n = Metrics.CountOf(c.Output);
            return (JsonNode)new JsonObject
            {
                ["output"] = c.Output,
                ["label"] = _mapping.NameOf(c.Output),
                ["class"] = c.Class,
                ["count"] = n,
                ["correct"] = Metrics.CorrectOf(c.Output),
                ["accuracy"] = n == 0 ? null : Metrics.CorrectOf(c.Output) / (double)n,
            };
        }).ToArray());
        json["confusion"] = new JsonObject
        {
            ["outputs"] = new JsonArray(_classes.Select(c => (JsonNode)c.Output).ToArray()),
            ["labels"] = new JsonArray(_classes.Select(c => (JsonNode)_mapping.NameOf(c.Output)).ToArray()),
            ["matrix"] = new JsonArray(_classes.Select(t => (JsonNode)new JsonArray(
                _classes.Select(p => (JsonNode)Metrics.Confusion(t.Output, p.Output)).ToArray())).ToArray()),
            ["other"] = new JsonArray(_classes.Select(t => (JsonNode)Other(t.Output)).ToArray()),
        };
        json["latency"] = new JsonObject
        {
            ["runs"] = l.Runs,
            ["medianMs"] = l.MedianMs,
            ["p90Ms"] = l.P90Ms,
            ["meanMs"] = l.MeanMs,
            ["minMs"] = l.MinMs,
            ["maxMs"] = l.MaxMs,
            ["preprocessTotalMs"] = _result.PreprocessTotalMs,
            ["prepareMs"] = _result.PrepareMs,
            ["totalMs"] = _result.TotalMs,
        };
        json["arenaBytes"] = _result.ArenaBytes;
        return json;
    }

    private JsonObject PreprocessingJson() => new()
    {
        ["preset"] = _preset,
        ["height"] = _preprocessing.Height,
        ["width"] = _preprocessing.Width,
        ["channels"] = _preprocessing.Channels,
        ["resize"] = ResizeName(_preprocessing.Fit),
        ["shortSide"] = _preprocessing.Fit == ImageFit.CenterCrop ? _preprocessing.ResolvedShortSide : null,
        ["mean"] = new JsonArray(_preprocessing.Mean.Select(v => (JsonNode)v).ToArray()),
        ["std"] = new JsonArray(_preprocessing.Std.Select(v => (JsonNode)v).ToArray()),
        ["antialias"] = _preprocessing.Antialias,
        ["bgr"] = _preprocessing.Bgr,
        ["grayscale"] = _preprocessing.Grayscale || _preprocessing.Channels == 1,
    };

    private string Describe()
    {
        var p = _preprocessing;
        string geometry = p.Fit switch
        {
            ImageFit.PadRight => $"keep aspect to height {p.Height}, pad right to width {p.Width}",
            ImageFit.CenterCrop => $"short side {p.ResolvedShortSide}, center crop {p.Height}x{p.Width}",
            _ => $"resize {p.Height}x{p.Width}",
        };
        string channels = p.Channels == 1 ? "gray" : p.Grayscale ? "gray x3" : p.Bgr ? "BGR" : "RGB";
        string values = string.Create(CultureInfo.InvariantCulture, $"(x/255 - [{string.Join(',', p.Mean)}]) / [{string.Join(',', p.Std)}]");
        string filter = p.Antialias ? "antialiased (Pillow) bilinear" : "bilinear (OpenCV)";
        return (_preset is null ? "" : $"{_preset}: ") + $"{geometry}, {filter}, {channels}, {values}";
    }

    public static string ResizeName(ImageFit mode) => mode switch
    {
        ImageFit.PadRight => "pad-right",
        ImageFit.CenterCrop => "center-crop",
        _ => "stretch",
    };

    private static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
