using System.Net;
using Anchor.Network.Netlink;

namespace Anchor.Network.Tests;

public sealed class NetlinkMessageTests
{
    [Fact]
    public void Encode_LinkWithName_MatchesTheKernelLayout()
    {
        var bytes = new NetlinkMessage(Rtnl.RTM_GETLINK, 0).IfInfo(0).Attr(Rtnl.IFLA_IFNAME, "lo").Encode(7);

        // nlmsghdr (16) + ifinfomsg (16) + rtattr 4 + "lo\0" padded to 4 = 40.
        Assert.Equal(40, bytes.Length);
        Assert.Equal(new byte[] { 40, 0, 0, 0, 18, 0, 1, 0, 7, 0, 0, 0, 0, 0, 0, 0 }, bytes[..16]);
        Assert.Equal(new byte[] { 7, 0, 3, 0, (byte)'l', (byte)'o', 0, 0 }, bytes[32..]);
    }

    [Fact]
    public void Encode_ExtraFlags_AreOredWithRequest()
    {
        var bytes = new NetlinkMessage(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_CREATE).IfInfo(0).Encode(1, Rtnl.NLM_F_ACK);
        Assert.Equal(Rtnl.NLM_F_CREATE | Rtnl.NLM_F_ACK | Rtnl.NLM_F_REQUEST, BitConverter.ToUInt16(bytes, 6));
    }

    [Fact]
    public void Encode_NestedAttributes_LengthsCoverTheirChildren()
    {
        var bytes = new NetlinkMessage(Rtnl.RTM_NEWLINK, 0).IfInfo(0)
            .BeginNested(Rtnl.IFLA_LINKINFO).Attr(Rtnl.IFLA_INFO_KIND, "veth")
            .BeginNested(Rtnl.IFLA_INFO_DATA).BeginNested(Rtnl.VETH_INFO_PEER).IfInfo(0).Attr(Rtnl.IFLA_IFNAME, "eth0")
            .EndNested().EndNested().EndNested()
            .Encode(1);

        var linkinfo = NetlinkAttribute.Parse(bytes.AsMemory(32));
        var info = Assert.Single(linkinfo);
        Assert.Equal(Rtnl.IFLA_LINKINFO, info.Type);
        Assert.Equal(bytes.Length - 32, info.Value.Length + 4);
        var inner = NetlinkAttribute.Parse(info.Value);
        Assert.Equal("veth", NetlinkAttribute.Find(inner, Rtnl.IFLA_INFO_KIND)!.Value.AsString());
        var data = NetlinkAttribute.Parse(NetlinkAttribute.Find(inner, Rtnl.IFLA_INFO_DATA)!.Value.Value);
        var peer = NetlinkAttribute.Find(data, Rtnl.VETH_INFO_PEER)!.Value;
        // VETH_INFO_PEER holds a struct ifinfomsg, then the peer's own attributes.
        var peerAttributes = NetlinkAttribute.Parse(peer.Value[Rtnl.IFINFOMSG_LEN..]);
        Assert.Equal("eth0", NetlinkAttribute.Find(peerAttributes, Rtnl.IFLA_IFNAME)!.Value.AsString());
        Assert.Equal(0x8000, BitConverter.ToUInt16(bytes, 34) & 0x8000);
    }

    [Fact]
    public void Encode_Address_IsInNetworkOrder()
    {
        var bytes = new NetlinkMessage(Rtnl.RTM_NEWADDR, 0).IfAddr(2, 24, 5).Attr(Rtnl.IFA_LOCAL, IPAddress.Parse("10.1.2.3")).Encode(1);
        Assert.Equal(new byte[] { 2, 24, 0, 0, 5, 0, 0, 0 }, bytes[16..24]);
        Assert.Equal(new byte[] { 8, 0, 2, 0, 10, 1, 2, 3 }, bytes[24..]);
    }

    [Fact]
    public void Encode_UnclosedNest_Throws()
    {
        var message = new NetlinkMessage(Rtnl.RTM_NEWLINK, 0).IfInfo(0).BeginNested(Rtnl.IFLA_LINKINFO);
        Assert.Throws<InvalidOperationException>(() => message.Encode(1));
    }

    [Fact]
    public void NetlinkError_WithExtendedAck_CarriesTheKernelMessage()
    {
        // error -17, the echoed header only (capped), then NLMSGERR_ATTR_MSG "bad".
        var payload = new byte[4 + 16 + 8];
        BitConverter.TryWriteBytes(payload, -17);
        BitConverter.TryWriteBytes(payload.AsSpan(4), 16u);
        payload[20] = 8;
        payload[22] = 1;
        "bad\0"u8.CopyTo(payload.AsSpan(24));
        var error = NetlinkError.From(payload, Rtnl.NLM_F_ACK_TLVS | Rtnl.NLM_F_CAPPED);
        Assert.Equal(17, error.Errno);
        Assert.Equal("bad", error.Message);
    }

    [Fact]
    public void Parse_LinkReply_ReadsNameKindAndFlags()
    {
        var reply = new NetlinkMessage(Rtnl.RTM_NEWLINK, 0).IfInfo(9, Rtnl.IFF_UP)
            .Attr(Rtnl.IFLA_IFNAME, "br0").Attr(Rtnl.IFLA_MTU, 1500u).Attr(Rtnl.IFLA_MASTER, 3u)
            .BeginNested(Rtnl.IFLA_LINKINFO).Attr(Rtnl.IFLA_INFO_KIND, "bridge").EndNested()
            .Encode(1);
        var link = LinkInfo.Parse(reply.AsMemory(16));
        Assert.Equal(new LinkInfo(9, "br0", "bridge", 3, Rtnl.IFF_UP, 1500, null, null), link with { Mac = null });
        Assert.True(link.IsUp);
    }
}
