namespace Anchor.IntegrationTests;

/// <summary>One line of /proc/PID/mountinfo (proc(5)): the mount point, its options and the filesystem type.</summary>
public sealed record MountEntry(string MountPoint, string Options, string FsType, string Source, string SuperOptions)
{
    public bool ReadOnly => Options.Split(',').Contains("ro");

    public static List<MountEntry> Parse(string text)
    {
        var list = new List<MountEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var sep = line.IndexOf(" - ", StringComparison.Ordinal);
            if (sep < 0)
            {
                continue;
            }

            var left = line[..sep].Split(' ');
            var right = line[(sep + 3)..].Split(' ');
            if (left.Length < 6 || right.Length < 3)
            {
                continue;
            }

            list.Add(new MountEntry(Unescape(left[4]), left[5], right[0], right[1], right[2]));
        }

        return list;
    }

    /// <summary>The topmost mount at <paramref name="mountPoint"/> (the last one listed wins).</summary>
    public static MountEntry? Find(List<MountEntry> mounts, string mountPoint) => mounts.LastOrDefault(m => m.MountPoint == mountPoint);

    private static string Unescape(string s) => s.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
        .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}
