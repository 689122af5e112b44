using EdgeCnn.Hardware.Gpio;

namespace EdgeCnn.Cli.Watch;

/// <summary>
/// What <c>edgecnn watch</c> takes from the machine: the GPIO chips (libgpiod), stdin for the manual trigger, the clock,
/// and Ctrl+C/SIGTERM for shutdown. Tests swap in fakes with <see cref="Use"/> (flows with the test's execution
/// context only, so parallel tests do not see each other's fakes).
/// </summary>
internal sealed class WatchEnvironment
{
    private static readonly AsyncLocal<WatchEnvironment?> Override = new();

    public GpioDriverFactory GpioDriverFactory { get; init; } = LibGpiodChip.Factory;

    /// <summary>Lines for the manual trigger; null for stdin.</summary>
    public TextReader? Input { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Cancelled to stop the run (besides the signals).</summary>
    public CancellationToken Stop { get; init; }

    /// <summary>Stop on SIGINT (Ctrl+C) and SIGTERM (systemd). Tests leave the process's signals alone.</summary>
    public bool HandleSignals { get; init; } = true;

    public static WatchEnvironment Current => Override.Value ?? new WatchEnvironment();

    /// <summary>Makes <paramref name="environment"/> current until the returned scope is disposed.</summary>
    public static IDisposable Use(WatchEnvironment environment)
    {
        var previous = Override.Value;
        Override.Value = environment;
        return new Scope(previous);
    }

    private sealed class Scope(WatchEnvironment? previous) : IDisposable
    {
        public void Dispose() => Override.Value = previous;
    }
}
