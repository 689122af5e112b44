using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>An op's output activation (or the Unary op's function) with its Alpha/Beta resolved to ONNX
/// defaults, validated once when the op is prepared.</summary>
internal readonly record struct FusedActivation(ActivationKind Kind, float Alpha, float Beta)
{
    public bool IsNone => Kind == ActivationKind.None;

    public static FusedActivation Read(OpDesc desc)
    {
        var read = new ParamReader(desc);
        var kind = (ActivationKind)read.Int(ParamKey.Activation, 0);
        if (!F32Activation.IsKnown(kind)) throw read.Error($"unknown Activation {(int)kind}");
        return new FusedActivation(kind,
            read.Float(ParamKey.Alpha, F32Activation.DefaultAlpha(kind)),
            read.Float(ParamKey.Beta, F32Activation.DefaultBeta(kind)));
    }

    public void ApplyInPlace(Span<float> data)
    {
        if (!IsNone) F32Activation.Apply(Kind, Alpha, Beta, data);
    }
}
