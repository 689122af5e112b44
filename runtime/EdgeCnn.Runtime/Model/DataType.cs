namespace EdgeCnn.Runtime.Model;

/// <summary>Element type of a tensor as stored in an .ecnn file. Values are part of the file format.</summary>
public enum DataType : byte
{
    Float32 = 1,
    Int8 = 2,
    UInt8 = 3,
    Int32 = 4,
    Int64 = 5,
}

public static class DataTypeExtensions
{
    public static int SizeInBytes(this DataType type) => type switch
    {
        DataType.Float32 => 4,
        DataType.Int8 => 1,
        DataType.UInt8 => 1,
        DataType.Int32 => 4,
        DataType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown data type"),
    };

    public static bool IsDefined(DataType type) => type is >= DataType.Float32 and <= DataType.Int64;
}
