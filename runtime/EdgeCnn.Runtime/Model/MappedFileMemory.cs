using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace EdgeCnn.Runtime.Model;

/// <summary>
/// A read-only memory mapping of a whole model file, exposed as <see cref="Memory{T}"/> so the reader and the
/// model's weights use it like an array. Mappings start on a page boundary, so the file's 16-byte aligned
/// constants are aligned in memory. After <see cref="IDisposable.Dispose"/> the pages are unmapped and
/// <see cref="GetSpan"/> throws <see cref="ObjectDisposedException"/> instead of touching them.
/// </summary>
internal sealed unsafe class MappedFileMemory : MemoryManager<byte>
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;
    private readonly int _length;
    private bool _disposed;

    public MappedFileMemory(string path, int length)
    {
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        try
        {
            _view = _file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _start = pointer + _view.PointerOffset;
            _length = length;
        }
        catch
        {
            _view?.Dispose();
            _file.Dispose();
            throw;
        }
    }

    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new Span<byte>(_start, _length);
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)elementIndex > (uint)_length) throw new ArgumentOutOfRangeException(nameof(elementIndex));
        return new MemoryHandle(_start + elementIndex);
    }

    public override void Unpin() { }

    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
