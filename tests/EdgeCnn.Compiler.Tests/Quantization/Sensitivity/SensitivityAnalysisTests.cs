using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Quantization.Sensitivity;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization.Sensitivity;

public sealed class SensitivityAnalysisTests
{
    private const string Sensitive = "spread_conv";

    /// <summary>
    /// conv → conv (one output channel 100× larger than the others) → Div by a per-channel constant that undoes the
    /// spread → conv. The float outputs never see the spread, but quantizing the middle conv's output per tensor
    /// leaves its seven small channels about one int8 step each. The Div has no int8 variant, so that tensor is
    /// quantized only when the middle conv itself runs int8.
    /// </summary>
    private static (Graph Prepared, CompiledModel Float, Dictionary<string, TensorRange> Ranges, List<IReadOnlyList<float[]>> Samples) SpreadNet()
    {
        const float spread = 100f;
        var g = new EdgeGraph(seed: 21);
        var x = g.Input("x", 1, 8, 8, 3);
        var h = g.Conv(x, 8, 3, ActivationKind.Relu).Outputs[0];
        var middle = g.Conv(h, 8, 3);
        middle.Name = Sensitive;
        var weights = middle.Input(1).Constant!.Floats!;
        int perChannel = weights.Length / 8;
        for (int i = 0; i < perChannel; i++) weights[i] *= spread;
        middle.Input(2).Constant!.Floats![0] *= spread;
        var divisor = new float[8];
        Array.Fill(divisor, 1f);
        divisor[0] = spread;
        var undone = g.Binary(BinaryKind.Div, middle.Outputs[0], EdgeGraph.Constant("unspread", [8], divisor)).Outputs[0];
        var y = g.Conv(undone, 4, 1).Outputs[0];
        g.Output(y);

        QuantizationPreparation.Prepare(g.Graph);
        var floatModel = GraphLowering.Lower(g.Graph);
        var ranges = MinMaxRanges.Measure(floatModel, MinMaxRanges.RandomSamples(3, 12, 192, 1f));
        var samples = MinMaxRanges.RandomSamples(4, 6, 192, 1f).Select(s => (IReadOnlyList<float[]>)[s]).ToList();
        return (g.Graph, floatModel, ranges, samples);
    }

    [Fact]
    public void The_layer_whose_output_spread_per_tensor_quantization_ruins_ranks_first()
    {
        var (prepared, floatModel, ranges, samples) = SpreadNet();
        int nodesBefore = prepared.Nodes.Count;
        var report = SensitivityAnalysis.Analyze(prepared, floatModel, ranges, samples);

        Assert.Equal(3, report.Layers.Count); // the three convs; the Div has no int8 variant
        Assert.Empty(report.Skipped);
        Assert.Equal(Sensitive, report.Layers[0].Node);
        Assert.Equal([1, 2, 3], report.Layers.Select(l => l.Rank));
        Assert.True(report.Layers[0].Quality.SqnrDb + 10 < report.Layers[1].Quality.SqnrDb,
            string.Join(", ", report.Layers.Select(l => $"{l.Node} {l.Quality.SqnrDb:F1} dB")));
        Assert.Equal(samples.Count, report.Samples);
        // Every variant quantized a copy: the prepared graph is still the float one.
        Assert.Equal(nodesBefore, prepared.Nodes.Count);
        Assert.All(prepared.AllValues(), v => Assert.NotEqual(ElementType.Int8, v.Type));
    }

    [Fact]
    public void A_layers_figures_are_those_of_the_model_with_every_other_node_kept_float()
    {
        var (prepared, floatModel, ranges, samples) = SpreadNet();
        var report = SensitivityAnalysis.Analyze(prepared, floatModel, ranges, samples);
        var layer = report.Layers.Single(l => l.Node == Sensitive);

        // The same model through --keep-float of every other conv, measured with the plain formulas.
        var others = prepared.Nodes.Where(n => n.Name != Sensitive && n.Is(OpCode.Conv2D)).Select(n => n.Name).ToList();
        var copy = GraphCopy.Of(prepared);
        var int8 = GraphLowering.Lower(Quantizer.Quantize(copy, ranges, new QuantizerOptions { KeepFloat = others }).Graph);
        double signal = 0, noise = 0, cosineSum = 0;
        foreach (var sample in samples)
        {
            var expected = QuantizedPipeline.RunFirstOutput(new Session(floatModel), sample[0]);
            var actual = QuantizedPipeline.RunFirstOutput(new Session(int8), sample[0]);
            for (int i = 0; i < expected.Length; i++)
            {
                signal += (double)expected[i] * expected[i];
                noise += ((double)expected[i] - actual[i]) * ((double)expected[i] - actual[i]);
            }
            cosineSum += QuantizedPipeline.Cosine(expected, actual);
        }
        Assert.Equal(10 * Math.Log10(signal / noise), layer.Quality.SqnrDb, 9);
        Assert.Equal(cosineSum / samples.Count, layer.Quality.MeanCosine, 9);
        Assert.Null(layer.Quality.Top1Agreement); // a feature map is no class vector
    }

