using EdgeCnn.Hardware.Gpio;

namespace EdgeCnn.Hardware.Pipeline;

/// <summary>What a parsed trigger spec needs to become a trigger. The defaults are the real machine: libgpiod, chip 0,
/// the system clock, stdin. Tests replace them with fakes.</summary>
public sealed class TriggerEnvironment
{
    public GpioDriverFactory GpioDriverFactory { get; init; } = LibGpiodChip.Factory;

    /// <summary>The chip for a gpio spec that names none (gpiochip4 for the header of a Pi 5 on older kernels; see
    /// <see cref="LibGpiodChip"/>).</summary>
    public int DefaultGpioChip { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The lines a manual trigger reads; null for stdin.</summary>
    public TextReader? Input { get; init; }
}
