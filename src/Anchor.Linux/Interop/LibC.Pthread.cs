using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// pthread.h: threads made by libc itself (see NativeThread).
public static unsafe partial class LibC
{
    /// <summary>Bytes for an opaque pthread_attr_t (glibc x86_64: 56).</summary>
    public const int PthreadAttrSize = 64;

    public const int PTHREAD_CREATE_DETACHED = 1;

    [LibraryImport(Lib)]
    public static partial int pthread_attr_init(void* attr);

    [LibraryImport(Lib)]
    public static partial int pthread_attr_destroy(void* attr);

    [LibraryImport(Lib)]
    public static partial int pthread_attr_setstacksize(void* attr, nuint size);

    [LibraryImport(Lib)]
    public static partial int pthread_attr_setdetachstate(void* attr, int state);

    [LibraryImport(Lib)]
    public static partial int pthread_create(nuint* thread, void* attr, delegate* unmanaged<nint, nint> start, nint argument);
}
