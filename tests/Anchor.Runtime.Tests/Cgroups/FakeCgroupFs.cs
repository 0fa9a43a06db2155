namespace Anchor.Runtime.Tests.Cgroups;

/// <summary>
/// A cgroup filesystem made of plain files in a temporary directory. The kernel makes control files
/// on mkdir; here a test pre-creates the group directories and the files it expects to be written.
/// Every write is recorded, in order, through the managers' onWrite hook.
/// </summary>
internal sealed class FakeCgroupFs : IDisposable
{
    public FakeCgroupFs()
    {
        Root = Directory.CreateTempSubdirectory("anchor-cgfs-").FullName;
    }

    public string Root { get; }

    public List<(string File, string Value)> Writes { get; } = [];

    /// <summary>Records a write as a path relative to the root.</summary>
    public void Record(string path, string value) => Writes.Add((Path.GetRelativePath(Root, path), value));

    /// <summary>Creates <paramref name="dir"/> (relative) holding the given files, each with the given content.</summary>
    public string Group(string dir, params (string Name, string Content)[] files)
    {
        var full = Path.Combine(Root, dir);
        Directory.CreateDirectory(full);
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(full, name), content);
        }

        return full;
    }

    public string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public bool Exists(string relative) => Directory.Exists(Path.Combine(Root, relative));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
