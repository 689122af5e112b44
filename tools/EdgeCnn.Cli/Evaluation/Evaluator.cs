using System.Diagnostics;
using EdgeCnn.Cli.Datasets;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Evaluation;

/// <summary>What an evaluation measured. Latency is the model run alone (Session.Run per image); preprocessing
/// (decode + resize + normalize) is timed separately and reported as a total.</summary>
internal sealed record EvalResult(
    ClassificationMetrics Metrics,
    LatencySummary Latency,
    double PrepareMs,
    double PreprocessTotalMs,
    double TotalMs,
    long ArenaBytes);

/// <summary>Runs a classifier over the first <c>count</c> samples of a data set.</summary>
internal static class Evaluator
{
    public static EvalResult Run(CompiledModel model, int outputIndex, LabeledDataset dataset, ClassMapping mapping,
        ImagePreprocessing preprocessing, int count, Action? advance = null)
    {
        var total = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        var session = new Session(model);
        double prepareMs = clock.Elapsed.TotalMilliseconds;

        // An Int8 input is filled in place, the image quantized while it is preprocessed (no float tensor).
        var int8 = model.InputInfo(0).Type == DataType.Int8 ? Int8ImagePreprocessor.For(model.InputInfo(0), preprocessing) : null;
        var input = new float[int8 is null ? preprocessing.ElementCount : 0];
        var outputs = model.Outputs.Select(o => new float[model.Tensors[o].ElementCount]).ToArray();
        ReadOnlyMemory<float>[] inputMemory = [input];
        var outputMemory = outputs.Select(o => (Memory<float>)o).ToArray();
        var metrics = new ClassificationMetrics(mapping.OutputCount);
        var runMs = new double[count];
        double preprocessMs = 0;

        for (int i = 0; i < count; i++)
        {
            clock.Restart();
            var image = dataset.Load(i);
            if (int8 is not null) int8.Run(image, session.InputInt8(0));
            else ImagePreprocessor.Run(image, preprocessing, input);
            preprocessMs += clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            if (int8 is not null) session.Run();
            else session.Run(inputMemory, outputMemory);
            runMs[i] = clock.Elapsed.TotalMilliseconds;

            metrics.Add(mapping.OutputOf(dataset.ClassOf(i)), int8 is not null ? session.OutputFloat(outputIndex) : outputs[outputIndex]);
            advance?.Invoke();
        }
        return new EvalResult(metrics, LatencySummary.Of(runMs), prepareMs, preprocessMs, total.Elapsed.TotalMilliseconds, session.ArenaBytes);
    }
}
