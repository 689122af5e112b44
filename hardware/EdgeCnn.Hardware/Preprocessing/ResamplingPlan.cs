using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Preprocessing;

/// <summary>What depends on an image's size, built once per size: the gray buffer (when a color image feeds a gray
/// or grayscale input; the luma comes first, as in <see cref="ImagePreprocessor"/>), the resampler's plan for the
/// fit's window, and whether the tensor has padding.</summary>
internal sealed class ResamplingPlan
{
    private readonly int _height, _width, _channels;
    private readonly BilinearResize.Plan? _bilinear;
    private readonly AntialiasedResize.Plan? _antialiased;

    public ResamplingPlan(PixelImage image, ImagePreprocessing p)
    {
        (_height, _width, _channels) = (image.Height, image.Width, image.Channels);
        bool toGray = image.Channels == 3 && (p.Channels == 1 || p.Grayscale);
        Gray = toGray ? new byte[image.Height * image.Width] : null;
        SourceChannels = toGray ? 1 : image.Channels;
        var g = ResizeGeometry.For(image.Height, image.Width, p);
        if (p.Antialias)
            _antialiased = new AntialiasedResize.Plan(image.Height, image.Width, SourceChannels, g.ResizedHeight, g.ResizedWidth, g.Top, g.Left, g.ContentHeight, g.ContentWidth);
        else
            _bilinear = new BilinearResize.Plan(image.Height, image.Width, SourceChannels, g.ResizedHeight, g.ResizedWidth, g.Top, g.Left, g.ContentHeight, g.ContentWidth);
        Pads = g.ContentHeight != p.Height || g.ContentWidth != p.Width;
    }

    public byte[]? Gray { get; }

    public int SourceChannels { get; }

    public bool Pads { get; }

    public bool Fits(PixelImage image) => image.Height == _height && image.Width == _width && image.Channels == _channels;

    public void Run<TSink>(ReadOnlySpan<byte> pixels, ref TSink sink) where TSink : IResizedPixelSink, allows ref struct
    {
        if (_antialiased is { } antialiased) antialiased.Run(pixels, ref sink);
        else _bilinear!.Run(pixels, ref sink);
    }
}
