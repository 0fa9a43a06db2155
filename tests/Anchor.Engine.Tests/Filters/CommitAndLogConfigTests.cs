using Anchor.Engine.Images;
using Anchor.Engine.Logs;
using Anchor.Engine.Run;
using Anchor.Engine.Top;
using Anchor.Oci.Image;

namespace Anchor.Engine.Tests.Filters;

/// <summary>commit's config rule and --change, --log-opt checking, top's ps options.</summary>
public sealed class CommitAndLogConfigTests
{
    private static readonly ContainerConfig Image = new()
    {
        Env = ["PATH=/bin", "A=image"],
        Cmd = ["sh"],
        Entrypoint = ["/entry"],
        Labels = new() { ["from"] = "image" },
        WorkingDir = "/",
    };

    [Fact]
    public void OfContainer_TakesTheRunOptionsOverTheImage()
    {
        var record = TestRecords.Named("c") with { Options = new RunOptions { Image = "x", Command = ["echo", "hi"], Env = ["A=run", "B=1"], WorkingDir = "/w", User = "u" } };
        var config = CommitConfig.OfContainer(Image, record);
        Assert.Equal(["echo", "hi"], config.Cmd);
        Assert.Equal(["/entry"], config.Entrypoint);
        Assert.Equal(["PATH=/bin", "A=run", "B=1"], config.Env);
        Assert.Equal("/w", config.WorkingDir);
        Assert.Equal("u", config.User);

        var reset = CommitConfig.OfContainer(Image, TestRecords.Named("d") with { Options = new RunOptions { Image = "x", Entrypoint = "" } });
        Assert.Null(reset.Entrypoint);
        Assert.Null(reset.Cmd); // --entrypoint drops the image's CMD, as at run
    }

    [Fact]
    public void Merge_IsMobysRule()
    {
        var container = Image with { ExposedPorts = new() { ["80/tcp"] = new() } };
        var merged = CommitConfig.Merge(ConfigChanges.Apply(new ContainerConfig(), ["ENV A=change C=3", "LABEL k=v", "EXPOSE 90"]), container);
        Assert.Equal(["PATH=/bin", "A=change", "C=3"], merged.Env); // in place or after the container's, as docker
        Assert.Equal(["sh"], merged.Cmd);
        Assert.Equal(["/entry"], merged.Entrypoint);
        Assert.Equal(["from", "k"], merged.Labels!.Keys.Order());
        Assert.Equal(["80/tcp", "90/tcp"], merged.ExposedPorts!.Keys.Order());

        var entrypoint = CommitConfig.Merge(ConfigChanges.Apply(new ContainerConfig(), ["ENTRYPOINT [\"x\"]"]), container);
        Assert.Equal(["x"], entrypoint.Entrypoint);
        Assert.Null(entrypoint.Cmd);

        var cmd = CommitConfig.Merge(ConfigChanges.Apply(new ContainerConfig(), ["CMD y"]), container);
        Assert.Equal(["/bin/sh", "-c", "y"], cmd.Cmd);
        Assert.Equal(["/entry"], cmd.Entrypoint);
    }

    [Fact]
    public void Changes_EveryAllowedInstruction()
    {
        var config = ConfigChanges.Apply(new ContainerConfig { Env = ["HOME=/root"] }, [
            "ENV P=$HOME/x", "ENV P=replaced", "ONBUILD run echo hi", "HEALTHCHECK --interval=5s --retries=2 CMD [\"true\"]",
            "STOPSIGNAL SIGINT", "VOLUME [\"/a\", \"/b\"]", "WORKDIR /srv", "WORKDIR sub", "USER 1000",
        ]);
        Assert.Equal(["HOME=/root", "P=replaced"], config.Env);
        Assert.Equal(["RUN echo hi"], config.OnBuild);
        Assert.Equal(["CMD", "true"], config.Healthcheck!.Test);
        Assert.Equal(5_000_000_000, config.Healthcheck.Interval);
        Assert.Equal(2, config.Healthcheck.Retries);
        Assert.Equal("SIGINT", config.StopSignal);
        Assert.Equal(["/a", "/b"], config.Volumes!.Keys.Order());
        Assert.Equal("/srv/sub", config.WorkingDir);
        Assert.Equal("1000", config.User);
        Assert.Equal(["NONE"], ConfigChanges.Apply(new ContainerConfig(), ["HEALTHCHECK NONE"]).Healthcheck!.Test);
        Assert.Equal("P=/root/x", ConfigChanges.Apply(new ContainerConfig { Env = ["HOME=/root"] }, ["ENV P=$HOME/x"]).Env![1]);
    }

