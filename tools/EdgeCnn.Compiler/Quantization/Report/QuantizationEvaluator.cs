using System.Runtime.InteropServices;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization.Report;

/// <summary>
/// Measures a quantized model against its float original on the same samples: every int8 tensor the
/// quantizer reported is dequantized and compared with the float model's tensor it stands for, and every
/// output with the float output. Per sample the int8 model runs first and its int8 tensors are copied (a
/// quarter of the float tensors' size); the float model's tensors are then compared as they are computed.
/// </summary>
public static class QuantizationEvaluator
{
    /// <param name="floatModel">The prepared float graph lowered before quantization (its tensor names are the
    /// quantizer's float names).</param>
    /// <param name="samples">Each sample: one array per model input, in input order.</param>
    public static QuantizationReport Evaluate(CompiledModel floatModel, CompiledModel int8Model, QuantizationResult result,
        IEnumerable<IReadOnlyList<float[]>> samples, string modelName, IReadOnlyList<KeyValuePair<string, string>>? settings = null,
        Action<int>? progress = null)
    {
        var layers = Layers(floatModel, int8Model, result);
        var int8Observer = new Int8Copier(layers);
        var floatObserver = new FloatComparer(layers);
        var floatSession = new Session(floatModel) { Observer = floatObserver };
        var int8Session = new Session(int8Model) { Observer = int8Observer };
        var outputs = Outputs(floatModel, int8Model);
        var floatOut = floatModel.Outputs.Select(t => new float[floatModel.Tensors[t].ElementCount]).ToArray();
        var int8Out = int8Model.Outputs.Select(t => new float[int8Model.Tensors[t].ElementCount]).ToArray();
        int count = 0;
        foreach (var sample in samples)
        {
            var feeds = sample.Select(a => (ReadOnlyMemory<float>)a).ToList();
            int8Session.Run(feeds, int8Out.Select(o => (Memory<float>)o).ToList());
            floatSession.Run(feeds, floatOut.Select(o => (Memory<float>)o).ToList());
            for (int i = 0; i < outputs.Length; i++) outputs[i].Add(floatOut[i], int8Out[i]);
            count++;
            progress?.Invoke(count);
        }
        if (count == 0) throw new ArgumentException("no evaluation samples", nameof(samples));

        return new QuantizationReport
        {
            Model = modelName,
            Samples = count,
            Fp32Bytes = ModelWriter.ToBytes(floatModel).LongLength,
            Int8Bytes = ModelWriter.ToBytes(int8Model).LongLength,
            Layers = layers.Select(l => new LayerQuality(l.Tensor.Name, l.Tensor.FloatName, l.Tensor.Node, l.Tensor.OpType,
                l.Tensor.Quant.Scale, l.Tensor.Quant.ZeroPoint, l.Error.SqnrDb, l.Error.MaxAbsError, l.Error.Elements)).ToList(),
            Outputs = outputs.Select(o => o.Result()).ToList(),
            Nodes = result.Nodes,
            QuantizeCount = result.QuantizeCount,
            DequantizeCount = result.DequantizeCount,
            Settings = settings ?? [],
        };
    }

    private sealed class Layer(QuantizedTensor tensor, int int8Index, int floatIndex)
    {
        public QuantizedTensor Tensor { get; } = tensor;
        public int Int8Index { get; } = int8Index;
        public int FloatIndex { get; } = floatIndex;
        public sbyte[] Copy { get; set; } = [];
        public LayerErrorAccumulator Error { get; } = new();
    }

    private static List<Layer> Layers(CompiledModel floatModel, CompiledModel int8Model, QuantizationResult result)
    {
        var floatIndex = Index(floatModel);
        var int8Index = Index(int8Model);
        var layers = new List<Layer>();
        foreach (var t in result.Tensors)
        {
            if (!int8Index.TryGetValue(t.Name, out int q) || int8Model.Tensors[q].Type != DataType.Int8)
                throw new ArgumentException($"the int8 model has no int8 tensor '{t.Name}' (was it lowered from this quantization result?)");
            if (!floatIndex.TryGetValue(t.FloatName, out int f) || floatModel.Tensors[f].ElementCount != int8Model.Tensors[q].ElementCount)
                throw new ArgumentException($"the float model has no tensor '{t.FloatName}' shaped like '{t.Name}' (lower the float graph before quantizing it)");
            layers.Add(new Layer(t, q, f));
        }
        return layers;
    }

    private static Dictionary<string, int> Index(CompiledModel model)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < model.Tensors.Length; i++) index[model.Tensors[i].Name] = i;
        return index;
    }

    private static OutputAccumulator[] Outputs(CompiledModel floatModel, CompiledModel int8Model)
    {
        if (floatModel.Outputs.Length != int8Model.Outputs.Length)
            throw new ArgumentException($"the float model has {floatModel.Outputs.Length} outputs, the int8 model {int8Model.Outputs.Length}");
        return int8Model.Outputs.Select(t => new OutputAccumulator(int8Model.Tensors[t])).ToArray();
    }

    private sealed class Int8Copier : ITensorObserver
    {
        private readonly Dictionary<int, Layer> _byTensor;

        public Int8Copier(List<Layer> layers) => _byTensor = layers.ToDictionary(l => l.Int8Index);

        public void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data)
        {
            if (!_byTensor.TryGetValue(tensorIndex, out var layer)) return;
            if (layer.Copy.Length != data.Length) layer.Copy = new sbyte[data.Length];
            MemoryMarshal.Cast<byte, sbyte>(data).CopyTo(layer.Copy);
        }
    }

    private sealed class FloatComparer : ITensorObserver
    {
        private readonly Dictionary<int, List<Layer>> _byTensor;

        public FloatComparer(List<Layer> layers) =>
            _byTensor = layers.GroupBy(l => l.FloatIndex).ToDictionary(g => g.Key, g => g.ToList());

        public void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data)
        {
            if (!_byTensor.TryGetValue(tensorIndex, out var layers)) return;
            var values = MemoryMarshal.Cast<byte, float>(data);
            foreach (var layer in layers)
                layer.Error.Add(values, layer.Copy, layer.Tensor.Quant.Scale, layer.Tensor.Quant.ZeroPoint);
        }
    }
}
