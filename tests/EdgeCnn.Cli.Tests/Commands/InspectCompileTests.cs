using System.Text.Json.Nodes;
using EdgeCnn.Cli.Tests.Support;

namespace EdgeCnn.Cli.Tests.Commands;

public class InspectCompileTests
{
    private static string OnnxPath => RepositoryPaths.TinyCnnOnnx;

    // TinyCnn, counted by hand from models/EdgeCnn.Models/TinyCnn.cs (BatchNorm folded into each conv as a bias):
    //   conv                 weights + bias      MACs = KH·KW·(Cin/g)·Cout·OH·OW
    //   stem 3→16 3×3 s2     432 + 16            27·16·16·16 = 110592
    //   block1 dw 16 3×3     144 + 16            9·16·16·16  =  36864
    //   block1 pw 16→32      512 + 32            16·32·16·16 = 131072
    //   block2 dw 32 3×3 s2  288 + 32            9·32·8·8    =  18432
    //   block2 pw 32→64      2048 + 64           32·64·8·8   = 131072
    //   block3 dw 64 3×3     576 + 64            9·64·8·8    =  36864
    //   block3 pw 64→64      4096 + 64           64·64·8·8   = 262144
    //   classifier 64→10     640 + 10            64·10       =    640
    private const long TinyCnnParams = 9034;
    private const long TinyCnnMacs = 727680;

    [Fact]
    public void Inspect_json_reports_hand_counted_totals()
    {
        var json = CliRun.Invoke("inspect", OnnxPath, "--json").Json();
        var totals = json["totals"]!;
        Assert.Equal(TinyCnnParams, (long)totals["params"]!);
        Assert.Equal(TinyCnnMacs, (long)totals["macs"]!);
        Assert.Equal(TinyCnnParams * 4, (long)totals["weightBytes"]!);
        long peak = (long)totals["peakActivationBytes"]!;
        // At least the stem conv's input (NCHW 3·32·32 floats, or its NHWC copy) and output (16·16·16 floats).
        Assert.True(peak >= (3 * 32 * 32 + 16 * 16 * 16) * 4, $"peak {peak}");
        Assert.True((long)totals["plannedArenaBytes"]! >= peak);

        var layers = json["layers"]!.AsArray();
        Assert.Equal((int)totals["ops"]!, layers.Count);
        Assert.Equal(TinyCnnMacs, layers.Sum(l => (long)l!["macs"]!));
        // Receptive field of the last conv's output: stem 3 (jump 2), dw 3+2·2 = 7, pw 7, dw s2 7+2·2 = 11 (jump 4),
        // pw 11, dw 11+2·4 = 19, pw 19; the residual Add takes max(19, 11) = 19.
        var convs = layers.Where(l => (string?)l!["op"] == "Conv2D").ToList();
        Assert.Equal(7, convs.Count);
        Assert.Equal([3.0, 7, 7, 11, 11, 19, 19], convs.Select(c => (double)c!["receptiveField"]![0]!));
        Assert.Equal("probabilities", (string?)json["outputs"]![0]!["name"]);
        Assert.Equal(new JsonArray(1, 3, 32, 32).ToJsonString(), json["inputs"]![0]!["shape"]!.ToJsonString());
    }

    [Fact]
    public void Inspect_reports_the_arena_a_session_plans()
    {
        var json = CliRun.Invoke("inspect", OnnxPath, "--json").Json();
        var session = new EdgeCnn.Runtime.Session(EdgeCnn.Compiler.ModelCompiler.Compile(OnnxPath));
        Assert.Equal(session.PlannedArenaBytes, (long)json["totals"]!["plannedArenaBytes"]!);
    }

    [Fact]
    public void Inspect_without_optimizations_keeps_the_macs()
    {
        var json = CliRun.Invoke("inspect", OnnxPath, "--no-optimize", "--json").Json();
        Assert.Equal(TinyCnnMacs, (long)json["totals"]!["macs"]!);
    }

    [Fact]
    public void Inspect_prints_a_table_and_totals()
    {
        var run = CliRun.Invoke("inspect", OnnxPath);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Conv2D", run.Output);
        Assert.Contains("[1,16,16,16]", run.Output);
        Assert.Contains("9,034", run.Output);
        Assert.Contains("727,680", run.Output);
        Assert.Contains("peak activations", run.Output);
        Assert.Contains("planned arena", run.Output);
    }

    // The default model (models/fashion-mnist, architecture in models/README.md), counted by hand, BatchNorm folded:
    //   conv                    weights + bias      MACs
    //   stem 1→16 3×3 at 28²    144 + 16            9·16·28·28     =   112896
    //   dw 16 3×3 s2 → 14²      144 + 16            9·16·14·14     =    28224
    //   pw 16→64                1024 + 64           16·64·14·14    =   200704
    //   dw 64 3×3               576 + 64            9·64·14·14     =   112896
    //   pw 64→128               8192 + 128          64·128·14·14   =  1605632
    //   dw 128 3×3 s2 → 7²      1152 + 128          9·128·7·7      =    56448
    //   pw 128→128              16384 + 128         128·128·7·7    =   802816
    //   dw 128 3×3              1152 + 128          9·128·7·7      =    56448
    //   pw 128→256              32768 + 256         128·256·7·7    =  1605632
    //   dw 256 3×3              2304 + 256          9·256·7·7      =   112896
    //   pw 256→256              65536 + 256         256·256·7·7    =  3211264
    //   classifier 256→10       2560 + 10           256·10         =     2560
    // plus the two scalars of the model's own input normalization (x − mean) / std, which a padded conv cannot absorb.
    [Fact]
    public void Inspect_without_a_model_reports_the_hand_counted_default_model()
    {
        var json = CliRun.Invoke("inspect", "--json").Json();
        Assert.Equal("fashion-mnist-dwsep.onnx", (string?)json["model"]);
        Assert.Equal(133_386 + 2, (long)json["totals"]!["params"]!);
        Assert.Equal(7_908_416, (long)json["totals"]!["macs"]!);
        Assert.Equal(new JsonArray(1, 1, 28, 28).ToJsonString(), json["inputs"]![0]!["shape"]!.ToJsonString());
    }

