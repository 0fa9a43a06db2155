using System.Net.Sockets;
using Anchor.Linux;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Anchor.Api;

/// <summary>
/// Whether a client whose input ended has gone altogether or only shut down its writing side
/// (<see cref="UnixSocket.PeerGone"/>). A TCP peer's FIN looks the same either way: taken as gone.
/// </summary>
public static class PeerHangup
{
    public static bool IsGone(ConnectionContext connection) =>
        connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { AddressFamily: AddressFamily.Unix } socket
        || UnixSocket.PeerGone((int)socket.Handle);
}
