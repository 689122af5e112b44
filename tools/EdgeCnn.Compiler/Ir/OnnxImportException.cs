namespace EdgeCnn.Compiler.Ir;

/// <summary>The ONNX file cannot be imported: malformed, or uses something EdgeCnn does not support.
/// The message names the file, node, tensor or field.</summary>
public class OnnxImportException : Exception
{
    public OnnxImportException(string message) : base(message) { }
    public OnnxImportException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>An op (or an op's attribute value) EdgeCnn does not support. Names op type, node and opset.</summary>
public sealed class UnsupportedOperatorException : OnnxImportException
{
    public UnsupportedOperatorException(string opType, string nodeName, int opset, string? detail = null)
        : base($"unsupported operator {opType} (node '{nodeName}', opset {opset}){(detail is null ? "" : ": " + detail)}")
    {
        OpType = opType;
        NodeName = nodeName;
        Opset = opset;
    }

    public string OpType { get; }
    public string NodeName { get; }
    public int Opset { get; }
}
