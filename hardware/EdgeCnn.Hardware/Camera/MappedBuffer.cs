using System.Buffers;

namespace EdgeCnn.Hardware.Camera;

/// <summary>
/// A capture buffer mapped into the process, exposed as <see cref="Memory{T}"/> so a <see cref="Frame"/> can point at
/// it without copying. After <see cref="Invalidate"/> (the buffer is about to be unmapped) any further access throws
/// instead of touching unmapped memory.
/// </summary>
internal sealed unsafe class MappedBuffer : MemoryManager<byte>
{
    private byte* _pointer;
    private readonly int _length;

    public MappedBuffer(nint address, int length, string owner)
    {
        _pointer = (byte*)address;
        _length = length;
        Owner = owner;
    }

    public nint Address => (nint)_pointer;

    public int Length => _length;

    private string Owner { get; }

    public void Invalidate() => _pointer = null;

    public override Span<byte> GetSpan()
    {
        if (_pointer == null)
            throw new ObjectDisposedException(Owner, $"{Owner}: a frame was used after the next capture or after the camera was closed.");
        return new Span<byte>(_pointer, _length);
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        if (_pointer == null)
            throw new ObjectDisposedException(Owner, $"{Owner}: a frame was used after the next capture or after the camera was closed.");
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        return new MemoryHandle(_pointer + elementIndex);
    }

    // The memory is mapped, not pinned managed memory: nothing to release per pin.
    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing) => Invalidate();
}
