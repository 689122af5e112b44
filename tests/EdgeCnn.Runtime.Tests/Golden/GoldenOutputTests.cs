using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Golden;

/// <summary>
/// Real and zoo models give, on every kernel path this machine supports, the outputs the x64 reference kernels
/// gave when the golden files were made: byte for byte for int8 models (integer kernels are exact on every ISA),
/// within float rounding for float32 models. The QEMU runs of scripts/test-arm64.sh make this the check that
/// the ARM kernels compute what x64 computes.
/// With EDGECNN_GOLDEN_WRITE=1 (scripts/make-golden.sh, x64 only) the test instead writes a fresh seeded
/// input and the reference output for it, after checking every supported path agrees with that output.
/// </summary>
public sealed class GoldenOutputTests
{
    public const string WriteVariable = "EDGECNN_GOLDEN_WRITE";

    // Float kernels may sum in another order or fuse multiply-adds; a model's logits stay this close.
    private const float RelativeTolerance = 1e-4f;

    [Theory]
    [InlineData("fashion-mnist-int8", true)]
    [InlineData("se-resnet20-int8", true)]
    [InlineData("se-resnet20-f32", false)]
    [InlineData("lenet5-int8", true)]
    public void Every_supported_kernel_path_reproduces_the_golden_output(string name, bool exact)
    {
        var golden = GoldenCase.Named(name);
        var model = golden.LoadModel();
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            Regenerate(golden, model, exact);
            return;
        }

        var input = golden.ReadInput(model);
        var expected = golden.ReadOutput(model);
        foreach (var path in CpuFeatures.Current.SupportedPaths)
            AssertMatches(expected, Run(model, path, input), exact, $"{golden.Name} on {path}");
    }

    private static void Regenerate(GoldenCase golden, CompiledModel model, bool exact)
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
            throw new InvalidOperationException($"{WriteVariable}=1: golden outputs are made on x64, this is {RuntimeInformation.ProcessArchitecture}");
        var input = SeededInput(model.InputInfo(0).ElementCount);
        var reference = Run(model, KernelPath.Reference, input);
        foreach (var path in CpuFeatures.Current.SupportedPaths)
            AssertMatches(reference, Run(model, path, input), exact, $"{golden.Name} on {path} (while writing)");
        golden.WriteInput(input);
        golden.WriteOutput(reference);
    }

    private static float[] Run(CompiledModel model, KernelPath path, float[] input)
    {
        var session = new Session(model, new SessionOptions { KernelPath = path });
        var output = new float[model.OutputInfo(0).ElementCount];
        Array.Fill(output, float.NaN);
        session.Run(input, output);
        return output;
    }

    private static void AssertMatches(float[] expected, float[] actual, bool exact, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int differing = 0, first = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = exact
                ? BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i])
                : Math.Abs(expected[i] - actual[i]) <= RelativeTolerance * (1 + Math.Abs(expected[i]));
            if (same) continue;
            differing++;
            if (first < 0) first = i;
        }
        Assert.True(differing == 0,
            $"{what}: {differing} of {expected.Length} outputs differ {(exact ? "in their bytes" : $"by more than {RelativeTolerance} relative")}; " +
            (first < 0 ? "" : $"first at {first}: golden {expected[first]:R} (0x{BitConverter.SingleToInt32Bits(expected[first]):X8}), " +
                              $"got {actual[first]:R} (0x{BitConverter.SingleToInt32Bits(actual[first]):X8})"));
    }

    // Uniform in [0, 1), the pixel/255 range the models were calibrated on; 24 random bits make every value an
    // exact float32, so the input file holds exactly what this produced.
    private static float[] SeededInput(long count)
    {
        var values = new float[count];
        ulong state = 20251123;
        for (long i = 0; i < count; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            values[i] = (z >> 40) * (1f / (1 << 24));
        }
        return values;
    }
}
