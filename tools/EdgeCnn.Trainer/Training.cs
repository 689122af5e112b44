using System.Diagnostics;
using EdgeCnn.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeCnn.Trainer;

/// <summary>Trains a <see cref="DwSepNet"/> and evaluates it (libtorch, CPU).</summary>
public static class Training
{
    private const int EvalBatch = 500;

    public static void Train(DwSepNet model, FashionMnist.Split train, FashionMnist.Split test, TrainingSettings settings, TextWriter log)
    {
        int count = settings.TrainLimit > 0 ? Math.Min(settings.TrainLimit, train.Count) : train.Count;
        int stepsPerEpoch = (count + settings.BatchSize - 1) / settings.BatchSize;
        var random = new SeededRandom(settings.Seed);
        var order = Enumerable.Range(0, count).ToArray();
        var pixels = new float[settings.BatchSize * FashionMnist.PixelsPerImage];
        var classes = new long[settings.BatchSize];
        using var optimizer = optim.SGD(model.parameters(), settings.PeakLearningRate, settings.Momentum,
            weight_decay: settings.WeightDecay, nesterov: true);

        int step = 0;
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            Shuffle(order, random);
            model.train();
            double lossSum = 0;
            int correct = 0;
            for (int start = 0; start < count; start += settings.BatchSize, step++)
            {
                int n = Math.Min(settings.BatchSize, count - start);
                var indices = order.AsSpan(start, n);
                Augmentation.Fill(train, indices, pixels, random);
                for (int i = 0; i < n; i++) classes[i] = train.Classes[indices[i]];
                foreach (var group in optimizer.ParamGroups) group.LearningRate = settings.LearningRate(step, stepsPerEpoch);

                using var scope = NewDisposeScope();
                var x = tensor(pixels.AsSpan(0, n * FashionMnist.PixelsPerImage).ToArray(), [n, 1, FashionMnist.Height, FashionMnist.Width]);
                var y = tensor(classes.AsSpan(0, n).ToArray(), [n]);
                optimizer.zero_grad();
                var logits = model.forward(x);
                var loss = nn.functional.cross_entropy(logits, y, label_smoothing: settings.LabelSmoothing);
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * n;
                correct += (int)logits.argmax(1).eq(y).sum().item<long>();
            }
            var (_, testAccuracy) = Evaluate(model, test);
            log.WriteLine($"epoch {epoch}/{settings.Epochs}: loss {lossSum / count:F4}, train top-1 {(double)correct / count:P2} (augmented), " +
                $"test top-1 {testAccuracy:P2}, {clock.Elapsed.TotalSeconds:F0} s");
        }
    }

    /// <summary>Logits (N·10, row by row) and top-1 accuracy of the model in inference mode.</summary>
    public static (float[] Logits, double Accuracy) Evaluate(DwSepNet model, FashionMnist.Split split)
    {
        model.eval();
        var logits = new float[split.Count * Architecture.Classes];
        var pixels = new float[EvalBatch * FashionMnist.PixelsPerImage];
        var indices = new int[EvalBatch];
        using (no_grad())
        {
            for (int start = 0; start < split.Count; start += EvalBatch)
            {
                int n = Math.Min(EvalBatch, split.Count - start);
                for (int i = 0; i < n; i++) indices[i] = start + i;
                Augmentation.Fill(split, indices.AsSpan(0, n), pixels, random: null);
                using var scope = NewDisposeScope();
                var x = tensor(pixels.AsSpan(0, n * FashionMnist.PixelsPerImage).ToArray(), [n, 1, FashionMnist.Height, FashionMnist.Width]);
                var batch = model.forward(x).contiguous().data<float>().ToArray();
                batch.CopyTo(logits.AsSpan(start * Architecture.Classes));
            }
        }
        return (logits, Top1(logits, split.Classes));
    }

    public static double Top1(ReadOnlySpan<float> logits, ReadOnlySpan<byte> classes)
    {
        int correct = 0;
        for (int i = 0; i < classes.Length; i++)
            if (ArgMax(logits.Slice(i * Architecture.Classes, Architecture.Classes)) == classes[i]) correct++;
        return (double)correct / classes.Length;
    }

    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++)
            if (scores[i] > scores[best]) best = i;
        return best;
    }

    private static void Shuffle(int[] order, SeededRandom random)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)(random.NextUInt64() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
