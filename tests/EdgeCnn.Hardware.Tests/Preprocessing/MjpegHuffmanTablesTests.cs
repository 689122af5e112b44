using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Preprocessing;

namespace EdgeCnn.Hardware.Tests.Preprocessing;

/// <summary>MJPEG frames without Huffman tables (as UVC cameras send them) decode with the Annex K.3 tables. The fixture
/// gradient-64x48.jpg was written by libjpeg's cjpeg without -optimize, so it carries exactly those tables: they are
/// libjpeg's copy of Annex K, an independent check of ours.</summary>
public sealed class MjpegHuffmanTablesTests
{
    private static byte[] Fixture() => File.ReadAllBytes(PreprocessingMaterial.DataFile("gradient-64x48.jpg"));

    [Fact]
    public void The_inserted_tables_are_the_ones_libjpeg_writes()
    {
        var (stripped, tables) = SplitTables(Fixture());
        Assert.True(tables.Length > 0 && stripped.Length > 0);
        var segment = MjpegHuffmanTables.Segment.ToArray();
        Assert.Equal(new byte[] { 0xFF, 0xC4 }, segment[..2]);
        Assert.Equal(segment.Length - 2, (segment[2] << 8) | segment[3]);
        Assert.Equal(tables, segment[4..]);
    }

    [Fact]
    public void A_frame_without_tables_decodes_like_the_frame_with_them()
    {
        var whole = Fixture();
        var (stripped, _) = SplitTables(whole);
        var expected = EncodedImageDecoder.Decode(whole, "whole");
        var decoded = EncodedImageDecoder.Decode(stripped, "stripped");
        Assert.Equal((expected.Height, expected.Width, expected.Channels), (decoded.Height, decoded.Width, decoded.Channels));
        Assert.Equal(expected.Pixels, decoded.Pixels);

        // Through the frame preprocessor, as a camera frame.
        var p = PreprocessingPresets.FashionMnist;
        var input = new EdgeCnn.Hardware.Backends.BackendInput("x", [1, 1, 28, 28], true, 1f / 255, -128);
        var fromStripped = new sbyte[p.ElementCount];
        var fromWhole = new sbyte[p.ElementCount];
        new FramePreprocessor(p, input).Run(new Frame(new FrameFormat(64, 48, PixelFormat.Mjpeg, 0), stripped, 1, DateTimeOffset.UnixEpoch), fromStripped);
        new FramePreprocessor(p, input).Run(new Frame(new FrameFormat(64, 48, PixelFormat.Mjpeg, 0), whole, 1, DateTimeOffset.UnixEpoch), fromWhole);
        Assert.Equal(fromWhole, fromStripped);
    }

    [Fact]
    public void Frames_with_tables_and_other_data_are_left_alone()
    {
        Assert.Null(MjpegHuffmanTables.InsertIfMissing(Fixture()));
        Assert.Null(MjpegHuffmanTables.InsertIfMissing(File.ReadAllBytes(PreprocessingMaterial.FashionMnistSamples()[0])));
        Assert.Null(MjpegHuffmanTables.InsertIfMissing([0xFF, 0xD8, 0xFF]));
        // A header whose segment length runs past the end is not walked further.
        Assert.Null(MjpegHuffmanTables.InsertIfMissing([0xFF, 0xD8, 0xFF, 0xE0, 0x40, 0x00, 0x00]));
    }

    /// <summary>The JPEG without its DHT segments, and the DHT segments' payloads (class/id, counts, symbols) in order.</summary>
    private static (byte[] Stripped, byte[] Tables) SplitTables(byte[] jpeg)
    {
        var stripped = new List<byte> { jpeg[0], jpeg[1] };
        var tables = new List<byte>();
        int at = 2;
        while (true)
        {
            Assert.Equal(0xFF, jpeg[at]);
            byte marker = jpeg[at + 1];
            if (marker == 0xDA)
            {
                stripped.AddRange(jpeg[at..]);
                break;
            }
            int length = (jpeg[at + 2] << 8) | jpeg[at + 3];
            if (marker == 0xC4) tables.AddRange(jpeg[(at + 4)..(at + 2 + length)]);
            else stripped.AddRange(jpeg[at..(at + 2 + length)]);
            at += 2 + length;
        }
        return (stripped.ToArray(), tables.ToArray());
    }
}
