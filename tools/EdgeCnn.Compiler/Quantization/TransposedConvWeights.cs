using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// The int8 ConvTranspose2D stores its weights output-channel-major, [Cout,KH,KW,Cin/g] like Conv2D, instead of the
/// float op's [Cin,KH,KW,Cout/g]: per-channel scales then run along axis 0 and the runtime prepares weights, bias and
/// multipliers exactly as for Conv2D. Output channel group·(Cout/g) + j, tap (kh, kw), input i of its group holds the
/// float weight [group·(Cin/g) + i, kh, kw, j].
/// </summary>
internal static class TransposedConvWeights
{
    public static TensorData OutputMajor(Node node, TensorData weights)
    {
        var shape = weights.Shape;
        if (shape.Length != 4) throw new InvalidOperationException($"{node}: weights of rank {shape.Length}, expected [Cin,KH,KW,Cout/g]");
        int group = node.Int(ParamKey.Group, 1);
        int cin = shape[0], kh = shape[1], kw = shape[2], opg = shape[3];
        if (group < 1 || cin % group != 0) throw new InvalidOperationException($"{node}: {cin} input channels in {group} groups");
        int cpg = cin / group, cout = opg * group;
        var source = weights.AsFloats();
        var reordered = new float[source.Length];
        for (int oc = 0; oc < cout; oc++)
        for (int y = 0; y < kh; y++)
        for (int x = 0; x < kw; x++)
        for (int i = 0; i < cpg; i++)
        {
            int ic = oc / opg * cpg + i;
            reordered[((oc * kh + y) * kw + x) * cpg + i] = source[((ic * kh + y) * kw + x) * opg + oc % opg];
        }
        return TensorData.FromFloats([cout, kh, kw, cpg], reordered);
    }
}
