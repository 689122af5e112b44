namespace EdgeCnn.Trainer;

/// <summary>
/// The default model's shape, shared by the TorchSharp network and the ONNX exporter so the two cannot
/// drift apart: a 3×3 Conv-BN-ReLU6 stem, then depthwise-separable blocks (depthwise 3×3 + BN + ReLU6,
/// pointwise 1×1 + BN + ReLU6), global average pooling and one fully connected layer.
/// </summary>
public static class Architecture
{
    public const int InputChannels = 1;
    public const int StemChannels = 16;
    public const int StemStride = 1;
    public const int Classes = 10;
    public const double BatchNormEpsilon = 1e-5;
    public const float Relu6Max = 6f;

    /// <summary>Output channels and stride of each depthwise-separable block; the stride sits on the
    /// depthwise conv, as in MobileNetV1. 28×28 → 14×14 → 7×7: the full-resolution stage is kept thin
    /// (the 16-channel stem) because training time there is bound by memory traffic, not arithmetic.</summary>
    public static readonly (int Channels, int Stride)[] Blocks =
    [
        (64, 2),
        (128, 1),
        (128, 2),
        (256, 1),
        (256, 1),
    ];

    public static int FeatureChannels => Blocks[^1].Channels;
}
