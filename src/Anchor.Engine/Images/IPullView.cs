namespace Anchor.Engine.Images;

/// <summary>Where a pull's progress goes: plain lines (not a terminal) or a live per-layer display.</summary>
public interface IPullView
{
    /// <summary>A line that is not about one layer ("Digest: …", "Status: …").</summary>
    void Line(string text);

    /// <summary>A layer's new state: "Pulling fs layer", "Download complete", "Pull complete"…</summary>
    void Status(string id, string status);

    /// <summary>Bytes of a layer fetched so far.</summary>
    void Downloaded(string id, long bytes, long total);
}
