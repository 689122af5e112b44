namespace EdgeCnn.Hardware.Backends;

/// <summary>
/// What a backend expects as its (single, image) input: name, shape (NCHW [1,C,H,W] or NHWC [1,H,W,C]) and whether
/// it takes int8 codes (with their per-tensor scale and zero point) or floats.
/// </summary>
public sealed record BackendInput(string Name, int[] Shape, bool IsInt8, float Scale = 1f, int ZeroPoint = 0);
