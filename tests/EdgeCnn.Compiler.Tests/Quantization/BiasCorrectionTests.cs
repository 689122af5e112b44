using System.Runtime.InteropServices;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>
/// Bias correction against a computation written here: the mean over output positions and samples of
/// Σ (q·s_w − w)·x̂ taken tap by tap over the int8 model's dequantized input x̂ (padding reads 0), with q and s_w from
/// the scheme's formula (s_w = max|w| / 127, q = round(w / s_w)).
/// </summary>
public sealed class BiasCorrectionTests
{
    private const int Size = 6;
    private const int Channels = 4;

    /// <summary>One 3×3 convolution, per-tensor weights. Output channel 0 has a single weight 1 (it sets the scale
    /// 1/127 and is exact); every weight of channel 1 is 0.6 of that step and rounds to a whole step, so rounding adds
    /// 0.4 step per weight — the same sign everywhere, a mean shift of about 11 output steps on inputs in [0, 8].</summary>
    private static (Graph Graph, Node Conv) TinyRangeChannelNet()
    {
        var builder = new EdgeGraph(seed: 3);
        var x = builder.Input("x", 1, Size, Size, Channels);
        var conv = builder.Conv(x, 2, 3);
        var w = new float[2 * 9 * Channels];
        w[4 * Channels] = 1f;
        for (int i = 0; i < 9 * Channels; i++) w[9 * Channels + i] = 0.6f / 127f;
        conv.Inputs[1] = EdgeGraph.Constant("w_tiny", [2, 3, 3, Channels], w);
        conv.Inputs[2] = EdgeGraph.Constant("b_tiny", [2], [0f, 0.1f]);
        builder.Output(conv.Outputs[0]);
        return (builder.Graph, conv);
    }

