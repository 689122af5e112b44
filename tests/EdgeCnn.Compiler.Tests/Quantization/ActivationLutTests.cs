using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>Lookup tables against the definition lut[q + 128] = quantize_out(f(dequantize_in(q))), with each f
/// written here from the ONNX operator definitions and the quantization done by hand.</summary>
public sealed class ActivationLutTests
{
    private static readonly QuantParams Input = QuantParams.PerTensor(0.05f, 3);     // about [−6.55, 6.2]
    private static readonly QuantParams Unit = QuantParams.PerTensor(1f / 255, -128);  // [0, 1]
    private static readonly QuantParams Wide = QuantParams.PerTensor(0.04f, -10);     // about [−4.72, 5.48]

    public static TheoryData<ActivationKind, float?, float?, string> Functions => new()
    {
        { ActivationKind.Sigmoid, null, null, "unit" },
        { ActivationKind.Tanh, null, null, "wide" },
        { ActivationKind.HardSigmoid, 0.2f, 0.5f, "unit" },
        { ActivationKind.HardSigmoid, null, null, "unit" },
        { ActivationKind.HardSwish, null, null, "wide" },
        { ActivationKind.LeakyRelu, 0.1f, null, "wide" },
        { ActivationKind.LeakyRelu, null, null, "wide" },
        { ActivationKind.Elu, 0.7f, null, "wide" },
        { ActivationKind.Softplus, null, null, "wide" },
        { ActivationKind.Clip, -1f, 2f, "wide" },
        { ActivationKind.Abs, null, null, "wide" },
        { ActivationKind.Neg, null, null, "wide" },
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void TableMatchesTheDefinition(ActivationKind kind, float? alpha, float? beta, string output)
    {
        var outQuant = output == "unit" ? Unit : Wide;
        var lut = ActivationLut.Build(kind, alpha, beta, Input, outQuant);
        Assert.Equal(256, lut.Length);
        for (int q = -128; q <= 127; q++)
        {
            double x = (double)Input.Scale * (q - Input.ZeroPoint);
            double y = Reference(kind, alpha, beta, x);
            double code = Math.Round(y / outQuant.Scale, MidpointRounding.ToEven) + outQuant.ZeroPoint;
            long expected = (long)Math.Clamp(code, -128, 127);
            Assert.True(expected == lut[q + 128], $"{kind} q={q} x={x}: expected {expected}, table {lut[q + 128]}");
        }
    }

    /// <summary>Relu with the same quantization in and out is max(q, zero point): the table must be exactly that.</summary>
    [Fact]
    public void ReluTableIsTheZeroPointFloor()
    {
        var lut = ActivationLut.Build(ActivationKind.Relu, null, null, Wide, Wide);
        for (int q = -128; q <= 127; q++) Assert.Equal(Math.Max(q, Wide.ZeroPoint), lut[q + 128]);
    }

    [Fact]
    public void SigmoidTableIsMonotoneAndCoversTheOutputRange()
    {
        var steep = QuantParams.PerTensor(0.1f, 0); // about [−12.8, 12.7]
        var lut = ActivationLut.Build(ActivationKind.Sigmoid, null, null, steep, Unit);
        for (int i = 1; i < 256; i++) Assert.True(lut[i] >= lut[i - 1]);
        Assert.Equal(-128, lut[0]);
        Assert.Equal(127, lut[255]);
    }

    [Fact]
    public void PerChannelParamsAreRejected() =>
        Assert.Throws<ArgumentException>(() => ActivationLut.Build(ActivationKind.Tanh, null, null, new QuantParams([1f, 2f], [0, 0], 0), Unit));

    private static double Reference(ActivationKind kind, float? alpha, float? beta, double x) => kind switch
    {
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-x)),
        ActivationKind.Tanh => (Math.Exp(x) - Math.Exp(-x)) / (Math.Exp(x) + Math.Exp(-x)),
        ActivationKind.HardSigmoid => Math.Clamp((alpha ?? 0.2f) * x + (beta ?? 0.5f), 0, 1),
        ActivationKind.HardSwish => x * Math.Clamp(x / 6 + 0.5, 0, 1),
        ActivationKind.LeakyRelu => x >= 0 ? x : (alpha ?? 0.01f) * x,
        ActivationKind.Elu => x >= 0 ? x : (alpha ?? 1f) * (Math.Exp(x) - 1),
        ActivationKind.Softplus => Math.Log(1 + Math.Exp(x)),
        ActivationKind.Clip => Math.Clamp(x, alpha!.Value, beta!.Value),
        ActivationKind.Abs => Math.Abs(x),
        ActivationKind.Neg => -x,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
