namespace EdgeCnn.Hardware.Preprocessing;

/// <summary>
/// Many USB (UVC) cameras send MJPEG frames without Huffman tables: the MJPEG convention (the AVI1 format) says a
/// frame without a DHT segment is coded with the example tables of ITU-T T.81 Annex K.3, and leaves them out to save
/// bytes. A plain JPEG decoder (StbImageSharp) refuses such a frame, so the tables are inserted right after the
/// start-of-image marker when the frame's header has none.
/// </summary>
public static class MjpegHuffmanTables
{
    /// <summary>One DHT segment holding the four Annex K.3 tables (K.3.3.1 DC luminance and chrominance, K.3.3.2 AC
    /// luminance and chrominance): per table its class/id byte, the 16 code counts per length, then the symbols.</summary>
    private static readonly byte[] DefaultSegment = BuildSegment();

    /// <summary>The frame with the default tables inserted when it is a JPEG whose header (the segments before the
    /// start of scan) has no DHT; otherwise null (a JPEG with tables, data that is no JPEG, or a header too malformed
    /// to walk, which the decoder then reports).</summary>
    public static byte[]? InsertIfMissing(ReadOnlySpan<byte> jpeg)
    {
        if (!NeedsTables(jpeg)) return null;
        var result = new byte[jpeg.Length + DefaultSegment.Length];
        jpeg[..2].CopyTo(result);
        DefaultSegment.CopyTo(result, 2);
        jpeg[2..].CopyTo(result.AsSpan(2 + DefaultSegment.Length));
        return result;
    }

    /// <summary>The DHT segment (marker included) this class inserts.</summary>
    public static ReadOnlySpan<byte> Segment => DefaultSegment;

    private static bool NeedsTables(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) return false;
        int at = 2;
        while (at + 1 < jpeg.Length)
        {
            if (jpeg[at] != 0xFF) return false;
            byte marker = jpeg[at + 1];
            if (marker == 0xFF) { at++; continue; }                         // fill byte before a marker
            if (marker == 0xC4) return false;                               // DHT: the frame brings its tables
            if (marker == 0xDA) return true;                                // start of scan reached without one
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { at += 2; continue; } // markers without a length
            if (at + 3 >= jpeg.Length) return false;
            int length = (jpeg[at + 2] << 8) | jpeg[at + 3];
            if (length < 2) return false;
            at += 2 + length;
        }
        return false;
    }

    private static byte[] BuildSegment()
    {
        byte[][] tables =
        [
            // DC luminance (class 0, id 0)
            [0x00, 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0,
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
            // AC luminance (class 1, id 0): 162 symbols, the frequent run/size pairs first.
            [0x10, 0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D,
                0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
                0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0,
                0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28,
                0x29, 0x2A, .. Run(0x34, 0x3A), .. Run(0x43, 0x4A), .. Run(0x53, 0x5A), .. Run(0x63, 0x6A),
                .. Run(0x73, 0x7A), .. Run(0x83, 0x8A), .. Run(0x92, 0x9A), .. Run(0xA2, 0xAA), .. Run(0xB2, 0xBA),
                .. Run(0xC2, 0xCA), .. Run(0xD2, 0xDA), .. Run(0xE1, 0xEA), .. Run(0xF1, 0xFA)],
            // DC chrominance (class 0, id 1)
            [0x01, 0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
            // AC chrominance (class 1, id 1)
            [0x11, 0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77,
                0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
                0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33, 0x52, 0xF0,
                0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25, 0xF1, 0x17, 0x18, 0x19, 0x1A, 0x26,
                0x27, 0x28, 0x29, 0x2A, .. Run(0x35, 0x3A), .. Run(0x43, 0x4A), .. Run(0x53, 0x5A), .. Run(0x63, 0x6A),
                .. Run(0x73, 0x7A), .. Run(0x82, 0x8A), .. Run(0x92, 0x9A), .. Run(0xA2, 0xAA), .. Run(0xB2, 0xBA),
                .. Run(0xC2, 0xCA), .. Run(0xD2, 0xDA), .. Run(0xE2, 0xEA), .. Run(0xF2, 0xFA)],
        ];
        int length = 2 + tables.Sum(t => t.Length);
        byte[] segment = [0xFF, 0xC4, (byte)(length >> 8), (byte)length, .. tables.SelectMany(t => t)];
        return segment;
    }

    /// <summary>The consecutive symbols first..last: the tables' tails list every size of a run length in order.</summary>
    private static byte[] Run(int first, int last) => Enumerable.Range(first, last - first + 1).Select(b => (byte)b).ToArray();
}
