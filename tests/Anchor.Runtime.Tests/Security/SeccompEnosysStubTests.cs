using System.Runtime.InteropServices;
using Anchor.Linux.Interop;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Tests.Security;

/// <summary>The stub alone, followed by a filter that allows everything: what reaches the filter is allowed.</summary>
public sealed class SeccompEnosysStubTests
{
    private const uint Allow = 0x7fff0000;
    private const uint Enosys = 0x00050026;
    private const uint AuditArchAarch64 = 0xc00000b7;
    private const uint AuditArchS390X = 0x80000016;

    private static byte[] WithAllowFilter(List<LibC.sock_filter> stub)
    {
        stub.Add(new LibC.sock_filter { code = 0x06, k = Allow });
        return MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(stub)).ToArray();
    }

    [Fact]
    public void Generate_X86Family_EachAbiHasItsLimit()
    {
        var p = WithAllowFilter(SeccompEnosysStub.Generate(
        [
            new(LibSeccomp.SCMP_ARCH_X86_64, 456),
            new(LibSeccomp.SCMP_ARCH_X86, 440),
            new(LibSeccomp.SCMP_ARCH_X32, BpfMachine.X32Bit | 547),
        ]));

        Assert.Equal(Allow, BpfMachine.Run(p, 456, BpfMachine.AuditArchX86_64));
        Assert.Equal(Enosys, BpfMachine.Run(p, 457, BpfMachine.AuditArchX86_64));
        Assert.Equal(Allow, BpfMachine.Run(p, 440, BpfMachine.AuditArchI386));
        Assert.Equal(Enosys, BpfMachine.Run(p, 441, BpfMachine.AuditArchI386));
        Assert.Equal(Allow, BpfMachine.Run(p, BpfMachine.X32Bit | 547, BpfMachine.AuditArchX86_64));
        Assert.Equal(Enosys, BpfMachine.Run(p, BpfMachine.X32Bit | 548, BpfMachine.AuditArchX86_64));
        // An architecture the stub does not know goes to the filter.
        Assert.Equal(Allow, BpfMachine.Run(p, 5000, AuditArchAarch64));
    }

    [Fact]
    public void Generate_X86_64WithoutX32_LeavesX32CallsToTheFilter()
    {
        var p = WithAllowFilter(SeccompEnosysStub.Generate([new(LibSeccomp.SCMP_ARCH_X86_64, 456)]));

        Assert.Equal(Enosys, BpfMachine.Run(p, 500, BpfMachine.AuditArchX86_64));
        Assert.Equal(Allow, BpfMachine.Run(p, BpfMachine.X32Bit | 5000, BpfMachine.AuditArchX86_64));
    }

    [Fact]
    public void Generate_S390x_CallZeroIsEnosys()
    {
        var p = WithAllowFilter(SeccompEnosysStub.Generate([new(AuditArchS390X, 460)]));

        Assert.Equal(Enosys, BpfMachine.Run(p, 0, AuditArchS390X));
        Assert.Equal(Allow, BpfMachine.Run(p, 1, AuditArchS390X));
        Assert.Equal(Enosys, BpfMachine.Run(p, 461, AuditArchS390X));
    }

    [Fact]
    public void Generate_NoKnownCall_NoStub() =>
        Assert.Empty(SeccompEnosysStub.Generate([new(LibSeccomp.SCMP_ARCH_X86_64, 0)]));
}
