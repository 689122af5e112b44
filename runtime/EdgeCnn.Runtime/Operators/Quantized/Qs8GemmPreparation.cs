using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary>
/// Packs an int8 Conv2D's or FullyConnected's constant weights and bias for the session's vector path and reserves
/// the kernel's scratch. Every vector path (Vector128, Avx2, AdvSimd, AdvSimdDp) has a GEMM kernel, so the path is
/// used as it is; on the reference path nothing is packed and the op runs its reference kernel.
/// </summary>
internal static class Qs8GemmPreparation
{
    /// <summary>Null on the reference path and for depthwise convolutions (one input channel per group), which have
    /// kernels of their own.</summary>
    public static Qs8GemmWeights? ForConvolution(PrepareContext context, in Spatial2DGeometry g, OpDesc op, CompiledModel model,
        int xZeroPoint, Qs8Requantization output)
    {
        if (context.Path == KernelPath.Reference || (g.InGroupChannels == 1 && g.Group > 1)) return null;
        int depth = g.KernelHeight * g.KernelWidth * g.InGroupChannels;
        var packed = Pack(context.Path, op, model, g.Group, g.OutGroupChannels, depth, xZeroPoint, output);
        context.RequestScratch(Qs8Conv2DGemm.ScratchBytes(g, packed));
        return packed;
    }

    /// <summary>Null on the reference path.</summary>
    public static Qs8GemmWeights? ForFullyConnected(PrepareContext context, OpDesc op, CompiledModel model, int depth,
        int outChannels, int xZeroPoint, Qs8Requantization output)
    {
        if (context.Path == KernelPath.Reference) return null;
        var packed = Pack(context.Path, op, model, 1, outChannels, depth, xZeroPoint, output);
        context.RequestScratch(Qs8Gemm.ScratchBytes(packed));
        return packed;
    }

    private static Qs8GemmWeights Pack(KernelPath path, OpDesc op, CompiledModel model, int groups, int groupOutChannels,
        int depth, int xZeroPoint, Qs8Requantization output)
    {
        // Qs8Params.WeightedOutput has checked that both are constants of the right type and size.
        var weights = MemoryMarshal.Cast<byte, sbyte>(model.ConstantBytes(op.Inputs[1]).Span);
        bool hasBias = op.Inputs.Length > 2 && op.Inputs[2] >= 0;
        var bias = hasBias ? MemoryMarshal.Cast<byte, int>(model.ConstantBytes(op.Inputs[2]).Span) : default;
        return Qs8GemmWeights.Pack(path, weights, bias, groups, groupOutChannels, depth, xZeroPoint, output);
    }
}
