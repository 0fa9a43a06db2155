using System.Runtime.InteropServices;

namespace Anchor.Linux;

/// <summary>
/// NUL-terminated UTF-8 copies of managed strings for a C call that takes <c>char *</c> and
/// <c>char *const[]</c> (posix_spawn's path, argv and envp), freed together on dispose.
/// </summary>
public sealed unsafe class NativeStrings : IDisposable
{
    private readonly List<nint> _allocations = [];

    /// <summary>One string; valid until this object is disposed.</summary>
    public byte* Add(string value)
    {
        var p = Marshal.StringToCoTaskMemUTF8(value);
        _allocations.Add(p);
        return (byte*)p;
    }

    /// <summary>A NULL-terminated array of copies of <paramref name="values"/>, after an optional first element.</summary>
    public byte** Array(IReadOnlyList<string> values, string? first = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var offset = first is null ? 0 : 1;
        var array = (byte**)Marshal.AllocCoTaskMem((values.Count + offset + 1) * sizeof(byte*));
        _allocations.Add((nint)array);
        if (first is not null)
        {
            array[0] = Add(first);
        }

        for (var i = 0; i < values.Count; i++)
        {
            array[i + offset] = Add(values[i]);
        }

        array[values.Count + offset] = null;
        return array;
    }

    public void Dispose()
    {
        foreach (var p in _allocations)
        {
            Marshal.FreeCoTaskMem(p);
        }

        _allocations.Clear();
    }
}
