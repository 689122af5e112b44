namespace EdgeCnn.Runtime.Preprocessing;

/// <summary>
/// Where an image lands in the tensor: it is resampled to <see cref="ResizedHeight"/>×<see cref="ResizedWidth"/>, the
/// window starting at (<see cref="Top"/>, <see cref="Left"/>) of size <see cref="ContentHeight"/>×<see cref="ContentWidth"/>
/// is written to the tensor's top-left corner, and whatever remains of the tensor is padding.
/// </summary>
public readonly record struct ResizeGeometry(long ResizedHeight, long ResizedWidth, long Top, long Left, int ContentHeight, int ContentWidth)
{
    public static ResizeGeometry For(int imageHeight, int imageWidth, ImagePreprocessing p)
    {
        if (imageHeight <= 0 || imageWidth <= 0) throw new ArgumentException($"image size {imageHeight}x{imageWidth} must be positive");
        switch (p.Fit)
        {
            case ImageFit.Stretch:
                return new ResizeGeometry(p.Height, p.Width, 0, 0, p.Height, p.Width);

            case ImageFit.PadRight:
            {
                // PaddleOCR: ratio = w / float(h); resized_w = min(W, ceil(H * ratio)), in double precision.
                double ratio = imageWidth / (double)imageHeight;
                double wanted = Math.Ceiling(p.Height * ratio);
                int width = wanted >= p.Width ? p.Width : Math.Max(1, (int)wanted);
                return new ResizeGeometry(p.Height, width, 0, 0, p.Height, width);
            }

            case ImageFit.CenterCrop:
            {
                // torchvision Resize(int): the short side becomes S, the long side int(S * long / short) (truncated);
                // CenterCrop: offset = round((resized − crop) / 2), Python's round (half to even).
                long side = p.ResolvedShortSide;
                long height, width;
                if (imageWidth <= imageHeight)
                {
                    width = side;
                    height = (long)(side * (double)imageHeight / imageWidth);
                }
                else
                {
                    height = side;
                    width = (long)(side * (double)imageWidth / imageHeight);
                }
                long top = (long)Math.Round((height - p.Height) / 2.0, MidpointRounding.ToEven);
                long left = (long)Math.Round((width - p.Width) / 2.0, MidpointRounding.ToEven);
                return new ResizeGeometry(height, width, top, left, p.Height, p.Width);
            }

            default:
                throw new ArgumentException($"unknown resize mode {p.Fit}");
        }
    }
}
