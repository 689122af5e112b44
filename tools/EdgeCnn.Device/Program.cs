using System.Runtime.InteropServices;
using EdgeCnn.Device;
using EdgeCnn.Runtime.Model;

// Exit codes: 0 done, 1 the model or the runtime failed, 2 a usage or input error.
DeviceOptions options;
try
{
    options = DeviceOptions.Parse(args);
}
catch (DeviceUsageException e)
{
    Console.Error.WriteLine($"edgecnn-device: {e.Message}");
    Console.Error.WriteLine(DeviceOptions.Usage);
    return 2;
}

// systemd stops a service with SIGTERM: finish the file in hand, then exit 0 instead of being killed mid-write.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

try
{
    return Runner.Run(options, Console.OpenStandardOutput(), stop.Token);
}
catch (DeviceUsageException e)
{
    Console.Error.WriteLine($"edgecnn-device: {e.Message}");
    return 2;
}
catch (Exception e) when (e is ModelFormatException or NotSupportedException or IOException or UnauthorizedAccessException or InvalidOperationException)
{
    Console.Error.WriteLine($"edgecnn-device: {e.Message}");
    return 1;
}
