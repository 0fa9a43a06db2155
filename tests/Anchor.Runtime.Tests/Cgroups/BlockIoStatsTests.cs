using Anchor.Runtime.Cgroups;

namespace Anchor.Runtime.Tests.Cgroups;

public sealed class BlockIoStatsTests
{
    // blkio.throttle.io_service_bytes_recursive as Linux prints it (blk-cgroup.c __blkg_prfill_rwstat).
    private const string V1TwoDevices = """
        8:16 Read 1024
        8:16 Write 4206592
        8:16 Sync 4206592
        8:16 Async 1024
        8:16 Discard 0
        8:16 Total 4207616
        254:0 Read 4096
        254:0 Write 8192
        254:0 Sync 0
        254:0 Async 12288
        254:0 Discard 0
        254:0 Total 12288
        Total 4219904

        """;

    [Fact]
    public void ParseV1ServiceBytes_SumsReadAndWriteOverDevices()
    {
        Assert.Equal((1024L + 4096, 4206592L + 8192), BlockIoStats.ParseV1ServiceBytes(V1TwoDevices));
    }

    [Theory]
    [InlineData("Total 0\n")]
    [InlineData("")]
    [InlineData(null)]
    public void ParseV1ServiceBytes_NoDeviceLines_IsNull(string? content) =>
        Assert.Null(BlockIoStats.ParseV1ServiceBytes(content));

    [Fact]
    public void ParseV1ServiceBytes_DeviceWithNoIo_IsZeroNotNull() =>
        Assert.Equal((0L, 0L), BlockIoStats.ParseV1ServiceBytes("8:0 Read 0\n8:0 Write 0\n8:0 Total 0\nTotal 0\n"));

    [Fact]
    public void ParseV2IoStat_SumsRbytesAndWbytesOverDevices()
    {
        const string ioStat = """
            8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0
            8:0 rbytes=90430464 wbytes=299008000 rios=8950 wios=1252 dbytes=50331648 dios=3021 cost.vrate=100.00
            """;

        Assert.Equal((1459200L + 90430464, 314773504L + 299008000), BlockIoStats.ParseV2IoStat(ioStat));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void ParseV2IoStat_MissingOrEmpty_IsZero(string? content) =>
        Assert.Equal((0L, 0L), BlockIoStats.ParseV2IoStat(content));
}
