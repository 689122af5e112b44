namespace EdgeCnn.Device;

/// <summary>A wrong command line or an input that does not fit the model: printed as one error line, exit code 2.</summary>
public sealed class DeviceUsageException(string message) : Exception(message);
