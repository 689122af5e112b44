using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>
/// A model whose input quantization was fused away (Int8 graph input) against the same model with the Quantize op
/// still in the graph: float data through <see cref="Session.Run(ReadOnlySpan{float}, Span{float})"/> gives the same
/// outputs, codes written through <see cref="Session.InputInt8"/> feed it with no copy, and neither path allocates.
/// </summary>
public sealed class Int8InputSessionTests
{
    private static readonly int[] Nchw = [1, 3, 4, 5];
    private static readonly int[] Nhwc = [1, 4, 5, 3];
    private static readonly QuantParams InputQuant = QuantParams.PerTensor(0.05f, -7);

    [Fact]
    public void Float_data_for_an_int8_input_is_quantized_as_the_quantize_op_does()
    {
        var withQuantize = new Session(Model(int8Input: false));
        var fused = new Session(Model(int8Input: true));
        var x = Awkward(Nchw.Aggregate(1, (a, d) => a * d));
        var expected = new float[x.Length];
        var actual = new float[x.Length];

        withQuantize.Run(x, expected);
        fused.Run(x, actual);

        Assert.Equal(expected, actual);
        // The outputs are the transposed codes, so an error in the quantization itself shows here too.
        var codes = new sbyte[x.Length];
        Qs8QuantizeReference.Run(x, InputQuant.Scale, InputQuant.ZeroPoint, codes);
        Assert.Equal(InputQuant.Scale * (codes[1 * 20 + 2 * 5 + 4] - InputQuant.ZeroPoint), actual[(2 * 5 + 4) * 3 + 1]);
    }

    [Fact]
    public void Codes_written_into_the_input_run_without_arguments()
    {
        var reference = new Session(Model(int8Input: true));
        var session = new Session(Model(int8Input: true));
        var x = Awkward(60);
        var expected = new float[60];
        reference.Run(x, expected);

        Qs8QuantizeReference.Run(x, InputQuant.Scale, InputQuant.ZeroPoint, session.InputInt8(0));
        session.Run();

        Assert.Equal(expected, session.OutputFloat(0).ToArray());
    }

    [Fact]
    public void Floats_written_into_an_int8_input_are_quantized_as_run_quantizes_them()
    {
        var session = new Session(Model(int8Input: true));
        var x = Awkward(60);
        var expected = new float[60];
        session.Run(x, expected);

        session.WriteInput(0, x);
        var codes = session.InputInt8(0).ToArray();
        session.Run();

        Assert.Equal(expected, session.OutputFloat(0).ToArray());
        var reference = new sbyte[60];
        Qs8QuantizeReference.Run(x, InputQuant.Scale, InputQuant.ZeroPoint, reference);
        Assert.Equal(reference, codes);
        Assert.Throws<ArgumentOutOfRangeException>(() => session.WriteInput(1, x));
        Assert.Throws<ArgumentException>(() => session.WriteInput(0, new float[59]));
    }

    [Fact]
    public void Float_input_written_in_place_matches_the_copying_run()
    {
        var session = new Session(Model(int8Input: false));
        var x = Awkward(60);
        var expected = new float[60];
        session.Run(x, expected);

        x.CopyTo(session.InputFloat(0));
        session.Run();

        Assert.Equal(expected, session.OutputFloat(0).ToArray());
    }

    [Fact]
    public void Zero_copy_and_quantizing_runs_allocate_nothing_after_warm_up()
    {
        var session = new Session(Model(int8Input: true));
        var x = Awkward(60);
        var output = new float[60];
        float sum = 0;
        for (int i = 0; i < 3; i++)
        {
            session.Run(x, output);
            session.InputInt8(0).Fill(1);
            session.Run();
            sum += session.OutputFloat(0)[0];
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            session.Run(x, output);
            session.InputInt8(0).Fill((sbyte)i);
            session.Run();
            sum += session.OutputFloat(0)[0];
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(InputQuant.Scale * (99 - InputQuant.ZeroPoint), session.OutputFloat(0)[59]);
        Assert.True(float.IsFinite(sum));
    }

    [Fact]
    public void Asking_for_the_wrong_input_type_names_the_input()
    {
        var int8 = new Session(Model(int8Input: true));
        var float32 = new Session(Model(int8Input: false));

        var e = Assert.Throws<InvalidOperationException>(() => int8.InputFloat(0));
        Assert.Contains("'x'", e.Message);
        Assert.Contains("Int8", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => float32.InputInt8(0));
        Assert.Contains("'x'", e.Message);
        Assert.Contains("InputFloat", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => int8.InputInt8(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => int8.InputInt8(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => int8.OutputFloat(1));
    }

    [Fact]
    public void A_per_channel_int8_input_refuses_float_data()
    {
        var b = new QuantizedModelBuilder();
        var perChannel = new QuantParams([0.1f, 0.2f, 0.3f], [0, 0, 0], axis: 1);
        int x = b.Input("x", DataType.Int8, Nchw, perChannel);
        // No int8 op reads per-channel activations, so the input is also the (only) output of an op-less model.
        var session = new Session(b.Output(x).Build());

        var e = Assert.Throws<ArgumentException>(() => session.Run(new float[60], new float[60]));
        Assert.Contains("'x'", e.Message);
        Assert.Contains("per-channel", e.Message);
    }

    /// <summary>x [1,3,4,5] (float, then Quantize; or Int8 directly) → Transpose to NHWC → Dequantize.</summary>
    private static CompiledModel Model(bool int8Input)
    {
        var b = new QuantizedModelBuilder();
        int codes;
        if (int8Input)
        {
            codes = b.Input("x", DataType.Int8, Nchw, InputQuant);
        }
        else
        {
            int x = b.Input("x", DataType.Float32, Nchw);
            codes = b.Activation("x_q", DataType.Int8, Nchw, InputQuant);
            b.Op(OpCode.Quantize, [x], [codes], null, "quantize");
        }
        int nhwc = b.Activation("x_nhwc", DataType.Int8, Nhwc, InputQuant);
        b.Op(OpCode.Transpose, [codes], [nhwc], new OpParams().Set(ParamKey.Perm, 0, 2, 3, 1), "to_nhwc");
        int y = b.Activation("y", DataType.Float32, Nhwc);
        b.Op(OpCode.Dequantize, [nhwc], [y], null, "dequantize");
        return b.Output(y).Build();
    }

    /// <summary>Values that test the rounding: exact midpoints between codes, both saturations, NaN, infinities.</summary>
    private static float[] Awkward(int count)
    {
        var rng = new Random(count);
        var x = new float[count];
        for (int i = 0; i < count; i++)
            x[i] = (i % 6) switch
            {
                0 => InputQuant.Scale * (rng.Next(-40, 40) + 0.5f),
                1 => (float)(rng.NextDouble() * 20 - 10),
                2 => float.NaN,
                3 => i % 4 == 3 ? float.PositiveInfinity : float.NegativeInfinity,
                _ => (float)(rng.NextDouble() * 12 - 6),
            };
        return x;
    }
}
