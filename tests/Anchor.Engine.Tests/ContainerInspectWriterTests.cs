using System.Text.Json;
using Anchor.Engine.Inspect;

namespace Anchor.Engine.Tests;

public sealed class ContainerInspectWriterTests
{
    private static readonly ContainerInspectData Sample = new()
    {
        Id = new string('a', 64),
        Created = new DateTimeOffset(2024, 5, 1, 10, 11, 12, TimeSpan.Zero).AddTicks(1234560),
        Path = "httpd",
        Args = ["-f", "-h", "/site"],
        State = new ContainerStateData
        {
            Status = "running",
            Running = true,
            Pid = 4242,
            StartedAt = new DateTimeOffset(2024, 5, 1, 10, 11, 13, TimeSpan.Zero),
        },
        Image = "sha256:" + new string('b', 64),
        Name = "/web",
        HostConfig = new HostConfigData
        {
            Binds = ["/srv/site:/site:ro"],
            NetworkMode = "none",
            RestartPolicy = new RestartPolicyData("on-failure", 3),
            Memory = 64 * 1024 * 1024,
            NanoCpus = 1_500_000_000,
            PidsLimit = 100,
            Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,size=64m" },
        },
        GraphDriver = new GraphDriverData { LowerDir = "/l", UpperDir = "/u", WorkDir = "/w", MergedDir = "/m" },
        Mounts =
        [
            new MountPointData { Type = "volume", Name = "data", Source = "/v/data", Destination = "/data", Driver = "local", Mode = "z" },
            new MountPointData { Type = "bind", Source = "/srv/site", Destination = "/site", RW = false, Propagation = "rprivate" },
        ],
        Config = new ContainerConfigData
        {
            Hostname = "aaaaaaaaaaaa",
            Env = ["PATH=/usr/bin"],
            Cmd = ["httpd", "-f"],
            Image = "busybox",
            Volumes = ["/data"],
            Labels = new Dictionary<string, string> { ["z"] = "1", ["a"] = "<&>" },
            StopSignal = "SIGQUIT",
        },
        NetworkSettings = new NetworkSettingsData { Networks = [new NetworkEndpointData { Name = "none" }] },
    };

    private static JsonElement Parse(ContainerInspectData data) => JsonDocument.Parse(ContainerInspectWriter.ToJson(data)).RootElement;

    private static string[] Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public void Write_TopLevel_HasDockersFieldOrder() => Assert.Equal(
        ["Id", "Created", "Path", "Args", "State", "Image", "ResolvConfPath", "HostnamePath", "HostsPath", "LogPath", "Name",
         "RestartCount", "Driver", "Platform", "MountLabel", "ProcessLabel", "AppArmorProfile", "ExecIDs", "HostConfig",
         "GraphDriver", "Mounts", "Config", "NetworkSettings"],
        Keys(Parse(Sample)));

    [Fact]
    public void Write_State_HasDockersFieldsAndTimes()
    {
        var state = Parse(Sample).GetProperty("State");
        Assert.Equal(
            ["Status", "Running", "Paused", "Restarting", "OOMKilled", "Dead", "Pid", "ExitCode", "Error", "StartedAt", "FinishedAt"],
            Keys(state));
        Assert.Equal("2024-05-01T10:11:13Z", state.GetProperty("StartedAt").GetString());
        Assert.Equal("0001-01-01T00:00:00Z", state.GetProperty("FinishedAt").GetString());
        Assert.Equal(4242, state.GetProperty("Pid").GetInt32());
    }

    [Theory]
    [InlineData(0L, "2024-05-01T10:11:12Z")]
    [InlineData(1234560L, "2024-05-01T10:11:12.123456Z")]
    [InlineData(1L, "2024-05-01T10:11:12.0000001Z")]
    public void FormatTime_IsRfc3339Nano(long ticks, string expected) =>
        Assert.Equal(expected, ContainerInspectWriter.FormatTime(new DateTimeOffset(2024, 5, 1, 10, 11, 12, TimeSpan.Zero).AddTicks(ticks)));

    [Fact]
    public void FormatTime_Unset_IsGoZeroTime() => Assert.Equal("0001-01-01T00:00:00Z", ContainerInspectWriter.FormatTime(null));

