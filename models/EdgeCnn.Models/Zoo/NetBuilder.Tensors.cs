namespace EdgeCnn.Models.Zoo;

public sealed partial class NetBuilder
{
    /// <summary>Channel concatenation of maps with equal height and width.</summary>
    public FeatureMap Concat(string name, params FeatureMap[] parts)
    {
        foreach (var p in parts)
            if (p.Height != parts[0].Height || p.Width != parts[0].Width)
                throw new ModelConfigException(Model,
                    $"concat '{name}': '{p.Name}' is {p.Height}×{p.Width}, '{parts[0].Name}' {parts[0].Height}×{parts[0].Width}");
        Node("Concat", parts.Select(p => p.Name).ToArray(), name, name).Attr("axis", 1L);
        return new FeatureMap(name, parts.Sum(p => p.Channels), parts[0].Height, parts[0].Width);
    }

    /// <summary>Residual sum of two maps of the same shape.</summary>
    public FeatureMap Add(string name, FeatureMap a, FeatureMap b)
    {
        if (!a.Shape.AsSpan().SequenceEqual(b.Shape))
            throw new ModelConfigException(Model,
                $"add '{name}': '{a.Name}' [{string.Join(',', a.Shape)}] and '{b.Name}' [{string.Join(',', b.Shape)}] differ");
        Node("Add", [a.Name, b.Name], name, name);
        return a with { Name = name };
    }

    /// <summary>Scales each channel of <paramref name="x"/> by a [1, C, 1, 1] gate (squeeze-and-excitation).</summary>
    public FeatureMap Scale(string name, FeatureMap x, FeatureMap gate)
    {
        if (gate.Channels != x.Channels || gate.Height != 1 || gate.Width != 1)
            throw new InvalidOperationException($"{Model}: gate '{gate.Name}' does not fit '{x.Name}'");
        Node("Mul", [x.Name, gate.Name], name, name);
        return x with { Name = name };
    }

    /// <summary>Splits the channels into parts of the given sizes (ShuffleNetV2's channel split).</summary>
    public FeatureMap[] Split(string name, FeatureMap x, params int[] sizes)
    {
        if (sizes.Sum() != x.Channels)
            throw new InvalidOperationException($"{Model}: split '{name}' of {x.Channels} channels into {string.Join('+', sizes)}");
        var outputs = sizes.Select((_, i) => $"{name}.{i}").ToArray();
        foreach (var o in outputs) Claim(o);
        var node = _onnx.AddNode("Split", [x.Name, LongConstant($"{name}.sizes", sizes.Select(s => (long)s).ToArray())],
            outputs, Claim(name));
        node.Attr("axis", 1L);
        return sizes.Select((s, i) => x with { Name = outputs[i], Channels = s }).ToArray();
    }

    /// <summary>Channel shuffle as ShuffleNet implementations write it: Reshape to [1, g, C/g, H, W],
    /// swap the two channel axes, Reshape back.</summary>
    public FeatureMap ChannelShuffle(string name, FeatureMap x, int groups)
    {
        if (x.Channels % groups != 0)
            throw new ModelConfigException(Model, $"shuffle '{name}': {x.Channels} channels do not split into {groups} groups");
        string grouped = $"{name}.grouped", swapped = $"{name}.swapped";
        Node("Reshape", [x.Name, LongConstant($"{name}.grouped_shape", [1, groups, x.Channels / groups, x.Height, x.Width])], grouped, grouped);
        Node("Transpose", [grouped], swapped, swapped).Attr("perm", [0L, 2, 1, 3, 4]);
        Node("Reshape", [swapped, LongConstant($"{name}.shape", [1, x.Channels, x.Height, x.Width])], name, name);
        return x with { Name = name };
    }

    /// <summary>[1, C] back to [1, C, 1, 1] (a fully connected gate applied to a map).</summary>
    public FeatureMap ToMap(string name, FeatureVector x)
    {
        Node("Reshape", [x.Name, LongConstant($"{name}.shape", [1, x.Length, 1, 1])], name, name);
        return new FeatureMap(name, x.Length, 1, 1);
    }
}
