using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler.Analysis;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Tests.Analysis;

public class ModelAnalyzerTests
{
    /// <summary>
    /// NCHW input [1,3,8,8] → Transpose to NHWC → Conv 3×3 (3→4, pad 1, bias) → MaxPool 2×2/2 →
    /// depthwise Conv 3×3 dilation 2 (pad 2, no bias) → Add(pool, dw) → GlobalAveragePool → Reshape [1,4]
    /// → FullyConnected 4→10 (bias).
    /// </summary>
    private static (CompiledModel Model, int Output) SmallCnn()
    {
        var m = new ModelSketch();
        int x = m.Input(1, 3, 8, 8);
        int nhwc = m.Op(OpCode.Transpose, [x], [1, 8, 8, 3], new OpParams().Set(ParamKey.Perm, 0, 2, 3, 1));
        int conv = m.Op(OpCode.Conv2D, [nhwc, m.Constant(4, 3, 3, 3), m.Constant(4)], [1, 8, 8, 4], ModelSketch.Window(3, pad: 1));
        int pool = m.Op(OpCode.MaxPool2D, [conv], [1, 4, 4, 4], ModelSketch.Window(2, s: 2));
        int dw = m.Op(OpCode.Conv2D, [pool, m.Constant(4, 3, 3, 1), -1], [1, 4, 4, 4], ModelSketch.Window(3, d: 2, pad: 2, group: 4));
        int add = m.Op(OpCode.Binary, [pool, dw], [1, 4, 4, 4], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Add));
        int gap = m.Op(OpCode.GlobalAveragePool, [add], [1, 1, 1, 4]);
        int flat = m.Op(OpCode.Reshape, [gap], [1, 4]);
        int fc = m.Op(OpCode.FullyConnected, [flat, m.Constant(10, 4), m.Constant(10)], [1, 10]);
        return (m.Build(fc), fc);
    }

    [Fact]
    public void Params_follow_kh_kw_cin_over_g_cout_plus_bias()
    {
        var stats = ModelAnalyzer.Analyze(SmallCnn().Model);
        // conv 3·3·3·4 + 4 = 112; depthwise 3·3·(4/4)·4 = 36; FC 4·10 + 10 = 50.
        Assert.Equal([0L, 112, 0, 36, 0, 0, 0, 50], stats.Layers.Select(l => l.Params));
        Assert.Equal(198, stats.Params);
        Assert.Equal(198 * 4, stats.WeightBytes); // float32, without the blob's alignment padding
    }

    [Fact]
    public void Macs_follow_kh_kw_cin_over_g_cout_oh_ow()
    {
        var stats = ModelAnalyzer.Analyze(SmallCnn().Model);
        // conv 3·3·3·4·8·8 = 6912; depthwise 3·3·1·4·4·4 = 576; FC 1·4·10 = 40.
        Assert.Equal([0L, 6912, 0, 576, 0, 0, 0, 40], stats.Layers.Select(l => l.Macs));
        Assert.Equal(7528, stats.Macs);
    }

    [Fact]
    public void Receptive_field_grows_with_kernel_stride_and_dilation()
    {
        var rf = ModelAnalyzer.Analyze(SmallCnn().Model).Layers.Select(l => l.ReceptiveField.Height).ToArray();
        // transpose 1; conv3 1+2·1 = 3 (jump 1); pool2/2 3+1·1 = 4 (jump 2); dw k_eff = 2·2+1 = 5: 4+4·2 = 12;
        // add max(4, 12) = 12; global pool sees the whole add output: 12 + (4−1)·2 = 18; reshape and FC keep 18.
        Assert.Equal([1.0, 3, 4, 12, 12, 18, 18, 18], rf);
        Assert.All(ModelAnalyzer.Analyze(SmallCnn().Model).Layers, l => Assert.Equal(l.ReceptiveField.Height, l.ReceptiveField.Width));
    }

    [Fact]
    public void Activation_bytes_and_peak_live_memory()
    {
        var stats = ModelAnalyzer.Analyze(SmallCnn().Model);
        Assert.Equal([768L, 1024, 256, 256, 256, 16, 16, 40], stats.Layers.Select(l => l.ActivationBytes));
        // Live at op 1 (conv): its input (transpose output, 768) and its output (1024). Every other step holds less:
        // step 0: input 768 + transposed 768 = 1536; step 4: pool + dw + add = 768.
        Assert.Equal(1792, stats.PeakActivationBytes);
        Assert.Equal(1, stats.PeakStep);
        Assert.True(stats.PlannedArenaBytes >= stats.PeakActivationBytes);
    }

    [Fact]
    public void Planned_arena_equals_the_sessions_plan()
    {
        var (model, _) = SmallCnn();
        var stats = ModelAnalyzer.Analyze(model);
        Assert.Equal(new Session(model).PlannedArenaBytes, stats.PlannedArenaBytes);
    }

    [Fact]
    public void Strided_stack_matches_the_classic_receptive_field_arithmetic()
    {
        // Three 3×3 convs with strides 2, 2, 1 on 32×32: rf 3 (j 2), 3+2·2 = 7 (j 4), 7+2·4 = 15.
        var m = new ModelSketch();
        int x = m.Input(1, 32, 32, 1);
        int a = m.Op(OpCode.Conv2D, [x, m.Constant(1, 3, 3, 1), -1], [1, 16, 16, 1], ModelSketch.Window(3, s: 2, pad: 1));
        int b = m.Op(OpCode.Conv2D, [a, m.Constant(1, 3, 3, 1), -1], [1, 8, 8, 1], ModelSketch.Window(3, s: 2, pad: 1));
        int c = m.Op(OpCode.AveragePool2D, [b], [1, 8, 8, 1], ModelSketch.Window(3, pad: 1));
        var layers = ModelAnalyzer.Analyze(m.Build(c)).Layers;
        Assert.Equal([3.0, 7, 15], layers.Select(l => l.ReceptiveField.Height));
    }

    [Fact]
    public void Asymmetric_kernels_give_separate_height_and_width()
    {
        var m = new ModelSketch();
        int x = m.Input(1, 10, 10, 2);
        var p = new OpParams().Set(ParamKey.Kernel, 1, 5).Set(ParamKey.Strides, 1, 1).Set(ParamKey.Dilations, 1, 1)
            .Set(ParamKey.Pads, 0, 2, 0, 2).Set(ParamKey.Group, 1);
        int y = m.Op(OpCode.Conv2D, [x, m.Constant(3, 1, 5, 2), -1], [1, 10, 10, 3], p);
        var layer = Assert.Single(ModelAnalyzer.Analyze(m.Build(y)).Layers);
        Assert.Equal(new ReceptiveField(1, 5), layer.ReceptiveField);
        Assert.Equal("1x5", layer.ReceptiveField.ToString());
        Assert.Equal(10L * 10 * 3 * 1 * 5 * 2, layer.Macs);
        Assert.Equal(30, layer.Params);
    }

    [Fact]
    public void Gemm_matmul_and_transposed_conv_macs()
    {
        var m = new ModelSketch();
        int a = m.Input(3, 2);
        int gemm = m.Op(OpCode.Gemm, [a, m.Constant(3, 5), -1], [2, 5], new OpParams().Set(ParamKey.TransA, 1));
        int batched = m.Input(4, 2, 3);
        int matmul = m.Op(OpCode.MatMul, [batched, m.Constant(3, 6)], [4, 2, 6]);
        int image = m.Input(1, 4, 4, 2);
        var p = ModelSketch.Window(3, s: 2);
        int up = m.Op(OpCode.ConvTranspose2D, [image, m.Constant(2, 3, 3, 5), -1], [1, 9, 9, 5], p);
        var layers = ModelAnalyzer.Analyze(m.Build(gemm, matmul, up)).Layers;
        Assert.Equal(2 * 3 * 5, layers[0].Macs);                  // M·K·N with A transposed: K = 3
        Assert.Equal(4 * 2 * 3 * 6, layers[1].Macs);              // batch·M·K·N
        Assert.Equal(4 * 4 * 2 * 3 * 3 * 5, layers[2].Macs);      // every input element × KH·KW·Cout/g
        // Each output of a stride-2 3×3 transposed conv reads ⌊2/2⌋+1 = 2 neighbouring inputs.
        Assert.Equal(2, layers[2].ReceptiveField.Height);
    }

    [Fact]
    public void Int8_transposed_conv_counts_the_macs_of_its_float_form()
    {
        // Int8 ConvTranspose2D stores W output-channel-major, [Cout,KH,KW,Cin/g] (OpCode docs), the float op
        // [Cin,KH,KW,Cout/g]; both scatter every input element into KH·KW·Cout/g outputs.
        var m = new ModelSketch();
        int image = m.Input(1, 4, 4, 6);
        var p = ModelSketch.Window(3, s: 2, group: 2);
        int asFloat = m.Op(OpCode.ConvTranspose2D, [image, m.Constant(6, 3, 3, 5), -1], [1, 9, 9, 10], p);
        int asInt8 = m.Op(OpCode.ConvTranspose2D, [image, m.Int8Constant(10, 3, 3, 3), -1], [1, 9, 9, 10], p);
        var layers = ModelAnalyzer.Analyze(m.Build(asFloat, asInt8)).Layers;
        Assert.Equal(4 * 4 * 6 * 3 * 3 * 5, layers[0].Macs);
        Assert.Equal(layers[0].Macs, layers[1].Macs);
    }

    [Fact]
    public void A_constant_shared_by_two_ops_counts_once_in_the_total()
    {
        var m = new ModelSketch();
        int x = m.Input(1, 4);
        int w = m.Constant(4, 4);
        int y = m.Op(OpCode.FullyConnected, [x, w, -1], [1, 4]);
        int z = m.Op(OpCode.FullyConnected, [y, w, -1], [1, 4]);
        var stats = ModelAnalyzer.Analyze(m.Build(z));
        Assert.Equal([16L, 16], stats.Layers.Select(l => l.Params));
        Assert.Equal(16, stats.Params);
    }

    [Fact]
    public void Fully_connected_over_many_rows_is_pointwise_but_over_one_row_sees_everything()
    {
        var m = new ModelSketch();
        int x = m.Input(1, 6, 6, 2);
        int conv = m.Op(OpCode.Conv2D, [x, m.Constant(2, 3, 3, 2), -1], [1, 4, 4, 2], ModelSketch.Window(3));
        int pointwise = m.Op(OpCode.FullyConnected, [conv, m.Constant(2, 2), -1], [1, 4, 4, 2]);
        int flat = m.Op(OpCode.Reshape, [pointwise], [1, 32]);
        int dense = m.Op(OpCode.FullyConnected, [flat, m.Constant(3, 32), -1], [1, 3]);
        var rf = ModelAnalyzer.Analyze(m.Build(dense)).Layers.Select(l => l.ReceptiveField.Height);
        // conv 3; a 1×1 conv as FC keeps 3; reshape keeps 3; the dense layer reads all 4 positions: 3 + (4−1)·1 = 6.
        Assert.Equal([3.0, 3, 3, 6], rf);
    }

    [Fact]
    public void Squeeze_and_excitation_widens_the_field_to_the_whole_map_but_keeps_its_spacing()
    {
        var m = new ModelSketch();
        int x = m.Input(1, 2, 8, 8);
        int nhwc = m.Op(OpCode.Transpose, [x], [1, 8, 8, 2], new OpParams().Set(ParamKey.Perm, 0, 2, 3, 1));
        int conv = m.Op(OpCode.Conv2D, [nhwc, m.Constant(2, 3, 3, 2), -1], [1, 4, 4, 2], ModelSketch.Window(3, s: 2, pad: 1));
        int gap = m.Op(OpCode.GlobalAveragePool, [conv], [1, 1, 1, 2]);
        int scaled = m.Op(OpCode.Binary, [conv, gap], [1, 4, 4, 2], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Mul));
        int next = m.Op(OpCode.Conv2D, [scaled, m.Constant(2, 3, 3, 2), -1], [1, 4, 4, 2], ModelSketch.Window(3, pad: 1));
        var rf = ModelAnalyzer.Analyze(m.Build(next)).Layers.Select(l => l.ReceptiveField.Height);
        // conv 3 (jump 2) over 4 positions sees 3 + 3·2 = 9 as a whole; the pooled gate sees 9; the product max(3, 9) = 9;
        // the next 3×3 conv steps over the map's spacing 2: 9 + 2·2 = 13.
        Assert.Equal([1.0, 3, 9, 9, 13], rf);
    }
}
