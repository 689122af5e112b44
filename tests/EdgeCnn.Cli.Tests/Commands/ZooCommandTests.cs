using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler;
using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Cli.Tests.Commands;

public class ZooCommandTests
{
    [Fact]
    public void List_names_every_architecture_with_its_defaults()
    {
        var text = CliRun.Invoke("zoo", "list");
        text.AssertSucceeded();
        foreach (var name in new[] { "lenet5", "alexnet", "googlenet", "mobilenet-v3-small", "shufflenet-v2", "dilated-hdc" })
            Assert.Contains(name, text.Output);

        var models = CliRun.Invoke("zoo", "list", "--json").Json()["models"]!.AsArray();
        Assert.Equal(17, models.Count);
        var lenet = models.Single(m => (string)m!["name"]! == "lenet5")!;
        Assert.Equal(32, (int)lenet["defaults"]!["resolution"]!);
        Assert.Equal(10, (int)lenet["defaults"]!["classes"]!);
        var resnet = models.Single(m => (string)m!["name"]! == "resnet50")!;
        Assert.Equal(224, (int)resnet["defaults"]!["resolution"]!);
        Assert.Equal(1000, (int)resnet["defaults"]!["classes"]!);
    }

    [Fact]
    public void Export_writes_an_onnx_model_with_the_requested_configuration()
    {
        using var dir = new TempDirectory();
        string path = dir.File("nested/mv2.onnx");
        var json = CliRun.Invoke("zoo", "export", "mobilenet-v2", "--width", "0.5", "--resolution", "96", "--classes", "7",
            "-o", path, "--json").Json();
        Assert.Equal(new FileInfo(path).Length, (long)json["bytes"]!);
        Assert.Equal(0.5, (double)json["config"]!["width"]!);

        // The file is what the importer reads: input [1,3,96,96], output [1,7].
        var model = ModelCompiler.Compile(OnnxImporter.Load(path, new ImportOptions()));
        Assert.Equal([1, 3, 96, 96], model.Tensors[model.Inputs[0]].Shape);
        Assert.Equal([1, 7], model.Tensors[model.Outputs[0]].Shape);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left behind
    }

    [Fact]
    public void Export_without_options_uses_the_architecture_standard_and_is_reproducible()
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("zoo", "export", "LeNet5", "-o", dir.File("a.onnx")).AssertSucceeded();
        var text = CliRun.Invoke("zoo", "export", "lenet5", "-o", dir.File("b.onnx"));
        text.AssertSucceeded();
        Assert.Contains("input    input [1,1,32,32]", text.Output);
        Assert.Equal(File.ReadAllBytes(dir.File("a.onnx")), File.ReadAllBytes(dir.File("b.onnx")));
        CliRun.Invoke("zoo", "export", "lenet5", "--seed", "7", "-o", dir.File("c.onnx")).AssertSucceeded();
        Assert.NotEqual(File.ReadAllBytes(dir.File("a.onnx")), File.ReadAllBytes(dir.File("c.onnx")));
    }

    [Theory]
    [InlineData("resnet19", "unknown model 'resnet19'")]
    [InlineData("alexnet --resolution 32", "alexnet: resolution 32 is too small")]
    [InlineData("lenet5 --width 0", "lenet5: width 0 is out of range")]
    [InlineData("lenet5 --classes -3", "classes -3 is out of range")]
    [InlineData("lenet5 --width wide", "--width")]
    public void Bad_requests_are_usage_errors_that_leave_an_existing_file_alone(string arguments, string message)
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.onnx");
        File.WriteAllText(path, "previous");
        string[] args = ["zoo", "export", .. arguments.Split(' '), "-o", path];
        CliRun.Invoke(args).AssertFailed(2, message);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Export_refuses_an_output_that_is_not_onnx()
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("zoo", "export", "lenet5", "-o", dir.File("model.ecnn")).AssertFailed(2, "must end in .onnx");
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
