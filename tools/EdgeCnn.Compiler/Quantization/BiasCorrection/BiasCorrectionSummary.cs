namespace EdgeCnn.Compiler.Quantization.BiasCorrection;

/// <summary>The bias of one int8 Conv2D or FullyConnected after correction.</summary>
/// <param name="Node">The node's name (as the quantization report lists it).</param>
/// <param name="Round">Its depth: how many corrected layers lie on the longest path from the inputs to it, itself included.
/// Layers of one round are measured together, after every earlier round was applied.</param>
/// <param name="Shift">Per output channel, the expected output error E[(W_q − W)·x] that was subtracted from the bias.</param>
/// <param name="BiasCreated">The layer had no bias; a zero one was added to take the correction.</param>
public sealed record CorrectedLayer(string Node, int Round, IReadOnlyList<double> Shift, bool BiasCreated)
{
    public double MaxAbsShift => Shift.Count == 0 ? 0 : Shift.Max(Math.Abs);
}

/// <summary>What <see cref="BiasCorrector.Correct"/> did.</summary>
/// <param name="Samples">Calibration samples each round ran.</param>
/// <param name="Rounds">Int8 model runs over the samples (one per depth level).</param>
public sealed record BiasCorrectionSummary(IReadOnlyList<CorrectedLayer> Layers, int Samples, int Rounds);
