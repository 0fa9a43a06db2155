using Anchor.Runtime.Init;

namespace Anchor.Runtime.Tests.Init;

public sealed class CommandResolverTests
{
    [Fact]
    public void Resolve_SearchesPath() =>
        Assert.Equal("/bin/sh", CommandResolver.Resolve("sh", ["PATH=/nonexistent:/bin"]).Path);

    [Fact]
    public void Resolve_Missing_Is127WithDockersMessage()
    {
        var (path, code, error) = CommandResolver.Resolve("no-such-command-xyz", ["PATH=/bin"]);
        Assert.Null(path);
        Assert.Equal(127, code);
        Assert.Equal("exec: \"no-such-command-xyz\": executable file not found in $PATH", error);
    }

    [Fact]
    public void Resolve_Directory_Is126() =>
        Assert.Equal(126, CommandResolver.Resolve("/tmp", []).ExitCode);

    [Fact]
    public void Resolve_Directory_SaysPermissionDeniedAsRunc() =>
        Assert.Equal("exec: \"/tmp\": permission denied", CommandResolver.Resolve("/tmp", []).Error);

    [Fact]
    public void Resolve_FileWithoutExecuteBit_SaysPermissionDeniedAsRunc()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var (path, code, error) = CommandResolver.Resolve(file, []);
            Assert.Null(path);
            Assert.Equal(126, code);
            Assert.Equal($"exec: \"{file}\": permission denied", error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Resolve_MissingAbsolutePath_Is127() =>
        Assert.Equal(127, CommandResolver.Resolve("/no/such/file", []).ExitCode);

    [Fact]
    public void InitOptions_RoundTrip()
    {
        var options = new InitOptions("/b", 5, 7, KeepStdin: true);
        Assert.Equal(options, InitOptions.Parse(options.ToArguments()));
    }
}
