using EdgeCnn.Cli.Commands;
using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Preprocessing;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Cli.Watch;

/// <summary>The --preset/--size/--mean/... options of run and eval, completed from the backend's input (which may be
/// ONNX Runtime's, so the runtime's tensor info is not at hand): the same defaults as <c>edgecnn run</c>, stretch to the
/// input's size with pixel / 255.</summary>
internal static class WatchPreprocessing
{
    /// <exception cref="UsageException">The options do not fit the model's input (size, channels, mean/std counts).</exception>
    public static ImagePreprocessing For(ResolvedPreprocessing resolved, BackendInput input)
    {
        try
        {
            var model = ImageInputShape.Complete(input);
            var settings = resolved.Settings;
            var (height, width) = settings.Size ?? (model.Height, model.Width);
            var wanted = new ImagePreprocessing
            {
                Height = height,
                Width = width,
                Channels = model.Channels,
                Fit = settings.Fit ?? ImageFit.Stretch,
                ShortSide = settings.ShortSide,
                Mean = settings.Mean ?? [0f],
                Std = settings.Std ?? [1f],
                Bgr = settings.Bgr ?? false,
                Grayscale = settings.Grayscale ?? false,
                Antialias = settings.Antialias ?? false,
            };
            return ImageInputShape.Complete(input, wanted);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"preprocessing for model input '{input.Name}' [{string.Join(',', input.Shape)}]: {ex.Message}");
        }
    }
}
