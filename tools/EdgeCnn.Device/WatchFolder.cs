namespace EdgeCnn.Device;

/// <summary>
/// The service mode: polls a folder for tensor files, oldest name first, hands each to a callback and moves it to
/// done/ (or failed/ when the callback rejected it), so a restarted service never runs a file twice. Polling rather
/// than inotify: a file is only picked up once its final name exists, which writers reach with an atomic rename.
/// </summary>
public static class WatchFolder
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static void Run(string directory, Action<string> process, Action<string> reportError, CancellationToken stop)
    {
        if (!Directory.Exists(directory)) throw new DeviceUsageException($"{directory}: the --watch directory does not exist");
        string done = Directory.CreateDirectory(Path.Combine(directory, "done")).FullName;
        string failed = Directory.CreateDirectory(Path.Combine(directory, "failed")).FullName;
        while (!stop.IsCancellationRequested)
        {
            bool any = false;
            foreach (string path in Pending(directory))
            {
                if (stop.IsCancellationRequested) return;
                any = true;
                string target = done;
                try
                {
                    process(path);
                }
                catch (DeviceUsageException e)
                {
                    reportError(e.Message);
                    target = failed;
                }
                File.Move(path, Path.Combine(target, Path.GetFileName(path)), overwrite: true);
            }
            if (!any) stop.WaitHandle.WaitOne(PollInterval);
        }
    }

    private static string[] Pending(string directory)
    {
        string[] files = Directory.GetFiles(directory)
            .Where(f => f.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }
}
