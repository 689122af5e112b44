using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Quantization.Qdq;

/// <summary>
/// Writes a quantized graph (the result of <see cref="Quantizer.Quantize"/>) as an ONNX model in the QDQ format
/// ONNX Runtime recognizes: float ONNX ops between DequantizeLinear and QuantizeLinear, int8 weights and int32
/// biases as initializers behind per-channel DequantizeLinear. Every integer of the EdgeCnn model (weights, biases,
/// activation scales and zero points) appears unchanged, so ONNX Runtime's QDQ fusion runs the same integer model.
/// Spatial tensors go back to ONNX's NCHW; graph inputs and outputs keep the source model's names and layout.
/// docs/quantization.md, "QDQ export", describes the mapping.
/// </summary>
public static class QdqExporter
{
    /// <summary>The opset written: 14 brings HardSwish, 13 per-channel DequantizeLinear.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX model bytes for <paramref name="quantized"/>.</summary>
    /// <exception cref="UnsupportedOperatorException">The graph holds an op the exporter has no ONNX form for.</exception>
    public static byte[] Export(Graph quantized)
    {
        ArgumentNullException.ThrowIfNull(quantized);
        return new QdqWriter(quantized, Opset).Write().ToBytes();
    }
}
