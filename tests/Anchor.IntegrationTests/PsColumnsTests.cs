namespace Anchor.IntegrationTests;

/// <summary>ps --format's Labels, Label, Mounts and Size, and its template and status errors, as docker 20.10 prints them.</summary>
[Collection(AnchorCollection.Name)]
public sealed class PsColumnsTests(AnchorFixture anchor)
{
    [Fact]
    public void Ps_LabelsMountsSize_AndErrors()
    {
        var name = Detached.UniqueName("it-pscol");
        var volume = name + "-vol";
        try
        {
            anchor.Ok("create", "--name", name, "--network", "none", "--label", "tier=web", "--label", "app=x", "-v", volume + ":/data", "--expose", "9000", AnchorFixture.Image, "true");
            string Ps(string format, params string[] extra) => anchor.Ok([.. new[] { "ps", "-a", "--filter", "name=^" + name + "$", "--format", format }, .. extra]).Out.Trim();

            Assert.Equal("app=x,tier=web web|", Ps("{{.Labels}} {{.Label \"tier\"}}|{{.Label \"nope\"}}"));
            Assert.Equal(volume.Length > 15 ? volume[..14] + "…" : volume, Ps("{{.Mounts}}"));
            Assert.Equal(volume, Ps("{{.Mounts}}", "--no-trunc"));
            Assert.Equal("", Ps("{{.Ports}}"));
            Assert.Matches(@"^\d+(\.\d+)?k?B \(virtual \d+(\.\d+)?[kM]B\)$", Ps("{{.Size}}", "-s"));

            var bad = anchor.Anchor(["ps", "--format", "{{.Nosuch}}"]);
            Assert.Equal(1, bad.ExitCode);
            Assert.Equal("failed to execute template: template: :1:2: executing \"\" at <.Nosuch>: can't evaluate field Nosuch in type *formatter.ContainerContext", bad.Err.Trim());
            var status = anchor.Anchor(["ps", "-a", "--filter", "status=nosuch"]);
            Assert.Equal(1, status.ExitCode);
            Assert.Contains("Invalid filter 'status=nosuch'", status.Err, StringComparison.Ordinal);

            var size = anchor.Ok("inspect", "-s", "--format", "{{.SizeRw}} {{.SizeRootFs}}", name).Out.Trim().Split(' ');
            Assert.True(long.Parse(size[1], System.Globalization.CultureInfo.InvariantCulture) > long.Parse(size[0], System.Globalization.CultureInfo.InvariantCulture), string.Join(' ', size));
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["volume", "rm", volume]);
        }
    }
}
