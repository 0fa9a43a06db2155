using Anchor.Build.Dockerfile;

namespace Anchor.Build.Tests;

public sealed class DockerfileParserTests
{
    [Fact]
    public void Parse_TwoStagesWithMetaArg_GroupsInstructions()
    {
        var doc = DockerfileParser.Parse("""
            # a comment
            ARG BASE=busybox
            FROM $BASE AS build
            RUN echo hi
            FROM busybox
            COPY --from=build /a /b
            """);
        Assert.Single(doc.MetaArgs);
        Assert.Equal(2, doc.Stages.Count);
        Assert.Equal("build", doc.Stages[0].Name);
        Assert.Equal("$BASE", doc.Stages[0].BaseName);
        Assert.Single(doc.Stages[0].Commands);
        Assert.Equal("build", doc.Stages[1].Commands[0].Flag("from"));
        Assert.Equal("/a /b", doc.Stages[1].Commands[0].Arguments);
    }

    [Fact]
    public void Parse_LineContinuation_JoinsLinesAndSkipsComments()
    {
        var doc = DockerfileParser.Parse("FROM busybox\nENV A=1 \\\n# inner comment\n    B=2\nRUN echo \\\n  hi\n");
        var env = doc.Stages[0].Commands[0];
        Assert.Equal(2, env.Line);
        Assert.Equal([new("A", "1"), new("B", "2")], env.Pairs);
        Assert.Equal("echo   hi", doc.Stages[0].Commands[1].Arguments);
        Assert.Equal(5, doc.Stages[0].Commands[1].Line);
    }

    [Fact]
    public void Parse_EscapeDirective_UsesBacktick()
    {
        var doc = DockerfileParser.Parse("# escape=`\n# syntax=docker/dockerfile:1\nFROM busybox\nRUN echo a `\n b\n");
        Assert.Equal('`', doc.Escape);
        Assert.Equal("echo a  b", doc.Stages[0].Commands[0].Arguments);
    }

    [Fact]
    public void Parse_EscapeDirective_QuotesASpaceInLabelEnvAndArgWords()
    {
        // docker: with `# escape=``, "LABEL b=a` b c=d" is two labels, b's value "a b" after expansion.
        var doc = DockerfileParser.Parse("# escape=`\nFROM busybox\nLABEL b=a` b c=d\nARG X=1` 2\n");
        var label = doc.Stages[0].Commands[0].Pairs!;
        Assert.Equal(["b", "c"], label.Select(p => p.Key));
        Assert.Equal("a` b", label[0].Value);
        Assert.Equal("d", label[1].Value);
        Assert.Equal("1` 2", doc.Stages[0].Commands[1].Pairs![0].Value);
    }

    [Fact]
    public void Parse_DirectiveAfterInstruction_IsAComment()
    {
        var doc = DockerfileParser.Parse("FROM busybox\n# escape=`\nRUN echo a \\\n b\n");
        Assert.Equal('\\', doc.Escape);
        Assert.Equal("echo a  b", doc.Stages[0].Commands[0].Arguments);
    }

    [Fact]
    public void Parse_JsonAndShellForms_AreDistinguished()
    {
        var doc = DockerfileParser.Parse("FROM busybox\nCMD [\"echo\", \"hi\"]\nCMD echo hi\nCMD [not json\n");
        Assert.Equal(["echo", "hi"], doc.Stages[0].Commands[0].Json!);
        Assert.Null(doc.Stages[0].Commands[1].Json);
        Assert.Null(doc.Stages[0].Commands[2].Json);
        Assert.Equal("[not json", doc.Stages[0].Commands[2].Arguments);
    }

    [Fact]
    public void Parse_UnknownInstruction_NamesFileAndLine()
    {
        var e = Assert.Throws<BuildException>(() => DockerfileParser.Parse("FROM busybox\n\nfoo bar\n", "docker/Dockerfile"));
        Assert.Equal("docker/Dockerfile:3: unknown instruction: FOO", e.Message);
    }

