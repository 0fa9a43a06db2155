using Anchor.Build.Dockerfile;

namespace Anchor.Build.Tests;

public sealed class HeredocParserTests
{
    [Fact]
    public void Parse_RunHeredoc_ReadsBodyUpToDelimiterAndGoesOn()
    {
        var doc = DockerfileParser.Parse("FROM busybox\nRUN <<EOF\necho one\n# not a comment\nEOF\nRUN echo after\n");
        var commands = doc.Stages[0].Commands;
        Assert.Equal(2, commands.Count);
        var heredoc = Assert.Single(commands[0].Heredocs);
        Assert.Equal("EOF", heredoc.Name);
        Assert.Equal("echo one\n# not a comment\n", heredoc.Content);
        Assert.True(heredoc.Expand);
        Assert.Equal("echo after", commands[1].Arguments);
        Assert.Equal(6, commands[1].Line);
    }

    [Fact]
    public void Parse_ChompHeredoc_StripsLeadingTabsAndAcceptsIndentedDelimiter()
    {
        var doc = DockerfileParser.Parse("FROM busybox\nRUN <<-EOF\n\techo a\n\t\techo b\n\tEOF\n");
        var heredoc = Assert.Single(doc.Stages[0].Commands[0].Heredocs);
        Assert.True(heredoc.Chomp);
        Assert.Equal("echo a\necho b\n", heredoc.Text);
    }

    [Theory]
    [InlineData("<<\"EOF\"")]
    [InlineData("<<'EOF'")]
    [InlineData("<<E\"O\"F")]
    public void Parse_QuotedDelimiter_DisablesExpansion(string word)
    {
        var heredoc = HeredocSyntax.Parse(word);
        Assert.NotNull(heredoc);
        Assert.Equal("EOF", heredoc.Name);
        Assert.False(heredoc.Expand);
    }

    [Theory]
    [InlineData("<<")]
    [InlineData("<<<EOF")]
    [InlineData("a<<EOF")]
    [InlineData("echo")]
    public void Parse_NotAHeredocWord_ReturnsNull(string word) => Assert.Null(HeredocSyntax.Parse(word));

    [Fact]
    public void Parse_TwoHeredocsOnOneLine_ReadInOrder()
    {
        var doc = DockerfileParser.Parse("FROM busybox\nCOPY <<a.txt <<b.txt /dir/\nA\na.txt\nB\nb.txt\nRUN true\n");
        var copy = doc.Stages[0].Commands[0];
        Assert.Equal(["a.txt", "b.txt"], copy.Heredocs.Select(h => h.Name));
        Assert.Equal(["A\n", "B\n"], copy.Heredocs.Select(h => h.Content));
        Assert.Equal("RUN", doc.Stages[0].Commands[1].Keyword);
    }

    [Fact]
    public void Parse_CommandWithHeredocStdin_KeepsTheCommand()
    {
        var doc = DockerfileParser.Parse("FROM busybox\nRUN python3 <<EOF\nprint(1)\nEOF\n");
        var run = doc.Stages[0].Commands[0];
        Assert.Equal("python3 <<EOF", run.Arguments);
        Assert.Equal("print(1)\n", Assert.Single(run.Heredocs).Content);
    }

    [Fact]
    public void Parse_JsonFormAndOtherInstructions_HaveNoHeredocs()
    {
        var doc = DockerfileParser.Parse("FROM busybox\nRUN [\"echo\", \"<<EOF\"]\nLABEL a=<<EOF\n");
        Assert.All(doc.Stages[0].Commands, c => Assert.Empty(c.Heredocs));
    }

    [Fact]
    public void Parse_UnterminatedHeredoc_FailsWithLine()
    {
        var e = Assert.Throws<BuildException>(() => DockerfileParser.Parse("FROM busybox\nRUN <<EOF\necho\n"));
        Assert.Equal("Dockerfile:2: unterminated heredoc", e.Message);
    }

    [Fact]
    public void ProcessContent_ExpandsVariablesAndKeepsQuotes()
    {
        var lex = new ShellLex(n => n == "FOO" ? "bar" : null);
        Assert.Equal("say \"bar\" 'bar' $\n", lex.ProcessContent("say \"$FOO\" '${FOO}' \\$\n"));
    }
}
