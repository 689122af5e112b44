namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>One ONNX node test directory (model.onnx + test_data_set_N/) and what its graph uses.</summary>
internal sealed record NodeTest(
    string Name,
    string Directory,
    int Opset,
    IReadOnlyList<string> Ops,
    IReadOnlyList<string> OutOfScopeOps,
    string? OutOfScopeReason,
    int? RaisedOpset = null)
{
    /// <summary>The opset the test is compiled at: <see cref="RaisedOpset"/> when <see cref="OpsetUpgrade"/>
    /// raised it, else the model's own.</summary>
    public int CompileOpset => RaisedOpset ?? Opset;

    public bool InScope => OutOfScopeReason is null;

    public string ModelPath => Path.Combine(Directory, "model.onnx");

    /// <summary>The data-set directories, in numeric order.</summary>
    public IReadOnlyList<string> DataSets() =>
        System.IO.Directory.GetDirectories(Directory, "test_data_set_*")
            .OrderBy(d => int.TryParse(Path.GetFileName(d)["test_data_set_".Length..], out var k) ? k : int.MaxValue)
            .ToList();
}
