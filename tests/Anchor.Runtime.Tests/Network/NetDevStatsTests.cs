using Anchor.Runtime.Network;

namespace Anchor.Runtime.Tests.Network;

public sealed class NetDevStatsTests
{
    private const string Header = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed

        """;

    [Fact]
    public void Parse_SumsEveryInterfaceButLoopback()
    {
        var content = Header + """
                lo:  123456     100    0    0    0     0          0         0   123456     100    0    0    0     0       0          0
              eth0:    1234      10    0    0    0     0          0         0      648       8    0    0    0     0       0          0
              eth1:1000000000 700000    0    0    0     0          0         0 20000000   30000    0    0    0     0       0          0

            """;

        Assert.Equal((1234L + 1_000_000_000, 648L + 20_000_000), NetDevStats.Parse(content));
    }

    [Fact]
    public void Parse_OnlyLoopback_IsZero()
    {
        var content = Header + "    lo:    5000      50    0    0    0     0          0         0     5000      50    0    0    0     0       0          0\n";

        Assert.Equal((0L, 0L), NetDevStats.Parse(content));
    }

    [Fact]
    public void Read_GoneProcess_IsZero() => Assert.Equal((0L, 0L), NetDevStats.Read(int.MaxValue));
}
