using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary>
/// Checks and preparation shared by the int8 operators: per-tensor activation params, the fused activation
/// as quantized clamp bounds, and the weights/bias/requantization of Conv2D and FullyConnected. Every
/// failure is a <see cref="ModelFormatException"/> naming the op and the tensor.
/// </summary>
internal static class Qs8Params
{
    /// <summary>Relative difference allowed between a bias scale and s_x·s_w[c]: the quantizer stores the
    /// product rounded to float32 (error ≤ 6e-8); anything further off is a different scale.</summary>
    private const double BiasScaleTolerance = 1e-5;

    public static ModelFormatException Error(OpDesc op, string what) => new($"op '{op.Name}' ({op.Code}): {what}");

    /// <summary>The params of an Int8 activation tensor, which must be quantized per tensor.</summary>
    public static QuantParams PerTensor(OpDesc op, TensorInfo t)
    {
        if (t.Type != DataType.Int8) throw Error(op, $"tensor '{t.Name}' must be Int8, is {t.Type}");
        if (t.Quant is not { IsPerTensor: true } q)
            throw Error(op, $"Int8 tensor '{t.Name}' needs per-tensor quantization, has {t.Quant?.ToString() ?? "none"}");
        return q;
    }

    public static void ExpectSameQuant(OpDesc op, TensorInfo x, TensorInfo y)
    {
        var qx = PerTensor(op, x);
        var qy = PerTensor(op, y);
        if (qx.Scale != qy.Scale || qx.ZeroPoint != qy.ZeroPoint)
            throw Error(op, $"input '{x.Name}' ({qx}) and output '{y.Name}' ({qy}) must have the same quantization; this int8 op does not rescale");
    }

    /// <summary>The fused activation as bounds on the output integers: none → [−128, 127], Relu → [q(0), 127],
    /// Clip(α, β) → [q(α), q(β)] with q the output's quantization (<see cref="Qs8QuantizeReference.Quantize"/>,
    /// saturating, so ±∞ give the int8 limits). Other activations have no int8 form: the quantizer makes them
    /// separate (lookup-table) ops.</summary>
    public static (int Min, int Max) OutputClamp(OpDesc op, QuantParams y)
    {
        var read = new ParamReader(op);
        var kind = (ActivationKind)read.Int(ParamKey.Activation, 0);
        switch (kind)
        {
            case ActivationKind.None:
                return (sbyte.MinValue, sbyte.MaxValue);
            case ActivationKind.Relu:
                return (Qs8QuantizeReference.Quantize(0f, y.Scale, y.ZeroPoint), sbyte.MaxValue);
            case ActivationKind.Clip:
                float alpha = read.Float(ParamKey.Alpha, float.NegativeInfinity);
                float beta = read.Float(ParamKey.Beta, float.PositiveInfinity);
                if (float.IsNaN(alpha) || float.IsNaN(beta)) throw Error(op, $"Clip bounds [{alpha}, {beta}] include NaN");
                return (Qs8QuantizeReference.Quantize(alpha, y.Scale, y.ZeroPoint), Qs8QuantizeReference.Quantize(beta, y.Scale, y.ZeroPoint));
            default:
                throw Error(op, $"fused activation {kind} has no int8 form (only None, Relu and Clip become output bounds; the quantizer splits other activations into their own op)");
        }
    }

