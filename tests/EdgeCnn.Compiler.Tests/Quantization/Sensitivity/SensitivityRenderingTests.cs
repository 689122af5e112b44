using System.Text;
using System.Text.Json.Nodes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Quantization.Report;
using EdgeCnn.Compiler.Quantization.Sensitivity;

namespace EdgeCnn.Compiler.Tests.Quantization.Sensitivity;

/// <summary>The sensitivity report as JSON and as a section of report.html, from a report written by hand.</summary>
public sealed class SensitivityRenderingTests
{
    private static VariantQuality Quality(double sqnr, double cosine, double? top1) =>
        new(sqnr, [new OutputQuality("logits", cosine, cosine - 0.01, top1, 0.5)]);

    private static SensitivityReport Report() => new()
    {
        Samples = 7,
        KeptFloat = ["head"],
        FullInt8 = Quality(24.5, 0.99, 0.9),
        Layers =
        [
            new LayerSensitivity(1, "conv<&>\"1\"", "Conv2D", Int8Role.Weighted, Quality(26, 0.995, 1)),
            new LayerSensitivity(2, "add", "Binary", Int8Role.Elementwise, Quality(double.PositiveInfinity, 1, 1)),
        ],
        Skipped = [new SkippedNode("lonely", "Concat", "why not")],
        Suggestion = new KeepFloatSuggestion(30, 5, ["conv<&>\"1\""], true,
            [new SuggestionStep([], Quality(24.5, 0.99, 0.9)), new SuggestionStep(["conv<&>\"1\""], Quality(33.24, 0.999, 1))]),
    };

    [Fact]
    public void Json_holds_every_figure_and_writes_exact_variants_as_null()
    {
        var json = JsonNode.Parse(SensitivityJson.ToJson(Report()).ToJsonString())!;
        Assert.Equal(7, (int)json["samples"]!);
        Assert.Equal("head", (string)json["keptFloat"]![0]!);
        Assert.Equal(24.5, (double)json["fullInt8"]!["sqnrDb"]!);
        var layers = json["layers"]!.AsArray();
        Assert.Equal("conv<&>\"1\"", (string)layers[0]!["node"]!);
        Assert.Equal("Weighted", (string)layers[0]!["role"]!);
        Assert.Equal(0.995, (double)layers[0]!["meanCosine"]!);
        Assert.Equal(0.985, (double)layers[0]!["minCosine"]!, 12);
        Assert.Null(layers[1]!["sqnrDb"]);
        Assert.Equal("why not", (string)json["skipped"]![0]!["reason"]!);
        var suggestion = json["suggestion"]!;
        Assert.True((bool)suggestion["reached"]!);
        Assert.Equal(33.24, (double)suggestion["steps"]![1]!["sqnrDb"]!);
        Assert.Equal("conv<&>\"1\"", (string)suggestion["steps"]![1]!["keepFloat"]![0]!);
    }

    [Fact]
    public void Html_section_escapes_names_and_states_the_suggestion()
    {
        var html = new StringBuilder();
        SensitivityHtml.Append(html, Report());
        string text = html.ToString();
        Assert.Contains("<h2>Sensitivity: one node int8 at a time</h2>", text);
        Assert.Contains("conv&lt;&amp;&gt;&quot;1&quot;", text);
        Assert.DoesNotContain("conv<&>", text);
        Assert.Contains("reaches the target (output SQNR 33.2 dB)", text);
        Assert.Contains("exact", text); // the variant equal to float
        Assert.Contains("lonely", text);
    }
}
