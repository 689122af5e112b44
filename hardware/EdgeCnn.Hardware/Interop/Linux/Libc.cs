namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>
/// The C library calls the camera code needs, one per file (Libc.Open.cs, Libc.Ioctl.cs, ...). Every call sets the
/// last P/Invoke error, so a failure's errno is read with <see cref="System.Runtime.InteropServices.Marshal.GetLastPInvokeError"/>
/// right after the call. "libc" is mapped to the platform C library (libc.so.6 on glibc) by the .NET loader.
/// </summary>
internal static partial class Libc
{
    internal const string Library = "libc";
}
