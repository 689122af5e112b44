using System.CommandLine;
using System.Diagnostics;
using EdgeCnn.Cli.Calibration;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Runtime.Model;
using Spectre.Console;

namespace EdgeCnn.Cli.Commands;

/// <summary><c>edgecnn calibrate [MODEL.onnx] --calibration DIR|FILE... -o RANGES.tsv</c>: runs the optimized float
/// model over calibration images or tensors and writes the range table <c>edgecnn quantize --ranges</c> reads.</summary>
internal static class CalibrateCommand
{
    public static Command Create(CliContext context, Option<bool> verbose)
    {
        var model = CommonOptions.OptionalModel("The ONNX model (the embedded default model when omitted)");
        var calibration = new Option<string[]>("--calibration", "-c")
        {
            Description = "Calibration images (.png/.jpg/.bmp) or tensors (.npy/.pb), or folders searched recursively (sorted by path)",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var method = new Option<string>("--method", "-m")
        {
            Description = "How ranges are chosen: minmax, percentile[:P] (default P 99.99), entropy (KL divergence) or mse",
            DefaultValueFactory = _ => "percentile",
        };
        var samples = new Option<int?>("--samples", "-n") { Description = "Use N of the files, spread evenly over the sorted list (default: all)" };
        var output = new Option<string>("--output", "-o") { Description = "The range table to write (tab-separated text)", Required = true };
        var inputShape = CommonOptions.InputShape();
        var json = CommonOptions.Json();
        var preprocessing = new PreprocessingOptions();
        var command = new Command("calibrate", "Measure activation ranges on calibration data and write the range table for quantization")
        {
            model, calibration, method, samples, output, inputShape, json,
        };
        preprocessing.AddTo(command);

        CommandAction.Set(command, context, verbose, parse =>
        {
            string methodText = parse.GetValue(method) ?? "percentile";
            if (!CalibrationMethod.TryParse(methodText, out var chosen, out string? methodError))
                throw new UsageException($"--method: {methodError}");
            int? count = parse.GetValue(samples);
            if (count is < 1) throw new UsageException($"--samples {count}: must be at least 1");
            var settings = preprocessing.Parse(parse);
            var shapes = OptionValues.ParseInputShapes(parse.GetValue(inputShape) ?? []);
            string? modelPath = parse.GetValue(model);
            if (modelPath is not null && ModelLoader.KindOf(modelPath) != ModelKind.Onnx)
                throw new UsageException($"calibrate reads an .onnx model ('{modelPath}' is compiled; the quantizer starts again from the ONNX graph)");
            string outputPath = parse.GetRequiredValue(output);

            var allFiles = CalibrationFiles.List(parse.GetRequiredValue(calibration));
            var files = CalibrationFiles.Pick(allFiles, count ?? allFiles.Count);
            byte[] onnx = modelPath is null ? DefaultModel.OnnxBytes() : InputFileException.ReadAllBytes(modelPath);
            // Compiled exactly as the quantizer starts from it (optimized, non-clamp activations split off), so the
            // table holds every tensor the quantizer asks a range for, under the same names.
            var loaded = context.WithStatus("loading model", () => ModelLoader.Load(modelPath, shapes, optimize: true, forQuantization: true));
            var input = SingleFloatInput(loaded);
            var image = ImagePreprocessingFor(settings, input, files);

            var clock = Stopwatch.StartNew();
            var statistics = WithProgress(context, files.Count, chosen.NeedsHistogram, progress =>
                Calibrator.Collect(loaded.Model, new FileCalibrationSamples(files, input, image),
                    new CalibrationOptions { CollectHistograms = chosen.NeedsHistogram, Progress = progress }));
            var table = RangeTable.Create(statistics, chosen, loaded.Source, RangeTable.Sha256(onnx), RangeTable.DescribeInputs(loaded.Model));
            double calibrationMs = clock.Elapsed.TotalMilliseconds;
            string? folder = Path.GetDirectoryName(Path.GetFullPath(outputPath));
            if (folder is not null) Directory.CreateDirectory(folder);
            table.Save(outputPath);

            var report = new CalibrateReport(loaded, table, files, allFiles.Count, calibrationMs, outputPath);
            if (parse.GetValue(json)) context.WriteJson(report.ToJson());
            else report.Write(context);
            return CommandAction.Success;
        });
        return command;
    }

    /// <summary>Each calibration file feeds the model's one input; several inputs would need grouped files.</summary>
    internal static TensorInfo SingleFloatInput(LoadedModel loaded)
    {
        var model = loaded.Model;
        if (model.Inputs.Length != 1)
            throw new InputFileException(loaded.Source, $"calibrate feeds one file per sample to a single input; the model has {model.Inputs.Length} inputs");
        var input = model.InputInfo(0);
        if (input.Type != DataType.Float32)
            throw new InputFileException(loaded.Source, $"input '{input.Name}' is {input.Type}; calibration feeds float32 inputs");
        return input;
    }

    /// <summary>Resolved once, before the long run, so a size that cannot fit the input fails at once.</summary>
    internal static ImagePreprocessing? ImagePreprocessingFor(ResolvedPreprocessing settings, TensorInfo input, IReadOnlyList<string> files)
    {
        string? firstImage = files.FirstOrDefault(ImageTensor.IsImagePath);
        if (firstImage is null) return null;
        var image = settings.For(input, firstImage);
        if (!image.OutputShape.SequenceEqual(input.Shape))
            throw new InputFileException(firstImage, $"preprocessing makes {Units.Shape(image.OutputShape)} tensors, but input '{input.Name}' is {Units.Shape(input.Shape)}; "
                + "set --size (or --crop) to the input's size, or bind the ONNX input with --input-shape");
        return image;
    }

    /// <summary>One bar per pass on stderr when it is a terminal; plain work otherwise (pipes, CI logs, tests).</summary>
    internal static CalibrationStatistics WithProgress(CliContext context, int count, bool histograms,
        Func<Action<CalibrationProgress>?, CalibrationStatistics> work)
    {
        if (context.Progress is not { } console) return work(null);
        CalibrationStatistics? result = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var ranges = progress.AddTask("calibrating: ranges", maxValue: count);
                var bins = histograms ? progress.AddTask("calibrating: histograms", maxValue: count) : null;
                result = work(p => (p.Pass == CalibrationPass.Range ? ranges : bins)?.Value(p.Completed));
            });
        return result!;
    }
}
