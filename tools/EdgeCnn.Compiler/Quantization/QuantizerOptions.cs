namespace EdgeCnn.Compiler.Quantization;

/// <summary>Choices of <see cref="Quantizer"/> beyond the calibrated ranges.</summary>
public sealed record QuantizerOptions
{
    /// <summary>One weight scale per tensor instead of per output channel (for comparison; less accurate).</summary>
    public bool PerTensorWeights { get; init; }

    /// <summary>Names of nodes (as the quantization report and <c>edgecnn inspect</c> list them) that stay float32.</summary>
    public IReadOnlyCollection<string> KeepFloat { get; init; } = [];

    /// <summary>Graph inputs that only feed a Quantize (possibly through data movement) become Int8 inputs with its
    /// params, and the Quantize goes: the caller quantizes, e.g. while preprocessing an image.</summary>
    public bool Int8Input { get; init; }

    /// <summary>Empirical bias correction (<see cref="BiasCorrection.BiasCorrector"/>) measured on these samples before
    /// quantizing: each int8 Conv2D/FullyConnected's bias absorbs the mean output shift its weight rounding causes.
    /// Null (the default) leaves the biases as they are.</summary>
    public Calibration.ICalibrationSamples? BiasCorrectionSamples { get; init; }

    /// <summary>When set, only these nodes run int8 and every other node stays float32; each of them quantizes its
    /// float inputs from their calibrated ranges, so an op that normally only joins an int8 region (Add, a lookup
    /// table, Concat, Softmax) runs int8 on its own. The sensitivity analysis quantizes one node at a time this way.</summary>
    public IReadOnlyCollection<string>? Int8Only { get; init; }
}