    [Fact]
    public void Write_HostConfig_CarriesLimitsAndRestartPolicy()
    {
        var host = Parse(Sample).GetProperty("HostConfig");
        Assert.Equal("none", host.GetProperty("NetworkMode").GetString());
        Assert.Equal("on-failure", host.GetProperty("RestartPolicy").GetProperty("Name").GetString());
        Assert.Equal(3, host.GetProperty("RestartPolicy").GetProperty("MaximumRetryCount").GetInt32());
        Assert.Equal(67108864, host.GetProperty("Memory").GetInt64());
        Assert.Equal(1500000000, host.GetProperty("NanoCpus").GetInt64());
        Assert.Equal(100, host.GetProperty("PidsLimit").GetInt64());
        Assert.Equal("rw,size=64m", host.GetProperty("Tmpfs").GetProperty("/tmp").GetString());
        Assert.Equal(JsonValueKind.Null, host.GetProperty("CapAdd").ValueKind);
        var keys = Keys(host);
        Assert.True(Array.IndexOf(keys, "Binds") < Array.IndexOf(keys, "NetworkMode"));
        Assert.True(Array.IndexOf(keys, "ReadonlyRootfs") < Array.IndexOf(keys, "Memory"));
    }

    [Fact]
    public void Write_SecurityOpt_AsStored_NullWhenNone()
    {
        Assert.Equal(JsonValueKind.Null, Parse(Sample).GetProperty("HostConfig").GetProperty("SecurityOpt").ValueKind);
        var host = Parse(Sample with { HostConfig = Sample.HostConfig with { SecurityOpt = ["seccomp=unconfined", "no-new-privileges"] } }).GetProperty("HostConfig");
        Assert.Equal(["seccomp=unconfined", "no-new-privileges"], host.GetProperty("SecurityOpt").EnumerateArray().Select(e => e.GetString()));
        var keys = Keys(host);
        Assert.Equal(Array.IndexOf(keys, "ReadonlyRootfs") + 1, Array.IndexOf(keys, "SecurityOpt"));
    }

    [Fact]
    public void Write_NoTmpfs_OmitsIt() =>
        Assert.False(Parse(Sample with { HostConfig = new HostConfigData() }).GetProperty("HostConfig").TryGetProperty("Tmpfs", out _));

    [Fact]
    public void Write_GraphDriver_IsDataThenName()
    {
        var graph = Parse(Sample).GetProperty("GraphDriver");
        Assert.Equal(["Data", "Name"], Keys(graph));
        Assert.Equal(["LowerDir", "MergedDir", "UpperDir", "WorkDir"], Keys(graph.GetProperty("Data")));
        Assert.Equal("overlay2", graph.GetProperty("Name").GetString());
    }

    [Fact]
    public void Write_Mounts_OmitNameAndDriverForBinds()
    {
        var mounts = Parse(Sample).GetProperty("Mounts").EnumerateArray().ToArray();
        Assert.Equal(["Type", "Name", "Source", "Destination", "Driver", "Mode", "RW", "Propagation"], Keys(mounts[0]));
        Assert.Equal(["Type", "Source", "Destination", "Mode", "RW", "Propagation"], Keys(mounts[1]));
        Assert.False(mounts[1].GetProperty("RW").GetBoolean());
    }

    [Fact]
    public void Write_Config_HasDockersOrderSortedLabelsAndVolumes()
    {
        var config = Parse(Sample).GetProperty("Config");
        Assert.Equal(
            ["Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce",
             "Env", "Cmd", "Image", "Volumes", "WorkingDir", "Entrypoint", "OnBuild", "Labels", "StopSignal"],
            Keys(config));
        Assert.Equal(["a", "z"], Keys(config.GetProperty("Labels")));
        Assert.Equal(JsonValueKind.Object, config.GetProperty("Volumes").GetProperty("/data").ValueKind);
        Assert.Equal(JsonValueKind.Null, config.GetProperty("Entrypoint").ValueKind);
    }

    [Fact]
    public void ToJson_DoesNotEscapeHtmlCharacters() => Assert.Contains("\"<&>\"", ContainerInspectWriter.ToJson(Sample), StringComparison.Ordinal);

    [Fact]
    public void Write_Networks_AreKeyedByName() =>
        Assert.True(Parse(Sample).GetProperty("NetworkSettings").GetProperty("Networks").TryGetProperty("none", out _));
}
