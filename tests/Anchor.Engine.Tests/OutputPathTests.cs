using Anchor.Engine.Output;

namespace Anchor.Engine.Tests;

/// <summary>The output-path checks against moby/sys atomicwriter's and docker cli's ValidateOutputPath words.</summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("anchor-output-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string In(string name) => Path.Combine(_dir.FullName, name);

    private static string FileRefusal(string path) => Assert.Throws<EngineException>(() => OutputPath.ValidateFile(path)).Message;

    [Fact]
    public void ValidateFile_RegularOrMissing_IsAccepted()
    {
        File.WriteAllText(In("file"), "x");
        OutputPath.ValidateFile(In("file"));
        OutputPath.ValidateFile(In("missing"));
        OutputPath.ValidateFile("relative-missing-file");
    }

    [Fact]
    public void ValidateFile_AnythingElse_IsRefusedWithAtomicwritersWords()
    {
        Assert.Equal("cannot write to a character device file", FileRefusal("/dev/null"));
        Assert.Equal("cannot write to a directory", FileRefusal(_dir.FullName));
        File.CreateSymbolicLink(In("link"), "/dev/null");
        Assert.Equal("cannot write to a symbolic link directly", FileRefusal(In("link")));
        Assert.Equal(0, Anchor.Linux.Interop.LibC.mknod(In("fifo"), Anchor.Linux.Interop.LibC.S_IFIFO | 0x180 /* 0600 */, 0));
        Assert.Equal("cannot write to a named pipe (FIFO)", FileRefusal(In("fifo")));
    }

    [Fact]
    public void ValidateFile_MissingOrNonDirectoryParent_NamesItAsGiven()
    {
        Assert.Equal("invalid output path: stat no/such: no such file or directory", FileRefusal("./no/such/x.tar"));
        File.WriteAllText(In("plain"), "x");
        Assert.Equal($"invalid output path: stat {In("plain")}: not a directory", FileRefusal(Path.Combine(In("plain"), "x.tar")));
    }

    [Fact]
    public void ValidateCopyDestination_DeviceOrMissingParent_IsRefusedWithDockersWords()
    {
        var e = Assert.Throws<EngineException>(() => OutputPath.ValidateCopyDestination("/dev/null"));
        Assert.Equal("invalid output path: \"/dev/null\" must be a directory or a regular file: got a device", e.Message);
        Assert.Equal(1, e.ExitCode);
        Assert.Equal(
            $"invalid output path: directory \"{In("none")}\" does not exist",
            Assert.Throws<EngineException>(() => OutputPath.ValidateCopyDestination(Path.Combine(In("none"), "x"))).Message);
        OutputPath.ValidateCopyDestination(_dir.FullName);
        OutputPath.ValidateCopyDestination(In("new-file"));
    }
}
