namespace EdgeCnn.Trainer;

/// <summary>Every knob of a training run; <see cref="Describe"/> is what models/README.md records.</summary>
public sealed record TrainingSettings
{
    public int Epochs { get; init; } = 8;
    public int BatchSize { get; init; } = 128;
    /// <summary>SGD with Nesterov momentum; the rate warms up linearly from PeakLearningRate/10 over the
    /// first epoch, then follows a cosine to zero at the end of the last one.</summary>
    public double PeakLearningRate { get; init; } = 0.1;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 5e-4;
    public double LabelSmoothing { get; init; } = 0.1;
    /// <summary>Seeds libtorch's generator (weight initialization) and the shuffling/augmentation generator.</summary>
    public ulong Seed { get; init; } = 20250301;
    public int Threads { get; init; } = 2;
    /// <summary>Trains on the first N training images only (0 = all); for quick timing runs.</summary>
    public int TrainLimit { get; init; }

    public double LearningRate(int step, int stepsPerEpoch)
    {
        int total = Epochs * stepsPerEpoch;
        if (step < stepsPerEpoch)
            return PeakLearningRate * (0.1 + 0.9 * step / stepsPerEpoch);
        double progress = (double)(step - stepsPerEpoch) / Math.Max(1, total - stepsPerEpoch);
        return PeakLearningRate * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    public string Describe() =>
        $"epochs {Epochs}, batch {BatchSize}, SGD Nesterov momentum {Momentum}, peak lr {PeakLearningRate} " +
        $"(linear warm-up over epoch 1 from {PeakLearningRate / 10}, then cosine to 0), weight decay {WeightDecay} (all parameters), " +
        $"label smoothing {LabelSmoothing}, augmentation random crop (pad {Augmentation.Padding}) + horizontal flip, " +
        $"seed {Seed}, {Threads} threads" + (TrainLimit > 0 ? $", first {TrainLimit} training images only" : "");
}
