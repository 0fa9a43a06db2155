using Anchor.Engine.Monitor;

namespace Anchor.Engine.Tests;

public sealed class MonitorReportTests
{
    [Fact]
    public void Parse_DaemonFailure_KeepsCodeKindOriginAndText()
    {
        var e = MonitorReport.Parse(MonitorReport.Failure(127, "failed to create shim task: a b c: unknown", EngineErrorKind.Internal, fromDaemon: true))!;
        Assert.Equal(("failed to create shim task: a b c: unknown", 127, EngineErrorKind.Internal, true, true), (e.Message, e.ExitCode, e.Kind, e.FromDaemon, e.StartFailure));
    }

    [Fact]
    public void Parse_EngineException_KeepsKind_OtherLinesAreNotFailures()
    {
        var e = MonitorReport.Parse(MonitorReport.Failure(EngineException.NoSuchContainer("abc")))!;
        Assert.Equal(("No such container: abc", 125, EngineErrorKind.NotFound, false), (e.Message, e.ExitCode, e.Kind, e.FromDaemon));
        Assert.Null(MonitorReport.Parse(MonitorReport.Ok));
        Assert.Null(MonitorReport.Parse("error 1 No such container: x"));
        Assert.Null(MonitorReport.Parse(null));
    }

    [Fact]
    public void Failure_StartFailure_KeepsItsExitCode_OthersAre125()
    {
        var notFound = new EngineException("failed to create shim task: exec: \"x\": executable file not found in $PATH: unknown", 127) { StartFailure = true, FromDaemon = true };
        Assert.Equal(127, MonitorReport.Parse(MonitorReport.Failure(notFound))!.ExitCode);
        Assert.Equal(125, MonitorReport.Parse(MonitorReport.Failure(new EngineException("other", 1)))!.ExitCode);
    }
}
