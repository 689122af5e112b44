using System.Globalization;

namespace EdgeCnn.Hardware.Camera;

/// <summary>
/// A parsed --camera value: "v4l2:/dev/video0", "v4l2:/dev/video0:640x480:mjpeg", "v4l2:1" (= /dev/video1), "rpicam",
/// "rpicam:1280x960", "folder:DIR", "file:PATH". Size and format are optional and may come in either order; sizes
/// default to <see cref="DefaultWidth"/>x<see cref="DefaultHeight"/>. Folder and file paths are taken verbatim (they may
/// contain ':'); a V4L2 device path may too (the /dev/v4l/by-path links do), so its options are read from the end.
/// </summary>
public sealed record CameraSpec(CameraKind Kind, string Text, string Path, int Width, int Height, PixelFormat? PixelFormat)
{
    public const int DefaultWidth = 640;
    public const int DefaultHeight = 480;
    public const int MaxDimension = 16384;

    /// <exception cref="CameraSpecException">The spec is malformed; the exception names the field.</exception>
    public static CameraSpec Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new CameraSpecException(text ?? "", "kind", "the spec is empty");
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? text : text[..colon];
        string? rest = colon < 0 ? null : text[(colon + 1)..];
        return kind.ToLowerInvariant() switch
        {
            "v4l2" => ParseV4l2(text, rest),
            "rpicam" or "libcamera" => ParseRpicam(text, rest),
            "folder" => ParsePath(text, CameraKind.Folder, rest),
            "file" => ParsePath(text, CameraKind.File, rest),
            _ => throw new CameraSpecException(text, "kind", $"unknown camera kind '{kind}'"),
        };
    }

    private static CameraSpec ParseV4l2(string text, string? rest)
    {
        if (rest is null)
            return new CameraSpec(CameraKind.V4l2, text, "/dev/video0", DefaultWidth, DefaultHeight, null);
        var parts = rest.Split(':').ToList();
        int? width = null, height = null;
        PixelFormat? format = null;
        // Options are trailing parts that look like a size (digits and 'x') or a word (letters only); anything else
        // belongs to the device path.
        while (parts.Count > 1 && parts[^1] is var part && (LooksLikeSize(part) || IsWord(part)))
        {
            if (LooksLikeSize(part))
            {
                if (width is not null)
                    throw new CameraSpecException(text, "size", "given twice");
                (width, height) = ParseSize(text, part);
            }
            else
            {
                if (format is not null)
                    throw new CameraSpecException(text, "format", "given twice");
                format = ParseFormat(text, part);
            }
            parts.RemoveAt(parts.Count - 1);
        }
        string device = string.Join(':', parts);
        if (device.Length == 0)
            throw new CameraSpecException(text, "device", "the device is empty (e.g. /dev/video0 or 0)");
        if (device.All(char.IsAsciiDigit))
        {
            if (!int.TryParse(device, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index > 255)
                throw new CameraSpecException(text, "device", $"'{device}' is not a video device number");
            device = $"/dev/video{index}";
        }
        else if (!device.StartsWith('/'))
        {
            throw new CameraSpecException(text, "device", $"'{device}' is neither an absolute device path nor a number");
        }
        return new CameraSpec(CameraKind.V4l2, text, device, width ?? DefaultWidth, height ?? DefaultHeight, format);
    }

    private static CameraSpec ParseRpicam(string text, string? rest)
    {
        if (rest is null)
            return new CameraSpec(CameraKind.Rpicam, text, "", DefaultWidth, DefaultHeight, null);
        if (rest.Contains(':', StringComparison.Ordinal))
            throw new CameraSpecException(text, "size", $"'{rest}' has more parts than the one size rpicam takes");
        (int width, int height) = ParseSize(text, rest);
        return new CameraSpec(CameraKind.Rpicam, text, "", width, height, null);
    }

    private static CameraSpec ParsePath(string text, CameraKind kind, string? rest)
    {
        if (string.IsNullOrWhiteSpace(rest))
            throw new CameraSpecException(text, "path", kind == CameraKind.Folder ? "the folder is missing (folder:DIR)" : "the file is missing (file:PATH)");
        return new CameraSpec(kind, text, rest, 0, 0, null);
    }

    private static (int Width, int Height) ParseSize(string text, string part)
    {
        int x = part.IndexOfAny(['x', 'X']);
        if (x <= 0 || x == part.Length - 1
            || !int.TryParse(part.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out int width)
            || !int.TryParse(part.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int height))
            throw new CameraSpecException(text, "size", $"'{part}' is not WIDTHxHEIGHT");
        if (width is < 1 or > MaxDimension || height is < 1 or > MaxDimension)
            throw new CameraSpecException(text, "size", $"{width}x{height} is outside 1..{MaxDimension}");
        return (width, height);
    }

    private static PixelFormat ParseFormat(string text, string part) => part.ToLowerInvariant() switch
    {
        "yuyv" or "yuy2" => Camera.PixelFormat.Yuyv,
        "mjpeg" or "mjpg" or "jpeg" => Camera.PixelFormat.Mjpeg,
        _ => throw new CameraSpecException(text, "format", $"'{part}' is not a supported pixel format (yuyv or mjpeg)"),
    };

    private static bool LooksLikeSize(string part) =>
        part.Length > 0 && char.IsAsciiDigit(part[0]) && part.All(c => char.IsAsciiDigit(c) || c is 'x' or 'X') && part.Any(c => c is 'x' or 'X');

    private static bool IsWord(string part) => part.Length > 0 && part.All(char.IsAsciiLetter);
}
