using System.Text;
using System.Text.Json;
using Anchor.Engine.Networks;

namespace Anchor.Engine.Inspect;

/// <summary>docker network inspect's JSON for one network (moby api/types/network.Inspect, field order kept).</summary>
public static class NetworkInspectWriter
{
    public static string ToJson(NetworkRecord network, IReadOnlyList<(EndpointRecord Endpoint, string Name)> members)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("Name", network.Name);
            w.WriteString("Id", network.Id);
            w.WriteString("Created", ContainerInspectWriter.FormatTime(network.Created));
            w.WriteString("Scope", "local");
            w.WriteString("Driver", network.Driver);
            w.WriteBoolean("EnableIPv6", false);
            w.WriteStartObject("IPAM");
            w.WriteString("Driver", "default");
            w.WriteNull("Options");
            w.WriteStartArray("Config");
            if (network.HasAddresses)
            {
                w.WriteStartObject();
                w.WriteString("Subnet", network.Subnet);
                w.WriteString("Gateway", network.Gateway);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteBoolean("Internal", network.Internal);
            w.WriteBoolean("Attachable", false);
            w.WriteBoolean("Ingress", false);
            w.WriteStartObject("ConfigFrom");
            w.WriteString("Network", "");
            w.WriteEndObject();
            w.WriteBoolean("ConfigOnly", false);
            w.WriteStartObject("Containers");
            foreach (var (endpoint, name) in members.OrderBy(m => m.Endpoint.ContainerId, StringComparer.Ordinal))
            {
                w.WriteStartObject(endpoint.ContainerId);
                w.WriteString("Name", name);
                w.WriteString("EndpointID", endpoint.Id);
                w.WriteString("MacAddress", endpoint.MacAddress);
                w.WriteString("IPv4Address", $"{endpoint.Address}/{endpoint.PrefixLength}");
                w.WriteString("IPv6Address", "");
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartObject("Options");
            if (network.HasAddresses)
            {
                // The bridge's interface name, as docker reports docker0's.
                w.WriteString("com.docker.network.bridge.name", network.BridgeName);
            }

            w.WriteEndObject();
            w.WriteStartObject("Labels");
            foreach (var (key, value) in network.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
