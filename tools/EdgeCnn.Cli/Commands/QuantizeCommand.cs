using System.CommandLine;
using System.Diagnostics;
using EdgeCnn.Cli.Calibration;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Compiler;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Quantization.Report;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime.Model;
using Spectre.Console;

namespace EdgeCnn.Cli.Commands;

/// <summary>
/// <c>edgecnn quantize [MODEL.onnx] (--calibration DIR|FILE... | --ranges TABLE) -o MODEL.ecnn</c>: compiles the
/// model to float, prepares it for quantization, takes the activation ranges (calibrating on the given files, or from
/// a table <c>edgecnn calibrate</c> wrote), quantizes to int8 and writes the model file; <c>--report DIR</c> measures
/// the int8 model against the float one on the calibration files.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create(CliContext context, Option<bool> verbose)
    {
        var model = CommonOptions.OptionalModel("The ONNX model (the embedded default model when omitted)");
        var calibration = new Option<string[]>("--calibration", "-c")
        {
            Description = "Calibration images (.png/.jpg/.bmp) or tensors (.npy/.pb), or folders searched recursively (sorted by path); also the samples --report evaluates on",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var ranges = new Option<string?>("--ranges") { Description = "A range table from 'edgecnn calibrate' instead of calibrating here" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the int8 .ecnn model file (required unless --analyze)" };
        var method = new Option<string?>("--method", "-m")
        {
            Description = "How calibration chooses ranges: minmax, percentile[:P] (default, P 99.99), entropy (KL divergence) or mse",
        };
        var samples = new Option<int?>("--samples", "-n") { Description = "Use N of the calibration files, spread evenly over the sorted list (default: all)" };
        var perTensor = new Option<bool>("--per-tensor") { Description = "One weight scale per tensor instead of per output channel (for comparison)" };
        var equalize = new Option<bool>("--equalize")
        {
            Description = "Cross-layer equalization (Nagel et al. 2019) of conv pairs before calibrating; pairs through ReLU6 or other non-homogeneous activations are left alone",
        };
        var keepFloat = new Option<string[]>("--keep-float")
        {
            Description = "Nodes that stay float32, comma-separated (names as the report and 'edgecnn inspect' list them)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var report = new Option<string?>("--report") { Description = "Write report.json and report.html (per-layer SQNR, output agreement, sizes) into this folder" };
        var emitQdq = EmitQdqOption.Create();
        var int8Input = new Option<bool>("--int8-input")
        {
            Description = "Make the float input that feeds a Quantize an Int8 input with its params (the Quantize goes): images are then quantized while preprocessing, and float inputs are quantized by the runtime the same way",
        };
        var biasCorrection = new Option<bool>("--bias-correction")
        {
            Description = "Empirical bias correction (Nagel et al. 2019): each int8 conv's bias absorbs the mean output shift its weight rounding causes, measured layer by layer on the --calibration files (one int8 run over them per layer depth)",
        };
        var inputShape = CommonOptions.InputShape();
        var json = CommonOptions.Json();
        var preprocessing = new PreprocessingOptions();
        var command = new Command("quantize", "Quantize a model to int8 (post-training, calibrated) and write the .ecnn model file")
        {
            model, calibration, ranges, output, method, samples, perTensor, equalize, keepFloat, report, emitQdq, inputShape, json, int8Input, biasCorrection,
        };
        preprocessing.AddTo(command);
        var analysis = new AnalyzeOptions();
        analysis.AddTo(command);

        CommandAction.Set(command, context, verbose, parse =>
        {
            bool analyzing = analysis.IsRequested(parse);
            var request = QuantizeRequest.Parse(parse, model, calibration, ranges, output, method, samples, perTensor, keepFloat, report, inputShape, analyzing);
            string? qdqPath = EmitQdqOption.Parse(parse, emitQdq);
            var settings = preprocessing.Parse(parse);
            bool equalized = parse.GetValue(equalize);
            if (equalized && request.RangesPath is not null)
                throw new UsageException("--equalize changes the ranges calibration measures; it cannot reuse a --ranges table, give --calibration");
            double analyzeTarget = analysis.Target(parse, qdqPath);
            if (parse.GetValue(biasCorrection))
            {
                if (request.Calibration.Count == 0)
                    throw new UsageException("--bias-correction measures the int8 model on the --calibration files; give some");
                if (analyzing) throw new UsageException("--bias-correction changes the model --analyze would rank; run them separately");
                request = request with { BiasCorrection = true };
            }
            if (analyzing)
            {
                if (parse.GetValue(int8Input))
                    throw new UsageException("--int8-input changes how the model file takes its input, and --analyze writes no model; give them separately");
                var analyzed = QuantizeAnalysis.Run(context, request, settings, equalized, analyzeTarget);
                if (parse.GetValue(json)) context.WriteJson(analyzed.ToJson());
                else analyzed.Write(context);
                return CommandAction.Success;
            }
            bool int8In = parse.GetValue(int8Input);
            if (int8In && qdqPath is not null)
                throw new UsageException("--emit-qdq writes ONNX with float inputs; quantize without --int8-input to export it");
            var run = Run(context, request, settings, equalized, qdqPath, int8In);
            if (parse.GetValue(json)) context.WriteJson(run.ToJson());
            else run.Write(context);
            if (qdqPath is not null && !parse.GetValue(json)) context.Out.WriteLine($"wrote    {qdqPath} (ONNX with QuantizeLinear/DequantizeLinear)");
            return CommandAction.Success;
        });
        return command;
    }

    private static QuantizeRun Run(CliContext context, QuantizeRequest request, ResolvedPreprocessing settings, bool equalize, string? qdqPath, bool int8Input)
    {
        // Files are listed before the model is compiled, so a wrong path fails at once.
        var allFiles = request.Calibration.Count > 0 ? CalibrationFiles.List(request.Calibration) : [];
        var files = request.Samples is { } n ? CalibrationFiles.Pick(allFiles, n) : allFiles;
        byte[] onnx = request.ModelPath is null ? DefaultModel.OnnxBytes() : InputFileException.ReadAllBytes(request.ModelPath);
        string source = request.ModelPath ?? DefaultModel.Name;

        var clock = Stopwatch.StartNew();
        var (graph, floatModel) = context.WithStatus("compiling", () => CompileFloat(request, onnx, source, equalize));
        var loaded = new LoadedModel(floatModel, source, request.ModelPath is null ? ModelKind.Embedded : ModelKind.Onnx, clock.Elapsed.TotalMilliseconds);
        var input = files.Count > 0 ? CalibrateCommand.SingleFloatInput(loaded) : null;
        var image = input is null ? null : CalibrateCommand.ImagePreprocessingFor(settings, input, files);
        var warnings = new List<string>();

        clock.Restart();
        RangeTable table;
        if (request.RangesPath is { } rangesPath)
        {
            var names = floatModel.Tensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            table = RangeTable.Load(rangesPath, names);
            if (!string.Equals(table.ModelSha256, RangeTable.Sha256(onnx), StringComparison.OrdinalIgnoreCase))
                warnings.Add($"the range table '{rangesPath}' was made from another model file ({table.Model})");
        }
        else
        {
            var statistics = CalibrateCommand.WithProgress(context, files.Count, request.Method.NeedsHistogram, progress =>
                Calibrator.Collect(floatModel, new FileCalibrationSamples(files, input!, image),
                    new CalibrationOptions { CollectHistograms = request.Method.NeedsHistogram, Progress = progress }));
            table = RangeTable.Create(statistics, request.Method, source, RangeTable.Sha256(onnx), RangeTable.DescribeInputs(floatModel));
        }
        double calibrationMs = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        QuantizationResult result;
        try
        {
            var options = new QuantizerOptions
            {
                PerTensorWeights = request.PerTensor, KeepFloat = request.KeepFloat, Int8Input = int8Input,
                BiasCorrectionSamples = request.BiasCorrection ? new FileCalibrationSamples(files, input!, image) : null,
            };
            result = request.BiasCorrection
                ? context.WithStatus("bias correction", () => Quantizer.Quantize(graph, table.Ranges, options))
                : Quantizer.Quantize(graph, table.Ranges, options);
        }
        catch (ArgumentException ex) when (ex.Message.StartsWith("keep-float", StringComparison.Ordinal))
        {
            throw new UsageException($"--{ex.Message}");
        }
        int unranged = result.Nodes.Count(n => n.MissingRange is not null);
        if (unranged > 0 && request.RangesPath is not null)
            warnings.Add($"{unranged} node(s) stay float because '{request.RangesPath}' has no range for a tensor they need (listed below)");
        if (int8Input && result.Int8Inputs.Count == 0)
            warnings.Add("--int8-input: no input could become int8 (each feeds a float op, or is a graph output, besides its Quantize); the inputs stay float32");
        var int8Model = GraphLowering.Lower(result.Graph);
        double quantizeMs = clock.Elapsed.TotalMilliseconds;
        string? folder = Path.GetDirectoryName(Path.GetFullPath(request.OutputPath));
        if (folder is not null) Directory.CreateDirectory(folder);
        long int8Bytes = ModelWriter.Save(int8Model, request.OutputPath);
        if (qdqPath is not null) EmitQdqOption.Write(qdqPath, result.Graph);
        long fp32Bytes = ModelWriter.ToBytes(floatModel).LongLength;

        QuantizationReport? quality = null;
        if (request.ReportFolder is { } reportFolder)
        {
            var evaluation = new FileCalibrationSamples(files, input!, image);
            quality = WithProgress(context, files.Count, progress => QuantizationEvaluator.Evaluate(floatModel, int8Model, result,
                Enumerable.Range(0, evaluation.Count).Select(evaluation.Load), source, Settings(request, table), progress));
            AtomicFile.WriteAllBytes(Path.Combine(reportFolder, "report.json"), System.Text.Encoding.UTF8.GetBytes(ReportJson.ToText(quality)));
            AtomicFile.WriteAllBytes(Path.Combine(reportFolder, "report.html"), System.Text.Encoding.UTF8.GetBytes(ReportHtml.Render(quality)));
        }

        return new QuantizeRun(loaded, request, table, files.Count, allFiles.Count, result, fp32Bytes, int8Bytes,
            calibrationMs, quantizeMs, quality, warnings);
    }

    internal static (Graph Graph, CompiledModel Float) CompileFloat(QuantizeRequest request, byte[] onnx, string source, bool equalize)
    {
        // The importer reads files (external data sits next to the model); the embedded model goes through a temporary copy.
        string? temp = request.ModelPath is null ? Path.Combine(Path.GetTempPath(), $"edgecnn-default-{Guid.NewGuid():N}.onnx") : null;
        try
        {
            if (temp is not null) File.WriteAllBytes(temp, onnx);
            var graph = ModelCompiler.Import(temp ?? request.ModelPath!, new ImportOptions { InputShapes = request.InputShapes });
            return (graph, equalize ? EqualizedFloatModel.Compile(graph, out _) : QuantizationPreparation.CompileFloat(graph));
        }
        catch (OnnxImportException ex) when (!ex.Message.Contains(source, StringComparison.Ordinal))
        {
            throw new InputFileException(source, ex.Message, ex);
        }
        finally
        {
            if (temp is not null) File.Delete(temp);
        }
    }

    internal static List<KeyValuePair<string, string>> Settings(QuantizeRequest request, RangeTable table) =>
    [
        new("ranges", request.RangesPath is null ? $"calibrated here ({table.Method}, {table.Samples} samples)" : $"{request.RangesPath} ({table.Method}, {table.Samples} samples)"),
        new("weights", request.PerTensor ? "per tensor" : "per output channel"),
        new("keep float", request.KeepFloat.Count == 0 ? "none" : string.Join(", ", request.KeepFloat)),
        new("bias correction", request.BiasCorrection ? "on (calibration files)" : "off"),
        new("input", table.Inputs),
    ];

    /// <summary>A bar for the evaluation run when stderr is a terminal.</summary>
    private static QuantizationReport WithProgress(CliContext context, int count, Func<Action<int>?, QuantizationReport> work)
    {
        if (context.Progress is not { } console) return work(null);
        QuantizationReport? result = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("report: fp32 vs int8", maxValue: count);
                result = work(done => task.Value(done));
            });
        return result!;
    }
}
