using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>The matrix view of a FullyConnected op, float32 or int8 alike: X read as M rows of K, weights
/// W[Cout,K] (rank 2, checked by the caller), and Y holding M·Cout values with Cout as its last axis.</summary>
internal static class FullyConnectedShape
{
    /// <summary><paramref name="invalid"/> builds the op's own error, so messages name the op.</summary>
    public static (int M, int K, int OutChannels) Read(TensorInfo x, TensorInfo w, TensorInfo y, Func<string, ModelFormatException> invalid)
    {
        int outChannels = w.Shape[0], k = w.Shape[1];
        if (k == 0) throw invalid($"weights '{w.Name}' {ShapeMath.Text(w.Shape)} have no input features");
        if (x.ElementCount % k != 0)
            throw invalid($"input '{x.Name}' {ShapeMath.Text(x.Shape)} cannot be read as rows of K={k} (weights {ShapeMath.Text(w.Shape)})");
        int m = (int)(x.ElementCount / k);
        if (y.ElementCount != (long)m * outChannels || y.Rank == 0 || y.Shape[^1] != outChannels)
            throw invalid($"output '{y.Name}' {ShapeMath.Text(y.Shape)} is not [{m},{outChannels}] for input {ShapeMath.Text(x.Shape)} and weights {ShapeMath.Text(w.Shape)}");
        return (m, k, outChannels);
    }
}
