using System.Text.Json;
using Anchor.Oci.Runtime;

namespace Anchor.Oci.Tests;

/// <summary>linux.seccomp in config.json: written by the engine's writer, read back by the init stage's reader.</summary>
public sealed class SpecSeccompJsonTests
{
    private static Spec WithSeccomp(SpecSeccomp? seccomp) => new()
    {
        Process = new SpecProcess { Args = ["true"] },
        Root = new SpecRoot { Path = "/r" },
        Linux = new SpecLinux { Seccomp = seccomp },
    };

    private static JsonElement Written(SpecSeccomp? seccomp) =>
        JsonDocument.Parse(JsonSerializer.Serialize(WithSeccomp(seccomp), SpecWriteJsonContext.Default.Spec)).RootElement.GetProperty("linux");

    [Fact]
    public void Write_None_OmitsTheMember() => Assert.False(Written(null).TryGetProperty("seccomp", out _));

    [Fact]
    public void Write_LeavesOutWhatGoLeavesOut()
    {
        var seccomp = Written(new SpecSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls = [new SpecSeccompSyscall { Names = ["clone"], Action = "SCMP_ACT_ALLOW", Args = [new SpecSeccompArg { Index = 0, Value = 5, Op = "SCMP_CMP_EQ" }] }],
        }).GetProperty("seccomp");

        Assert.Equal(["defaultAction", "syscalls"], seccomp.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["names", "action", "args"], seccomp.GetProperty("syscalls")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["index", "value", "op"], seccomp.GetProperty("syscalls")[0].GetProperty("args")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void WriteThenRead_KeepsEveryMember()
    {
        var original = new SpecSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            DefaultErrnoRet = 1,
            Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
            Flags = [],
            ListenerPath = "/run/agent.sock",
            ListenerMetadata = "meta",
            Syscalls =
            [
                new SpecSeccompSyscall { Names = ["clone3"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 38 },
                new SpecSeccompSyscall
                {
                    Names = ["clone"],
                    Action = "SCMP_ACT_ALLOW",
                    Args = [new SpecSeccompArg { Index = 1, Value = 0x7E020000, ValueTwo = 0xFFFFFFFFFFFFFFFF, Op = "SCMP_CMP_MASKED_EQ" }],
                },
            ],
        };
        var json = JsonSerializer.Serialize(WithSeccomp(original), SpecWriteJsonContext.Default.Spec);

        var read = JsonSerializer.Deserialize(json, OciJsonContext.Default.Spec)!.Linux.Seccomp!;

        Assert.Equal((original.DefaultAction, original.DefaultErrnoRet, original.ListenerPath, original.ListenerMetadata), (read.DefaultAction, read.DefaultErrnoRet, read.ListenerPath, read.ListenerMetadata));
        Assert.Equal(original.Architectures, read.Architectures);
        Assert.NotNull(read.Flags);
        Assert.Empty(read.Flags);
        Assert.Equal(38u, read.Syscalls![0].ErrnoRet);
        Assert.Null(read.Syscalls[0].Args);
        Assert.Equal(original.Syscalls[1].Args![0], read.Syscalls[1].Args![0]);
        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize(json, OciJsonContext.Default.Spec)!, SpecWriteJsonContext.Default.Spec));
    }
}
