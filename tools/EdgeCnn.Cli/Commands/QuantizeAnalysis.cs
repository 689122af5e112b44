using System.Diagnostics;
using EdgeCnn.Cli.Calibration;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Quantization.Report;
using EdgeCnn.Compiler.Quantization.Sensitivity;
using Spectre.Console;

namespace EdgeCnn.Cli.Commands;

/// <summary>
/// <c>edgecnn quantize --analyze</c>: compile and calibrate as quantize does (once), then
/// <see cref="SensitivityAnalysis"/> over the calibration files; with --report also the full int8 model's report
/// with the ranking as a section of its own.
/// </summary>
internal static class QuantizeAnalysis
{
    public static QuantizeAnalysisRun Run(CliContext context, QuantizeRequest request, ResolvedPreprocessing settings, bool equalize, double target)
    {
        var allFiles = CalibrationFiles.List(request.Calibration);
        var files = request.Samples is { } n ? CalibrationFiles.Pick(allFiles, n) : allFiles;
        byte[] onnx = request.ModelPath is null ? DefaultModel.OnnxBytes() : InputFileException.ReadAllBytes(request.ModelPath);
        string source = request.ModelPath ?? DefaultModel.Name;

        var clock = Stopwatch.StartNew();
        var (graph, floatModel) = context.WithStatus("compiling", () => QuantizeCommand.CompileFloat(request, onnx, source, equalize));
        var loaded = new LoadedModel(floatModel, source, request.ModelPath is null ? ModelKind.Embedded : ModelKind.Onnx, clock.Elapsed.TotalMilliseconds);
        var input = CalibrateCommand.SingleFloatInput(loaded);
        var image = CalibrateCommand.ImagePreprocessingFor(settings, input, files);
        var samples = new FileCalibrationSamples(files, input, image);
        var warnings = new List<string>();

        // Calibrated once: every variant quantizes with these ranges.
        clock.Restart();
        RangeTable table;
        if (request.RangesPath is { } rangesPath)
        {
            table = RangeTable.Load(rangesPath, floatModel.Tensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal));
            if (!string.Equals(table.ModelSha256, RangeTable.Sha256(onnx), StringComparison.OrdinalIgnoreCase))
                warnings.Add($"the range table '{rangesPath}' was made from another model file ({table.Model})");
        }
        else
        {
            var statistics = CalibrateCommand.WithProgress(context, files.Count, request.Method.NeedsHistogram, progress =>
                Calibrator.Collect(floatModel, samples, new CalibrationOptions { CollectHistograms = request.Method.NeedsHistogram, Progress = progress }));
            table = RangeTable.Create(statistics, request.Method, source, RangeTable.Sha256(onnx), RangeTable.DescribeInputs(floatModel));
        }
        double calibrationMs = clock.Elapsed.TotalMilliseconds;

        // Held in memory: every variant runs over all of them, and decoding images again for each would dominate.
        var loadedSamples = Enumerable.Range(0, samples.Count).Select(samples.Load).ToList();
        var quantizer = new QuantizerOptions { PerTensorWeights = request.PerTensor, KeepFloat = request.KeepFloat };
        clock.Restart();
        SensitivityReport report;
        try
        {
            report = WithProgress(context, progress => SensitivityAnalysis.Analyze(graph, floatModel, table.Ranges, loadedSamples,
                new SensitivityOptions { Quantizer = quantizer, TargetSqnrDb = target, Progress = progress }));
        }
        catch (ArgumentException ex) when (ex.Message.StartsWith("keep-float", StringComparison.Ordinal))
        {
            throw new UsageException($"--{ex.Message}");
        }
        double analysisMs = clock.Elapsed.TotalMilliseconds;

        if (request.ReportFolder is { } folder)
        {
            var full = Quantizer.Quantize(graph, table.Ranges, quantizer);
            var quality = QuantizationEvaluator.Evaluate(floatModel, GraphLowering.Lower(full.Graph), full, loadedSamples, source,
                QuantizeCommand.Settings(request, table));
            AtomicFile.WriteAllBytes(Path.Combine(folder, "report.json"), System.Text.Encoding.UTF8.GetBytes(ReportJson.ToText(quality, report)));
            AtomicFile.WriteAllBytes(Path.Combine(folder, "report.html"), System.Text.Encoding.UTF8.GetBytes(ReportHtml.Render(quality, report)));
        }
        return new QuantizeAnalysisRun(loaded, request, table, files.Count, allFiles.Count, report, calibrationMs, analysisMs, warnings);
    }

    /// <summary>Bars on stderr when it is a terminal: the float reference, then the variants, then the keep-float search.</summary>
    private static SensitivityReport WithProgress(CliContext context, Func<Action<SensitivityProgress>?, SensitivityReport> work)
    {
        if (context.Progress is not { } console) return work(null);
        SensitivityReport? result = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                result = work(p =>
                {
                    if (!tasks.TryGetValue(p.Stage, out var task))
                        tasks[p.Stage] = task = progress.AddTask($"analyze: {p.Stage}", maxValue: p.Total);
                    task.Value(p.Done);
                });
            });
        return result!;
    }
}
