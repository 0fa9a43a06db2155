namespace Anchor.Linux.Interop;

/// <summary>
/// Raw libc bindings, one partial file per C header, C names kept verbatim so the man pages apply.
/// Every call sets errno (SetLastError) and returns the C result; wrappers in <see cref="Sys"/> throw.
/// </summary>
public static unsafe partial class LibC
{
    internal const string Lib = "libc";
}
