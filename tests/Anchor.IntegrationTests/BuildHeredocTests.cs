namespace Anchor.IntegrationTests;

/// <summary>Dockerfile 1.4 here-documents in RUN and COPY (issue 14), as BuildKit runs and writes them.</summary>
[Collection(AnchorCollection.Name)]
public sealed class BuildHeredocTests(AnchorFixture anchor)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void RunHeredoc_RunsTheScript_ChompsTabs_AndFeedsACommandsStdin()
    {
        const string dockerfile = "FROM busybox\nARG WHO=world\n" +
            "RUN <<EOF\necho \"script says hello $WHO\"\nfor i in 1 2; do echo \"loop $i\"; done\nEOF\n" +
            "RUN <<-EOT\n\techo \"chomped $(printf '\\t' | wc -c)\"\n\tEOT\n" +
            "RUN sed 's/^/stdin: /' <<'EOF'\nkept $WHO\nEOF\n" +
            "RUN <<A cat > /a && <<B cat > /b\nfirst\nA\nsecond\nB\n" +
            "RUN <<EOF\n#!/bin/sh\necho \"shebang script at $0\"\nEOF\n" +
            "CMD cat /a /b\n";
        const string tag = "build-heredoc-run:1";
        var build = anchor.Anchor(["build", "--no-cache", "-t", tag, "-"], dockerfile, BuildTimeout);
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Contains("script says hello world\n", build.Stdout, StringComparison.Ordinal);
            Assert.Contains("loop 1\nloop 2\n", build.Stdout, StringComparison.Ordinal);
            Assert.Contains("chomped 1\n", build.Stdout, StringComparison.Ordinal);
            Assert.Contains("stdin: kept $WHO\n", build.Stdout, StringComparison.Ordinal);
            Assert.Contains("shebang script at /dev/pipes/EOF\n", build.Stdout, StringComparison.Ordinal);
            var run = anchor.Anchor(["run", "--rm", "--network", "none", tag]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("first\nsecond\n", run.Stdout);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", tag]);
        }
    }

    [Fact]
    public void CopyHeredoc_CreatesFiles_ExpandedUnlessQuoted()
    {
        const string dockerfile = "FROM busybox\nARG NAME=anchor\nENV GREETING=hi\n" +
            "COPY <<EOF /etc/greeting\n$GREETING from ${NAME} \"quoted\"\nEOF\n" +
            "COPY <<\"EOF\" /raw.txt\n$GREETING stays\nEOF\n" +
            "COPY <<a.txt <<b.txt /dir/\nAAA\na.txt\nBBB\nb.txt\n" +
            "COPY --chmod=0755 <<-EOF /bin/hello\n\t#!/bin/sh\n\techo hello from script\n\tEOF\n";
        const string tag = "build-heredoc-copy:1";
        var build = anchor.Anchor(["build", "-t", tag, "-"], dockerfile, BuildTimeout);
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            var run = anchor.Anchor(["run", "--rm", "--network", "none", tag, "sh", "-c",
                "cat /etc/greeting /raw.txt /dir/a.txt /dir/b.txt; stat -c '%n %a %u' /etc/greeting /dir/a.txt /bin/hello; hello"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(
                "hi from anchor \"quoted\"\n$GREETING stays\nAAA\nBBB\n/etc/greeting 644 0\n/dir/a.txt 644 0\n/bin/hello 755 0\nhello from script\n",
                run.Stdout);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", tag]);
        }
    }
}
