using System.CommandLine;
using EdgeCnn.Cli.Models;
using EdgeCnn.Compiler.Calibration;

namespace EdgeCnn.Cli.Commands;

/// <summary>The options of <c>edgecnn quantize</c>, checked before any work: every contradiction is a usage error.</summary>
internal sealed record QuantizeRequest(
    string? ModelPath,
    IReadOnlyList<string> Calibration,
    string? RangesPath,
    string OutputPath,
    CalibrationMethod Method,
    int? Samples,
    bool PerTensor,
    IReadOnlyList<string> KeepFloat,
    string? ReportFolder,
    IReadOnlyDictionary<string, int[]> InputShapes)
{
    /// <summary>--bias-correction: correct the biases on the calibration files before quantizing.</summary>
    public bool BiasCorrection { get; init; }

    /// <summary>The default of <c>edgecnn calibrate</c> too, so both commands choose the same ranges.</summary>
    public const string DefaultMethod = "percentile";

    public static QuantizeRequest Parse(ParseResult parse, Argument<string?> model, Option<string[]> calibration, Option<string?> ranges,
        Option<string> output, Option<string?> method, Option<int?> samples, Option<bool> perTensor, Option<string[]> keepFloat,
        Option<string?> report, Option<string[]> inputShape, bool analyze = false)
    {
        string? modelPath = parse.GetValue(model);
        if (modelPath is not null && ModelLoader.KindOf(modelPath) != ModelKind.Onnx)
            throw new UsageException($"quantize reads an .onnx model ('{modelPath}' is compiled; the quantizer starts from the ONNX graph)");
        // --analyze measures variants of the model and writes none, so it has no output path (empty).
        string outputPath = parse.GetValue(output) ?? (analyze ? "" : throw new UsageException("--output: give the .ecnn file to write (required unless --analyze)"));
        if (analyze && outputPath.Length > 0)
            throw new UsageException("--analyze writes no model; drop --output, then quantize again with the suggested --keep-float");
        if (!analyze && !string.Equals(Path.GetExtension(outputPath), ".ecnn", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"--output '{outputPath}': the model file must end in .ecnn");

        var files = parse.GetValue(calibration) ?? [];
        string? rangesPath = parse.GetValue(ranges);
        if (files.Length == 0 && rangesPath is null)
            throw new UsageException("give --calibration files to calibrate on, or --ranges with a table from 'edgecnn calibrate'");
        string? methodText = parse.GetValue(method);
        if (rangesPath is not null && methodText is not null)
            throw new UsageException("--method chooses how calibration picks ranges; with --ranges the table already holds them");
        if (!CalibrationMethod.TryParse(methodText ?? DefaultMethod, out var chosen, out string? methodError))
            throw new UsageException($"--method: {methodError}");
        int? count = parse.GetValue(samples);
        if (count is < 1) throw new UsageException($"--samples {count}: must be at least 1");
        if (count is not null && files.Length == 0) throw new UsageException("--samples picks calibration files; give --calibration");
        string? reportFolder = parse.GetValue(report);
        if (reportFolder is not null && files.Length == 0)
            throw new UsageException("--report measures the int8 model on the --calibration files; give some");
        if (analyze && files.Length == 0)
            throw new UsageException("--analyze runs the model variants on the --calibration files; give some");

        var kept = new List<string>();
        foreach (var value in parse.GetValue(keepFloat) ?? [])
            foreach (var name in value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (name.Length == 0) throw new UsageException($"--keep-float '{value}': empty node name");
                kept.Add(name);
            }

        return new QuantizeRequest(modelPath, files, rangesPath, outputPath, chosen, count, parse.GetValue(perTensor), kept, reportFolder,
            OptionValues.ParseInputShapes(parse.GetValue(inputShape) ?? []));
    }
}
