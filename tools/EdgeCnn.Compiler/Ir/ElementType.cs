namespace EdgeCnn.Compiler.Ir;

/// <summary>Element types of the IR. Values equal ONNX's TensorProto.DataType codes.</summary>
public enum ElementType
{
    Undefined = 0,
    Float32 = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Float64 = 11,
    UInt32 = 12,
    UInt64 = 13,
    BFloat16 = 16,
}

public static class ElementTypeExtensions
{
    /// <summary>Stored as <see cref="TensorData.Floats"/> (true) or <see cref="TensorData.Longs"/> (false).</summary>
    public static bool IsFloatingPoint(this ElementType t) => t is ElementType.Float32 or ElementType.Float64 or ElementType.Float16 or ElementType.BFloat16;

    public static bool IsInteger(this ElementType t) => t is ElementType.UInt8 or ElementType.Int8 or ElementType.UInt16 or ElementType.Int16
        or ElementType.Int32 or ElementType.Int64 or ElementType.UInt32 or ElementType.UInt64 or ElementType.Bool;

    public static string OnnxName(this ElementType t) => t switch
    {
        ElementType.Float32 => "float", ElementType.Float64 => "double", ElementType.Float16 => "float16",
        ElementType.BFloat16 => "bfloat16", ElementType.Int64 => "int64", ElementType.Int32 => "int32",
        ElementType.Int16 => "int16", ElementType.Int8 => "int8", ElementType.UInt8 => "uint8",
        ElementType.UInt16 => "uint16", ElementType.UInt32 => "uint32", ElementType.UInt64 => "uint64",
        ElementType.Bool => "bool", ElementType.String => "string", _ => "undefined",
    };
}
