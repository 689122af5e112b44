using System.CommandLine;
using EdgeCnn.Cli.IO;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Commands;

/// <summary>
/// The image preprocessing options every image-reading command shares (run, eval): --preset, --size, --pad-right,
/// --crop, --resize-short, --antialias, --mean, --std, --bgr, --grayscale. <see cref="Parse"/> checks them before any model is
/// loaded; <see cref="ResolvedPreprocessing.For"/> completes them from the model input they feed.
/// </summary>
internal sealed class PreprocessingOptions
{
    private readonly Option<string?> _preset = new("--preset")
    {
        Description = $"Preprocessing of a model family: {PreprocessingPresets.Names} (other options override its parts)",
    };
    private readonly Option<string?> _size = new("--size") { Description = "Resize images to HEIGHTxWIDTH (default: the model input's size)" };
    private readonly Option<bool> _padRight = new("--pad-right")
    {
        Description = "Keep the aspect ratio: resize to the height of --size (width at most its width), zero-pad the right side after normalization",
    };
    private readonly Option<string?> _crop = new("--crop") { Description = "Center-crop HEIGHTxWIDTH after resizing the short side to --resize-short" };
    private readonly Option<int?> _resizeShort = new("--resize-short") { Description = "Short side length before --crop (default: crop side / 0.875, e.g. 256 for 224)" };
    private readonly Option<string?> _mean = new("--mean") { Description = "Per-channel mean subtracted after scaling pixels to 0..1, e.g. 0.485,0.456,0.406" };
    private readonly Option<string?> _std = new("--std") { Description = "Per-channel divisor applied after the mean, e.g. 0.229,0.224,0.225" };
    private readonly Option<bool> _bgr = new("--bgr") { Description = "Feed image channels in BGR order (OpenCV/Paddle-trained models)" };
    private readonly Option<bool> _antialias = new("--antialias")
    {
        Description = "Resample like Pillow/torchvision (the filter widens when shrinking) instead of OpenCV's INTER_LINEAR",
    };
    private readonly Option<bool> _grayscale = new("--grayscale") { Description = "Feed the image's luma (automatic for 1-channel inputs; replicated for 3-channel inputs)" };

    public IEnumerable<Option> Options => [_preset, _size, _padRight, _crop, _resizeShort, _mean, _std, _bgr, _grayscale, _antialias];

    public void AddTo(Command command)
    {
        foreach (var option in Options) command.Options.Add(option);
    }

    /// <summary>Reads the options; throws <see cref="UsageException"/> for malformed or contradictory values.</summary>
    public ResolvedPreprocessing Parse(ParseResult parse)
    {
        var preset = new PreprocessingSettings();
        if (parse.GetValue(_preset) is { } name && !PreprocessingPresets.All.TryGetValue(name, out preset!))
            throw new UsageException($"--preset '{name}': unknown preset (known: {PreprocessingPresets.Names})");

        var size = parse.GetValue(_size) is { } s ? OptionValues.ParseSize(s, "--size") : ((int, int)?)null;
        var crop = parse.GetValue(_crop) is { } c ? OptionValues.ParseSize(c, "--crop") : ((int, int)?)null;
        int? shortSide = parse.GetValue(_resizeShort);
        bool padRight = parse.GetValue(_padRight);
        if (size is not null && crop is not null)
            throw new UsageException("--size and --crop both set the input size; give one");
        if (padRight && (crop is not null || shortSide is not null))
            throw new UsageException("--pad-right cannot be combined with --crop or --resize-short");
        if (shortSide is <= 0)
            throw new UsageException($"--resize-short {shortSide}: must be a positive integer");

        var explicitSettings = new PreprocessingSettings
        {
            Size = crop ?? size,
            // An explicit "--pad-right false" undoes a preset's keep-aspect fit.
            Fit = padRight ? ImageFit.PadRight
                : crop is not null || shortSide is not null ? ImageFit.CenterCrop
                : parse.GetResult(_padRight) is { Implicit: false } ? ImageFit.Stretch : null,
            ShortSide = shortSide,
            Mean = parse.GetValue(_mean) is { } m ? OptionValues.ParseFloats(m, "--mean") : null,
            Std = parse.GetValue(_std) is { } d ? OptionValues.ParseFloats(d, "--std", nonZero: true) : null,
            Bgr = parse.GetResult(_bgr) is { Implicit: false } ? parse.GetValue(_bgr) : null,
            Grayscale = parse.GetResult(_grayscale) is { Implicit: false } ? parse.GetValue(_grayscale) : null,
            Antialias = parse.GetResult(_antialias) is { Implicit: false } ? parse.GetValue(_antialias) : null,
        };
        return new ResolvedPreprocessing(explicitSettings.Over(preset), parse.GetValue(_preset));
    }
}

/// <summary>Parsed preprocessing options, waiting for the model input that fixes the channels and default size.</summary>
internal sealed record ResolvedPreprocessing(PreprocessingSettings Settings, string? Preset)
{
    /// <summary>An image feeds a float32 NCHW input of batch 1 with 1 or 3 channels. <paramref name="file"/> names
    /// the image (or data set) in errors.</summary>
    public ImagePreprocessing For(TensorInfo target, string file)
    {
        var shape = target.Shape;
        if (shape.Length != 4 || shape[0] != 1 || shape[1] is not (1 or 3))
            throw new InputFileException(file, $"an image can only feed an input of shape [1,1|3,H,W]; '{target.Name}' is {Output.Units.Shape(shape)}");
        var (height, width) = Settings.Size ?? (shape[2], shape[3]);
        var preprocessing = new ImagePreprocessing
        {
            Height = height,
            Width = width,
            Channels = shape[1],
            Fit = Settings.Fit ?? ImageFit.Stretch,
            ShortSide = Settings.ShortSide,
            Mean = Settings.Mean ?? [0f],
            Std = Settings.Std ?? [1f],
            Bgr = Settings.Bgr ?? false,
            Grayscale = Settings.Grayscale ?? false,
            Antialias = Settings.Antialias ?? false,
        };
        try
        {
            preprocessing.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
        return preprocessing;
    }
}
