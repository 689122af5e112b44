using EdgeCnn.Hardware.Backends;

namespace EdgeCnn.Hardware.OnnxRuntime;

/// <summary>The fixed input shape the backend preallocates: the model's, with a symbolic batch dimension set to 1;
/// other symbolic dimensions (e.g. a text recognizer's width) need the shape from the caller.</summary>
internal static class OrtInputShape
{
    public static int[] Resolve(string path, string inputName, int[] modelDims, int[]? requested)
    {
        if (requested is not null)
        {
            bool fits = requested.Length == modelDims.Length && requested.All(d => d > 0)
                && requested.Zip(modelDims).All(p => p.Second <= 0 || p.First == p.Second);
            if (!fits)
                throw new BackendException($"'{path}': input shape [{string.Join(',', requested)}] does not fit input '{inputName}' [{Describe(modelDims)}]");
            return (int[])requested.Clone();
        }
        var shape = (int[])modelDims.Clone();
        if (shape.Length > 0 && shape[0] <= 0) shape[0] = 1;
        if (shape.Any(d => d <= 0))
            throw new BackendException($"'{path}': input '{inputName}' has symbolic dimensions [{Describe(modelDims)}]; give the input shape");
        return shape;
    }

    private static string Describe(int[] dims) => string.Join(',', dims.Select(d => d <= 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
