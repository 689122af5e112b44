using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Writer;

/// <summary>
/// Encodes the Quantization section in its version-2 form: per quantized tensor, in ascending order, the
/// index as a varint step from the previous one, a flags byte, the axis and channel count (per-channel only),
/// the scales unless they are derivable, and the zero points only when one is non-zero. A bias whose scales
/// are exactly what the reader derives, (float)(s_x·s_w[c]) of the first Conv2D/FullyConnected reading it as
/// input 2, with zero points 0, stores neither.
/// </summary>
internal static class QuantizationEncoder
{
    public static byte[] Encode(CompiledModel model)
    {
        using var buffer = new MemoryStream();
        using var w = new BinaryWriter(buffer);
        w.Write((uint)model.Tensors.Count(t => t.Quant is not null));
        int previous = -1;
        for (int i = 0; i < model.Tensors.Length; i++)
        {
            if (model.Tensors[i].Quant is not { } q) continue;
            VarInt.Write(w, (uint)(i - previous - 1));
            previous = i;
            bool zeroPoints = q.ZeroPoints.Any(z => z != 0);
            bool derived = !zeroPoints && IsDerivable(model, i, q);
            var flags = QuantRecordFlags.None;
            if (!q.IsPerTensor) flags |= QuantRecordFlags.PerChannel;
            if (zeroPoints) flags |= QuantRecordFlags.ZeroPoints;
            if (derived) flags |= QuantRecordFlags.DerivedScales;
            w.Write((byte)flags);
            if (!q.IsPerTensor)
            {
                if (q.Axis > byte.MaxValue)
                    throw new ModelFormatException($"tensor '{model.Tensors[i].Name}': quantization axis {q.Axis} does not fit the file's axis byte");
                w.Write((byte)q.Axis);
                VarInt.Write(w, (uint)q.Scales.Length);
            }
            if (!derived)
                foreach (var s in q.Scales) w.Write(s);
            if (zeroPoints)
                foreach (var z in q.ZeroPoints) w.Write(z);
        }
        w.Flush();
        return buffer.ToArray();
    }

    /// <summary>True when the reader's derivation gives back exactly these scales (bit for bit), so leaving
    /// them out loses nothing.</summary>
    private static bool IsDerivable(CompiledModel model, int bias, QuantParams q)
    {
        var op = Array.Find(model.Ops, o => o.Code is OpCode.Conv2D or OpCode.FullyConnected && o.Inputs.Length > 2 && o.Inputs[2] == bias);
        if (op is null || op.Inputs[0] < 0 || op.Inputs[1] < 0) return false;
        var x = model.Tensors[op.Inputs[0]].Quant;
        var wq = model.Tensors[op.Inputs[1]].Quant;
        if (x is not { IsPerTensor: true } || wq is null || wq.IsPerTensor != q.IsPerTensor) return false;
        if (!wq.IsPerTensor && (q.Axis != 0 || wq.Scales.Length != q.Scales.Length)) return false;
        for (int c = 0; c < q.Scales.Length; c++)
            if (BitConverter.SingleToInt32Bits((float)((double)x.Scale * wq.Scales[c])) != BitConverter.SingleToInt32Bits(q.Scales[c]))
                return false;
        return true;
    }
}
