using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Evaluation;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Runtime;

namespace EdgeCnn.Cli.Commands;

/// <summary>One sample image classified: the true class comes from the file name ("9-ankle-boot.png" is class 9).</summary>
internal sealed record SampleResult(string File, int? TrueClass, int Predicted, double Probability, double Milliseconds)
{
    public bool Correct => TrueClass == Predicted;
}

/// <summary><c>edgecnn run</c> with neither MODEL nor --input: the embedded default model classifies its embedded sample
/// images, one line per image (true label, predicted top-1 with its softmax probability, run time), then the totals.</summary>
internal static class SampleRun
{
    public static int Execute(CliContext context, LoadedModel loaded, ResolvedPreprocessing imageOptions, string[] labels, bool json)
    {
        var model = loaded.Model;
        if (model.Inputs.Length != 1 || model.Outputs.Length != 1)
            throw new InputFileException(loaded.Source, $"the sample run needs one input and one output; the model has {model.Inputs.Length} and {model.Outputs.Length}");
        var target = model.InputInfo(0);
        var outputInfo = model.OutputInfo(0);
        var inputs = DefaultModel.Samples()
            .Select(s => (s.FileName, Data: ImageTensor.FromEncoded(s.Png, s.FileName, imageOptions.For(target, s.FileName)).AsFloats()))
            .ToList();
        foreach (var (file, data) in inputs)
            if (data.Length != target.ElementCount)
                throw new InputFileException(file, $"preprocesses to {data.Length} values; model input '{target.Name}' needs {target.ElementCount}");

        var clock = Stopwatch.StartNew();
        var session = new Session(model);
        double prepareMs = clock.Elapsed.TotalMilliseconds;
        var logits = new float[outputInfo.ElementCount];
        ReadOnlyMemory<float>[] inputMemory = [inputs[0].Data];
        Memory<float>[] outputMemory = [logits];
        // The first run JIT-compiles the kernels; timing it with the images would only measure the compiler.
        clock.Restart();
        session.Run(inputMemory, outputMemory);
        double warmupMs = clock.Elapsed.TotalMilliseconds;

        var results = new List<SampleResult>(inputs.Count);
        foreach (var (file, data) in inputs)
        {
            inputMemory[0] = data;
            clock.Restart();
            session.Run(inputMemory, outputMemory);
            double ms = clock.Elapsed.TotalMilliseconds;
            var (best, probability) = Top1Softmax(logits);
            results.Add(new SampleResult(file, TrueClassOf(file), best, probability, ms));
        }
        var latency = LatencySummary.Of(results.Select(r => r.Milliseconds).ToList());
        int correct = results.Count(r => r.Correct);

        if (json)
        {
            var doc = ModelSummary.ToJson(loaded);
            doc["samples"] = DefaultModel.SamplesSource;
            doc["results"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["file"] = r.File,
                ["trueIndex"] = r.TrueClass,
                ["trueLabel"] = r.TrueClass is { } t ? LabelOf(labels, t) : null,
                ["predictedIndex"] = r.Predicted,
                ["predictedLabel"] = LabelOf(labels, r.Predicted),
                ["probability"] = r.Probability,
                ["correct"] = r.Correct,
                ["ms"] = r.Milliseconds,
            }).ToArray());
            doc["correct"] = correct;
            doc["count"] = results.Count;
            doc["timing"] = new JsonObject
            {
                ["prepareMs"] = prepareMs,
                ["warmupMs"] = warmupMs,
                ["medianMs"] = latency.MedianMs,
                ["meanMs"] = latency.MeanMs,
                ["minMs"] = latency.MinMs,
                ["maxMs"] = latency.MaxMs,
            };
            doc["arenaBytes"] = session.ArenaBytes;
            context.WriteJson(doc);
            return CommandAction.Success;
        }

        ModelSummary.Write(context, loaded);
        context.Out.WriteLine($"samples  {results.Count} images embedded from {DefaultModel.SamplesSource} (true class from the file name)");
        int fileWidth = Math.Max(4, results.Max(r => r.File.Length));
        int labelWidth = Math.Max(9, results.Max(r => Math.Max(r.TrueClass is { } t ? LabelOf(labels, t).Length : 1, LabelOf(labels, r.Predicted).Length)));
        context.Out.WriteLine($"  {"file".PadRight(fileWidth)}  {"true".PadRight(labelWidth)}  {"predicted".PadRight(labelWidth)}  {"prob",6}  {"time",10}");
        foreach (var r in results)
        {
            string truth = r.TrueClass is { } t ? LabelOf(labels, t) : "?";
            string mark = r.Correct ? "" : "  wrong";
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.File.PadRight(fileWidth)}  {truth.PadRight(labelWidth)}  {LabelOf(labels, r.Predicted).PadRight(labelWidth)}  {r.Probability,6:F4}  {Units.Milliseconds(r.Milliseconds),10}{mark}"));
        }
        context.Out.WriteLine($"correct  {correct}/{results.Count}");
        context.Out.WriteLine($"time     median {Units.Milliseconds(latency.MedianMs)} per image (model run only, after a warm-up run of {Units.Milliseconds(warmupMs)}); prepare {Units.Milliseconds(prepareMs)}");
        context.Out.WriteLine($"arena    {Units.Bytes(session.ArenaBytes)}");
        return CommandAction.Success;
    }

    /// <summary>The leading number of "N-name.png", or null when the name does not start with one.</summary>
    internal static int? TrueClassOf(string file)
    {
        int dash = file.IndexOf('-');
        return dash > 0 && int.TryParse(file.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int c) ? c : null;
    }

    /// <summary>The largest logit's index and its softmax probability, computed in double with the maximum subtracted
    /// so large logits cannot overflow.</summary>
    internal static (int Index, double Probability) Top1Softmax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best]) best = i;
        double sum = 0;
        foreach (float v in logits) sum += Math.Exp((double)v - logits[best]);
        return (best, 1 / sum);
    }

    private static string LabelOf(string[] labels, int index) =>
        index >= 0 && index < labels.Length ? labels[index] : $"class {index}";
}
