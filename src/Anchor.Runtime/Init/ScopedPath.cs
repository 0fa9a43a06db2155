namespace Anchor.Runtime.Init;

/// <summary>
/// Joins a container path onto the rootfs, resolving symlinks as if the rootfs were "/" so that a
/// link in the image (say /etc/resolv.conf -> /run/x, or -> ../../../host) can never make a mount
/// land outside it (CVE-2015-3627 class; filepath-securejoin's approach, youki's scoped_join).
/// </summary>
public static class ScopedPath
{
    private const int MaxLinks = 255;

    public static string Join(string root, string path)
    {
        var root_ = Path.GetFullPath(root).TrimEnd('/');
        var resolved = new List<string>();
        var pending = new Stack<string>(Split(path).Reverse());
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var candidate = root_ + "/" + string.Join('/', resolved.Append(part));
            var target = LinkTarget(candidate);
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"too many levels of symbolic links resolving {path} in {root}");
            }

            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }

            foreach (var p in Split(target).Reverse())
            {
                pending.Push(p);
            }
        }

        return resolved.Count == 0 ? root_ : root_ + "/" + string.Join('/', resolved);
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
}
