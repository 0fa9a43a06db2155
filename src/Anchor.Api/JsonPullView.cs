using System.Collections.Concurrent;
using Anchor.Engine.Images;

namespace Anchor.Api;

/// <summary>
/// A pull's or push's progress as docker's daemon streams it: a line without a layer is a bare
/// status ("Digest: …"), a layer's state carries its id, and byte counts are "Downloading"
/// messages with progressDetail {current, total}, sent when a layer's share grew by a
/// twentieth or it is complete (the engine reports every read).
/// </summary>
public sealed class JsonPullView(JsonMessageStream stream) : IPullView
{
    private readonly ConcurrentDictionary<string, long> _sent = new(StringComparer.Ordinal);

    public void Line(string text) => stream.Status(text);

    public void Status(string id, string status) => stream.Status(status, id);

    public void Downloaded(string id, long bytes, long total)
    {
        var step = Math.Max(total / 20, 1 << 16);
        var last = _sent.GetOrAdd(id, 0);
        if (bytes - last < step && bytes != total)
        {
            return;
        }

        _sent[id] = bytes;
        stream.Status("Downloading", id, bytes, total);
    }
}
