using System.Text;
using Anchor.Engine.Run;

namespace Anchor.Engine.Tests;

/// <summary>--env-file and -e against docker/cli's pkg/kvfile and opts.ValidateEnv rules and messages.</summary>
public sealed class EnvFileTests
{
    private static readonly Func<string, string?> Lookup = name => name == "FROM_HOST" ? "host value" : null;

    private static IReadOnlyList<string> Parse(string text) => EnvFile.Parse(Encoding.UTF8.GetBytes(text), Lookup);

    private static string ParseError(byte[] content) => Assert.Throws<FormatException>(() => EnvFile.Parse(content, Lookup)).Message;

    private static string ParseError(string text) => ParseError(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Parse_SkipsCommentsAndBlanks_ExpandsOrDropsBareNames()
    {
        var env = Parse("# comment\n\n   \nA=1\n  B=two words\nFROM_HOST\nUNSET_ANYWHERE\n\t# indented comment\n");
        Assert.Equal(["A=1", "B=two words", "FROM_HOST=host value"], env);
    }

    [Fact]
    public void Parse_KeepsTrailingWhitespaceQuotesAndEqualsInTheValue()
    {
        Assert.Equal(["A=x = y  ", "B=\"quoted\"", "C="], Parse("A=x = y  \nB=\"quoted\"\nC=\n"));
    }

    [Fact]
    public void Parse_CrLfLines_DropTheCarriageReturnOnly()
    {
        Assert.Equal(["A=1", "B=2\r3"], Parse("A=1\r\nB=2\r3\r\n"));
    }

    [Fact]
    public void Parse_LastLineWithoutNewline_IsRead()
    {
        Assert.Equal(["A=1", "B=2"], Parse("A=1\nB=2"));
    }

    [Fact]
    public void Parse_ByteOrderMarkOnTheFirstLine_IsDropped()
    {
        Assert.Equal(["A=1"], EnvFile.Parse([0xEF, 0xBB, 0xBF, .. "A=1\n"u8], Lookup));
    }

    [Theory]
    [InlineData("=value", "no variable name on line '=value'")]
    [InlineData("A=1\n   =x", "no variable name on line '=x'")]
    [InlineData("MY VAR=1", "variable 'MY VAR' contains whitespaces")]
    [InlineData("TAB\tNAME=1", "variable 'TAB\tNAME' contains whitespaces")]
    [InlineData("BARE ", "variable 'BARE ' contains whitespaces")]
    public void Parse_BadName_FailsWithDockersMessage(string text, string expected)
    {
        Assert.Equal(expected, ParseError(text));
    }

    [Fact]
    public void Parse_InvalidUtf8_NamesTheLineAndItsBytes()
    {
        Assert.Equal("invalid utf8 bytes at line 2: [65 61 255]", ParseError([.. "B=1\n"u8, 65, 61, 255, (byte)'\n']));
    }

    [Fact]
    public void Parse_LineLongerThanDockersScanner_Fails()
    {
        Assert.Equal("bufio.Scanner: token too long", ParseError("A=" + new string('x', 70_000)));
    }

    [Fact]
    public void Read_PrefixesTheFileName_AndReportsAMissingFileAsGoDoes()
    {
        var dir = Directory.CreateTempSubdirectory("anchor-envfile-");
        try
        {
            var file = Path.Combine(dir.FullName, "bad.env");
            File.WriteAllText(file, "OK=1\n=value\n");
            Assert.Equal($"invalid env file ({file}): no variable name on line '=value'", Assert.Throws<FormatException>(() => EnvFile.Read(file, Lookup)).Message);
            var missing = Path.Combine(dir.FullName, "missing.env");
            Assert.Equal($"open {missing}: no such file or directory", Assert.Throws<FormatException>(() => EnvFile.Read(missing, Lookup)).Message);
            Assert.Equal($"invalid env file ({dir.FullName}): read {dir.FullName}: is a directory", Assert.Throws<FormatException>(() => EnvFile.Read(dir.FullName, Lookup)).Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Collect_BadFile_IsDockersMessage_WithTheVerbsExitCode()
    {
        var file = Path.Combine(Path.GetTempPath(), "anchor-envfile-" + Guid.NewGuid().ToString("N") + ".env");
        File.WriteAllText(file, "=value\n");
        try
        {
            var run = Assert.Throws<EngineException>(() => EnvFile.Collect([file], [], 125));
            Assert.Equal($"invalid env file ({file}): no variable name on line '=value'", run.Message);
            Assert.Equal(125, run.ExitCode);
            var exec = Assert.Throws<EngineException>(() => EnvFile.Collect([file], [], 1));
            Assert.Equal(1, exec.ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("=x")]
    [InlineData("=")]
    [InlineData("")]
    public void FromArgument_EmptyName_IsAFlagError(string entry)
    {
        var e = Assert.Throws<EngineException>(() => EnvFile.FromArgument(entry));
        Assert.Equal($"invalid argument \"{entry}\" for \"-e, --env\" flag: invalid environment variable: {entry}", e.Message);
        Assert.Equal(125, e.ExitCode);
    }

    [Fact]
    public void FromArgument_KeepsValuesAndWhitespaceInNames()
    {
        // docker validates only that the name is not empty for -e (moby#16585).
        Assert.Equal("A=", EnvFile.FromArgument("A="));
        Assert.Equal("MY VAR=1", EnvFile.FromArgument("MY VAR=1"));
    }

    [Fact]
    public void FromArgument_BareName_TakesAnchorsValueOrStaysBare()
    {
        Environment.SetEnvironmentVariable("ANCHOR_TEST_BARE", "fromhost");
        Assert.Equal("ANCHOR_TEST_BARE=fromhost", EnvFile.FromArgument("ANCHOR_TEST_BARE"));
        Assert.Equal("ANCHOR_TEST_UNSET_XYZ", EnvFile.FromArgument("ANCHOR_TEST_UNSET_XYZ"));
    }

    [Fact]
    public void Merge_BareName_UnsetsWhatEarlierLayersSet()
    {
        Assert.Equal(["PATH=/a", "Y=3"], EnvironmentList.Merge(["PATH=/a", "X=1"], ["Y=3", "X", "NEVER_SET"]));
        Assert.Equal(["PATH=/a", "X=2"], EnvironmentList.Merge(["PATH=/a", "X=1"], ["X", "X=2"]));
    }
}
