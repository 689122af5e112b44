using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Cli.Tests.IO;

public class TensorFileTests
{
    private static ImagePreprocessing NoImages() => throw new InvalidOperationException("not an image");

    [Fact]
    public void Reads_tensor_proto_files()
    {
        using var dir = new TempDirectory();
        string path = dir.File("input_0.pb");
        TensorProtoIo.Write(path, TensorData.FromFloats([1, 2], [1.5f, -2f]), "x");
        var t = TensorFile.Read(path, NoImages);
        Assert.Equal([1, 2], t.Shape);
        Assert.Equal([1.5f, -2f], t.Floats);
    }

    [Fact]
    public void Reads_npy_files()
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.NPY");
        NpyFile.Write(path, TensorData.FromLongs([3], [1, 2, 3]));
        Assert.Equal([1L, 2, 3], TensorFile.Read(path, NoImages).Longs);
    }

    [Fact]
    public void Images_ask_for_their_preprocessing()
    {
        bool asked = false;
        var t = TensorFile.Read(RepositoryPaths.Sample("disc.png"), () =>
        {
            asked = true;
            return new ImagePreprocessing { Height = 8, Width = 8 };
        });
        Assert.True(asked);
        Assert.Equal([1, 3, 8, 8], t.Shape);
    }

    [Fact]
    public void Unknown_extension_and_garbage_pb_name_the_file()
    {
        using var dir = new TempDirectory();
        string txt = dir.File("x.txt");
        File.WriteAllText(txt, "1 2 3");
        Assert.Contains(txt, Assert.Throws<InputFileException>(() => TensorFile.Read(txt, NoImages)).Message);

        string pb = dir.File("bad.pb");
        File.WriteAllBytes(pb, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]);
        Assert.Contains(pb, Assert.Throws<OnnxImportException>(() => TensorFile.Read(pb, NoImages)).Message);

        Assert.Contains("not found", Assert.Throws<InputFileException>(() => TensorFile.Read(dir.File("missing.pb"), NoImages)).Message);
    }
}
