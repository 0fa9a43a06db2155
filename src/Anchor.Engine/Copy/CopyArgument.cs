namespace Anchor.Engine.Copy;

/// <summary>
/// One side of <c>cp</c>: <c>CONTAINER:PATH</c> or a local path (docker cli splitCpArg). An absolute
/// path is always local, and so is a path starting with "." (<c>./file:name</c>), so a colon in a
/// local file name can be written that way.
/// </summary>
public sealed record CopyArgument(string? Container, string Path)
{
    public bool IsStdio => Container is null && Path == "-";

    public static CopyArgument Parse(string arg)
    {
        if (arg.StartsWith('/'))
        {
            return new CopyArgument(null, arg);
        }

        var colon = arg.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || arg.StartsWith('.'))
        {
            return new CopyArgument(null, arg);
        }

        // "CONTAINER:" alone means the container's root, as docker's daemon reads an empty path.
        return new CopyArgument(arg[..colon], arg[(colon + 1)..]);
    }
}
