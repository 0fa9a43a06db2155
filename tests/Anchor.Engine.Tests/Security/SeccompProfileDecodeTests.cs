using Anchor.Engine.Security;

namespace Anchor.Engine.Tests.Security;

/// <summary>docker's profile format as moby's json.Unmarshal reads it.</summary>
public sealed class SeccompProfileDecodeTests
{
    [Fact]
    public void Decode_DockersFormat_ReadsEveryMember()
    {
        var profile = SeccompProfiles.Decode("""
            {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,
             "archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86"]}],
             "flags":["SECCOMP_FILTER_FLAG_LOG"],"listenerPath":"/l","listenerMetadata":"m",
             "syscalls":[
               {"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2114060288,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}],
                "comment":"c","includes":{"arches":["amd64"],"minKernel":"4.8"},"excludes":{"caps":["CAP_SYS_ADMIN"]}},
               {"name":"getpid","action":"SCMP_ACT_ERRNO","errnoRet":38}],
             "unknown":{"ignored":true}}
            """);

        Assert.Equal("SCMP_ACT_ERRNO", profile.DefaultAction);
        Assert.Equal(1u, profile.DefaultErrnoRet);
        Assert.Equal("SCMP_ARCH_X86", Assert.Single(profile.ArchMap!).SubArchitectures![0]);
        Assert.Equal(["SECCOMP_FILTER_FLAG_LOG"], profile.Flags);
        Assert.Equal(("/l", "m"), (profile.ListenerPath, profile.ListenerMetadata));
        var clone = profile.Syscalls![0];
        Assert.Equal((0x7E020000UL, "SCMP_CMP_MASKED_EQ"), (clone.Args![0].Value, clone.Args[0].Op));
        Assert.Equal("c", clone.Comment);
        Assert.Equal(new KernelVersion(4, 8), clone.Includes!.MinKernel);
        Assert.Equal(["amd64"], clone.Includes.Arches);
        Assert.Equal(["CAP_SYS_ADMIN"], clone.Excludes!.Caps);
        Assert.Equal(("getpid", 38u), (profile.Syscalls[1].Name, profile.Syscalls[1].ErrnoRet));
    }

    /// <summary>Go's decoder matches member names whatever their case.</summary>
    [Fact]
    public void Decode_MemberNamesInAnyCase()
    {
        var profile = SeccompProfiles.Decode("""{"DefaultAction":"SCMP_ACT_LOG","SYSCALLS":[{"Names":["x"],"ACTION":"SCMP_ACT_ALLOW"}]}""");

        Assert.Equal("SCMP_ACT_LOG", profile.DefaultAction);
        Assert.Equal(("x", "SCMP_ACT_ALLOW"), (profile.Syscalls![0].Names![0], profile.Syscalls[0].Action));
    }

    [Fact]
    public void Decode_Null_IsAnEmptyProfile() => Assert.Equal("", SeccompProfiles.Decode("null").DefaultAction);

    [Theory]
    [InlineData("\"4\"", "invalid kernel version: \"4\", expected \"<kernel>.<major>\"")]
    [InlineData("\"4.8.1\"", "invalid kernel version: \"4.8.1\", expected \"<kernel>.<major>\"")]
    [InlineData("\"0.0\"", "version cannot be 0.0")]
    [InlineData("\"4.x\"", "invalid kernel version: \"4.x\"")]
    [InlineData("\"300.1\"", "invalid kernel version: \"300.1\"")]
    [InlineData("48", "invalid kernel version: 48")]
    public void Decode_BadMinKernel_Refused(string value, string message)
    {
        var e = Assert.Throws<EngineException>(() => SeccompProfiles.Decode("""{"syscalls":[{"names":["x"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":""" + value + "}}]}"));
        Assert.StartsWith("Decoding seccomp profile failed: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_EmptyMinKernel_HoldsForEveryKernel() =>
        Assert.Equal(new KernelVersion(0, 0), SeccompProfiles.Decode("""{"syscalls":[{"names":["x"],"action":"A","includes":{"minKernel":""}}]}""").Syscalls![0].Includes!.MinKernel);

    [Theory]
    [InlineData("[]", "$")]
    [InlineData("""{"defaultErrnoRet":"one"}""", "$.defaultErrnoRet")]
    [InlineData("""{"syscalls":{}}""", "$.syscalls")]
    public void Decode_WrongShape_Refused(string json, string path) =>
        Assert.StartsWith($"Decoding seccomp profile failed: json: cannot decode the value at {path} (line 1, column ", Assert.Throws<EngineException>(() => SeccompProfiles.Decode(json)).Message, StringComparison.Ordinal);
}
