using System.Text.Json;
using Anchor.Engine.Inspect;
using Anchor.Engine.Run;

namespace Anchor.Engine.Tests;

/// <summary>inspect's fields for the namespace, limit and identity flags, where docker 20.10 puts them.</summary>
public sealed class InspectNamespaceFieldsTests
{
    private static JsonElement Write(HostConfigData host, ContainerConfigData config) =>
        JsonDocument.Parse(ContainerInspectWriter.ToJson(new ContainerInspectData { Id = new string('a', 64), HostConfig = host, Config = config })).RootElement;

    [Fact]
    public void Defaults_AreDockers()
    {
        var root = Write(new HostConfigData(), new ContainerConfigData());
        var host = root.GetProperty("HostConfig");
        Assert.Equal(JsonValueKind.Null, host.GetProperty("GroupAdd").ValueKind);
        Assert.Equal("private", host.GetProperty("IpcMode").GetString());
        Assert.Equal("", host.GetProperty("PidMode").GetString());
        Assert.Equal("", host.GetProperty("UTSMode").GetString());
        Assert.Equal(0, host.GetProperty("OomScoreAdj").GetInt32());
        Assert.Equal(67108864, host.GetProperty("ShmSize").GetInt64());
        Assert.Equal(0, host.GetProperty("Ulimits").GetArrayLength());
        Assert.False(host.TryGetProperty("Sysctls", out _));
        Assert.Equal("", root.GetProperty("Config").GetProperty("Domainname").GetString());
        Assert.False(root.GetProperty("Config").TryGetProperty("MacAddress", out _));
    }

    [Fact]
    public void GivenValues_AreShown_InDockersPlaces()
    {
        var root = Write(
            new HostConfigData
            {
                GroupAdd = ["audio", "77"],
                IpcMode = "shareable",
                PidMode = "host",
                UTSMode = "host",
                OomScoreAdj = -5,
                ShmSize = 1 << 30,
                Ulimits = [new Ulimit("core", -1, -1), new Ulimit("nofile", 100, 200)],
                Sysctls = new Dictionary<string, string> { ["net.core.somaxconn"] = "99", ["kernel.shmmax"] = "1" },
            },
            new ContainerConfigData { Domainname = "example.org", MacAddress = "92:d0:c6:0a:29:33" });
        var host = root.GetProperty("HostConfig");
        Assert.Equal(["audio", "77"], host.GetProperty("GroupAdd").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(-5, host.GetProperty("OomScoreAdj").GetInt32());
        Assert.Equal(["kernel.shmmax", "net.core.somaxconn"], host.GetProperty("Sysctls").EnumerateObject().Select(p => p.Name));
        var nofile = host.GetProperty("Ulimits")[1];
        Assert.Equal(["Name", "Hard", "Soft"], nofile.EnumerateObject().Select(p => p.Name));
        Assert.Equal(200, nofile.GetProperty("Hard").GetInt64());
        var keys = host.EnumerateObject().Select(p => p.Name).ToList();
        // HostConfig order: ... ExtraHosts, GroupAdd, IpcMode ... UTSMode, UsernsMode, ShmSize, Sysctls, Runtime.
        Assert.Equal(keys.IndexOf("ExtraHosts") + 1, keys.IndexOf("GroupAdd"));
        Assert.Equal(keys.IndexOf("ShmSize") + 1, keys.IndexOf("Sysctls"));
        Assert.Equal(keys.IndexOf("Sysctls") + 1, keys.IndexOf("Runtime"));
        var config = root.GetProperty("Config");
        Assert.Equal("example.org", config.GetProperty("Domainname").GetString());
        var configKeys = config.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(configKeys.IndexOf("Entrypoint") + 1, configKeys.IndexOf("MacAddress"));
    }
}
