namespace Anchor.IntegrationTests;

/// <summary>--security-opt: seccomp profiles, no-new-privileges, system paths, docker's errors and inspect.</summary>
[Collection(AnchorCollection.Name)]
public sealed class SecuritySeccompTests(AnchorFixture anchor)
{
    private string StatusLine(string field, params string[] options) =>
        anchor.ShOk($"grep '^{field}:' /proc/self/status", options);

    [Theory]
    [InlineData(new string[0], "NoNewPrivs:\t0")]
    [InlineData(new[] { "--security-opt", "no-new-privileges" }, "NoNewPrivs:\t1")]
    [InlineData(new[] { "--security-opt", "no-new-privileges=true" }, "NoNewPrivs:\t1")]
    [InlineData(new[] { "--security-opt", "no-new-privileges:false" }, "NoNewPrivs:\t0")]
    public void Run_NoNewPrivileges_SetsTheProcessBit(string[] options, string expected) =>
        Assert.Equal(expected, StatusLine("NoNewPrivs", options));

    [Fact]
    public void Run_SeccompUnconfined_HasNoFilter() =>
        Assert.Equal("Seccomp:\t0", StatusLine("Seccomp", "--security-opt", "seccomp=unconfined"));

    /// <summary>The runtime's side: the filter installed by the exec tail before the container's command runs.</summary>
    [Fact]
    public void Run_Default_HasDockersFilter()
    {
        Assert.Equal("Seccomp:\t2", StatusLine("Seccomp"));
        var unshare = anchor.Sh("unshare -U true");
        Assert.NotEqual(0, unshare.ExitCode);
        Assert.Contains("Operation not permitted", unshare.Stderr, StringComparison.Ordinal);
        Assert.Equal("Seccomp:\t2", StatusLine("Seccomp", "--cap-add", "SYS_ADMIN"));
        Assert.Equal(0, anchor.Sh("unshare -U true", "--cap-add", "SYS_ADMIN").ExitCode);
    }

    [Fact]
    public void Run_SystemPathsUnconfined_MasksNothing()
    {
        var masked = anchor.ShOk("grep -c -E ' /proc/(keys|timer_list|acpi|sys) ' /proc/self/mountinfo || true");
        var unmasked = anchor.ShOk("grep -c -E ' /proc/(keys|timer_list|acpi|sys) ' /proc/self/mountinfo || true", "--security-opt", "systempaths=unconfined");

        Assert.NotEqual("0", masked);
        Assert.Equal("0", unmasked);
    }

    [Fact]
    public void Run_AppArmorAndLabel_AreAcceptedWithoutEffect() =>
        Assert.Equal("ok", anchor.ShOk("echo ok", "--security-opt", "apparmor=docker-default", "--security-opt", "label=disable"));

    [Theory]
    [InlineData("foo=bar", "invalid --security-opt 2: \"foo=bar\"")]
    [InlineData("seccomp", "Invalid --security-opt: \"seccomp\"")]
    [InlineData("no-new-privileges=maybe", "invalid --security-opt 2: \"no-new-privileges=maybe\"")]
    [InlineData("seccomp=/nonexistent/profile.json", "opening seccomp profile (/nonexistent/profile.json) failed: open /nonexistent/profile.json: no such file or directory")]
    public void Run_BadSecurityOpt_Fails125WithDockersText(string opt, string message)
    {
        var before = anchor.ContainerIds();
        var result = anchor.RunRm(["--security-opt", opt], "true");

        Assert.Equal(125, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
        Assert.Equal(before, anchor.ContainerIds());
    }

    [Fact]
    public void Create_SeccompFile_InspectShowsItsJson()
    {
        var file = Path.Combine(anchor.TempDir, "seccomp-profile.json");
        File.WriteAllText(file, "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [ { \"names\": [ \"mkdir\" ], \"action\": \"SCMP_ACT_ERRNO\" } ]\n}\n");
        var id = anchor.Ok("create", "--network", "none", "--security-opt", $"seccomp={file}", "--security-opt", "no-new-privileges", AnchorFixture.Image, "true").Out;
        try
        {
            File.Delete(file);
            Assert.Equal(
                """["seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]}","no-new-privileges"]""",
                anchor.Ok("inspect", "-f", "{{json .HostConfig.SecurityOpt}}", id).Out);
        }
        finally
        {
            anchor.ForceRemove(id);
        }
    }

    [Fact]
    public void Create_NoSecurityOpt_InspectShowsNull()
    {
        var id = anchor.Ok("create", "--network", "none", AnchorFixture.Image, "true").Out;
        try
        {
            Assert.Equal("null", anchor.Ok("inspect", "-f", "{{json .HostConfig.SecurityOpt}}", id).Out);
        }
        finally
        {
            anchor.ForceRemove(id);
        }
    }
}