    [Theory]
    [InlineData("RUN x", "run is not a valid change command")]
    [InlineData("COPY a b", "copy is not a valid change command")]
    [InlineData("FROM busybox", "from is not a valid change command")]
    [InlineData("FROB x", "frob is not a valid change command")]
    public void Changes_Refused(string change, string message)
    {
        var e = Assert.Throws<EngineException>(() => ConfigChanges.Apply(new ContainerConfig(), [change]));
        Assert.Equal((message, true, EngineErrorKind.InvalidParameter), (e.Message, e.FromDaemon, e.Kind));
    }

    [Fact]
    public void Changes_EveryKeywordIsCheckedBeforeAnyInstructionIsParsed()
    {
        // moby's BuildFromConfig: the refused keyword wins over a malformed allowed instruction before it.
        var e = Assert.Throws<EngineException>(() => ConfigChanges.Apply(new ContainerConfig(), ["HEALTHCHECK --nosuchflag=1 CMD true", "  run x"]));
        Assert.Equal("run is not a valid change command", e.Message);
    }

    [Fact]
    public void LogConfig_DefaultsAndChecks()
    {
        Assert.Equal(LogConfig.Default, LogConfig.Parse(null, []));
        Assert.Equal(new LogConfig("json-file", 10 << 10, 3), LogConfig.Parse("json-file", ["max-size=10k", "max-file=3"]));
        Assert.Equal(new LogConfig("local", 20 << 20, 5, Compress: true), LogConfig.Parse("local", []));
        Assert.Equal(new LogConfig("local", 20 << 20, 5), LogConfig.Parse("local", ["compress=false"]));
        Assert.Equal(new LogConfig("json-file", 1 << 20, 2, Compress: true), LogConfig.Parse("json-file", ["max-size=1m", "max-file=2", "compress=1"]));
        Assert.Equal(new LogConfig("json-file", -1, 1), LogConfig.Parse(null, ["max-file=4"]));
        Assert.False(LogConfig.Parse("none", []).Keeps);
        Assert.Contains("plugin \"gelf\" not found", Assert.Throws<EngineException>(() => LogConfig.Parse("gelf", [])).Message);
        // moby's ValidateLogOpts takes any option for "none".
        Assert.False(LogConfig.Parse("none", ["max-size=1m", "whatever=1"]).Keeps);
        Assert.Contains("unknown log opt 'env' for log driver local", Assert.Throws<EngineException>(() => LogConfig.Parse("local", ["env=A"])).Message);
        Assert.Contains("unknown log opt 'nope' for json-file log driver", Assert.Throws<EngineException>(() => LogConfig.Parse(null, ["nope=1"])).Message);
        Assert.Contains("max-file cannot be less than 1", Assert.Throws<EngineException>(() => LogConfig.Parse(null, ["max-file=0"])).Message);
        Assert.Equal(125, Assert.Throws<EngineException>(() => LogConfig.Parse(null, ["max-size=big"])).ExitCode);
    }

    [Fact]
    public void PsFormat_OptionsToColumns()
    {
        Assert.Equal(["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"], PsFormat.Parse([]).Select(c => c.Header));
        Assert.Equal(["PID", "TTY", "TIME", "CMD"], PsFormat.Parse(["-e"]).Select(c => c.Header));
        Assert.Equal(["PID", "COMMAND"], PsFormat.Parse(["-o", "pid,comm"]).Select(c => c.Header));
        Assert.Equal(["PID", "COMMAND"], PsFormat.Parse(["-eopid,comm"]).Select(c => c.Header));
        Assert.Equal(["PID", "X", "%CPU"], PsFormat.Parse(["o", "pid,args=X", "-o", "pcpu"]).Select(c => c.Header));
        Assert.Equal("USER", PsFormat.Parse(["aux"])[0].Header);
        Assert.Equal(1, Assert.Throws<EngineException>(() => PsFormat.Parse(["-o", "nope"])).ExitCode);
        Assert.Equal(1, Assert.Throws<EngineException>(() => PsFormat.Parse(["-Z"])).ExitCode);
    }

    [Fact]
    public void PsColumns_ReadThisProcess()
    {
        var self = ProcessSnapshot.Read(Environment.ProcessId)!;
        var columns = new PsColumns(DateTimeOffset.Now);
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), columns.Value("pid", self));
        Assert.Matches("^[0-9]{2}:[0-9]{2}:[0-9]{2}$", columns.Value("time", self));
        Assert.Matches("^[0-9]+\\.[0-9]$", columns.Value("%mem", self));
        Assert.NotEqual("0", columns.Value("vsz", self));
        Assert.Null(ProcessSnapshot.Read(int.MaxValue));
    }
}
