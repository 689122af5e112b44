using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Operators;

/// <summary>Inconsistent params or shapes are rejected when the session prepares the op, with a
/// <see cref="ModelFormatException"/> that names the op and the problem.</summary>
public sealed class SpatialOperatorValidationTests
{
    private static TestTensor X(params int[] shape) => TestTensor.Input(shape, new float[TensorInfo.ComputeElementCount(shape)]);
    private static TestTensor K(params int[] shape) => TestTensor.Constant(shape, new float[TensorInfo.ComputeElementCount(shape)]);

    private static OpParams Conv3x3(int group = 1) =>
        new OpParams().Set(ParamKey.Strides, 1, 1).Set(ParamKey.Pads, 1, 1, 1, 1).Set(ParamKey.Group, group);

    private static OpParams Pool(params int[] kernel) => new OpParams().Set(ParamKey.Kernel, kernel).Set(ParamKey.Strides, 2, 2);

    public static TheoryData<string, OpCode, OpParams, TestTensor[], int[], string> Cases => new()
    {
        { "conv weights with the wrong input channels", OpCode.Conv2D, Conv3x3(), [X(1, 5, 5, 4), K(8, 3, 3, 3)], [1, 5, 5, 8], "weights" },
        { "conv weights with the wrong output channels", OpCode.Conv2D, Conv3x3(), [X(1, 5, 5, 4), K(6, 3, 3, 4)], [1, 5, 5, 8], "weights" },
        { "conv zero stride", OpCode.Conv2D, Conv3x3().Set(ParamKey.Strides, 0, 1), [X(1, 5, 5, 4), K(8, 3, 3, 4)], [1, 5, 5, 8], "Strides" },
        { "conv zero dilation", OpCode.Conv2D, Conv3x3().Set(ParamKey.Dilations, 1, 0), [X(1, 5, 5, 4), K(8, 3, 3, 4)], [1, 5, 5, 8], "Dilations" },
        { "conv group not dividing input channels", OpCode.Conv2D, Conv3x3(4), [X(1, 5, 5, 6), K(8, 3, 3, 1)], [1, 5, 5, 8], "divisible by Group" },
        { "conv group not dividing output channels", OpCode.Conv2D, Conv3x3(2), [X(1, 5, 5, 6), K(5, 3, 3, 3)], [1, 5, 5, 5], "divisible by Group" },
        { "conv zero group", OpCode.Conv2D, Conv3x3(0), [X(1, 5, 5, 4), K(8, 3, 3, 4)], [1, 5, 5, 8], "Group" },
        { "conv group with two values", OpCode.Conv2D, Conv3x3().Set(ParamKey.Group, 1, 1), [X(1, 5, 5, 4), K(8, 3, 3, 4)], [1, 5, 5, 8], "one value" },
        { "conv output extent", OpCode.Conv2D, Conv3x3(), [X(1, 5, 5, 4), K(8, 3, 3, 4)], [1, 6, 5, 8], "output height" },
        { "conv output batch", OpCode.Conv2D, Conv3x3(), [X(1, 5, 5, 4), K(8, 3, 3, 4)], [2, 5, 5, 8], "batch" },
        { "conv bias shape", OpCode.Conv2D, Conv3x3(), [X(1, 5, 5, 4), K(8, 3, 3, 4), K(7)], [1, 5, 5, 8], "shape" },
        { "conv weights not constant", OpCode.Conv2D, Conv3x3(), [X(1, 5, 5, 4), X(8, 3, 3, 4)], [1, 5, 5, 8], "constant" },
        { "conv kernel param mismatch", OpCode.Conv2D, Conv3x3().Set(ParamKey.Kernel, 5, 5), [X(1, 5, 5, 4), K(8, 3, 3, 4)], [1, 5, 5, 8], "Kernel" },
        { "conv pads of wrong length", OpCode.Conv2D, Conv3x3().Set(ParamKey.Pads, 1, 1), [X(1, 5, 5, 4), K(8, 3, 3, 4)], [1, 5, 5, 8], "Pads" },
        { "conv negative pad", OpCode.Conv2D, Conv3x3().Set(ParamKey.Pads, 1, -1, 1, 3), [X(1, 5, 5, 4), K(8, 3, 3, 4)], [1, 5, 5, 8], "negative" },
        { "conv pads beyond the bound", OpCode.Conv2D, Conv3x3().Set(ParamKey.Pads, 1 << 21, 1, 1, 1), [X(1, 5, 5, 4), K(8, 3, 3, 4)], [1, 5, 5, 8], "Pads" },
        { "max pool stride beyond the bound", OpCode.MaxPool2D, Pool(2, 2).Set(ParamKey.Strides, int.MaxValue, 2), [X(1, 4, 4, 3)], [1, 1, 2, 3], "Strides" },
        { "conv unknown activation", OpCode.Conv2D, Conv3x3().Set(ParamKey.Activation, 99), [X(1, 5, 5, 4), K(8, 3, 3, 4)], [1, 5, 5, 8], "Activation" },
        { "conv window larger than input", OpCode.Conv2D, new OpParams(), [X(1, 2, 5, 4), K(8, 3, 3, 4)], [1, 0, 3, 8], "larger than the padded input" },
        { "conv input of rank 3", OpCode.Conv2D, Conv3x3(), [X(5, 5, 4), K(8, 3, 3, 4)], [1, 5, 5, 8], "rank 4" },
        { "conv one input", OpCode.Conv2D, Conv3x3(), [X(1, 5, 5, 4)], [1, 5, 5, 8], "inputs" },
        { "conv transpose weights", OpCode.ConvTranspose2D, new OpParams(), [X(1, 3, 3, 4), K(3, 2, 2, 5)], [1, 4, 4, 5], "weights" },
        { "conv transpose group", OpCode.ConvTranspose2D, new OpParams().Set(ParamKey.Group, 3), [X(1, 3, 3, 4), K(4, 2, 2, 2)], [1, 4, 4, 6], "divisible by Group" },
        { "conv transpose zero stride", OpCode.ConvTranspose2D, new OpParams().Set(ParamKey.Strides, 1, 0), [X(1, 3, 3, 4), K(4, 2, 2, 5)], [1, 4, 4, 5], "Strides" },
        { "conv transpose negative output padding", OpCode.ConvTranspose2D, new OpParams().Set(ParamKey.OutputPadding, 0, -1), [X(1, 3, 3, 4), K(4, 2, 2, 5)], [1, 4, 4, 5], "OutputPadding" },
        { "max pool without kernel", OpCode.MaxPool2D, new OpParams(), [X(1, 4, 4, 3)], [1, 2, 2, 3], "Kernel" },
        { "max pool zero kernel", OpCode.MaxPool2D, Pool(0, 2), [X(1, 4, 4, 3)], [1, 2, 2, 3], "Kernel" },
        { "max pool output channels", OpCode.MaxPool2D, Pool(2, 2), [X(1, 4, 4, 3)], [1, 2, 2, 4], "channels" },
        { "max pool output extent", OpCode.MaxPool2D, Pool(2, 2), [X(1, 4, 4, 3)], [1, 2, 1, 3], "output width" },
        { "average pool zero stride", OpCode.AveragePool2D, Pool(2, 2).Set(ParamKey.Strides, 0, 0), [X(1, 4, 4, 3)], [1, 2, 2, 3], "Strides" },
        { "average pool count_include_pad 2", OpCode.AveragePool2D, Pool(2, 2).Set(ParamKey.CountIncludePad, 2), [X(1, 4, 4, 3)], [1, 2, 2, 3], "CountIncludePad" },
        { "lp pool p 0", OpCode.LpPool2D, Pool(2, 2).Set(ParamKey.P, 0), [X(1, 4, 4, 3)], [1, 2, 2, 3], "P" },
        { "global pool output shape", OpCode.GlobalAveragePool, new OpParams(), [X(1, 4, 4, 3)], [1, 1, 3], "shape" },
        { "global max pool output shape", OpCode.GlobalMaxPool, new OpParams(), [X(1, 4, 4, 3)], [1, 2, 1, 3], "shape" },
        { "lrn without size", OpCode.Lrn, new OpParams(), [X(1, 2, 2, 5)], [1, 2, 2, 5], "Size" },
        { "lrn zero size", OpCode.Lrn, new OpParams().Set(ParamKey.Size, 0), [X(1, 2, 2, 5)], [1, 2, 2, 5], "Size" },
        { "channel affine scale length", OpCode.ChannelAffine, new OpParams(), [X(1, 2, 2, 5), K(4), K(5)], [1, 2, 2, 5], "shape" },
        { "depth to space channels", OpCode.DepthToSpace, new OpParams().Set(ParamKey.BlockSize, 2), [X(1, 2, 2, 6)], [1, 4, 4, 1], "divisible" },
        { "depth to space mode", OpCode.DepthToSpace, new OpParams().Set(ParamKey.BlockSize, 2).Set(ParamKey.Mode, 2), [X(1, 2, 2, 8)], [1, 4, 4, 2], "Mode" },
        { "depth to space output", OpCode.DepthToSpace, new OpParams().Set(ParamKey.BlockSize, 2), [X(1, 2, 2, 8)], [1, 4, 4, 1], "shape" },
        { "space to depth extent", OpCode.SpaceToDepth, new OpParams().Set(ParamKey.BlockSize, 2), [X(1, 3, 4, 2)], [1, 1, 2, 8], "divisible" },
        { "space to depth zero block", OpCode.SpaceToDepth, new OpParams().Set(ParamKey.BlockSize, 0), [X(1, 4, 4, 2)], [1, 4, 4, 2], "BlockSize" },
        { "channel shuffle group", OpCode.ChannelShuffle, new OpParams().Set(ParamKey.Group, 4), [X(1, 2, 2, 6)], [1, 2, 2, 6], "Group" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rejects(string name, OpCode code, OpParams parameters, TestTensor[] inputs, int[] outputShape, string fragment)
    {
        _ = name;
        var model = OneOpModel.Build(code, parameters, inputs, outputShape);
        var e = Assert.Throws<ModelFormatException>(() => new Session(model));
        Assert.Contains("op 'op'", e.Message);
        Assert.Contains(fragment, e.Message);
    }
}
