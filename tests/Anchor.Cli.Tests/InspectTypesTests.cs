using System.Text.Json;
using Anchor.Cli.Output;
using Anchor.Cli.Output.Templates;
using Anchor.Engine.Inspect;

namespace Anchor.Cli.Tests;

/// <summary>docker inspect -f over its Go types first: unset fields print Go's zero values instead of failing.</summary>
public sealed class InspectTypesTests
{
    private static readonly string Json = ContainerInspectWriter.ToJson(new ContainerInspectData
    {
        Id = new string('c', 64),
        Name = "/web",
        State = new ContainerStateData { Status = "exited", ExitCode = 3 },
        Config = new ContainerConfigData { Env = ["A=1"] },
    });

    private static string Format(string format)
    {
        using var doc = JsonDocument.Parse(Json);
        return InspectOutput.FormatOne(GoTemplate.Parse(format), doc.RootElement);
    }

    [Theory]
    [InlineData("{{.Config.StopSignal}}|{{.Config.MacAddress}}", "|\n")]
    [InlineData("{{.Config.Labels}} {{json .Config.Labels}}", "map[] null\n")]
    [InlineData("{{.Config.Cmd}} {{json .Config.Cmd}}", "[] null\n")]
    [InlineData("{{.State.Health}} {{json .State.Health}}", "<nil> null\n")]
    [InlineData("{{.HostConfig.Tmpfs}} {{.HostConfig.PidsLimit}}", "map[] <nil>\n")]
    [InlineData("{{.Config.Labels.nope}}", "<no value>\n")]
    [InlineData("[{{index .Config.Labels \"x\"}}] {{len .HostConfig.Links}}", "[] 0\n")]
    [InlineData("{{.Config.ArgsEscaped}} {{.HostConfig.KernelMemory}}", "false 0\n")]
    public void UnsetFields_PrintGosZeroValues(string format, string expected) => Assert.Equal(expected, Format(format));

    [Fact]
    public void Json_LeavesOmittedFieldsOut()
    {
        var config = Format("{{json .Config}}");
        Assert.DoesNotContain("StopSignal", config, StringComparison.Ordinal);
        Assert.DoesNotContain("Healthcheck", config, StringComparison.Ordinal);
        Assert.StartsWith("{\"Hostname\":\"\",\"Domainname\":\"\",\"User\":\"\",", config, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownField_FailsAsTheRawPassDoes() =>
        Assert.Contains(
            "map has no entry for key \"Nope\"",
            Assert.Throws<TemplateException>(() => Format("{{.Nope}}")).Message,
            StringComparison.Ordinal);
}
