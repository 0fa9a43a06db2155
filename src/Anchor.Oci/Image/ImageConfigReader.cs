using System.Text.Json;

namespace Anchor.Oci.Image;

/// <summary>
/// Reads an image config (OCI image-spec config.md, with docker's container-config fields) from a
/// <see cref="JsonDocument"/> instead of through <see cref="OciJsonContext"/>'s metadata: every
/// `anchor run` reads one, and in NativeAOT System.Text.Json builds a type's metadata on first use
/// with reflection over its attributes, about 1 ms for this graph, on the path to the container's
/// start. The result equals what the source-generated deserializer gives (a unit test compares the
/// two); writing still goes through the context. Unknown members are ignored and a JSON null is
/// the property's default, as with the deserializer; a member of the wrong kind is a JsonException.
/// </summary>
public static class ImageConfigReader
{
    public static ImageConfig Read(ReadOnlySpan<byte> json)
    {
        try
        {
            return ReadConfig(json);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A number out of range and the like: the same exception type the deserializer throws.
            throw new JsonException(e.Message, e);
        }
    }

    private static ImageConfig ReadConfig(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Null)
        {
            throw new JsonException("the image config is null");
        }

        var config = new ImageConfig();
        foreach (var member in Members(root))
        {
            var value = member.Value;
            config = member.Name switch
            {
                "created" => config with { Created = Date(value) },
                "author" => config with { Author = Text(value) },
                "architecture" => config with { Architecture = Text(value) ?? config.Architecture },
                "os" => config with { Os = Text(value) ?? config.Os },
                "config" => config with { Config = IsNull(value) ? null : Container(value) },
                "rootfs" => config with { RootFs = IsNull(value) ? config.RootFs : RootFs(value) },
                "history" => config with { History = IsNull(value) ? null : [.. Items(value).Select(History)] },
                _ => config,
            };
        }

        return config;
    }

    private static ContainerConfig Container(JsonElement element)
    {
        var config = new ContainerConfig();
        foreach (var member in Members(element))
        {
            var value = member.Value;
            config = member.Name switch
            {
                "User" => config with { User = Text(value) },
                "ExposedPorts" => config with { ExposedPorts = KeySet(value) },
                "Env" => config with { Env = Strings(value) },
                "Entrypoint" => config with { Entrypoint = Strings(value) },
                "Cmd" => config with { Cmd = Strings(value) },
                "Volumes" => config with { Volumes = KeySet(value) },
                "WorkingDir" => config with { WorkingDir = Text(value) },
                "Labels" => config with { Labels = IsNull(value) ? null : Members(value).ToDictionary(m => m.Name, m => Text(m.Value)!, StringComparer.Ordinal) },
                "StopSignal" => config with { StopSignal = Text(value) },
                "Healthcheck" => config with { Healthcheck = IsNull(value) ? null : Health(value) },
                "OnBuild" => config with { OnBuild = Strings(value) },
                "Shell" => config with { Shell = Strings(value) },
                _ => config,
            };
        }

        return config;
    }

    private static RootFs RootFs(JsonElement element)
    {
        var rootFs = new RootFs();
        foreach (var member in Members(element))
        {
            rootFs = member.Name switch
            {
                "type" => rootFs with { Type = Text(member.Value) ?? rootFs.Type },
                "diff_ids" => rootFs with { DiffIds = IsNull(member.Value) ? [] : [.. Items(member.Value).Select(DigestOf)] },
                _ => rootFs,
            };
        }

        return rootFs;
    }

    private static History History(JsonElement element)
    {
        var history = new History();
        foreach (var member in Members(element))
        {
            var value = member.Value;
            history = member.Name switch
            {
                "created" => history with { Created = Date(value) },
                "created_by" => history with { CreatedBy = Text(value) },
                "comment" => history with { Comment = Text(value) },
                "empty_layer" => history with { EmptyLayer = !IsNull(value) && Kind(value, JsonValueKind.True, JsonValueKind.False).GetBoolean() },
                _ => history,
            };
        }

        return history;
    }

    private static HealthConfig Health(JsonElement element)
    {
        var health = new HealthConfig();
        foreach (var member in Members(element))
        {
            var value = member.Value;
            health = member.Name switch
            {
                "Test" => health with { Test = Strings(value) },
                "Interval" => health with { Interval = Long(value) },
                "Timeout" => health with { Timeout = Long(value) },
                "StartPeriod" => health with { StartPeriod = Long(value) },
                "StartInterval" => health with { StartInterval = Long(value) },
                "Retries" => health with { Retries = IsNull(value) ? 0 : Kind(value, JsonValueKind.Number).GetInt32() },
                _ => health,
            };
        }

        return health;
    }

    private static bool IsNull(JsonElement value) => value.ValueKind == JsonValueKind.Null;

    private static JsonElement.ObjectEnumerator Members(JsonElement element) => Kind(element, JsonValueKind.Object).EnumerateObject();

    private static JsonElement.ArrayEnumerator Items(JsonElement element) => Kind(element, JsonValueKind.Array).EnumerateArray();

    private static string? Text(JsonElement value) => IsNull(value) ? null : Kind(value, JsonValueKind.String).GetString();

    private static DateTimeOffset? Date(JsonElement value) =>
        IsNull(value) ? null : Kind(value, JsonValueKind.String).TryGetDateTimeOffset(out var date) ? date : throw new JsonException($"invalid date {value.GetRawText()}");

    private static long Long(JsonElement value) => IsNull(value) ? 0 : Kind(value, JsonValueKind.Number).GetInt64();

    private static List<string>? Strings(JsonElement value) => IsNull(value) ? null : [.. Items(value).Select(v => Text(v)!)];

    /// <summary>docker's {"80/tcp":{}} sets: the keys matter, each value an empty object.</summary>
    private static Dictionary<string, EmptyObject>? KeySet(JsonElement value) =>
        IsNull(value) ? null : Members(value).ToDictionary(m => m.Name, _ => new EmptyObject(), StringComparer.Ordinal);

    private static Digest DigestOf(JsonElement value)
    {
        var text = Text(value);
        return Digest.TryParse(text, out var digest) ? digest : throw new JsonException($"invalid digest \"{text}\"");
    }

    private static JsonElement Kind(JsonElement value, params JsonValueKind[] kinds) =>
        Array.IndexOf(kinds, value.ValueKind) >= 0
            ? value
            : throw new JsonException($"expected {string.Join(" or ", kinds)}, found {value.ValueKind}: {value.GetRawText()}");
}
