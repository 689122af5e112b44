using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Pointwise convolution (1×1 kernel, stride 1, no pads, one group): a matrix product
/// Y[P,Cout] = X[P,Cin]·W[Cout,Cin]ᵀ over the P = N·H·W pixels. Two pixels times four output channels per
/// step, so each loaded vector feeds several dots.
/// </summary>
public static class F32Conv1x1Vector
{
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        ActivationKind activation, float alpha, float beta, Span<float> y)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float w0 = ref MemoryMarshal.GetReference(w);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        int cin = g.InChannels, cout = g.OutChannels;
        int pixels = g.Batch * g.OutHeight * g.OutWidth;
        int p = 0;
        for (; p + 2 <= pixels; p += 2)
        {
            ref float xa = ref Unsafe.Add(ref x0, p * cin);
            ref float xb = ref Unsafe.Add(ref x0, (p + 1) * cin);
            int ya = p * cout, yb = ya + cout;
            int oc = 0;
            for (; oc + 4 <= cout; oc += 4)
            {
                F32DotVector.Dot2x4(ref xa, ref xb, ref Unsafe.Add(ref w0, oc * cin), cin, cin, out var ra, out var rb);
                if (!bias.IsEmpty)
                {
                    var b = Float4.Load(bias, oc);
                    ra += b;
                    rb += b;
                }
                Float4.Store(ref y0, ya + oc, ra);
                Float4.Store(ref y0, yb + oc, rb);
            }
            for (; oc < cout; oc++)
            {
                ref float wr = ref Unsafe.Add(ref w0, oc * cin);
                float b = bias.IsEmpty ? 0f : bias[oc];
                Unsafe.Add(ref y0, ya + oc) = b + F32DotVector.Dot1(ref xa, ref wr, cin);
                Unsafe.Add(ref y0, yb + oc) = b + F32DotVector.Dot1(ref xb, ref wr, cin);
            }
            F32Activation.Apply(activation, alpha, beta, y.Slice(ya, 2 * cout));
        }
        for (; p < pixels; p++)
        {
            ref float xa = ref Unsafe.Add(ref x0, p * cin);
            int ya = p * cout;
            int oc = 0;
            for (; oc + 4 <= cout; oc += 4)
            {
                var r = F32DotVector.Dot4(ref xa, ref Unsafe.Add(ref w0, oc * cin), cin, cin);
                if (!bias.IsEmpty) r += Float4.Load(bias, oc);
                Float4.Store(ref y0, ya + oc, r);
            }
            for (; oc < cout; oc++)
                Unsafe.Add(ref y0, ya + oc) = (bias.IsEmpty ? 0f : bias[oc]) + F32DotVector.Dot1(ref xa, ref Unsafe.Add(ref w0, oc * cin), cin);
            F32Activation.Apply(activation, alpha, beta, y.Slice(ya, cout));
        }
    }
}
