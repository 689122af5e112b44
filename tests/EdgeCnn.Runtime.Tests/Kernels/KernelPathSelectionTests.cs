using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Which kernel family a default session picks. The test scripts say which one each run must get through
/// EDGECNN_EXPECT_KERNEL_PATH (scripts/test-arm64.sh: AdvSimd under QEMU's cortex-a72, AdvSimdDp under
/// cortex-a76, Reference with DOTNET_EnableHWIntrinsic=0; scripts/test.sh: the x64 machine's best), so a run
/// that silently fell back to a slower path fails instead of passing on the reference kernels.
/// </summary>
public sealed class KernelPathSelectionTests
{
    public const string ExpectVariable = "EDGECNN_EXPECT_KERNEL_PATH";

    [Fact]
    public void A_default_session_uses_the_best_path_the_cpu_supports()
    {
        var session = new Session(SmallModel());

        Assert.Equal(CpuFeatures.Current.Best, session.KernelPath);
        Assert.True(CpuFeatures.Current.Supports(session.KernelPath), $"{session.KernelPath} chosen on {CpuFeatures.Current}");
    }

    [Fact]
    public void The_selected_path_is_the_one_this_run_expects()
    {
        var expected = ExpectedPath();
        var features = CpuFeatures.Current;

        Assert.True(features.Best == expected,
            $"{ExpectVariable}={expected}, but this process selects {features.Best} ({features}; " +
            $"DOTNET_EnableHWIntrinsic={Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") ?? "unset"})");
        Assert.Equal(expected, new Session(SmallModel()).KernelPath);
    }

    [Fact]
    public void The_expected_path_agrees_with_the_processor_features()
    {
        var expected = ExpectedPath();
        var features = CpuFeatures.Current;

        // The feature flags must tell the same story as the path, so a run cannot pass by a wrong snapshot.
        switch (expected)
        {
            case KernelPath.AdvSimdDp:
                Assert.True(features.AdvSimd && features.AdvSimdDp, features.ToString());
                break;
            case KernelPath.AdvSimd:
                Assert.True(features.AdvSimd && !features.AdvSimdDp, features.ToString());
                break;
            case KernelPath.Avx2:
                Assert.True(features.Avx2 && !features.AdvSimd, features.ToString());
                break;
            case KernelPath.Vector128:
                Assert.True(features.Vector128Accelerated && !features.Avx2 && !features.AdvSimd, features.ToString());
                break;
            case KernelPath.Reference:
                Assert.False(features.Vector128Accelerated || features.Avx2 || features.AdvSimd, features.ToString());
                break;
        }
    }

    private static KernelPath ExpectedPath()
    {
        var text = Environment.GetEnvironmentVariable(ExpectVariable);
        if (string.IsNullOrEmpty(text))
            Assert.Skip($"{ExpectVariable} is not set: only the test scripts know which kernel path this machine must select");
        if (!Enum.TryParse<KernelPath>(text, ignoreCase: false, out var path) || !Enum.IsDefined(path))
            throw new InvalidOperationException(
                $"{ExpectVariable}='{text}' is not a kernel path; expected one of {string.Join(", ", Enum.GetNames<KernelPath>())}");
        return path;
    }

    // An int8-free one-op model is enough: the session resolves its path before preparing any operator.
    private static CompiledModel SmallModel() =>
        OneOpModel.Build(OpCode.Reshape, new OpParams(), [TestTensor.Input([2, 3], [1, 2, 3, 4, 5, 6])], [3, 2]);
}
