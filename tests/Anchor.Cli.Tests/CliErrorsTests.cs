using Anchor.Engine;

namespace Anchor.Cli.Tests;

/// <summary>
/// How the CLI words an engine failure and which exit code it returns, from the failure's kind and
/// origin: docker's CLI (cmd/docker/docker.go, container/run.go reportError) shows daemon failures
/// after "Error response from daemon: ", run/create's after "docker: " with the usage hint, and
/// exits 1 except for run/create (125) and the 126/127 of a process that could not start.
/// </summary>
public sealed class CliErrorsTests
{
    [Theory]
    [InlineData(EngineErrorKind.NotFound)]
    [InlineData(EngineErrorKind.Conflict)]
    [InlineData(EngineErrorKind.InvalidParameter)]
    [InlineData(EngineErrorKind.NotModified)]
    [InlineData(EngineErrorKind.Forbidden)]
    [InlineData(EngineErrorKind.Unavailable)]
    [InlineData(EngineErrorKind.Internal)]
    public void Describe_DaemonFailureOfAnyKind_OtherVerb_PrefixedExit1(EngineErrorKind kind)
    {
        var (text, code) = CliErrors.Describe(EngineException.Daemon(kind, "network nosuch not found"), "network rm");
        Assert.Equal("Error response from daemon: network nosuch not found", text);
        Assert.Equal(1, code);
    }

    [Fact]
    public void Describe_DaemonConflict_Run_DockerPrefixDaemonPrefixAndHint125()
    {
        var e = EngineException.Daemon(EngineErrorKind.Conflict, "Conflict. The container name \"/a\" is already in use by container \"b\". You have to remove (or rename) that container to be able to reuse that name.");
        var (text, code) = CliErrors.Describe(e, "run");
        Assert.Equal(
            "anchor: Error response from daemon: Conflict. The container name \"/a\" is already in use by container \"b\". You have to remove (or rename) that container to be able to reuse that name.\nSee 'anchor run --help'.",
            text);
        Assert.Equal(125, code);
    }

    [Fact]
    public void Describe_DaemonStartFailure_Run_NoHintKeeps127()
    {
        var e = Anchor.Engine.Run.OciRuntimeError.Create("exec: \"nosuch\": executable file not found in $PATH", 127);
        var (text, code) = CliErrors.Describe(e, "run");
        Assert.Equal(
            "anchor: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"nosuch\": executable file not found in $PATH: unknown.",
            text);
        Assert.Equal(127, code);
        Assert.True(e.FromDaemon);
        Assert.Equal(EngineErrorKind.Internal, e.Kind);
    }

    [Fact]
    public void Describe_ClientSideException_Run_BareExit1()
    {
        // docker's runContainer returns these as they are: no "docker: ", no hint, exit 1.
        Assert.Equal(("the input device is not a TTY", 1), CliErrors.Describe(new ClientSideException("the input device is not a TTY"), "run"));
        Assert.Equal(("Conflicting options: -a and -d", 1), CliErrors.Describe(new ClientSideException("Conflicting options: -a and -d"), "run"));
    }

    [Fact]
    public void Describe_DaemonFailureAtStart_Run_NoHint()
    {
        var e = EngineException.Daemon(EngineErrorKind.NotFound, "network nosuch not found").AtStart();
        Assert.Equal(("anchor: Error response from daemon: network nosuch not found.", 125), CliErrors.Describe(e, "run"));
        Assert.Equal(("Error response from daemon: network nosuch not found", 1), CliErrors.Describe(e, "create"));
    }

    [Fact]
    public void NotFoundAs_WordsAMissingObjectAsDockersClient()
    {
        var e = Assert.Throws<ClientSideException>(() => ClientSideException.NotFoundAs<int>("volume", "v", () => throw EngineException.Daemon(EngineErrorKind.NotFound, "get v: no such volume", 1)));
        Assert.Equal(("Error: No such volume: v", 1), CliErrors.Describe(e, "volume rm"));
        // Any other failure passes as it is.
        Assert.Throws<EngineException>(() => ClientSideException.NotFoundAs<int>("volume", "v", () => throw EngineException.Daemon(EngineErrorKind.Conflict, "remove v: volume is in use - [c]", 1)));
    }

    [Fact]
    public void Describe_ClientSideFailure_NoPrefix()
    {
        Assert.Equal(("Error: No such container: x", 1), CliErrors.Describe(EngineException.NoSuchContainer("x"), "logs"));
        Assert.Equal(("Error: No such container: x", 1), CliErrors.Describe(EngineException.NoSuchContainer("x"), "port"));
        Assert.Equal(("Error: No such container: x", 1), CliErrors.Describe(EngineException.NoSuchContainer("x"), "rm"));
        Assert.Equal(("Error: No such container: x", 1), CliErrors.Describe(EngineException.NoSuchContainer("x"), "attach"));
        // The daemon's own wording of the same failure keeps its prefix (start, kill, diff ask the daemon).
        Assert.Equal(("Error response from daemon: No such container: x", 1), CliErrors.Describe(EngineException.NoSuchContainer("x").AsDaemon(), "rm"));
        Assert.Equal(("anchor: invalid reference format.\nSee 'anchor create --help'.", 125), CliErrors.Describe(new EngineException("invalid reference format"), "create"));
        Assert.Equal(("invalid reference format", 1), CliErrors.Describe(new EngineException("invalid reference format"), "tag"));
    }

    [Fact]
    public void Describe_NotAnEngineFailure_Exit1OrRun125()
    {
        Assert.Equal(1, CliErrors.Describe(new IOException("disk full"), "ps").ExitCode);
        Assert.Equal(125, CliErrors.Describe(new IOException("disk full"), "run").ExitCode);
    }

    [Fact]
    public void FromDaemon_PrefixesOnce_KeepsClientErrors()
    {
        Assert.Equal("Error response from daemon: No such container: x", CliErrors.FromDaemon("No such container: x"));
        Assert.Equal("Error response from daemon: x", CliErrors.FromDaemon(CliErrors.FromDaemon("x")));
        Assert.Equal("Error: No such image: x", CliErrors.FromDaemon("Error: No such image: x"));
        Assert.Equal("Error response from daemon: x", CliErrors.TextOf(EngineException.Daemon(EngineErrorKind.NotFound, "x")));
    }

    [Theory]
    [InlineData(EngineErrorKind.NotFound, 404)]
    [InlineData(EngineErrorKind.Conflict, 409)]
    [InlineData(EngineErrorKind.InvalidParameter, 400)]
    [InlineData(EngineErrorKind.NotModified, 304)]
    [InlineData(EngineErrorKind.Forbidden, 403)]
    [InlineData(EngineErrorKind.Unavailable, 503)]
    [InlineData(EngineErrorKind.Internal, 500)]
    public void Status_EachKind_IsDockersHttpStatus(EngineErrorKind kind, int status) => Assert.Equal(status, EngineErrorStatus.Of(kind));
}
