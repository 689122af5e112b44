using System.Device.Gpio;
using System.Globalization;
using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Gpio;

/// <summary>
/// Drives an LED or relay from the results: high while the chosen class scores at or above the threshold in the
/// latest result, low otherwise. The class is looked up in the result's top-k list; a class outside the top k counts
/// as below the threshold (its score is at most the k-th score, so use a large enough k for low thresholds). The pin is
/// claimed (and driven low) in the constructor so a busy pin fails at startup, and written low and released on
/// <see cref="Dispose"/>.
/// </summary>
public sealed class GpioOutputSink : IResultSink
{
    private readonly GpioOutputOptions _options;
    private readonly int? _classIndex;
    private readonly Lock _gate = new();
    private GpioController? _controller;
    private bool _isHigh;

    /// <exception cref="HardwareException">The chip or pin cannot be opened as an output.</exception>
    public GpioOutputSink(GpioOutputOptions options, GpioDriverFactory driverFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(driverFactory);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Chip);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Pin);
        if (string.IsNullOrWhiteSpace(options.ClassName))
        {
            throw new ArgumentException("the output class (label or index) is empty", nameof(options));
        }

        if (!float.IsFinite(options.Threshold) || options.Threshold < 0f || options.Threshold > 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Threshold,
                $"the output threshold for class '{options.ClassName}' must be a score between 0 and 1");
        }

        _options = options;
        _classIndex = int.TryParse(options.ClassName, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index : null;
        _controller = GpioPinSetup.OpenPin(driverFactory, options.Chip, options.Pin, PinMode.Output, "output");
    }

    public GpioOutputOptions Options => _options;

    public string Description => _options.Describe();

    /// <summary>The level last written to the pin.</summary>
    public bool IsHigh
    {
        get { lock (_gate) { return _isHigh; } }
    }

    public void Write(InferenceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        bool high = IsAboveThreshold(result);
        lock (_gate)
        {
            GpioController controller = _controller ?? throw new ObjectDisposedException(nameof(GpioOutputSink), $"{Description}: the pin was released");
            // Only changes reach the driver: one line write per transition, not per frame.
            if (high != _isHigh)
            {
                controller.Write(_options.Pin, high ? PinValue.High : PinValue.Low);
                _isHigh = high;
            }
        }
    }

    public void Dispose()
    {
        GpioController? controller;
        lock (_gate)
        {
            controller = _controller;
            _controller = null;
            _isHigh = false;
        }

        if (controller is null)
        {
            return;
        }

        try
        {
            // Low before closing: libgpiod may leave the line at its last level once released.
            controller.Write(_options.Pin, PinValue.Low);
            controller.ClosePin(_options.Pin);
        }
        finally
        {
            controller.Dispose();
        }
    }

    private bool IsAboveThreshold(InferenceResult result)
    {
        int count = Math.Min(result.TopKCount, result.TopK.Length);
        for (int i = 0; i < count; i++)
        {
            ClassScore score = result.TopK[i];
            if (Matches(score))
            {
                return score.Score >= _options.Threshold;
            }
        }

        return false;
    }

    private bool Matches(ClassScore score) =>
        (_classIndex is int index && score.Index == index)
        || string.Equals(score.Label, _options.ClassName, StringComparison.OrdinalIgnoreCase);
}
