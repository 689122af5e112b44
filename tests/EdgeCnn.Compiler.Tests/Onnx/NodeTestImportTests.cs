using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Onnx.Proto;
using EdgeCnn.Compiler.Tests.Conformance;

namespace EdgeCnn.Compiler.Tests.Onnx;

/// <summary>
/// Import-level check over ONNX's node conformance data: every test whose ops are all in the issue's
/// list imports (or is refused for a named, expected reason), and the inferred output shapes — and,
/// where every input is bound as a constant, the folded values — equal the expected outputs.
/// </summary>
public class NodeTestImportTests
{
    /// <summary>Refusals that are correct: features outside the float32 inference scope.</summary>
    private static readonly string[] ExpectedRefusals =
    [
        "EdgeCnn imports opsets", "graph inputs are float32", "training mode", "mode 'cubic'", "tf_crop_and_resize",
        "only 1-D and 2-D spatial", "Indices output", "cast to String", "String is not supported",
    ];

    private static IEnumerable<string> InScopeTests(string root)
    {
        foreach (var dir in Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal))
        {
            var model = Path.Combine(dir, "model.onnx");
            if (!File.Exists(model)) continue;
            var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(model));
            // Sequence- and optional-typed tests (Identity over a sequence) are not tensor programs.
            if (proto.Graph.Input.Any(i => i.Type?.TensorType is null)) continue;
            if (proto.Graph.Node.All(n => n.Domain is "" or "ai.onnx" && IssueOperators.InScope.Contains(n.OpType)))
                yield return dir;
        }
    }

    private static List<(string Name, TensorData Data)> Tensors(string dir, string prefix)
    {
        var set = Path.Combine(dir, "test_data_set_0");
        var list = new List<(string, TensorData)>();
        for (int i = 0; File.Exists(Path.Combine(set, $"{prefix}_{i}.pb")); i++)
        {
            var t = TensorProtoIo.Read(Path.Combine(set, $"{prefix}_{i}.pb"), out var name);
            list.Add((name, t));
        }
        return list;
    }

    [Fact]
    public void In_scope_node_tests_import_with_the_expected_output_shapes()
    {
        var root = OnnxTestData.NodeDirectory;
        if (root is null) { OnnxTestData.FailOrSkipMissing(OnnxTestData.MissingMessage); return; }
        var failures = new List<string>();
        int imported = 0, refused = 0;
        var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var dir in InScopeTests(root))
        {
            string test = Path.GetFileName(dir);
            try
            {
                var inputs = Tensors(dir, "input");
                var outputs = Tensors(dir, "output");
                // The first input is runtime data; later ones are bound when EdgeCnn needs them constant.
                var constants = inputs.Skip(1).ToDictionary(i => i.Name, i => i.Data);
                Graph g;
                try
                {
                    g = OnnxImporter.Load(Path.Combine(dir, "model.onnx"), new ImportOptions());
                }
                catch (OnnxImportException) when (constants.Count > 0)
                {
                    g = OnnxImporter.Load(Path.Combine(dir, "model.onnx"), new ImportOptions { ConstantInputs = constants });
                }
                for (int i = 0; i < outputs.Count; i++)
                    if (!g.Outputs[i].Shape!.SequenceEqual(outputs[i].Data.Shape))
                        failures.Add($"{test}: output {i} inferred [{string.Join(',', g.Outputs[i].Shape!)}], expected [{string.Join(',', outputs[i].Data.Shape)}]");
                imported++;
            }
            catch (OnnxImportException ex) when (ExpectedRefusals.Any(ex.Message.Contains))
            {
                refused++;
                var reason = ExpectedRefusals.First(ex.Message.Contains);
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
            catch (Exception ex)
            {
                failures.Add($"{test}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(imported >= 240, $"only {imported} in-scope node tests imported ({refused} refused: {string.Join(", ", reasons.Select(r => $"{r.Key} ×{r.Value}"))})");
    }

    [Fact]
    public void Fully_constant_node_tests_fold_to_the_expected_values()
    {
        var root = OnnxTestData.NodeDirectory;
        if (root is null) { OnnxTestData.FailOrSkipMissing(OnnxTestData.MissingMessage); return; }
        var failures = new List<string>();
        int folded = 0;
        foreach (var dir in InScopeTests(root))
        {
            string test = Path.GetFileName(dir);
            // ONNX 1.12's data stores bfloat16 test tensors as uint16 bit patterns.
            if (test.Contains("BFLOAT16", StringComparison.Ordinal)) continue;
            Graph g;
            List<(string Name, TensorData Data)> outputs;
            try
            {
                var constants = Tensors(dir, "input").ToDictionary(i => i.Name, i => i.Data);
                outputs = Tensors(dir, "output");
                g = OnnxImporter.Load(Path.Combine(dir, "model.onnx"), new ImportOptions { ConstantInputs = constants });
            }
            catch (OnnxImportException)
            {
                continue; // refusals are covered above
            }
            if (!g.Outputs.All(o => o.IsConstant)) continue;
            folded++;
            for (int i = 0; i < outputs.Count; i++)
            {
                var got = g.Outputs[i].Constant!.AsFloats();
                var want = outputs[i].Data.AsFloats();
                if (!g.Outputs[i].Shape!.SequenceEqual(outputs[i].Data.Shape)) { failures.Add($"{test}: output {i} shape"); continue; }
                for (int k = 0; k < want.Length; k++)
                {
                    bool ok = (float.IsNaN(got[k]) && float.IsNaN(want[k])) || Math.Abs(got[k] - want[k]) <= 1e-5f + 1e-4f * Math.Abs(want[k]);
                    if (!ok) { failures.Add($"{test}: output {i}[{k}] = {got[k]}, expected {want[k]}"); break; }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(folded > 100, $"only {folded} node tests folded completely");
    }
}
