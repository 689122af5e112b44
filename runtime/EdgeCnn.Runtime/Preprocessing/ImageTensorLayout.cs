namespace EdgeCnn.Runtime.Preprocessing;

/// <summary>The axis order of an image tensor of batch 1.</summary>
public enum ImageTensorLayout
{
    /// <summary>[1, C, H, W]: one plane per channel (ONNX image models).</summary>
    Nchw,

    /// <summary>[1, H, W, C]: channels interleaved (TFLite-style models).</summary>
    Nhwc,
}
