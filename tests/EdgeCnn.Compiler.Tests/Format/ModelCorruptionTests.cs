using System.Buffers.Binary;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Format;

/// <summary>
/// A damaged file must end in a <see cref="ModelFormatException"/> naming the file, never in another
/// exception, an out-of-range read or a huge allocation. "Re-signed" variants recompute the checksum
/// after the damage so the structural validation, not just the CRC, is exercised.
/// </summary>
public sealed class ModelCorruptionTests
{
    private const string Source = "corrupt.ecnn";
    private static readonly byte[] Original = ModelWriter.ToBytes(FormatTestModels.SmallNetwork());

    [Fact]
    public void TestFile_IsARealisticFewKilobytes()
    {
        Assert.InRange(Original.Length, 2_000, 8_000);
        ModelReader.Read(Original, Source);
    }

    [Fact]
    public void TruncationAtEveryLength_IsRefused()
    {
        for (int length = 0; length < Original.Length; length++)
            ExpectRefused(Original[..length], $"truncated to {length} bytes");
    }

    [Fact]
    public void TruncationAtEveryLength_WithHeaderLengthAndChecksumFixedUp_IsRefused()
    {
        for (int length = EcnnBytes.HeaderSize; length < Original.Length; length++)
        {
            var file = Original[..length];
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), (ulong)length);
            EcnnBytes.Resign(file);
            ExpectRefused(file, $"truncated to {length} bytes, re-signed");
        }
    }

    [Theory]
    [InlineData(SectionId.Strings)]
    [InlineData(SectionId.Tensors)]
    [InlineData(SectionId.Ops)]
    [InlineData(SectionId.Graph)]
    public void TableSectionShortenedToEveryLength_IsRefused(SectionId id)
    {
        var (_, length) = EcnnBytes.Section(Original, (uint)id);
        for (int shorter = 0; shorter < length; shorter++)
        {
            var file = (byte[])Original.Clone();
            EcnnBytes.SetSectionLength(file, (uint)id, shorter);
            EcnnBytes.Resign(file);
            ExpectRefused(file, $"{id} section shortened to {shorter} bytes");
        }
    }

    [Fact]
    public void WeightBlobShortenedBelowTheLastConstant_IsRefused()
    {
        var model = FormatTestModels.SmallNetwork();
        long lastEnd = model.Tensors.Where(t => t.Kind == TensorKind.Constant).Max(t => t.ConstantOffset + t.ByteLength);
        for (long shorter = 0; shorter < lastEnd; shorter++)
        {
            var file = (byte[])Original.Clone();
            EcnnBytes.SetSectionLength(file, (uint)SectionId.Weights, shorter);
            EcnnBytes.Resign(file);
            ExpectRefused(file, $"weight blob shortened to {shorter} bytes");
        }
    }

    [Fact]
    public void EverySingleBitFlip_IsRefused()
    {
        var file = (byte[])Original.Clone();
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

    [Fact]
    public void EverySingleBitFlip_ReSigned_IsRefusedOrReadsAsAValidModel()
    {
        var (weights, _) = EcnnBytes.Section(Original, (uint)SectionId.Weights);
        int refusedInTables = 0, acceptedInWeights = 0;
        var file = (byte[])Original.Clone();
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
        Assert.Equal((Original.Length - weights) * 8, acceptedInWeights);
        Assert.True(refusedInTables > weights * 8 / 2, $"only {refusedInTables} of {weights * 8} table bit flips were refused");
    }

    [Fact]
    public void RandomFieldOverwrites_ReSigned_AreRefusedOrReadAsAValidModel()
    {
        var (weights, _) = EcnnBytes.Section(Original, (uint)SectionId.Weights);
        ulong[] extremes = [0, 1, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, ulong.MaxValue, long.MaxValue];
        var random = new Random(20240611);
        for (int n = 0; n < 20_000; n++)
        {
            var file = (byte[])Original.Clone();
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
