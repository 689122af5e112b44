using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Compiler.Onnx;

/// <summary>
/// Reads and writes single tensors as serialized ONNX TensorProto messages — the <c>.pb</c> files of
/// ONNX's test data (<c>test_data_set_0/input_0.pb</c>) and of <c>edgecnn run --output</c>.
/// </summary>
public static class TensorProtoIo
{
    public static TensorData Read(string path) => Read(path, out _);

    /// <summary>Reads a tensor file; <paramref name="name"/> receives the tensor's name ("" if unnamed).</summary>
    public static TensorData Read(string path, out string name)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OnnxImportException($"cannot read tensor file '{path}': {ex.Message}", ex);
        }
        return Parse(bytes, path, Path.GetDirectoryName(Path.GetFullPath(path)), out name);
    }

    public static TensorData FromBytes(ReadOnlySpan<byte> bytes, string sourceName) => FromBytes(bytes, sourceName, out _);

    public static TensorData FromBytes(ReadOnlySpan<byte> bytes, string sourceName, out string name) =>
        Parse(bytes, sourceName, null, out name);

    private static TensorData Parse(ReadOnlySpan<byte> bytes, string sourceName, string? directory, out string name)
    {
        TensorProto proto;
        try
        {
            proto = TensorProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OnnxImportException($"'{sourceName}' is not a valid TensorProto: {ex.Message}", ex);
        }
        name = proto.Name;
        return TensorProtoConverter.FromProto(proto, $"tensor '{proto.Name}' in '{sourceName}'", directory);
    }

    public static byte[] ToBytes(TensorData data, string name = "") =>
        TensorProtoConverter.ToProto(data, name).ToByteArray();

    public static void Write(string path, TensorData data, string name = "") =>
        File.WriteAllBytes(path, ToBytes(data, name));
}
