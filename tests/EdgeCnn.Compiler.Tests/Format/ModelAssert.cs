using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Format;

/// <summary>Field-by-field comparison of two models, float parameters and quantization scales by bit pattern (NaN included).</summary>
internal static class ModelAssert
{
    public static void Same(CompiledModel expected, CompiledModel actual)
    {
        Assert.Equal(expected.Tensors.Length, actual.Tensors.Length);
        for (int i = 0; i < expected.Tensors.Length; i++)
        {
            var e = expected.Tensors[i];
            var a = actual.Tensors[i];
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Type, a.Type);
            Assert.Equal(e.Kind, a.Kind);
            Assert.Equal(e.Shape, a.Shape);
            Assert.Equal(e.Quant is null, a.Quant is null);
            if (e.Quant is not null)
            {
                Assert.Equal(e.Quant.Axis, a.Quant!.Axis);
                Assert.Equal(e.Quant.Scales.Select(BitConverter.SingleToInt32Bits), a.Quant.Scales.Select(BitConverter.SingleToInt32Bits));
                Assert.Equal(e.Quant.ZeroPoints, a.Quant.ZeroPoints);
            }
            if (e.Kind == TensorKind.Constant)
            {
                Assert.Equal(e.ConstantOffset, a.ConstantOffset);
                Assert.Equal(expected.ConstantBytes(i).ToArray(), actual.ConstantBytes(i).ToArray());
            }
        }

        Assert.Equal(expected.Ops.Length, actual.Ops.Length);
        for (int i = 0; i < expected.Ops.Length; i++)
        {
            var e = expected.Ops[i];
            var a = actual.Ops[i];
            Assert.Equal(e.Code, a.Code);
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Inputs, a.Inputs);
            Assert.Equal(e.Outputs, a.Outputs);
            Assert.Equal(e.Params.Ints.Select(p => p.Key), a.Params.Ints.Select(p => p.Key));
            foreach (var (key, values) in e.Params.Ints)
                Assert.Equal(values, a.Params.GetInts(key));
            Assert.Equal(e.Params.Floats.Select(p => p.Key), a.Params.Floats.Select(p => p.Key));
            foreach (var (key, values) in e.Params.Floats)
                Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), a.Params.GetFloats(key).Select(BitConverter.SingleToInt32Bits));
        }

        Assert.Equal(expected.Inputs, actual.Inputs);
        Assert.Equal(expected.Outputs, actual.Outputs);
        Assert.Equal(expected.Weights.ToArray(), actual.Weights.ToArray());
    }
}
