using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Calibration;

/// <summary>
/// Runs the float32 engine over calibration samples and records what every float32 graph input and activation
/// holds. Two passes over the same samples: the first measures each tensor's [min, max]; the second fills
/// histograms laid out over exactly those ranges (<see cref="ActivationHistogram"/>). Two passes cost a second
/// run of the samples but keep the histograms exact — no re-binning as a range grows — and independent of the
/// sample order. Everything runs on the calling thread in op order and accumulates into arrays indexed by
/// tensor, so the same samples always give the same statistics, bit for bit.
/// </summary>
public static class Calibrator
{
    /// <summary>The model calibration observes: the float graph exactly as the quantizer starts from it
    /// (<see cref="Quantization.QuantizationPreparation.CompileFloat"/>), so its tensor names are the IR value
    /// names the quantizer asks ranges for.</summary>
    public static CompiledModel CompileFloat(Graph graph) => Quantization.QuantizationPreparation.CompileFloat(graph);

    public static CompiledModel CompileFloat(string onnxPath, ImportOptions? options = null) =>
        CompileFloat(ModelCompiler.Import(onnxPath, options));

    public static CalibrationStatistics Collect(CompiledModel model, ICalibrationSamples samples, CalibrationOptions? options = null)
    {
        options ??= new CalibrationOptions();
        if (options.HistogramBins < 1) throw new ArgumentOutOfRangeException(nameof(options), options.HistogramBins, "HistogramBins must be at least 1");
        if (samples.Count == 0) throw new CalibrationException("no calibration samples");

        var byTensor = new TensorStatistics?[model.Tensors.Length];
        var tracked = new List<TensorStatistics>();
        for (int t = 0; t < model.Tensors.Length; t++)
        {
            var info = model.Tensors[t];
            if (info.Type != DataType.Float32 || info.Kind == TensorKind.Constant) continue;
            byTensor[t] = new TensorStatistics(info.Name, t, info.Shape);
            tracked.Add(byTensor[t]!);
        }

        var session = new Session(model);
        var outputs = model.Outputs.Select(o => (Memory<float>)new float[model.Tensors[o].ElementCount]).ToArray();
        var ranges = new RangeObserver(byTensor);
        session.Observer = ranges;
        RunPass(session, samples, CalibrationPass.Range, outputs, name => ranges.Sample = name, options.Progress);

        if (options.CollectHistograms)
        {
            foreach (var s in tracked) s.Histogram = new ActivationHistogram(s.Min, s.Max, options.HistogramBins);
            var histograms = new HistogramObserver(byTensor);
            session.Observer = histograms;
            RunPass(session, samples, CalibrationPass.Histogram, outputs, name => histograms.Sample = name, options.Progress);
        }
        session.Observer = null;
        return new CalibrationStatistics(tracked, samples.Count);
    }

    private static void RunPass(Session session, ICalibrationSamples samples, CalibrationPass pass, Memory<float>[] outputs,
        Action<string> naming, Action<CalibrationProgress>? progress)
    {
        for (int i = 0; i < samples.Count; i++)
        {
            string name = samples.NameOf(i);
            var inputs = Check(session.Model, samples.Load(i), name);
            naming(name);
            session.Run(inputs, outputs);
            progress?.Invoke(new CalibrationProgress(pass, i + 1, samples.Count));
        }
    }

    private static ReadOnlyMemory<float>[] Check(CompiledModel model, IReadOnlyList<float[]> sample, string name)
    {
        if (sample.Count != model.Inputs.Length)
            throw new CalibrationException($"{name}: holds {sample.Count} input(s); the model has {model.Inputs.Length}");
        var inputs = new ReadOnlyMemory<float>[sample.Count];
        for (int i = 0; i < sample.Count; i++)
        {
            var info = model.InputInfo(i);
            if (sample[i].Length != info.ElementCount)
                throw new CalibrationException($"{name}: input '{info.Name}' needs {info.ElementCount} values ([{string.Join(',', info.Shape)}]), the sample has {sample[i].Length}");
            inputs[i] = sample[i];
        }
        return inputs;
    }
}
