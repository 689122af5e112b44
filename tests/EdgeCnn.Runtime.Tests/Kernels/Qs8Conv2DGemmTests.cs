using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// The int8 convolution as tiled GEMMs (<see cref="Qs8Conv2DGemm"/>) on every vector path against
/// <see cref="Qs8Conv2DReference"/>, byte for byte: 1×1 in place (stride 1, strided, batch), 1×1 with padding,
/// 3×3/5×5/2×4/7×7 windows with strides, dilations, uneven pads, windows entirely on padding, groups (not
/// depthwise), channel counts 1..70 around the vector blocks, images larger than one gather tile, zero points
/// −128..127 and extreme codes. Outputs sit between sentinel guard zones; the scratch starts as garbage.
/// </summary>
public sealed class Qs8Conv2DGemmTests
{
    private const int Guard = 41;
    private const sbyte Sentinel = 0x5A;

    public static TheoryData<KernelPath> VectorPaths => Qs8GemmKernelTests.VectorPaths;

    [Theory]
    [MemberData(nameof(VectorPaths))]
    public void Convolution_matches_the_reference(KernelPath path)
    {
        Qs8GemmKernelTests.RequireSupported(path);
        var rng = new Random(17);
        int cases = 0;
        foreach (var g in Geometries())
        {
            Check(path, g, rng);
            cases++;
        }
        Assert.True(cases > 60, $"{cases} cases");
    }

    [Fact]
    public void One_by_one_windows_inside_the_input_read_it_in_place()
    {
        Assert.True(Qs8Conv2DGemm.ReadsInputInPlace(Window(1, 5, 5, 8, 8, 1, 1, 1, 1, 0, 0, 0, 0)));
        Assert.True(Qs8Conv2DGemm.ReadsInputInPlace(Window(1, 5, 5, 8, 8, 1, 1, 2, 1, 0, 0, 0, 0)));
        Assert.False(Qs8Conv2DGemm.ReadsInputInPlace(Window(1, 5, 5, 8, 8, 1, 1, 1, 1, 1, 1, 1, 1)));
        Assert.False(Qs8Conv2DGemm.ReadsInputInPlace(Window(1, 5, 5, 8, 8, 1, 1, 1, 1, 0, 0, 0, 0, group: 2)));
        Assert.False(Qs8Conv2DGemm.ReadsInputInPlace(Window(1, 5, 5, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1)));
        // A ceil-mode output whose last 1×1 window lies past the input reads padding, so it is gathered.
        Assert.False(Qs8Conv2DGemm.ReadsInputInPlace(new Spatial2DGeometry(1, 5, 5, 8, 4, 4, 8, 1, 1, 2, 2, 1, 1, 0, 0, 1, 1)));
    }

    private static IEnumerable<Spatial2DGeometry> Geometries()
    {
        foreach (int cin in new[] { 1, 3, 8, 13, 16, 33 })
        foreach (int cout in new[] { 1, 7, 16, 17, 40 })
        {
            yield return Window(1, 6, 5, cin, cout, 1, 1, 1, 1, 0, 0, 0, 0);
            yield return Window(2, 7, 6, cin, cout, 3, 3, 1, 1, 1, 1, 1, 1);
        }
        foreach (int c in new[] { 5, 24, 70 })
        {
            yield return Window(2, 9, 7, c, c + 3, 1, 1, 2, 1, 0, 0, 0, 0);                   // strided 1×1, in place
            yield return Window(1, 9, 7, c, c, 1, 1, 1, 1, 1, 0, 2, 1);                       // padded 1×1, gathered
            yield return Window(1, 9, 8, c, 2 * c, 3, 3, 2, 1, 1, 1, 1, 1);
            yield return Window(1, 11, 9, c, c, 5, 5, 1, 2, 2, 1, 3, 2);                      // dilated, uneven pads
            yield return Window(1, 6, 7, c, c, 2, 4, 2, 1, 0, 1, 1, 2, strideW: 1);
            yield return Window(1, 2, 3, c, 9, 3, 3, 1, 1, 3, 3, 3, 3);                       // windows entirely on padding
            yield return Window(1, 8, 8, c, 11, 7, 7, 2, 1, 3, 3, 3, 3);
        }
        foreach (var (cin, cout, group) in new[] { (6, 9, 3), (8, 8, 2), (16, 32, 4), (34, 17, 17), (12, 30, 6), (66, 66, 3) })
        {
            yield return Window(1, 7, 6, cin, cout, 3, 3, 1, 1, 1, 1, 1, 1, group: group);
            yield return Window(2, 5, 5, cin, cout, 1, 1, 1, 1, 0, 0, 0, 0, group: group);
            yield return Window(1, 9, 9, cin, cout, 3, 3, 2, 2, 2, 2, 2, 2, group: group);
        }
        // More output pixels than one gather tile holds (depth 3·3·96 = 864 gives 36-pixel tiles), with a ragged last tile.
        yield return Window(1, 13, 11, 96, 20, 3, 3, 1, 1, 1, 1, 1, 1);
        // A ceil-mode window hanging past the input.
        yield return new Spatial2DGeometry(1, 6, 6, 19, 3, 3, 21, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1);
    }

