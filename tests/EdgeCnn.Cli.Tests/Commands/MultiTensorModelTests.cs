using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary>Models with several inputs and outputs, and with dynamic dimensions, built with OnnxModelBuilder.</summary>
public class MultiTensorModelTests
{
    /// <summary>sum = a + b, product = a · b, both [1, 4], or [batch, n] with both dims dynamic.</summary>
    private static string TwoInTwoOut(TempDirectory dir, bool dynamic = false)
    {
        var b = new OnnxModelBuilder(opset: 13);
        int[] shape = dynamic ? [-1, -1] : [1, 4];
        b.AddInput("a", shape, dimNames: ["batch", "n"]);
        b.AddInput("b", shape, dimNames: ["batch", "n"]);
        b.AddNode("Add", ["a", "b"], ["sum"]);
        b.AddNode("Mul", ["a", "b"], ["product"]);
        b.AddOutput("sum");
        b.AddOutput("product");
        string path = dir.File(dynamic ? "dynamic.onnx" : "two.onnx");
        b.Save(path);
        return path;
    }

    [Fact]
    public void Several_inputs_feed_in_order_and_every_output_is_written()
    {
        using var dir = new TempDirectory();
        string model = TwoInTwoOut(dir);
        float[] a = [1, 2, 3, 4], b = [0.5f, -1, 10, 0];
        NpyFile.Write(dir.File("a.npy"), TensorData.FromFloats([1, 4], a));
        TensorProtoIo.Write(dir.File("b.pb"), TensorData.FromFloats([4], b));
        var json = CliRun.Invoke("run", model, "--input", dir.File("a.npy"), "--input", dir.File("b.pb"), "--output", dir.File("out"), "--json").Json();

        Assert.Equal(["a", "b"], json["inputFiles"]!.AsArray().Select(f => (string)f!["input"]!));
        var sum = TensorProtoIo.Read(dir.File("out/output_0.pb"), out string sumName);
        var product = TensorProtoIo.Read(dir.File("out/output_1.pb"), out string productName);
        Assert.Equal(("sum", "product"), (sumName, productName));
        Assert.Equal(a.Zip(b, (x, y) => x + y), sum.Floats!);
        Assert.Equal(a.Zip(b, (x, y) => x * y), product.Floats!);
        // Both outputs are single rows, so both get a top-K list; the largest sum is 3 + 10 at index 2.
        Assert.Equal(2, (int)json["results"]![0]!["top"]![0]!["index"]!);
        Assert.Equal(13.0, (double)json["results"]![0]!["top"]![0]!["score"]!);
    }

    [Fact]
    public void Too_few_inputs_name_the_model_inputs()
    {
        using var dir = new TempDirectory();
        string model = TwoInTwoOut(dir);
        NpyFile.Write(dir.File("a.npy"), TensorData.FromFloats([1, 4], new float[4]));
        var run = CliRun.Invoke("run", model, "--input", dir.File("a.npy"));
        run.AssertFailed(2, "'a'");
        Assert.Contains("'b'", run.Error);
    }

    [Fact]
    public void Dynamic_dims_are_bound_with_input_shape()
    {
        using var dir = new TempDirectory();
        string model = TwoInTwoOut(dir, dynamic: true);
        var json = CliRun.Invoke("inspect", model, "--input-shape", "a=3,4", "--input-shape", "b=3,4", "--json").Json();
        Assert.Equal("[3,4]", json["inputs"]![0]!["shape"]!.ToJsonString());
        Assert.Equal("[3,4]", json["outputs"]![1]!["shape"]!.ToJsonString());

        NpyFile.Write(dir.File("x.npy"), TensorData.FromFloats([3, 4], Enumerable.Range(0, 12).Select(i => (float)i).ToArray()));
        var run = CliRun.Invoke("run", model, "--input-shape", "a=3,4", "--input-shape", "b=3,4",
            "--input", dir.File("x.npy"), "--input", dir.File("x.npy"), "--output", dir.File("out"));
        Assert.True(run.ExitCode == 0, run.Error);
        // Several rows: statistics instead of a top-K list.
        Assert.Contains("min 0", run.Output);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)(i * i)), TensorProtoIo.Read(dir.File("out/output_1.pb")).Floats!);
    }

    [Fact]
    public void Unbound_dynamic_dims_are_a_model_error_naming_the_input()
    {
        // The importer binds a dynamic leading (batch) dim to 1 by itself, but not the others.
        using var dir = new TempDirectory();
        var run = CliRun.Invoke("inspect", TwoInTwoOut(dir, dynamic: true));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("dynamic.onnx", run.Error);
        Assert.Contains("'a'", run.Error);
    }
}
