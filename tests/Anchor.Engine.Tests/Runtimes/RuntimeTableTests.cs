using Anchor.Engine.Run;
using Anchor.Engine.Runtimes;

namespace Anchor.Engine.Tests.Runtimes;

public sealed class RuntimeTableTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("anchor-runtimes-").FullName;

    private string Config(string json)
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static RunOptions With(string? runtime) => new() { Image = "busybox", Runtime = runtime };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("anchor")]
    public void Resolve_OwnRuntime_LeavesNoExternalProgram(string? runtime)
    {
        var resolved = RuntimeTable.Resolve(With(runtime) with { RuntimePath = "/stale" }, Path.Combine(_dir, "missing.json"));
        Assert.Equal((null, null, 0), (resolved.Runtime, resolved.RuntimePath, resolved.RuntimeArgs.Count));
    }

    [Fact]
    public void Resolve_TableEntry_TakesItsPathAndRuntimeArgs_CommentsAndTrailingCommasAllowed()
    {
        var config = Config("""
            // daemon.json's shape
            {"runtimes": {"crun": {"path": "/opt/crun", "runtimeArgs": ["--debug", "--systemd-cgroup"],},},}
            """);
        var resolved = RuntimeTable.Resolve(With("crun"), config);
        Assert.Equal(("crun", "/opt/crun"), (resolved.Runtime, resolved.RuntimePath));
        Assert.Equal(["--debug", "--systemd-cgroup"], resolved.RuntimeArgs);
    }

    [Fact]
    public void Resolve_AbsolutePath_IsTheProgramItself_WhenItExists()
    {
        var program = Path.Combine(_dir, "my-runtime");
        File.WriteAllText(program, "");
        Assert.Equal(program, RuntimeTable.Resolve(With(program), Path.Combine(_dir, "missing.json")).RuntimePath);
        var e = Assert.Throws<EngineException>(() => RuntimeTable.Resolve(With(program + "-gone"), Path.Combine(_dir, "missing.json")));
        Assert.Equal($"unknown or invalid runtime name: {program}-gone", e.Message);
    }

    [Fact]
    public void Resolve_UnknownName_IsDockerdsInvalidParameter()
    {
        var e = Assert.Throws<EngineException>(() => RuntimeTable.Resolve(With("nope"), Config("""{"runtimes": {}}""")));
        Assert.Equal(("unknown or invalid runtime name: nope", 125, EngineErrorKind.InvalidParameter, true), (e.Message, e.ExitCode, e.Kind, e.FromDaemon));
    }

    [Fact]
    public void Resolve_BrokenConfigFile_NamesTheFile()
    {
        var config = Config("{\"runtimes\": ");
        var e = Assert.Throws<EngineException>(() => RuntimeTable.Resolve(With("crun"), config));
        Assert.StartsWith($"invalid configuration file {config}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsExternal_OnlyForOtherNames()
    {
        Assert.False(RuntimeTable.IsExternal(null));
        Assert.False(RuntimeTable.IsExternal("anchor"));
        Assert.True(RuntimeTable.IsExternal("runc"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
