using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Benchmarks;

/// <summary>What each case really runs after compilation: the op list shows which ops share the session's time with
/// the kernel under test (layout transposes, quantize/dequantize at the edges).</summary>
public static class ModelListing
{
    public static void Print(TextWriter writer)
    {
        foreach (var stack in new[] { LayerStack.Pointwise, LayerStack.Depthwise, LayerStack.FullyConnected })
        {
            foreach (var (precision, model) in new[] { ("fp32", BenchModels.Float32(stack)), ("int8", BenchModels.Int8(stack)) })
            {
                writer.WriteLine($"{stack.Name} {precision}: {stack.Macs:N0} MACs");
                foreach (var op in model.Ops)
                {
                    var output = model.Tensors[op.Outputs[0]];
                    writer.WriteLine($"  {op.Code,-18} {op.Name,-24} -> {output.Type} [{string.Join(',', output.Shape)}]");
                }
            }
        }
    }
}
