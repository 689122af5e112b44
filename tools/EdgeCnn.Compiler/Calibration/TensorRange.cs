namespace EdgeCnn.Compiler.Calibration;

/// <summary>The real-valued range chosen for one tensor by calibration (clipping included): the quantizer
/// derives the tensor's scale and zero point from it. Keyed by the IR value name (which is also the
/// compiled model's tensor name).</summary>
public readonly record struct TensorRange(float Min, float Max);
