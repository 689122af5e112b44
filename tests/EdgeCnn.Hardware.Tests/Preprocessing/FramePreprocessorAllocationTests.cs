using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Preprocessing;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Tests.Preprocessing;

/// <summary>A camera loop preprocesses raw frames without allocating: after warm-up (the first frame of a size builds
/// the image buffer and the resampling plan; the JIT tiers up), 100 more frames allocate 0 bytes on the thread.</summary>
public sealed class FramePreprocessorAllocationTests
{
    private const int WarmUp = 40;
    private const int Measured = 100;

    [Fact]
    public void Yuyv_to_int8_allocates_nothing_per_frame()
    {
        // The default model's 28x28 gray input from a 640x480 YUYV webcam frame, and a color model from the same frames.
        Frame[] frames = [TestFrames.Yuyv(640, 480, 1280, seed: 1), TestFrames.Yuyv(640, 480, 1280, seed: 2)];
        var gray = PreprocessingPresets.FashionMnist;
        AssertNoAllocation(new FramePreprocessor(gray, new BackendInput("x", [1, 1, 28, 28], true, 1f / 255, -128)), frames, new sbyte[gray.ElementCount]);
        var color = PreprocessingPresets.ImageNet with { Height = 96, Width = 96, Antialias = true };
        AssertNoAllocation(new FramePreprocessor(color, new BackendInput("x", [1, 96, 96, 3], true, 0.02f, 3)), frames, new sbyte[color.ElementCount]);
    }

    [Fact]
    public void Rgb_to_float_allocates_nothing_per_frame()
    {
        Frame[] frames =
        [
            TestFrames.Raw(PixelFormat.Rgb24, 320, 240, 320 * 3 + 64, (y, x, c) => (byte)(x + 3 * y + 50 * c)),
            TestFrames.Raw(PixelFormat.Rgb24, 320, 240, 320 * 3 + 64, (y, x, c) => (byte)(x * y - c)),
        ];
        var p = PreprocessingPresets.PaddleClassifier;
        AssertNoAllocation(new FramePreprocessor(p, new BackendInput("x", [1, 3, 48, 192], false)), frames, new float[p.ElementCount]);
        // A gray model on RGB frames: the luma is computed row by row into the reused image.
        var gray = PreprocessingPresets.FashionMnist;
        AssertNoAllocation(new FramePreprocessor(gray, new BackendInput("x", [1, 1, 28, 28], false)), frames, new float[gray.ElementCount]);
    }

    [Fact]
    public void Gray_to_int8_allocates_nothing_after_a_size_change()
    {
        var p = PreprocessingPresets.FashionMnist;
        var preprocessor = new FramePreprocessor(p, new BackendInput("x", [1, 1, 28, 28], true, 1f / 255, -128));
        var codes = new sbyte[p.ElementCount];
        AssertNoAllocation(preprocessor, [TestFrames.Raw(PixelFormat.Gray8, 100, 80, 104, (y, x, _) => (byte)(x ^ y))], codes);
        Frame[] larger = [TestFrames.Raw(PixelFormat.Gray8, 160, 120, 160, (y, x, _) => (byte)(x + y))];
        long before = GC.GetAllocatedBytesForCurrentThread();
        preprocessor.Run(larger[0], codes);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before > 0, "a new frame size re-plans, which allocates once");
        AssertNoAllocation(preprocessor, larger, codes);
    }

    private static void AssertNoAllocation(FramePreprocessor preprocessor, Frame[] frames, sbyte[] codes)
    {
        for (int i = 0; i < WarmUp; i++) preprocessor.Run(frames[i % frames.Length], codes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Measured; i++) preprocessor.Run(frames[i % frames.Length], codes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{Measured} frames {frames[0].Format} allocated {allocated} bytes");
    }

    private static void AssertNoAllocation(FramePreprocessor preprocessor, Frame[] frames, float[] tensor)
    {
        for (int i = 0; i < WarmUp; i++) preprocessor.Run(frames[i % frames.Length], tensor);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Measured; i++) preprocessor.Run(frames[i % frames.Length], tensor);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{Measured} frames {frames[0].Format} allocated {allocated} bytes");
    }
}
