using System.CommandLine;
using EdgeCnn.Cli.IO;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Quantization.Qdq;

namespace EdgeCnn.Cli.Commands;

/// <summary>
/// <c>edgecnn quantize --emit-qdq FILE.onnx</c>: the int8 model also written as ONNX with QuantizeLinear/DequantizeLinear
/// pairs (docs/quantization.md, "QDQ export"), so ONNX Runtime runs the same integer model.
/// </summary>
internal static class EmitQdqOption
{
    public static Option<string?> Create() => new("--emit-qdq")
    {
        Description = "Also write the int8 model as an ONNX file with QuantizeLinear/DequantizeLinear pairs (QDQ) that ONNX Runtime runs as the same integer model",
    };

    /// <summary>The path, checked before any work is done (null when the option is absent).</summary>
    /// <exception cref="UsageException">The path does not name an .onnx file.</exception>
    public static string? Parse(ParseResult parse, Option<string?> option)
    {
        string? path = parse.GetValue(option);
        if (path is null) return null;
        if (!string.Equals(Path.GetExtension(path), ".onnx", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"--emit-qdq '{path}': the QDQ model must end in .onnx");
        return path;
    }

    /// <summary>Exports the quantized graph and writes it atomically, creating the folder if needed; returns the byte count.</summary>
    /// <exception cref="UnsupportedOperatorException">The graph holds an op the QDQ export has no ONNX form for.</exception>
    public static long Write(string path, Graph quantized)
    {
        byte[] bytes = QdqExporter.Export(quantized);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        AtomicFile.WriteAllBytes(path, bytes);
        return bytes.LongLength;
    }
}