    [Fact]
    public void Keeping_the_sensitive_layer_float_is_suggested_and_reaches_the_target()
    {
        var (prepared, floatModel, ranges, samples) = SpreadNet();
        var report = SensitivityAnalysis.Analyze(prepared, floatModel, ranges, samples, new SensitivityOptions { TargetSqnrDb = 25 });
        var suggestion = report.Suggestion;

        Assert.True(report.FullInt8.SqnrDb < 25, $"full int8 {report.FullInt8.SqnrDb:F1} dB");
        Assert.Equal([Sensitive], suggestion.KeepFloat);
        Assert.True(suggestion.Reached);
        Assert.Equal(2, suggestion.Steps.Count);
        Assert.Empty(suggestion.Steps[0].KeepFloat);
        Assert.Equal(report.FullInt8.SqnrDb, suggestion.Steps[0].Quality.SqnrDb);
        Assert.True(suggestion.Steps[1].Quality.SqnrDb >= 25, $"{suggestion.Steps[1].Quality.SqnrDb:F1} dB");
    }

    [Fact]
    public void With_an_unreachable_target_every_tried_node_is_kept_only_when_it_raises_the_output_sqnr()
    {
        var (prepared, floatModel, ranges, samples) = SpreadNet();
        // Two of the three convs at most: with all three float the model would be exact and reach any target.
        var report = SensitivityAnalysis.Analyze(prepared, floatModel, ranges, samples, new SensitivityOptions { TargetSqnrDb = 1000, MaxSuggested = 2 });
        var suggestion = report.Suggestion;

        Assert.False(suggestion.Reached);
        Assert.Equal(3, suggestion.Steps.Count); // the full model, then the two worst convs tried
        var kept = new List<string>();
        double best = report.FullInt8.SqnrDb;
        for (int i = 1; i < suggestion.Steps.Count; i++)
        {
            var step = suggestion.Steps[i];
            string tried = report.Layers[i - 1].Node;
            Assert.Equal([.. kept, tried], step.KeepFloat);
            if (step.Quality.SqnrDb > best)
            {
                kept.Add(tried);
                best = step.Quality.SqnrDb;
            }
        }
        Assert.Equal(kept, suggestion.KeepFloat);
        Assert.Equal(Sensitive, suggestion.KeepFloat[0]);
    }

    [Fact]
    public void A_target_the_full_model_already_meets_suggests_nothing()
    {
        var (prepared, floatModel, ranges, samples) = SpreadNet();
        var report = SensitivityAnalysis.Analyze(prepared, floatModel, ranges, samples, new SensitivityOptions { TargetSqnrDb = -100 });
        Assert.Empty(report.Suggestion.KeepFloat);
        Assert.True(report.Suggestion.Reached);
        Assert.Single(report.Suggestion.Steps);
    }

    [Fact]
    public void Progress_counts_reference_samples_layers_and_suggestion_steps()
    {
        var (prepared, floatModel, ranges, samples) = SpreadNet();
        var seen = new List<SensitivityProgress>();
        SensitivityAnalysis.Analyze(prepared, floatModel, ranges, samples, new SensitivityOptions { TargetSqnrDb = 25, Progress = seen.Add });
        Assert.Equal(new SensitivityProgress("reference", samples.Count, samples.Count), seen.Last(p => p.Stage == "reference"));
        Assert.Equal([1, 2, 3], seen.Where(p => p.Stage == "layers").Select(p => p.Done));
        Assert.Equal(new SensitivityProgress("suggestion", 1, 3), seen[^1]);
    }

    [Fact]
    public void No_samples_is_an_argument_error()
    {
        var (prepared, floatModel, ranges, _) = SpreadNet();
        var ex = Assert.Throws<ArgumentException>(() => SensitivityAnalysis.Analyze(prepared, floatModel, ranges, []));
        Assert.Contains("at least one sample", ex.Message);
    }
}
