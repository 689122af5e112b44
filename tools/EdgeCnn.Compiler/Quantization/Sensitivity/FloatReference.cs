using EdgeCnn.Compiler.Quantization.Report;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization.Sensitivity;

/// <summary>
/// The float model's outputs on every sample, computed once and held, so each quantized variant runs only itself.
/// <see cref="Measure"/> runs a variant over the same samples and compares its outputs with these.
/// </summary>
internal sealed class FloatReference
{
    private readonly IReadOnlyList<IReadOnlyList<float[]>> _samples;
    private readonly float[][][] _outputs;
    private readonly long[] _outputSizes;

    public FloatReference(CompiledModel floatModel, IReadOnlyList<IReadOnlyList<float[]>> samples, Action<int>? progress)
    {
        if (samples.Count == 0) throw new ArgumentException("the sensitivity analysis needs at least one sample", nameof(samples));
        _samples = samples;
        _outputSizes = floatModel.Outputs.Select(t => floatModel.Tensors[t].ElementCount).ToArray();
        var session = new Session(floatModel);
        _outputs = new float[samples.Count][][];
        for (int s = 0; s < samples.Count; s++)
        {
            _outputs[s] = _outputSizes.Select(n => new float[n]).ToArray();
            session.Run(Feeds(samples[s]), _outputs[s].Select(o => (Memory<float>)o).ToList());
            progress?.Invoke(s + 1);
        }
    }

    public int SampleCount => _samples.Count;

    /// <summary>Runs <paramref name="variant"/> on every sample and compares its outputs with the float ones.</summary>
    /// <exception cref="ArgumentException">The variant's outputs differ in number or size from the float model's.</exception>
    public VariantQuality Measure(CompiledModel variant)
    {
        if (variant.Outputs.Length != _outputSizes.Length)
            throw new ArgumentException($"the quantized model has {variant.Outputs.Length} outputs, the float model {_outputSizes.Length}");
        var actual = new float[_outputSizes.Length][];
        for (int i = 0; i < actual.Length; i++)
        {
            var info = variant.Tensors[variant.Outputs[i]];
            if (info.ElementCount != _outputSizes[i])
                throw new ArgumentException($"output '{info.Name}' of the quantized model has {info.ElementCount} elements, the float model's {_outputSizes[i]}");
            actual[i] = new float[_outputSizes[i]];
        }
        var accumulators = variant.Outputs.Select(t => new OutputAccumulator(variant.Tensors[t])).ToArray();
        var buffers = actual.Select(o => (Memory<float>)o).ToList();
        var session = new Session(variant);
        double signal = 0, noise = 0;
        for (int s = 0; s < _samples.Count; s++)
        {
            session.Run(Feeds(_samples[s]), buffers);
            for (int i = 0; i < actual.Length; i++)
            {
                var reference = _outputs[s][i];
                accumulators[i].Add(reference, actual[i]);
                for (int k = 0; k < reference.Length; k++)
                {
                    double e = (double)reference[k] - actual[i][k];
                    signal += (double)reference[k] * reference[k];
                    noise += e * e;
                }
            }
        }
        return new VariantQuality(LayerErrorAccumulator.Sqnr(signal, noise), accumulators.Select(a => a.Result()).ToList());
    }

    private static List<ReadOnlyMemory<float>> Feeds(IReadOnlyList<float[]> sample) => sample.Select(a => (ReadOnlyMemory<float>)a).ToList();
}
