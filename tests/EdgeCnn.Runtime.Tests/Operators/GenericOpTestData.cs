using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Operators;

/// <summary>Helpers for the layout-agnostic op tests: random data, row-major index math written out by
/// hand (the naive references use it instead of the runtime's strides), tolerance checks, and a check
/// that a bad model is rejected when the session is created.</summary>
internal static class GenericOpTestData
{
    public static float[] Random(Random rng, int count, float low = -1f, float high = 1f)
    {
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = low + (float)rng.NextDouble() * (high - low);
        return data;
    }

    public static int Count(int[] shape)
    {
        int n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }

    /// <summary>Coordinates of flat index <paramref name="flat"/> in a row-major tensor of <paramref name="shape"/>.</summary>
    public static int[] Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int a = shape.Length - 1; a >= 0; a--)
        {
            index[a] = flat % shape[a];
            flat /= shape[a];
        }
        return index;
    }

    public static int Ravel(int[] index, int[] shape)
    {
        int flat = 0;
        for (int a = 0; a < shape.Length; a++) flat = flat * shape[a] + index[a];
        return flat;
    }

    /// <summary>The numpy broadcast of two shapes that are known to broadcast.</summary>
    public static int[] BroadcastShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            result[i] = Math.Max(da, db);
        }
        return result;
    }

    /// <summary>Maps an output coordinate to the operand's flat index: right-aligned axes, size-1 axes pinned to 0.</summary>
    public static int BroadcastSource(int[] outIndex, int[] shape)
    {
        int offset = outIndex.Length - shape.Length;
        var index = new int[shape.Length];
        for (int i = 0; i < shape.Length; i++) index[i] = shape[i] == 1 ? 0 : outIndex[i + offset];
        return Ravel(index, shape);
    }

    /// <summary>|actual − expected| ≤ atol + rtol·|expected| everywhere.</summary>
    public static void AssertClose(double[] expected, float[] actual, double rtol = 1e-5, double atol = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]))
            {
                Assert.True(float.IsNaN(actual[i]), $"element {i}: expected NaN, got {actual[i]}");
                continue;
            }
            if (double.IsInfinity(expected[i]))
            {
                Assert.True(expected[i] == actual[i], $"element {i}: expected {expected[i]}, got {actual[i]}");
                continue;
            }
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= atol + rtol * Math.Abs(expected[i]),
                $"element {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R} (error {error:E2})");
        }
    }

    public static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();

    /// <summary>Creating a session over the one-op model must fail with a message that names the op and says what.</summary>
    public static void AssertRejected(OpCode code, OpParams parameters, IReadOnlyList<TestTensor> inputs, int[][] outputShapes, string fragment)
    {
        var model = OneOpModel.Build(code, parameters, inputs, outputShapes);
        var error = Assert.Throws<ModelFormatException>(() => new Session(model));
        Assert.Contains("'op'", error.Message);
        Assert.Contains(fragment, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    public static TestTensor In(int[] shape, float[] data) => TestTensor.Input(shape, data);

    public static TestTensor Const(int[] shape, float[] data) => TestTensor.Constant(shape, data);

    public static TestTensor Zeros(params int[] shape) => TestTensor.Input(shape, new float[Count(shape)]);
}
