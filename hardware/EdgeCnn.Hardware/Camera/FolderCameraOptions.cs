namespace EdgeCnn.Hardware.Camera;

/// <summary>A folder of images (or one image file) standing in for a camera.</summary>
/// <param name="Path">A directory (its PNG, JPEG and BMP files, in ordinal name order) or a single image file.</param>
/// <param name="Cycle">Start again at the first image after the last; when false the source is exhausted after one
/// pass and <see cref="IFrameSource.Capture"/> throws <see cref="FrameSourceExhaustedException"/>.</param>
public sealed record FolderCameraOptions(string Path, bool Cycle = true);
