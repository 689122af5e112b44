namespace EdgeCnn.Models.Zoo;

/// <summary>A built zoo model: the ONNX bytes and its one input and one output (NCHW, batch 1).</summary>
public sealed record ZooModel(
    string Name,
    ZooConfig Config,
    byte[] Onnx,
    string InputName,
    int[] InputShape,
    string OutputName,
    int[] OutputShape);
