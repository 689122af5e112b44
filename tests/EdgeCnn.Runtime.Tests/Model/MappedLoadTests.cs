using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Model;

/// <summary>ModelReader.Load(path, mapped: true): the same model as the copying load, weights read from the mapping,
/// the same validation, and a clear end once the model is disposed.</summary>
public sealed class MappedLoadTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"edgecnn-mapped-{Guid.NewGuid():N}.ecnn");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Mapped_model_runs_like_the_copied_one()
    {
        File.WriteAllBytes(_path, HandWrittenModelFile.MulByConstant());
        using var mapped = ModelReader.Load(_path, mapped: true);
        var copied = ModelReader.Load(_path);

        var output = new float[4];
        new Session(mapped).Run([1f, 2f, 3f, 4f], output);
        Assert.Equal([2f, 6f, 15f, 28f], output);
        Assert.Equal(copied.ConstantFloats(1).ToArray(), mapped.ConstantFloats(1).ToArray());
    }

    [Fact]
    public void Running_a_mapped_model_allocates_nothing()
    {
        File.WriteAllBytes(_path, HandWrittenModelFile.MulByConstant());
        using var model = ModelReader.Load(_path, mapped: true);
        var session = new Session(model);
        float[] input = [1f, 2f, 3f, 4f];
        var output = new float[4];
        session.Run(input, output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) session.Run(input, output);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Disposed_mapped_model_refuses_to_run()
    {
        File.WriteAllBytes(_path, HandWrittenModelFile.MulByConstant());
        var model = ModelReader.Load(_path, mapped: true);
        var session = new Session(model);
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run([1f, 2f, 3f, 4f], new float[4]));
    }

    [Fact]
    public void Corrupt_file_is_refused_when_mapped_too()
    {
        var bytes = HandWrittenModelFile.MulByConstant();
        bytes[^1] ^= 1;
        File.WriteAllBytes(_path, bytes);
        Assert.Contains("checksum mismatch", Assert.Throws<ModelFormatException>(() => ModelReader.Load(_path, mapped: true)).Message);

        File.WriteAllBytes(_path, []);
        Assert.Contains("shorter than the 32-byte .ecnn header", Assert.Throws<ModelFormatException>(() => ModelReader.Load(_path, mapped: true)).Message);
    }
}
