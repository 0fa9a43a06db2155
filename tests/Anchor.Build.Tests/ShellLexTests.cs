using Anchor.Build.Dockerfile;

namespace Anchor.Build.Tests;

public sealed class ShellLexTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["V"] = "val",
        ["EMPTY"] = "",
        ["SPACED"] = "a b",
    };

    private static ShellLex Lex(char escape = '\\') => new(n => Env.TryGetValue(n, out var v) ? v : null, escape);

    [Theory]
    [InlineData("$V", "val")]
    [InlineData("${V}", "val")]
    [InlineData("x${V}y", "xvaly")]
    [InlineData("$V.txt", "val.txt")]
    [InlineData("$UNSET", "")]
    [InlineData("${UNSET:-def}", "def")]
    [InlineData("${EMPTY:-def}", "def")]
    [InlineData("${EMPTY-def}", "")]
    [InlineData("${V:-def}", "val")]
    [InlineData("${V:+alt}", "alt")]
    [InlineData("${UNSET:+alt}", "")]
    [InlineData("${EMPTY:+alt}", "")]
    [InlineData("${EMPTY+alt}", "alt")]
    [InlineData("${UNSET:-$V}", "val")]
    [InlineData("\\$V", "$V")]
    [InlineData("'$V'", "$V")]
    [InlineData("\"$V\"", "val")]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("\"a\\nb\"", "a\\nb")]
    [InlineData("$", "$")]
    [InlineData("a$ b", "a$ b")]
    [InlineData("$1", "")] // positional and special parameters are never set: empty, as in docker (issue 14, found 5)
    [InlineData("a$9b", "ab")]
    [InlineData("$10x", "x")]
    [InlineData("$$", "")]
    [InlineData("x$?y", "xy")]
    [InlineData("$-", "")]
    public void ProcessWord_Expands(string input, string expected) =>
        Assert.Equal(expected, Lex().ProcessWord(input));

    [Fact]
    public void ProcessWords_SplitsOutsideQuotes()
    {
        Assert.Equal(["a b", "c", "val"], Lex().ProcessWords("\"a b\"   c $V"));
        Assert.Equal(["a", "b", "x"], Lex().ProcessWords("$SPACED x"));
        Assert.Equal(["a b", "x"], Lex().ProcessWords("\"$SPACED\" x"));
    }

    [Fact]
    public void ProcessWord_BacktickEscape()
    {
        Assert.Equal("$V", Lex('`').ProcessWord("`$V"));
        Assert.Equal("C:\\dir", Lex('`').ProcessWord("C:\\dir"));
    }

    [Theory]
    [InlineData("${V")]
    [InlineData("\"unterminated")]
    [InlineData("'unterminated")]
    [InlineData("${UNSET:?must be set}")]
    public void ProcessWord_BadInput_Throws(string input) =>
        Assert.Throws<BuildException>(() => Lex().ProcessWord(input));
}
