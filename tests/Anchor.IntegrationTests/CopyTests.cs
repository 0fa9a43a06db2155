using System.Formats.Tar;
using System.Text;

namespace Anchor.IntegrationTests;

/// <summary>
/// <c>anchor cp</c> against running and stopped containers: docker's path rules in both directions,
/// tar streams on stdin/stdout, ownership with and without -a, -L, docker's error lines, and the
/// confinement of every container path (CVE-2018-15664, CVE-2019-14271): "..", symlinks to "/",
/// to ../../.. and to absolute host paths all resolve inside the container, never on the host.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class CopyTests(AnchorFixture anchor) : IDisposable
{
    private readonly List<string> _containers = [];
    private readonly string _scratch = CreateScratch(anchor);

    public void Dispose()
    {
        anchor.ForceRemove([.. _containers]);
        Directory.Delete(_scratch, recursive: true);
    }

    // ---- out of a container -------------------------------------------------------------

    [Fact]
    public void CopyOut_RunningFileToMissingPath_CreatesTheFile()
    {
        var name = Running();
        Exec(name, "echo hello > /data.txt");
        var dest = Path.Combine(_scratch, "copy.txt");
        Cp($"{name}:/data.txt", dest);
        Assert.Equal("hello\n", File.ReadAllText(dest));
    }

    [Fact]
    public void CopyOut_FileOntoExistingFile_OverwritesIt_AndIntoDirectory_KeepsItsName()
    {
        var name = Running();
        Exec(name, "echo new > /data.txt");
        var file = Path.Combine(_scratch, "existing.txt");
        File.WriteAllText(file, "old old old");
        Cp($"{name}:/data.txt", file);
        Assert.Equal("new\n", File.ReadAllText(file));

        Cp($"{name}:/data.txt", _scratch);
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(_scratch, "data.txt")));
    }

    [Fact]
    public void CopyOut_Directory_ToMissingPath_IntoExistingDirectory_AndDotContents()
    {
        var name = Running();
        Exec(name, "mkdir -p /d/sub && echo a > /d/a && echo b > /d/sub/b");

        var created = Path.Combine(_scratch, "created");
        Cp($"{name}:/d", created);
        Assert.Equal("a\n", File.ReadAllText(Path.Combine(created, "a")));
        Assert.Equal("b\n", File.ReadAllText(Path.Combine(created, "sub", "b")));

        var existing = Directory.CreateDirectory(Path.Combine(_scratch, "existing")).FullName;
        Cp($"{name}:/d", existing);
        Assert.Equal("b\n", File.ReadAllText(Path.Combine(existing, "d", "sub", "b")));

        var contents = Directory.CreateDirectory(Path.Combine(_scratch, "contents")).FullName;
        Cp($"{name}:/d/.", contents);
        Assert.Equal("a\n", File.ReadAllText(Path.Combine(contents, "a")));
        Assert.False(Directory.Exists(Path.Combine(contents, "d")), "d/. must copy the contents, not the directory");
    }

    [Fact]
    public void CopyOut_ToStdout_WritesATarOfThePath()
    {
        var name = Running();
        Exec(name, "mkdir -p /t && echo one > /t/one && ln -s one /t/link");
        var tar = Path.Combine(_scratch, "out.tar");
        var result = ProcessRunner.Run("/bin/sh", ["-c", $"{Quote(anchor.Bin)} {string.Join(' ', anchor.StoreArgs.Select(Quote))} cp {name}:/t - > {Quote(tar)}"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var entries = ReadTar(tar);
        Assert.Equal(["t/", "t/link", "t/one"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("one\n", entries["t/one"]);
        Assert.Equal("-> one", entries["t/link"]);
    }

    [Fact]
    public void CopyOut_LongNamesHardLinksAndModes_SurviveTheCopy()
    {
        var name = Running();
        var longName = new string('n', 120);
        Exec(name, $"mkdir -p /h/{longName} && echo long > /h/{longName}/f && echo a > /h/a && ln /h/a /h/b && chmod 4750 /h/a");
        var dest = Path.Combine(_scratch, "h");
        Cp($"{name}:/h", dest);

        Assert.Equal("long\n", File.ReadAllText(Path.Combine(dest, longName, "f")));
        Assert.Equal(ProcessRunner.Run("stat", ["-c", "%i", Path.Combine(dest, "a")]).Out, ProcessRunner.Run("stat", ["-c", "%i", Path.Combine(dest, "b")]).Out);
        Assert.Equal("4750", ProcessRunner.Run("stat", ["-c", "%a", Path.Combine(dest, "a")]).Out);
    }

    [Fact]
    public void CopyOut_StoppedContainer_SeesItsUpperLayerAndImage_AndLeavesNoMount()
    {
        var name = Detached.UniqueName("cp-exited");
        _containers.Add(name);
        var id = anchor.ShDetached(name, "echo made > /made.txt");
        Assert.Equal(0, anchor.WaitExit(name));

        Cp($"{name}:/made.txt", Path.Combine(_scratch, "made.txt"));
        Assert.Equal("made\n", File.ReadAllText(Path.Combine(_scratch, "made.txt")));
        Cp($"{name}:/etc/passwd", Path.Combine(_scratch, "passwd"));
        Assert.StartsWith("root:", File.ReadAllText(Path.Combine(_scratch, "passwd")));

        Assert.Empty(Detached.MountsOf(id));
        Assert.Empty(anchor.MountsUnderTempDir());
    }

    [Fact]
    public void CopyOut_SymlinkWithoutL_IsALink_WithL_IsTheTarget()
    {
        var name = Running();
        Exec(name, "echo target > /real && ln -s /real /link");
        var plain = Path.Combine(_scratch, "plain");
        Cp($"{name}:/link", plain);
        Assert.Equal("/real", new FileInfo(plain).LinkTarget);

        var followed = Path.Combine(_scratch, "followed");
        Cp("-L", $"{name}:/link", followed);
        Assert.Null(new FileInfo(followed).LinkTarget);
        Assert.Equal("target\n", File.ReadAllText(followed));
    }

    [Fact]
    public void CopyOut_Ownership_IsOursWithoutA_AndTheContainersWithA()
    {
        var name = Running();
        Exec(name, "echo x > /owned && chown 1234:5678 /owned");
        var plain = Path.Combine(_scratch, "plain-owner");
        Cp($"{name}:/owned", plain);
        Assert.Equal("0:0", HostOwner(plain));

        var kept = Path.Combine(_scratch, "kept-owner");
        Cp("-a", $"{name}:/owned", kept);
        Assert.Equal("1234:5678", HostOwner(kept));
    }

    // ---- into a container ---------------------------------------------------------------

    [Fact]
    public void CopyIn_Running_FileToMissingPath_OntoFile_AndIntoDirectory()
    {
        var name = Running();
        var src = Path.Combine(_scratch, "in.txt");
        File.WriteAllText(src, "payload\n");

        Cp(src, $"{name}:/new.txt");
        Assert.Equal("payload", Exec(name, "cat /new.txt"));

        Exec(name, "echo old > /over.txt");
        Cp(src, $"{name}:/over.txt");
        Assert.Equal("payload", Exec(name, "cat /over.txt"));

        Cp(src, $"{name}:/tmp");
        Assert.Equal("payload", Exec(name, "cat /tmp/in.txt"));
    }

    [Fact]
    public void CopyIn_Directory_ToMissingPath_IntoDirectory_AndDotContents()
    {
        var name = Running();
        var src = Directory.CreateDirectory(Path.Combine(_scratch, "tree")).FullName;
        Directory.CreateDirectory(Path.Combine(src, "sub"));
        File.WriteAllText(Path.Combine(src, "sub", "f"), "deep\n");

        Cp(src, $"{name}:/fresh");
        Assert.Equal("deep", Exec(name, "cat /fresh/sub/f"));

        Cp(src, $"{name}:/tmp");
        Assert.Equal("deep", Exec(name, "cat /tmp/tree/sub/f"));

        Exec(name, "mkdir /dots");
        Cp(src + "/.", $"{name}:/dots");
        Assert.Equal("deep", Exec(name, "cat /dots/sub/f"));
        Assert.Equal("no", Exec(name, "test -e /dots/tree && echo yes || echo no"));
    }

    [Fact]
    public void CopyIn_StoppedContainer_LandsInTheUpperDirectory_AndLeavesNoMount()
    {
        var name = Detached.UniqueName("cp-created");
        _containers.Add(name);
        var create = anchor.Ok("create", "--name", name, AnchorFixture.Image, "cat", "/etc/copied");
        var id = create.Out.Trim();
        var src = Path.Combine(_scratch, "copied");
        File.WriteAllText(src, "while stopped\n");

        Cp(src, $"{name}:/etc/copied");

        Assert.Equal("while stopped\n", File.ReadAllText(Path.Combine(anchor.Root, "containers", id, "upper", "etc", "copied")));
        Assert.Empty(Detached.MountsOf(id));
        Assert.Empty(anchor.MountsUnderTempDir());
        var start = anchor.Ok("start", "-a", name);
        Assert.Equal("while stopped", start.Out);
    }

    [Fact]
    public void CopyIn_StoppedContainerWithVolume_WritesIntoTheVolume()
    {
        var name = Detached.UniqueName("cp-vol");
        var volume = Detached.UniqueName("cpvol");
        _containers.Add(name);
        try
        {
            var id = anchor.Ok("create", "--name", name, "-v", $"{volume}:/data", AnchorFixture.Image, "true").Out.Trim();
            var src = Path.Combine(_scratch, "into-volume");
            File.WriteAllText(src, "volume data\n");

            Cp(src, $"{name}:/data/");

            Assert.Equal("volume data\n", File.ReadAllText(Path.Combine(anchor.Root, "volumes", volume, "_data", "into-volume")));
            Assert.False(File.Exists(Path.Combine(anchor.Root, "containers", id, "upper", "data", "into-volume")), "the copy went under the volume, into the upper directory");
            Assert.Empty(Detached.MountsOf(id));
            Assert.Empty(anchor.MountsUnderTempDir());
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["volume", "rm", volume]);
        }
    }

    [Fact]
    public void CopyIn_HostSymlink_IsCopiedAsALink_WithLAsTheFileItPointsTo()
    {
        var name = Running();
        var target = Path.Combine(_scratch, "real-file");
        File.WriteAllText(target, "real\n");
        var link = Path.Combine(_scratch, "host-link");
        File.CreateSymbolicLink(link, target);

        Cp(link, $"{name}:/plain-link");
        Assert.Equal(target, Exec(name, "readlink /plain-link"));

        anchor.Ok("container", "cp", "-L", link, $"{name}:/tmp/");
        Assert.Equal("real", Exec(name, "test -L /tmp/host-link || cat /tmp/host-link"));
    }

    [Fact]
    public void CopyIn_FileOverADirectory_IsDockersError()
    {
        var name = Running();
        Exec(name, "mkdir -p /clash/f");
        var src = Directory.CreateDirectory(Path.Combine(_scratch, "clash")).FullName;
        File.WriteAllText(Path.Combine(src, "f"), "file\n");
        AssertError("Error response from daemon: cannot overwrite directory \"/clash/f\" with non-directory \"/\"", src, $"{name}:/");
        Assert.Equal("dir", Exec(name, "test -d /clash/f && echo dir"));
    }

    [Fact]
    public void CopyIn_FromStdin_ExtractsTheTarIntoTheDirectory()
    {
        var name = Running();
        var tar = BuildTar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "pkg/"));
            WriteFile(w, "pkg/readme", "from stdin\n");
        });
        Exec(name, "mkdir /opt");
        var result = anchor.Anchor(["cp", "-", $"{name}:/opt"], tar);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("from stdin", Exec(name, "cat /opt/pkg/readme"));

        var notDir = anchor.Anchor(["cp", "-", $"{name}:/etc/passwd"], tar);
        Assert.Equal(1, notDir.ExitCode);
        Assert.Equal($"destination \"{name}:/etc/passwd\" must be a directory", notDir.Err);
    }

    [Fact]
    public void CopyIn_Ownership_IsRootWithoutA_AndTheSourcesWithA()
    {
        var name = Running();
        var src = Path.Combine(_scratch, "owned");
        File.WriteAllText(src, "x");
        File.SetUnixFileMode(src, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Chown(src, "1234:5678");

        Cp(src, $"{name}:/plain");
        Assert.Equal("0:0 640", Exec(name, "stat -c '%u:%g %a' /plain"));

        Cp("-a", src, $"{name}:/kept");
        Assert.Equal("1234:5678 640", Exec(name, "stat -c '%u:%g %a' /kept"));
    }

    // ---- docker's errors --------------------------------------------------------------------

    [Fact]
    public void Errors_AreDockersLines_WithExitCode1()
    {
        var name = Running();
        // docker's client words the archive endpoints' 404 itself (CONTAINER:PATH as given).
        AssertError($"Error: No such container:path: {name}:/nope", $"{name}:/nope", Path.Combine(_scratch, "x"));
        AssertError("Error: No such container:path: cp-missing-container:/etc", "cp-missing-container:/etc", _scratch);
        AssertError("copying between containers is not supported", $"{name}:/a", $"{name}:/b");
        AssertError("must specify at least one container source", "a", "b");
        AssertError($"invalid output path: directory \"{_scratch}/none\" does not exist", $"{name}:/etc/passwd", Path.Combine(_scratch, "none", "there"));

        var file = Path.Combine(_scratch, "f");
        File.WriteAllText(file, "x");
        AssertError("no such directory", file, $"{name}:/missing-dir/");
        AssertError("no such directory", $"{name}:/etc/passwd", Path.Combine(_scratch, "missing-dir") + "/");

        // Into a container that does not exist, as docker 20.10's client ends it: the local source
        // is checked first, the destination counts as absent, and the upload's 404 names the
        // directory it was sent to, as given.
        AssertError("Error: No such container:path: cp-missing-container:/", file, "cp-missing-container:/x");
        AssertError("Error: No such container:path: cp-missing-container:rel", file, "cp-missing-container:rel/x");
        AssertError("no such directory", file, "cp-missing-container:/a/b/");
        AssertError("destination \"cp-missing-container:/x\" must be a directory", "-", "cp-missing-container:/x");
        AssertError($"lstat {_scratch}/nosuchf: no such file or directory", Path.Combine(_scratch, "nosuchf"), "cp-missing-container:/x");
    }

    [Fact]
    public void Errors_ReadOnlyRootfsAndReadOnlyVolume_AreRefused_AWritableVolumeIsNot()
    {
        var name = Detached.UniqueName("cp-ro");
        var volume = Detached.UniqueName("cprovol");
        _containers.Add(name);
        var hostDir = Directory.CreateDirectory(Path.Combine(_scratch, "ro-bind")).FullName;
        try
        {
            anchor.Ok("create", "--name", name, "--read-only", "-v", $"{volume}:/data", "-v", $"{hostDir}:/ro:ro", AnchorFixture.Image, "true");
            var file = Path.Combine(_scratch, "ro-payload");
            File.WriteAllText(file, "x");

            AssertError("Error response from daemon: container rootfs is marked read-only", file, $"{name}:/etc/");
            AssertError("Error response from daemon: mounted volume is marked read-only", file, $"{name}:/ro/");
            Assert.False(File.Exists(Path.Combine(hostDir, "ro-payload")));
            Cp(file, $"{name}:/data/");
            Assert.True(File.Exists(Path.Combine(anchor.Root, "volumes", volume, "_data", "ro-payload")));
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["volume", "rm", volume]);
        }
    }

    // ---- confinement --------------------------------------------------------------------

    [Fact]
    public void Confinement_DotDotInTheSource_ReadsTheContainersFile()
    {
        var name = Running();
        Exec(name, "echo inside > /etc/passwd");
        var dest = Path.Combine(_scratch, "passwd");
        Cp($"{name}:/../../../../etc/passwd", dest);
        Assert.Equal("inside\n", File.ReadAllText(dest));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Confinement_SymlinksToRootAndUpward_ReadInsideTheContainer(bool running)
    {
        const string Setup = "echo inside > /etc/passwd && ln -s / /toroot && ln -s ../../../.. /up && ln -s /etc /toetc";
        var name = running ? Running() : Stopped(Setup);
        if (running)
        {
            Exec(name, Setup);
        }

        foreach (var source in new[] { "/toroot/etc/passwd", "/up/etc/passwd", "/up/../../etc/passwd" })
        {
            var dest = Path.Combine(_scratch, "read-" + Guid.NewGuid().ToString("N")[..6]);
            Cp($"{name}:{source}", dest);
            Assert.Equal("inside\n", File.ReadAllText(dest));
        }

        // -L follows an absolute link inside the container: the copy is the container's /etc, named after the link.
        Cp("-L", $"{name}:/toetc", Path.Combine(_scratch, "followed-etc"));
        Assert.Equal("inside\n", File.ReadAllText(Path.Combine(_scratch, "followed-etc", "passwd")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Confinement_WritingThroughALinkToAHostPath_LandsInsideTheContainer(bool running)
    {
        // A host directory with a victim file, and a container link to that absolute host path.
        var hostDir = Directory.CreateDirectory(Path.Combine(_scratch, "host-victim")).FullName;
        var victim = Path.Combine(hostDir, "victim");
        File.WriteAllText(victim, "host\n");
        var setup = $"mkdir -p {hostDir} && echo container > {victim} && ln -s {hostDir} /hostlink && ln -s {victim} /victimlink && ln -s / /toroot";
        var name = running ? Running() : Stopped(setup);
        if (running)
        {
            Exec(name, setup);
        }

        var payload = Path.Combine(_scratch, "payload");
        File.WriteAllText(payload, "pwned\n");
        Cp(payload, $"{name}:/hostlink/");                    // parent is a link to a host path
        Cp(payload, $"{name}:/victimlink");                   // the destination itself is such a link
        Cp(payload, $"{name}:/toroot{hostDir}/via-root");     // a link to / in the middle

        Assert.Equal("host\n", File.ReadAllText(victim));
        Assert.False(File.Exists(Path.Combine(hostDir, "payload")), "cp wrote through a container symlink onto the host");
        Assert.False(File.Exists(Path.Combine(hostDir, "via-root")), "cp wrote through a container symlink onto the host");

        var inside = ReadInside(name, $"{hostDir}/payload", $"{hostDir}/victim", $"{hostDir}/via-root");
        Assert.Equal(["pwned", "pwned", "pwned"], inside);
    }

    [Fact]
    public void Confinement_StdinTar_CannotClimbOut_NorWriteThroughItsOwnLink()
    {
        var name = Running();
        var hostDir = Directory.CreateDirectory(Path.Combine(_scratch, "tar-victim")).FullName;
        Exec(name, "mkdir -p /x");

        var climbing = BuildTar(w => WriteFile(w, "../../../../" + hostDir.TrimStart('/') + "/climbed", "bad\n"));
        var result = anchor.Anchor(["cp", "-", $"{name}:/x"], climbing);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error response from daemon: ", result.Err);
        Assert.False(File.Exists(Path.Combine(hostDir, "climbed")));

        var linked = BuildTar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "evil") { LinkName = "/" });
            WriteFile(w, "evil" + hostDir + "/through-link", "inside\n");
        });
        result = anchor.Anchor(["cp", "-", $"{name}:/x"], linked);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(Path.Combine(hostDir, "through-link")), "a symlink from the tar led the extraction onto the host");
        Assert.Equal("inside", Exec(name, $"cat {hostDir}/through-link"));
    }

    [Fact]
    public void Confinement_DirectorySwappedForAHostLinkDuringCopies_NeverReachesTheHost()
    {
        // CVE-2018-15664's shape: the container flips a directory and a symlink to a host path
        // while cp resolves paths through it. Resolution happens in the kernel, in the container's
        // root, at every open: whichever state a copy sees, it lands inside the container or fails.
        var hostDir = Directory.CreateDirectory(Path.Combine(_scratch, "race-victim")).FullName;
        File.WriteAllText(Path.Combine(hostDir, "host-secret"), "host\n");
        var name = Detached.UniqueName("cp-race");
        _containers.Add(name);
        anchor.ShDetached(name, $"mkdir -p /w; while true; do rm -rf /w/x; mkdir /w/x; rm -rf /w/x; ln -s {hostDir} /w/x; done");
        var payload = Path.Combine(_scratch, "race-payload");
        File.WriteAllText(payload, "raced\n");
        // The loop keeps /w/x a directory for only part of each turn, so a fixed number of copies
        // can miss that window on a loaded machine: copy at least 40 times, and on until one copy
        // has landed in the directory (bounded, so a broken cp still fails the last assert).
        var succeeded = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var i = 0; i < 40 || (succeeded == 0 && DateTime.UtcNow < deadline); i++)
        {
            if (anchor.Anchor(["cp", payload, $"{name}:/w/x/race-{i}"]).ExitCode == 0)
            {
                succeeded++;
            }

            anchor.Anchor(["cp", $"{name}:/w/x/.", Path.Combine(_scratch, $"race-out-{i}")]);
        }

        Assert.Equal(["host-secret"], Directory.EnumerateFileSystemEntries(hostDir).Select(Path.GetFileName));
        var leaked = Directory.EnumerateFiles(_scratch, "host-secret", SearchOption.AllDirectories).Where(f => Path.GetDirectoryName(f) != hostDir).ToList();
        Assert.True(leaked.Count == 0, "cp read the host directory through the container's link: " + string.Join(", ", leaked));
        Assert.True(succeeded > 0, "no copy ever found /w/x as a directory: the race was not exercised");
    }

    // ---- helpers ------------------------------------------------------------------------

    private static string CreateScratch(AnchorFixture anchor) =>
        Directory.CreateDirectory(Path.Combine(anchor.TempDir, "cp-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    private string Running()
    {
        var name = Detached.UniqueName("cp");
        _containers.Add(name);
        anchor.ShDetached(name, Detached.Forever);
        return name;
    }

    /// <summary>A container that ran <paramref name="script"/> and exited.</summary>
    private string Stopped(string script)
    {
        var name = Detached.UniqueName("cp-stopped");
        _containers.Add(name);
        anchor.ShDetached(name, script);
        Assert.Equal(0, anchor.WaitExit(name));
        return name;
    }

    /// <summary>Reads files of a container by copying them out (works running or stopped).</summary>
    private List<string> ReadInside(string name, params string[] paths) =>
        paths.Select(p =>
        {
            var dest = Path.Combine(_scratch, "inside-" + Guid.NewGuid().ToString("N")[..6]);
            Cp($"{name}:{p}", dest);
            return File.ReadAllText(dest).TrimEnd('\n');
        }).ToList();

    private string Exec(string name, string script)
    {
        var result = anchor.Anchor(["exec", name, "sh", "-c", script]);
        Assert.True(result.ExitCode == 0, $"exec {script} failed: {result}");
        return result.Out;
    }

    private void Cp(params string[] args)
    {
        var result = anchor.Anchor(new[] { "cp" }.Concat(args));
        Assert.True(result.ExitCode == 0, $"cp {string.Join(' ', args)} failed: {result}");
    }

    private void AssertError(string expected, string source, string destination)
    {
        var result = anchor.Anchor(["cp", source, destination]);
        Assert.True(result.ExitCode == 1, $"cp {source} {destination}: {result}");
        Assert.Equal(expected, result.Err);
    }

    private static string HostOwner(string path) => ProcessRunner.Run("stat", ["-c", "%u:%g", path]).Out;

    private static void Chown(string path, string owner) => Assert.Equal(0, ProcessRunner.Run("chown", [owner, path]).ExitCode);

    private static string Quote(string s) => ProcessRunner.ShellQuote(s);

    private static byte[] BuildTar(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static void WriteFile(TarWriter writer, string name, string content) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });

    /// <summary>Entry name → file content, or "-> target" for a symlink, "" for a directory.</summary>
    private static Dictionary<string, string> ReadTar(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new TarReader(stream);
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.GetNextEntry() is { } entry)
        {
            entries[entry.Name] = entry.EntryType switch
            {
                TarEntryType.SymbolicLink => "-> " + entry.LinkName,
                TarEntryType.RegularFile => new StreamReader(entry.DataStream!).ReadToEnd(),
                _ => "",
            };
        }

        return entries;
    }
}
