using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>--filter of ps, images, volume ls, network ls and the prunes; history --format; top with ps options.</summary>
[Collection(AnchorCollection.Name)]
public sealed class FilterTests(AnchorFixture anchor)
{
    [Fact]
    public void Ps_Filters_SelectAsDocker()
    {
        var prefix = Detached.UniqueName("it-psf");
        var (a, b, image, volume) = (prefix + "-a", prefix + "-b", prefix + "-img:1", prefix + "-vol");
        try
        {
            anchor.Ok("create", "--name", a, "-v", volume + ":/data", "--expose", "7000", AnchorFixture.Image, "true");
            anchor.Ok("commit", "-c", "LABEL tier=x", a, image);
            Thread.Sleep(1100); // before/since compare creation times
            anchor.Ok("create", "--name", b, "-p", "18081:80", image, "true");

            List<string> Ps(params string[] filters) =>
                [.. anchor.Ok([.. new[] { "ps", "-a", "--format", "{{.Names}}", "--filter", "name=^" + prefix }, .. filters.SelectMany(f => new[] { "--filter", f })])
                    .Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

            Assert.Equal([a, b], Ps());
            Assert.Equal([a], Ps("volume=" + volume));
            Assert.Equal([a], Ps("volume=/data"));
            // b's image was committed from a, so it exposes a's 7000 too (docker keeps ExposedPorts), and -p adds 80.
            Assert.Equal([a, b], Ps("expose=7000"));
            Assert.Equal([a, b], Ps("expose=6990-7010/tcp"));
            Assert.Equal([b], Ps("expose=80"));
            Assert.Empty(Ps("expose=7000/udp"));
            Assert.Equal([b], Ps("publish=80"));
            Assert.Equal([b], Ps("publish=80/tcp"));
            Assert.Equal([b], Ps("label=tier"));
            Assert.Equal([b], Ps("label=tier=x"));
            Assert.Empty(Ps("label=tier=y"));
            Assert.Equal([b], Ps("ancestor=" + image));
            Assert.Equal([a, b], Ps("ancestor=" + AnchorFixture.Image));
            Assert.Empty(Ps("ancestor=no-such-image-anywhere"));
            Assert.Equal([a], Ps("before=" + b));
            Assert.Equal([b], Ps("since=" + a));
            Assert.Equal([a, b], Ps("is-task=false"));
            Assert.Empty(Ps("is-task=true"));
            Assert.Equal([a, b], Ps("network=bridge"));
            Assert.Equal([b], Ps("label=tier", "publish=80", "status=created"));
            Assert.Empty(Ps("label=tier", "volume=/data"));

            var bad = anchor.Anchor(["ps", "--filter", "bogus=1"]);
            Assert.Equal(1, bad.ExitCode);
            Assert.Contains("Invalid filter 'bogus'", bad.Err);
            var badTask = anchor.Anchor(["ps", "--filter", "is-task=maybe"]);
            Assert.Equal(1, badTask.ExitCode);
            // docker's FilterOpt refuses it as a flag error: exit 125 and the help hint.
            var badFormat = anchor.Anchor(["ps", "--filter", "label"]);
            Assert.Equal(125, badFormat.ExitCode);
            Assert.Contains("invalid argument \"label\" for \"-f, --filter\" flag: bad format of filter (expected name=value)", badFormat.Err);
            Assert.Contains("See 'anchor ps --help'.", badFormat.Err);
            var missing = anchor.Anchor(["ps", "--filter", "before=no-such-container-x"]);
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("No such container: no-such-container-x", missing.Err);
        }
        finally
        {
            anchor.ForceRemove(a, b);
            anchor.Anchor(["rmi", image]);
            anchor.Anchor(["volume", "rm", volume]);
        }
    }

    [Fact]
    public void Images_Filters_AndJsonFormat()
    {
        var name = Detached.UniqueName("it-imgf");
        var image = name + ":7";
        try
        {
            Assert.Equal(0, anchor.Anchor(["run", "--name", name, AnchorFixture.Image, "true"]).ExitCode);
            Thread.Sleep(1100);
            anchor.Ok("commit", "-c", "LABEL flavour=" + name, name, image);

            List<string> Images(params string[] filters) =>
                [.. anchor.Ok([.. new[] { "images", "--format", "{{.Repository}}:{{.Tag}}" }, .. filters.SelectMany(f => new[] { "--filter", f })])
                    .Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

            Assert.Equal([image], Images("reference=" + image));
            Assert.Equal([image], Images("reference=" + name[..6] + "*:7"));
            Assert.Equal([image], Images("label=flavour=" + name));
            Assert.Equal([image], Images("label=flavour", "reference=it-imgf*"));
            Assert.Contains("busybox:latest", Images("reference=busybox"));
            Assert.DoesNotContain(image, Images("reference=busybox"));
            Assert.Contains("busybox:latest", Images("before=" + image));
            Assert.Contains(image, Images("since=busybox"));
            Assert.DoesNotContain("busybox:latest", Images("since=busybox"));
            Assert.Contains(image, Images("dangling=false"));
            Assert.DoesNotContain(image, Images("dangling=true"));

            var json = anchor.Ok("images", "--format", "json", "--filter", "reference=" + image).Out;
            var row = JsonDocument.Parse(json).RootElement;
            Assert.Equal(
                ["Containers", "CreatedAt", "CreatedSince", "Digest", "ID", "Repository", "SharedSize", "Size", "Tag", "UniqueSize", "VirtualSize"],
                row.EnumerateObject().Select(p => p.Name));
            Assert.Equal(name, row.GetProperty("Repository").GetString());
            Assert.Equal("7", row.GetProperty("Tag").GetString());

            var bad = anchor.Anchor(["images", "--filter", "nope=1"]);
            Assert.Equal(1, bad.ExitCode);
            Assert.Contains("Invalid filter 'nope'", bad.Err);
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["rmi", image]);
        }
    }

    [Fact]
    public void VolumeAndNetworkLs_Filters()
    {
        var prefix = Detached.UniqueName("it-vnf");
        var (used, free, net, container) = (prefix + "-used", prefix + "-free", prefix + "-net", prefix + "-c");
        try
        {
            anchor.Ok("volume", "create", "--label", "kind=" + prefix, free);
            anchor.Ok("create", "--name", container, "-v", used + ":/u", AnchorFixture.Image, "true");
            List<string> Volumes(params string[] filters) =>
                [.. anchor.Ok([.. new[] { "volume", "ls", "-q", "--filter", "name=" + prefix }, .. filters.SelectMany(f => new[] { "--filter", f })])
                    .Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
            Assert.Equal([free, used], Volumes());
            Assert.Equal([free], Volumes("dangling=true"));
            Assert.Equal([used], Volumes("dangling=false"));
            Assert.Equal([free], Volumes("label=kind=" + prefix));
            Assert.Equal([free, used], Volumes("driver=local"));
            Assert.Empty(Volumes("driver=nfs"));

            anchor.Ok("network", "create", "--label", "kind=" + prefix, net);
            List<string> Networks(params string[] filters) =>
                [.. anchor.Ok([.. new[] { "network", "ls", "--format", "{{.Name}}" }, .. filters.SelectMany(f => new[] { "--filter", f })])
                    .Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
            Assert.Equal([net], Networks("label=kind=" + prefix));
            Assert.Equal([net], Networks("name=" + prefix, "type=custom", "scope=local", "driver=bridge"));
            Assert.Empty(Networks("name=" + prefix, "type=builtin"));
            Assert.Contains("bridge", Networks("type=builtin"));
            var badType = anchor.Anchor(["network", "ls", "--filter", "type=odd"]);
            Assert.Equal(1, badType.ExitCode);
            Assert.Contains("invalid filter: 'type'='odd'", badType.Err);
        }
        finally
        {
            anchor.ForceRemove(container);
            anchor.Anchor(["volume", "rm", used, free]);
            anchor.Anchor(["network", "rm", net]);
        }
    }

    [Fact]
    public void Prunes_FilterByLabelAndUntil()
    {
        var prefix = Detached.UniqueName("it-prunef");
        var (source, image, keep, drop) = (prefix + "-src", prefix + "-img:1", prefix + "-keep", prefix + "-drop");
        var (netKeep, netDrop, volKeep, volDrop) = (prefix + "-nk", prefix + "-nd", prefix + "-vk", prefix + "-vd");
        try
        {
            anchor.Ok("create", "--name", source, AnchorFixture.Image, "true");
            anchor.Ok("commit", "-c", "LABEL prune=" + prefix, source, image);
            anchor.Ok("create", "--name", drop, image, "true");
            anchor.Ok("create", "--name", keep, AnchorFixture.Image, "true");

            // until: nothing created within the last hour goes.
            anchor.Ok("container", "prune", "-f", "--filter", "until=1h");
            Assert.NotEmpty(anchor.Ok("ps", "-aq", "--filter", "name=^" + drop).Out);
            var dropId = anchor.Ok("inspect", "--format", "{{.Id}}", drop).Out;
            var pruned = anchor.Ok("container", "prune", "-f", "--filter", "label=prune=" + prefix).Out;
            Assert.Equal("Deleted Containers:\n" + dropId, string.Join('\n', pruned.Split('\n').Take(2)));
            Assert.Empty(anchor.Ok("ps", "-aq", "--filter", "name=^" + drop).Out);
            Assert.NotEmpty(anchor.Ok("ps", "-aq", "--filter", "name=^" + keep).Out);

            anchor.Ok("network", "create", "--label", "prune=" + prefix, netDrop);
            anchor.Ok("network", "create", netKeep);
            var networks = anchor.Ok("network", "prune", "-f", "--filter", "label=prune=" + prefix).Out;
            Assert.Contains(netDrop, networks);
            Assert.DoesNotContain(netKeep, networks);
            Assert.Equal(0, anchor.Anchor(["network", "inspect", netKeep]).ExitCode);

            anchor.Ok("volume", "create", "--label", "prune=" + prefix, volDrop);
            anchor.Ok("volume", "create", volKeep);
            var volumes = anchor.Ok("volume", "prune", "-f", "--filter", "all=true", "--filter", "label=prune=" + prefix).Out;
            Assert.Contains(volDrop, volumes);
            Assert.DoesNotContain(volKeep, volumes);

            anchor.ForceRemove(source);
            var images = anchor.Ok("image", "prune", "-a", "-f", "--filter", "label=prune=" + prefix).Out;
            Assert.Contains("untagged: " + image, images);
            Assert.Contains("busybox:latest", anchor.Ok("images", "--format", "{{.Repository}}:{{.Tag}}").Out);

            var bad = anchor.Anchor(["container", "prune", "-f", "--filter", "until=yesterday"]);
            Assert.Equal(1, bad.ExitCode);
        }
        finally
        {
            anchor.ForceRemove(source, keep, drop);
            anchor.Anchor(["rmi", image]);
            anchor.Anchor(["network", "rm", netKeep, netDrop]);
            anchor.Anchor(["volume", "rm", volKeep, volDrop]);
        }
    }

    [Fact]
    public void History_Format()
    {
        var table = anchor.Ok("history", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Size}}", AnchorFixture.Image).Out.Split('\n');
        Assert.All(table, line => Assert.Equal(3, line.Split('|').Length));
        var json = JsonDocument.Parse(anchor.Ok("history", "--format", "json", AnchorFixture.Image).Out.Split('\n')[0]).RootElement;
        Assert.Equal(["Comment", "CreatedAt", "CreatedBy", "CreatedSince", "ID", "Size"], json.EnumerateObject().Select(p => p.Name));
        var headed = anchor.Ok("history", "--format", "table {{.ID}}\t{{.Size}}", AnchorFixture.Image).Out.Split('\n');
        Assert.Matches("^IMAGE +SIZE$", headed[0]);
    }

    [Fact]
    public void Top_PsOptions_ColumnsFromProc()
    {
        var name = Detached.UniqueName("it-top");
        try
        {
            anchor.ShDetached(name, "exec sleep 1000");
            Detached.Eventually(() => anchor.Anchor(["top", name, "-o", "pid,comm"]).Out.Contains("sleep", StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => "top shows sleep");
            var top = anchor.Ok("top", name, "-o", "pid,comm").Out.Split('\n');
            Assert.Matches("^PID +COMMAND$", top[0]);
            var row = top[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("sleep", row[1]);
            Assert.True(File.Exists($"/proc/{row[0]}/stat"), "PID is a host pid");
            Assert.Contains("(sleep)", File.ReadAllText($"/proc/{row[0]}/stat"));

            var full = anchor.Ok("top", name).Out.Split('\n');
            Assert.Matches("^UID +PID +PPID +C +STIME +TTY +TIME +CMD$", full[0]);
            Assert.EndsWith("sleep 1000", full[1]);
            Assert.StartsWith("root ", full[1]);

            var aux = anchor.Ok("top", name, "aux").Out.Split('\n');
            Assert.Matches("^USER +PID +%CPU +%MEM +VSZ +RSS +TTY +STAT +START +TIME +COMMAND$", aux[0]);
            Assert.Contains(" S", aux[1]);

            var custom = anchor.Ok("top", name, "-o", "pid=P,args=WHAT,user").Out.Split('\n');
            Assert.Matches("^P +WHAT +USER$", custom[0]);

            var noPid = anchor.Anchor(["top", name, "-o", "comm"]);
            Assert.Equal(1, noPid.ExitCode);
            Assert.Contains("Couldn't find PID field in ps output", noPid.Err);
            var unknown = anchor.Anchor(["top", name, "-o", "pid,bogus"]);
            Assert.Equal(1, unknown.ExitCode);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }
}
