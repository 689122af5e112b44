using System.Buffers.Binary;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Format;

/// <summary>
/// A damaged file must end in a <see cref="ModelFormatException"/> naming the file, never in another
/// exception, an out-of-range read or a huge allocation. "Re-signed" variants recompute the checksum
/// after the damage so the structural validation, not just the CRC, is exercised. Each test runs on a float
/// model and on an int8 model (which adds the Quantization section).
/// </summary>
public sealed class ModelCorruptionTests
{
    private const string Source = "corrupt.ecnn";
    private static readonly byte[] Original = ModelWriter.ToBytes(FormatTestModels.SmallNetwork());
    private static readonly byte[] Quantized = ModelWriter.ToBytes(FormatTestModels.QuantizedNetwork());

    public static TheoryData<string> Files => ["float", "int8"];

    private static byte[] File(string which) => which == "int8" ? Quantized : Original;

    private static CompiledModel Model(string which) => which == "int8" ? FormatTestModels.QuantizedNetwork() : FormatTestModels.SmallNetwork();

    [Fact]
    public void TestFile_IsARealisticFewKilobytes()
    {
        Assert.InRange(Original.Length, 2_000, 8_000);
        ModelReader.Read(Original, Source);
    }

    [Fact]
    public void QuantizedTestFile_Reads()
    {
        Assert.InRange(Quantized.Length, 1_000, 8_000);
        Assert.Contains(ModelReader.Read(Quantized, Source).Tensors, t => t.Quant is not null);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void TruncationAtEveryLength_IsRefused(string which)
    {
        var original = File(which);
        for (int length = 0; length < original.Length; length++)
            ExpectRefused(original[..length], $"truncated to {length} bytes");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void TruncationAtEveryLength_WithHeaderLengthAndChecksumFixedUp_IsRefused(string which)
    {
        var original = File(which);
        for (int length = EcnnBytes.HeaderSize; length < original.Length; length++)
        {
            var file = original[..length];
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), (ulong)length);
            EcnnBytes.Resign(file);
            ExpectRefused(file, $"truncated to {length} bytes, re-signed");
        }
    }

    [Theory]
    [InlineData(SectionId.Strings, "float")]
    [InlineData(SectionId.Tensors, "float")]
    [InlineData(SectionId.Ops, "float")]
    [InlineData(SectionId.Graph, "float")]
    [InlineData(SectionId.Tensors, "int8")]
    [InlineData(SectionId.Quantization, "int8")]
    [InlineData(SectionId.Ops, "int8")]
    [InlineData(SectionId.Plan, "float")]
    [InlineData(SectionId.Plan, "int8")]
    public void TableSectionShortenedToEveryLength_IsRefused(SectionId id, string which)
    {
        var original = File(which);
        var (_, length) = EcnnBytes.Section(original, (uint)id);
        for (int shorter = 0; shorter < length; shorter++)
        {
            var file = (byte[])original.Clone();
            EcnnBytes.SetSectionLength(file, (uint)id, shorter);
            EcnnBytes.Resign(file);
            ExpectRefused(file, $"{id} section shortened to {shorter} bytes");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void WeightBlobShortenedBelowTheLastConstant_IsRefused(string which)
    {
        var model = Model(which);
        long lastEnd = model.Tensors.Where(t => t.Kind == TensorKind.Constant).Max(t => t.ConstantOffset + t.ByteLength);
        for (long shorter = 0; shorter < lastEnd; shorter++)
        {
            var file = (byte[])File(which).Clone();
            EcnnBytes.SetSectionLength(file, (uint)SectionId.Weights, shorter);
            EcnnBytes.Resign(file);
            ExpectRefused(file, $"weight blob shortened to {shorter} bytes");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EverySingleBitFlip_IsRefused(string which)
    {
        var file = (byte[])File(which).Clone();
        for (int i = 0; i < file.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                file[i] ^= (byte)(1 << bit);
                ExpectRefused(file, $"bit {bit} of byte {i} flipped");
                file[i] ^= (byte)(1 << bit);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EverySingleBitFlip_ReSigned_IsRefusedOrReadsAsAValidModel(string which)
    {
        var original = File(which);
        var (weights, _) = EcnnBytes.Section(original, (uint)SectionId.Weights);
        int refusedInTables = 0, acceptedInWeights = 0;
        var file = (byte[])original.Clone();
        for (int i = 0; i < file.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                file[i] ^= (byte)(1 << bit);
                EcnnBytes.Resign(file);
                bool accepted = RefusedOrValid(file, $"bit {bit} of byte {i} flipped, re-signed");
                if (!accepted && i < weights) refusedInTables++;
                if (accepted && i >= weights) acceptedInWeights++;
                file[i] ^= (byte)(1 << bit);
            }
        }
        // Flipped weights are still a well-formed model; most flipped table bits are not.
        Assert.Equal((original.Length - weights) * 8, acceptedInWeights);
        Assert.True(refusedInTables > weights * 8 / 2, $"only {refusedInTables} of {weights * 8} table bit flips were refused");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void RandomFieldOverwrites_ReSigned_AreRefusedOrReadAsAValidModel(string which)
    {
        var original = File(which);
        var (weights, _) = EcnnBytes.Section(original, (uint)SectionId.Weights);
        ulong[] extremes = [0, 1, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, ulong.MaxValue, long.MaxValue];
        var random = new Random(20240611);
        for (int n = 0; n < 20_000; n++)
        {
            var file = (byte[])original.Clone();
            int width = 1 << random.Next(4);
            int at = random.Next(EcnnBytes.HeaderSize, weights - width + 1);
            ulong value = random.Next(3) == 0 ? extremes[random.Next(extremes.Length)] : (ulong)random.NextInt64();
            for (int k = 0; k < width; k++) file[at + k] = (byte)(value >> (8 * k));
            EcnnBytes.Resign(file);
            RefusedOrValid(file, $"{width} bytes at {at} set to 0x{value:X}");
        }
    }

    private static void ExpectRefused(byte[] file, string damage)
    {
        try
        {
            ModelReader.Read(file, Source);
        }
        catch (ModelFormatException e)
        {
            Assert.StartsWith(Source + ": ", e.Message);
            return;
        }
        catch (Exception e)
        {
            Assert.Fail($"{damage}: expected ModelFormatException, got {e}");
        }
        Assert.Fail($"{damage}: the file was accepted");
    }

    /// <summary>Returns whether the file was accepted; fails on any exception other than ModelFormatException.</summary>
    private static bool RefusedOrValid(byte[] file, string damage)
    {
        try
        {
            ModelReader.Read(file, Source);
            return true;
        }
        catch (ModelFormatException e)
        {
            Assert.StartsWith(Source + ": ", e.Message);
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{damage}: expected ModelFormatException or a valid model, got {e}");
            return false;
        }
    }
}
