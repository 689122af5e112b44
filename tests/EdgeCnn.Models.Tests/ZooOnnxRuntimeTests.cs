using EdgeCnn.Models.Tests.Support;
using EdgeCnn.Models.Zoo;

namespace EdgeCnn.Models.Tests;

/// <summary>
/// Every zoo architecture, at a small width and resolution, imports, compiles and runs on the EdgeCnn
/// runtime and agrees with ONNX Runtime on a random input within 1e-4 relative to the output's largest
/// magnitude (<see cref="Agreement"/>), with the optimization passes (BN folding, fusions) on and off.
/// </summary>
[Trait("Requires", "OnnxRuntime")]
public sealed class ZooOnnxRuntimeTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in ModelZoo.Names)
        {
            data.Add(name, true);
            data.Add(name, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_onnx_runtime(string name, bool optimize)
    {
        var entry = ModelZoo.Find(name)!;
        var model = entry.Build(SmallConfigs.For(entry));
        var input = RandomInput(model.InputShape, seed: name.Length * 7919 + 17);

        var reference = OrtRunner.Run(model.Onnx, model.InputName, input, model.InputShape);
        var compiled = ZooCompiler.Compile(model, optimize);
        Assert.Equal(model.OutputShape, compiled.Tensors[compiled.Outputs[0]].Shape);
        var actual = ZooCompiler.Run(compiled, input);

        var diff = Agreement.Check(actual, reference, Tolerance);
        Assert.True(diff is null, $"{name} (optimize {optimize}): {diff}");
        // A degenerate network (everything clipped or saturated to one value) would agree trivially.
        Assert.True(reference.Distinct().Count() > reference.Length / 2, $"{name}: the reference output is nearly constant");
        if (optimize)
        {
            var plain = ZooCompiler.Compile(model, optimize: false);
            Assert.True(compiled.Ops.Length < plain.Ops.Length,
                $"{name}: optimizing left {compiled.Ops.Length} ops of {plain.Ops.Length}; nothing was folded or fused");
        }
    }

    [Fact]
    public void Every_architecture_has_a_small_configuration()
    {
        var missing = ModelZoo.Names.Where(n => !SmallConfigs.Has(n)).ToList();
        Assert.True(missing.Count == 0, $"no small test configuration for: {string.Join(", ", missing)}");
    }

    private static float[] RandomInput(int[] shape, int seed)
    {
        var random = new Random(seed);
        var data = new float[shape.Aggregate(1, (a, d) => a * d)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }
}
