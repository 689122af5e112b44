namespace EdgeCnn.Hardware.Camera;

/// <summary>Finds a command on a PATH-style search list, as a shell would, so a missing command is reported before
/// any capture is attempted.</summary>
internal static class ExecutableSearch
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <returns>The full path of the first executable file named <paramref name="command"/>, or null.</returns>
    public static string? Find(string command, string? searchPath)
    {
        if (string.IsNullOrEmpty(searchPath))
            return null;
        foreach (string directory in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, command);
            if (!File.Exists(candidate))
                continue;
            if (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & AnyExecute) != 0)
                return candidate;
        }
        return null;
    }
}
