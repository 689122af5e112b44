using System.Runtime.InteropServices;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Tests.OnnxRuntime;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Calibration;

public class CalibratorTests
{
    private static readonly SyntheticNetwork Network = SyntheticNetworks.Build("MobileNetV2InvertedResidual");

    private static CompiledModel Compile() =>
        Calibrator.CompileFloat(OnnxImporter.Load(Network.Onnx, "block.onnx", new ImportOptions()));

    private static List<float[]> Samples(int count, int seed = 100)
    {
        var rng = new Random(seed);
        int n = Network.Shape.Aggregate(1, (a, b) => a * b);
        return Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray())
            .ToList();
    }

    /// <summary>Keeps a copy of every tensor the session reports, per call.</summary>
    private sealed class Recorder : ITensorObserver
    {
        public Dictionary<int, List<float[]>> Seen { get; } = new();

        public void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data)
        {
            if (!Seen.TryGetValue(tensorIndex, out var list)) Seen[tensorIndex] = list = [];
            list.Add(MemoryMarshal.Cast<byte, float>(data).ToArray());
        }
    }

    [Fact]
    public void Statistics_cover_every_input_and_activation_with_their_exact_values()
    {
        var model = Compile();
        var samples = Samples(4);
        var statistics = Calibrator.Collect(model, InMemoryCalibrationSamples.SingleInput(samples));

        var recorder = new Recorder();
        var session = new Session(model) { Observer = recorder };
        var output = new float[model.OutputInfo(0).ElementCount];
        foreach (var s in samples) session.Run(s, output);

        var expected = Enumerable.Range(0, model.Tensors.Length).Where(t => model.Tensors[t].Kind != TensorKind.Constant).ToList();
        Assert.True(expected.Count >= 4, "the block should keep several activations after fusion");
        Assert.Equal(expected, statistics.Tensors.Select(t => t.TensorIndex));
        Assert.Equal(4, statistics.Samples);
        foreach (var t in statistics.Tensors)
        {
            var values = recorder.Seen[t.TensorIndex].SelectMany(v => v).ToArray();
            Assert.Equal(model.Tensors[t.TensorIndex].Name, t.Name);
            Assert.Equal(values.Length, t.Count);
            Assert.Equal(model.Tensors[t.TensorIndex].ElementCount * 4, t.Count);
            Assert.Equal(values.Min(), t.Min);
            Assert.Equal(values.Max(), t.Max);
            var h = t.Histogram!;
            Assert.Equal(values.Length, h.Total);
            Assert.Equal(values.Count(v => v == 0), h.Zeros);
            var magnitudes = new long[h.FoldMagnitudes().Length];
            foreach (var v in values)
                if (v != 0) magnitudes[Math.Min((int)(Math.Abs((double)v) / h.BinWidth), magnitudes.Length - 1)]++;
            Assert.Equal(magnitudes, h.FoldMagnitudes());
        }
        Assert.Equal(samples.SelectMany(s => s).Min(), statistics[model.InputInfo(0).Name].Min);
    }

    [Fact]
    public void Fused_relu6_outputs_stay_within_zero_and_six()
    {
        var model = Compile();
        var statistics = Calibrator.Collect(model, InMemoryCalibrationSamples.SingleInput(Samples(3)));
        var clipped = model.Ops.Where(o => o.Code == OpCode.Conv2D && o.Params.Activation == ActivationKind.Clip).ToList();
        Assert.Equal(2, clipped.Count);
        foreach (var op in clipped)
        {
            var t = statistics[model.Tensors[op.Outputs[0]].Name];
            Assert.InRange(t.Min, 0f, 6f);
            Assert.InRange(t.Max, 0f, 6f);
            foreach (var method in new[] { CalibrationMethod.MinMax, CalibrationMethod.PercentileOf(), CalibrationMethod.Entropy, CalibrationMethod.Mse })
                Assert.Equal(0f, RangeSelector.Select(t, method).Min);
        }
    }

    [Fact]
    public void Two_runs_give_identical_statistics_and_tables()
    {
        var model = Compile();
        var samples = InMemoryCalibrationSamples.SingleInput(Samples(5));
        var first = Calibrator.Collect(model, samples);
        var second = Calibrator.Collect(Compile(), samples);
        for (int i = 0; i < first.Tensors.Count; i++)
        {
            var a = first.Tensors[i];
            var b = second.Tensors[i];
            Assert.Equal(a.Name, b.Name);
            Assert.Equal(a.Min, b.Min);
            Assert.Equal(a.Max, b.Max);
            Assert.Equal(a.Histogram!.Positive, b.Histogram!.Positive);
            Assert.Equal(a.Histogram.Negative, b.Histogram.Negative);
            Assert.Equal(a.Histogram.Zeros, b.Histogram.Zeros);
        }
        foreach (var method in new[] { CalibrationMethod.MinMax, CalibrationMethod.PercentileOf(), CalibrationMethod.Entropy, CalibrationMethod.Mse })
        {
            string hash = new('a', 64);
            Assert.Equal(
                RangeTableWriter.ToText(RangeTable.Create(first, method, "block.onnx", hash, "x=1,8,10,10")),
                RangeTableWriter.ToText(RangeTable.Create(second, method, "block.onnx", hash, "x=1,8,10,10")));
        }
    }

    [Fact]
    public void Sample_order_does_not_change_the_histograms()
    {
        var model = Compile();
        var samples = Samples(4);
        var forward = Calibrator.Collect(model, InMemoryCalibrationSamples.SingleInput(samples));
        var backward = Calibrator.Collect(model, InMemoryCalibrationSamples.SingleInput(Enumerable.Reverse(samples)));
        for (int i = 0; i < forward.Tensors.Count; i++)
        {
            Assert.Equal(forward.Tensors[i].Histogram!.Positive, backward.Tensors[i].Histogram!.Positive);
            Assert.Equal(forward.Tensors[i].Histogram!.Negative, backward.Tensors[i].Histogram!.Negative);
        }
    }

    [Fact]
    public void Progress_is_reported_per_sample_and_pass()
    {
        var model = Compile();
        var reports = new List<CalibrationProgress>();
        Calibrator.Collect(model, InMemoryCalibrationSamples.SingleInput(Samples(3)), new CalibrationOptions { Progress = reports.Add });
        Assert.Equal(
            [new(CalibrationPass.Range, 1, 3), new(CalibrationPass.Range, 2, 3), new(CalibrationPass.Range, 3, 3),
             new(CalibrationPass.Histogram, 1, 3), new(CalibrationPass.Histogram, 2, 3), new(CalibrationPass.Histogram, 3, 3)],
            reports);
    }

    [Fact]
    public void Minmax_alone_skips_the_histogram_pass()
    {
        var model = Compile();
        var reports = new List<CalibrationProgress>();
        var statistics = Calibrator.Collect(model, InMemoryCalibrationSamples.SingleInput(Samples(2)),
            new CalibrationOptions { CollectHistograms = false, Progress = reports.Add });
        Assert.All(reports, r => Assert.Equal(CalibrationPass.Range, r.Pass));
        Assert.False(statistics.HasHistograms);
        Assert.NotEmpty(statistics.Select(CalibrationMethod.MinMax));
        var ex = Assert.Throws<InvalidOperationException>(() => statistics.Select(CalibrationMethod.Entropy));
        Assert.Contains("needs histograms", ex.Message);
    }

    [Fact]
    public void Bad_samples_raise_calibration_errors_naming_the_sample()
    {
        var model = Compile();
        var good = Samples(1)[0];
        Assert.Contains("no calibration samples",
            Assert.Throws<CalibrationException>(() => Calibrator.Collect(model, InMemoryCalibrationSamples.SingleInput([]))).Message);
        var tooShort = Assert.Throws<CalibrationException>(() => Calibrator.Collect(model, InMemoryCalibrationSamples.SingleInput([good, good[..10]])));
        Assert.Contains("sample 1", tooShort.Message);
        Assert.Contains("'x' needs 800 values", tooShort.Message);
        var twoInputs = new InMemoryCalibrationSamples([new[] { good, good }]);
        Assert.Contains("holds 2 input(s); the model has 1", Assert.Throws<CalibrationException>(() => Calibrator.Collect(model, twoInputs)).Message);
        var nan = (float[])good.Clone();
        nan[7] = float.NaN;
        var ex = Assert.Throws<CalibrationException>(() => Calibrator.Collect(model, InMemoryCalibrationSamples.SingleInput([good, nan])));
        Assert.Contains("sample 1: tensor 'x' holds NaN", ex.Message);
    }

    /// <summary>A source whose second reading differs from the first (a non-deterministic loader).</summary>
    private sealed class DriftingSamples(float[] sample) : ICalibrationSamples
    {
        private int _loads;
        public int Count => 1;
        public string NameOf(int index) => "drifting.npy";
        public IReadOnlyList<float[]> Load(int index) => [_loads++ == 0 ? sample : sample.Select(v => v * 3).ToArray()];
    }

    [Fact]
    public void Samples_that_change_between_passes_are_detected()
    {
        var ex = Assert.Throws<CalibrationException>(() => Calibrator.Collect(Compile(), new DriftingSamples(Samples(1)[0])));
        Assert.Contains("drifting.npy: tensor 'x' changed between the two calibration passes", ex.Message);
    }
}
