using Anchor.Engine.Security;

namespace Anchor.Engine.Tests.Security;

/// <summary>--security-opt as docker's client stores it and its daemon then reads it.</summary>
public sealed class SecurityOptTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("anchor-secopt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Message(Action action) => Assert.Throws<EngineException>(action).Message;

    [Fact]
    public void FromCommandLine_Nothing_IsNull() => Assert.Equal((null, false), SecurityOpt.FromCommandLine([]));

    [Theory]
    [InlineData("seccomp=unconfined")]
    [InlineData("seccomp:unconfined")]
    [InlineData("seccomp=builtin")]
    [InlineData("no-new-privileges")]
    [InlineData("no-new-privileges=true")]
    [InlineData("no-new-privileges:false")]
    [InlineData("apparmor=docker-default")]
    [InlineData("apparmor:unconfined")]
    [InlineData("label=disable")]
    [InlineData("label:type:svirt_apache_t")]
    [InlineData("writable-cgroups=true")]
    public void FromCommandLine_Accepted_IsStoredAsGiven(string opt)
    {
        var (stored, unmask) = SecurityOpt.FromCommandLine([opt]);

        Assert.Equal([opt], stored);
        Assert.False(unmask);
    }

    [Theory]
    [InlineData("seccomp", "Invalid --security-opt: \"seccomp\"")]
    [InlineData("apparmor=", "Invalid --security-opt: \"apparmor=\"")]
    [InlineData("label", "Invalid --security-opt: \"label\"")]
    [InlineData("disable", "Invalid --security-opt: \"disable\"")]
    [InlineData("foo=bar", "invalid --security-opt 2: \"foo=bar\"")]
    [InlineData("no-new-privileges=maybe", "invalid --security-opt 2: \"no-new-privileges=maybe\"")]
    [InlineData("no-new-privileges=", "invalid --security-opt 2: \"no-new-privileges=\"")]
    [InlineData("writable-cgroups=sometimes", "invalid --security-opt 2: \"writable-cgroups=sometimes\"")]
    public void FromCommandLine_Refused_WithDockersMessage(string opt, string message) =>
        Assert.Equal(message, Message(() => SecurityOpt.FromCommandLine([opt])));

    [Fact]
    public void FromCommandLine_SystemPathsUnconfined_IsNotStored()
    {
        // docker's client keeps an empty list (inspect shows []), not null.
        var (only, unmaskOnly) = SecurityOpt.FromCommandLine(["systempaths=unconfined"]);
        Assert.NotNull(only);
        Assert.Empty(only);
        Assert.True(unmaskOnly);
        var (stored, unmask) = SecurityOpt.FromCommandLine(["no-new-privileges", "systempaths=unconfined"]);
        Assert.Equal(["no-new-privileges"], stored);
        Assert.True(unmask);
    }

    [Fact]
    public void FromCommandLine_SeccompFile_StoresItsCompactedJson()
    {
        var file = Path.Combine(dir, "profile.json");
        File.WriteAllText(file, "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [ { \"names\": [ \"a b\" ], \"action\": \"SCMP_ACT_ERRNO\", \"comment\": \"say \\\"hi\\\" \" } ]\n}\n");

        var (stored, _) = SecurityOpt.FromCommandLine(["no-new-privileges", $"seccomp={file}"]);

        Assert.Equal(["no-new-privileges", """seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["a b"],"action":"SCMP_ACT_ERRNO","comment":"say \"hi\" "}]}"""], stored);
        Assert.Equal(["a b"], SeccompProfiles.Decode(SecurityOptions.Parse(stored).SeccompProfile!).Syscalls![0].Names);
    }

    [Fact]
    public void FromCommandLine_SeccompFileWithColon_IsReadToo()
    {
        var file = Path.Combine(dir, "p.json");
        File.WriteAllText(file, "{}");

        Assert.Equal(["seccomp={}"], SecurityOpt.FromCommandLine([$"seccomp:{file}"]).Stored);
    }

    [Fact]
    public void FromCommandLine_MissingFile_IsDockersError() => Assert.Equal(
        $"opening seccomp profile ({dir}/none.json) failed: open {dir}/none.json: no such file or directory",
        Message(() => SecurityOpt.FromCommandLine([$"seccomp={dir}/none.json"])));

    [Fact]
    public void FromCommandLine_Directory_IsDockersError() => Assert.Equal(
        $"opening seccomp profile ({dir}) failed: read {dir}: is a directory",
        Message(() => SecurityOpt.FromCommandLine([$"seccomp={dir}"])));

    [Fact]
    public void FromCommandLine_NotJson_IsRefused()
    {
        var file = Path.Combine(dir, "bad.json");
        File.WriteAllText(file, "{\"defaultAction\": SCMP_ACT_ALLOW}");

        Assert.Equal($"compacting json for seccomp profile ({file}) failed: invalid character 'S' at line 1, column 19", Message(() => SecurityOpt.FromCommandLine([$"seccomp={file}"])));
        File.WriteAllText(file, "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n");
        Assert.Equal($"compacting json for seccomp profile ({file}) failed: unexpected end of JSON input", Message(() => SecurityOpt.FromCommandLine([$"seccomp={file}"])));
        File.WriteAllText(file, "{\n  \"a\": 1 }\n  x");
        Assert.Equal($"compacting json for seccomp profile ({file}) failed: invalid character 'x' at line 3, column 3", Message(() => SecurityOpt.FromCommandLine([$"seccomp={file}"])));
    }

    [Fact]
    public void FromCommandLine_NotAProfile_IsRefused()
    {
        var file = Path.Combine(dir, "list.json");
        File.WriteAllText(file, "[1, 2]");

        Assert.StartsWith("Decoding seccomp profile failed: json: cannot decode the value at $", Message(() => SecurityOpt.FromCommandLine([$"seccomp={file}"])), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LastValueWins_AndLabelsCollect()
    {
        var options = SecurityOptions.Parse(["no-new-privileges", "no-new-privileges=false", "label=disable", "label:level:s0", "seccomp=unconfined", "apparmor=x"]);

        Assert.False(options.NoNewPrivileges);
        Assert.Equal(["disable", "level:s0"], options.LabelOptions);
        Assert.True(options.Unconfined);
        Assert.Equal("x", options.AppArmorProfile);
        Assert.False(options.HasCustomSeccompProfile);
        Assert.True(SecurityOptions.Parse(["no-new-privileges:true"]).NoNewPrivileges);
    }
}