    [Theory]
    [InlineData("RUN echo\n", "Dockerfile:1: no build stage in current context")]
    [InlineData("FROM a b\n", "Dockerfile:1: FROM requires either one or three arguments")]
    [InlineData("FROM a\nCOPY x\n", "Dockerfile:2: COPY requires at least two arguments, but only one was provided. Destination could not be determined.")]
    [InlineData("FROM a\nSHELL /bin/bash\n", "Dockerfile:2: SHELL requires the arguments to be in JSON form")]
    [InlineData("FROM a\nENV A=1 B\n", "Dockerfile:2: Syntax error - can't find = in \"B\". Must be of the form: name=value")]
    [InlineData("FROM a\nCOPY --bogus=1 a b\n", "Dockerfile:2: unknown flag: bogus")]
    [InlineData("FROM a AS 1x\n", "Dockerfile:1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols")]
    [InlineData("FROM a AS x\nFROM b AS X\n", "Dockerfile:2: duplicate name x")]
    [InlineData("FROM a\nONBUILD ONBUILD RUN x\n", "Dockerfile:2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("FROM a\nHEALTHCHECK FOO\n", "Dockerfile:2: Unknown type \"FOO\" in HEALTHCHECK (try CMD)")]
    [InlineData("FROM a\nRUN\n", "Dockerfile:2: RUN requires at least one argument")]
    public void Parse_BadInput_ReportsLine(string text, string message)
    {
        var e = Assert.Throws<BuildException>(() => DockerfileParser.Parse(text));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Parse_Empty_IsAnError()
    {
        var e = Assert.Throws<BuildException>(() => DockerfileParser.Parse("# only a comment\n\n"));
        Assert.Contains("file with no instructions", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LegacyEnv_TakesRestOfLine()
    {
        var doc = DockerfileParser.Parse("FROM a\nENV GREETING hello world\n");
        Assert.Equal([new("GREETING", "hello world")], doc.Stages[0].Commands[0].Pairs);
    }

    [Fact]
    public void Parse_QuotedEnvValues_KeepQuotesForExpansion()
    {
        var doc = DockerfileParser.Parse("FROM a\nENV A=\"x y\" B='$z'\n");
        Assert.Equal([new("A", "\"x y\""), new("B", "'$z'")], doc.Stages[0].Commands[0].Pairs);
    }

    [Fact]
    public void Parse_ArgWithAndWithoutDefault()
    {
        var doc = DockerfileParser.Parse("ARG A\nARG B=2 C\nFROM x\n");
        Assert.Equal([new("A", null)], doc.MetaArgs[0].Pairs);
        Assert.Equal([new("B", "2"), new("C", null)], doc.MetaArgs[1].Pairs);
    }

    [Fact]
    public void Parse_Flags_AreSplitFromArguments()
    {
        var i = DockerfileParser.ParseInstruction("copy --chown=1:2 --chmod=640 a b", 4);
        Assert.Equal("COPY", i.Keyword);
        Assert.Equal("1:2", i.Flag("chown"));
        Assert.Equal("640", i.Flag("chmod"));
        Assert.Equal("a b", i.Arguments);
        Assert.Equal("COPY --chown=1:2 --chmod=640 a b", i.Original);
    }

    [Fact]
    public void Parse_CrLfAndKeywordCase_AreAccepted()
    {
        var doc = DockerfileParser.Parse("from busybox\r\nrun echo hi\r\n");
        Assert.Equal("RUN", doc.Stages[0].Commands[0].Keyword);
        Assert.Equal("echo hi", doc.Stages[0].Commands[0].Arguments);
    }

    [Fact]
    public void Parse_SyntaxAndCheckDirectives_AreAcceptedAndIgnored()
    {
        var doc = DockerfileParser.Parse("# syntax=docker/dockerfile:1.7\n# check=skip=JSONArgsRecommended;error=true\nFROM busybox\nCOPY --link --exclude=*.md . /app/\n");
        var copy = Assert.Single(doc.Stages[0].Commands);
        Assert.Equal("true", copy.Flag("link"));
        Assert.Equal("*.md", copy.Flag("exclude"));
    }
}
