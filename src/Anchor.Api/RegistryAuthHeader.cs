using System.Text.Json;
using Anchor.Images.Registry;

namespace Anchor.Api;

/// <summary>
/// X-Registry-Auth (moby api/types/registry AuthConfig, registry.DecodeAuthConfig): base64url of a
/// JSON object with username and password, or "auth" (base64 "user:password") as config.json
/// keeps it. No header, "{}" or no username: null, and the server's own client config applies,
/// as for `anchor pull` (dockerd would go anonymous; Anchor's server is the CLI's engine).
/// </summary>
public static class RegistryAuthHeader
{
    public const string Name = "X-Registry-Auth";

    public static RegistryCredentials? Read(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = context.Request.Headers[Name].ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            // URL-safe alphabet, padding optional (moby decodes with base64.URLEncoding; Go clients may strip '=').
            var base64 = text.Trim().Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            using var doc = JsonDocument.Parse(Convert.FromBase64String(base64));
            return Parse(doc.RootElement);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new BadRequestException($"invalid X-Registry-Auth header: {e.Message}");
        }
    }

    /// <summary>An AuthConfig object (the header's, or POST /auth's body).</summary>
    public static RegistryCredentials? Parse(JsonElement auth)
    {
        if (auth.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var user = Text(auth, "username");
        var password = Text(auth, "password");
        if (string.IsNullOrEmpty(user) && RegistryCredentials.Decode(Text(auth, "auth")) is { } decoded)
        {
            return decoded;
        }

        return string.IsNullOrEmpty(user) ? null : new RegistryCredentials(user, password ?? "");
    }

    public static string? Text(JsonElement auth, string name)
    {
        foreach (var property in auth.EnumerateObject())
        {
            // Go's encoding/json matches field names case-insensitively.
            if (property.NameEquals(name) || string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            }
        }

        return null;
    }
}
