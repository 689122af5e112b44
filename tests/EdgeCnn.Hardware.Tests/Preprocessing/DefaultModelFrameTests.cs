using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Preprocessing;

namespace EdgeCnn.Hardware.Tests.Preprocessing;

/// <summary>The default model behind the frame preprocessor with its preset: the ten samples (the first test image of
/// each class, which the trained model gets right) reach it as image files, RGB camera frames and YUYV camera frames
/// and are classified as their file names say; preprocessing plus inference allocate nothing per raw frame.</summary>
public sealed class DefaultModelFrameTests
{
    /// <summary>The default model quantized to int8 with a float input (tests/data/golden/README.md).</summary>
    private static string GoldenModel => Path.Combine(PreprocessingMaterial.Root, "tests", "data", "golden", "fashion-mnist-int8", "model.ecnn");

    [Fact]
    public void Samples_are_classified_from_files_rgb_and_yuyv_frames()
    {
        using var backend = new NativeBackend(GoldenModel);
        var preprocessor = FramePreprocessor.For(backend, PreprocessingPresets.FashionMnist);
        var samples = PreprocessingMaterial.FashionMnistSamples();
        int correctRgb = 0, correctYuyv = 0;
        foreach (var path in samples)
        {
            int label = int.Parse(Path.GetFileName(path).Split('-')[0]);
            var file = TestFrames.Encoded(path);
            var gray = EncodedImageDecoder.Decode(file.Data, path);
            Assert.Equal(1, gray.Channels);

            var fromFile = Classify(preprocessor, backend, file);
            // The gray picture as an RGB camera frame: its luma is the gray value again, so the model sees the same input.
            var rgbFrame = TestFrames.Raw(PixelFormat.Rgb24, 28, 28, 28 * 3 + 4, (y, x, _) => gray.Pixels[y * 28 + x]);
            var fromRgb = Classify(preprocessor, backend, rgbFrame);
            Assert.Equal(fromFile.Scores, fromRgb.Scores);
            if (fromRgb.Top == label) correctRgb++;

            // As a webcam would send it: limited-range luma, neutral chroma; decoding returns each gray within one level.
            var yuyvFrame = TestFrames.Raw(PixelFormat.Yuyv, 28, 28, 64, (y, x, b) =>
                b == 1 ? (byte)128 : (byte)(16 + (219 * gray.Pixels[y * 28 + x] + 127) / 255));
            if (Classify(preprocessor, backend, yuyvFrame).Top == label) correctYuyv++;
        }
        Assert.True(correctRgb >= 9, $"{correctRgb} of 10 samples classified correctly from RGB frames");
        Assert.True(correctYuyv >= 9, $"{correctYuyv} of 10 samples classified correctly from YUYV frames");
    }

    [Fact]
    public void Preprocessing_and_inference_allocate_nothing_per_yuyv_frame()
    {
        using var backend = new NativeBackend(GoldenModel);
        var preprocessor = FramePreprocessor.For(backend, PreprocessingPresets.FashionMnist);
        Frame[] frames = [TestFrames.Yuyv(320, 240, 640, seed: 3), TestFrames.Yuyv(320, 240, 640, seed: 4)];
        for (int i = 0; i < 40; i++) Step(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Step(i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"100 YUYV frames through preprocessing and the native backend allocated {allocated} bytes");

        void Step(int i)
        {
            preprocessor.Write(frames[i % 2], backend);
            backend.Run();
        }
    }

    private static (int Top, float[] Scores) Classify(FramePreprocessor preprocessor, IInferenceBackend backend, Frame frame)
    {
        preprocessor.Write(frame, backend);
        backend.Run();
        var scores = backend.Output().ToArray();
        int top = 0;
        for (int i = 1; i < scores.Length; i++)
            if (scores[i] > scores[top]) top = i;
        return (top, scores);
    }
}
