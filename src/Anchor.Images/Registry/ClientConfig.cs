using System.Text.Json;
using System.Text.Json.Nodes;
using Anchor.Linux;

namespace Anchor.Images.Registry;

/// <summary>
/// The client's config.json, in docker's format (docker/cli config/configfile):
/// <c>{"auths": {"registry": {"auth": base64(user:password)}}}</c>, plus Anchor's
/// <c>"insecure-registries": ["host:port"]</c> (dockerd keeps that in daemon.json; Anchor has no
/// daemon). It lives in <c>$ANCHOR_CONFIG/config.json</c>, else <c>~/.anchor/config.json</c>;
/// credentials missing there are also looked up in docker's own <c>~/.docker/config.json</c>
/// (or <c>$DOCKER_CONFIG</c>). Unknown keys are kept on rewrite. Credential helpers are not run.
/// </summary>
public sealed class ClientConfig
{
    private readonly JsonObject _root;
    private readonly ClientConfig? _fallback;

    private ClientConfig(string path, JsonObject root, ClientConfig? fallback)
    {
        Path = path;
        _root = root;
        _fallback = fallback;
    }

    public string Path { get; }

    public static string DefaultPath()
    {
        var dir = Environment.GetEnvironmentVariable("ANCHOR_CONFIG") is { Length: > 0 } d
            ? d
            : System.IO.Path.Combine(Home(), ".anchor");
        return System.IO.Path.Combine(dir, "config.json");
    }

    /// <summary>Anchor's config, with docker's config.json behind it for reading credentials.</summary>
    public static ClientConfig Load()
    {
        var path = DefaultPath();
        TightenExisting(path);
        return Load(path, DockerPath());
    }

    public static ClientConfig Load(string path, string? fallbackPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fallback = fallbackPath is not null && fallbackPath != path && File.Exists(fallbackPath) ? Load(fallbackPath) : null;
        return new ClientConfig(path, ReadObject(path), fallback);
    }

    public IReadOnlyList<string> InsecureRegistries =>
        _root["insecure-registries"] is JsonArray array
            ? [.. array.Select(n => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null).OfType<string>()]
            : [];

    /// <summary>The credentials stored for <paramref name="authKey"/> (a domain, or Docker Hub's URL key).</summary>
    public RegistryCredentials? Credentials(string authKey)
    {
        if (_root["auths"] is JsonObject auths)
        {
            foreach (var (key, value) in auths)
            {
                if (SameServer(key, authKey) && value is JsonObject entry)
                {
                    if (RegistryCredentials.Decode(Text(entry["auth"])) is { } decoded)
                    {
                        return decoded;
                    }

                    if (Text(entry["username"]) is { } user && Text(entry["password"]) is { } password)
                    {
                        return new RegistryCredentials(user, password);
                    }
                }
            }
        }

        return _fallback?.Credentials(authKey);
    }

    public void SetCredentials(string authKey, RegistryCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (_root["auths"] is not JsonObject auths)
        {
            auths = [];
            _root["auths"] = auths;
        }

        auths[authKey] = new JsonObject { ["auth"] = credentials.Encoded };
    }

    /// <summary>Removes the credentials; false when there were none in this file.</summary>
    public bool RemoveCredentials(string authKey)
    {
        if (_root["auths"] is not JsonObject auths)
        {
            return false;
        }

        var keys = auths.Select(kv => kv.Key).Where(k => SameServer(k, authKey)).ToList();
        foreach (var key in keys)
        {
            auths.Remove(key);
        }

        return keys.Count > 0;
    }

    /// <summary>
    /// Writes atomically with mode 0600 from the start (the file holds passwords) in a 0700
    /// directory, as docker's CLI keeps ~/.docker; a directory an earlier version made 0755 is
    /// tightened here.
    /// </summary>
    public void Save()
    {
        var dir = System.IO.Path.GetDirectoryName(Path)!;
        PrivateDirectory.Create(dir);
        Restrict(dir, FileModes.PrivateDirectory);

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            _root.WriteTo(writer);
        }

        buffer.WriteByte((byte)'\n');
        AtomicFile.WriteAllBytes(Path, buffer.ToArray(), mode: FileModes.PrivateFile);
    }

    /// <summary>A config an earlier version left 0644 in a 0755 directory becomes 0600 in 0700 when it is next read.</summary>
    private static void TightenExisting(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                Restrict(path, FileModes.PrivateFile);
                Restrict(System.IO.Path.GetDirectoryName(path)!, FileModes.PrivateDirectory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not ours to change (another user's file read with its permission): reading still works.
        }
    }

    private static void Restrict(string path, UnixFileMode mode)
    {
        if ((File.GetUnixFileMode(path) & ~mode) != 0)
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static bool SameServer(string a, string b) =>
        RegistryEndpoint.NormalizeServer(a).Equals(RegistryEndpoint.NormalizeServer(b), StringComparison.OrdinalIgnoreCase);

    private static string? Text(JsonNode? node) =>
        node is not null && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static JsonObject ReadObject(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return bytes.Length == 0 ? [] : JsonNode.Parse(bytes) as JsonObject ?? throw new ImageException($"{path}: not a JSON object");
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (JsonException e)
        {
            throw new ImageException($"loading config file {path}: {e.Message}", e);
        }
    }

    private static string DockerPath() =>
        System.IO.Path.Combine(Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } d ? d : System.IO.Path.Combine(Home(), ".docker"), "config.json");

    private static string Home() =>
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
