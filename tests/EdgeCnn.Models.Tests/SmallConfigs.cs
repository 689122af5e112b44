using EdgeCnn.Models.Zoo;

namespace EdgeCnn.Models.Tests;

/// <summary>Per architecture, a reduced width and resolution that keeps every layer (a few pixels reach the
/// last stage) while running in milliseconds; 10 classes. Chosen by hand so each architecture's structure
/// survives: e.g. AlexNet needs 64 pixels for its three 3×3/2 pools, ShuffleNet v1's width must keep
/// channels divisible by its 3 groups.</summary>
internal static class SmallConfigs
{
    private static readonly Dictionary<string, (double Width, int Resolution)> Configs = new(StringComparer.Ordinal)
    {
        ["lenet5"] = (1, 32),
        ["alexnet"] = (0.125, 64),
        ["vgg11"] = (0.125, 32),
        ["vgg16"] = (0.125, 32),
        ["nin"] = (0.25, 64),
        ["googlenet"] = (0.25, 64),
        ["resnet18"] = (0.25, 64),
        ["resnet50"] = (0.25, 64),
        ["densenet121"] = (0.25, 64),
        ["mobilenet-v1"] = (0.25, 64),
        ["mobilenet-v2"] = (0.35, 64),
        ["mobilenet-v3-small"] = (0.5, 64),
        ["shufflenet-v1"] = (0.5, 64),
        ["shufflenet-v2"] = (0.5, 64),
        ["se-resnet20"] = (0.5, 32),
        ["dilated-hdc"] = (0.25, 48),
        ["factorized"] = (0.25, 64),
    };

    public static bool Has(string name) => Configs.ContainsKey(name);

    public static ZooConfig For(ZooEntry entry)
    {
        var (width, resolution) = Configs[entry.Name];
        return entry.Defaults with { Width = width, Resolution = resolution, Classes = 10 };
    }
}
