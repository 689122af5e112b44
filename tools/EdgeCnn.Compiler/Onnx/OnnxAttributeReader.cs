using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx.Proto;
using AttributeType = EdgeCnn.Compiler.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace EdgeCnn.Compiler.Onnx;

/// <summary>AttributeProto → <see cref="AttributeValue"/>. Subgraphs, sparse tensors and type protos are
/// not supported (no op EdgeCnn compiles uses them).</summary>
internal static class OnnxAttributeReader
{
    public static AttributeValue Read(AttributeProto a, string opType, string nodeName, int opset, string? directory)
    {
        var type = a.Type == AttributeType.Undefined ? Guess(a) : a.Type;
        switch (type)
        {
            case AttributeType.Float: return AttributeValue.Of(a.F);
            case AttributeType.Int: return AttributeValue.Of(a.I);
            case AttributeType.String: return AttributeValue.Of(a.S.ToStringUtf8());
            case AttributeType.Floats: return AttributeValue.Of(a.Floats.ToArray());
            case AttributeType.Ints: return AttributeValue.Of(a.Ints.ToArray());
            case AttributeType.Strings:
                return new AttributeValue { Kind = AttributeKind.Strings, Strings = a.Strings.Select(s => s.ToStringUtf8()).ToArray() };
            case AttributeType.Tensor:
                if (a.T is null) throw new OnnxImportException($"attribute '{a.Name}' of node '{nodeName}' ({opType}) is a tensor without data");
                return AttributeValue.Of(TensorProtoConverter.FromProto(a.T, $"attribute '{a.Name}' of node '{nodeName}' ({opType})", directory));
            case AttributeType.Graph or AttributeType.Graphs:
                throw new UnsupportedOperatorException(opType, nodeName, opset, $"attribute '{a.Name}' holds a subgraph (control flow is not supported)");
            default:
                throw new UnsupportedOperatorException(opType, nodeName, opset, $"attribute '{a.Name}' of type {type} is not supported");
        }
    }

    /// <summary>Very old writers leave the type unset; the populated field tells.</summary>
    private static AttributeType Guess(AttributeProto a) =>
        a.Ints.Count > 0 ? AttributeType.Ints
        : a.Floats.Count > 0 ? AttributeType.Floats
        : a.Strings.Count > 0 ? AttributeType.Strings
        : a.T is not null ? AttributeType.Tensor
        : a.G is not null ? AttributeType.Graph
        : a.SparseTensor is not null ? AttributeType.SparseTensor
        : !a.S.IsEmpty ? AttributeType.String
        : a.F != 0 ? AttributeType.Float
        : AttributeType.Int;
}
