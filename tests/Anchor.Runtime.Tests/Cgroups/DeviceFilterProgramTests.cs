using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;

namespace Anchor.Runtime.Tests.Cgroups;

public sealed class DeviceFilterProgramTests
{
    /// <summary>Loads the request: r2 = type, r3 = access, r4 = major, r5 = minor.</summary>
    private const string Prologue =
        "6112000000000000" + // r2 = *(u32 *)(r1 + 0)
        "54020000ffff0000" + // w2 &= 0xffff
        "6113000000000000" + // r3 = *(u32 *)(r1 + 0)
        "7403000010000000" + // w3 >>= 16
        "6114040000000000" + // r4 = *(u32 *)(r1 + 4)
        "6115080000000000"; // r5 = *(u32 *)(r1 + 8)

    [Fact]
    public void Assemble_DenyDefault_TwoAllows_InstructionByInstruction()
    {
        var set = new DeviceRuleSet();
        set.Apply(new DeviceRule('c', 136, DeviceRule.Wildcard, DeviceAccess.Read | DeviceAccess.Write, true));
        set.Apply(new DeviceRule('c', 1, 3, DeviceAccess.All, true));

        var expected = Prologue +
            // c 1:3 rwm (sorted first): no access test for rwm
            "5502040002000000" + // if r2 != 2 (BPF_DEVCG_DEV_CHAR) goto +4
            "5504030001000000" + // if r4 != 1 goto +3
            "5505020003000000" + // if r5 != 3 goto +2
            "b400000001000000" + // w0 = 1
            "9500000000000000" + // exit
            // c 136:* rw: every bit asked for must be granted; no minor test
            "5502060002000000" + // if r2 != 2 goto +6
            "bc31000000000000" + // w1 = w3
            "5401000006000000" + // w1 &= 6 (read | write)
            "5d31030000000000" + // if r1 != r3 goto +3
            "5504020088000000" + // if r4 != 136 goto +2
            "b400000001000000" + // w0 = 1
            "9500000000000000" + // exit
            "b400000000000000" + // w0 = 0: the default
            "9500000000000000"; // exit

        Assert.Equal(expected, Convert.ToHexStringLower(DeviceFilterProgram.Assemble(set)));
    }

    [Fact]
    public void Assemble_AllowDefault_DenyMatchesOnAnySharedBit()
    {
        var set = new DeviceRuleSet();
        set.Apply(new DeviceRule('a', DeviceRule.Wildcard, DeviceRule.Wildcard, DeviceAccess.All, true));
        set.Apply(new DeviceRule('b', 7, DeviceRule.Wildcard, DeviceAccess.Write, false));

        var expected = Prologue +
            "5502060001000000" + // if r2 != 1 (BPF_DEVCG_DEV_BLOCK) goto +6
            "bc31000000000000" + // w1 = w3
            "5401000004000000" + // w1 &= 4 (write)
            "1501030000000000" + // if r1 == 0 goto +3
            "5504020007000000" + // if r4 != 7 goto +2
            "b400000000000000" + // w0 = 0
            "9500000000000000" + // exit
            "b400000001000000" + // w0 = 1: the default
            "9500000000000000"; // exit

        Assert.Equal(expected, Convert.ToHexStringLower(DeviceFilterProgram.Assemble(set)));
    }

    public static TheoryData<string> RuleSets => new()
    {
        "docker",
        "docker+loop-control r",
        "docker+block wildcard rw",
        "allow-all+denies",
        "runtime only",
    };

    /// <summary>The program decides every request as the v1 controller would (DeviceRuleSet.Permits).</summary>
    [Theory]
    [MemberData(nameof(RuleSets))]
    public void Assemble_DecidesAsTheV1Controller(string name)
    {
        var set = name switch
        {
            "docker" => DeviceRuleSet.ForContainer(DeviceRuleSetTests.DockerDefaults),
            "docker+loop-control r" => DeviceRuleSet.ForContainer([.. DeviceRuleSetTests.DockerDefaults, new SpecDeviceCgroup { Allow = true, Type = "c", Major = 10, Minor = 237, Access = "r" }]),
            "docker+block wildcard rw" => DeviceRuleSet.ForContainer([.. DeviceRuleSetTests.DockerDefaults, new SpecDeviceCgroup { Allow = true, Type = "b", Major = 7, Access = "rw" }]),
            "allow-all+denies" => AllowAllWithDenies(),
            _ => DeviceRuleSet.ForContainer(null),
        };
        var program = DeviceFilterProgram.Assemble(set);

        foreach (var type in new[] { 'b', 'c' })
        {
            foreach (var major in new uint[] { 0, 1, 4, 5, 7, 10, 136, 254, 4095 })
            {
                foreach (var minor in new uint[] { 0, 1, 2, 3, 5, 7, 8, 9, 11, 200, 229, 237, 1048575 })
                {
                    for (var access = 1; access <= 7; access++)
                    {
                        var bpfType = type == 'b' ? 1 : 2;
                        var verdict = BpfInterpreter.Run(program, bpfType, access, major, minor) == 1;
                        Assert.True(
                            set.Permits(type, major, minor, (DeviceAccess)access) == verdict,
                            $"{name}: {type} {major}:{minor} access {access}: program says {verdict}");
                    }
                }
            }
        }
    }

    private static DeviceRuleSet AllowAllWithDenies()
    {
        var set = new DeviceRuleSet();
        set.Apply(new DeviceRule('a', DeviceRule.Wildcard, DeviceRule.Wildcard, DeviceAccess.All, true));
        set.Apply(new DeviceRule('b', 7, DeviceRule.Wildcard, DeviceAccess.Write, false));
        set.Apply(new DeviceRule('c', 1, 11, DeviceAccess.All, false));
        set.Apply(new DeviceRule('c', DeviceRule.Wildcard, 5, DeviceAccess.Read | DeviceAccess.Mknod, false));
        return set;
    }
}
