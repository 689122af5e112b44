using System.Globalization;

namespace EdgeCnn.Models.Zoo;

/// <summary>
/// The knobs every zoo architecture takes. <paramref name="Width"/> multiplies channel counts (each
/// architecture rounds them its own way, as its reference implementation does); <paramref name="Resolution"/>
/// is the square input's height and width; <paramref name="Classes"/> the size of the classifier output;
/// <paramref name="Seed"/> the weight generator's seed.
/// </summary>
public sealed record ZooConfig(double Width, int Resolution, int Classes, ulong Seed = ZooConfig.DefaultSeed)
{
    public const ulong DefaultSeed = 20250301;

    // Bounds keep a typo from asking for a multi-gigabyte model; the builders check the finer
    // constraints (e.g. a resolution that downsampling would shrink below one pixel).
    public const double MaxWidth = 4;
    public const int MaxResolution = 2048;
    public const int MaxClasses = 100_000;

    /// <summary>Throws <see cref="ModelConfigException"/> when a value is out of range for <paramref name="model"/>.</summary>
    public void Validate(string model)
    {
        if (!double.IsFinite(Width) || Width <= 0 || Width > MaxWidth)
            throw new ModelConfigException(model, $"width {Format(Width)} is out of range (0, {Format(MaxWidth)}]");
        if (Resolution < 1 || Resolution > MaxResolution)
            throw new ModelConfigException(model, $"resolution {Resolution} is out of range [1, {MaxResolution}]");
        if (Classes < 1 || Classes > MaxClasses)
            throw new ModelConfigException(model, $"classes {Classes} is out of range [1, {MaxClasses}]");
    }

    public override string ToString() =>
        $"width {Format(Width)}, resolution {Resolution}, classes {Classes}, seed {Seed}";

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
