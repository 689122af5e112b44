using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Preprocessing;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Tests.Preprocessing;

/// <summary>Presets completed from a backend input: the channels and layout come from the input's shape, the size must
/// agree with the preset's.</summary>
public sealed class ImageInputShapeTests
{
    [Fact]
    public void The_default_model_input_takes_the_fashion_mnist_preset()
    {
        var input = new BackendInput("input", [1, 1, 28, 28], false);
        var p = ImageInputShape.Complete(input, PreprocessingPresets.Get("fashion-mnist"));
        Assert.Equal((28, 28, 1, ImageFit.Stretch), (p.Height, p.Width, p.Channels, p.Fit));
        Assert.Equal([0f], p.Mean);
        Assert.Equal([1f], p.Std);
        Assert.Equal(ImageTensorLayout.Nchw, ImageInputShape.LayoutOf(input, p));

        // On a 3-channel model of the same size the preset feeds the luma to every channel.
        var color = ImageInputShape.Complete(new BackendInput("input", [1, 28, 28, 3], true, 0.1f, 0), PreprocessingPresets.FashionMnist);
        Assert.Equal((3, true), (color.Channels, color.Grayscale));
    }

    [Fact]
    public void The_paddle_classifier_input_takes_the_paddle_preset()
    {
        var p = ImageInputShape.Complete(new BackendInput("x", [1, 3, 48, 192], false), PreprocessingPresets.Get("paddle-cls"));
        Assert.Equal((48, 192, 3, ImageFit.PadRight, true, false), (p.Height, p.Width, p.Channels, p.Fit, p.Bgr, p.Antialias));
        Assert.Equal([0.5f], p.Mean);
        Assert.Equal([0.5f], p.Std);
    }

    [Fact]
    public void Without_settings_the_image_is_stretched_to_the_input()
    {
        var p = ImageInputShape.Complete(new BackendInput("x", [1, 64, 48, 3], false));
        Assert.Equal((64, 48, 3, ImageFit.Stretch), (p.Height, p.Width, p.Channels, p.Fit));
        Assert.Equal(ImageTensorLayout.Nhwc, ImageInputShape.LayoutOf(new BackendInput("x", [1, 64, 48, 3], false), p));
    }

    [Theory]
    [InlineData(new[] { 1, 3, 32, 100 }, "has shape [1,3,32,100]: it holds no image of the 48x192 image")]
    [InlineData(new[] { 2, 3, 48, 192 }, "an image feeds a batch-1 input")]
    [InlineData(new[] { 1, 4, 48, 192 }, "it holds no image")]
    [InlineData(new[] { 1, 3, 48 }, "an image feeds a batch-1 input")]
    public void Inputs_that_hold_no_such_image_are_refused(int[] shape, string expected)
    {
        var message = Assert.Throws<ArgumentException>(() => ImageInputShape.Complete(new BackendInput("x", shape, false), PreprocessingPresets.PaddleClassifier)).Message;
        Assert.Contains("input 'x'", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void A_preprocessor_refuses_an_input_of_another_size()
    {
        var message = Assert.Throws<ArgumentException>(() => new FramePreprocessor(PreprocessingPresets.FashionMnist, new BackendInput("x", [1, 1, 32, 32], false))).Message;
        Assert.Contains("input 'x' has shape [1,1,32,32]", message);
        Assert.Contains("[1,1,28,28] (NCHW)", message);
    }

    [Fact]
    public void Unknown_presets_list_the_known_ones()
    {
        var message = Assert.Throws<ArgumentException>(() => PreprocessingPresets.Get("mobilenet")).Message;
        Assert.Contains("'mobilenet'", message);
        Assert.Contains("fashion-mnist, paddle-cls, imagenet", message);
    }
}