    [Fact]
    public void Compile_writes_an_ecnn_that_runs_and_inspects_like_the_onnx()
    {
        using var dir = new TempDirectory();
        string ecnn = dir.File("tiny.ecnn");
        var compiled = CliRun.Invoke("compile", OnnxPath, "-o", ecnn, "--json").Json();
        Assert.Equal(new FileInfo(ecnn).Length, (long)compiled["bytes"]!);
        Assert.Equal(TinyCnnParams, (long)compiled["params"]!);
        Assert.True((int)compiled["ops"]! > 0);

        var fromOnnx = CliRun.Invoke("inspect", OnnxPath, "--json").Json();
        var fromEcnn = CliRun.Invoke("inspect", ecnn, "--json").Json();
        Assert.Equal(fromOnnx["totals"]!.ToJsonString(), fromEcnn["totals"]!.ToJsonString());
        Assert.Equal(fromOnnx["layers"]!.ToJsonString(), fromEcnn["layers"]!.ToJsonString());

        string image = RepositoryPaths.Sample("checkerboard.png");
        CliRun.Invoke("run", OnnxPath, "--input", image, "-o", dir.File("a")).AssertSucceeded();
        CliRun.Invoke("run", ecnn, "--input", image, "-o", dir.File("b")).AssertSucceeded();
        Assert.Equal(File.ReadAllBytes(dir.File("a/output_0.pb")), File.ReadAllBytes(dir.File("b/output_0.pb")));
    }

    [Fact]
    public void Compile_prints_size_ops_and_params()
    {
        using var dir = new TempDirectory();
        var run = CliRun.Invoke("compile", OnnxPath, "--output", dir.File("m.ecnn"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("bytes", run.Output);
        Assert.Contains("ops", run.Output);
        Assert.Contains("9,034", run.Output);
    }

    [Fact]
    public void Missing_model_is_named()
    {
        CliRun.Invoke("inspect", "/no/such/model.onnx").AssertFailed(1, "/no/such/model.onnx");
        CliRun.Invoke("run", "/no/such/model.ecnn", "--input", RepositoryPaths.Sample("disc.png")).AssertFailed(1, "/no/such/model.ecnn");
    }

    [Fact]
    public void Garbage_models_are_named_and_leave_no_output()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("bad.onnx"), [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x42, 0x13]);
        File.WriteAllText(dir.File("bad.ecnn"), "not a model");
        CliRun.Invoke("inspect", dir.File("bad.onnx")).AssertFailed(1, "bad.onnx");
        CliRun.Invoke("inspect", dir.File("bad.ecnn")).AssertFailed(1, "bad.ecnn");
        CliRun.Invoke("compile", dir.File("bad.onnx"), "-o", dir.File("out.ecnn")).AssertFailed(1, "bad.onnx");
        Assert.Equal(["bad.ecnn", "bad.onnx"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Truncated_ecnn_is_rejected()
    {
        using var dir = new TempDirectory();
        string ecnn = dir.File("m.ecnn");
        CliRun.Invoke("compile", OnnxPath, "-o", ecnn).AssertSucceeded();
        var bytes = File.ReadAllBytes(ecnn);
        File.WriteAllBytes(ecnn, bytes[..(bytes.Length / 2)]);
        CliRun.Invoke("inspect", ecnn).AssertFailed(1, "m.ecnn");
    }

    [Theory]
    [InlineData("x=1,a")]
    [InlineData("nodims")]
    [InlineData("x=0,3")]
    public void Bad_input_shape_is_a_usage_error(string value) =>
        CliRun.Invoke("inspect", OnnxPath, "--input-shape", value).AssertFailed(2, "--input-shape");

    [Fact]
    public void Input_shape_on_an_ecnn_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("compile", OnnxPath, "-o", dir.File("m.ecnn")).AssertSucceeded();
        CliRun.Invoke("inspect", dir.File("m.ecnn"), "--input-shape", "input=1,3,32,32").AssertFailed(2, "--input-shape");
    }

    [Fact]
    public void Compile_usage_errors()
    {
        CliRun.Invoke("compile", OnnxPath).AssertFailed(2, "--output");
        CliRun.Invoke("compile", OnnxPath, "-o", "model.bin").AssertFailed(2, "model.bin");
        CliRun.Invoke("compile", "m.ecnn", "-o", "x.ecnn").AssertFailed(2, "m.ecnn");
    }

    [Fact]
    public void Unknown_command_and_option_are_usage_errors()
    {
        CliRun.Invoke("frobnicate").AssertFailed(2, "frobnicate");
        CliRun.Invoke("inspect", "--bogus").AssertFailed(2, "--bogus");
        CliRun.Invoke().AssertFailed(2, "edgecnn");
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        var run = CliRun.Invoke("inspect", "/no/such/model.onnx", "--verbose");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("   at ", run.Error);
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var run = CliRun.Invoke("--help");
        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "inspect", "compile", "run" }) Assert.Contains(command, run.Output);
        var runHelp = CliRun.Invoke("run", "--help");
        Assert.Equal(0, runHelp.ExitCode);
        foreach (var option in new[] { "--input", "--output", "--labels", "--top", "--size", "--mean", "--std", "--bgr", "--json" })
            Assert.Contains(option, runHelp.Output);
    }
}
