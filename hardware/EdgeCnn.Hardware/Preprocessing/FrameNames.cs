using EdgeCnn.Hardware.Camera;

namespace EdgeCnn.Hardware.Preprocessing;

/// <summary>How errors name a frame: its file name when the source has one (a folder camera), else its sequence number.</summary>
internal static class FrameNames
{
    public static string Of(in Frame frame) =>
        frame.Name is { Length: > 0 } name ? $"frame '{name}' ({frame.Format})" : $"frame #{frame.Sequence} ({frame.Format})";
}
