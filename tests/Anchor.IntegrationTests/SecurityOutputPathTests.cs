namespace Anchor.IntegrationTests;

/// <summary>
/// Files the user names for output are written only over a regular file or nothing: <c>save -o
/// /dev/null</c> once replaced the host's /dev/null with a regular file (the archive is renamed onto
/// the path). docker's client refuses anything else with moby/sys atomicwriter's words (save) and
/// ValidateOutputPath's (cp), exit 1.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityOutputPathTests(AnchorFixture anchor) : IDisposable
{
    private readonly string _scratch = Directory.CreateDirectory(Path.Combine(anchor.TempDir, "out-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static string TypeOf(string path) => ProcessRunner.Run("stat", ["-c", "%F", path]).Out;

    private void Mknod(string path, params string[] type) => Assert.Equal(0, ProcessRunner.Run("mknod", new[] { path }.Concat(type)).ExitCode);

    private void AssertSaveRefused(string target, string expected)
    {
        var save = anchor.Anchor(["save", "-o", target, AnchorFixture.Image]);
        Assert.True(save.ExitCode == 1, $"save -o {target}: {save}");
        Assert.Equal($"failed to save image: {expected}", save.Err); // docker prints a non-run error as it is
        var parent = Path.GetDirectoryName(target)!;
        Assert.True(!Directory.Exists(parent) || !Directory.EnumerateFileSystemEntries(parent, ".tmp-*").Any(), $"a temporary file was left in {parent}");
    }

    [Fact]
    public void Save_ToACharacterDevice_IsRefusedAndTheDeviceStays()
    {
        var node = Path.Combine(_scratch, "null");
        Mknod(node, "c", "1", "3");
        AssertSaveRefused(node, "cannot write to a character device file");
        Assert.Equal("character special file", TypeOf(node));
    }

    [Fact]
    public void Save_ToDevNull_IsRefusedAndDevNullStays()
    {
        // The host's own /dev/null, but seen through a /dev of this test's own (a tmpfs in a private
        // mount namespace): were the refusal ever to break, the machine's /dev/null stays whole.
        var script = "mount -t tmpfs tmpfs /dev && mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/urandom c 1 9 && " +
            $"{anchor.Bin} --root {anchor.Root} --runroot {anchor.RunRoot} save -o /dev/null {AnchorFixture.Image}; echo \"exit=$?\"; stat -c %F /dev/null";
        var result = ProcessRunner.Run("unshare", ["--mount", "--propagation", "private", "sh", "-c", script]);
        Assert.Equal(["exit=1", "character special file"], result.Out.Split('\n'));
        Assert.Equal("failed to save image: cannot write to a character device file", result.Err);
        Assert.Equal("character special file", TypeOf("/dev/null"));
    }

    [Fact]
    public void Save_ToAFifo_IsRefusedAndTheFifoStays()
    {
        var fifo = Path.Combine(_scratch, "fifo");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", [fifo]).ExitCode);
        AssertSaveRefused(fifo, "cannot write to a named pipe (FIFO)");
        Assert.Equal("fifo", TypeOf(fifo));
    }

    [Fact]
    public void Save_ToADirectoryOrASymlink_IsRefused()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_scratch, "dir")).FullName;
        AssertSaveRefused(dir, "cannot write to a directory");
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));

        var target = Path.Combine(_scratch, "target.tar");
        File.WriteAllText(target, "keep");
        var link = Path.Combine(_scratch, "link.tar");
        File.CreateSymbolicLink(link, target);
        AssertSaveRefused(link, "cannot write to a symbolic link directly");
        Assert.Equal("keep", File.ReadAllText(target));
    }

    [Fact]
    public void Save_IntoAMissingDirectory_SaysWhichOne()
    {
        var missing = Path.Combine(_scratch, "no", "such");
        AssertSaveRefused(Path.Combine(missing, "x.tar"), $"invalid output path: stat {missing}: no such file or directory");
    }

    [Fact]
    public void Save_OverARegularFile_ReplacesItWithA0600Archive()
    {
        var file = Path.Combine(_scratch, "image.tar");
        File.WriteAllText(file, "old");
        var save = anchor.Anchor(["save", "-o", file, AnchorFixture.Image]);
        Assert.True(save.ExitCode == 0, save.ToString());
        Assert.Contains("manifest.json", ProcessRunner.Run("tar", ["-tf", file]).Out, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(["image.tar"], Directory.EnumerateFileSystemEntries(_scratch).Select(Path.GetFileName));
    }

    [Fact]
    public void CopyOut_ToADeviceOrAFifo_IsRefusedAndTheyStay()
    {
        var name = "cp-out-" + Guid.NewGuid().ToString("N")[..8];
        anchor.Ok("create", "--name", name, AnchorFixture.Image, "true");
        try
        {
            var node = Path.Combine(_scratch, "null");
            Mknod(node, "c", "1", "3");
            var cp = anchor.Anchor(["cp", $"{name}:/etc/hostname", node]);
            Assert.True(cp.ExitCode == 1, cp.ToString());
            Assert.Equal($"invalid output path: \"{node}\" must be a directory or a regular file: got a device", cp.Err);
            Assert.Equal("character special file", TypeOf(node));

            // Through a symlink too (docker's check follows it).
            var link = Path.Combine(_scratch, "to-null");
            File.CreateSymbolicLink(link, node);
            Assert.Equal(1, anchor.Anchor(["cp", $"{name}:/etc/hostname", link]).ExitCode);
            Assert.Equal("character special file", TypeOf(node));

            var fifo = Path.Combine(_scratch, "fifo");
            Assert.Equal(0, ProcessRunner.Run("mkfifo", [fifo]).ExitCode);
            cp = anchor.Anchor(["cp", $"{name}:/etc/hostname", fifo]);
            Assert.True(cp.ExitCode == 1, cp.ToString());
            Assert.Equal($"invalid output path: \"{fifo}\" must be a directory or a regular file: got an irregular file", cp.Err);
            Assert.Equal("fifo", TypeOf(fifo));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }
}
