using Anchor.Build.Dockerfile;
using Anchor.Images;
using Anchor.Linux.Interop;

namespace Anchor.Build.Tests;

/// <summary>
/// Input limits at build time: a Dockerfile line (continuations joined) over 64 KiB, and
/// ENV/CMD/ENTRYPOINT/RUN whose arguments or environment no container could exec (execve(2) E2BIG).
/// </summary>
public sealed class InputLimitTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "anchor-limits-" + Guid.NewGuid().ToString("N"));

    public InputLimitTests() => Directory.CreateDirectory(Path.Combine(_dir, "ctx"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Parse_LineOf64KiB_IsAccepted()
    {
        var label = "LABEL a=" + new string('x', DockerfileParser.MaxLineBytes - "LABEL a=".Length);
        var doc = DockerfileParser.Parse("FROM scratch\n" + label + "\n");
        Assert.Equal(DockerfileParser.MaxLineBytes, doc.Stages[0].Commands[0].Original.Length);
    }

    [Fact]
    public void Parse_LineOver64KiB_IsRefusedWithItsLine()
    {
        var label = "LABEL a=" + new string('x', DockerfileParser.MaxLineBytes + 1 - "LABEL a=".Length);
        var e = Assert.Throws<BuildException>(() => DockerfileParser.Parse("FROM scratch\n" + label + "\n", "my.Dockerfile"));
        Assert.Equal("my.Dockerfile:2: dockerfile line greater than max allowed size of 65536", e.Message);
    }

    [Fact]
    public void Parse_ContinuationsJoinedOver64KiB_AreRefusedAtTheFirstLine()
    {
        var piece = new string('y', 20_000);
        var text = $"FROM scratch\n\nRUN echo {piece} \\\n {piece} \\\n# a comment\n {piece} \\\n {piece}\n";
        var e = Assert.Throws<BuildException>(() => DockerfileParser.Parse(text));
        Assert.Equal("Dockerfile:3: dockerfile line greater than max allowed size of 65536", e.Message);
    }

    [Fact]
    public void Parse_TenMegabyteLine_IsRefused()
    {
        var text = "FROM scratch\nENV BIG=" + new string('z', 10 << 20) + "\n";
        var e = Assert.Throws<BuildException>(() => DockerfileParser.Parse(text));
        Assert.StartsWith("Dockerfile:2: dockerfile line greater than max allowed size", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8UL << 20, 2L << 20)] // the usual 8 MiB stack: a quarter
    [InlineData(LibC.RLIM_INFINITY, 6L << 20)] // unlimited: 3/4 of _STK_LIM
    [InlineData(64UL << 10, 131072L)] // a tiny stack: never below ARG_MAX
    public void ExecLimits_FollowTheKernelFormula(ulong stack, long expected) =>
        Assert.Equal(expected, ExecLimits.ForStackLimit(stack).Total);

    [Fact]
    public void ExecLimits_OneStringOfMaxArgStrlen_IsRefused()
    {
        var limits = ExecLimits.ForStackLimit(8UL << 20);
        Assert.Null(limits.Check(["sh", new string('a', ExecLimits.MaxArgStrlen - 1)], []));
        Assert.Contains("MAX_ARG_STRLEN", limits.Check(["sh", new string('a', ExecLimits.MaxArgStrlen)], []), StringComparison.Ordinal);
        Assert.Null(limits.Check(["sh"], ["V=" + new string('a', ExecLimits.MaxArgStrlen - 3)]));
        var env = limits.Check(["sh"], ["V=" + new string('a', ExecLimits.MaxArgStrlen - 2)]);
        Assert.StartsWith("the environment variable V takes 131072 bytes", env, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecLimits_TotalCountsStringsAndPointers()
    {
        var limits = ExecLimits.ForStackLimit(8UL << 20);
        var half = new string('b', 100_000);
        Assert.Null(limits.Check(["sh"], [.. Enumerable.Range(0, 20).Select(i => $"V{i}={half}")]));
        Assert.Contains("argument list too long", limits.Check(["sh"], [.. Enumerable.Range(0, 21).Select(i => $"V{i}={half}")]), StringComparison.Ordinal);
        // Many empty strings cost their pointers: 2 MiB / 9 bytes each.
        Assert.Contains("argument list too long", limits.Check(["sh"], [.. Enumerable.Repeat("", 240_000)]), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EnvOverMaxArgStrlen_IsRefusedNamingEnv()
    {
        var e = Build($"FROM scratch\nARG HUGE\nENV SMALL=1\nENV BIG=${{HUGE}}\n", ("HUGE", new string('h', 200_000)));
        Assert.StartsWith("Dockerfile:4: ENV: the environment variable BIG takes 200004 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ArgExpandedIntoEnvListOverTheTotal_IsRefused()
    {
        var lines = string.Join('\n', Enumerable.Range(0, 30).Select(i => $"ENV V{i}=$A"));
        var e = Build($"FROM scratch\nARG A\n{lines}\n", ("A", new string('a', 100_000)));
        Assert.Matches(@"^Dockerfile:\d+: ENV: the arguments and environment take \d+ bytes, more than the \d+ execve\(2\) accepts", e.Message);
    }

    [Fact]
    public void Build_CmdAndEntrypointPastTheTotalWithTheEnv_AreRefusedNamingThem()
    {
        // ENV fills all but ~30 KB of what execve(2) takes here; a 40 KB CMD or ENTRYPOINT (a line
        // under 64 KiB, exec forms are not expanded) is then more than a container could start with.
        var room = ExecLimits.Current().Total - 4352 - 100 - 30_000;
        var env = new List<string>();
        for (var i = 0; room > 0; i++)
        {
            var size = (int)Math.Min(60_000, room - 10);
            env.Add($"ENV V{i}={new string('e', Math.Max(size - 4, 1))}");
            room -= size + 10;
        }

        var arg = new string('c', 40_000);
        var prefix = "FROM scratch\n" + string.Join('\n', env) + "\n";
        var line = env.Count + 2;
        Assert.StartsWith($"Dockerfile:{line}: CMD: the arguments and environment take", Build(prefix + $"CMD [\"echo\", \"{arg}\"]\n").Message, StringComparison.Ordinal);
        Assert.StartsWith($"Dockerfile:{line}: ENTRYPOINT: the arguments and environment take", Build(prefix + $"ENTRYPOINT {arg}\n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RunWithHugeBuildArg_IsRefusedBeforeAnyContainer()
    {
        var host = new RecordingHost();
        var e = Build("FROM scratch\nARG A\nRUN true\n", host, ("A", new string('r', 140_000)));
        Assert.StartsWith("Dockerfile:3: RUN: the environment variable A takes 140002 bytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Runs);
    }

    private BuildException Build(string dockerfile, params (string Name, string Value)[] args) => Build(dockerfile, new RecordingHost(), args);

    private BuildException Build(string dockerfile, RecordingHost host, params (string Name, string Value)[] args)
    {
        var path = Path.Combine(_dir, "Dockerfile");
        File.WriteAllText(path, dockerfile);
        var request = new BuildRequest
        {
            ContextDirectory = Path.Combine(_dir, "ctx"),
            DockerfilePath = path,
            BuildArgs = args.ToDictionary(a => a.Name, a => (string?)a.Value),
        };
        return Assert.Throws<BuildException>(() => new Builder(new ImageStore(Path.Combine(_dir, "root")), host).Build(request));
    }

    private sealed class RecordingHost : IBuildHost
    {
        public int Runs { get; private set; }

        public int Run(RunStepRequest request, Action<string> started, Action<string> exited)
        {
            Runs++;
            return 0;
        }

        public (uint Uid, uint Gid) ResolveOwner(string spec, IReadOnlyList<string> layersTopFirst) => (0, 0);
    }
}
