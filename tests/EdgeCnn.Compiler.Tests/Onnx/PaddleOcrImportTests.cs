using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Tests.OnnxRuntime;

namespace EdgeCnn.Compiler.Tests.Onnx;

/// <summary>The real PaddleOCR models (paddle2onnx: every weight in a Constant node, shape chains
/// feeding Reshape) import with every shape inferred; output shapes agree with ONNX Runtime.</summary>
public class PaddleOcrImportTests
{
    public static TheoryData<string, int[], int[]> Models => new()
    {
        { OcrModels.Classifier, [1, 3, 48, 192], [1, 2] },
        { OcrModels.Detector, [1, 3, 640, 640], [1, 1, 640, 640] },
        { OcrModels.Recognizer, [1, 3, 48, 320], [1, 40, 6625] },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Imports_with_static_shapes_everywhere(string file, int[] input, int[] output)
    {
        var path = OcrModels.Require(file);

        var g = OnnxImporter.Load(path, new ImportOptions { InputShapes = new Dictionary<string, int[]> { ["x"] = input } });

        g.Validate();
        Assert.Equal(input, Assert.Single(g.Inputs).Shape);
        Assert.Equal(output, Assert.Single(g.Outputs).Shape);
        foreach (var v in g.AllValues())
        {
            Assert.True(v.Shape is not null, $"{v.Name} has no shape");
            Assert.True(v.Type != ElementType.Undefined, $"{v.Name} has no type");
        }
        // Constant nodes became weights and the shape chains folded away.
        Assert.DoesNotContain(g.Nodes, n => n.OpType is "Constant" or "Shape" or "Cast");
        Assert.All(g.Nodes, n => Assert.Contains(n.OpType, OnnxOperatorSupport.RuntimeOps));
        Assert.All(g.Nodes.Where(n => n.OpType is "Conv" or "ConvTranspose"), n => Assert.True(n.Inputs[1]!.IsConstant));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Output_size_agrees_with_onnx_runtime(string file, int[] input, int[] output)
    {
        var path = OcrModels.Require(file);
        int count = input.Aggregate(1, (a, d) => a * d);
        using var ort = OrtReference.FromFile(path);

        var y = ort.Run([(ort.InputNames[0], OnnxTestModels.Random(count, 3), input)])[0];

        Assert.Equal(output.Aggregate(1, (a, d) => a * d), y.Length);
    }

    [Fact]
    public void Recognizer_width_is_a_dynamic_dim_that_must_be_bound()
    {
        var path = OcrModels.Require(OcrModels.Recognizer);

        var ex = Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(path, new ImportOptions()));

        Assert.Contains("graph input 'x'", ex.Message);
        Assert.Contains("--input-shape x=", ex.Message);
    }
}
