using System.Text;
using Anchor.Cli.Commands;
using Anchor.Cli.Output;
using Anchor.Cli.Output.Templates;

namespace Anchor.Cli.Tests;

/// <summary>Templates over docker's Go structs: methods with arguments, durations, and the error texts of info/version.</summary>
public sealed class DockerStructTemplateTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(5_000_000_000L, "5s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(500_000_000L, "500ms")]
    [InlineData(2_000L, "2µs")]
    [InlineData(7L, "7ns")]
    [InlineData(-2_000_000_000L, "-2s")]
    public void GoDuration_PrintsAsGosDurationString(long nanoseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(nanoseconds));

    [Fact]
    public void InspectHealthcheck_DurationsPrintAsDurations_JsonKeepsNanoseconds()
    {
        const string Json = """{"State":{},"HostConfig":{},"Config":{"Healthcheck":{"Test":["CMD","true"],"Interval":2000000000,"StartPeriod":5000000000}}}""";
        var doc = InspectTypes.Typed(TemplateValue.FromJson(System.Text.Json.JsonDocument.Parse(Json).RootElement))!;
        Assert.Equal("5s 2s 0s\n", TemplateFormatter.FormatInspect("{{.Config.Healthcheck.StartPeriod}} {{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Timeout}}", doc));
        Assert.Equal("2000000000\n", TemplateFormatter.FormatInspect("{{json .Config.Healthcheck.Interval}}", doc));
    }

    [Fact]
    public void StructMethod_TakesItsArgument()
    {
        var row = new TemplateObject
        {
            TypeName = "*formatter.ContainerContext",
            Methods = new Dictionary<string, TemplateFunction>(StringComparer.Ordinal)
            {
                ["Label"] = new(1, 1, args => args[0].ToString() == "tier" ? "web" : ""),
            },
            ["Labels"] = "tier=web",
        };
        Assert.Equal("tier=web web |", GoTemplate.Parse("{{.Labels}} {{.Label \"tier\"}} |{{.Label \"nope\"}}").Execute(row));
        var e = Assert.Throws<TemplateException>(() => GoTemplate.Parse("{{.Label}}").Execute(row));
        Assert.Contains("wrong number of args for Label: want 1 got 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatStruct_ErrorsAreTextTemplatesOwn_NamedForVersion()
    {
        TemplateValue info = new TemplateObject { TypeName = "system.info", ["ID"] = "x" };
        var e = Assert.Throws<TemplateException>(() => TemplateFormatter.FormatStruct("{{.Nosuch}}", info));
        Assert.Equal("template: :1:2: executing \"\" at <.Nosuch>: can't evaluate field Nosuch in type system.info", e.Message);
        var named = Assert.Throws<TemplateException>(() => TemplateFormatter.FormatStruct("{{.Nosuch}}", info, "version"));
        Assert.Equal("template: version:1:2: executing \"version\" at <.Nosuch>: can't evaluate field Nosuch in type system.info", named.Message);
    }

    [Fact]
    public void LogsOutput_Details_PutsASpaceBeforeEachLine()
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var output = new LogsOutput(stdout, stderr, timestamps: false, details: true);
        output.Write(false, "2024-01-01T00:00:00Z"u8, "o1\n"u8);
        output.Write(true, "2024-01-01T00:00:00Z"u8, "e1\n"u8);
        output.Flush();
        Assert.Equal(" o1\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal(" e1\n", Encoding.UTF8.GetString(stderr.ToArray()));
    }
}
