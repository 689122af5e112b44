using System.Buffers.Binary;

namespace EdgeCnn.Device;

/// <summary>Reads a model input from a file: .npy (float32 or float64, C order) or raw little-endian float32.</summary>
public static class TensorFile
{
    /// <summary>Fills <paramref name="destination"/> (the model input's element count) from the file at <paramref name="path"/>.</summary>
    public static void Read(string path, Span<float> destination, string inputName)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeviceUsageException($"{path}: cannot read the input file ({e.Message})");
        }
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) ReadNpy(bytes, path, destination, inputName);
        else ReadRaw(bytes, path, destination, inputName);
    }

    /// <summary>A .npy file's data as float32; its element count must be that of <paramref name="destination"/>.</summary>
    public static void ReadNpy(ReadOnlySpan<byte> file, string path, Span<float> destination, string inputName)
    {
        NpyHeader header;
        try
        {
            header = NpyHeader.Parse(file, path);
        }
        catch (InvalidDataException e)
        {
            throw new DeviceUsageException(e.Message);
        }
        if (header.FortranOrder)
            throw new DeviceUsageException($"{path}: Fortran-order arrays are not supported (save with numpy.ascontiguousarray)");
        if (header.ElementCount != destination.Length)
            throw new DeviceUsageException(
                $"{path}: the array has shape ({string.Join(", ", header.Shape)}), {header.ElementCount} elements; model input '{inputName}' takes {destination.Length}");
        int size = header.Descr switch
        {
            "<f4" => 4,
            "<f8" => 8,
            _ => throw new DeviceUsageException($"{path}: dtype '{header.Descr}' is not supported (little-endian float32 '<f4' or float64 '<f8')"),
        };
        ReadOnlySpan<byte> data = file[header.DataOffset..];
        if (data.Length != (long)size * destination.Length)
            throw new DeviceUsageException($"{path}: {data.Length} data bytes after the header, expected {(long)size * destination.Length}");
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = size == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * 4, 4))
                : (float)BinaryPrimitives.ReadDoubleLittleEndian(data.Slice(i * 8, 8));
        }
    }

    /// <summary>Raw little-endian float32 values, exactly as many as <paramref name="destination"/> holds.</summary>
    public static void ReadRaw(ReadOnlySpan<byte> file, string path, Span<float> destination, string inputName)
    {
        if (file.Length != 4L * destination.Length)
            throw new DeviceUsageException(
                $"{path}: {file.Length} bytes; model input '{inputName}' takes {destination.Length} float32 values ({4L * destination.Length} bytes)");
        for (int i = 0; i < destination.Length; i++)
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(file.Slice(i * 4, 4));
    }
}