    private static Spatial2DGeometry Window(int batch, int h, int w, int cin, int cout, int kh, int kw, int stride, int dilation,
        int padTop, int padLeft, int padBottom, int padRight, int group = 1, int strideW = 0)
    {
        int sw = strideW == 0 ? stride : strideW;
        int oh = (h + padTop + padBottom - ((kh - 1) * dilation + 1)) / stride + 1;
        int ow = (w + padLeft + padRight - ((kw - 1) * dilation + 1)) / sw + 1;
        Assert.True(oh > 0 && ow > 0, "the test geometry has an output");
        return new Spatial2DGeometry(batch, h, w, cin, oh, ow, cout, kh, kw, stride, sw, dilation, dilation,
            padTop, padLeft, padBottom, padRight, group);
    }

    private static void Check(KernelPath path, in Spatial2DGeometry g, Random rng)
    {
        int depth = g.KernelHeight * g.KernelWidth * g.InGroupChannels;
        var x = Codes(rng, g.InputLength);
        var w = Codes(rng, g.OutChannels * depth);
        int[] bias = rng.Next(4) == 0 ? [] : Enumerable.Range(0, g.OutChannels).Select(_ => rng.Next(-30000, 30000)).ToArray();
        int zp = rng.Next(4) switch { 0 => -128, 1 => 127, _ => rng.Next(-128, 128) };
        var reals = Enumerable.Range(0, g.OutChannels).Select(_ => Math.Pow(2, -5 - rng.NextDouble() * 8) / Math.Sqrt(depth)).ToArray();
        var output = Qs8Requantization.FromReal(reals, rng.Next(-128, 128), rng.Next(2) == 0 ? -128 : rng.Next(-128, 0), 127);

        var expected = Guarded(g.OutputLength);
        Qs8Conv2DReference.Run(g, x, zp, w, bias, output, expected.AsSpan(Guard, g.OutputLength));

        var packed = Qs8GemmWeights.Pack(path, w, bias, g.Group, g.OutGroupChannels, depth, zp, output);
        var scratch = new byte[Qs8Conv2DGemm.ScratchBytes(g, packed)];
        Array.Fill(scratch, (byte)0xA7);
        var actual = Guarded(g.OutputLength);
        Qs8Conv2DGemm.Run(g, x, zp, packed, actual.AsSpan(Guard, g.OutputLength), scratch);

        for (int i = 0; i < expected.Length; i++)
            if (expected[i] != actual[i])
                Assert.Fail($"{path}, {g}, zp {zp}: byte {i - Guard} of the output{(i < Guard || i >= Guard + g.OutputLength ? " (guard zone)" : "")} is {actual[i]}, the reference gives {expected[i]}");
    }

    private static sbyte[] Guarded(int length)
    {
        var buffer = new sbyte[length + 2 * Guard];
        Array.Fill(buffer, Sentinel);
        return buffer;
    }

    private static sbyte[] Codes(Random rng, int count)
    {
        var data = new sbyte[count];
        for (int i = 0; i < count; i++)
        {
            int pick = rng.Next(10);
            data[i] = (sbyte)(pick == 0 ? -128 : pick == 1 ? 127 : rng.Next(-128, 128));
        }
        return data;
    }
}
