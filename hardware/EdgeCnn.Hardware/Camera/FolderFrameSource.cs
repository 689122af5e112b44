namespace EdgeCnn.Hardware.Camera;

/// <summary>
/// Replays image files as frames (<see cref="PixelFormat.EncodedFile"/>; decoding is the preprocessor's job): the
/// PNG/JPEG/BMP files of a folder sorted by name, or one file. The listing is taken at Open; each capture reads the
/// next file into a reused buffer, so a frame's data is valid until the next capture.
/// </summary>
public sealed class FolderFrameSource : IFrameSource
{
    /// <summary>The file extensions taken from a folder (compared case-insensitively).</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".jpg", ".jpeg", ".bmp"];

    private readonly FolderCameraOptions _options;
    private readonly TimeProvider _time;
    private string[] _files = [];
    private int _next;
    private long _sequence;
    private byte[] _data = [];
    private bool _opened;
    private bool _disposed;

    public FolderFrameSource(FolderCameraOptions options) : this(options, TimeProvider.System)
    {
    }

    internal FolderFrameSource(FolderCameraOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
            throw new ArgumentException("Folder camera: the path is empty.", nameof(options));
        _options = options;
        _time = time;
        Description = $"folder:{options.Path}";
    }

    public string Description { get; private set; }

    public FrameFormat Format { get; } = new(0, 0, PixelFormat.EncodedFile, 0);

    /// <summary>The files replayed, in order (after Open).</summary>
    public IReadOnlyList<string> Files => _files;

    public void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_opened)
            throw new InvalidOperationException($"{Description} is already open.");
        string path = _options.Path;
        string mode = _options.Cycle ? "cycling" : "once";
        if (Directory.Exists(path))
        {
            string[] files;
            try
            {
                files = Directory.EnumerateFiles(path).Where(IsImage).OrderBy(System.IO.Path.GetFileName, StringComparer.Ordinal).ToArray();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new HardwareException($"Camera folder:{path}: cannot list the folder: {e.Message}", e);
            }
            if (files.Length == 0)
                throw new HardwareException($"Camera folder:{path}: the folder contains no {string.Join("/", ImageExtensions)} images.");
            _files = files;
            Description = $"folder:{path} ({files.Length} images, {mode})";
        }
        else if (File.Exists(path))
        {
            if (!IsImage(path))
                throw new HardwareException($"Camera file:{path}: not a {string.Join("/", ImageExtensions)} image (by its extension).");
            _files = [path];
            Description = $"file:{path} ({mode})";
        }
        else
        {
            throw new HardwareException($"Camera {path}: no such folder or file.");
        }
        _next = 0;
        _opened = true;
    }

    public Frame Capture(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_opened)
            throw new InvalidOperationException($"{Description}: Capture before Open.");
        cancellationToken.ThrowIfCancellationRequested();
        if (_next == _files.Length)
        {
            if (!_options.Cycle)
                throw new FrameSourceExhaustedException($"Camera {Description}: all {_files.Length} images have been captured.");
            _next = 0;
        }
        string file = _files[_next++];
        int length = ReadFile(file);
        return new Frame(Format, _data.AsMemory(0, length), _sequence++, _time.GetUtcNow(), System.IO.Path.GetFileName(file));
    }

    public void Dispose()
    {
        _disposed = true;
        _files = [];
        _data = [];
    }

    private int ReadFile(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            long length = stream.Length;
            if (length == 0)
                throw new HardwareException($"Camera {Description}: {file} is empty.");
            if (length > Array.MaxLength)
                throw new HardwareException($"Camera {Description}: {file} is too large ({length} bytes).");
            if (_data.Length < length)
                _data = new byte[length];
            stream.ReadExactly(_data, 0, (int)length);
            return (int)length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HardwareException($"Camera {Description}: cannot read {file}: {e.Message}", e);
        }
    }

    private static bool IsImage(string path)
    {
        string extension = System.IO.Path.GetExtension(path);
        return ImageExtensions.Any(e => e.Equals(extension, StringComparison.OrdinalIgnoreCase));
    }
}
