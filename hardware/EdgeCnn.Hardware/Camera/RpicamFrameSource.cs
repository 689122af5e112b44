using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Camera;

/// <summary>
/// A Raspberry Pi camera module through the rpicam-apps command line (current Raspberry Pi OS), falling back to the
/// older name libcamera-still: one subprocess per capture,
/// <c>rpicam-still -n -t 1 --width W --height H -e jpg -o FILE</c>, and the JPEG it wrote becomes an
/// <see cref="PixelFormat.Mjpeg"/> frame. The image goes to a file in a private temporary folder rather than to
/// stdout so the tool's diagnostics (which it prints freely) never mix with the image. A subprocess per capture costs
/// the camera start-up each time (typically a few hundred ms); it suits triggered stills, not video rates.
/// </summary>
public sealed class RpicamFrameSource : IFrameSource
{
    /// <summary>The commands tried, in order.</summary>
    public static IReadOnlyList<string> Commands { get; } = ["rpicam-still", "libcamera-still"];

    private const int StderrLinesKept = 12;

    private readonly RpicamCameraOptions _options;
    private readonly string? _searchPath;
    private readonly TimeProvider _time;
    private string? _command;
    private DirectoryInfo? _workDirectory;
    private string _outputPath = "";
    private byte[] _data = [];
    private long _sequence;
    private bool _disposed;

    public RpicamFrameSource(RpicamCameraOptions options)
        : this(options, Environment.GetEnvironmentVariable("PATH"), TimeProvider.System)
    {
    }

    /// <param name="searchPath">Where to look for the commands (PATH syntax); tests point it at fake scripts.</param>
    internal RpicamFrameSource(RpicamCameraOptions options, string? searchPath, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Width is <= 0 or > 16384 || options.Height is <= 0 or > 16384)
            throw new ArgumentException($"rpicam camera: the size {options.Width}x{options.Height} is outside 1..16384.", nameof(options));
        if (options.WarmupMilliseconds < 1)
            throw new ArgumentException($"rpicam camera: WarmupMilliseconds {options.WarmupMilliseconds} must be at least 1 (0 makes rpicam-still run forever).", nameof(options));
        if (options.CameraIndex is < 0)
            throw new ArgumentException($"rpicam camera: CameraIndex {options.CameraIndex} is negative.", nameof(options));
        if (options.EffectiveCommandTimeout <= TimeSpan.Zero)
            throw new ArgumentException("rpicam camera: CommandTimeout must be positive.", nameof(options));
        _options = options;
        _searchPath = searchPath;
        _time = time;
        Format = new FrameFormat(options.Width, options.Height, PixelFormat.Mjpeg, 0);
        Description = $"rpicam {Format}";
    }

    public string Description { get; private set; }

    public FrameFormat Format { get; }

    /// <summary>The full path of the command in use (after Open).</summary>
    public string? CommandPath => _command;

    public void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_command is not null)
            throw new InvalidOperationException($"{Description} is already open.");
        string? command = Commands.Select(c => ExecutableSearch.Find(c, _searchPath)).FirstOrDefault(p => p is not null);
        if (command is null)
            throw new HardwareException($"Camera rpicam: neither {string.Join(" nor ", Commands)} was found on PATH (install the camera apps: sudo apt install rpicam-apps).");
        try
        {
            _workDirectory = Directory.CreateTempSubdirectory("edgecnn-rpicam-");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HardwareException($"Camera rpicam: cannot create a temporary folder for the captured images: {e.Message}", e);
        }
        _outputPath = Path.Combine(_workDirectory.FullName, "frame.jpg");
        _command = command;
        Description = $"rpicam {Format} via {Path.GetFileName(command)}";
    }

    public Frame Capture(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        string command = _command ?? throw new InvalidOperationException($"{Description}: Capture before Open.");
        cancellationToken.ThrowIfCancellationRequested();
        string name = Path.GetFileName(command);
        File.Delete(_outputPath);

        var stderr = new LineTail(StderrLinesKept);
        int exitCode = Run(command, stderr, cancellationToken);
        if (exitCode != 0)
            throw new HardwareException($"Camera rpicam: {name} exited with code {exitCode}: {stderr.Text()}");

        int length = ReadImage(name, stderr);
        return new Frame(Format, _data.AsMemory(0, length), _sequence++, _time.GetUtcNow());
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _command = null;
        try
        {
            _workDirectory?.Delete(recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary image is harmless; shutdown must not fail over it.
        }
    }

    /// <summary>The command line: no preview window, a short run, the requested size, JPEG to the output file.</summary>
    internal IReadOnlyList<string> Arguments()
    {
        var arguments = new List<string>
        {
            "-n", "-t", _options.WarmupMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--width", _options.Width.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--height", _options.Height.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-e", "jpg",
        };
        if (_options.CameraIndex is int camera)
            arguments.AddRange(["--camera", camera.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        arguments.AddRange(["-o", _outputPath]);
        return arguments;
    }

    private int Run(string command, LineTail output, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in Arguments())
            start.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        try
        {
            process.Start();
        }
        // Process.Start throws Win32Exception (an ExternalException); catching the base keeps the assembly off the
        // Microsoft.Win32.Primitives facade, which the dependency rule does not list.
        catch (ExternalException e)
        {
            throw new HardwareException($"Camera rpicam: cannot start {command}: {e.Message}", e);
        }
        // No input is ever given; closing stdin keeps a tool that waits for a keypress from hanging.
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        TimeSpan timeout = _options.EffectiveCommandTimeout;
        long started = _time.GetTimestamp();
        // Waiting in short slices lets cancellation and the timeout be noticed without an async wait.
        while (!process.WaitForExit(50))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Kill(process);
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (_time.GetElapsedTime(started) > timeout)
            {
                Kill(process);
                throw new HardwareException($"Camera rpicam: {Path.GetFileName(command)} did not finish within {timeout.TotalSeconds:0.#} s and was killed: {output.Text()}");
            }
        }
        // The parameterless wait also waits for the redirected output to reach end of file.
        process.WaitForExit();
        return process.ExitCode;
    }

    private int ReadImage(string name, LineTail output)
    {
        try
        {
            using var stream = new FileStream(_outputPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            long length = stream.Length;
            if (length < 4 || length > Array.MaxLength)
                throw new HardwareException($"Camera rpicam: {name} wrote a {length}-byte image: {output.Text()}");
            if (_data.Length < length)
                _data = new byte[length];
            stream.ReadExactly(_data, 0, (int)length);
            // Every JPEG starts with the SOI marker FF D8.
            if (_data[0] != 0xFF || _data[1] != 0xD8)
                throw new HardwareException($"Camera rpicam: {name} wrote {length} bytes that are not a JPEG (no FF D8 start marker).");
            return (int)length;
        }
        catch (FileNotFoundException e)
        {
            throw new HardwareException($"Camera rpicam: {name} exited successfully but wrote no image: {output.Text()}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HardwareException($"Camera rpicam: cannot read the image {name} wrote: {e.Message}", e);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    /// <summary>The last lines a subprocess printed, for error messages; filled from the output reader threads.</summary>
    private sealed class LineTail(int capacity)
    {
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (string.IsNullOrWhiteSpace(line))
                return;
            lock (_lines)
            {
                _lines.Enqueue(line.Trim());
                if (_lines.Count > capacity)
                    _lines.Dequeue();
            }
        }

        public string Text()
        {
            lock (_lines)
                return _lines.Count == 0 ? "(no output)" : string.Join(" | ", _lines);
        }
    }
}
