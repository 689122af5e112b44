using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Cli.IO;

/// <summary>Reads an input tensor from any format the CLI accepts, chosen by extension:
/// .npy (NumPy), .pb (ONNX TensorProto, the format of ONNX test data) or an image.</summary>
public static class TensorFile
{
    public static bool IsTensorPath(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".npy" or ".pb";

    /// <param name="imagePreprocessing">How to turn an image into a tensor; called only for image files so that
    /// the caller can derive the size from the model input the file feeds.</param>
    public static TensorData Read(string path, Func<ImagePreprocessing> imagePreprocessing)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".npy") return NpyFile.Read(path);
        if (extension == ".pb") return ReadTensorProto(path);
        if (ImageTensor.IsImagePath(path)) return ImageTensor.Load(path, imagePreprocessing());
        throw new InputFileException(path, $"unknown input format '{extension}' (expected .npy, .pb, {string.Join(", ", ImageTensor.Extensions)})");
    }

    /// <summary>Malformed content raises the importer's <see cref="OnnxImportException"/>, whose message names the file.</summary>
    public static TensorData ReadTensorProto(string path)
    {
        if (!File.Exists(path)) throw new InputFileException(path, "file not found");
        return TensorProtoIo.Read(path);
    }
}
