using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Compiler.Onnx;

/// <summary>
/// Imports an ONNX model (ai.onnx opsets 9–21) into an IR <see cref="Graph"/> with static shapes and
/// types on every value.
/// <list type="bullet">
/// <item>Weights come from initializers and Constant nodes; graph inputs listed in
/// <see cref="ImportOptions.ConstantInputs"/> or as initializers become constants.</item>
/// <item>Dynamic input dims are bound from <see cref="ImportOptions.InputShapes"/>; an unbound leading
/// (batch) dim becomes 1, any other unbound dim is an error. Runtime graph inputs are float32.</item>
/// <item>Nodes whose inputs are all constant are evaluated and disappear (shape chains, weight math);
/// Shape of a statically shaped value always folds.</item>
/// <item>Nothing else is rewritten: nodes keep their ONNX op type, attributes and input conventions as
/// the file wrote them (<see cref="Graph.Opset"/> tells which convention applies; read them through
/// <see cref="OnnxOpArguments"/>). Anonymous nodes are named "{OpType}_{index}".</item>
/// <item>Ops outside <see cref="OnnxOperatorSupport.RuntimeOps"/> that do not fold, other domains and
/// unsupported attribute values raise <see cref="UnsupportedOperatorException"/>; malformed input raises
/// <see cref="OnnxImportException"/> naming the file, node, tensor or field.</item>
/// </list>
/// </summary>
public static class OnnxImporter
{
    public const int MinOpset = 9;
    public const int MaxOpset = 21;

    public static Graph Load(string path, ImportOptions options)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OnnxImportException($"cannot read ONNX model '{path}': {ex.Message}", ex);
        }
        return Import(bytes, path, Path.GetDirectoryName(Path.GetFullPath(path)), options);
    }

    public static Graph Load(byte[] data, string sourceName, ImportOptions options) =>
        Import(data, sourceName, null, options);

    public static Graph Load(ReadOnlySpan<byte> data, string sourceName, ImportOptions options) =>
        Import(data, sourceName, null, options);

    private static Graph Import(ReadOnlySpan<byte> data, string source, string? directory, ImportOptions options)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OnnxImportException($"'{source}' is not a valid ONNX model: {ex.Message}", ex);
        }
        if (model.Graph is null)
            throw new OnnxImportException($"'{source}' is not a valid ONNX model: it has no graph");

        var reader = new OnnxGraphReader(model, source, directory, options);
        try
        {
            return reader.Read();
        }
        catch (UnsupportedOperatorException)
        {
            throw;
        }
        catch (OnnxImportException ex)
        {
            throw new OnnxImportException($"'{source}': {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OverflowException
            or IndexOutOfRangeException or NullReferenceException or FormatException or KeyNotFoundException
            or DivideByZeroException or InvalidCastException)
        {
            // A file the checks above let through still never escapes as a runtime exception.
            throw new OnnxImportException($"'{source}': cannot import {reader.Location}: {ex.Message}", ex);
        }
    }
}
