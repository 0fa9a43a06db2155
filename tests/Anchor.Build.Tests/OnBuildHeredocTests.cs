using Anchor.Build.Dockerfile;

namespace Anchor.Build.Tests;

/// <summary>ONBUILD RUN/COPY with here-documents: read like a RUN's, and the trigger text carries the bodies (BuildKit parseOnBuild).</summary>
public sealed class OnBuildHeredocTests
{
    [Fact]
    public void OnBuildRun_ReadsTheHeredoc_AndTheNextInstructionFollows()
    {
        var doc = DockerfileParser.Parse("FROM busybox\nONBUILD RUN <<EOF\necho one\nEOF\nRUN echo after\n");
        var commands = doc.Stages[0].Commands;
        Assert.Equal(2, commands.Count);
        Assert.Equal("ONBUILD", commands[0].Keyword);
        Assert.Equal("echo one\n", Assert.Single(commands[0].Heredocs).Content);
        Assert.Equal("echo after", commands[1].Arguments);
    }

    [Fact]
    public void ParseTrigger_ReadsTheBodiesAfterTheFirstLine()
    {
        var trigger = DockerfileParser.ParseTrigger("COPY <<A <<B /dst/\nalpha\nA\nbeta\nB", 1);
        Assert.Equal("COPY", trigger.Keyword);
        Assert.Equal(["alpha\n", "beta\n"], trigger.Heredocs.Select(h => h.Content));
    }

    [Fact]
    public void ParseTrigger_WithoutHeredoc_IsTheInstruction()
    {
        var trigger = DockerfileParser.ParseTrigger("RUN echo <<notaheredoc-in-json", 1);
        Assert.Equal("RUN", trigger.Keyword);
        Assert.Empty(trigger.Heredocs);
    }

    [Fact]
    public void OnBuildCmd_IsNotReadForHeredocs()
    {
        var doc = DockerfileParser.Parse("FROM busybox\nONBUILD CMD [\"a\"] <<EOF\nRUN echo x\n");
        Assert.Equal(2, doc.Stages[0].Commands.Count);
    }
}
