using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Tests.Threading;

/// <summary>
/// Row slices of a convolution: the float reference kernel run slice by slice over every part must write the
/// bits it writes on the whole geometry (each output element sees the same taps in the same order), over
/// strides, dilations, asymmetric and oversized pads, ceil-mode windows, groups and batches, for 1..5 parts.
/// </summary>
public sealed class Spatial2DRowSlicesTests
{
    [Fact]
    public void Slices_of_every_part_reproduce_the_whole_convolution_bit_for_bit()
    {
        var rng = new Random(5);
        int checkedGeometries = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var g = RandomGeometry(rng);
            var x = RandomFloats(rng, g.InputLength);
            var w = RandomFloats(rng, g.OutChannels * g.KernelHeight * g.KernelWidth * g.InGroupChannels);
            var bias = RandomFloats(rng, g.OutChannels);
            var whole = new float[g.OutputLength];
            F32Conv2DReference.Run(g, x, w, bias, whole);

            for (int parts = 1; parts <= 5; parts++)
            {
                if (parts > g.Batch * g.OutHeight) break;
                var sliced = new float[g.OutputLength];
                Array.Fill(sliced, float.NaN);
                for (int part = 0; part < parts; part++)
                {
                    var (begin, end) = Spatial2DRowSlices.PartRows(g, part, parts);
                    while (begin < end)
                    {
                        var s = Spatial2DRowSlices.Slice(g, begin, end);
                        var sg = s.Geometry;
                        Assert.True(sg.PadTop >= 0 && sg.InHeight >= 1, $"{g}: slice {sg}");
                        F32Conv2DReference.Run(sg, x.AsSpan(s.InputStart, sg.InputLength), w, bias,
                            sliced.AsSpan(s.OutputStart, sg.OutputLength));
                        begin += sg.OutHeight;
                    }
                }
                for (int i = 0; i < whole.Length; i++)
                    if (BitConverter.SingleToInt32Bits(whole[i]) != BitConverter.SingleToInt32Bits(sliced[i]))
                        Assert.Fail($"{g}, {parts} parts: element {i} is {sliced[i]:R}, the whole gives {whole[i]:R}");
            }
            checkedGeometries++;
        }
        Assert.Equal(300, checkedGeometries);
    }

    [Fact]
    public void Slices_keep_the_padded_extent_so_average_pools_counting_padding_match()
    {
        var rng = new Random(6);
        for (int trial = 0; trial < 300; trial++)
        {
            var conv = RandomGeometry(rng);
            var g = conv with { OutChannels = conv.InChannels, Group = 1 };
            var x = RandomFloats(rng, g.InputLength);
            var whole = new float[g.OutputLength];
            F32AveragePool2DReference.Run(g, countIncludePad: true, x, whole);
            for (int parts = 2; parts <= Math.Min(4, g.Batch * g.OutHeight); parts++)
            {
                var sliced = new float[g.OutputLength];
                Array.Fill(sliced, float.NaN);
                for (int part = 0; part < parts; part++)
                {
                    var (begin, end) = Spatial2DRowSlices.PartRows(g, part, parts);
                    while (begin < end)
                    {
                        var s = Spatial2DRowSlices.Slice(g, begin, end);
                        F32AveragePool2DReference.Run(s.Geometry, countIncludePad: true, x.AsSpan(s.InputStart, s.Geometry.InputLength),
                            sliced.AsSpan(s.OutputStart, s.Geometry.OutputLength));
                        begin += s.Geometry.OutHeight;
                    }
                }
                for (int i = 0; i < whole.Length; i++)
                    if (BitConverter.SingleToInt32Bits(whole[i]) != BitConverter.SingleToInt32Bits(sliced[i]))
                        Assert.Fail($"{g}, {parts} parts: pooled element {i} is {sliced[i]:R}, the whole gives {whole[i]:R}");
            }
        }
    }

    [Fact]
    public void Parts_respect_rows_work_and_bottom_padding_only_windows()
    {
        var big = new Spatial2DGeometry(1, 56, 56, 32, 56, 56, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 32);
        Assert.Equal(4, Spatial2DRowSlices.Parts(big, 4));
        Assert.Equal(1, Spatial2DRowSlices.Parts(big, 1));
        var twoRows = new Spatial2DGeometry(1, 2, 200, 64, 2, 200, 64, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0);
        Assert.Equal(2, Spatial2DRowSlices.Parts(twoRows, 4));
        var tiny = new Spatial2DGeometry(1, 4, 4, 2, 4, 4, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0);
        Assert.Equal(1, Spatial2DRowSlices.Parts(tiny, 4));
        // Output row 3 starts at input row 6 of 5: only bottom padding, so the op is not split.
        var padOnly = new Spatial2DGeometry(1, 5, 64, 64, 4, 64, 64, 1, 1, 2, 1, 1, 1, 0, 0, 3, 0);
        Assert.Equal(1, Spatial2DRowSlices.Parts(padOnly, 4));
    }

    [Fact]
    public void A_slice_outside_the_output_rows_is_refused()
    {
        var g = new Spatial2DGeometry(2, 5, 5, 1, 5, 5, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Spatial2DRowSlices.Slice(g, 9, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => Spatial2DRowSlices.Slice(g, 3, 3));
    }

    private static Spatial2DGeometry RandomGeometry(Random rng)
    {
        while (true)
        {
            int group = rng.Next(1, 4);
            int cin = group * rng.Next(1, 4), cout = group * rng.Next(1, 4);
            int kh = rng.Next(1, 6), kw = rng.Next(1, 4), sh = rng.Next(1, 4), sw = rng.Next(1, 3);
            int dh = rng.Next(1, 3), dw = rng.Next(1, 3);
            int h = rng.Next(1, 14), w = rng.Next(1, 7);
            int pt = rng.Next(0, 7), pb = rng.Next(0, 7), pl = rng.Next(0, 3), pr = rng.Next(0, 3);
            int spanH = h + pt + pb - dh * (kh - 1) - 1, spanW = w + pl + pr - dw * (kw - 1) - 1;
            if (spanH < 0 || spanW < 0) continue;
            // Ceil mode half the time: the last window may run past the padded input.
            bool ceil = rng.Next(2) == 0;
            int oh = (ceil ? (spanH + sh - 1) / sh : spanH / sh) + 1;
            int ow = spanW / sw + 1;
            var g = new Spatial2DGeometry(rng.Next(1, 4), h, w, cin, oh, ow, cout, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, group);
            // Geometries whose last rows see only bottom padding are never split (Parts returns 1).
            if (Spatial2DRowSlices.Parts(g with { Batch = 64, OutWidth = 4096 }, 5) == 1) continue;
            return g;
        }
    }

    private static float[] RandomFloats(Random rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }
}
