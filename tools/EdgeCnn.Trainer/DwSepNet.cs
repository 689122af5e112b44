using EdgeCnn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeCnn.Trainer;

/// <summary>The <see cref="Architecture"/> as a TorchSharp module. It takes pixels scaled to 0..1 and
/// normalizes them itself, so the exported model needs no preprocessing beyond pixel/255.</summary>
public sealed class DwSepNet : nn.Module<Tensor, Tensor>
{
    public sealed record ConvBn(Conv2d Conv, BatchNorm2d Bn, int Stride, int Groups);

    private readonly ModuleList<nn.Module> _layers = new();
    private readonly Linear _classifier;

    public DwSepNet() : base(nameof(DwSepNet))
    {
        Layers = BuildLayers();
        foreach (var layer in Layers)
        {
            _layers.Add(layer.Conv);
            _layers.Add(layer.Bn);
        }
        _classifier = nn.Linear(Architecture.FeatureChannels, Architecture.Classes);
        RegisterComponents();
    }

    /// <summary>Every Conv-BN-ReLU6 unit in order: the stem, then a depthwise and a pointwise unit per block.</summary>
    public IReadOnlyList<ConvBn> Layers { get; }

    public Linear Classifier => _classifier;

    public override Tensor forward(Tensor input)
    {
        var x = (input - FashionMnist.PixelMean) / FashionMnist.PixelStd;
        foreach (var layer in Layers)
            x = nn.functional.relu6(layer.Bn.forward(layer.Conv.forward(x)));
        x = x.mean([2, 3]);
        return _classifier.forward(x);
    }

    private static List<ConvBn> BuildLayers()
    {
        var layers = new List<ConvBn> { Unit(Architecture.InputChannels, Architecture.StemChannels, 3, Architecture.StemStride, 1) };
        int channels = Architecture.StemChannels;
        foreach (var (outChannels, stride) in Architecture.Blocks)
        {
            layers.Add(Unit(channels, channels, 3, stride, channels));
            layers.Add(Unit(channels, outChannels, 1, 1, 1));
            channels = outChannels;
        }
        return layers;
    }

    // No conv bias: the BatchNormalization that follows has its own shift.
    private static ConvBn Unit(int inChannels, int outChannels, int kernel, int stride, int groups) => new(
        nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: kernel / 2, groups: groups, bias: false),
        nn.BatchNorm2d(outChannels, eps: Architecture.BatchNormEpsilon),
        stride,
        groups);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _layers.Dispose();
            _classifier.Dispose();
        }
        base.Dispose(disposing);
    }
}
