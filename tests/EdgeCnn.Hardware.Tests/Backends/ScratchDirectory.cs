namespace EdgeCnn.Hardware.Tests.Backends;

/// <summary>A private temporary folder for a test's model files, deleted afterwards.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"edgecnn-backend-{Guid.NewGuid():N}");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file ONNX Runtime still maps must not fail the test; the OS temp cleaner takes it.
        }
    }
}
