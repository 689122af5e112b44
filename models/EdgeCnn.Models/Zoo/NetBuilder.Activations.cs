namespace EdgeCnn.Models.Zoo;

public sealed partial class NetBuilder
{
    public FeatureMap Activate(FeatureMap x, Act act) => act switch
    {
        Act.None => x,
        Act.Relu => Relu(x),
        Act.Relu6 => Relu6(x),
        Act.HardSwish => HardSwish(x),
        Act.HardSwishPattern => HardSwishPattern(x),
        _ => throw new ArgumentOutOfRangeException(nameof(act), act, null),
    };

    public FeatureMap Relu(FeatureMap x) => Unary("Relu", x, $"{x.Name}.relu");

    public FeatureVector Relu(FeatureVector x)
    {
        string name = $"{x.Name}.relu";
        Node("Relu", [x.Name], name, name);
        return x with { Name = name };
    }

    public FeatureMap Tanh(FeatureMap x) => Unary("Tanh", x, $"{x.Name}.tanh");

    public FeatureVector Tanh(FeatureVector x)
    {
        string name = $"{x.Name}.tanh";
        Node("Tanh", [x.Name], name, name);
        return x with { Name = name };
    }

    public FeatureVector Sigmoid(FeatureVector x)
    {
        string name = $"{x.Name}.sigmoid";
        Node("Sigmoid", [x.Name], name, name);
        return x with { Name = name };
    }

    /// <summary>ReLU6 as PyTorch exports it: Clip(x, 0, 6) with the bounds as inputs (opset 11+).</summary>
    public FeatureMap Relu6(FeatureMap x)
    {
        string name = $"{x.Name}.relu6";
        Node("Clip", [x.Name, ScalarConstant("const.zero", 0f), ScalarConstant("const.six", 6f)], name, name);
        return x with { Name = name };
    }

    public FeatureMap HardSwish(FeatureMap x) => Unary("HardSwish", x, $"{x.Name}.hswish");

    public FeatureVector HardSwish(FeatureVector x)
    {
        string name = $"{x.Name}.hswish";
        Node("HardSwish", [x.Name], name, name);
        return x with { Name = name };
    }

    /// <summary>PyTorch's hardsigmoid, relu6(x+3)/6, which is ONNX HardSigmoid with alpha = 1/6, beta = 1/2.</summary>
    public FeatureMap HardSigmoid(FeatureMap x)
    {
        string name = $"{x.Name}.hsigmoid";
        Node("HardSigmoid", [x.Name], name, name).Attr("alpha", 1f / 6f).Attr("beta", 0.5f);
        return x with { Name = name };
    }

    /// <summary>x·Clip(x+3, 0, 6)/6 in four element-wise nodes (what older exporters write for hard-swish).</summary>
    public FeatureMap HardSwishPattern(FeatureMap x)
    {
        string n = $"{x.Name}.hswish";
        Node("Add", [x.Name, ScalarConstant("const.three", 3f)], $"{n}.shift", $"{n}.shift");
        Node("Clip", [$"{n}.shift", ScalarConstant("const.zero", 0f), ScalarConstant("const.six", 6f)], $"{n}.clip", $"{n}.clip");
        Node("Mul", [x.Name, $"{n}.clip"], $"{n}.mul", $"{n}.mul");
        Node("Div", [$"{n}.mul", ScalarConstant("const.six", 6f)], n, n);
        return x with { Name = n };
    }

    private FeatureMap Unary(string op, FeatureMap x, string name)
    {
        Node(op, [x.Name], name, name);
        return x with { Name = name };
    }
}
