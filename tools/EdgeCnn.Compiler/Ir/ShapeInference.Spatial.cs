using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Compiler.Ir;

public static partial class ShapeInference
{
    private static TensorType[] Convolution(Node node, int opset)
    {
        var x = In(node, 0);
        var w = In(node, 1);
        if (x.Length < 3) throw OnnxOpArguments.Invalid(node, $"input has rank {x.Length}; N, C and at least one spatial dim expected");
        if (w.Length != x.Length) throw OnnxOpArguments.Invalid(node, $"weights have rank {w.Length}, input rank {x.Length}");
        long group = node.GetInt("group", 1);
        if (group < 1) throw OnnxOpArguments.Invalid(node, $"group {group} must be positive");
        int spatial = x.Length - 2;
        var kernel = KernelShape(node, w[2..], spatial);
        bool transpose = node.OpType == "ConvTranspose";
        int outChannels;
        if (transpose)
        {
            // W is [C, M/group, k...].
            if (w[0] != x[1]) throw OnnxOpArguments.Invalid(node, $"weights [{string.Join(',', w)}] expect {w[0]} input channels, input has {x[1]}");
            if (x[1] % group != 0) throw OnnxOpArguments.Invalid(node, $"{x[1]} input channels do not divide into {group} groups");
            outChannels = checked((int)(w[1] * group));
        }
        else
        {
            // W is [M, C/group, k...].
            if ((long)w[1] * group != x[1]) throw OnnxOpArguments.Invalid(node, $"weights [{string.Join(',', w)}] with group {group} expect {(long)w[1] * group} input channels, input has {x[1]}");
            if (w[0] % group != 0) throw OnnxOpArguments.Invalid(node, $"{w[0]} output channels do not divide into {group} groups");
            outChannels = w[0];
        }
        if (node.InputOrNull(2) is not null)
        {
            var b = In(node, 2);
            if (b.Length != 1 || b[0] != outChannels)
                throw OnnxOpArguments.Invalid(node, $"bias has shape [{string.Join(',', b)}], [{outChannels}] expected");
        }
        var window = WindowArgs.Read(node, opset, x[2..], kernel);
        return [new([x[0], outChannels, .. window.OutputSpatial], TypeOf(node, 0))];
    }

    private static int[] KernelShape(Node node, int[] fromWeights, int spatial)
    {
        var attr = node.GetInts("kernel_shape");
        if (attr is null) return fromWeights;
        if (attr.Length != spatial) throw OnnxOpArguments.Invalid(node, $"kernel_shape has {attr.Length} entries for {spatial} spatial dims");
        for (int i = 0; i < spatial; i++)
            if (attr[i] != fromWeights[i])
                throw OnnxOpArguments.Invalid(node, $"kernel_shape [{string.Join(',', attr)}] differs from the weights' [{string.Join(',', fromWeights)}]");
        return fromWeights;
    }

    private static TensorType[] Pool(Node node, int opset)
    {
        var x = In(node, 0);
        if (x.Length < 3) throw OnnxOpArguments.Invalid(node, $"input has rank {x.Length}; N, C and at least one spatial dim expected");
        var k = node.GetInts("kernel_shape") ?? throw OnnxOpArguments.Invalid(node, "attribute 'kernel_shape' is missing");
        if (k.Length != x.Length - 2) throw OnnxOpArguments.Invalid(node, $"kernel_shape has {k.Length} entries for {x.Length - 2} spatial dims");
        var kernel = ToDims(node, k, "kernel_shape");
        var window = WindowArgs.Read(node, opset, x[2..], kernel);
        int[] y = [x[0], x[1], .. window.OutputSpatial];
        // MaxPool's optional second output holds flat indices.
        return [new(y, TypeOf(node, 0)), new(y, ElementType.Int64)];
    }

    private static TensorType[] GlobalPool(Node node)
    {
        var x = In(node, 0);
        if (x.Length < 3) throw OnnxOpArguments.Invalid(node, $"input has rank {x.Length}; N, C and at least one spatial dim expected");
        var y = new int[x.Length];
        y[0] = x[0];
        y[1] = x[1];
        for (int i = 2; i < y.Length; i++) y[i] = 1;
        return [new(y, TypeOf(node, 0))];
    }

    private static TensorType[] DepthSpace(Node node)
    {
        var x = In(node, 0);
        if (x.Length != 4) throw OnnxOpArguments.Invalid(node, $"input has rank {x.Length}, 4 expected");
        long b = node.GetInt("blocksize", 0);
        if (b < 1 || b > 65536) throw OnnxOpArguments.Invalid(node, $"blocksize {b} must be positive");
        int bs = (int)b;
        if (node.OpType == "DepthToSpace")
        {
            if (x[1] % (bs * bs) != 0) throw OnnxOpArguments.Invalid(node, $"{x[1]} channels are not divisible by blocksize² = {bs * bs}");
            string mode = node.GetString("mode", "DCR");
            if (mode is not ("DCR" or "CRD")) throw OnnxOpArguments.Invalid(node, $"mode '{mode}' is not DCR or CRD");
            return [new([x[0], x[1] / (bs * bs), checked(x[2] * bs), checked(x[3] * bs)], TypeOf(node, 0))];
        }
        if (x[2] % bs != 0 || x[3] % bs != 0)
            throw OnnxOpArguments.Invalid(node, $"spatial size {x[2]}x{x[3]} is not divisible by blocksize {bs}");
        return [new([x[0], checked(x[1] * bs * bs), x[2] / bs, x[3] / bs], TypeOf(node, 0))];
    }
}
