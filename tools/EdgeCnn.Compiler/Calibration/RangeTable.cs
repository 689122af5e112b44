using System.Security.Cryptography;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Calibration;

/// <summary>One row of a range table: the chosen range and, for the reviewer, what was observed.</summary>
/// <param name="Method">How the range was chosen: a <see cref="CalibrationMethod"/> or <c>manual</c> for a hand edit.</param>
public sealed record RangeTableEntry(string Tensor, TensorRange Range, string Method, int Samples, float ObservedMin, float ObservedMax);

/// <summary>
/// The reviewable step between calibration and quantization: one range per float32 tensor, plus what the
/// ranges were computed from (model file and hash, bound input shapes, method, sample count). Stored as
/// tab-separated text (docs/quantization.md): <see cref="RangeTableWriter"/> writes it, <see cref="RangeTableReader"/>
/// parses it strictly.
/// </summary>
public sealed class RangeTable
{
    private Dictionary<string, TensorRange>? _ranges;

    /// <summary>The model's file name (no directories, so the table does not depend on where it was made).</summary>
    public required string Model { get; init; }

    /// <summary>SHA-256 of the ONNX file's bytes, lowercase hex: the quantizer can tell whether the table fits.</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>The model's inputs as compiled, e.g. <c>x=1,3,48,192</c>, ';'-separated (see <see cref="DescribeInputs"/>).</summary>
    public required string Inputs { get; init; }

    public required string Method { get; init; }

    public required int Samples { get; init; }

    public required IReadOnlyList<RangeTableEntry> Entries { get; init; }

    /// <summary>Tensor name → range.</summary>
    public IReadOnlyDictionary<string, TensorRange> Ranges =>
        _ranges ??= Entries.ToDictionary(e => e.Tensor, e => e.Range, StringComparer.Ordinal);

    public static RangeTable Create(CalibrationStatistics statistics, CalibrationMethod method, string model, string modelSha256, string inputs)
    {
        string methodName = method.ToString();
        var entries = statistics.Select(method)
            .Select(r => new RangeTableEntry(r.Tensor.Name, r.Range, methodName, statistics.Samples, r.Tensor.Min, r.Tensor.Max))
            .ToList();
        return new RangeTable
        {
            Model = Path.GetFileName(model),
            ModelSha256 = modelSha256,
            Inputs = inputs,
            Method = methodName,
            Samples = statistics.Samples,
            Entries = entries,
        };
    }

    public static string DescribeInputs(CompiledModel model) =>
        string.Join("; ", model.Inputs.Select(i => $"{model.Tensors[i].Name}={string.Join(',', model.Tensors[i].Shape)}"));

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public void Save(string path) => RangeTableWriter.Save(this, path);

    public static RangeTable Load(string path, IReadOnlySet<string>? knownTensors = null) => RangeTableReader.Load(path, knownTensors);
}
