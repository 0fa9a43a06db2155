using Anchor.Linux;

namespace Anchor.Engine.Tests.Containers;

/// <summary>
/// The NativeAOT binary strips the framework's messages (UseSystemResourceKeys): an exception then
/// says "IO_PathNotFound_Path, /x". These are the messages such exceptions carry there.
/// </summary>
public sealed class ErrorTextTests
{
    [Theory]
    [InlineData("IO_PathNotFound_Path, /var/lib/anchor/containers/ab/.config.json.1.1.tmp", "no such file or directory: /var/lib/anchor/containers/ab/.config.json.1.1.tmp")]
    [InlineData("IO_PathNotFound_NoPathName", "no such file or directory")]
    public void Of_DirectoryNotFoundKey_SaysNoSuchFile(string key, string expected) =>
        Assert.Equal(expected, ErrorText.Of(new DirectoryNotFoundException(key)));

    [Fact]
    public void Of_UnauthorizedKey_SaysPermissionDenied() =>
        Assert.Equal("permission denied: /x", ErrorText.Of(new UnauthorizedAccessException("UnauthorizedAccess_IODenied_Path, /x")));

    [Fact]
    public void Of_NullReferenceKey_IsAnInternalErrorWithoutTheKey()
    {
#pragma warning disable CA2201 // the runtime throws it; the test needs one with the message NativeAOT gives it
        var text = ErrorText.Of(new NullReferenceException("Arg_NullReferenceException"));
#pragma warning restore CA2201
        Assert.Equal("internal error: null reference (run with --debug for details)", text);
    }

    [Fact]
    public void Of_UnknownKey_IsSaidInWords()
    {
        var text = ErrorText.Of(new InvalidOperationException("InvalidOperation_EnumFailedVersion"));
        Assert.DoesNotContain("_", text, StringComparison.Ordinal);
        Assert.Contains("enum failed version", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_OwnSentence_IsKept() =>
        Assert.Equal("No such container: n1", ErrorText.Of(EngineException.NoSuchContainer("n1")));

    [Fact]
    public void Scrub_KeyInsideOurMessage_IsReplaced() =>
        Assert.Equal(
            "open /etc/x: no such file or directory, /etc/x",
            ErrorText.Scrub("open /etc/x: IO_FileNotFound_FileName, /etc/x"));

    [Fact]
    public void ReasonOf_FrameworkFileErrors_AreTheErrnoWordsWithoutThePath()
    {
        Assert.Equal("no such file or directory", ErrorText.ReasonOf(new FileNotFoundException("IO_FileNotFound_FileName, /w/x.tar", "/w/x.tar")));
        Assert.Equal("no such file or directory", ErrorText.ReasonOf(new DirectoryNotFoundException("IO_PathNotFound_Path, /w/d/x.tar")));
        Assert.Equal("permission denied", ErrorText.ReasonOf(new UnauthorizedAccessException("UnauthorizedAccess_IODenied_Path, /w/x.tar")));
        Assert.Equal("the file is in use by another process", ErrorText.ReasonOf(new IOException("IO_SharingViolation_File, /w/x.tar")));
    }

    [Fact]
    public void Scrub_UnderscoresInNames_AreKept() =>
        Assert.Equal("No such container: my_box", ErrorText.Scrub("No such container: my_box"));
}
