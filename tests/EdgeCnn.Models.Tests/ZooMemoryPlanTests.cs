using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Models.Tests.Support;
using EdgeCnn.Models.Zoo;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Memory;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Models.Tests;

/// <summary>
/// The compiled memory plan on real networks: the plan stored in the written file (shared buffers, in-place
/// elementwise ops, reshapes and shuffles) gives bit for bit the outputs of a session where every tensor has
/// its own buffer, float and int8, on every kernel path the machine has; and in place never needs more arena.
/// </summary>
public sealed class ZooMemoryPlanTests
{
    public static TheoryData<string> Names => new(ModelZoo.Names.Where(SmallConfigs.Has));

    [Theory]
    [MemberData(nameof(Names))]
    public void Float_stored_plan_outputs_equal_separate_buffers(string name)
    {
        var entry = ModelZoo.Find(name)!;
        var zoo = entry.Build(SmallConfigs.For(entry));
        var model = ZooCompiler.Compile(zoo, optimize: true);
        CheckPlannedAgainstSeparate(model, Input(zoo.InputShape, seed: 5), name);
    }

    [Theory]
    [InlineData("shufflenet-v2")]
    [InlineData("mobilenet-v2")]
    [InlineData("se-resnet20")]
    public void Int8_stored_plan_outputs_equal_separate_buffers(string name)
    {
        var entry = ModelZoo.Find(name)!;
        var zoo = entry.Build(SmallConfigs.For(entry));
        var graph = OnnxImporter.Load(zoo.Onnx, $"{zoo.Name}.onnx", new Compiler.ImportOptions());
        var floatModel = QuantizationPreparation.CompileFloat(graph);
        var samples = Enumerable.Range(0, 2).Select(i => Input(zoo.InputShape, seed: 40 + i)).ToList();
        var statistics = Calibrator.Collect(floatModel, InMemoryCalibrationSamples.SingleInput(samples));
        var ranges = statistics.Select(CalibrationMethod.MinMax).ToDictionary(r => r.Tensor.Name, r => r.Range);
        var int8 = GraphLowering.Lower(Quantizer.Quantize(graph, ranges).Graph);
        Assert.Contains(int8.Tensors, t => t.Type == DataType.Int8);
        CheckPlannedAgainstSeparate(int8, Input(zoo.InputShape, seed: 77), $"{name} int8");
    }

    private static void CheckPlannedAgainstSeparate(CompiledModel model, float[] input, string what)
    {
        var stored = ModelReader.Read(ModelWriter.ToBytes(model), $"{what}.ecnn");
        Assert.NotNull(stored.Plan);
        var withoutInPlace = MemoryPlanBuilder.Build(model, new GreedyBySizePlanner(), inPlace: false);
        var separate = MemoryPlanBuilder.Build(model, new SeparateBuffersPlanner(), inPlace: false);
        Console.WriteLine($"{what}: arena {stored.Plan!.ArenaSize} bytes in place, {withoutInPlace.ArenaSize} without, " +
            $"{separate.ArenaSize} with no reuse; {InPlaceCount(stored)} tensors computed in place");
        Assert.True(stored.Plan.ArenaSize <= withoutInPlace.ArenaSize, $"{what}: in place {stored.Plan.ArenaSize} > {withoutInPlace.ArenaSize}");

        foreach (var path in CpuFeatures.Current.SupportedPaths)
        {
            var expected = Run(model, input, new SessionOptions { KernelPath = path, Planner = new SeparateBuffersPlanner(), InPlace = false });
            var actual = Run(stored, input, new SessionOptions { KernelPath = path });
            Assert.True(expected.Select(BitConverter.SingleToInt32Bits).SequenceEqual(actual.Select(BitConverter.SingleToInt32Bits)),
                $"{what} on {path}: the stored plan's output differs from separate buffers");
        }
    }

    /// <summary>Tensors that share their offset with an input of their producer.</summary>
    private static int InPlaceCount(CompiledModel model)
    {
        var offsets = model.Plan!.OffsetsByTensor(model.Tensors.Length);
        return model.Ops.Count(op => op.Outputs.Length == 1 && model.Tensors[op.Outputs[0]].ByteLength > 0 && op.Inputs.Any(i =>
            i >= 0 && model.Tensors[i].Kind == TensorKind.Activation && offsets[i] == offsets[op.Outputs[0]]));
    }

    private static float[] Run(CompiledModel model, float[] input, SessionOptions options)
    {
        var output = new float[model.Tensors[model.Outputs[0]].ElementCount];
        new Session(model, options).Run([(ReadOnlyMemory<float>)input], [(Memory<float>)output]);
        return output;
    }

    private static float[] Input(int[] shape, int seed)
    {
        var random = new Random(seed);
        long n = shape.Aggregate(1L, (a, d) => a * d);
        return Enumerable.Range(0, (int)n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
