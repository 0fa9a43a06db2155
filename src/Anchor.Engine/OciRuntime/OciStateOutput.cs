using System.Text.Encodings.Web;
using System.Text.Json;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// The state document (runtime-spec runtime.md "State", as runc's state and list print it):
/// ociVersion, id, pid (0 once stopped), status, bundle, rootfs, created, owner, annotations.
/// </summary>
public static class OciStateOutput
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>runc state: indented by two spaces, no trailing newline.</summary>
    public static byte[] State(OciContainerState state)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Encoder }))
        {
            Write(w, state);
        }

        return buffer.ToArray();
    }

    /// <summary>runc list --format json: one line, "null" when there is none (a nil slice in Go).</summary>
    public static byte[] List(IReadOnlyList<OciContainerState> states)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder }))
        {
            if (states.Count == 0)
            {
                w.WriteNullValue();
            }
            else
            {
                w.WriteStartArray();
                foreach (var state in states)
                {
                    Write(w, state);
                }

                w.WriteEndArray();
            }
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter w, OciContainerState state)
    {
        var status = OciRuntimeRoot.StatusOf(state);
        w.WriteStartObject();
        w.WriteString("ociVersion", state.OciVersion);
        w.WriteString("id", state.Id);
        w.WriteNumber("pid", status == OciStatus.Stopped ? 0 : state.Pid);
        w.WriteString("status", OciRuntimeRoot.Text(status));
        w.WriteString("bundle", state.Bundle);
        w.WriteString("rootfs", state.Rootfs);
        w.WriteString("created", state.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("owner", state.Owner);
        if (state.Annotations is { Count: > 0 } annotations)
        {
            w.WriteStartObject("annotations");
            foreach (var (key, value) in annotations)
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
