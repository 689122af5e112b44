using System.Diagnostics;
using EdgeCnn.Cli.Datasets;
using EdgeCnn.Compiler.Preprocessing;
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

        var input = new float[preprocessing.ElementCount];
        var outputs = model.Outputs.Select(o => new float[model.Tensors[o].ElementCount]).ToArray();
        ReadOnlyMemory<float>[] inputMemory = [input];
        var outputMemory = outputs.Select(o => (Memory<float>)o).ToArray();
        var metrics = new ClassificationMetrics(mapping.OutputCount);
        var runMs = new double[count];
        double preprocessMs = 0;

        for (int i = 0; i < count; i++)
        {
            clock.Restart();
            ImagePreprocessor.Run(dataset.Load(i), preprocessing, input);
            preprocessMs += clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            session.Run(inputMemory, outputMemory);
            runMs[i] = clock.Elapsed.TotalMilliseconds;

            metrics.Add(mapping.OutputOf(dataset.ClassOf(i)), outputs[outputIndex]);
            advance?.Invoke();
        }
        return new EvalResult(metrics, LatencySummary.Of(runMs), prepareMs, preprocessMs, total.Elapsed.TotalMilliseconds, session.ArenaBytes);
    }
}