    private static List<float[]> PositiveSamples(int seed, int count, int length, double max)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * max)).ToArray()).ToList();
    }

    [Fact]
    public void ATinyRangeChannelLosesItsMeanShiftAndTheCorrectionIsTheHandComputedOne()
    {
        var calibration = PositiveSamples(5, 32, Size * Size * Channels, 8);
        var evaluation = PositiveSamples(6, 32, Size * Size * Channels, 8);
        var (floatGraph, _) = TinyRangeChannelNet();
        var floatModel = GraphLowering.Lower(floatGraph);
        var ranges = MinMaxRanges.Measure(floatModel, calibration);
        var options = new QuantizerOptions { PerTensorWeights = true };

        var (plainGraph, _) = TinyRangeChannelNet();
        var plain = Quantizer.Quantize(plainGraph, ranges, options);
        var (correctedGraph, conv) = TinyRangeChannelNet();
        var floatWeights = conv.Input(1).Constant!.AsFloats();
        var corrected = Quantizer.Quantize(correctedGraph, ranges, options with { BiasCorrectionSamples = InMemoryCalibrationSamples.SingleInput(calibration) });

        var summary = Assert.IsType<Compiler.Quantization.BiasCorrection.BiasCorrectionSummary>(corrected.BiasCorrection);
        var layer = Assert.Single(summary.Layers);
        Assert.Equal(1, summary.Rounds);
        Assert.False(layer.BiasCreated);

        var inputQuant = corrected.Graph.Nodes.Single(n => n.Name == conv.Name).Input(0).Quant!;
        var hand = ExpectedShift(floatWeights, [2, 3, 3, Channels], group: 1, stride: 1, pad: 1, perChannel: false,
            calibration.Select(x => Fake(x, inputQuant)).ToList(), [1, Size, Size, Channels], [1, Size, Size, 2]);
        Assert.True(Math.Abs(hand[0]) < 1e-6, $"channel 0 is exact up to float rounding of its scale, the hand computation gives {hand[0]}");
        Assert.True(hand[1] > 0.3, $"the net should shift channel 1 by about 0.36, the hand computation gives {hand[1]}");
        for (int c = 0; c < 2; c++) Assert.Equal(hand[c], layer.Shift[c], 9);

        var before = MeanErrors(floatModel, GraphLowering.Lower(plain.Graph), evaluation, 2);
        var after = MeanErrors(floatModel, GraphLowering.Lower(corrected.Graph), evaluation, 2);
        // Without correction the error of channel 1 is the weight rounding's shift (other samples, same distribution).
        Assert.True(Math.Abs(before[1] - hand[1]) < 0.1 * hand[1], $"mean error of channel 1 {before[1]:F4}, expected shift {hand[1]:F4}");
        Assert.True(Math.Abs(after[1]) < 0.05 * Math.Abs(before[1]), $"mean error of channel 1: {before[1]:F4} without correction, {after[1]:F4} with it");
        Assert.True(Math.Abs(after[0]) <= Math.Abs(before[0]) + 0.01, $"mean error of channel 0: {before[0]:F4} → {after[0]:F4}");
    }

    /// <summary>conv 3×3 + Relu → depthwise 3×3 stride 2 without bias → FullyConnected: three rounds, and each layer's
    /// shift is the hand computation on its input in the finished int8 model, where everything upstream is corrected.</summary>
    [Fact]
    public void LayersAreCorrectedInOrderEachOnItsCorrectedInput()
    {
        var samples = MinMaxRanges.RandomSamples(21, 12, 8 * 8 * 3, 2f);
        var (graph, nodes) = Chain();
        var floatWeights = nodes.Select(n => n.Input(1).Constant!.AsFloats()).ToArray();
        var ranges = MinMaxRanges.Measure(GraphLowering.Lower(Chain().Graph), samples);
        var result = Quantizer.Quantize(graph, ranges, new QuantizerOptions { BiasCorrectionSamples = InMemoryCalibrationSamples.SingleInput(samples) });
        var summary = result.BiasCorrection!;
        Assert.Equal(3, summary.Rounds);
        Assert.Equal(nodes.Select(n => n.Name), summary.Layers.Select(l => l.Node));
        Assert.Equal(new[] { 1, 2, 3 }, summary.Layers.Select(l => l.Round));
        Assert.Equal(new[] { false, true, false }, summary.Layers.Select(l => l.BiasCreated));

        var int8Model = GraphLowering.Lower(result.Graph);
        var inputs = nodes.Select(n => result.Graph.Nodes.Single(q => q.Name == n.Name).Input(0)).ToArray();
        var captured = Capture(int8Model, inputs.Select(v => v.Name).ToArray(), samples);
        var fake = inputs.Select((v, i) => captured[i].Select(q => Dequantize(q, v.Quant!)).ToList()).ToArray();

        var conv = ExpectedShift(floatWeights[0], [6, 3, 3, 3], 1, 1, 1, true, fake[0], [1, 8, 8, 3], [1, 8, 8, 6]);
        var depthwise = ExpectedShift(floatWeights[1], [6, 3, 3, 1], 6, 2, 1, true, fake[1], [1, 8, 8, 6], [1, 4, 4, 6]);
        var fc = ExpectedShift(floatWeights[2], [5, 1, 1, 96], 1, 1, 0, true, fake[2], [1, 1, 1, 96], [1, 1, 1, 5]);
        foreach (var (expected, layer) in new[] { conv, depthwise, fc }.Zip(summary.Layers))
            for (int c = 0; c < expected.Length; c++)
                Assert.True(Math.Abs(expected[c] - layer.Shift[c]) <= 1e-9 + 1e-7 * Math.Abs(expected[c]),
                    $"{layer.Node} channel {c}: shift {layer.Shift[c]}, hand computation {expected[c]}");
        Assert.Contains(summary.Layers, l => l.MaxAbsShift > 1e-4);

        // The depthwise layer had no bias: it now has one, −shift in int32 at scale s_x·s_w[c].
        var bias = result.Graph.Nodes.Single(n => n.Name == nodes[1].Name).Input(2);
        Assert.Equal(ElementType.Int32, bias.Type);
        var values = bias.Constant!.AsLongs();
        for (int c = 0; c < values.Length; c++)
            Assert.Equal(Math.Round((float)-depthwise[c] / (double)bias.Quant!.Scales[c], MidpointRounding.ToEven), values[c]);

        // Deterministic: the same graph, ranges and samples give the same shifts.
        var again = Quantizer.Quantize(Chain().Graph, ranges, new QuantizerOptions { BiasCorrectionSamples = InMemoryCalibrationSamples.SingleInput(samples) });
        Assert.Equal(summary.Layers.SelectMany(l => l.Shift), again.BiasCorrection!.Layers.SelectMany(l => l.Shift));
    }

    [Fact]
    public void NoSamplesIsAnError()
    {
        var samples = MinMaxRanges.RandomSamples(21, 2, 8 * 8 * 3, 2f);
        var (graph, _) = Chain();
        var ranges = MinMaxRanges.Measure(GraphLowering.Lower(Chain().Graph), samples);
        var ex = Assert.Throws<ArgumentException>(() => Quantizer.Quantize(graph, ranges,
            new QuantizerOptions { BiasCorrectionSamples = InMemoryCalibrationSamples.SingleInput([]) }));
        Assert.Contains("at least one calibration sample", ex.Message);
    }

    /// <summary>End to end on a small depthwise-separable net (Relu), as built and with its output channels' ranges spread
    /// over three decades: the int8 output's SQNR against float, on inputs other than the calibration ones, with and
    /// without bias correction. Measured (docs/quantization.md): balanced 43.7 → 44.7 dB (per-tensor weights) and
    /// 44.2 → 45.3 dB (per channel); spread, per channel 18.1 → 18.5 dB. Spread with per-tensor weights is the one case
    /// where it loses (19.0 → 18.8 dB), so it is not asserted here.</summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void CorrectionDoesNotLowerTheOutputSqnr(bool perTensor, bool spread)
    {
        var calibration = MinMaxRanges.RandomSamples(11, 32, 16 * 16 * 3, 2f);
        var evaluation = MinMaxRanges.RandomSamples(12, 16, 16 * 16 * 3, 2f);
        double Sqnr(bool correct)
        {
            var (graph, _) = CrossLayerEqualizationTests.BuildMobileNetLike(ActivationKind.Relu, spread);
            var options = new QuantizerOptions
            {
                PerTensorWeights = perTensor,
                BiasCorrectionSamples = correct ? InMemoryCalibrationSamples.SingleInput(calibration) : null,
            };
            var pipeline = QuantizedPipeline.Build(graph, calibration, options);
            var floatSession = new Session(pipeline.Float);
            var int8Session = new Session(pipeline.Int8);
            double signal = 0, noise = 0;
            foreach (var input in evaluation)
            {
                var f = QuantizedPipeline.RunFirstOutput(floatSession, input);
                var q = QuantizedPipeline.RunFirstOutput(int8Session, input);
                for (int i = 0; i < f.Length; i++)
                {
                    signal += (double)f[i] * f[i];
                    noise += ((double)f[i] - q[i]) * ((double)f[i] - q[i]);
                }
            }
            return 10 * Math.Log10(signal / noise);
        }
        double without = Sqnr(false), with = Sqnr(true);
        Console.WriteLine($"bias correction, spread depthwise-separable net, per-tensor weights {perTensor} spread {spread}: output SQNR {without:F2} dB → {with:F2} dB");
        Assert.True(with >= without, $"output SQNR {without:F2} dB without bias correction, {with:F2} dB with it (per-tensor weights: {perTensor}, spread: {spread})");
    }

    private static (Graph Graph, Node[] Layers) Chain()
    {
        var builder = new EdgeGraph(seed: 9);
        var x = builder.Input("x", 1, 8, 8, 3);
        var conv = builder.Conv(x, 6, 3, ActivationKind.Relu);
        var depthwise = builder.Conv(conv.Outputs[0], 6, 3, group: 6, stride: 2, bias: false);
        var fc = builder.FullyConnected(builder.Reshape(depthwise.Outputs[0], 1, 96), 5);
        builder.Output(fc.Outputs[0]);
        return (builder.Graph, [conv, depthwise, fc]);
    }

    /// <summary>mean over samples and output positions of Σ_taps (q·s_w − w)·x̂, tap by tap, x̂ NHWC and 0 in the padding.</summary>
    private static double[] ExpectedShift(float[] w, int[] wShape, int group, int stride, int pad, bool perChannel,
        List<double[]> inputs, int[] xShape, int[] yShape)
    {
        int cout = wShape[0], kh = wShape[1], kw = wShape[2], cpg = wShape[3], row = kh * kw * cpg;
        int h = xShape[1], wd = xShape[2], cin = xShape[3], oh = yShape[1], ow = yShape[2];
        var delta = new double[w.Length];
        for (int c = 0; c < cout; c++)
        {
            double maxAbs = 0;
            for (int i = 0; i < (perChannel ? row : w.Length); i++) maxAbs = Math.Max(maxAbs, Math.Abs(w[(perChannel ? c * row : 0) + i]));
            double scale = (float)(maxAbs / 127);
            for (int i = 0; i < row; i++)
                delta[c * row + i] = scale * Math.Round(w[c * row + i] / scale, MidpointRounding.ToEven) - w[c * row + i];
        }
        var shift = new double[cout];
        foreach (var x in inputs)
            for (int y = 0; y < oh; y++)
                for (int xo = 0; xo < ow; xo++)
                    for (int c = 0; c < cout; c++)
                    {
                        int first = c / (cout / group) * cpg;
                        for (int i = 0; i < kh; i++)
                            for (int j = 0; j < kw; j++)
                            {
                                int iy = y * stride - pad + i, ix = xo * stride - pad + j;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                for (int k = 0; k < cpg; k++)
                                    shift[c] += delta[((c * kh + i) * kw + j) * cpg + k] * x[(iy * wd + ix) * cin + first + k];
                            }
                    }
        for (int c = 0; c < cout; c++) shift[c] /= inputs.Count * oh * ow;
        return shift;
    }

    /// <summary>The input as the int8 model sees it: quantized with its params (round half to even), dequantized.</summary>
    private static double[] Fake(float[] x, QuantParams q) =>
        x.Select(v => (double)q.Scale * (Math.Clamp(Math.Round(v / (double)q.Scale, MidpointRounding.ToEven) + q.ZeroPoint, -128, 127) - q.ZeroPoint)).ToArray();

    private static double[] Dequantize(sbyte[] q, QuantParams quant) => q.Select(v => (double)quant.Scale * (v - quant.ZeroPoint)).ToArray();

    /// <summary>Mean of (int8 − float) output per channel (last axis), over all samples and positions.</summary>
    private static double[] MeanErrors(CompiledModel floatModel, CompiledModel int8Model, List<float[]> samples, int channels)
    {
        var floatSession = new Session(floatModel);
        var int8Session = new Session(int8Model);
        var sums = new double[channels];
        long count = 0;
        foreach (var x in samples)
        {
            var f = QuantizedPipeline.RunFirstOutput(floatSession, x);
            var q = QuantizedPipeline.RunFirstOutput(int8Session, x);
            for (int i = 0; i < f.Length; i++) sums[i % channels] += (double)q[i] - f[i];
            count += f.Length / channels;
        }
        return sums.Select(s => s / count).ToArray();
    }

    /// <summary>Copies of the named int8 tensors, one list per name, one array per sample.</summary>
    private static List<sbyte[]>[] Capture(CompiledModel model, string[] names, List<float[]> samples)
    {
        var lists = names.Select(_ => new List<sbyte[]>()).ToArray();
        var observer = new CopyObserver(model, names, lists);
        var session = new Session(model) { Observer = observer };
        foreach (var x in samples) QuantizedPipeline.RunFirstOutput(session, x);
        return lists;
    }

    private sealed class CopyObserver(CompiledModel model, string[] names, List<sbyte[]>[] lists) : ITensorObserver
    {
        private readonly Dictionary<int, int> _slots = names.Select((n, i) => (Index: Array.FindIndex(model.Tensors, t => t.Name == n), Slot: i))
            .ToDictionary(p => p.Index >= 0 ? p.Index : throw new ArgumentException($"no tensor '{names[p.Slot]}'"), p => p.Slot);

        public void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data)
        {
            if (_slots.TryGetValue(tensorIndex, out int slot)) lists[slot].Add(MemoryMarshal.Cast<byte, sbyte>(data).ToArray());
        }
    }
}
