namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// LeNet-5 (LeCun et al., 1998) on a 32×32 grayscale input: C1 5×5×6 → S2 2×2 average pool → C3 5×5×16 →
/// S4 → C5 5×5×120 → F6 84 → classes, tanh between layers. C3 is fully connected to S2 (the paper's sparse
/// connection table was a compute saving of its time, dropped by every modern re-implementation).
/// 61,706 parameters at the standard configuration.
/// </summary>
public static class LeNet5
{
    public static ZooConfig Defaults => new(Width: 1, Resolution: 32, Classes: 10);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("lenet5", config);
        double w = config.Width;
        var x = net.Input(1);
        x = net.Tanh(net.Conv("c1", x, Channels.Scale(6, w), 5, pad: 0, bias: true));
        x = net.AveragePool("s2", x, 2, 2);
        x = net.Tanh(net.Conv("c3", x, Channels.Scale(16, w), 5, pad: 0, bias: true));
        x = net.AveragePool("s4", x, 2, 2);
        x = net.Tanh(net.Conv("c5", x, Channels.Scale(120, w), 5, pad: 0, bias: true));
        var f = net.Tanh(net.Linear("f6", net.Flatten("flatten", x), Channels.Scale(84, w)));
        return net.Finish(net.Linear("logits", f, config.Classes));
    }
}
