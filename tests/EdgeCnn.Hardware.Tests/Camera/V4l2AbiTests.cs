using System.Runtime.InteropServices;
using EdgeCnn.Hardware.Interop.Linux;

namespace EdgeCnn.Hardware.Tests.Camera;

/// <summary>
/// The V4L2 structs and ioctl numbers against the 64-bit Linux ABI (x86-64 and arm64 share it for these structs).
/// Expected sizes and offsets are worked out from videodev2.h by hand; the request numbers are the values the kernel
/// headers produce on those targets (e.g. VIDIOC_QUERYCAP = 0x80685600).
/// </summary>
public sealed class V4l2AbiTests
{
    [Fact]
    public unsafe void Struct_sizes_match_the_64_bit_abi()
    {
        Assert.Equal(104, sizeof(V4l2Capability));
        Assert.Equal(64, sizeof(V4l2FmtDesc));
        Assert.Equal(48, sizeof(V4l2PixFormat));
        Assert.Equal(208, sizeof(V4l2Format));
        Assert.Equal(20, sizeof(V4l2RequestBuffers));
        Assert.Equal(88, sizeof(V4l2Buffer));
        Assert.Equal(8, sizeof(PollFd));
    }

    [Theory]
    [InlineData(nameof(V4l2Buffer.Index), 0)]
    [InlineData(nameof(V4l2Buffer.Type), 4)]
    [InlineData(nameof(V4l2Buffer.BytesUsed), 8)]
    [InlineData(nameof(V4l2Buffer.Flags), 12)]
    [InlineData(nameof(V4l2Buffer.Field), 16)]
    [InlineData(nameof(V4l2Buffer.TimestampSeconds), 24)]   // struct timeval aligned to 8
    [InlineData(nameof(V4l2Buffer.TimestampMicroseconds), 32)]
    [InlineData(nameof(V4l2Buffer.TimecodeType), 40)]      // struct v4l2_timecode: 16 bytes
    [InlineData(nameof(V4l2Buffer.Sequence), 56)]
    [InlineData(nameof(V4l2Buffer.Memory), 60)]
    [InlineData(nameof(V4l2Buffer.Offset), 64)]            // union m (8 bytes: userptr, planes)
    [InlineData(nameof(V4l2Buffer.Length), 72)]
    [InlineData(nameof(V4l2Buffer.Reserved2), 76)]
    [InlineData(nameof(V4l2Buffer.RequestFd), 80)]
    public void V4l2Buffer_field_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<V4l2Buffer>(field));

    [Theory]
    [InlineData(nameof(V4l2PixFormat.Width), 0)]
    [InlineData(nameof(V4l2PixFormat.Height), 4)]
    [InlineData(nameof(V4l2PixFormat.PixelFormat), 8)]
    [InlineData(nameof(V4l2PixFormat.Field), 12)]
    [InlineData(nameof(V4l2PixFormat.BytesPerLine), 16)]
    [InlineData(nameof(V4l2PixFormat.SizeImage), 20)]
    [InlineData(nameof(V4l2PixFormat.Colorspace), 24)]
    [InlineData(nameof(V4l2PixFormat.TransferFunction), 44)]
    public void V4l2PixFormat_field_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<V4l2PixFormat>(field));

    [Fact]
    public void Other_field_offsets()
    {
        // v4l2_format: the union follows the type at 8 (v4l2_window's pointers align it to 8).
        Assert.Equal(8, (int)Marshal.OffsetOf<V4l2Format>(nameof(V4l2Format.Pix)));
        Assert.Equal(80, (int)Marshal.OffsetOf<V4l2Capability>(nameof(V4l2Capability.Version)));
        Assert.Equal(84, (int)Marshal.OffsetOf<V4l2Capability>(nameof(V4l2Capability.Capabilities)));
        Assert.Equal(88, (int)Marshal.OffsetOf<V4l2Capability>(nameof(V4l2Capability.DeviceCaps)));
        Assert.Equal(44, (int)Marshal.OffsetOf<V4l2FmtDesc>(nameof(V4l2FmtDesc.PixelFormat)));
        Assert.Equal(16, (int)Marshal.OffsetOf<V4l2RequestBuffers>(nameof(V4l2RequestBuffers.Flags)));
        Assert.Equal(6, (int)Marshal.OffsetOf<PollFd>(nameof(PollFd.ReturnedEvents)));
    }

    [Fact]
    public void Ioctl_request_numbers_match_the_kernel_headers()
    {
        Assert.Equal(0x80685600u, V4l2Ioctl.QueryCapability);
        Assert.Equal(0xC0405602u, V4l2Ioctl.EnumFormat);
        Assert.Equal(0xC0D05604u, V4l2Ioctl.GetFormat);
        Assert.Equal(0xC0D05605u, V4l2Ioctl.SetFormat);
        Assert.Equal(0xC0145608u, V4l2Ioctl.RequestBuffers);
        Assert.Equal(0xC0585609u, V4l2Ioctl.QueryBuffer);
        Assert.Equal(0xC058560Fu, V4l2Ioctl.QueueBuffer);
        Assert.Equal(0xC0585611u, V4l2Ioctl.DequeueBuffer);
        Assert.Equal(0x40045612u, V4l2Ioctl.StreamOn);
        Assert.Equal(0x40045613u, V4l2Ioctl.StreamOff);
    }

    [Fact]
    public void Fourcc_codes_put_the_first_character_in_the_low_byte()
    {
        Assert.Equal(0x56595559u, V4l2Constants.PixelFormatYuyv);
        Assert.Equal(0x47504A4Du, V4l2Constants.PixelFormatMjpeg);
        Assert.Equal("YUYV", FourCc.ToText(V4l2Constants.PixelFormatYuyv));
        Assert.Equal("AB??", FourCc.ToText(0x80004241u));
        Assert.Throws<ArgumentException>(() => FourCc.From("MJPEG"));
    }

    [Fact]
    public void Ioctl_encoding_rejects_arguments_that_do_not_fit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlRequest.ReadWrite('V', 1, 1 << 14));
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlRequest.Read('V', 256, 4));
    }
}
