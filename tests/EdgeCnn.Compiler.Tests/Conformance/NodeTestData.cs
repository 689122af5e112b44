using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Onnx.Proto;

namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>
/// Reads a node test's .pb tensors as the model declares them. ONNX 1.12 stores bfloat16 test tensors
/// as uint16 bit patterns (numpy has no bfloat16); such a tensor is reinterpreted when the model
/// declares the value as bfloat16.
/// </summary>
internal static class NodeTestData
{
    public static TensorData Read(string path, ValueInfoProto declared)
    {
        var data = TensorProtoIo.Read(path);
        if (declared.Type?.TensorType?.ElemType == (int)ElementType.BFloat16 && data.Type == ElementType.UInt16)
        {
            var bits = data.Longs!;
            var values = new float[bits.Length];
            for (int i = 0; i < bits.Length; i++) values[i] = BitConverter.Int32BitsToSingle((int)(bits[i] << 16));
            return TensorData.FromFloats(data.Shape, values, ElementType.BFloat16);
        }
        return data;
    }

    /// <summary>Why the data contradicts the model's static declaration of this value, or null.</summary>
    public static string? Contradiction(TensorData data, ValueInfoProto declared)
    {
        var shape = declared.Type?.TensorType?.Shape;
        if (shape is null) return null;
        bool conflict = shape.Dim.Count != data.Rank;
        for (int i = 0; !conflict && i < data.Rank; i++)
            conflict = shape.Dim[i].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && shape.Dim[i].DimValue != data.Shape[i];
        if (!conflict) return null;
        var dims = string.Join(',', shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.DimParam));
        return $"'{declared.Name}' has shape [{string.Join(',', data.Shape)}] in the test data, the model declares [{dims}]";
    }

    /// <summary>Why a declared graph value has no representation in EdgeCnn's IR (string, sequence,
    /// optional, map values), or null for an ordinary tensor.</summary>
    public static string? Unrepresentable(ValueInfoProto declared)
    {
        var type = declared.Type;
        if (type is null) return null;
        if (type.ValueCase != TypeProto.ValueOneofCase.TensorType)
            return $"'{declared.Name}' has a {type.ValueCase} type";
        if (type.TensorType.ElemType == (int)ElementType.String)
            return $"'{declared.Name}' is a string tensor";
        return null;
    }
}
