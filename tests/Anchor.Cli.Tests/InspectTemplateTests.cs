using Anchor.Cli.Output.Templates;
using Anchor.Engine.Inspect;

namespace Anchor.Cli.Tests;

public sealed class InspectTemplateTests
{
    private static TemplateValue Inspect() => TemplateJson.Parse(ContainerInspectWriter.ToJson(new ContainerInspectData
    {
        Id = new string('c', 64),
        Name = "/web",
        State = new ContainerStateData { Status = "exited", ExitCode = 3 },
        Config = new ContainerConfigData { Env = ["A=1"], Labels = new Dictionary<string, string>() },
        Mounts = [new MountPointData { Type = "bind", Source = "/s", Destination = "/d", RW = false }],
    }));

    [Theory]
    [InlineData("{{.State.ExitCode}}", "3\n")]
    [InlineData("{{.State.Status}} {{.Name}}", "exited /web\n")]
    [InlineData("{{.Driver}} {{.Platform}}", "overlay2 linux\n")]
    [InlineData("{{range .Mounts}}{{.Source}}:{{.Destination}}:{{if .RW}}rw{{else}}ro{{end}}{{end}}", "/s:/d:ro\n")]
    [InlineData("[{{index .Config.Labels \"x\"}}]", "[]\n")]
    [InlineData("{{.State.FinishedAt}}", "0001-01-01T00:00:00Z\n")]
    [InlineData("{{json .Config.Env}}", "[\"A=1\"]\n")]
    public void FormatInspect_OverWriterOutput_MatchesDocker(string format, string expected) =>
        Assert.Equal(expected, TemplateFormatter.FormatInspect(format, Inspect()));
}
