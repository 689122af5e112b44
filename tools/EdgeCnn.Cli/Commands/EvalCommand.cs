using System.CommandLine;
using EdgeCnn.Cli.Datasets;
using EdgeCnn.Cli.Evaluation;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Runtime.Model;
using Spectre.Console;

namespace EdgeCnn.Cli.Commands;

/// <summary><c>edgecnn eval MODEL --data DIR|IDX</c>: accuracy (top-1, top-5, per class, confusion matrix) and
/// per-image latency of a classifier over a labeled image folder or an idx data set.</summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context, Option<bool> verbose)
    {
        var model = CommonOptions.Model("The classifier: .onnx (compiled in memory first) or .ecnn");
        var data = new Option<string>("--data")
        {
            Description = "A folder with one subfolder of images per class, or an idx images file (e.g. t10k-images-idx3-ubyte.gz)",
            Required = true,
        };
        var idxLabels = new Option<string?>("--idx-labels") { Description = "The idx labels file (default: the images file's name with images-idx3 → labels-idx1)" };
        var labels = new Option<string?>("--labels") { Description = "Class names, one per line (line i names output i); folder names are looked up in it" };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N samples (folders: taken round-robin over the classes)" };
        var inputShape = CommonOptions.InputShape();
        var noOptimize = CommonOptions.NoOptimize();
        var json = CommonOptions.Json();
        var preprocessing = new PreprocessingOptions();
        var command = new Command("eval", "Measure a classifier's accuracy and latency on a labeled image folder or idx data set")
        {
            model, data, idxLabels, labels, limit, inputShape, noOptimize, json,
        };
        preprocessing.AddTo(command);

        CommandAction.Set(command, context, verbose, parse =>
        {
            var settings = preprocessing.Parse(parse);
            int? max = parse.GetValue(limit);
            if (max is < 1) throw new UsageException($"--limit {max}: must be at least 1");
            var shapes = OptionValues.ParseInputShapes(parse.GetValue(inputShape) ?? []);
            string modelPath = parse.GetRequiredValue(model);
            string dataPath = parse.GetRequiredValue(data);
            string? idxLabelsPath = parse.GetValue(idxLabels);
            string? labelsPath = parse.GetValue(labels);

            // The data set is opened before the model: a wrong path fails at once instead of after compiling.
            var dataset = OpenDataset(dataPath, idxLabelsPath);
            string[]? labelNames = labelsPath is null ? null : LabelFile.Read(labelsPath);
            var loaded = context.WithStatus("loading model", () => ModelLoader.Load(modelPath, shapes, !parse.GetValue(noOptimize)));
            var (inputInfo, outputIndex, classes) = CheckClassifier(loaded);
            var image = settings.For(inputInfo, dataset.Source);
            if (!image.OutputShape.SequenceEqual(inputInfo.Shape))
                throw new InputFileException(loaded.Source, $"preprocessing makes {Units.Shape(image.OutputShape)} tensors, but input '{inputInfo.Name}' is {Units.Shape(inputInfo.Shape)}; "
                    + "set --size (or --crop) to the input's size, or bind the ONNX input with --input-shape");
            var mapping = ClassMapping.Create(dataset, labelNames, labelsPath, classes);

            var warnings = dataset.Warnings.ToList();
            if (labelNames is not null && labelNames.Length != classes)
                warnings.Add($"'{labelsPath}' has {labelNames.Length} lines; the model has {classes} outputs");
            foreach (var w in warnings) context.Error.WriteLine($"edgecnn: warning: {w}");

            int count = Math.Min(max ?? int.MaxValue, dataset.Count);
            var result = WithProgress(context, count, advance =>
                Evaluator.Run(loaded.Model, outputIndex, dataset, mapping, image, count, advance));

            var report = new EvalReport(loaded, loaded.Model.OutputInfo(outputIndex), dataset, mapping, image, settings.Preset, warnings, result);
            if (parse.GetValue(json)) context.WriteJson(report.ToJson());
            else report.Write(context);
            return CommandAction.Success;
        });
        return command;
    }

    private static LabeledDataset OpenDataset(string path, string? idxLabelsPath)
    {
        if (Directory.Exists(path))
        {
            if (idxLabelsPath is not null)
                throw new UsageException($"--idx-labels applies to idx data; '{path}' is an image folder");
            return ImageFolderDataset.Open(path);
        }
        if (File.Exists(path)) return IdxDataset.Open(path, idxLabelsPath);
        throw new InputFileException(path, "no such directory or file (expected an image folder or an idx images file)");
    }

    /// <summary>eval feeds one float32 (or int8, quantized while preprocessing) image input and reads the first output as one row of class scores.</summary>
    private static (TensorInfo Input, int OutputIndex, int Classes) CheckClassifier(LoadedModel loaded)
    {
        var model = loaded.Model;
        if (model.Inputs.Length != 1)
            throw new InputFileException(loaded.Source, $"eval feeds one image input; the model has {model.Inputs.Length}");
        var input = model.InputInfo(0);
        if (input.Type is not (DataType.Float32 or DataType.Int8))
            throw new InputFileException(loaded.Source, $"input '{input.Name}' is {input.Type}; eval feeds float32 or int8 images");
        var output = model.OutputInfo(0);
        if (output.Type != DataType.Float32 || output.Shape.Length == 0 || output.Shape[..^1].Any(d => d != 1) || output.Shape[^1] < 1)
            throw new InputFileException(loaded.Source, $"output '{output.Name}' {Units.Shape(output.Shape)} {output.Type} is not one row of float32 class scores");
        return (input, 0, output.Shape[^1]);
    }

    /// <summary>A progress bar on stderr when it is a terminal; plain work otherwise.</summary>
    private static EvalResult WithProgress(CliContext context, int count, Func<Action?, EvalResult> work)
    {
        if (context.Progress is not { } console) return work(null);
        EvalResult? result = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("evaluating", maxValue: count);
                result = work(() => task.Increment(1));
            });
        return result!;
    }
}
