using System.Runtime.InteropServices;

namespace EdgeCnn.Cli.Watch;

/// <summary>Turns SIGINT (Ctrl+C) and SIGTERM (systemctl stop) into a cancellation, so the pipeline stops its trigger,
/// releases the pins and prints its summary instead of the runtime killing the process mid-frame.</summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private readonly List<PosixSignalRegistration> _registrations = [];

    public ShutdownSignals(CancellationToken external, bool handleSignals)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(external);
        if (!handleSignals) return;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                // Cancel = true keeps the process alive until the pipeline has shut down cleanly.
                context.Cancel = true;
                Signal = context.Signal;
                _cancel.Cancel();
            }));
        }
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>The signal that stopped the run, if any.</summary>
    public PosixSignal? Signal { get; private set; }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancel.Dispose();
    }
}