    /// <summary>
    /// Validates the weights W (constant Int8, symmetric, per tensor or per output channel along axis 0) and the
    /// optional bias B (constant Int32 [Cout], zero points 0, scale s_x·s_w[c]) of a Conv2D/FullyConnected whose
    /// weights hold <paramref name="outChannels"/> rows of <paramref name="rowLength"/> values, and prepares the
    /// output stage with M[c] = s_x·s_w[c]/s_y (in double). Refuses weights and biases for which some input could
    /// push an accumulator B[c] + Σ (x − zp_x)·w outside int32, so the kernels accumulate exactly in int32.
    /// </summary>
    public static Qs8Requantization WeightedOutput(OpDesc op, CompiledModel model, int outChannels, int rowLength)
    {
        var x = model.Tensors[op.Inputs[0]];
        var w = model.Tensors[op.Inputs[1]];
        var y = model.Tensors[op.Outputs[0]];
        var qx = PerTensor(op, x);
        var qy = PerTensor(op, y);
        if (w.Type != DataType.Int8) throw Error(op, $"weights '{w.Name}' must be Int8, is {w.Type}");
        if (w.Kind != TensorKind.Constant) throw Error(op, $"weights '{w.Name}' must be a constant");
        var qw = w.Quant!;
        if (!qw.IsPerTensor && (qw.Axis != 0 || qw.Scales.Length != outChannels))
            throw Error(op, $"weights '{w.Name}' must be quantized per tensor or per output channel (axis 0, {outChannels} scales), are {qw}");
        foreach (int z in qw.ZeroPoints)
            if (z != 0) throw Error(op, $"weights '{w.Name}' must be quantized symmetrically (zero point 0), have zero point {z}");
        double WeightScale(int c) => qw.IsPerTensor ? qw.Scale : qw.Scales[c];

        ReadOnlySpan<int> bias = default;
        bool hasBias = op.Inputs.Length > 2 && op.Inputs[2] >= 0;
        if (hasBias)
        {
            var b = model.Tensors[op.Inputs[2]];
            if (b.Type != DataType.Int32) throw Error(op, $"bias '{b.Name}' of an int8 op must be Int32, is {b.Type}");
            if (b.Kind != TensorKind.Constant) throw Error(op, $"bias '{b.Name}' must be a constant");
            if (b.Rank != 1 || b.Shape[0] != outChannels) throw Error(op, $"bias '{b.Name}' {ShapeMath.Text(b.Shape)} must be [{outChannels}]");
            if (b.Quant is not { } qb) throw Error(op, $"bias '{b.Name}' has no quantization parameters (scale s_x·s_w[c], zero point 0)");
            if (!qb.IsPerTensor && qb.Axis != 0) throw Error(op, $"bias '{b.Name}' must be quantized per tensor or along axis 0, is {qb}");
            for (int c = 0; c < outChannels; c++)
            {
                double expected = qx.Scale * WeightScale(c);
                double actual = qb.IsPerTensor ? qb.Scale : qb.Scales[c];
                int zero = qb.IsPerTensor ? qb.ZeroPoint : qb.ZeroPoints[c];
                if (zero != 0) throw Error(op, $"bias '{b.Name}' channel {c} has zero point {zero}; int32 biases have zero point 0");
                if (Math.Abs(actual - expected) > BiasScaleTolerance * expected)
                    throw Error(op, $"bias '{b.Name}' channel {c} has scale {actual:G9}, but input scale × weight scale is {expected:G9}");
            }
            bias = MemoryMarshal.Cast<byte, int>(model.ConstantBytes(op.Inputs[2]).Span);
        }

        var weights = MemoryMarshal.Cast<byte, sbyte>(model.ConstantBytes(op.Inputs[1]).Span);
        long inputMagnitude = Math.Max(Math.Abs(sbyte.MinValue - qx.ZeroPoint), Math.Abs(sbyte.MaxValue - qx.ZeroPoint));
        for (int c = 0; c < outChannels; c++)
        {
            long weightSum = 0;
            foreach (sbyte v in weights.Slice(c * rowLength, rowLength)) weightSum += Math.Abs((int)v);
            long bound = (hasBias ? Math.Abs((long)bias[c]) : 0) + inputMagnitude * weightSum;
            if (bound > int.MaxValue)
                throw Error(op, $"output channel {c} could accumulate up to {bound}, beyond int32 (|bias| + {inputMagnitude} × Σ|w| = {weightSum}); the int8 kernels accumulate in int32");
        }

        var (min, max) = OutputClamp(op, qy);
        var real = new double[outChannels];
        for (int c = 0; c < outChannels; c++) real[c] = qx.Scale * WeightScale(c) / qy.Scale;
        return Qs8Requantization.FromReal(real, qy.ZeroPoint, min, max);
    }
}
