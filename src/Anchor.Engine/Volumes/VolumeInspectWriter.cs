using System.Text.Json;

namespace Anchor.Engine.Volumes;

/// <summary>docker's volume.Volume document (moby api/types/volume): volume inspect's and the API's GET /volumes entries.</summary>
public static class VolumeInspectWriter
{
    public static void Write(Utf8JsonWriter w, VolumeRecord v) => Write(w, v, null);

    /// <param name="usage">The volume's UsageData (size in bytes, containers using it), which only system df reports.</param>
    public static void Write(Utf8JsonWriter w, VolumeRecord v, (long Size, int RefCount)? usage)
    {
        w.WriteStartObject();
        w.WriteString("CreatedAt", v.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("Driver", v.Driver);
        w.WriteStartObject("Labels");
        foreach (var (key, value) in v.Labels ?? [])
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        w.WriteString("Mountpoint", v.Mountpoint);
        w.WriteString("Name", v.Name);
        w.WriteStartObject("Options");
        w.WriteEndObject();
        w.WriteString("Scope", "local");
        if (usage is { } used)
        {
            w.WriteStartObject("UsageData");
            w.WriteNumber("RefCount", used.RefCount);
            w.WriteNumber("Size", used.Size);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
