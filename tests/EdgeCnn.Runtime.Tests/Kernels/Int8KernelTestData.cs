using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// What the int8 SIMD kernel testers share: every kernel path as theory data (a path this CPU lacks is skipped
/// with its name, so the same tests exercise the ARM kernels under QEMU), outputs inside guard zones pre-filled
/// with a sentinel, and geometries with odd channel counts, 1×1 and odd images, strides, dilations and pads.
/// </summary>
internal static class Int8KernelTestData
{
    public const int Guard = 37;
    public const sbyte Sentinel = 0x5A;

    public static TheoryData<KernelPath> Paths => new(Enum.GetValues<KernelPath>());

    /// <summary>Skips the test on a machine that cannot run <paramref name="path"/>.</summary>
    public static void RequireSupported(KernelPath path)
    {
        if (!CpuFeatures.Current.Supports(path))
            Assert.Skip($"kernel path {path} is not supported on this machine ({CpuFeatures.Current}); it runs under QEMU or on ARM hardware");
    }

    /// <summary>A buffer of <paramref name="length"/> outputs with <see cref="Guard"/> sentinel bytes on each side.</summary>
    public static sbyte[] GuardedOutput(int length)
    {
        var buffer = new sbyte[length + 2 * Guard];
        buffer.AsSpan().Fill(Sentinel);
        return buffer;
    }

    public static Span<sbyte> Body(sbyte[] guarded) => guarded.AsSpan(Guard, guarded.Length - 2 * Guard);

    /// <summary>Random codes, about one in five an extreme (−128 or 127).</summary>
    public static sbyte[] Codes(Random rng, int count)
    {
        var data = new sbyte[count];
        for (int i = 0; i < count; i++)
        {
            int pick = rng.Next(10);
            data[i] = (sbyte)(pick == 0 ? -128 : pick == 1 ? 127 : rng.Next(-128, 128));
        }
        return data;
    }

    /// <summary>A floor-mode window geometry; the output size follows from the pads.</summary>
    public static Spatial2DGeometry Window(int batch, int h, int w, int cin, int cout, int kh, int kw, int stride, int dilation,
        int padTop, int padLeft, int padBottom, int padRight, int group = 1, int strideW = 0)
    {
        int sw = strideW == 0 ? stride : strideW;
        int oh = (h + padTop + padBottom - ((kh - 1) * dilation + 1)) / stride + 1;
        int ow = (w + padLeft + padRight - ((kw - 1) * dilation + 1)) / sw + 1;
        Assert.True(oh > 0 && ow > 0, "the test geometry has an output");
        return new Spatial2DGeometry(batch, h, w, cin, oh, ow, cout, kh, kw, stride, sw, dilation, dilation,
            padTop, padLeft, padBottom, padRight, group);
    }

    /// <summary>Pooling windows (Cin = Cout) over the channel counts around the 16- and 32-lane widths.</summary>
    public static IEnumerable<Spatial2DGeometry> PoolWindows()
    {
        int[] channels = [1, 3, 15, 16, 17, 31, 32, 33, 48, 70];
        foreach (int c in channels)
        {
            yield return Window(1, 1, 1, c, c, 1, 1, 1, 1, 0, 0, 0, 0);
            yield return Window(2, 7, 5, c, c, 3, 3, 1, 1, 1, 1, 1, 1);
            yield return Window(1, 8, 9, c, c, 3, 3, 2, 1, 1, 1, 1, 1);
            yield return Window(1, 6, 6, c, c, 2, 2, 2, 1, 0, 0, 0, 0);
            yield return Window(1, 9, 8, c, c, 3, 2, 2, 2, 2, 1, 0, 2, strideW: 1);
            yield return Window(1, 2, 2, c, c, 1, 1, 1, 1, 1, 1, 1, 1);   // windows entirely on padding
            yield return Window(1, 11, 11, c, c, 5, 5, 2, 1, 2, 2, 2, 2);
        }
        // A ceil-mode window hanging past the input (the last output row and column start at the input's edge).
        yield return new Spatial2DGeometry(1, 6, 6, 19, 3, 3, 19, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1);
    }

    /// <summary>Asserts byte equality of two guarded buffers, naming the first difference.</summary>
    public static void SameBytes(sbyte[] expected, sbyte[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] == actual[i]) continue;
            string where = i < Guard ? $"guard byte {i - Guard} before the output"
                : i >= expected.Length - Guard ? $"guard byte {i - (expected.Length - Guard)} after the output"
                : $"output {i - Guard}";
            Assert.Fail($"{what}: {where} is {actual[i]}, the reference gives {expected[i]}");
        }
    }
}
