using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Models;

namespace EdgeCnn.Cli.Tests.Models;

public class TinyCnnFilesTests
{
    public static TheoryData<string> Files() => new(TinyCnnFiles.All().Select(f => f.RelativePath));

    [Theory]
    [MemberData(nameof(Files))]
    public void Committed_file_equals_what_the_builder_produces(string relativePath)
    {
        var expected = TinyCnnFiles.All().Single(f => f.RelativePath == relativePath).Bytes;
        string path = Path.Combine(RepositoryPaths.TinyCnnDirectory, relativePath);
        Assert.True(File.Exists(path), $"{path} is missing; regenerate with: dotnet run --project models/EdgeCnn.Models -- models/tiny-cnn");
        Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(path)),
            $"{path} differs from the builder's output; regenerate with: dotnet run --project models/EdgeCnn.Models -- models/tiny-cnn");
    }

    [Fact]
    public void The_cli_embeds_the_trained_model_its_labels_and_samples()
    {
        string directory = RepositoryPaths.FashionMnistDirectory;
        Assert.Equal(FashionMnistModelFiles.OnnxFileName, Cli.Models.DefaultModel.Name);
        Assert.Equal(File.ReadAllBytes(Path.Combine(directory, FashionMnistModelFiles.OnnxFileName)), Cli.Models.DefaultModel.OnnxBytes());
        Assert.Equal(FashionMnist.Labels, Cli.Models.DefaultModel.Labels());
        var samples = Cli.Models.DefaultModel.Samples();
        Assert.Equal(Enumerable.Range(0, 10).Select(FashionMnistModelFiles.SampleFileName).Order(StringComparer.Ordinal), samples.Select(s => s.FileName));
        foreach (var (file, png) in samples)
            Assert.Equal(File.ReadAllBytes(Path.Combine(directory, FashionMnistModelFiles.SamplesFolder, file)), png);
    }

    [Fact]
    public void Builder_is_deterministic_and_seed_dependent()
    {
        Assert.Equal(TinyCnn.Build(), TinyCnn.Build());
        var a = new SeededRandom(1);
        var b = new SeededRandom(2);
        Assert.NotEqual(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void SplitMix64_matches_its_published_reference_sequence()
    {
        // First outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
        var r = new SeededRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, r.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, r.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, r.NextUInt64());
    }
}
