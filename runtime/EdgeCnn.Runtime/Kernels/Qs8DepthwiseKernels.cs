using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Arm;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.X86;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// A depthwise int8 convolution (one group per input channel, any multiplier) prepared for the SIMD kernel of a
/// path: weights, bias and requantization repacked once (<see cref="Qs8DepthwisePacking"/>), the kernel chosen
/// once. The Reference path has no depthwise kernel of its own (Qs8Conv2DReference covers every convolution), and
/// AdvSimdDp runs the AdvSimd kernel (SDOT does not fit depthwise: see <see cref="Qs8DepthwiseConvAdvSimd"/>).
/// </summary>
public sealed class Qs8DepthwiseConv
{
    private readonly Spatial2DGeometry _geometry;
    private readonly int _xZeroPoint;

    private Qs8DepthwiseConv(KernelPath kernel, in Spatial2DGeometry g, Qs8DepthwisePacking packing, int xZeroPoint)
    {
        Kernel = kernel;
        _geometry = g;
        Packing = packing;
        _xZeroPoint = xZeroPoint;
    }

    /// <summary>The path whose depthwise kernel runs for <paramref name="requested"/>; Reference when none.</summary>
    public static KernelPath Select(KernelPath requested) => requested switch
    {
        KernelPath.AdvSimd or KernelPath.AdvSimdDp => KernelPath.AdvSimd,
        KernelPath.Avx2 => KernelPath.Avx2,
        KernelPath.Vector128 => KernelPath.Vector128,
        _ => KernelPath.Reference,
    };

    /// <summary>Whether the geometry is depthwise: as many groups as input channels (more than one; a single-channel
    /// convolution is the general kernels' case).</summary>
    public static bool IsDepthwise(in Spatial2DGeometry g) => g.InChannels > 1 && g.Group == g.InChannels;

    /// <summary>The prepared convolution, or null when the geometry is not depthwise or the path selects the reference.</summary>
    public static Qs8DepthwiseConv? TryCreate(KernelPath path, in Spatial2DGeometry g, ReadOnlySpan<sbyte> weights, ReadOnlySpan<int> bias,
        Qs8Requantization output, int xZeroPoint)
    {
        var kernel = Select(path);
        if (kernel == KernelPath.Reference || !IsDepthwise(g)) return null;
        return new Qs8DepthwiseConv(kernel, g, new Qs8DepthwisePacking(g, weights, bias, output), xZeroPoint);
    }

    /// <summary><see cref="TryCreate"/> for a Conv2D op of a model: weights (input 1) and bias (input 2, if any) must be
    /// constants, else null (the operator runs the reference on whatever arrives at run time).</summary>
    public static Qs8DepthwiseConv? TryCreate(KernelPath path, in Spatial2DGeometry g, CompiledModel model, OpDesc desc,
        Qs8Requantization output, int xZeroPoint)
    {
        if (Select(path) == KernelPath.Reference || !IsDepthwise(g)) return null;
        int wIndex = desc.Inputs[1];
        int bIndex = desc.Inputs.Length > 2 ? desc.Inputs[2] : -1;
        if (model.Tensors[wIndex].Kind != TensorKind.Constant || (bIndex >= 0 && model.Tensors[bIndex].Kind != TensorKind.Constant)) return null;
        var weights = MemoryMarshal.Cast<byte, sbyte>(model.ConstantBytes(wIndex).Span);
        var bias = bIndex >= 0 ? MemoryMarshal.Cast<byte, int>(model.ConstantBytes(bIndex).Span) : default;
        return TryCreate(path, g, weights, bias, output, xZeroPoint);
    }

    /// <summary>The path of the kernel that runs.</summary>
    public KernelPath Kernel { get; }

    public Qs8DepthwisePacking Packing { get; }

    public void Run(ReadOnlySpan<sbyte> x, Span<sbyte> y) => Run(_geometry, x, y);

    /// <summary>Runs on a part of the prepared convolution (<see cref="Spatial2DRowSlices"/>): rows and pads may
    /// differ from the prepared geometry, channels and the window may not (the packing depends on them).</summary>
    public void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, Span<sbyte> y)
    {
        if (g.InChannels != _geometry.InChannels || g.OutChannels != _geometry.OutChannels
            || g.KernelHeight != _geometry.KernelHeight || g.KernelWidth != _geometry.KernelWidth)
            throw new ArgumentException($"geometry with {g.InChannels}->{g.OutChannels} channels and a {g.KernelHeight}x{g.KernelWidth} window does not fit the packed {_geometry.InChannels}->{_geometry.OutChannels}, {_geometry.KernelHeight}x{_geometry.KernelWidth}", nameof(g));
        switch (Kernel)
        {
            case KernelPath.AdvSimd: Qs8DepthwiseConvAdvSimd.Run(g, x, _xZeroPoint, Packing, y); break;
            case KernelPath.Avx2: Qs8DepthwiseConvAvx2.Run(g, x, _xZeroPoint, Packing, y); break;
            default: Qs8DepthwiseConvVector128.Run(g, x, _xZeroPoint, Packing, y); break;
        }
    }
}
